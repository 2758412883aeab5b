//! The plan engine's use cases on SQLite and PostgreSQL: imports, scores, explanations.

use rust_decimal::Decimal;
use rust_decimal::dec;
use traguardi_app::accounts::access::AccountRole;
use traguardi_app::plan::measurements::{self, At, Decision, Entry};
use traguardi_app::plan::plan_ops::{self, Adjustment, Assignees};
use traguardi_app::plan::scores::{self, ScoreRow};
use traguardi_app::{Actor, AppError, plan::import_dimensions, plan::import_dup, plan::import_measurements, plan::import_plan, samples::demo};
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

const HEAD: &str = "dimensione,ambito,struttura,obiettivo,obiettivo_titolo,obiettivo_peso,kpi,kpi_nome,misura,verso,baseline,target,kpi_peso,padre,formula,fasce,aggregazione,target_periodi\n";

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
         direzione,,DG,X-1,Titolo,1,X-1-K1,Nome,avanzamento,crescente,,100,1,,,,,\n\
         direzione,,DG,X-1,Titolo diverso,1,X-1-K2,Nome,avanzamento,crescente,,100,1,,,,,\n\
         solidale,Milano lunare,,X-2,Titolo,1,X-2-K1,Nome,percentuale,su,,,1,,,,,\n\
         direzione,,NOPE,X-3,Titolo,1,X-1-K1,Nome,numero,crescente,,5,1,X-9,,,,\n\
         direzione,,DG,X-4,Titolo,1,X-4-K1,Calcolato,numero,crescente,,5,1,,X-4-K2 / (X-1-K1,,,\n\
         direzione,,DG,X-5,Titolo,1,X-5-K1,A,numero,crescente,,5,1,,X-5-K2 * 2,,,\n\
         direzione,,DG,X-5,Titolo,1,X-5-K2,B,numero,crescente,,5,1,,X-5-K1 + 1,,,\n\
         direzione,,DG,X-6,Titolo,1,X-6-K1,Fasce,numero,crescente,,,1,,,0-50:0|40-:100,,2021-06-30:3\n\
         planetaria,,DG,X-7,Titolo,-1,X-7-K1,Nome,numero,crescente,,5,1,,,,mediana,\n"
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
         riga 9, colonna «target_periodi»: «2021-06-30:3» non è valido: atteso DATA:VALORE con una data del 2020, es. 2020-06-30:50\n\
         riga 10, colonna «dimensione»: valore «planetaria» non ammesso; valori possibili: solidale, salute, portafoglio, direzione, segretario, direttore_generale\n\
         riga 10, colonna «obiettivo_peso»: -1 fuori dall'intervallo 0–∞\n\
         riga 10, colonna «aggregazione»: valore «mediana» non ammesso; valori possibili: ultimo, somma, media"
    );
    assert_eq!(scores::load(store, &console, None, 2020).await.expect("scores").kpis.len(), before);

    // A good file: an objective with two fasi under it, a computed KPI, bands, a sum over periods.
    let good = format!(
        "{HEAD}\
         direzione,,SIAD,SIAD-X,Sportello digitale,2,,,,,,,,,,,,\n\
         direzione,,SIAD,SIAD-X-F1,Fase 1: analisi,1,SIAD-X-F1-K1,Pratiche online,numero,crescente,,1000,1,SIAD-X,,,somma,2020-06-30:400|2020-12-31:1000\n\
         direzione,,SIAD,SIAD-X-F1,Fase 1: analisi,1,SIAD-X-F1-K2,Pratiche totali,numero,crescente,,2000,0,SIAD-X,,,somma,\n\
         direzione,,SIAD,SIAD-X-F1,Fase 1: analisi,1,SIAD-X-F1-K3,Quota online,percentuale,crescente,,50,1,SIAD-X,SIAD-X-F1-K1 / SIAD-X-F1-K2 * 100,,,\n\
         direzione,,CRM,SIAD-X-F2,Fase 2: esercizio,1,SIAD-X-F2-K1,Soddisfazione,numero,crescente,,,1,SIAD-X,,0-3:0|3-4:60|4-:100,,\n"
    );
    // The same file as XLSX: the first sheet, typed numbers.
    let mut lines = good.lines().map(|l| l.split(',').map(String::from).collect::<Vec<_>>());
    let sheet = traguardi_docs::export::Sheet { name: "piano".into(), header: lines.next().expect("header"), rows: lines.collect() };
    let xlsx = traguardi_docs::export::to_xlsx(&sheet).expect("xlsx");
    let dry = import_plan::import_plan(store, &console, &milano, 2020, &xlsx, ReadOptions::default(), true).await.expect("xlsx plan");
    assert_eq!((dry.objectives.created.len(), dry.kpis.created.len()), (3, 4));
    let r = import_plan::import_plan(store, &console, &milano, 2020, good.as_bytes(), ReadOptions::default(), false).await.expect("plan");
    assert_eq!((r.objectives.created.len(), r.kpis.created.len()), (3, 4));
    let from_xlsx = import_plan::import_plan(store, &console, &milano, 2020, &xlsx, ReadOptions::default(), false).await.expect("xlsx plan");
    assert_eq!((from_xlsx.objectives.unchanged, from_xlsx.kpis.unchanged), (3, 4), "the XLSX says the same as the CSV");
    let again = import_plan::import_plan(store, &console, &milano, 2020, good.as_bytes(), ReadOptions::default(), false).await.expect("plan");
    assert_eq!((again.objectives.unchanged, again.kpis.unchanged), (3, 4));
    let s = scores::load(store, &console, None, 2020).await.expect("scores");
    let k1 = s.kpis.iter().find(|k| k.code == "SIAD-X-F1-K1").expect("K1");
    let periods: Vec<String> = s.targets.iter().filter(|t| t.kpi_id == k1.id).map(|t| format!("{:?} {}", t.period_end, t.value)).collect();
    assert_eq!(periods, ["None 1000", "Some(2020-06-30) 400", "Some(2020-12-31) 1000"]);

    let values = "kpi;data;valore;nota\n\
                  SIAD-X-F1-K1;30/06/2020;400;primo semestre\n\
                  SIAD-X-F1-K1;31/12/2020;500;secondo semestre\n\
                  SIAD-X-F1-K2;30/06/2020;1.000;\n\
                  SIAD-X-F1-K2;31/12/2020;1.250;\n\
                  SIAD-X-F2-K1;31/12/2020;3,5;indagine di dicembre\n";
    // Values past the documented range (±10^15) are refused, saying the range.
    let huge = "kpi,data,valore,nota\nSIAD-X-F1-K1,2020-12-31,10000000000000000,\n";
    let msg = invalid(import_measurements::import_measurements(store, &console, &milano, 2020, huge.as_bytes(), ReadOptions::default(), false).await);
    assert!(msg.starts_with("riga 2, colonna «valore»") && msg.contains("1.000.000.000.000.000"), "{msg}");
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
    let versions: Vec<i64> = s
        .values
        .iter()
        .filter(|m| m.period_end.to_string() == "2020-12-31" && s.kpis.iter().any(|k| k.id == m.kpi_id && k.code == "SIAD-X-F2-K1"))
        .map(|m| m.version)
        .collect();
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

