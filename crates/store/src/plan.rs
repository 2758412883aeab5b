//! The plan of a cycle: dimensions and ambiti, objectives, KPIs, targets and measurements.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::str::FromStr;
use traguardi_domain::plan::kpi::{Aggregation, Direction, Measure, Rule};
pub use traguardi_domain::plan::value_status::ValueStatus;
use traguardi_domain::plan::workflow::State;

pub use traguardi_domain::plan::records::{Ambito, ApprovedValue, Dimension, Kpi, Objective, Target};

use crate::row::{coded, date, int, iso, opt_date, opt_text, sql, text};
use crate::{Conn, EnteId, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measurement {
    pub id: String,
    pub kpi_id: String,
    pub period_end: NaiveDate,
    pub version: i64,
    pub value: Option<String>,
    pub note: String,
    pub cause: Option<String>,
    pub not_assessable: bool,
    pub status: ValueStatus,
    pub entered_by: String,
    pub entered_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

fn decimal(r: &sqlx::any::AnyRow, table: &'static str, col: &'static str) -> Result<Decimal, StoreError> {
    coded(r, table, col, Decimal::from_str)
}

fn opt_decimal(r: &sqlx::any::AnyRow, table: &'static str, col: &'static str) -> Result<Option<Decimal>, StoreError> {
    opt_text(r, col)?.map(|s| Decimal::from_str(&s).map_err(|_| StoreError::Corrupt { table, column: col, value: s })).transpose()
}

fn tags(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|t| !t.is_empty()).map(String::from).collect()
}

// ---- dimensions and ambiti

pub async fn dimensions(conn: &mut Conn, ente: &EnteId) -> Result<Vec<Dimension>, StoreError> {
    let rows = sqlx::query("SELECT id, code, name, position FROM dimension WHERE ente_id = $1 ORDER BY position").bind(&ente.0).fetch_all(&mut *conn).await?;
    rows.iter().map(|r| Ok(Dimension { id: text(r, "id")?, code: text(r, "code")?, name: text(r, "name")?, position: int(r, "position")? })).collect()
}

pub async fn insert_dimension(conn: &mut Conn, ente: &EnteId, d: &Dimension) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO dimension (id, ente_id, code, name, position) VALUES ($1, $2, $3, $4, $5)")
        .bind(&d.id)
        .bind(&ente.0)
        .bind(&d.code)
        .bind(&d.name)
        .bind(d.position)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn ambiti(conn: &mut Conn, ente: &EnteId) -> Result<Vec<Ambito>, StoreError> {
    let rows = sqlx::query("SELECT id, dimension_id, code, name, position FROM ambito WHERE ente_id = $1 ORDER BY position")
        .bind(&ente.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Ambito {
                id: text(r, "id")?,
                dimension_id: text(r, "dimension_id")?,
                code: text(r, "code")?,
                name: text(r, "name")?,
                position: int(r, "position")?,
            })
        })
        .collect()
}

pub async fn insert_ambito(conn: &mut Conn, ente: &EnteId, a: &Ambito) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO ambito (id, ente_id, dimension_id, code, name, position) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&a.id)
        .bind(&ente.0)
        .bind(&a.dimension_id)
        .bind(&a.code)
        .bind(&a.name)
        .bind(a.position)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ---- objectives

const OBJECTIVE_COLUMNS: &str = "id, cycle_id, code, title, description, dimension_id, ambito_id, unit_id, person_id, parent_id, weight, dup_id, tags, starts, ends, state, override_score, override_reason, not_assessable, position";

fn objective_from_row(r: &sqlx::any::AnyRow) -> Result<Objective, StoreError> {
    Ok(Objective {
        id: text(r, "id")?,
        cycle_id: text(r, "cycle_id")?,
        code: text(r, "code")?,
        title: text(r, "title")?,
        description: opt_text(r, "description")?,
        dimension_id: text(r, "dimension_id")?,
        ambito_id: opt_text(r, "ambito_id")?,
        unit_id: opt_text(r, "unit_id")?,
        person_id: opt_text(r, "person_id")?,
        parent_id: opt_text(r, "parent_id")?,
        weight: decimal(r, "objective", "weight")?,
        dup_id: opt_text(r, "dup_id")?,
        tags: tags(&text(r, "tags")?),
        starts: opt_date(r, "objective", "starts")?,
        ends: opt_date(r, "objective", "ends")?,
        state: coded(r, "objective", "state", |s| State::parse(s).ok_or(()))?,
        override_score: opt_decimal(r, "objective", "override_score")?,
        override_reason: opt_text(r, "override_reason")?,
        not_assessable: opt_text(r, "not_assessable")?,
        position: int(r, "position")?,
    })
}

