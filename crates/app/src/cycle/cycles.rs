//! Cycles: created by the first import that names them, or opened from the previous year.

use std::collections::HashMap;
use traguardi_domain::ids::UnitId;
use traguardi_domain::said;

use chrono::NaiveDate;
use serde::Serialize;
use traguardi_domain::Problem;
use traguardi_domain::cycle::{CycleCalendar, check_year};
use traguardi_domain::org::parents_first;
use traguardi_domain::people::split_at_area_reform;
use traguardi_store::cycle::{self, Cycle};
use traguardi_store::ente::Ente;
use traguardi_store::org::OrgUnit;
use traguardi_store::people::Assignment;
use traguardi_store::{Conn, Store, new_id, org, people};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::{Actor, AppError};

/// The cycle of `year`, created with the default calendar when it does not exist yet.
/// Returns whether it was created.
pub async fn ensure(conn: &mut Conn, actor: &Actor, ente: &Ente, year: i32) -> Result<(Cycle, bool), AppError> {
    let year = check_year(year).map_err(|k| AppError::Invalid(Problem { row: None, column: Some("--cycle".into()), kind: k }.into()))?;
    if let Some(c) = cycle::by_year(conn, &ente.id, year).await? {
        return Ok((c, false));
    }
    let c = cycle::insert(conn, &ente.id, &CycleCalendar::default_for(year)).await?;
    audit::record_in_cycle(
        conn,
        actor,
        &ente.id,
        &c.id,
        Change::<(), _> { action: "crea", entity: "ciclo", entity_id: Some(c.id.as_str()), before: None, after: Some(&c) },
    )
    .await?;
    Ok((c, true))
}

pub async fn get(conn: &mut Conn, ente: &Ente, year: i32) -> Result<Cycle, AppError> {
    cycle::by_year(conn, &ente.id, year).await?.ok_or(AppError::NoSuchCycle { year })
}

/// What `cycle open` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Opened {
    pub year: i32,
    pub from_year: i32,
    pub units: usize,
    pub assignments: usize,
}

/// Opens `year` by copying the org tree and the assignments still running at the end of the
/// previous year, ready to be changed. Units keep their lineage, so their history continues.
/// Assignments with a category that ceased on 31/03/2023 continue in its successor area.
#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn open(store: &Store, actor: &Actor, ente: &Ente, year: i32) -> Result<Opened, AppError> {
    actor.require(Right::Administer, said!("aprire un ciclo"))?;
    let mut tx = store.begin().await?;
    let prev = cycle::by_year(&mut tx, &ente.id, year - 1)
        .await?
        .ok_or_else(|| AppError::Refused(said!("il ciclo {previous} non esiste: non c'è una struttura da copiare in {year}", previous = year - 1, year)))?;
    let (new, _) = ensure(&mut tx, actor, ente, year).await?;
    if !org::of_cycle(&mut tx, &ente.id, &new.id).await?.is_empty() {
        return Err(AppError::Refused(said!("il ciclo {year} ha già una struttura organizzativa: modificarla con import org", year)));
    }
    let units = org::of_cycle(&mut tx, &ente.id, &prev.id).await?;
    if units.is_empty() {
        return Err(AppError::Refused(said!("il ciclo {year} non ha strutture da copiare", year = year - 1)));
    }
    let cal = &new.calendar;
    let mut new_ids: HashMap<UnitId, UnitId> = HashMap::new();
    for u in &units {
        new_ids.insert(u.id.clone(), new_id());
    }
    for u in parents_first(&units, |u| u.id.as_str(), |u| u.parent_id.as_deref()) {
        let copy = OrgUnit {
            id: new_ids[&u.id].clone(),
            cycle_id: new.id.clone(),
            parent_id: u.parent_id.as_ref().map(|p| new_ids[p].clone()),
            valid_from: cal.starts,
            valid_to: cal.ends,
            ..u.clone()
        };
        org::save(&mut tx, &ente.id, &copy).await?;
        audit::record_in_cycle(
            &mut tx,
            actor,
            &ente.id,
            &new.id,
            Change::<(), _> { action: "apri ciclo", entity: "struttura", entity_id: Some(&copy.id), before: None, after: Some(&copy) },
        )
        .await?;
    }
    let mut copied = 0;
    for a in people::assignments_of_cycle(&mut tx, &ente.id, &prev.id).await? {
        if a.ends.is_some_and(|e| e < prev.calendar.ends) {
            continue;
        }
        for (starts, ends, category) in split_at_area_reform(a.starts, a.ends, a.category) {
            if !overlaps(starts, ends, cal.starts, cal.ends) {
                continue;
            }
            let copy = Assignment { id: new_id(), cycle_id: new.id.clone(), unit_id: new_ids[&a.unit_id].clone(), starts, ends, category, ..a.clone() };
            people::insert_assignment(&mut tx, &ente.id, &copy).await?;
            audit::record_in_cycle(
                &mut tx,
                actor,
                &ente.id,
                &new.id,
                Change::<(), _> { action: "apri ciclo", entity: "incarico", entity_id: Some(&copy.id), before: None, after: Some(&copy) },
            )
            .await?;
            copied += 1;
        }
    }
    tx.commit().await?;
    Ok(Opened { year, from_year: year - 1, units: units.len(), assignments: copied })
}

