//! The budget side: the ente's piano dei conti and its PEG lines (amounts in cents).

use serde::Serialize;
use sqlx::Row;
use traguardi_domain::money::Cents;

use crate::row::{int, sql, text};
use crate::{Conn, EnteId, StoreError};

/// A PEG line's forecast for one year, as one budget made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetLine {
    pub id: String,
    pub bilancio: i32,
    pub anno: i32,
    /// `U` (spesa) or `E` (entrata).
    pub side: String,
    pub cdr: String,
    pub unit_lineage: String,
    pub cdr_name: String,
    pub direzione: String,
    pub capitolo: String,
    pub articolo: String,
    /// Ten digits, or empty.
    pub pdc: String,
    pub vincolo: String,
    pub description: String,
    pub missione: String,
    pub programma: String,
    pub titolo: i32,
    pub previsione: Cents,
    pub cassa: Option<Cents>,
    pub crono_anni_precedenti: Option<Cents>,
    pub altri_nuovi_stanziamenti: Option<Cents>,
    pub programma_triennale_llpp: Option<Cents>,
}

const COLUMNS: &str = "id, bilancio, anno, side, cdr, unit_lineage, cdr_name, direzione, capitolo, articolo, pdc, vincolo, description, \
     missione, programma, titolo, previsione, cassa, crono_anni_precedenti, altri_nuovi_stanziamenti, programma_triennale_llpp";
const WIDTH: usize = 21;
/// Rows per INSERT. Small batches are fastest: the time to bind grows faster than linearly with
/// the binds of one statement (400 rows took 12 s for 50,000 lines, 10 rows take under 2 s).
const BATCH: usize = 10;

fn money(r: &sqlx::any::AnyRow, col: &str) -> Result<Cents, StoreError> {
    int(r, col).map(Cents::new)
}

