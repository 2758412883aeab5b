//! Backup and restore across backends: a database with a closed year, evidence, accounts and a
//! second ente is archived while values are being entered, restored into empty SQLite and
//! PostgreSQL databases, and found identical there — same rows, same close hash, same scores,
//! audit trails intact. Damaged archives restore nothing.

use chrono::NaiveDate;
use traguardi_app::plan::measurements::{self, At, Entry};
use traguardi_app::{Actor, accounts::users, cycle::close, operations::backup, org::enti, plan::scores, samples::demo};
use traguardi_store::{Store, testing};

use crate::common::refused;

/// The demo, a second ente (whose audit records interleave with the demo's), a closed 2020,
/// an evidence file, an account with a role and a token.
async fn source() -> Store {
    let store = testing::sqlite().await.expect("sqlite");
    let console = Actor::console();
    let (milano, _) = demo::load(&store).await.expect("demo");
    crate::common::torino(&store).await;
    let december = NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    let at = At { year: 2021, kpi: "ADG-2021-01-K1", period_end: december };
    measurements::enter(&store, &console, &milano, 2021, &value("9".into())).await.expect("value");
    measurements::attach_evidence(&store, &console, &milano, at, "verbale.pdf", b"%PDF-1.4 verbale\x00\xff").await.expect("evidence");
    close::close(&store, &console, &milano, 2020, Some("validazione del NIV su carta")).await.expect("close");
    users::add_user(&store, &console, "ragioneria", "Ragioneria", "una-password-lunga").await.expect("user");
    users::grant_role(&store, &console, "ragioneria", Some(demo::CODE), "ragioneria", None).await.expect("role");
    users::add_token(&store, &console, "ragioneria", "contabilità").await.expect("token");
    store
}

/// A value of ADG-2021-01-K1 at the end of 2021, as a draft.
fn value(value: String) -> Entry {
    Entry {
        kpi: "ADG-2021-01-K1".into(),
        period_end: NaiveDate::from_ymd_opt(2021, 12, 31).expect("date"),
        value,
        note: String::new(),
        cause: None,
        not_assessable: false,
        submit: false,
        based_on: None,
    }
}

async fn archive(store: &Store, ente: Option<&str>) -> (Vec<u8>, backup::Summary) {
    let mut bytes = Vec::new();
    let summary = backup::backup(store, &Actor::console(), ente, &mut bytes).await.expect("backup");
    (bytes, summary)
}

/// The archive's lines without its header and without the restore log's rows, sorted (row order
/// within a table may follow each backend's collation).
fn rows_of(bytes: &[u8]) -> Vec<String> {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).expect("gzip");
    let mut in_restore_log = false;
    let mut rows: Vec<String> = text
        .lines()
        .skip(1)
        .filter(|l| {
            if l.starts_with('{') {
                in_restore_log = l.contains("\"tabella\":\"restore_log\"");
            }
            !(l.starts_with("{\"fine\"") || in_restore_log && l.starts_with('['))
        })
        .map(str::to_string)
        .collect();
    rows.sort();
    rows
}

/// What a reader of the restored database sees of the demo: the close's hash, and every score
/// (as JSON with sorted keys, hashed to keep a failure's message short).
async fn what_people_see(store: &Store) -> (String, String) {
    use sha2::Digest;
    let console = Actor::console();
    let milano = enti::find(store, Some(demo::CODE)).await.expect("ente");
    let hash = close::verify(store, &console, &milano, 2020).await.expect("close verifies");
    let mut seen = String::new();
    for year in [2020, 2021] {
        let s = scores::load(store, &console, Some(demo::CODE), year).await.expect("scores");
        seen.push_str(&serde_json::to_value(&s).expect("json").to_string());
    }
    (hash, hex::encode(sha2::Sha256::digest(seen.as_bytes())))
}

