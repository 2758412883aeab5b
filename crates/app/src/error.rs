//! The errors of use cases, each with a message that says what to do.

use traguardi_domain::said::Said;
use traguardi_domain::{Lang, Problems};
use traguardi_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input has problems; nothing was written.
    #[error("{0}")]
    Invalid(Problems),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("ente {code} inesistente")]
    NoSuchEnte { code: String },
    #[error("ciclo {year} inesistente per questo ente")]
    NoSuchCycle { year: i32 },
    #[error("il database contiene più enti ({codes}): indicare --ente CODICE")]
    WhichEnte { codes: String },
    #[error("il database non contiene alcun ente: caricare la demo (traguardi demo) o importare dati")]
    NoEnte,
    /// The request is understood but the rules refuse it; the reason in the reader's language.
    #[error("{0}")]
    Refused(Said),
    /// Someone else changed the thing since the user read it (optimistic locking).
    #[error("{0}")]
    Conflict(Said),
    /// Something named in the request does not exist.
    #[error("{0}")]
    NotFound(Said),
    #[error("operazione non consentita a {actor}: {what}")]
    Forbidden { actor: String, what: Said },
    /// Too many failed logins for an account: locked for `minutes`.
    #[error("troppi tentativi falliti: riprovare tra {minutes} minuti")]
    LoginLocked { minutes: i64 },
    /// An API token past its requests per minute; `retry_after` seconds until the next minute.
    #[error("troppe richieste con questo token: al più {limit} al minuto; riprovare tra {retry_after} secondi")]
    TooMany { limit: u32, retry_after: u64 },
}

impl AppError {
    /// The message in the user's language (lists every problem of an invalid input).
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (AppError::Invalid(p), _) => p.describe(lang),
            (AppError::Refused(s) | AppError::Conflict(s) | AppError::NotFound(s), _) => s.describe(lang),
            (AppError::Forbidden { actor, what }, Lang::En) => format!("operation not allowed to {actor}: {}", what.describe(lang)),
            (AppError::NoSuchEnte { code }, Lang::En) => format!("no ente {code}"),
            (AppError::NoSuchCycle { year }, Lang::En) => format!("no cycle {year} for this ente"),
            (AppError::WhichEnte { codes }, Lang::En) => format!("the database holds several enti ({codes}): pass --ente CODE"),
            (AppError::TooMany { limit, retry_after }, Lang::En) => {
                format!("too many requests with this token: at most {limit} a minute; try again in {retry_after} seconds")
            }
            (AppError::LoginLocked { minutes }, Lang::En) => format!("too many failed attempts: try again in {minutes} minutes"),
            (AppError::NoEnte, Lang::En) => "the database holds no ente: load the demo (traguardi demo) or import data".into(),
            _ => self.to_string(),
        }
    }
}

impl From<Problems> for AppError {
    fn from(p: Problems) -> Self {
        AppError::Invalid(p)
    }
}

impl From<traguardi_store::SqlError> for AppError {
    fn from(e: traguardi_store::SqlError) -> Self {
        AppError::Store(StoreError::Sql(e))
    }
}
