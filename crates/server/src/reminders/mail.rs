//! The mail server settings and the reminder e-mail. The message says only that it is time for
//! the patient's exercises, which clinic sends it and where to sign in: an e-mail can be read by
//! anyone who sees the patient's inbox, so nothing about their health, programme or pain.

use std::time::SystemTime;

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
};
use time::OffsetDateTime;

/// Where reminders go out: an SMTP URL (`smtps://user:pass@host:465`,
/// `smtp://host:587?tls=required`, or `smtp://host:25` without TLS) and the From address.
#[derive(Clone)]
pub struct SmtpSettings {
    url: String,
    from: Mailbox,
}

/// Never prints the URL, which may hold the mail server's password.
impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings").field("from", &self.from.to_string()).finish_non_exhaustive()
    }
}

impl SmtpSettings {
    /// Checks both settings; the error says which is wrong and what is expected, without
    /// repeating the URL (it may hold a password).
    pub fn new(url: &str, from: &str) -> Result<SmtpSettings, String> {
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|_| {
            "the SMTP URL is not one of smtps://USER:PASSWORD@HOST:PORT, \
             smtp://HOST:PORT?tls=required or smtp://HOST:PORT"
                .to_owned()
        })?;
        let from = from.parse::<Mailbox>().map_err(|_| {
            format!(
                "{from:?} is not an e-mail address for the From line, like reminders@clinic.example"
            )
        })?;
        Ok(SmtpSettings { url: url.to_owned(), from })
    }
}

/// Sends reminder e-mails through the configured server.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The link in every message: the public URL's `/home`.
    link: String,
}

/// Why a message could not be sent, in words that carry no address or patient data (the mail
/// server's own message can name the recipient, so only its code is kept).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("the patient's e-mail address cannot be used")]
    Address,
    #[error("the mail server refused the message for good (code {0})")]
    Permanent(String),
    #[error("the mail server asked to try later (code {0})")]
    Transient(String),
    #[error("the mail server did not answer in time")]
    Timeout,
    #[error("could not reach the mail server")]
    Connection,
}

impl Mailer {
    pub fn new(smtp: &SmtpSettings, public_url: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&smtp.url)
            .map_err(|_| "the SMTP URL cannot be used".to_owned())?
            .build();
        let link = format!("{}/home", public_url.trim_end_matches('/'));
        Ok(Mailer { transport, from: smtp.from.clone(), link })
    }

    /// Sends the reminder to `to`, dated `now` (the server's clock, so a test's clock too).
    pub async fn send(&self, to: &str, clinic: &str, now: OffsetDateTime) -> Result<(), SendError> {
        let to = to.parse::<Mailbox>().map_err(|_| SendError::Address)?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(SUBJECT)
            .date(SystemTime::from(now))
            .header(ContentType::TEXT_PLAIN)
            .body(body(clinic, &self.link))
            .map_err(|_| SendError::Address)?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) => {
                let code = e.status().map(|c| c.to_string()).unwrap_or_default();
                Err(if e.is_permanent() {
                    SendError::Permanent(code)
                } else if e.is_transient() {
                    SendError::Transient(code)
                } else if e.is_timeout() {
                    SendError::Timeout
                } else {
                    SendError::Connection
                })
            }
        }
    }
}

/// The subject line.
pub const SUBJECT: &str = "Time for your exercises";

/// The message: plain words, short lines, the link on a line of its own.
fn body(clinic: &str, link: &str) -> String {
    format!(
        "Hello,\n\
         \n\
         It is time for your exercises.\n\
         \n\
         Sign in to see what to do today:\n\
         {link}\n\
         \n\
         This reminder comes from {clinic}, because you asked for one.\n\
         To change the days or the time, or to stop these e-mails,\n\
         sign in and open Reminders.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_and_never_print_the_password() {
        let s =
            SmtpSettings::new("smtps://user:s3cret@mail.example:465", "Clinic <r@clinic.example>")
                .unwrap();
        assert!(!format!("{s:?}").contains("s3cret"));
        assert!(SmtpSettings::new("smtp://127.0.0.1:2525", "r@clinic.example").is_ok());
        assert!(SmtpSettings::new("smtp://host:25?tls=required", "r@clinic.example").is_ok());
        let e = SmtpSettings::new("http://user:s3cret@mail.example", "r@clinic.example");
        assert!(!e.unwrap_err().contains("s3cret"));
        assert!(
            SmtpSettings::new("smtp://host:25", "not an address").unwrap_err().contains("From")
        );
    }

    #[test]
    fn the_message_says_it_is_time_links_home_and_nothing_else() {
        let text = body("North Clinic", "https://physio.example/home");
        assert!(text.contains("It is time for your exercises."));
        assert!(text.contains("\nhttps://physio.example/home\n"));
        assert!(text.contains("North Clinic"));
        assert!(text.lines().all(|l| l.len() <= 76), "{text}");
    }
}
