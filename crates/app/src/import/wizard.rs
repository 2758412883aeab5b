//! The import wizard of the web UI: a file is uploaded once, its columns are mapped to those the
//! import expects, the import runs as a trial to show every problem by row (the preview), and
//! then for real (the commit, all or nothing like every import). Between the steps the file waits
//! in the database, seen only by whoever uploaded it, so that any node can serve the next step.

use std::collections::{BTreeMap, HashSet};
use traguardi_domain::said;

use traguardi_docs::{ReadOptions, Table};
use traguardi_domain::{Lang, Problem, ProblemKind, Problems};
use traguardi_store::ente::Ente;
use traguardi_store::imports::{self, Upload};
use traguardi_store::{Store, new_id};

use crate::accounts::access::Right;
use crate::import::Ending;
use crate::{Actor, AppError, import, org::import_people, plan::import_measurements, plan::import_plan};

/// Larger files are refused before they are read.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// An upload neither committed nor replaced in this time is removed.
const KEPT_HOURS: i64 = 24;
/// Uploads one user may leave waiting at once.
const MAX_WAITING: i64 = 20;
/// Rows the preview shows besides those with a problem.
const SAMPLE_ROWS: usize = 10;
/// Rows with a problem the preview shows at most (the count says how many in all).
pub const MAX_PROBLEM_ROWS: usize = 500;

/// What a file holds, and so which import it goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Misurazioni,
    Piano,
    Persone,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Misurazioni, Kind::Piano, Kind::Persone];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Misurazioni => "misurazioni",
            Kind::Piano => "piano",
            Kind::Persone => "persone",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Misurazioni => "Valori dei KPI (misurazioni)",
            Kind::Piano => "Piano degli obiettivi",
            Kind::Persone => "Personale e assegnazioni",
        }
    }

    pub fn parse(code: &str) -> Result<Kind, AppError> {
        Kind::ALL.into_iter().find(|k| k.code() == code).ok_or_else(|| {
            AppError::Invalid(
                Problem::column("tipo", ProblemKind::NotOneOf { value: code.into(), allowed: Kind::ALL.map(|k| k.code().to_string()).to_vec() }).into(),
            )
        })
    }

    /// The columns the import reads: required, then optional.
    pub fn columns(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Kind::Misurazioni => (&import_measurements::REQUIRED, &import_measurements::OPTIONAL),
            Kind::Piano => (&import_plan::REQUIRED, &import_plan::OPTIONAL),
            Kind::Persone => (&import_people::REQUIRED, &import_people::OPTIONAL),
        }
    }
}

/// One column the import expects, and the file's column chosen for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub name: &'static str,
    pub required: bool,
    pub chosen: Option<String>,
}

/// A waiting upload as the mapping step shows it.
#[derive(Debug, Clone)]
pub struct Uploaded {
    pub id: String,
    pub kind: Kind,
    pub year: i32,
    pub filename: String,
    /// The file's headers as read (trimmed, lower-case).
    pub headers: Vec<String>,
    pub choices: Vec<Choice>,
    pub rows: usize,
    /// Whether the user has confirmed a mapping yet.
    pub mapped: bool,
}

