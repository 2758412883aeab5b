//! The objectives' workflow on SQLite and PostgreSQL: the demo's 2020 driven from draft to NIV
//! validation and the close, with every refused step saying who may do what.

use traguardi_app::accounts::access::AccountRole;
use traguardi_app::cycle::workflow::{Move, transition};
use traguardi_app::{Actor, AppError, cycle::close, cycle::import_acts, samples::demo};
use traguardi_docs::ReadOptions;
use traguardi_domain::Lang;
use traguardi_domain::plan::workflow::State;
use traguardi_store::{Store, testing};

fn all(to: State) -> Move<'static> {
    Move { codes: &[], to, act: None, note: None }
}

use crate::common::refused;

async fn story(store: &Store) {
    let (ente, _) = demo::load(store).await.expect("demo");
    let console = Actor::console();
    let go = |year, m| transition(store, &console, &ente, year, m);

    let msg = refused(go(2020, all(State::Approvato)).await);
    assert!(
        msg.starts_with("nessun obiettivo è passato a «approvato»:\n  obiettivo ")
            && msg.contains(": è «bozza»: da qui si passa a «proposto» (pianificatore, amministratore, direttore)"),
        "{msg}"
    );
    // A Direttore moves only the objectives of his Direzione and the units below it.
    let siad = {
        let mut conn = store.acquire().await.expect("conn");
        let cycle = traguardi_store::cycle::by_year(&mut conn, &ente.id, 2020).await.expect("read").expect("2020");
        traguardi_store::org::by_code(&mut conn, &ente.id, &cycle.id, "SIAD").await.expect("read").expect("SIAD").lineage_id
    };
    let castano = Actor::user("direttore.siad", "x", &[AccountRole::Direttore], &[&siad]);
    let (mine, other) = (["SIAD-2020-01".to_string()], ["SAL-12".to_string()]);
    let propose = |codes| Move { codes, ..all(State::Proposto) };
    assert_eq!(transition(store, &castano, &ente, 2020, propose(&mine)).await.expect("his own").objectives, mine);
    let msg = refused(transition(store, &castano, &ente, 2020, propose(&other)).await);
    assert_eq!(msg, "nessun obiettivo è passato a «proposto»:\n  obiettivo SAL-12: fuori dalle strutture di competenza (SIAD e quelle sotto)");
    let unscoped = Actor::user("direttore.senza", "y", &[AccountRole::Direttore], &[]);
    let msg = refused(transition(store, &unscoped, &ente, 2020, propose(&other)).await);
    assert!(msg.ends_with("obiettivo SAL-12: il passaggio a «proposto» spetta a chi ha un ruolo su questa struttura"), "{msg}");
    assert_eq!(go(2020, all(State::Proposto)).await.expect("proposed").objectives.len(), 280);
    let msg = refused(go(2020, all(State::Approvato)).await);
    assert!(msg.contains("il passaggio a «approvato» richiede l'atto che lo dispone"), "{msg}");
    let unknown_act = Move { act: Some("GC 999/2020"), ..all(State::Approvato) };
    assert_eq!(refused(go(2020, unknown_act).await), "atto «GC 999/2020» non registrato: registrarlo con traguardi import atti (codice come «GC 838/2020»)");
    // The right act: a Giunta deliberation (a DG's determination only for details of I-level
    // objectives), of the year or the year before, executive.
    let acts = "organo,numero,data,oggetto,immediatamente_eseguibile,albo_dal\n\
                direttore_generale,7,2020-07-30,Dettaglio degli obiettivi,si,\n\
                giunta,12,2018-02-01,Piano 2018,si,\n\
                giunta,950,2020-09-01,Non ancora pubblicata,no,\n";
    import_acts::import_acts(store, &console, &ente, acts.as_bytes(), ReadOptions::default(), false).await.expect("acts");
    for (code, needle) in [
        ("DDG 7/2020", "l'atto DDG 7/2020 non approva il Piano degli Obiettivi: serve una deliberazione della Giunta"),
        ("GC 12/2018", "l'atto GC 12/2018 è del 2018: il Piano 2020 si approva con un atto del 2019 o del 2020"),
        ("GC 950/2020", "l'atto GC 950/2020 non è ancora esecutivo"),
    ] {
        let msg = refused(go(2020, Move { act: Some(code), ..all(State::Approvato) }).await);
        assert!(msg.contains(needle), "{code}: {msg}");
    }
    let approve = Move { act: Some("GC 838/2020"), ..all(State::Approvato) };
    assert_eq!(go(2020, approve).await.expect("approved").objectives.len(), 281);

    // A Direttore may not assign: the message names who may.
    let direttore = Actor::user("direttore.siad", "x", &[AccountRole::Direttore], &[]);
    let msg = refused(transition(store, &direttore, &ente, 2020, all(State::Assegnato)).await);
    assert!(msg.contains("il passaggio a «assegnato» spetta a: pianificatore, amministratore, segretario"), "{msg}");

    for to in [State::Assegnato, State::InMonitoraggio, State::Consuntivato] {
        assert_eq!(go(2020, all(to)).await.expect("moved").objectives.len(), 281, "{to:?}");
    }
    // The NIV returns one objective with a note, then validates all.
    let returned = ["SAL-12".to_string(), "SIAD-2020-01".to_string()];
    let niv = Actor::user("niv", "n", &[AccountRole::Niv], &[]);
    let back = Move { codes: &returned, to: State::InMonitoraggio, act: None, note: Some("evidenza del KPI 3 mancante") };
    assert_eq!(transition(store, &niv, &ente, 2020, back).await.expect("returned").objectives, returned);
    let msg = refused(transition(store, &niv, &ente, 2020, all(State::ValidatoNiv)).await);
    assert!(msg.contains("obiettivo SAL-12: è «in monitoraggio»: da qui si passa a «consuntivato»"), "{msg}");
    // A returned objective goes back to its owner: the responsible of its unit is told, with the note.
    let told: Vec<(String, String)> =
        sqlx::query_as("SELECT p.matricola, n.text FROM notification n JOIN person p ON p.id = n.person_id WHERE n.kind LIKE 'restituzione:%' ORDER BY n.kind")
            .fetch_all(&store.pool)
            .await
            .expect("notifications");
    assert_eq!(
        told,
        [(
            "D022".to_string(),
            "L'obiettivo SIAD-2020-01 è stato restituito da niv: «evidenza del KPI 3 mancante»; correggerlo e inviarlo di nuovo.".to_string()
        )]
    );
    go(2020, Move { codes: &returned, ..all(State::Consuntivato) }).await.expect("again");
    let msg = refused(go(2020, all(State::Chiuso)).await);
    assert!(msg.contains("si chiude con la chiusura dell'anno (traguardi close)"), "{msg}");
    assert_eq!(transition(store, &niv, &ente, 2020, all(State::ValidatoNiv)).await.expect("validated").objectives.len(), 281);

    // Validated: the close needs no force.
    let r = close::close(store, &console, &ente, 2020, None).await.expect("closes");
    assert!(!r.forced);
    assert!(refused(go(2020, all(State::Consuntivato)).await).starts_with("il ciclo 2020 è chiuso dal "));

    // A correction after the close is a new event referencing the snapshot; the frozen data and
    // the snapshot stay, so the verification still passes.
    let fix = close::CorrectionRequest { subject: "valori: SAL-12-K3 al 2020-12-31", before: "12", after: "11", reason: "errore di trascrizione", act: None };
    let c = close::correct(store, &console, &ente, 2020, fix.clone()).await.expect("corrected");
    assert_eq!((c.snapshot_hash.as_str(), c.before.as_str(), c.after.as_str()), (r.hash.as_str(), "12", "11"));
    assert_eq!(close::verify(store, &console, &ente, 2020).await.expect("still verifies"), r.hash);
    assert_eq!(close::corrections(store, &console, &ente, 2020).await.expect("list").len(), 1);
    assert_eq!(refused(close::correct(store, &console, &ente, 2021, fix.clone()).await), "il ciclo 2021 non è chiuso: i suoi dati si correggono direttamente");
    let no_reason = close::CorrectionRequest { reason: " ", ..fix };
    assert_eq!(refused(close::correct(store, &console, &ente, 2020, no_reason).await), "la correzione richiede --motivo");

    // Checks: a KPI without target cannot be proposed; a KPI without values cannot be consuntivato.
    sqlx::query(
        "DELETE FROM kpi_target WHERE kpi_id = (SELECT k.id FROM kpi k JOIN cycle c ON c.id = k.cycle_id WHERE c.year = 2022 AND k.code = 'DG-2021-01-K1')",
    )
    .execute(&store.pool)
    .await
    .expect("drop a target");
    let msg = refused(go(2022, all(State::Proposto)).await);
    assert!(msg.contains("obiettivo DG-2021-01: KPI DG-2021-01-K1 senza target"), "{msg}");
    go(2021, all(State::Proposto)).await.expect("2021 proposed");
    go(2021, Move { act: Some("gc 838/2020"), ..all(State::Approvato) }).await.expect("approved");
    go(2021, all(State::Assegnato)).await.expect("assigned");
    go(2021, all(State::InMonitoraggio)).await.expect("monitoring");
    // A first half's value is not the year's: the final period (31/12) is needed.
    let half = "kpi,data,valore,nota\nDG-2021-02-K1,2021-06-30,40,\n";
    traguardi_app::plan::import_measurements::import_measurements(store, &console, &ente, 2021, half.as_bytes(), ReadOptions::default(), false)
        .await
        .expect("value");
    let msg = refused(go(2021, all(State::Consuntivato)).await);
    assert!(msg.contains(": KPI DG-2021-02-K1 senza il valore approvato del periodo finale (31/12/2021) né un «non valutabile»"), "{msg}");
    let s = traguardi_app::plan::scores::load(store, &console, None, 2021).await.expect("scores");
    let k = s.kpis.iter().find(|k| k.code == "DG-2021-02-K1").expect("kpi");
    assert_eq!(s.board.kpis[&k.id].scored.outcome, traguardi_domain::plan::score::Outcome::NoData, "waiting for the final value");
    let unknown = ["NOPE".to_string()];
    assert!(matches!(go(2021, Move { codes: &unknown, ..all(State::Consuntivato) }).await, Err(AppError::NotFound(_))));
}

