//! Login and logout. The session token travels in an HttpOnly cookie; forms carry a CSRF token
//! (the session's, or for the login form a double-submit cookie), checked on every POST.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use traguardi_app::accounts::access::{Reach, Right};
use traguardi_app::{Actor, AppError, accounts::users};
use traguardi_domain::ente::EnteId;

use crate::AppState;
use crate::error::page;
use crate::i18n::{Translate, t};

pub const SESSION_COOKIE: &str = "traguardi_session";
const LOGIN_CSRF_COOKIE: &str = "traguardi_csrf";

pub fn routes() -> Router<AppState> {
    Router::new().route("/login", get(login_form).post(login)).route("/logout", axum::routing::post(logout))
}

/// The value of a cookie of the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Who is logged in, if anyone: the actor, the session's CSRF token and the name to show.
#[derive(Clone, Default)]
pub struct CurrentUser(pub Option<(Actor, String, String)>);

impl CurrentUser {
    pub fn view(&self) -> Option<UserView> {
        self.0.as_ref().map(|(actor, csrf, name)| UserView {
            name: name.clone(),
            csrf: csrf.clone(),
            administers: actor.may(Right::Administer),
            validates: actor.reach(Right::ApproveValues) != Reach::Nowhere,
            moves_plan: actor.reach(Right::MoveObjectives) != Reach::Nowhere,
            evaluates: actor.reach(Right::Evaluate) != Reach::Nowhere,
        })
    }
    pub fn actor(&self) -> Actor {
        self.0.as_ref().map_or_else(Actor::public, |(a, _, _)| a.clone())
    }
}

/// What the header shows of the logged-in user.
#[derive(Clone)]
pub struct UserView {
    pub name: String,
    pub csrf: String,
    /// Whether they administer the ente: the premi and the imports are theirs (the tabs show only then).
    pub administers: bool,
    /// Whether they approve or return values, anywhere or as a Direttore (the inbox's tab shows only then).
    pub validates: bool,
    /// Whether some step of the plan's workflow is theirs (the tab "Stato del piano").
    pub moves_plan: bool,
    /// Whether they evaluate staff: managers over units, and who administers (the tab "Valutazioni").
    pub evaluates: bool,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else { return Ok(CurrentUser(None)) };
        // A database error while reading the session means: not logged in (the page says so).
        let Some((actor, csrf, name)) = users::session(&state.store, &token).await.ok().flatten() else { return Ok(CurrentUser(None)) };
        Ok(CurrentUser(Some((narrowed(state, parts, actor).await, csrf, name))))
    }
}

/// The ente a request is about: `/enti/CODE/…` or `/api/v1/enti/CODE/…`.
fn ente_in_path(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("/api/v1").unwrap_or(path).strip_prefix("/enti/")?;
    Some(rest.split('/').next().unwrap_or(rest)).filter(|c| !c.is_empty())
}

/// The cookie that carries a new session.
/// The session cookie; `Secure` when the site is reached over HTTPS, so the browser never sends
/// it over plain HTTP.
pub(crate) fn session_cookie(token: &str, secure: bool) -> String {
    let flag = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{flag}", users::SESSION_HOURS * 3600)
}

/// The actor with only the roles given in the ente the request is about (an unknown ente: only
/// the roles given everywhere). Requests about no ente keep every role.
pub(crate) async fn narrowed(state: &AppState, parts: &Parts, actor: Actor) -> Actor {
    match ente_in_path(parts.uri.path()) {
        None => actor,
        Some(code) => match traguardi_app::org::enti::find(&state.store, Some(code)).await {
            Ok(ente) => actor.within(&ente.id),
            Err(_) => actor.within(&EnteId::default()),
        },
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf: String,
    error: Option<String>,
    /// The button of the identity provider, when one is configured (feature `oidc`).
    external: Option<String>,
    user: Option<UserView>,
}

fn login_page(s: &AppState, status: StatusCode, error: Option<String>) -> Response {
    let csrf = users::random_token();
    let body = LoginPage { csrf: csrf.clone(), error, external: s.external_login(), user: None }.render().unwrap_or_default();
    let mut res = (status, Html(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("{LOGIN_CSRF_COOKIE}={csrf}; Path=/login; HttpOnly; SameSite=Strict")) {
        res.headers_mut().append(SET_COOKIE, v);
    }
    res
}

async fn login_form(State(s): State<AppState>) -> Response {
    login_page(&s, StatusCode::OK, None)
}

#[derive(Deserialize)]
struct LoginForm {
    utente: String,
    password: String,
    csrf: String,
}

/// The address a request came from ("sconosciuto" when served without one, as in the router's
/// tests): login attempts are throttled by it and the username together. Behind a trusted proxy
/// (`TRAGUARDI_TRUSTED_PROXY`) it is the client's address the proxy reports, the last of
/// `X-Forwarded-For`; otherwise the connection's, and that header is ignored (anyone could send it).
pub struct ClientAddr(pub String);

impl axum::extract::FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
        Ok(ClientAddr(client_address(&parts.headers, peer, state.https.trusted_proxy)))
    }
}

