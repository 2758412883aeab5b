//! `import peg`: PEG lines, one row per line and year (docs/formats.md). The whole file is
//! checked first; then, in one transaction, the lines of each (anno, CdR) present in the file
//! replace the stored ones. Other years and CdR are untouched.

use std::collections::{BTreeMap, HashMap, HashSet};
use traguardi_domain::said;

use serde::Serialize;
use traguardi_docs::ReadOptions;
use traguardi_domain::budget::{PdcCode, Side, parse_euro, tables};
use traguardi_domain::money::Cents;
use traguardi_domain::value::NumberStyle;
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
    let mut tx = import::begin(store, dry_run).await?;
    let mut r = Reading { cols: &cols, style: table.number_style, glossary: Glossary::load(&mut tx, &ente.id).await?, org: OrgByYear::new(&ente.id) };
    let mut lines: Vec<(BudgetLine, usize)> = Vec::with_capacity(table.rows.len());
    let mut seen: HashMap<LineKey, usize> = HashMap::new();
    for rec in &table.rows {
        let mut row = Problems::default();
        let line = r.line(&mut tx, rec, &mut seen, &mut row).await?;
        match line {
            Some(l) if row.is_empty() => lines.push((l, rec.line)),
            _ => problems.0.extend(row.0),
        }
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
    let report = PegReport { rows: table.rows.len(), imported: per.into_values().collect(), pdc_checked: r.glossary.loaded(), dry_run };
    if !dry_run {
        let change = Change { action: "import peg", entity: "PEG", entity_id: None, before: None::<&()>, after: Some(&report.imported) };
        audit::record(&mut tx, actor, Some(&ente.id), change).await?;
    }
    import::finish(tx, dry_run).await?;
    Ok(report)
}

/// What makes a line one: (bilancio, anno, tipo, CdR, capitolo, articolo).
type LineKey = (i32, i32, String, String, String, String);

/// What reading a line needs beyond its cells: the piano dei conti and each year's CdR.
struct Reading<'t> {
    cols: &'t traguardi_docs::Columns,
    style: NumberStyle,
    glossary: Glossary,
    org: OrgByYear,
}

