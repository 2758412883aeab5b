//! `import plan`: the plan of one cycle from CSV or XLSX, one row per KPI (docs/formats.md).
//!
//! Objectives and KPIs are added or updated by code; those the file does not name stay as they
//! are. An objective on several rows must agree on its own fields. A row with an empty `kpi`
//! describes an objective without KPIs of its own (e.g. a parent of fasi). The whole file is
//! checked first; with any problem nothing is written.

use std::collections::{BTreeMap, HashMap};
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
    let (table, cols, mut problems) = import::open(bytes, opts, &REQUIRED, &OPTIONAL).await?;
    let style = table.number_style;

    let ending = dry_run.into();
    let dry_run = ending.is_dry_run();
    let mut tx = import::begin(store, ending).await?;
    let (cycle, cycle_created) = cycles::ensure(&mut tx, actor, ente, year).await?;
    crate::cycle::close::ensure_open(&mut tx, ente, &cycle).await?;
    let (dims, ambiti) = dimensions::ensure(&mut tx, ente).await?;
    let units: HashMap<String, String> = org::of_cycle(&mut tx, &ente.id, &cycle.id).await?.into_iter().map(|u| (u.code, u.id)).collect();
    let persons: HashMap<String, String> = people::persons(&mut tx, &ente.id).await?.into_iter().map(|p| (p.matricola, p.id)).collect();
    let stored_objectives = plan::objectives(&mut tx, &ente.id, &cycle.id).await?;
    let stored_kpis = plan::kpis(&mut tx, &ente.id, &cycle.id).await?;
    let stored_targets = plan::targets(&mut tx, &ente.id, &cycle.id).await?;
    let scoring = crate::plan::cycle_rules::scoring(&mut tx, ente, &cycle).await?;
    let stored_contributions = plan::contributions(&mut tx, &ente.id, &cycle.id).await?;
    let dup: HashMap<String, (String, String)> = plan::dup_objectives(&mut tx, &ente.id).await?.into_iter().map(|d| (d.code, (d.id, d.kind))).collect();
    let top_units: Vec<String> = org::of_cycle(&mut tx, &ente.id, &cycle.id).await?.into_iter().filter(|u| u.parent_id.is_none()).map(|u| u.id).collect();

    // Objectives: the first row of each code defines it; later rows must agree.
    let mut first_row: HashMap<String, &traguardi_docs::Record> = HashMap::new();
    let mut objective_rows: Vec<&traguardi_docs::Record> = Vec::new();
    for rec in &table.rows {
        let code = cols.get(rec, "obiettivo");
        if code.is_empty() {
            problems.push(Problem::cell(rec.line, "obiettivo", ProblemKind::Required));
            continue;
        }
        match first_row.get(code) {
            Some(first) => {
                for f in OBJECTIVE_FIELDS {
                    let (mine, theirs) = (cols.get(rec, f), cols.get(first, f));
                    if mine != theirs {
                        problems.push(Problem::cell(rec.line, f, ProblemKind::Disagrees { value: mine.into(), other: theirs.into(), other_row: first.line }));
                    }
                }
            }
            None => {
                first_row.insert(code.to_string(), rec);
                objective_rows.push(rec);
            }
        }
    }

    let stored_obj_by_code: HashMap<&str, &Objective> = stored_objectives.iter().map(|o| (o.code.as_str(), o)).collect();
    let stored_obj_code_of: HashMap<&str, &str> = stored_objectives.iter().map(|o| (o.id.as_str(), o.code.as_str())).collect();
    let mut new_objectives: Vec<(Objective, Option<String>, usize)> = Vec::new();
    let mut new_contributions: HashMap<String, Vec<Contribution>> = HashMap::new();
    for rec in &objective_rows {
        let line = rec.line;
        let get = |c: &str| cols.get(rec, c);
        let mut bad = |c: &str, k: ProblemKind| problems.push(Problem::cell(line, c, k));
        let code = get("obiettivo").to_string();
        if code.len() > 40 || code.contains(char::is_whitespace) {
            bad("obiettivo", ProblemKind::BadFormat { value: code.clone(), expected: "codice senza spazi, al massimo 40 caratteri".into() });
        }
        let title = get("obiettivo_titolo");
        if title.is_empty() {
            bad("obiettivo_titolo", ProblemKind::Required);
        }
        let dim = dims.iter().find(|d| d.code == get("dimensione").to_lowercase());
        if dim.is_none() {
            bad("dimensione", ProblemKind::NotOneOf { value: get("dimensione").into(), allowed: dims.iter().map(|d| d.code.clone()).collect() });
        }
        let mut ambito_id = None;
        if let Some(d) = dim {
            let of_dim: Vec<_> = ambiti.iter().filter(|a| a.dimension_id == d.id).collect();
            let given = get("ambito");
            match (given.is_empty(), of_dim.is_empty()) {
                (true, true) => {}
                (true, false) => bad("ambito", ProblemKind::Required),
                (false, _) => match of_dim.iter().find(|a| same_name(&a.code, given) || same_name(&a.name, given)) {
                    Some(a) => ambito_id = Some(a.id.clone()),
                    None => bad(
                        "ambito",
                        ProblemKind::NotOneOf {
                            value: given.into(),
                            allowed: if of_dim.is_empty() { vec!["(vuoto)".into()] } else { of_dim.iter().map(|a| a.name.clone()).collect() },
                        },
                    ),
                },
            }
        }
        let unit_id = match get("struttura") {
            "" => None,
            u => units.get(u).cloned().or_else(|| {
                bad("struttura", ProblemKind::UnknownUnit { value: u.into() });
                None
            }),
        };
        let person_id = match get("persona") {
            "" => None,
            m => persons.get(m).cloned().or_else(|| {
                bad("persona", ProblemKind::UnknownPerson { value: m.into() });
                None
            }),
        };
        let weight = weight(get("obiettivo_peso"), style).unwrap_or_else(|k| {
            bad("obiettivo_peso", k);
            Decimal::ONE
        });
        let mut date = |c: &str| match get(c) {
            "" => None,
            s => parse_date(s).map_err(|k| bad(c, k)).ok(),
        };
        let (starts, ends) = (date("inizio"), date("fine"));
        let existing = stored_obj_by_code.get(code.as_str()).copied();
        let mut bad = |c: &str, k: ProblemKind| problems.push(Problem::cell(line, c, k));
        let dup_id = match get("dup") {
            "" if cols.has("dup") => None,
            "" => existing.and_then(|o| o.dup_id.clone()),
            d => match dup.get(d) {
                Some((id, kind)) if kind == "operativo" => Some(id.clone()),
                _ => {
                    bad(
                        "dup",
                        ProblemKind::BadFormat { value: d.into(), expected: "il codice di un obiettivo operativo del DUP (traguardi import dup)".into() },
                    );
                    None
                }
            },
        };
        if cols.has("contributi") {
            match parse_contributions(get("contributi"), &units, &top_units, style) {
                Ok(list) => {
                    new_contributions.insert(code.clone(), list);
                }
                Err(k) => bad("contributi", k),
            }
        }
        let o = Objective {
            id: existing.map_or_else(new_id, |o| o.id.clone()),
            cycle_id: cycle.id.clone(),
            code: code.clone(),
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
        let parent = Some(get("padre").to_string()).filter(|p| !p.is_empty());
        new_objectives.push((o, parent, line));
    }
    // The objective tree merged over the stored one.
    let stored_parents: HashMap<String, Option<String>> =
        stored_objectives.iter().map(|o| (o.code.clone(), o.parent_id.as_deref().and_then(|p| stored_obj_code_of.get(p)).map(|c| c.to_string()))).collect();
    let nodes: Vec<Node<'_>> = new_objectives.iter().map(|(o, p, line)| Node { row: *line, code: &o.code, parent: p.as_deref() }).collect();
    problems.0.extend(check_tree(&nodes, &stored_parents, "obiettivo", "padre").0);

    // KPIs.
    let stored_kpi_by_code: HashMap<&str, &Kpi> = stored_kpis.iter().map(|k| (k.code.as_str(), k)).collect();
    let mut kpi_first: HashMap<String, usize> = HashMap::new();
    let mut new_kpis: Vec<(Kpi, Vec<Target>, usize)> = Vec::new();
    let mut formulas: BTreeMap<String, (formula::Expr, usize)> = BTreeMap::new();
    for rec in &table.rows {
        let line = rec.line;
        let get = |c: &str| cols.get(rec, c);
        let code = get("kpi").to_string();
        if code.is_empty() {
            continue;
        }
        let mut bad = |c: &str, k: ProblemKind| problems.push(Problem::cell(line, c, k));
        if let Some(&first) = kpi_first.get(&code) {
            bad("kpi", ProblemKind::Duplicate { value: code.clone(), first_row: first });
            continue;
        }
        kpi_first.insert(code.clone(), line);
        if code.len() > 40 || code.contains(char::is_whitespace) {
            bad("kpi", ProblemKind::BadFormat { value: code.clone(), expected: "codice senza spazi, al massimo 40 caratteri".into() });
        }
        let name = get("kpi_nome");
        if name.is_empty() {
            bad("kpi_nome", ProblemKind::Required);
        }
        let measure = Measure::parse(get("misura")).map_err(|k| bad("misura", k)).ok();
        let direction = match get("verso") {
            "" => Some(Direction::Crescente),
            s => Direction::parse(s).map_err(|k| bad("verso", k)).ok(),
        };
        let aggregation = match get("aggregazione") {
            "" => Some(Aggregation::Ultimo),
            s => Aggregation::parse(s).map_err(|k| bad("aggregazione", k)).ok(),
        };
        let periodicity = match get("periodicita").to_lowercase().as_str() {
            "" => "annuale".to_string(),
            p if PERIODICITIES.contains(&p) => p.to_string(),
            p => {
                bad("periodicita", ProblemKind::NotOneOf { value: p.into(), allowed: PERIODICITIES.map(String::from).to_vec() });
                String::new()
            }
        };
        let nature = match get("natura").to_lowercase().replace('à', "a").as_str() {
            "" => None,
            n if NATURES.contains(&n) => Some(n.to_string()),
            n => {
                bad("natura", ProblemKind::NotOneOf { value: n.into(), allowed: NATURES.map(String::from).to_vec() });
                None
            }
        };
        let kpi_weight = match get("kpi_peso") {
            "" => Decimal::ONE,
            s => weight(s, style).unwrap_or_else(|k| {
                bad("kpi_peso", k);
                Decimal::ONE
            }),
        };
        let mut rule = Rule::default();
        let mut number = |c: &str| match get(c) {
            "" => None,
            s => style.parse(s).or_else(|| {
                problems.push(Problem::cell(line, c, ProblemKind::BadNumber { value: s.into() }));
                None
            }),
        };
        rule.minimum = number("soglia_minima");
        rule.cap = number("tetto");
        rule.late_penalty_per_day = number("penale_giorno");
        let mut bad = |c: &str, k: ProblemKind| problems.push(Problem::cell(line, c, k));
        match parse_bands(get("fasce"), style) {
            Ok(b) => rule.bands = b,
            Err(k) => bad("fasce", k),
        }
        rule.interpolate = match get("interpolazione") {
            "" => false,
            s => parse_yes_no(s).map_err(|k| bad("interpolazione", k)).unwrap_or(false),
        };
        if let Err(k) = rule.check() {
            bad(if rule.cap.is_some_and(|c| c < Decimal::ONE_HUNDRED) { "tetto" } else { "fasce" }, k);
        }
        // Above 100 only where the cycle's scoring rules allow over-achievement.
        if let Some(k) = rule.cap.and_then(|c| scoring.kpi_cap_problem(c)) {
            bad("tetto", k);
        }
        let formula_text = Some(get("formula").to_string()).filter(|f| !f.is_empty());
        if let Some(f) = &formula_text {
            match formula::parse(f) {
                Ok(e) => {
                    formulas.insert(code.clone(), (e, line));
                }
                Err(e) => bad("formula", ProblemKind::BadFormula { formula: f.clone(), detail: e.to_string() }),
            }
            if matches!(measure, Some(Measure::Scadenza | Measure::SiNo)) {
                bad("formula", ProblemKind::BadFormat { value: f.clone(), expected: "una misura numerica per un KPI calcolato".into() });
            }
        }
        let mut targets = Vec::new();
        let mut baseline = None;
        if let Some(m) = measure {
            for (i, c) in ["target", "target_anno2", "target_anno3"].iter().enumerate() {
                match (get(c), Value::parse(m, get(c), style)) {
                    ("", _) => {}
                    (_, Ok(Some(v))) => targets.push(Target { kpi_id: String::new(), year: year + i as i32, period_end: None, value: v.to_text() }),
                    (_, Ok(None)) => {}
                    (_, Err(k)) => bad(c, k),
                }
            }
            for part in get("target_periodi").split('|').map(str::trim).filter(|p| !p.is_empty()) {
                let parsed = part.split_once(':').and_then(|(d, v)| {
                    let d = parse_date(d).ok().filter(|d| cycle.calendar.contains(*d))?;
                    Value::parse(m, v, style).ok().flatten().map(|v| (d, v))
                });
                match parsed {
                    Some((d, v)) => targets.push(Target { kpi_id: String::new(), year, period_end: Some(d), value: v.to_text() }),
                    None => bad(
                        "target_periodi",
                        ProblemKind::BadFormat { value: part.into(), expected: format!("DATA:VALORE con una data del {year}, es. {year}-06-30:50") },
                    ),
                }
            }
            if rule.bands.is_empty() && targets.iter().all(|t| t.year != year || t.period_end.is_some()) && m != Measure::SiNo {
                bad("target", ProblemKind::Required);
            }
            baseline = match (get("baseline"), Value::parse(m, get("baseline"), style)) {
                ("", _) => None,
                (_, Ok(v)) => v.map(|v| v.to_text()),
                (_, Err(k)) => {
                    bad("baseline", k);
                    None
                }
            };
        }
        let objective_id = new_objectives.iter().find(|(o, _, _)| o.code == get("obiettivo")).map(|(o, _, _)| o.id.clone()).unwrap_or_default();
        let existing = stored_kpi_by_code.get(code.as_str()).copied();
        let (Some(measure), Some(direction), Some(aggregation)) = (measure, direction, aggregation) else { continue };
        let k = Kpi {
            id: existing.map_or_else(new_id, |k| k.id.clone()),
            cycle_id: cycle.id.clone(),
            objective_id,
            code: code.clone(),
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
        new_kpis.push((k, targets, line));
    }
    // Formulas read KPIs that exist, and never go round in a circle.
    let known: std::collections::HashSet<&str> = stored_kpis.iter().map(|k| k.code.as_str()).chain(new_kpis.iter().map(|(k, _, _)| k.code.as_str())).collect();
    for (code, (e, line)) in &formulas {
        for (r, _) in e.refs() {
            if !known.contains(r.as_str()) {
                problems.push(Problem::cell(
                    *line,
                    "formula",
                    ProblemKind::BadFormat { value: r.clone(), expected: format!("il codice di un KPI del ciclo (in {code})") },
                ));
            }
        }
    }
    let mut all_formulas: BTreeMap<String, formula::Expr> = stored_kpis
        .iter()
        .filter(|k| !formulas.contains_key(&k.code))
        .filter_map(|k| k.formula.as_deref().and_then(|f| formula::parse(f).ok()).map(|e| (k.code.clone(), e)))
        .collect();
    all_formulas.extend(formulas.iter().map(|(c, (e, _))| (c.clone(), e.clone())));
    if let Err(ring) = formula::evaluation_order(&all_formulas) {
        let line = ring.iter().filter_map(|c| formulas.get(c).map(|(_, l)| *l)).min().unwrap_or(1);
        problems.push(Problem::cell(line, "formula", ProblemKind::CircularFormulas { path: ring }));
    }
    problems.into_result()?;

    // Write: objectives parents first, then KPIs and their targets.
    let mut report = PlanReport { year, rows: table.rows.len(), cycle_created, dry_run, ..Default::default() };
    let mut ids: HashMap<String, String> = stored_objectives.iter().map(|o| (o.code.clone(), o.id.clone())).collect();
    for (o, _, _) in &new_objectives {
        ids.insert(o.code.clone(), o.id.clone());
    }
    let ordered = parents_first(&new_objectives, |(o, _, _)| o.code.as_str(), |(_, p, _)| p.as_deref());
    for (o, parent, _) in ordered {
        let o = Objective { parent_id: parent.as_ref().and_then(|p| ids.get(p).cloned()), ..o.clone() };
        let before = stored_obj_by_code.get(o.code.as_str()).copied();
        let old_contrib: Vec<Contribution> = stored_contributions.iter().filter(|c| c.objective_id == o.id).cloned().collect();
        let new_contrib: Option<Vec<Contribution>> = new_contributions.get(&o.code).map(|l| {
            let mut v: Vec<Contribution> = l.iter().map(|c| Contribution { objective_id: o.id.clone(), ..c.clone() }).collect();
            v.sort_by(|a, b| a.unit_id.cmp(&b.unit_id));
            v
        });
        let contrib_changed = new_contrib.as_ref().is_some_and(|n| *n != old_contrib);
        match before {
            None => report.objectives.created.push(o.code.clone()),
            Some(b) if *b == o && !contrib_changed => report.objectives.unchanged += 1,
            Some(_) => report.objectives.updated.push(o.code.clone()),
        }
        if dry_run || (before == Some(&o) && !contrib_changed) {
            continue;
        }
        plan::save_objective(&mut tx, &ente.id, &o, before.is_none()).await?;
        if let Some(list) = &new_contrib {
            plan::replace_contributions(&mut tx, &ente.id, &o.id, list).await?;
        }
        let after = (&o, new_contrib.as_ref().unwrap_or(&old_contrib));
        audit::record_in_cycle(
            &mut tx,
            actor,
            &ente.id,
            &cycle.id,
            Change {
                action: "import plan",
                entity: "obiettivo",
                entity_id: Some(&o.id),
                before: before.map(|b| (b, &old_contrib)).as_ref(),
                after: Some(&after),
            },
        )
        .await?;
    }
    for (k, targets, _) in &new_kpis {
        let before = stored_kpi_by_code.get(k.code.as_str()).copied();
        let mut targets: Vec<Target> = targets.iter().map(|t| Target { kpi_id: k.id.clone(), ..t.clone() }).collect();
        // In the stored order, so that an unchanged file compares equal.
        targets.sort_by_key(|a| (a.year, a.period_end));
        let old_targets: Vec<Target> = stored_targets.iter().filter(|t| t.kpi_id == k.id).cloned().collect();
        let same = before == Some(k) && old_targets == targets;
        if same {
            report.kpis.unchanged += 1;
            continue;
        }
        if before.is_some() {
            report.kpis.updated.push(k.code.clone())
        } else {
            report.kpis.created.push(k.code.clone())
        }
        if dry_run {
            continue;
        }
        plan::save_kpi(&mut tx, &ente.id, k, before.is_none()).await?;
        plan::replace_targets(&mut tx, &ente.id, &k.id, &targets).await?;
        let after = (k, &targets);
        audit::record_in_cycle(
            &mut tx,
            actor,
            &ente.id,
            &cycle.id,
            Change { action: "import plan", entity: "kpi", entity_id: Some(&k.id), before: before.map(|b| (b, &old_targets)).as_ref(), after: Some(&after) },
        )
        .await?;
    }
    import::finish(tx, ending).await?;
    Ok(report)
}

/// Contributing units: `tutte` (every top-level unit, i.e. every Direzione) or codes with an
/// optional share in %: `DG:10|DO:5|SIAD`.
fn parse_contributions(s: &str, units: &HashMap<String, String>, top: &[String], style: NumberStyle) -> Result<Vec<Contribution>, ProblemKind> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(Vec::new());
    }
    if t.eq_ignore_ascii_case("tutte") {
        return Ok(top.iter().map(|u| Contribution { objective_id: String::new(), unit_id: u.clone(), share: None }).collect());
    }
    t.split('|')
        .map(|part| {
            let (code, share) = match part.split_once(':') {
                Some((c, sh)) => (c.trim(), Some(traguardi_domain::value::parse_percent(sh, style)?)),
                None => (part.trim(), None),
            };
            let unit_id = units.get(code).cloned().ok_or_else(|| ProblemKind::UnknownUnit { value: code.into() })?;
            Ok(Contribution { objective_id: String::new(), unit_id, share })
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
    let bad = || ProblemKind::BadFormat { value: s.into(), expected: "fasce come 0-50:0|50-80:60|80-:100".into() };
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
