use super::*;
use std::path::PathBuf;
use traguardi_domain::Lang;

fn read(bytes: &[u8]) -> Result<Table, Problems> {
    read_table(bytes, ReadOptions::default())
}

fn messages(r: Result<Table, Problems>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(p) => p.describe(Lang::It),
    }
}

/// The public data folder beside the project, when present.
fn shared_data(name: &str) -> Option<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(name);
    match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(_) => {
            assert!(std::env::var("CI").is_err(), "{} missing in CI", path.display());
            eprintln!("SKIP: {} absent, test skipped", path.display());
            None
        }
    }
}

#[test]
fn utf8_with_bom_and_commas() {
    let t = read("\u{feff}Codice,Nome\nDG,Direzione Generale\n".as_bytes()).expect("reads");
    assert_eq!(t.headers, ["codice", "nome"]);
    assert_eq!(t.rows, [Record { line: 2, cells: vec!["DG".into(), "Direzione Generale".into()] }]);
    assert_eq!(t.format, SourceFormat::Csv { separator: b',' });
    assert_eq!(t.number_style, NumberStyle::En);
}

#[test]
fn latin1_semicolons_are_italian() {
    let bytes = b"codice;nome;importo\nMOB;Mobilit\xe0;1.234,56\n";
    let t = read(bytes).expect("reads");
    assert_eq!(t.rows[0].cells, ["MOB", "Mobilità", "1.234,56"]);
    assert_eq!(t.number_style, NumberStyle::It);
    assert_eq!(t.number_style.parse(&t.rows[0].cells[2]), Some(rust_decimal::Decimal::new(123456, 2)));
}

#[test]
fn decimal_comma_makes_a_comma_file_italian_and_override_wins() {
    let bytes = b"a,b\n1,\"2,5\"\n";
    assert_eq!(read(bytes).map(|t| t.number_style).ok(), Some(NumberStyle::It));
    let forced = read_table(bytes, ReadOptions { decimals: Some(NumberStyle::En), ..Default::default() });
    assert_eq!(forced.map(|t| t.number_style).ok(), Some(NumberStyle::En));
}

#[test]
fn truncated_and_overlong_rows_are_all_listed() {
    let bytes = b"codice,nome,tipo\nA,Alfa,area\nB,Beta\nC,Gamma,area,extra\nD\n";
    let t = read(bytes).expect("reads");
    assert_eq!(t.rows.len(), 1);
    assert_eq!(
        t.problems.describe(Lang::It),
        "riga 3: riga troncata: 2 campi invece di 3\n\
         riga 4: 4 campi invece di 3 (separatore dentro un valore senza virgolette?)\n\
         riga 5: riga troncata: 1 campi invece di 3"
    );
}

#[test]
fn unclosed_quote_is_refused() {
    let msg = messages(read(b"codice,nome\nA,\"Alfa\nB,Beta\n"));
    assert_eq!(msg, "riga 2: file non leggibile: virgolette non chiuse");
    // A quote in the middle of an unquoted value is a plain character.
    assert_eq!(messages(read(b"codice,nome\nA,Monitor 24\" pollici\n")), "ok");
    assert_eq!(messages(read(b"codice,nome\nA,\"detto \"\"Alfa\"\", ok\"\n")), "ok");
}

#[test]
fn wrong_encodings_are_refused() {
    let utf16: Vec<u8> = "codice,nome\n".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let mut bom16 = vec![0xFF, 0xFE];
    bom16.extend(&utf16);
    assert_eq!(messages(read(&bom16)), "codifica non riconosciuta (UTF-16 o file binario): salvare il file in UTF-8 o Latin-1");
    // An accented UTF-8 line and, two lines later, a Latin-1 byte: a damaged file.
    let mixed = b"codice,nome\nA,Citt\xc3\xa0\nB,Mobilit\xe0\n";
    assert_eq!(messages(read(mixed)), "riga 3: codifica non riconosciuta (UTF-8 e Latin-1 mescolati): salvare il file in UTF-8 o Latin-1");
}

#[test]
fn empty_files_and_size_limit() {
    assert_eq!(messages(read(b"")), "il file non contiene righe di dati");
    assert_eq!(messages(read(b"codice,nome\n")), "il file non contiene righe di dati");
    let small = ReadOptions { max_bytes: 4, ..Default::default() };
    assert_eq!(messages(read_table(b"codice,nome\n", small)), "il file supera il limite di 0 MB");
}

#[test]
fn duplicate_and_missing_columns() {
    assert_eq!(messages(read(b"codice,nome,codice\nA,B,C\n")), "riga 1, colonna «codice»: colonna ripetuta nell'intestazione");
    let t = read(b"codice,nome\nA,B\n").expect("reads");
    let err = Columns::find(&t, &["codice", "tipo", "padre"], &["cdr"]).expect_err("refused");
    assert_eq!(
        err.describe(Lang::It),
        "riga 1, colonna «tipo»: colonna obbligatoria assente nell'intestazione\n\
         riga 1, colonna «padre»: colonna obbligatoria assente nell'intestazione"
    );
    let cols = Columns::find(&t, &["codice"], &["cdr"]).expect("found");
    assert_eq!(cols.get(&t.rows[0], "codice"), "A");
    assert_eq!(cols.get(&t.rows[0], "cdr"), "");
    assert!(!cols.has("cdr"));
}

