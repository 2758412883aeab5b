//! The OpenAPI document's examples are the demo's real answers (`src/api/examples/`): each is
//! asked again here and must match its file, once cut to two items per list and with its ids
//! and times fixed. After a deliberate change: `UPDATE_SNAPSHOTS=1 cargo test -p traguardi-web
//! --test web api_examples`, then the same for `openapi`, and review the diff.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use traguardi_app::{Actor, accounts::users, samples::demo};
use traguardi_store::testing;
use traguardi_web::{AppState, router};

const C: &str = "/api/v1/enti/015146/cicli/2020";

/// Each example: its name, the request (method, path, CSV body) and the status it answers.
fn requests() -> Vec<(&'static str, Method, String, Option<&'static str>, StatusCode)> {
    let get = |name, uri: String| (name, Method::GET, uri, None, StatusCode::OK);
    vec![
        get("enti", "/api/v1/enti".into()),
        get("strutture", format!("{C}/strutture?limite=2")),
        get("persone", format!("{C}/persone?limite=2")),
        get("obiettivi", format!("{C}/obiettivi?limite=1")),
        get("valori", format!("{C}/valori?limite=2")),
        get("punteggi", format!("{C}/punteggi")),
        get("indici", format!("{C}/indici")),
        get("valutazioni", format!("{C}/valutazioni?limite=2")),
        get("atti", "/api/v1/enti/015146/atti?limite=2".into()),
        get("scenari", format!("{C}/premi/scenari")),
        get("scenario", format!("{C}/premi/scenari/base")),
        get("cedolino", format!("{C}/premi/cedolino?nome=base&formato=json")),
        get("righe", "/api/v1/enti/015146/bilancio/2024/righe?limite=2".into()),
        (
            "importazione",
            Method::POST,
            "/api/v1/enti/015146/cicli/2022/importazioni/struttura?prova=1".into(),
            Some("codice,nome,tipo,padre,cdr\nINN,Direzione Innovazione,direzione,,\nINN-1,Servizio Dati,servizio,INN,\n"),
            StatusCode::OK,
        ),
        (
            "importazione_problemi",
            Method::POST,
            "/api/v1/enti/015146/cicli/2022/importazioni/misurazioni?prova=1".into(),
            Some("kpi,data,valore,nota\nNONESISTE,2022-06-30,5,\nSIAD-2022-01-K1,2022-13-01,5,\n"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ]
}

/// Fields whose values change with each load (ids, times): fixed in the examples.
fn fixed(key: &str) -> Option<Value> {
    match key {
        "id" => Some("01a24f07-a454-7554-8291-2440032d82a2".into()),
        "entered_at" | "decided_at" | "creato_il" | "approvato_il" => Some("2021-02-15T10:30:00Z".into()),
        _ => None,
    }
}

/// Lists cut to two items, volatile fields fixed.
fn shortened(v: Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.into_iter().take(2).map(shortened).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| if v.is_null() { (k, v) } else { (k.clone(), fixed(&k).unwrap_or_else(|| shortened(v))) }).collect())
        }
        other => other,
    }
}

#[tokio::test]
async fn the_documents_examples_are_the_demos_answers() {
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    let token = users::add_token(&store, &Actor::console(), "pianificatore", "esempi").await.expect("token").token;
    let state = AppState::new(store);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api/examples");
    let update = std::env::var("UPDATE_SNAPSHOTS").is_ok();
    let mut names = Vec::new();
    for (name, method, uri, csv, status) in requests() {
        let mut r = Request::builder().method(method).uri(&uri).header(header::AUTHORIZATION, format!("Bearer {token}"));
        if csv.is_some() {
            r = r.header(header::CONTENT_TYPE, "text/csv");
        }
        let res = router(state.clone()).oneshot(r.body(csv.map(Body::from).unwrap_or_else(Body::empty)).expect("request")).await.expect("response");
        assert_eq!(res.status(), status, "{uri}");
        let answer: Value = serde_json::from_slice(&res.into_body().collect().await.expect("body").to_bytes()).expect("JSON");
        let example = serde_json::to_string_pretty(&shortened(answer)).expect("text") + "\n";
        let file = dir.join(format!("{name}.json"));
        if update {
            std::fs::write(&file, &example).expect("write the example");
        }
        let kept = std::fs::read_to_string(&file).unwrap_or_default();
        assert!(kept == example, "{name}: the example differs from the demo's answer to {uri} (UPDATE_SNAPSHOTS=1, then review the diff)");
        names.push(format!("{name}.json"));
    }
    // No example is left without its request.
    let mut files: Vec<String> = std::fs::read_dir(&dir).expect("examples").map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    names.sort();
    assert_eq!(files, names);
}
