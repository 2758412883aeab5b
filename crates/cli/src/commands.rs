//! The dispatch of the commands, each area's in its own module, and what they share: finding the
//! ente, reading a file, writing a report, serving.

use std::io::Write;
use traguardi_app::settings::Settings;
use traguardi_domain::said;

use anyhow::{Context, Result};
use traguardi_app::{Actor, AppError, Store, org::enti, plan::scores, samples::demo};
use traguardi_docs::export::{to_csv, to_xlsx};
use traguardi_domain::value::NumberStyle;
use traguardi_domain::{Lang, Problem};
use traguardi_web::AppState;

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
    let l = say::lang();
    match command {
        Command::Payout { what } => crate::premi::run(store, what).await?,
        Command::Relazione { at, stato, atto, data, nota } => {
            crate::premi::relazione(store, at, &stato, atto.as_deref(), data.as_deref(), nota.as_deref()).await?
        }
        Command::Niv { action: crate::cycle::NivAction::Campione { ente, cycle, percentuale, seme, format, out } } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let pct = NumberStyle::typed(&percentuale)
                .and_then(|style| traguardi_domain::value::parse_percent(&percentuale, style))
                .map_err(|k| AppError::Invalid(Problem { row: None, column: Some("--percentuale".into()), kind: k }.into()))?;
            let s = traguardi_app::cycle::niv::sample(store, &Actor::console(), &ente, cycle, pct, seme).await?;
            eprintln!(
                "campione NIV {cycle}: {} misurazioni su {} approvate (seme {}: --seme {} estrae lo stesso campione)",
                s.items.len(),
                s.population,
                s.seed,
                s.seed
            );
            write_report(format, out.as_deref(), || s.sheet(), || &s)?;
        }
        Command::Correzione { ente, cycle, oggetto, originale, corretto, motivo, atto } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let r = traguardi_app::cycle::close::CorrectionRequest {
                subject: &oggetto,
                before: &originale,
                after: &corretto,
                reason: &motivo,
                act: atto.as_deref(),
            };
            let c = traguardi_app::cycle::close::correct(store, &Actor::console(), &ente, cycle, r).await?;
            out!("correzione registrata sul ciclo {cycle} (istantanea {}): {} «{}» → «{}»", &c.snapshot_hash[..12], c.subject, c.before, c.after);
        }
        Command::Correzioni { ente, cycle, format, out } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let list = traguardi_app::cycle::close::corrections(store, &Actor::console(), &ente, cycle).await?;
            write_report(format, out.as_deref(), || traguardi_app::cycle::close::corrections_sheet(&list), || &list)?;
        }
        Command::Migrate => {
            store.migrate().await?;
            out!("{}", l.pick("schema del database aggiornato", "database schema up to date"));
        }
        Command::Serve { bind } => {
            store.migrate().await?;
            serve(store, &bind, None).await?;
        }
        Command::Backup { out, ente } => crate::operations::backup(store, &out, ente.as_deref()).await?,
        Command::Restore { file } => crate::operations::restore(store, &file).await?,
        Command::Ricalcola { ente, tutti: _ } => crate::operations::recompute(store, ente.as_deref()).await?,
        Command::Metropoli => {
            store.migrate().await?;
            traguardi_app::samples::metropoli::store(store).await?;
            out!("metropoli (ente 099999, ciclo {}) scritta nel database", traguardi_app::samples::metropoli::YEAR);
        }
        Command::Demo { bind, no_serve, anno_aperto } => {
            store.migrate().await?;
            let (ente, report) = demo::load(store).await?;
            if !anno_aperto {
                traguardi_app::samples::demo_years::finish(store, &ente).await?;
            }
            let what = match (report.created, l) {
                (true, Lang::It) => "caricato",
                (true, Lang::En) => "loaded",
                (false, Lang::It) => "già presente",
                (false, Lang::En) => "already present",
            };
            out!("{} ({}): {what}", ente.name, ente.code);
            if !no_serve {
                serve(store, &bind, Some(&ente.code.to_string())).await?;
            }
        }
        Command::Import { what } => crate::imports::run(store, what).await?,
        Command::Plan { action } => crate::plan::plan_command(store, action).await?,
        Command::Measurement { action } => crate::plan::measurement_command(store, action).await?,
        Command::Audit { ente, cycle, format, out, verify, head } => {
            let t = traguardi_app::accounts::audit::trail(store, &Actor::console(), ente.as_deref(), cycle).await?;
            if verify {
                let n = t.verified.clone().map_err(AppError::Refused)?;
                if let Some(kept) = head {
                    let (seq, hash) = traguardi_app::accounts::audit::parse_head(&kept)?;
                    if !t.reaches(seq, &hash) {
                        return Err(AppError::Refused(said!(
                            "il registro di audit non raggiunge la testa {seq}:{hash}: record alterati o rimossi dopo di essa",
                            seq,
                            hash
                        ))
                        .into());
                    }
                }
                match l {
                    Lang::It => out!("registro di audit integro: {n} record verificati"),
                    Lang::En => out!("audit trail intact: {n} records verified"),
                }
                if let Some((seq, hash)) = &t.head {
                    match l {
                        Lang::It => out!("testa della catena (da conservare altrove): {seq}:{hash}"),
                        Lang::En => out!("head of the chain (keep it elsewhere): {seq}:{hash}"),
                    }
                }
                return Ok(());
            }
            write_report(format, out.as_deref(), || t.sheet(), || &t.records)?;
        }
        Command::Remind { ente, cycle, oggi, dry_run } => {
            let today = parse_day(oggi.as_deref())?;
            if !dry_run {
                let smtp = Settings::from_env().map_err(|e| anyhow::anyhow!(e.describe(say::lang())))?.smtp;
                let s = traguardi_app::plan::monitoring::send_reminders(store, &Actor::console(), ente.as_deref(), cycle, today, smtp.as_ref()).await?;
                out!("solleciti: {} notifiche nell'applicazione, {} anche per e-mail, {} già inviati oggi", s.notified, s.emailed, s.already);
                if smtp.is_none() {
                    out!("e-mail non configurata (TRAGUARDI_SMTP): solo notifiche nell'applicazione");
                }
                for p in &s.without_email {
                    out!("{p}: nessun indirizzo e-mail, solo notifica nell'applicazione");
                }
                for f in &s.failed {
                    out!("e-mail non inviata a {f}");
                }
                for u in &s.orphans {
                    out!("{u}: valori in ritardo ma nessun responsabile indicato");
                }
                return Ok(());
            }
            let late = traguardi_app::plan::monitoring::late_values(store, &Actor::console(), ente.as_deref(), cycle, today).await?;
            let (who, orphans) = traguardi_app::plan::monitoring::reminders(&late);
            for r in &who {
                let due = traguardi_domain::cycle::format_date_it(r.oldest_due);
                let units = r.units.join(", ");
                match (l, r.reason) {
                    (Lang::It, "superiore") => {
                        out!("{}: {} valori in ritardo delle strutture {units} (sollecito al superiore; scadenza dal {due})", r.to, r.values)
                    }
                    (Lang::It, _) => out!("{}: {} valori in ritardo ({units}; scadenza dal {due})", r.to, r.values),
                    (Lang::En, "superiore") => out!("{}: {} late values of units {units} (escalated; due since {due})", r.to, r.values),
                    (Lang::En, _) => out!("{}: {} late values ({units}; due since {due})", r.to, r.values),
                }
            }
            for u in orphans {
                out!(
                    "{}",
                    match l {
                        Lang::It => format!("{u}: valori in ritardo ma nessun responsabile indicato"),
                        Lang::En => format!("{u}: late values but no responsible person"),
                    }
                );
            }
            if who.is_empty() {
                out!("{}", l.pick("nessun sollecito da inviare", "no reminder to send"));
            }
        }
        Command::Explain { code, ente, cycle } => {
            let s = scores::load(store, &Actor::console(), ente.as_deref(), cycle).await?;
            let lines = s
                .explain(&code)
                .ok_or_else(|| AppError::NotFound(said!("nessun obiettivo, KPI o struttura con codice {code} nel ciclo {cycle}", code, cycle)))?;
            for line in lines {
                out!("{line}");
            }
        }
        Command::Close { ente, cycle, verify, force, reason } => {
            let ente = resolve(store, ente.as_deref()).await?;
            if verify {
                let hash = traguardi_app::cycle::close::verify(store, &Actor::console(), &ente, cycle).await?;
                match l {
                    Lang::It => out!("ciclo {cycle}: istantanea integra, SHA-256 {hash}"),
                    Lang::En => out!("cycle {cycle}: snapshot intact, SHA-256 {hash}"),
                }
            } else {
                let reason = if force { reason.as_deref() } else { None };
                let r = traguardi_app::cycle::close::close(store, &Actor::console(), &ente, cycle, reason).await?;
                match l {
                    Lang::It => out!("ciclo {cycle} chiuso: SHA-256 {}", r.hash),
                    Lang::En => out!("cycle {cycle} closed: SHA-256 {}", r.hash),
                }
                if let Some((seq, hash)) = &r.audit_head {
                    match l {
                        Lang::It => out!("testa del registro di audit alla chiusura: {seq}:{hash}"),
                        Lang::En => out!("audit trail head at the close: {seq}:{hash}"),
                    }
                }
                if r.forced {
                    match l {
                        Lang::It => out!("chiusura forzata con {} obiettivi non validati dal NIV; motivo nel registro di audit", r.not_validated),
                        Lang::En => out!("close forced with {} objectives not validated by the NIV; reason in the audit trail", r.not_validated),
                    }
                }
            }
        }
        Command::Report { what } => crate::reports::run(store, what).await?,
        Command::Cycle { action } => crate::cycle::run(store, action).await?,
        Command::User { action } => crate::accounts::user(store, action).await?,
        Command::Ente { action } => crate::accounts::ente(store, action).await?,
    }
    Ok(())
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

async fn serve(store: &Store, bind: &str, ente: Option<&str>) -> Result<()> {
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
