//! Evaluating staff in the browser: the evaluator's list of people with where each evaluation
//! stands, and each person's form (behaviours on the cycle's scale, the three interviews, a
//! note). Once the person has signed or contested, the form is shown read-only.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use traguardi_app::AppError;
use traguardi_app::pay::evaluations::{self, Evaluee, Filled};
use traguardi_domain::cycle::format_date_it;
use traguardi_domain::plan::round::it;

use crate::AppState;
use crate::auth::{CurrentUser, UserView};
use crate::error::WebError;
use crate::i18n::{Translate, lang, t, t1};
use crate::pages::html;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/enti/{code}/cicli/{year}/valutazioni", get(list_page))
        .route("/enti/{code}/cicli/{year}/valutazioni/{matricola}", get(form_page).post(save))
}

/// Where an evaluation stands, in words.
fn stage(e: &Evaluee) -> String {
    let Some(v) = &e.evaluation else { return t("da iniziare").into() };
    let day = |d: Option<NaiveDate>| d.map(format_date_it);
    if let Some(d) = day(v.contested_on) {
        return t1("contestata il {}", d);
    }
    if let Some(d) = day(v.signed_on) {
        return t1("firmata il {}", d);
    }
    match (day(v.interview_final), day(v.interview_mid), day(v.interview_start)) {
        (Some(d), _, _) => t1("colloquio finale il {}, in attesa della firma", d),
        (None, Some(d), _) => t1("colloquio intermedio il {}", d),
        (None, None, Some(d)) => t1("colloquio iniziale il {}", d),
        _ => t("da iniziare").into(),
    }
}

struct Row {
    matricola: String,
    name: String,
    unit: String,
    category: &'static str,
    behaviours: String,
    stage: String,
}

#[derive(Template)]
#[template(path = "valutazioni.html")]
struct ListPage {
    user: Option<UserView>,
    ente_name: String,
    nav_code: String,
    year: i32,
    section: &'static str,
    rows: Vec<Row>,
}

async fn list_page(State(s): State<AppState>, user: CurrentUser, Path((code, year)): Path<(String, i32)>) -> Result<Response, WebError> {
    if user.view().is_none() {
        return Ok(Redirect::to("/login").into_response());
    }
    let ente = traguardi_app::org::enti::find(&s.store, Some(&code)).await?;
    let rows = evaluations::to_evaluate(&s.store, &user.actor(), Some(&code), year)
        .await?
        .into_iter()
        .map(|e| Row {
            behaviours: e.evaluation.as_ref().and_then(|v| v.behaviours).map_or_else(|| "—".into(), it),
            stage: stage(&e),
            category: e.category.code(),
            matricola: e.matricola,
            name: e.name,
            unit: e.unit,
        })
        .collect();
    html(ListPage { user: user.view(), ente_name: ente.name, nav_code: ente.code.to_string(), year, section: "valutazioni", rows })
}

/// One behaviour of the form: code, name, the score given, and the scores one may give.
struct Item {
    code: String,
    name: String,
    given: Option<i64>,
}

#[derive(Template)]
#[template(path = "valutazione.html")]
struct FormPage {
    user: Option<UserView>,
    ente_name: String,
    nav_code: String,
    year: i32,
    section: &'static str,
    matricola: String,
    name: String,
    unit: String,
    items: Vec<Item>,
    scale: Vec<i64>,
    start: String,
    mid: String,
    end: String,
    note: String,
    locked: Option<String>,
    done: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize, Default)]
struct Notice {
    esito: Option<String>,
}

async fn render_form(
    s: &AppState,
    user: &CurrentUser,
    (code, year, matricola): (&str, i32, &str),
    done: Option<String>,
    message: Option<String>,
) -> Result<Response, WebError> {
    if user.view().is_none() {
        return Ok(Redirect::to("/login").into_response());
    }
    let ente = traguardi_app::org::enti::find(&s.store, Some(code)).await?;
    let f = evaluations::form(&s.store, &user.actor(), Some(code), year, matricola).await?;
    let v = f.evaluee.evaluation.as_ref();
    let iso = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    // A behaviour's score on the scale, shown as the whole number entered.
    let whole = |d: Decimal| traguardi_domain::money::Rounding::HalfUp.whole(d).unwrap_or_default();
    html(FormPage {
        user: user.view(),
        ente_name: ente.name,
        nav_code: ente.code.to_string(),
        year,
        section: "valutazioni",
        matricola: f.evaluee.matricola.clone(),
        name: f.evaluee.name.clone(),
        unit: f.evaluee.unit.clone(),
        items: f.behaviours.iter().map(|(code, name, given)| Item { code: code.clone(), name: name.clone(), given: given.map(whole) }).collect(),
        scale: (1..=whole(f.scale)).collect(),
        start: iso(v.and_then(|v| v.interview_start)),
        mid: iso(v.and_then(|v| v.interview_mid)),
        end: iso(v.and_then(|v| v.interview_final)),
        note: v.and_then(|v| v.note.clone()).unwrap_or_default(),
        locked: f.locked,
        done,
        message,
    })
}

async fn form_page(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year, matricola)): Path<(String, i32, String)>,
    Query(n): Query<Notice>,
) -> Result<Response, WebError> {
    let done = (n.esito.as_deref() == Some("salvata")).then(|| t("Valutazione salvata.").to_string());
    render_form(&s, &user, (&code, year, &matricola), done, None).await
}

/// The form: `csrf`, `item.CODE` (1 to the scale, or empty), `colloquio_iniziale`,
/// `colloquio_intermedio`, `colloquio_finale` (AAAA-MM-GG or empty), `note`.
async fn save(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year, matricola)): Path<(String, i32, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let field = |n: &str| fields.iter().find(|(k, _)| k == n).map_or("", |(_, v)| v.trim());
    if user.view().is_none_or(|u| u.csrf != field("csrf")) {
        return Ok(crate::error::forged());
    }
    let mut problems = traguardi_domain::Problems::default();
    let mut day = |n: &str| match field(n) {
        "" => None,
        t => traguardi_domain::value::parse_date(t).map_err(|k| problems.push(traguardi_domain::Problem::column(n, k))).ok(),
    };
    let (start, mid, end) = (day("colloquio_iniziale"), day("colloquio_intermedio"), day("colloquio_finale"));
    let mut items = Vec::new();
    for (k, v) in &fields {
        let Some(item) = k.strip_prefix("item.") else { continue };
        match v.trim() {
            "" => {}
            t => match t.parse::<Decimal>() {
                Ok(d) => items.push((item.to_uppercase(), d)),
                Err(_) => problems.push(traguardi_domain::Problem::column(k, traguardi_domain::ProblemKind::BadNumber { value: t.into() })),
            },
        }
    }
    let outcome = match problems.into_result() {
        Err(p) => Err(AppError::Invalid(p)),
        Ok(()) => {
            let filled = Filled { items, interview_start: start, interview_mid: mid, interview_final: end, note: Some(field("note").to_string()) };
            evaluations::evaluate(&s.store, &user.actor(), Some(&code), year, &matricola, &filled).await.map(|_| ())
        }
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/enti/{code}/cicli/{year}/valutazioni/{matricola}?esito=salvata")).into_response()),
        Err(e @ (AppError::Refused(_) | AppError::Invalid(_))) => {
            let mut r = render_form(&s, &user, (&code, year, &matricola), None, Some(e.describe(lang()))).await?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}
