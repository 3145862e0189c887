//! A patient's exercise programme: reading it (staff and the patient), prescribing it from a
//! template or as edited, its version history, and whether one exercise is prescribed today
//! (the camera page and the live socket ask). The rules are `physio_clinic::programme`:
//! precautions of the patient's phase gate every exercise, and each change is a new version
//! with who, when, why and what changed.

use physio_clinic::exercise::{Exercise, Problem};
use physio_clinic::pathway::{ActivePrecaution, PhaseStatus};
use physio_clinic::programme::{self, Conflict, Item, Warning};
use physio_clinic::safety::Pause;
use physio_store::{Db, NewProgrammeVersion, ProgrammeVersion, User};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::care::library::{self, ClinicLibrary};
use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

/// Longest reason for a change.
pub const MAX_REASON_CHARS: usize = programme::MAX_TEXT_CHARS;

/// One prescribed exercise with what the screen needs to show it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Entry {
    /// As prescribed.
    #[schema(value_type = Object)]
    pub item: Item,
    /// The exercise, from the clinic's library (`None` if it has since left the library).
    #[schema(value_type = Option<Object>)]
    pub exercise: Option<Exercise>,
    /// Precautions in force today that it conflicts with and that no override covers: the
    /// patient is told to leave it out until their clinician has looked again.
    #[schema(value_type = Vec<Object>)]
    pub flags: Vec<Conflict>,
    /// Whether it is in force today (between its start and end dates).
    pub active_today: bool,
    /// Whether the patient is offered camera counting for it, and why: `validated`,
    /// `chosen_by_clinician` (counting not yet validated, offered by the clinician's choice,
    /// the item's `camera`), `not_tracked` or `not_validated` (not offered).
    #[schema(value_type = String)]
    pub camera: programme::Camera,
}

impl Entry {
    /// Whether the patient may do it today: in force, in the library, and not held by a
    /// precaution that came into force after it was prescribed.
    pub fn doable_today(&self) -> bool {
        self.active_today && self.exercise.is_some() && self.flags.is_empty()
    }
}

/// A patient's programme as it stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgrammeView {
    /// The version in force, with who changed it last and why; `None` before the first.
    #[schema(value_type = Option<Object>)]
    pub current: Option<ProgrammeVersion>,
    /// Its exercises, in order.
    pub entries: Vec<Entry>,
    /// Why exercise is paused, when it is: the programme is paused with it.
    #[schema(value_type = Option<Object>)]
    pub pause: Option<Pause>,
    /// What the patient is told while exercise is paused.
    pub pause_message: Option<String>,
    /// The phase and the precautions in force, when the patient is on a pathway.
    #[schema(value_type = Option<Object>)]
    pub phase: Option<PhaseStatus>,
    /// Advice about the programme (for example, that it is long).
    #[schema(value_type = Vec<Object>)]
    pub warnings: Vec<Warning>,
    /// Today, in the clinic's time zone.
    #[schema(value_type = String)]
    pub today: Date,
}

/// Today's date where the clinic is.
pub async fn today(state: &AppState, clinic_id: Uuid) -> Result<Date, ApiError> {
    let zone = crate::care::clinic::zone(state, clinic_id).await?;
    Ok(zone.local(state.now()).date())
}

/// The phase and its precautions today. A post-operative pathway whose phase cannot be worked
/// out (no surgery date yet) is an error: precautions cannot be checked without it.
pub(crate) async fn phase_of(
    store: &Db,
    patient: &User,
    today: Date,
) -> Result<Option<PhaseStatus>, ApiError> {
    let Some(ep) = store.open_episode_of(patient.clinic_id, patient.id).await? else {
        return Ok(None);
    };
    match crate::care::pathway::phase_status(&ep, today) {
        None => Ok(None),
        Some(Ok(status)) => Ok(Some(status)),
        Some(Err(e)) => Err(ApiError::invalid(
            "pathway",
            format!("the precautions of this patient's phase cannot be worked out: {e}"),
        )),
    }
}

pub(crate) fn precautions(phase: Option<&PhaseStatus>) -> &[ActivePrecaution] {
    phase.map_or(&[], |s| s.active_precautions.as_slice())
}

