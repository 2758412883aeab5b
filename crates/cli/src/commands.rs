//! The commands: each opens the store, resolves ente and cycle, calls one use case and prints.

use std::io::Write;
use traguardi_app::settings::Settings;
use traguardi_domain::said;

use anyhow::{Context, Result};
use chrono::Datelike;
use traguardi_app::budget::commissioni::{self, Scope};
use traguardi_app::{
    Actor, AppError, Store, budget::import_mapped, budget::import_pdc, budget::import_peg, cycle::cycles, cycle::import_acts, org::enti, org::import_org,
    org::import_people, plan::import_dimensions, plan::import_dup, plan::import_measurements, plan::import_plan, plan::plan_ops, plan::scores, samples::demo,
};
use traguardi_docs::ReadOptions;
use traguardi_docs::export::{to_csv, to_xlsx};
use traguardi_domain::ente::{EnteCode, EnteKind, NewEnte};
use traguardi_domain::plan::workflow::{STATES, State};
use traguardi_domain::value::{NumberStyle, parse_yes_no};
use traguardi_domain::{Lang, Problem};
use traguardi_web::AppState;

use crate::{
    Cli, Command, CycleAction, Decimals, DocFormat, EnteAction, Format, ImportArgs, ImportKind, MeasurementAction, PayoutKind, PlanAction, ReportKind,
    UserAction, say,
};

pub async fn run(cli: Cli) -> Result<()> {
    // Calculators read a file and need no database.
    if let Command::Payout { what: what @ PayoutKind::Dirigenti { .. } } = cli.command {
        return payout(what).await;
    }
    let store = Store::connect(&cli.database_url).await?;
    let result = dispatch(&store, cli.command).await;
    store.close().await;
    result
}

