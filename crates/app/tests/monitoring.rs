//! Who is late with their values, on Milan's calendar, on SQLite and PostgreSQL.

use chrono::NaiveDate;
use traguardi_app::{Actor, demo, import_measurements, import_plan, monitoring};
use traguardi_docs::ReadOptions;
use traguardi_store::{Store, testing};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
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
