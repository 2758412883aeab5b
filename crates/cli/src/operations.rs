//! The operations of an installation's IT: backup and restore, the nightly recompute, the open data
//! of every ente.

use std::path::Path;
use traguardi_domain::said;
use traguardi_domain::said::Said;

use anyhow::{Context, Result};
use traguardi_app::{Actor, AppError, Store};
use traguardi_domain::Lang;

use crate::say;

/// Writes the archive next to `out` and renames it into place once complete, so that a failed
/// backup never leaves a file that looks whole.
pub async fn backup(store: &Store, out: &Path, ente: Option<&str>) -> Result<()> {
    let mut partial = out.as_os_str().to_owned();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    let file = std::fs::File::create(&partial).with_context(|| format!("{} {}", say::lang().pick("impossibile creare", "cannot create"), partial.display()))?;
    let written = traguardi_app::operations::backup::backup(store, &Actor::console(), ente, std::io::BufWriter::new(file)).await;
    let summary = match written {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e.into());
        }
    };
    std::fs::rename(&partial, out).with_context(|| format!("{} {}", say::lang().pick("impossibile scrivere", "cannot write"), out.display()))?;
    let what = summary.ente.as_deref().map(|c| format!(" (ente {c})")).unwrap_or_default();
    match say::lang() {
        Lang::It => {
            out!("copia di sicurezza{what} scritta in {}: {} tabelle, {} righe, sha256 {}", out.display(), summary.tables, summary.rows, summary.sha256)
        }
        Lang::En => out!("backup{what} written to {}: {} tables, {} rows, sha256 {}", out.display(), summary.tables, summary.rows, summary.sha256),
    }
    Ok(())
}

/// Loads an archive and reports, per ente, whether its audit trail verifies.
pub async fn restore(store: &Store, file: &Path) -> Result<()> {
    let input = std::fs::File::open(file).with_context(|| format!("{} {}", say::lang().pick("impossibile leggere", "cannot read"), file.display()))?;
    let r = traguardi_app::operations::backup::restore(store, &Actor::console(), std::io::BufReader::new(input)).await?;
    let l = say::lang();
    match l {
        Lang::It => out!("ripristinate {} righe di {} tabelle da {} (sha256 {})", r.archive.rows, r.archive.tables, file.display(), r.archive.sha256),
        Lang::En => out!("restored {} rows of {} tables from {} (sha256 {})", r.archive.rows, r.archive.tables, file.display(), r.archive.sha256),
    }
    let mut broken = Vec::new();
    for (code, verified) in &r.audit {
        match (verified, l) {
            (Ok(n), Lang::It) => out!("ente {code}: registro di audit integro, {n} record verificati"),
            (Ok(n), Lang::En) => out!("ente {code}: audit trail intact, {n} records verified"),
            (Err(e), _) => broken.push(said!("ente {code}: {problem}", code, problem => e.clone())),
        }
    }
    if !broken.is_empty() {
        return Err(AppError::Refused(Said::joined(broken, said!("; "))).into());
    }
    Ok(())
}

/// Recomputes every open cycle (of one ente, or of all), a line per ente; fails at the end if
/// any ente failed.
pub async fn recompute(store: &Store, ente: Option<&str>) -> Result<()> {
    use traguardi_app::operations::recompute::Outcome;
    let l = say::lang();
    let started = std::time::Instant::now();
    let done = traguardi_app::operations::recompute::open_cycles(store, &Actor::console(), ente, |e| {
        let cycles: Vec<String> = e
            .cycles
            .iter()
            .map(|(year, o)| match (o, l) {
                (Outcome::Computed { took, objectives }, Lang::It) => format!("{year} {objectives} obiettivi in {} ms", took.as_millis()),
                (Outcome::Computed { took, objectives }, Lang::En) => format!("{year} {objectives} objectives in {} ms", took.as_millis()),
                (Outcome::Closed, Lang::It) => format!("{year} chiuso"),
                (Outcome::Closed, Lang::En) => format!("{year} closed"),
                (Outcome::Failed(why), Lang::It) => format!("{year} ERRORE: {}", why.describe(l)),
                (Outcome::Failed(why), Lang::En) => format!("{year} ERROR: {}", why.describe(l)),
            })
            .collect();
        out!("{} {}: {}", e.code, e.name, if cycles.is_empty() { "-".to_string() } else { cycles.join("; ") });
    })
    .await?;
    let failed: Vec<&str> = done.iter().filter(|e| e.failed()).map(|e| e.code.as_str()).collect();
    over_enti(done.len(), &failed, started, "", |join| said!("ricalcolo non riuscito per gli enti {join}", join))
}

/// The last line of a command over many enti, and its failure when any of them failed.
fn over_enti(done: usize, failed: &[&str], started: std::time::Instant, place: &str, refused: impl FnOnce(String) -> Said) -> Result<()> {
    let secs = started.elapsed().as_secs_f64();
    match say::lang() {
        Lang::It => out!("{done} enti{place} in {secs:.1} s, {} con errori", failed.len()),
        Lang::En => out!("{done} enti{place} in {secs:.1} s, {} with errors", failed.len()),
    }
    if failed.is_empty() { Ok(()) } else { Err(AppError::Refused(refused(failed.join(", "))).into()) }
}

/// `export`: files for others.
#[derive(clap::Subcommand)]
pub(crate) enum ExportKind {
    /// The scores of every cycle and the premi tables of art. 20: a Frictionless data package
    /// per ente (OUT/CODE/datapackage.json) and an index package of them (OUT/datapackage.json)
    Opendata {
        #[arg(long, conflicts_with = "tutti", required_unless_present = "tutti")]
        ente: Option<String>,
        /// Every ente of the installation
        #[arg(long)]
        tutti: bool,
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

pub(crate) async fn export(store: &Store, what: ExportKind) -> Result<()> {
    let ExportKind::Opendata { ente, tutti: _, out } = what;
    let l = say::lang();
    let started = std::time::Instant::now();
    let done = traguardi_app::documents::opendata::export(store, &Actor::console(), ente.as_deref(), &out, |e| match &e.outcome {
        Ok(years) => {
            let years: Vec<String> = years.iter().map(i32::to_string).collect();
            out!("{} {}: {}", e.code, e.name, if years.is_empty() { "-".to_string() } else { years.join(" ") });
        }
        Err(why) => match l {
            Lang::It => out!("{} {}: ERRORE: {}", e.code, e.name, why.describe(l)),
            Lang::En => out!("{} {}: ERROR: {}", e.code, e.name, why.describe(l)),
        },
    })
    .await?;
    let failed: Vec<&str> = done.iter().filter(|e| e.outcome.is_err()).map(|e| e.code.as_str()).collect();
    over_enti(done.len(), &failed, started, &format!(" in {}", out.display()), |join| {
        said!("esportazione dei dati aperti non riuscita per gli enti {join}", join)
    })
}
