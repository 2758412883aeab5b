//! Org and people: enti, the org tree of each cycle, people and their assignments, and
//! the imports that feed them.

pub mod enti;
pub mod import_org;
pub mod import_people;
pub mod org_tree;
pub mod people;
