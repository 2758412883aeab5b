//! The premi of a cycle as use cases: the rules (versioned), what the allocation reads
//! (`PayContext`) and the legal gates, what-if scenarios saved, and the approval of one.
//! What goes out of them is in `outputs.rs`, the Relazione's path in `relazione.rs`, a
//! person's own view in `mine.rs`.

use std::collections::BTreeMap;
use traguardi_domain::said;
use traguardi_domain::said::Said;

use rust_decimal::Decimal;
use serde::Serialize;
use sha2::{Digest, Sha256};
use traguardi_docs::export::Sheet;
use traguardi_domain::money::Cents;
use traguardi_domain::pay::fund::{FundKind, FundTotals};
use traguardi_domain::pay::rules::PayRules;
use traguardi_domain::pay::scenario::ScenarioStatus;
use traguardi_domain::plan::workflow::State;
use traguardi_store::cycle::Cycle;
use traguardi_store::ente::Ente;
use traguardi_store::pay::{self, Scenario};
use traguardi_store::{Conn, Store, new_id, people};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
pub use crate::plan::cycle_rules::RulesReport;
use crate::{Actor, AppError, cycle::cycles, org::enti, plan::cycle_rules, plan::scores};
use traguardi_domain::pay::premi::{Allocation, PayInput, allocate};
use traguardi_domain::plan::indices::Indices;
use traguardi_store::rules::Rules;

/// The rules in force for a cycle: the latest version stored, or the defaults.
pub async fn rules_of(conn: &mut Conn, ente: &Ente, cycle: &Cycle) -> Result<PayRules, AppError> {
    match traguardi_store::rules::current(conn, Rules::Premi, &ente.id, &cycle.id).await? {
        None => Ok(PayRules::for_year(cycle.year())),
        Some((_, text, ..)) => PayRules::parse(&text, cycle.year()).map_err(AppError::Invalid),
    }
}

/// The organisational indices ROE, ROD and ROS of a cycle under its premi rules: public, as
/// the scores they are made of.
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn indices(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32) -> Result<traguardi_domain::plan::indices::Indices, AppError> {
    let scores = crate::plan::scores::load(store, actor, ente_code, year).await?;
    let mut conn = store.acquire().await?;
    let rules = rules_of(&mut conn, &scores.ente, &scores.cycle).await?;
    Ok(traguardi_domain::plan::indices::Indices::compute(&scores.scored(), &rules))
}

/// Stores a new version of the rules of the premi when they differ from those in force.
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn set_rules(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32, text: &str) -> Result<RulesReport, AppError> {
    actor.require(Right::Administer, said!("fissare le regole dei premi"))?;
    let rules = PayRules::parse(text, year).map_err(AppError::Invalid)?;
    let mut tx = store.begin().await?;
    let ente = enti::resolve(&mut tx, ente_code).await?;
    let cycle = cycles::get(&mut tx, &ente, year).await?;
    let report = cycle_rules::save(&mut tx, actor, &ente, &cycle, Rules::Premi, &rules.to_text()).await?;
    tx.commit().await?;
    Ok(report)
}

/// Everything a payout is computed from, read once.
pub struct PayContext {
    /// The plan's scores: read with the rest, or the ones kept in memory (`with_scores`).
    pub scores: std::sync::Arc<scores::CycleScores>,
    pub people: Vec<traguardi_store::people::Person>,
    pub assignments: Vec<traguardi_store::people::Assignment>,
    pub absences: Vec<pay::AbsenceRow>,
    pub evaluations: Vec<pay::EvaluationRow>,
    /// The fondo risorse decentrate, the dirigenti's fund, the EQ resources.
    pub fund: Option<pay::Fund>,
    pub managers_fund: Option<pay::Fund>,
    pub eq_fund: Option<pay::Fund>,
    pub rules: PayRules,
    pub relazione: Option<pay::Relazione>,
    /// Unit id → result-pay base of its managerial position, in cents.
    pub positions: std::collections::HashMap<traguardi_domain::ids::UnitId, Cents>,
}

