//! A person's evaluation form (scheda di valutazione) for a cycle: the behaviours with their
//! scores, the results, the three interviews, the sign-off or the contestation and its
//! conciliation, and, once a distribution is approved, the premium explained from the scores to
//! the euros. Printed for the evaluator, the administration, and the person themself.

use chrono::NaiveDate;
use traguardi_domain::pay::premi::Explained;
use traguardi_domain::pay::records::EvaluationRow;
use traguardi_domain::plan::round::{it, number};

use super::testo::Testo;
use super::{day, year_end};
use crate::pay::evaluations::{self, Form};
use crate::{Actor, AppError, Store, cycle::cycles, org::enti};

/// What the form reads besides the form itself.
pub struct Around {
    pub ente: String,
    pub year: i32,
    /// The unit's code and name.
    pub unit: String,
    pub evaluator: Option<String>,
    pub reviewer: Option<String>,
    /// The approved distribution's name and what the person gets in it.
    pub premium: Option<(String, Explained)>,
}

/// The form of `matricola` in `year`, as `actor` may read it: the people they evaluate (all of
/// them for an administrator), or their own.
pub async fn build(store: &Store, actor: &Actor, ente_code: Option<&str>, year: i32, matricola: &str) -> Result<Testo, AppError> {
    let form = evaluations::form_to_read(store, actor, ente_code, year, matricola).await?;
    let mut conn = store.acquire().await?;
    let ente = enti::resolve(&mut conn, ente_code).await?;
    let cycle = cycles::get(&mut conn, &ente, year).await?;
    let persons = traguardi_store::people::persons(&mut conn, &ente.id).await?;
    let name_of = |id: &Option<traguardi_domain::ids::PersonId>| id.as_deref().and_then(|id| persons.iter().find(|p| p.id == id)).map(|p| p.display_name());
    let evaluation = form.evaluee.evaluation.as_ref();
    let unit = traguardi_store::org::of_cycle(&mut conn, &ente.id, &cycle.id)
        .await?
        .into_iter()
        .find(|u| u.code == form.evaluee.unit)
        .map_or_else(|| form.evaluee.unit.clone(), |u| format!("{} {}", u.code, u.name));
    let premium = crate::pay::payouts::approved_allocation(&mut conn, &ente, &cycle.id).await?.and_then(|(s, a)| a.explained(matricola).map(|e| (s.name, e)));
    let around = Around {
        ente: ente.name.clone(),
        year,
        unit,
        evaluator: name_of(&evaluation.and_then(|e| e.evaluator_id.clone())),
        reviewer: name_of(&evaluation.and_then(|e| e.reviewer_id.clone())),
        premium,
    };
    Ok(of(&form, &around))
}

/// The form's date: its last event (signature, contestation, final interview), or the year's
/// last day, so that the same records print the same bytes.
fn date_of(e: Option<&EvaluationRow>, year: i32) -> NaiveDate {
    e.and_then(|e| [e.contested_on, e.signed_on, e.interview_final].into_iter().flatten().max()).unwrap_or_else(|| year_end(year))
}

