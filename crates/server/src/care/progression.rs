//! The progression engine at work: after each guided session (and after the next morning's
//! answer) the rules of `physio_clinic::progression` decide, for each exercise, whether to
//! progress, hold or regress; changes wait for the patient's clinician, who accepts, edits or
//! rejects them, unless the clinician allowed them to apply automatically within limits.
//! Holds are recorded too, so the clinician can read why nothing changed.

use std::collections::HashMap;

use physio_clinic::exercise::{Dose, Exercise};
use physio_clinic::programme::Item;
use physio_clinic::progression::{
    self, Adherence, Cap, Inputs, Morning, Observation, Proposal, Rule, Status, Tracked,
};
use physio_store::{
    DaySession, Db, LoggedExercise, NewDecision, ProgrammeVersion, ProgressionDecision,
    ProgressionSettings, Role, User, Verdict,
};
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::care::library::{self, ClinicLibrary};
use crate::care::programme::{self as prog, MAX_REASON_CHARS};
use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

/// How far back the rules look for the session before and for earlier breaches.
const LOOK_BACK_DAYS: i64 = 30;
/// At most one automatic step up per exercise in this many days (programmes.md §3).
pub const AUTO_STEP_DAYS: i64 = 7;
/// How long the patient's Today shows a change.
pub const SHOWN_DAYS: i64 = 7;

const CLINICIANS_ONLY: &str = "only a clinician on the patient's care team decides proposals";

/// What the rules need about the patient, read once per evaluation.
struct Context {
    clinic: Uuid,
    zone: crate::zone::Zone,
    today: Date,
    now: OffsetDateTime,
    /// Sessions of the last [`LOOK_BACK_DAYS`], newest first.
    sessions: Vec<DaySession>,
    /// Oldest first.
    versions: Vec<ProgrammeVersion>,
    lib: ClinicLibrary,
    phase: Option<physio_clinic::pathway::PhaseStatus>,
    settings: Option<ProgressionSettings>,
    paused: bool,
    adherence: Adherence,
}

impl Context {
    /// Reads through `store`, the action's transaction, so that what the action has written
    /// (the session just ended, the morning just answered) is seen.
    async fn read(
        state: &AppState,
        store: &Db,
        patient: &User,
        now: OffsetDateTime,
    ) -> Result<Context, ApiError> {
        let (clinic, id) = (patient.clinic_id, patient.id);
        let today = prog::today(state, clinic).await?;
        let zone = crate::care::clinic::zone(state, clinic).await?;
        let sessions =
            store.day_sessions(clinic, id, Some(today - Duration::days(LOOK_BACK_DAYS))).await?;
        // Oldest first: the current version last, as the ladder reads history.
        let mut versions = store.programme_versions(clinic, id).await?;
        versions.sort_by_key(|v| v.version);
        // Sessions done and planned over the last 7 days, today included.
        let from = today - Duration::days(6);
        let planned: u32 = (0..7)
            .map(|d| from + Duration::days(d))
            .map(|d| crate::care::day::planned_on(&versions, &zone, d))
            .sum();
        let done = sessions.iter().filter(|s| s.day >= from && s.counts()).count();
        Ok(Context {
            clinic,
            zone: zone.clone(),
            today,
            now,
            phase: prog::phase_of(store, patient, today).await?,
            lib: library::load(store, clinic).await?,
            settings: store.progression_settings(clinic, id).await?,
            paused: crate::care::safety::pause(store, patient).await?.is_some(),
            adherence: Adherence { done: u32::try_from(done).unwrap_or(u32::MAX), planned },
            sessions,
            versions,
        })
    }

    fn cap(&self) -> Cap {
        self.settings.as_ref().map_or_else(Cap::default, |s| s.cap)
    }

    fn allowed(&self, e: &Exercise) -> bool {
        physio_clinic::programme::gate::conflicts(e, prog::precautions(self.phase.as_ref()))
            .is_empty()
    }

