//! The funds of a year (SPEC §4): the fondo risorse decentrate of the staff, the fund of the
//! dirigenti, and the budget of the EQ. Each has stable and variable resources, reductions, the
//! legal cap, and its uses (destinazioni): the two pools of premi for the staff, position and
//! result pay for dirigenti and EQ. Items carry the Conto Annuale code of their voce (e.g. `00G`
//! premi correlati alla performance organizzativa, `00H` individuale) so that the funds
//! reconcile with the payroll tables.

/// Which fund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum FundKind {
    /// Fondo risorse decentrate (art. 79 CCNL 2019–21).
    #[default]
    Dipendenti,
    /// Fondo per la retribuzione di posizione e di risultato dei dirigenti.
    Dirigenti,
    /// Risorse per gli incarichi di Elevata Qualificazione.
    Eq,
}

impl FundKind {
    pub const ALL: [FundKind; 3] = [FundKind::Dipendenti, FundKind::Dirigenti, FundKind::Eq];
    pub fn code(self) -> &'static str {
        match self {
            FundKind::Dipendenti => "dipendenti",
            FundKind::Dirigenti => "dirigenti",
            FundKind::Eq => "eq",
        }
    }
    /// The fund's name in the reader's language.
    pub fn said(self) -> crate::said::Said {
        match self {
            FundKind::Dipendenti => crate::said!("fondo risorse decentrate"),
            FundKind::Dirigenti => crate::said!("fondo dei dirigenti"),
            FundKind::Eq => crate::said!("risorse degli incarichi di EQ"),
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            FundKind::Dipendenti => "fondo risorse decentrate",
            FundKind::Dirigenti => "fondo dei dirigenti",
            FundKind::Eq => "risorse degli incarichi di EQ",
        }
    }
    pub fn parse(s: &str) -> Result<FundKind, ProblemKind> {
        let t = s.trim().to_lowercase();
        FundKind::ALL
            .into_iter()
            .find(|k| k.code() == t)
            .ok_or_else(|| ProblemKind::NotOneOf { value: s.trim().into(), allowed: FundKind::ALL.iter().map(|k| k.code().to_string()).collect() })
    }
    /// The uses a destination of this fund may have.
    pub fn uses(self) -> &'static [Use] {
        match self {
            FundKind::Dipendenti => &[Use::PremiOrganizzativa, Use::PremiIndividuale, Use::Altro],
            FundKind::Dirigenti | FundKind::Eq => &[Use::Posizione, Use::Risultato, Use::Altro],
        }
    }
}

/// The least share of the EQ resources for result pay (art. 17 c.4 CCNL 2019–21: 15%).
pub const EQ_RESULT_MIN_PCT: i64 = 15;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::ProblemKind;
use crate::money::Cents;
use crate::said;
use crate::said::Said;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Nature {
    Stabile,
    Variabile,
    Decurtazione,
    Destinazione,
}

impl Nature {
    pub const ALL: [Nature; 4] = [Nature::Stabile, Nature::Variabile, Nature::Decurtazione, Nature::Destinazione];
    pub fn code(self) -> &'static str {
        match self {
            Nature::Stabile => "stabile",
            Nature::Variabile => "variabile",
            Nature::Decurtazione => "decurtazione",
            Nature::Destinazione => "destinazione",
        }
    }
    pub fn parse(s: &str) -> Result<Nature, ProblemKind> {
        let t = s.trim().to_lowercase();
        Nature::ALL
            .into_iter()
            .find(|n| n.code() == t)
            .ok_or_else(|| ProblemKind::NotOneOf { value: s.trim().into(), allowed: Nature::ALL.iter().map(|n| n.code().to_string()).collect() })
    }
}

/// What a destination pays for: the two pools of premi, or anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Use {
    PremiOrganizzativa,
    PremiIndividuale,
    /// Position pay (dirigenti, EQ).
    Posizione,
    /// Result pay (dirigenti, EQ).
    Risultato,
    Altro,
}

