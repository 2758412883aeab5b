//! Where a KPI's value for a period stands (SPEC §5): entered as a draft, sent for approval,
//! then approved or returned to its owner. Stored by its code; said in each language.

use serde::Serialize;

use crate::said;
use crate::said::Said;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueStatus {
    Draft,
    Submitted,
    Approved,
    Returned,
}

impl ValueStatus {
    pub const ALL: [ValueStatus; 4] = [ValueStatus::Draft, ValueStatus::Submitted, ValueStatus::Approved, ValueStatus::Returned];

    /// As stored.
    pub fn code(self) -> &'static str {
        match self {
            ValueStatus::Draft => "draft",
            ValueStatus::Submitted => "submitted",
            ValueStatus::Approved => "approved",
            ValueStatus::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<ValueStatus> {
        ValueStatus::ALL.into_iter().find(|v| v.code() == s.trim())
    }

    /// The one name of each status, in the reader's language.
    pub fn said(self) -> Said {
        match self {
            ValueStatus::Draft => said!("bozza"),
            ValueStatus::Submitted => said!("inviato, da approvare"),
            ValueStatus::Approved => said!("approvato"),
            ValueStatus::Returned => said!("restituito"),
        }
    }

    /// What can be done next with a value in this status.
    pub fn next(self) -> Said {
        match self {
            ValueStatus::Draft | ValueStatus::Returned => said!("inviarlo per l'approvazione (o inserire una nuova versione)"),
            ValueStatus::Submitted => said!("approvarlo o restituirlo"),
            ValueStatus::Approved => said!("inserire una nuova versione"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn each_status_has_one_code_and_one_name() {
        for s in ValueStatus::ALL {
            assert_eq!(ValueStatus::parse(s.code()), Some(s));
        }
        assert_eq!(ValueStatus::parse("inviato"), None);
        assert_eq!(ValueStatus::Submitted.said().describe(Lang::It), "inviato, da approvare");
        assert_eq!(ValueStatus::Submitted.said().describe(Lang::En), "submitted, to approve");
    }
}
