//! Reference tables of the harmonised budget (D.Lgs 118/2011): Titoli, Macroaggregati and
//! Tipologie as the budget schemes (all. 9) name them, and the Missioni and Programmi of enti
//! territoriali (all. 14). Programmi marked "(solo per le Regioni)" are kept: a comune never
//! uses them, but a file that does is still read correctly.

use super::Side;

/// Titoli of spending.
pub const TITOLI_SPESA: &[(u8, &str)] = &[
    (1, "Spese correnti"),
    (2, "Spese in conto capitale"),
    (3, "Spese per incremento di attività finanziarie"),
    (4, "Rimborso di prestiti"),
    (5, "Chiusura Anticipazioni da istituto tesoriere/cassiere"),
    (6, "Scarti di emissione di titoli emessi dall'amministrazione"),
    (7, "Spese per conto terzi e partite di giro"),
];

/// Titoli of revenue.
pub const TITOLI_ENTRATA: &[(u8, &str)] = &[
    (1, "Entrate correnti di natura tributaria, contributiva e perequativa"),
    (2, "Trasferimenti correnti"),
    (3, "Entrate extratributarie"),
    (4, "Entrate in conto capitale"),
    (5, "Entrate da riduzione di attività finanziarie"),
    (6, "Accensione di prestiti"),
    (7, "Anticipazioni da istituto tesoriere/cassiere"),
    (8, "Premi di emissione di titoli emessi dall'amministrazione"),
    (9, "Entrate per conto di terzi e partite di giro"),
];

/// Macroaggregati of spending: (Titolo, macroaggregato, name).
pub const MACROAGGREGATI: &[(u8, &str, &str)] = &[
    (1, "01", "Redditi da lavoro dipendente"),
    (1, "02", "Imposte e tasse a carico dell'ente"),
    (1, "03", "Acquisto di beni e servizi"),
    (1, "04", "Trasferimenti correnti"),
    (1, "05", "Trasferimenti di tributi (solo per le Regioni)"),
    (1, "06", "Fondi perequativi (solo per le Regioni)"),
    (1, "07", "Interessi passivi"),
    (1, "08", "Altre spese per redditi da capitale"),
    (1, "09", "Rimborsi e poste correttive delle entrate"),
    (1, "10", "Altre spese correnti"),
    (2, "01", "Tributi in conto capitale a carico dell'ente"),
    (2, "02", "Investimenti fissi lordi e acquisto di terreni"),
    (2, "03", "Contributi agli investimenti"),
    (2, "04", "Altri trasferimenti in conto capitale"),
    (2, "05", "Altre spese in conto capitale"),
    (3, "01", "Acquisizioni di attività finanziarie"),
    (3, "02", "Concessione crediti di breve termine"),
    (3, "03", "Concessione crediti di medio - lungo termine"),
    (3, "04", "Altre spese per incremento di attività finanziarie"),
    (4, "01", "Rimborso di titoli obbligazionari"),
    (4, "02", "Rimborso prestiti a breve termine"),
    (4, "03", "Rimborso mutui e altri finanziamenti a medio lungo termine"),
    (4, "04", "Rimborso di altre forme di indebitamento"),
    (4, "05", "Fondi per rimborso prestiti (solo per le regioni)"),
    (5, "01", "Chiusura Anticipazioni ricevute da istituto tesoriere/cassiere"),
    (6, "01", "Scarti di emissione di titoli emessi dall'amministrazione"),
    (7, "01", "Uscite per partite di giro"),
    (7, "02", "Uscite per conto terzi"),
];

