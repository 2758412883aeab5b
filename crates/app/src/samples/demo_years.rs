//! The demo's years where a visitor expects them: 2020 finished, 2021 in monitoring, 2022 in
//! bozza. `demo::load` imports the data with every year open; `finish` then walks 2020 through
//! its year-end with the use cases a comune would use, so that every page and document of a
//! finished year has content:
//!
//! - the Piano approved with GC 838/2020, assigned, monitored and consuntivato;
//! - the Relazione approved by a Giunta act registered for the demo and marked as
//!   demonstrative (`atti-dimostrativi.csv`: GC 9001/2021, never adopted by Milan), a sample of
//!   values drawn by the NIV, the objectives and the Relazione validated, the Relazione published;
//! - the fund certified (by `load`), the premi's "base" scenario approved, the year closed.
//!
//! And 2021: the Piano approved with GC 838/2020 (it approves 2020–2022) and in monitoring, with
//! the illustrative values of about two KPIs in three (`misure-2021.csv`); the others are late.
//! Each step is taken once: a second run finds 2020 closed and changes nothing.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use traguardi_docs::ReadOptions;
use traguardi_domain::access::AccountRole;
use traguardi_domain::plan::workflow::State;
use traguardi_store::Store;
use traguardi_store::ente::Ente;

use crate::cycle::workflow::{Move, transition};
use crate::pay::relazione::{RelazioneStep, relazione_step};
use crate::samples::demo::CODE;
use crate::{Actor, AppError, cycle::close, cycle::import_acts, cycle::niv, pay::payouts, plan::import_measurements};

/// The Giunta's act of the Relazione 2020, demonstrative.
const DEMO_ACTS: &[u8] = include_bytes!("../../demo/milano/atti-dimostrativi.csv");
/// Illustrative 2021 values: about two KPIs in three.
const MEASUREMENTS_2021: &[u8] = include_bytes!("../../demo/milano/misure-2021.csv");
/// The act that approved the Piano 2020–2022 (seed 000).
const PIANO_ACT: &str = "GC 838/2020";
const RELAZIONE_ACT: &str = "GC 9001/2021";
/// The NIV's sample: 5% of the approved values, drawn again the same from this seed.
const SAMPLE_SEED: u64 = 2020;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Every objective of `year` from its state now to `to`, along the workflow's steps.
async fn walk(store: &Store, actor: &Actor, ente: &Ente, year: i32, path: &[State]) -> Result<(), AppError> {
    for &to in path {
        let act = (to == State::Approvato).then_some(PIANO_ACT);
        transition(store, actor, ente, year, Move { codes: &[], to, act, note: None }).await?;
    }
    Ok(())
}

/// The NIV of the demo, as its account (so that the trail and the Relazione name it).
async fn niv_of_the_demo(store: &Store) -> Result<Actor, AppError> {
    let mut conn = store.acquire().await?;
    let account = traguardi_store::accounts::by_username(&mut conn, "niv").await?;
    let id = account.map(|a| a.id).unwrap_or_default();
    Ok(Actor::user("niv", &id, &[AccountRole::Niv], &[]))
}

/// Takes 2020 through its year-end and 2021 into monitoring; `false` when 2020 was already
/// closed and nothing was done.
pub async fn finish(store: &Store, ente: &Ente) -> Result<bool, AppError> {
    if close::is_closed(store, ente, 2020).await? {
        return Ok(false);
    }
    let console = Actor { name: "demo".into(), ..Actor::console() };
    let niv = niv_of_the_demo(store).await?;
    let e = Some(CODE);
    import_acts::import_acts(store, &console, ente, DEMO_ACTS, ReadOptions::default(), false).await?;

    // 2020: the Piano approved, assigned, monitored, consuntivato.
    walk(store, &console, ente, 2020, &[State::Proposto, State::Approvato, State::Assegnato, State::InMonitoraggio, State::Consuntivato]).await?;
    // The Relazione approved by the Giunta; the NIV checks a sample and validates.
    let step = |to, act, on| RelazioneStep { to, act, on, note: None };
    relazione_step(store, &console, e, 2020, step("approvata", Some(RELAZIONE_ACT), day(2021, 6, 10))).await?;
    niv::sample(store, &niv, ente, 2020, Decimal::from(5), Some(SAMPLE_SEED)).await?;
    walk(store, &niv, ente, 2020, &[State::ValidatoNiv]).await?;
    relazione_step(
        store,
        &niv,
        e,
        2020,
        RelazioneStep { note: Some("validata nella seduta del NIV del 20/06/2021 (dati dimostrativi)"), ..step("validata", None, day(2021, 6, 20)) },
    )
    .await?;
    relazione_step(store, &console, e, 2020, step("pubblicata", None, day(2021, 6, 30))).await?;
    // The premi of the scenario computed by `load`, then the close.
    payouts::approve(store, &console, e, 2020, "base").await?;
    close::close(store, &console, ente, 2020, None).await?;

    // 2021: approved and in monitoring, with some values.
    walk(store, &console, ente, 2021, &[State::Proposto, State::Approvato, State::Assegnato, State::InMonitoraggio]).await?;
    import_measurements::import_measurements(store, &console, ente, 2021, MEASUREMENTS_2021, ReadOptions::default(), false).await?;
    Ok(true)
}
