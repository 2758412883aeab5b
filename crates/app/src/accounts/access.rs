//! Who acts. What each role may do, and where, is the domain's table
//! (`traguardi_domain::access::reach`); the actor asks it for the roles it holds.

use serde::Serialize;
pub use traguardi_domain::access::{AccountRole, Reach, Right};
use traguardi_domain::ids::EnteId;

/// The acting user, as recorded in the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    /// What the audit trail shows: `cli:USER`, `demo`, or an account name.
    pub name: String,
    pub kind: ActorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ActorKind {
    /// Someone at the server's console (CLI): the installation's administrator.
    Console,
    /// An anonymous visitor of the public pages.
    Public,
    /// A logged-in account with its roles and, for each of its unit-scoped roles (direttore,
    /// dirigente, PO/EQ), the unit (lineage id) it is held on, with all below it:
    /// `(role, lineage)`, so that each role acts on its own units only.
    /// `grants` says in which ente each role was given (`None`: everywhere, the administrator);
    /// `roles` are those in force: all of them until the actor is narrowed to one ente.
    User { account_id: String, roles: Vec<AccountRole>, units: Vec<(AccountRole, String)>, grants: Vec<(Option<EnteId>, AccountRole)> },
}

impl Actor {
    /// The console user, named after the operating-system account.
    pub fn console() -> Actor {
        let user = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_else(|_| "console".into());
        Actor { name: format!("cli:{user}"), kind: ActorKind::Console }
    }

    pub fn public() -> Actor {
        Actor { name: "pubblico".into(), kind: ActorKind::Public }
    }

    /// An account acting with `roles`, each of its unit-scoped roles on every unit of lineage
    /// `units` (see [`Actor::scoped`] for one role per unit).
    pub fn user(name: &str, account_id: &str, roles: &[AccountRole], units: &[&str]) -> Actor {
        let scoped: Vec<(AccountRole, &str)> = roles.iter().filter(|r| r.unit_scoped()).flat_map(|r| units.iter().map(move |u| (*r, *u))).collect();
        Actor::scoped(name, account_id, roles, &scoped)
    }

    /// An account acting with `roles`, its unit-scoped roles each on its own units: `(role, lineage)`.
    pub fn scoped(name: &str, account_id: &str, roles: &[AccountRole], units: &[(AccountRole, &str)]) -> Actor {
        let units = units.iter().map(|(r, u)| (*r, u.to_string())).collect();
        let grants = roles.iter().map(|r| (None, *r)).collect();
        Actor { name: name.into(), kind: ActorKind::User { account_id: account_id.into(), roles: roles.to_vec(), units, grants } }
    }

    /// The actor acting in one ente (by id): only the roles granted there, or everywhere. Every
    /// request about an ente narrows its actor so, before any permission is asked.
    pub fn within(&self, ente: &EnteId) -> Actor {
        match &self.kind {
            ActorKind::User { account_id, units, grants, .. } => {
                let mut roles: Vec<AccountRole> = grants.iter().filter(|(e, _)| e.as_ref().is_none_or(|e| e == ente)).map(|(_, r)| *r).collect();
                roles.sort();
                roles.dedup();
                Actor { name: self.name.clone(), kind: ActorKind::User { account_id: account_id.clone(), roles, units: units.clone(), grants: grants.clone() } }
            }
            _ => self.clone(),
        }
    }

    /// The units (lineage ids) on which the actor holds one of `roles`: `None` for the console.
    pub fn units_of(&self, roles: &[AccountRole]) -> Option<Vec<&str>> {
        match &self.kind {
            ActorKind::Console => None,
            ActorKind::Public => Some(Vec::new()),
            ActorKind::User { units, roles: in_force, .. } => {
                Some(units.iter().filter(|(r, _)| roles.contains(r) && in_force.contains(r)).map(|(_, u)| u.as_str()).collect())
            }
        }
    }

    /// The roles the actor acts with: `None` for the console, which holds them all.
    pub fn roles(&self) -> Option<&[AccountRole]> {
        match &self.kind {
            ActorKind::Console => None,
            ActorKind::Public => Some(&[]),
            ActorKind::User { roles, .. } => Some(roles),
        }
    }

    /// Whether the actor holds `role` (the console holds every role).
    pub fn holds(&self, role: AccountRole) -> bool {
        self.roles().is_none_or(|r| r.contains(&role))
    }

    /// How far the actor may exercise `right`: the widest reach of its roles (the console: the
    /// whole ente; the public: reading only).
    pub fn reach(&self, right: Right) -> Reach {
        match &self.kind {
            // What is public is readable by anyone.
            ActorKind::Console => Reach::Ente,
            _ if right == Right::ReadOrg => Reach::Ente,
            ActorKind::Public => Reach::Nowhere,
            ActorKind::User { roles, .. } => traguardi_domain::access::widest(roles, right),
        }
    }

    /// The roles by which the actor has `right` on its own units only.
    pub fn roles_on_units(&self, right: Right) -> Vec<AccountRole> {
        self.roles().unwrap_or_default().iter().copied().filter(|r| traguardi_domain::access::reach(*r, right) == Reach::OwnUnits).collect()
    }

    /// Whether the actor may exercise `right` on the whole ente.
    pub fn may(&self, right: Right) -> bool {
        self.reach(right) == Reach::Ente
    }

    pub fn require(&self, right: Right, what: traguardi_domain::said::Said) -> Result<(), crate::AppError> {
        if self.may(right) { Ok(()) } else { Err(crate::AppError::Forbidden { actor: self.name.clone(), what }) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_counts_only_in_the_ente_it_was_given_in() {
        let mut a = Actor::user("paola", "a1", &[], &[]);
        if let ActorKind::User { roles, grants, .. } = &mut a.kind {
            *grants = vec![(Some("milano".into()), AccountRole::Pianificatore), (Some("torino".into()), AccountRole::Niv)];
            *roles = grants.iter().map(|(_, r)| *r).collect();
        }
        assert!(a.within(&"milano".into()).may(Right::Administer));
        assert!(!a.within(&"torino".into()).may(Right::Administer));
        assert!(a.within(&"torino".into()).may(Right::ApproveValues));
        assert!(!a.within(&"bergamo".into()).may(Right::ApproveValues));
        assert_eq!(Actor::console().within(&"bergamo".into()), Actor::console());
    }

    #[test]
    fn public_reads_but_never_administers() {
        assert!(Actor::public().may(Right::ReadOrg));
        assert!(!Actor::public().may(Right::Administer));
        assert!(Actor::console().may(Right::Administer));
        let e = Actor::public().require(Right::Administer, traguardi_domain::said!("importare la struttura")).expect_err("refused");
        assert_eq!(e.to_string(), "operazione non consentita a pubblico: importare la struttura");
    }
}
