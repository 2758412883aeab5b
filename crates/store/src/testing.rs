//! Fresh databases for tests, on both backends.
//!
//! SQLite always; PostgreSQL when `TRAGUARDI_TEST_POSTGRES_URL` names a server (an admin URL:
//! each call creates a new database there). With `CI=true` a missing PostgreSQL is a failure.
//!
//! Each database is a [`Scratch`]: it is removed when the last handle on it is dropped. A full
//! test run makes a few hundred databases of up to 50 MB each, and keeping them would fill the
//! disk of the machine running it.

use std::fmt;
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::Arc;

use crate::{Store, StoreError};

pub const POSTGRES_ENV: &str = "TRAGUARDI_TEST_POSTGRES_URL";

/// A database made for one test: its URL, and what to remove when it is dropped. It reads as
/// its URL (`&scratch` is a `&str`), so it can be passed wherever a URL is.
#[derive(Debug)]
pub struct Scratch {
    url: String,
    place: Place,
}

#[derive(Debug)]
enum Place {
    /// A SQLite file, with its `-wal` and `-shm` companions.
    File(PathBuf),
    /// A database on the test server, dropped through the admin URL.
    Database { admin_url: String, name: String },
}

impl Scratch {
    /// A new SQLite file in the temporary directory (created at the first connection).
    pub fn sqlite() -> Scratch {
        let path = std::env::temp_dir().join(format!("traguardi-test-{}.db", uuid::Uuid::now_v7().simple()));
        Scratch { url: format!("sqlite://{}", path.display()), place: Place::File(path) }
    }

    /// A new, empty PostgreSQL database, or `None` (with a visible message) when no server is
    /// configured outside CI.
    pub async fn postgres() -> Result<Option<Scratch>, StoreError> {
        let Some(admin_url) = std::env::var(POSTGRES_ENV).ok().filter(|u| !u.is_empty()) else {
            assert!(std::env::var("CI").is_err(), "{POSTGRES_ENV} is not set: in CI the PostgreSQL suite must run (scripts/test starts a server)");
            eprintln!("SKIP PostgreSQL: {POSTGRES_ENV} not set (scripts/test sets it)");
            return Ok(None);
        };
        let admin = Store::connect(&admin_url).await?;
        let name = format!("traguardi_test_{}", uuid::Uuid::now_v7().simple());
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin.pool).await?;
        admin.close().await;
        let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(b, _)| b);
        Ok(Some(Scratch { url: format!("{base}/{name}"), place: Place::Database { admin_url, name } }))
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// A migrated store on this database, which removes it when its last clone is dropped.
    pub async fn open(self) -> Result<Store, StoreError> {
        let mut store = Store::connect(&self.url).await?;
        store.migrate().await?;
        store.scratch = Some(Arc::new(self));
        Ok(store)
    }
}

impl Deref for Scratch {
    type Target = str;
    fn deref(&self) -> &str {
        &self.url
    }
}

impl AsRef<std::ffi::OsStr> for Scratch {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.url.as_ref()
    }
}

impl fmt::Display for Scratch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        match &self.place {
            // Removing a file still open elsewhere is allowed: its space is freed at the last close.
            Place::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            // A drop may happen inside the test's runtime, which cannot be blocked on: the
            // database is dropped from a thread of its own, and waited for, so that the process
            // never ends with it half dropped. FORCE ends the connections still in the pool.
            Place::Database { admin_url, name } => {
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                let admin_url = admin_url.clone();
                let dropped = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                    rt.block_on(async {
                        let admin = Store::connect(&admin_url).await.ok()?;
                        let done = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&admin.pool).await;
                        admin.close().await;
                        done.ok()
                    })
                })
                .join();
                if !matches!(dropped, Ok(Some(_))) {
                    eprintln!("test database {name} not dropped");
                }
            }
        }
    }
}

/// A migrated SQLite store in a new temporary file.
pub async fn sqlite() -> Result<Store, StoreError> {
    Scratch::sqlite().open().await
}

/// A migrated PostgreSQL store in a new database, when a server is configured.
pub async fn postgres() -> Result<Option<Store>, StoreError> {
    match Scratch::postgres().await? {
        Some(scratch) => Ok(Some(scratch.open().await?)),
        None => Ok(None),
    }
}

/// Every backend available: SQLite first, then PostgreSQL when configured.
pub async fn all() -> Result<Vec<Store>, StoreError> {
    let mut stores = vec![sqlite().await?];
    stores.extend(postgres().await?);
    Ok(stores)
}
