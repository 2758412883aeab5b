//! What every import shares: reading the file with its columns, and ending the transaction
//! (rolled back on `--dry-run`, so a trial writes nothing).

use traguardi_docs::{Columns, ReadOptions, Table, read_table};
use traguardi_domain::Problems;
use traguardi_store::Tx;

use crate::AppError;

/// The table, its columns, and the problems found so far (rows of the wrong shape).
pub(crate) fn open(bytes: &[u8], opts: ReadOptions, required: &[&'static str], optional: &[&'static str]) -> Result<(Table, Columns, Problems), AppError> {
    let table = read_table(bytes, opts)?;
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
