//! `import bilancio --mappa`: budgets published in other layouts, read through a mapping
//! (docs/formats.md, "Mappe"). A rendiconto by Missione × Macroaggregato is checked against its
//! own `TOTALE TITOLO` / `TOTALE TITOLI` rows and row totals; a budget by capitolo is summed by
//! Centro di responsabilità. Nothing is stored unless every check passes; re-importing
//! replaces the amounts of the same mapping and year.

use std::collections::BTreeMap;
use traguardi_domain::said;

use serde::Serialize;
use traguardi_docs::{ReadOptions, Table, read_table};
use traguardi_domain::budget::mapping::{Form, Mapping};
use traguardi_domain::budget::parse_euro;
use traguardi_domain::money::Cents;
use traguardi_domain::value::NumberStyle;
use traguardi_domain::{Problem, ProblemKind, Problems};
use traguardi_store::Store;
use traguardi_store::budget::{self, Amount};
use traguardi_store::ente::Ente;

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::{Actor, AppError, import};

/// The mappings shipped with Traguardi, by name.
pub const BUILT_IN: [(&str, &str); 4] = [
    ("rendiconto-spese-missioni", include_str!("../../mappe/rendiconto-spese-missioni.mappa")),
    ("rendiconto-entrate-tipologie", include_str!("../../mappe/rendiconto-entrate-tipologie.mappa")),
    ("stato-bilancio-capitoli", include_str!("../../mappe/stato-bilancio-capitoli.mappa")),
    ("stato-rendiconto-capitoli", include_str!("../../mappe/stato-rendiconto-capitoli.mappa")),
];

/// A built-in mapping by name, or else the mapping file at that path.
pub fn load_mapping(name_or_path: &str) -> Result<Mapping, AppError> {
    let (name, text) = match BUILT_IN.iter().find(|(n, _)| *n == name_or_path) {
        Some((n, t)) => (n.to_string(), t.to_string()),
        None => {
            let path = std::path::Path::new(name_or_path);
            let text = std::fs::read_to_string(path).map_err(|e| {
                let names: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
                AppError::Refused(said!("mappa «{name_or_path}» non trovata ({e}); mappe incluse: {join}", name_or_path, e, join = names.join(", ")))
            })?;
            (path.file_stem().map_or_else(|| name_or_path.to_string(), |s| s.to_string_lossy().into_owned()), text)
        }
    };
    Ok(Mapping::parse(&name, &text)?)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MappedReport {
    pub fonte: String,
    pub rows: usize,
    pub amounts: usize,
    /// The file's own totals that the rows were checked against, each found to agree.
    pub checks: Vec<String>,
    /// Rows that are neither detail nor total (e.g. the Fondo pluriennale vincolato), left out.
    pub ignored: Vec<String>,
    /// Sums by Centro di responsabilità (or Missione, for a matrix) and measure, in cents.
    pub totals: Vec<Total>,
    /// Amounts of the same mapping and years stored before, now replaced.
    pub replaced: u64,
    pub dry_run: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Total {
    pub codice: String,
    pub nome: String,
    pub misura: String,
    pub importo: Cents,
}

/// What a file holds once read through a mapping.
#[derive(Debug, Clone, Default)]
pub struct Read {
    pub rows: usize,
    pub amounts: Vec<Amount>,
    pub checks: Vec<String>,
    pub ignored: Vec<String>,
}

/// Reads `bytes` through `mapping` (pure: no database).
pub fn read(mapping: &Mapping, bytes: &[u8], opts: ReadOptions) -> Result<Read, Problems> {
    let decimals = opts.decimals.or(mapping.decimals);
    let table = read_table(bytes, ReadOptions { decimals, ..opts })?;
    let style = decimals.unwrap_or(table.number_style);
    match &mapping.form {
        Form::Righe { fields, measures } => read_rows(mapping, &table, style, fields, measures),
        Form::Matrice { .. } => read_matrix(mapping, &table, style),
    }
}

fn amount(cell: &str, style: NumberStyle) -> Option<Cents> {
    if cell.trim().is_empty() {
        return Some(Cents::ZERO);
    }
    parse_euro(cell, style).ok()
}

fn read_rows(mapping: &Mapping, table: &Table, style: NumberStyle, fields: &BTreeMap<String, String>, measures: &[(String, String)]) -> Result<Read, Problems> {
    let mut problems = table.problems.clone();
    let position = |col: &str| table.headers.iter().position(|h| h == &col.trim().to_lowercase());
    // A field may join several columns (`stato_previsione + cenres_cod`): codes are joined
    // with `.`, names with ` — `.
    let mut index: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (field, cols) in fields.iter().map(|(f, c)| (f.as_str(), c.as_str())).chain(measures.iter().map(|(m, c)| (m.as_str(), c.as_str()))) {
        let mut found = Vec::new();
        for col in cols.split('+') {
            match position(col) {
                Some(i) => found.push(i),
                None => problems.push(Problem::column(col.trim(), ProblemKind::MissingColumn)),
            }
        }
        index.insert(field.to_string(), found);
    }
    if mapping.anno.is_none() && !fields.contains_key("anno") {
        problems.push(Problem::column("anno", ProblemKind::Required));
    }
    problems.clone().into_result()?;
    let mut read = Read { rows: table.rows.len(), ..Read::default() };
    for rec in &table.rows {
        let get = |f: &str| -> String {
            let parts: Vec<&str> = index.get(f).map(|cols| cols.iter().filter_map(|i| rec.cells.get(*i)).map(String::as_str).collect()).unwrap_or_default();
            parts.join(if f.ends_with("nome") { " — " } else { "." })
        };
        let anno = match mapping.anno {
            Some(y) => y,
            None => match get("anno").parse::<i32>() {
                Ok(y) => y,
                Err(_) => {
                    problems.push(Problem::cell(
                        rec.line,
                        &fields["anno"],
                        ProblemKind::BadFormat { value: get("anno"), expected: traguardi_domain::said!("un anno") },
                    ));
                    continue;
                }
            },
        };
        for (m, col) in measures {
            let Some(importo) = amount(&get(m), style) else {
                problems.push(Problem::cell(rec.line, col, ProblemKind::BadNumber { value: get(m) }));
                continue;
            };
            read.amounts.push(Amount {
                anno,
                titolo: get("titolo"),
                voce: get("voce"),
                missione: get("missione"),
                programma: get("programma"),
                centro: get("centro"),
                centro_nome: get("centro_nome"),
                capitolo: get("capitolo"),
                descrizione: get("descrizione"),
                misura: m.clone(),
                importo,
            });
        }
    }
    problems.into_result()?;
    Ok(read)
}

/// `I`, `IV`, `7` → 7: total rows write the Titolo in Roman or Arabic numerals.
fn titolo_number(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let value = |c| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        _ => None,
    };
    let digits: Option<Vec<u32>> = s.chars().map(value).collect();
    let digits = digits.filter(|d| !d.is_empty())?;
    let mut total = 0;
    for (i, d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|next| next > d) { total -= *d as i64 } else { total += *d as i64 }
    }
    u32::try_from(total).ok()
}

