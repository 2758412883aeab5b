//! Import files as tables (SPEC §6): CSV in UTF-8 (with or without BOM) or Latin-1, separated by
//! `,` or `;`, or the first sheet of an XLSX workbook. Rows keep the line they start on, so that
//! every problem can name it. Nothing here knows what the columns mean.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use chrono::NaiveTime;
use traguardi_domain::value::NumberStyle;
use traguardi_domain::{Problem, ProblemKind, Problems};

/// The default upload limit: larger files are refused before they are read.
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024 * 1024;
/// The most rows a table may have (a spreadsheet's declared size included).
pub const MAX_ROWS: usize = 1_000_000;
/// The most columns a table may have.
pub const MAX_COLUMNS: usize = 1_000;
/// The longest cell, in characters (a spreadsheet's own limit).
pub const MAX_CELL: usize = 32_767;

#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub max_bytes: usize,
    /// `--decimali it|en`: overrides the detected number style.
    pub decimals: Option<NumberStyle>,
    /// The columns as the user mapped them (the import wizard): (header in the file, expected
    /// name). When given, it names every column: the file's other columns are left out.
    pub columns: Option<Vec<(String, String)>>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { max_bytes: DEFAULT_MAX_BYTES, decimals: None, columns: None }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Csv { separator: u8 },
    Xlsx,
}

/// One data row: its line in the file (header = 1) and its cells, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Table {
    /// Header names, trimmed and lower-cased.
    pub headers: Vec<String>,
    pub rows: Vec<Record>,
    pub number_style: NumberStyle,
    pub format: SourceFormat,
    /// Rows left out because their shape is wrong (truncated, too many fields). Importers
    /// start from these, so that one report lists the shape and the content problems together.
    pub problems: Problems,
}

