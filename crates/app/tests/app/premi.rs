//! The premi of the demo's 2020 on SQLite and PostgreSQL: presence, scores, both pools to the
//! cent, the uplift, what-if scenarios, the legal gates, approval and the exports; bad files
//! refused whole.

use std::collections::BTreeMap;
use traguardi_app::accounts::access::AccountRole;

use rust_decimal::Decimal;
use rust_decimal::dec;
use traguardi_app::cycle::workflow::{Move, transition};
use traguardi_app::pay::payouts::{self, PayContext, WhatIf};
use traguardi_app::{Actor, AppError, cycle::import_acts, pay::import_absences, pay::import_evaluations, pay::import_fund, samples::demo};
use traguardi_docs::ReadOptions;
use traguardi_domain::Lang;
use traguardi_domain::money::Cents;
use traguardi_domain::pay::premi::Allocation;
use traguardi_domain::plan::workflow::State;
use traguardi_store::{Store, testing};

const E: Option<&str> = Some(demo::CODE);

fn describe<T: std::fmt::Debug>(r: Result<T, AppError>) -> String {
    match r {
        Err(e) => e.describe(Lang::It),
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

fn person<'a>(a: &'a Allocation, m: &str) -> &'a traguardi_domain::pay::premi::PersonPay {
    a.person(m).unwrap_or_else(|| panic!("{m} in the allocation"))
}

async fn allocation_of_the_demo(store: &Store) -> Allocation {
    let console = Actor::console();
    let (_, a) = payouts::scenario(store, &console, E, 2020, "base").await.expect("the demo's scenario");
    // Both pools paid to the cent: 250.000,00 + 150.000,00.
    assert_eq!([a.fondo_organizzativa, a.fondo_individuale].map(Cents::get), [25_000_000, 15_000_000]);
    assert_eq!([a.pagato_organizzativa, a.pagato_individuale, a.residuo_organizzativa, a.residuo_individuale].map(Cents::get), [25_000_000, 15_000_000, 0, 0]);
    assert_eq!(a.persone.len(), 192);
    // 190 positive evaluations (two are not): 19 heads; average 150.000,00 / 190 = 789,4736… €;
    // 30% = 236,842… € → 236,85 € (rounded up to the cent).
    assert_eq!((a.teste_maggiorazione, a.maggiorazione_unitaria.get()), (19, 23_685));
    assert_eq!(a.persone.iter().filter(|p| p.maggiorazione > Cents::ZERO).count(), 19);
    let positive = a.persone.iter().filter(|p| p.positiva).count();
    assert_eq!(positive, 190);
    a
}

fn managers(a: &Allocation) {
    let d = &a.dirigenti;
    // The 25 Direttori and the two Dirigenti of the demo, each with a position.
    assert_eq!((d.dirigenti.len(), d.righe.len()), (27, 27));
    assert!(d.posizioni_mancanti.is_empty());
    // Each row: base × min(giorni, 365) / 365 × score / 100, to the cent, half-up.
    for r in &d.righe {
        let exact = Decimal::from(r.base.get()) * Decimal::from(r.giorni) / dec!(365) * r.punteggio / dec!(100) * r.quota / dec!(100);
        assert_eq!(Decimal::from(r.importo.get()), exact.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero), "{r:?}");
        assert_eq!(r.giorni, 365, "366 days of 2020 capped at 365");
    }
    // The art. 30 differentiation is on by default (10% of the 27 positively evaluated: 2 heads):
    // each of them gets at least the average result pay, before the uplift, increased by 30%.
    let up: Vec<&traguardi_domain::pay::managers::Manager> = d.dirigenti.iter().filter(|x| x.maggiorazione > Cents::ZERO).collect();
    assert_eq!(up.len(), 2, "{:?}", d.dirigenti.iter().map(|x| (&x.matricola, x.totale, x.maggiorazione)).collect::<Vec<_>>());
    let paid: Vec<i64> = d.dirigenti.iter().filter(|x| x.positiva).map(|x| (x.totale - x.maggiorazione).get()).collect();
    let average = Decimal::from(paid.iter().sum::<i64>()) / Decimal::from(paid.len() as i64);
    let minimum = (average * dec!(1.3)).ceil();
    for x in &up {
        assert_eq!(Decimal::from(x.totale.get()), minimum.max(Decimal::from((x.totale - x.maggiorazione).get())), "{x:?}");
        assert!(
            x.spiegazione
                .iter()
                .any(|l| l.contains("art. 30 CCNL Area Funzioni Locali 17/12/2020") && l.contains("pagata dalle risorse della retribuzione di risultato"))
        );
    }
    let best = d.dirigenti.iter().filter(|x| x.maggiorazione == Cents::ZERO).filter_map(|x| x.punteggio).max();
    assert!(up.iter().all(|x| x.punteggio >= best), "the uplift goes to the best scores");
    assert_eq!(d.totale, d.righe.iter().map(|r| r.importo).sum::<Cents>() + up.iter().map(|x| x.maggiorazione).sum::<Cents>());
    // Contributions 23,8% and IRAP 8,5% of the total, each rounded to the cent.
    let pct = |p: Decimal| (Decimal::from(d.totale.get()) * p / dec!(100)).round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    assert_eq!((Decimal::from(d.contributi.get()), Decimal::from(d.irap.get())), (pct(dec!(23.8)), pct(dec!(8.5))));
    assert_eq!(d.totale_complessivo, d.totale + d.contributi + d.irap);
    // The Direttore of SIAD: results = the ROD of SIAD, behaviours, and how much the eight
    // evaluations he gave differ.
    let siad = a.explained("D022").expect("D022");
    assert!(siad.spiegazione[0].starts_with("Risultati della struttura SIAD: ROD "), "{:?}", siad.spiegazione);
    assert!(
        siad.spiegazione[1].starts_with("Capacità di differenziare: scarto quadratico medio ") && siad.spiegazione[1].contains(" dei 8 punteggi attribuiti")
    );
    assert!(siad.spiegazione[3].starts_with("Incarico SIAD: base 30.000,00 € × 365 giorni / 365 × punteggio "), "{:?}", siad.spiegazione);
}

