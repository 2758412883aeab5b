//! Money and rounding, each written once (SPEC §3).
//!
//! - **Money is one type, [`Cents`]**: a whole number of euro cents. A decimal amount of euro
//!   comes in one way: [`Cents::from_euros`], which names its rounding, or [`Cents::exact`] for
//!   figures that must already be exact (a budget line, a fund's item: more than two decimals is
//!   refused, never rounded). It is written in Italian form by its `Display` (`3.631.120,00`)
//!   and as a plain number of cents in JSON and in the database.
//! - **Every rounding names its strategy** ([`Rounding`]): half-up (0,005 → 0,01; −0,005 →
//!   −0,01), unless the cycle's rules say otherwise. `Decimal::round` and `round_dp` round half
//!   to even and are not used for reported values or money.
//! - Intermediate values keep full precision; only what is reported or paid is rounded.
//!
//! Published tables, and whether their totals are sums of rounded rows or a rounded sum (the
//! two differ by ±0,01 exactly where they are mixed): see docs/formats.md, "Rounding".

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Mul, Neg, Sub, SubAssign};

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// An amount of money: whole euro cents. Sums and differences stay in cents; a share of an
/// amount goes through [`Cents::euros`] and back through [`Cents::from_euros`], naming its
/// rounding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cents(i64);

impl Cents {
    pub const ZERO: Cents = Cents(0);

    /// A number of cents, as stored.
    pub const fn new(cents: i64) -> Cents {
        Cents(cents)
    }

    /// The number of cents, for storing and for arithmetic on counts.
    pub const fn get(self) -> i64 {
        self.0
    }

    /// An amount of euro rounded to the cent with `how`; `None` beyond the range of money.
    pub fn from_euros(euros: Decimal, how: Rounding) -> Option<Cents> {
        how.whole(euros.checked_mul(Decimal::ONE_HUNDRED)?).map(Cents)
    }

    /// An amount that must be exact: `None` when it has more than two decimals (a budget figure
    /// is refused rather than rounded) or is beyond the range of money.
    pub fn exact(euros: Decimal) -> Option<Cents> {
        if euros.normalize().scale() > 2 {
            return None;
        }
        Cents::from_euros(euros, Rounding::HalfUp)
    }

    /// The amount in euro with two places (`3631120.00`), for CSV, JSON and shares.
    pub fn euros(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// `pct` per cent of this amount, rounded with `how` (a charge, a pool's share).
    pub fn percent(self, pct: Decimal, how: Rounding) -> Option<Cents> {
        Cents::from_euros(self.euros().checked_mul(pct)? / Decimal::ONE_HUNDRED, how)
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }
}

/// Italian form, as the budget documents print it: `3.631.120,00`, `-1.234,56`. No currency
/// sign: the page or document adds `€` where its layout wants it.
impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let grouped = crate::value::group_thousands(&(abs / 100).to_string());
        write!(f, "{sign}{grouped},{:02}", abs % 100)
    }
}

impl Add for Cents {
    type Output = Cents;
    fn add(self, o: Cents) -> Cents {
        Cents(self.0 + o.0)
    }
}

impl Sub for Cents {
    type Output = Cents;
    fn sub(self, o: Cents) -> Cents {
        Cents(self.0 - o.0)
    }
}

/// An amount times a count (an uplift times its heads).
impl Mul<i64> for Cents {
    type Output = Cents;
    fn mul(self, n: i64) -> Cents {
        Cents(self.0 * n)
    }
}

impl Neg for Cents {
    type Output = Cents;
    fn neg(self) -> Cents {
        Cents(-self.0)
    }
}

impl AddAssign for Cents {
    fn add_assign(&mut self, o: Cents) {
        self.0 += o.0;
    }
}

impl SubAssign for Cents {
    fn sub_assign(&mut self, o: Cents) {
        self.0 -= o.0;
    }
}

impl Sum for Cents {
    fn sum<I: Iterator<Item = Cents>>(iter: I) -> Cents {
        Cents(iter.map(|c| c.0).sum())
    }
}

impl<'a> Sum<&'a Cents> for Cents {
    fn sum<I: Iterator<Item = &'a Cents>>(iter: I) -> Cents {
        iter.copied().sum()
    }
}

/// How a value is rounded to its last place.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rounding {
    /// Half away from zero: 2,345 → 2,35; −2,345 → −2,35. The default.
    #[default]
    HalfUp,
    /// Half to even (banker's): 2,345 → 2,34; 2,355 → 2,36.
    HalfEven,
    /// Towards zero (cut): used where the law wants "at most" (a quota of heads).
    Down,
    /// Away from zero: used where the law wants "at least" (a minimum uplift).
    Up,
}

impl Rounding {
    pub const ALL: [Rounding; 4] = [Rounding::HalfUp, Rounding::HalfEven, Rounding::Down, Rounding::Up];

