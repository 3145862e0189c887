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
    #[schemars(extend("const" = FORMAT))]
    pub format: String,
    /// Always 1.
    #[schemars(extend("const" = VERSION))]
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
    let (parsed, mut problems) = read_entries::<Exercise>(
        text,
        Envelope {
            format: FORMAT,
            version: VERSION,
            key: "exercises",
            expected: "an exported library",
            noun: "exercises",
            max: MAX_IMPORT,
        },
    )?;
    // Every id the file names, read or not: an entry that fails to read is reported on its
    // own, and a ladder step pointing at it is not a second, misleading problem.
    let in_file: BTreeSet<String> = parsed
        .iter()
        .map(|(_, e)| e.id.clone())
        .chain(problems.iter().filter_map(|p| p.id.clone()))
        .collect();
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

/// The JSON Schema of the export format ([`Library`]), as published at
/// `docs/exercise-library.schema.json`. Clinic writes no files: the command line writes this
/// out, and `tests::published_schema_is_current` fails (printing the schema to paste) when the
/// published copy falls behind the types.
pub fn library_schema() -> serde_json::Value {
    schemars::schema_for!(Library).to_value()
}

/// What an import file's envelope must say: `{"format": …, "version": …, key: [...]}`.
pub(crate) struct Envelope<'a> {
    pub(crate) format: &'a str,
    pub(crate) version: u32,
    /// The list's key, e.g. `exercises`.
    pub(crate) key: &'a str,
    /// What the file is, for the message when the envelope is wrong ("an exported library").
    pub(crate) expected: &'a str,
    /// What the entries are, plural ("exercises").
    pub(crate) noun: &'a str,
    /// Most entries in one import.
    pub(crate) max: usize,
}

