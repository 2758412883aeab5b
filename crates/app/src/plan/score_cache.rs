//! The scores of cycles kept between requests, for the pages and the API.
//!
//! Every change of an ente's data writes the ente's audit trail in the same transaction, so the
//! number of the ente's last audit record says whether anything of that ente changed since one
//! of its cycles was computed; then the cycle is read and computed again. A change in one ente
//! never empties another's scores. (Per ente rather than per cycle: a KPI's formula may read the
//! year before.) Each cycle has its own lock, held while it is computed — many requests after a
//! change compute it once — and no lock is shared between enti, so different enti are computed
//! side by side. (The close's check and the premi always read afresh.)
//!
//! The cache is bounded by memory. Each cycle keeps two things: its whole plan with the scores,
//! which most pages read, and the dashboard's summary, a few hundredths of that. Past the budget
//! the plans of the cycles used least recently are dropped first, and their summaries only when
//! no plan is left to drop: an installation of thousands of comuni keeps every dashboard while
//! the plans of the enti in use come and go.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use traguardi_domain::said;

use traguardi_store::Store;

use crate::accounts::access::Right;
use crate::plan::dashboard::{self, Summary};
use crate::plan::scores::{CycleScores, load};
use crate::{Actor, AppError};

/// The default memory budget (`TRAGUARDI_SCORES_CACHE_MB`).
pub const DEFAULT_BUDGET_MB: usize = 256;

#[derive(Clone)]
pub struct Cache {
    inner: Arc<Inner>,
}

struct Inner {
    /// Each cycle's slot; the map's lock is held only to find or drop a slot.
    slots: std::sync::Mutex<HashMap<CycleKey, Arc<Slot>>>,
    /// The memory and last use of what each cycle keeps, to stay within the budget.
    kept: std::sync::Mutex<HashMap<CycleKey, Footprint>>,
    budget_bytes: usize,
    uses: AtomicU64,
    recomputed: AtomicU64,
    recompute_micros: AtomicU64,
}

/// An ente's code and a year.
type CycleKey = (String, i32);

struct Slot {
    /// Held while the cycle is read and computed, so that the requests waiting for it compute it
    /// once. The state below is locked only for a moment, never across an await.
    computing: tokio::sync::Mutex<()>,
    state: std::sync::Mutex<Option<Computed>>,
}

/// The ente's last audit record when the cycle was computed, its plan with the scores (until
/// the budget drops it), and the dashboard's summary.
struct Computed {
    version: i64,
    plan: Option<Arc<CycleScores>>,
    summary: Arc<Summary>,
}

/// What the cache holds: the cycles (computed, or being computed), how many of them keep their
/// whole plan (the others only their summary), and the memory of the plans and of the summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub cycles: usize,
    pub plans: usize,
    pub plan_bytes: usize,
    pub summary_bytes: usize,
}

/// The bytes of a cycle's plan (0 once dropped) and of its summary, and its last use.
#[derive(Clone, Copy)]
struct Footprint {
    plan: usize,
    summary: usize,
    used: u64,
}

impl Default for Cache {
    fn default() -> Self {
        Cache::with_budget(DEFAULT_BUDGET_MB * 1024 * 1024)
    }
}

impl Cache {
    /// A cache keeping at most about `budget_bytes` of plans and summaries (see `memory`).
    pub fn with_budget(budget_bytes: usize) -> Cache {
        Cache {
            inner: Arc::new(Inner {
                slots: std::sync::Mutex::default(),
                kept: std::sync::Mutex::default(),
                budget_bytes,
                uses: AtomicU64::new(0),
                recomputed: AtomicU64::new(0),
                recompute_micros: AtomicU64::new(0),
            }),
        }
    }

    /// The cycle's plan with its scores.
    pub async fn load(&self, store: &Store, actor: &Actor, ente_code: &str, year: i32) -> Result<Arc<CycleScores>, AppError> {
        self.get(store, actor, ente_code, year, |c| c.plan.clone()).await
    }

    /// What the dashboard shows of the cycle: computed with the plan, and kept after it.
    pub async fn summary(&self, store: &Store, actor: &Actor, ente_code: &str, year: i32) -> Result<Arc<Summary>, AppError> {
        self.get(store, actor, ente_code, year, |c| Some(c.summary.clone())).await
    }

