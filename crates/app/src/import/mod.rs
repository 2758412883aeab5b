//! What every import shares: reading the file with its columns, and ending the transaction
//! (rolled back on `--dry-run`, so a trial writes nothing).

use traguardi_domain::said;
pub mod by_kind;
pub mod wizard;

use traguardi_docs::{Columns, ReadOptions, Table, read_table};
use traguardi_domain::Problems;
use traguardi_store::{EnteId, Store, Tx};

use crate::AppError;

/// How long reading one file may take before the import is abandoned with a message.
pub const READ_BUDGET: std::time::Duration = std::time::Duration::from_secs(60);

/// Reads a file as a table off the server's async workers (see [`blocking`]). Every reading of
/// an uploaded or imported file goes through here.
pub(crate) async fn read(bytes: &[u8], opts: ReadOptions) -> Result<Table, AppError> {
    let owned = bytes.to_vec();
    blocking(move || Ok(read_table(&owned, opts)?)).await
}

/// Runs the reading of a file on a blocking thread, off the server's async workers (so
/// `/healthz` and every other request keep answering while a large file is read), within
/// [`READ_BUDGET`].
pub(crate) async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, AppError> + Send + 'static) -> Result<T, AppError> {
    match tokio::time::timeout(READ_BUDGET, tokio::task::spawn_blocking(work)).await {
        Err(_) => Err(AppError::Refused(said!("lettura del file interrotta: oltre {as_secs} secondi", as_secs = READ_BUDGET.as_secs()))),
        Ok(Err(e)) => Err(AppError::Refused(said!("lettura del file interrotta: {e}", e))),
        Ok(Ok(done)) => done,
    }
}

/// The table, its columns, and the problems found so far (rows of the wrong shape), read by
/// [`read`].
pub(crate) async fn open(
    bytes: &[u8],
    opts: ReadOptions,
    required: &[&'static str],
    optional: &[&'static str],
) -> Result<(Table, Columns, Problems), AppError> {
    let table = read(bytes, opts).await?;
    let cols = Columns::find(&table, required, optional)?;
    let problems = table.problems.clone();
    Ok((table, cols, problems))
}

/// How an import ends.
#[derive(Debug, Clone, Copy)]
pub enum Ending<'a> {
    /// A trial: everything is rolled back.
    DryRun,
    Commit,
    /// Commit, consuming the file waiting in the import wizard in the same transaction: the
    /// file is claimed (removed) first, so a second submit of the same file waits for the first
    /// and, once it committed, finds it gone and imports nothing.
    Upload {
        ente: &'a EnteId,
        id: &'a str,
    },
}

impl Ending<'_> {
    pub fn is_dry_run(self) -> bool {
        matches!(self, Ending::DryRun)
    }
}

impl From<bool> for Ending<'_> {
    /// `dry_run` as the importers' callers pass it.
    fn from(dry_run: bool) -> Self {
        if dry_run { Ending::DryRun } else { Ending::Commit }
    }
}

/// The import's transaction: a trial one for a dry run (see [`Store::begin_trial`]); for a file
/// of the wizard, one that has claimed it.
pub(crate) async fn begin(store: &Store, ending: impl Into<Ending<'_>>) -> Result<Tx, AppError> {
    match ending.into() {
        Ending::DryRun => Ok(store.begin_trial().await?),
        Ending::Commit => Ok(store.begin().await?),
        Ending::Upload { ente, id } => {
            let mut tx = store.begin().await?;
            if !traguardi_store::imports::delete(&mut tx, ente, id).await? {
                tx.rollback().await?;
                return Err(AppError::Conflict(said!("questo file è già stato importato (invio ripetuto): nulla è stato importato una seconda volta")));
            }
            Ok(tx)
        }
    }
}

pub(crate) async fn finish<'a>(tx: Tx, ending: impl Into<Ending<'a>>) -> Result<(), AppError> {
    match ending.into() {
        Ending::DryRun => tx.rollback().await?,
        Ending::Commit | Ending::Upload { .. } => tx.commit().await?,
    }
    Ok(())
}
