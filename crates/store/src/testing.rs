//! Fresh databases for tests, on both backends.
//!
//! SQLite always; PostgreSQL when `TRAGUARDI_TEST_POSTGRES_URL` names a server (an admin URL:
//! each call creates a new database there). With `CI=true` a missing PostgreSQL is a failure.

use crate::{Store, StoreError};

pub const POSTGRES_ENV: &str = "TRAGUARDI_TEST_POSTGRES_URL";

/// A migrated SQLite store in a new temporary file.
pub async fn sqlite() -> Result<Store, StoreError> {
    let path = std::env::temp_dir().join(format!("traguardi-test-{}.db", uuid::Uuid::now_v7().simple()));
    let store = Store::connect(&format!("sqlite://{}", path.display())).await?;
    store.migrate().await?;
    Ok(store)
}

/// The URL of a new, empty PostgreSQL database, or `None` (with a visible message) when no
/// server is configured outside CI.
pub async fn postgres_url() -> Result<Option<String>, StoreError> {
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
    Ok(Some(format!("{base}/{name}")))
}

/// A migrated PostgreSQL store in a new database, when a server is configured.
pub async fn postgres() -> Result<Option<Store>, StoreError> {
    let Some(url) = postgres_url().await? else { return Ok(None) };
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    Ok(Some(store))
}

/// Every backend available: SQLite first, then PostgreSQL when configured.
pub async fn all() -> Result<Vec<Store>, StoreError> {
    let mut stores = vec![sqlite().await?];
    stores.extend(postgres().await?);
    Ok(stores)
}
