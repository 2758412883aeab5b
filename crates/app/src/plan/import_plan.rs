//! `import plan`: the plan of one cycle from CSV or XLSX, one row per KPI (docs/formats.md).
//!
//! Objectives and KPIs are added or updated by code; those the file does not name stay as they
//! are. An objective on several rows must agree on its own fields. A row with an empty `kpi`
//! describes an objective without KPIs of its own (e.g. a parent of fasi). The whole file is
//! checked first; with any problem nothing is written.

use std::collections::{BTreeMap, HashMap};
use traguardi_domain::ids::{KpiId, ObjectiveId, PersonId, UnitId};
use traguardi_domain::plan::workflow::State;
use traguardi_domain::said;

use rust_decimal::Decimal;
use serde::Serialize;
use traguardi_docs::ReadOptions;
use traguardi_domain::org::{Node, check_tree, parents_first};
use traguardi_domain::plan::formula;
use traguardi_domain::plan::kpi::{Aggregation, Band, Direction, Measure, Rule, Value};
use traguardi_domain::value::{NumberStyle, parse_date, parse_yes_no};
use traguardi_domain::{Problem, ProblemKind};
use traguardi_store::ente::Ente;
use traguardi_store::plan::{self, Contribution, Kpi, Objective, Target};
use traguardi_store::{Store, new_id, org, people};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::plan::dimensions::{self, same_name};
use crate::{Actor, AppError, cycle::cycles, import};

pub const REQUIRED: [&str; 13] = [
    "dimensione",
    "ambito",
    "struttura",
    "obiettivo",
    "obiettivo_titolo",
    "obiettivo_peso",
    "kpi",
    "kpi_nome",
    "misura",
    "verso",
    "baseline",
    "target",
    "kpi_peso",
];
pub const OPTIONAL: [&str; 22] = [
    "padre",
    "target_anno2",
    "target_anno3",
    "aggregazione",
    "tag",
    "descrizione",
    "inizio",
    "fine",
    "persona",
    "formula",
    "periodicita",
    "soglia_minima",
    "tetto",
    "fasce",
    "interpolazione",
    "penale_giorno",
    "natura",
    "unita_misura",
    "fonte",
    "dup",
    "contributi",
    "target_periodi",
];
const OBJECTIVE_FIELDS: [&str; 12] =
    ["dimensione", "ambito", "struttura", "obiettivo_titolo", "obiettivo_peso", "padre", "tag", "descrizione", "inizio", "persona", "dup", "contributi"];
pub const PERIODICITIES: [&str; 4] = ["annuale", "semestrale", "trimestrale", "mensile"];
pub const NATURES: [&str; 6] = ["efficacia", "efficienza", "economicita", "qualita", "impatto", "stato_risorse"];

/// Created, updated and unchanged codes of one kind of thing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlanReport {
    pub year: i32,
    pub rows: usize,
    pub objectives: Counts,
    pub kpis: Counts,
    pub cycle_created: bool,
    pub dry_run: bool,
}

impl PlanReport {
    /// What the import did, in one sentence (the command line adds the trial and cycle notes).
    pub fn summary(&self, l: traguardi_domain::Lang) -> String {
        let (r, o, k) = (self, &self.objectives, &self.kpis);
        let (created, updated) = ((o.created.len(), k.created.len()), (o.updated.len(), k.updated.len()));
        match l {
            traguardi_domain::Lang::It => format!(
                "piano {}: {} righe lette; obiettivi: {} nuovi, {} aggiornati, {} invariati; KPI: {} nuovi, {} aggiornati, {} invariati",
                r.year, r.rows, created.0, updated.0, o.unchanged, created.1, updated.1, k.unchanged
            ),
            traguardi_domain::Lang::En => format!(
                "plan {}: {} rows read; objectives: {} new, {} updated, {} unchanged; KPIs: {} new, {} updated, {} unchanged",
                r.year, r.rows, created.0, updated.0, o.unchanged, created.1, updated.1, k.unchanged
            ),
        }
    }
}

