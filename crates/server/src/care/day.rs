//! The patient's day: today's sessions and how the week is going, starting a guided session
//! (the pain check first), recording each exercise, the closing check, the next-morning answer,
//! and the session log the care team reads. The rules are `physio_clinic::day`.
//!
//! Which sessions a day holds follows the programme as it is today, with only the exercises
//! the patient may do today (in force, in the library, not held by a later precaution). A
//! session the pain check stopped does not use up one of the day's sessions.

use physio_clinic::alert::{AlertKind, NewAlert};
use physio_clinic::checkin::{self, Baseline};
use physio_clinic::day::{self, Closing, ExerciseLog, Gate, Usual, WeekCount, plan};
use physio_clinic::intake::PainScore;
use physio_clinic::programme::Item;
use physio_clinic::questionnaire::InstrumentId;
use physio_store::{DaySession, Db, NewDaySession, ProgrammeVersion, Role, StoreError, User};
use serde::{Deserialize, Serialize};
use time::{Date, Duration};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::care::programme::{ProgrammeView, view_of};
use crate::{auth::Principal, care::Act, error::ApiError, state::AppState, zone::Zone};

const PATIENTS_ONLY: &str = "only the patient records their own exercise sessions";

/// How many days after a session its next-morning question is still asked.
pub const NEXT_MORNING_DAYS: i64 = 2;

/// One of today's sessions: what it holds and, once started, what was recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Slot {
    /// Which session of the day, from 1.
    pub number: u8,
    /// The exercises due in it, in order (ids of the programme's exercises).
    pub exercises: Vec<String>,
    /// The session, once started.
    #[schema(value_type = Option<Object>)]
    pub session: Option<DaySession>,
}

impl Slot {
    /// Whether it is finished (closing check given).
    pub fn finished(&self) -> bool {
        self.session.as_ref().is_some_and(|s| s.ended_at.is_some())
    }
}

/// The patient's day as Today shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DayView {
    /// The programme, with its pause when care is paused.
    #[schema(value_type = Object)]
    pub programme: ProgrammeView,
    /// Today's sessions, in order.
    pub slots: Vec<Slot>,
    /// Sessions today that the pain check stopped.
    #[schema(value_type = Vec<Object>)]
    pub stopped: Vec<DaySession>,
    /// Changes the progression rules made to the programme in the last days, newest first,
    /// with why in plain words.
    pub changes: Vec<crate::care::progression::ChangeNote>,
    /// This week so far.
    #[schema(value_type = Object)]
    pub week: WeekCount,
    /// A recent session whose next-morning question is waiting for an answer.
    #[schema(value_type = Option<Object>)]
    pub next_morning: Option<DaySession>,
}

impl DayView {
    /// The session in progress today, if any.
    pub fn open(&self) -> Option<&DaySession> {
        self.slots.iter().filter_map(|s| s.session.as_ref()).find(|s| s.ended_at.is_none())
    }

    /// The next session to start today, if any is left.
    pub fn next_slot(&self) -> Option<&Slot> {
        self.slots.iter().find(|s| s.session.is_none())
    }
}

/// The items the patient may do today, in the programme's order.
fn doable(view: &ProgrammeView) -> Vec<Item> {
    view.entries.iter().filter(|e| e.doable_today()).map(|e| e.item.clone()).collect()
}

/// Today's sessions: planned slots filled with the sessions started, in order; sessions the
/// pain check stopped are set aside.
fn slots(items: &[Item], today: Date, sessions: &[DaySession]) -> (Vec<Slot>, Vec<DaySession>) {
    let mut started: Vec<DaySession> =
        sessions.iter().filter(|s| s.day == today).cloned().collect();
    started.sort_by_key(|s| s.number);
    let (stopped, mut used): (Vec<_>, Vec<_>) =
        started.into_iter().partition(|s| s.stopped.is_some());
    used.reverse();
    let planned = day::sessions_on(items, today);
    let mut out: Vec<Slot> = (1..=planned)
        .map(|n| Slot {
            number: n,
            exercises: day::due_in(items, today, n)
                .into_iter()
                .map(|k| items[k].exercise.clone())
                .collect(),
            session: used.pop(),
        })
        .collect();
    // Sessions beyond today's plan (the programme changed during the day) still show.
    while let Some(s) = used.pop() {
        let number = u8::try_from(out.len() + 1).unwrap_or(u8::MAX);
        out.push(Slot {
            number,
            exercises: s.due.iter().map(|i| i.exercise.clone()).collect(),
            session: Some(s),
        });
    }
    (out, stopped)
}

