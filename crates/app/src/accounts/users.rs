//! Accounts and sessions: argon2id passwords, roles scoped to an ente and a unit, sessions kept
//! in the database (only a hash of the token), and login attempts limited per username.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use chrono::{Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use traguardi_domain::said;
use traguardi_domain::{Problem, ProblemKind};
use traguardi_store::accounts::{self, Account};
use traguardi_store::{Store, new_id, org};

use crate::accounts::access::{AccountRole, ActorKind, Right};
use crate::accounts::audit::{self, Change};
use crate::{Actor, AppError, org::enti};

pub const MIN_PASSWORD: usize = 10;
/// After this many failed attempts for one username from one client address within
/// `LOCK_MINUTES`, that client waits before trying that username again, twice as long at each
/// further failure (1, 2, 4… minutes, at most `LOCK_MINUTES`). Other addresses, the real user's
/// among them, are not held back.
pub const MAX_FAILURES: i64 = 5;
pub const LOCK_MINUTES: i64 = 15;
/// Failed attempts from one client address, for any username, within `LOCK_MINUTES` before it
/// is refused outright until they pass.
pub const MAX_CLIENT_FAILURES: i64 = 50;
/// The longest username and password a login reads; longer ones are refused unread and unstored.
pub const MAX_USERNAME: usize = 128;
pub const MAX_PASSWORD: usize = 1024;
/// Login attempts are kept this many days, then purged.
pub const ATTEMPTS_KEPT_DAYS: i64 = 30;
pub const SESSION_HOURS: i64 = 8;

fn stamp(t: chrono::DateTime<Utc>) -> String {
    // A fixed shape, so that timestamps compare as text on both backends.
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn field(col: &str, kind: ProblemKind) -> AppError {
    AppError::Invalid(Problem { row: None, column: Some(col.into()), kind }.into())
}

fn hash_password(password: &str) -> Result<String, AppError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(field(
            "password",
            ProblemKind::BadFormat { value: "…".into(), expected: traguardi_domain::said!("almeno {min} caratteri", min = MIN_PASSWORD) },
        ));
    }
    Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| AppError::Refused(said!("password non cifrata: {e}", e)))
}

/// A random token: 256 bits from the operating system, as hex.
pub fn random_token() -> String {
    let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    format!("{}{}", a.simple(), b.simple())
}

fn sha(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

pub async fn add_user(store: &Store, actor: &Actor, username: &str, display_name: &str, password: &str) -> Result<Account, AppError> {
    actor.require(Right::Administer, said!("creare utenti"))?;
    let username = username.trim().to_lowercase();
    if username.is_empty() || username.len() > 64 || !username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')) {
        return Err(field(
            "utente",
            ProblemKind::BadFormat { value: username, expected: traguardi_domain::said!("lettere, cifre e . _ - @, al massimo 64 caratteri") },
        ));
    }
    let mut tx = store.begin().await?;
    if accounts::by_username(&mut tx, &username).await?.is_some() {
        return Err(AppError::Refused(said!("l'utente {username} esiste già", username)));
    }
    let a = Account { id: new_id(), username, display_name: display_name.trim().into(), password_hash: hash_password(password)?, active: true };
    accounts::insert(&mut tx, &a, &stamp(Utc::now())).await?;
    audit::record(&mut tx, actor, None, Change::<(), _> { action: "crea utente", entity: "utente", entity_id: Some(&a.id), before: None, after: Some(&a) })
        .await?;
    tx.commit().await?;
    Ok(a)
}

