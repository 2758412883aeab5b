//! The in-app notifications of a cycle (reminders of late values, values returned): each person
//! reads their own; those who run the ente read everyone's.

use serde::Serialize;
use traguardi_domain::said;
use traguardi_store::{Store, accounts, notifications, people};

use crate::accounts::access::{ActorKind, Right};
use crate::{Actor, AppError, cycle::cycles, org::enti};

/// A notification, its person named by matricola.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub matricola: String,
    /// `sollecito`, `sollecito_superiore`, `restituzione:KPI`.
    pub kind: String,
    /// The day it was written (YYYY-MM-DD).
    pub day: String,
    pub text: String,
    /// Whether it was also sent by e-mail.
    pub emailed: bool,
}

/// The cycle's notifications the actor may read, by day, matricola and kind: all of them for
/// those who administer the ente, the actor's own otherwise (none when the account is not
/// linked to a person of the ente).
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn of_cycle(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32) -> Result<Vec<Notice>, AppError> {
    let mut conn = store.acquire().await?;
    let ente = enti::resolve(&mut conn, ente_code).await?;
    let actor = actor.within(&ente.id);
    let only = if actor.may(Right::Administer) {
        None
    } else {
        // Only those with a role in this ente have notifications in it.
        let ActorKind::User { account_id, roles, .. } = &actor.kind else {
            return Err(AppError::Forbidden { actor: actor.name.clone(), what: said!("leggere le notifiche (serve l'accesso)") });
        };
        if roles.is_empty() {
            return Err(AppError::Forbidden { actor: actor.name.clone(), what: said!("leggere le notifiche di questo ente") });
        }
        match accounts::person_of(&mut conn, account_id, &ente.id).await? {
            Some(person) => Some(person),
            None => return Ok(Vec::new()),
        }
    };
    let cycle = cycles::get(&mut conn, &ente, year).await?;
    let matricola: std::collections::HashMap<_, _> = people::persons(&mut conn, &ente.id).await?.into_iter().map(|p| (p.id, p.matricola)).collect();
    let mut list: Vec<Notice> = notifications::of_cycle(&mut conn, &ente.id, &cycle.id)
        .await?
        .into_iter()
        .filter(|n| only.as_ref().is_none_or(|p| *p == n.person_id))
        .map(|n| Notice {
            matricola: matricola.get(&n.person_id).cloned().unwrap_or_default(),
            kind: n.kind,
            day: n.day,
            text: n.text,
            emailed: n.emailed_to.is_some(),
        })
        .collect();
    list.sort_by(|a, b| (&a.day, &a.matricola, &a.kind).cmp(&(&b.day, &b.matricola, &b.kind)));
    Ok(list)
}
