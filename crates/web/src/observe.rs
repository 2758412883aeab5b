//! What the server tells its operators: every request runs in a span carrying its id (taken
//! from `X-Request-Id` when a proxy sends a sensible one, else made here, and sent back), ends
//! with one log line, and is counted in `/metrics` (Prometheus text format): requests and
//! latency by route, the time spent computing scores, the database pool in use.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tracing::Instrument;
use traguardi_app::plan::score_cache::Held;

use crate::AppState;
use crate::auth::ClientAddr;

pub const REQUEST_ID: &str = "x-request-id";

/// Upper bounds of the latency buckets, in microseconds (5 ms to 10 s).
const BUCKETS: [u64; 11] = [5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000];

/// The counters since the start of the process.
pub struct Metrics {
    started: Instant,
    inner: Mutex<Counters>,
}

#[derive(Default)]
struct Counters {
    /// (method, route, status) → requests.
    requests: BTreeMap<(String, String, u16), u64>,
    /// route → latency histogram.
    latency: BTreeMap<String, Histogram>,
}

#[derive(Default)]
struct Histogram {
    /// Requests at or below each bound of [`BUCKETS`].
    buckets: [u64; BUCKETS.len()],
    count: u64,
    micros: u64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics { started: Instant::now(), inner: Mutex::new(Counters::default()) }
    }
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, took: Duration) {
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        let mut c = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *c.requests.entry((method.to_string(), route.to_string(), status)).or_default() += 1;
        let h = c.latency.entry(route.to_string()).or_default();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if micros <= *bound {
                h.buckets[i] += 1;
            }
        }
        h.count += 1;
        h.micros = h.micros.saturating_add(micros);
    }

    /// The Prometheus text exposition of the counters, the scores' recomputes and the pool.
    fn render(&self, recomputed: (u64, u64), kept: Held, pool: (u32, usize, u32)) -> String {
        use std::fmt::Write;
        let c = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut out = String::new();
        let _ = writeln!(out, "# HELP traguardi_http_requests_total Requests answered, by method, route and status.");
        let _ = writeln!(out, "# TYPE traguardi_http_requests_total counter");
        for ((method, route, status), n) in &c.requests {
            let _ = writeln!(out, "traguardi_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}", label(method), label(route));
        }
        let _ = writeln!(out, "# HELP traguardi_http_request_duration_seconds Time to answer, by route.");
        let _ = writeln!(out, "# TYPE traguardi_http_request_duration_seconds histogram");
        for (route, h) in &c.latency {
            let route = label(route);
            for (bound, n) in BUCKETS.iter().zip(h.buckets) {
                let _ = writeln!(out, "traguardi_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{}\"}} {n}", seconds(*bound));
            }
            let _ = writeln!(out, "traguardi_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}", h.count);
            let _ = writeln!(out, "traguardi_http_request_duration_seconds_sum{{route=\"{route}\"}} {}", seconds(h.micros));
            let _ = writeln!(out, "traguardi_http_request_duration_seconds_count{{route=\"{route}\"}} {}", h.count);
        }
        let (count, micros) = recomputed;
        let _ = writeln!(out, "# HELP traguardi_scores_recompute_seconds Time spent reading and computing the scores of a cycle after a change.");
        let _ = writeln!(out, "# TYPE traguardi_scores_recompute_seconds summary");
        let _ = writeln!(out, "traguardi_scores_recompute_seconds_sum {}", seconds(micros));
        let _ = writeln!(out, "traguardi_scores_recompute_seconds_count {count}");
        let _ = writeln!(out, "# HELP traguardi_scores_cached_cycles Cycles whose scores are kept in memory.");
        let _ = writeln!(out, "# TYPE traguardi_scores_cached_cycles gauge");
        let _ = writeln!(out, "traguardi_scores_cached_cycles {}", kept.cycles);
        let _ = writeln!(out, "# HELP traguardi_scores_cached_plans Cycles that keep their whole plan; the others keep the dashboard's summary.");
        let _ = writeln!(out, "# TYPE traguardi_scores_cached_plans gauge");
        let _ = writeln!(out, "traguardi_scores_cached_plans {}", kept.plans);
        let _ = writeln!(
            out,
            "# HELP traguardi_scores_cached_bytes Memory of the plans and of the summaries kept (estimated), bounded together by TRAGUARDI_SCORES_CACHE_MB."
        );
        let _ = writeln!(out, "# TYPE traguardi_scores_cached_bytes gauge");
        let _ = writeln!(out, "traguardi_scores_cached_bytes{{part=\"plans\"}} {}", kept.plan_bytes);
        let _ = writeln!(out, "traguardi_scores_cached_bytes{{part=\"summaries\"}} {}", kept.summary_bytes);
        let (size, idle, max) = pool;
        let busy = usize::try_from(size).unwrap_or(0).saturating_sub(idle);
        let _ = writeln!(out, "# HELP traguardi_db_pool_connections Database connections open, by use.");
        let _ = writeln!(out, "# TYPE traguardi_db_pool_connections gauge");
        let _ = writeln!(out, "traguardi_db_pool_connections{{state=\"in_use\"}} {busy}");
        let _ = writeln!(out, "traguardi_db_pool_connections{{state=\"idle\"}} {idle}");
        let _ = writeln!(out, "# HELP traguardi_db_pool_max_connections The most connections the pool opens.");
        let _ = writeln!(out, "# TYPE traguardi_db_pool_max_connections gauge");
        let _ = writeln!(out, "traguardi_db_pool_max_connections {max}");
        let _ = writeln!(out, "# HELP traguardi_uptime_seconds Time since the server started.");
        let _ = writeln!(out, "# TYPE traguardi_uptime_seconds gauge");
        let _ = writeln!(out, "traguardi_uptime_seconds {}", self.started.elapsed().as_secs());
        out
    }
}

