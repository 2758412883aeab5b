//! Records mapped to their tables once: a record names its table and, field by field, its
//! columns (`record!`); each field's type says how it is stored (`Column`). Reading a row,
//! the column list of a query and the one upsert of a record all come from that one list,
//! so no module binds twenty columns by hand, twice.
//!
//! Every value is stored as portable text or a 64-bit integer (or null), the same on SQLite and
//! PostgreSQL: dates as `AAAA-MM-GG`, decimals as their exact text, states by their code.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::any::AnyRow;
use std::str::FromStr;
use traguardi_domain::money::Cents;

use crate::row::{boolean, coded, int, opt_date, opt_text, parse_date, sql, text};
use crate::{Backend, Conn, EnteId, StoreError};

/// A value as its column holds it.
pub(crate) enum Cell {
    Text(Option<String>),
    Int(Option<i64>),
    Bytes(Vec<u8>),
}

/// How a field's type is stored in one column, and read back.
pub(crate) trait Column: Sized {
    fn cell(&self) -> Cell;
    fn read(row: &AnyRow, table: &'static str, column: &'static str) -> Result<Self, StoreError>;
}

impl Column for String {
    fn cell(&self) -> Cell {
        Cell::Text(Some(self.clone()))
    }
    fn read(row: &AnyRow, _: &'static str, column: &'static str) -> Result<Self, StoreError> {
        text(row, column)
    }
}

impl Column for Option<String> {
    fn cell(&self) -> Cell {
        Cell::Text(self.clone())
    }
    fn read(row: &AnyRow, _: &'static str, column: &'static str) -> Result<Self, StoreError> {
        opt_text(row, column)
    }
}

impl Column for i64 {
    fn cell(&self) -> Cell {
        Cell::Int(Some(*self))
    }
    fn read(row: &AnyRow, _: &'static str, column: &'static str) -> Result<Self, StoreError> {
        int(row, column)
    }
}

impl Column for Option<i64> {
    fn cell(&self) -> Cell {
        Cell::Int(*self)
    }
    fn read(row: &AnyRow, _: &'static str, column: &'static str) -> Result<Self, StoreError> {
        Ok(sqlx::Row::try_get::<Option<i64>, _>(row, column)?)
    }
}

impl Column for i32 {
    fn cell(&self) -> Cell {
        Cell::Int(Some(i64::from(*self)))
    }
    fn read(row: &AnyRow, table: &'static str, column: &'static str) -> Result<Self, StoreError> {
        let n = int(row, column)?;
        i32::try_from(n).map_err(|_| StoreError::Corrupt { table, column, value: n.to_string() })
    }
}

impl Column for Option<i32> {
    fn cell(&self) -> Cell {
        Cell::Int(self.map(i64::from))
    }
    fn read(row: &AnyRow, table: &'static str, column: &'static str) -> Result<Self, StoreError> {
        Option::<i64>::read(row, table, column)?.map(|n| i32::try_from(n).map_err(|_| StoreError::Corrupt { table, column, value: n.to_string() })).transpose()
    }
}

/// A file's bytes.
impl Column for Vec<u8> {
    fn cell(&self) -> Cell {
        Cell::Bytes(self.clone())
    }
    fn read(row: &AnyRow, _: &'static str, column: &'static str) -> Result<Self, StoreError> {
        Ok(sqlx::Row::try_get(row, column)?)
    }
}

/// The ids of records, stored as their text.
macro_rules! id_column {
    ($($t:ident),+) => {$(
        impl Column for traguardi_domain::ids::$t {
            fn cell(&self) -> Cell {
                Cell::Text(Some(self.0.clone()))
            }
            fn read(row: &AnyRow, _: &'static str, column: &'static str) -> Result<Self, StoreError> {
                text(row, column).map(traguardi_domain::ids::$t)
            }
        }

        impl Column for Option<traguardi_domain::ids::$t> {
            fn cell(&self) -> Cell {
                Cell::Text(self.as_ref().map(|id| id.0.clone()))
            }
            fn read(row: &AnyRow, _: &'static str, column: &'static str) -> Result<Self, StoreError> {
                opt_text(row, column).map(|id| id.map(traguardi_domain::ids::$t))
            }
        }
    )+};
}
id_column!(EnteId, CycleId, UnitId, PersonId, ObjectiveId, KpiId, MeasurementId);

