//! Managers' result pay from the database (SPEC §4): per assignment of a Direttore or
//! Dirigente, the position's base × days in post / `dirigenti.giorni_anno` × final score / 100
//! × share (100, or `dirigenti.quota_interim` for an interim post), rounded to the cent per row;
//! then employer contributions and IRAP on the total.
//!
//! The final score follows art. 9 D.Lgs 150/2009: the results of their structure with prevalent
//! weight (the ROD of a Direzione they lead, else the ROS of their unit, unless the evaluation
//! states them), behaviours, and their capacity to differentiate the evaluations of their staff
//! — the spread (standard deviation) of the individual scores they gave, as a % of
//! `dirigenti.scarto_obiettivo`, at most 100; with fewer than two evaluated it drops out and the
//! weights renormalise. A conciliated score replaces it; below `punteggio_minimo` nothing is paid.

use std::collections::HashMap;

use crate::ids::UnitId;
use crate::money::{Cents, Rounding};
use crate::pay::presence::{Service, days_within};
use crate::pay::records::EvaluationRow;
use crate::pay::{ResultPayRow, ResultPayRules, result_pay};
use crate::people::Assignment;
use crate::plan::round::it;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use crate::pay::premi::{PayInput, PersonPay, posts_in_force};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagerRow {
    pub matricola: String,
    pub struttura: String,
    pub interim: bool,
    pub base: Cents,
    pub giorni: i64,
    pub punteggio: Decimal,
    pub quota: Decimal,
    pub importo: Cents,
    /// What the row would pay at a score of 100 (the amount set aside).
    pub importo_pieno: Cents,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manager {
    pub matricola: String,
    pub nome: String,
    pub punteggio: Option<Decimal>,
    pub differenziazione: Option<Decimal>,
    pub positiva: bool,
    /// The art. 30 uplift (included in `totale`).
    #[serde(default)]
    pub maggiorazione: Cents,
    pub totale: Cents,
    pub spiegazione: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ManagersPay {
    pub righe: Vec<ManagerRow>,
    pub dirigenti: Vec<Manager>,
    pub totale: Cents,
    pub contributi: Cents,
    pub irap: Cents,
    pub totale_complessivo: Cents,
    /// Units held by a manager whose position has no base (`traguardi import posizioni`).
    pub posizioni_mancanti: Vec<String>,
    /// Problems of the rules against the plan (e.g. the payment-times objective not found).
    #[serde(default)]
    pub avvisi: Vec<String>,
}

/// Population standard deviation, by Newton's method in decimals.
fn spread(scores: &[Decimal]) -> Option<Decimal> {
    if scores.len() < 2 {
        return None;
    }
    let n = Decimal::from(scores.len() as i64);
    let mean = scores.iter().sum::<Decimal>() / n;
    let var = scores.iter().map(|s| (s - mean) * (s - mean)).sum::<Decimal>() / n;
    Some(crate::stats::sqrt(var))
}

pub fn managers(input: &PayInput<'_>, staff: &[PersonPay], positions: &HashMap<UnitId, Cents>) -> ManagersPay {
    let rules = &input.rules.managers;
    let m = Managers::of(input, staff);
    let mut out = ManagersPay::default();
    if let Some((code, None)) = &m.payment_times {
        out.avvisi.push(format!("l'obiettivo dei tempi di pagamento {code} non è nel piano del {} o non ha ancora un punteggio", input.scores.year));
    }
    let mut people: Vec<&crate::people::Person> = input.people.iter().filter(|p| m.posts.contains_key(p.id.as_str())).collect();
    people.sort_by(|a, b| a.matricola.cmp(&b.matricola));
    let mut pay_rows = Vec::new();
    for p in people {
        let mut why = Vec::new();
        let (score, differentiation) = m.score(p, &mut why);
        let positive = score.is_some_and(|s| s >= input.rules.min_score);
        if let Some(s) = score
            && !positive
        {
            why.push(format!("Valutazione non positiva ({} < {}): nessuna retribuzione di risultato.", it(s), it(input.rules.min_score)));
        }
        for (a, days) in &m.posts[p.id.as_str()] {
            let unit = m.units.get(a.unit_id.as_str()).map_or("?", |u| u.code.as_str());
            let Some(base) = positions.get(&a.unit_id) else {
                out.posizioni_mancanti.push(unit.to_string());
                why.push(format!("Posizione {unit}: base della retribuzione di risultato non registrata."));
                continue;
            };
            let share = if a.interim { rules.interim_share } else { Decimal::ONE_HUNDRED };
            let score = if positive { score.unwrap_or_default().min(Decimal::ONE_HUNDRED) } else { Decimal::ZERO };
            let row = ResultPayRow { manager: p.matricola.clone(), unit: unit.into(), base: *base, days: Decimal::from(*days), score, share };
            pay_rows.push((row, a.interim));
        }
        out.dirigenti.push(Manager {
            matricola: p.matricola.clone(),
            nome: format!("{} {}", p.family_name, p.given_name),
            punteggio: score,
            differenziazione: differentiation,
            positiva: positive,
            maggiorazione: Cents::ZERO,
            totale: Cents::ZERO,
            spiegazione: why,
        });
    }
    let paid = pay(&mut out, &pay_rows, rules);
    uplift(&mut out, rules, input.rules.contract.managers_differentiation_article());
    for m in &mut out.dirigenti {
        m.spiegazione.push(format!("Totale: {} €.", m.totale));
    }
    out.posizioni_mancanti.sort();
    out.posizioni_mancanti.dedup();
    // Charges on the total with the uplifts, each rounded to the cent.
    let total = paid + out.dirigenti.iter().map(|m| m.maggiorazione).sum::<Cents>();
    let charge = |pct: Decimal| total.percent(pct, Rounding::HalfUp).unwrap_or_default();
    out.totale = total;
    out.contributi = charge(rules.contributions);
    out.irap = charge(rules.irap);
    out.totale_complessivo = out.totale + out.contributi + out.irap;
    out
}

/// What the managers' pay reads of the year, once.
struct Managers<'a> {
    input: &'a PayInput<'a>,
    units: HashMap<&'a str, &'a crate::org::OrgUnit>,
    unit_indices: HashMap<&'a str, crate::plan::indices::UnitIndices<'a>>,
    evaluations: HashMap<&'a str, &'a EvaluationRow>,
    /// The individual scores each evaluator gave.
    given: HashMap<&'a str, Vec<Decimal>>,
    /// Each manager's posts with their days: main posts each day once (the later post in force),
    /// only those of the managers' roles, so days paid by the premi are never paid again here;
    /// interim posts on top.
    posts: HashMap<&'a str, Vec<(&'a Assignment, i64)>>,
    /// The payment-times objective (DL 13/2023 art. 4-bis) and its score, when the rules name one.
    payment_times: Option<(String, Option<Decimal>)>,
}

