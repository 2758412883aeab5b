//! The people of a cycle with their posts, for those who evaluate them: the whole ente for the
//! administrators and planners, their own units (and those below) for the direttori, dirigenti
//! and PO/EQ. People are named by their matricola and units by their code.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use traguardi_domain::ids::{PersonId, UnitId};
use traguardi_domain::said;
use traguardi_store::{Store, org, people};

use crate::accounts::access::{Reach, Right};
use crate::accounts::scope::UnitScope;
use crate::{Actor, AppError, cycle::cycles, org::enti};

/// A person and their posts in the cycle, named as the columns of `import people`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonPosts {
    pub matricola: String,
    #[serde(rename = "cognome")]
    pub family_name: String,
    #[serde(rename = "nome")]
    pub given_name: String,
    #[serde(rename = "titolo")]
    pub title: Option<String>,
    pub email: Option<String>,
    /// In the order they start.
    #[serde(rename = "incarichi")]
    pub posts: Vec<Post>,
}

/// One assignment: where, as what, from when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Post {
    /// The unit's code.
    #[serde(rename = "struttura")]
    pub unit: String,
    /// Its code: `dipendente`, `po_eq`, `dirigente`, `segretario`…
    #[serde(rename = "ruolo")]
    pub role: &'static str,
    /// The contract category's code (Conto Annuale).
    #[serde(rename = "categoria")]
    pub category: &'static str,
    /// The part-time percentage (100 for full time) and its kind (`pieno`, `orizzontale`…).
    pub part_time: Decimal,
    #[serde(rename = "tipo_part_time")]
    pub part_time_kind: &'static str,
    #[serde(rename = "inizio")]
    pub starts: NaiveDate,
    #[serde(rename = "fine")]
    pub ends: Option<NaiveDate>,
    pub interim: bool,
}

/// The people with a post in `year` that the actor may evaluate, by matricola.
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn of_cycle(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32) -> Result<Vec<PersonPosts>, AppError> {
    if actor.reach(Right::Evaluate) == Reach::Nowhere {
        actor.require(Right::Evaluate, said!("leggere il personale"))?;
    }
    let mut conn = store.acquire().await?;
    let ente = enti::resolve(&mut conn, ente_code).await?;
    let cycle = cycles::get(&mut conn, &ente, year).await?;
    // Those who evaluate everyone need no scope of units.
    let scope = if actor.may(Right::Evaluate) { None } else { Some(UnitScope::of(&mut conn, actor, &ente, &cycle.id, Right::Evaluate).await?) };
    let units: HashMap<UnitId, String> = org::of_cycle(&mut conn, &ente.id, &cycle.id).await?.into_iter().map(|u| (u.id, u.code)).collect();
    let mut posts: HashMap<PersonId, Vec<Post>> = HashMap::new();
    for a in people::assignments_of_cycle(&mut conn, &ente.id, &cycle.id).await? {
        if scope.as_ref().is_some_and(|s| !s.contains(Some(&a.unit_id))) {
            continue;
        }
        posts.entry(a.person_id.clone()).or_default().push(Post {
            unit: units.get(&a.unit_id).cloned().unwrap_or_default(),
            role: a.role.code(),
            category: a.category.code(),
            part_time: a.part_time.percent.normalize(),
            part_time_kind: a.part_time.kind.code(),
            starts: a.starts,
            ends: a.ends,
            interim: a.interim,
        });
    }
    let mut out: Vec<PersonPosts> = people::persons(&mut conn, &ente.id)
        .await?
        .into_iter()
        .filter_map(|p| {
            let mut posts = posts.remove(&p.id)?;
            posts.sort_by(|a, b| (a.starts, &a.unit).cmp(&(b.starts, &b.unit)));
            Some(PersonPosts { matricola: p.matricola, family_name: p.family_name, given_name: p.given_name, title: p.title, email: p.email, posts })
        })
        .collect();
    out.sort_by(|a, b| a.matricola.cmp(&b.matricola));
    Ok(out)
}
