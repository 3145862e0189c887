//! triage (being written).
