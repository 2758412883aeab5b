//! The budget figures of SPEC §8, release build: importing 50,000 PEG lines with full validation
//! (< 5 s) and the REPORT COMMISSIONI of one Direzione (< 2 s, data and PDF).
//! `cargo bench -p traguardi-app --bench budget`

use traguardi_app::budget::commissioni::{self, Scope};
use traguardi_app::{Actor, budget::import_pdc, budget::import_peg, samples::metropoli};
use traguardi_docs::ReadOptions;
use traguardi_domain::ente::EnteCode;
use traguardi_store::{Store, ente};

#[path = "common/backend.rs"]
mod backend;

fn main() {
    divan::main();
}

fn setup(rt: &tokio::runtime::Runtime, db: &str) -> (Store, traguardi_store::ente::Ente) {
    rt.block_on(async {
        let store = backend::store(db).await;
        metropoli::store(&store).await.expect("metropoli");
        let ente = {
            let mut c = store.acquire().await.expect("conn");
            ente::by_code(&mut c, &EnteCode::parse("099999").expect("code")).await.expect("ente").expect("metropoli")
        };
        import_pdc::import_pdc(&store, &Actor::console(), &ente, metropoli::pdc_csv().as_bytes(), ReadOptions::default(), false).await.expect("pdc");
        (store, ente)
    })
}

/// 50,000 lines, every one checked (CdR, code against the glossary, Missione and Programma,
/// amounts, duplicates), then written in one transaction replacing the previous import.
#[divan::bench(sample_count = 5, args = backend::backends())]
fn import_50000_lines(bencher: divan::Bencher, db: &str) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (store, ente) = setup(&rt, db);
    let file = metropoli::peg_csv();
    let actor = Actor::console();
    bencher.bench(|| {
        let r = rt.block_on(import_peg::import_peg(&store, &actor, &ente, file.as_bytes(), ReadOptions::default(), false)).expect("imports");
        assert_eq!(r.imported.iter().map(|y| y.lines).sum::<usize>(), metropoli::PEG_LINES);
    });
}

/// The report of one Direzione (its 7 CdR, three years) as data, then typeset as PDF.
#[divan::bench(sample_count = 5, args = backend::backends())]
fn report_one_direzione_pdf(bencher: divan::Bencher, db: &str) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (store, ente) = setup(&rt, db);
    let actor = Actor::console();
    rt.block_on(import_peg::import_peg(&store, &actor, &ente, metropoli::peg_csv().as_bytes(), ReadOptions::default(), false)).expect("imports");
    bencher.bench(|| {
        let report = rt.block_on(commissioni::build(&store, &actor, &ente, metropoli::YEAR, &Scope::Direzione("D07".into()))).expect("report");
        traguardi_pdf::render(traguardi_pdf::Template::Commissioni, &report.printable()).expect("pdf").len()
    });
}
