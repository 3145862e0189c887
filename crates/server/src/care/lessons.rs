//! Education lessons as the care layer serves them: a patient's lessons with what they have
//! read (the patient or their care team reads them), opening one (the patient; the first
//! opening is recorded as read), this week's lesson for the home page, and a clinic's own
//! lessons (staff read the catalogue; admins import, all or nothing). Which lessons a patient
//! gets is `physio_clinic::education::assign`; a clinic's lessons are visible only to it.

use physio_clinic::education::{self, CareContext, Lesson, catalogue, reading};
use physio_clinic::exercise::Problem;
use physio_clinic::exercise::library::EntryProblem;
use physio_clinic::pathway::Pathway;
use physio_store::{Db, LessonRead, Role, User};
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

/// The hardest Flesch–Kincaid grade we advise for a lesson (reading age about 9 to 11).
pub const ADVISED_MAX_GRADE: f64 = 6.0;

/// The lessons a clinic can give: the built-in ones, then its own.
#[derive(Debug, Clone)]
pub struct ClinicLessons {
    pub own: Vec<Lesson>,
}

impl ClinicLessons {
    /// The lesson with this id, built-in or the clinic's own.
    pub fn find(&self, id: &str) -> Option<&Lesson> {
        catalogue::find(id).or_else(|| self.own.iter().find(|l| l.id == id))
    }

    /// Every lesson: built-in first, in their order, then the clinic's own by id.
    pub fn all(&self) -> impl Iterator<Item = &Lesson> {
        catalogue::builtin().iter().chain(&self.own)
    }

    /// Whether the lesson is the clinic's own.
    pub fn is_own(&self, id: &str) -> bool {
        self.own.iter().any(|l| l.id == id)
    }
}

/// The lessons of `clinic_id`. Reads only; the caller's action is audited.
pub async fn load(store: &Db, clinic_id: Uuid) -> Result<ClinicLessons, ApiError> {
    Ok(ClinicLessons { own: store.clinic_lessons(clinic_id).await? })
}

/// One lesson as a patient's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LessonEntry {
    #[schema(value_type = Object)]
    pub lesson: Lesson,
    /// When the patient first opened it; `None` while unread.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>)]
    pub first_read_at: Option<OffsetDateTime>,
}

impl LessonEntry {
    pub fn is_read(&self) -> bool {
        self.first_read_at.is_some()
    }
}

/// A patient's lessons.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PatientLessons {
    /// The lessons given to the patient so far, in order (see `docs/education.md`).
    pub lessons: Vec<LessonEntry>,
    /// This week's lesson: the first of `lessons` not yet read.
    pub this_week: Option<String>,
    /// Lessons the patient read that are no longer given to them (their pathway changed, or
    /// their episode of care ended), so the record of what they read stays whole.
    pub read_before: Vec<LessonEntry>,
    /// Their pathway, when one is set.
    #[schema(value_type = Option<String>)]
    pub pathway: Option<Pathway>,
    /// Completed weeks in care (0 in the first week).
    pub weeks_in_care: u16,
}

impl PatientLessons {
    /// This week's lesson, from the list.
    pub fn this_week_entry(&self) -> Option<&LessonEntry> {
        let id = self.this_week.as_deref()?;
        self.lessons.iter().find(|e| e.lesson.id == id)
    }
}

/// Where the patient is in their care, for lessons: the open episode's pathway and today's
/// phase, and the completed weeks since it opened (in the clinic's time zone).
async fn context_of(state: &AppState, patient: &User) -> Result<CareContext, ApiError> {
    let store = state.store();
    let Some(ep) = store.open_episode_of(patient.clinic_id, patient.id).await? else {
        return Ok(CareContext { pathway: None, phase: None, weeks_in_care: 0 });
    };
    let zone = crate::care::clinic::zone(state, patient.clinic_id).await?;
    let today = zone.local(state.now()).date();
    let opened = zone.local(ep.opened_at).date();
    let weeks = u16::try_from(((today - opened).whole_days().max(0)) / 7).unwrap_or(u16::MAX);
    let pathway = ep.pathway.as_deref().and_then(|p| p.parse::<Pathway>().ok());
    // A phase that cannot be worked out (no surgery date yet) leaves only the lessons that
    // name no phase; the pathway page says what is missing.
    let phase = match crate::care::pathway::phase_status(&ep, today) {
        Some(Ok(status)) => Some(status.phase),
        _ => None,
    };
    Ok(CareContext { pathway, phase, weeks_in_care: weeks })
}

