//! Following the year: `remind` (late values) and `explain` (how a score came to be).

use anyhow::Result;
use traguardi_app::plan::{monitoring, scores};
use traguardi_app::settings::Settings;
use traguardi_app::{Actor, AppError, Store};
use traguardi_domain::{Lang, said};

use crate::commands::parse_day;
use crate::say;

/// `remind`: who has late values, and the reminders sent to them.
#[derive(clap::Args)]
pub(crate) struct RemindArgs {
    #[arg(long)]
    ente: Option<String>,
    #[arg(long)]
    cycle: i32,
    /// The day to check (default: today)
    #[arg(long)]
    oggi: Option<String>,
    /// Print who would be reminded, send nothing
    #[arg(long)]
    dry_run: bool,
}

/// `explain`: the story of one score.
#[derive(clap::Args)]
pub(crate) struct ExplainArgs {
    /// Code of an objective, KPI or unit
    code: String,
    #[arg(long)]
    ente: Option<String>,
    #[arg(long)]
    cycle: i32,
}

pub(crate) async fn remind(store: &Store, a: RemindArgs) -> Result<()> {
    let today = parse_day(a.oggi.as_deref())?;
    if a.dry_run {
        let late = monitoring::late_values(store, &Actor::console(), a.ente.as_deref(), a.cycle, today).await?;
        print_reminders(&late);
        return Ok(());
    }
    let l = say::lang();
    let smtp = Settings::from_env().map_err(|e| anyhow::anyhow!(e.describe(l)))?.smtp;
    let s = monitoring::send_reminders(store, &Actor::console(), a.ente.as_deref(), a.cycle, today, smtp.as_ref()).await?;
    match l {
        Lang::It => out!("solleciti: {} notifiche nell'applicazione, {} anche per e-mail, {} già inviati oggi", s.notified, s.emailed, s.already),
        Lang::En => out!("reminders: {} in-app notifications, {} also by e-mail, {} already sent today", s.notified, s.emailed, s.already),
    }
    if smtp.is_none() {
        out!(
            "{}",
            l.pick(
                "e-mail non configurata (TRAGUARDI_SMTP): solo notifiche nell'applicazione",
                "e-mail not configured (TRAGUARDI_SMTP): in-app notifications only"
            )
        );
    }
    for p in &s.without_email {
        out!("{p}: {}", l.pick("nessun indirizzo e-mail, solo notifica nell'applicazione", "no e-mail address, in-app notification only"));
    }
    for f in &s.failed {
        out!("{} {f}", l.pick("e-mail non inviata a", "e-mail not sent to"));
    }
    for u in &s.orphans {
        out!("{u}: {}", orphan(l));
    }
    Ok(())
}

fn orphan(l: Lang) -> &'static str {
    l.pick("valori in ritardo ma nessun responsabile indicato", "late values but no responsible person")
}

/// `--dry-run`: who would be reminded, and of what.
fn print_reminders(late: &[monitoring::LateValue]) {
    let l = say::lang();
    let (who, orphans) = monitoring::reminders(late);
    for r in &who {
        let due = traguardi_domain::cycle::format_date_it(r.oldest_due);
        let units = r.units.join(", ");
        match (l, r.reason) {
            (Lang::It, "superiore") => {
                out!("{}: {} valori in ritardo delle strutture {units} (sollecito al superiore; scadenza dal {due})", r.to, r.values)
            }
            (Lang::It, _) => out!("{}: {} valori in ritardo ({units}; scadenza dal {due})", r.to, r.values),
            (Lang::En, "superiore") => out!("{}: {} late values of units {units} (escalated; due since {due})", r.to, r.values),
            (Lang::En, _) => out!("{}: {} late values ({units}; due since {due})", r.to, r.values),
        }
    }
    for u in orphans {
        out!("{u}: {}", orphan(l));
    }
    if who.is_empty() {
        out!("{}", l.pick("nessun sollecito da inviare", "no reminder to send"));
    }
}

pub(crate) async fn explain(store: &Store, a: ExplainArgs) -> Result<()> {
    let (code, cycle) = (&a.code, a.cycle);
    let s = scores::load(store, &Actor::console(), a.ente.as_deref(), cycle).await?;
    let lines =
        s.explain(code).ok_or_else(|| AppError::NotFound(said!("nessun obiettivo, KPI o struttura con codice {code} nel ciclo {cycle}", code, cycle)))?;
    for line in lines {
        out!("{line}");
    }
    Ok(())
}
