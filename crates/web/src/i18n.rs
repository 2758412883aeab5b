//! The pages' language: Italian first, English second.
//!
//! Every text of the pages is written in Italian, in the templates and in the handlers, and
//! passes through [`t`] (or [`t1`]…[`t4`] when it holds values): in English it is looked up in
//! `locales/en.tsv`, whose keys are the Italian texts themselves, so a page reads as Italian in
//! its source. The catalogue's format is in docs/i18n.md; a test checks that every text used
//! has its translation and every translation is used.
//!
//! The language of a request is chosen by the person (the link in the header sets the
//! `lingua` cookie) and held for the request in a task-local, so that the handlers and the
//! templates need not pass it around. Without a choice, pages are in Italian.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::LazyLock;

use axum::extract::{Path, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use traguardi_domain::Lang;

/// The cookie that keeps the chosen language.
pub const COOKIE: &str = "lingua";

tokio::task_local! {
    static LANG: Lang;
}

/// The language of the request being served; Italian outside a request.
pub fn lang() -> Lang {
    LANG.try_with(|l| *l).unwrap_or(Lang::It)
}

/// The English catalogue: Italian text → English text.
static EN: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| catalogue(include_str!("../locales/en.tsv")));

/// Reads a catalogue: one `italiano<TAB>english` pair per line; blank lines and lines starting
/// with `#` are skipped. A malformed line is a programming error, caught by the tests.
pub fn catalogue(text: &'static str) -> HashMap<&'static str, &'static str> {
    text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).filter_map(|l| l.split_once('\t')).collect()
}

/// The text in the request's language. A text missing from the catalogue stays Italian.
pub fn t(it: &'static str) -> &'static str {
    match lang() {
        Lang::It => it,
        Lang::En => EN.get(it).copied().unwrap_or(it),
    }
}

/// A text known only at run time (a state or a code read from the database), translated when
/// the catalogue has it.
pub fn word(it: &str) -> String {
    match lang() {
        Lang::It => it.to_string(),
        Lang::En => EN.get(it).copied().unwrap_or(it).to_string(),
    }
}

/// Fills the `{}` of a translated text with the values, in order.
fn fill(text: &str, values: &[&dyn Display]) -> String {
    let mut out = String::with_capacity(text.len() + 16 * values.len());
    let mut values = values.iter();
    let mut rest = text;
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        if let Some(v) = values.next() {
            out.push_str(&v.to_string());
        }
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

pub fn t1(it: &'static str, a: impl Display) -> String {
    fill(t(it), &[&a])
}

pub fn t2(it: &'static str, a: impl Display, b: impl Display) -> String {
    fill(t(it), &[&a, &b])
}

pub fn t3(it: &'static str, a: impl Display, b: impl Display, c: impl Display) -> String {
    fill(t(it), &[&a, &b, &c])
}

pub fn t4(it: &'static str, a: impl Display, b: impl Display, c: impl Display, d: impl Display) -> String {
    fill(t(it), &[&a, &b, &c, &d])
}

/// `1 valore`, `3 valori`: the form for one and the form for many, each a catalogue text.
pub fn counted(n: usize, one: &'static str, many: &'static str) -> String {
    format!("{n} {}", t(if n == 1 { one } else { many }))
}

/// What the templates call: askama turns a call of `t` in a template into a method call on the page, so every page
/// has these methods.
pub trait Translate {
    fn t(&self, it: &'static str) -> &'static str {
        t(it)
    }
    fn t1(&self, it: &'static str, a: impl Display) -> String {
        t1(it, a)
    }
    fn t2(&self, it: &'static str, a: impl Display, b: impl Display) -> String {
        t2(it, a, b)
    }
    fn t3(&self, it: &'static str, a: impl Display, b: impl Display, c: impl Display) -> String {
        t3(it, a, b, c)
    }
    fn t4(&self, it: &'static str, a: impl Display, b: impl Display, c: impl Display, d: impl Display) -> String {
        t4(it, a, b, c, d)
    }
    fn word(&self, it: &str) -> String {
        word(it)
    }
    /// What a use case says (a state's name, a refusal), in the page's language.
    fn said(&self, s: &traguardi_domain::said::Said) -> String {
        s.describe(lang())
    }
    /// The page's `lang` attribute.
    fn lang_code(&self) -> &'static str {
        code(lang())
    }
    /// The other language's code and its name in itself, for the switch in the header.
    fn other_lang(&self) -> (&'static str, &'static str) {
        match lang() {
            Lang::It => ("en", "English"),
            Lang::En => ("it", "Italiano"),
        }
    }
}

impl<T: askama::Template> Translate for T {}

fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::It => "it",
        Lang::En => "en",
    }
}

fn parse(code: &str) -> Option<Lang> {
    match code {
        "it" => Some(Lang::It),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The language chosen in the request's cookie; Italian without one.
fn chosen(headers: &HeaderMap) -> Lang {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, value)| parse(value))
        .unwrap_or(Lang::It)
}

