//! The installation's settings, read once at start from the environment (docs/operations.md,
//! "Settings") into the application's state. A setting given a wrong value stops the start with
//! a message naming it, so that no request ever meets a misconfiguration; a feature whose
//! setting is absent is off (without `TRAGUARDI_SMTP`, reminders stay in the application).

use traguardi_domain::{Lang, ProblemKind};

use crate::accounts::mail::SmtpConfig;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The ente's SMTP relay (`TRAGUARDI_SMTP=smtp://HOST:PORT`, `TRAGUARDI_SMTP_FROM`).
    pub smtp: Option<SmtpConfig>,
    /// The site is served over HTTPS itself (`TRAGUARDI_HTTPS`).
    pub https: bool,
    /// A proxy in front is trusted for `X-Forwarded-Proto` and `X-Forwarded-For`
    /// (`TRAGUARDI_TRUSTED_PROXY`).
    pub trusted_proxy: bool,
    /// The bearer token that opens `/metrics` to other machines (`TRAGUARDI_METRICS_TOKEN`).
    pub metrics_token: Option<String>,
    /// Requests per minute of each API token (`TRAGUARDI_API_RATE`).
    pub api_rate: u32,
    /// Memory for the computed scores kept between requests, in MB (`TRAGUARDI_SCORES_CACHE_MB`).
    pub scores_cache_mb: usize,
    /// Seconds the requests in flight may take to finish once the server is asked to stop
    /// (`TRAGUARDI_SHUTDOWN_SECONDS`).
    pub shutdown_seconds: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            smtp: None,
            https: false,
            trusted_proxy: false,
            metrics_token: None,
            api_rate: 600,
            scores_cache_mb: crate::plan::score_cache::DEFAULT_BUDGET_MB,
            shutdown_seconds: 20,
        }
    }
}

impl Settings {
    /// The settings of this process's environment.
    pub fn from_env() -> Result<Settings, SettingsError> {
        Settings::read(|name| std::env::var(name).ok())
    }

