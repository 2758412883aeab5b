//! REPORT COMMISSIONI: the budget of one Direzione or CdR as the council commissions read it
//! (seed 004): 1.B current spending by CdR and Macroaggregato with the forecasts of the year and
//! the two before; 1.D its summary by Missione and Programma; 2.B capital spending with the
//! "di cui" split of the year's forecast; 2.C its summary; then the Direzione's DUP pages.
//!
//! Which forecast a column shows: for each year, the line's forecast made by the most recent
//! budget (`bilancio`) not later than the report's year. Amounts are summed in cents.

use std::collections::{BTreeMap, HashSet};
use traguardi_domain::said;

use serde::Serialize;
use traguardi_domain::budget::tables;
use traguardi_domain::money::Cents;
use traguardi_store::budget::{self, BudgetLine};
use traguardi_store::ente::Ente;
use traguardi_store::org::OrgUnit;
use traguardi_store::{Store, plan};

use crate::budget::ledger::OrgByYear;
use crate::org::org_tree::subtree;
use crate::{Actor, AppError};
use traguardi_domain::org::enclosing_direzione;

/// What the report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The whole ente: every CdR.
    Ente,
    /// An org unit (by code or CdR) and every CdR below it.
    Direzione(String),
    /// One CdR.
    Cdr(String),
}

/// Three amounts, for the year two before, the year before and the report's year.
pub type Years = [Cents; 3];

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub ente: String,
    pub bilancio: i32,
    pub years: [i32; 3],
    /// "Direzione" or "CdR", and what it names.
    pub scope_kind: String,
    pub scope_code: String,
    pub scope_name: String,
    /// The Direzione as the budget names it (the `direzione` of its lines).
    pub direzione: String,
    pub correnti: Section,
    pub capitale: Section,
    pub dup: Vec<DupPage>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Section {
    pub cdr: Vec<CdrBlock>,
    pub riepilogo: Vec<MissioneBlock>,
    pub total: Years,
    /// The "di cui" split of the report year's forecast (capital only).
    pub di_cui: Years,
}

#[derive(Debug, Clone, Serialize)]
pub struct CdrBlock {
    pub cdr: String,
    pub name: String,
    pub groups: Vec<Group>,
    pub total: Years,
    pub di_cui: Years,
}

/// Lines of one Macroaggregato (or, for capital spending, one Titolo).
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub titolo: i32,
    pub code: String,
    pub name: String,
    pub lines: Vec<Line>,
    pub total: Years,
    pub di_cui: Years,
}

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub capitolo: String,
    pub articolo: String,
    /// Dotted code, or empty.
    pub pdc: String,
    pub vincolo: String,
    pub descrizione: String,
    pub missione: String,
    pub programma: String,
    pub amounts: Years,
    pub di_cui: Years,
}

#[derive(Debug, Clone, Serialize)]
pub struct MissioneBlock {
    pub code: String,
    pub name: String,
    pub programmi: Vec<ProgrammaRow>,
    pub total: Years,
    pub di_cui: Years,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProgrammaRow {
    pub code: String,
    pub name: String,
    pub amounts: Years,
    pub di_cui: Years,
}

#[derive(Debug, Clone, Serialize)]
pub struct DupPage {
    pub missione: String,
    pub missione_name: String,
    pub programma: String,
    pub strategico: String,
    pub operativo: String,
    pub code: String,
    pub direzione: String,
    pub finalita: String,
    /// Objectives of the Piano Triennale per l'Informatica (AGID) the programme answers to.
    pub agid: Vec<String>,
}

/// Where a line sorts in the report: CdR, Titolo, code, capitolo, articolo (numbers as numbers).
type LineKey = (String, i32, String, (u64, String), (u64, String));
/// Amounts and "di cui" per Missione, then Programma.
type Summary = BTreeMap<String, BTreeMap<String, (Years, Years)>>;

/// A line across the three years: its latest description and an amount per year.
struct Merged<'a> {
    latest: &'a BudgetLine,
    amounts: Years,
    di_cui: Years,
}

fn add(a: &mut Years, b: &Years) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += *y;
    }
}

fn numeric_key(s: &str) -> (u64, String) {
    (s.parse().unwrap_or(u64::MAX), s.to_string())
}