fn read_matrix(mapping: &Mapping, table: &Table, style: NumberStyle) -> Result<Read, Problems> {
    let Form::Matrice { titolo_col, voce_col, first, measures, groups, row_total, total_titolo, total_all } = &mapping.form else { unreachable!("a matrix") };
    let mut problems = table.problems.clone();
    let Some(anno) = mapping.anno else {
        return Err(Problem::column("anno", ProblemKind::Required).into());
    };
    let width = groups.len() * measures.len();
    let needed = row_total.map_or(first + width - 1, |t| (t + measures.len() - 1).max(first + width - 1));
    if table.headers.len() < needed {
        return Err(Problem::file(ProblemKind::TruncatedRow { expected: needed, found: table.headers.len() }).into());
    }
    let header = |i: usize| table.headers.get(i - 1).cloned().unwrap_or_default();
    let values = |rec: &traguardi_docs::Record, from: usize, n: usize, problems: &mut Problems| -> Vec<Cents> {
        (from..from + n)
            .map(|c| {
                let cell = rec.cells.get(c - 1).map_or("", String::as_str);
                amount(cell, style).unwrap_or_else(|| {
                    problems.push(Problem::cell(rec.line, &header(c), ProblemKind::BadNumber { value: cell.into() }));
                    Cents::ZERO
                })
            })
            .collect()
    };
    let add = |acc: &mut Vec<Cents>, v: &[Cents]| {
        acc.resize(v.len(), Cents::ZERO);
        acc.iter_mut().zip(v).for_each(|(a, b)| *a += *b);
    };
    let mut read = Read { rows: table.rows.len(), ..Read::default() };
    let mut by_titolo: BTreeMap<u32, (Vec<Cents>, usize)> = BTreeMap::new();
    let mut all: Vec<Cents> = Vec::new();
    let disagree = |rec: &traguardi_docs::Record, col: usize, file: Cents, sum: Cents, what: traguardi_domain::said::Said, problems: &mut Problems| {
        let expected = traguardi_domain::said!("{what}: {sum}", what => what, sum);
        problems.push(Problem::cell(rec.line, &header(col), ProblemKind::BadFormat { value: file.to_string(), expected }));
    };
    for rec in &table.rows {
        let label = rec.cells.get(titolo_col - 1).map_or("", |s| s.trim());
        let detail_titolo: Option<u32> = label.split_once('-').and_then(|(n, _)| n.trim().parse().ok());
        let row = values(rec, *first, width, &mut problems);
        if let Some(t) = row_total {
            let totals = values(rec, *t, measures.len(), &mut problems);
            for (m, file) in totals.iter().enumerate() {
                let sum: Cents = (0..groups.len()).map(|g| row[g * measures.len() + m]).sum();
                if sum != *file {
                    disagree(rec, t + m, *file, sum, traguardi_domain::said!("la somma delle colonne della riga"), &mut problems);
                }
            }
        }
        if label == total_all {
            for (i, (file, sum)) in row.iter().zip(&all).enumerate() {
                if file != sum {
                    disagree(rec, first + i, *file, *sum, traguardi_domain::said!("la somma delle righe dei Titoli"), &mut problems);
                }
            }
            read.checks.push(format!("{label}: {} colonne quadrano con la somma dei Titoli", width));
        } else if let Some(rest) = label.strip_prefix(total_titolo.as_str()) {
            let number = rest.split_whitespace().next().and_then(titolo_number);
            let Some((sums, n)) = number.and_then(|n| by_titolo.get(&n)) else {
                problems.push(Problem::cell(
                    rec.line,
                    &header(*titolo_col),
                    ProblemKind::BadFormat { value: label.into(), expected: traguardi_domain::said!("il totale di un Titolo che ha righe nel file") },
                ));
                continue;
            };
            for (i, (file, sum)) in row.iter().zip(sums).enumerate() {
                if file != sum {
                    disagree(rec, first + i, *file, *sum, traguardi_domain::said!("la somma delle righe del Titolo"), &mut problems);
                }
            }
            read.checks.push(format!("{label}: {n} righe, {width} colonne quadrano"));
        } else if let Some(titolo) = detail_titolo {
            let voce_text = rec.cells.get(voce_col - 1).map_or("", String::as_str);
            let voce: String = voce_text.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
            if voce.is_empty() {
                problems.push(Problem::cell(
                    rec.line,
                    &header(*voce_col),
                    ProblemKind::BadFormat {
                        value: voce_text.into(), expected: traguardi_domain::said!("una voce con il suo codice (es. MACROAGGR. 3 - …)")
                    },
                ));
                continue;
            }
            let e = by_titolo.entry(titolo).or_default();
            add(&mut e.0, &row);
            e.1 += 1;
            add(&mut all, &row);
            for (g, missione) in groups.iter().enumerate() {
                for (m, misura) in measures.iter().enumerate() {
                    let importo = row[g * measures.len() + m];
                    if importo == Cents::ZERO {
                        continue;
                    }
                    read.amounts.push(Amount {
                        anno,
                        titolo: titolo.to_string(),
                        voce: if voce.len() == 1 { format!("0{voce}") } else { voce.clone() },
                        missione: missione.clone(),
                        programma: String::new(),
                        centro: String::new(),
                        centro_nome: String::new(),
                        capitolo: String::new(),
                        descrizione: voce_text.into(),
                        misura: misura.clone(),
                        importo,
                    });
                }
            }
        } else {
            read.ignored.push(label.to_string());
        }
    }
    if read.checks.is_empty() && problems.is_empty() {
        problems.push(Problem::file(ProblemKind::BadFormat {
            value: String::new(),
            expected: traguardi_domain::said!("righe di totale («{total_titolo} …», «{total_all}») con cui controllare il file", total_titolo, total_all),
        }));
    }
    problems.into_result()?;
    Ok(read)
}

