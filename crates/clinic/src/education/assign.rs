//! Which lessons are a patient's, and which one is this week's.
//!
//! The rule, in words:
//!
//! - A lesson that names no pathway is for everyone, including a patient who is not on a
//!   pathway yet (the red flags lesson is one). Otherwise the patient's pathway must be named.
//! - A lesson that names no phase is for every phase. Otherwise the patient's phase, or a phase
//!   of their pathway they have already passed, must be named: a lesson stays once given.
//! - A lesson waits for its week of care: it is given once the patient has been in care for at
//!   least that many completed weeks (week 0 is the first week).
//! - The patient's lessons come in order of week, then in the catalogue's order (the built-in
//!   lessons first, then the clinic's own).
//! - This week's lesson is the first of them the patient has not read. When every one is read,
//!   there is none until the next is given.

use crate::education::Lesson;
use crate::pathway::{Pathway, Phase};

/// Where a patient is in their care, as far as lessons go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CareContext {
    /// Their pathway, once chosen.
    pub pathway: Option<Pathway>,
    /// Their phase today, when it can be worked out.
    pub phase: Option<Phase>,
    /// Completed weeks since their episode of care opened (0 in the first week).
    pub weeks_in_care: u16,
}

/// Whether `lesson` is given to a patient in `ctx` (the rule in the module's documentation).
pub fn is_for(lesson: &Lesson, ctx: &CareContext) -> bool {
    let pathway_fits =
        lesson.pathways.is_empty() || ctx.pathway.is_some_and(|p| lesson.pathways.contains(&p));
    let phase_fits = lesson.phases.is_empty()
        || match (ctx.pathway, ctx.phase) {
            (Some(pathway), Some(phase)) => {
                let order = pathway.phases();
                let now = order.iter().position(|p| *p == phase);
                lesson.phases.iter().any(|want| {
                    *want == phase
                        || order.iter().position(|p| p == want).zip(now).is_some_and(|(w, n)| w < n)
                })
            }
            _ => false,
        };
    pathway_fits && phase_fits && lesson.week <= ctx.weeks_in_care
}

/// The lessons given to a patient in `ctx`, in the order they are given. `catalogue` is the
/// built-in lessons, then the clinic's own.
pub fn assigned<'a>(
    catalogue: impl IntoIterator<Item = &'a Lesson>,
    ctx: &CareContext,
) -> Vec<&'a Lesson> {
    let mut out: Vec<&Lesson> = catalogue.into_iter().filter(|l| is_for(l, ctx)).collect();
    // Stable: lessons of one week keep the catalogue's order.
    out.sort_by_key(|l| l.week);
    out
}

/// This week's lesson: the first of `assigned` that is not read.
pub fn this_week<'a>(
    assigned: &[&'a Lesson],
    is_read: impl Fn(&str) -> bool,
) -> Option<&'a Lesson> {
    assigned.iter().copied().find(|l| !is_read(&l.id))
}