async fn dup_contributions_cascade_and_overrides(store: &Store) {
    let console = Actor::console();
    let (milano, _) = demo::load(store).await.expect("demo");

    // The DUP: strategic and operational objectives (from the DUP pages of the BP 2025).
    let dup = "codice,tipo,titolo,missione,programma,padre,direzione,tag,finalita
               S1.1,strategico,Sviluppare e potenziare la comunicazione esterna,1,,,SIAD,,
               O1.1.1,operativo,Sviluppare i canali relazionali di informazione,01,11,S1.1,SIAD,OB.1.1|OB.1.2|OB.3.1,Evoluzione del CRM
";
    let r = import_dup::import_dup(store, &console, &milano, dup.as_bytes(), ReadOptions::default(), false).await.expect("dup");
    assert_eq!(r.objectives.created, ["S1.1", "O1.1.1"]);
    let bad = "codice,tipo,titolo,missione,programma,padre
O2,operativo,Senza padre,1,x,
S2,tattico,Tipo errato,100,,NOPE
";
    let msg = invalid(import_dup::import_dup(store, &console, &milano, bad.as_bytes(), ReadOptions::default(), false).await);
    assert_eq!(
        msg,
        "riga 2, colonna «programma»: «x» non è valido: atteso un codice di due cifre (es. 01)\n\
         riga 2, colonna «padre»: «» non è valido: atteso il codice dell'obiettivo strategico\n\
         riga 3, colonna «tipo»: valore «tattico» non ammesso; valori possibili: strategico, operativo\n\
         riga 3, colonna «missione»: «100» non è valido: atteso un codice di due cifre (es. 01)\n\
         riga 3, colonna «padre»: padre «NOPE» inesistente (né nel file né già registrato)"
    );

    // An objective linked to the DUP with contributions; the cascade to two units.
    let plan = "dimensione,ambito,struttura,obiettivo,obiettivo_titolo,obiettivo_peso,kpi,kpi_nome,misura,verso,baseline,target,kpi_peso,dup,contributi,formula
                direzione,,SIAD,CRM-T,Canali digitali,1,CRM-T-K1,Contatti gestiti,numero,crescente,,1000,1,O1.1.1,SIAD:60|CRM:40,
                direzione,,SIAD,CRM-T,Canali digitali,1,CRM-T-K2,Contatti online,numero,crescente,,400,1,O1.1.1,SIAD:60|CRM:40,
                direzione,,SIAD,CRM-T,Canali digitali,1,CRM-T-K3,Quota online,percentuale,crescente,,40,1,O1.1.1,SIAD:60|CRM:40,CRM-T-K2 / CRM-T-K1 * 100
                solidale,Milano Digitale,,SOL-X,Servizi digitali per tutti,1,,,,,,,,,tutte,
";
    import_plan::import_plan(store, &console, &milano, 2021, plan.as_bytes(), ReadOptions::default(), false).await.expect("plan");
    let again = import_plan::import_plan(store, &console, &milano, 2021, plan.as_bytes(), ReadOptions::default(), false).await.expect("plan");
    assert_eq!(again.objectives.unchanged, 2, "contributions compare as sets");
    let bad = plan.replace("O1.1.1", "S1.1").replace("SIAD:60|CRM:40", "SIAD:60|NOPE");
    let msg = invalid(import_plan::import_plan(store, &console, &milano, 2021, bad.as_bytes(), ReadOptions::default(), false).await);
    assert!(msg.starts_with("riga 2, colonna «dup»: «S1.1» non è valido: atteso il codice di un obiettivo operativo del DUP"), "{msg}");
    assert!(msg.contains("riga 2, colonna «contributi»: struttura «NOPE» inesistente in questo ente e ciclo"), "{msg}");

    let c = plan_ops::assign(store, &console, &milano, 2021, &["CRM-T".to_string()], &Assignees::UnitsUnder("SIAD".into())).await.expect("assign");
    assert_eq!(c.created, ["CRM-T@CRM"]);
    let c =
        plan_ops::assign(store, &console, &milano, 2021, &["CRM-T".to_string()], &Assignees::Units(vec!["CRM".into(), "OSP".into()])).await.expect("assign");
    assert_eq!((c.created.clone(), c.unchanged), (vec!["CRM-T@OSP".to_string()], 1));
    let msg = invalid(plan_ops::assign(store, &console, &milano, 2021, &["NOPE".to_string()], &Assignees::People(vec!["X9".into()])).await);
    assert_eq!(
        msg,
        "colonna «--obiettivo»: «NOPE» non è valido: atteso il codice di un obiettivo del ciclo 2021\n\
         colonna «--persone»: persona con matricola «X9» inesistente in questo ente"
    );
    let s = scores::load(store, &console, None, 2021).await.expect("scores");
    let copy = s.objectives.iter().find(|o| o.code == "CRM-T@CRM").expect("copy");
    let parent = s.objectives.iter().find(|o| o.code == "CRM-T").expect("template");
    assert_eq!(copy.parent_id.as_deref(), Some(parent.id.as_str()));
    assert!(parent.dup_id.is_some());
    let k3 = s.kpis.iter().find(|k| k.code == "CRM-T-K3@CRM").expect("copied formula");
    assert_eq!(k3.formula.as_deref(), Some("(([CRM-T-K2@CRM] / [CRM-T-K1@CRM]) * 100)"));
    assert_eq!(s.targets.iter().filter(|t| s.kpis.iter().any(|k| k.id == t.kpi_id && k.code.ends_with("@OSP"))).count(), 3);

    // Values for the CRM copy; then an override and a neutralisation, each with its reason.
    let values = "kpi,data,valore,nota
CRM-T-K1@CRM,2021-12-31,1000,
CRM-T-K2@CRM,2021-12-31,300,
";
    import_measurements::import_measurements(store, &console, &milano, 2021, values.as_bytes(), ReadOptions::default(), false).await.expect("values");
    let s = scores::load(store, &console, None, 2021).await.expect("scores");
    // K1 100, K2 75, K3 = 30 / 40 = 75: (100 + 75 + 75) / 3.
    assert_eq!(pct(&s.rows(), "obiettivo", "CRM-T@CRM"), Some(dec!(83.33)));
    assert_eq!(
        s.explain("CRM-T@CRM").expect("explained"),
        [
            "obiettivo CRM-T@CRM «Canali digitali»: 83,33%. Media ponderata: (100,00 × 1 + 75,00 × 1 + 75,00 × 1) / 3 = 83,33.",
            "  KPI CRM-T-K1@CRM «Contatti gestiti»: 100,00%. Più alto è meglio: 1.000 / 1.000 × 100 = 100,00.",
            "  KPI CRM-T-K2@CRM «Contatti online»: 75,00%. Più alto è meglio: 300 / 400 × 100 = 75,00.",
            "  KPI CRM-T-K3@CRM «Quota online»: 75,00%. Più alto è meglio: 30 / 40 × 100 = 75,00.",
        ]
    );
    // Each objective counts once: SIAD's result takes in the template CRM-T, whose score holds
    // its copies; the copies of CRM and OSP (units of SIAD) are not counted again beside it. CRM
    // counts its own copy.
    let unit_inputs = |code: &str| -> Vec<String> {
        let u = s.units.iter().find(|u| u.code == code).expect("unit");
        s.board.units[&u.id].explanation.inputs.iter().map(|(k, _)| k.clone()).collect()
    };
    let siad = unit_inputs("SIAD");
    assert!(siad.contains(&"CRM-T".to_string()) && !siad.iter().any(|c| c.contains('@')), "{siad:?}");
    assert_eq!(unit_inputs("CRM"), ["CRM-T@CRM"]);
    let msg = invalid(plan_ops::adjust(store, &console, &milano, 2021, "CRM-T@CRM", Adjustment::Override { value: dec!(90), reason: " ".into() }).await);
    assert_eq!(msg, "colonna «--motivazione»: valore obbligatorio mancante");
    plan_ops::adjust(
        store,
        &console,
        &milano,
        2021,
        "CRM-T@CRM",
        Adjustment::Override { value: dec!(90), reason: "dati del CRM incompleti per un guasto esterno".into() },
    )
    .await
    .expect("override");
    let s = scores::load(store, &console, None, 2021).await.expect("scores");
    let rows = s.rows();
    assert_eq!(pct(&rows, "obiettivo", "CRM-T@CRM"), Some(dec!(90.00)));
    assert_eq!(row(&rows, "obiettivo", "CRM-T@CRM").spiegazione, "Valore calcolato 83,33 sostituito con 90,00: dati del CRM incompleti per un guasto esterno.");
    plan_ops::adjust(store, &console, &milano, 2021, "CRM-T@CRM", Adjustment::NotAssessable { reason: "servizio sospeso".into() }).await.expect("nv");
    let rows = scores::load(store, &console, None, 2021).await.expect("scores").rows();
    assert_eq!(row(&rows, "obiettivo", "CRM-T@CRM").stato, "non_valutabile");
    plan_ops::adjust(store, &console, &milano, 2021, "CRM-T@CRM", Adjustment::Clear).await.expect("clear");

    // A formula reading last year's value of the same KPI: contacts grew from 1.720.000 (2020).
    let growth = "dimensione,ambito,struttura,obiettivo,obiettivo_titolo,obiettivo_peso,kpi,kpi_nome,misura,verso,baseline,target,kpi_peso,formula\n\
                  salute,Salute del Sistema di Relazioni,,SAL-12,CRM,1,SAL-12-K2,Contatti censiti nel CRM,numero,crescente,,1800000,1,\n\
                  salute,Salute del Sistema di Relazioni,,SAL-12,CRM,1,SAL-12-G,Crescita dei contatti,percentuale,crescente,,8,1,(SAL-12-K2 - anno_prec(SAL-12-K2)) / anno_prec(SAL-12-K2) * 100\n";
    import_plan::import_plan(store, &console, &milano, 2021, growth.as_bytes(), ReadOptions::default(), false).await.expect("growth");
    let values = "kpi,data,valore,nota\nSAL-12-K2,2021-12-31,1892000,\n";
    import_measurements::import_measurements(store, &console, &milano, 2021, values.as_bytes(), ReadOptions::default(), false).await.expect("values");
    let rows = scores::load(store, &console, None, 2021).await.expect("scores").rows();
    assert_eq!(row(&rows, "kpi", "SAL-12-G").valore.as_deref(), Some("10"));
    assert_eq!(pct(&rows, "kpi", "SAL-12-G"), Some(dec!(100.00)));
    let rows = scores::load(store, &console, None, 2021).await.expect("scores").rows();
    assert_eq!(pct(&rows, "obiettivo", "CRM-T@CRM"), Some(dec!(83.33)));
}