/// What the import reads of the cycle before it reads the file.
struct Stored {
    cycle: traguardi_store::cycle::Cycle,
    cycle_created: bool,
    dims: Vec<traguardi_store::plan::Dimension>,
    ambiti: Vec<traguardi_store::plan::Ambito>,
    /// Unit code → id.
    units: HashMap<String, UnitId>,
    /// The ids of the top-level units (every Direzione), for `contributi = tutte`.
    top_units: Vec<UnitId>,
    /// Matricola → person id.
    persons: HashMap<String, PersonId>,
    objectives: Vec<Objective>,
    kpis: Vec<Kpi>,
    /// Code → place in `objectives` and in `kpis`: a file of thousands of rows looks each up.
    objective_at: HashMap<String, usize>,
    kpi_at: HashMap<String, usize>,
    targets: Vec<Target>,
    contributions: Vec<Contribution>,
    /// DUP code → (id, kind).
    dup: HashMap<String, (String, String)>,
    scoring: traguardi_domain::plan::rules::ScoringRules,
}

impl Stored {
    async fn load(tx: &mut traguardi_store::Tx, actor: &Actor, ente: &Ente, year: i32) -> Result<Stored, AppError> {
        let (cycle, cycle_created) = cycles::ensure(tx, actor, ente, year).await?;
        crate::cycle::close::ensure_open(tx, ente, &cycle).await?;
        let (dims, ambiti) = dimensions::ensure(tx, ente).await?;
        let org = org::of_cycle(tx, &ente.id, &cycle.id).await?;
        let objectives = plan::objectives(tx, &ente.id, &cycle.id).await?;
        let kpis = plan::kpis(tx, &ente.id, &cycle.id).await?;
        Ok(Stored {
            units: org.iter().map(|u| (u.code.clone(), u.id.clone())).collect(),
            top_units: org.iter().filter(|u| u.parent_id.is_none()).map(|u| u.id.clone()).collect(),
            persons: people::persons(tx, &ente.id).await?.into_iter().map(|p| (p.matricola, p.id)).collect(),
            objective_at: objectives.iter().enumerate().map(|(i, o)| (o.code.clone(), i)).collect(),
            kpi_at: kpis.iter().enumerate().map(|(i, k)| (k.code.clone(), i)).collect(),
            objectives,
            kpis,
            targets: plan::targets(tx, &ente.id, &cycle.id).await?,
            scoring: crate::plan::cycle_rules::scoring(tx, ente, &cycle).await?,
            contributions: plan::contributions(tx, &ente.id, &cycle.id).await?,
            dup: plan::dup_objectives(tx, &ente.id).await?.into_iter().map(|d| (d.code, (d.id, d.kind))).collect(),
            dims,
            ambiti,
            cycle,
            cycle_created,
        })
    }

    fn objective(&self, code: &str) -> Option<&Objective> {
        self.objective_at.get(code).map(|&i| &self.objectives[i])
    }

    fn kpi(&self, code: &str) -> Option<&Kpi> {
        self.kpi_at.get(code).map(|&i| &self.kpis[i])
    }
}

/// The file being read: its rows, columns and number style, and every problem found so far.
struct Reading<'t> {
    table: &'t traguardi_docs::Table,
    cols: &'t traguardi_docs::Columns,
    style: NumberStyle,
    problems: traguardi_domain::Problems,
}

impl Reading<'_> {
    fn bad(&mut self, line: usize, column: &str, kind: ProblemKind) {
        self.problems.push(Problem::cell(line, column, kind));
    }

    /// The id a cell's code names (none for an empty cell), or its problem.
    fn known<Id: Clone>(&mut self, line: usize, column: &str, code: &str, of: &HashMap<String, Id>, unknown: fn(String) -> ProblemKind) -> Option<Id> {
        if code.is_empty() {
            return None;
        }
        let id = of.get(code).cloned();
        if id.is_none() {
            self.bad(line, column, unknown(code.into()));
        }
        id
    }
}

/// An objective read from its first row, with its parent's code.
struct ReadObjective {
    objective: Objective,
    parent: Option<String>,
    line: usize,
}

/// A KPI read from its row, with its targets.
struct ReadKpi {
    kpi: Kpi,
    targets: Vec<Target>,
}

