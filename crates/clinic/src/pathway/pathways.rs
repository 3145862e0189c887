//! The care pathways and the phases each one has.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::intake::{Procedure, Region};
use crate::pathway::Phase;
use crate::wire::{UnknownName, parse_name};

/// A care pathway.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Pathway {
    /// Exercise-based care for neck pain.
    ConservativeCervical,
    /// Exercise-based care for upper and middle back pain.
    ConservativeThoracic,
    /// Exercise-based care for low back pain.
    ConservativeLumbar,
    /// Preparation for a booked operation.
    Prehab,
    /// Recovery after a discectomy or decompression (laminectomy).
    PostOpDiscectomyOrDecompression,
    /// Recovery after a spinal fusion.
    PostOpFusion,
    /// Recovery after kyphoplasty or vertebroplasty.
    PostOpVertebralAugmentation,
}

impl Pathway {
    /// Every pathway.
    pub const ALL: [Pathway; 7] = [
        Pathway::ConservativeCervical,
        Pathway::ConservativeThoracic,
        Pathway::ConservativeLumbar,
        Pathway::Prehab,
        Pathway::PostOpDiscectomyOrDecompression,
        Pathway::PostOpFusion,
        Pathway::PostOpVertebralAugmentation,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Pathway::ConservativeCervical => "conservative_cervical",
            Pathway::ConservativeThoracic => "conservative_thoracic",
            Pathway::ConservativeLumbar => "conservative_lumbar",
            Pathway::Prehab => "prehab",
            Pathway::PostOpDiscectomyOrDecompression => "post_op_discectomy_or_decompression",
            Pathway::PostOpFusion => "post_op_fusion",
            Pathway::PostOpVertebralAugmentation => "post_op_vertebral_augmentation",
        }
    }

    /// The conservative pathway for a region.
    pub fn conservative(region: Region) -> Pathway {
        match region {
            Region::Cervical => Pathway::ConservativeCervical,
            Region::Thoracic => Pathway::ConservativeThoracic,
            Region::Lumbar => Pathway::ConservativeLumbar,
        }
    }

    /// The post-operative pathway for a procedure.
    pub fn post_op(procedure: Procedure) -> Pathway {
        match procedure {
            Procedure::DiscectomyOrDecompression => Pathway::PostOpDiscectomyOrDecompression,
            Procedure::Fusion => Pathway::PostOpFusion,
            Procedure::VertebralAugmentation => Pathway::PostOpVertebralAugmentation,
        }
    }

    /// The procedure a post-operative pathway follows.
    pub fn procedure(self) -> Option<Procedure> {
        match self {
            Pathway::PostOpDiscectomyOrDecompression => Some(Procedure::DiscectomyOrDecompression),
            Pathway::PostOpFusion => Some(Procedure::Fusion),
            Pathway::PostOpVertebralAugmentation => Some(Procedure::VertebralAugmentation),
            _ => None,
        }
    }

    /// The phases of this pathway, in order.
    pub fn phases(self) -> &'static [Phase] {
        match self.procedure() {
            Some(_) => &[Phase::Early, Phase::Rehabilitation, Phase::LongTerm],
            None if self == Pathway::Prehab => &[Phase::Prehab],
            None => &[Phase::ActiveCare],
        }
    }
}

impl fmt::Display for Pathway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Pathway {
    type Err = UnknownName;

    /// Reads a wire name; an unknown name is an error, never a default.
    fn from_str(text: &str) -> Result<Pathway, UnknownName> {
        parse_name("pathway", &Pathway::ALL, Pathway::as_str, text)
    }
}
