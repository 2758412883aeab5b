//! What a KPI is: its measure, direction, aggregation over periods, target and scoring rule.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ProblemKind;
use crate::value::{NumberStyle, parse_date, parse_number, parse_yes_no};

/// Closed lists of codes as users write them in files.
macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            pub fn parse(s: &str) -> Result<$name, ProblemKind> {
                let t = s.trim().to_lowercase();
                $name::ALL.iter().copied().find(|v| v.code() == t).ok_or_else(|| ProblemKind::NotOneOf {
                    value: s.trim().into(),
                    allowed: $name::ALL.iter().map(|v| v.code().to_string()).collect(),
                })
            }
        }
    };
}

coded_enum!(
    /// What a KPI measures (SPEC §3).
    Measure {
        Numero => "numero",
        Percentuale => "percentuale",
        Importo => "importo",
        Scadenza => "scadenza",
        SiNo => "si_no",
        Avanzamento => "avanzamento",
    }
);

coded_enum!(
    /// Whether higher or lower values are better.
    Direction { Crescente => "crescente", Decrescente => "decrescente" }
);

coded_enum!(
    /// How a KPI's periods make its value for the year: last value (stock indicators, the
    /// default), sum (flows), or average.
    Aggregation { Ultimo => "ultimo", Somma => "somma", Media => "media" }
);

/// A KPI's value for one period, or its target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Value {
    Number(Decimal),
    /// A deadline's date, or the date it was done; `None` = not done.
    Date(Option<NaiveDate>),
    Bool(bool),
}

impl Value {
    /// Parses a cell for a KPI of the given measure. Empty means "not done" for a deadline
    /// and is `None` (no value) otherwise.
    pub fn parse(measure: Measure, s: &str, style: NumberStyle) -> Result<Option<Value>, ProblemKind> {
        let t = s.trim();
        match measure {
            Measure::Scadenza => {
                if t.is_empty() {
                    Ok(Some(Value::Date(None)))
                } else {
                    parse_date(t).map(|d| Some(Value::Date(Some(d))))
                }
            }
            _ if t.is_empty() => Ok(None),
            Measure::SiNo => parse_yes_no(t).map(|b| Some(Value::Bool(b))),
            _ => parse_number(t, style).map(|d| Some(Value::Number(d))),
        }
    }

    pub fn number(&self) -> Option<Decimal> {
        match self {
            Value::Number(d) => Some(*d),
            Value::Bool(b) => Some(if *b { Decimal::ONE } else { Decimal::ZERO }),
            Value::Date(_) => None,
        }
    }

    /// The value as stored and as shown in files: `.` decimals, ISO dates, `si`/`no`.
    pub fn to_text(&self) -> String {
        match self {
            Value::Number(d) => d.normalize().to_string(),
            Value::Date(Some(d)) => d.format("%Y-%m-%d").to_string(),
            Value::Date(None) => String::new(),
            Value::Bool(b) => (if *b { "si" } else { "no" }).into(),
        }
    }

    /// The value as an Italian reader expects it in a document: `500.000`, `51,2`,
    /// `31/12/2020`, `sì`; a deadline not done is `non conseguita`.
    pub fn to_italian(&self) -> String {
        match self {
            Value::Number(d) => crate::plan::round::number(*d),
            Value::Date(Some(d)) => d.format("%d/%m/%Y").to_string(),
            Value::Date(None) => "non conseguita".into(),
            Value::Bool(b) => (if *b { "sì" } else { "no" }).into(),
        }
    }

    /// Reads back what `to_text` wrote.
    pub fn from_text(measure: Measure, s: &str) -> Option<Value> {
        Value::parse(measure, s, NumberStyle::En).ok().flatten()
    }
}

/// A band of raw values `[from, to)` with its score. Bands are contiguous: each band's `to`
/// is the next band's `from`; the last may be open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub from: Decimal,
    pub to: Option<Decimal>,
    pub score: Decimal,
}

