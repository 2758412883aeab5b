//! The plan's workflow in the browser: how many objectives are in each state, and the form that
//! moves them on (all, or those listed) citing the act and a note — the planner approves with the
//! Giunta's act, the NIV validates or returns; every refusal says who may do what. The NIV draws
//! its sample of values to check here too.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use rust_decimal::Decimal;
use serde::Deserialize;
use traguardi_app::cycle::workflow::{self, Move};
use traguardi_app::{AppError, cycle::niv, org::enti};
use traguardi_domain::cycle::format_date_it;
use traguardi_domain::plan::workflow::{STATES, State as Stage};
use traguardi_domain::said;

use crate::AppState;
use crate::auth::{CurrentUser, UserView};
use crate::error::{WebError, forged};
use crate::i18n::{Translate, lang, t, t2, t3, word};
use crate::pages::html;

pub fn routes() -> Router<AppState> {
    Router::new().route("/enti/{code}/cicli/{year}/stato", get(state_page).post(act))
}

/// One line of the drawn sample.
struct SampleRow {
    kpi: String,
    objective: String,
    period: String,
    value: String,
    /// (id, file name) of each evidence file, to download.
    evidence: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "stato.html")]
struct StatePage {
    user: Option<UserView>,
    ente_name: String,
    nav_code: String,
    year: i32,
    section: &'static str,
    /// (state label, objectives in it)
    counts: Vec<(String, usize)>,
    /// (code, label) of the states one can move to
    targets: Vec<(&'static str, String)>,
    done: Option<String>,
    message: Option<String>,
    /// The sample just drawn: its heading, and its lines.
    sample: Option<(String, Vec<SampleRow>)>,
    /// How the close is announced, once done.
    closed: Option<String>,
    /// Where the Relazione stands, in words.
    relazione: String,
}

async fn render(s: &AppState, user: &CurrentUser, code: &str, year: i32, outcome: Outcome) -> Result<Response, WebError> {
    if user.view().is_none() {
        return Err(AppError::Forbidden { actor: t("pubblico").into(), what: said!("muovere gli obiettivi (serve l'accesso)") }.into());
    }
    let data = s.scores.load(&s.store, &user.actor(), code, year).await?;
    let counts = STATES.iter().map(|st| (st.label(), data.objectives.iter().filter(|o| o.state == *st).count())).filter(|(_, n)| *n > 0).collect();
    let targets = STATES.iter().filter(|st| **st != Stage::Chiuso).map(|st| (st.code(), word(&st.label()))).collect();
    html(StatePage {
        user: user.view(),
        ente_name: data.ente.name.clone(),
        nav_code: data.ente.code.to_string(),
        year,
        section: "stato",
        counts,
        targets,
        done: outcome.done,
        message: outcome.message,
        sample: outcome.sample,
        closed: crate::pages::plan::closed_note(s, &data).await?,
        relazione: crate::pages::transparency::relazione_text(traguardi_app::pay::relazione::relazione(&s.store, &data.ente, year).await?.as_ref()),
    })
}

/// What the last step did, to show with the page.
#[derive(Default)]
struct Outcome {
    done: Option<String>,
    message: Option<String>,
    sample: Option<(String, Vec<SampleRow>)>,
}

async fn state_page(State(s): State<AppState>, user: CurrentUser, Path((code, year)): Path<(String, i32)>) -> Result<Response, WebError> {
    render(&s, &user, &code, year, Outcome::default()).await
}

#[derive(Deserialize)]
struct StepForm {
    csrf: String,
    /// sposta | campione | chiudi | verifica | relazione
    azione: String,
    #[serde(default)]
    stato: String,
    /// Objective codes separated by spaces, commas or lines; none: every objective.
    #[serde(default)]
    obiettivi: String,
    #[serde(default)]
    atto: String,
    #[serde(default)]
    nota: String,
    #[serde(default)]
    percentuale: String,
    #[serde(default)]
    seme: String,
    /// Present when "chiudi anche se non tutto è validato" is ticked.
    forza: Option<String>,
    #[serde(default)]
    motivo: String,
}

/// Moves objectives, or draws the NIV's sample; the page says what happened or why not.
async fn act(State(s): State<AppState>, user: CurrentUser, Path((code, year)): Path<(String, i32)>, Form(f): Form<StepForm>) -> Result<Response, WebError> {
    if user.view().is_none_or(|u| u.csrf != f.csrf) {
        return Ok(forged());
    }
    let ente = enti::find(&s.store, Some(&code)).await?;
    let actor = user.actor();
    let result = match f.azione.as_str() {
        "sposta" => move_objectives(&s, &actor, &ente, year, &f).await,
        "campione" => draw(&s, &actor, &ente, year, &f).await,
        "chiudi" => close_cycle(&s, &actor, &ente, year, &f).await,
        "relazione" => relazione_step(&s, &actor, &ente, year, &f).await,
        "verifica" => traguardi_app::cycle::close::verify(&s.store, &actor, &ente, year).await.map(|hash| Outcome {
            done: Some(t2("Verifica superata: i dati congelati del {} corrispondono all'istantanea SHA-256 {}.", year, hash)),
            ..Outcome::default()
        }),
        other => Err(AppError::Refused(said!("azione «{other}» sconosciuta", other = other))),
    };
    match result {
        Ok(outcome) => render(&s, &user, &code, year, outcome).await,
        Err(e @ (AppError::Refused(_) | AppError::Invalid(_) | AppError::Conflict(_) | AppError::NotFound(_) | AppError::Forbidden { .. })) => {
            let status = match &e {
                AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
                AppError::NotFound(_) => StatusCode::NOT_FOUND,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let mut r = render(&s, &user, &code, year, Outcome { message: Some(e.describe(lang())), ..Outcome::default() }).await?;
            *r.status_mut() = status;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

async fn move_objectives(
    s: &AppState,
    actor: &traguardi_app::Actor,
    ente: &traguardi_domain::ente::Ente,
    year: i32,
    f: &StepForm,
) -> Result<Outcome, AppError> {
    let to = Stage::parse(&f.stato).ok_or_else(|| AppError::Refused(said!("stato «{stato}» inesistente", stato = &f.stato)))?;
    let codes: Vec<String> = f.obiettivi.split(|c: char| c.is_whitespace() || c == ',' || c == ';').filter(|c| !c.is_empty()).map(String::from).collect();
    let m = Move { codes: &codes, to, act: filled(&f.atto), note: filled(&f.nota) };
    let moved = workflow::transition(&s.store, actor, ente, year, m).await?;
    Ok(Outcome { done: Some(t2("{} obiettivi passati a «{}».", moved.objectives.len(), word(&to.label()))), ..Outcome::default() })
}

/// A step of the Relazione: approved with the Giunta's act, validated by the NIV, published.
async fn relazione_step(s: &AppState, actor: &traguardi_app::Actor, ente: &traguardi_domain::ente::Ente, year: i32, f: &StepForm) -> Result<Outcome, AppError> {
    let step =
        traguardi_app::pay::relazione::RelazioneStep { to: f.stato.trim(), act: filled(&f.atto), on: chrono::Utc::now().date_naive(), note: filled(&f.nota) };
    let r = traguardi_app::pay::relazione::relazione_step(&s.store, actor, Some(ente.code.as_str()), year, step).await?;
    Ok(Outcome { done: Some(t2("Relazione sulla Performance {}: {}.", year, crate::pages::transparency::relazione_text(Some(&r)))), ..Outcome::default() })
}

/// The year-end close: refused while objectives wait for the NIV, unless forced with a reason.
async fn close_cycle(s: &AppState, actor: &traguardi_app::Actor, ente: &traguardi_domain::ente::Ente, year: i32, f: &StepForm) -> Result<Outcome, AppError> {
    let force = match f.forza {
        Some(_) if f.motivo.trim().is_empty() => {
            return Err(AppError::Refused(said!("indicare il motivo della chiusura forzata: resta nel registro di audit")));
        }
        Some(_) => Some(f.motivo.trim()),
        None => None,
    };
    let r = traguardi_app::cycle::close::close(&s.store, actor, ente, year, force).await?;
    let done = if r.forced {
        t3(
            "Ciclo {} chiuso (chiusura forzata con {} obiettivi non validati: il motivo è nel registro di audit). Istantanea SHA-256 {}.",
            year,
            r.not_validated,
            &r.hash,
        )
    } else {
        t2("Ciclo {} chiuso. Istantanea SHA-256 {}.", year, &r.hash)
    };
    Ok(Outcome { done: Some(done), ..Outcome::default() })
}

/// A field's text, or nothing when left blank.
fn filled(t: &str) -> Option<&str> {
    Some(t.trim()).filter(|t| !t.is_empty())
}

async fn draw(s: &AppState, actor: &traguardi_app::Actor, ente: &traguardi_domain::ente::Ente, year: i32, f: &StepForm) -> Result<Outcome, AppError> {
    let invalid = |field: &str, kind| AppError::Invalid(traguardi_domain::Problem { row: None, column: Some(field.into()), kind }.into());
    let style = traguardi_domain::value::NumberStyle::typed(&f.percentuale).map_err(|k| invalid("percentuale", k))?;
    let percent: Decimal = traguardi_domain::value::parse_percent(&f.percentuale, style).map_err(|k| invalid("percentuale", k))?;
    let seed = match f.seme.trim() {
        "" => None,
        text => Some(text.parse::<u64>().map_err(|_| {
            invalid("seme", traguardi_domain::ProblemKind::BadFormat { value: text.into(), expected: traguardi_domain::said!("un numero intero non negativo") })
        })?),
    };
    let sample = niv::sample(&s.store, actor, ente, year, percent, seed).await?;
    let heading =
        t3("Campione di {} valori su {} approvati (seme {}: lo stesso seme estrae lo stesso campione)", sample.items.len(), sample.population, sample.seed);
    let rows = sample
        .items
        .into_iter()
        .map(|i| SampleRow {
            kpi: i.kpi,
            objective: i.objective,
            period: format_date_it(i.period_end),
            value: i.value,
            evidence: i.evidence.iter().map(|f| (f.id.clone(), f.name.clone())).collect(),
        })
        .collect();
    Ok(Outcome { sample: Some((heading, rows)), ..Outcome::default() })
}
