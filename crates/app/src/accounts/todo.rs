//! What a logged-in person must do now, for the home page: the values waiting for their
//! approval (planners, NIV), the objectives waiting for the NIV's validation, the values late
//! or returned in their units (a Direttore's Direzione; every unit for the planners), and their
//! latest notifications. For every cycle not yet closed, newest first.

use std::collections::HashSet;
use traguardi_domain::plan::value_status::ValueStatus;
use traguardi_domain::plan::workflow::State;

use chrono::NaiveDate;
use traguardi_store::cycle::Cycle;
use traguardi_store::ente::Ente;
use traguardi_store::{Store, accounts, notifications, org, plan};

use crate::accounts::access::{AccountRole, ActorKind, Right};
use crate::accounts::scope::{UnitScope, unit_of_kpi};
use crate::plan::monitoring::{LateValue, late_values};
use crate::{Actor, AppError, org::enti, plan::measurements};

/// How many late values the home page lists (the count says the rest).
pub const LISTED: usize = 10;

#[derive(Debug, Clone, Default)]
pub struct Todo {
    pub ente_code: String,
    pub ente_name: String,
    pub year: i32,
    /// Values submitted and waiting for a decision, for who approves them.
    pub waiting: Option<usize>,
    /// Objectives consuntivati waiting for the NIV's validation, for the NIV.
    pub to_validate: Option<usize>,
    /// Late values in the actor's units (all of them for the planners), the first `LISTED`.
    pub late: Vec<LateValue>,
    pub late_total: usize,
    /// Values returned to the actor's units: (KPI, period end).
    pub returned: Vec<(String, NaiveDate)>,
    /// The latest notifications of the person the account is: (day, text).
    pub notifications: Vec<(String, String)>,
}

impl Todo {
    pub fn is_empty(&self) -> bool {
        self.waiting.unwrap_or(0) == 0
            && self.to_validate.unwrap_or(0) == 0
            && self.late_total == 0
            && self.returned.is_empty()
            && self.notifications.is_empty()
    }
}

/// The to-do of a logged-in account in each cycle, not yet closed, where it has something to do.
pub async fn of(store: &Store, actor: &Actor, today: NaiveDate) -> Result<Vec<Todo>, AppError> {
    if !matches!(actor.kind, ActorKind::User { .. }) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for ente in enti::list(store).await? {
        // What one must do in an ente follows the roles given there.
        let actor = &actor.within(&ente.id);
        let cycles = {
            let mut conn = store.acquire().await?;
            traguardi_store::cycle::list(&mut conn, &ente.id).await?
        };
        for cycle in cycles {
            // A closed year has nothing left to do.
            if crate::cycle::close::is_closed(store, &ente, cycle.year()).await? {
                continue;
            }
            let todo = of_cycle(store, actor, &ente, &cycle, today).await?;
            if !todo.is_empty() {
                out.push(todo);
            }
        }
    }
    Ok(out)
}

async fn of_cycle(store: &Store, actor: &Actor, ente: &Ente, cycle: &Cycle, today: NaiveDate) -> Result<Todo, AppError> {
    let ActorKind::User { account_id, roles, .. } = &actor.kind else { return Ok(Todo::default()) };
    let year = cycle.year();
    let mut todo = Todo { ente_code: ente.code.to_string(), ente_name: ente.name.clone(), year, ..Todo::default() };
    // A Direttore approves his Direzione's values entered by others.
    if measurements::approves_as_direttore(actor) {
        todo.waiting = Some(measurements::waiting(store, actor, ente, year).await?.len());
    }
    let mut conn = store.acquire().await?;
    // The latest version of every value of the cycle: those submitted wait for a decision.
    let latest = measurements::latest_versions(plan::measurements(&mut conn, &ente.id, &cycle.id).await?);
    if actor.may(Right::ApproveValues) {
        todo.waiting = Some(latest.values().filter(|m| m.status == ValueStatus::Submitted).count());
    }
    let objectives = plan::objectives(&mut conn, &ente.id, &cycle.id).await?;
    if roles.contains(&AccountRole::Niv) {
        todo.to_validate = Some(objectives.iter().filter(|o| o.state == State::Consuntivato).count());
    }
    let scope = UnitScope::of(&mut conn, actor, ente, &cycle.id, Right::EnterValues).await?;
    let everywhere = actor.may(Right::Administer);
    if everywhere || !scope.units.is_empty() {
        let units = org::of_cycle(&mut conn, &ente.id, &cycle.id).await?;
        let mine: HashSet<&str> = units.iter().filter(|u| everywhere || scope.units.contains(&u.id)).map(|u| u.code.as_str()).collect();
        let late: Vec<LateValue> = late_values(store, actor, Some(&todo.ente_code), year, today)
            .await?
            .into_iter()
            .filter(|l| l.unit.as_deref().is_some_and(|u| mine.contains(u)))
            .collect();
        todo.late_total = late.len();
        todo.late = late.into_iter().take(LISTED).collect();
        // The values returned, in the actor's units.
        let kpis = plan::kpis(&mut conn, &ente.id, &cycle.id).await?;
        // Few values are returned at once: those are looked up, not every value.
        for ((kpi_id, period), _) in latest.iter().filter(|(_, m)| m.status == ValueStatus::Returned) {
            let Some(k) = kpis.iter().find(|k| &k.id == kpi_id) else { continue };
            if everywhere || scope.contains(unit_of_kpi(k, &objectives)) {
                todo.returned.push((k.code.clone(), *period));
            }
        }
    }
    if let Some(person) = accounts::person_of(&mut conn, account_id, &ente.id).await? {
        let of_this_cycle = notifications::of_person(&mut conn, &ente.id, &person).await?.into_iter().filter(|n| n.cycle_id == cycle.id);
        todo.notifications = of_this_cycle.take(5).map(|n| (n.day, n.text)).collect();
    }
    Ok(todo)
}