/// Reads an import file. A file whose syntax is broken (encoding, quotes, header) is refused;
/// rows of the wrong length are left out and listed in `Table::problems`.
pub fn read_table(bytes: &[u8], opts: ReadOptions) -> Result<Table, Problems> {
    if bytes.len() > opts.max_bytes {
        return Err(Problem::file(ProblemKind::TooLarge { limit: opts.max_bytes }).into());
    }
    let (headers, rows, format) = if is_spreadsheet(bytes) { read_xlsx(bytes)? } else { read_csv(bytes)? };
    if headers.len() > MAX_COLUMNS {
        return Err(too_big(format!("{} colonne", headers.len()), format!("al più {MAX_COLUMNS} colonne")));
    }
    if rows.len() > MAX_ROWS {
        return Err(too_big(format!("{} righe", rows.len()), format!("al più {MAX_ROWS} righe")));
    }
    if let Some(r) = rows.iter().find(|r| r.cells.iter().any(|c| c.len() > MAX_CELL && c.chars().count() > MAX_CELL)) {
        return Err(too_big(format!("una cella troppo lunga alla riga {}", r.line), format!("celle di al più {MAX_CELL} caratteri")));
    }
    let mut headers: Vec<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
    if let Some(map) = &opts.columns {
        let map: std::collections::HashMap<String, &String> = map.iter().map(|(from, to)| (from.trim().to_lowercase(), to)).collect();
        headers = headers.iter().map(|h| map.get(h).map(|to| to.to_string()).unwrap_or_default()).collect();
    }
    if headers.iter().all(|h| h.is_empty()) {
        return Err(Problem::file(ProblemKind::EmptyFile).into());
    }
    // One pass with a set: a header of many columns costs linear time, not quadratic.
    let mut problems = Problems::default();
    let mut seen = std::collections::HashSet::new();
    for h in &headers {
        if !h.is_empty() && !seen.insert(h.as_str()) {
            problems.push(Problem { row: Some(1), column: Some(h.clone()), kind: ProblemKind::DuplicateColumn });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let expected = headers.len();
    let mut kept = Vec::with_capacity(rows.len());
    for mut r in rows {
        // Spreadsheets and editors leave blank rows and trailing empty cells behind.
        if r.cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        if r.cells.len() > expected && r.cells[expected..].iter().all(|c| c.is_empty()) {
            r.cells.truncate(expected);
        }
        if r.cells.len() < expected {
            if format == SourceFormat::Xlsx {
                r.cells.resize(expected, String::new());
            } else {
                problems.push(Problem::row(r.line, ProblemKind::TruncatedRow { expected, found: r.cells.len() }));
                continue;
            }
        }
        if r.cells.len() > expected {
            problems.push(Problem::row(r.line, ProblemKind::ExtraFields { expected, found: r.cells.len() }));
            continue;
        }
        kept.push(r);
    }
    if kept.is_empty() && problems.is_empty() {
        return Err(Problem::file(ProblemKind::EmptyFile).into());
    }
    let number_style = opts.decimals.unwrap_or_else(|| match format {
        SourceFormat::Csv { separator } => NumberStyle::detect(separator == b';', kept.iter().flat_map(|r| r.cells.iter().map(String::as_str))),
        // Spreadsheet numbers are typed, and written out here with a decimal point.
        SourceFormat::Xlsx => NumberStyle::En,
    });
    Ok(Table { headers, rows: kept, number_style, format, problems })
}

fn is_spreadsheet(bytes: &[u8]) -> bool {
    // XLSX is a ZIP; XLS is an OLE2 compound file.
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

type Parsed = (Vec<String>, Vec<Record>, SourceFormat);

fn read_csv(bytes: &[u8]) -> Result<Parsed, Problems> {
    let text = decode(bytes)?;
    let separator = detect_separator(&text);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(separator).from_reader(text.as_bytes());
    let mut headers = None;
    let mut rows = Vec::new();
    // Lines are counted from byte offsets: the csv crate's own line count falls one short for
    // records of files with CRLF line ends.
    let (mut counted_to, mut line_at) = (0usize, 1usize);
    for result in reader.records() {
        match result {
            Ok(rec) => {
                let mut start = rec.position().map_or(counted_to, |p| usize::try_from(p.byte()).unwrap_or(counted_to));
                // With CRLF a record's position is the `\n` that ends the line before it.
                while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
                    start += 1;
                }
                line_at += text.as_bytes()[counted_to..start.max(counted_to)].iter().filter(|&&b| b == b'\n').count();
                counted_to = start.max(counted_to);
                let line = line_at;
                let cells: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
                if headers.is_none() {
                    headers = Some(cells);
                } else {
                    rows.push(Record { line, cells });
                }
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                let detail = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "testo non UTF-8".to_string(),
                    _ => "virgolette non chiuse o campo malformato".to_string(),
                };
                return Err(Problem { row: line, column: None, kind: ProblemKind::Malformed { detail } }.into());
            }
        }
    }
    // The csv reader accepts an unclosed quote at end of file: the last field then swallows
    // the rest of the file.
    if ends_inside_quotes(&text, separator) {
        let line = rows.last().map(|r| r.line);
        return Err(Problem { row: line, column: None, kind: ProblemKind::Malformed { detail: "virgolette non chiuse".into() } }.into());
    }
    let headers = headers.ok_or_else(|| Problems::from(Problem::file(ProblemKind::EmptyFile)))?;
    Ok((headers, rows, SourceFormat::Csv { separator }))
}

/// UTF-8 (BOM optional) or, failing that, Latin-1 (read as Windows-1252, its superset that
/// spreadsheets write). A file that is neither is refused, naming the first bad line.
fn decode(bytes: &[u8]) -> Result<String, Problems> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || bytes.contains(&0) {
        return Err(Problem::file(ProblemKind::Encoding { detail: "UTF-16 o file binario".into() }).into());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    // Valid UTF-8 accents beside invalid bytes mean a damaged or mixed file, not Latin-1.
    let has_utf8_accents = bytes.utf8_chunks().any(|c| !c.valid().is_ascii());
    if has_utf8_accents {
        let mut bad_at = 0;
        for chunk in bytes.utf8_chunks() {
            bad_at += chunk.valid().len();
            if !chunk.invalid().is_empty() {
                break;
            }
        }
        let line = bytes[..bad_at].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(Problem::row(line, ProblemKind::Encoding { detail: "UTF-8 e Latin-1 mescolati".into() }).into());
    }
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    if let Some(pos) = text.find(|c: char| c.is_control() && !matches!(c, '\t' | '\r' | '\n')) {
        let line = text[..pos].matches('\n').count() + 1;
        return Err(Problem::row(line, ProblemKind::Encoding { detail: "caratteri di controllo".into() }).into());
    }
    Ok(text.into_owned())
}

/// Whether a quoted field is still open at the end of the text, by the rules of CSV:
/// a quote opens a field only at its start, and `""` inside a quoted field is a quote.
fn ends_inside_quotes(text: &str, separator: u8) -> bool {
    let sep = char::from(separator);
    let (mut in_quotes, mut at_start) = (false, true);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                } else {
                    in_quotes = false;
                }
            }
            continue;
        }
        match c {
            '"' if at_start => {
                in_quotes = true;
                at_start = false;
            }
            '\n' => at_start = true,
            c if c == sep => at_start = true,
            '\r' => {}
            _ => at_start = false,
        }
    }
    in_quotes
}

