//! The router without a socket: pages, health, static files and headers, on every backend.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use traguardi_app::samples::demo;
use traguardi_store::testing;
use traguardi_web::{AppState, router};

async fn get(state: &AppState, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = router(state.clone()).oneshot(Request::get(uri).body(Body::empty()).expect("request")).await.expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (status, headers, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn pages_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        let state = AppState::new(store.clone());

        let (status, _, body) = get(&state, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Nessun ente nel database"), "empty installation says what to do");

        demo::load(&store).await.expect("demo");
        let (status, headers, body) = get(&state, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Comune di Milano (dati dimostrativi)"));
        assert!(body.contains("<html lang=\"it\">"));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(headers["content-security-policy"].to_str().expect("csp").contains("frame-ancestors 'none'"));

        let (status, headers, _) = get(&state, "/enti/015146").await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(headers["location"], "/enti/015146/cicli/2022/struttura");

        let (status, _, body) = get(&state, "/enti/015146/cicli/2020/struttura").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Ciclo 2020 (2020–2022): 28 strutture, 225 incarichi."));
        assert!(body.contains("DIREZIONE SISTEMI INFORMATIVI E AGENDA DIGITALE"));
        assert!(body.contains("Dott. Francesco Castanò"));
        assert!(body.contains("Dott.ssa Carmela Francesca"));
        // AREA CRM hangs from SIAD, right after it and indented.
        let siad = body.find(">SIAD<").expect("SIAD");
        let crm = body.find(">CRM<").expect("CRM");
        assert!(siad < crm);
        assert!(body.contains("tree-depth-1"));
        assert!(body.contains("aria-current=\"page\" href=\"/enti/015146/cicli/2020/struttura\""));

        let (status, _, body) = get(&state, "/enti/015146/cicli/2020/piano").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            body.contains("281 obiettivi, 328 KPI. Risultato dell&#39;ente: <strong>82,86%</strong> <span class=\"badge bg-success\">verde</span>"),
            "{body}"
        );
        assert!(body.contains("href=\"/enti/015146/cicli/2020/obiettivi/SAL-12\""));
        // One Direzione's objectives: SIAD's, not the others'; an unknown one is not found.
        assert!(body.contains("href=\"/enti/015146/cicli/2020/piano?direzione=SIAD#obiettivi\""), "{body}");
        let (status, _, body) = get(&state, "/enti/015146/cicli/2020/piano?direzione=SIAD").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Obiettivi della struttura <strong>SIAD</strong> e di quelle sotto."), "{body}");
        assert!(body.contains("/obiettivi/SIAD-2020-01\"") && !body.contains("/obiettivi/SAL-12\""), "{body}");
        assert_eq!(get(&state, "/enti/015146/cicli/2020/piano?direzione=NOPE").await.0, StatusCode::NOT_FOUND);
        let (status, _, body) = get(&state, "/enti/015146/cicli/2020/obiettivi/SAL-12").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("<strong class=\"h4\">89,72%</strong>"));
        assert!(body.contains("Media ponderata: (80,00 × 1 + 100,00 × 1 + 83,33 × 1 + 95,56 × 1) / 4 = 89,72."));
        assert!(body.contains("Più alto è meglio: 1.720.000 / 1.500.000 × 100 = 114,67, limitato a 100,00."));
        assert!(body.contains("Salute del Sistema di Relazioni"));
        assert!(!body.contains("Valore non aggiornato"), "2020's values are all in");
        let (status, _, body) = get(&state, "/enti/015146/cicli/2021/obiettivi/DG-2021-01").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Valore non aggiornato: nessun valore, atteso al 31/12/2021"), "{body}");
        let (status, _, body) = get(&state, "/enti/015146/cicli/2020/obiettivi/SOL-04").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Non valutabile: Eventi internazionali annullati per l&#39;emergenza Covid-19"), "{body}");
        let (status, _, body) = get(&state, "/enti/015146/cicli/2020/obiettivi/NOPE").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("obiettivo NOPE inesistente nel ciclo 2020"));

        let (status, _, body) = get(&state, "/enti/015146/cicli/2019/struttura").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("ciclo 2019 inesistente per questo ente"));
        let (status, _, body) = get(&state, "/enti/999999").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("ente 999999 inesistente"));
        let (status, _, body) = get(&state, "/enti/abc").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("codice ISTAT di 6 cifre"));
        let (status, _, body) = get(&state, "/nessuna/pagina").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("Pagina non trovata"));

        // The budget: the year's PEG by Missione and Programma and by CdR, and the REPORT
        // COMMISSIONI to download.
        let (status, headers, _) = get(&state, "/enti/015146/bilancio").await;
        assert_eq!((status, headers["location"].to_str().expect("location")), (StatusCode::SEE_OTHER, "/enti/015146/bilancio/2025"));
        let (status, _, body) = get(&state, "/enti/015146/bilancio/2025?direzione=SIAD").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("<strong>3.631.120,00 €</strong> previsti per il 2025"), "{body}");
        assert!(body.contains("<td class=\"text-end tabular\">4.327.720,00</td><td class=\"text-end tabular\">4.186.420,00</td><td class=\"text-end tabular\">3.525.520,00</td>"), "{body}");
        assert!(body.contains("Sviluppare i canali relazionali di informazione, monitoraggio e trasparenza nei servizi"));
        assert!(body.contains("href=\"/enti/015146/bilancio/2025/commissioni?formato=pdf&amp;direzione=SIAD\""));
        let (status, headers, body) = get(&state, "/enti/015146/bilancio/2025/commissioni?formato=csv&cdr=222").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-disposition"], "attachment; filename=\"commissioni-2025-cdr-222.csv\"");
        assert!(body.contains(",Totale Settore 222,,,4496720.00,4232270.00,3631120.00,"), "{body}");
        let (status, headers, body) = get(&state, "/enti/015146/bilancio/2025/commissioni?cdr=222").await;
        assert_eq!((status, headers["content-type"].to_str().expect("type")), (StatusCode::OK, "application/pdf"));
        assert!(body.starts_with("%PDF-"));
        let (status, _, body) = get(&state, "/enti/015146/bilancio/2025/commissioni?formato=doc&cdr=222").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("formato «doc» non disponibile: pdf, xlsx, csv, json"));
        // The documents of the cycle, from the plan's and the dashboard's pages and the API.
        let (_, _, body) = get(&state, "/enti/015146/cicli/2020/piano").await;
        assert!(body.contains("href=\"/enti/015146/cicli/2020/documenti/piano?formato=pdf\" download>PDF"), "{body}");
        let (_, _, body) = get(&state, "/enti/015146/cicli/2020/cruscotto").await;
        assert!(body.contains("href=\"/enti/015146/cicli/2020/documenti/relazione?formato=xlsx\" download>XLSX"), "{body}");
        let (status, headers, body) = get(&state, "/enti/015146/cicli/2020/documenti/piano?formato=csv").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-disposition"], "attachment; filename=\"piano-015146-2020.csv\"");
        assert!(body.contains(",SOL-07-K1,Certificati anagrafici emessi online,numero,crescente,certificati,,1,500000,,\n"), "{body}");
        let (status, headers, body) = get(&state, "/api/v1/enti/015146/cicli/2020/documenti/relazione?formato=json").await;
        assert_eq!((status, headers["content-type"].to_str().expect("type")), (StatusCode::OK, "application/json"));
        assert!(body.contains("\"risultato\": \"82,86%\""), "{body}");
        let (status, headers, body) = get(&state, "/api/v1/enti/015146/cicli/2020/documenti/relazione").await;
        assert_eq!((status, headers["content-type"].to_str().expect("type")), (StatusCode::OK, "application/pdf"));
        assert!(body.starts_with("%PDF-"));
        let (status, _, body) = get(&state, "/api/v1/enti/015146/cicli/2020/documenti/verbale").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(
            body.contains(
                "nessun documento «verbale» del ciclo: piano, relazione, monitoraggio, delibera-piano, delibera-relazione, scheda, validazione, funzionamento"
            ),
            "{body}"
        );
        // A form needs its person.
        let (status, _, body) = get(&state, "/api/v1/enti/015146/cicli/2020/documenti/scheda").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("matricola"), "{body}");
        let (status, _, body) = get(&state, "/enti/015146/bilancio/2019").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("nessuna riga di PEG di spesa per Ente 015146 negli anni 2017–2019"), "{body}");

        // The same scores and explanations through the API.
        let (status, headers, body) = get(&state, "/api/v1/enti/015146/cicli/2020/punteggi").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-type"], "application/json");
        assert!(
            body.contains("{\"livello\":\"ente\",\"codice\":\"015146\",\"nome\":\"Comune di Milano (dati dimostrativi)\",\"percentuale\":\"82.86\""),
            "{body}"
        );
        let (status, _, body) = get(&state, "/api/v1/enti/015146/cicli/2020/spiegazioni/SAL-12-K3").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            body,
            "{\"codice\":\"SAL-12-K3\",\"righe\":[\"KPI SAL-12-K3 «Tempo medio di risposta»: 83,33%. Più basso è meglio: 10 / 12 × 100 = 83,33.\"]}"
        );
        let (status, headers, body) = get(&state, "/api/v1/enti/015146/cicli/2019/punteggi").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(headers["content-type"], "application/problem+json");
        assert_eq!(body, "{\"type\":\"about:blank\",\"title\":\"Non trovato\",\"status\":404,\"detail\":\"ciclo 2019 inesistente per questo ente\"}");

        let (status, _, body) = get(&state, "/healthz").await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
        let (status, _, _) = get(&state, "/readyz").await;
        assert_eq!(status, StatusCode::OK);

        let (status, headers, _) = get(&state, "/static/vendor/bootstrap-italia/css/bootstrap-italia.min.css").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-type"], "text/css; charset=utf-8");
        let (status, _, _) = get(&state, "/static/../Cargo.toml").await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // A closed cycle says so on its plan page.
        let ente = demo::load(&store).await.expect("demo").0;
        let r = traguardi_app::cycle::close::close(&store, &traguardi_app::Actor::console(), &ente, 2020, Some("validazione su carta")).await.expect("close");
        let (_, _, body) = get(&state, "/enti/015146/cicli/2020/piano").await;
        assert!(body.contains("(chiusura forzata: il motivo è nel registro di audit)"), "{body}");
        assert!(body.contains(&format!("istantanea SHA-256 {}.", r.hash)));
        let (_, _, body) = get(&state, "/enti/015146/cicli/2021/piano").await;
        assert!(!body.contains("Ciclo chiuso"));

        // A database that went away: readyz says so, healthz still answers.
        store.close().await;
        let (status, _, _) = get(&state, "/readyz").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        let (status, _, _) = get(&state, "/healthz").await;
        assert_eq!(status, StatusCode::OK);
    }
}

