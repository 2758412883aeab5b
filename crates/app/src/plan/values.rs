//! Every version of every value of a cycle, with the files attached to it (their metadata):
//! for those who may read the evidence, on the whole ente or on their own units.

use std::collections::HashMap;

use serde::Serialize;
use traguardi_domain::ids::MeasurementId;
use traguardi_domain::said;
use traguardi_store::ente::Ente;
use traguardi_store::{Store, org, plan};

use crate::accounts::access::{Reach, Right};
use crate::accounts::scope::{KpiHomes, UnitScope};
use crate::views::Value;
use crate::{Actor, AppError, cycle::cycles};

/// A version of a value, the unit that measures it, and its files.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueVersion {
    #[serde(flatten)]
    pub value: Value,
    /// The code of the unit that measures the KPI.
    pub unit: Option<String>,
    pub evidence: Vec<Attachment>,
}

/// A file attached to a value, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
}

/// Every version the actor may read, by KPI code, period and version.
#[tracing::instrument(skip_all, fields(ente = %ente.code, year = year))]
pub async fn of_cycle(store: &Store, actor: &Actor, ente: &Ente, year: i32) -> Result<Vec<ValueVersion>, AppError> {
    let reach = actor.reach(Right::ReadEvidence);
    if reach == Reach::Nowhere {
        actor.require(Right::ReadEvidence, said!("leggere i valori e le evidenze"))?;
    }
    let mut conn = store.acquire().await?;
    let cycle = cycles::get(&mut conn, ente, year).await?;
    let scope = if reach == Reach::OwnUnits { Some(UnitScope::of(&mut conn, actor, ente, &cycle.id, Right::ReadEvidence).await?) } else { None };
    let kpis = plan::kpis(&mut conn, &ente.id, &cycle.id).await?;
    let objectives = plan::objectives(&mut conn, &ente.id, &cycle.id).await?;
    let units = org::of_cycle(&mut conn, &ente.id, &cycle.id).await?;
    let mut files: HashMap<MeasurementId, Vec<Attachment>> = HashMap::new();
    for e in plan::evidence_list(&mut conn, &ente.id, &cycle.id).await? {
        let a = Attachment { filename: e.filename, content_type: e.content_type, size: e.size, sha256: e.sha256, uploaded_by: e.uploaded_by };
        files.entry(e.measurement_id).or_default().push(a);
    }
    let by_id: HashMap<&str, &plan::Kpi> = kpis.iter().map(|k| (k.id.as_str(), k)).collect();
    let homes = KpiHomes::new(&objectives, &units);
    let mut out: Vec<ValueVersion> = plan::measurements(&mut conn, &ente.id, &cycle.id)
        .await?
        .into_iter()
        .filter_map(|m| {
            let k = by_id.get(m.kpi_id.as_str())?;
            if scope.as_ref().is_some_and(|s| !s.contains(homes.unit(k))) {
                return None;
            }
            let unit = homes.unit_code(k);
            Some(ValueVersion { value: Value::of(&m, &k.code), unit, evidence: files.remove(&m.id).unwrap_or_default() })
        })
        .collect();
    out.sort_by(|a, b| (&a.value.kpi, a.value.period_end, a.value.version).cmp(&(&b.value.kpi, b.value.period_end, b.value.version)));
    Ok(out)
}
