//! `sintetico`: many synthetic comuni at once, for a regional or national installation's load
//! tests and benchmarks (docs/scaling.md). Each has a 2025 cycle with its org tree, plan, KPIs
//! and their values, staff with their posts and evaluations, a fund and the premi's rules.
//!
//! Sizes follow Italy's comuni: seven in ten have fewer than 5,000 inhabitants, a few dozen more
//! than 100,000. The classes of population (ISTAT, comuni by demographic class, rounded to the
//! thousandth) are given staff at about 5–6 employees per 1,000 inhabitants (RGS Conto Annuale,
//! comparto Funzioni Locali), and the staff is spread over the contract's areas of the Conto
//! Annuale's Funzioni Locali contract (Operatori, Operatori esperti, Istruttori, Funzionari ed
//! EQ, Dirigenti, Segretario).
//!
//! The same seed gives the same enti, codes, names, sizes, plans, values and scores (ids are new
//! each time, as for any data written). The codes are `900001`, `900002`…: no real ISTAT code
//! starts with 9.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use traguardi_domain::ente::{EnteCode, EnteKind, NewEnte};
use traguardi_domain::money::Cents;
use traguardi_domain::org::UnitKind;
use traguardi_domain::pay::fund::{FundItem, FundKind, Nature, Use};
use traguardi_domain::people::{Category, PartTime, Role};
use traguardi_domain::plan::kpi::{Aggregation, Direction, Measure, Rule, Value};
use traguardi_domain::plan::value_status::ValueStatus;
use traguardi_domain::{Problem, ProblemKind, said};
use traguardi_store::bulk::{self, CycleRecords};
use traguardi_store::pay::{self, EvaluationRow, Fund};
use traguardi_store::people::{Assignment, Person};
use traguardi_store::plan::{Dimension, Kpi, Measurement, Target};
use traguardi_store::{Backend, Store, cycle, ente, new_id};

use crate::samples::metropoli::{Rng, objective, unit};
use crate::{AppError, plan::dimensions};

pub const YEAR: i32 = 2025;
/// The first code: `900001`.
const FIRST_CODE: u32 = 900_001;
/// At most this many enti: the codes stay six digits.
pub const MAX_ENTI: usize = 99_999;

/// The classes of comuni by size: the share of comuni (thousandths) and their staff (from, to).
/// Under 1,000 inhabitants, 1,000–5,000, 5,000–10,000, 10,000–20,000, 20,000–60,000,
/// 60,000–250,000, over 250,000.
pub const CLASSES: [(u64, usize, usize); 7] = [(250, 2, 6), (450, 6, 25), (150, 25, 60), (90, 60, 120), (50, 120, 350), (9, 350, 1_500), (1, 1_500, 6_000)];

/// One synthetic ente: its code, name and staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sized {
    pub code: String,
    pub name: String,
    pub staff: usize,
}

/// The enti that `n` and `seed` give, in order of code.
pub fn enti(n: usize, seed: u64) -> Vec<Sized> {
    let mut rng = Rng::seeded(seed);
    (0..n)
        .map(|i| {
            let mut pick = rng.below(1000);
            let (_, from, to) = CLASSES
                .iter()
                .find(|(share, _, _)| {
                    if pick < *share {
                        true
                    } else {
                        pick -= share;
                        false
                    }
                })
                .copied()
                .unwrap_or(CLASSES[0]);
            let staff = from + rng.below((to - from) as u64) as usize;
            let number = FIRST_CODE + i as u32;
            Sized { code: number.to_string(), name: format!("Comune sintetico {:05}", number - FIRST_CODE + 1), staff }
        })
        .collect()
}

/// What `store` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub enti: usize,
    pub staff: usize,
    pub rows: usize,
}

/// Writes `n` synthetic enti (seed `seed`), `per_transaction` at a time; `progress` is told
/// the count written after each batch. Refused, with nothing written, when one of their codes
/// is already an ente. PostgreSQL takes batches on a few connections at once (SQLite has one
/// writer).
pub async fn store(store: &Store, n: usize, seed: u64, per_transaction: usize, mut progress: impl FnMut(usize)) -> Result<Written, AppError> {
    if n == 0 || n > MAX_ENTI {
        return Err(AppError::Invalid(
            Problem::column("--enti", ProblemKind::OutOfRange { value: n.to_string(), min: "1".into(), max: MAX_ENTI.to_string() }).into(),
        ));
    }
    let all = enti(n, seed);
    {
        let mut conn = store.acquire().await?;
        let codes: std::collections::HashSet<&str> = all.iter().map(|s| s.code.as_str()).collect();
        let taken: Vec<String> = ente::list(&mut conn).await?.into_iter().map(|e| e.code.to_string()).filter(|c| codes.contains(c.as_str())).collect();
        if let Some(first) = taken.first() {
            return Err(AppError::Refused(said!(
                "l'ente {code} esiste già: i codici sintetici vanno da 900001 in su, per un database che non li ha",
                code = first
            )));
        }
    }
    let batches: Vec<Vec<Sized>> = all.chunks(per_transaction.max(1)).map(<[Sized]>::to_vec).collect();
    let writers = if store.backend == Backend::Postgres { 4 } else { 1 };
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let batches = std::sync::Arc::new(batches);
    let (tell, mut told) = tokio::sync::mpsc::unbounded_channel::<Result<(usize, usize, usize), AppError>>();
    for _ in 0..writers {
        let (store, next, batches, tell) = (store.clone(), next.clone(), batches.clone(), tell.clone());
        tokio::spawn(async move {
            // Each writer takes the next batch not yet taken, until none is left or one fails.
            while let Some(batch) = batches.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                let written = write_batch(&store, batch, seed).await;
                let failed = written.is_err();
                if tell.send(written).is_err() || failed {
                    break;
                }
            }
        });
    }
    drop(tell);
    let mut written = Written { enti: 0, staff: 0, rows: 0 };
    while let Some(batch) = told.recv().await {
        let (enti, staff, rows) = batch?;
        written.enti += enti;
        written.staff += staff;
        written.rows += rows;
        progress(written.enti);
    }
    Ok(written)
}

