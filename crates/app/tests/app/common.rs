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

/// A second ente beside the demo: Comune di Torino (001272).
pub async fn torino(store: &traguardi_store::Store) -> traguardi_store::ente::Ente {
    use traguardi_domain::ente::{EnteCode, EnteKind, NewEnte};
    let new = NewEnte {
        code: EnteCode::parse("001272").expect("code"),
        name: "Comune di Torino".into(),
        codice_fiscale: None,
        kind: EnteKind::Comune,
        staff_size: 9000,
        has_dirigenti: true,
    };
    traguardi_app::org::enti::create(store, &traguardi_app::Actor::console(), &new).await.expect("ente")
}
