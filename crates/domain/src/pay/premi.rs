//! The allocation of the premi of a cycle (SPEC §4): from the plan's scores, the indices, each
//! person's assignments, absences and evaluation, and the fund, to every person's premium for
//! performance organizzativa and individuale, to the cent, each with its explanation.
//!
//! - Who: people with days in the year in a post (interim posts aside) whose role is one of
//!   `premi.ruoli` (default: dipendente). Each day counts once: where posts overlap, the later
//!   one is in force ([`days_in_force`]), and only the days of those roles count, so someone
//!   who becomes a dirigente on 01/08 gets the premi for the days until 31/07 and result pay
//!   for the rest. Absences carry no dates: a year's absences are apportioned to the premi in
//!   proportion to those days.
//! - Organisational score: α·ROE + β·ROD + γ·ROS of each main assignment (weights of PO/EQ
//!   or of the other staff), averaged over the days of each assignment; an index missing (no
//!   objectives) drops out and the other weights renormalise. Interim posts never count, so no
//!   day counts twice.
//! - Individual score: the conciliated score when there is one; else results × w + behaviours
//!   × (100 − w), results being the evaluator's, or the mean of the person's own objectives,
//!   or the ROS. A what-if scenario may replace it.
//! - Only a positive evaluation (≥ `punteggio_minimo`) is paid, in either pool.
//! - Pools: those of the fund (destinations `premi_organizzativa`, `premi_individuale`), or the
//!   premi total split by `quota_individuale`, or what the scenario sets.

use std::collections::{BTreeMap, HashMap};

use crate::money::{Cents, Rounding, report};
use crate::pay::allocation::{Candidate, individual, largest_remainder};
use crate::pay::fund::FundTotals;
use crate::pay::presence::{Absence, Served, Service, days_in_force, presence};
use crate::pay::records::{AbsenceRow, EvaluationRow, Fund};
use crate::pay::rules::{PayRules, TieBreak};
use crate::people::Role;
use crate::people::{Assignment, Person};
use crate::plan::rollup::{Part, weighted_mean};
use crate::plan::round::{it, number};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::plan::engine::ScoredPlan;
use crate::plan::indices::{Indices, UnitIndices};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonPay {
    pub matricola: String,
    pub nome: String,
    pub categoria: String,
    pub ruolo: String,
    pub struttura: String,
    pub direzione: String,
    /// Presence, 0–1, full precision.
    pub presenza: Decimal,
    pub roe: Option<Decimal>,
    pub rod: Option<Decimal>,
    pub ros: Option<Decimal>,
    pub punteggio_organizzativo: Decimal,
    pub coefficiente: Decimal,
    pub punteggio_individuale: Option<Decimal>,
    pub positiva: bool,
    pub organizzativa: Cents,
    pub individuale: Cents,
    pub maggiorazione: Cents,
    pub totale: Cents,
    /// Why, step by step, in Italian.
    pub spiegazione: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Allocation {
    pub anno: i32,
    pub contratto: String,
    /// The article of the differentiation of the individual premium under that contract.
    #[serde(default)]
    pub articolo_differenziazione: String,
    /// Where the pools come from, in words.
    pub fonte_fondo: String,
    pub fondo_organizzativa: Cents,
    pub fondo_individuale: Cents,
    pub pagato_organizzativa: Cents,
    /// Including the uplifts.
    pub pagato_individuale: Cents,
    pub residuo_organizzativa: Cents,
    pub residuo_individuale: Cents,
    pub teste_maggiorazione: usize,
    pub maggiorazione_unitaria: Cents,
    /// Average individual premium before the uplift, in cents.
    pub premio_medio_individuale: Decimal,
    pub persone: Vec<PersonPay>,
    /// Managers' result pay.
    #[serde(default)]
    pub dirigenti: crate::pay::managers::ManagersPay,
}

/// What one person gets and why, staff or manager.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explained {
    pub matricola: String,
    pub nome: String,
    pub punteggio: Option<Decimal>,
    /// (pay item, amount)
    pub voci: Vec<(&'static str, Cents)>,
    pub totale: Cents,
    pub spiegazione: Vec<String>,
}

impl Allocation {
    pub fn total(&self) -> Cents {
        self.pagato_organizzativa + self.pagato_individuale
    }
    pub fn person(&self, matricola: &str) -> Option<&PersonPay> {
        self.persone.iter().find(|p| p.matricola == matricola)
    }

    /// A person's premium or result pay with its reasons.
    pub fn explained(&self, matricola: &str) -> Option<Explained> {
        if let Some(p) = self.person(matricola) {
            return Some(Explained {
                matricola: p.matricola.clone(),
                nome: p.nome.clone(),
                punteggio: p.punteggio_individuale,
                voci: vec![
                    ("Performance organizzativa", p.organizzativa),
                    ("Performance individuale", p.individuale),
                    ("Maggiorazione per la differenziazione", p.maggiorazione),
                ],
                totale: p.totale,
                spiegazione: p.spiegazione.clone(),
            });
        }
        let m = self.dirigenti.dirigenti.iter().find(|m| m.matricola == matricola)?;
        Some(Explained {
            matricola: m.matricola.clone(),
            nome: m.nome.clone(),
            punteggio: m.punteggio,
            voci: vec![("Retribuzione di risultato", m.totale - m.maggiorazione), ("Maggiorazione per la differenziazione", m.maggiorazione)],
            totale: m.totale,
            spiegazione: m.spiegazione.clone(),
        })
    }
}

/// Everything the allocation reads.
pub struct PayInput<'a> {
    pub rules: &'a PayRules,
    pub scores: ScoredPlan<'a>,
    pub indices: &'a Indices,
    pub people: &'a [Person],
    pub assignments: &'a [Assignment],
    pub absences: &'a [AbsenceRow],
    pub evaluations: &'a [EvaluationRow],
    pub fund: Option<&'a Fund>,
    /// What-if: matricola → individual score.
    pub overrides: &'a BTreeMap<String, Decimal>,
}