/// The plan of a past day: the programme version in force at the end of that day.
pub(crate) fn planned_on(versions: &[ProgrammeVersion], zone: &Zone, day: Date) -> u32 {
    versions
        .iter()
        .filter(|v| zone.local(v.created_at).date() <= day)
        .max_by_key(|v| v.version)
        .map_or(0, |v| u32::from(day::sessions_on(&v.items, day)))
}

/// Weeks from the one holding `from` to the one holding `to`, newest first, each with the
/// sessions that counted and the plan of each day.
pub(crate) fn weeks(
    versions: &[ProgrammeVersion],
    zone: &Zone,
    sessions: &[DaySession],
    from: Date,
    to: Date,
) -> Vec<WeekCount> {
    let mut out = Vec::new();
    let mut monday = plan::week_start(to);
    while monday >= plan::week_start(from) {
        let days = (0..7).map(|d| monday + Duration::days(d));
        let planned =
            days.clone().filter(|d| *d <= to).map(|d| planned_on(versions, zone, d)).sum();
        let done = sessions
            .iter()
            .filter(|s| s.day >= monday && s.day < monday + Duration::days(7) && s.counts())
            .count();
        out.push(WeekCount { monday, done: u32::try_from(done).unwrap_or(u32::MAX), planned });
        monday -= Duration::days(7);
    }
    out
}

/// The check-in's baseline: the latest pain score, else the intake's pain.
async fn baseline(store: &Db, patient: &User, today: Date) -> Result<Option<Baseline>, ApiError> {
    let (clinic, id) = (patient.clinic_id, patient.id);
    let nprs = store.responses(clinic, id, Some(InstrumentId::Nprs.as_str())).await?;
    let latest =
        nprs.last().and_then(|r| PainScore::new(r.score.round().clamp(0.0, 10.0) as u8).ok());
    let mut intake_pain = None;
    if let Some(ep) = store.open_episode_of(clinic, id).await?
        && let Some(intake) = store.intake(clinic, ep.id).await?
    {
        intake_pain = physio_clinic::intake::parse(&intake.answers.to_string(), today)
            .ok()
            .and_then(|i| i.pain_now());
    }
    Ok(checkin::baseline(latest, intake_pain))
}

/// The patient's usual pain before a session, from their recent sessions and baseline.
async fn usual(
    store: &Db,
    patient: &User,
    recent: &[DaySession],
    today: Date,
) -> Result<Option<Usual>, ApiError> {
    let scores: Vec<PainScore> = recent
        .iter()
        .filter_map(|s| u8::try_from(s.pain_before).ok().and_then(|p| PainScore::new(p).ok()))
        .collect();
    Ok(day::pain::usual(&scores, baseline(store, patient, today).await?))
}

