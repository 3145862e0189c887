//! Pure clinical domain rules: questionnaires, triage, pathways. No IO, no clock.
