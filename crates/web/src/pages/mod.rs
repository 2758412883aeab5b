//! The HTML pages, one module per area as in the app crate: the home and an ente's pages here;
//! the plan and its scores, the dashboard, values, the cycle's workflow and the Relazione,
//! evaluations, the premi, the budget, imports and the transparency pages in their own modules.

mod budget;
mod dashboard;
mod documents;
mod evaluations;
mod imports;
mod plan;
mod premi;
pub(crate) mod transparency;
mod values;
mod workflow;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use traguardi_app::accounts::todo::Todo;
use traguardi_app::org::enti;
use traguardi_app::org::org_tree::{OrgTree, org_tree};
use traguardi_domain::ente::Ente;
use traguardi_domain::said;

use crate::AppState;
use crate::auth::{CurrentUser, UserView};
use crate::error::WebError;
use crate::i18n::{Translate, counted, t, t1, t2, t4};

/// Every page of every area.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/enti/{code}", get(ente_home))
        .route("/enti/{code}/cicli/{year}/struttura", get(org_page))
        .merge(plan::routes())
        .merge(dashboard::routes())
        .merge(documents::routes())
        .merge(budget::routes())
        .merge(premi::routes())
        .merge(evaluations::routes())
        .merge(values::routes())
        .merge(workflow::routes())
        .merge(imports::routes())
        .merge(transparency::routes())
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

fn todo_view(todo: Todo) -> TodoView {
    let cycle = format!("/enti/{}/cicli/{}", todo.ente_code, todo.year);
    let day = traguardi_domain::cycle::format_date_it;
    let mut items = Vec::new();
    if let Some(n) = todo.waiting.filter(|n| *n > 0) {
        items.push(TodoItem {
            text: counted(n, "valore da approvare o restituire", "valori da approvare o restituire"),
            href: format!("{cycle}/valori"),
            details: Vec::new(),
        });
    }
    if let Some(n) = todo.to_validate.filter(|n| *n > 0) {
        items.push(TodoItem {
            text: counted(n, "obiettivo consuntivato da validare", "obiettivi consuntivati da validare"),
            href: format!("{cycle}/stato"),
            details: Vec::new(),
        });
    }
    if todo.late_total > 0 {
        let mut details: Vec<(String, String)> = todo
            .late
            .iter()
            .map(|l| (t4("{} {}, al {}: scaduto il {}", &l.kpi, &l.kpi_name, day(l.period_end), day(l.due)), format!("{cycle}/kpi/{}/valori", l.kpi)))
            .collect();
        if todo.late_total > todo.late.len() {
            details.push((t1("e altri {}", todo.late_total - todo.late.len()), String::new()));
        }
        let text = counted(todo.late_total, "valore in ritardo nelle strutture di competenza", "valori in ritardo nelle strutture di competenza");
        items.push(TodoItem { text, href: String::new(), details });
    }
    if !todo.returned.is_empty() {
        let details = todo.returned.iter().map(|(k, p)| (t2("{} al {}", k, day(*p)), format!("{cycle}/kpi/{k}/valori"))).collect();
        items.push(TodoItem {
            text: counted(todo.returned.len(), "valore restituito da correggere", "valori restituiti da correggere"),
            href: String::new(),
            details,
        });
    }
    if !todo.notifications.is_empty() {
        let details = todo.notifications.iter().map(|(d, text)| (format!("{d}: {text}"), String::new())).collect();
        items.push(TodoItem { text: t("Avvisi").into(), href: format!("{cycle}/la-mia-valutazione"), details });
    }
    TodoView { title: t2("{} · ciclo {}", &todo.ente_name, todo.year), items }
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
    let body = t.render().map_err(|e| WebError(traguardi_app::AppError::Refused(said!("pagina non generata: {e}", e = e))))?;
    Ok(Html(body).into_response())
}

/// The enti, and for a logged-in person what they must do now.
async fn home(State(s): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    let todo: Vec<TodoView> =
        traguardi_app::accounts::todo::of(&s.store, &user.actor(), chrono::Local::now().date_naive()).await?.into_iter().map(todo_view).collect();
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
