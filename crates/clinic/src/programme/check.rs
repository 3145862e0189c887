//! The checks a programme passes before it is saved: known exercises, doses in range, dates in
//! order, ranges and the camera choice only on tracked exercises, and precautions (with overrides) respected.

use serde::{Deserialize, Serialize};

use crate::exercise::{Exercise, Problem};
use crate::pathway::ActivePrecaution;
use crate::programme::camera::Camera;
use crate::programme::gate::conflicts;
use crate::programme::{ADVISED_MAX_EXERCISES, Item, MAX_EXERCISES, MAX_TEXT_CHARS};

/// Largest range angle, in degrees.
pub const MAX_RANGE_DEG: f32 = 360.0;

/// A programme that passed: its items as they will be stored, and what deserves a second look.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The items, with notes trimmed and each override naming the precautions it covers.
    pub items: Vec<Item>,
    /// Advice that does not stop the save.
    pub warnings: Vec<Warning>,
}

/// Advice about a programme that is allowed but deserves a second look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Warning {
    /// More exercises than [`ADVISED_MAX_EXERCISES`]: long programmes are done less often.
    Long {
        /// How many exercises it has.
        count: usize,
    },
}

impl Warning {
    /// In words for the clinician.
    pub fn message(&self) -> String {
        match self {
            Warning::Long { count } => format!(
                "This programme has {count} exercises. Programmes of more than \
                 {ADVISED_MAX_EXERCISES} are done less often; consider fewer."
            ),
        }
    }
}

/// Checks `items` for a patient under `precautions`. `previous` is the programme as it stands:
/// an override whose reason is unchanged from it covers only the precautions it covered then,
/// so a precaution that came into force since needs a new reason; a new or changed reason
/// covers every precaution in force now (the clinician has just been shown them).
pub fn check<'a>(
    items: Vec<Item>,
    previous: &[Item],
    lookup: &dyn Fn(&str) -> Option<&'a Exercise>,
    precautions: &[ActivePrecaution],
) -> Result<Checked, Vec<Problem>> {
    let mut problems = Vec::new();
    if items.len() > MAX_EXERCISES {
        problems.push(Problem {
            field: "items".to_owned(),
            message: format!("a programme holds at most {MAX_EXERCISES} exercises"),
        });
    }
    let mut out = Vec::with_capacity(items.len());
    for (index, mut item) in items.into_iter().enumerate() {
        let at = format!("items[{index}]");
        let mut bad = |field: &str, message: String| {
            problems.push(Problem { field: format!("{at}.{field}"), message });
        };
        item.note = item.note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        if item.note.as_ref().is_some_and(|n| n.chars().count() > MAX_TEXT_CHARS) {
            bad("note", format!("keep the note to {MAX_TEXT_CHARS} characters or fewer"));
        }
        if out.iter().any(|o: &Item| o.exercise == item.exercise) {
            bad(
                "exercise",
                "this exercise is already in the programme; change its dose instead".to_owned(),
            );
        }
        let Some(exercise) = lookup(&item.exercise) else {
            bad(
                "exercise",
                format!("no exercise has the id {:?}; choose one from the library", item.exercise),
            );
            continue;
        };
        let dose_problems = item.dose.problems(&format!("{at}.dose"));
        problems.extend(dose_problems);
        let mut bad = |field: &str, message: String| {
            problems.push(Problem { field: format!("{at}.{field}"), message });
        };
        if let Some(end) = item.end
            && end < item.start
        {
            bad(
                "end",
                "the end date is before the start date; choose a later end date or none".to_owned(),
            );
        }
        if let Some(range) = item.range {
            if exercise.tracking.is_none() {
                bad(
                    "range",
                    format!("{} is not tracked by the camera, so it has no range", exercise.name),
                );
            } else if !(range.target_deg.is_finite()
                && range.target_deg > 0.0
                && range.target_deg <= MAX_RANGE_DEG)
            {
                bad(
                    "range.target_deg",
                    format!("enter a target from 1 to {MAX_RANGE_DEG} degrees"),
                );
            } else if !(range.max_deg.is_finite() && range.max_deg <= MAX_RANGE_DEG) {
                bad("range.max_deg", format!("enter a maximum of at most {MAX_RANGE_DEG} degrees"));
            } else if range.max_deg < range.target_deg {
                bad("range.max_deg", "the maximum is below the target; enter a maximum at least as large as the target".to_owned());
            }
        }
        if item.camera {
            match crate::programme::camera(&item, exercise) {
                Camera::NotTracked => bad(
                    "camera",
                    format!(
                        "{} is not tracked by the camera, so there is no camera counting to offer",
                        exercise.name
                    ),
                ),
                // Validated counting is offered anyway: keeping the choice would only make a
                // change of figures look like a change of prescription.
                Camera::Validated => item.camera = false,
                Camera::ChosenByClinician | Camera::NotValidated => {}
            }
        }
        let found = conflicts(exercise, precautions);
        let prior = previous
            .iter()
            .find(|p| p.exercise == item.exercise)
            .and_then(|p| p.override_.as_ref());
        match item.override_.take() {
            Some(mut o) => {
                o.reason = o.reason.trim().to_owned();
                if o.reason.is_empty() {
                    if !found.is_empty() {
                        bad("override.reason", refusal(exercise, &found));
                    }
                } else if o.reason.chars().count() > MAX_TEXT_CHARS {
                    bad(
                        "override.reason",
                        format!("keep the reason to {MAX_TEXT_CHARS} characters or fewer"),
                    );
                } else if !found.is_empty() {
                    let covered: Vec<String> = match prior {
                        Some(p) if p.reason == o.reason => p.precautions.clone(),
                        _ => found.iter().map(|c| c.precaution.clone()).collect(),
                    };
                    let open: Vec<_> = found
                        .iter()
                        .filter(|c| !covered.contains(&c.precaution))
                        .cloned()
                        .collect();
                    if open.is_empty() {
                        o.precautions = covered;
                        item.override_ = Some(o);
                    } else {
                        bad(
                            "override.reason",
                            format!(
                                "{} Your earlier reason was given before this precaution; write a new reason to prescribe it anyway.",
                                refusal(exercise, &open)
                            ),
                        );
                    }
                }
            }
            None if !found.is_empty() => bad("exercise", refusal(exercise, &found)),
            None => {}
        }
        out.push(item);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let warnings = if out.len() > ADVISED_MAX_EXERCISES {
        vec![Warning::Long { count: out.len() }]
    } else {
        Vec::new()
    };
    Ok(Checked { items: out, warnings })
}

fn refusal(exercise: &Exercise, found: &[crate::programme::Conflict]) -> String {
    let why: Vec<String> = found.iter().map(|c| c.explain()).collect();
    format!(
        "{} cannot be prescribed now: {}. Choose another exercise, or record why you prescribe it anyway.",
        exercise.name,
        why.join("; and ")
    )
}
