//! What a logged-in person sees of their own year: the evaluation, the premium once approved.

use traguardi_domain::ids::PersonId;
use traguardi_domain::said;

use rust_decimal::Decimal;
use serde::Serialize;
use traguardi_store::pay;
use traguardi_store::{Store, people};

use crate::pay::payouts::approved_allocation;
use crate::{Actor, AppError, cycle::cycles, org::enti};

/// What a person sees of their own year: the evaluation, the premium once approved, and the
/// scores of past years (progressions use their average).
#[derive(Debug, Clone, Serialize)]
pub struct MyPay {
    pub year: i32,
    pub matricola: String,
    pub name: String,
    pub evaluation: Option<pay::EvaluationRow>,
    pub evaluator: Option<String>,
    pub reviewer: Option<String>,
    /// The approved scenario's name and what this person gets in it, with the reasons.
    pub approved: Option<(String, traguardi_domain::pay::premi::Explained)>,
    /// (year, individual score) of every cycle with an approved scenario, oldest first.
    pub history: Vec<(i32, Option<Decimal>)>,
    /// In-app notifications (reminders of late values), newest first: (day, text).
    pub notifications: Vec<(String, String)>,
}

impl MyPay {
    /// The average of the last `n` individual scores on record.
    pub fn average_of_last(&self, n: usize) -> Option<Decimal> {
        let scores: Vec<Decimal> = self.history.iter().rev().filter_map(|(_, s)| *s).take(n).collect();
        (!scores.is_empty()).then(|| scores.iter().sum::<Decimal>() / Decimal::from(scores.len() as i64))
    }
}

/// The logged-in person's own evaluation and premium; `None` when the account is not linked to
/// a person of the ente (`traguardi user persona`).
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn mine(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32) -> Result<Option<MyPay>, AppError> {
    let crate::accounts::access::ActorKind::User { account_id, .. } = &actor.kind else {
        return Err(AppError::Forbidden { actor: actor.name.clone(), what: said!("vedere la propria valutazione (serve l'accesso)") });
    };
    let mut conn = store.acquire().await?;
    let ente = enti::resolve(&mut conn, ente_code).await?;
    let Some(person_id) = traguardi_store::accounts::person_of(&mut conn, account_id, &ente.id).await? else { return Ok(None) };
    let everyone = people::persons(&mut conn, &ente.id).await?;
    let name_of = |id: &PersonId| everyone.iter().find(|p| p.id == *id).map(|p| p.display_name());
    let Some(me) = everyone.iter().find(|p| p.id == person_id) else { return Ok(None) };
    let cycle = cycles::get(&mut conn, &ente, year).await?;
    let evaluation = pay::evaluations(&mut conn, &ente.id, &cycle.id).await?.into_iter().find(|e| e.person_id == person_id);
    let mut history = Vec::new();
    let mut approved = None;
    for c in traguardi_store::cycle::list(&mut conn, &ente.id).await?.into_iter().rev() {
        let Some((s, a)) = approved_allocation(&mut conn, &ente, &c.id).await? else { continue };
        if let Some(p) = a.explained(&me.matricola) {
            history.push((c.year(), p.punteggio));
            if c.year() == year {
                approved = Some((s.name.clone(), p));
            }
        }
    }
    Ok(Some(MyPay {
        year,
        matricola: me.matricola.clone(),
        name: me.display_name(),
        evaluator: evaluation.as_ref().and_then(|e| e.evaluator_id.as_ref()).and_then(name_of),
        reviewer: evaluation.as_ref().and_then(|e| e.reviewer_id.as_ref()).and_then(name_of),
        evaluation,
        approved,
        history,
        notifications: traguardi_store::notifications::of_person(&mut conn, &ente.id, &person_id).await?.into_iter().map(|n| (n.day, n.text)).collect(),
    }))
}
