//! The NIV's documents of a cycle (art. 14 c.4 D.Lgs 150/2009): the validation of the
//! Relazione sulla Performance (lett. c: what was checked, the sample of values with its
//! outcome, the conclusion) and the yearly report on how the measurement and evaluation system
//! worked (lett. a). Drafts from the records, in the blocks of a prose document, for the NIV to
//! sign or edit: what the records do not say is written as to be filled, never invented.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use traguardi_domain::access::Right;
use traguardi_domain::act::citation;
use traguardi_domain::pay::premi::Allocation;
use traguardi_domain::pay::records::EvaluationRow;
use traguardi_domain::pay::relazione::RelazioneState;
use traguardi_domain::plan::round::number;
use traguardi_domain::plan::value_status::ValueStatus;
use traguardi_domain::said;
use traguardi_store::acts::Act;
use traguardi_store::niv::SampleRow;
use traguardi_store::pay::Relazione as Path;
use traguardi_store::plan::Measurement;

use super::relazione::Relazione;
use super::testo::Testo;
use super::{day, year_end};
use crate::cycle::niv::SampleItem;
use crate::{Actor, AppError, Store};

/// Everything the two documents read.
pub struct Records {
    pub relazione: Relazione,
    /// The Relazione's path, when registered.
    pub path: Option<Path>,
    pub acts: Vec<Act>,
    /// The samples drawn, oldest first, each with its items.
    pub samples: Vec<(SampleRow, Vec<SampleItem>)>,
    /// The cycle's values with the code of their KPI.
    pub measurements: Vec<(String, Measurement)>,
    pub evaluations: Vec<EvaluationRow>,
    pub approved: Option<Allocation>,
}

async fn records(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32) -> Result<Records, AppError> {
    actor.require(Right::DrawSample, said!("leggere i documenti del NIV"))?;
    let relazione = super::relazione::build(store, actor, ente_code, year).await?;
    let mut conn = store.acquire().await?;
    let ente = crate::org::enti::resolve(&mut conn, ente_code).await?;
    let cycle = crate::cycle::cycles::get(&mut conn, &ente, year).await?;
    let (e, c) = (&ente.id, &cycle.id);
    let codes: HashMap<traguardi_domain::ids::KpiId, String> =
        traguardi_store::plan::kpis(&mut conn, e, c).await?.into_iter().map(|k| (k.id, k.code)).collect();
    let measurements =
        traguardi_store::plan::measurements(&mut conn, e, c).await?.into_iter().filter_map(|m| codes.get(&m.kpi_id).map(|code| (code.clone(), m))).collect();
    Ok(Records {
        relazione,
        path: traguardi_store::pay::relazione(&mut conn, e, c).await?,
        acts: traguardi_store::acts::list(&mut conn, e).await?,
        samples: traguardi_store::niv::samples(&mut conn, e, c)
            .await?
            .into_iter()
            .map(|s| {
                let items = serde_json::from_str(&s.items).unwrap_or_default();
                (s, items)
            })
            .collect(),
        measurements,
        evaluations: traguardi_store::pay::evaluations(&mut conn, e, c).await?,
        approved: crate::pay::payouts::approved_allocation(&mut conn, &ente, c).await?.map(|(_, a)| a),
    })
}

/// The validation of the Relazione of `year`.
pub async fn validazione(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32) -> Result<Testo, AppError> {
    Ok(validazione_of(&records(store, actor, ente_code, year).await?))
}

/// The report on how the system worked in `year`.
pub async fn funzionamento(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32) -> Result<Testo, AppError> {
    Ok(funzionamento_of(&records(store, actor, ente_code, year).await?))
}

/// What became of a sampled value: still the approved one, returned, or replaced since.
fn outcome(item: &SampleItem, measurements: &[(String, Measurement)]) -> &'static str {
    let same = |code: &String, m: &Measurement| *code == item.kpi && m.period_end == item.period_end;
    let newer = measurements.iter().any(|(code, m)| same(code, m) && m.version > item.version);
    match measurements.iter().find(|(code, m)| same(code, m) && m.version == item.version).map(|(_, m)| m.status) {
        _ if newer => "sostituito da una versione successiva",
        Some(ValueStatus::Approved) => "confermato",
        Some(ValueStatus::Returned) => "restituito per correzione",
        Some(_) => "in revisione",
        None => "non più presente",
    }
}

/// The act that approved the Relazione, as cited, when registered.
fn approving_act(r: &Records) -> Option<String> {
    let code = r.path.as_ref()?.act_code.as_deref()?;
    Some(match r.acts.iter().find(|a| a.code == code) {
        Some(a) => citation(&a.organ, &a.number, a.adopted_on),
        None => code.to_string(),
    })
}

