//! The exercise library and templates as a clinic's staff see them: the built-in ones and the
//! clinic's own. Reading them is a staff action (a patient sees only their own programme);
//! importing exercises is for the clinic's admins (or the operator at the command line), and
//! is all or nothing.

use physio_clinic::exercise::library::{self, EntryProblem};
use physio_clinic::exercise::{Exercise, Problem};
use physio_clinic::pathway::{Pathway, Phase};
use physio_clinic::programme::{Template, TemplateItem, template};
use physio_store::{AuditOutcome, Db, Role, Store};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::Act,
    error::ApiError,
    state::{Actor, AppState},
};

/// The exercises a clinic can prescribe: the built-in library, then its own.
#[derive(Debug, Clone)]
pub struct ClinicLibrary {
    pub own: Vec<Exercise>,
}

impl ClinicLibrary {
    /// The exercise with this id, built-in or the clinic's own.
    pub fn find(&self, id: &str) -> Option<&Exercise> {
        library::find(id).or_else(|| self.own.iter().find(|e| e.id == id))
    }

    /// Every exercise: built-in first, in the library's order, then the clinic's own by id.
    pub fn all(&self) -> impl Iterator<Item = &Exercise> {
        library::builtin().iter().chain(&self.own)
    }

    /// Whether the exercise is the clinic's own.
    pub fn is_own(&self, id: &str) -> bool {
        self.own.iter().any(|e| e.id == id)
    }

    /// The name of an exercise, or its id when it is no longer in the library.
    pub fn name(&self, id: &str) -> String {
        self.find(id).map_or_else(|| id.to_owned(), |e| e.name.clone())
    }
}

/// The library of `clinic_id`. Reads only; the caller's action is audited.
pub async fn load(store: &Db, clinic_id: Uuid) -> Result<ClinicLibrary, ApiError> {
    Ok(ClinicLibrary { own: store.clinic_exercises(clinic_id).await? })
}

const STAFF_ONLY: &str = "the exercise library is for the clinic's staff; your own programme \
    is on your home page";

fn require_staff(p: &Principal) -> Result<(), ApiError> {
    if p.role() == Role::Patient { Err(ApiError::Forbidden(STAFF_ONLY.into())) } else { Ok(()) }
}

/// The whole library, read by a member of staff.
pub async fn list(state: &AppState, p: &Principal) -> Result<ClinicLibrary, ApiError> {
    let act = Act::new(state, p, "read", "exercise_library");
    let r = async {
        require_staff(p)?;
        load(act.store(), p.user.clinic_id).await
    }
    .await;
    act.finish(r).await
}

