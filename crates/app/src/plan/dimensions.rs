//! The dimensions of the plan and their ambiti: configuration per ente. Milan's four
//! dimensions (DG 838/2020), plus the objectives of the Segretario and the Direttore Generale,
//! are the default given to an ente that has none.

use traguardi_store::ente::Ente;
use traguardi_store::plan::{self, Ambito, Dimension};
use traguardi_store::{Conn, new_id};

use crate::AppError;

/// A dimension of the default configuration: code, name, ambiti (code, name).
pub type DefaultDimension = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

/// The dimensions in order, each with its ambiti.
pub const MILANO: &[DefaultDimension] = &[
    (
        "solidale",
        "Obiettivi Solidali",
        &[("solidale", "Milano più Solidale"), ("attrattiva", "Milano più Attrattiva"), ("digitale", "Milano Digitale"), ("ambiente", "Milano per l’Ambiente")],
    ),
    (
        "salute",
        "Indicatori di Salute dell’Ente",
        &[("finanziaria", "Salute Finanziaria"), ("organizzativa", "Salute Organizzativa"), ("relazioni", "Salute del Sistema di Relazioni")],
    ),
    (
        "portafoglio",
        "Portafoglio dei Prodotti e dei Servizi",
        &[
            ("1", "Servizi per l’infanzia"),
            ("2", "Manutenzione edifici scolastici"),
            ("3", "Servizi di cura per gli anziani"),
            ("4", "Servizi alla disabilità"),
            ("5", "Integrazione sociale"),
            ("6", "ERP"),
            ("7", "Servizi anagrafici e stato civile"),
            ("8", "Servizi culturali"),
            ("9", "Servizi per i giovani"),
            ("10", "Servizi alle imprese/SUAP"),
            ("11", "Mobilità e trasporti pubblici"),
            ("12", "Viabilità"),
            ("13", "Vigilanza e sicurezza"),
            ("14", "Smart city"),
            ("15", "Gestione delle risorse umane"),
            ("16", "Gestione degli approvvigionamenti e degli immobili"),
            ("17", "Gestione delle risorse informatiche e digitalizzazione"),
            ("18", "Gestione della comunicazione e della trasparenza"),
        ],
    ),
    ("direzione", "Obiettivi di Direzione", &[]),
    ("segretario", "Obiettivi del Segretario Generale", &[]),
    ("direttore_generale", "Obiettivi del Direttore Generale", &[]),
];

/// The ente's dimensions and ambiti, creating Milan's default when it has none.
pub async fn ensure(conn: &mut Conn, ente: &Ente) -> Result<(Vec<Dimension>, Vec<Ambito>), AppError> {
    let mut dims = plan::dimensions(conn, &ente.id).await?;
    if dims.is_empty() {
        let mut position = 0;
        for (i, (code, name, ambiti)) in MILANO.iter().enumerate() {
            let d = Dimension { id: new_id(), code: (*code).into(), name: (*name).into(), position: i as i64 };
            plan::save_dimension(conn, &ente.id, &d).await?;
            for (acode, aname) in *ambiti {
                position += 1;
                let a = Ambito { id: new_id(), dimension_id: d.id.clone(), code: (*acode).into(), name: (*aname).into(), position };
                plan::save_ambito(conn, &ente.id, &a).await?;
            }
        }
        dims = plan::dimensions(conn, &ente.id).await?;
    }
    let ambiti = plan::ambiti(conn, &ente.id).await?;
    Ok((dims, ambiti))
}

/// Compares names as users type them: case, apostrophes and spaces do not matter.
pub fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.to_lowercase().replace(['’', '`', '\''], "'").split_whitespace().collect::<Vec<_>>().join(" ");
    norm(a) == norm(b)
}
