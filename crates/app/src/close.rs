//! The year-end close (SPEC §5): targets, actuals, weights, rules and scores of a cycle frozen
//! into an immutable snapshot, identified by the SHA-256 of its canonical JSON. After the close
//! every change to the cycle's frozen data is refused; `verify` recomputes the snapshot from
//! the database and fails if anything frozen was altered, even directly in the database.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use traguardi_store::close::{self, Closed};
use traguardi_store::cycle::Cycle;
use traguardi_store::ente::Ente;
use traguardi_store::{Conn, Store};

use crate::access::Permission;
use crate::audit::{self, Change};
use crate::scores::{self, CycleScores};
use crate::{Actor, AppError, cycles};

/// The state an objective reaches when the NIV has validated it.
pub const VALIDATED: &str = "validato_niv";
/// Objectives listed by name in a refusal; the rest are counted.
const LISTED: usize = 20;

#[derive(Debug, Clone, Serialize)]
pub struct CloseReport {
    pub year: i32,
    pub hash: String,
    pub forced: bool,
    /// Objectives not yet validated when the close was forced.
    pub not_validated: usize,
}

/// Everything frozen, as canonical JSON: object keys sorted (serde_json's map), lists sorted by
/// code, amounts and scores as decimal strings.
fn snapshot(data: &CycleScores) -> Value {
    let code_of_unit = |id: &Option<String>| id.as_ref().and_then(|p| data.units.iter().find(|u| &u.id == p)).map(|u| u.code.clone());
    let kpi_code = |id: &str| data.kpis.iter().find(|k| k.id == id).map_or_else(|| id.to_string(), |k| k.code.clone());
    let mut units: Vec<Value> = data
        .units
        .iter()
        .map(|u| json!({ "codice": u.code, "nome": u.name, "tipo": u.kind.code(), "padre": code_of_unit(&u.parent_id), "cdr": u.cdr }))
        .collect();
    units.sort_by_key(|v| v["codice"].as_str().unwrap_or_default().to_string());
    let mut objectives = data.objectives.clone();
    objectives.sort_by(|a, b| a.code.cmp(&b.code));
    let mut kpis = data.kpis.clone();
    kpis.sort_by(|a, b| a.code.cmp(&b.code));
    let mut targets: Vec<Value> =
        data.targets.iter().map(|t| json!({ "kpi": kpi_code(&t.kpi_id), "anno": t.year, "al": t.period_end, "valore": t.value })).collect();
    targets.sort_by_key(|v| v.to_string());
    let mut values: Vec<Value> = data
        .values
        .iter()
        .map(|v| json!({ "kpi": kpi_code(&v.kpi_id), "al": v.period_end, "versione": v.version, "valore": v.value, "non_valutabile": v.not_assessable, "nota": v.note }))
        .collect();
    values.sort_by_key(|v| v.to_string());
    let mut contributions: Vec<Value> = data.contributions.iter().map(|c| serde_json::to_value(c).unwrap_or_default()).collect();
    contributions.sort_by_key(|v| v.to_string());
    json!({
        "ente": data.ente.code.to_string(),
        "anno": data.cycle.year(),
        "strutture": units,
        "dimensioni": data.dimensions,
        "obiettivi": objectives,
        "kpi": kpis,
        "target": targets,
        "valori": values,
        "contributi": contributions,
        "regole": data.rules,
        "punteggi": data.rows(),
    })
}

fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Refuses a change to a closed cycle's frozen data. Every use case that writes a cycle's plan,
/// values or structure calls it inside its transaction.
pub async fn ensure_open(conn: &mut Conn, ente: &Ente, cycle: &Cycle) -> Result<(), AppError> {
    match close::of_cycle(conn, &ente.id, &cycle.id).await? {
        None => Ok(()),
        Some(c) => Err(AppError::Refused(format!(
            "il ciclo {} è chiuso dal {} (istantanea SHA-256 {}): i dati congelati non si modificano",
            cycle.year(),
            &c.closed_at[..10.min(c.closed_at.len())],
            &c.content_hash[..12]
        ))),
    }
}

