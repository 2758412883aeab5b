//! What the budget use cases share: the ente's piano dei conti as a checker, and the org chart
//! that holds each year's CdR.

use std::collections::{HashMap, HashSet};

use traguardi_domain::ProblemKind;
use traguardi_domain::budget::{PdcCode, Side};
use traguardi_store::org::{self, OrgUnit};
use traguardi_store::{Conn, EnteId, budget, cycle};

use crate::AppError;

/// The ente's piano dei conti: level-V codes and their level-IV prefixes, per side.
pub struct Glossary {
    codes: HashSet<(char, String)>,
    level_four: HashSet<(char, String)>,
}

impl Glossary {
    pub async fn load(conn: &mut Conn, ente: &EnteId) -> Result<Glossary, AppError> {
        let mut g = Glossary { codes: HashSet::new(), level_four: HashSet::new() };
        for c in budget::pdc_codes(conn, ente).await? {
            let side = c.side.chars().next().unwrap_or('U');
            g.level_four.insert((side, c.code[..7].to_string()));
            g.codes.insert((side, c.code));
        }
        Ok(g)
    }

    pub fn loaded(&self) -> bool {
        !self.codes.is_empty()
    }

    /// What is wrong with `code` on `side`, if anything. Before a glossary is loaded only the form
    /// of a code is checked (by the parser). A level-IV aggregate (`….000`) is valid when some
    /// code of that side falls under it; a level-V code must be in the glossary.
    pub fn check(&self, side: Side, code: &PdcCode) -> Option<ProblemKind> {
        if !self.loaded() {
            return None;
        }
        let l = side.letter();
        let found = if code.is_level_four() {
            self.level_four.contains(&(l, code.digits()[..7].to_string())) || self.codes.contains(&(l, code.digits().to_string()))
        } else {
            self.codes.contains(&(l, code.digits().to_string()))
        };
        (!found).then(|| ProblemKind::BadFormat {
            value: format!("{l}.{code}"),
            expected: traguardi_domain::said!("un codice del piano dei conti dell'ente per la {side}", side = side.name()),
        })
    }
}

/// The org chart that holds a year's CdR: the cycle of that year, or else the latest cycle
/// before it (a budget is often made before its year's cycle is opened), or else the first one.
pub struct OrgByYear {
    ente: EnteId,
    years: HashMap<i32, Vec<OrgUnit>>,
}

impl OrgByYear {
    pub fn new(ente: &EnteId) -> OrgByYear {
        OrgByYear { ente: ente.clone(), years: HashMap::new() }
    }

    pub async fn units(&mut self, conn: &mut Conn, year: i32) -> Result<&[OrgUnit], AppError> {
        if !self.years.contains_key(&year) {
            let cycles = cycle::list(conn, &self.ente).await?; // newest first
            let chosen = cycles.iter().find(|c| c.year() <= year).or(cycles.last());
            let units = match chosen {
                Some(c) => org::of_cycle(conn, &self.ente, &c.id).await?,
                None => Vec::new(),
            };
            self.years.insert(year, units);
        }
        Ok(self.years.get(&year).map(Vec::as_slice).unwrap_or_default())
    }

    pub async fn cdr(&mut self, conn: &mut Conn, year: i32, cdr: &str) -> Result<Option<OrgUnit>, AppError> {
        Ok(self.units(conn, year).await?.iter().find(|u| u.cdr.as_deref() == Some(cdr)).cloned())
    }
}

/// Years that have PEG lines, newest first.
pub async fn years(store: &traguardi_store::Store, ente: &EnteId) -> Result<Vec<i32>, AppError> {
    let mut conn = store.acquire().await?;
    let mut years: Vec<i32> = budget::years_and_cdr(&mut conn, ente).await?.into_iter().map(|(y, _, _)| y).collect();
    years.dedup();
    years.reverse();
    Ok(years)
}

