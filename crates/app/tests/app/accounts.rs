//! Accounts, roles, sessions and login limits on SQLite and PostgreSQL.

use traguardi_app::accounts::access::Right;
use traguardi_app::{Actor, AppError, accounts::users, samples::demo};
use traguardi_domain::Lang;
use traguardi_store::{Store, testing};

async fn story(store: &Store) {
    let console = Actor::console();
    demo::load(store).await.expect("demo");
    let a = users::add_user(store, &console, "Paola.Rossi", "Paola Rossi", "una-password-lunga").await.expect("user");
    assert_eq!(a.username, "paola.rossi");
    assert!(a.password_hash.starts_with("$argon2id$"));
    assert!(matches!(users::add_user(store, &console, "paola.rossi", "Doppia", "una-password-lunga").await, Err(AppError::Refused(_))));
    match users::add_user(store, &console, "corta", "Corta", "breve").await {
        Err(AppError::Invalid(p)) => assert_eq!(p.describe(Lang::It), "colonna «password»: «…» non è valido: atteso almeno 10 caratteri"),
        other => panic!("{other:?}"),
    }
    users::grant_role(store, &console, "paola.rossi", Some("015146"), "pianificatore", None).await.expect("role");
    match users::grant_role(store, &console, "paola.rossi", Some("015146"), "direttore", None).await {
        Err(AppError::Invalid(p)) => assert_eq!(p.describe(Lang::It), "colonna «--struttura»: valore obbligatorio mancante"),
        other => panic!("{other:?}"),
    }
    users::grant_role(store, &console, "paola.rossi", Some("015146"), "direttore", Some("SIAD")).await.expect("scoped role");

    // Login, the session, logout.
    let s = users::login(store, "Paola.Rossi", "una-password-lunga", "10.0.0.1").await.expect("login");
    assert_eq!(s.display_name, "Paola Rossi");
    assert_eq!((s.token.len(), s.csrf.len()), (64, 64));
    let (actor, csrf, name) = users::session(store, &s.token).await.expect("lookup").expect("session");
    assert_eq!((actor.name.as_str(), csrf, name.as_str()), ("paola.rossi", s.csrf.clone(), "Paola Rossi"));
    assert!(actor.may(Right::Administer));
    assert!(users::session(store, "not-a-token").await.expect("lookup").is_none());
    users::logout(store, &s.token).await.expect("logout");
    assert!(users::session(store, &s.token).await.expect("lookup").is_none());

    // The same answer for an unknown user and a wrong password.
    for who in ["nessuno", "paola.rossi"] {
        assert!(
            matches!(users::login(store, who, "sbagliata-davvero", "10.0.0.66").await, Err(AppError::Refused(ref m)) if m == "utente o password non corretti")
        );
    }
    // Five failures from one address hold that address back for that name…
    for _ in 0..4 {
        let _ = users::login(store, "paola.rossi", "sbagliata-davvero", "10.0.0.66").await;
    }
    let held = users::login(store, "paola.rossi", "una-password-lunga", "10.0.0.66").await;
    assert!(matches!(held, Err(AppError::LoginLocked { minutes: 15 })), "{held:?}");
    // …never the real user, from her own address.
    users::login(store, "paola.rossi", "una-password-lunga", "10.0.0.1").await.expect("the real user is never locked out");
    // Huge names and passwords are refused unread: nothing is stored.
    let attempts = || sqlx::query_scalar::<_, i64>("SELECT CAST(COUNT(*) AS BIGINT) FROM login_attempt").fetch_one(&store.pool);
    let before = attempts().await.expect("count");
    let huge = "x".repeat(1_000_000);
    assert!(matches!(users::login(store, &huge, "una-password-lunga", "10.0.0.2").await, Err(AppError::Refused(_))));
    assert!(matches!(users::login(store, "paola.rossi", &huge, "10.0.0.2").await, Err(AppError::Refused(_))));
    assert_eq!(attempts().await.expect("count"), before);

    // Only administrators and planners create users.
    users::add_user(store, &console, "mario.verdi", "Mario Verdi", "altra-password-lunga").await.expect("user");
    let s = users::login(store, "mario.verdi", "altra-password-lunga", "10.0.0.3").await.expect("login");
    let (mario, _, _) = users::session(store, &s.token).await.expect("lookup").expect("session");
    assert!(!mario.may(Right::Administer));
    assert!(matches!(users::add_user(store, &mario, "x.y", "X", "password-lunghissima").await, Err(AppError::Forbidden { .. })));
}

#[tokio::test]
async fn accounts_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        story(&store).await;
    }
}
