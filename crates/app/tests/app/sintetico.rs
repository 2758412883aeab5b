//! `traguardi sintetico`: many synthetic comuni, the same from the same seed on either backend,
//! their codes as `ente list` shows them, each cycle scored; a second run over the same codes
//! refused with nothing written.

use traguardi_app::plan::scores;
use traguardi_app::samples::sintetico;
use traguardi_app::{Actor, org::enti};
use traguardi_store::{Store, testing};

const ENTI: usize = 40;

/// Every synthetic ente's score sheet, by code: what a reader sees of each.
async fn sheets(store: &Store) -> Vec<(String, String)> {
    let console = Actor::console();
    let mut out = Vec::new();
    for e in enti::list(store).await.expect("enti") {
        let s = scores::load(store, &console, Some(e.code.as_str()), sintetico::YEAR).await.expect("scored");
        out.push((e.code.to_string(), format!("{:?}", s.sheet().rows)));
    }
    out
}

#[tokio::test]
async fn synthetic_comuni_on_every_backend() {
    let mut seen: Option<Vec<(String, String)>> = None;
    for store in testing::all().await.expect("stores") {
        let mut progress = Vec::new();
        let w = sintetico::store(&store, ENTI, 11, 15, |n| progress.push(n)).await.expect("written");
        // Told after each transaction (of 15, 15 and 10 enti, in any order on PostgreSQL's writers).
        assert_eq!((progress.len(), progress.last()), (3, Some(&40)), "{progress:?}");
        assert!(progress.windows(2).all(|w| w[0] < w[1]), "{progress:?}");
        let expected = sintetico::enti(ENTI, 11);
        assert_eq!(w.enti, ENTI);
        assert_eq!(w.staff, expected.iter().map(|s| s.staff).sum::<usize>());
        let listed = enti::list(&store).await.expect("enti");
        let codes: Vec<String> = listed.iter().map(|e| e.code.to_string()).collect();
        assert_eq!(codes, expected.iter().map(|s| s.code.clone()).collect::<Vec<_>>());
        assert_eq!(listed.iter().map(|e| e.staff_size as usize).collect::<Vec<_>>(), expected.iter().map(|s| s.staff).collect::<Vec<_>>());
        // Everyone has a post and an evaluation in the cycle.
        let people: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM assignment").fetch_one(&store.pool).await.expect("count");
        let evaluations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM evaluation").fetch_one(&store.pool).await.expect("count");
        assert_eq!((people as usize, evaluations as usize), (w.staff, w.staff));

        // Every cycle is scored, and the scores are the same on the other backend.
        let got = sheets(&store).await;
        assert_eq!(got.len(), ENTI);
        match &seen {
            Some(first) => assert!(*first == got, "the same seed scores the same on every backend"),
            None => seen = Some(got),
        }

        // The same codes again: refused, nothing written.
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM objective").fetch_one(&store.pool).await.expect("count");
        let again = sintetico::store(&store, 3, 11, 15, |_| {}).await.expect_err("refused");
        assert!(format!("{again:?}").contains("900001"), "{again:?}");
        let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM objective").fetch_one(&store.pool).await.expect("count");
        assert_eq!(rows, after);
    }
}
