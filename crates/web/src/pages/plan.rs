//! The plan pages: the plan of a cycle by dimension and Direzione, and each objective with its
//! KPIs, values and the explanation of every score.

use std::collections::HashMap;
use traguardi_domain::said;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use traguardi_app::AppError;
use traguardi_app::plan::scores::CycleScores;
use traguardi_domain::calendar::Calendar;
use traguardi_domain::cycle::format_date_it;
use traguardi_domain::monitoring::{due_date, period_ends};
use traguardi_domain::org::UnitKind;
use traguardi_domain::plan::kpi::Value;
use traguardi_domain::plan::round::{Light, it, number};
use traguardi_domain::plan::score::{Outcome, Scored};

use crate::AppState;
use crate::auth::{CurrentUser, UserView};
use crate::error::WebError;
use crate::i18n::{Translate, lang, t, t1, t2, word};
use crate::pages::html;

pub fn routes() -> Router<AppState> {
    Router::new().route("/enti/{code}/cicli/{year}/piano", get(plan_page)).route("/enti/{code}/cicli/{year}/obiettivi/{objective}", get(objective_page))
}

/// A score as shown: `66,67`, its light in words and the badge class.
pub struct ScoreView {
    pub value: String,
    pub light: &'static str,
    pub badge: &'static str,
    pub explanation: String,
}

fn view(s: &Scored, data: &CycleScores) -> Option<ScoreView> {
    let v = s.outcome.score()?;
    let light = data.rules.lights.of(v);
    Some(ScoreView {
        value: it(v),
        light: t(light.code()),
        badge: match light {
            Light::Verde => "bg-success",
            Light::Giallo => "bg-warning",
            Light::Rosso => "bg-danger",
        },
        explanation: s.explanation.in_lang(lang()).to_string(),
    })
}

fn status(s: Option<&Scored>) -> &'static str {
    match s.map(|s| &s.outcome) {
        Some(Outcome::NotAssessable(_)) => t("non valutabile"),
        Some(Outcome::Score(_)) => t("valutato"),
        _ => t("in attesa di dati"),
    }
}

pub struct Line {
    pub code: String,
    pub name: String,
    pub count: usize,
    pub depth: usize,
    pub place: String,
    pub score: Option<ScoreView>,
    pub status: &'static str,
}

pub struct Group {
    pub code: String,
    pub name: String,
    pub items: Vec<Line>,
}

pub struct PlanView {
    pub ente_code: String,
    pub ente_name: String,
    pub objectives: usize,
    pub kpis: usize,
    pub ente_score: Option<ScoreView>,
    pub dimensions: Vec<Line>,
    pub direzioni: Vec<Line>,
    pub groups: Vec<Group>,
    /// The Direzione whose objectives are listed (`?direzione=CODE`), if one was chosen.
    pub chosen: Option<String>,
    /// A large plan with no Direzione chosen: the objectives are listed by Direzione only.
    pub too_many: bool,
}

/// Plans with more objectives than this list them one Direzione at a time (a page of thousands
/// of rows serves nobody, and costs every reader).
pub const LISTED_AT_ONCE: usize = 500;

#[derive(serde::Deserialize, Default)]
pub struct PlanQuery {
    pub direzione: Option<String>,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    user: Option<UserView>,
    v: PlanView,
    year: i32,
    section: &'static str,
    nav_code: String,
    /// "chiuso il GG/MM/AAAA, SHA-256 …" once the year-end close is done.
    closed: Option<String>,
    corrections: Vec<[String; 5]>,
}

/// How a closed cycle is announced on its pages.
pub(crate) async fn closed_note(s: &AppState, data: &CycleScores) -> Result<Option<String>, WebError> {
    let c = traguardi_app::cycle::close::closed(&s.store, &data.ente, data.cycle.year()).await?;
    Ok(c.map(|c| {
        let day = chrono::NaiveDate::parse_from_str(&c.closed_at[..10.min(c.closed_at.len())], "%Y-%m-%d").map_or(c.closed_at.clone(), format_date_it);
        if c.forced {
            t2(
                "Ciclo chiuso il {} (chiusura forzata: il motivo è nel registro di audit). I dati sono congelati nell'istantanea SHA-256 {}.",
                day,
                &c.content_hash,
            )
        } else {
            t2("Ciclo chiuso il {}. I dati sono congelati nell'istantanea SHA-256 {}.", day, &c.content_hash)
        }
    }))
}

