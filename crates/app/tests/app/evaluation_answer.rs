//! The evaluated person signs or contests their evaluation, once, after the final interview,
//! on SQLite and PostgreSQL; the answer is in the audit trail.

use chrono::NaiveDate;
use traguardi_app::accounts::access::AccountRole;
use traguardi_app::pay::evaluation_answer::{Answer, answer};
use traguardi_app::{Actor, AppError, accounts::users, samples::demo};
use traguardi_store::{Store, testing};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn refusal<T: std::fmt::Debug>(r: Result<T, AppError>) -> String {
    match r {
        Err(AppError::Refused(m)) => m.to_string(),
        other => panic!("{other:?}"),
    }
}

async fn user(store: &Store, name: &str) -> Actor {
    let mut conn = store.acquire().await.expect("conn");
    let a = traguardi_store::accounts::by_username(&mut conn, name).await.expect("read").expect("account");
    Actor::user(name, &a.id, &[AccountRole::Dipendente], &[])
}

async fn story(store: &Store) {
    demo::load(store).await.expect("demo");
    let e = Some(demo::CODE);
    // M0037 signed on 25/02/2021: signing again is refused, contesting is still open.
    let me = user(store, "dipendente").await;
    assert_eq!(refusal(answer(store, &me, e, 2020, Answer::Sign, d("2021-04-01")).await), "valutazione già firmata il 25/02/2021");
    assert_eq!(
        refusal(answer(store, &me, e, 2020, Answer::Contest { reason: "no" }, d("2021-04-01")).await),
        "scrivere i motivi della contestazione (almeno 10 caratteri)"
    );
    let reason = "il colloquio finale non ha considerato il progetto PON Metro";
    let after = answer(store, &me, e, 2020, Answer::Contest { reason }, d("2021-04-01")).await.expect("contested");
    assert_eq!(after.contested_on, Some(d("2021-04-01")));
    assert_eq!(after.note.as_deref(), Some("Contestazione del 01/04/2021: il colloquio finale non ha considerato il progetto PON Metro"));
    assert_eq!(after.signed_on, Some(d("2021-02-25")), "the signature stays");
    assert_eq!(
        refusal(answer(store, &me, e, 2020, Answer::Contest { reason }, d("2021-04-02")).await),
        "valutazione già contestata il 01/04/2021: segue la conciliazione"
    );
    // No evaluation in 2021 yet.
    assert_eq!(refusal(answer(store, &me, e, 2021, Answer::Sign, d("2022-02-01")).await), "la valutazione 2021 non è ancora registrata");

    // M0060 contested on 01/03/2021 without signing: signing is still possible, not before the
    // final interview (18/02/2021).
    let console = Actor::console();
    users::add_user(store, &console, "m0060", "Dipendente M0060", "una-password-lunga").await.expect("user");
    users::link_person(store, &console, "m0060", e, "M0060").await.expect("linked");
    let other = user(store, "m0060").await;
    assert_eq!(
        refusal(answer(store, &other, e, 2020, Answer::Sign, d("2021-02-17")).await),
        "il colloquio finale è fissato al 18/02/2021: si risponde da quel giorno"
    );
    let signed = answer(store, &other, e, 2020, Answer::Sign, d("2021-03-05")).await.expect("signed");
    assert_eq!((signed.signed_on, signed.contested_on), (Some(d("2021-03-05")), Some(d("2021-03-01"))));

    // Someone not linked to a person, or not logged in, cannot answer.
    users::add_user(store, &console, "esterno", "Esterno", "una-password-lunga").await.expect("user");
    let stranger = user(store, "esterno").await;
    assert_eq!(refusal(answer(store, &stranger, e, 2020, Answer::Sign, d("2021-03-05")).await), "questo utente non è collegato a una persona dell'ente");
    assert!(matches!(answer(store, &Actor::public(), e, 2020, Answer::Sign, d("2021-03-05")).await, Err(AppError::Forbidden { .. })));

    // Both answers are in the audit trail.
    let mut conn = store.acquire().await.expect("conn");
    let actions: Vec<String> =
        sqlx::query_as::<_, (String,)>("SELECT action FROM audit_log WHERE action IN ('firma valutazione', 'contesta valutazione') ORDER BY seq")
            .fetch_all(&mut *conn)
            .await
            .expect("audit")
            .into_iter()
            .map(|r| r.0)
            .collect();
    assert_eq!(actions, ["contesta valutazione", "firma valutazione"]);
}

#[tokio::test]
async fn evaluation_answers_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        story(&store).await;
    }
}
