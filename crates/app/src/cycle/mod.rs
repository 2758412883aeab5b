//! The cycle's path: opening a cycle, the objectives' workflow, acts, rimodulazioni, the
//! NIV's sample of evidence and the year-end close.

pub mod acts;
pub mod close;
pub mod cycles;
pub mod import_acts;
pub mod niv;
pub mod revisions;
pub mod workflow;