async fn dispatch(store: &Store, command: Command) -> Result<()> {
    let l = say::lang();
    match command {
        Command::Payout { what } => crate::premi::run(store, what).await?,
        Command::Relazione { at, stato, atto, data, nota } => {
            crate::premi::relazione(store, at, &stato, atto.as_deref(), data.as_deref(), nota.as_deref()).await?
        }
        Command::Niv { action: crate::NivAction::Campione { ente, cycle, percentuale, seme, format, out } } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let pct = NumberStyle::typed(&percentuale)
                .and_then(|style| traguardi_domain::value::parse_percent(&percentuale, style))
                .map_err(|k| AppError::Invalid(Problem { row: None, column: Some("--percentuale".into()), kind: k }.into()))?;
            let s = traguardi_app::cycle::niv::sample(store, &Actor::console(), &ente, cycle, pct, seme).await?;
            eprintln!(
                "campione NIV {cycle}: {} misurazioni su {} approvate (seme {}: --seme {} estrae lo stesso campione)",
                s.items.len(),
                s.population,
                s.seed,
                s.seed
            );
            write_report(format, out.as_deref(), || s.sheet(), || &s)?;
        }
        Command::Correzione { ente, cycle, oggetto, originale, corretto, motivo, atto } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let r = traguardi_app::cycle::close::CorrectionRequest {
                subject: &oggetto,
                before: &originale,
                after: &corretto,
                reason: &motivo,
                act: atto.as_deref(),
            };
            let c = traguardi_app::cycle::close::correct(store, &Actor::console(), &ente, cycle, r).await?;
            out!("correzione registrata sul ciclo {cycle} (istantanea {}): {} «{}» → «{}»", &c.snapshot_hash[..12], c.subject, c.before, c.after);
        }
        Command::Correzioni { ente, cycle, format, out } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let list = traguardi_app::cycle::close::corrections(store, &Actor::console(), &ente, cycle).await?;
            write_report(format, out.as_deref(), || traguardi_app::cycle::close::corrections_sheet(&list), || &list)?;
        }
        Command::Migrate => {
            store.migrate().await?;
            out!("{}", l.pick("schema del database aggiornato", "database schema up to date"));
        }
        Command::Serve { bind } => {
            store.migrate().await?;
            serve(store, &bind, None).await?;
        }
        Command::Backup { out, ente } => crate::operations::backup(store, &out, ente.as_deref()).await?,
        Command::Restore { file } => crate::operations::restore(store, &file).await?,
        Command::Ricalcola { ente, tutti: _ } => crate::operations::recompute(store, ente.as_deref()).await?,
        Command::Metropoli => {
            store.migrate().await?;
            traguardi_app::samples::metropoli::store(store).await?;
            out!("metropoli (ente 099999, ciclo {}) scritta nel database", traguardi_app::samples::metropoli::YEAR);
        }
        Command::Demo { bind, no_serve } => {
            store.migrate().await?;
            let (ente, report) = demo::load(store).await?;
            let what = match (report.created, l) {
                (true, Lang::It) => "caricato",
                (true, Lang::En) => "loaded",
                (false, Lang::It) => "già presente",
                (false, Lang::En) => "already present",
            };
            out!("{} ({}): {what}", ente.name, ente.code);
            if !no_serve {
                serve(store, &bind, Some(&ente.code.to_string())).await?;
            }
        }
        Command::Import { what } => match what {
            ImportKind::Org(args) => {
                let (ente, year, bytes) = prepare(store, &args).await?;
                let r = import_org::import_org(store, &Actor::console(), &ente, year, &bytes, read_options(args.decimali), args.dry_run).await?;
                out!("{}", say::org_report(&r));
            }
            ImportKind::People(args) => {
                let (ente, year, bytes) = prepare(store, &args).await?;
                let r = import_people::import_people(store, &Actor::console(), &ente, year, &bytes, read_options(args.decimali), args.dry_run).await?;
                out!("{}", say::people_report(&r));
            }
            ImportKind::Plan(args) => {
                let (ente, year, bytes) = prepare(store, &args).await?;
                let r = import_plan::import_plan(store, &Actor::console(), &ente, year, &bytes, read_options(args.decimali), args.dry_run).await?;
                out!("{}", say::plan_report(&r));
            }
            ImportKind::Measurements(args) => {
                let (ente, year, bytes) = prepare(store, &args).await?;
                let r =
                    import_measurements::import_measurements(store, &Actor::console(), &ente, year, &bytes, read_options(args.decimali), args.dry_run).await?;
                out!("{}", say::measurements_report(&r));
            }
            ImportKind::Dup(args) => {
                let ente = resolve(store, args.ente.as_deref()).await?;
                let r = import_dup::import_dup(store, &Actor::console(), &ente, &read_file(&args.file)?, read_options(args.decimali), args.dry_run).await?;
                out!("{}", say::dup_report(&r));
            }
            ImportKind::Dimensioni(args) => {
                let ente = resolve(store, args.ente.as_deref()).await?;
                let bytes = read_file(&args.file)?;
                let r = import_dimensions::import_dimensions(store, &Actor::console(), &ente, &bytes, read_options(args.decimali), args.dry_run).await?;
                out!("{}", say::dimensions_report(&r, args.dry_run));
            }
            ImportKind::Atti(args) => {
                let ente = resolve(store, args.ente.as_deref()).await?;
                let c = import_acts::import_acts(store, &Actor::console(), &ente, &read_file(&args.file)?, read_options(args.decimali), args.dry_run).await?;
                match l {
                    Lang::It => out!("atti: {} nuovi, {} aggiornati, {} invariati", c.created.len(), c.updated.len(), c.unchanged),
                    Lang::En => out!("acts: {} new, {} updated, {} unchanged", c.created.len(), c.updated.len(), c.unchanged),
                }
                if args.dry_run {
                    out!("{}", l.pick("prova (--dry-run): nulla è stato scritto", "trial (--dry-run): nothing was written"));
                }
            }
            ImportKind::Fondo { args, fondo, limite, certificato_da, certificato_il } => {
                crate::premi::import_fund(store, &args, &fondo, limite.as_deref(), certificato_da, certificato_il.as_deref()).await?;
            }
            ImportKind::Valutazioni(args) => crate::premi::import_evaluations(store, &args).await?,
            ImportKind::Assenze(args) => crate::premi::import_absences(store, &args).await?,
            ImportKind::Posizioni(args) => crate::premi::import_positions(store, &args).await?,
            ImportKind::Pdc(args) => {
                let ente = resolve(store, args.ente.as_deref()).await?;
                let r = import_pdc::import_pdc(store, &Actor::console(), &ente, &read_file(&args.file)?, read_options(args.decimali), args.dry_run).await?;
                out!("{}", say::pdc_report(&r));
            }
            ImportKind::Bilancio { args, mappa, anno } => {
                let ente = resolve(store, args.ente.as_deref()).await?;
                let mut mapping = import_mapped::load_mapping(&mappa)?;
                mapping.anno = mapping.anno.or(anno);
                let bytes = read_file(&args.file)?;
                let r = import_mapped::import_mapped(store, &Actor::console(), &ente, &mapping, &bytes, read_options(args.decimali), args.dry_run).await?;
                out!("{}", say::mapped_report(&r));
            }
            ImportKind::Peg(args) => {
                let ente = resolve(store, args.ente.as_deref()).await?;
                let r = import_peg::import_peg(store, &Actor::console(), &ente, &read_file(&args.file)?, read_options(args.decimali), args.dry_run).await?;
                out!("{}", say::peg_report(&r));
            }
        },
        Command::Plan { action } => plan_command(store, action).await?,
        Command::Measurement { action } => measurement_command(store, action).await?,
        Command::Audit { ente, cycle, format, out, verify, head } => {
            let t = traguardi_app::accounts::audit::trail(store, &Actor::console(), ente.as_deref(), cycle).await?;
            if verify {
                let n = t.verified.clone().map_err(AppError::Refused)?;
                if let Some(kept) = head {
                    let (seq, hash) = traguardi_app::accounts::audit::parse_head(&kept)?;
                    if !t.reaches(seq, &hash) {
                        return Err(AppError::Refused(said!(
                            "il registro di audit non raggiunge la testa {seq}:{hash}: record alterati o rimossi dopo di essa",
                            seq,
                            hash
                        ))
                        .into());
                    }
                }
                match l {
                    Lang::It => out!("registro di audit integro: {n} record verificati"),
                    Lang::En => out!("audit trail intact: {n} records verified"),
                }
                if let Some((seq, hash)) = &t.head {
                    match l {
                        Lang::It => out!("testa della catena (da conservare altrove): {seq}:{hash}"),
                        Lang::En => out!("head of the chain (keep it elsewhere): {seq}:{hash}"),
                    }
                }
                return Ok(());
            }
            write_report(format, out.as_deref(), || t.sheet(), || &t.records)?;
        }
        Command::Remind { ente, cycle, oggi, dry_run } => {
            let today = parse_day(oggi.as_deref())?;
            if !dry_run {
                let smtp = Settings::from_env().map_err(|e| anyhow::anyhow!(e.describe(say::lang())))?.smtp;
                let s = traguardi_app::plan::monitoring::send_reminders(store, &Actor::console(), ente.as_deref(), cycle, today, smtp.as_ref()).await?;
                out!("solleciti: {} notifiche nell'applicazione, {} anche per e-mail, {} già inviati oggi", s.notified, s.emailed, s.already);
                if smtp.is_none() {
                    out!("e-mail non configurata (TRAGUARDI_SMTP): solo notifiche nell'applicazione");
                }
                for p in &s.without_email {
                    out!("{p}: nessun indirizzo e-mail, solo notifica nell'applicazione");
                }
                for f in &s.failed {
                    out!("e-mail non inviata a {f}");
                }
                for u in &s.orphans {
                    out!("{u}: valori in ritardo ma nessun responsabile indicato");
                }
                return Ok(());
            }
            let late = traguardi_app::plan::monitoring::late_values(store, &Actor::console(), ente.as_deref(), cycle, today).await?;
            let (who, orphans) = traguardi_app::plan::monitoring::reminders(&late);
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
                out!(
                    "{}",
                    match l {
                        Lang::It => format!("{u}: valori in ritardo ma nessun responsabile indicato"),
                        Lang::En => format!("{u}: late values but no responsible person"),
                    }
                );
            }
            if who.is_empty() {
                out!("{}", l.pick("nessun sollecito da inviare", "no reminder to send"));
            }
        }
        Command::Explain { code, ente, cycle } => {
            let s = scores::load(store, &Actor::console(), ente.as_deref(), cycle).await?;
            let lines = s
                .explain(&code)
                .ok_or_else(|| AppError::NotFound(said!("nessun obiettivo, KPI o struttura con codice {code} nel ciclo {cycle}", code, cycle)))?;
            for line in lines {
                out!("{line}");
            }
        }
        Command::Close { ente, cycle, verify, force, reason } => {
            let ente = resolve(store, ente.as_deref()).await?;
            if verify {
                let hash = traguardi_app::cycle::close::verify(store, &Actor::console(), &ente, cycle).await?;
                match l {
                    Lang::It => out!("ciclo {cycle}: istantanea integra, SHA-256 {hash}"),
                    Lang::En => out!("cycle {cycle}: snapshot intact, SHA-256 {hash}"),
                }
            } else {
                let reason = if force { reason.as_deref() } else { None };
                let r = traguardi_app::cycle::close::close(store, &Actor::console(), &ente, cycle, reason).await?;
                match l {
                    Lang::It => out!("ciclo {cycle} chiuso: SHA-256 {}", r.hash),
                    Lang::En => out!("cycle {cycle} closed: SHA-256 {}", r.hash),
                }
                if let Some((seq, hash)) = &r.audit_head {
                    match l {
                        Lang::It => out!("testa del registro di audit alla chiusura: {seq}:{hash}"),
                        Lang::En => out!("audit trail head at the close: {seq}:{hash}"),
                    }
                }
                if r.forced {
                    match l {
                        Lang::It => out!("chiusura forzata con {} obiettivi non validati dal NIV; motivo nel registro di audit", r.not_validated),
                        Lang::En => out!("close forced with {} objectives not validated by the NIV; reason in the audit trail", r.not_validated),
                    }
                }
            }
        }
        Command::Report { what } => match what {
            ReportKind::Commissioni { ente, cycle, direzione, cdr, format, out } => {
                let ente = resolve(store, ente.as_deref()).await?;
                let scope = match (direzione, cdr) {
                    (Some(d), _) => Scope::Direzione(d),
                    (None, Some(c)) => Scope::Cdr(c),
                    (None, None) => unreachable!("clap requires --direzione or --cdr"),
                };
                let report = commissioni::build(store, &Actor::console(), &ente, cycle, &scope).await?;
                let format = match format {
                    DocFormat::Pdf => "pdf",
                    DocFormat::Xlsx => "xlsx",
                    DocFormat::Csv => "csv",
                    DocFormat::Json => "json",
                };
                let bytes = traguardi_web::documents::commissioni(&report, format)?.bytes;
                emit(&bytes, out.as_deref())?;
            }
            ReportKind::Ritardi { ente, cycle, oggi, format, out } => {
                let today = parse_day(oggi.as_deref())?;
                let late = traguardi_app::plan::monitoring::late_values(store, &Actor::console(), ente.as_deref(), cycle, today).await?;
                let sheet = traguardi_docs::export::Sheet {
                    name: "ritardi".into(),
                    header: ["kpi", "nome", "periodo", "scadenza", "struttura", "responsabile", "sollecito_a"].map(String::from).to_vec(),
                    rows: late
                        .iter()
                        .map(|l| {
                            vec![
                                l.kpi.clone(),
                                l.kpi_name.clone(),
                                l.period_end.to_string(),
                                l.due.to_string(),
                                l.unit.clone().unwrap_or_default(),
                                l.owner.clone().unwrap_or_default(),
                                l.escalate_to.clone().unwrap_or_default(),
                            ]
                        })
                        .collect(),
                };
                write_report(format, out.as_deref(), || sheet, || &late)?;
            }
            ReportKind::Scores { ente, cycle, format, out } => {
                let scores = scores::load(store, &Actor::console(), ente.as_deref(), cycle).await?;
                write_report(format, out.as_deref(), || scores.sheet(), || scores.rows())?;
            }
        },
        Command::Cycle { action } => match action {
            CycleAction::Open { year, ente } => {
                let ente = resolve(store, ente.as_deref()).await?;
                let r = cycles::open(store, &Actor::console(), &ente, year).await?;
                match l {
                    Lang::It => out!("ciclo {} aperto da {}: {} strutture e {} incarichi copiati", r.year, r.from_year, r.units, r.assignments),
                    Lang::En => out!("cycle {} opened from {}: {} units and {} assignments copied", r.year, r.from_year, r.units, r.assignments),
                }
            }
            CycleAction::RemoveUnit { code, year, ente } => {
                let ente = resolve(store, ente.as_deref()).await?;
                let u = cycles::remove_unit(store, &Actor::console(), &ente, year, &code).await?;
                match l {
                    Lang::It => out!("struttura {} «{}» tolta dal {year}", u.code, u.name),
                    Lang::En => out!("unit {} «{}» removed from {year}", u.code, u.name),
                }
            }
            CycleAction::List { ente } => {
                let ente = resolve(store, ente.as_deref()).await?;
                let mut conn = store.pool.acquire().await?;
                for c in traguardi_store::cycle::list(&mut conn, &ente.id).await? {
                    out!("{}", c.calendar.label());
                }
            }
        },
        Command::User { action } => {
            let actor = Actor::console();
            match action {
                UserAction::Add { username, nome } => {
                    let a = traguardi_app::accounts::users::add_user(store, &actor, &username, &nome, &password()?).await?;
                    out!("{}: {}", a.username, l.pick("utente creato", "account created"));
                }
                UserAction::Passwd { username } => {
                    traguardi_app::accounts::users::set_password(store, &actor, &username, &password()?).await?;
                    out!("{username}: {}", l.pick("password cambiata", "password changed"));
                }
                UserAction::Token { username, nome } => {
                    let t = traguardi_app::accounts::users::add_token(store, &actor, &username, &nome).await?;
                    out!("{}", t.token);
                    eprintln!(
                        "{username}: {} {} ({})",
                        l.pick("token creato, id", "token created, id"),
                        t.id,
                        l.pick("conservarlo ora: non sarà più mostrato", "keep it now: it will not be shown again")
                    );
                }
                UserAction::Tokens { username } => {
                    let list = traguardi_app::accounts::users::tokens(store, &actor, username.as_deref()).await?;
                    for t in &list {
                        let state = match &t.revoked_at {
                            Some(at) => format!("{} {at}", l.pick("revocato il", "revoked on")),
                            None => format!("{} {}", l.pick("ultimo uso", "last used"), t.last_used_at.as_deref().unwrap_or("-")),
                        };
                        out!("{}\t{}\t{}\t{}\t{state}", t.id, t.username, t.name, t.created_at);
                    }
                }
                UserAction::RevocaToken { id } => {
                    let t = traguardi_app::accounts::users::revoke_token(store, &actor, &id).await?;
                    out!("{}: {} {}", t.id, l.pick("revocato il", "revoked on"), t.revoked_at.unwrap_or_default());
                }
                UserAction::Persona { username, matricola, ente } => {
                    traguardi_app::accounts::users::link_person(store, &actor, &username, ente.as_deref(), &matricola).await?;
                    out!("{username}: {} {matricola}", l.pick("collegato alla persona", "linked to person"));
                }
                UserAction::Role { username, ruolo, ente, struttura } => {
                    traguardi_app::accounts::users::grant_role(store, &actor, &username, ente.as_deref(), &ruolo, struttura.as_deref()).await?;
                    out!("{username}: {} {ruolo}", l.pick("ruolo assegnato", "role granted"));
                }
            }
        }
        Command::Ente { action } => match action {
            EnteAction::Add { codice, nome, tipo, dipendenti, dirigenti, codice_fiscale } => {
                let field = |col: &str, k| AppError::Invalid(Problem { row: None, column: Some(col.into()), kind: k }.into());
                let new = NewEnte {
                    code: EnteCode::parse(&codice).map_err(|k| field("--codice", k))?,
                    name: nome.trim().to_string(),
                    codice_fiscale,
                    kind: EnteKind::parse(&tipo).map_err(|k| field("--tipo", k))?,
                    staff_size: dipendenti,
                    has_dirigenti: parse_yes_no(&dirigenti).map_err(|k| field("--dirigenti", k))?,
                };
                store.migrate().await?;
                let e = enti::create(store, &Actor::console(), &new).await?;
                out!("{} ({})", e.name, e.code);
            }
            EnteAction::Calendar { ente, patrono, giorni_scadenza } => {
                let ente = resolve(store, ente.as_deref()).await?;
                let patron = match patrono.as_deref() {
                    None | Some("") => None,
                    Some(p) => {
                        let parsed = p.split_once('-').and_then(|(m, d)| Some((m.parse::<u32>().ok()?, d.parse::<u32>().ok()?)));
                        Some(parsed.ok_or_else(|| AppError::Refused(said!("patrono «{p}» non valido: usare MM-GG, es. 12-07", p)))?)
                    }
                };
                traguardi_app::plan::monitoring::set_calendar(store, &Actor::console(), &ente, patron, giorni_scadenza).await?;
                out!("{}: {}", ente.code, l.pick("calendario aggiornato", "calendar updated"));
            }
            EnteAction::List => {
                for e in enti::list(store).await? {
                    out!("{}\t{}\t{}\t{}", e.code, e.name, e.kind.code(), e.staff_size);
                }
            }
        },
    }
    Ok(())
}

