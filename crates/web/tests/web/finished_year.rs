//! The demo as `traguardi demo` leaves it, on every backend: a finished 2020 whose pages and
//! documents have content for each role, and a 2021 in monitoring.

use crate::common;

use axum::http::StatusCode;
use common::{get, login, send};
use traguardi_app::samples::{demo, demo_years};
use traguardi_store::testing;
use traguardi_web::AppState;

#[tokio::test]
async fn a_finished_year_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        let (ente, _) = demo::load(&store).await.expect("demo");
        assert!(demo_years::finish(&store, &ente).await.expect("finished"));
        assert!(!demo_years::finish(&store, &ente).await.expect("again"), "a second run does nothing");
        let state = AppState::new(store);

        // Amministrazione trasparente: both documents of 2020, the Piano of 2021.
        let (status, _, body) = send(&state, get("/enti/015146/trasparenza", "")).await;
        assert_eq!(status, StatusCode::OK);
        for link in [
            "href=\"/enti/015146/cicli/2020/documenti/piano?formato=pdf\" download>Piano degli Obiettivi 2020 (PDF)",
            "href=\"/enti/015146/cicli/2020/documenti/relazione?formato=pdf\" download>Relazione sulla Performance 2020 (PDF)",
            "href=\"/enti/015146/cicli/2021/documenti/piano?formato=pdf\" download>Piano degli Obiettivi 2021 (PDF)",
        ] {
            assert!(body.contains(link), "{link}\n{body}");
        }
        assert!(body.contains("pubblicata il 30/06/2021"), "{body}");

        // The NIV reads its validation of the year; the employee their form with the premium.
        let (niv, _) = login(&state, "niv").await;
        let (status, _, body) = send(&state, get("/enti/015146/cicli/2020/documenti/validazione?formato=docx", &niv)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.starts_with("PK"), "a DOCX is a zip");
        let (employee, _) = login(&state, "dipendente").await;
        let (status, _, body) = send(&state, get("/enti/015146/cicli/2020/la-mia-valutazione", &employee)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Premi approvati (scenario «base»): <strong>"), "the approved premium: {body}");
        // The Relazione's path, through the API.
        let (status, _, body) = send(&state, get("/api/v1/enti/015146/cicli/2020/documenti/relazione?formato=json", "")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("\"stato\": \"pubblicata\"") && body.contains("\"atto\": \"GC 9001/2021\""), "{body}");
    }
}
