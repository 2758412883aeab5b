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

pub const FORMATS: [&str; 4] = ["pdf", "xlsx", "csv", "json"];

fn failed(e: impl std::fmt::Display) -> AppError {
    AppError::Refused(said!("documento non generato: {e}", e))
}

/// The REPORT COMMISSIONI as `pdf`, `xlsx` (two sheets), `csv` (one table) or `json`.
pub fn commissioni(report: &Report, format: &str) -> Result<Document, AppError> {
    let (bytes, mime, ext) = match format {
        "pdf" => (traguardi_pdf::render(traguardi_pdf::Template::Commissioni, &report.printable()).map_err(failed)?, "application/pdf", "pdf"),
        "xlsx" => (
            traguardi_docs::export::to_xlsx_book(&report.sheets()).map_err(failed)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        "csv" => {
            let mut sheets = report.sheets().into_iter();
            let mut all = sheets.next().unwrap_or_default();
            all.rows.extend(sheets.flat_map(|s| s.rows));
            (traguardi_docs::export::to_csv(&all).map_err(failed)?, "text/csv; charset=utf-8", "csv")
        }
        "json" => {
            let mut v = serde_json::to_vec_pretty(&report.to_json()).map_err(failed)?;
            v.push(b'\n');
            (v, "application/json", "json")
        }
        other => return Err(AppError::Refused(said!("formato «{other}» non disponibile: {join}", other, join = FORMATS.join(", ")))),
    };
    Ok(Document { bytes, mime, ext })
}

/// A table as `csv` or `xlsx`.
pub fn sheet(sheet: &traguardi_docs::export::Sheet, format: &str) -> Result<Document, AppError> {
    Ok(match format {
        "csv" => Document { bytes: traguardi_docs::export::to_csv(sheet).map_err(failed)?, mime: "text/csv; charset=utf-8", ext: "csv" },
        "xlsx" => Document {
            bytes: traguardi_docs::export::to_xlsx(sheet).map_err(failed)?,
            mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ext: "xlsx",
        },
        other => return Err(AppError::Refused(said!("formato «{other}» non disponibile: csv, xlsx", other))),
    })
}