/// The first of Italian and English that an `Accept-Language` header names, in its order.
fn accepted(headers: &HeaderMap) -> Option<Lang> {
    let value = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    value.split(',').filter_map(|tag| tag.split(';').next()).find_map(|tag| parse(tag.trim().get(..2)?.to_ascii_lowercase().as_str()))
}

/// Serves every request in the language its cookie asks for; the API, whose callers keep no
/// cookies, in the language of `Accept-Language` (Italian by default).
pub async fn middleware(req: Request, next: Next) -> Response {
    let lang = if req.uri().path().starts_with("/api/") { accepted(req.headers()).unwrap_or(Lang::It) } else { chosen(req.headers()) };
    LANG.scope(lang, next.run(req)).await
}

/// `GET /lingua/{code}`: keeps the choice in a cookie for a year and goes back to the page it
/// was asked from (only a page of this site: anything else goes to the home page).
pub async fn switch(Path(code_asked): Path<String>, headers: HeaderMap) -> Response {
    let Some(lang) = parse(&code_asked) else {
        return (StatusCode::NOT_FOUND, "lingua non disponibile: it, en").into_response();
    };
    let back = back_to(&headers).unwrap_or_else(|| "/".to_string());
    let cookie = format!("{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", code(lang));
    let mut res = Redirect::to(&back).into_response();
    res.headers_mut().insert(header::SET_COOKIE, cookie.parse().expect("ascii cookie"));
    res
}

