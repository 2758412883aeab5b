//! The reads of the API on SQLite and PostgreSQL, checked against the demo's own rows: the
//! enti, the cycles, the org tree, the people (scoped like the evaluations), the objectives with
//! their KPIs and scores, the values with their versions; pages that join up, `ETag`s that
//! answer 304, other enti's data refused.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use traguardi_app::{Actor, accounts::users, org::enti, samples::demo};
use traguardi_domain::ente::{EnteCode, EnteKind, NewEnte};
use traguardi_store::{Store, testing};
use traguardi_web::{AppState, router};

const ENTE: &str = "/api/v1/enti/015146";
const CYCLE: &str = "/api/v1/enti/015146/cicli/2020";

struct Answer {
    status: StatusCode,
    etag: Option<String>,
    /// The `Cache-Control` header.
    cache: Option<String>,
    body: Value,
}

async fn read(state: &AppState, uri: &str, token: Option<&str>, etag: Option<&str>) -> Answer {
    let mut r = Request::get(uri);
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if let Some(e) = etag {
        r = r.header(header::IF_NONE_MATCH, e);
    }
    let res = router(state.clone()).oneshot(r.body(Body::empty()).expect("request")).await.expect("response");
    let status = res.status();
    let etag = res.headers().get(header::ETAG).and_then(|v| v.to_str().ok()).map(String::from);
    let cache = res.headers().get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()).map(String::from);
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Answer { status, etag, cache, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) }
}

/// A read that must succeed.
async fn ok(state: &AppState, uri: &str, token: Option<&str>) -> Value {
    let a = read(state, uri, token, None).await;
    assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.body);
    a.body
}

/// Every item of a list, read `limit` at a time by following the cursors.
async fn all_pages(state: &AppState, uri: &str, token: Option<&str>, limit: usize) -> Vec<Value> {
    let sep = if uri.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut next = format!("{uri}{sep}limite={limit}");
    loop {
        let page = ok(state, &next, token).await;
        let got = page["elementi"].as_array().expect("items");
        assert!(got.len() <= limit, "{next}");
        items.extend(got.iter().cloned());
        match page["successivo"].as_str() {
            Some(c) => next = format!("{uri}{sep}limite={limit}&cursore={c}"),
            None => return items,
        }
    }
}

async fn count(store: &Store, sql: &'static str) -> usize {
    let n: i64 = sqlx::query_scalar(sql).fetch_one(&store.pool).await.expect("count");
    usize::try_from(n).expect("count")
}

fn codes(items: &[Value], field: &str) -> Vec<String> {
    items.iter().map(|i| i[field].as_str().expect("code").to_string()).collect()
}

async fn token(store: &Store, who: &str) -> String {
    users::add_token(store, &Actor::console(), who, "letture").await.expect("token").token
}

