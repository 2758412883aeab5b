//! The Direttore of SIAD evaluates his staff, on SQLite and PostgreSQL: whom he sees, the form
//! of the behaviours that apply, every problem at once, the score, the locks once answered.

use rust_decimal::dec;
use traguardi_app::pay::evaluations::{self, Filled};
use traguardi_app::{Actor, AppError, accounts::users, samples::demo};
use traguardi_domain::Lang;
use traguardi_store::{Store, testing};

async fn logged_in(store: &Store, user: &str) -> Actor {
    let s = users::login(store, user, demo::PASSWORD, "test").await.expect("login");
    users::session(store, &s.token).await.expect("session").expect("valid").0
}

fn d(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

async fn story(store: &Store) {
    demo::load(store).await.expect("demo");
    let e = Some(demo::CODE);
    let direttore = logged_in(store, "direttore.siad").await;
    // His eight staff of 2020; not himself, not another Direzione's people.
    let mine = evaluations::to_evaluate(store, &direttore, e, 2020).await.expect("list");
    let mut codes: Vec<&str> = mine.iter().map(|p| p.matricola.as_str()).collect();
    codes.sort_unstable();
    assert_eq!(codes, ["M0161", "M0162", "M0163", "M0164", "M0165", "M0166", "M0167", "M0168"]);

    // M0168's evaluation waits for the final interview: four behaviours apply (c5 is for DI).
    let form = evaluations::form(store, &direttore, e, 2020, "M0168").await.expect("form");
    assert_eq!(form.locked, None);
    assert_eq!(form.scale, dec!(5));
    let given: Vec<(&str, Option<rust_decimal::Decimal>)> = form.behaviours.iter().map(|(c, _, v)| (c.as_str(), *v)).collect();
    assert_eq!(given, [("C1", Some(dec!(5))), ("C2", Some(dec!(5))), ("C3", Some(dec!(4))), ("C4", Some(dec!(5)))]);

    // Every problem at once: out of the scale, not in the catalogue, for managers only, the
    // interviews out of order.
    let bad = Filled {
        items: vec![("C1".into(), dec!(6)), ("C9".into(), dec!(3)), ("C5".into(), dec!(4))],
        interview_start: d("2020-02-14"),
        interview_mid: d("2020-01-10"),
        interview_final: d("2021-03-10"),
        note: None,
    };
    match evaluations::evaluate(store, &direttore, e, 2020, "M0168", &bad).await {
        Err(AppError::Invalid(p)) => assert_eq!(
            p.describe(Lang::It),
            "colonna «comportamento.c1»: 6 fuori dall'intervallo 1–5\n\
             colonna «comportamento.c9»: valore «C9» non ammesso; valori possibili: C1, C2, C3, C4, C5\n\
             colonna «comportamento.c5»: «4» non è valido: atteso vuoto: C5 non si applica alla categoria D\n\
             colonna «colloquio_intermedio»: la fine (10/01/2020) precede l'inizio (14/02/2020)"
        ),
        other => panic!("{other:?}"),
    }
    // The scores, the final interview and a note: behaviours = mean 4,25 of 5 = 85.
    let good = Filled {
        items: vec![("C1".into(), dec!(4)), ("C2".into(), dec!(4)), ("C3".into(), dec!(4)), ("C4".into(), dec!(5))],
        interview_start: d("2020-02-14"),
        interview_mid: d("2020-07-16"),
        interview_final: d("2021-03-10"),
        note: Some("obiettivi raggiunti, da curare la documentazione".into()),
    };
    let saved = evaluations::evaluate(store, &direttore, e, 2020, "M0168", &good).await.expect("evaluated");
    assert_eq!((saved.behaviours, saved.interview_final, saved.items.len()), (Some(dec!(85)), d("2021-03-10"), 4));
    let again = evaluations::form(store, &direttore, e, 2020, "M0168").await.expect("form");
    assert_eq!(again.behaviours[3].2, Some(dec!(5)));

    // Signed evaluations change only through conciliation; others' staff are not his.
    match evaluations::evaluate(store, &direttore, e, 2020, "M0167", &good).await {
        Err(AppError::Refused(m)) => assert_eq!(m, "la valutazione di M0167 è firmata dalla persona il 25/02/2021: cambia solo con la conciliazione"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(evaluations::evaluate(store, &direttore, e, 2020, "M0037", &good).await, Err(AppError::Forbidden { .. })));
    // An employee evaluates nobody; the planner sees everyone.
    let employee = logged_in(store, "dipendente").await;
    assert!(evaluations::to_evaluate(store, &employee, e, 2020).await.expect("list").is_empty());
    let planner = logged_in(store, "pianificatore").await;
    assert_eq!(evaluations::to_evaluate(store, &planner, e, 2020).await.expect("list").len(), 220, "everyone with a post in 2020");

    let mut conn = store.acquire().await.expect("conn");
    let n: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'valuta'").fetch_one(&mut *conn).await.expect("audit");
    assert_eq!(n.0, 1);
}

#[tokio::test]
async fn evaluations_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        story(&store).await;
    }
}
