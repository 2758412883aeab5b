//! What the app's stories share.

use traguardi_app::AppError;
use traguardi_domain::Lang;

/// The message of a refusal; anything else (success or another error) fails the test.
pub fn refused<T: std::fmt::Debug>(r: Result<T, AppError>) -> String {
    match r {
        Err(e @ AppError::Refused(_)) => e.describe(Lang::It),
        other => panic!("expected a refusal, got {other:?}"),
    }
}
