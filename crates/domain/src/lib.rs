//! Pure rules of Traguardi, with no IO: the vocabulary of the performance cycle
//! (ente, cycle, org tree, people and their contract categories), the parsing of
//! the values users type into files and forms, and the problems those values can have.

pub mod access;
pub mod act;
pub mod budget;
pub mod calendar;
pub mod cycle;
pub mod ente;
pub mod ids;
pub mod keyvalue;
pub mod lang;
pub mod money;
pub mod monitoring;
pub mod org;
pub mod pay;
pub mod people;
pub mod plan;
pub mod problem;
pub mod said;
pub mod stats;
pub mod value;

pub use lang::Lang;
pub use problem::{Problem, ProblemKind, Problems};