async fn plan_command(store: &Store, action: PlanAction) -> Result<()> {
    let l = say::lang();
    let actor = Actor::console();
    match action {
        PlanAction::Regole { ente, cycle, file } => match file {
            Some(f) => {
                let text = String::from_utf8(read_file(&f)?).map_err(|_| anyhow::anyhow!("{}: il file delle regole non è UTF-8", f.display()))?;
                let r = traguardi_app::plan::cycle_rules::set_scoring(store, &Actor::console(), ente.as_deref(), cycle, &text).await?;
                out!("regole del punteggio {cycle}: versione {}{}", r.version, if r.changed { "" } else { " (invariate)" });
            }
            None => {
                let s = scores::load(store, &Actor::console(), ente.as_deref(), cycle).await?;
                print!("{}", s.rules.to_text());
            }
        },
        PlanAction::Stato { ente, cycle, stato, objectives, atto, nota } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let to = State::parse(&stato).ok_or_else(|| {
                let all: Vec<&str> = STATES.iter().map(|s| s.code()).collect();
                AppError::Refused(said!("stato «{stato}» inesistente: {join}", stato, join = all.join(", ")))
            })?;
            let m = traguardi_app::cycle::workflow::Move { codes: &objectives, to, act: atto.as_deref(), note: nota.as_deref() };
            let r = traguardi_app::cycle::workflow::transition(store, &actor, &ente, cycle, m).await?;
            match l {
                Lang::It => out!("{} obiettivi passati a «{}»", r.objectives.len(), to.label()),
                Lang::En => out!("{} objectives moved to «{}»", r.objectives.len(), to.label()),
            }
        }
        PlanAction::Assign { ente, cycle, objectives, strutture, strutture_di, persone } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let to = match (strutture_di, persone.is_empty()) {
                (Some(u), _) => plan_ops::Assignees::UnitsUnder(u),
                (None, false) => plan_ops::Assignees::People(persone),
                (None, true) => plan_ops::Assignees::Units(strutture),
            };
            let c = plan_ops::assign(store, &actor, &ente, cycle, &objectives, &to).await?;
            match l {
                Lang::It => out!("assegnazione {cycle}: {} obiettivi creati, {} già presenti", c.created.len(), c.unchanged),
                Lang::En => out!("assignment {cycle}: {} objectives created, {} already present", c.created.len(), c.unchanged),
            }
        }
        PlanAction::Override { ente, cycle, objective, valore, motivazione } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let value = NumberStyle::typed(&valore)
                .and_then(|style| traguardi_domain::value::parse_percent(&valore, style))
                .map_err(|k| AppError::Invalid(Problem { row: None, column: Some("--valore".into()), kind: k }.into()))?;
            let a = plan_ops::adjust(store, &actor, &ente, cycle, &objective, plan_ops::Adjustment::Override { value, reason: motivazione }).await?;
            out!("{}: {}", a.code, l.pick("risultato sostituito", "score overridden"));
        }
        PlanAction::Rimodula { ente, cycle, objective, kpi, campo, valore, motivo, atto, dal } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let effective_on = traguardi_domain::value::parse_date(&dal)
                .map_err(|k| AppError::Invalid(Problem { row: None, column: Some("--dal".into()), kind: k }.into()))?;
            let request = traguardi_app::cycle::revisions::Request {
                objective: objective.as_deref(),
                kpi: kpi.as_deref(),
                field: &campo,
                value: valore.as_deref(),
                reason: &motivo,
                act: &atto,
                effective_on,
            };
            let r = traguardi_app::cycle::revisions::revise(store, &actor, &ente, cycle, request).await?;
            out!("{} {}: «{}» → «{}» ({atto})", r.code, r.field, r.before, r.after);
        }
        PlanAction::Rimodulazioni { ente, cycle, format, out } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let list = traguardi_app::cycle::revisions::of_cycle(store, &actor, &ente, cycle).await?;
            write_report(format, out.as_deref(), || traguardi_app::cycle::revisions::sheet(&list), || &list)?;
        }
        PlanAction::NotAssessable { ente, cycle, objective, motivazione } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let a = plan_ops::adjust(store, &actor, &ente, cycle, &objective, plan_ops::Adjustment::NotAssessable { reason: motivazione }).await?;
            out!("{}: {}", a.code, l.pick("non valutabile", "not assessable"));
        }
        PlanAction::Clear { ente, cycle, objective } => {
            let ente = resolve(store, ente.as_deref()).await?;
            let a = plan_ops::adjust(store, &actor, &ente, cycle, &objective, plan_ops::Adjustment::Clear).await?;
            out!("{}: {}", a.code, l.pick("risultato calcolato ripristinato", "computed score restored"));
        }
    }
    Ok(())
}

