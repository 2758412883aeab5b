//! Files waiting in the import wizard between its steps.

use crate::record::{self, Record, record, select};
use crate::row::int;
use crate::{Conn, EnteId, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    pub id: String,
    pub owner: String,
    pub kind: String,
    pub cycle_year: Option<i32>,
    pub filename: String,
    pub data: Vec<u8>,
    /// JSON `[[file header, column], …]`, once the user has mapped the columns.
    pub columns: Option<String>,
    pub uploaded_at: String,
}

record!(Upload in "import_upload" { id, owner, kind, cycle_year, filename, data, columns, uploaded_at });

pub async fn insert(conn: &mut Conn, ente: &EnteId, u: &Upload) -> Result<(), StoreError> {
    record::insert(conn, ente, &[], u).await
}

pub async fn get(conn: &mut Conn, ente: &EnteId, id: &str) -> Result<Option<Upload>, StoreError> {
    let row = sqlx::query(select::<Upload>("WHERE ente_id = $1 AND id = $2")).bind(&ente.0).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(Upload::read).transpose()
}

pub async fn set_columns(conn: &mut Conn, ente: &EnteId, id: &str, columns: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE import_upload SET columns = $3 WHERE ente_id = $1 AND id = $2").bind(&ente.0).bind(id).bind(columns).execute(&mut *conn).await?;
    Ok(())
}

/// Removes an upload; whether it was there (a second submit of the same file finds it gone).
pub async fn delete(conn: &mut Conn, ente: &EnteId, id: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM import_upload WHERE ente_id = $1 AND id = $2").bind(&ente.0).bind(id).execute(&mut *conn).await?;
    Ok(done.rows_affected() > 0)
}

/// Removes the uploads older than `before` (an RFC 3339 time); returns how many.
pub async fn purge(conn: &mut Conn, before: &str) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM import_upload WHERE uploaded_at < $1").bind(before).execute(&mut *conn).await?;
    Ok(done.rows_affected())
}

/// How many uploads wait for `owner` (a user may keep only a few).
pub async fn count_of(conn: &mut Conn, owner: &str) -> Result<i64, StoreError> {
    let r = sqlx::query("SELECT COUNT(*) AS n FROM import_upload WHERE owner = $1").bind(owner).fetch_one(&mut *conn).await?;
    int(&r, "n")
}
