//! The intake: a patient's draft, saved page by page, and sending it, which triages it at once
//! and stores the decision with it. A saved page whose answers already fire an emergency rule
//! (`physio_clinic::triage::emergency_so_far`) alerts the care team in the same transaction.

use physio_clinic::alert::{AlertKind, NewAlert};
use physio_clinic::intake::Surgery;
use physio_clinic::{
    safety::SafetyAlert,
    triage::{AnswersSoFar, Reason, emergency_raised, emergency_so_far},
};
use physio_store::{Episode, EpisodeStatus, Role, TriageRecord, User};
use serde_json::{Map, Value};

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

/// A patient's intake as it stands.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// The patient's open episode, if they have one.
    pub episode: Option<Episode>,
    pub answers: Map<String, Value>,
    /// The page the patient reached, so they can resume there (`None` before the first save).
    pub step: Option<String>,
}

impl Draft {
    /// Whether the intake has been sent (the episode has moved on).
    pub fn sent(&self) -> bool {
        self.episode.as_ref().is_some_and(|e| e.status != EpisodeStatus::Intake)
    }

    /// The emergency rules the answers so far already fire (empty when none does).
    pub fn emergency(&self) -> Vec<Reason> {
        emergency_so_far(&AnswersSoFar::from_draft(&Value::Object(self.answers.clone())))
    }
}

/// What saving a page did.
#[derive(Debug, Clone, Default)]
pub struct Saved {
    /// The emergency rules this page newly fired. When not empty the care team has been
    /// alerted, in the same transaction as the save, and the patient must be told what to do
    /// now before anything else.
    pub emergency_raised: Vec<Reason>,
}

/// The patient's own intake draft, read on their behalf.
pub async fn draft(state: &AppState, p: &Principal) -> Result<Draft, ApiError> {
    let mut act = Act::new(state, p, "read", "intake");
    let r = async {
        act.about(p.user.id);
        act.require_role(Role::Patient, "only patients fill in an intake")?;
        let store = act.store();
        let Some(ep) = store.open_episode_of(p.user.clinic_id, p.user.id).await? else {
            return Ok(Draft::default());
        };
        let (answers, step) = match store.intake(ep.clinic_id, ep.id).await? {
            Some(i) => (i.answers.as_object().cloned().unwrap_or_default(), Some(i.step)),
            None => (Map::new(), None),
        };
        Ok(Draft { episode: Some(ep), answers, step })
    }
    .await;
    act.finish(r).await
}

/// The patient's open episode, opened in this action's transaction if they have none.
async fn open_episode(act: &mut Act<'_>) -> Result<Episode, ApiError> {
    let (clinic, patient, now) = (act.p.user.clinic_id, act.p.user.id, act.now());
    if let Some(e) = act.store().open_episode_of(clinic, patient).await? {
        return Ok(e);
    }
    Ok(act.tx().await?.open_episode(clinic, patient, now).await?)
}

/// Saves the draft as it stands and the page to resume at. Refused once the intake is sent.
///
/// When the answers fire an emergency rule that the answers saved before did not, one
/// `intake_emergency` alert for the care team is written in the same transaction: the alert
/// exists exactly when the save does, and a later page (which fires nothing new) writes none.
pub async fn save(
    state: &AppState,
    p: &Principal,
    answers: Map<String, Value>,
    resume_at: &str,
) -> Result<Saved, ApiError> {
    let mut act = Act::new(state, p, "update", "intake");
    let r = async {
        act.about(p.user.id);
        act.require_role(Role::Patient, "only patients fill in an intake")?;
        let ep = open_episode(&mut act).await?;
        if ep.status != EpisodeStatus::Intake {
            return Err(ApiError::Conflict("your intake was already sent".into()));
        }
        let before = match act.store().intake(ep.clinic_id, ep.id).await? {
            Some(i) => AnswersSoFar::from_draft(&i.answers),
            None => AnswersSoFar::default(),
        };
        let answers = Value::Object(answers);
        let raised = emergency_raised(&before, &AnswersSoFar::from_draft(&answers));
        let now = act.now();
        let zone = crate::care::clinic::zone(state, ep.clinic_id).await?;
        let tx = act.tx().await?;
        tx.save_intake(ep.clinic_id, ep.id, &answers, resume_at, now).await?;
        if !raised.is_empty() {
            let alert = NewAlert::new(
                AlertKind::IntakeEmergency,
                SafetyAlert::intake_emergency_message(&raised),
            );
            tx.add_alerts(ep.clinic_id, p.user.id, &[alert], zone.tz(), now).await?;
        }
        Ok(Saved { emergency_raised: raised })
    }
    .await;
    act.finish(r).await
}

