//! What a questionnaire looks like to the patient answering it: a plain title and what it is
//! about (the instrument's own name is for staff), how many questions and about how long, whether
//! it is asked one section per screen, how many questions may be left out, and the problems
//! with a set of answers in words a patient can act on, each tied to its question.
//!
//! None of it says how an instrument is scored or what an answer leads to: patients who know
//! that one answer brings a phone call may answer differently.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    definition::{Instrument, Response},
    scoring::{AnswerProblem, MIN_ANSWERED_SECTIONS, ScoreError},
};

/// The patient's words for an instrument, part of its definition file (`patient`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientText {
    /// What it is about, as a title: "How your back affects daily life".
    pub title: String,
    /// One or two sentences on what is asked.
    pub about: String,
    /// A line shown with every question, where the items need it (e.g. the time frame).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// About how long it takes, in whole minutes.
    pub minutes: u8,
    /// What to tell a patient who left a question unanswered, by item id: "Choose how much
    /// your back affects walking".
    pub missing: BTreeMap<String, String>,
}

/// Above this many answers to choose from, a questionnaire is asked one section per screen.
///
/// Thirty choices is about three phone screens of options; past that, a patient with shaky
/// hands scrolls through a long page, loses their place and misses a question. The rule picks
/// the ODI and NDI (ten sections of six statements) and the PHQ-9 (nine questions of four);
/// the GAD-7 (28), the STarT Back tool (21) and the short ones stay on one page.
pub const MAX_CHOICES_ON_ONE_PAGE: usize = 30;

/// One thing to put right in a set of answers, tied to the question it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The question's position (0-based) in the instrument's items; for the PSFS, the
    /// activity's position.
    pub index: usize,
    /// What to do, in the patient's words.
    pub message: String,
}

impl Instrument {
    /// "10 questions, about 4 minutes": what the patient is taking on.
    pub fn size_in_words(&self) -> String {
        let minutes = self.patient().minutes.max(1);
        let time = if minutes == 1 {
            "about 1 minute".to_owned()
        } else {
            format!("about {minutes} minutes")
        };
        match self.repeat() {
            Some(r) => format!("{} to {} activities, {time}", r.min, r.max),
            None => match self.items().len() {
                1 => format!("1 question, {time}"),
                n => format!("{n} questions, {time}"),
            },
        }
    }

    /// How many answers there are to choose from over the whole questionnaire (a scale of 0 to
    /// 10 is eleven; a number of hours counts as one).
    pub fn choices(&self) -> usize {
        self.items()
            .iter()
            .map(|item| match &item.response {
                Response::Options(o) => o.len(),
                Response::Scale(s) => usize::try_from(s.max - s.min + 1).unwrap_or(1),
                Response::Hours(_) => 1,
            })
            .sum()
    }

    /// Whether the questionnaire is asked one section per screen
    /// ([`MAX_CHOICES_ON_ONE_PAGE`]). A repeated instrument (PSFS) never is: its activities
    /// are named and rated together.
    pub fn one_section_per_screen(&self) -> bool {
        self.repeat().is_none() && self.choices() > MAX_CHOICES_ON_ONE_PAGE
    }

    /// How many questions a patient may leave out and still be scored: two of the ten
    /// sections of the ODI and NDI, none elsewhere (the WPAI's conditional questions are left
    /// empty by its own rules, not skipped).
    pub fn may_skip(&self) -> usize {
        match self.id() {
            super::InstrumentId::Odi | super::InstrumentId::Ndi => {
                self.items().len().saturating_sub(MIN_ANSWERED_SECTIONS)
            }
            _ => 0,
        }
    }

    /// What to tell the patient when the question at `index` has no answer.
    pub fn missing_message(&self, index: usize) -> String {
        let item = match self.repeat() {
            Some(_) => self.items().first(),
            None => self.items().get(index),
        };
        let Some(item) = item else { return "Answer every question".to_owned() };
        match self.patient().missing.get(&item.id) {
            Some(m) => m.clone(),
            None => format!("Answer the question \u{201c}{}\u{201d}", item.label),
        }
    }

