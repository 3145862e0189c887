//! Black-box tests: the real server on an ephemeral port, over SQLite and over PostgreSQL.

mod accounts;
mod alerts;
mod care;
mod caseload;
mod clinical;
mod contacts;
mod day_sessions;
mod helpers;
mod lessons;
mod live;
mod matrix;
mod messages;
mod openapi;
mod programme_pages;
mod programme_patient;
mod programmes;
mod progress;
mod proposals;
mod questionnaire_pages;
mod reminders;
mod sessions;
mod sign_in;
mod sso;
mod staff_forms;
mod two_step;
mod validation;
