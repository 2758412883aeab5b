//! The evaluations of a cycle as the API answers them: people named by their matricola, the
//! fields as the columns of `import valutazioni`; for the same people the evaluation pages show
//! the actor (those they evaluate, or everyone for the administrators).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use traguardi_domain::ids::PersonId;
use traguardi_store::{Store, people};

use crate::pay::evaluations::{self, Evaluee, Filled};
use crate::{Actor, AppError, org::enti};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvaluationView {
    pub matricola: String,
    pub nome: String,
    pub categoria: &'static str,
    pub struttura: String,
    /// Whether an evaluation is recorded (the fields below are empty when not).
    pub registrata: bool,
    /// Results of the objectives, 0–100 (none: taken from the plan).
    pub risultati: Option<Decimal>,
    /// Behaviours, 0–100.
    pub comportamenti: Option<Decimal>,
    /// Each behaviour's score on the cycle's scale, by code.
    pub voci: BTreeMap<String, Decimal>,
    /// The evaluator's and reviewer's matricola.
    pub valutatore: Option<String>,
    pub revisore: Option<String>,
    pub colloquio_iniziale: Option<NaiveDate>,
    pub colloquio_intermedio: Option<NaiveDate>,
    pub colloquio_finale: Option<NaiveDate>,
    pub firmata_il: Option<NaiveDate>,
    pub contestata_il: Option<NaiveDate>,
    pub conciliazione: Option<String>,
    pub punteggio_conciliato: Option<Decimal>,
    pub note: Option<String>,
}

fn view(e: Evaluee, matricola: &HashMap<PersonId, String>) -> EvaluationView {
    let r = e.evaluation.unwrap_or_default();
    let who = |id: &Option<PersonId>| id.as_ref().and_then(|id| matricola.get(id)).cloned();
    EvaluationView {
        registrata: !r.person_id.as_str().is_empty(),
        matricola: e.matricola,
        nome: e.name,
        categoria: e.category.code(),
        struttura: e.unit,
        risultati: r.results.map(|d| d.normalize()),
        comportamenti: r.behaviours.map(|d| d.normalize()),
        voci: r.items.iter().map(|(c, v)| (c.clone(), v.normalize())).collect(),
        valutatore: who(&r.evaluator_id),
        revisore: who(&r.reviewer_id),
        colloquio_iniziale: r.interview_start,
        colloquio_intermedio: r.interview_mid,
        colloquio_finale: r.interview_final,
        firmata_il: r.signed_on,
        contestata_il: r.contested_on,
        conciliazione: r.conciliation,
        punteggio_conciliato: r.conciliated.map(|d| d.normalize()),
        note: r.note,
    }
}

/// The evaluations of the people the actor evaluates, by matricola.
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn of_cycle(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32) -> Result<Vec<EvaluationView>, AppError> {
    let evaluees = evaluations::to_evaluate(store, actor, ente_code, year).await?;
    let mut conn = store.acquire().await?;
    let ente = enti::resolve(&mut conn, ente_code).await?;
    let matricola: HashMap<PersonId, String> = people::persons(&mut conn, &ente.id).await?.into_iter().map(|p| (p.id, p.matricola)).collect();
    let mut out: Vec<EvaluationView> = evaluees.into_iter().map(|e| view(e, &matricola)).collect();
    out.sort_by(|a, b| a.matricola.cmp(&b.matricola));
    Ok(out)
}

/// Records an evaluation as the form does, and answers it as [`of_cycle`] lists it.
pub async fn evaluate(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32, matricola: &str, filled: &Filled) -> Result<EvaluationView, AppError> {
    evaluations::evaluate(store, actor, ente_code, year, matricola, filled).await?;
    of_cycle(store, actor, ente_code, year)
        .await?
        .into_iter()
        .find(|e| e.matricola == matricola)
        .ok_or_else(|| AppError::NotFound(traguardi_domain::said!("nessuna persona con matricola {matricola} in servizio nel {year}", matricola, year)))
}
