//! The rules of the premi of a cycle (SPEC §4), as a `chiave = valore` text (docs/formats.md,
//! "Regole dei premi"). Every key has a default; the text is stored with each scenario, so a
//! payout can always be recomputed with the rules it was made with.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::contract::Contract;
use crate::keyvalue::{Keys, list};
use crate::money::Cents;
use crate::people::{Category, Role};
use crate::{Problem, ProblemKind, Problems};

/// α, β, γ of the organisational score α·ROE + β·ROD + γ·ROS, in % (adding up to 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OrgWeights {
    pub roe: Decimal,
    pub rod: Decimal,
    pub ros: Decimal,
}

/// How ties at the boundary of the uplift's quota are broken, after the individual score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TieBreak {
    /// Higher organisational score first.
    PunteggioOrganizzativo,
    /// Higher presence first.
    Presenza,
    /// Higher behaviour score first.
    Comportamenti,
}

impl TieBreak {
    pub const ALL: [TieBreak; 3] = [TieBreak::PunteggioOrganizzativo, TieBreak::Presenza, TieBreak::Comportamenti];
    pub fn code(self) -> &'static str {
        match self {
            TieBreak::PunteggioOrganizzativo => "punteggio_organizzativo",
            TieBreak::Presenza => "presenza",
            TieBreak::Comportamenti => "comportamenti",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayRules {
    /// The contract whose rules and articles apply (shown on every document).
    pub contract: Contract,
    /// The denominator of presence: `None` = the days of the cycle's year (365 or 366).
    pub days_in_year: Option<Decimal>,
    /// Dimension codes whose objectives make each index; empty = all.
    pub ros_dimensions: Vec<String>,
    pub rod_dimensions: Vec<String>,
    pub roe_dimensions: Vec<String>,
    /// Staff (`pesi.dipendenti`) and PO/EQ (`pesi.po_eq`).
    pub weights_staff: OrgWeights,
    pub weights_po: OrgWeights,
    /// Category code → coefficient; a category not listed counts 1.
    pub coefficients: BTreeMap<String, Decimal>,
    /// Roles whose people share the premi.
    pub roles: Vec<Role>,
    /// % of the premi for the individual pool when the fund does not split them.
    pub individual_share: Decimal,
    /// The least % of the premi the individual pool may have (art. 80 c.3: 30).
    pub individual_min: Decimal,
    /// Below this individual score the evaluation is not positive: no premium.
    pub min_score: Decimal,
    /// Weight % of the results in the individual score (the rest: behaviours).
    pub results_weight: Decimal,
    /// Quota of heads of the uplift, % of the positively evaluated.
    pub uplift_heads: Decimal,
    /// The uplift, % of the average individual premium (art. 81: at least 30).
    pub uplift: Decimal,
    pub tie_break: Vec<TieBreak>,
    /// Payroll cause codes of absences that reduce presence.
    pub absences_reducing: Vec<String>,
    /// Maternity, paternity, parental leave and any other cause the CCDI protects: never
    /// reduce presence. Always holds [`LAW_PROTECTED`]. Codes are upper case.
    pub absences_protected: Vec<String>,
    /// What-if: the pools, replacing those of the fund.
    pub pool_organisational: Option<Cents>,
    pub pool_individual: Option<Cents>,
    pub managers: ManagerRules,
    /// The catalogue of behaviours evaluated, and the scale of their scores (1 to `scale`).
    pub behaviours: Vec<Behaviour>,
    pub scale: Decimal,
}

/// One behaviour of the catalogue: its code, what it is, and the categories it applies to
/// (none listed: all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Behaviour {
    pub code: String,
    pub name: String,
    pub categories: Vec<String>,
}

impl Behaviour {
    pub fn applies_to(&self, category: Category) -> bool {
        self.categories.is_empty() || self.categories.iter().any(|c| c == category.code())
    }
}

/// Managers' result pay (art. 9 D.Lgs 150/2009; CCNL Area Funzioni Locali 17/12/2020).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManagerRules {
    /// Roles paid result pay by position.
    pub roles: Vec<Role>,
    /// Denominator of the days in post (days capped at it).
    pub days_in_year: Decimal,
    /// Share % of the position's result pay for an interim post.
    pub interim_share: Decimal,
    /// Weights % of results, behaviours and the capacity to differentiate (renormalised over
    /// those available).
    pub weight_results: Decimal,
    pub weight_behaviours: Decimal,
    pub weight_differentiation: Decimal,
    /// Standard deviation of the scores a manager gave that counts as full differentiation.
    pub target_spread: Decimal,
    /// Employer contributions and IRAP, % of the total.
    pub contributions: Decimal,
    pub irap: Decimal,
    /// Differentiation (art. 30 CCNL Area Funzioni Locali 17/12/2020): % of the positively
    /// evaluated managers (rounded down, at least one; 0 = not applied) whose result pay is
    /// raised by `uplift` % of the average result pay.
    pub uplift_heads: Decimal,
    pub uplift: Decimal,
    /// Payment times (DL 13/2023 art. 4-bis): the code of the objective on the payment times
    /// and the share % of the score that depends on it (at least 30).
    pub payment_times_objective: Option<String>,
    pub payment_times_share: Decimal,
}

