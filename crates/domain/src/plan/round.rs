//! Reported values: 2 decimals, half-up (SPEC §3). Intermediate values keep full precision.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use crate::money::report;

/// Italian form of a reported value: `66,67`.
pub fn it(d: Decimal) -> String {
    report(d).to_string().replace('.', ",")
}

/// A number in Italian form, as entered (no rounding): `1.720.000`, `51,2`, `-3`.
pub fn number(d: Decimal) -> String {
    let s = d.normalize().to_string();
    let (sign, s) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
    let (int, frac) = s.split_once('.').map_or((s, None), |(i, f)| (i, Some(f)));
    let grouped = crate::value::group_thousands(int);
    match frac {
        Some(f) => format!("{sign}{grouped},{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Light {
    Rosso,
    Giallo,
    Verde,
}

impl Light {
    pub fn code(self) -> &'static str {
        match self {
            Light::Rosso => "rosso",
            Light::Giallo => "giallo",
            Light::Verde => "verde",
        }
    }
}

/// Traffic-light thresholds (configurable per cycle; default < 33 red, 33–66 yellow, ≥ 66 green).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lights {
    pub yellow_from: Decimal,
    pub green_from: Decimal,
}

impl Default for Lights {
    fn default() -> Self {
        Lights { yellow_from: Decimal::from(33), green_from: Decimal::from(66) }
    }
}

impl Lights {
    /// The light of a reported (rounded) value.
    pub fn of(&self, score: Decimal) -> Light {
        let s = report(score);
        if s >= self.green_from {
            Light::Verde
        } else if s >= self.yellow_from {
            Light::Giallo
        } else {
            Light::Rosso
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn half_up_at_two_decimals() {
        assert_eq!(report(dec!(66.665)), dec!(66.67));
        assert_eq!(report(dec!(66.664999)), dec!(66.66));
        assert_eq!(report(Decimal::from(200) / Decimal::from(3)), dec!(66.67));
        assert_eq!(it(dec!(66.666)), "66,67");
        assert_eq!(report(dec!(120)).to_string(), "120.00");
    }

    #[test]
    fn italian_numbers() {
        assert_eq!(number(dec!(1720000)), "1.720.000");
        assert_eq!(number(dec!(-3)), "-3");
        assert_eq!(number(dec!(51.20)), "51,2");
        assert_eq!(number(dec!(-1234.5)), "-1.234,5");
        assert_eq!(number(dec!(100)), "100");
    }

    #[test]
    fn lights() {
        let l = Lights::default();
        assert_eq!(l.of(dec!(32.994)), Light::Rosso);
        assert_eq!(l.of(dec!(32.995)), Light::Giallo);
        assert_eq!(l.of(dec!(65.99)), Light::Giallo);
        assert_eq!(l.of(dec!(66)), Light::Verde);
    }
}
