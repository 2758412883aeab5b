//! Tables out: CSV (UTF-8, `,`, `.` decimals: for machines) and XLSX.

use rust_xlsxwriter::{Format, Workbook};

/// A table of text cells with its header.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub fn to_csv(sheet: &Sheet) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(&sheet.header)?;
    for r in &sheet.rows {
        w.write_record(r)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
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
            match cell.parse::<f64>() {
                // Only plain decimals become numbers: codes such as `015146` stay text.
                Ok(n) if !cell.starts_with('0') || cell.starts_with("0.") || cell == "0" => ws.write_number(r, c, n)?,
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
