//! Enti (tenants).

pub use traguardi_domain::ente::{Ente, EnteId};
use traguardi_domain::ente::{EnteCode, EnteKind, NewEnte};

use crate::record::{Cell, Column, Record, coded_column, insert_unscoped, read_all, record, select};
use crate::row::{coded, int};
use crate::{Conn, StoreError, new_id};

record!(Ente in "ente" { id, code, name, codice_fiscale, kind, staff_size, has_dirigenti });
coded_column!(EnteKind, EnteKind::parse);

/// Stored as its six digits.
impl Column for EnteCode {
    fn cell(&self) -> Cell {
        Cell::Text(Some(self.as_str().to_string()))
    }
    fn read(row: &sqlx::any::AnyRow, table: &'static str, column: &'static str) -> Result<Self, StoreError> {
        coded(row, table, column, EnteCode::parse)
    }
}

pub async fn insert(conn: &mut Conn, e: &NewEnte) -> Result<Ente, StoreError> {
    let ente = Ente {
        id: new_id(),
        code: e.code.clone(),
        name: e.name.clone(),
        codice_fiscale: e.codice_fiscale.clone(),
        kind: e.kind,
        staff_size: e.staff_size,
        has_dirigenti: e.has_dirigenti,
    };
    let created_at = chrono::Utc::now().to_rfc3339();
    insert_unscoped(conn, &[("created_at", &created_at)], &ente).await?;
    Ok(ente)
}

pub async fn by_code(conn: &mut Conn, code: &EnteCode) -> Result<Option<Ente>, StoreError> {
    let row = sqlx::query(select::<Ente>("WHERE code = $1")).bind(code.as_str()).fetch_optional(&mut *conn).await?;
    row.as_ref().map(Ente::read).transpose()
}

pub async fn list(conn: &mut Conn) -> Result<Vec<Ente>, StoreError> {
    read_all(&sqlx::query(select::<Ente>("ORDER BY code")).fetch_all(&mut *conn).await?)
}

/// The ente's calendar settings: patron saint's day (month, day) and due days of monitoring.
pub async fn calendar(conn: &mut Conn, ente: &EnteId) -> Result<Option<(Option<(u32, u32)>, u32)>, StoreError> {
    let row = sqlx::query("SELECT patron_month, patron_day, due_days FROM ente_calendar WHERE ente_id = $1").bind(&ente.0).fetch_optional(&mut *conn).await?;
    let Some(r) = row else { return Ok(None) };
    use sqlx::Row;
    let m: Option<i64> = r.try_get("patron_month")?;
    let d: Option<i64> = r.try_get("patron_day")?;
    let due = int(&r, "due_days")?;
    let patron = m.zip(d).map(|(m, d)| (u32::try_from(m).unwrap_or(0), u32::try_from(d).unwrap_or(0)));
    Ok(Some((patron, u32::try_from(due).unwrap_or(0))))
}

pub async fn set_calendar(conn: &mut Conn, ente: &EnteId, patron: Option<(u32, u32)>, due_days: u32) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM ente_calendar WHERE ente_id = $1").bind(&ente.0).execute(&mut *conn).await?;
    sqlx::query("INSERT INTO ente_calendar (ente_id, patron_month, patron_day, due_days) VALUES ($1, $2, $3, $4)")
        .bind(&ente.0)
        .bind(patron.map(|p| i64::from(p.0)))
        .bind(patron.map(|p| i64::from(p.1)))
        .bind(i64::from(due_days))
        .execute(&mut *conn)
        .await?;
    Ok(())
}
