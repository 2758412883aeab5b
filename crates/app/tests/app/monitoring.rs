//! Who is late with their values, on Milan's calendar, on SQLite and PostgreSQL.

use chrono::NaiveDate;
use traguardi_app::{Actor, accounts::mail, org::import_people, plan::import_measurements, plan::import_plan, plan::monitoring, samples::demo};
use traguardi_docs::ReadOptions;
use traguardi_store::{Store, testing};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// A relay on a free port that accepts one message; returns its address and, once the message
/// is in, the conversation as the client wrote it.
fn fake_smtp() -> (String, std::sync::mpsc::Receiver<String>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("addr").to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else { return };
        let mut out = stream.try_clone().expect("clone");
        let mut lines = BufReader::new(stream);
        let mut talk = String::new();
        let _ = out.write_all(b"220 relay\r\n");
        let mut in_data = false;
        loop {
            let mut line = String::new();
            if lines.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            talk.push_str(&line);
            let reply: &[u8] = if in_data {
                if line != ".\r\n" {
                    continue;
                }
                in_data = false;
                b"250 ok\r\n"
            } else if line.starts_with("DATA") {
                in_data = true;
                b"354 go\r\n"
            } else if line.starts_with("QUIT") {
                let _ = out.write_all(b"221 bye\r\n");
                break;
            } else {
                b"250 ok\r\n"
            };
            let _ = out.write_all(reply);
        }
        let _ = tx.send(talk);
    });
    (address, rx)
}

async fn story(store: &Store) {
    let console = Actor::console();
    let (milano, _) = demo::load(store).await.expect("demo");
    let (calendar, due) = monitoring::calendar_of(store, &milano).await.expect("calendar");
    assert_eq!((calendar.patron, due), (Some((12, 7)), 15));

    // A half-yearly KPI of the AREA CRM in 2021.
    let plan = "dimensione,ambito,struttura,obiettivo,obiettivo_titolo,obiettivo_peso,kpi,kpi_nome,misura,verso,baseline,target,kpi_peso,periodicita\n\
                direzione,,CRM,CRM-2021-01,Contact center,1,CRM-2021-01-K1,Chiamate gestite,numero,crescente,,100000,1,semestrale\n";
    import_plan::import_plan(store, &console, &milano, 2021, plan.as_bytes(), ReadOptions::default(), false).await.expect("plan");

    // 30/06/2021 is due on 21/07/2021 (15 business days); nothing is late on that day.
    assert!(monitoring::late_values(store, &console, None, 2021, d("2021-07-21")).await.expect("late").is_empty());
    let late = monitoring::late_values(store, &console, None, 2021, d("2021-07-22")).await.expect("late");
    assert_eq!(late.len(), 1);
    assert_eq!((late[0].kpi.as_str(), late[0].period_end, late[0].due), ("CRM-2021-01-K1", d("2021-06-30"), d("2021-07-21")));
    assert_eq!((late[0].unit.as_deref(), late[0].owner.as_deref(), late[0].escalate_to.as_deref()), (Some("CRM"), None, None));
    // After 5 more business days (28/07) the director of SIAD is told as well.
    let late = monitoring::late_values(store, &console, None, 2021, d("2021-07-29")).await.expect("late");
    assert_eq!(late[0].escalate_to.as_deref(), Some("Dott. Francesco Castanò"));
    let (who, orphans) = monitoring::reminders(&late);
    assert_eq!(orphans, ["CRM"], "the AREA CRM has no responsible in 2021");
    assert_eq!(who.len(), 1);
    assert_eq!((who[0].to.as_str(), who[0].reason, who[0].values, who[0].units.clone()), ("Dott. Francesco Castanò", "superiore", 1, vec!["CRM".to_string()]));

    // Sending: an in-app notification and an e-mail through the ente's relay, once a day.
    let people = "matricola,titolo,nome,cognome,struttura,ruolo,categoria,email\nD022,Dott.,Francesco,Castanò,SIAD,direttore,DI,f.castano@example.org\n";
    import_people::import_people(store, &console, &milano, 2021, people.as_bytes(), ReadOptions::default(), false).await.expect("email");
    let (address, transcript) = fake_smtp();
    let cfg = mail::SmtpConfig { address, from: "traguardi@comune.example.org".into() };
    let sent = monitoring::send_reminders(store, &console, None, 2021, d("2021-07-29"), Some(&cfg)).await.expect("sent");
    assert_eq!((sent.notified, sent.emailed, sent.already, sent.orphans.clone()), (1, 1, 0, vec!["CRM".to_string()]));
    let talk = transcript.recv_timeout(std::time::Duration::from_secs(10)).expect("the relay was used");
    assert!(talk.contains("MAIL FROM:<traguardi@comune.example.org>\r\nRCPT TO:<f.castano@example.org>\r\nDATA\r\n"), "{talk}");
    assert!(talk.contains("Subject: Traguardi: valori da inserire\r\n"), "{talk}");
    assert!(talk.contains("1 valori del 2021 in ritardo nelle strutture CRM che dipendono da lei (scadenza dal 21/07/2021)."), "{talk}");
    let again = monitoring::send_reminders(store, &console, None, 2021, d("2021-07-29"), Some(&cfg)).await.expect("again");
    assert_eq!((again.notified, again.already), (0, 1), "once a day");
    // Without a relay, in-app only.
    let next_day = monitoring::send_reminders(store, &console, None, 2021, d("2021-07-30"), None).await.expect("in-app");
    assert_eq!((next_day.notified, next_day.emailed), (1, 0));
    let castano = {
        let mut conn = store.acquire().await.expect("conn");
        let p = traguardi_store::people::person_by_matricola(&mut conn, &milano.id, "D022").await.expect("read").expect("D022");
        traguardi_store::notifications::of_person(&mut conn, &milano.id, &p.id).await.expect("notifications")
    };
    assert_eq!(castano.len(), 2);
    assert_eq!((castano[1].emailed_to.as_deref(), castano[0].emailed_to.as_deref()), (Some("f.castano@example.org"), None));

    // A submitted value ends the reminder; the Direzioni's yearly KPIs are late only in 2022.
    let values = "kpi,data,valore,nota\nCRM-2021-01-K1,2021-06-30,48000,\n";
    import_measurements::import_measurements(store, &console, &milano, 2021, values.as_bytes(), ReadOptions::default(), false).await.expect("values");
    assert!(monitoring::late_values(store, &console, None, 2021, d("2021-08-10")).await.expect("late").is_empty());
    let january = monitoring::late_values(store, &console, None, 2021, d("2022-01-25")).await.expect("late");
    // 31/12/2021 is due on 24/01/2022: the 96 KPIs of the 2021 list, and the second half-year.
    assert!(january.iter().all(|l| l.due == d("2022-01-24")));
    assert_eq!(january.iter().find(|l| l.kpi == "DG-2021-01-K1").and_then(|l| l.owner.as_deref()), Some("Dott. Christian Malangone"));
    assert_eq!(january.len(), 96 + 1);
    let (who, _) = monitoring::reminders(&january);
    let dg = who.iter().find(|r| r.to == "Dott. Christian Malangone").expect("DG's director");
    assert_eq!((dg.reason, dg.values, dg.oldest_due), ("responsabile", 2, d("2022-01-24")));
}

#[tokio::test]
async fn late_values_on_every_backend() {
    for store in testing::all().await.expect("stores") {
        story(&store).await;
    }
}
