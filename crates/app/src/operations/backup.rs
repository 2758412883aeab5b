//! Backup and restore: a portable archive of the whole database or of one ente, taken in one
//! consistent snapshot while the server runs, and loaded into an empty database of either
//! backend in one transaction (a failed restore leaves nothing). The format is in
//! docs/formats.md, "Backup archive".

use std::io::{BufRead, Read, Write};
use traguardi_domain::said;
use traguardi_domain::said::Said;

use base64::Engine;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use traguardi_store::Store;
use traguardi_store::backup::{self, Cell, Scope};

use crate::accounts::access::{Actor, Right};
use crate::error::AppError;

const FORMAT: &str = "traguardi-backup";
const VERSION: i64 = 1;
/// Rows written to the database per batch while restoring.
const BATCH: usize = 1000;
/// The longest line a restore reads: one row, an evidence file of the largest size included.
const MAX_LINE: u64 = 128 * 1024 * 1024;

/// What an archive holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub tables: usize,
    pub rows: u64,
    /// The ente's code for an archive of one ente.
    pub ente: Option<String>,
    /// SHA-256 of the archive file's bytes.
    pub sha256: String,
}

/// Writes the archive of the database (of one ente with `ente_code`) to `out`, gzip-compressed.
#[tracing::instrument(skip_all, fields(ente = ente_code))]
pub async fn backup(store: &Store, actor: &Actor, ente_code: Option<&str>, out: impl Write) -> Result<Summary, AppError> {
    actor.require(Right::Administer, said!("fare la copia di sicurezza del database"))?;
    let mut tx = backup::begin_snapshot(store).await?;
    let ente = match ente_code {
        Some(code) => Some(crate::org::enti::resolve(&mut tx, Some(code)).await?),
        None => None,
    };
    let scope = match &ente {
        Some(e) => Scope::Ente(&e.id),
        None => Scope::All,
    };
    let mut file = Hashing::new(out);
    let mut gz = flate2::write::GzEncoder::new(&mut file, flate2::Compression::default());
    let schema = backup::schema_version(&mut tx).await?;
    let header = json!({
        "formato": FORMAT,
        "versione": VERSION,
        "schema": schema,
        "ente": ente.as_ref().map(|e| e.code.as_str().to_string()),
        "creato": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    });
    line(&mut gz, &header)?;
    let mut rows = 0u64;
    for table in backup::TABLES {
        let columns = backup::columns(&mut tx, table.name).await?;
        line(&mut gz, &json!({ "tabella": table.name, "colonne": columns }))?;
        backup::read(&mut tx, table, &columns, scope, |cells| {
            rows += 1;
            line(&mut gz, &Value::Array(cells.into_iter().map(to_json).collect()))
        })
        .await?;
    }
    line(&mut gz, &json!({ "fine": { "tabelle": backup::TABLES.len(), "righe": rows } }))?;
    gz.finish().map_err(write_error)?;
    tx.rollback().await.map_err(traguardi_store::StoreError::from)?;
    Ok(Summary { tables: backup::TABLES.len(), rows, ente: ente.map(|e| e.code.as_str().to_string()), sha256: file.hex() })
}

/// What a restore did, and whether each ente's audit trail verifies afterwards.
#[derive(Debug)]
pub struct Restored {
    pub archive: Summary,
    /// Each ente restored: its code and the number of audit records verified, or what is wrong.
    pub audit: Vec<(String, Result<usize, traguardi_domain::said::Said>)>,
}

