//! The demo ente: "Comune di Milano (dati dimostrativi)", from the acts of seed 000.
//! Loading it is idempotent: a second run finds everything in place and changes nothing.

use serde::Serialize;
use traguardi_docs::ReadOptions;
use traguardi_domain::ente::{EnteCode, EnteKind, NewEnte};
use traguardi_domain::pay::fund::FundKind;
use traguardi_domain::said;
use traguardi_store::ente::{self, Ente};
use traguardi_store::{Store, cycle};

use crate::{
    Actor, AppError, accounts::users, budget::import_pdc, budget::import_peg, cycle::cycles, cycle::import_acts, org::enti, org::import_org,
    org::import_people, plan::import_dup, plan::import_measurements, plan::import_plan, plan::monitoring, samples::shared_data,
};

pub const CODE: &str = "015146";
pub const NAME: &str = "Comune di Milano (dati dimostrativi)";
/// The years of the Piano degli Obiettivi 2020–2022.
pub const YEARS: [i32; 3] = [2020, 2021, 2022];
/// A demo account: username, name, role, unit, the person (matricola) it is.
pub type DemoAccount = (&'static str, &'static str, &'static str, Option<&'static str>, Option<&'static str>);
/// The demo's accounts and their password, printed by `demo`.
pub const ACCOUNTS: [DemoAccount; 4] = [
    ("pianificatore", "Controllo di gestione (demo)", "pianificatore", None, None),
    ("niv", "Nucleo Indipendente di Valutazione (demo)", "niv", None, None),
    ("direttore.siad", "Dott. Francesco Castanò", "direttore", Some("SIAD"), Some("D022")),
    ("dipendente", "Dipendente (demo)", "dipendente", None, Some("M0037")),
];
pub const PASSWORD: &str = "traguardi-demo";

const ORG: &[u8] = include_bytes!("../../demo/milano/struttura.csv");
const PEOPLE: &[u8] = include_bytes!("../../demo/milano/persone.csv");
/// The plan of each year (objectives of DG 838/2020; KPIs and targets illustrative).
const PLANS: [(i32, &[u8]); 3] = [
    (2020, include_bytes!("../../demo/milano/piano-2020.csv")),
    (2021, include_bytes!("../../demo/milano/piano-2021.csv")),
    (2022, include_bytes!("../../demo/milano/piano-2022.csv")),
];
/// Illustrative 2020 values, so that the demo shows real scores.
const MEASUREMENTS_2020: &[u8] = include_bytes!("../../demo/milano/misure-2020.csv");
/// Illustrative staff of 2020 and what pays them: evaluations, absences, the fund, the rules.
const STAFF_2020: &[u8] = include_bytes!("../../demo/milano/dipendenti-2020.csv");
const EVALUATIONS_2020: &[u8] = include_bytes!("../../demo/milano/valutazioni-2020.csv");
const ABSENCES_2020: &[u8] = include_bytes!("../../demo/milano/assenze-2020.csv");
const FUND_2020: &[u8] = include_bytes!("../../demo/milano/fondo-2020.csv");
const MANAGERS_FUND_2020: &[u8] = include_bytes!("../../demo/milano/fondo-dirigenti-2020.csv");
const POSITIONS_2020: &[u8] = include_bytes!("../../demo/milano/posizioni-2020.csv");
const PAY_RULES_2020: &str = include_str!("../../demo/milano/regole-premi-2020.txt");
/// Acts named in seeds 000 and 003 (GC 838/2020 with its pareri).
const ACTS: &[u8] = include_bytes!("../../demo/milano/atti.csv");
/// PEG lines of CdR 222 for 2023–2025, as printed in the Bilancio di Previsione 2025 (seed 004).
const PEG_CDR_222: &[u8] = include_bytes!("../../demo/milano/peg-cdr222.csv");
/// The DUP pages of the Direzione that holds CdR 222, from the same report.
const DUP_INNOVAZIONE: &[u8] = include_bytes!("../../demo/milano/dup-innovazione.csv");

#[derive(Debug, Clone, Default, Serialize)]
pub struct DemoReport {
    pub created: bool,
    pub changes: usize,
}

pub fn new_ente() -> NewEnte {
    NewEnte {
        code: EnteCode::parse(CODE).unwrap_or_else(|_| unreachable!("the demo code is a valid ISTAT code")),
        name: NAME.into(),
        codice_fiscale: Some("01199250158".into()),
        kind: EnteKind::Comune,
        staff_size: 14_000,
        has_dirigenti: true,
    }
}

/// Loads (or completes) the demo ente; returns it and what was done.
pub async fn load(store: &Store) -> Result<(Ente, DemoReport), AppError> {
    let actor = Actor { name: "demo".into(), ..Actor::console() };
    let mut report = DemoReport::default();
    let existing = {
        let mut conn = store.pool.acquire().await?;
        ente::by_code(&mut conn, &new_ente().code).await?
    };
    let ente = match existing {
        Some(e) => e,
        None => {
            report.created = true;
            enti::create(store, &actor, &new_ente()).await?
        }
    };
    let acts = import_acts::import_acts(store, &actor, &ente, ACTS, ReadOptions::default(), false).await?;
    report.changes += acts.created.len() + acts.updated.len();
    let first = YEARS[0];
    // A closed year is frozen: the demo leaves it as it is.
    if crate::cycle::close::is_closed(store, &ente, first).await? {
        return Ok((ente, report));
    }
    let org = import_org::import_org(store, &actor, &ente, first, ORG, ReadOptions::default(), false).await?;
    let people = import_people::import_people(store, &actor, &ente, first, PEOPLE, ReadOptions::default(), false).await?;
    let staff = import_people::import_people(store, &actor, &ente, first, STAFF_2020, ReadOptions::default(), false).await?;
    report.changes += org.created.len() + org.updated.len() + people.people_created + people.people_updated + staff.people_created + staff.people_updated;
    for &year in &YEARS[1..] {
        let exists = {
            let mut conn = store.pool.acquire().await?;
            cycle::by_year(&mut conn, &ente.id, year).await?.is_some()
        };
        if !exists {
            let opened = cycles::open(store, &actor, &ente, year).await?;
            report.changes += opened.units + opened.assignments;
        }
    }
    for (year, bytes) in PLANS {
        if crate::cycle::close::is_closed(store, &ente, year).await? {
            continue;
        }
        let r = import_plan::import_plan(store, &actor, &ente, year, bytes, ReadOptions::default(), false).await?;
        report.changes += r.objectives.created.len() + r.objectives.updated.len() + r.kpis.created.len() + r.kpis.updated.len();
    }
    let m = import_measurements::import_measurements(store, &actor, &ente, 2020, MEASUREMENTS_2020, ReadOptions::default(), false).await?;
    report.changes += m.created + m.new_versions;
    // Sant'Ambrogio is a holiday in Milan; values are due 15 business days after a period ends.
    if monitoring::calendar_of(store, &ente).await.is_ok_and(|(c, _)| c.patron.is_none()) {
        monitoring::set_calendar(store, &actor, &ente, Some((12, 7)), traguardi_domain::monitoring::DEFAULT_DUE_DAYS).await?;
        report.changes += 1;
    }
    report.changes += load_budget(store, &actor, &ente).await?;
    report.changes += load_pay(store, &actor, &ente).await?;
    for (username, name, role, unit, matricola) in ACCOUNTS {
        let exists = {
            let mut conn = store.acquire().await?;
            traguardi_store::accounts::by_username(&mut conn, username).await?.is_some()
        };
        if !exists {
            users::add_user(store, &actor, username, name, PASSWORD).await?;
            users::grant_role(store, &actor, username, Some(CODE), role, unit).await?;
            if let Some(m) = matricola {
                users::link_person(store, &actor, username, Some(CODE), m).await?;
            }
            report.changes += 1;
        }
    }
    Ok((ente, report))
}

/// The premi of 2020: rules, fund (certified), evaluations, absences, the managers' positions,
/// and a first scenario.
async fn load_pay(store: &Store, actor: &Actor, ente: &Ente) -> Result<usize, AppError> {
    let code = ente.code.to_string();
    let e = Some(code.as_str());
    let mut changes = usize::from(crate::pay::payouts::set_rules(store, actor, e, 2020, PAY_RULES_2020).await?.changed);
    let header = crate::pay::import_fund::FundHeader {
        kind: FundKind::Dipendenti,
        cap: Some(traguardi_domain::money::Cents::new(145_000_000)),
        certified_by: Some("Collegio dei Revisori dei Conti (dati dimostrativi)".into()),
        certified_on: chrono::NaiveDate::from_ymd_opt(2020, 11, 30),
    };
    let fund = crate::pay::import_fund::import_fund(store, actor, e, 2020, (FUND_2020, ReadOptions::default()), header, false).await?;
    changes += usize::from(!fund.unchanged);
    let header = crate::pay::import_fund::FundHeader {
        kind: FundKind::Dirigenti,
        cap: None,
        certified_by: Some("Collegio dei Revisori dei Conti (dati dimostrativi)".into()),
        certified_on: chrono::NaiveDate::from_ymd_opt(2020, 11, 30),
    };
    let fund = crate::pay::import_fund::import_fund(store, actor, e, 2020, (MANAGERS_FUND_2020, ReadOptions::default()), header, false).await?;
    changes += usize::from(!fund.unchanged);
    let ev = crate::pay::import_evaluations::import_evaluations(store, actor, e, 2020, EVALUATIONS_2020, ReadOptions::default(), false).await?;
    changes += ev.created.len() + ev.updated.len();
    changes += crate::pay::import_absences::import_absences(store, actor, e, 2020, ABSENCES_2020, ReadOptions::default(), false).await?.changed;
    changes += crate::pay::import_positions::import_positions(store, actor, e, 2020, (POSITIONS_2020, ReadOptions::default()), false).await?;
    if crate::pay::payouts::scenarios(store, actor, e, 2020).await?.is_empty() {
        crate::pay::payouts::save_scenario(store, actor, e, 2020, "base", &crate::pay::payouts::WhatIf::default()).await?;
        changes += 1;
    }
    Ok(changes)
}

/// The budget side: the piano dei conti (from the public SIOPE file, when the data folder is
/// there), the DUP pages and the PEG lines of CdR 222. Each is loaded once.
async fn load_budget(store: &Store, actor: &Actor, ente: &Ente) -> Result<usize, AppError> {
    let mut changes = 0;
    let (codes, years) = {
        let mut conn = store.acquire().await?;
        (traguardi_store::budget::pdc_count(&mut conn, &ente.id).await?, traguardi_store::budget::years_and_cdr(&mut conn, &ente.id).await?)
    };
    if codes == 0
        && let Some(path) = shared_data::file(shared_data::SIOPE_PDC)
    {
        let bytes = std::fs::read(&path).map_err(|e| AppError::Refused(said!("{path}: {e}", path = path.display(), e)))?;
        let r = import_pdc::import_pdc(store, actor, ente, &bytes, ReadOptions::default(), false).await?;
        changes += r.spesa + r.entrata;
    }
    let dup = import_dup::import_dup(store, actor, ente, DUP_INNOVAZIONE, ReadOptions::default(), false).await?;
    changes += dup.objectives.created.len() + dup.objectives.updated.len();
    if years.is_empty() {
        let r = import_peg::import_peg(store, actor, ente, PEG_CDR_222, ReadOptions::default(), false).await?;
        changes += r.imported.iter().map(|y| y.lines).sum::<usize>();
    }
    Ok(changes)
}
