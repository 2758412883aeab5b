//! "Amministrazione trasparente — Performance", public without login: each cycle's plan, its
//! results, the Relazione's path, the premi tables of D.Lgs 33/2013 art. 20, and the open data
//! (CSV with a Frictionless `datapackage.json`).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use traguardi_app::documents::transparency::{self, Published};
use traguardi_app::{AppError, org::enti};
use traguardi_domain::cycle::format_date_it;
use traguardi_domain::pay::relazione::RelazioneState;
use traguardi_domain::plan::round::it;
use traguardi_domain::said;

use crate::AppState;
use crate::auth::{CurrentUser, UserView};
use crate::documents::attachment;
use crate::error::WebError;
use crate::i18n::{Translate, lang, t, t1};
use crate::pages::html;

pub fn routes() -> Router<AppState> {
    Router::new().route("/enti/{code}/trasparenza", get(page)).route("/enti/{code}/trasparenza/{year}/{file}", get(open_data))
}

/// One cycle as the page shows it.
struct CycleView {
    p: Published,
    score: String,
    relazione: String,
    /// Whether the Relazione is published, and so linked as PDF.
    relazione_published: bool,
    /// The art. 20 rows: (recipients, section, item, value as shown).
    premi: Vec<[String; 4]>,
    premi_note: String,
    /// The year-end close: when, the snapshot's SHA-256 and the audit trail's head it recorded,
    /// so that anyone can keep them and check them later.
    close: Option<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "trasparenza.html")]
struct TransparencyPage {
    user: Option<UserView>,
    ente_name: String,
    nav_code: String,
    /// The tabs link to the latest cycle.
    year: i32,
    section: &'static str,
    cycles: Vec<CycleView>,
}

/// Where the Relazione stands, in words: "approvata dalla Giunta il 10/06/2021 (GC 1/2021)".
pub(crate) fn relazione_text(r: Option<&traguardi_domain::pay::relazione::Relazione>) -> String {
    let Some(r) = r else { return t("non ancora redatta").into() };
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| format!(" {}", t1("il {}", format_date_it(d)))).unwrap_or_default();
    let name = r.state.said().describe(lang());
    match r.state {
        RelazioneState::Pubblicata => format!("{name}{}", day(r.published_on)),
        RelazioneState::Validata => format!("{name}{}", day(r.validated_on)),
        RelazioneState::Approvata => format!("{name}{}{}", day(r.approved_on), r.act_code.as_deref().map(|a| format!(" ({a})")).unwrap_or_default()),
        RelazioneState::Bozza => name,
    }
}

/// A value of the art. 20 table as an Italian reader expects it: euro amounts with the decimal
/// comma and thousands dots, counts as they are.
fn shown(section: &str, item: &str, value: &str) -> String {
    let money = matches!(section, "stanziato" | "erogato" | "premio");
    match value.parse::<rust_decimal::Decimal>() {
        Ok(v) if money => match traguardi_domain::money::Cents::exact(v) {
            Some(cents) => format!("{cents} €"),
            None => value.to_string(),
        },
        Ok(v) if item.ends_with("(%)") => format!("{}%", it(v)),
        _ => value.to_string(),
    }
}

async fn page(State(s): State<AppState>, user: CurrentUser, Path(code): Path<String>) -> Result<Response, WebError> {
    let ente = enti::find(&s.store, Some(&code)).await?;
    let actor = user.actor();
    let mut cycles = Vec::new();
    for year in transparency::years(&s.store, &code).await? {
        let data = s.scores.load(&s.store, &actor, &code, year).await?;
        let p = transparency::published(&s.store, &data).await?;
        let premi = p
            .premi
            .as_ref()
            .map(|(_, sheet)| sheet.rows.iter().map(|r| [r[0].clone(), r[1].clone(), r[2].clone(), shown(&r[1], &r[2], &r[3])]).collect())
            .unwrap_or_default();
        let premi_note = match &p.premi {
            Some((sc, _)) => t1(
                "Distribuzione approvata il {}.",
                sc.approved_at
                    .as_deref()
                    .and_then(|a| a.get(..10))
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    .map_or_else(String::new, format_date_it),
            ),
            None => t("La distribuzione dei premi non è ancora approvata.").into(),
        };
        let close = traguardi_app::cycle::close::closed(&s.store, &ente, year).await?.map(|c| {
            let day = chrono::NaiveDate::parse_from_str(c.closed_at.get(..10).unwrap_or_default(), "%Y-%m-%d").map(format_date_it).unwrap_or_default();
            (day, c.content_hash, c.audit_head.map(|(seq, hash)| format!("{seq}:{hash}")).unwrap_or_default())
        });
        cycles.push(CycleView {
            close,
            score: p.ente_score.map(|v| format!("{}%", it(v))).unwrap_or_else(|| t("in attesa di dati").into()),
            relazione: relazione_text(p.relazione.as_ref()),
            relazione_published: p.relazione.as_ref().is_some_and(|r| r.state == RelazioneState::Pubblicata),
            premi,
            premi_note,
            p,
        });
    }
    html(TransparencyPage {
        user: user.view(),
        year: cycles.first().map_or(0, |c| c.p.year),
        ente_name: ente.name,
        nav_code: ente.code.to_string(),
        section: "trasparenza",
        cycles,
    })
}

/// `punteggi.csv`, `premi.csv` (once approved) and `datapackage.json`.
async fn open_data(State(s): State<AppState>, user: CurrentUser, Path((code, year, file)): Path<(String, i32, String)>) -> Result<Response, WebError> {
    let data = s.scores.load(&s.store, &user.actor(), &code, year).await?;
    let premi = || async { traguardi_app::pay::payouts::published_tables(&s.store, &code, year).await };
    let csv =
        |sheet: &traguardi_docs::export::Sheet| traguardi_docs::export::to_csv(sheet).map_err(|e| AppError::Refused(said!("CSV non generato: {e}", e = e)));
    let stem = format!("{code}-{year}");
    Ok(match file.as_str() {
        "punteggi.csv" => attachment("text/csv; charset=utf-8", &format!("punteggi-{stem}.csv"), csv(&data.sheet())?),
        "premi.csv" => match premi().await? {
            Some((_, sheet)) => attachment("text/csv; charset=utf-8", &format!("premi-{stem}.csv"), csv(&sheet)?),
            None => return Err(AppError::NotFound(said!("la distribuzione dei premi {year} non è ancora approvata", year = year)).into()),
        },
        "datapackage.json" => {
            let pkg = transparency::datapackage(&code, &data.ente.name, year, premi().await?.is_some());
            let mut bytes =
                serde_json::to_vec_pretty(&pkg).map_err(|e| AppError::Refused(said!("pacchetto dei dati aperti non generato: {error}", error = e)))?;
            bytes.push(b'\n');
            attachment("application/json", "datapackage.json", bytes)
        }
        other => return Err(AppError::NotFound(said!("«{other}» non è tra i dati aperti: punteggi.csv, premi.csv, datapackage.json", other = other)).into()),
    })
}