    /// The pain the morning after `day`, against the usual level of the session it followed.
    fn morning(&self, day: Date) -> Option<Morning> {
        self.sessions.iter().filter(|s| s.day == day).find_map(|s| {
            let pain = u8::try_from(s.next_morning_pain?).ok()?;
            let usual = u8::try_from(s.usual_pain.unwrap_or(s.pain_before)).ok()?;
            Some(Morning { pain, usual })
        })
    }

    /// The current programme's items.
    fn current(&self) -> &[Item] {
        self.versions.last().map_or(&[], |v| v.items.as_slice())
    }

    /// The dose `exercise` was first prescribed at in the run of versions that has held it
    /// without a break, and the easier exercise it replaced (as last prescribed), if any.
    fn entry_and_before(&self, exercise: &str) -> (Option<Dose>, Option<(Item, Exercise)>) {
        let ids: Vec<Vec<String>> = self
            .versions
            .iter()
            .map(|v| v.items.iter().map(|i| i.exercise.clone()).collect())
            .collect();
        let since =
            ids.iter().rposition(|v| !v.contains(&exercise.to_owned())).map_or(0, |k| k + 1);
        let entry = self
            .versions
            .get(since)
            .and_then(|v| v.items.iter().find(|i| i.exercise == exercise).map(|i| i.dose.clone()));
        let find = |id: &str| self.lib.find(id);
        let before = physio_clinic::progress::ladder::moves(&ids, &find)
            .into_iter()
            .find(|m| m.to == exercise)
            .and_then(|m| {
                let item = self.versions[..m.since]
                    .iter()
                    .rev()
                    .find_map(|v| v.items.iter().find(|i| i.exercise == m.from))?;
                Some((item.clone(), self.lib.find(&m.from)?.clone()))
            });
        (entry, before)
    }
}

fn session_clinic(ctx: &Context) -> Uuid {
    ctx.clinic
}

/// Reads what one session showed about one exercise.
async fn observe(
    db: &Db,
    ctx: &Context,
    session: &DaySession,
    logged: &LoggedExercise,
    item: &Item,
) -> Result<Observation, ApiError> {
    let mut tracked = None;
    if let Some(id) = logged.camera_session {
        let cam = db.exercise_session(session_clinic(ctx), id).await?;
        if cam.rep_count > 0 {
            // The summary the motion engine wrote when the set ended: its mean range.
            #[derive(Deserialize)]
            struct Rom {
                mean_rom_deg: f32,
            }
            let rom = cam.summary.and_then(|s| serde_json::from_value::<Rom>(s).ok());
            let range = match (rom, item.range) {
                (Some(r), Some(t)) if t.target_deg > 0.0 => Some(r.mean_rom_deg / t.target_deg),
                _ => None,
            };
            tracked =
                Some(Tracked { correct: cam.correct_count as f32 / cam.rep_count as f32, range });
        }
    }
    Ok(Observation {
        day: session.day,
        pain_during: logged.log.pain_during,
        effort: logged.log.effort,
        done: progression::observe::done_share(&item.dose, &logged.log),
        tracked,
        morning: ctx.morning(session.day),
    })
}

/// The session before `session` in which `item` was recorded at the same prescription.
async fn previous(
    db: &Db,
    ctx: &Context,
    session: &DaySession,
    item: &Item,
) -> Result<Option<Observation>, ApiError> {
    let earlier = ctx.sessions.iter().filter(|s| (s.day, s.number) < (session.day, session.number));
    for s in earlier {
        let Some(logged) = s.exercises.iter().find(|e| e.exercise == item.exercise) else {
            continue;
        };
        // The run must be at this prescription: after a change, it starts again.
        let same = s.due.iter().any(|i| i.exercise == item.exercise && i.dose == item.dose);
        return if same { Ok(Some(observe(db, ctx, s, logged, item).await?)) } else { Ok(None) };
    }
    Ok(None)
}