async fn measurement_command(store: &Store, action: MeasurementAction) -> Result<()> {
    use traguardi_app::plan::measurements::{self, Decision, Entry};
    let l = say::lang();
    let actor = Actor::console();
    let at = match &action {
        MeasurementAction::Enter { at, .. }
        | MeasurementAction::Submit { at }
        | MeasurementAction::Approve { at, .. }
        | MeasurementAction::Return { at, .. }
        | MeasurementAction::Attach { at, .. } => at,
    };
    let ente = resolve(store, at.ente.as_deref()).await?;
    let kpi = at.kpi.clone();
    let date =
        traguardi_domain::value::parse_date(&at.data).map_err(|k| AppError::Invalid(Problem { row: None, column: Some("--data".into()), kind: k }.into()))?;
    let m = match action {
        MeasurementAction::Enter { at, valore, nota, causa, non_valutabile, invia, versione } => {
            let entry = Entry {
                kpi: at.kpi,
                period_end: date,
                value: valore,
                note: nota,
                cause: causa,
                not_assessable: non_valutabile,
                submit: invia,
                based_on: versione,
            };
            measurements::enter(store, &actor, &ente, at.cycle, &entry).await?
        }
        MeasurementAction::Submit { at } => measurements::decide(store, &actor, &ente, value_at(&at, date), Decision::Submit, None).await?,
        MeasurementAction::Approve { at, nota } => measurements::decide(store, &actor, &ente, value_at(&at, date), Decision::Approve, nota.as_deref()).await?,
        MeasurementAction::Return { at, nota } => measurements::decide(store, &actor, &ente, value_at(&at, date), Decision::Return, nota.as_deref()).await?,
        MeasurementAction::Attach { at, file } => {
            let bytes = read_file(&file)?;
            let sha = measurements::attach_evidence(store, &actor, &ente, value_at(&at, date), &file.to_string_lossy(), &bytes).await?;
            out!("{}: {} (SHA-256 {sha})", at.kpi, l.pick("evidenza allegata", "evidence attached"));
            return Ok(());
        }
    };
    let status = m.status.said().describe(l);
    let date = traguardi_domain::cycle::format_date_it(m.period_end);
    match l {
        Lang::It => out!("{kpi} al {date}, versione {}: {status}", m.version),
        Lang::En => out!("{kpi} at {date}, version {}: {status}", m.version),
    }
    Ok(())
}

