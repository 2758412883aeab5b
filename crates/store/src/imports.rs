//! Files waiting in the import wizard between its steps.

use crate::row::{int, opt_text, text};
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

pub async fn insert(conn: &mut Conn, ente: &EnteId, u: &Upload) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO import_upload (id, ente_id, owner, kind, cycle_year, filename, data, columns, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&u.id)
    .bind(&ente.0)
    .bind(&u.owner)
    .bind(&u.kind)
    .bind(u.cycle_year.map(i64::from))
    .bind(&u.filename)
    .bind(u.data.clone())
    .bind(&u.columns)
    .bind(&u.uploaded_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut Conn, ente: &EnteId, id: &str) -> Result<Option<Upload>, StoreError> {
    let row = sqlx::query("SELECT id, owner, kind, cycle_year, filename, data, columns, uploaded_at FROM import_upload WHERE ente_id = $1 AND id = $2")
        .bind(&ente.0)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(r) = row else { return Ok(None) };
    let year: Option<i64> = sqlx::Row::try_get(&r, "cycle_year")?;
    Ok(Some(Upload {
        id: text(&r, "id")?,
        owner: text(&r, "owner")?,
        kind: text(&r, "kind")?,
        cycle_year: year.and_then(|y| i32::try_from(y).ok()),
        filename: text(&r, "filename")?,
        data: sqlx::Row::try_get(&r, "data")?,
        columns: opt_text(&r, "columns")?,
        uploaded_at: text(&r, "uploaded_at")?,
    }))
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
