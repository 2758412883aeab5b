//! Who is late with their values: for every measured KPI, the periods of its periodicity whose
//! due date (business days after the period's end, on the ente's calendar) has passed without a
//! value submitted or approved; the owner is the responsible person of the objective's unit, and
//! after a grace period the reminder goes up the line to the parent unit's responsible.

use std::collections::HashMap;
use traguardi_domain::ids::{KpiId, ObjectiveId, PersonId, UnitId};
use traguardi_domain::plan::value_status::ValueStatus;
use traguardi_domain::said;

use chrono::NaiveDate;
use serde::Serialize;
use traguardi_domain::calendar::Calendar;
use traguardi_domain::monitoring::{DEFAULT_DUE_DAYS, due_date, period_ends};
use traguardi_store::ente::{self, Ente};
use traguardi_store::{Store, org, people, plan};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::{Actor, AppError, cycle::cycles, org::enti};

/// Business days after the due date before a reminder also goes to the level above.
pub const GRACE_DAYS: u32 = 5;

/// The ente's calendar and due days (national holidays only and 15 days when not configured).
#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn calendar_of(store: &Store, ente: &Ente) -> Result<(Calendar, u32), AppError> {
    let mut conn = store.acquire().await?;
    Ok(match ente::calendar(&mut conn, &ente.id).await? {
        Some((patron, due)) => (Calendar { patron }, due),
        None => (Calendar { patron: None }, DEFAULT_DUE_DAYS),
    })
}

#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn set_calendar(store: &Store, actor: &Actor, ente: &Ente, patron: Option<(u32, u32)>, due_days: u32) -> Result<(), AppError> {
    actor.require(Right::Administer, said!("configurare il calendario"))?;
    if patron.is_some_and(|(m, d)| NaiveDate::from_ymd_opt(2024, m, d).is_none()) {
        return Err(AppError::Refused(said!("giorno del santo patrono non valido: usare MM-GG, es. 12-07")));
    }
    let mut tx = store.begin().await?;
    ente::set_calendar(&mut tx, &ente.id, patron, due_days).await?;
    let after = serde_json::json!({ "patrono": patron.map(|(m, d)| format!("{m:02}-{d:02}")), "giorni_scadenza": due_days });
    audit::record(
        &mut tx,
        actor,
        Some(&ente.id),
        Change::<(), _> { action: "configura calendario", entity: "ente", entity_id: Some(&ente.id.0), before: None, after: Some(&after) },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LateValue {
    pub kpi: String,
    pub kpi_name: String,
    pub period_end: NaiveDate,
    pub due: NaiveDate,
    pub unit: Option<String>,
    /// Who must enter the value: the responsible of the objective's unit.
    pub owner: Option<String>,
    /// Who is told as well once the grace period has passed: the responsible of the unit above.
    pub escalate_to: Option<String>,
    /// Their person ids.
    #[serde(skip)]
    pub owner_id: Option<PersonId>,
    #[serde(skip)]
    pub escalate_id: Option<PersonId>,
}

#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn late_values(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32, today: NaiveDate) -> Result<Vec<LateValue>, AppError> {
    actor.require(Right::ReadOrg, said!("leggere i ritardi"))?;
    let ente = {
        let mut conn = store.acquire().await?;
        enti::resolve(&mut conn, ente_code).await?
    };
    let (calendar, due_days) = calendar_of(store, &ente).await?;
    let mut conn = store.acquire().await?;
    let cycle = cycles::get(&mut conn, &ente, year).await?;
    let units = org::of_cycle(&mut conn, &ente.id, &cycle.id).await?;
    let names: HashMap<PersonId, String> = people::persons(&mut conn, &ente.id).await?.into_iter().map(|p| (p.id.clone(), p.display_name())).collect();
    let objectives: HashMap<ObjectiveId, Option<UnitId>> =
        plan::objectives(&mut conn, &ente.id, &cycle.id).await?.into_iter().map(|o| (o.id, o.unit_id)).collect();
    let entered: std::collections::HashSet<(KpiId, NaiveDate)> = plan::measurements(&mut conn, &ente.id, &cycle.id)
        .await?
        .into_iter()
        .filter(|m| matches!(m.status, ValueStatus::Submitted | ValueStatus::Approved))
        .map(|m| (m.kpi_id, m.period_end))
        .collect();
    let unit_by_id: HashMap<&str, &traguardi_store::org::OrgUnit> = units.iter().map(|u| (u.id.as_str(), u)).collect();
    let responsible = |u: &traguardi_store::org::OrgUnit| u.responsible_id.as_ref().and_then(|p| names.get(p).cloned());
    let mut out = Vec::new();
    for k in plan::kpis(&mut conn, &ente.id, &cycle.id).await?.into_iter().filter(|k| k.formula.is_none()) {
        let unit = k.owner_unit_id.clone().or_else(|| objectives.get(&k.objective_id).cloned().flatten());
        let unit = unit.as_deref().and_then(|u| unit_by_id.get(u).copied());
        for period_end in period_ends(&k.periodicity, year) {
            let due = due_date(&calendar, period_end, due_days);
            if due >= today || entered.contains(&(k.id.clone(), period_end)) {
                continue;
            }
            let escalate = calendar.add_business_days(due, GRACE_DAYS) < today;
            let above = unit.filter(|_| escalate).and_then(|u| u.parent_id.as_deref()).and_then(|p| unit_by_id.get(p));
            out.push(LateValue {
                owner_id: unit.and_then(|u| u.responsible_id.clone()),
                escalate_id: above.and_then(|p| p.responsible_id.clone()),
                kpi: k.code.clone(),
                kpi_name: k.name.clone(),
                period_end,
                due,
                unit: unit.map(|u| u.code.clone()),
                owner: unit.and_then(responsible),
                escalate_to: unit.filter(|_| escalate).and_then(|u| u.parent_id.as_deref()).and_then(|p| unit_by_id.get(p)).and_then(|p| responsible(p)),
            });
        }
    }
    out.sort_by(|a, b| (a.due, &a.unit, &a.kpi).cmp(&(b.due, &b.unit, &b.kpi)));
    Ok(out)
}

