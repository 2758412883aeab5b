//! Plan and scores: dimensions and ambiti, the DUP, objectives and KPIs, values as owners
//! enter them, monitoring, the scores of a cycle (read, cached, recomputed), the dashboard and
//! the versioned rules of a cycle; with the imports that feed them. The scoring engine itself
//! is the domain's (`traguardi_domain::plan::engine`).

pub mod cycle_rules;
pub mod dashboard;
pub mod dimensions;
pub mod import_dimensions;
pub mod import_dup;
pub mod import_measurements;
pub mod import_plan;
pub mod measurements;
pub mod monitoring;
pub mod plan_ops;
pub mod score_cache;
pub mod scores;
pub mod values;
