//! A KPI's score for the year, with the explanation of how it was obtained (SPEC §3).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::kpi::{Aggregation, Band, Direction, Measure, Rule, Value};
use super::round::it;

/// What a score is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// A percentage, full precision (rounded only when reported).
    Score(Decimal),
    /// Neutralised with a reason: drops out of roll-ups, weights renormalise.
    NotAssessable(String),
    /// No approved value yet: shown as waiting, drops out like a neutralised item.
    NoData,
}

impl Outcome {
    pub fn score(&self) -> Option<Decimal> {
        match self {
            Outcome::Score(s) => Some(*s),
            _ => None,
        }
    }
}

/// How a number came to be: the rule applied, its inputs, and a sentence in Italian (the one
/// frozen at the close and printed in the documents) and in English (for the English pages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// Machine-readable code of the rule (e.g. `rapporto_decrescente`).
    pub rule: String,
    /// The inputs as label → value, values in Italian number format.
    pub inputs: Vec<(String, String)>,
    pub text: String,
    /// The same sentence in English, numbers still in the Italian form.
    #[serde(default)]
    pub en: String,
}

impl Explanation {
    /// The sentence in `lang` (Italian when no English was written).
    pub fn in_lang(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::En if !self.en.is_empty() => &self.en,
            _ => &self.text,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scored {
    pub outcome: Outcome,
    pub explanation: Explanation,
}

/// A score with its explanation: `(Italian, English)`.
fn scored(outcome: Outcome, rule: &str, inputs: Vec<(&str, String)>, (text, en): (String, String)) -> Scored {
    Scored { outcome, explanation: Explanation { rule: rule.into(), inputs: inputs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(), text, en } }
}

/// The parts of a KPI that scoring needs.
#[derive(Debug, Clone)]
pub struct KpiSpec<'a> {
    pub measure: Measure,
    pub direction: Direction,
    pub target: Option<&'a Value>,
    pub rule: &'a Rule,
}

/// The year's value of a KPI from the approved values of its periods, in period order
/// (`None`: a neutralised period), in a year ending on `year_end` (docs/formats.md, "The year's
/// value"):
/// - the year is complete only with the value of its last period, the one ending on
///   `year_end` (every periodicity has one): without it the KPI waits for data (`Ok(None)`),
///   never falling back silently on an earlier period;
/// - `ultimo`: that last value;
/// - `somma`: the sum of the periods entered (a period missing adds nothing);
/// - `media`: the mean of the periods entered (a period missing is left out, not counted as 0);
/// - values that are not numbers (dates, yes/no) take the last value.
///
/// A sum beyond the range of decimal numbers is an error, never a panic.
pub fn year_value(aggregation: Aggregation, periods: &[(NaiveDate, Option<Value>)], year_end: NaiveDate) -> Result<Option<Value>, String> {
    let Some((_, Some(last))) = periods.iter().rfind(|(d, _)| *d >= year_end) else {
        return Ok(None);
    };
    let values: Vec<&Value> = periods.iter().filter_map(|(_, v)| v.as_ref()).collect();
    let numbers: Option<Vec<Decimal>> = values.iter().map(|v| v.number()).collect::<Option<Vec<Decimal>>>();
    let overflow = || "la somma dei periodi supera l'intervallo dei numeri ammessi".to_string();
    let sum = |n: &Vec<Decimal>| n.iter().try_fold(Decimal::ZERO, |acc, x| acc.checked_add(*x)).ok_or_else(overflow);
    Ok(Some(match (aggregation, numbers) {
        (Aggregation::Ultimo, _) | (_, None) => last.clone(),
        (Aggregation::Somma, Some(n)) => Value::Number(sum(&n)?),
        (Aggregation::Media, Some(n)) => Value::Number(sum(&n)? / Decimal::from(n.len())),
    }))
}

/// `a / b × 100`, or `None` past the decimal range (values are bounded at import, but a tiny
/// target can still make the ratio too large).
fn percent_of(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_div(b)?.checked_mul(Decimal::ONE_HUNDRED)
}

/// A KPI whose numbers go past the decimal range: not assessable, saying so, never a panic.
fn beyond_range(inputs: Vec<(&str, String)>) -> Scored {
    let why = super::rollup::OVERFLOW;
    scored(
        Outcome::NotAssessable(why.into()),
        "aritmetica",
        inputs,
        (format!("Non valutabile: {why}."), "Not assessable: the computation goes beyond the range of numbers.".into()),
    )
}

fn num(d: Decimal) -> String {
    super::round::number(d)
}

/// Scores the year's value of a KPI.
pub fn score_kpi(spec: &KpiSpec<'_>, actual: Option<&Value>) -> Scored {
    let Some(actual) = actual else {
        return scored(
            Outcome::NoData,
            "nessun_valore",
            vec![],
            ("Nessun valore approvato: in attesa di dati.".into(), "No approved value: awaiting data.".into()),
        );
    };
    match (spec.measure, actual) {
        (Measure::Scadenza, Value::Date(done)) => deadline(spec, *done),
        (Measure::SiNo, Value::Bool(b)) => {
            let wanted = match spec.target {
                Some(Value::Bool(t)) => *t,
                _ => true,
            };
            let s = if *b == wanted { Decimal::ONE_HUNDRED } else { Decimal::ZERO };
            let yn = |b: bool| if b { "sì" } else { "no" };
            let yes_no = |b: bool| if b { "yes" } else { "no" };
            scored(
                Outcome::Score(s),
                "si_no",
                vec![("valore", yn(*b).into()), ("target", yn(wanted).into())],
                (
                    format!("Valore «{}» contro target «{}»: {}.", yn(*b), yn(wanted), it(s)),
                    format!("Value «{}» against target «{}»: {}.", yes_no(*b), yes_no(wanted), it(s)),
                ),
            )
        }
        (_, Value::Number(v)) => number(spec, *v),
        _ => scored(
            Outcome::NotAssessable("valore di tipo diverso dalla misura".into()),
            "tipo_errato",
            vec![],
            ("Il valore non è del tipo della misura del KPI.".into(), "The value is not of the KPI's measure.".into()),
        ),
    }
}

fn number(spec: &KpiSpec<'_>, v: Decimal) -> Scored {
    let rule = spec.rule;
    let ceiling = rule.cap.unwrap_or(Decimal::ONE_HUNDRED);
    if let Some(min) = rule.minimum {
        let below = match spec.direction {
            Direction::Crescente => v < min,
            Direction::Decrescente => v > min,
        };
        if below {
            let (word, en) = if spec.direction == Direction::Crescente { ("sotto", "below") } else { ("sopra", "above") };
            return scored(
                Outcome::Score(Decimal::ZERO),
                "soglia_minima",
                vec![("valore", num(v)), ("soglia", num(min))],
                (
                    format!("Valore {} {word} la soglia minima {}: 0.", num(v), num(min)),
                    format!("Value {} {en} the minimum threshold {}: 0.", num(v), num(min)),
                ),
            );
        }
    }
    if !rule.bands.is_empty() {
        return bands(&rule.bands, rule.interpolate, v);
    }
    let Some(target) = spec.target.and_then(Value::number) else {
        return scored(
            Outcome::NotAssessable("target non definito".into()),
            "senza_target",
            vec![("valore", num(v))],
            ("Target non definito: il KPI non è valutabile.".into(), "No target set: the KPI cannot be assessed.".into()),
        );
    };
    let inputs = vec![("valore", num(v)), ("target", num(target))];
    let (raw, rule_code, how) = match spec.direction {
        Direction::Crescente => {
            if target <= Decimal::ZERO {
                // Target 0 (or negative): reached when the value is at least the target.
                let s = if v >= target { Decimal::ONE_HUNDRED } else { Decimal::ZERO };
                let reached = v >= target;
                (
                    s,
                    "rapporto_crescente",
                    (
                        format!(
                            "Più alto è meglio, target {} ≤ 0: valore {} {} il target: {}",
                            num(target),
                            num(v),
                            if reached { "raggiunge" } else { "non raggiunge" },
                            it(s)
                        ),
                        format!(
                            "Higher is better, target {} ≤ 0: value {} {} the target: {}",
                            num(target),
                            num(v),
                            if reached { "reaches" } else { "does not reach" },
                            it(s)
                        ),
                    ),
                )
            } else {
                let Some(r) = percent_of(v, target) else { return beyond_range(inputs) };
                let r = r.max(Decimal::ZERO);
                let ratio = format!("{} / {} × 100 = {}", num(v), num(target), it(r));
                (r, "rapporto_crescente", (format!("Più alto è meglio: {ratio}"), format!("Higher is better: {ratio}")))
            }
        }
        Direction::Decrescente => {
            if v <= target {
                let r = if v > Decimal::ZERO && target > Decimal::ZERO {
                    let Some(r) = percent_of(target, v) else { return beyond_range(inputs) };
                    r
                } else {
                    ceiling
                };
                let r = if rule.cap.is_some() { r } else { Decimal::ONE_HUNDRED };
                (
                    r,
                    "rapporto_decrescente",
                    (
                        format!("Più basso è meglio: valore {} entro il target {}: {}", num(v), num(target), it(r)),
                        format!("Lower is better: value {} within the target {}: {}", num(v), num(target), it(r)),
                    ),
                )
            } else if v > Decimal::ZERO && target > Decimal::ZERO {
                let Some(r) = percent_of(target, v) else { return beyond_range(inputs) };
                let ratio = format!("{} / {} × 100 = {}", num(target), num(v), it(r));
                (r, "rapporto_decrescente", (format!("Più basso è meglio: {ratio}"), format!("Lower is better: {ratio}")))
            } else {
                (
                    Decimal::ZERO,
                    "rapporto_decrescente",
                    (
                        format!("Più basso è meglio: valore {} oltre il target {}: 0,00", num(v), num(target)),
                        format!("Lower is better: value {} beyond the target {}: 0,00", num(v), num(target)),
                    ),
                )
            }
        }
    };
    let s = raw.min(ceiling);
    let (capped, capped_en) = if s < raw { (format!(", limitato a {}", it(s)), format!(", capped at {}", it(s))) } else { Default::default() };
    scored(Outcome::Score(s), rule_code, inputs, (format!("{}{capped}.", how.0), format!("{}{capped_en}.", how.1)))
}

fn bands(bands: &[Band], interpolate: bool, v: Decimal) -> Scored {
    let inputs = vec![("valore", num(v))];
    let Some(i) = bands.iter().rposition(|b| b.from <= v) else {
        return scored(
            Outcome::Score(Decimal::ZERO),
            "fasce",
            inputs,
            (format!("Valore {} sotto la prima fascia: 0.", num(v)), format!("Value {} below the first band: 0.", num(v))),
        );
    };
    let b = &bands[i];
    let interval = match b.to {
        Some(to) => format!("[{}, {})", num(b.from), num(to)),
        None => format!("[{}, …)", num(b.from)),
    };
    match (interpolate, b.to, bands.get(i + 1)) {
        (true, Some(to), Some(next)) if v < to => {
            let interpolated =
                (|| b.score.checked_add(v.checked_sub(b.from)?.checked_div(to.checked_sub(b.from)?)?.checked_mul(next.score.checked_sub(b.score)?)?))();
            let Some(s) = interpolated else { return beyond_range(inputs) };
            scored(
                Outcome::Score(s),
                "fasce_interpolate",
                inputs,
                (
                    format!("Valore {} nella fascia {interval}: interpolato tra {} e {} = {}.", num(v), it(b.score), it(next.score), it(s)),
                    format!("Value {} in the band {interval}: interpolated between {} and {} = {}.", num(v), it(b.score), it(next.score), it(s)),
                ),
            )
        }
        _ => scored(
            Outcome::Score(b.score),
            "fasce",
            inputs,
            (format!("Valore {} nella fascia {interval}: {}.", num(v), it(b.score)), format!("Value {} in the band {interval}: {}.", num(v), it(b.score))),
        ),
    }
}

fn deadline(spec: &KpiSpec<'_>, done: Option<chrono::NaiveDate>) -> Scored {
    let Some(Value::Date(Some(due))) = spec.target else {
        return scored(
            Outcome::NotAssessable("scadenza non definita".into()),
            "senza_target",
            vec![],
            ("Scadenza non definita: il KPI non è valutabile.".into(), "No deadline set: the KPI cannot be assessed.".into()),
        );
    };
    let due_it = crate::cycle::format_date_it(*due);
    let Some(done) = done else {
        return scored(
            Outcome::Score(Decimal::ZERO),
            "scadenza",
            vec![("scadenza", due_it.clone())],
            (format!("Non completato (scadenza {due_it}): 0,00."), format!("Not completed (deadline {due_it}): 0,00.")),
        );
    };
    let done_it = crate::cycle::format_date_it(done);
    let inputs = vec![("scadenza", due_it.clone()), ("completato", done_it.clone())];
    if done <= *due {
        return scored(
            Outcome::Score(Decimal::ONE_HUNDRED),
            "scadenza",
            inputs,
            (format!("Completato il {done_it}, entro la scadenza {due_it}: 100,00."), format!("Completed on {done_it}, within the deadline {due_it}: 100,00.")),
        );
    }
    let days = Decimal::from((done - *due).num_days());
    let s = match spec.rule.late_penalty_per_day {
        Some(p) => p.checked_mul(days).and_then(|lost| Decimal::ONE_HUNDRED.checked_sub(lost)).unwrap_or(Decimal::ZERO).max(Decimal::ZERO),
        None => Decimal::ZERO,
    };
    let (how, how_en) = match spec.rule.late_penalty_per_day {
        Some(p) => (format!("100 − {} × {} giorni", num(p), days), format!("100 − {} × {} days", num(p), days)),
        None => ("in ritardo".into(), "late".into()),
    };
    scored(
        Outcome::Score(s),
        "scadenza",
        inputs,
        (
            format!("Completato il {done_it}, {days} giorni dopo la scadenza {due_it}: {how} = {}.", it(s)),
            format!("Completed on {done_it}, {days} days after the deadline {due_it}: {how_en} = {}.", it(s)),
        ),
    )
}

#[cfg(test)]
mod tests;
