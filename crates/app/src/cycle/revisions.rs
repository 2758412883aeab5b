//! Rimodulazione (SPEC §2, §5; art. 10 c.3 D.Lgs 150/2009): an approved, mid-year change of a
//! KPI's target, of a weight, of an objective's description, or the removal of an objective or
//! KPI, with its reason and the act that approved it. The revised value takes the place of the
//! original in the plan, so every score from then on uses it; the original is kept in the
//! revision, and both appear in reports.
//!
//! A revision is an event during monitoring: refused before the plan is approved (the plan is
//! still edited by import) and after the consuntivo.

use chrono::Datelike;
use rust_decimal::Decimal;
use serde::Serialize;
use traguardi_domain::Problem;
use traguardi_domain::plan::kpi::Value;
use traguardi_domain::plan::workflow::State;
use traguardi_domain::said;
use traguardi_domain::value::NumberStyle;
use traguardi_store::ente::Ente;
use traguardi_store::plan::{self, Target};
use traguardi_store::revisions::{self, Revision};
use traguardi_store::{Store, new_id};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::{Actor, AppError, cycle::cycles};

/// What changes.
pub const FIELDS: [&str; 4] = ["target", "peso", "descrizione", "rimozione"];

/// A revision as asked for: an objective or a KPI (by code), the field, the new value (none for
/// a removal), the reason, the act, the day it takes effect.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub objective: Option<&'a str>,
    pub kpi: Option<&'a str>,
    pub field: &'a str,
    pub value: Option<&'a str>,
    pub reason: &'a str,
    pub act: &'a str,
    pub effective_on: chrono::NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct Revised {
    pub code: String,
    pub field: String,
    pub before: String,
    pub after: String,
}

