//! Where the patient stands with spine surgery, and the operations the pathways know.

use serde::{Deserialize, Serialize};
use time::Date;

/// Where the patient stands with spine surgery, tagged by `status`:
/// `{"status": "none"}`, `{"status": "recommended", "procedure": "fusion"}`,
/// `{"status": "scheduled", "procedure": "fusion", "date": "2025-07-01"}`,
/// `{"status": "done", "procedure": "fusion", "date": "2025-05-01"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum Surgery {
    /// No surgeon has proposed an operation. A struct variant (not a unit one) so that
    /// `deny_unknown_fields` also refuses stray fields such as a date here.
    None {},
    /// A surgeon has proposed an operation; no date is set.
    Recommended {
        /// The proposed operation, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        procedure: Option<Procedure>,
    },
    /// An operation is booked. The date must not be in the past.
    Scheduled {
        /// The booked operation.
        procedure: Procedure,
        /// The day of the operation.
        date: Date,
    },
    /// The operation has happened. The date must not be in the future.
    Done {
        /// The operation done.
        procedure: Procedure,
        /// The day of the operation.
        date: Date,
    },
}

impl Surgery {
    /// The wire name of the status.
    pub fn status(&self) -> &'static str {
        match self {
            Surgery::None {} => "none",
            Surgery::Recommended { .. } => "recommended",
            Surgery::Scheduled { .. } => "scheduled",
            Surgery::Done { .. } => "done",
        }
    }
}

/// The spine operations the post-operative pathways know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// Removal of disc or bone pressing on a nerve or the cord (includes laminectomy).
    DiscectomyOrDecompression,
    /// Joining two or more vertebrae.
    Fusion,
    /// Kyphoplasty or vertebroplasty: bone cement in a broken vertebra.
    VertebralAugmentation,
}

impl Procedure {
    /// Every procedure.
    pub const ALL: [Procedure; 3] =
        [Procedure::DiscectomyOrDecompression, Procedure::Fusion, Procedure::VertebralAugmentation];

    /// A short label for explanations.
    pub fn label(self) -> &'static str {
        match self {
            Procedure::DiscectomyOrDecompression => "discectomy or decompression",
            Procedure::Fusion => "spinal fusion",
            Procedure::VertebralAugmentation => "vertebral augmentation",
        }
    }
}
