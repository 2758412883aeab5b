//! Evaluating one's staff in the browser: the evaluator sees the people they evaluate, scores
//! each behaviour of the catalogue that applies to the person's category on the cycle's scale,
//! and records the three interviews and a note. The same checks serve `import valutazioni`.
//!
//! Who evaluates whom: the evaluator named on the evaluation; for a person without one, whoever
//! holds a unit-scoped role over the person's unit (they become the evaluator); planners and
//! administrators, anyone. Once the person has signed or contested, the evaluation changes only
//! through the conciliation (an import by the planner).

use std::collections::HashMap;
use traguardi_domain::ids::{PersonId, UnitId};
use traguardi_domain::said;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use traguardi_domain::ProblemKind;
use traguardi_domain::pay::rules::Behaviour;
use traguardi_domain::people::Category;
use traguardi_domain::{Problem, Problems};
use traguardi_store::pay::{self, EvaluationRow};
use traguardi_store::{Conn, Store, people};

use crate::accounts::access::{ActorKind, Right};
use crate::accounts::audit::{self, Change};
use crate::accounts::scope::UnitScope;
use crate::{Actor, AppError, cycle::cycles, org::enti};

/// Scores by behaviour code.
pub type Items = Vec<(String, Decimal)>;

/// Behaviour scores given one by one: each must belong to the catalogue, apply to the
/// category and lie between 1 and the scale. Returns the scores kept (sorted by code) and the
/// problems, each with its behaviour's code.
pub fn check_items(behaviours: &[Behaviour], scale: Decimal, category: Option<Category>, given: &[(String, Decimal)]) -> (Items, Vec<(String, ProblemKind)>) {
    let (mut kept, mut problems) = (Vec::new(), Vec::new());
    for (code, v) in given {
        let Some(b) = behaviours.iter().find(|b| &b.code == code) else {
            problems.push((code.clone(), ProblemKind::NotOneOf { value: code.clone(), allowed: behaviours.iter().map(|b| b.code.clone()).collect() }));
            continue;
        };
        if let Some(c) = category
            && !b.applies_to(c)
        {
            problems.push((
                code.clone(),
                ProblemKind::BadFormat {
                    value: v.to_string(),
                    expected: traguardi_domain::said!("vuoto: {code} non si applica alla categoria {category}", code, category = c.code()),
                },
            ));
            continue;
        }
        if *v < Decimal::ONE || *v > scale {
            problems.push((code.clone(), ProblemKind::OutOfRange { value: v.normalize().to_string(), min: "1".into(), max: scale.normalize().to_string() }));
            continue;
        }
        kept.push((code.clone(), *v));
    }
    kept.sort();
    (kept, problems)
}

/// The behaviours' score (0–100): the mean of the items as a share of the scale.
pub fn behaviours_score(items: &[(String, Decimal)], scale: Decimal) -> Option<Decimal> {
    if items.is_empty() || scale <= Decimal::ZERO {
        return None;
    }
    let mean = items.iter().map(|(_, v)| *v).sum::<Decimal>() / Decimal::from(items.len() as i64);
    Some((mean / scale * Decimal::ONE_HUNDRED).normalize())
}

/// The interviews come in their order: each problem names the later interview's column.
pub fn interviews_in_order(start: Option<NaiveDate>, mid: Option<NaiveDate>, end: Option<NaiveDate>) -> Vec<(&'static str, ProblemKind)> {
    let mut out = Vec::new();
    for ((a, _), (b, cb)) in [((start, "colloquio_iniziale"), (mid, "colloquio_intermedio")), ((mid, "colloquio_intermedio"), (end, "colloquio_finale"))] {
        if let (Some(a), Some(b)) = (a, b)
            && b < a
        {
            out.push((cb, ProblemKind::EndBeforeStart { start: a.format("%d/%m/%Y").to_string(), end: b.format("%d/%m/%Y").to_string() }));
        }
    }
    out
}

/// A person to evaluate, with their evaluation so far.
#[derive(Debug, Clone)]
pub struct Evaluee {
    pub person_id: PersonId,
    pub matricola: String,
    pub name: String,
    pub category: Category,
    pub unit: String,
    pub evaluation: Option<EvaluationRow>,
}

/// The evaluation form of one person: the behaviours that apply, with the scores given.
#[derive(Debug, Clone)]
pub struct Form {
    pub evaluee: Evaluee,
    /// (code, name, score given)
    pub behaviours: Vec<(String, String, Option<Decimal>)>,
    pub scale: Decimal,
    /// The results' weight in the individual score, % (the behaviours weigh the rest).
    pub results_weight: Decimal,
    /// Set once the person has answered: the form is read-only.
    pub locked: Option<String>,
}

