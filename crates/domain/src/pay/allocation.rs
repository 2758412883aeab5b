//! Splitting a pool of money to the cent (SPEC §4).
//!
//! Rounding rule: each person's exact quota (pool × weight / sum of weights) is cut down to
//! the cent; the cents left over go one each to the largest cut-off remainders (largest
//! remainder method), ties to the earlier person in the order given. So the amounts add up to
//! the pool exactly, nobody is more than a cent from their exact quota, and a larger weight
//! never gets less than a smaller one.
//!
//! The individual pool first sets aside the differentiation uplift (CCNL Funzioni Locali
//! 2019–21 art. 81): a quota of heads of the positively evaluated staff (a share of them,
//! rounded down, at least one; chosen by score, ties broken by the configured order, never by
//! a score threshold) each gets an uplift of at least the configured % of the average
//! individual premium, computed before the uplift. The uplift is rounded *up* to the cent, so
//! that it is never below the legal minimum, unless that would exceed the pool.

use rust_decimal::Decimal;

use crate::money::Rounding;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

/// Splits `pool` cents in proportion to `weights` (negative weights count as zero). When the
/// weights add up to zero nothing is paid and the whole pool is left over.
pub fn largest_remainder(pool: i64, weights: &[Decimal]) -> Vec<i64> {
    let total: Decimal = weights.iter().map(|w| (*w).max(Decimal::ZERO)).sum();
    if pool <= 0 || total <= Decimal::ZERO {
        return vec![0; weights.len()];
    }
    let pool_d = Decimal::from(pool);
    let mut floors = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let exact = pool_d * (*w).max(Decimal::ZERO) / total;
        let floor = exact.floor();
        floors.push(floor.to_i64().unwrap_or(0));
        remainders.push((exact - floor, i));
    }
    let left = pool - floors.iter().sum::<i64>();
    // Largest remainder first; equal remainders in the order given.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders.iter().filter(|(r, _)| *r > Decimal::ZERO).take(left.max(0) as usize) {
        floors[*i] += 1;
    }
    floors
}

/// One positively evaluated person in the individual pool.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The matricola: the last tie-break, so the choice is always the same.
    pub key: String,
    /// The individual score that ranks for the uplift.
    pub score: Decimal,
    /// Further tie-break values, in the configured order, larger first.
    pub ties: Vec<Decimal>,
    /// score × category coefficient × presence.
    pub weight: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndividualSplit {
    /// Each candidate's share of the pool after the uplift was set aside, in cents.
    pub shares: Vec<i64>,
    /// Each candidate's uplift in cents (0 for those outside the quota).
    pub uplifts: Vec<i64>,
    /// Average individual premium before the uplift, in cents (exact, not rounded).
    pub average: Decimal,
    /// How many heads the uplift goes to.
    pub heads: usize,
    /// The uplift of each of them, in cents.
    pub uplift: i64,
    /// What is left of the pool (cents): only when nobody has weight.
    pub residual: i64,
}

