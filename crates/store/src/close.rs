//! Closed cycles: the snapshot taken at the year-end close.

use serde::Serialize;

pub use traguardi_domain::cycle::Closed;

use crate::record::{self, read_all, record, select};
use crate::row::{boolean, opt_text, text};
use crate::{Conn, EnteId, StoreError};
use traguardi_domain::cycle::CycleId;

const CLOSE_COLUMNS: &str = "cycle_id, closed_at, closed_by, content_hash, snapshot, forced, reason, audit_seq, audit_hash";

fn closed_from_row(r: &sqlx::any::AnyRow) -> Result<Closed, StoreError> {
    let seq: Option<i64> = sqlx::Row::try_get(r, "audit_seq")?;
    Ok(Closed {
        cycle_id: CycleId(text(r, "cycle_id")?),
        closed_at: text(r, "closed_at")?,
        closed_by: text(r, "closed_by")?,
        content_hash: text(r, "content_hash")?,
        snapshot: text(r, "snapshot")?,
        forced: boolean(r, "forced")?,
        reason: opt_text(r, "reason")?,
        audit_head: seq.zip(opt_text(r, "audit_hash")?),
    })
}

/// Every close of an ente, by cycle id.
pub async fn of_ente(conn: &mut Conn, ente: &EnteId) -> Result<Vec<Closed>, StoreError> {
    let rows = sqlx::query(crate::row::sql(format!("SELECT {CLOSE_COLUMNS} FROM cycle_close WHERE ente_id = $1 ORDER BY cycle_id")))
        .bind(&ente.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(closed_from_row).collect()
}

pub async fn of_cycle(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Option<Closed>, StoreError> {
    let row = sqlx::query(crate::row::sql(format!("SELECT {CLOSE_COLUMNS} FROM cycle_close WHERE ente_id = $1 AND cycle_id = $2")))
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(closed_from_row).transpose()
}

pub async fn insert(conn: &mut Conn, ente: &EnteId, c: &Closed) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO cycle_close (cycle_id, ente_id, closed_at, closed_by, content_hash, snapshot, forced, reason, audit_seq, audit_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(c.cycle_id.as_str())
    .bind(&ente.0)
    .bind(&c.closed_at)
    .bind(&c.closed_by)
    .bind(&c.content_hash)
    .bind(&c.snapshot)
    .bind(i64::from(c.forced))
    .bind(c.reason.as_deref())
    .bind(c.audit_head.as_ref().map(|(s, _)| *s))
    .bind(c.audit_head.as_ref().map(|(_, h)| h.as_str()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records the audit chain's head reached by the close.
pub async fn set_audit_head(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId, head: Option<&(i64, String)>) -> Result<(), StoreError> {
    sqlx::query("UPDATE cycle_close SET audit_seq = $1, audit_hash = $2 WHERE ente_id = $3 AND cycle_id = $4")
        .bind(head.map(|(s, _)| *s))
        .bind(head.map(|(_, h)| h.as_str()))
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A correction after the close: what, the frozen value, the corrected one, why, by which act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub id: String,
    pub snapshot_hash: String,
    pub subject: String,
    pub before: String,
    pub after: String,
    pub reason: String,
    pub act_code: Option<String>,
    pub created_at: String,
    pub created_by: String,
}

record!(Correction in "close_correction" {
    id, snapshot_hash, subject, before = "before_value", after = "after_value", reason, act_code, created_at, created_by,
});

/// Records a correction of the closed cycle: never rewritten.
pub async fn insert_correction(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId, c: &Correction) -> Result<(), StoreError> {
    record::insert(conn, ente, &[("cycle_id", cycle_id.as_str())], c).await
}

pub async fn corrections(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<Correction>, StoreError> {
    let rows = sqlx::query(select::<Correction>("WHERE ente_id = $1 AND cycle_id = $2 ORDER BY created_at, id"))
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    read_all(&rows)
}
