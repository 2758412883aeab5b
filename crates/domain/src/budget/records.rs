//! The budget's records: PEG lines, codes of the piano dei conti, amounts of mapped budgets.

use serde::Serialize;

use crate::money::Cents;

/// A PEG line's forecast for one year, as one budget made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetLine {
    pub id: String,
    pub bilancio: i32,
    pub anno: i32,
    /// `U` (spesa) or `E` (entrata).
    pub side: String,
    pub cdr: String,
    pub unit_lineage: String,
    pub cdr_name: String,
    pub direzione: String,
    pub capitolo: String,
    pub articolo: String,
    /// Ten digits, or empty.
    pub pdc: String,
    pub vincolo: String,
    pub description: String,
    pub missione: String,
    pub programma: String,
    pub titolo: i32,
    pub previsione: Cents,
    pub cassa: Option<Cents>,
    pub crono_anni_precedenti: Option<Cents>,
    pub altri_nuovi_stanziamenti: Option<Cents>,
    pub programma_triennale_llpp: Option<Cents>,
}

/// A code of the ente's piano dei conti.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PdcEntry {
    /// `U` or `E`.
    pub side: String,
    /// Ten digits.
    pub code: String,
    pub description: String,
}

/// An amount read from another layout (mapped import).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Amount {
    pub anno: i32,
    pub titolo: String,
    pub voce: String,
    pub missione: String,
    pub programma: String,
    pub centro: String,
    pub centro_nome: String,
    pub capitolo: String,
    pub descrizione: String,
    pub misura: String,
    pub importo: Cents,
}