/// One row of the preview: its line in the file, its cells in the order of `Preview::columns`,
/// and what is wrong with it.
#[derive(Debug, Clone)]
pub struct PreviewRow {
    pub line: usize,
    pub cells: Vec<String>,
    pub problems: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Preview {
    pub upload: Uploaded,
    /// The mapped columns: (expected name, the file's header).
    pub columns: Vec<(String, String)>,
    /// Rows with a problem, and the first few rows.
    pub rows: Vec<PreviewRow>,
    /// Problems of the whole file or of a column, on no row.
    pub general: Vec<String>,
    /// How many problems in all, and on how many rows.
    pub problem_count: usize,
    pub problem_rows: usize,
    /// What the import would do, when nothing is wrong.
    pub summary: Option<String>,
}

/// Stores an uploaded file and returns its id. The file must be a table the importer can read.
#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn upload(store: &Store, actor: &Actor, ente: &Ente, kind: Kind, year: i32, filename: &str, bytes: &[u8]) -> Result<String, AppError> {
    actor.require(Right::Administer, said!("importare file"))?;
    import::read(bytes, ReadOptions { max_bytes: MAX_BYTES, ..Default::default() }).await?;
    let name = filename.rsplit(['/', '\\']).next().unwrap_or(filename).trim();
    let mut tx = store.begin().await?;
    let expired = (chrono::Utc::now() - chrono::Duration::hours(KEPT_HOURS)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    imports::purge(&mut tx, &expired).await?;
    if imports::count_of(&mut tx, &actor.name).await? >= MAX_WAITING {
        return Err(AppError::Refused(said!(
            "ci sono già {MAX_WAITING} file in attesa di importazione: confermarne o attendere un giorno che scadano",
            MAX_WAITING
        )));
    }
    let id: String = new_id();
    let u = Upload {
        id: id.clone(),
        owner: actor.name.clone(),
        kind: kind.code().into(),
        cycle_year: Some(year),
        filename: if name.is_empty() { "file".into() } else { name.into() },
        data: bytes.to_vec(),
        columns: None,
        uploaded_at: crate::now(),
    };
    imports::insert(&mut tx, &ente.id, &u).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces the file of an upload (a corrected version), keeping its kind and its mapping.
#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn replace(store: &Store, actor: &Actor, ente: &Ente, id: &str, filename: &str, bytes: &[u8]) -> Result<(), AppError> {
    let old = fetch(store, actor, ente, id).await?;
    import::read(bytes, ReadOptions { max_bytes: MAX_BYTES, ..Default::default() }).await?;
    let name = filename.rsplit(['/', '\\']).next().unwrap_or(filename).trim();
    let mut tx = store.begin().await?;
    imports::delete(&mut tx, &ente.id, id).await?;
    let u = Upload { filename: if name.is_empty() { old.filename.clone() } else { name.into() }, data: bytes.to_vec(), uploaded_at: crate::now(), ..old };
    imports::insert(&mut tx, &ente.id, &u).await?;
    tx.commit().await?;
    Ok(())
}

/// The upload with its headers and the columns chosen so far (or guessed from the headers).
#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn show(store: &Store, actor: &Actor, ente: &Ente, id: &str) -> Result<Uploaded, AppError> {
    let u = fetch(store, actor, ente, id).await?;
    let table = import::read(&u.data, ReadOptions { max_bytes: MAX_BYTES, ..Default::default() }).await?;
    describe(&u, &table)
}

/// Saves the mapping: `chosen` maps an expected column to a header of the file (or to nothing).
/// Refused, listing every problem, when a required column is left out, a header is unknown or
/// is chosen for two columns.
#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn map(store: &Store, actor: &Actor, ente: &Ente, id: &str, chosen: &BTreeMap<String, String>) -> Result<(), AppError> {
    let u = fetch(store, actor, ente, id).await?;
    let table = import::read(&u.data, ReadOptions { max_bytes: MAX_BYTES, ..Default::default() }).await?;
    let kind = Kind::parse(&u.kind)?;
    let (required, optional) = kind.columns();
    let mut problems = Problems::default();
    let mut used = HashSet::new();
    let mut pairs = Vec::new();
    for (name, header) in chosen {
        let header = header.trim().to_lowercase();
        if header.is_empty() {
            continue;
        }
        if !required.contains(&name.as_str()) && !optional.contains(&name.as_str()) {
            problems.push(Problem::column(
                name,
                ProblemKind::NotOneOf { value: name.clone(), allowed: required.iter().chain(optional).map(|s| s.to_string()).collect() },
            ));
        } else if !table.headers.contains(&header) {
            problems.push(Problem::column(name, ProblemKind::NotOneOf { value: header, allowed: table.headers.clone() }));
        } else if !used.insert(header.clone()) {
            problems.push(Problem::column(
                name,
                ProblemKind::BadFormat { value: header, expected: traguardi_domain::said!("una colonna del file non già scelta per un'altra") },
            ));
        } else {
            pairs.push((header, name.clone()));
        }
    }
    for name in required {
        if chosen.get(*name).is_none_or(|h| h.trim().is_empty()) {
            problems.push(Problem::column(name, ProblemKind::MissingColumn));
        }
    }
    problems.into_result()?;
    let json = serde_json::to_string(&pairs).map_err(|e| AppError::Refused(said!("abbinamento delle colonne non memorizzabile: {error}", error = e)))?;
    let mut conn = store.acquire().await?;
    imports::set_columns(&mut conn, &ente.id, id, &json).await?;
    Ok(())
}

