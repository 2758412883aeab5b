//! The worked ente of 2025.
//!
//! Org tree: Direzione D1 with the Settori S1 and S2 (S2 has no objectives), Direzione D2.
//! Dimensions: `direzione` and `solidale`.
//!
//! | objective | unit | dimension | weight | KPIs (target → value at 31/12) | score |
//! |---|---|---|---|---|---|
//! | O1 | D1 | direzione | 60 | K1 numero ↑ 200 → 150 = 75; K2 sì/no sì → sì = 100; weights 1, 1 | 87,5 |
//! | O2 | S1 | direzione | 40 | K3 ↓ 10 → 8 = 100; K4 somma 100 → 30 + 50 = 80 | 90 |
//! | O3 | D2 | direzione | 100 | K5 ↑ 50, only a June value: waits; K6 ↑ 50 → 25 (version 2) = 50 | 50 |
//! | O4 | — | solidale | 1 | K7 ↑ 100 → 90 | 90 |
//!
//! People (matricola, posts in 2025):
//! - 001 Rossi Anna, dipendente EQ in S1 all year; evaluated by 006: results 80, behaviours 90;
//! - 002 Bianchi Luca, dipendente IR in D2 all year; 73 days of sick leave (MAL, reducing) and 30
//!   of maternity (MAT, protected); evaluated by 005: results 70, behaviours 70;
//! - 003 Verdi Sara, dipendente IR in S2 until 31/07 (212 days), dirigente of D1 from 01/08
//!   (153 days); conciliated score 95;
//! - 004 Neri Paolo, dipendente IR in S1 all year; evaluated by 006: results 50, behaviours 50;
//! - 005 Gialli Marco, direttore of D2 all year; behaviours 80;
//! - 006 Blu Carla, dirigente of S1 all year; behaviours 100.

use std::collections::HashMap;
use traguardi_domain::money::Cents;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use traguardi_domain::org::{OrgUnit, UnitKind};
use traguardi_domain::pay::fund::{FundItem, Nature, Use};
use traguardi_domain::pay::records::{AbsenceRow, EvaluationRow, Fund};
use traguardi_domain::pay::rules::PayRules;
use traguardi_domain::people::{Assignment, Category, PartTime, Person, Role};
use traguardi_domain::plan::engine::{PlanData, Scoreboard, ScoredPlan, compute};
use traguardi_domain::plan::kpi::{Aggregation, Direction, Measure, Rule};
use traguardi_domain::plan::records::{ApprovedValue, Dimension, Kpi, Objective, Target};
use traguardi_domain::plan::rules::ScoringRules;

pub const YEAR: i32 = 2025;

pub fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(YEAR, m, day).expect("date")
}

pub fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn unit(code: &str, kind: UnitKind, parent: Option<&str>) -> OrgUnit {
    OrgUnit {
        id: format!("u-{code}").into(),
        cycle_id: traguardi_domain::cycle::CycleId("c".into()),
        lineage_id: format!("l-{code}"),
        code: code.into(),
        name: format!("Struttura {code}"),
        kind,
        parent_id: parent.map(|p| format!("u-{p}").into()),
        cdr: None,
        responsible_id: None,
        valid_from: d(1, 1),
        valid_to: d(12, 31),
        position: 0,
    }
}

fn objective(code: &str, unit: Option<&str>, dimension: &str, weight: i64) -> Objective {
    Objective {
        id: format!("o-{code}").into(),
        cycle_id: traguardi_domain::cycle::CycleId("c".into()),
        code: code.into(),
        title: format!("Obiettivo {code}"),
        description: None,
        dimension_id: format!("d-{dimension}"),
        ambito_id: None,
        unit_id: unit.map(|u| format!("u-{u}").into()),
        person_id: None,
        parent_id: None,
        weight: Decimal::from(weight),
        dup_id: None,
        tags: vec![],
        starts: None,
        ends: None,
        state: traguardi_domain::plan::workflow::State::Approvato,
        override_score: None,
        override_reason: None,
        not_assessable: None,
        position: 0,
    }
}

