//! The oversight sweep (docs/alerts.md): Physio watching over each caseload on its own. For
//! every clinic and every patient with an open episode it checks each condition of
//! [`CONDITIONS`]; when one holds and no alert of its kind is open for the patient it raises
//! one, and when one no longer holds it closes the open alert with a note saying why
//! ("Closed by Physio: a session was done on Tuesday 8 December."). Each raise and close is its
//! own transaction with its audit record, written as the system's action (no user).
//!
//! Reads are per clinic, never per patient: [`read_clinic`] makes a fixed number of queries
//! whatever the caseload. A new condition is a function from the facts to a [`Verdict`] and a
//! line in [`CONDITIONS`]; when it needs facts not read yet, one more field of
//! [`PatientFacts`] and one more query in [`read_clinic`].
//!
//! `physio serve` runs the sweep on its clock every `Config::oversight_interval` ([`start`]);
//! tests call [`sweep`] directly with a `ManualClock`.

use std::collections::HashMap;

use physio_clinic::alert::{
    AlertKind, NewAlert, inactivity, overdue_follow_up, unread_message_overdue,
};
use physio_clinic::intake::Region;
use physio_clinic::schedule::{Due, EpisodeDates, due_now};
use physio_store::{Alert, AuditOutcome, Episode, EpisodeStatus, NewAuditEvent, StoreError};
use time::{Date, OffsetDateTime};
use tokio::sync::watch;
use uuid::Uuid;

use crate::{error::ApiError, state::AppState, zone::Zone};

/// The conditions the sweep checks, each with the kind of alert it raises.
pub const CONDITIONS: &[Condition] = &[
    Condition { kind: AlertKind::NoSession, check: no_session },
    Condition { kind: AlertKind::LikelyDropout, check: likely_dropout },
    Condition { kind: AlertKind::ReassessmentDue, check: reassessment_due },
    Condition { kind: AlertKind::ProposalsWaiting, check: proposals_waiting },
    Condition { kind: AlertKind::UnreadMessage, check: unread_message },
];

/// Every note Physio closes an alert with starts so.
pub const CLOSED_BY_PHYSIO: &str = "Closed by Physio: ";

/// One condition: the alert it raises and how it judges a patient.
pub struct Condition {
    pub kind: AlertKind,
    pub check: fn(&ClinicFacts, &PatientFacts) -> Verdict,
}

/// A condition's judgement on one patient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It holds: the message for the care team.
    Holds(String),
    /// It does not: why, for the note that closes an open alert ("a session was done on …").
    Clear(String),
}

/// What the sweep knows of one clinic.
#[derive(Debug, Clone)]
pub struct ClinicFacts {
    pub clinic_id: Uuid,
    pub zone: Zone,
    pub now: OffsetDateTime,
    /// Today in the clinic's time zone.
    pub today: Date,
    /// One per patient with an open episode.
    pub patients: Vec<PatientFacts>,
    /// The clinic's open alerts.
    pub open: Vec<Alert>,
}

/// What the sweep knows of one patient with an open episode.
#[derive(Debug, Clone)]
pub struct PatientFacts {
    pub patient_id: Uuid,
    pub episode: Episode,
    /// The local day the programme in force came into force (after any stop), if one is.
    pub programme_since: Option<Date>,
    /// The last local day the patient did at least part of an exercise in a guided session.
    pub last_active: Option<Date>,
    /// The questionnaires due now (`physio_clinic::schedule::due_now`).
    pub due: Vec<Due>,
    /// Open safety alerts, which pause exercise.
    pub paused_by: Vec<AlertKind>,
    /// Progression proposals waiting for a clinician: how many, and since when.
    pub proposals: Option<(usize, OffsetDateTime)>,
    /// When the oldest of the patient's messages no clinician has read was sent.
    pub unread_since: Option<OffsetDateTime>,
}

/// What one sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Swept {
    pub raised: usize,
    pub closed: usize,
}

