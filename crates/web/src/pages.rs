//! The HTML pages.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use traguardi_app::enti;
use traguardi_app::org_tree::{OrgTree, org_tree};
use traguardi_app::todo::Todo;
use traguardi_store::ente::Ente;

use crate::AppState;
use crate::auth::{CurrentUser, UserView};
use crate::error::WebError;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home)).route("/enti/{code}", get(ente_home)).route("/enti/{code}/cicli/{year}/struttura", get(org_page))
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    enti: Vec<Ente>,
    user: Option<UserView>,
    todo: Vec<TodoView>,
    /// The enti's cards sit under "Enti", an h1 alone and an h2 after the to-do.
    card_heading: u8,
}

/// What the logged-in person must do in one ente, as lines with their links.
struct TodoView {
    title: String,
    items: Vec<TodoItem>,
}

struct TodoItem {
    text: String,
    href: String,
    /// Details, each with its own link.
    details: Vec<(String, String)>,
}

/// `1 valore`, `3 valori`.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn todo_view(t: Todo) -> TodoView {
    let cycle = format!("/enti/{}/cicli/{}", t.ente_code, t.year);
    let day = traguardi_domain::cycle::format_date_it;
    let mut items = Vec::new();
    if let Some(n) = t.waiting.filter(|n| *n > 0) {
        items.push(TodoItem {
            text: counted(n, "valore da approvare o restituire", "valori da approvare o restituire"),
            href: format!("{cycle}/valori"),
            details: Vec::new(),
        });
    }
    if let Some(n) = t.to_validate.filter(|n| *n > 0) {
        items.push(TodoItem {
            text: counted(n, "obiettivo consuntivato da validare", "obiettivi consuntivati da validare"),
            href: format!("{cycle}/stato"),
            details: Vec::new(),
        });
    }
    if t.late_total > 0 {
        let mut details: Vec<(String, String)> = t
            .late
            .iter()
            .map(|l| (format!("{} {}, al {}: scaduto il {}", l.kpi, l.kpi_name, day(l.period_end), day(l.due)), format!("{cycle}/kpi/{}/valori", l.kpi)))
            .collect();
        if t.late_total > t.late.len() {
            details.push((format!("e altri {}", t.late_total - t.late.len()), String::new()));
        }
        let text = counted(t.late_total, "valore in ritardo nelle strutture di competenza", "valori in ritardo nelle strutture di competenza");
        items.push(TodoItem { text, href: String::new(), details });
    }
    if !t.returned.is_empty() {
        let details = t.returned.iter().map(|(k, p)| (format!("{k} al {}", day(*p)), format!("{cycle}/kpi/{k}/valori"))).collect();
        items.push(TodoItem {
            text: counted(t.returned.len(), "valore restituito da correggere", "valori restituiti da correggere"),
            href: String::new(),
            details,
        });
    }
    if !t.notifications.is_empty() {
        let details = t.notifications.iter().map(|(d, text)| (format!("{d}: {text}"), String::new())).collect();
        items.push(TodoItem { text: "Avvisi".into(), href: format!("{cycle}/la-mia-valutazione"), details });
    }
    TodoView { title: format!("{} · ciclo {}", t.ente_name, t.year), items }
}

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    user: Option<UserView>,
    tree: OrgTree,
    staff: usize,
    year: i32,
    section: &'static str,
    nav_code: String,
}

pub(crate) fn html(t: impl Template) -> Result<Response, WebError> {
    let body = t.render().map_err(|e| WebError(traguardi_app::AppError::Refused(format!("pagina non generata: {e}"))))?;
    Ok(Html(body).into_response())
}

/// The enti, and for a logged-in person what they must do now.
async fn home(State(s): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    let todo: Vec<TodoView> = traguardi_app::todo::of(&s.store, &user.actor(), chrono::Local::now().date_naive()).await?.into_iter().map(todo_view).collect();
    let card_heading = if todo.is_empty() { 2 } else { 3 };
    html(Home { enti: enti::list(&s.store).await?, user: user.view(), todo, card_heading })
}

/// The ente's latest cycle.
async fn ente_home(State(s): State<AppState>, user: CurrentUser, Path(code): Path<String>) -> Result<Response, WebError> {
    let tree = org_tree(&s.store, &user.actor(), Some(&code), None).await?;
    Ok(Redirect::to(&format!("/enti/{}/cicli/{}/struttura", tree.ente.code, tree.cycle.year())).into_response())
}

async fn org_page(State(s): State<AppState>, user: CurrentUser, Path((code, year)): Path<(String, i32)>) -> Result<Response, WebError> {
    let tree = org_tree(&s.store, &user.actor(), Some(&code), Some(year)).await?;
    let staff = tree.nodes.iter().map(|n| n.staff).sum();
    html(OrgPage { user: user.view(), nav_code: tree.ente.code.to_string(), year: tree.cycle.year(), tree, staff, section: "struttura" })
}
