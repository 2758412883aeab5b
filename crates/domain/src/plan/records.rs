//! The plan of a cycle as the database keeps it: dimensions and ambiti, objectives, KPIs,
//! targets and the approved values that scoring reads. Ids link the records to each other;
//! nothing computed from them (scores, hashes, documents) prints an id.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::ids::{KpiId, MeasurementId, ObjectiveId, PersonId, UnitId};
use crate::plan::kpi::{Aggregation, Direction, Measure, Rule};
use crate::plan::value_status::ValueStatus;
use crate::plan::workflow::State;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dimension {
    pub id: String,
    pub code: String,
    pub name: String,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ambito {
    pub id: String,
    pub dimension_id: String,
    pub code: String,
    pub name: String,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Objective {
    pub id: ObjectiveId,
    pub cycle_id: crate::cycle::CycleId,
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    pub dimension_id: String,
    pub ambito_id: Option<String>,
    pub unit_id: Option<UnitId>,
    pub person_id: Option<PersonId>,
    pub parent_id: Option<ObjectiveId>,
    pub weight: Decimal,
    pub dup_id: Option<String>,
    pub tags: Vec<String>,
    pub starts: Option<NaiveDate>,
    pub ends: Option<NaiveDate>,
    pub state: State,
    pub override_score: Option<Decimal>,
    pub override_reason: Option<String>,
    pub not_assessable: Option<String>,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpi {
    pub id: KpiId,
    pub cycle_id: crate::cycle::CycleId,
    pub objective_id: ObjectiveId,
    pub code: String,
    pub name: String,
    pub nature: Option<String>,
    pub measure: Measure,
    pub direction: Direction,
    pub unit_label: Option<String>,
    pub baseline: Option<String>,
    pub weight: Decimal,
    pub aggregation: Aggregation,
    pub periodicity: String,
    pub formula: Option<String>,
    pub rule: Rule,
    pub owner_unit_id: Option<UnitId>,
    pub source: Option<String>,
    pub position: i64,
}

/// A target: of the whole year (`period_end = None`) or of one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub kpi_id: KpiId,
    pub year: i32,
    pub period_end: Option<NaiveDate>,
    pub value: String,
}

/// What scoring reads of a measurement: the approved versions only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApprovedValue {
    pub kpi_id: KpiId,
    pub period_end: NaiveDate,
    pub version: i64,
    pub value: Option<String>,
    pub not_assessable: bool,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measurement {
    pub id: MeasurementId,
    pub kpi_id: KpiId,
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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    pub objective_id: ObjectiveId,
    pub unit_id: UnitId,
    pub share: Option<Decimal>,
}

/// A file attached to a value, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub id: String,
    pub measurement_id: MeasurementId,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
}
