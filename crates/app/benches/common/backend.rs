//! The backends a benchmark reads from, measured side by side: SQLite, and PostgreSQL when
//! `TRAGUARDI_TEST_POSTGRES_URL` names a server (`scripts/bench` starts a throwaway one).

use traguardi_store::{Store, testing};

/// `sqlite`, and `postgres` when a server is configured (said when it is not).
pub fn backends() -> Vec<&'static str> {
    if std::env::var_os("TRAGUARDI_TEST_POSTGRES_URL").is_some() {
        vec!["sqlite", "postgres"]
    } else {
        eprintln!("SKIP PostgreSQL: TRAGUARDI_TEST_POSTGRES_URL is not set (scripts/bench starts a server)");
        vec!["sqlite"]
    }
}

/// A new, migrated store of that backend.
pub async fn store(backend: &str) -> Store {
    match backend {
        "postgres" => testing::postgres().await.expect("postgres").expect("TRAGUARDI_TEST_POSTGRES_URL"),
        _ => testing::sqlite().await.expect("sqlite"),
    }
}
