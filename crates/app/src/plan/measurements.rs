//! Measurements one at a time, as owners enter them: a value for a KPI and period is entered as
//! a draft or submitted, then approved or returned; several updates per period are versions, and
//! the latest approved one counts. Evidence files are attached to a version.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use traguardi_domain::ids::{KpiId, MeasurementId};
use traguardi_domain::plan::kpi::Value;
use traguardi_domain::plan::value_status::ValueStatus;
use traguardi_domain::said;
use traguardi_domain::said::Said;
use traguardi_domain::value::NumberStyle;
use traguardi_domain::{Problem, ProblemKind};
use traguardi_store::ente::Ente;
use traguardi_store::plan::{self, Kpi, Measurement};
use traguardi_store::{Store, Tx, new_id};

use crate::accounts::access::{Reach, Right};
use crate::accounts::audit::{self, Change};
use crate::accounts::scope::{KpiHomes, UnitScope, unit_of_kpi};
use crate::plan::import_measurements::CAUSES;
use crate::{Actor, AppError, cycle::cycles};

/// Largest evidence file accepted.
pub const MAX_EVIDENCE_BYTES: usize = 20 * 1024 * 1024;
/// Evidence types accepted, by extension, with their content type.
pub const EVIDENCE_TYPES: [(&str, &str); 9] = [
    ("pdf", "application/pdf"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("csv", "text/csv"),
    ("txt", "text/plain"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("odt", "application/vnd.oasis.opendocument.text"),
];

/// A value as its owner enters it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kpi: String,
    pub period_end: NaiveDate,
    /// As typed; read in the Italian style when it has a decimal comma.
    pub value: String,
    pub note: String,
    pub cause: Option<String>,
    pub not_assessable: bool,
    /// Submit for approval now, rather than keep as a draft.
    pub submit: bool,
    /// The version the user saw and edits (0: there was none). When given, a value changed by
    /// someone else in the meantime is a conflict, never a silent overwrite.
    pub based_on: Option<i64>,
}

fn invalid(column: &str, kind: ProblemKind) -> AppError {
    AppError::Invalid(Problem { row: None, column: Some(column.into()), kind }.into())
}

async fn kpi_of(tx: &mut Tx, ente: &Ente, year: i32, code: &str) -> Result<(Kpi, traguardi_store::cycle::Cycle), AppError> {
    let cycle = cycles::get(tx, ente, year).await?;
    // Every use case here writes: values of a closed cycle are frozen.
    crate::cycle::close::ensure_open(tx, ente, &cycle).await?;
    let kpi = plan::kpis(tx, &ente.id, &cycle.id)
        .await?
        .into_iter()
        .find(|k| k.code == code)
        .ok_or_else(|| AppError::NotFound(said!("KPI {code} inesistente nel ciclo {year}", code, year)))?;
    Ok((kpi, cycle))
}

/// Values are entered and submitted by the planners, or by whoever holds a unit-scoped role
/// (direttore, dirigente, PO/EQ) on the unit that measures the KPI or a unit above it.
async fn require_owner(tx: &mut Tx, actor: &Actor, ente: &Ente, cycle_id: &traguardi_domain::cycle::CycleId, kpi: &Kpi, what: Said) -> Result<(), AppError> {
    require_on_unit(tx, actor, ente, cycle_id, kpi, what, Right::EnterValues).await
}

/// The KPI's unit is within the units where the actor holds one of `roles` (or the actor
/// administers the ente).
async fn require_on_unit(
    tx: &mut Tx,
    actor: &Actor,
    ente: &Ente,
    cycle_id: &traguardi_domain::cycle::CycleId,
    kpi: &Kpi,
    what: Said,
    right: Right,
) -> Result<(), AppError> {
    if actor.may(Right::Administer) {
        return Ok(());
    }
    let scope = UnitScope::of(tx, actor, ente, cycle_id, right).await?;
    let objectives = plan::objectives(tx, &ente.id, cycle_id).await?;
    if scope.contains(unit_of_kpi(kpi, &objectives)) {
        return Ok(());
    }
    Err(AppError::Forbidden {
        actor: actor.name.clone(),
        what: said!("{what} del KPI {kpi} ({scope})", what => what, kpi = kpi.code, scope => scope.describe()),
    })
}

/// The latest version of each KPI's value for each period, from every version of a cycle
/// (`plan::measurements` lists them by KPI, period and version).
pub fn latest_versions(all: Vec<Measurement>) -> std::collections::BTreeMap<(KpiId, NaiveDate), Measurement> {
    all.into_iter().map(|m| ((m.kpi_id.clone(), m.period_end), m)).collect()
}

/// The latest version of a KPI's value for a period (the KPI locked until the transaction ends).
async fn latest(tx: &mut Tx, ente: &Ente, kpi_id: &str, period_end: NaiveDate) -> Result<Option<Measurement>, AppError> {
    Ok(plan::latest_measurement_locked(tx, &ente.id, kpi_id, period_end).await?)
}

/// Enters a value as a new version (draft or submitted).
#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn enter(store: &Store, actor: &Actor, ente: &Ente, year: i32, e: &Entry) -> Result<crate::views::Value, AppError> {
    let mut tx = store.begin().await?;
    let (kpi, cycle) = kpi_of(&mut tx, ente, year, &e.kpi).await?;
    require_owner(&mut tx, actor, ente, &cycle.id, &kpi, said!("inserire valori")).await?;
    if kpi.formula.is_some() {
        return Err(invalid(
            "kpi",
            ProblemKind::BadFormat { value: kpi.code, expected: traguardi_domain::said!("un KPI misurato: questo è calcolato dalla sua formula") },
        ));
    }
    if !cycle.calendar.contains(e.period_end) {
        return Err(invalid("data", ProblemKind::OutsideCycle { year }));
    }
    if e.not_assessable && e.note.trim().is_empty() {
        return Err(invalid("nota", ProblemKind::BadFormat { value: String::new(), expected: traguardi_domain::said!("la motivazione di «non valutabile»") }));
    }
    if let Some(c) = &e.cause
        && !CAUSES.contains(&c.as_str())
    {
        return Err(invalid("causa", ProblemKind::NotOneOf { value: c.clone(), allowed: CAUSES.map(String::from).to_vec() }));
    }
    let value = if e.not_assessable {
        None
    } else {
        let style = NumberStyle::typed(&e.value).map_err(|k| invalid("valore", k))?;
        Some(Value::parse(kpi.measure, &e.value, style).map_err(|k| invalid("valore", k))?.ok_or_else(|| invalid("valore", ProblemKind::Required))?.to_text())
    };
    let prev = latest(&mut tx, ente, &kpi.id, e.period_end).await?;
    let current = prev.as_ref().map_or(0, |p| p.version);
    if let Some(seen) = e.based_on
        && seen != current
    {
        let day = traguardi_domain::cycle::format_date_it(e.period_end);
        return Err(AppError::Conflict(match &prev {
            Some(p) => said!(
                "il valore di {kpi} al {day} è stato modificato da {who} il {date} alle {time} (versione {current}) dopo la versione {seen} che stai modificando: ricarica e riprova",
                kpi = kpi.code,
                day,
                who = p.entered_by,
                date = p.entered_at.get(..10).unwrap_or_default(),
                time = p.entered_at.get(11..16).unwrap_or_default(),
                current,
                seen
            ),
            None => said!(
                "il valore di {kpi} al {day} non ha ancora versioni: la versione {seen} indicata non esiste; ricarica e riprova",
                kpi = kpi.code,
                day,
                seen
            ),
        }));
    }
    let m = Measurement {
        id: new_id(),
        kpi_id: kpi.id.clone(),
        period_end: e.period_end,
        version: prev.as_ref().map_or(1, |p| p.version + 1),
        value,
        note: e.note.trim().into(),
        cause: e.cause.clone(),
        not_assessable: e.not_assessable,
        status: if e.submit { ValueStatus::Submitted } else { ValueStatus::Draft },
        entered_by: actor.name.clone(),
        entered_at: crate::now(),
        decided_by: None,
        decided_at: None,
    };
    plan::insert_measurement(&mut tx, &ente.id, &m).await?;
    audit::record_in_cycle(
        &mut tx,
        actor,
        &ente.id,
        &cycle.id,
        Change { action: "inserisci valore", entity: "misurazione", entity_id: Some(&m.id), before: prev.as_ref(), after: Some(&m) },
    )
    .await?;
    tx.commit().await?;
    Ok(crate::views::Value::of(&m, &kpi.code))
}

