//! What turns scores into money (SPEC §4): managers' result pay, presence, the fondo risorse
//! decentrate, the split of the premi pools to the cent, and the rules of all of it.

pub mod allocation;
pub mod fund;
pub mod presence;
pub mod result_pay;
pub mod rules;

pub use result_pay::{ResultPay, ResultPayRow, ResultPayRules, result_pay};

use rust_decimal::{Decimal, RoundingStrategy};

/// Money rounded to the cent, half-up (0,005 → 0,01).
pub fn cents(d: Decimal) -> Decimal {
    let mut r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// Integer cents as euros with two decimals.
pub fn euros(c: i64) -> Decimal {
    Decimal::new(c, 2)
}
