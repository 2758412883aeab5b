//! Login through an OpenID Connect provider (cargo feature `oidc`): a SPID/CIE gateway, the
//! ente's Active Directory (ADFS, Entra ID) or any provider with discovery. Authorization code
//! flow with PKCE, state and nonce; the ID token's signature (from the provider's JWKS),
//! issuer, audience, expiry and nonce are checked; its username claim must name an active
//! account that the administrator created: nobody gets an account by logging in. See
//! docs/oidc.md for the settings.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header::SET_COOKIE};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use traguardi_app::accounts::users;

use crate::AppState;
use crate::auth::{cookie, session_cookie};
use crate::error::page;
use crate::i18n::t;
use traguardi_domain::said;
use traguardi_domain::said::Said;

/// The flow's cookie: state, nonce and PKCE verifier, for ten minutes, on the callback's path.
const FLOW_COOKIE: &str = "traguardi_oidc";

/// What the administrator sets (environment variables `TRAGUARDI_OIDC_*`, docs/oidc.md).
#[derive(Debug, Clone)]
pub struct Config {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// This server's callback, as registered with the provider: `https://…/login/oidc/callback`.
    pub redirect_url: String,
    /// The ID token's claim that holds the Traguardi username (`preferred_username`; for SPID
    /// gateways often `fiscal_number`).
    pub username_claim: String,
    /// The login page's button.
    pub label: String,
}

impl Config {
    /// The settings from the environment; `None` when `TRAGUARDI_OIDC_ISSUER` is not set.
    pub fn from_env() -> Option<Result<Config, String>> {
        let issuer = std::env::var("TRAGUARDI_OIDC_ISSUER").ok().filter(|v| !v.trim().is_empty())?;
        let need =
            |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty()).ok_or_else(|| format!("{name} mancante: serve con TRAGUARDI_OIDC_ISSUER"));
        Some((|| {
            Ok(Config {
                issuer: issuer.trim().trim_end_matches('/').to_string(),
                client_id: need("TRAGUARDI_OIDC_CLIENT_ID")?,
                client_secret: need("TRAGUARDI_OIDC_CLIENT_SECRET")?,
                redirect_url: need("TRAGUARDI_OIDC_REDIRECT_URL")?,
                username_claim: std::env::var("TRAGUARDI_OIDC_CLAIM").unwrap_or_else(|_| "preferred_username".into()),
                label: std::env::var("TRAGUARDI_OIDC_LABEL").unwrap_or_else(|_| "Accedi con SPID, CIE o l'account dell'ente".into()),
            })
        })())
    }
}

/// The provider as discovered: its endpoints, with the settings.
#[derive(Debug)]
pub struct Provider {
    pub config: Config,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
}

#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
}

fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, Said> {
    let unreachable = |e: &dyn std::fmt::Display| said!("{url}: {error}", url, error = e);
    let mut res = ureq::get(url).call().map_err(|e| unreachable(&e))?;
    let text = res.body_mut().read_to_string().map_err(|e| unreachable(&e))?;
    serde_json::from_str(&text).map_err(|e| said!("{url}: risposta non valida: {error}", url, error = e))
}

impl Provider {
    /// Reads the provider's discovery document (blocking: at start-up).
    pub fn discover(config: Config) -> Result<Provider, Said> {
        let d: Discovery = get_json(&format!("{}/.well-known/openid-configuration", config.issuer))?;
        if d.issuer.trim_end_matches('/') != config.issuer {
            return Err(said!("il provider si dichiara «{declared}», non «{issuer}»", declared = d.issuer, issuer = config.issuer));
        }
        Ok(Provider { authorization_endpoint: d.authorization_endpoint, token_endpoint: d.token_endpoint, jwks_uri: d.jwks_uri, config })
    }

