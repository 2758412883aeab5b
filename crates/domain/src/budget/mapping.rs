//! A mapping: how to read a budget published in another layout (docs/formats.md, "Mappe").
//! Plain `chiave = valore` lines, `#` comments. Two forms:
//!
//! - `righe`: one amount row per record; keys name the source columns (by header) of `centro`,
//!   `capitolo`, `missione`…, and `misura.NOME = colonna` for each amount column.
//! - `matrice`: the harmonised rendiconto schemes — rows are Titolo × Macroaggregato (or
//!   Tipologia), columns are groups of measures, one group per Missione; the file's own
//!   `TOTALE TITOLO` and `TOTALE TITOLI` rows are checked against the sum of the rows.

use std::collections::BTreeMap;

use super::Side;
use crate::keyvalue::{Keys, list};
use crate::value::NumberStyle;
use crate::{Problem, ProblemKind, Problems};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    Righe {
        /// Field → source column header (`centro`, `centro_nome`, `capitolo`, `descrizione`,
        /// `missione`, `programma`, `titolo`, `voce`, `anno`).
        fields: BTreeMap<String, String>,
        /// Measure name → source column header.
        measures: Vec<(String, String)>,
    },
    Matrice {
        /// 1-based positions of the Titolo and of the row's item (Macroaggregato, Tipologia).
        titolo_col: usize,
        voce_col: usize,
        /// 1-based position of the first amount column.
        first: usize,
        /// Measures of each group, in order (e.g. impegnato, fpv, pagato).
        measures: Vec<String>,
        /// One code per group: the Missione of each group, in order; a single empty code when
        /// the columns are not split by Missione.
        groups: Vec<String>,
        /// 1-based position of the row-total group (same measures), when the file has one.
        row_total: Option<usize>,
        /// Labels of the total rows, as they start in the Titolo column.
        total_titolo: String,
        total_all: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub name: String,
    pub side: Side,
    /// previsione | rendiconto
    pub fase: String,
    /// The year, when constant for the file (else from a column, or given on import).
    pub anno: Option<i32>,
    pub decimals: Option<NumberStyle>,
    pub form: Form,
}

const FIELDS: [&str; 8] = ["centro", "centro_nome", "capitolo", "descrizione", "missione", "programma", "titolo", "voce"];
const FASI: [&str; 2] = ["previsione", "rendiconto"];

/// A 1-based column position.
fn position(keys: &mut Keys, k: &str, default: Option<usize>) -> usize {
    match (keys.take(k), default) {
        (None, Some(d)) => d,
        (None, None) => {
            keys.problems.push(Problem::column(k, ProblemKind::Required));
            1
        }
        (Some((line, v)), _) => v.parse::<usize>().ok().filter(|n| *n > 0).unwrap_or_else(|| {
            keys.problems.push(Problem::cell(line, k, ProblemKind::BadFormat { value: v, expected: crate::said!("la posizione della colonna (1, 2, …)") }));
            1
        }),
    }
}

