//! `import atti`: acts of the ente with their pareri (docs/formats.md). Added or replaced by
//! code (`GC 838/2020`, from organ, number and year); identical acts change nothing.

use std::collections::HashMap;
use traguardi_domain::said;

use traguardi_docs::ReadOptions;
use traguardi_domain::act::{self, OPINIONS, ORGANS, OUTCOMES};
use traguardi_domain::value::{parse_date, parse_yes_no};
use traguardi_domain::{Problem, ProblemKind};
use traguardi_store::acts::{self, Act, Opinion};
use traguardi_store::ente::Ente;
use traguardi_store::{Store, new_id};

use crate::accounts::access::Right;
use crate::accounts::audit::{self, Change};
use crate::plan::import_plan::Counts;
use crate::{Actor, AppError, import};

pub const REQUIRED: [&str; 4] = ["organo", "numero", "data", "oggetto"];
pub const OPTIONAL: [&str; 12] = [
    "proposta",
    "immediatamente_eseguibile",
    "albo_dal",
    "parere_tecnico",
    "parere_tecnico_da",
    "parere_tecnico_data",
    "parere_contabile",
    "parere_contabile_da",
    "parere_contabile_data",
    "parere_legittimita",
    "parere_legittimita_da",
    "parere_legittimita_data",
];
/// Column prefix of each parere.
const OPINION_COLUMNS: [(&str, &str); 3] =
    [("regolarita_tecnica", "parere_tecnico"), ("regolarita_contabile", "parere_contabile"), ("legittimita", "parere_legittimita")];

#[tracing::instrument(skip_all, fields(ente = %ente.code))]
pub async fn import_acts(store: &Store, actor: &Actor, ente: &Ente, bytes: &[u8], opts: ReadOptions, dry_run: bool) -> Result<Counts, AppError> {
    actor.require(Right::Administer, said!("registrare atti"))?;
    debug_assert_eq!(OPINION_COLUMNS.len(), OPINIONS.len());
    let (table, cols, mut problems) = import::open(bytes, opts, &REQUIRED, &OPTIONAL).await?;
    let mut tx = import::begin(store, dry_run).await?;
    let stored: HashMap<String, Act> = acts::list(&mut tx, &ente.id).await?.into_iter().map(|a| (a.code.clone(), a)).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut rows = Vec::new();
    for rec in &table.rows {
        let line = rec.line;
        let get = |c: &str| cols.get(rec, c);
        let mut bad = |c: &str, k: ProblemKind| problems.push(Problem::cell(line, c, k));
        let organ = get("organo").to_lowercase();
        if act::kind_of(&organ).is_none() {
            bad("organo", ProblemKind::NotOneOf { value: get("organo").into(), allowed: ORGANS.iter().map(|(o, _, _)| o.to_string()).collect() });
        }
        let number = get("numero").to_string();
        if number.is_empty() {
            bad("numero", ProblemKind::Required);
        }
        if get("oggetto").is_empty() {
            bad("oggetto", ProblemKind::Required);
        }
        let adopted = parse_date(get("data")).map_err(|k| bad("data", k)).ok();
        let immediate = match get("immediatamente_eseguibile") {
            "" => false,
            v => parse_yes_no(v).map_err(|k| bad("immediatamente_eseguibile", k)).unwrap_or(false),
        };
        let albo_from = match get("albo_dal") {
            "" => None,
            v => parse_date(v).map_err(|k| bad("albo_dal", k)).ok(),
        };
        let mut opinions = Vec::new();
        for (kind, prefix) in OPINION_COLUMNS {
            let outcome = get(prefix).to_lowercase().replace(' ', "_");
            if outcome.is_empty() {
                continue;
            }
            if !OUTCOMES.contains(&outcome.as_str()) {
                bad(prefix, ProblemKind::NotOneOf { value: get(prefix).into(), allowed: OUTCOMES.map(String::from).to_vec() });
            }
            let by_col = format!("{prefix}_da");
            if get(&by_col).is_empty() {
                bad(&by_col, ProblemKind::Required);
            }
            let date_col = format!("{prefix}_data");
            let given_on = match get(&date_col) {
                "" => None,
                v => parse_date(v).map_err(|k| bad(&date_col, k)).ok(),
            };
            opinions.push(Opinion { kind: kind.into(), outcome, given_by: get(&by_col).into(), given_on });
        }
        // In the order the store returns them, so that an identical act compares equal.
        opinions.sort_by(|a, b| a.kind.cmp(&b.kind));
        let (Some(adopted), Some(kind)) = (adopted, act::kind_of(&organ)) else { continue };
        let code = act::code(&organ, &number, adopted).unwrap_or_default();
        if let Some(first) = seen.insert(code.clone(), line) {
            bad("numero", ProblemKind::Duplicate { value: code.clone(), first_row: first });
        }
        let existing = stored.get(&code);
        rows.push(Act {
            id: existing.map_or_else(new_id, |a| a.id.clone()),
            code,
            organ,
            kind: kind.into(),
            number,
            adopted_on: adopted,
            proposal: Some(get("proposta").to_string()).filter(|p| !p.is_empty()),
            subject: get("oggetto").into(),
            immediate,
            albo_from,
            albo_to: albo_from.map(act::albo_to),
            executive_on: act::executive_on(adopted, immediate, albo_from),
            opinions,
        });
    }
    problems.into_result()?;
    let mut counts = Counts::default();
    for a in &rows {
        let before = stored.get(&a.code);
        match before {
            Some(b) if b == a => {
                counts.unchanged += 1;
                continue;
            }
            Some(_) => counts.updated.push(a.code.clone()),
            None => counts.created.push(a.code.clone()),
        }
        if !dry_run {
            acts::save(&mut tx, &ente.id, a).await?;
            audit::record(&mut tx, actor, Some(&ente.id), Change { action: "import atti", entity: "atto", entity_id: Some(&a.id), before, after: Some(a) })
                .await?;
        }
    }
    import::finish(tx, dry_run).await?;
    Ok(counts)
}
