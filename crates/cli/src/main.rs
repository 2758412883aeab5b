//! `traguardi`: the command line of Traguardi.

/// Prints a line to standard output; a reader that went away (`| head`) is not an error.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

mod commands;
mod operations;
mod premi;
mod say;

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
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Load the data only, do not start the server
        #[arg(long)]
        no_serve: bool,
    },
    /// Write the synthetic metropoli of the benchmarks (ente 099999: 60 Direzioni, 400 units,
    /// 15,000 staff, 3,000 objectives, 12,000 KPIs with their values, funds and rules) into an empty database
    Metropoli,
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
    Close {
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
    },
    /// The NIV's work: a sample of approved measurements to check against their evidence
    Niv {
        #[command(subcommand)]
        action: NivAction,
    },
    /// A correction of a closed cycle: a new, audited event referencing its snapshot (the frozen data stay)
    Correzione {
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
    },
    /// The corrections of a closed cycle
    Correzioni {
        #[arg(long)]
        ente: Option<String>,
        #[arg(long)]
        cycle: i32,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The audit trail: every change, chained by hashes
    Audit {
        #[arg(long)]
        ente: Option<String>,
        /// Only the changes of this cycle
        #[arg(long)]
        cycle: Option<i32>,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        #[arg(long)]
        out: Option<PathBuf>,
        /// Check the chain of hashes instead of printing it; fails if a record was altered or removed.
        /// Prints the chain's head (SEQ:HASH), to be kept elsewhere
        #[arg(long)]
        verify: bool,
        /// With --verify: a head kept earlier (SEQ:HASH); fails if the trail no longer reaches it
        #[arg(long, requires = "verify")]
        head: Option<String>,
    },
    /// Reminders of late values: in-app notifications, and e-mail through TRAGUARDI_SMTP; --dry-run prints who would get them
    Remind {
        #[arg(long)]
        ente: Option<String>,
        #[arg(long)]
        cycle: i32,
        /// The day to check (default: today)
        #[arg(long)]
        oggi: Option<String>,
        /// Print who would be reminded, send nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Explain how the score of an objective, KPI or unit came to be
    Explain {
        /// Code of an objective, KPI or unit
        code: String,
        #[arg(long)]
        ente: Option<String>,
        #[arg(long)]
        cycle: i32,
    },
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
enum Decimals {
    It,
    En,
}

#[derive(clap::Args)]
struct ImportArgs {
    /// The CSV or XLSX file
    file: PathBuf,
    /// ISTAT code of the ente (optional when the database holds one ente)
    #[arg(long)]
    ente: Option<String>,
    /// Year of the cycle (default: the latest cycle, or the current year)
    #[arg(long)]
    cycle: Option<i32>,
    /// Check the file and report what would change, writing nothing
    #[arg(long)]
    dry_run: bool,
    /// Number style of the file, when the detection should be overridden
    #[arg(long, value_enum)]
    decimali: Option<Decimals>,
}

#[derive(Subcommand)]
enum ImportKind {
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

/// Which value: a KPI of a cycle, at a period end.
#[derive(clap::Args)]
struct ValueRef {
    #[arg(long)]
    ente: Option<String>,
    #[arg(long)]
    cycle: i32,
    #[arg(long)]
    kpi: String,
    /// Period end (AAAA-MM-GG or GG/MM/AAAA)
    #[arg(long)]
    data: String,
}

#[derive(Subcommand)]
enum MeasurementAction {
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
enum PlanAction {
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
    Rimodulazioni {
        #[arg(long)]
        ente: Option<String>,
        #[arg(long)]
        cycle: i32,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        #[arg(long)]
        out: Option<PathBuf>,
    },
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

#[derive(Subcommand)]
enum PayoutKind {
    /// The rules of the premi of a cycle: prints them, or stores a new version from --file
    Regole {
        #[command(flatten)]
        at: CycleRef,
        /// A rules file (chiave = valore, docs/formats.md)
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// The indices ROE, ROD per Direzione and ROS per unit
    Indici {
        #[command(flatten)]
        at: CycleRef,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Compute and save a scenario of the premi (what-if: other rules, other scores)
    Scenario {
        #[command(flatten)]
        at: CycleRef,
        #[arg(long)]
        nome: String,
        /// Rules for this scenario instead of those in force (a rules file)
        #[arg(long)]
        regole: Option<PathBuf>,
        /// An individual score changed for this scenario: MATRICOLA=PUNTEGGIO (repeatable)
        #[arg(long)]
        punteggio: Vec<String>,
    },
    /// The scenarios of a cycle, with their totals, and which one is approved
    Scenari {
        #[command(flatten)]
        at: CycleRef,
    },
    /// Two scenarios side by side, person by person
    Confronta {
        #[command(flatten)]
        at: CycleRef,
        a: String,
        b: String,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Approve a scenario: refused while a legal gate is open
    Approva {
        #[command(flatten)]
        at: CycleRef,
        #[arg(long)]
        nome: String,
    },
    /// Payroll export of a scenario (default: the approved one), one row per person and pay item
    Export {
        #[command(flatten)]
        at: CycleRef,
        #[arg(long)]
        nome: Option<String>,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The tables of D.Lgs 33/2013 art. 20 of a scenario (default: the approved one)
    Trasparenza {
        #[command(flatten)]
        at: CycleRef,
        #[arg(long)]
        nome: Option<String>,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Why a person gets what they get, step by step
    Spiega {
        #[command(flatten)]
        at: CycleRef,
        #[arg(long)]
        matricola: String,
        #[arg(long)]
        nome: Option<String>,
    },
    /// Managers' result pay from a file: dirigente,struttura,base,giorni,punteggio[,quota]
    Dirigenti {
        #[arg(long)]
        input: PathBuf,
        /// Employer contributions, % of the total (e.g. 23,8)
        #[arg(long)]
        contributi: String,
        /// IRAP, % of the total (e.g. 8,5)
        #[arg(long)]
        irap: String,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// Days of the year used as the denominator (days in post are capped at it)
        #[arg(long, default_value = "365")]
        giorni_anno: u32,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, value_enum)]
        decimali: Option<Decimals>,
    },
}

/// Formats of a report that is also a printed document.
#[derive(Clone, Copy, ValueEnum)]
enum DocFormat {
    Pdf,
    Csv,
    Json,
    Xlsx,
}

#[derive(Subcommand)]
enum ReportKind {
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
    Scores {
        #[arg(long)]
        ente: Option<String>,
        #[arg(long)]
        cycle: i32,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// Write to FILE instead of standard output
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum CycleAction {
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
enum NivAction {
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

#[derive(Subcommand)]
enum UserAction {
    /// Add an account; the password is read from TRAGUARDI_PASSWORD or the first line of stdin
    Add {
        username: String,
        #[arg(long)]
        nome: String,
    },
    /// Change an account's password (TRAGUARDI_PASSWORD or stdin)
    Passwd { username: String },
    /// Grant a role: amministratore, pianificatore, direttore, dirigente, po_eq, dipendente, niv, segretario, ragioneria
    Role {
        username: String,
        #[arg(long)]
        ruolo: String,
        #[arg(long)]
        ente: Option<String>,
        /// For direttore, dirigente and po_eq: the unit (and everything below it)
        #[arg(long)]
        struttura: Option<String>,
    },
    /// Create an API token acting as the account, with its roles (`Authorization: Bearer TOKEN`); printed once
    Token {
        username: String,
        /// What the token is for, e.g. the integration's name
        #[arg(long)]
        nome: String,
    },
    /// List API tokens (never their secret), of every account or of one
    Tokens { username: Option<String> },
    /// Revoke an API token by its id (from `user tokens`)
    RevocaToken { id: String },
    /// Link an account to the person it is (by matricola): its holder then sees their own evaluation and premium
    Persona {
        username: String,
        #[arg(long)]
        matricola: String,
        #[arg(long)]
        ente: Option<String>,
    },
}

#[derive(Subcommand)]
enum EnteAction {
    /// Add an ente
    Add {
        /// ISTAT code, 6 digits
        #[arg(long)]
        codice: String,
        #[arg(long)]
        nome: String,
        /// comune | citta_metropolitana | unione
        #[arg(long, default_value = "comune")]
        tipo: String,
        /// Number of employees
        #[arg(long)]
        dipendenti: i64,
        /// Whether the ente has dirigenti (si | no)
        #[arg(long, default_value = "si")]
        dirigenti: String,
        #[arg(long)]
        codice_fiscale: Option<String>,
    },
    /// List the enti
    List,
    /// The ente's calendar: patron saint's day and business days to enter monitoring values
    Calendar {
        #[arg(long)]
        ente: Option<String>,
        /// MM-GG, e.g. 12-07 (Sant'Ambrogio)
        #[arg(long)]
        patrono: Option<String>,
        #[arg(long, default_value = "15")]
        giorni_scadenza: u32,
    },
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
