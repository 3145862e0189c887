//! The pages of the intake, one topic each, in order; and how to read the draft's answers back
//! typed.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// One page of the intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    Region,
    Duration,
    Pain,
    History,
    Injury,
    Symptoms,
    Imaging,
    Treatment,
    Surgery,
    Goals,
}

impl Step {
    /// Every page, in the order the patient sees them.
    pub(super) const ALL: [Step; 10] = [
        Step::Region,
        Step::Duration,
        Step::Pain,
        Step::History,
        Step::Injury,
        Step::Symptoms,
        Step::Imaging,
        Step::Treatment,
        Step::Surgery,
        Step::Goals,
    ];

    /// The page's address under `/intake/`.
    pub(super) fn slug(self) -> &'static str {
        match self {
            Step::Region => "region",
            Step::Duration => "duration",
            Step::Pain => "pain",
            Step::History => "history",
            Step::Injury => "injury",
            Step::Symptoms => "symptoms",
            Step::Imaging => "imaging",
            Step::Treatment => "treatment",
            Step::Surgery => "surgery",
            Step::Goals => "goals",
        }
    }

    pub(super) fn from_slug(slug: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// The question, which is the page's heading.
    pub(super) fn title(self) -> &'static str {
        match self {
            Step::Region => "Where is your pain?",
            Step::Duration => "How long have you had this pain?",
            Step::Pain => "How bad is your pain right now?",
            Step::History => "Have you ever had any of these?",
            Step::Injury => "Did this pain start after a fall, accident or injury?",
            Step::Symptoms => "Do you have any of these now?",
            Step::Imaging => "Have you had a scan of your spine?",
            Step::Treatment => "Treatment so far",
            Step::Surgery => "Has anyone talked to you about an operation?",
            Step::Goals => "What would you like to be able to do again?",
        }
    }

    /// The short name on the check-your-answers page.
    pub(super) fn short(self) -> &'static str {
        match self {
            Step::Region => "Where it hurts",
            Step::Duration => "How long",
            Step::Pain => "Pain now",
            Step::History => "Health history",
            Step::Injury => "Injury",
            Step::Symptoms => "Warning signs",
            Step::Imaging => "Scans",
            Step::Treatment => "Treatment so far",
            Step::Surgery => "Operation",
            Step::Goals => "Your goals",
        }
    }

    /// The intake fields this page writes; it is answered once the first is in the draft.
    pub(super) fn keys(self) -> &'static [&'static str] {
        match self {
            Step::Region => &["regions"],
            Step::Duration => &["duration"],
            Step::Pain => &["pain_now"],
            Step::History => &["history"],
            Step::Injury => &["trauma"],
            Step::Symptoms => &["symptoms", "symptoms_not_sure"],
            Step::Imaging => &["imaging"],
            Step::Treatment => &["conservative_care"],
            Step::Surgery => &["surgery"],
            Step::Goals => &["goals"],
        }
    }

    pub(super) fn answered(self, a: &Map<String, Value>) -> bool {
        a.contains_key(self.keys()[0])
    }

    /// Where the patient goes after this page.
    pub(super) fn next(self) -> Option<Step> {
        let i = Step::ALL.iter().position(|s| *s == self)?;
        Step::ALL.get(i + 1).copied()
    }

    pub(super) fn previous(self) -> Option<Step> {
        let i = Step::ALL.iter().position(|s| *s == self)?;
        i.checked_sub(1).map(|i| Step::ALL[i])
    }

    /// 1-based position, for "Question 3 of 10".
    pub(super) fn number(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }
}

/// A draft field read as the clinic's type; `None` when absent or unreadable.
pub(super) fn get<T: DeserializeOwned>(a: &Map<String, Value>, key: &str) -> Option<T> {
    a.get(key).and_then(|v| serde_json::from_value(v.clone()).ok())
}
