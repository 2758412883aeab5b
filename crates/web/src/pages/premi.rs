//! The premi of a cycle for the payroll officer: scenarios with their totals and open legal
//! gates, one scenario person by person, two side by side, a new scenario, the approval, the
//! payroll download, and each person's explanation. Personal data: only for those who may
//! compute the premi. And each person's own page: their evaluation, which they sign or contest,
//! and their premium.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Router, http::StatusCode};
use serde::Deserialize;
use traguardi_app::pay::evaluation_answer::{self, Answer};
use traguardi_app::pay::payouts::{self, PayContext, ScenarioSummary, WhatIf};
use traguardi_domain::money::Cents;
use traguardi_domain::pay::premi::{Allocation, Explained, PersonPay};
use traguardi_domain::plan::round::it;
use traguardi_domain::said;

use crate::AppState;
use crate::auth::{CurrentUser, UserView};
use crate::error::WebError;
use crate::i18n::{Translate, lang, t};
use crate::pages::html;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/enti/{code}/cicli/{year}/premi", get(premi_page).post(premi_action))
        .route("/enti/{code}/cicli/{year}/premi/{scenario}/export", get(export))
        .route("/enti/{code}/cicli/{year}/premi/{scenario}/persone/{matricola}", get(person_page))
        .route("/enti/{code}/cicli/{year}/la-mia-valutazione", get(my_page).post(my_answer))
}

#[derive(Deserialize, Default)]
struct Choice {
    scenario: Option<String>,
    confronta: Option<String>,
    formato: Option<String>,
}

/// A person's row as shown.
struct Row {
    matricola: String,
    nome: String,
    struttura: String,
    categoria: String,
    presenza: String,
    organizzativo: String,
    individuale: String,
    organizzativa: String,
    premio_individuale: String,
    maggiorazione: String,
    totale: String,
}

fn row(p: &PersonPay) -> Row {
    Row {
        matricola: p.matricola.clone(),
        nome: p.nome.clone(),
        struttura: p.struttura.clone(),
        categoria: p.categoria.clone(),
        presenza: it(p.presenza * rust_decimal::Decimal::ONE_HUNDRED),
        organizzativo: it(p.punteggio_organizzativo),
        individuale: p.punteggio_individuale.map(it).unwrap_or_else(|| "—".into()),
        organizzativa: p.organizzativa.to_string(),
        premio_individuale: p.individuale.to_string(),
        maggiorazione: p.maggiorazione.to_string(),
        totale: p.totale.to_string(),
    }
}

/// Two scenarios side by side: the other's name, this one's, the rows that change
/// (matricola, nome, this, other, difference) and both totals.
type Comparison = (String, String, Vec<[String; 5]>, [String; 2]);

#[derive(Template)]
#[template(path = "premi.html")]
struct PremiPage {
    user: Option<UserView>,
    ente_name: String,
    nav_code: String,
    year: i32,
    section: &'static str,
    scenarios: Vec<ScenarioSummary>,
    chosen: Option<(ScenarioSummary, Allocation)>,
    gates: Vec<String>,
    rows: Vec<Row>,
    comparison: Option<Comparison>,
    message: Option<String>,
    /// The rules in force, as the what-if form starts from.
    rules: String,
}

impl PremiPage {
    /// A score to two decimals, or a dash.
    fn score(&self, s: &Option<rust_decimal::Decimal>) -> String {
        s.map_or_else(|| "—".into(), it)
    }
}

async fn render(s: &AppState, user: &CurrentUser, code: &str, year: i32, c: &Choice, message: Option<String>) -> Result<Response, WebError> {
    let actor = user.actor();
    // The plan's scores kept in memory while the data do not change: only the staff are read.
    let scores = s.scores.load(&s.store, &actor, code, year).await?;
    let ctx = PayContext::with_scores(&s.store, &actor, scores).await?;
    let list = payouts::scenarios(&s.store, &actor, Some(code), year).await?;
    let wanted = c.scenario.clone().or_else(|| list.iter().find(|(s, _)| s.approved()).or(list.last()).map(|(s, _)| s.name.clone()));
    let chosen = list.iter().find(|(s, _)| Some(&s.name) == wanted.as_ref()).cloned();
    let gates: Vec<String> = chosen.as_ref().map(|(_, a)| ctx.open_gates(a).iter().map(|g| g.describe(lang())).collect()).unwrap_or_default();
    let rows = chosen.as_ref().map(|(_, a)| a.persone.iter().map(row).collect()).unwrap_or_default();
    let comparison = match (&chosen, c.confronta.as_deref().and_then(|o| list.iter().find(|(s, _)| s.name == o))) {
        (Some((sa, a)), Some((sb, b))) => {
            let cmp = traguardi_app::pay::outputs::compare(&sa.name, a, &sb.name, b);
            let rows = cmp
                .rows
                .iter()
                .filter(|r| r.differenza != Cents::ZERO)
                .map(|r| [r.matricola.clone(), r.nome.clone(), r.a.to_string(), r.b.to_string(), r.differenza.to_string()])
                .collect();
            Some((sb.name.clone(), sa.name.clone(), rows, [cmp.total_a.to_string(), cmp.total_b.to_string()]))
        }
        _ => None,
    };
    html(PremiPage {
        user: user.view(),
        ente_name: ctx.scores.ente.name.clone(),
        nav_code: ctx.scores.ente.code.to_string(),
        year,
        section: "premi",
        scenarios: list.into_iter().map(|(s, _)| s).collect(),
        chosen,
        gates,
        rows,
        comparison,
        message,
        rules: ctx.rules.to_text(),
    })
}