/// One decision about to be recorded.
struct Draft {
    session_id: Uuid,
    exercise: String,
    inputs: Inputs,
    decision: progression::Decision,
    before: Item,
    moved: Option<progression::Moved>,
    status: Status,
}

/// The rules applied to `logged` (recorded in `session` as `item` was prescribed), with the
/// step a change would take on the programme's current prescription of the exercise.
async fn draft(
    db: &Db,
    ctx: &Context,
    session: &DaySession,
    logged: &LoggedExercise,
    item: &Item,
) -> Result<Option<Draft>, ApiError> {
    // The exercise may have left the programme since: nothing to propose then.
    let Some(current) = ctx.current().iter().find(|i| i.exercise == item.exercise) else {
        return Ok(None);
    };
    let latest = observe(db, ctx, session, logged, item).await?;
    let inputs = Inputs {
        safety: ctx.paused || session.stopped.is_some(),
        previous: previous(db, ctx, session, item).await?,
        latest,
        adherence: ctx.adherence,
    };
    let mut decision = progression::decide(&inputs);
    let find = |id: &str| ctx.lib.find(id);
    let allowed = |e: &Exercise| ctx.allowed(e);
    let moved = match decision.proposal {
        Proposal::Hold => None,
        Proposal::Progress => {
            let m = progression::up(current, &ctx.cap(), &find, &allowed, ctx.today);
            if m.is_none() {
                decision.because.push_str(
                    " There is no step up left within the patient's dose cap and precautions.",
                );
            }
            m
        }
        Proposal::Regress => {
            let (entry, before) = ctx.entry_and_before(&current.exercise);
            let entry = entry.unwrap_or_else(|| current.dose.clone());
            let m = progression::down(
                current,
                &entry,
                before.as_ref().map(|(i, e)| (i, e)),
                &allowed,
                ctx.today,
            );
            if m.is_none() {
                decision.because.push_str(
                    " It is already at the dose it started at, with nothing easier to go back \
                     to: review it with the patient.",
                );
            }
            m
        }
    };
    let status = if moved.is_some() { Status::Waiting } else { Status::Noted };
    Ok(Some(Draft {
        session_id: session.id,
        exercise: item.exercise.clone(),
        inputs,
        decision,
        before: current.clone(),
        moved,
        status,
    }))
}

/// Whether `d` may apply itself: the clinician allowed it, and it is a step down (always) or
/// the exercise's first step up in [`AUTO_STEP_DAYS`].
async fn may_apply(db: &Db, ctx: &Context, patient: &User, d: &Draft) -> Result<bool, ApiError> {
    if !ctx.settings.as_ref().is_some_and(|s| s.auto_apply) || d.moved.is_none() {
        return Ok(false);
    }
    if d.decision.proposal == Proposal::Regress {
        return Ok(true);
    }
    let since = ctx.now - Duration::days(AUTO_STEP_DAYS);
    let recent = db
        .progression_decisions(patient.clinic_id, Some(patient.id), &[Status::Applied], Some(since))
        .await?;
    Ok(!recent.iter().any(|r| r.exercise == d.exercise && r.proposal == Proposal::Progress))
}

/// An exercise's name, or its id once it has left the library.
fn name_of(lib: &ClinicLibrary, id: &str) -> String {
    lib.find(id).map_or_else(|| id.to_owned(), |e| e.name.clone())
}

/// "Bridge: 2 sets of 10 → 2 sets of 12 (ready to progress)".
fn change_words(lib: &ClinicLibrary, before: &Item, after: &Item, rule: Rule) -> String {
    let name = |id: &str| name_of(lib, id);
    let to = if before.exercise == after.exercise {
        after.dose.amount_text()
    } else {
        format!("{}, {}", name(&after.exercise), after.dose.amount_text())
    };
    format!(
        "{}: {} \u{2192} {} ({})",
        name(&before.exercise),
        before.dose.amount_text(),
        to,
        rule.label().to_lowercase()
    )
}

