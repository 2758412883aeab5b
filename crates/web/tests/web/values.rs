//! Values in the browser: a Direttore enters and sends his Direzione's values, and only those;
//! a stale form is a conflict; the planner approves or returns them from the inbox, which only
//! those who validate see; every form needs its CSRF token.

use crate::common;

use axum::http::StatusCode;
use common::{get, login, multipart, post, send, send_to};
use tower::ServiceExt;
use traguardi_app::samples::demo;
use traguardi_store::{Store, testing};
use traguardi_web::AppState;

/// The first measured KPI of 2021 whose objective belongs to `unit`.
async fn kpi_of(store: &Store, unit: &str) -> String {
    let row: (String,) = sqlx::query_as(
        "SELECT k.code FROM kpi k JOIN objective o ON o.id = k.objective_id JOIN org_unit u ON u.id = o.unit_id JOIN cycle c ON c.id = k.cycle_id
         WHERE c.year = 2021 AND u.code = $1 AND k.formula IS NULL AND k.owner_unit_id IS NULL ORDER BY k.code LIMIT 1",
    )
    .bind(unit)
    .fetch_one(&store.pool)
    .await
    .expect("a KPI");
    row.0
}

#[tokio::test]
async fn values_from_the_browser() {
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    let state = AppState::new(store.clone());
    let (siad, other) = (kpi_of(&store, "SIAD").await, kpi_of(&store, "DG").await);
    let form = |kpi: &str| format!("/enti/015146/cicli/2021/kpi/{kpi}/valori");

    // The Direttore of SIAD: at home, the late values of his Direzione in the latest cycle (2022).
    let (direttore, csrf) = login(&state, "direttore.siad").await;
    let (_, _, home) = send(&state, get("/", &direttore)).await;
    assert!(home.contains("<h1 class=\"mb-4\">Da fare</h1>") && home.contains("3 valori in ritardo nelle strutture di competenza"), "{home}");
    assert!(home.contains("href=\"/enti/015146/cicli/2022/kpi/SIAD-2021-01-K1/valori\"") && !home.contains("ADG-2021-01-K1"), "{home}");
    // The objective's page, computed now and kept until the data change.
    let objective_page = format!("/enti/015146/cicli/2021/obiettivi/{}", siad.trim_end_matches("-K1"));
    let (status, _, before) = send(&state, get(&objective_page, &direttore)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!before.contains("42,5"), "{before}");
    // His KPI's form, with the version read; another Direzione's is refused.
    let (status, _, body) = send(&state, get(&form(&siad), &direttore)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Periodo al 31/12/2021") && body.contains("name=\"versione\" value=\"0\""), "{body}");
    assert_eq!(send(&state, get(&form(&other), &direttore)).await.0, StatusCode::FORBIDDEN);
    let entry = |versione: i64, value: &str, csrf: &str| {
        format!("csrf={csrf}&data=2021-12-31&versione={versione}&valore={value}&nota=dal+sistema+di+protocollo&invia=si")
    };
    assert_eq!(send(&state, post(&form(&other), &direttore, &entry(0, "5", &csrf))).await.0, StatusCode::FORBIDDEN);
    assert_eq!(send(&state, post(&form(&siad), &direttore, &entry(0, "5", "falso"))).await.0, StatusCode::FORBIDDEN);
    let (status, _, _) = send(&state, post(&form(&siad), &direttore, &entry(0, "42,5", &csrf))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, body) = send(&state, get(&format!("{}?esito=inviato", form(&siad)), &direttore)).await;
    assert!(body.contains("Valore salvato e inviato per l&#39;approvazione."), "{body}");
    assert!(body.contains("Versione 1: <strong class=\"tabular\">42.5</strong>, inviato, da approvare (inserito da direttore.siad)"), "{body}");
    // A second form sent with the version read before is a conflict, never an overwrite.
    let (status, _, body) = send(&state, post(&form(&siad), &direttore, &entry(0, "43", &csrf))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("modificato da direttore.siad"), "{body}");
    // Evidence: attached by the Direttore to his value, listed with its link, downloaded as a
    // file; a type not accepted is refused; the public cannot download it.
    let attach = format!("/enti/015146/cicli/2021/kpi/{siad}/evidenze");
    let evidence = |name: &'static str, csrf: &str| {
        multipart(&attach, &direttore, &[("csrf", csrf), ("data", "2021-12-31")], Some((name, b"%PDF-1.4 verbale".as_slice())))
    };
    assert_eq!(send(&state, evidence("verbale.pdf", "falso")).await.0, StatusCode::FORBIDDEN);
    let (status, _, body) = send(&state, evidence("programma.exe", &csrf)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("«programma.exe» non ammesso"), "{body}");
    let (status, to, _) = send_to(&state, evidence("verbale protocollo è.pdf", &csrf)).await;
    assert_eq!((status, to), (StatusCode::SEE_OTHER, format!("{}?esito=allegato", form(&siad))));
    let (_, _, body) = send(&state, get(&format!("{}?esito=allegato", form(&siad)), &direttore)).await;
    assert!(body.contains("Evidenza allegata al valore."), "{body}");
    let link = body.split("href=\"/enti/015146/evidenze/").nth(1).and_then(|r| r.split('"').next()).expect("evidence link");
    assert!(body.contains(">verbale protocollo è.pdf</a> (16 byte)"), "{body}");
    let res = traguardi_web::router(state.clone()).oneshot(get(&format!("/enti/015146/evidenze/{link}"), &direttore)).await.expect("download");
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.headers()["content-disposition"], "attachment; filename=\"verbale protocollo _.pdf\"; filename*=UTF-8''verbale%20protocollo%20%C3%A8.pdf");
    assert_eq!(send(&state, get(&format!("/enti/015146/evidenze/{link}"), "")).await.0, StatusCode::FORBIDDEN);

    // The inbox is for who validates; a Direttore's holds his Direzione's values entered by
    // others, so not the one he sent.
    let inbox = "/enti/015146/cicli/2021/valori";
    let (status, _, body) = send(&state, get(inbox, &direttore)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Nessun valore in attesa di approvazione.") && !body.contains(&format!("<code>{siad}</code>")), "{body}");
    let (employee, _) = login(&state, "dipendente").await;
    let (_, _, home) = send(&state, get("/", &employee)).await;
    assert!(home.contains("<h1 class=\"mb-4\">Enti</h1>") && !home.contains("Da fare"), "nothing to do: {home}");
    assert_eq!(send(&state, get(&form(&siad), &employee)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(send(&state, get(&form(&siad), "")).await.0, StatusCode::SEE_OTHER);

    // The planner sees it waiting and approves it.
    let (planner, pcsrf) = login(&state, "pianificatore").await;
    let (_, _, home) = send(&state, get("/", &planner)).await;
    assert!(home.contains("94 valori in ritardo nelle strutture di competenza") && home.contains("e altri 84"), "{home}");
    // Every cycle not closed has its card: the Direttore's value of 2021 waits in the 2021 one.
    assert!(home.contains("ciclo 2021</h2>") && home.contains(">1 valore da approvare o restituire</a>"), "{home}");
    let (status, _, body) = send(&state, get(inbox, &planner)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(&format!("<code>{siad}</code>")) && body.contains("al 31/12/2021") && body.contains("<strong>42.5</strong> (versione 1)"), "{body}");
    assert!(body.contains("Valori da approvare</a>"), "the tab shows for who validates");
    let decide = |azione: &str| format!("csrf={pcsrf}&kpi={siad}&data=2021-12-31&azione={azione}&nota=");
    let (status, headers, _) = send(&state, post(inbox, &planner, &decide("approva"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{headers:?}");
    let (_, _, body) = send(&state, get(&format!("{inbox}?esito=approvato"), &planner)).await;
    assert!(body.contains("Valore approvato.") && body.contains("Nessun valore in attesa di approvazione."), "{body}");
    // The approved value shows on the objective's page at once.
    let (_, _, after) = send(&state, get(&objective_page, &direttore)).await;
    assert!(after.contains("42,5"), "{after}");
    // Returning needs a note; approving it again says why not.
    let (status, _, body) = send(&state, post(inbox, &planner, &decide("restituisci"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("nota") && body.contains("obbligatori"), "{body}");
    let (status, _, body) = send(&state, post(inbox, &planner, &decide("approva"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("è «approvato»: si può solo inserire una nuova versione"), "{body}");
}
