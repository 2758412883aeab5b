//! The plan engine's pure rules (SPEC §3): KPI definitions, scoring, roll-ups with
//! explanations, the formula language of computed KPIs, and the rounding of reported values.

pub mod engine;
pub mod formula;
pub mod indices;
pub mod kpi;
pub mod records;
pub mod rollup;
pub mod round;
pub mod rules;
pub mod score;
pub mod value_status;
pub mod workflow;
