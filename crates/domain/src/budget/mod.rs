//! The budget side (SPEC §2 "Budget"): codes of the piano dei conti finanziario, the
//! classification D.Lgs 118/2011 derives from them, and amounts in euro cents.

pub mod mapping;
pub mod pdc;
pub mod records;
pub mod tables;

use serde::{Deserialize, Serialize};

pub use pdc::PdcCode;

/// Spending (`U`, uscite) or revenue (`E`, entrate): the two sides of the piano dei conti.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Side {
    Spesa,
    Entrata,
}

impl Side {
    pub const NAMES: [&'static str; 2] = ["spesa", "entrata"];

    pub fn parse(s: &str) -> Option<Side> {
        match s.trim().to_lowercase().as_str() {
            "spesa" | "u" | "uscita" | "uscite" => Some(Side::Spesa),
            "entrata" | "e" | "entrate" => Some(Side::Entrata),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Side::Spesa => "spesa",
            Side::Entrata => "entrata",
        }
    }
    /// The letter of the piano dei conti: `U` or `E`.
    pub fn letter(self) -> char {
        match self {
            Side::Spesa => 'U',
            Side::Entrata => 'E',
        }
    }
}

/// An amount as written in a file, in cents: a number in the file's style with at most two decimals.
pub fn parse_euro(s: &str, style: crate::value::NumberStyle) -> Result<crate::money::Cents, crate::ProblemKind> {
    let d = style.parse(s).ok_or_else(|| crate::ProblemKind::BadNumber { value: s.into() })?;
    crate::money::Cents::exact(d)
        .ok_or_else(|| crate::ProblemKind::BadFormat { value: s.into(), expected: crate::said!("un importo con al più due decimali") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_parse_by_name_or_letter() {
        assert_eq!(Side::parse("Spesa"), Some(Side::Spesa));
        assert_eq!(Side::parse("E"), Some(Side::Entrata));
        assert_eq!(Side::parse("x"), None);
    }
}