/// Builds the patient's lessons from what is stored. Reads only.
async fn lessons_of(state: &AppState, patient: &User) -> Result<PatientLessons, ApiError> {
    let store = state.store();
    let ctx = context_of(state, patient).await?;
    let lib = load(store, patient.clinic_id).await?;
    let reads = store.lesson_reads(patient.clinic_id, patient.id).await?;
    let read_at = |id: &str| reads.iter().find(|r| r.lesson_id == id).map(|r| r.first_read_at);
    let given = education::assigned(lib.all(), &ctx);
    let this_week = education::this_week(&given, |id| read_at(id).is_some()).map(|l| l.id.clone());
    let entry = |l: &Lesson| LessonEntry { lesson: l.clone(), first_read_at: read_at(&l.id) };
    let read_before = reads
        .iter()
        .filter(|r| !given.iter().any(|l| l.id == r.lesson_id))
        .filter_map(|r: &LessonRead| lib.find(&r.lesson_id))
        .map(entry)
        .collect();
    Ok(PatientLessons {
        lessons: given.into_iter().map(entry).collect(),
        this_week,
        read_before,
        pathway: ctx.pathway,
        weeks_in_care: ctx.weeks_in_care,
    })
}

/// A patient's lessons with what they have read, read by them or their care team.
pub async fn list(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<PatientLessons, ApiError> {
    let mut act = Act::new(state, p, "read", "lessons");
    let r = async {
        let patient = act.patient(patient_id).await?;
        lessons_of(state, &patient).await
    }
    .await;
    act.finish(r).await
}

/// What opening a lesson gives back.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpenedLesson {
    #[schema(value_type = Object)]
    pub lesson: Lesson,
    /// When the patient first opened it (now, the first time).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    pub first_read_at: OffsetDateTime,
    /// Whether this opening was the first.
    pub first_time: bool,
}

/// The patient opens one of their clinic's lessons; the first opening is recorded as read,
/// with its audit record, in one transaction. Only the patient themselves opens a lesson: the
/// care team sees what was read, and does not mark it.
pub async fn open(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    lesson_id: &str,
) -> Result<OpenedLesson, ApiError> {
    let mut act = Act::new(state, p, "open", "lesson");
    let r = async {
        let patient = act.patient(patient_id).await?;
        act.require_role(
            Role::Patient,
            "only the patient marks a lesson as read; their care team sees what they read",
        )?;
        let lib = load(act.store(), patient.clinic_id).await?;
        let lesson = lib.find(lesson_id).cloned().ok_or(ApiError::NotFound("lesson"))?;
        let now = act.now();
        let tx = act.tx().await?;
        let first_time =
            tx.mark_lesson_read(patient.clinic_id, patient.id, &lesson.id, now).await?;
        let first_read_at = tx
            .lesson_reads(patient.clinic_id, patient.id)
            .await?
            .into_iter()
            .find(|r| r.lesson_id == lesson.id)
            .map_or(now, |r| r.first_read_at);
        Ok(OpenedLesson { lesson, first_read_at, first_time })
    }
    .await;
    act.finish(r).await
}

/// This week's lesson, as the patient's home page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct LessonCard {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub read: bool,
}

/// This week's lesson for the patient's home page (`None` when every lesson given so far is
/// read). Reads only; the caller's action is audited.
pub async fn this_week(state: &AppState, patient: &User) -> Result<Option<LessonCard>, ApiError> {
    let lessons = lessons_of(state, patient).await?;
    Ok(lessons.this_week_entry().map(|e| LessonCard {
        id: e.lesson.id.clone(),
        title: e.lesson.title.clone(),
        summary: e.lesson.summary.clone(),
        read: e.is_read(),
    }))
}

