//! The reader every import goes through, fed arbitrary bytes, near-valid CSV, damaged XLSX
//! files and workbooks whose sheet XML says anything (sizes, cell references, shared strings):
//! a table or a refusal, never a panic, never an allocation past the limits.
//! `TRAGUARDI_FUZZ_CASES` sets the cases per target (CI: a bounded run; `scripts/fuzz`: long).

use std::io::{Cursor, Read, Write};

use proptest::prelude::*;
use traguardi_docs::export::{Sheet, to_xlsx};
use traguardi_docs::{ReadOptions, read_table};

#[path = "../../domain/tests/support/fuzz.rs"]
mod support;
use support::fuzz;

/// Reads with and without a mapping of the columns, as the CLI and the wizard do.
fn read(bytes: &[u8]) {
    let _ = read_table(bytes, ReadOptions::default());
    let mapped = vec![("a".to_string(), "kpi".to_string()), ("valore".to_string(), "valore".to_string())];
    let _ = read_table(bytes, ReadOptions { columns: Some(mapped), ..ReadOptions::default() });
}

#[test]
fn any_bytes() {
    fuzz("read_table (any bytes)", proptest::collection::vec(any::<u8>(), 0..4096), |b| read(&b));
}

#[test]
fn near_valid_csv() {
    let cell = prop_oneof![
        Just(String::new()),
        Just("\"".to_string()),
        Just("\"a\"\"b\"".to_string()),
        Just("\"multi\nriga\"".to_string()),
        Just(";".to_string()),
        Just(",".to_string()),
        Just("\r".to_string()),
        Just("\u{feff}".to_string()),
        Just("=1+2".to_string()),
        Just("1.234,56".to_string()),
        Just("1,234.56".to_string()),
        Just("31/12/2021".to_string()),
        "[a-z_]{1,12}",
        "\\PC{0,8}",
    ];
    let row = proptest::collection::vec(cell, 0..12).prop_map(|cells| cells.join(","));
    let file = (prop_oneof![Just("kpi,data,valore,nota"), Just("a;b;c"), Just("\u{feff}matricola;nome"), Just("")], proptest::collection::vec(row, 0..30))
        .prop_map(|(header, rows)| format!("{header}\n{}", rows.join("\n")).into_bytes());
    fuzz("read_table (near-valid CSV)", file, |b| read(&b));
    // The same text in Latin-1, as older spreadsheets save it.
    fuzz("read_table (Latin-1 CSV)", proptest::collection::vec(prop_oneof![any::<u8>(), Just(b','), Just(b'\n'), Just(0xE0u8)], 0..2048), |b| read(&b));
}

/// A small real workbook.
fn workbook() -> Vec<u8> {
    let sheet = Sheet {
        name: "valori".into(),
        header: vec!["kpi".into(), "data".into(), "valore".into()],
        rows: vec![vec!["SAL-12-K3".into(), "2021-12-31".into(), "12,5".into()], vec!["X".into(), "".into(), "1000".into()]],
    };
    to_xlsx(&sheet).expect("xlsx")
}

/// The workbook's files, uncompressed.
fn entries(xlsx: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("read");
            (f.name().expect("name").to_string(), data)
        })
        .collect()
}

fn rezip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in files {
        w.start_file(name.as_str(), stored).expect("start");
        w.write_all(data).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

#[test]
fn damaged_workbooks() {
    let original = workbook();
    let len = original.len();
    let flips = proptest::collection::vec((0..len, any::<u8>()), 1..20);
    fuzz("read_table (XLSX with bytes changed)", flips, |changes| {
        let mut b = original.clone();
        for (at, v) in changes {
            b[at] = v;
        }
        read(&b);
    });
    fuzz("read_table (XLSX cut short)", 0..len, |at| read(&original[..at]));

    // The sheet's XML rewritten: fragments that claim huge sizes, far cells, bad references,
    // shared strings that do not exist, deep nesting.
    let files = entries(&original);
    let unchanged = read_table(&rezip(&files), ReadOptions::default()).expect("the workbook rezipped reads as it was");
    assert_eq!((unchanged.headers.len(), unchanged.rows.len()), (3, 2));
    let fragment = prop_oneof![
        Just("<dimension ref=\"A1:XFD1048576\"/>".to_string()),
        Just("<c r=\"XFD1048576\"><v>1</v></c>".to_string()),
        Just("<c r=\"A99999999\"><v>1</v></c>".to_string()),
        Just("<c r=\"ZZZZ1\" t=\"s\"><v>4294967295</v></c>".to_string()),
        Just("<c r=\"B2\" t=\"s\"><v>-1</v></c>".to_string()),
        Just("<c r=\"\" t=\"inlineStr\"><is><t>x</t></is></c>".to_string()),
        Just("<c r=\"C3\" t=\"d\"><v>not a date</v></c>".to_string()),
        Just("<c r=\"C3\" s=\"999\"><v>1e308</v></c>".to_string()),
        Just("<row r=\"0\">".to_string()),
        Just("<row r=\"1048577\">".to_string()),
        Just("</row>".to_string()),
        Just("<sheetData>".to_string()),
        Just("</sheetData>".to_string()),
        Just("<![CDATA[".to_string()),
        Just("&#0;".to_string()),
        Just("&unknown;".to_string()),
        "\\PC{0,10}",
    ];
    let sheet_index = files.iter().position(|(n, _)| n.ends_with("sheet1.xml")).expect("sheet");
    let shared_index = files.iter().position(|(n, _)| n.ends_with("sharedStrings.xml"));
    let edits = proptest::collection::vec((any::<prop::sample::Index>(), fragment, any::<bool>()), 1..12);
    fuzz("read_table (XLSX sheet XML rewritten)", edits, |edits| {
        let mut files = files.clone();
        for (where_, what, in_shared) in edits {
            let target = match (in_shared, shared_index) {
                (true, Some(s)) => s,
                _ => sheet_index,
            };
            let text = String::from_utf8_lossy(&files[target].1).into_owned();
            // Insert at a character boundary.
            let mut at = where_.index(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            files[target].1 = format!("{}{}{}", &text[..at], what, &text[at..]).into_bytes();
        }
        read(&rezip(&files));
    });
}