#[test]
fn xlsx_first_sheet() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2020, 7, 24).expect("date");
    let fmt = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    sheet.write(0, 0, "Codice").expect("w");
    sheet.write(0, 1, "Importo").expect("w");
    sheet.write(0, 2, "Data").expect("w");
    sheet.write(1, 0, "DG").expect("w");
    sheet.write(1, 1, 1234.5).expect("w");
    sheet.write_datetime_with_format(1, 2, &date, &fmt).expect("w");
    sheet.write(2, 0, "AREA").expect("w");
    sheet.write(2, 1, 7).expect("w");
    let bytes = book.save_to_buffer().expect("saved");
    let t = read(&bytes).expect("reads");
    assert_eq!(t.format, SourceFormat::Xlsx);
    assert_eq!(t.headers, ["codice", "importo", "data"]);
    assert_eq!(t.rows[0], Record { line: 2, cells: vec!["DG".into(), "1234.5".into(), "2020-07-24".into()] });
    // A short spreadsheet row is padded, not truncated: empty trailing cells are not written.
    assert_eq!(t.rows[1].cells, ["AREA", "7", ""]);
}

#[test]
fn broken_xlsx_is_refused() {
    let msg = messages(read(b"PK\x03\x04 not really a zip"));
    assert!(msg.starts_with("file non leggibile: "), "{msg}");
}

#[test]
fn real_torino_file_latin1_semicolons() {
    let Some(bytes) = shared_data("torino_2019_rendiconto_spese_missione_macroaggregato.csv") else { return };
    let t = read(&bytes).expect("reads the official file");
    assert_eq!(t.format, SourceFormat::Csv { separator: b';' });
    assert_eq!(t.number_style, NumberStyle::It);
    assert_eq!(t.rows.len(), 39);
    assert!(t.rows.iter().all(|r| r.cells.len() == t.headers.len()));
}

#[test]
fn real_multiline_cells_keep_their_starting_line() {
    let Some(bytes) = shared_data("milano_2020_obiettivi_segretario.csv") else { return };
    let t = read(&bytes).expect("reads");
    assert_eq!(t.headers, ["numero", "obiettivo", "responsabili", "azioni", "indicatore", "descrizione"]);
    assert_eq!(t.rows.len(), 7);
    assert_eq!(t.rows[0].line, 2);
    assert!(t.rows[1].line > 3, "multi-line cells move the next row's line");
    assert_eq!(t.rows[6].cells[0], "7");
}

#[test]
fn crlf_rows_keep_their_line_numbers() {
    let t = read(b"a;b\r\n1;2\r\n3;4\r\n").expect("reads");
    assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3]);
}

#[test]
fn a_column_mapping_names_the_columns_and_leaves_the_others_out() {
    let bytes = "Codice KPI;Data;Importo;kpi\nSAL-1-K1;31/12/2020;12,5;vecchio\n".as_bytes();
    let map = vec![("codice kpi".to_string(), "kpi".to_string()), ("Importo".to_string(), "valore".to_string())];
    let t = read_table(bytes, ReadOptions { columns: Some(map), ..Default::default() }).expect("reads");
    assert_eq!(t.headers, ["kpi", "", "valore", ""]);
    let cols = Columns::find(&t, &["kpi", "valore"], &["data"]).expect("columns");
    assert_eq!(cols.get(&t.rows[0], "kpi"), "SAL-1-K1");
    assert_eq!(cols.get(&t.rows[0], "valore"), "12,5");
    assert!(!cols.has("data"));
}

fn refusal(r: Result<Table, Problems>) -> String {
    match r {
        Err(p) => p.describe(traguardi_domain::Lang::It),
        Ok(t) => panic!("expected a refusal, read {} rows", t.rows.len()),
    }
}

#[test]
fn a_spreadsheet_claiming_the_whole_grid_is_refused_before_it_is_allocated() {
    // A few KB that put a cell in the last place of the grid (XFD1048576): the declared size
    // is past the limits, and refused without allocating rows × columns.
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "codice").expect("cell");
    ws.write_string(1_048_575, 16_383, "x").expect("cell");
    let bytes = book.save_to_buffer().expect("xlsx");
    assert!(bytes.len() < 10_000);
    let msg = refusal(read_table(&bytes, ReadOptions::default()));
    assert!(msg.contains("1048576 righe e 16384 colonne") && msg.contains("al più 1000000 righe e 1000 colonne"), "{msg}");
    // A cell too long.
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "codice").expect("cell");
    ws.write_string(1, 0, "x".repeat(MAX_CELL)).expect("cell");
    let bytes = book.save_to_buffer().expect("xlsx");
    assert_eq!(read_table(&bytes, ReadOptions::default()).expect("at the limit").rows[0].cells[0].len(), MAX_CELL);
}

#[test]
fn a_header_of_many_columns_is_refused_in_linear_time() {
    // 200.000 columns: refused at once, saying the limit (the check of duplicates is linear).
    let header: Vec<String> = (0..200_000).map(|i| format!("c{i}")).collect();
    let csv = format!("{}\n", header.join(","));
    let msg = refusal(read_table(csv.as_bytes(), ReadOptions::default()));
    assert!(msg.contains("200000 colonne") && msg.contains("al più 1000 colonne"), "{msg}");
    // Within the limit, duplicates are still named.
    let mut dup: Vec<String> = (0..999).map(|i| format!("c{i}")).collect();
    dup.push("c5".into());
    let msg = refusal(read_table(format!("{}\n", dup.join(",")).as_bytes(), ReadOptions::default()));
    assert!(msg.contains("«c5»"), "{msg}");
    // A CSV cell past the longest a spreadsheet takes.
    let msg = refusal(read_table(format!("a\n{}\n", "x".repeat(MAX_CELL + 1)).as_bytes(), ReadOptions::default()));
    assert!(msg.contains("una cella troppo lunga alla riga 2"), "{msg}");
}
