//! `traguardi import KIND FILE`: every import of the command line, one use case each.

use anyhow::Result;
use chrono::Datelike;
use traguardi_app::{
    Actor, Store, budget::import_mapped, budget::import_pdc, budget::import_peg, cycle::import_acts, org::import_org, org::import_people,
    plan::import_dimensions, plan::import_dup, plan::import_measurements, plan::import_plan,
};
use traguardi_docs::ReadOptions;
use traguardi_domain::Lang;
use traguardi_domain::value::NumberStyle;

use crate::commands::{read_file, resolve};
use crate::say;
use clap::{Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Decimals {
    It,
    En,
}

#[derive(clap::Args)]
pub(crate) struct ImportArgs {
    /// The CSV or XLSX file
    pub(crate) file: PathBuf,
    /// ISTAT code of the ente (optional when the database holds one ente)
    #[arg(long)]
    pub(crate) ente: Option<String>,
    /// Year of the cycle (default: the latest cycle, or the current year)
    #[arg(long)]
    pub(crate) cycle: Option<i32>,
    /// Check the file and report what would change, writing nothing
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Number style of the file, when the detection should be overridden
    #[arg(long, value_enum)]
    pub(crate) decimali: Option<Decimals>,
}

#[derive(Subcommand)]
pub(crate) enum ImportKind {
    /// Org chart: codice,nome,tipo,padre,cdr[,responsabile,inizio,fine,codice_precedente]
    Org(ImportArgs),
    /// People and assignments: matricola,cognome,nome,struttura,ruolo,categoria[,…]
    People(ImportArgs),
    /// The plan, one row per KPI: dimensione,ambito,struttura,obiettivo,…,kpi,…,target,kpi_peso
    Plan(ImportArgs),
    /// KPI values: kpi,data,valore,nota[,non_valutabile,causa]
    Measurements(ImportArgs),
    /// DUP objectives: codice,tipo,titolo,missione,programma,padre[,direzione,tag,finalita]
    Dup(ImportArgs),
    /// Dimensions of the plan and their ambiti: dimensione,nome,ambito,ambito_nome
    Dimensioni(ImportArgs),
    /// The piano dei conti, from the SIOPE glossary as published: codice_voce,macro,descrizione
    Pdc(ImportArgs),
    /// Acts with their pareri: organo,numero,data,oggetto[,proposta,immediatamente_eseguibile,albo_dal,parere_…]
    Atti(ImportArgs),
    /// A fund of a cycle (the staff's fondo risorse decentrate, the dirigenti's, the EQ's): voce,descrizione,natura,importo[,uso,fuori_limite]
    Fondo {
        #[command(flatten)]
        args: ImportArgs,
        /// Which fund: dipendenti (default), dirigenti, eq
        #[arg(long, default_value = "dipendenti")]
        fondo: String,
        /// The cap of art. 23 c.2 D.Lgs 75/2017, in euro
        #[arg(long)]
        limite: Option<String>,
        /// Who certified the fund (the organo di revisione, with the minutes)
        #[arg(long)]
        certificato_da: Option<String>,
        /// When it was certified (AAAA-MM-GG or GG/MM/AAAA)
        #[arg(long, requires = "certificato_da")]
        certificato_il: Option<String>,
    },
    /// Individual evaluations: matricola[,valutatore,revisore,risultati,comportamenti,colloquio_…,firmata_il,contestata_il,conciliazione,punteggio_conciliato,note]
    Valutazioni(ImportArgs),
    /// Absences that may reduce presence: matricola,causale,giorni
    Assenze(ImportArgs),
    /// The result-pay base of each managerial position: struttura,base
    Posizioni(ImportArgs),
    /// PEG lines: anno,cdr,cdr_nome,direzione,capitolo,articolo,pdc,descrizione,vincolo,missione,programma,previsione[,…]
    Peg(ImportArgs),
    /// A budget in another layout, read through a mapping (a rendiconto by Missione, a State budget by capitolo)
    Bilancio {
        #[command(flatten)]
        args: ImportArgs,
        /// Built-in mapping (rendiconto-spese-missioni, rendiconto-entrate-tipologie, stato-bilancio-capitoli, stato-rendiconto-capitoli) or a mapping file
        #[arg(long)]
        mappa: String,
        /// The year of the amounts, when the mapping does not say it
        #[arg(long)]
        anno: Option<i32>,
    },
}

/// The ente, the year (given, else the latest cycle, else the current year) and the file's bytes.
pub(crate) async fn prepare(store: &Store, args: &ImportArgs) -> Result<(traguardi_domain::ente::Ente, i32, Vec<u8>)> {
    let bytes = read_file(&args.file)?;
    let ente = resolve(store, args.ente.as_deref()).await?;
    let year = match args.cycle {
        Some(y) => y,
        None => match traguardi_app::cycle::cycles::years(store, &ente).await?.last() {
            Some(y) => *y,
            None => chrono::Local::now().year(),
        },
    };
    Ok((ente, year, bytes))
}

pub(crate) fn read_options(decimali: Option<Decimals>) -> ReadOptions {
    let decimals = decimali.map(|d| match d {
        Decimals::It => NumberStyle::It,
        Decimals::En => NumberStyle::En,
    });
    ReadOptions { decimals, ..ReadOptions::default() }
}

pub(crate) async fn run(store: &Store, what: ImportKind) -> Result<()> {
    let l = say::lang();
    match what {
        ImportKind::Org(args) => {
            let (ente, year, bytes) = prepare(store, &args).await?;
            let r = import_org::import_org(store, &Actor::console(), &ente, year, &bytes, read_options(args.decimali), args.dry_run).await?;
            out!("{}", say::org_report(&r));
        }
        ImportKind::People(args) => {
            let (ente, year, bytes) = prepare(store, &args).await?;
            let r = import_people::import_people(store, &Actor::console(), &ente, year, &bytes, read_options(args.decimali), args.dry_run).await?;
            out!("{}", say::people_report(&r));
        }
        ImportKind::Plan(args) => {
            let (ente, year, bytes) = prepare(store, &args).await?;
            let r = import_plan::import_plan(store, &Actor::console(), &ente, year, &bytes, read_options(args.decimali), args.dry_run).await?;
            out!("{}", say::plan_report(&r));
        }
        ImportKind::Measurements(args) => {
            let (ente, year, bytes) = prepare(store, &args).await?;
            let r = import_measurements::import_measurements(store, &Actor::console(), &ente, year, &bytes, read_options(args.decimali), args.dry_run).await?;
            out!("{}", say::measurements_report(&r));
        }
        ImportKind::Dup(args) => {
            let ente = resolve(store, args.ente.as_deref()).await?;
            let r = import_dup::import_dup(store, &Actor::console(), &ente, &read_file(&args.file)?, read_options(args.decimali), args.dry_run).await?;
            out!("{}", say::dup_report(&r));
        }
        ImportKind::Dimensioni(args) => {
            let ente = resolve(store, args.ente.as_deref()).await?;
            let bytes = read_file(&args.file)?;
            let r = import_dimensions::import_dimensions(store, &Actor::console(), &ente, &bytes, read_options(args.decimali), args.dry_run).await?;
            out!("{}", say::dimensions_report(&r, args.dry_run));
        }
        ImportKind::Atti(args) => {
            let ente = resolve(store, args.ente.as_deref()).await?;
            let c = import_acts::import_acts(store, &Actor::console(), &ente, &read_file(&args.file)?, read_options(args.decimali), args.dry_run).await?;
            match l {
                Lang::It => out!("atti: {} nuovi, {} aggiornati, {} invariati", c.created.len(), c.updated.len(), c.unchanged),
                Lang::En => out!("acts: {} new, {} updated, {} unchanged", c.created.len(), c.updated.len(), c.unchanged),
            }
            if args.dry_run {
                out!("{}", l.pick("prova (--dry-run): nulla è stato scritto", "trial (--dry-run): nothing was written"));
            }
        }
        ImportKind::Fondo { args, fondo, limite, certificato_da, certificato_il } => {
            crate::premi::import_fund(store, &args, &fondo, limite.as_deref(), certificato_da, certificato_il.as_deref()).await?;
        }
        ImportKind::Valutazioni(args) => crate::premi::import_evaluations(store, &args).await?,
        ImportKind::Assenze(args) => crate::premi::import_absences(store, &args).await?,
        ImportKind::Posizioni(args) => crate::premi::import_positions(store, &args).await?,
        ImportKind::Pdc(args) => {
            let ente = resolve(store, args.ente.as_deref()).await?;
            let r = import_pdc::import_pdc(store, &Actor::console(), &ente, &read_file(&args.file)?, read_options(args.decimali), args.dry_run).await?;
            out!("{}", say::pdc_report(&r));
        }
        ImportKind::Bilancio { args, mappa, anno } => {
            let ente = resolve(store, args.ente.as_deref()).await?;
            let mut mapping = import_mapped::load_mapping(&mappa)?;
            mapping.anno = mapping.anno.or(anno);
            let bytes = read_file(&args.file)?;
            let r = import_mapped::import_mapped(store, &Actor::console(), &ente, &mapping, &bytes, read_options(args.decimali), args.dry_run).await?;
            out!("{}", say::mapped_report(&r));
        }
        ImportKind::Peg(args) => {
            let ente = resolve(store, args.ente.as_deref()).await?;
            let r = import_peg::import_peg(store, &Actor::console(), &ente, &read_file(&args.file)?, read_options(args.decimali), args.dry_run).await?;
            out!("{}", say::peg_report(&r));
        }
    }
    Ok(())
}
