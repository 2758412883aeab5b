//! The evaluated person's answer to their evaluation, once the final interview is held: they
//! sign it (acknowledging it, which does not mean agreeing) or contest it with their reasons,
//! which opens the conciliation. Each answer is given once and recorded in the audit trail.

use chrono::NaiveDate;
use traguardi_domain::said;
use traguardi_store::pay;

use crate::accounts::access::ActorKind;
use crate::accounts::audit::{self, Change};
use crate::{Actor, AppError, cycle::cycles, org::enti};
use traguardi_store::Store;

/// Shortest reason accepted for a contestation: a few words, not a letter.
pub const MIN_REASON: usize = 10;

#[derive(Debug, Clone, Copy)]
pub enum Answer<'a> {
    Sign,
    Contest { reason: &'a str },
}

/// Records the logged-in person's answer on `today`; returns the evaluation as it now stands.
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn answer(
    store: &Store,
    actor: &Actor,
    ente_code: Option<&str>,
    year: i32,
    answer: Answer<'_>,
    today: NaiveDate,
) -> Result<pay::EvaluationRow, AppError> {
    let ActorKind::User { account_id, .. } = &actor.kind else {
        return Err(AppError::Forbidden { actor: actor.name.clone(), what: said!("rispondere alla propria valutazione (serve l'accesso)") });
    };
    let mut tx = store.begin().await?;
    let ente = enti::resolve(&mut tx, ente_code).await?;
    let Some(person_id) = traguardi_store::accounts::person_of(&mut tx, account_id, &ente.id).await? else {
        return Err(AppError::Refused(said!("questo utente non è collegato a una persona dell'ente")));
    };
    let cycle = cycles::get(&mut tx, &ente, year).await?;
    crate::cycle::close::ensure_open(&mut tx, &ente, &cycle).await?;
    let before = pay::evaluations(&mut tx, &ente.id, &cycle.id)
        .await?
        .into_iter()
        .find(|e| e.person_id == person_id)
        .ok_or_else(|| AppError::Refused(said!("la valutazione {year} non è ancora registrata", year)))?;
    let day = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    let Some(final_interview) = before.interview_final else {
        return Err(AppError::Refused(said!("la valutazione non è ancora conclusa: si firma o si contesta dopo il colloquio finale")));
    };
    if today < final_interview {
        return Err(AppError::Refused(said!(
            "il colloquio finale è fissato al {final_interview}: si risponde da quel giorno",
            final_interview = day(final_interview)
        )));
    }
    let mut after = before.clone();
    let action = match answer {
        Answer::Sign => {
            if let Some(d) = before.signed_on {
                return Err(AppError::Refused(said!("valutazione già firmata il {d}", d = day(d))));
            }
            after.signed_on = Some(today);
            "firma valutazione"
        }
        Answer::Contest { reason } => {
            if let Some(d) = before.contested_on {
                return Err(AppError::Refused(said!("valutazione già contestata il {d}: segue la conciliazione", d = day(d))));
            }
            let reason = reason.trim();
            if reason.chars().count() < MIN_REASON {
                return Err(AppError::Refused(said!("scrivere i motivi della contestazione (almeno {MIN_REASON} caratteri)", MIN_REASON)));
            }
            after.contested_on = Some(today);
            let contest = format!("Contestazione del {}: {reason}", day(today));
            after.note = Some(match before.note.as_deref().filter(|n| !n.trim().is_empty()) {
                Some(n) => format!("{n}\n{contest}"),
                None => contest,
            });
            "contesta valutazione"
        }
    };
    pay::save_evaluation(&mut tx, &ente.id, &cycle.id, &after).await?;
    audit::record_in_cycle(
        &mut tx,
        actor,
        &ente.id,
        &cycle.id,
        Change { action, entity: "valutazione", entity_id: Some(&person_id), before: Some(&before), after: Some(&after) },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
