//! The Relazione sulla Performance's path (SPEC §5): approved by the Giunta with its act,
//! validated by the NIV, published.

use traguardi_domain::pay::relazione::RelazioneState;
use traguardi_domain::said;

use traguardi_domain::act;
use traguardi_store::Store;
use traguardi_store::ente::Ente;
use traguardi_store::pay;

use crate::accounts::audit::{self, Change};
use crate::{Actor, AppError, cycle::cycles, org::enti};

/// One step of the Relazione: the state reached, the Giunta's act (to approve), the day, a note.
pub struct RelazioneStep<'a> {
    pub to: &'a str,
    pub act: Option<&'a str>,
    pub on: chrono::NaiveDate,
    pub note: Option<&'a str>,
}

/// Where the Relazione of a cycle stands (public: its path is published).
#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn relazione(store: &Store, ente: &Ente, year: i32) -> Result<Option<pay::Relazione>, AppError> {
    let mut conn = store.acquire().await?;
    let cycle = cycles::get(&mut conn, ente, year).await?;
    Ok(pay::relazione(&mut conn, &ente.id, &cycle.id).await?)
}

/// The Relazione's path (SPEC §5): bozza → approvata (with the Giunta's act) → validata (by
/// the NIV) → pubblicata. Each step only from the one before.
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn relazione_step(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32, step: RelazioneStep<'_>) -> Result<pay::Relazione, AppError> {
    let RelazioneStep { to, act, on, note } = step;
    let Some(to) = RelazioneState::parse(to) else {
        let path: Vec<&str> = RelazioneState::PATH.iter().map(|s| s.code()).collect();
        return Err(AppError::Refused(said!("stato della Relazione «{to}» sconosciuto: uno di {path}", to, path = path.join(", "))));
    };
    if !actor.may(to.right()) {
        let who = if to == RelazioneState::Validata { said!("il NIV") } else { said!("il pianificatore") };
        return Err(AppError::Refused(said!("solo {who} può portare la Relazione allo stato «{to}»", who => who, to = to.code())));
    }
    let mut tx = store.begin().await?;
    let ente = enti::resolve(&mut tx, ente_code).await?;
    let cycle = cycles::get(&mut tx, &ente, year).await?;
    let before = pay::relazione(&mut tx, &ente.id, &cycle.id).await?;
    // Until registered, the Relazione is a draft.
    let from = before.as_ref().map_or(RelazioneState::Bozza, |r| r.state);
    if let Some(previous) = to.previous()
        && from != previous
    {
        return Err(AppError::Refused(said!(
            "la Relazione {year} è «{state}»: può diventare «{to}» solo da «{previous}»",
            year,
            state = from.code(),
            to = to.code(),
            previous = previous.code()
        )));
    }
    let mut r = before.clone().unwrap_or(pay::Relazione {
        state: RelazioneState::Bozza,
        act_code: None,
        approved_on: None,
        validated_on: None,
        validated_by: None,
        published_on: None,
        note: None,
    });
    r.state = to;
    match to {
        RelazioneState::Approvata => {
            let code = act.ok_or_else(|| AppError::Refused(said!("l'approvazione della Relazione richiede l'atto della Giunta (--atto «GC n/anno»)")))?;
            let registered = crate::cycle::acts::find(&mut tx, &ente, code).await?;
            let facts =
                act::ActFacts { code: &registered.code, organ: &registered.organ, adopted_on: registered.adopted_on, executive_on: registered.executive_on };
            if let Some(why) = act::unfit(act::Purpose::ApproveRelazione, facts, year, on) {
                return Err(AppError::Refused(why));
            }
            r.act_code = Some(registered.code);
            r.approved_on = Some(registered.adopted_on);
        }
        RelazioneState::Validata => {
            // The NIV validates what the Giunta approved: never before its deliberation.
            if let Some(approved) = r.approved_on
                && on < approved
            {
                return Err(AppError::Refused(said!(
                    "la validazione del NIV ({format}) non può precedere l'approvazione della Relazione da parte della Giunta ({format2}, {act_code})",
                    format = on.format("%d/%m/%Y"),
                    format2 = approved.format("%d/%m/%Y"),
                    act_code = r.act_code.as_deref().unwrap_or_default()
                )));
            }
            r.validated_on = Some(on);
            r.validated_by = Some(actor.name.clone());
        }
        RelazioneState::Pubblicata => r.published_on = Some(on),
        RelazioneState::Bozza => {}
    }
    if let Some(n) = note {
        r.note = Some(n.into());
    }
    pay::save_relazione(&mut tx, &ente.id, &cycle.id, &r, &crate::now()).await?;
    audit::record_in_cycle(
        &mut tx,
        actor,
        &ente.id,
        &cycle.id,
        Change { action: "relazione", entity: "relazione", entity_id: Some(to.code()), before: before.as_ref(), after: Some(&r) },
    )
    .await?;
    tx.commit().await?;
    Ok(r)
}