#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn build(store: &Store, _actor: &Actor, ente: &Ente, bilancio: i32, scope: &Scope) -> Result<Report, AppError> {
    let mut conn = store.acquire().await?;
    let mut org = OrgByYear::new(&ente.id);
    let units = org.units(&mut conn, bilancio).await?.to_vec();
    let (kind, code) = match scope {
        Scope::Ente => ("Ente", &ente.code.to_string()),
        Scope::Direzione(c) => ("Direzione", c),
        Scope::Cdr(c) => ("CdR", c),
    };
    let root = match scope {
        Scope::Ente => None,
        Scope::Direzione(c) => Some(units.iter().find(|u| &u.code == c || u.cdr.as_deref() == Some(c))),
        Scope::Cdr(c) => Some(units.iter().find(|u| u.cdr.as_deref() == Some(c))),
    };
    let root = match root {
        None => None,
        Some(found) => Some(
            found.ok_or_else(|| AppError::NotFound(said!("{kind} {code} inesistente nella struttura dell'ente per il {bilancio}", kind, code, bilancio)))?,
        ),
    };
    // The units covered, and the Direzione whose DUP pages follow (none: every Direzione).
    let (covered, direzione_unit): (Vec<&OrgUnit>, Option<&OrgUnit>) = match (scope, root) {
        (Scope::Direzione(_), Some(r)) => (subtree(&units, r), Some(r)),
        (Scope::Cdr(_), Some(r)) => (vec![r], Some(enclosing_direzione(&units, r))),
        _ => (units.iter().collect(), None),
    };
    let lineages: HashSet<&str> = covered.iter().map(|u| u.lineage_id.as_str()).collect();
    let years = [bilancio - 2, bilancio - 1, bilancio];
    let all = budget::lines_of_years(&mut conn, &ente.id, years[0], years[2]).await?;
    let mine: Vec<&BudgetLine> = all.iter().filter(|l| l.side == "U" && l.bilancio <= bilancio && lineages.contains(l.unit_lineage.as_str())).collect();
    if mine.is_empty() {
        return Err(AppError::NotFound(said!(
            "nessuna riga di PEG di spesa per {kind} {code} negli anni {years}–{years2}",
            kind,
            code,
            years = years[0],
            years2 = years[2]
        )));
    }
    let merged = merge(&mine, years);
    // The Direzione as the budget names it (its lines' `direzione`), the ente for the whole ente.
    let direzione = match direzione_unit {
        None => ente.name.clone(),
        Some(unit) => mine
            .iter()
            .filter(|l| l.anno == bilancio)
            .chain(mine.iter())
            .map(|l| l.direzione.clone())
            .find(|d| !d.is_empty())
            .unwrap_or_else(|| unit.name.clone()),
    };

    let dups = plan::dup_objectives(&mut conn, &ente.id).await?;
    let owners: HashSet<&str> = direzione_unit.map_or(covered.clone(), |d| subtree(&units, d)).iter().map(|u| u.lineage_id.as_str()).collect();
    let parent_title = |id: &Option<String>| id.as_ref().and_then(|p| dups.iter().find(|d| &d.id == p)).map(|d| d.title.clone()).unwrap_or_default();
    let dup = dups
        .iter()
        .filter(|d| d.kind == "operativo" && d.owner_lineage.as_deref().is_some_and(|o| owners.contains(o)))
        .map(|d| {
            let m = d.missione.clone().unwrap_or_default();
            DupPage {
                missione_name: tables::missione(&m).unwrap_or_default().into(),
                missione: m,
                programma: d.programma.clone().unwrap_or_default(),
                strategico: parent_title(&d.parent_id),
                operativo: d.title.clone(),
                code: d.code.clone(),
                direzione: direzione.clone(),
                finalita: d.description.clone().unwrap_or_default(),
                agid: d.tags.clone(),
            }
        })
        .collect();

    Ok(Report {
        ente: ente.name.clone(),
        bilancio,
        years,
        scope_kind: kind.into(),
        scope_code: code.clone(),
        scope_name: root.map_or_else(|| ente.name.clone(), |r| r.name.clone()),
        direzione,
        correnti: section(&merged, 1, false),
        capitale: section(&merged, 2, true),
        dup,
    })
}

