//! The scoring rules of a cycle (SPEC §3: "every rule is configuration versioned per cycle"):
//! the objective-level cap and whether over-achievement is allowed, the traffic-light
//! thresholds, whether a Direzione's result takes in its units' objectives, and the rounding of
//! reported values. Written as `chiave = valore` lines (docs/formats.md, "Regole del punteggio"),
//! stored as a new version at each change, frozen by the close.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::round::Lights;
use crate::keyvalue::Keys;
use crate::money::Rounding;
use crate::{Problem, ProblemKind, Problems};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoringRules {
    /// Whether a KPI or an objective may score above 100.
    pub over_achievement: bool,
    /// Objective-level cap: 100, or the over-achievement cap the cycle allows (e.g. 120).
    pub cap: Decimal,
    pub lights: Lights,
    /// Whether a Direzione's result takes in the objectives of its units (default yes).
    pub direzione_includes_units: bool,
    /// How reported values are rounded to 2 decimals (half-up unless the cycle says otherwise).
    pub rounding: Rounding,
}

impl Default for ScoringRules {
    fn default() -> Self {
        ScoringRules {
            over_achievement: false,
            cap: Decimal::ONE_HUNDRED,
            lights: Lights::default(),
            direzione_includes_units: true,
            rounding: Rounding::HalfUp,
        }
    }
}

/// The highest over-achievement cap a cycle may set.
const MAX_CAP: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);

fn yes_no(keys: &mut Keys, k: &str, slot: &mut bool) {
    if let Some((line, v)) = keys.take(k) {
        match crate::value::parse_yes_no(&v) {
            Ok(b) => *slot = b,
            Err(e) => keys.problems.push(Problem::cell(line, k, e)),
        }
    }
}

fn number(keys: &mut Keys, k: &str, min: Decimal, max: Decimal) -> Option<Decimal> {
    let (line, v) = keys.take(k)?;
    match v.trim().parse::<Decimal>() {
        Ok(n) if n >= min && n <= max => Some(n),
        Ok(_) => {
            keys.problems.push(Problem::cell(line, k, ProblemKind::OutOfRange { value: v, min: min.to_string(), max: max.to_string() }));
            None
        }
        Err(_) => {
            keys.problems.push(Problem::cell(line, k, ProblemKind::BadNumber { value: v }));
            None
        }
    }
}

impl ScoringRules {
    /// Reads a rules text over the defaults; every problem names its line and key.
    pub fn parse(text: &str) -> Result<ScoringRules, Problems> {
        let mut r = ScoringRules::default();
        let mut keys = Keys::parse(text);
        yes_no(&mut keys, "sovraraggiungimento", &mut r.over_achievement);
        yes_no(&mut keys, "direzione.include_strutture", &mut r.direzione_includes_units);
        if let Some(cap) = number(&mut keys, "tetto", Decimal::ONE_HUNDRED, MAX_CAP) {
            r.cap = cap;
        }
        if let Some(v) = number(&mut keys, "semaforo.giallo", Decimal::ZERO, Decimal::ONE_HUNDRED) {
            r.lights.yellow_from = v;
        }
        if let Some(v) = number(&mut keys, "semaforo.verde", Decimal::ZERO, Decimal::ONE_HUNDRED) {
            r.lights.green_from = v;
        }
        if let Some((line, v)) = keys.take("arrotondamento") {
            match Rounding::parse(&v).filter(|r| matches!(r, Rounding::HalfUp | Rounding::HalfEven)) {
                Some(x) => r.rounding = x,
                None => keys.problems.push(Problem::cell(
                    line,
                    "arrotondamento",
                    ProblemKind::NotOneOf { value: v, allowed: vec![Rounding::HalfUp.code().into(), Rounding::HalfEven.code().into()] },
                )),
            }
        }
        if r.cap > Decimal::ONE_HUNDRED && !r.over_achievement {
            keys.problems.push(Problem::column(
                "tetto",
                ProblemKind::BadFormat {
                    value: r.cap.normalize().to_string(),
                    expected: crate::said!("100, se il ciclo non ammette il sovraraggiungimento (sovraraggiungimento = si)"),
                },
            ));
        }
        if r.lights.yellow_from > r.lights.green_from {
            keys.problems.push(Problem::column(
                "semaforo.giallo",
                ProblemKind::OutOfRange {
                    value: r.lights.yellow_from.normalize().to_string(),
                    min: "0".into(),
                    max: r.lights.green_from.normalize().to_string(),
                },
            ));
        }
        keys.finish(crate::said!("una chiave delle regole del punteggio (docs/formats.md)"))?;
        Ok(r)
    }

