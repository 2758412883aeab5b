//! The cycle driven through the API, on SQLite and PostgreSQL: the demo's 2020 from the plan's
//! approval to the close with the planner's and the NIV's tokens, every step in the audit
//! trail under the token's account; refusals as problem+json; tampering found by the check.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use traguardi_app::{Actor, accounts::users, samples::demo};
use traguardi_store::{Store, testing};
use traguardi_web::{AppState, router};

const CYCLE: &str = "/api/v1/enti/015146/cicli/2020";

async fn send(state: &AppState, req: Request<Body>) -> (StatusCode, String, Value) {
    let res = router(state.clone()).oneshot(req).await.expect("response");
    let status = res.status();
    let kind = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (status, kind, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn post(uri: &str, token: Option<&str>, body: &Value) -> Request<Body> {
    let mut r = Request::post(uri).header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    r.body(Body::from(body.to_string())).expect("request")
}

fn get(uri: &str, token: &str) -> Request<Body> {
    Request::get(uri).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).expect("request")
}

/// Posts and expects success; returns the JSON answer.
async fn ok(state: &AppState, uri: &str, token: &str, body: Value) -> Value {
    let (status, _, answer) = send(state, post(uri, Some(token), &body)).await;
    assert_eq!(status, StatusCode::OK, "{uri} {body}: {answer}");
    answer
}

/// Posts and expects a problem+json with `status`; returns its detail.
async fn problem(state: &AppState, uri: &str, token: Option<&str>, body: Value, status: StatusCode) -> String {
    let (got, kind, answer) = send(state, post(uri, token, &body)).await;
    assert_eq!((got, kind.as_str()), (status, "application/problem+json"), "{uri} {body}: {answer}");
    assert_eq!(answer["status"], status.as_u16());
    answer["detail"].as_str().expect("detail").to_string()
}

async fn story(store: Store) {
    demo::load(&store).await.expect("demo");
    let console = Actor::console();
    let planner = users::add_token(&store, &console, "pianificatore", "script di chiusura").await.expect("token").token;
    let niv = users::add_token(&store, &console, "niv", "nucleo").await.expect("token").token;
    let state = AppState::new(store.clone());
    let stato = format!("{CYCLE}/stato");

    // Without a token, with a malformed or an unknown one: refused, never read as the public.
    let msg = problem(&state, &stato, None, json!({"stato": "proposto"}), StatusCode::UNAUTHORIZED).await;
    assert!(msg.starts_with("serve un token per le API"), "{msg}");
    assert_eq!(problem(&state, &stato, Some("trg_sbagliato"), json!({"stato": "proposto"}), StatusCode::UNAUTHORIZED).await, "token sconosciuto o revocato");
    let basic = Request::post(&stato).header(header::AUTHORIZATION, "Basic eDp5").body(Body::empty()).expect("req");
    assert_eq!(send(&state, basic).await.0, StatusCode::UNAUTHORIZED);
    // A body that is not what the step reads says why.
    let (status, kind, answer) =
        send(&state, Request::post(&stato).header(header::AUTHORIZATION, format!("Bearer {planner}")).body(Body::from("{")).expect("req")).await;
    assert_eq!((status, kind.as_str()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "application/problem+json"));
    assert!(answer["detail"].as_str().is_some_and(|d| d.starts_with("corpo JSON non valido")), "{answer}");
    let msg = problem(&state, &stato, Some(&planner), json!({"stato": "proposto", "atti": "x"}), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(msg.contains("unknown field `atti`"), "{msg}");
    let msg = problem(&state, &stato, Some(&planner), json!({"stato": "approvatissimo"}), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(msg.contains("approvatissimo") && msg.contains("validato_niv"), "{msg}");
    // A refusal of the use case in the language the caller accepts; Italian by default.
    let close = format!("{CYCLE}/chiusura");
    let english = Request::post(&close)
        .header(header::AUTHORIZATION, format!("Bearer {planner}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9,it;q=0.5")
        .body(Body::from("{}"))
        .expect("req");
    let (status, _, answer) = send(&state, english).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(answer["detail"].as_str().is_some_and(|d| d.starts_with("cycle 2020 has 281 objectives not yet validated by the NIV: ")), "{answer}");
    let msg = problem(&state, &close, Some(&planner), json!({}), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(msg.starts_with("il ciclo 2020 ha 281 obiettivi non ancora validati dal NIV: "), "{msg}");

    // The Direttore's token proposes his Direzione's objectives, not another's.
    let direttore = users::add_token(&store, &console, "direttore.siad", "siad").await.expect("token").token;
    ok(&state, &stato, &direttore, json!({"stato": "proposto", "obiettivi": ["SIAD-2020-01"]})).await;
    let msg = problem(&state, &stato, Some(&direttore), json!({"stato": "proposto", "obiettivi": ["SAL-12"]}), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(msg.ends_with("obiettivo SAL-12: fuori dalle strutture di competenza (SIAD e quelle sotto)"), "{msg}");

    // The planner proposes and approves with the Giunta's act; a missing act is named.
    assert_eq!(ok(&state, &stato, &planner, json!({"stato": "proposto"})).await["objectives"].as_array().map(Vec::len), Some(280));
    let msg = problem(&state, &stato, Some(&planner), json!({"stato": "approvato"}), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(msg.contains("il passaggio a «approvato» richiede l'atto che lo dispone"), "{msg}");
    let moved = ok(&state, &stato, &planner, json!({"stato": "approvato", "atto": "GC 838/2020", "nota": "PdO 2020-2022"})).await;
    assert_eq!((moved["to"].as_str(), moved["objectives"].as_array().map(Vec::len)), (Some("approvato"), Some(281)));
    for to in ["assegnato", "in_monitoraggio", "consuntivato"] {
        ok(&state, &stato, &planner, json!({ "stato": to })).await;
    }
    // Validation is the NIV's: the planner is told so; the NIV returns one objective, then validates.
    let msg = problem(&state, &stato, Some(&planner), json!({"stato": "validato_niv"}), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(msg.contains("spetta a: niv"), "{msg}");
    let back = ok(&state, &stato, &niv, json!({"stato": "in_monitoraggio", "obiettivi": ["SAL-12"], "nota": "evidenza mancante"})).await;
    assert_eq!(back["objectives"], json!(["SAL-12"]));
    ok(&state, &stato, &planner, json!({"stato": "consuntivato", "obiettivi": ["SAL-12"]})).await;
    assert_eq!(ok(&state, &stato, &niv, json!({"stato": "validato_niv"})).await["objectives"].as_array().map(Vec::len), Some(281));

    // The NIV's sample: the same seed draws the same measurements.
    let campione = format!("{CYCLE}/niv/campione");
    let first = ok(&state, &campione, &niv, json!({"percentuale": 5, "seme": 2020})).await;
    let again = ok(&state, &campione, &niv, json!({"percentuale": "5", "seme": 2020})).await;
    assert_eq!(first["items"], again["items"]);
    let drawn = first["items"].as_array().map_or(0, Vec::len);
    let population = first["population"].as_u64().expect("population") as usize;
    assert_eq!(drawn, population.div_ceil(20), "5% rounded up of {population}");

    // The Relazione: an act registered through the API, approved by the planner, validated by the NIV only.
    let csv = "organo,numero,data,oggetto,immediatamente_eseguibile\ngiunta,1,2021-06-10,Approvazione della Relazione sulla Performance 2020,si\n";
    let acts = Request::post("/api/v1/enti/015146/atti").header(header::AUTHORIZATION, format!("Bearer {planner}")).body(Body::from(csv)).expect("req");
    let (status, _, counts) = send(&state, acts).await;
    assert_eq!((status, counts["created"].as_array().map(Vec::len)), (StatusCode::OK, Some(1)), "{counts}");
    let huge = format!("organo,numero,data,oggetto\n{}", "giunta,2,2021-06-10,x\n".repeat(120_000));
    let acts = Request::post("/api/v1/enti/015146/atti").header(header::AUTHORIZATION, format!("Bearer {planner}")).body(Body::from(huge)).expect("req");
    let (status, kind, answer) = send(&state, acts).await;
    assert_eq!((status, kind.as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "application/problem+json"), "{answer}");
    let relazione = format!("{CYCLE}/relazione");
    let r = ok(&state, &relazione, &planner, json!({"stato": "approvata", "atto": "GC 1/2021", "data": "20/06/2021"})).await;
    assert_eq!((r["state"].as_str(), r["act_code"].as_str()), (Some("approvata"), Some("GC 1/2021")), "{r}");
    problem(&state, &relazione, Some(&planner), json!({"stato": "validata", "data": "30/06/2021"}), StatusCode::UNPROCESSABLE_ENTITY).await;
    ok(&state, &relazione, &niv, json!({"stato": "validata", "data": "30/06/2021"})).await;

    // Reminders, as a trial: nobody is late in a validated year.
    let r = ok(&state, &format!("{CYCLE}/solleciti"), &planner, json!({"oggi": "15/03/2021", "prova": true})).await;
    assert!(r["solleciti"].is_array(), "{r}");

    // The close: its hash, the same from the check; afterwards the cycle refuses changes.
    let chiusura = format!("{CYCLE}/chiusura");
    assert_eq!(
        problem(&state, &chiusura, Some(&planner), json!({"forza": true}), StatusCode::UNPROCESSABLE_ENTITY).await,
        "colonna «motivo»: valore obbligatorio mancante"
    );
    let closed = ok(&state, &chiusura, &planner, json!({})).await;
    let hash = closed["hash"].as_str().expect("hash").to_string();
    assert_eq!((hash.len(), closed["forced"].as_bool()), (64, Some(false)));
    let (status, _, verified) = send(&state, get(&format!("{chiusura}/verifica"), &niv)).await;
    assert_eq!((status, verified), (StatusCode::OK, json!({"integra": true, "sha256": hash})));
    let msg = problem(&state, &stato, Some(&planner), json!({"stato": "consuntivato"}), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(msg.starts_with("il ciclo 2020 è chiuso dal "), "{msg}");

    // A correction after the close references the snapshot.
    let fix = json!({"oggetto": "valori: SAL-12-K3 al 2020-12-31", "originale": "12", "corretto": "11", "motivo": "errore di trascrizione"});
    let c = ok(&state, &format!("{CYCLE}/correzioni"), &planner, fix).await;
    assert_eq!(c["snapshot_hash"].as_str(), Some(hash.as_str()));
    // Answers are views: codes and years, never the database's ids.
    assert!(c.get("id").is_none() && c["subject"] == "valori: SAL-12-K3 al 2020-12-31", "{c}");

    // Every step is in the trail under the token's account, and the chain holds.
    let (status, _, trail) = send(&state, get(&format!("{CYCLE}/audit"), &planner)).await;
    assert_eq!((status, trail["integro"].as_bool()), (StatusCode::OK, Some(true)), "{trail}");
    let by =
        |action: &str, actor: &str| trail["registrazioni"].as_array().expect("records").iter().filter(|r| r["action"] == action && r["actor"] == actor).count();
    assert_eq!(by("stato obiettivo", "niv"), 282, "281 validated and one returned");
    assert_eq!(by("chiudi ciclo", "pianificatore"), 1);
    assert_eq!(by("correzione dopo la chiusura", "pianificatore"), 1);
    assert_eq!(by("campione NIV", "niv"), 2);
    let record = &trail["registrazioni"][0];
    assert!(record.get("ente_id").is_none() && record.get("cycle_id").is_none() && record["year"] == 2020, "{record}");
    // The NIV reads the trail but may not close or correct.
    let msg = problem(
        &state,
        &format!("{CYCLE}/correzioni"),
        Some(&niv),
        json!({"oggetto": "x", "originale": "1", "corretto": "2", "motivo": "m"}),
        StatusCode::FORBIDDEN,
    )
    .await;
    assert!(msg.contains("correggere un ciclo chiuso"), "{msg}");

    // Tampering with a frozen value directly in the database is found.
    sqlx::query(
        "UPDATE measurement SET value = '99' WHERE kpi_id = (SELECT k.id FROM kpi k JOIN cycle c ON c.id = k.cycle_id WHERE c.year = 2020 AND k.code = 'SAL-12-K3')",
    )
    .execute(&store.pool)
    .await
    .expect("tamper");
    let (status, _, answer) = send(&state, get(&format!("{chiusura}/verifica"), &niv)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(answer["detail"].as_str().is_some_and(|d| d.contains("SAL-12-K3")), "{answer}");

    // Values of an open year: entered, approved, and a stale version is a conflict.
    let valori = "/api/v1/enti/015146/cicli/2021/valori";
    let kpi = store_kpi_without_value(&store).await;
    let v = ok(&state, valori, &planner, json!({"kpi": kpi, "data": "31/12/2021", "valore": "7", "invia": true, "versione": 0})).await;
    assert_eq!((v["version"].as_i64(), v["status"].as_str()), (Some(1), Some("submitted")));
    assert!(v["kpi"] == kpi.as_str() && v.get("kpi_id").is_none() && v["id"].as_str().is_some_and(|id| id.len() == 36), "{v}");
    let decided = ok(&state, &format!("{valori}/decisione"), &planner, json!({"kpi": kpi, "data": "31/12/2021", "decisione": "approva"})).await;
    assert_eq!(decided["status"].as_str(), Some("approved"));
    let msg = problem(&state, valori, Some(&planner), json!({"kpi": kpi, "data": "31/12/2021", "valore": "8", "versione": 0}), StatusCode::CONFLICT).await;
    assert!(msg.contains("pianificatore"), "{msg}");
    // The NIV returns a value with a note: it goes back to its owner.
    let v = ok(&state, valori, &planner, json!({"kpi": kpi, "data": "31/12/2021", "valore": "8", "invia": true, "versione": 1})).await;
    assert_eq!((v["version"].as_i64(), v["status"].as_str()), (Some(2), Some("submitted")));
    let back =
        ok(&state, &format!("{valori}/decisione"), &niv, json!({"kpi": kpi, "data": "31/12/2021", "decisione": "restituisci", "nota": "manca l'evidenza"}))
            .await;
    assert_eq!((back["status"].as_str(), back["decided_by"].as_str()), (Some("returned"), Some("niv")));
    let told: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM notification WHERE kind = $1 AND text LIKE '%manca l''evidenza%'")
        .bind(format!("restituzione:{kpi}"))
        .fetch_one(&store.pool)
        .await
        .expect("notification");
    assert_eq!(told.0, 1);

    // An account with a role only in another ente reads none of this ente's reminders,
    // rimodulazioni, corrections or the check of its close.
    users::add_user(&store, &console, "altro.ente", "Di un altro ente", "password-lunga-abbastanza").await.expect("user");
    let torino = traguardi_domain::ente::NewEnte {
        code: traguardi_domain::ente::EnteCode::parse("001272").expect("code"),
        name: "Comune di Torino".into(),
        codice_fiscale: None,
        kind: traguardi_domain::ente::EnteKind::Comune,
        staff_size: 10,
        has_dirigenti: false,
    };
    traguardi_app::org::enti::create(&store, &console, &torino).await.expect("another ente");
    users::grant_role(&store, &console, "altro.ente", Some("001272"), "pianificatore", None).await.expect("role elsewhere");
    let outsider = users::add_token(&store, &console, "altro.ente", "torino").await.expect("token").token;
    for uri in [format!("{CYCLE}/rimodulazioni"), format!("{CYCLE}/correzioni"), format!("{CYCLE}/chiusura/verifica")] {
        assert_eq!(send(&state, get(&uri, &outsider)).await.0, StatusCode::FORBIDDEN, "{uri}");
    }
    let (status, _, _) = send(&state, post(&format!("{CYCLE}/solleciti"), Some(&outsider), &json!({"prova": true}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(send(&state, get(&format!("{CYCLE}/rimodulazioni"), &planner)).await.0, StatusCode::OK);

    // A revoked token is refused from then on.
    let list = users::tokens(&store, &console, Some("niv")).await.expect("tokens");
    users::revoke_token(&store, &console, &list[0].id).await.expect("revoked");
    assert_eq!(send(&state, get(&format!("{CYCLE}/audit"), &niv)).await.0, StatusCode::UNAUTHORIZED);
}

/// A KPI of 2021 with no value at the year's end.
async fn store_kpi_without_value(store: &Store) -> String {
    let row: (String,) = sqlx::query_as(
        "SELECT k.code FROM kpi k JOIN cycle c ON c.id = k.cycle_id WHERE c.year = 2021
         AND NOT EXISTS (SELECT 1 FROM measurement m WHERE m.kpi_id = k.id AND m.period_end = '2021-12-31') ORDER BY k.code LIMIT 1",
    )
    .fetch_one(&store.pool)
    .await
    .expect("a KPI without value");
    row.0
}

#[tokio::test]
async fn the_cycle_through_the_api_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        story(store).await;
    }
}

/// Each token has its requests per minute, counted in the database (every node counts the same):
/// past them 429 with `Retry-After`, and another token is not held back.
#[tokio::test]
async fn each_token_has_its_rate() {
    for store in testing::all().await.expect("stores") {
        demo::load(&store).await.expect("demo");
        let console = Actor::console();
        let first = users::add_token(&store, &console, "pianificatore", "uno").await.expect("token").token;
        let other = users::add_token(&store, &console, "pianificatore", "due").await.expect("token").token;
        let mut state = AppState::new(store.clone());
        state.api_rate = 3;
        let uri = format!("{CYCLE}/rimodulazioni");
        // The count is per minute: start well inside one.
        let second = chrono::Timelike::second(&chrono::Utc::now());
        if second >= 50 {
            tokio::time::sleep(std::time::Duration::from_secs(u64::from(61 - second))).await;
        }
        for _ in 0..3 {
            assert_eq!(send(&state, get(&uri, &first)).await.0, StatusCode::OK);
        }
        let res = router(state.clone()).oneshot(get(&uri, &first)).await.expect("response");
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry: u64 = res.headers()[header::RETRY_AFTER].to_str().expect("header").parse().expect("seconds");
        assert!((1..=60).contains(&retry), "{retry}");
        assert_eq!(res.headers()[header::CONTENT_TYPE], "application/problem+json");
        let body: Value = serde_json::from_slice(&res.into_body().collect().await.expect("body").to_bytes()).expect("json");
        assert!(body["detail"].as_str().is_some_and(|d| d.starts_with("troppe richieste con questo token: al più 3 al minuto")), "{body}");
        // Another node with its own state counts the same requests.
        let other_node = AppState { api_rate: 3, ..AppState::new(store.clone()) };
        assert_eq!(send(&other_node, get(&uri, &first)).await.0, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(send(&state, get(&uri, &other)).await.0, StatusCode::OK, "another token is not held back");
    }
}

/// Errors made before a handler runs are problem+json too: an unknown path under /api, a year
/// that is not a number, a method the path does not have; pages stay pages.
#[tokio::test]
async fn every_api_error_is_a_problem() {
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    let state = AppState::new(store);
    let plain = |uri: &str| Request::get(uri).body(Body::empty()).expect("request");
    let (status, kind, body) = send(&state, plain("/api/v1/nulla")).await;
    assert_eq!((status, kind.as_str()), (StatusCode::NOT_FOUND, "application/problem+json"));
    assert_eq!(body["detail"], "nessuna operazione dell'API a questo indirizzo: vedere /api/v1/openapi.json");
    let (status, kind, body) = send(&state, plain("/api/v1/enti/015146/cicli/duemila/punteggi")).await;
    assert_eq!((status, kind.as_str()), (StatusCode::BAD_REQUEST, "application/problem+json"), "{body}");
    assert!(body["detail"].as_str().is_some_and(|d| d.contains("duemila") || d.contains("parse")), "{body}");
    let (status, kind, _) = send(&state, Request::delete("/api/v1/enti/015146/cicli/2020/punteggi").body(Body::empty()).expect("request")).await;
    assert_eq!((status, kind.as_str()), (StatusCode::METHOD_NOT_ALLOWED, "application/problem+json"));
    let (status, kind, _) = send(&state, plain("/pagina/inesistente")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(kind.starts_with("text/html"), "{kind}");
}
