//! The documents of a cycle (issue figures: the Piano and the Relazione of the metropoli under
//! 30 s each, goal 5 s; of the demo under 3 s), release build: the data read and scored, then
//! typeset as PDF/A. `cargo bench -p traguardi-app --bench documents`

use traguardi_app::documents::{piano, relazione};
use traguardi_app::{Actor, samples::demo, samples::demo_years, samples::metropoli};
use traguardi_pdf::Template;
use traguardi_store::Store;

#[path = "common/backend.rs"]
mod backend;

fn main() {
    divan::main();
}

fn store(rt: &tokio::runtime::Runtime, db: &str, metropolis: bool) -> Store {
    rt.block_on(async {
        let store = backend::store(db).await;
        if metropolis {
            metropoli::store(&store).await.expect("metropoli");
        } else {
            // The demo as `traguardi demo` leaves it: 2020 finished, so its Relazione is whole.
            let (ente, _) = demo::load(&store).await.expect("demo");
            demo_years::finish(&store, &ente).await.expect("finished year");
        }
        store
    })
}

fn piano_pdf(rt: &tokio::runtime::Runtime, store: &Store, ente: &str, year: i32) -> usize {
    let p = rt.block_on(piano::build(store, &Actor::console(), Some(ente), year)).expect("piano");
    traguardi_pdf::render(Template::Piano, &p.printable()).expect("pdf").len()
}

fn relazione_pdf(rt: &tokio::runtime::Runtime, store: &Store, ente: &str, year: i32) -> usize {
    let r = rt.block_on(relazione::build(store, &Actor::console(), Some(ente), year)).expect("relazione");
    traguardi_pdf::render(Template::Relazione, &r.printable()).expect("pdf").len()
}

#[divan::bench(sample_count = 3, args = backend::backends())]
fn piano_metropoli(bencher: divan::Bencher, db: &str) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = store(&rt, db, true);
    bencher.bench(|| piano_pdf(&rt, &store, metropoli::CODE, metropoli::YEAR));
}

#[divan::bench(sample_count = 3, args = backend::backends())]
fn relazione_metropoli(bencher: divan::Bencher, db: &str) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = store(&rt, db, true);
    bencher.bench(|| relazione_pdf(&rt, &store, metropoli::CODE, metropoli::YEAR));
}

#[divan::bench(sample_count = 5, args = backend::backends())]
fn piano_demo(bencher: divan::Bencher, db: &str) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = store(&rt, db, false);
    bencher.bench(|| piano_pdf(&rt, &store, demo::CODE, 2020));
}

#[divan::bench(sample_count = 5, args = backend::backends())]
fn relazione_demo(bencher: divan::Bencher, db: &str) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = store(&rt, db, false);
    bencher.bench(|| relazione_pdf(&rt, &store, demo::CODE, 2020));
}