/// Sums by Centro di responsabilità (or by Missione when there is no centro) and measure.
fn totals(amounts: &[Amount]) -> Vec<Total> {
    let mut by: BTreeMap<(String, String), (String, Cents)> = BTreeMap::new();
    for a in amounts {
        let key = if a.centro.is_empty() { a.missione.clone() } else { a.centro.clone() };
        let e = by.entry((key, a.misura.clone())).or_insert_with(|| (a.centro_nome.clone(), Cents::ZERO));
        e.1 += a.importo;
    }
    by.into_iter().map(|((codice, misura), (nome, importo))| Total { codice, nome, misura, importo }).collect()
}

#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn import_mapped(
    store: &Store,
    actor: &Actor,
    ente: &Ente,
    mapping: &Mapping,
    bytes: &[u8],
    opts: ReadOptions,
    dry_run: bool,
) -> Result<MappedReport, AppError> {
    actor.require(Right::Administer, said!("importare un bilancio"))?;
    let read = {
        let (mapping, bytes) = (mapping.clone(), bytes.to_vec());
        import::blocking(move || Ok(read(&mapping, &bytes, opts)?)).await?
    };
    let mut report = MappedReport {
        fonte: mapping.name.clone(),
        rows: read.rows,
        amounts: read.amounts.len(),
        checks: read.checks,
        ignored: read.ignored,
        totals: totals(&read.amounts),
        dry_run,
        ..MappedReport::default()
    };
    let mut tx = import::begin(store, dry_run).await?;
    report.replaced = budget::replace_amounts(&mut tx, &ente.id, &mapping.name, &mapping.fase, &mapping.side.letter().to_string(), &read.amounts).await?;
    if !dry_run {
        let summary = serde_json::json!({ "fonte": report.fonte, "importi": report.amounts, "controlli": report.checks.len() });
        audit::record(
            &mut tx,
            actor,
            Some(&ente.id),
            Change { action: "import bilancio", entity: "bilancio", entity_id: None, before: None::<&()>, after: Some(&summary) },
        )
        .await?;
    }
    import::finish(tx, dry_run).await?;
    Ok(report)
}