/// A reason for the programme's history, within its length limit.
fn reason(head: &str, parts: &[String]) -> String {
    let text = format!("{head} {}", parts.join("; "));
    if text.chars().count() <= MAX_REASON_CHARS {
        return text;
    }
    let mut short: String = text.chars().take(MAX_REASON_CHARS - 1).collect();
    short.push('\u{2026}');
    short
}

/// Records the drafts; those that may apply themselves make one new programme version in the
/// name of the clinician who allowed it. A second pain breach within 7 days alerts the care
/// team.
async fn record(
    act: &mut Act<'_>,
    ctx: &Context,
    patient: &User,
    mut drafts: Vec<Draft>,
) -> Result<(), ApiError> {
    let (clinic, now) = (patient.clinic_id, ctx.now);
    let mut apply = Vec::new();
    for (k, d) in drafts.iter().enumerate() {
        if may_apply(act.tx().await?, ctx, patient, d).await? {
            apply.push(k);
        }
    }
    let mut applied_version = None;
    if let (false, Some(settings)) = (apply.is_empty(), ctx.settings.as_ref()) {
        let mut items = ctx.current().to_vec();
        let mut parts = Vec::new();
        for &k in &apply {
            let d = &drafts[k];
            let Some(m) = &d.moved else { continue };
            if let Some(slot) = items.iter_mut().find(|i| i.exercise == d.exercise) {
                parts.push(change_words(&ctx.lib, slot, &m.item, d.decision.rule));
                *slot = m.item.clone();
            }
        }
        let based_on = ctx.versions.last().map_or(0, |v| v.version);
        let why = reason("Applied automatically, as allowed by the clinician:", &parts);
        // A change the programme's checks refuse (a precaution that came in since, say) waits
        // for the clinician instead.
        match prog::write(act, patient, based_on, items, &why, None, settings.set_by).await {
            Ok(saved) => {
                applied_version = Some((settings.set_by, saved.version.version));
                for &k in &apply {
                    drafts[k].status = Status::Applied;
                }
            }
            Err(ApiError::Invalid { .. } | ApiError::Problems(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let breach_before = if drafts.iter().any(|d| d.decision.rule == Rule::PainBreach) {
        let since = now - Duration::days(progression::rule::BREACH_WINDOW_DAYS);
        act.tx()
            .await?
            .progression_decisions(clinic, Some(patient.id), &[], Some(since))
            .await?
            .into_iter()
            .filter(|r| r.rule == Rule::PainBreach)
            .find(|r| drafts.iter().all(|d| d.session_id != r.session_id))
    } else {
        None
    };
    let tx = act.tx().await?;
    for d in &drafts {
        tx.add_progression_decision(
            clinic,
            patient.id,
            NewDecision {
                session_id: d.session_id,
                exercise: &d.exercise,
                rule: d.decision.rule,
                proposal: d.decision.proposal,
                inputs: &d.inputs,
                because: &d.decision.because,
                patient_text: &d.decision.patient,
                show_cue: d.decision.show_cue,
                step: d.moved.as_ref().map(|m| m.step),
                item_before: &d.before,
                item_after: d.moved.as_ref().map(|m| &m.item),
                based_on: ctx.versions.last().map_or(0, |v| v.version),
                status: d.status,
                applied: if d.status == Status::Applied { applied_version } else { None },
                now,
            },
        )
        .await?;
    }
    if let Some(earlier) = breach_before {
        let name = |id: &str| name_of(&ctx.lib, id);
        let now_breach: Vec<String> = drafts
            .iter()
            .filter(|d| d.decision.rule == Rule::PainBreach)
            .map(|d| format!("{}: {}", name(&d.exercise), d.inputs.latest.breach_text()))
            .collect();
        let message = format!(
            "Second pain breach within {} days. {}. Earlier, {} on {}: {}. Review the programme \
             with the patient.",
            progression::rule::BREACH_WINDOW_DAYS,
            now_breach.join("; "),
            name(&earlier.exercise).to_lowercase(),
            {
                let d = earlier.inputs.latest.day;
                format!("{} {} {}", d.day(), d.month(), d.year())
            },
            earlier.inputs.latest.breach_text()
        );
        let alert = physio_clinic::alert::NewAlert::new(
            physio_clinic::alert::AlertKind::PainBreach,
            message,
        );
        tx.add_alerts(clinic, patient.id, &[alert], ctx.zone.tz(), now).await?;
    }
    Ok(())
}

/// After a finished session: a decision for each exercise recorded in it. Runs on the
/// session's own action and transaction.
pub(crate) async fn after_session(
    act: &mut Act<'_>,
    patient: &User,
    session: &DaySession,
) -> Result<(), ApiError> {
    let (state, now) = (act.state, act.now());
    let db: &Db = act.tx().await?;
    let ctx = Context::read(state, db, patient, now).await?;
    let mut drafts = Vec::new();
    for logged in &session.exercises {
        let Some(item) = session.due.iter().find(|i| i.exercise == logged.exercise) else {
            continue;
        };
        if let Some(d) = draft(db, &ctx, session, logged, item).await? {
            drafts.push(d);
        }
    }
    record(act, &ctx, patient, drafts).await
}

/// After the next morning's answer about `day`: when the pain had not settled, a step down
/// for each exercise done that day that has no pain-breach decision yet. Runs on the answer's
/// own action and transaction.
pub(crate) async fn after_morning(
    act: &mut Act<'_>,
    patient: &User,
    day: Date,
) -> Result<(), ApiError> {
    let (state, now) = (act.state, act.now());
    let db: &Db = act.tx().await?;
    let ctx = Context::read(state, db, patient, now).await?;
    if !ctx.morning(day).is_some_and(Morning::breach) {
        return Ok(());
    }
    let decided = db
        .progression_decisions(patient.clinic_id, Some(patient.id), &[], None)
        .await?
        .into_iter()
        .filter(|d| d.rule == Rule::PainBreach && d.inputs.latest.day == day)
        .map(|d| d.exercise)
        .collect::<Vec<_>>();
    let mut drafts: Vec<Draft> = Vec::new();
    // The day's last session of each exercise.
    for s in ctx.sessions.iter().filter(|s| s.day == day && s.counts()) {
        for logged in s.exercises.iter().filter(|e| e.outcome.counts_as_done()) {
            if decided.contains(&logged.exercise)
                || drafts.iter().any(|d| d.exercise == logged.exercise)
            {
                continue;
            }
            let Some(item) = s.due.iter().find(|i| i.exercise == logged.exercise) else { continue };
            if let Some(d) = draft(db, &ctx, s, logged, item).await? {
                drafts.push(d);
            }
        }
    }
    record(act, &ctx, patient, drafts).await
}

/// A decision with the names the screens show.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProposalView {
    #[schema(value_type = Object)]
    pub decision: ProgressionDecision,
    /// The patient's name.
    pub patient_name: String,
    /// The exercise's name.
    pub exercise_name: String,
    /// The dose before, in words.
    pub before: String,
    /// The prescription after, in words (with the new exercise's name when it changes).
    pub after: Option<String>,
}

fn view(lib: &ClinicLibrary, patient: &User, d: ProgressionDecision) -> ProposalView {
    let name = |id: &str| name_of(lib, id);
    let after = d.item_after.as_ref().map(|a| {
        if a.exercise == d.item_before.exercise {
            a.dose.amount_text()
        } else {
            format!("{}, {}", name(&a.exercise), a.dose.amount_text())
        }
    });
    ProposalView {
        patient_name: patient.name.clone(),
        exercise_name: name(&d.exercise),
        before: d.item_before.dose.amount_text(),
        after,
        decision: d,
    }
}

/// The proposals waiting for the caller (a clinician): every patient on their care teams,
/// most recent first.
pub async fn queue(state: &AppState, p: &Principal) -> Result<Vec<ProposalView>, ApiError> {
    let act = Act::new(state, p, "read", "proposal");
    let r = async {
        act.require_role(Role::Clinician, CLINICIANS_ONLY)?;
        let store = act.store();
        let clinic = p.user.clinic_id;
        let filter = physio_store::PatientFilter {
            clinician_id: Some(p.user.id),
            search: None,
            include_inactive: false,
        };
        let patients: HashMap<Uuid, User> =
            store.patients(clinic, &filter).await?.into_iter().map(|u| (u.id, u)).collect();
        let lib = library::load(store, clinic).await?;
        let waiting = store.progression_decisions(clinic, None, &[Status::Waiting], None).await?;
        Ok(waiting
            .into_iter()
            .filter_map(|d| patients.get(&d.patient_id).map(|u| view(&lib, u, d)))
            .collect())
    }
    .await;
    act.finish(r).await
}

/// One proposal, read by a clinician on the patient's care team.
pub async fn one(state: &AppState, p: &Principal, id: Uuid) -> Result<ProposalView, ApiError> {
    let mut act = Act::new(state, p, "read", "proposal");
    let r = async {
        act.require_role(Role::Clinician, CLINICIANS_ONLY)?;
        let d = match act.store().progression_decision(p.user.clinic_id, id).await {
            Ok(d) => d,
            Err(physio_store::StoreError::NotFound(_)) => {
                return Err(ApiError::NotFound("proposal"));
            }
            Err(e) => return Err(e.into()),
        };
        let patient = act.patient(d.patient_id).await?;
        let lib = library::load(act.store(), patient.clinic_id).await?;
        Ok(view(&lib, &patient, d))
    }
    .await;
    act.finish(r).await
}

/// A patient's progression: proposals waiting, the decisions of the last weeks, and the
/// settings, for their care team.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PatientProgression {
    pub waiting: Vec<ProposalView>,
    /// Decisions of the last [`LOOK_BACK_DAYS`] days that are not waiting, newest first.
    pub recent: Vec<ProposalView>,
    /// The settings in force (the defaults until a clinician sets them).
    pub auto_apply: bool,
    #[schema(value_type = Object)]
    pub cap: Cap,
}

/// A patient's progression, read by their care team.
pub async fn of_patient(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<PatientProgression, ApiError> {
    let mut act = Act::new(state, p, "read", "proposal");
    let r = async {
        let patient = act.patient(patient_id).await?;
        if p.role() == Role::Patient {
            return Err(ApiError::Forbidden("proposals are for the care team".into()));
        }
        let store = act.store();
        let lib = library::load(store, patient.clinic_id).await?;
        let since = act.now() - Duration::days(LOOK_BACK_DAYS);
        let all = store
            .progression_decisions(patient.clinic_id, Some(patient.id), &[], Some(since))
            .await?;
        let (waiting, recent): (Vec<_>, Vec<_>) =
            all.into_iter().partition(|d| d.status == Status::Waiting);
        let settings = store.progression_settings(patient.clinic_id, patient.id).await?;
        Ok(PatientProgression {
            waiting: waiting.into_iter().map(|d| view(&lib, &patient, d)).collect(),
            recent: recent.into_iter().map(|d| view(&lib, &patient, d)).collect(),
            auto_apply: settings.as_ref().is_some_and(|s| s.auto_apply),
            cap: settings.map_or_else(Cap::default, |s| s.cap),
        })
    }
    .await;
    act.finish(r).await
}

/// What the clinician does with proposals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Accept as proposed (one or several of one patient's proposals: one new version).
    Accept,
    /// Accept one proposal with a changed dose.
    Edit,
    /// Turn down (a reason is required).
    Reject,
}

/// A clinician's decision about some of one patient's waiting proposals.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideRequest {
    /// The proposals (all of one patient's; exactly one to edit).
    pub proposals: Vec<Uuid>,
    pub action: Action,
    /// Why: required to reject; optional otherwise.
    #[serde(default)]
    pub reason: Option<String>,
    /// For `edit`: the dose to prescribe instead of the proposed one.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub dose: Option<Dose>,
}

/// Decides waiting proposals of one patient: accepting (or editing) makes one new programme
/// version whose reason names each rule; rejecting records the clinician's reason.
pub async fn decide(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    req: DecideRequest,
) -> Result<Vec<ProposalView>, ApiError> {
    let mut act = Act::new(state, p, "decide", "proposal");
    let r = async {
        let patient = act.patient_as_clinician(patient_id, CLINICIANS_ONLY).await?;
        let clinic = patient.clinic_id;
        if req.proposals.is_empty() {
            return Err(ApiError::invalid("proposals", "choose at least one proposal"));
        }
        let note = req.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        if note.is_some_and(|n| n.chars().count() > MAX_REASON_CHARS) {
            return Err(ApiError::invalid(
                "reason",
                format!("keep the reason to {MAX_REASON_CHARS} characters"),
            ));
        }
        let mut chosen = Vec::new();
        for id in &req.proposals {
            let d = match act.store().progression_decision(clinic, *id).await {
                Ok(d) if d.patient_id == patient.id => d,
                Ok(_) | Err(physio_store::StoreError::NotFound(_)) => {
                    return Err(ApiError::NotFound("proposal"));
                }
                Err(e) => return Err(e.into()),
            };
            if d.status != Status::Waiting {
                return Err(ApiError::Conflict(format!(
                    "the proposal about {} is no longer waiting (it is {})",
                    d.exercise,
                    d.status.label().to_lowercase()
                )));
            }
            chosen.push(d);
        }
        let lib = library::load(act.store(), clinic).await?;
        let (by, now) = (p.user.id, act.now());
        if req.action == Action::Reject {
            let Some(note) = note else {
                return Err(ApiError::invalid("reason", "say why you are rejecting the proposal"));
            };
            let tx = act.tx().await?;
            let mut out = Vec::new();
            for d in chosen {
                let v = Verdict {
                    status: Status::Rejected,
                    by,
                    note: Some(note),
                    item_after: None,
                    version_made: None,
                    now,
                };
                out.push(view(&lib, &patient, tx.decide_progression(clinic, d.id, v).await?));
            }
            return Ok(out);
        }
        let edited = if req.action == Action::Edit {
            let ([d], Some(dose)) = (chosen.as_slice(), req.dose.clone()) else {
                return Err(ApiError::invalid(
                    "dose",
                    "to edit, choose exactly one proposal and give the dose to prescribe",
                ));
            };
            let problems = dose.problems("dose");
            if !problems.is_empty() {
                return Err(ApiError::problems(problems));
            }
            let after = d.item_after.clone().unwrap_or_else(|| d.item_before.clone());
            Some(Item { dose, ..after })
        } else {
            None
        };
        let current = act.store().programme(clinic, patient.id).await?;
        let Some(current) = current else {
            return Err(ApiError::Conflict("the patient has no programme any more".into()));
        };
        let mut items = current.items.clone();
        let mut parts = Vec::new();
        for d in &chosen {
            let Some(slot) = items.iter_mut().find(|i| i.exercise == d.exercise) else {
                return Err(ApiError::Conflict(format!(
                    "{} is no longer in the programme; reject the proposal instead",
                    d.exercise
                )));
            };
            if *slot != d.item_before {
                return Err(ApiError::Conflict(format!(
                    "the prescription of {} changed after the proposal was made; reject it and \
                     change the programme yourself",
                    d.exercise
                )));
            }
            let after = edited.clone().or_else(|| d.item_after.clone()).ok_or_else(|| {
                ApiError::invalid("proposals", "this proposal has no change to accept")
            })?;
            parts.push(change_words(&lib, slot, &after, d.rule));
            *slot = after;
        }
        let head =
            if edited.is_some() { "Proposal accepted with changes:" } else { "Proposal accepted:" };
        let why = match note {
            Some(n) => reason(head, &[parts.join("; "), n.to_owned()]),
            None => reason(head, &parts),
        };
        let saved = prog::write(&mut act, &patient, current.version, items, &why, None, by).await?;
        let status = if edited.is_some() { Status::Edited } else { Status::Accepted };
        let tx = act.tx().await?;
        let mut out = Vec::new();
        for d in chosen {
            let v = Verdict {
                status,
                by,
                note,
                item_after: edited.as_ref(),
                version_made: Some(saved.version.version),
                now,
            };
            out.push(view(&lib, &patient, tx.decide_progression(clinic, d.id, v).await?));
        }
        Ok(out)
    }
    .await;
    act.finish(r).await
}

/// A patient's progression settings as a clinician sets them.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsRequest {
    /// Let proposals apply themselves within limits.
    pub auto_apply: bool,
    /// The most any exercise may be stepped up to (default: 12 repetitions, 3 sets, 30 s, 30 min).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub cap: Option<Cap>,
}

