//! Clinic accounts, managed by the clinic's admins.

use axum::{extract::State, http::StatusCode};
use physio_store::Role;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    api::{ApiRole, UserView},
    auth::{Principal, links::IssuedLink},
    care,
    error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user))
        .routes(routes!(send_invitation))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub users: Vec<UserView>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
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
    /// Leave out to send the person an invitation link to choose their own password (the
    /// default, and what the admin page does). A password given here is temporary: it works,
    /// but the person is asked to choose their own at their first sign-in. At least 12
    /// characters, hard to guess, and not the person's name or e-mail address.
    pub password: Option<String>,
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
    let users = care::users::list(&state, &p, q.role.map(Role::from)).await?;
    Ok(ApiJson(UserList { users: users.into_iter().map(UserView::from).collect() }))
}

impl From<CreateUser> for care::users::NewAccount {
    fn from(req: CreateUser) -> Self {
        care::users::NewAccount {
            email: req.email,
            name: req.name,
            role: Role::from(req.role),
            password: match req.password {
                Some(pw) => care::users::InitialPassword::Temporary(pw),
                None => care::users::InitialPassword::Invite,
            },
            licence_number: req.licence_number,
            licence_jurisdiction: req.licence_jurisdiction,
            date_of_birth: req.date_of_birth,
            summary: req.summary,
        }
    }
}

/// A link that lets someone set their password.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationView {
    /// The link itself; pass it on yourself when `emailed` is false.
    pub url: String,
    /// Whether it is on its way to the account's e-mail address.
    pub emailed: bool,
}

impl From<IssuedLink> for InvitationView {
    fn from(l: IssuedLink) -> Self {
        InvitationView { url: l.url, emailed: l.emailed }
    }
}

/// A new account, with its invitation when it was made without a password.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUser {
    #[serde(flatten)]
    pub user: UserView,
    pub invitation: Option<InvitationView>,
}

/// Add an account to the clinic. Without a password, the person gets an invitation link.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = CreateUser,
    security(("session" = []), ("bearer" = [])),
    responses((status = 201, body = CreatedUser), (status = 403, body = ErrorBody),
        (status = 409, description = "E-mail already in use", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_user(
    State(state): State<AppState>,
    p: Principal,
    ApiJson(req): ApiJson<CreateUser>,
) -> Result<(StatusCode, ApiJson<CreatedUser>), ApiError> {
    let added = care::users::add(&state, &p, req.into()).await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(CreatedUser {
            user: added.user.into(),
            invitation: added.invitation.map(InvitationView::from),
        }),
    ))
}

/// Send an account a new link to set its password (a new invitation, or a reset when the
/// person cannot use "Forgot your password?"). It is e-mailed when the server can send e-mail;
/// pass on the `url` yourself when it cannot.
#[utoipa::path(post, path = "/api/v1/users/{user_id}/invitation", tag = "users", params(("user_id" = Uuid, Path)),
    security(("session" = []), ("bearer" = [])),
    responses((status = 201, body = InvitationView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "The account is deactivated", body = ErrorBody)))]
async fn send_invitation(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(user_id): ApiPath<Uuid>,
) -> Result<(StatusCode, ApiJson<InvitationView>), ApiError> {
    let link = care::users::send_link(&state, &p, user_id).await?;
    Ok((StatusCode::CREATED, ApiJson(link.into())))
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
    Ok(ApiJson(care::users::get(&state, &p, user_id).await?.into()))
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
    Ok(ApiJson(care::users::set_active(&state, &p, user_id, req.active).await?.into()))
}
