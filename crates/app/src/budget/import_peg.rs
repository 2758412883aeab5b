//! `import peg`: PEG lines, one row per line and year (docs/formats.md). The whole file is
//! checked first; then, in one transaction, the lines of each (anno, CdR) present in the file
//! replace the stored ones. Other years and CdR are untouched.

use std::collections::{BTreeMap, HashMap, HashSet};
use traguardi_domain::said;

use serde::Serialize;
use traguardi_docs::ReadOptions;
use traguardi_domain::budget::{PdcCode, Side, parse_euro, tables};
use traguardi_domain::money::Cents;
use traguardi_domain::{Problem, ProblemKind, Problems};
use traguardi_store::budget::{self, BudgetLine};
use traguardi_store::ente::Ente;
use traguardi_store::{Store, new_id};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::budget::ledger::{Glossary, OrgByYear};
use crate::{Actor, AppError, import};

pub const REQUIRED: [&str; 12] =
    ["anno", "cdr", "cdr_nome", "direzione", "capitolo", "articolo", "pdc", "descrizione", "vincolo", "missione", "programma", "previsione"];
pub const OPTIONAL: [&str; 7] = ["bilancio", "tipo", "cassa", "crono_anni_precedenti", "altri_nuovi_stanziamenti", "programma_triennale_llpp", "titolo"];
const DI_CUI: [&str; 3] = ["crono_anni_precedenti", "altri_nuovi_stanziamenti", "programma_triennale_llpp"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PegReport {
    pub rows: usize,
    /// Lines written, per year and CdR.
    pub imported: Vec<YearCdr>,
    /// False when the ente has no piano dei conti loaded: codes were checked for their form only.
    pub pdc_checked: bool,
    pub dry_run: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct YearCdr {
    pub anno: i32,
    pub cdr: String,
    pub lines: usize,
    /// Lines of this year and CdR stored before, now replaced.
    pub replaced: u64,
    /// Sum of the forecasts.
    pub previsione: Cents,
}

fn year(s: &str) -> Result<i32, ProblemKind> {
    match s.trim().parse::<i32>() {
        Ok(y) if (1990..=2100).contains(&y) => Ok(y),
        _ => Err(ProblemKind::OutOfRange { value: s.into(), min: "1990".into(), max: "2100".into() }),
    }
}

#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn import_peg(store: &Store, actor: &Actor, ente: &Ente, bytes: &[u8], opts: ReadOptions, dry_run: bool) -> Result<PegReport, AppError> {
    actor.require(Right::Administer, said!("importare il PEG"))?;
    let (table, cols, mut problems) = import::open(bytes, opts, &REQUIRED, &OPTIONAL).await?;
    let style = table.number_style;
    let mut tx = import::begin(store, dry_run).await?;
    let glossary = Glossary::load(&mut tx, &ente.id).await?;
    let mut org = OrgByYear::new(&ente.id);

    let mut lines: Vec<(BudgetLine, usize)> = Vec::with_capacity(table.rows.len());
    let mut seen: HashMap<(i32, i32, String, String, String, String), usize> = HashMap::new();
    for rec in &table.rows {
        let line = rec.line;
        let get = |c: &str| cols.get(rec, c);
        let mut row = Problems::default();
        let mut bad = |c: &str, k: ProblemKind| row.push(Problem::cell(line, c, k));
        let anno = year(get("anno")).map_err(|k| bad("anno", k)).ok();
        let bilancio = match get("bilancio") {
            "" => anno,
            b => year(b).map_err(|k| bad("bilancio", k)).ok(),
        };
        let side = match get("tipo") {
            "" => Some(Side::Spesa),
            t => Side::parse(t).or_else(|| {
                bad("tipo", ProblemKind::NotOneOf { value: t.into(), allowed: Side::NAMES.map(String::from).to_vec() });
                None
            }),
        };
        let cdr = get("cdr").to_string();
        let mut unit = None;
        if cdr.is_empty() {
            bad("cdr", ProblemKind::Required);
        } else if let Some(a) = anno {
            match org.cdr(&mut tx, a, &cdr).await? {
                Some(u) => unit = Some(u),
                None => bad("cdr", ProblemKind::UnknownUnit { value: format!("CdR {cdr}") }),
            }
        }
        for c in ["capitolo", "descrizione"] {
            if get(c).is_empty() {
                bad(c, ProblemKind::Required);
            }
        }
        let pdc = match get("pdc") {
            "" => None,
            p => PdcCode::parse(p).map_err(|k| bad("pdc", k)).ok(),
        };
        if let (Some(code), Some(side)) = (&pdc, side) {
            if code.side.is_some_and(|s| s != side) {
                bad("pdc", ProblemKind::Disagrees { value: get("pdc").into(), other: format!("tipo {}", side.name()), other_row: line });
            } else if let Some(k) = glossary.check(side, code) {
                bad("pdc", k);
            }
        }
        let (missione, programma) = match side {
            Some(Side::Spesa) => {
                let m = tables::two_digits(get("missione")).map_err(|k| bad("missione", k)).ok();
                let p = tables::two_digits(get("programma")).map_err(|k| bad("programma", k)).ok();
                if let Some(m) = &m
                    && tables::missione(m).is_none()
                {
                    bad("missione", ProblemKind::NotOneOf { value: m.clone(), allowed: tables::MISSIONI.iter().map(|(c, _)| c.to_string()).collect() });
                } else if let (Some(m), Some(p)) = (&m, &p)
                    && tables::programma(m, p).is_none()
                {
                    bad("programma", ProblemKind::BadFormat { value: p.clone(), expected: format!("un Programma della Missione {m} (D.Lgs 118/2011)") });
                }
                (m.unwrap_or_default(), p.unwrap_or_default())
            }
            _ => {
                for c in ["missione", "programma"] {
                    if !get(c).is_empty() {
                        bad(c, ProblemKind::BadFormat { value: get(c).into(), expected: "vuoto: le entrate non hanno Missione e Programma".into() });
                    }
                }
                (String::new(), String::new())
            }
        };
        let previsione = match get("previsione") {
            "" => {
                bad("previsione", ProblemKind::Required);
                None
            }
            p => parse_euro(p, style).map_err(|k| bad("previsione", k)).ok(),
        };
        let optional = |c: &str, bad: &mut dyn FnMut(&str, ProblemKind)| match get(c) {
            "" => None,
            v => parse_euro(v, style).map_err(|k| bad(c, k)).ok(),
        };
        let cassa = optional("cassa", &mut bad);
        let di_cui: Vec<Option<Cents>> = DI_CUI.iter().map(|c| optional(c, &mut bad)).collect();
        let stated_titolo = match get("titolo") {
            "" => None,
            t => t.parse::<u8>().ok().filter(|n| side.is_some_and(|s| tables::titolo(s, *n).is_some())).or_else(|| {
                bad("titolo", ProblemKind::BadFormat { value: t.into(), expected: "un Titolo del bilancio (1–9)".into() });
                None
            }),
        };
        let mut titolo = pdc.as_ref().map(PdcCode::titolo);
        if let (Some(from_code), Some(stated)) = (titolo, stated_titolo)
            && from_code != stated
        {
            bad(
                "titolo",
                ProblemKind::Disagrees { value: stated.to_string(), other: format!("Titolo {from_code} del codice {}", get("pdc")), other_row: line },
            );
        }
        titolo = titolo.or(stated_titolo);
        let has_di_cui = di_cui.iter().any(Option::is_some);
        if has_di_cui {
            // The "di cui" split only exists for capital spending, and adds up to the forecast.
            if side != Some(Side::Spesa) || titolo.is_some_and(|t| t != 2) {
                bad(
                    "crono_anni_precedenti",
                    ProblemKind::BadFormat {
                        value: String::new(), expected: "vuoto: il «di cui» vale solo per le spese in conto capitale (Titolo 2)".into()
                    },
                );
            }
            titolo = titolo.or(Some(2));
            let sum: Cents = di_cui.iter().flatten().sum();
            if let Some(p) = previsione
                && sum != p
            {
                bad(
                    "crono_anni_precedenti",
                    ProblemKind::BadFormat { value: sum.to_string(), expected: format!("che le tre colonne «di cui» sommino alla previsione ({p})") },
                );
            }
        }
        if let (Some(a), Some(b), Some(s)) = (anno, bilancio, side) {
            let key = (b, a, s.letter().to_string(), cdr.clone(), get("capitolo").to_string(), get("articolo").to_string());
            if let Some(first) = seen.insert(key, line) {
                bad("capitolo", ProblemKind::Duplicate { value: format!("{a} CdR {cdr} {}/{}", get("capitolo"), get("articolo")), first_row: first });
            }
        }
        if !row.is_empty() {
            problems.0.extend(row.0);
            continue;
        }
        let (Some(anno), Some(bilancio), Some(side), Some(unit), Some(previsione)) = (anno, bilancio, side, unit, previsione) else { continue };
        lines.push((
            BudgetLine {
                id: new_id(),
                bilancio,
                anno,
                side: side.letter().to_string(),
                cdr,
                unit_lineage: unit.lineage_id.clone(),
                cdr_name: Some(get("cdr_nome")).filter(|n| !n.is_empty()).map_or_else(|| unit.name.clone(), str::to_string),
                direzione: get("direzione").into(),
                capitolo: get("capitolo").into(),
                articolo: get("articolo").into(),
                pdc: pdc.as_ref().map(|c| c.digits().to_string()).unwrap_or_default(),
                vincolo: get("vincolo").into(),
                description: get("descrizione").into(),
                missione,
                programma,
                titolo: titolo.map(i32::from).unwrap_or_default(),
                previsione,
                cassa,
                crono_anni_precedenti: di_cui[0],
                altri_nuovi_stanziamenti: di_cui[1],
                programma_triennale_llpp: di_cui[2],
            },
            line,
        ));
    }
    // Stored lines are read only when a line needs its Titolo from them.
    if lines.iter().any(|(l, _)| l.titolo == 0) {
        let stored = budget::all_lines(&mut tx, &ente.id).await?;
        fill_titoli(&mut lines, &stored, &mut problems);
    }
    if lines.is_empty() && problems.is_empty() {
        problems.push(Problem::file(ProblemKind::EmptyFile));
    }
    problems.into_result()?;

    let mut per: BTreeMap<(i32, String), YearCdr> = BTreeMap::new();
    for (l, _) in &lines {
        let e = per.entry((l.anno, l.cdr.clone())).or_insert_with(|| YearCdr { anno: l.anno, cdr: l.cdr.clone(), ..Default::default() });
        e.lines += 1;
        e.previsione += l.previsione;
    }
    for ((anno, cdr), e) in per.iter_mut() {
        e.replaced = budget::delete_year_cdr(&mut tx, &ente.id, *anno, cdr).await?;
    }
    let only: Vec<BudgetLine> = lines.into_iter().map(|(l, _)| l).collect();
    budget::insert_lines(&mut tx, &ente.id, &only).await?;
    let report = PegReport { rows: table.rows.len(), imported: per.into_values().collect(), pdc_checked: glossary.loaded(), dry_run };
    if !dry_run {
        audit::record(
            &mut tx,
            actor,
            Some(&ente.id),
            Change { action: "import peg", entity: "PEG", entity_id: None, before: None::<&()>, after: Some(&report.imported) },
        )
        .await?;
    }
    import::finish(tx, dry_run).await?;
    Ok(report)
}

/// A line printed without a code (e.g. a capital line) takes its Titolo from the same
/// capitolo/articolo of the CdR in another year of the file, or from the stored lines.
fn fill_titoli(lines: &mut [(BudgetLine, usize)], stored: &[BudgetLine], problems: &mut Problems) {
    let key = |l: &BudgetLine| (l.side.clone(), l.cdr.clone(), l.capitolo.clone(), l.articolo.clone());
    let mut known: HashMap<_, i32> = stored.iter().filter(|l| l.titolo > 0).map(|l| (key(l), l.titolo)).collect();
    known.extend(lines.iter().filter(|(l, _)| l.titolo > 0).map(|(l, _)| (key(l), l.titolo)));
    let mut reported = HashSet::new();
    for (l, row) in lines.iter_mut().filter(|(l, _)| l.titolo == 0) {
        match known.get(&key(l)) {
            Some(t) => l.titolo = *t,
            None if reported.insert(*row) => problems.push(Problem::cell(
                *row,
                "pdc",
                ProblemKind::BadFormat {
                    value: String::new(),
                    expected: "il codice del piano dei conti o la colonna «titolo», per sapere il Titolo della riga".into(),
                },
            )),
            None => {}
        }
    }
}
