//! Full recompute of every score of the metropoli (SPEC §8: < 1 s, release build).
//! `cargo bench -p traguardi-app --bench recompute`

use traguardi_app::{Actor, plan::scores, samples::metropoli};
use traguardi_domain::plan::engine::compute;
use traguardi_domain::plan::rules::ScoringRules;
use traguardi_store::plan::Dimension;

#[path = "common/backend.rs"]
mod backend;

fn main() {
    divan::main();
}

fn dimensions() -> Vec<Dimension> {
    traguardi_app::plan::dimensions::MILANO
        .iter()
        .enumerate()
        .map(|(i, (code, name, _))| Dimension { id: format!("dim-{code}"), code: (*code).into(), name: (*name).into(), position: i as i64 })
        .collect()
}

/// The engine alone: every KPI, objective, unit, dimension and the ente, in memory.
#[divan::bench(sample_count = 10)]
fn engine_in_memory(bencher: divan::Bencher) {
    let m = metropoli::generate(&traguardi_domain::cycle::CycleId("cycle".into()), dimensions());
    let rules = ScoringRules::default();
    bencher.bench(|| compute(&m.plan_data(), &rules));
}

/// What a user waits for: read the whole plan of the cycle from the database, then compute.
#[divan::bench(sample_count = 10, args = backend::backends())]
fn load_and_compute(bencher: divan::Bencher, db: &str) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = rt.block_on(async {
        let store = backend::store(db).await;
        metropoli::store(&store).await.expect("metropoli");
        store
    });
    let actor = Actor::console();
    bencher.bench(|| rt.block_on(scores::load(&store, &actor, Some("099999"), metropoli::YEAR)).expect("scores").board.kpis.len());
}
