//! Rimodulazioni of a cycle's plan: the original and the revised value, reason, act, date.

use chrono::NaiveDate;
use serde::Serialize;

use crate::row::{date, iso, opt_text, text};
use crate::{Conn, EnteId, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revision {
    pub id: String,
    pub code: String,
    pub objective_id: String,
    pub kpi_id: Option<String>,
    pub field: String,
    pub before: String,
    pub after: String,
    pub effective_on: NaiveDate,
    pub reason: String,
    pub act_code: String,
    pub created_at: String,
    pub created_by: String,
}

pub async fn insert(conn: &mut Conn, ente: &EnteId, cycle_id: &str, r: &Revision) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO revision (id, ente_id, cycle_id, code, objective_id, kpi_id, field, before_value, after_value, effective_on, reason, act_code, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(&r.id)
    .bind(&ente.0)
    .bind(cycle_id)
    .bind(&r.code)
    .bind(&r.objective_id)
    .bind(r.kpi_id.as_deref())
    .bind(&r.field)
    .bind(&r.before)
    .bind(&r.after)
    .bind(iso(r.effective_on))
    .bind(&r.reason)
    .bind(&r.act_code)
    .bind(&r.created_at)
    .bind(&r.created_by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn of_cycle(conn: &mut Conn, ente: &EnteId, cycle_id: &str) -> Result<Vec<Revision>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, code, objective_id, kpi_id, field, before_value, after_value, effective_on, reason, act_code, created_at, created_by
         FROM revision WHERE ente_id = $1 AND cycle_id = $2 ORDER BY created_at, id",
    )
    .bind(&ente.0)
    .bind(cycle_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Revision {
                id: text(r, "id")?,
                code: text(r, "code")?,
                objective_id: text(r, "objective_id")?,
                kpi_id: opt_text(r, "kpi_id")?,
                field: text(r, "field")?,
                before: text(r, "before_value")?,
                after: text(r, "after_value")?,
                effective_on: date(r, "revision", "effective_on")?,
                reason: text(r, "reason")?,
                act_code: text(r, "act_code")?,
                created_at: text(r, "created_at")?,
                created_by: text(r, "created_by")?,
            })
        })
        .collect()
}
