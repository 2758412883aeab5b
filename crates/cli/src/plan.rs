//! `traguardi plan` and `traguardi measurement`: the plan's changes and the values.

use traguardi_domain::said;

use anyhow::Result;
use traguardi_app::{Actor, AppError, Store, plan::plan_ops, plan::scores};
use traguardi_domain::plan::workflow::{STATES, State};
use traguardi_domain::value::NumberStyle;
use traguardi_domain::{Lang, Problem};

use crate::commands::{read_file, resolve, write_report};
use crate::{Table, say};
use clap::Subcommand;
use std::path::PathBuf;

/// Which value: a KPI of a cycle, at a period end.
#[derive(clap::Args)]
pub(crate) struct ValueRef {
    #[arg(long)]
    pub(crate) ente: Option<String>,
    #[arg(long)]
    pub(crate) cycle: i32,
    #[arg(long)]
    pub(crate) kpi: String,
    /// Period end (AAAA-MM-GG or GG/MM/AAAA)
    #[arg(long)]
    pub(crate) data: String,
}

#[derive(Subcommand)]
pub(crate) enum MeasurementAction {
    /// Enter a value as a new version (a draft, or submitted with --invia)
    Enter {
        #[command(flatten)]
        at: ValueRef,
        #[arg(long, default_value = "")]
        valore: String,
        #[arg(long, default_value = "")]
        nota: String,
        /// endogena | esogena
        #[arg(long)]
        causa: Option<String>,
        /// Neutralise the KPI for the year (the reason goes in --nota)
        #[arg(long)]
        non_valutabile: bool,
        /// Submit for approval now
        #[arg(long)]
        invia: bool,
        /// The version being edited (0 when there was none): refused if someone changed it since
        #[arg(long)]
        versione: Option<i64>,
    },
    /// Submit the latest version for approval
    Submit {
        #[command(flatten)]
        at: ValueRef,
    },
    /// Approve the latest, submitted version
    Approve {
        #[command(flatten)]
        at: ValueRef,
        #[arg(long)]
        nota: Option<String>,
    },
    /// Return the latest, submitted version to its owner
    Return {
        #[command(flatten)]
        at: ValueRef,
        #[arg(long)]
        nota: Option<String>,
    },
    /// Attach an evidence file (pdf, png, jpg, csv, txt, xlsx, docx, odt; at most 20 MB)
    Attach {
        #[command(flatten)]
        at: ValueRef,
        file: PathBuf,
    },
}

