//! The import wizard on SQLite and PostgreSQL: upload, mapping, preview with every problem by
//! row, a corrected file, commit; nothing is written before the commit.

use std::collections::BTreeMap;
use traguardi_app::accounts::access::AccountRole;

use traguardi_app::import::wizard::{self, Kind};
use traguardi_app::{Actor, AppError, plan::import_plan, plan::measurements, samples::demo};
use traguardi_docs::ReadOptions;
use traguardi_domain::Lang;
use traguardi_store::{Store, testing};

fn chosen(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// The demo with a half-yearly KPI of the contact centre in 2021, and a planner.
async fn milano_with_crm(store: &Store) -> (traguardi_store::ente::Ente, Actor) {
    let (milano, _) = demo::load(store).await.expect("demo");
    let plan = "dimensione,ambito,struttura,obiettivo,obiettivo_titolo,obiettivo_peso,kpi,kpi_nome,misura,verso,baseline,target,kpi_peso,periodicita\n\
                direzione,,CRM,CRM-2021-01,Contact center,1,CRM-2021-01-K1,Chiamate gestite,numero,crescente,,100000,1,semestrale\n";
    import_plan::import_plan(store, &Actor::console(), &milano, 2021, plan.as_bytes(), ReadOptions::default(), false).await.expect("plan");
    (milano, Actor::user("paola.rossi", "a1", &[AccountRole::Pianificatore], &[]))
}

async fn story(store: &Store) {
    let console = Actor::console();
    let (milano, planner) = milano_with_crm(store).await;

    // A file with the office's own headers (semicolons, Italian decimals) and a wrong date.
    let file = "Codice KPI;Data fine periodo;Valore;Nota;Ufficio\nCRM-2021-01-K1;30/06/2021;48.000;primo semestre;CRM\nCRM-2021-01-K1;31/13/2021;97.500;secondo semestre;CRM\n";
    let id = wizard::upload(store, &planner, &milano, Kind::Misurazioni, 2021, "C:\\dati\\valori.csv", file.as_bytes()).await.expect("upload");
    let shown = wizard::show(store, &planner, &milano, &id).await.expect("show");
    assert_eq!((shown.filename.as_str(), shown.rows, shown.mapped), ("valori.csv", 2, false));
    assert_eq!(shown.headers, ["codice kpi", "data fine periodo", "valore", "nota", "ufficio"]);
    // Headers equal to a column name are chosen already.
    let guessed: Vec<(&str, Option<&str>)> = shown.choices.iter().map(|c| (c.name, c.chosen.as_deref())).collect();
    assert_eq!(guessed, [("kpi", None), ("data", None), ("valore", Some("valore")), ("nota", Some("nota")), ("non_valutabile", None), ("causa", None)]);

    // Before a mapping there is no preview; a mapping that leaves out a required column, names
    // an unknown header or uses one twice is refused whole.
    assert!(matches!(wizard::preview(store, &planner, &milano, &id, Lang::It).await, Err(AppError::Refused(_))));
    let bad = chosen(&[("kpi", "codice kpi"), ("valore", "valore"), ("nota", "valore"), ("causa", "motivo")]);
    match wizard::map(store, &planner, &milano, &id, &bad).await {
        Err(AppError::Invalid(p)) => assert_eq!(
            p.describe(Lang::It),
            "colonna «causa»: valore «motivo» non ammesso; valori possibili: codice kpi, data fine periodo, valore, nota, ufficio\n\
             colonna «valore»: «valore» non è valido: atteso una colonna del file non già scelta per un'altra\n\
             colonna «data»: colonna obbligatoria assente nell'intestazione"
        ),
        other => panic!("{other:?}"),
    }
    let good = chosen(&[("kpi", "Codice KPI"), ("data", "data fine periodo"), ("valore", "valore"), ("nota", "nota"), ("causa", "")]);
    wizard::map(store, &planner, &milano, &id, &good).await.expect("map");

    // The preview names the row and the file's column; nothing is written.
    let p = wizard::preview(store, &planner, &milano, &id, Lang::It).await.expect("preview");
    assert_eq!((p.problem_count, p.summary.as_deref()), (1, None));
    assert_eq!(
        p.columns.iter().map(|(n, h)| format!("{n}={h}")).collect::<Vec<_>>(),
        ["kpi=codice kpi", "data=data fine periodo", "valore=valore", "nota=nota"]
    );
    assert_eq!(p.rows.len(), 2);
    assert_eq!((p.rows[0].line, p.rows[0].problems.len()), (2, 0));
    assert_eq!(p.rows[1].line, 3);
    assert_eq!(p.rows[1].cells, ["CRM-2021-01-K1", "31/13/2021", "97.500", "secondo semestre"]);
    assert_eq!(p.rows[1].problems, ["colonna «data fine periodo» (data): data «31/13/2021» non valida (usare AAAA-MM-GG o GG/MM/AAAA)"]);
    // The same preview for a person who reads the pages in English.
    let en = wizard::preview(store, &planner, &milano, &id, Lang::En).await.expect("preview in English");
    assert_eq!(en.rows[1].problems.len(), 1);
    assert!(en.rows[1].problems[0].starts_with("column «data fine periodo» (data): "), "{:?}", en.rows[1].problems);
    assert!(measurements::entry_sheet(store, &console, &milano, 2021, "CRM-2021-01-K1").await.expect("sheet").periods.iter().all(|(_, m, _)| m.is_none()));
    assert!(matches!(wizard::commit(store, &planner, &milano, &id, Lang::It).await, Err(AppError::Invalid(_))), "a file with problems is never imported");

    // Only its owner sees an upload; a user who may not import cannot start one.
    let other = Actor::user("mario.verdi", "a2", &[AccountRole::Pianificatore], &[]);
    assert!(matches!(wizard::show(store, &other, &milano, &id).await, Err(AppError::NotFound(_))));
    let employee = Actor::user("dipendente", "a3", &[AccountRole::Dipendente], &[]);
    assert!(matches!(wizard::upload(store, &employee, &milano, Kind::Misurazioni, 2021, "v.csv", file.as_bytes()).await, Err(AppError::Forbidden { .. })));

    // The corrected file keeps the mapping; the preview says what the import will do; commit.
    let fixed = file.replace("31/13/2021", "31/12/2021");
    wizard::replace(store, &planner, &milano, &id, "valori-corretti.csv", fixed.as_bytes()).await.expect("replace");
    let p = wizard::preview(store, &planner, &milano, &id, Lang::It).await.expect("preview");
    assert_eq!((p.problem_count, p.upload.filename.as_str()), (0, "valori-corretti.csv"));
    assert_eq!(p.summary.as_deref(), Some("misurazioni 2021: 2 righe lette, 2 valori nuovi, 0 nuove versioni, 0 invariati"));
    let (kind, done) = wizard::commit(store, &planner, &milano, &id, Lang::It).await.expect("commit");
    assert_eq!((kind, done.as_str()), (Kind::Misurazioni, "misurazioni 2021: 2 righe lette, 2 valori nuovi, 0 nuove versioni, 0 invariati"));
    let sheet = measurements::entry_sheet(store, &console, &milano, 2021, "CRM-2021-01-K1").await.expect("sheet");
    let values: Vec<Option<String>> = sheet.periods.iter().map(|(_, m, _)| m.as_ref().and_then(|m| m.value.clone())).collect();
    assert_eq!(values, [Some("48000".to_string()), Some("97500".to_string())]);
    // Committed, the upload is gone.
    assert!(matches!(wizard::show(store, &planner, &milano, &id).await, Err(AppError::NotFound(_))));

    // A spreadsheet goes the same way: its first sheet, with its own headers.
    let sheet = traguardi_docs::export::Sheet {
        name: "valori".into(),
        header: vec!["Indicatore".into(), "Al".into(), "Misura".into(), "Commento".into()],
        rows: vec![vec!["CRM-2021-01-K1".into(), "2021-06-30".into(), "50000".into(), "rettifica".into()]],
    };
    let xlsx = traguardi_docs::export::to_xlsx(&sheet).expect("xlsx");
    let id = wizard::upload(store, &planner, &milano, Kind::Misurazioni, 2021, "valori.xlsx", &xlsx).await.expect("upload");
    assert_eq!(wizard::show(store, &planner, &milano, &id).await.expect("show").headers, ["indicatore", "al", "misura", "commento"]);
    wizard::map(store, &planner, &milano, &id, &chosen(&[("kpi", "indicatore"), ("data", "al"), ("valore", "misura"), ("nota", "commento")]))
        .await
        .expect("map");
    let p = wizard::preview(store, &planner, &milano, &id, Lang::It).await.expect("preview");
    assert_eq!(p.summary.as_deref(), Some("misurazioni 2021: 1 righe lette, 0 valori nuovi, 1 nuove versioni, 0 invariati"));
    wizard::discard(store, &planner, &milano, &id).await.expect("discard");
    assert!(matches!(wizard::show(store, &planner, &milano, &id).await, Err(AppError::NotFound(_))));

    // A file that is not a table is refused at upload, saying why.
    match wizard::upload(store, &planner, &milano, Kind::Piano, 2021, "vuoto.csv", b"").await {
        Err(AppError::Invalid(p)) => assert_eq!(p.describe(Lang::It), "il file non contiene righe di dati"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn import_wizard_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        story(&store).await;
    }
}

/// Confirming twice (a double click, a second tab) imports once; a preview runs while someone
/// else holds SQLite's write lock, because a preview never takes it.
#[tokio::test]
async fn a_double_submit_imports_once_and_a_preview_waits_for_no_writer() {
    for store in testing::all().await.expect("stores") {
        let (milano, planner) = milano_with_crm(&store).await;
        let file = "kpi,data,valore,nota\nCRM-2021-01-K1,2021-06-30,48000,\nCRM-2021-01-K1,2021-12-31,97500,\n";
        let id = wizard::upload(&store, &planner, &milano, Kind::Misurazioni, 2021, "valori.csv", file.as_bytes()).await.expect("upload");
        wizard::map(&store, &planner, &milano, &id, &chosen(&[("kpi", "kpi"), ("data", "data"), ("valore", "valore"), ("nota", "nota")])).await.expect("map");

        let writer = store.begin().await.expect("someone saving holds the write lock");
        let preview = tokio::time::timeout(std::time::Duration::from_secs(5), wizard::preview(&store, &planner, &milano, &id, Lang::It))
            .await
            .expect("the preview does not wait for the writer")
            .expect("preview");
        assert_eq!(preview.summary.as_deref(), Some("misurazioni 2021: 2 righe lette, 2 valori nuovi, 0 nuove versioni, 0 invariati"));
        writer.rollback().await.expect("rollback");

        let (a, b) = tokio::join!(wizard::commit(&store, &planner, &milano, &id, Lang::It), wizard::commit(&store, &planner, &milano, &id, Lang::It));
        let outcomes = [&a, &b];
        assert_eq!(outcomes.iter().filter(|r| r.is_ok()).count(), 1, "{a:?} {b:?}");
        let refused = outcomes.iter().find_map(|r| r.as_ref().err()).expect("one refused");
        assert!(matches!(refused, AppError::Conflict(_) | AppError::NotFound(_)), "{refused:?}");
        let versions: i64 =
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM measurement m JOIN kpi k ON k.id = m.kpi_id WHERE k.code = 'CRM-2021-01-K1'")
                .fetch_one(&store.pool)
                .await
                .expect("count");
        assert_eq!(versions, 2, "each value once, on {:?}", store.backend);
    }
}