impl Reading<'_> {
    /// One line of the file, or none when a cell is wrong (each problem in `row`); `seen` gives
    /// the first row of each line read so far.
    async fn line(
        &mut self,
        tx: &mut traguardi_store::Tx,
        rec: &traguardi_docs::Record,
        seen: &mut HashMap<LineKey, usize>,
        row: &mut Problems,
    ) -> Result<Option<BudgetLine>, AppError> {
        let (line, cols) = (rec.line, self.cols);
        let get = |c: &str| cols.get(rec, c);
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
            match self.org.cdr(tx, a, &cdr).await? {
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
            } else if let Some(k) = self.glossary.check(side, code) {
                bad("pdc", k);
            }
        }
        let (missione, programma) = missione_programma(rec, cols, side, row);
        let amounts = self.amounts(rec, side, pdc.as_ref(), row);
        if let (Some(a), Some(b), Some(s)) = (anno, bilancio, side) {
            let key = (b, a, s.letter().to_string(), cdr.clone(), get("capitolo").to_string(), get("articolo").to_string());
            if let Some(first) = seen.insert(key, line) {
                let value = format!("{a} CdR {cdr} {}/{}", get("capitolo"), get("articolo"));
                row.push(Problem::cell(line, "capitolo", ProblemKind::Duplicate { value, first_row: first }));
            }
        }
        let (Some(anno), Some(bilancio), Some(side), Some(unit), Some(Amounts { previsione, cassa, di_cui, titolo })) = (anno, bilancio, side, unit, amounts)
        else {
            return Ok(None);
        };
        Ok(Some(BudgetLine {
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
        }))
    }

    /// The line's amounts and its Titolo (from the code, else as stated; 2 when it has a «di
    /// cui» split, which only capital spending has and which adds up to the forecast).
    fn amounts(&self, rec: &traguardi_docs::Record, side: Option<Side>, pdc: Option<&PdcCode>, row: &mut Problems) -> Option<Amounts> {
        let (line, cols, style) = (rec.line, self.cols, self.style);
        let get = |c: &str| cols.get(rec, c);
        let mut bad = |c: &str, k: ProblemKind| row.push(Problem::cell(line, c, k));
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
                bad("titolo", ProblemKind::BadFormat { value: t.into(), expected: traguardi_domain::said!("un Titolo del bilancio (1–9)") });
                None
            }),
        };
        let mut titolo = pdc.map(PdcCode::titolo);
        if let (Some(from_code), Some(stated)) = (titolo, stated_titolo)
            && from_code != stated
        {
            let other = format!("Titolo {from_code} del codice {}", get("pdc"));
            bad("titolo", ProblemKind::Disagrees { value: stated.to_string(), other, other_row: line });
        }
        titolo = titolo.or(stated_titolo);
        if di_cui.iter().any(Option::is_some) {
            if side != Some(Side::Spesa) || titolo.is_some_and(|t| t != 2) {
                let expected = traguardi_domain::said!("vuoto: il «di cui» vale solo per le spese in conto capitale (Titolo 2)");
                bad("crono_anni_precedenti", ProblemKind::BadFormat { value: String::new(), expected });
            }
            titolo = titolo.or(Some(2));
            let sum: Cents = di_cui.iter().flatten().sum();
            if let Some(p) = previsione
                && sum != p
            {
                let expected = traguardi_domain::said!("che le tre colonne «di cui» sommino alla previsione ({p})", p);
                bad("crono_anni_precedenti", ProblemKind::BadFormat { value: sum.to_string(), expected });
            }
        }
        Some(Amounts { previsione: previsione?, cassa, di_cui: [di_cui[0], di_cui[1], di_cui[2]], titolo })
    }
}

/// A line's amounts: the forecast, the cash, the three «di cui» of capital spending, its Titolo.
struct Amounts {
    previsione: Cents,
    cassa: Option<Cents>,
    di_cui: [Option<Cents>; 3],
    titolo: Option<u8>,
}

/// Missione and Programma of a spending line (D.Lgs 118/2011); empty for revenue.
fn missione_programma(rec: &traguardi_docs::Record, cols: &traguardi_docs::Columns, side: Option<Side>, row: &mut Problems) -> (String, String) {
    let line = rec.line;
    let get = |c: &str| cols.get(rec, c);
    let mut bad = |c: &str, k: ProblemKind| row.push(Problem::cell(line, c, k));
    if side != Some(Side::Spesa) {
        for c in ["missione", "programma"] {
            if !get(c).is_empty() {
                bad(c, ProblemKind::BadFormat { value: get(c).into(), expected: traguardi_domain::said!("vuoto: le entrate non hanno Missione e Programma") });
            }
        }
        return (String::new(), String::new());
    }
    let m = tables::two_digits(get("missione")).map_err(|k| bad("missione", k)).ok();
    let p = tables::two_digits(get("programma")).map_err(|k| bad("programma", k)).ok();
    if let Some(m) = &m
        && tables::missione(m).is_none()
    {
        bad("missione", ProblemKind::NotOneOf { value: m.clone(), allowed: tables::MISSIONI.iter().map(|(c, _)| c.to_string()).collect() });
    } else if let (Some(m), Some(p)) = (&m, &p)
        && tables::programma(m, p).is_none()
    {
        bad("programma", ProblemKind::BadFormat { value: p.clone(), expected: traguardi_domain::said!("un Programma della Missione {m} (D.Lgs 118/2011)", m) });
    }
    (m.unwrap_or_default(), p.unwrap_or_default())
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
                    expected: traguardi_domain::said!("il codice del piano dei conti o la colonna «titolo», per sapere il Titolo della riga"),
                },
            )),
            None => {}
        }
    }
}
