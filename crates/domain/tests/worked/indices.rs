//! ROS, ROD and ROE on the worked ente.

use rust_decimal::Decimal;
use traguardi_domain::pay::rules::PayRules;
use traguardi_domain::plan::indices::{Index, Indices};

use crate::ente::{YEAR, dec, plan};

fn value(i: Option<&Index>) -> Option<Decimal> {
    i.and_then(Index::value)
}

#[test]
fn each_index_from_its_dimensions_with_the_nearest_ros_above() {
    let p = plan();
    let board = p.board();
    let i = Indices::compute(&p.scored(&board), &PayRules::for_year(YEAR));
    // ROE: the top-level objectives of the dimension solidale: O4 = 90.
    assert_eq!(value(i.roe.as_ref()), Some(dec("90")));
    assert_eq!(i.roe.as_ref().map(|r| r.unit_name.as_str()), Some("Comune di Prova"));
    // ROS: each unit's own objectives, every dimension: D1 = O1 = 87,5; S1 = O2 = 90;
    // D2 = O3 = 50; S2 has none.
    assert_eq!(value(i.ros.get("u-D1")), Some(dec("87.5")));
    assert_eq!(value(i.ros.get("u-S1")), Some(dec("90")));
    assert_eq!(value(i.ros.get("u-D2")), Some(dec("50")));
    assert!(!i.ros.contains_key("u-S2"));
    // ROD: a Direzione's own top-level objectives of the dimension direzione (not its units'):
    // D1 = O1 = 87,5 (not the 88,5 of its result); D2 = 50.
    assert_eq!(value(i.rod.get("u-D1")), Some(dec("87.5")));
    assert_eq!(value(i.rod.get("u-D2")), Some(dec("50")));
    assert_eq!(i.rod.len(), 2);
    // S2 has no ROS of its own: it takes that of the nearest unit above with one, D1.
    let by_unit = i.by_unit(&p.units);
    let s2 = by_unit["u-S2"];
    assert_eq!((value(s2.ros), s2.ros.map(|r| r.unit_code.as_str())), (Some(dec("87.5")), Some("D1")));
    assert_eq!((value(s2.rod), s2.direzione), (Some(dec("87.5")), "D1"));
    assert_eq!(by_unit["u-S1"].direzione, "D1");
}

#[test]
fn the_dimensions_of_each_index_come_from_the_rules() {
    let p = plan();
    let board = p.board();
    let mut rules = PayRules::for_year(YEAR);
    // ROE of every dimension: (87,5 × 60 + 90 × 40 + 50 × 100 + 90 × 1) / 201 = 13.940 / 201.
    rules.roe_dimensions = vec![];
    // ROS of the dimension solidale only: no unit has one.
    rules.ros_dimensions = vec!["solidale".into()];
    let i = Indices::compute(&p.scored(&board), &rules);
    assert_eq!(value(i.roe.as_ref()), Some(Decimal::from(13_940) / Decimal::from(201)));
    assert!(i.ros.is_empty());
}
