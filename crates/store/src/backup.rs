//! The rows of the database table by table, for `traguardi backup` and `restore`: read in one
//! consistent snapshot while the server runs, written back in one transaction, the same way on
//! both backends (ids are UUIDs and the audit sequence is explicit, so rows move as they are).

use futures_util::TryStreamExt;
use sqlx::any::AnyRow;
use sqlx::{Column, Executor, Row, Statement, ValueRef};

use crate::db::migrations;
use crate::{Backend, Conn, EnteId, Store, StoreError, Tx};

/// One stored value. The schema holds only text, integers (booleans as 0/1) and bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cell {
    Null,
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
}

/// A table in the archive: its rows of one ente, its order, and the column that points to a
/// parent row of the same table (parents are written first, so a restore never breaks a foreign
/// key).
pub struct Table {
    pub name: &'static str,
    /// The condition, on `$1` = the ente's id, that keeps the ente's rows.
    of_ente: &'static str,
    order: &'static str,
    parent: Option<&'static str>,
}

const fn table(name: &'static str, of_ente: &'static str, order: &'static str) -> Table {
    Table { name, of_ente, order, parent: None }
}

const fn tree(name: &'static str, order: &'static str, parent: &'static str) -> Table {
    Table { name, of_ente: BY_ENTE, order, parent: Some(parent) }
}

const BY_ENTE: &str = "ente_id = $1";
/// The accounts of an ente (and their tokens): those with a role in it or linked to one of its
/// people.
macro_rules! accounts_of_ente {
    () => {
        "(SELECT account_id FROM account_role WHERE ente_id = $1 UNION SELECT account_id FROM account_person WHERE ente_id = $1)"
    };
}
const ACCOUNT_OF_ENTE: &str = concat!("id IN ", accounts_of_ente!());
const TOKEN_OF_ENTE: &str = concat!("account_id IN ", accounts_of_ente!());

/// Every table that is backed up, each after the tables it refers to. A test checks that this
/// list and [`SKIPPED`] together name every table of the schema, in an order that keeps every
/// foreign key.
pub const TABLES: &[Table] = &[
    table("ente", "id = $1", "id"),
    table("cycle", BY_ENTE, "id"),
    table("person", BY_ENTE, "id"),
    tree("org_unit", "id", "parent_id"),
    table("assignment", BY_ENTE, "id"),
    table("audit_log", BY_ENTE, "seq"),
    table("dimension", BY_ENTE, "id"),
    table("ambito", BY_ENTE, "id"),
    tree("dup_objective", "id", "parent_id"),
    tree("objective", "id", "parent_id"),
    table("objective_contribution", BY_ENTE, "id"),
    table("kpi", BY_ENTE, "id"),
    table("kpi_target", BY_ENTE, "id"),
    table("measurement", BY_ENTE, "id"),
    table("evidence", BY_ENTE, "id"),
    table("account", ACCOUNT_OF_ENTE, "id"),
    table("account_role", BY_ENTE, "id"),
    table("ente_calendar", BY_ENTE, "ente_id"),
    table("pdc_code", BY_ENTE, "ente_id, side, code"),
    table("budget_line", BY_ENTE, "id"),
    table(
        "budget_amount",
        BY_ENTE,
        "ente_id, fonte, anno, fase, side, titolo, voce, missione, programma, centro, centro_nome, capitolo, descrizione, misura, importo",
    ),
    table("cycle_close", BY_ENTE, "cycle_id"),
    table("act", BY_ENTE, "id"),
    table("act_opinion", "act_id IN (SELECT id FROM act WHERE ente_id = $1)", "act_id, kind"),
    table("absence", BY_ENTE, "id"),
    table("evaluation", BY_ENTE, "id"),
    table("fund", BY_ENTE, "id"),
    table("fund_item", "fund_id IN (SELECT id FROM fund WHERE ente_id = $1)", "id"),
    table("pay_rules", BY_ENTE, "id"),
    table("pay_scenario", BY_ENTE, "id"),
    table("relazione", BY_ENTE, "cycle_id"),
    table("account_person", BY_ENTE, "account_id, ente_id"),
    table("position_pay", BY_ENTE, "cycle_id, unit_id"),
    table("evaluation_item", BY_ENTE, "cycle_id, person_id, code"),
    table("revision", BY_ENTE, "id"),
    table("close_correction", BY_ENTE, "id"),
    table("niv_sample", BY_ENTE, "id"),
    table("notification", BY_ENTE, "id"),
    table("api_token", TOKEN_OF_ENTE, "id"),
    table("scoring_rules", BY_ENTE, "id"),
    table("restore_log", "ente_code = (SELECT code FROM ente WHERE id = $1)", "restored_at, archive_sha256"),
];

