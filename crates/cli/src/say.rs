//! What the CLI prints, in the user's language (Italian by default, English with LANG=en…).

use traguardi_app::AppError;
use traguardi_app::budget::import_mapped::MappedReport;
use traguardi_app::budget::import_pdc::PdcReport;
use traguardi_app::budget::import_peg::PegReport;
use traguardi_app::org::import_org::ImportReport;
use traguardi_app::org::import_people::PeopleReport;
use traguardi_app::plan::import_dimensions::DimensionsReport;
use traguardi_app::plan::import_dup::DupReport;
use traguardi_app::plan::import_measurements::MeasurementsReport;
use traguardi_app::plan::import_plan::PlanReport;
use traguardi_domain::Lang;

pub fn lang() -> Lang {
    Lang::from_env()
}

/// A rules file stored as a cycle's version: "regole dei premi 2020: versione 2 (invariate)".
pub fn rules_version(what: &str, year: i32, version: i64, changed: bool) -> String {
    let l = lang();
    let unchanged = if changed { "" } else { l.pick(" (invariate)", " (unchanged)") };
    format!("{what} {year}: {} {version}{unchanged}", l.pick("versione", "version"))
}

/// An error as the last lines the user reads.
pub fn error(e: &anyhow::Error) -> String {
    let l = lang();
    let head = l.pick("errore", "error");
    match e.downcast_ref::<AppError>() {
        Some(AppError::Invalid(p)) if p.0.iter().all(|p| p.row.is_none()) => {
            p.0.iter().map(|p| format!("{head}: {}", p.describe(l))).collect::<Vec<_>>().join("\n")
        }
        Some(AppError::Invalid(p)) => {
            let n = p.len();
            let intro = match l {
                Lang::It => format!("{head}: il file ha {n} problem{}; nulla è stato scritto:", if n == 1 { "a" } else { "i" }),
                Lang::En => format!("{head}: the file has {n} problem{}; nothing was written:", if n == 1 { "" } else { "s" }),
            };
            format!("{intro}\n{}", p.0.iter().map(|p| format!("  {}", p.describe(l))).collect::<Vec<_>>().join("\n"))
        }
        Some(app) => format!("{head}: {}", app.describe(l)),
        None => format!("{head}: {e:#}"),
    }
}

pub fn org_report(r: &ImportReport) -> String {
    let l = lang();
    let mut s = match l {
        Lang::It => format!(
            "struttura {}: {} righe lette, {} strutture nuove, {} aggiornate, {} invariate",
            r.year,
            r.rows,
            r.created.len(),
            r.updated.len(),
            r.unchanged
        ),
        Lang::En => format!("org {}: {} rows read, {} new units, {} updated, {} unchanged", r.year, r.rows, r.created.len(), r.updated.len(), r.unchanged),
    };
    s.push_str(&tail(l, r.cycle_created, r.dry_run, r.year));
    s
}

pub fn people_report(r: &PeopleReport) -> String {
    let l = lang();
    format!("{}{}", r.summary(l), tail(l, r.cycle_created, r.dry_run, r.year))
}

fn tail(l: Lang, cycle_created: bool, dry_run: bool, year: i32) -> String {
    let mut s = String::new();
    if cycle_created {
        s.push_str(&match l {
            Lang::It => format!("\nciclo {year} creato"),
            Lang::En => format!("\ncycle {year} created"),
        });
    }
    if dry_run {
        s.push_str(l.pick("\nprova (--dry-run): nulla è stato scritto", "\ntrial (--dry-run): nothing was written"));
    }
    s
}

pub fn plan_report(r: &PlanReport) -> String {
    let l = lang();
    format!("{}{}", r.summary(l), tail(l, r.cycle_created, r.dry_run, r.year))
}

pub fn measurements_report(r: &MeasurementsReport) -> String {
    let l = lang();
    format!("{}{}", r.summary(l), tail(l, false, r.dry_run, r.year))
}

pub fn dup_report(r: &DupReport) -> String {
    let l = lang();
    let c = &r.objectives;
    let mut s = match l {
        Lang::It => format!("DUP: {} righe lette, {} obiettivi nuovi, {} aggiornati, {} invariati", r.rows, c.created.len(), c.updated.len(), c.unchanged),
        Lang::En => format!("DUP: {} rows read, {} new objectives, {} updated, {} unchanged", r.rows, c.created.len(), c.updated.len(), c.unchanged),
    };
    s.push_str(&tail(l, false, r.dry_run, 0));
    s
}

