//! Cycles: one year of an ente, with its calendar.

pub use traguardi_domain::cycle::Cycle;
use traguardi_domain::cycle::CycleCalendar;

use crate::row::{date, int, iso, sql, text};
use crate::{Conn, EnteId, StoreError, new_id};
use traguardi_domain::cycle::CycleId;

const COLUMNS: &str = "id, year, triennium_from, triennium_to, starts, ends, piao_due, relazione_due";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Cycle, StoreError> {
    let year = |c: &str| -> Result<i32, StoreError> { Ok(i32::try_from(int(r, c)?).unwrap_or_default()) };
    Ok(Cycle {
        id: CycleId(text(r, "id")?),
        calendar: CycleCalendar {
            year: year("year")?,
            triennium_from: year("triennium_from")?,
            triennium_to: year("triennium_to")?,
            starts: date(r, "cycle", "starts")?,
            ends: date(r, "cycle", "ends")?,
            piao_due: date(r, "cycle", "piao_due")?,
            relazione_due: date(r, "cycle", "relazione_due")?,
        },
    })
}

pub async fn insert(conn: &mut Conn, ente: &EnteId, cal: &CycleCalendar) -> Result<Cycle, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO cycle (id, ente_id, year, triennium_from, triennium_to, starts, ends, piao_due, relazione_due)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(&ente.0)
    .bind(i64::from(cal.year))
    .bind(i64::from(cal.triennium_from))
    .bind(i64::from(cal.triennium_to))
    .bind(iso(cal.starts))
    .bind(iso(cal.ends))
    .bind(iso(cal.piao_due))
    .bind(iso(cal.relazione_due))
    .execute(&mut *conn)
    .await?;
    Ok(Cycle { id: CycleId(id), calendar: cal.clone() })
}

pub async fn by_year(conn: &mut Conn, ente: &EnteId, year: i32) -> Result<Option<Cycle>, StoreError> {
    let row = sqlx::query(sql(format!("SELECT {COLUMNS} FROM cycle WHERE ente_id = $1 AND year = $2")))
        .bind(&ente.0)
        .bind(i64::from(year))
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The cycles of an ente, most recent first.
pub async fn list(conn: &mut Conn, ente: &EnteId) -> Result<Vec<Cycle>, StoreError> {
    let rows = sqlx::query(sql(format!("SELECT {COLUMNS} FROM cycle WHERE ente_id = $1 ORDER BY year DESC"))).bind(&ente.0).fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
}

/// Locks a cycle's row until the transaction ends: `exclusive` for the close, shared for every
/// change of the cycle's data. On PostgreSQL this closes the race between a change that checked
/// the cycle open and a close committing meanwhile: the close waits for the changes in flight,
/// and a change after it sees it closed. (SQLite's transactions are one writer at a time.)
pub async fn lock(conn: &mut Conn, cycle_id: &CycleId, exclusive: bool) -> Result<(), StoreError> {
    if conn.backend_name() != "PostgreSQL" {
        return Ok(());
    }
    let sql = if exclusive { "SELECT id FROM cycle WHERE id = $1 FOR UPDATE" } else { "SELECT id FROM cycle WHERE id = $1 FOR SHARE" };
    sqlx::query(sql).bind(cycle_id.as_str()).execute(&mut *conn).await?;
    Ok(())
}
