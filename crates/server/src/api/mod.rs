//! The JSON API under `/api/v1`, documented by the OpenAPI document generated from it.

pub mod account;
pub mod alerts;
pub mod auth;
pub mod caseload;
pub mod contacts;
pub mod day_sessions;
pub mod document;
pub mod episodes;
pub mod exercises;
pub mod lessons;
pub mod messages;
pub mod patients;
pub mod programmes;
pub mod progress;
pub mod proposals;
pub mod references;
pub mod reminders;
pub mod rights;
pub mod sessions;
pub mod sso;
pub mod tokens;
pub mod two_step;
pub mod users;

use physio_store::{CareTeamMember, Licence, Role, User};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{
    Modify, OpenApi, ToSchema,
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_axum::router::OpenApiRouter;
use uuid::Uuid;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Physio API",
        description = "Self-hosted digital physical therapy for back pain. Authenticate with the \
            session cookie from `POST /api/v1/auth/login` (state changes then need the \
            `X-CSRF-Token` header from the login response) or with a bearer API token.",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&Security),
    tags(
        (name = "auth", description = "Sign in and out, API tokens, password reset and invitation links, the clinic's single sign-on"),
        (name = "account", description = "Your own account: password and the sessions you are signed in with"),
        (name = "patients", description = "Patients and their care teams"),
        (name = "users", description = "Clinic accounts (admins only)"),
        (name = "rights", description = "The patient's rights: who opened their record, a download of all of it, erasure on request"),
        (name = "episodes", description = "Episodes of care: triage and its review, outcomes"),
        (name = "programmes", description = "The exercise library, templates and each patient's prescribed programme"),
        (name = "sessions", description = "The patient's day: guided sessions, what was done in them, weekly adherence"),
        (name = "lessons", description = "Education lessons: each patient's lessons and what they read, a clinic's own lessons"),
        (name = "proposals", description = "Progression: the rule table, proposals waiting for the clinician, deciding them, automatic changes within limits"),
        (name = "messages", description = "Secure messages between a patient and their care team, and unread counts"),
        (name = "alerts", description = "Alerts for the care team: the inbox, each patient's alert history, closing with a note"),
        (name = "contacts", description = "The contact log (messages, calls, visits) with this week's count, and the patient's phone number"),
        (name = "caseload", description = "A clinician's caseload: who needs help, with the facts to sort and filter by"),
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let c = openapi.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::SESSION_COOKIE))),
        );
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every API route with its OpenAPI description, and the finished document.
pub fn routes_and_document() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let (routes, mut doc) = router().split_for_parts();
    document::add_common_responses(&mut doc);
    (routes, doc)
}

/// Every API route, with the OpenAPI description of its own answers.
fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::router())
        .merge(account::router())
        .merge(tokens::router())
        .merge(patients::router())
        .merge(users::router())
        .merge(episodes::router())
        .merge(references::router())
        .merge(sessions::router())
        .merge(exercises::router())
        .merge(programmes::router())
        .merge(progress::router())
        .merge(day_sessions::router())
        .merge(lessons::router())
        .merge(reminders::router())
        .merge(proposals::router())
        .merge(messages::router())
        .merge(alerts::router())
        .merge(contacts::router())
        .merge(caseload::router())
        .merge(two_step::router())
        .merge(sso::router())
        .merge(rights::router())
}

/// A role, as the API spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiRole {
    Patient,
    Clinician,
    Admin,
}

impl From<Role> for ApiRole {
    fn from(r: Role) -> Self {
        match r {
            Role::Patient => ApiRole::Patient,
            Role::Clinician => ApiRole::Clinician,
            Role::Admin => ApiRole::Admin,
        }
    }
}

impl From<ApiRole> for Role {
    fn from(r: ApiRole) -> Self {
        match r {
            ApiRole::Patient => Role::Patient,
            ApiRole::Clinician => Role::Clinician,
            ApiRole::Admin => Role::Admin,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LicenceView {
    pub number: String,
    pub jurisdiction: String,
}

/// An account. Patients carry a date of birth and summary; clinicians a licence.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub clinic_id: Uuid,
    pub email: String,
    pub name: String,
    pub role: ApiRole,
    pub active: bool,
    pub licence: Option<LicenceView>,
    pub date_of_birth: Option<Date>,
    pub summary: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// A patient's phone number, when one is on record.
    pub phone: Option<String>,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        UserView {
            id: u.id,
            clinic_id: u.clinic_id,
            email: u.email,
            name: u.name,
            role: u.role.into(),
            active: u.active,
            licence: u
                .licence
                .map(|Licence { number, jurisdiction }| LicenceView { number, jurisdiction }),
            date_of_birth: u.date_of_birth,
            summary: u.summary,
            created_at: u.created_at,
            phone: u.phone,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CareTeamMemberView {
    pub clinician_id: Uuid,
    pub clinician_name: String,
}

impl From<CareTeamMember> for CareTeamMemberView {
    fn from(m: CareTeamMember) -> Self {
        CareTeamMemberView { clinician_id: m.clinician_id, clinician_name: m.clinician_name }
    }
}