/// One transaction: the batch's enti, staff and rows.
async fn write_batch(store: &Store, batch: &[Sized], seed: u64) -> Result<(usize, usize, usize), AppError> {
    let mut tx = store.begin().await?;
    let mut rows = 0;
    for s in batch {
        rows += one(&mut tx, s, seed).await?;
    }
    tx.commit().await?;
    Ok((batch.len(), batch.iter().map(|s| s.staff).sum(), rows))
}

/// Writes one ente and its cycle; the rows written.
async fn one(tx: &mut traguardi_store::Conn, s: &Sized, seed: u64) -> Result<usize, AppError> {
    let code = EnteCode::parse(&s.code).map_err(|k| AppError::Invalid(Problem::column("codice", k).into()))?;
    let e = ente::insert(
        tx,
        &NewEnte { code, name: s.name.clone(), codice_fiscale: None, kind: EnteKind::Comune, staff_size: s.staff as i64, has_dirigenti: s.staff >= 120 },
    )
    .await?;
    let c = cycle::insert(tx, &e.id, &traguardi_domain::cycle::CycleCalendar::default_for(YEAR)).await?;
    let (dims, _) = dimensions::ensure(tx, &e).await?;
    let records = generate(&c.id, &dims, s, seed);
    bulk::insert_cycle(tx, &e.id, &c.id, &records).await?;
    let fund = fund(s.staff);
    pay::save_fund(tx, &e.id, &c.id, FundKind::Dipendenti, &fund, "2025-12-01T00:00:00Z").await?;
    traguardi_store::rules::add(
        tx,
        traguardi_store::rules::Rules::Premi,
        &e.id,
        &c.id,
        crate::samples::metropoli::PAY_RULES,
        "sintetico",
        "2025-12-01T00:00:00Z",
    )
    .await?;
    Ok(records.rows() + fund.items.len() + 3)
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(YEAR, m, d).unwrap_or_default()
}