/// Every PEG line of `year` (of every budget that forecasts it: `bilancio` says which), public
/// as the budget pages are; ordered by budget, side, CdR, capitolo and articolo.
#[tracing::instrument(skip_all, fields(year = year))]
pub async fn lines(store: &traguardi_store::Store, ente: &EnteId, year: i32) -> Result<Vec<budget::BudgetLine>, AppError> {
    let mut conn = store.acquire().await?;
    let mut lines = budget::lines_of_years(&mut conn, ente, year, year).await?;
    lines.sort_by(|a, b| (a.bilancio, &a.side, &a.cdr, &a.capitolo, &a.articolo, &a.pdc).cmp(&(b.bilancio, &b.side, &b.cdr, &b.capitolo, &b.articolo, &b.pdc)));
    Ok(lines)
}

/// The resources of an objective: the year's spending lines of its DUP programma (same Missione
/// and Programma) held by CdR of its Direzione (the Direzione of `unit_code`, and every unit
/// below it; the whole ente when the objective has no unit). Each line once, as forecast by the
/// latest budget not later than the year.
#[tracing::instrument(skip_all, fields(year = year))]
pub async fn resources(
    store: &traguardi_store::Store,
    ente: &EnteId,
    year: i32,
    unit_code: Option<&str>,
    missione: &str,
    programma: &str,
) -> Result<Vec<budget::BudgetLine>, AppError> {
    let mut conn = store.acquire().await?;
    let mut org = OrgByYear::new(ente);
    let units = org.units(&mut conn, year).await?.to_vec();
    let lineages: HashSet<&str> = match unit_code.and_then(|c| units.iter().find(|u| u.code == c)) {
        Some(u) => crate::org::org_tree::subtree(&units, traguardi_domain::org::enclosing_direzione(&units, u)).iter().map(|u| u.lineage_id.as_str()).collect(),
        None => units.iter().map(|u| u.lineage_id.as_str()).collect(),
    };
    let mut latest: HashMap<(String, String, String), budget::BudgetLine> = HashMap::new();
    for l in budget::lines_of_years(&mut conn, ente, year, year).await? {
        if l.side != "U" || l.bilancio > year || l.missione != missione || l.programma != programma || !lineages.contains(l.unit_lineage.as_str()) {
            continue;
        }
        let key = (l.cdr.clone(), l.capitolo.clone(), l.articolo.clone());
        if latest.get(&key).is_none_or(|prev| prev.bilancio <= l.bilancio) {
            latest.insert(key, l);
        }
    }
    let mut lines: Vec<_> = latest.into_values().collect();
    lines.sort_by(|a, b| (&a.cdr, a.titolo, &a.pdc, &a.capitolo).cmp(&(&b.cdr, b.titolo, &b.pdc, &b.capitolo)));
    Ok(lines)
}

/// The Direzioni that hold spending lines in the three years up to `year` (code, name), in the
/// order of the org chart: what the budget pages offer to choose from.
#[tracing::instrument(skip_all, fields(year = year))]
pub async fn direzioni_with_lines(store: &traguardi_store::Store, ente: &EnteId, year: i32) -> Result<Vec<(String, String)>, AppError> {
    let mut conn = store.acquire().await?;
    let lines = budget::lines_of_years(&mut conn, ente, year - 2, year).await?;
    let held: HashSet<&str> = lines.iter().filter(|l| l.side == "U" && l.bilancio <= year).map(|l| l.unit_lineage.as_str()).collect();
    let mut org = OrgByYear::new(ente);
    let units = org.units(&mut conn, year).await?.to_vec();
    Ok(units
        .iter()
        .filter(|u| u.kind == traguardi_domain::org::UnitKind::Direzione)
        .filter(|d| crate::org::org_tree::subtree(&units, d).iter().any(|u| held.contains(u.lineage_id.as_str())))
        .map(|d| (d.code.clone(), d.name.clone()))
        .collect())
}