fn merge<'a>(lines: &[&'a BudgetLine], years: [i32; 3]) -> Vec<Merged<'a>> {
    // For each line and year, the forecast of the latest budget (lines come sorted by bilancio).
    let mut by_key: BTreeMap<LineKey, (Vec<Option<&'a BudgetLine>>, &'a BudgetLine)> = BTreeMap::new();
    for l in lines {
        let Some(i) = years.iter().position(|y| *y == l.anno) else { continue };
        let key = (l.cdr.clone(), l.titolo, l.pdc.clone(), numeric_key(&l.capitolo), numeric_key(&l.articolo));
        let e = by_key.entry(key).or_insert_with(|| (vec![None; 3], l));
        if e.0[i].is_none_or(|prev| prev.bilancio <= l.bilancio) {
            e.0[i] = Some(l);
        }
        if (l.anno, l.bilancio) >= (e.1.anno, e.1.bilancio) {
            e.1 = l;
        }
    }
    by_key
        .into_values()
        .map(|(per_year, latest)| {
            let amounts = [0, 1, 2].map(|i| per_year[i].map_or(Cents::ZERO, |l| l.previsione));
            let di_cui = per_year[2]
                .map_or([Cents::ZERO; 3], |l| [l.crono_anni_precedenti, l.altri_nuovi_stanziamenti, l.programma_triennale_llpp].map(Option::unwrap_or_default));
            Merged { latest, amounts, di_cui }
        })
        .collect()
}