/// Which value: a KPI of a cycle at a period end.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    pub year: i32,
    pub kpi: &'a str,
    pub period_end: NaiveDate,
}

/// What can happen to the latest version of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Submit,
    Approve,
    Return,
}

/// Moves the latest version of a KPI's value for a period along `draft → submitted →
/// approved | returned`. Any other move is refused, saying what can be done next.
/// Whether the actor approves values as a Direttore: within his Direzione, never his own.
pub fn approves_as_direttore(actor: &Actor) -> bool {
    !actor.may(Right::ApproveValues) && actor.reach(Right::ApproveValues) == Reach::OwnUnits
}

/// Values are approved or returned by the planners and the NIV anywhere, and by a Direttore
/// within his Direzione for the values entered by others (who enters does not approve).
async fn require_decider(
    tx: &mut Tx,
    actor: &Actor,
    ente: &Ente,
    cycle_id: &traguardi_domain::cycle::CycleId,
    kpi: &Kpi,
    entered_by: &str,
) -> Result<(), AppError> {
    if actor.may(Right::ApproveValues) {
        return Ok(());
    }
    if !approves_as_direttore(actor) {
        return Err(AppError::Forbidden { actor: actor.name.clone(), what: said!("approvare o restituire valori") });
    }
    if entered_by == actor.name {
        return Err(AppError::Refused(said!(
            "il valore di {code} è stato inserito da {entered_by}: lo approva il NIV o il controllo di gestione, non chi lo ha inserito",
            code = kpi.code,
            entered_by
        )));
    }
    require_on_unit(tx, actor, ente, cycle_id, kpi, said!("approvare o restituire valori"), Right::ApproveValues).await
}