/// The form from what is already read (pure).
pub fn of(form: &Form, around: &Around) -> Testo {
    let p = &form.evaluee;
    let e = p.evaluation.as_ref();
    let mut t = Testo::new(&around.ente, format!("Scheda di valutazione {} · {}", around.year, p.name), date_of(e, around.year));
    t.push("intestazione", around.ente.to_uppercase());
    t.push("intestazione", format!("SCHEDA DI VALUTAZIONE DELLA PERFORMANCE INDIVIDUALE · ANNO {}", around.year));
    t.push("titolo", format!("{} (matricola {})", p.name, p.matricola));
    t.push("paragrafo", format!("{} · struttura {}", p.category.label(), around.unit));
    let nobody = || "non indicato".to_string();
    t.push(
        "paragrafo",
        format!("Valutatore: {} · revisore: {}", around.evaluator.clone().unwrap_or_else(nobody), around.reviewer.clone().unwrap_or_else(nobody)),
    );

    t.push("sezione", "Comportamenti organizzativi");
    let rows = form.behaviours.iter().map(|(code, name, score)| vec![code.clone(), name.clone(), score.map_or_else(|| "—".into(), it)]).collect();
    let scale = format!("Punteggio (1–{})", number(form.scale));
    t.table(&["Codice", "Comportamento", &scale], rows, "Nessun comportamento previsto per la categoria della persona.");
    t.push(
        "paragrafo",
        match e.and_then(|e| e.behaviours) {
            Some(b) => format!("Punteggio dei comportamenti: {} su 100.", it(b)),
            None => "Punteggio dei comportamenti: non ancora attribuito.".into(),
        },
    );

    t.push("sezione", "Risultati");
    t.push(
        "paragrafo",
        match e.and_then(|e| e.results) {
            Some(r) => format!("Risultati degli obiettivi, attribuiti dal valutatore: {} su 100.", it(r)),
            None => "Risultati degli obiettivi: dal Piano, come media degli obiettivi assegnati alla persona o, senza obiettivi propri, dal ROS della sua struttura.".into(),
        },
    );
    let weight = form.results_weight;
    t.push(
        "paragrafo",
        format!(
            "Punteggio individuale = risultati × {}% + comportamenti × {}%; la valutazione è positiva dal punteggio minimo fissato dalle regole del ciclo.",
            number(weight),
            number(rust_decimal::Decimal::ONE_HUNDRED - weight)
        ),
    );

    t.push("sezione", "Colloqui");
    let when = |d: Option<NaiveDate>| d.map_or_else(|| "non registrato".into(), day);
    t.table(
        &["Colloquio", "Data"],
        vec![
            vec!["iniziale (assegnazione degli obiettivi)".into(), when(e.and_then(|e| e.interview_start))],
            vec!["intermedio (verifica dell'andamento)".into(), when(e.and_then(|e| e.interview_mid))],
            vec!["finale (valutazione)".into(), when(e.and_then(|e| e.interview_final))],
        ],
        "",
    );
    if let Some(note) = e.and_then(|e| e.note.as_deref()) {
        t.push("paragrafo", format!("Note del valutatore: {note}"));
    }

    t.push("sezione", "Presa visione");
    t.push("paragrafo", sign_off(e));

    t.push("sezione", "Premio");
    match &around.premium {
        Some((scenario, x)) => {
            t.push(
                "paragrafo",
                format!(
                    "Dalla distribuzione approvata «{scenario}»{}:",
                    x.punteggio.map(|s| format!(", con punteggio individuale {}", it(s))).unwrap_or_default()
                ),
            );
            let mut rows: Vec<Vec<String>> = x.voci.iter().map(|(voce, cents)| vec![voce.to_string(), cents.to_string()]).collect();
            rows.push(vec!["Totale".into(), x.totale.to_string()]);
            t.table(&["Voce", "Importo (€)"], rows, "");
            t.push("paragrafo", "Dal punteggio agli euro:");
            for line in &x.spiegazione {
                t.push("punto", line.clone());
            }
        }
        None => t.push("paragrafo", format!("Nessuna distribuzione dei premi approvata per il {}: l'importo sarà indicato dopo l'approvazione.", around.year)),
    }
    t.push("firma", "IL VALUTATORE");
    t.push("firma", "LA PERSONA VALUTATA, per presa visione");
    t
}

/// Where the form stands with the person: signed, contested and conciliated, or waiting.
fn sign_off(e: Option<&EvaluationRow>) -> String {
    let Some(e) = e else { return "Valutazione non ancora registrata.".into() };
    match (e.signed_on, e.contested_on, e.conciliation.as_deref()) {
        (_, Some(c), Some(outcome)) => format!(
            "Contestata dalla persona il {}; esito della conciliazione: valutazione {outcome}{}.",
            day(c),
            e.conciliated.map(|s| format!(", punteggio concordato {}", it(s))).unwrap_or_default()
        ),
        (_, Some(c), None) => format!("Contestata dalla persona il {}: in attesa dell'esito della conciliazione.", day(c)),
        (Some(s), None, _) => format!("Firmata dalla persona per presa visione il {}.", day(s)),
        (None, None, _) => "Non ancora firmata né contestata dalla persona.".into(),
    }
}