async fn premi_page(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year)): Path<(String, i32)>,
    Query(c): Query<Choice>,
) -> Result<Response, WebError> {
    render(&s, &user, &code, year, &c, None).await
}

#[derive(Deserialize)]
struct ActionForm {
    csrf: String,
    azione: String,
    nome: String,
    /// What-if: the rules of the scenario (the text of the rules in force, edited).
    #[serde(default)]
    regole: String,
    /// What-if: `MATRICOLA=PUNTEGGIO`, one per line.
    #[serde(default)]
    punteggi: String,
}

/// `calcola` saves a scenario with the rules in force; `approva` approves one. Refusals are
/// shown on the page.
async fn premi_action(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year)): Path<(String, i32)>,
    Form(f): Form<ActionForm>,
) -> Result<Response, WebError> {
    if user.view().is_none_or(|u| u.csrf != f.csrf) {
        return Ok(crate::error::forged());
    }
    let actor = user.actor();
    let name = f.nome.trim().to_string();
    let done = match f.azione.as_str() {
        "calcola" => match WhatIf::parse_scores(f.punteggi.lines(), "punteggi") {
            Ok(scores) => {
                let rules = Some(f.regole.replace("\r\n", "\n")).filter(|r| !r.trim().is_empty());
                payouts::save_scenario(&s.store, &actor, Some(&code), year, &name, &WhatIf { rules, scores }).await.map(|_| ())
            }
            Err(e) => Err(e),
        },
        "approva" => payouts::approve(&s.store, &actor, Some(&code), year, &name).await.map(|_| ()),
        other => Err(traguardi_app::AppError::Refused(said!("azione «{other}» sconosciuta", other = other))),
    };
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/enti/{code}/cicli/{year}/premi?scenario={name}")).into_response()),
        Err(e @ (traguardi_app::AppError::Refused(_) | traguardi_app::AppError::Invalid(_))) => {
            let c = Choice { scenario: Some(name).filter(|n| !n.is_empty()), ..Choice::default() };
            let mut r = render(&s, &user, &code, year, &c, Some(e.describe(lang()))).await?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

async fn export(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year, scenario)): Path<(String, i32, String)>,
    Query(c): Query<Choice>,
) -> Result<Response, WebError> {
    let (_, a) = payouts::scenario(&s.store, &user.actor(), Some(&code), year, &scenario).await?;
    let doc = crate::documents::sheet(&traguardi_app::pay::outputs::payroll_sheet(&a), c.formato.as_deref().unwrap_or("csv"))?;
    Ok(doc.download(&format!("premi-{year}-{scenario}")))
}

#[derive(Template)]
#[template(path = "premi_persona.html")]
struct PersonPage {
    user: Option<UserView>,
    ente_name: String,
    nav_code: String,
    year: i32,
    section: &'static str,
    scenario: String,
    person: Explained,
}

async fn person_page(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year, scenario, matricola)): Path<(String, i32, String, String)>,
) -> Result<Response, WebError> {
    let actor = user.actor();
    let (_, a) = payouts::scenario(&s.store, &actor, Some(&code), year, &scenario).await?;
    let person = a.explained(&matricola).ok_or_else(|| {
        traguardi_app::AppError::NotFound(said!("{matricola} non è nello scenario «{scenario}»", matricola = &matricola, scenario = &scenario))
    })?;
    let ente = traguardi_app::org::enti::find(&s.store, Some(&code)).await?;
    html(PersonPage { user: user.view(), ente_name: ente.name.clone(), nav_code: ente.code.to_string(), year, section: "premi", scenario, person })
}