/// Sets whether a patient's proposals apply automatically, and their dose cap.
pub async fn set_settings(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    req: SettingsRequest,
) -> Result<ProgressionSettings, ApiError> {
    let mut act = Act::new(state, p, "update", "progression_settings");
    let r = async {
        let patient = act.patient_as_clinician(patient_id, CLINICIANS_ONLY).await?;
        let cap = req.cap.unwrap_or_default();
        let problems = cap.problems();
        if !problems.is_empty() {
            return Err(ApiError::problems(problems));
        }
        let (by, now) = (p.user.id, act.now());
        let tx = act.tx().await?;
        Ok(tx
            .put_progression_settings(patient.clinic_id, patient.id, req.auto_apply, &cap, by, now)
            .await?)
    }
    .await;
    act.finish(r).await
}

/// A change to the patient's programme, as Today tells it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangeNote {
    /// The exercise's name (before the change).
    pub exercise_name: String,
    /// What it was, in words.
    pub before: String,
    /// What it is now, in words (with the new exercise's name when it changed).
    pub after: String,
    /// Why, in plain words.
    pub why: String,
    /// Made automatically, as the clinician allowed (otherwise by the clinician).
    pub automatic: bool,
    #[schema(value_type = String)]
    pub at: OffsetDateTime,
}