fn presence_and_scores(a: &Allocation) {
    // Presence: 30 days of unpaid leave reduce it, 150 of maternity do not; a vertical
    // part-time at 50% counts once; hired on 1/04/2020 (91 days of a leap year before).
    assert_eq!(person(a, "M0019").presenza, dec!(336) / dec!(366));
    assert_eq!(person(a, "M0029").presenza, dec!(1));
    assert_eq!(person(a, "M0023").presenza, dec!(0.5));
    assert_eq!(person(a, "M0011").presenza, dec!(0.8333));
    assert_eq!(person(a, "M0041").presenza, dec!(275) / dec!(366));
    // Not positive: nothing in either pool.
    for m in ["M0017", "M0101"] {
        let p = person(a, m);
        assert!(!p.positiva && p.totale == Cents::ZERO, "{m}: {p:?}");
        assert!(p.spiegazione.iter().any(|l| l.starts_with("Valutazione non positiva (")), "{:?}", p.spiegazione);
    }
    // Conciliated: the agreed score counts.
    assert_eq!(person(a, "M0060").punteggio_individuale, Some(dec!(78)));
    // Moved on 1 July from ADG to CULT: 182 and 184 days, each with its own indices.
    let m = person(a, "M0037");
    assert!(m.spiegazione[1].starts_with("Punteggio organizzativo in ADG (182 giorni): 20% × ROE "), "{:?}", m.spiegazione);
    assert!(m.spiegazione[2].starts_with("Punteggio organizzativo in CULT (184 giorni): "), "{:?}", m.spiegazione);
    // Coefficients of the rules: C 1,2, D 1,35.
    assert_eq!((m.categoria.as_str(), m.coefficiente), ("C", dec!(1.2)));
    // Every organisational premium is its exact quota, within a cent: pool × weight / total.
    let weights: Vec<Decimal> =
        a.persone.iter().map(|p| if p.positiva { p.punteggio_organizzativo * p.coefficiente * p.presenza } else { Decimal::ZERO }).collect();
    let total: Decimal = weights.iter().sum();
    for (p, w) in a.persone.iter().zip(&weights) {
        let exact = Decimal::from(a.fondo_organizzativa.get()) * w / total;
        assert!((Decimal::from(p.organizzativa.get()) - exact).abs() < Decimal::ONE, "{}: {} vs {exact}", p.matricola, p.organizzativa);
        assert_eq!(p.totale, p.organizzativa + p.individuale + p.maggiorazione);
    }
    // The uplift goes to the best individual scores.
    let min_in = a.persone.iter().filter(|p| p.maggiorazione > Cents::ZERO).filter_map(|p| p.punteggio_individuale).min();
    let max_out = a.persone.iter().filter(|p| p.maggiorazione == Cents::ZERO && p.positiva).filter_map(|p| p.punteggio_individuale).max();
    assert!(min_in >= max_out, "{min_in:?} {max_out:?}");
}

