//! The ente (tenant): a comune, città metropolitana or unione, identified by its ISTAT code.

use serde::{Deserialize, Serialize};

use crate::ProblemKind;

/// Codice ISTAT of the ente: six digits (e.g. `015146`, Milano).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EnteCode(String);

impl EnteCode {
    pub fn parse(s: &str) -> Result<EnteCode, ProblemKind> {
        let t = s.trim();
        if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
            Ok(EnteCode(t.to_string()))
        } else {
            Err(ProblemKind::BadFormat { value: t.into(), expected: crate::said!("codice ISTAT di 6 cifre (es. 015146)") })
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EnteCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub use crate::ids::EnteId;

#[derive(Debug, Clone, Serialize)]
pub struct Ente {
    pub id: EnteId,
    pub code: EnteCode,
    pub name: String,
    pub codice_fiscale: Option<String>,
    pub kind: EnteKind,
    pub staff_size: i64,
    pub has_dirigenti: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EnteKind {
    Comune,
    CittaMetropolitana,
    Unione,
}

impl EnteKind {
    pub const ALL: [EnteKind; 3] = [EnteKind::Comune, EnteKind::CittaMetropolitana, EnteKind::Unione];

    pub fn code(self) -> &'static str {
        match self {
            EnteKind::Comune => "comune",
            EnteKind::CittaMetropolitana => "citta_metropolitana",
            EnteKind::Unione => "unione",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            EnteKind::Comune => "Comune",
            EnteKind::CittaMetropolitana => "Città metropolitana",
            EnteKind::Unione => "Unione di comuni",
        }
    }
    pub fn parse(s: &str) -> Result<EnteKind, ProblemKind> {
        let t = s.trim().to_lowercase();
        EnteKind::ALL
            .into_iter()
            .find(|k| k.code() == t)
            .ok_or_else(|| ProblemKind::NotOneOf { value: s.trim().into(), allowed: EnteKind::ALL.iter().map(|k| k.code().to_string()).collect() })
    }
}

/// What the store needs to create an ente.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEnte {
    pub code: EnteCode,
    pub name: String,
    pub codice_fiscale: Option<String>,
    pub kind: EnteKind,
    pub staff_size: i64,
    pub has_dirigenti: bool,
}

/// Below this staff size the PIAO is the simplified one (DM 132/2022 art. 6).
pub const SIMPLIFIED_PIAO_BELOW: i64 = 50;

impl NewEnte {
    /// Under 50 employees section 2.2 of the PIAO is optional; objectives are still
    /// needed to pay any premium, so the performance module stays on.
    pub fn simplified_piao(&self) -> bool {
        self.staff_size < SIMPLIFIED_PIAO_BELOW
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn istat_code_is_six_digits() {
        assert_eq!(EnteCode::parse(" 015146 ").map(|c| c.to_string()), Ok("015146".into()));
        assert!(EnteCode::parse("15146").is_err());
        assert!(EnteCode::parse("01514A").is_err());
    }

    #[test]
    fn kinds_round_trip() {
        for k in EnteKind::ALL {
            assert_eq!(EnteKind::parse(k.code()), Ok(k));
        }
        assert!(EnteKind::parse("provincia").is_err());
    }
}
