//! `export opendata`: what "Amministrazione trasparente" publishes as open data, written to
//! disk for one ente or for every ente of the installation. Each ente gets a Frictionless data
//! package of its own (`CODE/datapackage.json`: the scores of each cycle, and the premi tables
//! of art. 20 once a distribution is approved); the directory gets an index package listing
//! them (`datapackage.json`, `enti.csv`). One ente's failure is reported and leaves nothing of
//! it behind; the others go on.

use std::path::{Path, PathBuf};

use traguardi_docs::export::{Sheet, to_csv};
use traguardi_domain::said;
use traguardi_store::Store;
use traguardi_store::ente::Ente;

use crate::documents::transparency::{csv_resource, index_resource, package, premi_resource, scores_resource};
use crate::{Actor, AppError, cycle::cycles, org::enti, pay::payouts, plan::scores};

/// What was written of one ente.
#[derive(Debug)]
pub struct EnteExported {
    pub code: String,
    pub name: String,
    /// The years written, or why nothing was.
    pub outcome: Result<Vec<i32>, AppError>,
}

/// Writes the open data of `ente_code`, or of every ente when `None`, under `out`; `each` is
/// told of every ente as it is done.
#[tracing::instrument(skip_all, fields(ente = ente_code))]
pub async fn export(
    store: &Store,
    actor: &Actor,
    ente_code: Option<&str>,
    out: &Path,
    mut each: impl FnMut(&EnteExported),
) -> Result<Vec<EnteExported>, AppError> {
    let all = match ente_code {
        Some(code) => vec![enti::find(store, Some(code)).await?],
        None => enti::list(store).await?,
    };
    std::fs::create_dir_all(out).map_err(|e| write_failed(out, &e))?;
    let mut done = Vec::new();
    for ente in all {
        let dir = out.join(ente.code.as_str());
        let outcome = one(store, actor, &ente, &dir).await;
        if outcome.is_err() {
            // Nothing half-written of a failed ente.
            let _ = std::fs::remove_dir_all(&dir);
        }
        let exported = EnteExported { code: ente.code.to_string(), name: ente.name.clone(), outcome };
        each(&exported);
        done.push(exported);
    }
    let index: Vec<Vec<String>> = done
        .iter()
        .filter_map(|e| {
            let years = e.outcome.as_ref().ok()?;
            let years = years.iter().map(i32::to_string).collect::<Vec<_>>().join(" ");
            Some(vec![e.code.clone(), e.name.clone(), years, format!("{}/datapackage.json", e.code)])
        })
        .collect();
    let header = ["codice", "nome", "cicli", "pacchetto"].map(String::from).to_vec();
    write(out, "enti.csv", &csv(&Sheet { name: "enti".into(), header, rows: index })?)?;
    let title = if ente_code.is_some() { "Performance: indice" } else { "Performance di tutti gli enti: indice" };
    write(out, "datapackage.json", &json(&package("traguardi-enti", title, vec![index_resource()]))?)?;
    Ok(done)
}

/// Writes one ente's package: every cycle's scores, and its premi once approved.
async fn one(store: &Store, actor: &Actor, ente: &Ente, dir: &Path) -> Result<Vec<i32>, AppError> {
    std::fs::create_dir_all(dir).map_err(|e| write_failed(dir, &e))?;
    let code = ente.code.as_str();
    let years = cycles::years(store, ente).await?;
    let mut resources = Vec::new();
    for &year in &years {
        let data = scores::load(store, actor, Some(code), year).await?;
        let path = format!("punteggi-{year}.csv");
        write(dir, &path, &csv(&data.sheet())?)?;
        resources.push(scores_resource(&format!("punteggi-{year}"), &path));
        if let Some((_, sheet)) = payouts::published_tables(store, code, year).await? {
            let path = format!("premi-{year}.csv");
            write(dir, &path, &csv(&sheet)?)?;
            resources.push(premi_resource(&format!("premi-art-20-{year}"), &path));
        }
    }
    if resources.is_empty() {
        // An ente with no cycle yet still has a valid package: its (empty) list of cycles.
        write(dir, "cicli.csv", &csv(&Sheet { name: "cicli".into(), header: vec!["anno".into()], rows: Vec::new() })?)?;
        resources.push(csv_resource("cicli", "cicli.csv", vec![serde_json::json!({ "name": "anno", "type": "integer" })]));
    }
    write(dir, "datapackage.json", &json(&package(&format!("traguardi-{code}"), &format!("Performance · {}", ente.name), resources))?)?;
    Ok(years)
}

fn csv(sheet: &Sheet) -> Result<Vec<u8>, AppError> {
    to_csv(sheet).map_err(|e| AppError::Refused(said!("CSV non generato: {e}", e = e)))
}

fn json(value: &serde_json::Value) -> Result<Vec<u8>, AppError> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|e| AppError::Refused(said!("pacchetto dei dati aperti non generato: {error}", error = e)))?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), AppError> {
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, bytes).map_err(|e| write_failed(&path, &e))
}

fn write_failed(path: &Path, e: &std::io::Error) -> AppError {
    AppError::Refused(said!("impossibile scrivere {path}: {error}", path = path.display().to_string(), error = e.to_string()))
}
