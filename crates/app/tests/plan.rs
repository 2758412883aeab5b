//! The plan engine's use cases on SQLite and PostgreSQL: imports, scores, explanations.

use rust_decimal::Decimal;
use rust_decimal::dec;
use traguardi_app::scores::{self, ScoreRow};
use traguardi_app::{Actor, AppError, demo, import_measurements, import_plan};
use traguardi_docs::ReadOptions;
use traguardi_domain::Lang;
use traguardi_store::{Store, testing};

fn row<'a>(rows: &'a [ScoreRow], livello: &str, codice: &str) -> &'a ScoreRow {
    rows.iter().find(|r| r.livello == livello && r.codice == codice).unwrap_or_else(|| panic!("{livello} {codice}"))
}

fn pct(rows: &[ScoreRow], livello: &str, codice: &str) -> Option<Decimal> {
    row(rows, livello, codice).percentuale
}

fn invalid(r: Result<impl std::fmt::Debug, AppError>) -> String {
    match r {
        Err(AppError::Invalid(p)) => p.describe(Lang::It),
        other => panic!("expected problems, got {other:?}"),
    }
}

const HEAD: &str = "dimensione,ambito,struttura,obiettivo,obiettivo_titolo,obiettivo_peso,kpi,kpi_nome,misura,verso,baseline,target,kpi_peso,padre,formula,fasce,aggregazione\n";

