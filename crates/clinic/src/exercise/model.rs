//! One exercise of the library, as stored, exported and imported.

use serde::{Deserialize, Serialize};

use crate::exercise::Problem;
use crate::exercise::dose::Dose;
use crate::exercise::tag::{BodyRegion, Equipment, MovementTag, Position, Purpose};
use physio_motion::figure::Figure;

/// Longest exercise name.
pub const MAX_NAME_CHARS: usize = 80;
/// What an exercise id looks like, for the published schema (`library::problems` checks it).
const ID_PATTERN: &str = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";
/// Longest line of instructions (a step, a cue, a mistake).
pub const MAX_LINE_CHARS: usize = 300;

/// An exercise: everything a clinician prescribes and a patient follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Stable id: lowercase letters, digits and hyphens, 3 to 60 characters.
    #[schemars(pattern(ID_PATTERN), length(min = 3, max = 60))]
    pub id: String,
    /// Its name, as the patient sees it.
    #[schemars(length(min = 1, max = MAX_NAME_CHARS))]
    pub name: String,
    /// What it is for, in one sentence for the patient.
    pub summary: String,
    /// What it is for.
    pub purpose: Purpose,
    /// The part of the body it is mainly for.
    pub region: BodyRegion,
    /// The position it is done in.
    pub position: Position,
    /// What it needs, if anything.
    #[serde(default)]
    pub equipment: Vec<Equipment>,
    /// How to do it.
    pub instructions: Instructions,
    /// The dose it is prescribed at unless the clinician changes it.
    pub dose: Dose,
    /// The kinds of movement and load it involves; precautions act on these.
    #[serde(default)]
    pub tags: Vec<MovementTag>,
    /// Easier variants, by id.
    #[serde(default)]
    pub easier: Vec<String>,
    /// Harder variants, by id.
    #[serde(default)]
    pub harder: Vec<String>,
    /// Camera tracking, when a camera can follow it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking: Option<Tracking>,
    /// Its figure: start and end positions, drawn by Physio's code.
    pub figure: Figure,
    /// Who made the figure and under what licence.
    #[serde(default)]
    pub figure_credit: Credit,
    /// Further media (a clinic's own photos or videos), each with its credit.
    #[serde(default)]
    pub media: Vec<Media>,
}

/// How to do an exercise, in the clinic's own words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instructions {
    /// How to start.
    pub start: String,
    /// The movement, step by step.
    pub steps: Vec<String>,
    /// Two or three short cues to keep in mind.
    pub cues: Vec<String>,
    /// Common mistakes.
    pub mistakes: Vec<String>,
    /// What it should feel like.
    pub feel: String,
    /// When to stop.
    pub stop_if: String,
}

/// Camera tracking of an exercise. `view` and `counting_validated` follow from the motion
/// specification and are checked against it on import, never taken on trust.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tracking {
    /// The motion specification it is counted with (`physio_motion::exercises`).
    pub spec: String,
    /// The camera view it needs: `front`, `side` or `any`.
    pub view: String,
    /// Whether counting is validated on real recordings (docs/motion-accuracy.md).
    pub counting_validated: bool,
}

impl Tracking {
    /// Tracking with the motion specification `spec`, if a browser camera can follow it.
    pub fn of(spec: &str) -> Option<Tracking> {
        let s = physio_motion::exercises::find(spec).filter(|s| s.camera_can_track())?;
        let view = match s.view {
            physio_motion::exercises::View::Front => "front",
            physio_motion::exercises::View::Side => "side",
            physio_motion::exercises::View::Any => "any",
        };
        Some(Tracking {
            spec: s.id.to_owned(),
            view: view.to_owned(),
            counting_validated: s.counting_validated(),
        })
    }

    /// How the counting of its motion specification has been checked, with the figures
    /// (`Validation::NONE` for a specification the motion engine does not know).
    pub fn validation(&self) -> physio_motion::exercises::validation::Validation {
        physio_motion::exercises::validation::of(&self.spec)
    }

    /// Whether counting is validated on real recordings, asked of the motion specification
    /// itself: a library stored before the figures changed may still carry the old flag.
    pub fn validated(&self) -> bool {
        self.validation().validated()
    }

    /// The problem with this tracking, if it does not match its motion specification.
    pub fn problem(&self, at: &str) -> Option<Problem> {
        let problem = |field: &str, message: String| {
            Some(Problem { field: format!("{at}.{field}"), message })
        };
        match Tracking::of(&self.spec) {
            None if physio_motion::exercises::find(&self.spec).is_some() => problem(
                "spec",
                format!("a browser camera cannot follow {:?}; leave tracking out", self.spec),
            ),
            None => problem(
                "spec",
                format!(
                    "unknown motion specification {:?}; use one of: {}",
                    self.spec,
                    physio_motion::exercises::EXERCISES
                        .iter()
                        .filter(|s| s.camera_can_track())
                        .map(|s| s.id)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            Some(t) if t.view != self.view => {
                problem("view", format!("{:?} is tracked from the {} view", self.spec, t.view))
            }
            Some(t) if t.counting_validated != self.counting_validated => problem(
                "counting_validated",
                format!(
                    "counting of {:?} is {}validated on real recordings",
                    self.spec,
                    if t.counting_validated { "" } else { "not " }
                ),
            ),
            Some(_) => None,
        }
    }
}

/// A licence a media item may carry: Physio's own, the open licences a clinic may import, or
/// the clinic's own rights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Licence {
    /// Physio's own licence (figures drawn by Physio's code).
    #[serde(rename = "AGPL-3.0-or-later")]
    Agpl3OrLater,
    /// Public domain dedication.
    #[serde(rename = "CC0-1.0")]
    Cc0,
    /// Creative Commons Attribution 4.0.
    #[serde(rename = "CC-BY-4.0")]
    CcBy4,
    /// Creative Commons Attribution-ShareAlike 4.0.
    #[serde(rename = "CC-BY-SA-4.0")]
    CcBySa4,
    /// The clinic made it and keeps its rights; shown to its own patients only.
    #[serde(rename = "clinic-own")]
    ClinicOwn,
}

impl Licence {
    /// The licence's short name, as shown in a credit line.
    pub fn as_str(self) -> &'static str {
        match self {
            Licence::Agpl3OrLater => "AGPL-3.0-or-later",
            Licence::Cc0 => "CC0-1.0",
            Licence::CcBy4 => "CC-BY-4.0",
            Licence::CcBySa4 => "CC-BY-SA-4.0",
            Licence::ClinicOwn => "all rights reserved by the clinic",
        }
    }
}

/// Who made a media item and under what licence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Credit {
    /// Its author.
    pub author: String,
    /// Its licence.
    pub licence: Licence,
    /// Where it came from, when it came from elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
}

impl Default for Credit {
    /// Physio's own: figures are drawn by Physio's code.
    fn default() -> Credit {
        Credit {
            author: "Physio contributors".to_owned(),
            licence: Licence::Agpl3OrLater,
            source_url: None,
        }
    }
}

impl Credit {
    /// A credit line: "Physio contributors, AGPL-3.0-or-later".
    pub fn line(&self) -> String {
        format!("{}, {}", self.author, self.licence.as_str())
    }
}

/// What kind of media item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// A picture.
    Image,
    /// A video.
    Video,
}

/// A clinic's own picture or video of an exercise, served from where the clinic keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Media {
    /// Picture or video.
    pub kind: MediaKind,
    /// What it shows, for people who cannot see it.
    pub title: String,
    /// Where it is (an https address).
    pub url: String,
    /// Who made it, under what licence.
    pub credit: Credit,
}
