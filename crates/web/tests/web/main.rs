//! The router without a socket: pages, API, roles and forms, on every backend. One test binary
//! holds them all (a binary per file would link the whole workspace once per file); the login
//! through OpenID Connect has its own, built only with the `oidc` feature.

#[path = "../common/mod.rs"]
mod common;

mod api;
mod api_examples;
mod api_reads;
mod dashboard;
mod evaluations;
mod finished_year;
mod imports;
mod languages;
mod login;
mod nodes;
mod openapi;
mod pages;
mod premi;
mod roles;
mod values;
mod workflow;
