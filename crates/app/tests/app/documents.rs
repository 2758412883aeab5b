//! The documents of the cycle, built from the demo on SQLite and PostgreSQL: what they hold, as
//! data and as typeset, row by row in the text a reader extracts from the PDF.

use traguardi_app::documents::piano;
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

#[tokio::test]
async fn documents_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        piano_of_the_demo(&store).await;
    }
}
