//! Every importer, fed files with its own columns and rows of hostile cells (wrong types, huge
//! numbers, odd dates, formulas, the demo's real codes, unknown ones, text of any script), and
//! the demo's own valid files with a few cells changed, rows dropped or repeated (which reach the
//! writing), in a
//! dry run and for real (every other file) against the demo: each answer is a report or a
//! refusal saying what is wrong, never a panic and never an error of the database (which would
//! mean a check is missing).
//! `TRAGUARDI_FUZZ_CASES` / 20 files per importer (CI: a bounded run; `scripts/fuzz`: long).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use traguardi_app::pay::import_fund::FundHeader;
use traguardi_app::{
    Actor, AppError, budget::import_mapped, budget::import_pdc, budget::import_peg, cycle::import_acts, org::import_org, org::import_people,
    pay::import_absences, pay::import_evaluations, pay::import_fund, pay::import_positions, plan::import_dimensions, plan::import_dup,
    plan::import_measurements, plan::import_plan, samples::demo,
};
use traguardi_docs::ReadOptions;
use traguardi_domain::budget::mapping::Form;
use traguardi_store::ente::Ente;
use traguardi_store::{Store, testing};

fn cases() -> u32 {
    let all: u32 = std::env::var("TRAGUARDI_FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2_000);
    (all / 20).max(1)
}

/// A cell as people (and attackers) write them.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("SIAD".to_string()),
        Just("CRM".to_string()),
        Just("SAL-12".to_string()),
        Just("SAL-12-K3".to_string()),
        Just("M0001".to_string()),
        Just("direzione".to_string()),
        Just("solidale".to_string()),
        Just("dipendente".to_string()),
        Just("dirigente".to_string()),
        Just("D1".to_string()),
        Just("GC".to_string()),
        Just("MAT".to_string()),
        Just("si".to_string()),
        Just("2021-12-31".to_string()),
        Just("31/12/2021".to_string()),
        Just("2021-02-30".to_string()),
        Just("0".to_string()),
        Just("-1".to_string()),
        Just("1.000".to_string()),
        Just("12,5".to_string()),
        Just("99999999999999999999999999999999".to_string()),
        Just("1e308".to_string()),
        Just("NaN".to_string()),
        Just("=HYPERLINK(\"x\")".to_string()),
        Just("A + B * (C".to_string()),
        Just("min(prec(SAL-12-K3), 1)".to_string()),
        Just("U.1.01.01.01.001".to_string()),
        Just("1.01.01.01.001".to_string()),
        "[0-9]{1,6}",
        "[A-Z]{2,4}-[0-9]{2}",
        "\\PC{0,12}",
        "x{300,400}",
    ]
}

/// A CSV file with `header` and rows of hostile cells (quoted as CSV requires).
fn file(header: Vec<String>) -> impl Strategy<Value = String> {
    let width = header.len();
    proptest::collection::vec(proptest::collection::vec(cell(), width..=width), 0..8).prop_map(move |rows| csv_text(&header, &rows))
}

/// A valid file with a few of its first rows' cells replaced, and rows dropped or repeated.
fn mutated(seed: &'static str) -> impl Strategy<Value = String> {
    let table = traguardi_docs::read_table(seed.as_bytes(), ReadOptions::default()).expect("a demo file");
    let rows: Vec<Vec<String>> = table.rows.iter().take(20).map(|r| r.cells.clone()).collect();
    let width = table.headers.len();
    let header = table.headers;
    let edits = proptest::collection::vec((any::<prop::sample::Index>(), 0..width, cell()), 0..4);
    let shape = proptest::collection::vec((any::<prop::sample::Index>(), any::<bool>()), 0..3);
    (edits, shape).prop_map(move |(edits, shape)| {
        let mut rows = rows.clone();
        for (at, keep_twice) in shape {
            let i = at.index(rows.len());
            if keep_twice {
                rows.push(rows[i].clone())
            } else {
                rows.remove(i);
            }
            if rows.is_empty() {
                break;
            }
        }
        for (at, col, value) in edits {
            if !rows.is_empty() {
                let i = at.index(rows.len());
                rows[i][col] = value;
            }
        }
        csv_text(&header, &rows)
    })
}

