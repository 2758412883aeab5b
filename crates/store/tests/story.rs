//! One story of the store, run on SQLite and on PostgreSQL.

use chrono::NaiveDate;
use std::collections::BTreeSet;
use traguardi_domain::cycle::CycleCalendar;
use traguardi_domain::ente::{EnteCode, EnteKind, NewEnte};
use traguardi_domain::org::UnitKind;
use traguardi_domain::people::{Category, PartTime, Role};
use traguardi_store::org::OrgUnit;
use traguardi_store::people::{Assignment, Person};
use traguardi_store::{Backend, EnteId, Store, cycle, ente, new_id, org, people, testing};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn ente_of(code: &str, name: &str) -> NewEnte {
    NewEnte {
        code: EnteCode::parse(code).expect("code"),
        name: name.into(),
        codice_fiscale: None,
        kind: EnteKind::Comune,
        staff_size: 14000,
        has_dirigenti: true,
    }
}

fn unit(cycle_id: &traguardi_domain::cycle::CycleId, lineage: &str, code: &str, name: &str, parent: Option<&str>, year: i32) -> OrgUnit {
    OrgUnit {
        id: new_id(),
        cycle_id: cycle_id.clone(),
        lineage_id: lineage.into(),
        code: code.into(),
        name: name.into(),
        kind: if parent.is_none() { UnitKind::Direzione } else { UnitKind::Area },
        parent_id: parent.map(Into::into),
        cdr: Some("222".into()),
        responsible_id: None,
        valid_from: d(year, 1, 1),
        valid_to: d(year, 12, 31),
        position: 0,
    }
}

