//! Who may do what: the roles an account holds in an ente, the rights they give, and where
//! each right reaches. [`reach`] is the one place that decides it; the app asks it through
//! `Actor::may`, and the web's navigation through the same.

use crate::said;
use crate::said::Said;
use serde::Serialize;

/// A role an account holds in an ente (SPEC §1). Stored by its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountRole {
    Amministratore,
    Pianificatore,
    Direttore,
    Dirigente,
    PoEq,
    Dipendente,
    Niv,
    Segretario,
    Ragioneria,
}

impl AccountRole {
    pub const ALL: [AccountRole; 9] = [
        AccountRole::Amministratore,
        AccountRole::Pianificatore,
        AccountRole::Direttore,
        AccountRole::Dirigente,
        AccountRole::PoEq,
        AccountRole::Dipendente,
        AccountRole::Niv,
        AccountRole::Segretario,
        AccountRole::Ragioneria,
    ];

    /// The roles held on a unit (and all below it) rather than on the whole ente.
    pub const UNIT_SCOPED: [AccountRole; 3] = [AccountRole::Direttore, AccountRole::Dirigente, AccountRole::PoEq];

    pub fn code(self) -> &'static str {
        match self {
            AccountRole::Amministratore => "amministratore",
            AccountRole::Pianificatore => "pianificatore",
            AccountRole::Direttore => "direttore",
            AccountRole::Dirigente => "dirigente",
            AccountRole::PoEq => "po_eq",
            AccountRole::Dipendente => "dipendente",
            AccountRole::Niv => "niv",
            AccountRole::Segretario => "segretario",
            AccountRole::Ragioneria => "ragioneria",
        }
    }

    pub fn parse(s: &str) -> Option<AccountRole> {
        let s = s.trim().to_lowercase();
        AccountRole::ALL.into_iter().find(|r| r.code() == s)
    }

    /// The role's name in the reader's language.
    pub fn said(self) -> Said {
        match self {
            AccountRole::Amministratore => said!("amministratore"),
            AccountRole::Pianificatore => said!("pianificatore (controllo di gestione)"),
            AccountRole::Direttore => said!("direttore"),
            AccountRole::Dirigente => said!("dirigente"),
            AccountRole::PoEq => said!("PO/EQ"),
            AccountRole::Dipendente => said!("dipendente"),
            AccountRole::Niv => said!("NIV"),
            AccountRole::Segretario => said!("segretario generale"),
            AccountRole::Ragioneria => said!("ragioneria"),
        }
    }

    pub fn unit_scoped(self) -> bool {
        AccountRole::UNIT_SCOPED.contains(&self)
    }
}

/// Every kind of action the app lets someone take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Right {
    /// Run the ente: enti, cycles, imports, accounts, the rules, the premi, the close, backups.
    Administer,
    /// Read the plan, the org tree and the scores (public in "Amministrazione trasparente").
    ReadOrg,
    /// Read what the ente keeps for its own people: rimodulazioni, corrections, the close's check.
    ReadEnte,
    /// Enter values, send them for approval, attach evidence.
    EnterValues,
    /// Approve or return values.
    ApproveValues,
    /// Download the evidence of a value.
    ReadEvidence,
    /// Move objectives along the plan's workflow (each step also names its roles: `plan::workflow`).
    MoveObjectives,
    /// Evaluate staff.
    Evaluate,
    /// Draw the NIV's sample of evidence.
    DrawSample,
    /// Validate the Relazione sulla Performance.
    ValidateRelazione,
}

impl Right {
    pub const ALL: [Right; 10] = [
        Right::Administer,
        Right::ReadOrg,
        Right::ReadEnte,
        Right::EnterValues,
        Right::ApproveValues,
        Right::ReadEvidence,
        Right::MoveObjectives,
        Right::Evaluate,
        Right::DrawSample,
        Right::ValidateRelazione,
    ];
}

/// How far a right given by a role reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    Nowhere,
    /// On the units the role is held on, and those below.
    OwnUnits,
    /// On the whole ente.
    Ente,
}

