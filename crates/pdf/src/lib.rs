//! PDF documents, typeset with typst from a template in `templates/` and the document's data as
//! JSON. Fonts are embedded in the binary (Titillium Web, the typeface of the Italian public
//! administration's design system), so output never depends on the fonts of the machine. Every
//! PDF is written as PDF/A-2a: archival, and tagged for screen readers.

use typst::foundations::{Dict, IntoValue};
use typst_as_lib::TypstEngine;
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
}

impl Template {
    fn source(self) -> &'static str {
        match self {
            Template::Commissioni => include_str!("../templates/commissioni.typ"),
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
    let engine = TypstEngine::builder().fonts(FONTS).with_static_source_file_resolver([("common.typ", COMMON), ("main.typ", template.source())]).build();
    let mut inputs = Dict::new();
    inputs.insert("data".into(), data.to_string().into_value());
    let doc: PagedDocument = engine.compile_with_input("main.typ", inputs).output.map_err(|e| PdfError::Typeset(e.to_string()))?;
    let standards = PdfStandards::new(&[PdfStandard::A_2a]).map_err(|e| PdfError::Typeset(format!("{e:?}")))?;
    let options = PdfOptions { standards, ..PdfOptions::default() };
    typst_pdf::pdf(&doc, &options).map_err(|e| PdfError::Typeset(format!("{e:?}")))
}
