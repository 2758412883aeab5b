//! The life of an objective (SPEC §5): bozza → proposto → approvato → assegnato → in
//! monitoraggio → consuntivato → validato NIV → chiuso. Each step names the roles that may take
//! it, and whether the law ties it to an act (the Giunta's approval is recorded by the planner
//! with its deliberation). `chiuso` is reached only by the year-end close. A revision is an
//! event, not a state.

use crate::access::AccountRole::{self, Amministratore, Direttore, Niv, Pianificatore, Segretario};
use crate::said;
use crate::said::Said;

/// The states, in order. Stored and serialised by their code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Bozza,
    Proposto,
    Approvato,
    Assegnato,
    InMonitoraggio,
    Consuntivato,
    ValidatoNiv,
    Chiuso,
}

pub const STATES: [State; 8] =
    [State::Bozza, State::Proposto, State::Approvato, State::Assegnato, State::InMonitoraggio, State::Consuntivato, State::ValidatoNiv, State::Chiuso];

impl State {
    pub fn code(self) -> &'static str {
        match self {
            State::Bozza => "bozza",
            State::Proposto => "proposto",
            State::Approvato => "approvato",
            State::Assegnato => "assegnato",
            State::InMonitoraggio => "in_monitoraggio",
            State::Consuntivato => "consuntivato",
            State::ValidatoNiv => "validato_niv",
            State::Chiuso => "chiuso",
        }
    }
    /// As people say it, in their language: `in monitoraggio`, `validato NIV`.
    pub fn said(self) -> Said {
        match self {
            State::Bozza => said!("bozza"),
            State::Proposto => said!("proposto"),
            State::Approvato => said!("approvato"),
            State::Assegnato => said!("assegnato"),
            State::InMonitoraggio => said!("in monitoraggio"),
            State::Consuntivato => said!("consuntivato"),
            State::ValidatoNiv => said!("validato NIV"),
            State::Chiuso => said!("chiuso"),
        }
    }
    /// As people say it in Italian: `in monitoraggio`, `validato NIV`.
    pub fn label(self) -> String {
        self.code().replace('_', " ").replace("niv", "NIV")
    }
    pub fn parse(s: &str) -> Option<State> {
        let s = s.trim().to_lowercase().replace(' ', "_");
        STATES.into_iter().find(|st| st.code() == s)
    }
}

/// One allowed step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub from: State,
    pub to: State,
    /// Roles that may take it.
    pub roles: &'static [AccountRole],
    /// Whether it must cite an act (deliberation, determination, decree).
    pub act: bool,
}

const PLANNER: &[AccountRole] = &[Pianificatore, Amministratore];

pub const STEPS: [Step; 9] = [
    Step { from: State::Bozza, to: State::Proposto, roles: &[Pianificatore, Amministratore, Direttore], act: false },
    Step { from: State::Proposto, to: State::Bozza, roles: &[Pianificatore, Amministratore, Segretario], act: false },
    Step { from: State::Proposto, to: State::Approvato, roles: PLANNER, act: true },
    Step { from: State::Approvato, to: State::Assegnato, roles: &[Pianificatore, Amministratore, Segretario], act: false },
    Step { from: State::Assegnato, to: State::InMonitoraggio, roles: PLANNER, act: false },
    Step { from: State::InMonitoraggio, to: State::Consuntivato, roles: &[Pianificatore, Amministratore, Direttore], act: false },
    Step { from: State::Consuntivato, to: State::InMonitoraggio, roles: &[Pianificatore, Amministratore, Niv], act: false },
    Step { from: State::Consuntivato, to: State::ValidatoNiv, roles: &[Niv], act: false },
    Step { from: State::ValidatoNiv, to: State::Consuntivato, roles: &[Niv], act: false },
];

/// Roles as they are written in `traguardi user role`.
fn codes(roles: &[AccountRole]) -> String {
    roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(", ")
}

