//! The versioned rules of a cycle, kept as their canonical `chiave = valore` text: each change
//! is a new version, the latest is in force.

use crate::row::{int, text};
use crate::{Conn, EnteId, StoreError, new_id};
use traguardi_domain::cycle::CycleId;

/// Which rules of a cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    /// The rules of the premi (`traguardi payout regole`).
    Premi,
    /// The scoring rules (`traguardi plan regole`).
    Punteggio,
}

impl Rules {
    fn table(self) -> &'static str {
        match self {
            Rules::Premi => "pay_rules",
            Rules::Punteggio => "scoring_rules",
        }
    }
}

/// The latest version of a cycle's rules: (version, text, by, at).
pub async fn current(conn: &mut Conn, which: Rules, ente: &EnteId, cycle_id: &CycleId) -> Result<Option<(i64, String, String, String)>, StoreError> {
    let sql =
        format!("SELECT version, rules, created_by, created_at FROM {} WHERE ente_id = $1 AND cycle_id = $2 ORDER BY version DESC LIMIT 1", which.table());
    let r = sqlx::query(crate::row::sql(sql)).bind(&ente.0).bind(cycle_id.as_str()).fetch_optional(&mut *conn).await?;
    r.map(|r| Ok((int(&r, "version")?, text(&r, "rules")?, text(&r, "created_by")?, text(&r, "created_at")?))).transpose()
}

/// Stores a new version of a cycle's rules; returns its number.
pub async fn add(conn: &mut Conn, which: Rules, ente: &EnteId, cycle_id: &CycleId, rules: &str, by: &str, at: &str) -> Result<i64, StoreError> {
    let version = current(conn, which, ente, cycle_id).await?.map_or(1, |(v, ..)| v + 1);
    let sql = format!("INSERT INTO {} (id, ente_id, cycle_id, version, rules, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)", which.table());
    sqlx::query(crate::row::sql(sql))
        .bind(new_id::<String>())
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .bind(version)
        .bind(rules)
        .bind(at)
        .bind(by)
        .execute(&mut *conn)
        .await?;
    Ok(version)
}