/// Runs the import as a trial: nothing is written. Every problem is listed by row, in `lang`.
#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn preview(store: &Store, actor: &Actor, ente: &Ente, id: &str, lang: Lang) -> Result<Preview, AppError> {
    let u = fetch(store, actor, ente, id).await?;
    let upload = describe(&u, &import::read(&u.data, ReadOptions { max_bytes: MAX_BYTES, ..Default::default() }).await?)?;
    let pairs = mapping(&u)?;
    let opts = ReadOptions { max_bytes: MAX_BYTES, columns: Some(pairs.clone()), ..Default::default() };
    let table = import::read(&u.data, opts.clone()).await?;
    let (summary, problems) = match run(store, actor, ente, &u, opts, Ending::DryRun, lang).await {
        Ok(summary) => (Some(summary), Problems::default()),
        Err(AppError::Invalid(p)) => (None, p),
        Err(e) => return Err(e),
    };
    let columns: Vec<(String, String)> = upload.choices.iter().filter_map(|c| c.chosen.clone().map(|h| (c.name.to_string(), h))).collect();
    let problem_rows = problems.0.iter().filter_map(|p| p.row.filter(|&r| r > 1)).collect::<HashSet<_>>().len();
    Ok(Preview {
        rows: rows_of(&table, &columns, &problems, lang),
        general: general(&problems, &pairs, lang),
        problem_count: problems.len(),
        problem_rows,
        columns,
        summary,
        upload,
    })
}

/// Runs the import for real and removes the upload; returns what was done, in `lang`.
#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn commit(store: &Store, actor: &Actor, ente: &Ente, id: &str, lang: Lang) -> Result<(Kind, String), AppError> {
    let u = fetch(store, actor, ente, id).await?;
    let opts = ReadOptions { max_bytes: MAX_BYTES, columns: Some(mapping(&u)?), ..Default::default() };
    // The import and the removal of the file are one transaction: a double submit imports once.
    let summary = run(store, actor, ente, &u, opts, Ending::Upload { ente: &ente.id, id }, lang).await?;
    Ok((Kind::parse(&u.kind)?, summary))
}

/// Drops an upload without importing it.
#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn discard(store: &Store, actor: &Actor, ente: &Ente, id: &str) -> Result<(), AppError> {
    fetch(store, actor, ente, id).await?;
    let mut conn = store.acquire().await?;
    imports::delete(&mut conn, &ente.id, id).await?;
    Ok(())
}

/// The upload, if it exists and belongs to the actor (another user's is "not found", not
/// "forbidden", so that ids reveal nothing).
async fn fetch(store: &Store, actor: &Actor, ente: &Ente, id: &str) -> Result<Upload, AppError> {
    actor.require(Right::Administer, said!("importare file"))?;
    let mut conn = store.acquire().await?;
    match imports::get(&mut conn, &ente.id, id).await? {
        Some(u) if u.owner == actor.name => Ok(u),
        _ => Err(AppError::NotFound(said!(
            "nessun file in attesa con questo identificativo: forse è già stato importato o è scaduto (i file restano un giorno)"
        ))),
    }
}

fn mapping(u: &Upload) -> Result<Vec<(String, String)>, AppError> {
    let Some(json) = &u.columns else {
        return Err(AppError::Refused(said!("scegliere prima le colonne del file")));
    };
    serde_json::from_str(json).map_err(|e| AppError::Refused(said!("abbinamento delle colonne illeggibile: {e}", e)))
}

