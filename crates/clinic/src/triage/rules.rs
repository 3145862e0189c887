//! The triage rule table and the screens built on it (clinical.md §4, the seed article).
//!
//! Each rule is one row: an id that never changes meaning, a tier, a condition, the reason shown
//! to the patient and a note for the clinician. Thresholds here (6 weeks of failed care, age over
//! 50, one month without improvement) are the platform's starting choices from the sources; a
//! licensed clinician must sign them off before release. Patients cannot change any of it.
//!
//! Rules on the `exercise` tier do not raise the tier: they keep the proposed pathway but ask a
//! clinician to review the decision before exercise starts (a fracture on imaging, a scan the
//! patient cannot describe, …). Every rule that fires, on any tier, asks for that review.

use crate::intake::{FindingKind, Region, RiskFactor, Symptom, Trauma};
use crate::triage::Tier;
// The variants are imported so the table reads as conditions (`Symptom(Symptom::FeverOrChills)`):
// a variant is the call, the intake enum of the same name is the path.
use crate::triage::condition::Condition::{self, *};

/// Weeks of conservative care that count as a fair trial before a structural finding is sent for
/// a surgical opinion. A platform choice: the sources say "failed conservative care" without a
/// number, and six weeks is the usual shortest trial.
pub const FAILED_CARE_WEEKS: u16 = 6;

/// One triage rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, snake_case; stored with decisions, so never reuse one for a new meaning.
    pub id: &'static str,
    /// The tier the rule proposes when it fires.
    pub tier: Tier,
    /// When it fires.
    pub condition: Condition,
    /// Why, for the patient: plain words, no jargon.
    pub reason: &'static str,
    /// What the clinician should consider.
    pub clinician_note: &'static str,
    /// Where the rule comes from.
    pub source: &'static str,
}

/// A group of rules reported as one check, whether or not any of them fired, so the patient and
/// clinician can see that the check was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screen {
    /// Stable id.
    pub id: &'static str,
    /// When the screen is reported.
    pub applies_when: Condition,
    /// The rules that make up the screen.
    pub rules: &'static [&'static str],
    /// Shown when none of its rules fired.
    pub clear_reason: &'static str,
    /// Shown when at least one fired.
    pub flagged_reason: &'static str,
}

/// Every rule, highest tier first.
pub fn rules() -> &'static [Rule] {
    RULES
}

/// Every screen.
pub fn screens() -> &'static [Screen] {
    SCREENS
}

// Symptoms that suggest pressure on the spinal cord or nerve roots, shared by several rules.
const NEURO_SIGNS: &[Condition] = &[
    Symptom(Symptom::SaddleNumbness),
    Symptom(Symptom::BladderOrBowelChange),
    Symptom(Symptom::BothLegsWeakOrNumb),
    Symptom(Symptom::ProgressiveWeakness),
    Symptom(Symptom::UnsteadyWalkingOrClumsyHands),
    Symptom(Symptom::NumbnessBelowALevel),
    Finding(FindingKind::CordCompression),
];

const TUMOUR_FEATURES: &[Condition] = &[
    Symptom(Symptom::UnexplainedWeightLoss),
    Symptom(Symptom::NightPainNotEasedByPosition),
    AgeOver(50),
    NoImprovementAfterWeeks(4),
];