/// The corrections recorded after the close: subject, frozen value, corrected value, reason, act.
async fn corrections_of(s: &AppState, user: &CurrentUser, data: &CycleScores) -> Result<Vec<[String; 5]>, WebError> {
    Ok(traguardi_app::cycle::close::corrections(&s.store, &user.actor(), &data.ente, data.cycle.year())
        .await?
        .into_iter()
        .map(|c| [c.subject, c.before, c.after, c.reason, c.act_code.unwrap_or_default()])
        .collect())
}

async fn plan_page(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year)): Path<(String, i32)>,
    Query(q): Query<PlanQuery>,
) -> Result<Response, WebError> {
    let data = s.scores.load(&s.store, &user.actor(), &code, year).await?;
    let chosen = q.direzione.filter(|d| !d.trim().is_empty());
    if let Some(d) = &chosen
        && !data.units.iter().any(|u| &u.code == d)
    {
        return Err(AppError::NotFound(said!("struttura {d} inesistente nel ciclo {year}", d = d, year = year)).into());
    }
    let v = plan_view(&data, chosen);
    let closed = closed_note(&s, &data).await?;
    let corrections = corrections_of(&s, &user, &data).await?;
    html(PlanPage { user: user.view(), nav_code: v.ente_code.clone(), v, year, section: "piano", closed, corrections })
}

fn plan_view(data: &CycleScores, chosen: Option<String>) -> PlanView {
    // The units whose objectives are listed: those of the chosen Direzione, or all.
    let listed: Option<std::collections::HashSet<&str>> = chosen
        .as_deref()
        .and_then(|c| data.units.iter().find(|u| u.code == c))
        .map(|root| traguardi_app::org::org_tree::subtree(&data.units, root).into_iter().map(|u| u.id.as_str()).collect());
    let too_many = listed.is_none() && data.objectives.len() > LISTED_AT_ONCE;
    // One pass over the objectives: top-level ones by dimension, all by unit, children by parent.
    let (mut by_dimension, mut by_unit): (HashMap<&str, usize>, HashMap<&str, usize>) = (HashMap::new(), HashMap::new());
    let mut children: HashMap<Option<&str>, Vec<&traguardi_domain::plan::records::Objective>> = HashMap::new();
    for o in &data.objectives {
        if o.parent_id.is_none() {
            *by_dimension.entry(o.dimension_id.as_str()).or_default() += 1;
        }
        if let Some(u) = o.unit_id.as_deref() {
            *by_unit.entry(u).or_default() += 1;
        }
        children.entry(o.parent_id.as_deref()).or_default().push(o);
    }
    let dimensions = data
        .dimensions
        .iter()
        .map(|d| {
            let s = data.board.dimensions.get(&d.id);
            Line {
                code: d.code.clone(),
                name: d.name.clone(),
                count: by_dimension.get(d.id.as_str()).copied().unwrap_or(0),
                depth: 0,
                place: String::new(),
                score: s.and_then(|s| view(s, data)),
                status: status(s),
            }
        })
        .filter(|l| l.count > 0)
        .collect();
    let direzioni = data
        .units
        .iter()
        .filter(|u| u.parent_id.is_none() || u.kind == UnitKind::Direzione)
        .filter_map(|u| {
            let s = data.board.units.get(&u.id)?;
            let count = by_unit.get(u.id.as_str()).copied().unwrap_or(0);
            Some(Line { code: u.code.clone(), name: u.name.clone(), count, depth: 0, place: String::new(), score: view(s, data), status: status(Some(s)) })
        })
        .collect();
    // Objectives by dimension, each followed by its children (depth-first, in plan order).
    let unit_name: HashMap<&str, &str> = data.units.iter().map(|u| (u.id.as_str(), u.name.as_str())).collect();
    let ambito_name: HashMap<&str, &str> = data.ambiti.iter().map(|a| (a.id.as_str(), a.name.as_str())).collect();
    let in_scope = |o: &traguardi_domain::plan::records::Objective| listed.as_ref().is_none_or(|l| o.unit_id.as_deref().is_some_and(|u| l.contains(u)));
    let groups = data
        .dimensions
        .iter()
        .filter(|_| !too_many)
        .filter_map(|d| {
            let mut items = Vec::new();
            let mut stack: Vec<(&traguardi_domain::plan::records::Objective, usize)> =
                children.get(&None).map(|v| v.iter().rev().filter(|o| o.dimension_id == d.id && in_scope(o)).map(|o| (*o, 0)).collect()).unwrap_or_default();
            while let Some((o, depth)) = stack.pop() {
                let s = data.board.objectives.get(&o.id);
                let place = o.unit_id.as_deref().and_then(|u| unit_name.get(u)).or_else(|| o.ambito_id.as_deref().and_then(|a| ambito_name.get(a)));
                items.push(Line {
                    code: o.code.clone(),
                    name: o.title.clone(),
                    count: 0,
                    depth,
                    place: place.map(|p| p.to_string()).unwrap_or_default(),
                    score: s.and_then(|s| view(s, data)),
                    status: status(s),
                });
                if let Some(kids) = children.get(&Some(o.id.as_str())) {
                    stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
                }
            }
            (!items.is_empty()).then(|| Group { code: d.code.clone(), name: d.name.clone(), items })
        })
        .collect();
    PlanView {
        ente_code: data.ente.code.to_string(),
        ente_name: data.ente.name.clone(),
        objectives: data.objectives.len(),
        kpis: data.kpis.len(),
        ente_score: data.board.ente.as_ref().and_then(|s| view(s, data)),
        dimensions,
        direzioni,
        groups,
        chosen,
        too_many,
    }
}

