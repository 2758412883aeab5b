//! Running Traguardi: the schema, the server, the demo, and the metropoli and the synthetic
//! comuni of the benchmarks.

use std::io::Write;

use anyhow::{Context, Result};
use traguardi_app::Store;
use traguardi_app::samples::{demo, demo_years, metropoli, sintetico};
use traguardi_app::settings::Settings;
use traguardi_domain::Lang;
use traguardi_web::AppState;

use crate::say;

/// `demo`: the demo ente, loaded and served.
#[derive(clap::Args)]
pub(crate) struct DemoArgs {
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: String,
    /// Load the data only, do not start the server
    #[arg(long)]
    no_serve: bool,
    /// Leave 2020 open, as imported, to try its year-end yourself (approving the Piano and
    /// the Relazione, the NIV's sample and validation, the premi, the close); without it
    /// 2020 is a finished year and 2021 is in monitoring
    #[arg(long)]
    anno_aperto: bool,
}

pub(crate) async fn migrate(store: &Store) -> Result<()> {
    store.migrate().await?;
    out!("{}", say::lang().pick("schema del database aggiornato", "database schema up to date"));
    Ok(())
}

pub(crate) async fn demo(store: &Store, a: DemoArgs) -> Result<()> {
    store.migrate().await?;
    let (ente, report) = demo::load(store).await?;
    if !a.anno_aperto {
        demo_years::finish(store, &ente).await?;
    }
    let what = match (report.created, say::lang()) {
        (true, Lang::It) => "caricato",
        (true, Lang::En) => "loaded",
        (false, Lang::It) => "già presente",
        (false, Lang::En) => "already present",
    };
    out!("{} ({}): {what}", ente.name, ente.code);
    if !a.no_serve {
        serve(store, &a.bind, Some(&ente.code.to_string())).await?;
    }
    Ok(())
}

pub(crate) async fn metropoli(store: &Store) -> Result<()> {
    store.migrate().await?;
    metropoli::store(store).await?;
    match say::lang() {
        Lang::It => out!("metropoli (ente 099999, ciclo {}) scritta nel database", metropoli::YEAR),
        Lang::En => out!("metropoli (ente 099999, cycle {}) written to the database", metropoli::YEAR),
    }
    Ok(())
}

/// `sintetico`: many synthetic comuni.
#[derive(clap::Args)]
pub(crate) struct SinteticoArgs {
    /// How many enti (1 to 99999)
    #[arg(long)]
    enti: usize,
    /// The seed: the same seed writes the same enti
    #[arg(long, default_value_t = 1)]
    seme: u64,
}

pub(crate) async fn sintetico(store: &Store, a: SinteticoArgs) -> Result<()> {
    store.migrate().await?;
    let started = std::time::Instant::now();
    let w = sintetico::store(store, a.enti, a.seme, 50, |done| {
        if done % 500 == 0 || done == a.enti {
            let seconds = started.elapsed().as_secs_f64();
            match say::lang() {
                Lang::It => eprintln!("{done} enti scritti ({seconds:.1} s)"),
                Lang::En => eprintln!("{done} enti written ({seconds:.1} s)"),
            }
        }
    })
    .await?;
    let seconds = started.elapsed().as_secs_f64();
    match say::lang() {
        Lang::It => out!(
            "{} enti sintetici (codici 900001–{}, ciclo {}), {} dipendenti, {} righe in {seconds:.1} s",
            w.enti,
            900_000 + w.enti,
            sintetico::YEAR,
            w.staff,
            w.rows
        ),
        Lang::En => out!(
            "{} synthetic enti (codes 900001–{}, cycle {}), {} staff, {} rows in {seconds:.1} s",
            w.enti,
            900_000 + w.enti,
            sintetico::YEAR,
            w.staff,
            w.rows
        ),
    }
    Ok(())
}

/// Serves until stopped; with `ente`, the demo's welcome names its pages and accounts.
pub(crate) async fn serve(store: &Store, bind: &str, ente: Option<&str>) -> Result<()> {
    let l = say::lang();
    let settings = Settings::from_env().map_err(|e| anyhow::anyhow!(e.describe(l)))?;
    let state = AppState::with_settings(store.clone(), &settings);
    #[cfg(feature = "oidc")]
    let state = match traguardi_web::oidc::Config::from_env() {
        None => state,
        Some(Err(m)) => anyhow::bail!("OpenID Connect: {m}"),
        Some(Ok(config)) => tokio::task::spawn_blocking(move || state.with_oidc(config)).await?.map_err(|m| anyhow::anyhow!("OpenID Connect: {m}"))?,
    };
    traguardi_web::serve(state, bind, |addr| {
        let url = format!("http://{addr}/");
        let listening = l.pick("Traguardi è in ascolto", "Traguardi is listening");
        // A server keeps serving when nobody reads its standard output: write without panicking.
        let mut out = std::io::stdout().lock();
        let _ = match ente {
            Some(code) => writeln!(
                out,
                "{listening}: {url}enti/{code}\n{}",
                match l {
                    Lang::It => format!(
                        "Le pagine pubbliche si consultano senza credenziali. Accesso: {url}login con gli utenti {} (password «{}»). Ctrl-C per fermare.",
                        demo::ACCOUNTS.map(|a| a.0).join(", "),
                        demo::PASSWORD
                    ),
                    Lang::En => format!(
                        "Public pages need no credentials. Log in at {url}login as {} (password «{}»). Ctrl-C to stop.",
                        demo::ACCOUNTS.map(|a| a.0).join(", "),
                        demo::PASSWORD
                    ),
                }
            ),
            None => writeln!(out, "{listening}: {url}"),
        };
        let _ = out.flush();
    })
    .await
    .with_context(|| format!("{} {bind}", l.pick("impossibile ascoltare su", "cannot listen on")))?;
    Ok(())
}
