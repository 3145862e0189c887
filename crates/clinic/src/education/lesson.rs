//! What a lesson is: a title, a one-line summary, a few short paragraphs and key points, an
//! optional figure, and who it is for (pathways, phases, and the week of care it is given from).

use serde::{Deserialize, Serialize};

use crate::exercise::Problem;
use crate::pathway::{Pathway, Phase};
use crate::wire::{UnknownName, parse_name};

/// Longest title.
pub const MAX_TITLE_CHARS: usize = 80;
/// Longest summary (one line under the title in a list).
pub const MAX_SUMMARY_CHARS: usize = 200;
/// Longest paragraph: a lesson is one screen, so paragraphs stay short.
pub const MAX_PARAGRAPH_CHARS: usize = 600;
/// Longest key point, and the heading over them.
pub const MAX_POINT_CHARS: usize = 200;
/// Most paragraphs in a lesson.
pub const MAX_PARAGRAPHS: usize = 6;
/// Most key points in a lesson.
pub const MAX_POINTS: usize = 8;
/// The latest week of care a lesson may wait for (two years).
pub const MAX_WEEK: u16 = 104;

/// A figure drawn with a lesson (the server draws each as SVG).
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
pub enum LessonFigure {
    /// Two in three slipped discs shrink on their own: an icon array.
    DiscsShrink,
    /// Boom and bust against a steady, rising line.
    Pacing,
    /// The 0 to 10 pain score while exercising: fine, OK, stop.
    PainScale,
    /// Slumped and supported sitting, side by side.
    Sitting,
    /// Fewer than 1 in 100 spine operations are on the upper or mid back: a grid of 100.
    SurgeryRare,
}

impl LessonFigure {
    /// Every figure.
    pub const ALL: [LessonFigure; 5] = [
        LessonFigure::DiscsShrink,
        LessonFigure::Pacing,
        LessonFigure::PainScale,
        LessonFigure::Sitting,
        LessonFigure::SurgeryRare,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            LessonFigure::DiscsShrink => "discs_shrink",
            LessonFigure::Pacing => "pacing",
            LessonFigure::PainScale => "pain_scale",
            LessonFigure::Sitting => "sitting",
            LessonFigure::SurgeryRare => "surgery_rare",
        }
    }
}

impl std::str::FromStr for LessonFigure {
    type Err = UnknownName;

    /// Reads a wire name; an unknown name is an error, never a default.
    fn from_str(text: &str) -> Result<LessonFigure, UnknownName> {
        parse_name("figure", &LessonFigure::ALL, LessonFigure::as_str, text)
    }
}

/// One lesson: one screen of plain words for a patient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Lowercase letters, digits and hyphens, such as `pacing`.
    pub id: String,
    /// The heading.
    pub title: String,
    /// One line that says what the lesson is about, shown in lists.
    pub summary: String,
    /// Short paragraphs, in order.
    pub body: Vec<String>,
    /// The heading over the key points (default: "Key points").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points_heading: Option<String>,
    /// A few key points, shown as a list after the paragraphs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_points: Vec<String>,
    /// Shows the key points first, marked as urgent: for signs that need action now, which
    /// come before anything else on the screen.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub urgent_points: bool,
    /// A figure drawn with the lesson.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure: Option<LessonFigure>,
    /// The pathways it is for; empty: everyone, including patients not yet on a pathway.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pathways: Vec<Pathway>,
    /// The phases it is for; empty: every phase. A lesson stays with a patient once they have
    /// moved on past its phase.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<Phase>,
    /// The week of care it is given from (0: the first week). Lessons come in this order.
    pub week: u16,
}

impl Lesson {
    /// The heading over the key points.
    pub fn points_heading(&self) -> &str {
        self.points_heading.as_deref().unwrap_or("Key points")
    }

    /// Every piece of text a patient reads, in order: title, summary, paragraphs, the points'
    /// heading and the points.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        [self.title.as_str(), self.summary.as_str()]
            .into_iter()
            .chain(self.body.iter().map(String::as_str))
            .chain(self.points_heading.as_deref())
            .chain(self.key_points.iter().map(String::as_str))
    }

    /// Whether the lesson is for everyone (no pathway named).
    pub fn for_everyone(&self) -> bool {
        self.pathways.is_empty()
    }
}

/// Every problem with one lesson on its own (ids against other lessons are checked with the
/// set, in [`crate::education::catalogue::parse_import`]).
pub fn problems(l: &Lesson) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut bad = |field: String, message: String| out.push(Problem { field, message });
    let id_ok = (3..=60).contains(&l.id.len())
        && l.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !l.id.starts_with('-')
        && !l.id.ends_with('-');
    if !id_ok {
        bad(
            "id".into(),
            "use 3 to 60 lowercase letters, digits and hyphens, such as \"pacing\"".into(),
        );
    }
    let fits = |text: &str, max: usize| !text.trim().is_empty() && text.chars().count() <= max;
    if !fits(&l.title, MAX_TITLE_CHARS) {
        bad("title".into(), format!("give a title of 1 to {MAX_TITLE_CHARS} characters"));
    }
    if !fits(&l.summary, MAX_SUMMARY_CHARS) {
        bad(
            "summary".into(),
            format!(
                "say what the lesson is about in one line of up to {MAX_SUMMARY_CHARS} characters"
            ),
        );
    }
    if !(1..=MAX_PARAGRAPHS).contains(&l.body.len()) {
        bad("body".into(), format!("give 1 to {MAX_PARAGRAPHS} short paragraphs"));
    }
    for (k, p) in l.body.iter().enumerate() {
        if !fits(p, MAX_PARAGRAPH_CHARS) {
            bad(
                format!("body[{k}]"),
                format!("keep each paragraph to 1 to {MAX_PARAGRAPH_CHARS} characters"),
            );
        }
    }
    if let Some(h) = &l.points_heading
        && !fits(h, MAX_POINT_CHARS)
    {
        bad(
            "points_heading".into(),
            format!("keep the heading to 1 to {MAX_POINT_CHARS} characters"),
        );
    }
    if l.urgent_points && l.key_points.is_empty() {
        bad(
            "urgent_points".into(),
            "give the key points that are urgent, or leave this out".into(),
        );
    }
    if l.key_points.len() > MAX_POINTS {
        bad("key_points".into(), format!("give at most {MAX_POINTS} key points"));
    }
    for (k, p) in l.key_points.iter().enumerate() {
        if !fits(p, MAX_POINT_CHARS) {
            bad(
                format!("key_points[{k}]"),
                format!("keep each key point to 1 to {MAX_POINT_CHARS} characters"),
            );
        }
    }
    if (1..l.pathways.len()).any(|k| l.pathways[..k].contains(&l.pathways[k])) {
        bad("pathways".into(), "name each pathway once".into());
    }
    if (1..l.phases.len()).any(|k| l.phases[..k].contains(&l.phases[k])) {
        bad("phases".into(), "name each phase once".into());
    }
    let candidates: &[Pathway] = if l.pathways.is_empty() { &Pathway::ALL } else { &l.pathways };
    for (k, phase) in l.phases.iter().enumerate() {
        if !candidates.iter().any(|p| p.phases().contains(phase)) {
            bad(
                format!("phases[{k}]"),
                format!(
                    "none of the lesson's pathways has the {} phase; name a phase of one of them",
                    phase.as_str()
                ),
            );
        }
    }
    if l.week > MAX_WEEK {
        bad("week".into(), format!("give a week of care from 0 to {MAX_WEEK}"));
    }
    out
}