fn csv_text(header: &[String], rows: &[Vec<String>]) -> String {
    let quote = |c: &String| format!("\"{}\"", c.replace('"', "\"\""));
    let mut text = header.iter().map(quote).collect::<Vec<_>>().join(",");
    for r in rows {
        text.push('\n');
        text.push_str(&r.iter().map(quote).collect::<Vec<_>>().join(","));
    }
    text.push('\n');
    text
}

fn header(required: &[&str], optional: &[&str]) -> Vec<String> {
    required.iter().chain(optional).map(|s| s.to_string()).collect()
}

/// What an importer did with a file: anything but a database error. Whether it was taken.
fn acceptable<T>(name: &str, file: &str, r: Result<T, AppError>) -> bool {
    match r {
        Err(AppError::Store(e)) => panic!("{name}: database error instead of a clear refusal: {e}\nfile:\n{file}"),
        r => r.is_ok(),
    }
}

async fn run(store: &Store, ente: &Ente, name: &str, text: &str, dry: bool) -> bool {
    let console = Actor::console();
    let b = text.as_bytes();
    let o = ReadOptions::default;
    let code = Some(demo::CODE);
    match name {
        "org" => acceptable(name, text, import_org::import_org(store, &console, ente, 2021, b, o(), dry).await),
        "people" => acceptable(name, text, import_people::import_people(store, &console, ente, 2021, b, o(), dry).await),
        "plan" => acceptable(name, text, import_plan::import_plan(store, &console, ente, 2021, b, o(), dry).await),
        "measurements" => acceptable(name, text, import_measurements::import_measurements(store, &console, ente, 2020, b, o(), dry).await),
        "dup" => acceptable(name, text, import_dup::import_dup(store, &console, ente, b, o(), dry).await),
        "pdc" => acceptable(name, text, import_pdc::import_pdc(store, &console, ente, b, o(), dry).await),
        "peg" => acceptable(name, text, import_peg::import_peg(store, &console, ente, b, o(), dry).await),
        "dimensions" => acceptable(name, text, import_dimensions::import_dimensions(store, &console, ente, b, o(), dry).await),
        "acts" => acceptable(name, text, import_acts::import_acts(store, &console, ente, b, o(), dry).await),
        "absences" => acceptable(name, text, import_absences::import_absences(store, &console, code, 2020, b, o(), dry).await),
        "evaluations" => acceptable(name, text, import_evaluations::import_evaluations(store, &console, code, 2020, b, o(), dry).await),
        "fund" => acceptable(name, text, import_fund::import_fund(store, &console, code, 2020, (b, o()), FundHeader::default(), dry).await),
        "positions" => acceptable(name, text, import_positions::import_positions(store, &console, code, 2020, (b, o()), dry).await),
        mapping => {
            let m = import_mapped::load_mapping(mapping).expect("built-in mapping");
            acceptable(name, text, import_mapped::import_mapped(store, &console, ente, &m, b, o(), dry).await)
        }
    }
}

/// The first lines of a public file in `../shared/data` (read in place), as a seed.
fn shared_seed(name: &str) -> Option<&'static str> {
    let Some(path) = traguardi_app::samples::shared_data::file(name) else {
        assert!(std::env::var("CI").is_err(), "../shared/data missing in CI");
        eprintln!("SKIP: ../shared/data/{name} absent, its importer is fuzzed from scratch only");
        return None;
    };
    let bytes = std::fs::read(path).expect("read");
    let text = String::from_utf8_lossy(&bytes);
    let head: String = text.lines().take(25).map(|l| format!("{l}\n")).collect();
    Some(Box::leak(head.into_boxed_str()))
}

/// The columns of a built-in mapping's files (any columns for a matrix, read by position).
fn mapped_header(name: &str) -> Vec<String> {
    match import_mapped::load_mapping(name).expect("mapping").form {
        Form::Righe { fields, measures } => fields.into_values().chain(measures.into_iter().map(|(_, h)| h)).collect(),
        Form::Matrice { .. } => (1..=12).map(|i| format!("colonna {i}")).collect(),
    }
}

