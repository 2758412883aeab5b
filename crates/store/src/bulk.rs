//! A whole cycle's records written at once into a cycle that has none yet, many rows to a
//! statement: for synthetic enti and large loads, where a statement per row takes minutes on
//! PostgreSQL (a round trip each). No check and no audit here: the caller builds consistent
//! records (units before the units below them, objectives before their KPIs).

use rust_decimal::Decimal;

use crate::org::OrgUnit;
use crate::pay::EvaluationRow;
use crate::people::{Assignment, Person};
use crate::plan::{Kpi, Measurement, Objective, Target};
use crate::record::{insert_all, insert_all_keyed, rows_per_statement};
use crate::row::{iso, sql};
use crate::{Conn, EnteId, StoreError, new_id};
use traguardi_domain::cycle::CycleId;

/// Everything of one cycle: the org tree, the plan and its values, the staff and their
/// evaluations (scores only: no items).
#[derive(Debug, Clone, Default)]
pub struct CycleRecords {
    pub units: Vec<OrgUnit>,
    pub objectives: Vec<Objective>,
    pub kpis: Vec<Kpi>,
    pub targets: Vec<Target>,
    pub measurements: Vec<Measurement>,
    /// New people of the ente (none with their matricola stored yet).
    pub people: Vec<Person>,
    pub assignments: Vec<Assignment>,
    pub evaluations: Vec<EvaluationRow>,
}

impl CycleRecords {
    /// How many rows writing them takes.
    pub fn rows(&self) -> usize {
        self.units.len()
            + self.objectives.len()
            + self.kpis.len()
            + self.targets.len()
            + self.measurements.len()
            + self.people.len()
            + self.assignments.len()
            + self.evaluations.len()
    }
}

/// Writes the records of `cycle_id`, a new cycle of the ente.
pub async fn insert_cycle(conn: &mut Conn, ente: &EnteId, cycle_id: &CycleId, r: &CycleRecords) -> Result<(), StoreError> {
    insert_all(conn, ente, &[], &r.units).await?;
    insert_all(conn, ente, &[], &r.objectives).await?;
    insert_all(conn, ente, &[], &r.kpis).await?;
    insert_targets(conn, ente, &r.targets).await?;
    insert_all(conn, ente, &[], &r.measurements).await?;
    insert_all(conn, ente, &[], &r.people).await?;
    insert_all(conn, ente, &[], &r.assignments).await?;
    // Scores in their shortest form, as `pay::save_evaluation` stores them.
    let short = |x: Option<Decimal>| x.map(|v| v.normalize());
    let evaluations: Vec<(String, EvaluationRow)> = r
        .evaluations
        .iter()
        .map(|e| (new_id(), EvaluationRow { results: short(e.results), behaviours: short(e.behaviours), conciliated: short(e.conciliated), ..e.clone() }))
        .collect();
    insert_all_keyed(conn, ente, &[("cycle_id", cycle_id.as_str())], "id", &evaluations).await
}

/// The targets, many to a statement (a year's target is stored with an empty period).
async fn insert_targets(conn: &mut Conn, ente: &EnteId, targets: &[Target]) -> Result<(), StoreError> {
    let per = rows_per_statement(conn, 6);
    for chunk in targets.chunks(per) {
        let values: Vec<String> =
            (0..chunk.len()).map(|i| format!("(${}, ${}, ${}, ${}, ${}, ${})", 6 * i + 1, 6 * i + 2, 6 * i + 3, 6 * i + 4, 6 * i + 5, 6 * i + 6)).collect();
        let mut q = sqlx::query(sql(format!("INSERT INTO kpi_target (id, ente_id, kpi_id, year, period_end, value) VALUES {}", values.join(", "))));
        for t in chunk {
            q = q
                .bind(new_id::<String>())
                .bind(&ente.0)
                .bind(t.kpi_id.as_str())
                .bind(i64::from(t.year))
                .bind(t.period_end.map(iso).unwrap_or_default())
                .bind(&t.value);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}
