//! Monitoring values in the browser: the entry form of a KPI (each period's value, a new
//! version sent with the number of the one read, so a change made meanwhile is a conflict),
//! and the inbox of the values waiting to be approved or returned, for the planners and the NIV.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;
use traguardi_app::plan::measurements::{self, At, Decision, EVIDENCE_TYPES, Entry, MAX_EVIDENCE_BYTES, Waiting};
use traguardi_app::{AppError, org::enti};
use traguardi_domain::cycle::format_date_it;
use traguardi_domain::plan::value_status::ValueStatus;
use traguardi_domain::said;

use crate::AppState;
use crate::auth::{CurrentUser, UserView};
use crate::error::{WebError, forged};
use crate::i18n::{Translate, lang, t, t1, t2};
use crate::pages::html;
use crate::upload;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/enti/{code}/cicli/{year}/valori", get(inbox).post(decide))
        .route("/enti/{code}/cicli/{year}/kpi/{kpi}/valori", get(entry_page).post(enter))
        .route("/enti/{code}/cicli/{year}/kpi/{kpi}/evidenze", post(attach).layer(upload::body_limit(MAX_EVIDENCE_BYTES)))
        .route("/enti/{code}/evidenze/{id}", get(download))
}

/// What the page says after a step, by a fixed code (never text from the address, which
/// anyone could forge into a link).
#[derive(Deserialize, Default)]
struct Notice {
    esito: Option<String>,
}

impl Notice {
    fn text(&self) -> Option<String> {
        let said = match self.esito.as_deref()? {
            "salvato" => t("Valore salvato come bozza: inviarlo per l'approvazione quando è pronto."),
            "inviato" => t("Valore salvato e inviato per l'approvazione."),
            "approvato" => t("Valore approvato."),
            "restituito" => t("Valore restituito al responsabile, con la nota."),
            "allegato" => t("Evidenza allegata al valore."),
            _ => return None,
        };
        Some(said.into())
    }
}

/// A waiting value as the inbox shows it.
struct WaitingRow {
    w: Waiting,
    period: String,
    iso: String,
    shown: String,
    when: String,
}

/// `2026-11-24T01:46:25Z` as `24/11/2026 alle 01:46` (the time as stored, UTC).
fn when(stamp: &str) -> String {
    match (stamp.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()), stamp.get(11..16)) {
        (Some(d), Some(time)) => t2("{} alle {}", format_date_it(d), time),
        _ => stamp.to_string(),
    }
}

#[derive(Template)]
#[template(path = "valori.html")]
struct InboxPage {
    user: Option<UserView>,
    ente_name: String,
    nav_code: String,
    year: i32,
    section: &'static str,
    rows: Vec<WaitingRow>,
    done: Option<String>,
    message: Option<String>,
}

async fn render_inbox(s: &AppState, user: &CurrentUser, code: &str, year: i32, done: Option<String>, message: Option<String>) -> Result<Response, WebError> {
    let ente = enti::find(&s.store, Some(code)).await?;
    let rows = measurements::waiting(&s.store, &user.actor(), &ente, year)
        .await?
        .into_iter()
        .map(|w| WaitingRow {
            period: format_date_it(w.period_end),
            iso: w.period_end.to_string(),
            shown: if w.not_assessable { t("non valutabile").into() } else { w.value.clone().unwrap_or_default() },
            when: when(&w.entered_at),
            w,
        })
        .collect();
    html(InboxPage { user: user.view(), ente_name: ente.name, nav_code: ente.code.to_string(), year, section: "valori", rows, done, message })
}

async fn inbox(State(s): State<AppState>, user: CurrentUser, Path((code, year)): Path<(String, i32)>, Query(n): Query<Notice>) -> Result<Response, WebError> {
    render_inbox(&s, &user, &code, year, n.text(), None).await
}

