//! The NIV's sample of evidence on SQLite and PostgreSQL: its size, its evidence, the same seed
//! drawing the same sample, and who may draw it.

use rust_decimal::dec;
use traguardi_app::accounts::access::AccountRole;
use traguardi_app::plan::measurements::{At, attach_evidence};
use traguardi_app::{Actor, AppError, cycle::niv, samples::demo};
use traguardi_store::{Store, testing};

async fn story(store: &Store) {
    let (ente, _) = demo::load(store).await.expect("demo");
    let console = Actor::console();
    let period = chrono::NaiveDate::from_ymd_opt(2020, 12, 31).expect("date");
    attach_evidence(store, &console, &ente, At { year: 2020, kpi: "SAL-12-K3", period_end: period }, "verbale.pdf", b"%PDF-1.4 verbale")
        .await
        .expect("evidence");
    let niv_actor = Actor::user("niv", "n", &[AccountRole::Niv], &[]);
    // 100% draws everything, with the evidence of each.
    let all = niv::sample(store, &niv_actor, &ente, 2020, dec!(100), Some(7)).await.expect("sample");
    assert_eq!(all.items.len(), all.population);
    assert!(all.population > 300, "{}", all.population);
    let sal = all.items.iter().find(|i| i.kpi == "SAL-12-K3" && i.period_end == period).expect("SAL-12-K3");
    assert_eq!((sal.objective.as_str(), sal.value.as_str(), sal.evidence.len()), ("SAL-12", "12", 1));
    assert_eq!(sal.evidence[0].name, "verbale.pdf");
    // The NIV opens the file sampled; the public may not.
    let (file, bytes) = traguardi_app::plan::measurements::evidence_file(store, &niv_actor, &ente, &sal.evidence[0].id).await.expect("file");
    assert_eq!(
        (file.content_type.as_str(), bytes.as_slice(), file.sha256.as_str()),
        ("application/pdf", b"%PDF-1.4 verbale".as_slice(), sal.evidence[0].sha256.as_str())
    );
    assert!(traguardi_app::plan::measurements::evidence_file(store, &Actor::public(), &ente, &sal.evidence[0].id).await.is_err());
    // 10%, rounded up; the same seed draws the same sample, another seed another.
    let a = niv::sample(store, &niv_actor, &ente, 2020, dec!(10), Some(42)).await.expect("sample");
    let b = niv::sample(store, &niv_actor, &ente, 2020, dec!(10), Some(42)).await.expect("sample");
    let c = niv::sample(store, &niv_actor, &ente, 2020, dec!(10), Some(43)).await.expect("sample");
    assert_eq!(a.items.len(), all.population.div_ceil(10));
    assert_eq!(a.items, b.items);
    assert_ne!(a.items, c.items);
    // Not for a Direttore; nor a percentage out of range.
    let direttore = Actor::user("d", "d", &[AccountRole::Direttore], &[]);
    assert!(matches!(niv::sample(store, &direttore, &ente, 2020, dec!(10), None).await, Err(AppError::Forbidden { .. })));
    assert!(matches!(niv::sample(store, &niv_actor, &ente, 2020, dec!(0), None).await, Err(AppError::Refused(_))));
    // Each sample is kept.
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM niv_sample").fetch_one(&store.pool).await.expect("count");
    assert_eq!(kept, 4);
}

#[tokio::test]
async fn niv_sample_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        story(&store).await;
        store.close().await;
    }
}