fn client_address(headers: &HeaderMap, peer: Option<std::net::IpAddr>, trusted_proxy: bool) -> String {
    let forwarded = trusted_proxy
        .then(|| headers.get_all("x-forwarded-for").iter().next_back()?.to_str().ok()?.rsplit(',').next()?.trim().parse::<std::net::IpAddr>().ok())
        .flatten();
    forwarded.or(peer).map_or_else(|| "sconosciuto".into(), |ip| ip.to_string())
}

#[cfg(test)]
mod client_tests {
    use super::*;

    #[test]
    fn a_forwarded_address_counts_only_behind_a_trusted_proxy() {
        let proxy = Some(std::net::IpAddr::from([127, 0, 0, 1]));
        let mut h = HeaderMap::new();
        h.append("x-forwarded-for", HeaderValue::from_static("10.0.0.9, 203.0.113.7"));
        assert_eq!(client_address(&h, proxy, true), "203.0.113.7", "the address the proxy saw: the last one");
        assert_eq!(client_address(&h, proxy, false), "127.0.0.1", "not trusted: the connection's");
        h.append("x-forwarded-for", HeaderValue::from_static("not an address"));
        assert_eq!(client_address(&h, proxy, true), "127.0.0.1", "garbage: the connection's");
        assert_eq!(client_address(&HeaderMap::new(), None, true), "sconosciuto");
    }
}

async fn login(State(s): State<AppState>, ClientAddr(client): ClientAddr, headers: HeaderMap, Form(f): Form<LoginForm>) -> Response {
    if cookie(&headers, LOGIN_CSRF_COOKIE).is_none_or(|c| c != f.csrf) {
        return page(
            StatusCode::FORBIDDEN,
            t("Richiesta non valida"),
            t("Il modulo è scaduto o non proviene da questo sito: ricaricare la pagina di accesso."),
        );
    }
    match users::login(&s.store, &f.utente, &f.password, &client).await {
        Ok(session) => {
            let mut res = Redirect::to("/").into_response();
            if let Ok(v) = HeaderValue::from_str(&session_cookie(&session.token, s.https.of(&headers))) {
                res.headers_mut().append(SET_COOKIE, v);
            }
            res
        }
        Err(e @ AppError::LoginLocked { .. }) => login_page(&s, StatusCode::TOO_MANY_REQUESTS, Some(e.describe(crate::i18n::lang()))),
        Err(AppError::Refused(_)) => login_page(&s, StatusCode::UNAUTHORIZED, Some(t("utente o password non corretti").to_string())),
        Err(e) => crate::error::WebError(e).into_response(),
    }
}

#[derive(Deserialize)]
struct LogoutForm {
    csrf: String,
}

async fn logout(State(s): State<AppState>, headers: HeaderMap, user: CurrentUser, Form(f): Form<LogoutForm>) -> Response {
    let Some((_, csrf, _)) = &user.0 else { return Redirect::to("/").into_response() };
    if *csrf != f.csrf {
        return crate::error::forged();
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE)
        && let Err(e) = users::logout(&s.store, &token).await
    {
        return crate::error::WebError(e).into_response();
    }
    let mut res = Redirect::to("/").into_response();
    res.headers_mut().append(SET_COOKIE, HeaderValue::from_static("traguardi_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"));
    res
}

#[cfg(test)]
mod tests {
    use super::ente_in_path;

    #[test]
    fn the_ente_of_a_request_is_read_from_its_path() {
        assert_eq!(ente_in_path("/enti/015146/cicli/2020/piano"), Some("015146"));
        assert_eq!(ente_in_path("/api/v1/enti/015146/cicli/2020/stato"), Some("015146"));
        assert_eq!(ente_in_path("/enti/015146"), Some("015146"));
        assert_eq!(ente_in_path("/"), None);
        assert_eq!(ente_in_path("/login"), None);
        assert_eq!(ente_in_path("/enti/"), None);
    }
}
