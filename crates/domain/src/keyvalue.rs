//! Settings files of plain `chiave = valore` lines with `#` comments (the budget mappings, the
//! rules of the premi). Keys are taken one by one; what is left at the end is unknown and
//! reported with its line, so a typo never passes silently.

use std::collections::BTreeMap;

use crate::{Problem, ProblemKind, Problems};

pub struct Keys {
    /// key → (line, value)
    map: BTreeMap<String, (usize, String)>,
    pub problems: Problems,
}

impl Keys {
    /// Reads the lines; a repeated key or a line without `=` is a problem of its line. Keys
    /// are lower-cased.
    pub fn parse(text: &str) -> Keys {
        let mut keys = Keys { map: BTreeMap::new(), problems: Problems::default() };
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let Some((k, v)) = line.split_once('=') else {
                keys.problems.push(Problem::row(i + 1, ProblemKind::BadFormat { value: line.into(), expected: crate::said!("chiave = valore") }));
                continue;
            };
            let (k, v) = (k.trim().to_lowercase(), v.trim().to_string());
            if let Some((first, _)) = keys.map.get(&k) {
                keys.problems.push(Problem::cell(i + 1, &k, ProblemKind::Duplicate { value: k.clone(), first_row: *first }));
            } else {
                keys.map.insert(k, (i + 1, v));
            }
        }
        keys
    }

    pub fn has(&self, k: &str) -> bool {
        self.map.contains_key(k)
    }

    /// The value of a key and its line.
    pub fn take(&mut self, k: &str) -> Option<(usize, String)> {
        self.map.remove(k)
    }

    /// Every key starting with `prefix`, in the order of the file: (rest of the key, line, value).
    pub fn take_prefixed(&mut self, prefix: &str) -> Vec<(String, usize, String)> {
        let keys: Vec<String> = self.map.keys().filter(|k| k.starts_with(prefix)).cloned().collect();
        let mut out: Vec<(String, usize, String)> =
            keys.into_iter().filter_map(|k| self.map.remove(&k).map(|(line, v)| (k[prefix.len()..].to_string(), line, v))).collect();
        out.sort_by_key(|(_, line, _)| *line);
        out
    }

    pub fn required(&mut self, k: &str) -> String {
        match self.take(k) {
            Some((_, v)) => v,
            None => {
                self.problems.push(Problem::column(k, ProblemKind::Required));
                String::new()
            }
        }
    }

    pub fn one_of(&mut self, k: &str, allowed: &[&str]) -> String {
        let v = self.required(k);
        if !v.is_empty() && !allowed.contains(&v.as_str()) {
            self.problems.push(Problem::column(k, ProblemKind::NotOneOf { value: v.clone(), allowed: allowed.iter().map(|a| a.to_string()).collect() }));
        }
        v
    }

    /// Ends the reading: every key not taken is unknown (`expected` says where the keys are
    /// documented).
    pub fn finish(self, expected: crate::said::Said) -> Result<(), Problems> {
        let Keys { map, mut problems } = self;
        for (k, (line, _)) in map {
            problems.push(Problem::cell(line, &k, ProblemKind::BadFormat { value: k.clone(), expected: expected.clone() }));
        }
        problems.into_result()
    }
}

/// A comma-separated list, blanks dropped.
pub fn list(v: &str) -> Vec<String> {
    v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_lines_and_leftovers() {
        let mut k = Keys::parse("# titolo\na = 1 # nota\nmisura.x = X\nmisura.b = B\nsenza uguale\na = 2\nz = 9\n");
        assert_eq!(k.take("a"), Some((2, "1".into())));
        assert_eq!(k.take_prefixed("misura."), vec![("x".into(), 3, "X".into()), ("b".into(), 4, "B".into())]);
        let e = k.finish(crate::said!("una chiave nota")).expect_err("problems");
        let text: Vec<String> = e.0.iter().map(|p| p.describe(crate::Lang::It)).collect();
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(text.iter().any(|t| t.starts_with("riga 5:")), "{text:?}");
        assert!(text.iter().any(|t| t.starts_with("riga 6, colonna «a»")), "{text:?}");
        assert!(text.iter().any(|t| t.starts_with("riga 7, colonna «z»")), "{text:?}");
    }
}