/// Loads an archive into `store`, which must hold no data (its schema is brought up to date
/// first). Everything is written in one transaction.
pub async fn restore(store: &Store, actor: &Actor, input: impl Read) -> Result<Restored, AppError> {
    actor.require(Right::Administer, said!("ripristinare il database da una copia di sicurezza"))?;
    store.migrate().await?;
    let mut source = Hashing::new(input);
    let mut reader = std::io::BufReader::new(flate2::read::GzDecoder::new(&mut source));
    let mut n = 0u64;
    let header = next_line(&mut reader, &mut n)?.ok_or_else(|| bad(1, said!("archivio vuoto")))?;
    let archive_schema = check_header(&header, store)?;
    let ente_code = header.get("ente").and_then(Value::as_str).map(str::to_string);

    let mut tx = store.begin().await?;
    if !backup::is_empty(&mut tx).await? {
        return Err(AppError::Refused(said!(
            "il database di destinazione contiene già dati: il ripristino scrive solo in un database vuoto (crearne uno nuovo e indicarlo con --database-url)"
        )));
    }
    let mut current: Option<(String, Vec<String>)> = None;
    let mut batch: Vec<Vec<Cell>> = Vec::new();
    let (mut rows, mut tables, mut last_seq) = (0u64, 0usize, 0i64);
    let mut ended = false;
    while let Some(value) = next_line(&mut reader, &mut n)? {
        if ended {
            return Err(bad(n, said!("righe dopo la fine dell'archivio")));
        }
        match value {
            Value::Array(items) => {
                let Some((table, columns)) = &current else {
                    return Err(bad(n, said!("riga di dati prima dell'intestazione di una tabella")));
                };
                if items.len() != columns.len() {
                    return Err(bad(n, said!("{values} valori per le {width} colonne di {table}", values = items.len(), width = columns.len(), table)));
                }
                let cells = items.into_iter().map(from_json).collect::<Result<Vec<_>, _>>().map_err(|e| bad(n, e))?;
                if table == "audit_log"
                    && let Some(Cell::Int(seq)) = columns.iter().position(|c| c == "seq").map(|i| &cells[i])
                {
                    last_seq = last_seq.max(*seq);
                }
                batch.push(cells);
                rows += 1;
                if batch.len() == BATCH {
                    flush(&mut tx, current.as_ref(), &mut batch, n).await?;
                }
            }
            Value::Object(o) if o.contains_key("tabella") => {
                flush(&mut tx, current.as_ref(), &mut batch, n).await?;
                current = Some(table_header(&mut tx, &o, n, tables).await?);
                tables += 1;
            }
            Value::Object(o) if o.contains_key("fine") => {
                flush(&mut tx, current.as_ref(), &mut batch, n).await?;
                let declared = o["fine"].get("righe").and_then(Value::as_u64);
                if declared != Some(rows) {
                    let declared = declared.map_or_else(|| "?".to_string(), |r| r.to_string());
                    return Err(bad(n, said!("l'archivio dichiara {declared} righe, ne contiene {rows}", declared, rows)));
                }
                ended = true;
            }
            _ => return Err(bad(n, said!("riga non riconosciuta"))),
        }
    }
    if !ended {
        return Err(bad(n, said!("archivio troncato: manca la riga finale")));
    }
    // Drain what the decoder did not need, so that the checksum covers the whole file.
    std::io::copy(&mut reader, &mut std::io::sink()).map_err(read_error)?;
    drop(reader);
    let sha256 = source.hex();
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    backup::log_restore(&mut tx, &at, &sha256, ente_code.as_deref(), last_seq).await?;
    tx.commit().await.map_err(traguardi_store::StoreError::from)?;
    tracing::info!(archive = %sha256, schema = archive_schema, rows, "database ripristinato");

    let mut audit = Vec::new();
    for e in crate::org::enti::list(store).await? {
        let trail = crate::accounts::audit::trail(store, actor, Some(e.code.as_str()), None).await?;
        audit.push((e.code.as_str().to_string(), trail.verified));
    }
    Ok(Restored { archive: Summary { tables, rows, ente: ente_code, sha256 }, audit })
}

/// Writes the rows gathered for the current table (`(name, columns)`) and empties the batch;
/// `n` is the line read last, for the message.
async fn flush(tx: &mut traguardi_store::Tx, current: Option<&(String, Vec<String>)>, batch: &mut Vec<Vec<Cell>>, n: u64) -> Result<(), AppError> {
    if let Some((table, columns)) = current {
        backup::insert(tx, table, columns, batch).await.map_err(|e| at_line(n, table, e))?;
    }
    batch.clear();
    Ok(())
}

/// Checks the archive's first line; returns the schema version it was written with.
fn check_header(header: &Value, store: &Store) -> Result<i64, AppError> {
    if header.get("formato").and_then(Value::as_str) != Some(FORMAT) {
        return Err(bad(1, said!("non è un archivio di Traguardi (formato atteso «{format}»)", format = FORMAT)));
    }
    let version = header.get("versione").and_then(Value::as_i64).unwrap_or(0);
    if version != VERSION {
        return Err(bad(1, said!("versione {version} del formato non supportata (questa versione legge la {known})", version, known = VERSION)));
    }
    let schema = header.get("schema").and_then(Value::as_i64).unwrap_or(0);
    let known = backup::latest_schema(store.backend);
    if schema > known {
        return Err(bad(
            1,
            said!("archivio scritto con lo schema {schema}, più recente di questo programma (schema {known}): aggiornare Traguardi", schema, known),
        ));
    }
    Ok(schema)
}

