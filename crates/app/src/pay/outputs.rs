//! What goes out of the premi: two scenarios compared, the payroll export, the tables of
//! D.Lgs 33/2013 art. 20.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;
use traguardi_docs::export::Sheet;
use traguardi_domain::money::{Cents, report};

use traguardi_domain::pay::premi::Allocation;

/// Two scenarios side by side: per person, each total and the difference.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub a: String,
    pub b: String,
    pub rows: Vec<ComparisonRow>,
    pub total_a: Cents,
    pub total_b: Cents,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComparisonRow {
    pub matricola: String,
    pub nome: String,
    pub a: Cents,
    pub b: Cents,
    pub differenza: Cents,
}

pub fn compare(name_a: &str, a: &Allocation, name_b: &str, b: &Allocation) -> Comparison {
    let mut people: BTreeMap<&str, (&str, Cents, Cents)> = BTreeMap::new();
    for p in &a.persone {
        people.entry(&p.matricola).or_insert((&p.nome, Cents::ZERO, Cents::ZERO)).1 = p.totale;
    }
    for p in &b.persone {
        people.entry(&p.matricola).or_insert((&p.nome, Cents::ZERO, Cents::ZERO)).2 = p.totale;
    }
    Comparison {
        a: name_a.into(),
        b: name_b.into(),
        rows: people.into_iter().map(|(m, (n, x, y))| ComparisonRow { matricola: m.into(), nome: n.into(), a: x, b: y, differenza: y - x }).collect(),
        total_a: a.total(),
        total_b: b.total(),
    }
}

impl Comparison {
    pub fn sheet(&self) -> Sheet {
        Sheet {
            name: "confronto".into(),
            header: vec!["matricola".into(), "nome".into(), self.a.clone(), self.b.clone(), "differenza".into()],
            rows: self
                .rows
                .iter()
                .map(|r| vec![r.matricola.clone(), r.nome.clone(), r.a.euros().to_string(), r.b.euros().to_string(), r.differenza.euros().to_string()])
                .collect(),
        }
    }
}

/// Conto Annuale voci of the premi (contract RALN): what payroll pays them under.
pub const VOCE_ORGANIZZATIVA: &str = "00G";
pub const VOCE_INDIVIDUALE: &str = "00H";
pub const VOCE_RISULTATO: &str = "449";
pub const VOCE_RISULTATO_INTERIM: &str = "00X";

/// The payroll export: one row per person and pay item with an amount.
pub fn payroll_sheet(a: &Allocation) -> Sheet {
    let mut rows = Vec::new();
    for p in &a.persone {
        let items = [
            (VOCE_ORGANIZZATIVA, "premio performance organizzativa", p.organizzativa),
            (VOCE_INDIVIDUALE, "premio performance individuale", p.individuale),
            (VOCE_INDIVIDUALE, "maggiorazione premio individuale per la differenziazione", p.maggiorazione),
        ];
        for (voce, what, cents) in items.into_iter().filter(|(_, _, c)| *c > Cents::ZERO) {
            rows.push(vec![
                p.matricola.clone(),
                p.nome.clone(),
                p.categoria.clone(),
                p.struttura.clone(),
                a.anno.to_string(),
                voce.into(),
                what.into(),
                cents.euros().to_string(),
            ]);
        }
    }
    for r in &a.dirigenti.righe {
        let nome = a.dirigenti.dirigenti.iter().find(|m| m.matricola == r.matricola).map(|m| m.nome.clone()).unwrap_or_default();
        let (voce, what) = if r.interim {
            (VOCE_RISULTATO_INTERIM, "retribuzione di risultato per incarico ad interim")
        } else {
            (VOCE_RISULTATO, "retribuzione di risultato")
        };
        if r.importo > Cents::ZERO {
            rows.push(vec![
                r.matricola.clone(),
                nome,
                "DI".into(),
                r.struttura.clone(),
                a.anno.to_string(),
                voce.into(),
                what.into(),
                r.importo.euros().to_string(),
            ]);
        }
    }
    // The managers' art. 30 uplift is result pay too.
    for m in a.dirigenti.dirigenti.iter().filter(|m| m.maggiorazione > Cents::ZERO) {
        let struttura = a.dirigenti.righe.iter().find(|r| r.matricola == m.matricola && !r.interim).map(|r| r.struttura.clone()).unwrap_or_default();
        rows.push(vec![
            m.matricola.clone(),
            m.nome.clone(),
            "DI".into(),
            struttura,
            a.anno.to_string(),
            VOCE_RISULTATO.into(),
            "maggiorazione retribuzione di risultato per la differenziazione".into(),
            m.maggiorazione.euros().to_string(),
        ]);
    }
    Sheet {
        name: "premi".into(),
        header: ["matricola", "nome", "categoria", "struttura", "anno", "voce", "descrizione", "importo"].map(String::from).to_vec(),
        rows,
    }
}

