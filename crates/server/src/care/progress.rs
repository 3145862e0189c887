//! The patient's progress: their pain and disability scores over the current episode of care,
//! each with the change that counts as real and a sentence in plain words; their guided
//! sessions per week against the plan; and the exercises that have moved up their ladder.
//! The rules are `physio_clinic::progress`; this reads what they need and audits the read.

use physio_clinic::day::{WeekCount, plan};
use physio_clinic::progress::{self, ladder, summary::Summary};
use physio_clinic::questionnaire::{Instrument, InstrumentId};
use physio_store::{Db, ResponseRecord, User};
use serde::Serialize;
use time::{Date, Duration, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState, zone::Zone};

/// Most weeks of sessions the progress page shows (this one included).
pub const WEEKS_SHOWN: i64 = 8;

/// One score.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Score {
    /// When it was sent.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// That day, where the clinic is.
    #[schema(value_type = String, format = Date)]
    pub day: Date,
    /// The headline score.
    pub value: f64,
}

/// Scores within this range of the first one are too close to it to count as a change.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct Band {
    pub low: f64,
    pub high: f64,
}

/// One measure over time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Measure {
    #[schema(value_type = String, example = "odi")]
    pub instrument: InstrumentId,
    /// Its title for patients: "How your back affects daily life".
    pub title: String,
    /// The lowest and highest possible scores.
    pub min: f64,
    pub max: f64,
    /// Every score in this episode, oldest first; the first is the baseline.
    pub scores: Vec<Score>,
    /// The smallest change from the first score that counts as real, in score units.
    pub threshold: Option<f64>,
    /// The scores around the first that count as no real change, within the scale.
    pub band: Option<Band>,
    /// How it has gone, in plain words.
    #[schema(value_type = Object)]
    pub summary: Summary,
}

/// An exercise the patient has moved up to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Move {
    /// The easier exercise prescribed before: id and name.
    pub from: String,
    pub from_name: String,
    /// The harder one in the programme now: id and name.
    pub to: String,
    pub to_name: String,
    /// The day it came into the programme, where the clinic is.
    #[schema(value_type = String, format = Date)]
    pub since: Date,
}

/// A patient's progress.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Progress {
    /// Pain, then disability and activities: only measures with at least one score.
    pub measures: Vec<Measure>,
    /// Guided sessions per week against the plan, oldest first, from the week the programme
    /// began (at most the last eight weeks); empty before the first programme.
    #[schema(value_type = Vec<Object>)]
    pub weeks: Vec<WeekCount>,
    /// Exercises in the programme now that are harder variants of ones prescribed before.
    pub moves: Vec<Move>,
    /// Today, where the clinic is.
    #[schema(value_type = String, format = Date)]
    pub today: Date,
}

/// A patient's progress, read by them or their care team.
pub async fn progress(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<Progress, ApiError> {
    let mut act = Act::new(state, p, "read", "progress");
    let r = async {
        let patient = act.patient(patient_id).await?;
        let store = act.store();
        let zone = crate::care::clinic::zone(state, patient.clinic_id).await?;
        let today = zone.local(state.now()).date();
        let measures = measures(store, &patient, &zone).await?;
        let (weeks, moves) = programme_progress(store, &patient, &zone, today).await?;
        Ok(Progress { measures, weeks, moves, today })
    }
    .await;
    act.finish(r).await
}

/// The measures of the current episode: the open one, else the latest. A new episode starts
/// a new baseline, so scores from an earlier one are not compared with it.
async fn measures(store: &Db, patient: &User, zone: &Zone) -> Result<Vec<Measure>, ApiError> {
    let episodes = store.episodes(patient.clinic_id, patient.id).await?;
    let current = episodes
        .iter()
        .find(|e| e.status != physio_store::EpisodeStatus::Discharged)
        .or(episodes.first());
    let Some(episode) = current else { return Ok(Vec::new()) };
    let responses = store.responses(patient.clinic_id, patient.id, None).await?;
    let mut out = Vec::new();
    for id in progress::MEASURES {
        let of: Vec<&ResponseRecord> = responses
            .iter()
            .filter(|r| r.episode_id == episode.id && r.instrument == id.as_str())
            .collect();
        let title = Instrument::builtin(id).patient().title.clone();
        let values: Vec<f64> = of.iter().map(|r| r.score).collect();
        // A stored score outside its scale is damaged data, not the patient's mistake.
        let summary = progress::summary::summarise(id, &title, &values)
            .map_err(|e| ApiError::Internal(format!("a stored {id} score: {e}")))?;
        let (Some(summary), Some(&baseline)) = (summary, values.first()) else { continue };
        let scale = id.scale();
        out.push(Measure {
            instrument: id,
            title,
            min: scale.min,
            max: scale.max,
            scores: of
                .iter()
                .map(|r| Score {
                    at: r.submitted_at,
                    day: zone.local(r.submitted_at).date(),
                    value: r.score,
                })
                .collect(),
            threshold: progress::summary::threshold(id, baseline),
            band: progress::summary::band(id, baseline).map(|(low, high)| Band { low, high }),
            summary,
        });
    }
    Ok(out)
}

/// Sessions per week since the programme began, and the moves up the ladder in its history.
async fn programme_progress(
    store: &Db,
    patient: &User,
    zone: &Zone,
    today: Date,
) -> Result<(Vec<WeekCount>, Vec<Move>), ApiError> {
    let mut versions = store.programme_versions(patient.clinic_id, patient.id).await?;
    versions.sort_by_key(|v| v.version);
    let Some(first) = versions.first() else { return Ok((Vec::new(), Vec::new())) };
    let began = zone.local(first.created_at).date();
    let from = began.max(plan::week_start(today) - Duration::days(7 * (WEEKS_SHOWN - 1)));
    let sessions = store.day_sessions(patient.clinic_id, patient.id, Some(from)).await?;
    let mut weeks = crate::care::day::weeks(&versions, zone, &sessions, from, today);
    weeks.reverse();

    let lib = crate::care::library::load(store, patient.clinic_id).await?;
    let ids: Vec<Vec<String>> =
        versions.iter().map(|v| v.items.iter().map(|i| i.exercise.clone()).collect()).collect();
    let moves = ladder::moves(&ids, &|id| lib.find(id))
        .into_iter()
        .map(|m| Move {
            from_name: lib.name(&m.from),
            to_name: lib.name(&m.to),
            since: zone.local(versions[m.since].created_at).date(),
            from: m.from,
            to: m.to,
        })
        .collect();
    Ok((weeks, moves))
}