/// The cycle of one ente: areas (Direzioni where it has dirigenti) with their services, two or
/// three objectives of each unit with two half-yearly KPIs each, every value approved, and the
/// staff spread over the units with one evaluation each.
pub fn generate(cycle_id: &traguardi_domain::cycle::CycleId, dimensions: &[Dimension], s: &Sized, seed: u64) -> CycleRecords {
    let mut rng = Rng::seeded(seed ^ u64::from(s.code.parse::<u32>().unwrap_or_default()).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let mut r = CycleRecords::default();
    let top_kind = if s.staff >= 120 { UnitKind::Direzione } else { UnitKind::Area };
    let tops = (s.staff / 60 + 2).min(40);
    for t in 0..tops {
        r.units.push(unit(cycle_id, &format!("A{t:02}"), &format!("Area {}", t + 1), top_kind, None, r.units.len()));
    }
    let below = s.staff / (tops * 15);
    for t in 0..tops {
        let parent = r.units[t].id.clone();
        for b in 0..below.min(10) {
            r.units.push(unit(
                cycle_id,
                &format!("A{t:02}-S{b}"),
                &format!("Servizio {} dell'Area {}", b + 1, t + 1),
                UnitKind::Servizio,
                Some(parent.clone()),
                r.units.len(),
            ));
        }
    }
    let direzione = dimensions.iter().find(|d| d.code == "direzione").map(|d| d.id.clone()).unwrap_or_default();
    for u in 0..r.units.len() {
        for o in 0..2 + rng.below(2) {
            let code = format!("{}-{o}", r.units[u].code);
            r.objectives.push(objective(cycle_id, &code, &direzione, Some(r.units[u].id.clone()), None, r.objectives.len()));
        }
    }
    for o in &r.objectives {
        for k in 0..2 {
            let kpi = Kpi {
                id: new_id(),
                cycle_id: cycle_id.clone(),
                objective_id: o.id.clone(),
                code: format!("{}-K{k}", o.code),
                name: format!("Indicatore {} di {}", k + 1, o.code),
                nature: Some("efficacia".into()),
                measure: Measure::Numero,
                direction: if k == 0 { Direction::Crescente } else { Direction::Decrescente },
                unit_label: None,
                baseline: None,
                weight: Decimal::ONE,
                aggregation: Aggregation::Ultimo,
                periodicity: "semestrale".into(),
                formula: None,
                rule: Rule::default(),
                owner_unit_id: o.unit_id.clone(),
                source: None,
                position: r.kpis.len() as i64,
            };
            let target = 100 + rng.below(900) as i64;
            r.targets.push(Target { kpi_id: kpi.id.clone(), year: YEAR, period_end: None, value: Value::Number(Decimal::from(target)).to_text() });
            for (m, d) in [(6, 30), (12, 31)] {
                // Around the target: from 60% to 120% of it.
                let value = target * (60 + rng.below(61) as i64) / 100;
                r.measurements.push(Measurement {
                    id: new_id(),
                    kpi_id: kpi.id.clone(),
                    period_end: day(m, d),
                    version: 1,
                    value: Some(Value::Number(Decimal::from(value)).to_text()),
                    note: String::new(),
                    cause: None,
                    not_assessable: false,
                    status: ValueStatus::Approved,
                    entered_by: "sintetico".into(),
                    entered_at: "2026-01-15T00:00:00Z".into(),
                    decided_by: None,
                    decided_at: None,
                });
            }
            r.kpis.push(kpi);
        }
    }
    staff(&mut r, cycle_id, s, tops, &mut rng);
    r
}

/// The Segretario, a dirigente at the head of each Direzione (where there are dirigenti), and
/// the others over the units by the areas of the contract.
fn staff(r: &mut CycleRecords, cycle_id: &traguardi_domain::cycle::CycleId, s: &Sized, tops: usize, rng: &mut Rng) {
    // Operatori 15%, Operatori esperti 25%, Istruttori 40%, Funzionari ed EQ 20%.
    let mix = [(15, Category::Op), (25, Category::Oe), (40, Category::Ir), (20, Category::Eq)];
    for i in 0..s.staff {
        let person =
            Person { id: new_id(), matricola: format!("M{i:05}"), family_name: format!("Cognome{i}"), given_name: "Nome".into(), title: None, email: None };
        let (unit, role, category) = if i == 0 {
            (&r.units[0], Role::Segretario, Category::Segretario)
        } else if s.staff >= 120 && i <= tops {
            (&r.units[i - 1], Role::Dirigente, Category::Dirigente)
        } else {
            let mut pick = rng.below(100);
            let category = mix
                .iter()
                .find(|(share, _)| {
                    if pick < *share {
                        true
                    } else {
                        pick -= share;
                        false
                    }
                })
                .map(|(_, c)| *c)
                .unwrap_or(Category::Ir);
            (&r.units[i % r.units.len()], Role::Dipendente, category)
        };
        r.assignments.push(Assignment {
            id: new_id(),
            cycle_id: cycle_id.clone(),
            person_id: person.id.clone(),
            unit_id: unit.id.clone(),
            role,
            category,
            part_time: PartTime::FULL,
            starts: day(1, 1),
            ends: None,
            interim: false,
        });
        r.evaluations.push(EvaluationRow { person_id: person.id.clone(), behaviours: Some(Decimal::from(55 + rng.below(46))), ..EvaluationRow::default() });
        r.people.push(person);
    }
}

/// The fondo risorse decentrate: 1,500 € of stable resources a head, 400 € of them to the premi
/// (two thirds organisational, one third individual).
fn fund(staff: usize) -> Fund {
    let euros = |per_head: i64| Cents::new(per_head * staff as i64 * 100);
    let item = |voce: &str, nature, usage, amount| FundItem { voce: voce.into(), description: voce.into(), nature, usage, amount, outside_cap: false };
    Fund {
        cap: None,
        certified_by: Some("Organo di revisione (dati sintetici)".into()),
        certified_on: Some(day(11, 30)),
        items: vec![
            item("00B", Nature::Stabile, Use::Altro, euros(1_500)),
            item("02P", Nature::Destinazione, Use::Altro, euros(1_100)),
            item("00G", Nature::Destinazione, Use::PremiOrganizzativa, Cents::new(euros(400).get() * 2 / 3)),
            item("00H", Nature::Destinazione, Use::PremiIndividuale, Cents::new(euros(400).get() - euros(400).get() * 2 / 3)),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_enti_and_the_shape_of_italys_comuni() {
        let a = enti(2_000, 7);
        assert_eq!(a, enti(2_000, 7));
        assert_ne!(a, enti(2_000, 8));
        assert_eq!((a[0].code.as_str(), a[1_999].code.as_str()), ("900001", "902000"));
        // About seven in ten under 25 staff (under 5,000 inhabitants); every size in its range.
        let small = a.iter().filter(|s| s.staff < 25).count();
        assert!((1_300..1_500).contains(&small), "{small}");
        assert!(a.iter().all(|s| (2..6_000).contains(&s.staff)));
        assert!(a.iter().any(|s| s.staff >= 350), "a few large ones");
    }
}
