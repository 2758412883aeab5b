//! Every parser of text that users write, fed arbitrary and near-valid input: formulas (parsed,
//! evaluated, renamed), rules files, budget mappings, numbers, amounts, dates and codes. A panic
//! fails the test; every other answer (a value or a refusal) is fine. `TRAGUARDI_FUZZ_CASES`
//! sets the cases per target (CI runs a bounded number, `scripts/fuzz` a long campaign).

use proptest::prelude::*;
use rust_decimal::Decimal;
use traguardi_domain::budget::mapping::Mapping;
use traguardi_domain::budget::parse_euro;
use traguardi_domain::budget::pdc::PdcCode;
use traguardi_domain::pay::rules::PayRules;
use traguardi_domain::plan::formula::{self, When};
use traguardi_domain::plan::kpi::{Measure, Value};
use traguardi_domain::plan::rules::ScoringRules;
use traguardi_domain::value::{NumberStyle, parse_date, parse_number, parse_percent};

#[path = "support/fuzz.rs"]
mod support;
use support::fuzz;

/// Text made of the pieces a formula is made of, in any order: it reaches deep into the parser
/// more often than random bytes.
fn formula_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("(".to_string()),
        Just(")".to_string()),
        Just("+".to_string()),
        Just("-".to_string()),
        Just("*".to_string()),
        Just("/".to_string()),
        Just(",".to_string()),
        Just(" ".to_string()),
        Just("min(".to_string()),
        Just("max(".to_string()),
        Just("prec(".to_string()),
        Just("anno_prec(".to_string()),
        Just("[K@CRM]".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("SAL-12-K3".to_string()),
        Just("A.B_1".to_string()),
        "[0-9]{1,30}(\\.[0-9]{0,30})?",
        Just("79228162514264337593543950335".to_string()),
        Just("0.0000000000000000000000000001".to_string()),
        "\\PC{0,3}",
    ];
    proptest::collection::vec(piece, 0..80).prop_map(|v| v.concat())
}

/// `chiave = valore` lines of a rules file, with known and unknown keys and odd values.
fn rules_soup() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("contratto"),
        Just("premi.ruoli"),
        Just("dirigenti.ruoli"),
        Just("assenze.tutelate"),
        Just("assenze.riducono"),
        Just("fasce"),
        Just("quota_individuale"),
        Just("maggiorazione"),
        Just("arrotondamento"),
        Just("tetto"),
        Just("semaforo.verde"),
        Just("pesi.dimensioni"),
        Just("sconosciuta"),
        Just("[sezione]"),
    ];
    let value = prop_oneof![
        "[0-9]{0,25}([.,][0-9]{0,25})?%?",
        "-?[0-9]{1,4}",
        Just("2019-2021".to_string()),
        Just("MAT, PAT, PAR".to_string()),
        Just("dipendente, po_eq".to_string()),
        Just("0-60:0, 60-80:50, 80-100:100".to_string()),
        Just("half_up".to_string()),
        "\\PC{0,20}",
    ];
    proptest::collection::vec((key, prop_oneof![Just(" = "), Just("="), Just(":"), Just("")], value), 0..25)
        .prop_map(|lines| lines.into_iter().map(|(k, s, v)| format!("{k}{s}{v}\n")).collect())
}

#[test]
fn formulas() {
    let value = |code: &str, when: When| -> Option<Decimal> {
        match (code.len() % 4, when) {
            (0, _) => None,
            (1, _) => Some(Decimal::ZERO),
            (2, When::PreviousYear) => Some(Decimal::MAX),
            _ => Some(Decimal::new(-12345, 2)),
        }
    };
    let check = |text: String| {
        if let Ok(e) = formula::parse(&text) {
            let _ = e.eval(&value);
            let _ = e.refs();
            let renamed = e.map_refs(&|c| Some(format!("{c}_x")));
            let _ = renamed.eval(&value);
        }
    };
    fuzz("formula (any text)", any::<String>(), check);
    fuzz("formula (pieces of formulas)", formula_soup(), check);
}

#[test]
fn rules_files() {
    fuzz("pay rules", prop_oneof![rules_soup(), any::<String>()], |text| {
        let _ = PayRules::parse(&text, 2020);
        let _ = PayRules::parse(&text, 2024);
    });
    fuzz("scoring rules", prop_oneof![rules_soup(), any::<String>()], |text| {
        let _ = ScoringRules::parse(&text);
    });
    fuzz("budget mapping", prop_oneof![rules_soup(), any::<String>()], |text| {
        let _ = Mapping::parse("prova", &text);
    });
}

#[test]
fn values_and_codes() {
    let number = prop_oneof!["[-+ ]?[0-9.,' ]{0,40}(%|€|e[0-9]{1,3})?", any::<String>()];
    fuzz("numbers, amounts, percentages, dates", number, |s| {
        for style in [NumberStyle::It, NumberStyle::En] {
            let _ = parse_number(&s, style);
            let _ = parse_percent(&s, style);
            let _ = parse_euro(&s, style);
            for m in Measure::ALL {
                let _ = Value::parse(*m, &s, style);
            }
        }
        let _ = NumberStyle::typed(&s);
        let _ = parse_date(&s);
        let _ = PdcCode::parse(&s);
    });
}
