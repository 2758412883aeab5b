//! Every use case runs in a span named after it, with the ente and the cycle's year as fields,
//! so that a log line says which ente and year it concerns.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing_subscriber::fmt::format::FmtSpan;
use traguardi_app::Actor;
use traguardi_app::plan::scores;
use traguardi_app::samples::demo;
use traguardi_store::testing;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn use_cases_carry_the_ente_and_the_year() {
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber =
        tracing_subscriber::fmt().json().with_span_events(FmtSpan::CLOSE).with_max_level(tracing::Level::INFO).with_writer(move || writer.clone()).finish();
    let guard = tracing::subscriber::set_default(subscriber);
    scores::load(&store, &Actor::console(), Some(demo::CODE), 2020).await.expect("scores");
    drop(guard);
    let text = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    let line = text
        .lines()
        .find(|l| l.contains("\"message\":\"close\"") && l.contains("\"target\":\"traguardi_app::plan::scores\""))
        .unwrap_or_else(|| panic!("no span of scores::load in {text}"));
    assert!(line.contains("\"name\":\"load\""), "{line}");
    assert!(line.contains("\"ente\":\"015146\"") && line.contains("\"year\":2020"), "{line}");
}
