//! Closed cycles: the snapshot taken at the year-end close.

use serde::Serialize;

use crate::row::{boolean, opt_text, text};
use crate::{Conn, EnteId, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Closed {
    pub cycle_id: String,
    pub closed_at: String,
    pub closed_by: String,
    /// SHA-256 of `snapshot`, hex.
    pub content_hash: String,
    /// The canonical JSON of everything frozen.
    pub snapshot: String,
    pub forced: bool,
    pub reason: Option<String>,
}

pub async fn of_cycle(conn: &mut Conn, ente: &EnteId, cycle_id: &str) -> Result<Option<Closed>, StoreError> {
    let row =
        sqlx::query("SELECT cycle_id, closed_at, closed_by, content_hash, snapshot, forced, reason FROM cycle_close WHERE ente_id = $1 AND cycle_id = $2")
            .bind(&ente.0)
            .bind(cycle_id)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|r| {
        Ok(Closed {
            cycle_id: text(&r, "cycle_id")?,
            closed_at: text(&r, "closed_at")?,
            closed_by: text(&r, "closed_by")?,
            content_hash: text(&r, "content_hash")?,
            snapshot: text(&r, "snapshot")?,
            forced: boolean(&r, "forced")?,
            reason: opt_text(&r, "reason")?,
        })
    })
    .transpose()
}

pub async fn insert(conn: &mut Conn, ente: &EnteId, c: &Closed) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO cycle_close (cycle_id, ente_id, closed_at, closed_by, content_hash, snapshot, forced, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&c.cycle_id)
    .bind(&ente.0)
    .bind(&c.closed_at)
    .bind(&c.closed_by)
    .bind(&c.content_hash)
    .bind(&c.snapshot)
    .bind(i64::from(c.forced))
    .bind(c.reason.as_deref())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
