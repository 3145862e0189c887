//! The mail server settings, the one sender of Physio's e-mails ([`Mailer`]), and the reminder
//! e-mail. Every e-mail Physio sends says only that there is something to see, which clinic
//! sends it and where to sign in: an e-mail can be read by anyone who sees the inbox, so nothing
//! about anyone's health, programme, pain or messages.

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

/// Sends e-mails through the configured server.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The public URL, without a trailing slash: links in e-mails start with it.
    public_url: String,
}

/// One e-mail: its subject line and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    pub body: String,
}

/// Why a message could not be sent, in words that carry no address or patient data (the mail
/// server's own message can name the recipient, so only its code is kept).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("the recipient's e-mail address cannot be used")]
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
        let public_url = public_url.trim_end_matches('/').to_owned();
        Ok(Mailer { transport, from: smtp.from.clone(), public_url })
    }

    /// The address of one of Physio's pages (`path` such as `/home`), for a link in an e-mail.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }

    /// Sends `email` to `to`, dated `now` (the server's clock, so a test's clock too).
    pub async fn send(
        &self,
        to: &str,
        email: &Email,
        now: OffsetDateTime,
    ) -> Result<(), SendError> {
        let to = to.parse::<Mailbox>().map_err(|_| SendError::Address)?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.as_str())
            .date(SystemTime::from(now))
            .header(ContentType::TEXT_PLAIN)
            .body(email.body.clone())
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

/// The reminder's subject line.
pub const SUBJECT: &str = "Time for your exercises";

/// The reminder: plain words, short lines, the link (to `/home`) on a line of its own.
pub fn reminder(clinic: &str, link: &str) -> Email {
    Email { subject: SUBJECT.to_owned(), body: body(clinic, link) }
}

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