fn value_at(v: &crate::ValueRef, period_end: chrono::NaiveDate) -> traguardi_app::plan::measurements::At<'_> {
    traguardi_app::plan::measurements::At { year: v.cycle, kpi: &v.kpi, period_end }
}

async fn payout(what: PayoutKind) -> Result<()> {
    let PayoutKind::Dirigenti { input, contributi, irap, format, giorni_anno, out, decimali } = what else {
        anyhow::bail!("only the calculator runs without a database");
    };
    let pct = |flag: &str, v: &str| {
        NumberStyle::typed(v)
            .and_then(|style| traguardi_domain::value::parse_percent(v, style))
            .map_err(|k| AppError::Invalid(Problem { row: None, column: Some(flag.into()), kind: k }.into()))
    };
    let rules = traguardi_domain::pay::ResultPayRules {
        days_in_year: rust_decimal::Decimal::from(giorni_anno),
        contributions: pct("--contributi", &contributi)?,
        irap: pct("--irap", &irap)?,
    };
    let bytes = read_file(&input)?;
    let (_, lines) = traguardi_app::pay::payout::dirigenti_from_file(&bytes, read_options(decimali), &rules).await?;
    write_report(format, out.as_deref(), || traguardi_app::pay::payout::sheet(&lines), || &lines)
}