async fn reads(store: Store) {
    demo::load(&store).await.expect("demo");
    let console = Actor::console();
    let (planner, direttore, dipendente) = (token(&store, "pianificatore").await, token(&store, "direttore.siad").await, token(&store, "dipendente").await);
    let other = NewEnte {
        code: EnteCode::parse("001272").expect("code"),
        name: "Comune di Torino".into(),
        codice_fiscale: None,
        kind: EnteKind::Comune,
        staff_size: 10,
        has_dirigenti: true,
    };
    enti::create(&store, &console, &other).await.expect("second ente");
    let state = AppState::new(store.clone());

    // The enti, public, by code; the same answer again is 304 with no body.
    let first = read(&state, "/api/v1/enti", None, None).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(codes(first.body["elementi"].as_array().expect("items"), "codice"), ["001272", "015146"]);
    assert_eq!(first.body["totale"], 2);
    let etag = first.etag.expect("an ETag");
    let again = read(&state, "/api/v1/enti", None, Some(&etag)).await;
    assert_eq!((again.status, again.body, again.etag.as_deref()), (StatusCode::NOT_MODIFIED, Value::Null, Some(etag.as_str())));
    assert_eq!(read(&state, "/api/v1/enti", None, Some("\"altro\"")).await.status, StatusCode::OK);

    // The cycles, oldest first, with their calendars.
    let cycles = ok(&state, &format!("{ENTE}/cicli"), None).await;
    let years: Vec<i64> = cycles.as_array().expect("cycles").iter().map(|c| c["anno"].as_i64().expect("year")).collect();
    assert_eq!(years, [2020, 2021, 2022]);
    assert_eq!(cycles[0]["scadenza_relazione"], "2021-06-30");

    // The org tree, public and depth first; pages of 7 join up to the whole list.
    let units = count(&store, "SELECT COUNT(*) FROM org_unit u JOIN cycle c ON c.id = u.cycle_id WHERE c.year = 2020").await;
    let whole = ok(&state, &format!("{CYCLE}/strutture?limite=1000"), None).await;
    assert_eq!((whole["totale"].as_u64(), whole["successivo"].as_str()), (Some(units as u64), None));
    let tree = whole["elementi"].as_array().expect("units").clone();
    assert_eq!(all_pages(&state, &format!("{CYCLE}/strutture"), None, 7).await, tree);
    assert_eq!(tree[0]["livello"], 0);
    let siad = tree.iter().find(|u| u["codice"] == "SIAD").expect("SIAD");
    assert_eq!(siad["responsabile"], "Dott. Francesco Castanò");
    let below = ok(&state, &format!("{CYCLE}/strutture?padre=SIAD"), None).await;
    assert!(below["elementi"].as_array().expect("units").iter().all(|u| u["padre"] == "SIAD"), "{below}");

    // The people: the planner sees all with a post in 2020, the direttore those of SIAD and below,
    // the dipendente and the public nobody.
    let staff = count(&store, "SELECT COUNT(DISTINCT a.person_id) FROM assignment a JOIN cycle c ON c.id = a.cycle_id WHERE c.year = 2020").await;
    let everyone = all_pages(&state, &format!("{CYCLE}/persone"), Some(&planner), 50).await;
    assert_eq!(everyone.len(), staff);
    let matricole = codes(&everyone, "matricola");
    assert!(matricole.windows(2).all(|w| w[0] < w[1]), "by matricola, each once");
    let theirs = all_pages(&state, &format!("{CYCLE}/persone"), Some(&direttore), 50).await;
    let siad_units: Vec<String> = codes(&tree, "codice")
        .into_iter()
        .filter(|c| {
            let mut at = tree.iter().find(|u| u["codice"] == c.as_str());
            while let Some(u) = at {
                if u["codice"] == "SIAD" {
                    return true;
                }
                at = u["padre"].as_str().and_then(|p| tree.iter().find(|x| x["codice"] == p));
            }
            false
        })
        .collect();
    assert!(!theirs.is_empty() && theirs.len() < staff, "{} of {staff}", theirs.len());
    for p in &theirs {
        for post in p["incarichi"].as_array().expect("posts") {
            assert!(siad_units.iter().any(|u| post["struttura"] == u.as_str()), "{p}");
        }
    }
    let ir = ok(&state, &format!("{CYCLE}/persone?categoria=IR&limite=1000"), Some(&planner)).await;
    assert!(ir["elementi"].as_array().expect("people").iter().all(|p| p["incarichi"].as_array().expect("posts").iter().any(|x| x["categoria"] == "IR")));
    for (token, status) in [(Some(dipendente.as_str()), StatusCode::FORBIDDEN), (None, StatusCode::UNAUTHORIZED)] {
        assert_eq!(read(&state, &format!("{CYCLE}/persone"), token, None).await.status, status);
    }
    // Another ente's people: the planner of Milan holds no role there.
    assert_eq!(read(&state, "/api/v1/enti/001272/cicli/2020/persone", Some(&planner), None).await.status, StatusCode::FORBIDDEN);

    // The objectives with their KPIs and scores, public, by code; their scores are the reports'.
    let objectives = count(&store, "SELECT COUNT(*) FROM objective o JOIN cycle c ON c.id = o.cycle_id WHERE c.year = 2020").await;
    let plan = all_pages(&state, &format!("{CYCLE}/obiettivi"), None, 40).await;
    assert_eq!(plan.len(), objectives);
    let kpis: usize = plan.iter().map(|o| o["kpi"].as_array().expect("kpis").len()).sum();
    assert_eq!(kpis, count(&store, "SELECT COUNT(*) FROM kpi k JOIN cycle c ON c.id = k.cycle_id WHERE c.year = 2020").await);
    let scores = ok(&state, &format!("{CYCLE}/punteggi"), None).await;
    for row in scores["punteggi"].as_array().expect("scores").iter().filter(|r| r["livello"] == "obiettivo") {
        let o = plan.iter().find(|o| o["codice"] == row["codice"]).expect("objective");
        assert_eq!(o["punteggio"]["percentuale"], row["percentuale"], "{}", row["codice"]);
    }
    let of_siad = ok(&state, &format!("{CYCLE}/obiettivi?struttura=SIAD&limite=1000"), None).await;
    let of_siad = of_siad["elementi"].as_array().expect("objectives");
    assert!(!of_siad.is_empty() && of_siad.iter().all(|o| o["struttura"] == "SIAD"));

    // The indices as `payout indici`, ROE first; the dashboard's ente as the scores' ente.
    let idx = traguardi_app::pay::payouts::indices(&store, &console, Some("015146"), 2020).await.expect("indices");
    let indici = ok(&state, &format!("{CYCLE}/indici"), None).await;
    let indici = indici.as_array().expect("indices");
    assert_eq!(indici.len(), usize::from(idx.roe.is_some()) + idx.rod.len() + idx.ros.len());
    assert_eq!(indici[0]["indice"], "ROE");
    let roe = idx.roe.as_ref().and_then(|i| i.value()).map(|v| traguardi_domain::plan::round::report(v).to_string());
    assert_eq!(indici[0]["valore"].as_str().map(String::from), roe);
    let ente_row = scores["punteggi"].as_array().expect("scores").iter().find(|r| r["livello"] == "ente").expect("ente").clone();
    let cruscotto = ok(&state, &format!("{CYCLE}/cruscotto"), None).await;
    assert_eq!(cruscotto["ente"]["score"], ente_row["percentuale"]);

    // The budget's lines of a year, public; pages of 3 join up; filtered by Missione.
    let lines = count(&store, "SELECT COUNT(*) FROM budget_line WHERE anno = 2024").await;
    let peg = all_pages(&state, "/api/v1/enti/015146/bilancio/2024/righe", None, 3).await;
    assert_eq!(peg.len(), lines);
    let first = &peg[0];
    let missione = first["missione"].as_str().expect("missione");
    let of_it = ok(&state, &format!("/api/v1/enti/015146/bilancio/2024/righe?missione={missione}&limite=1000"), None).await;
    let of_it = of_it["elementi"].as_array().expect("lines");
    assert!(!of_it.is_empty() && of_it.iter().all(|l| l["missione"] == missione));
    assert_eq!(of_it.len(), peg.iter().filter(|l| l["missione"] == missione).count());

    // The values: every version for the planner, SIAD's for its direttore, nothing for the public.
    let versions =
        count(&store, "SELECT COUNT(*) FROM measurement m JOIN kpi k ON k.id = m.kpi_id JOIN cycle c ON c.id = k.cycle_id WHERE c.year = 2020").await;
    let values = all_pages(&state, &format!("{CYCLE}/valori"), Some(&planner), 200).await;
    assert_eq!(values.len(), versions);
    let theirs = all_pages(&state, &format!("{CYCLE}/valori"), Some(&direttore), 200).await;
    assert!(!theirs.is_empty() && theirs.len() < versions);
    assert!(theirs.iter().all(|v| siad_units.iter().any(|u| v["unit"] == u.as_str())), "only SIAD's units");
    let kpi = values[0]["kpi"].as_str().expect("kpi");
    let one = ok(&state, &format!("{CYCLE}/valori?kpi={kpi}&limite=1000"), Some(&planner)).await;
    assert!(one["elementi"].as_array().expect("values").iter().all(|v| v["kpi"] == kpi));
    assert_eq!(read(&state, &format!("{CYCLE}/valori"), None, None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(read(&state, &format!("{CYCLE}/valori"), Some(&dipendente), None).await.status, StatusCode::FORBIDDEN);

    // The notifications of 2021 after the reminders of 1 March 2022: everyone's for the planner,
    // by day and matricola; the direttore's own; none for a dipendente who has none.
    traguardi_app::plan::monitoring::send_reminders(&store, &console, Some("015146"), 2021, chrono::NaiveDate::from_ymd_opt(2022, 3, 1).expect("day"), None)
        .await
        .expect("reminders");
    let written = count(&store, "SELECT COUNT(*) FROM notification").await;
    let notices = all_pages(&state, "/api/v1/enti/015146/cicli/2021/notifiche", Some(&planner), 5).await;
    assert!(written > 0 && notices.len() == written, "{} of {written}", notices.len());
    assert!(notices.iter().all(|n| n["giorno"] == "2022-03-01" && n["tipo"] == "sollecito" && n["inviata_per_email"] == false));
    let castano = ok(&state, "/api/v1/enti/015146/cicli/2021/notifiche", Some(&direttore)).await;
    assert_eq!(codes(castano["elementi"].as_array().expect("notices"), "matricola"), ["D022"]);
    assert!(castano["elementi"][0]["testo"].as_str().expect("text").contains("valori del 2021 da inserire per SIAD"), "{castano}");
    let filtered = ok(&state, "/api/v1/enti/015146/cicli/2021/notifiche?matricola=D022", Some(&planner)).await;
    assert_eq!(filtered["elementi"], castano["elementi"]);
    assert_eq!(ok(&state, "/api/v1/enti/015146/cicli/2021/notifiche", Some(&dipendente)).await["totale"], 0);
    assert_eq!(read(&state, "/api/v1/enti/015146/cicli/2021/notifiche", None, None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(read(&state, "/api/v1/enti/001272/cicli/2021/notifiche", Some(&direttore), None).await.status, StatusCode::FORBIDDEN);

    // The acts, public, by the day adopted; the Giunta's of 2020 include the one approving the plan.
    let acts = all_pages(&state, &format!("{ENTE}/atti"), None, 2).await;
    assert_eq!(acts.len(), count(&store, "SELECT COUNT(*) FROM act").await);
    let days: Vec<&str> = acts.iter().map(|a| a["data"].as_str().expect("day")).collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "{days:?}");
    let giunta = ok(&state, &format!("{ENTE}/atti?organo=giunta&anno=2020"), None).await;
    let gc = giunta["elementi"].as_array().expect("acts").iter().find(|a| a["codice"] == "GC 838/2020").expect("GC 838/2020").clone();
    assert_eq!(
        (gc["data"].as_str(), gc["immediatamente_eseguibile"].as_bool(), gc["esecutivo_dal"].as_str()),
        (Some("2020-07-24"), Some(true), Some("2020-07-24"))
    );
    assert!(giunta["elementi"].as_array().expect("acts").iter().all(|a| a["organo"] == "giunta" && a["data"].as_str().is_some_and(|d| d.starts_with("2020"))));

    // A cursor that was not given, a page too large: 400 problems.
    for bad in ["limite=0", "limite=5000", "cursore=***", "cursore="] {
        let a = read(&state, &format!("{CYCLE}/strutture?{bad}"), None, None).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}: {}", a.body);
        assert_eq!(a.body["status"], 400);
    }
}

#[tokio::test]
async fn every_resource_read_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        reads(store).await;
    }
}

