//! The reminder scheduler: a background task of `serve` that, on every tick of its interval,
//! reads the time from the server's `Clock` (tests move a `ManualClock`), plans the next
//! reminder of every plan that is on, claims the reminders that are due and sends each.
//!
//! Several servers may run over one database: each reminder is a row claimed by one of them
//! before it is sent (`physio_store::Tx::claim_reminders`), so it goes out once. A server that
//! dies mid-send leaves its claim to lapse after [`LEASE`]; another then takes the reminder over
//! (and may send it a second time: a crash between the mail server's acceptance and the record
//! of it cannot be told apart from a crash before). Each outcome is recorded in the audit chain
//! as the system's action, in the transaction that records it on the job. Logs name no patient
//! and no address.

use physio_clinic::reminder::{self, Delivery};
use physio_store::{AuditOutcome, ClaimedReminder, Finish, NewAuditEvent};
use time::{Duration, OffsetDateTime};
use tokio::sync::watch;
use uuid::Uuid;

use crate::{error::ApiError, reminders::Mailer, state::AppState};

/// How long a claim holds: longer than a send can take (lettre gives up after a minute).
pub const LEASE: Duration = Duration::minutes(5);
/// Attempts before a reminder is given up as failed.
pub const MAX_ATTEMPTS: i32 = 5;
/// Reminders claimed per round; the rest wait for the next round.
const BATCH: i64 = 20;

/// The running scheduler.
pub struct Scheduler {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Scheduler {
    /// Lets the round in progress finish, then ends the task.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Starts the scheduler when a mail server is configured; without one there is nothing to
/// send, and reminders only show on the patient's Today page.
pub fn start(state: AppState) -> Option<Scheduler> {
    let smtp = state.config().smtp.clone()?;
    let Some(public_url) = state.config().public_url.clone() else {
        tracing::error!(
            "reminders: an SMTP server is set but no public URL for the link; not sending"
        );
        return None;
    };
    let mailer = match Mailer::new(&smtp, &public_url) {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "reminders: not sending");
            return None;
        }
    };
    let (stop, mut stopped) = watch::channel(false);
    let worker = Uuid::now_v7().to_string();
    let task = tokio::spawn(async move {
        let mut interval = tokio::time::interval(state.config().reminder_interval);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = interval.tick() => {}
                _ = stopped.changed() => break,
            }
            if let Err(e) = tick(&state, &mailer, &worker).await {
                tracing::warn!(error = ?e, "reminders: a round failed; trying again next round");
            }
            state.metrics().reminder_ticks.inc();
        }
    });
    tracing::info!("reminders: sending by e-mail");
    Some(Scheduler { stop, task })
}

/// One round: plan, claim, send.
async fn tick(state: &AppState, mailer: &Mailer, worker: &str) -> Result<(), ApiError> {
    let now = state.now();
    plan_next(state, now).await?;
    let claimed = {
        let mut tx = state.store().begin().await?;
        let claimed = tx.claim_reminders(worker, now, LEASE, BATCH).await?;
        tx.commit().await?;
        claimed
    };
    for job in claimed {
        deliver(state, mailer, worker, &job, now).await?;
    }
    Ok(())
}

/// Plans the next reminder of every plan that is on and has none waiting. Two servers
/// planning the same one at once is harmless: the second insert changes nothing.
async fn plan_next(state: &AppState, now: OffsetDateTime) -> Result<(), ApiError> {
    let plans = state.store().reminder_plans_to_schedule().await?;
    if plans.is_empty() {
        return Ok(());
    }
    let mut next = Vec::with_capacity(plans.len());
    for p in plans {
        let zone = crate::care::clinic::zone(state, p.plan.clinic_id).await?;
        let from = reminder::count_from(p.last_due, p.plan.updated_at, now);
        if let Some(due) = p.plan.plan.next_due(zone.tz(), from) {
            next.push((p.plan.clinic_id, p.plan.patient_id, due));
        }
    }
    let mut tx = state.store().begin().await?;
    for (clinic, patient, due) in next {
        tx.plan_reminder(clinic, patient, due).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Sends one claimed reminder, or skips it, and records the outcome.
async fn deliver(
    state: &AppState,
    mailer: &Mailer,
    worker: &str,
    job: &ClaimedReminder,
    now: OffsetDateTime,
) -> Result<(), ApiError> {
    let store = state.store();
    let how = match reminder::delivery(job.due_at, now) {
        // Claimed only once due; should the clocks of two servers differ, wait for it.
        Delivery::Wait => Finish::Retry { error: "claimed before it was due", at: job.due_at },
        Delivery::Skip => Finish::Skipped,
        Delivery::Send => {
            let patient = store.user(job.patient_id).await?;
            let plan = store.reminder_plan(job.clinic_id, job.patient_id).await?;
            if !patient.active || !plan.is_some_and(|p| p.plan.enabled) {
                // Deactivated, or turned off while this one was being claimed.
                Finish::Skipped
            } else {
                let clinic = store.clinic(job.clinic_id).await?;
                let email = crate::reminders::mail::reminder(&clinic.name, &mailer.link("/home"));
                match mailer.send(&patient.email, &email, now).await {
                    Ok(()) => Finish::Sent,
                    Err(e) => {
                        let error = e.to_string();
                        tracing::warn!(error = %error, attempt = job.attempts, "reminders: not sent");
                        let permanent = matches!(
                            e,
                            crate::reminders::mail::SendError::Address
                                | crate::reminders::mail::SendError::Permanent(_)
                        );
                        return finish(
                            state,
                            worker,
                            job,
                            failed(job, &error, permanent, now),
                            now,
                        )
                        .await;
                    }
                }
            }
        }
    };
    finish(state, worker, job, how, now).await
}

/// A failed attempt: tried again after 1, 2, 4, 8 minutes, then given up (at once when the
/// mail server refuses for good).
fn failed<'a>(
    job: &ClaimedReminder,
    error: &'a str,
    permanent: bool,
    now: OffsetDateTime,
) -> Finish<'a> {
    if permanent || job.attempts >= MAX_ATTEMPTS {
        Finish::Failed(error)
    } else {
        let wait = Duration::minutes(1 << (job.attempts - 1).clamp(0, 4));
        Finish::Retry { error, at: now + wait }
    }
}

/// Records how the job ended, with its audit record, in one transaction. A claim that lapsed
/// meanwhile (another server took the job over) records nothing.
async fn finish(
    state: &AppState,
    worker: &str,
    job: &ClaimedReminder,
    how: Finish<'_>,
    now: OffsetDateTime,
) -> Result<(), ApiError> {
    let (action, outcome, label) = match how {
        Finish::Sent => ("send", Some(AuditOutcome::Success), "sent"),
        Finish::Skipped => ("skip", Some(AuditOutcome::Success), "skipped"),
        Finish::Failed(_) => ("send", Some(AuditOutcome::Failed), "failed"),
        Finish::Retry { .. } => ("send", None, "retry"),
    };
    let mut tx = state.store().begin().await?;
    if !tx.finish_reminder(job, worker, how, now).await? {
        tx.rollback().await?;
        return Ok(());
    }
    if let Some(outcome) = outcome {
        let event = NewAuditEvent {
            at: now,
            clinic_id: Some(job.clinic_id),
            actor_id: None,
            actor_role: None,
            action: action.to_owned(),
            resource: "reminder".to_owned(),
            patient_id: Some(job.patient_id),
            outcome,
            request_id: None,
        };
        tx.append_audit(&event).await?;
    }
    tx.commit().await?;
    state.metrics().reminders.with_label_values(&[label]).inc();
    Ok(())
}