/// Stored as 0 or 1.
impl Column for bool {
    fn cell(&self) -> Cell {
        Cell::Int(Some(i64::from(*self)))
    }
    fn read(row: &AnyRow, _: &'static str, column: &'static str) -> Result<Self, StoreError> {
        boolean(row, column)
    }
}

impl Column for NaiveDate {
    fn cell(&self) -> Cell {
        Cell::Text(Some(crate::row::iso(*self)))
    }
    fn read(row: &AnyRow, table: &'static str, column: &'static str) -> Result<Self, StoreError> {
        parse_date(&text(row, column)?, table, column)
    }
}

impl Column for Option<NaiveDate> {
    fn cell(&self) -> Cell {
        Cell::Text(self.map(crate::row::iso))
    }
    fn read(row: &AnyRow, table: &'static str, column: &'static str) -> Result<Self, StoreError> {
        opt_date(row, table, column)
    }
}

/// Exact: the decimal's text, never a float.
impl Column for Decimal {
    fn cell(&self) -> Cell {
        Cell::Text(Some(self.to_string()))
    }
    fn read(row: &AnyRow, table: &'static str, column: &'static str) -> Result<Self, StoreError> {
        coded(row, table, column, Decimal::from_str)
    }
}

impl Column for Option<Decimal> {
    fn cell(&self) -> Cell {
        Cell::Text(self.map(|d| d.to_string()))
    }
    fn read(row: &AnyRow, table: &'static str, column: &'static str) -> Result<Self, StoreError> {
        opt_text(row, column)?.map(|s| Decimal::from_str(&s).map_err(|_| StoreError::Corrupt { table, column, value: s })).transpose()
    }
}

/// Money: whole cents, a 64-bit integer.
impl Column for Cents {
    fn cell(&self) -> Cell {
        Cell::Int(Some(self.get()))
    }
    fn read(row: &AnyRow, _: &'static str, column: &'static str) -> Result<Self, StoreError> {
        int(row, column).map(Cents::new)
    }
}

impl Column for Option<Cents> {
    fn cell(&self) -> Cell {
        Cell::Int(self.map(Cents::get))
    }
    fn read(row: &AnyRow, table: &'static str, column: &'static str) -> Result<Self, StoreError> {
        Ok(Option::<i64>::read(row, table, column)?.map(Cents::new))
    }
}

/// Tags: one text, comma-separated; blanks dropped when read.
impl Column for Vec<String> {
    fn cell(&self) -> Cell {
        Cell::Text(Some(self.join(",")))
    }
    fn read(row: &AnyRow, _: &'static str, column: &'static str) -> Result<Self, StoreError> {
        Ok(text(row, column)?.split(',').map(str::trim).filter(|t| !t.is_empty()).map(String::from).collect())
    }
}

/// A domain type stored by its code (`code()`), read back with `parse`.
macro_rules! coded_column {
    ($t:ty, $parse:expr) => {
        impl $crate::record::Column for $t {
            fn cell(&self) -> $crate::record::Cell {
                $crate::record::Cell::Text(Some(self.code().to_string()))
            }
            fn read(row: &sqlx::any::AnyRow, table: &'static str, column: &'static str) -> Result<Self, $crate::StoreError> {
                $crate::row::coded(row, table, column, $parse)
            }
        }
    };
}
pub(crate) use coded_column;

/// A record of one table.
pub(crate) trait Record: Sized {
    const TABLE: &'static str;
    /// Its columns in the order of its fields; the first is its id, the key of the upsert (a
    /// record only read, or inserted, may start with any column).
    const COLUMNS: &'static [&'static str];
    fn cells(&self) -> Vec<Cell>;
    fn read(row: &AnyRow) -> Result<Self, StoreError>;
}

