//! `import valutazioni`: the individual evaluations of a cycle (docs/formats.md): results and
//! behaviours (0–100), evaluator and second-level reviewer, the three interviews, sign-off,
//! contestation and conciliation. Each person's evaluation is replaced; the file is checked
//! whole first.

use std::collections::HashMap;
use traguardi_domain::ids::PersonId;
use traguardi_domain::said;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use traguardi_docs::ReadOptions;
use traguardi_domain::people::Category;
use traguardi_domain::value::{NumberStyle, parse_date, parse_percent};
use traguardi_domain::{Problem, ProblemKind};
use traguardi_store::ente::Ente;
use traguardi_store::pay::{self, EvaluationRow};
use traguardi_store::{Store, people};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::plan::import_plan::Counts;
use crate::{Actor, AppError, cycle::cycles, import, org::enti, pay::evaluations};

pub const REQUIRED: [&str; 1] = ["matricola"];
pub const OPTIONAL: [&str; 12] = [
    "valutatore",
    "revisore",
    "risultati",
    "comportamenti",
    "colloquio_iniziale",
    "colloquio_intermedio",
    "colloquio_finale",
    "firmata_il",
    "contestata_il",
    "conciliazione",
    "punteggio_conciliato",
    "note",
];
pub const CONCILIATION: [&str; 2] = ["confermata", "modificata"];

/// What the import reads of the cycle before it reads the file.
struct Known {
    year: i32,
    /// Matricola → person id.
    persons: HashMap<String, PersonId>,
    /// The person linked to the importing account: nobody records their own evaluation.
    me: Option<PersonId>,
    /// Each person's category: that of their longest assignment in the cycle.
    category: HashMap<PersonId, (i64, Category)>,
    rules: traguardi_domain::pay::rules::PayRules,
    /// Columns `comportamento.CODE`: (index, code), one score per behaviour of the catalogue.
    item_columns: Vec<(usize, String)>,
}

#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn import_evaluations(
    store: &Store,
    actor: &Actor,
    ente_code: Option<&str>,
    year: i32,
    bytes: &[u8],
    opts: ReadOptions,
    dry_run: bool,
) -> Result<Counts, AppError> {
    actor.require(Right::Administer, said!("registrare le valutazioni individuali"))?;
    let (table, cols, mut problems) = import::open(bytes, opts, &REQUIRED, &OPTIONAL).await?;
    let mut tx = import::begin(store, dry_run).await?;
    let ente = enti::resolve(&mut tx, ente_code).await?;
    let cycle = cycles::get(&mut tx, &ente, year).await?;
    crate::cycle::close::ensure_open(&mut tx, &ente, &cycle).await?;
    let known = Known::load(&mut tx, actor, &ente, &cycle, &table, &mut problems).await?;
    let stored: HashMap<PersonId, EvaluationRow> =
        pay::evaluations(&mut tx, &ente.id, &cycle.id).await?.into_iter().map(|e| (e.person_id.clone(), e)).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut rows: Vec<(String, EvaluationRow)> = Vec::new();
    for rec in &table.rows {
        if let Some(e) = read_row(&known, &cols, table.number_style, rec, &mut seen, &mut problems) {
            rows.push((cols.get(rec, "matricola").to_string(), e));
        }
    }
    problems.into_result()?;
    let mut counts = Counts::default();
    for (matricola, e) in &rows {
        let before = stored.get(&e.person_id);
        match before {
            Some(b) if b == e => {
                counts.unchanged += 1;
                continue;
            }
            Some(_) => counts.updated.push(matricola.clone()),
            None => counts.created.push(matricola.clone()),
        }
        if !dry_run {
            pay::save_evaluation(&mut tx, &ente.id, &cycle.id, e).await?;
            let change = Change { action: "import valutazioni", entity: "valutazione", entity_id: Some(matricola), before, after: Some(e) };
            audit::record_in_cycle(&mut tx, actor, &ente.id, &cycle.id, change).await?;
        }
    }
    import::finish(tx, dry_run).await?;
    Ok(counts)
}