impl Default for ManagerRules {
    fn default() -> Self {
        ManagerRules {
            roles: vec![Role::Direttore, Role::Dirigente],
            days_in_year: Decimal::from(365),
            interim_share: Decimal::ONE_HUNDRED,
            weight_results: Decimal::from(60),
            weight_behaviours: Decimal::from(30),
            weight_differentiation: Decimal::from(10),
            target_spread: Decimal::from(10),
            contributions: Decimal::new(238, 1),
            irap: Decimal::new(85, 1),
            uplift_heads: Decimal::from(10),
            uplift: Decimal::from(30),
            payment_times_objective: None,
            payment_times_share: Decimal::from(30),
        }
    }
}

/// The payroll causes of maternity, paternity and parental leave, which never reduce presence
/// (art. 9 c.3 D.Lgs 150/2009), whatever the rules say.
pub const LAW_PROTECTED: [&str; 3] = ["MAT", "PAT", "PAR"];

/// The article that protects them, cited when rules try to make them reduce presence.
pub const PROTECTED_ARTICLE: &str = "art. 9 c.3 D.Lgs 150/2009";

/// A payroll cause code as compared everywhere: trimmed, upper case.
pub fn cause_code(s: &str) -> String {
    s.trim().to_uppercase()
}

impl Default for PayRules {
    fn default() -> Self {
        PayRules::for_year(2022)
    }
}

impl PayRules {
    /// The defaults of a cycle's year: its contract's rules.
    pub fn for_year(year: i32) -> Self {
        let pct = |roe: i64, rod: i64, ros: i64| OrgWeights { roe: Decimal::from(roe), rod: Decimal::from(rod), ros: Decimal::from(ros) };
        PayRules {
            contract: Contract::for_year(year),
            days_in_year: None,
            ros_dimensions: Vec::new(),
            rod_dimensions: vec!["direzione".into()],
            roe_dimensions: vec!["solidale".into()],
            weights_staff: pct(20, 30, 50),
            weights_po: pct(20, 40, 40),
            coefficients: BTreeMap::new(),
            roles: vec![Role::Dipendente],
            individual_share: Decimal::from(30),
            individual_min: Decimal::from(30),
            min_score: Decimal::from(60),
            results_weight: Decimal::from(60),
            uplift_heads: Decimal::from(10),
            uplift: Decimal::from(30),
            tie_break: vec![TieBreak::PunteggioOrganizzativo, TieBreak::Presenza],
            absences_reducing: Vec::new(),
            absences_protected: LAW_PROTECTED.map(String::from).to_vec(),
            pool_organisational: None,
            pool_individual: None,
            managers: ManagerRules::default(),
            behaviours: Vec::new(),
            scale: Decimal::from(5),
        }
    }
}

/// A number written with `.` as decimal point (as in every settings file), or `None`.
fn number(s: &str) -> Option<Decimal> {
    s.trim().parse::<Decimal>().ok()
}

