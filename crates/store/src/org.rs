//! The org tree of one cycle: one row per unit per cycle, linked across cycles by lineage.

use traguardi_domain::org::UnitKind;

pub use traguardi_domain::org::OrgUnit;

use crate::record::{Record, coded_column, columns, read_all, record, select, upsert};
use crate::row::{int, sql, text};
use crate::{Conn, EnteId, StoreError};
use traguardi_domain::cycle::CycleId;

record!(OrgUnit in "org_unit" { id, cycle_id, lineage_id, code, name, kind, parent_id, cdr, responsible_id, valid_from, valid_to, position });
coded_column!(UnitKind, UnitKind::parse);

/// The units of a cycle, in tree order of insertion (parents are always stored before children).
pub async fn of_cycle(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<OrgUnit>, StoreError> {
    read_all(
        &sqlx::query(select::<OrgUnit>("WHERE ente_id = $1 AND cycle_id = $2 ORDER BY position, code"))
            .bind(&ente.0)
            .bind(cycle_id.as_str())
            .fetch_all(&mut *conn)
            .await?,
    )
}

pub async fn by_code(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId, code: &str) -> Result<Option<OrgUnit>, StoreError> {
    let row = sqlx::query(select::<OrgUnit>("WHERE ente_id = $1 AND cycle_id = $2 AND code = $3"))
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(OrgUnit::read).transpose()
}

pub async fn by_id(conn: &mut Conn, ente: &EnteId, id: &str) -> Result<Option<OrgUnit>, StoreError> {
    let row = sqlx::query(select::<OrgUnit>("WHERE ente_id = $1 AND id = $2")).bind(&ente.0).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(OrgUnit::read).transpose()
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
        columns::<OrgUnit>(Some("u"))
    )))
    .bind(&ente.0)
    .bind(lineage_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok((i32::try_from(int(r, "year")?).unwrap_or_default(), OrgUnit::read(r)?))).collect()
}

/// Inserts the unit, or rewrites the one with its id (same cycle and lineage).
pub async fn save(conn: &mut Conn, ente: &EnteId, u: &OrgUnit) -> Result<(), StoreError> {
    upsert(conn, ente, &[], u).await
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
