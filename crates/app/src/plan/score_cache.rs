//! The scores of cycles kept between requests, for the pages and the API.
//!
//! Every change of an ente's data writes the ente's audit trail in the same transaction, so the
//! number of the ente's last audit record says whether anything of that ente changed since one
//! of its cycles was computed; then the cycle is read and computed again. A change in one ente
//! never empties another's scores. (Per ente rather than per cycle: a KPI's formula may read the
//! year before.) Each cycle has its own lock, held while it is computed — many requests after a
//! change compute it once — and no lock is shared between enti, so different enti are computed
//! side by side. The cache is bounded by memory: past the budget the cycles used least recently
//! are dropped. (The close's check and the premi always read afresh.)

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use traguardi_domain::said;

use traguardi_store::Store;

use crate::accounts::access::Right;
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
    slots: std::sync::Mutex<HashMap<CycleKey, Arc<tokio::sync::Mutex<Option<Computed>>>>>,
    /// The size and last use of each cycle kept, to stay within the budget.
    kept: std::sync::Mutex<HashMap<CycleKey, (usize, u64)>>,
    budget_bytes: usize,
    uses: AtomicU64,
    recomputed: AtomicU64,
    recompute_micros: AtomicU64,
}

/// An ente's code and a year.
type CycleKey = (String, i32);

/// The ente's last audit record when the cycle was computed, and its scores.
struct Computed {
    version: i64,
    scores: Arc<CycleScores>,
}

impl Default for Cache {
    fn default() -> Self {
        Cache::with_budget(DEFAULT_BUDGET_MB * 1024 * 1024)
    }
}

impl Cache {
    /// A cache keeping at most about `budget_bytes` of scores (measured as their JSON size).
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

    #[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
    pub async fn load(&self, store: &Store, actor: &Actor, ente_code: &str, year: i32) -> Result<Arc<CycleScores>, AppError> {
        actor.require(Right::ReadOrg, said!("leggere il piano"))?;
        let key = (ente_code.trim().to_string(), year);
        // An unknown ente reads 0 here, and is refused by the computation below.
        let version = traguardi_store::audit::last_seq_of_ente_code(&mut *store.acquire().await?, &key.0).await?;
        let slot = lock(&self.inner.slots).entry(key.clone()).or_default().clone();
        let mut computed = slot.lock().await;
        if let Some(c) = computed.as_ref().filter(|c| c.version == version) {
            self.touch(&key);
            return Ok(c.scores.clone());
        }
        let started = std::time::Instant::now();
        let scores = match load(store, actor, Some(ente_code), year).await {
            Ok(scores) => Arc::new(scores),
            Err(e) => {
                // Nothing to keep (an unknown ente or year, say): the slot goes, so that requests
                // for cycles that do not exist never fill the map.
                drop(computed);
                let mut slots = lock(&self.inner.slots);
                if Arc::strong_count(&slot) == 2 && slots.get(&key).is_some_and(|s| Arc::ptr_eq(s, &slot)) {
                    slots.remove(&key);
                }
                return Err(e);
            }
        };
        self.inner.recomputed.fetch_add(1, Relaxed);
        self.inner.recompute_micros.fetch_add(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX), Relaxed);
        *computed = Some(Computed { version, scores: scores.clone() });
        drop(computed);
        self.keep(key, json_size(&scores));
        Ok(scores)
    }

    /// How many cycles were computed since the start, and the microseconds spent on them.
    pub fn recomputed(&self) -> (u64, u64) {
        (self.inner.recomputed.load(Relaxed), self.inner.recompute_micros.load(Relaxed))
    }

    /// The cycles held now (computed, or being computed), and the size in bytes of those
    /// computed.
    pub fn kept(&self) -> (usize, usize) {
        let held = lock(&self.inner.slots).len();
        (held, lock(&self.inner.kept).values().map(|(bytes, _)| bytes).sum())
    }

    fn touch(&self, key: &CycleKey) {
        let now = self.inner.uses.fetch_add(1, Relaxed);
        if let Some(entry) = lock(&self.inner.kept).get_mut(key) {
            entry.1 = now;
        }
    }

    /// Records a cycle just computed, then drops the least recently used others while the
    /// total is over the budget (the cycle just computed stays, even alone over it).
    fn keep(&self, key: CycleKey, bytes: usize) {
        let now = self.inner.uses.fetch_add(1, Relaxed);
        let mut kept = lock(&self.inner.kept);
        kept.insert(key.clone(), (bytes, now));
        let mut total: usize = kept.values().map(|(b, _)| b).sum();
        while total > self.inner.budget_bytes {
            let Some(oldest) = kept.iter().filter(|(k, _)| **k != key).min_by_key(|(_, (_, used))| *used).map(|(k, _)| k.clone()) else { break };
            if let Some((b, _)) = kept.remove(&oldest) {
                total -= b;
            }
            lock(&self.inner.slots).remove(&oldest);
        }
    }
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The size of the scores as JSON: a measure of the memory they take, counted without
/// allocating.
fn json_size(scores: &CycleScores) -> usize {
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
    let _ = serde_json::to_writer(&mut c, scores);
    c.0
}
