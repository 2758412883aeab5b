//! Presence in the year (SPEC §4), the factor every premium is multiplied by.
//!
//! - Service days: the days of each assignment inside the year, times its part-time %. For a
//!   horizontal or mixed part-time the % is the share of each day; for a vertical part-time it
//!   turns calendar days into the days of the schedule. Either way it is applied once.
//! - Absences that reduce presence (a table per CCDI, by payroll cause code) are subtracted.
//!   For horizontal or mixed part-time an absent day weighs the part-time %; for a vertical
//!   part-time absences are already counted in days of the schedule, so they weigh 1 (never
//!   both). Maternity, paternity and parental leave never reduce presence (art. 9 c.3 D.Lgs
//!   150/2009): their causes are listed apart and cannot be in the reducing table.
//! - Presence = (service days − reducing absence days) / days of the year, between 0 and 1.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::people::{PartTime, PartTimeKind};

/// One assignment's dates (inclusive; `None` = open) and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    pub starts: NaiveDate,
    pub ends: Option<NaiveDate>,
    pub part_time: PartTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Absence {
    pub cause: String,
    pub days: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Presence {
    /// Calendar days in service inside the year.
    pub calendar_days: i64,
    /// Days in service weighted by part-time.
    pub service_days: Decimal,
    /// Absence days that reduce presence, weighted as above.
    pub reduced_days: Decimal,
    /// Absence days that do not (protected or not in the table).
    pub kept_days: Decimal,
    pub days_in_year: Decimal,
    /// Between 0 and 1.
    pub fraction: Decimal,
}

/// Calendar days of `s` inside `[first, last]`.
pub fn days_within(s: &Service, first: NaiveDate, last: NaiveDate) -> i64 {
    let from = s.starts.max(first);
    let to = s.ends.unwrap_or(last).min(last);
    if to < from { 0 } else { (to - from).num_days() + 1 }
}

/// The presence of one person in the year `[first, last]`. `reducing` holds the cause codes
/// that reduce presence; `protected` those that never do (they win if a code is in both).
pub fn presence(
    services: &[Service],
    absences: &[Absence],
    first: NaiveDate,
    last: NaiveDate,
    days_in_year: Decimal,
    reducing: &[String],
    protected: &[String],
) -> Presence {
    let mut calendar_days = 0;
    let mut service_days = Decimal::ZERO;
    // The part-time of the longest assignment weighs the absences.
    let mut longest: Option<(i64, PartTime)> = None;
    for s in services {
        let d = days_within(s, first, last);
        calendar_days += d;
        service_days += Decimal::from(d) * s.part_time.percent / Decimal::ONE_HUNDRED;
        if d > 0 && longest.is_none_or(|(l, _)| d > l) {
            longest = Some((d, s.part_time));
        }
    }
    let absence_weight = match longest {
        Some((_, pt)) if pt.kind != PartTimeKind::Verticale => pt.percent / Decimal::ONE_HUNDRED,
        _ => Decimal::ONE,
    };
    let mut reduced_days = Decimal::ZERO;
    let mut kept_days = Decimal::ZERO;
    for a in absences {
        let cause = a.cause.trim();
        if reducing.iter().any(|c| c == cause) && !protected.iter().any(|c| c == cause) {
            reduced_days += a.days * absence_weight;
        } else {
            kept_days += a.days;
        }
    }
    let fraction =
        if days_in_year <= Decimal::ZERO { Decimal::ZERO } else { ((service_days - reduced_days) / days_in_year).clamp(Decimal::ZERO, Decimal::ONE) };
    Presence { calendar_days, service_days, reduced_days, kept_days, days_in_year, fraction }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }
    fn year(y: i32) -> (NaiveDate, NaiveDate) {
        (d(y, 1, 1), d(y, 12, 31))
    }
    fn pt(p: Decimal, k: PartTimeKind) -> PartTime {
        PartTime::new(p, Some(k)).unwrap_or(PartTime::FULL)
    }
    fn codes(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_whole_leap_year_is_one() {
        let (f, l) = year(2020);
        let s = Service { starts: d(2015, 3, 1), ends: None, part_time: PartTime::FULL };
        let p = presence(&[s], &[], f, l, dec!(366), &[], &[]);
        assert_eq!((p.calendar_days, p.fraction), (366, dec!(1)));
        // With 365 as the denominator the 366 days are capped at 1.
        assert_eq!(presence(&[s], &[], f, l, dec!(365), &[], &[]).fraction, dec!(1));
    }

    #[test]
    fn moves_and_absences() {
        let (f, l) = year(2021);
        // Hired 1/07/2021: 184 days; 10 days of unpaid leave (cause 'ASP') reduce, 30 of
        // maternity ('MAT') never do, even if the CCDI table lists it by mistake.
        let s = Service { starts: d(2021, 7, 1), ends: None, part_time: PartTime::FULL };
        let abs = [Absence { cause: "ASP".into(), days: dec!(10) }, Absence { cause: "MAT".into(), days: dec!(30) }];
        let p = presence(&[s], &abs, f, l, dec!(365), &codes(&["ASP", "MAT"]), &codes(&["MAT"]));
        assert_eq!((p.calendar_days, p.reduced_days, p.kept_days), (184, dec!(10), dec!(30)));
        assert_eq!(p.fraction, dec!(174) / dec!(365));
    }

    #[test]
    fn part_time_counts_once() {
        let (f, l) = year(2021);
        let abs = [Absence { cause: "ASP".into(), days: dec!(20) }];
        let reducing = codes(&["ASP"]);
        // Horizontal 50%: (365 − 20) × 50% = 172,5 days.
        let h = Service { starts: d(2021, 1, 1), ends: None, part_time: pt(dec!(50), PartTimeKind::Orizzontale) };
        assert_eq!(presence(&[h], &abs, f, l, dec!(365), &reducing, &[]).fraction, dec!(172.5) / dec!(365));
        // Vertical 50%: 182,5 days of schedule, the 20 absent days are days of the schedule.
        let v = Service { part_time: pt(dec!(50), PartTimeKind::Verticale), ..h };
        let p = presence(&[v], &abs, f, l, dec!(365), &reducing, &[]);
        assert_eq!((p.service_days, p.reduced_days), (dec!(182.5), dec!(20)));
        assert_eq!(p.fraction, dec!(162.5) / dec!(365));
        // Without absences both are one half, never one quarter.
        assert_eq!(presence(&[v], &[], f, l, dec!(365), &[], &[]).fraction, dec!(0.5));
    }

    #[test]
    fn nobody_in_service_is_zero() {
        let (f, l) = year(2021);
        let s = Service { starts: d(2022, 1, 1), ends: None, part_time: PartTime::FULL };
        assert_eq!(presence(&[s], &[], f, l, dec!(365), &[], &[]).fraction, dec!(0));
        let abs = [Absence { cause: "ASP".into(), days: dec!(400) }];
        let s = Service { starts: d(2021, 1, 1), ends: None, part_time: PartTime::FULL };
        assert_eq!(presence(&[s], &abs, f, l, dec!(365), &codes(&["ASP"]), &[]).fraction, dec!(0));
    }
}
