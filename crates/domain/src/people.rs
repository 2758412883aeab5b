//! People, their assignments (incarichi) and contract categories.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ProblemKind;
use crate::cycle::format_date_it;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Direttore,
    Dirigente,
    PoEq,
    Dipendente,
    Segretario,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Direttore, Role::Dirigente, Role::PoEq, Role::Dipendente, Role::Segretario];

    pub fn code(self) -> &'static str {
        match self {
            Role::Direttore => "direttore",
            Role::Dirigente => "dirigente",
            Role::PoEq => "po_eq",
            Role::Dipendente => "dipendente",
            Role::Segretario => "segretario",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Role::Direttore => "Direttore",
            Role::Dirigente => "Dirigente",
            Role::PoEq => "PO / EQ",
            Role::Dipendente => "Dipendente",
            Role::Segretario => "Segretario",
        }
    }
    /// Also accepts `po`, `eq` and `po/eq`.
    pub fn parse(s: &str) -> Result<Role, ProblemKind> {
        let t = s.trim().to_lowercase();
        let t = match t.as_str() {
            "po" | "eq" | "po/eq" | "po-eq" => "po_eq",
            other => other,
        };
        Role::ALL
            .into_iter()
            .find(|r| r.code() == t)
            .ok_or_else(|| ProblemKind::NotOneOf { value: s.trim().into(), allowed: Role::ALL.iter().map(|r| r.code().to_string()).collect() })
    }
    /// Roles that make their holder the unit's responsible person.
    pub fn leads_unit(self) -> bool {
        matches!(self, Role::Direttore | Role::Dirigente | Role::Segretario)
    }
}

/// Last day of the categories A–D and PO; the areas of the CCNL Funzioni Locali
/// 16/11/2022 (art. 12) apply from the next day.
pub const OLD_CATEGORIES_UNTIL: NaiveDate = match NaiveDate::from_ymd_opt(2023, 3, 31) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
pub const NEW_AREAS_FROM: NaiveDate = match NaiveDate::from_ymd_opt(2023, 4, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// Contract category, versioned by date. Codes of the new areas, dirigenti and segretari are
/// those of the Conto Annuale (contract RALN), so payroll exports map one to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    A,
    B,
    C,
    D,
    Po,
    /// Area degli Operatori
    Op,
    /// Area degli Operatori esperti
    Oe,
    /// Area degli Istruttori
    Ir,
    /// Area dei Funzionari e dell'Elevata Qualificazione
    Eq,
    Dirigente,
    Segretario,
}

impl Category {
    pub const ALL: [Category; 11] = [
        Category::A,
        Category::B,
        Category::C,
        Category::D,
        Category::Po,
        Category::Op,
        Category::Oe,
        Category::Ir,
        Category::Eq,
        Category::Dirigente,
        Category::Segretario,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::A => "A",
            Category::B => "B",
            Category::C => "C",
            Category::D => "D",
            Category::Po => "PO",
            Category::Op => "OP",
            Category::Oe => "OE",
            Category::Ir => "IR",
            Category::Eq => "EQ",
            Category::Dirigente => "DI",
            Category::Segretario => "SG",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::A => "Categoria A",
            Category::B => "Categoria B",
            Category::C => "Categoria C",
            Category::D => "Categoria D",
            Category::Po => "Posizione Organizzativa",
            Category::Op => "Operatori",
            Category::Oe => "Operatori esperti",
            Category::Ir => "Istruttori",
            Category::Eq => "Funzionari ed Elevata Qualificazione",
            Category::Dirigente => "Dirigenti",
            Category::Segretario => "Segretari",
        }
    }

    /// Accepts the code or the area's name in words (`istruttori`, `operatori esperti`,
    /// `funzionari`, `dirigente`, `segretario`), in any case.
    pub fn parse(s: &str) -> Result<Category, ProblemKind> {
        let t = s.trim().to_lowercase().replace(['_', '-'], " ");
        let found = match t.as_str() {
            "operatori" => Some(Category::Op),
            "operatori esperti" => Some(Category::Oe),
            "istruttori" => Some(Category::Ir),
            "funzionari" | "funzionari eq" | "funzionari ed eq" | "funzionari ed elevata qualificazione" => Some(Category::Eq),
            "dirigente" | "dirigenti" => Some(Category::Dirigente),
            "segretario" | "segretari" => Some(Category::Segretario),
            _ => Category::ALL.into_iter().find(|c| c.code().eq_ignore_ascii_case(&t)),
        };
        found.ok_or_else(|| ProblemKind::NotOneOf { value: s.trim().into(), allowed: Category::ALL.iter().map(|c| c.code().to_string()).collect() })
    }

    /// First and last day on which the category exists (`None` = open).
    pub fn validity(self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        match self {
            Category::A | Category::B | Category::C | Category::D | Category::Po => (None, Some(OLD_CATEGORIES_UNTIL)),
            Category::Op | Category::Oe | Category::Ir | Category::Eq => (Some(NEW_AREAS_FROM), None),
            Category::Dirigente | Category::Segretario => (None, None),
        }
    }

    /// The area that replaced an old category on 1/04/2023 (CCNL 16/11/2022, Tabella B).
    pub fn successor(self) -> Option<Category> {
        match self {
            Category::A => Some(Category::Op),
            Category::B => Some(Category::Oe),
            Category::C => Some(Category::Ir),
            Category::D | Category::Po => Some(Category::Eq),
            _ => None,
        }
    }

    /// Checks that the category exists on every day from `start` to `end`.
    pub fn check_period(self, start: NaiveDate, end: NaiveDate) -> Result<(), ProblemKind> {
        let (from, until) = self.validity();
        let too_early = from.is_some_and(|f| start < f);
        let too_late = until.is_some_and(|u| end > u);
        if !too_early && !too_late {
            return Ok(());
        }
        let valid = match (from, until) {
            (Some(f), _) => format!("dal {}", format_date_it(f)),
            (_, Some(u)) => format!("fino al {}", format_date_it(u)),
            _ => String::new(),
        };
        let hint = match self.successor() {
            Some(next) if too_late => format!(
                "dividere l'incarico al {} e usare dal {} l'area {} ({})",
                format_date_it(OLD_CATEGORIES_UNTIL),
                format_date_it(NEW_AREAS_FROM),
                next.code(),
                next.label()
            ),
            _ => format!("prima del {} usare le categorie A, B, C, D, PO", format_date_it(NEW_AREAS_FROM)),
        };
        Err(ProblemKind::CategoryNotValid { category: self.code().into(), valid, hint })
    }
}

