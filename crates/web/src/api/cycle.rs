//! The cycle's steps for scripts (SPEC §5), the same use cases as the command line: acts, the
//! objectives' workflow, values and their approval, rimodulazioni, the Relazione's path, the
//! NIV's sample, reminders, the close and its verification, corrections, the audit trail.
//! Every step that changes data needs a token and is recorded in the audit trail as its account.
//! Field names follow the command line's flags (`docs/api.md`).

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use traguardi_app::import_plan::Counts;
use traguardi_app::measurements::{self, At, Decision, Entry};
use traguardi_app::monitoring::{self, Reminder, Sent};
use traguardi_app::workflow::{self, Move, Moved};
use traguardi_app::{AppError, audit, close, enti, import_acts, niv, payouts, revisions};
use traguardi_docs::table::ReadOptions;
use traguardi_domain::plan::workflow::{STATES, State as Stage};
use traguardi_domain::{Problem, ProblemKind};
use traguardi_store::audit::AuditRecord;

use super::{ApiError, Body, Caller};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    let cycle = "/api/v1/enti/{code}/cicli/{year}";
    Router::new()
        .route("/api/v1/enti/{code}/atti", post(import_acts))
        .route(&format!("{cycle}/stato"), post(move_objectives))
        .route(&format!("{cycle}/valori"), post(enter_value))
        .route(&format!("{cycle}/valori/decisione"), post(decide_value))
        .route(&format!("{cycle}/rimodulazioni"), get(revisions_of).post(revise))
        .route(&format!("{cycle}/relazione"), post(relazione))
        .route(&format!("{cycle}/niv/campione"), post(niv_sample))
        .route(&format!("{cycle}/solleciti"), post(remind))
        .route(&format!("{cycle}/chiusura"), post(close_cycle))
        .route(&format!("{cycle}/chiusura/verifica"), get(verify_close))
        .route(&format!("{cycle}/correzioni"), get(corrections_of).post(correct))
        .route(&format!("{cycle}/audit"), get(audit_trail))
}

type Answer<T> = Result<Json<T>, ApiError>;

fn invalid(field: &str, kind: ProblemKind) -> AppError {
    AppError::Invalid(Problem { row: None, column: Some(field.into()), kind }.into())
}

fn date(field: &str, text: &str) -> Result<NaiveDate, AppError> {
    traguardi_domain::value::parse_date(text).map_err(|k| invalid(field, k))
}

#[derive(Deserialize)]
struct DryRun {
    #[serde(default)]
    prova: bool,
}