    #[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
    async fn get<T>(&self, store: &Store, actor: &Actor, ente_code: &str, year: i32, pick: fn(&Computed) -> Option<T>) -> Result<T, AppError> {
        actor.require(Right::ReadOrg, said!("leggere il piano"))?;
        let key = (ente_code.trim().to_string(), year);
        // An unknown ente reads 0 here, and is refused by the computation below.
        let version = traguardi_store::audit::last_seq_of_ente_code(&mut *store.acquire().await?, &key.0).await?;
        let slot = lock(&self.inner.slots)
            .entry(key.clone())
            .or_insert_with(|| Arc::new(Slot { computing: tokio::sync::Mutex::new(()), state: std::sync::Mutex::new(None) }))
            .clone();
        if let Some(found) = slot.fresh(version, pick) {
            self.touch(&key);
            return Ok(found);
        }
        let computing = slot.computing.lock().await;
        // Computed by another request while this one waited.
        if let Some(found) = slot.fresh(version, pick) {
            self.touch(&key);
            return Ok(found);
        }
        let started = std::time::Instant::now();
        let plan = match load(store, actor, Some(ente_code), year).await {
            Ok(plan) => Arc::new(plan),
            Err(e) => {
                // Nothing to keep (an unknown ente or year, say): the slot goes, so that requests
                // for cycles that do not exist never fill the map.
                drop(computing);
                let mut slots = lock(&self.inner.slots);
                if Arc::strong_count(&slot) == 2 && lock(&slot.state).is_none() && slots.get(&key).is_some_and(|s| Arc::ptr_eq(s, &slot)) {
                    slots.remove(&key);
                }
                return Err(e);
            }
        };
        let summary = Arc::new(dashboard::summary(&plan));
        self.inner.recomputed.fetch_add(1, Relaxed);
        self.inner.recompute_micros.fetch_add(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX), Relaxed);
        let footprint = Footprint { plan: memory(&*plan), summary: memory(&*summary), used: 0 };
        let computed = Computed { version, plan: Some(plan), summary };
        let found = pick(&computed).expect("a cycle just computed has its plan and its summary");
        *lock(&slot.state) = Some(computed);
        drop(computing);
        self.keep(key, footprint);
        Ok(found)
    }

    /// How many cycles were computed since the start, and the microseconds spent on them.
    pub fn recomputed(&self) -> (u64, u64) {
        (self.inner.recomputed.load(Relaxed), self.inner.recompute_micros.load(Relaxed))
    }

    /// What is held now.
    pub fn kept(&self) -> Held {
        let cycles = lock(&self.inner.slots).len();
        let kept = lock(&self.inner.kept);
        let f = kept.values();
        Held { cycles, plans: f.clone().filter(|f| f.plan > 0).count(), plan_bytes: f.clone().map(|f| f.plan).sum(), summary_bytes: f.map(|f| f.summary).sum() }
    }

    fn touch(&self, key: &CycleKey) {
        let now = self.inner.uses.fetch_add(1, Relaxed);
        if let Some(entry) = lock(&self.inner.kept).get_mut(key) {
            entry.used = now;
        }
    }

    /// Records a cycle just computed, then, while the total is over the budget, drops the plan
    /// of the cycle used least recently, or its summary with the slot when no other plan is
    /// left (the cycle just computed stays, even alone over the budget).
    fn keep(&self, key: CycleKey, mut footprint: Footprint) {
        footprint.used = self.inner.uses.fetch_add(1, Relaxed);
        let mut cycles = lock(&self.inner.kept);
        cycles.insert(key.clone(), footprint);
        let mut total: usize = cycles.values().map(|f| f.plan + f.summary).sum();
        while total > self.inner.budget_bytes {
            let oldest =
                |with_plan: bool| cycles.iter().filter(|(k, f)| **k != key && (!with_plan || f.plan > 0)).min_by_key(|(_, f)| f.used).map(|(k, _)| k.clone());
            if let Some(k) = oldest(true) {
                if let Some(slot) = lock(&self.inner.slots).get(&k).cloned()
                    && let Some(c) = lock(&slot.state).as_mut()
                {
                    c.plan = None;
                }
                if let Some(f) = cycles.get_mut(&k) {
                    total -= f.plan;
                    f.plan = 0;
                }
            } else if let Some(k) = oldest(false) {
                lock(&self.inner.slots).remove(&k);
                if let Some(f) = cycles.remove(&k) {
                    total -= f.plan + f.summary;
                }
            } else {
                break;
            }
        }
    }
}

impl Slot {
    /// What `pick` takes of the cycle, if computed at `version` and still kept.
    fn fresh<T>(&self, version: i64, pick: fn(&Computed) -> Option<T>) -> Option<T> {
        lock(&self.state).as_ref().filter(|c| c.version == version).and_then(pick)
    }
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The memory a kept value takes, estimated as 3/2 of its size as JSON, counted without
/// allocating. (Measured with a counting allocator on a synthetic comune's plan: 83,997 bytes of
/// JSON took 104,152 bytes in 1,593 allocations, each with its allocator's header — about 1.5×;
/// ids and numbers are shorter in memory than in JSON, lists and strings longer.)
pub fn memory<T: serde::Serialize>(value: &T) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Count(0);
    // Serialising our own plain structs cannot fail.
    let _ = serde_json::to_writer(&mut c, value);
    c.0 * 3 / 2
}
