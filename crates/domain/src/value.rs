//! Parsing of the values users type into import files and forms (SPEC §6).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

use crate::ProblemKind;

/// How numbers are written in one file: Italian `1.234,56` or English `1234.56`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberStyle {
    It,
    En,
}

impl NumberStyle {
    /// SPEC §6: a file is Italian when it is `;`-separated or any number in it has a
    /// decimal comma; otherwise `.` is the decimal point.
    pub fn detect<'a>(semicolon_separated: bool, cells: impl IntoIterator<Item = &'a str>) -> NumberStyle {
        if semicolon_separated || cells.into_iter().any(has_decimal_comma) { NumberStyle::It } else { NumberStyle::En }
    }

    /// The style of one number typed alone — a command-line option, a form field — where no
    /// file tells the style (docs/formats.md, "Numbers typed alone"): Italian when it has a
    /// decimal comma (`0,75`, `1.234,5`) or more than one `.` (`1.000.000`); `.` is the
    /// decimal point otherwise (`12.5`), except that a single `.` followed by exactly three
    /// digits (`1.000`, `12.345`) is refused: in a file it is one thousand, typed alone it could
    /// be one, so it is never taken silently either way.
    pub fn typed(s: &str) -> Result<NumberStyle, ProblemKind> {
        let t = s.trim();
        if has_decimal_comma(t) || t.matches('.').count() > 1 {
            return Ok(NumberStyle::It);
        }
        let body = t.trim_start_matches(['-', '+']);
        if let Some((int, frac)) = body.split_once('.')
            && (1..=3).contains(&int.len())
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.len() == 3
            && frac.bytes().all(|b| b.is_ascii_digit())
        {
            let (whole, point) = (format!("{int}{frac}"), format!("{int},{frac}"));
            return Err(ProblemKind::BadFormat {
                value: t.into(),
                expected: crate::said!(
                    "un numero non ambiguo: {whole} (senza separatore delle migliaia) oppure {point} (con la virgola decimale)",
                    whole,
                    point
                ),
            });
        }
        Ok(NumberStyle::En)
    }

    pub fn parse(&self, s: &str) -> Option<Decimal> {
        parse_decimal(s, *self)
    }
}

/// `12,5`, `-0,75`, `1.234,56`: a number whose decimal separator is a comma.
fn has_decimal_comma(cell: &str) -> bool {
    let s = cell.trim().trim_start_matches(['-', '+']);
    let Some((int, frac)) = s.split_once(',') else { return false };
    !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && int.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// Digits grouped by three with `.`, the Italian way: `3631120` → `3.631.120`.
pub fn group_thousands(digits: &str) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    grouped
}

/// The largest magnitude a number in a file or a form may have: 10^15 (a thousand million
/// million). Far beyond any budget or KPI of an ente, and small enough that every score, ratio
/// and weighted mean computed from such numbers stays inside the range of decimal arithmetic.
pub const MAX_MAGNITUDE: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// A number in `style`, within ±[`MAX_MAGNITUDE`]; `None` otherwise.
pub fn parse_decimal(s: &str, style: NumberStyle) -> Option<Decimal> {
    parse_number(s, style).ok()
}

/// A number in `style`: a clear problem when it is not a number or lies beyond
/// ±[`MAX_MAGNITUDE`] (docs/formats.md).
pub fn parse_number(s: &str, style: NumberStyle) -> Result<Decimal, ProblemKind> {
    let v = parse_unbounded(s, style).ok_or_else(|| ProblemKind::BadNumber { value: s.trim().into() })?;
    if v.abs() > MAX_MAGNITUDE {
        return Err(ProblemKind::OutOfRange { value: s.trim().into(), min: "-1.000.000.000.000.000".into(), max: "1.000.000.000.000.000".into() });
    }
    Ok(v)
}

/// Parses a number in the given style. Italian: `.` groups thousands (only in groups of three),
/// `,` is the decimal point, so `1.000` is one thousand. English: `.` is the decimal point and
/// `,` may group thousands.
fn parse_unbounded(s: &str, style: NumberStyle) -> Option<Decimal> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let (group, point) = match style {
        NumberStyle::It => ('.', ','),
        NumberStyle::En => (',', '.'),
    };
    let (sign, body) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = match body.split_once(point) {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int.is_empty() || !int.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut digits = String::with_capacity(s.len());
    if int.contains(group) {
        let mut parts = int.split(group);
        let first = parts.next().unwrap_or_default();
        if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push_str(first);
        for p in parts {
            if p.len() != 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            digits.push_str(p);
        }
    } else {
        if !int.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push_str(int);
    }
    if let Some(f) = frac {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push('.');
        digits.push_str(f);
    }
    Decimal::from_str(&format!("{sign}{digits}")).ok()
}

/// A percentage on the 0–100 scale (`51` = 51%).
pub fn parse_percent(s: &str, style: NumberStyle) -> Result<Decimal, ProblemKind> {
    let v = parse_decimal(s, style).ok_or_else(|| ProblemKind::BadNumber { value: s.trim().into() })?;
    if v < Decimal::ZERO || v > Decimal::ONE_HUNDRED {
        return Err(ProblemKind::OutOfRange { value: s.trim().into(), min: "0".into(), max: "100".into() });
    }
    Ok(v)
}