async fn story(store: &Store) {
    // Migrations run twice change nothing.
    store.migrate().await.expect("second migrate");
    assert!(store.ping().await);
    let mut tx = store.begin().await.expect("tx");

    let milano = ente::insert(&mut tx, &ente_of("015146", "Comune di Milano")).await.expect("ente");
    let torino = ente::insert(&mut tx, &ente_of("001272", "Comune di Torino")).await.expect("ente");
    assert!(ente::insert(&mut tx, &ente_of("015146", "Doppione")).await.is_err(), "ISTAT code is unique");
    tx.rollback().await.expect("rollback");

    // The failed insert above rolled everything back: nothing was written.
    let mut tx = store.begin().await.expect("tx");
    assert!(ente::list(&mut tx).await.expect("list").is_empty());
    let milano = ente::insert(&mut tx, &ente_of("015146", &milano.name)).await.expect("ente");
    let torino = ente::insert(&mut tx, &ente_of("001272", &torino.name)).await.expect("ente");

    let c2020 = cycle::insert(&mut tx, &milano.id, &CycleCalendar::default_for(2020)).await.expect("cycle");
    let c2021 = cycle::insert(&mut tx, &milano.id, &CycleCalendar::default_for(2021)).await.expect("cycle");
    let t2020 = cycle::insert(&mut tx, &torino.id, &CycleCalendar::default_for(2020)).await.expect("cycle");
    tx.commit().await.expect("commit");

    let mut tx = store.begin().await.expect("tx");
    let years: Vec<i32> = cycle::list(&mut tx, &milano.id).await.expect("cycles").iter().map(|c| c.year()).collect();
    assert_eq!(years, [2021, 2020]);
    assert_eq!(cycle::by_year(&mut tx, &milano.id, 2020).await.expect("by year").map(|c| c.calendar.days()), Some(366));

    // Same codes in both enti.
    let dg = unit(&c2020.id, "L-DG", "DG", "DIREZIONE GENERALE", None, 2020);
    let crm = unit(&c2020.id, "L-CRM", "CRM", "AREA CRM", Some(&dg.id), 2020);
    org::save(&mut tx, &milano.id, &dg).await.expect("unit");
    org::save(&mut tx, &milano.id, &crm).await.expect("unit");
    let tdg = unit(&t2020.id, "T-DG", "DG", "DIREZIONE GENERALE TORINO", None, 2020);
    org::save(&mut tx, &torino.id, &tdg).await.expect("unit");

    // Renamed next year, same lineage.
    let dg21 = unit(&c2021.id, "L-DG", "DG", "DIREZIONE GENERALE E OPERATIVA", None, 2021);
    org::save(&mut tx, &milano.id, &dg21).await.expect("unit");
    let hist = org::history(&mut tx, &milano.id, "L-DG").await.expect("history");
    assert_eq!(hist.iter().map(|(y, u)| (*y, u.name.as_str())).collect::<Vec<_>>(), [(2020, "DIREZIONE GENERALE"), (2021, "DIREZIONE GENERALE E OPERATIVA")]);
    assert_eq!(org::lineage_before(&mut tx, &milano.id, 2021, "DG").await.expect("lineage"), Some("L-DG".into()));
    assert_eq!(org::lineage_before(&mut tx, &milano.id, 2020, "DG").await.expect("lineage"), None);

    let person = Person {
        id: new_id(),
        matricola: "M001".into(),
        family_name: "Francesca".into(),
        given_name: "Carmela".into(),
        title: Some("Dott.ssa".into()),
        email: None,
    };
    let person = people::upsert_person(&mut tx, &milano.id, &person).await.expect("person");
    let renamed = Person { id: new_id(), given_name: "Carmela M.".into(), ..person.clone() };
    let again = people::upsert_person(&mut tx, &milano.id, &renamed).await.expect("person");
    assert_eq!(again.id, person.id, "upsert by matricola keeps the id");
    assert_eq!(people::persons(&mut tx, &milano.id).await.expect("persons")[0].display_name(), "Dott.ssa Carmela M. Francesca");
    org::set_responsible(&mut tx, &milano.id, &dg.id, &person.id).await.expect("responsible");

    let a = Assignment {
        id: new_id(),
        cycle_id: c2020.id.clone(),
        person_id: person.id.clone(),
        unit_id: dg.id.clone(),
        role: Role::Direttore,
        category: Category::Dirigente,
        part_time: PartTime::FULL,
        starts: d(2020, 1, 1),
        ends: None,
        interim: false,
    };
    people::insert_assignment(&mut tx, &milano.id, &a).await.expect("assignment");
    assert_eq!(people::assignments_of_cycle(&mut tx, &milano.id, &c2020.id).await.expect("list"), vec![a.clone()]);

    // Scoping: Torino sees none of Milan's rows, even by id.
    let units_t: Vec<String> = org::of_cycle(&mut tx, &torino.id, &t2020.id).await.expect("units").into_iter().map(|u| u.name).collect();
    assert_eq!(units_t, ["DIREZIONE GENERALE TORINO"]);
    assert!(org::of_cycle(&mut tx, &torino.id, &c2020.id).await.expect("units").is_empty());
    assert!(org::by_id(&mut tx, &torino.id, &dg.id).await.expect("by id").is_none());
    assert!(people::person_by_matricola(&mut tx, &torino.id, "M001").await.expect("p").is_none());
    assert!(people::assignments_of_cycle(&mut tx, &torino.id, &c2020.id).await.expect("a").is_empty());
    assert!(cycle::by_year(&mut tx, &torino.id, 2021).await.expect("c").is_none());
    let units_m = org::of_cycle(&mut tx, &milano.id, &c2020.id).await.expect("units");
    assert_eq!(units_m.len(), 2);
    assert_eq!(units_m.iter().find(|u| u.code == "DG").and_then(|u| u.responsible_id.clone()), Some(person.id.clone()));

    // Foreign keys hold on both backends.
    let orphan = unit(&c2020.id, "L-X", "X", "ORFANA", Some("no-such-parent"), 2020);
    assert!(org::save(&mut tx, &milano.id, &orphan).await.is_err(), "parent must exist");
    tx.rollback().await.expect("rollback");

    // One cycle per ente and year.
    let mut tx = store.begin().await.expect("tx");
    assert!(cycle::insert(&mut tx, &milano.id, &CycleCalendar::default_for(2020)).await.is_err());
    tx.rollback().await.expect("rollback");
    let mut tx = store.begin().await.expect("tx");
    assert!(cycle::insert(&mut tx, &EnteId("no-such-ente".into()), &CycleCalendar::default_for(2020)).await.is_err(), "ente must exist");
    tx.rollback().await.expect("rollback");
}