/// A value in Italian form: `1.234,5`, `24/07/2020`, `sì`.
pub fn value_it(v: &Value) -> String {
    match v {
        Value::Number(d) => number(*d),
        Value::Date(Some(d)) => format_date_it(*d),
        Value::Date(None) => t("non completato").into(),
        Value::Bool(b) => (if *b { t("sì") } else { t("no") }).into(),
    }
}

pub struct KpiView {
    pub code: String,
    pub name: String,
    pub measure: &'static str,
    pub direction: &'static str,
    pub aggregation: &'static str,
    pub weight: String,
    pub unit_label: Option<String>,
    pub formula: Option<String>,
    pub baseline: Option<String>,
    pub targets: Vec<(String, String)>,
    pub source: Option<String>,
    pub periods: Vec<(String, String)>,
    pub score: Option<ScoreView>,
    pub status: &'static str,
    pub explanation: String,
    /// Set when the latest value is older than the KPI's periodicity asks for.
    pub stale: Option<String>,
}

pub struct ObjectiveView {
    pub ente_code: String,
    pub ente_name: String,
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    pub dimension: String,
    pub ambito: Option<String>,
    pub unit: Option<String>,
    pub weight: String,
    pub state: String,
    pub tags: Vec<String>,
    pub parent: Option<(String, String)>,
    /// The DUP obiettivo operativo: code, title, Missione and Programma.
    pub dup: Option<String>,
    /// Contributing units, with their share when given.
    pub contributions: Vec<String>,
    pub children: Vec<(String, String)>,
    pub score: Option<ScoreView>,
    pub status: &'static str,
    pub explanation: String,
    pub kpis: Vec<KpiView>,
}

/// A PEG line funding the objective's DUP programma in its Direzione.
pub struct Resource {
    pub cdr: String,
    pub peg: String,
    pub description: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "objective.html")]