pub async fn objectives(conn: &mut Conn, ente: &EnteId, cycle_id: &str) -> Result<Vec<Objective>, StoreError> {
    let rows = sqlx::query(sql(format!("SELECT {OBJECTIVE_COLUMNS} FROM objective WHERE ente_id = $1 AND cycle_id = $2 ORDER BY position, code")))
        .bind(&ente.0)
        .bind(cycle_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(objective_from_row).collect()
}

/// Inserts the objective, or rewrites the one with the same id.
pub async fn save_objective(conn: &mut Conn, ente: &EnteId, o: &Objective, new: bool) -> Result<(), StoreError> {
    let q = if new {
        format!(
            "INSERT INTO objective (ente_id, {OBJECTIVE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)"
        )
    } else {
        "UPDATE objective SET cycle_id = $3, code = $4, title = $5, description = $6, dimension_id = $7, ambito_id = $8, unit_id = $9,
                person_id = $10, parent_id = $11, weight = $12, dup_id = $13, tags = $14, starts = $15, ends = $16, state = $17,
                override_score = $18, override_reason = $19, not_assessable = $20, position = $21
         WHERE ente_id = $1 AND id = $2"
            .to_string()
    };
    sqlx::query(sql(q))
        .bind(&ente.0)
        .bind(&o.id)
        .bind(&o.cycle_id)
        .bind(&o.code)
        .bind(&o.title)
        .bind(o.description.as_deref())
        .bind(&o.dimension_id)
        .bind(o.ambito_id.as_deref())
        .bind(o.unit_id.as_deref())
        .bind(o.person_id.as_deref())
        .bind(o.parent_id.as_deref())
        .bind(o.weight.to_string())
        .bind(o.dup_id.as_deref())
        .bind(o.tags.join(","))
        .bind(o.starts.map(iso))
        .bind(o.ends.map(iso))
        .bind(o.state.code())
        .bind(o.override_score.map(|d| d.to_string()))
        .bind(o.override_reason.as_deref())
        .bind(o.not_assessable.as_deref())
        .bind(o.position)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ---- KPIs

const KPI_COLUMNS: &str = "id, cycle_id, objective_id, code, name, nature, measure, direction, unit_label, baseline, weight, aggregation, periodicity, formula, rule, owner_unit_id, source, position";

fn kpi_from_row(r: &sqlx::any::AnyRow) -> Result<Kpi, StoreError> {
    Ok(Kpi {
        id: text(r, "id")?,
        cycle_id: text(r, "cycle_id")?,
        objective_id: text(r, "objective_id")?,
        code: text(r, "code")?,
        name: text(r, "name")?,
        nature: opt_text(r, "nature")?,
        measure: coded(r, "kpi", "measure", Measure::parse)?,
        direction: coded(r, "kpi", "direction", Direction::parse)?,
        unit_label: opt_text(r, "unit_label")?,
        baseline: opt_text(r, "baseline")?,
        weight: decimal(r, "kpi", "weight")?,
        aggregation: coded(r, "kpi", "aggregation", Aggregation::parse)?,
        periodicity: text(r, "periodicity")?,
        formula: opt_text(r, "formula")?,
        rule: coded(r, "kpi", "rule", |s| serde_json::from_str::<Rule>(s))?,
        owner_unit_id: opt_text(r, "owner_unit_id")?,
        source: opt_text(r, "source")?,
        position: int(r, "position")?,
    })
}

/// Moves every objective of a cycle to `state` (the close moves them all to `chiuso`).
pub async fn set_state_of_cycle(conn: &mut Conn, ente: &EnteId, cycle_id: &str, state: State) -> Result<(), StoreError> {
    sqlx::query("UPDATE objective SET state = $1 WHERE ente_id = $2 AND cycle_id = $3")
        .bind(state.code())
        .bind(&ente.0)
        .bind(cycle_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn kpis(conn: &mut Conn, ente: &EnteId, cycle_id: &str) -> Result<Vec<Kpi>, StoreError> {
    let rows = sqlx::query(sql(format!("SELECT {KPI_COLUMNS} FROM kpi WHERE ente_id = $1 AND cycle_id = $2 ORDER BY position, code")))
        .bind(&ente.0)
        .bind(cycle_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(kpi_from_row).collect()
}

pub async fn save_kpi(conn: &mut Conn, ente: &EnteId, k: &Kpi, new: bool) -> Result<(), StoreError> {
    let q = if new {
        format!("INSERT INTO kpi (ente_id, {KPI_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)")
    } else {
        "UPDATE kpi SET cycle_id = $3, objective_id = $4, code = $5, name = $6, nature = $7, measure = $8, direction = $9, unit_label = $10,
                baseline = $11, weight = $12, aggregation = $13, periodicity = $14, formula = $15, rule = $16, owner_unit_id = $17,
                source = $18, position = $19
         WHERE ente_id = $1 AND id = $2"
            .to_string()
    };
    let rule = serde_json::to_string(&k.rule).map_err(|e| StoreError::Corrupt { table: "kpi", column: "rule", value: e.to_string() })?;
    sqlx::query(sql(q))
        .bind(&ente.0)
        .bind(&k.id)
        .bind(&k.cycle_id)
        .bind(&k.objective_id)
        .bind(&k.code)
        .bind(&k.name)
        .bind(k.nature.as_deref())
        .bind(k.measure.code())
        .bind(k.direction.code())
        .bind(k.unit_label.as_deref())
        .bind(k.baseline.as_deref())
        .bind(k.weight.to_string())
        .bind(k.aggregation.code())
        .bind(&k.periodicity)
        .bind(k.formula.as_deref())
        .bind(rule)
        .bind(k.owner_unit_id.as_deref())
        .bind(k.source.as_deref())
        .bind(k.position)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ---- targets

pub async fn targets(conn: &mut Conn, ente: &EnteId, cycle_id: &str) -> Result<Vec<Target>, StoreError> {
    let rows = sqlx::query(
        "SELECT t.kpi_id, t.year, t.period_end, t.value FROM kpi_target t JOIN kpi k ON k.id = t.kpi_id
         WHERE t.ente_id = $1 AND k.cycle_id = $2 ORDER BY t.kpi_id, t.year, t.period_end",
    )
    .bind(&ente.0)
    .bind(cycle_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let pe = text(r, "period_end")?;
            Ok(Target {
                kpi_id: text(r, "kpi_id")?,
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
            .bind(crate::new_id())
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

const MEASUREMENT_COLUMNS: &str = "id, kpi_id, period_end, version, value, note, cause, not_assessable, status, entered_by, entered_at, decided_by, decided_at";

fn measurement_from_row(r: &sqlx::any::AnyRow) -> Result<Measurement, StoreError> {
    Ok(Measurement {
        id: text(r, "id")?,
        kpi_id: text(r, "kpi_id")?,
        period_end: date(r, "measurement", "period_end")?,
        version: int(r, "version")?,
        value: opt_text(r, "value")?,
        note: text(r, "note")?,
        cause: opt_text(r, "cause")?,
        not_assessable: int(r, "not_assessable")? != 0,
        status: coded(r, "measurement", "status", |s| ValueStatus::parse(s).ok_or(()))?,
        entered_by: text(r, "entered_by")?,
        entered_at: text(r, "entered_at")?,
        decided_by: opt_text(r, "decided_by")?,
        decided_at: opt_text(r, "decided_at")?,
    })
}

/// Every version of every measurement of the cycle's KPIs, by KPI, period and version.
/// The latest version of one KPI's value for one period. On PostgreSQL the KPI's row is locked
/// until the transaction ends, so that two people saving the same value at once write versions
/// one after the other instead of the same version twice (SQLite's writers are one at a time).
pub async fn latest_measurement_locked(conn: &mut Conn, ente: &EnteId, kpi_id: &str, period_end: NaiveDate) -> Result<Option<Measurement>, StoreError> {
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT id FROM kpi WHERE id = $1 AND ente_id = $2 FOR UPDATE").bind(kpi_id).bind(&ente.0).execute(&mut *conn).await?;
    }
    let row = sqlx::query(sql(format!(
        "SELECT {MEASUREMENT_COLUMNS} FROM measurement WHERE ente_id = $1 AND kpi_id = $2 AND period_end = $3 ORDER BY version DESC LIMIT 1"
    )))
    .bind(&ente.0)
    .bind(kpi_id)
    .bind(period_end.format("%Y-%m-%d").to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(measurement_from_row).transpose()
}

pub async fn measurements(conn: &mut Conn, ente: &EnteId, cycle_id: &str) -> Result<Vec<Measurement>, StoreError> {
    let cols = MEASUREMENT_COLUMNS.split(", ").map(|c| format!("m.{c}")).collect::<Vec<_>>().join(", ");
    let rows = sqlx::query(sql(format!(
        "SELECT {cols} FROM measurement m JOIN kpi k ON k.id = m.kpi_id
         WHERE m.ente_id = $1 AND k.cycle_id = $2 ORDER BY m.kpi_id, m.period_end, m.version"
    )))
    .bind(&ente.0)
    .bind(cycle_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(measurement_from_row).collect()
}

/// The approved versions of every measurement of the cycle, by KPI, period and version.
pub async fn approved_values(conn: &mut Conn, ente: &EnteId, cycle_id: &str) -> Result<Vec<ApprovedValue>, StoreError> {
    let rows = sqlx::query(
        "SELECT m.kpi_id, m.period_end, m.version, m.value, m.not_assessable, m.note FROM measurement m JOIN kpi k ON k.id = m.kpi_id
         WHERE m.ente_id = $1 AND k.cycle_id = $2 AND m.status = 'approved' ORDER BY m.kpi_id, m.period_end, m.version",
    )
    .bind(&ente.0)
    .bind(cycle_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ApprovedValue {
                kpi_id: text(r, "kpi_id")?,
                period_end: date(r, "measurement", "period_end")?,
                version: int(r, "version")?,
                value: opt_text(r, "value")?,
                not_assessable: int(r, "not_assessable")? != 0,
                note: text(r, "note")?,
            })
        })
        .collect()
}

pub async fn insert_measurement(conn: &mut Conn, ente: &EnteId, m: &Measurement) -> Result<(), StoreError> {
    sqlx::query(sql(format!("INSERT INTO measurement (ente_id, {MEASUREMENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)")))
        .bind(&ente.0)
        .bind(&m.id)
        .bind(&m.kpi_id)
        .bind(iso(m.period_end))
        .bind(m.version)
        .bind(m.value.as_deref())
        .bind(&m.note)
        .bind(m.cause.as_deref())
        .bind(i64::from(m.not_assessable))
        .bind(m.status.code())
        .bind(&m.entered_by)
        .bind(&m.entered_at)
        .bind(m.decided_by.as_deref())
        .bind(m.decided_at.as_deref())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ---- DUP

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DupObjective {
    pub id: String,
    pub code: String,
    /// strategico | operativo
    pub kind: String,
    pub title: String,
    pub description: Option<String>,
    pub missione: Option<String>,
    pub programma: Option<String>,
    pub parent_id: Option<String>,
    pub owner_lineage: Option<String>,
    pub tags: Vec<String>,
}

pub async fn dup_objectives(conn: &mut Conn, ente: &EnteId) -> Result<Vec<DupObjective>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, code, kind, title, description, missione, programma, parent_id, owner_lineage, tags FROM dup_objective WHERE ente_id = $1 ORDER BY code",
    )
    .bind(&ente.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DupObjective {
                id: text(r, "id")?,
                code: text(r, "code")?,
                kind: text(r, "kind")?,
                title: text(r, "title")?,
                description: opt_text(r, "description")?,
                missione: opt_text(r, "missione")?,
                programma: opt_text(r, "programma")?,
                parent_id: opt_text(r, "parent_id")?,
                owner_lineage: opt_text(r, "owner_lineage")?,
                tags: tags(&text(r, "tags")?),
            })
        })
        .collect()
}

pub async fn save_dup_objective(conn: &mut Conn, ente: &EnteId, d: &DupObjective, new: bool) -> Result<(), StoreError> {
    let q = if new {
        "INSERT INTO dup_objective (ente_id, id, code, kind, title, missione, programma, parent_id, owner_lineage, tags, description) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    } else {
        "UPDATE dup_objective SET code = $3, kind = $4, title = $5, missione = $6, programma = $7, parent_id = $8, owner_lineage = $9, tags = $10, description = $11
         WHERE ente_id = $1 AND id = $2"
    };
    sqlx::query(q)
        .bind(&ente.0)
        .bind(&d.id)
        .bind(&d.code)
        .bind(&d.kind)
        .bind(&d.title)
        .bind(d.missione.as_deref())
        .bind(d.programma.as_deref())
        .bind(d.parent_id.as_deref())
        .bind(d.owner_lineage.as_deref())
        .bind(d.tags.join(","))
        .bind(d.description.as_deref())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ---- contributions

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    pub objective_id: String,
    pub unit_id: String,
    pub share: Option<Decimal>,
}

pub async fn contributions(conn: &mut Conn, ente: &EnteId, cycle_id: &str) -> Result<Vec<Contribution>, StoreError> {
    let rows = sqlx::query(
        "SELECT c.objective_id, c.unit_id, c.share FROM objective_contribution c JOIN objective o ON o.id = c.objective_id
         WHERE c.ente_id = $1 AND o.cycle_id = $2 ORDER BY o.position, c.unit_id",
    )
    .bind(&ente.0)
    .bind(cycle_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Contribution { objective_id: text(r, "objective_id")?, unit_id: text(r, "unit_id")?, share: opt_decimal(r, "objective_contribution", "share")? })
        })
        .collect()
}

pub async fn replace_contributions(conn: &mut Conn, ente: &EnteId, objective_id: &str, list: &[Contribution]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM objective_contribution WHERE ente_id = $1 AND objective_id = $2").bind(&ente.0).bind(objective_id).execute(&mut *conn).await?;
    for c in list {
        sqlx::query("INSERT INTO objective_contribution (id, ente_id, objective_id, unit_id, share) VALUES ($1, $2, $3, $4, $5)")
            .bind(crate::new_id())
            .bind(&ente.0)
            .bind(objective_id)
            .bind(&c.unit_id)
            .bind(c.share.map(|s| s.to_string()))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Rewrites the status, decision and note of a measurement version (its value never changes).
pub async fn update_measurement_status(conn: &mut Conn, ente: &EnteId, m: &Measurement) -> Result<(), StoreError> {
    sqlx::query("UPDATE measurement SET status = $3, decided_by = $4, decided_at = $5, note = $6 WHERE ente_id = $1 AND id = $2")
        .bind(&ente.0)
        .bind(&m.id)
        .bind(m.status.code())
        .bind(m.decided_by.as_deref())
        .bind(m.decided_at.as_deref())
        .bind(&m.note)
        .execute(&mut *conn)
        .await?;
    Ok(())
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

/// A file attached to a value, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub id: String,
    pub measurement_id: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
}

const EVIDENCE_COLUMNS: &str = "e.id, e.measurement_id, e.filename, e.content_type, e.size, e.sha256, e.uploaded_by";

fn evidence_from_row(r: &sqlx::any::AnyRow) -> Result<Evidence, StoreError> {
    Ok(Evidence {
        id: text(r, "id")?,
        measurement_id: text(r, "measurement_id")?,
        filename: text(r, "filename")?,
        content_type: text(r, "content_type")?,
        size: int(r, "size")?,
        sha256: text(r, "sha256")?,
        uploaded_by: text(r, "uploaded_by")?,
    })
}

/// Evidence of the cycle's measurements, without the bytes, in the order they came.
pub async fn evidence_list(conn: &mut Conn, ente: &EnteId, cycle_id: &str) -> Result<Vec<Evidence>, StoreError> {
    let rows = sqlx::query(sql(format!(
        "SELECT {EVIDENCE_COLUMNS} FROM evidence e
         JOIN measurement m ON m.id = e.measurement_id JOIN kpi k ON k.id = m.kpi_id
         WHERE e.ente_id = $1 AND k.cycle_id = $2 ORDER BY e.uploaded_at, e.filename"
    )))
    .bind(&ente.0)
    .bind(cycle_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(evidence_from_row).collect()
}

/// The cycle and the unit that measures the KPI an evidence file belongs to (the KPI's owner,
/// else its objective's unit).
pub async fn evidence_place(conn: &mut Conn, ente: &EnteId, id: &str) -> Result<Option<(String, Option<String>)>, StoreError> {
    let row = sqlx::query(
        "SELECT k.cycle_id, COALESCE(k.owner_unit_id, o.unit_id) AS unit_id FROM evidence e
         JOIN measurement m ON m.id = e.measurement_id JOIN kpi k ON k.id = m.kpi_id JOIN objective o ON o.id = k.objective_id
         WHERE e.ente_id = $1 AND e.id = $2",
    )
    .bind(&ente.0)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| Ok((text(&r, "cycle_id")?, opt_text(&r, "unit_id")?))).transpose()
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

pub async fn update_dimension(conn: &mut Conn, ente: &EnteId, d: &Dimension) -> Result<(), StoreError> {
    sqlx::query("UPDATE dimension SET name = $3, position = $4 WHERE ente_id = $1 AND id = $2")
        .bind(&ente.0)
        .bind(&d.id)
        .bind(&d.name)
        .bind(d.position)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn update_ambito(conn: &mut Conn, ente: &EnteId, a: &Ambito) -> Result<(), StoreError> {
    sqlx::query("UPDATE ambito SET name = $3, position = $4 WHERE ente_id = $1 AND id = $2")
        .bind(&ente.0)
        .bind(&a.id)
        .bind(&a.name)
        .bind(a.position)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
