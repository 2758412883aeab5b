//! Acts of the ente and their pareri.

use chrono::NaiveDate;
use serde::Serialize;

use crate::row::{boolean, date, iso, opt_date, opt_text, text};
use crate::{Conn, EnteId, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Act {
    pub id: String,
    pub code: String,
    pub organ: String,
    pub kind: String,
    pub number: String,
    pub adopted_on: NaiveDate,
    pub proposal: Option<String>,
    pub subject: String,
    pub immediate: bool,
    pub albo_from: Option<NaiveDate>,
    pub albo_to: Option<NaiveDate>,
    pub executive_on: Option<NaiveDate>,
    pub opinions: Vec<Opinion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Opinion {
    pub kind: String,
    pub outcome: String,
    pub given_by: String,
    pub given_on: Option<NaiveDate>,
}

pub async fn list(conn: &mut Conn, ente: &EnteId) -> Result<Vec<Act>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, code, organ, kind, number, adopted_on, proposal, subject, immediate, albo_from, albo_to, executive_on FROM act
         WHERE ente_id = $1 ORDER BY adopted_on, code",
    )
    .bind(&ente.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut acts = Vec::with_capacity(rows.len());
    for r in &rows {
        let id = text(r, "id")?;
        let ops =
            sqlx::query("SELECT kind, outcome, given_by, given_on FROM act_opinion WHERE act_id = $1 ORDER BY kind").bind(&id).fetch_all(&mut *conn).await?;
        let opinions = ops
            .iter()
            .map(|o| {
                Ok(Opinion {
                    kind: text(o, "kind")?,
                    outcome: text(o, "outcome")?,
                    given_by: text(o, "given_by")?,
                    given_on: opt_date(o, "act_opinion", "given_on")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        acts.push(Act {
            id,
            code: text(r, "code")?,
            organ: text(r, "organ")?,
            kind: text(r, "kind")?,
            number: text(r, "number")?,
            adopted_on: date(r, "act", "adopted_on")?,
            proposal: opt_text(r, "proposal")?,
            subject: text(r, "subject")?,
            immediate: boolean(r, "immediate")?,
            albo_from: opt_date(r, "act", "albo_from")?,
            albo_to: opt_date(r, "act", "albo_to")?,
            executive_on: opt_date(r, "act", "executive_on")?,
            opinions,
        });
    }
    Ok(acts)
}

/// Writes an act (new, or replacing the one with its id) and its pareri.
pub async fn save(conn: &mut Conn, ente: &EnteId, a: &Act, new: bool) -> Result<(), StoreError> {
    if !new {
        sqlx::query("DELETE FROM act_opinion WHERE act_id = $1").bind(&a.id).execute(&mut *conn).await?;
        sqlx::query("DELETE FROM act WHERE ente_id = $1 AND id = $2").bind(&ente.0).bind(&a.id).execute(&mut *conn).await?;
    }
    sqlx::query(
        "INSERT INTO act (id, ente_id, code, organ, kind, number, adopted_on, proposal, subject, immediate, albo_from, albo_to, executive_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&a.id)
    .bind(&ente.0)
    .bind(&a.code)
    .bind(&a.organ)
    .bind(&a.kind)
    .bind(&a.number)
    .bind(iso(a.adopted_on))
    .bind(a.proposal.as_deref())
    .bind(&a.subject)
    .bind(i64::from(a.immediate))
    .bind(a.albo_from.map(iso))
    .bind(a.albo_to.map(iso))
    .bind(a.executive_on.map(iso))
    .execute(&mut *conn)
    .await?;
    for o in &a.opinions {
        sqlx::query("INSERT INTO act_opinion (act_id, kind, outcome, given_by, given_on) VALUES ($1, $2, $3, $4, $5)")
            .bind(&a.id)
            .bind(&o.kind)
            .bind(&o.outcome)
            .bind(&o.given_by)
            .bind(o.given_on.map(iso))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
