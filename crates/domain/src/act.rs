//! Acts of the ente (SPEC §5): Giunta and Consiglio deliberations, determinations of the
//! Direttore Generale, the Segretario Generale or a dirigente, the Sindaco's decrees; their
//! pareri (art. 49 and 147-bis TUEL); publication on the Albo Pretorio and executivity.

use chrono::{Days, NaiveDate};

/// Organs, with the prefix of an act's code (`GC 838/2020`) and the kind of act they adopt.
pub const ORGANS: [(&str, &str, &str); 6] = [
    ("giunta", "GC", "deliberazione"),
    ("consiglio", "CC", "deliberazione"),
    ("direttore_generale", "DDG", "determinazione"),
    ("segretario_generale", "DSG", "determinazione"),
    ("dirigente", "DD", "determinazione"),
    ("sindaco", "DS", "decreto"),
];

pub const OPINIONS: [&str; 3] = ["regolarita_tecnica", "regolarita_contabile", "legittimita"];
pub const OUTCOMES: [&str; 4] = ["favorevole", "sfavorevole", "non_dovuto", "con_osservazioni"];

/// Days of publication on the Albo Pretorio (art. 124 TUEL: fifteen consecutive days).
pub const ALBO_DAYS: u64 = 15;
/// Days after the start of publication when a deliberation becomes executive (art. 134 c. 3 TUEL).
pub const EXECUTIVE_AFTER: u64 = 10;

/// The code of an act: organ prefix, number, year (`GC 838/2020`).
pub fn code(organ: &str, number: &str, adopted_on: NaiveDate) -> Option<String> {
    use chrono::Datelike;
    ORGANS.iter().find(|(o, _, _)| *o == organ).map(|(_, prefix, _)| format!("{prefix} {number}/{}", adopted_on.year()))
}

pub fn kind_of(organ: &str) -> Option<&'static str> {
    ORGANS.iter().find(|(o, _, _)| *o == organ).map(|(_, _, k)| *k)
}

/// The last day of publication, when it started on `from`.
pub fn albo_to(from: NaiveDate) -> NaiveDate {
    from.checked_add_days(Days::new(ALBO_DAYS - 1)).unwrap_or(from)
}

/// When the act takes effect: on adoption when declared immediately executable (art. 134 c. 4),
/// else ten days after publication starts; unknown while it is not published.
pub fn executive_on(adopted_on: NaiveDate, immediate: bool, albo_from: Option<NaiveDate>) -> Option<NaiveDate> {
    if immediate {
        return Some(adopted_on);
    }
    albo_from.and_then(|f| f.checked_add_days(Days::new(EXECUTIVE_AFTER)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn codes_and_kinds() {
        assert_eq!(code("giunta", "838", d("2020-07-24")).as_deref(), Some("GC 838/2020"));
        assert_eq!(code("direttore_generale", "6780", d("2023-08-04")).as_deref(), Some("DDG 6780/2023"));
        assert_eq!(kind_of("sindaco"), Some("decreto"));
        assert_eq!(code("assessore", "1", d("2020-01-01")), None);
    }

    #[test]
    fn publication_and_executivity() {
        // GC 838/2020 was declared immediately executable: in force on the day.
        assert_eq!(executive_on(d("2020-07-24"), true, None), Some(d("2020-07-24")));
        // Otherwise ten days after the Albo publication starts; fifteen days on the Albo.
        assert_eq!(executive_on(d("2020-07-24"), false, Some(d("2020-07-28"))), Some(d("2020-08-07")));
        assert_eq!(executive_on(d("2020-07-24"), false, None), None);
        assert_eq!(albo_to(d("2020-07-28")), d("2020-08-11"));
        assert_eq!(albo_to(d("2024-02-20")), d("2024-03-05"), "across a leap day");
    }
}