pub async fn set_password(store: &Store, actor: &Actor, username: &str, password: &str) -> Result<(), AppError> {
    actor.require(Right::Administer, said!("cambiare password"))?;
    let mut tx = store.begin().await?;
    let a = accounts::by_username(&mut tx, &username.trim().to_lowercase())
        .await?
        .ok_or_else(|| AppError::NotFound(said!("utente {username} inesistente", username)))?;
    accounts::set_password(&mut tx, &a.id, &hash_password(password)?).await?;
    // A new password ends whatever the old one opened: every session and API token.
    accounts::end_sessions_and_tokens(&mut tx, &a.id, &stamp(Utc::now())).await?;
    audit::record(&mut tx, actor, None, Change::<(), _> { action: "cambia password", entity: "utente", entity_id: Some(&a.id), before: None, after: Some(&a) })
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Links an account to the person it is in an ente (by matricola), so that its holder sees
/// their own evaluation and premium.
#[tracing::instrument(skip_all, fields(ente = ente_code))]
pub async fn link_person(store: &Store, actor: &Actor, username: &str, ente_code: Option<&str>, matricola: &str) -> Result<(), AppError> {
    actor.require(Right::Administer, said!("collegare un utente a una persona"))?;
    let mut tx = store.begin().await?;
    let a = accounts::by_username(&mut tx, &username.trim().to_lowercase())
        .await?
        .ok_or_else(|| AppError::NotFound(said!("utente {username} inesistente", username)))?;
    let ente = enti::resolve(&mut tx, ente_code).await?;
    let p = traguardi_store::people::person_by_matricola(&mut tx, &ente.id, matricola.trim())
        .await?
        .ok_or_else(|| field("--matricola", ProblemKind::UnknownPerson { value: matricola.trim().into() }))?;
    if accounts::person_of(&mut tx, &a.id, &ente.id).await?.as_deref() == Some(p.id.as_str()) {
        return Ok(());
    }
    accounts::link_person(&mut tx, &a.id, &ente.id, &p.id).await?;
    let after = serde_json::json!({ "utente": a.username, "matricola": p.matricola });
    audit::record(
        &mut tx,
        actor,
        Some(&ente.id),
        Change::<(), _> { action: "collega persona", entity: "utente", entity_id: Some(&a.id), before: None, after: Some(&after) },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Grants a role on an ente; direttore, dirigente and PO/EQ are scoped to a unit code of the
/// ente's latest cycle (and everything below it).
#[tracing::instrument(skip_all, fields(ente = ente_code))]
pub async fn grant_role(store: &Store, actor: &Actor, username: &str, ente_code: Option<&str>, role: &str, unit: Option<&str>) -> Result<(), AppError> {
    actor.require(Right::Administer, said!("assegnare ruoli"))?;
    let Some(role) = AccountRole::parse(role) else {
        return Err(field("--ruolo", ProblemKind::NotOneOf { value: role.trim().into(), allowed: AccountRole::ALL.map(|r| r.code().to_string()).to_vec() }));
    };
    let mut tx = store.begin().await?;
    let a = accounts::by_username(&mut tx, &username.trim().to_lowercase())
        .await?
        .ok_or_else(|| AppError::NotFound(said!("utente {username} inesistente", username)))?;
    let ente = if role == AccountRole::Amministratore { None } else { Some(enti::resolve(&mut tx, ente_code).await?) };
    let lineage = match (role.unit_scoped(), unit, &ente) {
        (true, Some(code), Some(e)) => {
            let cycle = traguardi_store::cycle::list(&mut tx, &e.id).await?.into_iter().next().ok_or(AppError::Refused(said!("l'ente non ha ancora cicli")))?;
            let u =
                org::by_code(&mut tx, &e.id, &cycle.id, code).await?.ok_or_else(|| field("--struttura", ProblemKind::UnknownUnit { value: code.into() }))?;
            Some(u.lineage_id)
        }
        (true, None, _) => return Err(field("--struttura", ProblemKind::Required)),
        _ => None,
    };
    accounts::grant(&mut tx, &a.id, ente.as_ref().map(|e| &e.id), role.code(), lineage.as_deref(), &stamp(Utc::now())).await?;
    let after = serde_json::json!({ "utente": a.username, "ruolo": role.code(), "ente": ente.as_ref().map(|e| e.code.to_string()), "struttura": unit });
    audit::record(
        &mut tx,
        actor,
        ente.as_ref().map(|e| &e.id),
        Change::<(), _> { action: "assegna ruolo", entity: "utente", entity_id: Some(&a.id), before: None, after: Some(&after) },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A session just opened: the token goes in a cookie, the CSRF token in every form.
#[derive(Debug, Clone, Serialize)]
pub struct NewSession {
    pub token: String,
    pub csrf: String,
    pub display_name: String,
}

/// Checks the password; refused with the same message for an unknown user or a wrong password,
/// and refused outright after `MAX_FAILURES` failures in `LOCK_MINUTES`.
pub async fn login(store: &Store, username: &str, password: &str, client: &str) -> Result<NewSession, AppError> {
    let wrong = || AppError::Refused(said!("utente o password non corretti"));
    let throttled = || AppError::LoginLocked { minutes: LOCK_MINUTES };
    // Bounded before anything is read, hashed or stored.
    if username.chars().count() > MAX_USERNAME || password.len() > MAX_PASSWORD {
        return Err(wrong());
    }
    let username = username.trim().to_lowercase();
    let client: String = client.chars().take(64).collect();
    let now = Utc::now();
    let account = {
        let mut conn = store.acquire().await?;
        let since = stamp(now - Duration::minutes(LOCK_MINUTES));
        let (pair, any, last) = accounts::failures_since(&mut conn, &username, &client, &since).await?;
        if any >= MAX_CLIENT_FAILURES {
            return Err(throttled());
        }
        if pair >= MAX_FAILURES {
            let wait = Duration::minutes((1i64 << (pair - MAX_FAILURES).min(4)).min(LOCK_MINUTES));
            let last = last.and_then(|l| chrono::DateTime::parse_from_rfc3339(&l).ok()).map(|l| l.with_timezone(&Utc));
            if last.is_some_and(|l| now < l + wait) {
                return Err(throttled());
            }
        }
        accounts::by_username(&mut conn, &username).await?.filter(|a| a.active)
    };
    // Argon2 off the async workers and outside any transaction; an unknown username costs the
    // same work as a known one, so the time of the answer does not tell which exist.
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let typed = password.to_string();
    let ok = tokio::task::spawn_blocking(move || {
        let hash = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let matches = PasswordHash::new(&hash).is_ok_and(|h| Argon2::default().verify_password(typed.as_bytes(), &h).is_ok());
        matches && hash != *DUMMY_HASH
    })
    .await
    .map_err(|e| AppError::Refused(said!("verifica della password interrotta: {e}", e)))?;
    let mut tx = store.begin().await?;
    accounts::record_attempt(&mut tx, &username, &client, &stamp(now), ok).await?;
    accounts::purge(&mut tx, &stamp(now - Duration::days(ATTEMPTS_KEPT_DAYS)), &stamp(now)).await?;
    let Some(account) = account.filter(|_| ok) else {
        tx.commit().await?;
        return Err(wrong());
    };
    let (token, csrf) = (random_token(), random_token());
    accounts::insert_session(&mut tx, &sha(&token), &account.id, &csrf, &stamp(now), &stamp(now + Duration::hours(SESSION_HOURS))).await?;
    tx.commit().await?;
    Ok(NewSession { token, csrf, display_name: account.display_name })
}

/// A hash no password matches in practice, checked when the username is unknown.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| Argon2::default().hash_password(random_token().as_bytes()).map(|h| h.to_string()).unwrap_or_default());

/// Opens a session for an account whose holder an identity provider has vouched for (OIDC):
/// no password, but the account must exist and be active, created by the administrator.
pub async fn login_external(store: &Store, username: &str) -> Result<NewSession, AppError> {
    let username = username.trim().to_lowercase();
    let now = Utc::now();
    let mut tx = store.begin().await?;
    let account = accounts::by_username(&mut tx, &username).await?.filter(|a| a.active);
    accounts::record_attempt(&mut tx, &username, "oidc", &stamp(now), account.is_some()).await?;
    let Some(account) = account else {
        tx.commit().await?;
        return Err(AppError::Refused(said!(
            "nessun utente attivo «{username}» in Traguardi: l'amministratore lo crea con traguardi user add {username}",
            username
        )));
    };
    let (token, csrf) = (random_token(), random_token());
    accounts::insert_session(&mut tx, &sha(&token), &account.id, &csrf, &stamp(now), &stamp(now + Duration::hours(SESSION_HOURS))).await?;
    tx.commit().await?;
    Ok(NewSession { token, csrf, display_name: account.display_name })
}

/// The actor of a session token, with its CSRF token; `None` when unknown or expired.
pub async fn session(store: &Store, token: &str) -> Result<Option<(Actor, String, String)>, AppError> {
    let mut conn = store.acquire().await?;
    let Some((account, csrf)) = accounts::session(&mut conn, &sha(token), &stamp(Utc::now())).await? else { return Ok(None) };
    let actor = actor_of(&mut conn, &account).await?;
    Ok(Some((actor, csrf, account.display_name)))
}

/// An account acting with its roles.
async fn actor_of(conn: &mut traguardi_store::Conn, account: &Account) -> Result<Actor, AppError> {
    let grants = accounts::roles(conn, &account.id).await?;
    let units = grants.iter().filter(|g| g.role.unit_scoped()).filter_map(|g| Some((g.role, g.unit_lineage.clone()?))).collect();
    let roles = grants.iter().map(|g| g.role).collect();
    let grants = grants.into_iter().map(|g| (g.ente_id, g.role)).collect();
    Ok(Actor { name: account.username.clone(), kind: ActorKind::User { account_id: account.id.clone(), roles, units, grants } })
}

/// The prefix of every API token, so that a leaked one is easy to recognise and search for.
pub const TOKEN_PREFIX: &str = "trg_";

/// A new API token: shown once, stored as its SHA-256 only.
#[derive(Debug, Clone, Serialize)]
pub struct NewToken {
    pub id: String,
    pub token: String,
}

/// Creates an API token acting as `username` with that account's roles, for integrations.
pub async fn add_token(store: &Store, actor: &Actor, username: &str, name: &str) -> Result<NewToken, AppError> {
    actor.require(Right::Administer, said!("creare token per le API"))?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(field("--nome", ProblemKind::BadFormat { value: name.into(), expected: traguardi_domain::said!("da 1 a 100 caratteri") }));
    }
    let mut tx = store.begin().await?;
    let a = accounts::by_username(&mut tx, &username.trim().to_lowercase())
        .await?
        .ok_or_else(|| AppError::NotFound(said!("utente {username} inesistente", username)))?;
    if accounts::tokens(&mut tx, Some(&a.username)).await?.iter().any(|t| t.name == name) {
        return Err(AppError::Refused(said!("l'utente {username} ha già un token di nome «{name}»", username = a.username, name)));
    }
    let new = NewToken { id: new_id(), token: format!("{TOKEN_PREFIX}{}", random_token()) };
    accounts::insert_token(&mut tx, &new.id, &a.id, name, &sha(&new.token), &stamp(Utc::now())).await?;
    let after = serde_json::json!({ "utente": a.username, "nome": name });
    audit::record(
        &mut tx,
        actor,
        None,
        Change::<(), _> { action: "crea token API", entity: "token", entity_id: Some(&new.id), before: None, after: Some(&after) },
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}

/// Every API token (never its secret), or an account's.
pub async fn tokens(store: &Store, actor: &Actor, username: Option<&str>) -> Result<Vec<accounts::ApiToken>, AppError> {
    actor.require(Right::Administer, said!("elencare i token per le API"))?;
    let mut conn = store.acquire().await?;
    Ok(accounts::tokens(&mut conn, username.map(|u| u.trim().to_lowercase()).as_deref()).await?)
}

/// Revokes a token: from then on it is refused; it stays listed with the time of revocation.
pub async fn revoke_token(store: &Store, actor: &Actor, id: &str) -> Result<accounts::ApiToken, AppError> {
    actor.require(Right::Administer, said!("revocare token per le API"))?;
    let mut tx = store.begin().await?;
    let before = accounts::token_by_id(&mut tx, id.trim()).await?.ok_or_else(|| AppError::NotFound(said!("token {id} inesistente", id)))?;
    if before.revoked_at.is_some() {
        return Ok(before);
    }
    accounts::revoke_token(&mut tx, &before.id, &stamp(Utc::now())).await?;
    let after = accounts::token_by_id(&mut tx, &before.id).await?.unwrap_or_else(|| before.clone());
    audit::record(
        &mut tx,
        actor,
        None,
        Change { action: "revoca token API", entity: "token", entity_id: Some(&before.id), before: Some(&before), after: Some(&after) },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// The account acting through an API token; `None` when unknown, revoked or the account disabled.
/// `per_minute` bounds the token's requests in each minute, counted in the database so that
/// every app node counts the same ones; past it the request is refused until the next minute.
pub async fn token_actor(store: &Store, token: &str, per_minute: u32) -> Result<Option<Actor>, AppError> {
    if !token.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let mut conn = store.acquire().await?;
    let now = Utc::now();
    let hash = sha(token);
    let Some(account) = accounts::token_account(&mut conn, &hash, &stamp(now)).await? else { return Ok(None) };
    let requests = accounts::count_request(&mut conn, &hash, &now.format("%Y-%m-%dT%H:%M").to_string()).await?;
    if requests > i64::from(per_minute) {
        let retry_after = 60 - u64::from(chrono::Timelike::second(&now));
        return Err(AppError::TooMany { limit: per_minute, retry_after });
    }
    Ok(Some(actor_of(&mut conn, &account).await?))
}

pub async fn logout(store: &Store, token: &str) -> Result<(), AppError> {
    let mut conn = store.acquire().await?;
    accounts::delete_session(&mut conn, &sha(token)).await?;
    Ok(())
}
