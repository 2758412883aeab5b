//! What the fuzz targets of every crate share (included by path from the other crates'
//! tests): how many cases to run, and a runner that counts them.

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestRunner};

/// Cases per target: `TRAGUARDI_FUZZ_CASES`, 2,000 by default (the bounded run of `cargo test`).
pub fn cases() -> u32 {
    std::env::var("TRAGUARDI_FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2_000)
}

/// Runs `check` on `cases()` inputs of `strategy`; prints how many ran.
pub fn fuzz<S: Strategy>(name: &str, strategy: S, check: impl Fn(S::Value)) {
    let mut runner = TestRunner::new(Config { cases: cases(), failure_persistence: None, ..Config::default() });
    let ran = std::sync::atomic::AtomicU64::new(0);
    runner
        .run(&strategy, |input| {
            ran.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            check(input);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    eprintln!("fuzz {name}: {} cases, 0 panics", ran.into_inner());
}
