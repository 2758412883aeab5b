//! The business-day calendar of an ente: Italian public holidays, versioned by year, plus the
//! patron saint's day of the ente (7 December in Milan, Sant'Ambrogio). Due dates of monitoring
//! campaigns are counted on it.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// A holiday: its name and date.
pub type Holiday = (NaiveDate, &'static str);

/// Easter Sunday (Gregorian computus, anonymous algorithm).
pub fn easter(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// The national public holidays of `year`. San Francesco d'Assisi (4 October) is a national
/// holiday again from 2026 (L. 151/2025).
pub fn national_holidays(year: i32) -> Vec<Holiday> {
    let mut fixed: Vec<(u32, u32, &'static str)> = vec![
        (1, 1, "Capodanno"),
        (1, 6, "Epifania"),
        (4, 25, "Festa della Liberazione"),
        (5, 1, "Festa del Lavoro"),
        (6, 2, "Festa della Repubblica"),
        (8, 15, "Assunzione"),
        (11, 1, "Ognissanti"),
        (12, 8, "Immacolata Concezione"),
        (12, 25, "Natale"),
        (12, 26, "Santo Stefano"),
    ];
    if year >= 2026 {
        fixed.push((10, 4, "San Francesco d'Assisi"));
    }
    let mut out: Vec<Holiday> = fixed.into_iter().filter_map(|(m, d, n)| NaiveDate::from_ymd_opt(year, m, d).map(|x| (x, n))).collect();
    if let Some(e) = easter(year) {
        out.push((e, "Pasqua"));
        out.push((e + Duration::days(1), "Lunedì dell'Angelo"));
    }
    out.sort();
    out
}

/// An ente's calendar: national holidays plus its patron saint's day (month, day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    pub patron: Option<(u32, u32)>,
}

impl Calendar {
    /// Milan: Sant'Ambrogio, 7 December.
    pub const MILANO: Calendar = Calendar { patron: Some((12, 7)) };

    pub fn holidays(&self, year: i32) -> Vec<Holiday> {
        let mut h = national_holidays(year);
        if let Some(p) = self.patron.and_then(|(m, d)| NaiveDate::from_ymd_opt(year, m, d)) {
            h.push((p, "Santo patrono"));
            h.sort();
        }
        h
    }

    pub fn is_business_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays(d.year()).iter().any(|(h, _)| *h == d)
    }

    /// The `n`-th business day after `d` (`n = 0`: `d` itself if a business day, else the next).
    pub fn add_business_days(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let mut cur = d;
        while !self.is_business_day(cur) {
            cur += Duration::days(1);
        }
        let mut left = n;
        while left > 0 {
            cur += Duration::days(1);
            if self.is_business_day(cur) {
                left -= 1;
            }
        }
        cur
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn easter_dates() {
        assert_eq!(easter(2020), Some(d(2020, 4, 12)));
        assert_eq!(easter(2024), Some(d(2024, 3, 31)));
        assert_eq!(easter(2025), Some(d(2025, 4, 20)));
        assert_eq!(easter(2026), Some(d(2026, 4, 5)));
    }

    #[test]
    fn san_francesco_from_2026() {
        assert!(!national_holidays(2025).iter().any(|(h, _)| *h == d(2025, 10, 4)));
        assert!(national_holidays(2026).iter().any(|(h, n)| *h == d(2026, 10, 4) && *n == "San Francesco d'Assisi"));
        assert_eq!(national_holidays(2025).len(), 12);
        assert_eq!(national_holidays(2026).len(), 13);
    }

    #[test]
    fn milan_business_days() {
        let milano = Calendar::MILANO;
        // 7 December 2020 (Monday) is Sant'Ambrogio, 8 December the Immacolata.
        assert!(!milano.is_business_day(d(2020, 12, 7)));
        assert!(Calendar { patron: None }.is_business_day(d(2020, 12, 7)));
        // Ten business days after Friday 4 December 2020: the 7th and 8th are holidays, so the
        // count runs 9, 10, 11, 14, 15, 16, 17, 18, 21, 22.
        assert_eq!(milano.add_business_days(d(2020, 12, 4), 10), d(2020, 12, 22));
        // After 30 June 2020 (Tuesday): 15 business days → 21 July.
        assert_eq!(milano.add_business_days(d(2020, 6, 30), 15), d(2020, 7, 21));
        // 31 December 2025 is a Wednesday; 1 and 6 January are holidays: 2, 5, 7, 8, 9.
        assert_eq!(milano.add_business_days(d(2025, 12, 31), 5), d(2026, 1, 9));
        // Friday 2 October 2026, one business day: Monday 5 (the 4th is a Sunday and a holiday).
        assert_eq!(milano.add_business_days(d(2026, 10, 2), 1), d(2026, 10, 5));
        // 0 days from a Saturday: the next business day.
        assert_eq!(milano.add_business_days(d(2020, 7, 4), 0), d(2020, 7, 6));
    }
}