/// Microseconds as decimal seconds, without floating point.
fn seconds(micros: u64) -> String {
    format!("{}.{:06}", micros / 1_000_000, micros % 1_000_000)
}

/// A label value as the exposition format wants it.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// The id of a request: the proxy's when it is short and plain, else a new one.
fn request_id(headers: &HeaderMap) -> String {
    headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b)))
        .map_or_else(|| uuid::Uuid::now_v7().simple().to_string(), str::to_string)
}

/// Runs each request in its span, logs its end, counts it, and answers with its id.
pub async fn middleware(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let id = request_id(req.headers());
    let method = req.method().to_string();
    // The route's pattern (`/enti/{code}/…`), so that the metrics have one series per page, not
    // per ente or per id.
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "(nessuna)".to_string(), |p| p.as_str().to_string());
    let span = tracing::info_span!("richiesta", id = %id, metodo = %method, percorso = %req.uri().path());
    let started = Instant::now();
    let mut res = next.run(req).instrument(span.clone()).await;
    let took = started.elapsed();
    let status = res.status().as_u16();
    s.metrics.observe(&method, &route, status, took);
    span.in_scope(|| tracing::info!(stato = status, ms = u64::try_from(took.as_millis()).unwrap_or(u64::MAX), "risposta"));
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    res
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

/// `/metrics`: with `TRAGUARDI_METRICS_TOKEN` set, for whoever sends it as a bearer token;
/// without it, for the machine itself only (a Prometheus on the same host, or a tunnel) — a
/// request a proxy forwarded (`X-Forwarded-For`, `Forwarded`) comes from elsewhere.
async fn metrics(State(s): State<AppState>, ClientAddr(client): ClientAddr, headers: HeaderMap) -> Response {
    let allowed = match &s.metrics_token {
        Some(token) => headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| crate::security::same(given.as_bytes(), token.as_bytes())),
        None => {
            let forwarded = headers.contains_key("x-forwarded-for") || headers.contains_key(axum::http::header::FORWARDED);
            !forwarded && client.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
    };
    if !allowed {
        return (StatusCode::FORBIDDEN, "metriche riservate: dalla macchina stessa, o con TRAGUARDI_METRICS_TOKEN come token Bearer\n").into_response();
    }
    let pool = s.store.connections();
    let body = s.metrics.render(s.scores.recomputed(), s.scores.kept(), pool);
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_falls_in_every_bucket_at_or_above_it() {
        let m = Metrics::default();
        m.observe("GET", "/healthz", 200, Duration::from_millis(7));
        m.observe("GET", "/healthz", 200, Duration::from_secs(11));
        let text = m.render((2, 1_500_000), Held { cycles: 2, plans: 1, plan_bytes: 4096, summary_bytes: 200 }, (3, 1, 8));
        assert!(text.contains("traguardi_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 2\n"), "{text}");
        assert!(text.contains("traguardi_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.005000\"} 0\n"), "{text}");
        assert!(text.contains("traguardi_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.010000\"} 1\n"), "{text}");
        assert!(text.contains("traguardi_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"10.000000\"} 1\n"), "{text}");
        assert!(text.contains("traguardi_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 2\n"), "{text}");
        assert!(text.contains("traguardi_http_request_duration_seconds_sum{route=\"/healthz\"} 11.007000\n"), "{text}");
        assert!(text.contains("traguardi_scores_recompute_seconds_sum 1.500000\ntraguardi_scores_recompute_seconds_count 2\n"), "{text}");
        assert!(text.contains("traguardi_db_pool_connections{state=\"in_use\"} 2\n"), "{text}");
        assert!(
            text.contains("traguardi_scores_cached_cycles 2\n")
                && text.contains("traguardi_scores_cached_plans 1\n")
                && text.contains("traguardi_scores_cached_bytes{part=\"plans\"} 4096\ntraguardi_scores_cached_bytes{part=\"summaries\"} 200\n"),
            "{text}"
        );
    }

    #[test]
    fn a_proxy_id_is_kept_only_when_plain() {
        let mut h = HeaderMap::new();
        h.insert(REQUEST_ID, HeaderValue::from_static("abc-123"));
        assert_eq!(request_id(&h), "abc-123");
        h.insert(REQUEST_ID, HeaderValue::from_static("a b\"c"));
        assert_eq!(request_id(&h).len(), 32);
        assert_eq!(label("a\"b\\c"), "a\\\"b\\\\c");
    }
}
