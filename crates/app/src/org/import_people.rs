//! `import people`: people and their assignments in one cycle, from CSV or XLSX.
//!
//! One row per assignment. Columns (docs/formats.md): `matricola,cognome,nome,struttura,ruolo,
//! categoria`, optional `titolo,email,part_time,tipo_part_time,inizio,fine,interim,responsabile`.
//! The assignments of each person in the file replace that person's assignments in the cycle;
//! people absent from the file are untouched. With any problem nothing is written.

use std::collections::HashMap;
use traguardi_domain::ids::UnitId;
use traguardi_domain::said;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use traguardi_docs::ReadOptions;
use traguardi_domain::people::{Category, PartTime, PartTimeKind, Role, parse_matricola};
use traguardi_domain::value::{parse_date, parse_percent, parse_yes_no};
use traguardi_domain::{Problem, ProblemKind};
use traguardi_store::ente::Ente;
use traguardi_store::people::{self, Assignment, Person};
use traguardi_store::{Store, new_id, org};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::cycle::cycles::{self, overlaps};
use crate::{Actor, AppError, import};

pub const REQUIRED: [&str; 6] = ["matricola", "cognome", "nome", "struttura", "ruolo", "categoria"];
pub const OPTIONAL: [&str; 8] = ["titolo", "email", "part_time", "tipo_part_time", "inizio", "fine", "interim", "responsabile"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PeopleReport {
    pub year: i32,
    pub rows: usize,
    pub people_created: usize,
    pub people_updated: usize,
    pub people_unchanged: usize,
    pub assignments: usize,
    pub cycle_created: bool,
    pub dry_run: bool,
}

struct AssignmentRow {
    line: usize,
    matricola: String,
    person: (String, String, Option<String>, Option<String>),
    unit: String,
    role: Role,
    category: Category,
    part_time: PartTime,
    starts: Option<NaiveDate>,
    ends: Option<NaiveDate>,
    interim: bool,
    responsible: Option<bool>,
}

impl PeopleReport {
    /// What the import did, in one sentence (the command line adds the trial and cycle notes).
    pub fn summary(&self, l: traguardi_domain::Lang) -> String {
        let r = self;
        match l {
            traguardi_domain::Lang::It => format!(
                "personale {}: {} righe lette, {} persone nuove, {} aggiornate, {} invariate, {} incarichi scritti",
                r.year, r.rows, r.people_created, r.people_updated, r.people_unchanged, r.assignments
            ),
            traguardi_domain::Lang::En => format!(
                "people {}: {} rows read, {} new people, {} updated, {} unchanged, {} assignments written",
                r.year, r.rows, r.people_created, r.people_updated, r.people_unchanged, r.assignments
            ),
        }
    }
}

#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn import_people<'a>(
    store: &Store,
    actor: &Actor,
    ente: &Ente,
    year: i32,
    bytes: &[u8],
    opts: ReadOptions,
    dry_run: impl Into<import::Ending<'a>>,
) -> Result<PeopleReport, AppError> {
    actor.require(Right::Administer, said!("importare il personale"))?;
    let (table, cols, mut problems) = import::open(bytes, opts, &REQUIRED, &OPTIONAL).await?;
    let (rows, unit_cells) = read_rows(&table, &cols, &mut problems);

    let ending = dry_run.into();
    let dry_run = ending.is_dry_run();
    let mut tx = import::begin(store, ending).await?;
    let (cycle, cycle_created) = cycles::ensure(&mut tx, actor, ente, year).await?;
    crate::cycle::close::ensure_open(&mut tx, ente, &cycle).await?;
    let units: HashMap<String, UnitId> = org::of_cycle(&mut tx, &ente.id, &cycle.id).await?.into_iter().map(|u| (u.code, u.id)).collect();
    for (line, unit) in unit_cells.into_iter().filter(|(_, u)| !units.contains_key(u)) {
        problems.push(Problem::cell(line, "struttura", ProblemKind::UnknownUnit { value: unit }));
    }
    check_periods(&rows, &cycle.calendar, &mut problems);
    let by_person = by_person(&rows);
    check_people(&by_person, &cycle.calendar, &mut problems);
    problems.into_result()?;

    let mut report = PeopleReport { year, rows: rows.len(), cycle_created, dry_run, ..Default::default() };
    Writing { tx: &mut tx, actor, ente, cycle: &cycle, units: &units, dry_run }.people(&by_person, &mut report).await?;
    import::finish(tx, ending).await?;
    Ok(report)
}

/// Every unit the file names: (line, code).
type UnitCells = Vec<(usize, String)>;