/// A date as `2020-07-24` (ISO) or `24/07/2020` (Italian).
pub fn parse_date(s: &str) -> Result<NaiveDate, ProblemKind> {
    let t = s.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y")).map_err(|_| ProblemKind::BadDate { value: t.into() })
}

/// Yes/no as users write it: `si`, `sì`, `no`, `true`, `false`, `1`, `0` (SPEC §3).
pub fn parse_yes_no(s: &str) -> Result<bool, ProblemKind> {
    match s.trim().to_lowercase().as_str() {
        "si" | "sì" | "true" | "1" | "yes" | "s" => Ok(true),
        "no" | "false" | "0" | "n" => Ok(false),
        other => Err(ProblemKind::NotOneOf { value: other.into(), allowed: ["si", "no"].map(String::from).to_vec() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn italian_numbers() {
        let it = NumberStyle::It;
        assert_eq!(parse_decimal("1.234,56", it), Some(dec!(1234.56)));
        assert_eq!(parse_decimal("1.000", it), Some(dec!(1000)));
        assert_eq!(parse_decimal("106.949.062,21", it), Some(dec!(106949062.21)));
        assert_eq!(parse_decimal("-0,5", it), Some(dec!(-0.5)));
        assert_eq!(parse_decimal("12,", it), None);
        assert_eq!(parse_decimal("1.23,4", it), None);
        assert_eq!(parse_decimal("abc", it), None);
    }

    #[test]
    fn english_numbers() {
        let en = NumberStyle::En;
        assert_eq!(parse_decimal("330000.00", en), Some(dec!(330000.00)));
        assert_eq!(parse_decimal("1,000.5", en), Some(dec!(1000.5)));
        assert_eq!(parse_decimal("1.000", en), Some(dec!(1.000)));
        assert_eq!(parse_decimal(".5", en), None);
    }

    #[test]
    fn detection_follows_the_spec() {
        assert_eq!(NumberStyle::detect(true, ["12.5"]), NumberStyle::It);
        assert_eq!(NumberStyle::detect(false, ["12", "1,5"]), NumberStyle::It);
        assert_eq!(NumberStyle::detect(false, ["12", "1.5", "a,b"]), NumberStyle::En);
    }

    #[test]
    fn numbers_have_a_range() {
        assert_eq!(MAX_MAGNITUDE, dec!(1_000_000_000_000_000));
        assert_eq!(parse_number("1000000000000000", NumberStyle::En), Ok(dec!(1000000000000000)));
        assert_eq!(parse_number("-1.000.000.000.000.000", NumberStyle::It), Ok(dec!(-1000000000000000)));
        assert!(matches!(parse_number("1000000000000001", NumberStyle::En), Err(ProblemKind::OutOfRange { .. })));
        assert!(matches!(parse_number("79228162514264337593543950335", NumberStyle::En), Err(ProblemKind::OutOfRange { .. })));
        assert_eq!(parse_decimal("1e3", NumberStyle::En), None);
    }

    #[test]
    fn numbers_typed_alone_are_never_ambiguous() {
        let typed = |s: &str| NumberStyle::typed(s).map(|st| parse_decimal(s, st));
        assert_eq!(typed("12.5"), Ok(Some(dec!(12.5))));
        assert_eq!(typed("0,75"), Ok(Some(dec!(0.75))));
        assert_eq!(typed("1.234,5"), Ok(Some(dec!(1234.5))));
        assert_eq!(typed("1.000.000"), Ok(Some(dec!(1000000))));
        assert_eq!(typed("1000"), Ok(Some(dec!(1000))));
        assert_eq!(typed("1.0000"), Ok(Some(dec!(1.0000))));
        assert_eq!(typed("si"), Ok(None));
        // One thousand in a file, maybe one typed alone: refused, saying how to write either.
        for s in ["1.000", "-12.345", " 100.000 "] {
            let e = NumberStyle::typed(s).expect_err("ambiguous");
            assert!(matches!(&e, ProblemKind::BadFormat { expected, .. } if expected.to_string().contains("oppure")), "{s}: {e:?}");
        }
    }

    #[test]
    fn percentages_are_0_to_100() {
        assert_eq!(parse_percent("51", NumberStyle::En), Ok(dec!(51)));
        assert!(matches!(parse_percent("101", NumberStyle::En), Err(ProblemKind::OutOfRange { .. })));
        assert!(matches!(parse_percent("x", NumberStyle::En), Err(ProblemKind::BadNumber { .. })));
    }

    #[test]
    fn dates_iso_and_italian() {
        let d = NaiveDate::from_ymd_opt(2020, 7, 24);
        assert_eq!(parse_date("2020-07-24").ok(), d);
        assert_eq!(parse_date("24/07/2020").ok(), d);
        assert!(parse_date("31/02/2020").is_err());
    }

    #[test]
    fn yes_no() {
        for y in ["si", "Sì", "true", "1"] {
            assert_eq!(parse_yes_no(y), Ok(true));
        }
        for n in ["no", "FALSE", "0"] {
            assert_eq!(parse_yes_no(n), Ok(false));
        }
        assert!(parse_yes_no("forse").is_err());
    }
}