impl Mapping {
    /// Parses a mapping; every problem names its line (`riga`) and key (`colonna`).
    pub fn parse(name: &str, text: &str) -> Result<Mapping, Problems> {
        let mut keys = Keys::parse(text);
        let measures: Vec<(String, String)> = keys.take_prefixed("misura.").into_iter().map(|(m, _, v)| (m, v)).collect();
        let side = Side::parse(&keys.one_of("tipo", &Side::NAMES));
        let fase = keys.one_of("fase", &FASI);
        // `anno` is the year, or the name of the column that holds it.
        let (anno, anno_column) = match keys.take("anno") {
            None => (None, None),
            Some((_, v)) => match v.parse::<i32>() {
                Ok(y) => (Some(y), None),
                Err(_) => (None, Some(v)),
            },
        };
        let decimals = match keys.take("decimali").map(|(_, v)| v) {
            None => None,
            Some(v) if v == "it" => Some(NumberStyle::It),
            Some(v) if v == "en" => Some(NumberStyle::En),
            Some(v) => {
                keys.problems.push(Problem::column("decimali", ProblemKind::NotOneOf { value: v, allowed: vec!["it".into(), "en".into()] }));
                None
            }
        };
        let form = match keys.one_of("forma", &["righe", "matrice"]).as_str() {
            "matrice" => {
                let titolo_col = position(&mut keys, "colonna_titolo", Some(1));
                let voce_col = position(&mut keys, "colonna_voce", Some(2));
                let first = position(&mut keys, "prima_colonna", None);
                let row_total = keys.has("colonna_totale").then(|| position(&mut keys, "colonna_totale", None));
                let measures = list(&keys.required("misure"));
                let groups = match keys.take("gruppi").map(|(_, v)| v) {
                    None => vec![String::new()],
                    Some(v) if v == "missioni" => super::tables::MISSIONI.iter().map(|(c, _)| c.to_string()).collect(),
                    Some(v) => list(&v),
                };
                let total_titolo = keys.take("riga_totale_titolo").map_or_else(|| "TOTALE TITOLO".into(), |(_, v)| v);
                let total_all = keys.take("riga_totale").map_or_else(|| "TOTALE TITOLI".into(), |(_, v)| v);
                Form::Matrice { titolo_col, voce_col, first, measures, groups, row_total, total_titolo, total_all }
            }
            _ => {
                let mut fields = BTreeMap::new();
                for f in FIELDS {
                    if let Some((_, v)) = keys.take(f) {
                        fields.insert(f.to_string(), v);
                    }
                }
                if let Some(col) = anno_column {
                    fields.insert("anno".into(), col);
                }
                if measures.is_empty() {
                    keys.problems.push(Problem::column("misura.NOME", ProblemKind::Required));
                }
                Form::Righe { fields, measures }
            }
        };
        keys.finish(crate::said!("una chiave delle mappe (docs/formats.md)"))?;
        Ok(Mapping { name: name.into(), side: side.unwrap_or(Side::Spesa), fase, anno, decimals, form })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rows_mapping() {
        let m = Mapping::parse(
            "stato",
            "forma = righe\ntipo = spesa\nfase = previsione\nanno = esercizio\ndecimali = en\ncentro = cenres_cod # CdR\nmisura.competenza = lb_cp_a1\n",
        )
        .expect("parses");
        assert_eq!((m.side, m.fase.as_str(), m.anno, m.decimals), (Side::Spesa, "previsione", None, Some(NumberStyle::En)));
        let Form::Righe { fields, measures } = m.form else { panic!("righe") };
        assert_eq!(fields["anno"], "esercizio");
        assert_eq!(fields["centro"], "cenres_cod");
        assert_eq!(measures, [("competenza".to_string(), "lb_cp_a1".to_string())]);
    }

    #[test]
    fn a_matrix_mapping() {
        let m = Mapping::parse("torino", "forma = matrice\ntipo = spesa\nfase = rendiconto\nanno = 2019\nprima_colonna = 3\nmisure = impegnato, fpv, pagato\ngruppi = missioni\ncolonna_totale = 73\n")
            .expect("parses");
        let Form::Matrice { first, measures, groups, row_total, .. } = m.form else { panic!("matrice") };
        assert_eq!((first, measures.len(), groups.len(), row_total), (3, 3, 23, Some(73)));
        assert_eq!(m.anno, Some(2019));
    }

    #[test]
    fn every_mistake_is_listed() {
        let e = Mapping::parse("x", "forma = tabella\ntipo = uscita\nfase = consuntivo\nfase = x\nnonsense\nchiave = 1\n").expect_err("refused");
        let text = e.describe(crate::Lang::It);
        for part in ["riga 4, colonna «fase»", "riga 5:", "«consuntivo»", "«tabella»", "riga 6, colonna «chiave»"] {
            assert!(text.contains(part), "{part} in {text}");
        }
    }
}