fn describe(u: &Upload, table: &Table) -> Result<Uploaded, AppError> {
    let kind = Kind::parse(&u.kind)?;
    let (required, optional) = kind.columns();
    let saved: Option<Vec<(String, String)>> = u.columns.as_deref().and_then(|j| serde_json::from_str(j).ok());
    let choices = required
        .iter()
        .map(|n| (n, true))
        .chain(optional.iter().map(|n| (n, false)))
        .map(|(&name, required)| {
            let chosen = match &saved {
                Some(pairs) => pairs.iter().find(|(_, to)| to == name).map(|(from, _)| from.clone()).filter(|h| table.headers.contains(h)),
                None => table.headers.iter().find(|h| plain(h) == name).cloned(),
            };
            Choice { name, required, chosen }
        })
        .collect();
    Ok(Uploaded {
        id: u.id.clone(),
        kind,
        year: u.cycle_year.unwrap_or_default(),
        filename: u.filename.clone(),
        headers: table.headers.iter().filter(|h| !h.is_empty()).cloned().collect(),
        choices,
        rows: table.rows.len(),
        mapped: saved.is_some(),
    })
}

/// A header as a column name: `Data fine` and `data-fine` both read `data_fine`.
fn plain(header: &str) -> String {
    header.trim().to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { '_' }).collect()
}

async fn run(store: &Store, actor: &Actor, ente: &Ente, u: &Upload, opts: ReadOptions, ending: Ending<'_>, lang: Lang) -> Result<String, AppError> {
    let year = u.cycle_year.ok_or_else(|| AppError::Refused(said!("il file non indica il ciclo")))?;
    Ok(match Kind::parse(&u.kind)? {
        Kind::Misurazioni => import_measurements::import_measurements(store, actor, ente, year, &u.data, opts, ending).await?.summary(lang),
        Kind::Piano => import_plan::import_plan(store, actor, ente, year, &u.data, opts, ending).await?.summary(lang),
        Kind::Persone => import_people::import_people(store, actor, ente, year, &u.data, opts, ending).await?.summary(lang),
    })
}

/// The rows with a problem and the first few, with their problems (the column named as in the
/// file, then as the import calls it).
fn rows_of(table: &Table, columns: &[(String, String)], problems: &Problems, lang: Lang) -> Vec<PreviewRow> {
    let header_of = |name: &str| columns.iter().find(|(n, _)| n == name).map(|(_, h)| h.clone());
    let mut by_line: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for p in &problems.0 {
        if let Some(line) = p.row.filter(|&r| r > 1) {
            let place = match p.column.as_deref() {
                Some(c) => match header_of(c) {
                    Some(h) if h != c => column(lang, &h, Some(c)),
                    _ => column(lang, c, None),
                },
                None => String::new(),
            };
            by_line.entry(line).or_default().push(format!("{place}{}", p.kind.describe(lang)));
        }
    }
    let at: std::collections::HashMap<usize, &traguardi_docs::Record> = table.rows.iter().map(|r| (r.line, r)).collect();
    let cells_at = |line: usize| {
        at.get(&line).map(|r| {
            columns.iter().map(|(name, _)| table.headers.iter().position(|h| h == name).and_then(|i| r.cells.get(i)).cloned().unwrap_or_default()).collect()
        })
    };
    let mut lines: Vec<usize> = table.rows.iter().take(SAMPLE_ROWS).map(|r| r.line).collect();
    lines.extend(by_line.keys().copied().take(MAX_PROBLEM_ROWS));
    lines.sort_unstable();
    lines.dedup();
    lines.into_iter().map(|line| PreviewRow { line, cells: cells_at(line).unwrap_or_default(), problems: by_line.remove(&line).unwrap_or_default() }).collect()
}

/// Problems of the whole file, of the header or of a column.
fn general(problems: &Problems, pairs: &[(String, String)], lang: Lang) -> Vec<String> {
    problems
        .0
        .iter()
        .filter(|p| p.row.is_none_or(|r| r <= 1))
        .map(|p| match p.column.as_deref().and_then(|c| pairs.iter().find(|(_, to)| to == c)) {
            Some((from, to)) if from != to => format!("{}{}", column(lang, from, Some(to)), p.kind.describe(lang)),
            _ => p.describe(lang),
        })
        .collect()
}

/// `colonna «Valore» (valore): `: a column named as in the file, then as the import calls it.
fn column(lang: Lang, header: &str, name: Option<&str>) -> String {
    let word = match lang {
        Lang::It => "colonna",
        Lang::En => "column",
    };
    match name {
        Some(n) => format!("{word} «{header}» ({n}): "),
        None => format!("{word} «{header}»: "),
    }
}