/// One person to remind, with what they are late on (their own values, or their units' after
/// the grace period).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Reminder {
    pub to: String,
    #[serde(skip)]
    pub person_id: PersonId,
    /// `responsabile` for their own unit's values, `superiore` when escalated from below.
    pub reason: &'static str,
    pub units: Vec<String>,
    pub values: usize,
    pub oldest_due: NaiveDate,
}

/// Who would be reminded today: each owner once for their late values, each superior once for
/// the values escalated to them. Values of a unit without a responsible are listed apart.
pub fn reminders(late: &[LateValue]) -> (Vec<Reminder>, Vec<String>) {
    let mut out: Vec<Reminder> = Vec::new();
    let mut orphan_units: Vec<String> = Vec::new();
    let mut add = |to: &str, person_id: &PersonId, reason: &'static str, l: &LateValue| {
        let unit = l.unit.clone().unwrap_or_default();
        match out.iter_mut().find(|r| r.person_id == *person_id && r.reason == reason) {
            Some(r) => {
                r.values += 1;
                r.oldest_due = r.oldest_due.min(l.due);
                if !r.units.contains(&unit) {
                    r.units.push(unit);
                }
            }
            None => out.push(Reminder { to: to.into(), person_id: person_id.clone(), reason, units: vec![unit], values: 1, oldest_due: l.due }),
        }
    };
    for l in late {
        match (&l.owner, &l.owner_id) {
            (Some(o), Some(id)) => add(o, id, "responsabile", l),
            _ => {
                let u = l.unit.clone().unwrap_or_else(|| "(ente)".into());
                if !orphan_units.contains(&u) {
                    orphan_units.push(u);
                }
            }
        }
        if let (Some(s), Some(id)) = (&l.escalate_to, &l.escalate_id) {
            add(s, id, "superiore", l);
        }
    }
    (out, orphan_units)
}

/// What sending the reminders did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Sent {
    /// In-app notifications written (one per person and kind today).
    pub notified: usize,
    /// Of those, e-mailed.
    pub emailed: usize,
    /// Already reminded today: nothing new.
    pub already: usize,
    /// People without an e-mail address (reminded in-app only) while SMTP is configured.
    pub without_email: Vec<String>,
    /// E-mails that could not be sent, with why (the in-app notification stays).
    pub failed: Vec<String>,
    /// Units with late values and nobody responsible.
    pub orphans: Vec<String>,
}