/// Reads an import file: the envelope (an error for the whole file when it is wrong), then
/// each entry on its own, so that every entry's problems are reported, not only the first.
/// Returns the entries that read, with their positions, and the problems of the others.
#[allow(clippy::type_complexity)]
pub(crate) fn read_entries<T: serde::de::DeserializeOwned>(
    text: &str,
    e: Envelope<'_>,
) -> Result<(Vec<(usize, T)>, Vec<EntryProblem>), Vec<EntryProblem>> {
    let whole = |message: String| {
        vec![EntryProblem {
            index: 0,
            id: None,
            problem: Problem { field: "file".to_owned(), message },
        }]
    };
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|err| whole(format!("the file is not valid JSON ({err})")))?;
    if value.get("format").and_then(|v| v.as_str()) != Some(e.format)
        || value.get("version").and_then(serde_json::Value::as_u64) != Some(u64::from(e.version))
    {
        return Err(whole(format!(
            "expected {}: {{\"format\": \"{}\", \"version\": {}, \"{}\": [...]}}",
            e.expected, e.format, e.version, e.key
        )));
    }
    let Some(entries) = value.get(e.key).and_then(|v| v.as_array()) else {
        return Err(whole(format!("\"{}\" must be a list of {}", e.key, e.noun)));
    };
    if entries.is_empty() || entries.len() > e.max {
        return Err(whole(format!("import from 1 to {} {} at a time", e.max, e.noun)));
    }
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let id = entry.get("id").and_then(|v| v.as_str()).map(str::to_owned);
        match serde_json::from_value::<T>(entry.clone()) {
            Ok(item) => parsed.push((index, item)),
            Err(err) => problems.push(EntryProblem {
                index,
                id,
                problem: Problem { field: "entry".to_owned(), message: serde_message(&err) },
            }),
        }
    }
    Ok((parsed, problems))
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
    use std::collections::BTreeMap;

    use super::*;
    use crate::exercise::{MovementTag, Tracking};
    use crate::pathway::{Phase, precaution_rules};

    /// The ids agreed with the figures (`figures.json`): renaming one breaks the merge by id.
    const IDS: [&str; 53] = [
        "open-book",
        "thread-the-needle",
        "cat-camel",
        "towel-roll-extension",
        "thoracic-rotation",
        "prone-y-raise",
        "prone-t-raise",
        "prone-w-raise",
        "band-row",
        "wall-angel",
        "scapular-squeeze",
        "chin-tuck",
        "chin-tuck-lying",
        "belly-breathing",
        "rib-breathing",
        "short-walk",
        "walk",
        "brisk-walk",
        "tummy-tightening",
        "dead-bug-arms",
        "dead-bug",
        "bird-dog-arms",
        "bird-dog",
        "bridge",
        "single-leg-bridge",
        "side-plank-knees",
        "side-plank",
        "heel-slide",
        "ankle-pumps",
        "buttock-squeeze",
        "thigh-tightening",
        "log-roll",
        "hip-hinge",
        "wall-squat",
        "single-leg-stance",
        "deep-squat",
        "hurdle-step",
        "inline-lunge",
        "side-lunge",
        "sit-to-stand",
        "straight-leg-raise",
        "shoulder-abduction",
        "shoulder-extension",
        "shoulder-rotation",
        "shoulder-scaption",
        "trunk-side-bend",
        "arm-raise",
        "shoulder-flexion",
        "pelvic-tilt",
        "knee-to-chest",
        "prone-press-up",
        "neck-turn",
        "neck-side-bend",
    ];

    /// What a patient does in the first days after an operation, before any phase opens.
    const EARLY_POST_OP: [&str; 8] = [
        "ankle-pumps",
        "tummy-tightening",
        "short-walk",
        "log-roll",
        "buttock-squeeze",
        "thigh-tightening",
        "heel-slide",
        "belly-breathing",
    ];

    fn exercise(id: &str) -> &'static Exercise {
        find(id).unwrap_or_else(|| panic!("no built-in exercise {id:?}"))
    }

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

    #[test]
    fn builtin_library_has_the_agreed_exercises() {
        let all = builtin();
        assert!(all.len() >= 40, "{} exercises", all.len());
        let ids: BTreeSet<&str> = all.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, BTreeSet::from(IDS), "exactly the agreed ids");
    }

    #[test]
    fn builtin_instructions_are_complete() {
        for e in builtin() {
            let i = &e.instructions;
            assert!((3..=6).contains(&i.steps.len()), "{}: {} steps", e.id, i.steps.len());
            assert!((2..=3).contains(&i.cues.len()), "{}: {} cues", e.id, i.cues.len());
            assert!((1..=3).contains(&i.mistakes.len()), "{}: {} mistakes", e.id, i.mistakes.len());
            assert!(e.media.is_empty(), "{}: built-in media", e.id);
            assert_eq!(e.figure_credit, crate::exercise::Credit::default(), "{}", e.id);
            for line in [&e.summary, &i.start, &i.feel, &i.stop_if]
                .into_iter()
                .chain(&i.steps)
                .chain(&i.cues)
            {
                assert!(line.trim_end().ends_with(['.', '?', '!']), "{}: {line:?}", e.id);
            }
        }
    }

    /// Every path along `next` from every exercise ends: no exercise is its own harder (or
    /// easier) variant, however many steps away.
    fn assert_acyclic(next: &dyn Fn(&Exercise) -> &[String], direction: &str) {
        fn visit(
            id: &str,
            next: &dyn Fn(&Exercise) -> &[String],
            path: &mut Vec<String>,
            direction: &str,
        ) {
            assert!(!path.iter().any(|p| p == id), "{direction} ladder loops: {path:?} -> {id}");
            path.push(id.to_owned());
            for step in next(exercise(id)) {
                visit(step, next, path, direction);
            }
            path.pop();
        }
        for e in builtin() {
            visit(&e.id, next, &mut Vec::new(), direction);
        }
    }

    #[test]
    fn ladders_are_symmetric_and_acyclic() {
        for e in builtin() {
            for harder in &e.harder {
                assert!(
                    exercise(harder).easier.contains(&e.id),
                    "{} lists {harder} as harder, but {harder} does not list it as easier",
                    e.id
                );
            }
            for easier in &e.easier {
                assert!(
                    exercise(easier).harder.contains(&e.id),
                    "{} lists {easier} as easier, but {easier} does not list it as harder",
                    e.id
                );
            }
        }
        assert_acyclic(&|e| &e.harder, "harder");
        assert_acyclic(&|e| &e.easier, "easier");
    }

    #[test]
    fn tracking_is_what_the_motion_spec_says() {
        let mut tracked = Vec::new();
        for e in builtin() {
            // The built-in ids are the motion specifications' ids where both exist.
            assert_eq!(e.tracking, Tracking::of(&e.id), "{}", e.id);
            if let Some(t) = &e.tracking {
                assert_eq!(Some(t.clone()), Tracking::of(&t.spec), "{}", e.id);
                tracked.push(e.id.as_str());
            }
        }
        assert_eq!(tracked.len(), 18, "{tracked:?}");
        assert!(physio_motion::exercises::find("cat-camel").is_some());
        assert_eq!(
            exercise("cat-camel").tracking,
            None,
            "a phone camera cannot see the spine curve"
        );
    }

    #[test]
    fn early_post_op_exercises_carry_no_tag_an_early_precaution_forbids() {
        let forbidden: BTreeSet<MovementTag> = precaution_rules()
            .iter()
            .filter(|r| r.phases.contains(&Phase::Early) || r.until_week > 0)
            .flat_map(|r| r.forbids.iter().copied())
            .collect();
        for id in EARLY_POST_OP {
            let tags: Vec<_> = exercise(id).tags.iter().filter(|t| forbidden.contains(t)).collect();
            assert!(tags.is_empty(), "{id} is tagged {tags:?}");
        }
    }

    #[test]
    fn tags_follow_the_tagging_rules() {
        use MovementTag as T;
        let tags = |id: &str| exercise(id).tags.iter().copied().collect::<BTreeSet<_>>();
        let set = |list: &[MovementTag]| list.iter().copied().collect::<BTreeSet<_>>();
        assert_eq!(tags("open-book"), set(&[T::Rotation]));
        assert_eq!(tags("cat-camel"), set(&[T::Flexion, T::Extension]));
        assert_eq!(tags("knee-to-chest"), set(&[T::Flexion, T::EndRange]));
        assert_eq!(tags("prone-press-up"), set(&[T::Extension, T::Prone, T::EndRange]));
        assert_eq!(tags("deep-squat"), set(&[T::Loaded, T::Flexion]));
        assert_eq!(tags("band-row"), set(&[T::Loaded, T::Pushing]));
        assert_eq!(tags("bridge"), set(&[T::Loaded]));
        assert_eq!(tags("trunk-side-bend"), set(&[T::SideBending]));
        assert_eq!(tags("hip-hinge"), set(&[]), "the hips bend, the back stays straight");
        // Arms above the head while upright or face down are overhead work.
        for id in ["wall-angel", "arm-raise", "shoulder-flexion", "shoulder-abduction"] {
            assert!(tags(id).contains(&T::Overhead), "{id}");
        }
        assert!(tags("prone-y-raise").is_superset(&set(&[T::Overhead, T::Prone])));
        // Every face-down exercise says so, and nothing else does.
        for e in builtin() {
            let prone = e.position == crate::exercise::Position::Prone;
            assert_eq!(e.tags.contains(&T::Prone), prone, "{}", e.id);
        }
    }

    #[test]
    fn default_doses_follow_the_dosing_rules() {
        use crate::exercise::{Side, Weekday};
        let dose = |id: &str| &exercise(id).dose;
        assert_eq!((dose("open-book").reps, dose("open-book").side), (Some(5), Side::Alternating));
        assert_eq!(dose("chin-tuck").reps, Some(10));
        assert_eq!(dose("chin-tuck").hold_s, Some(5));
        assert!((5..=6).contains(&dose("cat-camel").reps.unwrap_or_default()));
        assert_eq!(dose("short-walk").minutes, Some(5));
        assert!(dose("short-walk").times_per_day >= 3, "several short walks a day");
        for e in builtin() {
            let d = &e.dose;
            if let Some(hold) = d.hold_s {
                assert!(hold <= 30, "{}: hold {hold} s", e.id);
            }
            if e.tags.contains(&MovementTag::Loaded) {
                if d.hold_s.is_none() {
                    assert!((2..=3).contains(&d.sets), "{}: {} sets", e.id, d.sets);
                    assert!((8..=12).contains(&d.reps.unwrap_or_default()), "{}", e.id);
                }
                assert_eq!(d.days.len(), 3, "{}: strength work on 3 days", e.id);
            }
            if d.days.len() == 7 {
                assert_eq!(d.days_in_order(), Weekday::ALL, "{}", e.id);
            }
        }
    }

    /// The built-in library as a clinic would export it, with every id (and ladder step)
    /// renamed so that it may be imported back.
    fn renamed_export() -> Vec<Exercise> {
        let rename = |id: &str| format!("clinic-{id}");
        builtin()
            .iter()
            .map(|e| Exercise {
                id: rename(&e.id),
                easier: e.easier.iter().map(|s| rename(s)).collect(),
                harder: e.harder.iter().map(|s| rename(s)).collect(),
                ..e.clone()
            })
            .collect()
    }

    fn known(id: &str) -> bool {
        find(id).is_some()
    }

    fn file(entries: &[serde_json::Value]) -> String {
        serde_json::json!({"format": FORMAT, "version": VERSION, "exercises": entries}).to_string()
    }

    fn entry(id: &str) -> serde_json::Value {
        let mut e = exercise("bridge").clone();
        e.id = id.to_owned();
        e.easier.clear();
        e.harder.clear();
        serde_json::to_value(e).expect("serialises")
    }

    /// (entry index, id, field) of each problem.
    fn where_(problems: &[EntryProblem]) -> Vec<(usize, Option<&str>, &str)> {
        problems.iter().map(|p| (p.index, p.id.as_deref(), p.problem.field.as_str())).collect()
    }

    #[test]
    fn an_export_imports_back_unchanged() {
        let exercises = renamed_export();
        let text = serde_json::to_string_pretty(&Library::of(exercises.clone())).expect("json");
        assert_eq!(parse_import(&text, &known), Ok(exercises));
        // Ladder steps may also name built-in exercises.
        let mut own = entry("clinic-bridge-march");
        own["easier"] = serde_json::json!(["bridge"]);
        assert!(parse_import(&file(&[own]), &known).is_ok());
    }

    #[test]
    fn one_bad_entry_stops_the_import_and_is_named() {
        let mut bad = entry("clinic-bridge-hold");
        bad["dose"]["sets"] = serde_json::json!(0);
        let text = file(&[entry("clinic-one"), bad, entry("clinic-three")]);
        let problems = parse_import(&text, &known).expect_err("refused");
        assert_eq!(where_(&problems), [(1, Some("clinic-bridge-hold"), "dose.sets")]);
        assert!(problems[0].to_string().starts_with("exercise \"clinic-bridge-hold\" (entry 2)"));

        // An entry that does not even read is named too, and a ladder step pointing at it is
        // not reported as unknown.
        let mut unreadable = entry("clinic-unreadable");
        unreadable["position"] = serde_json::json!("upside_down");
        let mut pointing = entry("clinic-pointing");
        pointing["harder"] = serde_json::json!(["clinic-unreadable"]);
        let problems = parse_import(&file(&[pointing, unreadable]), &known).expect_err("refused");
        assert_eq!(where_(&problems), [(1, Some("clinic-unreadable"), "entry")]);
        assert!(problems[0].problem.message.contains("upside_down"), "{}", problems[0]);
    }

    #[test]
    fn import_refuses_duplicate_and_builtin_ids() {
        let text = file(&[entry("clinic-twice"), entry("clinic-twice")]);
        let problems = parse_import(&text, &known).expect_err("refused");
        assert_eq!(where_(&problems), [(1, Some("clinic-twice"), "id")]);
        assert!(problems[0].problem.message.contains("earlier entry"));

        let problems = parse_import(&file(&[entry("open-book")]), &known).expect_err("refused");
        assert_eq!(where_(&problems), [(0, Some("open-book"), "id")]);
        assert!(problems[0].problem.message.contains("built-in"));

        let problems = parse_import(&file(&[entry("Open Book")]), &known).expect_err("refused");
        assert_eq!(where_(&problems), [(0, Some("Open Book"), "id")]);
    }

    #[test]
    fn import_refuses_unknown_ladder_steps() {
        let mut e = entry("clinic-step-up");
        e["easier"] = serde_json::json!(["bridge", "clinic-nowhere"]);
        e["harder"] = serde_json::json!(["clinic-step-up"]);
        let problems = parse_import(&file(&[e]), &known).expect_err("refused");
        assert_eq!(
            where_(&problems),
            [(0, Some("clinic-step-up"), "harder"), (0, Some("clinic-step-up"), "easier[1]")]
        );
        assert!(problems[1].problem.message.contains("\"clinic-nowhere\""));
    }

    #[test]
    fn import_checks_tracking_against_the_motion_spec() {
        let tracked = |tracking: serde_json::Value| {
            let mut e = entry("clinic-tracked");
            e["tracking"] = tracking;
            parse_import(&file(&[e]), &known)
        };
        let problems = tracked(
            serde_json::json!({"spec": "moonwalk", "view": "side", "counting_validated": false}),
        )
        .expect_err("refused");
        assert_eq!(where_(&problems), [(0, Some("clinic-tracked"), "tracking.spec")]);
        let message = &problems[0].problem.message;
        assert!(message.contains("unknown motion specification \"moonwalk\""), "{message}");
        assert!(message.contains("deep-squat") && !message.contains("cat-camel"), "{message}");

        let problems = tracked(
            serde_json::json!({"spec": "cat-camel", "view": "side", "counting_validated": false}),
        )
        .expect_err("refused");
        assert!(problems[0].problem.message.contains("cannot follow"), "{}", problems[0]);

        let problems = tracked(
            serde_json::json!({"spec": "deep-squat", "view": "front", "counting_validated": true}),
        )
        .expect_err("refused");
        assert_eq!(where_(&problems), [(0, Some("clinic-tracked"), "tracking.view")]);
        assert!(problems[0].problem.message.contains("side view"), "{}", problems[0]);

        let problems = tracked(
            serde_json::json!({"spec": "shoulder-abduction", "view": "front", "counting_validated": false}),
        )
        .expect_err("refused");
        assert_eq!(where_(&problems), [(0, Some("clinic-tracked"), "tracking.counting_validated")]);
        let problems = tracked(
            serde_json::json!({"spec": "thoracic-rotation", "view": "front", "counting_validated": true}),
        )
        .expect_err("refused");
        assert_eq!(where_(&problems), [(0, Some("clinic-tracked"), "tracking.counting_validated")]);

        let ok = serde_json::to_value(Tracking::of("deep-squat")).expect("json");
        assert!(tracked(ok).is_ok());
    }

    #[test]
    fn import_refuses_a_file_that_is_not_a_library() {
        let refused = |text: &str| {
            let problems = parse_import(text, &known).expect_err("refused");
            assert_eq!(where_(&problems), [(0, None, "file")], "{text}");
            problems[0].problem.message.clone()
        };
        assert!(refused("not json").contains("not valid JSON"));
        assert!(refused("[]").contains(FORMAT));
        assert!(refused(r#"{"format": "physio-exercise-library", "version": 2}"#).contains(FORMAT));
        let no_list = r#"{"format": "physio-exercise-library", "version": 1, "exercises": {}}"#;
        assert!(refused(no_list).contains("list"));
        assert!(refused(&file(&[])).contains("from 1 to"));
    }

    #[test]
    fn published_schema_is_current() {
        let published: serde_json::Value =
            serde_json::from_str(include_str!("../../../../docs/exercise-library.schema.json"))
                .expect("docs/exercise-library.schema.json is JSON");
        let generated = library_schema();
        assert!(
            published == generated,
            "docs/exercise-library.schema.json is out of date. Replace its contents with the \
             schema between the markers (`physio` writes the same file):\n\
             --- schema ---\n{}\n--- end ---",
            serde_json::to_string_pretty(&generated).unwrap_or_default()
        );
    }

    #[test]
    fn schema_lists_values_and_required_fields() {
        let schema = library_schema();
        let defs = schema["$defs"].as_object().expect("$defs");
        let values = |name: &str| -> BTreeSet<String> {
            let def = &defs[name];
            let listed = def["enum"].as_array().cloned().unwrap_or_default().into_iter().chain(
                def["oneOf"].as_array().cloned().unwrap_or_default().into_iter().flat_map(|v| {
                    v["enum"].as_array().cloned().unwrap_or_else(|| vec![v["const"].clone()])
                }),
            );
            listed.filter_map(|v| v.as_str().map(str::to_owned)).collect()
        };
        let wire = |all: Vec<&str>| all.into_iter().map(str::to_owned).collect::<BTreeSet<_>>();
        assert_eq!(
            values("MovementTag"),
            wire(MovementTag::ALL.iter().map(|t| t.as_str()).collect())
        );
        assert_eq!(
            values("Weekday"),
            wire(crate::exercise::Weekday::ALL.iter().map(|d| d.as_str()).collect())
        );
        assert_eq!(
            values("Licence"),
            wire(vec!["AGPL-3.0-or-later", "CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "clinic-own"])
        );
        let required = |def: &serde_json::Value| -> BTreeSet<String> {
            def["required"]
                .as_array()
                .expect("required")
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        };
        assert_eq!(required(&schema), wire(vec!["format", "version", "exercises"]));
        let exercise = required(&defs["Exercise"]);
        for field in ["id", "name", "summary", "instructions", "dose", "figure"] {
            assert!(exercise.contains(field), "Exercise requires {field}: {exercise:?}");
        }
        assert!(!exercise.contains("tags") && !exercise.contains("tracking"), "{exercise:?}");
        assert_eq!(defs["Exercise"]["additionalProperties"], serde_json::json!(false));
        let dose = required(&defs["Dose"]);
        assert_eq!(dose, wire(vec!["sets", "rest_s", "side", "days", "times_per_day"]));
    }

    #[test]
    fn exercises_by_region_cover_every_pathway() {
        let mut by_region: BTreeMap<crate::exercise::BodyRegion, usize> = BTreeMap::new();
        for e in builtin() {
            *by_region.entry(e.region).or_default() += 1;
        }
        assert_eq!(by_region.len(), crate::exercise::BodyRegion::ALL.len(), "{by_region:?}");
    }
}
