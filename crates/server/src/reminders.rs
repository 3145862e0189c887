//! Exercise reminders by e-mail, scheduled by the server itself (docs/reminders.md): the mail
//! settings and the message (`mail`), and the background task that plans each reminder, claims
//! it when due and sends it (`scheduler`). The rules (which days, what time, how late is too
//! late) are `physio_clinic::reminder`; the patient's own choices go through
//! `care::reminders`.

pub mod mail;
mod scheduler;

pub use mail::{Email, Mailer, SmtpSettings};
pub use scheduler::{LEASE, MAX_ATTEMPTS, Scheduler, start};