/// One exercise of the library, read by a member of staff; the flag says whether it is the
/// clinic's own.
pub async fn get(state: &AppState, p: &Principal, id: &str) -> Result<(Exercise, bool), ApiError> {
    let act = Act::new(state, p, "read", "exercise_library");
    let r = async {
        require_staff(p)?;
        let lib = load(act.store(), p.user.clinic_id).await?;
        let own = lib.is_own(id);
        lib.find(id).cloned().map(|e| (e, own)).ok_or(ApiError::NotFound("exercise"))
    }
    .await;
    act.finish(r).await
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportReport {
    /// Ids of exercises that were new to the clinic.
    pub added: Vec<String>,
    /// Ids of the clinic's exercises that were replaced.
    pub updated: Vec<String>,
}

/// The problems of an import, each naming the entry and the field.
fn refused(problems: Vec<EntryProblem>) -> ApiError {
    ApiError::problems(
        problems
            .into_iter()
            .map(|e| Problem {
                field: match &e.id {
                    Some(id) => format!("exercises[{}] ({id}).{}", e.index, e.problem.field),
                    None if e.problem.field == "file" => "file".to_owned(),
                    None => format!("exercises[{}].{}", e.index, e.problem.field),
                },
                message: e.problem.message,
            })
            .collect(),
    )
}

/// Checks a library file against the clinic's library; nothing is written.
async fn check_import(
    store: &Db,
    clinic_id: Uuid,
    text: &str,
) -> Result<(Vec<Exercise>, ImportReport), ApiError> {
    let lib = load(store, clinic_id).await?;
    let exercises = library::parse_import(text, &|id| lib.find(id).is_some()).map_err(refused)?;
    let (updated, added) = exercises.iter().map(|e| e.id.clone()).partition(|id| lib.is_own(id));
    Ok((exercises, ImportReport { added, updated }))
}

/// Imports a library file into the clinic (its admins only): every entry is checked first and
/// nothing is written if any entry is refused.
pub async fn import(state: &AppState, p: &Principal, text: &str) -> Result<ImportReport, ApiError> {
    let mut act = Act::new(state, p, "import", "exercise_library");
    let r = async {
        act.require_role(Role::Admin, "only the clinic's admins import exercises")?;
        let (exercises, report) = check_import(act.store(), p.user.clinic_id, text).await?;
        let (clinic, by, now) = (p.user.clinic_id, p.user.id, act.now());
        act.tx().await?.put_clinic_exercises(clinic, &exercises, Some(by), now).await?;
        Ok(report)
    }
    .await;
    act.finish(r).await
}

/// Imports a library file at the server's command line, audited with the operator as actor.
pub async fn import_as_operator(
    store: &Store,
    clinic_id: Uuid,
    text: &str,
    now: OffsetDateTime,
) -> Result<ImportReport, ApiError> {
    let (exercises, report) = check_import(store, clinic_id, text).await?;
    let mut tx = store.begin().await?;
    tx.put_clinic_exercises(clinic_id, &exercises, None, now).await?;
    let actor = Actor { clinic_id: Some(clinic_id), request_id: Some("cli"), ..Actor::default() };
    tx.append_audit(&actor.event(now, "import", "exercise_library", None, AuditOutcome::Success))
        .await?;
    tx.commit().await?;
    Ok(report)
}

/// A template as a clinic sees it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TemplateEntry {
    #[schema(value_type = Object)]
    pub template: Template,
    /// True for the clinic's own, false for built-in ones.
    pub own: bool,
}

/// Built-in then the clinic's own templates, optionally for one pathway and phase. Reads only.
pub async fn templates_of(
    store: &Db,
    clinic_id: Uuid,
    pathway: Option<Pathway>,
    phase: Option<Phase>,
) -> Result<Vec<TemplateEntry>, ApiError> {
    let own = store.clinic_templates(clinic_id).await?;
    let fits =
        |t: &Template| pathway.is_none_or(|x| x == t.pathway) && phase.is_none_or(|x| x == t.phase);
    Ok(template::builtin()
        .iter()
        .filter(|t| fits(t))
        .map(|t| TemplateEntry { template: t.clone(), own: false })
        .chain(
            own.into_iter()
                .filter(|s| fits(&s.template))
                .map(|s| TemplateEntry { template: s.template, own: true }),
        )
        .collect())
}

/// The templates, read by a member of staff.
pub async fn templates(
    state: &AppState,
    p: &Principal,
    pathway: Option<Pathway>,
    phase: Option<Phase>,
) -> Result<Vec<TemplateEntry>, ApiError> {
    let act = Act::new(state, p, "read", "programme_template");
    let r = async {
        require_staff(p)?;
        templates_of(act.store(), p.user.clinic_id, pathway, phase).await
    }
    .await;
    act.finish(r).await
}

/// A template a clinician saves for the clinic.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTemplate {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[schema(value_type = String)]
    pub pathway: Pathway,
    #[schema(value_type = String)]
    pub phase: Phase,
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<TemplateItem>,
}

/// Saves a clinician's template for the whole clinic.
pub async fn save_template(
    state: &AppState,
    p: &Principal,
    new: NewTemplate,
) -> Result<Template, ApiError> {
    let mut act = Act::new(state, p, "create", "programme_template");
    let r = async {
        act.require_role(Role::Clinician, "only clinicians save programme templates")?;
        let lib = load(act.store(), p.user.clinic_id).await?;
        let id = Uuid::now_v7();
        let template = Template {
            id: id.to_string(),
            name: new.name.trim().to_owned(),
            description: new.description.trim().to_owned(),
            pathway: new.pathway,
            phase: new.phase,
            items: new.items,
        };
        let problems = template.problems(&|id| lib.find(id));
        if !problems.is_empty() {
            return Err(ApiError::problems(problems));
        }
        let (clinic, by, now) = (p.user.clinic_id, p.user.id, act.now());
        act.tx().await?.add_clinic_template(clinic, id, &template, by, now).await?;
        Ok(template)
    }
    .await;
    act.finish(r).await
}
