//! How the reads answer: lists a page at a time, with a cursor to the next page, and every
//! answer with an `ETag`, so that a client that already holds it gets `304 Not Modified`.
//!
//! A list is ordered by a key that names each item once (a code, a matricola, a KPI's code with
//! the period and version); the cursor is the last key of a page, so a page never skips or
//! repeats an item when others are added or removed meanwhile.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use super::ApiError;
use crate::i18n::{t, t1};

/// Items a page holds when `limite` is not given, and at most.
pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 1000;

/// Which page of a list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// How many items, 1 to 1000 (100 when not given).
    #[param(minimum = 1, maximum = 1000)]
    pub limite: Option<usize>,
    /// Where the page starts: the `successivo` of the page before (none for the first page).
    #[param(pattern = "^[A-Za-z0-9_-]+$")]
    pub cursore: Option<String>,
}

/// A page of a list.
#[derive(Serialize, ToSchema)]
pub struct Page<T> {
    /// The items, in the list's order.
    pub elementi: Vec<T>,
    /// How many items the whole list has (with the filters asked for).
    pub totale: usize,
    /// The cursor of the next page, or none on the last page.
    pub successivo: Option<String>,
}

/// The page of `items` (sorted by `key`, each key once) that `q` asks for.
pub fn page<T>(items: Vec<T>, key: impl Fn(&T) -> String, q: &PageQuery) -> Result<Page<T>, ApiError> {
    let limit = q.limite.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(bad(t1("limite {}: tra 1 e 1000", limit)));
    }
    let after = q.cursore.as_deref().map(decode).transpose()?;
    let totale = items.len();
    let mut rest: Vec<T> = items.into_iter().filter(|i| after.as_ref().is_none_or(|a| key(i) > *a)).collect();
    let successivo = (rest.len() > limit).then(|| encode(&key(&rest[limit - 1])));
    rest.truncate(limit);
    Ok(Page { elementi: rest, totale, successivo })
}

/// The page of `items` kept in their own order (a tree's, a budget's), which no key of theirs
/// follows: the cursor is the position, zero-padded to sort as text.
pub fn page_in_order<T>(items: Vec<T>, q: &PageQuery) -> Result<Page<T>, ApiError> {
    let p = page(items.into_iter().enumerate().collect(), |(i, _)| format!("{i:08}"), q)?;
    Ok(Page { elementi: p.elementi.into_iter().map(|(_, item)| item).collect(), totale: p.totale, successivo: p.successivo })
}

fn encode(key: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key)
}

fn decode(cursor: &str) -> Result<String, ApiError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .filter(|key| !key.is_empty())
        .ok_or_else(|| bad(t("cursore non valido: usare il campo «successivo» della pagina precedente").into()))
}

fn bad(detail: String) -> ApiError {
    ApiError::Plain(StatusCode::BAD_REQUEST, t("Richiesta non valida"), detail)
}

/// The `ETag` of an answer's bytes: the first half of their SHA-256.
fn etag_of(body: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(body);
    let tag = format!("\"{}\"", digest.iter().take(16).map(|b| format!("{b:02x}")).collect::<String>());
    HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"\""))
}

/// Whether the request's `If-None-Match` names `tag` (or `*`).
fn seen(headers: &HeaderMap, tag: &HeaderValue) -> bool {
    let tag = tag.to_str().unwrap_or_default();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().trim_start_matches("W/"))
        .any(|v| v == tag || v == "*")
}

/// The answer as JSON with its `ETag` (the SHA-256 of its bytes), or `304` with no body when
/// the request's `If-None-Match` already names it. Clients must check again each time
/// (`Cache-Control: no-cache`): the data change whenever someone writes.
pub fn cached<T: Serialize>(headers: &HeaderMap, answer: &T) -> Response {
    match serde_json::to_vec(answer) {
        Ok(body) => cached_bytes(headers, body, &[(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))]),
        Err(e) => ApiError::Plain(StatusCode::INTERNAL_SERVER_ERROR, t("Errore interno"), e.to_string()).into_response(),
    }
}

/// Any answer's bytes with their `ETag` and `Cache-Control`, and `more` headers (its type, a
/// file name), or `304` with no body as [`cached`].
pub fn cached_bytes(headers: &HeaderMap, body: Vec<u8>, more: &[(header::HeaderName, HeaderValue)]) -> Response {
    let etag = etag_of(&body);
    let cache = HeaderValue::from_static("private, no-cache");
    let mut res = if seen(headers, &etag) { StatusCode::NOT_MODIFIED.into_response() } else { body.into_response() };
    if res.status() == StatusCode::OK {
        for (name, value) in more {
            res.headers_mut().insert(name.clone(), value.clone());
        }
    }
    res.headers_mut().insert(header::ETAG, etag);
    res.headers_mut().insert(header::CACHE_CONTROL, cache);
    res
}
