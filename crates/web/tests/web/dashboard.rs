//! The dashboard: public, the demo's 2020 figures by light, dimension, Direzione and ambito,
//! the trend over the cycles, and a change of data seen at once.

use crate::common;

use axum::http::StatusCode;
use common::{get, send};
use traguardi_app::{Actor, org::enti, plan::import_measurements, samples::demo};
use traguardi_docs::ReadOptions;
use traguardi_store::testing;
use traguardi_web::AppState;

/// The row of a table marked with `data-etichetta="label"`, up to its end.
fn row<'a>(page: &'a str, label: &str) -> &'a str {
    let start = page.find(&format!("data-etichetta=\"{label}\"")).unwrap_or_else(|| panic!("no row {label}"));
    let rest = &page[start..];
    &rest[..rest.find("</tr>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn dashboard_of_the_demo() {
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    let state = AppState::new(store.clone());

    // Public, like the plan.
    let (status, _, page) = send(&state, get("/enti/015146/cicli/2020/cruscotto", "")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Risultato dell&#39;ente: <strong>82,86%</strong> <span class=\"badge bg-success\">verde</span>, su 281 obiettivi."), "{page}");
    assert!(page.contains("<script src=\"/static/vendor/echarts/echarts.min.js\" defer></script>") && page.contains("data-grafico=\"torta\""), "{page}");
    // Objectives by light: 256 green, 24 yellow, none red, one not assessable.
    for (label, n) in [("Verde", 256), ("Giallo", 24), ("Rosso", 0), ("Non valutabili", 1), ("In attesa di dati", 0)] {
        assert!(row(&page, label).contains(&format!("data-valore=\"{n}\"")), "{label}: {}", row(&page, label));
    }
    // By dimension, Direzione and ambito, with the figures the chart reads and the page shows.
    assert!(row(&page, "Obiettivi Solidali").contains("data-valore=\"92.65\" data-semaforo=\"verde\""));
    assert!(row(&page, "Obiettivi di Direzione").contains("<td class=\"text-end tabular\">234</td>"));
    let siad = row(&page, "DIREZIONE SISTEMI INFORMATIVI E AGENDA DIGITALE");
    assert!(siad.contains("data-valore=\"77.58\"") && siad.contains(">12</td>") && siad.contains(">77,58%</td>"), "{siad}");
    let attrattiva = row(&page, "Milano più Attrattiva");
    assert!(attrattiva.contains("<td>Obiettivi Solidali</td>") && attrattiva.contains("non valutabile") && !attrattiva.contains("data-valore"), "{attrattiva}");
    // The trend of 2020 has one year.
    assert!(row(&page, "Ente").ends_with("<td class=\"text-end tabular\" data-valore=\"82.86\">82,86%</td>"), "{}", row(&page, "Ente"));

    // 2021: every objective waits for data; the trend shows 2020 beside it.
    let (_, _, page) = send(&state, get("/enti/015146/cicli/2021/cruscotto", "")).await;
    assert!(page.contains("Risultato dell&#39;ente: in attesa di dati, su 96 obiettivi."), "{page}");
    assert!(row(&page, "In attesa di dati").contains("data-valore=\"96\""));
    assert!(
        page.contains("<th scope=\"col\" class=\"text-end\" data-anno=\"2020\">2020</th><th scope=\"col\" class=\"text-end\" data-anno=\"2021\">2021</th>"),
        "{page}"
    );
    assert!(row(&page, "Ente").contains("data-valore=\"82.86\">82,86%</td><td class=\"text-end tabular\">—</td>"), "{}", row(&page, "Ente"));

    // A value approved for SIAD changes the dashboard at once.
    let milano = enti::find(&store, Some("015146")).await.expect("ente");
    let values = "kpi,data,valore,nota\nSIAD-2021-01-K1,2021-12-31,42.5,\n";
    import_measurements::import_measurements(&store, &Actor::console(), &milano, 2021, values.as_bytes(), ReadOptions::default(), false).await.expect("value");
    let (_, _, page) = send(&state, get("/enti/015146/cicli/2021/cruscotto", "")).await;
    assert!(row(&page, "In attesa di dati").contains("data-valore=\"95\""), "{}", row(&page, "In attesa di dati"));
    assert!(row(&page, "DIREZIONE SISTEMI INFORMATIVI E AGENDA DIGITALE").contains("data-valore="), "SIAD is scored now");

    assert_eq!(send(&state, get("/enti/015146/cicli/1999/cruscotto", "")).await.0, StatusCode::NOT_FOUND);
}
