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

fn unit(cycle_id: &str, lineage: &str, code: &str, name: &str, parent: Option<&str>, year: i32) -> OrgUnit {
    OrgUnit {
        id: new_id(),
        cycle_id: cycle_id.into(),
        lineage_id: lineage.into(),
        code: code.into(),
        name: name.into(),
        kind: if parent.is_none() { UnitKind::Direzione } else { UnitKind::Area },
        parent_id: parent.map(String::from),
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
    org::insert(&mut tx, &milano.id, &dg).await.expect("unit");
    org::insert(&mut tx, &milano.id, &crm).await.expect("unit");
    let tdg = unit(&t2020.id, "T-DG", "DG", "DIREZIONE GENERALE TORINO", None, 2020);
    org::insert(&mut tx, &torino.id, &tdg).await.expect("unit");

    // Renamed next year, same lineage.
    let dg21 = unit(&c2021.id, "L-DG", "DG", "DIREZIONE GENERALE E OPERATIVA", None, 2021);
    org::insert(&mut tx, &milano.id, &dg21).await.expect("unit");
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
    assert!(org::insert(&mut tx, &milano.id, &orphan).await.is_err(), "parent must exist");
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

/// The migrations of the two backends describe the same tables and columns.
#[tokio::test]
async fn migrations_are_in_parity() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let names = |b: &str| -> BTreeSet<String> {
        std::fs::read_dir(dir.join(b)).expect("dir").map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect()
    };
    assert_eq!(names("sqlite"), names("postgres"), "same migration files for both backends");

    let sqlite = testing::sqlite().await.expect("sqlite");
    let lite = schema(&sqlite).await;
    assert!(lite.contains(&("org_unit".into(), "lineage_id".into())));
    let Some(pg) = testing::postgres().await.expect("postgres") else { return };
    assert_eq!(schema(&pg).await, lite);
}

async fn schema(store: &Store) -> BTreeSet<(String, String)> {
    let q = match store.backend {
        Backend::Sqlite => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'"
        }
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'"
        }
    };
    let rows: Vec<(String, String)> = sqlx::query_as(q).fetch_all(&store.pool).await.expect("schema");
    rows.into_iter().collect()
}