    /// The code written in rules files.
    pub fn code(self) -> &'static str {
        match self {
            Rounding::HalfUp => "mezzo_su",
            Rounding::HalfEven => "mezzo_pari",
            Rounding::Down => "per_difetto",
            Rounding::Up => "per_eccesso",
        }
    }

    pub fn parse(s: &str) -> Option<Rounding> {
        Rounding::ALL.into_iter().find(|r| r.code() == s.trim())
    }

    fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            Rounding::Down => RoundingStrategy::ToZero,
            Rounding::Up => RoundingStrategy::AwayFromZero,
        }
    }

    /// `d` rounded to `places` decimals and always written with them (120 → 120,00).
    pub fn round(self, d: Decimal, places: u32) -> Decimal {
        let mut r = d.round_dp_with_strategy(places, self.strategy());
        r.rescale(places);
        r
    }

    /// A decimal count to a whole number (a quota of heads, days); `None` beyond `i64`.
    pub fn whole(self, d: Decimal) -> Option<i64> {
        d.round_dp_with_strategy(0, self.strategy()).to_i64()
    }
}

/// A reported value (a percentage, a score): 2 decimals, half-up.
pub fn report(d: Decimal) -> Decimal {
    Rounding::HalfUp.round(d, 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn half_up_is_not_half_even() {
        // The cases where the two differ: exactly half a cent, on an even last digit.
        assert_eq!(Rounding::HalfUp.round(dec!(2.345), 2), dec!(2.35));
        assert_eq!(Rounding::HalfEven.round(dec!(2.345), 2), dec!(2.34));
        assert_eq!(Rounding::HalfUp.round(dec!(-2.345), 2), dec!(-2.35));
        assert_eq!(Rounding::HalfUp.round(dec!(0.125), 2), dec!(0.13));
        assert_eq!(Rounding::HalfEven.round(dec!(0.125), 2), dec!(0.12));
        assert_eq!(Rounding::HalfUp.round(dec!(66.665), 2), dec!(66.67));
        assert_eq!(Rounding::HalfUp.round(dec!(120), 2).to_string(), "120.00");
        assert_eq!(Rounding::Down.round(dec!(1.999), 2), dec!(1.99));
        assert_eq!(Rounding::Up.round(dec!(1.001), 2), dec!(1.01));
    }

    #[test]
    fn money_in_cents() {
        let c = Cents::new;
        // 236,842… € is 23.684,2… cents: half-up 23.684, up 23.685 (the least uplift).
        let average = dec!(789.47368421) * dec!(30) / dec!(100);
        assert_eq!(Cents::from_euros(average, Rounding::HalfUp), Some(c(23_684)));
        assert_eq!(Cents::from_euros(average, Rounding::Up), Some(c(23_685)));
        // Half a cent: half-up goes up, half-even to the even cent.
        assert_eq!(Cents::from_euros(dec!(10.125), Rounding::HalfUp), Some(c(1013)));
        assert_eq!(Cents::from_euros(dec!(10.125), Rounding::HalfEven), Some(c(1012)));
        assert_eq!(Rounding::HalfUp.whole(dec!(2.5)), Some(3));
        assert_eq!(Rounding::HalfEven.whole(dec!(2.5)), Some(2));
        // Beyond the range of money: no answer rather than a panic.
        assert_eq!(Cents::from_euros(Decimal::MAX, Rounding::HalfUp), None);
        assert_eq!(c(363_112_000).euros().to_string(), "3631120.00");
        // 23,8% of 27.675,62 € is 6.586,79756 → 6.586,80.
        assert_eq!(c(2_767_562).percent(dec!(23.8), Rounding::HalfUp), Some(c(658_680)));
        assert_eq!([c(1), c(2), c(-5)].iter().sum::<Cents>(), c(-2));
        assert_eq!(serde_json::to_string(&c(1050)).expect("json"), "1050", "stored and served as a plain number of cents");
    }

    #[test]
    fn written_as_the_seed_prints_it() {
        let c = |n| Cents::new(n).to_string();
        assert_eq!(c(363_112_000), "3.631.120,00");
        assert_eq!(c(0), "0,00");
        assert_eq!(c(5), "0,05");
        assert_eq!(c(-123_456), "-1.234,56");
        assert_eq!(c(100_000), "1.000,00");
    }

    #[test]
    fn exact_amounts_are_exact_or_refused() {
        let c = |n| Some(Cents::new(n));
        assert_eq!(Cents::exact(dec!(3631120.00)), c(363_112_000));
        assert_eq!(Cents::exact(dec!(0.1)), c(10));
        assert_eq!(Cents::exact(dec!(-2.5)), c(-250));
        assert_eq!(Cents::exact(dec!(1.005)), None);
        assert_eq!(Cents::exact(dec!(1.000)), c(100));
    }

    #[test]
    fn codes() {
        for r in Rounding::ALL {
            assert_eq!(Rounding::parse(r.code()), Some(r));
        }
        assert_eq!(Rounding::parse("banker"), None);
    }
}
