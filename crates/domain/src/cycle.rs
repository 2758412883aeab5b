//! The cycle: one year inside a rolling triennium, with its calendar.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ProblemKind;

pub const MIN_YEAR: i32 = 2000;
pub const MAX_YEAR: i32 = 2100;

/// The year of a cycle, checked to be plausible.
pub fn parse_year(s: &str) -> Result<i32, ProblemKind> {
    let t = s.trim();
    let y: i32 = t.parse().map_err(|_| ProblemKind::BadFormat { value: t.into(), expected: crate::said!("anno di 4 cifre") })?;
    check_year(y)
}

pub fn check_year(y: i32) -> Result<i32, ProblemKind> {
    if (MIN_YEAR..=MAX_YEAR).contains(&y) {
        Ok(y)
    } else {
        Err(ProblemKind::OutOfRange { value: y.to_string(), min: MIN_YEAR.to_string(), max: MAX_YEAR.to_string() })
    }
}

pub use crate::ids::CycleId;

/// A cycle: one year of an ente, with its calendar.
#[derive(Debug, Clone, Serialize)]
pub struct Cycle {
    pub id: CycleId,
    pub calendar: CycleCalendar,
}

impl Cycle {
    pub fn year(&self) -> i32 {
        self.calendar.year
    }
}

/// A cycle's calendar. Legal dates are configuration, not constants: each ente may move them
/// (e.g. the PIAO is due 30 days after a deferred budget deadline, DM 132/2022 art. 8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CycleCalendar {
    pub year: i32,
    /// First and last year of the triennium (e.g. 2020–2022).
    pub triennium_from: i32,
    pub triennium_to: i32,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    /// Deadline for adopting the PIAO / Piano degli Obiettivi.
    pub piao_due: NaiveDate,
    /// Deadline for the Relazione sulla Performance.
    pub relazione_due: NaiveDate,
}

impl CycleCalendar {
    /// The default calendar: the calendar year, triennium starting with it, PIAO by
    /// 31 January, Relazione by 30 June of the following year.
    pub fn default_for(year: i32) -> CycleCalendar {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN);
        CycleCalendar {
            year,
            triennium_from: year,
            triennium_to: year + 2,
            starts: d(year, 1, 1),
            ends: d(year, 12, 31),
            piao_due: d(year, 1, 31),
            relazione_due: d(year + 1, 6, 30),
        }
    }

    /// Days in the cycle's year: 366 in leap years (SPEC §4: leap years use the cycle's day count).
    pub fn days(&self) -> i64 {
        (self.ends - self.starts).num_days() + 1
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.starts <= d && d <= self.ends
    }

    /// Whether a plan adopted on `adopted` was late.
    pub fn piao_late(&self, adopted: NaiveDate) -> bool {
        adopted > self.piao_due
    }

    pub fn label(&self) -> String {
        format!("{} ({}–{})", self.year, self.triennium_from, self.triennium_to)
    }
}

/// The Italian date format used in documents and pages: `24/07/2020`.
pub fn format_date_it(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Closed {
    pub cycle_id: CycleId,
    pub closed_at: String,
    pub closed_by: String,
    /// SHA-256 of `snapshot`, hex.
    pub content_hash: String,
    /// The canonical JSON of everything frozen.
    pub snapshot: String,
    pub forced: bool,
    pub reason: Option<String>,
    /// The ente's audit chain head at the close: (sequence number, hash) of its last record.
    pub audit_head: Option<(i64, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_calendar() {
        let c = CycleCalendar::default_for(2020);
        assert_eq!(c.days(), 366);
        assert_eq!(CycleCalendar::default_for(2021).days(), 365);
        assert_eq!(c.label(), "2020 (2020–2022)");
        // Milan approved its Piano degli Obiettivi 2020 on 24/07/2020 (GC 838): late against 31 January.
        assert!(c.piao_late(NaiveDate::from_ymd_opt(2020, 7, 24).unwrap_or_default()));
        assert_eq!(format_date_it(c.relazione_due), "30/06/2021");
    }

    #[test]
    fn years_are_checked() {
        assert_eq!(parse_year("2020"), Ok(2020));
        assert!(parse_year("20").is_err());
        assert!(parse_year("1999").is_err());
    }
}
