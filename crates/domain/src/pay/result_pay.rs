//! Managers' result pay (SPEC §4): per assignment, base × days in post / days of the year ×
//! score / 100 × share / 100, rounded to the cent per row (half-up); totals are sums of the
//! rounded rows; employer contributions and IRAP are percentages of the total, each rounded to
//! the cent.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::ProblemKind;
use crate::money::{Cents, Rounding};

/// One assignment of a manager in the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultPayRow {
    pub manager: String,
    pub unit: String,
    /// Yearly base amount of the position.
    pub base: Cents,
    /// Days in post; capped at the days of the year.
    pub days: Decimal,
    /// Final score, 0–100.
    pub score: Decimal,
    /// Share of the post (interim, convention), 0–100.
    pub share: Decimal,
}

/// The calculation's parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ResultPayRules {
    /// The denominator of the days (365 by default; an ente may use 360 or the year's days).
    pub days_in_year: Decimal,
    /// Employer contributions, % of the total.
    pub contributions: Decimal,
    /// IRAP, % of the total.
    pub irap: Decimal,
}

impl ResultPayRow {
    /// The row's amount, rounded to the cent (half-up); nothing beyond the range of money.
    pub fn amount(&self, rules: &ResultPayRules) -> Cents {
        let days = self.days.min(rules.days_in_year);
        let exact = self.base.euros() * days / rules.days_in_year * self.score / Decimal::ONE_HUNDRED * self.share / Decimal::ONE_HUNDRED;
        Cents::from_euros(exact, Rounding::HalfUp).unwrap_or_default()
    }

    /// Checks the ranges: base ≥ 0, 0 ≤ days, 0 ≤ score ≤ 100, 0 < share ≤ 100. Returns the
    /// column and problem of the first value out of range.
    pub fn check(&self) -> Result<(), (&'static str, ProblemKind)> {
        let range = |v: Decimal, min: &str, max: &str| ProblemKind::OutOfRange { value: v.to_string(), min: min.into(), max: max.into() };
        if self.base < Cents::ZERO {
            return Err(("base", range(self.base.euros(), "0", "∞")));
        }
        if self.days < Decimal::ZERO {
            return Err(("giorni", range(self.days, "0", "366")));
        }
        if self.score < Decimal::ZERO || self.score > Decimal::ONE_HUNDRED {
            return Err(("punteggio", range(self.score, "0", "100")));
        }
        if self.share <= Decimal::ZERO || self.share > Decimal::ONE_HUNDRED {
            return Err(("quota", range(self.share, "0 (escluso)", "100")));
        }
        Ok(())
    }
}

/// A payout: each row with its amount, each manager's total, and the totals with charges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultPay {
    pub rows: Vec<(ResultPayRow, Cents)>,
    /// Per manager, in order of first appearance: (manager, total of their rows).
    pub by_manager: Vec<(String, Cents)>,
    pub total: Cents,
    pub contributions: Cents,
    pub irap: Cents,
    pub grand_total: Cents,
}

