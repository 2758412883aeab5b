//! What can be wrong with a value a user gave us, and where it is.
//!
//! Every import and form reports *all* its problems at once, each with the row
//! (the line of the file, header = 1) and the column it concerns, so that the
//! user can fix the file in one pass. Messages exist in Italian and English.

use crate::Lang;
use std::fmt;

/// Where a problem is and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line of the file (the header is line 1); `None` for the whole file.
    pub row: Option<usize>,
    /// Column name as written in the header, when the problem concerns one cell.
    pub column: Option<String>,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// The file is empty or has only a header.
    EmptyFile,
    /// The file is larger than the limit, in bytes.
    TooLarge {
        limit: usize,
    },
    /// The bytes are neither UTF-8 nor Latin-1 text.
    Encoding {
        detail: String,
    },
    /// A syntax error of CSV (an unclosed quote) or of the XLSX container.
    Malformed {
        detail: String,
    },
    /// A required column is absent from the header.
    MissingColumn,
    /// A column appears twice in the header.
    DuplicateColumn,
    /// A row has fewer fields than the header.
    TruncatedRow {
        expected: usize,
        found: usize,
    },
    /// A row has more fields than the header.
    ExtraFields {
        expected: usize,
        found: usize,
    },
    /// A required cell is empty.
    Required,
    /// A value that is not one of a closed list.
    NotOneOf {
        value: String,
        allowed: Vec<String>,
    },
    /// A value that does not have the expected shape (e.g. an ISTAT code of 6 digits).
    BadFormat {
        value: String,
        expected: crate::said::Said,
    },
    BadDate {
        value: String,
    },
    BadNumber {
        value: String,
    },
    OutOfRange {
        value: String,
        min: String,
        max: String,
    },
    /// The same key appears on two rows.
    Duplicate {
        value: String,
        first_row: usize,
    },
    /// A parent code that is neither in the file nor already stored.
    UnknownParent {
        value: String,
    },
    /// A code already held by another stored thing (e.g. a CdR by another unit).
    TakenBy {
        value: String,
        owner: String,
    },
    /// Parents that lead back to the unit itself.
    TreeCycle {
        path: Vec<String>,
    },
    /// A formula that does not parse.
    BadFormula {
        formula: String,
        detail: String,
    },
    /// Computed KPIs whose formulas read each other round in a circle.
    CircularFormulas {
        path: Vec<String>,
    },
    /// An org unit code unknown in this ente and cycle.
    UnknownUnit {
        value: String,
    },
    /// A person code (matricola) unknown in this ente.
    UnknownPerson {
        value: String,
    },
    /// A date range that ends before it starts.
    EndBeforeStart {
        start: String,
        end: String,
    },
    /// An assignment that does not touch the cycle's year.
    OutsideCycle {
        year: i32,
    },
    /// A contract category used on a day it did not exist.
    CategoryNotValid {
        category: String,
        valid: String,
        hint: String,
    },
    /// Two assignments of one person overlap and neither is an interim.
    Overlaps {
        other_row: usize,
    },
    /// Two rows describing the same thing disagree on one of its fields.
    Disagrees {
        value: String,
        other: String,
        other_row: usize,
    },
}

impl Problem {
    pub fn file(kind: ProblemKind) -> Problem {
        Problem { row: None, column: None, kind }
    }
    pub fn row(row: usize, kind: ProblemKind) -> Problem {
        Problem { row: Some(row), column: None, kind }
    }
    /// A problem of a named setting or column as a whole, on no particular row.
    pub fn column(column: &str, kind: ProblemKind) -> Problem {
        Problem { row: None, column: Some(column.to_string()), kind }
    }
    pub fn cell(row: usize, column: &str, kind: ProblemKind) -> Problem {
        Problem { row: Some(row), column: Some(column.to_string()), kind }
    }

    /// One line: where, then what.
    pub fn describe(&self, lang: Lang) -> String {
        let place = match (&self.row, &self.column) {
            (Some(r), Some(c)) => format!("{} {r}, {} «{c}»: ", lang.pick("riga", "row"), lang.pick("colonna", "column")),
            (Some(r), None) => format!("{} {r}: ", lang.pick("riga", "row")),
            (None, Some(c)) => format!("{} «{c}»: ", lang.pick("colonna", "column")),
            (None, None) => String::new(),
        };
        format!("{place}{}", self.kind.describe(lang))
    }
}

