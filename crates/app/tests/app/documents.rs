//! The documents of the cycle, built from the demo on SQLite and PostgreSQL: what they hold, as
//! data and as typeset, row by row in the text a reader extracts from the PDF.

use rust_decimal::Decimal;
use traguardi_app::documents::delibera::{self, Oggetto};
use traguardi_app::documents::{monitoraggio, piano, relazione};
use traguardi_app::{Actor, samples::demo};
use traguardi_pdf::Template;
use traguardi_store::{Store, testing};

/// The text of a PDF as `pdftotext -layout` extracts it, or `None` (said) where the tool is
/// missing; CI always has it.
pub fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("traguardi-pdf-{}-{:?}", std::process::id(), std::thread::current().id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("doc.pdf");
    std::fs::write(&file, pdf).expect("write pdf");
    match std::process::Command::new("pdftotext").arg("-layout").arg(&file).arg("-").output() {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        _ => {
            assert!(std::env::var("CI").is_err(), "pdftotext (poppler-utils) is missing in CI");
            eprintln!("SKIP: pdftotext is not installed, the PDF's extracted text is not checked");
            None
        }
    }
}

/// The line of `text` that holds `key`, for checking that a figure is on its row.
pub fn line_with<'a>(text: &'a str, key: &str) -> &'a str {
    text.lines().find(|l| l.contains(key)).unwrap_or_else(|| panic!("no line with {key}"))
}

async fn piano_of_the_demo(store: &Store) {
    demo::load(store).await.expect("demo");
    let p = piano::build(store, &Actor::console(), Some(demo::CODE), 2020).await.expect("piano");
    assert_eq!((p.anno, p.anni), (2020, [2020, 2021, 2022]));
    // The dimensions as the deliberation lists them, with their ambiti.
    let dims: Vec<(&str, usize)> = p.dimensioni.iter().map(|d| (d.nome.as_str(), d.obiettivi.len())).collect();
    assert_eq!(dims[0], ("Obiettivi Solidali", 10));
    assert_eq!(p.dimensioni[0].ambiti.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>()[..2], ["Milano più Solidale", "Milano più Attrattiva"]);
    // The Segretario Generale's 7 objectives, then the Direzioni, each with its objectives.
    assert_eq!((p.strutture[0].codice.as_str(), p.strutture[0].obiettivi.len()), ("SG", 7));
    // Every I-level objective once: 281, as the plan page counts them.
    let printed: usize = p.dimensioni.iter().map(|d| d.obiettivi.len()).chain(p.strutture.iter().map(|s| s.obiettivi.len())).sum();
    assert_eq!(printed, 281);
    let siad = p.strutture.iter().find(|s| s.codice == "SIAD").expect("SIAD");
    assert_eq!(siad.obiettivi.len(), 12);
    let sol07 = &p.dimensioni[0].obiettivi.iter().find(|o| o.codice == "SOL-07").expect("SOL-07").kpi[0];
    assert_eq!((sol07.codice.as_str(), sol07.target[0].as_str(), sol07.target[1].as_str()), ("SOL-07-K1", "500000", ""));
    // The table: one row per KPI, the targets of the three years.
    let sheet = p.sheet();
    assert_eq!(sheet.header[17..], ["target_2020", "target_2021", "target_2022"]);
    let row = sheet.rows.iter().find(|r| r[10] == "SOL-07-K1").expect("row");
    assert_eq!((row[0].as_str(), row[6].as_str(), row[17].as_str()), ("dimensione", "SOL-07", "500000"));
    assert_eq!(
        sheet.rows.len(),
        p.dimensioni.iter().flat_map(|d| &d.obiettivi).chain(p.strutture.iter().flat_map(|s| &s.obiettivi)).map(|o| o.kpi.len().max(1)).sum::<usize>()
    );
    // Typeset: the same input gives the same bytes, an archival (PDF/A-2) tagged file.
    let pdf = traguardi_pdf::render(Template::Piano, &p.printable()).expect("pdf");
    assert_eq!(pdf, traguardi_pdf::render(Template::Piano, &p.printable()).expect("pdf again"), "the same bytes twice");
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("<pdfaid:part>2</pdfaid:part>") && raw.contains("/StructTreeRoot"));
    let pages = traguardi_pdf::page_texts(Template::Piano, &p.printable()).expect("typesets");
    assert!(pages[0].contains("Piano degli Obiettivi 2020–2022"), "the cover: {}", pages[0]);
    assert!(pages[1].contains("Indice"), "the table of contents");
    if let Some(text) = pdftotext(&pdf) {
        // Each figure on its KPI's row, in Italian form.
        assert!(line_with(&text, "SOL-07-K1").contains("500.000"));
        assert!(line_with(&text, "SOL-08-K1").contains("31/12/2020"));
        assert!(line_with(&text, "SG · SEGRETERIA GENERALE").contains("SG"));
        // Running headers and page numbers on every page after the cover.
        let pages = text.split('\u{c}').filter(|p| !p.trim().is_empty()).count();
        assert_eq!(text.matches(&format!(" di {pages}")).count(), pages - 1, "page numbers on every page but the cover");
    }
}

