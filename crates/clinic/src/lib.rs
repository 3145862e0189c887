//! Pure clinical domain rules: questionnaires, triage, pathways. No IO, no clock.
//!
//! Dates are arguments (`today`), definitions arrive as text the caller has read, and results
//! are plain values, so every rule here is a fast, deterministic function to test.

pub mod alert;
pub mod caseload;
pub mod checkin;
pub mod contact;
pub mod day;
pub mod education;
pub mod episode;
pub mod exercise;
pub mod intake;
pub mod message;
pub mod pathway;
pub mod programme;
pub mod progress;
pub mod progression;
pub mod questionnaire;
pub mod reminder;
pub mod review;
pub mod safety;
pub mod schedule;
pub mod triage;
pub mod wire;
