//! The dashboard of a cycle, public like the plan: the ente's result, the objectives by traffic
//! light, the scores by dimension, Direzione and ambito, and the trend over the cycles. Every
//! chart is drawn (by `cruscotto.js`, with ECharts) from the table under it, which stays on the
//! page as the accessible form of the same figures.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use rust_decimal::Decimal;
use traguardi_app::cycle::cycles;
use traguardi_app::plan::dashboard::{self, Bar, Dashboard, Trend};
use traguardi_domain::plan::round::it;

use crate::AppState;
use crate::auth::{CurrentUser, UserView};
use crate::error::WebError;
use crate::i18n::{Translate, t};
use crate::pages::html;

pub fn routes() -> Router<AppState> {
    Router::new().route("/enti/{code}/cicli/{year}/cruscotto", get(dashboard_page))
}

/// Cycles shown in the trend at most (the latest ones).
const TREND_YEARS: usize = 5;

#[derive(Template)]
#[template(path = "cruscotto.html")]
struct DashboardPage {
    user: Option<UserView>,
    ente_name: String,
    nav_code: String,
    year: i32,
    section: &'static str,
    d: Dashboard,
    trend: Trend,
}

impl DashboardPage {
    /// `66,67` for the page; the chart reads `data-valore` (`66.67`).
    fn shown(&self, v: &Option<Decimal>) -> String {
        v.map(|v| format!("{}%", it(v))).unwrap_or_else(|| "—".into())
    }
    fn light_label(&self, code: &str) -> &'static str {
        match code {
            "verde" => t("Verde"),
            "giallo" => t("Giallo"),
            "rosso" => t("Rosso"),
            "non_valutabile" => t("Non valutabili"),
            _ => t("In attesa di dati"),
        }
    }
    fn badge(&self, light: &str) -> &'static str {
        match light {
            "verde" => "bg-success",
            "giallo" => "bg-warning",
            _ => "bg-danger",
        }
    }
    fn status_label(&self, b: &Bar) -> &'static str {
        match b.status {
            "non_valutabile" => t("non valutabile"),
            "in_attesa" => t("in attesa di dati"),
            _ => "",
        }
    }
}

async fn dashboard_page(State(s): State<AppState>, user: CurrentUser, Path((code, year)): Path<(String, i32)>) -> Result<Response, WebError> {
    let actor = user.actor();
    let data = s.scores.summary(&s.store, &actor, &code, year).await?;
    let years: Vec<i32> = cycles::years(&s.store, &data.ente).await?.into_iter().filter(|y| *y <= year).collect();
    let mut past = Vec::new();
    for y in years.iter().rev().take(TREND_YEARS) {
        past.push(if *y == year { data.point.clone() } else { s.scores.summary(&s.store, &actor, &code, *y).await?.point.clone() });
    }
    let trend = dashboard::trend(&past);
    html(DashboardPage {
        user: user.view(),
        ente_name: data.ente.name.clone(),
        nav_code: data.ente.code.to_string(),
        year,
        section: "cruscotto",
        d: data.dashboard.clone(),
        trend,
    })
}
