//! Spine imaging done so far and what it showed.

use serde::{Deserialize, Serialize};

use crate::intake::Region;

/// Spine imaging done so far. An empty `findings` list means imaging was done and showed none of
/// the findings we ask about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Imaging {
    /// What the imaging showed.
    pub findings: Vec<Finding>,
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
