//! The plan of a cycle: dimensions and ambiti, objectives, KPIs, targets and measurements.

use chrono::NaiveDate;
use traguardi_domain::plan::kpi::{Aggregation, Direction, Measure, Rule};
pub use traguardi_domain::plan::value_status::ValueStatus;
use traguardi_domain::plan::workflow::State;

pub use traguardi_domain::plan::records::{Ambito, ApprovedValue, Contribution, Dimension, DupObjective, Evidence, Kpi, Measurement, Objective, Target};

use crate::record::{Cell, Column, Record, coded_column, columns, insert, read_all, record, select, upsert};
use crate::row::{coded, date, int, iso, opt_text, sql, text};
use crate::{Backend, Conn, EnteId, StoreError};
use traguardi_domain::cycle::CycleId;
use traguardi_domain::ids::ObjectiveId;

// ---- dimensions and ambiti

record!(Dimension in "dimension" { id, code, name, position });
record!(Ambito in "ambito" { id, dimension_id, code, name, position });

pub async fn dimensions(conn: &mut Conn, ente: &EnteId) -> Result<Vec<Dimension>, StoreError> {
    read_all(&sqlx::query(select::<Dimension>("WHERE ente_id = $1 ORDER BY position")).bind(&ente.0).fetch_all(&mut *conn).await?)
}

/// Inserts the dimension, or rewrites the one with its id.
pub async fn save_dimension(conn: &mut Conn, ente: &EnteId, d: &Dimension) -> Result<(), StoreError> {
    upsert(conn, ente, &[], d).await
}

pub async fn ambiti(conn: &mut Conn, ente: &EnteId) -> Result<Vec<Ambito>, StoreError> {
    read_all(&sqlx::query(select::<Ambito>("WHERE ente_id = $1 ORDER BY position")).bind(&ente.0).fetch_all(&mut *conn).await?)
}

/// Inserts the ambito, or rewrites the one with its id.
pub async fn save_ambito(conn: &mut Conn, ente: &EnteId, a: &Ambito) -> Result<(), StoreError> {
    upsert(conn, ente, &[], a).await
}

// ---- objectives

record!(Objective in "objective" {
    id, cycle_id, code, title, description, dimension_id, ambito_id, unit_id, person_id, parent_id, weight, dup_id, tags, starts, ends, state,
    override_score, override_reason, not_assessable, position,
});
coded_column!(State, |s| State::parse(s).ok_or(()));

