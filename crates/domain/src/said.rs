//! What the use cases say to people — refusals, conflicts, things not found — kept as an Italian
//! template and its values, and rendered at the edge (CLI, pages, API) in the reader's language.
//!
//! A template names its values in braces: `il ciclo {year} non è chiuso`. The English of every
//! template is in `locales/said.en.tsv` (Italian, tab, English; a newline written `\n`). A test
//! reads every `said!` of the sources and fails when a template has no English, when the English
//! names other values, or when the catalogue holds a template no longer used.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use crate::Lang;

/// A message of a use case, in no language yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    template: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// A value of a message: text that reads the same in every language (a code, a number, a name,
/// a date), or another message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Said(Box<Said>),
    /// Messages on lines of their own, each after `\n  `.
    Lines(Vec<Said>),
    /// Messages as a list, each after `\n- `.
    Bullets(Vec<Said>),
    /// Messages one after the other, with a separator between them.
    Joined(Vec<Said>, Box<Said>),
    /// A problem of a value, which says itself in each language.
    Problem(Box<crate::ProblemKind>),
}

impl Arg {
    pub fn text<T: fmt::Display + ?Sized>(v: &T) -> Arg {
        Arg::Text(v.to_string())
    }
}

impl From<Said> for Arg {
    fn from(s: Said) -> Arg {
        Arg::Said(Box::new(s))
    }
}

impl From<crate::ProblemKind> for Arg {
    fn from(p: crate::ProblemKind) -> Arg {
        Arg::Problem(Box::new(p))
    }
}

/// Messages to be said as a list, each on a line starting with `- `.
pub struct Bullets(pub Vec<Said>);

impl From<Bullets> for Arg {
    fn from(b: Bullets) -> Arg {
        Arg::Bullets(b.0)
    }
}

impl From<Vec<Said>> for Arg {
    fn from(s: Vec<Said>) -> Arg {
        Arg::Lines(s)
    }
}

/// `said!("il ciclo {year} non è chiuso", year)`, `said!("… «{name}» …", name = s.name)`, and
/// for a message inside another `said!("…: {why}", why => other)`.
#[macro_export]
macro_rules! said {
    ($t:literal $(,)?) => {
        $crate::said::Said::new($t, Vec::new())
    };
    ($t:literal, $($rest:tt)+) => {
        $crate::said::Said::new($t, $crate::said_args!([] $($rest)+))
    };
}

/// The values of [`said!`], one at a time: `name`, `name = value`, `name => message`.
#[doc(hidden)]
#[macro_export]
macro_rules! said_args {
    ([$($done:expr),*] $(,)?) => {
        vec![$($done),*]
    };
    ([$($done:expr),*] $k:ident => $v:expr $(, $($rest:tt)*)?) => {
        $crate::said_args!([$($done,)* (stringify!($k), $crate::said::Arg::from($v))] $($($rest)*)?)
    };
    ([$($done:expr),*] $k:ident = $v:expr $(, $($rest:tt)*)?) => {
        $crate::said_args!([$($done,)* (stringify!($k), $crate::said::Arg::text(&$v))] $($($rest)*)?)
    };
    ([$($done:expr),*] $k:ident $(, $($rest:tt)*)?) => {
        $crate::said_args!([$($done,)* (stringify!($k), $crate::said::Arg::text(&$k))] $($($rest)*)?)
    };
}

const CATALOGUE: &str = include_str!("../locales/said.en.tsv");

/// Italian template → English template.
pub fn catalogue() -> &'static HashMap<String, String> {
    static MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    MAP.get_or_init(|| {
        CATALOGUE
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .map(|(it, en)| (it.replace("\\n", "\n"), en.replace("\\n", "\n")))
            .collect()
    })
}

impl Said {
    /// Use [`said!`]: it keeps the template a literal that the catalogue's test can find.
    pub fn new(template: &'static str, args: Vec<(&'static str, Arg)>) -> Said {
        Said { template, args }
    }

    /// `items` one after the other, `separator` between them (`«a» o «b»`).
    pub fn joined(items: Vec<Said>, separator: Said) -> Said {
        Said::new("{items}", vec![("items", Arg::Joined(items, Box::new(separator)))])
    }

    /// The Italian template, as written in the sources.
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// The message in `lang` (Italian where the catalogue has no English).
    pub fn describe(&self, lang: Lang) -> String {
        let template = match lang {
            Lang::It => self.template,
            Lang::En => catalogue().get(self.template).map_or(self.template, String::as_str),
        };
        let mut out = String::with_capacity(template.len() + 16);
        for piece in pieces(template) {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Value(name) => match self.args.iter().find(|(k, _)| *k == name) {
                    Some((_, arg)) => arg.say(lang, &mut out),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                },
            }
        }
        out
    }
}

impl Arg {
    /// Appends the value in `lang`.
    fn say(&self, lang: Lang, out: &mut String) {
        match self {
            Arg::Text(t) => out.push_str(t),
            Arg::Said(s) => out.push_str(&s.describe(lang)),
            Arg::Lines(lines) => lines.iter().for_each(|l| out.push_str(&format!("\n  {}", l.describe(lang)))),
            Arg::Bullets(items) => items.iter().for_each(|i| out.push_str(&format!("\n- {}", i.describe(lang)))),
            Arg::Problem(p) => out.push_str(&p.describe(lang)),
            Arg::Joined(items, separator) => out.push_str(&items.iter().map(|i| i.describe(lang)).collect::<Vec<_>>().join(&separator.describe(lang))),
        }
    }
}

/// A piece of a template: text as it is, or the name of a value in braces.
enum Piece<'a> {
    Text(&'a str),
    Value(&'a str),
}

/// The pieces of a template in order. A brace that does not enclose a name (letters, digits,
/// `_`) is text.
fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                out.push(Piece::Text(&rest[..open]));
                out.push(Piece::Value(name));
                rest = &after[close + 1..];
            }
            _ => {
                out.push(Piece::Text(&rest[..=open]));
                rest = after;
            }
        }
    }
    out.push(Piece::Text(rest));
    out
}

/// Italian, as stored in logs and the audit trail.
impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Lang::It))
    }
}

/// Compared with a text, as the Italian reads (the tests' checks of a message).
impl PartialEq<str> for Said {
    fn eq(&self, other: &str) -> bool {
        self.describe(Lang::It) == other
    }
}

impl PartialEq<&str> for Said {
    fn eq(&self, other: &&str) -> bool {
        self.describe(Lang::It) == *other
    }
}

/// The names a template gives its values, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    pieces(template)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Value(name) => Some(name),
            Piece::Text(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_fill_the_template_of_each_language() {
        let year = 2020;
        let s = crate::said!("il ciclo {year} non è chiuso", year);
        assert_eq!(s.describe(Lang::It), "il ciclo 2020 non è chiuso");
        assert_eq!(s.describe(Lang::En), "the cycle 2020 is not closed");
        assert_eq!(s.to_string(), "il ciclo 2020 non è chiuso");
        let inner = crate::said!("il ciclo {year} non è chiuso", year = 2019);
        let outer = crate::said!("{detail}", detail => inner);
        assert_eq!(outer.describe(Lang::En), "the cycle 2019 is not closed");
        assert_eq!(placeholders("a {x} b {y_1} {} {z"), ["x", "y_1"]);
    }
}
