//! What changed between two versions of a programme, item by item, in words a clinician reads
//! in the version history.

use serde::{Deserialize, Serialize};

use crate::programme::Item;

/// One change from one version to the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Change {
    /// An exercise was added.
    Added {
        /// The exercise's id.
        exercise: String,
        /// Its dose, in words.
        dose: String,
    },
    /// An exercise was removed.
    Removed {
        /// The exercise's id.
        exercise: String,
    },
    /// The dose changed.
    Dose {
        /// The exercise's id.
        exercise: String,
        /// Before, in words.
        from: String,
        /// After, in words.
        to: String,
    },
    /// The start or end date changed.
    Dates {
        /// The exercise's id.
        exercise: String,
        /// Before: "from 7 December 2026" or "7 December 2026 to 4 January 2027".
        from: String,
        /// After.
        to: String,
    },
    /// The note to the patient changed.
    Note {
        /// The exercise's id.
        exercise: String,
    },
    /// The target or maximum range changed.
    Range {
        /// The exercise's id.
        exercise: String,
        /// Before, in words.
        from: String,
        /// After, in words.
        to: String,
    },
    /// A precaution was overridden, or the override's reason changed.
    Override {
        /// The exercise's id.
        exercise: String,
        /// The reason given.
        reason: String,
    },
    /// An override was withdrawn.
    OverrideRemoved {
        /// The exercise's id.
        exercise: String,
    },
    /// Camera counting that is not yet validated was offered to the patient, or withdrawn.
    Camera {
        /// The exercise's id.
        exercise: String,
        /// Whether it is now offered.
        offered: bool,
    },
    /// The order of the exercises changed.
    Reordered {
        /// The new order, by id.
        order: Vec<String>,
    },
}

impl Change {
    /// In words, with `name` giving an exercise's name from its id.
    pub fn text(&self, name: &dyn Fn(&str) -> String) -> String {
        match self {
            Change::Added { exercise, dose } => format!("Added {}: {dose}", name(exercise)),
            Change::Removed { exercise } => format!("Removed {}", name(exercise)),
            Change::Dose { exercise, from, to } => {
                format!("{}: {from} \u{2192} {to}", name(exercise))
            }
            Change::Dates { exercise, from, to } => {
                format!("{} dates: {from} \u{2192} {to}", name(exercise))
            }
            Change::Note { exercise } => format!("{}: note to the patient changed", name(exercise)),
            Change::Range { exercise, from, to } => {
                format!("{} range: {from} \u{2192} {to}", name(exercise))
            }
            Change::Override { exercise, reason } => {
                format!("{}: precaution overridden (\u{201c}{reason}\u{201d})", name(exercise))
            }
            Change::OverrideRemoved { exercise } => {
                format!("{}: override withdrawn", name(exercise))
            }
            Change::Camera { exercise, offered: true } => {
                format!("{}: camera counting offered (not yet validated)", name(exercise))
            }
            Change::Camera { exercise, offered: false } => {
                format!("{}: camera counting no longer offered", name(exercise))
            }
            Change::Reordered { order } => format!(
                "New order: {}",
                order.iter().map(|id| name(id)).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

/// The changes from `before` to `after`.
pub fn diff(before: &[Item], after: &[Item]) -> Vec<Change> {
    let mut out = Vec::new();
    let find = |list: &[Item], id: &str| list.iter().position(|i| i.exercise == id);
    for item in before {
        if find(after, &item.exercise).is_none() {
            out.push(Change::Removed { exercise: item.exercise.clone() });
        }
    }
    for item in after {
        let exercise = item.exercise.clone();
        let Some(old) = find(before, &item.exercise).map(|k| &before[k]) else {
            out.push(Change::Added { exercise: exercise.clone(), dose: item.dose.patient_text() });
            if item.camera {
                out.push(Change::Camera { exercise: exercise.clone(), offered: true });
            }
            // An exercise prescribed over a precaution from the start: the history keeps why.
            if let Some(o) = &item.override_ {
                out.push(Change::Override { exercise, reason: o.reason.clone() });
            }
            continue;
        };
        if old.dose != item.dose {
            out.push(Change::Dose {
                exercise: exercise.clone(),
                from: dose_words(old),
                to: dose_words(item),
            });
        }
        if (old.start, old.end) != (item.start, item.end) {
            out.push(Change::Dates {
                exercise: exercise.clone(),
                from: dates(old),
                to: dates(item),
            });
        }
        if old.note != item.note {
            out.push(Change::Note { exercise: exercise.clone() });
        }
        if old.range != item.range {
            out.push(Change::Range {
                exercise: exercise.clone(),
                from: range(old),
                to: range(item),
            });
        }
        if old.camera != item.camera {
            out.push(Change::Camera { exercise: exercise.clone(), offered: item.camera });
        }
        match (&old.override_, &item.override_) {
            (None, Some(o)) => out.push(Change::Override { exercise, reason: o.reason.clone() }),
            (Some(a), Some(b)) if a.reason != b.reason => {
                out.push(Change::Override { exercise, reason: b.reason.clone() });
            }
            (Some(_), None) => out.push(Change::OverrideRemoved { exercise }),
            _ => {}
        }
    }
    let kept = |list: &[Item], other: &[Item]| -> Vec<String> {
        list.iter()
            .filter(|i| find(other, &i.exercise).is_some())
            .map(|i| i.exercise.clone())
            .collect()
    };
    let (was, now) = (kept(before, after), kept(after, before));
    if was != now {
        out.push(Change::Reordered { order: after.iter().map(|i| i.exercise.clone()).collect() });
    }
    out
}

fn dose_words(item: &Item) -> String {
    let mut text = item.dose.patient_text();
    text.push_str(&format!(", {} s rest", item.dose.rest_s));
    if let Some(load) = &item.dose.load {
        text.push_str(&format!(", {load}"));
    }
    if let Some(effort) = item.dose.effort {
        text.push_str(&format!(", effort {effort}/10"));
    }
    text
}

fn dates(item: &Item) -> String {
    let words = |d: time::Date| format!("{} {} {}", d.day(), d.month(), d.year());
    match item.end {
        Some(end) => format!("{} to {}", words(item.start), words(end)),
        None => format!("from {}", words(item.start)),
    }
}

fn range(item: &Item) -> String {
    match item.range {
        Some(r) => format!("target {}°, maximum {}°", r.target_deg, r.max_deg),
        None => "none".to_owned(),
    }
}