/// One lesson of the catalogue, with its reading grade.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CatalogueEntry {
    #[schema(value_type = Object)]
    pub lesson: Lesson,
    /// True for the clinic's own, false for built-in ones.
    pub own: bool,
    /// Its Flesch–Kincaid grade (we advise 6 or below).
    pub reading_grade: f64,
}

fn entry_of(lib: &ClinicLessons, l: &Lesson) -> CatalogueEntry {
    let grade = (reading::grade(l) * 10.0).round() / 10.0;
    CatalogueEntry { lesson: l.clone(), own: lib.is_own(&l.id), reading_grade: grade }
}

/// Every lesson the clinic gives, read by a member of staff.
pub async fn catalogue(state: &AppState, p: &Principal) -> Result<Vec<CatalogueEntry>, ApiError> {
    let act = Act::new(state, p, "read", "lesson_catalogue");
    let r = async {
        if p.role() == Role::Patient {
            return Err(ApiError::Forbidden(
                "the lesson catalogue is for the clinic's staff; your lessons are at /lessons"
                    .into(),
            ));
        }
        let lib = load(act.store(), p.user.clinic_id).await?;
        Ok(lib.all().map(|l| entry_of(&lib, l)).collect())
    }
    .await;
    act.finish(r).await
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ImportReport {
    /// Ids of lessons new to the clinic.
    pub added: Vec<String>,
    /// Ids of the clinic's lessons that were replaced.
    pub updated: Vec<String>,
    /// Imported lessons above the advised reading grade (6), each with its grade: they are
    /// stored, but shorter words and sentences would help patients.
    pub hard_to_read: Vec<HardToRead>,
}

/// A lesson above the advised reading grade.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct HardToRead {
    pub id: String,
    pub reading_grade: f64,
}

/// The problems of an import, each naming the entry and the field.
fn refused(problems: Vec<EntryProblem>) -> ApiError {
    ApiError::problems(
        problems
            .into_iter()
            .map(|e| Problem {
                field: match &e.id {
                    Some(id) => format!("lessons[{}] ({id}).{}", e.index, e.problem.field),
                    None if e.problem.field == "file" => "file".to_owned(),
                    None => format!("lessons[{}].{}", e.index, e.problem.field),
                },
                message: e.problem.message,
            })
            .collect(),
    )
}

/// Checks a lessons file against the clinic's lessons; nothing is written.
async fn check_import(
    store: &Db,
    clinic_id: Uuid,
    text: &str,
) -> Result<(Vec<Lesson>, ImportReport), ApiError> {
    let lib = load(store, clinic_id).await?;
    let lessons = catalogue::parse_import(text).map_err(refused)?;
    let (updated, added) = lessons.iter().map(|l| l.id.clone()).partition(|id| lib.is_own(id));
    let hard_to_read = lessons
        .iter()
        .map(|l| HardToRead {
            id: l.id.clone(),
            reading_grade: (reading::grade(l) * 10.0).round() / 10.0,
        })
        .filter(|h| h.reading_grade > ADVISED_MAX_GRADE)
        .collect();
    Ok((lessons, ImportReport { added, updated, hard_to_read }))
}

/// Imports a lessons file into the clinic (its admins only): every entry is checked first and
/// nothing is written if any entry is refused.
pub async fn import(state: &AppState, p: &Principal, text: &str) -> Result<ImportReport, ApiError> {
    let mut act = Act::new(state, p, "import", "lesson_catalogue");
    let r = async {
        act.require_role(Role::Admin, "only the clinic's admins add lessons")?;
        let (lessons, report) = check_import(act.store(), p.user.clinic_id, text).await?;
        let (clinic, by, now) = (p.user.clinic_id, p.user.id, act.now());
        act.tx().await?.put_clinic_lessons(clinic, &lessons, Some(by), now).await?;
        Ok(report)
    }
    .await;
    act.finish(r).await
}