impl Use {
    pub const ALL: [Use; 5] = [Use::PremiOrganizzativa, Use::PremiIndividuale, Use::Posizione, Use::Risultato, Use::Altro];
    pub fn code(self) -> &'static str {
        match self {
            Use::PremiOrganizzativa => "premi_organizzativa",
            Use::PremiIndividuale => "premi_individuale",
            Use::Posizione => "posizione",
            Use::Risultato => "risultato",
            Use::Altro => "altro",
        }
    }
    pub fn parse(s: &str) -> Result<Use, ProblemKind> {
        let t = s.trim().to_lowercase();
        Use::ALL
            .into_iter()
            .find(|u| u.code() == t)
            .ok_or_else(|| ProblemKind::NotOneOf { value: s.trim().into(), allowed: Use::ALL.iter().map(|u| u.code().to_string()).collect() })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FundItem {
    pub voce: String,
    pub description: String,
    pub nature: Nature,
    /// Destinations only.
    pub usage: Use,
    /// ≥ 0 (a reduction is a positive amount of nature `decurtazione`).
    pub amount: Cents,
    /// Resources the law keeps outside the cap of art. 23 c.2 D.Lgs 75/2017 (e.g. PNRR,
    /// incentivi funzioni tecniche).
    pub outside_cap: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct FundTotals {
    pub stable: Cents,
    pub variable: Cents,
    pub reductions: Cents,
    /// stable + variable − reductions.
    pub resources: Cents,
    /// Resources that count against the cap.
    pub under_cap: Cents,
    pub destinations: Cents,
    pub premi_organizzativa: Cents,
    pub premi_individuale: Cents,
    pub position: Cents,
    pub result: Cents,
    /// resources − destinations: carried over to next year.
    pub unspent: Cents,
}

impl FundTotals {
    pub fn of(items: &[FundItem]) -> FundTotals {
        let mut t = FundTotals::default();
        for i in items {
            match i.nature {
                Nature::Stabile => t.stable += i.amount,
                Nature::Variabile => t.variable += i.amount,
                Nature::Decurtazione => t.reductions += i.amount,
                Nature::Destinazione => {
                    t.destinations += i.amount;
                    match i.usage {
                        Use::PremiOrganizzativa => t.premi_organizzativa += i.amount,
                        Use::PremiIndividuale => t.premi_individuale += i.amount,
                        Use::Posizione => t.position += i.amount,
                        Use::Risultato => t.result += i.amount,
                        Use::Altro => {}
                    }
                }
            }
            if i.nature != Nature::Destinazione && !i.outside_cap {
                t.under_cap += if i.nature == Nature::Decurtazione { -i.amount } else { i.amount };
            }
        }
        t.resources = t.stable + t.variable - t.reductions;
        t.unspent = t.resources - t.destinations;
        t
    }

    /// The fund's own checks: uses within resources, the cap, the individual pool at least
    /// `min_individual_pct` % of the premi, the EQ (PO) result pay at least 15% of their
    /// resources, each citing the article of the `contract`. Each problem is a sentence naming
    /// the amounts.
    pub fn problems(&self, kind: FundKind, cap: Option<Cents>, min_individual_pct: Decimal, contract: super::contract::Contract) -> Vec<Said> {
        let mut out = Vec::new();
        if self.destinations > self.resources {
            out.push(said!(
                "le destinazioni ({destinations} €) superano le risorse del fondo ({resources} €)",
                destinations = self.destinations,
                resources = self.resources
            ));
        }
        if let Some(cap) = cap
            && self.under_cap > cap
        {
            out.push(said!(
                "le risorse soggette al limite ({under_cap} €) superano il limite dell'art. 23 c.2 D.Lgs 75/2017 ({cap} €)",
                under_cap = self.under_cap,
                cap
            ));
        }
        let premi = self.premi_organizzativa + self.premi_individuale;
        if premi > Cents::ZERO && self.premi_individuale.euros() * Decimal::ONE_HUNDRED < premi.euros() * min_individual_pct {
            out.push(said!(
                "i premi per la performance individuale ({individuale} €) sono meno del {pct}% dei premi ({premi} €; {article})",
                individuale = self.premi_individuale,
                pct = min_individual_pct.normalize(),
                premi,
                article = contract.individual_share_article()
            ));
        }
        let eq_pay = self.position + self.result;
        if kind == FundKind::Eq && eq_pay > Cents::ZERO && self.result.get() * 100 < eq_pay.get() * EQ_RESULT_MIN_PCT {
            out.push(said!(
                "la retribuzione di risultato delle EQ ({result} €) è meno del {pct}% delle risorse per posizione e risultato ({eq_pay} €; {article})",
                result = self.result,
                pct = EQ_RESULT_MIN_PCT,
                eq_pay,
                article = contract.po_result_article()
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pay::contract::Contract;
    use rust_decimal::dec;

    fn item(voce: &str, nature: Nature, usage: Use, amount: i64, outside_cap: bool) -> FundItem {
        FundItem { voce: voce.into(), description: String::new(), nature, usage, amount: Cents::new(amount), outside_cap }
    }

    #[test]
    fn totals_and_checks() {
        let items = [
            item("00B", Nature::Stabile, Use::Altro, 10_000_000, false),
            item("24P", Nature::Variabile, Use::Altro, 1_000_000, true),
            item("00O", Nature::Variabile, Use::Altro, 2_000_000, false),
            item("00P", Nature::Decurtazione, Use::Altro, 500_000, false),
            item("02P", Nature::Destinazione, Use::Altro, 6_000_000, false),
            item("00G", Nature::Destinazione, Use::PremiOrganizzativa, 4_000_000, false),
            item("00H", Nature::Destinazione, Use::PremiIndividuale, 2_000_000, false),
        ];
        let t = FundTotals::of(&items);
        assert_eq!([t.resources, t.under_cap, t.destinations, t.unspent].map(Cents::get), [12_500_000, 11_500_000, 12_000_000, 500_000]);
        assert!(t.problems(FundKind::Dipendenti, Some(Cents::new(11_500_000)), dec!(30), Contract::Fl2019_2021).is_empty());
        let said = |p: Vec<Said>| p.iter().map(|s| s.describe(crate::Lang::It)).collect::<Vec<_>>();
        let p = said(t.problems(FundKind::Dipendenti, Some(Cents::new(11_000_000)), dec!(40), Contract::Fl2019_2021));
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0], "le risorse soggette al limite (115.000,00 €) superano il limite dell'art. 23 c.2 D.Lgs 75/2017 (110.000,00 €)");
        assert_eq!(
            p[1],
            "i premi per la performance individuale (20.000,00 €) sono meno del 40% dei premi (60.000,00 €; art. 80 c.3 CCNL Funzioni Locali 16/11/2022)"
        );
        // The 2018 contract's article for a cycle under it.
        assert!(said(t.problems(FundKind::Dipendenti, None, dec!(40), Contract::Fl2016_2018))[0].ends_with("art. 68 c.3 CCNL Funzioni Locali 21/05/2018)"));
        // EQ: result pay at least 15% of position and result pay.
        let eq = [
            item("27N", Nature::Stabile, Use::Altro, 10_000_000, false),
            item("448", Nature::Destinazione, Use::Posizione, 9_000_000, false),
            item("449", Nature::Destinazione, Use::Risultato, 1_000_000, false),
        ];
        let p = FundTotals::of(&eq).problems(FundKind::Eq, None, dec!(30), Contract::Fl2019_2021);
        assert_eq!(
            p[0].describe(crate::Lang::En),
            "the EQ's result pay (10.000,00 €) is less than 15% of the resources for position and result (100.000,00 €; art. 17 c.4 CCNL Funzioni Locali 16/11/2022 (elevate qualificazioni))"
        );
        let p = said(p);
        assert_eq!(
            p,
            [
                "la retribuzione di risultato delle EQ (10.000,00 €) è meno del 15% delle risorse per posizione e risultato (100.000,00 €; art. 17 c.4 CCNL Funzioni Locali 16/11/2022 (elevate qualificazioni))"
            ]
        );
    }
}
