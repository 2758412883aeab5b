//! What every import shares: reading the file with its columns, and ending the transaction
//! (rolled back on `--dry-run`, so a trial writes nothing).

use traguardi_docs::{Columns, ReadOptions, Table, read_table};
use traguardi_domain::Problems;
use traguardi_store::Tx;

use crate::AppError;

/// How long reading one file may take before the import is abandoned with a message.
pub const READ_BUDGET: std::time::Duration = std::time::Duration::from_secs(60);

/// The table, its columns, and the problems found so far (rows of the wrong shape). The file is
/// parsed on a blocking thread, off the server's async workers (so `/healthz` and every other
/// request keep answering while a large file is read), within [`READ_BUDGET`].
pub(crate) async fn open(
    bytes: &[u8],
    opts: ReadOptions,
    required: &[&'static str],
    optional: &[&'static str],
) -> Result<(Table, Columns, Problems), AppError> {
    let owned = bytes.to_vec();
    let reading = tokio::task::spawn_blocking(move || read_table(&owned, opts));
    let table = match tokio::time::timeout(READ_BUDGET, reading).await {
        Err(_) => return Err(AppError::Refused(format!("lettura del file interrotta: oltre {} secondi", READ_BUDGET.as_secs()))),
        Ok(Err(e)) => return Err(AppError::Refused(format!("lettura del file interrotta: {e}"))),
        Ok(Ok(read)) => read?,
    };
    let cols = Columns::find(&table, required, optional)?;
    let problems = table.problems.clone();
    Ok((table, cols, problems))
}

pub(crate) async fn finish(tx: Tx, dry_run: bool) -> Result<(), AppError> {
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(())
}
