//! Operations on the whole installation: backup and restore, recomputing every open cycle.

pub mod backup;
pub mod recompute;