fn kpi(code: &str, objective: &str, measure: Measure, direction: Direction, aggregation: Aggregation) -> Kpi {
    Kpi {
        id: format!("k-{code}").into(),
        cycle_id: traguardi_domain::cycle::CycleId("c".into()),
        objective_id: format!("o-{objective}").into(),
        code: code.into(),
        name: format!("Indicatore {code}"),
        nature: None,
        measure,
        direction,
        unit_label: None,
        baseline: None,
        weight: Decimal::ONE,
        aggregation,
        periodicity: "trimestrale".into(),
        formula: None,
        rule: Rule::default(),
        owner_unit_id: None,
        source: None,
        position: 0,
    }
}

fn target(kpi: &str, value: &str) -> Target {
    Target { kpi_id: format!("k-{kpi}").into(), year: YEAR, period_end: None, value: value.into() }
}

fn value(kpi: &str, at: NaiveDate, version: i64, v: &str) -> ApprovedValue {
    ApprovedValue { kpi_id: format!("k-{kpi}").into(), period_end: at, version, value: Some(v.into()), not_assessable: false, note: String::new() }
}

/// The plan of the worked ente.
pub struct Plan {
    pub units: Vec<OrgUnit>,
    pub dimensions: Vec<Dimension>,
    pub objectives: Vec<Objective>,
    pub kpis: Vec<Kpi>,
    pub targets: Vec<Target>,
    pub values: Vec<ApprovedValue>,
    pub rules: ScoringRules,
}

pub fn plan() -> Plan {
    use Aggregation::*;
    use Direction::*;
    use Measure::*;
    Plan {
        units: vec![
            unit("D1", UnitKind::Direzione, None),
            unit("S1", UnitKind::Settore, Some("D1")),
            unit("S2", UnitKind::Settore, Some("D1")),
            unit("D2", UnitKind::Direzione, None),
        ],
        dimensions: ["direzione", "solidale"]
            .iter()
            .enumerate()
            .map(|(i, c)| Dimension { id: format!("d-{c}"), code: c.to_string(), name: c.to_string(), position: i as i64 })
            .collect(),
        objectives: vec![
            objective("O1", Some("D1"), "direzione", 60),
            objective("O2", Some("S1"), "direzione", 40),
            objective("O3", Some("D2"), "direzione", 100),
            objective("O4", None, "solidale", 1),
        ],
        kpis: vec![
            kpi("K1", "O1", Numero, Crescente, Ultimo),
            kpi("K2", "O1", SiNo, Crescente, Ultimo),
            kpi("K3", "O2", Numero, Decrescente, Ultimo),
            kpi("K4", "O2", Numero, Crescente, Somma),
            kpi("K5", "O3", Numero, Crescente, Ultimo),
            kpi("K6", "O3", Numero, Crescente, Ultimo),
            kpi("K7", "O4", Percentuale, Crescente, Ultimo),
        ],
        targets: vec![
            target("K1", "200"),
            target("K2", "sì"),
            target("K3", "10"),
            target("K4", "100"),
            target("K5", "50"),
            target("K6", "50"),
            target("K7", "100"),
        ],
        values: vec![
            value("K1", d(6, 30), 1, "80"),
            value("K1", d(12, 31), 1, "150"),
            value("K2", d(12, 31), 1, "sì"),
            value("K3", d(12, 31), 1, "8"),
            value("K4", d(6, 30), 1, "30"),
            value("K4", d(12, 31), 1, "50"),
            value("K5", d(6, 30), 1, "40"),
            // A corrected value: the later version counts.
            value("K6", d(12, 31), 1, "20"),
            value("K6", d(12, 31), 2, "25"),
            value("K7", d(12, 31), 1, "90"),
        ],
        rules: ScoringRules::default(),
    }
}

impl Plan {
    pub fn board(&self) -> Scoreboard {
        let data = PlanData {
            year: YEAR,
            units: &self.units,
            dimensions: &self.dimensions,
            objectives: &self.objectives,
            kpis: &self.kpis,
            targets: &self.targets,
            values: &self.values,
            previous_year: None,
        };
        compute(&data, &self.rules)
    }

    pub fn scored<'a>(&'a self, board: &'a Scoreboard) -> ScoredPlan<'a> {
        ScoredPlan {
            ente_name: "Comune di Prova",
            year: YEAR,
            units: &self.units,
            dimensions: &self.dimensions,
            objectives: &self.objectives,
            rules: &self.rules,
            board,
        }
    }
}

