//! The examples of the OpenAPI document: real answers of the demo (`traguardi demo`), their
//! lists cut to two items and their ids and times fixed. They are kept in `api/examples/` by a
//! test that asks the demo again (`tests/web/api_examples.rs`), so they cannot drift from what
//! the API answers: after a change, `UPDATE_SNAPSHOTS=1 cargo test -p traguardi-web --test web
//! api_examples`, then the OpenAPI snapshot.

use serde_json::Value;

/// The example of this name (a file of `api/examples/`), or null for an unknown name.
pub fn of(name: &str) -> Value {
    let text = match name {
        "enti" => include_str!("examples/enti.json"),
        "strutture" => include_str!("examples/strutture.json"),
        "persone" => include_str!("examples/persone.json"),
        "obiettivi" => include_str!("examples/obiettivi.json"),
        "valori" => include_str!("examples/valori.json"),
        "punteggi" => include_str!("examples/punteggi.json"),
        "indici" => include_str!("examples/indici.json"),
        "valutazioni" => include_str!("examples/valutazioni.json"),
        "atti" => include_str!("examples/atti.json"),
        "scenari" => include_str!("examples/scenari.json"),
        "scenario" => include_str!("examples/scenario.json"),
        "cedolino" => include_str!("examples/cedolino.json"),
        "righe" => include_str!("examples/righe.json"),
        "importazione" => include_str!("examples/importazione.json"),
        "importazione_problemi" => include_str!("examples/importazione_problemi.json"),
        _ => "null",
    };
    serde_json::from_str(text).unwrap_or(Value::Null)
}