/// Reads a table's header line: the table must be the next one this program restores, its
/// columns must exist here (columns added since the archive was written take their default).
async fn table_header(
    conn: &mut traguardi_store::Conn,
    o: &serde_json::Map<String, Value>,
    n: u64,
    position: usize,
) -> Result<(String, Vec<String>), AppError> {
    let name = o.get("tabella").and_then(Value::as_str).unwrap_or_default().to_string();
    let Some(index) = backup::TABLES.iter().position(|t| t.name == name) else {
        return Err(bad(n, said!("tabella «{name}» sconosciuta", name)));
    };
    if index < position {
        return Err(bad(n, said!("tabella «{name}» ripetuta o fuori ordine", name)));
    }
    let columns: Vec<String> =
        o.get("colonne").and_then(Value::as_array).map(|c| c.iter().filter_map(Value::as_str).map(str::to_string).collect()).unwrap_or_default();
    let here = backup::columns(conn, &name).await?;
    if columns.is_empty() {
        return Err(bad(n, said!("tabella «{name}» senza colonne", name)));
    }
    if let Some(unknown) = columns.iter().find(|c| !here.contains(c)) {
        return Err(bad(n, said!("colonna «{unknown}» della tabella «{name}» sconosciuta a questa versione", unknown, name)));
    }
    Ok((name, columns))
}

fn to_json(cell: Cell) -> Value {
    match cell {
        Cell::Null => Value::Null,
        Cell::Int(i) => Value::from(i),
        Cell::Text(s) => Value::String(s),
        Cell::Bytes(b) => json!({ "base64": base64::engine::general_purpose::STANDARD.encode(b) }),
    }
}

fn from_json(v: Value) -> Result<Cell, Said> {
    Ok(match v {
        Value::Null => Cell::Null,
        Value::String(s) => Cell::Text(s),
        Value::Number(n) => Cell::Int(n.as_i64().ok_or_else(|| said!("numero {n} non intero", n))?),
        Value::Object(o) => {
            let text = o.get("base64").and_then(Value::as_str).ok_or_else(|| said!("un oggetto che non è un valore «base64»"))?;
            Cell::Bytes(base64::engine::general_purpose::STANDARD.decode(text).map_err(|e| said!("base64 non valido: {e}", e))?)
        }
        other => return Err(said!("valore {other} non ammesso", other)),
    })
}

fn line(out: &mut impl Write, v: &Value) -> Result<(), AppError> {
    serde_json::to_writer(&mut *out, v).map_err(|e| write_error(e.into()))?;
    out.write_all(b"\n").map_err(write_error)
}

/// The next line as JSON, `None` at the end; `n` counts lines for messages.
fn next_line(reader: &mut impl BufRead, n: &mut u64) -> Result<Option<Value>, AppError> {
    let mut buf = Vec::new();
    let read = Read::take(&mut *reader, MAX_LINE + 1).read_until(b'\n', &mut buf).map_err(read_error)?;
    if read == 0 {
        return Ok(None);
    }
    *n += 1;
    if buf.len() as u64 > MAX_LINE {
        return Err(bad(*n, said!("riga più lunga di {mib} MiB", mib = MAX_LINE / 1024 / 1024)));
    }
    serde_json::from_slice(&buf).map(Some).map_err(|e| bad(*n, said!("JSON non valido: {e}", e)))
}

fn bad(line: u64, what: Said) -> AppError {
    AppError::Refused(said!("archivio non valido, riga {line}: {what}; nulla è stato ripristinato", line, what => what))
}

fn at_line(line: u64, table: &str, e: traguardi_store::StoreError) -> AppError {
    AppError::Refused(said!("archivio non valido, tabella {table} (fino alla riga {line}): {e}; nulla è stato ripristinato", table, line, e))
}

fn read_error(e: std::io::Error) -> AppError {
    AppError::Refused(said!("archivio illeggibile ({e}): è un file .jsonl.gz scritto da traguardi backup? Nulla è stato ripristinato", e))
}

fn write_error(e: std::io::Error) -> AppError {
    AppError::Refused(said!("scrittura della copia di sicurezza non riuscita: {e}", e))
}

/// A reader or writer that hashes the bytes going through it.
struct Hashing<T> {
    inner: T,
    hash: Sha256,
}

impl<T> Hashing<T> {
    fn new(inner: T) -> Self {
        Hashing { inner, hash: Sha256::new() }
    }

    fn hex(&self) -> String {
        hex::encode(self.hash.clone().finalize())
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}
