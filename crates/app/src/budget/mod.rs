//! Budget: PEG lines and the piano dei conti, budgets published in other layouts, and the
//! REPORT COMMISSIONI.

pub mod commissioni;
pub mod import_mapped;
pub mod import_pdc;
pub mod import_peg;
pub mod ledger;
