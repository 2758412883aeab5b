//! The year-end close (SPEC §5): targets, actuals, weights, rules and scores of a cycle frozen
//! into an immutable snapshot, identified by the SHA-256 of its canonical JSON. After the close
//! every change to the cycle's frozen data is refused; `verify` recomputes the snapshot from
//! the database and fails if anything frozen was altered, even directly in the database.

use std::collections::{BTreeMap, HashMap};
use traguardi_domain::ids::PersonId;
use traguardi_domain::plan::workflow::State;
use traguardi_domain::said;

use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use traguardi_store::close::{self, Closed};
use traguardi_store::cycle::Cycle;
use traguardi_store::ente::Ente;
use traguardi_store::{Conn, Store};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::plan::scores::{self, CycleScores};
use crate::{Actor, AppError, cycle::cycles};
use traguardi_store::plan;

/// Objectives listed by name in a refusal; the rest are counted.
const LISTED: usize = 20;

#[derive(Debug, Clone, Serialize)]
pub struct CloseReport {
    pub year: i32,
    pub hash: String,
    pub forced: bool,
    /// Objectives not yet validated when the close was forced.
    pub not_validated: usize,
    /// The audit chain's head recorded by the close: (sequence number, hash).
    pub audit_head: Option<(i64, String)>,
}

/// Everything that decides a score or a euro of the year, as canonical JSON of business data
/// only — codes, names, values, dates, acts, rules — never a database id, a row position or a
/// load time, so that the same data closed in any database, SQLite or PostgreSQL, gives the
/// same bytes and the same SHA-256. Object keys are sorted (serde_json's map); every list is
/// sorted by its codes.
async fn snapshot(conn: &mut Conn, ente: &Ente, cycle: &Cycle) -> Result<Value, AppError> {
    let data = scores::read(conn, ente.clone(), cycle.clone()).await?;
    let (e, c) = (&ente.id, &cycle.id);
    let matricola: HashMap<PersonId, String> = traguardi_store::people::persons(conn, e).await?.into_iter().map(|p| (p.id, p.matricola)).collect();
    let pay_rules = crate::pay::payouts::rules_of(conn, ente, cycle).await?;
    let revisions = traguardi_store::revisions::of_cycle(conn, e, c).await?;
    let approved = traguardi_store::pay::scenarios(conn, e, c).await?.into_iter().find(|s| s.approved_at.is_some());
    let approved = match approved {
        None => Value::Null,
        Some(s) => {
            let allocation: Value =
                serde_json::from_str(&s.result).map_err(|err| AppError::Refused(said!("scenario «{name}» illeggibile: {err}", name = s.name, err)))?;
            json!({ "nome": s.name, "regole": s.rules, "sha256": s.result_hash, "ripartizione": allocation })
        }
    };
    let indices = traguardi_domain::plan::indices::Indices::compute(&data.scored(), &pay_rules);
    Ok(canonical(&data, &matricola, &pay_rules, &revisions, &indices, approved))
}

