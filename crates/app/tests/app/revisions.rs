//! Rimodulazioni on SQLite and PostgreSQL: a revised target changes the score and keeps the
//! original; weights, descriptions and removals; every refusal says why.

use rust_decimal::dec;
use traguardi_app::cycle::revisions::{Request, of_cycle, revise};
use traguardi_app::cycle::workflow::{Move, transition};
use traguardi_app::{Actor, AppError, cycle::import_acts, plan::scores, samples::demo};
use traguardi_docs::ReadOptions;
use traguardi_domain::Lang;
use traguardi_domain::plan::score::Outcome;
use traguardi_domain::plan::workflow::State;
use traguardi_store::{Store, testing};

fn refused<T: std::fmt::Debug>(r: Result<T, AppError>) -> String {
    match r {
        Err(e) => e.describe(Lang::It),
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

async fn score_of(store: &Store, id_of: &str) -> Outcome {
    let s = scores::load(store, &Actor::console(), Some(demo::CODE), 2020).await.expect("scores");
    if let Some(k) = s.kpis.iter().find(|k| k.code == id_of) {
        return s.board.kpis[&k.id].scored.outcome.clone();
    }
    let o = s.objectives.iter().find(|o| o.code == id_of).expect("objective");
    s.board.objectives[&o.id].outcome.clone()
}

async fn story(store: &Store) {
    let (ente, _) = demo::load(store).await.expect("demo");
    let console = Actor::console();
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2020, m, d).expect("date");
    let ask = |kpi: Option<&'static str>, objective: Option<&'static str>, field: &'static str, value: Option<&'static str>| Request {
        objective,
        kpi,
        field,
        value,
        reason: "nuovo quadro normativo",
        act: "DDG 5/2020",
        effective_on: day(10, 1),
    };
    let act = b"organo,numero,data,oggetto\ndirettore_generale,5,2020-09-30,Rimodulazione del Piano degli Obiettivi 2020\n";
    import_acts::import_acts(store, &console, &ente, act, ReadOptions::default(), false).await.expect("act");

    // Before approval the plan is edited by import.
    let msg = refused(revise(store, &console, &ente, 2020, ask(Some("SAL-12-K3"), None, "target", Some("12"))).await);
    assert!(msg.starts_with("l'obiettivo SAL-12 è «bozza»: prima dell'approvazione il piano si modifica reimportandolo"), "{msg}");
    let all = |to| Move { codes: &[], to, act: None, note: None };
    transition(store, &console, &ente, 2020, all(State::Proposto)).await.expect("proposed");
    transition(store, &console, &ente, 2020, Move { act: Some("GC 838/2020"), ..all(State::Approvato) }).await.expect("approved");

    // SAL-12-K3, lower is better: 12 against 10 scores 10/12 = 83,33…; revised to 12, it scores 100.
    assert!(matches!(score_of(store, "SAL-12-K3").await, Outcome::Score(s) if s.round_dp(2) == dec!(83.33)));
    let r = revise(store, &console, &ente, 2020, ask(Some("SAL-12-K3"), None, "target", Some("12"))).await.expect("revised");
    assert_eq!((r.before.as_str(), r.after.as_str()), ("10", "12"));
    assert_eq!(score_of(store, "SAL-12-K3").await, Outcome::Score(dec!(100)));

    // A weight, a description, a removal.
    revise(store, &console, &ente, 2020, ask(None, Some("SAL-01"), "peso", Some("2,5"))).await.expect("weight");
    revise(store, &console, &ente, 2020, ask(None, Some("SAL-03"), "descrizione", Some("Nuova descrizione"))).await.expect("description");
    revise(store, &console, &ente, 2020, ask(None, Some("SAL-04"), "rimozione", None)).await.expect("removal");
    match score_of(store, "SAL-04").await {
        Outcome::NotAssessable(why) => assert_eq!(why, "rimosso con rimodulazione (DDG 5/2020): nuovo quadro normativo"),
        other => panic!("{other:?}"),
    }
    let list = of_cycle(store, &console, &ente, 2020).await.expect("list");
    assert_eq!(
        list.iter().map(|r| (r.code.as_str(), r.field.as_str(), r.after.as_str())).collect::<Vec<_>>(),
        [("SAL-12-K3", "target", "12"), ("SAL-01", "peso", "2.5"), ("SAL-03", "descrizione", "Nuova descrizione"), ("SAL-04", "rimozione", "rimosso")]
    );
    assert!(list.iter().all(|r| r.act_code == "DDG 5/2020" && r.effective_on == day(10, 1)));
    let sheet = traguardi_app::cycle::revisions::sheet(&list);
    assert_eq!(sheet.rows[0][..4], ["SAL-12-K3", "target", "10", "12"]);

    // Refusals: each says what is wrong.
    let cases = [
        (Request { act: "DDG 99/2020", ..ask(Some("SAL-12-K3"), None, "target", Some("11")) }, "atto «DDG 99/2020» non registrato"),
        (ask(Some("SAL-12-K3"), None, "colore", Some("11")), "campo «colore» non rimodulabile"),
        (
            Request { effective_on: chrono::NaiveDate::from_ymd_opt(2021, 1, 1).expect("d"), ..ask(Some("SAL-12-K3"), None, "target", Some("11")) },
            "non è nel 2020",
        ),
        (ask(Some("SAL-12-K3"), None, "target", Some("molti")), "target «molti» non valido per il KPI SAL-12-K3"),
        (ask(None, Some("SAL-01"), "peso", Some("0")), "peso «0» non valido"),
        // One thousand in a file, maybe one typed alone: never taken silently either way.
        (
            ask(Some("SAL-12-K3"), None, "target", Some("1.000")),
            "«1.000» non è valido: atteso un numero non ambiguo: 1000 (senza separatore delle migliaia) oppure 1,000",
        ),
        (ask(None, Some("SAL-01"), "peso", Some("1.000")), "colonna «--valore»"),
        (Request { reason: " ", ..ask(None, Some("SAL-01"), "peso", Some("2")) }, "richiede la motivazione"),
        (ask(None, Some("NOPE"), "peso", Some("2")), "obiettivo NOPE inesistente nel 2020"),
    ];
    for (request, needle) in cases {
        let msg = refused(revise(store, &console, &ente, 2020, request).await);
        assert!(msg.contains(needle), "{needle} in {msg}");
    }
    assert_eq!(of_cycle(store, &console, &ente, 2020).await.expect("list").len(), 4, "refusals write nothing");
    // An Italian target typed alone is stored in the canonical form of every target.
    let r = revise(store, &console, &ente, 2020, ask(Some("SAL-12-K3"), None, "target", Some("11,5"))).await.expect("revised");
    assert_eq!(r.after, "11.5");
}

#[tokio::test]
async fn revisions_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        story(&store).await;
        store.close().await;
    }
}
