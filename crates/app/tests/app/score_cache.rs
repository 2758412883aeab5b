//! The scores kept between requests: a change in one ente never makes another's be computed
//! again, a change in the ente does, and the memory budget drops the cycles used least recently.

use chrono::NaiveDate;
use traguardi_app::plan::measurements::{self, Entry};
use traguardi_app::plan::score_cache::Cache;
use traguardi_app::{Actor, plan::import_dimensions, samples::demo};
use traguardi_docs::ReadOptions;
use traguardi_store::testing;

#[tokio::test]
async fn each_ente_has_its_own_freshness() {
    let store = testing::sqlite().await.expect("store");
    let console = Actor::console();
    let (milano, _) = demo::load(&store).await.expect("demo");
    let torino = crate::common::torino(&store).await;
    let cache = Cache::default();
    cache.load(&store, &console, demo::CODE, 2020).await.expect("scores");
    cache.load(&store, &console, demo::CODE, 2020).await.expect("kept");
    assert_eq!(cache.recomputed().0, 1, "computed once");
    // Cycles and enti that do not exist hold nothing.
    assert!(cache.load(&store, &console, demo::CODE, 1999).await.is_err());
    assert!(cache.load(&store, &console, "999998", 2020).await.is_err());
    assert_eq!(cache.kept().0, 1, "only the cycle computed is held");

    // Torino's dimensions change: Milano's scores stay.
    let dims = "dimensione,nome,ambito,ambito_nome\nsalute,Salute dell'ente,finanziaria,Salute finanziaria\n";
    import_dimensions::import_dimensions(&store, &console, &torino, dims.as_bytes(), ReadOptions::default(), false).await.expect("a change of another ente");
    cache.load(&store, &console, demo::CODE, 2020).await.expect("kept");
    assert_eq!(cache.recomputed().0, 1, "a change elsewhere computes nothing here");

    // A value of Milano: its cycle is computed again.
    let entry = Entry {
        kpi: "SAL-12-K3".into(),
        period_end: NaiveDate::from_ymd_opt(2020, 12, 31).expect("date"),
        value: "13".into(),
        note: String::new(),
        cause: None,
        not_assessable: false,
        submit: false,
        based_on: None,
    };
    measurements::enter(&store, &console, &milano, 2020, &entry).await.expect("value");
    cache.load(&store, &console, demo::CODE, 2020).await.expect("again");
    assert_eq!(cache.recomputed().0, 2);
}

#[tokio::test]
async fn the_memory_budget_drops_the_least_recently_used() {
    let store = testing::sqlite().await.expect("store");
    let console = Actor::console();
    demo::load(&store).await.expect("demo");
    let size = |year| {
        let store = store.clone();
        let console = console.clone();
        async move {
            let alone = Cache::default();
            alone.load(&store, &console, demo::CODE, year).await.expect("scores");
            alone.kept().1
        }
    };
    let (a, b, c) = (size(2020).await, size(2021).await, size(2022).await);
    assert!(a > 10_000 && b > 1_000 && c > 1_000, "{a} {b} {c}");

    // Room for 2020 with one other year: the third drops the one used least recently.
    let budget = (a + b).max(a + c);
    let tight = Cache::with_budget(budget);
    tight.load(&store, &console, demo::CODE, 2020).await.expect("2020");
    tight.load(&store, &console, demo::CODE, 2021).await.expect("2021");
    tight.load(&store, &console, demo::CODE, 2020).await.expect("2020 again, kept");
    assert_eq!(tight.recomputed().0, 2);
    tight.load(&store, &console, demo::CODE, 2022).await.expect("2022");
    assert_eq!(tight.kept(), (2, a + c), "2021 dropped");
    tight.load(&store, &console, demo::CODE, 2020).await.expect("2020 still kept");
    assert_eq!(tight.recomputed().0, 3, "2020, used more recently, stayed");
    tight.load(&store, &console, demo::CODE, 2021).await.expect("2021 was dropped");
    assert_eq!(tight.recomputed().0, 4);
}