fn pct_in(keys: &mut Keys, line: usize, k: &str, v: &str, min: Decimal, max: Decimal) -> Option<Decimal> {
    match number(v) {
        Some(n) if n >= min && n <= max => Some(n),
        Some(n) => {
            keys.problems.push(Problem::cell(line, k, ProblemKind::OutOfRange { value: n.to_string(), min: min.to_string(), max: max.to_string() }));
            None
        }
        None => {
            keys.problems.push(Problem::cell(line, k, ProblemKind::BadNumber { value: v.into() }));
            None
        }
    }
}

impl PayRules {
    /// Reads a rules text over the defaults of the cycle's `year`; every problem names its line
    /// and key.
    pub fn parse(text: &str, year: i32) -> Result<PayRules, Problems> {
        let mut r = PayRules::for_year(year);
        let mut keys = Keys::parse(text);
        r.read_organisational(&mut keys);
        r.read_premi(&mut keys);
        r.read_managers(&mut keys);
        r.read_behaviours(&mut keys);
        r.check_together(&mut keys);
        keys.finish(crate::said!("una chiave delle regole dei premi (docs/formats.md)"))?;
        Ok(r)
    }

    /// The contract, the days of the year, the dimensions and weights of the organisational indices.
    fn read_organisational(&mut self, keys: &mut Keys) {
        let hundred = Decimal::ONE_HUNDRED;
        if let Some((line, v)) = keys.take("contratto") {
            match Contract::parse(&v) {
                Some(c) => self.contract = c,
                None => keys.problems.push(Problem::cell(
                    line,
                    "contratto",
                    ProblemKind::NotOneOf { value: v, allowed: Contract::ALL.iter().map(|c| c.code().to_string()).collect() },
                )),
            }
        }
        if let Some((line, v)) = keys.take("giorni_anno") {
            self.days_in_year = match v.as_str() {
                "anno" => None,
                _ => pct_in(keys, line, "giorni_anno", &v, Decimal::ONE, Decimal::from(366)),
            };
        }
        for (k, slot) in
            [("ros.dimensioni", &mut self.ros_dimensions), ("rod.dimensioni", &mut self.rod_dimensions), ("roe.dimensioni", &mut self.roe_dimensions)]
        {
            if let Some((_, v)) = keys.take(k) {
                *slot = if v.trim() == "*" { Vec::new() } else { list(&v) };
            }
        }
        for (k, slot) in [("pesi.dipendenti", &mut self.weights_staff), ("pesi.po_eq", &mut self.weights_po)] {
            let Some((line, v)) = keys.take(k) else { continue };
            let parts: Vec<Option<Decimal>> = list(&v).iter().map(|p| number(p)).collect();
            match parts.as_slice() {
                [Some(a), Some(b), Some(c)] if *a >= Decimal::ZERO && *b >= Decimal::ZERO && *c >= Decimal::ZERO && a + b + c == hundred => {
                    *slot = OrgWeights { roe: *a, rod: *b, ros: *c };
                }
                _ => keys.problems.push(Problem::cell(
                    line,
                    k,
                    ProblemKind::BadFormat { value: v.clone(), expected: crate::said!("tre percentuali ROE, ROD, ROS che sommano 100 (es. 20, 30, 50)") },
                )),
            }
        }
    }