async fn day_view(state: &AppState, patient: &User) -> Result<DayView, ApiError> {
    let store = state.store();
    let programme = view_of(state, patient).await?;
    let today = programme.today;
    let zone = crate::care::clinic::zone(state, patient.clinic_id).await?;
    let monday = plan::week_start(today);
    let since = monday.min(today - Duration::days(NEXT_MORNING_DAYS));
    let sessions = store.day_sessions(patient.clinic_id, patient.id, Some(since)).await?;
    let items = doable(&programme);
    let (slots, stopped) = slots(&items, today, &sessions);
    let versions = store.programme_versions(patient.clinic_id, patient.id).await?;
    let week = weeks(&versions, &zone, &sessions, today, today).pop().unwrap_or(WeekCount {
        monday,
        done: 0,
        planned: 0,
    });
    // The next-morning question: about the last session that counted on the most recent day
    // before today that had one, for two days, once.
    let next_morning = sessions
        .iter()
        .filter(|s| s.day < today && s.counts())
        .max_by_key(|s| (s.day, s.number))
        .filter(|s| {
            s.next_morning_pain.is_none() && s.day >= today - Duration::days(NEXT_MORNING_DAYS)
        })
        .cloned();
    // A week's plan counts the whole week ahead too: Today says what this week asks for.
    let week =
        WeekCount { planned: WeekCount::of(&items, monday, 0).planned.max(week.planned), ..week };
    let changes = crate::care::progression::recent_changes(state, patient).await?;
    Ok(DayView { programme, slots, stopped, week, next_morning, changes })
}

/// The patient's day, read by them or their care team.
pub async fn today(state: &AppState, p: &Principal, patient_id: Uuid) -> Result<DayView, ApiError> {
    let mut act = Act::new(state, p, "read", "day");
    let r = async {
        let patient = act.patient(patient_id).await?;
        day_view(state, &patient).await
    }
    .await;
    act.finish(r).await
}

/// Starting a session: the pain check.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRequest {
    /// Pain now, 0–10.
    pub pain_before: Option<u8>,
}

/// A session started, or stopped by the pain check.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Started {
    #[schema(value_type = Object)]
    pub session: DaySession,
    /// Whether it may go ahead.
    #[schema(value_type = Object)]
    pub gate: Gate,
}

/// The patient starts the next of today's sessions with the pain check. Pain of 8 or more, or
/// 3 or more above their usual level, records the session as stopped and alerts the care team
/// (which pauses exercise until a clinician has closed it), in one transaction.
pub async fn start(
    state: &AppState,
    p: &Principal,
    req: StartRequest,
) -> Result<Started, ApiError> {
    let mut act = Act::new(state, p, "create", "day_session");
    let r = async {
        act.about(p.user.id);
        act.require_role(Role::Patient, PATIENTS_ONLY)?;
        let pain = req.pain_before.and_then(|v| PainScore::new(v).ok()).ok_or_else(|| {
            ApiError::invalid("pain_before", "choose your pain now, from 0 to 10")
        })?;
        let view = day_view(state, &p.user).await?;
        if let Some(pause) = &view.programme.pause {
            return Err(ApiError::Forbidden(pause.patient_message()));
        }
        if view.open().is_some() {
            return Err(ApiError::Conflict(
                "a session is already in progress today; carry on with it".into(),
            ));
        }
        let Some(slot) = view.next_slot() else {
            return Err(ApiError::Conflict(if view.slots.is_empty() {
                "there are no exercises planned for today".into()
            } else {
                "you have done all of today's sessions".into()
            }));
        };
        let items = doable(&view.programme);
        let due: Vec<Item> =
            items.into_iter().filter(|i| slot.exercises.contains(&i.exercise)).collect();
        let recent = act
            .store()
            .day_sessions(
                p.user.clinic_id,
                p.user.id,
                Some(view.programme.today - Duration::days(60)),
            )
            .await?;
        let usual = usual(act.store(), &p.user, &recent, view.programme.today).await?;
        let gate = day::pain::before_session(pain, usual);
        let stopped = match gate {
            Gate::Go => None,
            Gate::Stop(s) => Some(s),
        };
        let today = view.programme.today;
        let number = i32::try_from(
            view.slots.iter().filter(|s| s.session.is_some()).count() + view.stopped.len() + 1,
        )
        .unwrap_or(i32::MAX);
        let version = view.programme.current.as_ref().map_or(0, |v| v.version);
        let (clinic, now) = (p.user.clinic_id, act.now());
        let zone = crate::care::clinic::zone(state, clinic).await?;
        let tx = act.tx().await?;
        let session = tx
            .start_day_session(
                clinic,
                p.user.id,
                NewDaySession {
                    day: today,
                    number,
                    programme_version: version,
                    due: &due,
                    pain_before: pain.get(),
                    usual_pain: usual.map(|u| u.pain),
                    stopped,
                    now,
                },
            )
            .await?;
        if let Some(stop) = stopped {
            let alert = NewAlert::new(stop.alert().into(), stop.staff_message());
            tx.add_alerts(clinic, p.user.id, &[alert], zone.tz(), now).await?;
        }
        Ok(Started { session, gate })
    }
    .await;
    act.finish(r).await
}

