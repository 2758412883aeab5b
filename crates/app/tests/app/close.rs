//! The year-end close on SQLite and PostgreSQL: refused while objectives are not validated,
//! forced with a reason, frozen afterwards, and tampering detected by `verify`.

use chrono::NaiveDate;
use traguardi_app::cycle::close;
use traguardi_app::plan::measurements::{self, Entry};
use traguardi_app::plan::plan_ops::{self, Adjustment};
use traguardi_app::{Actor, accounts::audit, plan::import_plan, samples::demo};
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
        .bind("validato_niv")
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

/// The demo's 2020 closed in a fresh database: its hash, the snapshot, and the database's ids.
async fn close_the_demo(store: &Store) -> (String, String, Vec<String>) {
    let (ente, _) = demo::load(store).await.expect("demo");
    let r = close::close(store, &Actor::console(), &ente, 2020, Some("validazione del NIV su carta")).await.expect("closed");
    let closed = close::closed(store, &ente, 2020).await.expect("read").expect("closed");
    assert_eq!(closed.content_hash, r.hash);
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM objective UNION SELECT id FROM org_unit UNION SELECT id FROM kpi UNION SELECT id FROM ente")
        .fetch_all(&store.pool)
        .await
        .expect("ids");
    (r.hash, closed.snapshot, ids)
}

/// A NIV recomputes a closed year on another machine, on the other backend, and gets the same
/// hash: the snapshot holds business data only, never a database id.
#[tokio::test]
async fn the_same_year_closes_to_the_same_hash_everywhere() {
    let mut closes = Vec::new();
    let mut stores = testing::all().await.expect("stores");
    stores.push(testing::sqlite().await.expect("a second SQLite database"));
    for store in &stores {
        closes.push(close_the_demo(store).await);
    }
    let (hash, snapshot, ids) = &closes[0];
    for (other, _, _) in &closes[1..] {
        assert_eq!(other, hash, "two loads of the demo, on every backend, close to the same SHA-256");
    }
    for id in ids {
        assert!(!snapshot.contains(id.as_str()), "a database id ({id}) in the snapshot");
    }
    // Everything that decides a score or a euro of the year is in it.
    let v: serde_json::Value = serde_json::from_str(snapshot).expect("json");
    for section in
        ["strutture", "dimensioni", "obiettivi", "kpi", "target", "valori", "rimodulazioni", "regole", "punteggi", "indici", "regole_premi", "premi_approvati"]
    {
        assert!(v.get(section).is_some(), "{section} in the snapshot");
    }
    assert!(v["regole_premi"].as_str().is_some_and(|r| r.contains("contratto = 2016-2018")));
    assert!(v["indici"]["roe"]["valore"].is_string());
    // Every objective reached `chiuso`.
    assert!(v["obiettivi"].as_array().is_some_and(|o| o.len() == 281 && o.iter().all(|x| x["stato"] == "chiuso")));

    let store = &stores[0];
    let console = Actor::console();
    let ente = traguardi_app::org::enti::find(store, Some(demo::CODE)).await.expect("ente");
    // Renaming a dimension for later years changes neither the closed year nor its check.
    sqlx::query("UPDATE dimension SET name = 'Nome nuovo' WHERE code = 'solidale'").execute(&store.pool).await.expect("rename");
    assert_eq!(&close::verify(store, &console, &ente, 2020).await.expect("still intact"), hash);
    let name_in = |year: i32| async move {
        let s = traguardi_app::plan::scores::load(store, &Actor::console(), Some(demo::CODE), year).await.expect("scores");
        s.dimensions.iter().find(|d| d.code == "solidale").map(|d| d.name.clone()).expect("solidale")
    };
    let frozen = v["dimensioni"].as_array().and_then(|d| d.iter().find(|x| x["codice"] == "solidale")).and_then(|x| x["nome"].as_str()).expect("frozen name");
    assert_eq!(name_in(2020).await, frozen, "the closed year's pages show the name it had");
    assert_eq!(name_in(2021).await, "Nome nuovo", "an open year shows the new name");

    // The audit trail reaches the head the close recorded; the head can be kept elsewhere.
    let trail = audit::trail(store, &console, Some(demo::CODE), None).await.expect("trail");
    assert!(trail.verified.is_ok(), "{:?}", trail.verified);
    let (seq, head) = trail.head.clone().expect("a head");
    assert!(trail.reaches(seq, &head) && !trail.reaches(seq, &"0".repeat(64)));
    let closed = close::closed(store, &ente, 2020).await.expect("read").expect("closed");
    assert_eq!(closed.audit_head.as_ref().map(|(s, _)| *s), Some(seq), "the close's own record is the head");
    // Removing the last records of the trail, the close's among them, is found.
    sqlx::query("DELETE FROM audit_log WHERE seq = $1").bind(seq).execute(&store.pool).await.expect("remove the close's record");
    let trail = audit::trail(store, &console, Some(demo::CODE), None).await.expect("trail");
    let why = trail.verified.expect_err("found").to_string();
    assert!(why.starts_with("il registro di audit non raggiunge la testa registrata dalla chiusura del 2020"), "{why}");
    // A record removed in the middle is a gap in the sequence.
    sqlx::query("DELETE FROM audit_log WHERE seq = 5").execute(&store.pool).await.expect("remove one");
    let why = audit::trail(store, &console, Some(demo::CODE), None).await.expect("trail").verified.expect_err("found").to_string();
    assert!(why.contains("manca il n. 5") || why.starts_with("registro di audit interrotto"), "{why}");
    for s in stores {
        s.close().await;
    }
}

#[tokio::test]
async fn close_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        story(&store).await;
    }
}
