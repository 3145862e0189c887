//! The demo clinic of `physio demo`: its staff and patients are data (`crates/cli/demo/*.json`,
//! built into the binary, described in `crates/cli/demo/README.md`), and seeding them runs the
//! care layer's own actions as the people who would have taken them, each on its day: the
//! operator creates the clinic and its admin, the admin adds the clinicians and patients and sets
//! care teams, each patient sends their intake and answers questionnaires, and clinicians review
//! triage decisions, enter surgery dates and milestones, and prescribe and change exercise
//! programmes. Every rule runs (the precautions gate every programme) and every step leaves its
//! real audit record (request id `demo`).

use std::{
    collections::{BTreeMap, HashMap},
    fmt,
    sync::Arc,
};

use anyhow::{Context, Result, anyhow, bail};
use physio_clinic::{
    exercise::{Dose, library},
    programme::{Item, Override, template},
    questionnaire::InstrumentId,
};
use physio_server::{
    AppState, Clock, Config, ManualClock,
    auth::{Principal, Via},
    care::{
        self,
        programme::{FromTemplate, ProgrammeRequest},
        users::{InitialPassword, NewAccount},
    },
    error::ApiError,
};
use physio_store::{Clinic, EpisodeStatus, Role, Store, TriageRecord, User};
use serde::{
    Deserialize, Deserializer,
    de::{self, MapAccess, Visitor},
};
use serde_json::Value;
use time::{Date, Duration, OffsetDateTime};

/// The password of every demo account. The demo is for trying Physio out, never for real data.
pub(crate) const PASSWORD: &str = "physio-demo";

const CLINIC_JSON: &str = include_str!("../demo/clinic.json");
const PATIENTS_JSON: &str = include_str!("../demo/patients.json");

/// The clinic and its staff (`demo/clinic.json`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DemoClinic {
    pub(crate) name: String,
    /// The day the data was written for: its days ago count from then, and its dates (surgery)
    /// move by as many days as today is past it.
    #[serde(deserialize_with = "date")]
    written_for: Date,
    /// When the admin and clinicians were added.
    opened_days_ago: u32,
    /// How patients reach the clinic, printed on their programmes.
    contact: String,
    pub(crate) admin: Staff,
    pub(crate) clinicians: Vec<Staff>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Staff {
    name: String,
    pub(crate) email: String,
    #[serde(default)]
    licence_number: Option<String>,
    #[serde(default)]
    licence_jurisdiction: Option<String>,
}

/// One patient (`demo/patients.json`), in caseload order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DemoPatient {
    name: String,
    pub(crate) email: String,
    #[serde(deserialize_with = "date")]
    date_of_birth: Date,
    /// Clinicians' e-mail addresses.
    care_team: Vec<String>,
    /// What the caseload shows.
    summary: String,
    /// What happens to them in the demo, for whoever edits the data.
    #[allow(dead_code, reason = "documentation in the data, read by people")]
    story: String,
    /// What triage decides on their intake; checked when it runs.
    triage: Option<Expected>,
    intake: Option<Intake>,
    review: Option<Review>,
    pathway: Option<PathwayStep>,
    /// The milestones a clinician confirms, each time as the whole list met so far.
    #[serde(default)]
    milestones: Vec<MilestoneStep>,
    /// The versions of their exercise programme, oldest first.
    #[serde(default)]
    programme: Vec<ProgrammeStep>,
    #[serde(default)]
    questionnaires: Vec<Sitting>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    tier: String,
    pathway: Option<String>,
    needs_review: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Intake {
    days_ago: u32,
    /// The intake document (docs/intake.md) without age or date of birth: the account's date
    /// of birth is the one triage uses.
    answers: Value,
}

/// A clinician's review of the intake's triage decision.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Review {
    days_ago: u32,
    by: String,
    final_tier: String,
    pathway: Option<String>,
    note: Option<String>,
}

/// A clinician sets the pathway with the surgery facts it needs, as on the pathway page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PathwayStep {
    days_ago: u32,
    by: String,
    pathway: String,
    #[serde(default, deserialize_with = "some_date")]
    surgery_date: Option<Date>,
    lifting_limit_kg: Option<f64>,
}

/// A clinician records the milestones met (the whole list, as on the pathway page): the
/// phase the rules give follows from them and the weeks since surgery.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MilestoneStep {
    days_ago: u32,
    by: String,
    met: Vec<String>,
}

/// One version of a patient's programme, saved by a clinician on their care team: the first
/// starts from the template of the patient's pathway and phase (checked on the day), as may a
/// later one (a new phase); any other changes the version before it, in this order: `remove`,
/// `variant` (an exercise swapped for a step on its ladder, at that step's default dose),
/// `dose` (fields of the dose replaced), `add`, `override` (why an exercise is prescribed
/// despite a precaution in force).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgrammeStep {
    days_ago: u32,
    by: String,
    template: Option<String>,
    /// Why; required except when starting from a template.
    reason: Option<String>,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    variant: BTreeMap<String, String>,
    #[serde(default)]
    dose: BTreeMap<String, Value>,
    #[serde(default)]
    add: Vec<NewItem>,
    #[serde(default, rename = "override")]
    override_: BTreeMap<String, String>,
}

/// An exercise added to a programme: the library's default dose with `dose`'s fields replaced.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewItem {
    exercise: String,
    dose: Option<Value>,
    note: Option<String>,
    #[serde(rename = "override")]
    override_: Option<String>,
}

impl ProgrammeStep {
    fn changes_items(&self) -> bool {
        !(self.remove.is_empty()
            && self.variant.is_empty()
            && self.dose.is_empty()
            && self.add.is_empty()
            && self.override_.is_empty())
    }

