//! The append-only audit log, chained by hashes per ente.

use serde::Serialize;

use crate::record::{insert_unscoped, read_all, record, select};
use crate::row::{int, text};
use crate::{Backend, Conn, EnteId, StoreError};
use traguardi_domain::cycle::CycleId;

/// A record as stored. `hash` = SHA-256 over `prev_hash` and the record's content (computed by
/// the app crate, which owns the canonical form).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRecord {
    pub seq: i64,
    pub ente_id: Option<String>,
    pub cycle_id: Option<String>,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

record!(AuditRecord in "audit_log" { seq, ente_id, cycle_id, at, actor, action, entity, entity_id, before, after, prev_hash, hash });

/// The number of the last record of the whole trail (0 when empty): it grows with every change.
pub async fn last_seq(conn: &mut Conn) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) FROM audit_log").fetch_one(&mut *conn).await?)
}

/// The ente's last record: (sequence number, hash), the head of its chain.
pub async fn last_of_ente(conn: &mut Conn, ente: &EnteId) -> Result<Option<(i64, String)>, StoreError> {
    let row = sqlx::query("SELECT seq, hash FROM audit_log WHERE ente_id = $1 ORDER BY seq DESC LIMIT 1").bind(&ente.0).fetch_optional(&mut *conn).await?;
    row.map(|r| Ok((int(&r, "seq")?, text(&r, "hash")?))).transpose()
}

/// The number of the last record of the ente with `code` (0 when it has none, or there is no such
/// ente): what the computed scores of its cycles are kept against, read in one indexed query.
pub async fn last_seq_of_ente_code(conn: &mut Conn, code: &str) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT CAST(COALESCE(MAX(a.seq), 0) AS BIGINT) FROM audit_log a JOIN ente e ON e.id = a.ente_id WHERE e.code = $1")
        .bind(code)
        .fetch_one(&mut *conn)
        .await?)
}

/// The first sequence number missing from the whole log (every ente's records share one
/// sequence, from 1), or `None` when it has no gap. After a restore of one ente's archive the
/// other enti's numbers are missing up to the archive's last record, which must be there.
pub async fn first_gap(conn: &mut Conn) -> Result<Option<i64>, StoreError> {
    let floor: i64 =
        sqlx::query_scalar("SELECT CAST(COALESCE(MAX(last_seq), 0) AS BIGINT) FROM restore_log WHERE ente_code IS NOT NULL").fetch_one(&mut *conn).await?;
    if floor > 0 {
        let there: Option<i64> = sqlx::query_scalar("SELECT seq FROM audit_log WHERE seq = $1").bind(floor).fetch_optional(&mut *conn).await?;
        if there.is_none() {
            return Ok(Some(floor));
        }
    }
    let (count, min, max): (i64, i64, i64) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(MIN(seq), $1 + 1) AS BIGINT), CAST(COALESCE(MAX(seq), $1) AS BIGINT) FROM audit_log WHERE seq > $1",
    )
    .bind(floor)
    .fetch_one(&mut *conn)
    .await?;
    if min == floor + 1 && count == max - floor {
        return Ok(None);
    }
    let seqs: Vec<i64> = sqlx::query_scalar("SELECT seq FROM audit_log WHERE seq > $1 ORDER BY seq").bind(floor).fetch_all(&mut *conn).await?;
    Ok(seqs.iter().zip(floor + 1..).find(|(s, expected)| **s != *expected).map(|(_, expected)| expected).or(Some(max + 1)))
}

/// The next sequence number and the hash the next record of `ente` must chain to.
pub async fn head(conn: &mut Conn, ente: Option<&EnteId>) -> Result<(i64, Option<String>), StoreError> {
    // One sequence for the whole log: on PostgreSQL concurrent transactions would read the same
    // last number, so each takes this lock until it ends (SQLite's writers are one at a time).
    if Backend::of(conn) == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(7340331)").execute(&mut *conn).await?;
    }
    let next: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(MAX(seq), 0) + 1 AS BIGINT) FROM audit_log").fetch_one(&mut *conn).await?;
    let last = match ente {
        Some(e) => sqlx::query("SELECT hash FROM audit_log WHERE ente_id = $1 ORDER BY seq DESC LIMIT 1").bind(&e.0),
        None => sqlx::query("SELECT hash FROM audit_log WHERE ente_id IS NULL ORDER BY seq DESC LIMIT 1"),
    }
    .fetch_optional(&mut *conn)
    .await?;
    Ok((next, last.as_ref().map(|r| text(r, "hash")).transpose()?))
}

pub async fn append(conn: &mut Conn, r: &AuditRecord) -> Result<(), StoreError> {
    insert_unscoped(conn, &[], r).await
}

/// The records of an ente in order.
pub async fn of_ente(conn: &mut Conn, ente: &EnteId) -> Result<Vec<AuditRecord>, StoreError> {
    read_all(&sqlx::query(select::<AuditRecord>("WHERE ente_id = $1 ORDER BY seq")).bind(&ente.0).fetch_all(&mut *conn).await?)
}

/// The `after` of the records of one action in one cycle, in order: what a use case wrote
/// when it took that step (e.g. the act cited by each approval of objectives).
pub async fn afters_in_cycle(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId, action: &str) -> Result<Vec<String>, StoreError> {
    let rows = sqlx::query("SELECT after FROM audit_log WHERE ente_id = $1 AND cycle_id = $2 AND action = $3 AND after IS NOT NULL ORDER BY seq")
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .bind(action)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| text(r, "after")).collect()
}
