//! Spine imaging done so far and what it showed.

use serde::{Deserialize, Serialize};

use crate::intake::Region;

/// Spine imaging done so far. An empty `findings` list means imaging was done and showed none of
/// the findings we ask about, unless `findings_not_sure` says the patient does not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Imaging {
    /// What the imaging showed, as far as the patient knows.
    pub findings: Vec<Finding>,
    /// The patient is not sure what the imaging showed (beyond any findings listed). The rules
    /// then ask a clinician to read the report before exercise starts.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub findings_not_sure: bool,
}

/// One imaging finding, optionally with the region it is in: `{"kind": "fracture"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// What was found.
    pub kind: FindingKind,
    /// Where. Required for a disc herniation, whose meaning depends on the level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
}

/// The kinds of imaging finding the intake asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A disc that has bulged or burst out of place.
    DiscHerniation,
    /// Something pressing on the spinal cord.
    CordCompression,
    /// A broken vertebra.
    Fracture,
    /// A segment that moves more than it should.
    Instability,
    /// Infection of the bone, disc or the space around the cord.
    Infection,
    /// A growth, benign or not.
    Tumour,
}

impl FindingKind {
    /// Every kind, in the order the intake form asks about them.
    pub const ALL: [FindingKind; 6] = [
        FindingKind::DiscHerniation,
        FindingKind::CordCompression,
        FindingKind::Fracture,
        FindingKind::Instability,
        FindingKind::Infection,
        FindingKind::Tumour,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::DiscHerniation => "disc_herniation",
            FindingKind::CordCompression => "cord_compression",
            FindingKind::Fracture => "fracture",
            FindingKind::Instability => "instability",
            FindingKind::Infection => "infection",
            FindingKind::Tumour => "tumour",
        }
    }

    /// The finding as the patient reads it ("What did the scan show?").
    pub fn patient_label(self) -> &'static str {
        match self {
            FindingKind::DiscHerniation => "A slipped, bulging or herniated disc",
            FindingKind::CordCompression => "Pressure on the spinal cord",
            FindingKind::Fracture => "A broken bone in the spine (a fracture)",
            FindingKind::Instability => "Bones in the spine that move more than they should",
            FindingKind::Infection => "An infection",
            FindingKind::Tumour => "A growth or tumour",
        }
    }

    /// One line of help, where the doctor's word may differ from ours.
    pub fn help(self) -> Option<&'static str> {
        match self {
            FindingKind::DiscHerniation => Some("Also called a prolapsed disc."),
            FindingKind::CordCompression => {
                Some("Also called cord compression or narrowing around the cord (stenosis).")
            }
            FindingKind::Fracture => Some("Also called a compression or crush fracture."),
            FindingKind::Instability => Some("Also called instability or a slipped vertebra."),
            FindingKind::Infection | FindingKind::Tumour => None,
        }
    }

    /// A short clinical label, used when rules explain themselves.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::DiscHerniation => "disc herniation",
            FindingKind::CordCompression => "cord compression",
            FindingKind::Fracture => "fracture",
            FindingKind::Instability => "instability",
            FindingKind::Infection => "infection",
            FindingKind::Tumour => "tumour",
        }
    }
}