/// The password from TRAGUARDI_PASSWORD, or the first line of standard input (never an argument,
/// which other users of the machine could read).
fn password() -> Result<String> {
    if let Ok(p) = std::env::var("TRAGUARDI_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// `--oggi DATE`, or today.
pub(crate) fn parse_day(oggi: Option<&str>) -> Result<chrono::NaiveDate> {
    Ok(match oggi {
        Some(d) => {
            traguardi_domain::value::parse_date(d).map_err(|k| AppError::Invalid(Problem { row: None, column: Some("--oggi".into()), kind: k }.into()))?
        }
        None => chrono::Local::now().date_naive(),
    })
}

pub(crate) fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("{}: {}", say::lang().pick("file non leggibile", "cannot read file"), path.display()))
}

pub(crate) async fn resolve(store: &Store, code: Option<&str>) -> Result<traguardi_store::ente::Ente> {
    let mut conn = store.pool.acquire().await?;
    Ok(enti::resolve(&mut conn, code).await?)
}

/// The ente, the year (given, else the latest cycle, else the current year) and the file's bytes.
async fn prepare(store: &Store, args: &ImportArgs) -> Result<(traguardi_store::ente::Ente, i32, Vec<u8>)> {
    let bytes = read_file(&args.file)?;
    let ente = resolve(store, args.ente.as_deref()).await?;
    let year = match args.cycle {
        Some(y) => y,
        None => {
            let mut conn = store.pool.acquire().await?;
            match traguardi_store::cycle::list(&mut conn, &ente.id).await?.first() {
                Some(c) => c.year(),
                None => chrono::Local::now().year(),
            }
        }
    };
    Ok((ente, year, bytes))
}

