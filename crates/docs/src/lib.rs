//! File formats of Traguardi, with no database: reading import files (CSV and XLSX) into
//! tables whose every problem says its row and column. Documents (PDF, XLSX) live here too.

pub mod export;
pub mod table;

pub use table::{Columns, ReadOptions, Record, SourceFormat, Table, read_table};
