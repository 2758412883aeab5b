//! Evaluation and pay: absences, evaluations, the fund, the rules of the premi, the payout
//! scenarios and the Relazione's path.

use rust_decimal::Decimal;
use serde::Serialize;
use traguardi_domain::money::Cents;
use traguardi_domain::pay::fund::{FundItem, FundKind, Nature, Use};

pub use traguardi_domain::pay::records::{AbsenceRow, EvaluationRow, Fund};
pub use traguardi_domain::pay::relazione::{Relazione, RelazioneState};

use crate::record::{Column, Record, coded_column, insert, insert_all_keyed, read_all, record, select, upsert};
use crate::row::{boolean, coded, int, iso, opt_date, opt_text, sql, text};
use crate::{Conn, EnteId, StoreError, new_id};
use traguardi_domain::cycle::CycleId;
use traguardi_domain::ids::{PersonId, UnitId};

record!(AbsenceRow in "absence" { person_id, cause, days });
record!(EvaluationRow in "evaluation" {
    person_id, evaluator_id, reviewer_id, results, behaviours, interview_start, interview_mid, interview_final, signed_on, contested_on,
    conciliation, conciliated, note
} without { items });

pub async fn absences(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<AbsenceRow>, StoreError> {
    let rows = sqlx::query(select::<AbsenceRow>("WHERE ente_id = $1 AND cycle_id = $2 ORDER BY person_id, cause"))
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    read_all(&rows)
}

/// Replaces the absences of the given people in a cycle. Days are stored in their shortest
/// form (2,50 as 2.5), as typed figures are compared with them.
pub async fn replace_absences(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId, people: &[PersonId], rows: &[AbsenceRow]) -> Result<(), StoreError> {
    // A statement for many people at once: a round trip each is what a large import waits for
    // on PostgreSQL.
    for chunk in people.chunks(500) {
        let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
        let mut q = sqlx::query(sql(format!("DELETE FROM absence WHERE ente_id = $1 AND cycle_id = $2 AND person_id IN ({})", marks.join(", "))))
            .bind(&ente.0)
            .bind(cycle_id.as_str());
        for p in chunk {
            q = q.bind(p.as_str());
        }
        q.execute(&mut *conn).await?;
    }
    let rows: Vec<(String, AbsenceRow)> = rows.iter().map(|a| (new_id(), AbsenceRow { days: a.days.normalize(), ..a.clone() })).collect();
    insert_all_keyed(conn, ente, &[("cycle_id", cycle_id.as_str())], "id", &rows).await
}

pub async fn evaluations(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<EvaluationRow>, StoreError> {
    let rows = sqlx::query(select::<EvaluationRow>("WHERE ente_id = $1 AND cycle_id = $2 ORDER BY person_id"))
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    let item_rows = sqlx::query("SELECT person_id, code, value FROM evaluation_item WHERE ente_id = $1 AND cycle_id = $2 ORDER BY person_id, code")
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    let mut items: std::collections::HashMap<String, Vec<(String, Decimal)>> = std::collections::HashMap::new();
    for r in &item_rows {
        items.entry(text(r, "person_id")?).or_default().push((text(r, "code")?, Column::read(r, "evaluation_item", "value")?));
    }
    let mut list: Vec<EvaluationRow> = read_all(&rows)?;
    for e in &mut list {
        e.items = items.remove(e.person_id.as_str()).unwrap_or_default();
    }
    Ok(list)
}

/// Writes a person's evaluation of the cycle, replacing the one stored; scores in their
/// shortest form, like absences.
pub async fn save_evaluation(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId, e: &EvaluationRow) -> Result<(), StoreError> {
    for table in ["evaluation", "evaluation_item"] {
        sqlx::query(crate::row::sql(format!("DELETE FROM {table} WHERE ente_id = $1 AND cycle_id = $2 AND person_id = $3")))
            .bind(&ente.0)
            .bind(cycle_id.as_str())
            .bind(e.person_id.as_str())
            .execute(&mut *conn)
            .await?;
    }
    let short = |x: Option<Decimal>| x.map(|v| v.normalize());
    let stored = EvaluationRow { results: short(e.results), behaviours: short(e.behaviours), conciliated: short(e.conciliated), ..e.clone() };
    let id: String = new_id();
    insert(conn, ente, &[("id", &id), ("cycle_id", cycle_id.as_str())], &stored).await?;
    for (code, value) in &e.items {
        sqlx::query("INSERT INTO evaluation_item (cycle_id, ente_id, person_id, code, value) VALUES ($1, $2, $3, $4, $5)")
            .bind(cycle_id.as_str())
            .bind(&ente.0)
            .bind(e.person_id.as_str())
            .bind(code)
            .bind(value.normalize().to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn fund(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId, kind: FundKind) -> Result<Option<Fund>, StoreError> {
    let Some(f) = sqlx::query("SELECT id, cap_cents, certified_by, certified_on FROM fund WHERE ente_id = $1 AND cycle_id = $2 AND kind = $3")
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .bind(kind.code())
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let id = text(&f, "id")?;
    let rows = sqlx::query("SELECT voce, description, nature, usage, amount_cents, outside_cap FROM fund_item WHERE fund_id = $1 ORDER BY position")
        .bind(&id)
        .fetch_all(&mut *conn)
        .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(FundItem {
                voce: text(r, "voce")?,
                description: text(r, "description")?,
                nature: coded(r, "fund_item", "nature", Nature::parse)?,
                usage: coded(r, "fund_item", "usage", Use::parse)?,
                amount: Cents::new(int(r, "amount_cents")?),
                outside_cap: boolean(r, "outside_cap")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Some(Fund {
        cap: sqlx::Row::try_get::<Option<i64>, _>(&f, "cap_cents")?.map(Cents::new),
        certified_by: opt_text(&f, "certified_by")?,
        certified_on: opt_date(&f, "fund", "certified_on")?,
        items,
    }))
}

/// Replaces a fund of a cycle.
pub async fn save_fund(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId, kind: FundKind, f: &Fund, at: &str) -> Result<(), StoreError> {
    if let Some(old) = sqlx::query("SELECT id FROM fund WHERE ente_id = $1 AND cycle_id = $2 AND kind = $3")
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .bind(kind.code())
        .fetch_optional(&mut *conn)
        .await?
    {
        let old = text(&old, "id")?;
        sqlx::query("DELETE FROM fund_item WHERE fund_id = $1").bind(&old).execute(&mut *conn).await?;
        sqlx::query("DELETE FROM fund WHERE id = $1").bind(&old).execute(&mut *conn).await?;
    }
    let id: String = new_id();
    sqlx::query("INSERT INTO fund (id, ente_id, cycle_id, kind, cap_cents, certified_by, certified_on, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(&id)
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .bind(kind.code())
        .bind(f.cap.map(Cents::get))
        .bind(f.certified_by.as_deref())
        .bind(f.certified_on.map(iso))
        .bind(at)
        .execute(&mut *conn)
        .await?;
    for (i, it) in f.items.iter().enumerate() {
        sqlx::query(
            "INSERT INTO fund_item (id, fund_id, position, voce, description, nature, usage, amount_cents, outside_cap) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(new_id::<String>())
        .bind(&id)
        .bind(i as i64)
        .bind(&it.voce)
        .bind(&it.description)
        .bind(it.nature.code())
        .bind(it.usage.code())
        .bind(it.amount.get())
        .bind(i64::from(it.outside_cap))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scenario {
    pub id: String,
    pub name: String,
    pub rules: String,
    pub overrides: String,
    pub result: String,
    pub result_hash: String,
    pub created_at: String,
    pub created_by: String,
    pub approved_at: Option<String>,
    pub approved_by: Option<String>,
}

record!(Scenario in "pay_scenario" { id, name, rules, overrides, result, result_hash, created_at, created_by, approved_at, approved_by });

pub async fn scenarios(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<Scenario>, StoreError> {
    let rows = sqlx::query(select::<Scenario>("WHERE ente_id = $1 AND cycle_id = $2 ORDER BY created_at, name"))
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    read_all(&rows)
}

/// Writes a scenario of the cycle: a new one, or the one with its id recomputed (the caller
/// keeps the id of the scenario of the same name and checks it is not approved).
pub async fn save_scenario(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId, s: &Scenario) -> Result<(), StoreError> {
    upsert(conn, ente, &[("cycle_id", cycle_id.as_str())], s).await
}

pub async fn approve_scenario(conn: &mut Conn, ente: &EnteId, id: &str, by: &str, at: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE pay_scenario SET approved_at = $1, approved_by = $2 WHERE ente_id = $3 AND id = $4")
        .bind(at)
        .bind(by)
        .bind(&ente.0)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn delete_scenario(conn: &mut Conn, ente: &EnteId, id: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM pay_scenario WHERE ente_id = $1 AND id = $2").bind(&ente.0).bind(id).execute(&mut *conn).await?;
    Ok(())
}

record!(Relazione in "relazione" { state, act_code, approved_on, validated_on, validated_by, published_on, note });
coded_column!(RelazioneState, |s| RelazioneState::parse(s).ok_or(()));

pub async fn relazione(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Option<Relazione>, StoreError> {
    let r = sqlx::query(select::<Relazione>("WHERE ente_id = $1 AND cycle_id = $2")).bind(&ente.0).bind(cycle_id.as_str()).fetch_optional(&mut *conn).await?;
    r.as_ref().map(Relazione::read).transpose()
}

/// Replaces the Relazione's state of the cycle (one row per cycle).
pub async fn save_relazione(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId, r: &Relazione, at: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM relazione WHERE ente_id = $1 AND cycle_id = $2").bind(&ente.0).bind(cycle_id.as_str()).execute(&mut *conn).await?;
    insert(conn, ente, &[("cycle_id", cycle_id.as_str()), ("updated_at", at)], r).await
}

/// The result-pay base of each managerial position of a cycle: unit id → base.
pub async fn positions(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId) -> Result<Vec<(UnitId, Cents)>, StoreError> {
    let rows = sqlx::query("SELECT unit_id, base_cents FROM position_pay WHERE ente_id = $1 AND cycle_id = $2 ORDER BY unit_id")
        .bind(&ente.0)
        .bind(cycle_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok((Column::read(r, "position_pay", "unit_id")?, Cents::new(int(r, "base_cents")?)))).collect()
}

/// Replaces the positions of the given units.
pub async fn replace_positions(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId, rows: &[(UnitId, Cents)]) -> Result<(), StoreError> {
    for (unit, base) in rows {
        sqlx::query("DELETE FROM position_pay WHERE ente_id = $1 AND cycle_id = $2 AND unit_id = $3")
            .bind(&ente.0)
            .bind(cycle_id.as_str())
            .bind(unit.as_str())
            .execute(&mut *conn)
            .await?;
        sqlx::query("INSERT INTO position_pay (cycle_id, ente_id, unit_id, base_cents) VALUES ($1, $2, $3, $4)")
            .bind(cycle_id.as_str())
            .bind(&ente.0)
            .bind(unit.as_str())
            .bind(base.get())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