/// Tipologie of revenue: (Titolo, tipologia, name).
pub const TIPOLOGIE: &[(u8, u16, &str)] = &[
    (1, 101, "Imposte, tasse e proventi assimilati"),
    (1, 102, "Tributi destinati al finanziamento della sanità (solo per le Regioni)"),
    (1, 103, "Tributi devoluti e regolati alle autonomie speciali (solo per le Regioni)"),
    (1, 104, "Compartecipazioni di tributi"),
    (1, 201, "Contributi sociali e premi a carico del datore di lavoro e dei lavoratori"),
    (1, 202, "Contributi sociali a carico delle persone non occupate"),
    (1, 301, "Fondi perequativi da Amministrazioni Centrali"),
    (1, 302, "Fondi perequativi dalla Regione o Provincia autonoma"),
    (2, 101, "Trasferimenti correnti da Amministrazioni pubbliche"),
    (2, 102, "Trasferimenti correnti da Famiglie"),
    (2, 103, "Trasferimenti correnti da Imprese"),
    (2, 104, "Trasferimenti correnti da Istituzioni Sociali Private"),
    (2, 105, "Trasferimenti correnti dall'Unione Europea e dal Resto del Mondo"),
    (3, 100, "Vendita di beni e servizi e proventi derivanti dalla gestione dei beni"),
    (3, 200, "Proventi derivanti dall'attività di controllo e repressione delle irregolarità e degli illeciti"),
    (3, 300, "Interessi attivi"),
    (3, 400, "Altre entrate da redditi da capitale"),
    (3, 500, "Rimborsi e altre entrate correnti"),
    (4, 100, "Tributi in conto capitale"),
    (4, 200, "Contributi agli investimenti"),
    (4, 300, "Altri trasferimenti in conto capitale"),
    (4, 400, "Entrate da alienazione di beni materiali e immateriali"),
    (4, 500, "Altre entrate in conto capitale"),
    (5, 100, "Alienazione di attività finanziarie"),
    (5, 200, "Riscossione crediti di breve termine"),
    (5, 300, "Riscossione crediti di medio-lungo termine"),
    (5, 400, "Altre entrate per riduzione di attività finanziarie"),
    (6, 100, "Emissione di titoli obbligazionari"),
    (6, 200, "Accensione Prestiti a breve termine"),
    (6, 300, "Accensione Mutui e altri finanziamenti a medio lungo termine"),
    (6, 400, "Altre forme di indebitamento"),
    (6, 500, "Entrate da destinare al Fondo di ammortamento titoli"),
    (7, 100, "Anticipazioni da istituto tesoriere/cassiere"),
    (8, 100, "Premi di emissione di titoli emessi dall'amministrazione"),
    (9, 100, "Entrate per partite di giro"),
    (9, 200, "Entrate per conto terzi"),
];

/// Missioni of enti territoriali.
pub const MISSIONI: &[(&str, &str)] = &[
    ("01", "Servizi istituzionali, generali e di gestione"),
    ("02", "Giustizia"),
    ("03", "Ordine pubblico e sicurezza"),
    ("04", "Istruzione e diritto allo studio"),
    ("05", "Tutela e valorizzazione dei beni e delle attività culturali"),
    ("06", "Politiche giovanili, sport e tempo libero"),
    ("07", "Turismo"),
    ("08", "Assetto del territorio ed edilizia abitativa"),
    ("09", "Sviluppo sostenibile e tutela del territorio e dell'ambiente"),
    ("10", "Trasporti e diritto alla mobilità"),
    ("11", "Soccorso civile"),
    ("12", "Diritti sociali, politiche sociali e famiglia"),
    ("13", "Tutela della salute"),
    ("14", "Sviluppo economico e competitività"),
    ("15", "Politiche per il lavoro e la formazione professionale"),
    ("16", "Agricoltura, politiche agroalimentari e pesca"),
    ("17", "Energia e diversificazione delle fonti energetiche"),
    ("18", "Relazioni con le altre autonomie territoriali e locali"),
    ("19", "Relazioni internazionali"),
    ("20", "Fondi e accantonamenti"),
    ("50", "Debito pubblico"),
    ("60", "Anticipazioni finanziarie"),
    ("99", "Servizi per conto terzi"),
];