/// The patient's own session; anyone else's is "not found".
async fn own(act: &Act<'_>, session_id: Uuid) -> Result<DaySession, ApiError> {
    let p = act.p;
    match act.store().day_session(p.user.clinic_id, session_id).await {
        Ok(s) if s.patient_id == p.user.id => Ok(s),
        Ok(_) | Err(StoreError::NotFound(_)) => Err(ApiError::NotFound("session")),
        Err(e) => Err(e.into()),
    }
}

/// The patient's own open session, or why not.
async fn own_open(act: &Act<'_>, session_id: Uuid) -> Result<DaySession, ApiError> {
    let session = own(act, session_id).await?;
    if session.ended_at.is_some() {
        return Err(ApiError::Conflict("this session has ended".into()));
    }
    Ok(session)
}

/// Recording one exercise of a session.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordRequest {
    /// The exercise's id.
    pub exercise: String,
    /// What was done (or that it was skipped, and why).
    #[schema(value_type = Object)]
    pub log: ExerciseLog,
    /// The camera session that counted it, when it was tracked.
    #[serde(default)]
    pub camera_session: Option<Uuid>,
}

/// The patient records one exercise of their open session. Refused while exercise is paused.
pub async fn record(
    state: &AppState,
    p: &Principal,
    session_id: Uuid,
    req: RecordRequest,
) -> Result<DaySession, ApiError> {
    let mut act = Act::new(state, p, "update", "day_session");
    let r = async {
        act.about(p.user.id);
        act.require_role(Role::Patient, PATIENTS_ONLY)?;
        let session = own_open(&act, session_id).await?;
        if let Some(pause) = crate::care::safety::pause(act.store(), &p.user).await? {
            return Err(ApiError::Forbidden(pause.patient_message()));
        }
        let Some(item) = session.due.iter().find(|i| i.exercise == req.exercise) else {
            return Err(ApiError::invalid(
                "exercise",
                format!("{:?} is not one of this session's exercises", req.exercise),
            ));
        };
        if session.exercises.iter().any(|e| e.exercise == req.exercise) {
            return Err(ApiError::Conflict(
                "this exercise is already recorded in this session".into(),
            ));
        }
        let problems = req.log.problems(&item.dose);
        if !problems.is_empty() {
            return Err(ApiError::problems(problems));
        }
        if let Some(id) = req.camera_session {
            let ok = match act.store().exercise_session(p.user.clinic_id, id).await {
                Ok(c) => {
                    c.patient_id == p.user.id
                        && c.exercise == req.exercise
                        && c.started_at >= session.started_at
                }
                Err(StoreError::NotFound(_)) => false,
                Err(e) => return Err(e.into()),
            };
            if !ok {
                return Err(ApiError::invalid(
                    "camera_session",
                    "give a camera session of this exercise started during this session",
                ));
            }
        }
        let (clinic, now) = (p.user.clinic_id, act.now());
        let tx = act.tx().await?;
        Ok(tx
            .log_day_exercise(clinic, session_id, &req.exercise, &req.log, req.camera_session, now)
            .await?)
    }
    .await;
    act.finish(r).await
}