struct ObjectivePage {
    user: Option<UserView>,
    o: ObjectiveView,
    year: i32,
    /// None when the objective is linked to no DUP programma.
    resources: Option<(String, Vec<Resource>, String)>,
    /// Rimodulazioni of the objective and its KPIs: code, field, original, revised, from,
    /// reason, act.
    revisions: Vec<[String; 7]>,
}

async fn objective_page(
    State(s): State<AppState>,
    user: CurrentUser,
    Path((code, year, objective)): Path<(String, i32, String)>,
) -> Result<Response, WebError> {
    let data = s.scores.load(&s.store, &user.actor(), &code, year).await?;
    let calendar = traguardi_app::plan::monitoring::calendar_of(&s.store, &data.ente).await?;
    let o = objective_view(&data, &objective, &calendar, chrono::Local::now().date_naive())
        .ok_or_else(|| WebError(AppError::NotFound(said!("obiettivo {objective} inesistente nel ciclo {year}", objective = &objective, year = year))))?;
    let resources = resources_of(&s, &data, &objective, year).await?;
    let revisions = traguardi_app::cycle::revisions::of_cycle(&s.store, &user.actor(), &data.ente, year)
        .await?
        .into_iter()
        .filter(|r| r.objective == objective)
        .map(|r| [r.code, r.field, r.before, r.after, r.effective_on.format("%d/%m/%Y").to_string(), r.reason, r.act_code])
        .collect();
    html(ObjectivePage { user: user.view(), o, year, resources, revisions })
}

/// The objective's resources: the year's PEG lines of its DUP programma, in its Direzione.
async fn resources_of(s: &AppState, data: &CycleScores, code: &str, year: i32) -> Result<Option<(String, Vec<Resource>, String)>, WebError> {
    let Some(o) = data.objectives.iter().find(|o| o.code == code) else { return Ok(None) };
    let Some(dup) = o.dup_id.as_deref().and_then(|d| data.dup.iter().find(|x| x.id == d)) else { return Ok(None) };
    let (Some(m), Some(p)) = (&dup.missione, &dup.programma) else { return Ok(None) };
    let unit = o.unit_id.as_deref().and_then(|u| data.units.iter().find(|x| x.id == u)).map(|u| u.code.as_str());
    let lines = traguardi_app::budget::ledger::resources(&s.store, &data.ente.id, year, unit, m, p).await?;
    let total = lines.iter().map(|l| l.previsione).sum::<traguardi_domain::money::Cents>().to_string();
    let rows = lines
        .iter()
        .map(|l| Resource {
            cdr: format!("{} {}", l.cdr, l.cdr_name),
            peg: format!("{}/{}", l.capitolo, l.articolo),
            description: l.description.clone(),
            amount: l.previsione.to_string(),
        })
        .collect();
    Ok(Some((t2("Missione {}, Programma {}", m, p), rows, total)))
}

/// "Valore non aggiornato" when the latest period whose values are due has no value.
fn staleness(
    k: &traguardi_domain::plan::records::Kpi,
    last: Option<chrono::NaiveDate>,
    year: i32,
    (calendar, due_days): &(Calendar, u32),
    today: chrono::NaiveDate,
) -> Option<String> {
    if k.formula.is_some() {
        return None;
    }
    let expected = period_ends(&k.periodicity, year).into_iter().rfind(|p| due_date(calendar, *p, *due_days) < today)?;
    if last.is_some_and(|l| l >= expected) {
        return None;
    }
    let last = last.map_or_else(|| t("nessun valore").to_string(), |l| t1("ultimo valore al {}", format_date_it(l)));
    Some(t2("Valore non aggiornato: {}, atteso al {}", last, format_date_it(expected)))
}