async fn upload(state: &AppState, uri: &str, token: Option<&str>, csv: &'static str, english: bool) -> Answer {
    let mut r = Request::post(uri).header(header::CONTENT_TYPE, "text/csv");
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if english {
        r = r.header(header::ACCEPT_LANGUAGE, "en");
    }
    let res = router(state.clone()).oneshot(r.body(Body::from(csv)).expect("request")).await.expect("response");
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Answer { status, etag: None, cache: None, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) }
}

async fn imports(store: Store) {
    demo::load(&store).await.expect("demo");
    let (planner, dipendente) = (token(&store, "pianificatore").await, token(&store, "dipendente").await);
    let state = AppState::new(store.clone());
    let units = "SELECT COUNT(*) FROM org_unit u JOIN cycle c ON c.id = u.cycle_id WHERE c.year = 2022";
    let before = count(&store, units).await;
    let org = "codice,nome,tipo,padre,cdr\nNUOVA,Nuova Direzione,direzione,,\nNUOVA-1,Servizio nuovo,servizio,NUOVA,\n";
    let uri = "/api/v1/enti/015146/cicli/2022/importazioni/struttura";

    // A trial checks and writes nothing; the import writes; both answer the import's report.
    let trial = upload(&state, &format!("{uri}?prova=1"), Some(&planner), org, false).await;
    assert_eq!(trial.status, StatusCode::OK, "{}", trial.body);
    assert_eq!((&trial.body["tipo"], &trial.body["prova"]), (&Value::from("struttura"), &Value::from(true)));
    assert_eq!(trial.body["resoconto"]["created"], serde_json::json!(["NUOVA", "NUOVA-1"]));
    assert_eq!(count(&store, units).await, before);
    let done = upload(&state, uri, Some(&planner), org, false).await;
    assert_eq!((done.status, &done.body["prova"]), (StatusCode::OK, &Value::from(false)), "{}", done.body);
    assert_eq!(count(&store, units).await, before + 2);

    // A file with problems: 422, each problem on its row and column, in the caller's language.
    let bad = upload(
        &state,
        "/api/v1/enti/015146/cicli/2022/importazioni/misurazioni?prova=1",
        Some(&planner),
        "kpi,data,valore,nota\nNONESISTE,2022-06-30,5,\n",
        true,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let first = &bad.body["problemi"][0];
    assert_eq!((&first["riga"], &first["colonna"]), (&Value::from(2), &Value::from("kpi")), "{}", bad.body);
    assert_eq!(first["problema"], "«NONESISTE» is not valid: expected the code of a KPI of cycle 2022");

    // The managers' fund with its cap and certification (the demo's file): its totals; a cap that
    // the resources exceed is refused; a cap that is not an amount is named as the query's.
    let fund = include_str!("../../../app/demo/milano/fondo-dirigenti-2020.csv");
    let funds = "/api/v1/enti/015146/cicli/2020/importazioni/fondo?fondo=dirigenti&certificato_da=Collegio%20dei%20Revisori&certificato_il=30/11/2020";
    let done = upload(&state, &format!("{funds}&limite=2500000"), Some(&planner), fund, false).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!((&done.body["resoconto"]["kind"], &done.body["resoconto"]["items"]), (&Value::from("dirigenti"), &Value::from(4)), "{}", done.body);
    let over = upload(&state, &format!("{funds}&limite=1000"), Some(&planner), fund, false).await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", over.body);
    let wrong = upload(&state, &format!("{funds}&limite=molto"), Some(&planner), fund, false).await;
    assert_eq!((wrong.status, &wrong.body["problemi"][0]["colonna"]), (StatusCode::UNPROCESSABLE_ENTITY, &Value::from("limite")), "{}", wrong.body);
    let undated = "/api/v1/enti/015146/cicli/2020/importazioni/fondo?fondo=dirigenti&certificato_il=2020-11-30";
    assert_eq!(upload(&state, undated, Some(&planner), fund, false).await.status, StatusCode::BAD_REQUEST);

    // Without a token, with a role that does not import, of an unknown kind.
    assert_eq!(upload(&state, uri, None, org, false).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(upload(&state, uri, Some(&dipendente), org, false).await.status, StatusCode::FORBIDDEN);
    let unknown = upload(&state, "/api/v1/enti/015146/cicli/2022/importazioni/ricette", Some(&planner), org, false).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.body["problemi"][0]["colonna"], "tipo");
    assert_eq!(upload(&state, &format!("{uri}?prova=forse"), Some(&planner), org, false).await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn every_import_through_the_api_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        imports(store).await;
    }
}

/// Posts a JSON body with a token; the status and the JSON answer.
async fn post_json(state: &AppState, uri: String, token: String, body: Value) -> (StatusCode, Value) {
    let r = Request::post(&uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    let res = router(state.clone()).oneshot(r).await.expect("response");
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (status, serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null))
}

async fn premi(store: Store) {
    demo::load(&store).await.expect("demo");
    let (planner, dipendente) = (token(&store, "pianificatore").await, token(&store, "dipendente").await);
    let state = AppState::new(store.clone());
    let scenarios = format!("{CYCLE}/premi/scenari");
    let post = |uri: String, token: String, body: Value| post_json(&state, uri, token, body);

    // Computed as `payout scenario`: the demo's 192 people share the 400.000,00 € of the premi.
    let (status, base) = post(scenarios.clone(), planner.clone(), serde_json::json!({"nome": "base"})).await;
    assert_eq!(status, StatusCode::OK, "{base}");
    assert_eq!(
        (&base["persone"], &base["erogati"], &base["residuo"], &base["stato"]),
        (&Value::from(192), &Value::from(40_000_000), &Value::from(0), &Value::from("da_approvare"))
    );
    let matricola = {
        let detail = ok(&state, &format!("{scenarios}/base"), Some(&planner)).await;
        assert_eq!(detail["scenario"]["sha256"], base["sha256"]);
        assert_eq!(detail["ripartizione"]["persone"].as_array().expect("people").len(), 192);
        detail["ripartizione"]["persone"][0]["matricola"].as_str().expect("matricola").to_string()
    };
    let (status, alt) = post(scenarios.clone(), planner.clone(), serde_json::json!({"nome": "alt", "punteggi": {matricola.clone(): "10"}})).await;
    assert_eq!((status, &alt["stato"]), (StatusCode::OK, &Value::from("simulazione")), "{alt}");
    let list = ok(&state, &scenarios, Some(&planner)).await;
    assert_eq!(codes(list.as_array().expect("scenarios"), "nome"), ["alt", "base"]);
    let diff = ok(&state, &format!("{CYCLE}/premi/confronto?a=base&b=alt"), Some(&planner)).await;
    assert!(diff["rows"].as_array().expect("rows").iter().any(|r| r["matricola"] == matricola.as_str()), "{diff}");

    // Not approvable while the Piano is a draft; so no payroll file of the approved one yet.
    let (status, refused) = post(format!("{scenarios}/base/approvazione"), planner.clone(), serde_json::json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(refused["detail"].as_str().is_some_and(|d| d.contains("Piano degli Obiettivi 2020 non approvato")), "{refused}");
    assert_eq!(read(&state, &format!("{CYCLE}/premi/cedolino"), Some(&planner), None).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The payroll file of a named scenario, as `payout export`: CSV, JSON with the same fields.
    let res = router(state.clone())
        .oneshot(
            Request::get(format!("{CYCLE}/premi/cedolino?nome=base"))
                .header(header::AUTHORIZATION, format!("Bearer {planner}"))
                .body(Body::empty())
                .expect("req"),
        )
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[header::CONTENT_TYPE].to_str().expect("type").starts_with("text/csv"));
    assert_eq!(res.headers()[header::CONTENT_DISPOSITION], "attachment; filename=\"cedolino-015146-2020.csv\"");
    let etag = res.headers()[header::ETAG].to_str().expect("etag").to_string();
    let csv = String::from_utf8(res.into_body().collect().await.expect("body").to_bytes().to_vec()).expect("utf-8");
    assert!(csv.starts_with("matricola,nome,categoria,struttura,anno,voce,descrizione,importo"), "{csv}");
    let again = read(&state, &format!("{CYCLE}/premi/cedolino?nome=base"), Some(&planner), Some(&etag)).await;
    assert_eq!((again.status, again.cache.as_deref()), (StatusCode::NOT_MODIFIED, Some("private, no-cache")));
    let rows = ok(&state, &format!("{CYCLE}/premi/cedolino?nome=base&formato=json"), Some(&planner)).await;
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), csv.lines().count() - 1);
    assert!(rows.iter().all(|r| r["anno"] == "2020" && r["matricola"].is_string()));

    // Only those who run the premi.
    assert_eq!(read(&state, &scenarios, Some(&dipendente), None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(read(&state, &scenarios, None, None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_premi_through_the_api_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        premi(store).await;
    }
}

async fn evaluations(store: Store) {
    demo::load(&store).await.expect("demo");
    let (planner, direttore, dipendente) = (token(&store, "pianificatore").await, token(&store, "direttore.siad").await, token(&store, "dipendente").await);
    let state = AppState::new(store.clone());
    let list = format!("{CYCLE}/valutazioni");

    // The direttore of SIAD evaluates eight people of SIAD, as on the evaluation page.
    let theirs = all_pages(&state, &list, Some(&direttore), 3).await;
    assert_eq!(theirs.len(), 8);
    assert!(theirs.iter().all(|e| e["struttura"] == "SIAD"));
    let m0168 = theirs.iter().find(|e| e["matricola"] == "M0168").expect("M0168");
    assert_eq!(
        (&m0168["categoria"], &m0168["colloquio_intermedio"], &m0168["registrata"]),
        (&Value::from("D"), &Value::from("2020-07-16"), &Value::from(true))
    );
    let everyone = ok(&state, &format!("{list}?limite=1000"), Some(&planner)).await;
    assert!(everyone["totale"].as_u64().expect("total") > 8);

    // The form as JSON: the same checks as the page, then the evaluation as the list shows it.
    let send_form = |token: String, body: Value| post_json(&state, format!("{CYCLE}/valutazioni/M0168"), token, body);
    let form = |end: &str| {
        serde_json::json!({"comportamenti": {"C1": "4", "C2": "4", "C3": "4", "C4": "5"}, "colloquio_iniziale": "2020-02-14",
            "colloquio_intermedio": "2020-07-16", "colloquio_finale": end, "nota": "obiettivi raggiunti"})
    };
    let (status, refused) = send_form(direttore.clone(), form("2020-06-30")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["problemi"][0]["colonna"], "colloquio_finale");
    let (status, done) = send_form(direttore.clone(), form("2021-03-10")).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!((&done["comportamenti"], &done["colloquio_finale"], &done["voci"]["C4"]), (&Value::from("85"), &Value::from("2021-03-10"), &Value::from("5")));
    assert_eq!(send_form(dipendente.clone(), form("2021-03-10")).await.0, StatusCode::FORBIDDEN);
    // A dipendente evaluates nobody: an empty list, as the page shows.
    assert_eq!(ok(&state, &list, Some(&dipendente)).await["totale"], 0);
}

#[tokio::test]
async fn evaluations_through_the_api_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        evaluations(store).await;
    }
}
