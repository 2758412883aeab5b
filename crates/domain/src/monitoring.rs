//! Monitoring periods: the period ends a KPI's periodicity asks for in a year, and the due date
//! of each on the ente's business-day calendar.

use chrono::{Datelike, NaiveDate};

use crate::calendar::Calendar;

/// Business days after a period's end by which its values are due (the ente may change it).
pub const DEFAULT_DUE_DAYS: u32 = 15;

/// The period ends of `year` for a periodicity (`annuale`, `semestrale`, `trimestrale`, `mensile`).
pub fn period_ends(periodicity: &str, year: i32) -> Vec<NaiveDate> {
    let months: Vec<u32> = match periodicity {
        "mensile" => (1..=12).collect(),
        "trimestrale" => vec![3, 6, 9, 12],
        "semestrale" => vec![6, 12],
        _ => vec![12],
    };
    months.into_iter().filter_map(|m| last_day(year, m)).collect()
}

fn last_day(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).filter(|d| d.year() == year)
}

/// The due date of a period's values.
pub fn due_date(calendar: &Calendar, period_end: NaiveDate, due_days: u32) -> NaiveDate {
    calendar.add_business_days(period_end, due_days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn periods() {
        assert_eq!(period_ends("trimestrale", 2020), [d(2020, 3, 31), d(2020, 6, 30), d(2020, 9, 30), d(2020, 12, 31)]);
        assert_eq!(period_ends("semestrale", 2021), [d(2021, 6, 30), d(2021, 12, 31)]);
        assert_eq!(period_ends("annuale", 2021), [d(2021, 12, 31)]);
        assert_eq!(period_ends("mensile", 2020)[1], d(2020, 2, 29));
        assert_eq!(period_ends("mensile", 2021).len(), 12);
    }

    #[test]
    fn due_dates_in_milan() {
        // 15 business days after 30/06/2020: 21/07/2020. After Thursday 31/12/2020: 1 and 6
        // January are holidays, so the 15th business day is Monday 25/01/2021.
        assert_eq!(due_date(&Calendar::MILANO, d(2020, 6, 30), DEFAULT_DUE_DAYS), d(2020, 7, 21));
        assert_eq!(due_date(&Calendar::MILANO, d(2020, 12, 31), DEFAULT_DUE_DAYS), d(2021, 1, 25));
    }
}
