//! The budget pages: the PEG of a year by Missione and Programma, by CdR, with a chart; and the
//! REPORT COMMISSIONI of a Direzione or CdR to download (PDF, XLSX, CSV, JSON). The budget is
//! public information, like the org chart.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use traguardi_app::budget::commissioni::{self, Report, Scope};
use traguardi_app::cycle::cycles;
use traguardi_app::{AppError, budget::ledger, org::enti};
use traguardi_domain::money::Cents;
use traguardi_domain::said;

use crate::AppState;
use crate::auth::{CurrentUser, UserView};
use crate::error::WebError;
use crate::i18n::{Translate, t, word};
use crate::pages::html;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/enti/{code}/bilancio", get(latest))
        .route("/enti/{code}/bilancio/{year}", get(budget_page))
        .route("/enti/{code}/bilancio/{year}/commissioni", get(download))
}

#[derive(Deserialize, Default)]
struct Filter {
    direzione: Option<String>,
    cdr: Option<String>,
    formato: Option<String>,
}

impl Filter {
    fn scope(&self) -> Scope {
        match (&self.direzione, &self.cdr) {
            (Some(d), _) if !d.is_empty() => Scope::Direzione(d.clone()),
            (_, Some(c)) if !c.is_empty() => Scope::Cdr(c.clone()),
            _ => Scope::Ente,
        }
    }
}

/// One row of a summary: code, label, three amounts, and a link to its report.
pub struct Row {
    pub code: String,
    pub label: String,
    pub amounts: [String; 3],
    pub strong: bool,
    pub link: Option<String>,
}

/// A bar of the chart: its label, amount, and length in % of the longest.
pub struct Bar {
    pub label: String,
    pub amount: String,
    pub width: u32,
}