#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn decide(store: &Store, actor: &Actor, ente: &Ente, at: At<'_>, decision: Decision, note: Option<&str>) -> Result<crate::views::Value, AppError> {
    if decision != Decision::Submit && !actor.may(Right::ApproveValues) && !approves_as_direttore(actor) {
        return Err(AppError::Forbidden { actor: actor.name.clone(), what: said!("approvare o restituire valori") });
    }
    // A value goes back with what to correct.
    if decision == Decision::Return && note.is_none_or(|n| n.trim().is_empty()) {
        return Err(invalid("nota", ProblemKind::Required));
    }
    let At { year, kpi, period_end } = at;
    let mut tx = store.begin().await?;
    let (k, cycle) = kpi_of(&mut tx, ente, year, kpi).await?;
    if decision == Decision::Submit {
        require_owner(&mut tx, actor, ente, &cycle.id, &k, said!("inviare valori per l'approvazione")).await?;
    }
    let before =
        latest(&mut tx, ente, &k.id, period_end).await?.ok_or_else(|| AppError::NotFound(said!("nessun valore di {kpi} al {period_end}", kpi, period_end)))?;
    if decision != Decision::Submit {
        require_decider(&mut tx, actor, ente, &cycle.id, &k, &before.entered_by).await?;
    }
    let to = match (before.status, decision) {
        (ValueStatus::Draft | ValueStatus::Returned, Decision::Submit) => ValueStatus::Submitted,
        (ValueStatus::Submitted, Decision::Approve) => ValueStatus::Approved,
        (ValueStatus::Submitted, Decision::Return) => ValueStatus::Returned,
        (from, _) => {
            let at = traguardi_domain::cycle::format_date_it(period_end);
            return Err(AppError::Refused(
                said!("il valore di {kpi} al {at} è «{from}»: si può solo {next}", kpi, at, from => from.said(), next => from.next()),
            ));
        }
    };
    let mut after = before.clone();
    after.status = to;
    if decision != Decision::Submit {
        after.decided_by = Some(actor.name.clone());
        after.decided_at = Some(crate::now());
    }
    if let Some(n) = note.filter(|n| !n.trim().is_empty()) {
        after.note = if after.note.is_empty() { n.trim().into() } else { format!("{}\n{}", after.note, n.trim()) };
    }
    plan::update_measurement_status(&mut tx, &ente.id, &after).await?;
    if decision == Decision::Return {
        // Back to its owner: the responsible of the unit that measures the KPI.
        let objectives = plan::objectives(&mut tx, &ente.id, &cycle.id).await?;
        let what = format!("il valore di {kpi} al {}", traguardi_domain::cycle::format_date_it(period_end));
        crate::plan::monitoring::notify_return(&mut tx, actor, ente, &cycle.id, unit_of_kpi(&k, &objectives), &k.code, &what, note).await?;
    }
    audit::record_in_cycle(
        &mut tx,
        actor,
        &ente.id,
        &cycle.id,
        Change { action: "decidi valore", entity: "misurazione", entity_id: Some(&after.id), before: Some(&before), after: Some(&after) },
    )
    .await?;
    tx.commit().await?;
    Ok(crate::views::Value::of(&after, &k.code))
}