/// A plan of thousands of objectives lists them one Direzione at a time.
#[tokio::test]
async fn large_plans_list_one_direzione_at_a_time() {
    let store = testing::sqlite().await.expect("store");
    traguardi_app::samples::metropoli::store(&store).await.expect("metropoli");
    let state = AppState::new(store);
    let (status, _, body) = get(&state, "/enti/099999/cicli/2025/piano").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Il piano ha 3000 obiettivi: scegliere una Direzione"), "{body}");
    assert!(!body.contains("/obiettivi/D07-03\""), "no objective listed");
    let (_, _, body) = get(&state, "/enti/099999/cicli/2025/piano?direzione=D07").await;
    assert!(body.contains("/obiettivi/D07-03\"") && body.contains("/obiettivi/D07-03-F2\"") && !body.contains("/obiettivi/D08-03\""), "{body}");
}

/// A request that panics gets a 500 problem answer; the next request is served as usual.
#[tokio::test]
async fn a_panic_is_a_500_not_a_crash() {
    async fn boom() -> &'static str {
        panic!("a bug in a handler")
    }
    let app = traguardi_web::catch_panics(axum::Router::new().route("/boom", axum::routing::get(boom)).route("/ok", axum::routing::get(|| async { "ok" })));
    let res = app.clone().oneshot(Request::get("/boom").body(Body::empty()).expect("request")).await.expect("response");
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let body = String::from_utf8_lossy(&res.into_body().collect().await.expect("body").to_bytes()).into_owned();
    assert!(body.contains("\"status\":500") && !body.contains("a bug in a handler"), "{body}");
    let res = app.oneshot(Request::get("/ok").body(Body::empty()).expect("request")).await.expect("response");
    assert_eq!(res.status(), StatusCode::OK);
}