    /// The premi: coefficients, roles, shares and thresholds, the uplift, absences, what-if pools.
    fn read_premi(&mut self, keys: &mut Keys) {
        let hundred = Decimal::ONE_HUNDRED;
        for (cat, line, v) in keys.take_prefixed("coefficiente.") {
            let key = format!("coefficiente.{cat}");
            match Category::parse(&cat) {
                Err(e) => keys.problems.push(Problem::cell(line, &key, e)),
                Ok(c) => {
                    if let Some(n) = pct_in(keys, line, &key, &v, Decimal::ZERO, Decimal::from(10)) {
                        self.coefficients.insert(c.code().to_string(), n);
                    }
                }
            }
        }
        if let Some(roles) = roles(keys, "premi.ruoli") {
            self.roles = roles;
        }
        let percents: [(&str, &mut Decimal, Decimal, Decimal); 6] = [
            ("quota_individuale", &mut self.individual_share, Decimal::ZERO, hundred),
            ("quota_individuale_minima", &mut self.individual_min, Decimal::from(30), hundred),
            ("punteggio_minimo", &mut self.min_score, Decimal::ZERO, hundred),
            ("valutazione.peso_risultati", &mut self.results_weight, Decimal::ZERO, hundred),
            ("differenziazione.quota_teste", &mut self.uplift_heads, Decimal::ZERO, hundred),
            ("differenziazione.maggiorazione", &mut self.uplift, Decimal::from(30), hundred),
        ];
        for (k, slot, min, max) in percents {
            if let Some((line, v)) = keys.take(k)
                && let Some(n) = pct_in(keys, line, k, &v, min, max)
            {
                *slot = n;
            }
        }
        if let Some((line, v)) = keys.take("differenziazione.spareggio") {
            let mut order = Vec::new();
            for p in list(&v) {
                match TieBreak::ALL.into_iter().find(|t| t.code() == p) {
                    Some(t) => order.push(t),
                    None => keys.problems.push(Problem::cell(
                        line,
                        "differenziazione.spareggio",
                        ProblemKind::NotOneOf { value: p, allowed: TieBreak::ALL.iter().map(|t| t.code().to_string()).collect() },
                    )),
                }
            }
            self.tie_break = order;
        }
        if let Some((_, v)) = keys.take("assenze.riducono") {
            self.absences_reducing = list(&v).iter().map(|c| cause_code(c)).collect();
        }
        if let Some((line, v)) = keys.take("assenze.tutelate") {
            self.absences_protected = list(&v).iter().map(|c| cause_code(c)).collect();
            let missing: Vec<&str> = LAW_PROTECTED.into_iter().filter(|c| !self.absences_protected.iter().any(|p| p == c)).collect();
            if !missing.is_empty() {
                keys.problems.push(Problem::cell(
                    line,
                    "assenze.tutelate",
                    ProblemKind::BadFormat {
                        value: v.clone(),
                        expected: crate::said!(
                            "le causali tutelate con {causes}: maternità, paternità e congedi parentali non riducono mai la presenza ({article})",
                            causes = missing.join(", "),
                            article = PROTECTED_ARTICLE
                        ),
                    },
                ));
                self.absences_protected.extend(missing.into_iter().map(String::from));
            }
        }
        for c in self.absences_reducing.iter().filter(|c| self.absences_protected.contains(c) || LAW_PROTECTED.contains(&c.as_str())) {
            keys.problems.push(Problem::column(
                "assenze.riducono",
                ProblemKind::BadFormat {
                    value: c.clone(),
                    expected: crate::said!(
                        "una causale che riduce la presenza: maternità, paternità e congedi parentali non la riducono mai ({article})",
                        article = PROTECTED_ARTICLE
                    ),
                },
            ));
        }
        for (k, slot) in [("fondo.organizzativa", &mut self.pool_organisational), ("fondo.individuale", &mut self.pool_individual)] {
            if let Some((line, v)) = keys.take(k) {
                match number(&v).filter(|n| *n >= Decimal::ZERO).and_then(Cents::exact) {
                    Some(c) => *slot = Some(c),
                    None => keys.problems.push(Problem::cell(
                        line,
                        k,
                        ProblemKind::BadFormat { value: v, expected: crate::said!("un importo in euro, es. 125000.50") },
                    )),
                }
            }
        }
    }

