//! Connecting, migrating and opening transactions, whatever the backend.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool, ConnectOptions, Connection, Executor};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

pub type Conn = AnyConnection;
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;
/// A connection taken from the pool (returned to it when dropped).
pub type PooledConn = sqlx::pool::PoolConnection<sqlx::Any>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a connection talks to.
    pub fn of(conn: &Conn) -> Backend {
        if conn.backend_name() == "PostgreSQL" { Backend::Postgres } else { Backend::Sqlite }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("indirizzo del database non valido «{url}»: usare sqlite://FILE oppure postgres://UTENTE@HOST:PORTA/DB")]
    BadUrl { url: String },
    #[error("database non raggiungibile ({url}): {detail}")]
    Unreachable { url: String, detail: String },
    #[error("migrazione del database non riuscita: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("errore del database: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("impostazione {name} non valida «{value}»: {expected}")]
    BadSetting { name: &'static str, value: String, expected: &'static str },
    #[error("dato non valido nel database ({table}.{column}): «{value}»")]
    Corrupt { table: &'static str, column: &'static str, value: String },
}

/// SQLite's `synchronous` (`TRAGUARDI_SQLITE_SYNCHRONOUS`): `NORMAL` by default — with WAL, a
/// power cut may lose the last transactions but never corrupts the file — or `FULL` (every commit
/// reaches the disk) or `EXTRA`.
pub fn sqlite_synchronous() -> Result<&'static str, StoreError> {
    match std::env::var("TRAGUARDI_SQLITE_SYNCHRONOUS").map(|v| v.trim().to_uppercase()) {
        Err(_) => Ok("NORMAL"),
        Ok(v) => match v.as_str() {
            "" | "NORMAL" => Ok("NORMAL"),
            "FULL" => Ok("FULL"),
            "EXTRA" => Ok("EXTRA"),
            _ => Err(StoreError::BadSetting { name: "TRAGUARDI_SQLITE_SYNCHRONOUS", value: v, expected: "NORMAL, FULL o EXTRA" }),
        },
    }
}

/// The migrations of a backend.
pub(crate) fn migrations(backend: Backend) -> &'static Migrator {
    match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    }
}

/// The most connections a node's pool opens (`TRAGUARDI_DB_POOL`): 8 on SQLite, 16 on
/// PostgreSQL by default. With several nodes on one PostgreSQL, nodes × pool stays below the
/// server's `max_connections` (or PgBouncer's pool), docs/scaling.md.
pub fn pool_size(backend: Backend) -> Result<u32, StoreError> {
    let default = match backend {
        Backend::Sqlite => 8,
        Backend::Postgres => 16,
    };
    match std::env::var("TRAGUARDI_DB_POOL") {
        Err(_) => Ok(default),
        Ok(v) if v.trim().is_empty() => Ok(default),
        Ok(v) => v.trim().parse::<u32>().ok().filter(|n| (1..=1000).contains(n)).ok_or(StoreError::BadSetting {
            name: "TRAGUARDI_DB_POOL",
            value: v,
            expected: "un numero di connessioni da 1 a 1000",
        }),
    }
}

impl StoreError {
    /// Whether a unique constraint or index refused the write, on either backend.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Sql(sqlx::Error::Database(e)) => e.is_unique_violation(),
            _ => false,
        }
    }
}

/// The connection pool and what it points to.
#[derive(Clone, Debug)]
pub struct Store {
    pub pool: AnyPool,
    pub backend: Backend,
    /// A test's own database, removed when the last clone of this store is dropped.
    pub(crate) scratch: Option<std::sync::Arc<crate::testing::Scratch>>,
}

impl Store {
    /// The connections of the pool: (open, idle, most allowed), for the metrics.
    pub fn connections(&self) -> (u32, usize, u32) {
        (self.pool.size(), self.pool.num_idle(), self.pool.options().get_max_connections())
    }