/// The acts of the demo, and bad act files.
async fn acts(store: &Store) {
    let (ente, _) = demo::load(store).await.expect("demo");
    let mut conn = store.acquire().await.expect("conn");
    let acts = traguardi_store::acts::list(&mut conn, &ente.id).await.expect("acts");
    drop(conn);
    let codes: Vec<&str> = acts.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(codes, ["GC 1200/2011", "GC 838/2020", "GC 432/2023", "DSG 3277/2023", "DDG 6780/2023"]);
    let gc838 = &acts[1];
    assert_eq!((gc838.proposal.as_deref(), gc838.immediate, gc838.kind.as_str()), (Some("1721/2020"), true, "deliberazione"));
    assert_eq!(gc838.executive_on, gc838.adopted_on.into(), "immediately executable: in force on the day");
    let pareri: Vec<(&str, &str, String)> =
        gc838.opinions.iter().map(|o| (o.kind.as_str(), o.outcome.as_str(), o.given_on.map(|d| d.to_string()).unwrap_or_default())).collect();
    assert_eq!(
        pareri,
        [
            ("legittimita", "favorevole", "2020-07-23".to_string()),
            ("regolarita_contabile", "non_dovuto", "2020-07-23".to_string()),
            ("regolarita_tecnica", "favorevole", "2020-07-22".to_string()),
        ]
    );
    // A deliberation that is not immediately executable is executive after the tenth day of
    // publication, the first day not counted: published from 15/01, executive from 26/01.
    let file = "organo,numero,data,oggetto,albo_dal\ngiunta,12,10/01/2024,Prova,15/01/2024\n";
    let console = Actor::console();
    traguardi_app::cycle::import_acts::import_acts(store, &console, &ente, file.as_bytes(), Default::default(), false).await.expect("imports");
    let mut conn = store.acquire().await.expect("conn");
    let a = traguardi_store::acts::list(&mut conn, &ente.id).await.expect("acts").into_iter().find(|a| a.code == "GC 12/2024").expect("GC 12/2024");
    assert_eq!((a.albo_to.map(|d| d.to_string()), a.executive_on.map(|d| d.to_string())), (Some("2024-01-29".into()), Some("2024-01-26".into())));
    drop(conn);
    let bad = "organo,numero,data,oggetto,parere_tecnico,parere_tecnico_da\nassessore,1,32/01/2024,,forse,\ngiunta,12,10/01/2024,Doppio,,\ngiunta,12,11/01/2024,Doppio,,\n";
    match traguardi_app::cycle::import_acts::import_acts(store, &console, &ente, bad.as_bytes(), Default::default(), false).await {
        Err(AppError::Invalid(p)) => {
            let text = p.describe(Lang::It);
            for part in [
                "riga 2, colonna «organo»",
                "riga 2, colonna «data»",
                "riga 2, colonna «oggetto»",
                "riga 2, colonna «parere_tecnico»",
                "riga 2, colonna «parere_tecnico_da»",
                "riga 4, colonna «numero»",
            ] {
                assert!(text.contains(part), "{part} in {text}");
            }
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn acts_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        acts(&store).await;
    }
}

#[tokio::test]
async fn workflow_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        story(&store).await;
    }
}

