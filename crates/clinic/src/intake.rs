//! The intake: what a patient tells us before care starts, and the checks that make it usable.
//!
//! [`Intake`] is the wire form (JSON, snake_case names, unknown fields refused, see
//! `docs/intake.md`). [`Intake::check`] turns it into a [`CheckedIntake`], the only form that
//! triage and pathway selection accept, so no rule ever has to ask whether a pain score is in range
//! or a date makes sense. Every problem names the field it is about, and all problems are reported
//! together so a form can show them at once.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::Date;

/// The oldest age we accept. Anything above is a typing slip, not a patient.
pub const MAX_AGE_YEARS: u8 = 120;
/// The longest pain history we accept, in days (a little over a hundred years).
pub const MAX_DURATION_DAYS: u32 = 36_525;
/// The longest run of conservative care we accept, in weeks (ten years).
pub const MAX_CARE_WEEKS: u16 = 520;
/// The heaviest surgeon-set lifting limit we accept. Real limits are a few kilograms; a bigger
/// number is almost certainly pounds or a slip, and a wrong limit is a safety problem.
pub const MAX_LIFTING_LIMIT_KG: f64 = 50.0;
/// How many goals an intake may list, and how long each may be. Goals are shown on small screens.
pub const MAX_GOALS: usize = 10;
/// See [`MAX_GOALS`].
pub const MAX_GOAL_CHARS: usize = 200;
/// Questionnaire ids are short machine names such as `odi` or `nprs`.
pub const MAX_INSTRUMENT_ID_CHARS: usize = 64;

/// A patient's intake as it arrives over the wire. Check it with [`Intake::check`] before use.
///
/// Lists that answer a "tick all that apply" question (`history`, `symptoms`) are required, even
/// when empty: an empty list says "asked, none apply", while a missing one would hide a question
/// that was never asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intake {
    /// Where the pain is. The first entry is the main region; it picks the conservative pathway.
    pub regions: Vec<Region>,
    /// How long this episode of pain has lasted.
    pub duration: PainDuration,
    /// Pain right now, 0 (none) to 10 (worst imaginable).
    pub pain_now: u8,
    /// Age in whole years. Give this or `date_of_birth`, not both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u8>,
    /// Date of birth; the age is worked out against the day of the check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<Date>,
    /// Past or present conditions and exposures that change what back pain may mean.
    pub history: Vec<RiskFactor>,
    /// The most serious injury that came before the pain.
    pub trauma: Trauma,
    /// Warning symptoms the patient has now. Empty when none apply.
    pub symptoms: Vec<Symptom>,
    /// Spine imaging done so far; absent or `null` when there has been none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imaging: Option<Imaging>,
    /// Non-surgical care tried for this episode (physiotherapy, exercise, medication).
    pub conservative_care: ConservativeCare,
    /// Where the patient stands with spine surgery.
    pub surgery: Surgery,
    /// The heaviest load the surgeon allows, in kilograms. Surgeons differ, so it is never
    /// assumed; post-operative precautions ask for it when it is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifting_limit_kg: Option<f64>,
    /// What the patient wants to get back to, in their own words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<String>,
    /// Baseline questionnaire answers keyed by instrument id. Kept opaque here: the questionnaire
    /// engine owns their shape and scoring.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub baseline: BTreeMap<String, Value>,
}

/// A part of the spine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// Neck.
    Cervical,
    /// Upper and middle back.
    Thoracic,
    /// Lower back.
    Lumbar,
}

impl Region {
    /// Every region, in head-to-tail order.
    pub const ALL: [Region; 3] = [Region::Cervical, Region::Thoracic, Region::Lumbar];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Cervical => "cervical",
            Region::Thoracic => "thoracic",
            Region::Lumbar => "lumbar",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How long the pain has lasted, in the unit the patient chose: `{"days": 10}` or `{"weeks": 6}`.
///
/// Patients think in days for a new pain and in weeks for an old one; keeping their unit avoids
/// rounding their answer, and [`PainDuration::days`] gives one scale for rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PainDuration {
    /// A number of days.
    Days(u32),
    /// A number of weeks.
    Weeks(u32),
}

impl PainDuration {
    /// The duration in days, saturating rather than overflowing on absurd input.
    pub fn days(self) -> u32 {
        match self {
            PainDuration::Days(d) => d,
            PainDuration::Weeks(w) => w.saturating_mul(7),
        }
    }