impl<'a> Managers<'a> {
    fn of(input: &'a PayInput<'a>, staff: &[PersonPay]) -> Managers<'a> {
        let rules = &input.rules.managers;
        let year = input.scores.year;
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
        let units: HashMap<&str, &crate::org::OrgUnit> = input.scores.units.iter().map(|u| (u.id.as_str(), u)).collect();
        let matricola_of: HashMap<&str, &str> = input.people.iter().map(|p| (p.id.as_str(), p.matricola.as_str())).collect();
        let staff_score: HashMap<&str, Decimal> = staff.iter().filter_map(|p| p.punteggio_individuale.map(|s| (p.matricola.as_str(), s))).collect();
        let mut given: HashMap<&str, Vec<Decimal>> = HashMap::new();
        for e in input.evaluations {
            if let (Some(ev), Some(m)) = (&e.evaluator_id, matricola_of.get(e.person_id.as_str()))
                && let Some(s) = staff_score.get(m)
            {
                given.entry(ev.as_str()).or_default().push(*s);
            }
        }
        let mut posts: HashMap<&str, Vec<(&Assignment, i64)>> = HashMap::new();
        for (person, (segments, _)) in posts_in_force(input.assignments, first, last) {
            for s in segments.into_iter().filter(|s| rules.roles.contains(&s.a.role)) {
                posts.entry(person).or_default().push((s.a, s.days));
            }
        }
        for a in input.assignments.iter().filter(|a| a.interim && rules.roles.contains(&a.role)) {
            let days = days_within(&Service { starts: a.starts, ends: a.ends, part_time: a.part_time }, first, last);
            if days > 0 {
                posts.entry(a.person_id.as_str()).or_default().push((a, days));
            }
        }
        for list in posts.values_mut() {
            let code = |a: &Assignment| units.get(a.unit_id.as_str()).map(|u| u.code.clone()).unwrap_or_default();
            list.sort_by_key(|(a, _)| (a.interim, a.starts, code(a)));
        }
        let payment_times = rules.payment_times_objective.as_ref().map(|code| {
            let objective = input.scores.objectives.iter().find(|o| &o.code == code);
            (code.clone(), objective.and_then(|o| input.scores.board.objectives.get(&o.id)).and_then(|s| s.outcome.score()))
        });
        Managers {
            input,
            units,
            unit_indices: input.indices.by_unit(input.scores.units),
            evaluations: input.evaluations.iter().map(|e| (e.person_id.as_str(), e)).collect(),
            given,
            posts,
            payment_times,
        }
    }

    /// A manager's final score and capacity to differentiate, each step told in `why`.
    fn score(&self, p: &crate::people::Person, why: &mut Vec<String>) -> (Option<Decimal>, Option<Decimal>) {
        let rules = &self.input.rules.managers;
        let e = self.evaluations.get(p.id.as_str());
        let results = match e.and_then(|e| e.results) {
            Some(r) => {
                why.push(format!("Risultati valutati: {}.", it(r)));
                Some(r)
            }
            None => self.results_of_structures(p, why),
        };
        let behaviours = e.and_then(|e| e.behaviours);
        let differentiation = self.given.get(p.id.as_str()).and_then(|s| {
            let sd = spread(s)?;
            let idx = (sd / rules.target_spread * Decimal::ONE_HUNDRED).min(Decimal::ONE_HUNDRED);
            why.push(format!(
                "Capacità di differenziare: scarto quadratico medio {} dei {} punteggi attribuiti, su {} = {}.",
                it(sd),
                s.len(),
                it(rules.target_spread),
                it(idx)
            ));
            Some(idx)
        });
        let score = match e {
            None => {
                why.push("Valutazione mancante: nessuna retribuzione di risultato finché non è registrata.".into());
                None
            }
            Some(e) if e.conciliated.is_some() => {
                let c = e.conciliated.unwrap_or_default();
                why.push(format!("Valutazione dopo la conciliazione: {}.", it(c)));
                Some(c)
            }
            Some(_) => {
                let parts = [
                    ("risultati", rules.weight_results, results),
                    ("comportamenti", rules.weight_behaviours, behaviours),
                    ("differenziazione", rules.weight_differentiation, differentiation),
                ];
                let weight: Decimal = parts.iter().filter(|(_, w, v)| v.is_some() && *w > Decimal::ZERO).map(|(_, w, _)| *w).sum();
                let s = if weight > Decimal::ZERO { parts.iter().filter_map(|(_, w, v)| v.map(|v| v * w)).sum::<Decimal>() / weight } else { Decimal::ZERO };
                let terms: Vec<String> =
                    parts.iter().map(|(k, w, v)| v.map_or_else(|| format!("{k} non disponibile"), |v| format!("{k} {} × {}%", it(v), w.normalize()))).collect();
                why.push(format!("Valutazione (art. 9 D.Lgs 150/2009): {} = {}.", terms.join(" + "), it(s)));
                Some(s)
            }
        };
        // DL 13/2023 art. 4-bis: a share of the score depends on the payment-times objective.
        let score = match (score, &self.payment_times) {
            (Some(s), Some((code, Some(t)))) => {
                let q = rules.payment_times_share;
                let adjusted = (s * (Decimal::ONE_HUNDRED - q) + t * q) / Decimal::ONE_HUNDRED;
                why.push(format!(
                    "Tempi di pagamento (DL 13/2023 art. 4-bis): {} × {}% + obiettivo {code} {} × {}% = {}.",
                    it(s),
                    (Decimal::ONE_HUNDRED - q).normalize(),
                    it(*t),
                    q.normalize(),
                    it(adjusted)
                ));
                Some(adjusted)
            }
            (s, _) => s,
        };
        (score, differentiation)
    }

    /// Results not evaluated: those of the structures the manager led (main posts), weighted by
    /// days — the ROD of a Direzione for its Direttore, else the ROS of the unit.
    fn results_of_structures(&self, p: &crate::people::Person, why: &mut Vec<String>) -> Option<Decimal> {
        let (mut sum, mut days) = (Decimal::ZERO, Decimal::ZERO);
        for (a, d) in self.posts[p.id.as_str()].iter().filter(|(a, _)| !a.interim) {
            let applies = self.unit_indices.get(a.unit_id.as_str());
            let own = if a.role == crate::people::Role::Direttore { applies.and_then(|x| x.rod) } else { applies.and_then(|x| x.ros) };
            if let Some(i) = own
                && let Some(v) = i.value()
            {
                why.push(format!("Risultati della struttura {}: {} {} ({} giorni).", i.unit_code, i.kind, it(v), d));
                sum += v * Decimal::from(*d);
                days += Decimal::from(*d);
            }
        }
        (days > Decimal::ZERO).then(|| sum / days)
    }
}