#[test]
fn every_importer_refuses_hostile_files_clearly() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = rt.block_on(testing::sqlite()).expect("store");
    let (ente, _) = rt.block_on(demo::load(&store)).expect("demo");
    let demo = |f: &'static str| Some(f);
    let mut importers: Vec<(&str, Vec<String>, Option<&'static str>)> = vec![
        ("org", header(&import_org::REQUIRED, &import_org::OPTIONAL), demo(include_str!("../../demo/milano/struttura.csv"))),
        ("people", header(&import_people::REQUIRED, &import_people::OPTIONAL), demo(include_str!("../../demo/milano/dipendenti-2020.csv"))),
        ("plan", header(&import_plan::REQUIRED, &import_plan::OPTIONAL), demo(include_str!("../../demo/milano/piano-2021.csv"))),
        ("measurements", header(&import_measurements::REQUIRED, &import_measurements::OPTIONAL), demo(include_str!("../../demo/milano/misure-2020.csv"))),
        ("dup", header(&import_dup::REQUIRED, &import_dup::OPTIONAL), demo(include_str!("../../demo/milano/dup-innovazione.csv"))),
        ("pdc", header(&import_pdc::REQUIRED, &import_pdc::OPTIONAL), shared_seed(traguardi_app::samples::shared_data::SIOPE_PDC)),
        ("peg", header(&import_peg::REQUIRED, &import_peg::OPTIONAL), demo(include_str!("../../demo/milano/peg-cdr222.csv"))),
        ("dimensions", header(&import_dimensions::REQUIRED, &[]), demo(include_str!("../../demo/milano/milano_2020_dimensioni.csv"))),
        ("acts", header(&import_acts::REQUIRED, &import_acts::OPTIONAL), demo(include_str!("../../demo/milano/atti.csv"))),
        ("absences", header(&import_absences::REQUIRED, &[]), demo(include_str!("../../demo/milano/assenze-2020.csv"))),
        ("evaluations", header(&import_evaluations::REQUIRED, &import_evaluations::OPTIONAL), demo(include_str!("../../demo/milano/valutazioni-2020.csv"))),
        ("fund", header(&import_fund::REQUIRED, &import_fund::OPTIONAL), demo(include_str!("../../demo/milano/fondo-2020.csv"))),
        ("positions", header(&import_positions::REQUIRED, &[]), demo(include_str!("../../demo/milano/posizioni-2020.csv"))),
    ];
    for (name, seed) in [
        ("rendiconto-spese-missioni", "torino_2019_rendiconto_spese_missione_macroaggregato.csv"),
        ("rendiconto-entrate-tipologie", "torino_2019_rendiconto_entrate_titolo_tipologia.csv"),
        ("stato-bilancio-capitoli", "stato_2018_legge_bilancio_spese_capitolo.csv"),
        ("stato-rendiconto-capitoli", "stato_2017_rendiconto_spese_capitolo.csv"),
    ] {
        importers.push((name, mapped_header(name), shared_seed(seed)));
    }
    assert_eq!(importers.len(), 13 + import_mapped::BUILT_IN.len(), "every built-in mapping is fuzzed");
    let mut total = 0u64;
    for (name, columns, seed) in importers {
        let files = match seed {
            Some(seed) => prop_oneof![file(columns), mutated(seed)].boxed(),
            None => file(columns).boxed(),
        };
        let mut runner = TestRunner::new(Config { cases: cases(), failure_persistence: None, ..Config::default() });
        let (ran, taken) = (std::sync::atomic::AtomicU64::new(0), std::sync::atomic::AtomicU64::new(0));
        runner
            .run(&files, |text| {
                let n = ran.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if rt.block_on(run(&store, &ente, name, &text, n % 2 == 1)) {
                    taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("import {name}: {e}"));
        let ran = ran.into_inner();
        eprintln!("fuzz import {name}: {ran} files ({} taken, the others refused with their problems), 0 panics, 0 database errors", taken.into_inner());
        total += ran;
    }
    eprintln!("fuzz importers: {total} files in all");
}
