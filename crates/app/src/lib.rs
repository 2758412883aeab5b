//! Use cases of Traguardi: the only API that the web and the CLI call.
//!
//! Each use case takes the store, the acting user and an input; checks permissions; runs in
//! one transaction (all or nothing); and writes the audit trail for what it changed.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod backup;
pub mod budget;
pub mod close;
pub mod commissioni;
pub mod cycle_rules;
pub mod cycles;
pub mod dashboard;
pub mod demo;
pub mod dimensions;
pub mod enti;
pub mod error;
pub mod evaluation_answer;
pub mod evaluations;
mod import;
pub mod import_absences;
pub mod import_acts;
pub mod import_dimensions;
pub mod import_dup;
pub mod import_evaluations;
pub mod import_fund;
pub mod import_mapped;
pub mod import_measurements;
pub mod import_org;
pub mod import_pdc;
pub mod import_peg;
pub mod import_people;
pub mod import_plan;
pub mod import_positions;
pub mod import_wizard;
pub mod mail;
pub mod measurements;
pub mod metropoli;
pub mod monitoring;
pub mod niv;
pub mod org_tree;
pub mod payout;
pub mod payouts;
pub mod plan_ops;
pub mod recompute;
pub mod revisions;
pub mod scope;
pub mod score_cache;
pub mod scores;
pub mod shared_data;
pub mod todo;
pub mod transparency;
pub mod workflow;

pub use access::Actor;
pub use error::AppError;
pub use traguardi_store::Store;

/// The time of a change as stored: UTC, to the second (RFC 3339).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