/// Builds the view from what is stored. Reads only.
pub(crate) async fn view_of(state: &AppState, patient: &User) -> Result<ProgrammeView, ApiError> {
    let store = state.store();
    let today = today(state, patient.clinic_id).await?;
    let lib = library::load(store, patient.clinic_id).await?;
    // A phase that cannot be worked out leaves no precautions to flag with; the editor refuses
    // to save until it can be (see `save`), and the staff page says why.
    let phase = phase_of(store, patient, today).await.ok().flatten();
    let current = store.programme(patient.clinic_id, patient.id).await?;
    let items = current.as_ref().map_or(&[][..], |c| c.items.as_slice());
    let mut flags = programme::flags(items, &|id| lib.find(id), precautions(phase.as_ref()));
    let entries = items
        .iter()
        .enumerate()
        .map(|(k, item)| Entry {
            item: item.clone(),
            exercise: lib.find(&item.exercise).cloned(),
            flags: flags
                .iter_mut()
                .find(|(i, _)| *i == k)
                .map(|(_, f)| std::mem::take(f))
                .unwrap_or_default(),
            active_today: item.active_on(today),
            camera: lib
                .find(&item.exercise)
                .map_or(programme::Camera::NotTracked, |x| programme::camera(item, x)),
        })
        .collect::<Vec<_>>();
    let warnings = if entries.len() > programme::ADVISED_MAX_EXERCISES {
        vec![Warning::Long { count: entries.len() }]
    } else {
        Vec::new()
    };
    let pause = crate::care::safety::pause(store, patient).await?;
    let pause_message = pause.as_ref().map(Pause::patient_message);
    Ok(ProgrammeView { current, entries, pause, pause_message, phase, warnings, today })
}

/// A patient's programme, read by them or their care team.
pub async fn read(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<ProgrammeView, ApiError> {
    let mut act = Act::new(state, p, "read", "programme");
    let r = async {
        let patient = act.patient(patient_id).await?;
        view_of(state, &patient).await
    }
    .await;
    act.finish(r).await
}

/// Every version of a patient's programme, newest first, read by them or their care team.
pub async fn versions(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<Vec<ProgrammeVersion>, ApiError> {
    let mut act = Act::new(state, p, "read", "programme_version");
    let r = async {
        act.patient(patient_id).await?;
        Ok(act.store().programme_versions(p.user.clinic_id, patient_id).await?)
    }
    .await;
    act.finish(r).await
}

/// A new version of the programme, as the editor or an API client sends it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeRequest {
    /// The version this change was made on (0 when there was none): if someone else changed
    /// the programme since, the save is refused rather than overwriting their change.
    pub based_on: i32,
    /// The whole programme, in order. Each item: `exercise`, `dose`, `start`, optional `end`,
    /// `note`, `range` and `override`, and `camera` (default false): for a tracked exercise
    /// whose counting is not yet validated, offer the patient camera counting anyway.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Item>,
    /// Why, in a few words; shown in the history.
    pub reason: String,
}

/// Starting a programme from a template.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FromTemplate {
    /// The version this was decided on (0 when there was none).
    pub based_on: i32,
    /// A built-in template's id or one of the clinic's own.
    pub template: String,
    /// The first day (default: today in the clinic's time zone).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub start: Option<Date>,
    /// Why; default "Started from the template …".
    #[serde(default)]
    pub reason: Option<String>,
}

/// A saved version and the advice about it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Saved {
    #[schema(value_type = Object)]
    pub version: ProgrammeVersion,
    #[schema(value_type = Vec<Object>)]
    pub warnings: Vec<Warning>,
}

const CLINICIANS_ONLY: &str = "only a clinician on the patient's care team prescribes exercise";

/// Saves a new version of the programme: checked against the library, the doses' limits and
/// the precautions of the patient's phase, then written with what changed and why.
pub async fn save(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    req: ProgrammeRequest,
) -> Result<Saved, ApiError> {
    let mut act = Act::new(state, p, "update", "programme");
    let r = async {
        let patient = act.patient_as_clinician(patient_id, CLINICIANS_ONLY).await?;
        write(&mut act, &patient, req.based_on, req.items, &req.reason, None, p.user.id).await
    }
    .await;
    act.finish(r).await
}

/// Starts (or restarts) the programme from a template.
pub async fn start_from_template(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    req: FromTemplate,
) -> Result<Saved, ApiError> {
    let mut act = Act::new(state, p, "create", "programme");
    let r = async {
        let patient = act.patient_as_clinician(patient_id, CLINICIANS_ONLY).await?;
        let clinic = p.user.clinic_id;
        let templates = library::templates_of(act.store(), clinic, None, None).await?;
        let Some(entry) = templates.into_iter().find(|t| t.template.id == req.template) else {
            return Err(ApiError::invalid(
                "template",
                format!("no template has the id {:?}", req.template),
            ));
        };
        let lib = library::load(act.store(), clinic).await?;
        let start = match req.start {
            Some(d) => d,
            None => today(state, clinic).await?,
        };
        let items = entry.template.instantiate(&|id| lib.find(id), start).ok_or_else(|| {
            ApiError::invalid(
                "template",
                "the template names an exercise that is no longer in the library",
            )
        })?;
        let reason = req.reason.filter(|r| !r.trim().is_empty()).unwrap_or_else(|| {
            format!("Started from the template \u{201c}{}\u{201d}", entry.template.name)
        });
        let by = p.user.id;
        write(&mut act, &patient, req.based_on, items, &reason, Some(&entry.template.id), by).await
    }
    .await;
    act.finish(r).await
}