fn canonical(
    data: &CycleScores,
    matricola: &HashMap<PersonId, String>,
    pay_rules: &traguardi_domain::pay::rules::PayRules,
    revisions: &[traguardi_store::revisions::Revision],
    indices: &traguardi_domain::plan::indices::Indices,
    approved: Value,
) -> Value {
    let unit: HashMap<&str, &str> = data.units.iter().map(|u| (u.id.as_str(), u.code.as_str())).collect();
    let dimension: HashMap<&str, &str> = data.dimensions.iter().map(|d| (d.id.as_str(), d.code.as_str())).collect();
    let ambito: HashMap<&str, &str> = data.ambiti.iter().map(|a| (a.id.as_str(), a.code.as_str())).collect();
    let objective: HashMap<&str, &str> = data.objectives.iter().map(|o| (o.id.as_str(), o.code.as_str())).collect();
    let kpi: HashMap<&str, &str> = data.kpis.iter().map(|k| (k.id.as_str(), k.code.as_str())).collect();
    let dup: HashMap<&str, &str> = data.dup.iter().map(|d| (d.id.as_str(), d.code.as_str())).collect();
    let code = |m: &HashMap<&str, &str>, id: Option<&str>| id.and_then(|i| m.get(i)).map(|c| c.to_string());
    let sorted = |mut v: Vec<Value>| {
        v.sort_by_key(|x| x.to_string());
        Value::Array(v)
    };
    let units = sorted(
        data.units
            .iter()
            .map(|u| json!({ "codice": u.code, "nome": u.name, "tipo": u.kind.code(), "padre": code(&unit, u.parent_id.as_deref()), "cdr": u.cdr }))
            .collect(),
    );
    let dimensions = sorted(
        data.dimensions
            .iter()
            .map(|d| {
                let ambiti: Vec<Value> = {
                    let mut a: Vec<&traguardi_store::plan::Ambito> = data.ambiti.iter().filter(|a| a.dimension_id == d.id).collect();
                    a.sort_by(|x, y| x.code.cmp(&y.code));
                    a.iter().map(|a| json!({ "codice": a.code, "nome": a.name })).collect()
                };
                json!({ "codice": d.code, "nome": d.name, "ambiti": ambiti })
            })
            .collect(),
    );
    let objectives = sorted(
        data.objectives
            .iter()
            .map(|o| {
                json!({
                    "codice": o.code, "titolo": o.title, "descrizione": o.description,
                    "dimensione": code(&dimension, Some(&o.dimension_id)), "ambito": code(&ambito, o.ambito_id.as_deref()),
                    "struttura": code(&unit, o.unit_id.as_deref()), "persona": o.person_id.as_ref().and_then(|p| matricola.get(p)),
                    "padre": code(&objective, o.parent_id.as_deref()), "peso": o.weight.normalize().to_string(),
                    "dup": code(&dup, o.dup_id.as_deref()), "tag": o.tags, "dal": o.starts, "al": o.ends, "stato": o.state,
                    "punteggio_fissato": o.override_score.map(|v| v.normalize().to_string()), "motivo_punteggio": o.override_reason,
                    "non_valutabile": o.not_assessable,
                })
            })
            .collect(),
    );
    let kpis = sorted(
        data.kpis
            .iter()
            .map(|k| {
                json!({
                    "codice": k.code, "obiettivo": code(&objective, Some(&k.objective_id)), "nome": k.name, "natura": k.nature,
                    "misura": k.measure.code(), "verso": k.direction.code(), "unita_misura": k.unit_label, "baseline": k.baseline,
                    "peso": k.weight.normalize().to_string(), "aggregazione": k.aggregation.code(), "periodicita": k.periodicity,
                    "formula": k.formula, "regola": k.rule, "struttura_responsabile": code(&unit, k.owner_unit_id.as_deref()), "fonte": k.source,
                })
            })
            .collect(),
    );
    let targets =
        sorted(data.targets.iter().map(|t| json!({ "kpi": code(&kpi, Some(&t.kpi_id)), "anno": t.year, "al": t.period_end, "valore": t.value })).collect());
    let values = sorted(
        data.values
            .iter()
            .map(|v| {
                json!({ "kpi": code(&kpi, Some(&v.kpi_id)), "al": v.period_end, "versione": v.version, "valore": v.value, "non_valutabile": v.not_assessable, "nota": v.note })
            })
            .collect(),
    );
    let contributions = sorted(
        data.contributions
            .iter()
            .map(|c| json!({ "obiettivo": code(&objective, Some(&c.objective_id)), "struttura": code(&unit, Some(&c.unit_id)), "quota": c.share.map(|q| q.normalize().to_string()) }))
            .collect(),
    );
    let revisions = sorted(
        revisions
            .iter()
            .map(|r| {
                json!({
                    "codice": r.code, "obiettivo": code(&objective, Some(&r.objective_id)), "kpi": code(&kpi, r.kpi_id.as_deref()), "campo": r.field,
                    "originale": r.before, "rimodulato": r.after, "dal": r.effective_on, "motivo": r.reason, "atto": r.act_code,
                })
            })
            .collect(),
    );
    let index = |i: &traguardi_domain::plan::indices::Index| json!({ "indice": i.kind, "struttura": i.unit_code, "valore": i.value().map(|v| v.to_string()) });
    let indices = json!({
        "roe": indices.roe.as_ref().map(index),
        "rod": sorted(indices.rod.values().map(index).collect()),
        "ros": sorted(indices.ros.values().map(index).collect()),
    });
    json!({
        "ente": data.ente.code.to_string(),
        "anno": data.cycle.year(),
        "strutture": units,
        "dimensioni": dimensions,
        "obiettivi": objectives,
        "kpi": kpis,
        "target": targets,
        "valori": values,
        "contributi": contributions,
        "rimodulazioni": revisions,
        "regole": data.rules,
        "punteggi": data.rows(),
        "indici": indices,
        "regole_premi": pay_rules.to_text(),
        "premi_approvati": approved,
    })
}

fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Refuses a change to a closed cycle's frozen data. Every use case that writes a cycle's plan,
/// values or structure calls it inside its transaction.
pub async fn ensure_open(conn: &mut Conn, ente: &Ente, cycle: &Cycle) -> Result<(), AppError> {
    traguardi_store::cycle::lock(conn, &cycle.id, false).await?;
    match close::of_cycle(conn, &ente.id, &cycle.id).await? {
        None => Ok(()),
        Some(c) => Err(AppError::Refused(said!(
            "il ciclo {year} è chiuso dal {since} (istantanea SHA-256 {content_hash}): i dati congelati non si modificano",
            year = cycle.year(),
            since = &c.closed_at[..10.min(c.closed_at.len())],
            content_hash = &c.content_hash[..12]
        ))),
    }
}

/// Closes the cycle. Refused while objectives are not validated by the NIV, listing them, unless
/// `force` carries the reason (recorded in the audit trail).
#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn close(store: &Store, actor: &Actor, ente: &Ente, year: i32, force: Option<&str>) -> Result<CloseReport, AppError> {
    actor.require(Right::Administer, said!("chiudere il ciclo"))?;
    if force.is_some_and(|r| r.trim().is_empty()) {
        return Err(AppError::Refused(said!("--force richiede --reason TESTO: il motivo resta nel registro di audit")));
    }
    // One transaction: what is checked, moved, frozen and stored is the same data.
    let mut tx = store.begin().await?;
    let cycle = cycles::get(&mut tx, ente, year).await?;
    // Waits for the changes in flight; every change after it finds the cycle closed.
    traguardi_store::cycle::lock(&mut tx, &cycle.id, true).await?;
    ensure_open(&mut tx, ente, &cycle).await?;
    let objectives = plan::objectives(&mut tx, &ente.id, &cycle.id).await?;
    let open: Vec<&str> = objectives.iter().filter(|o| o.state != State::ValidatoNiv).map(|o| o.code.as_str()).collect();
    if !open.is_empty() && force.is_none() {
        let (len, join, more) = (open.len(), open[..open.len().min(LISTED)].join(", "), open.len().saturating_sub(LISTED));
        return Err(AppError::Refused(if more > 0 {
            said!(
                "il ciclo {year} ha {len} obiettivi non ancora validati dal NIV: {join} e altri {more}; per chiudere comunque (es. validazione su carta): --force --reason TESTO",
                year,
                len,
                join,
                more
            )
        } else {
            said!(
                "il ciclo {year} ha {len} obiettivi non ancora validati dal NIV: {join}; per chiudere comunque (es. validazione su carta): --force --reason TESTO",
                year,
                len,
                join
            )
        }));
    }
    let not_validated = open.len();
    // Every objective reaches `chiuso`, the last state, and is frozen so.
    plan::set_state_of_cycle(&mut tx, &ente.id, &cycle.id, State::Chiuso).await?;
    let text = snapshot(&mut tx, ente, &cycle).await?.to_string();
    let closed = Closed {
        cycle_id: cycle.id.clone(),
        closed_at: crate::now(),
        closed_by: actor.name.clone(),
        content_hash: sha256(&text),
        snapshot: text,
        forced: force.is_some(),
        reason: force.map(|r| r.trim().to_string()),
        audit_head: None,
    };
    close::insert(&mut tx, &ente.id, &closed).await?;
    let after = json!({ "sha256": closed.content_hash, "forzata": closed.forced, "motivo": closed.reason, "obiettivi_non_validati": not_validated });
    audit::record_in_cycle(
        &mut tx,
        actor,
        &ente.id,
        &cycle.id,
        Change { action: "chiudi ciclo", entity: "ciclo", entity_id: Some(cycle.id.as_str()), before: None::<&()>, after: Some(&after) },
    )
    .await?;
    // The audit chain's head is the close's own record: `audit --verify` checks that the trail
    // still reaches it, so removing the close's record, or any after it, is found.
    let head = traguardi_store::audit::last_of_ente(&mut tx, &ente.id).await?;
    close::set_audit_head(&mut tx, &ente.id, &cycle.id, head.as_ref()).await?;
    tx.commit().await?;
    Ok(CloseReport { year, hash: closed.content_hash, forced: closed.forced, not_validated, audit_head: head })
}