    /// The canonical text: every key, in a fixed order; `parse(to_text())` gives the same rules.
    pub fn to_text(&self) -> String {
        let yn = |b: bool| if b { "si" } else { "no" };
        [
            format!("sovraraggiungimento = {}", yn(self.over_achievement)),
            format!("tetto = {}", self.cap.normalize()),
            format!("semaforo.giallo = {}", self.lights.yellow_from.normalize()),
            format!("semaforo.verde = {}", self.lights.green_from.normalize()),
            format!("direzione.include_strutture = {}", yn(self.direzione_includes_units)),
            format!("arrotondamento = {}", self.rounding.code()),
        ]
        .join("\n")
            + "\n"
    }

    /// Why a KPI's own cap (`tetto` of the plan) is not allowed by these rules, if it is not.
    pub fn kpi_cap_problem(&self, kpi_cap: Decimal) -> Option<ProblemKind> {
        (kpi_cap > Decimal::ONE_HUNDRED && !self.over_achievement).then(|| ProblemKind::BadFormat {
            value: kpi_cap.normalize().to_string(),
            expected: crate::said!("al più 100: le regole del ciclo non ammettono il sovraraggiungimento (traguardi plan regole)"),
        })
    }

    /// A reported value: 2 decimals, with the cycle's rounding.
    pub fn report(&self, d: Decimal) -> Decimal {
        self.rounding.round(d, 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn defaults_round_trip() {
        let r = ScoringRules::default();
        assert_eq!(ScoringRules::parse(&r.to_text()), Ok(r));
        assert_eq!(ScoringRules::parse(""), Ok(r));
        assert_eq!((r.cap, r.over_achievement, r.lights.yellow_from, r.lights.green_from), (dec!(100), false, dec!(33), dec!(66)));
    }

    #[test]
    fn a_full_text() {
        let r = ScoringRules::parse(
            "sovraraggiungimento = si\ntetto = 120\nsemaforo.giallo = 40\nsemaforo.verde = 80\ndirezione.include_strutture = no\narrotondamento = mezzo_pari\n",
        )
        .expect("parses");
        assert_eq!((r.cap, r.over_achievement, r.direzione_includes_units, r.rounding), (dec!(120), true, false, Rounding::HalfEven));
        assert_eq!(r.report(dec!(66.665)), dec!(66.66));
        assert_eq!(ScoringRules::default().report(dec!(66.665)), dec!(66.67));
        assert_eq!(ScoringRules::parse(&r.to_text()), Ok(r));
        assert_eq!(r.kpi_cap_problem(dec!(150)), None);
        assert!(ScoringRules::default().kpi_cap_problem(dec!(120)).is_some());
        assert_eq!(ScoringRules::default().kpi_cap_problem(dec!(100)), None);
    }

    #[test]
    fn every_bad_key_is_named() {
        let e = ScoringRules::parse(
            "tetto = 120\nsemaforo.giallo = 70\nsemaforo.verde = 60\narrotondamento = per_difetto\nsovraraggiungimento = forse\naltro = 1\n",
        )
        .expect_err("refused");
        let text = e.0.iter().map(|p| p.describe(crate::Lang::It)).collect::<Vec<_>>().join("\n");
        for needle in ["«tetto»", "«semaforo.giallo»", "«arrotondamento»", "«sovraraggiungimento»", "«altro»"] {
            assert!(text.contains(needle), "{needle} in {text}");
        }
    }
}
