//! Documents and publications: what Amministrazione trasparente publishes of each cycle.

pub mod delibera;
pub mod piano;
pub mod relazione;
pub mod transparency;
