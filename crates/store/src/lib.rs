//! Storage of Traguardi: one code path (sqlx `Any`) over embedded SQLite and PostgreSQL.
//!
//! Each module holds one aggregate. Functions take a connection (usually a transaction
//! opened by the use case) and the `EnteId` that scopes every query: no function reads or
//! writes rows of another ente.

pub mod accounts;
pub mod acts;
pub mod audit;
pub mod backup;
pub mod budget;
pub mod bulk;
pub mod close;
pub mod cycle;
pub mod db;
pub mod ente;
pub mod imports;
pub mod niv;
pub mod notifications;
pub mod org;
pub mod pay;
pub mod people;
pub mod plan;
mod record;
pub mod revisions;
mod row;
pub mod rules;
pub mod testing;

pub use db::{Backend, Conn, PooledConn, Store, StoreError, Tx};
pub use ente::EnteId;
pub use sqlx::Error as SqlError;

/// A new identifier, of whichever id type (or plain text) it is for: UUIDv7, so ids sort by
/// creation time.
pub fn new_id<Id: From<String>>() -> Id {
    Id::from(uuid::Uuid::now_v7().to_string())
}
