//! Where a premi scenario stands (SPEC §4): a simulation (scores or rules changed by hand, to
//! save and compare, never to pay), computed from the records and waiting for approval, or
//! approved (one per cycle). Said in each language.

use serde::Serialize;

use crate::said;
use crate::said::Said;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioStatus {
    Simulazione,
    DaApprovare,
    Approvato,
}

impl ScenarioStatus {
    pub const ALL: [ScenarioStatus; 3] = [ScenarioStatus::Simulazione, ScenarioStatus::DaApprovare, ScenarioStatus::Approvato];

    /// Where a stored scenario stands: approved once approved; otherwise a simulation when it
    /// changes someone's score or uses rules other than those in force.
    pub fn of(approved: bool, changes_scores: bool, rules_in_force: bool) -> ScenarioStatus {
        match (approved, changes_scores || !rules_in_force) {
            (true, _) => ScenarioStatus::Approvato,
            (false, true) => ScenarioStatus::Simulazione,
            (false, false) => ScenarioStatus::DaApprovare,
        }
    }

    /// As written in JSON and in the transparency data.
    pub fn code(self) -> &'static str {
        match self {
            ScenarioStatus::Simulazione => "simulazione",
            ScenarioStatus::DaApprovare => "da_approvare",
            ScenarioStatus::Approvato => "approvato",
        }
    }

    pub fn parse(s: &str) -> Option<ScenarioStatus> {
        ScenarioStatus::ALL.into_iter().find(|v| v.code() == s.trim())
    }

    /// The one name of each status, in the reader's language.
    pub fn said(self) -> Said {
        match self {
            ScenarioStatus::Simulazione => said!("simulazione"),
            ScenarioStatus::DaApprovare => said!("da approvare"),
            ScenarioStatus::Approvato => said!("approvato"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn each_status_has_one_code_and_a_name_in_each_language() {
        for s in ScenarioStatus::ALL {
            assert_eq!(ScenarioStatus::parse(s.code()), Some(s));
        }
        assert_eq!(ScenarioStatus::parse("approvata"), None);
        assert_eq!(ScenarioStatus::of(true, true, false), ScenarioStatus::Approvato);
        assert_eq!(ScenarioStatus::of(false, true, true), ScenarioStatus::Simulazione);
        assert_eq!(ScenarioStatus::of(false, false, false), ScenarioStatus::Simulazione);
        assert_eq!(ScenarioStatus::of(false, false, true), ScenarioStatus::DaApprovare);
        let names: Vec<String> = ScenarioStatus::ALL.iter().map(|s| s.said().describe(Lang::En)).collect();
        assert_eq!(names, ["simulation", "to approve", "approved"]);
        assert_eq!(ScenarioStatus::DaApprovare.said().describe(Lang::It), "da approvare");
    }
}
