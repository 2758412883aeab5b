//! The commands of evaluation and pay: `import fondo|valutazioni|assenze`, `payout …` on the
//! database, `relazione`.

use std::collections::BTreeMap;
use traguardi_domain::said;

use anyhow::Result;
use traguardi_app::Store;
use traguardi_app::pay::payouts::{self, PayContext, WhatIf};
use traguardi_app::{Actor, AppError, pay::import_absences, pay::import_evaluations, pay::import_fund};
use traguardi_docs::export::Sheet;
use traguardi_domain::plan::round::it;
use traguardi_domain::{Lang, Problem};

use clap::Subcommand;
use std::path::PathBuf;

use crate::commands::{emit, parse_day, read_file, resolve, write_report};
use crate::imports::{Decimals, ImportArgs, read_options};
use crate::{CycleRef, Format, say};
use traguardi_domain::value::NumberStyle;

fn year_of(args: &ImportArgs) -> Result<i32> {
    args.cycle.ok_or_else(|| anyhow::anyhow!("{}", say::lang().pick("indicare il ciclo con --cycle ANNO", "give the cycle with --cycle YEAR")))
}

fn dry_note(dry_run: bool) {
    if dry_run {
        out!("{}", say::lang().pick("prova (--dry-run): nulla è stato scritto", "trial (--dry-run): nothing was written"));
    }
}

pub async fn import_fund(
    store: &Store,
    args: &ImportArgs,
    kind: &str,
    cap: Option<&str>,
    certified_by: Option<String>,
    certified_on: Option<&str>,
) -> Result<()> {
    let header = import_fund::FundHeader::parse("--", kind, cap, certified_by, certified_on)?;
    let year = year_of(args)?;
    let r = import_fund::import_fund(
        store,
        &Actor::console(),
        args.ente.as_deref(),
        year,
        (&read_file(&args.file)?, read_options(args.decimali)),
        header,
        args.dry_run,
    )
    .await?;
    let (t, l) = (r.totals, say::lang());
    let unchanged = if r.unchanged { l.pick(" (invariato)", " (unchanged)") } else { "" };
    let report = said!(
        "{fund} {year}: {items} voci; risorse {resources} € (stabili {stable}, variabili {variable}, decurtazioni {reductions}); destinazioni {uses} € (premi organizzativa {organisational} €, individuale {individual} €; posizione {position} €, risultato {result} €); non utilizzato {unspent} €{unchanged}",
        fund = r.kind.label(),
        year,
        items = r.items,
        resources = t.resources,
        stable = t.stable,
        variable = t.variable,
        reductions = t.reductions,
        uses = t.destinations,
        organisational = t.premi_organizzativa,
        individual = t.premi_individuale,
        position = t.position,
        result = t.result,
        unspent = t.unspent,
        unchanged
    );
    out!("{}", report.describe(l));
    dry_note(args.dry_run);
    Ok(())
}

pub async fn import_evaluations(store: &Store, args: &ImportArgs) -> Result<()> {
    let year = year_of(args)?;
    let c = import_evaluations::import_evaluations(
        store,
        &Actor::console(),
        args.ente.as_deref(),
        year,
        &read_file(&args.file)?,
        read_options(args.decimali),
        args.dry_run,
    )
    .await?;
    match say::lang() {
        Lang::It => out!("valutazioni {year}: {} nuove, {} aggiornate, {} invariate", c.created.len(), c.updated.len(), c.unchanged),
        Lang::En => out!("evaluations {year}: {} new, {} updated, {} unchanged", c.created.len(), c.updated.len(), c.unchanged),
    }
    dry_note(args.dry_run);
    Ok(())
}

pub async fn import_absences(store: &Store, args: &ImportArgs) -> Result<()> {
    let year = year_of(args)?;
    let r = import_absences::import_absences(
        store,
        &Actor::console(),
        args.ente.as_deref(),
        year,
        &read_file(&args.file)?,
        read_options(args.decimali),
        args.dry_run,
    )
    .await?;
    match say::lang() {
        Lang::It => out!("assenze {year}: {} righe per {} persone", r.rows, r.people),
        Lang::En => out!("absences {year}: {} rows for {} people", r.rows, r.people),
    }
    dry_note(args.dry_run);
    Ok(())
}

pub async fn import_positions(store: &Store, args: &ImportArgs) -> Result<()> {
    let year = year_of(args)?;
    let changed = traguardi_app::pay::import_positions::import_positions(
        store,
        &Actor::console(),
        args.ente.as_deref(),
        year,
        (&read_file(&args.file)?, read_options(args.decimali)),
        args.dry_run,
    )
    .await?;
    match say::lang() {
        Lang::It => out!("posizioni {year}: {changed} registrate o cambiate"),
        Lang::En => out!("positions {year}: {changed} recorded or changed"),
    }
    dry_note(args.dry_run);
    Ok(())
}