async fn story(store: &Store) {
    let (ente, _) = demo::load(store).await.expect("demo");
    let console = Actor::console();
    let a = allocation_of_the_demo(store).await;
    presence_and_scores(&a);
    managers(&a);

    // What-if: M0001 evaluated 100 instead; the pools stay whole, M0001 gets more.
    let what_if = WhatIf { rules: None, scores: BTreeMap::from([("M0001".to_string(), dec!(100))]) };
    let (_, b) = payouts::save_scenario(store, &console, E, 2020, "m0001-100", &what_if).await.expect("what-if");
    assert_eq!(b.total(), Cents::new(40_000_000));
    assert!(person(&b, "M0001").individuale > person(&a, "M0001").individuale);
    let c = traguardi_app::pay::outputs::compare("base", &a, "m0001-100", &b);
    assert_eq!([c.total_a, c.total_b].map(Cents::get), [40_000_000, 40_000_000]);
    assert_eq!(c.rows.iter().map(|r| r.differenza).sum::<Cents>(), Cents::ZERO);
    assert!(c.rows.iter().find(|r| r.matricola == "M0001").is_some_and(|r| r.differenza > Cents::ZERO));
    // Other rules: the individual share of the scenario's own pools.
    let other = WhatIf { rules: Some("fondo.organizzativa = 200000\nfondo.individuale = 200000.00\n".into()), ..WhatIf::default() };
    let (_, o) = payouts::save_scenario(store, &console, E, 2020, "meta", &other).await.expect("other rules");
    assert_eq!([o.fondo_organizzativa, o.fondo_individuale, o.total()].map(Cents::get), [20_000_000, 20_000_000, 40_000_000]);
    assert!(describe(payouts::save_scenario(store, &console, E, 2020, "no good", &WhatIf::default()).await).contains("nome di scenario «no good» non valido"));

    // What-if for the managers: 30% of the score on the payment-times objective SAL-02
    // (DL 13/2023 art. 4-bis).
    let ctx = PayContext::load(store, &console, E, 2020).await.expect("context");
    let rules = ctx.rules.to_text() + "dirigenti.tempi_pagamento.obiettivo = SAL-02\n";
    let (_, m) = payouts::save_scenario(store, &console, E, 2020, "dirigenti", &WhatIf { rules: Some(rules), ..WhatIf::default() }).await.expect("managers");
    let siad = m.explained("D022").expect("D022");
    assert!(
        siad.spiegazione.iter().any(|l| l.starts_with("Tempi di pagamento (DL 13/2023 art. 4-bis): ") && l.contains("obiettivo SAL-02")),
        "{:?}",
        siad.spiegazione
    );
    assert!(m.dirigenti.avvisi.is_empty());

    // Gates: the plan is in draft and the Relazione is not validated.
    let msg = describe(payouts::approve(store, &console, E, 2020, "base").await);
    assert!(msg.starts_with("non si può approvare l'erogazione dei premi 2020:\n- Piano degli Obiettivi 2020 non approvato (281 obiettivi su 281"), "{msg}");
    assert!(msg.contains("\n- Relazione sulla Performance 2020 non validata dal NIV (stato: non registrata; art. 14 c.6 D.Lgs 150/2009)"), "{msg}");
    assert!(!msg.contains("fondo") && !msg.contains("valutazione"), "{msg}");

    // Open them: the plan approved by GC 838/2020; the Relazione approved by the Giunta
    // (an act registered for this test) and validated by the NIV.
    let all = |to| Move { codes: &[], to, act: None, note: None };
    transition(store, &console, &ente, 2020, all(State::Proposto)).await.expect("proposed");
    transition(store, &console, &ente, 2020, Move { act: Some("GC 838/2020"), ..all(State::Approvato) }).await.expect("approved");
    let niv = Actor::user("niv", "n", &[AccountRole::Niv], &[]);
    let day = chrono::NaiveDate::from_ymd_opt(2021, 6, 20).expect("date");
    let msg = describe(
        traguardi_app::pay::relazione::relazione_step(
            store,
            &niv,
            E,
            2020,
            traguardi_app::pay::relazione::RelazioneStep { to: "validata", act: None, on: day, note: None },
        )
        .await,
    );
    assert_eq!(msg, "la Relazione 2020 è «bozza»: può diventare «validata» solo da «approvata»");
    let msg = describe(
        traguardi_app::pay::relazione::relazione_step(
            store,
            &console,
            E,
            2020,
            traguardi_app::pay::relazione::RelazioneStep { to: "approvata", act: None, on: day, note: None },
        )
        .await,
    );
    assert!(msg.contains("richiede l'atto della Giunta"), "{msg}");
    // The Piano's deliberation does not approve the Relazione: it must come after the year.
    let msg = describe(
        traguardi_app::pay::relazione::relazione_step(
            store,
            &console,
            E,
            2020,
            traguardi_app::pay::relazione::RelazioneStep { to: "approvata", act: Some("GC 838/2020"), on: day, note: None },
        )
        .await,
    );
    assert_eq!(msg, "l'atto GC 838/2020 è del 24/07/2020: la Relazione 2020 si approva con una deliberazione adottata dopo la fine dell'anno");
    let act =
        b"organo,numero,data,oggetto,immediatamente_eseguibile\ngiunta,1,2021-06-10,Atto di prova: approvazione della Relazione sulla Performance 2020,si\n";
    import_acts::import_acts(store, &console, &ente, act, ReadOptions::default(), false).await.expect("act");
    let r = traguardi_app::pay::relazione::relazione_step(
        store,
        &console,
        E,
        2020,
        traguardi_app::pay::relazione::RelazioneStep { to: "approvata", act: Some("GC 1/2021"), on: day, note: None },
    )
    .await
    .expect("approved");
    assert_eq!(r.act_code.as_deref(), Some("GC 1/2021"));
    let planner = Actor::user("pianificatore", "p", &[AccountRole::Pianificatore], &[]);
    assert!(
        describe(
            traguardi_app::pay::relazione::relazione_step(
                store,
                &planner,
                E,
                2020,
                traguardi_app::pay::relazione::RelazioneStep { to: "validata", act: None, on: day, note: None }
            )
            .await
        )
        .contains("solo il NIV")
    );
    // The NIV validates after the Giunta's approval, never before it.
    let early = chrono::NaiveDate::from_ymd_opt(2021, 6, 1).expect("date");
    let msg = describe(
        traguardi_app::pay::relazione::relazione_step(
            store,
            &niv,
            E,
            2020,
            traguardi_app::pay::relazione::RelazioneStep { to: "validata", act: None, on: early, note: None },
        )
        .await,
    );
    assert_eq!(msg, "la validazione del NIV (01/06/2021) non può precedere l'approvazione della Relazione da parte della Giunta (10/06/2021, GC 1/2021)");
    traguardi_app::pay::relazione::relazione_step(
        store,
        &niv,
        E,
        2020,
        traguardi_app::pay::relazione::RelazioneStep { to: "validata", act: None, on: day, note: Some("validata nella seduta del 20/06/2021") },
    )
    .await
    .expect("validated");

    // A simulation is never approved: changed scores, or rules other than those in force.
    let msg = describe(payouts::approve(store, &console, E, 2020, "m0001-100").await);
    assert!(msg.starts_with("lo scenario «m0001-100» è una simulazione: cambia i punteggi di 1 (M0001)"), "{msg}");
    let msg = describe(payouts::approve(store, &console, E, 2020, "meta").await);
    assert!(msg.starts_with("lo scenario «meta» è una simulazione: usa regole dei premi diverse da quelle in vigore"), "{msg}");
    // A contested evaluation without the conciliation's outcome is an open gate.
    let set = |sql: &'static str| sqlx::query(sql).execute(&store.pool);
    set("UPDATE evaluation SET contested_on = '2021-02-15' WHERE person_id = (SELECT id FROM person WHERE matricola = 'M0002')").await.expect("contested");
    let msg = describe(payouts::approve(store, &console, E, 2020, "base").await);
    assert_eq!(msg, "non si può approvare l'erogazione dei premi 2020:\n- valutazioni contestate senza l'esito della conciliazione: M0002");
    set("UPDATE evaluation SET conciliation = 'confermata' WHERE person_id = (SELECT id FROM person WHERE matricola = 'M0002')").await.expect("concluded");
    payouts::save_scenario(store, &console, E, 2020, "bis", &WhatIf::default()).await.expect("computed");

    // The data changed since "base" was computed? No: approve it.
    let s = payouts::approve(store, &console, E, 2020, "base").await.expect("approved");
    assert_eq!(s.status, traguardi_domain::pay::scenario::ScenarioStatus::Approvato);
    let msg = describe(payouts::approve(store, &console, E, 2020, "bis").await);
    assert!(msg.starts_with("lo scenario «base» del 2020 è già approvato"), "{msg}");
    // The database holds one approved scenario per cycle, whatever the application does.
    let forced = sqlx::query("UPDATE pay_scenario SET approved_at = '2021-07-01T00:00:00Z', approved_by = 'x' WHERE name = 'bis'").execute(&store.pool).await;
    assert!(forced.is_err(), "a second approved scenario in the database");
    let msg = describe(payouts::save_scenario(store, &console, E, 2020, "base", &WhatIf::default()).await);
    assert!(msg.contains("è approvato e non si può ricalcolare"), "{msg}");
    let (approved, _) = payouts::approved(store, &console, E, 2020).await.expect("read").expect("one approved");
    assert_eq!(approved.name, "base");

    // The employee of the demo (M0037) sees the approved premium and why; the history holds 2020.
    let account = {
        let mut conn = store.acquire().await.expect("conn");
        traguardi_store::accounts::by_username(&mut conn, "dipendente").await.expect("read").expect("demo account")
    };
    let me = Actor::user("dipendente", &account.id, &[AccountRole::Dipendente], &[]);
    let mine = traguardi_app::pay::mine::mine(store, &me, E, 2020).await.expect("mine").expect("linked");
    assert_eq!((mine.matricola.as_str(), mine.name.as_str()), ("M0037", "Giorgio Barbieri"));
    let (scenario, p) = mine.approved.as_ref().expect("approved");
    assert_eq!((scenario.as_str(), p.totale, p.spiegazione.len()), ("base", person(&a, "M0037").totale, person(&a, "M0037").spiegazione.len()));
    assert_eq!(mine.history, [(2020, person(&a, "M0037").punteggio_individuale)]);
    assert_eq!(mine.average_of_last(3), person(&a, "M0037").punteggio_individuale);
    assert!(matches!(traguardi_app::pay::mine::mine(store, &Actor::public(), E, 2020).await, Err(AppError::Forbidden { .. })));
    // …but not the others' premi.
    assert!(matches!(payouts::scenarios(store, &me, E, 2020).await, Err(AppError::Forbidden { .. })));

    // The Direttore of SIAD sees his result pay on his own page.
    let account = {
        let mut conn = store.acquire().await.expect("conn");
        traguardi_store::accounts::by_username(&mut conn, "direttore.siad").await.expect("read").expect("demo account")
    };
    let castano = Actor::user("direttore.siad", &account.id, &[AccountRole::Direttore], &[]);
    let his = traguardi_app::pay::mine::mine(store, &castano, E, 2020).await.expect("mine").expect("linked");
    let (_, p) = his.approved.as_ref().expect("approved");
    assert_eq!(p.voci, [("Retribuzione di risultato", a.explained("D022").expect("D022").totale), ("Maggiorazione per la differenziazione", Cents::ZERO)]);

    // The evaluation forms and the NIV's documents of the finished year.
    crate::documents::of_a_finished_year(store, &ente, &a, &me, &niv).await;

    // Payroll export: one row per person and item; the amounts add up to what was paid.
    let sheet = traguardi_app::pay::outputs::payroll_sheet(&a);
    assert_eq!(sheet.header, ["matricola", "nome", "categoria", "struttura", "anno", "voce", "descrizione", "importo"]);
    let sum = |voce: &str| -> Decimal { sheet.rows.iter().filter(|r| r[5] == voce).map(|r| r[7].parse::<Decimal>().expect("amount")).sum() };
    assert_eq!((sum("00G"), sum("00H")), (dec!(250000.00), dec!(150000.00)));
    assert_eq!(sheet.rows.iter().filter(|r| r[6].starts_with("maggiorazione premio")).count(), 19);
    assert_eq!(sheet.rows.iter().filter(|r| r[6].starts_with("maggiorazione retribuzione")).count(), 2);
    assert_eq!(sum("449"), a.dirigenti.totale.euros());
    let t = traguardi_app::pay::outputs::transparency_sheet(&a);
    let value = |who: &str, voce: &str| t.rows.iter().find(|r| r[0] == who && r[2] == voce).map(|r| r[3].clone()).unwrap_or_default();
    assert_eq!(value("personale", "premi performance organizzativa"), "250000.00");
    assert_eq!(value("personale", "con premio"), "190");
    assert_eq!(value("personale", "senza premio"), "2");
    assert_eq!(value("personale", "personale con la maggiorazione per la differenziazione"), "19");
    assert_eq!(value("dirigenti", "valutati"), "27");
    assert_eq!(value("dirigenti", "retribuzione di risultato"), a.dirigenti.totale.euros().to_string());

    // With the gates open, a scenario of the same data has none left.
    let ctx = PayContext::load(store, &console, E, 2020).await.expect("context");
    assert!(ctx.open_gates(&b).is_empty(), "{:?}", ctx.open_gates(&b));
}

