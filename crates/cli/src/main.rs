//! `traguardi`: the command line of Traguardi.

/// Prints a line to standard output; a reader that went away (`| head`) is not an error.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

mod accounts;
mod commands;
mod cycle;
mod imports;
mod monitoring;
mod operations;
mod plan;
mod premi;
mod reports;
mod say;
mod serve;

use accounts::{EnteAction, UserAction};
use cycle::{CycleAction, NivAction};
use imports::ImportKind;
use operations::ExportKind;
use plan::{MeasurementAction, PlanAction};
use premi::PayoutKind;
use reports::ReportKind;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(name = "traguardi", version, about = "Traguardi: il ciclo della performance degli enti locali")]
struct Cli {
    /// Database: sqlite://FILE or postgres://USER@HOST:PORT/DB
    #[arg(long, global = true, env = "TRAGUARDI_DATABASE_URL", default_value = "sqlite://traguardi.db")]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create or update the database schema
    Migrate,
    /// Serve the web application
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
    },
    /// Load the demo ente (Comune di Milano, dati dimostrativi) and serve it
    Demo(serve::DemoArgs),
    /// Write the synthetic metropoli of the benchmarks (ente 099999: 60 Direzioni, 400 units,
    /// 15,000 staff, 3,000 objectives, 12,000 KPIs with their values, funds and rules) into an empty database
    Metropoli,
    /// Write N synthetic comuni (codes 900001…), each with a 2025 cycle: org tree, plan, KPIs and
    /// values, staff, evaluations, fund; sizes as Italy's comuni (docs/scaling.md)
    Sintetico(serve::SinteticoArgs),
    /// A portable archive (.jsonl.gz) of the whole database or of one ente, consistent while the server runs
    Backup {
        #[arg(long)]
        out: PathBuf,
        /// Only this ente's data (and its accounts)
        #[arg(long)]
        ente: Option<String>,
    },
    /// Load an archive written by `backup` into an empty database, SQLite or PostgreSQL
    Restore { file: PathBuf },
    /// Read and score again every open cycle of one ente, or of every ente with --tutti, reporting
    /// each ente as it is done; one ente's failure does not stop the others (exit 1 if any failed)
    Ricalcola {
        #[arg(long, conflicts_with = "tutti", required_unless_present = "tutti")]
        ente: Option<String>,
        #[arg(long)]
        tutti: bool,
    },
    /// Import data from CSV or XLSX
    Import {
        #[command(subcommand)]
        what: ImportKind,
    },
    /// Pay calculations
    Payout {
        #[command(subcommand)]
        what: PayoutKind,
    },
    /// Files for others: the open data of one ente or of every ente (Frictionless data packages)
    Export {
        #[command(subcommand)]
        what: ExportKind,
    },
    /// Reports of a cycle
    Report {
        #[command(subcommand)]
        what: ReportKind,
    },
    /// The plan of a cycle: bulk assignment, overrides
    Plan {
        #[command(subcommand)]
        action: PlanAction,
    },
    /// A KPI's value for one period: enter, submit, approve, return, attach evidence
    Measurement {
        #[command(subcommand)]
        action: MeasurementAction,
    },
    /// Year-end close: freezes the cycle into a snapshot and prints its SHA-256 (--verify checks it)
    Close(cycle::CloseArgs),
    /// The NIV's work: a sample of approved measurements to check against their evidence
    Niv {
        #[command(subcommand)]
        action: NivAction,
    },
    /// A correction of a closed cycle: a new, audited event referencing its snapshot (the frozen data stay)
    Correzione(cycle::CorrectionArgs),
    /// The corrections of a closed cycle
    Correzioni(Table),
    /// The audit trail: every change, chained by hashes
    Audit(accounts::AuditArgs),
    /// Reminders of late values: in-app notifications, and e-mail through TRAGUARDI_SMTP; --dry-run prints who would get them
    Remind(monitoring::RemindArgs),
    /// Explain how the score of an objective, KPI or unit came to be
    Explain(monitoring::ExplainArgs),
    /// The Relazione sulla Performance along its path: bozza, approvata (--atto), validata (NIV), pubblicata
    Relazione {
        #[command(flatten)]
        at: CycleRef,
        #[arg(long)]
        stato: String,
        /// The Giunta's act approving it (e.g. "GC 566/2024"), registered with import atti
        #[arg(long)]
        atto: Option<String>,
        /// Day of the step (default: today)
        #[arg(long)]
        data: Option<String>,
        #[arg(long)]
        nota: Option<String>,
    },
    /// Cycles (years) of an ente
    Cycle {
        #[command(subcommand)]
        action: CycleAction,
    },
    /// Accounts: add, change password, grant roles
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Enti (tenants) of this installation
    Ente {
        #[command(subcommand)]
        action: EnteAction,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Json,
    Xlsx,
}

/// Which ente and cycle.
#[derive(clap::Args)]
struct CycleRef {
    #[arg(long)]
    ente: Option<String>,
    #[arg(long)]
    cycle: i32,
}

/// A table of a cycle: which ente and year, the format, and where to write it.
#[derive(clap::Args)]
struct Table {
    #[arg(long)]
    ente: Option<String>,
    #[arg(long)]
    cycle: i32,
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// Write to FILE instead of standard output
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Formats of a report that is also a printed document.
#[derive(Clone, Copy, ValueEnum)]
enum DocFormat {
    Pdf,
    Csv,
    Json,
    Xlsx,
    Docx,
}

impl DocFormat {
    fn code(self) -> &'static str {
        match self {
            DocFormat::Pdf => "pdf",
            DocFormat::Xlsx => "xlsx",
            DocFormat::Csv => "csv",
            DocFormat::Json => "json",
            DocFormat::Docx => "docx",
        }
    }
}

/// Log lines on standard error: which ones by `TRAGUARDI_LOG` (default `warn`; `info` adds a
/// line per request), as text or, with `TRAGUARDI_LOG_FORMAT=json`, one JSON object per line
/// with the request's span (its id, method and path) for a log collector.
fn logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TRAGUARDI_LOG").unwrap_or_else(|_| "warn".into());
    let log = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if std::env::var("TRAGUARDI_LOG_FORMAT").is_ok_and(|f| f.trim().eq_ignore_ascii_case("json")) {
        log.json().with_current_span(true).with_span_list(false).init();
    } else {
        log.init();
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("errore: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", say::error(&e));
            ExitCode::FAILURE
        }
    }
}
