//! `traguardi user`, `traguardi ente` and `traguardi audit`: accounts, roles, tokens, enti and
//! the audit trail of what they did.

use std::path::PathBuf;
use traguardi_domain::said;

use anyhow::Result;
use traguardi_app::accounts::audit;
use traguardi_app::{Actor, AppError, Store, org::enti};
use traguardi_domain::ente::{EnteCode, EnteKind, NewEnte};
use traguardi_domain::value::parse_yes_no;
use traguardi_domain::{Lang, Problem};

use crate::commands::{resolve, write_report};
use crate::{Format, say};
use clap::Subcommand;

#[derive(Subcommand)]
pub(crate) enum UserAction {
    /// Add an account; the password is read from TRAGUARDI_PASSWORD or the first line of stdin
    Add {
        username: String,
        #[arg(long)]
        nome: String,
    },
    /// Change an account's password (TRAGUARDI_PASSWORD or stdin)
    Passwd { username: String },
    /// Grant a role: amministratore, pianificatore, direttore, dirigente, po_eq, dipendente, niv, segretario, ragioneria
    Role {
        username: String,
        #[arg(long)]
        ruolo: String,
        #[arg(long)]
        ente: Option<String>,
        /// For direttore, dirigente and po_eq: the unit (and everything below it)
        #[arg(long)]
        struttura: Option<String>,
    },
    /// Create an API token acting as the account, with its roles (`Authorization: Bearer TOKEN`); printed once
    Token {
        username: String,
        /// What the token is for, e.g. the integration's name
        #[arg(long)]
        nome: String,
    },
    /// List API tokens (never their secret), of every account or of one
    Tokens { username: Option<String> },
    /// Revoke an API token by its id (from `user tokens`)
    RevocaToken { id: String },
    /// Link an account to the person it is (by matricola): its holder then sees their own evaluation and premium
    Persona {
        username: String,
        #[arg(long)]
        matricola: String,
        #[arg(long)]
        ente: Option<String>,
    },
}

#[derive(Subcommand)]
pub(crate) enum EnteAction {
    /// Add an ente
    Add {
        /// ISTAT code, 6 digits
        #[arg(long)]
        codice: String,
        #[arg(long)]
        nome: String,
        /// comune | citta_metropolitana | unione
        #[arg(long, default_value = "comune")]
        tipo: String,
        /// Number of employees
        #[arg(long)]
        dipendenti: i64,
        /// Whether the ente has dirigenti (si | no)
        #[arg(long, default_value = "si")]
        dirigenti: String,
        #[arg(long)]
        codice_fiscale: Option<String>,
    },
    /// List the enti
    List,
    /// The ente's calendar: patron saint's day and business days to enter monitoring values
    Calendar {
        #[arg(long)]
        ente: Option<String>,
        /// MM-GG, e.g. 12-07 (Sant'Ambrogio)
        #[arg(long)]
        patrono: Option<String>,
        #[arg(long, default_value = "15")]
        giorni_scadenza: u32,
    },
}

/// The password from TRAGUARDI_PASSWORD, or the first line of standard input (never an argument,
/// which other users of the machine could read).
pub(crate) fn password() -> Result<String> {
    if let Ok(p) = std::env::var("TRAGUARDI_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub(crate) async fn ente(store: &Store, action: EnteAction) -> Result<()> {
    let l = say::lang();
    match action {
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
    }
    Ok(())
}

pub(crate) async fn user(store: &Store, action: UserAction) -> Result<()> {
    let l = say::lang();
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

    Ok(())
}

/// `audit`: the trail, or the check of its chain.
#[derive(clap::Args)]
pub(crate) struct AuditArgs {
    #[arg(long)]
    ente: Option<String>,
    /// Only the changes of this cycle
    #[arg(long)]
    cycle: Option<i32>,
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    #[arg(long)]
    out: Option<PathBuf>,
    /// Check the chain of hashes instead of printing it; fails if a record was altered or removed.
    /// Prints the chain's head (SEQ:HASH), to be kept elsewhere
    #[arg(long)]
    verify: bool,
    /// With --verify: a head kept earlier (SEQ:HASH); fails if the trail no longer reaches it
    #[arg(long, requires = "verify")]
    head: Option<String>,
}

pub(crate) async fn audit(store: &Store, a: AuditArgs) -> Result<()> {
    let t = audit::trail(store, &Actor::console(), a.ente.as_deref(), a.cycle).await?;
    if !a.verify {
        return write_report(a.format, a.out.as_deref(), || t.sheet(), || &t.records);
    }
    let n = t.verified.clone().map_err(AppError::Refused)?;
    if let Some(kept) = a.head {
        let (seq, hash) = audit::parse_head(&kept)?;
        if !t.reaches(seq, &hash) {
            return Err(AppError::Refused(said!(
                "il registro di audit non raggiunge la testa {seq}:{hash}: record alterati o rimossi dopo di essa",
                seq,
                hash
            ))
            .into());
        }
    }
    let l = say::lang();
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
    Ok(())
}