async fn bad_files(store: &Store) {
    demo::load(store).await.expect("demo");
    let console = Actor::console();

    let before = PayContext::load(store, &console, E, 2020).await.expect("context");

    // A fund whose uses exceed its resources: refused, the stored fund untouched.
    let fund = b"voce,descrizione,natura,importo,uso\n00B,Unico importo,stabile,1000.00,\n00G,Premi,destinazione,900.00,premi_organizzativa\n00H,Premi,destinazione,200.00,premi_individuale\n";
    let msg = describe(import_fund::import_fund(store, &console, E, 2020, (fund, ReadOptions::default()), import_fund::FundHeader::default(), false).await);
    assert_eq!(
        msg,
        "fondo risorse decentrate 2020 non registrato:\n- le destinazioni (1.100,00 €) superano le risorse del fondo (1.000,00 €)\n- i premi per la performance individuale (200,00 €) sono meno del 30% dei premi (1.100,00 €; art. 68 c.3 CCNL Funzioni Locali 21/05/2018)"
    );
    let wrong = b"voce,descrizione,natura,importo,uso\n00B,,fissa,-5,\n00O,Altro,variabile,10.005,premi_individuale\n";
    let msg = describe(import_fund::import_fund(store, &console, E, 2020, (wrong, ReadOptions::default()), import_fund::FundHeader::default(), false).await);
    for needle in
        ["riga 2, colonna «descrizione»", "riga 2, colonna «natura»", "riga 2, colonna «importo»", "riga 3, colonna «importo»", "riga 3, colonna «uso»"]
    {
        assert!(msg.contains(needle), "{needle} in {msg}");
    }
    // The dirigenti's fund has no premi; its uses are position and result pay.
    let managers = import_fund::FundHeader { kind: traguardi_domain::pay::fund::FundKind::Dirigenti, ..import_fund::FundHeader::default() };
    let wrong = b"voce,descrizione,natura,importo,uso\nD01,Fondo,stabile,1000.00,\nD02,Premi,destinazione,100.00,premi_individuale\n";
    let msg = describe(import_fund::import_fund(store, &console, E, 2020, (wrong, ReadOptions::default()), managers, false).await);
    assert_eq!(msg, "riga 3, colonna «uso»: valore «premi_individuale» non ammesso; valori possibili: posizione, risultato, altro");
    // Evaluations: every problem of the file at once, nothing written.
    let ev = "matricola,valutatore,risultati,comportamenti,colloquio_iniziale,colloquio_intermedio,contestata_il,conciliazione,punteggio_conciliato\n\
              X999,,80,80,,,,,\nM0001,M0001,101,80,,,,,\nM0002,,80,80,2020-07-01,2020-02-01,,modificata,\nM0002,,80,80,,,,,\n";
    let msg = describe(import_evaluations::import_evaluations(store, &console, E, 2020, ev.as_bytes(), ReadOptions::default(), false).await);
    for needle in [
        "riga 2, colonna «matricola»",
        "riga 3, colonna «valutatore»",
        "riga 3, colonna «risultati»",
        "riga 4, colonna «colloquio_intermedio»",
        "riga 4, colonna «contestata_il»",
        "riga 4, colonna «punteggio_conciliato»",
        "riga 5, colonna «matricola»",
    ] {
        assert!(msg.contains(needle), "{needle} in {msg}");
    }
    // Behaviours item by item: an unknown behaviour, a score off the 1–5 scale, a managers'
    // behaviour for an employee, and both the items and the overall score.
    let items = "matricola,comportamento.c1,comportamento.c5,comportamento.zz,comportamenti\nM0001,6,4,,\nM0002,4,,,80\n";
    let msg = describe(import_evaluations::import_evaluations(store, &console, E, 2020, items.as_bytes(), ReadOptions::default(), false).await);
    for needle in [
        "riga 1, colonna «comportamento.zz»",
        "riga 2, colonna «comportamento.c1»",
        "riga 2, colonna «comportamento.c5»: «4» non è valido: atteso vuoto: C5 non si applica alla categoria A",
        "riga 3, colonna «comportamenti»",
    ] {
        assert!(msg.contains(needle), "{needle} in {msg}");
    }
    let ab = b"matricola,causale,giorni\nM0001,ASP,400\nM0001,asp,3\nNOPE,MAL,2\n";
    let msg = describe(import_absences::import_absences(store, &console, E, 2020, ab, ReadOptions::default(), false).await);
    for needle in ["riga 2, colonna «giorni»", "riga 3, colonna «causale»", "riga 4, colonna «matricola»"] {
        assert!(msg.contains(needle), "{needle} in {msg}");
    }
    let msg = describe(payouts::set_rules(store, &console, E, 2020, "assenze.riducono = ASP, MAT\n").await);
    assert!(msg.contains("MAT") && msg.contains("art. 9 c.3 D.Lgs 150/2009"), "{msg}");
    // A scenario edited in the database is refused, not shown.
    sqlx::query("UPDATE pay_scenario SET result = result || ' '").execute(&store.pool).await.expect("tamper");
    assert_eq!(describe(payouts::scenario(store, &console, E, 2020, "base").await), "scenario «base» alterato nel database: l'impronta non corrisponde");
    let after = PayContext::load(store, &console, E, 2020).await.expect("context");
    assert_eq!(
        (after.fund, after.managers_fund, after.evaluations, after.absences, after.rules),
        (before.fund, before.managers_fund, before.evaluations, before.absences, before.rules)
    );
}

