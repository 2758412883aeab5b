//! The draft Giunta deliberation that approves the Piano or the Relazione, in the structure of
//! Milan's acts (seeds 000 and 003): the scheda di sintesi (proposal, subject, accounting
//! effects, immediate execution), the premesse citing the cycle's registered acts by number and
//! date, the methodology and the NIV, what the document holds, the pareri of art. 49 TUEL, the
//! dispositivo and the publication. A draft for the Segreteria to edit: what the data do not
//! say (a parere not yet given) is written as to be filled, never invented.

use chrono::{Datelike, NaiveDate};
use traguardi_domain::act::citation;
use traguardi_store::acts::Act;

use super::day;
pub use super::testo::Testo;
use crate::documents::{piano::Piano, relazione::Relazione};
use crate::{Actor, AppError, Store};

/// What the deliberation approves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Oggetto {
    Piano,
    Relazione,
}

impl Oggetto {
    pub fn parse(s: &str) -> Option<Oggetto> {
        match s {
            "piano" => Some(Oggetto::Piano),
            "relazione" => Some(Oggetto::Relazione),
            _ => None,
        }
    }
}

/// The draft deliberation approving `oggetto` for the cycle of `year`.
pub async fn build(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32, oggetto: Oggetto) -> Result<Testo, AppError> {
    let piano = crate::documents::piano::build(store, actor, ente_code, year).await?;
    let relazione = match oggetto {
        Oggetto::Relazione => Some(crate::documents::relazione::build(store, actor, ente_code, year).await?),
        Oggetto::Piano => None,
    };
    let acts = {
        let mut conn = store.acquire().await?;
        let ente = crate::org::enti::resolve(&mut conn, ente_code).await?;
        traguardi_store::acts::list(&mut conn, &ente.id).await?
    };
    Ok(of(&piano, relazione.as_ref(), &acts))
}

