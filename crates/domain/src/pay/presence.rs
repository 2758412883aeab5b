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

use super::rules::{LAW_PROTECTED, cause_code};
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

/// The days of `[first, last]` each service is in force, counting every day once: where
/// services overlap, the day belongs to the one that started last (a later move or a new role
/// supersedes the earlier post; on the same start, the later in the list). So the days of a
/// person's posts never add up to more than the year, whatever pools they are paid from.
pub fn days_in_force(services: &[Service], first: NaiveDate, last: NaiveDate) -> Vec<i64> {
    let clipped: Vec<Option<(NaiveDate, NaiveDate)>> = services
        .iter()
        .map(|s| {
            let (from, to) = (s.starts.max(first), s.ends.unwrap_or(last).min(last));
            (from <= to).then_some((from, to))
        })
        .collect();
    // Elementary intervals between every start and every day after an end.
    let mut cuts: Vec<NaiveDate> = clipped.iter().flatten().flat_map(|(f, t)| [*f, t.succ_opt().unwrap_or(*t)]).collect();
    cuts.sort();
    cuts.dedup();
    let mut days = vec![0i64; services.len()];
    for w in cuts.windows(2) {
        let (from, next) = (w[0], w[1]);
        let in_force = clipped
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_some_and(|(f, t)| f <= from && from <= t))
            .max_by_key(|(i, _)| (services[*i].starts, *i))
            .map(|(i, _)| i);
        if let Some(i) = in_force {
            days[i] += (next - from).num_days();
        }
    }
    days
}

/// Days in force of one post, with its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Served {
    pub days: i64,
    pub part_time: PartTime,
}

