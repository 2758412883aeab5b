//! Documents and publications of each cycle: the Piano degli Obiettivi, the Relazione sulla
//! Performance and the draft deliberations approving them (their data, their tables and their
//! blocks of text; `crates/pdf` typesets them), and what Amministrazione trasparente publishes.

pub mod delibera;
pub mod monitoraggio;
pub mod piano;
pub mod relazione;
pub mod transparency;