/// Every answer carries its request id (the proxy's when plain); `/metrics` counts requests by
/// route pattern and opens only to the machine itself or to the bearer of the token.
#[tokio::test]
async fn request_ids_and_metrics() {
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    let mut state = AppState::new(store);
    let send = |state: &AppState, req: Request<Body>| {
        let state = state.clone();
        async move {
            let res = router(state).oneshot(req).await.expect("response");
            let (status, id) = (res.status(), res.headers().get("x-request-id").map(|v| v.to_str().unwrap_or_default().to_string()));
            let body = String::from_utf8_lossy(&res.into_body().collect().await.expect("body").to_bytes()).into_owned();
            (status, id, body)
        }
    };
    let (_, id, _) = send(&state, Request::get("/healthz").header("x-request-id", "proxy-42").body(Body::empty()).expect("req")).await;
    assert_eq!(id.as_deref(), Some("proxy-42"));
    let (_, id, _) = send(&state, Request::get("/healthz").header("x-request-id", "<script>").body(Body::empty()).expect("req")).await;
    assert!(id.is_some_and(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())), "a new id");
    for _ in 0..2 {
        send(&state, Request::get("/enti/015146/cicli/2020/cruscotto").body(Body::empty()).expect("req")).await;
    }

    // From elsewhere, without a token: refused.
    let (status, _, _) = send(&state, Request::get("/metrics").body(Body::empty()).expect("req")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // From the machine itself.
    let local = std::net::SocketAddr::from(([127, 0, 0, 1], 9000));
    let req = Request::get("/metrics").extension(axum::extract::ConnectInfo(local)).body(Body::empty()).expect("req");
    let (status, _, body) = send(&state, req).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("traguardi_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 2\n"), "{body}");
    assert!(body.contains("traguardi_http_requests_total{method=\"GET\",route=\"/enti/{code}/cicli/{year}/cruscotto\",status=\"200\"} 2\n"), "{body}");
    assert!(body.contains("traguardi_http_request_duration_seconds_count{route=\"/enti/{code}/cicli/{year}/cruscotto\"} 2\n"), "{body}");
    assert!(body.contains("traguardi_scores_recompute_seconds_count 1\n"), "computed once, then kept: {body}");
    assert!(body.contains("traguardi_db_pool_max_connections 8\n"), "{body}");
    // Through a proxy on the same machine: from elsewhere.
    let req = Request::get("/metrics").header("x-forwarded-for", "203.0.113.9").extension(axum::extract::ConnectInfo(local)).body(Body::empty()).expect("req");
    assert_eq!(send(&state, req).await.0, StatusCode::FORBIDDEN);
    // With a token: only its bearer, wherever from.
    state.metrics_token = Some("segreto-del-monitoraggio".into());
    let (status, _, _) = send(&state, Request::get("/metrics").header("authorization", "Bearer altro").body(Body::empty()).expect("req")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let req = Request::get("/metrics").header("authorization", "Bearer segreto-del-monitoraggio").body(Body::empty()).expect("req");
    assert_eq!(send(&state, req).await.0, StatusCode::OK);
}