/// A report in the chosen format: the table as CSV or XLSX, or the data as JSON. Each is built
/// only when asked for.
pub(crate) fn write_report<T: serde::Serialize>(
    format: Format,
    out: Option<&std::path::Path>,
    sheet: impl FnOnce() -> traguardi_docs::export::Sheet,
    data: impl FnOnce() -> T,
) -> Result<()> {
    let bytes = match format {
        Format::Csv => to_csv(&sheet())?,
        Format::Xlsx => to_xlsx(&sheet())?,
        Format::Json => {
            let mut v = serde_json::to_vec_pretty(&data())?;
            v.push(b'\n');
            v
        }
    };
    emit(&bytes, out)
}

/// Writes a report to FILE, or to standard output.
pub(crate) fn emit(bytes: &[u8], out: Option<&std::path::Path>) -> Result<()> {
    match out {
        Some(path) => {
            std::fs::write(path, bytes).with_context(|| format!("{} {}", say::lang().pick("impossibile scrivere", "cannot write"), path.display()))?
        }
        None => match std::io::stdout().write_all(bytes) {
            // The reader went away (e.g. `| head`): like any Unix tool, stop quietly.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other?,
        },
    }
    Ok(())
}

pub(crate) fn read_options(decimali: Option<Decimals>) -> ReadOptions {
    let decimals = decimali.map(|d| match d {
        Decimals::It => NumberStyle::It,
        Decimals::En => NumberStyle::En,
    });
    ReadOptions { decimals, ..ReadOptions::default() }
}

