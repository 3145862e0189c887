//! The clinician's caseload: for every patient on their care teams, the facts that say who
//! needs help (open alerts, a triage decision waiting for review, this week's sessions against
//! the plan, the last pain and its trend, days since the last session, pathway and phase), in
//! the order and with the filters asked for; and the same facts for one patient, for the top
//! of their page. The rules are `physio_clinic::caseload` (docs/caseload.md).
//!
//! The caseload is read with a fixed number of queries whatever its size (the store's
//! `caseload_*` reads cover every patient at once). Only clinicians read it: an admin's role
//! is accounts and access, not clinical judgement, so the clinical facts are not theirs to see
//! (the admin page lists the clinic's patients and their care teams).

use std::collections::HashMap;

use physio_clinic::caseload::{
    self, AlertKind, Dir, Entry, Facts, Filter, Inputs, Order, PainReading, SortKey,
};
use physio_clinic::day::plan;
use physio_clinic::pathway::{Pathway, Phase};
use physio_clinic::triage::Tier;
use physio_store::{CareTeamMember, CaseloadScope, PatientFilter, Role, User};
use serde::Serialize;
use time::{Date, Duration};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

const CLINICIANS_ONLY: &str =
    "the caseload is for clinicians; an admin sees the clinic's patients on the admin page";

/// What the caseload is asked for, as given (`?sort=adherence&dir=desc&attention=true…`).
#[derive(Debug, Clone, Default)]
pub struct CaseloadQuery {
    /// Search in name, e-mail and summary.
    pub q: Option<String>,
    /// A column (`SortKey`'s names); empty means who needs help first.
    pub sort: Option<String>,
    /// `asc` or `desc`; empty means `asc`.
    pub dir: Option<String>,
    /// Only patients who need attention.
    pub attention: bool,
    /// Only this pathway (its wire name).
    pub pathway: Option<String>,
    /// Only this phase (its wire name).
    pub phase: Option<String>,
    /// Only patients with this clinician (their user id) on their care team.
    pub clinician: Option<String>,
}

/// A clinician on a care team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TeamMember {
    pub clinician_id: Uuid,
    pub name: String,
}

/// One patient of the caseload.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseloadRow {
    pub id: Uuid,
    pub name: String,
    /// The care team, by name.
    pub care_team: Vec<TeamMember>,
    /// What the caseload shows and sorts by (docs/caseload.md): `open_alerts`, `worst_alert`,
    /// `review` (the tier waiting for review), `week` (`done` and `planned` this week),
    /// `last_pain` (`day`, `pain`, `source`), `trend` (`change`, `direction`),
    /// `last_session`, `days_since_session`, `quiet_days`, `pathway`, `phase`, `attention`
    /// (each reason) and `urgency`.
    #[schema(value_type = Object)]
    pub facts: Facts,
}

impl Entry for CaseloadRow {
    type Clinician = Uuid;
    fn name(&self) -> &str {
        &self.name
    }
    fn facts(&self) -> &Facts {
        &self.facts
    }
    fn first_clinician(&self) -> Option<&str> {
        self.care_team.first().map(|m| m.name.as_str())
    }
    fn has_clinician(&self, c: &Uuid) -> bool {
        self.care_team.iter().any(|m| m.clinician_id == *c)
    }
}

/// A caseload, ordered and filtered.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Caseload {
    /// Today, where the clinic is: what "this week" and "days since" count from.
    #[schema(value_type = String, format = Date)]
    pub today: Date,
    /// The column it is sorted by.
    #[schema(value_type = String, example = "attention")]
    pub sort: SortKey,
    /// `asc` or `desc`.
    #[schema(value_type = String, example = "asc")]
    pub dir: Dir,
    /// Patients on the caseload (matching `q`), before the other filters.
    pub total: usize,
    /// The patients shown, in order.
    pub patients: Vec<CaseloadRow>,
    /// Every clinician on these patients' care teams, by name: the clinician filter's choices.
    pub clinicians: Vec<TeamMember>,
}

