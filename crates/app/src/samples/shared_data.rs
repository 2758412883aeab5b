//! The public data files kept beside the project (`../shared/data`: the SIOPE piano dei conti,
//! budgets of Torino and of the State). They are never copied into the project: the demo and the
//! tests read them in place when the folder is there, and do without them when it is not.

use std::path::PathBuf;

/// The folder: `TRAGUARDI_SHARED_DATA` if set, else `../shared/data` from the working
/// directory, else the one beside the source tree this binary was built from.
pub fn dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("TRAGUARDI_SHARED_DATA").map(PathBuf::from),
        Some(PathBuf::from("../shared/data")),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_dir())
}

/// A file of the folder, when present.
pub fn file(name: &str) -> Option<PathBuf> {
    dir().map(|d| d.join(name)).filter(|p| p.is_file())
}

/// The SIOPE glossary of the piano dei conti for enti territoriali.
pub const SIOPE_PDC: &str = "siope_glossario_enti_territoriali_pdc_livV.csv";
