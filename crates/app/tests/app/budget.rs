//! The budget side on SQLite and PostgreSQL: the piano dei conti, PEG imports, and the REPORT
//! COMMISSIONI reproducing every total printed in seed 004 (Bilancio di Previsione 2025, CdR 222).

use traguardi_app::budget::commissioni::{self, Scope};
use traguardi_app::{Actor, AppError, budget::import_mapped, budget::import_pdc, budget::import_peg, samples::demo, samples::shared_data};
use traguardi_docs::ReadOptions;
use traguardi_domain::Lang;
use traguardi_domain::budget::mapping::Mapping;
use traguardi_domain::money::Cents;
use traguardi_store::{Store, budget, testing};

const HEADER: &str = "anno,cdr,cdr_nome,direzione,capitolo,articolo,pdc,descrizione,vincolo,missione,programma,previsione";

fn glossary_present() -> bool {
    let present = shared_data::file(shared_data::SIOPE_PDC).is_some();
    if !present {
        assert!(std::env::var("CI").is_err(), "../shared/data missing in CI");
        eprintln!("SKIP: ../shared/data absent, the piano dei conti checks are skipped");
    }
    present
}

fn eur(years: &[Cents; 3]) -> [String; 3] {
    years.map(|c| c.to_string())
}

async fn seed_004_totals(store: &Store) {
    let (ente, _) = demo::load(store).await.expect("demo");
    let console = Actor::console();
    for scope in [Scope::Cdr("222".into()), Scope::Direzione("SIAD".into())] {
        let r = commissioni::build(store, &console, &ente, 2025, &scope).await.expect("report");
        assert_eq!(r.years, [2023, 2024, 2025]);
        assert_eq!(r.direzione, "DIREZIONE INNOVAZIONE TECNOLOGICA E DIGITALE");
        // 1.B: one CdR, two macroaggregati, the totals of the seed (2023, 2024, 2025).
        let c = &r.correnti;
        assert_eq!(c.cdr.len(), 1);
        let b = &c.cdr[0];
        assert_eq!((b.cdr.as_str(), b.name.as_str()), ("222", "AREA CRM"));
        let groups: Vec<(&str, &str, usize)> = b.groups.iter().map(|g| (g.code.as_str(), g.name.as_str(), g.lines.len())).collect();
        assert_eq!(groups, [("03", "Acquisto di beni e servizi", 8), ("04", "Trasferimenti correnti", 1)]);
        assert_eq!(eur(&b.groups[0].total), ["4.490.720,00", "4.231.070,00", "3.621.520,00"]);
        assert_eq!(eur(&b.groups[1].total), ["6.000,00", "1.200,00", "9.600,00"]);
        assert_eq!(eur(&b.total), ["4.496.720,00", "4.232.270,00", "3.631.120,00"]);
        // Lines in the seed's order: by code, then capitolo.
        let first: Vec<String> = b.groups[0].lines.iter().map(|l| format!("{}/{} {}", l.capitolo, l.articolo, l.pdc)).collect();
        assert_eq!(first[..3], ["1014/4 1.03.02.07.000", "4234/4 1.03.02.07.000", "1013/10 1.03.02.11.000"]);
        let contact = &b.groups[0].lines[5];
        assert_eq!(
            (contact.descrizione.as_str(), eur(&contact.amounts)),
            ("SERVIZI AUSILIARI - CONTACT CENTER", ["4.181.620,00".into(), "4.186.420,00".into(), "3.445.520,00".into()])
        );
        // 1.D: by Missione and Programma.
        let d: Vec<(String, String, [String; 3])> =
            c.riepilogo.iter().flat_map(|m| m.programmi.iter().map(|p| (m.code.clone(), p.code.clone(), eur(&p.amounts)))).collect();
        assert_eq!(
            d,
            [
                ("01".into(), "11".into(), ["4.327.720,00".into(), "4.186.420,00".into(), "3.525.520,00".into()]),
                ("14".into(), "01".into(), ["169.000,00".into(), "45.850,00".into(), "105.600,00".into()]),
            ]
        );
        assert_eq!(eur(&c.riepilogo[0].total), ["4.327.720,00", "4.186.420,00", "3.525.520,00"]);
        assert_eq!(eur(&c.riepilogo[1].total), ["169.000,00", "45.850,00", "105.600,00"]);
        assert_eq!(c.riepilogo[1].name, "Sviluppo economico e competitività");
        // 2.B and 2.C: the capital line and its "di cui" split of 2025.
        let k = &r.capitale;
        assert_eq!(k.cdr[0].groups[0].lines[0].descrizione, "SOFTWARE");
        assert_eq!(eur(&k.cdr[0].total), ["330.000,00", "183.000,00", "0,00"]);
        assert_eq!(eur(&k.di_cui), ["0,00", "0,00", "0,00"]);
        assert_eq!((k.riepilogo[0].code.as_str(), k.riepilogo[0].programmi[0].code.as_str()), ("01", "11"));
        assert_eq!(eur(&k.riepilogo[0].total), ["330.000,00", "183.000,00", "0,00"]);
        // The Direzione's DUP pages (eight programmi operativi in the seed).
        assert_eq!(r.dup.len(), 8);
        assert_eq!(r.dup[0].operativo, "Sviluppare i canali relazionali di informazione, monitoraggio e trasparenza nei servizi");
        assert_eq!(
            r.dup[0].strategico,
            "Sviluppare e potenziare la comunicazione esterna al fine di promuovere il rapporto tra Amministrazione e cittadinanza"
        );
        assert_eq!(r.dup[0].agid, ["AGID OB.1.1", "AGID OB.1.2", "AGID OB.3.1"]);
        assert_eq!(r.dup[0].missione_name, "Servizi istituzionali, generali e di gestione");
        // The flat table for CSV/XLSX carries the same totals, in decimal euro.
        let sheets = r.sheets();
        let total = sheets[0].rows.iter().find(|row| row[1] == "totale_cdr" && row[0] == "1.B").expect("total row");
        assert_eq!(total[11..14], ["4496720.00", "4232270.00", "3631120.00"]);
        assert_eq!(r.to_json()["correnti"]["total"][2], "3631120.00");
        assert_eq!(r.printable()["correnti"]["total"][2], "3.631.120,00");
        // The PDF prints every total of the seed (1.B, 1.D, 2.B, 2.C), as typeset.
        let pages = traguardi_pdf::page_texts(traguardi_pdf::Template::Commissioni, &r.printable()).expect("typesets");
        let all = pages.join("\n");
        for printed in [
            "4.490.720,00",
            "4.231.070,00",
            "3.621.520,00",
            "6.000,00",
            "1.200,00",
            "9.600,00",
            "4.496.720,00",
            "4.232.270,00",
            "3.631.120,00",
            "4.327.720,00",
            "4.186.420,00",
            "3.525.520,00",
            "169.000,00",
            "45.850,00",
            "105.600,00",
            "330.000,00",
            "183.000,00",
        ] {
            assert!(all.contains(printed), "{printed} missing from the PDF");
        }
        assert!(pages[0].contains("Totale Settore 222"), "{}", pages[0]);
        assert!(pages.len() >= 4 + 8, "four budget pages, then the eight DUP pages");
        assert!(r.dup.iter().all(|d| all.contains(d.operativo.split_whitespace().next().unwrap_or_default())));
    }
    // A year two before the lines start has nothing to show; an unknown CdR says so.
    assert!(matches!(commissioni::build(store, &console, &ente, 2021, &Scope::Cdr("222".into())).await, Err(AppError::NotFound(_))));
    match commissioni::build(store, &console, &ente, 2025, &Scope::Cdr("999".into())).await {
        Err(e) => assert_eq!(e.describe(Lang::It), "CdR 999 inesistente nella struttura dell'ente per il 2025"),
        Ok(_) => panic!("unknown CdR"),
    }
    // An objective's resources: the year's lines of its DUP programma, in its Direzione.
    let lines = traguardi_app::budget::ledger::resources(store, &ente.id, 2025, Some("CRM"), "01", "11").await.expect("resources");
    let peg: Vec<String> = lines.iter().map(|l| format!("{}/{}", l.capitolo, l.articolo)).collect();
    assert_eq!(peg, ["1014/4", "1013/10", "1013/8", "1013/9", "5855/35"]);
    assert_eq!(lines.iter().map(|l| l.previsione).sum::<Cents>().to_string(), "3.525.520,00", "1.D prints 3.525.520,00 for 01.11 in 2025");
    let elsewhere = traguardi_app::budget::ledger::resources(store, &ente.id, 2025, Some("SG"), "01", "11").await.expect("resources");
    assert!(elsewhere.is_empty(), "another Direzione's objective gets none of CdR 222's lines");

    // The demo is idempotent: a second load changes nothing.
    let (_, again) = demo::load(store).await.expect("again");
    assert_eq!(again.changes, 0);
}

