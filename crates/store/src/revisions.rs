//! Rimodulazioni of a cycle's plan: the original and the revised value, reason, act, date.

use chrono::NaiveDate;
use serde::Serialize;
use traguardi_domain::ids::{KpiId, ObjectiveId};

use crate::record::{self, Record, columns, read_all, record, select};
use crate::row::{sql, text};
use crate::{Conn, EnteId, StoreError};
use traguardi_domain::cycle::CycleId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revision {
    pub id: String,
    pub code: String,
    pub objective_id: ObjectiveId,
    pub kpi_id: Option<KpiId>,
    pub field: String,
    pub before: String,
    pub after: String,
    pub effective_on: NaiveDate,
    pub reason: String,
    pub act_code: String,
    pub created_at: String,
    pub created_by: String,
}

record!(Revision in "revision" {
    id, code, objective_id, kpi_id, field, before = "before_value", after = "after_value", effective_on, reason, act_code, created_at, created_by,
});

/// Records a rimodulazione of the cycle: never rewritten.
pub async fn insert(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId, r: &Revision) -> Result<(), StoreError> {
    record::insert(conn, ente, &[("cycle_id", cycle_id.as_str())], r).await
}

pub async fn of_cycle(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<Revision>, StoreError> {
    let rows = sqlx::query(select::<Revision>("WHERE ente_id = $1 AND cycle_id = $2 ORDER BY created_at, id"))
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    read_all(&rows)
}

/// The revisions of a cycle, in order, each with the code of its objective (read in the same
/// query: naming them never reads the cycle's objectives).
pub async fn of_cycle_named(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<(Revision, String)>, StoreError> {
    let rows = sqlx::query(sql(format!(
        "SELECT {}, o.code AS objective_code FROM revision r JOIN objective o ON o.id = r.objective_id
         WHERE r.ente_id = $1 AND r.cycle_id = $2 ORDER BY r.created_at, r.id",
        columns::<Revision>(Some("r"))
    )))
    .bind(&ente.0)
    .bind(cycle_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|row| Ok((Revision::read(row)?, text(row, "objective_code")?))).collect()
}