/// The tables of D.Lgs 33/2013 art. 20, for the staff and for the managers: amounts set aside
/// and paid, the average and highest premium, distribution by band of the highest, and the
/// degree of differentiation.
pub fn transparency_sheet(a: &Allocation) -> Sheet {
    let e = |c: Cents| c.euros().to_string();
    let line = |who: &str, section: &str, what: &str, value: String| vec![who.to_string(), section.to_string(), what.to_string(), value];
    let mut rows = vec![
        line("personale", "stanziato", "premi performance organizzativa", e(a.fondo_organizzativa)),
        line("personale", "stanziato", "premi performance individuale", e(a.fondo_individuale)),
        line("personale", "erogato", "premi performance organizzativa", e(a.pagato_organizzativa)),
        line("personale", "erogato", "premi performance individuale (con maggiorazioni)", e(a.pagato_individuale)),
    ];
    rows.extend(distribution("personale", &a.persone.iter().map(|p| p.totale).collect::<Vec<_>>()));
    rows.push(line(
        "personale",
        "differenziazione",
        "personale con la maggiorazione per la differenziazione",
        a.persone.iter().filter(|p| p.maggiorazione > Cents::ZERO).count().to_string(),
    ));
    let d = &a.dirigenti;
    let set_aside: Cents = d.righe.iter().map(|r| r.importo_pieno).sum();
    rows.push(line("dirigenti", "stanziato", "retribuzione di risultato al punteggio pieno", e(set_aside)));
    rows.push(line("dirigenti", "erogato", "retribuzione di risultato", e(d.totale)));
    rows.extend(distribution("dirigenti", &d.dirigenti.iter().map(|m| m.totale).collect::<Vec<_>>()));
    Sheet { name: "art. 20 D.Lgs 33-2013".into(), header: ["destinatari", "sezione", "voce", "valore"].map(String::from).to_vec(), rows }
}

/// How the amounts paid to a group are spread: how many were evaluated and paid, the average
/// and highest, how many fall in each quarter of the highest, and the coefficient of
/// variation (%).
fn distribution(who: &str, paid: &[Cents]) -> Vec<Vec<String>> {
    let with_premium: Vec<i64> = paid.iter().map(|c| c.get()).filter(|c| *c > 0).collect();
    let max = with_premium.iter().copied().max().unwrap_or(0);
    let n = with_premium.len() as i64;
    let avg = if n > 0 { Decimal::from(with_premium.iter().sum::<i64>()) / Decimal::from(n) } else { Decimal::ZERO };
    let line = |section: &str, what: String, value: String| vec![who.to_string(), section.to_string(), what, value];
    let mut rows = vec![
        line("destinatari", "valutati".into(), paid.len().to_string()),
        line("destinatari", "con premio".into(), n.to_string()),
        line("premio", "medio".into(), report(avg / Decimal::ONE_HUNDRED).to_string()),
        line("premio", "massimo".into(), Cents::new(max).euros().to_string()),
    ];
    for (lo, hi) in [(0, 25), (25, 50), (50, 75), (75, 100)] {
        let count = with_premium.iter().filter(|c| **c * 100 > max * lo && **c * 100 <= max * hi).count();
        rows.push(line("distribuzione", format!("premio oltre il {lo}% e fino al {hi}% del massimo"), count.to_string()));
    }
    rows.push(line("distribuzione", "senza premio".into(), (paid.len() as i64 - n).to_string()));
    let cv = if n > 1 && avg > Decimal::ZERO {
        let var: Decimal = with_premium.iter().map(|c| (Decimal::from(*c) - avg) * (Decimal::from(*c) - avg)).sum::<Decimal>() / Decimal::from(n);
        traguardi_domain::stats::sqrt(var) / avg * Decimal::ONE_HUNDRED
    } else {
        Decimal::ZERO
    };
    rows.push(line("differenziazione", "coefficiente di variazione dei premi (%)".into(), report(cv).to_string()));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(rows: &[Vec<String>], what: &str) -> String {
        rows.iter().find(|r| r[2] == what).map(|r| r[3].clone()).unwrap_or_default()
    }

    #[test]
    fn the_published_average_is_the_rounded_mean_of_the_rows() {
        // Premi of 1,01 € and 1,00 €: the mean is 1,005 €, published 1,01 (half-up; half-even
        // would print 1,00). The rows are cents already; the average is rounded once.
        let rows = distribution("personale", &[101, 100, 0].map(Cents::new));
        assert_eq!(value(&rows, "medio"), "1.01");
        assert_eq!(value(&rows, "massimo"), "1.01");
        assert_eq!((value(&rows, "con premio"), value(&rows, "senza premio")), ("2".to_string(), "1".to_string()));
    }
}
