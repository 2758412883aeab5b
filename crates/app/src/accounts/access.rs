//! Who acts, and what they may do. Every permission check of the app is here.

use serde::Serialize;

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
    /// A logged-in account with its roles (`role` names of `accounts::ROLES`) and, for each of
    /// its direttore, dirigente and PO/EQ roles, the unit (lineage id) it is scoped to, with all
    /// below it: `(role, lineage)`, so that each role acts on its own units only.
    /// `grants` says in which ente each role was given (`None`: everywhere, the administrator);
    /// `roles` are those in force: all of them until the actor is narrowed to one ente.
    User { account_id: String, roles: Vec<String>, units: Vec<(String, String)>, grants: Vec<(Option<String>, String)> },
}

/// What an actor may be asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Create enti, cycles; import org charts and people.
    Administer,
    /// Read an ente's org tree (public in "Amministrazione trasparente").
    ReadOrg,
    /// Approve or return monitoring values: the planners and the NIV, which validates them.
    Validate,
    /// Read what is kept for the ente's own people (the API's reminders, rimodulazioni,
    /// corrections, the check of the close): any role in that ente.
    ReadEnte,
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
    pub fn user(name: &str, account_id: &str, roles: &[&str], units: &[&str]) -> Actor {
        let scoped: Vec<(&str, &str)> =
            roles.iter().filter(|r| crate::accounts::users::UNIT_ROLES.contains(r)).flat_map(|r| units.iter().map(move |u| (*r, *u))).collect();
        Actor::scoped(name, account_id, roles, &scoped)
    }

    /// An account acting with `roles`, its unit-scoped roles each on its own units: `(role, lineage)`.
    pub fn scoped(name: &str, account_id: &str, roles: &[&str], units: &[(&str, &str)]) -> Actor {
        let roles: Vec<String> = roles.iter().map(|s| s.to_string()).collect();
        let units = units.iter().map(|(r, u)| (r.to_string(), u.to_string())).collect();
        let grants = roles.iter().map(|r| (None, r.clone())).collect();
        Actor { name: name.into(), kind: ActorKind::User { account_id: account_id.into(), roles, units, grants } }
    }

    /// The actor acting in one ente (by id): only the roles granted there, or everywhere. Every
    /// request about an ente narrows its actor so, before any permission is asked.
    pub fn within(&self, ente_id: &str) -> Actor {
        match &self.kind {
            ActorKind::User { account_id, units, grants, .. } => {
                let mut roles: Vec<String> = grants.iter().filter(|(e, _)| e.as_deref().is_none_or(|e| e == ente_id)).map(|(_, r)| r.clone()).collect();
                roles.dedup();
                Actor { name: self.name.clone(), kind: ActorKind::User { account_id: account_id.clone(), roles, units: units.clone(), grants: grants.clone() } }
            }
            _ => self.clone(),
        }
    }

    /// The units (lineage ids) on which the actor holds one of `roles`: `None` for the console.
    pub fn units_of(&self, roles: &[&str]) -> Option<Vec<&str>> {
        match &self.kind {
            ActorKind::Console => None,
            ActorKind::Public => Some(Vec::new()),
            ActorKind::User { units, roles: in_force, .. } => {
                Some(units.iter().filter(|(r, _)| roles.contains(&r.as_str()) && in_force.contains(r)).map(|(_, u)| u.as_str()).collect())
            }
        }
    }

    /// The roles the actor acts with: `None` for the console, which holds them all.
    pub fn roles(&self) -> Option<&[String]> {
        match &self.kind {
            ActorKind::Console => None,
            ActorKind::Public => Some(&[]),
            ActorKind::User { roles, .. } => Some(roles),
        }
    }

    pub fn may(&self, p: Permission) -> bool {
        match (&self.kind, p) {
            (ActorKind::Console, _) => true,
            (_, Permission::ReadOrg) => true,
            (ActorKind::Public, Permission::Administer | Permission::Validate | Permission::ReadEnte) => false,
            (ActorKind::User { roles, .. }, Permission::ReadEnte) => !roles.is_empty(),
            (ActorKind::User { roles, .. }, Permission::Administer) => roles.iter().any(|r| r == "amministratore" || r == "pianificatore"),
            (ActorKind::User { roles, .. }, Permission::Validate) => roles.iter().any(|r| r == "amministratore" || r == "pianificatore" || r == "niv"),
        }
    }

    pub fn require(&self, p: Permission, what: traguardi_domain::said::Said) -> Result<(), crate::AppError> {
        if self.may(p) { Ok(()) } else { Err(crate::AppError::Forbidden { actor: self.name.clone(), what }) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_counts_only_in_the_ente_it_was_given_in() {
        let mut a = Actor::user("paola", "a1", &[], &[]);
        if let ActorKind::User { roles, grants, .. } = &mut a.kind {
            *grants = vec![(Some("milano".into()), "pianificatore".into()), (Some("torino".into()), "niv".into())];
            *roles = grants.iter().map(|(_, r)| r.clone()).collect();
        }
        assert!(a.within("milano").may(Permission::Administer));
        assert!(!a.within("torino").may(Permission::Administer));
        assert!(a.within("torino").may(Permission::Validate));
        assert!(!a.within("bergamo").may(Permission::Validate));
        assert_eq!(Actor::console().within("bergamo"), Actor::console());
    }

    #[test]
    fn public_reads_but_never_administers() {
        assert!(Actor::public().may(Permission::ReadOrg));
        assert!(!Actor::public().may(Permission::Administer));
        assert!(Actor::console().may(Permission::Administer));
        let e = Actor::public().require(Permission::Administer, traguardi_domain::said!("importare la struttura")).expect_err("refused");
        assert_eq!(e.to_string(), "operazione non consentita a pubblico: importare la struttura");
    }
}