    /// The duration in whole weeks, rounded down.
    pub fn whole_weeks(self) -> u32 {
        self.days() / 7
    }
}

/// History items that raise the chance of a serious cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskFactor {
    /// Cancer now or in the past.
    Cancer,
    /// Known osteoporosis (thin bones).
    Osteoporosis,
    /// Steroid tablets or injections taken for months.
    LongTermSteroids,
    /// A weakened immune system, from illness or medicine.
    Immunosuppression,
    /// Injecting drugs, now or in the past.
    IvDrugUse,
    /// An infection in the last few weeks (for example urinary, skin or chest).
    RecentInfection,
}

impl RiskFactor {
    /// Every risk factor, in the order the intake form asks about them.
    pub const ALL: [RiskFactor; 6] = [
        RiskFactor::Cancer,
        RiskFactor::Osteoporosis,
        RiskFactor::LongTermSteroids,
        RiskFactor::Immunosuppression,
        RiskFactor::IvDrugUse,
        RiskFactor::RecentInfection,
    ];

    /// A short clinical label, used when rules explain themselves.
    pub fn label(self) -> &'static str {
        match self {
            RiskFactor::Cancer => "cancer",
            RiskFactor::Osteoporosis => "osteoporosis",
            RiskFactor::LongTermSteroids => "long-term steroids",
            RiskFactor::Immunosuppression => "immunosuppression",
            RiskFactor::IvDrugUse => "intravenous drug use",
            RiskFactor::RecentInfection => "recent infection",
        }
    }
}

/// The most serious injury before the pain began.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trauma {
    /// No injury.
    None,
    /// A low-energy injury: a fall from standing height, a stumble, lifting something.
    Minor,
    /// A high-energy injury: a road accident, a fall from a height.
    Major,
}

impl Trauma {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Trauma::None => "none",
            Trauma::Minor => "minor",
            Trauma::Major => "major",
        }
    }
}

/// Symptoms the intake asks about because they can point to something other than ordinary back
/// pain. Most are red flags; `weakness_in_one_limb` is not urgent but may need a specialist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Symptom {
    /// New numbness around the genitals, the back passage or the inner thighs.
    SaddleNumbness,
    /// A new change in bladder or bowel control or feeling.
    BladderOrBowelChange,
    /// Weakness or numbness in both legs.
    BothLegsWeakOrNumb,
    /// Weakness in an arm or leg that is getting worse or spreading.
    ProgressiveWeakness,
    /// Unsteady walking, or hands that have become clumsy.
    UnsteadyWalkingOrClumsyHands,
    /// Pain like a tight band around the chest or trunk.
    BandLikeChestPain,
    /// Numbness from a certain level of the body downwards.
    NumbnessBelowALevel,
    /// Fever, chills or sweats.
    FeverOrChills,
    /// Weight loss without trying.
    UnexplainedWeightLoss,
    /// Pain at night that changing position does not ease.
    NightPainNotEasedByPosition,
    /// Chest pain or breathlessness.
    ChestPainOrBreathlessness,
    /// Pain that stays the same whatever the patient does, moving or resting.
    PainNotAffectedByMovement,
    /// Stiffness that is marked in the morning and slow to wear off.
    MarkedMorningStiffness,
    /// Steady (not worsening) weakness in one arm or leg, such as a foot that catches.
    WeaknessInOneLimb,
}

impl Symptom {
    /// Every symptom, in the order the intake form asks about them.
    pub const ALL: [Symptom; 14] = [
        Symptom::SaddleNumbness,
        Symptom::BladderOrBowelChange,
        Symptom::BothLegsWeakOrNumb,
        Symptom::ProgressiveWeakness,
        Symptom::UnsteadyWalkingOrClumsyHands,
        Symptom::BandLikeChestPain,
        Symptom::NumbnessBelowALevel,
        Symptom::FeverOrChills,
        Symptom::UnexplainedWeightLoss,
        Symptom::NightPainNotEasedByPosition,
        Symptom::ChestPainOrBreathlessness,
        Symptom::PainNotAffectedByMovement,
        Symptom::MarkedMorningStiffness,
        Symptom::WeaknessInOneLimb,
    ];

