//! Clinic accounts, managed by the clinic's admins.

use axum::{extract::State, http::StatusCode};
use physio_store::{AuditOutcome, Licence, NewUser, Role, StoreError, User};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    access,
    api::{ApiRole, UserView},
    auth::{self, Principal},
    error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub users: Vec<UserView>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    /// Only users with this role.
    pub role: Option<ApiRole>,
}

/// A new account. Clinicians need a licence number and jurisdiction.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub email: String,
    pub name: String,
    pub role: ApiRole,
    /// At least 10 characters.
    pub password: String,
    pub licence_number: Option<String>,
    pub licence_jurisdiction: Option<String>,
    /// Patients only.
    pub date_of_birth: Option<Date>,
    /// Patients only: a sentence or two about why they came.
    pub summary: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    /// `false` deactivates the account: it can no longer sign in, and its sessions and tokens end.
    pub active: bool,
}

/// The clinic's accounts.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserQuery),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = UserList), (status = 403, body = ErrorBody)))]
async fn list_users(
    State(state): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<UserQuery>,
) -> Result<ApiJson<UserList>, ApiError> {
    access::require_admin(&state, &p, "list", "user").await?;
    let users = state.store().users(p.user.clinic_id, q.role.map(Role::from)).await?;
    state.audit(p.actor(), "list", "user", None, AuditOutcome::Success).await?;
    Ok(ApiJson(UserList { users: users.into_iter().map(UserView::from).collect() }))
}

/// Add an account to the clinic.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = CreateUser,
    security(("session" = []), ("bearer" = [])),
    responses((status = 201, body = UserView), (status = 403, body = ErrorBody),
        (status = 409, description = "E-mail already in use", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_user(
    State(state): State<AppState>,
    p: Principal,
    ApiJson(req): ApiJson<CreateUser>,
) -> Result<(StatusCode, ApiJson<UserView>), ApiError> {
    let user = add_user(&state, &p, req).await?;
    Ok((StatusCode::CREATED, ApiJson(user.into())))
}

/// Validates and creates an account; shared by the API and the admin page.
pub(crate) async fn add_user(
    state: &AppState,
    p: &Principal,
    req: CreateUser,
) -> Result<User, ApiError> {
    access::require_admin(state, p, "create", "user").await?;
    let new = validate_new_user(p.user.clinic_id, req, state.now().date())?;
    let resource = if new.role == Role::Patient { "patient" } else { "user" };
    match state.store().create_user(&new, state.now()).await {
        Ok(u) => {
            let patient = (u.role == Role::Patient).then_some(u.id);
            state.audit(p.actor(), "create", resource, patient, AuditOutcome::Success).await?;
            Ok(u)
        }
        Err(StoreError::Conflict(what)) if what.contains("email") => {
            state.audit(p.actor(), "create", resource, None, AuditOutcome::Failed).await?;
            Err(ApiError::Conflict("an account with this e-mail address already exists".into()))
        }
        Err(e) => Err(e.into()),
    }
}

/// Checks every field of a new account and hashes its password.
pub fn validate_new_user(
    clinic_id: Uuid,
    req: CreateUser,
    today: Date,
) -> Result<NewUser, ApiError> {
    let email = req.email.trim().to_lowercase();
    let valid_email = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.contains(char::is_whitespace);
    if !valid_email {
        return Err(ApiError::invalid("email", "enter an e-mail address like name@example.com"));
    }
    let name = req.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::invalid("name", "enter a name of 1 to 200 characters"));
    }
    auth::check_password_rules(&req.password)?;
    let role = Role::from(req.role);
    let text = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let licence = match (text(req.licence_number), text(req.licence_jurisdiction)) {
        (Some(number), Some(jurisdiction)) if role == Role::Clinician => {
            Some(Licence { number, jurisdiction })
        }
        (None, _) if role == Role::Clinician => {
            return Err(ApiError::invalid(
                "licence_number",
                "enter the clinician's licence number",
            ));
        }
        (_, None) if role == Role::Clinician => {
            return Err(ApiError::invalid(
                "licence_jurisdiction",
                "enter where the clinician is licensed, such as a state or province",
            ));
        }
        (None, None) => None,
        _ => return Err(ApiError::invalid("licence_number", "only clinicians have a licence")),
    };
    if let Some(dob) = req.date_of_birth {
        if role != Role::Patient {
            return Err(ApiError::invalid(
                "date_of_birth",
                "only patients have a date of birth here",
            ));
        }
        if dob > today || dob.year() < 1900 {
            return Err(ApiError::invalid(
                "date_of_birth",
                "enter a date of birth in the past, after 1900",
            ));
        }
    }
    let summary = text(req.summary);
    if summary.is_some() && role != Role::Patient {
        return Err(ApiError::invalid("summary", "only patients have a summary"));
    }
    if summary.as_ref().is_some_and(|s| s.chars().count() > 1000) {
        return Err(ApiError::invalid("summary", "keep the summary under 1000 characters"));
    }
    Ok(NewUser {
        clinic_id,
        email,
        name: name.to_owned(),
        role,
        password_hash: auth::hash_password(&req.password)?,
        licence,
        date_of_birth: req.date_of_birth,
        summary,
    })
}

/// One account of the clinic.
#[utoipa::path(get, path = "/api/v1/users/{user_id}", tag = "users", params(("user_id" = Uuid, Path)),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = UserView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_user(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(user_id): ApiPath<Uuid>,
) -> Result<ApiJson<UserView>, ApiError> {
    access::require_admin(&state, &p, "read", "user").await?;
    let u = clinic_user(&state, &p, user_id).await?;
    let patient = (u.role == Role::Patient).then_some(u.id);
    state.audit(p.actor(), "read", "user", patient, AuditOutcome::Success).await?;
    Ok(ApiJson(u.into()))
}

/// Activate or deactivate an account.
#[utoipa::path(patch, path = "/api/v1/users/{user_id}", tag = "users", params(("user_id" = Uuid, Path)),
    request_body = UpdateUser, security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = UserView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_user(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(user_id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<UpdateUser>,
) -> Result<ApiJson<UserView>, ApiError> {
    Ok(ApiJson(set_active(&state, &p, user_id, req.active).await?.into()))
}

pub(crate) async fn set_active(
    state: &AppState,
    p: &Principal,
    user_id: Uuid,
    active: bool,
) -> Result<User, ApiError> {
    access::require_admin(state, p, "update", "user").await?;
    let u = clinic_user(state, p, user_id).await?;
    if u.id == p.user.id && !active {
        return Err(ApiError::Conflict("you cannot deactivate your own account".into()));
    }
    let u = state.store().set_user_active(p.user.clinic_id, user_id, active, state.now()).await?;
    let patient = (u.role == Role::Patient).then_some(u.id);
    state
        .audit(
            p.actor(),
            if active { "activate" } else { "deactivate" },
            "user",
            patient,
            AuditOutcome::Success,
        )
        .await?;
    Ok(u)
}

/// A user of the caller's clinic; anyone else is not found.
async fn clinic_user(state: &AppState, p: &Principal, id: Uuid) -> Result<User, ApiError> {
    match state.store().user(id).await {
        Ok(u) if u.clinic_id == p.user.clinic_id => Ok(u),
        Ok(_) | Err(StoreError::NotFound(_)) => {
            state.audit(p.actor(), "read", "user", None, AuditOutcome::NotFound).await?;
            Err(ApiError::NotFound("user"))
        }
        Err(e) => Err(e.into()),
    }
}