/// Maps a struct to its table: `record!(Objective in "objective" { id, code, title, ... })`,
/// a field stored under another name written `field = "column"`. The first field is the id.
/// Fields kept in other tables (an act's pareri) are named after `without`: they read as empty
/// and the caller fills them.
macro_rules! record {
    ($t:ident in $table:literal { $($field:ident $(= $column:literal)?),+ $(,)? } $(without { $($child:ident),+ })?) => {
        impl $crate::record::Record for $t {
            const TABLE: &'static str = $table;
            const COLUMNS: &'static [&'static str] = &[$($crate::record::record!(@column $field $($column)?)),+];
            fn cells(&self) -> Vec<$crate::record::Cell> {
                vec![$($crate::record::Column::cell(&self.$field)),+]
            }
            fn read(row: &sqlx::any::AnyRow) -> Result<Self, $crate::StoreError> {
                Ok(Self {
                    $($field: $crate::record::Column::read(row, $table, $crate::record::record!(@column $field $($column)?))?,)+
                    $($($child: Default::default(),)+)?
                })
            }
        }
    };
    (@column $field:ident) => { stringify!($field) };
    (@column $field:ident $column:literal) => { $column };
}
pub(crate) use record;

/// The record's columns for a query, each as `alias.column` when the query joins.
pub(crate) fn columns<R: Record>(alias: Option<&str>) -> String {
    R::COLUMNS.iter().map(|c| alias.map_or_else(|| (*c).to_string(), |a| format!("{a}.{c}"))).collect::<Vec<_>>().join(", ")
}

/// `SELECT` the record's columns `FROM` its table, then `rest` (a `WHERE`, an `ORDER BY`):
/// values in `rest` are always placeholders, bound by the caller.
pub(crate) fn select<R: Record>(rest: &str) -> sqlx::AssertSqlSafe<String> {
    sql(format!("SELECT {} FROM {} {rest}", columns::<R>(None), R::TABLE))
}