/// "Tuesday 8 December".
fn day_words(d: Date) -> String {
    format!("{} {} {}", d.weekday(), d.day(), d.month())
}

fn no_session(c: &ClinicFacts, p: &PatientFacts) -> Verdict {
    inactive(c, p, AlertKind::NoSession)
}

fn likely_dropout(c: &ClinicFacts, p: &PatientFacts) -> Verdict {
    inactive(c, p, AlertKind::LikelyDropout)
}

/// No session for 3 days, or 14 (`physio_clinic::alert::inactivity`), counted from the last
/// active day or the day the programme came into force, whichever is later; only while care is
/// active, a programme is in force and no safety alert pauses exercise.
fn inactive(c: &ClinicFacts, p: &PatientFacts, kind: AlertKind) -> Verdict {
    if p.episode.status != EpisodeStatus::Active {
        return Verdict::Clear("the patient's care is not active now.".into());
    }
    let Some(since) = p.programme_since else {
        return Verdict::Clear("no exercise programme is in force now.".into());
    };
    if !p.paused_by.is_empty() {
        return Verdict::Clear(
            "exercise is paused by a safety alert, so no session is expected.".into(),
        );
    }
    let last = p.last_active.map_or(since, |d| d.max(since));
    match inactivity(last, c.today) {
        Some(i) if i.kind() == kind => Verdict::Holds(i.message(last)),
        Some(_) => Verdict::Clear(format!(
            "no session since {}; the {} alert takes over.",
            day_words(last),
            if kind == AlertKind::NoSession { "likely dropout" } else { "no session" }
        )),
        None if p.last_active == Some(last) => {
            Verdict::Clear(format!("a session was done on {}.", day_words(last)))
        }
        None => Verdict::Clear(format!("the programme started again on {}.", day_words(last))),
    }
}

/// A follow-up questionnaire due for more than 7 days and not all answered
/// (`physio_clinic::alert::overdue_follow_up`).
fn reassessment_due(c: &ClinicFacts, p: &PatientFacts) -> Verdict {
    match overdue_follow_up(&p.due, c.today) {
        Some((timepoint, since, missing)) => Verdict::Holds(format!(
            "The {} follow-up questionnaires have been due since {} and {} not answered yet: {}.",
            timepoint.replace('_', " "),
            day_words(since),
            if missing.len() == 1 { "one is" } else { "some are" },
            missing.join(", ")
        )),
        None => Verdict::Clear("no follow-up questionnaire is overdue now.".into()),
    }
}

/// Progression proposals waiting for the clinician (docs/progression.md); the alert's routine
/// deadline gives the clinician until the end of the next working day.
fn proposals_waiting(c: &ClinicFacts, p: &PatientFacts) -> Verdict {
    match p.proposals {
        Some((n, since)) => Verdict::Holds(format!(
            "{} progression proposal{} waiting for a decision since {}.",
            n,
            if n == 1 { " is" } else { "s are" },
            day_words(c.zone.local(since).date())
        )),
        None => Verdict::Clear("no proposal is waiting now.".into()),
    }
}

/// A message from the patient that no clinician has read for more than a working day
/// (`physio_clinic::alert::unread_message_overdue`).
fn unread_message(c: &ClinicFacts, p: &PatientFacts) -> Verdict {
    match p.unread_since {
        Some(since) if unread_message_overdue(since, false, c.now, c.zone.tz()) => {
            Verdict::Holds(format!(
                "A message the patient sent on {} has not been read by anyone on the care team.",
                day_words(c.zone.local(since).date())
            ))
        }
        Some(_) => Verdict::Clear("the patient's messages are less than a working day old.".into()),
        None => Verdict::Clear("the patient's messages have been read.".into()),
    }
}

