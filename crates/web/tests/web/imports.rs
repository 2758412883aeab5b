//! The import wizard in the browser: upload, columns, a preview with the error by row, the
//! corrected file, confirmation; the value then counts on the objective's page. Forms need
//! their CSRF token, files have a size limit, and only who administers imports.

use crate::common;

use axum::http::StatusCode;
use common::{get, login, multipart, post, send, send_to};
use traguardi_app::samples::demo;
use traguardi_store::testing;
use traguardi_web::AppState;

#[tokio::test]
async fn import_wizard_from_the_browser() {
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    let state = AppState::new(store.clone());
    let start = "/enti/015146/cicli/2021/importa";
    let (planner, csrf) = login(&state, "pianificatore").await;

    let (status, _, body) = send(&state, get(start, &planner)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("Importa</a>") && body.contains("enctype=\"multipart/form-data\"") && body.contains("Colonne obbligatorie: kpi, data, valore, nota."),
        "{body}"
    );

    // The office's own headers and a date that does not exist.
    let file = "KPI;Data;Valore;Commento\nSIAD-2021-01-K1;31/12/2021;42,5;dal protocollo\nSIAD-2021-02-K1;31/12/2021;n.d.;\n";
    let fields = |tipo: &'static str, csrf: &str| vec![("csrf", csrf.to_string()), ("tipo", tipo.to_string())];
    let req = |f: &[(&str, String)], file: Option<(&str, &[u8])>, who: &str, uri: &str| {
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        multipart(uri, who, &f, file)
    };
    assert_eq!(send(&state, req(&fields("misurazioni", "falso"), Some(("v.csv", file.as_bytes())), &planner, start)).await.0, StatusCode::FORBIDDEN);
    // Refused before the file is read: without a session, or without the token as the first part.
    assert_eq!(send(&state, req(&fields("misurazioni", &csrf), Some(("v.csv", file.as_bytes())), "", start)).await.0, StatusCode::FORBIDDEN);
    let late_token = vec![("tipo", "misurazioni".to_string()), ("csrf", csrf.clone())];
    assert_eq!(send(&state, req(&late_token, Some(("v.csv", file.as_bytes())), &planner, start)).await.0, StatusCode::FORBIDDEN);
    let (status, _, body) = send(&state, req(&fields("misurazioni", &csrf), None, &planner, start)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("scegliere il file da importare"), "{body}");
    let (status, columns, _) = send_to(&state, req(&fields("misurazioni", &csrf), Some(("valori.csv", file.as_bytes())), &planner, start)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id = columns.rsplit('/').next().expect("id").to_string();

    // Columns: those with the same name are chosen already.
    let (status, _, body) = send(&state, get(&columns, &planner)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("2 righe di dati") && body.contains("<option value=\"kpi\" selected>kpi</option>") && body.contains("name=\"col.nota\""), "{body}");
    // Leaving out a required column is refused, saying which.
    let (status, _, body) =
        send(&state, post(&columns, &planner, &format!("csrf={csrf}&azione=colonne&col.kpi=kpi&col.data=data&col.valore=valore&col.nota="))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("colonna «nota»: colonna obbligatoria assente"), "{body}");
    let mapping = format!("csrf={csrf}&azione=colonne&col.kpi=kpi&col.data=data&col.valore=valore&col.nota=commento&col.causa=");
    let (status, preview, _) = send_to(&state, post(&columns, &planner, &mapping)).await;
    assert_eq!((status, preview.as_str()), (StatusCode::SEE_OTHER, format!("{columns}/anteprima").as_str()));

    // The preview: the error on row 3, in the file's column; no button to confirm.
    let (status, _, body) = send(&state, get(&preview, &planner)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("1 errore in 1 riga: il file non può essere importato così"), "{body}");
    assert!(body.contains("<th scope=\"row\" class=\"tabular\">3</th>") && body.contains("colonna «valore»: numero «n.d.» non valido"), "{body}");
    assert!(!body.contains("Conferma l&#39;importazione"), "{body}");
    // Confirming anyway imports nothing.
    let (status, _, _) = send(&state, post(&format!("{columns}/conferma"), &planner, &format!("csrf={csrf}"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // The corrected file, then the confirmation.
    let fixed = file.replace("n.d.", "7");
    let (status, to, _) = send_to(&state, req(&[("csrf", csrf.clone())], Some(("valori.csv", fixed.as_bytes())), &planner, &format!("{columns}/file"))).await;
    assert_eq!((status, to.as_str()), (StatusCode::SEE_OTHER, preview.as_str()));
    let (_, _, body) = send(&state, get(&preview, &planner)).await;
    assert!(body.contains("Nessun errore. Con la conferma: misurazioni 2021: 2 righe lette, 2 valori nuovi, 0 nuove versioni, 0 invariati."), "{body}");
    let (status, _, body) = send(&state, post(&format!("{columns}/conferma"), &planner, &format!("csrf={csrf}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Valori dei KPI (misurazioni) importato: misurazioni 2021: 2 righe lette, 2 valori nuovi"), "{body}");
    let (_, _, objective) = send(&state, get("/enti/015146/cicli/2021/obiettivi/SIAD-2021-01", &planner)).await;
    assert!(objective.contains("42,5"), "{objective}");
    // Done: the upload is gone.
    assert_eq!(send(&state, get(&columns, &planner)).await.0, StatusCode::NOT_FOUND);
    assert!(!id.is_empty());

    // Files over 20 MB are refused with the limit said; who does not administer cannot import.
    let big = vec![b'a'; 21 * 1024 * 1024];
    let (status, _, body) = send(&state, req(&fields("misurazioni", &csrf), Some(("big.csv", &big)), &planner, start)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body.contains("Il file supera il limite di 20 MB"), "{body}");
    let (employee, ecsrf) = login(&state, "dipendente").await;
    let (status, _, _) = send(&state, req(&fields("misurazioni", &ecsrf), Some(("v.csv", file.as_bytes())), &employee, start)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, _, body) = send(&state, get("/enti/015146/cicli/2021/piano", &employee)).await;
    assert!(!body.contains("/importa\""), "no tab for who does not import");
}

/// A large file is read off the async workers: on a runtime with one thread for everything,
/// `/healthz`
/// keeps answering, each time within 300 ms, while an upload of 990,000 rows (about 19 MB,
/// seconds of reading) is read.
#[tokio::test(flavor = "current_thread")]
async fn healthz_answers_while_a_large_file_is_read() {
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    let state = AppState::new(store);
    let (planner, csrf) = login(&state, "pianificatore").await;
    let sheet = traguardi_docs::export::Sheet {
        name: "valori".into(),
        header: vec!["kpi".into(), "data".into(), "valore".into(), "nota".into()],
        rows: (0..150_000).map(|i| vec![format!("K{i}"), "31/12/2021".into(), format!("{i}"), "nota".into()]).collect(),
    };
    let file = traguardi_docs::export::to_xlsx(&sheet).expect("xlsx");
    let file_len = file.len();
    let upload = {
        let (state, planner, csrf) = (state.clone(), planner.clone(), csrf.clone());
        tokio::spawn(async move {
            let req =
                multipart("/enti/015146/cicli/2021/importa", &planner, &[("csrf", &csrf), ("tipo", "misurazioni")], Some(("grande.xlsx", file.as_slice())));
            send(&state, req).await.0
        })
    };
    let mut answered_meanwhile = 0;
    while !upload.is_finished() {
        let started = std::time::Instant::now();
        let (status, _, body) = send(&state, get("/healthz", "")).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
        assert!(started.elapsed() < std::time::Duration::from_millis(300), "healthz took {:?}", started.elapsed());
        if !upload.is_finished() {
            answered_meanwhile += 1;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let status = upload.await.expect("upload");
    eprintln!("healthz answered {answered_meanwhile} times while the workbook ({} bytes) was uploaded and read", file_len);
    assert!(status.is_redirection(), "the file was taken: {status}");
    assert!(answered_meanwhile >= 30, "healthz answered {answered_meanwhile} times while the file was read");
}