    /// Everything to put right before these answers can be sent, in the patient's words, each
    /// tied to its question; empty when they can be scored.
    ///
    /// Scoring stops at the first problem, so each one found is set aside (a stand-in answer
    /// in its place) and the answers are scored again, until they score or a problem repeats.
    /// Never a scoring rule, an item code or a number the patient did not type.
    pub fn problems(&self, answers: &[Option<f64>]) -> Vec<Problem> {
        let mut trial = answers.to_vec();
        let mut problems: Vec<Problem> = Vec::new();
        for _ in 0..=trial.len() + 1 {
            let error = match self.score(&trial) {
                Ok(_) => break,
                Err(e) => e,
            };
            let found = self.problems_of(&error, &trial);
            let new: Vec<Problem> = found
                .into_iter()
                .filter(|p| !problems.iter().any(|q| q.index == p.index))
                .collect();
            if new.is_empty() {
                break;
            }
            for p in &new {
                if let Some(slot) = trial.get_mut(p.index) {
                    *slot = self.stand_in(p.index, &error);
                }
            }
            let whole_form = matches!(error, ScoreError::TooFewAnswered { .. })
                || matches!(error, ScoreError::TooFewAnswers { .. });
            problems.extend(new);
            if whole_form {
                break;
            }
        }
        problems.sort_by_key(|p| p.index);
        problems
    }

    /// The problems one scoring error stands for.
    fn problems_of(&self, error: &ScoreError, answers: &[Option<f64>]) -> Vec<Problem> {
        match error {
            ScoreError::TooFewAnswered { .. } => answers
                .iter()
                .enumerate()
                .filter(|(_, a)| a.is_none())
                .map(|(index, _)| Problem { index, message: self.missing_message(index) })
                .collect(),
            ScoreError::TooFewAnswers { expected, got, .. } => vec![Problem {
                index: *got,
                message: match self.repeat() {
                    Some(_) => format!(
                        "Name at least {} activities you find hard, and choose how well you can \
                         do each one",
                        expected.min
                    ),
                    None => "Answer every question".to_owned(),
                },
            }],
            ScoreError::TooManyAnswers { expected, .. } => vec![Problem {
                index: expected.max.saturating_sub(1),
                message: format!("Name no more than {} activities", expected.max),
            }],
            ScoreError::InvalidAnswer { position, problem, .. } => {
                let index = position.saturating_sub(1);
                vec![Problem { index, message: self.problem_message(index, problem) }]
            }
            ScoreError::UnknownInstrument(_)
            | ScoreError::Input { .. }
            | ScoreError::Output { .. } => {
                vec![Problem { index: 0, message: "Check your answers and send them again".into() }]
            }
        }
    }

    fn problem_message(&self, index: usize, problem: &AnswerProblem) -> String {
        let hours = self.items().get(index).and_then(|i| match &i.response {
            Response::Hours(h) => Some(h.max),
            _ => None,
        });
        match (problem, hours) {
            (AnswerProblem::MustBeEmpty { .. }, _) => {
                "Leave this question empty: from your earlier answer, it does not apply to you"
                    .to_owned()
            }
            (AnswerProblem::Missing { .. }, _) => self.missing_message(index),
            (_, Some(max)) => format!("Enter a number of hours from 0 to {max}, like 7.5"),
            (AnswerProblem::Inconsistent { .. }, None) => format!(
                "Check this answer: it does not fit with your others. {}",
                self.missing_message(index)
            ),
            _ => self.missing_message(index),
        }
    }