/// Recomputes the snapshot of a closed cycle from the database and compares it with the one
/// frozen at the close. Returns the hash; fails naming what differs.
#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn verify(store: &Store, actor: &Actor, ente: &Ente, year: i32) -> Result<String, AppError> {
    let closed = {
        let mut conn = store.acquire().await?;
        let cycle = cycles::get(&mut conn, ente, year).await?;
        close::of_cycle(&mut conn, &ente.id, &cycle.id).await?.ok_or_else(|| AppError::Refused(said!("il ciclo {year} non è chiuso", year)))?
    };
    if sha256(&closed.snapshot) != closed.content_hash {
        return Err(AppError::Refused(said!(
            "istantanea del ciclo {year} alterata: il suo SHA-256 non è più {content_hash}",
            year,
            content_hash = closed.content_hash
        )));
    }
    actor.require(Right::ReadOrg, said!("verificare la chiusura"))?;
    let now = {
        let mut conn = store.acquire().await?;
        let cycle = cycles::get(&mut conn, ente, year).await?;
        snapshot(&mut conn, ente, &cycle).await?
    };
    let hash = sha256(&now.to_string());
    if hash == closed.content_hash {
        return Ok(hash);
    }
    let frozen: Value = serde_json::from_str(&closed.snapshot).map_err(|e| AppError::Refused(said!("istantanea illeggibile: {e}", e)))?;
    // Dimensions and ambiti belong to the ente and may be renamed for later years: the closed
    // year keeps their names as they were, and only their codes must still be there.
    if without_names(&frozen) == without_names(&now) {
        return Ok(closed.content_hash);
    }
    let changed = differences(&frozen, &now);
    Err(AppError::Refused(said!(
        "dati del ciclo {year} alterati dopo la chiusura (SHA-256 {hash} invece di {content_hash}): {join}",
        year,
        hash = hash,
        content_hash = closed.content_hash,
        join = changed.join("; ")
    )))
}

/// A snapshot with the names of its dimensions and ambiti left out.
fn without_names(snapshot: &Value) -> Value {
    let mut s = snapshot.clone();
    if let Some(dims) = s.get_mut("dimensioni").and_then(Value::as_array_mut) {
        for d in dims {
            if let Some(o) = d.as_object_mut() {
                o.remove("nome");
                for a in o.get_mut("ambiti").and_then(Value::as_array_mut).into_iter().flatten() {
                    if let Some(a) = a.as_object_mut() {
                        a.remove("nome");
                    }
                }
            }
        }
    }
    s
}

/// What differs between two snapshots: section and item (by code, or by KPI and date).
fn differences(frozen: &Value, now: &Value) -> Vec<String> {
    let key = |v: &Value| -> String {
        for k in ["code", "codice", "livello"] {
            if let Some(s) = v.get(k).and_then(Value::as_str) {
                let code = v.get("codice").and_then(Value::as_str).filter(|_| k == "livello").map_or(String::new(), |c| format!(" {c}"));
                return format!("{s}{code}");
            }
        }
        match (v.get("kpi").and_then(Value::as_str), v.get("al").and_then(Value::as_str)) {
            (Some(k), Some(d)) => format!("{k} al {d}"),
            (Some(k), None) => k.to_string(),
            _ => v.to_string().chars().take(40).collect(),
        }
    };
    let mut out = Vec::new();
    let (Some(f), Some(n)) = (frozen.as_object(), now.as_object()) else { return vec!["istantanea".into()] };
    for (section, fv) in f {
        let nv = n.get(section).unwrap_or(&Value::Null);
        if fv == nv {
            continue;
        }
        match (fv.as_array(), nv.as_array()) {
            (Some(fa), Some(na)) => {
                let fm: BTreeMap<String, &Value> = fa.iter().map(|v| (key(v), v)).collect();
                let nm: BTreeMap<String, &Value> = na.iter().map(|v| (key(v), v)).collect();
                let items: Vec<String> = fm
                    .keys()
                    .chain(nm.keys())
                    .filter(|k| fm.get(*k) != nm.get(*k))
                    .map(String::clone)
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                out.push(format!("{section}: {}", items.into_iter().take(5).collect::<Vec<_>>().join(", ")));
            }
            _ => out.push(section.clone()),
        }
    }
    out
}

