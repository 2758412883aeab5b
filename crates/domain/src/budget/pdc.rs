//! A code of the piano dei conti finanziario (D.Lgs 118/2011, all. 6): five levels written
//! `1.03.02.13.000`. Budgets print it in three ways, all read the same: dotted, with the side's
//! letter (`U.1.03.02.13.000`), or as ten bare digits (`1030213000`).

use std::fmt;

use super::Side;
use crate::ProblemKind;

/// Digits of the five levels: Titolo (1), then 2, 2, 2 and 3 digits.
const WIDTHS: [usize; 5] = [1, 2, 2, 2, 3];

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PdcCode {
    /// The side written in the code (`U.` / `E.`), when it was.
    pub side: Option<Side>,
    /// The ten digits, without dots.
    digits: String,
}

impl PdcCode {
    pub fn parse(s: &str) -> Result<PdcCode, ProblemKind> {
        let t = s.trim();
        let bad = |expected: crate::said::Said| ProblemKind::BadFormat { value: t.into(), expected };
        let (side, rest) = match t.split_once('.') {
            Some((l, r)) if l.eq_ignore_ascii_case("U") => (Some(Side::Spesa), r),
            Some((l, r)) if l.eq_ignore_ascii_case("E") => (Some(Side::Entrata), r),
            _ => (None, t),
        };
        let digits: String = if rest.contains('.') {
            let parts: Vec<&str> = rest.split('.').collect();
            let shaped = parts.len() == 5 && parts.iter().zip(WIDTHS).all(|(p, w)| p.len() == w && p.bytes().all(|b| b.is_ascii_digit()));
            if !shaped {
                return Err(bad(crate::said!("un codice del piano dei conti a cinque livelli (es. 1.03.02.13.000)")));
            }
            parts.concat()
        } else {
            if !rest.bytes().all(|b| b.is_ascii_digit()) || rest.is_empty() {
                return Err(bad(crate::said!("un codice del piano dei conti (es. 1.03.02.13.000 o 1030213000)")));
            }
            if rest.len() != 10 {
                return Err(bad(crate::said!(
                    "10 cifre (il codice ne ha {len}; un vincolo stampato davanti al codice va nella colonna «vincolo»)",
                    len = rest.len()
                )));
            }
            rest.to_string()
        };
        if digits.starts_with('0') {
            return Err(bad(crate::said!("un codice che inizia con il Titolo (1–9)")));
        }
        Ok(PdcCode { side, digits })
    }

    /// Level `n` (1–5) of the code, as written: `03` for level II of `1.03.02.13.000`.
    pub fn level(&self, n: usize) -> &str {
        let start: usize = WIDTHS[..n - 1].iter().sum();
        &self.digits[start..start + WIDTHS[n - 1]]
    }

    pub fn titolo(&self) -> u8 {
        self.digits.as_bytes()[0] - b'0'
    }

    /// Macroaggregato of a spending code: level II within its Titolo (`03` for `1.03.02.13.000`).
    pub fn macroaggregato(&self) -> &str {
        self.level(2)
    }

    /// Tipologia of a revenue code, as the budget schemes number it: for Titoli 1 and 2 it is level
    /// III (`E.1.01.01` → 101, `E.1.03.01` → 301), for the other Titoli level II (`E.3.01` → 100).
    pub fn tipologia(&self) -> u16 {
        let two: u16 = self.level(2).parse().unwrap_or_default();
        let three: u16 = self.level(3).parse().unwrap_or_default();
        if self.titolo() <= 2 { two * 100 + three } else { two * 100 }
    }

    /// Categoria of a revenue code, seven digits: Titolo, then levels II–IV for Titoli 1 and 2
    /// (`E.1.01.01.06` → `1010106`), levels II–III and `00` for the others (`E.3.01.02` → `3010200`).
    pub fn categoria(&self) -> String {
        let head = &self.digits[..5];
        if self.titolo() <= 2 { format!("{head}{}", self.level(4)) } else { format!("{head}00") }
    }

    /// A level-IV aggregate is written with `000` as level V.
    pub fn is_level_four(&self) -> bool {
        self.level(5) == "000"
    }

    /// The level-IV prefix, dotted: `1.03.02.13`.
    pub fn level_four(&self) -> String {
        (1..=4).map(|n| self.level(n)).collect::<Vec<_>>().join(".")
    }

    /// The ten digits, as stored.
    pub fn digits(&self) -> &str {
        &self.digits
    }
}

impl fmt::Display for PdcCode {
    /// The dotted form without the side letter: `1.03.02.13.000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<&str> = (1..=5).map(|n| self.level(n)).collect();
        write!(f, "{}", parts.join("."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_spellings_are_one_code() {
        let a = PdcCode::parse("1030213000").expect("parses");
        let b = PdcCode::parse("U.1.03.02.13.000").expect("parses");
        let c = PdcCode::parse("1.03.02.13.000").expect("parses");
        assert_eq!(a.digits(), b.digits());
        assert_eq!(b.digits(), c.digits());
        assert_eq!(b.side, Some(Side::Spesa));
        assert_eq!(a.to_string(), "1.03.02.13.000");
        assert_eq!((a.titolo(), a.macroaggregato()), (1, "03"));
        assert!(a.is_level_four());
        assert_eq!(a.level_four(), "1.03.02.13");
        let v = PdcCode::parse("1.03.02.12.004").expect("parses");
        assert!(!v.is_level_four());
    }

    #[test]
    fn revenue_codes_give_tipologia_and_categoria() {
        let imu = PdcCode::parse("E.1.01.01.06.001").expect("parses");
        assert_eq!((imu.titolo(), imu.tipologia(), imu.categoria().as_str()), (1, 101, "1010106"));
        let perequativo = PdcCode::parse("E.1.03.01.01.001").expect("parses");
        assert_eq!(perequativo.tipologia(), 301);
        let servizi = PdcCode::parse("E.3.01.02.01.001").expect("parses");
        assert_eq!((servizi.tipologia(), servizi.categoria().as_str()), (100, "3010200"));
        let trasferimenti = PdcCode::parse("2.01.01.02.001").expect("parses");
        assert_eq!(trasferimenti.tipologia(), 101);
    }

    #[test]
    fn malformed_codes_say_what_is_expected() {
        for bad in ["01030207000", "1.3.02.13.000", "1.03.02.13", "abc", "", "0.00.00.99.995", "X.1.03.02.13.000"] {
            assert!(PdcCode::parse(bad).is_err(), "{bad}");
        }
        let ProblemKind::BadFormat { expected, .. } = PdcCode::parse("271030212004").expect_err("refused") else { panic!() };
        assert!(expected.to_string().contains("vincolo"), "{expected}");
    }
}
