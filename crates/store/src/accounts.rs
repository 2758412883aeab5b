//! Accounts, roles, sessions and login attempts.

pub use traguardi_domain::access::{Account, ApiToken, RoleGrant};

use crate::record::{Column, Record, columns, insert_unscoped, record, select};
use crate::row::{opt_text, sql, text};
use crate::{Conn, EnteId, StoreError};
use traguardi_domain::access::AccountRole;

record!(Account in "account" { id, username, display_name, password_hash, active });

pub async fn by_username(conn: &mut Conn, username: &str) -> Result<Option<Account>, StoreError> {
    let row = sqlx::query(select::<Account>("WHERE username = $1")).bind(username).fetch_optional(&mut *conn).await?;
    row.as_ref().map(Account::read).transpose()
}

/// A new account (accounts belong to the installation, not to an ente).
pub async fn insert(conn: &mut Conn, a: &Account, at: &str) -> Result<(), StoreError> {
    insert_unscoped(conn, &[("created_at", at)], a).await
}

pub async fn set_password(conn: &mut Conn, account_id: &str, hash: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE account SET password_hash = $2 WHERE id = $1").bind(account_id).bind(hash).execute(&mut *conn).await?;
    Ok(())
}

pub async fn roles(conn: &mut Conn, account_id: &str) -> Result<Vec<RoleGrant>, StoreError> {
    let rows = sqlx::query("SELECT ente_id, role, unit_lineage FROM account_role WHERE account_id = $1 ORDER BY created_at, role")
        .bind(account_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut grants = Vec::new();
    for r in &rows {
        // A role the database holds but this version does not know gives nothing.
        let Some(role) = AccountRole::parse(&text(r, "role")?) else { continue };
        grants.push(RoleGrant { ente_id: Column::read(r, "account_role", "ente_id")?, role, unit_lineage: opt_text(r, "unit_lineage")? });
    }
    Ok(grants)
}

pub async fn grant(conn: &mut Conn, account_id: &str, ente: Option<&EnteId>, role: &str, unit_lineage: Option<&str>, at: &str) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO account_role (id, account_id, ente_id, role, unit_lineage, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(crate::new_id::<String>())
        .bind(account_id)
        .bind(ente.map(|e| e.0.as_str()))
        .bind(role)
        .bind(unit_lineage)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn insert_session(conn: &mut Conn, token_hash: &str, account_id: &str, csrf: &str, at: &str, expires: &str) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO session (token_hash, account_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(token_hash)
        .bind(account_id)
        .bind(csrf)
        .bind(at)
        .bind(expires)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The account and CSRF token of a session that has not expired at `now`.
pub async fn session(conn: &mut Conn, token_hash: &str, now: &str) -> Result<Option<(Account, String)>, StoreError> {
    let row = sqlx::query(sql(format!(
        "SELECT {}, s.csrf FROM session s JOIN account a ON a.id = s.account_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.active = 1",
        columns::<Account>(Some("a"))
    )))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(|r| Ok((Account::read(r)?, text(r, "csrf")?))).transpose()
}

pub async fn delete_session(conn: &mut Conn, token_hash: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM session WHERE token_hash = $1").bind(token_hash).execute(&mut *conn).await?;
    Ok(())
}

pub async fn record_attempt(conn: &mut Conn, username: &str, client: &str, at: &str, success: bool) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO login_attempt (id, username, client, at, success) VALUES ($1, $2, $3, $4, $5)")
        .bind(crate::new_id::<String>())
        .bind(username)
        .bind(client)
        .bind(at)
        .bind(i64::from(success))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Failed attempts since `since` (ISO timestamps compare as text) from `client`: for that
/// username, and for any username; and the time of the last failure for the username.
pub async fn failures_since(conn: &mut Conn, username: &str, client: &str, since: &str) -> Result<(i64, i64, Option<String>), StoreError> {
    let (pair, last): (i64, Option<String>) =
        sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT), MAX(at) FROM login_attempt WHERE username = $1 AND client = $2 AND at > $3 AND success = 0")
            .bind(username)
            .bind(client)
            .bind(since)
            .fetch_one(&mut *conn)
            .await?;
    let any: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM login_attempt WHERE client = $1 AND at > $2 AND success = 0")
        .bind(client)
        .bind(since)
        .fetch_one(&mut *conn)
        .await?;
    Ok((pair, any, last))
}

/// Ends every session of an account and revokes its API tokens (its password changed).
pub async fn end_sessions_and_tokens(conn: &mut Conn, account_id: &str, at: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM session WHERE account_id = $1").bind(account_id).execute(&mut *conn).await?;
    sqlx::query("UPDATE api_token SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL").bind(account_id).bind(at).execute(&mut *conn).await?;
    Ok(())
}

/// Forgets login attempts older than `before` and sessions expired by `now`.
pub async fn purge(conn: &mut Conn, before: &str, now: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM login_attempt WHERE at < $1").bind(before).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM session WHERE expires_at < $1").bind(now).execute(&mut *conn).await?;
    Ok(())
}

/// Links an account to the person it is in an ente (replacing an earlier link).
pub async fn link_person(conn: &mut Conn, account_id: &str, ente: &EnteId, person_id: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM account_person WHERE account_id = $1 AND ente_id = $2").bind(account_id).bind(&ente.0).execute(&mut *conn).await?;
    sqlx::query("INSERT INTO account_person (account_id, ente_id, person_id) VALUES ($1, $2, $3)")
        .bind(account_id)
        .bind(&ente.0)
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The person an account is in an ente, if linked.
pub async fn person_of(conn: &mut Conn, account_id: &str, ente: &EnteId) -> Result<Option<traguardi_domain::ids::PersonId>, StoreError> {
    let r = sqlx::query("SELECT person_id FROM account_person WHERE account_id = $1 AND ente_id = $2")
        .bind(account_id)
        .bind(&ente.0)
        .fetch_optional(&mut *conn)
        .await?;
    r.map(|r| Column::read(&r, "account_person", "person_id")).transpose()
}

pub async fn insert_token(conn: &mut Conn, id: &str, account_id: &str, name: &str, token_hash: &str, at: &str) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO api_token (id, account_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(account_id)
        .bind(name)
        .bind(token_hash)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

const TOKEN_COLUMNS: &str = "t.id, a.username, t.name, t.created_at, t.last_used_at, t.revoked_at";

fn token_from_row(r: &sqlx::any::AnyRow) -> Result<ApiToken, StoreError> {
    Ok(ApiToken {
        id: text(r, "id")?,
        username: text(r, "username")?,
        name: text(r, "name")?,
        created_at: text(r, "created_at")?,
        last_used_at: opt_text(r, "last_used_at")?,
        revoked_at: opt_text(r, "revoked_at")?,
    })
}

/// Every token, or an account's, oldest first.
pub async fn tokens(conn: &mut Conn, username: Option<&str>) -> Result<Vec<ApiToken>, StoreError> {
    let filter = if username.is_some() { "WHERE a.username = $1" } else { "" };
    let q = sqlx::query(sql(format!("SELECT {TOKEN_COLUMNS} FROM api_token t JOIN account a ON a.id = t.account_id {filter} ORDER BY t.created_at, t.id")));
    let rows = match username {
        Some(u) => q.bind(u).fetch_all(&mut *conn).await?,
        None => q.fetch_all(&mut *conn).await?,
    };
    rows.iter().map(token_from_row).collect()
}

pub async fn token_by_id(conn: &mut Conn, id: &str) -> Result<Option<ApiToken>, StoreError> {
    let row = sqlx::query(sql(format!("SELECT {TOKEN_COLUMNS} FROM api_token t JOIN account a ON a.id = t.account_id WHERE t.id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(token_from_row).transpose()
}

pub async fn revoke_token(conn: &mut Conn, id: &str, at: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE api_token SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL").bind(id).bind(at).execute(&mut *conn).await?;
    Ok(())
}

/// Counts one request of a token in `minute`; returns the requests of that minute so far. The
/// first of a minute drops the token's earlier minutes.
pub async fn count_request(conn: &mut Conn, token_hash: &str, minute: &str) -> Result<i64, StoreError> {
    let n: i64 = sqlx::query_scalar(
        "INSERT INTO api_rate (token_hash, minute, requests) VALUES ($1, $2, 1)
         ON CONFLICT (token_hash, minute) DO UPDATE SET requests = api_rate.requests + 1 RETURNING requests",
    )
    .bind(token_hash)
    .bind(minute)
    .fetch_one(&mut *conn)
    .await?;
    if n == 1 {
        sqlx::query("DELETE FROM api_rate WHERE token_hash = $1 AND minute < $2").bind(token_hash).bind(minute).execute(&mut *conn).await?;
    }
    Ok(n)
}

/// The active account of a token that is not revoked; marks the token as used at `now`.
pub async fn token_account(conn: &mut Conn, token_hash: &str, now: &str) -> Result<Option<Account>, StoreError> {
    let row = sqlx::query(sql(format!(
        "SELECT {} FROM api_token t JOIN account a ON a.id = t.account_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.active = 1",
        columns::<Account>(Some("a"))
    )))
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(account) = row.as_ref().map(Account::read).transpose()? else { return Ok(None) };
    sqlx::query("UPDATE api_token SET last_used_at = $2 WHERE token_hash = $1").bind(token_hash).bind(now).execute(&mut *conn).await?;
    Ok(Some(account))
}
