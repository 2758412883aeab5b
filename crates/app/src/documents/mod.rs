//! Documents and publications of each cycle: the Piano degli Obiettivi, the Relazione sulla
//! Performance and the draft deliberations approving them (their data, their tables and their
//! blocks of text; `crates/pdf` typesets them), and what Amministrazione trasparente publishes.

pub mod delibera;
pub mod monitoraggio;
pub mod niv;
pub mod opendata;
pub mod piano;
pub mod relazione;
pub mod scheda;
pub mod testo;
pub mod transparency;

use chrono::NaiveDate;
use traguardi_domain::plan::round::it;
use traguardi_domain::plan::score::Outcome;

/// The last day of `year`: the date of a document of the year that no act has dated.
fn year_end(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default()
}

/// A day as the documents print it: `24/07/2020`.
fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A score as the documents print it: `82,86%`, `non valutabile`, `in attesa di dati`.
fn shown(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Score(v) => format!("{}%", it(*v)),
        Outcome::NotAssessable(_) => "non valutabile".into(),
        Outcome::NoData => "in attesa di dati".into(),
    }
}