/// Tables left out: the migrations' own bookkeeping, and what lives only while people are at
/// work (sessions, login attempts, files waiting in the import wizard, the API's requests of the
/// current minute). A restored database starts with everyone logged out.
pub const SKIPPED: &[&str] = &["_sqlx_migrations", "session", "login_attempt", "import_upload", "api_rate"];

/// Which rows: the whole database, or one ente's.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    All,
    Ente(&'a EnteId),
}

/// A read-only transaction that sees one moment of the database while writers go on: a
/// deferred transaction in SQLite's WAL mode, `REPEATABLE READ` on PostgreSQL.
pub async fn begin_snapshot(store: &Store) -> Result<Tx, StoreError> {
    Ok(match store.backend {
        Backend::Sqlite => store.pool.begin_with("BEGIN").await?,
        Backend::Postgres => store.pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await?,
    })
}

/// The version of the newest migration this program knows.
pub fn latest_schema(backend: Backend) -> i64 {
    migrations(backend).iter().map(|m| m.version).max().unwrap_or(0)
}

/// The version of the newest migration applied to the database.
pub async fn schema_version(conn: &mut Conn) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM _sqlx_migrations").fetch_one(&mut *conn).await?)
}

/// The names of the tables in the database.
pub async fn tables_in_schema(conn: &mut Conn) -> Result<Vec<String>, StoreError> {
    let sql = if Backend::of(conn) == Backend::Postgres {
        "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    };
    Ok(sqlx::query_scalar(sql).fetch_all(&mut *conn).await?)
}

/// The columns of a table, as the database declares them.
pub async fn columns(conn: &mut Conn, table: &str) -> Result<Vec<String>, StoreError> {
    let statement = conn.prepare(sqlx::SqlSafeStr::into_sql_str(sqlx::AssertSqlSafe(format!("SELECT * FROM {table}")))).await?;
    Ok(statement.columns().iter().map(|c| c.name().to_string()).collect())
}

/// Whether no table that a restore writes holds any row.
pub async fn is_empty(conn: &mut Conn) -> Result<bool, StoreError> {
    for t in TABLES {
        let any: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT 1 FROM {} LIMIT 1", t.name))).fetch_optional(&mut *conn).await?;
        if any.is_some() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Hands each row of `table` within `scope` to `sink`, in a fixed order (parents before their
/// children), so that the same data gives the same archive.
pub async fn read<E: From<StoreError>>(
    conn: &mut Conn,
    table: &Table,
    columns: &[String],
    scope: Scope<'_>,
    mut sink: impl FnMut(Vec<Cell>) -> Result<(), E>,
) -> Result<(), E> {
    let filter = match scope {
        Scope::All => String::new(),
        Scope::Ente(_) => format!(" WHERE {}", table.of_ente),
    };
    let sql = format!("SELECT {} FROM {}{filter} ORDER BY {}", columns.join(", "), table.name, table.order);
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    if let Scope::Ente(e) = scope {
        query = query.bind(&e.0);
    }
    let mut rows = query.fetch(&mut *conn);
    let Some(parent) = table.parent else {
        while let Some(row) = rows.try_next().await.map_err(StoreError::from)? {
            sink(cells(&row, table.name)?)?;
        }
        return Ok(());
    };
    let mut all = Vec::new();
    while let Some(row) = rows.try_next().await.map_err(StoreError::from)? {
        all.push(cells(&row, table.name)?);
    }
    let id = columns.iter().position(|c| c == "id");
    let parent = columns.iter().position(|c| c == parent);
    let (Some(id), Some(parent)) = (id, parent) else {
        return Err(StoreError::Corrupt { table: table.name, column: "parent_id", value: "colonna assente".into() }.into());
    };
    for row in parents_first(all, id, parent).map_err(|value| StoreError::Corrupt { table: table.name, column: "parent_id", value })? {
        sink(row)?;
    }
    Ok(())
}

/// The rows reordered so that each comes after its parent (stable otherwise); a loop of
/// parents is named.
fn parents_first(rows: Vec<Vec<Cell>>, id: usize, parent: usize) -> Result<Vec<Vec<Cell>>, String> {
    use std::collections::{HashMap, HashSet};
    let present: HashSet<Cell> = rows.iter().map(|r| r[id].clone()).collect();
    let mut children: HashMap<Cell, Vec<usize>> = HashMap::new();
    let mut ready = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        match &r[parent] {
            Cell::Null => ready.push(i),
            p if !present.contains(p) => ready.push(i),
            p => children.entry(p.clone()).or_default().push(i),
        }
    }
    let mut order = Vec::with_capacity(rows.len());
    let mut next = 0;
    while next < ready.len() {
        let i = ready[next];
        next += 1;
        order.push(i);
        if let Some(c) = children.remove(&rows[i][id]) {
            ready.extend(c);
        }
    }
    if order.len() != rows.len() {
        let stuck = children.values().flatten().next().map(|&i| format!("{:?}", rows[i][id])).unwrap_or_default();
        return Err(format!("ciclo di righe padre che comprende {stuck}"));
    }
    let mut slots: Vec<Option<Vec<Cell>>> = rows.into_iter().map(Some).collect();
    Ok(order.into_iter().filter_map(|i| slots[i].take()).collect())
}

fn cells(row: &AnyRow, table: &'static str) -> Result<Vec<Cell>, StoreError> {
    use sqlx::any::AnyTypeInfoKind as K;
    (0..row.len())
        .map(|i| {
            let raw = row.try_get_raw(i)?;
            if raw.is_null() {
                return Ok(Cell::Null);
            }
            let kind = raw.type_info().kind();
            Ok(match kind {
                K::Null => Cell::Null,
                K::Bool => Cell::Int(i64::from(row.try_get::<bool, _>(i)?)),
                K::SmallInt => Cell::Int(i64::from(row.try_get::<i16, _>(i)?)),
                K::Integer => Cell::Int(i64::from(row.try_get::<i32, _>(i)?)),
                K::BigInt => Cell::Int(row.try_get::<i64, _>(i)?),
                K::Text => Cell::Text(row.try_get::<String, _>(i)?),
                K::Blob => Cell::Bytes(row.try_get::<Vec<u8>, _>(i)?),
                K::Real | K::Double => {
                    return Err(StoreError::Corrupt { table, column: "?", value: format!("numero in virgola mobile nella colonna {}", row.column(i).name()) });
                }
            })
        })
        .collect()
}

/// Writes rows into `table` (columns as named), several per statement. NULLs are written as
/// literals, because PostgreSQL would give an untyped bound NULL the type `text`.
pub async fn insert(conn: &mut Conn, table: &str, columns: &[String], rows: &[Vec<Cell>]) -> Result<(), StoreError> {
    // Well within both backends' limits on bound parameters (SQLite 32,766; PostgreSQL 65,535).
    let per_statement = (20_000 / columns.len().max(1)).clamp(1, 500);
    for chunk in rows.chunks(per_statement) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (r, row) in chunk.iter().enumerate() {
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for (c, cell) in row.iter().enumerate() {
                if c > 0 {
                    sql.push_str(", ");
                }
                if *cell == Cell::Null {
                    sql.push_str("NULL");
                } else {
                    n += 1;
                    sql.push_str(&format!("${n}"));
                }
            }
            sql.push(')');
        }
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false);
        for cell in chunk.iter().flatten() {
            query = match cell {
                Cell::Null => query,
                Cell::Int(i) => query.bind(*i),
                Cell::Text(s) => query.bind(s.as_str()),
                Cell::Bytes(b) => query.bind(b.as_slice()),
            };
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Records a restored archive (see `restore_log`).
pub async fn log_restore(conn: &mut Conn, at: &str, archive_sha256: &str, ente_code: Option<&str>, last_seq: i64) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO restore_log (restored_at, archive_sha256, ente_code, last_seq) VALUES ($1, $2, $3, $4)")
        .bind(at)
        .bind(archive_sha256)
        .bind(ente_code)
        .bind(last_seq)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, parent: Option<&str>) -> Vec<Cell> {
        vec![Cell::Text(id.into()), parent.map_or(Cell::Null, |p| Cell::Text(p.into()))]
    }

    #[test]
    fn parents_come_before_their_children() {
        let rows = vec![row("c", Some("b")), row("b", Some("a")), row("x", Some("elsewhere")), row("a", None)];
        let ids: Vec<Cell> = parents_first(rows, 0, 1).expect("ordered").into_iter().map(|r| r[0].clone()).collect();
        let text = |s: &str| Cell::Text(s.into());
        assert_eq!(ids, vec![text("x"), text("a"), text("b"), text("c")]);
    }

    #[test]
    fn a_loop_of_parents_is_named() {
        let err = parents_first(vec![row("a", Some("b")), row("b", Some("a"))], 0, 1).expect_err("a loop");
        assert!(err.contains("ciclo di righe padre"), "{err}");
    }
}