/// `;` when the header has more semicolons than commas outside quotes, else `,`.
fn detect_separator(text: &str) -> u8 {
    let mut in_quotes = false;
    let (mut commas, mut semis) = (0, 0);
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\n' if !in_quotes => break,
            ',' if !in_quotes => commas += 1,
            ';' if !in_quotes => semis += 1,
            _ => {}
        }
    }
    if semis > commas { b';' } else { b',' }
}

/// A file past the documented limits (docs/formats.md): refused before it is read further.
fn too_big(what: String, limit: String) -> Problems {
    Problems::from(Problem::file(ProblemKind::BadFormat { value: what, expected: traguardi_domain::said!("un file entro i limiti: {limit}", limit) }))
}

fn read_xlsx(bytes: &[u8]) -> Result<Parsed, Problems> {
    let malformed = |e: String| Problems::from(Problem::file(ProblemKind::Malformed { detail: e }));
    if !bytes.starts_with(b"PK\x03\x04") {
        return read_legacy_xls(bytes);
    }
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e: calamine::XlsxError| malformed(e.to_string()))?;
    let first = book.sheet_names().into_iter().next().ok_or_else(|| Problems::from(Problem::file(ProblemKind::EmptyFile)))?;
    let mut reader = book.worksheet_cells_reader(&first).map_err(|e| malformed(e.to_string()))?;
    // The size the sheet declares is checked before anything is allocated for it, and every
    // cell's place and length as it is read: a small file that claims the last cell of the
    // grid is refused, not allocated.
    let d = reader.dimensions();
    let (rows, cols) = ((d.end.0.saturating_sub(d.start.0)) as usize + 1, (d.end.1.saturating_sub(d.start.1)) as usize + 1);
    if rows > MAX_ROWS + 1 || cols > MAX_COLUMNS {
        return Err(too_big(format!("un foglio dichiarato di {rows} righe e {cols} colonne"), format!("al più {MAX_ROWS} righe e {MAX_COLUMNS} colonne")));
    }
    let mut cells: std::collections::BTreeMap<u32, Vec<(u32, String)>> = std::collections::BTreeMap::new();
    let (mut min_col, mut max_col) = (u32::MAX, 0u32);
    while let Some(cell) = reader.next_cell().map_err(|e| malformed(e.to_string()))? {
        let (r, c) = cell.get_position();
        if r as usize > MAX_ROWS || c as usize >= MAX_COLUMNS {
            return Err(too_big(format!("una cella alla riga {} e colonna {}", r + 1, c + 1), format!("al più {MAX_ROWS} righe e {MAX_COLUMNS} colonne")));
        }
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.chars().count() > MAX_CELL {
            return Err(too_big(
                format!("una cella di {} caratteri alla riga {}", text.chars().count(), r + 1),
                format!("celle di al più {MAX_CELL} caratteri"),
            ));
        }
        if text.is_empty() {
            continue;
        }
        min_col = min_col.min(c);
        max_col = max_col.max(c);
        cells.entry(r).or_default().push((c, text));
    }
    let (Some(&first_row), Some(&last_row)) = (cells.keys().next(), cells.keys().next_back()) else {
        return Err(Problems::from(Problem::file(ProblemKind::EmptyFile)));
    };
    // Rows from the first used to the last, columns from the first used to the last, as the
    // sheet shows them (empty rows in between stay, so line numbers match the sheet's).
    let width = (max_col - min_col + 1) as usize;
    let mut lines = (first_row..=last_row).map(|r| {
        let mut row = vec![String::new(); width];
        for (c, text) in cells.remove(&r).unwrap_or_default() {
            row[(c - min_col) as usize] = text;
        }
        Record { line: r as usize + 1, cells: row }
    });
    let header = lines.next().ok_or_else(|| Problems::from(Problem::file(ProblemKind::EmptyFile)))?;
    Ok((header.cells, lines.collect(), SourceFormat::Xlsx))
}

