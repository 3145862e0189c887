//! A clinician's review of a triage decision: the rules the review form must meet before it is
//! recorded.
//!
//! The final tier must be one of the four tiers; changing the tier triage proposed needs a note
//! saying why (at most [`MAX_REVIEW_NOTE_CHARS`] characters); and a pathway may be started only
//! together with exercise care. Every problem names its field and says, in plain words, what to
//! change, so a form can show it beside the field.

use std::fmt;

use serde::Serialize;

use crate::pathway::Pathway;
use crate::triage::Tier;

/// The longest review note we keep.
pub const MAX_REVIEW_NOTE_CHARS: usize = 2000;

/// The review form as the clinician sent it: text, as a page or the API receives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReviewForm<'a> {
    /// The tier the clinician settles on, by wire name (`exercise`, `specialist`, …).
    pub final_tier: &'a str,
    /// Why, in the clinician's words. Blank counts as no note.
    pub note: Option<&'a str>,
    /// The pathway to start, by wire name. Blank counts as none.
    pub pathway: Option<&'a str>,
}

/// A review that passed every rule, ready to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    /// The tier the clinician settled on.
    pub final_tier: Tier,
    /// The note, trimmed; `None` when none was given.
    pub note: Option<String>,
    /// The pathway to start, on exercise care only.
    pub pathway: Option<Pathway>,
    /// Whether the clinician changed the proposed tier.
    pub tier_changed: bool,
}

/// The fields of the review form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewField {
    /// The final tier.
    FinalTier,
    /// The note.
    Note,
    /// The pathway.
    Pathway,
}

impl ReviewField {
    /// The field's name on the form and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewField::FinalTier => "final_tier",
            ReviewField::Note => "note",
            ReviewField::Pathway => "pathway",
        }
    }
}

/// One problem with one field of the review form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewProblem {
    /// The field at fault.
    pub field: ReviewField,
    /// What to change, in plain words.
    pub message: String,
}

/// Why a review was refused: every problem, in form order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ReviewRefused {
    /// At least one problem.
    pub problems: Vec<ReviewProblem>,
}

impl ReviewRefused {
    /// The first problem, for callers that report one field at a time.
    pub fn first(&self) -> Option<&ReviewProblem> {
        self.problems.first()
    }
}

impl fmt::Display for ReviewRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> =
            self.problems.iter().map(|p| format!("{}: {}", p.field.as_str(), p.message)).collect();
        f.write_str(&parts.join("; "))
    }
}

/// Checks a clinician's review of a decision whose proposed tier was `proposed`.
pub fn check_review(proposed: Tier, form: &ReviewForm<'_>) -> Result<Review, ReviewRefused> {
    let mut problems = Vec::new();
    let mut refuse = |field, message: String| problems.push(ReviewProblem { field, message });

    let final_tier = match form.final_tier.trim().parse::<Tier>() {
        Ok(tier) => Some(tier),
        Err(_) => {
            refuse(
                ReviewField::FinalTier,
                "Choose the final tier: exercise, specialist, urgent or emergency.".to_owned(),
            );
            None
        }
    };

    let note = form.note.map(str::trim).filter(|n| !n.is_empty());
    let tier_changed = final_tier.is_some_and(|t| t != proposed);
    if tier_changed && note.is_none() {
        refuse(
            ReviewField::Note,
            format!(
                "Say why you are changing the tier triage proposed ({}). The note stays with \
                 the decision.",
                proposed.as_str()
            ),
        );
    }
    if note.is_some_and(|n| n.chars().count() > MAX_REVIEW_NOTE_CHARS) {
        refuse(
            ReviewField::Note,
            format!("Keep the note to {MAX_REVIEW_NOTE_CHARS} characters or fewer."),
        );
    }

    let pathway = match form.pathway.map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(text) => match text.parse::<Pathway>() {
            Ok(pathway) => Some(pathway),
            Err(_) => {
                refuse(ReviewField::Pathway, "Choose a pathway from the list.".to_owned());
                None
            }
        },
    };
    if pathway.is_some() && final_tier.is_some_and(|t| t != Tier::Exercise) {
        refuse(
            ReviewField::Pathway,
            "A pathway starts only with exercise care. Leave the pathway empty, or choose \
             exercise as the final tier."
                .to_owned(),
        );
    }

    match final_tier {
        Some(final_tier) if problems.is_empty() => {
            Ok(Review { final_tier, note: note.map(str::to_owned), pathway, tier_changed })
        }
        _ => Err(ReviewRefused { problems }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(proposed: Tier, form: ReviewForm<'_>) -> Vec<&'static str> {
        match check_review(proposed, &form) {
            Ok(_) => vec![],
            Err(e) => e.problems.iter().map(|p| p.field.as_str()).collect(),
        }
    }

    #[test]
    fn review_rules_table() {
        let long = "x".repeat(MAX_REVIEW_NOTE_CHARS + 1);
        let just = "x".repeat(MAX_REVIEW_NOTE_CHARS);
        let form = |final_tier, note, pathway| ReviewForm { final_tier, note, pathway };
        let cases: &[(Tier, ReviewForm<'_>, &[&str])] = &[
            // Confirming needs nothing more; a pathway may start with exercise care.
            (Tier::Exercise, form("exercise", None, Some("conservative_lumbar")), &[]),
            (Tier::Urgent, form("urgent", None, None), &[]),
            // The tier must be one of ours, spelt as on the wire.
            (Tier::Urgent, form("routine", None, None), &["final_tier"]),
            (Tier::Urgent, form("", Some("why"), None), &["final_tier"]),
            // Changing the tier needs a note; a blank one does not count.
            (Tier::Specialist, form("exercise", None, None), &["note"]),
            (Tier::Specialist, form("exercise", Some("   "), None), &["note"]),
            (Tier::Specialist, form("exercise", Some("Seen by the surgeon; safe"), None), &[]),
            // The note has a length limit: 2000 is fine, 2001 is not.
            (Tier::Exercise, form("exercise", Some(&just), None), &[]),
            (Tier::Exercise, form("exercise", Some(&long), None), &["note"]),
            // A pathway starts only with exercise care, and must be one we know.
            (Tier::Urgent, form("urgent", None, Some("conservative_lumbar")), &["pathway"]),
            (Tier::Exercise, form("exercise", None, Some("yoga")), &["pathway"]),
            (Tier::Exercise, form("exercise", None, Some("  ")), &[]),
            // Every problem is reported together.
            (Tier::Urgent, form("exercise", None, Some("yoga")), &["note", "pathway"]),
        ];
        for (proposed, form, expected) in cases {
            assert_eq!(fields(*proposed, *form), *expected, "{proposed:?} {form:?}");
        }
    }

    #[test]
    fn an_accepted_review_is_typed_and_trimmed() {
        let form = ReviewForm {
            final_tier: " exercise ",
            note: Some("  Surgeon says exercise is safe.  "),
            pathway: Some("prehab"),
        };
        let review = check_review(Tier::Specialist, &form).expect("accepted");
        assert_eq!(review.final_tier, Tier::Exercise);
        assert_eq!(review.note.as_deref(), Some("Surgeon says exercise is safe."));
        assert_eq!(review.pathway, Some(Pathway::Prehab));
        assert!(review.tier_changed);
        let refused = check_review(Tier::Urgent, &ReviewForm { final_tier: "x", ..form })
            .expect_err("refused");
        assert!(refused.to_string().starts_with("final_tier: Choose the final tier"));
        assert_eq!(refused.first().map(|p| p.field), Some(ReviewField::FinalTier));
    }
}