impl Known {
    /// Also checks the file's `comportamento.CODE` columns against the catalogue (once, on the
    /// header).
    async fn load(
        tx: &mut traguardi_store::Tx,
        actor: &Actor,
        ente: &Ente,
        cycle: &traguardi_store::cycle::Cycle,
        table: &traguardi_docs::Table,
        problems: &mut traguardi_domain::Problems,
    ) -> Result<Known, AppError> {
        let year = cycle.year();
        let persons: HashMap<String, PersonId> = people::persons(tx, &ente.id).await?.into_iter().map(|p| (p.matricola, p.id)).collect();
        let me = match &actor.kind {
            crate::accounts::access::ActorKind::User { account_id, .. } => traguardi_store::accounts::person_of(tx, account_id, &ente.id).await?,
            _ => None,
        };
        let mut category: HashMap<PersonId, (i64, Category)> = HashMap::new();
        let year_end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
        for a in people::assignments_of_cycle(tx, &ente.id, &cycle.id).await? {
            let days = (a.ends.unwrap_or(year_end) - a.starts).num_days();
            if category.get(&a.person_id).is_none_or(|(d, _)| days > *d) {
                category.insert(a.person_id.clone(), (days, a.category));
            }
        }
        let rules = crate::pay::payouts::rules_of(tx, ente, cycle).await?;
        let item_columns: Vec<(usize, String)> =
            table.headers.iter().enumerate().filter_map(|(i, h)| h.strip_prefix("comportamento.").map(|c| (i, c.to_uppercase()))).collect();
        for (_, code) in &item_columns {
            if !rules.behaviours.iter().any(|b| &b.code == code) {
                problems.push(Problem::cell(
                    1,
                    &format!("comportamento.{}", code.to_lowercase()),
                    ProblemKind::NotOneOf { value: code.clone(), allowed: rules.behaviours.iter().map(|b| b.code.clone()).collect() },
                ));
            }
        }
        Ok(Known { year, persons, me, category, rules, item_columns })
    }
}

/// One row's evaluation, or none when its person is not known (its problems listed); `seen`
/// gives the first line of each matricola read so far.
fn read_row(
    known: &Known,
    cols: &traguardi_docs::Columns,
    style: NumberStyle,
    rec: &traguardi_docs::Record,
    seen: &mut HashMap<String, usize>,
    problems: &mut traguardi_domain::Problems,
) -> Option<EvaluationRow> {
    let line = rec.line;
    let get = |c: &str| cols.get(rec, c);
    let matricola = get("matricola").to_string();
    let person = match known.persons.get(&matricola) {
        None if matricola.is_empty() => {
            problems.push(Problem::cell(line, "matricola", ProblemKind::Required));
            None
        }
        None => {
            problems.push(Problem::cell(line, "matricola", ProblemKind::UnknownPerson { value: matricola.clone() }));
            None
        }
        Some(id) if !known.category.contains_key(id) => {
            problems.push(Problem::cell(line, "matricola", ProblemKind::OutsideCycle { year: known.year }));
            None
        }
        Some(id) => Some(id.clone()),
    };
    if let Some(first) = seen.insert(matricola.clone(), line) {
        problems.push(Problem::cell(line, "matricola", ProblemKind::Duplicate { value: matricola.clone(), first_row: first }));
    }
    let mut other = |c: &str| -> Option<PersonId> {
        match get(c) {
            "" => None,
            m => known.persons.get(m).cloned().or_else(|| {
                problems.push(Problem::cell(line, c, ProblemKind::UnknownPerson { value: m.into() }));
                None
            }),
        }
    };
    let (evaluator, reviewer) = (other("valutatore"), other("revisore"));
    let mut bad = |c: &str, k: ProblemKind| problems.push(Problem::cell(line, c, k));
    if evaluator.is_some() && evaluator == person {
        bad("valutatore", ProblemKind::BadFormat { value: matricola.clone(), expected: traguardi_domain::said!("una persona diversa dal valutato") });
    }
    if known.me.is_some() && known.me == person {
        let expected = traguardi_domain::said!("una persona diversa da quella del proprio account: nessuno registra la propria valutazione");
        bad("matricola", ProblemKind::BadFormat { value: matricola.clone(), expected });
    }
    let mut score = |c: &str| match get(c) {
        "" => None,
        s => parse_percent(s, style).map_err(|k| bad(c, k)).ok(),
    };
    let (results, behaviours, conciliated) = (score("risultati"), score("comportamenti"), score("punteggio_conciliato"));
    let cat = person.as_ref().and_then(|id| known.category.get(id)).map(|(_, c)| *c);
    let (items, behaviours) = read_behaviours(known, style, rec, cat, behaviours, get("comportamenti"), problems);
    let mut bad = |c: &str, k: ProblemKind| problems.push(Problem::cell(line, c, k));
    let mut day = |c: &str| -> Option<NaiveDate> {
        match get(c) {
            "" => None,
            s => parse_date(s).map_err(|k| bad(c, k)).ok(),
        }
    };
    let (start, mid, end) = (day("colloquio_iniziale"), day("colloquio_intermedio"), day("colloquio_finale"));
    let (signed, contested) = (day("firmata_il"), day("contestata_il"));
    for (column, kind) in evaluations::interviews_in_order(start, mid, end) {
        problems.push(Problem::cell(line, column, kind));
    }
    let conciliation = read_conciliation(line, get("conciliazione"), contested, conciliated, problems);
    Some(EvaluationRow {
        person_id: person?,
        evaluator_id: evaluator,
        reviewer_id: reviewer,
        results,
        behaviours,
        interview_start: start,
        interview_mid: mid,
        interview_final: end,
        signed_on: signed,
        contested_on: contested,
        conciliation,
        conciliated,
        note: Some(get("note").to_string()).filter(|n| !n.is_empty()),
        items,
    })
}