/// The close of the cycle of `year`, if it was closed.
#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn closed(store: &Store, ente: &Ente, year: i32) -> Result<Option<Closed>, AppError> {
    let mut conn = store.acquire().await?;
    let Some(cycle) = traguardi_store::cycle::by_year(&mut conn, &ente.id, year).await? else { return Ok(None) };
    Ok(close::of_cycle(&mut conn, &ente.id, &cycle.id).await?)
}

/// Whether the cycle of `year` is closed.
#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn is_closed(store: &Store, ente: &Ente, year: i32) -> Result<bool, AppError> {
    Ok(closed(store, ente, year).await?.is_some())
}

/// What a post-close correction says.
#[derive(Debug, Clone)]
pub struct CorrectionRequest<'a> {
    /// What is corrected, as `--verify` names it (e.g. `valori: SAL-12-K3 al 2020-12-31`).
    pub subject: &'a str,
    pub before: &'a str,
    pub after: &'a str,
    pub reason: &'a str,
    /// The act that orders it, when there is one (registered with `import atti`).
    pub act: Option<&'a str>,
}

/// Records a correction of a closed cycle: a new, audited event referencing the snapshot; the
/// frozen data and the snapshot stay as they are (so `--verify` still passes). Refused on an
/// open cycle, whose data are corrected directly.
#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn correct(store: &Store, actor: &Actor, ente: &Ente, year: i32, r: CorrectionRequest<'_>) -> Result<crate::views::Correction, AppError> {
    actor.require(Right::Administer, said!("correggere un ciclo chiuso"))?;
    for (what, v) in [("--oggetto", r.subject), ("--originale", r.before), ("--corretto", r.after), ("--motivo", r.reason)] {
        if v.trim().is_empty() {
            return Err(AppError::Refused(said!("la correzione richiede {what}", what)));
        }
    }
    let mut tx = store.begin().await?;
    let cycle = cycles::get(&mut tx, ente, year).await?;
    let Some(closed) = close::of_cycle(&mut tx, &ente.id, &cycle.id).await? else {
        return Err(AppError::Refused(said!("il ciclo {year} non è chiuso: i suoi dati si correggono direttamente", year)));
    };
    let act_code = match r.act {
        Some(a) => Some(crate::cycle::acts::find(&mut tx, ente, a).await?.code),
        None => None,
    };
    let c = close::Correction {
        id: traguardi_store::new_id(),
        snapshot_hash: closed.content_hash,
        subject: r.subject.trim().into(),
        before: r.before.trim().into(),
        after: r.after.trim().into(),
        reason: r.reason.trim().into(),
        act_code,
        created_at: crate::now(),
        created_by: actor.name.clone(),
    };
    close::insert_correction(&mut tx, &ente.id, &cycle.id, &c).await?;
    audit::record_in_cycle(
        &mut tx,
        actor,
        &ente.id,
        &cycle.id,
        Change { action: "correzione dopo la chiusura", entity: "correzione", entity_id: Some(c.id.as_str()), before: None::<&()>, after: Some(&c) },
    )
    .await?;
    tx.commit().await?;
    Ok(c.into())
}

/// The corrections of a closed cycle, oldest first.
#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn corrections(store: &Store, actor: &Actor, ente: &Ente, year: i32) -> Result<Vec<crate::views::Correction>, AppError> {
    actor.require(Right::ReadOrg, said!("leggere le correzioni"))?;
    let mut conn = store.acquire().await?;
    let cycle = cycles::get(&mut conn, ente, year).await?;
    Ok(close::corrections(&mut conn, &ente.id, &cycle.id).await?.into_iter().map(Into::into).collect())
}

/// The corrections as a table.
pub fn corrections_sheet(list: &[crate::views::Correction]) -> traguardi_docs::export::Sheet {
    traguardi_docs::export::Sheet {
        name: "correzioni".into(),
        header: ["oggetto", "originale", "corretto", "motivo", "atto", "istantanea_sha256", "registrata_il", "da"].map(String::from).to_vec(),
        rows: list
            .iter()
            .map(|c| {
                vec![
                    c.subject.clone(),
                    c.before.clone(),
                    c.after.clone(),
                    c.reason.clone(),
                    c.act_code.clone().unwrap_or_default(),
                    c.snapshot_hash.clone(),
                    c.created_at.clone(),
                    c.created_by.clone(),
                ]
            })
            .collect(),
    }
}
