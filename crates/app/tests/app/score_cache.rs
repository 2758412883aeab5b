//! The scores kept between requests: a change in one ente never makes another's be computed
//! again, a change in the ente does, and the memory budget drops the plans used least recently
//! first, keeping their dashboards' summaries while it can.

use chrono::NaiveDate;
use traguardi_app::plan::measurements::{self, Entry};
use traguardi_app::plan::score_cache::{Cache, Held, memory};
use traguardi_app::plan::{dashboard, scores};
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
    assert_eq!(cache.kept().cycles, 1, "only the cycle computed is held");

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
    // What each year's plan and summary are counted for.
    let mut plan = Vec::new();
    let mut summary = Vec::new();
    for year in [2020, 2021, 2022] {
        let scores = scores::load(&store, &console, Some(demo::CODE), year).await.expect("scores");
        plan.push(memory(&scores));
        summary.push(memory(&dashboard::summary(&scores)));
    }
    let (a, b, c) = (plan[0] + summary[0], plan[1] + summary[1], plan[2] + summary[2]);
    assert!(plan.iter().all(|p| *p > 1_000), "{plan:?}");
    assert!(summary.iter().zip(&plan).all(|(s, p)| s < p), "a summary is a small part of its plan: {summary:?} {plan:?}");
    let alone = Cache::default();
    alone.load(&store, &console, demo::CODE, 2020).await.expect("scores");
    assert_eq!(alone.kept(), Held { cycles: 1, plans: 1, plan_bytes: plan[0], summary_bytes: summary[0] }, "a plan and its summary, as counted");

    // Room for 2020 with one other year: the third drops the plan used least recently, and
    // keeps its summary.
    let tight = Cache::with_budget((a + b).max(a + c) + summary[1]);
    tight.load(&store, &console, demo::CODE, 2020).await.expect("2020");
    tight.load(&store, &console, demo::CODE, 2021).await.expect("2021");
    tight.load(&store, &console, demo::CODE, 2020).await.expect("2020 again, kept");
    assert_eq!(tight.recomputed().0, 2);
    tight.load(&store, &console, demo::CODE, 2022).await.expect("2022");
    assert_eq!(
        tight.kept(),
        Held { cycles: 3, plans: 2, plan_bytes: plan[0] + plan[2], summary_bytes: summary.iter().sum() },
        "2021's plan dropped, its summary kept"
    );
    let shown = tight.summary(&store, &console, demo::CODE, 2021).await.expect("2021's dashboard");
    assert_eq!(shown.point.year, 2021);
    assert_eq!(tight.recomputed().0, 3, "the dashboard reads the summary kept");
    tight.load(&store, &console, demo::CODE, 2020).await.expect("2020 still kept");
    assert_eq!(tight.recomputed().0, 3, "2020, used more recently, stayed");
    tight.load(&store, &console, demo::CODE, 2021).await.expect("2021's plan was dropped");
    assert_eq!(tight.recomputed().0, 4);

    // No room at all: when no other plan is left to drop, the summaries go too.
    let none = Cache::with_budget(1);
    none.load(&store, &console, demo::CODE, 2020).await.expect("2020");
    none.summary(&store, &console, demo::CODE, 2021).await.expect("2021");
    assert_eq!(none.kept(), Held { cycles: 1, plans: 1, plan_bytes: plan[1], summary_bytes: summary[1] }, "only the cycle just computed stays");
    none.summary(&store, &console, demo::CODE, 2020).await.expect("2020 again");
    assert_eq!(none.recomputed().0, 3);
}

#[tokio::test]
async fn a_summary_is_the_dashboard_of_its_plan() {
    let store = testing::sqlite().await.expect("store");
    let console = Actor::console();
    let (milano, _) = demo::load(&store).await.expect("demo");
    let cache = Cache::default();
    let s = cache.summary(&store, &console, demo::CODE, 2021).await.expect("summary");
    let p = cache.load(&store, &console, demo::CODE, 2021).await.expect("plan");
    assert_eq!(cache.recomputed().0, 1, "computed together");
    assert_eq!(s.dashboard, dashboard::build(&p));
    assert_eq!(s.point, dashboard::point(&p));
    assert_eq!(s.ente.code, p.ente.code);
    // A change of the ente: the summary is computed again with the plan.
    let dims = "dimensione,nome,ambito,ambito_nome\nsalute,Salute dell'ente,finanziaria,Salute finanziaria\n";
    import_dimensions::import_dimensions(&store, &console, &milano, dims.as_bytes(), ReadOptions::default(), false).await.expect("a change");
    cache.summary(&store, &console, demo::CODE, 2021).await.expect("summary again");
    assert_eq!(cache.recomputed().0, 2);
}