pub fn result_pay(rows: &[ResultPayRow], rules: &ResultPayRules) -> ResultPay {
    let rows: Vec<(ResultPayRow, Cents)> = rows.iter().map(|r| (r.clone(), r.amount(rules))).collect();
    let mut by_manager: Vec<(String, Cents)> = Vec::new();
    for (r, a) in &rows {
        match by_manager.iter_mut().find(|(m, _)| *m == r.manager) {
            Some((_, t)) => *t += *a,
            None => by_manager.push((r.manager.clone(), *a)),
        }
    }
    let total: Cents = rows.iter().map(|(_, a)| a).sum();
    let charge = |pct: Decimal| total.percent(pct, Rounding::HalfUp).unwrap_or_default();
    let (contributions, irap) = (charge(rules.contributions), charge(rules.irap));
    ResultPay { grand_total: total + contributions + irap, rows, by_manager, total, contributions, irap }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::dec;

    fn row(manager: &str, base: Decimal, days: Decimal, score: Decimal, share: Decimal) -> ResultPayRow {
        ResultPayRow { manager: manager.into(), unit: "U".into(), base: Cents::exact(base).expect("an amount to the cent"), days, score, share }
    }

    fn euros(c: Cents) -> Decimal {
        c.euros()
    }

    const RULES: ResultPayRules = ResultPayRules { days_in_year: dec!(365), contributions: dec!(23.8), irap: dec!(8.5) };

    #[test]
    fn a_worked_example_by_hand() {
        // Rossi: whole year at 90 → 20.000 × 365/365 × 0,90 = 18.000,00; an interim at 50% for
        // 120 days → 5.000 × 120/365 × 0,90 × 0,50 = 739,726… → 739,73.
        // Bianchi: 240 days at 75.5 → 18.000 × 240/365 × 0,755 = 8.935,890… → 8.935,89.
        let rows = [
            row("Rossi", dec!(20000), dec!(365), dec!(90), dec!(100)),
            row("Rossi", dec!(5000), dec!(120), dec!(90), dec!(50)),
            row("Bianchi", dec!(18000), dec!(240), dec!(75.5), dec!(100)),
        ];
        let p = result_pay(&rows, &RULES);
        assert_eq!(p.rows.iter().map(|(_, a)| euros(*a)).collect::<Vec<_>>(), [dec!(18000.00), dec!(739.73), dec!(8935.89)]);
        assert_eq!(p.by_manager, [("Rossi".to_string(), Cents::new(1_873_973)), ("Bianchi".to_string(), Cents::new(893_589))]);
        // 27.675,62 × 23,8% = 6.586,79756 → 6.586,80; × 8,5% = 2.352,4277 → 2.352,43.
        assert_eq!([p.total, p.contributions, p.irap, p.grand_total].map(euros), [dec!(27675.62), dec!(6586.80), dec!(2352.43), dec!(36614.85)]);
    }

    #[test]
    fn days_are_capped_and_halves_round_up() {
        assert_eq!(euros(row("A", dec!(1000), dec!(400), dec!(100), dec!(100)).amount(&RULES)), dec!(1000.00));
        // 0,005 → 0,01.
        assert_eq!(euros(row("A", dec!(0.5), dec!(365), dec!(1), dec!(100)).amount(&RULES)), dec!(0.01));
        let r360 = ResultPayRules { days_in_year: dec!(360), ..RULES };
        assert_eq!(euros(row("A", dec!(36000), dec!(180), dec!(100), dec!(100)).amount(&r360)), dec!(18000.00));
    }

    #[test]
    fn ranges() {
        assert_eq!(row("A", dec!(1), dec!(1), dec!(101), dec!(100)).check().map_err(|e| e.0), Err("punteggio"));
        assert_eq!(row("A", dec!(1), dec!(1), dec!(50), dec!(0)).check().map_err(|e| e.0), Err("quota"));
        assert_eq!(row("A", dec!(-1), dec!(1), dec!(50), dec!(10)).check().map_err(|e| e.0), Err("base"));
        assert!(row("A", dec!(1), dec!(1), dec!(50), dec!(10)).check().is_ok());
    }

    proptest! {
        #[test]
        fn a_higher_score_never_pays_less(base in 0i64..10_000_000, days in 0i64..400, a in 0i64..=10_000, b in 0i64..=10_000, share in 1i64..=100) {
            let (lo, hi) = (a.min(b), a.max(b));
            let r = |s: i64| row("A", Decimal::new(base, 2), Decimal::from(days), Decimal::new(s, 2), Decimal::from(share)).amount(&RULES).euros();
            prop_assert!(r(lo) <= r(hi));
            prop_assert!(r(hi) <= Decimal::new(base, 2) + dec!(0.01));
        }

        #[test]
        fn totals_are_sums_of_rounded_rows(bases in proptest::collection::vec(0i64..5_000_000, 1..10)) {
            let rows: Vec<ResultPayRow> = bases.iter().map(|b| row("A", Decimal::new(*b, 2), dec!(200), dec!(87.5), dec!(100))).collect();
            let p = result_pay(&rows, &RULES);
            prop_assert_eq!(p.total, p.rows.iter().map(|(_, a)| *a).sum::<Cents>());
            prop_assert_eq!(p.grand_total, p.total + p.contributions + p.irap);
        }
    }
}
