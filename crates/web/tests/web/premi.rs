//! The premi pages through the router: only for who may compute them; a scenario saved and
//! refused approval from the browser's forms, with CSRF; the payroll file; a person's reasons.

use crate::common;

use axum::http::StatusCode;
use common::{get, login, post, send};
use traguardi_app::samples::demo;
use traguardi_store::testing;
use traguardi_web::AppState;

async fn open_gates(store: &traguardi_store::Store) {
    use traguardi_app::cycle::workflow::{Move, transition};
    use traguardi_domain::plan::workflow::State;
    let console = traguardi_app::Actor::console();
    let ente = {
        let mut conn = store.acquire().await.expect("conn");
        traguardi_app::org::enti::resolve(&mut conn, Some(demo::CODE)).await.expect("ente")
    };
    let all = |to| Move { codes: &[], to, act: None, note: None };
    transition(store, &console, &ente, 2020, all(State::Proposto)).await.expect("proposed");
    transition(store, &console, &ente, 2020, Move { act: Some("GC 838/2020"), ..all(State::Approvato) }).await.expect("approved");
    let act = b"organo,numero,data,oggetto,immediatamente_eseguibile\ngiunta,1,2021-06-10,Atto di prova: approvazione della Relazione 2020,si\n";
    traguardi_app::cycle::import_acts::import_acts(store, &console, &ente, act, traguardi_docs::ReadOptions::default(), false).await.expect("act");
    let day = chrono::NaiveDate::from_ymd_opt(2021, 6, 20).expect("day");
    for (to, act) in [("approvata", Some("GC 1/2021")), ("validata", None)] {
        let step = traguardi_app::pay::relazione::RelazioneStep { to, act, on: day, note: None };
        traguardi_app::pay::relazione::relazione_step(store, &console, Some(demo::CODE), 2020, step).await.expect("relazione");
    }
}