/// The changes the rules made to a patient's programme in the last [`SHOWN_DAYS`] days, newest
/// first, the latest of each exercise. Reads only; the caller's action (Today) is audited.
pub(crate) async fn recent_changes(
    state: &AppState,
    patient: &User,
) -> Result<Vec<ChangeNote>, ApiError> {
    let store = state.store();
    let since = state.now() - Duration::days(SHOWN_DAYS);
    let lib = library::load(store, patient.clinic_id).await?;
    let decided = store
        .progression_decisions(
            patient.clinic_id,
            Some(patient.id),
            &[Status::Accepted, Status::Edited, Status::Applied],
            None,
        )
        .await?;
    // The newest change of each exercise only: what it is now, and why it last changed.
    let mut seen = std::collections::HashSet::new();
    Ok(decided
        .into_iter()
        .filter(|d| d.decided_at.is_some_and(|t| t >= since))
        .filter(|d| seen.insert(d.exercise.clone()))
        .map(|d| {
            let v = view(&lib, patient, d);
            ChangeNote {
                exercise_name: v.exercise_name,
                before: v.before,
                after: v.after.unwrap_or_default(),
                why: v.decision.patient_text.clone(),
                automatic: v.decision.status == Status::Applied,
                at: v.decision.decided_at.unwrap_or(v.decision.created_at),
            }
        })
        .collect())
}