/// What a payout reads besides the plan.
struct Staff {
    people: Vec<traguardi_store::people::Person>,
    assignments: Vec<traguardi_store::people::Assignment>,
    absences: Vec<pay::AbsenceRow>,
    evaluations: Vec<pay::EvaluationRow>,
    funds: (Option<pay::Fund>, Option<pay::Fund>, Option<pay::Fund>),
    rules: PayRules,
    relazione: Option<pay::Relazione>,
    positions: Vec<(traguardi_domain::ids::UnitId, Cents)>,
}

impl Staff {
    /// One table after the other on one connection.
    async fn read(store: &Store, ente: &Ente, cycle: &Cycle) -> Result<Staff, AppError> {
        let (e, c) = (&ente.id, &cycle.id);
        let mut conn = store.acquire().await?;
        Ok(Staff {
            people: people::persons(&mut conn, e).await?,
            assignments: people::assignments_of_cycle(&mut conn, e, c).await?,
            absences: pay::absences(&mut conn, e, c).await?,
            evaluations: pay::evaluations(&mut conn, e, c).await?,
            funds: (
                pay::fund(&mut conn, e, c, FundKind::Dipendenti).await?,
                pay::fund(&mut conn, e, c, FundKind::Dirigenti).await?,
                pay::fund(&mut conn, e, c, FundKind::Eq).await?,
            ),
            rules: rules_of(&mut conn, ente, cycle).await?,
            relazione: pay::relazione(&mut conn, e, c).await?,
            positions: pay::positions(&mut conn, e, c).await?,
        })
    }
}

impl PayContext {
    /// Reads the plan's scores and the staff's data from the database, side by side: what an
    /// approval and a saved scenario are computed from.
    #[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
    pub async fn load(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32) -> Result<PayContext, AppError> {
        actor.require(Right::Administer, said!("calcolare i premi"))?;
        let (ente, cycle) = {
            let mut conn = store.acquire().await?;
            let ente = enti::resolve(&mut conn, ente_code).await?;
            let cycle = cycles::get(&mut conn, &ente, year).await?;
            (ente, cycle)
        };
        // The plan's scores and the people's data are independent: two readers side by side,
        // one per core, each reading one table after the other on its own connection.
        let code = ente.code.to_string();
        let (scores, staff) = tokio::try_join!(scores::load(store, actor, Some(&code), year), Staff::read(store, &ente, &cycle))?;
        Ok(PayContext::of(std::sync::Arc::new(scores), staff))
    }

    /// With the plan's scores already computed (those the server keeps in memory while the
    /// data do not change): only the staff's data are read. What the premi's page shows.
    #[tracing::instrument(skip_all, fields(ente = %scores.ente.code, year = scores.cycle.year()))]
    pub async fn with_scores(store: &Store, actor: &Actor, scores: std::sync::Arc<scores::CycleScores>) -> Result<PayContext, AppError> {
        actor.require(Right::Administer, said!("calcolare i premi"))?;
        let staff = Staff::read(store, &scores.ente, &scores.cycle).await?;
        Ok(PayContext::of(scores, staff))
    }

    fn of(scores: std::sync::Arc<scores::CycleScores>, staff: Staff) -> PayContext {
        let Staff { people, assignments, absences, evaluations, funds: (fund, managers_fund, eq_fund), rules, relazione, positions } = staff;
        PayContext {
            scores,
            people,
            assignments,
            absences,
            evaluations,
            fund,
            managers_fund,
            eq_fund,
            rules,
            relazione,
            positions: positions.into_iter().collect(),
        }
    }

    pub fn indices(&self, rules: &PayRules) -> Indices {
        Indices::compute(&self.scores.scored(), rules)
    }