/// The order and filters of a query; a value that means nothing is refused with the field
/// named and the values it takes.
fn checked(q: &CaseloadQuery) -> Result<(Order, Filter<Uuid>), ApiError> {
    fn given(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    let key = match given(&q.sort) {
        None => SortKey::Attention,
        Some(s) => s.parse().map_err(|e: physio_clinic::wire::UnknownName| {
            ApiError::invalid("sort", format!("sort by one of: {}", e.expected.join(", ")))
        })?,
    };
    let dir = match given(&q.dir) {
        None => Dir::Asc,
        Some(s) => s.parse().map_err(|_| ApiError::invalid("dir", "give asc or desc"))?,
    };
    let pathway = given(&q.pathway)
        .map(|s| {
            s.parse::<Pathway>().map_err(|e| {
                ApiError::invalid("pathway", format!("choose one of: {}", e.expected.join(", ")))
            })
        })
        .transpose()?;
    let phase = given(&q.phase)
        .map(|s| {
            s.parse::<Phase>().map_err(|e| {
                ApiError::invalid("phase", format!("choose one of: {}", e.expected.join(", ")))
            })
        })
        .transpose()?;
    let clinician = given(&q.clinician)
        .map(|s| {
            s.parse::<Uuid>().map_err(|_| {
                ApiError::invalid("clinician", "give the id of a clinician on the care teams")
            })
        })
        .transpose()?;
    let filter = Filter { attention: q.attention, pathway, phase, clinician };
    Ok((Order { key, dir }, filter))
}

/// The caller's caseload: every active patient on their care teams (matching `q`), each with
/// their facts, filtered and sorted as asked. One audited read; clinicians only.
pub async fn caseload(
    state: &AppState,
    p: &Principal,
    query: &CaseloadQuery,
) -> Result<Caseload, ApiError> {
    let act = Act::new(state, p, "list", "caseload");
    let r = async {
        act.require_role(Role::Clinician, CLINICIANS_ONLY)?;
        let (order, filter) = checked(query)?;
        let store = act.store();
        let clinic = p.user.clinic_id;
        let search = PatientFilter {
            clinician_id: Some(p.user.id),
            search: query.q.clone(),
            include_inactive: false,
        };
        let patients = store.patients(clinic, &search).await?;
        let teams = store.caseload_care_teams(clinic, Some(p.user.id)).await?;
        let (mut rows, today) =
            rows(state, clinic, CaseloadScope::CareTeam(p.user.id), patients, &teams).await?;
        let total = rows.len();
        let mut clinicians: Vec<TeamMember> = vec![];
        for m in rows.iter().flat_map(|r| &r.care_team) {
            if !clinicians.iter().any(|c| c.clinician_id == m.clinician_id) {
                clinicians.push(m.clone());
            }
        }
        clinicians.sort_by(|a, b| a.name.cmp(&b.name).then(a.clinician_id.cmp(&b.clinician_id)));
        rows.retain(|r| filter.matches(r));
        caseload::sort(&mut rows, order);
        Ok(Caseload { today, sort: order.key, dir: order.dir, total, patients: rows, clinicians })
    }
    .await;
    act.finish(r).await
}

/// One patient's caseload facts, for the top of their page: the same reads and rules as the
/// caseload, for this patient alone. Their care team's clinicians only.
pub async fn summary(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<CaseloadRow, ApiError> {
    let mut act = Act::new(state, p, "read", "caseload_summary");
    let r = async {
        let patient = act.patient_as_clinician(patient_id, CLINICIANS_ONLY).await?;
        let clinic = p.user.clinic_id;
        let teams = act.store().care_teams(clinic, Some(patient_id)).await?;
        let rows = rows(state, clinic, CaseloadScope::Patient(patient_id), vec![patient], &teams);
        rows.await?.0.pop().ok_or(ApiError::NotFound("patient"))
    }
    .await;
    act.finish(r).await
}

/// How far back pain readings are read: the trend needs the last reading of the last
/// `TREND_RECENT_DAYS` and the week before it (a day more for the clinic's time zone).
const PAIN_DAYS: i64 = caseload::TREND_RECENT_DAYS + caseload::TREND_WINDOW_DAYS + 1;

/// The facts of `patients` (all within `scope`), read in bulk, and the clinic's today.
async fn rows(
    state: &AppState,
    clinic: Uuid,
    scope: CaseloadScope,
    patients: Vec<User>,
    teams: &[CareTeamMember],
) -> Result<(Vec<CaseloadRow>, Date), ApiError> {
    let store = state.store();
    let zone = crate::care::clinic::zone(state, clinic).await?;
    let now = state.now();
    let today = zone.local(now).date();
    let monday = plan::week_start(today);

    let mut alerts: HashMap<Uuid, Vec<AlertKind>> = HashMap::new();
    for a in store.caseload_alerts(clinic, scope).await? {
        alerts.entry(a.patient_id).or_default().push(a.kind);
    }
    // Newest first: a patient's first decision is the one waiting.
    let mut reviews: HashMap<Uuid, Tier> = HashMap::new();
    for r in store.caseload_reviews(clinic, scope).await? {
        reviews.entry(r.patient_id).or_insert(r.tier);
    }
    let episodes: HashMap<Uuid, physio_store::Episode> = store
        .caseload_episodes(clinic, scope)
        .await?
        .into_iter()
        .map(|e| (e.patient_id, e))
        .collect();
    let mut pain: HashMap<Uuid, Vec<physio_store::PainRecord>> = HashMap::new();
    let recent = store.caseload_pain(clinic, scope, now - Duration::days(PAIN_DAYS)).await?;
    for r in recent.into_iter().chain(store.caseload_last_pain(clinic, scope).await?) {
        let list = pain.entry(r.patient_id).or_default();
        // The last reading of each kind may be among the recent ones too.
        if !list.contains(&r) {
            list.push(r);
        }
    }
    let mut sessions: HashMap<Uuid, Vec<physio_store::DaySession>> = HashMap::new();
    for s in store.caseload_day_sessions(clinic, scope, monday).await? {
        sessions.entry(s.patient_id).or_default().push(s);
    }
    let mut last_done: HashMap<Uuid, Date> = HashMap::new();
    for o in store.caseload_last_outcomes(clinic, scope).await? {
        if o.outcome.counts_as_done() {
            let day = last_done.entry(o.patient_id).or_insert(o.day);
            *day = (*day).max(o.day);
        }
    }
    // Proposals waiting and this week's contacts: one read each for the whole clinic.
    let mut proposals: HashMap<Uuid, u32> = HashMap::new();
    for d in store
        .progression_decisions(clinic, None, &[physio_clinic::progression::Status::Waiting], None)
        .await?
    {
        *proposals.entry(d.patient_id).or_default() += 1;
    }
    let contacts = crate::care::contacts::this_week_by_patient(state, clinic).await?;
    let mut versions: HashMap<Uuid, Vec<physio_store::ProgrammeVersion>> = HashMap::new();
    for v in store.caseload_programmes(clinic, scope).await? {
        versions.entry(v.patient_id).or_default().push(v);
    }

    let mut out = Vec::with_capacity(patients.len());
    for patient in patients {
        let id = patient.id;
        let mut readings: Vec<(time::OffsetDateTime, PainReading)> = pain
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                (r.at, PainReading { day: zone.local(r.at).date(), pain: r.pain, source: r.source })
            })
            .collect();
        readings.sort_by_key(|(at, _)| *at);
        let readings: Vec<PainReading> = readings.into_iter().map(|(_, r)| r).collect();
        let own_versions = versions.remove(&id).unwrap_or_default();
        let week = (!own_versions.is_empty()).then(|| {
            let own_sessions = sessions.remove(&id).unwrap_or_default();
            let weeks = crate::care::day::weeks(&own_versions, &zone, &own_sessions, today, today);
            weeks.into_iter().next().unwrap_or(physio_clinic::day::WeekCount {
                monday,
                done: 0,
                planned: 0,
            })
        });
        let made: Vec<(Date, bool)> = own_versions
            .iter()
            .map(|v| (zone.local(v.created_at).date(), !v.items.is_empty()))
            .collect();
        let (pathway, phase) = pathway_and_phase(episodes.get(&id), today)?;
        let own_alerts = alerts.remove(&id).unwrap_or_default();
        let inputs = Inputs {
            alerts: &own_alerts,
            review: reviews.get(&id).copied(),
            week,
            readings: &readings,
            last_session: last_done.get(&id).copied(),
            programme_since: caseload::programme_since(&made),
            pathway,
            phase,
            proposals: proposals.get(&id).copied().unwrap_or(0),
            contacts_this_week: contacts.get(&id).map_or(0, |w| w.count),
        };
        let care_team = teams
            .iter()
            .filter(|m| m.patient_id == id)
            .map(|m| TeamMember { clinician_id: m.clinician_id, name: m.clinician_name.clone() })
            .collect();
        out.push(CaseloadRow {
            id,
            name: patient.name,
            care_team,
            facts: Facts::new(&inputs, today),
        });
    }
    Ok((out, today))
}

/// The open episode's pathway, and the phase the rules give today (none while it cannot be
/// worked out, such as a post-operative pathway without its surgery date). A stored pathway
/// that no longer reads is an error.
fn pathway_and_phase(
    ep: Option<&physio_store::Episode>,
    today: Date,
) -> Result<(Option<Pathway>, Option<Phase>), ApiError> {
    let Some(ep) = ep else { return Ok((None, None)) };
    let Some(name) = ep.pathway.as_deref() else { return Ok((None, None)) };
    let pathway: Pathway = name
        .parse()
        .map_err(|e| ApiError::Internal(format!("episode {}: stored pathway: {e}", ep.id)))?;
    let phase = match crate::care::pathway::phase_status(ep, today) {
        Some(Ok(s)) => Some(s.phase),
        Some(Err(_)) | None => None,
    };
    Ok((Some(pathway), phase))
}