#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn import_plan<'a>(
    store: &Store,
    actor: &Actor,
    ente: &Ente,
    year: i32,
    bytes: &[u8],
    opts: ReadOptions,
    dry_run: impl Into<import::Ending<'a>>,
) -> Result<PlanReport, AppError> {
    actor.require(Right::Administer, said!("importare il piano"))?;
    let (table, cols, problems) = import::open(bytes, opts, &REQUIRED, &OPTIONAL).await?;
    let mut r = Reading { table: &table, cols: &cols, style: table.number_style, problems };
    let ending = dry_run.into();
    let dry_run = ending.is_dry_run();
    let mut tx = import::begin(store, ending).await?;
    let stored = Stored::load(&mut tx, actor, ente, year).await?;

    let (objectives, contributions) = read_objectives(&mut r, &stored);
    let (kpis, formulas) = read_kpis(&mut r, &stored, &objectives, year);
    check_formulas(&mut r, &stored, &kpis, &formulas);
    let Reading { problems, .. } = r;
    problems.into_result()?;

    let mut report = PlanReport { year, rows: table.rows.len(), cycle_created: stored.cycle_created, dry_run, ..Default::default() };
    let mut w = Writing { tx: &mut tx, actor, ente, stored: &stored, dry_run };
    report.objectives = w.objectives(&objectives, &contributions).await?;
    report.kpis = w.kpis(&kpis).await?;
    import::finish(tx, ending).await?;
    Ok(report)
}

/// The first row of each objective's code (which defines it), after checking that its later
/// rows agree on the objective's own fields.
fn objective_rows<'t>(r: &mut Reading<'t>) -> Vec<&'t traguardi_docs::Record> {
    let mut first_row: HashMap<&str, &traguardi_docs::Record> = HashMap::new();
    let mut rows = Vec::new();
    let (table, cols) = (r.table, r.cols);
    for rec in &table.rows {
        let code = cols.get(rec, "obiettivo");
        if code.is_empty() {
            r.bad(rec.line, "obiettivo", ProblemKind::Required);
            continue;
        }
        match first_row.get(code) {
            Some(first) => {
                for f in OBJECTIVE_FIELDS {
                    let (mine, theirs) = (cols.get(rec, f), cols.get(first, f));
                    if mine != theirs {
                        r.bad(rec.line, f, ProblemKind::Disagrees { value: mine.into(), other: theirs.into(), other_row: first.line });
                    }
                }
            }
            None => {
                first_row.insert(code, rec);
                rows.push(rec);
            }
        }
    }
    rows
}

/// The objectives of the file, each over the stored one of its code, and the contributing
/// units of those whose `contributi` the file gives; the tree checked merged over the stored one.
fn read_objectives(r: &mut Reading<'_>, stored: &Stored) -> (Vec<ReadObjective>, HashMap<String, Vec<Contribution>>) {
    let mut objectives = Vec::new();
    let mut contributions = HashMap::new();
    for rec in objective_rows(r) {
        if let Some(o) = read_objective(r, stored, rec, &mut contributions) {
            objectives.push(o);
        }
    }
    let code_of: HashMap<&str, &str> = stored.objectives.iter().map(|o| (o.id.as_str(), o.code.as_str())).collect();
    let stored_parents: HashMap<String, Option<String>> =
        stored.objectives.iter().map(|o| (o.code.clone(), o.parent_id.as_deref().and_then(|p| code_of.get(p)).map(|c| c.to_string()))).collect();
    let nodes: Vec<Node<'_>> = objectives.iter().map(|o| Node { row: o.line, code: &o.objective.code, parent: o.parent.as_deref() }).collect();
    r.problems.0.extend(check_tree(&nodes, &stored_parents, "obiettivo", "padre").0);
    (objectives, contributions)
}