/// The path of the page the request came from, when it is a page of this same site.
fn back_to(headers: &HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let after_scheme = referer.strip_prefix("http://").or_else(|| referer.strip_prefix("https://"))?;
    let path = after_scheme.strip_prefix(host)?;
    // "/x" but never "//evil.example" (a path that browsers read as another host).
    (path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\")).then(|| path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_values_in_order() {
        assert_eq!(fill("Piano {} · {}", &[&2020, &"Milano"]), "Piano 2020 · Milano");
        assert_eq!(fill("senza valori", &[]), "senza valori");
    }

    #[test]
    fn italian_outside_a_request() {
        assert_eq!(lang(), Lang::It);
        assert_eq!(t("Esci"), "Esci");
    }

    #[tokio::test]
    async fn english_inside_a_request_that_asks_for_it() {
        let one = "valore da approvare o restituire";
        let (plain, counted_en) = LANG
            .scope(Lang::En, async { (t("Esci"), [counted(1, one, "valori da approvare o restituire"), counted(3, one, "valori da approvare o restituire")]) })
            .await;
        assert_eq!(plain, "Log out");
        assert_eq!(counted_en, ["1 value to approve or return", "3 values to approve or return"]);
        assert_eq!(LANG.scope(Lang::En, async { t1("Piano {}", 2020) }).await, "Plan 2020");
    }

    #[test]
    fn the_cookie_chooses_the_language() {
        let mut h = HeaderMap::new();
        assert_eq!(chosen(&h), Lang::It);
        h.insert(header::COOKIE, "sessione=abc; lingua=en".parse().expect("header"));
        assert_eq!(chosen(&h), Lang::En);
        h.insert(header::COOKIE, "lingua=fr".parse().expect("header"));
        assert_eq!(chosen(&h), Lang::It);
    }

    /// The texts the pages pass to `t` and `counted` literally, in the templates and the code.
    fn texts_used() -> Vec<(String, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<std::path::PathBuf> = Vec::new();
        let mut folders = vec![dir.join("templates"), dir.join("src")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).expect("folder") {
                let path = entry.expect("entry").path();
                if path.is_dir() { folders.push(path) } else { files.push(path) }
            }
        }
        files.sort();
        let call = regex_lite::Regex::new(r#"(?:^|[^A-Za-z0-9_])t[1-4]?\(\s*"((?:[^"\\]|\\.)*)""#).expect("regex");
        let counted = regex_lite::Regex::new(r#"counted\([^"]*?,\s*"([^"]*)",\s*"([^"]*)"\)"#).expect("regex");
        let mut used = Vec::new();
        for f in files {
            let text = std::fs::read_to_string(&f).expect("read");
            // This module's own tests use sample texts.
            let text = if f.ends_with("i18n.rs") { text.split("#[cfg(test)]").next().unwrap_or_default().to_string() } else { text };
            let name = f.file_name().unwrap_or_default().to_string_lossy().to_string();
            for c in call.captures_iter(&text) {
                used.push((name.clone(), c[1].replace("\\\"", "\"")));
            }
            for c in counted.captures_iter(&text) {
                used.push((name.clone(), c[1].to_string()));
                used.push((name.clone(), c[2].to_string()));
            }
        }
        used
    }

    /// The texts that reach `t` or `word` from the data: codes and labels of the domain.
    fn texts_of_the_data() -> Vec<String> {
        use traguardi_domain::plan::kpi::{Aggregation, Direction, Measure};
        let mut texts: Vec<String> = traguardi_domain::plan::workflow::STATES.iter().map(|s| s.label()).collect();
        texts.extend(["verde", "giallo", "rosso", "Direzione", "CdR"].map(String::from));
        texts.extend(Measure::ALL.iter().map(|m| m.code().to_string()));
        texts.extend(Direction::ALL.iter().map(|m| m.code().to_string()));
        texts.extend(Aggregation::ALL.iter().map(|m| m.code().to_string()));
        texts.extend(traguardi_domain::org::UnitKind::ALL.iter().map(|k| k.label().to_string()));
        texts.extend(traguardi_domain::ente::EnteKind::ALL.iter().map(|k| k.label().to_string()));
        texts.extend(traguardi_app::import::wizard::Kind::ALL.iter().map(|k| k.label().to_string()));
        texts
    }

    #[test]
    fn every_text_has_its_english_and_every_english_is_used() {
        let catalogue = catalogue(include_str!("../locales/en.tsv"));
        let used = texts_used();
        assert!(used.len() > 400, "the scan found only {} texts", used.len());
        let missing: Vec<String> = used.iter().filter(|(_, k)| !catalogue.contains_key(k.as_str())).map(|(f, k)| format!("{f}: {k}")).collect();
        assert!(missing.is_empty(), "texts without English in locales/en.tsv:\n{}", missing.join("\n"));
        let data = texts_of_the_data();
        let missing: Vec<&String> = data.iter().filter(|k| !catalogue.contains_key(k.as_str())).collect();
        assert!(missing.is_empty(), "words of the data without English: {missing:?}");
        let unused: Vec<&&str> = catalogue.keys().filter(|k| !used.iter().any(|(_, u)| u == **k) && !data.iter().any(|d| d == **k)).collect();
        assert!(unused.is_empty(), "translations no page uses: {unused:?}");
        for (it, en) in &catalogue {
            assert!(!en.trim().is_empty(), "empty English for «{it}»");
            assert_eq!(it.matches("{}").count(), en.matches("{}").count(), "«{it}» and «{en}» hold a different number of values");
        }
    }

    #[test]
    fn the_catalogue_is_well_formed() {
        let text = include_str!("../locales/en.tsv");
        let mut seen = std::collections::HashSet::new();
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#')) {
            let (it, en) = line.split_once('\t').unwrap_or_else(|| panic!("en.tsv line {}: no TAB between Italian and English", n + 1));
            assert!(!en.contains('\t'), "en.tsv line {}: more than one TAB", n + 1);
            assert!(seen.insert(it), "en.tsv line {}: «{it}» is there twice", n + 1);
        }
    }

    /// No text of a template escapes the catalogue: what is left once the expressions, the
    /// tags and the comments are taken out holds no words but the product's name and commands.
    #[test]
    fn templates_hold_no_bare_text() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let markup = regex_lite::Regex::new(r"(?s)\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}").expect("regex");
        let tag = regex_lite::Regex::new(r"(?s)<[^>]*>").expect("regex");
        let shown_attribute = regex_lite::Regex::new(r#"(?:aria-label|title|placeholder|alt)="((?:\{\{.*?\}\}|[^"])*)""#).expect("regex");
        let allowed = ["Traguardi", "traguardi", "demo", "import", "org", "user", "persona", "datapackage.json"];
        let mut bare = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("templates") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("read");
            let name = path.file_name().unwrap_or_default().to_string_lossy().to_string();
            for a in shown_attribute.captures_iter(&text) {
                if markup.replace_all(&a[1], "").chars().any(char::is_alphabetic) {
                    bare.push(format!("{name}: attribute «{}»", &a[1]));
                }
            }
            let without = tag.replace_all(&markup.replace_all(&text, " "), " ").to_string();
            for word in without.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)) {
                if !allowed.contains(&word.trim_matches(|c: char| !c.is_alphanumeric() && c != '.')) {
                    bare.push(format!("{name}: «{word}»"));
                }
            }
        }
        assert!(bare.is_empty(), "text outside the catalogue:\n{}", bare.join("\n"));
    }

    #[test]
    fn goes_back_only_to_this_site() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "127.0.0.1:8080".parse().expect("header"));
        assert_eq!(back_to(&h), None);
        h.insert(header::REFERER, "http://127.0.0.1:8080/enti/015146/cicli/2020/piano?d=1".parse().expect("header"));
        assert_eq!(back_to(&h).as_deref(), Some("/enti/015146/cicli/2020/piano?d=1"));
        h.insert(header::REFERER, "http://evil.example/enti".parse().expect("header"));
        assert_eq!(back_to(&h), None);
        h.insert(header::REFERER, "http://127.0.0.1:8080//evil.example/x".parse().expect("header"));
        assert_eq!(back_to(&h), None);
        h.insert(header::REFERER, "http://127.0.0.1:8080.evil.example/x".parse().expect("header"));
        assert_eq!(back_to(&h), None);
    }
}