/// A scenario by name, or the approved one.
async fn chosen(store: &Store, at: &CycleRef, name: Option<&str>) -> Result<(payouts::ScenarioSummary, traguardi_domain::pay::premi::Allocation)> {
    let actor = Actor::console();
    Ok(match name {
        Some(n) => payouts::scenario(store, &actor, at.ente.as_deref(), at.cycle, n).await?,
        None => payouts::approved(store, &actor, at.ente.as_deref(), at.cycle).await?.ok_or_else(|| {
            AppError::Refused(said!(
                "nessuno scenario approvato per il {cycle}: indicarne uno con --nome, o approvarlo con traguardi payout approva",
                cycle = at.cycle
            ))
        })?,
    })
}

pub async fn run(store: &Store, what: PayoutKind) -> Result<()> {
    let actor = Actor::console();
    let l = crate::say::lang();
    match what {
        PayoutKind::Dirigenti { .. } => anyhow::bail!("the calculator runs without a database"),
        PayoutKind::Regole { at, file } => {
            let ente = resolve(store, at.ente.as_deref()).await?;
            let code = ente.code.to_string();
            match file {
                Some(f) => {
                    let text = crate::commands::read_text(&f)?;
                    let r = payouts::set_rules(store, &actor, Some(&code), at.cycle, &text).await?;
                    out!("{}", say::rules_version(l.pick("regole dei premi", "premi rules"), at.cycle, r.version, r.changed));
                }
                None => {
                    let ctx = PayContext::load(store, &actor, Some(&code), at.cycle).await?;
                    print!("{}", ctx.rules.to_text());
                }
            }
        }
        PayoutKind::Indici { at, format, out } => {
            let ctx = PayContext::load(store, &actor, at.ente.as_deref(), at.cycle).await?;
            let idx = ctx.indices(&ctx.rules);
            let mut rows: Vec<&traguardi_domain::plan::indices::Index> = idx.roe.iter().collect();
            let mut rod: Vec<_> = idx.rod.values().collect();
            rod.sort_by(|a, b| a.unit_code.cmp(&b.unit_code));
            let mut ros: Vec<_> = idx.ros.values().collect();
            ros.sort_by(|a, b| a.unit_code.cmp(&b.unit_code));
            rows.extend(rod);
            rows.extend(ros);
            let sheet = || Sheet {
                name: "indici".into(),
                header: ["indice", "struttura", "nome", "valore", "spiegazione"].map(String::from).to_vec(),
                rows: rows
                    .iter()
                    .map(|i| {
                        vec![i.kind.into(), i.unit_code.clone(), i.unit_name.clone(), i.value().map(it).unwrap_or_default(), i.scored.explanation.text.clone()]
                    })
                    .collect(),
            };
            write_report(format, out.as_deref(), sheet, || &rows)?;
        }
        PayoutKind::Scenario { at, nome, regole, punteggio } => {
            let rules = regole.map(|f| read_file(&f).map(|b| String::from_utf8_lossy(&b).into_owned())).transpose()?;
            let what_if = WhatIf { rules, scores: WhatIf::parse_scores(punteggio.iter().map(String::as_str), "--punteggio")? };
            let (s, a) = payouts::save_scenario(store, &actor, at.ente.as_deref(), at.cycle, &nome, &what_if).await?;
            let d = &a.dirigenti;
            let report = said!(
                "scenario «{name}» {year}: {people} persone; premi {pool} € (organizzativa {organisational} €, individuale {individual} € con {heads} maggiorazioni da {uplift} €); erogati {paid} €; residuo {residual} €\ndirigenti: {managers} con retribuzione di risultato {result} €, contributi {contributions} €, IRAP {irap} €, totale {total} €\nimpronta SHA-256: {hash}",
                name = s.name,
                year = at.cycle,
                people = s.people,
                pool = s.pool,
                organisational = a.fondo_organizzativa,
                individual = a.fondo_individuale,
                heads = a.teste_maggiorazione,
                uplift = a.maggiorazione_unitaria,
                paid = s.paid,
                residual = s.residual,
                managers = d.dirigenti.len(),
                result = d.totale,
                contributions = d.contributi,
                irap = d.irap,
                total = d.totale_complessivo,
                hash = s.hash
            );
            out!("{}", report.describe(l));
        }
        PayoutKind::Scenari { at } => {
            let list = payouts::scenarios(store, &actor, at.ente.as_deref(), at.cycle).await?;
            if list.is_empty() {
                out!("{} {}", l.pick("nessuno scenario per il", "no scenario for"), at.cycle);
            }
            for (s, _) in list {
                let mut state = s.status.said().describe(l);
                if let (Some(at), Some(by)) = (&s.approved_at, &s.approved_by) {
                    state = format!("{state} {} {at} {} {by}", l.pick("il", "on"), l.pick("da", "by"));
                }
                let (people, paid, of) = (l.pick("persone", "people"), l.pick("erogati", "paid"), l.pick("su", "of"));
                out!("{}\t{} {people}\t{paid} {} € {of} {} €\t{state}\t{}", s.name, s.people, s.paid, s.pool, &s.hash[..12]);
            }
        }
        PayoutKind::Confronta { at, a, b, format, out } => {
            let (_, x) = payouts::scenario(store, &actor, at.ente.as_deref(), at.cycle, &a).await?;
            let (_, y) = payouts::scenario(store, &actor, at.ente.as_deref(), at.cycle, &b).await?;
            let c = traguardi_app::pay::outputs::compare(&a, &x, &b, &y);
            write_report(format, out.as_deref(), || c.sheet(), || &c)?;
        }
        PayoutKind::Approva { at, nome } => {
            let s = payouts::approve(store, &actor, at.ente.as_deref(), at.cycle, &nome).await?;
            match l {
                Lang::It => out!("scenario «{}» {} approvato: erogati {} € (impronta {})", s.name, at.cycle, s.paid, s.hash),
                Lang::En => out!("scenario «{}» {} approved: paid {} € (fingerprint {})", s.name, at.cycle, s.paid, s.hash),
            }
        }
        PayoutKind::Export { at, nome, format, out } => {
            let (_, a) = chosen(store, &at, nome.as_deref()).await?;
            write_report(format, out.as_deref(), || traguardi_app::pay::outputs::payroll_sheet(&a), || &a)?;
        }
        PayoutKind::Trasparenza { at, nome, format, out } => {
            let (_, a) = chosen(store, &at, nome.as_deref()).await?;
            let sheet = traguardi_app::pay::outputs::transparency_sheet(&a);
            let records: Vec<BTreeMap<&str, &str>> =
                sheet.rows.iter().map(|r| sheet.header.iter().map(String::as_str).zip(r.iter().map(String::as_str)).collect()).collect();
            write_report(format, out.as_deref(), || sheet.clone(), || &records)?;
        }
        PayoutKind::Spiega { at, matricola, nome } => {
            let (s, a) = chosen(store, &at, nome.as_deref()).await?;
            let p = a
                .explained(&matricola)
                .ok_or_else(|| AppError::NotFound(said!("{matricola} non è tra le persone dello scenario «{name}»", matricola, name = s.name)))?;
            let mut text = format!("{} {} — scenario «{}» {}\n", p.matricola, p.nome, s.name, at.cycle);
            for line in &p.spiegazione {
                text.push_str("- ");
                text.push_str(line);
                text.push('\n');
            }
            emit(text.as_bytes(), None)?;
        }
    }
    Ok(())
}