/// Whether `[s, e]` (open end = `None`) meets `[from, to]`.
pub fn overlaps(s: NaiveDate, e: Option<NaiveDate>, from: NaiveDate, to: NaiveDate) -> bool {
    s <= to && e.is_none_or(|e| e >= from)
}

/// Removes a unit from one cycle (closed, merged or moved away that year); its earlier cycles
/// keep it. Refused while anything of the cycle still refers to it, saying what.
#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn remove_unit(store: &Store, actor: &Actor, ente: &Ente, year: i32, code: &str) -> Result<OrgUnit, AppError> {
    actor.require(Right::Administer, said!("togliere una struttura"))?;
    let mut tx = store.begin().await?;
    let cycle = get(&mut tx, ente, year).await?;
    crate::cycle::close::ensure_open(&mut tx, ente, &cycle).await?;
    let unit = org::by_code(&mut tx, &ente.id, &cycle.id, code)
        .await?
        .ok_or_else(|| AppError::NotFound(said!("struttura {code} inesistente nel {year}", code, year)))?;
    let refs = org::references(&mut tx, &ente.id, &unit.id).await?;
    let names = ["strutture dipendenti", "incarichi", "obiettivi", "KPI di cui è titolare", "contributi a obiettivi"];
    let held: Vec<String> = refs.iter().zip(names).filter(|(n, _)| **n > 0).map(|(n, what)| format!("{n} {what}")).collect();
    if !held.is_empty() {
        return Err(AppError::Refused(said!(
            "la struttura {code} ha ancora nel {year}: {join}; spostarli o chiuderli prima di toglierla",
            code,
            year,
            join = held.join(", ")
        )));
    }
    org::delete(&mut tx, &ente.id, &unit.id).await?;
    audit::record_in_cycle(
        &mut tx,
        actor,
        &ente.id,
        &cycle.id,
        Change::<_, ()> { action: "togli struttura", entity: "struttura", entity_id: Some(&unit.id), before: Some(&unit), after: None },
    )
    .await?;
    tx.commit().await?;
    Ok(unit)
}

/// The calendars of the ente's cycles, newest first.
#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn calendars(store: &Store, ente: &Ente) -> Result<Vec<traguardi_domain::cycle::CycleCalendar>, AppError> {
    let mut conn = store.acquire().await?;
    Ok(cycle::list(&mut conn, &ente.id).await?.into_iter().map(|c| c.calendar).collect())
}

/// The years of the ente's cycles, oldest first.
#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn years(store: &Store, ente: &Ente) -> Result<Vec<i32>, AppError> {
    let mut years: Vec<i32> = calendars(store, ente).await?.iter().map(|c| c.year).collect();
    years.sort_unstable();
    Ok(years)
}
