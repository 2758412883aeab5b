//! The DOCX of a prose document (a draft deliberation, the NIV's reports), from the same
//! blocks as its PDF (`templates/testo.typ`), so that the Segreteria edits what was printed.
//! Built with docx-rs; the document's date is the data's, so the same data give the same bytes.

use docx_rs::{AlignmentType, Docx, Paragraph, ParagraphBorders, Run, RunFonts, Table, TableCell, TableRow};

use crate::PdfError;

/// Half-points, as Word counts font sizes.
const BODY: usize = 22;
const TITLE: usize = 24;
const SMALL: usize = 18;

/// The DOCX of `data`: `{title, ente, date, blocks: [{tipo, testo, righe?}]}`.
pub fn render(data: &serde_json::Value) -> Result<Vec<u8>, PdfError> {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let date = format!("{}T00:00:00Z", text(&data["date"]));
    let run = |t: &str, size: usize| Run::new().add_text(t).size(size).fonts(RunFonts::new().ascii("Titillium Web").hi_ansi("Titillium Web"));
    let mut doc = Docx::new().created_at(&date).updated_at(&date);
    doc = doc.add_paragraph(Paragraph::new().add_run(run(&text(&data["ente"]), BODY).color("5c6f82")).align(AlignmentType::Right));
    for b in data["blocks"].as_array().ok_or_else(|| PdfError::Typeset("blocchi mancanti".into()))? {
        let t = text(&b["testo"]);
        if let Some(rows) = b["righe"].as_array() {
            // The first row is the header, in bold.
            let rows = rows.iter().enumerate().map(|(i, r)| {
                let cells = r.as_array().map(Vec::as_slice).unwrap_or_default();
                TableRow::new(
                    cells
                        .iter()
                        .map(|c| {
                            let r = run(&text(c), SMALL);
                            TableCell::new().add_paragraph(Paragraph::new().add_run(if i == 0 { r.bold() } else { r }))
                        })
                        .collect(),
                )
            });
            doc = doc.add_table(Table::new(rows.collect()));
            continue;
        }
        let p = match b["tipo"].as_str().unwrap_or_default() {
            "intestazione" => Paragraph::new().add_run(run(&t, BODY).bold()).align(AlignmentType::Center),
            "titolo" => Paragraph::new().add_run(run(&t, TITLE).bold()),
            "riquadro" => {
                // A single line on the four sides, as the acts' box of accounting effects.
                let mut p = Paragraph::new().add_run(run(&t, BODY).bold());
                p.property = p.property.set_borders(ParagraphBorders::new());
                p
            }
            "sezione" => Paragraph::new().add_run(run(&t.to_uppercase(), BODY).bold()).align(AlignmentType::Center),
            "punto" => Paragraph::new().add_run(run(&format!("– {t}"), BODY)).indent(Some(567), None, None, None),
            "firma" => Paragraph::new().add_run(run(&t, BODY)).align(AlignmentType::Right),
            _ => Paragraph::new().add_run(run(&t, BODY)).align(AlignmentType::Both),
        };
        doc = doc.add_paragraph(p);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| PdfError::Typeset(e.to_string()))?;
    Ok(out.into_inner())
}