async fn relazione_of_the_demo(store: &Store) {
    let r = relazione::build(store, &Actor::console(), Some(demo::CODE), 2020).await.expect("relazione");
    // The ente's result (as `report scores` gives it) and the first of its trend.
    assert_eq!(r.risultato, "82,86%");
    assert_eq!(r.andamento.iter().map(|p| (p.codice.as_str(), p.testo.as_str())).collect::<Vec<_>>(), [("2020", "82,86%")]);
    let dims: Vec<(&str, &str)> = r.dimensioni.iter().map(|p| (p.codice.as_str(), p.testo.as_str())).collect();
    assert_eq!(dims[..2], [("solidale", "92,65%"), ("salute", "95,57%")]);
    // ROE first (the Obiettivi Solidali), then the ROD of each Direzione.
    assert_eq!((r.indici[0].tipo, r.indici[0].testo.as_str()), ("ROE", "92,65%"));
    assert_eq!((r.indici[1].tipo, r.indici[1].struttura.as_str()), ("ROD", "DG"));
    // A KPI with its target, value, score and deviation from the target, in Italian form.
    let k = &r.obiettivi.iter().find(|o| o.codice == "SOL-07").expect("SOL-07").kpi[0];
    assert_eq!((k.target.as_str(), k.valore.as_str(), k.testo.as_str(), k.scostamento_target.as_str()), ("500.000", "612.000", "100,00%", "112.000"));
    // What could not be assessed, with its reason.
    let nv = r.non_valutabili.iter().find(|n| n.codice == "SOL-04-K1").expect("SOL-04-K1");
    assert_eq!(nv.motivo, "Eventi internazionali annullati per l'emergenza Covid-19: causa esogena, non valutabile");
    assert_eq!((r.validazione.stato.as_str(), r.premi.is_some()), ("bozza", false));
    // The workbook's sheets.
    let names: Vec<String> = r.sheets().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["risultati", "obiettivi e kpi", "indici", "rimodulazioni", "non valutabili"]);
    let pdf = traguardi_pdf::render(Template::Relazione, &r.printable()).expect("pdf");
    assert_eq!(pdf, traguardi_pdf::render(Template::Relazione, &r.printable()).expect("pdf again"), "the same bytes twice");
    if let Some(text) = pdftotext(&pdf) {
        let row = line_with(&text, "SOL-07-K1");
        for figure in ["500.000", "612.000", "100,00%", "112.000"] {
            assert!(row.contains(figure), "{figure} on the row of SOL-07-K1: {row}");
        }
        assert!(line_with(&text, "Obiettivi Solidali").contains("92,65%"), "the chart's label and value");
        assert!(text.contains("Il grado di raggiungimento complessivo degli obiettivi dell’ente per il 2020 è 82,86%."));
    }
}

