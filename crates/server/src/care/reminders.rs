//! A patient's exercise reminders: the patient reads and sets their plan (days, time, the habit
//! it goes with, on or off), their care team and clinic admins read it, and Today shows the
//! next one (`summary`). Setting a plan replaces the reminders already planned by the old one,
//! in the same transaction as its audit record. The scheduler (`crate::reminders`) sends them.

use physio_clinic::reminder::{self, Plan, PlanInput};
use physio_store::{Role, User};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

/// A plan as the page or an API client sends it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// Days of the week by name (`monday` … `sunday`); at least one while reminders are on.
    pub days: Vec<String>,
    /// The time on those days in the clinic's time zone, 24-hour `HH:MM`.
    pub time: String,
    /// What the reminder goes with ("after breakfast"), at most 60 characters.
    #[serde(default)]
    pub habit: Option<String>,
    /// Whether reminders are on.
    pub enabled: bool,
}

/// The next reminder, as Today and the reminder page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ReminderSummary {
    /// When, in UTC.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
    /// In words, on the clinic's clock: "Thursday at 8:00, after breakfast".
    pub text: String,
    /// The chosen days in words: "Monday, Wednesday and Friday".
    pub days: String,
    /// Whether it also comes by e-mail (the clinic has a mail server set up).
    pub by_email: bool,
}

/// A patient's reminders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ReminderView {
    /// The plan as set: `days`, `time` ("08:00"), `habit`, `enabled`; `None` before the first.
    #[schema(value_type = Option<Object>)]
    pub plan: Option<Plan>,
    /// The next reminder while reminders are on.
    pub next: Option<ReminderSummary>,
    /// Whether reminders go out by e-mail here; if not, they show on Today only.
    pub by_email: bool,
}

/// Whether this server sends reminders by e-mail.
pub fn by_email(state: &AppState) -> bool {
    state.config().smtp.is_some() && state.config().public_url.is_some()
}

/// The patient's next reminder, for Today; `None` without a plan or while it is off. Reads
/// only, and records nothing: the page that shows it has read the patient's record already.
pub async fn summary(
    state: &AppState,
    patient: &User,
) -> Result<Option<ReminderSummary>, ApiError> {
    let stored = state.store().reminder_plan(patient.clinic_id, patient.id).await?;
    let Some(plan) = stored.map(|s| s.plan) else { return Ok(None) };
    next_of(state, patient.clinic_id, &plan).await
}

async fn next_of(
    state: &AppState,
    clinic_id: Uuid,
    plan: &Plan,
) -> Result<Option<ReminderSummary>, ApiError> {
    let zone = crate::care::clinic::zone(state, clinic_id).await?;
    let now = state.now();
    Ok(plan.next_due(zone.tz(), now).map(|at| ReminderSummary {
        at,
        text: reminder::describe(plan, zone.tz(), at, now),
        days: plan.days_text(),
        by_email: by_email(state),
    }))
}

async fn view_of(state: &AppState, patient: &User) -> Result<ReminderView, ApiError> {
    let plan = state.store().reminder_plan(patient.clinic_id, patient.id).await?.map(|s| s.plan);
    let next = match &plan {
        Some(p) => next_of(state, patient.clinic_id, p).await?,
        None => None,
    };
    Ok(ReminderView { plan, next, by_email: by_email(state) })
}

/// A patient's reminders, read by them, their care team or a clinic admin.
pub async fn read(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<ReminderView, ApiError> {
    let mut act = Act::new(state, p, "read", "reminder_plan");
    let r = async {
        let patient = act.patient(patient_id).await?;
        view_of(state, &patient).await
    }
    .await;
    act.finish(r).await
}

/// Sets the patient's plan (only the patient sets their own), replacing the reminders the old
/// plan had planned. Bad input names each field at fault.
pub async fn set(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    req: &PlanRequest,
) -> Result<ReminderView, ApiError> {
    let mut act = Act::new(state, p, "update", "reminder_plan");
    let r = async {
        let patient = act.patient(patient_id).await?;
        act.require_role(Role::Patient, "only the patient sets their own reminders")?;
        let input = PlanInput {
            days: &req.days,
            time: &req.time,
            habit: req.habit.as_deref().unwrap_or(""),
            enabled: req.enabled,
        };
        let plan = reminder::check(&input).map_err(refusal)?;
        let now = act.now();
        act.tx().await?.put_reminder_plan(patient.clinic_id, patient.id, &plan, now).await?;
        let next = next_of(state, patient.clinic_id, &plan).await?;
        Ok(ReminderView { plan: Some(plan), next, by_email: by_email(state) })
    }
    .await;
    act.finish(r).await
}

/// The fields a plan's problems name, as the one error type wants them.
pub const FIELDS: [&str; 3] = ["days", "time", "habit"];

/// One problem names its field in `field`; several are listed in `problems`.
fn refusal(problems: Vec<physio_clinic::exercise::Problem>) -> ApiError {
    match problems.as_slice() {
        [one] => match FIELDS.iter().find(|f| **f == one.field) {
            Some(field) => ApiError::invalid(field, one.message.clone()),
            None => ApiError::problems(problems),
        },
        _ => ApiError::problems(problems),
    }
}
