//! Forms that carry a file (multipart): their text fields and the one file, read within a size
//! limit. A file over the limit gets a page that says the limit, not a bare 413.

use std::collections::HashMap;

use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::Response;

use crate::error::page;

pub struct FileForm {
    pub fields: HashMap<String, String>,
    /// (file name as sent, bytes), when a file was chosen.
    pub file: Option<(String, Vec<u8>)>,
}

impl FileForm {
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// Reads every part; the one named `file` is the file. `limit` is said in the message when the
/// body was cut short by the route's body limit.
///
/// The form must come from a session and carry its CSRF token as its first part (the pages put
/// the hidden `csrf` input first): without a session, or when the first part is not the
/// session's token, the upload is refused before the rest of the body — the file — is read.
pub async fn read(mut form: Multipart, limit: usize, session_csrf: Option<&str>) -> Result<FileForm, Response> {
    let too_large = || {
        page(
            StatusCode::PAYLOAD_TOO_LARGE,
            "File troppo grande",
            &format!("Il file supera il limite di {} MB: dividerlo in parti più piccole.", limit / (1024 * 1024)),
        )
    };
    let broken = || page(StatusCode::BAD_REQUEST, "Richiesta non valida", "Il modulo inviato è incompleto o malformato: ricaricare la pagina e riprovare.");
    let Some(expected) = session_csrf else { return Err(crate::error::forged()) };
    match form.next_field().await {
        Ok(Some(first)) if first.name() == Some("csrf") => match first.text().await {
            Ok(token) if token == expected => {}
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            _ => return Err(crate::error::forged()),
        },
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
        _ => return Err(crate::error::forged()),
    }
    let mut out = FileForm { fields: HashMap::from([("csrf".to_string(), expected.to_string())]), file: None };
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err(broken()),
        };
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.file_name().map(str::to_string);
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err(broken()),
        };
        if bytes.len() > limit {
            return Err(too_large());
        }
        match (name.as_str(), filename) {
            // A file input left empty still sends a part, with no name and no bytes.
            ("file", Some(f)) if !(f.is_empty() && bytes.is_empty()) => out.file = Some((f, bytes.to_vec())),
            ("file", _) => {}
            _ => {
                out.fields.insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    Ok(out)
}

/// The body limit of a route that takes a file of at most `limit` bytes (room for the form).
pub fn body_limit(limit: usize) -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(limit + 64 * 1024)
}
