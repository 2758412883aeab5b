//! The ente's registered acts (deliberations, determinations, decrees) with their pareri: read
//! by anyone, as on the Albo Pretorio, and found by code when a step of the cycle cites one.

use traguardi_domain::said;
use traguardi_store::Store;
use traguardi_store::acts::{self, Act};
use traguardi_store::ente::Ente;

use crate::{AppError, org::enti};

/// The ente's acts, oldest first (by the day adopted, then code).
pub async fn list(store: &Store, ente_code: Option<&str>) -> Result<Vec<Act>, AppError> {
    let mut conn = store.acquire().await?;
    let ente = enti::resolve(&mut conn, ente_code).await?;
    Ok(acts::list(&mut conn, &ente.id).await?)
}

/// The registered act with this code (`GC 838/2020`), or a message saying how to register it.
pub async fn find(conn: &mut traguardi_store::Conn, ente: &Ente, code: &str) -> Result<Act, AppError> {
    let wanted = code.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase();
    acts::list(conn, &ente.id)
        .await?
        .into_iter()
        .find(|a| a.code.to_uppercase() == wanted)
        .ok_or_else(|| AppError::Refused(said!("atto «{code}» non registrato: registrarlo con traguardi import atti (codice come «GC 838/2020»)", code)))
}