async fn dimensions_are_configuration(store: &Store) {
    let console = Actor::console();
    let new = traguardi_domain::ente::NewEnte {
        code: traguardi_domain::ente::EnteCode::parse("097001").expect("code"),
        name: "Comune piccolo".into(),
        codice_fiscale: None,
        kind: traguardi_domain::ente::EnteKind::Comune,
        staff_size: 38,
        has_dirigenti: false,
    };
    let small = traguardi_app::org::enti::create(store, &console, &new).await.expect("ente");
    let file = "dimensione,nome,ambito,ambito_nome\n\
                direzione,Obiettivi di Settore,,\n\
                servizi,Servizi al cittadino,anagrafe,Anagrafe e stato civile\n\
                servizi,Servizi al cittadino,tributi,Tributi locali\n";
    let r = import_dimensions::import_dimensions(store, &console, &small, file.as_bytes(), ReadOptions::default(), false).await.expect("dimensions");
    assert_eq!(
        (r.dimensions.created.clone(), r.dimensions.updated.clone(), r.ambiti.created.len()),
        (vec!["servizi".to_string()], vec!["direzione".to_string()], 2)
    );
    let again = import_dimensions::import_dimensions(store, &console, &small, file.as_bytes(), ReadOptions::default(), false).await.expect("again");
    assert_eq!((again.dimensions.unchanged, again.ambiti.unchanged), (2, 2));
    let bad = "dimensione,nome,ambito,ambito_nome\nServizi Sociali,X,,\nservizi,Altro nome,tributi,\n";
    assert_eq!(
        invalid(import_dimensions::import_dimensions(store, &console, &small, bad.as_bytes(), ReadOptions::default(), false).await),
        "riga 2, colonna «dimensione»: «Servizi Sociali» non è valido: atteso lettere minuscole, cifre e _ (es. salute)\n\
         riga 3, colonna «ambito_nome»: valore obbligatorio mancante"
    );
    // The plan uses the ente's own dimensions and ambiti; Milan's are untouched.
    let org = "codice,nome,tipo,padre,cdr\nDEMO,Settore demografico,settore,,\n";
    traguardi_app::org::import_org::import_org(store, &console, &small, 2024, org.as_bytes(), ReadOptions::default(), false).await.expect("org");
    let plan = format!("{HEAD}servizi,Tributi locali,DEMO,T-1,Riscossione,1,T-1-K1,Riscosso su accertato,percentuale,crescente,,90,1,,,,,\n");
    import_plan::import_plan(store, &console, &small, 2024, plan.as_bytes(), ReadOptions::default(), false).await.expect("plan");
    let s = scores::load(store, &console, Some("097001"), 2024).await.expect("scores");
    assert_eq!(s.dimensions.iter().find(|d| d.code == "direzione").map(|d| d.name.as_str()), Some("Obiettivi di Settore"));
    let milan = scores::load(store, &console, Some("015146"), 2020).await.expect("scores");
    assert_eq!(milan.dimensions.iter().find(|d| d.code == "direzione").map(|d| d.name.as_str()), Some("Obiettivi di Direzione"));
}

