use super::*;
use crate::plan::round::report;
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::dec;

fn spec<'a>(direction: Direction, target: Option<&'a Value>, rule: &'a Rule) -> KpiSpec<'a> {
    KpiSpec { measure: Measure::Numero, direction, target, rule }
}

fn n(d: Decimal) -> Value {
    Value::Number(d)
}

fn score(s: &Scored) -> Decimal {
    s.outcome.score().expect("a score")
}

#[test]
fn lower_is_better_cost_per_certificate() {
    // A cost target of 10 €/certificato against an actual 15 €: 10 / 15 × 100 = 66.67.
    let rule = Rule::default();
    let t = n(dec!(10));
    let s = score_kpi(&spec(Direction::Decrescente, Some(&t), &rule), Some(&n(dec!(15))));
    assert_eq!(report(score(&s)), dec!(66.67));
    assert_eq!(s.explanation.text, "Più basso è meglio: 10 / 15 × 100 = 66,67.");
    assert_eq!(s.explanation.in_lang(crate::Lang::En), "Lower is better: 10 / 15 × 100 = 66,67.");
    assert_eq!(s.explanation.in_lang(crate::Lang::It), s.explanation.text);
    assert_eq!(s.explanation.rule, "rapporto_decrescente");
}

#[test]
fn lower_is_better_edges() {
    let rule = Rule::default();
    let t = n(dec!(10));
    // Actual 0 on lower-is-better: 100.
    assert_eq!(score(&score_kpi(&spec(Direction::Decrescente, Some(&t), &rule), Some(&n(dec!(0))))), dec!(100));
    assert_eq!(score(&score_kpi(&spec(Direction::Decrescente, Some(&t), &rule), Some(&n(dec!(10))))), dec!(100));
    // With over-achievement up to 120: 10 / 9 × 100 = 111.11; 0 reaches the cap.
    let over = Rule { cap: Some(dec!(120)), ..Rule::default() };
    assert_eq!(report(score(&score_kpi(&spec(Direction::Decrescente, Some(&t), &over), Some(&n(dec!(9)))))), dec!(111.11));
    assert_eq!(score(&score_kpi(&spec(Direction::Decrescente, Some(&t), &over), Some(&n(dec!(0))))), dec!(120));
    // Target 0: any positive actual misses it completely.
    let zero = n(dec!(0));
    assert_eq!(score(&score_kpi(&spec(Direction::Decrescente, Some(&zero), &rule), Some(&n(dec!(3))))), dec!(0));
    assert_eq!(score(&score_kpi(&spec(Direction::Decrescente, Some(&zero), &rule), Some(&n(dec!(0))))), dec!(100));
}

#[test]
fn higher_is_better_edges() {
    let rule = Rule::default();
    let t = n(dec!(80));
    assert_eq!(score(&score_kpi(&spec(Direction::Crescente, Some(&t), &rule), Some(&n(dec!(60))))), dec!(75));
    assert_eq!(score(&score_kpi(&spec(Direction::Crescente, Some(&t), &rule), Some(&n(dec!(95))))), dec!(100));
    // Negative actual: 0.
    assert_eq!(score(&score_kpi(&spec(Direction::Crescente, Some(&t), &rule), Some(&n(dec!(-5))))), dec!(0));
    // Target 0: 100 when the actual is at least 0.
    let zero = n(dec!(0));
    assert_eq!(score(&score_kpi(&spec(Direction::Crescente, Some(&zero), &rule), Some(&n(dec!(0))))), dec!(100));
    assert_eq!(score(&score_kpi(&spec(Direction::Crescente, Some(&zero), &rule), Some(&n(dec!(-1))))), dec!(0));
    // Over-achievement capped at 120: 100 / 80 = 125 → 120.
    let over = Rule { cap: Some(dec!(120)), ..Rule::default() };
    let s = score_kpi(&spec(Direction::Crescente, Some(&t), &over), Some(&n(dec!(100))));
    assert_eq!(score(&s), dec!(120));
    assert_eq!(s.explanation.text, "Più alto è meglio: 100 / 80 × 100 = 125,00, limitato a 120,00.");
    assert_eq!(s.explanation.en, "Higher is better: 100 / 80 × 100 = 125,00, capped at 120,00.");
}

#[test]
fn minimum_threshold() {
    let rule = Rule { minimum: Some(dec!(50)), ..Rule::default() };
    let t = n(dec!(80));
    assert_eq!(score(&score_kpi(&spec(Direction::Crescente, Some(&t), &rule), Some(&n(dec!(49.99))))), dec!(0));
    assert_eq!(score(&score_kpi(&spec(Direction::Crescente, Some(&t), &rule), Some(&n(dec!(50))))), dec!(62.5));
    let lower = Rule { minimum: Some(dec!(30)), ..Rule::default() };
    let t = n(dec!(20));
    assert_eq!(score(&score_kpi(&spec(Direction::Decrescente, Some(&t), &lower), Some(&n(dec!(31))))), dec!(0));
    assert_eq!(report(score(&score_kpi(&spec(Direction::Decrescente, Some(&t), &lower), Some(&n(dec!(30)))))), dec!(66.67));
}

