//! What "Amministrazione trasparente" publishes of each cycle, for everyone without login: the
//! plan once approved, its results, the Relazione's path, and the premi tables of D.Lgs 33/2013
//! art. 20 once a distribution is approved. Aggregates only: no person's premium leaves here.

use rust_decimal::Decimal;
use traguardi_docs::export::Sheet;
use traguardi_domain::plan::round::report;
use traguardi_domain::plan::workflow::State;
use traguardi_store::pay::Relazione;

use crate::pay::payouts::ScenarioSummary;
use crate::plan::scores::CycleScores;
use crate::{AppError, cycle::cycles, org::enti};
use traguardi_store::Store;

/// One cycle as published.
pub struct Published {
    pub year: i32,
    pub objectives: usize,
    /// Whether every objective has reached approval (the plan is in force).
    pub plan_approved: bool,
    pub ente_score: Option<Decimal>,
    pub relazione: Option<Relazione>,
    /// The approved distribution and its art. 20 tables.
    pub premi: Option<(ScenarioSummary, Sheet)>,
}

/// What is published of `year`, given its computed scores.
pub async fn published(store: &Store, data: &CycleScores) -> Result<Published, AppError> {
    let year = data.cycle.year();
    let relazione = crate::pay::relazione::relazione(store, &data.ente, year).await?;
    Ok(Published {
        year,
        objectives: data.objectives.len(),
        plan_approved: !data.objectives.is_empty() && data.objectives.iter().all(|o| o.state >= State::Approvato),
        ente_score: data.board.ente.as_ref().and_then(|s| s.outcome.score()).map(report),
        relazione,
        premi: crate::pay::payouts::published_tables(store, data.ente.code.as_str(), year).await?,
    })
}

/// The ente's cycles, most recent first.
#[tracing::instrument(skip_all, fields(ente = ente_code))]
pub async fn years(store: &Store, ente_code: &str) -> Result<Vec<i32>, AppError> {
    let ente = enti::find(store, Some(ente_code)).await?;
    let mut years = cycles::years(store, &ente).await?;
    years.reverse();
    Ok(years)
}

/// The open-data package of a cycle (Frictionless Data Package): its two tables, their columns
/// and types, so that anyone can read the CSV files without guessing.
pub fn datapackage(ente_code: &str, ente_name: &str, year: i32, with_premi: bool) -> serde_json::Value {
    let mut resources = vec![scores_resource("punteggi", "punteggi.csv")];
    if with_premi {
        resources.push(premi_resource("premi-art-20", "premi.csv"));
    }
    package(&format!("traguardi-{ente_code}-{year}"), &format!("Performance {year} · {ente_name}"), resources)
}

/// A package of `resources` under the open licence of what is published.
pub fn package(name: &str, title: &str, resources: Vec<serde_json::Value>) -> serde_json::Value {
    serde_json::json!({
        "name": name,
        "title": title,
        "licenses": [{ "name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0" }],
        "resources": resources,
    })
}

fn field(name: &str, kind: &str, description: &str) -> serde_json::Value {
    serde_json::json!({ "name": name, "type": kind, "description": description })
}

/// A CSV resource with these fields.
pub fn csv_resource(name: &str, path: &str, fields: Vec<serde_json::Value>) -> serde_json::Value {
    serde_json::json!({
        "name": name,
        "path": path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": { "fields": fields }
    })
}

/// The scores of a cycle (`Scoreboard` as `report scores`).
pub fn scores_resource(name: &str, path: &str) -> serde_json::Value {
    csv_resource(
        name,
        path,
        vec![
            field("livello", "string", "kpi | obiettivo | struttura | ente"),
            field("codice", "string", "codice del KPI, dell'obiettivo, della struttura o dell'ente"),
            field("percentuale", "number", "risultato da 0 a 100 (o oltre, fino al tetto), due decimali; vuoto se non valutabile o in attesa"),
            field("stato", "string", "valutato | non_valutabile | in_attesa"),
            field("semaforo", "string", "verde | giallo | rosso"),
            field("nome", "string", "nome"),
            field("dimensione", "string", "codice della dimensione (KPI e obiettivi)"),
            field("struttura", "string", "codice della struttura (KPI e obiettivi)"),
            field("valore", "string", "valore dell'anno (KPI)"),
            field("target", "string", "target dell'anno (KPI)"),
            field("spiegazione", "string", "come si è arrivati al risultato"),
        ],
    )
}

/// The premi tables of D.Lgs 33/2013 art. 20.
pub fn premi_resource(name: &str, path: &str) -> serde_json::Value {
    csv_resource(
        name,
        path,
        vec![
            field("destinatari", "string", "personale | dirigenti"),
            field("sezione", "string", "stanziato | erogato | destinatari | premio | distribuzione | differenziazione"),
            field("voce", "string", "che cosa è misurato"),
            field("valore", "number", "euro con due decimali, numero di persone o percentuale, secondo la voce"),
        ],
    )
}

/// The index of many enti's packages: one row per ente.
pub fn index_resource() -> serde_json::Value {
    csv_resource(
        "enti",
        "enti.csv",
        vec![
            field("codice", "string", "codice ISTAT dell'ente"),
            field("nome", "string", "nome dell'ente"),
            field("cicli", "string", "anni dei cicli pubblicati, separati da spazi"),
            field("pacchetto", "string", "percorso del pacchetto di dati dell'ente (datapackage.json)"),
        ],
    )
}