fn person(matricola: &str, family: &str, given: &str) -> Person {
    Person { id: format!("p-{matricola}").into(), matricola: matricola.into(), family_name: family.into(), given_name: given.into(), title: None, email: None }
}

fn post(matricola: &str, unit: &str, role: Role, category: Category, starts: NaiveDate, ends: Option<NaiveDate>) -> Assignment {
    Assignment {
        id: format!("a-{matricola}-{unit}"),
        cycle_id: traguardi_domain::cycle::CycleId("c".into()),
        person_id: format!("p-{matricola}").into(),
        unit_id: format!("u-{unit}").into(),
        role,
        category,
        part_time: PartTime::FULL,
        starts,
        ends,
        interim: false,
    }
}

fn evaluation(matricola: &str, evaluator: Option<&str>, results: Option<&str>, behaviours: Option<&str>) -> EvaluationRow {
    EvaluationRow {
        person_id: format!("p-{matricola}").into(),
        evaluator_id: evaluator.map(|e| format!("p-{e}").into()),
        results: results.map(dec),
        behaviours: behaviours.map(dec),
        ..EvaluationRow::default()
    }
}

/// The staff, their posts, absences and evaluations, the fund and the positions.
pub struct Staff {
    pub people: Vec<Person>,
    pub assignments: Vec<Assignment>,
    pub absences: Vec<AbsenceRow>,
    pub evaluations: Vec<EvaluationRow>,
    pub fund: Fund,
    /// Result-pay base of each position, cents, by unit id.
    pub positions: HashMap<traguardi_domain::ids::UnitId, Cents>,
    pub rules: PayRules,
}

pub fn staff() -> Staff {
    let mut verdi = evaluation("003", None, None, None);
    verdi.conciliated = Some(dec("95"));
    let mut rules = PayRules::for_year(YEAR);
    rules.absences_reducing = vec!["MAL".into()];
    rules.coefficients.insert("EQ".into(), dec("1.2"));
    let item = |voce: &str, nature, usage, euros: i64| FundItem {
        voce: voce.into(),
        description: voce.into(),
        nature,
        usage,
        amount: Cents::new(euros * 100),
        outside_cap: false,
    };
    Staff {
        people: vec![
            person("001", "Rossi", "Anna"),
            person("002", "Bianchi", "Luca"),
            person("003", "Verdi", "Sara"),
            person("004", "Neri", "Paolo"),
            person("005", "Gialli", "Marco"),
            person("006", "Blu", "Carla"),
        ],
        assignments: vec![
            post("001", "S1", Role::Dipendente, Category::Eq, d(1, 1), None),
            post("002", "D2", Role::Dipendente, Category::Ir, d(1, 1), None),
            post("003", "S2", Role::Dipendente, Category::Ir, d(1, 1), Some(d(7, 31))),
            post("003", "D1", Role::Dirigente, Category::Dirigente, d(8, 1), None),
            post("004", "S1", Role::Dipendente, Category::Ir, d(1, 1), None),
            post("005", "D2", Role::Direttore, Category::Dirigente, d(1, 1), None),
            post("006", "S1", Role::Dirigente, Category::Dirigente, d(1, 1), None),
        ],
        absences: vec![
            AbsenceRow { person_id: "p-002".into(), cause: "MAL".into(), days: Decimal::from(73) },
            AbsenceRow { person_id: "p-002".into(), cause: "mat".into(), days: Decimal::from(30) },
        ],
        evaluations: vec![
            evaluation("001", Some("006"), Some("80"), Some("90")),
            evaluation("002", Some("005"), Some("70"), Some("70")),
            verdi,
            evaluation("004", Some("006"), Some("50"), Some("50")),
            evaluation("005", None, None, Some("80")),
            evaluation("006", None, None, Some("100")),
        ],
        fund: Fund {
            cap: None,
            certified_by: None,
            certified_on: None,
            items: vec![
                item("stabile", Nature::Stabile, Use::Altro, 50_000),
                item("premi organizzativa", Nature::Destinazione, Use::PremiOrganizzativa, 1_000),
                item("premi individuale", Nature::Destinazione, Use::PremiIndividuale, 600),
            ],
        },
        positions: [("u-D1", 1_000_000), ("u-D2", 2_000_000), ("u-S1", 730_000)].into_iter().map(|(u, c)| (u.into(), Cents::new(c))).collect(),
        rules,
    }
}
