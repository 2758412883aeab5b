//! Enti (tenants).

use serde::Serialize;
use traguardi_domain::ente::{EnteCode, EnteKind, NewEnte};

use crate::row::{boolean, coded, int, opt_text, sql, text};
use crate::{Conn, StoreError, new_id};

/// The id of an ente: the scope every other query takes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct EnteId(pub String);

#[derive(Debug, Clone, Serialize)]
pub struct Ente {
    pub id: EnteId,
    pub code: EnteCode,
    pub name: String,
    pub codice_fiscale: Option<String>,
    pub kind: EnteKind,
    pub staff_size: i64,
    pub has_dirigenti: bool,
}

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