impl ProblemKind {
    pub fn describe(&self, lang: Lang) -> String {
        use ProblemKind::*;
        let it = lang == Lang::It;
        match self {
            EmptyFile => lang.pick("il file non contiene righe di dati", "the file holds no data rows").into(),
            TooLarge { limit } => {
                let mb = limit / (1024 * 1024);
                if it { format!("il file supera il limite di {mb} MB") } else { format!("the file exceeds the {mb} MB limit") }
            }
            Encoding { detail } => {
                if it {
                    format!("codifica non riconosciuta ({detail}): salvare il file in UTF-8 o Latin-1")
                } else {
                    format!("unrecognised encoding ({detail}): save the file as UTF-8 or Latin-1")
                }
            }
            Malformed { detail } => {
                if it {
                    format!("file non leggibile: {detail}")
                } else {
                    format!("unreadable file: {detail}")
                }
            }
            MissingColumn => lang.pick("colonna obbligatoria assente nell'intestazione", "required column missing from the header").into(),
            DuplicateColumn => lang.pick("colonna ripetuta nell'intestazione", "column repeated in the header").into(),
            TruncatedRow { expected, found } => {
                if it {
                    format!("riga troncata: {found} campi invece di {expected}")
                } else {
                    format!("truncated row: {found} fields instead of {expected}")
                }
            }
            ExtraFields { expected, found } => {
                if it {
                    format!("{found} campi invece di {expected} (separatore dentro un valore senza virgolette?)")
                } else {
                    format!("{found} fields instead of {expected} (a separator inside an unquoted value?)")
                }
            }
            Required => lang.pick("valore obbligatorio mancante", "required value missing").into(),
            NotOneOf { value, allowed } => {
                let list = allowed.join(", ");
                if it {
                    format!("valore «{value}» non ammesso; valori possibili: {list}")
                } else {
                    format!("value «{value}» not allowed; possible values: {list}")
                }
            }
            BadFormat { value, expected } => {
                if it {
                    format!("«{value}» non è valido: atteso {}", expected.describe(lang))
                } else {
                    format!("«{value}» is not valid: expected {}", expected.describe(lang))
                }
            }
            BadDate { value } => {
                if it {
                    format!("data «{value}» non valida (usare AAAA-MM-GG o GG/MM/AAAA)")
                } else {
                    format!("invalid date «{value}» (use YYYY-MM-DD or DD/MM/YYYY)")
                }
            }
            BadNumber { value } => {
                if it {
                    format!("numero «{value}» non valido")
                } else {
                    format!("invalid number «{value}»")
                }
            }
            OutOfRange { value, min, max } => {
                if it {
                    format!("{value} fuori dall'intervallo {min}–{max}")
                } else {
                    format!("{value} outside the range {min}–{max}")
                }
            }
            Duplicate { value, first_row } => {
                if it {
                    format!("«{value}» è già alla riga {first_row}")
                } else {
                    format!("«{value}» already at row {first_row}")
                }
            }
            TakenBy { value, owner } => {
                if it {
                    format!("CdR «{value}» già assegnato alla struttura {owner}")
                } else {
                    format!("CdR «{value}» already assigned to unit {owner}")
                }
            }
            UnknownParent { value } => {
                if it {
                    format!("padre «{value}» inesistente (né nel file né già registrato)")
                } else {
                    format!("parent «{value}» does not exist (neither in the file nor already stored)")
                }
            }
            TreeCycle { path } => {
                let p = path.join(" → ");
                if it { format!("ciclo nell'albero: {p}") } else { format!("cycle in the tree: {p}") }
            }
            BadFormula { formula, detail } => {
                format!("formula «{formula}» {detail}")
            }
            CircularFormulas { path } => {
                let p = path.join(" → ");
                if it { format!("formule circolari: {p}") } else { format!("circular formulas: {p}") }
            }
            UnknownUnit { value } => {
                if it {
                    format!("struttura «{value}» inesistente in questo ente e ciclo")
                } else {
                    format!("unit «{value}» does not exist in this ente and cycle")
                }
            }
            UnknownPerson { value } => {
                if it {
                    format!("persona con matricola «{value}» inesistente in questo ente")
                } else {
                    format!("no person with code «{value}» in this ente")
                }
            }
            EndBeforeStart { start, end } => {
                if it {
                    format!("la fine ({end}) precede l'inizio ({start})")
                } else {
                    format!("the end ({end}) precedes the start ({start})")
                }
            }
            OutsideCycle { year } => {
                if it {
                    format!("il periodo non cade nell'anno {year} del ciclo")
                } else {
                    format!("the period does not fall in the cycle's year {year}")
                }
            }
            CategoryNotValid { category, valid, hint } => {
                if it {
                    format!("categoria {category} valida solo {valid}; {hint}")
                } else {
                    format!("category {category} valid only {valid}; {hint}")
                }
            }
            Overlaps { other_row } => {
                if it {
                    format!("incarico sovrapposto a quello della riga {other_row}: indicare interim = si per l'incarico aggiuntivo")
                } else {
                    format!("assignment overlaps the one at row {other_row}: set interim = si on the additional one")
                }
            }
            Disagrees { value, other, other_row } => {
                if it {
                    format!("«{value}» diverso da «{other}» della riga {other_row} per lo stesso codice")
                } else {
                    format!("«{value}» differs from «{other}» at row {other_row} for the same code")
                }
            }
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Lang::It))
    }
}

/// All the problems found in one input. An input with any problem is refused whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, p: Problem) {
        self.0.push(p);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Rows first in file order, whole-file problems before them.
    pub fn sorted(mut self) -> Problems {
        self.0.sort_by_key(|p| p.row.unwrap_or(0));
        self
    }
    pub fn describe(&self, lang: Lang) -> String {
        self.0.iter().map(|p| p.describe(lang)).collect::<Vec<_>>().join("\n")
    }
    /// `Ok(())` when nothing is wrong.
    pub fn into_result(self) -> Result<(), Problems> {
        if self.is_empty() { Ok(()) } else { Err(self.sorted()) }
    }
}

impl From<Problem> for Problems {
    fn from(p: Problem) -> Problems {
        Problems(vec![p])
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Lang::It))
    }
}

impl std::error::Error for Problems {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_where_and_what_in_both_languages() {
        let p = Problem::cell(4, "padre", ProblemKind::UnknownParent { value: "DX".into() });
        assert_eq!(p.describe(Lang::It), "riga 4, colonna «padre»: padre «DX» inesistente (né nel file né già registrato)");
        assert_eq!(p.describe(Lang::En), "row 4, column «padre»: parent «DX» does not exist (neither in the file nor already stored)");
    }

    #[test]
    fn sorted_puts_file_problems_first() {
        let mut ps = Problems::default();
        ps.push(Problem::row(3, ProblemKind::Required));
        ps.push(Problem::file(ProblemKind::EmptyFile));
        let ps = ps.sorted();
        assert_eq!(ps.0[0].row, None);
        assert_eq!(ps.0[1].row, Some(3));
    }
}
