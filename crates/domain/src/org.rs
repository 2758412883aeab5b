//! The organisation: a tree Ente → Direzione → Area → Settore/Unità/Servizio, versioned by cycle.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

use crate::{Problem, ProblemKind, Problems};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum UnitKind {
    Direzione,
    Area,
    Settore,
    Unita,
    Servizio,
}

impl UnitKind {
    pub const ALL: [UnitKind; 5] = [UnitKind::Direzione, UnitKind::Area, UnitKind::Settore, UnitKind::Unita, UnitKind::Servizio];

    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Direzione => "direzione",
            UnitKind::Area => "area",
            UnitKind::Settore => "settore",
            UnitKind::Unita => "unita",
            UnitKind::Servizio => "servizio",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Direzione => "Direzione",
            UnitKind::Area => "Area",
            UnitKind::Settore => "Settore",
            UnitKind::Unita => "Unità",
            UnitKind::Servizio => "Servizio",
        }
    }

    /// Accepts the code, with or without the accent (`unità`), in any case.
    pub fn parse(s: &str) -> Result<UnitKind, ProblemKind> {
        let t = s.trim().to_lowercase().replace('à', "a");
        UnitKind::ALL
            .into_iter()
            .find(|k| k.code() == t)
            .ok_or_else(|| ProblemKind::NotOneOf { value: s.trim().into(), allowed: UnitKind::ALL.iter().map(|k| k.code().to_string()).collect() })
    }
}

/// A unit code as users write it: trimmed, no spaces inside, at most 32 characters.
pub fn parse_unit_code(s: &str) -> Result<String, ProblemKind> {
    let t = s.trim();
    if t.is_empty() {
        return Err(ProblemKind::Required);
    }
    if t.len() > 32 || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ProblemKind::BadFormat { value: t.into(), expected: crate::said!("codice senza spazi, al massimo 32 caratteri") });
    }
    Ok(t.to_string())
}

/// One unit of an incoming tree, as far as the shape of the tree is concerned.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    /// Line of the file, for messages.
    pub row: usize,
    pub code: &'a str,
    pub parent: Option<&'a str>,
}

/// Checks the shape of a tree that `incoming` units will give once merged over the `stored`
/// ones (code → parent) of the same cycle: no code twice in the file, every parent known,
/// no unit its own ancestor. Every problem is listed, with `code_col`/`parent_col` as column names.
pub fn check_tree(incoming: &[Node<'_>], stored: &HashMap<String, Option<String>>, code_col: &str, parent_col: &str) -> Problems {
    let mut problems = Problems::default();
    let mut first_row: HashMap<&str, usize> = HashMap::new();
    for n in incoming {
        if let Some(&r) = first_row.get(n.code) {
            problems.push(Problem::cell(n.row, code_col, ProblemKind::Duplicate { value: n.code.into(), first_row: r }));
        } else {
            first_row.insert(n.code, n.row);
        }
    }

    // The tree after the merge: stored parents overlaid by the file's.
    let mut parent_of: HashMap<&str, Option<&str>> = stored.iter().map(|(c, p)| (c.as_str(), p.as_deref())).collect();
    for n in incoming {
        parent_of.insert(n.code, n.parent);
    }

    for n in incoming {
        if let Some(p) = n.parent
            && !parent_of.contains_key(p)
        {
            problems.push(Problem::cell(n.row, parent_col, ProblemKind::UnknownParent { value: p.into() }));
        }
    }

    // Walk up from every incoming unit; a walk that meets itself again is a cycle.
    // Each cycle is reported once, at the row of its first unit in the file.
    let mut reported: BTreeSet<Vec<String>> = BTreeSet::new();
    for n in incoming {
        let mut path = vec![n.code];
        let mut cur = n.code;
        while let Some(Some(p)) = parent_of.get(cur) {
            if let Some(pos) = path.iter().position(|c| c == p) {
                let mut ring: Vec<String> = path[pos..].iter().map(|s| s.to_string()).collect();
                let mut key = ring.clone();
                key.sort();
                if reported.insert(key) {
                    ring.push(p.to_string());
                    let row = ring.iter().filter_map(|c| first_row.get(c.as_str())).min().copied().unwrap_or(n.row);
                    problems.push(Problem::cell(row, parent_col, ProblemKind::TreeCycle { path: ring }));
                }
                break;
            }
            path.push(p);
            cur = p;
        }
    }
    problems
}

/// The items with every parent before its children (parents outside `items` are ignored).
/// The tree must be free of cycles (see `check_tree`); input order is kept otherwise.
pub fn parents_first<T>(items: &[T], code: impl Fn(&T) -> &str, parent: impl Fn(&T) -> Option<&str>) -> Vec<&T> {
    let by_code: HashMap<&str, &T> = items.iter().map(|i| (code(i), i)).collect();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let mut chain = vec![item];
        let mut cur = item;
        while let Some(p) = parent(cur).and_then(|p| by_code.get(p)) {
            if done.contains(code(p)) || chain.iter().any(|c| code(c) == code(p)) {
                break;
            }
            chain.push(p);
            cur = p;
        }
        for i in chain.into_iter().rev() {
            if done.insert(code(i)) {
                out.push(i);
            }
        }
    }
    out
}

