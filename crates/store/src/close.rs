//! Closed cycles: the snapshot taken at the year-end close.

use serde::Serialize;

pub use traguardi_domain::cycle::Closed;

use crate::record::{self, Cell, Column, Record, read_all, record, select};
use crate::{Conn, EnteId, StoreError};
use traguardi_domain::cycle::CycleId;

/// By hand: the audit head is one field over two columns.
impl Record for Closed {
    const TABLE: &'static str = "cycle_close";
    const COLUMNS: &'static [&'static str] = &["cycle_id", "closed_at", "closed_by", "content_hash", "snapshot", "forced", "reason", "audit_seq", "audit_hash"];
    fn cells(&self) -> Vec<Cell> {
        let (seq, hash) = self.audit_head.clone().unzip();
        vec![
            self.cycle_id.cell(),
            self.closed_at.cell(),
            self.closed_by.cell(),
            self.content_hash.cell(),
            self.snapshot.cell(),
            self.forced.cell(),
            self.reason.cell(),
            seq.cell(),
            hash.cell(),
        ]
    }
    fn read(r: &sqlx::any::AnyRow) -> Result<Self, StoreError> {
        let t = Self::TABLE;
        let seq: Option<i64> = Column::read(r, t, "audit_seq")?;
        let hash: Option<String> = Column::read(r, t, "audit_hash")?;
        Ok(Closed {
            cycle_id: Column::read(r, t, "cycle_id")?,
            closed_at: Column::read(r, t, "closed_at")?,
            closed_by: Column::read(r, t, "closed_by")?,
            content_hash: Column::read(r, t, "content_hash")?,
            snapshot: Column::read(r, t, "snapshot")?,
            forced: Column::read(r, t, "forced")?,
            reason: Column::read(r, t, "reason")?,
            audit_head: seq.zip(hash),
        })
    }
}

/// Every close of an ente, by cycle id.
pub async fn of_ente(conn: &mut Conn, ente: &EnteId) -> Result<Vec<Closed>, StoreError> {
    read_all(&sqlx::query(select::<Closed>("WHERE ente_id = $1 ORDER BY cycle_id")).bind(&ente.0).fetch_all(&mut *conn).await?)
}

pub async fn of_cycle(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Option<Closed>, StoreError> {
    let row = sqlx::query(select::<Closed>("WHERE ente_id = $1 AND cycle_id = $2")).bind(&ente.0).bind(cycle_id.as_str()).fetch_optional(&mut *conn).await?;
    row.as_ref().map(Closed::read).transpose()
}

/// Records the close of a cycle: never rewritten, but for the audit head it reached.
pub async fn insert(conn: &mut Conn, ente: &EnteId, c: &Closed) -> Result<(), StoreError> {
    record::insert(conn, ente, &[], c).await
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
