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
    /// The ente's audit chain head at the close: (sequence number, hash) of its last record.
    pub audit_head: Option<(i64, String)>,
}

const CLOSE_COLUMNS: &str = "cycle_id, closed_at, closed_by, content_hash, snapshot, forced, reason, audit_seq, audit_hash";

fn closed_from_row(r: &sqlx::any::AnyRow) -> Result<Closed, StoreError> {
    let seq: Option<i64> = sqlx::Row::try_get(r, "audit_seq")?;
    Ok(Closed {
        cycle_id: text(r, "cycle_id")?,
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

pub async fn of_cycle(conn: &mut Conn, ente: &EnteId, cycle_id: &str) -> Result<Option<Closed>, StoreError> {
    let row = sqlx::query(crate::row::sql(format!("SELECT {CLOSE_COLUMNS} FROM cycle_close WHERE ente_id = $1 AND cycle_id = $2")))
        .bind(&ente.0)
        .bind(cycle_id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(closed_from_row).transpose()
}

pub async fn insert(conn: &mut Conn, ente: &EnteId, c: &Closed) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO cycle_close (cycle_id, ente_id, closed_at, closed_by, content_hash, snapshot, forced, reason, audit_seq, audit_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&c.cycle_id)
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
pub async fn set_audit_head(conn: &mut Conn, ente: &EnteId, cycle_id: &str, head: Option<&(i64, String)>) -> Result<(), StoreError> {
    sqlx::query("UPDATE cycle_close SET audit_seq = $1, audit_hash = $2 WHERE ente_id = $3 AND cycle_id = $4")
        .bind(head.map(|(s, _)| *s))
        .bind(head.map(|(_, h)| h.as_str()))
        .bind(&ente.0)
        .bind(cycle_id)
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

pub async fn insert_correction(conn: &mut Conn, ente: &EnteId, cycle_id: &str, c: &Correction) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO close_correction (id, ente_id, cycle_id, snapshot_hash, subject, before_value, after_value, reason, act_code, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&c.id)
    .bind(&ente.0)
    .bind(cycle_id)
    .bind(&c.snapshot_hash)
    .bind(&c.subject)
    .bind(&c.before)
    .bind(&c.after)
    .bind(&c.reason)
    .bind(c.act_code.as_deref())
    .bind(&c.created_at)
    .bind(&c.created_by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn corrections(conn: &mut Conn, ente: &EnteId, cycle_id: &str) -> Result<Vec<Correction>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, snapshot_hash, subject, before_value, after_value, reason, act_code, created_at, created_by FROM close_correction
         WHERE ente_id = $1 AND cycle_id = $2 ORDER BY created_at, id",
    )
    .bind(&ente.0)
    .bind(cycle_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Correction {
                id: text(r, "id")?,
                snapshot_hash: text(r, "snapshot_hash")?,
                subject: text(r, "subject")?,
                before: text(r, "before_value")?,
                after: text(r, "after_value")?,
                reason: text(r, "reason")?,
                act_code: opt_text(r, "act_code")?,
                created_at: text(r, "created_at")?,
                created_by: text(r, "created_by")?,
            })
        })
        .collect()
}