#[derive(Subcommand)]
pub(crate) enum PlanAction {
    /// The scoring rules of a cycle (cap, over-achievement, traffic lights, Direzione, rounding): prints them, or stores a new version from --file
    Regole {
        #[arg(long)]
        ente: Option<String>,
        #[arg(long)]
        cycle: i32,
        /// A rules file (chiave = valore, docs/formats.md)
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Move objectives along the workflow: bozza, proposto, approvato, assegnato, in_monitoraggio, consuntivato, validato_niv
    Stato {
        #[arg(long)]
        ente: Option<String>,
        #[arg(long)]
        cycle: i32,
        /// The state to move to
        #[arg(long)]
        stato: String,
        /// Objective code (repeatable); every objective of the cycle when absent
        #[arg(long = "obiettivo")]
        objectives: Vec<String>,
        /// The act that disposes the step, where the law ties it to one (e.g. "GC 838 del 24/07/2020")
        #[arg(long)]
        atto: Option<String>,
        #[arg(long)]
        nota: Option<String>,
    },
    /// Assign objectives (with KPIs and targets) to many units or people at once, as II-level children
    Assign {
        #[arg(long)]
        ente: Option<String>,
        #[arg(long)]
        cycle: i32,
        /// Code of a template objective (repeatable)
        #[arg(long = "obiettivo", required = true)]
        objectives: Vec<String>,
        /// Unit codes, comma-separated
        #[arg(long, value_delimiter = ',', conflicts_with_all = ["strutture_di", "persone"])]
        strutture: Vec<String>,
        /// Every unit below this unit
        #[arg(long, conflicts_with = "persone")]
        strutture_di: Option<String>,
        /// Matricole, comma-separated
        #[arg(long, value_delimiter = ',')]
        persone: Vec<String>,
    },
    /// Replace an objective's computed score, with a mandatory reason
    Override {
        #[arg(long)]
        ente: Option<String>,
        #[arg(long)]
        cycle: i32,
        #[arg(long = "obiettivo")]
        objective: String,
        #[arg(long)]
        valore: String,
        #[arg(long)]
        motivazione: String,
    },
    /// Rimodulazione: an approved mid-year change of a target, a weight, a description, or a removal, with reason and act
    Rimodula {
        #[arg(long)]
        ente: Option<String>,
        #[arg(long)]
        cycle: i32,
        #[arg(long = "obiettivo", conflicts_with = "kpi")]
        objective: Option<String>,
        #[arg(long)]
        kpi: Option<String>,
        /// target, peso, descrizione or rimozione
        #[arg(long)]
        campo: String,
        /// The revised value (none for a removal)
        #[arg(long)]
        valore: Option<String>,
        #[arg(long)]
        motivo: String,
        /// The act that approved it, registered with import atti (e.g. "DDG 6780/2023")
        #[arg(long)]
        atto: String,
        /// The day it takes effect (AAAA-MM-GG or GG/MM/AAAA)
        #[arg(long)]
        dal: String,
    },
    /// The rimodulazioni of a cycle: original and revised values, reason, act
    Rimodulazioni(Table),
    /// Declare an objective not assessable (non valutabile), with a mandatory reason
    NotAssessable {
        #[arg(long)]
        ente: Option<String>,
        #[arg(long)]
        cycle: i32,
        #[arg(long = "obiettivo")]
        objective: String,
        #[arg(long)]
        motivazione: String,
    },
    /// Remove an override or a neutralisation
    Clear {
        #[arg(long)]
        ente: Option<String>,
        #[arg(long)]
        cycle: i32,
        #[arg(long = "obiettivo")]
        objective: String,
    },
}

pub(crate) async fn plan_command(store: &Store, action: PlanAction) -> Result<()> {
    let l = say::lang();
    let actor = Actor::console();
    match action {
        PlanAction::Regole { ente, cycle, file } => match file {
            Some(f) => {
                let text = crate::commands::read_text(&f)?;
                let r = traguardi_app::plan::cycle_rules::set_scoring(store, &Actor::console(), ente.as_deref(), cycle, &text).await?;
                out!("{}", say::rules_version(l.pick("regole del punteggio", "scoring rules"), cycle, r.version, r.changed));
            }
            None => {
                let s = scores::load(store, &Actor::console(), ente.as_deref(), cycle).await?;
                print!("{}", s.rules.to_text());
            }
        },
        PlanAction::Stato { ente, cycle, stato, objectives, atto, nota } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let to = State::parse(&stato).ok_or_else(|| {
                let all: Vec<&str> = STATES.iter().map(|s| s.code()).collect();
                AppError::Refused(said!("stato «{stato}» inesistente: {join}", stato, join = all.join(", ")))
            })?;
            let m = traguardi_app::cycle::workflow::Move { codes: &objectives, to, act: atto.as_deref(), note: nota.as_deref() };
            let r = traguardi_app::cycle::workflow::transition(store, &actor, &ente, cycle, m).await?;
            match l {
                Lang::It => out!("{} obiettivi passati a «{}»", r.objectives.len(), to.label()),
                Lang::En => out!("{} objectives moved to «{}»", r.objectives.len(), to.label()),
            }
        }
        PlanAction::Assign { ente, cycle, objectives, strutture, strutture_di, persone } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let to = match (strutture_di, persone.is_empty()) {
                (Some(u), _) => plan_ops::Assignees::UnitsUnder(u),
                (None, false) => plan_ops::Assignees::People(persone),
                (None, true) => plan_ops::Assignees::Units(strutture),
            };
            let c = plan_ops::assign(store, &actor, &ente, cycle, &objectives, &to).await?;
            match l {
                Lang::It => out!("assegnazione {cycle}: {} obiettivi creati, {} già presenti", c.created.len(), c.unchanged),
                Lang::En => out!("assignment {cycle}: {} objectives created, {} already present", c.created.len(), c.unchanged),
            }
        }
        PlanAction::Override { ente, cycle, objective, valore, motivazione } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let value = NumberStyle::typed(&valore)
                .and_then(|style| traguardi_domain::value::parse_percent(&valore, style))
                .map_err(|k| AppError::Invalid(Problem { row: None, column: Some("--valore".into()), kind: k }.into()))?;
            let a = plan_ops::adjust(store, &actor, &ente, cycle, &objective, plan_ops::Adjustment::Override { value, reason: motivazione }).await?;
            out!("{}: {}", a.code, l.pick("risultato sostituito", "score overridden"));
        }
        PlanAction::Rimodula { ente, cycle, objective, kpi, campo, valore, motivo, atto, dal } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let effective_on = traguardi_domain::value::parse_date(&dal)
                .map_err(|k| AppError::Invalid(Problem { row: None, column: Some("--dal".into()), kind: k }.into()))?;
            let request = traguardi_app::cycle::revisions::Request {
                objective: objective.as_deref(),
                kpi: kpi.as_deref(),
                field: &campo,
                value: valore.as_deref(),
                reason: &motivo,
                act: &atto,
                effective_on,
            };
            let r = traguardi_app::cycle::revisions::revise(store, &actor, &ente, cycle, request).await?;
            out!("{} {}: «{}» → «{}» ({atto})", r.code, r.field, r.before, r.after);
        }
        PlanAction::Rimodulazioni(t) => {
            let ente = resolve(store, t.ente.as_deref()).await?;
            let list = traguardi_app::cycle::revisions::of_cycle(store, &actor, &ente, t.cycle).await?;
            write_report(t.format, t.out.as_deref(), || traguardi_app::cycle::revisions::sheet(&list), || &list)?;
        }
        PlanAction::NotAssessable { ente, cycle, objective, motivazione } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let a = plan_ops::adjust(store, &actor, &ente, cycle, &objective, plan_ops::Adjustment::NotAssessable { reason: motivazione }).await?;
            out!("{}: {}", a.code, l.pick("non valutabile", "not assessable"));
        }
        PlanAction::Clear { ente, cycle, objective } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let a = plan_ops::adjust(store, &actor, &ente, cycle, &objective, plan_ops::Adjustment::Clear).await?;
            out!("{}: {}", a.code, l.pick("risultato calcolato ripristinato", "computed score restored"));
        }
    }
    Ok(())
}

