//! The little statistics the rules need, in decimals: no floats where money depends on it.

use rust_decimal::Decimal;

/// Square root by Newton's method in decimals (no floats in money).
pub fn sqrt(x: Decimal) -> Decimal {
    if x <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let mut g = x / Decimal::TWO + Decimal::ONE;
    for _ in 0..60 {
        let next = (g + x / g) / Decimal::TWO;
        if (next - g).abs() < Decimal::new(1, 12) {
            return next;
        }
        g = next;
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn roots_worked_by_hand() {
        assert_eq!(sqrt(Decimal::from(144)).round_dp(9), Decimal::from(12));
        assert_eq!(sqrt(Decimal::ZERO), Decimal::ZERO);
        assert_eq!(sqrt(Decimal::from(-4)), Decimal::ZERO);
        // √2 = 1.414213562373…
        assert_eq!(sqrt(Decimal::TWO).round_dp(9), Decimal::from_str("1.414213562").expect("decimal"));
    }
}