/// The account's date of birth, when the clinic recorded one, is the one triage uses: a
/// document cannot claim another age.
fn with_account_age(mut doc: Value, user: &User) -> Value {
    if let (Some(o), Some(dob)) = (doc.as_object_mut(), user.date_of_birth) {
        o.remove("age");
        o.insert("date_of_birth".into(), Value::from(dob.to_string()));
    }
    doc
}

/// Sends an intake document (the API) and triages it.
pub async fn submit(
    state: &AppState,
    p: &Principal,
    document: Value,
) -> Result<TriageRecord, ApiError> {
    let mut act = Act::new(state, p, "submit", "intake");
    let r = async {
        act.about(p.user.id);
        act.require_role(Role::Patient, "only patients send an intake")?;
        let ep = open_episode(&mut act).await?;
        submit_in(&mut act, ep, document).await
    }
    .await;
    act.finish(r).await
}

/// Sends the saved draft (the pages) and triages it.
pub async fn submit_draft(state: &AppState, p: &Principal) -> Result<TriageRecord, ApiError> {
    let mut act = Act::new(state, p, "submit", "intake");
    let r = async {
        act.about(p.user.id);
        act.require_role(Role::Patient, "only patients send an intake")?;
        let ep = open_episode(&mut act).await?;
        let answers = match act.store().intake(ep.clinic_id, ep.id).await? {
            Some(i) => i.answers,
            None => Value::Object(Map::new()),
        };
        submit_in(&mut act, ep, answers).await
    }
    .await;
    act.finish(r).await
}

async fn submit_in(
    act: &mut Act<'_>,
    ep: Episode,
    document: Value,
) -> Result<TriageRecord, ApiError> {
    let document = with_account_age(document, &act.p.user);
    let now = act.now();
    let checked = physio_clinic::intake::parse(&document.to_string(), now.date())
        .map_err(|e| ApiError::invalid("intake", e.to_string()))?;
    if ep.status != EpisodeStatus::Intake {
        return Err(ApiError::Conflict(
            "your intake was already sent; use the weekly check-in".into(),
        ));
    }
    let decision = crate::care::triage::decide(&checked);
    let triage = crate::care::triage::new_triage(ep.clinic_id, ep.id, "intake", &decision, false)?;
    let tx = act.tx().await?;
    let record = tx.submit_intake(&document, &triage, now).await?;
    // Straight onto a pathway: it starts with the surgery facts the intake gave, so a
    // post-operative pathway knows its week from the first day.
    if let Some(pathway) = &triage.proposed_pathway
        && !triage.needs_review
    {
        let (date, limit) = surgery_facts(checked.intake());
        tx.set_pathway(ep.clinic_id, ep.id, pathway, date, limit).await?;
    }
    Ok(record)
}

/// The surgery date and the surgeon's lifting limit an intake gives, which a post-operative
/// pathway needs to know its week and its limits.
pub fn surgery_facts(intake: &physio_clinic::intake::Intake) -> (Option<time::Date>, Option<f64>) {
    let date = match intake.surgery {
        Surgery::Scheduled { date, .. } | Surgery::Done { date, .. } => Some(date),
        Surgery::None {} | Surgery::Recommended { .. } => None,
    };
    (date, intake.lifting_limit_kg)
}