    /// The managers' result pay: roles, payment times, weights, uplift, charges; results prevail.
    fn read_managers(&mut self, keys: &mut Keys) {
        let hundred = Decimal::ONE_HUNDRED;
        if let Some(roles) = roles(keys, "dirigenti.ruoli") {
            self.managers.roles = roles;
        }
        if let Some((_, v)) = keys.take("dirigenti.tempi_pagamento.obiettivo") {
            self.managers.payment_times_objective = Some(v.trim().to_string()).filter(|v| !v.is_empty());
        }
        let m = &mut self.managers;
        let managers: [(&str, &mut Decimal, Decimal, Decimal); 11] = [
            ("dirigenti.differenziazione.quota_teste", &mut m.uplift_heads, Decimal::ZERO, hundred),
            ("dirigenti.differenziazione.maggiorazione", &mut m.uplift, Decimal::from(30), hundred),
            ("dirigenti.tempi_pagamento.quota", &mut m.payment_times_share, Decimal::from(30), hundred),
            ("dirigenti.giorni_anno", &mut m.days_in_year, Decimal::ONE, Decimal::from(366)),
            ("dirigenti.quota_interim", &mut m.interim_share, Decimal::ZERO, hundred),
            ("dirigenti.peso_risultati", &mut m.weight_results, Decimal::ZERO, hundred),
            ("dirigenti.peso_comportamenti", &mut m.weight_behaviours, Decimal::ZERO, hundred),
            ("dirigenti.peso_differenziazione", &mut m.weight_differentiation, Decimal::ZERO, hundred),
            ("dirigenti.scarto_obiettivo", &mut m.target_spread, Decimal::new(1, 2), hundred),
            ("dirigenti.contributi", &mut m.contributions, Decimal::ZERO, hundred),
            ("dirigenti.irap", &mut m.irap, Decimal::ZERO, hundred),
        ];
        for (k, slot, min, max) in managers {
            if let Some((line, v)) = keys.take(k)
                && let Some(n) = pct_in(keys, line, k, &v, min, max)
            {
                *slot = n;
            }
        }
        if self.managers.weight_results <= self.managers.weight_behaviours.max(self.managers.weight_differentiation) {
            keys.problems.push(Problem::column(
                "dirigenti.peso_risultati",
                ProblemKind::BadFormat {
                    value: self.managers.weight_results.normalize().to_string(),
                    expected: crate::said!("un peso prevalente: i risultati pesano più di ogni altra voce (art. 9 c.1 D.Lgs 150/2009)"),
                },
            ));
        }
    }

    /// The catalogue of behaviours, the categories each applies to, and their scale.
    fn read_behaviours(&mut self, keys: &mut Keys) {
        let mut applies: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
        for (code, line, v) in keys.take_prefixed("comportamento_categorie.") {
            let mut cats = Vec::new();
            for c in list(&v) {
                match Category::parse(&c) {
                    Ok(c) => cats.push(c.code().to_string()),
                    Err(e) => keys.problems.push(Problem::cell(line, &format!("comportamento_categorie.{code}"), e)),
                }
            }
            applies.insert(code, (line, cats));
        }
        for (code, _, name) in keys.take_prefixed("comportamento.") {
            let categories = applies.remove(&code).map(|(_, c)| c).unwrap_or_default();
            self.behaviours.push(Behaviour { code: code.to_uppercase(), name, categories });
        }
        for (code, (line, _)) in applies {
            keys.problems.push(Problem::cell(
                line,
                &format!("comportamento_categorie.{code}"),
                ProblemKind::BadFormat { value: code.clone(), expected: crate::said!("un comportamento del catalogo (comportamento.{code} = …)", code) },
            ));
        }
        if let Some((line, v)) = keys.take("comportamenti.scala")
            && let Some(n) = pct_in(keys, line, "comportamenti.scala", &v, Decimal::TWO, Decimal::ONE_HUNDRED)
        {
            self.scale = n;
        }
    }

    /// What holds between keys: the individual share, the what-if pools, each role paid once.
    fn check_together(&mut self, keys: &mut Keys) {
        if self.individual_share < self.individual_min {
            keys.problems.push(Problem::column(
                "quota_individuale",
                ProblemKind::OutOfRange { value: self.individual_share.to_string(), min: self.individual_min.to_string(), max: "100".into() },
            ));
        }
        // What-if pools: the individual one is at least the least share of the two.
        if let (Some(o), Some(i)) = (self.pool_organisational, self.pool_individual)
            && let Some(problem) = self.individual_pool_problem(o, i)
        {
            keys.problems.push(Problem::column("fondo.individuale", problem));
        }
        // Each day is paid once: a role is in the premi or in the result pay, never both.
        for role in self.roles.iter().filter(|x| self.managers.roles.contains(x)) {
            keys.problems.push(Problem::column(
                "dirigenti.ruoli",
                ProblemKind::BadFormat {
                    value: role.code().into(),
                    expected: crate::said!(
                        "ruoli diversi da premi.ruoli: ogni giorno di servizio è pagato da un solo istituto (premi o retribuzione di risultato)"
                    ),
                },
            ));
        }
    }

