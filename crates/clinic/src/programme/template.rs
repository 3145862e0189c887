//! Programme templates: a starting set of exercises for a pathway and phase. The built-in ones
//! are data (`crates/clinic/library/templates.json`); a clinic saves its own in the same shape.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::exercise::{Dose, Exercise, Problem};
use crate::pathway::{Pathway, Phase};
use crate::programme::{Item, MAX_EXERCISES, MAX_TEXT_CHARS};

/// A template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Stable id (`post-op-fusion-early`; a clinic's own get a generated id).
    pub id: String,
    /// Its name, as clinicians see it.
    pub name: String,
    /// What it is for and what it respects, for clinicians.
    pub description: String,
    /// The pathway it is for.
    pub pathway: Pathway,
    /// The phase it is for.
    pub phase: Phase,
    /// The exercises, in order.
    pub items: Vec<TemplateItem>,
}

/// One exercise of a template: the library's default dose unless the template sets one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateItem {
    /// The exercise's id.
    pub exercise: String,
    /// The dose, when it differs from the exercise's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose: Option<Dose>,
    /// A note to the patient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Every built-in template.
///
/// # Panics
/// If the built-in data does not parse; the tests keep it parsing.
pub fn builtin() -> &'static [Template] {
    static TEMPLATES: OnceLock<Vec<Template>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        serde_json::from_str(include_str!("../../library/templates.json"))
            .unwrap_or_else(|e| panic!("the built-in templates do not parse: {e}"))
    })
}

impl Template {
    /// The programme this template gives, starting on `start`; `None` if an exercise is
    /// missing from the library.
    pub fn instantiate<'a>(
        &self,
        lookup: &dyn Fn(&str) -> Option<&'a Exercise>,
        start: Date,
    ) -> Option<Vec<Item>> {
        self.items
            .iter()
            .map(|t| {
                let exercise = lookup(&t.exercise)?;
                Some(Item {
                    exercise: t.exercise.clone(),
                    dose: t.dose.clone().unwrap_or_else(|| exercise.dose.clone()),
                    start,
                    end: None,
                    note: t.note.clone(),
                    range: None,
                    override_: None,
                    camera: false,
                })
            })
            .collect()
    }

    /// Every problem with this template on its own (names, pathway and phase, doses, exercises).
    pub fn problems<'a>(&self, lookup: &dyn Fn(&str) -> Option<&'a Exercise>) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut bad = |field: String, message: String| out.push(Problem { field, message });
        if self.name.trim().is_empty() || self.name.chars().count() > 80 {
            bad("name".to_owned(), "give the template a name of 1 to 80 characters".to_owned());
        }
        if self.description.chars().count() > MAX_TEXT_CHARS {
            bad(
                "description".to_owned(),
                format!("keep the description to {MAX_TEXT_CHARS} characters or fewer"),
            );
        }
        if !self.pathway.phases().contains(&self.phase) {
            bad(
                "phase".to_owned(),
                format!("the {} pathway has no {} phase", self.pathway, self.phase),
            );
        }
        if self.items.is_empty() || self.items.len() > MAX_EXERCISES {
            bad("items".to_owned(), format!("a template holds 1 to {MAX_EXERCISES} exercises"));
        }
        for (k, item) in self.items.iter().enumerate() {
            if lookup(&item.exercise).is_none() {
                bad(
                    format!("items[{k}].exercise"),
                    format!("no exercise has the id {:?}", item.exercise),
                );
            }
            if let Some(dose) = &item.dose {
                for p in dose.problems(&format!("items[{k}].dose")) {
                    bad(p.field, p.message);
                }
            }
        }
        out
    }
}
