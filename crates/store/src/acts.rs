//! Acts of the ente and their pareri.

pub use traguardi_domain::act::{Act, Opinion};

use crate::record::{read_all, record, select, upsert};
use crate::row::iso;
use crate::{Conn, EnteId, StoreError};

record!(Act in "act" { id, code, organ, kind, number, adopted_on, proposal, subject, immediate, albo_from, albo_to, executive_on } without { opinions });
record!(Opinion in "act_opinion" { kind, outcome, given_by, given_on });

pub async fn list(conn: &mut Conn, ente: &EnteId) -> Result<Vec<Act>, StoreError> {
    let mut acts: Vec<Act> = read_all(&sqlx::query(select::<Act>("WHERE ente_id = $1 ORDER BY adopted_on, code")).bind(&ente.0).fetch_all(&mut *conn).await?)?;
    for act in &mut acts {
        let rows = sqlx::query(select::<Opinion>("WHERE act_id = $1 ORDER BY kind")).bind(&act.id).fetch_all(&mut *conn).await?;
        act.opinions = read_all(&rows)?;
    }
    Ok(acts)
}

/// Writes an act (new, or replacing the one with its id) and its pareri.
pub async fn save(conn: &mut Conn, ente: &EnteId, a: &Act) -> Result<(), StoreError> {
    upsert(conn, ente, &[], a).await?;
    sqlx::query("DELETE FROM act_opinion WHERE act_id = $1").bind(&a.id).execute(&mut *conn).await?;
    for o in &a.opinions {
        // The pareri belong to their act, which carries the ente: no ente_id of their own.
        sqlx::query("INSERT INTO act_opinion (act_id, kind, outcome, given_by, given_on) VALUES ($1, $2, $3, $4, $5)")
            .bind(&a.id)
            .bind(&o.kind)
            .bind(&o.outcome)
            .bind(&o.given_by)
            .bind(o.given_on.map(iso))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
