//! Writing the audit trail: who, when, what, before, after; each record chained to the
//! previous one of the same ente by SHA-256, so that an edit or a deletion is detected.

use serde::Serialize;
use sha2::{Digest, Sha256};
use traguardi_domain::said;
use traguardi_domain::said::Said;
use traguardi_store::audit::{self, AuditRecord};
use traguardi_store::{Conn, EnteId};

use crate::{Actor, AppError};

/// The hash that starts every chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One change to record. `before`/`after` are the entity as JSON (absent on create/delete).
pub struct Change<'a, B: Serialize, A: Serialize> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<&'a str>,
    pub before: Option<&'a B>,
    pub after: Option<&'a A>,
}

pub async fn record<B: Serialize, A: Serialize>(conn: &mut Conn, actor: &Actor, ente: Option<&EnteId>, change: Change<'_, B, A>) -> Result<(), AppError> {
    append(conn, actor, ente, None, change).await
}

/// Records a change that concerns one cycle of the ente (`traguardi audit --cycle` finds it).
pub async fn record_in_cycle<B: Serialize, A: Serialize>(
    conn: &mut Conn,
    actor: &Actor,
    ente: &EnteId,
    cycle_id: &traguardi_domain::cycle::CycleId,
    change: Change<'_, B, A>,
) -> Result<(), AppError> {
    append(conn, actor, Some(ente), Some(cycle_id.as_str()), change).await
}

async fn append<B: Serialize, A: Serialize>(
    conn: &mut Conn,
    actor: &Actor,
    ente: Option<&EnteId>,
    cycle_id: Option<&str>,
    change: Change<'_, B, A>,
) -> Result<(), AppError> {
    let (seq, prev) = audit::head(conn, ente).await?;
    let mut rec = AuditRecord {
        seq,
        ente_id: ente.map(|e| e.0.clone()),
        cycle_id: cycle_id.map(String::from),
        at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        actor: actor.name.clone(),
        action: change.action.into(),
        entity: change.entity.into(),
        entity_id: change.entity_id.map(String::from),
        before: change.before.map(to_json),
        after: change.after.map(to_json),
        prev_hash: prev.unwrap_or_else(|| GENESIS.into()),
        hash: String::new(),
    };
    rec.hash = hash_of(&rec);
    audit::append(conn, &rec).await?;
    Ok(())
}

/// SHA-256 over the previous hash and every field of the record, length-prefixed so that no
/// two different records give the same input.
pub fn hash_of(r: &AuditRecord) -> String {
    let mut h = Sha256::new();
    let fields: [Option<&str>; 10] = [
        Some(&r.prev_hash),
        Some(&r.at),
        r.ente_id.as_deref(),
        r.cycle_id.as_deref(),
        Some(&r.actor),
        Some(&r.action),
        Some(&r.entity),
        r.entity_id.as_deref(),
        r.before.as_deref(),
        r.after.as_deref(),
    ];
    h.update(r.seq.to_be_bytes());
    for f in fields {
        match f {
            Some(s) => {
                h.update((s.len() as u64).to_be_bytes());
                h.update(s.as_bytes());
            }
            None => h.update(u64::MAX.to_be_bytes()),
        }
    }
    hex::encode(h.finalize())
}

/// The first record of an ente's chain that does not check out, if any.
pub fn verify_chain(records: &[AuditRecord]) -> Result<(), Said> {
    let mut prev = GENESIS.to_string();
    for r in records {
        if r.prev_hash != prev {
            return Err(said!("registro di audit interrotto prima del n. {seq} (record mancante o riordinato)", seq = r.seq));
        }
        if hash_of(r) != r.hash {
            return Err(said!("registro di audit alterato al n. {seq}", seq = r.seq));
        }
        prev = r.hash.clone();
    }
    Ok(())
}

fn to_json<T: Serialize>(v: &T) -> String {
    // Serialising our own plain structs cannot fail; keep a trace if it ever does.
    serde_json::to_string(v).unwrap_or_else(|e| format!("{{\"errore\":\"{e}\"}}"))
}