    /// The programme after this step's changes to `items`; new exercises start on `today`.
    fn apply(&self, mut items: Vec<Item>, today: Date) -> Result<Vec<Item>> {
        let at = |items: &[Item], id: &str| {
            items
                .iter()
                .position(|i| i.exercise == id)
                .ok_or_else(|| anyhow!("{id} is not in the programme"))
        };
        let exercise =
            |id: &str| library::find(id).ok_or_else(|| anyhow!("no exercise has the id {id}"));
        let item = |id: &str, dose: Dose| Item {
            exercise: id.to_owned(),
            dose,
            start: today,
            end: None,
            note: None,
            range: None,
            override_: None,
            camera: false,
        };
        let because = |reason: &str| Override { reason: reason.to_owned(), precautions: vec![] };
        for id in &self.remove {
            items.remove(at(&items, id)?);
        }
        for (from, to) in &self.variant {
            let k = at(&items, from)?;
            let ladder = exercise(from)?;
            if !ladder.harder.contains(to) && !ladder.easier.contains(to) {
                bail!("{to} is not on the ladder of {from} (easier or harder)");
            }
            items[k] = item(to, exercise(to)?.dose.clone());
        }
        for (id, fields) in &self.dose {
            let k = at(&items, id)?;
            items[k].dose = patched(&items[k].dose, fields).with_context(|| id.clone())?;
        }
        for new in &self.add {
            let default = &exercise(&new.exercise)?.dose;
            let dose = match &new.dose {
                Some(fields) => patched(default, fields)?,
                None => default.clone(),
            };
            items.push(Item {
                note: new.note.clone(),
                override_: new.override_.as_deref().map(because),
                ..item(&new.exercise, dose)
            });
        }
        for (id, reason) in &self.override_ {
            let k = at(&items, id)?;
            items[k].override_ = Some(because(reason));
        }
        Ok(items)
    }
}

/// `dose` with the fields of `fields` (a JSON object) replaced; `null` removes one.
fn patched(dose: &Dose, fields: &Value) -> Result<Dose> {
    let mut value = serde_json::to_value(dose)?;
    let (Some(to), Some(from)) = (value.as_object_mut(), fields.as_object()) else {
        bail!("a dose change is an object of the dose's fields");
    };
    for (k, v) in from {
        if v.is_null() {
            to.remove(k);
        } else {
            to.insert(k.clone(), v.clone());
        }
    }
    serde_json::from_value(value).context("the changed dose")
}

/// Questionnaires answered at one sitting: `{"days_ago": 36, "nprs": [6], "odi": [...]}`, in
/// the order answered; `null` is a skipped item.
#[derive(Debug)]
struct Sitting {
    days_ago: u32,
    answers: Vec<(InstrumentId, Vec<Option<f64>>)>,
}

impl<'de> Deserialize<'de> for Sitting {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Sitting, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Sitting;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("days_ago and each questionnaire's answers, by instrument id")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Sitting, A::Error> {
                let (mut days_ago, mut answers) = (None, vec![]);
                while let Some(key) = map.next_key::<String>()? {
                    if key == "days_ago" {
                        days_ago = Some(map.next_value()?);
                    } else {
                        let id = key.parse().map_err(|_| {
                            de::Error::custom(format!("{key:?} is not a questionnaire"))
                        })?;
                        answers.push((id, map.next_value()?));
                    }
                }
                let days_ago = days_ago.ok_or_else(|| de::Error::missing_field("days_ago"))?;
                Ok(Sitting { days_ago, answers })
            }
        }
        d.deserialize_map(V)
    }
}

fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let s = String::deserialize(d)?;
    parse_date(&s).ok_or_else(|| de::Error::custom(format!("{s:?} is not a date like 2026-11-25")))
}

fn some_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    date(d).map(Some)
}

/// The demo clinic's data, as built into the binary.
pub(crate) struct Demo {
    pub(crate) clinic: DemoClinic,
    pub(crate) patients: Vec<DemoPatient>,
}

impl Demo {
    pub(crate) fn load() -> Result<Demo> {
        let clinic = serde_json::from_str(CLINIC_JSON).context("demo/clinic.json")?;
        let patients = serde_json::from_str(PATIENTS_JSON).context("demo/patients.json")?;
        Ok(Demo { clinic, patients })
    }
}

/// Creates the demo clinic unless it exists; returns it and whether it was created now. A
/// clinic left incomplete by an interrupted seeding is refused with what to do.
pub(crate) async fn ensure(store: &Store, config: &Config, demo: &Demo) -> Result<(Clinic, bool)> {
    const START_AGAIN: &str = "the demo clinic in this database is incomplete (its seeding was \
        interrupted): remove the data directory (or drop the database) and run `physio demo` \
        again";
    if let Some(c) = store.clinic_by_name(&demo.clinic.name).await? {
        let patients = store.users(c.id, Some(Role::Patient)).await?;
        if patients.len() < demo.patients.len() {
            bail!(START_AGAIN);
        }
        return Ok((c, false));
    }
    let now = OffsetDateTime::now_utc();
    let steps = plan(demo, now)?;
    let clinic = seed(store, config, demo, now.date(), &steps).await.context(START_AGAIN)?;
    contacts(store, config, &clinic, now).await.context(START_AGAIN)?;
    Ok((clinic, true))
}