fn read_objective(
    r: &mut Reading<'_>,
    stored: &Stored,
    rec: &traguardi_docs::Record,
    contributions: &mut HashMap<String, Vec<Contribution>>,
) -> Option<ReadObjective> {
    let (line, cols, style) = (rec.line, r.cols, r.style);
    let get = |c: &str| cols.get(rec, c);
    let code = get("obiettivo").to_string();
    if code.len() > 40 || code.contains(char::is_whitespace) {
        r.bad(
            line,
            "obiettivo",
            ProblemKind::BadFormat { value: code.clone(), expected: traguardi_domain::said!("codice senza spazi, al massimo 40 caratteri") },
        );
    }
    let title = get("obiettivo_titolo");
    if title.is_empty() {
        r.bad(line, "obiettivo_titolo", ProblemKind::Required);
    }
    let dim = stored.dims.iter().find(|d| d.code == get("dimensione").to_lowercase());
    if dim.is_none() {
        r.bad(line, "dimensione", ProblemKind::NotOneOf { value: get("dimensione").into(), allowed: stored.dims.iter().map(|d| d.code.clone()).collect() });
    }
    let ambito_id = dim.and_then(|d| ambito_of(r, stored, rec, &d.id));
    let unit_id = r.known(line, "struttura", get("struttura"), &stored.units, |value| ProblemKind::UnknownUnit { value });
    let person_id = r.known(line, "persona", get("persona"), &stored.persons, |value| ProblemKind::UnknownPerson { value });
    let weight = weight(get("obiettivo_peso"), style).unwrap_or_else(|k| {
        r.bad(line, "obiettivo_peso", k);
        Decimal::ONE
    });
    let mut date = |c: &str| match get(c) {
        "" => None,
        s => parse_date(s).map_err(|k| r.bad(line, c, k)).ok(),
    };
    let (starts, ends) = (date("inizio"), date("fine"));
    let existing = stored.objective(&code);
    let dup_id = match get("dup") {
        "" if cols.has("dup") => None,
        "" => existing.and_then(|o| o.dup_id.clone()),
        d => match stored.dup.get(d) {
            Some((id, kind)) if kind == "operativo" => Some(id.clone()),
            _ => {
                let expected = traguardi_domain::said!("il codice di un obiettivo operativo del DUP (traguardi import dup)");
                r.bad(line, "dup", ProblemKind::BadFormat { value: d.into(), expected });
                None
            }
        },
    };
    if cols.has("contributi") {
        match parse_contributions(get("contributi"), &stored.units, &stored.top_units, style) {
            Ok(list) => {
                contributions.insert(code.clone(), list);
            }
            Err(k) => r.bad(line, "contributi", k),
        }
    }
    let objective = Objective {
        id: existing.map_or_else(new_id, |o| o.id.clone()),
        cycle_id: stored.cycle.id.clone(),
        code,
        title: title.to_string(),
        description: Some(get("descrizione").to_string()).filter(|s| !s.is_empty()),
        dimension_id: dim.map(|d| d.id.clone()).unwrap_or_default(),
        ambito_id,
        unit_id,
        person_id,
        parent_id: None,
        weight,
        dup_id,
        tags: get("tag").split([',', '|']).map(str::trim).filter(|t| !t.is_empty()).map(String::from).collect(),
        starts,
        ends,
        state: existing.map_or(State::Bozza, |o| o.state),
        override_score: existing.and_then(|o| o.override_score),
        override_reason: existing.and_then(|o| o.override_reason.clone()),
        not_assessable: existing.and_then(|o| o.not_assessable.clone()),
        position: line as i64,
    };
    Some(ReadObjective { objective, parent: Some(get("padre").to_string()).filter(|p| !p.is_empty()), line })
}

/// The objective's ambito within its dimension: required when the dimension has ambiti, named by
/// code or name.
fn ambito_of(r: &mut Reading<'_>, stored: &Stored, rec: &traguardi_docs::Record, dimension_id: &str) -> Option<String> {
    let of_dim: Vec<_> = stored.ambiti.iter().filter(|a| a.dimension_id == dimension_id).collect();
    let given = r.cols.get(rec, "ambito");
    match (given.is_empty(), of_dim.is_empty()) {
        (true, true) => None,
        (true, false) => {
            r.bad(rec.line, "ambito", ProblemKind::Required);
            None
        }
        (false, _) => match of_dim.iter().find(|a| same_name(&a.code, given) || same_name(&a.name, given)) {
            Some(a) => Some(a.id.clone()),
            None => {
                let allowed = if of_dim.is_empty() { vec!["(vuoto)".into()] } else { of_dim.iter().map(|a| a.name.clone()).collect() };
                r.bad(rec.line, "ambito", ProblemKind::NotOneOf { value: given.into(), allowed });
                None
            }
        },
    }
}