    /// The allocation under `rules` with the individual scores of `overrides` replaced.
    pub fn allocate(&self, rules: &PayRules, overrides: &BTreeMap<String, Decimal>) -> Allocation {
        let indices = self.indices(rules);
        let input = PayInput {
            rules,
            scores: self.scores.scored(),
            indices: &indices,
            people: &self.people,
            assignments: &self.assignments,
            absences: &self.absences,
            evaluations: &self.evaluations,
            fund: self.fund.as_ref(),
            overrides,
        };
        let mut a = allocate(&input);
        a.dirigenti = traguardi_domain::pay::managers::managers(&input, &a.persone, &self.positions);
        a
    }

    /// A fund's own gates: registered, certified, coherent. Returns its totals when registered.
    fn fund_gates(&self, kind: FundKind, fund: Option<&pay::Fund>, out: &mut Vec<Said>) -> Option<FundTotals> {
        let Some(f) = fund else {
            out.push(said!("{fund} non registrato (traguardi import fondo --fondo {code})", fund => kind.said(), code = kind.code()));
            return None;
        };
        if f.certified_by.is_none() {
            out.push(said!("{fund} non certificato dall'organo di revisione", fund => kind.said()));
        }
        let t = FundTotals::of(&f.items);
        out.extend(
            t.problems(kind, f.cap, self.rules.individual_min, self.rules.contract)
                .into_iter()
                .map(|p| said!("{fund}: {problem}", fund => kind.said(), problem => p)),
        );
        Some(t)
    }

    /// The legal gates still open for paying `a` (SPEC §4), each in a sentence; empty = none.
    pub fn open_gates(&self, a: &Allocation) -> Vec<Said> {
        let mut out = Vec::new();
        let objectives = &self.scores.objectives;
        let not_approved = objectives.iter().filter(|o| o.state < State::Approvato).count();
        if objectives.is_empty() || not_approved > 0 {
            out.push(said!(
                "Piano degli Obiettivi {year} non approvato ({not_approved} obiettivi su {all} ancora in bozza o proposti; art. 10 c.5 D.Lgs 150/2009)",
                year = a.anno,
                not_approved,
                all = objectives.len()
            ));
        }
        match self.relazione.as_ref().map(|r| r.state) {
            Some(state) if state.validated() => {}
            Some(state) => out.push(said!(
                "Relazione sulla Performance {year} non validata dal NIV (stato: {state}; art. 14 c.6 D.Lgs 150/2009)",
                year = a.anno,
                state = state.code()
            )),
            None => out.push(said!(
                "Relazione sulla Performance {year} non validata dal NIV (stato: {state}; art. 14 c.6 D.Lgs 150/2009)",
                year = a.anno,
                state => said!("non registrata")
            )),
        }
        if let Some(t) = self.fund_gates(FundKind::Dipendenti, self.fund.as_ref(), &mut out)
            && a.fondo_organizzativa + a.fondo_individuale > t.premi_organizzativa + t.premi_individuale
        {
            out.push(said!(
                "i premi dello scenario ({premi} €) superano le destinazioni ai premi del fondo ({fund} €)",
                premi = a.fondo_organizzativa + a.fondo_individuale,
                fund = t.premi_organizzativa + t.premi_individuale
            ));
        }
        if !a.dirigenti.dirigenti.is_empty()
            && let Some(t) = self.fund_gates(FundKind::Dirigenti, self.managers_fund.as_ref(), &mut out)
            && a.dirigenti.totale > t.result
        {
            out.push(said!(
                "la retribuzione di risultato dei dirigenti ({paid} €) supera la destinazione al risultato del loro fondo ({fund} €)",
                paid = a.dirigenti.totale,
                fund = t.result
            ));
        }
        if self.eq_fund.is_some() {
            self.fund_gates(FundKind::Eq, self.eq_fund.as_ref(), &mut out);
        }
        out.extend(a.dirigenti.avvisi.iter().map(|w| said!("{warning}", warning = w)));
        if !a.dirigenti.posizioni_mancanti.is_empty() {
            out.push(said!(
                "base della retribuzione di risultato non registrata per le posizioni {units} (traguardi import posizioni)",
                units = a.dirigenti.posizioni_mancanti.join(", ")
            ));
        }
        if let Some(problem) = self.rules.individual_pool_problem(a.fondo_organizzativa, a.fondo_individuale) {
            out.push(said!("pool dei premi: {problem}", problem => problem));
        }
        let matricola: std::collections::HashMap<&str, &str> = self.people.iter().map(|p| (p.id.as_str(), p.matricola.as_str())).collect();
        let mut contested: Vec<&str> = self
            .evaluations
            .iter()
            .filter(|e| e.contested_on.is_some() && e.conciliation.is_none() && e.conciliated.is_none())
            .filter_map(|e| matricola.get(e.person_id.as_str()).copied())
            .collect();
        contested.sort();
        if !contested.is_empty() {
            out.push(said!("valutazioni contestate senza l'esito della conciliazione: {people}", people = contested.join(", ")));
        }
        let missing: Vec<&str> = a
            .persone
            .iter()
            .filter(|p| p.punteggio_individuale.is_none())
            .map(|p| p.matricola.as_str())
            .chain(a.dirigenti.dirigenti.iter().filter(|m| m.punteggio.is_none()).map(|m| m.matricola.as_str()))
            .collect();
        if !missing.is_empty() {
            let shown: Vec<&str> = missing.iter().take(10).copied().collect();
            out.push(said!(
                "valutazione individuale mancante per {count} persone ({people}{more})",
                count = missing.len(),
                people = shown.join(", "),
                more = if missing.len() > shown.len() { ", …" } else { "" }
            ));
        }
        out
    }
}