/// Closes the cycle. Refused while objectives are not validated by the NIV, listing them, unless
/// `force` carries the reason (recorded in the audit trail).
pub async fn close(store: &Store, actor: &Actor, ente: &Ente, year: i32, force: Option<&str>) -> Result<CloseReport, AppError> {
    actor.require(Permission::Administer, "chiudere il ciclo")?;
    if force.is_some_and(|r| r.trim().is_empty()) {
        return Err(AppError::Refused("--force richiede --reason TESTO: il motivo resta nel registro di audit".into()));
    }
    let data = scores::load(store, actor, Some(ente.code.as_str()), year).await?;
    let open: Vec<&str> = data.objectives.iter().filter(|o| o.state != VALIDATED).map(|o| o.code.as_str()).collect();
    if !open.is_empty() && force.is_none() {
        let more = open.len().saturating_sub(LISTED);
        let tail = if more > 0 { format!(" e altri {more}") } else { String::new() };
        return Err(AppError::Refused(format!(
            "il ciclo {year} ha {} obiettivi non ancora validati dal NIV: {}{tail}; per chiudere comunque (es. validazione su carta): --force --reason TESTO",
            open.len(),
            open[..open.len().min(LISTED)].join(", ")
        )));
    }
    let text = snapshot(&data).to_string();
    let closed = Closed {
        cycle_id: data.cycle.id.clone(),
        closed_at: crate::now(),
        closed_by: actor.name.clone(),
        content_hash: sha256(&text),
        snapshot: text,
        forced: force.is_some(),
        reason: force.map(|r| r.trim().to_string()),
    };
    let mut tx = store.begin().await?;
    let cycle = cycles::get(&mut tx, ente, year).await?;
    ensure_open(&mut tx, ente, &cycle).await?;
    close::insert(&mut tx, &ente.id, &closed).await?;
    let after = json!({ "sha256": closed.content_hash, "forzata": closed.forced, "motivo": closed.reason, "obiettivi_non_validati": open.len() });
    audit::record_in_cycle(
        &mut tx,
        actor,
        &ente.id,
        &cycle.id,
        Change { action: "chiudi ciclo", entity: "ciclo", entity_id: Some(&cycle.id), before: None::<&()>, after: Some(&after) },
    )
    .await?;
    tx.commit().await?;
    Ok(CloseReport { year, hash: closed.content_hash, forced: closed.forced, not_validated: open.len() })
}

/// Recomputes the snapshot of a closed cycle from the database and compares it with the one
/// frozen at the close. Returns the hash; fails naming what differs.
pub async fn verify(store: &Store, actor: &Actor, ente: &Ente, year: i32) -> Result<String, AppError> {
    let closed = {
        let mut conn = store.acquire().await?;
        let cycle = cycles::get(&mut conn, ente, year).await?;
        close::of_cycle(&mut conn, &ente.id, &cycle.id).await?.ok_or_else(|| AppError::Refused(format!("il ciclo {year} non è chiuso")))?
    };
    if sha256(&closed.snapshot) != closed.content_hash {
        return Err(AppError::Refused(format!("istantanea del ciclo {year} alterata: il suo SHA-256 non è più {}", closed.content_hash)));
    }
    let data = scores::load(store, actor, Some(ente.code.as_str()), year).await?;
    let now = snapshot(&data);
    let hash = sha256(&now.to_string());
    if hash == closed.content_hash {
        return Ok(hash);
    }
    let frozen: Value = serde_json::from_str(&closed.snapshot).map_err(|e| AppError::Refused(format!("istantanea illeggibile: {e}")))?;
    let changed = differences(&frozen, &now);
    Err(AppError::Refused(format!(
        "dati del ciclo {year} alterati dopo la chiusura (SHA-256 {} invece di {}): {}",
        hash,
        closed.content_hash,
        changed.join("; ")
    )))
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
pub async fn closed(store: &Store, ente: &Ente, year: i32) -> Result<Option<Closed>, AppError> {
    let mut conn = store.acquire().await?;
    let Some(cycle) = traguardi_store::cycle::by_year(&mut conn, &ente.id, year).await? else { return Ok(None) };
    Ok(close::of_cycle(&mut conn, &ente.id, &cycle.id).await?)
}

/// Whether the cycle of `year` is closed.
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
pub async fn correct(store: &Store, actor: &Actor, ente: &Ente, year: i32, r: CorrectionRequest<'_>) -> Result<close::Correction, AppError> {
    actor.require(Permission::Administer, "correggere un ciclo chiuso")?;
    for (what, v) in [("--oggetto", r.subject), ("--originale", r.before), ("--corretto", r.after), ("--motivo", r.reason)] {
        if v.trim().is_empty() {
            return Err(AppError::Refused(format!("la correzione richiede {what}")));
        }
    }
    let mut tx = store.begin().await?;
    let cycle = cycles::get(&mut tx, ente, year).await?;
    let Some(closed) = close::of_cycle(&mut tx, &ente.id, &cycle.id).await? else {
        return Err(AppError::Refused(format!("il ciclo {year} non è chiuso: i suoi dati si correggono direttamente")));
    };
    let act_code = match r.act {
        Some(a) => Some(crate::import_acts::find(&mut tx, ente, a).await?.code),
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
        Change { action: "correzione dopo la chiusura", entity: "correzione", entity_id: Some(&c.id), before: None::<&()>, after: Some(&c) },
    )
    .await?;
    tx.commit().await?;
    Ok(c)
}

/// The corrections of a closed cycle, oldest first.
pub async fn corrections(store: &Store, actor: &Actor, ente: &Ente, year: i32) -> Result<Vec<close::Correction>, AppError> {
    actor.require(Permission::ReadOrg, "leggere le correzioni")?;
    let mut conn = store.acquire().await?;
    let cycle = cycles::get(&mut conn, ente, year).await?;
    Ok(close::corrections(&mut conn, &ente.id, &cycle.id).await?)
}

/// The corrections as a table.
pub fn corrections_sheet(list: &[close::Correction]) -> traguardi_docs::export::Sheet {
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
