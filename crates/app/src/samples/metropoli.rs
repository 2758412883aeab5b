//! "Metropoli": a synthetic ente at the scale of SPEC §8 (60 Direzioni, 400 units, 15,000
//! staff, 3,000 objectives, 12,000 KPIs, 4 periods), deterministic, for benchmarks and load
//! tests.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use traguardi_domain::ente::{EnteCode, EnteKind, NewEnte};
use traguardi_domain::ids::{ObjectiveId, PersonId, UnitId};
use traguardi_domain::org::UnitKind;
use traguardi_domain::pay::fund::{FundItem, Nature, Use};
use traguardi_domain::people::{Category, PartTime, PartTimeKind, Role};
use traguardi_domain::plan::kpi::{Aggregation, Direction, Measure, Rule, Value};
use traguardi_domain::plan::value_status::ValueStatus;
use traguardi_store::org::OrgUnit;
use traguardi_store::pay::{self, AbsenceRow, EvaluationRow, Fund};
use traguardi_store::people::{Assignment, Person};
use traguardi_store::plan::{ApprovedValue, Dimension, Kpi, Measurement, Objective, Target};
use traguardi_store::{Store, cycle, ente, new_id};

use crate::{AppError, plan::dimensions};
use traguardi_domain::plan::engine::PlanData;

/// The metropoli's ISTAT code, as `ente list` shows it.
pub const CODE: &str = "099999";
pub const YEAR: i32 = 2025;
pub const DIREZIONI: usize = 60;
pub const UNITS: usize = 400;
pub const OBJECTIVES: usize = 3_000;
pub const KPIS_PER_OBJECTIVE: usize = 4;
pub const PERIODS: [(u32, u32); 4] = [(3, 31), (6, 30), (9, 30), (12, 31)];
pub const STAFF: usize = 15_000;

