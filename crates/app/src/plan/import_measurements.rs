//! `import measurements`: KPI values in bulk, one row per KPI and period end (docs/formats.md).
//!
//! Values imported this way count as approved and are recorded in the audit trail. A value for
//! a KPI and date that already has one is stored as a new version; the earlier stays as history.
//! Identical values change nothing. The whole file is checked first.

use std::collections::HashMap;
use traguardi_domain::plan::value_status::ValueStatus;
use traguardi_domain::said;

use serde::Serialize;
use traguardi_docs::ReadOptions;
use traguardi_domain::plan::kpi::Value;
use traguardi_domain::value::{parse_date, parse_yes_no};
use traguardi_domain::{Problem, ProblemKind};
use traguardi_store::ente::Ente;
use traguardi_store::plan::{self, Measurement};
use traguardi_store::{Store, new_id};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::{Actor, AppError, cycle::cycles, import};

pub const REQUIRED: [&str; 4] = ["kpi", "data", "valore", "nota"];
pub const OPTIONAL: [&str; 2] = ["non_valutabile", "causa"];
pub const CAUSES: [&str; 2] = ["endogena", "esogena"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MeasurementsReport {
    pub year: i32,
    pub rows: usize,
    pub created: usize,
    pub new_versions: usize,
    pub unchanged: usize,
    pub dry_run: bool,
}

impl MeasurementsReport {
    /// What the import did, in one sentence (the command line adds the trial note).
    pub fn summary(&self, l: traguardi_domain::Lang) -> String {
        let r = self;
        match l {
            traguardi_domain::Lang::It => {
                format!(
                    "misurazioni {}: {} righe lette, {} valori nuovi, {} nuove versioni, {} invariati",
                    r.year, r.rows, r.created, r.new_versions, r.unchanged
                )
            }
            traguardi_domain::Lang::En => {
                format!("measurements {}: {} rows read, {} new values, {} new versions, {} unchanged", r.year, r.rows, r.created, r.new_versions, r.unchanged)
            }
        }
    }
}

#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn import_measurements<'a>(
    store: &Store,
    actor: &Actor,
    ente: &Ente,
    year: i32,
    bytes: &[u8],
    opts: ReadOptions,
    dry_run: impl Into<import::Ending<'a>>,
) -> Result<MeasurementsReport, AppError> {
    actor.require(Right::Administer, said!("importare le misurazioni"))?;
    let (table, cols, mut problems) = import::open(bytes, opts, &REQUIRED, &OPTIONAL).await?;

    let ending = dry_run.into();
    let dry_run = ending.is_dry_run();
    let mut tx = import::begin(store, ending).await?;
    let cycle = cycles::get(&mut tx, ente, year).await?;
    crate::cycle::close::ensure_open(&mut tx, ente, &cycle).await?;
    let cal = cycle.calendar.clone();
    let kpis = plan::kpis(&mut tx, &ente.id, &cycle.id).await?;
    let by_code: HashMap<&str, &traguardi_store::plan::Kpi> = kpis.iter().map(|k| (k.code.as_str(), k)).collect();
    let stored = plan::measurements(&mut tx, &ente.id, &cycle.id).await?;
    let mut latest: HashMap<(&str, chrono::NaiveDate), &Measurement> = HashMap::new();
    for m in &stored {
        latest.insert((m.kpi_id.as_str(), m.period_end), m);
    }

    let now = crate::now();
    let mut seen: HashMap<(String, chrono::NaiveDate), usize> = HashMap::new();
    let mut new = Vec::new();
    for rec in &table.rows {
        let line = rec.line;
        let get = |c: &str| cols.get(rec, c);
        let mut bad = |c: &str, k: ProblemKind| problems.push(Problem::cell(line, c, k));
        let kpi = match by_code.get(get("kpi")) {
            Some(k) => Some(*k),
            None if get("kpi").is_empty() => {
                bad("kpi", ProblemKind::Required);
                None
            }
            None => {
                bad(
                    "kpi",
                    ProblemKind::BadFormat { value: get("kpi").into(), expected: traguardi_domain::said!("il codice di un KPI del ciclo {year}", year) },
                );
                None
            }
        };
        if kpi.is_some_and(|k| k.formula.is_some()) {
            bad(
                "kpi",
                ProblemKind::BadFormat {
                    value: get("kpi").into(), expected: traguardi_domain::said!("un KPI misurato: questo è calcolato dalla sua formula")
                },
            );
        }
        let date = match parse_date(get("data")) {
            Ok(d) if cal.contains(d) => Some(d),
            Ok(_) => {
                bad("data", ProblemKind::OutsideCycle { year });
                None
            }
            Err(k) => {
                bad("data", k);
                None
            }
        };
        let not_assessable = match get("non_valutabile") {
            "" => false,
            s => parse_yes_no(s).map_err(|k| bad("non_valutabile", k)).unwrap_or(false),
        };
        let note = get("nota").to_string();
        if not_assessable && note.is_empty() {
            bad("nota", ProblemKind::BadFormat { value: String::new(), expected: traguardi_domain::said!("la motivazione di «non valutabile»") });
        }
        let cause = match get("causa").to_lowercase().as_str() {
            "" => None,
            c if CAUSES.contains(&c) => Some(c.to_string()),
            c => {
                bad("causa", ProblemKind::NotOneOf { value: c.into(), allowed: CAUSES.map(String::from).to_vec() });
                None
            }
        };
        let value = match kpi {
            Some(k) if !not_assessable => match Value::parse(k.measure, get("valore"), table.number_style) {
                Ok(Some(v)) => Some(v.to_text()),
                Ok(None) => {
                    bad("valore", ProblemKind::Required);
                    None
                }
                Err(e) => {
                    bad("valore", e);
                    None
                }
            },
            _ => None,
        };
        let (Some(kpi), Some(date)) = (kpi, date) else { continue };
        if let Some(first) = seen.insert((kpi.code.clone(), date), line) {
            problems.push(Problem::row(line, ProblemKind::Duplicate { value: format!("{} {date}", kpi.code), first_row: first }));
        }
        new.push((kpi, date, value, note, cause, not_assessable));
    }
    problems.into_result()?;

    let mut report = MeasurementsReport { year, rows: table.rows.len(), dry_run, ..Default::default() };
    for (kpi, date, value, note, cause, not_assessable) in new {
        let prev = latest.get(&(kpi.id.as_str(), date)).copied();
        if let Some(p) = prev
            && p.status == ValueStatus::Approved
            && p.value == value
            && p.note == note
            && p.cause == cause
            && p.not_assessable == not_assessable
        {
            report.unchanged += 1;
            continue;
        }
        let m = Measurement {
            id: new_id(),
            kpi_id: kpi.id.clone(),
            period_end: date,
            version: prev.map_or(1, |p| p.version + 1),
            value,
            note,
            cause,
            not_assessable,
            status: ValueStatus::Approved,
            entered_by: actor.name.clone(),
            entered_at: now.clone(),
            decided_by: Some(actor.name.clone()),
            decided_at: Some(now.clone()),
        };
        if prev.is_some() {
            report.new_versions += 1
        } else {
            report.created += 1
        }
        if dry_run {
            continue;
        }
        plan::insert_measurement(&mut tx, &ente.id, &m).await?;
        audit::record_in_cycle(
            &mut tx,
            actor,
            &ente.id,
            &cycle.id,
            Change { action: "import measurements", entity: "misurazione", entity_id: Some(&m.id), before: prev, after: Some(&m) },
        )
        .await?;
    }
    import::finish(tx, ending).await?;
    Ok(report)
}