/// What a scenario changes: rules text (else those in force) and individual scores.
#[derive(Debug, Clone, Default)]
pub struct WhatIf {
    pub rules: Option<String>,
    pub scores: BTreeMap<String, Decimal>,
}

impl WhatIf {
    /// Score changes written `MATRICOLA=PUNTEGGIO`, one per item (`,` or `.` decimals).
    pub fn parse_scores<'a>(pairs: impl IntoIterator<Item = &'a str>, source: &str) -> Result<BTreeMap<String, Decimal>, AppError> {
        let mut out = BTreeMap::new();
        let mut problems = traguardi_domain::Problems::default();
        for (i, p) in pairs.into_iter().map(str::trim).filter(|p| !p.is_empty()).enumerate() {
            let bad = |k| traguardi_domain::Problem::cell(i + 1, source, k);
            let Some((m, v)) = p.split_once('=') else {
                problems.push(bad(traguardi_domain::ProblemKind::BadFormat {
                    value: p.into(),
                    expected: traguardi_domain::said!("MATRICOLA=PUNTEGGIO, es. M0001=85"),
                }));
                continue;
            };
            let v = v.trim();
            match traguardi_domain::value::NumberStyle::typed(v).and_then(|style| traguardi_domain::value::parse_percent(v, style)) {
                Ok(v) => {
                    out.insert(m.trim().to_string(), v);
                }
                Err(k) => problems.push(bad(k)),
            }
        }
        problems.into_result().map_err(AppError::Invalid)?;
        Ok(out)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioSummary {
    pub name: String,
    pub hash: String,
    pub status: ScenarioStatus,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub created_at: String,
    pub created_by: String,
    pub people: usize,
    pub paid: Cents,
    pub pool: Cents,
    pub residual: Cents,
}

impl ScenarioSummary {
    pub fn approved(&self) -> bool {
        self.status == ScenarioStatus::Approvato
    }
}

/// The overrides of a stored scenario: the individual scores it changes by hand.
fn overrides_of(s: &Scenario) -> BTreeMap<String, Decimal> {
    serde_json::from_str(&s.overrides).unwrap_or_default()
}

fn summary(s: &Scenario, a: &Allocation, rules_in_force: &str) -> ScenarioSummary {
    ScenarioSummary {
        name: s.name.clone(),
        hash: s.result_hash.clone(),
        status: ScenarioStatus::of(s.approved_at.is_some(), !overrides_of(s).is_empty(), s.rules == rules_in_force),
        approved_by: s.approved_by.clone(),
        approved_at: s.approved_at.clone(),
        created_at: s.created_at.clone(),
        created_by: s.created_by.clone(),
        people: a.persone.len(),
        paid: a.total(),
        pool: a.fondo_organizzativa + a.fondo_individuale,
        residual: a.residuo_organizzativa + a.residuo_individuale,
    }
}

fn hash(json: &str) -> String {
    hex::encode(Sha256::digest(json.as_bytes()))
}

fn check_name(name: &str) -> Result<(), AppError> {
    let ok = !name.is_empty() && name.len() <= 40 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(AppError::Refused(said!("nome di scenario «{name}» non valido: lettere senza accenti, cifre, - e _, al più 40 caratteri", name)))
    }
}