async fn bad_files_write_nothing(store: &Store) {
    let (ente, _) = demo::load(store).await.expect("demo");
    let console = Actor::console();
    let before = {
        let mut c = store.acquire().await.expect("conn");
        budget::all_lines(&mut c, &ente.id).await.expect("lines")
    };
    let checked = glossary_present();
    let mut file = format!("{HEADER},tipo,crono_anni_precedenti,altri_nuovi_stanziamenti,programma_triennale_llpp\n");
    file += "2025,222,AREA CRM,DIR,1014,4,1030207000,UTILIZZO,0,01,11,65000.00,,,,\n"; // fine
    file += "2025,999,X,DIR,1,1,1030207000,X,0,01,11,1.00,,,,\n"; // unknown CdR
    file += "2025,222,AREA CRM,DIR,1014,4,1030207000,DOPPIA,0,01,11,1.00,,,,\n"; // duplicate of line 2
    file += "2025,222,AREA CRM,DIR,2,1,01030207000,FUSO,0,01,11,1.00,,,,\n"; // vincolo fused into the code
    file += "2025,222,AREA CRM,DIR,3,1,1030207000,MISS,0,01,99,1.00,,,,\n"; // no Programma 99 in Missione 01
    file += "2025,222,AREA CRM,DIR,4,1,3010200000,ENTR,,01,11,1.00,entrata,,,\n"; // revenue with Missione
    file += "2025,222,AREA CRM,DIR,5,1,2020103000,CAP,,01,11,100.00,,50.00,10.00,\n"; // di cui 60 ≠ 100
    file += "2025,222,AREA CRM,DIR,6,1,1030207000,CENT,0,01,11,1.005,,,,\n"; // three decimals
    file += "2025,222,AREA CRM,DIR,7,1,,SENZA,0,01,11,1.00,,,,\n"; // no code, no titolo
    file += "2025,222,AREA CRM,DIR,8,1,1039999000,INESISTENTE,0,01,11,1.00,,,,\n"; // not in the glossary
    match import_peg::import_peg(store, &console, &ente, file.as_bytes(), ReadOptions::default(), false).await {
        Err(AppError::Invalid(p)) => {
            let text = p.describe(Lang::It);
            for expected in [
                "riga 3, colonna «cdr»",
                "riga 4, colonna «capitolo»",
                "riga 5, colonna «pdc»: «01030207000» non è valido: atteso 10 cifre (il codice ne ha 11; un vincolo stampato davanti al codice va nella colonna «vincolo»)",
                "riga 6, colonna «programma»",
                "riga 7, colonna «missione»",
                "riga 8, colonna «crono_anni_precedenti»",
                "riga 9, colonna «previsione»",
                "riga 10, colonna «pdc»",
            ] {
                assert!(text.contains(expected), "missing «{expected}» in:\n{text}");
            }
            assert_eq!(text.contains("riga 11, colonna «pdc»"), checked, "{text}");
            assert!(!text.contains("riga 2,"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    let after = {
        let mut c = store.acquire().await.expect("conn");
        budget::all_lines(&mut c, &ente.id).await.expect("lines")
    };
    assert_eq!(before, after, "a refused file leaves the stored lines as they were");

    // Re-importing replaces the lines of each (anno, CdR) in the file, and nothing else.
    let file = format!(
        "{HEADER}\n2025,222,AREA CRM,DIREZIONE INNOVAZIONE TECNOLOGICA E DIGITALE,1014,4,U.1.03.02.07.000,UTILIZZO DI BENI DI TERZI,0,1,11,\"70000,50\"\n"
    );
    let file = file.replace(',', ";").replace("\"70000;50\"", "70000,50");
    let r = import_peg::import_peg(store, &console, &ente, file.as_bytes(), ReadOptions::default(), false).await.expect("re-import");
    assert_eq!(r.imported.len(), 1);
    assert_eq!((r.imported[0].anno, r.imported[0].lines, r.imported[0].replaced, r.imported[0].previsione.get()), (2025, 1, 10, 7_000_050));
    assert_eq!(r.pdc_checked, checked);
    let mut c = store.acquire().await.expect("conn");
    let now = budget::years_and_cdr(&mut c, &ente.id).await.expect("years");
    assert_eq!(now, [(2023, "222".to_string(), 10), (2024, "222".to_string(), 10), (2025, "222".to_string(), 1)]);
}

async fn glossary_import(store: &Store) {
    let (ente, _) = demo::load(store).await.expect("demo");
    let console = Actor::console();
    let bad = "codice_voce,macro,descrizione\n1.03.02.13.001,U,Servizi\n1.03.02.13.001,U,Ancora\n1.3.02,U,Corto\n1.03.02.13.002,X,Lato\nU.1.03.02.13.003,E,Lato sbagliato\n";
    match import_pdc::import_pdc(store, &console, &ente, bad.as_bytes(), ReadOptions::default(), false).await {
        Err(AppError::Invalid(p)) => {
            let text = p.describe(Lang::It);
            assert!(
                text.contains("riga 3, colonna «codice_voce»: «U.1.03.02.13.001» compare due volte (prima alla riga 2)") || text.contains("riga 3"),
                "{text}"
            );
            assert!(text.contains("riga 4, colonna «codice_voce»"), "{text}");
            assert!(text.contains("riga 5, colonna «macro»"), "{text}");
            assert!(text.contains("riga 6, colonna «codice_voce»"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    let Some(path) = shared_data::file(shared_data::SIOPE_PDC) else {
        glossary_present();
        return;
    };
    let bytes = std::fs::read(path).expect("read");
    let r = import_pdc::import_pdc(store, &console, &ente, &bytes, ReadOptions::default(), true).await.expect("dry run");
    // 2,536 rows: 9 treasury placeholders left out, the rest split by side.
    assert_eq!((r.rows, r.skipped, r.spesa + r.entrata), (2536, 9, 2527));
    assert_eq!(r.replaced, 2527, "the demo loaded the same glossary");
}

#[tokio::test]
async fn budget_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        seed_004_totals(&store).await;
        bad_files_write_nothing(&store).await;
    }
    for store in testing::all().await.expect("stores") {
        glossary_import(&store).await;
    }
}

fn shared(name: &str) -> Option<Vec<u8>> {
    match shared_data::file(name) {
        Some(p) => Some(std::fs::read(p).expect("read")),
        None => {
            assert!(std::env::var("CI").is_err(), "../shared/data missing in CI");
            eprintln!("SKIP: ../shared/data/{name} absent, test skipped");
            None
        }
    }
}

fn total(r: &import_mapped::MappedReport, codice: &str, misura: &str) -> String {
    r.totals.iter().find(|t| t.codice == codice && t.misura == misura).map_or(Cents::new(-1), |t| t.importo).to_string()
}

async fn mapped_imports(store: &Store) {
    let (ente, _) = demo::load(store).await.expect("demo");
    let console = Actor::console();
    // Torino's rendiconto 2019, spending: every TOTALE TITOLO row and TOTALE TITOLI agree with
    // the sum of their rows, in all 69 columns, and every row with its own totals.
    if let Some(bytes) = shared("torino_2019_rendiconto_spese_missione_macroaggregato.csv") {
        let m = Mapping { anno: Some(2019), ..import_mapped::load_mapping("rendiconto-spese-missioni").expect("mapping") };
        let r = import_mapped::import_mapped(store, &console, &ente, &m, &bytes, ReadOptions::default(), false).await.expect("imports");
        assert_eq!(r.checks.len(), 8, "{:?}", r.checks);
        assert_eq!(r.checks[0], "TOTALE TITOLO 1 - Spese correnti: 10 righe, 69 colonne quadrano");
        assert_eq!(r.checks[7], "TOTALE TITOLI: 69 colonne quadrano con la somma dei Titoli");
        // Missione 01, impegnato: the TOTALE TITOLI row prints 293.382.470,17.
        assert_eq!(total(&r, "01", "impegnato"), "293.382.470,17");
        assert_eq!(total(&r, "01", "pagato"), "289.344.921,96");
        assert!(r.ignored.iter().any(|l| l.starts_with("TOTALE MISSIONI")));
        // A re-import replaces; a tampered copy is refused, saying where and by how much.
        let again = import_mapped::import_mapped(store, &console, &ente, &m, &bytes, ReadOptions::default(), false).await.expect("again");
        assert_eq!(again.replaced as usize, r.amounts);
        let text = encoding_rs::mem::decode_latin1(&bytes).into_owned().replacen("106.949.062,21", "106.949.062,22", 1);
        let (tampered, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        match import_mapped::import_mapped(store, &console, &ente, &m, &tampered, ReadOptions::default(), false).await {
            Err(AppError::Invalid(p)) => {
                assert_eq!(
                    p.describe(Lang::It),
                    "riga 3, colonna «totale generale delle spese impegnato»: «356.821.336,86» non è valido: atteso la somma delle colonne della riga: 356.821.336,87\n\
                     riga 13, colonna «servizi istituzionali, generali e di gestione impegnato»: «248.790.366,64» non è valido: atteso la somma delle righe del Titolo: 248.790.366,65\n\
                     riga 38, colonna «servizi istituzionali, generali e di gestione impegnato»: «293.382.470,17» non è valido: atteso la somma delle righe dei Titoli: 293.382.470,18"
                );
            }
            other => panic!("{other:?}"),
        }
        let mut c = store.acquire().await.expect("conn");
        let stored = budget::amount_totals(&mut c, &ente.id, "rendiconto-spese-missioni", 2019).await.expect("totals");
        let m01 = stored.iter().find(|(c, m, _)| c.is_empty() && m == "impegnato").map(|t| t.2);
        assert!(m01.is_some());
    }
    // Revenue: Titoli I–IX against their totals; Titolo I accertamenti 834.522.791,55.
    if let Some(bytes) = shared("torino_2019_rendiconto_entrate_titolo_tipologia.csv") {
        let m = Mapping { anno: Some(2019), ..import_mapped::load_mapping("rendiconto-entrate-tipologie").expect("mapping") };
        let read = import_mapped::read(&m, &bytes, ReadOptions::default()).expect("reads");
        assert_eq!(read.checks.len(), 10, "{:?}", read.checks);
        assert_eq!(read.checks[0], "TOTALE TITOLO I: 8 righe, 2 colonne quadrano");
        let titolo1: Cents = read.amounts.iter().filter(|a| a.titolo == "1" && a.misura == "accertamenti").map(|a| a.importo).sum();
        assert_eq!(titolo1.to_string(), "834.522.791,55");
    }
    // The State budget 2018 by capitolo (Latin-1, `.` decimals): totals per Centro di responsabilità.
    if let Some(bytes) = shared("stato_2018_legge_bilancio_spese_capitolo.csv") {
        let m = import_mapped::load_mapping("stato-bilancio-capitoli").expect("mapping");
        let r = import_mapped::import_mapped(store, &console, &ente, &m, &bytes, ReadOptions::default(), true).await.expect("reads");
        assert_eq!(r.rows, 5043);
        assert_eq!(r.amounts, 5043 * 4);
        let competenza: i64 = r.totals.iter().filter(|t| t.misura == "competenza").map(|t| t.importo.get()).sum();
        let expected = expected_state_total(&bytes);
        assert_eq!(competenza, expected, "the sum of the CdR totals is the sum of the file's lb_cp_a1 column");
        // A CdR is numbered within its ministry: the MEF's Dipartimento delle Finanze is 02.6.
        let finanze = r.totals.iter().find(|t| t.codice == "02.6" && t.misura == "competenza").expect("Dipartimento delle Finanze");
        assert_eq!(finanze.nome, "MINISTERO DELL'ECONOMIA E DELLE FINANZE — DIPARTIMENTO DELLE FINANZE");
        let centri: std::collections::BTreeSet<&str> = r.totals.iter().map(|t| t.codice.as_str()).collect();
        assert!(centri.len() > 100, "{} centri", centri.len());
    }
}

/// The State file's competenza column summed independently of the importer (text, in cents).
fn expected_state_total(bytes: &[u8]) -> i64 {
    let text = encoding_rs::mem::decode_latin1(bytes);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(';').collect();
    let col = header.iter().position(|h| *h == "lb_cp_a1").expect("column");
    lines
        .map(|l| {
            let cell = l.split(';').nth(col).expect("cell");
            let (int, frac) = cell.split_once('.').unwrap_or((cell, "00"));
            let sign = if int.starts_with('-') { -1 } else { 1 };
            int.parse::<i64>().expect("int") * 100 + sign * frac.parse::<i64>().expect("frac")
        })
        .sum()
}

#[tokio::test]
async fn mapped_imports_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        mapped_imports(&store).await;
    }
}