#[tokio::test]
async fn store_story_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        eprintln!("store story on {:?}", store.backend);
        story(&store).await;
    }
}

/// The migrations of the two backends describe the same schema: tables and columns with their
/// types (SQLite's INTEGER is 64-bit: PostgreSQL's must be BIGINT), nullability, defaults, primary
/// keys, unique and plain indexes (partial or not), foreign keys with their actions, and the
/// values each CHECK allows.
#[tokio::test]
async fn migrations_are_in_parity() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let names = |b: &str| -> BTreeSet<String> {
        std::fs::read_dir(dir.join(b)).expect("dir").map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect()
    };
    assert_eq!(names("sqlite"), names("postgres"), "same migration files for both backends");

    let sqlite = testing::sqlite().await.expect("sqlite");
    let lite = schema(&sqlite).await;
    for expected in [
        "column org_unit.lineage_id text not null",
        "column import_upload.cycle_year int64 null",
        "primary key ente (id)",
        "foreign key org_unit (parent_id) -> org_unit (id) on delete no action",
        "check ente (has_dirigenti) in [0, 1]",
    ] {
        assert!(lite.contains(expected), "{expected} not in {lite:#?}");
    }
    assert!(lite.iter().any(|l| l.starts_with("unique partial index ")), "the one approved scenario per cycle");
    let Some(pg) = testing::postgres().await.expect("postgres") else { return };
    let pg = schema(&pg).await;
    let only_sqlite: Vec<&String> = lite.difference(&pg).collect();
    let only_pg: Vec<&String> = pg.difference(&lite).collect();
    assert!(only_sqlite.is_empty() && only_pg.is_empty(), "SQLite only: {only_sqlite:#?}\nPostgreSQL only: {only_pg:#?}");
}

/// Indexes by table and name: unique, partial, and their columns by position.
type Indexes = std::collections::BTreeMap<(String, String), (bool, bool, Vec<(i64, String)>)>;
/// Foreign keys by table and name: the table referenced, the action on delete, and the columns
/// by position with the columns they reference.
type ForeignKeys = std::collections::BTreeMap<(String, String), (String, String, Vec<(i64, String, String)>)>;