#[test]
fn bands_with_and_without_interpolation() {
    let b = |from, to, score| Band { from, to, score };
    let bands = vec![b(dec!(50), Some(dec!(70)), dec!(40)), b(dec!(70), Some(dec!(90)), dec!(80)), b(dec!(90), None, dec!(100))];
    let step = Rule { bands: bands.clone(), ..Rule::default() };
    let lin = Rule { bands, interpolate: true, ..Rule::default() };
    let kpi = |r| spec(Direction::Crescente, None, r);
    assert_eq!(score(&score_kpi(&kpi(&step), Some(&n(dec!(49))))), dec!(0));
    assert_eq!(score(&score_kpi(&kpi(&step), Some(&n(dec!(75))))), dec!(80));
    assert_eq!(score(&score_kpi(&kpi(&step), Some(&n(dec!(95))))), dec!(100));
    // 75 in [70, 90): 80 + (75 − 70) / 20 × (100 − 80) = 85.
    let s = score_kpi(&kpi(&lin), Some(&n(dec!(75))));
    assert_eq!(score(&s), dec!(85));
    assert_eq!(s.explanation.text, "Valore 75 nella fascia [70, 90): interpolato tra 80,00 e 100,00 = 85,00.");
    assert_eq!(s.explanation.en, "Value 75 in the band [70, 90): interpolated between 80,00 and 100,00 = 85,00.");
    assert_eq!(score(&score_kpi(&kpi(&lin), Some(&n(dec!(50))))), dec!(40));
    assert_eq!(score(&score_kpi(&kpi(&lin), Some(&n(dec!(200))))), dec!(100));
}

#[test]
fn deadlines() {
    let d = |m, day| NaiveDate::from_ymd_opt(2020, m, day).expect("date");
    let due = Value::Date(Some(d(6, 30)));
    let spec_of = |r| KpiSpec { measure: Measure::Scadenza, direction: Direction::Crescente, target: Some(&due), rule: r };
    let rule = Rule::default();
    assert_eq!(score(&score_kpi(&spec_of(&rule), Some(&Value::Date(Some(d(6, 30)))))), dec!(100));
    assert_eq!(score(&score_kpi(&spec_of(&rule), Some(&Value::Date(Some(d(7, 1)))))), dec!(0));
    assert_eq!(score(&score_kpi(&spec_of(&rule), Some(&Value::Date(None)))), dec!(0));
    let penalty = Rule { late_penalty_per_day: Some(dec!(2)), ..Rule::default() };
    let s = score_kpi(&spec_of(&penalty), Some(&Value::Date(Some(d(7, 10)))));
    assert_eq!(score(&s), dec!(80));
    assert_eq!(s.explanation.text, "Completato il 10/07/2020, 10 giorni dopo la scadenza 30/06/2020: 100 − 2 × 10 giorni = 80,00.");
    assert_eq!(s.explanation.en, "Completed on 10/07/2020, 10 days after the deadline 30/06/2020: 100 − 2 × 10 days = 80,00.");
    assert_eq!(score(&score_kpi(&spec_of(&penalty), Some(&Value::Date(Some(d(12, 31)))))), dec!(0));
}

#[test]
fn yes_no_and_milestones() {
    let rule = Rule::default();
    let yes = Value::Bool(true);
    let yn = KpiSpec { measure: Measure::SiNo, direction: Direction::Crescente, target: Some(&yes), rule: &rule };
    assert_eq!(score(&score_kpi(&yn, Some(&Value::Bool(true)))), dec!(100));
    let no = score_kpi(&yn, Some(&Value::Bool(false)));
    assert_eq!(score(&no), dec!(0));
    assert_eq!((no.explanation.text.as_str(), no.explanation.en.as_str()), ("Valore «no» contro target «sì»: 0,00.", "Value «no» against target «yes»: 0,00."));
    let hundred = n(dec!(100));
    let milestone = KpiSpec { measure: Measure::Avanzamento, direction: Direction::Crescente, target: Some(&hundred), rule: &rule };
    assert_eq!(score(&score_kpi(&milestone, Some(&n(dec!(65))))), dec!(65));
}

#[test]
fn missing_things() {
    let rule = Rule::default();
    assert_eq!(score_kpi(&spec(Direction::Crescente, None, &rule), Some(&n(dec!(3)))).outcome, Outcome::NotAssessable("target non definito".into()));
    assert_eq!(score_kpi(&spec(Direction::Crescente, None, &rule), None).outcome, Outcome::NoData);
}