/// Reads what the conditions need of one clinic, in a fixed number of queries.
pub async fn read_clinic(
    state: &AppState,
    clinic_id: Uuid,
    now: OffsetDateTime,
) -> Result<ClinicFacts, ApiError> {
    let store = state.store();
    let zone = crate::care::clinic::zone(state, clinic_id).await?;
    let today = zone.local(now).date();
    let episodes = store.open_episodes(clinic_id).await?;
    let facts = store.oversight_facts(clinic_id).await?;
    let intakes = store.open_intakes(clinic_id).await?;
    let weeks = store.reassessment_weeks(clinic_id).await?;
    let open = store.alerts(clinic_id, None, false).await?;
    let mut proposals: HashMap<Uuid, (usize, OffsetDateTime)> = HashMap::new();
    for d in store
        .progression_decisions(
            clinic_id,
            None,
            &[physio_clinic::progression::Status::Waiting],
            None,
        )
        .await?
    {
        let e = proposals.entry(d.patient_id).or_insert((0, d.created_at));
        e.0 += 1;
        e.1 = e.1.min(d.created_at);
    }
    let unread: HashMap<Uuid, OffsetDateTime> = store
        .unread_patient_messages(clinic_id)
        .await?
        .into_iter()
        .map(|u| (u.patient_id, u.since))
        .collect();

    let in_force: HashMap<Uuid, OffsetDateTime> = facts.in_force.into_iter().collect();
    let last_active: HashMap<Uuid, Date> = facts.last_active.into_iter().collect();
    let mut answered: HashMap<Uuid, Vec<(physio_clinic::questionnaire::InstrumentId, String)>> =
        HashMap::new();
    for (episode, instrument, timepoint) in facts.answered {
        if let Ok(i) = instrument.parse() {
            answered.entry(episode).or_default().push((i, timepoint));
        }
    }
    let intakes: HashMap<Uuid, (serde_json::Value, Option<OffsetDateTime>)> =
        intakes.into_iter().map(|(e, a, s)| (e, (a, s))).collect();

    // The latest open episode of each patient.
    let mut latest: HashMap<Uuid, Episode> = HashMap::new();
    for ep in episodes {
        match latest.get(&ep.patient_id) {
            Some(e) if e.opened_at >= ep.opened_at => {}
            _ => {
                latest.insert(ep.patient_id, ep);
            }
        }
    }
    let mut patients: Vec<PatientFacts> = latest
        .into_values()
        .map(|episode| {
            let (answers, sent) = intakes.get(&episode.id).cloned().unwrap_or_default();
            let regions: Vec<Region> = answers
                .get("regions")
                .cloned()
                .and_then(|r| serde_json::from_value(r).ok())
                .unwrap_or_default();
            let dates = EpisodeDates {
                status: episode.status,
                opened: episode.opened_at.date(),
                intake_sent: sent.map(|t| t.date()),
                discharged: None,
                regions: &regions,
            };
            let done = answered.get(&episode.id).map(Vec::as_slice).unwrap_or_default();
            let due = due_now(&weeks, &dates, today, done);
            let patient_id = episode.patient_id;
            PatientFacts {
                patient_id,
                programme_since: in_force.get(&patient_id).map(|t| zone.local(*t).date()),
                last_active: last_active.get(&patient_id).copied(),
                due,
                paused_by: open
                    .iter()
                    .filter(|a| a.patient_id == patient_id && a.kind.safety().is_some())
                    .map(|a| a.kind)
                    .collect(),
                proposals: proposals.get(&patient_id).copied(),
                unread_since: unread.get(&patient_id).copied(),
                episode,
            }
        })
        .collect();
    patients.sort_by_key(|p| p.patient_id);
    Ok(ClinicFacts { clinic_id, zone, now, today, patients, open })
}

/// One sweep over every clinic at `now`.
pub async fn sweep(state: &AppState, now: OffsetDateTime) -> Result<Swept, ApiError> {
    let mut total = Swept::default();
    for clinic in state.store().clinics().await? {
        let facts = read_clinic(state, clinic.id, now).await?;
        let done = act_on(state, &facts).await?;
        total.raised += done.raised;
        total.closed += done.closed;
    }
    Ok(total)
}