#[derive(Template)]
#[template(path = "budget.html")]
struct BudgetPage {
    user: Option<UserView>,
    ente_name: String,
    nav_code: String,
    /// The latest cycle, for the other sections' links.
    year: i32,
    section: &'static str,
    budget_year: i32,
    years: Vec<i32>,
    headings: [i32; 3],
    scope_label: String,
    scope_query: String,
    direzioni: Vec<(String, String, bool)>,
    /// Current, then capital spending by Missione and Programma, each with its caption.
    summaries: Vec<(&'static str, Vec<Row>)>,
    cdr: Vec<Row>,
    bars: Vec<Bar>,
    total_year: String,
    dup: Vec<(String, String, String)>,
}

async fn latest(State(s): State<AppState>, Path(code): Path<String>) -> Result<Response, WebError> {
    let ente = enti::find(&s.store, Some(&code)).await?;
    let years = ledger::years(&s.store, &ente.id).await?;
    let year = years.first().ok_or_else(|| AppError::NotFound(said!("nessun PEG caricato per questo ente (traguardi import peg)")))?;
    Ok(Redirect::to(&format!("/enti/{}/bilancio/{year}", ente.code)).into_response())
}

fn summary(section: &commissioni::Section, total_label: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    for m in &section.riepilogo {
        rows.push(Row { code: m.code.clone(), label: m.name.clone(), amounts: m.total.map(|c| c.to_string()), strong: true, link: None });
        for p in &m.programmi {
            rows.push(Row {
                code: format!("{}.{}", m.code, p.code),
                label: p.name.clone(),
                amounts: p.amounts.map(|c| c.to_string()),
                strong: false,
                link: None,
            });
        }
    }
    if !rows.is_empty() {
        rows.push(Row { code: String::new(), label: total_label.into(), amounts: section.total.map(|c| c.to_string()), strong: true, link: None });
    }
    rows
}

async fn budget_page(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year)): Path<(String, i32)>,
    Query(f): Query<Filter>,
) -> Result<Response, WebError> {
    let actor = user.actor();
    let ente = enti::find(&s.store, Some(&code)).await?;
    let cycle_year = cycles::years(&s.store, &ente).await?.last().copied().unwrap_or(year);
    let years = ledger::years(&s.store, &ente.id).await?;
    let scope = f.scope();
    let report: Report = commissioni::build(&s.store, &actor, &ente, year, &scope).await?;
    let with_lines: Vec<(String, String, bool)> = ledger::direzioni_with_lines(&s.store, &ente.id, year)
        .await?
        .into_iter()
        .map(|(c, name)| {
            let current = scope == Scope::Direzione(c.clone());
            (c, name, current)
        })
        .collect();
    let scope_query = match &scope {
        Scope::Ente => String::new(),
        Scope::Direzione(d) => format!("direzione={d}"),
        Scope::Cdr(c) => format!("cdr={c}"),
    };
    let cdr: Vec<Row> = report
        .correnti
        .cdr
        .iter()
        .chain(&report.capitale.cdr)
        .fold(Vec::<(String, String, [Cents; 3])>::new(), |mut acc, b| {
            match acc.iter_mut().find(|(c, _, _)| *c == b.cdr) {
                Some(e) => (0..3).for_each(|i| e.2[i] += b.total[i]),
                None => acc.push((b.cdr.clone(), b.name.clone(), b.total)),
            }
            acc
        })
        .into_iter()
        .map(|(c, name, t)| Row { link: Some(format!("cdr={c}")), code: c, label: name, amounts: t.map(|c| c.to_string()), strong: false })
        .collect();
    // The chart: spending of the year by Missione, current and capital together.
    let mut by_missione: Vec<(String, Cents)> = Vec::new();
    for m in report.correnti.riepilogo.iter().chain(&report.capitale.riepilogo) {
        match by_missione.iter_mut().find(|(c, _)| *c == format!("{} {}", m.code, m.name)) {
            Some(e) => e.1 += m.total[2],
            None => by_missione.push((format!("{} {}", m.code, m.name), m.total[2])),
        }
    }
    let max = by_missione.iter().map(|(_, v)| v.get()).max().unwrap_or(0).max(1);
    let bars: Vec<Bar> = by_missione
        .iter()
        .map(|(label, v)| Bar { label: label.clone(), amount: v.to_string(), width: u32::try_from(v.get().max(0) * 100 / max).unwrap_or(0) })
        .collect();
    html(BudgetPage {
        user: user.view(),
        nav_code: ente.code.to_string(),
        ente_name: ente.name.clone(),
        year: cycle_year,
        section: "bilancio",
        budget_year: year,
        years,
        headings: report.years,
        scope_label: match &scope {
            Scope::Ente => t("tutto l'ente").into(),
            _ => format!("{} {} ({})", word(&report.scope_kind), report.scope_code, report.scope_name),
        },
        scope_query,
        direzioni: with_lines,
        summaries: vec![
            (t("Spese correnti per Missione e Programma"), summary(&report.correnti, t("Totale spese correnti"))),
            (t("Spese in conto capitale per Missione e Programma"), summary(&report.capitale, t("Totale spese in conto capitale"))),
        ],
        bars,
        cdr,
        total_year: (report.correnti.total[2] + report.capitale.total[2]).to_string(),
        dup: report.dup.iter().map(|d| (format!("{}.{}", d.missione, d.programma), d.operativo.clone(), d.strategico.clone())).collect(),
    })
}

/// The REPORT COMMISSIONI as a file: `?direzione=CODE` or `?cdr=CODE`, `formato=pdf|xlsx|csv|json`.
async fn download(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year)): Path<(String, i32)>,
    Query(f): Query<Filter>,
) -> Result<Response, WebError> {
    let ente = enti::find(&s.store, Some(&code)).await?;
    let scope = f.scope();
    let report = commissioni::build(&s.store, &user.actor(), &ente, year, &scope).await?;
    let name = match &scope {
        Scope::Ente => format!("commissioni-{year}"),
        Scope::Direzione(d) => format!("commissioni-{year}-{d}"),
        Scope::Cdr(c) => format!("commissioni-{year}-cdr-{c}"),
    };
    let doc = crate::documents::commissioni(&report, f.formato.as_deref().unwrap_or("pdf"))?;
    Ok(doc.download(&name))
}