#[derive(Deserialize)]
struct DecisionForm {
    csrf: String,
    kpi: String,
    data: NaiveDate,
    /// approva | restituisci
    azione: String,
    #[serde(default)]
    nota: String,
}

async fn decide(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year)): Path<(String, i32)>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, WebError> {
    if user.view().is_none_or(|u| u.csrf != f.csrf) {
        return Ok(forged());
    }
    let ente = enti::find(&s.store, Some(&code)).await?;
    let (decision, esito) = match f.azione.as_str() {
        "approva" => (Decision::Approve, "approvato"),
        "restituisci" => (Decision::Return, "restituito"),
        other => return Err(AppError::Refused(said!("azione «{other}» sconosciuta", other = other)).into()),
    };
    let at = At { year, kpi: &f.kpi, period_end: f.data };
    let note = Some(f.nota.trim()).filter(|n| !n.is_empty());
    match measurements::decide(&s.store, &user.actor(), &ente, at, decision, note).await {
        Ok(_) => Ok(Redirect::to(&format!("/enti/{code}/cicli/{year}/valori?esito={esito}")).into_response()),
        Err(e @ (AppError::Refused(_) | AppError::Invalid(_) | AppError::Conflict(_))) => {
            let mut r = render_inbox(&s, &user, &code, year, None, Some(e.describe(lang()))).await?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

/// One period of the entry form.
struct PeriodRow {
    label: String,
    iso: String,
    version: i64,
    value: String,
    status: String,
    note: String,
    by: String,
    /// (id, file name, size)
    evidence: Vec<(String, String, String)>,
}

/// `2.048` bytes as `2 kB`, `3.500.000` as `3,3 MB`.
fn size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} byte"),
        b if b < 1024 * 1024 => format!("{} kB", b / 1024),
        b => format!("{},{} MB", b / (1024 * 1024), (b % (1024 * 1024)) * 10 / (1024 * 1024)),
    }
}

#[derive(Template)]
#[template(path = "valori_kpi.html")]
struct EntryPage {
    user: Option<UserView>,
    ente_name: String,
    nav_code: String,
    year: i32,
    section: &'static str,
    kpi: String,
    kpi_name: String,
    objective: String,
    measure: String,
    periods: Vec<PeriodRow>,
    evidence_types: String,
    max_mb: usize,
    done: Option<String>,
    message: Option<String>,
}

async fn render_entry(
    s: &AppState,
    user: &CurrentUser,
    (code, year, kpi): (&str, i32, &str),
    done: Option<String>,
    message: Option<String>,
) -> Result<Response, WebError> {
    let ente = enti::find(&s.store, Some(code)).await?;
    let sheet = measurements::entry_sheet(&s.store, &user.actor(), &ente, year, kpi).await?;
    let periods = sheet
        .periods
        .iter()
        .map(|(p, m, files)| PeriodRow {
            label: format_date_it(*p),
            iso: p.to_string(),
            version: m.as_ref().map_or(0, |m| m.version),
            value: m.as_ref().and_then(|m| m.value.clone()).unwrap_or_default(),
            status: m.as_ref().map(|m| m.status.said().describe(lang())).unwrap_or_default(),
            note: m.as_ref().map(|m| m.note.clone()).unwrap_or_default(),
            by: m.as_ref().map(|m| m.entered_by.clone()).unwrap_or_default(),
            evidence: files.iter().map(|e| (e.id.clone(), e.filename.clone(), size(e.size))).collect(),
        })
        .collect();
    html(EntryPage {
        user: user.view(),
        ente_name: ente.name,
        nav_code: ente.code.to_string(),
        year,
        section: "piano",
        kpi: sheet.kpi.code.clone(),
        kpi_name: sheet.kpi.name.clone(),
        objective: sheet.objective,
        measure: format!("{}{}", t(sheet.kpi.measure.code()), sheet.kpi.unit_label.as_deref().map(|u| format!(", {}", t1("in {}", u))).unwrap_or_default()),
        periods,
        evidence_types: EVIDENCE_TYPES.iter().map(|(e, _)| format!(".{e}")).collect::<Vec<_>>().join(","),
        max_mb: MAX_EVIDENCE_BYTES / (1024 * 1024),
        done,
        message,
    })
}