    /// An allowed answer to put in place of a problem while looking for the next one.
    fn stand_in(&self, index: usize, error: &ScoreError) -> Option<f64> {
        if let ScoreError::InvalidAnswer { problem: AnswerProblem::MustBeEmpty { .. }, .. } = error
        {
            return None;
        }
        let response = match self.repeat() {
            Some(_) => self.items().first().map(|i| &i.response),
            None => self.items().get(index).map(|i| &i.response),
        };
        match response {
            Some(Response::Options(o)) => o.first().map(|o| f64::from(o.value)),
            Some(Response::Scale(s)) => Some(f64::from(s.min)),
            Some(Response::Hours(_)) => Some(0.0),
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::{InstrumentId, instruments};

    fn odi() -> &'static Instrument {
        Instrument::builtin(InstrumentId::Odi)
    }

    #[test]
    fn every_instrument_has_a_patient_title_and_a_message_for_every_question() {
        for inst in instruments() {
            let p = inst.patient();
            assert_ne!(
                p.title,
                inst.title(),
                "{}: the patient title is not the instrument name",
                inst.id()
            );
            assert!(p.minutes >= 1, "{}", inst.id());
            for item in inst.items() {
                let m =
                    p.missing.get(&item.id).unwrap_or_else(|| panic!("{} {}", inst.id(), item.id));
                assert!(m.starts_with("Choose") || m.starts_with("Enter"), "{m}");
            }
            assert_eq!(
                p.missing.len(),
                inst.items().len(),
                "{}: no message for a missing item",
                inst.id()
            );
        }
        assert_eq!(odi().patient().title, "How your back affects daily life");
    }

    #[test]
    fn sizes_read_as_a_patient_would_say_them() {
        assert_eq!(odi().size_in_words(), "10 questions, about 4 minutes");
        assert_eq!(
            Instrument::builtin(InstrumentId::Nprs).size_in_words(),
            "1 question, about 1 minute"
        );
        assert_eq!(
            Instrument::builtin(InstrumentId::Psfs).size_in_words(),
            "3 to 5 activities, about 3 minutes"
        );
    }

    #[test]
    fn long_instruments_are_asked_one_section_per_screen() {
        let paged: Vec<InstrumentId> = instruments()
            .iter()
            .filter(|i| i.one_section_per_screen())
            .map(Instrument::id)
            .collect();
        assert_eq!(paged, [InstrumentId::Odi, InstrumentId::Ndi, InstrumentId::Phq9]);
        assert_eq!(odi().choices(), 60);
        assert_eq!(Instrument::builtin(InstrumentId::Gad7).choices(), 28);
    }

    #[test]
    fn only_the_odi_and_ndi_may_be_skipped_and_only_two_sections() {
        for inst in instruments() {
            let expected = match inst.id() {
                InstrumentId::Odi | InstrumentId::Ndi => 2,
                _ => 0,
            };
            assert_eq!(inst.may_skip(), expected, "{}", inst.id());
        }
    }

    #[test]
    fn answers_that_score_have_no_problems() {
        let answers = vec![Some(2.0); 10];
        assert!(odi().problems(&answers).is_empty());
        let mut two_skipped = answers;
        two_skipped[7] = None;
        two_skipped[9] = None;
        assert!(odi().problems(&two_skipped).is_empty());
    }

    #[test]
    fn too_many_skipped_sections_name_each_one_in_plain_words() {
        let mut answers = vec![Some(1.0); 10];
        for i in [3, 7, 9] {
            answers[i] = None;
        }
        let problems = odi().problems(&answers);
        assert_eq!(
            problems,
            vec![
                Problem { index: 3, message: "Choose how much your back affects walking".into() },
                Problem {
                    index: 7,
                    message:
                        "Choose how much your back affects your sex life, or skip this question"
                            .into()
                },
                Problem {
                    index: 9,
                    message: "Choose how much your back affects travelling".into()
                },
            ]
        );
        for p in &problems {
            assert!(!p.message.contains('`') && !p.message.contains("odi"), "{}", p.message);
        }
    }

    #[test]
    fn every_unanswered_required_question_is_listed_not_only_the_first() {
        let phq9 = Instrument::builtin(InstrumentId::Phq9);
        let mut answers = vec![Some(0.0); 9];
        answers[1] = None;
        answers[8] = None;
        let problems = phq9.problems(&answers);
        assert_eq!(problems.iter().map(|p| p.index).collect::<Vec<_>>(), [1, 8]);
        assert_eq!(problems[0].message, "Choose how often you have felt low, sad or without hope");
    }

    #[test]
    fn wpai_problems_say_what_to_do() {
        let wpai = Instrument::builtin(InstrumentId::Wpai);
        // In paid work, but the hours worked are missing and the hours lost are out of range.
        let answers = [Some(1.0), Some(500.0), Some(0.0), None, Some(3.0), Some(4.0)];
        let problems = wpai.problems(&answers);
        assert_eq!(
            problems[0],
            Problem { index: 1, message: "Enter a number of hours from 0 to 168, like 7.5".into() }
        );
        assert!(
            problems
                .iter()
                .any(|p| p.index == 3 && p.message == "Enter the hours you worked, or 0"),
            "{problems:?}"
        );
        // Not in paid work: the work questions must stay empty.
        let answers = [Some(0.0), Some(4.0), None, None, None, Some(4.0)];
        let problems = wpai.problems(&answers);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.starts_with("Leave this question empty"));
    }

    #[test]
    fn psfs_asks_for_enough_activities() {
        let psfs = Instrument::builtin(InstrumentId::Psfs);
        let problems = psfs.problems(&[Some(4.0)]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.starts_with("Name at least 3 activities"));
        let problems = psfs.problems(&[Some(4.0), None, Some(2.0)]);
        assert_eq!(
            problems,
            vec![Problem {
                index: 1,
                message: "Choose how well you can do this activity now".into()
            }]
        );
    }

    #[test]
    fn no_patient_text_speaks_of_scores_or_follow_up() {
        for inst in instruments() {
            let p = inst.patient();
            let all = [p.title.as_str(), p.about.as_str(), p.hint.as_deref().unwrap_or("")]
                .join(" ")
                .to_lowercase();
            for word in
                ["score", "scoring", "total", "follow-up", "follow up", "alert", "screen", "points"]
            {
                assert!(
                    !all.contains(word),
                    "{}: patient text mentions {word:?}: {all}",
                    inst.id()
                );
            }
        }
    }
}
