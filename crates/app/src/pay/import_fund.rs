//! `import fondo`: the fondo risorse decentrate of a cycle (docs/formats.md): one row per item,
//! with its Conto Annuale voce, nature and amount. The fund is replaced as a whole; it is
//! refused when its uses exceed its resources, its resources exceed the cap, or the individual
//! premi are less than the legal share of the premi.

use serde::Serialize;
use traguardi_docs::ReadOptions;
use traguardi_domain::budget::parse_euro;
use traguardi_domain::money::Cents;
use traguardi_domain::pay::fund::{FundItem, FundKind, FundTotals, Nature, Use};
use traguardi_domain::said;
use traguardi_domain::value::parse_yes_no;
use traguardi_domain::{Problem, ProblemKind};
use traguardi_store::Store;
use traguardi_store::pay::{self, Fund};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::{Actor, AppError, cycle::cycles, import, org::enti, pay::payouts};

pub const REQUIRED: [&str; 4] = ["voce", "descrizione", "natura", "importo"];
pub const OPTIONAL: [&str; 2] = ["uso", "fuori_limite"];

/// What `import fondo` did; its amounts in cents.
#[derive(Debug, Clone, Serialize)]
pub struct FundReport {
    /// Written as its code (`dipendenti`, `dirigenti`, `eq`), as it is given.
    #[serde(serialize_with = "kind_code")]
    pub kind: FundKind,
    pub year: i32,
    pub items: usize,
    pub totals: FundTotals,
    pub unchanged: bool,
}

fn kind_code<S: serde::Serializer>(k: &FundKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.code())
}

/// Which fund, its cap and the auditors' certification.
#[derive(Debug, Clone, Default)]
pub struct FundHeader {
    pub kind: FundKind,
    pub cap: Option<Cents>,
    pub certified_by: Option<String>,
    pub certified_on: Option<chrono::NaiveDate>,
}

