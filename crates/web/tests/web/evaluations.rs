//! Evaluating staff from the browser: the Direttore of SIAD sees his people, completes the open
//! evaluation, finds the signed ones read-only; nobody else's staff; the form needs its token.

use crate::common;

use axum::http::StatusCode;
use common::{get, login, post, send, send_to};
use traguardi_app::samples::demo;
use traguardi_store::testing;
use traguardi_web::AppState;

#[tokio::test]
async fn evaluations_from_the_browser() {
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    let state = AppState::new(store);
    let list = "/enti/015146/cicli/2020/valutazioni";
    assert_eq!(send(&state, get(list, "")).await.0, StatusCode::SEE_OTHER);

    let (direttore, csrf) = login(&state, "direttore.siad").await;
    let (status, _, body) = send(&state, get(list, &direttore)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Valutazioni</a>"), "the tab shows for who evaluates");
    assert_eq!(body.matches("/enti/015146/cicli/2020/valutazioni/M01").count(), 8, "{body}");
    assert!(
        body.contains("<td>M0168</td><td>SIAD</td><td>D</td><td class=\"text-end tabular\">95,00</td><td>colloquio intermedio il 16/07/2020</td>"),
        "{body}"
    );
    assert!(body.contains("<td>M0167</td>") && body.contains("firmata il 25/02/2021"), "{body}");

    let form = format!("{list}/M0168");
    let (status, _, body) = send(&state, get(&form, &direttore)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("<select class=\"form-select\" id=\"item-C1\" name=\"item.C1\">") && body.contains("<option value=\"5\" selected>5</option>"),
        "{body}"
    );
    assert!(!body.contains("item-C5"), "C5 is for managers only");
    assert_eq!(send(&state, post(&form, &direttore, "csrf=falso&item.C1=4")).await.0, StatusCode::FORBIDDEN);
    // A final interview before the intermediate one is refused, saying so.
    let filled = |end: &str| {
        format!(
            "csrf={csrf}&item.C1=4&item.C2=4&item.C3=4&item.C4=5&colloquio_iniziale=2020-02-14&colloquio_intermedio=2020-07-16&colloquio_finale={end}&note=obiettivi+raggiunti"
        )
    };
    let (status, _, body) = send(&state, post(&form, &direttore, &filled("2020-06-30"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("colonna «colloquio_finale»: la fine (30/06/2020) precede l&#39;inizio (16/07/2020)"), "{body}");
    let (status, to, _) = send_to(&state, post(&form, &direttore, &filled("2021-03-10"))).await;
    assert_eq!((status, to), (StatusCode::SEE_OTHER, format!("{form}?esito=salvata")));
    let (_, _, body) = send(&state, get(list, &direttore)).await;
    assert!(
        body.contains(
            "<td>M0168</td><td>SIAD</td><td>D</td><td class=\"text-end tabular\">85,00</td><td>colloquio finale il 10/03/2021, in attesa della firma</td>"
        ),
        "{body}"
    );

    // Signed: read-only. Another Direzione's person: refused.
    let (_, _, body) = send(&state, get(&format!("{list}/M0167"), &direttore)).await;
    assert!(
        body.contains("Valutazione firmata dalla persona il 25/02/2021: cambia solo con la conciliazione.") && body.contains("<fieldset disabled>"),
        "{body}"
    );
    assert_eq!(send(&state, get(&format!("{list}/M0037"), &direttore)).await.0, StatusCode::FORBIDDEN);

    // The form as a document: from the evaluator's page, and for the person themself only.
    let scheda = "/enti/015146/cicli/2020/documenti/scheda?matricola=M0168";
    let (_, _, body) = send(&state, get(&form, &direttore)).await;
    assert!(body.contains(&format!("href=\"{}&amp;formato=pdf\" download>PDF", scheda.replace('&', "&amp;"))), "{body}");
    let (status, _, body) = send(&state, get(&format!("{scheda}&formato=docx"), &direttore)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.starts_with("PK"), "a DOCX is a zip");
    let (employee, _) = login(&state, "dipendente").await;
    assert_eq!(send(&state, get(scheda, &employee)).await.0, StatusCode::FORBIDDEN, "another person's form");
    let own = "/enti/015146/cicli/2020/documenti/scheda?matricola=M0037&formato=pdf";
    let (_, _, body) = send(&state, get("/enti/015146/cicli/2020/la-mia-valutazione", &employee)).await;
    assert!(body.contains(&format!("href=\"{}\" download>PDF", own.replace('&', "&amp;"))), "{body}");
    let (status, _, body) = send(&state, get(own, &employee)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.starts_with("%PDF-"));

    // The NIV's documents, from the cycle's state page; not for an employee.
    let (niv, _) = login(&state, "niv").await;
    let (_, _, body) = send(&state, get("/enti/015146/cicli/2020/stato", &niv)).await;
    assert!(body.contains("href=\"/enti/015146/cicli/2020/documenti/validazione?formato=docx\" download>DOCX"), "{body}");
    let funzionamento = "/enti/015146/cicli/2020/documenti/funzionamento?formato=docx";
    let (status, _, body) = send(&state, get(funzionamento, &niv)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.starts_with("PK"), "a DOCX is a zip");
    assert_eq!(send(&state, get(funzionamento, &employee)).await.0, StatusCode::FORBIDDEN);

    // An employee evaluates nobody, and has no tab.
    let (status, _, body) = send(&state, get(list, &employee)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Nessuna persona da valutare nel 2020.") && !body.contains("Valutazioni</a>"), "{body}");
}
