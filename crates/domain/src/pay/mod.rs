//! What turns scores into money (SPEC §4): managers' result pay, presence, the fondo risorse
//! decentrate, the split of the premi pools to the cent, and the rules of all of it.

pub mod allocation;
pub mod contract;
pub mod fund;
pub mod managers;
pub mod premi;
pub mod presence;
pub mod records;
pub mod relazione;
pub mod result_pay;
pub mod rules;
pub mod scenario;

pub use result_pay::{ResultPay, ResultPayRow, ResultPayRules, result_pay};