pub fn validazione_of(r: &Records) -> Testo {
    let rel = &r.relazione;
    let year = rel.anno;
    let path = r.path.as_ref();
    let date = path.and_then(|p| p.validated_on.or(p.approved_on)).unwrap_or_else(|| year_end(year));
    let mut t = Testo::new(&rel.ente, format!("Validazione della Relazione sulla Performance {year}"), date);
    t.push("intestazione", rel.ente.to_uppercase());
    t.push("intestazione", "NUCLEO INDIPENDENTE DI VALUTAZIONE");
    t.push("titolo", format!("Documento di validazione della Relazione sulla Performance {year}"));
    t.push(
        "paragrafo",
        format!(
            "Il Nucleo Indipendente di Valutazione, ai sensi dell'art. 14 c.4 lett. c) e c.6 del D.Lgs 150/2009, ha esaminato la Relazione sulla Performance {year}{}.",
            match approving_act(r) {
                Some(act) => format!(", approvata dalla Giunta con {act}"),
                None => ", non ancora approvata dalla Giunta".into(),
            }
        ),
    );

    t.push("sezione", "Verifiche svolte");
    let kpis: usize = rel.obiettivi.iter().map(|o| o.kpi.len()).sum();
    t.push(
        "punto",
        format!(
            "la coerenza della Relazione con il Piano degli Obiettivi {year}: {} obiettivi e {kpis} indicatori, ciascuno con target, valore a consuntivo, grado di raggiungimento e scostamento;",
            rel.obiettivi.len()
        ),
    );
    t.push(
        "punto",
        format!(
            "il risultato complessivo dell'ente, {}, e gli indici ROE, ROD e ROS ({} indici) calcolati dai valori approvati;",
            rel.risultato,
            rel.indici.len()
        ),
    );
    t.push(
        "punto",
        match rel.rimodulazioni.len() {
            0 => "le rimodulazioni: nessuna nel corso dell'anno;".to_string(),
            n => format!("le rimodulazioni: {n}, ciascuna con il valore originario, quello rimodulato, il motivo e l'atto;"),
        },
    );
    t.push(
        "punto",
        match rel.non_valutabili.len() {
            0 => "gli elementi non valutabili: nessuno;".to_string(),
            n => format!("gli elementi non valutabili: {n}, ciascuno con la motivazione;"),
        },
    );
    t.push("punto", format!("gli indicatori con l'ultimo valore approvato anteriore alla fine dell'anno: {};", rel.non_aggiornati));
    t.push("punto", "l'attendibilità dei dati, su un campione di valori approvati con le evidenze documentali, riportato di seguito.");

    t.push("sezione", "Campione verificato");
    let mut returned = 0;
    match r.samples.last() {
        None => t.push("paragrafo", format!("[nessun campione di valori estratto per il {year}: estrarlo prima di concludere la validazione]")),
        Some((s, items)) => {
            let drawn_on = s.created_at.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).map_or_else(|| s.created_at.clone(), day);
            t.push(
                "paragrafo",
                format!(
                    "Campione estratto il {drawn_on} da {}: il {}% dei {} valori approvati, {} valori, con il seme {} (dallo stesso seme si ripete la stessa estrazione){}.",
                    s.created_by,
                    s.percent.replace('.', ","),
                    s.population,
                    items.len(),
                    s.seed,
                    if r.samples.len() > 1 { format!("; è l'ultima di {} estrazioni", r.samples.len()) } else { String::new() }
                ),
            );
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            let rows = items
                .iter()
                .map(|i| {
                    let o = outcome(i, &r.measurements);
                    *counts.entry(o).or_default() += 1;
                    vec![
                        i.kpi.clone(),
                        i.objective.clone(),
                        day(i.period_end),
                        i.version.to_string(),
                        i.value.clone(),
                        i.evidence.len().to_string(),
                        o.to_string(),
                    ]
                })
                .collect();
            t.table(&["KPI", "Obiettivo", "Periodo", "Versione", "Valore", "Evidenze", "Esito"], rows, "Nessun valore approvato da estrarre.");
            returned = items.len() - counts.get("confermato").copied().unwrap_or_default();
            let summary: Vec<String> = counts.iter().map(|(o, n)| format!("{o}: {n}")).collect();
            if !summary.is_empty() {
                t.push("paragrafo", format!("Esiti del campione — {}.", summary.join("; ")));
            }
        }
    }

    t.push("sezione", "Conclusione");
    t.push(
        "paragrafo",
        match path {
            Some(p) if p.state >= RelazioneState::Validata => format!(
                "Il Nucleo Indipendente di Valutazione VALIDA la Relazione sulla Performance {year}{}.",
                p.validated_on.map(|d| format!(" (validazione registrata il {})", day(d))).unwrap_or_default()
            ),
            Some(p) if p.state == RelazioneState::Approvata && returned == 0 && !r.samples.is_empty() => format!(
                "Sulla base delle verifiche svolte, il Nucleo Indipendente di Valutazione valida la Relazione sulla Performance {year}. [da firmare e registrare]"
            ),
            Some(p) if p.state == RelazioneState::Approvata => format!(
                "[{returned} valori del campione non sono confermati: la validazione della Relazione {year} segue la loro correzione o la motivazione del Nucleo]"
            ),
            _ => format!("[la Relazione sulla Performance {year} non è ancora approvata dalla Giunta: la validazione segue l'approvazione]"),
        },
    );
    t.push("paragrafo", "La validazione della Relazione è condizione inderogabile per l'accesso agli strumenti premiali (art. 14 c.6 D.Lgs 150/2009).");
    t.push("firma", "IL NUCLEO INDIPENDENTE DI VALUTAZIONE");
    if let Some(who) = path.and_then(|p| p.validated_by.as_deref()) {
        t.push("firma", who);
    }
    t
}