fn objective_view(data: &CycleScores, code: &str, calendar: &(Calendar, u32), today: chrono::NaiveDate) -> Option<ObjectiveView> {
    let o = data.objectives.iter().find(|o| o.code == code)?;
    let dim = data.dimensions.iter().find(|d| d.id == o.dimension_id);
    let s = data.board.objectives.get(&o.id);
    let kpis = data
        .kpis
        .iter()
        .filter(|k| k.objective_id == o.id)
        .map(|k| {
            let r = data.board.kpis.get(&k.id);
            let scored = r.map(|r| &r.scored);
            // Year targets, then the targets of the periods of this year.
            let targets: Vec<(String, String)> = data
                .targets
                .iter()
                .filter(|t| t.kpi_id == k.id)
                .filter_map(|t| {
                    let label = match t.period_end {
                        None => t.year.to_string(),
                        Some(d) => t1("al {}", format_date_it(d)),
                    };
                    Value::from_text(k.measure, &t.value).map(|v| (label, value_it(&v)))
                })
                .collect();
            KpiView {
                code: k.code.clone(),
                name: k.name.clone(),
                measure: t(k.measure.code()),
                direction: t(k.direction.code()),
                aggregation: t(k.aggregation.code()),
                weight: k.weight.normalize().to_string().replace('.', ","),
                unit_label: k.unit_label.clone(),
                formula: k.formula.clone(),
                baseline: k.baseline.as_deref().and_then(|b| Value::from_text(k.measure, b)).map(|v| value_it(&v)),
                targets,
                source: k.source.clone(),
                periods: r
                    .map(|r| r.periods.iter().map(|(d, v)| (format_date_it(*d), v.as_ref().map_or_else(|| t("non valutabile").into(), value_it))).collect())
                    .unwrap_or_default(),
                score: scored.and_then(|s| view(s, data)),
                status: status(scored),
                explanation: scored.map(|s| s.explanation.in_lang(lang()).to_string()).unwrap_or_default(),
                stale: staleness(k, r.and_then(|r| r.periods.last().map(|(d, _)| *d)), data.cycle.year(), calendar, today),
            }
        })
        .collect();
    let code_title = |id: &str| data.objectives.iter().find(|x| x.id == id).map(|x| (x.code.clone(), x.title.clone()));
    Some(ObjectiveView {
        ente_code: data.ente.code.to_string(),
        ente_name: data.ente.name.clone(),
        code: o.code.clone(),
        title: o.title.clone(),
        description: o.description.clone(),
        dimension: dim.map(|d| d.name.clone()).unwrap_or_default(),
        ambito: o.ambito_id.as_deref().and_then(|a| data.ambiti.iter().find(|x| x.id == a)).map(|a| a.name.clone()),
        unit: o.unit_id.as_deref().and_then(|u| data.units.iter().find(|x| x.id == u)).map(|u| u.name.clone()),
        weight: o.weight.normalize().to_string().replace('.', ","),
        state: word(&o.state.label()),
        tags: o.tags.clone(),
        parent: o.parent_id.as_deref().and_then(code_title),
        dup: o.dup_id.as_deref().and_then(|d| data.dup.iter().find(|x| x.id == d)).map(|d| {
            let mp = match (&d.missione, &d.programma) {
                (Some(m), Some(p)) => format!(" ({})", t2("Missione {}, Programma {}", m, p)),
                (Some(m), None) => format!(" ({})", t1("Missione {}", m)),
                _ => String::new(),
            };
            format!("{} {}{mp}", d.code, d.title)
        }),
        contributions: data
            .contributions
            .iter()
            .filter(|c| c.objective_id == o.id)
            .filter_map(|c| {
                let u = data.units.iter().find(|u| u.id == c.unit_id)?;
                Some(match c.share {
                    Some(sh) => format!("{} ({}%)", u.name, traguardi_domain::plan::round::number(sh)),
                    None => u.name.clone(),
                })
            })
            .collect(),
        children: data.objectives.iter().filter(|c| c.parent_id.as_deref() == Some(o.id.as_str())).map(|c| (c.code.clone(), c.title.clone())).collect(),
        score: s.and_then(|s| view(s, data)),
        status: status(s),
        explanation: s.map(|s| s.explanation.in_lang(lang()).to_string()).unwrap_or_default(),
        kpis,
    })
}