#[tokio::test]
async fn dimensions_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        demo::load(&store).await.expect("demo");
        dimensions_are_configuration(&store).await;
    }
}

async fn measurement_workflow(store: &Store) {
    let console = Actor::console();
    let (milano, _) = demo::load(store).await.expect("demo");
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    let score = |rows: &[ScoreRow]| pct(rows, "kpi", "SAL-12-K4");
    let at = At { year: 2020, kpi: "SAL-12-K4", period_end: d("2020-12-31") };
    // Tasso di risposta CRM: 86 against 90 in the demo.
    let rows = scores::load(store, &console, None, 2020).await.expect("scores").rows();
    assert_eq!(score(&rows), Some(dec!(95.56)));
    let entry = Entry {
        kpi: "SAL-12-K4".into(),
        period_end: d("2020-12-31"),
        value: "88,2".into(),
        note: "dato rettificato dal CRM".into(),
        cause: None,
        not_assessable: false,
        submit: false,
        based_on: Some(1),
    };
    let m = measurements::enter(store, &console, &milano, 2020, &entry).await.expect("draft");
    assert_eq!((m.version, m.status.code(), m.value.as_deref()), (2, "draft", Some("88.2")));
    // Someone else who also read version 1 gets a conflict, not a silent overwrite.
    match measurements::enter(store, &console, &milano, 2020, &Entry { value: "90".into(), ..entry.clone() }).await {
        Err(e @ AppError::Conflict(_)) => {
            let msg = e.describe(traguardi_domain::Lang::It);
            assert!(msg.starts_with("il valore di SAL-12-K4 al 31/12/2020 è stato modificato da cli:"), "{msg}");
            assert!(msg.ends_with(" (versione 2) dopo la versione 1 che stai modificando: ricarica e riprova"), "{msg}");
        }
        other => panic!("{other:?}"),
    }
    let entry = Entry { based_on: None, ..entry };
    // A draft does not count, and cannot be approved before it is submitted.
    assert_eq!(score(&scores::load(store, &console, None, 2020).await.expect("scores").rows()), Some(dec!(95.56)));
    let refused = measurements::decide(store, &console, &milano, at, Decision::Approve, None).await;
    assert!(
        matches!(refused, Err(AppError::Refused(ref m)) if m == "il valore di SAL-12-K4 al 31/12/2020 è «bozza»: si può solo inviarlo per l'approvazione (o inserire una nuova versione)"),
        "{refused:?}"
    );
    measurements::decide(store, &console, &milano, at, Decision::Submit, None).await.expect("submit");
    let m = measurements::decide(store, &console, &milano, at, Decision::Approve, Some("verificato")).await.expect("approve");
    assert_eq!((m.status.code(), m.note.as_str()), ("approved", "dato rettificato dal CRM\nverificato"));
    assert_eq!(score(&scores::load(store, &console, None, 2020).await.expect("scores").rows()), Some(dec!(98.00)));
    // A third version, submitted and returned: the approved one still counts.
    let entry = Entry { value: "70".into(), submit: true, ..entry };
    measurements::enter(store, &console, &milano, 2020, &entry).await.expect("v3");
    measurements::decide(store, &console, &milano, at, Decision::Return, Some("valore incoerente con il report CRM")).await.expect("return");
    assert_eq!(score(&scores::load(store, &console, None, 2020).await.expect("scores").rows()), Some(dec!(98.00)));
    let refused = measurements::decide(store, &console, &milano, at, Decision::Approve, None).await;
    assert!(matches!(refused, Err(AppError::Refused(_))));
    // Bad entries.
    let bad = Entry { value: "molti".into(), ..entry.clone() };
    assert_eq!(invalid(measurements::enter(store, &console, &milano, 2020, &bad).await), "colonna «valore»: numero «molti» non valido");
    let bad = Entry { period_end: d("2021-03-31"), ..entry.clone() };
    assert_eq!(invalid(measurements::enter(store, &console, &milano, 2020, &bad).await), "colonna «data»: il periodo non cade nell'anno 2020 del ciclo");
    // Evidence: type and size checked, content hashed.
    let sha = measurements::attach_evidence(store, &console, &milano, at, "report/crm-dicembre.csv", b"mese,tasso\n12,88.2\n").await.expect("evidence");
    assert_eq!(sha, "dc5b38715edda871a0ad05b534d242a91d8cebde11374d48011ae5b64b039845");
    // Downloaded only with a role in this ente, within the unit scope.
    // SAL-12-K4 belongs to no unit; SIAD-2020-01-K1 to SIAD.
    let siad_at = At { year: 2020, kpi: "SIAD-2020-01-K1", period_end: d("2020-12-31") };
    measurements::attach_evidence(store, &console, &milano, siad_at, "verbale.txt", b"collaudo del 30/11").await.expect("evidence of SIAD");
    let evidence_of = |code: &'static str| {
        sqlx::query_scalar::<_, String>(
            "SELECT e.id FROM evidence e JOIN measurement m ON m.id = e.measurement_id JOIN kpi k ON k.id = m.kpi_id WHERE k.code = $1",
        )
        .bind(code)
        .fetch_one(&store.pool)
    };
    let (id, siad_id) = (evidence_of("SAL-12-K4").await.expect("id"), evidence_of("SIAD-2020-01-K1").await.expect("id"));
    let lineage = |code: &'static str| sqlx::query_scalar::<_, String>("SELECT lineage_id FROM org_unit WHERE code = $1").bind(code).fetch_one(&store.pool);
    let (own, other) = (lineage("SIAD").await.expect("SIAD"), lineage("CULT").await.expect("CULT"));
    let granted = |roles: &[AccountRole], units: &[&str], ente: &str| {
        let mut a = Actor::user("qualcuno", "acc", roles, units);
        if let traguardi_app::accounts::access::ActorKind::User { grants, .. } = &mut a.kind {
            *grants = roles.iter().map(|x| (Some(ente.into()), *x)).collect();
        }
        a
    };
    let here = milano.id.0.clone();
    for (actor, allowed) in [
        (granted(&[AccountRole::Pianificatore], &[], &here), true),
        (granted(&[AccountRole::Niv], &[], &here), true),
        (granted(&[AccountRole::Pianificatore], &[], "un-altro-ente"), false),
        (granted(&[AccountRole::Direttore], &[own.as_str()], &here), true),
        (granted(&[AccountRole::Direttore], &[other.as_str()], &here), false),
        (granted(&[AccountRole::Dipendente], &[], &here), false),
        (Actor::public(), false),
    ] {
        let unit_scoped = matches!(&actor.kind, traguardi_app::accounts::access::ActorKind::User { units, .. } if !units.is_empty());
        // A KPI of no unit is for the ente's wide roles only.
        let got = measurements::evidence_file(store, &actor, &milano, &id).await;
        assert_eq!(got.is_ok(), allowed && !unit_scoped, "{:?}: {:?}", actor.kind, got.as_ref().err());
        let got = measurements::evidence_file(store, &actor, &milano, &siad_id).await;
        assert_eq!(got.is_ok(), allowed, "{:?}: {:?}", actor.kind, got.as_ref().err());
        if !allowed {
            assert!(matches!(got, Err(AppError::Forbidden { .. })));
        }
    }
    let msg = invalid(measurements::attach_evidence(store, &console, &milano, at, "virus.exe", b"MZ").await);
    assert_eq!(msg, "colonna «file»: valore «virus.exe» non ammesso; valori possibili: .pdf, .png, .jpg, .jpeg, .csv, .txt, .xlsx, .docx, .odt");
    let big = vec![b'a'; measurements::MAX_EVIDENCE_BYTES + 1];
    let msg = invalid(measurements::attach_evidence(store, &console, &milano, at, "grande.txt", &big).await);
    assert_eq!(msg, "colonna «file»: il file supera il limite di 20 MB");
}

