//! Enti (tenants).

pub use traguardi_domain::ente::{Ente, EnteId};
use traguardi_domain::ente::{EnteCode, EnteKind, NewEnte};

use crate::row::{boolean, coded, int, opt_text, sql, text};
use crate::{Conn, StoreError, new_id};

const COLUMNS: &str = "id, code, name, codice_fiscale, kind, staff_size, has_dirigenti";

fn from_row(r: &sqlx::any::AnyRow) -> Result<Ente, StoreError> {
    Ok(Ente {
        id: EnteId(text(r, "id")?),
        code: coded(r, "ente", "code", EnteCode::parse)?,
        name: text(r, "name")?,
        codice_fiscale: opt_text(r, "codice_fiscale")?,
        kind: coded(r, "ente", "kind", EnteKind::parse)?,
        staff_size: int(r, "staff_size")?,
        has_dirigenti: boolean(r, "has_dirigenti")?,
    })
}

pub async fn insert(conn: &mut Conn, e: &NewEnte) -> Result<Ente, StoreError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO ente (id, code, name, codice_fiscale, kind, staff_size, has_dirigenti, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(e.code.as_str())
    .bind(&e.name)
    .bind(e.codice_fiscale.as_deref())
    .bind(e.kind.code())
    .bind(e.staff_size)
    .bind(i64::from(e.has_dirigenti))
    .bind(chrono::Utc::now().to_rfc3339())
    .execute(&mut *conn)
    .await?;
    by_code(conn, &e.code).await?.ok_or(StoreError::Sql(sqlx::Error::RowNotFound))
}

pub async fn by_code(conn: &mut Conn, code: &EnteCode) -> Result<Option<Ente>, StoreError> {
    let row = sqlx::query(sql(format!("SELECT {COLUMNS} FROM ente WHERE code = $1"))).bind(code.as_str()).fetch_optional(&mut *conn).await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn list(conn: &mut Conn) -> Result<Vec<Ente>, StoreError> {
    let rows = sqlx::query(sql(format!("SELECT {COLUMNS} FROM ente ORDER BY code"))).fetch_all(&mut *conn).await?;
    rows.iter().map(from_row).collect()
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