/// Raises and closes what the conditions say for one clinic.
async fn act_on(state: &AppState, c: &ClinicFacts) -> Result<Swept, ApiError> {
    let mut done = Swept::default();
    for cond in CONDITIONS {
        for p in &c.patients {
            let open = c.open.iter().find(|a| a.patient_id == p.patient_id && a.kind == cond.kind);
            match ((cond.check)(c, p), open) {
                (Verdict::Holds(message), None) => {
                    let alert = NewAlert::new(cond.kind, message);
                    done.raised += usize::from(raise(state, c, p.patient_id, alert).await?);
                }
                (Verdict::Clear(why), Some(a)) => {
                    done.closed += usize::from(close(state, c, a, &why).await?);
                }
                _ => {}
            }
        }
        // Patients whose episode has ended (or who have none open) keep no condition alert.
        for a in c.open.iter().filter(|a| a.kind == cond.kind) {
            if !c.patients.iter().any(|p| p.patient_id == a.patient_id)
                && close(state, c, a, "the episode of care has ended.").await?
            {
                done.closed += 1;
            }
        }
    }
    Ok(done)
}

/// The system's audit record of one sweep action.
fn event(c: &ClinicFacts, action: &str, patient: Uuid) -> NewAuditEvent {
    NewAuditEvent {
        at: c.now,
        clinic_id: Some(c.clinic_id),
        actor_id: None,
        actor_role: None,
        action: action.to_owned(),
        resource: "alert".to_owned(),
        patient_id: Some(patient),
        outcome: AuditOutcome::Success,
        request_id: None,
    }
}

/// Raises one condition alert with its audit record. `false` when another server raised the
/// same one meanwhile (at most one of a kind is open per patient).
async fn raise(
    state: &AppState,
    c: &ClinicFacts,
    patient: Uuid,
    alert: NewAlert,
) -> Result<bool, ApiError> {
    let mut tx = state.store().begin().await?;
    match tx.add_alerts(c.clinic_id, patient, &[alert], c.zone.tz(), c.now).await {
        Ok(_) => {}
        Err(StoreError::Conflict(_)) => {
            tx.rollback().await?;
            return Ok(false);
        }
        Err(e) => return Err(e.into()),
    }
    tx.append_audit(&event(c, "raise", patient)).await?;
    tx.commit().await?;
    state.metrics().audit_records.inc();
    Ok(true)
}

/// Closes one condition alert with Physio's note and its audit record. `false` when it was
/// closed meanwhile.
async fn close(
    state: &AppState,
    c: &ClinicFacts,
    alert: &Alert,
    why: &str,
) -> Result<bool, ApiError> {
    let note = format!("{CLOSED_BY_PHYSIO}{why}");
    let mut tx = state.store().begin().await?;
    match tx.close_alert(c.clinic_id, alert.id, None, &note, c.now).await {
        Ok(()) => {}
        Err(StoreError::NotFound(_)) => {
            tx.rollback().await?;
            return Ok(false);
        }
        Err(e) => return Err(e.into()),
    }
    tx.append_audit(&event(c, "close", alert.patient_id)).await?;
    tx.commit().await?;
    state.metrics().audit_records.inc();
    Ok(true)
}

/// The sweep running in the background of `serve`.
pub struct Oversight {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Oversight {
    /// Lets the sweep in progress finish, then ends the task.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Starts the sweep: the first one interval after start, then every interval, each at the time
/// the server's `Clock` gives. Always on: the conditions need no mail server.
pub fn start(state: AppState) -> Oversight {
    let (stop, mut stopped) = watch::channel(false);
    let every = state.config().oversight_interval;
    let task = tokio::spawn(async move {
        let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = interval.tick() => {}
                _ = stopped.changed() => break,
            }
            match sweep(&state, state.now()).await {
                Ok(s) if s.raised + s.closed > 0 => {
                    tracing::info!(raised = s.raised, closed = s.closed, "oversight: swept");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = ?e, "oversight: a sweep failed; trying again"),
            }
        }
    });
    Oversight { stop, task }
}