/// The behaviours item by item, on the scale of the rules, and the behaviours' score: their mean
/// as a % of the scale, or the `comportamenti` column when there are no items (not both).
fn read_behaviours(
    known: &Known,
    style: NumberStyle,
    rec: &traguardi_docs::Record,
    cat: Option<Category>,
    behaviours: Option<Decimal>,
    behaviours_cell: &str,
    problems: &mut traguardi_domain::Problems,
) -> (Vec<(String, Decimal)>, Option<Decimal>) {
    let (line, rules) = (rec.line, &known.rules);
    let mut given: Vec<(String, Decimal)> = Vec::new();
    for (i, code) in &known.item_columns {
        let cell = rec.cells.get(*i).map_or("", |c| c.trim());
        // Codes outside the catalogue are reported once, on the header.
        if cell.is_empty() || !rules.behaviours.iter().any(|b| &b.code == code) {
            continue;
        }
        match style.parse(cell) {
            Some(v) => given.push((code.clone(), v)),
            None => problems.push(Problem::cell(
                line,
                &format!("comportamento.{}", code.to_lowercase()),
                ProblemKind::OutOfRange { value: cell.into(), min: "1".into(), max: rules.scale.normalize().to_string() },
            )),
        }
    }
    let (items, item_problems) = evaluations::check_items(&rules.behaviours, rules.scale, cat, &given);
    for (code, kind) in item_problems {
        problems.push(Problem::cell(line, &format!("comportamento.{}", code.to_lowercase()), kind));
    }
    if items.is_empty() {
        return (items, behaviours);
    }
    if behaviours.is_some() {
        let expected = traguardi_domain::said!("vuoto quando i comportamenti sono valutati uno per uno");
        problems.push(Problem::cell(line, "comportamenti", ProblemKind::BadFormat { value: behaviours_cell.into(), expected }));
    }
    let score = evaluations::behaviours_score(&items, rules.scale);
    (items, score)
}

/// The conciliation's outcome: only after a contestation; «modificata» with the agreed score,
/// and a score only when «modificata».
fn read_conciliation(
    line: usize,
    cell: &str,
    contested: Option<NaiveDate>,
    conciliated: Option<Decimal>,
    problems: &mut traguardi_domain::Problems,
) -> Option<String> {
    let mut bad = |c: &str, k: ProblemKind| problems.push(Problem::cell(line, c, k));
    let conciliation = match cell {
        "" => None,
        c if CONCILIATION.contains(&c) => Some(c.to_string()),
        c => {
            bad("conciliazione", ProblemKind::NotOneOf { value: c.into(), allowed: CONCILIATION.map(String::from).to_vec() });
            None
        }
    };
    if conciliation.is_some() && contested.is_none() {
        bad("contestata_il", ProblemKind::Required);
    }
    if conciliation.as_deref() == Some("modificata") && conciliated.is_none() {
        bad("punteggio_conciliato", ProblemKind::Required);
    }
    if conciliated.is_some() && conciliation.as_deref() != Some("modificata") {
        bad(
            "conciliazione",
            ProblemKind::BadFormat { value: cell.into(), expected: traguardi_domain::said!("«modificata» quando c'è un punteggio conciliato") },
        );
    }
    conciliation
}
