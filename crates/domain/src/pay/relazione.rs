//! The path of the Relazione sulla Performance (SPEC §5; art. 10 c.1 b and art. 14 c.4 c
//! D.Lgs 150/2009): a draft, approved by the Giunta with its act, validated by the NIV, then
//! published. Each step only from the one before.

use chrono::NaiveDate;
use serde::Serialize;

use crate::access::Right;
use crate::said;
use crate::said::Said;

/// The Relazione sulla Performance of a cycle along its path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relazione {
    pub state: RelazioneState,
    pub act_code: Option<String>,
    pub approved_on: Option<NaiveDate>,
    pub validated_on: Option<NaiveDate>,
    pub validated_by: Option<String>,
    pub published_on: Option<NaiveDate>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RelazioneState {
    Bozza,
    Approvata,
    Validata,
    Pubblicata,
}

impl RelazioneState {
    /// In order.
    pub const PATH: [RelazioneState; 4] = [RelazioneState::Bozza, RelazioneState::Approvata, RelazioneState::Validata, RelazioneState::Pubblicata];

    /// As stored and as typed (`traguardi relazione --stato validata`).
    pub fn code(self) -> &'static str {
        match self {
            RelazioneState::Bozza => "bozza",
            RelazioneState::Approvata => "approvata",
            RelazioneState::Validata => "validata",
            RelazioneState::Pubblicata => "pubblicata",
        }
    }

    pub fn parse(s: &str) -> Option<RelazioneState> {
        let s = s.trim().to_lowercase();
        RelazioneState::PATH.into_iter().find(|r| r.code() == s)
    }

    /// The state's name in the reader's language.
    pub fn said(self) -> Said {
        match self {
            RelazioneState::Bozza => said!("in redazione"),
            RelazioneState::Approvata => said!("approvata dalla Giunta"),
            RelazioneState::Validata => said!("validata dal NIV"),
            RelazioneState::Pubblicata => said!("pubblicata"),
        }
    }

    /// The state it can be reached from (`None` for the draft).
    pub fn previous(self) -> Option<RelazioneState> {
        let i = RelazioneState::PATH.iter().position(|s| *s == self)?;
        i.checked_sub(1).map(|p| RelazioneState::PATH[p])
    }

    /// The right that takes the Relazione to this state.
    pub fn right(self) -> Right {
        match self {
            RelazioneState::Validata => Right::ValidateRelazione,
            _ => Right::Administer,
        }
    }

    /// Whether the NIV has validated it (validated or published).
    pub fn validated(self) -> bool {
        self >= RelazioneState::Validata
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_in_order() {
        for s in RelazioneState::PATH {
            assert_eq!(RelazioneState::parse(s.code()), Some(s));
        }
        assert_eq!(RelazioneState::Validata.previous(), Some(RelazioneState::Approvata));
        assert_eq!(RelazioneState::Bozza.previous(), None);
        assert!(RelazioneState::Pubblicata.validated() && !RelazioneState::Approvata.validated());
        assert_eq!(RelazioneState::Validata.right(), Right::ValidateRelazione);
        assert_eq!(RelazioneState::parse("approvato"), None);
    }
}