pub fn dimensions_report(r: &DimensionsReport, dry_run: bool) -> String {
    let l = lang();
    let (d, a) = (&r.dimensions, &r.ambiti);
    let (dc, du, ac, au) = (d.created.len(), d.updated.len(), a.created.len(), a.updated.len());
    let mut s = match l {
        Lang::It => {
            format!("dimensioni: {dc} nuove, {du} rinominate, {} invariate; ambiti: {ac} nuovi, {au} rinominati, {} invariati", d.unchanged, a.unchanged)
        }
        Lang::En => format!("dimensions: {dc} new, {du} renamed, {} unchanged; ambiti: {ac} new, {au} renamed, {} unchanged", d.unchanged, a.unchanged),
    };
    s.push_str(&tail(l, false, dry_run, 0));
    s
}

pub fn pdc_report(r: &PdcReport) -> String {
    let l = lang();
    let mut s = match l {
        Lang::It => format!(
            "piano dei conti: {} righe lette, {} codici di spesa e {} di entrata caricati, {} righe di tesoreria ignorate",
            r.rows, r.spesa, r.entrata, r.skipped
        ),
        Lang::En => {
            format!("piano dei conti: {} rows read, {} spending and {} revenue codes loaded, {} treasury rows skipped", r.rows, r.spesa, r.entrata, r.skipped)
        }
    };
    if r.replaced > 0 {
        s.push_str(&match l {
            Lang::It => format!(" (sostituiscono i {} codici caricati prima)", r.replaced),
            Lang::En => format!(" (replacing the {} codes loaded before)", r.replaced),
        });
    }
    s.push_str(&tail(l, false, r.dry_run, 0));
    s
}

pub fn peg_report(r: &PegReport) -> String {
    let l = lang();
    let mut s = match l {
        Lang::It => format!("PEG: {} righe lette", r.rows),
        Lang::En => format!("PEG: {} rows read", r.rows),
    };
    for y in &r.imported {
        let amount = y.previsione.to_string();
        s.push_str(&match l {
            Lang::It => format!("\n{} CdR {}: {} righe, previsione {amount} (sostituite {} righe)", y.anno, y.cdr, y.lines, y.replaced),
            Lang::En => format!("\n{} CdR {}: {} lines, forecast {amount} ({} lines replaced)", y.anno, y.cdr, y.lines, y.replaced),
        });
    }
    if !r.pdc_checked {
        s.push_str(l.pick(
            "\npiano dei conti non caricato (traguardi import pdc): codici controllati solo nella forma",
            "\npiano dei conti not loaded (traguardi import pdc): codes checked for their form only",
        ));
    }
    s.push_str(&tail(l, false, r.dry_run, 0));
    s
}

pub fn mapped_report(r: &MappedReport) -> String {
    let l = lang();
    let mut s = match l {
        Lang::It => format!("bilancio ({}): {} righe lette, {} importi", r.fonte, r.rows, r.amounts),
        Lang::En => format!("budget ({}): {} rows read, {} amounts", r.fonte, r.rows, r.amounts),
    };
    if r.replaced > 0 {
        s.push_str(&match l {
            Lang::It => format!(" (sostituiscono {} importi caricati prima)", r.replaced),
            Lang::En => format!(" (replacing {} amounts loaded before)", r.replaced),
        });
    }
    for c in &r.checks {
        s.push_str(&format!("\n{} {c}", l.pick("controllo:", "check:")));
    }
    if !r.ignored.is_empty() {
        s.push_str(&format!("\n{} {}", l.pick("righe non di dettaglio ignorate:", "rows that are not details, left out:"), r.ignored.join(" | ")));
    }
    // One line per Centro di responsabilità (or Missione), with its measures.
    let mut current: Option<&str> = None;
    for t in &r.totals {
        if current != Some(t.codice.as_str()) {
            let name = if t.nome.is_empty() { String::new() } else { format!(" {}", t.nome) };
            let code = if t.codice.is_empty() { String::new() } else { format!(" {}", t.codice) };
            s.push_str(&format!("\n{}{code}{name}:", l.pick("totale", "total")));
            current = Some(t.codice.as_str());
        }
        s.push_str(&format!(" {} {}", t.misura, t.importo));
    }
    s.push_str(&tail(l, false, r.dry_run, 0));
    s
}
