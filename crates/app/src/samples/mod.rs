//! Data that is not the user's: the demo ente, the synthetic metropoli of the benchmarks,
//! and the public data files kept beside the project.

pub mod demo;
pub mod demo_years;
pub mod metropoli;
pub mod shared_data;
