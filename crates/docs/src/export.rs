//! Tables out: CSV (UTF-8, `,`, `.` decimals: for machines) and XLSX.

use rust_xlsxwriter::{Format, Workbook};

/// A table of text cells with its header.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Every CSV that leaves the system, the public open data included. A cell that a spreadsheet
/// would read as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a carriage return, and
/// is not a plain number) is neutralised with a leading `'`, so a title such as `=HYPERLINK(…)`
/// typed into the plan reaches the reader as text.
pub fn to_csv(sheet: &Sheet) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(sheet.header.iter().map(|c| neutralised(c).into_owned()))?;
    for r in &sheet.rows {
        w.write_record(r.iter().map(|c| neutralised(c).into_owned()))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// A cell as it can safely reach a spreadsheet (see [`to_csv`]).
pub fn neutralised(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !plain_decimal(cell);
    if risky { std::borrow::Cow::Owned(format!("'{cell}")) } else { std::borrow::Cow::Borrowed(cell) }
}

/// `12`, `-3.5`, `0.25`: digits with an optional sign and decimal point, nothing else (no
/// exponent, no `inf`, no `NaN`, no spaces).
fn plain_decimal(s: &str) -> bool {
    let body = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = body.split_once('.').map_or((body, None), |(i, f)| (i, Some(f)));
    !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()) && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// One worksheet; cells that are plain decimal numbers are written as numbers.
pub fn to_xlsx(sheet: &Sheet) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    to_xlsx_book(std::slice::from_ref(sheet))
}

/// A workbook with one worksheet per sheet.
pub fn to_xlsx_book(sheets: &[Sheet]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    for sheet in sheets {
        write_sheet(&mut book, sheet)?;
    }
    book.save_to_buffer()
}

fn write_sheet(book: &mut Workbook, sheet: &Sheet) -> Result<(), rust_xlsxwriter::XlsxError> {
    let ws = book.add_worksheet();
    ws.set_name(sheet.name.chars().take(31).collect::<String>())?;
    let bold = Format::new().set_bold();
    for (c, h) in sheet.header.iter().enumerate() {
        ws.write_with_format(0, c as u16, h, &bold)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            // Only plain decimals become numbers: codes such as `015146` stay text, and so do
            // `inf`, `NaN` and `1e5`. A text is never a formula: rust_xlsxwriter writes strings.
            let number = plain_decimal(cell) && (!cell.starts_with('0') || cell.starts_with("0.") || cell == "0");
            match cell.parse::<f64>() {
                Ok(n) if number => ws.write_number(r, c, n)?,
                _ => ws.write_string(r, c, cell)?,
            };
        }
    }
    ws.autofit();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ReadOptions, read_table};

    #[test]
    fn nothing_leaves_as_a_formula() {
        let cells = ["=HYPERLINK(\"http://x\")", "+1+1", "-1+1", "@SUM(A1)", "\tx", "\rx", "-3.5", "12", "0.25", "testo"];
        let sheet = Sheet { name: "t".into(), header: vec!["=colonna".into()], rows: cells.iter().map(|c| vec![c.to_string()]).collect() };
        let csv = String::from_utf8(to_csv(&sheet).expect("csv")).expect("utf8");
        let lines: Vec<&str> = csv.split('\n').collect();
        assert_eq!(lines[0], "'=colonna");
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(&lines[2..5], ["'+1+1", "'-1+1", "'@SUM(A1)"]);
        assert_eq!(&lines[7..11], ["-3.5", "12", "0.25", "testo"]);
        // XLSX: numbers only for plain decimals.
        let odd = Sheet { name: "t".into(), header: vec!["v".into()], rows: ["inf", "NaN", "1e5", "-2.5"].iter().map(|c| vec![c.to_string()]).collect() };
        let back = read_table(&to_xlsx(&odd).expect("xlsx"), ReadOptions::default()).expect("reads");
        let cells: Vec<&str> = back.rows.iter().map(|r| r.cells[0].as_str()).collect();
        assert_eq!(cells, ["inf", "NaN", "1e5", "-2.5"]);
    }

    #[test]
    fn csv_and_xlsx_round_trip() {
        let sheet = Sheet {
            name: "punteggi".into(),
            header: vec!["livello".into(), "codice".into(), "percentuale".into()],
            rows: vec![vec!["kpi".into(), "015146".into(), "66.67".into()], vec!["ente".into(), "E, 1".into(), "".into()]],
        };
        let csv = String::from_utf8(to_csv(&sheet).expect("csv")).expect("utf8");
        assert_eq!(csv, "livello,codice,percentuale\nkpi,015146,66.67\nente,\"E, 1\",\n");
        let back = read_table(&to_xlsx(&sheet).expect("xlsx"), ReadOptions::default()).expect("reads");
        assert_eq!(back.rows[0].cells, ["kpi", "015146", "66.67"]);
        assert_eq!(back.rows[1].cells, ["ente", "E, 1", ""]);
    }
}
