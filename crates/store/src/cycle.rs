//! Cycles: one year of an ente, with its calendar.

pub use traguardi_domain::cycle::Cycle;
use traguardi_domain::cycle::CycleCalendar;

use crate::record::{self, Cell, Column, Record, read_all, select};
use crate::{Backend, Conn, EnteId, StoreError, new_id};
use traguardi_domain::cycle::CycleId;

/// By hand: the calendar is one field over seven columns.
impl Record for Cycle {
    const TABLE: &'static str = "cycle";
    const COLUMNS: &'static [&'static str] = &["id", "year", "triennium_from", "triennium_to", "starts", "ends", "piao_due", "relazione_due"];
    fn cells(&self) -> Vec<Cell> {
        let c = &self.calendar;
        vec![
            self.id.cell(),
            c.year.cell(),
            c.triennium_from.cell(),
            c.triennium_to.cell(),
            c.starts.cell(),
            c.ends.cell(),
            c.piao_due.cell(),
            c.relazione_due.cell(),
        ]
    }
    fn read(r: &sqlx::any::AnyRow) -> Result<Self, StoreError> {
        let t = Self::TABLE;
        Ok(Cycle {
            id: Column::read(r, t, "id")?,
            calendar: CycleCalendar {
                year: Column::read(r, t, "year")?,
                triennium_from: Column::read(r, t, "triennium_from")?,
                triennium_to: Column::read(r, t, "triennium_to")?,
                starts: Column::read(r, t, "starts")?,
                ends: Column::read(r, t, "ends")?,
                piao_due: Column::read(r, t, "piao_due")?,
                relazione_due: Column::read(r, t, "relazione_due")?,
            },
        })
    }
}

pub async fn insert(conn: &mut Conn, ente: &EnteId, cal: &CycleCalendar) -> Result<Cycle, StoreError> {
    let cycle = Cycle { id: CycleId(new_id()), calendar: cal.clone() };
    record::insert(conn, ente, &[], &cycle).await?;
    Ok(cycle)
}

pub async fn by_year(conn: &mut Conn, ente: &EnteId, year: i32) -> Result<Option<Cycle>, StoreError> {
    let row = sqlx::query(select::<Cycle>("WHERE ente_id = $1 AND year = $2")).bind(&ente.0).bind(i64::from(year)).fetch_optional(&mut *conn).await?;
    row.as_ref().map(Cycle::read).transpose()
}

/// The cycles of an ente, most recent first.
pub async fn list(conn: &mut Conn, ente: &EnteId) -> Result<Vec<Cycle>, StoreError> {
    read_all(&sqlx::query(select::<Cycle>("WHERE ente_id = $1 ORDER BY year DESC")).bind(&ente.0).fetch_all(&mut *conn).await?)
}

/// Locks a cycle's row until the transaction ends: `exclusive` for the close, shared for every
/// change of the cycle's data. On PostgreSQL this closes the race between a change that checked
/// the cycle open and a close committing meanwhile: the close waits for the changes in flight,
/// and a change after it sees it closed. (SQLite's transactions are one writer at a time.)
pub async fn lock(conn: &mut Conn, cycle_id: &CycleId, exclusive: bool) -> Result<(), StoreError> {
    if Backend::of(conn) != Backend::Postgres {
        return Ok(());
    }
    let sql = if exclusive { "SELECT id FROM cycle WHERE id = $1 FOR UPDATE" } else { "SELECT id FROM cycle WHERE id = $1 FOR SHARE" };
    sqlx::query(sql).bind(cycle_id.as_str()).execute(&mut *conn).await?;
    Ok(())
}
