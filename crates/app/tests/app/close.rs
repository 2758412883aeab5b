//! The year-end close on SQLite and PostgreSQL: refused while objectives are not validated,
//! forced with a reason, frozen afterwards, and tampering detected by `verify`.

use chrono::NaiveDate;
use traguardi_app::close::{self, VALIDATED};
use traguardi_app::measurements::{self, Entry};
use traguardi_app::plan_ops::{self, Adjustment};
use traguardi_app::{Actor, audit, demo, import_plan};
use traguardi_docs::ReadOptions;
use traguardi_store::{Store, testing};

use crate::common::refused;

async fn story(store: &Store) {
    let (ente, _) = demo::load(store).await.expect("demo");
    let console = Actor::console();

    // Not validated: refused, listing the objectives and what to do.
    let msg = refused(close::close(store, &console, &ente, 2020, None).await);
    assert!(msg.starts_with("il ciclo 2020 ha 281 obiettivi non ancora validati dal NIV: "), "{msg}");
    assert!(msg.ends_with(" e altri 261; per chiudere comunque (es. validazione su carta): --force --reason TESTO"), "{msg}");
    assert_eq!(refused(close::close(store, &console, &ente, 2020, Some("  ")).await), "--force richiede --reason TESTO: il motivo resta nel registro di audit");

    // Validated by the NIV: the close needs no force.
    sqlx::query("UPDATE objective SET state = $1 WHERE cycle_id = (SELECT id FROM cycle WHERE ente_id = $2 AND year = 2021)")
        .bind(VALIDATED)
        .bind(ente.id.0.clone())
        .execute(&store.pool)
        .await
        .expect("validate 2021");
    let r = close::close(store, &console, &ente, 2021, None).await.expect("closes 2021");
    assert!(!r.forced);

    // Forced on 2020, with the reason in the audit trail.
    let r = close::close(store, &console, &ente, 2020, Some("validazione del NIV su carta, verbale n. 3/2021")).await.expect("forced close");
    assert_eq!(r.hash.len(), 64);
    assert!(r.hash.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!((r.forced, r.not_validated), (true, 281));
    let trail = audit::trail(store, &console, Some("015146"), Some(2020)).await.expect("trail");
    let last = trail.records.last().expect("a record");
    assert_eq!(last.action, "chiudi ciclo");
    assert!(last.after.as_deref().is_some_and(|a| a.contains("validazione del NIV su carta, verbale n. 3/2021") && a.contains(&r.hash)));

    // Closed means frozen: a second close, a value, an override, a plan import are refused.
    let frozen = "il ciclo 2020 è chiuso dal ";
    assert!(refused(close::close(store, &console, &ente, 2020, Some("ancora")).await).starts_with(frozen));
    let entry = Entry {
        kpi: "SAL-12-K3".into(),
        period_end: NaiveDate::from_ymd_opt(2020, 12, 31).expect("date"),
        value: "9".into(),
        note: "correzione".into(),
        cause: None,
        not_assessable: false,
        submit: false,
        based_on: None,
    };
    assert!(refused(measurements::enter(store, &console, &ente, 2020, &entry).await).starts_with(frozen));
    let adj = Adjustment::NotAssessable { reason: "prova".into() };
    assert!(refused(plan_ops::adjust(store, &console, &ente, 2020, "SAL-12", adj).await).starts_with(frozen));
    let plan = include_bytes!("../../demo/milano/piano-2020.csv");
    assert!(refused(import_plan::import_plan(store, &console, &ente, 2020, plan, ReadOptions::default(), true).await).starts_with(frozen));
    // The demo loads again without touching the closed years.
    demo::load(store).await.expect("demo again");

    // Verify: intact, with the same hash, as often as asked.
    assert_eq!(close::verify(store, &console, &ente, 2020).await.expect("intact"), r.hash);
    assert_eq!(close::verify(store, &console, &ente, 2020).await.expect("intact"), r.hash);
    assert!(refused(close::verify(store, &console, &ente, 2022).await).contains("il ciclo 2022 non è chiuso"));

    // An approved value changed directly in the database is caught, and named.
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT m.id, m.value FROM measurement m JOIN kpi k ON k.id = m.kpi_id JOIN cycle c ON c.id = k.cycle_id
         WHERE k.code = 'SAL-12-K3' AND c.year = 2020 ORDER BY m.period_end DESC",
    )
    .fetch_one(&store.pool)
    .await
    .expect("a value");
    let (id, original): (String, Option<String>) = (row.try_get("id").expect("id"), row.try_get("value").expect("value"));
    let set = |v: Option<String>| sqlx::query("UPDATE measurement SET value = $1 WHERE id = $2").bind(v).bind(id.clone()).execute(&store.pool);
    set(Some("11".into())).await.expect("tamper a value");
    let msg = refused(close::verify(store, &console, &ente, 2020).await);
    assert!(msg.starts_with("dati del ciclo 2020 alterati dopo la chiusura (SHA-256 "), "{msg}");
    assert!(msg.contains(&format!("invece di {}", r.hash)), "{msg}");
    assert!(msg.contains("valori: SAL-12-K3 al 2020-12-31"), "{msg}");
    assert!(msg.contains("punteggi: "), "the scores it moved are named too: {msg}");
    set(original).await.expect("restore");
    assert_eq!(close::verify(store, &console, &ente, 2020).await.expect("intact again"), r.hash);

    // The snapshot itself edited: caught by its own hash.
    sqlx::query("UPDATE cycle_close SET snapshot = REPLACE(snapshot, 'SAL-12', 'SAL-99')").execute(&store.pool).await.expect("tamper the snapshot");
    let msg = refused(close::verify(store, &console, &ente, 2020).await);
    assert_eq!(msg, format!("istantanea del ciclo 2020 alterata: il suo SHA-256 non è più {}", r.hash));
}

#[tokio::test]
async fn close_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        story(&store).await;
    }
}
