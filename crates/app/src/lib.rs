//! Use cases of Traguardi: the only API that the web and the CLI call.
//!
//! Each use case takes the store, the acting user and an input; checks permissions; runs in
//! one transaction (all or nothing); and writes the audit trail for what it changed.

pub mod accounts;
pub mod budget;
pub mod cycle;
pub mod documents;
pub mod error;
pub mod import;
pub mod operations;
pub mod org;
pub mod pay;
pub mod plan;
pub mod samples;
pub mod settings;
pub mod views;

pub use accounts::access::Actor;
pub use error::AppError;
pub use traguardi_store::Store;

/// The time of a change as stored: UTC, to the second (RFC 3339).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