pub async fn relazione(store: &Store, at: CycleRef, stato: &str, atto: Option<&str>, data: Option<&str>, nota: Option<&str>) -> Result<()> {
    let on = parse_day(data)?;
    let r = traguardi_app::pay::relazione::relazione_step(
        store,
        &Actor::console(),
        at.ente.as_deref(),
        at.cycle,
        traguardi_app::pay::relazione::RelazioneStep { to: stato, act: atto, on, note: nota },
    )
    .await?;
    let act = r.act_code.map(|a| format!(" ({a})")).unwrap_or_default();
    out!("Relazione sulla Performance {}: {}{act}", at.cycle, r.state.said().describe(say::lang()));
    Ok(())
}

#[derive(Subcommand)]
pub(crate) enum PayoutKind {
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

pub(crate) async fn payout(what: PayoutKind) -> Result<()> {
    let PayoutKind::Dirigenti { input, contributi, irap, format, giorni_anno, out, decimali } = what else {
        anyhow::bail!("only the calculator runs without a database");
    };
    let pct = |flag: &str, v: &str| {
        NumberStyle::typed(v)
            .and_then(|style| traguardi_domain::value::parse_percent(v, style))
            .map_err(|k| AppError::Invalid(Problem { row: None, column: Some(flag.into()), kind: k }.into()))
    };
    let rules = traguardi_domain::pay::ResultPayRules {
        days_in_year: rust_decimal::Decimal::from(giorni_anno),
        contributions: pct("--contributi", &contributi)?,
        irap: pct("--irap", &irap)?,
    };
    let bytes = read_file(&input)?;
    let (_, lines) = traguardi_app::pay::payout::dirigenti_from_file(&bytes, read_options(decimali), &rules).await?;
    write_report(format, out.as_deref(), || traguardi_app::pay::payout::sheet(&lines), || &lines)
}