/// Each row read on its own; a row with a problem in any cell is left out (its problems listed).
/// With the rows, every unit named, to be checked against the cycle's units even on rows with
/// other problems: every problem of the file is listed at once.
fn read_rows(table: &traguardi_docs::Table, cols: &traguardi_docs::Columns, problems: &mut traguardi_domain::Problems) -> (Vec<AssignmentRow>, UnitCells) {
    let style = table.number_style;
    let mut rows = Vec::new();
    let mut unit_cells = Vec::new();
    for rec in &table.rows {
        let line = rec.line;
        let get = |c: &str| cols.get(rec, c);
        let mut bad = |c: &str, k: ProblemKind| problems.push(Problem::cell(line, c, k));
        let required = |s: &str| if s.is_empty() { Err(ProblemKind::Required) } else { Ok(s.to_string()) };
        let optional = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
        let matricola = parse_matricola(get("matricola"));
        let family = required(get("cognome"));
        let given = required(get("nome"));
        let unit = required(get("struttura"));
        if let Ok(u) = &unit {
            unit_cells.push((line, u.clone()));
        }
        let role = Role::parse(get("ruolo"));
        let category = Category::parse(get("categoria"));
        let percent = match get("part_time") {
            "" => Ok(Decimal::ONE_HUNDRED),
            s => parse_percent(s, style),
        };
        let kind = match get("tipo_part_time") {
            "" => Ok(None),
            s => PartTimeKind::parse(s).map(Some),
        };
        let part_time = match (percent, kind) {
            (Ok(p), Ok(k)) => PartTime::new(p, k).map_err(|e| ("part_time", e)),
            (Err(e), _) => Err(("part_time", e)),
            (_, Err(e)) => Err(("tipo_part_time", e)),
        };
        let date = |c: &str| match get(c) {
            "" => Ok(None),
            s => parse_date(s).map(Some),
        };
        let flag = |c: &str| match get(c) {
            "" => Ok(None),
            s => parse_yes_no(s).map(Some),
        };
        let (starts, ends, interim, responsible) = (date("inizio"), date("fine"), flag("interim"), flag("responsabile"));
        for (c, r) in [
            ("matricola", matricola.as_ref().err()),
            ("cognome", family.as_ref().err()),
            ("nome", given.as_ref().err()),
            ("struttura", unit.as_ref().err()),
            ("ruolo", role.as_ref().err()),
            ("categoria", category.as_ref().err()),
            ("inizio", starts.as_ref().err()),
            ("fine", ends.as_ref().err()),
            ("interim", interim.as_ref().err()),
            ("responsabile", responsible.as_ref().err()),
        ] {
            if let Some(k) = r {
                bad(c, k.clone());
            }
        }
        if let Err((c, k)) = &part_time {
            bad(c, k.clone());
        }
        if let (Ok(matricola), Ok(family), Ok(given), Ok(unit), Ok(role), Ok(category), Ok(part_time), Ok(starts), Ok(ends), Ok(interim), Ok(responsible)) =
            (matricola, family, given, unit, role, category, part_time, starts, ends, interim, responsible)
        {
            rows.push(AssignmentRow {
                line,
                matricola,
                person: (family, given, optional(get("titolo")), optional(get("email"))),
                unit,
                role,
                category,
                part_time,
                starts,
                ends,
                interim: interim.unwrap_or(false),
                responsible,
            });
        }
    }

    (rows, unit_cells)
}

