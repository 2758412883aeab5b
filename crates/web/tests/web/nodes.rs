//! Two app nodes on one database, each with its own pool and its own computed scores: a change
//! made through one node, or by the command line, is seen by the other at its next request, and
//! a session opened on one is valid on the other (sessions and login throttling live in the
//! database, nothing in a node).

use axum::http::StatusCode;
use traguardi_app::plan::measurements::{self, At, Decision, Entry};
use traguardi_app::{Actor, org::enti, samples::demo};
use traguardi_store::{Store, testing};
use traguardi_web::AppState;

use crate::common::{get, login, send};

/// The year value of a KPI as a node shows it through the API.
async fn value_on(node: &AppState, kpi: &str) -> Option<String> {
    let (status, _, body) = send(node, get("/api/v1/enti/015146/cicli/2020/punteggi", "")).await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    v["punteggi"].as_array()?.iter().find(|r| r["livello"] == "kpi" && r["codice"] == kpi)?["valore"].as_str().map(str::to_string)
}

async fn two_nodes(url: &str) {
    let (a, b) = (Store::connect(url).await.expect("node a"), Store::connect(url).await.expect("node b"));
    a.migrate().await.expect("migrate");
    demo::load(&a).await.expect("demo");
    let (node_a, node_b) = (AppState::new(a.clone()), AppState::new(b.clone()));
    let before = value_on(&node_b, "SAL-12-K3").await;
    assert_eq!(value_on(&node_a, "SAL-12-K3").await, before);

    // The command line (or node a's page) approves a new value.
    let console = Actor::console();
    let milano = enti::find(&a, Some(demo::CODE)).await.expect("ente");
    let december = chrono::NaiveDate::from_ymd_opt(2020, 12, 31).expect("date");
    let entry = Entry {
        kpi: "SAL-12-K3".into(),
        period_end: december,
        value: "3".into(),
        note: "rettifica".into(),
        cause: None,
        not_assessable: false,
        submit: true,
        based_on: None,
    };
    measurements::enter(&a, &console, &milano, 2020, &entry).await.expect("entered");
    measurements::decide(&a, &console, &milano, At { year: 2020, kpi: "SAL-12-K3", period_end: december }, Decision::Approve, None).await.expect("approved");
    assert_eq!(value_on(&node_b, "SAL-12-K3").await.as_deref(), Some("3"), "node b sees it at its next request (was {before:?})");
    assert_eq!(value_on(&node_a, "SAL-12-K3").await.as_deref(), Some("3"));

    // A session opened on node a is valid on node b.
    let (cookie, _) = login(&node_a, "pianificatore").await;
    let (status, _, body) = send(&node_b, get("/", &cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Controllo di gestione (demo)"), "logged in on node b too");
    a.close().await;
    b.close().await;
}

#[tokio::test]
async fn two_nodes_on_one_database() {
    two_nodes(&testing::Scratch::sqlite()).await;
    if let Some(url) = testing::Scratch::postgres().await.expect("postgres") {
        two_nodes(&url).await;
    }
}