pub(crate) fn read_all<R: Record>(rows: &[AnyRow]) -> Result<Vec<R>, StoreError> {
    rows.iter().map(R::read).collect()
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

fn bind(q: AnyQuery<'_>, cell: Cell) -> AnyQuery<'_> {
    match cell {
        Cell::Text(v) => q.bind(v),
        Cell::Int(v) => q.bind(v),
        Cell::Bytes(v) => q.bind(v),
    }
}

/// Writes a record of the ente: inserted when its id is new, else rewritten in full. `scope`
/// are the columns the record lives under besides the ente (its cycle), set on insert.
/// A row of another ente with the same id is never touched.
pub(crate) async fn upsert<R: Record>(conn: &mut Conn, ente: &EnteId, scope: &[(&'static str, &str)], r: &R) -> Result<(), StoreError> {
    write(conn, ente, scope, r, true).await
}

/// Inserts a record that is never rewritten (a version, a log line): a second with its id fails.
pub(crate) async fn insert<R: Record>(conn: &mut Conn, ente: &EnteId, scope: &[(&'static str, &str)], r: &R) -> Result<(), StoreError> {
    write(conn, ente, scope, r, false).await
}

/// Inserts many records of the ente under the same `scope`, a few rows to a statement (fastest:
/// the time to bind grows faster than linearly with the binds of one statement; 400 rows to a
/// statement took 12 s for 50,000 budget lines, 10 rows take under 2 s).
pub(crate) async fn insert_all<R: Record>(conn: &mut Conn, ente: &EnteId, scope: &[(&'static str, &str)], records: &[R]) -> Result<(), StoreError> {
    let rows: Vec<(Option<&str>, &R)> = records.iter().map(|r| (None, r)).collect();
    insert_batches(conn, ente, scope, None, &rows).await
}

/// As [`insert_all`], each record with its own value of column `key` (an id the record does
/// not hold as a field: an evaluation's).
pub(crate) async fn insert_all_keyed<R: Record>(
    conn: &mut Conn,
    ente: &EnteId,
    scope: &[(&'static str, &str)],
    key: &'static str,
    records: &[(String, R)],
) -> Result<(), StoreError> {
    let rows: Vec<(Option<&str>, &R)> = records.iter().map(|(k, r)| (Some(k.as_str()), r)).collect();
    insert_batches(conn, ente, scope, Some(key), &rows).await
}

async fn insert_batches<R: Record>(
    conn: &mut Conn,
    ente: &EnteId,
    scope: &[(&'static str, &str)],
    key: Option<&'static str>,
    rows: &[(Option<&str>, &R)],
) -> Result<(), StoreError> {
    let scope = with_ente(ente, scope);
    let mut names: Vec<&str> = key.into_iter().collect();
    names.extend(scope.iter().map(|(c, _)| *c));
    let per = rows_per_statement(conn, names.len() + R::COLUMNS.len());
    for chunk in rows.chunks(per) {
        let mut query = sqlx::query(sql(insert_sql::<R>(&names, chunk.len())));
        for (k, r) in chunk {
            if let Some(k) = k {
                query = query.bind(*k);
            }
            query = bind_row(query, &scope, *r);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Rows to a statement in the bulk writes of rows of `columns` values. On PostgreSQL each
/// statement is a round trip, so as many as keep the statement within its limit of bound values
/// (65,535), at most 500; SQLite works in the process and the driver's cost per bound value
/// grows with the statement, so 20. (Writing the metropoli, 130,000 rows: PostgreSQL 5.9 s with
/// 10 to a statement, 3.9 s with 100, 3.7 s with 500; SQLite 2.9 s with 10, 2.5 s with 20, 2.9 s
/// with 50, 16 s with 500.)
pub(crate) fn rows_per_statement(conn: &Conn, columns: usize) -> usize {
    if Backend::of(conn) == Backend::Postgres { (60_000 / columns.max(1)).clamp(1, 500) } else { 20 }
}

/// Inserts a record of a table no ente column scopes: an ente itself, or the audit log, whose
/// records carry their ente as a field of their own. `scope` as for [`upsert`].
pub(crate) async fn insert_unscoped<R: Record>(conn: &mut Conn, scope: &[(&'static str, &str)], r: &R) -> Result<(), StoreError> {
    bind_row(sqlx::query(sql(insert_sql::<R>(&names_of(scope), 1))), scope, r).execute(&mut *conn).await?;
    Ok(())
}

async fn write<R: Record>(conn: &mut Conn, ente: &EnteId, scope: &[(&'static str, &str)], r: &R, rewrite: bool) -> Result<(), StoreError> {
    let scope = with_ente(ente, scope);
    let mut q = insert_sql::<R>(&names_of(&scope), 1);
    if rewrite {
        let set: Vec<String> = R::COLUMNS[1..].iter().map(|c| format!("{c} = excluded.{c}")).collect();
        q.push_str(&format!(" ON CONFLICT ({}) DO UPDATE SET {} WHERE {}.ente_id = excluded.ente_id", R::COLUMNS[0], set.join(", "), R::TABLE));
    }
    bind_row(sqlx::query(sql(q)), &scope, r).execute(&mut *conn).await?;
    Ok(())
}

/// The ente's column first, then the other columns of the scope.
fn with_ente<'s>(ente: &'s EnteId, scope: &[(&'static str, &'s str)]) -> Vec<(&'static str, &'s str)> {
    std::iter::once(("ente_id", ente.0.as_str())).chain(scope.iter().copied()).collect()
}

fn names_of(scope: &[(&'static str, &str)]) -> Vec<&'static str> {
    scope.iter().map(|(c, _)| *c).collect()
}

/// `INSERT INTO table (leading…, columns…) VALUES (…), …` for `rows` records: the leading
/// columns are the scope's (and a key's), bound before each record's values.
fn insert_sql<R: Record>(leading: &[&str], rows: usize) -> String {
    let names: Vec<&str> = leading.iter().copied().chain(R::COLUMNS.iter().copied()).collect();
    let width = names.len();
    let values: Vec<String> = (0..rows).map(|i| format!("({})", (1..=width).map(|k| format!("${}", i * width + k)).collect::<Vec<_>>().join(", "))).collect();
    format!("INSERT INTO {} ({}) VALUES {}", R::TABLE, names.join(", "), values.join(", "))
}

/// Binds one record's values in the order of [`insert_sql`].
fn bind_row<'q, R: Record>(mut query: AnyQuery<'q>, scope: &[(&'static str, &'q str)], r: &R) -> AnyQuery<'q> {
    for (_, v) in scope {
        query = query.bind(*v);
    }
    for cell in r.cells() {
        query = bind(query, cell);
    }
    query
}
