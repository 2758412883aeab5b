//! E-mail through the ente's SMTP relay (plain SMTP, as internal relays of public
//! administrations accept from their application servers; no authentication). Configured by
//! `TRAGUARDI_SMTP=smtp://HOST:PORT` and `TRAGUARDI_SMTP_FROM=ADDRESS`, read at start with the
//! other settings (`crate::settings`); without them nothing is e-mailed and reminders stay in-app.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    /// `HOST:PORT`
    pub address: String,
    pub from: String,
}

/// A message: recipient, subject (ASCII), body (UTF-8 text).
pub struct Message<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

fn expect(reader: &mut impl BufRead, code: &str, step: &str) -> Result<(), String> {
    // Multi-line replies repeat the code with '-' until the last line, which has a space.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).map_err(|e| format!("{step}: {e}"))? == 0 {
            return Err(format!("{step}: connessione chiusa dal server"));
        }
        if !line.starts_with(code) {
            return Err(format!("{step}: il server risponde «{}»", line.trim_end()));
        }
        if line.as_bytes().get(3) != Some(&b'-') {
            return Ok(());
        }
    }
}

/// Sends one message (blocking; call it off the async runtime).
pub fn send(config: &SmtpConfig, m: &Message<'_>) -> Result<(), String> {
    if [m.to, &config.from].iter().any(|a| !a.contains('@') || a.contains(['\r', '\n', '<', '>'])) || m.subject.contains(['\r', '\n']) {
        return Err(format!("indirizzo o oggetto non valido: «{}»", m.to));
    }
    let stream = TcpStream::connect(&config.address).map_err(|e| format!("connessione a {}: {e}", config.address))?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream);
    let mut say = |line: &str| writer.write_all(format!("{line}\r\n").as_bytes()).map_err(|e| format!("invio: {e}"));
    expect(&mut reader, "220", "saluto")?;
    say("HELO traguardi")?;
    expect(&mut reader, "250", "HELO")?;
    say(&format!("MAIL FROM:<{}>", config.from))?;
    expect(&mut reader, "250", "MAIL FROM")?;
    say(&format!("RCPT TO:<{}>", m.to))?;
    expect(&mut reader, "250", "RCPT TO")?;
    say("DATA")?;
    expect(&mut reader, "354", "DATA")?;
    let mut data = format!(
        "From: <{}>\r\nTo: <{}>\r\nSubject: {}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
        config.from, m.to, m.subject
    );
    for line in m.body.lines() {
        // Dot-stuffing: a line starting with '.' gets one more.
        if line.starts_with('.') {
            data.push('.');
        }
        data.push_str(line);
        data.push_str("\r\n");
    }
    data.push('.');
    say(&data)?;
    expect(&mut reader, "250", "fine del messaggio")?;
    say("QUIT")?;
    Ok(())
}