/// The KPIs of the file, one per row with a `kpi`, and the formulas of those computed.
fn read_kpis(r: &mut Reading<'_>, stored: &Stored, objectives: &[ReadObjective], year: i32) -> (Vec<ReadKpi>, BTreeMap<String, (formula::Expr, usize)>) {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut kpis = Vec::new();
    let mut formulas = BTreeMap::new();
    // The id of each objective of the file, by code: each KPI row names its objective.
    let objective_ids: HashMap<&str, &ObjectiveId> = objectives.iter().map(|o| (o.objective.code.as_str(), &o.objective.id)).collect();
    let table = r.table;
    for rec in &table.rows {
        let code = r.cols.get(rec, "kpi").to_string();
        if code.is_empty() {
            continue;
        }
        if let Some(&first_row) = first.get(&code) {
            r.bad(rec.line, "kpi", ProblemKind::Duplicate { value: code, first_row });
            continue;
        }
        first.insert(code.clone(), rec.line);
        if let Some(k) = read_kpi(r, stored, &objective_ids, rec, year, &mut formulas) {
            kpis.push(k);
        }
    }
    (kpis, formulas)
}

fn read_kpi(
    r: &mut Reading<'_>,
    stored: &Stored,
    objective_ids: &HashMap<&str, &ObjectiveId>,
    rec: &traguardi_docs::Record,
    year: i32,
    formulas: &mut BTreeMap<String, (formula::Expr, usize)>,
) -> Option<ReadKpi> {
    let (line, cols, style) = (rec.line, r.cols, r.style);
    let get = |c: &str| cols.get(rec, c);
    let code = get("kpi").to_string();
    if code.len() > 40 || code.contains(char::is_whitespace) {
        r.bad(line, "kpi", ProblemKind::BadFormat { value: code.clone(), expected: traguardi_domain::said!("codice senza spazi, al massimo 40 caratteri") });
    }
    let name = get("kpi_nome");
    if name.is_empty() {
        r.bad(line, "kpi_nome", ProblemKind::Required);
    }
    let measure = Measure::parse(get("misura")).map_err(|k| r.bad(line, "misura", k)).ok();
    let direction = match get("verso") {
        "" => Some(Direction::Crescente),
        s => Direction::parse(s).map_err(|k| r.bad(line, "verso", k)).ok(),
    };
    let aggregation = match get("aggregazione") {
        "" => Some(Aggregation::Ultimo),
        s => Aggregation::parse(s).map_err(|k| r.bad(line, "aggregazione", k)).ok(),
    };
    let periodicity = match get("periodicita").to_lowercase().as_str() {
        "" => "annuale".to_string(),
        p if PERIODICITIES.contains(&p) => p.to_string(),
        p => {
            r.bad(line, "periodicita", ProblemKind::NotOneOf { value: p.into(), allowed: PERIODICITIES.map(String::from).to_vec() });
            String::new()
        }
    };
    let nature = match get("natura").to_lowercase().replace('à', "a").as_str() {
        "" => None,
        n if NATURES.contains(&n) => Some(n.to_string()),
        n => {
            r.bad(line, "natura", ProblemKind::NotOneOf { value: n.into(), allowed: NATURES.map(String::from).to_vec() });
            None
        }
    };
    let kpi_weight = match get("kpi_peso") {
        "" => Decimal::ONE,
        s => weight(s, style).unwrap_or_else(|k| {
            r.bad(line, "kpi_peso", k);
            Decimal::ONE
        }),
    };
    let rule = read_rule(r, stored, rec);
    let formula_text = Some(get("formula").to_string()).filter(|f| !f.is_empty());
    if let Some(f) = &formula_text {
        match formula::parse(f) {
            Ok(e) => {
                formulas.insert(code.clone(), (e, line));
            }
            Err(e) => r.bad(line, "formula", ProblemKind::BadFormula { formula: f.clone(), detail: e.to_string() }),
        }
        if matches!(measure, Some(Measure::Scadenza | Measure::SiNo)) {
            r.bad(line, "formula", ProblemKind::BadFormat { value: f.clone(), expected: traguardi_domain::said!("una misura numerica per un KPI calcolato") });
        }
    }
    let (targets, baseline) = match measure {
        Some(m) => read_targets(r, stored, rec, m, &rule, year),
        None => (Vec::new(), None),
    };
    let objective_id = objective_ids.get(get("obiettivo")).map(|id| (*id).clone()).unwrap_or_default();
    let existing = stored.kpi(&code);
    let (Some(measure), Some(direction), Some(aggregation)) = (measure, direction, aggregation) else { return None };
    let kpi = Kpi {
        id: existing.map_or_else(new_id, |k| k.id.clone()),
        cycle_id: stored.cycle.id.clone(),
        objective_id,
        code,
        name: name.to_string(),
        nature,
        measure,
        direction,
        unit_label: Some(get("unita_misura").to_string()).filter(|s| !s.is_empty()),
        baseline,
        weight: kpi_weight,
        aggregation,
        periodicity,
        formula: formula_text,
        rule,
        owner_unit_id: existing.and_then(|k| k.owner_unit_id.clone()),
        source: Some(get("fonte").to_string()).filter(|s| !s.is_empty()),
        position: line as i64,
    };
    Some(ReadKpi { kpi, targets })
}