/// One line per column, key, index, foreign key and check, in words both backends share.
async fn schema(store: &Store) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let rows = |q: &'static str| async move { sqlx::query(q).fetch_all(&store.pool).await.expect(q) };
    let text = |r: &sqlx::any::AnyRow, i: usize| -> String { sqlx::Row::try_get::<Option<String>, _>(r, i).expect("text").unwrap_or_default() };
    let int = |r: &sqlx::any::AnyRow, i: usize| -> i64 { sqlx::Row::try_get::<i64, _>(r, i).expect("integer") };
    let mut indexes = Indexes::default();
    let mut fks = ForeignKeys::default();
    let mut pks: std::collections::BTreeMap<String, Vec<(i64, String)>> = Default::default();
    match store.backend {
        Backend::Sqlite => {
            let q = "SELECT m.name, p.name, p.type, p.\"notnull\", p.pk, p.dflt_value FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'";
            for r in rows(q).await {
                let kind = match text(&r, 2).to_uppercase().as_str() {
                    "INTEGER" | "BIGINT" => "int64".to_string(),
                    "TEXT" => "text".into(),
                    "BLOB" => "bytes".into(),
                    other => other.to_lowercase(),
                };
                out.insert(column_line(&text(&r, 0), &text(&r, 1), &kind, int(&r, 3) == 1 || int(&r, 4) > 0, &text(&r, 5)));
                if int(&r, 4) > 0 {
                    pks.entry(text(&r, 0)).or_default().push((int(&r, 4), text(&r, 1)));
                }
            }
            let q = "SELECT m.name, il.name, il.\"unique\", il.partial, ii.seqno, ii.name FROM sqlite_master m JOIN pragma_index_list(m.name) il \
                     JOIN pragma_index_info(il.name) ii WHERE m.type = 'table' AND m.name <> '_sqlx_migrations' AND il.origin <> 'pk'";
            for r in rows(q).await {
                let e = indexes.entry((text(&r, 0), text(&r, 1))).or_insert((int(&r, 2) == 1, int(&r, 3) == 1, vec![]));
                e.2.push((int(&r, 4), text(&r, 5)));
            }
            let q = "SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.seq, f.on_delete FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f \
                     WHERE m.type = 'table' AND m.name <> '_sqlx_migrations'";
            for r in rows(q).await {
                let key = (text(&r, 0), int(&r, 1).to_string());
                let e = fks.entry(key).or_insert((text(&r, 2), text(&r, 6).to_lowercase(), vec![]));
                // A reference without columns names the referenced table's primary key.
                let to = Some(text(&r, 4)).filter(|t| !t.is_empty()).unwrap_or_else(|| "id".into());
                e.2.push((int(&r, 5), text(&r, 3), to));
            }
            let q = "SELECT m.name, m.sql FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'";
            for r in rows(q).await {
                for check in sqlite_checks(&text(&r, 1)) {
                    out.insert(check_line(&text(&r, 0), &check));
                }
            }
        }
        Backend::Postgres => {
            let q = "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT), CAST(data_type AS TEXT), \
                     CAST(CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END AS BIGINT), CAST(0 AS BIGINT), CAST(column_default AS TEXT) \
                     FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'";
            for r in rows(q).await {
                let kind = match text(&r, 2).as_str() {
                    "bigint" => "int64".to_string(),
                    "integer" => "int32".into(),
                    "text" => "text".into(),
                    "bytea" => "bytes".into(),
                    other => other.into(),
                };
                out.insert(column_line(&text(&r, 0), &text(&r, 1), &kind, int(&r, 3) == 1, &text(&r, 5)));
            }
            let q = "SELECT CAST(t.relname AS TEXT), CAST(i.relname AS TEXT), CAST(CASE WHEN ix.indisunique THEN 1 ELSE 0 END AS BIGINT), \
                     CAST(CASE WHEN ix.indpred IS NULL THEN 0 ELSE 1 END AS BIGINT), CAST(k.ord AS BIGINT), CAST(a.attname AS TEXT), \
                     CAST(CASE WHEN ix.indisprimary THEN 1 ELSE 0 END AS BIGINT) \
                     FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid \
                     JOIN pg_namespace n ON n.oid = t.relnamespace \
                     CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord) \
                     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                     WHERE n.nspname = 'public' AND t.relname <> '_sqlx_migrations'";
            for r in rows(q).await {
                if int(&r, 6) == 1 {
                    pks.entry(text(&r, 0)).or_default().push((int(&r, 4), text(&r, 5)));
                    continue;
                }
                let e = indexes.entry((text(&r, 0), text(&r, 1))).or_insert((int(&r, 2) == 1, int(&r, 3) == 1, vec![]));
                e.2.push((int(&r, 4), text(&r, 5)));
            }
            let q = "SELECT CAST(cl.relname AS TEXT), CAST(c.conname AS TEXT), CAST(rt.relname AS TEXT), CAST(a.attname AS TEXT), \
                     CAST(ra.attname AS TEXT), CAST(k.ord AS BIGINT), CAST(c.confdeltype AS TEXT) \
                     FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class rt ON rt.oid = c.confrelid \
                     JOIN pg_namespace n ON n.oid = cl.relnamespace \
                     CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(a1, a2, ord) \
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.a1 \
                     JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.a2 \
                     WHERE c.contype = 'f' AND n.nspname = 'public'";
            for r in rows(q).await {
                let action = match text(&r, 6).as_str() {
                    "c" => "cascade",
                    "n" => "set null",
                    "r" => "restrict",
                    "d" => "set default",
                    _ => "no action",
                };
                let e = fks.entry((text(&r, 0), text(&r, 1))).or_insert((text(&r, 2), action.into(), vec![]));
                e.2.push((int(&r, 5), text(&r, 3), text(&r, 4)));
            }
            let q = "SELECT CAST(cl.relname AS TEXT), CAST(pg_get_constraintdef(c.oid) AS TEXT) FROM pg_constraint c \
                     JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace \
                     WHERE c.contype = 'c' AND n.nspname = 'public'";
            for r in rows(q).await {
                out.insert(check_line(&text(&r, 0), &text(&r, 1)));
            }
        }
    }
    for (table, mut cols) in pks {
        cols.sort();
        out.insert(format!("primary key {table} ({})", cols.into_iter().map(|c| c.1).collect::<Vec<_>>().join(", ")));
    }
    for ((table, _), (unique, partial, mut cols)) in indexes {
        cols.sort();
        let cols = cols.into_iter().map(|c| c.1).collect::<Vec<_>>().join(", ");
        out.insert(format!("{}{}index {table} ({cols})", if unique { "unique " } else { "" }, if partial { "partial " } else { "" }));
    }
    for ((table, _), (to, action, mut cols)) in fks {
        cols.sort();
        let from = cols.iter().map(|c| c.1.clone()).collect::<Vec<_>>().join(", ");
        let refs = cols.iter().map(|c| c.2.clone()).collect::<Vec<_>>().join(", ");
        out.insert(format!("foreign key {table} ({from}) -> {to} ({refs}) on delete {action}"));
    }
    out
}