    /// Connects to `sqlite://FILE` (created when missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (backend, url_full) = normalise(url)?;
        let shown = redact(url);
        let options = AnyConnectOptions::from_str(&url_full).map_err(|_| StoreError::BadUrl { url: shown.clone() })?.disable_statement_logging();
        let synchronous = sqlite_synchronous()?;
        let max = pool_size(backend)?;
        // One direct connection first: its error says why (refused, unknown host, bad password)
        // where the pool would only report a timeout.
        let unreachable = |e: sqlx::Error| StoreError::Unreachable { url: shown.clone(), detail: one_line(&e.to_string()) };
        let probe = tokio::time::timeout(Duration::from_secs(10), options.connect())
            .await
            .map_err(|_| StoreError::Unreachable { url: shown.clone(), detail: "nessuna risposta entro 10 secondi".into() })?
            .map_err(unreachable)?;
        probe.close().await.map_err(unreachable)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers go on while one writer writes; foreign keys are off
                        // by default in SQLite. Memory-mapped reads (up to 256 MiB of the file,
                        // shared by every connection through the OS page cache) make reading a
                        // whole cycle — scores, premi — about 40% faster than copying pages
                        // into each connection's own cache.
                        // `synchronous` comes from a fixed list (`sqlite_synchronous`).
                        conn.execute(sqlx::AssertSqlSafe(format!(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = {synchronous}; PRAGMA mmap_size = 268435456;"
                        )))
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(unreachable)?;
        Ok(Store { pool, backend, scratch: None })
    }

    /// Brings the schema up to date.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let done = migrations(self.backend).run(&self.pool).await;
        if done.is_err() {
            // A SQLite migration that opens its own transaction (0025) stops at its failing
            // statement and leaves that transaction open, with foreign keys off, on the
            // connection that ran it. Closing the pool rolls it back, and no request is ever
            // served on that connection.
            self.pool.close().await;
        }
        Ok(done?)
    }

    pub async fn acquire(&self) -> Result<PooledConn, StoreError> {
        Ok(self.pool.acquire().await?)
    }

    /// A transaction. On SQLite it starts as `BEGIN IMMEDIATE`: it takes the write lock at once,
    /// waiting for it up to the busy timeout, so two writers never both read and then fail to
    /// upgrade (a deferred transaction would get `SQLITE_BUSY` at its first write, whatever the
    /// timeout); a lock still busy after the timeout is tried again a few times.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        if self.backend == Backend::Postgres {
            return Ok(self.pool.begin().await?);
        }
        let mut tries = 0;
        loop {
            match self.pool.begin_with("BEGIN IMMEDIATE").await {
                Err(sqlx::Error::Database(e)) if tries < 3 && e.message().contains("locked") => tries += 1,
                other => return Ok(other?),
            }
        }
    }

    /// A transaction for a trial run (an import's dry run, the wizard's preview) that is rolled
    /// back at the end. On SQLite it starts deferred, so it takes the write lock only if it comes
    /// to write (a cycle or dimensions created on the way), never for reading: people saving
    /// meanwhile are not kept waiting by a preview.
    pub async fn begin_trial(&self) -> Result<Tx, StoreError> {
        match self.backend {
            Backend::Sqlite => Ok(self.pool.begin_with("BEGIN").await?),
            Backend::Postgres => self.begin().await,
        }
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The backend of a URL, and the URL as the driver wants it.
fn normalise(url: &str) -> Result<(Backend, String), StoreError> {
    let bad = || StoreError::BadUrl { url: redact(url) };
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let path = rest.trim_start_matches("//");
        if path.is_empty() {
            return Err(bad());
        }
        // Create the file when it does not exist yet.
        let full = if path.contains("mode=") || path.starts_with(":memory:") {
            format!("sqlite://{path}")
        } else if path.contains('?') {
            format!("sqlite://{path}&mode=rwc")
        } else {
            format!("sqlite://{path}?mode=rwc")
        };
        Ok((Backend::Sqlite, full))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok((Backend::Postgres, url.to_string()))
    } else {
        Err(bad())
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(normalise("sqlite://traguardi.db").ok(), Some((Backend::Sqlite, "sqlite://traguardi.db?mode=rwc".into())));
        assert_eq!(normalise("sqlite:x.db?cache=shared").ok(), Some((Backend::Sqlite, "sqlite://x.db?cache=shared&mode=rwc".into())));
        assert_eq!(normalise("postgres://u@h/db").ok().map(|b| b.0), Some(Backend::Postgres));
        assert!(matches!(normalise("mysql://x"), Err(StoreError::BadUrl { .. })));
        assert_eq!(redact("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
    }

    /// Migration 25 keys each row of a cycle to its cycle's ente. A database holding a row of one
    /// ente that names another ente's cycle is refused whole and left as it was, on both
    /// backends; once migrated, the schema itself refuses such a row.
    #[tokio::test]
    async fn a_row_of_a_cycle_belongs_to_the_cycles_ente() {
        use crate::testing::Scratch;
        use traguardi_domain::cycle::CycleCalendar;
        use traguardi_domain::ente::{EnteCode, EnteKind, NewEnte};
        let ente_of = |code: &str| NewEnte {
            code: EnteCode::parse(code).expect("code"),
            name: format!("Comune {code}"),
            codice_fiscale: None,
            kind: EnteKind::Comune,
            staff_size: 10,
            has_dirigenti: false,
        };
        let relazione = "INSERT INTO relazione (cycle_id, ente_id, state, updated_at) VALUES ($1, $2, 'bozza', '2026-01-31')";
        let mut places = vec![Scratch::sqlite()];
        places.extend(Scratch::postgres().await.expect("postgres"));
        for place in places {
            let store = Store::connect(&place).await.expect("connect");
            migrations(store.backend).run_to(24, &store.pool).await.expect("migrations up to 24");
            let mut tx = store.begin().await.expect("tx");
            let milano = crate::ente::insert(&mut tx, &ente_of("015146")).await.expect("ente");
            let torino = crate::ente::insert(&mut tx, &ente_of("001272")).await.expect("ente");
            let cycle = crate::cycle::insert(&mut tx, &milano.id, &CycleCalendar::default_for(2025)).await.expect("cycle");
            tx.commit().await.expect("commit");
            // Before the migration, Torino's row may name Milan's cycle.
            sqlx::query(relazione).bind(&cycle.id.0).bind(&torino.id.0).execute(&store.pool).await.expect("allowed before 25");

            let refused = store.migrate().await.expect_err("a row of another ente's cycle");
            assert!(refused.to_string().contains("migration 25"), "{refused} ({:?})", store.backend);
            assert!(store.pool.is_closed(), "a failed migration closes the pool");
            let store = Store::connect(&place).await.expect("connect again");
            let mut conn = store.acquire().await.expect("conn");
            assert_eq!(crate::backup::schema_version(&mut conn).await.expect("version"), 24, "nothing of 25 is kept ({:?})", store.backend);
            drop(conn);

            sqlx::query("UPDATE relazione SET ente_id = $1").bind(&milano.id.0).execute(&store.pool).await.expect("row put right");
            store.migrate().await.expect("migrated");
            sqlx::query("DELETE FROM relazione").execute(&store.pool).await.expect("delete");
            let err = sqlx::query(relazione).bind(&cycle.id.0).bind(&torino.id.0).execute(&store.pool).await.expect_err("refused after 25");
            assert!(err.to_string().to_lowercase().contains("foreign key"), "{err}");
            sqlx::query(relazione).bind(&cycle.id.0).bind(&milano.id.0).execute(&store.pool).await.expect("the cycle's own ente");
            store.close().await;
        }
    }
}