    /// A short clinical label, used when rules explain themselves.
    pub fn label(self) -> &'static str {
        match self {
            Symptom::SaddleNumbness => "saddle numbness",
            Symptom::BladderOrBowelChange => "new bladder or bowel change",
            Symptom::BothLegsWeakOrNumb => "weakness or numbness in both legs",
            Symptom::ProgressiveWeakness => "progressive weakness",
            Symptom::UnsteadyWalkingOrClumsyHands => "unsteady walking or clumsy hands",
            Symptom::BandLikeChestPain => "band-like chest pain",
            Symptom::NumbnessBelowALevel => "numbness below a level",
            Symptom::FeverOrChills => "fever or chills",
            Symptom::UnexplainedWeightLoss => "unexplained weight loss",
            Symptom::NightPainNotEasedByPosition => "night pain not eased by position",
            Symptom::ChestPainOrBreathlessness => "chest pain or breathlessness",
            Symptom::PainNotAffectedByMovement => "pain not affected by movement",
            Symptom::MarkedMorningStiffness => "marked morning stiffness",
            Symptom::WeaknessInOneLimb => "steady weakness in one limb",
        }
    }
}

/// Spine imaging done so far. An empty `findings` list means imaging was done and showed none of
/// the findings we ask about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Imaging {
    /// What the imaging showed.
    pub findings: Vec<Finding>,
}

/// One imaging finding, optionally with the region it is in: `{"kind": "fracture"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// What was found.
    pub kind: FindingKind,
    /// Where. Required for a disc herniation, whose meaning depends on the level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
}

/// The kinds of imaging finding the intake asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A disc that has bulged or burst out of place.
    DiscHerniation,
    /// Something pressing on the spinal cord.
    CordCompression,
    /// A broken vertebra.
    Fracture,
    /// A segment that moves more than it should.
    Instability,
    /// Infection of the bone, disc or the space around the cord.
    Infection,
    /// A growth, benign or not.
    Tumour,
}

impl FindingKind {
    /// A short clinical label, used when rules explain themselves.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::DiscHerniation => "disc herniation",
            FindingKind::CordCompression => "cord compression",
            FindingKind::Fracture => "fracture",
            FindingKind::Instability => "instability",
            FindingKind::Infection => "infection",
            FindingKind::Tumour => "tumour",
        }
    }
}

/// Conservative (non-surgical) care so far: `{"weeks": 8, "helped": false}`, or `{"weeks": 0}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConservativeCare {
    /// Weeks of care tried for this episode; 0 when none.
    pub weeks: u16,
    /// Whether it helped. Required when `weeks` is above 0, absent when it is 0: with no care
    /// there is nothing to judge, and with care a missing answer would read as "not helped".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helped: Option<bool>,
}

/// Where the patient stands with spine surgery, tagged by `status`:
/// `{"status": "none"}`, `{"status": "recommended", "procedure": "fusion"}`,
/// `{"status": "scheduled", "procedure": "fusion", "date": "2025-07-01"}`,
/// `{"status": "done", "procedure": "fusion", "date": "2025-05-01"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum Surgery {
    /// No surgeon has proposed an operation. A struct variant (not a unit one) so that
    /// `deny_unknown_fields` also refuses stray fields such as a date here.
    None {},
    /// A surgeon has proposed an operation; no date is set.
    Recommended {
        /// The proposed operation, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        procedure: Option<Procedure>,
    },
    /// An operation is booked. The date must not be in the past.
    Scheduled {
        /// The booked operation.
        procedure: Procedure,
        /// The day of the operation.
        date: Date,
    },
    /// The operation has happened. The date must not be in the future.
    Done {
        /// The operation done.
        procedure: Procedure,
        /// The day of the operation.
        date: Date,
    },
}

impl Surgery {
    /// The wire name of the status.
    pub fn status(&self) -> &'static str {
        match self {
            Surgery::None {} => "none",
            Surgery::Recommended { .. } => "recommended",
            Surgery::Scheduled { .. } => "scheduled",
            Surgery::Done { .. } => "done",
        }
    }
}

/// The spine operations the post-operative pathways know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// Removal of disc or bone pressing on a nerve or the cord (includes laminectomy).
    DiscectomyOrDecompression,
    /// Joining two or more vertebrae.
    Fusion,
    /// Kyphoplasty or vertebroplasty: bone cement in a broken vertebra.
    VertebralAugmentation,
}

impl Procedure {
    /// Every procedure.
    pub const ALL: [Procedure; 3] =
        [Procedure::DiscectomyOrDecompression, Procedure::Fusion, Procedure::VertebralAugmentation];

    /// A short label for explanations.
    pub fn label(self) -> &'static str {
        match self {
            Procedure::DiscectomyOrDecompression => "discectomy or decompression",
            Procedure::Fusion => "spinal fusion",
            Procedure::VertebralAugmentation => "vertebral augmentation",
        }
    }
}

