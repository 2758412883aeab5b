//! PDF documents, typeset with typst from a template in `templates/` and the document's data as
//! JSON. Fonts are embedded in the binary (Titillium Web, the typeface of the Italian public
//! administration's design system), so output never depends on the fonts of the machine. Every
//! PDF is written as PDF/A-2a: archival, and tagged for screen readers.

pub mod docx;

use typst::foundations::{Dict, IntoValue};
use typst_as_lib::{TypstAsLibError, TypstEngine};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

const FONTS: [&[u8]; 4] = [
    include_bytes!("../fonts/TitilliumWeb_400Regular.ttf"),
    include_bytes!("../fonts/TitilliumWeb_400Regular_Italic.ttf"),
    include_bytes!("../fonts/TitilliumWeb_600SemiBold.ttf"),
    include_bytes!("../fonts/TitilliumWeb_700Bold.ttf"),
];

/// Shared look of every document: page, fonts, Italian number format helpers.
const COMMON: &str = include_str!("../templates/common.typ");

/// The documents Traguardi typesets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// REPORT COMMISSIONI of the budget (1.B, 1.D, 2.B, 2.C and the DUP pages of a Direzione).
    Commissioni,
    /// The Piano degli Obiettivi (PIAO sezione 2.2).
    Piano,
    /// The Relazione sulla Performance.
    Relazione,
    /// A document of prose: a draft deliberation, the NIV's reports (`blocks` of text).
    Testo,
    /// The monitoring report at a period.
    Monitoraggio,
}

impl Template {
    fn source(self) -> &'static str {
        match self {
            Template::Commissioni => include_str!("../templates/commissioni.typ"),
            Template::Piano => include_str!("../templates/piano.typ"),
            Template::Relazione => include_str!("../templates/relazione.typ"),
            Template::Testo => include_str!("../templates/testo.typ"),
            Template::Monitoraggio => include_str!("../templates/monitoraggio.typ"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("composizione del PDF non riuscita: {0}")]
    Typeset(String),
}

/// Typesets `template` with `data` (read in the template as `data`) into a PDF/A-2a file.
pub fn render(template: Template, data: &serde_json::Value) -> Result<Vec<u8>, PdfError> {
    let doc = typeset(template, data)?;
    let standards = PdfStandards::new(&[PdfStandard::A_2a]).map_err(|e| PdfError::Typeset(format!("{e:?}")))?;
    let options = PdfOptions { standards, ..PdfOptions::default() };
    typst_pdf::pdf(&doc, &options).map_err(|e| PdfError::Typeset(format!("{e:?}")))
}

/// The text of each page as typeset, runs separated by a space: what a reader of the PDF sees,
/// for checking a document's figures without parsing the PDF.
pub fn page_texts(template: Template, data: &serde_json::Value) -> Result<Vec<String>, PdfError> {
    fn collect(frame: &typst::layout::Frame, out: &mut Vec<String>) {
        for (_, item) in frame.items() {
            match item {
                typst::layout::FrameItem::Group(g) => collect(&g.frame, out),
                typst::layout::FrameItem::Text(t) => out.push(t.text.to_string()),
                _ => {}
            }
        }
    }
    let doc = typeset(template, data)?;
    Ok(doc
        .pages()
        .iter()
        .map(|p| {
            let mut runs = Vec::new();
            collect(&p.frame, &mut runs);
            runs.join(" ")
        })
        .collect())
}

fn typeset(template: Template, data: &serde_json::Value) -> Result<PagedDocument, PdfError> {
    let engine = TypstEngine::builder().fonts(FONTS).with_static_source_file_resolver([("common.typ", COMMON), ("main.typ", template.source())]).build();
    let mut inputs = Dict::new();
    inputs.insert("data".into(), data.to_string().into_value());
    engine.compile_with_input("main.typ", inputs).output.map_err(|e| match e {
        TypstAsLibError::TypstSource(diags) => PdfError::Typeset(diags.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("; ")),
        other => PdfError::Typeset(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> serde_json::Value {
        let amounts = serde_json::json!(["1.000,00", "2.000,00", "3.631.120,00"]);
        let line = serde_json::json!({"capitolo": "1013", "articolo": "8", "pdc": "1.03.02.13.000", "vincolo": "0", "descrizione": "SERVIZI AUSILIARI",
            "missione": "01", "programma": "11", "amounts": amounts, "di_cui": ["0,00", "0,00", "0,00"]});
        let group = serde_json::json!({"titolo": 1, "code": "03", "name": "Acquisto di beni e servizi", "lines": [line], "total": amounts, "di_cui": ["0,00", "0,00", "0,00"]});
        let section = serde_json::json!({
            "cdr": [{"cdr": "222", "name": "AREA CRM", "groups": [group], "total": amounts, "di_cui": ["0,00", "0,00", "0,00"]}],
            "riepilogo": [{"code": "01", "name": "Servizi istituzionali", "programmi": [{"code": "11", "name": "Altri servizi generali", "amounts": amounts, "di_cui": ["0,00", "0,00", "0,00"]}], "total": amounts, "di_cui": ["0,00", "0,00", "0,00"]}],
            "total": amounts, "di_cui": ["0,00", "0,00", "0,00"]});
        serde_json::json!({"title": "Bilancio di Previsione 2025 - REPORT COMMISSIONI", "ente": "Comune", "date": "2025-01-01", "bilancio": 2025, "years": [2023, 2024, 2025],
            "scope_kind": "CdR", "scope_code": "222", "scope_name": "AREA CRM", "direzione": "DIREZIONE", "correnti": section,
            "capitale": {"cdr": [], "riepilogo": [], "total": amounts, "di_cui": amounts},
            "dup": [{"missione": "01", "missione_name": "Servizi istituzionali", "programma": "11", "strategico": "S", "operativo": "O", "code": "D1",
                     "direzione": "DIREZIONE", "finalita": "Testo.\n• uno\n• due\nBILANCIO DI GENERE\nAltro.", "agid": ["AGID OB.1.1"]}]})
    }

    #[test]
    fn the_report_is_an_archival_tagged_pdf() {
        let pdf = render(Template::Commissioni, &report()).expect("renders");
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("<pdfaid:part>2</pdfaid:part>") && text.contains("<pdfaid:conformance>A</pdfaid:conformance>"));
        assert!(text.contains("/StructTreeRoot"), "tagged for screen readers");
    }

    #[test]
    fn data_of_the_wrong_shape_is_a_clear_error() {
        let err = render(Template::Commissioni, &serde_json::json!({"title": "x"})).expect_err("fails");
        assert!(err.to_string().starts_with("composizione del PDF non riuscita: "), "{err}");
    }
}