#[tokio::test]
async fn premi_pages() {
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    let state = AppState::new(store);
    let page = "/enti/015146/cicli/2020/premi";

    // Personal data: not for the public, nor for an employee's account.
    assert_eq!(send(&state, get(page, "")).await.0, StatusCode::FORBIDDEN);
    let (employee, ecsrf) = login(&state, "dipendente").await;
    assert_eq!(send(&state, get(page, &employee)).await.0, StatusCode::FORBIDDEN);
    // The employee's own page: the evaluation, and the premium not yet approved.
    let mine = "/enti/015146/cicli/2020/la-mia-valutazione";
    assert_eq!(send(&state, get(mine, "")).await.0, StatusCode::FORBIDDEN);
    let (status, _, body) = send(&state, get(mine, &employee)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Giorgio Barbieri") && body.contains("M0037"), "{body}");
    assert!(body.contains("Colloquio intermedio</dt><dd class=\"col-sm-8\">16/07/2020"), "{body}");
    assert!(body.contains("I premi del 2020 non sono ancora approvati."));
    // Signed already (25/02/2021), he may still contest, with his reasons and the form's token.
    assert!(!body.contains("Firma per presa visione") && body.contains("Contesta la valutazione"), "{body}");
    assert_eq!(send(&state, post(mine, &employee, "csrf=falso&azione=contesta&motivi=non+sono+d%27accordo+con+il+punteggio")).await.0, StatusCode::FORBIDDEN);
    let (status, _, body) = send(&state, post(mine, &employee, &format!("csrf={ecsrf}&azione=contesta&motivi=breve"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("scrivere i motivi della contestazione (almeno 10 caratteri)"), "{body}");
    let (status, _, _) = send(&state, post(mine, &employee, &format!("csrf={ecsrf}&azione=contesta&motivi=non+sono+d%27accordo+con+il+punteggio"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, body) = send(&state, get(&format!("{mine}?esito=contestata"), &employee)).await;
    assert!(body.contains("Contestazione registrata") && !body.contains("Contesta la valutazione"), "{body}");
    assert!(body.contains(": non sono d&#39;accordo con il punteggio</p>"), "{body}");
    // The premi's tab is only for who computes them.
    assert!(!body.contains("cicli/2020/premi\">Premi</a>"), "{body}");

    // "Amministrazione trasparente", public: no premi published before an approval.
    let public = "/enti/015146/trasparenza";
    let (status, _, body) = send(&state, get(public, "")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("Ciclo 2020</h2>") && body.contains("Ciclo 2022</h2>") && body.contains("La distribuzione dei premi non è ancora approvata."),
        "{body}"
    );
    assert!(
        body.contains("281 obiettivi</a>, in preparazione (non ancora approvato)") && body.contains("82,86% (<a href=\"/enti/015146/cicli/2020/cruscotto\">"),
        "{body}"
    );
    assert_eq!(send(&state, get(&format!("{public}/2020/premi.csv"), "")).await.0, StatusCode::NOT_FOUND);

    let (cookie, csrf) = login(&state, "pianificatore").await;
    let (status, _, body) = send(&state, get(page, &cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Scenario «base»"), "{body}");
    assert!(body.contains("cicli/2020/premi\">Premi</a>"), "{body}");
    assert!(body.contains("250.000,00 € erogati su 250.000,00 €"));
    assert!(body.contains("19 maggiorazioni da 236,85 €"));
    assert!(body.contains("Piano degli Obiettivi 2020 non approvato"));
    assert!(body.contains("Retribuzione di risultato dei dirigenti") && body.contains("/premi/base/persone/D022"), "{body}");
    // The plan's scores are computed once, through the scores kept in memory (a node that kept
    // none computes them at the first visit); the page again reads only the staff.
    let cold = AppState { scores: traguardi_app::plan::score_cache::Cache::with_budget(64 * 1024 * 1024), ..state.clone() };
    let (_, _, first) = send(&cold, get(page, &cookie)).await;
    assert_eq!(cold.scores.recomputed().0, 1, "the page computes the plan through the scores kept");
    assert_eq!(first, body);
    let (_, _, again) = send(&cold, get(page, &cookie)).await;
    assert_eq!(cold.scores.recomputed().0, 1, "the scores kept are used");
    assert!(again.contains("250.000,00 € erogati su 250.000,00 €"));

    // A forged form is refused; a real one saves a scenario and shows it.
    assert_eq!(send(&state, post(page, &cookie, "csrf=altro&azione=calcola&nome=bis")).await.0, StatusCode::FORBIDDEN);
    let (status, _, _) = send(&state, post(page, &cookie, &format!("csrf={csrf}&azione=calcola&nome=bis&regole=&punteggi="))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, body) = send(&state, get(&format!("{page}?scenario=bis&confronta=base"), &cookie)).await;
    assert!(body.contains("Confronto: «bis» e «base»") && body.contains("Sono elencate le persone il cui premio cambia (0)"), "{body}");
    // What-if from the form: other rules and a changed score.
    let what_if = format!("csrf={csrf}&azione=calcola&nome=alta&regole=differenziazione.quota_teste+%3D+20%0D%0A&punteggi=M0001%3D100%0D%0A");
    assert_eq!(send(&state, post(page, &cookie, &what_if)).await.0, StatusCode::SEE_OTHER);
    let (_, _, body) = send(&state, get(&format!("{page}?scenario=alta"), &cookie)).await;
    assert!(body.contains("di cui 38 maggiorazioni"), "{body}");
    let bad = format!("csrf={csrf}&azione=calcola&nome=rotta&regole=&punteggi=M0001%3D130");
    let (status, _, body) = send(&state, post(page, &cookie, &bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("riga 1, colonna «punteggi»"), "{body}");
    // Approval with gates open: refused on the page, saying which.
    let (status, _, body) = send(&state, post(page, &cookie, &format!("csrf={csrf}&azione=approva&nome=base"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("non si può approvare l&#39;erogazione dei premi 2020") || body.contains("non si può approvare l'erogazione dei premi 2020"),
        "{body}"
    );

    // The gates opened by whom they belong to (the plan approved by GC 838/2020, the Relazione
    // approved by the Giunta and validated by the NIV), the planner approves from the page.
    open_gates(&state.store).await;
    // M0037 contested his evaluation above: approval waits for the conciliation's outcome,
    // which confirms the score.
    let (status, _, body) = send(&state, post(page, &cookie, &format!("csrf={csrf}&azione=approva&nome=base"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("valutazioni contestate senza l&#39;esito della conciliazione: M0037"), "{body}");
    sqlx::query("UPDATE evaluation SET conciliation = 'confermata' WHERE person_id = (SELECT id FROM person WHERE matricola = 'M0037')")
        .execute(&state.store.pool)
        .await
        .expect("conciliation");
    let (status, _, body) = send(&state, post(page, &cookie, &format!("csrf={csrf}&azione=approva&nome=base"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, _, body) = send(&state, get(&format!("{page}?scenario=base"), &cookie)).await;
    assert!(body.contains("<span class=\"badge bg-success\">approvato</span> da pianificatore"), "{body}");
    assert!(!body.contains("Approva lo scenario «base»"));
    // Published: the art. 20 tables, with the amounts of the approved scenario, and no name.
    let (_, _, body) = send(&state, get(public, "")).await;
    assert!(
        body.contains("281 obiettivi</a>, approvato") && body.contains("Relazione sulla Performance</dt>\n    <dd class=\"col-sm-8\">validata dal NIV il "),
        "{body}"
    );
    for (item, value) in [
        ("premi performance organizzativa", "250.000,00 €"),
        ("premi performance individuale (con maggiorazioni)", "150.000,00 €"),
        ("medio", "2.105,26 €"),
        ("massimo", "2.992,23 €"),
        ("coefficiente di variazione dei premi (%)", "17,30%"),
        ("retribuzione di risultato", "666.490,32 €"),
    ] {
        assert!(body.contains(&format!("<th scope=\"row\" class=\"fw-normal\">{item}</th><td class=\"text-end tabular\">{value}</td>")), "{item}: {body}");
    }
    assert!(!body.contains("Barbieri") && !body.contains("M0037"), "no person is named");
    let (status, _, csv) = send(&state, get(&format!("{public}/2020/premi.csv"), "")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.starts_with("destinatari,sezione,voce,valore\npersonale,stanziato,premi performance organizzativa,"), "{csv}");
    assert!(csv.contains("personale,differenziazione,personale con la maggiorazione per la differenziazione,19\n"), "{csv}");
    let (_, _, pkg) = send(&state, get(&format!("{public}/2020/datapackage.json"), "")).await;
    let pkg: serde_json::Value = serde_json::from_str(&pkg).expect("json");
    assert_eq!(
        pkg["resources"].as_array().map(|r| r.iter().map(|x| x["path"].as_str().unwrap_or_default().to_string()).collect::<Vec<_>>()),
        Some(vec!["punteggi.csv".to_string(), "premi.csv".to_string()])
    );
    let (_, _, scores) = send(&state, get(&format!("{public}/2020/punteggi.csv"), "")).await;
    assert!(
        scores.starts_with("livello,codice,percentuale,stato,semaforo,nome,dimensione,struttura,valore,target,spiegazione\n")
            && scores.contains("\nente,015146,82.86,valutato,verde,"),
        "{scores}"
    );

    // Now the employee sees the premium and why.
    let (_, _, body) = send(&state, get(mine, &employee)).await;
    assert!(body.contains("Premi approvati (scenario «base»)") && body.contains("Punteggio organizzativo in ADG (182 giorni)"), "{body}");

    let (status, _, csv) = send(&state, get(&format!("{page}/base/export?formato=csv"), &cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.starts_with("matricola,nome,categoria,struttura,anno,voce,descrizione,importo\n"), "{csv}");
    let (status, _, body) = send(&state, get(&format!("{page}/base/persone/M0037"), &cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Punteggio organizzativo in ADG (182 giorni)"), "{body}");
    assert_eq!(send(&state, get(&format!("{page}/base/persone/X1"), &cookie)).await.0, StatusCode::NOT_FOUND);
    let (status, _, body) = send(&state, get(&format!("{page}/base/persone/D022"), &cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Retribuzione di risultato") && body.contains("Risultati della struttura SIAD: ROD "), "{body}");

    // Closed, the year publishes its snapshot's hash and the audit trail's head, for anyone to keep.
    let (_, _, body) = send(&state, get(public, "")).await;
    assert!(body.contains("<dt class=\"col-sm-4\">Chiusura dell&#39;anno</dt>\n    <dd class=\"col-sm-8\">non ancora chiuso</dd>"), "{body}");
    let ente = traguardi_app::org::enti::find(&state.store, Some(demo::CODE)).await.expect("ente");
    let r =
        traguardi_app::cycle::close::close(&state.store, &traguardi_app::Actor::console(), &ente, 2020, Some("validazione su carta")).await.expect("closed");
    let (seq, head) = r.audit_head.expect("a head");
    let (_, _, body) = send(&state, get(public, "")).await;
    assert!(body.contains(&format!("istantanea SHA-256 <code class=\"text-break\">{}</code>", r.hash)), "{body}");
    assert!(body.contains(&format!("testa del registro di audit <code class=\"text-break\">{seq}:{head}</code>")), "{body}");
}

#[tokio::test]
async fn a_revision_shows_on_the_objective_page() {
    use traguardi_app::cycle::workflow::{Move, transition};
    use traguardi_domain::plan::workflow::State;
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    let console = traguardi_app::Actor::console();
    let ente = {
        let mut conn = store.acquire().await.expect("conn");
        traguardi_app::org::enti::resolve(&mut conn, Some(demo::CODE)).await.expect("ente")
    };
    let all = |to| Move { codes: &[], to, act: None, note: None };
    transition(&store, &console, &ente, 2020, all(State::Proposto)).await.expect("proposed");
    transition(&store, &console, &ente, 2020, Move { act: Some("GC 838/2020"), ..all(State::Approvato) }).await.expect("approved");
    let act = b"organo,numero,data,oggetto\ndirettore_generale,5,2020-09-30,Rimodulazione\n";
    traguardi_app::cycle::import_acts::import_acts(&store, &console, &ente, act, traguardi_docs::ReadOptions::default(), false).await.expect("act");
    let request = traguardi_app::cycle::revisions::Request {
        objective: None,
        kpi: Some("SAL-12-K3"),
        field: "target",
        value: Some("12"),
        reason: "nuovo quadro normativo",
        act: "DDG 5/2020",
        effective_on: chrono::NaiveDate::from_ymd_opt(2020, 10, 1).expect("day"),
    };
    traguardi_app::cycle::revisions::revise(&store, &console, &ente, 2020, request).await.expect("revised");
    let state = AppState::new(store);
    let (status, _, body) = send(&state, get("/enti/015146/cicli/2020/obiettivi/SAL-12", "")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains(
            "<th scope=\"row\">SAL-12-K3</th><td>target</td><td>10</td><td>12</td><td>01/10/2020</td><td>nuovo quadro normativo</td><td>DDG 5/2020</td>"
        ),
        "{body}"
    );
}