/// A Direttore approves his Direzione's values entered by others, never his own, nor others'.
async fn direttore_approves(store: &Store) {
    use traguardi_app::plan::measurements::{self, At, Decision, Entry};
    let (ente, _) = demo::load(store).await.expect("demo");
    let (siad, dg) = {
        let mut conn = store.acquire().await.expect("conn");
        let cycle = traguardi_store::cycle::by_year(&mut conn, &ente.id, 2021).await.expect("read").expect("2021");
        let siad = traguardi_store::org::by_code(&mut conn, &ente.id, &cycle.id, "SIAD").await.expect("read").expect("SIAD").lineage_id;
        let dg = traguardi_store::org::by_code(&mut conn, &ente.id, &cycle.id, "DG").await.expect("read").expect("DG").lineage_id;
        (siad, dg)
    };
    let dirigente = Actor::user("dirigente.siad", "d1", &[AccountRole::Dirigente], &[&siad]);
    let castano = Actor::user("direttore.siad", "d2", &[AccountRole::Direttore], &[&siad]);
    let other = Actor::user("direttore.dg", "d3", &[AccountRole::Direttore], &[&dg]);
    let day = chrono::NaiveDate::from_ymd_opt(2021, 12, 31).expect("date");
    let entry = |kpi: &str| Entry {
        kpi: kpi.into(),
        period_end: day,
        value: "12".into(),
        note: String::new(),
        cause: None,
        not_assessable: false,
        submit: true,
        based_on: Some(0),
    };
    measurements::enter(store, &dirigente, &ente, 2021, &entry("SIAD-2021-01-K1")).await.expect("dirigente's value");
    measurements::enter(store, &castano, &ente, 2021, &entry("SIAD-2021-02-K1")).await.expect("direttore's value");
    // His inbox: the dirigente's value only; the other Direttore's: nothing of SIAD.
    let inbox: Vec<String> = measurements::waiting(store, &castano, &ente, 2021).await.expect("inbox").into_iter().map(|w| w.kpi).collect();
    assert_eq!(inbox, ["SIAD-2021-01-K1"]);
    assert!(measurements::waiting(store, &other, &ente, 2021).await.expect("inbox").is_empty());
    let at = |kpi| At { year: 2021, kpi, period_end: day };
    assert!(matches!(measurements::decide(store, &other, &ente, at("SIAD-2021-01-K1"), Decision::Approve, None).await, Err(AppError::Forbidden { .. })));
    let own = measurements::decide(store, &castano, &ente, at("SIAD-2021-02-K1"), Decision::Approve, None).await;
    assert_eq!(
        refused(own),
        "il valore di SIAD-2021-02-K1 è stato inserito da direttore.siad: lo approva il NIV o il controllo di gestione, non chi lo ha inserito"
    );
    let m = measurements::decide(store, &castano, &ente, at("SIAD-2021-01-K1"), Decision::Approve, None).await.expect("approved");
    assert_eq!((m.status.code(), m.decided_by.as_deref()), ("approved", Some("direttore.siad")));
    // Employees approve nothing.
    let employee = Actor::user("dipendente", "d4", &[AccountRole::Dipendente], &[]);
    assert!(matches!(measurements::waiting(store, &employee, &ente, 2021).await, Err(AppError::Forbidden { .. })));
}

#[tokio::test]
async fn direttore_approves_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        direttore_approves(&store).await;
    }
}