/// An old XLS workbook (OLE2): its format bounds a sheet at 65.536 rows and 256 columns.
fn read_legacy_xls(bytes: &[u8]) -> Result<Parsed, Problems> {
    let malformed = |e: String| Problems::from(Problem::file(ProblemKind::Malformed { detail: e }));
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| malformed(e.to_string()))?;
    let range = book.worksheet_range_at(0).ok_or_else(|| Problems::from(Problem::file(ProblemKind::EmptyFile)))?.map_err(|e| malformed(e.to_string()))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let mut lines = range.rows().enumerate().map(|(i, cells)| Record { line: first_row + i + 1, cells: cells.iter().map(cell_text).collect() });
    let header = lines.next().ok_or_else(|| Problems::from(Problem::file(ProblemKind::EmptyFile)))?;
    Ok((header.cells, lines.collect(), SourceFormat::Xlsx))
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => format!("{f}"),
        Data::Bool(b) => {
            if *b {
                "si".into()
            } else {
                "no".into()
            }
        }
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == NaiveTime::MIN => t.date().format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
            None => dt.to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// The positions of the columns an import uses, found by name in the header.
#[derive(Debug, Clone)]
pub struct Columns {
    names: Vec<(&'static str, Option<usize>)>,
}

impl Columns {
    /// Finds `required` and `optional` columns; lists every required column that is missing.
    pub fn find(table: &Table, required: &[&'static str], optional: &[&'static str]) -> Result<Columns, Problems> {
        let mut problems = Problems::default();
        let mut names = Vec::new();
        for &name in required.iter().chain(optional) {
            let pos = table.headers.iter().position(|h| h == name);
            if pos.is_none() && required.contains(&name) {
                problems.push(Problem { row: Some(1), column: Some(name.into()), kind: ProblemKind::MissingColumn });
            }
            names.push((name, pos));
        }
        problems.into_result()?;
        Ok(Columns { names })
    }

    /// The cell of `name` in `record`, empty when the optional column is absent.
    pub fn get<'r>(&self, record: &'r Record, name: &str) -> &'r str {
        self.names.iter().find(|(n, _)| *n == name).and_then(|(_, pos)| *pos).and_then(|p| record.cells.get(p)).map_or("", String::as_str)
    }

    pub fn has(&self, name: &str) -> bool {
        self.names.iter().any(|(n, pos)| *n == name && pos.is_some())
    }
}

#[cfg(test)]
mod tests;
