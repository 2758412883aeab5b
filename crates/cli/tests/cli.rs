//! The `traguardi` binary end to end: exit codes, messages, and the demo on both backends.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

use traguardi_store::testing;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_traguardi"));
    c.env_remove("TRAGUARDI_DATABASE_URL").env("LANG", "it_IT.UTF-8").env_remove("LC_ALL").env_remove("LC_MESSAGES");
    c
}

fn run(url: &str, args: &[&str]) -> Output {
    bin().arg("--database-url").arg(url).args(args).output().expect("runs")
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// A new SQLite file, removed with its companions when the test is over.
fn temp_sqlite() -> testing::Scratch {
    testing::Scratch::sqlite()
}

/// A suffix no other call of this test process returns: tests run in parallel, and two of them
/// sharing a database file would see each other's enti.
fn rand_suffix() -> u128 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) as u128;
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    nanos * 1000 + n
}

fn temp_file(name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("traguardi-cli-files-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).expect("dir");
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write");
    p
}

/// `GET path` on the server, returning the status line and body.
fn http_get(addr: &str, path: &str) -> (String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("send");
    let mut buf = String::new();
    s.read_to_string(&mut buf).expect("read");
    let status = buf.lines().next().unwrap_or_default().to_string();
    let body = buf.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

/// Starts `demo` or `serve` on a free port; returns the child and `host:port`.
fn start(url: &str, args: &[&str]) -> (Child, String) {
    let mut child = bin().arg("--database-url").arg(url).args(args).args(["--bind", "127.0.0.1:0"]).stdout(Stdio::piped()).spawn().expect("spawn");
    let out = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(out).lines();
    let addr = loop {
        let line = lines.next().expect("the server prints its address").expect("line");
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap_or_default().to_string();
        }
    };
    // Keep reading what the server prints, as a terminal would.
    std::thread::spawn(move || lines.for_each(drop));
    (child, addr)
}

fn demo_story(url: &str) {
    let o = run(url, &["demo", "--no-serve", "--anno-aperto"]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert_eq!(text(&o).0, "Comune di Milano (dati dimostrativi) (015146): caricato\n");
    let o = run(url, &["demo", "--no-serve", "--anno-aperto"]);
    assert_eq!(text(&o).0, "Comune di Milano (dati dimostrativi) (015146): già presente\n");
    let o = run(url, &["cycle", "list"]);
    assert_eq!(text(&o).0, "2022 (2022–2024)\n2021 (2021–2023)\n2020 (2020–2022)\n", "{url}: {}", text(&o).1);

    // The scores of the demo's 2020, in every format.
    let o = run(url, &["report", "scores", "--cycle", "2020"]);
    let csv = text(&o).0;
    assert!(csv.starts_with("livello,codice,percentuale,stato,semaforo,nome,"), "{csv}");
    assert!(
        csv.contains(
            "\nkpi,SOL-01-K1,93.33,valutato,verde,Avanzamento dei programmi di lavoro,solidale,,84,90,\"Più alto è meglio: 84 / 90 × 100 = 93,33.\"\n"
        )
    );
    assert!(csv.contains("\nente,015146,82.86,valutato,verde,Comune di Milano (dati dimostrativi),"));
    let o = run(url, &["report", "scores", "--cycle", "2020", "--format", "json"]);
    let json = text(&o).0;
    assert!(
        json.contains(
            "\"livello\": \"ente\",\n    \"codice\": \"015146\",\n    \"nome\": \"Comune di Milano (dati dimostrativi)\",\n    \"percentuale\": \"82.86\""
        ),
        "{json}"
    );
    let out = std::env::temp_dir().join(format!("traguardi-scores-{}-{}.xlsx", std::process::id(), rand_suffix()));
    let o = run(url, &["report", "scores", "--cycle", "2020", "--format", "xlsx", "--out", out.to_str().expect("path")]);
    assert!(o.status.success());
    assert!(std::fs::read(&out).expect("xlsx").starts_with(b"PK\x03\x04"));
    let o = run(url, &["explain", "SAL-12", "--cycle", "2020"]);
    assert_eq!(
        text(&o).0.lines().next(),
        Some(
            "obiettivo SAL-12 «Livello di risposta alle istanze dei cittadini su tutti i canali che alimentano il CRM:»: 89,72%. Media ponderata: (80,00 × 1 + 100,00 × 1 + 83,33 × 1 + 95,56 × 1) / 4 = 89,72."
        )
    );

    // REPORT COMMISSIONI of seed 004, in every format.
    let o = run(url, &["report", "commissioni", "--cycle", "2025", "--cdr", "222", "--format", "csv"]);
    assert!(o.status.success(), "{:?}", text(&o));
    let csv = text(&o).0;
    assert!(
        csv.starts_with(
            "sezione,tipo,cdr,macroaggregato,capitolo,articolo,pdc,vincolo,descrizione,missione,programma,previsione_2023,previsione_2024,previsione_2025,"
        ),
        "{csv}"
    );
    assert!(csv.contains("\n1.B,riga,222,03,1013,8,1.03.02.13.000,0,SERVIZI AUSILIARI - CONTACT CENTER,01,11,4181620.00,4186420.00,3445520.00,,,\n"), "{csv}");
    assert!(csv.contains("\n1.B,totale_cdr,222,,,,,,Totale Settore 222,,,4496720.00,4232270.00,3631120.00,,,\n"), "{csv}");
    assert!(csv.contains("\n2.C,totale,,,,,,,Totale DIREZIONE INNOVAZIONE TECNOLOGICA E DIGITALE,,,330000.00,183000.00,0.00,0.00,0.00,0.00\n"), "{csv}");
    let o = run(url, &["report", "commissioni", "--cycle", "2025", "--direzione", "SIAD", "--format", "json"]);
    let json = text(&o).0;
    assert!(json.contains("\"total\": [\n      \"4496720.00\",\n      \"4232270.00\",\n      \"3631120.00\"\n    ]"), "{json}");
    for (format, magic) in [("pdf", &b"%PDF-"[..]), ("xlsx", &b"PK\x03\x04"[..])] {
        let out = std::env::temp_dir().join(format!("traguardi-commissioni-{}-{}.{format}", std::process::id(), rand_suffix()));
        let o = run(url, &["report", "commissioni", "--cycle", "2025", "--cdr", "222", "--format", format, "--out", out.to_str().expect("path")]);
        assert!(o.status.success(), "{:?}", text(&o));
        assert!(std::fs::read(&out).expect("file").starts_with(magic), "{format}");
    }
    // The Piano degli Obiettivi: one row per KPI with the targets of its three years.
    let o = run(url, &["report", "piano", "--cycle", "2020", "--format", "csv"]);
    assert!(o.status.success(), "{:?}", text(&o));
    let csv = text(&o).0;
    assert!(csv.starts_with("sezione,codice_sezione,nome_sezione,responsabile,dimensione,ambito,obiettivo,titolo,peso_obiettivo,dup,kpi,kpi_nome,misura,verso,unita_misura,baseline,peso_kpi,target_2020,target_2021,target_2022\n"), "{csv}");
    assert!(
        csv.contains(
            ",SOL-07,Potenziamento dei servizi anagrafici digitali,1,,SOL-07-K1,Certificati anagrafici emessi online,numero,crescente,certificati,,1,500000,,\n"
        ),
        "{csv}"
    );
    let out = std::env::temp_dir().join(format!("traguardi-piano-{}-{}.pdf", std::process::id(), rand_suffix()));
    let o = run(url, &["report", "piano", "--cycle", "2020", "--out", out.to_str().expect("path")]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(std::fs::read(&out).expect("pdf").starts_with(b"%PDF-"));
    // The Relazione sulla Performance: a workbook, and no single CSV for its tables of different shapes.
    let out = std::env::temp_dir().join(format!("traguardi-relazione-{}-{}.xlsx", std::process::id(), rand_suffix()));
    let o = run(url, &["report", "relazione", "--cycle", "2020", "--format", "xlsx", "--out", out.to_str().expect("path")]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(std::fs::read(&out).expect("xlsx").starts_with(b"PK\x03\x04"));
    let o = run(url, &["report", "relazione", "--cycle", "2020", "--format", "csv"]);
    assert_eq!(text(&o).1, "errore: formato «csv» non disponibile: pdf, xlsx, json\n");
    // The draft deliberation, as DOCX for the Segreteria to edit.
    let out = std::env::temp_dir().join(format!("traguardi-delibera-{}-{}.docx", std::process::id(), rand_suffix()));
    let o = run(url, &["report", "delibera", "--cycle", "2020", "--oggetto", "relazione", "--format", "docx", "--out", out.to_str().expect("path")]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(std::fs::read(&out).expect("docx").starts_with(b"PK\x03\x04"));
    let o = run(url, &["report", "delibera", "--cycle", "2020", "--oggetto", "verbale"]);
    assert_eq!(text(&o).1, "errore: --oggetto «verbale» non valido: piano oppure relazione\n");
    let o = run(url, &["report", "delibera", "--cycle", "2020", "--oggetto", "piano", "--format", "xlsx"]);
    assert_eq!(text(&o).1, "errore: formato «xlsx» non disponibile: pdf, docx\n");
    // A person's evaluation form, and the NIV's documents.
    let o = run(url, &["report", "scheda", "--cycle", "2020", "--matricola", "D001"]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(o.stdout.starts_with(b"%PDF-"));
    let o = run(url, &["report", "scheda", "--cycle", "2020", "--matricola", "X999"]);
    assert_eq!(text(&o).1, "errore: nessuna persona con matricola X999 in servizio nel 2020\n");
    for what in ["validazione", "funzionamento"] {
        let o = run(url, &["report", what, "--cycle", "2020", "--format", "docx"]);
        assert!(o.status.success() && o.stdout.starts_with(b"PK\x03\x04"), "{what}: {:?}", text(&o));
    }
    // The monitoring report at a period.
    let o = run(url, &["report", "monitoraggio", "--cycle", "2020", "--periodo", "2020-12-31", "--format", "json"]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(text(&o).0.contains("\"risultato\": \"82,86%\""));
    let o = run(url, &["report", "monitoraggio", "--cycle", "2020", "--periodo", "31-31-2020"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("--periodo"), "{:?}", text(&o));
    let o = run(url, &["report", "commissioni", "--cycle", "2025", "--cdr", "999"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(text(&o).1, "errore: CdR 999 inesistente nella struttura dell'ente per il 2025\n");

    // The audit trail: intact, exported by cycle, and a direct edit in the database is caught.
    let o = run(url, &["audit", "--verify"]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(text(&o).0.starts_with("registro di audit integro: "), "{:?}", text(&o));
    let o = run(url, &["audit", "--cycle", "2021"]);
    let csv = text(&o).0;
    assert!(csv.starts_with("seq,quando,chi,azione,oggetto,id,ciclo,prima,dopo,hash_precedente,hash\n"));
    assert!(csv.lines().skip(1).all(|l| l.contains(",demo,") && l.contains(",2021,")), "only 2021's changes");
    assert!(csv.contains(",demo,apri ciclo,struttura,") && csv.contains(",demo,import plan,obiettivo,"));
    tamper(url);
    let o = run(url, &["audit", "--verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.starts_with("errore: registro di audit alterato al n. "), "{:?}", text(&o));

    // Demo serves the org tree.
    let (mut child, addr) = start(url, &["demo", "--anno-aperto"]);
    let (status, body) = http_get(&addr, "/enti/015146/cicli/2021/struttura");
    let (ready, _) = http_get(&addr, "/readyz");
    child.kill().expect("kill");
    let _ = child.wait();
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("DIREZIONE URBANISTICA") && body.contains("Arch. Simona Collarini"));
    assert_eq!(ready, "HTTP/1.1 200 OK");

    // The workflow: a step out of order says what comes next; an act is cited where needed.
    let o = run(url, &["plan", "stato", "--cycle", "2021", "--stato", "approvato", "--obiettivo", "DG-2021-01"]);
    assert_eq!(
        text(&o).1,
        "errore: nessun obiettivo è passato a «approvato»:\n  obiettivo DG-2021-01: è «bozza»: da qui si passa a «proposto» (pianificatore, amministratore, direttore)\n"
    );
    let o = run(url, &["plan", "stato", "--cycle", "2021", "--stato", "proposto"]);
    assert_eq!(text(&o).0, "96 obiettivi passati a «proposto»\n");
    let o = run(url, &["plan", "stato", "--cycle", "2021", "--stato", "approvato", "--atto", "GC 838/2020"]);
    assert_eq!(text(&o).0, "96 obiettivi passati a «approvato»\n");
    let o = run(url, &["plan", "stato", "--cycle", "2021", "--stato", "approvata"]);
    assert_eq!(
        text(&o).1,
        "errore: stato «approvata» inesistente: bozza, proposto, approvato, assegnato, in_monitoraggio, consuntivato, validato_niv, chiuso\n"
    );

    // Year-end close of 2020: refused while objectives are not validated, forced with a reason,
    // then verified; a value changed in the database afterwards is caught.
    let o = run(url, &["close", "--cycle", "2020"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.starts_with("errore: il ciclo 2020 ha 281 obiettivi non ancora validati dal NIV: "), "{:?}", text(&o));
    let o = run(url, &["close", "--cycle", "2020", "--force"]);
    assert_eq!(o.status.code(), Some(2), "--force needs --reason");
    let o = run(url, &["close", "--cycle", "2020", "--force", "--reason", "validazione del NIV su carta"]);
    assert!(o.status.success(), "{:?}", text(&o));
    let out = text(&o).0;
    let hash = out.lines().next().and_then(|l| l.strip_prefix("ciclo 2020 chiuso: SHA-256 ")).expect("hash").to_string();
    assert_eq!(hash.len(), 64);
    assert!(out.ends_with("\nchiusura forzata con 281 obiettivi non validati dal NIV; motivo nel registro di audit\n"), "{out}");
    let o = run(url, &["close", "--cycle", "2020", "--verify"]);
    assert_eq!(text(&o).0, format!("ciclo 2020: istantanea integra, SHA-256 {hash}\n"));
    let o = run(url, &["measurement", "enter", "--cycle", "2020", "--kpi", "SAL-12-K3", "--data", "31/12/2020", "--valore", "9", "--nota", "x"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.starts_with("errore: il ciclo 2020 è chiuso dal "), "{:?}", text(&o));
    sql(
        url,
        "UPDATE kpi_target SET value = '1' WHERE kpi_id IN (SELECT k.id FROM kpi k JOIN cycle c ON c.id = k.cycle_id WHERE c.year = 2020 AND k.code = 'SAL-12-K3')",
    );
    let o = run(url, &["close", "--cycle", "2020", "--verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("target: SAL-12-K3"), "{:?}", text(&o));
}

/// Runs one statement directly in the database, as an intruder would.
fn sql(url: &str, statement: &'static str) {
    let url = url.to_string();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async {
            let store = traguardi_store::Store::connect(&url).await.expect("connect");
            sqlx::query(statement).execute(&store.pool).await.expect("statement");
            store.close().await;
        });
    })
    .join()
    .expect("done");
}

/// Changes an audit record directly in the database, as an intruder would.
fn tamper(url: &str) {
    sql(url, "UPDATE audit_log SET actor = 'intruso' WHERE seq = 10");
}

/// Without `--anno-aperto` the demo's 2020 is a finished year and 2021 is in monitoring.
fn finished_demo_story(url: &str) {
    let o = run(url, &["demo", "--no-serve"]);
    assert_eq!(text(&o).0, "Comune di Milano (dati dimostrativi) (015146): caricato\n", "{:?}", text(&o));
    let o = run(url, &["demo", "--no-serve"]);
    assert_eq!(text(&o).0, "Comune di Milano (dati dimostrativi) (015146): già presente\n");
    // Closed, and its snapshot intact; the premi approved.
    let o = run(url, &["close", "--cycle", "2020", "--verify"]);
    assert!(o.status.success() && text(&o).0.starts_with("ciclo 2020: istantanea integra, SHA-256 "), "{:?}", text(&o));
    let o = run(url, &["payout", "scenari", "--cycle", "2020"]);
    assert!(text(&o).0.starts_with("base\t192 persone\terogati 400.000,00 € su 400.000,00 €\tapprovato il "), "{:?}", text(&o));
    // The Relazione along its whole path, with its demonstrative act.
    let o = run(url, &["report", "relazione", "--cycle", "2020", "--format", "json"]);
    let json = text(&o).0;
    for expected in ["\"stato\": \"pubblicata\"", "\"atto\": \"GC 9001/2021\"", "\"validata_il\": \"20/06/2021\"", "\"pubblicata_il\": \"30/06/2021\""] {
        assert!(json.contains(expected), "{expected}: {json}");
    }
    // 2021 in monitoring: 30 of its 96 KPIs have no value for 31/12/2021.
    let o = run(url, &["report", "ritardi", "--cycle", "2021", "--oggi", "2022-02-01"]);
    assert_eq!(text(&o).0.lines().count(), 1 + 30, "{:?}", text(&o));
    let o = run(url, &["plan", "stato", "--cycle", "2021", "--stato", "consuntivato", "--obiettivo", "DG-2021-01"]);
    assert_eq!(text(&o).0, "1 obiettivi passati a «consuntivato»\n", "{:?}", text(&o));
    // 2022 is in bozza.
    let o = run(url, &["plan", "stato", "--cycle", "2022", "--stato", "approvato", "--obiettivo", "DG-2021-01"]);
    assert!(text(&o).1.contains("è «bozza»: da qui si passa a «proposto»"), "{:?}", text(&o));
}

#[tokio::test]
async fn the_demo_is_a_finished_year_on_sqlite_and_postgres() {
    finished_demo_story(&temp_sqlite());
    if let Some(url) = testing::Scratch::postgres().await.expect("postgres") {
        finished_demo_story(&url);
    }
}

#[tokio::test]
async fn demo_on_sqlite_and_postgres() {
    demo_story(&temp_sqlite());
    if let Some(url) = testing::Scratch::postgres().await.expect("postgres") {
        demo_story(&url);
    }
}

#[test]
fn imports_report_and_refuse() {
    let url = temp_sqlite();
    let o = run(&url, &["import", "org", "/nonexistent.csv"]);
    assert!(!o.status.success());
    assert_eq!(text(&o).1, "errore: file non leggibile: /nonexistent.csv: No such file or directory (os error 2)\n");

    let o = run(&url, &["ente", "add", "--codice", "001272", "--nome", "Comune di Torino", "--dipendenti", "8500"]);
    assert!(o.status.success(), "{:?}", text(&o));

    let org = temp_file("org.csv", "codice;nome;tipo;padre;cdr\nDG;Direzione Generale;direzione;;\nBIL;Area Bilancio;area;DG;101\n");
    let o = run(&url, &["import", "org", org.to_str().expect("path"), "--cycle", "2024", "--dry-run"]);
    assert_eq!(
        text(&o).0,
        "struttura 2024: 2 righe lette, 2 strutture nuove, 0 aggiornate, 0 invariate\nciclo 2024 creato\nprova (--dry-run): nulla è stato scritto\n"
    );
    let o = run(&url, &["cycle", "list"]);
    assert_eq!(text(&o).0, "", "a dry run leaves no cycle behind");
    let o = run(&url, &["import", "org", org.to_str().expect("path"), "--cycle", "2024"]);
    assert_eq!(text(&o).0, "struttura 2024: 2 righe lette, 2 strutture nuove, 0 aggiornate, 0 invariate\nciclo 2024 creato\n");
    let o = bin().arg("--database-url").arg(&url).args(["import", "org", org.to_str().expect("path")]).env("LANG", "en_GB.UTF-8").output().expect("runs");
    assert_eq!(text(&o).0, "org 2024: 2 rows read, 0 new units, 0 updated, 2 unchanged\n");

    let people =
        temp_file("people.csv", "matricola,cognome,nome,struttura,ruolo,categoria\n1001,Rossi,Maria,BIL,dipendente,IR\n1002,Verdi,Luca,NOPE,dipendente,C\n");
    let o = run(&url, &["import", "people", people.to_str().expect("path"), "--ente", "001272"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o).1,
        "errore: il file ha 2 problemi; nulla è stato scritto:\n  \
         riga 3, colonna «struttura»: struttura «NOPE» inesistente in questo ente e ciclo\n  \
         riga 3, colonna «categoria»: categoria C valida solo fino al 31/03/2023; dividere l'incarico al 31/03/2023 e usare dal 01/04/2023 l'area IR (Istruttori)\n"
    );
    let o = run(&url, &["cycle", "open", "2025"]);
    assert_eq!(text(&o).0, "ciclo 2025 aperto da 2024: 2 strutture e 0 incarichi copiati\n");
    let o = run(&url, &["import", "org", org.to_str().expect("path"), "--ente", "12"]);
    assert_eq!(text(&o).1, "errore: colonna «--ente»: «12» non è valido: atteso codice ISTAT di 6 cifre (es. 015146)\n");

    // PEG lines of the Area Bilancio (CdR 101): before a piano dei conti is loaded, codes are
    // checked for their form only, and the import says so; a re-import replaces (anno, CdR).
    let peg = temp_file(
        "peg.csv",
        "anno;cdr;cdr_nome;direzione;capitolo;articolo;pdc;descrizione;vincolo;missione;programma;previsione\n\
         2025;101;Area Bilancio;Direzione Generale;100;1;U.1.03.02.16.000;Servizi amministrativi;0;01;03;1.234,56\n\
         2025;101;Area Bilancio;Direzione Generale;200;1;1.01.01.01.000;Stipendi;0;01;03;10.000,00\n",
    );
    let o = run(&url, &["import", "peg", peg.to_str().expect("path")]);
    assert_eq!(
        text(&o).0,
        "PEG: 2 righe lette\n2025 CdR 101: 2 righe, previsione 11.234,56 (sostituite 0 righe)\n\
         piano dei conti non caricato (traguardi import pdc): codici controllati solo nella forma\n"
    );
    let pdc = temp_file("pdc.csv", "codice_voce,macro,titolo,macroaggregato,descrizione\n1.03.02.16.001,U,1,03,Pubblicazione bandi di gara\n");
    let o = run(&url, &["import", "pdc", pdc.to_str().expect("path")]);
    assert_eq!(text(&o).0, "piano dei conti: 1 righe lette, 1 codici di spesa e 0 di entrata caricati, 0 righe di tesoreria ignorate\n");
    let o = run(&url, &["import", "peg", peg.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o).1,
        "errore: il file ha 1 problema; nulla è stato scritto:\n  \
         riga 3, colonna «pdc»: «U.1.01.01.01.000» non è valido: atteso un codice del piano dei conti dell'ente per la spesa\n"
    );

    // A budget in another layout, through a built-in mapping: the file's totals are checked.
    let entrate = temp_file(
        "entrate.csv",
        "Titolo;Tipologia;Accertamenti;Riscossioni\n\
         Fondo pluriennale vincolato per spese correnti;;10,00;0,00\n\
         1-Entrate correnti;TIPOLOGIA 101 - Imposte;1.000,50;900,00\n\
         1-Entrate correnti;TIPOLOGIA 104 - Compartecipazioni;99,50;100,00\n\
         TOTALE TITOLO I;;1.100,00;1.000,00\n\
         TOTALE TITOLI;;1.100,00;1.000,00\n",
    );
    let path = entrate.to_str().expect("path");
    let o = run(&url, &["import", "bilancio", path, "--mappa", "rendiconto-entrate-tipologie", "--anno", "2024"]);
    assert_eq!(
        text(&o).0,
        "bilancio (rendiconto-entrate-tipologie): 5 righe lette, 4 importi\n\
         controllo: TOTALE TITOLO I: 2 righe, 2 colonne quadrano\n\
         controllo: TOTALE TITOLI: 2 colonne quadrano con la somma dei Titoli\n\
         righe non di dettaglio ignorate: Fondo pluriennale vincolato per spese correnti\n\
         totale: accertamenti 1.100,00 riscossioni 1.000,00\n"
    );
    let wrong = temp_file("entrate.csv", &std::fs::read_to_string(&entrate).expect("read").replace("TOTALE TITOLO I;;1.100,00", "TOTALE TITOLO I;;1.100,01"));
    let o = run(&url, &["import", "bilancio", wrong.to_str().expect("path"), "--mappa", "rendiconto-entrate-tipologie", "--anno", "2024"]);
    assert_eq!(
        text(&o).1,
        "errore: il file ha 1 problema; nulla è stato scritto:\n  \
         riga 5, colonna «accertamenti»: «1.100,01» non è valido: atteso la somma delle righe del Titolo: 1.100,00\n"
    );
    let o = run(&url, &["import", "bilancio", path, "--mappa", "nessuna"]);
    assert!(text(&o).1.starts_with("errore: mappa «nessuna» non trovata ("), "{:?}", text(&o));
    let mappa = temp_file("mia.mappa", "forma = matrice\ntipo = entrata\nfase = consuntivo\nmisure = a\n");
    let o = run(&url, &["import", "bilancio", path, "--mappa", mappa.to_str().expect("path")]);
    assert_eq!(
        text(&o).1,
        "errore: colonna «fase»: valore «consuntivo» non ammesso; valori possibili: previsione, rendiconto\n\
         errore: colonna «prima_colonna»: valore obbligatorio mancante\n"
    );
}

#[test]
fn users_and_roles() {
    let url = temp_sqlite();
    assert!(run(&url, &["demo", "--no-serve", "--anno-aperto"]).status.success());
    let o = bin()
        .args(["--database-url", &url, "user", "add", "Anna.Neri", "--nome", "Anna Neri"])
        .env("TRAGUARDI_PASSWORD", "password-di-anna")
        .output()
        .expect("runs");
    assert_eq!(text(&o).0, "anna.neri: utente creato\n");
    let mut child = bin().args(["--database-url", &url, "user", "passwd", "anna.neri"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("spawn");
    child.stdin.take().expect("stdin").write_all(b"nuova-password-di-anna\n").expect("write");
    let o = child.wait_with_output().expect("runs");
    assert_eq!(text(&o).0, "anna.neri: password cambiata\n");
    let o = run(&url, &["user", "role", "anna.neri", "--ruolo", "dirigente", "--struttura", "CRM"]);
    assert_eq!(text(&o).0, "anna.neri: ruolo assegnato dirigente\n");
    // An API token: printed once on stdout, listed without its secret, revoked by id.
    let o = run(&url, &["user", "token", "anna.neri", "--nome", "cruscotto"]);
    let (token, said) = text(&o);
    assert!(token.starts_with("trg_") && token.len() == 4 + 64 + 1, "{token}");
    assert!(said.contains("conservarlo ora: non sarà più mostrato"), "{said}");
    let o = run(&url, &["user", "token", "anna.neri", "--nome", "cruscotto"]);
    assert_eq!(text(&o).1, "errore: l'utente anna.neri ha già un token di nome «cruscotto»\n");
    let listed = text(&run(&url, &["user", "tokens", "anna.neri"])).0;
    let id = listed.split('\t').next().unwrap_or_default().to_string();
    assert!(listed.contains("\tanna.neri\tcruscotto\t") && listed.ends_with("\tultimo uso -\n") && !listed.contains(token.trim()), "{listed}");
    assert!(text(&run(&url, &["user", "revoca-token", &id])).0.starts_with(&format!("{id}: revocato il 20")));
    assert!(text(&run(&url, &["user", "tokens"])).0.contains("\trevocato il 20"));
    let o = run(&url, &["user", "role", "anna.neri", "--ruolo", "sindaco"]);
    assert_eq!(
        text(&o).1,
        "errore: colonna «--ruolo»: valore «sindaco» non ammesso; valori possibili: amministratore, pianificatore, direttore, dirigente, po_eq, dipendente, niv, segretario, ragioneria\n"
    );
    // Late values on Milan's calendar: 31/12/2021 was due on 24/01/2022.
    let o = run(&url, &["report", "ritardi", "--cycle", "2021", "--oggi", "2022-02-01"]);
    let csv = text(&o).0;
    assert!(csv.starts_with("kpi,nome,periodo,scadenza,struttura,responsabile,sollecito_a\n"));
    assert!(csv.contains("\nDG-2021-01-K1,Avanzamento delle attività programmate,2021-12-31,2022-01-24,DG,Dott. Christian Malangone,\n"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + 96);
    let o = run(&url, &["remind", "--cycle", "2021", "--oggi", "2022-02-01", "--dry-run"]);
    let lines = text(&o).0;
    assert!(lines.contains("Dott. Christian Malangone: 2 valori in ritardo (DG; scadenza dal 24/01/2022)\n"), "{lines}");
    // Sending without a relay: in-app notifications only, said so; the same day again sends nothing.
    let o = bin().args(["--database-url", &url, "remind", "--cycle", "2021", "--oggi", "2022-02-01"]).env_remove("TRAGUARDI_SMTP").output().expect("runs");
    let out = text(&o).0;
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(out.starts_with("solleciti: ") && out.contains(" notifiche nell'applicazione, 0 anche per e-mail, 0 già inviati oggi\n"), "{out}");
    assert!(out.contains("e-mail non configurata (TRAGUARDI_SMTP): solo notifiche nell'applicazione"), "{out}");
    let again =
        text(&bin().args(["--database-url", &url, "remind", "--cycle", "2021", "--oggi", "2022-02-01"]).env_remove("TRAGUARDI_SMTP").output().expect("runs")).0;
    assert!(again.starts_with("solleciti: 0 notifiche nell'applicazione, 0 anche per e-mail, "), "{again}");
    let o = bin().args(["--database-url", &url, "remind", "--cycle", "2021"]).env("TRAGUARDI_SMTP", "posta.example.org").output().expect("runs");
    assert!(!o.status.success() && text(&o).1.contains("TRAGUARDI_SMTP: «posta.example.org» non è valido"), "{:?}", text(&o));
    let o = run(&url, &["ente", "calendar", "--patrono", "13-40"]);
    assert_eq!(text(&o).1, "errore: giorno del santo patrono non valido: usare MM-GG, es. 12-07\n");
    let o = bin().args(["--database-url", &url, "user", "add", "b", "--nome", "B"]).env("TRAGUARDI_PASSWORD", "corta").output().expect("runs");
    assert_eq!(text(&o).1, "errore: colonna «password»: «…» non è valido: atteso almeno 10 caratteri\n");
}

#[test]
fn unreachable_database_is_one_line() {
    let o = run("postgres://nobody@127.0.0.1:1/x", &["migrate"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o).1;
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("errore: database non raggiungibile (postgres://nobody@127.0.0.1:1/x): "), "{err}");
    let o = run("mysql://x", &["migrate"]);
    assert_eq!(text(&o).1, "errore: indirizzo del database non valido «mysql://x»: usare sqlite://FILE oppure postgres://UTENTE@HOST:PORTA/DB\n");
}

/// SQLite's `synchronous` is a setting: the documented values work, any other is one line.
#[test]
fn sqlite_synchronous_is_a_setting() {
    let url = temp_sqlite();
    let with = |v: &str| bin().env("TRAGUARDI_SQLITE_SYNCHRONOUS", v).arg("--database-url").arg(&url).arg("migrate").output().expect("runs");
    assert!(with("FULL").status.success(), "{:?}", text(&with("FULL")));
    let o = with("OFF");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(text(&o).1, "errore: impostazione TRAGUARDI_SQLITE_SYNCHRONOUS non valida «OFF»: NORMAL, FULL o EXTRA\n");
}

#[test]
fn pool_size_is_a_setting() {
    let url = temp_sqlite();
    let with = |v: &str| bin().env("TRAGUARDI_DB_POOL", v).arg("--database-url").arg(&url).arg("migrate").output().expect("runs");
    assert!(with("2").status.success(), "{:?}", text(&with("2")));
    let o = with("0");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(text(&o).1, "errore: impostazione TRAGUARDI_DB_POOL non valida «0»: un numero di connessioni da 1 a 1000\n");
}

#[test]
fn managers_result_pay_calculator() {
    // Italian numbers (`;`): 20.000 for a whole year at 90; an interim at 50% for 120 days; a
    // second manager for 240 days at 75,5. Checked by hand in the domain's worked example.
    let input = temp_file(
        "dirigenti.csv",
        "dirigente;struttura;base;giorni;punteggio;quota\n\
         Rossi Mario;DIREZIONE GENERALE;20.000,00;365;90;\n\
         Rossi Mario;AREA CRM (interim);5.000,00;120;90;50\n\
         Bianchi Anna;DIREZIONE CASA;18.000,00;240;75,5;100\n",
    );
    let o = bin().args(["payout", "dirigenti", "--input", input.to_str().expect("path"), "--contributi", "23,8", "--irap", "8,5"]).output().expect("runs");
    assert!(o.status.success(), "{:?}", text(&o));
    assert_eq!(
        text(&o).0,
        "tipo,dirigente,struttura,base,giorni,punteggio,quota,importo\n\
         riga,Rossi Mario,DIREZIONE GENERALE,20000,365,90,100,18000.00\n\
         riga,Rossi Mario,AREA CRM (interim),5000,120,90,50,739.73\n\
         riga,Bianchi Anna,DIREZIONE CASA,18000,240,75.5,100,8935.89\n\
         totale,Rossi Mario,,,,,,18739.73\n\
         totale,Bianchi Anna,,,,,,8935.89\n\
         totale,,,,,,,27675.62\n\
         contributi,,,,,,,6586.80\n\
         irap,,,,,,,2352.43\n\
         totale_complessivo,,,,,,,36614.85\n"
    );
    let o = bin()
        .args(["payout", "dirigenti", "--input", input.to_str().expect("path"), "--contributi", "23.8", "--irap", "8.5", "--format", "json"])
        .output()
        .expect("runs");
    assert!(text(&o).0.contains("\"tipo\": \"totale_complessivo\","));
    let bad = temp_file("bad.csv", "dirigente,struttura,base,giorni,punteggio,quota\nX,U,1000,365,120,\nY,U,1000,365,80,0\n");
    let o = bin().args(["payout", "dirigenti", "--input", bad.to_str().expect("path"), "--contributi", "23.8", "--irap", "101"]).output().expect("runs");
    assert_eq!(text(&o).1, "errore: colonna «--irap»: 101 fuori dall'intervallo 0–100\n");
    let o = bin().args(["payout", "dirigenti", "--input", bad.to_str().expect("path"), "--contributi", "23.8", "--irap", "8.5"]).output().expect("runs");
    assert_eq!(
        text(&o).1,
        "errore: il file ha 2 problemi; nulla è stato scritto:\n  riga 2, colonna «punteggio»: 120 fuori dall'intervallo 0–100\n  riga 3, colonna «quota»: 0 fuori dall'intervallo 0 (escluso)–100\n"
    );
}

#[test]
fn premi_from_the_command_line() {
    let url = temp_sqlite();
    assert!(run(&url, &["demo", "--no-serve", "--anno-aperto"]).status.success());
    let ok = |args: &[&str]| {
        let o = run(&url, args);
        let (out, err) = text(&o);
        assert!(o.status.success(), "{args:?}: {err}");
        out
    };
    let out = ok(&["payout", "scenari", "--cycle", "2020"]);
    assert!(out.starts_with("base\t192 persone\terogati 400.000,00 € su 400.000,00 €\tda approvare\t"), "{out}");
    let out = ok(&["payout", "scenario", "--cycle", "2020", "--nome", "alto", "--punteggio", "M0001=100"]);
    assert!(out.starts_with("scenario «alto» 2020: 192 persone; premi 400.000,00 €"), "{out}");
    assert!(out.contains("\ndirigenti: 27 con retribuzione di risultato "), "{out}");
    let csv = ok(&["payout", "confronta", "--cycle", "2020", "base", "alto"]);
    assert!(csv.starts_with("matricola,nome,base,alto,differenza\n"), "{csv}");
    let m0001 = csv.lines().find(|l| l.starts_with("M0001,")).expect("M0001");
    assert!(!m0001.ends_with(",0.00"), "{m0001}");
    let out = ok(&["payout", "spiega", "--cycle", "2020", "--matricola", "M0037", "--nome", "base"]);
    assert!(out.starts_with("M0037 Barbieri Giorgio — scenario «base» 2020\n- Presenza: 366 giorni"), "{out}");
    let rules = ok(&["payout", "regole", "--cycle", "2020"]);
    assert!(rules.contains("coefficiente.C = 1.2\n") && rules.contains("comportamento.c5 = "), "{rules}");
    assert!(rules.contains("contratto = 2016-2018\n"), "the 2020 premi follow the 2018 contract: {rules}");
    // The cycle's scoring rules: printed, then a new version from a file.
    let scoring = ok(&["plan", "regole", "--cycle", "2020"]);
    assert!(scoring.starts_with("sovraraggiungimento = no\ntetto = 100\nsemaforo.giallo = 33\nsemaforo.verde = 66\n"), "{scoring}");
    let file = temp_file("regole-punteggio.txt", "sovraraggiungimento = si\ntetto = 120\n");
    let out = ok(&["plan", "regole", "--cycle", "2020", "--file", file.to_str().unwrap_or_default()]);
    assert_eq!(out, "regole del punteggio 2020: versione 1\n");
    assert!(ok(&["plan", "regole", "--cycle", "2020"]).contains("tetto = 120\n"));
    let bad = temp_file("regole-sbagliate.txt", "tetto = 120\nsovraraggiungimento = no\n");
    let o = run(&url, &["plan", "regole", "--cycle", "2020", "--file", bad.to_str().unwrap_or_default()]);
    assert!(!o.status.success() && text(&o).1.contains("colonna «tetto»"), "{:?}", text(&o));
    // A number typed alone is never ambiguous: «1.000» is refused, not taken as one.
    let o = run(&url, &["plan", "override", "--cycle", "2020", "--obiettivo", "SAL-12", "--valore", "1.000", "--motivazione", "prova"]);
    assert!(!o.status.success() && text(&o).1.contains("«1.000» non è valido"), "{:?}", text(&o));
    let idx = ok(&["payout", "indici", "--cycle", "2020"]);
    assert!(idx.starts_with("indice,struttura,nome,valore,spiegazione\nROE,,"), "{idx}");

    // Approval refused while the gates are open: exit status 1, each gate named.
    let o = run(&url, &["payout", "approva", "--cycle", "2020", "--nome", "base"]);
    let (_, err) = text(&o);
    assert!(!o.status.success());
    assert!(err.contains("non si può approvare l'erogazione dei premi 2020:") && err.contains("Piano degli Obiettivi 2020 non approvato"), "{err}");
    let o = run(&url, &["payout", "export", "--cycle", "2020"]);
    assert!(!o.status.success() && text(&o).1.contains("nessuno scenario approvato per il 2020"), "{:?}", text(&o));
    let csv = ok(&["payout", "export", "--cycle", "2020", "--nome", "base"]);
    assert!(csv.starts_with("matricola,nome,categoria,struttura,anno,voce,descrizione,importo\n"), "{csv}");
    assert!(csv.contains(",2020,449,retribuzione di risultato,"), "{csv}");
    let t = ok(&["payout", "trasparenza", "--cycle", "2020", "--nome", "base", "--format", "json"]);
    assert!(t.contains("\"destinatari\": \"dirigenti\""), "{t}");

    // Bad input: a score out of range, a fund that spends more than it has.
    let o = run(&url, &["payout", "scenario", "--cycle", "2020", "--nome", "x", "--punteggio", "M0001=120"]);
    assert!(!o.status.success() && text(&o).1.contains("riga 1, colonna «--punteggio»"), "{:?}", text(&o));
    let fund = temp_file("fondo.csv", "voce,descrizione,natura,importo,uso\n00B,Stabile,stabile,100.00,\n00G,Premi,destinazione,200.00,premi_organizzativa\n");
    let o = run(&url, &["import", "fondo", fund.to_str().unwrap_or_default(), "--cycle", "2020"]);
    assert!(!o.status.success() && text(&o).1.contains("le destinazioni (200,00 €) superano le risorse del fondo (100,00 €)"), "{:?}", text(&o));
    let o = run(&url, &["relazione", "--cycle", "2020", "--stato", "validata"]);
    assert!(!o.status.success() && text(&o).1.contains("può diventare «validata» solo da «approvata»"), "{:?}", text(&o));
}

/// The benchmarks' synthetic ente, written by one command.
#[test]
fn metropoli_for_the_benchmarks() {
    let url = temp_sqlite();
    let o = run(&url, &["metropoli"]);
    assert_eq!(text(&o).0, "metropoli (ente 099999, ciclo 2025) scritta nel database\n", "{:?}", text(&o));
    assert!(text(&run(&url, &["ente", "list"])).0.contains("099999"));
    let o = run(&url, &["metropoli"]);
    assert!(!o.status.success(), "a second metropoli in the same database is refused");
}

/// Many synthetic comuni, then the open data of every one of them: a package per ente and an
/// index listing them; the same codes again are refused.
#[test]
fn synthetic_comuni_and_their_open_data() {
    let url = temp_sqlite();
    let o = run(&url, &["sintetico", "--enti", "3", "--seme", "5"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    let staff: usize = traguardi_app::samples::sintetico::enti(3, 5).iter().map(|s| s.staff).sum();
    assert!(out.starts_with(&format!("3 enti sintetici (codici 900001–900003, ciclo 2025), {staff} dipendenti, ")), "{out}");
    let listed = text(&run(&url, &["ente", "list"])).0;
    let codes: Vec<&str> = listed.lines().filter_map(|l| l.split('\t').next()).collect();
    assert_eq!(codes, ["900001", "900002", "900003"]);
    let o = run(&url, &["sintetico", "--enti", "2"]);
    assert!(!o.status.success() && text(&o).1.contains("l'ente 900001 esiste già"), "{:?}", text(&o));

    let out = temp_file("x", "").with_file_name("dati-aperti");
    let o = run(&url, &["export", "opendata", "--tutti", "--out", out.to_str().expect("path")]);
    let (said, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(said.contains("900002 Comune sintetico 00002: 2025\n") && said.contains("3 enti in "), "{said}");
    let index = std::fs::read_to_string(out.join("enti.csv")).expect("index");
    assert_eq!(index.lines().count(), 4, "{index}");
    assert!(index.contains("900003,Comune sintetico 00003,2025,900003/datapackage.json"), "{index}");
    let package: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("900001/datapackage.json")).expect("package")).expect("json");
    assert_eq!(package["resources"][0]["path"], "punteggi-2025.csv");
    let scores = std::fs::read_to_string(out.join("900001/punteggi-2025.csv")).expect("scores");
    assert!(scores.starts_with("livello,codice,percentuale,"), "{scores}");
    assert!(scores.lines().any(|l| l.starts_with("ente,900001,")), "{scores}");
}

/// A SQLite database archived while it could be in use, restored into PostgreSQL (a comune
/// outgrowing one file) or another SQLite file: the trail verifies there and the close too.
#[tokio::test]
async fn backup_and_restore_from_the_command_line() {
    let source = temp_sqlite();
    assert!(run(&source, &["demo", "--no-serve", "--anno-aperto"]).status.success());
    let o = run(&source, &["close", "--cycle", "2021", "--force", "--reason", "validazione su carta"]);
    assert!(o.status.success(), "{:?}", text(&o));
    let archive = temp_file("copia.jsonl.gz", "");
    let o = run(&source, &["backup", "--out", archive.to_str().expect("path")]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.starts_with(&format!("copia di sicurezza scritta in {}: 41 tabelle, ", archive.display())), "{out}");
    assert!(!std::path::Path::new(&format!("{}.partial", archive.display())).exists(), "no partial file left");

    let mut targets = vec![temp_sqlite()];
    targets.extend(testing::Scratch::postgres().await.expect("postgres"));
    for target in &targets {
        let o = run(target, &["restore", archive.to_str().expect("path")]);
        let (out, err) = text(&o);
        assert!(o.status.success(), "{err}");
        assert!(out.contains("ente 015146: registro di audit integro, "), "{out}");
        let o = run(target, &["close", "--cycle", "2021", "--verify"]);
        assert!(o.status.success(), "the close verifies after the restore: {:?}", text(&o));
        let o = run(target, &["audit", "--verify"]);
        assert!(o.status.success(), "{:?}", text(&o));
        // Never over data.
        let o = bin().arg("--database-url").arg(target).args(["restore", archive.to_str().expect("path")]).env("LANG", "en_US.UTF-8").output().expect("runs");
        assert_eq!(o.status.code(), Some(1));
        assert!(text(&o).1.contains("error: the target database already holds data"), "{:?}", text(&o));
    }
    // A backup that cannot be written says where, and leaves nothing behind.
    let o = run(&source, &["backup", "--out", "/nonexistent-dir/copia.jsonl.gz"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("impossibile creare /nonexistent-dir/copia.jsonl.gz.partial"), "{:?}", text(&o));
}

/// With `LANG=en_…` the refusals of the use cases read in English, values and all: the
/// workflow's, the close's, the premi's approval's and the Relazione's.
#[test]
fn refusals_in_the_readers_language() {
    let url = temp_sqlite();
    assert!(run(&url, &["demo", "--no-serve", "--anno-aperto"]).status.success());
    let en = |args: &[&str]| {
        let o = bin().arg("--database-url").arg(&url).args(args).env("LANG", "en_US.UTF-8").output().expect("runs");
        assert!(!o.status.success(), "{args:?} refused");
        text(&o).1
    };
    assert_eq!(
        en(&["plan", "stato", "--cycle", "2021", "--stato", "approvato", "--obiettivo", "DG-2021-01"]),
        "error: no objective moved to «approved»:\n  objective DG-2021-01: is «draft»: from here it moves to «proposed» (pianificatore, amministratore, direttore)\n"
    );
    let close = en(&["close", "--cycle", "2020"]);
    assert!(close.starts_with("error: cycle 2020 has 281 objectives not yet validated by the NIV: "), "{close}");
    assert!(close.ends_with(" and 261 more; to close anyway (e.g. validated on paper): --force --reason TEXT\n"), "{close}");
    // A value of the wrong shape says what was expected in the reader's language too.
    let code = en(&["ente", "add", "--codice", "12", "--nome", "Prova", "--dipendenti", "5"]);
    assert!(code.contains("«12» is not valid: expected an ISTAT code of 6 digits (e.g. 015146)"), "{code}");
    let o = run(&url, &["payout", "scenario", "--cycle", "2020", "--nome", "base"]);
    assert!(o.status.success(), "{:?}", text(&o));
    let approve = en(&["payout", "approva", "--cycle", "2020", "--nome", "base"]);
    assert!(approve.starts_with("error: the payment of the 2020 bonuses cannot be approved:\n- Piano degli Obiettivi 2020 not approved ("), "{approve}");
    assert!(approve.contains("\n- Relazione sulla Performance 2020 not validated by the NIV (state: not recorded; art. 14 c.6 D.Lgs 150/2009)"), "{approve}");
    assert_eq!(
        en(&["relazione", "--cycle", "2020", "--stato", "validata"]),
        "error: the 2020 Relazione is «bozza»: it can become «validata» only from «approvata»\n"
    );
    // Italian stays the default.
    let o = run(&url, &["relazione", "--cycle", "2020", "--stato", "validata"]);
    assert_eq!(text(&o).1, "errore: la Relazione 2020 è «bozza»: può diventare «validata» solo da «approvata»\n");
}

/// A setting given a wrong value stops the server before it serves anything, naming every
/// variable at fault in the reader's language; no request ever meets the misconfiguration.
#[test]
fn wrong_settings_stop_the_start() {
    let url = temp_sqlite();
    assert!(run(&url, &["migrate"]).status.success());
    let o = bin()
        .arg("--database-url")
        .arg(&url)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("TRAGUARDI_SMTP", "smtp://relay.comune.example.org:25")
        .env_remove("TRAGUARDI_SMTP_FROM")
        .env("TRAGUARDI_API_RATE", "tante")
        .env("LANG", "en_GB.UTF-8")
        .output()
        .expect("runs");
    let (out, err) = text(&o);
    assert!(!o.status.success() && out.is_empty(), "{out}");
    assert!(err.contains("invalid settings (environment variables):"), "{err}");
    assert!(err.contains("  TRAGUARDI_SMTP_FROM: ") && err.contains("  TRAGUARDI_API_RATE: invalid number «tante»"), "{err}");
}

/// Asked to stop while a request is still in flight (a body that never finishes arriving), the
/// server waits for it up to the deadline, then stops anyway, saying so.
#[test]
fn shutdown_has_a_deadline() {
    let url = temp_sqlite();
    assert!(run(&url, &["migrate"]).status.success());
    let mut child = bin()
        .arg("--database-url")
        .arg(&url)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("TRAGUARDI_SHUTDOWN_SECONDS", "2")
        .env("TRAGUARDI_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let addr = loop {
        let line = lines.next().expect("the server prints its address").expect("line");
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap_or_default().to_string();
        }
    };
    let mut slow = TcpStream::connect(&addr).expect("connect");
    write!(slow, "POST /login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nutente=")
        .expect("send");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let asked = std::time::Instant::now();
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    let status = child.wait().expect("exit");
    let took = asked.elapsed();
    let mut err = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut err).expect("stderr");
    assert!(status.success(), "{err}");
    assert!(took >= std::time::Duration::from_millis(1_800) && took < std::time::Duration::from_secs(10), "stopped after {took:?}");
    assert!(err.contains("requests still in flight 2 s after the stop: stopping anyway"), "{err}");
    drop(slow);
}

/// `ricalcola --tutti` scores every open cycle of every ente; a cycle whose data cannot be read
/// is reported, and the other cycles and enti are computed all the same.
#[test]
fn recompute_every_ente_with_failures_isolated() {
    let url = temp_sqlite();
    assert!(run(&url, &["demo", "--no-serve", "--anno-aperto"]).status.success());
    assert!(run(&url, &["ente", "add", "--codice", "001272", "--nome", "Comune di Torino", "--dipendenti", "9000"]).status.success());
    let org = temp_file("struttura.csv", "codice,nome,tipo,padre,cdr\nDG,Direzione Generale,direzione,,\n");
    let o = run(&url, &["import", "org", "--ente", "001272", "--cycle", "2025", org.to_str().expect("path")]);
    assert!(o.status.success(), "{:?}", text(&o));
    let o = run(&url, &["ricalcola", "--tutti"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("015146 Comune di Milano (dati dimostrativi): 2022 94 obiettivi in "), "{out}");
    assert!(out.contains("; 2020 281 obiettivi in "), "{out}");
    assert!(out.contains("001272 Comune di Torino: 2025 0 obiettivi in "), "{out}");
    assert!(out.ends_with(" 0 con errori\n") && out.contains("2 enti in "), "{out}");

    // Milano's 2021 KPIs damaged in the database: that cycle fails, the rest is computed.
    sql(&url, "UPDATE kpi SET measure = 'guasto' WHERE cycle_id IN (SELECT id FROM cycle WHERE year = 2021)");
    let o = run(&url, &["ricalcola", "--tutti"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.contains("2021 ERRORE: "), "{out}");
    assert!(out.contains("; 2020 281 obiettivi in ") && out.contains("001272 Comune di Torino: 2025 0 obiettivi in "), "{out}");
    assert!(err.contains("ricalcolo non riuscito per gli enti 015146"), "{err}");
    // A closed cycle is skipped: its scores are frozen.
    assert!(run(&url, &["close", "--ente", "015146", "--cycle", "2020", "--force", "--reason", "prova"]).status.success());
    let o = run(&url, &["ricalcola", "--ente", "015146"]);
    assert!(text(&o).0.contains("2020 chiuso"), "{:?}", text(&o));
}