fn opt_money(r: &sqlx::any::AnyRow, col: &str) -> Result<Option<Cents>, StoreError> {
    Ok(r.try_get::<Option<i64>, _>(col)?.map(Cents::new))
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<BudgetLine, StoreError> {
    let small = |c: &str| int(r, c).map(|v| i32::try_from(v).unwrap_or_default());
    Ok(BudgetLine {
        id: text(r, "id")?,
        bilancio: small("bilancio")?,
        anno: small("anno")?,
        side: text(r, "side")?,
        cdr: text(r, "cdr")?,
        unit_lineage: text(r, "unit_lineage")?,
        cdr_name: text(r, "cdr_name")?,
        direzione: text(r, "direzione")?,
        capitolo: text(r, "capitolo")?,
        articolo: text(r, "articolo")?,
        pdc: text(r, "pdc")?,
        vincolo: text(r, "vincolo")?,
        description: text(r, "description")?,
        missione: text(r, "missione")?,
        programma: text(r, "programma")?,
        titolo: small("titolo")?,
        previsione: money(r, "previsione")?,
        cassa: opt_money(r, "cassa")?,
        crono_anni_precedenti: opt_money(r, "crono_anni_precedenti")?,
        altri_nuovi_stanziamenti: opt_money(r, "altri_nuovi_stanziamenti")?,
        programma_triennale_llpp: opt_money(r, "programma_triennale_llpp")?,
    })
}

/// Lines of the given years (all CdR), ordered as the report prints them.
pub async fn lines_of_years(conn: &mut Conn, ente: &EnteId, from: i32, to: i32) -> Result<Vec<BudgetLine>, StoreError> {
    let rows = sqlx::query(sql(format!(
        "SELECT {COLUMNS} FROM budget_line WHERE ente_id = $1 AND anno >= $2 AND anno <= $3
         ORDER BY cdr, titolo, pdc, capitolo, articolo, anno, bilancio"
    )))
    .bind(&ente.0)
    .bind(i64::from(from))
    .bind(i64::from(to))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
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

/// Inserts lines in batches (one statement per few hundred rows keeps a 50,000-line import fast).
pub async fn insert_lines(conn: &mut Conn, ente: &EnteId, lines: &[BudgetLine]) -> Result<(), StoreError> {
    for chunk in lines.chunks(BATCH) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let base = i * (WIDTH + 1);
                let marks: Vec<String> = (1..=WIDTH + 1).map(|k| format!("${}", base + k)).collect();
                format!("({})", marks.join(", "))
            })
            .collect();
        let stmt = format!("INSERT INTO budget_line (ente_id, {COLUMNS}) VALUES {}", values.join(", "));
        let mut q = sqlx::query(sql(stmt));
        for l in chunk {
            q = q
                .bind(&ente.0)
                .bind(&l.id)
                .bind(i64::from(l.bilancio))
                .bind(i64::from(l.anno))
                .bind(&l.side)
                .bind(&l.cdr)
                .bind(&l.unit_lineage)
                .bind(&l.cdr_name)
                .bind(&l.direzione)
                .bind(&l.capitolo)
                .bind(&l.articolo)
                .bind(&l.pdc)
                .bind(&l.vincolo)
                .bind(&l.description)
                .bind(&l.missione)
                .bind(&l.programma)
                .bind(i64::from(l.titolo))
                .bind(l.previsione.get())
                .bind(l.cassa.map(Cents::get))
                .bind(l.crono_anni_precedenti.map(Cents::get))
                .bind(l.altri_nuovi_stanziamenti.map(Cents::get))
                .bind(l.programma_triennale_llpp.map(Cents::get));
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// A code of the ente's piano dei conti.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PdcEntry {
    /// `U` or `E`.
    pub side: String,
    /// Ten digits.
    pub code: String,
    pub description: String,
}

pub async fn pdc_count(conn: &mut Conn, ente: &EnteId) -> Result<i64, StoreError> {
    let r = sqlx::query("SELECT COUNT(*) AS n FROM pdc_code WHERE ente_id = $1").bind(&ente.0).fetch_one(&mut *conn).await?;
    int(&r, "n")
}

pub async fn pdc_codes(conn: &mut Conn, ente: &EnteId) -> Result<Vec<PdcEntry>, StoreError> {
    let rows = sqlx::query("SELECT side, code, description FROM pdc_code WHERE ente_id = $1 ORDER BY side, code").bind(&ente.0).fetch_all(&mut *conn).await?;
    rows.iter().map(|r| Ok(PdcEntry { side: text(r, "side")?, code: text(r, "code")?, description: text(r, "description")? })).collect()
}

/// Replaces the ente's piano dei conti with `codes`.
pub async fn replace_pdc(conn: &mut Conn, ente: &EnteId, codes: &[PdcEntry]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM pdc_code WHERE ente_id = $1").bind(&ente.0).execute(&mut *conn).await?;
    for chunk in codes.chunks(BATCH) {
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("(${}, ${}, ${}, ${})", i * 4 + 1, i * 4 + 2, i * 4 + 3, i * 4 + 4)).collect();
        let mut q = sqlx::query(sql(format!("INSERT INTO pdc_code (ente_id, side, code, description) VALUES {}", values.join(", "))));
        for c in chunk {
            q = q.bind(&ente.0).bind(&c.side).bind(&c.code).bind(&c.description);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// An amount read from another layout (mapped import).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Amount {
    pub anno: i32,
    pub titolo: String,
    pub voce: String,
    pub missione: String,
    pub programma: String,
    pub centro: String,
    pub centro_nome: String,
    pub capitolo: String,
    pub descrizione: String,
    pub misura: String,
    pub importo: Cents,
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
    const COLS: usize = 15;
    for chunk in amounts.chunks(BATCH) {
        let values: Vec<String> =
            (0..chunk.len()).map(|i| format!("({})", (1..=COLS).map(|k| format!("${}", i * COLS + k)).collect::<Vec<_>>().join(", "))).collect();
        let stmt = format!(
            "INSERT INTO budget_amount (ente_id, fonte, anno, fase, side, titolo, voce, missione, programma, centro, centro_nome, capitolo, descrizione, misura, importo) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(sql(stmt));
        for a in chunk {
            q = q
                .bind(&ente.0)
                .bind(fonte)
                .bind(i64::from(a.anno))
                .bind(fase)
                .bind(side)
                .bind(&a.titolo)
                .bind(&a.voce)
                .bind(&a.missione)
                .bind(&a.programma)
                .bind(&a.centro)
                .bind(&a.centro_nome)
                .bind(&a.capitolo)
                .bind(&a.descrizione)
                .bind(&a.misura)
                .bind(a.importo.get());
        }
        q.execute(&mut *conn).await?;
    }
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
    rows.iter().map(|r| Ok((text(r, "centro")?, text(r, "misura")?, money(r, "total")?))).collect()
}