/// Whether someone holding `role` takes some step of the workflow.
pub fn moves(role: AccountRole) -> bool {
    STEPS.iter().any(|s| s.roles.contains(&role))
}

/// Why a step cannot be taken by someone holding `roles` (`None`: every role, the console).
pub fn refusal(from: State, to: State, roles: Option<&[AccountRole]>, act: bool) -> Option<Said> {
    let Some(step) = STEPS.iter().find(|s| s.from == from && s.to == to) else {
        let next: Vec<Said> =
            STEPS.iter().filter(|s| s.from == from).map(|s| said!("«{state}» ({roles})", state => s.to.said(), roles = codes(s.roles))).collect();
        return Some(if to == State::Chiuso {
            said!("si chiude con la chiusura dell'anno (traguardi close)")
        } else if next.is_empty() {
            said!("è «{state}»: nessun passaggio possibile", state => from.said())
        } else {
            said!("è «{state}»: da qui si passa a {next}", state => from.said(), next => Said::joined(next, said!(" o ")))
        });
    };
    if let Some(roles) = roles
        && !roles.iter().any(|r| step.roles.contains(r))
    {
        return Some(said!("il passaggio a «{state}» spetta a: {roles}", state => to.said(), roles = codes(step.roles)));
    }
    (step.act && !act).then(|| said!("il passaggio a «{state}» richiede l'atto che lo dispone (--atto, es. «GC 838/2020»)", state => to.said()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(r: &[AccountRole]) -> Vec<AccountRole> {
        r.to_vec()
    }

    #[test]
    fn states_read_and_write() {
        for s in STATES {
            assert_eq!(State::parse(s.code()), Some(s));
        }
        assert_eq!(State::parse("in monitoraggio"), Some(State::InMonitoraggio));
        assert_eq!(State::ValidatoNiv.label(), "validato NIV");
        assert_eq!(State::parse("approvata"), None);
    }

    #[test]
    fn the_forward_path_is_open_to_its_roles() {
        let path = [State::Bozza, State::Proposto, State::Approvato, State::Assegnato, State::InMonitoraggio, State::Consuntivato, State::ValidatoNiv];
        for w in path.windows(2) {
            let step = STEPS.iter().find(|s| s.from == w[0] && s.to == w[1]).expect("a step");
            assert_eq!(refusal(w[0], w[1], Some(&roles(step.roles)), true), None, "{:?}", w);
            assert_eq!(refusal(w[0], w[1], None, true), None);
        }
    }

    #[test]
    fn every_refusal_says_who_may_do_what() {
        assert_eq!(
            refusal(State::Bozza, State::Approvato, None, true).map(|s| s.to_string()).as_deref(),
            Some("è «bozza»: da qui si passa a «proposto» (pianificatore, amministratore, direttore)")
        );
        assert_eq!(
            refusal(State::Consuntivato, State::ValidatoNiv, Some(&roles(&[Direttore])), false).map(|s| s.to_string()).as_deref(),
            Some("il passaggio a «validato NIV» spetta a: niv")
        );
        assert_eq!(
            refusal(State::Proposto, State::Approvato, Some(&roles(&[Pianificatore])), false).map(|s| s.to_string()).as_deref(),
            Some("il passaggio a «approvato» richiede l'atto che lo dispone (--atto, es. «GC 838/2020»)")
        );
        assert_eq!(
            refusal(State::ValidatoNiv, State::Chiuso, None, false).map(|s| s.to_string()).as_deref(),
            Some("si chiude con la chiusura dell'anno (traguardi close)")
        );
        assert_eq!(refusal(State::Chiuso, State::Bozza, None, false).map(|s| s.to_string()).as_deref(), Some("è «chiuso»: nessun passaggio possibile"));
        // Every pair that is not a step is refused.
        for from in STATES {
            for to in STATES {
                let is_step = STEPS.iter().any(|s| s.from == from && s.to == to);
                assert_eq!(refusal(from, to, None, true).is_none(), is_step, "{from:?} → {to:?}");
            }
        }
    }
}
