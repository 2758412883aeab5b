//! The budget side: the ente's piano dei conti and its PEG lines (amounts in cents).

use traguardi_domain::money::Cents;

pub use traguardi_domain::budget::records::{Amount, BudgetLine, PdcEntry};

use crate::record::{Column, insert_all, read_all, record, select};
use crate::row::{int, text};
use crate::{Conn, EnteId, StoreError};

record!(BudgetLine in "budget_line" {
    id, bilancio, anno, side, cdr, unit_lineage, cdr_name, direzione, capitolo, articolo, pdc, vincolo, description, missione, programma, titolo,
    previsione, cassa, crono_anni_precedenti, altri_nuovi_stanziamenti, programma_triennale_llpp,
});
record!(PdcEntry in "pdc_code" { side, code, description });
record!(Amount in "budget_amount" { anno, titolo, voce, missione, programma, centro, centro_nome, capitolo, descrizione, misura, importo });

/// Lines of the given years (all CdR), ordered as the report prints them.
pub async fn lines_of_years(conn: &mut Conn, ente: &EnteId, from: i32, to: i32) -> Result<Vec<BudgetLine>, StoreError> {
    let rows =
        sqlx::query(select::<BudgetLine>("WHERE ente_id = $1 AND anno >= $2 AND anno <= $3 ORDER BY cdr, titolo, pdc, capitolo, articolo, anno, bilancio"))
            .bind(&ente.0)
            .bind(i64::from(from))
            .bind(i64::from(to))
            .fetch_all(&mut *conn)
            .await?;
    read_all(&rows)
}

/// Every line of the ente.
pub async fn all_lines(conn: &mut Conn, ente: &EnteId) -> Result<Vec<BudgetLine>, StoreError> {
    lines_of_years(conn, ente, i32::MIN, i32::MAX).await
}

/// (year, CdR) pairs that have lines, with their count.
pub async fn years_and_cdr(conn: &mut Conn, ente: &EnteId) -> Result<Vec<(i32, String, i64)>, StoreError> {
    let rows = sqlx::query("SELECT anno, cdr, COUNT(*) AS n FROM budget_line WHERE ente_id = $1 GROUP BY anno, cdr ORDER BY anno, cdr")
        .bind(&ente.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok((i32::try_from(int(r, "anno")?).unwrap_or_default(), text(r, "cdr")?, int(r, "n")?))).collect()
}

/// Removes the lines of one (year, CdR): a re-import replaces exactly those.
pub async fn delete_year_cdr(conn: &mut Conn, ente: &EnteId, anno: i32, cdr: &str) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM budget_line WHERE ente_id = $1 AND anno = $2 AND cdr = $3")
        .bind(&ente.0)
        .bind(i64::from(anno))
        .bind(cdr)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// Inserts lines in batches (a 50,000-line import stays fast).
pub async fn insert_lines(conn: &mut Conn, ente: &EnteId, lines: &[BudgetLine]) -> Result<(), StoreError> {
    insert_all(conn, ente, &[], lines).await
}

pub async fn pdc_count(conn: &mut Conn, ente: &EnteId) -> Result<i64, StoreError> {
    let r = sqlx::query("SELECT COUNT(*) AS n FROM pdc_code WHERE ente_id = $1").bind(&ente.0).fetch_one(&mut *conn).await?;
    int(&r, "n")
}

pub async fn pdc_codes(conn: &mut Conn, ente: &EnteId) -> Result<Vec<PdcEntry>, StoreError> {
    read_all(&sqlx::query(select::<PdcEntry>("WHERE ente_id = $1 ORDER BY side, code")).bind(&ente.0).fetch_all(&mut *conn).await?)
}

/// Replaces the ente's piano dei conti with `codes`.
pub async fn replace_pdc(conn: &mut Conn, ente: &EnteId, codes: &[PdcEntry]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM pdc_code WHERE ente_id = $1").bind(&ente.0).execute(&mut *conn).await?;
    insert_all(conn, ente, &[], codes).await
}

/// Replaces the amounts of (`fonte`, year) for every year in `amounts`.
pub async fn replace_amounts(conn: &mut Conn, ente: &EnteId, fonte: &str, fase: &str, side: &str, amounts: &[Amount]) -> Result<u64, StoreError> {
    let mut years: Vec<i32> = amounts.iter().map(|a| a.anno).collect();
    years.sort_unstable();
    years.dedup();
    let mut replaced = 0;
    for y in years {
        let done = sqlx::query("DELETE FROM budget_amount WHERE ente_id = $1 AND fonte = $2 AND anno = $3")
            .bind(&ente.0)
            .bind(fonte)
            .bind(i64::from(y))
            .execute(&mut *conn)
            .await?;
        replaced += done.rows_affected();
    }
    insert_all(conn, ente, &[("fonte", fonte), ("fase", fase), ("side", side)], amounts).await?;
    Ok(replaced)
}

/// Sums of the stored amounts of a source and year, by `centro` and measure.
pub async fn amount_totals(conn: &mut Conn, ente: &EnteId, fonte: &str, anno: i32) -> Result<Vec<(String, String, Cents)>, StoreError> {
    let rows = sqlx::query(
        "SELECT centro, misura, CAST(SUM(importo) AS BIGINT) AS total FROM budget_amount
         WHERE ente_id = $1 AND fonte = $2 AND anno = $3 GROUP BY centro, misura ORDER BY centro, misura",
    )
    .bind(&ente.0)
    .bind(fonte)
    .bind(i64::from(anno))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok((text(r, "centro")?, text(r, "misura")?, Column::read(r, "budget_amount", "total")?))).collect()
}