fn pct(d: Decimal) -> String {
    format!("{}%", number(d))
}

fn euro(c: Cents) -> String {
    format!("{c} €")
}

/// The year's first and last day and its days (365 or 366, unless the rules fix them).
pub fn year_bounds(year: i32, rules: &PayRules) -> (NaiveDate, NaiveDate, Decimal) {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    let days = rules.days_in_year.unwrap_or_else(|| Decimal::from((last - first).num_days() + 1));
    (first, last, days)
}

/// The pools and where they come from.
fn pools(fund: Option<&Fund>, rules: &PayRules) -> (Cents, Cents, String) {
    let totals = fund.map(|f| FundTotals::of(&f.items)).unwrap_or_default();
    let premi = totals.premi_organizzativa + totals.premi_individuale;
    let (mut org, mut ind, mut source) = if totals.premi_individuale > Cents::ZERO {
        (totals.premi_organizzativa, totals.premi_individuale, "fondo risorse decentrate: destinazioni ai premi".to_string())
    } else if premi > Cents::ZERO {
        let ind = premi.percent(rules.individual_share, Rounding::HalfUp).unwrap_or_default();
        (premi - ind, ind, format!("fondo risorse decentrate: premi divisi con quota individuale {}", pct(rules.individual_share)))
    } else {
        (Cents::ZERO, Cents::ZERO, "nessun fondo registrato".to_string())
    };
    if let Some(o) = rules.pool_organisational {
        org = o;
        source = "scenario: importi dei premi fissati".into();
    }
    if let Some(i) = rules.pool_individual {
        ind = i;
        source = "scenario: importi dei premi fissati".into();
    }
    (org, ind, source)
}

/// One post's days in force in the year.
pub(crate) struct Segment<'a> {
    pub days: i64,
    pub a: &'a Assignment,
}

/// Each person's posts (interim posts aside) with the days each is in force, every day once,
/// and the person's days in all of them.
pub(crate) fn posts_in_force(assignments: &[Assignment], first: NaiveDate, last: NaiveDate) -> HashMap<&str, (Vec<Segment<'_>>, i64)> {
    let mut by_person: HashMap<&str, Vec<&Assignment>> = HashMap::new();
    for a in assignments.iter().filter(|a| !a.interim) {
        by_person.entry(a.person_id.as_str()).or_default().push(a);
    }
    by_person
        .into_iter()
        .map(|(person, posts)| {
            let services: Vec<Service> = posts.iter().map(|a| Service { starts: a.starts, ends: a.ends, part_time: a.part_time }).collect();
            let days = days_in_force(&services, first, last);
            let total = days.iter().sum();
            let segments = posts.into_iter().zip(days).filter(|(_, d)| *d > 0).map(|(a, days)| Segment { days, a }).collect();
            (person, (segments, total))
        })
        .collect()
}