/// The draft from what is already read (pure).
pub fn of(piano: &Piano, relazione: Option<&Relazione>, acts: &[Act]) -> Testo {
    let year = piano.anno;
    let (last, subject) = match relazione {
        None => (
            year,
            format!("Approvazione del Piano degli Obiettivi {}–{} (Piano Integrato di Attività e Organizzazione, sezione 2.2 Performance)", year, year + 2),
        ),
        Some(_) => (year + 1, format!("Approvazione della Relazione sulla Performance e del consuntivo del Piano degli Obiettivi per l'anno {year}")),
    };
    // The act this draft becomes, when already registered: its proposal number and pareri.
    let own: Option<&Act> = match relazione {
        None => piano.approvato_con.first().and_then(|c| acts.iter().find(|a| c.starts_with(&a.code))),
        Some(r) => r.validazione.atto.as_deref().and_then(|c| acts.iter().find(|a| a.code == c)),
    };
    let date = own.map_or_else(|| NaiveDate::from_ymd_opt(last, 1, 1).unwrap_or_default(), |a| a.adopted_on);
    let short = match relazione {
        None => format!("Piano degli Obiettivi {}–{}", year, year + 2),
        Some(_) => format!("Relazione sulla Performance {year}"),
    };
    let mut t = Testo::new(&piano.ente, format!("Proposta di deliberazione · {short}"), date);

    // Scheda di sintesi.
    t.push("intestazione", t.ente.to_uppercase());
    t.push(
        "intestazione",
        match own.and_then(|a| a.proposal.as_deref()) {
            Some(p) => format!("SCHEDA DI SINTESI PROPOSTA N. {p}"),
            None => "SCHEDA DI SINTESI DELLA PROPOSTA DI DELIBERAZIONE DELLA GIUNTA COMUNALE".into(),
        },
    );
    t.push("titolo", format!("OGGETTO: {subject}. Immediatamente eseguibile"));
    t.push("riquadro", "IL PRESENTE PROVVEDIMENTO NON HA RIFLESSI CONTABILI");
    t.push("riquadro", "IMMEDIATAMENTE ESEGUIBILE");
    t.push("paragrafo", "Proponente: Direzione Generale.");

    // Premesse: the cycle's registered acts, oldest first.
    t.push("sezione", "La Giunta Comunale");
    t.push("sezione", "Premesso che:");
    let window = |a: &&Act| (year - 1..=last).contains(&a.adopted_on.year()) && own.is_none_or(|o| o.code != a.code);
    let cited: Vec<&Act> = acts.iter().filter(window).collect();
    if cited.is_empty() {
        t.push("punto", format!("[nessun atto del ciclo {year} registrato: citare il DUP, il Bilancio di previsione, il PEG e il PIAO];"));
    }
    for a in &cited {
        t.push("punto", format!("con {} è stato approvato l'atto: «{}»;", citation(&a.organ, &a.number, a.adopted_on), a.subject));
    }
    let methodology = acts.iter().find(|a| {
        let s = a.subject.to_lowercase();
        s.contains("metodologia") || s.contains("sistema di misurazione")
    });
    t.push(
        "punto",
        match methodology {
            Some(a) => format!(
                "la metodologia di misurazione e valutazione della performance è stata approvata con {} («{}»); per il personale dirigente si applica il sistema valutativo dei contratti integrativi della dirigenza;",
                citation(&a.organ, &a.number, a.adopted_on),
                a.subject
            ),
            None => "la misurazione e la valutazione della performance seguono il Sistema di Misurazione e Valutazione della Performance dell'ente e, per il personale dirigente, i contratti integrativi della dirigenza;".into(),
        },
    );

    // What the document holds.
    t.push("sezione", "Considerato che:");
    let objectives = piano.dimensioni.iter().map(|d| d.obiettivi.len()).sum::<usize>() + piano.strutture.iter().map(|s| s.obiettivi.len()).sum::<usize>();
    let kpis: usize = piano.dimensioni.iter().flat_map(|d| &d.obiettivi).chain(piano.strutture.iter().flat_map(|s| &s.obiettivi)).map(|o| o.kpi.len()).sum();
    let dims: Vec<&str> = piano.dimensioni.iter().map(|d| d.nome.as_str()).collect();
    match relazione {
        None => {
            t.push(
                "punto",
                format!(
                    "il Piano degli Obiettivi {}–{} comprende {objectives} obiettivi e {kpis} indicatori, articolati nelle dimensioni: {}; gli obiettivi di {} strutture (il Segretario Generale e le Direzioni) sono indicati con i loro indicatori, i target dei tre anni, i pesi e il collegamento al DUP;",
                    year,
                    year + 2,
                    dims.join(", "),
                    piano.strutture.len()
                ),
            );
            t.push("punto", "il Piano costituisce la sezione 2.2 Performance del Piano Integrato di Attività e Organizzazione (art. 6 D.L. 80/2021);");
        }
        Some(r) => {
            t.push(
                "punto",
                format!(
                    "la Relazione sulla Performance {year} illustra i risultati raggiunti nell'anno: il grado di raggiungimento complessivo degli obiettivi dell'ente è {}, su {objectives} obiettivi e {kpis} indicatori;",
                    r.risultato
                ),
            );
            if let Some(roe) = r.indici.iter().find(|i| i.tipo == "ROE") {
                t.push("punto", format!("l'indice di risultato organizzativo dell'ente (ROE) è {}, e gli indici ROD e ROS di ciascuna Direzione e struttura sono riportati nella Relazione;", roe.testo));
            }
            t.push(
                "punto",
                match (&r.validazione.validata_il, &r.validazione.validata_da) {
                    (Some(d), who) => format!(
                        "il Nucleo Indipendente di Valutazione ha validato la Relazione il {d}{} (art. 14 c.4 lett. c D.Lgs 150/2009);",
                        who.as_deref().map(|w| format!(" ({w})")).unwrap_or_default()
                    ),
                    (None, _) => "la Relazione, una volta approvata dalla Giunta, sarà trasmessa al Nucleo Indipendente di Valutazione per la validazione (art. 14 c.4 lett. c D.Lgs 150/2009);".into(),
                },
            );
            t.push("punto", "sulla base degli esiti della valutazione, previa validazione del NIV, si procederà alla corresponsione dei premi di produttività del personale e della retribuzione di risultato dei dirigenti;");
        }
    }
    t.push("sezione", "Visti:");
    for v in [
        "il D.Lgs 27 ottobre 2009, n. 150, e in particolare gli artt. 10 e 14;",
        "l'art. 6 del D.L. 9 giugno 2021, n. 80 (Piano Integrato di Attività e Organizzazione);",
        "il D.Lgs 18 agosto 2000, n. 267 (TUEL), e in particolare gli artt. 48, 49 e 134;",
        "il D.Lgs 14 marzo 2013, n. 33, e in particolare gli artt. 10 e 20;",
    ] {
        t.push("punto", v);
    }

    // Pareri of art. 49 TUEL: those registered with the act, or to be given.
    t.push("sezione", "Pareri (art. 49 D.Lgs 267/2000)");
    for (kind, label) in [
        ("regolarita_tecnica", "parere di regolarità tecnica"),
        ("regolarita_contabile", "parere di regolarità contabile"),
        ("legittimita", "parere di legittimità del Segretario Generale"),
    ] {
        let given = own.and_then(|a| a.opinions.iter().find(|o| o.kind == kind));
        t.push(
            "punto",
            match given {
                Some(o) => format!(
                    "{label}: {}{}{};",
                    o.outcome.replace('_', " "),
                    if o.given_by.is_empty() { String::new() } else { format!(", {}", o.given_by) },
                    o.given_on.map(|d| format!(", {}", day(d))).unwrap_or_default()
                ),
                None => format!("{label}: [da acquisire];"),
            },
        );
    }

    // Dispositivo.
    t.push("sezione", "Delibera");
    let items: Vec<String> = match relazione {
        None => vec![
            format!("di approvare il Piano degli Obiettivi {}–{}, allegato quale parte integrante e sostanziale del presente provvedimento;", year, year + 2),
            "di dare atto che il presente provvedimento non comporta riflessi contabili;".into(),
            "di pubblicare il Piano in Amministrazione trasparente, sezione Performance (art. 10 c.8 lett. b D.Lgs 33/2013);".into(),
            "di dichiarare il presente provvedimento immediatamente eseguibile ai sensi dell'art. 134 c.4 D.Lgs 267/2000.".into(),
        ],
        Some(_) => vec![
            format!(
                "di approvare la Relazione sulla Performance {year} e il consuntivo del Piano degli Obiettivi {year}, allegati quale parte integrante e sostanziale del presente provvedimento;"
            ),
            "di trasmettere la Relazione al Nucleo Indipendente di Valutazione per la validazione (art. 14 c.4 lett. c D.Lgs 150/2009);".into(),
            "di dare atto che il presente provvedimento non comporta riflessi contabili;".into(),
            "di pubblicare la Relazione, una volta validata, in Amministrazione trasparente, sezione Performance (art. 10 c.8 lett. b D.Lgs 33/2013);".into(),
            "di dichiarare il presente provvedimento immediatamente eseguibile ai sensi dell'art. 134 c.4 D.Lgs 267/2000.".into(),
        ],
    };
    for (i, item) in items.iter().enumerate() {
        t.push("paragrafo", format!("{}. {item}", i + 1));
    }
    t.push("paragrafo", "Il presente provvedimento è pubblicato all'Albo Pretorio per quindici giorni consecutivi (art. 124 D.Lgs 267/2000).");
    t.push("firma", "IL DIRETTORE GENERALE");
    t.push("firma", "L'ASSESSORE COMPETENTE");
    t
}
