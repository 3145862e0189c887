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
        self.kind().as_str()
    }

    /// The status without its details.
    pub fn kind(&self) -> SurgeryStatus {
        match self {
            Surgery::None {} => SurgeryStatus::None,
            Surgery::Recommended { .. } => SurgeryStatus::Recommended,
            Surgery::Scheduled { .. } => SurgeryStatus::Scheduled,
            Surgery::Done { .. } => SurgeryStatus::Done,
        }
    }
}

/// Where the patient stands with surgery, without the details: the choices of the form's
/// "Has anyone talked to you about an operation?" question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurgeryStatus {
    /// No operation has been suggested.
    None,
    /// A surgeon has suggested one; no date is set.
    Recommended,
    /// One is booked.
    Scheduled,
    /// It has happened.
    Done,
}

impl SurgeryStatus {
    /// Every status, in the order the form offers them.
    pub const ALL: [SurgeryStatus; 4] = [
        SurgeryStatus::None,
        SurgeryStatus::Recommended,
        SurgeryStatus::Scheduled,
        SurgeryStatus::Done,
    ];

    /// The wire name (the `status` tag of [`Surgery`]).
    pub fn as_str(self) -> &'static str {
        match self {
            SurgeryStatus::None => "none",
            SurgeryStatus::Recommended => "recommended",
            SurgeryStatus::Scheduled => "scheduled",
            SurgeryStatus::Done => "done",
        }
    }

    /// The choice on the form.
    pub fn patient_label(self) -> &'static str {
        match self {
            SurgeryStatus::None => "No, no one has suggested an operation",
            SurgeryStatus::Recommended => {
                "A surgeon has suggested an operation, but no date is set"
            }
            SurgeryStatus::Scheduled => "I have a date for an operation",
            SurgeryStatus::Done => "I have had the operation",
        }
    }

    /// One line of help, where one is useful.
    pub fn help(self) -> Option<&'static str> {
        match self {
            SurgeryStatus::Recommended => {
                Some("Choose this even if you have not decided yet whether to have it.")
            }
            SurgeryStatus::Done => Some("Only operations on your spine count here."),
            SurgeryStatus::None | SurgeryStatus::Scheduled => None,
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

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Procedure::DiscectomyOrDecompression => "discectomy_or_decompression",
            Procedure::Fusion => "fusion",
            Procedure::VertebralAugmentation => "vertebral_augmentation",
        }
    }

    /// The operation as the patient reads it.
    pub fn patient_label(self) -> &'static str {
        match self {
            Procedure::DiscectomyOrDecompression => "Discectomy or decompression",
            Procedure::Fusion => "Spinal fusion",
            Procedure::VertebralAugmentation => "Vertebroplasty or kyphoplasty",
        }
    }

    /// What the operation is, in one line.
    pub fn help(self) -> Option<&'static str> {
        Some(match self {
            Procedure::DiscectomyOrDecompression => {
                "Taking away disc or bone that presses on a nerve or the spinal cord (this \
                 includes a laminectomy)."
            }
            Procedure::Fusion => "Joining two or more bones of the spine together.",
            Procedure::VertebralAugmentation => "Bone cement put into a broken bone of the spine.",
        })
    }

    /// A short label for explanations.
    pub fn label(self) -> &'static str {
        match self {
            Procedure::DiscectomyOrDecompression => "discectomy or decompression",
            Procedure::Fusion => "spinal fusion",
            Procedure::VertebralAugmentation => "vertebral augmentation",
        }
    }
}
