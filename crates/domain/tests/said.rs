//! Every message a use case, page or command says (`said!` in the sources of every crate) has
//! its English in `locales/said.en.tsv` with the same values, and the catalogue holds nothing
//! else: no refusal reads Italian on an English page or with `LANG=en`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use traguardi_domain::said::{catalogue, placeholders};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text of the string literal at the start of `s` (escapes `\n`, `\"`, `\\` and a line
/// continuation read as Rust does), or `None` when `s` does not start with one.
fn literal(s: &str) -> Option<String> {
    let mut chars = s.strip_prefix('"')?.chars().peekable();
    let mut out = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                '\n' => {
                    while chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

/// Every template of a `said!` in the workspace, with where it is.
fn templates() -> BTreeMap<String, String> {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for krate in std::fs::read_dir(&crates).expect("crates") {
        let src = krate.expect("crate").path().join("src");
        if src.is_dir() {
            sources(&src, &mut files);
        }
    }
    let mut out = BTreeMap::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("source");
        // A message is made by `said!` only, so that this test sees its template.
        if !f.ends_with("said.rs") {
            assert!(!text.contains("Said::new("), "{}: a message made without said!", f.display());
        }
        for (at, _) in text.match_indices("said!(") {
            // Examples in comments are not messages.
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            if text[line_start..at].trim_start().starts_with("//") {
                continue;
            }
            let rest = text[at + "said!(".len()..].trim_start();
            if let Some(t) = literal(rest) {
                out.entry(t).or_insert_with(|| format!("{}:{}", f.display(), text[..at].lines().count()));
            }
        }
    }
    out
}

#[test]
fn every_message_has_its_english_with_the_same_values() {
    let used = templates();
    assert!(used.len() > 150, "the sources say {} messages", used.len());
    let en = catalogue();
    let missing: Vec<String> = used.iter().filter(|(t, _)| !en.contains_key(*t)).map(|(t, at)| format!("{at}: {t:?}")).collect();
    assert!(missing.is_empty(), "messages without English in locales/said.en.tsv:\n{}", missing.join("\n"));
    for (it, english) in en.iter() {
        let (a, b): (BTreeSet<&str>, BTreeSet<&str>) = (placeholders(it).into_iter().collect(), placeholders(english).into_iter().collect());
        assert_eq!(a, b, "the English of {it:?} names other values: {english:?}");
    }
    let unused: Vec<&String> = en.keys().filter(|t| !used.contains_key(*t)).collect();
    assert!(unused.is_empty(), "translations no source says: {unused:?}");
}