/// Attaches a file to the latest version of a value: its type by extension, at most 20 MB.
#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn attach_evidence(store: &Store, actor: &Actor, ente: &Ente, at: At<'_>, filename: &str, bytes: &[u8]) -> Result<String, AppError> {
    let At { year, kpi, period_end } = at;
    let name = filename.rsplit(['/', '\\']).next().unwrap_or(filename).trim();
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    let Some((_, content_type)) = EVIDENCE_TYPES.iter().find(|(e, _)| *e == ext) else {
        return Err(invalid("file", ProblemKind::NotOneOf { value: name.into(), allowed: EVIDENCE_TYPES.iter().map(|(e, _)| format!(".{e}")).collect() }));
    };
    if bytes.len() > MAX_EVIDENCE_BYTES {
        return Err(invalid("file", ProblemKind::TooLarge { limit: MAX_EVIDENCE_BYTES }));
    }
    if bytes.is_empty() {
        return Err(invalid("file", ProblemKind::EmptyFile));
    }
    let mut tx = store.begin().await?;
    let (k, cycle) = kpi_of(&mut tx, ente, year, kpi).await?;
    require_owner(&mut tx, actor, ente, &cycle.id, &k, said!("allegare evidenze")).await?;
    let m =
        latest(&mut tx, ente, &k.id, period_end).await?.ok_or_else(|| AppError::NotFound(said!("nessun valore di {kpi} al {period_end}", kpi, period_end)))?;
    let sha = hex::encode(Sha256::digest(bytes));
    let id: String = new_id();
    plan::insert_evidence(&mut tx, &ente.id, &id, &m.id, name, content_type, bytes, &sha, &actor.name, &crate::now()).await?;
    let meta = serde_json::json!({ "misurazione": m.id, "file": name, "tipo": content_type, "byte": bytes.len(), "sha256": sha });
    audit::record_in_cycle(
        &mut tx,
        actor,
        &ente.id,
        &cycle.id,
        Change::<(), _> { action: "allega evidenza", entity: "evidenza", entity_id: Some(&id), before: None, after: Some(&meta) },
    )
    .await?;
    tx.commit().await?;
    Ok(sha)
}

/// A value waiting for a decision: the latest version of a KPI's value for a period, submitted.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Waiting {
    pub kpi: String,
    pub kpi_name: String,
    pub objective: String,
    pub unit: Option<String>,
    pub period_end: NaiveDate,
    pub version: i64,
    pub value: Option<String>,
    pub not_assessable: bool,
    pub note: String,
    pub entered_by: String,
    pub entered_at: String,
}

/// Every value of the cycle submitted and waiting to be approved or returned, oldest first:
/// the inbox of the planners and the NIV.
#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn waiting(store: &Store, actor: &Actor, ente: &Ente, year: i32) -> Result<Vec<Waiting>, AppError> {
    let direttore = approves_as_direttore(actor);
    if !direttore {
        actor.require(Right::ApproveValues, said!("vedere i valori da approvare"))?;
    }
    let mut conn = store.acquire().await?;
    let cycle = cycles::get(&mut conn, ente, year).await?;
    let kpis = plan::kpis(&mut conn, &ente.id, &cycle.id).await?;
    let objectives = plan::objectives(&mut conn, &ente.id, &cycle.id).await?;
    let units = traguardi_store::org::of_cycle(&mut conn, &ente.id, &cycle.id).await?;
    // A Direttore's inbox: his Direzione's values entered by others.
    let homes = KpiHomes::new(&objectives, &units);
    let by_id: std::collections::HashMap<&str, &plan::Kpi> = kpis.iter().map(|k| (k.id.as_str(), k)).collect();
    let scope = if direttore { Some(UnitScope::of(&mut conn, actor, ente, &cycle.id, Right::ApproveValues).await?) } else { None };
    let mut out: Vec<Waiting> = latest_versions(plan::measurements(&mut conn, &ente.id, &cycle.id).await?)
        .into_values()
        .filter(|m| m.status == ValueStatus::Submitted)
        .filter_map(|m| {
            let k = *by_id.get(m.kpi_id.as_str())?;
            if let Some(scope) = &scope
                && (m.entered_by == actor.name || !scope.contains(homes.unit(k)))
            {
                return None;
            }
            let objective = homes.objective(k).map(|o| o.code.clone()).unwrap_or_default();
            let unit = homes.unit_code(k);
            Some(Waiting {
                kpi: k.code.clone(),
                kpi_name: k.name.clone(),
                objective,
                unit,
                period_end: m.period_end,
                version: m.version,
                value: m.value,
                not_assessable: m.not_assessable,
                note: m.note,
                entered_by: m.entered_by,
                entered_at: m.entered_at,
            })
        })
        .collect();
    out.sort_by(|a, b| (&a.entered_at, &a.kpi, a.period_end).cmp(&(&b.entered_at, &b.kpi, b.period_end)));
    Ok(out)
}

