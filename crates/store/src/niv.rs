//! The NIV's samples of measurements.

use serde::Serialize;

use crate::record::{self, read_all, record, select};
use crate::{Conn, EnteId, StoreError};
use traguardi_domain::cycle::CycleId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SampleRow {
    pub id: String,
    pub seed: String,
    pub percent: String,
    pub population: String,
    /// JSON of the items drawn.
    pub items: String,
    pub created_at: String,
    pub created_by: String,
}

record!(SampleRow in "niv_sample" { id, seed, percent, population, items, created_at, created_by });

/// Records a sample drawn: never rewritten.
pub async fn insert_sample(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId, s: &SampleRow) -> Result<(), StoreError> {
    record::insert(conn, ente, &[("cycle_id", cycle_id.as_str())], s).await
}

/// The samples drawn in a cycle, oldest first.
pub async fn samples(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<SampleRow>, StoreError> {
    let rows = sqlx::query(select::<SampleRow>("WHERE ente_id = $1 AND cycle_id = $2 ORDER BY created_at, id"))
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    read_all(&rows)
}