async fn story(store: &Store) {
    let console = Actor::console();
    let (milano, _) = demo::load(store).await.expect("demo");

    // The demo's 2020 scores, from the act's objectives and the illustrative values.
    let s = scores::load(store, &Actor::public(), Some("015146"), 2020).await.expect("scores");
    let rows = s.rows();
    assert_eq!(s.kpis.len(), 328);
    assert_eq!(pct(&rows, "kpi", "SOL-01-K1"), Some(dec!(93.33)));
    assert_eq!(row(&rows, "kpi", "SOL-01-K1").spiegazione, "Più alto è meglio: 84 / 90 × 100 = 93,33.");
    assert_eq!(pct(&rows, "kpi", "SAL-08-K1"), Some(dec!(97.66)));
    // The ERP went live on 15/01/2021, 15 days late, at 2 points a day.
    assert_eq!(pct(&rows, "kpi", "SOL-08-K1"), Some(dec!(70.00)));
    let nv = row(&rows, "kpi", "SOL-04-K1");
    assert_eq!((nv.percentuale, nv.stato), (None, "non_valutabile"));
    // The CRM objective: 4 KPIs (8/10 = 80, 100, 10/12 = 83.33, 86/90 = 95.56).
    assert_eq!(pct(&rows, "obiettivo", "SAL-12"), Some(dec!(89.72)));
    assert_eq!(pct(&rows, "struttura", "DG"), Some(dec!(80.00)));
    assert_eq!(row(&rows, "struttura", "DG").spiegazione, "Media ponderata: (68,00 × 1 + 80,00 × 1 + 72,00 × 1 + 100,00 × 1) / 4 = 80,00.");
    assert_eq!(pct(&rows, "struttura", "SG"), Some(dec!(91.43)));
    assert_eq!(pct(&rows, "ente", "015146"), Some(dec!(82.86)));
    assert_eq!(row(&rows, "ente", "015146").semaforo, Some("verde"));
    // 2021 has the 2021–2022 list, waiting for data.
    let s21 = scores::load(store, &console, None, 2021).await.expect("2021");
    assert_eq!(s21.objectives.len(), 96);
    assert_eq!(s21.targets.iter().filter(|t| t.year == 2022).count(), 94);
    assert!(s21.rows().iter().filter(|r| r.livello == "kpi").all(|r| r.stato == "in_attesa"));

    // A bad plan file: every problem listed, nothing written.
    let bad = format!(
        "{HEAD}\
         direzione,,DG,X-1,Titolo,1,X-1-K1,Nome,avanzamento,crescente,,100,1,,,,\n\
         direzione,,DG,X-1,Titolo diverso,1,X-1-K2,Nome,avanzamento,crescente,,100,1,,,,\n\
         solidale,Milano lunare,,X-2,Titolo,1,X-2-K1,Nome,percentuale,su,,,1,,,,\n\
         direzione,,NOPE,X-3,Titolo,1,X-1-K1,Nome,numero,crescente,,5,1,X-9,,,\n\
         direzione,,DG,X-4,Titolo,1,X-4-K1,Calcolato,numero,crescente,,5,1,,X-4-K2 / (X-1-K1,,\n\
         direzione,,DG,X-5,Titolo,1,X-5-K1,A,numero,crescente,,5,1,,X-5-K2 * 2,,\n\
         direzione,,DG,X-5,Titolo,1,X-5-K2,B,numero,crescente,,5,1,,X-5-K1 + 1,,\n\
         direzione,,DG,X-6,Titolo,1,X-6-K1,Fasce,numero,crescente,,,1,,,0-50:0|40-:100,\n\
         planetaria,,DG,X-7,Titolo,-1,X-7-K1,Nome,numero,crescente,,5,1,,,,mediana\n"
    );
    let before = scores::load(store, &console, None, 2020).await.expect("scores").kpis.len();
    let msg = invalid(import_plan::import_plan(store, &console, &milano, 2020, bad.as_bytes(), ReadOptions::default(), false).await);
    assert_eq!(
        msg,
        "riga 3, colonna «obiettivo_titolo»: «Titolo diverso» diverso da «Titolo» della riga 2 per lo stesso codice\n\
         riga 4, colonna «ambito»: valore «Milano lunare» non ammesso; valori possibili: Milano più Solidale, Milano più Attrattiva, Milano Digitale, Milano per l’Ambiente\n\
         riga 4, colonna «verso»: valore «su» non ammesso; valori possibili: crescente, decrescente\n\
         riga 4, colonna «target»: valore obbligatorio mancante\n\
         riga 5, colonna «struttura»: struttura «NOPE» inesistente in questo ente e ciclo\n\
         riga 5, colonna «padre»: padre «X-9» inesistente (né nel file né già registrato)\n\
         riga 5, colonna «kpi»: «X-1-K1» è già alla riga 2\n\
         riga 6, colonna «formula»: formula «X-4-K2 / (X-1-K1» non valida al carattere 17: atteso «)»\n\
         riga 7, colonna «formula»: formule circolari: X-5-K1 → X-5-K2 → X-5-K1\n\
         riga 9, colonna «fasce»: «fasce non contigue a 50» non è valido: atteso fasce contigue e crescenti, punteggi tra 0 e il tetto\n\
         riga 10, colonna «dimensione»: valore «planetaria» non ammesso; valori possibili: solidale, salute, portafoglio, direzione, segretario, direttore_generale\n\
         riga 10, colonna «obiettivo_peso»: -1 fuori dall'intervallo 0–∞\n\
         riga 10, colonna «aggregazione»: valore «mediana» non ammesso; valori possibili: ultimo, somma, media"
    );
    assert_eq!(scores::load(store, &console, None, 2020).await.expect("scores").kpis.len(), before);

    // A good file: an objective with two fasi under it, a computed KPI, bands, a sum over periods.
    let good = format!(
        "{HEAD}\
         direzione,,SIAD,SIAD-X,Sportello digitale,2,,,,,,,,,,,\n\
         direzione,,SIAD,SIAD-X-F1,Fase 1: analisi,1,SIAD-X-F1-K1,Pratiche online,numero,crescente,,1000,1,SIAD-X,,,somma\n\
         direzione,,SIAD,SIAD-X-F1,Fase 1: analisi,1,SIAD-X-F1-K2,Pratiche totali,numero,crescente,,2000,0,SIAD-X,,,somma\n\
         direzione,,SIAD,SIAD-X-F1,Fase 1: analisi,1,SIAD-X-F1-K3,Quota online,percentuale,crescente,,50,1,SIAD-X,SIAD-X-F1-K1 / SIAD-X-F1-K2 * 100,,\n\
         direzione,,CRM,SIAD-X-F2,Fase 2: esercizio,1,SIAD-X-F2-K1,Soddisfazione,numero,crescente,,,1,SIAD-X,,0-3:0|3-4:60|4-:100,\n"
    );
    let r = import_plan::import_plan(store, &console, &milano, 2020, good.as_bytes(), ReadOptions::default(), false).await.expect("plan");
    assert_eq!((r.objectives.created.len(), r.kpis.created.len()), (3, 4));
    let again = import_plan::import_plan(store, &console, &milano, 2020, good.as_bytes(), ReadOptions::default(), false).await.expect("plan");
    assert_eq!((again.objectives.unchanged, again.kpis.unchanged), (3, 4));

    let values = "kpi;data;valore;nota\n\
                  SIAD-X-F1-K1;30/06/2020;400;primo semestre\n\
                  SIAD-X-F1-K1;31/12/2020;500;secondo semestre\n\
                  SIAD-X-F1-K2;30/06/2020;1.000;\n\
                  SIAD-X-F1-K2;31/12/2020;1.250;\n\
                  SIAD-X-F2-K1;31/12/2020;3,5;indagine di dicembre\n";
    let m = import_measurements::import_measurements(store, &console, &milano, 2020, values.as_bytes(), ReadOptions::default(), false).await.expect("values");
    assert_eq!((m.created, m.new_versions, m.unchanged), (5, 0, 0));
    let rows = scores::load(store, &console, None, 2020).await.expect("scores").rows();
    // Sum over periods: 900 of 1.000.
    assert_eq!(pct(&rows, "kpi", "SIAD-X-F1-K1"), Some(dec!(90.00)));
    // Computed per period then aggregated by the last value: 500 / 1.250 × 100 = 40 → 40 / 50.
    assert_eq!(row(&rows, "kpi", "SIAD-X-F1-K3").valore.as_deref(), Some("40"));
    assert_eq!(pct(&rows, "kpi", "SIAD-X-F1-K3"), Some(dec!(80.00)));
    // The zero-weight KPI is shown but does not count: (90 × 1 + 80 × 1) / 2.
    assert_eq!(pct(&rows, "obiettivo", "SIAD-X-F1"), Some(dec!(85.00)));
    assert_eq!(pct(&rows, "kpi", "SIAD-X-F2-K1"), Some(dec!(60.00)));
    assert_eq!(pct(&rows, "obiettivo", "SIAD-X"), Some(dec!(72.50)));
    assert_eq!(row(&rows, "obiettivo", "SIAD-X").spiegazione, "Media ponderata: (85,00 × 1 + 60,00 × 1) / 2 = 72,50.");

    // A corrected value is a new version; the same value again changes nothing.
    let fix = "kpi,data,valore,nota\nSIAD-X-F2-K1,2020-12-31,4.2,indagine ripetuta\n";
    let m = import_measurements::import_measurements(store, &console, &milano, 2020, fix.as_bytes(), ReadOptions::default(), false).await.expect("fix");
    assert_eq!((m.created, m.new_versions), (0, 1));
    let m = import_measurements::import_measurements(store, &console, &milano, 2020, fix.as_bytes(), ReadOptions::default(), false).await.expect("same");
    assert_eq!(m.unchanged, 1);
    let s = scores::load(store, &console, None, 2020).await.expect("scores");
    assert_eq!(pct(&s.rows(), "kpi", "SIAD-X-F2-K1"), Some(dec!(100.00)));
    let versions: Vec<i64> = s.values.iter().filter(|m| m.period_end.to_string() == "2020-12-31" && s.kpis.iter().any(|k| k.id == m.kpi_id && k.code == "SIAD-X-F2-K1")).map(|m| m.version).collect();
    assert_eq!(versions, [1, 2]);

    // Bad measurements.
    let bad = "kpi,data,valore,nota,non_valutabile\n\
               NOPE,2020-12-31,1,,\n\
               SIAD-X-F1-K3,2020-12-31,1,,\n\
               SIAD-X-F1-K1,2021-01-31,1,,\n\
               SIAD-X-F1-K1,2020-12-31,uno,,\n\
               SIAD-X-F1-K2,2020-12-31,,,si\n";
    let msg = invalid(import_measurements::import_measurements(store, &console, &milano, 2020, bad.as_bytes(), ReadOptions::default(), false).await);
    assert_eq!(
        msg,
        "riga 2, colonna «kpi»: «NOPE» non è valido: atteso il codice di un KPI del ciclo 2020\n\
         riga 3, colonna «kpi»: «SIAD-X-F1-K3» non è valido: atteso un KPI misurato: questo è calcolato dalla sua formula\n\
         riga 4, colonna «data»: il periodo non cade nell'anno 2020 del ciclo\n\
         riga 5, colonna «valore»: numero «uno» non valido\n\
         riga 6, colonna «nota»: «» non è valido: atteso la motivazione di «non valutabile»"
    );
}

#[tokio::test]
async fn plan_story_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        eprintln!("plan story on {:?}", store.backend);
        story(&store).await;
    }
}