/// What the evaluator sends.
#[derive(Debug, Clone, Default)]
pub struct Filled {
    pub items: Vec<(String, Decimal)>,
    pub interview_start: Option<NaiveDate>,
    pub interview_mid: Option<NaiveDate>,
    pub interview_final: Option<NaiveDate>,
    pub note: Option<String>,
}

/// The people of the cycle and who the actor is (their person), read once.
struct Context {
    ente: traguardi_store::ente::Ente,
    cycle: traguardi_store::cycle::Cycle,
    me: Option<PersonId>,
    /// The matricola of the actor's own person, when linked.
    my_matricola: Option<String>,
    evaluees: Vec<Evaluee>,
}

/// Why the forms are read: to evaluate (never oneself), or to read them (one's own too).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Evaluate,
    Read,
}

async fn context(conn: &mut Conn, actor: &Actor, ente_code: Option<&str>, year: i32, purpose: Purpose) -> Result<Context, AppError> {
    let ente = enti::resolve(conn, ente_code).await?;
    let cycle = cycles::get(conn, &ente, year).await?;
    let me = match &actor.kind {
        ActorKind::User { account_id, .. } => traguardi_store::accounts::person_of(conn, account_id, &ente.id).await?,
        _ => None,
    };
    let scope = UnitScope::of(conn, actor, &ente, &cycle.id, Right::Evaluate).await?;
    let units: HashMap<UnitId, String> = traguardi_store::org::of_cycle(conn, &ente.id, &cycle.id).await?.into_iter().map(|u| (u.id, u.code)).collect();
    let evaluations: HashMap<PersonId, EvaluationRow> =
        pay::evaluations(conn, &ente.id, &cycle.id).await?.into_iter().map(|e| (e.person_id.clone(), e)).collect();
    let persons: HashMap<PersonId, people::Person> = people::persons(conn, &ente.id).await?.into_iter().map(|p| (p.id.clone(), p)).collect();
    // Each person's main post: the longest assignment that is not an interim.
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    let mut main: HashMap<PersonId, (i64, people::Assignment)> = HashMap::new();
    for a in people::assignments_of_cycle(conn, &ente.id, &cycle.id).await?.into_iter().filter(|a| !a.interim) {
        let days = (a.ends.unwrap_or(year_end) - a.starts).num_days();
        if main.get(&a.person_id).is_none_or(|(d, _)| days > *d) {
            main.insert(a.person_id.clone(), (days, a));
        }
    }
    let administers = actor.may(Right::Administer);
    let mut evaluees: Vec<Evaluee> = main
        .into_values()
        .filter_map(|(_, a)| {
            let evaluation = evaluations.get(&a.person_id).cloned();
            let evaluator = evaluation.as_ref().and_then(|e| e.evaluator_id.clone());
            let mine = match (&evaluator, &me) {
                _ if Some(&a.person_id) == me.as_ref() => false,
                (Some(e), Some(m)) => e == m,
                (None, Some(_)) => scope.contains(Some(&a.unit_id)),
                _ => false,
            };
            // Nobody evaluates the person linked to their own account, whatever their role.
            let myself = Some(&a.person_id) == me.as_ref();
            ((administers || mine) && !myself || purpose == Purpose::Read && myself).then(|| {
                let p = persons.get(&a.person_id);
                Evaluee {
                    person_id: a.person_id.clone(),
                    matricola: p.map(|p| p.matricola.clone()).unwrap_or_default(),
                    name: p.map(|p| p.display_name()).unwrap_or_default(),
                    category: a.category,
                    unit: units.get(&a.unit_id).cloned().unwrap_or_default(),
                    evaluation,
                }
            })
        })
        .collect();
    evaluees.sort_by(|a, b| (&a.unit, &a.name).cmp(&(&b.unit, &b.name)));
    let my_matricola = me.as_ref().and_then(|id| persons.get(id)).map(|p| p.matricola.clone());
    Ok(Context { ente, cycle, me, my_matricola, evaluees })
}

fn refused_for(actor: &Actor) -> AppError {
    AppError::Forbidden { actor: actor.name.clone(), what: said!("valutare il personale (serve l'accesso)") }
}

/// The people the actor evaluates in `year`.
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn to_evaluate(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32) -> Result<Vec<Evaluee>, AppError> {
    if matches!(actor.kind, ActorKind::Public) {
        return Err(refused_for(actor));
    }
    let mut conn = store.acquire().await?;
    Ok(context(&mut conn, actor, ente_code, year, Purpose::Evaluate).await?.evaluees)
}