/// What the entry form of a KPI shows: the KPI, its periods in the year, and the latest version
/// of each period's value (whose number the form sends back, so that a change made meanwhile
/// by someone else is a conflict).
#[derive(Debug, Clone)]
pub struct EntrySheet {
    pub kpi: Kpi,
    pub objective: String,
    /// Each period's latest value and the evidence attached to any of its versions.
    pub periods: Vec<(NaiveDate, Option<Measurement>, Vec<plan::Evidence>)>,
}

#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn entry_sheet(store: &Store, actor: &Actor, ente: &Ente, year: i32, kpi: &str) -> Result<EntrySheet, AppError> {
    let mut tx = store.begin().await?;
    let cycle = cycles::get(&mut tx, ente, year).await?;
    let k = plan::kpis(&mut tx, &ente.id, &cycle.id)
        .await?
        .into_iter()
        .find(|k| k.code == kpi)
        .ok_or_else(|| AppError::NotFound(said!("KPI {kpi} inesistente nel ciclo {year}", kpi, year)))?;
    require_owner(&mut tx, actor, ente, &cycle.id, &k, said!("inserire valori")).await?;
    let objective = plan::objectives(&mut tx, &ente.id, &cycle.id).await?.into_iter().find(|o| o.id == k.objective_id).map(|o| o.code).unwrap_or_default();
    let all = plan::measurements(&mut tx, &ente.id, &cycle.id).await?;
    let period_of: std::collections::HashMap<MeasurementId, NaiveDate> =
        all.iter().filter(|m| m.kpi_id == k.id).map(|m| (m.id.clone(), m.period_end)).collect();
    let mut evidence: std::collections::HashMap<NaiveDate, Vec<plan::Evidence>> = std::collections::HashMap::new();
    for e in plan::evidence_list(&mut tx, &ente.id, &cycle.id).await? {
        if let Some(p) = period_of.get(&e.measurement_id) {
            evidence.entry(*p).or_default().push(e);
        }
    }
    let mut latest = latest_versions(all);
    let periods = traguardi_domain::monitoring::period_ends(&k.periodicity, year)
        .into_iter()
        .map(|p| (p, latest.remove(&(k.id.clone(), p)), evidence.remove(&p).unwrap_or_default()))
        .collect();
    Ok(EntrySheet { kpi: k, objective, periods })
}

/// An evidence file to download: only with a role in that ente — the planners, the NIV, the
/// administrators, the Segretario and the Ragioneria for every KPI, a Direttore, Dirigente or
/// PO/EQ for the KPIs of their units — or for who uploaded it; never for the public.
#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn evidence_file(store: &Store, actor: &Actor, ente: &Ente, id: &str) -> Result<(plan::Evidence, Vec<u8>), AppError> {
    let actor = actor.within(&ente.id);
    let refused =
        || AppError::Forbidden { actor: actor.name.clone(), what: said!("scaricare questa evidenza (serve un ruolo nell'ente, sulla struttura del KPI)") };
    if matches!(actor.kind, crate::accounts::access::ActorKind::Public) {
        return Err(refused());
    }
    let mut conn = store.acquire().await?;
    let not_found = || AppError::NotFound(said!("evidenza inesistente"));
    let (cycle_id, unit_id) = plan::evidence_place(&mut conn, &ente.id, id).await?.ok_or_else(not_found)?;
    let allowed = match actor.reach(Right::ReadEvidence) {
        Reach::Ente => true,
        Reach::OwnUnits => UnitScope::of(&mut conn, &actor, ente, &cycle_id, Right::ReadEvidence).await?.contains(unit_id.as_deref()),
        Reach::Nowhere => false,
    };
    let (evidence, data) = plan::evidence_file(&mut conn, &ente.id, id).await?.ok_or_else(not_found)?;
    if allowed || evidence.uploaded_by == actor.name { Ok((evidence, data)) } else { Err(refused()) }
}
