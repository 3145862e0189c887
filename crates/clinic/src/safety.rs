//! When exercise must pause, and what the patient is told instead.
//!
//! Exercise pauses everywhere (the camera, and every programme later) while any of these
//! holds, and the first that holds is the reason shown:
//!
//! 1. an answer part-way through the intake fired an emergency rule
//!    (`crate::triage::emergency_so_far`) and no clinician has acknowledged the alert yet: the
//!    most urgent thing known comes first, whatever else is waiting;
//! 2. a triage decision above exercise care has not been reviewed by a clinician yet: until
//!    someone qualified has looked, the rules' warning stands;
//! 3. a clinician confirmed emergency or same-day medical care: the patient should be seen
//!    before exercising again; the next triage (a check-in with no warning sign) lifts it;
//! 4. a check-in found pain of 8 or more, a rise of 3 points or more, or a new red-flag answer,
//!    and no clinician has acknowledged the alert yet;
//! 5. a decision within exercise care that the rules still send to a clinician (a structural
//!    finding on imaging, say) has not been reviewed yet: exercise starts once they have.
//!
//! A specialist opinion, once a clinician has reviewed it, does not pause exercise by itself:
//! conservative care usually goes on while the patient waits for the appointment, and the
//! clinician who reviewed it decides otherwise through the pathway.

use crate::triage::Tier;

/// An open (not yet acknowledged) alert that stops exercise: an emergency answer during the
/// intake, or one of the flags of `crate::checkin`, by the code its care-team alert carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SafetyAlert {
    /// An intake answer fired an emergency rule before the intake was sent
    /// (`crate::triage::emergency_so_far`).
    IntakeEmergency,
    /// Triage on the check-in proposed a higher tier than a clinician last confirmed.
    HigherTier,
    /// A warning sign not reported before.
    NewWarningSign,
    /// Pain at or above [`crate::checkin::HIGH_PAIN`].
    HighPain,
    /// Pain rose by [`crate::checkin::PAIN_RISE`] or more.
    PainRise,
}

impl SafetyAlert {
    const ALL: [SafetyAlert; 5] = [
        SafetyAlert::IntakeEmergency,
        SafetyAlert::HigherTier,
        SafetyAlert::NewWarningSign,
        SafetyAlert::HighPain,
        SafetyAlert::PainRise,
    ];

    /// The alert a stored kind names; other alerts (a PHQ-9 answer) do not stop exercise.
    pub fn from_kind(kind: &str) -> Option<SafetyAlert> {
        SafetyAlert::ALL.into_iter().find(|a| a.kind() == kind)
    }

    /// The stored kind: the code of the check-in's care-team alert.
    pub fn kind(self) -> &'static str {
        match self {
            SafetyAlert::IntakeEmergency => "intake_emergency",
            SafetyAlert::HigherTier => "triage_tier",
            SafetyAlert::NewWarningSign => "new_warning_sign",
            SafetyAlert::HighPain => "high_pain",
            SafetyAlert::PainRise => "pain_rise",
        }
    }

    /// The tier the alert itself calls for, when it names one.
    pub fn tier(self) -> Option<Tier> {
        match self {
            SafetyAlert::IntakeEmergency => Some(Tier::Emergency),
            SafetyAlert::HigherTier
            | SafetyAlert::NewWarningSign
            | SafetyAlert::HighPain
            | SafetyAlert::PainRise => None,
        }
    }

    /// What the care team reads with an [`SafetyAlert::IntakeEmergency`] alert: the rules that
    /// fired and what made them fire.
    pub fn intake_emergency_message(reasons: &[crate::triage::Reason]) -> String {
        let fired: Vec<String> =
            reasons.iter().map(|r| format!("{} ({})", r.rule, r.because.join("; "))).collect();
        format!(
            "Emergency answer during the intake, which is not finished: {}. The patient was told \
             to go to an emergency department now. {}",
            fired.join(", "),
            Tier::Emergency.clinician_action()
        )
    }

    fn words(self) -> &'static str {
        match self {
            SafetyAlert::IntakeEmergency => "one of your answers can be a sign of an emergency",
            SafetyAlert::HigherTier | SafetyAlert::NewWarningSign => {
                "one of your answers can be a warning sign"
            }
            SafetyAlert::HighPain => "your pain was very high",
            SafetyAlert::PainRise => "your pain had gone up a lot",
        }
    }
}

/// What is known about a patient's safety right now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SafetyFacts {
    /// The tier of the latest triage decision when it waits for a clinician's review (the
    /// rules asked for one, or a check-in flagged it) and has none yet.
    pub unreviewed: Option<Tier>,
    /// The tier a clinician settled on, when the latest decision has been reviewed.
    pub reviewed: Option<Tier>,
    /// Safety alerts (an emergency answer, check-in flags) no clinician has acknowledged yet.
    pub open_alerts: Vec<SafetyAlert>,
}

/// Why exercise is paused.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pause {
    /// A decision above exercise care waits for a clinician's review.
    AwaitingReview(Tier),
    /// A clinician confirmed emergency or same-day medical care.
    MedicalCare(Tier),
    /// Alerts (an emergency answer during the intake, check-in flags) that no clinician has
    /// acknowledged yet.
    Alerts(Vec<SafetyAlert>),
}