/// Registers acts from a CSV body (the columns of `traguardi import atti`); `?prova=true` checks
/// without writing.
async fn import_acts(
    State(s): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Query(q): Query<DryRun>,
    body: Result<Bytes, BytesRejection>,
) -> Answer<Counts> {
    let actor = caller.signed_in()?;
    let body = body.map_err(|r| ApiError::Plain(r.status(), "Richiesta non valida", format!("corpo non leggibile: {}", r.body_text())))?;
    let ente = enti::find(&s.store, Some(&code)).await?;
    Ok(Json(import_acts::import_acts(&s.store, &actor, &ente, &body, ReadOptions::default(), q.prova).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MoveRequest {
    stato: String,
    /// Objective codes; none: every objective of the cycle.
    #[serde(default)]
    obiettivi: Vec<String>,
    atto: Option<String>,
    nota: Option<String>,
}

/// Moves objectives along their workflow (`traguardi plan stato`).
async fn move_objectives(State(s): State<AppState>, caller: Caller, Path((code, year)): Path<(String, i32)>, Body(r): Body<MoveRequest>) -> Answer<Moved> {
    let actor = caller.signed_in()?;
    let ente = enti::find(&s.store, Some(&code)).await?;
    let to = Stage::parse(&r.stato)
        .ok_or_else(|| invalid("stato", ProblemKind::NotOneOf { value: r.stato.clone(), allowed: STATES.iter().map(|s| s.code().to_string()).collect() }))?;
    let m = Move { codes: &r.obiettivi, to, act: r.atto.as_deref(), note: r.nota.as_deref() };
    Ok(Json(workflow::transition(&s.store, &actor, &ente, year, m).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValueRequest {
    kpi: String,
    /// The period's end, `GG/MM/AAAA` or `AAAA-MM-GG`.
    data: String,
    #[serde(default)]
    valore: String,
    #[serde(default)]
    nota: String,
    causa: Option<String>,
    #[serde(default)]
    non_valutabile: bool,
    /// Submit for approval now.
    #[serde(default)]
    invia: bool,
    /// The version read before editing: a value changed since is a conflict (409).
    versione: Option<i64>,
}

/// Enters a value (`traguardi measurement enter`).
async fn enter_value(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, year)): Path<(String, i32)>,
    Body(r): Body<ValueRequest>,
) -> Answer<traguardi_store::plan::Measurement> {
    let actor = caller.signed_in()?;
    let ente = enti::find(&s.store, Some(&code)).await?;
    let entry = Entry {
        period_end: date("data", &r.data)?,
        kpi: r.kpi,
        value: r.valore,
        note: r.nota,
        cause: r.causa,
        not_assessable: r.non_valutabile,
        submit: r.invia,
        based_on: r.versione,
    };
    Ok(Json(measurements::enter(&s.store, &actor, &ente, year, &entry).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionRequest {
    kpi: String,
    data: String,
    /// invia | approva | restituisci
    decisione: String,
    nota: Option<String>,
}

/// Submits, approves or returns the latest version of a value.
async fn decide_value(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, year)): Path<(String, i32)>,
    Body(r): Body<DecisionRequest>,
) -> Answer<traguardi_store::plan::Measurement> {
    let actor = caller.signed_in()?;
    let ente = enti::find(&s.store, Some(&code)).await?;
    let decision = match r.decisione.as_str() {
        "invia" => Decision::Submit,
        "approva" => Decision::Approve,
        "restituisci" => Decision::Return,
        other => {
            let allowed = ["invia", "approva", "restituisci"].map(String::from).to_vec();
            return Err(invalid("decisione", ProblemKind::NotOneOf { value: other.into(), allowed }).into());
        }
    };
    let at = At { year, kpi: &r.kpi, period_end: date("data", &r.data)? };
    Ok(Json(measurements::decide(&s.store, &actor, &ente, at, decision, r.nota.as_deref()).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RevisionRequest {
    obiettivo: Option<String>,
    kpi: Option<String>,
    /// target | peso | descrizione | rimozione
    campo: String,
    valore: Option<String>,
    motivo: String,
    atto: String,
    /// The day it takes effect.
    dal: String,
}

/// A rimodulazione with its act (`traguardi plan rimodula`).
async fn revise(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, year)): Path<(String, i32)>,
    Body(r): Body<RevisionRequest>,
) -> Answer<revisions::Revised> {
    let actor = caller.signed_in()?;
    let ente = enti::find(&s.store, Some(&code)).await?;
    let request = revisions::Request {
        objective: r.obiettivo.as_deref(),
        kpi: r.kpi.as_deref(),
        field: &r.campo,
        value: r.valore.as_deref(),
        reason: &r.motivo,
        act: &r.atto,
        effective_on: date("dal", &r.dal)?,
    };
    Ok(Json(revisions::revise(&s.store, &actor, &ente, year, request).await?))
}

async fn revisions_of(State(s): State<AppState>, caller: Caller, Path((code, year)): Path<(String, i32)>) -> Answer<Vec<traguardi_store::revisions::Revision>> {
    let actor = caller.signed_in()?;
    let ente = enti::find(&s.store, Some(&code)).await?;
    Ok(Json(revisions::of_cycle(&s.store, &actor, &ente, year).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelazioneRequest {
    /// approvata | validata | pubblicata
    stato: String,
    atto: Option<String>,
    /// The day of the step; today when absent.
    data: Option<String>,
    nota: Option<String>,
}

/// One step of the Relazione sulla Performance (`traguardi relazione`).
async fn relazione(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, year)): Path<(String, i32)>,
    Body(r): Body<RelazioneRequest>,
) -> Answer<traguardi_store::pay::Relazione> {
    let actor = caller.signed_in()?;
    let on = match r.data.as_deref() {
        Some(d) => date("data", d)?,
        None => chrono::Local::now().date_naive(),
    };
    let step = payouts::RelazioneStep { to: &r.stato, act: r.atto.as_deref(), on, note: r.nota.as_deref() };
    Ok(Json(payouts::relazione_step(&s.store, &actor, Some(&code), year, step).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SampleRequest {
    percentuale: Decimal,
    seme: Option<u64>,
}

/// The NIV's sample of evidence (`traguardi niv campione`): the same seed draws the same sample.
async fn niv_sample(State(s): State<AppState>, caller: Caller, Path((code, year)): Path<(String, i32)>, Body(r): Body<SampleRequest>) -> Answer<niv::Sample> {
    let actor = caller.signed_in()?;
    let ente = enti::find(&s.store, Some(&code)).await?;
    Ok(Json(niv::sample(&s.store, &actor, &ente, year, r.percentuale, r.seme).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RemindRequest {
    /// The day taken as today (`GG/MM/AAAA`); today when absent.
    oggi: Option<String>,
    /// Only say who would be reminded.
    #[serde(default)]
    prova: bool,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Reminded {
    Trial { solleciti: Vec<Reminder>, senza_responsabile: Vec<String> },
    Sent(Sent),
}

/// Reminders of late values (`traguardi remind`), in-app and by e-mail through `TRAGUARDI_SMTP`.
async fn remind(State(s): State<AppState>, caller: Caller, Path((code, year)): Path<(String, i32)>, Body(r): Body<RemindRequest>) -> Answer<Reminded> {
    let actor = caller.signed_in()?;
    let today = match r.oggi.as_deref() {
        Some(d) => date("oggi", d)?,
        None => chrono::Local::now().date_naive(),
    };
    if r.prova {
        let late = monitoring::late_values(&s.store, &actor, Some(&code), year, today).await?;
        let (solleciti, senza_responsabile) = monitoring::reminders(&late);
        return Ok(Json(Reminded::Trial { solleciti, senza_responsabile }));
    }
    let smtp = traguardi_app::mail::SmtpConfig::from_env()?;
    Ok(Json(Reminded::Sent(monitoring::send_reminders(&s.store, &actor, Some(&code), year, today, smtp.as_ref()).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CloseRequest {
    /// Close although objectives are not validated by the NIV; needs `motivo`.
    #[serde(default)]
    forza: bool,
    motivo: Option<String>,
}

/// The year-end close (`traguardi close`): the snapshot's SHA-256.
async fn close_cycle(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, year)): Path<(String, i32)>,
    Body(r): Body<CloseRequest>,
) -> Answer<close::CloseReport> {
    let actor = caller.signed_in()?;
    let ente = enti::find(&s.store, Some(&code)).await?;
    let force = match (r.forza, r.motivo.as_deref().map(str::trim)) {
        (true, Some(m)) if !m.is_empty() => Some(m),
        (true, _) => return Err(invalid("motivo", ProblemKind::Required).into()),
        (false, _) => None,
    };
    Ok(Json(close::close(&s.store, &actor, &ente, year, force).await?))
}

#[derive(Serialize)]
struct Verified {
    integra: bool,
    sha256: String,
}

/// Recomputes the snapshot (`traguardi close --verify`): 200 when intact, 409 naming what changed.
async fn verify_close(State(s): State<AppState>, caller: Caller, Path((code, year)): Path<(String, i32)>) -> Answer<Verified> {
    let actor = caller.signed_in()?;
    let ente = enti::find(&s.store, Some(&code)).await?;
    match close::verify(&s.store, &actor, &ente, year).await {
        Ok(sha256) => Ok(Json(Verified { integra: true, sha256 })),
        Err(AppError::Refused(m)) => Err(ApiError::Plain(StatusCode::CONFLICT, "Istantanea alterata", m)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CorrectionRequest {
    oggetto: String,
    originale: String,
    corretto: String,
    motivo: String,
    atto: Option<String>,
}

/// A correction after the close (`traguardi correzione`), referencing the snapshot.
async fn correct(
    State(s): State<AppState>,
    caller: Caller,
    Path((code, year)): Path<(String, i32)>,
    Body(r): Body<CorrectionRequest>,
) -> Answer<traguardi_store::close::Correction> {
    let actor = caller.signed_in()?;
    let ente = enti::find(&s.store, Some(&code)).await?;
    let request = close::CorrectionRequest { subject: &r.oggetto, before: &r.originale, after: &r.corretto, reason: &r.motivo, act: r.atto.as_deref() };
    Ok(Json(close::correct(&s.store, &actor, &ente, year, request).await?))
}

async fn corrections_of(State(s): State<AppState>, caller: Caller, Path((code, year)): Path<(String, i32)>) -> Answer<Vec<traguardi_store::close::Correction>> {
    let actor = caller.signed_in()?;
    let ente = enti::find(&s.store, Some(&code)).await?;
    Ok(Json(close::corrections(&s.store, &actor, &ente, year).await?))
}

#[derive(Serialize)]
struct Trail {
    /// Whether the whole chain of the ente checks out, and why not.
    integro: bool,
    errore: Option<String>,
    registrazioni: Vec<AuditRecord>,
}

/// The cycle's audit trail (`traguardi audit --cycle`), with the check of the ente's chain.
async fn audit_trail(State(s): State<AppState>, caller: Caller, Path((code, year)): Path<(String, i32)>) -> Answer<Trail> {
    let actor = caller.signed_in()?;
    let t = audit::trail(&s.store, &actor, Some(&code), Some(year)).await?;
    Ok(Json(Trail { integro: t.verified.is_ok(), errore: t.verified.err(), registrazioni: t.records }))
}
