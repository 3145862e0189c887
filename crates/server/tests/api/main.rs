//! Black-box tests: the real server on an ephemeral port, over SQLite and over PostgreSQL.

mod alerts;
mod care;
mod caseload;
mod clinical;
mod contacts;
mod day_sessions;
mod hardening;
mod helpers;
mod lessons;
mod live;
mod matrix;
mod messages;
mod programme_pages;
mod programme_patient;
mod programmes;
mod progress;
mod proposals;
mod questionnaire_pages;
mod reminders;
mod sessions;
mod staff_forms;
mod validation;
