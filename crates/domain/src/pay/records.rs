//! What the premi read besides the plan, as the database keeps it: absences, individual
//! evaluations and the fondo risorse decentrate.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::ids::PersonId;
use crate::pay::fund::FundItem;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AbsenceRow {
    pub person_id: PersonId,
    pub cause: String,
    pub days: Decimal,
}

/// An individual evaluation (SPEC §2 `Evaluation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct EvaluationRow {
    pub person_id: PersonId,
    pub evaluator_id: Option<PersonId>,
    pub reviewer_id: Option<PersonId>,
    /// Results of the objectives, 0–100 (`None`: taken from the plan).
    pub results: Option<Decimal>,
    /// Behaviours, 0–100.
    pub behaviours: Option<Decimal>,
    pub interview_start: Option<NaiveDate>,
    pub interview_mid: Option<NaiveDate>,
    pub interview_final: Option<NaiveDate>,
    pub signed_on: Option<NaiveDate>,
    pub contested_on: Option<NaiveDate>,
    /// confermata | modificata
    pub conciliation: Option<String>,
    /// The score agreed in conciliation, replacing the computed one.
    pub conciliated: Option<Decimal>,
    pub note: Option<String>,
    /// Each behaviour's score on the cycle's scale, by code (the `behaviours` score derives
    /// from them when present).
    pub items: Vec<(String, Decimal)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fund {
    pub cap: Option<crate::money::Cents>,
    pub certified_by: Option<String>,
    pub certified_on: Option<NaiveDate>,
    pub items: Vec<FundItem>,
}