/// The individual pool: uplift set aside for the best `quota_pct` % of the candidates (at least
/// one), `uplift_pct` % of the average premium each; the rest split by weight.
pub fn individual(pool: i64, candidates: &[Candidate], quota_pct: Decimal, uplift_pct: Decimal) -> IndividualSplit {
    let n = candidates.len();
    if n == 0 || pool <= 0 {
        return IndividualSplit { shares: vec![0; n], uplifts: vec![0; n], average: Decimal::ZERO, heads: 0, uplift: 0, residual: pool.max(0) };
    }
    let average = Decimal::from(pool) / Decimal::from(n as i64);
    let heads = Rounding::Down.whole_cents(Decimal::from(n as i64) * quota_pct / Decimal::ONE_HUNDRED).unwrap_or(0).clamp(1, n as i64) as usize;
    let wanted = Rounding::Up.whole_cents(average * uplift_pct / Decimal::ONE_HUNDRED).unwrap_or(0);
    let uplift = wanted.min(pool / heads as i64).max(0);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&candidates[a], &candidates[b]);
        y.score.cmp(&x.score).then_with(|| y.ties.cmp(&x.ties)).then_with(|| x.key.cmp(&y.key))
    });
    let mut uplifts = vec![0; n];
    for &i in order.iter().take(heads) {
        uplifts[i] = uplift;
    }
    let rest = pool - uplift * heads as i64;
    let weights: Vec<Decimal> = candidates.iter().map(|c| c.weight).collect();
    let shares = largest_remainder(rest, &weights);
    let residual = pool - shares.iter().sum::<i64>() - uplifts.iter().sum::<i64>();
    IndividualSplit { shares, uplifts, average, heads, uplift, residual }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::dec;

    #[test]
    fn cents_left_over_go_to_the_largest_remainders() {
        // 100,00 € in three equal parts: 33,34 + 33,33 + 33,33 (the tie goes to the first).
        assert_eq!(largest_remainder(10_000, &[dec!(1), dec!(1), dec!(1)]), [3334, 3333, 3333]);
        // 1.000,00 € by weights 90, 80, 70 (sum 240): 375,00; 333,333…; 291,666… →
        // 375,00 + 333,33 + 291,67 (the 1 cent left to the larger remainder ,666…).
        assert_eq!(largest_remainder(100_000, &[dec!(90), dec!(80), dec!(70)]), [37_500, 33_333, 29_167]);
        assert_eq!(largest_remainder(500, &[dec!(0), dec!(0)]), [0, 0]);
        assert_eq!(largest_remainder(500, &[dec!(0), dec!(2)]), [0, 500]);
    }

    #[test]
    fn a_worked_individual_pool() {
        // Pool 10.000,00 € among 12 positively evaluated people; quota 10% → 1 head
        // (12 × 10% = 1,2 rounded down); average 833,333… €; uplift 30% = 250,00 € (rounded up
        // to the cent: 24.999,99… cents → 25.000).
        let c = |k: &str, s: Decimal| Candidate { key: k.into(), score: s, ties: vec![], weight: s };
        let mut cands: Vec<Candidate> = (1..=10).map(|i| c(&format!("M{i:02}"), dec!(80))).collect();
        cands.push(c("M11", dec!(95)));
        cands.push(c("M12", dec!(70)));
        let s = individual(1_000_000, &cands, dec!(10), dec!(30));
        assert_eq!((s.heads, s.uplift, s.residual), (1, 25_000, 0));
        assert_eq!(s.uplifts[10], 25_000);
        assert_eq!(s.uplifts.iter().sum::<i64>(), 25_000);
        // The rest, 9.750,00 €, by weights: 10 × 80 + 95 + 70 = 965.
        // 80/965 × 975.000 = 80.829,01… → 80.829; 95/965 → 95.984,45… → 95.984;
        // 70/965 → 70.725,38… → 70.725; sum 808.290 + 95.984 + 70.725 = 974.999: one cent left,
        // to the largest remainder (,45 of M11 against ,38 and ten times ,01).
        assert_eq!(s.shares[0], 80_829);
        assert_eq!(s.shares[10], 95_985);
        assert_eq!(s.shares[11], 70_725);
        assert_eq!(s.shares.iter().sum::<i64>() + 25_000, 1_000_000);
    }

    #[test]
    fn ties_at_the_quota_boundary_follow_the_configured_order() {
        let c = |k: &str, tie: Decimal| Candidate { key: k.into(), score: dec!(90), ties: vec![tie], weight: dec!(1) };
        let s = individual(100_000, &[c("A", dec!(50)), c("B", dec!(70)), c("C", dec!(70))], dec!(10), dec!(30));
        // One head: the tie on score is broken by the first criterion (70 beats 50), then by
        // matricola (B before C).
        assert_eq!(s.uplifts, [0, 10_000, 0]);
    }

    proptest! {
        #[test]
        fn never_above_the_pool_and_monotone(pool in 0i64..100_000_000, ws in proptest::collection::vec(0i64..10_000, 1..40)) {
            let weights: Vec<Decimal> = ws.iter().map(|w| Decimal::new(*w, 2)).collect();
            let out = largest_remainder(pool, &weights);
            let sum: i64 = out.iter().sum();
            prop_assert!(sum <= pool);
            if weights.iter().any(|w| *w > Decimal::ZERO) { prop_assert_eq!(sum, pool); }
            for i in 0..ws.len() {
                for j in 0..ws.len() {
                    if ws[i] > ws[j] { prop_assert!(out[i] >= out[j]); }
                    if ws[i] == 0 { prop_assert_eq!(out[i], 0); }
                }
            }
        }

        #[test]
        fn the_uplift_holds(pool in 1i64..100_000_000, scores in proptest::collection::vec(60i64..=100, 1..60), quota in 1i64..50) {
            let cands: Vec<Candidate> = scores.iter().enumerate()
                .map(|(i, s)| Candidate { key: format!("M{i:03}"), score: Decimal::from(*s), ties: vec![], weight: Decimal::from(*s) })
                .collect();
            let s = individual(pool, &cands, Decimal::from(quota), dec!(30));
            let paid: i64 = s.shares.iter().sum::<i64>() + s.uplifts.iter().sum::<i64>();
            prop_assert_eq!(paid + s.residual, pool);
            prop_assert!(paid <= pool);
            let heads = s.uplifts.iter().filter(|u| **u > 0).count();
            prop_assert!(heads <= s.heads && s.heads >= 1);
            // Each of them gets at least 30% of the average premium more than their share
            // (unless the pool is too small to give it).
            prop_assert!(Decimal::from(s.uplift) >= s.average * dec!(0.3) || s.uplift == pool / s.heads as i64);
            // Nobody outside the quota ranks above anybody inside it.
            let min_in = cands.iter().zip(&s.uplifts).filter(|(_, u)| **u > 0).map(|(c, _)| c.score).min();
            let max_out = cands.iter().zip(&s.uplifts).filter(|(_, u)| **u == 0).map(|(c, _)| c.score).max();
            if let (Some(a), Some(b)) = (min_in, max_out) { prop_assert!(a >= b); }
        }
    }
}
