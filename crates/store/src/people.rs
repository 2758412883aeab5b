//! People of an ente and their assignments in each cycle.

use traguardi_domain::people::{Category, PartTime, PartTimeKind, Role};

pub use traguardi_domain::people::{Assignment, Person};

use crate::record::{Cell, Column, Record, coded_column, insert, read_all, record, select, upsert};
use crate::{Conn, EnteId, StoreError};
use traguardi_domain::cycle::CycleId;

record!(Person in "person" { id, matricola, family_name, given_name, title, email });

coded_column!(Role, Role::parse);
coded_column!(Category, Category::parse);
coded_column!(PartTimeKind, PartTimeKind::parse);

/// By hand: the part-time is one field over two columns.
impl Record for Assignment {
    const TABLE: &'static str = "assignment";
    const COLUMNS: &'static [&'static str] =
        &["id", "cycle_id", "person_id", "unit_id", "role", "category", "part_time_pct", "part_time_kind", "starts", "ends", "interim"];
    fn cells(&self) -> Vec<Cell> {
        vec![
            self.id.cell(),
            self.cycle_id.cell(),
            self.person_id.cell(),
            self.unit_id.cell(),
            self.role.cell(),
            self.category.cell(),
            self.part_time.percent.cell(),
            self.part_time.kind.cell(),
            self.starts.cell(),
            self.ends.cell(),
            self.interim.cell(),
        ]
    }
    fn read(r: &sqlx::any::AnyRow) -> Result<Self, StoreError> {
        let t = Self::TABLE;
        Ok(Assignment {
            id: Column::read(r, t, "id")?,
            cycle_id: Column::read(r, t, "cycle_id")?,
            person_id: Column::read(r, t, "person_id")?,
            unit_id: Column::read(r, t, "unit_id")?,
            role: Column::read(r, t, "role")?,
            category: Column::read(r, t, "category")?,
            part_time: PartTime { percent: Column::read(r, t, "part_time_pct")?, kind: Column::read(r, t, "part_time_kind")? },
            starts: Column::read(r, t, "starts")?,
            ends: Column::read(r, t, "ends")?,
            interim: Column::read(r, t, "interim")?,
        })
    }
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
    let rows = sqlx::query(select::<Assignment>("WHERE ente_id = $1 AND cycle_id = $2 ORDER BY starts, id"))
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    read_all(&rows)
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
    insert(conn, ente, &[], a).await
}