    /// The settings given by `var` (a variable's value, or `None` when unset). Every wrong
    /// value is reported at once, each under its variable's name.
    pub fn read(var: impl Fn(&str) -> Option<String>) -> Result<Settings, SettingsError> {
        let mut problems = Vec::new();
        let set = |name: &str| var(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let mut s = Settings::default();
        let mut yes_no = |name: &str, slot: &mut bool| match set(name).map(|v| v.to_lowercase()).as_deref() {
            None => {}
            Some("si" | "sì" | "1" | "true" | "yes") => *slot = true,
            Some("no" | "0" | "false") => *slot = false,
            Some(other) => problems.push((name.to_string(), ProblemKind::NotOneOf { value: other.into(), allowed: vec!["si".into(), "no".into()] })),
        };
        yes_no("TRAGUARDI_HTTPS", &mut s.https);
        yes_no("TRAGUARDI_TRUSTED_PROXY", &mut s.trusted_proxy);
        s.metrics_token = set("TRAGUARDI_METRICS_TOKEN");
        let mut count = |name: &str, min: u64, max: u64| -> Option<u64> {
            let v = set(name)?;
            match v.parse::<u64>() {
                Ok(n) if (min..=max).contains(&n) => Some(n),
                Ok(_) => {
                    problems.push((name.to_string(), ProblemKind::OutOfRange { value: v, min: min.to_string(), max: max.to_string() }));
                    None
                }
                Err(_) => {
                    problems.push((name.to_string(), ProblemKind::BadNumber { value: v }));
                    None
                }
            }
        };
        if let Some(n) = count("TRAGUARDI_API_RATE", 1, u64::from(u32::MAX)) {
            s.api_rate = n as u32;
        }
        if let Some(n) = count("TRAGUARDI_SCORES_CACHE_MB", 0, 1_000_000) {
            s.scores_cache_mb = n as usize;
        }
        if let Some(n) = count("TRAGUARDI_SHUTDOWN_SECONDS", 0, 3_600) {
            s.shutdown_seconds = n;
        }
        match (set("TRAGUARDI_SMTP"), set("TRAGUARDI_SMTP_FROM")) {
            (None, _) => {}
            (Some(url), from) => {
                let address = url.strip_prefix("smtp://").map(|a| a.trim_end_matches('/')).filter(|a| a.contains(':') && !a.contains('/'));
                if address.is_none() {
                    problems.push((
                        "TRAGUARDI_SMTP".to_string(),
                        ProblemKind::BadFormat { value: url.clone(), expected: traguardi_domain::said!("smtp://HOST:PORTA") },
                    ));
                }
                match &from {
                    Some(f) if f.contains('@') && !f.contains(['\r', '\n', '<', '>']) => {}
                    Some(f) => problems.push((
                        "TRAGUARDI_SMTP_FROM".to_string(),
                        ProblemKind::BadFormat { value: f.clone(), expected: traguardi_domain::said!("nome@dominio") },
                    )),
                    None => problems.push(("TRAGUARDI_SMTP_FROM".to_string(), ProblemKind::Required)),
                }
                if let (Some(address), Some(from)) = (address, from) {
                    s.smtp = Some(SmtpConfig { address: address.to_string(), from });
                }
            }
        }
        if problems.is_empty() { Ok(s) } else { Err(SettingsError(problems)) }
    }
}

/// The settings given wrong values: each variable with what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError(pub Vec<(String, ProblemKind)>);

impl SettingsError {
    /// One line per variable, in the reader's language.
    pub fn describe(&self, lang: Lang) -> String {
        let head = lang.pick("impostazioni non valide (variabili d'ambiente):", "invalid settings (environment variables):");
        let lines: Vec<String> = self.0.iter().map(|(name, kind)| format!("  {name}: {}", kind.describe(lang))).collect();
        format!("{head}\n{}", lines.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::read(|k| vars.get(k).cloned())
    }

    #[test]
    fn nothing_set_gives_the_defaults() {
        assert_eq!(read(&[]), Ok(Settings::default()));
        assert_eq!(Settings::default().api_rate, 600);
    }

    #[test]
    fn every_value_is_read() {
        let s = read(&[
            ("TRAGUARDI_SMTP", "smtp://relay.comune.example.org:25/"),
            ("TRAGUARDI_SMTP_FROM", "traguardi@comune.example.org"),
            ("TRAGUARDI_HTTPS", "sì"),
            ("TRAGUARDI_TRUSTED_PROXY", "no"),
            ("TRAGUARDI_API_RATE", "120"),
            ("TRAGUARDI_SCORES_CACHE_MB", "64"),
            ("TRAGUARDI_SHUTDOWN_SECONDS", " 5 "),
            ("TRAGUARDI_METRICS_TOKEN", "segreto"),
        ])
        .expect("settings");
        assert_eq!(s.smtp, Some(SmtpConfig { address: "relay.comune.example.org:25".into(), from: "traguardi@comune.example.org".into() }));
        assert_eq!((s.https, s.trusted_proxy, s.api_rate, s.scores_cache_mb, s.shutdown_seconds), (true, false, 120, 64, 5));
        assert_eq!(s.metrics_token.as_deref(), Some("segreto"));
    }

    #[test]
    fn every_wrong_value_is_named_at_once() {
        let e = read(&[("TRAGUARDI_SMTP", "relay:25"), ("TRAGUARDI_HTTPS", "forse"), ("TRAGUARDI_API_RATE", "molte"), ("TRAGUARDI_SHUTDOWN_SECONDS", "-1")])
            .expect_err("wrong");
        let it = e.describe(Lang::It);
        for name in ["TRAGUARDI_SMTP", "TRAGUARDI_SMTP_FROM", "TRAGUARDI_HTTPS", "TRAGUARDI_API_RATE", "TRAGUARDI_SHUTDOWN_SECONDS"] {
            assert!(it.contains(&format!("  {name}: ")), "{name} in {it}");
        }
        assert_eq!(e.0.len(), 5, "{it}");
        assert!(it.contains("smtp://HOST:PORTA"), "{it}");
        let en = e.describe(Lang::En);
        assert!(en.starts_with("invalid settings") && en.contains("  TRAGUARDI_HTTPS: "), "{en}");
    }

    #[test]
    fn a_sender_without_a_relay_is_not_needed_and_a_relay_without_a_sender_is_wrong() {
        assert_eq!(read(&[("TRAGUARDI_SMTP_FROM", "a@b.it")]).map(|s| s.smtp), Ok(None));
        let e = read(&[("TRAGUARDI_SMTP", "smtp://relay:25")]).expect_err("no sender");
        assert_eq!(e.0, vec![("TRAGUARDI_SMTP_FROM".to_string(), ProblemKind::Required)]);
    }
}
