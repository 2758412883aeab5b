//! The managers' result pay on the worked ente: bases D1 10.000,00 €, D2 20.000,00 €,
//! S1 7.300,00 €; weights results 60, behaviours 30, differentiation 10; a standard deviation
//! of 10 counts as full differentiation; the art. 30 minimum for the best 10% (at least one)
//! is the average of the positively evaluated plus 30%; charges 23,8% and IRAP 8,5%.

use crate::ente::{dec, staff};
use crate::premi::run;
use traguardi_domain::money::Cents;

#[test]
fn each_managers_score_and_pay_worked_by_hand() {
    let a = run(&staff());
    let m = &a.dirigenti;
    let who: Vec<(&str, Option<rust_decimal::Decimal>)> = m.dirigenti.iter().map(|x| (x.matricola.as_str(), x.punteggio)).collect();
    // 003: the conciliated 95.
    // 005, direttore of D2: results = the ROD of D2, 50; behaviours 80; differentiation drops
    // out (one evaluated, 002): (50 × 60 + 80 × 30) / 90 = 60.
    // 006, dirigente of S1: results = the ROS of S1, 90; behaviours 100; the scores given, 84
    // and 50, have a standard deviation of 17: 17 / 10 → 100 (at most):
    // (90 × 60 + 100 × 30 + 100 × 10) / 100 = 94.
    assert_eq!(who, [("003", Some(dec("95"))), ("005", Some(dec("60"))), ("006", Some(dec("94")))]);
    assert_eq!(m.dirigenti[2].differenziazione, Some(dec("100")));
    // Rows: base × days / 365 × score / 100:
    // 003 in D1 from 01/08: 10.000 × 153 / 365 × 0,95 = 3.982,19… → 3.982,19 € (the 212 days
    // before are paid by the premi: 212 + 153 = 365, each day once);
    // 005: 20.000 × 0,60 = 12.000,00 €; 006: 7.300 × 0,94 = 6.862,00 €.
    let rows: Vec<(&str, i64, i64)> = m.righe.iter().map(|r| (r.matricola.as_str(), r.giorni, r.importo.get())).collect();
    assert_eq!(rows, [("003", 153, 398_219), ("005", 365, 1_200_000), ("006", 365, 686_200)]);
    // Art. 30: average (3.982,19 + 12.000 + 6.862) / 3 = 7.614,73 €; + 30% = 9.899,149 →
    // 9.899,15 € rounded up. The best, 003 (95), is raised to it: 5.916,96 € more.
    let uplifts: Vec<(i64, i64)> = m.dirigenti.iter().map(|x| (x.maggiorazione.get(), x.totale.get())).collect();
    assert_eq!(uplifts, [(591_696, 989_915), (0, 1_200_000), (0, 686_200)]);
    // Totals: 28.761,15 €; charges 23,8% = 6.845,1537 → 6.845,15 €; IRAP 8,5% = 2.444,69775
    // → 2.444,70 € (half-up).
    assert_eq!([m.totale, m.contributi, m.irap, m.totale_complessivo].map(Cents::get), [2_876_115, 684_515, 244_470, 3_805_100]);
    assert!(m.posizioni_mancanti.is_empty());
}

#[test]
fn a_post_without_a_base_is_named_and_paid_nothing() {
    let mut s = staff();
    s.positions.remove("u-D2");
    let a = run(&s);
    assert_eq!(a.dirigenti.posizioni_mancanti, ["D2"]);
    let gialli = a.dirigenti.dirigenti.iter().find(|x| x.matricola == "005").expect("005");
    assert_eq!(gialli.totale, Cents::ZERO);
}

#[test]
fn a_score_below_the_minimum_pays_nothing() {
    let mut s = staff();
    // 005's behaviours 50: (50 × 60 + 50 × 30) / 90 = 50 < 60.
    s.evaluations[4].behaviours = Some(dec("50"));
    let a = run(&s);
    let gialli = a.dirigenti.dirigenti.iter().find(|x| x.matricola == "005").expect("005");
    assert_eq!((gialli.punteggio, gialli.positiva, gialli.totale), (Some(dec("50")), false, Cents::ZERO));
}