#[derive(Template)]
#[template(path = "mia_valutazione.html")]
struct MyPage {
    user: Option<UserView>,
    ente_name: String,
    nav_code: String,
    year: i32,
    section: &'static str,
    mine: Option<traguardi_app::pay::mine::MyPay>,
    /// (label, value) of the evaluation, as shown.
    facts: Vec<(&'static str, String)>,
    history: Vec<(i32, String)>,
    average: Option<String>,
    /// Whether the person may still sign, and still contest.
    may_sign: bool,
    may_contest: bool,
    done: Option<String>,
    message: Option<String>,
}

/// The logged-in person's own evaluation, premium (once approved) and past scores.
async fn my_page(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year)): Path<(String, i32)>,
    Query(n): Query<MyNotice>,
) -> Result<Response, WebError> {
    let done = match n.esito.as_deref() {
        Some("firmata") => Some(t("Valutazione firmata per presa visione.").to_string()),
        Some("contestata") => Some(t("Contestazione registrata: il valutatore e il revisore la esaminano nella conciliazione.").to_string()),
        _ => None,
    };
    render_mine(&s, &user, (&code, year), done, None).await
}

#[derive(Deserialize, Default)]
struct MyNotice {
    esito: Option<String>,
}

#[derive(Deserialize)]
struct AnswerForm {
    csrf: String,
    /// firma | contesta
    azione: String,
    #[serde(default)]
    motivi: String,
}

async fn my_answer(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year)): Path<(String, i32)>,
    Form(f): Form<AnswerForm>,
) -> Result<Response, WebError> {
    if user.view().is_none_or(|u| u.csrf != f.csrf) {
        return Ok(crate::error::forged());
    }
    let (answer, esito) = match f.azione.as_str() {
        "firma" => (Answer::Sign, "firmata"),
        _ => (Answer::Contest { reason: &f.motivi }, "contestata"),
    };
    let today = chrono::Utc::now().date_naive();
    match evaluation_answer::answer(&s.store, &user.actor(), Some(&code), year, answer, today).await {
        Ok(_) => Ok(Redirect::to(&format!("/enti/{code}/cicli/{year}/la-mia-valutazione?esito={esito}")).into_response()),
        Err(e @ traguardi_app::AppError::Refused(_)) => {
            let mut r = render_mine(&s, &user, (&code, year), None, Some(e.describe(lang()))).await?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

async fn render_mine(s: &AppState, user: &CurrentUser, (code, year): (&str, i32), done: Option<String>, message: Option<String>) -> Result<Response, WebError> {
    let mine = traguardi_app::pay::mine::mine(&s.store, &user.actor(), Some(code), year).await?;
    let ente = traguardi_app::org::enti::find(&s.store, Some(code)).await?;
    let day = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "—".to_string(), |d| d.format("%d/%m/%Y").to_string());
    let score = |d: Option<rust_decimal::Decimal>| d.map_or_else(|| "—".to_string(), it);
    let facts = match mine.as_ref().and_then(|m| m.evaluation.as_ref().map(|e| (m, e))) {
        None => Vec::new(),
        Some((m, e)) => vec![
            (t("Valutatore"), m.evaluator.clone().unwrap_or_else(|| "—".into())),
            (t("Revisore (secondo livello)"), m.reviewer.clone().unwrap_or_else(|| "—".into())),
            (t("Risultati"), e.results.map_or_else(|| t("dagli obiettivi del piano").to_string(), it)),
            (t("Comportamenti"), score(e.behaviours)),
            (t("Colloquio iniziale"), day(e.interview_start)),
            (t("Colloquio intermedio"), day(e.interview_mid)),
            (t("Colloquio finale"), day(e.interview_final)),
            (t("Firmata il"), day(e.signed_on)),
            (t("Contestata il"), day(e.contested_on)),
            (t("Conciliazione"), e.conciliation.clone().map_or_else(|| "—".to_string(), |c| format!("{c} {}", e.conciliated.map(it).unwrap_or_default()))),
        ],
    };
    let history = mine.as_ref().map(|m| m.history.iter().map(|(y, s)| (*y, score(*s))).collect()).unwrap_or_default();
    let average = mine.as_ref().and_then(|m| m.average_of_last(3)).map(it);
    let evaluation = mine.as_ref().and_then(|m| m.evaluation.as_ref()).filter(|e| e.interview_final.is_some());
    let (may_sign, may_contest) = evaluation.map_or((false, false), |e| (e.signed_on.is_none(), e.contested_on.is_none()));
    html(MyPage {
        user: user.view(),
        ente_name: ente.name.clone(),
        nav_code: ente.code.to_string(),
        year,
        section: "mia",
        mine,
        facts,
        history,
        average,
        may_sign,
        may_contest,
        done,
        message,
    })
}