/// Computes and saves a scenario (replacing an unapproved one of the same name).
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn save_scenario(
    store: &Store,
    actor: &Actor,
    ente_code: Option<&str>,
    year: i32,
    name: &str,
    what_if: &WhatIf,
) -> Result<(ScenarioSummary, Allocation), AppError> {
    check_name(name)?;
    let ctx = PayContext::load(store, actor, ente_code, year).await?;
    let rules = match &what_if.rules {
        Some(text) => PayRules::parse(text, year).map_err(AppError::Invalid)?,
        None => ctx.rules.clone(),
    };
    let allocation = ctx.allocate(&rules, &what_if.scores);
    // The individual pool is at least the contract's share in every scenario, what-if or not.
    if let Some(problem) = rules.individual_pool_problem(allocation.fondo_organizzativa, allocation.fondo_individuale) {
        return Err(AppError::Invalid(traguardi_domain::Problems(vec![traguardi_domain::Problem::column("fondo.individuale", problem)])));
    }
    let result = serde_json::to_string(&allocation).map_err(|e| AppError::Refused(said!("ripartizione non memorizzabile: {error}", error = e)))?;
    let (ente, cycle) = (&ctx.scores.ente, &ctx.scores.cycle);
    let mut tx = store.begin().await?;
    let existing = pay::scenarios(&mut tx, &ente.id, &cycle.id).await?.into_iter().find(|s| s.name == name);
    if let Some(s) = &existing
        && s.approved_at.is_some()
    {
        return Err(AppError::Refused(said!("lo scenario «{name}» è approvato e non si può ricalcolare: salvare un nuovo scenario con un altro nome", name)));
    }
    let s = Scenario {
        id: existing.as_ref().map_or_else(new_id, |s| s.id.clone()),
        name: name.into(),
        rules: rules.to_text(),
        overrides: serde_json::to_string(&what_if.scores).unwrap_or_default(),
        result_hash: hash(&result),
        result,
        created_at: crate::now(),
        created_by: actor.name.clone(),
        approved_at: None,
        approved_by: None,
    };
    pay::save_scenario(&mut tx, &ente.id, &cycle.id, &s).await?;
    audit::record_in_cycle(
        &mut tx,
        actor,
        &ente.id,
        &cycle.id,
        Change {
            action: "scenario premi",
            entity: "scenario_premi",
            entity_id: Some(name),
            before: existing.as_ref().map(|e| &e.result_hash),
            after: Some(&s.result_hash),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((summary(&s, &allocation, &ctx.rules.to_text()), allocation))
}

/// The scenarios of a cycle with their allocations, oldest first.
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn scenarios(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32) -> Result<Vec<(ScenarioSummary, Allocation)>, AppError> {
    load_scenarios(store, actor, ente_code, year, |_| true).await
}

/// The stored allocation of a scenario; refused when its hash shows it was altered.
pub(crate) fn allocation_of(s: &Scenario) -> Result<Allocation, AppError> {
    if hash(&s.result) != s.result_hash {
        return Err(AppError::Refused(said!("scenario «{name}» alterato nel database: l'impronta non corrisponde", name = s.name)));
    }
    serde_json::from_str(&s.result).map_err(|e| AppError::Refused(said!("scenario «{name}» illeggibile nel database: {e}", name = s.name, e)))
}

/// The approved scenario of a cycle and its allocation (checked against its fingerprint), read
/// without asking who may see the premi: the caller has decided what of it to show.
pub(crate) async fn approved_allocation(
    conn: &mut Conn,
    ente: &Ente,
    cycle_id: &traguardi_domain::cycle::CycleId,
) -> Result<Option<(Scenario, Allocation)>, AppError> {
    let Some(s) = pay::scenarios(conn, &ente.id, cycle_id).await?.into_iter().find(|s| s.approved_at.is_some()) else { return Ok(None) };
    let a = allocation_of(&s)?;
    Ok(Some((s, a)))
}

/// The scenarios `keep` chooses, each read (and checked) only when chosen.
async fn load_scenarios(
    store: &Store,
    actor: &Actor,
    ente_code: Option<&str>,
    year: i32,
    keep: impl Fn(&Scenario) -> bool,
) -> Result<Vec<(ScenarioSummary, Allocation)>, AppError> {
    actor.require(Right::Administer, said!("leggere i premi"))?;
    read_scenarios(store, ente_code, year, keep).await
}

/// The scenarios `keep` chooses, with no check of who asks: callers check.
async fn read_scenarios(
    store: &Store,
    ente_code: Option<&str>,
    year: i32,
    keep: impl Fn(&Scenario) -> bool,
) -> Result<Vec<(ScenarioSummary, Allocation)>, AppError> {
    let mut conn = store.acquire().await?;
    let ente = enti::resolve(&mut conn, ente_code).await?;
    let cycle = cycles::get(&mut conn, &ente, year).await?;
    let in_force = rules_of(&mut conn, &ente, &cycle).await?.to_text();
    let mut out = Vec::new();
    for s in pay::scenarios(&mut conn, &ente.id, &cycle.id).await?.into_iter().filter(|s| keep(s)) {
        let a = allocation_of(&s)?;
        out.push((summary(&s, &a, &in_force), a));
    }
    Ok(out)
}

/// One scenario by name.
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn scenario(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32, name: &str) -> Result<(ScenarioSummary, Allocation), AppError> {
    load_scenarios(store, actor, ente_code, year, |s| s.name == name)
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound(said!("scenario «{name}» del {year} inesistente", name, year)))
}

/// The approved scenario of a cycle, if any.
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn approved(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32) -> Result<Option<(ScenarioSummary, Allocation)>, AppError> {
    Ok(load_scenarios(store, actor, ente_code, year, |s| s.approved_at.is_some()).await?.pop())
}

/// The art. 20 tables of the approved scenario, for everyone ("Amministrazione trasparente"):
/// amounts and their distribution only, never a person's premium.
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn published_tables(store: &Store, ente_code: &str, year: i32) -> Result<Option<(ScenarioSummary, Sheet)>, AppError> {
    Ok(read_scenarios(store, Some(ente_code), year, |s| s.approved_at.is_some()).await?.pop().map(|(s, a)| (s, crate::pay::outputs::transparency_sheet(&a))))
}

/// Approves a scenario. Only what the records support is approved:
/// - a scenario with changed scores or rules other than those in force is a simulation, to save
///   and compare, never to approve;
/// - the allocation is computed again from the recorded evaluations and the rules in force, and
///   must be the stored one (else the data changed: recompute it first);
/// - every legal gate must be closed (each open one is named);
/// - one approved scenario per cycle: checked inside the approving transaction, and enforced by
///   the database (a unique index), so two approvals racing each other cannot both succeed;
/// - the cycle must not be closed.
#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn approve(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32, name: &str) -> Result<ScenarioSummary, AppError> {
    let (summary, allocation) = scenario(store, actor, ente_code, year, name).await?;
    let ctx = PayContext::load(store, actor, ente_code, year).await?;
    let (ente, cycle) = (&ctx.scores.ente, &ctx.scores.cycle);
    let stored = {
        let mut conn = store.acquire().await?;
        pay::scenarios(&mut conn, &ente.id, &cycle.id)
            .await?
            .into_iter()
            .find(|s| s.name == name)
            .ok_or_else(|| AppError::NotFound(said!("scenario «{name}» inesistente", name)))?
    };
    let overrides = overrides_of(&stored);
    if !overrides.is_empty() {
        return Err(AppError::Refused(said!(
            "lo scenario «{name}» è una simulazione: cambia i punteggi di {len} ({join}); si salva e si confronta, non si approva. Si approva uno scenario calcolato dalle valutazioni registrate",
            name,
            len = overrides.len(),
            join = overrides.keys().take(5).cloned().collect::<Vec<_>>().join(", ")
        )));
    }
    if stored.rules != ctx.rules.to_text() {
        return Err(AppError::Refused(said!(
            "lo scenario «{name}» è una simulazione: usa regole dei premi diverse da quelle in vigore; si salva e si confronta, non si approva. Per pagarle, fissarle come regole del ciclo (traguardi payout regole --cycle {year} --file FILE) e ricalcolare lo scenario",
            name,
            year
        )));
    }
    let gates = ctx.open_gates(&allocation);
    if !gates.is_empty() {
        return Err(AppError::Refused(
            said!("non si può approvare l'erogazione dei premi {year}:{gates}", year, gates => traguardi_domain::said::Bullets(gates)),
        ));
    }
    // What the records give today, with the rules in force and nobody's score changed.
    if ctx.allocate(&ctx.rules, &BTreeMap::new()) != allocation {
        return Err(AppError::Refused(said!(
            "i dati sono cambiati dopo il calcolo dello scenario «{name}»: ricalcolarlo (traguardi payout scenario --cycle {year} --nome {name}) e poi approvarlo",
            name,
            year
        )));
    }
    let mut tx = store.begin().await?;
    crate::cycle::close::ensure_open(&mut tx, ente, cycle).await?;
    let now = pay::scenarios(&mut tx, &ente.id, &cycle.id).await?;
    if let Some(other) = now.iter().find(|s| s.approved_at.is_some()) {
        return Err(AppError::Refused(said!(
            "lo scenario «{name}» del {year} è già approvato ({approved_at})",
            name = other.name,
            year,
            approved_at = other.approved_at.clone().unwrap_or_default()
        )));
    }
    if now.iter().find(|s| s.name == name).is_none_or(|s| s.result_hash != stored.result_hash) {
        return Err(AppError::Refused(said!("lo scenario «{name}» è cambiato durante l'approvazione: riprovare", name)));
    }
    let at = crate::now();
    if let Err(e) = pay::approve_scenario(&mut tx, &ente.id, &stored.id, &actor.name, &at).await {
        return Err(if e.is_unique_violation() {
            AppError::Refused(said!("un altro scenario del {year} è stato approvato nel frattempo: uno solo per ciclo", year))
        } else {
            e.into()
        });
    }
    audit::record_in_cycle(
        &mut tx,
        actor,
        &ente.id,
        &cycle.id,
        Change { action: "approva premi", entity: "scenario_premi", entity_id: Some(name), before: None::<&String>, after: Some(&stored.result_hash) },
    )
    .await?;
    tx.commit().await?;
    Ok(ScenarioSummary { status: ScenarioStatus::Approvato, approved_by: Some(actor.name.clone()), approved_at: Some(at), ..summary })
}