const RULES: &[Rule] = &[
    // ---- Emergency: go to an emergency department now. ----
    Rule {
        id: "cauda_equina",
        tier: Tier::Emergency,
        condition: Any(&[
            Symptom(Symptom::SaddleNumbness),
            Symptom(Symptom::BladderOrBowelChange),
            All(&[Region(Region::Lumbar), Symptom(Symptom::BothLegsWeakOrNumb)]),
        ]),
        reason: "You told us about numbness between your legs, a change in how your bladder or \
                 bowel works, or weakness or numbness in both legs. These can mean the nerves at \
                 the bottom of the spine are being squeezed. Treating this early protects those \
                 nerves, so it needs checking in hospital straight away.",
        clinician_note: "Suspected cauda equina syndrome (or cord compression if the pain is \
                         thoracic or cervical). Emergency MRI; sources advise imaging within \
                         4 hours, and a post-void residual of 200 mL or more supports the \
                         diagnosis. No exercise until excluded.",
        source: "clinical.md §4 row 1 (cauda equina)",
    },
    Rule {
        id: "cancer_cord_compression",
        tier: Tier::Emergency,
        condition: All(&[History(RiskFactor::Cancer), Any(NEURO_SIGNS)]),
        reason: "You have had cancer, and you also told us about weakness, numbness, \
                 unsteadiness or a bladder or bowel change, or a scan showed pressure on the \
                 spinal cord. Together these can mean something is pressing on the spinal cord, \
                 which needs checking in hospital today.",
        clinician_note: "Possible metastatic spinal cord compression: cancer history with a \
                         neurological sign or cord compression on imaging. Whole-spine MRI \
                         within 24 hours; involve the acute oncology team.",
        source: "clinical.md §4 row 3 (metastatic cord compression)",
    },
    Rule {
        id: "cardiac_aortic_thoracic",
        tier: Tier::Emergency,
        condition: All(&[
            Region(Region::Thoracic),
            Any(&[
                Symptom(Symptom::ChestPainOrBreathlessness),
                Symptom(Symptom::PainNotAffectedByMovement),
            ]),
        ]),
        reason: "Pain in the upper or middle back that comes with chest pain or breathlessness, \
                 or that does not change at all when you move, can come from the heart or the \
                 main artery in the chest rather than the spine. These causes need checking in \
                 hospital now.",
        clinician_note: "Thoracic pain with chest pain, breathlessness or non-mechanical pain: \
                         exclude acute coronary syndrome, aortic dissection and other visceral \
                         causes. T4–T7 problems can mimic angina; use clinical judgement.",
        source: "clinical.md §4 row 7 (cardiac or aortic cause)",
    },
    Rule {
        id: "chest_pain_or_breathlessness",
        tier: Tier::Emergency,
        condition: All(&[
            RegionAbsent(Region::Thoracic),
            Symptom(Symptom::ChestPainOrBreathlessness),
        ]),
        reason: "Chest pain or breathlessness together with back or neck pain can be a sign of a \
                 heart or lung problem. Please get checked in hospital now.",
        clinician_note: "Chest pain or breathlessness reported with non-thoracic spinal pain: \
                         exclude cardiac, aortic and pulmonary causes before any spinal care.",
        source: "clinical.md §4 row 7 (cardiac or aortic cause)",
    },
    // ---- Urgent: same-day medical review. ----
    Rule {
        id: "myelopathy",
        tier: Tier::Urgent,
        condition: Any(&[
            Symptom(Symptom::UnsteadyWalkingOrClumsyHands),
            Symptom(Symptom::BandLikeChestPain),
            Symptom(Symptom::NumbnessBelowALevel),
            All(&[
                Any(&[Region(Region::Thoracic), Region(Region::Cervical)]),
                Symptom(Symptom::BothLegsWeakOrNumb),
            ]),
        ]),
        reason: "Unsteady walking, clumsy hands, a tight band of pain around the chest or body, \
                 numbness from a certain level down, or weakness or numbness in both legs can \
                 mean the spinal cord is under pressure. A doctor should see you today.",
        clinician_note: "Features of myelopathy. Same-day spinal referral with a neurological \
                         examination and MRI. Band-like pain can also be cardiac; check.",
        source: "clinical.md §4 row 2 (thoracic myelopathy)",
    },
    Rule {
        id: "progressive_deficit",
        tier: Tier::Urgent,
        condition: Symptom(Symptom::ProgressiveWeakness),
        reason: "Weakness in an arm or leg that is getting worse or spreading needs a doctor to \
                 check it today, so the cause can be found and treated before it goes further.",
        clinician_note: "Progressive neurological deficit. Same-day medical review and \
                         neurological examination; escalate to emergency if sphincter or \
                         saddle symptoms appear.",
        source: "clinical.md §4 row 8 (progressive deficit)",
    },
    Rule {
        id: "suspected_infection",
        tier: Tier::Urgent,
        condition: Any(&[
            Symptom(Symptom::FeverOrChills),
            Finding(FindingKind::Infection),
            All(&[
                Any(&[
                    History(RiskFactor::IvDrugUse),
                    History(RiskFactor::Immunosuppression),
                    History(RiskFactor::RecentInfection),
                ]),
                Any(&[
                    Symptom(Symptom::NightPainNotEasedByPosition),
                    Symptom(Symptom::PainNotAffectedByMovement),
                    Symptom(Symptom::UnexplainedWeightLoss),
                ]),
            ]),
        ]),
        reason: "A fever or chills, an infection seen on a scan, or a higher risk of infection \
                 together with pain at night or pain that does not change when you move, can be \
                 signs of an infection in the spine. A doctor should see you today.",
        clinician_note: "Possible spinal infection (discitis, osteomyelitis, epidural abscess). \
                         Same-day medical review: observations, blood tests with inflammatory \
                         markers, MRI as indicated. After surgery, check the wound.",
        source: "clinical.md §4 row 4 (spinal infection)",
    },
    Rule {
        id: "possible_tumour",
        tier: Tier::Urgent,
        condition: Any(&[
            History(RiskFactor::Cancer),
            All(&[
                Any(&[
                    Symptom(Symptom::UnexplainedWeightLoss),
                    Symptom(Symptom::NightPainNotEasedByPosition),
                ]),
                AtLeast(2, TUMOUR_FEATURES),
            ]),
        ]),
        reason: "Because you have had cancer, or because of symptoms such as weight loss you \
                 cannot explain or night pain that does not ease when you change position, a \
                 doctor should check that nothing other than the back itself is causing your \
                 pain before you start exercising.",
        clinician_note: "Possible spinal tumour or metastasis. Same-day review to decide on \
                         imaging; sources suggest MRI within about 2 weeks when there are no \
                         neurological signs.",
        source: "clinical.md §4 row 5 (tumour)",
    },
    Rule {
        id: "suspected_fracture",
        tier: Tier::Urgent,
        condition: Any(&[
            Trauma(Trauma::Major),
            All(&[
                Trauma(Trauma::Minor),
                Any(&[History(RiskFactor::Osteoporosis), History(RiskFactor::LongTermSteroids)]),
            ]),
        ]),
        reason: "A serious injury, or a smaller knock or fall when the bones may be thinner (with \
                 osteoporosis or after taking steroids for a long time), can break a bone in the \
                 spine. A doctor should check this today, usually with an X-ray.",
        clinician_note: "Suspected vertebral fracture. Same-day review and X-ray; an \
                         osteoporotic fracture without neurological signs can then be managed \
                         in primary care.",
        source: "clinical.md §4 row 6 (fracture)",
    },
    Rule {
        id: "non_mechanical_pain",
        tier: Tier::Urgent,
        condition: All(&[
            RegionAbsent(Region::Thoracic),
            Symptom(Symptom::PainNotAffectedByMovement),
        ]),
        reason: "Back or neck pain that stays the same whatever you do, moving or resting, can \
                 have causes other than muscles and joints, including a problem with the main \
                 artery in the belly. A doctor should check this today.",
        clinician_note: "Non-mechanical pain: consider abdominal aortic aneurysm (escalate to \
                         emergency if unwell), infection, tumour and referred visceral pain.",
        source: "clinical.md §4 row 7 (cardiac or aortic cause); rows 4–5",
    },
    Rule {
        id: "inflammatory_disease",
        tier: Tier::Urgent,
        condition: Symptom(Symptom::MarkedMorningStiffness),
        reason: "Stiffness that is worst in the morning and takes a long time to wear off can be \
                 caused by inflammation in the joints of the spine. It is treated differently \
                 from ordinary back pain, so a doctor should assess it.",
        clinician_note: "Possible inflammatory spondyloarthropathy. Contact the patient today to \
                         arrange an urgent rheumatology referral; not an emergency.",
        source: "clinical.md §4 row 9 (inflammatory disease)",
    },
    Rule {
        id: "unsure_red_flag",
        tier: Tier::Urgent,
        condition: Any(&[
            Unsure(Symptom::SaddleNumbness),
            Unsure(Symptom::BladderOrBowelChange),
            Unsure(Symptom::BothLegsWeakOrNumb),
            Unsure(Symptom::ProgressiveWeakness),
            Unsure(Symptom::UnsteadyWalkingOrClumsyHands),
            Unsure(Symptom::BandLikeChestPain),
            Unsure(Symptom::NumbnessBelowALevel),
            Unsure(Symptom::FeverOrChills),
            Unsure(Symptom::ChestPainOrBreathlessness),
            Unsure(Symptom::PainNotAffectedByMovement),
        ]),
        reason: "You were not sure about one or more warning signs that can need a doctor \
                 quickly. Someone from your care team will call you today to go through them \
                 with you. If you find that you do have one of them, or you get worse, go to an \
                 emergency department straight away.",
        clinician_note: "The patient is unsure about a red-flag symptom (listed under because). \
                         Call today and ask about it directly; a confirmed answer is handled as \
                         the matching red-flag rule would handle it.",
        source: "platform choice: an unsure answer to a red flag is asked again the same day",
    },
    // ---- Specialist: refer for a spine-surgery opinion. ----
    // These apply only before any surgical opinion: once a surgeon has recommended, booked or
    // done an operation, sending the patient back to a surgeon for the same finding adds nothing.
    Rule {
        id: "structural_failed_care",
        tier: Tier::Specialist,
        condition: All(&[
            NoSurgicalOpinion,
            Any(&[
                FindingIn(FindingKind::DiscHerniation, Region::Thoracic),
                Finding(FindingKind::Fracture),
            ]),
            CareNotHelped { min_weeks: FAILED_CARE_WEEKS },
        ]),
        reason: "Your scan shows a problem in the structure of your spine (a disc pressing out in \
                 the middle back, or a broken bone), and at least six weeks of treatment without \
                 surgery has not helped. A spine surgeon can talk you through all the options. \
                 Surgery is not automatic; you decide together.",
        clinician_note: "Structural finding with failed conservative care: refer for a \
                         spine-surgery opinion (thoracic disc: failed conservative care is an \
                         indication; fracture: consider TLICS).",
        source: "seed article; clinical.md §4 thoracic surgery indications",
    },
    Rule {
        id: "cord_compression_or_instability",
        tier: Tier::Specialist,
        condition: All(&[
            NoSurgicalOpinion,
            Any(&[Finding(FindingKind::CordCompression), Finding(FindingKind::Instability)]),
        ]),
        reason: "Your scan shows pressure on the spinal cord, or a part of the spine that moves \
                 more than it should. Before you start exercising, a spine surgeon should say \
                 what is safe for you.",
        clinician_note: "Cord compression or instability on imaging. Referred even without \
                         failed conservative care: loading a compressed cord or an unstable \
                         segment needs a surgical opinion first, and cord signal change can be \
                         an indication on its own.",
        source: "seed article; clinical.md §4 thoracic surgery indications",
    },
    Rule {
        id: "infection_or_tumour_on_imaging",
        tier: Tier::Specialist,
        condition: All(&[
            NoSurgicalOpinion,
            Any(&[Finding(FindingKind::Infection), Finding(FindingKind::Tumour)]),
        ]),
        reason: "Your scan shows an infection or a growth in the spine. A spine specialist should \
                 help plan your treatment before you start an exercise programme.",
        clinician_note: "Infection or tumour on imaging: refer for a spine-surgery opinion \
                         alongside medical or oncology care.",
        source: "seed article (infection, tumour)",
    },
    Rule {
        id: "surgery_recommended",
        tier: Tier::Specialist,
        condition: SurgeryRecommended,
        reason: "A surgeon has suggested an operation. Until you and your care team have made \
                 that decision together, your care stays with it: you can read our guide to \
                 deciding about surgery, and your physiotherapist will talk it through with you \
                 before any exercise programme starts.",
        clinician_note: "Surgery recommended, neither booked nor done: the patient stays in the \
                         surgical decision (decision aid) until a clinician decides otherwise at \
                         review, for example exercise-based care while they decide.",
        source: "issue #10 §5 (surgical decision); seed article (shared decision)",
    },
    Rule {
        id: "nerve_injury_weakness",
        tier: Tier::Specialist,
        condition: All(&[NoSurgicalOpinion, Symptom(Symptom::WeaknessInOneLimb)]),
        reason: "You have weakness in one arm or leg. When a nerve is hurt badly enough to weaken \
                 a muscle, a spine specialist should give an opinion on the best treatment.",
        clinician_note: "Stable motor deficit in one limb: confirm on examination and refer for \
                         a spine-surgery opinion. If it is worsening, use progressive_deficit.",
        source: "seed article (nerve injury affecting strength or walking)",
    },
    // ---- Review: exercise care may go ahead, but only once a clinician has looked. ----
    Rule {
        id: "structural_finding_with_surgical_opinion",
        tier: Tier::Exercise,
        condition: All(&[
            SurgicalOpinion,
            Any(&[
                Finding(FindingKind::CordCompression),
                Finding(FindingKind::Instability),
                Finding(FindingKind::Fracture),
            ]),
        ]),
        reason: "Your scan shows pressure on the spinal cord, a part of the spine that moves more \
                 than it should, or a broken bone. Your surgeon knows about it; before you \
                 exercise, your physiotherapist will check with your surgical team what is safe \
                 for you.",
        clinician_note: "Cord compression, instability or fracture on imaging with a surgical \
                         opinion already given (recommended, booked or done). Confirm with the \
                         surgical team whether it is treated and what loading is safe before the \
                         pathway starts.",
        source: "issue #10 §5 (structural threats whatever the surgery status)",
    },
    Rule {
        id: "fracture_on_imaging",
        tier: Tier::Exercise,
        condition: All(&[
            NoSurgicalOpinion,
            Finding(FindingKind::Fracture),
            Not(&CareNotHelped { min_weeks: FAILED_CARE_WEEKS }),
        ]),
        reason: "Your scan shows a broken bone in the spine. Many of these are old and have \
                 healed, but your physiotherapist will check it before you start exercising, so \
                 your programme suits your bones.",
        clinician_note: "Fracture on imaging without failed conservative care (with failed care, \
                         structural_failed_care refers instead). Check age and stability of the \
                         fracture and bone health before loading; refer if it is recent or \
                         unstable.",
        source: "issue #10 §5 (structural threats); clinical.md §4 row 6 (fracture)",
    },
    Rule {
        id: "imaging_findings_not_sure",
        tier: Tier::Exercise,
        condition: ImagingFindingsNotSure,
        reason: "You have had a scan but were not sure what it showed. Your physiotherapist will \
                 look at the report, or ask for it, before you start exercising, in case it \
                 shows something that changes your plan.",
        clinician_note: "Imaging done, findings unknown to the patient. Obtain the report before \
                         exercise; cord compression, instability or a fracture on it changes \
                         the decision.",
        source: "platform choice: an unknown scan result is read before exercise",
    },
    Rule {
        id: "unsure_other_sign",
        tier: Tier::Exercise,
        condition: Any(&[
            Unsure(Symptom::UnexplainedWeightLoss),
            Unsure(Symptom::NightPainNotEasedByPosition),
            Unsure(Symptom::MarkedMorningStiffness),
            Unsure(Symptom::WeaknessInOneLimb),
        ]),
        reason: "You were not sure about one or more of the signs we asked about. Your \
                 physiotherapist will go through them with you before you start exercising.",
        clinician_note: "The patient is unsure about a non-urgent warning sign (listed under \
                         because). Ask at the first assessment; a confirmed answer is handled as \
                         the matching rule would handle it.",
        source: "platform choice: an unsure answer is asked again before exercise",
    },
];