#[tokio::test]
async fn a_backup_restores_the_same_data_on_either_backend() {
    let source = source().await;
    let console = Actor::console();
    let milano = enti::find(&source, Some(demo::CODE)).await.expect("ente");

    // Values keep being entered while the backup runs: it reads one moment and blocks nobody.
    let writer = {
        let store = source.clone();
        let milano = milano.clone();
        tokio::spawn(async move {
            for i in 0..20 {
                let entry = value(format!("{}", 10 + i));
                measurements::enter(&store, &Actor::console(), &milano, 2021, &entry).await.expect("a value entered during the backup");
            }
        })
    };
    let (bytes, summary) = archive(&source, None).await;
    writer.await.expect("writer");
    assert_eq!((summary.tables, summary.ente.as_deref()), (traguardi_store::backup::TABLES.len(), None));
    assert!(summary.rows > 7_000, "{}", summary.rows);

    // Restore into empty databases of each backend, then compare everything with the source
    // as it was when the archive was read.
    let snapshot_store = testing::sqlite().await.expect("sqlite");
    backup::restore(&snapshot_store, &console, bytes.as_slice()).await.expect("restore into SQLite");
    let expected = what_people_see(&snapshot_store).await;
    let mut targets = vec![testing::sqlite().await.expect("sqlite")];
    targets.extend(testing::postgres().await.expect("postgres"));
    for target in &targets {
        let restored = backup::restore(target, &console, bytes.as_slice()).await.expect("restore");
        assert_eq!(restored.archive.rows, summary.rows);
        assert_eq!(restored.archive.sha256, summary.sha256, "the checksum of the file read is the one written");
        let codes: Vec<&str> = restored.audit.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes, vec!["001272", demo::CODE]);
        for (code, verified) in &restored.audit {
            assert!(verified.is_ok(), "audit trail of {code} after restore on {:?}: {verified:?}", target.backend);
        }
        assert_eq!(what_people_see(target).await, expected, "same close hash and scores on {:?}", target.backend);
        // Archived again, the restored database holds the very same rows.
        let (again, _) = archive(target, None).await;
        assert_eq!(rows_of(&again), rows_of(&bytes), "rows after a round trip through {:?}", target.backend);
        // The evidence file came back byte for byte.
        let id: String = sqlx::query_scalar("SELECT id FROM evidence").fetch_one(&target.pool).await.expect("evidence");
        let (_, file) = measurements::evidence_file(target, &console, &milano, &id).await.expect("file");
        assert_eq!(file, b"%PDF-1.4 verbale\x00\xff");
        // The account logs in with its password; sessions did not travel.
        users::login(target, "ragioneria", "una-password-lunga", "127.0.0.1").await.expect("login after restore");
        // A database with data is never overwritten.
        let msg = refused(backup::restore(target, &console, bytes.as_slice()).await);
        assert!(msg.starts_with("il database di destinazione contiene già dati"), "{msg}");
    }
    for s in targets {
        s.close().await;
    }
}

#[tokio::test]
async fn one_ente_moves_with_its_accounts_and_its_trail_verifies() {
    let source = source().await;
    let console = Actor::console();
    let (bytes, summary) = archive(&source, Some(demo::CODE)).await;
    assert_eq!(summary.ente.as_deref(), Some(demo::CODE));
    let mut targets = vec![testing::sqlite().await.expect("sqlite")];
    targets.extend(testing::postgres().await.expect("postgres"));
    for target in &targets {
        let restored = backup::restore(target, &console, bytes.as_slice()).await.expect("restore");
        let codes: Vec<&str> = restored.audit.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes, vec![demo::CODE], "only the ente archived");
        assert!(restored.audit[0].1.is_ok(), "{:?}", restored.audit[0].1);
        assert_eq!(what_people_see(target).await, what_people_see(&source).await);
        users::login(target, "ragioneria", "una-password-lunga", "127.0.0.1").await.expect("the ente's account came along");
        // New changes continue the trail, and a record removed after the restore is still found.
        let milano = enti::find(target, Some(demo::CODE)).await.expect("ente");
        let at = At { year: 2021, kpi: "ADG-2021-01-K1", period_end: NaiveDate::from_ymd_opt(2021, 12, 31).expect("date") };
        measurements::attach_evidence(target, &console, &milano, at, "altro.pdf", b"%PDF-1.4").await.expect("a change after the restore");
        let trail = traguardi_app::accounts::audit::trail(target, &console, Some(demo::CODE), None).await.expect("trail");
        assert!(trail.verified.is_ok(), "{:?}", trail.verified);
        let last = restored_last_seq(target).await;
        sqlx::query("DELETE FROM audit_log WHERE seq = $1").bind(last).execute(&target.pool).await.expect("remove");
        let trail = traguardi_app::accounts::audit::trail(target, &console, Some(demo::CODE), None).await.expect("trail");
        assert!(trail.verified.is_err(), "the archive's last record removed is found");
    }
}

