//! `traguardi ricalcola`: every open cycle of every ente (or of one) read and scored again, as a
//! nightly check that each one computes. Each cycle is computed on its own task, so one ente's
//! failure — even a panic — is reported and the others go on; a few enti at once.

use std::time::Duration;
use traguardi_domain::said;

use traguardi_store::Store;

use crate::accounts::access::Right;
use crate::{Actor, AppError, org::enti};

/// What happened to one ente's cycles: the closed ones are skipped (their scores are frozen).
#[derive(Debug)]
pub struct EnteRecomputed {
    pub code: String,
    pub name: String,
    pub cycles: Vec<(i32, Outcome)>,
}

#[derive(Debug)]
pub enum Outcome {
    Computed { took: Duration, objectives: usize },
    Closed,
    Failed(AppError),
}

impl EnteRecomputed {
    pub fn failed(&self) -> bool {
        self.cycles.iter().any(|(_, o)| matches!(o, Outcome::Failed(_)))
    }
}

/// Enti computed at once: a few per core keep the cores busy while others wait on the database.
const AT_ONCE: usize = 4;

/// Recomputes the open cycles of `ente_code`, or of every ente when `None`, calling `each` as
/// each ente is done, in the order of the list (the list of thousands is reported as it goes).
/// A few enti are computed at once, each on tasks of its own.
#[tracing::instrument(skip_all, fields(ente = ente_code))]
pub async fn open_cycles(
    store: &Store,
    actor: &Actor,
    ente_code: Option<&str>,
    mut each: impl FnMut(&EnteRecomputed),
) -> Result<Vec<EnteRecomputed>, AppError> {
    actor.require(Right::Administer, said!("ricalcolare i punteggi"))?;
    let all = match ente_code {
        Some(code) => vec![enti::find(store, Some(code)).await?],
        None => enti::list(store).await?,
    };
    let mut out = Vec::new();
    for chunk in all.chunks(AT_ONCE) {
        let tasks: Vec<_> = chunk.iter().map(|ente| tokio::spawn(one(store.clone(), actor.clone(), ente.clone()))).collect();
        for (ente, task) in chunk.iter().zip(tasks) {
            let done = match task.await {
                Ok(done) => done?,
                Err(e) => EnteRecomputed { code: ente.code.as_str().to_string(), name: ente.name.clone(), cycles: vec![(0, Outcome::Failed(panicked(e)))] },
            };
            each(&done);
            out.push(done);
        }
    }
    Ok(out)
}

/// One ente's open cycles, each computed on a task of its own, so that a failure — even a
/// panic — is that cycle's alone.
async fn one(store: Store, actor: Actor, ente: traguardi_store::ente::Ente) -> Result<EnteRecomputed, AppError> {
    let (cycles, closed) = {
        let mut conn = store.acquire().await?;
        let cycles = traguardi_store::cycle::list(&mut conn, &ente.id).await?;
        let closed: Vec<traguardi_domain::cycle::CycleId> =
            traguardi_store::close::of_ente(&mut conn, &ente.id).await?.into_iter().map(|c| c.cycle_id).collect();
        (cycles, closed)
    };
    let mut done = EnteRecomputed { code: ente.code.as_str().to_string(), name: ente.name.clone(), cycles: Vec::new() };
    for cycle in cycles {
        let year = cycle.year();
        if closed.contains(&cycle.id) {
            done.cycles.push((year, Outcome::Closed));
            continue;
        }
        let (store, actor, code) = (store.clone(), actor.clone(), done.code.clone());
        let started = std::time::Instant::now();
        let computed = tokio::spawn(async move { crate::plan::scores::load(&store, &actor, Some(&code), year).await.map(|s| s.objectives.len()) }).await;
        done.cycles.push((
            year,
            match computed {
                Ok(Ok(objectives)) => Outcome::Computed { took: started.elapsed(), objectives },
                Ok(Err(e)) => Outcome::Failed(e),
                Err(e) => Outcome::Failed(panicked(e)),
            },
        ));
    }
    Ok(done)
}

/// A task that failed to finish (a panic): reported as an internal error of its ente or cycle.
fn panicked(e: tokio::task::JoinError) -> AppError {
    AppError::Refused(traguardi_domain::said!("errore interno ({e})", e))
}