/// The rows of each person, in file order.
fn by_person(rows: &[AssignmentRow]) -> Vec<(String, Vec<&AssignmentRow>)> {
    let mut by_person: Vec<(String, Vec<&AssignmentRow>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for r in rows {
        let i = *index.entry(r.matricola.as_str()).or_insert_with(|| {
            by_person.push((r.matricola.clone(), Vec::new()));
            by_person.len() - 1
        });
        by_person[i].1.push(r);
    }
    by_person
}

/// Each assignment ends after it starts, falls in the cycle, and has a category that exists on
/// every day of it inside the cycle.
fn check_periods(rows: &[AssignmentRow], cal: &traguardi_domain::cycle::CycleCalendar, problems: &mut traguardi_domain::Problems) {
    for r in rows {
        let starts = r.starts.unwrap_or(cal.starts);
        if let Some(e) = r.ends
            && e < starts
        {
            problems.push(Problem::cell(r.line, "fine", ProblemKind::EndBeforeStart { start: starts.to_string(), end: e.to_string() }));
            continue;
        }
        if !overlaps(starts, r.ends, cal.starts, cal.ends) {
            problems.push(Problem::row(r.line, ProblemKind::OutsideCycle { year: cal.year }));
            continue;
        }
        let (from, to) = (starts.max(cal.starts), r.ends.map_or(cal.ends, |e| e.min(cal.ends)));
        if let Err(k) = r.category.check_period(from, to) {
            problems.push(Problem::cell(r.line, "categoria", k));
        }
    }
}

/// A person's rows agree on the name, and two non-interim assignments never overlap (no day
/// counts twice).
fn check_people(by_person: &[(String, Vec<&AssignmentRow>)], cal: &traguardi_domain::cycle::CycleCalendar, problems: &mut traguardi_domain::Problems) {
    for (_, group) in by_person {
        let first = group[0];
        for r in &group[1..] {
            for (col, mine, theirs) in [("cognome", &r.person.0, &first.person.0), ("nome", &r.person.1, &first.person.1)] {
                if mine != theirs {
                    problems.push(Problem::cell(r.line, col, ProblemKind::Disagrees { value: mine.clone(), other: theirs.clone(), other_row: first.line }));
                }
            }
        }
        let primary: Vec<&&AssignmentRow> = group.iter().filter(|r| !r.interim).collect();
        for (i, a) in primary.iter().enumerate() {
            for b in &primary[..i] {
                let (sa, sb) = (a.starts.unwrap_or(cal.starts), b.starts.unwrap_or(cal.starts));
                if overlaps(sa, a.ends, sb, b.ends.unwrap_or(NaiveDate::MAX)) {
                    problems.push(Problem::row(a.line, ProblemKind::Overlaps { other_row: b.line }));
                }
            }
        }
    }
}

/// Writes each person and their assignments that changed, each change in the audit trail; a
/// trial only counts.
struct Writing<'w> {
    tx: &'w mut traguardi_store::Tx,
    actor: &'w Actor,
    ente: &'w Ente,
    cycle: &'w traguardi_store::cycle::Cycle,
    /// Unit code → id.
    units: &'w HashMap<String, UnitId>,
    dry_run: bool,
}

impl Writing<'_> {
    /// Counts each person in `report`: new, updated or unchanged, and the assignments written.
    async fn people(&mut self, by_person: &[(String, Vec<&AssignmentRow>)], report: &mut PeopleReport) -> Result<(), AppError> {
        let (ente, cycle, actor) = (self.ente, self.cycle, self.actor);
        let cal = &cycle.calendar;
        let existing: HashMap<String, Person> = people::persons(self.tx, &ente.id).await?.into_iter().map(|p| (p.matricola.clone(), p)).collect();
        let current = people::assignments_of_cycle(self.tx, &ente.id, &cycle.id).await?;
        for (matricola, group) in by_person {
            let (family, given, title, email) = group[0].person.clone();
            let old = existing.get(matricola);
            let person =
                Person { id: old.map_or_else(new_id, |p| p.id.clone()), matricola: matricola.clone(), family_name: family, given_name: given, title, email };
            let assignments: Vec<Assignment> = group
                .iter()
                .map(|r| Assignment {
                    id: new_id(),
                    cycle_id: cycle.id.clone(),
                    person_id: person.id.clone(),
                    unit_id: self.units[&r.unit].clone(),
                    role: r.role,
                    category: r.category,
                    part_time: r.part_time,
                    starts: r.starts.unwrap_or(cal.starts),
                    ends: r.ends,
                    interim: r.interim,
                })
                .collect();
            let before: Vec<&Assignment> = current.iter().filter(|a| a.person_id == person.id).collect();
            let same_assignments =
                before.len() == assignments.len() && before.iter().zip(&assignments).all(|(a, b)| Assignment { id: b.id.clone(), ..(*a).clone() } == *b);
            match old {
                None => report.people_created += 1,
                Some(o) if *o == person && same_assignments => {
                    report.people_unchanged += 1;
                    continue;
                }
                Some(_) => report.people_updated += 1,
            }
            report.assignments += assignments.len();
            if self.dry_run {
                continue;
            }
            if old != Some(&person) {
                people::upsert_person(self.tx, &ente.id, &person).await?;
                let change = Change { action: "import people", entity: "persona", entity_id: Some(&person.id), before: old, after: Some(&person) };
                audit::record_in_cycle(self.tx, actor, &ente.id, &cycle.id, change).await?;
            }
            if !same_assignments {
                people::delete_assignments(self.tx, &ente.id, &cycle.id, &person.id).await?;
                for (a, r) in assignments.iter().zip(group) {
                    people::insert_assignment(self.tx, &ente.id, a).await?;
                    if r.responsible.unwrap_or(r.role.leads_unit() && !r.interim) {
                        org::set_responsible(self.tx, &ente.id, &a.unit_id, &person.id).await?;
                    }
                }
                let change =
                    Change { action: "import people", entity: "incarichi", entity_id: Some(&person.id), before: Some(&before), after: Some(&assignments) };
                audit::record_in_cycle(self.tx, actor, &ente.id, &cycle.id, change).await?;
            }
        }
        Ok(())
    }
}