/// Where `role` may exercise `right`: the one table of permissions.
pub fn reach(role: AccountRole, right: Right) -> Reach {
    use AccountRole::*;
    use Reach::*;
    use Right::*;
    match (right, role) {
        (ReadOrg | ReadEnte, _) => Ente,
        (Administer, Amministratore | Pianificatore) => Ente,
        (EnterValues, Amministratore | Pianificatore) => Ente,
        (EnterValues, Direttore | Dirigente | PoEq) => OwnUnits,
        (ApproveValues, Amministratore | Pianificatore | Niv) => Ente,
        (ApproveValues, Direttore) => OwnUnits,
        (ReadEvidence, Amministratore | Pianificatore | Niv | Segretario | Ragioneria) => Ente,
        (ReadEvidence, Direttore | Dirigente | PoEq) => OwnUnits,
        (MoveObjectives, Amministratore | Pianificatore | Niv | Segretario) => Ente,
        (MoveObjectives, Direttore) => OwnUnits,
        (Evaluate, Amministratore | Pianificatore) => Ente,
        (Evaluate, Direttore | Dirigente | PoEq) => OwnUnits,
        (DrawSample, Amministratore | Pianificatore | Niv) => Ente,
        (ValidateRelazione, Niv) => Ente,
        _ => Nowhere,
    }
}

/// The widest reach of `right` among `roles`.
pub fn widest(roles: &[AccountRole], right: Right) -> Reach {
    roles.iter().map(|r| reach(*r, right)).max().unwrap_or(Reach::Nowhere)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleGrant {
    pub ente_id: Option<crate::ids::EnteId>,
    pub role: AccountRole,
    pub unit_lineage: Option<String>,
}

/// An API token of an account (its secret is never stored: only its SHA-256).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiToken {
    pub id: String,
    pub username: String,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole table, role by role: E = the ente, U = own units, · = nowhere. Columns:
    /// Administer, ReadOrg, ReadEnte, EnterValues, ApproveValues, ReadEvidence, MoveObjectives,
    /// Evaluate, DrawSample, ValidateRelazione.
    const TABLE: [(AccountRole, &str); 9] = [
        (AccountRole::Amministratore, "E E E E E E E E E ·"),
        (AccountRole::Pianificatore, "E E E E E E E E E ·"),
        (AccountRole::Direttore, "· E E U U U U U · ·"),
        (AccountRole::Dirigente, "· E E U · U · U · ·"),
        (AccountRole::PoEq, "· E E U · U · U · ·"),
        (AccountRole::Dipendente, "· E E · · · · · · ·"),
        (AccountRole::Niv, "· E E · E E E · E E"),
        (AccountRole::Segretario, "· E E · · E E · · ·"),
        (AccountRole::Ragioneria, "· E E · · E · · · ·"),
    ];

    #[test]
    fn the_table_of_rights() {
        for (role, row) in TABLE {
            let cells: Vec<&str> = row.split(' ').collect();
            assert_eq!(cells.len(), Right::ALL.len());
            for (right, cell) in Right::ALL.into_iter().zip(cells) {
                let want = match cell {
                    "E" => Reach::Ente,
                    "U" => Reach::OwnUnits,
                    _ => Reach::Nowhere,
                };
                assert_eq!(reach(role, right), want, "{role:?} × {right:?}");
            }
        }
        assert_eq!(TABLE.len(), AccountRole::ALL.len());
    }

    #[test]
    fn roles_read_and_write() {
        for r in AccountRole::ALL {
            assert_eq!(AccountRole::parse(r.code()), Some(r));
        }
        assert_eq!(AccountRole::parse(" NIV "), Some(AccountRole::Niv));
        assert_eq!(AccountRole::parse("capo"), None);
        assert_eq!(widest(&[AccountRole::Dirigente, AccountRole::Niv], Right::ApproveValues), Reach::Ente);
        assert_eq!(widest(&[], Right::ReadOrg), Reach::Nowhere);
    }
}
