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
            expected: format!("un codice del piano dei conti dell'ente per la {}", side.name()),
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