    /// The canonical text: every key, in a fixed order; `parse(to_text())` gives the same rules.
    pub fn to_text(&self) -> String {
        let n = |d: Decimal| d.normalize().to_string();
        let w = |o: &OrgWeights| format!("{}, {}, {}", n(o.roe), n(o.rod), n(o.ros));
        let dims = |d: &[String]| if d.is_empty() { "*".to_string() } else { d.join(", ") };
        let mut out = vec![
            format!("contratto = {}", self.contract.code()),
            format!("giorni_anno = {}", self.days_in_year.map_or("anno".into(), n)),
            format!("ros.dimensioni = {}", dims(&self.ros_dimensions)),
            format!("rod.dimensioni = {}", dims(&self.rod_dimensions)),
            format!("roe.dimensioni = {}", dims(&self.roe_dimensions)),
            format!("pesi.dipendenti = {}", w(&self.weights_staff)),
            format!("pesi.po_eq = {}", w(&self.weights_po)),
        ];
        out.extend(self.coefficients.iter().map(|(c, v)| format!("coefficiente.{c} = {}", n(*v))));
        out.push(format!("premi.ruoli = {}", self.roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(", ")));
        out.push(format!("quota_individuale = {}", n(self.individual_share)));
        out.push(format!("quota_individuale_minima = {}", n(self.individual_min)));
        out.push(format!("punteggio_minimo = {}", n(self.min_score)));
        out.push(format!("valutazione.peso_risultati = {}", n(self.results_weight)));
        out.push(format!("differenziazione.quota_teste = {}", n(self.uplift_heads)));
        out.push(format!("differenziazione.maggiorazione = {}", n(self.uplift)));
        out.push(format!("differenziazione.spareggio = {}", self.tie_break.iter().map(|t| t.code()).collect::<Vec<_>>().join(", ")));
        out.push(format!("assenze.riducono = {}", self.absences_reducing.join(", ")));
        out.push(format!("assenze.tutelate = {}", self.absences_protected.join(", ")));
        out.push(format!("comportamenti.scala = {}", n(self.scale)));
        for b in &self.behaviours {
            out.push(format!("comportamento.{} = {}", b.code.to_lowercase(), b.name));
            if !b.categories.is_empty() {
                out.push(format!("comportamento_categorie.{} = {}", b.code.to_lowercase(), b.categories.join(", ")));
            }
        }
        let m = &self.managers;
        out.push(format!("dirigenti.ruoli = {}", m.roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(", ")));
        out.push(format!("dirigenti.giorni_anno = {}", n(m.days_in_year)));
        out.push(format!("dirigenti.quota_interim = {}", n(m.interim_share)));
        out.push(format!("dirigenti.peso_risultati = {}", n(m.weight_results)));
        out.push(format!("dirigenti.peso_comportamenti = {}", n(m.weight_behaviours)));
        out.push(format!("dirigenti.peso_differenziazione = {}", n(m.weight_differentiation)));
        out.push(format!("dirigenti.scarto_obiettivo = {}", n(m.target_spread)));
        out.push(format!("dirigenti.contributi = {}", n(m.contributions)));
        out.push(format!("dirigenti.irap = {}", n(m.irap)));
        out.push(format!("dirigenti.differenziazione.quota_teste = {}", n(m.uplift_heads)));
        out.push(format!("dirigenti.differenziazione.maggiorazione = {}", n(m.uplift)));
        if let Some(o) = &m.payment_times_objective {
            out.push(format!("dirigenti.tempi_pagamento.obiettivo = {o}"));
        }
        out.push(format!("dirigenti.tempi_pagamento.quota = {}", n(m.payment_times_share)));
        if let Some(c) = self.pool_organisational {
            out.push(format!("fondo.organizzativa = {}", c.euros()));
        }
        if let Some(c) = self.pool_individual {
            out.push(format!("fondo.individuale = {}", c.euros()));
        }
        out.join("\n") + "\n"
    }