pub fn funzionamento_of(r: &Records) -> Testo {
    let rel = &r.relazione;
    let year = rel.anno;
    let path = r.path.as_ref();
    let date = path.and_then(|p| p.validated_on).unwrap_or_else(|| year_end(year));
    let mut t = Testo::new(&rel.ente, format!("Relazione sul funzionamento del sistema di valutazione {year}"), date);
    t.push("intestazione", rel.ente.to_uppercase());
    t.push("intestazione", "NUCLEO INDIPENDENTE DI VALUTAZIONE");
    t.push(
        "titolo",
        format!("Relazione sul funzionamento complessivo del sistema di valutazione, trasparenza e integrità dei controlli interni · anno {year}"),
    );
    t.push("paragrafo", "Redatta ai sensi dell'art. 14 c.4 lett. a) del D.Lgs 150/2009, dai dati del ciclo della performance registrati dall'ente.");

    // The cycle's steps, as its acts and the Relazione's path record them.
    t.push("sezione", "Il ciclo della performance");
    let cited: Vec<&Act> = r.acts.iter().filter(|a| (year - 1..=year + 1).contains(&chrono::Datelike::year(&a.adopted_on))).collect();
    let rows = cited.iter().map(|a| vec![day(a.adopted_on), citation(&a.organ, &a.number, a.adopted_on), a.subject.clone()]).collect();
    t.table(&["Data", "Atto", "Oggetto"], rows, &format!("[nessun atto del ciclo {year} registrato]"));
    t.push(
        "paragrafo",
        match path {
            None => format!("La Relazione sulla Performance {year} non è ancora approvata."),
            Some(p) => {
                let step = |what: &str, d: Option<NaiveDate>| d.map(|d| format!("{what} il {}", day(d)));
                let steps: Vec<String> =
                    [step("approvata", p.approved_on), step("validata", p.validated_on), step("pubblicata", p.published_on)].into_iter().flatten().collect();
                format!("La Relazione sulla Performance {year} è stata {}.", steps.join(", "))
            }
        },
    );

    t.push("sezione", "Performance organizzativa");
    let kpis: usize = rel.obiettivi.iter().map(|o| o.kpi.len()).sum();
    t.push("punto", format!("obiettivi di primo livello: {}; indicatori: {kpis}; risultato complessivo dell'ente: {};", rel.obiettivi.len(), rel.risultato));
    // The documents are in Italian: each status by its Italian name.
    let by_status: Vec<(ValueStatus, usize)> =
        ValueStatus::ALL.into_iter().map(|s| (s, r.measurements.iter().filter(|(_, m)| m.status == s).count())).filter(|(_, n)| *n > 0).collect();
    let statuses: Vec<String> = by_status.iter().map(|(s, n)| format!("{}: {n}", s.said())).collect();
    t.push(
        "punto",
        format!("valori registrati nell'anno: {} ({});", r.measurements.len(), if statuses.is_empty() { "nessuno".into() } else { statuses.join(", ") }),
    );
    t.push("punto", format!("indicatori con l'ultimo valore approvato anteriore alla fine dell'anno: {};", rel.non_aggiornati));
    t.push("punto", format!("rimodulazioni in corso d'anno: {}; elementi non valutabili: {};", rel.rimodulazioni.len(), rel.non_valutabili.len()));
    let drawn: usize = r.samples.iter().map(|(_, items)| items.len()).sum();
    t.push("punto", format!("campioni di valori verificati dal Nucleo: estrazioni {}, valori estratti {drawn}.", r.samples.len()));

    t.push("sezione", "Performance individuale");
    let n = r.evaluations.len();
    let count = |f: &dyn Fn(&EvaluationRow) -> bool| r.evaluations.iter().filter(|e| f(e)).count();
    let interviews = count(&|e| e.interview_start.is_some() && e.interview_mid.is_some() && e.interview_final.is_some());
    let signed = count(&|e| e.signed_on.is_some() && e.contested_on.is_none());
    let contested = count(&|e| e.contested_on.is_some());
    let conciliated = count(&|e| e.contested_on.is_some() && e.conciliation.is_some());
    t.push("punto", format!("schede di valutazione registrate: {n}; con i tre colloqui (iniziale, intermedio, finale): {interviews};"));
    t.push("punto", format!("schede firmate per presa visione: {signed}; contestate: {contested}, di cui concluse con la conciliazione: {conciliated};"));
    match &r.approved {
        None => t.push("punto", format!("nessuna distribuzione dei premi approvata per il {year}.")),
        Some(a) => {
            t.push(
                "punto",
                format!(
                    "distribuzione approvata: {} persone, premi pagati {} € (performance organizzativa {} €, individuale {} €), maggiorazione per la differenziazione a {} persone;",
                    a.persone.len(),
                    a.total(),
                    a.pagato_organizzativa,
                    a.pagato_individuale,
                    a.teste_maggiorazione
                ),
            );
            t.push("paragrafo", "Distribuzione dei punteggi individuali (differenziazione, art. 9 D.Lgs 150/2009):");
            t.table(&["Punteggio individuale", "Persone"], bands(a), "Nessun punteggio individuale nella distribuzione.");
        }
    }

    t.push("sezione", "Trasparenza");
    t.push(
        "punto",
        match path.and_then(|p| p.published_on) {
            Some(d) => format!("la Relazione sulla Performance {year} è pubblicata in Amministrazione trasparente dal {};", day(d)),
            None => format!("la Relazione sulla Performance {year} non è ancora pubblicata in Amministrazione trasparente;"),
        },
    );
    t.push(
        "punto",
        if r.approved.is_some() {
            "i dati dei premi (art. 20 D.Lgs 33/2013) sono pubblicati con la distribuzione approvata."
        } else {
            "i dati dei premi (art. 20 D.Lgs 33/2013) saranno pubblicati con la distribuzione approvata."
        },
    );

    t.push("sezione", "Punti di attenzione");
    let mut notes = Vec::new();
    if rel.non_aggiornati > 0 {
        notes.push(format!("indicatori senza un valore approvato alla fine dell'anno: {}; sollecitare i responsabili della misurazione;", rel.non_aggiornati));
    }
    if contested > conciliated {
        notes.push(format!("contestazioni in attesa dell'esito della conciliazione: {};", contested - conciliated));
    }
    if n > interviews {
        notes.push(format!("schede senza tutti e tre i colloqui registrati: {};", n - interviews));
    }
    if r.samples.is_empty() {
        notes.push("nessun campione di valori è stato verificato: estrarlo prima della validazione;".into());
    }
    if notes.is_empty() {
        t.push("paragrafo", "Dai dati registrati non emergono criticità nel funzionamento del sistema.");
    }
    for note in notes {
        t.push("punto", note);
    }
    t.push("firma", "IL NUCLEO INDIPENDENTE DI VALUTAZIONE");
    t
}

/// How many people fall in each band of individual score, from the top.
fn bands(a: &Allocation) -> Vec<Vec<String>> {
    let hundred = Decimal::ONE_HUNDRED;
    let edges = [Decimal::from(90), Decimal::from(80), Decimal::from(60), Decimal::ZERO];
    let mut rows = Vec::new();
    let mut upper = hundred;
    for low in edges {
        let n = a.persone.iter().filter_map(|p| p.punteggio_individuale).filter(|s| *s >= low && (*s < upper || upper == hundred)).count();
        rows.push(vec![format!("da {} a {}", number(low), if upper == hundred { "100".into() } else { format!("meno di {}", number(upper)) }), n.to_string()]);
        upper = low;
    }
    let none = a.persone.iter().filter(|p| p.punteggio_individuale.is_none()).count();
    if none > 0 {
        rows.push(vec!["senza punteggio".into(), none.to_string()]);
    }
    rows
}
