//! The app crate's use cases, each story on SQLite and on PostgreSQL. One test binary holds
//! them all (a binary per file would link the whole workspace once per file).

mod accounts;
mod backup;
mod budget;
mod close;
mod common;
mod concurrency;
mod documents;
mod evaluation_answer;
mod evaluations;
mod foundation;
mod fuzz;
mod import_wizard;
mod monitoring;
mod niv;
mod plan;
mod premi;
mod revisions;
mod score_cache;
mod sintetico;
mod tracing;
mod workflow;