    /// Why an individual pool of `individual` beside an organisational one of `organisational`
    /// breaks the contract's least share (art. 68 c.3 / art. 80 c.3), if it does.
    pub fn individual_pool_problem(&self, organisational: Cents, individual: Cents) -> Option<ProblemKind> {
        let total = (organisational + individual).euros();
        if total <= Decimal::ZERO || individual.euros() * Decimal::ONE_HUNDRED >= total * self.individual_min {
            return None;
        }
        let share = individual.euros() * Decimal::ONE_HUNDRED / total;
        Some(ProblemKind::BadFormat {
            value: format!("{}%", crate::plan::round::it(share)),
            expected: crate::said!(
                "un fondo individuale di almeno il {min}% dei premi ({article})",
                min = self.individual_min.normalize(),
                article = self.contract.individual_share_article()
            ),
        })
    }

    /// Whether a payroll cause reduces presence: listed as reducing and never protected, by law
    /// or by the rules; compared without regard to case.
    pub fn reduces_presence(&self, cause: &str) -> bool {
        let c = cause_code(cause);
        self.absences_reducing.contains(&c) && !self.absences_protected.contains(&c) && !LAW_PROTECTED.contains(&c.as_str())
    }

    /// The coefficient of a category (1 when not listed).
    pub fn coefficient(&self, c: Category) -> Decimal {
        self.coefficients.get(c.code()).copied().unwrap_or(Decimal::ONE)
    }
}

