//! `traguardi cycle` and `traguardi niv`: opening cycles and the NIV's sample.

use anyhow::Result;
use traguardi_app::{Actor, Store, cycle::cycles};
use traguardi_domain::Lang;

use crate::commands::resolve;
use crate::{Format, say};
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