pub async fn objectives(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<Objective>, StoreError> {
    let rows = sqlx::query(select::<Objective>("WHERE ente_id = $1 AND cycle_id = $2 ORDER BY position, code"))
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    read_all(&rows)
}

/// Inserts the objective, or rewrites the one with its id.
pub async fn save_objective(conn: &mut Conn, ente: &EnteId, o: &Objective) -> Result<(), StoreError> {
    upsert(conn, ente, &[], o).await
}

// ---- KPIs

record!(Kpi in "kpi" {
    id, cycle_id, objective_id, code, name, nature, measure, direction, unit_label, baseline, weight, aggregation, periodicity, formula, rule,
    owner_unit_id, source, position,
});
coded_column!(Measure, Measure::parse);
coded_column!(Direction, Direction::parse);
coded_column!(Aggregation, Aggregation::parse);

/// A KPI's rule of achievement: stored as its JSON.
impl Column for Rule {
    fn cell(&self) -> Cell {
        Cell::Text(serde_json::to_string(self).ok())
    }
    fn read(row: &sqlx::any::AnyRow, table: &'static str, column: &'static str) -> Result<Self, StoreError> {
        coded(row, table, column, |s| serde_json::from_str::<Rule>(s))
    }
}

/// Moves every objective of a cycle to `state` (the close moves them all to `chiuso`).
pub async fn set_state_of_cycle(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId, state: State) -> Result<(), StoreError> {
    sqlx::query("UPDATE objective SET state = $1 WHERE ente_id = $2 AND cycle_id = $3")
        .bind(state.code())
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn kpis(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<Kpi>, StoreError> {
    let rows = sqlx::query(select::<Kpi>("WHERE ente_id = $1 AND cycle_id = $2 ORDER BY position, code"))
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    read_all(&rows)
}

/// Inserts the KPI, or rewrites the one with its id.
pub async fn save_kpi(conn: &mut Conn, ente: &EnteId, k: &Kpi) -> Result<(), StoreError> {
    upsert(conn, ente, &[], k).await
}

// ---- targets

pub async fn targets(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<Target>, StoreError> {
    let rows = sqlx::query(
        "SELECT t.kpi_id, t.year, t.period_end, t.value FROM kpi_target t JOIN kpi k ON k.id = t.kpi_id
         WHERE t.ente_id = $1 AND k.cycle_id = $2 ORDER BY t.kpi_id, t.year, t.period_end",
    )
    .bind(&ente.0)
    .bind(cycle_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let pe = text(r, "period_end")?;
            Ok(Target {
                kpi_id: Column::read(r, "kpi_target", "kpi_id")?,
                year: i32::try_from(int(r, "year")?).unwrap_or_default(),
                period_end: if pe.is_empty() {
                    None
                } else {
                    Some(NaiveDate::parse_from_str(&pe, "%Y-%m-%d").map_err(|_| StoreError::Corrupt {
                        table: "kpi_target",
                        column: "period_end",
                        value: pe,
                    })?)
                },
                value: text(r, "value")?,
            })
        })
        .collect()
}

/// Replaces every target of a KPI.
pub async fn replace_targets(conn: &mut Conn, ente: &EnteId, kpi_id: &str, targets: &[Target]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM kpi_target WHERE ente_id = $1 AND kpi_id = $2").bind(&ente.0).bind(kpi_id).execute(&mut *conn).await?;
    for t in targets {
        sqlx::query("INSERT INTO kpi_target (id, ente_id, kpi_id, year, period_end, value) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(crate::new_id::<String>())
            .bind(&ente.0)
            .bind(kpi_id)
            .bind(i64::from(t.year))
            .bind(t.period_end.map(iso).unwrap_or_default())
            .bind(&t.value)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

// ---- measurements

record!(Measurement in "measurement" {
    id, kpi_id, period_end, version, value, note, cause, not_assessable, status, entered_by, entered_at, decided_by, decided_at,
});
coded_column!(ValueStatus, |s| ValueStatus::parse(s).ok_or(()));

/// Every version of every measurement of the cycle's KPIs, by KPI, period and version.
/// The latest version of one KPI's value for one period. On PostgreSQL the KPI's row is locked
/// until the transaction ends, so that two people saving the same value at once write versions
/// one after the other instead of the same version twice (SQLite's writers are one at a time).
pub async fn latest_measurement_locked(conn: &mut Conn, ente: &EnteId, kpi_id: &str, period_end: NaiveDate) -> Result<Option<Measurement>, StoreError> {
    if Backend::of(conn) == Backend::Postgres {
        sqlx::query("SELECT id FROM kpi WHERE id = $1 AND ente_id = $2 FOR UPDATE").bind(kpi_id).bind(&ente.0).execute(&mut *conn).await?;
    }
    let row = sqlx::query(select::<Measurement>("WHERE ente_id = $1 AND kpi_id = $2 AND period_end = $3 ORDER BY version DESC LIMIT 1"))
        .bind(&ente.0)
        .bind(kpi_id)
        .bind(period_end.format("%Y-%m-%d").to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(Measurement::read).transpose()
}

pub async fn measurements(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<Measurement>, StoreError> {
    let cols = columns::<Measurement>(Some("m"));
    let rows = sqlx::query(sql(format!(
        "SELECT {cols} FROM measurement m JOIN kpi k ON k.id = m.kpi_id
         WHERE m.ente_id = $1 AND k.cycle_id = $2 ORDER BY m.kpi_id, m.period_end, m.version"
    )))
    .bind(&ente.0)
    .bind(cycle_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    read_all(&rows)
}

/// The approved versions of every measurement of the cycle, by KPI, period and version.
pub async fn approved_values(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<ApprovedValue>, StoreError> {
    let rows = sqlx::query(
        "SELECT m.kpi_id, m.period_end, m.version, m.value, m.not_assessable, m.note FROM measurement m JOIN kpi k ON k.id = m.kpi_id
         WHERE m.ente_id = $1 AND k.cycle_id = $2 AND m.status = $3 ORDER BY m.kpi_id, m.period_end, m.version",
    )
    .bind(&ente.0)
    .bind(cycle_id.as_str())
    .bind(ValueStatus::Approved.code())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ApprovedValue {
                kpi_id: Column::read(r, "measurement", "kpi_id")?,
                period_end: date(r, "measurement", "period_end")?,
                version: int(r, "version")?,
                value: opt_text(r, "value")?,
                not_assessable: int(r, "not_assessable")? != 0,
                note: text(r, "note")?,
            })
        })
        .collect()
}

/// Adds a version of a value; a version is never rewritten, only its status and decision.
pub async fn insert_measurement(conn: &mut Conn, ente: &EnteId, m: &Measurement) -> Result<(), StoreError> {
    insert(conn, ente, &[], m).await
}

// ---- DUP

record!(DupObjective in "dup_objective" { id, code, kind, title, description, missione, programma, parent_id, owner_lineage, tags });

pub async fn dup_objectives(conn: &mut Conn, ente: &EnteId) -> Result<Vec<DupObjective>, StoreError> {
    read_all(&sqlx::query(select::<DupObjective>("WHERE ente_id = $1 ORDER BY code")).bind(&ente.0).fetch_all(&mut *conn).await?)
}

/// Inserts the DUP objective, or rewrites the one with its id.
pub async fn save_dup_objective(conn: &mut Conn, ente: &EnteId, d: &DupObjective) -> Result<(), StoreError> {
    upsert(conn, ente, &[], d).await
}

// ---- contributions

record!(Contribution in "objective_contribution" { objective_id, unit_id, share });

pub async fn contributions(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<Contribution>, StoreError> {
    let rows = sqlx::query(sql(format!(
        "SELECT {} FROM objective_contribution c JOIN objective o ON o.id = c.objective_id
         WHERE c.ente_id = $1 AND o.cycle_id = $2 ORDER BY o.position, c.unit_id",
        columns::<Contribution>(Some("c"))
    )))
    .bind(&ente.0)
    .bind(cycle_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    read_all(&rows)
}

/// Replaces the units contributing to an objective.
pub async fn replace_contributions(conn: &mut Conn, ente: &EnteId, objective_id: &ObjectiveId, list: &[Contribution]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM objective_contribution WHERE ente_id = $1 AND objective_id = $2")
        .bind(&ente.0)
        .bind(objective_id.as_str())
        .execute(&mut *conn)
        .await?;
    for c in list {
        let id: String = crate::new_id();
        insert(conn, ente, &[("id", &id)], &Contribution { objective_id: objective_id.clone(), ..c.clone() }).await?;
    }
    Ok(())
}

/// Rewrites the status, decision and note of a measurement version (the app never changes its
/// value: a new value is a new version).
pub async fn update_measurement_status(conn: &mut Conn, ente: &EnteId, m: &Measurement) -> Result<(), StoreError> {
    upsert(conn, ente, &[], m).await
}

// ---- evidence

#[allow(clippy::too_many_arguments)]
pub async fn insert_evidence(
    conn: &mut Conn,
    ente: &EnteId,
    id: &str,
    measurement_id: &str,
    filename: &str,
    content_type: &str,
    data: &[u8],
    sha256: &str,
    by: &str,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO evidence (id, ente_id, measurement_id, filename, content_type, size, sha256, data, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id)
    .bind(&ente.0)
    .bind(measurement_id)
    .bind(filename)
    .bind(content_type)
    .bind(data.len() as i64)
    .bind(sha256)
    .bind(data.to_vec())
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

const EVIDENCE_COLUMNS: &str = "e.id, e.measurement_id, e.filename, e.content_type, e.size, e.sha256, e.uploaded_by";

fn evidence_from_row(r: &sqlx::any::AnyRow) -> Result<Evidence, StoreError> {
    Ok(Evidence {
        id: text(r, "id")?,
        measurement_id: Column::read(r, "evidence", "measurement_id")?,
        filename: text(r, "filename")?,
        content_type: text(r, "content_type")?,
        size: int(r, "size")?,
        sha256: text(r, "sha256")?,
        uploaded_by: text(r, "uploaded_by")?,
    })
}

/// Evidence of the cycle's measurements, without the bytes, in the order they came.
pub async fn evidence_list(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<Evidence>, StoreError> {
    let rows = sqlx::query(sql(format!(
        "SELECT {EVIDENCE_COLUMNS} FROM evidence e
         JOIN measurement m ON m.id = e.measurement_id JOIN kpi k ON k.id = m.kpi_id
         WHERE e.ente_id = $1 AND k.cycle_id = $2 ORDER BY e.uploaded_at, e.filename"
    )))
    .bind(&ente.0)
    .bind(cycle_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(evidence_from_row).collect()
}

/// The cycle and the unit that measures the KPI an evidence file belongs to (the KPI's owner,
/// else its objective's unit).
pub async fn evidence_place(conn: &mut Conn, ente: &EnteId, id: &str) -> Result<Option<(CycleId, Option<String>)>, StoreError> {
    let row = sqlx::query(
        "SELECT k.cycle_id, COALESCE(k.owner_unit_id, o.unit_id) AS unit_id FROM evidence e
         JOIN measurement m ON m.id = e.measurement_id JOIN kpi k ON k.id = m.kpi_id JOIN objective o ON o.id = k.objective_id
         WHERE e.ente_id = $1 AND e.id = $2",
    )
    .bind(&ente.0)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| Ok((CycleId(text(&r, "cycle_id")?), opt_text(&r, "unit_id")?))).transpose()
}

/// One evidence file with its bytes.
pub async fn evidence_file(conn: &mut Conn, ente: &EnteId, id: &str) -> Result<Option<(Evidence, Vec<u8>)>, StoreError> {
    let row = sqlx::query(sql(format!("SELECT {EVIDENCE_COLUMNS}, e.data FROM evidence e WHERE e.ente_id = $1 AND e.id = $2")))
        .bind(&ente.0)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| Ok((evidence_from_row(&r)?, sqlx::Row::try_get(&r, "data")?))).transpose()
}
