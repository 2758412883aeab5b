//! Managers' result pay as a calculator from a file (`traguardi payout dirigenti`): columns
//! `dirigente,struttura,base,giorni,punteggio,quota` (docs/formats.md). Every row is checked
//! first; with any problem nothing is computed.

use serde::Serialize;
use traguardi_docs::ReadOptions;
use traguardi_docs::export::Sheet;
use traguardi_domain::budget::parse_euro;
use traguardi_domain::money::Cents;
use traguardi_domain::pay::{ResultPay, ResultPayRow, ResultPayRules, result_pay};
use traguardi_domain::value::parse_percent;
use traguardi_domain::{Problem, ProblemKind};

use crate::{AppError, import};

const REQUIRED: [&str; 5] = ["dirigente", "struttura", "base", "giorni", "punteggio"];
const OPTIONAL: [&str; 1] = ["quota"];

/// One output line: a row, a manager's total, or one of the totals.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PayLine {
    /// riga | totale | contributi | irap | totale_complessivo
    pub tipo: &'static str,
    pub dirigente: String,
    pub struttura: String,
    pub base: String,
    pub giorni: String,
    pub punteggio: String,
    pub quota: String,
    pub importo: String,
}

pub async fn dirigenti_from_file(bytes: &[u8], opts: ReadOptions, rules: &ResultPayRules) -> Result<(ResultPay, Vec<PayLine>), AppError> {
    let (table, cols, mut problems) = import::open(bytes, opts, &REQUIRED, &OPTIONAL).await?;
    let style = table.number_style;
    let mut rows = Vec::new();
    for rec in &table.rows {
        let line = rec.line;
        let mut bad = |c: &str, k: ProblemKind| problems.push(Problem::cell(line, c, k));
        let text = |c: &str| cols.get(rec, c).to_string();
        for c in ["dirigente", "struttura"] {
            if text(c).is_empty() {
                bad(c, ProblemKind::Required);
            }
        }
        let mut number = |c: &str| match cols.get(rec, c) {
            "" => {
                problems.push(Problem::cell(line, c, ProblemKind::Required));
                None
            }
            s => style.parse(s).or_else(|| {
                problems.push(Problem::cell(line, c, ProblemKind::BadNumber { value: s.into() }));
                None
            }),
        };
        let (days, score) = (number("giorni"), number("punteggio"));
        let base = match cols.get(rec, "base") {
            "" => {
                problems.push(Problem::cell(line, "base", ProblemKind::Required));
                None
            }
            s => parse_euro(s, style).map_err(|k| problems.push(Problem::cell(line, "base", k))).ok(),
        };
        let share = match cols.get(rec, "quota") {
            "" => Some(rust_decimal::Decimal::ONE_HUNDRED),
            s => parse_percent(s, style).map_err(|k| problems.push(Problem::cell(line, "quota", k))).ok(),
        };
        if let (Some(base), Some(days), Some(score), Some(share)) = (base, days, score, share) {
            let r = ResultPayRow { manager: text("dirigente"), unit: text("struttura"), base, days, score, share };
            match r.check() {
                Ok(()) => rows.push(r),
                Err((c, k)) => problems.push(Problem::cell(line, c, k)),
            }
        }
    }
    problems.into_result()?;
    let pay = result_pay(&rows, rules);
    Ok((pay.clone(), lines(&pay)))
}

fn lines(p: &ResultPay) -> Vec<PayLine> {
    let total = |tipo, dirigente: &str, importo: Cents| PayLine {
        tipo,
        dirigente: dirigente.into(),
        struttura: String::new(),
        base: String::new(),
        giorni: String::new(),
        punteggio: String::new(),
        quota: String::new(),
        importo: importo.euros().to_string(),
    };
    let mut out: Vec<PayLine> = p
        .rows
        .iter()
        .map(|(r, a)| PayLine {
            tipo: "riga",
            dirigente: r.manager.clone(),
            struttura: r.unit.clone(),
            base: r.base.euros().normalize().to_string(),
            giorni: r.days.normalize().to_string(),
            punteggio: r.score.normalize().to_string(),
            quota: r.share.normalize().to_string(),
            importo: a.euros().to_string(),
        })
        .collect();
    out.extend(p.by_manager.iter().map(|(m, t)| total("totale", m, *t)));
    out.push(total("totale", "", p.total));
    out.push(total("contributi", "", p.contributions));
    out.push(total("irap", "", p.irap));
    out.push(total("totale_complessivo", "", p.grand_total));
    out
}

/// The lines as a table for CSV and XLSX.
pub fn sheet(lines: &[PayLine]) -> Sheet {
    Sheet {
        name: "retribuzione di risultato".into(),
        header: ["tipo", "dirigente", "struttura", "base", "giorni", "punteggio", "quota", "importo"].map(String::from).to_vec(),
        rows: lines
            .iter()
            .map(|l| {
                vec![
                    l.tipo.into(),
                    l.dirigente.clone(),
                    l.struttura.clone(),
                    l.base.clone(),
                    l.giorni.clone(),
                    l.punteggio.clone(),
                    l.quota.clone(),
                    l.importo.clone(),
                ]
            })
            .collect(),
    }
}