/// The KPI's rule of achievement: threshold, cap (above 100 only where the cycle's scoring
/// allows over-achievement), bands, interpolation, late penalty.
fn read_rule(r: &mut Reading<'_>, stored: &Stored, rec: &traguardi_docs::Record) -> Rule {
    let (line, cols, style) = (rec.line, r.cols, r.style);
    let get = |c: &str| cols.get(rec, c);
    let mut rule = Rule::default();
    let mut number = |c: &str| match get(c) {
        "" => None,
        s => style.parse(s).or_else(|| {
            r.bad(line, c, ProblemKind::BadNumber { value: s.into() });
            None
        }),
    };
    rule.minimum = number("soglia_minima");
    rule.cap = number("tetto");
    rule.late_penalty_per_day = number("penale_giorno");
    match parse_bands(get("fasce"), style) {
        Ok(b) => rule.bands = b,
        Err(k) => r.bad(line, "fasce", k),
    }
    rule.interpolate = match get("interpolazione") {
        "" => false,
        s => parse_yes_no(s).map_err(|k| r.bad(line, "interpolazione", k)).unwrap_or(false),
    };
    if let Err(k) = rule.check() {
        r.bad(line, if rule.cap.is_some_and(|c| c < Decimal::ONE_HUNDRED) { "tetto" } else { "fasce" }, k);
    }
    if let Some(k) = rule.cap.and_then(|c| stored.scoring.kpi_cap_problem(c)) {
        r.bad(line, "tetto", k);
    }
    rule
}

/// The KPI's targets (of the year, the next two, and of periods within the year) and baseline.
fn read_targets(r: &mut Reading<'_>, stored: &Stored, rec: &traguardi_docs::Record, m: Measure, rule: &Rule, year: i32) -> (Vec<Target>, Option<String>) {
    let (line, cols, style) = (rec.line, r.cols, r.style);
    let get = |c: &str| cols.get(rec, c);
    let mut targets = Vec::new();
    for (i, c) in ["target", "target_anno2", "target_anno3"].iter().enumerate() {
        match (get(c), Value::parse(m, get(c), style)) {
            ("", _) => {}
            (_, Ok(Some(v))) => targets.push(Target { kpi_id: KpiId::default(), year: year + i as i32, period_end: None, value: v.to_text() }),
            (_, Ok(None)) => {}
            (_, Err(k)) => r.bad(line, c, k),
        }
    }
    for part in get("target_periodi").split('|').map(str::trim).filter(|p| !p.is_empty()) {
        let parsed = part.split_once(':').and_then(|(d, v)| {
            let d = parse_date(d).ok().filter(|d| stored.cycle.calendar.contains(*d))?;
            Value::parse(m, v, style).ok().flatten().map(|v| (d, v))
        });
        match parsed {
            Some((d, v)) => targets.push(Target { kpi_id: KpiId::default(), year, period_end: Some(d), value: v.to_text() }),
            None => {
                let expected = traguardi_domain::said!("DATA:VALORE con una data del {year}, es. {year}-06-30:50", year);
                r.bad(line, "target_periodi", ProblemKind::BadFormat { value: part.into(), expected });
            }
        }
    }
    if rule.bands.is_empty() && targets.iter().all(|t| t.year != year || t.period_end.is_some()) && m != Measure::SiNo {
        r.bad(line, "target", ProblemKind::Required);
    }
    let baseline = match (get("baseline"), Value::parse(m, get("baseline"), style)) {
        ("", _) => None,
        (_, Ok(v)) => v.map(|v| v.to_text()),
        (_, Err(k)) => {
            r.bad(line, "baseline", k);
            None
        }
    };
    (targets, baseline)
}