/// One step of the demo's history.
enum Step<'a> {
    /// The admin adds the patient and sets their care team.
    Enrol(&'a DemoPatient),
    /// The patient sends their intake.
    Intake(&'a DemoPatient, &'a Intake),
    /// The patient answers one questionnaire.
    Answer(&'a DemoPatient, InstrumentId, &'a [Option<f64>]),
    /// A clinician reviews the intake's triage decision.
    Review(&'a DemoPatient, &'a Review),
    /// A clinician sets the pathway with its surgery facts.
    Pathway(&'a DemoPatient, &'a PathwayStep),
    /// A clinician records the milestones met.
    Milestones(&'a DemoPatient, &'a MilestoneStep),
    /// A clinician saves a version of the exercise programme.
    Programme(&'a DemoPatient, &'a ProgrammeStep),
    /// The patient's guided session of a day (the `usize` is their place in the demo, which
    /// varies what they do).
    Day(&'a DemoPatient, usize, u32),
    /// One of the demo's messages (its place in `DEMO_MESSAGES`).
    Message(usize),
}

/// The time of day `minutes` after midnight, `days_ago` days before `today`.
fn at(today: Date, days_ago: u32, minutes: usize) -> OffsetDateTime {
    let day = today - Duration::days(i64::from(days_ago));
    day.midnight().assume_utc() + Duration::minutes(i64::try_from(minutes).unwrap_or(i64::MAX))
}

/// Every patient's steps, oldest first. They happen in office hours, a few minutes apart, so
/// the audit trail reads in order; none may come before the clinic opened or after `now`.
fn plan(demo: &Demo, now: OffsetDateTime) -> Result<Vec<(OffsetDateTime, Step<'_>)>> {
    let at = |days_ago, minutes| at(now.date(), days_ago, minutes);
    let mut steps: Vec<(OffsetDateTime, Step<'_>)> = vec![];
    for (i, p) in demo.patients.iter().enumerate() {
        // Added by the admin the day before their intake; new patients yesterday.
        let enrolled = p.intake.as_ref().map_or(1, |x| x.days_ago + 1);
        steps.push((at(enrolled, 7 * 60 + i), Step::Enrol(p)));
        if let Some(intake) = &p.intake {
            let start = 8 * 60 + 12 * i;
            steps.push((at(intake.days_ago, start), Step::Intake(p, intake)));
            for s in &p.questionnaires {
                for (n, (id, answers)) in s.answers.iter().enumerate() {
                    steps.push((at(s.days_ago, start + 1 + n), Step::Answer(p, *id, answers)));
                }
            }
        }
        if let Some(r) = &p.review {
            steps.push((at(r.days_ago, 17 * 60 + i), Step::Review(p, r)));
        }
        if let Some(s) = &p.pathway {
            steps.push((at(s.days_ago, 17 * 60 + 45 + i), Step::Pathway(p, s)));
        }
        // After the pathway on the same day, and the programme after the milestones.
        for m in &p.milestones {
            steps.push((at(m.days_ago, 18 * 60 + 30 + i), Step::Milestones(p, m)));
        }
        for v in &p.programme {
            steps.push((at(v.days_ago, 19 * 60 + i), Step::Programme(p, v)));
        }
        // The last week of guided sessions, at lunchtime, for a patient with a programme.
        // (From the day after the first programme: it is prescribed in the evening.)
        if let Some(first) = p.programme.iter().map(|v| v.days_ago).max() {
            for d in (1..=DEMO_SESSION_DAYS.min(first.saturating_sub(1))).rev() {
                steps.push((at(d, 12 * 60 + i), Step::Day(p, i, d)));
            }
        }
    }
    for (k, &(_, _, days_ago, minutes, _)) in DEMO_MESSAGES.iter().enumerate() {
        steps.push((at(days_ago, minutes), Step::Message(k)));
    }
    steps.sort_by_key(|(t, _)| *t);
    let opened = at(demo.clinic.opened_days_ago, 9 * 60);
    if steps.first().is_some_and(|(t, _)| *t < opened) {
        bail!("demo data has a step before the clinic opened (opened_days_ago)");
    }
    if steps.last().is_some_and(|(t, _)| *t > now) {
        bail!("demo data has a step later than now; every step must be at least a day ago");
    }
    Ok(steps)
}

/// Runs the demo's history through the care layer, oldest step first, on an `AppState` whose
/// clock is set to each step's time.
async fn seed(
    store: &Store,
    config: &Config,
    demo: &Demo,
    today: Date,
    steps: &[(OffsetDateTime, Step<'_>)],
) -> Result<Clinic> {
    let shift = today - demo.clinic.written_for;
    let at = |days_ago, minutes| at(today, days_ago, minutes);
    let clock = Arc::new(ManualClock::new(at(demo.clinic.opened_days_ago, 8 * 60)));
    let state = AppState::new(store.clone(), clock.clone(), config.clone());
    let set_clock = |t: OffsetDateTime| clock.advance(t - clock.now());

    let c = &demo.clinic;
    let clinic = care::operator::add_clinic(store, &c.name, clock.now()).await.map_err(api)?;
    let account = |s: &Staff, role| NewAccount {
        email: s.email.clone(),
        name: s.name.clone(),
        role,
        password: InitialPassword::Demo(PASSWORD.to_owned()),
        licence_number: s.licence_number.clone(),
        licence_jurisdiction: s.licence_jurisdiction.clone(),
        date_of_birth: None,
        summary: None,
    };
    let admin =
        care::operator::add_user(store, clinic.id, account(&c.admin, Role::Admin), clock.now())
            .await
            .map_err(api)?;
    let admin = acting(admin);
    care::clinic::set_contact(&state, &admin, &c.contact).await.map_err(api)?;
    // The demo's printed passwords sign in on their own: its admin turns off the two-step
    // sign-in a new clinic requires of staff (the demo's output says so).
    care::two_step::set_staff_rule(&state, &admin, false).await.map_err(api)?;
    let mut clinicians = HashMap::new();
    for (i, s) in c.clinicians.iter().enumerate() {
        set_clock(at(c.opened_days_ago, 8 * 60 + 5 + i));
        let u =
            care::users::add(&state, &admin, account(s, Role::Clinician)).await.map_err(api)?.user;
        clinicians.insert(s.email.as_str(), acting(u));
    }

    let mut patients: HashMap<&str, Principal> = HashMap::new();
    let mut intakes: HashMap<&str, TriageRecord> = HashMap::new();
    let clinician = |email: &str| {
        clinicians.get(email).ok_or_else(|| anyhow!("demo data names no clinician {email}"))
    };
    for (t, step) in steps {
        set_clock(*t);
        match step {
            Step::Enrol(p) => {
                let req = NewAccount {
                    email: p.email.clone(),
                    name: p.name.clone(),
                    role: Role::Patient,
                    password: InitialPassword::Demo(PASSWORD.to_owned()),
                    licence_number: None,
                    licence_jurisdiction: None,
                    date_of_birth: Some(p.date_of_birth),
                    summary: Some(p.summary.clone()),
                };
                let u = care::users::add(&state, &admin, req).await.map_err(api)?.user;
                let team = p
                    .care_team
                    .iter()
                    .map(|e| clinician(e).map(|c| c.user.id))
                    .collect::<Result<Vec<_>>>()?;
                care::users::set_care_team(&state, &admin, u.id, &team).await.map_err(api)?;
                patients.insert(p.email.as_str(), acting(u));
            }
            Step::Intake(p, intake) => {
                let mut doc = intake.answers.clone();
                if let Some(date) = doc.pointer_mut("/surgery/date") {
                    let d = date.as_str().and_then(parse_date).ok_or_else(|| {
                        anyhow!("demo intake of {}: surgery date is not a date", p.email)
                    })?;
                    *date = Value::from((d + shift).to_string());
                }
                let record = care::intake::submit(&state, &patients[p.email.as_str()], doc)
                    .await
                    .map_err(api)
                    .with_context(|| format!("demo intake of {}", p.email))?;
                check_triage(p, &record)?;
                intakes.insert(p.email.as_str(), record);
            }
            Step::Answer(p, id, answers) => {
                let me = &patients[p.email.as_str()];
                answer(&state, me, p, *id, answers)
                    .await
                    .with_context(|| format!("demo {id:?} answers of {}", p.email))?;
            }
            Step::Review(p, r) => {
                let triage = intakes.get(p.email.as_str()).ok_or_else(|| {
                    anyhow!("demo review of {} comes before their intake", p.email)
                })?;
                let req = care::triage::Review {
                    final_tier: r.final_tier.clone(),
                    note: r.note.clone(),
                    pathway: r.pathway.clone(),
                };
                care::triage::review(&state, clinician(&r.by)?, triage.id, &req)
                    .await
                    .map_err(api)
                    .with_context(|| format!("demo review of {}", p.email))?;
            }
            Step::Pathway(p, s) => {
                let triage = intakes.get(p.email.as_str()).ok_or_else(|| {
                    anyhow!("demo pathway of {} comes before their intake", p.email)
                })?;
                let choice = care::pathway::PathwayChoice {
                    pathway: s.pathway.clone(),
                    surgery_date: s
                        .surgery_date
                        .map(|d| (d + shift).to_string())
                        .unwrap_or_default(),
                    lifting_limit_kg: s
                        .lifting_limit_kg
                        .map(|kg| kg.to_string())
                        .unwrap_or_default(),
                };
                care::pathway::set_pathway(&state, clinician(&s.by)?, triage.episode_id, &choice)
                    .await
                    .map_err(api)
                    .with_context(|| format!("demo pathway of {}", p.email))?;
            }
            Step::Milestones(p, m) => {
                let triage = intakes.get(p.email.as_str()).ok_or_else(|| {
                    anyhow!("demo milestones of {} come before their intake", p.email)
                })?;
                care::pathway::set_milestones(&state, clinician(&m.by)?, triage.episode_id, &m.met)
                    .await
                    .map_err(api)
                    .with_context(|| format!("demo milestones of {}", p.email))?;
            }
            Step::Programme(p, v) => {
                let patient = &patients[p.email.as_str()].user;
                programme(&state, clinician(&v.by)?, patient, v).await.with_context(|| {
                    format!("demo programme of {}, {} days ago", p.email, v.days_ago)
                })?;
                // A patient whose programme began at least eight weeks ago: their clinician lets
                // the progression rules apply changes within limits (docs/progression.md).
                let first = p.programme.iter().map(|v| v.days_ago).max();
                if first == Some(v.days_ago) && v.days_ago >= AUTO_APPLY_AFTER_DAYS {
                    let req = care::progression::SettingsRequest { auto_apply: true, cap: None };
                    care::progression::set_settings(&state, clinician(&v.by)?, patient.id, req)
                        .await
                        .map_err(api)?;
                }
            }
            Step::Day(p, i, d) => {
                let me = &patients[p.email.as_str()];
                day(&state, me, *i, *d)
                    .await
                    .with_context(|| format!("demo session of {}, {d} days ago", p.email))?;
            }
            Step::Message(k) => {
                message(&state, &patients, &clinicians, *k)
                    .await
                    .with_context(|| format!("demo message {k}"))?;
            }
        }
    }
    let mut by_email: Vec<(&str, &Principal)> = patients.iter().map(|(e, p)| (*e, p)).collect();
    by_email.sort_by_key(|(e, _)| *e);
    let people: Vec<&Principal> = by_email.into_iter().map(|(_, p)| p).collect();
    alerts(&state, &clock, today, &people).await?;
    for (email, p) in &patients {
        if on_exercise_care(store, &p.user).await?
            && store.programme(clinic.id, p.user.id).await?.is_none()
        {
            bail!(
                "demo patient {email} is on exercise care but has no programme: give them one \
                 in crates/cli/demo/patients.json"
            );
        }
    }
    Ok(clinic)
}

/// The demo's messages: (patient, who, days ago, minutes after midnight, text). `None` as who
/// is the patient; a clinician's e-mail is that clinician. Each time, they open the thread
/// (which marks what the other side wrote as read), then write the text if there is one. Maria López and Amara Okafor have a short exchange, all read; Hiroshi Tanaka has a
/// reply from Priya Raman he has not opened yet; Tomasz Nowak wrote two days ago and nobody
/// has read it, so it waits in Amara Okafor's messages (an alert once older than a working day).
const DEMO_MESSAGES: &[DemoMessage] = &[
    (
        "maria.lopez@demo.physio.test",
        None,
        3,
        18 * 60 + 10,
        Some(
            "I did my exercises this morning and my back felt stiff afterwards, but it eased off \
         after a walk. Is that normal?",
        ),
    ),
    (
        "maria.lopez@demo.physio.test",
        Some("amara.okafor@demo.physio.test"),
        2,
        9 * 60 + 20,
        Some(
            "Yes, that is common in the first weeks. Stiffness that eases when you move is fine.\n\
         If the pain spreads down your leg, or gets worse day after day, tell us.",
        ),
    ),
    ("maria.lopez@demo.physio.test", None, 2, 12 * 60 + 5, Some("Thank you, that helps.")),
    ("maria.lopez@demo.physio.test", Some("amara.okafor@demo.physio.test"), 1, 8 * 60 + 40, None),
    (
        "hiroshi.tanaka@demo.physio.test",
        Some("priya.raman@demo.physio.test"),
        4,
        16 * 60,
        Some(
            "Hello Hiroshi, I have added the hip bridge to your programme. Start with 8 and stop if \
         it pinches.",
        ),
    ),
    (
        "hiroshi.tanaka@demo.physio.test",
        None,
        3,
        8 * 60 + 35,
        Some("Will do. Can I still go to my swimming class on Tuesdays?"),
    ),
    (
        "hiroshi.tanaka@demo.physio.test",
        Some("priya.raman@demo.physio.test"),
        3,
        11 * 60,
        Some("Yes, swimming is good for your back. Keep to a gentle pace for now."),
    ),
    (
        "tomasz.nowak@demo.physio.test",
        None,
        2,
        19 * 60 + 40,
        Some(
            "My pain was worse after gardening at the weekend, about 6 out of 10. Should I skip \
         tomorrow's session?",
        ),
    ),
];

/// (patient, who, days ago, minutes after midnight, text), as `DEMO_MESSAGES` lists them.
type DemoMessage = (&'static str, Option<&'static str>, u32, usize, Option<&'static str>);

/// One of the demo's messages through the care layer: its writer opens the thread (as they
/// would to write), then writes.
async fn message(
    state: &AppState,
    patients: &HashMap<&str, Principal>,
    clinicians: &HashMap<&str, Principal>,
    k: usize,
) -> Result<()> {
    let (patient, by, _, _, text) = DEMO_MESSAGES[k];
    let p = patients.get(patient).ok_or_else(|| anyhow!("no demo patient {patient}"))?;
    let writer = match by {
        None => p,
        Some(c) => clinicians.get(c).ok_or_else(|| anyhow!("no demo clinician {c}"))?,
    };
    care::messages::thread(state, writer, p.user.id).await.map_err(api)?;
    if let Some(text) = text {
        care::messages::write(state, writer, p.user.id, text).await.map_err(api)?;
    }
    Ok(())
}

/// The demo inbox (docs/alerts.md): the oversight sweep as of four days ago (the routine
/// alerts it raises are overdue by now); two days ago at 7:00 the first patient on exercise
/// care with a session still to do that day gives pain of 9 at the check before it, which
/// stops the session and raises an urgent alert (overdue since that midnight) that pauses their
/// exercise; then the sweep as of now, which raises what holds today and closes, with Physio's
/// note, what no longer does, as `physio serve` would have.
async fn alerts(
    state: &AppState,
    clock: &ManualClock,
    today: Date,
    patients: &[&Principal],
) -> Result<()> {
    let set_clock = |t: OffsetDateTime| clock.advance(t - clock.now());
    let last = clock.now();
    set_clock(at(today, 4, 7 * 60));
    care::oversight::sweep(state, clock.now()).await.map_err(api)?;
    set_clock(at(today, 2, 7 * 60));
    for p in patients {
        if !on_exercise_care(state.store(), &p.user).await? {
            continue;
        }
        let req = care::day::StartRequest { pain_before: Some(9) };
        match care::day::start(state, p, req).await {
            Ok(_) => break,
            // Done all of that day's sessions already, or none planned: the next patient.
            Err(ApiError::Conflict(_)) => {}
            Err(e) => return Err(api(e)),
        }
    }
    set_clock(OffsetDateTime::now_utc().max(last));
    care::oversight::sweep(state, clock.now()).await.map_err(api)?;
    Ok(())
}

/// A demo patient whose programme began at least this many days ago has automatic changes
/// allowed.
const AUTO_APPLY_AFTER_DAYS: u32 = 56;

/// Days of guided sessions the demo writes, up to yesterday.
const DEMO_SESSION_DAYS: u32 = 7;

/// One day of a demo patient's guided sessions, by a stated pattern rather than chance: they
/// answer the next-morning question about the day before (mostly "about the same", sometimes
/// better, now and then worse), miss about one planned day in four, start at their latest pain
/// score (a point higher every third day; never 3 above usual, so no demo session is stopped),
/// do each exercise as prescribed with pain during at most 4 (one exercise in nine is skipped
/// for time), and finish with pain as before and a little tired.
async fn day(state: &AppState, me: &Principal, i: usize, d: u32) -> Result<()> {
    use physio_clinic::day::{Closing, ExerciseLog, SkipReason};
    let k = i + usize::try_from(d).unwrap_or(0);
    let view = care::day::today(state, me, me.user.id).await.map_err(api)?;
    if let Some(s) = &view.next_morning {
        // Settled as a rule: the usual level, one lower now and then, two higher once in a while.
        let usual = u8::try_from(s.usual_pain.unwrap_or(s.pain_before)).unwrap_or(3);
        let pain = match k % 11 {
            0 => (usual + 2).min(10),
            n if n % 4 == 0 => usual.saturating_sub(1),
            _ => usual,
        };
        let req = care::day::NextMorningRequest { pain: Some(pain) };
        care::day::next_morning(state, me, s.id, req).await.map_err(api)?;
    }
    if view.programme.pause.is_some() || view.next_slot().is_none() || k.is_multiple_of(4) {
        return Ok(());
    }
    let store = state.store();
    let nprs =
        store.responses(me.user.clinic_id, me.user.id, Some(InstrumentId::Nprs.as_str())).await?;
    let latest = nprs.last().map_or(3.0, |r| r.score).round().clamp(0.0, 6.0) as u8;
    let pain = latest + u8::from(k.is_multiple_of(3));
    let req = care::day::StartRequest { pain_before: Some(pain) };
    let started = care::day::start(state, me, req).await.map_err(api)?;
    if started.session.stopped.is_some() {
        bail!("the demo's pain check stopped a session (pain {pain}); the pattern must not");
    }
    let session = started.session;
    for (n, item) in session.due.iter().enumerate() {
        let log = if (k + n).is_multiple_of(9) {
            ExerciseLog { skipped: Some(SkipReason::Time), ..ExerciseLog::default() }
        } else {
            let dose = &item.dose;
            ExerciseLog {
                sets_done: dose.minutes.is_none().then_some(dose.sets),
                reps_done: dose.reps.or(dose.hold_s.map(|_| 1)).filter(|_| dose.minutes.is_none()),
                hold_s_done: dose.hold_s,
                minutes_done: dose.minutes,
                pain_during: Some(pain.min(4)),
                effort: Some(dose.effort.unwrap_or(4)),
                skipped: None,
            }
        };
        let req =
            care::day::RecordRequest { exercise: item.exercise.clone(), log, camera_session: None };
        care::day::record(state, me, session.id, req).await.map_err(api)?;
    }
    let closing =
        Closing { pain_after: Some(pain), fatigue: Some(3), stopped_early: None, note: None };
    care::day::finish(state, me, session.id, closing).await.map_err(api)?;
    Ok(())
}

/// Whether the patient's exercise care has started: their episode is active on a pathway and
/// their exercise is not paused.
pub(crate) async fn on_exercise_care(store: &Store, patient: &User) -> Result<bool> {
    let Some(ep) = store.open_episode_of(patient.clinic_id, patient.id).await? else {
        return Ok(false);
    };
    let active = ep.status == EpisodeStatus::Active && ep.pathway.is_some();
    Ok(active && care::safety::pause(store, patient).await.map_err(api)?.is_none())
}

/// A clinician saves one version of a patient's programme, through the care layer, which checks
/// it against the library, the doses' limits and the precautions in force that day: a step
/// the gate refuses stops the demo with the care layer's reasons.
async fn programme(
    state: &AppState,
    by: &Principal,
    patient: &User,
    step: &ProgrammeStep,
) -> Result<()> {
    let store = state.store();
    if let Some(pause) = care::safety::pause(store, patient).await.map_err(api)? {
        bail!("exercise is paused for them ({pause:?}): no programme is prescribed now");
    }
    let current = store.programme(patient.clinic_id, patient.id).await?;
    let based_on = current.as_ref().map_or(0, |c| c.version);
    let today = care::programme::today(state, patient.clinic_id).await.map_err(api)?;
    if let Some(id) = &step.template {
        if step.changes_items() {
            bail!("a version starts from a template or changes the one before, not both");
        }
        let Some(template) = template::builtin().iter().find(|t| &t.id == id) else {
            bail!("no built-in template has the id {id:?}");
        };
        // The template must be the one for where the patient is that day.
        let ep = store
            .open_episode_of(patient.clinic_id, patient.id)
            .await?
            .ok_or_else(|| anyhow!("no open episode"))?;
        let status = care::pathway::phase_status(&ep, today)
            .ok_or_else(|| anyhow!("no pathway set"))?
            .map_err(|e| anyhow!("{e}"))?;
        if (template.pathway, template.phase) != (status.pathway, status.phase) {
            bail!(
                "the template {id} is for the {} pathway's {} phase; that day they are on {} in \
                 the {} phase",
                template.pathway,
                template.phase,
                status.pathway,
                status.phase
            );
        }
        let req = FromTemplate {
            based_on,
            template: id.clone(),
            start: None,
            reason: step.reason.clone(),
        };
        care::programme::start_from_template(state, by, patient.id, req).await.map_err(api)?;
    } else {
        let Some(current) = current else {
            bail!("the first version starts from a template: name it");
        };
        let Some(reason) = step.reason.clone() else {
            bail!("a change to the programme needs its reason");
        };
        let items = step.apply(current.items, today)?;
        let req = ProgrammeRequest { based_on, items, reason };
        care::programme::save(state, by, patient.id, req).await.map_err(api)?;
    }
    Ok(())
}

/// A patient answers one questionnaire as the questionnaires page would send it: under the
/// time point it is due at (otherwise `adhoc`), and for the PSFS naming their intake goals as
/// the activities they rate.
async fn answer(
    state: &AppState,
    me: &Principal,
    p: &DemoPatient,
    id: InstrumentId,
    answers: &[Option<f64>],
) -> Result<()> {
    let now = state.now();
    let clinic = me.user.clinic_id;
    let ep = care::questionnaires::episode_of(state.store(), clinic, me.user.id, now)
        .await
        .map_err(api)?
        .ok_or_else(|| anyhow!("no episode open for questionnaires"))?;
    let due = care::questionnaires::due_in(state.store(), &ep, now).await.map_err(api)?;
    let timepoint = due
        .iter()
        .find(|d| d.instrument == id)
        .map_or_else(|| "adhoc".to_owned(), |d| d.timepoint.clone());
    let activities = match id {
        InstrumentId::Psfs => p
            .intake
            .as_ref()
            .and_then(|i| serde_json::from_value::<Vec<String>>(i.answers["goals"].clone()).ok())
            .filter(|goals| goals.len() == answers.len()),
        _ => None,
    };
    let req = care::questionnaires::Answer { answers: answers.to_vec(), activities, timepoint };
    care::questionnaires::answer(state, me, id, &req).await.map_err(api)?;
    Ok(())
}

/// The data says what triage decides for each patient; a rule change that decides otherwise
/// must update the patient's story too.
fn check_triage(p: &DemoPatient, record: &TriageRecord) -> Result<()> {
    let got = (
        record.tier.as_str().to_owned(),
        record.decision.pathway.map(|pw| pw.as_str().to_owned()),
        record.decision.needs_clinician_review(),
    );
    let expected = p.triage.as_ref().map(|t| (t.tier.clone(), t.pathway.clone(), t.needs_review));
    if expected.as_ref() != Some(&got) {
        bail!(
            "demo patient {}: triage decided {got:?}, the data expects {expected:?}; update their \
             triage and story in crates/cli/demo/patients.json",
            p.email
        );
    }
    Ok(())
}

/// The user, acting at the command line through the care layer as if signed in.
fn acting(user: User) -> Principal {
    Principal {
        user,
        via: Via::Operator,
        request_id: Some("demo".to_owned()),
        nav: Default::default(),
    }
}

fn api(e: ApiError) -> anyhow::Error {
    anyhow!("{e:?}")
}

/// Phone numbers and a contact log for the demo's patients, through the care layer as the
/// people who would have entered them, after the rest of the history (so the audit trail still
/// reads in order: each contact is logged now, with the time it happened). The admin enters a
/// fictional number (555-0100 to 555-0199 are kept for fiction) for every patient but each
/// seventh, who has none on record. Each patient with an episode of care has two contacts in
/// each of the three weeks before this one (a message on Tuesday morning, a phone call on
/// Thursday afternoon) and, this week, by their place in the list: none, one, two or three (a
/// message, a phone call, a video call) spread over the week so far, so the caseload shows
/// weeks below, at and over the target; none comes before the episode opened. The patient's
/// first clinician logs them, oldest first.
async fn contacts(
    store: &Store,
    config: &Config,
    clinic: &Clinic,
    now: OffsetDateTime,
) -> Result<()> {
    use physio_clinic::contact::{ContactInput, ContactKind, When, week_start};
    const NOTES: [&str; 6] = [
        "Pain about the same; keeping to the programme. Reminded about pacing on busy days.",
        "Flare-up after gardening at the weekend; talked through the flare-up plan.",
        "Walking 20 minutes a day now. Agreed to add the second set of bridges.",
        "Asked about returning to the gym; went over which machines to leave for now.",
        "Sleeping better. Checked the exercises are still doable before work.",
        "Worried about the scan report; explained what the findings usually mean.",
    ];
    let state = AppState::new(store.clone(), Arc::new(ManualClock::new(now)), config.clone());
    let zone = care::clinic::zone(&state, clinic.id).await.map_err(api)?;
    let admin = store.users(clinic.id, Some(Role::Admin)).await?;
    let admin =
        acting(admin.into_iter().next().ok_or_else(|| anyhow!("demo clinic has no admin"))?);
    let monday = week_start(zone.tz(), now);
    let minute = |t: OffsetDateTime| t.replace_second(0).and_then(|t| t.replace_nanosecond(0));
    // (when it happened, who logs it, the patient, the kind, a number that varies the words)
    let mut planned: Vec<(OffsetDateTime, Principal, User, ContactKind, usize)> = vec![];
    for (i, patient) in store.users(clinic.id, Some(Role::Patient)).await?.into_iter().enumerate() {
        if i % 7 != 6 {
            let phone = format!("(416) 555-01{:02}", i % 100);
            care::contacts::set_phone(&state, &admin, patient.id, &phone).await.map_err(api)?;
        }
        let Some(episode) = store.open_episode_of(clinic.id, patient.id).await? else { continue };
        let team = store.care_teams(clinic.id, Some(patient.id)).await?;
        let Some(first) = team.first() else { continue };
        let by = acting(store.user(first.clinician_id).await?);
        // Earlier weeks: hours after that Monday's midnight on the clinic's clock.
        let mut times = vec![];
        for weeks_back in (1..=3).rev() {
            let week = monday - Duration::weeks(weeks_back);
            times.push((week + Duration::hours(24 + 10), ContactKind::Message));
            times.push((week + Duration::hours(3 * 24 + 15), ContactKind::PhoneCall));
        }
        let n = i % 4;
        let this_week = [ContactKind::Message, ContactKind::PhoneCall, ContactKind::VideoCall];
        for (k, kind) in this_week.iter().take(n).enumerate() {
            let at = monday + (now - monday) * (k as f64 + 1.0) / (n as f64 + 1.0);
            times.push((minute(at).unwrap_or(at), *kind));
        }
        for (k, (at, kind)) in times.into_iter().enumerate() {
            if at >= episode.opened_at && at <= now {
                planned.push((at, by.clone(), patient.clone(), kind, i + k));
            }
        }
    }
    planned.sort_by_key(|(at, _, patient, ..)| (*at, patient.id));
    for (at, by, patient, kind, k) in planned {
        let minutes = match kind {
            ContactKind::Message => String::new(),
            ContactKind::PhoneCall => (10 + k % 3 * 5).to_string(),
            ContactKind::VideoCall | ContactKind::InPerson => "25".to_owned(),
        };
        let input = ContactInput {
            kind: kind.as_str(),
            when: When::At(at),
            minutes: &minutes,
            note: NOTES[k % NOTES.len()],
        };
        care::contacts::log(&state, &by, patient.id, &input)
            .await
            .map_err(api)
            .with_context(|| format!("demo contact with {}", patient.email))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every intake in the data triages as its story says, on the day it was sent; reviews and
    /// pathways are by clinicians on the patient's care team, after the intake.
    #[test]
    fn every_step_is_after_the_clinic_opened_and_before_now() {
        let demo = Demo::load().unwrap();
        let now = OffsetDateTime::now_utc().date().midnight().assume_utc();
        let steps = plan(&demo, now).unwrap();
        assert!(steps.len() > 400, "{} steps", steps.len());
    }

    #[test]
    fn the_data_matches_the_rules() {
        let demo = Demo::load().unwrap();
        assert_eq!(demo.patients.len(), 42);
        let staff: Vec<&str> = demo.clinic.clinicians.iter().map(|c| c.email.as_str()).collect();
        for p in &demo.patients {
            assert!(p.care_team.iter().all(|e| staff.contains(&e.as_str())), "{}", p.email);
            let Some(intake) = &p.intake else {
                assert!(p.triage.is_none() && p.review.is_none() && p.questionnaires.is_empty());
                continue;
            };
            let day = demo.clinic.written_for - Duration::days(i64::from(intake.days_ago));
            let mut doc = intake.answers.clone();
            doc["date_of_birth"] = Value::from(p.date_of_birth.to_string());
            let checked = physio_clinic::intake::parse(&doc.to_string(), day)
                .unwrap_or_else(|e| panic!("{}: {e}", p.email));
            let d = physio_clinic::triage::triage(&checked);
            let t = p.triage.as_ref().unwrap();
            assert_eq!(d.tier.as_str(), t.tier, "{}", p.email);
            assert_eq!(d.pathway.map(|pw| pw.as_str().to_owned()), t.pathway, "{}", p.email);
            assert_eq!(d.needs_clinician_review(), t.needs_review, "{}", p.email);
            assert!(p.review.is_none() || t.needs_review, "{}: review of no review", p.email);
            let steps = p.review.iter().map(|r| (r.days_ago, &r.by));
            for (days_ago, by) in steps.chain(p.pathway.iter().map(|s| (s.days_ago, &s.by))) {
                assert!(days_ago >= 1 && days_ago <= intake.days_ago, "{}", p.email);
                assert!(p.care_team.contains(by), "{}: {by} is not on the care team", p.email);
            }
            for s in &p.questionnaires {
                assert!(s.days_ago >= 1 && s.days_ago <= intake.days_ago, "{}", p.email);
            }
        }
    }

    /// The day (days ago) a patient's exercise care starts by the data: triage puts them on a
    /// pathway with no review needed, or a clinician's review does; a pathway step after it
    /// (surgery facts) comes first too.
    fn exercise_care_from(p: &DemoPatient) -> Option<u32> {
        let (t, intake) = (p.triage.as_ref()?, p.intake.as_ref()?);
        let start = if t.tier == "exercise" && t.pathway.is_some() && !t.needs_review {
            intake.days_ago
        } else {
            let r = p.review.as_ref().filter(|r| r.final_tier == "exercise")?;
            r.pathway.as_ref()?;
            r.days_ago
        };
        Some(p.pathway.as_ref().map_or(start, |s| start.min(s.days_ago)))
    }

    /// Every patient on exercise care has a programme (and nobody else): it starts from a
    /// template, by a clinician on the care team, after the pathway was set, and each later
    /// version's changes apply to the one before (exercises in it, ladder steps on the ladder,
    /// doses that parse). The care layer checks the rest when seeding (the precautions).
    #[test]
    fn every_patient_on_exercise_care_has_a_programme() {
        let demo = Demo::load().unwrap();
        let today = demo.clinic.written_for;
        let mut with_programme = 0;
        for p in &demo.patients {
            let Some(from) = exercise_care_from(p) else {
                assert!(p.programme.is_empty(), "{}: a programme without exercise care", p.email);
                assert!(p.milestones.is_empty(), "{}: milestones without a pathway", p.email);
                continue;
            };
            assert!(!p.programme.is_empty(), "{}: on exercise care without a programme", p.email);
            with_programme += 1;
            let steps = p.milestones.iter().map(|m| (m.days_ago, &m.by));
            for (days_ago, by) in steps.chain(p.programme.iter().map(|v| (v.days_ago, &v.by))) {
                assert!(days_ago >= 1 && days_ago <= from, "{}: {days_ago} days ago", p.email);
                assert!(p.care_team.contains(by), "{}: {by} is not on the care team", p.email);
            }
            let mut items: Option<Vec<Item>> = None;
            let mut last = u32::MAX;
            for v in &p.programme {
                assert!(v.days_ago <= last, "{}: versions out of order", p.email);
                last = v.days_ago;
                let day = today - Duration::days(i64::from(v.days_ago));
                items = Some(match (&v.template, items) {
                    (Some(id), _) => {
                        assert!(!v.changes_items(), "{}: template and changes", p.email);
                        let t = template::builtin().iter().find(|t| &t.id == id);
                        let t = t.unwrap_or_else(|| panic!("{}: no template {id}", p.email));
                        t.instantiate(&library::find, day).unwrap()
                    }
                    (None, Some(before)) => {
                        assert!(v.reason.is_some(), "{}: a change without a reason", p.email);
                        v.apply(before, day).unwrap_or_else(|e| panic!("{}: {e:#}", p.email))
                    }
                    (None, None) => panic!("{}: the first version names no template", p.email),
                });
            }
        }
        assert!(with_programme >= 25, "{with_programme} patients with a programme");
    }
}
