//! Errors as pages: what went wrong in the person's language, with the right status, never a stack trace.

use crate::i18n::{Translate, lang, t};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use traguardi_app::AppError;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
    user: Option<crate::auth::UserView>,
}

pub fn page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = ErrorPage { title, message, user: None }.render().unwrap_or_else(|_| message.to_string());
    (status, Html(body)).into_response()
}

/// The answer to a form whose CSRF token is not the session's: it did not come from our page.
pub fn forged() -> Response {
    page(StatusCode::FORBIDDEN, t("Richiesta non valida"), t("Il modulo non proviene da questo sito: ricaricare la pagina."))
}

pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::api::not_found().await;
    }
    page(StatusCode::NOT_FOUND, t("Pagina non trovata"), t("L'indirizzo richiesto non corrisponde ad alcuna pagina."))
}

/// A use-case error as an HTTP answer.
pub struct WebError(pub AppError);

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        WebError(e)
    }
}

/// The HTTP status and title of a use-case error, for pages and API alike; the message shown.
/// Database errors are logged and never shown.
pub fn status_of(e: &AppError) -> (StatusCode, &'static str, String) {
    match e {
        AppError::NoSuchEnte { .. } | AppError::NoSuchCycle { .. } | AppError::NoEnte | AppError::NotFound(_) => {
            (StatusCode::NOT_FOUND, t("Non trovato"), e.describe(lang()))
        }
        AppError::Forbidden { .. } => (StatusCode::FORBIDDEN, t("Accesso negato"), e.describe(lang())),
        AppError::Conflict(_) => (StatusCode::CONFLICT, t("Modificato da altri"), e.describe(lang())),
        AppError::TooMany { .. } | AppError::LoginLocked { .. } => (StatusCode::TOO_MANY_REQUESTS, t("Troppe richieste"), e.describe(lang())),
        AppError::Invalid(_) | AppError::WhichEnte { .. } | AppError::Refused(_) => {
            (StatusCode::UNPROCESSABLE_ENTITY, t("Richiesta non valida"), e.describe(lang()))
        }
        // Two people saving the same thing at the same moment: the database kept the first.
        AppError::Store(db) if db.is_unique_violation() => {
            tracing::info!("concurrent write refused by a unique constraint: {db}");
            (
                StatusCode::CONFLICT,
                t("Modificato da altri"),
                t("Qualcun altro ha salvato lo stesso dato nello stesso momento: ricaricare la pagina e riprovare.").into(),
            )
        }
        AppError::Store(db) => {
            tracing::error!("database: {db}");
            (StatusCode::INTERNAL_SERVER_ERROR, t("Errore interno"), t("Il servizio non è al momento disponibile. Riprovare tra poco.").into())
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, title, message) = status_of(&self.0);
        page(status, title, &message)
    }
}

/// A request that panicked: a log line saying where, and a 500 problem answer (RFC 9457) that
/// says nothing of the inside. The process and every other request go on.
pub fn panicked(payload: Box<dyn std::any::Any + Send + 'static>) -> Response<String> {
    let what = payload.downcast_ref::<String>().map(String::as_str).or_else(|| payload.downcast_ref::<&str>().copied()).unwrap_or("panic");
    tracing::error!(panic = what, "a request panicked; answered 500");
    let body = serde_json::json!({
        "type": "about:blank",
        "title": "Errore interno",
        "status": 500,
        "detail": "La richiesta non è stata completata per un errore interno, registrato nel log del server. Riprovare; se si ripete, segnalarlo.",
    });
    let mut res = Response::new(body.to_string());
    *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    res.headers_mut().insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/problem+json"));
    res
}