/// A pain score known to be 0–10, for callers outside the intake (check-ins, sessions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct PainScore(u8);

impl PainScore {
    /// Accepts 0 to 10 inclusive; the error names `pain`.
    pub fn new(value: u8) -> Result<PainScore, IntakeError> {
        if value <= 10 {
            Ok(PainScore(value))
        } else {
            Err(IntakeError::invalid("pain", "Enter pain as a whole number from 0 to 10."))
        }
    }

    /// The score.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// One problem with one field. `field` is a dotted path with list indexes: `imaging.findings[1]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// Where the problem is; `(root)` for the document as a whole.
    pub field: String,
    /// What is wrong and how to fix it, in words a form can show.
    pub problem: String,
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

/// Why an intake was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntakeError {
    /// The text is not JSON at all.
    #[error("the intake is not valid JSON: {message} (line {line}, column {column})")]
    Syntax {
        /// The parser's description.
        message: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
    },
    /// The JSON does not have the intake's shape: a field is missing, unknown or of the wrong
    /// type, or a value is not one of those allowed.
    #[error("{field}: {message} (line {line}, column {column})")]
    Shape {
        /// The field at fault, as precisely as it could be found.
        field: String,
        /// What is wrong.
        message: String,
        /// 1-based line where the parser stopped.
        line: usize,
        /// 1-based column where the parser stopped.
        column: usize,
    },
    /// The intake has the right shape but some values are out of range or contradict each other.
    #[error("the intake has {} problem(s): {}", problems.len(), join_problems(problems))]
    Invalid {
        /// Every problem found, in field order.
        problems: Vec<FieldProblem>,
    },
    /// The result could not be turned into JSON. Our types always encode, so this would be a bug;
    /// it is an error rather than a panic so a caller can report it.
    #[error("could not encode the result as JSON: {message}")]
    Encode {
        /// The encoder's description.
        message: String,
    },
}

impl IntakeError {
    fn invalid(field: &str, problem: &str) -> IntakeError {
        IntakeError::Invalid {
            problems: vec![FieldProblem { field: field.to_owned(), problem: problem.to_owned() }],
        }
    }

    /// Every field named by this error, for forms that mark fields.
    pub fn fields(&self) -> Vec<&str> {
        match self {
            IntakeError::Syntax { .. } | IntakeError::Encode { .. } => vec!["(root)"],
            IntakeError::Shape { field, .. } => vec![field.as_str()],
            IntakeError::Invalid { problems } => {
                problems.iter().map(|p| p.field.as_str()).collect()
            }
        }
    }
}

fn join_problems(problems: &[FieldProblem]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// An intake that passed [`Intake::check`] on a given day. Read-only, so it stays valid.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedIntake {
    intake: Intake,
    age_years: u8,
    primary_region: Region,
    as_of: Date,
}

impl CheckedIntake {
    /// The intake as submitted.
    pub fn intake(&self) -> &Intake {
        &self.intake
    }

    /// Age in whole years on the day of the check.
    pub fn age_years(&self) -> u8 {
        self.age_years
    }

    /// The main region of pain (the first one listed).
    pub fn primary_region(&self) -> Region {
        self.primary_region
    }

    /// The day the intake was checked against; pathways count weeks from it.
    pub fn as_of(&self) -> Date {
        self.as_of
    }

    /// Whether the pain includes `region`.
    pub fn has_region(&self, region: Region) -> bool {
        self.intake.regions.contains(&region)
    }

    /// Whether the patient reported `symptom`.
    pub fn has_symptom(&self, symptom: Symptom) -> bool {
        self.intake.symptoms.contains(&symptom)
    }

    /// Whether the history includes `factor`.
    pub fn has_risk_factor(&self, factor: RiskFactor) -> bool {
        self.intake.history.contains(&factor)
    }

    /// Whether imaging showed `kind`, in `region` when one is given. A finding recorded without a
    /// region matches only a question that does not ask for one: we do not guess where it was.
    pub fn has_finding(&self, kind: FindingKind, region: Option<Region>) -> bool {
        self.intake.imaging.as_ref().is_some_and(|imaging| {
            imaging
                .findings
                .iter()
                .any(|f| f.kind == kind && (region.is_none() || f.region == region))
        })
    }
}