#[tokio::test]
async fn measurement_workflow_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        measurement_workflow(&store).await;
    }
}

#[tokio::test]
async fn dup_cascade_and_overrides_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        dup_contributions_cascade_and_overrides(&store).await;
    }
}

#[tokio::test]
async fn plan_story_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        eprintln!("plan story on {:?}", store.backend);
        story(&store).await;
    }
}

/// The scoring rules are configuration of the cycle: versioned, used by the engine, checked
/// against the plan, frozen by the close.
async fn scoring_rules(store: &Store) {
    let (ente, _) = demo::load(store).await.expect("demo");
    let console = Actor::console();
    let set = |text: &'static str| traguardi_app::plan::cycle_rules::set_scoring(store, &console, Some(demo::CODE), 2020, text);
    let before = scores::load(store, &console, None, 2020).await.expect("scores");
    assert_eq!(before.rules, traguardi_domain::plan::rules::ScoringRules::default());
    let siad_before = pct(&before.rows(), "struttura", "SIAD");

    // A cap above 100 needs over-achievement; a KPI's own cap above 100 too.
    let msg = invalid(set("tetto = 120\n").await);
    assert!(msg.contains("colonna «tetto»") && msg.contains("sovraraggiungimento = si"), "{msg}");
    let plan = "dimensione,ambito,struttura,obiettivo,obiettivo_titolo,obiettivo_peso,kpi,kpi_nome,misura,verso,baseline,target,kpi_peso,tetto\n\
                direzione,,SIAD,SIAD-OVER,Oltre il target,1,SIAD-OVER-K1,Pratiche,numero,crescente,,100,1,150\n";
    let msg = invalid(import_plan::import_plan(store, &console, &ente, 2020, plan.as_bytes(), ReadOptions::default(), false).await);
    assert!(msg.starts_with("riga 2, colonna «tetto»: «150» non è valido: atteso al più 100"), "{msg}");

    // Over-achievement up to 150, other lights, a Direzione with only its own objectives.
    let r = set("sovraraggiungimento = si\ntetto = 150\nsemaforo.giallo = 50\nsemaforo.verde = 90\ndirezione.include_strutture = no\n").await.expect("set");
    assert_eq!((r.version, r.changed), (1, true));
    assert!(
        !set("sovraraggiungimento = si\ntetto = 150\nsemaforo.giallo = 50\nsemaforo.verde = 90\ndirezione.include_strutture = no\n")
            .await
            .expect("same")
            .changed
    );
    import_plan::import_plan(store, &console, &ente, 2020, plan.as_bytes(), ReadOptions::default(), false).await.expect("a KPI capped at 150");
    let values = "kpi,data,valore,nota\nSIAD-OVER-K1,2020-12-31,130,\n";
    import_measurements::import_measurements(store, &console, &ente, 2020, values.as_bytes(), ReadOptions::default(), false).await.expect("value");
    let after = scores::load(store, &console, None, 2020).await.expect("scores");
    let rows = after.rows();
    assert_eq!(pct(&rows, "kpi", "SIAD-OVER-K1"), Some(dec!(130.00)));
    assert_eq!(pct(&rows, "obiettivo", "SIAD-OVER"), Some(dec!(130.00)), "the objective is capped at 150, not 100");
    assert_ne!(pct(&rows, "struttura", "SIAD"), siad_before, "SIAD without its units' objectives, with a new one");
    let ente_row = row(&rows, "ente", demo::CODE);
    let expected = if ente_row.percentuale.is_some_and(|v| v >= dec!(90)) {
        "verde"
    } else if ente_row.percentuale.is_some_and(|v| v >= dec!(50)) {
        "giallo"
    } else {
        "rosso"
    };
    assert_eq!(ente_row.semaforo, Some(expected));
    // Rules that the plan does not satisfy are refused, naming the KPI.
    let msg = invalid(set("sovraraggiungimento = no\n").await);
    assert!(msg.contains("tetto del KPI SIAD-OVER-K1"), "{msg}");
    // Frozen by the close, with the rules in the snapshot.
    traguardi_app::cycle::close::close(store, &console, &ente, 2020, Some("prova")).await.expect("closed");
    match set("semaforo.verde = 70\n").await {
        Err(AppError::Refused(msg)) => assert!(msg.to_string().starts_with("il ciclo 2020 è chiuso dal "), "{msg}"),
        other => panic!("{other:?}"),
    }
    let closed = traguardi_app::cycle::close::closed(store, &ente, 2020).await.expect("read").expect("closed");
    assert!(closed.snapshot.contains("\"regole\":{\"cap\":\"150\""), "{}", &closed.snapshot[..200]);
}