/// The text of a DOCX's body (`word/document.xml`'s runs), read with the zip crate.
fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a DOCX is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml").expect("word/document.xml").read_to_string(&mut xml).expect("utf-8");
    xml.split("<w:t")
        .skip(1)
        .filter_map(|r| r.split_once('>').and_then(|(_, rest)| rest.split_once("</w:t>")).map(|(t, _)| t.to_string()))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn delibere_of_the_demo(store: &Store) {
    let console = Actor::console();
    let d = delibera::build(store, &console, Some(demo::CODE), 2020, Oggetto::Piano).await.expect("delibera piano");
    let text = d.text();
    // The structure of seed 000: scheda di sintesi, premesse citing acts by number and date,
    // the methodology, pareri, dispositivo.
    for expected in [
        "OGGETTO: Approvazione del Piano degli Obiettivi 2020–2022 (Piano Integrato di Attività e Organizzazione, sezione 2.2 Performance). Immediatamente eseguibile",
        "IL PRESENTE PROVVEDIMENTO NON HA RIFLESSI CONTABILI",
        "con deliberazione di Giunta Comunale n. 838 del 24/07/2020 è stato approvato l'atto:",
        "approvata con deliberazione di Giunta Comunale n. 1200 del 22/04/2011",
        "comprende 281 obiettivi e 328 indicatori",
        "1. di approvare il Piano degli Obiettivi 2020–2022",
    ] {
        assert!(text.contains(expected), "{expected}\n---\n{text}");
    }
    let r = delibera::build(store, &console, Some(demo::CODE), 2020, Oggetto::Relazione).await.expect("delibera relazione");
    let text = r.text();
    assert!(text.contains("OGGETTO: Approvazione della Relazione sulla Performance e del consuntivo del Piano degli Obiettivi per l'anno 2020"), "{text}");
    assert!(text.contains("il grado di raggiungimento complessivo degli obiettivi dell'ente è 82,86%"), "{text}");
    assert!(text.contains("l'indice di risultato organizzativo dell'ente (ROE) è 92,65%"), "{text}");
    // The PDF and the DOCX of the same blocks; each the same bytes twice.
    let pdf = traguardi_pdf::render(Template::Testo, &r.printable()).expect("pdf");
    assert_eq!(pdf, traguardi_pdf::render(Template::Testo, &r.printable()).expect("pdf again"));
    let docx = traguardi_pdf::docx::render(&r.printable()).expect("docx");
    assert_eq!(docx, traguardi_pdf::docx::render(&r.printable()).expect("docx again"), "the same bytes twice");
    let body = docx_text(&docx);
    assert!(body.starts_with("Comune di Milano (dati dimostrativi)"), "{body}");
    assert!(body.contains("82,86%") && body.contains("ROE") && body.contains("1200"), "{body}");
    if let Some(text) = pdftotext(&pdf) {
        assert!(text.contains("PARERI (ART. 49 D.LGS 267/2000)"), "{text}");
    }
}

async fn monitoraggio_of_the_demo(store: &Store) {
    let console = Actor::console();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    // At the year's end the scores are the year's; before the values of 31/12 nothing is scored.
    let end = monitoraggio::build(store, &console, Some(demo::CODE), 2020, day("2020-12-31")).await.expect("monitoraggio");
    assert_eq!((end.risultato.as_str(), end.kpi.len()), ("82,86%", 328));
    let k = end.kpi.iter().find(|k| k.kpi == "SOL-07-K1").expect("SOL-07-K1");
    assert_eq!(
        (k.periodo.as_str(), k.valore.as_str(), k.target.as_str(), k.testo.as_str(), k.semaforo),
        ("31/12/2020", "612.000", "500.000", "100,00%", Some("verde"))
    );
    let mid = monitoraggio::build(store, &console, Some(demo::CODE), 2020, day("2020-06-30")).await.expect("monitoraggio");
    assert_eq!(mid.risultato, "in attesa di dati");
    assert!(mid.kpi.iter().all(|k| k.valore == "—"), "no value of a period after the date");
    let names: Vec<String> = end.sheets().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["kpi", "ritardi", "a rischio"]);
    let pdf = traguardi_pdf::render(Template::Monitoraggio, &end.printable()).expect("pdf");
    if let Some(text) = pdftotext(&pdf) {
        let row = line_with(&text, "SOL-07-K1");
        assert!(row.contains("612.000") && row.contains("500.000") && row.contains("100,00%"), "{row}");
        assert!(text.contains("Monitoraggio 2020 al 31/12/2020"));
    }
}