/// One unit of the org tree in one cycle; `lineage_id` links the same unit across cycles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgUnit {
    pub id: crate::ids::UnitId,
    pub cycle_id: crate::cycle::CycleId,
    pub lineage_id: String,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<crate::ids::UnitId>,
    pub cdr: Option<String>,
    pub responsible_id: Option<crate::ids::PersonId>,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub position: i64,
}

/// The Direzione a unit belongs to (the unit itself when it is one, or when no Direzione is
/// above it).
pub fn enclosing_direzione<'a>(units: &'a [OrgUnit], unit: &'a OrgUnit) -> &'a OrgUnit {
    let mut at = unit;
    while at.kind != UnitKind::Direzione {
        match at.parent_id.as_ref().and_then(|p| units.iter().find(|u| &u.id == p)) {
            Some(parent) => at = parent,
            None => return unit,
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node<'a>(row: usize, code: &'a str, parent: Option<&'a str>) -> Node<'a> {
        Node { row, code, parent }
    }

    #[test]
    fn kinds_parse_with_or_without_accent() {
        assert_eq!(UnitKind::parse("Unità"), Ok(UnitKind::Unita));
        assert_eq!(UnitKind::parse("DIREZIONE"), Ok(UnitKind::Direzione));
        let err = UnitKind::parse("ufficio").expect_err("refused");
        assert_eq!(err.describe(crate::Lang::It), "valore «ufficio» non ammesso; valori possibili: direzione, area, settore, unita, servizio");
    }

    #[test]
    fn a_good_tree_has_no_problems() {
        let nodes = [node(2, "DG", None), node(3, "AREA1", Some("DG")), node(4, "S1", Some("AREA1"))];
        assert!(check_tree(&nodes, &HashMap::new(), "codice", "padre").is_empty());
    }

    #[test]
    fn every_problem_is_listed() {
        let nodes = [node(2, "DG", None), node(3, "DG", None), node(4, "X", Some("NOPE")), node(5, "A", Some("B")), node(6, "B", Some("A"))];
        let ps = check_tree(&nodes, &HashMap::new(), "codice", "padre").sorted();
        let text = ps.describe(crate::Lang::It);
        assert_eq!(
            text,
            "riga 3, colonna «codice»: «DG» è già alla riga 2\n\
             riga 4, colonna «padre»: padre «NOPE» inesistente (né nel file né già registrato)\n\
             riga 5, colonna «padre»: ciclo nell'albero: A → B → A"
        );
    }

    #[test]
    fn parents_may_be_stored_already_and_cycles_through_them_are_found() {
        let stored: HashMap<String, Option<String>> = [("DG".to_string(), None), ("AREA1".to_string(), Some("DG".to_string()))].into_iter().collect();
        assert!(check_tree(&[node(2, "S1", Some("AREA1"))], &stored, "codice", "padre").is_empty());
        // Moving DG under a new unit that hangs from AREA1 closes a ring through stored units.
        let ps = check_tree(&[node(2, "N", Some("AREA1")), node(3, "DG", Some("N"))], &stored, "codice", "padre");
        assert_eq!(ps.len(), 1);
        assert!(matches!(&ps.0[0].kind, ProblemKind::TreeCycle { path } if path.len() == 4));
    }

    #[test]
    fn parents_come_first() {
        let items = [("C", Some("B")), ("A", None), ("B", Some("A")), ("D", Some("X"))];
        let order: Vec<&str> = parents_first(&items, |i| i.0, |i| i.1).iter().map(|i| i.0).collect();
        assert_eq!(order, ["A", "B", "C", "D"]);
    }

    #[test]
    fn a_unit_cannot_be_its_own_parent() {
        let ps = check_tree(&[node(2, "A", Some("A"))], &HashMap::new(), "codice", "padre");
        assert_eq!(ps.describe(crate::Lang::En), "row 2, column «padre»: cycle in the tree: A → A");
    }
}