impl Intake {
    /// Parses intake JSON, naming the field at fault when the shape is wrong.
    pub fn from_json(input: &str) -> Result<Intake, IntakeError> {
        let err = match serde_json::from_str::<Intake>(input) {
            Ok(intake) => return Ok(intake),
            Err(err) => err,
        };
        let (line, column) = (err.line(), err.column());
        // Parse loosely to tell bad JSON from JSON of the wrong shape. The typed parser cannot:
        // it reports an enum object with two keys as a syntax error, for instance.
        let value = match serde_json::from_str::<Value>(input) {
            Ok(value) => value,
            Err(syntax) => {
                return Err(IntakeError::Syntax {
                    message: strip_position(&syntax),
                    line: syntax.line(),
                    column: syntax.column(),
                });
            }
        };
        // serde_json names a missing or unknown field, but not the one holding a wrong type, so
        // try each field on its own; fall back to the field the message names.
        let (field, message) = locate(&value).unwrap_or_else(|| {
            let message = strip_position(&err);
            (named_field(&message).unwrap_or("(root)").to_owned(), message)
        });
        Err(IntakeError::Shape { field, message, line, column })
    }

    /// Checks every value and their consistency as of `today`, reporting all problems together.
    pub fn check(self, today: Date) -> Result<CheckedIntake, IntakeError> {
        let mut p = Problems::default();

        if self.regions.is_empty() {
            p.push("regions", "Choose at least one region: cervical, thoracic or lumbar.");
        }
        p.no_duplicates("regions", &self.regions);

        if self.duration.days() > MAX_DURATION_DAYS {
            p.push(
                "duration",
                "Enter how long the pain has lasted; this is longer than a lifetime.",
            );
        }
        if self.pain_now > 10 {
            p.push("pain_now", "Enter pain now as a whole number from 0 to 10.");
        }

        let age_years = match (self.age, self.date_of_birth) {
            (Some(_), Some(_)) => {
                p.push("age", "Give either age or date_of_birth, not both.");
                None
            }
            (None, None) => {
                p.push("age", "Give the patient's age or date_of_birth.");
                None
            }
            (Some(age), None) if age > MAX_AGE_YEARS => {
                p.push("age", "Enter age in whole years, from 0 to 120.");
                None
            }
            (Some(age), None) => Some(age),
            (None, Some(dob)) => match years_between(dob, today) {
                Some(age) if age <= u32::from(MAX_AGE_YEARS) => u8::try_from(age).ok(),
                Some(_) => {
                    p.push("date_of_birth", "Check the date of birth: it gives an age over 120.");
                    None
                }
                None => {
                    p.push("date_of_birth", "The date of birth cannot be after today.");
                    None
                }
            },
        };

        p.no_duplicates("history", &self.history);
        p.no_duplicates("symptoms", &self.symptoms);

        if let Some(imaging) = &self.imaging {
            let mut seen = BTreeSet::new();
            for (i, finding) in imaging.findings.iter().enumerate() {
                let field = format!("imaging.findings[{i}]");
                if finding.kind == FindingKind::DiscHerniation && finding.region.is_none() {
                    p.push(
                        &format!("{field}.region"),
                        "Say which region the disc herniation is in.",
                    );
                }
                if !seen.insert((finding.kind, finding.region)) {
                    p.push(&field, "This finding is listed twice.");
                }
            }
        }

        let care = self.conservative_care;
        if care.weeks > MAX_CARE_WEEKS {
            p.push("conservative_care.weeks", "Enter weeks of care from 0 to 520.");
        }
        match (care.weeks, care.helped) {
            (0, Some(_)) => p.push(
                "conservative_care.helped",
                "Leave this out when no conservative care has been tried (weeks is 0).",
            ),
            (1.., None) => p.push(
                "conservative_care.helped",
                "Say whether the conservative care helped: true or false.",
            ),
            _ => {}
        }

        match self.surgery {
            Surgery::Scheduled { date, .. } if date < today => p.push(
                "surgery.date",
                "A scheduled operation cannot be in the past. If it has happened, set status to done.",
            ),
            Surgery::Done { date, .. } if date > today => p.push(
                "surgery.date",
                "A done operation cannot be in the future. If it is booked, set status to scheduled.",
            ),
            _ => {}
        }

        if let Some(kg) = self.lifting_limit_kg
            && !(kg.is_finite() && (0.0..=MAX_LIFTING_LIMIT_KG).contains(&kg))
        {
            p.push(
                "lifting_limit_kg",
                "Enter the surgeon's lifting limit in kilograms, from 0 to 50.",
            );
        }

        if self.goals.len() > MAX_GOALS {
            p.push("goals", "List at most 10 goals.");
        }
        for (i, goal) in self.goals.iter().enumerate() {
            if goal.trim().is_empty() {
                p.push(&format!("goals[{i}]"), "Write the goal, or remove the empty entry.");
            } else if goal.chars().count() > MAX_GOAL_CHARS {
                p.push(&format!("goals[{i}]"), "Keep each goal to 200 characters or fewer.");
            }
        }

        for id in self.baseline.keys() {
            if id.trim().is_empty() || id.chars().count() > MAX_INSTRUMENT_ID_CHARS {
                p.push(
                    "baseline",
                    "Key each baseline by a questionnaire id of 1 to 64 characters.",
                );
            }
        }

        let primary_region = self.regions.first().copied();
        match (p.into_error(), age_years, primary_region) {
            (Some(err), _, _) => Err(err),
            (None, Some(age_years), Some(primary_region)) => {
                Ok(CheckedIntake { intake: self, age_years, primary_region, as_of: today })
            }
            // Every path that leaves the age or region unset records a problem above, so this arm
            // is not reached; it still answers with an error rather than a panic.
            (None, _, _) => Err(IntakeError::invalid("(root)", "The intake is incomplete.")),
        }
    }
}