/// Formulas read KPIs that exist, and never go round in a circle.
fn check_formulas(r: &mut Reading<'_>, stored: &Stored, kpis: &[ReadKpi], formulas: &BTreeMap<String, (formula::Expr, usize)>) {
    let known: std::collections::HashSet<&str> = stored.kpis.iter().map(|k| k.code.as_str()).chain(kpis.iter().map(|k| k.kpi.code.as_str())).collect();
    for (code, (e, line)) in formulas {
        for (name, _) in e.refs() {
            if !known.contains(name.as_str()) {
                r.bad(
                    *line,
                    "formula",
                    ProblemKind::BadFormat { value: name.clone(), expected: traguardi_domain::said!("il codice di un KPI del ciclo (in {code})", code) },
                );
            }
        }
    }
    let mut all: BTreeMap<String, formula::Expr> = stored
        .kpis
        .iter()
        .filter(|k| !formulas.contains_key(&k.code))
        .filter_map(|k| k.formula.as_deref().and_then(|f| formula::parse(f).ok()).map(|e| (k.code.clone(), e)))
        .collect();
    all.extend(formulas.iter().map(|(c, (e, _))| (c.clone(), e.clone())));
    if let Err(ring) = formula::evaluation_order(&all) {
        let line = ring.iter().filter_map(|c| formulas.get(c).map(|(_, l)| *l)).min().unwrap_or(1);
        r.bad(line, "formula", ProblemKind::CircularFormulas { path: ring });
    }
}

/// Writes what changed, each change in the audit trail; a trial only counts.
struct Writing<'w> {
    tx: &'w mut traguardi_store::Tx,
    actor: &'w Actor,
    ente: &'w Ente,
    stored: &'w Stored,
    dry_run: bool,
}

impl Writing<'_> {
    /// Objectives parents first, with their contributing units.
    async fn objectives(&mut self, objectives: &[ReadObjective], contributions: &HashMap<String, Vec<Contribution>>) -> Result<Counts, AppError> {
        let mut counts = Counts::default();
        let (stored, ente) = (self.stored, self.ente);
        let mut ids: HashMap<&str, &ObjectiveId> = stored.objectives.iter().map(|o| (o.code.as_str(), &o.id)).collect();
        ids.extend(objectives.iter().map(|o| (o.objective.code.as_str(), &o.objective.id)));
        for read in parents_first(objectives, |o| o.objective.code.as_str(), |o| o.parent.as_deref()) {
            let o = Objective { parent_id: read.parent.as_deref().and_then(|p| ids.get(p)).map(|id| (*id).clone()), ..read.objective.clone() };
            let before = stored.objective(&o.code);
            let old_contrib: Vec<Contribution> = stored.contributions.iter().filter(|c| c.objective_id == o.id).cloned().collect();
            let new_contrib: Option<Vec<Contribution>> = contributions.get(&o.code).map(|l| {
                let mut v: Vec<Contribution> = l.iter().map(|c| Contribution { objective_id: o.id.clone(), ..c.clone() }).collect();
                v.sort_by(|a, b| a.unit_id.cmp(&b.unit_id));
                v
            });
            let contrib_changed = new_contrib.as_ref().is_some_and(|n| *n != old_contrib);
            match before {
                None => counts.created.push(o.code.clone()),
                Some(b) if *b == o && !contrib_changed => counts.unchanged += 1,
                Some(_) => counts.updated.push(o.code.clone()),
            }
            if self.dry_run || (before == Some(&o) && !contrib_changed) {
                continue;
            }
            plan::save_objective(self.tx, &ente.id, &o).await?;
            if let Some(list) = &new_contrib {
                plan::replace_contributions(self.tx, &ente.id, &o.id, list).await?;
            }
            let after = (&o, new_contrib.as_ref().unwrap_or(&old_contrib));
            let before = before.map(|b| (b, &old_contrib));
            let change = Change { action: "import plan", entity: "obiettivo", entity_id: Some(&o.id), before: before.as_ref(), after: Some(&after) };
            audit::record_in_cycle(self.tx, self.actor, &ente.id, &stored.cycle.id, change).await?;
        }
        Ok(counts)
    }

    /// KPIs with their targets.
    async fn kpis(&mut self, kpis: &[ReadKpi]) -> Result<Counts, AppError> {
        let mut counts = Counts::default();
        let (stored, ente) = (self.stored, self.ente);
        for ReadKpi { kpi: k, targets } in kpis {
            let before = stored.kpi(&k.code);
            let mut targets: Vec<Target> = targets.iter().map(|t| Target { kpi_id: k.id.clone(), ..t.clone() }).collect();
            // In the stored order, so that an unchanged file compares equal.
            targets.sort_by_key(|a| (a.year, a.period_end));
            let old_targets: Vec<Target> = stored.targets.iter().filter(|t| t.kpi_id == k.id).cloned().collect();
            if before == Some(k) && old_targets == targets {
                counts.unchanged += 1;
                continue;
            }
            if before.is_some() {
                counts.updated.push(k.code.clone())
            } else {
                counts.created.push(k.code.clone())
            }
            if self.dry_run {
                continue;
            }
            plan::save_kpi(self.tx, &ente.id, k).await?;
            plan::replace_targets(self.tx, &ente.id, &k.id, &targets).await?;
            let after = (k, &targets);
            let before = before.map(|b| (b, &old_targets));
            let change = Change { action: "import plan", entity: "kpi", entity_id: Some(&k.id), before: before.as_ref(), after: Some(&after) };
            audit::record_in_cycle(self.tx, self.actor, &ente.id, &stored.cycle.id, change).await?;
        }
        Ok(counts)
    }
}

