//! The cycle's steps for scripts (SPEC §5), the same use cases as the command line: the
//! objectives' workflow, values and their approval, rimodulazioni, the Relazione's path, the
//! NIV's sample, reminders, the close and its verification, corrections, the audit trail.
//! Every step that changes data needs a token and is recorded in the audit trail as its account.
//! Field names follow the command line's flags (`docs/api.md`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use traguardi_app::cycle::workflow::{self, Move, Moved};
use traguardi_app::plan::measurements::{self, At, Decision, Entry};
use traguardi_app::plan::monitoring::{self, Reminder, Sent};
use traguardi_app::views;
use traguardi_app::{AppError, accounts::audit, cycle::close, cycle::niv, cycle::revisions, org::enti};
use traguardi_domain::plan::workflow::{STATES, State as Stage};
use traguardi_domain::said;
use traguardi_domain::{Problem, ProblemKind};

use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, Body, CyclePath, Errors, Signed};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(move_objectives))
        .routes(routes!(enter_value))
        .routes(routes!(decide_value))
        .routes(routes!(revisions_of, revise))
        .routes(routes!(relazione))
        .routes(routes!(niv_sample))
        .routes(routes!(remind))
        .routes(routes!(close_cycle))
        .routes(routes!(verify_close))
        .routes(routes!(corrections_of, correct))
        .routes(routes!(audit_trail))
}

type Answer<T> = Result<Json<T>, ApiError>;

fn invalid(field: &str, kind: ProblemKind) -> AppError {
    AppError::Invalid(Problem { row: None, column: Some(field.into()), kind }.into())
}

fn date(field: &str, text: &str) -> Result<NaiveDate, AppError> {
    traguardi_domain::value::parse_date(text).map_err(|k| invalid(field, k))
}

#[derive(Deserialize, ToSchema)]
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
#[utoipa::path(post, path = "/api/v1/enti/{code}/cicli/{year}/stato", tag = "ciclo", params(CyclePath), request_body = MoveRequest, security(("token" = [])),
    responses((status = 200, description = "done", body = Object), Errors))]
async fn move_objectives(
    State(s): State<AppState>,
    Signed(actor): Signed,
    Path(CyclePath { code, year }): Path<CyclePath>,
    Body(r): Body<MoveRequest>,
) -> Answer<Moved> {
    let ente = enti::find(&s.store, Some(&code)).await?;
    let to = Stage::parse(&r.stato)
        .ok_or_else(|| invalid("stato", ProblemKind::NotOneOf { value: r.stato.clone(), allowed: STATES.iter().map(|s| s.code().to_string()).collect() }))?;
    let m = Move { codes: &r.obiettivi, to, act: r.atto.as_deref(), note: r.nota.as_deref() };
    Ok(Json(workflow::transition(&s.store, &actor, &ente, year, m).await?))
}

#[derive(Deserialize, ToSchema)]
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
#[utoipa::path(post, path = "/api/v1/enti/{code}/cicli/{year}/valori", tag = "ciclo", params(CyclePath), request_body = ValueRequest, security(("token" = [])),
    responses((status = 200, description = "done", body = Object), Errors))]
async fn enter_value(
    State(s): State<AppState>,
    Signed(actor): Signed,
    Path(CyclePath { code, year }): Path<CyclePath>,
    Body(r): Body<ValueRequest>,
) -> Answer<views::Value> {
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct DecisionRequest {
    kpi: String,
    data: String,
    /// invia | approva | restituisci
    decisione: String,
    nota: Option<String>,
}

/// Submits, approves or returns the latest version of a value.
#[utoipa::path(post, path = "/api/v1/enti/{code}/cicli/{year}/valori/decisione", tag = "ciclo", params(CyclePath), request_body = DecisionRequest, security(("token" = [])),
    responses((status = 200, description = "done", body = Object), Errors))]
async fn decide_value(
    State(s): State<AppState>,
    Signed(actor): Signed,
    Path(CyclePath { code, year }): Path<CyclePath>,
    Body(r): Body<DecisionRequest>,
) -> Answer<views::Value> {
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

#[derive(Deserialize, ToSchema)]
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
#[utoipa::path(post, path = "/api/v1/enti/{code}/cicli/{year}/rimodulazioni", tag = "ciclo", params(CyclePath), request_body = RevisionRequest, security(("token" = [])),
    responses((status = 200, description = "done", body = Object), Errors))]
