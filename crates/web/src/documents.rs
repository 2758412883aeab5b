//! Documents as files, shared by the web downloads and the command line: one function per
//! document turns its data into the bytes of the asked format.

use traguardi_app::AppError;
use traguardi_app::budget::commissioni::Report;
use traguardi_domain::said;

/// A file: its bytes, media type and extension.
pub struct Document {
    pub bytes: Vec<u8>,
    pub mime: &'static str,
    pub ext: &'static str,
}

impl Document {
    /// The document as a download named `stem` and its extension.
    pub fn download(self, stem: &str) -> axum::response::Response {
        attachment(self.mime, &format!("{stem}.{}", self.ext), self.bytes)
    }
}

/// Bytes as a file to save, never shown inline. The name is given plain (ASCII, no quotes) and
/// in full (RFC 6266 `filename*`) when that differs, since uploaded names may hold anything.
pub fn attachment(mime: &str, filename: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    let plain: String = filename.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let encoded: String =
        filename.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
    let disposition =
        if plain == filename { format!("attachment; filename=\"{plain}\"") } else { format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{encoded}") };
    ([(header::CONTENT_TYPE, mime.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response()
}

fn failed(e: impl std::fmt::Display) -> AppError {
    AppError::Refused(said!("documento non generato: {e}", e))
}

/// What a document is made of, for each format it can take.
pub struct Printed<'a> {
    /// Its PDF: the template and the data for it.
    pub pdf: Option<(traguardi_pdf::Template, serde_json::Value)>,
    /// Its tables: sheets of one workbook (XLSX), or one table (CSV) where they share a header.
    pub sheets: Vec<traguardi_docs::export::Sheet>,
    /// Its data as JSON, where it has that form.
    pub json: Option<&'a serde_json::Value>,
    /// Its DOCX, for a draft that is edited (the blocks of a prose document).
    pub docx: Option<&'a serde_json::Value>,
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

impl Printed<'_> {
    /// Whether its tables make one CSV: there are some, and they share one header.
    fn one_table(&self) -> bool {
        !self.sheets.is_empty() && self.sheets.windows(2).all(|w| w[0].header == w[1].header)
    }

    /// The formats this document can take, in the order offered.
    pub fn formats(&self) -> Vec<&'static str> {
        let mut f = Vec::new();
        if self.pdf.is_some() {
            f.push("pdf");
        }
        if !self.sheets.is_empty() {
            f.push("xlsx");
        }
        if self.one_table() {
            f.push("csv");
        }
        if self.docx.is_some() {
            f.push("docx");
        }
        if self.json.is_some() {
            f.push("json");
        }
        f
    }

    /// The document in `format`; a format it cannot take is refused, naming those it can.
    pub fn render(self, format: &str) -> Result<Document, AppError> {
        let formats = self.formats();
        let one_table = self.one_table();
        let (bytes, mime, ext) = match (format, self.pdf, self.json, self.docx) {
            ("pdf", Some((template, data)), _, _) => (traguardi_pdf::render(template, &data).map_err(failed)?, "application/pdf", "pdf"),
            ("xlsx", _, _, _) if !self.sheets.is_empty() => (traguardi_docs::export::to_xlsx_book(&self.sheets).map_err(failed)?, XLSX, "xlsx"),
            ("csv", _, _, _) if one_table => {
                let mut sheets = self.sheets.into_iter();
                let mut all = sheets.next().unwrap_or_default();
                all.rows.extend(sheets.flat_map(|s| s.rows));
                (traguardi_docs::export::to_csv(&all).map_err(failed)?, "text/csv; charset=utf-8", "csv")
            }
            ("docx", _, _, Some(blocks)) => {
                (traguardi_pdf::docx::render(blocks).map_err(failed)?, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
            }
            ("json", _, Some(v), _) => {
                let mut v = serde_json::to_vec_pretty(v).map_err(failed)?;
                v.push(b'\n');
                (v, "application/json", "json")
            }
            (other, _, _, _) => return Err(AppError::Refused(said!("formato «{other}» non disponibile: {join}", other, join = formats.join(", ")))),
        };
        Ok(Document { bytes, mime, ext })
    }
}

/// The REPORT COMMISSIONI as `pdf`, `xlsx` (two sheets), `csv` (one table) or `json`.
pub fn commissioni(report: &Report, format: &str) -> Result<Document, AppError> {
    let json = report.to_json();
    Printed { pdf: Some((traguardi_pdf::Template::Commissioni, report.printable())), sheets: report.sheets(), json: Some(&json), docx: None }.render(format)
}

/// The Piano degli Obiettivi as `pdf`, `xlsx`, `csv` (one row per KPI) or `json`.
pub fn piano(piano: &traguardi_app::documents::piano::Piano, format: &str) -> Result<Document, AppError> {
    let json = serde_json::to_value(piano).map_err(failed)?;
    Printed { pdf: Some((traguardi_pdf::Template::Piano, piano.printable())), sheets: vec![piano.sheet()], json: Some(&json), docx: None }.render(format)
}

/// The Relazione sulla Performance as `pdf`, `xlsx` (one sheet per table) or `json`.
pub fn relazione(relazione: &traguardi_app::documents::relazione::Relazione, format: &str) -> Result<Document, AppError> {
    let json = serde_json::to_value(relazione).map_err(failed)?;
    // Its tables differ in shape: no CSV.
    Printed { pdf: Some((traguardi_pdf::Template::Relazione, relazione.printable())), sheets: relazione.sheets(), json: Some(&json), docx: None }.render(format)
}

/// The monitoring report at a period as `pdf`, `xlsx` (KPIs, late values, objectives at risk)
/// or `json`.
pub fn monitoraggio(m: &traguardi_app::documents::monitoraggio::Monitoraggio, format: &str) -> Result<Document, AppError> {
    let json = serde_json::to_value(m).map_err(failed)?;
    Printed { pdf: Some((traguardi_pdf::Template::Monitoraggio, m.printable())), sheets: m.sheets(), json: Some(&json), docx: None }.render(format)
}

/// A prose document (a draft deliberation, an evaluation form, the NIV's reports) as `pdf` or
/// `docx`.
pub fn testo(testo: &traguardi_app::documents::testo::Testo, format: &str) -> Result<Document, AppError> {
    let data = testo.printable();
    Printed { pdf: Some((traguardi_pdf::Template::Testo, data.clone())), sheets: Vec::new(), json: None, docx: Some(&data) }.render(format)
}

/// The documents of a cycle, by the name used in URLs (`/documenti/{tipo}`).
pub const OF_CYCLE: [&str; 8] = ["piano", "relazione", "monitoraggio", "delibera-piano", "delibera-relazione", "scheda", "validazione", "funzionamento"];

/// What is asked of a document of a cycle besides its kind.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Asked {
    /// `pdf` unless given.
    pub formato: Option<String>,
    /// The monitoring report's day (default: today).
    pub periodo: Option<chrono::NaiveDate>,
    /// The person of an evaluation form.
    pub matricola: Option<String>,
}

/// A document of a cycle (one of [`OF_CYCLE`]) as asked, as `actor` may read it, with the name
/// to save it under.
pub async fn of_cycle(
    store: &traguardi_app::Store,
    actor: &traguardi_app::Actor,
    code: &str,
    year: i32,
    kind: &str,
    asked: &Asked,
) -> Result<(Document, String), AppError> {
    let format = asked.formato.as_deref().unwrap_or("pdf");
    let period = asked.periodo;
    let mut name = format!("{kind}-{code}-{year}");
    let doc = match kind {
        "piano" => piano(&traguardi_app::documents::piano::build(store, actor, Some(code), year).await?, format)?,
        "relazione" => relazione(&traguardi_app::documents::relazione::build(store, actor, Some(code), year).await?, format)?,
        "monitoraggio" => {
            // As it stands today, unless `?periodo=` names another day.
            let period = period.unwrap_or_else(|| chrono::Local::now().date_naive());
            monitoraggio(&traguardi_app::documents::monitoraggio::build(store, actor, Some(code), year, period).await?, format)?
        }
        "delibera-piano" | "delibera-relazione" => {
            use traguardi_app::documents::delibera::{self, Oggetto};
            let oggetto = if kind == "delibera-piano" { Oggetto::Piano } else { Oggetto::Relazione };
            testo(&delibera::build(store, actor, Some(code), year, oggetto).await?, format)?
        }
        "scheda" => {
            let matricola = asked
                .matricola
                .as_deref()
                .filter(|m| !m.trim().is_empty())
                .ok_or_else(|| AppError::Invalid(traguardi_domain::Problem::column("matricola", traguardi_domain::ProblemKind::Required).into()))?;
            name = format!("{kind}-{code}-{year}-{matricola}");
            testo(&traguardi_app::documents::scheda::build(store, actor, Some(code), year, matricola).await?, format)?
        }
        "validazione" => testo(&traguardi_app::documents::niv::validazione(store, actor, Some(code), year).await?, format)?,
        "funzionamento" => testo(&traguardi_app::documents::niv::funzionamento(store, actor, Some(code), year).await?, format)?,
        other => {
            return Err(AppError::NotFound(said!("nessun documento «{other}» del ciclo: {join}", other, join = OF_CYCLE.join(", "))));
        }
    };
    Ok((doc, name))
}

/// A table as `csv` or `xlsx`.
pub fn sheet(sheet: &traguardi_docs::export::Sheet, format: &str) -> Result<Document, AppError> {
    Ok(match format {
        "csv" => Document { bytes: traguardi_docs::export::to_csv(sheet).map_err(failed)?, mime: "text/csv; charset=utf-8", ext: "csv" },
        "xlsx" => Document { bytes: traguardi_docs::export::to_xlsx(sheet).map_err(failed)?, mime: XLSX, ext: "xlsx" },
        other => return Err(AppError::Refused(said!("formato «{other}» non disponibile: csv, xlsx", other))),
    })
}
