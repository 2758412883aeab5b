//! Acts of the ente (SPEC §5): Giunta and Consiglio deliberations, determinations of the
//! Direttore Generale, the Segretario Generale or a dirigente, the Sindaco's decrees; their
//! pareri (art. 49 and 147-bis TUEL); publication on the Albo Pretorio and executivity.

use crate::said;
use crate::said::Said;
use chrono::{Days, NaiveDate};
use serde::Serialize;

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
/// Art. 134 c.3 TUEL: a deliberation not declared immediately executable becomes executive
/// "dopo il decimo giorno dalla pubblicazione". The ten days are counted from the day after the
/// first day of publication (the first day is not counted), so the act is executive on the
/// eleventh day after publication starts: published from 28/07, the ten days are 29/07–07/08
/// and it is executive from 08/08.
pub const EXECUTIVE_AFTER: u64 = 10;

/// The code of an act: organ prefix, number, year (`GC 838/2020`).
pub fn code(organ: &str, number: &str, adopted_on: NaiveDate) -> Option<String> {
    use chrono::Datelike;
    ORGANS.iter().find(|(o, _, _)| *o == organ).map(|(_, prefix, _)| format!("{prefix} {number}/{}", adopted_on.year()))
}

/// An act as the premesse of a deliberation cite it: `deliberazione di Giunta Comunale n. 838
/// del 24/07/2020`.
pub fn citation(organ: &str, number: &str, adopted_on: NaiveDate) -> String {
    let of = match organ {
        "giunta" => "di Giunta Comunale",
        "consiglio" => "di Consiglio Comunale",
        "direttore_generale" => "del Direttore Generale",
        "segretario_generale" => "del Segretario Generale",
        "sindaco" => "del Sindaco",
        _ => "dirigenziale",
    };
    format!("{} {of} n. {number} del {}", kind_of(organ).unwrap_or("atto"), adopted_on.format("%d/%m/%Y"))
}

pub fn kind_of(organ: &str) -> Option<&'static str> {
    ORGANS.iter().find(|(o, _, _)| *o == organ).map(|(_, _, k)| *k)
}

/// The last day of publication, when it started on `from`.
pub fn albo_to(from: NaiveDate) -> NaiveDate {
    from.checked_add_days(Days::new(ALBO_DAYS - 1)).unwrap_or(from)
}

/// When the act takes effect: on adoption when declared immediately executable (art. 134 c. 4),
/// else the day after the tenth day of publication, the first day not counted
/// ([`EXECUTIVE_AFTER`]); unknown while it is not published.
pub fn executive_on(adopted_on: NaiveDate, immediate: bool, albo_from: Option<NaiveDate>) -> Option<NaiveDate> {
    if immediate {
        return Some(adopted_on);
    }
    albo_from.and_then(|f| f.checked_add_days(Days::new(EXECUTIVE_AFTER + 1)))
}

/// What a step of the cycle asks of the act it cites (SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The Piano degli Obiettivi: a Giunta deliberation; when only details of the I-level
    /// objectives move (objectives below the top level), a determination of the Direttore
    /// Generale serves too. Adopted in the cycle's year or the year before, and executive.
    ApprovePlan { details_only: bool },
    /// The Relazione sulla Performance: a Giunta deliberation adopted after the end of the
    /// cycle's year.
    ApproveRelazione,
}

/// The facts of a registered act that decide whether it may dispose a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActFacts<'a> {
    pub code: &'a str,
    pub organ: &'a str,
    pub adopted_on: NaiveDate,
    pub executive_on: Option<NaiveDate>,
}

