//! The built-in library, and the checks a library (built-in, exported or imported) passes.
//!
//! The built-in exercises are data written for Physio (`crates/clinic/library/`): the text in
//! `exercises.json`, the figures in `figures.json`, merged here by id. A clinic adds its own
//! exercises with the same format ([`Library`]); an import is all or nothing, so
//! [`parse_import`] returns every problem of every entry, each naming the entry and the field.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::exercise::Problem;
use crate::exercise::model::{Exercise, MAX_LINE_CHARS, MAX_NAME_CHARS};

/// The format name of an exported library.
pub const FORMAT: &str = "physio-exercise-library";
/// The format version.
pub const VERSION: u32 = 1;
/// Most exercises in one import.
pub const MAX_IMPORT: usize = 1000;

/// A library as exported and imported: `{"format", "version", "exercises": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Library {
    /// Always `physio-exercise-library`.
    pub format: String,
    /// Always 1.
    pub version: u32,
    /// The exercises.
    pub exercises: Vec<Exercise>,
}

impl Library {
    /// A library of these exercises.
    pub fn of(exercises: Vec<Exercise>) -> Library {
        Library { format: FORMAT.to_owned(), version: VERSION, exercises }
    }
}

/// A problem with one entry of a library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryProblem {
    /// The entry's position in the list, from 0.
    pub index: usize,
    /// The entry's id, when it has one.
    pub id: Option<String>,
    /// The field and how to fix it.
    pub problem: Problem,
}

impl std::fmt::Display for EntryProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.id {
            Some(id) => write!(f, "exercise {id:?} (entry {}): {}", self.index + 1, self.problem),
            None => write!(f, "entry {}: {}", self.index + 1, self.problem),
        }
    }
}

/// Every built-in exercise, in the library's order.
///
/// # Panics
/// If the built-in data does not parse; `tests::builtin_library_is_valid` keeps it parsing.
pub fn builtin() -> &'static [Exercise] {
    static LIBRARY: OnceLock<Vec<Exercise>> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        parse_builtin(
            include_str!("../../library/exercises.json"),
            include_str!("../../library/figures.json"),
        )
        .unwrap_or_else(|e| panic!("the built-in exercise library does not parse: {e}"))
    })
}

/// The built-in exercise with this id.
pub fn find(id: &str) -> Option<&'static Exercise> {
    builtin().iter().find(|e| e.id == id)
}

fn parse_builtin(text: &str, figures: &str) -> Result<Vec<Exercise>, String> {
    let mut entries: Vec<serde_json::Value> =
        serde_json::from_str(text).map_err(|e| e.to_string())?;
    let figures: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(figures).map_err(|e| e.to_string())?;
    for entry in &mut entries {
        let id = entry.get("id").and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        let figure = figures.get(&id).ok_or(format!("exercise {id:?} has no figure"))?;
        entry
            .as_object_mut()
            .ok_or(format!("exercise {id:?} is not an object"))?
            .insert("figure".to_owned(), figure.clone());
    }
    entries.into_iter().map(|v| serde_json::from_value(v).map_err(|e| e.to_string())).collect()
}

/// Reads a library file for import: the envelope, then each entry on its own so that every
/// entry's problems are reported, not only the first. Checks each entry ([`problems`]) and the
/// set as a whole: no id twice, no built-in id, every ladder step known (`known` says whether
/// an id outside the file exists, built-in or the clinic's own).
pub fn parse_import(
    text: &str,
    known: &dyn Fn(&str) -> bool,
) -> Result<Vec<Exercise>, Vec<EntryProblem>> {
    let whole = |message: String| {
        vec![EntryProblem {
            index: 0,
            id: None,
            problem: Problem { field: "file".to_owned(), message },
        }]
    };
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| whole(format!("the file is not valid JSON ({e})")))?;
    if value.get("format").and_then(|v| v.as_str()) != Some(FORMAT)
        || value.get("version").and_then(serde_json::Value::as_u64) != Some(u64::from(VERSION))
    {
        return Err(whole(format!(
            "expected an exported library: {{\"format\": \"{FORMAT}\", \"version\": {VERSION}, \"exercises\": [...]}}"
        )));
    }
    let Some(entries) = value.get("exercises").and_then(|v| v.as_array()) else {
        return Err(whole("\"exercises\" must be a list of exercises".to_owned()));
    };
    if entries.is_empty() || entries.len() > MAX_IMPORT {
        return Err(whole(format!("import from 1 to {MAX_IMPORT} exercises at a time")));
    }
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let id = entry.get("id").and_then(|v| v.as_str()).map(str::to_owned);
        match serde_json::from_value::<Exercise>(entry.clone()) {
            Ok(exercise) => parsed.push((index, exercise)),
            Err(e) => problems.push(EntryProblem {
                index,
                id,
                problem: Problem { field: "entry".to_owned(), message: serde_message(&e) },
            }),
        }
    }
    let in_file: BTreeSet<&str> = parsed.iter().map(|(_, e)| e.id.as_str()).collect();
    let mut seen = BTreeSet::new();
    for (index, exercise) in &parsed {
        let mut add = |problem: Problem| {
            problems.push(EntryProblem { index: *index, id: Some(exercise.id.clone()), problem });
        };
        for problem in self::problems(exercise) {
            add(problem);
        }
        if !seen.insert(exercise.id.as_str()) {
            add(Problem {
                field: "id".to_owned(),
                message: "this id is used by an earlier entry; give each exercise its own id"
                    .to_owned(),
            });
        }
        if find(&exercise.id).is_some() {
            add(Problem {
                field: "id".to_owned(),
                message: "this is a built-in exercise's id; give your exercise its own id"
                    .to_owned(),
            });
        }
        for (field, ids) in [("easier", &exercise.easier), ("harder", &exercise.harder)] {
            for (k, step) in ids.iter().enumerate() {
                if !in_file.contains(step.as_str()) && !known(step) {
                    add(Problem {
                        field: format!("{field}[{k}]"),
                        message: format!(
                            "no exercise has the id {step:?}; use an id from the library or from this file"
                        ),
                    });
                }
            }
        }
    }
    problems.sort_by_key(|p| p.index);
    if problems.is_empty() {
        Ok(parsed.into_iter().map(|(_, e)| e).collect())
    } else {
        Err(problems)
    }
}