/// Whether exercise must pause, and why (the first rule in the module's list that holds).
pub fn exercise_pause(facts: &SafetyFacts) -> Option<Pause> {
    if facts.open_alerts.contains(&SafetyAlert::IntakeEmergency) {
        return Some(Pause::Alerts(facts.open_alerts.clone()));
    }
    if let Some(tier) = facts.unreviewed.filter(|t| *t > Tier::Exercise) {
        return Some(Pause::AwaitingReview(tier));
    }
    if let Some(tier) = facts.reviewed.filter(|t| *t >= Tier::Urgent) {
        return Some(Pause::MedicalCare(tier));
    }
    if !facts.open_alerts.is_empty() {
        return Some(Pause::Alerts(facts.open_alerts.clone()));
    }
    facts.unreviewed.map(Pause::AwaitingReview)
}

impl Pause {
    /// The tier behind the pause, when a triage decision or an emergency answer is.
    pub fn tier(&self) -> Option<Tier> {
        match self {
            Pause::AwaitingReview(t) | Pause::MedicalCare(t) => Some(*t),
            Pause::Alerts(alerts) => alerts.iter().filter_map(|a| a.tier()).max(),
        }
    }

    /// Why exercise is paused and what to do, for the patient, in one paragraph.
    pub fn patient_message(&self) -> String {
        match self {
            Pause::AwaitingReview(Tier::Exercise) => "Your exercises wait for your physical \
                therapist: something in your answers needs their review before you exercise \
                with Physio. They have been told and will be in touch."
                .to_owned(),
            Pause::AwaitingReview(t) | Pause::MedicalCare(t) => {
                format!("Your exercises are paused. {}", t.patient_action())
            }
            Pause::Alerts(alerts) if alerts.contains(&SafetyAlert::IntakeEmergency) => format!(
                "Your exercises are paused because {}. Go to an emergency department now, or \
                 call an ambulance. Do not drive yourself. Your care team has been told and \
                 will be in touch.",
                SafetyAlert::IntakeEmergency.words(),
            ),
            Pause::Alerts(alerts) => {
                let why: Vec<&str> = alerts.iter().map(|a| a.words()).collect();
                format!(
                    "Your exercises are paused because at your check-in {}. Do not exercise \
                     until your physical therapist has been in touch; they have been told. If \
                     you get worse, or have new numbness between your legs or trouble with \
                     your bladder or bowels, go to an emergency department now.",
                    join_words(&why)
                )
            }
        }
    }
}

fn join_words(parts: &[&str]) -> String {
    match parts {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(
        unreviewed: Option<Tier>,
        reviewed: Option<Tier>,
        alerts: &[SafetyAlert],
    ) -> SafetyFacts {
        SafetyFacts { unreviewed, reviewed, open_alerts: alerts.to_vec() }
    }

    #[test]
    fn each_rule_and_its_order() {
        use SafetyAlert::*;
        use Tier::*;
        let cases = [
            (facts(None, None, &[]), None),
            (facts(Some(Exercise), None, &[]), Some(Pause::AwaitingReview(Exercise))),
            (facts(Some(Exercise), None, &[PainRise]), Some(Pause::Alerts(vec![PainRise]))),
            (facts(Some(Specialist), None, &[]), Some(Pause::AwaitingReview(Specialist))),
            (
                facts(Some(Emergency), Some(Exercise), &[PainRise]),
                Some(Pause::AwaitingReview(Emergency)),
            ),
            (facts(None, Some(Specialist), &[]), None),
            (facts(None, Some(Urgent), &[]), Some(Pause::MedicalCare(Urgent))),
            (facts(None, Some(Emergency), &[HighPain]), Some(Pause::MedicalCare(Emergency))),
            (
                facts(None, Some(Exercise), &[HighPain, NewWarningSign]),
                Some(Pause::Alerts(vec![HighPain, NewWarningSign])),
            ),
            (
                facts(Some(Specialist), None, &[PainRise, IntakeEmergency]),
                Some(Pause::Alerts(vec![PainRise, IntakeEmergency])),
            ),
        ];
        for (f, want) in cases {
            assert_eq!(exercise_pause(&f), want, "{f:?}");
        }
    }

    #[test]
    fn messages_say_why_and_what_to_do() {
        let m = Pause::Alerts(vec![SafetyAlert::HighPain, SafetyAlert::PainRise]).patient_message();
        assert!(m.contains("your pain was very high and your pain had gone up a lot"), "{m}");
        assert!(m.contains("emergency department"), "{m}");
        let m = Pause::AwaitingReview(Tier::Emergency).patient_message();
        assert!(m.contains("Go to an emergency department now"), "{m}");
        let p = Pause::Alerts(vec![SafetyAlert::IntakeEmergency]);
        assert_eq!(p.tier(), Some(Tier::Emergency));
        let m = p.patient_message();
        assert!(
            m.contains("Go to an emergency department now") && m.contains("Do not drive"),
            "{m}"
        );
        assert_eq!(Pause::Alerts(vec![SafetyAlert::HighPain]).tier(), None);
        for kind in
            ["intake_emergency", "triage_tier", "new_warning_sign", "high_pain", "pain_rise"]
        {
            assert_eq!(SafetyAlert::from_kind(kind).map(SafetyAlert::kind), Some(kind));
        }
        assert_eq!(SafetyAlert::from_kind("phq9_item9"), None);
    }
}