#[test]
fn the_year_value_comes_from_the_years_periods() {
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(2020, m, day).expect("date");
    let end = d(12, 31);
    let quarters = [(d(3, 31), Some(n(dec!(10)))), (d(6, 30), Some(n(dec!(20)))), (d(9, 30), None), (d(12, 31), Some(n(dec!(45))))];
    assert_eq!(year_value(Aggregation::Ultimo, &quarters, end), Ok(Some(n(dec!(45)))));
    // A period missing (neutralised at 30/09): the sum adds nothing for it, the mean leaves it out.
    assert_eq!(year_value(Aggregation::Somma, &quarters, end), Ok(Some(n(dec!(75)))));
    assert_eq!(year_value(Aggregation::Media, &quarters, end), Ok(Some(n(dec!(25)))));
    // Without the final period's value the KPI waits: never the value of 30/06.
    for a in [Aggregation::Ultimo, Aggregation::Somma, Aggregation::Media] {
        assert_eq!(year_value(a, &quarters[..2], end), Ok(None), "{a:?}");
        // …nor a final period neutralised without its reason carried elsewhere.
        assert_eq!(year_value(a, &quarters[..3], end), Ok(None), "{a:?}");
    }
    assert_eq!(year_value(Aggregation::Media, &[], end), Ok(None));
    // A sum past the decimal range is an error, not a panic.
    let huge = [(d(6, 30), Some(n(Decimal::MAX))), (d(12, 31), Some(n(Decimal::MAX)))];
    assert!(year_value(Aggregation::Somma, &huge, end).is_err());
}

fn decimal(range: std::ops::Range<i64>) -> impl Strategy<Value = Decimal> {
    range.prop_map(|c| Decimal::new(c, 2))
}

proptest! {
    #[test]
    fn scores_stay_between_zero_and_cap(actual in decimal(-100_000..1_000_000), target in decimal(-10_000..1_000_000), over in any::<bool>(), up in any::<bool>()) {
        let rule = Rule { cap: over.then_some(dec!(120)), ..Rule::default() };
        let t = n(target);
        let dir = if up { Direction::Crescente } else { Direction::Decrescente };
        let s = score(&score_kpi(&spec(dir, Some(&t), &rule), Some(&n(actual))));
        prop_assert!(s >= Decimal::ZERO && s <= rule.cap.unwrap_or(Decimal::ONE_HUNDRED));
    }

    #[test]
    fn monotone_in_the_right_direction(a in decimal(0..1_000_000), b in decimal(0..1_000_000), target in decimal(1..1_000_000)) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let rule = Rule::default();
        let t = n(target);
        let up = |v| score(&score_kpi(&spec(Direction::Crescente, Some(&t), &rule), Some(&n(v))));
        let down = |v| score(&score_kpi(&spec(Direction::Decrescente, Some(&t), &rule), Some(&n(v))));
        prop_assert!(up(lo) <= up(hi));
        prop_assert!(down(lo) >= down(hi));
    }
}

#[test]
fn arithmetic_past_the_range_is_a_problem_not_a_panic() {
    let rule = Rule::default();
    // The largest value an import takes against a tiny target: the ratio is past the range.
    let target = n(dec!(0.0000000000001));
    let s = score_kpi(&spec(Direction::Crescente, Some(&target), &rule), Some(&n(crate::value::MAX_MAGNITUDE)));
    assert_eq!(s.outcome, Outcome::NotAssessable(crate::plan::rollup::OVERFLOW.into()));
    let s = score_kpi(&spec(Direction::Decrescente, Some(&n(Decimal::MAX)), &rule), Some(&n(dec!(0.0000000000001))));
    assert!(matches!(s.outcome, Outcome::NotAssessable(_) | Outcome::Score(_)));
    // Weights near the top of the range in a roll-up.
    let (a, b) = (Outcome::Score(dec!(90)), Outcome::Score(dec!(80)));
    let parts = [
        crate::plan::rollup::Part { code: "A", weight: Decimal::MAX, outcome: &a },
        crate::plan::rollup::Part { code: "B", weight: Decimal::MAX, outcome: &b },
    ];
    let s = crate::plan::rollup::weighted_mean(&parts, dec!(100));
    assert_eq!(s.outcome, Outcome::NotAssessable(crate::plan::rollup::OVERFLOW.into()));
    // A formula multiplying past the range.
    let e = crate::plan::formula::parse("A * A * A").expect("formula");
    let big = |_: &str, _| Some(dec!(100000000000000));
    assert_eq!(e.eval(&big), Err(crate::plan::formula::EvalError::Overflow));
    // A late deadline with a huge penalty is 0, not a panic.
    let late = Rule { late_penalty_per_day: Some(Decimal::MAX), ..Rule::default() };
    let due = Value::Date(NaiveDate::from_ymd_opt(2020, 6, 30));
    let s = score_kpi(
        &KpiSpec { measure: Measure::Scadenza, direction: Direction::Crescente, target: Some(&due), rule: &late },
        Some(&Value::Date(NaiveDate::from_ymd_opt(2020, 7, 30))),
    );
    assert_eq!(s.outcome, Outcome::Score(Decimal::ZERO));
}
