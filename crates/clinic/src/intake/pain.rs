//! Pain scores known to be in range.

use serde::Serialize;

use crate::intake::IntakeError;

/// A pain score known to be 0–10, for callers outside the intake (check-ins, sessions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct PainScore(u8);

impl PainScore {
    /// Accepts 0 to 10 inclusive; the error names `pain`.
    pub fn new(value: u8) -> Result<PainScore, IntakeError> {
        if value <= 10 {
            Ok(PainScore(value))
        } else {
            Err(IntakeError::invalid("pain", "Enter pain as a whole number from 0 to 10."))
        }
    }

    /// The score.
    pub fn get(self) -> u8 {
        self.0
    }
}