/// How a KPI's value becomes a score (SPEC §3). Without bands the ratio rule of its direction
/// applies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub bands: Vec<Band>,
    /// Interpolate linearly between a band's score and the next band's.
    pub interpolate: bool,
    /// Below this value (above it, for lower-is-better) the KPI scores 0.
    pub minimum: Option<Decimal>,
    /// Over-achievement allowed up to this score (e.g. 120); `None` = capped at 100.
    pub cap: Option<Decimal>,
    /// For deadlines: points lost per calendar day late; `None` = late scores 0.
    pub late_penalty_per_day: Option<Decimal>,
}

impl Rule {
    /// The highest score this rule can give.
    pub fn ceiling(&self) -> Decimal {
        self.cap.unwrap_or(Decimal::ONE_HUNDRED).max(Decimal::ONE_HUNDRED)
    }

    /// Checks the bands: contiguous, increasing, scores within 0..ceiling.
    pub fn check(&self) -> Result<(), ProblemKind> {
        let bad =
            |why: &str| Err(ProblemKind::BadFormat { value: why.into(), expected: crate::said!("fasce contigue e crescenti, punteggi tra 0 e il tetto") });
        for (i, b) in self.bands.iter().enumerate() {
            if b.score < Decimal::ZERO || b.score > self.ceiling() {
                return bad(&format!("punteggio {}", b.score));
            }
            match (b.to, self.bands.get(i + 1)) {
                (Some(to), _) if to <= b.from => return bad(&format!("fascia [{}, {to})", b.from)),
                (Some(to), Some(next)) if to != next.from => return bad(&format!("fasce non contigue a {to}")),
                (None, Some(_)) => return bad("fascia aperta non ultima"),
                _ => {}
            }
        }
        if let Some(c) = self.cap
            && c < Decimal::ONE_HUNDRED
        {
            return bad(&format!("tetto {c} sotto 100"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn values_in_italian_form() {
        let it = |m, s| Value::from_text(m, s).map(|v| v.to_italian());
        assert_eq!(it(Measure::Numero, "500000").as_deref(), Some("500.000"));
        assert_eq!(it(Measure::Percentuale, "51.20").as_deref(), Some("51,2"));
        assert_eq!(it(Measure::Scadenza, "2020-12-31").as_deref(), Some("31/12/2020"));
        assert_eq!(it(Measure::SiNo, "si").as_deref(), Some("sì"));
    }

    #[test]
    fn codes() {
        assert_eq!(Measure::parse("SI_NO"), Ok(Measure::SiNo));
        assert_eq!(Direction::parse("decrescente"), Ok(Direction::Decrescente));
        assert_eq!(
            Aggregation::parse("mediana").expect_err("refused").describe(crate::Lang::It),
            "valore «mediana» non ammesso; valori possibili: ultimo, somma, media"
        );
    }

    #[test]
    fn values() {
        let it = NumberStyle::It;
        assert_eq!(Value::parse(Measure::Importo, "1.234,50", it), Ok(Some(Value::Number(dec!(1234.50)))));
        assert_eq!(Value::parse(Measure::Numero, "", it), Ok(None));
        assert_eq!(Value::parse(Measure::Scadenza, "", it), Ok(Some(Value::Date(None))));
        assert_eq!(Value::parse(Measure::SiNo, "sì", it), Ok(Some(Value::Bool(true))));
        assert!(Value::parse(Measure::Numero, "dieci", it).is_err());
        let v = Value::Number(dec!(12.50));
        assert_eq!(Value::from_text(Measure::Numero, &v.to_text()), Some(Value::Number(dec!(12.5))));
    }

    #[test]
    fn bands_are_checked() {
        let band = |from, to, score| Band { from, to, score };
        let ok = Rule { bands: vec![band(dec!(0), Some(dec!(50)), dec!(0)), band(dec!(50), None, dec!(100))], ..Rule::default() };
        assert!(ok.check().is_ok());
        let gap = Rule { bands: vec![band(dec!(0), Some(dec!(40)), dec!(0)), band(dec!(50), None, dec!(100))], ..Rule::default() };
        assert!(gap.check().is_err());
        let over = Rule { bands: vec![band(dec!(0), None, dec!(130))], cap: Some(dec!(120)), ..Rule::default() };
        assert!(over.check().is_err());
    }
}