/// How a part-time is organised: it matters for presence (SPEC §4: for vertical part-time the
/// days already reflect it, so the percentage is not applied again).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartTimeKind {
    Pieno,
    Orizzontale,
    Verticale,
    Misto,
}

impl PartTimeKind {
    pub const ALL: [PartTimeKind; 4] = [PartTimeKind::Pieno, PartTimeKind::Orizzontale, PartTimeKind::Verticale, PartTimeKind::Misto];
    pub fn code(self) -> &'static str {
        match self {
            PartTimeKind::Pieno => "pieno",
            PartTimeKind::Orizzontale => "orizzontale",
            PartTimeKind::Verticale => "verticale",
            PartTimeKind::Misto => "misto",
        }
    }
    pub fn parse(s: &str) -> Result<PartTimeKind, ProblemKind> {
        let t = s.trim().to_lowercase();
        PartTimeKind::ALL
            .into_iter()
            .find(|k| k.code() == t)
            .ok_or_else(|| ProblemKind::NotOneOf { value: s.trim().into(), allowed: PartTimeKind::ALL.iter().map(|k| k.code().to_string()).collect() })
    }
}

/// A person's time: percentage (0 < % ≤ 100) and kind. 100% is always `Pieno`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartTime {
    pub percent: Decimal,
    pub kind: PartTimeKind,
}

impl PartTime {
    pub const FULL: PartTime = PartTime { percent: Decimal::ONE_HUNDRED, kind: PartTimeKind::Pieno };

    pub fn new(percent: Decimal, kind: Option<PartTimeKind>) -> Result<PartTime, ProblemKind> {
        if percent <= Decimal::ZERO || percent > Decimal::ONE_HUNDRED {
            return Err(ProblemKind::OutOfRange { value: percent.to_string(), min: "0 (escluso)".into(), max: "100".into() });
        }
        let kind = match (percent == Decimal::ONE_HUNDRED, kind) {
            (true, _) => PartTimeKind::Pieno,
            (false, None | Some(PartTimeKind::Pieno)) => PartTimeKind::Orizzontale,
            (false, Some(k)) => k,
        };
        Ok(PartTime { percent, kind })
    }
}

/// A matricola (employee code), unique within the ente.
pub fn parse_matricola(s: &str) -> Result<String, ProblemKind> {
    let t = s.trim();
    if t.is_empty() {
        return Err(ProblemKind::Required);
    }
    if t.len() > 32 || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ProblemKind::BadFormat { value: t.into(), expected: crate::said!("matricola senza spazi, al massimo 32 caratteri") });
    }
    Ok(t.to_string())
}