/// serde's message, without the line and column of a value that was not read from text.
fn serde_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.find(" at line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

/// Every problem with one exercise on its own (the ladder's ids are checked with the set).
pub fn problems(e: &Exercise) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut bad = |field: &str, message: &str| {
        out.push(Problem { field: field.to_owned(), message: message.to_owned() });
    };
    let id_ok = (3..=60).contains(&e.id.len())
        && e.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !e.id.starts_with('-')
        && !e.id.ends_with('-');
    if !id_ok {
        bad("id", "use 3 to 60 lowercase letters, digits and hyphens, such as \"open-book\"");
    }
    let line = |text: &str| !text.trim().is_empty() && text.chars().count() <= MAX_LINE_CHARS;
    if e.name.trim().is_empty() || e.name.chars().count() > MAX_NAME_CHARS {
        bad("name", "give a name of 1 to 80 characters");
    }
    if !line(&e.summary) {
        bad("summary", "say what the exercise is for in one sentence of up to 300 characters");
    }
    let i = &e.instructions;
    if !line(&i.start) {
        bad("instructions.start", "describe the starting position (up to 300 characters)");
    }
    for (field, list, min, max) in [
        ("instructions.steps", &i.steps, 1, 12),
        ("instructions.cues", &i.cues, 1, 5),
        ("instructions.mistakes", &i.mistakes, 1, 6),
    ] {
        if !(min..=max).contains(&list.len()) || !list.iter().all(|s| line(s)) {
            out.push(Problem {
                field: field.to_owned(),
                message: format!(
                    "give {min} to {max} lines, each of 1 to {MAX_LINE_CHARS} characters"
                ),
            });
        }
    }
    if !line(&i.feel) {
        out.push(Problem {
            field: "instructions.feel".to_owned(),
            message: "say what it should feel like (up to 300 characters)".to_owned(),
        });
    }
    if !line(&i.stop_if) {
        out.push(Problem {
            field: "instructions.stop_if".to_owned(),
            message: "say when to stop (up to 300 characters)".to_owned(),
        });
    }
    out.extend(e.dose.problems("dose"));
    if (1..e.tags.len()).any(|k| e.tags[..k].contains(&e.tags[k])) {
        out.push(Problem { field: "tags".to_owned(), message: "name each tag once".to_owned() });
    }
    for (field, ids) in [("easier", &e.easier), ("harder", &e.harder)] {
        if ids.contains(&e.id) {
            out.push(Problem {
                field: field.to_owned(),
                message: "an exercise cannot be its own variant".to_owned(),
            });
        }
    }
    if let Some(problem) = e.tracking.as_ref().and_then(|t| t.problem("tracking")) {
        out.push(problem);
    }
    for (k, m) in e.media.iter().enumerate() {
        if !m.url.starts_with("https://") || m.url.len() > 2000 {
            out.push(Problem {
                field: format!("media[{k}].url"),
                message: "give an https:// address of up to 2000 characters".to_owned(),
            });
        }
        if m.title.trim().is_empty() {
            out.push(Problem {
                field: format!("media[{k}].title"),
                message: "say what the picture or video shows".to_owned(),
            });
        }
        if m.credit.author.trim().is_empty() {
            out.push(Problem {
                field: format!("media[{k}].credit.author"),
                message: "name who made it".to_owned(),
            });
        }
    }
    if e.figure_credit.author.trim().is_empty() {
        out.push(Problem {
            field: "figure_credit.author".to_owned(),
            message: "name who made the figure".to_owned(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_library_is_valid() {
        let all = builtin();
        let ids: BTreeSet<&str> = all.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), all.len(), "ids are unique");
        for e in all {
            assert_eq!(problems(e), Vec::new(), "{}", e.id);
            for step in e.easier.iter().chain(&e.harder) {
                assert!(ids.contains(step.as_str()), "{}: unknown ladder step {step}", e.id);
            }
        }
    }
}
