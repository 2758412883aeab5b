//! The pages in English: the switch in the header keeps the choice in a cookie and returns to
//! the page; every page, form message and error then speaks English, the ente's data stay as
//! they are; without the cookie, pages are Italian.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{get, login, post, send, send_to};
use traguardi_app::samples::demo;
use traguardi_store::testing;
use traguardi_web::AppState;

const EN: &str = "lingua=en";

#[tokio::test]
async fn the_switch_keeps_the_choice_and_returns_to_the_page() {
    let store = testing::sqlite().await.expect("store");
    let state = AppState::new(store);
    let switch = |to: &str, referer: &str| {
        Request::get(format!("/lingua/{to}"))
            .header(header::HOST, "traguardi.comune.example")
            .header(header::REFERER, referer)
            .body(Body::empty())
            .expect("request")
    };
    let (status, cookies, _) = send(&state, switch("en", "https://traguardi.comune.example/enti/015146/cicli/2020/piano?direzione=SIAD")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(cookies, ["lingua=en; Path=/; Max-Age=31536000; SameSite=Lax"]);
    let (_, to, _) = send_to(&state, switch("en", "https://traguardi.comune.example/enti/015146/cicli/2020/piano?direzione=SIAD")).await;
    assert_eq!(to, "/enti/015146/cicli/2020/piano?direzione=SIAD");
    // Back to Italian; a page of another site is never where it returns.
    let (_, to, _) = send_to(&state, switch("it", "https://altro.example/phishing")).await;
    assert_eq!(to, "/");
    assert_eq!(send(&state, switch("fr", "")).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pages_in_english() {
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    let state = AppState::new(store);

    // Without a choice: Italian, with the link to English in its own language.
    let (_, _, page) = send(&state, get("/enti/015146/cicli/2020/piano", "")).await;
    assert!(
        page.contains("<html lang=\"it\">") && page.contains("<a class=\"text-white me-3 lingua\" href=\"/lingua/en\" lang=\"en\" hreflang=\"en\">English</a>")
    );
    assert!(page.contains("281 obiettivi, 328 KPI. Risultato dell&#39;ente: <strong>82,86%</strong> <span class=\"badge bg-success\">verde</span>"), "{page}");

    // The plan in English; the objectives' titles are the ente's and stay Italian.
    let (status, _, page) = send(&state, get("/enti/015146/cicli/2020/piano", EN)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<html lang=\"en\">") && page.contains("<title>Performance Plan 2020 · Comune di Milano (dati dimostrativi) · Traguardi</title>"),
        "{page}"
    );
    assert!(page.contains("href=\"/lingua/it\" lang=\"it\" hreflang=\"it\">Italiano</a>"), "{page}");
    assert!(page.contains("281 objectives, 328 KPIs. The ente&#39;s result: <strong>82,86%</strong> <span class=\"badge bg-success\">green</span>"), "{page}");
    assert!(page.contains(">Log in</a>") && page.contains(">Dashboard</a>") && page.contains("Skip to main content"), "{page}");
    assert!(!page.contains("Piano degli Obiettivi") && !page.contains("Accedi"), "{page}");

    // An objective: labels, its state and the KPI's measure and direction in English.
    let (_, _, page) = send(&state, get("/enti/015146/cicli/2020/obiettivi/SAL-12", EN)).await;
    assert!(
        page.contains("<dt class=\"col-sm-3\">Responsible unit</dt>") && page.contains("<dt class=\"col-sm-3\">Status</dt><dd class=\"col-sm-9\">draft</dd>"),
        "{page}"
    );
    assert!(page.contains("Indicators (KPIs)") && page.contains("higher is better, aggregation"), "{page}");
    // The explanation of every score, numbers in the Italian form.
    assert!(page.contains("Weighted mean: (80,00 × 1 + 100,00 × 1 + 83,33 × 1 + 95,56 × 1) / 4 = 89,72."), "{page}");
    assert!(page.contains("Lower is better: 10 / 12 × 100 = 83,33."), "{page}");

    // The dashboard's traffic lights and the chart's description for screen readers.
    let (_, _, page) = send(&state, get("/enti/015146/cicli/2020/cruscotto", EN)).await;
    assert!(page.contains("The ente&#39;s result: <strong>82,86%</strong>") && page.contains("data-etichetta=\"Green\""), "{page}");
    assert!(page.contains("data-descrizione=\"Chart: {}. The same figures are in the table that follows.\""), "{page}");

    // Errors and the login's refusal.
    let (status, _, page) = send(&state, get("/non/esiste", EN)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("Page not found") && page.contains("The address asked for matches no page."), "{page}");
    let (status, _, page) = send(&state, get("/enti/015146/cicli/2020/obiettivi/NON-C-E", EN)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("no objective NON-C-E in cycle 2020"), "{page}");
    let (_, cookies, _) = send(&state, get("/login", EN)).await;
    let csrf = cookies.iter().find_map(|c| c.strip_prefix("traguardi_csrf=")).and_then(|r| r.split(';').next()).expect("csrf").to_string();
    let wrong = format!("utente=pianificatore&password=sbagliata123&csrf={csrf}");
    let (status, _, page) = send(&state, post("/login", &format!("traguardi_csrf={csrf}; {EN}"), &wrong)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(page.contains("wrong username or password") && page.contains("<label for=\"utente\">Username</label>"), "{page}");

    // Logged in: what to do now, and a form's problem from the domain in English.
    let (planner, csrf) = login(&state, "pianificatore").await;
    let cookie = format!("{planner}; {EN}");
    let (_, _, home) = send(&state, get("/", &cookie)).await;
    assert!(home.contains("<h1 class=\"mb-4\">To do</h1>") && home.contains("Comune di Milano (dati dimostrativi) · cycle 2022"), "{home}");
    assert!(home.contains(">Log out</button>"), "{home}");
    let form = format!("csrf={csrf}&data=2021-12-31&versione=0&valore=tanti&nota=");
    let (status, _, page) = send(&state, post("/enti/015146/cicli/2021/kpi/SIAD-2021-01-K1/valori", &cookie, &form)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("<html lang=\"en\">") && page.contains("Send for approval"), "{page}");
    assert!(page.contains("<p class=\"mb-0 text-pre-line\">column «valore»: invalid number «tanti»</p>"), "the domain's problem in English: {page}");
}
