//! The allocation of the premi on the worked ente: 1.000,00 € for performance organizzativa and
//! 600,00 € for performance individuale (the fund's destinations), contract 2022–24 defaults:
//! weights ROE 20, ROD 30, ROS 50 for staff; results 60% and behaviours 40% of the individual
//! score; positive from 60; the uplift to the best 10% (at least one head), 30% of the average.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use traguardi_domain::money::Cents;
use traguardi_domain::pay::premi::{Allocation, PayInput, PersonPay, allocate};
use traguardi_domain::plan::indices::Indices;

use crate::ente::{Staff, dec, plan, staff};

pub fn run(s: &Staff) -> Allocation {
    let p = plan();
    let board = p.board();
    let scored = p.scored(&board);
    let indices = Indices::compute(&scored, &s.rules);
    let none = BTreeMap::new();
    let input = PayInput {
        rules: &s.rules,
        scores: scored,
        indices: &indices,
        people: &s.people,
        assignments: &s.assignments,
        absences: &s.absences,
        evaluations: &s.evaluations,
        fund: Some(&s.fund),
        overrides: &none,
    };
    let mut a = allocate(&input);
    a.dirigenti = traguardi_domain::pay::managers::managers(&input, &a.persone, &s.positions);
    a
}

fn row<'a>(a: &'a Allocation, m: &str) -> &'a PersonPay {
    a.persone.iter().find(|p| p.matricola == m).unwrap_or_else(|| panic!("{m} not in the premi"))
}

#[test]
fn who_shares_the_premi_and_with_what_scores() {
    let a = run(&staff());
    // Only the days as dipendente count: 005 and 006 are managers all year, 003 for 212 days.
    let who: Vec<&str> = a.persone.iter().map(|p| p.matricola.as_str()).collect();
    assert_eq!(who, ["001", "002", "003", "004"]);
    // Presence: 002 has 73 days of MAL (reducing) and 30 of maternity (protected, even written
    // in lower case): (365 − 73) / 365 = 0,8. 003 served 212 of 365 days: 212 / 365.
    assert_eq!(row(&a, "001").presenza, Decimal::ONE);
    assert_eq!(row(&a, "002").presenza, dec("0.8"));
    assert_eq!(row(&a, "003").presenza, Decimal::from(212) / Decimal::from(365));
    // Organisational score = 20% ROE + 30% ROD + 50% ROS of the post's unit:
    // 001 in S1: 0,2 × 90 + 0,3 × 87,5 + 0,5 × 90 = 89,25;
    // 002 in D2: 0,2 × 90 + 0,3 × 50 + 0,5 × 50 = 58;
    // 003 in S2 (the ROS of D1 above it): 0,2 × 90 + 0,3 × 87,5 + 0,5 × 87,5 = 88.
    assert_eq!(row(&a, "001").punteggio_organizzativo, dec("89.25"));
    assert_eq!(row(&a, "002").punteggio_organizzativo, dec("58"));
    assert_eq!(row(&a, "003").punteggio_organizzativo, dec("88"));
    // Individual score = 60% results + 40% behaviours: 001: 48 + 36 = 84; 002: 70; 003 the
    // conciliated 95; 004: 50, not positive.
    assert_eq!(row(&a, "001").punteggio_individuale, Some(dec("84")));
    assert_eq!(row(&a, "002").punteggio_individuale, Some(dec("70")));
    assert_eq!(row(&a, "003").punteggio_individuale, Some(dec("95")));
    assert_eq!((row(&a, "004").punteggio_individuale, row(&a, "004").positiva), (Some(dec("50")), false));
    // The EQ coefficient of the rules, 1,2; a category not listed counts 1.
    assert_eq!((row(&a, "001").coefficiente, row(&a, "002").coefficiente), (dec("1.2"), Decimal::ONE));
}

#[test]
fn every_cent_of_both_pools_is_paid() {
    let a = run(&staff());
    assert_eq!([a.fondo_organizzativa, a.fondo_individuale].map(Cents::get), [100_000, 60_000]);
    // Organizzativa, weights score × coefficient × presence:
    // 001: 89,25 × 1,2 = 107,1; 002: 58 × 0,8 = 46,4; 003: 88 × 212/365 = 51,1123…; 004: 0.
    // Shares of 100.000 cents over 204,6123…: 52.342,887…; 22.677,030…; 24.980,083…; that is
    // 52.342 + 22.677 + 24.980 = 99.999 and the cent left to the largest remainder (001).
    let org: Vec<i64> = a.persone.iter().map(|p| p.organizzativa.get()).collect();
    assert_eq!(org, [52_343, 22_677, 24_980, 0]);
    // Individuale: three positive; quota 10% of 3 = 0,3 → one head; average 60.000 / 3 =
    // 20.000 cents; uplift 30% = 6.000 cents to the best score, 003 (95).
    assert_eq!((a.teste_maggiorazione, a.maggiorazione_unitaria.get()), (1, 6_000));
    // The rest, 54.000 cents, by score × coefficient × presence: 001: 84 × 1,2 = 100,8;
    // 002: 70 × 0,8 = 56; 003: 95 × 212/365 = 55,178…; sum 211,978…:
    // 25.678,126…, 14.265,626…, 14.056,248… → 25.678 + 14.265 + 14.056 = 53.999, the cent
    // to the largest remainder (002).
    let ind: Vec<(i64, i64)> = a.persone.iter().map(|p| (p.individuale.get(), p.maggiorazione.get())).collect();
    assert_eq!(ind, [(25_678, 0), (14_266, 0), (14_056, 6_000), (0, 0)]);
    assert_eq!(row(&a, "003").totale.get(), 24_980 + 14_056 + 6_000);
    assert_eq!([a.pagato_organizzativa, a.residuo_organizzativa].map(Cents::get), [100_000, 0]);
    assert_eq!([a.pagato_individuale, a.residuo_individuale].map(Cents::get), [60_000, 0]);
}

#[test]
fn a_what_if_score_changes_the_split_but_not_the_pools() {
    let s = staff();
    let p = plan();
    let board = p.board();
    let scored = p.scored(&board);
    let indices = Indices::compute(&scored, &s.rules);
    // 004 given 60 by the scenario: now positive, and in the uplift's quota? No: 3 → 4
    // candidates, still one head (0,4), and 003 still the best.
    let overrides: BTreeMap<String, Decimal> = [("004".to_string(), dec("60"))].into();
    let input = PayInput {
        rules: &s.rules,
        scores: scored,
        indices: &indices,
        people: &s.people,
        assignments: &s.assignments,
        absences: &s.absences,
        evaluations: &s.evaluations,
        fund: Some(&s.fund),
        overrides: &overrides,
    };
    let a = allocate(&input);
    assert!(row(&a, "004").positiva);
    // Average 60.000 / 4 = 15.000; uplift 30% = 4.500 cents.
    assert_eq!((a.teste_maggiorazione, a.maggiorazione_unitaria), (1, Cents::new(4_500)));
    assert_eq!(row(&a, "003").maggiorazione, Cents::new(4_500));
    assert_eq!(a.pagato_organizzativa + a.residuo_organizzativa, Cents::new(100_000));
    assert_eq!([a.pagato_individuale, a.residuo_individuale].map(Cents::get), [60_000, 0]);
}