/// Checks and writes one version on the action's transaction, made by `by` (the caller, or
/// for a change applied automatically, the clinician who allowed it).
pub(crate) async fn write(
    act: &mut Act<'_>,
    patient: &User,
    based_on: i32,
    items: Vec<Item>,
    reason: &str,
    template: Option<&str>,
    by: Uuid,
) -> Result<Saved, ApiError> {
    let (state, clinic) = (act.state, patient.clinic_id);
    let reason = reason.trim();
    let mut problems = Vec::new();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        problems.push(Problem {
            field: "reason".to_owned(),
            message: format!(
                "say why you are changing the programme, in 1 to {MAX_REASON_CHARS} characters"
            ),
        });
    }
    let today = today(state, clinic).await?;
    let phase = phase_of(act.store(), patient, today).await?;
    let lib: ClinicLibrary = library::load(act.store(), clinic).await?;
    let current = act.store().programme(clinic, patient.id).await?;
    let previous = current.as_ref().map_or(&[][..], |c| c.items.as_slice());
    let checked =
        match programme::check(items, previous, &|id| lib.find(id), precautions(phase.as_ref())) {
            Ok(c) if problems.is_empty() => c,
            Ok(_) => return Err(ApiError::problems(problems)),
            Err(mut more) => {
                problems.append(&mut more);
                return Err(ApiError::problems(problems));
            }
        };
    let latest = current.as_ref().map_or(0, |c| c.version);
    if based_on != latest {
        return Err(ApiError::Conflict(format!(
            "the programme was changed (it is now version {latest}) after you opened version \
             {based_on}; reload it, look at the change, and make yours again"
        )));
    }
    let changes = programme::diff(previous, &checked.items);
    if current.is_some() && changes.is_empty() {
        return Err(ApiError::invalid("items", "nothing has changed; change something or cancel"));
    }
    let now = act.now();
    let version = act
        .tx()
        .await?
        .add_programme_version(
            clinic,
            patient.id,
            NewProgrammeVersion {
                version: latest + 1,
                items: &checked.items,
                changes: &changes,
                reason,
                template,
                created_by: by,
                now,
            },
        )
        .await?;
    Ok(Saved { version, warnings: checked.warnings })
}

/// One exercise the patient may do today, with its prescription.
#[derive(Debug, Clone)]
pub struct Prescribed {
    pub item: Item,
    pub exercise: Exercise,
}

/// The prescription of `exercise_id` for `patient` today, or a refusal that says why: not in
/// the programme, not in force today, or held by a precaution. Reads only; the caller's
/// action is audited. Pauses are the caller's to check (they say more).
pub async fn prescribed(
    state: &AppState,
    patient: &User,
    exercise_id: &str,
) -> Result<Prescribed, ApiError> {
    let view = view_of(state, patient).await?;
    let Some(entry) = view.entries.into_iter().find(|e| e.item.exercise == exercise_id) else {
        return Err(ApiError::Forbidden(
            "this exercise is not in your programme. Your physiotherapist chooses your \
             exercises; ask them if you think it should be."
                .into(),
        ));
    };
    if !entry.active_today {
        // Dates as the patient reads them ("7 December 2026"); this message is shown to them.
        let words = |d: Date| format!("{} {} {}", d.day(), d.month(), d.year());
        return Err(ApiError::Forbidden(match entry.item.end {
            Some(end) if end < view.today => {
                format!(
                    "this exercise finished on {}; it is no longer part of your programme",
                    words(end)
                )
            }
            _ => format!("this exercise starts on {}, not today", words(entry.item.start)),
        }));
    }
    if !entry.flags.is_empty() {
        return Err(ApiError::Forbidden(
            "please leave this exercise out for now: a precaution of your recovery has come \
             into force since it was prescribed, and your physiotherapist is checking it"
                .into(),
        ));
    }
    let exercise = entry.exercise.ok_or(ApiError::NotFound("exercise"))?;
    Ok(Prescribed { item: entry.item, exercise })
}