/// Contributing units: `tutte` (every top-level unit, i.e. every Direzione) or codes with an
/// optional share in %: `DG:10|DO:5|SIAD`.
fn parse_contributions(s: &str, units: &HashMap<String, UnitId>, top: &[UnitId], style: NumberStyle) -> Result<Vec<Contribution>, ProblemKind> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(Vec::new());
    }
    if t.eq_ignore_ascii_case("tutte") {
        return Ok(top.iter().map(|u| Contribution { objective_id: ObjectiveId::default(), unit_id: u.clone(), share: None }).collect());
    }
    t.split('|')
        .map(|part| {
            let (code, share) = match part.split_once(':') {
                Some((c, sh)) => (c.trim(), Some(traguardi_domain::value::parse_percent(sh, style)?)),
                None => (part.trim(), None),
            };
            let unit_id = units.get(code).cloned().ok_or_else(|| ProblemKind::UnknownUnit { value: code.into() })?;
            Ok(Contribution { objective_id: ObjectiveId::default(), unit_id, share })
        })
        .collect()
}

/// A weight: a number ≥ 0 (zero or negative weights are refused when the plan is approved).
fn weight(s: &str, style: NumberStyle) -> Result<Decimal, ProblemKind> {
    let v = style.parse(s).ok_or_else(|| ProblemKind::BadNumber { value: s.into() })?;
    if v < Decimal::ZERO {
        return Err(ProblemKind::OutOfRange { value: s.into(), min: "0".into(), max: "∞".into() });
    }
    Ok(v)
}

/// Bands as `DA-A:PUNTEGGIO` separated by `|`, the last `A` may be empty: `0-50:0|50-80:60|80-:100`.
pub fn parse_bands(s: &str, style: NumberStyle) -> Result<Vec<Band>, ProblemKind> {
    let bad = || ProblemKind::BadFormat { value: s.into(), expected: traguardi_domain::said!("fasce come 0-50:0|50-80:60|80-:100") };
    if s.trim().is_empty() {
        return Ok(Vec::new());
    }
    s.split('|')
        .map(|part| {
            let (range, score) = part.split_once(':').ok_or_else(bad)?;
            let (from, to) = range.split_once('-').ok_or_else(bad)?;
            let from = style.parse(from).ok_or_else(bad)?;
            let to = if to.trim().is_empty() { None } else { Some(style.parse(to).ok_or_else(bad)?) };
            let score = style.parse(score).ok_or_else(bad)?;
            Ok(Band { from, to, score })
        })
        .collect()
}