/// The presence of one person in a pool's days (`served`, from [`days_in_force`]) over a year
/// of `days_in_year`. `absences` are those of the pool's days (the caller apportions a year's
/// absences between pools by days). `reducing` holds the cause codes that reduce presence;
/// `protected` those that never do (they win if a code is in both). Codes are compared
/// without regard to case, and maternity, paternity and parental leave ([`LAW_PROTECTED`])
/// never reduce presence, whatever the lists say.
pub fn presence(served: &[Served], absences: &[Absence], days_in_year: Decimal, reducing: &[String], protected: &[String]) -> Presence {
    let mut calendar_days = 0;
    let mut service_days = Decimal::ZERO;
    // The part-time of the longest post weighs the absences.
    let mut longest: Option<(i64, PartTime)> = None;
    for s in served {
        calendar_days += s.days;
        service_days += Decimal::from(s.days) * s.part_time.percent / Decimal::ONE_HUNDRED;
        if s.days > 0 && longest.is_none_or(|(l, _)| s.days > l) {
            longest = Some((s.days, s.part_time));
        }
    }
    let absence_weight = match longest {
        Some((_, pt)) if pt.kind != PartTimeKind::Verticale => pt.percent / Decimal::ONE_HUNDRED,
        _ => Decimal::ONE,
    };
    let mut reduced_days = Decimal::ZERO;
    let mut kept_days = Decimal::ZERO;
    for a in absences {
        let cause = cause_code(&a.cause);
        let listed = |codes: &[String]| codes.iter().any(|c| cause_code(c) == cause);
        if listed(reducing) && !listed(protected) && !LAW_PROTECTED.contains(&cause.as_str()) {
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
    fn served(s: &[Service], f: NaiveDate, l: NaiveDate) -> Vec<Served> {
        days_in_force(s, f, l).into_iter().zip(s).map(|(days, s)| Served { days, part_time: s.part_time }).collect()
    }

    #[test]
    fn a_day_is_in_force_once() {
        let (f, l) = year(2021);
        // A dipendente until 31/07 who becomes a dirigente from 01/08, the first post left
        // open by mistake: 212 + 153 days, never 365 + 153.
        let staff = Service { starts: d(2015, 1, 1), ends: None, part_time: PartTime::FULL };
        let manager = Service { starts: d(2021, 8, 1), ends: None, part_time: PartTime::FULL };
        assert_eq!(days_in_force(&[staff, manager], f, l), [212, 153]);
        assert_eq!(days_in_force(&[Service { ends: Some(d(2021, 7, 31)), ..staff }, manager], f, l), [212, 153]);
        // A post inside another: the inner one holds its days, the outer one the rest.
        let inner = Service { starts: d(2021, 3, 1), ends: Some(d(2021, 3, 31)), part_time: PartTime::FULL };
        assert_eq!(days_in_force(&[staff, inner], f, l), [334, 31]);
        // Outside the year, nothing.
        assert_eq!(days_in_force(&[Service { starts: d(2022, 1, 1), ..staff }], f, l), [0]);
    }

    #[test]
    fn a_whole_leap_year_is_one() {
        let (f, l) = year(2020);
        let s = Service { starts: d(2015, 3, 1), ends: None, part_time: PartTime::FULL };
        let p = presence(&served(&[s], f, l), &[], dec!(366), &[], &[]);
        assert_eq!((p.calendar_days, p.fraction), (366, dec!(1)));
        // With 365 as the denominator the 366 days are capped at 1.
        assert_eq!(presence(&served(&[s], f, l), &[], dec!(365), &[], &[]).fraction, dec!(1));
    }

    #[test]
    fn moves_and_absences() {
        let (f, l) = year(2021);
        // Hired 1/07/2021: 184 days; 10 days of unpaid leave (cause 'ASP') reduce, 30 of
        // maternity ('MAT') never do, even if the CCDI table lists it by mistake.
        let s = Service { starts: d(2021, 7, 1), ends: None, part_time: PartTime::FULL };
        let abs = [Absence { cause: "ASP".into(), days: dec!(10) }, Absence { cause: "MAT".into(), days: dec!(30) }];
        let p = presence(&served(&[s], f, l), &abs, dec!(365), &codes(&["ASP", "MAT"]), &codes(&["MAT"]));
        assert_eq!((p.calendar_days, p.reduced_days, p.kept_days), (184, dec!(10), dec!(30)));
        assert_eq!(p.fraction, dec!(174) / dec!(365));
    }

    #[test]
    fn protected_leave_never_reduces_whatever_the_lists_or_the_case() {
        let (f, l) = year(2021);
        let s = Service { starts: d(2021, 1, 1), ends: None, part_time: PartTime::FULL };
        // 'mat' written in lower case in the absences, listed as reducing and not protected:
        // still protected by law. 'asp' and 'ASP' are the same cause.
        let abs = [Absence { cause: "mat".into(), days: dec!(30) }, Absence { cause: "asp".into(), days: dec!(5) }];
        let p = presence(&served(&[s], f, l), &abs, dec!(365), &codes(&["MAT", "ASP"]), &[]);
        assert_eq!((p.reduced_days, p.kept_days), (dec!(5), dec!(30)));
        assert_eq!(p.fraction, dec!(360) / dec!(365));
    }

    #[test]
    fn part_time_counts_once() {
        let (f, l) = year(2021);
        let abs = [Absence { cause: "ASP".into(), days: dec!(20) }];
        let reducing = codes(&["ASP"]);
        // Horizontal 50%: (365 − 20) × 50% = 172,5 days.
        let h = Service { starts: d(2021, 1, 1), ends: None, part_time: pt(dec!(50), PartTimeKind::Orizzontale) };
        assert_eq!(presence(&served(&[h], f, l), &abs, dec!(365), &reducing, &[]).fraction, dec!(172.5) / dec!(365));
        // Vertical 50%: 182,5 days of schedule, the 20 absent days are days of the schedule.
        let v = Service { part_time: pt(dec!(50), PartTimeKind::Verticale), ..h };
        let p = presence(&served(&[v], f, l), &abs, dec!(365), &reducing, &[]);
        assert_eq!((p.service_days, p.reduced_days), (dec!(182.5), dec!(20)));
        assert_eq!(p.fraction, dec!(162.5) / dec!(365));
        // Without absences both are one half, never one quarter.
        assert_eq!(presence(&served(&[v], f, l), &[], dec!(365), &[], &[]).fraction, dec!(0.5));
    }

    #[test]
    fn nobody_in_service_is_zero() {
        let (f, l) = year(2021);
        let s = Service { starts: d(2022, 1, 1), ends: None, part_time: PartTime::FULL };
        assert_eq!(presence(&served(&[s], f, l), &[], dec!(365), &[], &[]).fraction, dec!(0));
        let abs = [Absence { cause: "ASP".into(), days: dec!(400) }];
        let s = Service { starts: d(2021, 1, 1), ends: None, part_time: PartTime::FULL };
        assert_eq!(presence(&served(&[s], f, l), &abs, dec!(365), &codes(&["ASP"]), &[]).fraction, dec!(0));
    }

    proptest::proptest! {
        /// However posts overlap, a person's days in force add up to at most the year, and to
        /// exactly the days covered by at least one post.
        #[test]
        fn days_never_add_up_to_more_than_the_year(posts in proptest::collection::vec((0i64..500, proptest::option::of(0i64..500)), 1..6)) {
            let (f, l) = year(2024);
            let base = d(2023, 10, 1);
            let services: Vec<Service> = posts
                .iter()
                .map(|(s, e)| {
                    let starts = base + chrono::Days::new(*s as u64);
                    Service { starts, ends: e.map(|e| starts + chrono::Days::new(e as u64)), part_time: PartTime::FULL }
                })
                .collect();
            let days = days_in_force(&services, f, l);
            let total: i64 = days.iter().sum();
            proptest::prop_assert!(total <= 366);
            let covered = (0..366).filter(|k| {
                let day = f + chrono::Days::new(*k as u64);
                services.iter().any(|s| s.starts <= day && s.ends.is_none_or(|e| day <= e))
            }).count() as i64;
            proptest::prop_assert_eq!(total, covered);
            for (s, d) in services.iter().zip(&days) {
                proptest::prop_assert!(*d <= days_within(s, f, l));
            }
        }
    }
}
