//! The objectives' workflow on SQLite and PostgreSQL: the demo's 2020 driven from draft to NIV
//! validation and the close, with every refused step saying who may do what.

use traguardi_app::access::ActorKind;
use traguardi_app::workflow::{Move, transition};
use traguardi_app::{Actor, AppError, close, demo};
use traguardi_domain::Lang;
use traguardi_domain::plan::workflow::State;
use traguardi_store::{Store, testing};

fn all(to: State) -> Move<'static> {
    Move { codes: &[], to, act: None, note: None }
}

fn refused<T: std::fmt::Debug>(r: Result<T, AppError>) -> String {
    match r {
        Err(e @ AppError::Refused(_)) => e.describe(Lang::It),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

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
    assert_eq!(go(2020, all(State::Proposto)).await.expect("proposed").objectives.len(), 281);
    let msg = refused(go(2020, all(State::Approvato)).await);
    assert!(msg.contains("il passaggio a «approvato» richiede l'atto che lo dispone"), "{msg}");
    let approve = Move { act: Some("GC 838 del 24/07/2020"), ..all(State::Approvato) };
    assert_eq!(go(2020, approve).await.expect("approved").objectives.len(), 281);

    // A Direttore may not assign: the message names who may.
    let direttore = Actor { name: "direttore.siad".into(), kind: ActorKind::User { account_id: "x".into(), roles: vec!["direttore".into()] } };
    let msg = refused(transition(store, &direttore, &ente, 2020, all(State::Assegnato)).await);
    assert!(msg.contains("il passaggio a «assegnato» spetta a: pianificatore, amministratore, segretario"), "{msg}");

    for to in [State::Assegnato, State::InMonitoraggio, State::Consuntivato] {
        assert_eq!(go(2020, all(to)).await.expect("moved").objectives.len(), 281, "{to:?}");
    }
    // The NIV returns one objective with a note, then validates all.
    let sal12 = ["SAL-12".to_string()];
    let niv = Actor { name: "niv".into(), kind: ActorKind::User { account_id: "n".into(), roles: vec!["niv".into()] } };
    let back = Move { codes: &sal12, to: State::InMonitoraggio, act: None, note: Some("evidenza del KPI 3 mancante") };
    assert_eq!(transition(store, &niv, &ente, 2020, back).await.expect("returned").objectives, ["SAL-12"]);
    let msg = refused(transition(store, &niv, &ente, 2020, all(State::ValidatoNiv)).await);
    assert!(msg.contains("obiettivo SAL-12: è «in monitoraggio»: da qui si passa a «consuntivato»"), "{msg}");
    go(2020, Move { codes: &sal12, ..all(State::Consuntivato) }).await.expect("again");
    let msg = refused(go(2020, all(State::Chiuso)).await);
    assert!(msg.contains("si chiude con la chiusura dell'anno (traguardi close)"), "{msg}");
    assert_eq!(transition(store, &niv, &ente, 2020, all(State::ValidatoNiv)).await.expect("validated").objectives.len(), 281);

    // Validated: the close needs no force.
    let r = close::close(store, &console, &ente, 2020, None).await.expect("closes");
    assert!(!r.forced);
    assert!(refused(go(2020, all(State::Consuntivato)).await).starts_with("il ciclo 2020 è chiuso dal "));

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
    go(2021, Move { act: Some("GC 1 del 2021"), ..all(State::Approvato) }).await.expect("approved");
    go(2021, all(State::Assegnato)).await.expect("assigned");
    go(2021, all(State::InMonitoraggio)).await.expect("monitoring");
    let msg = refused(go(2021, all(State::Consuntivato)).await);
    assert!(msg.contains(": KPI ") && msg.contains(" senza valori approvati"), "{msg}");
    let unknown = ["NOPE".to_string()];
    assert!(matches!(go(2021, Move { codes: &unknown, ..all(State::Consuntivato) }).await, Err(AppError::NotFound(_))));
}

#[tokio::test]
async fn workflow_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        story(&store).await;
    }
}
