//! Reading typed values out of rows stored as portable text.

use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::StoreError;

pub(crate) fn text(row: &AnyRow, col: &str) -> Result<String, StoreError> {
    Ok(row.try_get::<String, _>(col)?)
}

pub(crate) fn opt_text(row: &AnyRow, col: &str) -> Result<Option<String>, StoreError> {
    Ok(row.try_get::<Option<String>, _>(col)?)
}

pub(crate) fn int(row: &AnyRow, col: &str) -> Result<i64, StoreError> {
    Ok(row.try_get::<i64, _>(col)?)
}

pub(crate) fn boolean(row: &AnyRow, col: &str) -> Result<bool, StoreError> {
    Ok(row.try_get::<i64, _>(col)? != 0)
}

pub(crate) fn date(row: &AnyRow, table: &'static str, col: &'static str) -> Result<NaiveDate, StoreError> {
    let s = text(row, col)?;
    parse_date(&s, table, col)
}

pub(crate) fn opt_date(row: &AnyRow, table: &'static str, col: &'static str) -> Result<Option<NaiveDate>, StoreError> {
    opt_text(row, col)?.map(|s| parse_date(&s, table, col)).transpose()
}

pub(crate) fn parse_date(s: &str, table: &'static str, column: &'static str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| StoreError::Corrupt { table, column, value: s.into() })
}

/// Parses a stored code back into its domain type.
pub(crate) fn coded<T, E>(row: &AnyRow, table: &'static str, column: &'static str, parse: impl Fn(&str) -> Result<T, E>) -> Result<T, StoreError> {
    let s = text(row, column)?;
    parse(&s).map_err(|_| StoreError::Corrupt { table, column, value: s })
}

pub(crate) fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Marks SQL built with `format!` as safe: only the column lists of this crate are ever
/// interpolated, never a value (values are always bound).
pub(crate) fn sql(s: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(s)
}