async fn serve(store: &Store, bind: &str, ente: Option<&str>) -> Result<()> {
    let l = say::lang();
    let settings = Settings::from_env().map_err(|e| anyhow::anyhow!(e.describe(l)))?;
    let state = AppState::with_settings(store.clone(), &settings);
    #[cfg(feature = "oidc")]
    let state = match traguardi_web::oidc::Config::from_env() {
        None => state,
        Some(Err(m)) => anyhow::bail!("OpenID Connect: {m}"),
        Some(Ok(config)) => tokio::task::spawn_blocking(move || state.with_oidc(config)).await?.map_err(|m| anyhow::anyhow!("OpenID Connect: {m}"))?,
    };
    traguardi_web::serve(state, bind, |addr| {
        let url = format!("http://{addr}/");
        let listening = l.pick("Traguardi è in ascolto", "Traguardi is listening");
        // A server keeps serving when nobody reads its standard output: write without panicking.
        let mut out = std::io::stdout().lock();
        let _ = match ente {
            Some(code) => writeln!(
                out,
                "{listening}: {url}enti/{code}\n{}",
                match l {
                    Lang::It => format!(
                        "Le pagine pubbliche si consultano senza credenziali. Accesso: {url}login con gli utenti {} (password «{}»). Ctrl-C per fermare.",
                        demo::ACCOUNTS.map(|a| a.0).join(", "),
                        demo::PASSWORD
                    ),
                    Lang::En => format!(
                        "Public pages need no credentials. Log in at {url}login as {} (password «{}»). Ctrl-C to stop.",
                        demo::ACCOUNTS.map(|a| a.0).join(", "),
                        demo::PASSWORD
                    ),
                }
            ),
            None => writeln!(out, "{listening}: {url}"),
        };
        let _ = out.flush();
    })
    .await
    .with_context(|| format!("{} {bind}", l.pick("impossibile ascoltare su", "cannot listen on")))?;
    Ok(())
}
