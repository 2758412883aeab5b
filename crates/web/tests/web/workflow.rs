//! The plan's workflow from the browser: the planner moves the demo's 2020 on, citing the act;
//! a refusal says why; the NIV draws its sample; forms need their CSRF token.

use crate::common;

use axum::http::StatusCode;
use common::{get, login, post, send};
use traguardi_app::samples::demo;
use traguardi_store::testing;
use traguardi_web::AppState;

#[tokio::test]
async fn the_plan_moves_on_from_the_browser() {
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    let state = AppState::new(store.clone());
    let page = "/enti/015146/cicli/2020/stato";
    assert_eq!(send(&state, get(page, "")).await.0, StatusCode::FORBIDDEN);

    let (planner, csrf) = login(&state, "pianificatore").await;
    let (status, _, body) = send(&state, get(page, &planner)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<th scope=\"row\" class=\"fw-normal\">bozza</th><td class=\"text-end tabular\">281</td>"), "{body}");
    assert!(body.contains("Stato del piano</a>"), "the tab shows for the planner");
    let step = |stato: &str, atto: &str| format!("csrf={csrf}&azione=sposta&stato={stato}&obiettivi=&atto={atto}&nota=");
    assert_eq!(send(&state, post(page, &planner, "csrf=no&azione=sposta&stato=proposto")).await.0, StatusCode::FORBIDDEN);
    let (status, _, body) = send(&state, post(page, &planner, &step("proposto", ""))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("281 obiettivi passati a «proposto».") && body.contains(">proposto</th><td class=\"text-end tabular\">281</td>"), "{body}");
    let (status, _, body) = send(&state, post(page, &planner, &step("approvato", ""))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("richiede l&#39;atto che lo dispone"), "{body}");
    // The same refusal on the English page reads English, the state's name included.
    let (status, _, body) = send(&state, post(page, &format!("{planner}; lingua=en"), &step("approvato", ""))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("no objective moved to «approved»:") && body.contains("the step to «approved» needs the act that orders it (--atto, e.g. «GC 838/2020»)"),
        "{body}"
    );
    assert!(!body.contains("richiede l&#39;atto"), "{body}");
    let (status, _, body) = send(&state, post(page, &planner, &step("approvato", "GC+838%2F2020"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("281 obiettivi passati a «approvato»."), "{body}");

    // The NIV draws a sample of the approved values, the same again from the same seed.
    let (niv, ncsrf) = login(&state, "niv").await;
    let draw = format!("csrf={ncsrf}&azione=campione&percentuale=5&seme=2020");
    let (status, _, first) = send(&state, post(page, &niv, &draw)).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert!(first.contains("(seme 2020: lo stesso seme estrae lo stesso campione)"), "{first}");
    let (_, _, again) = send(&state, post(page, &niv, &draw)).await;
    let table = |b: &str| b.split("<caption>Campione").nth(1).unwrap_or_default().to_string();
    assert_eq!(table(&first), table(&again));
    let (status, _, body) = send(&state, post(page, &niv, &format!("csrf={ncsrf}&azione=campione&percentuale=cento&seme="))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("percentuale"), "{body}");
    // The Relazione: approved by the planner citing the Giunta's act, validated by the NIV only.
    let ente = traguardi_app::org::enti::find(&store, Some("015146")).await.expect("ente");
    let act = b"organo,numero,data,oggetto,immediatamente_eseguibile\ngiunta,1,2021-06-10,Approvazione della Relazione sulla Performance 2020,si\n";
    traguardi_app::cycle::import_acts::import_acts(&store, &traguardi_app::Actor::console(), &ente, act, traguardi_docs::ReadOptions::default(), false)
        .await
        .expect("act");
    assert!(first.contains("Stato: <strong>non ancora redatta</strong>"), "{first}");
    let relazione = |csrf: &str, stato: &str, atto: &str| format!("csrf={csrf}&azione=relazione&stato={stato}&atto={atto}&nota=");
    let (status, _, body) = send(&state, post(page, &niv, &relazione(&ncsrf, "validata", ""))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("la Relazione 2020 è «bozza»: può diventare «validata» solo da «approvata»"), "{body}");
    let (status, _, body) = send(&state, post(page, &niv, &relazione(&ncsrf, "approvata", "GC+1%2F2021"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("solo il pianificatore può portare la Relazione allo stato «approvata»"), "{body}");
    let (status, _, body) = send(&state, post(page, &planner, &relazione(&csrf, "approvata", "GC+1%2F2021"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Relazione sulla Performance 2020: approvata dalla Giunta il 10/06/2021 (GC 1/2021)."), "{body}");
    let (status, _, body) = send(&state, post(page, &niv, &relazione(&ncsrf, "validata", ""))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Relazione sulla Performance 2020: validata dal NIV il "), "{body}");

    // The NIV may not close; the planner may, not while objectives wait for the NIV unless he
    // says why; then the page says it is closed and verifies the snapshot.
    assert!(!first.contains("Chiudi il ciclo 2020"), "the close is for who administers");
    let (status, _, _) = send(&state, post(page, &niv, &format!("csrf={ncsrf}&azione=chiudi&motivo="))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let close = |extra: &str| format!("csrf={csrf}&azione=chiudi{extra}");
    let (status, _, body) = send(&state, post(page, &planner, &close("&motivo="))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("il ciclo 2020 ha 281 obiettivi non ancora validati dal NIV"), "{body}");
    let (status, _, body) = send(&state, post(page, &planner, &close("&forza=si&motivo=+"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("indicare il motivo della chiusura forzata"), "{body}");
    let (status, _, body) = send(&state, post(page, &planner, &close("&forza=si&motivo=validazione+del+NIV+su+carta%2C+verbale+3%2F2021"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Ciclo 2020 chiuso (chiusura forzata con 281 obiettivi non validati") && body.contains("Istantanea SHA-256 "), "{body}");
    assert!(body.contains("Verifica l&#39;istantanea") && !body.contains("Chiudi il ciclo 2020"), "{body}");
    let (status, _, body) = send(&state, post(page, &planner, &format!("csrf={csrf}&azione=verifica"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Verifica superata: i dati congelati del 2020 corrispondono all&#39;istantanea SHA-256"), "{body}");

    // An employee has no step of the workflow: no tab.
    let (employee, _) = login(&state, "dipendente").await;
    let (_, _, body) = send(&state, get("/enti/015146/cicli/2020/piano", &employee)).await;
    assert!(!body.contains("Stato del piano</a>"), "{body}");
}
