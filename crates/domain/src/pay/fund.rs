//! The fondo risorse decentrate of a year (SPEC §4): stable and variable resources, reductions,
//! the legal cap, and the uses (destinazioni), among which the two pools of premi. Items carry
//! the Conto Annuale code of their voce (e.g. `00G` premi correlati alla performance
//! organizzativa, `00H` individuale) so that the fund reconciles with the payroll tables.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::ProblemKind;

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
    Altro,
}

impl Use {
    pub const ALL: [Use; 3] = [Use::PremiOrganizzativa, Use::PremiIndividuale, Use::Altro];
    pub fn code(self) -> &'static str {
        match self {
            Use::PremiOrganizzativa => "premi_organizzativa",
            Use::PremiIndividuale => "premi_individuale",
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
    /// Cents, ≥ 0 (a reduction is a positive amount of nature `decurtazione`).
    pub amount: i64,
    /// Resources the law keeps outside the cap of art. 23 c.2 D.Lgs 75/2017 (e.g. PNRR,
    /// incentivi funzioni tecniche).
    pub outside_cap: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct FundTotals {
    pub stable: i64,
    pub variable: i64,
    pub reductions: i64,
    /// stable + variable − reductions.
    pub resources: i64,
    /// Resources that count against the cap.
    pub under_cap: i64,
    pub destinations: i64,
    pub premi_organizzativa: i64,
    pub premi_individuale: i64,
    /// resources − destinations: carried over to next year.
    pub unspent: i64,
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

    /// The fund's own checks: uses within resources, the cap, and the individual pool at
    /// least `min_individual_pct` % of the premi (art. 80 CCNL 2019–21). Each problem is a
    /// sentence naming the amounts.
    pub fn problems(&self, cap: Option<i64>, min_individual_pct: Decimal) -> Vec<String> {
        let e = |c: i64| crate::budget::euro(c);
        let mut out = Vec::new();
        if self.destinations > self.resources {
            out.push(format!("le destinazioni ({} €) superano le risorse del fondo ({} €)", e(self.destinations), e(self.resources)));
        }
        if let Some(cap) = cap
            && self.under_cap > cap
        {
            out.push(format!("le risorse soggette al limite ({} €) superano il limite dell'art. 23 c.2 D.Lgs 75/2017 ({} €)", e(self.under_cap), e(cap)));
        }
        let premi = self.premi_organizzativa + self.premi_individuale;
        if premi > 0 && Decimal::from(self.premi_individuale) * Decimal::ONE_HUNDRED < Decimal::from(premi) * min_individual_pct {
            out.push(format!(
                "i premi per la performance individuale ({} €) sono meno del {}% dei premi ({} €; art. 80 c.3 CCNL 2019-21)",
                e(self.premi_individuale),
                min_individual_pct.normalize(),
                e(premi)
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn item(voce: &str, nature: Nature, usage: Use, amount: i64, outside_cap: bool) -> FundItem {
        FundItem { voce: voce.into(), description: String::new(), nature, usage, amount, outside_cap }
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
        assert_eq!((t.resources, t.under_cap, t.destinations, t.unspent), (12_500_000, 11_500_000, 12_000_000, 500_000));
        assert!(t.problems(Some(11_500_000), dec!(30)).is_empty());
        let p = t.problems(Some(11_000_000), dec!(40));
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0], "le risorse soggette al limite (115.000,00 €) superano il limite dell'art. 23 c.2 D.Lgs 75/2017 (110.000,00 €)");
        assert_eq!(p[1], "i premi per la performance individuale (20.000,00 €) sono meno del 40% dei premi (60.000,00 €; art. 80 c.3 CCNL 2019-21)");
    }
}