/// Why `act` cannot dispose `purpose` in the cycle of `year` on `today`, or `None` when it can.
pub fn unfit(purpose: Purpose, act: ActFacts<'_>, year: i32, today: NaiveDate) -> Option<Said> {
    use chrono::Datelike;
    let day = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    let code = act.code;
    match purpose {
        Purpose::ApprovePlan { details_only } => {
            let organs: &[&str] = if details_only { &["giunta", "direttore_generale"] } else { &["giunta"] };
            if !organs.contains(&act.organ) {
                return Some(if details_only {
                    said!(
                        "l'atto {code} non approva il Piano degli Obiettivi: serve una deliberazione della Giunta o una determinazione del Direttore Generale",
                        code
                    )
                } else {
                    said!(
                        "l'atto {code} non approva il Piano degli Obiettivi: serve una deliberazione della Giunta (la determinazione del Direttore Generale approva solo il dettaglio degli obiettivi di I livello)",
                        code
                    )
                });
            }
            let adopted = act.adopted_on.year();
            if adopted != year && adopted != year - 1 {
                return Some(said!(
                    "l'atto {code} è del {adopted}: il Piano {year} si approva con un atto del {previous} o del {year}",
                    code,
                    adopted,
                    year,
                    previous = year - 1
                ));
            }
            match act.executive_on {
                None => {
                    Some(said!("l'atto {code} non è ancora esecutivo: registrarne la pubblicazione all'Albo o l'immediata eseguibilità (art. 134 TUEL)", code))
                }
                Some(e) if e > today => Some(said!("l'atto {code} sarà esecutivo dal {day} (art. 134 c.3 TUEL)", code, day = day(e))),
                Some(_) => None,
            }
        }
        Purpose::ApproveRelazione => {
            if act.organ != "giunta" {
                return Some(said!("l'atto {code} non approva la Relazione sulla Performance: serve una deliberazione della Giunta", code));
            }
            let year_end = NaiveDate::from_ymd_opt(year, 12, 31)?;
            (act.adopted_on <= year_end).then(|| {
                said!(
                    "l'atto {code} è del {day}: la Relazione {year} si approva con una deliberazione adottata dopo la fine dell'anno",
                    code,
                    day = day(act.adopted_on),
                    year
                )
            })
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Act {
    pub id: String,
    pub code: String,
    pub organ: String,
    pub kind: String,
    pub number: String,
    pub adopted_on: NaiveDate,
    pub proposal: Option<String>,
    pub subject: String,
    pub immediate: bool,
    pub albo_from: Option<NaiveDate>,
    pub albo_to: Option<NaiveDate>,
    pub executive_on: Option<NaiveDate>,
    pub opinions: Vec<Opinion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Opinion {
    pub kind: String,
    pub outcome: String,
    pub given_by: String,
    pub given_on: Option<NaiveDate>,
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
        assert_eq!(citation("giunta", "838", d("2020-07-24")), "deliberazione di Giunta Comunale n. 838 del 24/07/2020");
        assert_eq!(citation("direttore_generale", "6780", d("2023-08-04")), "determinazione del Direttore Generale n. 6780 del 04/08/2023");
        assert_eq!(code("assessore", "1", d("2020-01-01")), None);
    }

    #[test]
    fn publication_and_executivity() {
        // GC 838/2020 was declared immediately executable: in force on the day.
        assert_eq!(executive_on(d("2020-07-24"), true, None), Some(d("2020-07-24")));
        // Fifteen days on the Albo.
        // Otherwise the day after the tenth day of publication, the first day not counted:
        // published from 28/07, the ten days are 29/07–07/08, executive from 08/08.
        assert_eq!(executive_on(d("2020-07-24"), false, Some(d("2020-07-28"))), Some(d("2020-08-08")));
        assert_eq!(executive_on(d("2020-07-24"), false, None), None);
        assert_eq!(albo_to(d("2020-07-28")), d("2020-08-11"));
        assert_eq!(albo_to(d("2024-02-20")), d("2024-03-05"), "across a leap day");
    }

    #[test]
    fn the_right_act_for_each_step() {
        let act = |code: &'static str, organ: &'static str, adopted: &str, exec: Option<&str>| ActFacts {
            code,
            organ,
            adopted_on: d(adopted),
            executive_on: exec.map(d),
        };
        let today = d("2020-09-01");
        let plan = Purpose::ApprovePlan { details_only: false };
        let details = Purpose::ApprovePlan { details_only: true };
        let gc838 = act("GC 838/2020", "giunta", "2020-07-24", Some("2020-07-24"));
        assert_eq!(unfit(plan, gc838, 2020, today), None);
        assert_eq!(unfit(plan, gc838, 2021, today), None, "the year before");
        assert!(unfit(plan, gc838, 2022, today).is_some_and(|m| m.to_string().contains("è del 2020")));
        let ddg = act("DDG 5/2020", "direttore_generale", "2020-09-30", Some("2020-09-30"));
        assert!(unfit(plan, ddg, 2020, d("2020-10-01")).is_some_and(|m| m.to_string().contains("serve una deliberazione della Giunta")));
        assert_eq!(unfit(details, ddg, 2020, d("2020-10-01")), None);
        let dd = act("DD 12/2020", "dirigente", "2020-03-01", Some("2020-03-01"));
        assert!(unfit(details, dd, 2020, today).is_some());
        let pending = act("GC 900/2020", "giunta", "2020-08-20", Some("2020-09-04"));
        assert!(unfit(plan, pending, 2020, today).is_some_and(|m| m.to_string().contains("sarà esecutivo dal 04/09/2020")));
        assert!(unfit(plan, act("GC 901/2020", "giunta", "2020-08-20", None), 2020, today).is_some_and(|m| m.to_string().contains("non è ancora esecutivo")));
        // The Relazione: a Giunta deliberation adopted after the end of the year.
        let rel = Purpose::ApproveRelazione;
        assert!(unfit(rel, gc838, 2020, today).is_some_and(|m| m.to_string().contains("dopo la fine dell'anno")));
        assert_eq!(unfit(rel, act("GC 1/2021", "giunta", "2021-06-10", Some("2021-06-10")), 2020, today), None);
        assert!(unfit(rel, act("DDG 1/2021", "direttore_generale", "2021-06-10", None), 2020, today).is_some());
    }
}
