//! Busy offices: many people saving at once all succeed, on SQLite and PostgreSQL, and every
//! accepted write is in the audit trail.

use chrono::NaiveDate;
use traguardi_app::plan::measurements::{self, Entry};
use traguardi_app::{Actor, accounts::audit, samples::demo};
use traguardi_store::testing;

/// A year-end value of 2021 for `kpi`.
fn entry(kpi: String, value: usize, note: &str) -> Entry {
    Entry {
        kpi,
        period_end: NaiveDate::from_ymd_opt(2021, 12, 31).expect("date"),
        value: value.to_string(),
        note: note.into(),
        cause: None,
        not_assessable: false,
        submit: false,
        based_on: None,
    }
}

#[tokio::test]
async fn twenty_people_save_at_once() {
    for store in testing::all().await.expect("stores") {
        let (ente, _) = demo::load(&store).await.expect("demo");
        let before = audit::trail(&store, &Actor::console(), Some(demo::CODE), None).await.expect("trail").records.len();
        let kpis: Vec<String> = {
            let s = traguardi_app::plan::scores::load(&store, &Actor::console(), None, 2021).await.expect("scores");
            s.kpis.iter().filter(|k| k.formula.is_none()).take(20).map(|k| k.code.clone()).collect()
        };
        assert_eq!(kpis.len(), 20);
        let mut tasks = Vec::new();
        for (i, kpi) in kpis.into_iter().enumerate() {
            let (store, ente) = (store.clone(), ente.clone());
            tasks.push(tokio::spawn(async move {
                measurements::enter(&store, &Actor::console(), &ente, 2021, &entry(kpi, 10 + i, "inserito in contemporanea")).await
            }));
        }
        for t in tasks {
            t.await.expect("task").expect("every write succeeds");
        }
        let trail = audit::trail(&store, &Actor::console(), Some(demo::CODE), None).await.expect("trail");
        assert!(trail.verified.is_ok(), "{:?}", trail.verified);
        assert_eq!(trail.records.len(), before + 20, "every accepted write is audited");
        store.close().await;
    }
}

/// A close racing people who save values: each value is either in the frozen snapshot or
/// refused as after the close, never committed after it (verify passes).
#[tokio::test]
async fn a_close_racing_writers_freezes_exactly_what_came_before() {
    for store in testing::all().await.expect("stores") {
        let (ente, _) = demo::load(&store).await.expect("demo");
        let kpis: Vec<String> = {
            let s = traguardi_app::plan::scores::load(&store, &Actor::console(), None, 2021).await.expect("scores");
            s.kpis.iter().filter(|k| k.formula.is_none()).take(16).map(|k| k.code.clone()).collect()
        };
        let mut tasks = Vec::new();
        for (i, kpi) in kpis.into_iter().enumerate() {
            let (s, e) = (store.clone(), ente.clone());
            tasks.push(tokio::spawn(async move {
                measurements::enter(&s, &Actor::console(), &e, 2021, &entry(kpi, 50 + i, "inserito durante la chiusura")).await.map(|_| ())
            }));
            if i == 8 {
                let (s, e) = (store.clone(), ente.clone());
                tasks.push(tokio::spawn(async move {
                    traguardi_app::cycle::close::close(&s, &Actor::console(), &e, 2021, Some("chiusura di prova")).await.map(|_| ())
                }));
            }
        }
        for t in tasks {
            match t.await.expect("task") {
                Ok(_) => {}
                Err(traguardi_app::AppError::Refused(m)) => assert!(m.to_string().starts_with("il ciclo 2021 è chiuso dal "), "{m}"),
                Err(e) => panic!("{e:?}"),
            }
        }
        traguardi_app::cycle::close::verify(&store, &Actor::console(), &ente, 2021).await.expect("nothing committed after the close");
        store.close().await;
    }
}

/// The close waits for a change that found the cycle open and has not committed yet.
#[tokio::test]
async fn the_close_waits_for_changes_in_flight() {
    for store in testing::all().await.expect("stores") {
        let (ente, _) = demo::load(&store).await.expect("demo");
        let mut writer = store.begin().await.expect("a change begins");
        let cycle = traguardi_app::cycle::cycles::get(&mut writer, &ente, 2021).await.expect("cycle");
        traguardi_app::cycle::close::ensure_open(&mut writer, &ente, &cycle).await.expect("open");
        let (s, e) = (store.clone(), ente.clone());
        let closing = tokio::spawn(async move { traguardi_app::cycle::close::close(&s, &Actor::console(), &e, 2021, Some("prova")).await });
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        assert!(!closing.is_finished(), "the close must wait for the change in flight");
        writer.commit().await.expect("the change commits");
        closing.await.expect("task").expect("then the cycle closes");
        store.close().await;
    }
}