pub(crate) async fn measurement_command(store: &Store, action: MeasurementAction) -> Result<()> {
    use traguardi_app::plan::measurements::{self, Decision, Entry};
    let l = say::lang();
    let actor = Actor::console();
    let at = match &action {
        MeasurementAction::Enter { at, .. }
        | MeasurementAction::Submit { at }
        | MeasurementAction::Approve { at, .. }
        | MeasurementAction::Return { at, .. }
        | MeasurementAction::Attach { at, .. } => at,
    };
    let ente = resolve(store, at.ente.as_deref()).await?;
    let kpi = at.kpi.clone();
    let date =
        traguardi_domain::value::parse_date(&at.data).map_err(|k| AppError::Invalid(Problem { row: None, column: Some("--data".into()), kind: k }.into()))?;
    let m = match action {
        MeasurementAction::Enter { at, valore, nota, causa, non_valutabile, invia, versione } => {
            let entry = Entry {
                kpi: at.kpi,
                period_end: date,
                value: valore,
                note: nota,
                cause: causa,
                not_assessable: non_valutabile,
                submit: invia,
                based_on: versione,
            };
            measurements::enter(store, &actor, &ente, at.cycle, &entry).await?
        }
        MeasurementAction::Submit { at } => measurements::decide(store, &actor, &ente, value_at(&at, date), Decision::Submit, None).await?,
        MeasurementAction::Approve { at, nota } => measurements::decide(store, &actor, &ente, value_at(&at, date), Decision::Approve, nota.as_deref()).await?,
        MeasurementAction::Return { at, nota } => measurements::decide(store, &actor, &ente, value_at(&at, date), Decision::Return, nota.as_deref()).await?,
        MeasurementAction::Attach { at, file } => {
            let bytes = read_file(&file)?;
            let sha = measurements::attach_evidence(store, &actor, &ente, value_at(&at, date), &file.to_string_lossy(), &bytes).await?;
            out!("{}: {} (SHA-256 {sha})", at.kpi, l.pick("evidenza allegata", "evidence attached"));
            return Ok(());
        }
    };
    let status = m.status.said().describe(l);
    let date = traguardi_domain::cycle::format_date_it(m.period_end);
    match l {
        Lang::It => out!("{kpi} al {date}, versione {}: {status}", m.version),
        Lang::En => out!("{kpi} at {date}, version {}: {status}", m.version),
    }
    Ok(())
}

pub(crate) fn value_at(v: &ValueRef, period_end: chrono::NaiveDate) -> traguardi_app::plan::measurements::At<'_> {
    traguardi_app::plan::measurements::At { year: v.cycle, kpi: &v.kpi, period_end }
}