pub fn allocate(input: &PayInput<'_>) -> Allocation {
    let PayInput { rules, scores, indices, .. } = *input;
    let year = scores.year;
    let (first, last, year_days) = year_bounds(year, rules);
    let unit_by_id: HashMap<&str, &crate::org::OrgUnit> = scores.units.iter().map(|u| (u.id.as_str(), u)).collect();
    let unit_indices = indices.by_unit(scores.units);
    // The days of the premi's roles only: the other days are paid by result pay, or not here.
    let segments: HashMap<&str, (Vec<Segment<'_>>, i64)> = posts_in_force(input.assignments, first, last)
        .into_iter()
        .map(|(p, (segs, total))| (p, (segs.into_iter().filter(|s| rules.roles.contains(&s.a.role)).collect::<Vec<_>>(), total)))
        .filter(|(_, (segs, _))| !segs.is_empty())
        .collect();
    let mut absences: HashMap<&str, Vec<Absence>> = HashMap::new();
    for a in input.absences {
        absences.entry(a.person_id.as_str()).or_default().push(Absence { cause: a.cause.clone(), days: a.days });
    }
    let evaluations: HashMap<&str, &EvaluationRow> = input.evaluations.iter().map(|e| (e.person_id.as_str(), e)).collect();
    let mut own_objectives: HashMap<&str, Vec<Part<'_>>> = HashMap::new();
    for o in scores.objectives {
        if let (Some(p), Some(s)) = (&o.person_id, scores.board.objectives.get(&o.id)) {
            own_objectives.entry(p.as_str()).or_default().push(Part { code: &o.code, weight: o.weight, outcome: &s.outcome });
        }
    }
    let roe = indices.roe.as_ref().and_then(|i| i.value());
    let mut people: Vec<&Person> = input.people.iter().collect();
    people.sort_by(|a, b| a.matricola.cmp(&b.matricola));

    let mut rows: Vec<PersonPay> = Vec::new();
    // Per row: (organisational weight, individual candidate) when positively evaluated.
    let mut org_weights: Vec<Decimal> = Vec::new();
    let mut candidates: Vec<(usize, Candidate)> = Vec::new();
    for p in people {
        let Some((segs, all_days)) = segments.get(p.id.as_str()) else { continue };
        let Some(main) = segs.iter().max_by_key(|s| (s.days, s.a.starts)) else { continue };
        let mut why = Vec::new();
        let pool_days: i64 = segs.iter().map(|s| s.days).sum();
        let pres = pool_presence(rules, year, year_days, segs, (pool_days, *all_days), absences.get(p.id.as_str()), &mut why);
        let OrgScore { org, coef, ros, rod } = organisational(rules, &unit_by_id, &unit_indices, roe, segs, main, pool_days, &mut why);
        // Individual score.
        let eval = evaluations.get(p.id.as_str());
        let individual_score = match (input.overrides.get(&p.matricola), eval) {
            (Some(v), _) => {
                why.push(format!("Valutazione individuale fissata dallo scenario: {}.", it(*v)));
                Some(*v)
            }
            (None, None) => {
                why.push("Valutazione individuale mancante: nessun premio finché non è registrata.".into());
                None
            }
            (None, Some(e)) => Some(individual_score(e, own_objectives.get(p.id.as_str()), ros, rules, &scores, &mut why)),
        };
        let positive = individual_score.is_some_and(|s| s >= rules.min_score);
        if let Some(s) = individual_score {
            why.push(if positive {
                format!("Valutazione positiva ({} ≥ {}).", it(s), it(rules.min_score))
            } else {
                format!("Valutazione non positiva ({} < {}): nessun premio (art. 9 D.Lgs 150/2009 e CCNL).", it(s), it(rules.min_score))
            });
        }
        let idx = rows.len();
        let (ow, iw) =
            if positive { (org * coef * pres.fraction, individual_score.unwrap_or_default() * coef * pres.fraction) } else { (Decimal::ZERO, Decimal::ZERO) };
        org_weights.push(ow);
        if positive && pres.fraction > Decimal::ZERO {
            let ties = rules
                .tie_break
                .iter()
                .map(|t| match t {
                    TieBreak::PunteggioOrganizzativo => org,
                    TieBreak::Presenza => pres.fraction,
                    TieBreak::Comportamenti => eval.and_then(|e| e.behaviours).unwrap_or_default(),
                })
                .collect();
            candidates.push((idx, Candidate { key: p.matricola.clone(), score: individual_score.unwrap_or_default(), ties, weight: iw }));
        }
        let unit = unit_by_id.get(main.a.unit_id.as_str());
        let direzione = unit_indices.get(main.a.unit_id.as_str()).map(|x| x.direzione.to_string()).unwrap_or_default();
        rows.push(PersonPay {
            matricola: p.matricola.clone(),
            nome: format!("{} {}", p.family_name, p.given_name),
            categoria: main.a.category.code().into(),
            ruolo: main.a.role.code().into(),
            struttura: unit.map(|u| u.code.clone()).unwrap_or_default(),
            direzione,
            presenza: pres.fraction,
            roe,
            rod,
            ros,
            punteggio_organizzativo: org,
            coefficiente: coef,
            punteggio_individuale: individual_score,
            positiva: positive,
            organizzativa: Cents::ZERO,
            individuale: Cents::ZERO,
            maggiorazione: Cents::ZERO,
            totale: Cents::ZERO,
            spiegazione: why,
        });
    }

    split_pools(rules, input.fund, year, rows, &org_weights, &candidates)
}

/// The two pools split among the rows to the cent: the organisational one by weight, the
/// individual one with the differentiation uplift first (SPEC §4), each share explained.
fn split_pools(
    rules: &PayRules,
    fund: Option<&Fund>,
    year: i32,
    mut rows: Vec<PersonPay>,
    org_weights: &[Decimal],
    candidates: &[(usize, Candidate)],
) -> Allocation {
    let (pool_org, pool_ind, source) = pools(fund, rules);
    let org_amounts = largest_remainder(pool_org, org_weights);
    let org_total_weight: Decimal = org_weights.iter().sum();
    let cands: Vec<Candidate> = candidates.iter().map(|(_, c)| c.clone()).collect();
    let split = individual(pool_ind, &cands, rules.uplift_heads, rules.uplift);
    let ind_total_weight: Decimal = cands.iter().map(|c| c.weight).sum();
    for (i, r) in rows.iter_mut().enumerate() {
        r.organizzativa = org_amounts[i];
        if org_weights[i] > Decimal::ZERO {
            r.spiegazione.push(format!(
                "Premio organizzativo: punteggio {} × coefficiente {} × presenza {} = peso {} su {} in tutto; quota del fondo di {} = {}.",
                it(r.punteggio_organizzativo),
                number(r.coefficiente),
                number(Rounding::HalfUp.round(r.presenza, 4).normalize()),
                it(org_weights[i]),
                it(org_total_weight),
                euro(pool_org),
                euro(r.organizzativa)
            ));
        }
    }
    for (k, (i, c)) in candidates.iter().enumerate() {
        let r = &mut rows[*i];
        r.individuale = split.shares[k];
        r.maggiorazione = split.uplifts[k];
        r.spiegazione.push(format!(
            "Premio individuale: punteggio {} × coefficiente {} × presenza {} = peso {} su {} in tutto; quota di {} (il fondo individuale meno le maggiorazioni) = {}.",
            it(c.score),
            number(r.coefficiente),
            number(Rounding::HalfUp.round(r.presenza, 4).normalize()),
            it(c.weight),
            it(ind_total_weight),
            euro(pool_ind - split.uplift * split.heads as i64),
            euro(r.individuale)
        ));
        if r.maggiorazione > Cents::ZERO {
            r.spiegazione.push(format!(
                "Maggiorazione per la differenziazione ({}): tra i {} con la valutazione più alta, {} del premio individuale medio ({}) = {}.",
                rules.contract.differentiation_article(),
                split.heads,
                pct(rules.uplift),
                euro(Cents::from_euros(split.average / Decimal::ONE_HUNDRED, Rounding::HalfUp).unwrap_or_default()),
                euro(r.maggiorazione)
            ));
        }
    }
    for r in &mut rows {
        r.totale = r.organizzativa + r.individuale + r.maggiorazione;
        r.spiegazione.push(format!("Totale: {}.", euro(r.totale)));
    }
    let paid_org: Cents = rows.iter().map(|r| r.organizzativa).sum();
    let paid_ind: Cents = rows.iter().map(|r| r.individuale + r.maggiorazione).sum();
    Allocation {
        anno: year,
        contratto: rules.contract.name().to_string(),
        articolo_differenziazione: rules.contract.differentiation_article().to_string(),
        fonte_fondo: source,
        fondo_organizzativa: pool_org,
        fondo_individuale: pool_ind,
        pagato_organizzativa: paid_org,
        pagato_individuale: paid_ind,
        residuo_organizzativa: pool_org - paid_org,
        residuo_individuale: pool_ind - paid_ind,
        teste_maggiorazione: split.heads,
        maggiorazione_unitaria: split.uplift,
        premio_medio_individuale: split.average,
        persone: rows,
        dirigenti: crate::pay::managers::ManagersPay::default(),
    }
}

/// A person's organisational score and category coefficient over the days of each main post
/// in the premi's roles, and the ROS and ROD they weigh (`None` where no post has one).
struct OrgScore {
    org: Decimal,
    coef: Decimal,
    ros: Option<Decimal>,
    rod: Option<Decimal>,
}

#[allow(clippy::too_many_arguments)]
fn organisational(
    rules: &PayRules,
    unit_by_id: &HashMap<&str, &crate::org::OrgUnit>,
    unit_indices: &HashMap<&str, UnitIndices<'_>>,
    roe: Option<Decimal>,
    segs: &[Segment<'_>],
    main: &Segment<'_>,
    pool_days: i64,
    why: &mut Vec<String>,
) -> OrgScore {
    let total_days = Decimal::from(pool_days);
    let (mut org, mut coef, mut ros_w, mut rod_w) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let (mut ros_any, mut rod_any) = (false, false);
    for s in segs {
        let share = Decimal::from(s.days) / total_days;
        let w = if s.a.role == Role::PoEq { rules.weights_po } else { rules.weights_staff };
        let applies = unit_indices.get(s.a.unit_id.as_str());
        let (ros, rod) = (applies.and_then(|x| x.ros), applies.and_then(|x| x.rod));
        let parts: Vec<(&str, Decimal, Option<Decimal>, String)> = vec![
            ("ROE", w.roe, roe, String::new()),
            ("ROD", w.rod, rod.and_then(|i| i.value()), rod.map(|i| format!(" ({})", i.unit_code)).unwrap_or_default()),
            ("ROS", w.ros, ros.and_then(|i| i.value()), ros.map(|i| format!(" ({})", i.unit_code)).unwrap_or_default()),
        ];
        let counted: Decimal = parts.iter().filter(|(_, wt, v, _)| v.is_some() && *wt > Decimal::ZERO).map(|(_, wt, ..)| *wt).sum();
        let score = if counted > Decimal::ZERO { parts.iter().filter_map(|(_, wt, v, _)| v.map(|v| v * wt)).sum::<Decimal>() / counted } else { Decimal::ZERO };
        let terms: Vec<String> = parts
            .iter()
            .map(|(k, wt, v, at)| match v {
                Some(v) => format!("{} × {k} {}{at}", pct(*wt), it(*v)),
                None => format!("{k} non disponibile"),
            })
            .collect();
        let unit = unit_by_id.get(s.a.unit_id.as_str()).map_or("?", |u| u.code.as_str());
        why.push(format!(
            "Punteggio organizzativo in {unit} ({} giorni{}): {} = {}.",
            s.days,
            if counted < Decimal::ONE_HUNDRED && counted > Decimal::ZERO { ", pesi rinormalizzati sugli indici disponibili" } else { "" },
            terms.join(" + "),
            it(score)
        ));
        org += score * share;
        coef += rules.coefficient(s.a.category) * share;
        if let Some(v) = ros.and_then(|i| i.value()) {
            ros_w += v * share;
            ros_any = true;
        }
        if let Some(v) = rod.and_then(|i| i.value()) {
            rod_w += v * share;
            rod_any = true;
        }
    }
    if segs.len() > 1 {
        why.push(format!("Punteggio organizzativo dell'anno, in proporzione ai giorni di ciascun incarico: {}.", it(org)));
    }
    if segs.iter().any(|s| s.a.category != main.a.category) {
        let terms: Vec<String> =
            segs.iter().map(|s| format!("{} {} × {} giorni", s.a.category.code(), number(rules.coefficient(s.a.category)), s.days)).collect();
        why.push(format!(
            "Coefficiente di categoria in proporzione ai giorni: ({}) / {pool_days} = {}.",
            terms.join(" + "),
            number(Rounding::HalfUp.round(coef, 4).normalize())
        ));
    } else {
        why.push(format!("Coefficiente di categoria {}: {}.", main.a.category.code(), number(coef)));
    }
    OrgScore { org, coef, ros: ros_any.then_some(ros_w), rod: rod_any.then_some(rod_w) }
}

/// Presence in the `pool_days` of the premi's roles, out of `all_days` of service: the year's
/// absences apportioned to those days when the person also served in other roles (result pay
/// counts the rest), explained.
fn pool_presence(
    rules: &PayRules,
    year: i32,
    year_days: Decimal,
    segs: &[Segment<'_>],
    (pool_days, all_days): (i64, i64),
    absences: Option<&Vec<Absence>>,
    why: &mut Vec<String>,
) -> crate::pay::presence::Presence {
    let served: Vec<Served> = segs.iter().map(|s| Served { days: s.days, part_time: s.a.part_time }).collect();
    let mut abs: Vec<Absence> = absences.cloned().unwrap_or_default();
    if pool_days < all_days {
        let share = Decimal::from(pool_days) / Decimal::from(all_days);
        for a in &mut abs {
            a.days *= share;
        }
        why.push(format!(
            "Giorni dei ruoli dei premi: {pool_days} su {all_days} giorni di servizio nel {year} (gli altri sono pagati da un altro istituto); le assenze dell'anno contano in proporzione, {}.",
            pct(report(share * Decimal::ONE_HUNDRED))
        ));
    }
    let pres = presence(&served, &abs, year_days, &rules.absences_reducing, &rules.absences_protected);
    why.push(format!(
        "Presenza: {} giorni in servizio nel {year} ({} ponderati per il part-time), meno {} giorni di assenze che la riducono ({} giorni di assenze che non la riducono), su {} giorni = {}.",
        pres.calendar_days,
        it(pres.service_days),
        it(pres.reduced_days),
        it(pres.kept_days),
        year_days.normalize(),
        pct(report(pres.fraction * Decimal::ONE_HUNDRED)),
    ));
    pres
}

/// The individual score of an evaluation, explained.
fn individual_score(
    e: &EvaluationRow,
    own: Option<&Vec<Part<'_>>>,
    ros: Option<Decimal>,
    rules: &PayRules,
    scores: &ScoredPlan<'_>,
    why: &mut Vec<String>,
) -> Decimal {
    if let Some(c) = e.conciliated {
        why.push(format!("Valutazione individuale dopo la conciliazione: {}.", it(c)));
        return c;
    }
    let results = match (e.results, own) {
        (Some(r), _) => {
            why.push(format!("Risultati valutati: {}.", it(r)));
            Some(r)
        }
        (None, Some(parts)) => {
            let s = weighted_mean(parts, scores.rules.cap);
            let v = s.outcome.score();
            if let Some(v) = v {
                why.push(format!("Risultati dagli obiettivi individuali ({}): {}.", parts.iter().map(|p| p.code).collect::<Vec<_>>().join(", "), it(v)));
            }
            v
        }
        (None, None) => {
            if let Some(v) = ros {
                why.push(format!("Risultati: ROS della struttura, {}.", it(v)));
            }
            ros
        }
    };
    if !e.items.is_empty() {
        let items: Vec<String> = e.items.iter().map(|(code, v)| format!("{code} {}", number(*v))).collect();
        why.push(format!(
            "Comportamenti: {} sulla scala da 1 a {}; la media riportata a 100 = {}.",
            items.join(", "),
            rules.scale.normalize(),
            e.behaviours.map(it).unwrap_or_default()
        ));
    }
    let w = rules.results_weight;
    match (results, e.behaviours) {
        (Some(r), Some(b)) => {
            let s = (r * w + b * (Decimal::ONE_HUNDRED - w)) / Decimal::ONE_HUNDRED;
            why.push(format!(
                "Valutazione individuale: risultati {} × {} + comportamenti {} × {} = {}.",
                it(r),
                pct(w),
                it(b),
                pct(Decimal::ONE_HUNDRED - w),
                it(s)
            ));
            s
        }
        (Some(r), None) => {
            why.push(format!("Valutazione individuale: solo i risultati, {} (comportamenti non valutati).", it(r)));
            r
        }
        (None, Some(b)) => {
            why.push(format!("Valutazione individuale: solo i comportamenti, {} (risultati non disponibili).", it(b)));
            b
        }
        (None, None) => {
            why.push("Valutazione individuale senza risultati né comportamenti: 0.".into());
            Decimal::ZERO
        }
    }
}