/// Each post's result pay, rounded to the cent per row, added to its manager with the
/// arithmetic told; the total.
fn pay(out: &mut ManagersPay, pay_rows: &[(ResultPayRow, bool)], rules: &crate::pay::rules::ManagerRules) -> Cents {
    let pay_rules = ResultPayRules { days_in_year: rules.days_in_year, contributions: rules.contributions, irap: rules.irap };
    let rows: Vec<ResultPayRow> = pay_rows.iter().map(|(r, _)| r.clone()).collect();
    let paid = result_pay(&rows, &pay_rules);
    for ((r, amount), (_, interim)) in paid.rows.iter().zip(pay_rows) {
        let importo = *amount;
        out.righe.push(ManagerRow {
            matricola: r.manager.clone(),
            struttura: r.unit.clone(),
            interim: *interim,
            base: r.base,
            giorni: r.days.min(rules.days_in_year).to_i64().unwrap_or(0),
            punteggio: r.score,
            quota: r.share,
            importo,
            importo_pieno: ResultPayRow { score: Decimal::ONE_HUNDRED, ..r.clone() }.amount(&pay_rules),
        });
        if let Some(m) = out.dirigenti.iter_mut().find(|m| m.matricola == r.manager) {
            m.totale += importo;
            m.spiegazione.push(format!(
                "{} {}: base {} € × {} giorni / {} × punteggio {} / 100 × quota {}% = {} €.",
                if *interim { "Interim" } else { "Incarico" },
                r.unit,
                r.base,
                r.days.min(rules.days_in_year).normalize(),
                rules.days_in_year.normalize(),
                it(r.score),
                r.share.normalize(),
                importo
            ));
        }
    }
    paid.total
}