async fn restored_last_seq(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT last_seq FROM restore_log").fetch_one(&store.pool).await.expect("restore log")
}

#[tokio::test]
async fn a_damaged_archive_restores_nothing() {
    let source = source().await;
    let console = Actor::console();
    let (bytes, _) = archive(&source, None).await;
    let target = testing::sqlite().await.expect("sqlite");
    let empty = |store: &Store| {
        let store = store.clone();
        async move {
            let mut conn = store.acquire().await.expect("conn");
            traguardi_store::backup::is_empty(&mut conn).await.expect("count")
        }
    };

    // Cut short: the gzip stream ends early.
    let msg = refused(backup::restore(&target, &console, &bytes[..bytes.len() / 2]).await);
    assert!(msg.starts_with("archivio illeggibile") || msg.contains("archivio troncato"), "{msg}");
    assert!(empty(&target).await, "nothing written");

    // Not an archive at all.
    let msg = refused(backup::restore(&target, &console, b"id,nome\n1,due\n".as_slice()).await);
    assert!(msg.starts_with("archivio illeggibile"), "{msg}");

    // A well-formed archive whose last table breaks a rule of the schema, after thousands of good
    // rows: the transaction leaves none of them.
    let text = gunzip(&bytes);
    let tampered = text.replace("\"contabilità\"", "null");
    let msg = refused(backup::restore(&target, &console, gzip(&tampered).as_slice()).await);
    assert!(msg.contains("tabella api_token"), "{msg}");
    assert!(empty(&target).await, "nothing written");

    // Rows other than the end line says, an unknown column, and a newer schema.
    let rows = text.lines().filter(|l| l.starts_with('[')).count();
    let fewer = text.replace(&format!("\"righe\":{rows}"), &format!("\"righe\":{}", rows - 1));
    let msg = refused(backup::restore(&target, &console, gzip(&fewer).as_slice()).await);
    assert!(msg.contains(&format!("l'archivio dichiara {} righe, ne contiene {rows}", rows - 1)), "{msg}");
    let msg = refused(backup::restore(&target, &console, gzip(&text.replacen("\"codice_fiscale\"", "\"cf\"", 1)).as_slice()).await);
    assert!(msg.contains("colonna «cf» della tabella «ente» sconosciuta"), "{msg}");
    let schema = format!("\"schema\":{}", traguardi_store::backup::latest_schema(target.backend));
    let msg = refused(backup::restore(&target, &console, gzip(&text.replacen(&schema, "\"schema\":999", 1)).as_slice()).await);
    assert!(msg.contains("schema 999, più recente di questo programma"), "{msg}");
    assert!(empty(&target).await, "nothing written");
}

fn gunzip(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut text).expect("gzip");
    text
}

fn gzip(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(text.as_bytes()).expect("write");
    gz.finish().expect("gzip")
}

/// Every table of the schema is archived or deliberately left out, and each archived table
/// comes after every table it refers to, so that a restore never breaks a foreign key.
#[tokio::test]
async fn every_table_is_archived_after_the_tables_it_refers_to() {
    use traguardi_store::backup::{SKIPPED, TABLES};
    for store in testing::all().await.expect("stores") {
        let mut conn = store.acquire().await.expect("conn");
        let mut listed: Vec<&str> = TABLES.iter().map(|t| t.name).chain(SKIPPED.iter().copied()).collect();
        listed.sort_unstable();
        let schema = traguardi_store::backup::tables_in_schema(&mut conn).await.expect("tables");
        assert_eq!(listed, schema.iter().map(String::as_str).collect::<Vec<_>>(), "{:?}", store.backend);
        if store.backend != traguardi_store::Backend::Sqlite {
            continue;
        }
        for (i, t) in TABLES.iter().enumerate() {
            let refers: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT \"table\" FROM pragma_foreign_key_list('{}')", t.name)))
                .fetch_all(&mut *conn)
                .await
                .expect("foreign keys");
            for r in refers {
                let at = TABLES.iter().position(|x| x.name == r).unwrap_or_else(|| panic!("{} refers to {r}, which is not archived", t.name));
                assert!(at <= i, "{} refers to {r}, archived after it", t.name);
            }
        }
    }
}