async fn entry_page(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year, kpi)): Path<(String, i32, String)>,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    if user.view().is_none() {
        return Ok(Redirect::to("/login").into_response());
    }
    render_entry(&s, &user, (&code, year, &kpi), n.text(), None).await
}

#[derive(Deserialize)]
struct EntryForm {
    csrf: String,
    data: NaiveDate,
    versione: i64,
    #[serde(default)]
    valore: String,
    #[serde(default)]
    nota: String,
    /// Present when the box "invia per l'approvazione" is ticked.
    invia: Option<String>,
}

async fn enter(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year, kpi)): Path<(String, i32, String)>,
    Form(f): Form<EntryForm>,
) -> Result<Response, WebError> {
    if user.view().is_none_or(|u| u.csrf != f.csrf) {
        return Ok(forged());
    }
    let ente = enti::find(&s.store, Some(&code)).await?;
    let entry = Entry {
        kpi: kpi.clone(),
        period_end: f.data,
        value: f.valore,
        note: f.nota,
        cause: None,
        not_assessable: false,
        submit: f.invia.is_some(),
        based_on: Some(f.versione),
    };
    match measurements::enter(&s.store, &user.actor(), &ente, year, &entry).await {
        Ok(m) => {
            let esito = if m.status == ValueStatus::Submitted { "inviato" } else { "salvato" };
            Ok(Redirect::to(&format!("/enti/{code}/cicli/{year}/kpi/{kpi}/valori?esito={esito}")).into_response())
        }
        Err(e @ (AppError::Refused(_) | AppError::Invalid(_) | AppError::Conflict(_))) => {
            let status = if matches!(e, AppError::Conflict(_)) { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
            let mut r = render_entry(&s, &user, (&code, year, &kpi), None, Some(e.describe(lang()))).await?;
            *r.status_mut() = status;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

/// The evidence form: `csrf`, `data` (the period) and the file.
async fn attach(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year, kpi)): Path<(String, i32, String)>,
    form: Multipart,
) -> Result<Response, WebError> {
    let form = match upload::read(form, MAX_EVIDENCE_BYTES, user.view().map(|u| u.csrf).as_deref()).await {
        Ok(f) => f,
        Err(r) => return Ok(r),
    };
    let ente = enti::find(&s.store, Some(&code)).await?;
    let outcome = match (NaiveDate::parse_from_str(form.field("data"), "%Y-%m-%d"), &form.file) {
        (Err(_), _) => Err(AppError::Refused(said!("periodo mancante o non valido: ricaricare la pagina"))),
        (Ok(_), None) => Err(AppError::Refused(said!("scegliere il file da allegare"))),
        (Ok(period_end), Some((name, bytes))) => {
            measurements::attach_evidence(&s.store, &user.actor(), &ente, At { year, kpi: &kpi, period_end }, name, bytes).await.map(|_| ())
        }
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/enti/{code}/cicli/{year}/kpi/{kpi}/valori?esito=allegato")).into_response()),
        Err(e @ (AppError::Refused(_) | AppError::Invalid(_) | AppError::NotFound(_))) => {
            let mut r = render_entry(&s, &user, (&code, year, &kpi), None, Some(e.describe(lang()))).await?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

/// An evidence file, as an attachment (never shown inline: it comes from a user).
async fn download(State(s): State<AppState>, user: CurrentUser, Path((code, id)): Path<(String, String)>) -> Result<Response, WebError> {
    let ente = enti::find(&s.store, Some(&code)).await?;
    let (e, data) = measurements::evidence_file(&s.store, &user.actor(), &ente, &id).await?;
    Ok(crate::documents::attachment(&e.content_type, &e.filename, data))
}
