//! In-app notifications of a person.

use serde::Serialize;

use crate::record::{self, read_all, record, select};
use crate::{Conn, EnteId, StoreError};
use traguardi_domain::cycle::CycleId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub id: String,
    pub cycle_id: CycleId,
    pub person_id: traguardi_domain::ids::PersonId,
    pub kind: String,
    pub day: String,
    pub text: String,
    pub emailed_to: Option<String>,
    pub created_at: String,
}

/// Whether the person already has this kind of notification for the cycle on that day.
pub async fn exists(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId, person_id: &str, kind: &str, day: &str) -> Result<bool, StoreError> {
    let r = sqlx::query("SELECT id FROM notification WHERE ente_id = $1 AND cycle_id = $2 AND person_id = $3 AND kind = $4 AND day = $5")
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .bind(person_id)
        .bind(kind)
        .bind(day)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(r.is_some())
}

record!(Notification in "notification" { id, cycle_id, person_id, kind, day, text, emailed_to, created_at });

pub async fn insert(conn: &mut Conn, ente: &EnteId, n: &Notification) -> Result<(), StoreError> {
    record::insert(conn, ente, &[], n).await
}

/// A person's notifications, newest first.
pub async fn of_person(conn: &mut Conn, ente: &EnteId, person_id: &str) -> Result<Vec<Notification>, StoreError> {
    let rows = sqlx::query(select::<Notification>("WHERE ente_id = $1 AND person_id = $2 ORDER BY day DESC, created_at DESC, id DESC"))
        .bind(&ente.0)
        .bind(person_id)
        .fetch_all(&mut *conn)
        .await?;
    read_all(&rows)
}

/// The notifications of a cycle, everyone's, by day.
pub async fn of_cycle(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<Notification>, StoreError> {
    let rows = sqlx::query(select::<Notification>("WHERE ente_id = $1 AND cycle_id = $2 ORDER BY day, person_id, kind"))
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    read_all(&rows)
}
