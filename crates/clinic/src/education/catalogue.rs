//! The built-in lessons, and reading a clinic's own lessons for import: every entry is checked,
//! every problem names its entry and field, and nothing is accepted unless all entries pass.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::education::lesson::{Lesson, problems};
use crate::exercise::Problem;
use crate::exercise::library::{EntryProblem, Envelope, read_entries};

/// The format name of a lessons file.
pub const FORMAT: &str = "physio-lessons";
/// The format version.
pub const VERSION: u32 = 1;
/// Most lessons in one import.
pub const MAX_IMPORT: usize = 200;

/// A lessons file as exported and imported: `{"format", "version", "lessons": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LessonFile {
    /// Always `physio-lessons`.
    pub format: String,
    /// Always 1.
    pub version: u32,
    /// The lessons.
    pub lessons: Vec<Lesson>,
}

impl LessonFile {
    /// A file of these lessons.
    pub fn of(lessons: Vec<Lesson>) -> LessonFile {
        LessonFile { format: FORMAT.to_owned(), version: VERSION, lessons }
    }
}

/// Every built-in lesson, in the order they are given.
///
/// # Panics
/// If the built-in data does not parse; `tests::builtin_lessons_are_valid` keeps it parsing.
pub fn builtin() -> &'static [Lesson] {
    static LESSONS: OnceLock<Vec<Lesson>> = OnceLock::new();
    LESSONS.get_or_init(|| {
        serde_json::from_str(include_str!("../../library/lessons.json"))
            .unwrap_or_else(|e| panic!("the built-in lessons do not parse: {e}"))
    })
}

/// The built-in lesson with this id.
pub fn find(id: &str) -> Option<&'static Lesson> {
    builtin().iter().find(|l| l.id == id)
}

/// Reads a lessons file for import: the envelope, then each entry on its own so that every
/// entry's problems are reported, not only the first. Checks each entry
/// ([`problems`](crate::education::lesson::problems)) and the set: no id twice, no built-in id.
pub fn parse_import(text: &str) -> Result<Vec<Lesson>, Vec<EntryProblem>> {
    let (parsed, mut out) = read_entries::<Lesson>(
        text,
        Envelope {
            format: FORMAT,
            version: VERSION,
            key: "lessons",
            expected: "a lessons file",
            noun: "lessons",
            max: MAX_IMPORT,
        },
    )?;
    let mut seen = BTreeSet::new();
    for (index, lesson) in &parsed {
        let mut add = |problem: Problem| {
            out.push(EntryProblem { index: *index, id: Some(lesson.id.clone()), problem });
        };
        for problem in problems(lesson) {
            add(problem);
        }
        if !seen.insert(lesson.id.as_str()) {
            add(Problem {
                field: "id".to_owned(),
                message: "this id is used by an earlier entry; give each lesson its own id"
                    .to_owned(),
            });
        }
        if find(&lesson.id).is_some() {
            add(Problem {
                field: "id".to_owned(),
                message: "this is a built-in lesson's id; give your lesson its own id".to_owned(),
            });
        }
    }
    out.sort_by_key(|p| p.index);
    if out.is_empty() { Ok(parsed.into_iter().map(|(_, l)| l).collect()) } else { Err(out) }
}