/// Programmi: (Missione, Programma, name).
pub const PROGRAMMI: &[(&str, &str, &str)] = &[
    ("01", "01", "Organi istituzionali"),
    ("01", "02", "Segreteria generale"),
    ("01", "03", "Gestione economica, finanziaria, programmazione e provveditorato"),
    ("01", "04", "Gestione delle entrate tributarie e servizi fiscali"),
    ("01", "05", "Gestione dei beni demaniali e patrimoniali"),
    ("01", "06", "Ufficio tecnico"),
    ("01", "07", "Elezioni e consultazioni popolari - Anagrafe e stato civile"),
    ("01", "08", "Statistica e sistemi informativi"),
    ("01", "09", "Assistenza tecnico-amministrativa agli enti locali"),
    ("01", "10", "Risorse umane"),
    ("01", "11", "Altri servizi generali"),
    ("01", "12", "Politica regionale unitaria per i servizi istituzionali, generali e di gestione (solo per le Regioni)"),
    ("02", "01", "Uffici giudiziari"),
    ("02", "02", "Casa circondariale e altri servizi"),
    ("02", "03", "Politica regionale unitaria per la giustizia (solo per le Regioni)"),
    ("03", "01", "Polizia locale e amministrativa"),
    ("03", "02", "Sistema integrato di sicurezza urbana"),
    ("03", "03", "Politica regionale unitaria per l'ordine pubblico e la sicurezza (solo per le Regioni)"),
    ("04", "01", "Istruzione prescolastica"),
    ("04", "02", "Altri ordini di istruzione non universitaria"),
    ("04", "03", "Edilizia scolastica (solo per le Regioni)"),
    ("04", "04", "Istruzione universitaria"),
    ("04", "05", "Istruzione tecnica superiore"),
    ("04", "06", "Servizi ausiliari all'istruzione"),
    ("04", "07", "Diritto allo studio"),
    ("04", "08", "Politica regionale unitaria per l'istruzione e il diritto allo studio (solo per le Regioni)"),
    ("05", "01", "Valorizzazione dei beni di interesse storico"),
    ("05", "02", "Attività culturali e interventi diversi nel settore culturale"),
    ("05", "03", "Politica regionale unitaria per la tutela dei beni e delle attività culturali (solo per le Regioni)"),
    ("06", "01", "Sport e tempo libero"),
    ("06", "02", "Giovani"),
    ("06", "03", "Politica regionale unitaria per i giovani, lo sport e il tempo libero (solo per le Regioni)"),
    ("07", "01", "Sviluppo e valorizzazione del turismo"),
    ("07", "02", "Politica regionale unitaria per il turismo (solo per le Regioni)"),
    ("08", "01", "Urbanistica e assetto del territorio"),
    ("08", "02", "Edilizia residenziale pubblica e locale e piani di edilizia economico-popolare"),
    ("08", "03", "Politica regionale unitaria per l'assetto del territorio e l'edilizia abitativa (solo per le Regioni)"),
    ("09", "01", "Difesa del suolo"),
    ("09", "02", "Tutela, valorizzazione e recupero ambientale"),
    ("09", "03", "Rifiuti"),
    ("09", "04", "Servizio idrico integrato"),
    ("09", "05", "Aree protette, parchi naturali, protezione naturalistica e forestazione"),
    ("09", "06", "Tutela e valorizzazione delle risorse idriche"),
    ("09", "07", "Sviluppo sostenibile territorio montano piccoli Comuni"),
    ("09", "08", "Qualità dell'aria e riduzione dell'inquinamento"),
    ("09", "09", "Politica regionale unitaria per lo sviluppo sostenibile e la tutela del territorio e l'ambiente (solo per le Regioni)"),
    ("10", "01", "Trasporto ferroviario"),
    ("10", "02", "Trasporto pubblico locale"),
    ("10", "03", "Trasporto per vie d'acqua"),
    ("10", "04", "Altre modalità di trasporto"),
    ("10", "05", "Viabilità e infrastrutture stradali"),
    ("10", "06", "Politica regionale unitaria per i trasporti e il diritto alla mobilità (solo per le Regioni)"),
    ("11", "01", "Sistema di protezione civile"),
    ("11", "02", "Interventi a seguito di calamità naturali"),
    ("11", "03", "Politica regionale unitaria per il soccorso e la protezione civile (solo per le Regioni)"),
    ("12", "01", "Interventi per l'infanzia e i minori e per asili nido"),
    ("12", "02", "Interventi per la disabilità"),
    ("12", "03", "Interventi per gli anziani"),
    ("12", "04", "Interventi per soggetti a rischio di esclusione sociale"),
    ("12", "05", "Interventi per le famiglie"),
    ("12", "06", "Interventi per il diritto alla casa"),
    ("12", "07", "Programmazione e governo della rete dei servizi sociosanitari e sociali"),
    ("12", "08", "Cooperazione e associazionismo"),
    ("12", "09", "Servizio necroscopico e cimiteriale"),
    ("12", "10", "Politica regionale unitaria per i diritti sociali e la famiglia (solo per le Regioni)"),
    ("13", "01", "Servizio sanitario regionale - finanziamento ordinario corrente per la garanzia dei LEA"),
    ("13", "02", "Servizio sanitario regionale - finanziamento aggiuntivo corrente per livelli di assistenza superiori ai LEA"),
    ("13", "03", "Servizio sanitario regionale - finanziamento aggiuntivo corrente per la copertura dello squilibrio di bilancio corrente"),
    ("13", "04", "Servizio sanitario regionale - ripiano di disavanzi sanitari relativi ad esercizi pregressi"),
    ("13", "05", "Servizio sanitario regionale - investimenti sanitari"),
    ("13", "06", "Servizio sanitario regionale - restituzione maggiori gettiti SSN"),
    ("13", "07", "Ulteriori spese in materia sanitaria"),
    ("13", "08", "Politica regionale unitaria per la tutela della salute (solo per le Regioni)"),
    ("14", "01", "Industria, PMI e Artigianato"),
    ("14", "02", "Commercio - reti distributive - tutela dei consumatori"),
    ("14", "03", "Ricerca e innovazione"),
    ("14", "04", "Reti e altri servizi di pubblica utilità"),
    ("14", "05", "Politica regionale unitaria per lo sviluppo economico e la competitività (solo per le Regioni)"),
    ("15", "01", "Servizi per lo sviluppo del mercato del lavoro"),
    ("15", "02", "Formazione professionale"),
    ("15", "03", "Sostegno all'occupazione"),
    ("15", "04", "Politica regionale unitaria per il lavoro e la formazione professionale (solo per le Regioni)"),
    ("16", "01", "Sviluppo del settore agricolo e del sistema agroalimentare"),
    ("16", "02", "Caccia e pesca"),
    ("16", "03", "Politica regionale unitaria per l'agricoltura, i sistemi agroalimentari, la caccia e la pesca (solo per le Regioni)"),
    ("17", "01", "Fonti energetiche"),
    ("17", "02", "Politica regionale unitaria per l'energia e la diversificazione delle fonti energetiche (solo per le Regioni)"),
    ("18", "01", "Relazioni finanziarie con le altre autonomie territoriali"),
    ("18", "02", "Politica regionale unitaria per le relazioni con le altre autonomie locali (solo per le Regioni)"),
    ("19", "01", "Relazioni internazionali e Cooperazione allo sviluppo"),
    ("19", "02", "Cooperazione territoriale (solo per le Regioni)"),
    ("20", "01", "Fondo di riserva"),
    ("20", "02", "Fondo crediti di dubbia esigibilità"),
    ("20", "03", "Altri fondi"),
    ("50", "01", "Quota interessi ammortamento mutui e prestiti obbligazionari"),
    ("50", "02", "Quota capitale ammortamento mutui e prestiti obbligazionari"),
    ("60", "01", "Restituzione anticipazioni di tesoreria"),
    ("99", "01", "Servizi per conto terzi - Partite di giro"),
    ("99", "02", "Anticipazioni per il finanziamento del sistema sanitario nazionale"),
];