/// A small deterministic generator (xorshift), so every run builds the same metropoli.
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator for `seed` (any seed, zero included: xorshift never leaves zero).
    pub(crate) fn seeded(seed: u64) -> Rng {
        Rng(seed ^ 0x5eed_2025_0000_0001 | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub struct Metropoli {
    pub units: Vec<OrgUnit>,
    pub dimensions: Vec<Dimension>,
    pub objectives: Vec<Objective>,
    pub kpis: Vec<Kpi>,
    pub targets: Vec<Target>,
    pub measurements: Vec<Measurement>,
    pub values: Vec<ApprovedValue>,
}

impl Metropoli {
    pub fn plan_data(&self) -> PlanData<'_> {
        PlanData {
            year: YEAR,
            units: &self.units,
            dimensions: &self.dimensions,
            objectives: &self.objectives,
            kpis: &self.kpis,
            targets: &self.targets,
            values: &self.values,
            previous_year: None,
        }
    }
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(YEAR, m, d).unwrap_or_default()
}

/// Builds the metropoli in memory for the given cycle id and dimensions.
pub fn generate(cycle_id: &traguardi_domain::cycle::CycleId, dimensions: Vec<Dimension>) -> Metropoli {
    let mut rng = Rng(0x2025_0001_cafe_f00d);
    let mut units = Vec::with_capacity(UNITS);
    for d in 0..DIREZIONI {
        units.push(unit(cycle_id, &format!("D{d:02}"), &format!("Direzione {d}"), UnitKind::Direzione, None, units.len()));
    }
    for i in 0..UNITS - DIREZIONI {
        let parent = units[i % DIREZIONI].id.clone();
        units.push(unit(cycle_id, &format!("U{i:03}"), &format!("Settore {i}"), UnitKind::Settore, Some(parent), units.len()));
    }
    let dim_of = |code: &str| dimensions.iter().find(|d| d.code == code).map(|d| d.id.clone()).unwrap_or_default();
    let direzione_dim = dim_of("direzione");
    let mut objectives = Vec::with_capacity(OBJECTIVES);
    let mut kpis = Vec::with_capacity(OBJECTIVES * KPIS_PER_OBJECTIVE);
    let mut targets = Vec::new();
    let mut measurements = Vec::new();
    let per_direzione = OBJECTIVES / DIREZIONI;
    let roots = per_direzione / 5;
    for d in 0..DIREZIONI {
        let sub_units: Vec<&OrgUnit> = units.iter().filter(|u| u.parent_id.as_deref() == Some(units[d].id.as_str())).collect();
        for r in 0..roots {
            let root = objective(cycle_id, &format!("D{d:02}-{r:02}"), &direzione_dim, Some(units[d].id.clone()), None, objectives.len());
            let root_id = root.id.clone();
            objectives.push(root);
            for f in 0..4 {
                let u = sub_units.get((r + f) % sub_units.len().max(1)).map(|u| u.id.clone());
                objectives.push(objective(cycle_id, &format!("D{d:02}-{r:02}-F{f}"), &direzione_dim, u, Some(root_id.clone()), objectives.len()));
            }
        }
    }
    for o in &objectives {
        for k in 0..KPIS_PER_OBJECTIVE {
            let code = format!("{}-K{k}", o.code);
            let pick = rng.below(100);
            let (measure, direction) = match pick {
                0..=49 => (Measure::Numero, Direction::Crescente),
                50..=64 => (Measure::Percentuale, Direction::Decrescente),
                65..=74 => (Measure::Scadenza, Direction::Crescente),
                75..=84 => (Measure::SiNo, Direction::Crescente),
                _ => (Measure::Avanzamento, Direction::Crescente),
            };
            // One KPI in twenty is computed from two measured siblings.
            let formula = (k == 3 && rng.below(5) == 0 && measure == Measure::Numero).then(|| format!("{}-K0 / max({}-K1, 1) * 100", o.code, o.code));
            let kpi = Kpi {
                id: new_id(),
                cycle_id: cycle_id.clone(),
                objective_id: o.id.clone(),
                code,
                name: format!("Indicatore {k} di {}", o.code),
                nature: Some("efficacia".into()),
                measure,
                direction,
                unit_label: None,
                baseline: None,
                weight: Decimal::from(1 + rng.below(3)),
                aggregation: if rng.below(4) == 0 { Aggregation::Somma } else { Aggregation::Ultimo },
                periodicity: "trimestrale".into(),
                formula: formula.clone(),
                rule: Rule::default(),
                owner_unit_id: o.unit_id.clone(),
                source: None,
                position: kpis.len() as i64,
            };
            let target = match measure {
                Measure::Scadenza => Value::Date(Some(day(10, 31))),
                Measure::SiNo => Value::Bool(true),
                Measure::Avanzamento => Value::Number(Decimal::ONE_HUNDRED),
                _ => Value::Number(Decimal::from(50 + rng.below(950))),
            };
            targets.push(Target { kpi_id: kpi.id.clone(), year: YEAR, period_end: None, value: target.to_text() });
            if formula.is_none() {
                for (m, dd) in PERIODS {
                    let value = match measure {
                        Measure::Scadenza => Value::Date((m == 12).then(|| day(10, 1 + rng.below(60) as u32 % 30 + 1))),
                        Measure::SiNo => Value::Bool(rng.below(10) > 1),
                        Measure::Avanzamento => Value::Number(Decimal::from(m * 8 + rng.below(10) as u32)),
                        _ => Value::Number(Decimal::new(rng.below(120_000) as i64, 2)),
                    };
                    measurements.push(Measurement {
                        id: new_id(),
                        kpi_id: kpi.id.clone(),
                        period_end: day(m, dd),
                        version: 1,
                        value: Some(value.to_text()),
                        note: String::new(),
                        cause: None,
                        not_assessable: false,
                        status: ValueStatus::Approved,
                        entered_by: "metropoli".into(),
                        entered_at: "2025-12-31T00:00:00Z".into(),
                        decided_by: None,
                        decided_at: None,
                    });
                }
            }
            kpis.push(kpi);
        }
    }
    let values = measurements
        .iter()
        .map(|m| ApprovedValue {
            kpi_id: m.kpi_id.clone(),
            period_end: m.period_end,
            version: m.version,
            value: m.value.clone(),
            not_assessable: m.not_assessable,
            note: m.note.clone(),
        })
        .collect();
    Metropoli { units, dimensions, objectives, kpis, targets, measurements, values }
}

pub(crate) fn unit(cycle_id: &traguardi_domain::cycle::CycleId, code: &str, name: &str, kind: UnitKind, parent_id: Option<UnitId>, position: usize) -> OrgUnit {
    OrgUnit {
        id: new_id(),
        cycle_id: cycle_id.clone(),
        lineage_id: new_id(),
        code: code.into(),
        name: name.into(),
        kind,
        parent_id,
        cdr: Some(format!("{}", 100 + position)),
        responsible_id: None,
        valid_from: day(1, 1),
        valid_to: day(12, 31),
        position: position as i64,
    }
}

pub(crate) fn objective(
    cycle_id: &traguardi_domain::cycle::CycleId,
    code: &str,
    dimension_id: &str,
    unit_id: Option<UnitId>,
    parent_id: Option<ObjectiveId>,
    position: usize,
) -> Objective {
    Objective {
        id: new_id(),
        cycle_id: cycle_id.clone(),
        code: code.into(),
        title: format!("Obiettivo {code}"),
        description: None,
        dimension_id: dimension_id.into(),
        ambito_id: None,
        unit_id,
        person_id: None,
        parent_id,
        weight: Decimal::ONE,
        dup_id: None,
        tags: Vec::new(),
        starts: None,
        ends: None,
        state: traguardi_domain::plan::workflow::State::InMonitoraggio,
        override_score: None,
        override_reason: None,
        not_assessable: None,
        position: position as i64,
    }
}

/// The staff of the metropoli and what pays them: people spread over the units (a move on
/// 1 July every 50, part-time every 13), one evaluation each, absences every 17, and a fund
/// with 6 M€ of premi.
pub struct Staff {
    pub people: Vec<Person>,
    pub assignments: Vec<Assignment>,
    pub evaluations: Vec<EvaluationRow>,
    pub absences: Vec<AbsenceRow>,
    pub fund: Fund,
}

pub fn staff(cycle_id: &traguardi_domain::cycle::CycleId, units: &[OrgUnit]) -> Staff {
    let mut rng = Rng(0x2025_0002_beef_cafe);
    let categories = [Category::Op, Category::Oe, Category::Oe, Category::Ir, Category::Ir, Category::Ir, Category::Eq, Category::Eq];
    let mut out = Staff { people: Vec::with_capacity(STAFF), assignments: Vec::new(), evaluations: Vec::new(), absences: Vec::new(), fund: metropoli_fund() };
    for i in 0..STAFF {
        let p = Person { id: new_id(), matricola: format!("P{i:05}"), family_name: format!("Cognome{i}"), given_name: "Nome".into(), title: None, email: None };
        let unit = &units[i % units.len()];
        let part_time = if i % 13 == 0 { PartTime { percent: Decimal::from(50), kind: PartTimeKind::Orizzontale } } else { PartTime::FULL };
        let a = |unit_id: &str, starts: NaiveDate, ends: Option<NaiveDate>| Assignment {
            id: new_id(),
            cycle_id: cycle_id.clone(),
            person_id: p.id.clone(),
            unit_id: unit_id.into(),
            role: Role::Dipendente,
            category: categories[i % categories.len()],
            part_time,
            starts,
            ends,
            interim: false,
        };
        if i % 50 == 0 {
            out.assignments.push(a(&unit.id, day(1, 1), Some(day(6, 30))));
            out.assignments.push(a(&units[(i + 7) % units.len()].id, day(7, 1), None));
        } else {
            out.assignments.push(a(&unit.id, day(1, 1), None));
        }
        out.evaluations.push(EvaluationRow { person_id: p.id.clone(), behaviours: Some(Decimal::from(55 + rng.below(46))), ..EvaluationRow::default() });
        if i % 17 == 0 {
            out.absences.push(AbsenceRow { person_id: p.id.clone(), cause: "ASP".into(), days: Decimal::from(rng.below(60)) });
        }
        out.people.push(p);
    }
    out
}

fn metropoli_fund() -> Fund {
    let item = |voce: &str, nature, usage, euros: i64| FundItem {
        voce: voce.into(),
        description: voce.into(),
        nature,
        usage,
        amount: traguardi_domain::money::Cents::new(euros * 100),
        outside_cap: false,
    };
    Fund {
        cap: None,
        certified_by: Some("Collegio dei Revisori (dati sintetici)".into()),
        certified_on: Some(day(11, 30)),
        items: vec![
            item("00B", Nature::Stabile, Use::Altro, 30_000_000),
            item("02P", Nature::Destinazione, Use::Altro, 24_000_000),
            item("00G", Nature::Destinazione, Use::PremiOrganizzativa, 4_000_000),
            item("00H", Nature::Destinazione, Use::PremiIndividuale, 2_000_000),
        ],
    }
}

/// The rules of the metropoli's premi (absences `ASP` reduce presence).
pub const PAY_RULES: &str = "assenze.riducono = ASP\ncoefficiente.OE = 1.1\ncoefficiente.IR = 1.2\ncoefficiente.EQ = 1.35\n";

/// Writes the metropoli as ente `099999` into an empty store, in one transaction.
pub async fn store(store: &Store) -> Result<Metropoli, AppError> {
    let mut tx = store.begin().await?;
    let e = ente::insert(
        &mut tx,
        &NewEnte {
            code: EnteCode::parse(CODE).map_err(|k| AppError::Invalid(traguardi_domain::Problems(vec![traguardi_domain::Problem::column("codice", k)])))?,
            name: "Metropoli (dati sintetici)".into(),
            codice_fiscale: None,
            kind: EnteKind::Comune,
            staff_size: 15_000,
            has_dirigenti: true,
        },
    )
    .await?;
    let c = cycle::insert(&mut tx, &e.id, &traguardi_domain::cycle::CycleCalendar::default_for(YEAR)).await?;
    let (dims, _) = dimensions::ensure(&mut tx, &e).await?;
    let m = generate(&c.id, dims);
    let st = staff(&c.id, &m.units);
    // One bulk write, a few rows to a statement: a statement per row took 34 s on PostgreSQL.
    // The plan's records move into the write and back into the metropoli, uncopied.
    let Metropoli { units, dimensions, objectives, kpis, targets, measurements, values } = m;
    let Staff { people, assignments, evaluations, absences, fund } = st;
    let records = traguardi_store::bulk::CycleRecords { units, objectives, kpis, targets, measurements, people, assignments, evaluations };
    traguardi_store::bulk::insert_cycle(&mut tx, &e.id, &c.id, &records).await?;
    let who: Vec<PersonId> = absences.iter().map(|a| a.person_id.clone()).collect();
    pay::replace_absences(&mut tx, &e.id, &c.id, &who, &absences).await?;
    pay::save_fund(&mut tx, &e.id, &c.id, traguardi_domain::pay::fund::FundKind::Dipendenti, &fund, "2025-12-01T00:00:00Z").await?;
    traguardi_store::rules::add(&mut tx, traguardi_store::rules::Rules::Premi, &e.id, &c.id, PAY_RULES, "metropoli", "2025-12-01T00:00:00Z").await?;
    tx.commit().await?;
    let traguardi_store::bulk::CycleRecords { units, objectives, kpis, targets, measurements, .. } = records;
    Ok(Metropoli { units, dimensions, objectives, kpis, targets, measurements, values })
}

/// Spending codes of the SIOPE glossary used by the metropoli's PEG (level V and level-IV
/// aggregates), with their Missione and Programma.
const PEG_CODES: [(&str, &str, &str, &str); 8] = [
    ("1010101002", "01", "10", "VOCI STIPENDIALI"),
    ("1030207000", "01", "11", "UTILIZZO DI BENI DI TERZI"),
    ("1030211000", "01", "11", "PRESTAZIONI PROFESSIONALI E SPECIALISTICHE"),
    ("1030212004", "14", "01", "TIROCINI FORMATIVI EXTRACURRICULARI"),
    ("1030213000", "12", "04", "SERVIZI AUSILIARI"),
    ("1030219000", "01", "08", "SERVIZI INFORMATICI E DI TELECOMUNICAZIONI"),
    ("1040203005", "04", "06", "TIROCINI FORMATIVI CURRICULARI"),
    ("2020107001", "01", "08", "SERVER"),
];

/// The number of PEG lines of the metropoli: 400 CdR × 125 lines across three years.
pub const PEG_LINES: usize = 50_000;

/// The metropoli's PEG as an `import peg` file: every CdR has lines in the three years up to
/// `YEAR`; one line in eight is capital spending with its "di cui" split.
pub fn peg_csv() -> String {
    let mut s = String::from(
        "anno,cdr,cdr_nome,direzione,capitolo,articolo,pdc,descrizione,vincolo,missione,programma,previsione,crono_anni_precedenti,altri_nuovi_stanziamenti,programma_triennale_llpp\n",
    );
    for i in 0..PEG_LINES {
        let (unit, j) = (i % UNITS, i / UNITS);
        let anno = YEAR - 2 + (j % 3) as i32;
        let (pdc, missione, programma, name) = PEG_CODES[(j / 3) % PEG_CODES.len()];
        let amount = 1_000 + (i * 7_919) % 900_000;
        let di_cui = if pdc.starts_with('2') { format!("{}.00,{}.00,0.00", amount / 2, amount - amount / 2) } else { ",,".into() };
        s.push_str(&format!(
            "{anno},{},Settore {unit},Direzione {},{},1,{pdc},{name},0,{missione},{programma},{amount}.00,{di_cui}\n",
            100 + unit,
            unit % DIREZIONI,
            1_000 + j / 3,
        ));
    }
    s
}

/// A piano dei conti holding the metropoli's codes, in the layout of the SIOPE glossary.
pub fn pdc_csv() -> String {
    let mut s = String::from("codice_voce,macro,titolo,macroaggregato,descrizione\n");
    for (code, _, _, name) in PEG_CODES {
        let c = traguardi_domain::budget::PdcCode::parse(code).unwrap_or_else(|_| unreachable!("a valid code"));
        let level_five = if c.is_level_four() { format!("{}.001", c.level_four()) } else { c.to_string() };
        s.push_str(&format!("{level_five},U,{},{},{name}\n", c.titolo(), c.macroaggregato()));
    }
    s
}
