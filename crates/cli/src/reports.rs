//! `traguardi report`: the reports and documents of a cycle.

use anyhow::Result;
use traguardi_app::budget::commissioni::{self, Scope};
use traguardi_app::{Actor, Store, plan::scores};

use crate::commands::{emit, parse_day, resolve, write_report};
use crate::{DocFormat, Format, Table, say};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Subcommand)]
pub(crate) enum ReportKind {
    /// REPORT COMMISSIONI of the budget: spese correnti and in conto capitale with their summaries, and the DUP pages
    Commissioni {
        #[arg(long)]
        ente: Option<String>,
        /// The budget's year (Bilancio di Previsione YEAR)
        #[arg(long)]
        cycle: i32,
        /// A Direzione (unit code or CdR) and every CdR below it
        #[arg(long, required_unless_present = "cdr", conflicts_with = "cdr")]
        direzione: Option<String>,
        /// One CdR
        #[arg(long)]
        cdr: Option<String>,
        #[arg(long, value_enum, default_value = "pdf")]
        format: DocFormat,
        /// Write to FILE instead of standard output
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The Piano degli Obiettivi (PIAO sezione 2.2): the dimensions with their ambiti, each struttura's objectives with KPIs, the targets of three years, weights and DUP link
    Piano(Document),
    /// The Relazione sulla Performance: the ente's result and trend, results by dimension, ambito and Direzione with charts, ROE/ROD/ROS, every objective's KPIs with deviations and causes, rimodulazioni, non-valutabili, the NIV's validation, the art. 20 premi
    Relazione(Document),
    /// The draft Giunta deliberation approving the Piano or the Relazione: scheda di sintesi, premesse citing the cycle's acts, pareri of art. 49 TUEL, dispositivo (PDF, or DOCX to edit)
    Delibera {
        /// What it approves: piano | relazione
        #[arg(long)]
        oggetto: String,
        #[command(flatten)]
        doc: Document,
    },
    /// The state at a period: each KPI's value against its target, late values with their owners, objectives at risk
    Monitoraggio {
        /// The period: the scores from the values of the periods ending by then, and the values late on that day
        #[arg(long)]
        periodo: String,
        #[command(flatten)]
        doc: Document,
    },
    /// A person's evaluation form: behaviours, results, the three interviews, the sign-off or the contestation, the premium explained from scores to euros (PDF, or DOCX)
    Scheda {
        /// The person's matricola
        #[arg(long)]
        matricola: String,
        #[command(flatten)]
        doc: Document,
    },
    /// The NIV's validation of the Relazione: what was checked, the sample of values with its outcome, the conclusion (PDF, or DOCX to edit)
    Validazione(Document),
    /// The NIV's yearly report on how the measurement and evaluation system worked (PDF, or DOCX to edit)
    Funzionamento(Document),
    /// Values not entered by their due date: KPI, period, due date, owner, who to escalate to
    Ritardi {
        #[arg(long)]
        ente: Option<String>,
        #[arg(long)]
        cycle: i32,
        /// The day to check (default: today)
        #[arg(long)]
        oggi: Option<String>,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Scores of every KPI, objective, unit and the ente, with their explanation
    Scores(Table),
}

/// What every document of a cycle takes: the ente, the year, the format and where to write it.
#[derive(Args)]
pub(crate) struct Document {
    #[arg(long)]
    ente: Option<String>,
    #[arg(long)]
    cycle: i32,
    #[arg(long, value_enum, default_value = "pdf")]
    format: DocFormat,
    /// Write to FILE instead of standard output
    #[arg(long)]
    out: Option<PathBuf>,
}

pub(crate) async fn run(store: &Store, what: ReportKind) -> Result<()> {
    let _l = say::lang();
    match what {
        ReportKind::Commissioni { ente, cycle, direzione, cdr, format, out } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let scope = match (direzione, cdr) {
                (Some(d), _) => Scope::Direzione(d),
                (None, Some(c)) => Scope::Cdr(c),
                (None, None) => unreachable!("clap requires --direzione or --cdr"),
            };
            let report = commissioni::build(store, &Actor::console(), &ente, cycle, &scope).await?;
            let bytes = traguardi_web::documents::commissioni(&report, format.code())?.bytes;
            emit(&bytes, out.as_deref())?;
        }
        ReportKind::Relazione(Document { ente, cycle, format, out }) => {
            let relazione = traguardi_app::documents::relazione::build(store, &Actor::console(), ente.as_deref(), cycle).await?;
            emit(&traguardi_web::documents::relazione(&relazione, format.code())?.bytes, out.as_deref())?;
        }
        ReportKind::Delibera { oggetto, doc: Document { ente, cycle, format, out } } => {
            use traguardi_app::documents::delibera::{self, Oggetto};
            let what = Oggetto::parse(&oggetto).ok_or_else(|| {
                traguardi_app::AppError::Refused(traguardi_domain::said!("--oggetto «{oggetto}» non valido: piano oppure relazione", oggetto))
            })?;
            let testo = delibera::build(store, &Actor::console(), ente.as_deref(), cycle, what).await?;
            emit(&traguardi_web::documents::testo(&testo, format.code())?.bytes, out.as_deref())?;
        }
        ReportKind::Monitoraggio { periodo, doc: Document { ente, cycle, format, out } } => {
            let period = traguardi_domain::value::parse_date(&periodo)
                .map_err(|k| traguardi_app::AppError::Invalid(traguardi_domain::Problem::column("--periodo", k).into()))?;
            let m = traguardi_app::documents::monitoraggio::build(store, &Actor::console(), ente.as_deref(), cycle, period).await?;
            emit(&traguardi_web::documents::monitoraggio(&m, format.code())?.bytes, out.as_deref())?;
        }
        ReportKind::Scheda { matricola, doc: Document { ente, cycle, format, out } } => {
            let testo = traguardi_app::documents::scheda::build(store, &Actor::console(), ente.as_deref(), cycle, &matricola).await?;
            emit(&traguardi_web::documents::testo(&testo, format.code())?.bytes, out.as_deref())?;
        }
        ReportKind::Validazione(Document { ente, cycle, format, out }) => {
            let testo = traguardi_app::documents::niv::validazione(store, &Actor::console(), ente.as_deref(), cycle).await?;
            emit(&traguardi_web::documents::testo(&testo, format.code())?.bytes, out.as_deref())?;
        }
        ReportKind::Funzionamento(Document { ente, cycle, format, out }) => {
            let testo = traguardi_app::documents::niv::funzionamento(store, &Actor::console(), ente.as_deref(), cycle).await?;
            emit(&traguardi_web::documents::testo(&testo, format.code())?.bytes, out.as_deref())?;
        }
        ReportKind::Piano(Document { ente, cycle, format, out }) => {
            let piano = traguardi_app::documents::piano::build(store, &Actor::console(), ente.as_deref(), cycle).await?;
            emit(&traguardi_web::documents::piano(&piano, format.code())?.bytes, out.as_deref())?;
        }
        ReportKind::Ritardi { ente, cycle, oggi, format, out } => {
            let today = parse_day(oggi.as_deref())?;
            let late = traguardi_app::plan::monitoring::late_values(store, &Actor::console(), ente.as_deref(), cycle, today).await?;
            let sheet = traguardi_docs::export::Sheet {
                name: "ritardi".into(),
                header: ["kpi", "nome", "periodo", "scadenza", "struttura", "responsabile", "sollecito_a"].map(String::from).to_vec(),
                rows: late
                    .iter()
                    .map(|l| {
                        vec![
                            l.kpi.clone(),
                            l.kpi_name.clone(),
                            l.period_end.to_string(),
                            l.due.to_string(),
                            l.unit.clone().unwrap_or_default(),
                            l.owner.clone().unwrap_or_default(),
                            l.escalate_to.clone().unwrap_or_default(),
                        ]
                    })
                    .collect(),
            };
            write_report(format, out.as_deref(), || sheet, || &late)?;
        }
        ReportKind::Scores(t) => {
            let scores = scores::load(store, &Actor::console(), t.ente.as_deref(), t.cycle).await?;
            write_report(t.format, t.out.as_deref(), || scores.sheet(), || scores.rows())?;
        }
    }
    Ok(())
}