async fn revise(
    State(s): State<AppState>,
    Signed(actor): Signed,
    Path(CyclePath { code, year }): Path<CyclePath>,
    Body(r): Body<RevisionRequest>,
) -> Answer<revisions::Revised> {
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

#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/rimodulazioni", tag = "ciclo", params(CyclePath), security(("token" = [])),
    responses((status = 200, description = "the cycle's rimodulazioni, oldest first", body = [Object]), Errors))]
async fn revisions_of(State(s): State<AppState>, Signed(actor): Signed, Path(CyclePath { code, year }): Path<CyclePath>) -> Answer<Vec<views::Revision>> {
    actor.require(traguardi_app::accounts::access::Right::ReadEnte, said!("leggere le rimodulazioni dell'ente"))?;
    let ente = enti::find(&s.store, Some(&code)).await?;
    Ok(Json(revisions::of_cycle(&s.store, &actor, &ente, year).await?))
}

#[derive(Deserialize, ToSchema)]
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
#[utoipa::path(post, path = "/api/v1/enti/{code}/cicli/{year}/relazione", tag = "ciclo", params(CyclePath), request_body = RelazioneRequest, security(("token" = [])),
    responses((status = 200, description = "done", body = Object), Errors))]
async fn relazione(
    State(s): State<AppState>,
    Signed(actor): Signed,
    Path(CyclePath { code, year }): Path<CyclePath>,
    Body(r): Body<RelazioneRequest>,
) -> Answer<traguardi_domain::pay::relazione::Relazione> {
    let on = match r.data.as_deref() {
        Some(d) => date("data", d)?,
        None => chrono::Local::now().date_naive(),
    };
    let step = traguardi_app::pay::relazione::RelazioneStep { to: &r.stato, act: r.atto.as_deref(), on, note: r.nota.as_deref() };
    Ok(Json(traguardi_app::pay::relazione::relazione_step(&s.store, &actor, Some(&code), year, step).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct SampleRequest {
    /// A number or a string, e.g. 5 or "2,5".
    #[schema(value_type = String)]
    percentuale: Decimal,
    seme: Option<u64>,
}

/// The NIV's sample of evidence (`traguardi niv campione`): the same seed draws the same sample.
#[utoipa::path(post, path = "/api/v1/enti/{code}/cicli/{year}/niv/campione", tag = "ciclo", params(CyclePath), request_body = SampleRequest, security(("token" = [])),
    responses((status = 200, description = "done", body = Object), Errors))]
async fn niv_sample(
    State(s): State<AppState>,
    Signed(actor): Signed,
    Path(CyclePath { code, year }): Path<CyclePath>,
    Body(r): Body<SampleRequest>,
) -> Answer<niv::Sample> {
    let ente = enti::find(&s.store, Some(&code)).await?;
    Ok(Json(niv::sample(&s.store, &actor, &ente, year, r.percentuale, r.seme).await?))
}

#[derive(Deserialize, ToSchema)]
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
#[utoipa::path(post, path = "/api/v1/enti/{code}/cicli/{year}/solleciti", tag = "ciclo", params(CyclePath), request_body = RemindRequest, security(("token" = [])),
    responses((status = 200, description = "done", body = Object), Errors))]
async fn remind(
    State(s): State<AppState>,
    Signed(actor): Signed,
    Path(CyclePath { code, year }): Path<CyclePath>,
    Body(r): Body<RemindRequest>,
) -> Answer<Reminded> {
    let today = match r.oggi.as_deref() {
        Some(d) => date("oggi", d)?,
        None => chrono::Local::now().date_naive(),
    };
    if r.prova {
        actor.require(traguardi_app::accounts::access::Right::ReadEnte, said!("vedere chi riceverebbe i solleciti"))?;
        let late = monitoring::late_values(&s.store, &actor, Some(&code), year, today).await?;
        let (solleciti, senza_responsabile) = monitoring::reminders(&late);
        return Ok(Json(Reminded::Trial { solleciti, senza_responsabile }));
    }
    Ok(Json(Reminded::Sent(monitoring::send_reminders(&s.store, &actor, Some(&code), year, today, s.smtp.as_ref()).await?)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CloseRequest {
    /// Close although objectives are not validated by the NIV; needs `motivo`.
    #[serde(default)]
    forza: bool,
    motivo: Option<String>,
}

/// The year-end close (`traguardi close`): the snapshot's SHA-256.
#[utoipa::path(post, path = "/api/v1/enti/{code}/cicli/{year}/chiusura", tag = "ciclo", params(CyclePath), request_body = CloseRequest, security(("token" = [])),
    responses((status = 200, description = "done", body = Object), Errors))]
async fn close_cycle(
    State(s): State<AppState>,
    Signed(actor): Signed,
    Path(CyclePath { code, year }): Path<CyclePath>,
    Body(r): Body<CloseRequest>,
) -> Answer<close::CloseReport> {
    let ente = enti::find(&s.store, Some(&code)).await?;
    let force = match (r.forza, r.motivo.as_deref().map(str::trim)) {
        (true, Some(m)) if !m.is_empty() => Some(m),
        (true, _) => return Err(invalid("motivo", ProblemKind::Required).into()),
        (false, _) => None,
    };
    Ok(Json(close::close(&s.store, &actor, &ente, year, force).await?))
}

/// The snapshot is intact.
#[derive(Serialize, ToSchema)]
struct Verified {
    integra: bool,
    sha256: String,
}

/// Recomputes the snapshot (`traguardi close --verify`): 200 when intact, 409 naming what changed.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/chiusura/verifica", tag = "ciclo", params(CyclePath), security(("token" = [])),
    responses((status = 200, description = "done", body = Verified), Errors))]
