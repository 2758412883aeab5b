//! The web server of Traguardi: HTML pages (Italian first, English second; Bootstrap Italia), health endpoints,
//! static files embedded in the binary, and the security headers every answer carries.
//! The router is testable without a socket (`router(state)` + `tower::ServiceExt::oneshot`).

mod api;
pub use api::openapi_json;
mod assets;
pub mod auth;
pub mod documents;
mod error;
mod health;
pub mod i18n;
pub mod observe;
#[cfg(feature = "oidc")]
pub mod oidc;
mod pages;
mod security;
mod upload;

use std::net::SocketAddr;

use axum::Router;
use traguardi_app::Store;
use traguardi_app::accounts::mail::SmtpConfig;
use traguardi_app::settings::Settings;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Computed scores of cycles, kept until the data change.
    pub scores: traguardi_app::plan::score_cache::Cache,
    /// The identity provider, when login through OpenID Connect is configured.
    #[cfg(feature = "oidc")]
    pub oidc: Option<std::sync::Arc<oidc::Provider>>,
    /// How the site is reached: decides the session cookie's `Secure` flag.
    pub https: Https,
    /// Requests counted for `/metrics`.
    pub metrics: std::sync::Arc<observe::Metrics>,
    /// The bearer token that opens `/metrics` to other machines (`TRAGUARDI_METRICS_TOKEN`).
    pub metrics_token: Option<String>,
    /// Requests per minute of each API token (`TRAGUARDI_API_RATE`, 600 by default).
    pub api_rate: u32,
    /// The ente's SMTP relay, for the reminders sent by e-mail.
    pub smtp: Option<SmtpConfig>,
    /// How long requests in flight may take to finish once the server is asked to stop.
    pub shutdown: std::time::Duration,
}

/// Whether the site is served over HTTPS (docs/security.md): directly (`TRAGUARDI_HTTPS=si`),
/// or behind a trusted proxy that says so in `X-Forwarded-Proto` (`TRAGUARDI_TRUSTED_PROXY=si`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Https {
    pub always: bool,
    pub trusted_proxy: bool,
}

impl Https {
    /// Whether this request reached the site over HTTPS.
    pub fn of(&self, headers: &axum::http::HeaderMap) -> bool {
        self.always || (self.trusted_proxy && headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https")))
    }
}

impl AppState {
    /// With the default settings (tests; the server reads them with [`Settings::from_env`]).
    pub fn new(store: Store) -> AppState {
        AppState::with_settings(store, &Settings::default())
    }

    /// With the settings read at start.
    pub fn with_settings(store: Store, settings: &Settings) -> AppState {
        AppState {
            store,
            scores: traguardi_app::plan::score_cache::Cache::with_budget(settings.scores_cache_mb.saturating_mul(1024 * 1024)),
            #[cfg(feature = "oidc")]
            oidc: None,
            https: Https { always: settings.https, trusted_proxy: settings.trusted_proxy },
            metrics: std::sync::Arc::default(),
            metrics_token: settings.metrics_token.clone(),
            api_rate: settings.api_rate,
            smtp: settings.smtp.clone(),
            shutdown: std::time::Duration::from_secs(settings.shutdown_seconds),
        }
    }

    /// With login through the provider of `config` (its discovery is read now: blocking).
    #[cfg(feature = "oidc")]
    pub fn with_oidc(mut self, config: oidc::Config) -> Result<AppState, String> {
        let provider = oidc::Provider::discover(config).map_err(|e| e.describe(crate::i18n::lang()))?;
        self.oidc = Some(std::sync::Arc::new(provider));
        Ok(self)
    }

    /// The login page's button for the identity provider, if there is one.
    fn external_login(&self) -> Option<String> {
        #[cfg(feature = "oidc")]
        if let Some(p) = &self.oidc {
            return Some(p.config.label.clone());
        }
        None
    }
}

/// Every route of the application.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .merge(health::routes())
        .merge(observe::routes())
        .merge(auth::routes())
        .merge(external_login_routes())
        .merge(api::routes())
        .merge(pages::routes())
        .merge(assets::routes())
        .route("/lingua/{code}", axum::routing::get(i18n::switch))
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn(i18n::middleware))
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state.clone());
    // Outside the catch of panics, so that a panic's 500 is logged and counted too.
    catch_panics(routes).layer(axum::middleware::from_fn_with_state(state, observe::middleware))
}

/// A panic in a request becomes a 500 problem answer and a log line; it never takes the
/// process down.
pub fn catch_panics(router: Router) -> Router {
    router.layer(tower_http::catch_panic::CatchPanicLayer::custom(error::panicked))
}

#[cfg(feature = "oidc")]
fn external_login_routes() -> Router<AppState> {
    oidc::routes()
}

#[cfg(not(feature = "oidc"))]
fn external_login_routes() -> Router<AppState> {
    Router::new()
}

/// Serves until Ctrl-C or SIGTERM, then lets the requests in flight finish within the
/// settings' `shutdown_seconds`; past it, the server stops anyway (a transaction not committed
/// is rolled back by the database). `on_ready` receives the bound address (port 0 picks one).
pub async fn serve(state: AppState, bind: &str, on_ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    let deadline_after = state.shutdown;
    let listener = tokio::net::TcpListener::bind(bind).await?;
    on_ready(listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, router(state).into_make_service_with_connect_info::<std::net::SocketAddr>()).with_graceful_shutdown(async move {
        shutdown().await;
        let _ = stop.send(());
    });
    let deadline = async move {
        let _ = stopped.await;
        tokio::time::sleep(deadline_after).await;
    };
    tokio::select! {
        served = server => served,
        () = deadline => {
            tracing::warn!("requests still in flight {} s after the stop: stopping anyway", deadline_after.as_secs());
            Ok(())
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