/// A Missione or Programma code: two digits (`01`, `14`); `1` is read as `01`.
pub fn two_digits(s: &str) -> Result<String, crate::ProblemKind> {
    let t = s.trim();
    match t.parse::<u8>() {
        Ok(n) if t.len() <= 2 && n > 0 => Ok(format!("{n:02}")),
        _ => Err(crate::ProblemKind::BadFormat { value: t.into(), expected: crate::said!("un codice di due cifre (es. 01)") }),
    }
}

pub fn titolo(side: Side, n: u8) -> Option<&'static str> {
    let table = match side {
        Side::Spesa => TITOLI_SPESA,
        Side::Entrata => TITOLI_ENTRATA,
    };
    table.iter().find(|(t, _)| *t == n).map(|(_, name)| *name)
}

pub fn macroaggregato(titolo: u8, code: &str) -> Option<&'static str> {
    MACROAGGREGATI.iter().find(|(t, c, _)| *t == titolo && *c == code).map(|(_, _, name)| *name)
}

pub fn tipologia(titolo: u8, code: u16) -> Option<&'static str> {
    TIPOLOGIE.iter().find(|(t, c, _)| *t == titolo && *c == code).map(|(_, _, name)| *name)
}

pub fn missione(code: &str) -> Option<&'static str> {
    MISSIONI.iter().find(|(c, _)| *c == code).map(|(_, name)| *name)
}

pub fn programma(missione: &str, code: &str) -> Option<&'static str> {
    PROGRAMMI.iter().find(|(m, p, _)| *m == missione && *p == code).map(|(_, _, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_programma_belongs_to_a_missione_and_codes_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for (m, p, _) in PROGRAMMI {
            assert!(missione(m).is_some(), "{m}");
            assert!(seen.insert((m, p)), "{m}.{p}");
        }
        assert!(MISSIONI.iter().all(|(m, _)| PROGRAMMI.iter().any(|(pm, _, _)| pm == m)));
    }

    #[test]
    fn seed_names_are_found() {
        // Seed 004 prints these, in capitals.
        assert_eq!(programma("01", "11").map(str::to_uppercase).as_deref(), Some("ALTRI SERVIZI GENERALI"));
        assert_eq!(programma("14", "01").map(str::to_uppercase).as_deref(), Some("INDUSTRIA, PMI E ARTIGIANATO"));
        assert_eq!(missione("14"), Some("Sviluppo economico e competitività"));
        assert_eq!(macroaggregato(1, "03"), Some("Acquisto di beni e servizi"));
        assert_eq!(macroaggregato(1, "04"), Some("Trasferimenti correnti"));
        assert_eq!(titolo(Side::Spesa, 2), Some("Spese in conto capitale"));
        assert_eq!(tipologia(3, 300), Some("Interessi attivi"));
    }
}
