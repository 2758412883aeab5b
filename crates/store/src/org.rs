//! The org tree of one cycle: one row per unit per cycle, linked across cycles by lineage.

use traguardi_domain::org::UnitKind;

pub use traguardi_domain::org::OrgUnit;

use crate::row::{coded, date, int, iso, opt_text, sql, text};
use crate::{Conn, EnteId, StoreError};

const COLUMNS: &str = "id, cycle_id, lineage_id, code, name, kind, parent_id, cdr, responsible_id, valid_from, valid_to, position";

fn from_row(r: &sqlx::any::AnyRow) -> Result<OrgUnit, StoreError> {
    Ok(OrgUnit {
        id: text(r, "id")?,
        cycle_id: text(r, "cycle_id")?,
        lineage_id: text(r, "lineage_id")?,
        code: text(r, "code")?,
        name: text(r, "name")?,
        kind: coded(r, "org_unit", "kind", UnitKind::parse)?,
        parent_id: opt_text(r, "parent_id")?,
        cdr: opt_text(r, "cdr")?,
        responsible_id: opt_text(r, "responsible_id")?,
        valid_from: date(r, "org_unit", "valid_from")?,
        valid_to: date(r, "org_unit", "valid_to")?,
        position: int(r, "position")?,
    })
}

/// The units of a cycle, in tree order of insertion (parents are always stored before children).
pub async fn of_cycle(conn: &mut Conn, ente: &EnteId, cycle_id: &str) -> Result<Vec<OrgUnit>, StoreError> {
    let rows = sqlx::query(sql(format!("SELECT {COLUMNS} FROM org_unit WHERE ente_id = $1 AND cycle_id = $2 ORDER BY position, code")))
        .bind(&ente.0)
        .bind(cycle_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

pub async fn by_code(conn: &mut Conn, ente: &EnteId, cycle_id: &str, code: &str) -> Result<Option<OrgUnit>, StoreError> {
    let row = sqlx::query(sql(format!("SELECT {COLUMNS} FROM org_unit WHERE ente_id = $1 AND cycle_id = $2 AND code = $3")))
        .bind(&ente.0)
        .bind(cycle_id)
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn by_id(conn: &mut Conn, ente: &EnteId, id: &str) -> Result<Option<OrgUnit>, StoreError> {
    let row =
        sqlx::query(sql(format!("SELECT {COLUMNS} FROM org_unit WHERE ente_id = $1 AND id = $2"))).bind(&ente.0).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(from_row).transpose()
}

/// The lineage of the unit that had `code` in the latest cycle before `year`, if any.
pub async fn lineage_before(conn: &mut Conn, ente: &EnteId, year: i32, code: &str) -> Result<Option<String>, StoreError> {
    let row = sqlx::query(
        "SELECT u.lineage_id FROM org_unit u JOIN cycle c ON c.id = u.cycle_id
         WHERE u.ente_id = $1 AND u.code = $2 AND c.year < $3 ORDER BY c.year DESC LIMIT 1",
    )
    .bind(&ente.0)
    .bind(code)
    .bind(i64::from(year))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(|r| text(r, "lineage_id")).transpose()
}

/// Every version of a unit across cycles, oldest first, with the cycle's year.
pub async fn history(conn: &mut Conn, ente: &EnteId, lineage_id: &str) -> Result<Vec<(i32, OrgUnit)>, StoreError> {
    let rows = sqlx::query(sql(format!(
        "SELECT c.year AS year, {} FROM org_unit u JOIN cycle c ON c.id = u.cycle_id
         WHERE u.ente_id = $1 AND u.lineage_id = $2 ORDER BY c.year",
        COLUMNS.split(", ").map(|c| format!("u.{c}")).collect::<Vec<_>>().join(", ")
    )))
    .bind(&ente.0)
    .bind(lineage_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok((i32::try_from(int(r, "year")?).unwrap_or_default(), from_row(r)?))).collect()
}

pub async fn insert(conn: &mut Conn, ente: &EnteId, u: &OrgUnit) -> Result<(), StoreError> {
    write(conn, ente, u, format!("INSERT INTO org_unit (ente_id, {COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")).await
}

/// Rewrites the fields of a stored unit (same id, cycle and lineage).
pub async fn update(conn: &mut Conn, ente: &EnteId, u: &OrgUnit) -> Result<(), StoreError> {
    let q = "UPDATE org_unit SET cycle_id = $3, lineage_id = $4, code = $5, name = $6, kind = $7, parent_id = $8, cdr = $9, responsible_id = $10,
                valid_from = $11, valid_to = $12, position = $13
             WHERE ente_id = $1 AND id = $2";
    write(conn, ente, u, q.to_string()).await
}

/// Runs an INSERT or UPDATE whose parameters are the ente and the unit's columns in order.
async fn write(conn: &mut Conn, ente: &EnteId, u: &OrgUnit, q: String) -> Result<(), StoreError> {
    sqlx::query(sql(q))
        .bind(&ente.0)
        .bind(&u.id)
        .bind(&u.cycle_id)
        .bind(&u.lineage_id)
        .bind(&u.code)
        .bind(&u.name)
        .bind(u.kind.code())
        .bind(u.parent_id.as_deref())
        .bind(u.cdr.as_deref())
        .bind(u.responsible_id.as_deref())
        .bind(iso(u.valid_from))
        .bind(iso(u.valid_to))
        .bind(u.position)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn set_responsible(conn: &mut Conn, ente: &EnteId, unit_id: &str, person_id: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE org_unit SET responsible_id = $3 WHERE ente_id = $1 AND id = $2")
        .bind(&ente.0)
        .bind(unit_id)
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// What still refers to a unit in its cycle: (child units, assignments, objectives, KPIs, contributions).
pub async fn references(conn: &mut Conn, ente: &EnteId, unit_id: &str) -> Result<[i64; 5], StoreError> {
    let mut out = [0; 5];
    let queries = [
        "SELECT CAST(COUNT(*) AS BIGINT) FROM org_unit WHERE ente_id = $1 AND parent_id = $2",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM assignment WHERE ente_id = $1 AND unit_id = $2",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM objective WHERE ente_id = $1 AND unit_id = $2",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM kpi WHERE ente_id = $1 AND owner_unit_id = $2",
        "SELECT CAST(COUNT(*) AS BIGINT) FROM objective_contribution WHERE ente_id = $1 AND unit_id = $2",
    ];
    for (slot, q) in out.iter_mut().zip(queries) {
        *slot = sqlx::query_scalar(q).bind(&ente.0).bind(unit_id).fetch_one(&mut *conn).await?;
    }
    Ok(out)
}

pub async fn delete(conn: &mut Conn, ente: &EnteId, unit_id: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM org_unit WHERE ente_id = $1 AND id = $2").bind(&ente.0).bind(unit_id).execute(&mut *conn).await?;
    Ok(())
}