/// The audit trail of an ente (of one cycle when `year` is given), and whether it checks out:
/// the ente's chain of hashes, the sequence numbers of the whole log without gaps, and every
/// head recorded by a close still reached.
pub struct Trail {
    pub records: Vec<crate::views::AuditEntry>,
    pub verified: Result<usize, Said>,
    /// The head of the ente's chain now: (sequence number, hash) of its last record, to be kept
    /// elsewhere and checked later with [`Trail::reaches`].
    pub head: Option<(i64, String)>,
    /// Every record of the ente: (sequence number, hash).
    chain: Vec<(i64, String)>,
}

#[tracing::instrument(skip_all, fields(ente = ente_code))]
pub async fn trail(store: &traguardi_store::Store, actor: &Actor, ente_code: Option<&str>, year: Option<i32>) -> Result<Trail, AppError> {
    actor.require(crate::accounts::access::Right::Administer, said!("leggere il registro di audit"))?;
    let mut conn = store.acquire().await?;
    let ente = crate::org::enti::resolve(&mut conn, ente_code).await?;
    if let Some(y) = year {
        // An unknown year is a 404, not an empty trail.
        crate::cycle::cycles::get(&mut conn, &ente, y).await?;
    }
    let all = audit::of_ente(&mut conn, &ente.id).await?;
    let years: std::collections::HashMap<String, i32> =
        traguardi_store::cycle::list(&mut conn, &ente.id).await?.into_iter().map(|c| (c.id.0, c.calendar.year)).collect();
    let mut verified = verify_chain(&all).map(|()| all.len());
    if verified.is_ok()
        && let Some(gap) = audit::first_gap(&mut conn).await?
    {
        verified = Err(said!("numeri di sequenza del registro di audit non contigui: manca il n. {gap} (record rimosso)", gap));
    }
    let chain: Vec<(i64, String)> = all.iter().map(|r| (r.seq, r.hash.clone())).collect();
    if verified.is_ok() {
        for c in traguardi_store::close::of_ente(&mut conn, &ente.id).await? {
            let Some((seq, hash)) = &c.audit_head else { continue };
            if !chain.iter().any(|(s, h)| s == seq && h == hash) {
                verified = Err(said!(
                    "il registro di audit non raggiunge la testa registrata dalla chiusura del {year} (n. {seq}, {hash}): record rimossi",
                    year = years.get(c.cycle_id.as_str()).copied().unwrap_or_default(),
                    seq,
                    hash = &hash[..12.min(hash.len())]
                ));
                break;
            }
        }
    }
    let head = chain.last().cloned();
    let records = all.into_iter().map(|r| crate::views::AuditEntry::of(r, &years)).filter(|r| year.is_none_or(|y| r.year == Some(y))).collect();
    Ok(Trail { records, verified, head, chain })
}

/// A head written `SEQ:HASH`, as `audit --verify` prints it.
pub fn parse_head(s: &str) -> Result<(i64, String), AppError> {
    let bad = || AppError::Refused(said!("testa «{s}» non valida: SEQ:HASH, come la stampa traguardi audit --verify", s));
    let (seq, hash) = s.trim().split_once(':').ok_or_else(bad)?;
    let seq = seq.parse::<i64>().map_err(|_| bad())?;
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    Ok((seq, hash.to_lowercase()))
}

impl Trail {
    /// Whether the ente's chain still holds the record `seq` with `hash` (a head kept elsewhere).
    pub fn reaches(&self, seq: i64, hash: &str) -> bool {
        self.chain.iter().any(|(s, h)| *s == seq && h == hash)
    }

    /// One row per change: when, who, what, before and after (JSON), and the chain.
    pub fn sheet(&self) -> traguardi_docs::export::Sheet {
        let header = ["seq", "quando", "chi", "azione", "oggetto", "id", "ciclo", "prima", "dopo", "hash_precedente", "hash"];
        traguardi_docs::export::Sheet {
            name: "registro di audit".into(),
            header: header.map(String::from).to_vec(),
            rows: self
                .records
                .iter()
                .map(|r| {
                    vec![
                        r.seq.to_string(),
                        r.at.clone(),
                        r.actor.clone(),
                        r.action.clone(),
                        r.entity.clone(),
                        r.entity_id.clone().unwrap_or_default(),
                        r.year.map(|y| y.to_string()).unwrap_or_default(),
                        r.before.clone().unwrap_or_default(),
                        r.after.clone().unwrap_or_default(),
                        r.prev_hash.clone(),
                        r.hash.clone(),
                    ]
                })
                .collect(),
        }
    }
}