/// Each day is paid once, by the right contract; nobody evaluates themselves; the pools keep
/// the contract's share in every scenario; a closed cycle's pay rules do not move.
async fn what_the_law_says(store: &Store) {
    let (ente, _) = demo::load(store).await.expect("demo");
    let console = Actor::console();

    // M0001, an employee all of 2020, becomes the dirigente of SIAD from 01/08 (her staff post
    // left open, as payroll files often do): staff premi for 01/01–31/07 (213 days of the leap
    // year), result pay for 01/08–31/12 (153 days), never both for the same day.
    sqlx::query(
        "INSERT INTO assignment (id, ente_id, cycle_id, person_id, unit_id, role, category, part_time_pct, part_time_kind, starts, ends, interim) \
         SELECT 'test-m0001-di', a.ente_id, a.cycle_id, a.person_id, u.id, 'dirigente', 'DI', '100', 'pieno', '2020-08-01', NULL, 0 \
         FROM assignment a JOIN person p ON p.id = a.person_id JOIN cycle c ON c.id = a.cycle_id AND c.year = 2020 \
         JOIN org_unit u ON u.cycle_id = a.cycle_id AND u.code = 'SIAD' \
         WHERE p.matricola = 'M0001' AND a.interim = 0",
    )
    .execute(&store.pool)
    .await
    .expect("the new post");
    let (_, a) = payouts::save_scenario(store, &console, E, 2020, "promossa", &WhatIf::default()).await.expect("computed");
    let staff = person(&a, "M0001");
    assert!(staff.spiegazione[0].starts_with("Giorni dei ruoli dei premi: 213 su 366 giorni di servizio nel 2020"), "{:?}", staff.spiegazione);
    assert!(staff.spiegazione[1].starts_with("Presenza: 213 giorni in servizio nel 2020"), "{:?}", staff.spiegazione);
    assert!(staff.presenza <= dec!(213) / dec!(366), "{}", staff.presenza);
    let rows: Vec<_> = a.dirigenti.righe.iter().filter(|r| r.matricola == "M0001").collect();
    assert_eq!(rows.iter().map(|r| (r.struttura.as_str(), r.giorni)).collect::<Vec<_>>(), [("SIAD", 153)]);
    // 2020 follows the CCNL of 21/05/2018: its articles on every explanation.
    assert!(a.contratto.starts_with("CCNL Funzioni Locali 2016-2018"), "{}", a.contratto);
    let up = a.persone.iter().find(|p| p.maggiorazione > Cents::ZERO).expect("an uplift");
    assert!(
        up.spiegazione.iter().any(|l| l.starts_with("Maggiorazione per la differenziazione (art. 69 CCNL Funzioni Locali 21/05/2018)")),
        "{:?}",
        up.spiegazione
    );

    // A what-if pool of 15% of the premi is refused, citing the year's contract.
    let low = WhatIf { rules: Some("fondo.organizzativa = 340000\nfondo.individuale = 60000\n".into()), ..WhatIf::default() };
    let msg = describe(payouts::save_scenario(store, &console, E, 2020, "basso", &low).await);
    assert!(msg.contains("«fondo.individuale»") && msg.contains("15,00%") && msg.contains("art. 68 c.3 CCNL Funzioni Locali 21/05/2018"), "{msg}");
    // Only one pool set: the other is the fund's, and the share is checked on the two.
    let low = WhatIf { rules: Some("fondo.individuale = 50000\n".into()), ..WhatIf::default() };
    let msg = describe(payouts::save_scenario(store, &console, E, 2020, "basso", &low).await);
    assert!(msg.contains("«fondo.individuale»") && msg.contains("16,67%"), "{msg}");

    // A planner linked to M0002 does not evaluate M0002, though planners evaluate everyone else.
    let planner_account = {
        let mut conn = store.acquire().await.expect("conn");
        traguardi_store::accounts::by_username(&mut conn, "pianificatore").await.expect("read").expect("demo account")
    };
    traguardi_app::accounts::users::link_person(store, &console, "pianificatore", E, "M0002").await.expect("linked");
    let planner = Actor::user("pianificatore", &planner_account.id, &[AccountRole::Pianificatore], &[]);
    let list = traguardi_app::pay::evaluations::to_evaluate(store, &planner, E, 2020).await.expect("list");
    assert!(list.iter().any(|e| e.matricola == "M0003") && !list.iter().any(|e| e.matricola == "M0002"));
    let msg = describe(traguardi_app::pay::evaluations::form(store, &planner, E, 2020, "M0002").await);
    assert!(msg.contains("valutare M0002"), "{msg}");
    let own = "matricola,risultati,comportamenti\nM0002,100,100\n";
    let msg = describe(import_evaluations::import_evaluations(store, &planner, E, 2020, own.as_bytes(), ReadOptions::default(), false).await);
    assert!(msg.contains("riga 2, colonna «matricola»") && msg.contains("nessuno registra la propria valutazione"), "{msg}");

    // After the close, the rules of the premi and the evaluations are frozen too.
    traguardi_app::cycle::close::close(store, &console, &ente, 2020, Some("prova della chiusura")).await.expect("closed");
    let msg = describe(payouts::set_rules(store, &console, E, 2020, "punteggio_minimo = 50\n").await);
    assert!(msg.starts_with("il ciclo 2020 è chiuso dal "), "{msg}");
    let ev = "matricola,risultati,comportamenti\nM0003,90,90\n";
    let msg = describe(import_evaluations::import_evaluations(store, &console, E, 2020, ev.as_bytes(), ReadOptions::default(), false).await);
    assert!(msg.starts_with("il ciclo 2020 è chiuso dal "), "{msg}");
}