async fn verify_close(State(s): State<AppState>, Signed(actor): Signed, Path(CyclePath { code, year }): Path<CyclePath>) -> Answer<Verified> {
    actor.require(traguardi_app::accounts::access::Right::ReadEnte, said!("verificare la chiusura"))?;
    let ente = enti::find(&s.store, Some(&code)).await?;
    match close::verify(&s.store, &actor, &ente, year).await {
        Ok(sha256) => Ok(Json(Verified { integra: true, sha256 })),
        Err(AppError::Refused(m)) => Err(ApiError::Plain(StatusCode::CONFLICT, crate::i18n::t("Istantanea alterata"), m.describe(crate::i18n::lang()))),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CorrectionRequest {
    oggetto: String,
    originale: String,
    corretto: String,
    motivo: String,
    atto: Option<String>,
}

/// A correction after the close (`traguardi correzione`), referencing the snapshot.
#[utoipa::path(post, path = "/api/v1/enti/{code}/cicli/{year}/correzioni", tag = "ciclo", params(CyclePath), request_body = CorrectionRequest, security(("token" = [])),
    responses((status = 200, description = "done", body = Object), Errors))]
async fn correct(
    State(s): State<AppState>,
    Signed(actor): Signed,
    Path(CyclePath { code, year }): Path<CyclePath>,
    Body(r): Body<CorrectionRequest>,
) -> Answer<views::Correction> {
    let ente = enti::find(&s.store, Some(&code)).await?;
    let request = close::CorrectionRequest { subject: &r.oggetto, before: &r.originale, after: &r.corretto, reason: &r.motivo, act: r.atto.as_deref() };
    Ok(Json(close::correct(&s.store, &actor, &ente, year, request).await?))
}

#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/correzioni", tag = "ciclo", params(CyclePath), security(("token" = [])),
    responses((status = 200, description = "the corrections of the closed cycle, oldest first", body = [Object]), Errors))]
async fn corrections_of(State(s): State<AppState>, Signed(actor): Signed, Path(CyclePath { code, year }): Path<CyclePath>) -> Answer<Vec<views::Correction>> {
    actor.require(traguardi_app::accounts::access::Right::ReadEnte, said!("leggere le correzioni dell'ente"))?;
    let ente = enti::find(&s.store, Some(&code)).await?;
    Ok(Json(close::corrections(&s.store, &actor, &ente, year).await?))
}

#[derive(Serialize)]
struct Trail {
    /// Whether the whole chain of the ente checks out, and why not.
    integro: bool,
    errore: Option<String>,
    registrazioni: Vec<views::AuditEntry>,
}

/// The cycle's audit trail (`traguardi audit --cycle`), with the check of the ente's chain.
#[utoipa::path(get, path = "/api/v1/enti/{code}/cicli/{year}/audit", tag = "ciclo", params(CyclePath), security(("token" = [])),
    responses((status = 200, description = "done", body = Object), Errors))]
async fn audit_trail(State(s): State<AppState>, Signed(actor): Signed, Path(CyclePath { code, year }): Path<CyclePath>) -> Answer<Trail> {
    let t = audit::trail(&s.store, &actor, Some(&code), Some(year)).await?;
    Ok(Json(Trail { integro: t.verified.is_ok(), errore: t.verified.err().map(|e| e.describe(crate::i18n::lang())), registrazioni: t.records }))
}