fn pick(ctx: Context, actor: &Actor, matricola: &str) -> Result<(Context, Evaluee), AppError> {
    let found = ctx.evaluees.iter().find(|e| e.matricola == matricola).cloned();
    match found {
        Some(e) => Ok((ctx, e)),
        // Who sees everyone is told the person is not there, not that they may not.
        None if actor.may(Right::Administer) && ctx.my_matricola.as_deref() != Some(matricola) => {
            Err(AppError::NotFound(said!("nessuna persona con matricola {matricola} in servizio nel {year}", matricola, year = ctx.cycle.year())))
        }
        None => Err(AppError::Forbidden {
            actor: actor.name.clone(),
            what: said!("valutare {matricola}: non è tra le persone che valuta nel {year}", matricola, year = ctx.cycle.year()),
        }),
    }
}

fn locked(e: &Option<EvaluationRow>) -> Option<String> {
    let e = e.as_ref()?;
    let day = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    match (e.signed_on, e.contested_on) {
        (_, Some(c)) => Some(format!("contestata il {}: cambia solo con la conciliazione", day(c))),
        (Some(s), None) => Some(format!("firmata dalla persona il {}: cambia solo con la conciliazione", day(s))),
        _ => None,
    }
}

/// The form of one person the actor evaluates.
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn form(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32, matricola: &str) -> Result<Form, AppError> {
    form_for(store, actor, ente_code, year, matricola, Purpose::Evaluate).await
}

/// The form of one person the actor evaluates, or of the actor themself: to read and print.
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn form_to_read(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32, matricola: &str) -> Result<Form, AppError> {
    form_for(store, actor, ente_code, year, matricola, Purpose::Read).await
}

async fn form_for(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32, matricola: &str, purpose: Purpose) -> Result<Form, AppError> {
    if matches!(actor.kind, ActorKind::Public) {
        return Err(refused_for(actor));
    }
    let mut conn = store.acquire().await?;
    let (ctx, evaluee) = pick(context(&mut conn, actor, ente_code, year, purpose).await?, actor, matricola)?;
    let rules = crate::pay::payouts::rules_of(&mut conn, &ctx.ente, &ctx.cycle).await?;
    let given: HashMap<&str, Decimal> = evaluee.evaluation.iter().flat_map(|e| e.items.iter().map(|(c, v)| (c.as_str(), *v))).collect();
    let behaviours = rules
        .behaviours
        .iter()
        .filter(|b| b.applies_to(evaluee.category))
        .map(|b| (b.code.clone(), b.name.clone(), given.get(b.code.as_str()).copied()))
        .collect();
    Ok(Form { locked: locked(&evaluee.evaluation), behaviours, scale: rules.scale, results_weight: rules.results_weight, evaluee })
}

/// Records the evaluator's scores, interviews and note; every problem is listed at once.
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn evaluate(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32, matricola: &str, filled: &Filled) -> Result<EvaluationRow, AppError> {
    if matches!(actor.kind, ActorKind::Public) {
        return Err(refused_for(actor));
    }
    let mut tx = store.begin().await?;
    let (ctx, evaluee) = pick(context(&mut tx, actor, ente_code, year, Purpose::Evaluate).await?, actor, matricola)?;
    crate::cycle::close::ensure_open(&mut tx, &ctx.ente, &ctx.cycle).await?;
    if let Some(why) = locked(&evaluee.evaluation) {
        return Err(AppError::Refused(said!("la valutazione di {matricola} è {why}", matricola, why)));
    }
    let rules = crate::pay::payouts::rules_of(&mut tx, &ctx.ente, &ctx.cycle).await?;
    let (items, item_problems) = check_items(&rules.behaviours, rules.scale, Some(evaluee.category), &filled.items);
    let mut problems = Problems::default();
    for (code, kind) in item_problems {
        problems.push(Problem::column(&format!("comportamento.{}", code.to_lowercase()), kind));
    }
    for (column, kind) in interviews_in_order(filled.interview_start, filled.interview_mid, filled.interview_final) {
        problems.push(Problem::column(column, kind));
    }
    problems.into_result()?;
    let before = evaluee.evaluation.clone();
    let mut after = before.clone().unwrap_or_else(|| EvaluationRow { person_id: evaluee.person_id.clone(), ..EvaluationRow::default() });
    if after.evaluator_id.is_none() {
        after.evaluator_id = ctx.me.clone();
    }
    // Items scored one by one give the behaviours' score; without them an overall score stays.
    after.behaviours = behaviours_score(&items, rules.scale).or(after.behaviours);
    after.items = items;
    after.interview_start = filled.interview_start;
    after.interview_mid = filled.interview_mid;
    after.interview_final = filled.interview_final;
    after.note = filled.note.clone().filter(|n| !n.trim().is_empty());
    if before.as_ref() == Some(&after) {
        return Ok(after);
    }
    pay::save_evaluation(&mut tx, &ctx.ente.id, &ctx.cycle.id, &after).await?;
    audit::record_in_cycle(
        &mut tx,
        actor,
        &ctx.ente.id,
        &ctx.cycle.id,
        Change { action: "valuta", entity: "valutazione", entity_id: Some(matricola), before: before.as_ref(), after: Some(&after) },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