#[tokio::test]
async fn the_law_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        what_the_law_says(&store).await;
        store.close().await;
    }
}

#[tokio::test]
async fn premi_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        story(&store).await;
        store.close().await;
    }
}

#[tokio::test]
async fn bad_files_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        bad_files(&store).await;
        store.close().await;
    }
}

/// Approval equals a recomputation from the records: for evaluations changed at random, the
/// scenario stored (as approval reads it back) is exactly what the records and the rules in
/// force give again, and a change of the records after it is seen.
#[tokio::test]
async fn approval_equals_a_recomputation_from_the_records() {
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let store = testing::sqlite().await.expect("store");
    demo::load(&store).await.expect("demo");
    let console = Actor::console();
    // Six random cases, each a few evaluations changed (the database is shared between them,
    // so the cases are drawn first and run one after the other).
    // A fixed seed: the same cases on every run and every machine.
    let mut runner = TestRunner::deterministic();
    let cases = proptest::collection::vec((1u32..190, 0u32..=100), 1..6);
    let inputs: Vec<Vec<(u32, u32)>> = (0..6).map(|_| cases.new_tree(&mut runner).expect("a case").current()).collect();
    for (n, changes) in inputs.into_iter().enumerate() {
        for (who, score) in &changes {
            sqlx::query("UPDATE evaluation SET results = $1 WHERE person_id = (SELECT id FROM person WHERE matricola = $2)")
                .bind(score.to_string())
                .bind(format!("M{who:04}"))
                .execute(&store.pool)
                .await
                .expect("a changed evaluation");
        }
        let name = format!("caso-{n}");
        payouts::save_scenario(&store, &console, E, 2020, &name, &WhatIf::default()).await.expect("scenario");
        let (_, stored) = payouts::scenario(&store, &console, E, 2020, &name).await.expect("read back");
        let ctx = PayContext::load(&store, &console, E, 2020).await.expect("context");
        let again = ctx.allocate(&ctx.rules, &BTreeMap::new());
        assert_eq!(stored, again, "case {n}: {changes:?}");
        assert_eq!(stored.total(), stored.fondo_organizzativa + stored.fondo_individuale - stored.residuo_organizzativa - stored.residuo_individuale);
        // The records change after the scenario: the recomputation tells.
        let (who, score) = changes[0];
        sqlx::query("UPDATE evaluation SET results = $1 WHERE person_id = (SELECT id FROM person WHERE matricola = $2)")
            .bind(((score + 37) % 101).to_string())
            .bind(format!("M{who:04}"))
            .execute(&store.pool)
            .await
            .expect("changed again");
        let ctx = PayContext::load(&store, &console, E, 2020).await.expect("context");
        let changed = ctx.allocate(&ctx.rules, &BTreeMap::new());
        // Results count unless a conciliation fixed the score.
        let conciliated: Option<Option<String>> =
            sqlx::query_scalar("SELECT conciliated FROM evaluation WHERE person_id = (SELECT id FROM person WHERE matricola = $1)")
                .bind(format!("M{who:04}"))
                .fetch_optional(&store.pool)
                .await
                .expect("read");
        let person = stored.persone.iter().find(|p| p.matricola == format!("M{who:04}"));
        if conciliated.is_some_and(|c| c.is_none()) && person.is_some_and(|p| p.punteggio_individuale.is_some() && p.positiva) {
            assert_ne!(stored, changed, "case {n}: a changed evaluation must change the recomputation");
        }
    }
}
