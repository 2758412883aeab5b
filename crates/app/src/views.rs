//! What the API's JSON and the command line's `--format json` answer for a value, a
//! rimodulazione, a correction after the close and an audit record (the pages read them too):
//! things named by their codes and years, not by the database's ids, but for a value's version,
//! whose identifier is how the audit trail names it. A column renamed or an id added in the
//! database changes a constructor below, never these fields (docs/api.md).
//!
//! The other answers are the domain's records (the Relazione's path, the close's report) or the
//! use cases' own reports, already independent of the columns they are stored in.

use chrono::NaiveDate;
use serde::Serialize;
use traguardi_domain::plan::value_status::ValueStatus;

/// One version of a KPI's value for a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Value {
    /// The version's identifier: the `entity_id` of its records in the audit trail.
    pub id: String,
    /// The KPI's code.
    pub kpi: String,
    pub period_end: NaiveDate,
    pub version: i64,
    /// As stored (`12.5`, `true`); none when not assessable.
    pub value: Option<String>,
    pub note: String,
    pub cause: Option<String>,
    pub not_assessable: bool,
    pub status: ValueStatus,
    pub entered_by: String,
    pub entered_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

impl Value {
    pub(crate) fn of(m: &traguardi_store::plan::Measurement, kpi: &str) -> Value {
        Value {
            id: m.id.to_string(),
            kpi: kpi.into(),
            period_end: m.period_end,
            version: m.version,
            value: m.value.clone(),
            note: m.note.clone(),
            cause: m.cause.clone(),
            not_assessable: m.not_assessable,
            status: m.status,
            entered_by: m.entered_by.clone(),
            entered_at: m.entered_at.clone(),
            decided_by: m.decided_by.clone(),
            decided_at: m.decided_at.clone(),
        }
    }
}

/// A rimodulazione: what changed on an objective or KPI, from when, why, by which act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revision {
    /// The objective's or KPI's code.
    pub code: String,
    /// The code of the objective it belongs to (itself, or the KPI's objective).
    pub objective: String,
    pub field: String,
    pub before: String,
    pub after: String,
    pub effective_on: NaiveDate,
    pub reason: String,
    pub act_code: String,
    pub created_at: String,
    pub created_by: String,
}

impl Revision {
    /// The revision of the objective with code `objective`.
    pub(crate) fn of(r: traguardi_store::revisions::Revision, objective: String) -> Revision {
        Revision {
            objective,
            code: r.code,
            field: r.field,
            before: r.before,
            after: r.after,
            effective_on: r.effective_on,
            reason: r.reason,
            act_code: r.act_code,
            created_at: r.created_at,
            created_by: r.created_by,
        }
    }
}

/// A correction after the close, with the hash of the snapshot it corrects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub snapshot_hash: String,
    pub subject: String,
    pub before: String,
    pub after: String,
    pub reason: String,
    pub act_code: Option<String>,
    pub created_at: String,
    pub created_by: String,
}

impl From<traguardi_store::close::Correction> for Correction {
    fn from(c: traguardi_store::close::Correction) -> Correction {
        Correction {
            snapshot_hash: c.snapshot_hash,
            subject: c.subject,
            before: c.before,
            after: c.after,
            reason: c.reason,
            act_code: c.act_code,
            created_at: c.created_at,
            created_by: c.created_by,
        }
    }
}

/// One record of the audit trail: who, when, what, before and after, and its link in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    /// The year of the cycle the change belongs to, if any.
    pub year: Option<i32>,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    /// The changed record's id, as the chain hashed it.
    pub entity_id: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    pub(crate) fn of(r: traguardi_store::audit::AuditRecord, years: &std::collections::HashMap<String, i32>) -> AuditEntry {
        AuditEntry {
            seq: r.seq,
            year: r.cycle_id.as_ref().and_then(|c| years.get(c)).copied(),
            at: r.at,
            actor: r.actor,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            before: r.before,
            after: r.after,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}