#[tracing::instrument(skip_all, fields(ente = ente_code, year = year))]
pub async fn import_fund(
    store: &Store,
    actor: &Actor,
    ente_code: Option<&str>,
    year: i32,
    (bytes, opts): (&[u8], ReadOptions),
    header: FundHeader,
    dry_run: bool,
) -> Result<FundReport, AppError> {
    actor.require(Right::Administer, said!("registrare il fondo risorse decentrate"))?;
    let (table, cols, mut problems) = import::open(bytes, opts, &REQUIRED, &OPTIONAL).await?;
    let style = table.number_style;
    let mut items = Vec::new();
    for rec in &table.rows {
        let line = rec.line;
        let get = |c: &str| cols.get(rec, c);
        let mut bad = |c: &str, k: ProblemKind| problems.push(Problem::cell(line, c, k));
        for c in ["voce", "descrizione"] {
            if get(c).is_empty() {
                bad(c, ProblemKind::Required);
            }
        }
        let nature = Nature::parse(get("natura")).map_err(|k| bad("natura", k)).ok();
        let usage = match (get("uso"), nature) {
            ("", _) => Some(Use::Altro),
            (u, Some(Nature::Destinazione)) => match Use::parse(u) {
                Ok(x) if header.kind.uses().contains(&x) => Some(x),
                Ok(_) => {
                    let allowed = header.kind.uses().iter().map(|u| u.code().to_string()).collect();
                    bad("uso", ProblemKind::NotOneOf { value: u.into(), allowed });
                    None
                }
                Err(k) => {
                    bad("uso", k);
                    None
                }
            },
            (u, _) => {
                bad("uso", ProblemKind::BadFormat { value: u.into(), expected: traguardi_domain::said!("vuoto: l'uso si indica solo per le destinazioni") });
                None
            }
        };
        let amount = match get("importo") {
            "" => {
                bad("importo", ProblemKind::Required);
                None
            }
            s => match parse_euro(s, style) {
                Ok(c) if c.is_negative() => {
                    bad("importo", ProblemKind::OutOfRange { value: s.into(), min: "0 (le decurtazioni hanno natura «decurtazione»)".into(), max: "∞".into() });
                    None
                }
                Ok(c) => Some(c),
                Err(k) => {
                    bad("importo", k);
                    None
                }
            },
        };
        let outside_cap = match get("fuori_limite") {
            "" => false,
            v => parse_yes_no(v).map_err(|k| bad("fuori_limite", k)).unwrap_or(false),
        };
        if let (Some(nature), Some(usage), Some(amount)) = (nature, usage, amount) {
            items.push(FundItem { voce: get("voce").into(), description: get("descrizione").into(), nature, usage, amount, outside_cap });
        }
    }
    problems.into_result()?;
    let totals = FundTotals::of(&items);
    let mut tx = import::begin(store, dry_run).await?;
    let ente = enti::resolve(&mut tx, ente_code).await?;
    let cycle = cycles::get(&mut tx, &ente, year).await?;
    crate::cycle::close::ensure_open(&mut tx, &ente, &cycle).await?;
    let rules = payouts::rules_of(&mut tx, &ente, &cycle).await?;
    let kind = header.kind;
    let wrong = totals.problems(kind, header.cap, rules.individual_min, rules.contract);
    if !wrong.is_empty() {
        return Err(AppError::Refused(
            said!("{fund} {year} non registrato:{problems}", fund => kind.said(), year, problems => traguardi_domain::said::Bullets(wrong)),
        ));
    }
    let fund = Fund { cap: header.cap, certified_by: header.certified_by, certified_on: header.certified_on, items };
    let before = pay::fund(&mut tx, &ente.id, &cycle.id, kind).await?;
    let unchanged = before.as_ref() == Some(&fund);
    if !unchanged && !dry_run {
        pay::save_fund(&mut tx, &ente.id, &cycle.id, kind, &fund, &crate::now()).await?;
        audit::record_in_cycle(
            &mut tx,
            actor,
            &ente.id,
            &cycle.id,
            Change { action: "import fondo", entity: "fondo", entity_id: Some(kind.code()), before: before.as_ref(), after: Some(&fund) },
        )
        .await?;
    }
    import::finish(tx, dry_run).await?;
    Ok(FundReport { kind, year, items: fund.items.len(), totals, unchanged })
}

impl FundHeader {
    /// The header as typed: the fund's kind (`dipendenti`, `dirigenti`, `eq`), the cap in euro
    /// (`125000`, `125.000,50`) and the certification's day (AAAA-MM-GG or GG/MM/AAAA). A
    /// wrong one is named as where it was typed: `--certificato-il` on the command line (prefix
    /// `--`), `certificato_il` in the API (no prefix).
    pub fn parse(prefix: &str, kind: &str, cap: Option<&str>, certified_by: Option<String>, certified_on: Option<&str>) -> Result<FundHeader, AppError> {
        let named = |name: &str| if prefix.is_empty() { name.to_string() } else { format!("{prefix}{}", name.replace('_', "-")) };
        let wrong = |name: &str, k: ProblemKind| AppError::Invalid(Problem::column(&named(name), k).into());
        Ok(FundHeader {
            kind: FundKind::parse(kind).map_err(|k| wrong("fondo", k))?,
            cap: cap.map(|c| parse_amount(c).map_err(|k| wrong("limite", k))).transpose()?,
            certified_by,
            certified_on: certified_on.map(|d| traguardi_domain::value::parse_date(d).map_err(|k| wrong("certificato_il", k))).transpose()?,
        })
    }
}

/// A whole-euro or cents amount, not negative.
fn parse_amount(s: &str) -> Result<Cents, ProblemKind> {
    let style = if s.contains(',') { traguardi_domain::value::NumberStyle::It } else { traguardi_domain::value::NumberStyle::En };
    let c = parse_euro(s, style)?;
    if c.is_negative() { Err(ProblemKind::BadNumber { value: s.into() }) } else { Ok(c) }
}