    /// Exchanges the code for the ID token and returns the username it vouches for (blocking).
    fn username(&self, code: &str, verifier: &str, nonce: &str) -> Result<String, Said> {
        let c = &self.config;
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", c.redirect_url.as_str()),
            ("client_id", c.client_id.as_str()),
            ("client_secret", c.client_secret.as_str()),
            ("code_verifier", verifier),
        ];
        let mut res = ureq::post(&self.token_endpoint).send_form(form).map_err(|e| said!("scambio del codice: {error}", error = e))?;
        let text = res.body_mut().read_to_string().map_err(|e| said!("scambio del codice: {error}", error = e))?;
        #[derive(Deserialize)]
        struct Tokens {
            id_token: String,
        }
        let tokens: Tokens = serde_json::from_str(&text).map_err(|_| said!("il provider non ha restituito un ID token"))?;
        let header = jsonwebtoken::decode_header(&tokens.id_token).map_err(|e| said!("ID token illeggibile: {error}", error = e))?;
        if !matches!(header.alg, Algorithm::RS256 | Algorithm::PS256 | Algorithm::ES256) {
            return Err(said!("algoritmo di firma {alg} non accettato", alg = format!("{:?}", header.alg)));
        }
        let keys: JwkSet = get_json(&self.jwks_uri)?;
        let jwk = match &header.kid {
            Some(kid) => keys.find(kid),
            None => keys.keys.first(),
        }
        .ok_or_else(|| said!("chiave di firma dell'ID token sconosciuta"))?;
        let key = DecodingKey::from_jwk(jwk).map_err(|e| said!("chiave del provider non valida: {error}", error = e))?;
        let mut validation = Validation::new(header.alg);
        validation.set_audience(&[c.client_id.as_str()]);
        validation.set_issuer(&[c.issuer.as_str()]);
        let claims = jsonwebtoken::decode::<serde_json::Map<String, serde_json::Value>>(&tokens.id_token, &key, &validation)
            .map_err(|e| said!("ID token non valido: {error}", error = e))?
            .claims;
        if claims.get("nonce").and_then(|v| v.as_str()) != Some(nonce) {
            return Err(said!("ID token non valido: nonce diverso da quello della richiesta"));
        }
        claims
            .get(&c.username_claim)
            .and_then(|v| v.as_str())
            .map(|u| u.trim().to_lowercase())
            .filter(|u| !u.is_empty())
            .ok_or_else(|| said!("l'ID token non contiene «{claim}»", claim = c.username_claim))
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/login/oidc", get(start)).route("/login/oidc/callback", get(callback))
}

fn encode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn unavailable() -> Response {
    page(
        StatusCode::NOT_FOUND,
        t("Accesso esterno non configurato"),
        t("Questo server non è collegato a un provider di identità: accedere con utente e password."),
    )
}

/// Sends the browser to the provider, with a fresh state, nonce and PKCE verifier.
async fn start(State(s): State<AppState>) -> Response {
    let Some(p) = s.oidc.as_deref() else { return unavailable() };
    let (state, nonce, verifier) = (users::random_token(), users::random_token(), users::random_token());
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let c = &p.config;
    let url = format!(
        "{}?response_type=code&client_id={}&redirect_uri={}&scope=openid%20profile%20email&state={state}&nonce={nonce}&code_challenge={challenge}&code_challenge_method=S256",
        p.authorization_endpoint,
        encode(&c.client_id),
        encode(&c.redirect_url)
    );
    let mut res = Redirect::to(&url).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("{FLOW_COOKIE}={state}.{nonce}.{verifier}; Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age=600")) {
        res.headers_mut().append(SET_COOKIE, v);
    }
    res
}

#[derive(Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Back from the provider: the state must be the one sent; the ID token must check out; the
/// account must exist. Then a session, as with a password.
async fn callback(State(s): State<AppState>, headers: HeaderMap, Query(q): Query<Callback>) -> Response {
    let Some(p) = s.oidc.clone() else { return unavailable() };
    let refused = |status, message: Said| page(status, t("Accesso non riuscito"), &message.describe(crate::i18n::lang()));
    if let Some(e) = q.error {
        return refused(StatusCode::UNAUTHORIZED, said!("il provider di identità ha rifiutato l'accesso: {why}", why = q.error_description.unwrap_or(e)));
    }
    let flow = cookie(&headers, FLOW_COOKIE).unwrap_or_default();
    let mut parts = flow.splitn(3, '.');
    let (state, nonce, verifier) =
        (parts.next().unwrap_or_default(), parts.next().unwrap_or_default().to_string(), parts.next().unwrap_or_default().to_string());
    if state.is_empty() || q.state.as_deref() != Some(state) {
        return refused(StatusCode::FORBIDDEN, said!("richiesta scaduta o non partita da qui: riprovare dalla pagina di accesso"));
    }
    let Some(code) = q.code else { return refused(StatusCode::BAD_REQUEST, said!("il provider non ha restituito il codice di accesso")) };
    let provider: Arc<Provider> = p;
    let checked = tokio::task::spawn_blocking(move || provider.username(&code, &verifier, &nonce)).await;
    let username = match checked {
        Ok(Ok(u)) => u,
        Ok(Err(m)) => return refused(StatusCode::UNAUTHORIZED, m),
        Err(_) => return refused(StatusCode::INTERNAL_SERVER_ERROR, said!("verifica dell'accesso interrotta")),
    };
    match users::login_external(&s.store, &username).await {
        Ok(session) => {
            let mut res = Redirect::to("/").into_response();
            if let Ok(v) = HeaderValue::from_str(&session_cookie(&session.token, s.https.of(&headers))) {
                res.headers_mut().append(SET_COOKIE, v);
            }
            res.headers_mut().append(SET_COOKIE, HeaderValue::from_static("traguardi_oidc=; Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age=0"));
            res
        }
        Err(traguardi_app::AppError::Refused(m)) => refused(StatusCode::FORBIDDEN, m),
        Err(e) => crate::error::WebError(e).into_response(),
    }
}
