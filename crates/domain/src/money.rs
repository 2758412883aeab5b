//! Money and rounding, each written once (SPEC §3).
//!
//! - **Money is integer cents** (`i64`). A decimal amount of euro comes in one way: [`cents`],
//!   which names its rounding, or [`exact_cents`] for figures that must already be exact (a
//!   budget line, a fund's item: more than two decimals is refused, never rounded).
//! - **Every rounding names its strategy** ([`Rounding`]): half-up (0,005 → 0,01; −0,005 →
//!   −0,01), unless the cycle's rules say otherwise. `Decimal::round` and `round_dp` round half
//!   to even and are not used for reported values or money.
//! - Intermediate values keep full precision; only what is reported or paid is rounded.
//!
//! Published tables, and whether their totals are sums of rounded rows or a rounded sum (the
//! two differ by ±0,01 exactly where they are mixed): see docs/formats.md, "Rounding".

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

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

    /// A decimal number of cents (an exact quota, an average) to whole cents; `None` beyond the
    /// range of money.
    pub fn whole_cents(self, cents: Decimal) -> Option<i64> {
        cents.round_dp_with_strategy(0, self.strategy()).to_i64()
    }
}

/// A reported value (a percentage, a score): 2 decimals, half-up.
pub fn report(d: Decimal) -> Decimal {
    Rounding::HalfUp.round(d, 2)
}

/// An amount of euro in cents, rounded with `how`; `None` beyond the range of money.
pub fn cents(euros: Decimal, how: Rounding) -> Option<i64> {
    how.whole_cents(euros.checked_mul(Decimal::ONE_HUNDRED)?)
}

/// The cents of an amount that must be exact: `None` when it has more than two decimals (a
/// budget figure is refused rather than rounded) or is beyond the range of money.
pub fn exact_cents(euros: Decimal) -> Option<i64> {
    if euros.normalize().scale() > 2 {
        return None;
    }
    cents(euros, Rounding::HalfUp)
}

/// Cents as a decimal amount of euro with two places (`3631120.00`), for CSV, JSON and sums.
pub fn euros(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
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
        // 236,842… € is 23.684,2… cents: half-up 23.684, up 23.685 (the least uplift).
        let average = dec!(789.47368421) * dec!(30) / dec!(100);
        assert_eq!(cents(average, Rounding::HalfUp), Some(23_684));
        assert_eq!(cents(average, Rounding::Up), Some(23_685));
        // Half a cent: half-up goes up, half-even to the even cent.
        assert_eq!(cents(dec!(10.125), Rounding::HalfUp), Some(1013));
        assert_eq!(cents(dec!(10.125), Rounding::HalfEven), Some(1012));
        assert_eq!(Rounding::HalfUp.whole_cents(dec!(2.5)), Some(3));
        assert_eq!(Rounding::HalfEven.whole_cents(dec!(2.5)), Some(2));
        // Beyond the range of money: no answer rather than a panic.
        assert_eq!(cents(Decimal::MAX, Rounding::HalfUp), None);
        assert_eq!(euros(363_112_000).to_string(), "3631120.00");
    }

    #[test]
    fn exact_amounts_are_exact_or_refused() {
        assert_eq!(exact_cents(dec!(3631120.00)), Some(363_112_000));
        assert_eq!(exact_cents(dec!(0.1)), Some(10));
        assert_eq!(exact_cents(dec!(-2.5)), Some(-250));
        assert_eq!(exact_cents(dec!(1.005)), None);
        assert_eq!(exact_cents(dec!(1.000)), Some(100));
    }

    #[test]
    fn codes() {
        for r in Rounding::ALL {
            assert_eq!(Rounding::parse(r.code()), Some(r));
        }
        assert_eq!(Rounding::parse("banker"), None);
    }
}