#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn revise(store: &Store, actor: &Actor, ente: &Ente, year: i32, r: Request<'_>) -> Result<Revised, AppError> {
    actor.require(Right::Administer, said!("rimodulare il piano"))?;
    if !FIELDS.contains(&r.field) {
        return Err(AppError::Refused(said!("campo «{field}» non rimodulabile: uno di {join}", field = r.field, join = FIELDS.join(", "))));
    }
    if r.reason.trim().is_empty() {
        return Err(AppError::Refused(said!("la rimodulazione richiede la motivazione (--motivo)")));
    }
    let mut tx = store.begin().await?;
    let cycle = cycles::get(&mut tx, ente, year).await?;
    crate::cycle::close::ensure_open(&mut tx, ente, &cycle).await?;
    if r.effective_on.year() != year {
        return Err(AppError::Refused(said!("la data di efficacia {format} non è nel {year}", format = r.effective_on.format("%d/%m/%Y"), year)));
    }
    let act = crate::cycle::acts::find(&mut tx, ente, r.act).await?;
    let objectives = plan::objectives(&mut tx, &ente.id, &cycle.id).await?;
    let kpis = plan::kpis(&mut tx, &ente.id, &cycle.id).await?;
    // The objective concerned (of the KPI, when a KPI is named).
    let (mut objective, kpi) = match (r.objective, r.kpi) {
        (_, Some(code)) => {
            let k = kpis.iter().find(|k| k.code == code).ok_or_else(|| AppError::Refused(said!("KPI {code} inesistente nel {year}", code, year)))?.clone();
            let o = objectives
                .iter()
                .find(|o| o.id == k.objective_id)
                .cloned()
                .ok_or_else(|| AppError::Refused(said!("obiettivo del KPI {code} inesistente", code)))?;
            (o, Some(k))
        }
        (Some(code), None) => (
            objectives
                .iter()
                .find(|o| o.code == code)
                .cloned()
                .ok_or_else(|| AppError::Refused(said!("obiettivo {code} inesistente nel {year}", code, year)))?,
            None,
        ),
        (None, None) => return Err(AppError::Refused(said!("indicare l'obiettivo (--obiettivo) o il KPI (--kpi) da rimodulare"))),
    };
    let state = objective.state;
    if state < State::Approvato {
        return Err(AppError::Refused(
            said!("l'obiettivo {code} è «{state}»: prima dell'approvazione il piano si modifica reimportandolo, la rimodulazione è per gli obiettivi approvati", code = objective.code, state => state.said()),
        ));
    }
    if state >= State::Consuntivato {
        return Err(AppError::Refused(
            said!("l'obiettivo {code} è «{state}»: dopo il consuntivo non si rimodula", code = objective.code, state => state.said()),
        ));
    }
    let value = r.value.map(str::trim).unwrap_or_default();
    let code = kpi.as_ref().map_or_else(|| objective.code.clone(), |k| k.code.clone());
    let kpi_id = kpi.as_ref().map(|k| k.id.clone());
    let (before, after) = match (r.field, kpi) {
        ("target", Some(k)) => {
            let k = &k;
            let mut targets: Vec<Target> = plan::targets(&mut tx, &ente.id, &cycle.id).await?.into_iter().filter(|t| t.kpi_id == k.id).collect();
            // Typed alone: one rule for its numbers (never «1.000» taken as one), stored in the
            // canonical form every target has.
            let style = NumberStyle::typed(value).map_err(|kind| AppError::Invalid(Problem::column("--valore", kind).into()))?;
            let Some(parsed) = Value::parse(k.measure, value, style).ok().flatten() else {
                return Err(AppError::Refused(said!(
                    "target «{value}» non valido per il KPI {code} ({code2})",
                    value,
                    code = k.code,
                    code2 = k.measure.code()
                )));
            };
            let before = targets.iter().find(|t| t.year == year && t.period_end.is_none()).map(|t| t.value.clone()).unwrap_or_default();
            targets.retain(|t| !(t.year == year && t.period_end.is_none()));
            targets.push(Target { kpi_id: k.id.clone(), year, period_end: None, value: parsed.to_text() });
            plan::replace_targets(&mut tx, &ente.id, &k.id, &targets).await?;
            (before, parsed.to_text())
        }
        ("target", None) => return Err(AppError::Refused(said!("il target si rimodula per un KPI (--kpi)"))),
        ("peso", k) => {
            let style = NumberStyle::typed(value).map_err(|kind| AppError::Invalid(Problem::column("--valore", kind).into()))?;
            let w: Decimal = style
                .parse(value)
                .filter(|w: &Decimal| *w > Decimal::ZERO)
                .ok_or_else(|| AppError::Refused(said!("peso «{value}» non valido: un numero maggiore di zero", value)))?;
            match k {
                Some(mut k) => {
                    let before = k.weight.normalize().to_string();
                    k.weight = w;
                    plan::save_kpi(&mut tx, &ente.id, &k).await?;
                    (before, w.normalize().to_string())
                }
                None => {
                    let before = objective.weight.normalize().to_string();
                    objective.weight = w;
                    plan::save_objective(&mut tx, &ente.id, &objective).await?;
                    (before, w.normalize().to_string())
                }
            }
        }
        ("descrizione", None) => {
            if value.is_empty() {
                return Err(AppError::Refused(said!("la nuova descrizione è vuota")));
            }
            let before = objective.description.clone().unwrap_or_default();
            objective.description = Some(value.to_string());
            plan::save_objective(&mut tx, &ente.id, &objective).await?;
            (before, value.to_string())
        }
        ("descrizione", Some(_)) => return Err(AppError::Refused(said!("la descrizione si rimodula per un obiettivo (--obiettivo)"))),
        // Removal: the objective drops out of every roll-up as not assessable; a KPI weighs 0.
        (_, Some(mut k)) => {
            let before = k.weight.normalize().to_string();
            k.weight = Decimal::ZERO;
            plan::save_kpi(&mut tx, &ente.id, &k).await?;
            (format!("peso {before}"), "rimosso".to_string())
        }
        (_, None) => {
            objective.not_assessable = Some(format!("rimosso con rimodulazione ({}): {}", act.code, r.reason.trim()));
            plan::save_objective(&mut tx, &ente.id, &objective).await?;
            ("in piano".to_string(), "rimosso".to_string())
        }
    };
    let rev = Revision {
        id: new_id(),
        code: code.clone(),
        objective_id: objective.id.clone(),
        kpi_id,
        field: r.field.into(),
        before: before.clone(),
        after: after.clone(),
        effective_on: r.effective_on,
        reason: r.reason.trim().into(),
        act_code: act.code.clone(),
        created_at: crate::now(),
        created_by: actor.name.clone(),
    };
    revisions::insert(&mut tx, &ente.id, &cycle.id, &rev).await?;
    audit::record_in_cycle(
        &mut tx,
        actor,
        &ente.id,
        &cycle.id,
        Change { action: "rimodulazione", entity: "rimodulazione", entity_id: Some(&code), before: None::<&Revision>, after: Some(&rev) },
    )
    .await?;
    tx.commit().await?;
    Ok(Revised { code, field: r.field.into(), before, after })
}

/// The revisions of a cycle, in order.
#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn of_cycle(store: &Store, actor: &Actor, ente: &Ente, year: i32) -> Result<Vec<crate::views::Revision>, AppError> {
    actor.require(Right::ReadOrg, said!("leggere le rimodulazioni"))?;
    let mut conn = store.acquire().await?;
    let cycle = cycles::get(&mut conn, ente, year).await?;
    Ok(revisions::of_cycle_named(&mut conn, &ente.id, &cycle.id).await?.into_iter().map(|(r, objective)| crate::views::Revision::of(r, objective)).collect())
}

/// The revisions as a table: `codice`, `campo`, `originale`, `rimodulato`, `dal`, `motivo`,
/// `atto`, `registrata_il`, `da`.
pub fn sheet(list: &[crate::views::Revision]) -> traguardi_docs::export::Sheet {
    traguardi_docs::export::Sheet {
        name: "rimodulazioni".into(),
        header: ["codice", "campo", "originale", "rimodulato", "dal", "motivo", "atto", "registrata_il", "da"].map(String::from).to_vec(),
        rows: list
            .iter()
            .map(|r| {
                vec![
                    r.code.clone(),
                    r.field.clone(),
                    r.before.clone(),
                    r.after.clone(),
                    r.effective_on.to_string(),
                    r.reason.clone(),
                    r.act_code.clone(),
                    r.created_at.clone(),
                    r.created_by.clone(),
                ]
            })
            .collect(),
    }
}