fn section(merged: &[Merged<'_>], titolo: i32, capital: bool) -> Section {
    let mut s = Section::default();
    let mut riepilogo: Summary = BTreeMap::new();
    for m in merged.iter().filter(|m| m.latest.titolo == titolo) {
        let l = m.latest;
        if s.cdr.last().is_none_or(|c: &CdrBlock| c.cdr != l.cdr) {
            s.cdr.push(CdrBlock { cdr: l.cdr.clone(), name: l.cdr_name.clone(), groups: Vec::new(), total: [Cents::ZERO; 3], di_cui: [Cents::ZERO; 3] });
        }
        let block = s.cdr.last_mut().expect("just pushed");
        // Current spending is grouped by Macroaggregato; capital spending by Titolo, as in the seed.
        let (code, name) = if capital {
            (String::new(), tables::titolo(traguardi_domain::budget::Side::Spesa, 2).unwrap_or_default().to_string())
        } else {
            let macro_ = if l.pdc.len() == 10 { l.pdc[1..3].to_string() } else { String::new() };
            let name = tables::macroaggregato(1, &macro_).unwrap_or("Macroaggregato non indicato").to_string();
            (macro_, name)
        };
        if block.groups.last().is_none_or(|g| g.code != code) {
            block.groups.push(Group { titolo, code: code.clone(), name, lines: Vec::new(), total: [Cents::ZERO; 3], di_cui: [Cents::ZERO; 3] });
        }
        let group = block.groups.last_mut().expect("just pushed");
        group.lines.push(Line {
            capitolo: l.capitolo.clone(),
            articolo: l.articolo.clone(),
            pdc: traguardi_domain::budget::PdcCode::parse(&l.pdc).map(|c| c.to_string()).unwrap_or_default(),
            vincolo: l.vincolo.clone(),
            descrizione: l.description.clone(),
            missione: l.missione.clone(),
            programma: l.programma.clone(),
            amounts: m.amounts,
            di_cui: m.di_cui,
        });
        add(&mut group.total, &m.amounts);
        add(&mut group.di_cui, &m.di_cui);
        add(&mut block.total, &m.amounts);
        add(&mut block.di_cui, &m.di_cui);
        add(&mut s.total, &m.amounts);
        add(&mut s.di_cui, &m.di_cui);
        let e = riepilogo.entry(l.missione.clone()).or_default().entry(l.programma.clone()).or_insert(([Cents::ZERO; 3], [Cents::ZERO; 3]));
        add(&mut e.0, &m.amounts);
        add(&mut e.1, &m.di_cui);
    }
    // Macroaggregati in code order within each CdR (lines were sorted by code already).
    for b in &mut s.cdr {
        b.groups.sort_by(|a, b| a.code.cmp(&b.code));
    }
    s.riepilogo = riepilogo
        .into_iter()
        .map(|(m, programmi)| {
            let mut block = MissioneBlock {
                name: tables::missione(&m).unwrap_or_default().into(),
                code: m.clone(),
                programmi: Vec::new(),
                total: [Cents::ZERO; 3],
                di_cui: [Cents::ZERO; 3],
            };
            for (p, (amounts, di_cui)) in programmi {
                add(&mut block.total, &amounts);
                add(&mut block.di_cui, &di_cui);
                block.programmi.push(ProgrammaRow { name: tables::programma(&m, &p).unwrap_or_default().into(), code: p, amounts, di_cui });
            }
            block
        })
        .collect();
    s
}

impl Report {
    /// The report as one flat table (CSV) or as the sheets of a workbook (XLSX): one row per
    /// line and one per printed total, with `tipo` saying which.
    pub fn sheets(&self) -> Vec<traguardi_docs::export::Sheet> {
        let [a, b, c] = self.years;
        let money = |v: Cents| v.euros().to_string();
        let mut header: Vec<String> =
            ["sezione", "tipo", "cdr", "macroaggregato", "capitolo", "articolo", "pdc", "vincolo", "descrizione", "missione", "programma"]
                .map(String::from)
                .to_vec();
        header.extend([format!("previsione_{a}"), format!("previsione_{b}"), format!("previsione_{c}")]);
        header.extend(["crono_anni_precedenti", "altri_nuovi_stanziamenti", "programma_triennale_llpp"].map(String::from));
        let row = |sez: &str, tipo: &str, cells: [&str; 9], amounts: &Years, di_cui: Option<&Years>| {
            let mut r: Vec<String> = vec![sez.into(), tipo.into()];
            r.extend(cells.iter().map(|s| s.to_string()));
            r.extend(amounts.iter().map(|v| money(*v)));
            r.extend(di_cui.map_or_else(|| vec![String::new(); 3], |d| d.iter().map(|v| money(*v)).collect()));
            r
        };
        let mut details = Vec::new();
        let mut summaries = Vec::new();
        for (sez, sum_sez, s, capital) in [("1.B", "1.D", &self.correnti, false), ("2.B", "2.C", &self.capitale, true)] {
            let dc = |d: &Years| capital.then_some(*d);
            for block in &s.cdr {
                for g in &block.groups {
                    for l in &g.lines {
                        details.push(row(
                            sez,
                            "riga",
                            [&block.cdr, &g.code, &l.capitolo, &l.articolo, &l.pdc, &l.vincolo, &l.descrizione, &l.missione, &l.programma],
                            &l.amounts,
                            dc(&l.di_cui).as_ref(),
                        ));
                    }
                    let label = format!("Totale {}", g.name.to_uppercase());
                    details.push(row(sez, "totale_macroaggregato", [&block.cdr, &g.code, "", "", "", "", &label, "", ""], &g.total, dc(&g.di_cui).as_ref()));
                }
                let label = format!("Totale Settore {}", block.cdr);
                details.push(row(sez, "totale_cdr", [&block.cdr, "", "", "", "", "", &label, "", ""], &block.total, dc(&block.di_cui).as_ref()));
            }
            for m in &s.riepilogo {
                for p in &m.programmi {
                    summaries.push(row(
                        sum_sez,
                        "programma",
                        ["", "", "", "", "", "", &p.name.to_uppercase(), &m.code, &p.code],
                        &p.amounts,
                        dc(&p.di_cui).as_ref(),
                    ));
                }
                let label = format!("Totale {}", m.name.to_uppercase());
                summaries.push(row(sum_sez, "totale_missione", ["", "", "", "", "", "", &label, &m.code, ""], &m.total, dc(&m.di_cui).as_ref()));
            }
            let label = format!("Totale {}", self.direzione);
            summaries.push(row(sum_sez, "totale", ["", "", "", "", "", "", &label, "", ""], &s.total, dc(&s.di_cui).as_ref()));
        }
        let sheet = |name: &str, rows: Vec<Vec<String>>| traguardi_docs::export::Sheet { name: name.into(), header: header.clone(), rows };
        vec![sheet("righe", details), sheet("riepiloghi", summaries)]
    }

    /// The data for JSON output: amounts as decimal euro with two places (`"3631120.00"`).
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        convert_amounts(&mut v, &|n| n.euros().to_string().into());
        v
    }

    /// The data for the PDF template: amounts written the Italian way (`3.631.120,00`).
    pub fn printable(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        convert_amounts(&mut v, &|n| n.to_string().into());
        v["title"] = format!("Bilancio di Previsione {} - REPORT COMMISSIONI", self.bilancio).into();
        // The document's date (PDF/A wants one): the first day of the budget's year, so that
        // the same budget prints the same bytes whenever it is printed.
        v["date"] = format!("{}-01-01", self.bilancio).into();
        v
    }
}

/// Rewrites every amount array (`amounts`, `total`, `di_cui`, held in cents) with `f`.
fn convert_amounts(v: &mut serde_json::Value, f: &dyn Fn(Cents) -> serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                match x {
                    serde_json::Value::Array(items) if matches!(k.as_str(), "amounts" | "total" | "di_cui") => {
                        for i in items.iter_mut() {
                            if let Some(n) = i.as_i64() {
                                *i = f(Cents::new(n));
                            }
                        }
                    }
                    _ => convert_amounts(x, f),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|i| convert_amounts(i, f)),
        _ => {}
    }
}