#[tokio::test]
async fn scoring_rules_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        scoring_rules(&store).await;
        store.close().await;
    }
}

/// Someone who is direttore of SIAD and PO/EQ in CULT approves SIAD's values only: the
/// direttore's power does not reach the PO/EQ's units. As PO/EQ they enter CULT's values.
#[tokio::test]
async fn each_unit_role_acts_on_its_own_units() {
    for store in testing::all().await.expect("stores") {
        let store = &store;
        let (milano, _) = demo::load(store).await.expect("demo");
        let console = Actor::console();
        let lineage = |code: &'static str| sqlx::query_scalar::<_, String>("SELECT lineage_id FROM org_unit WHERE code = $1").bind(code).fetch_one(&store.pool);
        let (siad, cult) = (lineage("SIAD").await.expect("SIAD"), lineage("CULT").await.expect("CULT"));
        let both =
            Actor::scoped("doppio.ruolo", "acc", &[AccountRole::Direttore, AccountRole::PoEq], &[(AccountRole::Direttore, &siad), (AccountRole::PoEq, &cult)]);
        let december = chrono::NaiveDate::from_ymd_opt(2020, 12, 31).expect("date");
        let entry = |kpi: &str| Entry {
            kpi: kpi.into(),
            period_end: december,
            value: "7".into(),
            note: String::new(),
            cause: None,
            not_assessable: false,
            submit: true,
            based_on: None,
        };
        for kpi in ["SIAD-2020-01-K1", "CULT-2020-01-K1"] {
            measurements::enter(store, &console, &milano, 2020, &entry(kpi)).await.expect("submitted by the office");
        }
        let at = |kpi| At { year: 2020, kpi, period_end: december };
        measurements::decide(store, &both, &milano, at("SIAD-2020-01-K1"), Decision::Approve, None)
            .await
            .expect("the direttore approves his Direzione's value");
        let got = measurements::decide(store, &both, &milano, at("CULT-2020-01-K1"), Decision::Approve, None).await;
        match got {
            Err(AppError::Forbidden { what, .. }) => {
                assert_eq!(what, "approvare o restituire valori del KPI CULT-2020-01-K1 (strutture di competenza: SIAD e quelle sotto)")
            }
            other => panic!("a PO/EQ's unit is not the direttore's: {other:?}"),
        }
        let waiting = measurements::waiting(store, &both, &milano, 2020).await.expect("inbox");
        assert!(waiting.iter().all(|w| w.kpi != "CULT-2020-01-K1"), "CULT's value is not in the direttore's inbox");
        // As PO/EQ of CULT they enter CULT's values.
        measurements::enter(store, &both, &milano, 2020, &Entry { submit: false, ..entry("CULT-2020-01-K1") }).await.expect("the PO/EQ enters CULT's value");
    }
}
