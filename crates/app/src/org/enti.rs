//! Finding and creating enti.

use traguardi_domain::ente::{EnteCode, NewEnte};
use traguardi_domain::said;
use traguardi_domain::{Problem, ProblemKind};
use traguardi_store::ente::{self, Ente};
use traguardi_store::{Conn, Store};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::{Actor, AppError};

/// The ente named by `code`, or the only one in the database when `code` is `None`.
pub async fn resolve(conn: &mut Conn, code: Option<&str>) -> Result<Ente, AppError> {
    match code {
        Some(c) => {
            let parsed = EnteCode::parse(c).map_err(|k| AppError::Invalid(Problem { row: None, column: Some("--ente".into()), kind: k }.into()))?;
            ente::by_code(conn, &parsed).await?.ok_or_else(|| AppError::NoSuchEnte { code: c.trim().into() })
        }
        None => {
            let mut all = ente::list(conn).await?;
            match all.len() {
                0 => Err(AppError::NoEnte),
                1 => Ok(all.remove(0)),
                _ => Err(AppError::WhichEnte { codes: all.iter().map(|e| e.code.to_string()).collect::<Vec<_>>().join(", ") }),
            }
        }
    }
}

/// `resolve` on a connection of its own.
pub async fn find(store: &Store, code: Option<&str>) -> Result<Ente, AppError> {
    let mut conn = store.acquire().await?;
    resolve(&mut conn, code).await
}

pub async fn list(store: &Store) -> Result<Vec<Ente>, AppError> {
    let mut conn = store.pool.acquire().await?;
    Ok(ente::list(&mut conn).await?)
}

/// Creates an ente; its ISTAT code must be new.
pub async fn create(store: &Store, actor: &Actor, new: &NewEnte) -> Result<Ente, AppError> {
    actor.require(Right::Administer, said!("creare un ente"))?;
    let mut tx = store.begin().await?;
    if ente::by_code(&mut tx, &new.code).await?.is_some() {
        return Err(AppError::Invalid(
            Problem { row: None, column: Some("codice".into()), kind: ProblemKind::Duplicate { value: new.code.to_string(), first_row: 0 } }.into(),
        ));
    }
    let e = ente::insert(&mut tx, new).await?;
    audit::record(&mut tx, actor, Some(&e.id), Change::<(), _> { action: "crea", entity: "ente", entity_id: Some(&e.id.0), before: None, after: Some(&e) })
        .await?;
    tx.commit().await?;
    Ok(e)
}