/// The forms and the NIV's documents while the year is still open: what is missing is said.
async fn forms_and_niv_of_the_demo(store: &Store) {
    use traguardi_app::documents::{niv, scheda};
    let console = Actor::console();
    let s = scheda::build(store, &console, Some(demo::CODE), 2020, "D001").await.expect("scheda").text();
    for expected in [
        "Dott. Christian Malangone (matricola D001)",
        "C1 | Orientamento al risultato | 5",
        "Punteggio dei comportamenti: 88,00 su 100.",
        "Punteggio individuale = risultati × 60% + comportamenti × 40%",
        "iniziale (assegnazione degli obiettivi) | 10/02/2020",
        "Nessuna distribuzione dei premi approvata per il 2020",
    ] {
        assert!(s.contains(expected), "{expected}\n---\n{s}");
    }
    let v = niv::validazione(store, &console, Some(demo::CODE), 2020).await.expect("validazione");
    assert_eq!(v.date, "2020-12-31");
    for expected in [
        "ha esaminato la Relazione sulla Performance 2020, non ancora approvata dalla Giunta.",
        "281 obiettivi e 328 indicatori",
        "[nessun campione di valori estratto per il 2020: estrarlo prima di concludere la validazione]",
        "[la Relazione sulla Performance 2020 non è ancora approvata dalla Giunta: la validazione segue l'approvazione]",
    ] {
        assert!(v.text().contains(expected), "{expected}\n---\n{}", v.text());
    }
    let f = niv::funzionamento(store, &console, Some(demo::CODE), 2020).await.expect("funzionamento").text();
    assert!(f.contains("nessuna distribuzione dei premi approvata per il 2020."), "{f}");
    assert!(f.contains("nessun campione di valori è stato verificato"), "{f}");
}

#[tokio::test]
async fn documents_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        piano_of_the_demo(&store).await;
        relazione_of_the_demo(&store).await;
        delibere_of_the_demo(&store).await;
        monitoraggio_of_the_demo(&store).await;
        forms_and_niv_of_the_demo(&store).await;
    }
}

