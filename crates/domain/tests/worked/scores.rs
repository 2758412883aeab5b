//! The scoring engine on the worked ente.

use rust_decimal::Decimal;
use traguardi_domain::plan::score::Outcome;

use crate::ente::{dec, plan};

fn score(o: &Outcome) -> Option<Decimal> {
    o.score()
}

#[test]
fn kpis_score_their_years_value_against_the_target() {
    let p = plan();
    let b = p.board();
    let kpi = |code: &str| score(&b.kpis[format!("k-{code}").as_str()].scored.outcome);
    // K1: last value 150 of 200, higher is better: 150 / 200 × 100 = 75 (the June 80 is not the year's).
    assert_eq!(kpi("K1"), Some(dec("75")));
    // K2: sì against sì = 100.
    assert_eq!(kpi("K2"), Some(dec("100")));
    // K3: lower is better, 8 within the target 10: 100 (no over-achievement without a cap).
    assert_eq!(kpi("K3"), Some(dec("100")));
    // K4: a flow, summed: 30 + 50 = 80 of 100 = 80.
    assert_eq!(b.kpis["k-K4"].year_value.as_ref().and_then(|v| v.number()), Some(dec("80")));
    assert_eq!(kpi("K4"), Some(dec("80")));
    // K5: a June value only; the final period is missing, so the KPI waits for data.
    assert_eq!(b.kpis["k-K5"].scored.outcome, Outcome::NoData);
    // K6: version 2 (25) replaced version 1 (20): 25 / 50 = 50.
    assert_eq!(kpi("K6"), Some(dec("50")));
    assert_eq!(kpi("K7"), Some(dec("90")));
}

#[test]
fn objectives_units_dimensions_and_the_ente() {
    let p = plan();
    let b = p.board();
    let obj = |code: &str| score(&b.objectives[format!("o-{code}").as_str()].outcome);
    // O1 = (75 + 100) / 2 = 87,5; O2 = (100 + 80) / 2 = 90; O3 = 50 (K5 waits and drops out,
    // the weights renormalise on K6); O4 = 90.
    assert_eq!(obj("O1"), Some(dec("87.5")));
    assert_eq!(obj("O2"), Some(dec("90")));
    assert_eq!(obj("O3"), Some(dec("50")));
    assert_eq!(obj("O4"), Some(dec("90")));
    let unit = |code: &str| b.units.get(format!("u-{code}").as_str()).and_then(|s| score(&s.outcome));
    // S1 = its own O2 = 90. D1 takes in its units: (87,5 × 60 + 90 × 40) / 100 = 88,5.
    // S2 has no objectives: no score. D2 = O3 = 50.
    assert_eq!(unit("S1"), Some(dec("90")));
    assert_eq!(unit("D1"), Some(dec("88.5")));
    assert_eq!(unit("S2"), None);
    assert_eq!(unit("D2"), Some(dec("50")));
    // The ente: its Direzioni, each counting once: (88,5 + 50) / 2 = 69,25 (O4 has no unit).
    assert_eq!(b.ente.as_ref().and_then(|s| score(&s.outcome)), Some(dec("69.25")));
    // Dimension direzione: its top-level objectives by weight:
    // (87,5 × 60 + 90 × 40 + 50 × 100) / 200 = 13.850 / 200 = 69,25. Solidale: O4 = 90.
    assert_eq!(score(&b.dimensions["d-direzione"].outcome), Some(dec("69.25")));
    assert_eq!(score(&b.dimensions["d-solidale"].outcome), Some(dec("90")));
}

#[test]
fn an_override_with_its_reason_replaces_the_computed_score_and_a_neutralised_objective_drops_out() {
    let mut p = plan();
    // O2 overridden to 70 with a reason; O3 made not assessable.
    p.objectives[1].override_score = Some(dec("70"));
    p.objectives[1].override_reason = Some("sentenza del TAR".into());
    p.objectives[2].not_assessable = Some("evento esterno".into());
    let b = p.board();
    assert_eq!(score(&b.objectives["o-O2"].outcome), Some(dec("70")));
    assert_eq!(b.objectives["o-O3"].outcome, Outcome::NotAssessable("evento esterno".into()));
    // D1 = (87,5 × 60 + 70 × 40) / 100 = 80,5; D2 has only O3: not assessable, so the ente is
    // D1 alone: 80,5.
    assert_eq!(score(&b.units["u-D1"].outcome), Some(dec("80.5")));
    assert_eq!(b.ente.as_ref().and_then(|s| score(&s.outcome)), Some(dec("80.5")));
}

#[test]
fn a_direzione_may_count_its_own_objectives_only() {
    let mut p = plan();
    p.rules.direzione_includes_units = false;
    let b = p.board();
    // D1 = O1 alone = 87,5; the ente = (87,5 + 50) / 2 = 68,75.
    assert_eq!(score(&b.units["u-D1"].outcome), Some(dec("87.5")));
    assert_eq!(b.ente.as_ref().and_then(|s| score(&s.outcome)), Some(dec("68.75")));
}