/// Sends today's reminders: an in-app notification to each owner and, after the grace period,
/// to the level above; by e-mail too when SMTP is configured and the person has an address.
/// Once a day: a second run on the same day sends nothing new.
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn send_reminders(
    store: &Store,
    actor: &Actor,
    ente_code: Option<&str>,
    year: i32,
    today: NaiveDate,
    smtp: Option<&crate::accounts::mail::SmtpConfig>,
) -> Result<Sent, AppError> {
    actor.require(Right::Administer, said!("inviare i solleciti"))?;
    let late = late_values(store, actor, ente_code, year, today).await?;
    let (who, orphans) = reminders(&late);
    let mut sent = Sent { orphans, ..Sent::default() };
    let mut tx = store.begin().await?;
    let ente = enti::resolve(&mut tx, ente_code).await?;
    let cycle = cycles::get(&mut tx, &ente, year).await?;
    let emails: HashMap<PersonId, Option<String>> = people::persons(&mut tx, &ente.id).await?.into_iter().map(|p| (p.id, p.email)).collect();
    let day = today.format("%Y-%m-%d").to_string();
    for r in &who {
        let kind = if r.reason == "superiore" { "sollecito_superiore" } else { "sollecito" };
        if traguardi_store::notifications::exists(&mut tx, &ente.id, &cycle.id, &r.person_id, kind, &day).await? {
            sent.already += 1;
            continue;
        }
        let due = traguardi_domain::cycle::format_date_it(r.oldest_due);
        let text = if r.reason == "superiore" {
            format!("{} valori del {year} in ritardo nelle strutture {} che dipendono da lei (scadenza dal {due}).", r.values, r.units.join(", "))
        } else {
            format!("{} valori del {year} da inserire per {} (scadenza dal {due}).", r.values, r.units.join(", "))
        };
        let mut emailed_to = None;
        if let Some(cfg) = smtp {
            match emails.get(&r.person_id).cloned().flatten() {
                None => sent.without_email.push(r.to.clone()),
                Some(to) => {
                    let (cfg2, to2, body) = (cfg.clone(), to.clone(), format!("{}\n\n{text}\n\nTraguardi", r.to));
                    let result = tokio::task::spawn_blocking(move || {
                        crate::accounts::mail::send(&cfg2, &crate::accounts::mail::Message { to: &to2, subject: "Traguardi: valori da inserire", body: &body })
                    })
                    .await
                    .map_err(|e| AppError::Refused(said!("invio dell'e-mail interrotto: {error}", error = e)))?;
                    match result {
                        Ok(()) => {
                            sent.emailed += 1;
                            emailed_to = Some(to);
                        }
                        Err(e) => sent.failed.push(format!("{} <{to}>: {e}", r.to)),
                    }
                }
            }
        }
        let n = traguardi_store::notifications::Notification {
            id: traguardi_store::new_id(),
            cycle_id: cycle.id.clone(),
            person_id: r.person_id.clone(),
            kind: kind.into(),
            day: day.clone(),
            text,
            emailed_to,
            created_at: crate::now(),
        };
        traguardi_store::notifications::insert(&mut tx, &ente.id, &n).await?;
        audit::record_in_cycle(
            &mut tx,
            actor,
            &ente.id,
            &cycle.id,
            Change { action: "sollecito", entity: "notifica", entity_id: Some(&n.id), before: None::<&()>, after: Some(&n) },
        )
        .await?;
        sent.notified += 1;
    }
    tx.commit().await?;
    Ok(sent)
}

/// Tells the responsible of `unit` that `what` came back to them (a value or an objective
/// returned by the NIV or the planner), with the note: an in-app notification, once a day per
/// item. Nothing when the unit has no responsible.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn notify_return(
    conn: &mut traguardi_store::Conn,
    actor: &Actor,
    ente: &Ente,
    cycle_id: &traguardi_domain::cycle::CycleId,
    unit: Option<&str>,
    code: &str,
    what: &str,
    note: Option<&str>,
) -> Result<(), AppError> {
    let Some(unit) = unit else { return Ok(()) };
    let Some(person_id) = traguardi_store::org::by_id(conn, &ente.id, unit).await?.and_then(|u| u.responsible_id) else { return Ok(()) };
    let (kind, day) = (format!("restituzione:{code}"), chrono::Local::now().date_naive().to_string());
    if traguardi_store::notifications::exists(conn, &ente.id, cycle_id, &person_id, &kind, &day).await? {
        return Ok(());
    }
    let why = note.map(str::trim).filter(|n| !n.is_empty()).map(|n| format!(": «{n}»")).unwrap_or_default();
    let n = traguardi_store::notifications::Notification {
        id: traguardi_store::new_id(),
        cycle_id: cycle_id.clone(),
        person_id,
        kind,
        day,
        text: format!("{} è stato restituito da {}{why}; correggerlo e inviarlo di nuovo.", capitalised(what), actor.name),
        emailed_to: None,
        created_at: crate::now(),
    };
    traguardi_store::notifications::insert(conn, &ente.id, &n).await?;
    audit::record_in_cycle(
        conn,
        actor,
        &ente.id,
        cycle_id,
        Change { action: "restituzione", entity: "notifica", entity_id: Some(&n.id), before: None::<&()>, after: Some(&n) },
    )
    .await
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