/// The evaluation forms and the NIV's documents of a year with its premi approved and its
/// Relazione validated (the end of the premi story): `a` is the approved allocation, `me` the
/// demo's employee M0037, `niv` the NIV.
pub async fn of_a_finished_year(store: &Store, ente: &traguardi_store::ente::Ente, a: &traguardi_domain::pay::premi::Allocation, me: &Actor, niv: &Actor) {
    use traguardi_app::documents::{niv as niv_docs, scheda};
    use traguardi_domain::plan::round::it;
    let console = Actor::console();
    let code = Some(demo::CODE);

    // Their own form, as the person reads it: signed, and the premium from score to euros.
    let own = scheda::build(store, me, code, 2020, "M0037").await.expect("own form");
    let text = own.text();
    let p = a.person("M0037").expect("M0037");
    for expected in [
        "SCHEDA DI VALUTAZIONE DELLA PERFORMANCE INDIVIDUALE · ANNO 2020".to_string(),
        "Giorgio Barbieri (matricola M0037)".into(),
        "Firmata dalla persona per presa visione il 25/02/2021.".into(),
        format!("Dalla distribuzione approvata «base», con punteggio individuale {}:", it(p.punteggio_individuale.expect("score"))),
        format!("Performance organizzativa | {}", p.organizzativa),
        format!("Totale | {}", p.totale),
    ] {
        assert!(text.contains(&expected), "{expected}\n---\n{text}");
    }
    assert!(p.spiegazione.iter().all(|line| text.contains(line.as_str())), "every step of the explanation");
    // …not another person's.
    assert!(matches!(scheda::build(store, me, code, 2020, "M0001").await, Err(traguardi_app::AppError::Forbidden { .. })));
    // A contested form, concluded by the conciliation.
    let contested = scheda::build(store, &console, code, 2020, "M0002").await.expect("M0002").text();
    assert!(contested.contains("Contestata dalla persona il 15/02/2021; esito della conciliazione: valutazione confermata."), "{contested}");
    let pdf = traguardi_pdf::render(Template::Testo, &own.printable()).expect("pdf");
    assert_eq!(pdf, traguardi_pdf::render(Template::Testo, &own.printable()).expect("pdf again"), "the same bytes twice");
    if let Some(text) = pdftotext(&pdf) {
        assert!(line_with(&text, "Totale").contains(&p.totale.to_string()), "{text}");
        assert!(line_with(&text, "finale (valutazione)").contains("/20"), "the final interview's day on its row");
    }

    // The NIV draws a sample; one of its values is returned afterwards (which lowers the
    // ente's result from 82,86% to 82,79%).
    let sample = traguardi_app::cycle::niv::sample(store, niv, ente, 2020, Decimal::from(2), Some(7)).await.expect("sample");
    let first = &sample.items[0];
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE measurement SET status = 'returned' WHERE version = {} AND period_end = '{}' AND kpi_id = (SELECT id FROM kpi WHERE code = '{}')",
        first.version, first.period_end, first.kpi
    )))
    .execute(&store.pool)
    .await
    .expect("returned");
    let v = niv_docs::validazione(store, niv, code, 2020).await.expect("validazione");
    let text = v.text();
    let n = sample.items.len();
    for expected in [
        "Documento di validazione della Relazione sulla Performance 2020".to_string(),
        "approvata dalla Giunta con deliberazione di Giunta Comunale n. 1 del 10/06/2021".into(),
        format!("il 2% dei {} valori approvati, {n} valori, con il seme 7", sample.population),
        format!("{} | {} | ", first.kpi, first.objective),
        format!("Esiti del campione — confermato: {}; restituito per correzione: 1.", n - 1),
        "Il Nucleo Indipendente di Valutazione VALIDA la Relazione sulla Performance 2020 (validazione registrata il 20/06/2021).".into(),
    ] {
        assert!(text.contains(&expected), "{expected}\n---\n{text}");
    }
    assert!(line_with(&text, &format!("{} | {}", first.kpi, first.objective)).ends_with("restituito per correzione"), "{text}");
    assert_eq!(v.date, "2021-06-20", "the validation's own date");
    let docx = traguardi_pdf::docx::render(&v.printable()).expect("docx");
    let body = docx_text(&docx);
    assert!(body.contains("VALIDA la Relazione") && body.contains(&first.kpi) && body.contains("restituito per correzione"), "{body}");
    if let Some(text) = pdftotext(&traguardi_pdf::render(Template::Testo, &v.printable()).expect("pdf")) {
        assert!(line_with(&text, &first.kpi).contains("restituito per correzione"), "{text}");
    }
    // Who may read them: the NIV, not an employee.
    assert!(matches!(niv_docs::validazione(store, me, code, 2020).await, Err(traguardi_app::AppError::Forbidden { .. })));

    // The Relazione now holds its validation and the art. 20 summary, amounts in euros.
    let r = relazione::build(store, &console, code, 2020).await.expect("relazione");
    assert_eq!((r.validazione.stato.as_str(), r.validazione.validata_il.as_deref()), ("validata", Some("20/06/2021")));
    let premi = r.premi.expect("art. 20 summary");
    assert!(premi.contains(&["personale".into(), "erogato".into(), "premi performance organizzativa".into(), "250.000,00".into()]), "{premi:?}");
    assert!(premi.contains(&["personale".into(), "destinatari".into(), "con premio".into(), "190".into()]), "{premi:?}");

    let f = niv_docs::funzionamento(store, niv, code, 2020).await.expect("funzionamento").text();
    let with_score = a.persone.iter().filter(|p| p.punteggio_individuale.is_some()).count();
    for expected in [
        "Relazione sul funzionamento complessivo del sistema di valutazione, trasparenza e integrità dei controlli interni · anno 2020".to_string(),
        "La Relazione sulla Performance 2020 è stata approvata il 10/06/2021, validata il 20/06/2021.".into(),
        "obiettivi di primo livello: 281; indicatori: 328; risultato complessivo dell'ente: 82,79%;".into(),
        format!(
            "distribuzione approvata: {} persone, premi pagati {} € (performance organizzativa {} €, individuale {} €), maggiorazione per la differenziazione a 19 persone;",
            a.persone.len(),
            a.total(),
            a.pagato_organizzativa,
            a.pagato_individuale
        ),
        format!("campioni di valori verificati dal Nucleo: estrazioni 1, valori estratti {n}."),
        "valori registrati nell'anno: 537 (approvato: 536, restituito: 1);".into(),
    ] {
        assert!(f.contains(&expected), "{expected}\n---\n{f}");
    }
    // The bands of the individual scores hold every scored person once.
    let banded: usize = f.lines().filter(|l| l.starts_with("da ")).filter_map(|l| l.rsplit(" | ").next()?.parse::<usize>().ok()).sum();
    assert_eq!(banded, with_score, "{f}");
}
