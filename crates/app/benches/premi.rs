//! The premi of the metropoli's 15,000 staff (SPEC §8: scores, ROS/ROD/ROE and payout in < 1 s,
//! release build). `cargo bench -p traguardi-app --bench premi`

use std::collections::BTreeMap;

use traguardi_app::pay::payouts::PayContext;
use traguardi_app::{Actor, samples::metropoli};
use traguardi_domain::plan::engine::{PlanData, compute};
use traguardi_store::testing;

#[path = "common/backend.rs"]
mod backend;

fn main() {
    divan::main();
}

/// Indices and the allocation of both pools to the cent, on data already read.
#[divan::bench(sample_count = 10)]
fn indices_and_allocation(bencher: divan::Bencher) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let ctx = rt.block_on(async {
        let store = testing::sqlite().await.expect("sqlite");
        metropoli::store(&store).await.expect("metropoli");
        PayContext::load(&store, &Actor::console(), Some("099999"), metropoli::YEAR).await.expect("context")
    });
    let none = BTreeMap::new();
    bencher.bench(|| ctx.allocate(&ctx.rules, &none).persone.len());
}

/// The whole recompute in memory: every score of the plan, the indices, the allocation of both
/// pools and the managers' result pay (SPEC §8: < 1 s).
#[divan::bench(sample_count = 10)]
fn scores_indices_and_allocation(bencher: divan::Bencher) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let mut ctx = rt.block_on(async {
        let store = testing::sqlite().await.expect("sqlite");
        metropoli::store(&store).await.expect("metropoli");
        PayContext::load(&store, &Actor::console(), Some("099999"), metropoli::YEAR).await.expect("context")
    });
    let none = BTreeMap::new();
    bencher.bench_local(|| {
        let s = &ctx.scores;
        let data = PlanData {
            year: metropoli::YEAR,
            units: &s.units,
            dimensions: &s.dimensions,
            objectives: &s.objectives,
            kpis: &s.kpis,
            targets: &s.targets,
            values: &s.values,
            previous_year: None,
        };
        let board = compute(&data, &s.rules);
        std::sync::Arc::make_mut(&mut ctx.scores).board = board;
        ctx.allocate(&ctx.rules, &none).persone.len()
    });
}

/// What the payroll officer waits for: the plan, the staff, evaluations, absences and fund read
/// from the database, every score computed, then the indices and the allocation.
#[divan::bench(sample_count = 10, args = backend::backends())]
fn load_score_and_allocate(bencher: divan::Bencher, db: &str) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = rt.block_on(async {
        let store = backend::store(db).await;
        metropoli::store(&store).await.expect("metropoli");
        store
    });
    let actor = Actor::console();
    let none = BTreeMap::new();
    bencher.bench(|| {
        let ctx = rt.block_on(PayContext::load(&store, &actor, Some("099999"), metropoli::YEAR)).expect("context");
        ctx.allocate(&ctx.rules, &none).persone.len()
    });
}

/// What the premi's page waits for: the plan's scores kept in memory by the server (computed at
/// the first request after a change), the staff, evaluations, absences and funds read from
/// the database, then the indices and the allocation.
#[divan::bench(sample_count = 10, args = backend::backends())]
fn kept_scores_read_staff_and_allocate(bencher: divan::Bencher, db: &str) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (store, cache) = rt.block_on(async {
        let store = backend::store(db).await;
        metropoli::store(&store).await.expect("metropoli");
        let cache = traguardi_app::plan::score_cache::Cache::with_budget(256 * 1024 * 1024);
        // Computed at the first request after a change; the page's later requests find them.
        cache.load(&store, &Actor::console(), "099999", metropoli::YEAR).await.expect("scores");
        (store, cache)
    });
    let actor = Actor::console();
    let none = BTreeMap::new();
    bencher.bench(|| {
        let ctx = rt.block_on(async {
            let scores = cache.load(&store, &actor, "099999", metropoli::YEAR).await.expect("scores");
            PayContext::with_scores(&store, &actor, scores).await.expect("context")
        });
        ctx.allocate(&ctx.rules, &none).persone.len()
    });
}

/// Reading alone: the plan's scores, the staff, evaluations, absences and funds from the database.
#[divan::bench(sample_count = 10, args = backend::backends())]
fn load(bencher: divan::Bencher, db: &str) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = rt.block_on(async {
        let store = backend::store(db).await;
        metropoli::store(&store).await.expect("metropoli");
        store
    });
    let actor = Actor::console();
    bencher.bench(|| rt.block_on(PayContext::load(&store, &actor, Some("099999"), metropoli::YEAR)).expect("context").people.len());
}
