//! The cycle's year: `cycle` (opening years, removing a unit), `niv` (the NIV's sample),
//! `close` and the corrections of a closed year.

use anyhow::Result;
use traguardi_app::cycle::close::{self, CorrectionRequest};
use traguardi_app::{Actor, AppError, Store, cycle::cycles};
use traguardi_domain::value::NumberStyle;
use traguardi_domain::{Lang, Problem};

use crate::commands::{resolve, write_report};
use crate::{Format, Table, say};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand)]
pub(crate) enum CycleAction {
    /// Remove a unit from one cycle (earlier cycles keep it); refused while anything refers to it
    RemoveUnit {
        /// Unit code
        code: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        ente: Option<String>,
    },
    /// Open YEAR by copying the previous year's org tree and assignments
    Open {
        year: i32,
        #[arg(long)]
        ente: Option<String>,
    },
    /// List the cycles of an ente
    List {
        #[arg(long)]
        ente: Option<String>,
    },
}

#[derive(Subcommand)]
pub(crate) enum NivAction {
    /// Draw PCT % of the cycle's approved measurements at random (the seed is printed; --seme redraws the same sample)
    Campione {
        #[arg(long)]
        ente: Option<String>,
        #[arg(long)]
        cycle: i32,
        #[arg(long)]
        percentuale: String,
        #[arg(long)]
        seme: Option<u64>,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// `close`: the year-end, or its check.
#[derive(clap::Args)]
pub(crate) struct CloseArgs {
    #[arg(long)]
    ente: Option<String>,
    #[arg(long)]
    cycle: i32,
    /// Recompute the snapshot from the database and fail if anything frozen was altered
    #[arg(long, conflicts_with_all = ["force", "reason"])]
    verify: bool,
    /// Close although objectives are not validated by the NIV (needs --reason)
    #[arg(long, requires = "reason")]
    force: bool,
    /// Why the close is forced (recorded in the audit trail)
    #[arg(long, requires = "force")]
    reason: Option<String>,
}

/// `correzione`: one correction of a closed cycle.
#[derive(clap::Args)]
pub(crate) struct CorrectionArgs {
    #[arg(long)]
    ente: Option<String>,
    #[arg(long)]
    cycle: i32,
    /// What is corrected, e.g. "valori: SAL-12-K3 al 2020-12-31"
    #[arg(long)]
    oggetto: String,
    /// The value frozen at the close
    #[arg(long)]
    originale: String,
    /// The corrected value
    #[arg(long)]
    corretto: String,
    #[arg(long)]
    motivo: String,
    /// The act that orders it, registered with import atti
    #[arg(long)]
    atto: Option<String>,
}

pub(crate) async fn close(store: &Store, a: CloseArgs) -> Result<()> {
    let l = say::lang();
    let cycle = a.cycle;
    let ente = resolve(store, a.ente.as_deref()).await?;
    if a.verify {
        let hash = close::verify(store, &Actor::console(), &ente, cycle).await?;
        match l {
            Lang::It => out!("ciclo {cycle}: istantanea integra, SHA-256 {hash}"),
            Lang::En => out!("cycle {cycle}: snapshot intact, SHA-256 {hash}"),
        }
        return Ok(());
    }
    let reason = if a.force { a.reason.as_deref() } else { None };
    let r = close::close(store, &Actor::console(), &ente, cycle, reason).await?;
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
    Ok(())
}

pub(crate) async fn correct(store: &Store, a: CorrectionArgs) -> Result<()> {
    let ente = resolve(store, a.ente.as_deref()).await?;
    let r = CorrectionRequest { subject: &a.oggetto, before: &a.originale, after: &a.corretto, reason: &a.motivo, act: a.atto.as_deref() };
    let c = close::correct(store, &Actor::console(), &ente, a.cycle, r).await?;
    let (cycle, snapshot) = (a.cycle, &c.snapshot_hash[..12]);
    match say::lang() {
        Lang::It => out!("correzione registrata sul ciclo {cycle} (istantanea {snapshot}): {} «{}» → «{}»", c.subject, c.before, c.after),
        Lang::En => out!("correction recorded on cycle {cycle} (snapshot {snapshot}): {} «{}» → «{}»", c.subject, c.before, c.after),
    }
    Ok(())
}

pub(crate) async fn corrections(store: &Store, a: Table) -> Result<()> {
    let ente = resolve(store, a.ente.as_deref()).await?;
    let list = close::corrections(store, &Actor::console(), &ente, a.cycle).await?;
    write_report(a.format, a.out.as_deref(), || close::corrections_sheet(&list), || &list)
}

pub(crate) async fn niv(store: &Store, action: NivAction) -> Result<()> {
    let NivAction::Campione { ente, cycle, percentuale, seme, format, out } = action;
    let ente = resolve(store, ente.as_deref()).await?;
    let pct = NumberStyle::typed(&percentuale)
        .and_then(|style| traguardi_domain::value::parse_percent(&percentuale, style))
        .map_err(|k| AppError::Invalid(Problem { row: None, column: Some("--percentuale".into()), kind: k }.into()))?;
    let s = traguardi_app::cycle::niv::sample(store, &Actor::console(), &ente, cycle, pct, seme).await?;
    let (drawn, of, seed) = (s.items.len(), s.population, s.seed);
    match say::lang() {
        Lang::It => eprintln!("campione NIV {cycle}: {drawn} misurazioni su {of} approvate (seme {seed}: --seme {seed} estrae lo stesso campione)"),
        Lang::En => eprintln!("NIV sample {cycle}: {drawn} measurements of {of} approved (seed {seed}: --seme {seed} draws the same sample)"),
    }
    write_report(format, out.as_deref(), || s.sheet(), || &s)
}

pub(crate) async fn run(store: &Store, action: CycleAction) -> Result<()> {
    let l = say::lang();
    match action {
        CycleAction::Open { year, ente } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let r = cycles::open(store, &Actor::console(), &ente, year).await?;
            match l {
                Lang::It => out!("ciclo {} aperto da {}: {} strutture e {} incarichi copiati", r.year, r.from_year, r.units, r.assignments),
                Lang::En => out!("cycle {} opened from {}: {} units and {} assignments copied", r.year, r.from_year, r.units, r.assignments),
            }
        }
        CycleAction::RemoveUnit { code, year, ente } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let u = cycles::remove_unit(store, &Actor::console(), &ente, year, &code).await?;
            match l {
                Lang::It => out!("struttura {} «{}» tolta dal {year}", u.code, u.name),
                Lang::En => out!("unit {} «{}» removed from {year}", u.code, u.name),
            }
        }
        CycleAction::List { ente } => {
            let ente = resolve(store, ente.as_deref()).await?;
            for c in traguardi_app::cycle::cycles::calendars(store, &ente).await? {
                out!("{}", c.label());
            }
        }
    }
    Ok(())
}