/// Art. 30 c.2 CCNL Area Funzioni Locali 17/12/2020: the best-rated managers within a limited
/// quota (`quota_teste` % of the positively evaluated, rounded down, at least one; ties by
/// matricola) receive result pay at least `maggiorazione` % above the average result pay of the
/// positively evaluated, computed before the uplift. Each gets what they lack to reach that
/// minimum, rounded up to the cent; one already above it gets nothing more. The uplift is paid
/// from the result-pay resources: the total with it must fit the dirigenti fund's destination
/// to result pay, a gate of the approval.
fn uplift(out: &mut ManagersPay, rules: &crate::pay::rules::ManagerRules, article: &str) {
    if rules.uplift_heads <= Decimal::ZERO {
        return;
    }
    let paid: Vec<usize> = (0..out.dirigenti.len()).filter(|i| out.dirigenti[*i].positiva && out.dirigenti[*i].totale > Cents::ZERO).collect();
    if paid.is_empty() {
        return;
    }
    let n = Decimal::from(paid.len() as i64);
    let heads = Rounding::Down.whole(n * rules.uplift_heads / Decimal::ONE_HUNDRED).unwrap_or(0).clamp(1, paid.len() as i64) as usize;
    // In euro, full precision.
    let average = paid.iter().map(|i| out.dirigenti[*i].totale).sum::<Cents>().euros() / n;
    let minimum = Cents::from_euros(average * (Decimal::ONE_HUNDRED + rules.uplift) / Decimal::ONE_HUNDRED, Rounding::Up).unwrap_or_default();
    let mut order = paid;
    order.sort_by(|a, b| {
        let (x, y) = (&out.dirigenti[*a], &out.dirigenti[*b]);
        y.punteggio.cmp(&x.punteggio).then_with(|| x.matricola.cmp(&y.matricola))
    });
    for i in order.into_iter().take(heads) {
        let m = &mut out.dirigenti[i];
        m.maggiorazione = (minimum - m.totale).max(Cents::ZERO);
        m.totale += m.maggiorazione;
        m.spiegazione.push(format!(
            "Differenziazione ({article}): tra i {heads} con la valutazione più alta, almeno la retribuzione di risultato media dei valutati positivamente ({} €) aumentata del {}% = {} €; maggiorazione {} €, pagata dalle risorse della retribuzione di risultato.",
            Cents::from_euros(average, Rounding::HalfUp).unwrap_or_default(),
            rules.uplift.normalize(),
            minimum,
            m.maggiorazione
        ));
    }
}