/// The patient ends their session with the closing check. Pain of 8 or more afterwards alerts
/// the care team as the check before a session would.
pub async fn finish(
    state: &AppState,
    p: &Principal,
    session_id: Uuid,
    closing: Closing,
) -> Result<DaySession, ApiError> {
    let mut act = Act::new(state, p, "update", "day_session");
    let r = async {
        act.about(p.user.id);
        act.require_role(Role::Patient, PATIENTS_ONLY)?;
        let session = own_open(&act, session_id).await?;
        let unfinished = session.remaining().next().is_some();
        let problems = closing.problems(unfinished);
        if !problems.is_empty() {
            return Err(ApiError::problems(problems));
        }
        let closing = Closing {
            stopped_early: if unfinished { closing.stopped_early } else { None },
            note: closing.note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()),
            ..closing
        };
        let (clinic, now) = (p.user.clinic_id, act.now());
        let zone = crate::care::clinic::zone(state, clinic).await?;
        let tx = act.tx().await?;
        let ended = tx.end_day_session(clinic, session_id, &closing, now).await?;
        if let Some(pain) = closing.pain_after.filter(|p| *p >= day::pain::BLOCK_PAIN) {
            let message = format!(
                "Pain {pain}/10 after an exercise session. Exercise is paused until a clinician \
                 closes this alert."
            );
            let alert = NewAlert::new(AlertKind::HighPain, message);
            tx.add_alerts(clinic, p.user.id, &[alert], zone.tz(), now).await?;
        }
        let patient = p.user.clone();
        crate::care::progression::after_session(&mut act, &patient, &ended).await?;
        Ok(ended)
    }
    .await;
    act.finish(r).await
}

/// The next-morning answer.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NextMorningRequest {
    /// Pain this morning, 0 (none) to 10 (the worst imaginable).
    pub pain: Option<u8>,
}

/// The patient says how their back felt the morning after a session.
pub async fn next_morning(
    state: &AppState,
    p: &Principal,
    session_id: Uuid,
    req: NextMorningRequest,
) -> Result<DaySession, ApiError> {
    let mut act = Act::new(state, p, "update", "day_session");
    let r = async {
        act.about(p.user.id);
        act.require_role(Role::Patient, PATIENTS_ONLY)?;
        let Some(pain) = req.pain.filter(|p| *p <= 10) else {
            return Err(ApiError::invalid(
                "pain",
                "choose how bad your back pain is this morning, from 0 (none) to 10",
            ));
        };
        own(&act, session_id).await?;
        let (clinic, now) = (p.user.clinic_id, act.now());
        let tx = act.tx().await?;
        let answered = tx.set_next_morning(clinic, session_id, pain, now).await?;
        // Pain that has not settled by the next morning is a rule of its own.
        let patient = p.user.clone();
        crate::care::progression::after_morning(&mut act, &patient, answered.day).await?;
        Ok(answered)
    }
    .await;
    act.finish(r).await
}

/// A patient's sessions and adherence, for them and their care team.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionLog {
    /// Sessions, newest first.
    #[schema(value_type = Vec<Object>)]
    pub sessions: Vec<DaySession>,
    /// Each week's sessions against its plan, newest first.
    #[schema(value_type = Vec<Object>)]
    pub weeks: Vec<WeekCount>,
}

/// Most weeks a log reads.
pub const MAX_WEEKS: u8 = 52;

/// The last `weeks` weeks (this one included) of a patient's sessions.
pub async fn log(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    weeks_back: u8,
) -> Result<SessionLog, ApiError> {
    let mut act = Act::new(state, p, "read", "day_session");
    let r = async {
        let patient = act.patient(patient_id).await?;
        if !(1..=MAX_WEEKS).contains(&weeks_back) {
            return Err(ApiError::invalid(
                "weeks",
                format!("give a number of weeks from 1 to {MAX_WEEKS}"),
            ));
        }
        let store = act.store();
        let today = crate::care::programme::today(state, patient.clinic_id).await?;
        let zone = crate::care::clinic::zone(state, patient.clinic_id).await?;
        let from = plan::week_start(today) - Duration::days(7 * (i64::from(weeks_back) - 1));
        let sessions = store.day_sessions(patient.clinic_id, patient.id, Some(from)).await?;
        let versions = store.programme_versions(patient.clinic_id, patient.id).await?;
        let weeks = weeks(&versions, &zone, &sessions, from, today);
        Ok(SessionLog { sessions, weeks })
    }
    .await;
    act.finish(r).await
}