fn column_line(table: &str, column: &str, kind: &str, not_null: bool, default: &str) -> String {
    let default = if default.is_empty() { String::new() } else { format!(" default {}", default.split("::").next().unwrap_or_default()) };
    format!("column {table}.{column} {kind} {}{default}", if not_null { "not null" } else { "null" })
}

/// A CHECK as the column it constrains and the values it allows, from either dialect's text:
/// `col IN (0, 1)` (SQLite) and `CHECK ((col = ANY (ARRAY[(0)::bigint, (1)::bigint])))`
/// (PostgreSQL) both read `check table (col) in [0, 1]`.
fn check_line(table: &str, def: &str) -> String {
    let mut column = None;
    let mut values = Vec::new();
    let mut rest = def;
    while let Some(c) = rest.chars().next() {
        if c == '\'' {
            let end = rest[1..].find('\'').map_or(rest.len(), |i| i + 2);
            values.push(rest[..end].to_string());
            rest = &rest[end..];
        } else if c.is_ascii_digit() {
            let end = rest.find(|ch: char| !ch.is_ascii_digit()).unwrap_or(rest.len());
            values.push(rest[..end].to_string());
            rest = &rest[end..];
        } else if c.is_ascii_alphabetic() || c == '_' {
            let end = rest.find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_')).unwrap_or(rest.len());
            let word = &rest[..end];
            let after_cast = def.len() - rest.len() >= 2 && def[..def.len() - rest.len()].ends_with("::");
            if column.is_none() && !after_cast && !["CHECK", "IN", "ANY", "ARRAY"].contains(&word.to_uppercase().as_str()) {
                column = Some(word.to_string());
            }
            rest = &rest[end..];
        } else {
            rest = &rest[c.len_utf8()..];
        }
    }
    format!("check {table} ({}) in [{}]", column.unwrap_or_default(), values.join(", "))
}

/// The CHECK clauses of a SQLite CREATE TABLE.
fn sqlite_checks(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = sql[at..].find("CHECK") {
        let start = at + i + "CHECK".len();
        let Some(open) = sql[start..].find('(').map(|o| start + o) else { break };
        let mut depth = 0;
        let mut end = open;
        for (j, ch) in sql[open..].char_indices() {
            match ch {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                end = open + j;
                break;
            }
        }
        out.push(sql[open + 1..end].to_string());
        at = end;
    }
    out
}