/// A list of roles under `key`, each one known; none when the key is absent.
fn roles(keys: &mut Keys, key: &str) -> Option<Vec<Role>> {
    let (line, v) = keys.take(key)?;
    let mut roles = Vec::new();
    for p in list(&v) {
        match Role::parse(&p) {
            Ok(role) => roles.push(role),
            Err(e) => keys.problems.push(Problem::cell(line, key, e)),
        }
    }
    Some(roles)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn defaults_round_trip() {
        for year in [2020, 2023, 2026] {
            let r = PayRules::for_year(year);
            assert_eq!(PayRules::parse(&r.to_text(), year), Ok(r.clone()));
            assert_eq!(PayRules::parse("", year), Ok(r));
        }
        // A stored text names its contract, whatever the year it is read for.
        let r2018 = PayRules::for_year(2020);
        assert_eq!(PayRules::parse(&r2018.to_text(), 2024).map(|r| r.contract), Ok(Contract::Fl2016_2018));
    }

    #[test]
    fn a_full_text() {
        let r = PayRules::parse(
            "pesi.dipendenti = 25, 25, 50\ncoefficiente.C = 1.2\ncoefficiente.istruttori = 1.25\npremi.ruoli = dipendente, po\n\
             differenziazione.quota_teste = 15\nassenze.riducono = ASP, AST\nfondo.individuale = 30000.50\ngiorni_anno = 365\n\
             dirigenti.quota_interim = 30\ndirigenti.ruoli = direttore, dirigente, segretario\n\
             comportamento.C1 = Orientamento al risultato\ncomportamento.C2 = Valutazione dei collaboratori\ncomportamento_categorie.c2 = DI\ncomportamenti.scala = 4\n",
            2023,
        )
        .expect("parses");
        assert_eq!(r.weights_staff, OrgWeights { roe: dec!(25), rod: dec!(25), ros: dec!(50) });
        assert_eq!((r.coefficient(Category::C), r.coefficient(Category::Ir), r.coefficient(Category::A)), (dec!(1.2), dec!(1.25), dec!(1)));
        assert_eq!(r.roles, [Role::Dipendente, Role::PoEq]);
        assert_eq!((r.uplift_heads, r.pool_individual, r.days_in_year), (dec!(15), Some(Cents::new(3_000_050)), Some(dec!(365))));
        assert_eq!((r.managers.interim_share, r.managers.roles.len()), (dec!(30), 3));
        assert_eq!((r.scale, r.behaviours.len(), r.behaviours[1].code.as_str()), (dec!(4), 2, "C2"));
        assert!(r.behaviours[0].applies_to(Category::A) && !r.behaviours[1].applies_to(Category::A) && r.behaviours[1].applies_to(Category::Dirigente));
        assert_eq!(PayRules::parse(&r.to_text(), 2023), Ok(r));
    }

    #[test]
    fn every_bad_key_is_named() {
        let e = PayRules::parse(
            "pesi.dipendenti = 30, 30, 30\ncoefficiente.Z = 1\ndifferenziazione.maggiorazione = 20\nassenze.riducono = ASP, MAT\nquota_individuale = 20\nsconosciuta = 1\n\
             dirigenti.peso_risultati = 30\ncontratto = 2020-2022\n",
            2023,
        )
        .expect_err("refused");
        let text: Vec<String> = e.0.iter().map(|p| p.describe(crate::Lang::It)).collect();
        assert_eq!(text.len(), 8, "{text:#?}");
        let joined = text.join("\n");
        for needle in [
            "«pesi.dipendenti»",
            "«coefficiente.z»",
            "«differenziazione.maggiorazione»",
            "MAT",
            "«quota_individuale»",
            "«sconosciuta»",
            "«dirigenti.peso_risultati»",
            "«contratto»",
        ] {
            assert!(joined.contains(needle), "{needle} in {joined}");
        }
    }

    fn refusal(text: &str) -> String {
        let e = PayRules::parse(text, 2023).expect_err("refused");
        e.0.iter().map(|p| p.describe(crate::Lang::It)).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn protected_leave_cannot_be_made_to_reduce() {
        // Listed as reducing, in any case.
        assert!(refusal("assenze.riducono = ASP, mat\n").contains("art. 9 c.3 D.Lgs 150/2009"));
        // Removed from the protected causes.
        let r = refusal("assenze.tutelate = MAT, PAR\n");
        assert!(r.contains("«assenze.tutelate»") && r.contains("PAT") && r.contains("art. 9 c.3"), "{r}");
        // Codes are compared without regard to case.
        let ok = PayRules::parse("assenze.riducono = asp, Mal\nassenze.tutelate = mat, pat, par, l104\n", 2023).expect("parses");
        assert_eq!(ok.absences_reducing, ["ASP", "MAL"]);
        assert!(ok.reduces_presence("asp") && ok.reduces_presence("MAL") && !ok.reduces_presence("Mat") && !ok.reduces_presence("L104"));
    }

    #[test]
    fn the_individual_pool_is_at_least_thirty_percent() {
        // 15% of 100.000 €: refused with the year's article.
        let r = refusal("fondo.organizzativa = 85000\nfondo.individuale = 15000\n");
        assert!(r.contains("«fondo.individuale»") && r.contains("15,00%") && r.contains("art. 80 c.3"), "{r}");
        let e = PayRules::parse("fondo.organizzativa = 85000\nfondo.individuale = 15000\n", 2020).expect_err("refused");
        assert!(e.0[0].describe(crate::Lang::It).contains("art. 68 c.3"));
        // Exactly 30% is enough.
        assert!(PayRules::parse("fondo.organizzativa = 70000\nfondo.individuale = 30000\n", 2023).is_ok());
        let r = PayRules::for_year(2023);
        assert!(r.individual_pool_problem(Cents::new(7_000_001), Cents::new(2_999_999)).is_some());
        assert_eq!(r.individual_pool_problem(Cents::ZERO, Cents::ZERO), None);
    }

    #[test]
    fn a_role_is_paid_by_one_pool_only() {
        let r = refusal("premi.ruoli = dipendente, po_eq\ndirigenti.ruoli = dirigente, po_eq\n");
        assert!(r.contains("«dirigenti.ruoli»") && r.contains("po_eq"), "{r}");
    }

    #[test]
    fn the_managers_differentiation_is_on_by_default() {
        assert_eq!(PayRules::for_year(2020).managers.uplift_heads, dec!(10));
    }
}
