//! Data that is not the user's: the demo ente, the synthetic metropoli of the benchmarks, the
//! synthetic comuni of a national installation, and the public data files kept beside the project.

pub mod demo;
pub mod demo_years;
pub mod metropoli;
pub mod shared_data;
pub mod sintetico;