/// Parses and checks intake JSON in one step.
pub fn parse(input: &str, today: Date) -> Result<CheckedIntake, IntakeError> {
    Intake::from_json(input)?.check(today)
}

#[derive(Default)]
struct Problems(Vec<FieldProblem>);

impl Problems {
    fn push(&mut self, field: &str, problem: &str) {
        self.0.push(FieldProblem { field: field.to_owned(), problem: problem.to_owned() });
    }

    /// Duplicates are harmless to the rules but usually mean a form or client bug, so they are
    /// refused rather than silently merged.
    fn no_duplicates<T: Ord + Copy>(&mut self, field: &str, items: &[T]) {
        let mut seen = BTreeSet::new();
        for (i, item) in items.iter().enumerate() {
            if !seen.insert(*item) {
                self.push(&format!("{field}[{i}]"), "This answer is listed twice.");
            }
        }
    }

    fn into_error(self) -> Option<IntakeError> {
        if self.0.is_empty() { None } else { Some(IntakeError::Invalid { problems: self.0 }) }
    }
}

/// Whole years from `from` to `to`, or `None` when `from` is later. A birthday on 29 February
/// counts as reached on 1 March in other years, as `(month, day)` ordering gives.
fn years_between(from: Date, to: Date) -> Option<u32> {
    if from > to {
        return None;
    }
    let mut years = to.year() - from.year();
    if (u8::from(to.month()), to.day()) < (u8::from(from.month()), from.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// serde_json appends " at line L column C" to data errors; we report the position separately.
fn strip_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// Finds the first field of an intake-shaped value that fails to deserialize, and why.
///
/// Each known top-level field is tried on its own with its own type; lists are tried item by item
/// so the index can be named, and a missing or unknown field inside an object is appended to the
/// path. Returns `None` when every field passes on its own (then the document-level message,
/// such as "missing field `regions`", already names the field).
fn locate(value: &Value) -> Option<(String, String)> {
    let Value::Object(map) = value else {
        return Some(("(root)".to_owned(), "The intake must be a JSON object.".to_owned()));
    };
    for (key, v) in map {
        let found = match key.as_str() {
            "regions" => probe_list::<Region>(key, v),
            "duration" => probe::<PainDuration>(key, v),
            "pain_now" => probe::<u8>(key, v),
            "age" => probe::<Option<u8>>(key, v),
            "date_of_birth" => probe::<Option<Date>>(key, v),
            "history" => probe_list::<RiskFactor>(key, v),
            "trauma" => probe::<Trauma>(key, v),
            "symptoms" => probe_list::<Symptom>(key, v),
            "imaging" => match v.get("findings") {
                Some(findings) if findings.is_array() => probe::<Option<Imaging>>(key, v)
                    .and_then(|_| probe_list::<Finding>("imaging.findings", findings)),
                _ => probe::<Option<Imaging>>(key, v),
            },
            "conservative_care" => probe::<ConservativeCare>(key, v),
            "surgery" => probe::<Surgery>(key, v),
            "lifting_limit_kg" => probe::<Option<f64>>(key, v),
            "goals" => probe_list::<String>(key, v),
            "baseline" => probe::<BTreeMap<String, Value>>(key, v),
            _ => Some((
                key.clone(),
                "This field is not part of the intake; see docs/intake.md.".to_owned(),
            )),
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The field serde names in a "missing field `x`" or "unknown field `x`" message.
fn named_field(message: &str) -> Option<&str> {
    ["missing field `", "unknown field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix))
        .and_then(|rest| rest.split('`').next())
}

fn probe<'de, T: Deserialize<'de>>(key: &str, value: &'de Value) -> Option<(String, String)> {
    let err = T::deserialize(value).err()?;
    let message = strip_position(&err);
    let field = match named_field(&message) {
        Some(name) => format!("{key}.{name}"),
        None => key.to_owned(),
    };
    Some((field, message))
}

fn probe_list<'de, T: Deserialize<'de>>(key: &str, value: &'de Value) -> Option<(String, String)> {
    match value {
        Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, item)| probe::<T>(&format!("{key}[{i}]"), item))
        }
        _ => probe::<Vec<T>>(key, value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2025 - 06 - 02);

    fn minimal() -> Value {
        serde_json::json!({
            "regions": ["lumbar"],
            "duration": {"weeks": 3},
            "pain_now": 4,
            "age": 40,
            "history": [],
            "trauma": "none",
            "symptoms": [],
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"}
        })
    }

    fn with(patch: &[(&str, Value)]) -> String {
        let mut v = minimal();
        for (k, val) in patch {
            if val.is_null() {
                v.as_object_mut().map(|m| m.remove(*k));
            } else {
                v[*k] = val.clone();
            }
        }
        v.to_string()
    }

    fn fields(input: &str) -> Vec<String> {
        match parse(input, TODAY) {
            Ok(_) => vec![],
            Err(e) => e.fields().into_iter().map(str::to_owned).collect(),
        }
    }

    #[test]
    fn minimal_intake_is_accepted() {
        let checked = parse(&minimal().to_string(), TODAY).expect("valid");
        assert_eq!(checked.age_years(), 40);
        assert_eq!(checked.primary_region(), Region::Lumbar);
        assert_eq!(checked.intake().duration.days(), 21);
    }

    #[test]
    fn round_trips_through_json() {
        let full = with(&[
            ("regions", serde_json::json!(["thoracic", "lumbar"])),
            ("age", Value::Null),
            ("date_of_birth", serde_json::json!("1970-03-02")),
            (
                "imaging",
                serde_json::json!({"findings": [{"kind": "disc_herniation", "region": "thoracic"}]}),
            ),
            ("conservative_care", serde_json::json!({"weeks": 8, "helped": false})),
            (
                "surgery",
                serde_json::json!({"status": "scheduled", "procedure": "fusion", "date": "2025-07-01"}),
            ),
            ("lifting_limit_kg", serde_json::json!(2.5)),
            ("goals", serde_json::json!(["Garden for an hour"])),
            ("baseline", serde_json::json!({"nprs": {"score": 6}})),
        ]);
        let intake = Intake::from_json(&full).expect("parses");
        let again = Intake::from_json(&serde_json::to_string(&intake).expect("encodes"))
            .expect("re-parses");
        assert_eq!(intake, again);
        assert_eq!(intake.check(TODAY).expect("valid").age_years(), 55);
    }

    #[test]
    fn shape_errors_name_the_field() {
        let cases: &[(&[(&str, Value)], &str)] = &[
            (&[("pain_now", serde_json::json!(3.5))], "pain_now"),
            (&[("pain_now", serde_json::json!(-1))], "pain_now"),
            (&[("regions", serde_json::json!(["lumbar", "sacral"]))], "regions[1]"),
            (&[("symptoms", serde_json::json!(["fever"]))], "symptoms[0]"),
            (
                &[("surgery", serde_json::json!({"status": "done", "procedure": "fusion"}))],
                "surgery.date",
            ),
            (&[("surgery", serde_json::json!({"status": "planned"}))], "surgery"),
            (
                &[("surgery", serde_json::json!({"status": "none", "date": "2025-01-01"}))],
                "surgery.date",
            ),
            (
                &[("conservative_care", serde_json::json!({"weeks": 2, "useful": true}))],
                "conservative_care.useful",
            ),
            (
                &[(
                    "imaging",
                    serde_json::json!({"findings": [{"kind": "fracture"}, {"kind": "tumor"}]}),
                )],
                "imaging.findings[1]",
            ),
            (&[("trauma", Value::Null)], "trauma"),
            (&[("duration", serde_json::json!({"weeks": 2, "days": 3}))], "duration"),
            (&[("duration", serde_json::json!({"weeks": 2.5}))], "duration"),
            (&[("favourite_colour", serde_json::json!("blue"))], "favourite_colour"),
            (&[("date_of_birth", serde_json::json!("2 March 1970"))], "date_of_birth"),
        ];
        for (patch, field) in cases {
            assert_eq!(fields(&with(patch)), vec![field.to_string()], "patch {patch:?}");
        }
    }

    #[test]
    fn syntax_errors_give_a_position() {
        let err = Intake::from_json("{\"regions\": [").expect_err("broken");
        assert!(matches!(err, IntakeError::Syntax { line: 1, .. }), "{err:?}");
        let err = Intake::from_json("[1, 2]").expect_err("not an object");
        assert_eq!(err.fields(), vec!["(root)"]);
    }

    #[test]
    fn value_errors_are_all_reported_with_fields() {
        let input = with(&[
            ("regions", serde_json::json!([])),
            ("pain_now", serde_json::json!(11)),
            ("date_of_birth", serde_json::json!("1980-01-01")),
            ("symptoms", serde_json::json!(["fever_or_chills", "fever_or_chills"])),
            ("imaging", serde_json::json!({"findings": [{"kind": "disc_herniation"}]})),
            ("conservative_care", serde_json::json!({"weeks": 4})),
            (
                "surgery",
                serde_json::json!({"status": "done", "procedure": "fusion", "date": "2025-07-01"}),
            ),
            ("lifting_limit_kg", serde_json::json!(-2)),
            ("goals", serde_json::json!(["  "])),
        ]);
        assert_eq!(
            fields(&input),
            vec![
                "regions",
                "pain_now",
                "age",
                "symptoms[1]",
                "imaging.findings[0].region",
                "conservative_care.helped",
                "surgery.date",
                "lifting_limit_kg",
                "goals[0]",
            ]
        );
    }

    #[test]
    fn care_answer_must_match_weeks() {
        let helped_without_care =
            with(&[("conservative_care", serde_json::json!({"weeks": 0, "helped": true}))]);
        assert_eq!(fields(&helped_without_care), vec!["conservative_care.helped"]);
    }

    #[test]
    fn surgery_dates_are_checked_against_today() {
        let today_ok = with(&[(
            "surgery",
            serde_json::json!({"status": "scheduled", "procedure": "fusion", "date": "2025-06-02"}),
        )]);
        assert!(parse(&today_ok, TODAY).is_ok());
        let past = with(&[(
            "surgery",
            serde_json::json!({"status": "scheduled", "procedure": "fusion", "date": "2025-06-01"}),
        )]);
        assert_eq!(fields(&past), vec!["surgery.date"]);
    }

    #[test]
    fn age_from_date_of_birth_counts_birthdays() {
        assert_eq!(years_between(date!(1970 - 06 - 02), TODAY), Some(55));
        assert_eq!(years_between(date!(1970 - 06 - 03), TODAY), Some(54));
        assert_eq!(years_between(date!(2000 - 02 - 29), date!(2025 - 02 - 28)), Some(24));
        assert_eq!(years_between(date!(2000 - 02 - 29), date!(2025 - 03 - 01)), Some(25));
        assert_eq!(years_between(date!(2025 - 06 - 03), TODAY), None);
        let old = with(&[("age", Value::Null), ("date_of_birth", serde_json::json!("1900-01-01"))]);
        assert_eq!(fields(&old), vec!["date_of_birth"]);
        let future =
            with(&[("age", Value::Null), ("date_of_birth", serde_json::json!("2030-01-01"))]);
        assert_eq!(fields(&future), vec!["date_of_birth"]);
    }

    #[test]
    fn pain_score_is_bounded() {
        assert_eq!(PainScore::new(10).map(PainScore::get), Ok(10));
        assert!(PainScore::new(11).is_err());
    }

    #[test]
    fn finding_region_matching_does_not_guess() {
        let input = with(&[("imaging", serde_json::json!({"findings": [{"kind": "fracture"}]}))]);
        let checked = parse(&input, TODAY).expect("valid");
        assert!(checked.has_finding(FindingKind::Fracture, None));
        assert!(!checked.has_finding(FindingKind::Fracture, Some(Region::Thoracic)));
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_answered_without_panicking(input in ".{0,200}") {
            let _ = parse(&input, TODAY);
        }
    }
}