/// Splits an assignment that crosses 1/04/2023 with an old category into the part before
/// (old category) and the part after (its successor area), as payroll did on that day.
/// Returns one or two `(start, end, category)` pieces; `end = None` is open-ended.
pub fn split_at_area_reform(start: NaiveDate, end: Option<NaiveDate>, category: Category) -> Vec<(NaiveDate, Option<NaiveDate>, Category)> {
    match category.successor() {
        Some(next) if start <= OLD_CATEGORIES_UNTIL && end.is_none_or(|e| e > OLD_CATEGORIES_UNTIL) => {
            vec![(start, Some(OLD_CATEGORIES_UNTIL), category), (NEW_AREAS_FROM, end, next)]
        }
        Some(next) if start > OLD_CATEGORIES_UNTIL => vec![(start, end, next)],
        _ => vec![(start, end, category)],
    }
}

/// A person of the ente (the matricola is their code).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub id: crate::ids::PersonId,
    pub matricola: String,
    pub family_name: String,
    pub given_name: String,
    pub title: Option<String>,
    pub email: Option<String>,
}

impl Person {
    /// "Dott.ssa Carmela Francesca": title, given and family name.
    pub fn display_name(&self) -> String {
        let name = format!("{} {}", self.given_name, self.family_name);
        match &self.title {
            Some(t) if !t.is_empty() => format!("{t} {name}"),
            _ => name,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    pub id: String,
    pub cycle_id: crate::cycle::CycleId,
    pub person_id: crate::ids::PersonId,
    pub unit_id: crate::ids::UnitId,
    pub role: Role,
    pub category: Category,
    pub part_time: PartTime,
    pub starts: NaiveDate,
    pub ends: Option<NaiveDate>,
    pub interim: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn categories_are_versioned_by_date() {
        assert!(Category::C.check_period(d(2022, 1, 1), d(2023, 3, 31)).is_ok());
        assert!(Category::Ir.check_period(d(2023, 4, 1), d(2023, 12, 31)).is_ok());
        assert!(Category::Dirigente.check_period(d(2010, 1, 1), d(2030, 12, 31)).is_ok());
        let err = Category::C.check_period(d(2023, 1, 1), d(2023, 12, 31)).expect_err("refused");
        assert_eq!(
            err.describe(crate::Lang::It),
            "categoria C valida solo fino al 31/03/2023; dividere l'incarico al 31/03/2023 e usare dal 01/04/2023 l'area IR (Istruttori)"
        );
        let err = Category::Eq.check_period(d(2023, 1, 1), d(2023, 12, 31)).expect_err("refused");
        assert!(err.describe(crate::Lang::It).starts_with("categoria EQ valida solo dal 01/04/2023"));
    }

    #[test]
    fn categories_parse_by_code_or_name() {
        assert_eq!(Category::parse("istruttori"), Ok(Category::Ir));
        assert_eq!(Category::parse("Operatori_esperti"), Ok(Category::Oe));
        assert_eq!(Category::parse("po"), Ok(Category::Po));
        assert_eq!(Category::parse("DI"), Ok(Category::Dirigente));
        assert!(Category::parse("E").is_err());
    }

    #[test]
    fn reform_splits_crossing_assignments() {
        let pieces = split_at_area_reform(d(2005, 3, 1), None, Category::D);
        assert_eq!(pieces, vec![(d(2005, 3, 1), Some(d(2023, 3, 31)), Category::D), (d(2023, 4, 1), None, Category::Eq)]);
        assert_eq!(split_at_area_reform(d(2023, 5, 1), None, Category::B), vec![(d(2023, 5, 1), None, Category::Oe)]);
        assert_eq!(split_at_area_reform(d(2020, 1, 1), Some(d(2020, 12, 31)), Category::A).len(), 1);
        assert_eq!(split_at_area_reform(d(2020, 1, 1), None, Category::Dirigente).len(), 1);
    }

    #[test]
    fn part_time() {
        assert_eq!(PartTime::new(dec!(100), Some(PartTimeKind::Verticale)), Ok(PartTime::FULL));
        assert_eq!(PartTime::new(dec!(50), None).map(|p| p.kind), Ok(PartTimeKind::Orizzontale));
        assert_eq!(PartTime::new(dec!(83.33), Some(PartTimeKind::Verticale)).map(|p| p.kind), Ok(PartTimeKind::Verticale));
        assert!(PartTime::new(dec!(0), None).is_err());
        assert!(PartTime::new(dec!(101), None).is_err());
    }

    #[test]
    fn roles() {
        assert_eq!(Role::parse("PO"), Ok(Role::PoEq));
        assert_eq!(Role::parse("Direttore"), Ok(Role::Direttore));
        assert!(Role::Direttore.leads_unit());
        assert!(!Role::Dipendente.leads_unit());
    }
}
