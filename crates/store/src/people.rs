//! People of an ente and their assignments in each cycle.

use rust_decimal::Decimal;
use std::str::FromStr;
use traguardi_domain::people::{Category, PartTime, PartTimeKind, Role};

pub use traguardi_domain::people::{Assignment, Person};

use crate::record::{Record, read_all, record, select, upsert};
use crate::row::{boolean, coded, date, iso, opt_date, sql, text};
use crate::{Conn, EnteId, StoreError};
use traguardi_domain::cycle::CycleId;

record!(Person in "person" { id, matricola, family_name, given_name, title, email });

const ASSIGNMENT_COLUMNS: &str = "id, cycle_id, person_id, unit_id, role, category, part_time_pct, part_time_kind, starts, ends, interim";

fn assignment_from_row(r: &sqlx::any::AnyRow) -> Result<Assignment, StoreError> {
    let percent = coded(r, "assignment", "part_time_pct", Decimal::from_str)?;
    let kind = coded(r, "assignment", "part_time_kind", PartTimeKind::parse)?;
    Ok(Assignment {
        id: text(r, "id")?,
        cycle_id: CycleId(text(r, "cycle_id")?),
        person_id: text(r, "person_id")?,
        unit_id: text(r, "unit_id")?,
        role: coded(r, "assignment", "role", Role::parse)?,
        category: coded(r, "assignment", "category", Category::parse)?,
        part_time: PartTime { percent, kind },
        starts: date(r, "assignment", "starts")?,
        ends: opt_date(r, "assignment", "ends")?,
        interim: boolean(r, "interim")?,
    })
}

pub async fn person_by_matricola(conn: &mut Conn, ente: &EnteId, matricola: &str) -> Result<Option<Person>, StoreError> {
    let row = sqlx::query(select::<Person>("WHERE ente_id = $1 AND matricola = $2")).bind(&ente.0).bind(matricola).fetch_optional(&mut *conn).await?;
    row.as_ref().map(Person::read).transpose()
}

pub async fn persons(conn: &mut Conn, ente: &EnteId) -> Result<Vec<Person>, StoreError> {
    read_all(&sqlx::query(select::<Person>("WHERE ente_id = $1 ORDER BY family_name, given_name, matricola")).bind(&ente.0).fetch_all(&mut *conn).await?)
}

/// Inserts the person, or rewrites the one with the same matricola (keeping its id).
pub async fn upsert_person(conn: &mut Conn, ente: &EnteId, p: &Person) -> Result<Person, StoreError> {
    let person = match person_by_matricola(conn, ente, &p.matricola).await? {
        Some(old) => Person { id: old.id, ..p.clone() },
        None => p.clone(),
    };
    upsert(conn, ente, &[], &person).await?;
    Ok(person)
}

pub async fn assignments_of_cycle(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<Assignment>, StoreError> {
    let rows = sqlx::query(sql(format!("SELECT {ASSIGNMENT_COLUMNS} FROM assignment WHERE ente_id = $1 AND cycle_id = $2 ORDER BY starts, id")))
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(assignment_from_row).collect()
}

/// Removes a person's assignments in a cycle, before the import writes the new ones.
pub async fn delete_assignments(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId, person_id: &str) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM assignment WHERE ente_id = $1 AND cycle_id = $2 AND person_id = $3")
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

pub async fn insert_assignment(conn: &mut Conn, ente: &EnteId, a: &Assignment) -> Result<(), StoreError> {
    sqlx::query(sql(format!("INSERT INTO assignment (ente_id, {ASSIGNMENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")))
        .bind(&ente.0)
        .bind(&a.id)
        .bind(a.cycle_id.as_str())
        .bind(&a.person_id)
        .bind(&a.unit_id)
        .bind(a.role.code())
        .bind(a.category.code())
        .bind(a.part_time.percent.to_string())
        .bind(a.part_time.kind.code())
        .bind(iso(a.starts))
        .bind(a.ends.map(iso))
        .bind(i64::from(a.interim))
        .execute(&mut *conn)
        .await?;
    Ok(())
}
