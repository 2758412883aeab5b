//! Pay and evaluations: evaluations in the browser and by file, the person's answer, the
//! fund, absences and positions, the premi's scenarios and approval, the Relazione's path and
//! the managers' result pay. The allocation itself is the domain's
//! (`traguardi_domain::pay::premi`, `traguardi_domain::pay::managers`).

pub mod evaluation_answer;
pub mod evaluation_view;
pub mod evaluations;
pub mod import_absences;
pub mod import_evaluations;
pub mod import_fund;
pub mod import_positions;
pub mod mine;
pub mod outputs;
pub mod payout;
pub mod payouts;
pub mod relazione;
