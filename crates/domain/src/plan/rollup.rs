//! Roll-ups: an objective from its KPIs and children, a unit from its objectives, and so on up
//! to the ente (SPEC §3). Weighted means with weights renormalised over the assessable parts.

use rust_decimal::Decimal;

use super::round::it;
use super::score::{Explanation, Outcome, Scored};

/// Why a computation could not be made: its numbers go past the decimal range.
pub const OVERFLOW: &str = "calcolo oltre l'intervallo dei numeri ammessi";

/// One part of a roll-up: its code (for the explanation), weight and outcome.
#[derive(Debug, Clone)]
pub struct Part<'a> {
    pub code: &'a str,
    pub weight: Decimal,
    pub outcome: &'a Outcome,
}

/// The weighted mean of the parts' scores, capped at `cap` (100, or the cycle's
/// over-achievement cap). Parts not assessable or without data drop out and the weights
/// renormalise; if all drop out, the result is not assessable (or waits for data, when some part
/// waits for data).
pub fn weighted_mean(parts: &[Part<'_>], cap: Decimal) -> Scored {
    let counted: Vec<(&Part<'_>, Decimal)> = parts.iter().filter_map(|p| p.outcome.score().map(|s| (p, s))).collect();
    let left_out = parts.len() - counted.len();
    let inputs: Vec<(String, String)> = parts
        .iter()
        .map(|p| {
            let v = match p.outcome {
                Outcome::Score(s) => format!("{} × peso {}", it(*s), p.weight.normalize()),
                Outcome::NotAssessable(r) => format!("non valutabile ({r})"),
                Outcome::NoData => "in attesa di dati".into(),
            };
            (p.code.to_string(), v)
        })
        .collect();
    // Checked sums: weights and scores past the decimal range leave the result not assessable
    // with that reason, never a panic.
    let weight = counted.iter().try_fold(Decimal::ZERO, |acc, (p, _)| acc.checked_add(p.weight));
    let total = counted.iter().try_fold(Decimal::ZERO, |acc, (p, s)| acc.checked_add(s.checked_mul(p.weight)?));
    let (Some(weight), Some(total)) = (weight, total) else {
        return beyond_range(inputs);
    };
    if counted.is_empty() || weight <= Decimal::ZERO {
        let waiting = parts.iter().any(|p| p.outcome == &Outcome::NoData);
        let (outcome, text, en) = if parts.is_empty() {
            (Outcome::NoData, "Nessun elemento da aggregare.", "Nothing to aggregate.")
        } else if counted.is_empty() && waiting {
            (Outcome::NoData, "Nessun elemento con valore: in attesa di dati.", "No part has a value: awaiting data.")
        } else if counted.is_empty() {
            (
                Outcome::NotAssessable("tutti gli elementi non valutabili".into()),
                "Tutti gli elementi sono non valutabili: non valutabile.",
                "No part can be assessed: not assessable.",
            )
        } else {
            (
                Outcome::NotAssessable("pesi nulli".into()),
                "I pesi degli elementi valutabili sono nulli: non valutabile.",
                "The weights of the assessable parts are zero: not assessable.",
            )
        };
        return Scored { outcome, explanation: Explanation { rule: "media_ponderata".into(), inputs, text: text.into(), en: en.into() } };
    }
    let Some(raw) = total.checked_div(weight) else {
        return beyond_range(inputs);
    };
    let s = raw.min(cap);
    let terms = counted.iter().map(|(p, s)| format!("{} × {}", it(*s), p.weight.normalize())).collect::<Vec<_>>().join(" + ");
    let mean = format!("({terms}) / {} = {}", weight.normalize(), it(raw));
    let (mut text, mut en) = (format!("Media ponderata: {mean}"), format!("Weighted mean: {mean}"));
    if left_out > 0 {
        text.push_str(&format!("; {left_out} element{} escluso/i e pesi rinormalizzati", if left_out == 1 { "o" } else { "i" }));
        en.push_str(&format!("; {left_out} part{} left out and weights renormalised", if left_out == 1 { "" } else { "s" }));
    }
    if s < raw {
        text.push_str(&format!("; limitato a {}", it(s)));
        en.push_str(&format!("; capped at {}", it(s)));
    }
    text.push('.');
    en.push('.');
    Scored { outcome: Outcome::Score(s), explanation: Explanation { rule: "media_ponderata".into(), inputs, text, en } }
}

/// A roll-up whose numbers go past the decimal range: not assessable, saying so.
fn beyond_range(inputs: Vec<(String, String)>) -> Scored {
    Scored {
        outcome: Outcome::NotAssessable(OVERFLOW.into()),
        explanation: Explanation {
            rule: "media_ponderata".into(),
            inputs,
            text: format!("Non valutabile: {OVERFLOW}."),
            en: "Not assessable: the computation goes beyond the range of numbers.".into(),
        },
    }
}

/// A computed score replaced by hand, with its mandatory reason (visible to the NIV).
pub fn overridden(computed: &Scored, value: Decimal, reason: &str) -> Scored {
    let (was, was_en) = match &computed.outcome {
        Outcome::Score(s) => (it(*s), it(*s)),
        Outcome::NotAssessable(_) => ("non valutabile".into(), "not assessable".into()),
        Outcome::NoData => ("in attesa di dati".into(), "awaiting data".into()),
    };
    let mut inputs = computed.explanation.inputs.clone();
    inputs.push(("calcolato".into(), was.clone()));
    inputs.push(("motivazione".into(), reason.into()));
    Scored {
        outcome: Outcome::Score(value),
        explanation: Explanation {
            rule: "sostituzione".into(),
            inputs,
            text: format!("Valore calcolato {was} sostituito con {}: {reason}.", it(value)),
            en: format!("Computed value {} replaced by {}: {reason}.", was_en, it(value)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::dec;

    fn sc(d: Decimal) -> Outcome {
        Outcome::Score(d)
    }

    #[test]
    fn weights_are_normalised() {
        let (a, b) = (sc(dec!(80)), sc(dec!(50)));
        let parts = [Part { code: "K1", weight: dec!(3), outcome: &a }, Part { code: "K2", weight: dec!(1), outcome: &b }];
        let r = weighted_mean(&parts, dec!(100));
        assert_eq!(r.outcome, sc(dec!(72.5)));
        assert_eq!(r.explanation.text, "Media ponderata: (80,00 × 3 + 50,00 × 1) / 4 = 72,50.");
        assert_eq!(r.explanation.en, "Weighted mean: (80,00 × 3 + 50,00 × 1) / 4 = 72,50.");
    }

    #[test]
    fn non_assessable_drop_out_and_all_of_them_make_the_parent_non_assessable() {
        let (a, nv) = (sc(dec!(60)), Outcome::NotAssessable("dato non disponibile per cause esterne".into()));
        let parts = [Part { code: "K1", weight: dec!(1), outcome: &a }, Part { code: "K2", weight: dec!(9), outcome: &nv }];
        let r = weighted_mean(&parts, dec!(100));
        assert_eq!(r.outcome, sc(dec!(60)));
        assert!(r.explanation.text.ends_with("1 elemento escluso/i e pesi rinormalizzati."));
        assert!(r.explanation.en.ends_with("; 1 part left out and weights renormalised."), "{}", r.explanation.en);
        let all = [Part { code: "K2", weight: dec!(9), outcome: &nv }];
        assert_eq!(weighted_mean(&all, dec!(100)).outcome, Outcome::NotAssessable("tutti gli elementi non valutabili".into()));
        let waiting = Outcome::NoData;
        let mixed = [Part { code: "K2", weight: dec!(9), outcome: &nv }, Part { code: "K3", weight: dec!(1), outcome: &waiting }];
        assert_eq!(weighted_mean(&mixed, dec!(100)).outcome, Outcome::NoData);
    }

    #[test]
    fn the_cap_applies_at_objective_level() {
        let (a, b) = (sc(dec!(120)), sc(dec!(110)));
        let parts = [Part { code: "K1", weight: dec!(1), outcome: &a }, Part { code: "K2", weight: dec!(1), outcome: &b }];
        assert_eq!(weighted_mean(&parts, dec!(100)).outcome, sc(dec!(100)));
        assert_eq!(weighted_mean(&parts, dec!(120)).outcome, sc(dec!(115)));
    }

    #[test]
    fn overrides_carry_their_reason() {
        let a = sc(dec!(40));
        let computed = weighted_mean(&[Part { code: "K1", weight: dec!(1), outcome: &a }], dec!(100));
        let o = overridden(&computed, dec!(90), "evento esterno documentato");
        assert_eq!(o.outcome, sc(dec!(90)));
        assert_eq!(o.explanation.text, "Valore calcolato 40,00 sostituito con 90,00: evento esterno documentato.");
        assert_eq!(o.explanation.en, "Computed value 40,00 replaced by 90,00: evento esterno documentato.");
    }

    proptest! {
        #[test]
        fn equal_scores_roll_up_to_that_score(s in 0i64..10_000, weights in proptest::collection::vec(1i64..1000, 1..8)) {
            let score = Decimal::new(s, 2);
            let o = sc(score);
            let parts: Vec<Part<'_>> = weights.iter().map(|w| Part { code: "K", weight: Decimal::from(*w), outcome: &o }).collect();
            prop_assert_eq!(weighted_mean(&parts, dec!(100)).outcome.score().map(|v| v.round_dp(10)), Some(score));
        }

        #[test]
        fn scaling_all_weights_changes_nothing(scores in proptest::collection::vec(0i64..10_000, 1..8), k in 1i64..50) {
            let outs: Vec<Outcome> = scores.iter().map(|s| sc(Decimal::new(*s, 2))).collect();
            let one: Vec<Part<'_>> = outs.iter().enumerate().map(|(i, o)| Part { code: "K", weight: Decimal::from(i as i64 + 1), outcome: o }).collect();
            let many: Vec<Part<'_>> = outs.iter().enumerate().map(|(i, o)| Part { code: "K", weight: Decimal::from((i as i64 + 1) * k), outcome: o }).collect();
            let a = weighted_mean(&one, dec!(100)).outcome.score().map(|v| v.round_dp(12));
            let b = weighted_mean(&many, dec!(100)).outcome.score().map(|v| v.round_dp(12));
            prop_assert_eq!(a, b);
        }

        #[test]
        fn the_mean_lies_between_the_parts(scores in proptest::collection::vec(0i64..10_000, 1..8)) {
            let outs: Vec<Outcome> = scores.iter().map(|s| sc(Decimal::new(*s, 2))).collect();
            let parts: Vec<Part<'_>> = outs.iter().map(|o| Part { code: "K", weight: dec!(1), outcome: o }).collect();
            let m = weighted_mean(&parts, dec!(100)).outcome.score().unwrap_or_default();
            let lo = Decimal::new(*scores.iter().min().unwrap_or(&0), 2);
            let hi = Decimal::new(*scores.iter().max().unwrap_or(&0), 2);
            prop_assert!(lo <= m && m <= hi);
        }
    }
}
