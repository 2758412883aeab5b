//! The NIV's samples of measurements.

use serde::Serialize;

use crate::row::text;
use crate::{Conn, EnteId, StoreError};

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

pub async fn insert_sample(conn: &mut Conn, ente: &EnteId, cycle_id: &str, s: &SampleRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO niv_sample (id, ente_id, cycle_id, seed, percent, population, items, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&s.id)
    .bind(&ente.0)
    .bind(cycle_id)
    .bind(&s.seed)
    .bind(&s.percent)
    .bind(&s.population)
    .bind(&s.items)
    .bind(&s.created_at)
    .bind(&s.created_by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The samples drawn in a cycle, oldest first.
pub async fn samples(conn: &mut Conn, ente: &EnteId, cycle_id: &str) -> Result<Vec<SampleRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, seed, percent, population, items, created_at, created_by FROM niv_sample WHERE ente_id = $1 AND cycle_id = $2 ORDER BY created_at, id",
    )
    .bind(&ente.0)
    .bind(cycle_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SampleRow {
                id: text(r, "id")?,
                seed: text(r, "seed")?,
                percent: text(r, "percent")?,
                population: text(r, "population")?,
                items: text(r, "items")?,
                created_at: text(r, "created_at")?,
                created_by: text(r, "created_by")?,
            })
        })
        .collect()
}
