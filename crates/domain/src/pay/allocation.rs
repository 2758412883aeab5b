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

use crate::money::{Cents, Rounding};
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

/// Splits `pool` in proportion to `weights` (negative weights count as zero). When the
/// weights add up to zero nothing is paid and the whole pool is left over.
pub fn largest_remainder(pool: Cents, weights: &[Decimal]) -> Vec<Cents> {
    let pool = pool.get();
    let total: Decimal = weights.iter().map(|w| (*w).max(Decimal::ZERO)).sum();
    if pool <= 0 || total <= Decimal::ZERO {
        return vec![Cents::ZERO; weights.len()];
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
    floors.into_iter().map(Cents::new).collect()
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
    /// Each candidate's share of the pool after the uplift was set aside.
    pub shares: Vec<Cents>,
    /// Each candidate's uplift (0 for those outside the quota).
    pub uplifts: Vec<Cents>,
    /// Average individual premium before the uplift, in cents (exact, not rounded).
    pub average: Decimal,
    /// How many heads the uplift goes to.
    pub heads: usize,
    /// The uplift of each of them.
    pub uplift: Cents,
    /// What is left of the pool: only when nobody has weight.
    pub residual: Cents,
}

/// The individual pool: uplift set aside for the best `quota_pct` % of the candidates (at least
/// one), `uplift_pct` % of the average premium each; the rest split by weight.
pub fn individual(pool: Cents, candidates: &[Candidate], quota_pct: Decimal, uplift_pct: Decimal) -> IndividualSplit {
    let n = candidates.len();
    if n == 0 || pool <= Cents::ZERO {
        let none = vec![Cents::ZERO; n];
        return IndividualSplit { shares: none.clone(), uplifts: none, average: Decimal::ZERO, heads: 0, uplift: Cents::ZERO, residual: pool.max(Cents::ZERO) };
    }
    let average = Decimal::from(pool.get()) / Decimal::from(n as i64);
    let heads = Rounding::Down.whole(Decimal::from(n as i64) * quota_pct / Decimal::ONE_HUNDRED).unwrap_or(0).clamp(1, n as i64) as usize;
    // The average is in cents; the uplift is `uplift_pct` % of it, in euro.
    let wanted = Cents::from_euros(average * uplift_pct / Decimal::from(10_000), Rounding::Up).unwrap_or_default();
    let uplift = wanted.min(Cents::new(pool.get() / heads as i64)).max(Cents::ZERO);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&candidates[a], &candidates[b]);
        y.score.cmp(&x.score).then_with(|| y.ties.cmp(&x.ties)).then_with(|| x.key.cmp(&y.key))
    });
    let mut uplifts = vec![Cents::ZERO; n];
    for &i in order.iter().take(heads) {
        uplifts[i] = uplift;
    }
    let rest = pool - uplift * heads as i64;
    let weights: Vec<Decimal> = candidates.iter().map(|c| c.weight).collect();
    let shares = largest_remainder(rest, &weights);
    let residual = pool - shares.iter().sum::<Cents>() - uplifts.iter().sum::<Cents>();
    IndividualSplit { shares, uplifts, average, heads, uplift, residual }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::dec;

    fn c(n: i64) -> Cents {
        Cents::new(n)
    }

    fn cs<const N: usize>(ns: [i64; N]) -> Vec<Cents> {
        ns.map(Cents::new).to_vec()
    }

    #[test]
    fn cents_left_over_go_to_the_largest_remainders() {
        // 100,00 € in three equal parts: 33,34 + 33,33 + 33,33 (the tie goes to the first).
        assert_eq!(largest_remainder(c(10_000), &[dec!(1), dec!(1), dec!(1)]), cs([3334, 3333, 3333]));
        // 1.000,00 € by weights 90, 80, 70 (sum 240): 375,00; 333,333…; 291,666… →
        // 375,00 + 333,33 + 291,67 (the 1 cent left to the larger remainder ,666…).
        assert_eq!(largest_remainder(c(100_000), &[dec!(90), dec!(80), dec!(70)]), cs([37_500, 33_333, 29_167]));
        assert_eq!(largest_remainder(c(500), &[dec!(0), dec!(0)]), cs([0, 0]));
        assert_eq!(largest_remainder(c(500), &[dec!(0), dec!(2)]), cs([0, 500]));
    }

    #[test]
    fn a_worked_individual_pool() {
        // Pool 10.000,00 € among 12 positively evaluated people; quota 10% → 1 head
        // (12 × 10% = 1,2 rounded down); average 833,333… €; uplift 30% = 250,00 € (rounded up
        // to the cent: 24.999,99… cents → 25.000).
        let cand = |k: &str, s: Decimal| Candidate { key: k.into(), score: s, ties: vec![], weight: s };
        let mut cands: Vec<Candidate> = (1..=10).map(|i| cand(&format!("M{i:02}"), dec!(80))).collect();
        cands.push(cand("M11", dec!(95)));
        cands.push(cand("M12", dec!(70)));
        let s = individual(c(1_000_000), &cands, dec!(10), dec!(30));
        assert_eq!((s.heads, s.uplift, s.residual), (1, c(25_000), c(0)));
        assert_eq!(s.uplifts[10], c(25_000));
        assert_eq!(s.uplifts.iter().sum::<Cents>(), c(25_000));
        // The rest, 9.750,00 €, by weights: 10 × 80 + 95 + 70 = 965.
        // 80/965 × 975.000 = 80.829,01… → 80.829; 95/965 → 95.984,45… → 95.984;
        // 70/965 → 70.725,38… → 70.725; sum 808.290 + 95.984 + 70.725 = 974.999: one cent left,
        // to the largest remainder (,45 of M11 against ,38 and ten times ,01).
        assert_eq!(s.shares[0], c(80_829));
        assert_eq!(s.shares[10], c(95_985));
        assert_eq!(s.shares[11], c(70_725));
        assert_eq!(s.shares.iter().sum::<Cents>() + c(25_000), c(1_000_000));
    }

    #[test]
    fn ties_at_the_quota_boundary_follow_the_configured_order() {
        let cand = |k: &str, tie: Decimal| Candidate { key: k.into(), score: dec!(90), ties: vec![tie], weight: dec!(1) };
        let s = individual(c(100_000), &[cand("A", dec!(50)), cand("B", dec!(70)), cand("C", dec!(70))], dec!(10), dec!(30));
        // One head: the tie on score is broken by the first criterion (70 beats 50), then by
        // matricola (B before C).
        assert_eq!(s.uplifts, cs([0, 10_000, 0]));
    }

    proptest! {
        #[test]
        fn never_above_the_pool_and_monotone(pool in 0i64..100_000_000, ws in proptest::collection::vec(0i64..10_000, 1..40)) {
            let weights: Vec<Decimal> = ws.iter().map(|w| Decimal::new(*w, 2)).collect();
            let out: Vec<i64> = largest_remainder(c(pool), &weights).iter().map(|x| x.get()).collect();
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
            let s = individual(c(pool), &cands, Decimal::from(quota), dec!(30));
            let paid = s.shares.iter().sum::<Cents>() + s.uplifts.iter().sum::<Cents>();
            prop_assert_eq!(paid + s.residual, c(pool));
            prop_assert!(paid <= c(pool));
            let heads = s.uplifts.iter().filter(|u| **u > Cents::ZERO).count();
            prop_assert!(heads <= s.heads && s.heads >= 1);
            // Each of them gets at least 30% of the average premium more than their share
            // (unless the pool is too small to give it).
            prop_assert!(Decimal::from(s.uplift.get()) >= s.average * dec!(0.3) || s.uplift.get() == pool / s.heads as i64);
            // Nobody outside the quota ranks above anybody inside it.
            let min_in = cands.iter().zip(&s.uplifts).filter(|(_, u)| **u > Cents::ZERO).map(|(k, _)| k.score).min();
            let max_out = cands.iter().zip(&s.uplifts).filter(|(_, u)| **u == Cents::ZERO).map(|(k, _)| k.score).max();
            if let (Some(a), Some(b)) = (min_in, max_out) { prop_assert!(a >= b); }
        }
    }
}
