//! Busy offices: many people saving at once all succeed, on SQLite and PostgreSQL, and every
//! accepted write is in the audit trail.

use chrono::NaiveDate;
use traguardi_app::measurements::{self, Entry};
use traguardi_app::{Actor, audit, demo};
use traguardi_store::testing;

#[tokio::test]
async fn twenty_people_save_at_once() {
    for store in testing::all().await.expect("stores") {
        let (ente, _) = demo::load(&store).await.expect("demo");
        let before = audit::trail(&store, &Actor::console(), Some(demo::CODE), None).await.expect("trail").records.len();
        let kpis: Vec<String> = {
            let s = traguardi_app::scores::load(&store, &Actor::console(), None, 2021).await.expect("scores");
            s.kpis.iter().filter(|k| k.formula.is_none()).take(20).map(|k| k.code.clone()).collect()
        };
        assert_eq!(kpis.len(), 20);
        let mut tasks = Vec::new();
        for (i, kpi) in kpis.into_iter().enumerate() {
            let (store, ente) = (store.clone(), ente.clone());
            tasks.push(tokio::spawn(async move {
                let entry = Entry {
                    kpi,
                    period_end: NaiveDate::from_ymd_opt(2021, 12, 31).expect("date"),
                    value: format!("{}", 10 + i),
                    note: "inserito in contemporanea".into(),
                    cause: None,
                    not_assessable: false,
                    submit: false,
                    based_on: None,
                };
                measurements::enter(&store, &Actor::console(), &ente, 2021, &entry).await
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
