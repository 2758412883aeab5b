//! A document of prose: the draft deliberations, a person's evaluation form and the NIV's
//! reports. Blocks of text, each of a kind the PDF (`templates/testo.typ`) and the DOCX lay out
//! alike, and tables where a document lists things (behaviours, the NIV's sample).

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Testo {
    pub ente: String,
    pub title: String,
    /// `YYYY-MM-DD`: the document's own date, so the same data print the same bytes.
    pub date: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Block {
    /// intestazione | titolo | riquadro | sezione | paragrafo | punto | tabella | firma
    pub tipo: &'static str,
    /// The text; for a table, its caption (may be empty).
    pub testo: String,
    /// A table's rows, the first being its header.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub righe: Vec<Vec<String>>,
}

impl Testo {
    pub fn new(ente: &str, title: String, date: chrono::NaiveDate) -> Testo {
        Testo { ente: ente.to_string(), title, date: date.to_string(), blocks: Vec::new() }
    }

    pub fn push(&mut self, tipo: &'static str, testo: impl Into<String>) {
        self.blocks.push(Block { tipo, testo: testo.into(), righe: Vec::new() });
    }

    /// A table under `header`; with no rows, `empty` is printed in its place.
    pub fn table(&mut self, header: &[&str], rows: Vec<Vec<String>>, empty: &str) {
        if rows.is_empty() {
            self.push("paragrafo", empty);
            return;
        }
        let mut righe = vec![header.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
        righe.extend(rows);
        self.blocks.push(Block { tipo: "tabella", testo: String::new(), righe });
    }

    /// The text as a reader sees it, one block (or table row, cells joined by ` | `) per line.
    pub fn text(&self) -> String {
        let mut lines = Vec::new();
        for b in &self.blocks {
            if b.righe.is_empty() {
                lines.push(b.testo.clone());
            }
            lines.extend(b.righe.iter().map(|r| r.join(" | ")));
        }
        lines.join("\n")
    }

    /// The data for the PDF template and the DOCX.
    pub fn printable(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}