const SCREENS: &[Screen] = &[
    Screen {
        id: "red_flags",
        applies_when: Always,
        rules: &[
            "cauda_equina",
            "cancer_cord_compression",
            "cardiac_aortic_thoracic",
            "chest_pain_or_breathlessness",
            "myelopathy",
            "progressive_deficit",
            "suspected_infection",
            "possible_tumour",
            "suspected_fracture",
            "non_mechanical_pain",
            "inflammatory_disease",
            "unsure_red_flag",
        ],
        clear_reason: "We asked about warning signs that need a doctor quickly. None of your \
                       answers pointed to one.",
        flagged_reason: "At least one of your answers is a warning sign that needs a doctor; the \
                         reasons are listed.",
    },
    Screen {
        id: "cardiac_aortic",
        // Thoracic pain always gets this screen; so does anyone reporting the symptoms it asks
        // about, so the clinician sees the check whichever region the pain is in.
        applies_when: Any(&[
            Region(Region::Thoracic),
            Symptom(Symptom::ChestPainOrBreathlessness),
            Symptom(Symptom::PainNotAffectedByMovement),
        ]),
        rules: &["cardiac_aortic_thoracic", "chest_pain_or_breathlessness", "non_mechanical_pain"],
        clear_reason: "Pain in the upper or middle back can sometimes come from the heart or the \
                       main artery. We asked about chest pain, breathlessness and pain that does \
                       not change when you move, and you reported none of them.",
        flagged_reason: "Your answers could point to the heart or the main artery rather than \
                         the spine; the reasons are listed.",
    },
];
