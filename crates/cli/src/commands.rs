//! The dispatch of the commands, each area's in its own module, and what they share: finding the
//! ente, reading a file, writing a report.

use std::io::Write;

use anyhow::{Context, Result};
use traguardi_app::{AppError, Store, org::enti};
use traguardi_docs::export::{to_csv, to_xlsx};
use traguardi_domain::Problem;

use crate::{Cli, Command, Format, PayoutKind, say};

pub async fn run(cli: Cli) -> Result<()> {
    // Calculators read a file and need no database.
    if let Command::Payout { what: what @ PayoutKind::Dirigenti { .. } } = cli.command {
        return crate::premi::payout(what).await;
    }
    let store = Store::connect(&cli.database_url).await?;
    let result = dispatch(&store, cli.command).await;
    store.close().await;
    result
}

async fn dispatch(store: &Store, command: Command) -> Result<()> {
    match command {
        Command::Migrate => crate::serve::migrate(store).await,
        Command::Serve { bind } => {
            store.migrate().await?;
            crate::serve::serve(store, &bind, None).await
        }
        Command::Demo(a) => crate::serve::demo(store, a).await,
        Command::Metropoli => crate::serve::metropoli(store).await,
        Command::Sintetico(a) => crate::serve::sintetico(store, a).await,
        Command::Backup { out, ente } => crate::operations::backup(store, &out, ente.as_deref()).await,
        Command::Restore { file } => crate::operations::restore(store, &file).await,
        Command::Ricalcola { ente, tutti: _ } => crate::operations::recompute(store, ente.as_deref()).await,
        Command::Import { what } => crate::imports::run(store, what).await,
        Command::Plan { action } => crate::plan::plan_command(store, action).await,
        Command::Measurement { action } => crate::plan::measurement_command(store, action).await,
        Command::Remind(a) => crate::monitoring::remind(store, a).await,
        Command::Explain(a) => crate::monitoring::explain(store, a).await,
        Command::Cycle { action } => crate::cycle::run(store, action).await,
        Command::Niv { action } => crate::cycle::niv(store, action).await,
        Command::Close(a) => crate::cycle::close(store, a).await,
        Command::Correzione(a) => crate::cycle::correct(store, a).await,
        Command::Correzioni(a) => crate::cycle::corrections(store, a).await,
        Command::Payout { what } => crate::premi::run(store, what).await,
        Command::Relazione { at, stato, atto, data, nota } => {
            crate::premi::relazione(store, at, &stato, atto.as_deref(), data.as_deref(), nota.as_deref()).await
        }
        Command::Export { what } => crate::operations::export(store, what).await,
        Command::Report { what } => crate::reports::run(store, what).await,
        Command::Audit(a) => crate::accounts::audit(store, a).await,
        Command::User { action } => crate::accounts::user(store, action).await,
        Command::Ente { action } => crate::accounts::ente(store, action).await,
    }
}

/// `--oggi DATE`, or today.
pub(crate) fn parse_day(oggi: Option<&str>) -> Result<chrono::NaiveDate> {
    Ok(match oggi {
        Some(d) => {
            traguardi_domain::value::parse_date(d).map_err(|k| AppError::Invalid(Problem { row: None, column: Some("--oggi".into()), kind: k }.into()))?
        }
        None => chrono::Local::now().date_naive(),
    })
}

pub(crate) fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("{}: {}", say::lang().pick("file non leggibile", "cannot read file"), path.display()))
}

/// A text file (rules), which must be UTF-8.
pub(crate) fn read_text(path: &std::path::Path) -> Result<String> {
    String::from_utf8(read_file(path)?)
        .map_err(|_| anyhow::anyhow!("{}: {}", path.display(), say::lang().pick("il file non è in UTF-8", "the file is not UTF-8")))
}

pub(crate) async fn resolve(store: &Store, code: Option<&str>) -> Result<traguardi_domain::ente::Ente> {
    Ok(enti::find(store, code).await?)
}

/// A report in the chosen format: the table as CSV or XLSX, or the data as JSON. Each is built
/// only when asked for.
pub(crate) fn write_report<T: serde::Serialize>(
    format: Format,
    out: Option<&std::path::Path>,
    sheet: impl FnOnce() -> traguardi_docs::export::Sheet,
    data: impl FnOnce() -> T,
) -> Result<()> {
    let bytes = match format {
        Format::Csv => to_csv(&sheet())?,
        Format::Xlsx => to_xlsx(&sheet())?,
        Format::Json => {
            let mut v = serde_json::to_vec_pretty(&data())?;
            v.push(b'\n');
            v
        }
    };
    emit(&bytes, out)
}

/// Writes a report to FILE, or to standard output.
pub(crate) fn emit(bytes: &[u8], out: Option<&std::path::Path>) -> Result<()> {
    match out {
        Some(path) => {
            std::fs::write(path, bytes).with_context(|| format!("{} {}", say::lang().pick("impossibile scrivere", "cannot write"), path.display()))?
        }
        None => match std::io::stdout().write_all(bytes) {
            // The reader went away (e.g. `| head`): like any Unix tool, stop quietly.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other?,
        },
    }
    Ok(())
}
