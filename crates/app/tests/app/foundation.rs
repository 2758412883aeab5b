//! The foundation's use cases, on SQLite and on PostgreSQL.

use traguardi_app::{Actor, AppError, accounts::audit, cycle::cycles, org::import_org, org::import_people, org::org_tree, samples::demo};
use traguardi_docs::ReadOptions;
use traguardi_domain::Lang;
use traguardi_store::{Store, testing};

async fn count(store: &Store, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"))).fetch_one(&store.pool).await.expect("count")
}

async fn counts(store: &Store) -> Vec<i64> {
    let mut v = Vec::new();
    for t in ["ente", "cycle", "org_unit", "person", "assignment", "audit_log"] {
        v.push(count(store, t).await);
    }
    v
}

fn invalid(r: Result<impl std::fmt::Debug, AppError>) -> String {
    match r {
        Err(AppError::Invalid(p)) => p.describe(Lang::It),
        other => panic!("expected problems, got {other:?}"),
    }
}

async fn other_ente(store: &Store) -> traguardi_store::ente::Ente {
    crate::common::torino(store).await
}

async fn story(store: &Store) {
    let console = Actor::console();

    // The demo: 28 units, 28 people named in the acts and 192 illustrative staff in 2020 (197
    // assignments: five moved on 1 July), the open assignments copied into 2021 and 2022.
    let (milano, first) = demo::load(store).await.expect("demo");
    assert!(first.created);
    assert_eq!(counts(store).await[..5], [1, 3, 84, 220, 665]);
    let tree = org_tree::org_tree(store, &Actor::public(), None, Some(2020)).await.expect("tree");
    assert_eq!(tree.years, [2022, 2021, 2020]);
    assert_eq!(tree.nodes.len(), 28);
    let dg = tree.nodes.iter().find(|n| n.unit.code == "DG").expect("DG");
    assert_eq!(dg.unit.name, "DIREZIONE GENERALE");
    assert_eq!(dg.responsible.as_deref(), Some("Dott. Christian Malangone"));
    let crm = tree.nodes.iter().position(|n| n.unit.code == "CRM").expect("CRM");
    assert_eq!(tree.nodes[crm - 1].unit.code, "SIAD", "a child follows its parent");
    assert_eq!((tree.nodes[crm].depth, tree.nodes[crm].unit.cdr.as_deref()), (1, Some("222")));
    let oru = tree.nodes.iter().find(|n| n.unit.code == "ORU").expect("ORU");
    assert_eq!(oru.responsible.as_deref(), Some("Avv. Valerio Iossa"));
    let sg = tree.nodes.iter().find(|n| n.unit.code == "SG").expect("SG");
    assert_eq!((sg.responsible.as_deref(), sg.staff), (Some("Dott.ssa Laura Bianchi"), 2), "the Vice Segretario is not the responsible");

    // Twice changes nothing, not even the audit trail.
    let before = counts(store).await;
    let (_, second) = demo::load(store).await.expect("demo again");
    assert!(!second.created);
    assert_eq!(second.changes, 0);
    assert_eq!(counts(store).await, before);

    // A bad org file: every problem listed, nothing written.
    let bad = "codice,nome,tipo,padre,cdr\n\
               N1,Nuova area,area,NOPE,\n\
               N2,Doppia,ufficio,DG,\n\
               N2,Doppia,area,DG,\n\
               C1,Ciclo A,area,C2,\n\
               C2,Ciclo B,area,C1,\n\
               N3,Troncata,area\n";
    let bad = format!("{bad}N4,Area CdR doppio,area,SIAD,222\n");
    let msg = invalid(import_org::import_org(store, &console, &milano, 2020, bad.as_bytes(), ReadOptions::default(), false).await);
    assert_eq!(
        msg,
        "riga 2, colonna «padre»: padre «NOPE» inesistente (né nel file né già registrato)\n\
         riga 3, colonna «tipo»: valore «ufficio» non ammesso; valori possibili: direzione, area, settore, unita, servizio\n\
         riga 4, colonna «codice»: «N2» è già alla riga 3\n\
         riga 5, colonna «padre»: ciclo nell'albero: C1 → C2 → C1\n\
         riga 7: riga troncata: 3 campi invece di 5\n\
         riga 8, colonna «cdr»: CdR «222» già assegnato alla struttura CRM"
    );
    assert_eq!(counts(store).await, before);

    // A good one: dry run first, then for real; a rename keeps the unit's lineage.
    let good = "codice,nome,tipo,padre,cdr,responsabile\n\
                CRM,AREA CRM E CANALI,area,SIAD,222,D022\n\
                CRM1,UNITÀ CONTACT CENTER,unità,CRM,,\n";
    let dry = import_org::import_org(store, &console, &milano, 2022, good.as_bytes(), ReadOptions::default(), true).await.expect("dry");
    assert_eq!((dry.created.clone(), dry.updated.clone(), dry.unchanged), (vec!["CRM1".to_string()], vec!["CRM".to_string()], 0));
    assert_eq!(counts(store).await, before);
    let done = import_org::import_org(store, &console, &milano, 2022, good.as_bytes(), ReadOptions::default(), false).await.expect("import");
    assert_eq!(done.created, ["CRM1"]);
    let t22 = org_tree::org_tree(store, &console, Some("015146"), Some(2022)).await.expect("tree");
    let crm22 = t22.nodes.iter().find(|n| n.unit.code == "CRM").expect("CRM");
    assert_eq!(crm22.unit.name, "AREA CRM E CANALI");
    assert_eq!(crm22.responsible.as_deref(), Some("Dott. Francesco Castanò"));
    let mut conn = store.pool.acquire().await.expect("conn");
    let hist = traguardi_store::org::history(&mut conn, &milano.id, &crm22.unit.lineage_id).await.expect("history");
    assert_eq!(hist.iter().map(|(y, u)| format!("{y} {}", u.name)).collect::<Vec<_>>(), ["2020 AREA CRM", "2021 AREA CRM", "2022 AREA CRM E CANALI"]);
    drop(conn);

    // People: category versioned by date, overlaps, unknown units, disagreeing names.
    let staff = "matricola,cognome,nome,struttura,ruolo,categoria,part_time,tipo_part_time,inizio,fine,interim\n\
                 P001,Rossi,Maria,CRM,dipendente,C,100,,2023-01-01,,\n\
                 P002,Verdi,Luca,CRM,po_eq,D,,,2023-01-01,2023-03-31,\n\
                 P002,Verde,Luca,CRM1,po_eq,EQ,,,2023-03-01,,\n\
                 P003,Neri,Anna,NOPE,dipendente,IR,150,,,,\n";
    let msg = invalid(import_people::import_people(store, &console, &milano, 2023, staff.as_bytes(), ReadOptions::default(), false).await);
    assert_eq!(
        msg,
        "riga 2, colonna «struttura»: struttura «CRM» inesistente in questo ente e ciclo\n\
         riga 2, colonna «categoria»: categoria C valida solo fino al 31/03/2023; dividere l'incarico al 31/03/2023 e usare dal 01/04/2023 l'area IR (Istruttori)\n\
         riga 3, colonna «struttura»: struttura «CRM» inesistente in questo ente e ciclo\n\
         riga 4, colonna «struttura»: struttura «CRM1» inesistente in questo ente e ciclo\n\
         riga 4, colonna «categoria»: categoria EQ valida solo dal 01/04/2023; prima del 01/04/2023 usare le categorie A, B, C, D, PO\n\
         riga 4, colonna «cognome»: «Verde» diverso da «Verdi» della riga 3 per lo stesso codice\n\
         riga 4: incarico sovrapposto a quello della riga 3: indicare interim = si per l'incarico aggiuntivo\n\
         riga 5, colonna «part_time»: 150 fuori dall'intervallo 0–100\n\
         riga 5, colonna «struttura»: struttura «NOPE» inesistente in questo ente e ciclo"
    );
    assert_eq!(counts(store).await[1], 3, "the cycle 2023 named by a failed import is not left behind");

    // The area reform: a D employee in 2022 continues as EQ from 1/04/2023 when 2023 opens.
    let staff = "matricola,cognome,nome,struttura,ruolo,categoria,part_time,tipo_part_time,inizio,fine,interim\n\
                 P002,Verdi,Luca,CRM1,po_eq,D,50,verticale,2015-06-01,,\n\
                 P004,Gialli,Sara,CRM,dipendente,C,,,2022-01-01,2022-06-30,\n";
    let r = import_people::import_people(store, &console, &milano, 2022, staff.as_bytes(), ReadOptions::default(), false).await.expect("people");
    assert_eq!((r.people_created, r.assignments), (2, 2));
    let opened = cycles::open(store, &console, &milano, 2023).await.expect("open 2023");
    assert_eq!(opened.units, 29);
    let mut conn = store.pool.acquire().await.expect("conn");
    let c23 = cycles::get(&mut conn, &milano, 2023).await.expect("2023");
    let p2 = traguardi_store::people::person_by_matricola(&mut conn, &milano.id, "P002").await.expect("q").expect("P002");
    let mine: Vec<String> = traguardi_store::people::assignments_of_cycle(&mut conn, &milano.id, &c23.id)
        .await
        .expect("assignments")
        .into_iter()
        .filter(|a| a.person_id == p2.id)
        .map(|a| format!("{} {:?} {} {} {:?}", a.category.code(), a.ends, a.part_time.percent, a.part_time.kind.code(), a.starts))
        .collect();
    assert_eq!(mine, ["D Some(2023-03-31) 50 verticale 2015-06-01", "EQ None 50 verticale 2023-04-01"]);
    drop(conn);
    let again = cycles::open(store, &console, &milano, 2023).await;
    assert!(matches!(again, Err(AppError::Refused(ref m)) if m == "il ciclo 2023 ha già una struttura organizzativa: modificarla con import org"));

    // A unit closed in 2023: refused while it has staff, then removed from 2023 only.
    let refused = cycles::remove_unit(store, &console, &milano, 2023, "CRM1").await;
    assert!(
        matches!(refused, Err(AppError::Refused(ref m)) if m == "la struttura CRM1 ha ancora nel 2023: 2 incarichi; spostarli o chiuderli prima di toglierla"),
        "{refused:?}"
    );
    let refused = cycles::remove_unit(store, &console, &milano, 2023, "SIAD").await;
    assert!(
        matches!(refused, Err(AppError::Refused(ref m)) if m.to_string().starts_with("la struttura SIAD ha ancora nel 2023: 1 strutture dipendenti, 9 incarichi")),
        "{refused:?}"
    );
    let removed = cycles::remove_unit(store, &console, &milano, 2023, "OSP").await;
    assert!(matches!(removed, Err(AppError::Refused(_))), "OSP still has its director");
    let fresh = "codice,nome,tipo,padre,cdr\nTMP,Unità temporanea,unita,SIAD,\n";
    import_org::import_org(store, &console, &milano, 2023, fresh.as_bytes(), ReadOptions::default(), false).await.expect("tmp");
    let gone = cycles::remove_unit(store, &console, &milano, 2023, "TMP").await.expect("removed");
    assert_eq!(gone.name, "Unità temporanea");
    assert!(org_tree::org_tree(store, &console, Some("015146"), Some(2023)).await.expect("tree").nodes.iter().all(|n| n.unit.code != "TMP"));

    // Enti never mix: Torino with the same codes sees only its own tree.
    let torino = other_ente(store).await;
    let org_t = "codice,nome,tipo,padre,cdr\nDG,DIREZIONE GENERALE TORINO,direzione,,\n";
    import_org::import_org(store, &console, &torino, 2020, org_t.as_bytes(), ReadOptions::default(), false).await.expect("torino");
    let tt = org_tree::org_tree(store, &console, Some("001272"), Some(2020)).await.expect("tree");
    assert_eq!(tt.nodes.iter().map(|n| n.unit.name.as_str()).collect::<Vec<_>>(), ["DIREZIONE GENERALE TORINO"]);
    assert_eq!(tt.years, [2020]);
    let tm = org_tree::org_tree(store, &console, Some("015146"), Some(2020)).await.expect("tree");
    assert_eq!(tm.nodes.len(), 28);
    assert!(matches!(org_tree::org_tree(store, &console, None, None).await, Err(AppError::WhichEnte { ref codes }) if codes == "001272, 015146"));
    let people_t = "matricola,cognome,nome,struttura,ruolo,categoria\nD001,Rossi,Mario,SIAD,dipendente,C\n";
    let msg = invalid(import_people::import_people(store, &console, &torino, 2020, people_t.as_bytes(), ReadOptions::default(), false).await);
    assert_eq!(msg, "riga 2, colonna «struttura»: struttura «SIAD» inesistente in questo ente e ciclo");

    // The public may read but not write.
    assert!(matches!(
        import_org::import_org(store, &Actor::public(), &milano, 2020, good.as_bytes(), ReadOptions::default(), false).await,
        Err(AppError::Forbidden { .. })
    ));

    // The audit chain verifies, and an edit made directly in the database is detected.
    let mut conn = store.pool.acquire().await.expect("conn");
    let records = traguardi_store::audit::of_ente(&mut conn, &milano.id).await.expect("audit");
    assert!(records.len() > 100);
    assert_eq!(audit::verify_chain(&records), Ok(()));
    sqlx::query("UPDATE audit_log SET actor = 'intruso' WHERE seq = $1").bind(records[5].seq).execute(&mut *conn).await.expect("tamper");
    let tampered = traguardi_store::audit::of_ente(&mut conn, &milano.id).await.expect("audit");
    assert_eq!(audit::verify_chain(&tampered).map_err(|e| e.to_string()), Err(format!("registro di audit alterato al n. {}", records[5].seq)));
    sqlx::query("DELETE FROM audit_log WHERE seq = $1").bind(records[5].seq).execute(&mut *conn).await.expect("delete");
    let cut = traguardi_store::audit::of_ente(&mut conn, &milano.id).await.expect("audit");
    assert_eq!(
        audit::verify_chain(&cut).map_err(|e| e.to_string()),
        Err(format!("registro di audit interrotto prima del n. {} (record mancante o riordinato)", records[6].seq))
    );
}

#[tokio::test]
async fn foundation_story_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        eprintln!("foundation story on {:?}", store.backend);
        story(&store).await;
    }
}
