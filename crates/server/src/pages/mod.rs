//! Server-rendered pages for patients, clinicians and admins: plain HTML forms that work
//! without JavaScript, one layout, errors rendered as pages.

mod account;
pub(crate) mod admin;
mod caseload;
mod charts;
mod clinical;
pub(crate) mod contacts;
mod decision_aid;
mod exercise;
pub mod figure;
mod inbox;
mod intake;
mod layout;
mod lesson_figures;
mod lessons;
mod library;
mod login;
mod messages;
pub(crate) mod pain_scale;
mod pathway;
mod patients;
mod programme;
mod programme_editor;
mod programme_staff;
mod progress;
mod proposals;
pub(crate) mod questionnaires;
mod reminders;
mod rights;
pub(crate) mod runner;
mod safety;
mod session_log;
mod sso;
mod staff_forms;
mod tokens;
mod two_step;

use axum::{
    Router,
    extract::FromRequestParts,
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
    routing::{MethodRouter, get, post},
};
use maud::html;
use physio_store::Role;

use crate::{
    auth::{MaybePrincipal, NavCounts, Principal},
    error::ApiError,
    state::AppState,
};

/// Every page route as (method, path, handler). The router is built from this table, so the
/// table is the complete list (the authorization-matrix test reads it).
fn table() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        ("GET", "/", get(root)),
        ("GET", "/login", get(login::show)),
        ("POST", "/login", post(login::submit)),
        ("POST", "/logout", post(login::logout)),
        ("GET", "/forgot-password", get(account::forgot)),
        ("POST", "/forgot-password", post(account::send_reset)),
        ("GET", "/set-password", get(account::set_page)),
        ("POST", "/set-password", post(account::set_password)),
        ("GET", "/account", get(account::show)),
        ("GET", "/account/password", get(account::password_page)),
        ("POST", "/account/password", post(account::change_password)),
        ("GET", "/account/sessions", get(account::sessions)),
        ("POST", "/account/sessions/sign-out-others", post(account::sign_out_others)),
        ("GET", "/login/two-step", get(two_step::show_verify)),
        ("POST", "/login/two-step", post(two_step::submit_code)),
        ("POST", "/login/two-step/recovery", post(two_step::submit_recovery)),
        ("GET", "/login/two-step/setup", get(two_step::show_setup)),
        ("POST", "/login/two-step/setup", post(two_step::submit_setup)),
        ("GET", "/account/two-step", get(two_step::show_account)),
        ("POST", "/account/two-step/app", post(two_step::start_app)),
        ("POST", "/account/two-step/app/confirm", post(two_step::confirm_app)),
        ("POST", "/account/two-step/app/off", post(two_step::turn_off_app)),
        ("POST", "/account/two-step/recovery-codes", post(two_step::renew_codes)),
        ("GET", "/account/passkeys", get(two_step::show_passkeys)),
        ("POST", "/account/passkeys/remove", post(two_step::remove_passkey)),
        ("POST", "/admin/two-step", post(admin::set_two_step)),
        ("GET", "/sso", get(sso::show)),
        ("GET", "/sso/start", get(sso::start_by_email)),
        ("GET", "/sso/{clinic_id}/start", get(sso::start_for_clinic)),
        ("GET", "/sso/callback", get(sso::callback)),
        ("GET", "/home", get(patients::home)),
        ("GET", "/decision-aid", get(decision_aid::show)),
        ("GET", "/exercise/{exercise_id}", get(exercise::show)),
        ("GET", "/programme", get(programme::show)),
        ("GET", "/programme/print", get(programme::print)),
        ("GET", "/progress", get(progress::show)),
        ("GET", "/today/session", get(runner::show)),
        ("POST", "/today/session", post(runner::start)),
        ("POST", "/today/session/{session_id}/exercise", post(runner::record)),
        ("POST", "/today/session/{session_id}/finish", post(runner::finish)),
        ("POST", "/today/next-morning/{session_id}", post(runner::next_morning)),
        ("GET", "/lessons", get(lessons::list)),
        ("GET", "/lessons/{lesson_id}", get(lessons::show)),
        ("GET", "/reminders", get(reminders::show)),
        ("POST", "/reminders", post(reminders::save)),
        ("GET", "/intake", get(intake::start)),
        ("GET", "/check-in", get(intake::checkin::check_in)),
        ("POST", "/check-in", post(intake::checkin::submit_check_in)),
        ("GET", "/check-in/result", get(intake::checkin::check_in_result)),
        ("POST", "/intake/submit", post(intake::submit)),
        ("GET", "/intake/result", get(intake::result::result)),
        ("GET", "/intake/emergency", get(intake::result::emergency)),
        ("GET", "/intake/{step}", get(intake::show_step)),
        ("POST", "/intake/{step}", post(intake::save_step)),
        ("GET", "/questionnaires", get(questionnaires::list)),
        ("GET", "/questionnaires/{instrument}", get(questionnaires::show)),
        ("POST", "/questionnaires/{instrument}", post(questionnaires::submit)),
        ("GET", "/caseload", get(caseload::show)),
        ("GET", "/patients/{patient_id}", get(patients::show)),
        ("POST", "/patients/{patient_id}/care-team", post(admin::set_care_team)),
        ("POST", "/patients/{patient_id}/references", post(clinical::set_reference)),
        ("GET", "/patients/{patient_id}/programme/edit", get(programme_editor::edit)),
        ("POST", "/patients/{patient_id}/programme/edit", post(programme_editor::save)),
        (
            "POST",
            "/patients/{patient_id}/programme/from-template",
            post(programme_staff::from_template),
        ),
        ("POST", "/patients/{patient_id}/programme/template", post(programme_staff::save_template)),
        ("GET", "/patients/{patient_id}/programme/history", get(programme_staff::history)),
        ("GET", "/library", get(library::list)),
        ("GET", "/library/{exercise_id}", get(library::show)),
        ("POST", "/triage/{triage_id}/review", post(clinical::review)),
        ("POST", "/alerts/{alert_id}/close", post(inbox::close)),
        ("POST", "/episodes/{episode_id}/pathway", post(pathway::set_pathway)),
        ("POST", "/episodes/{episode_id}/milestones", post(pathway::set_milestones)),
        ("POST", "/episodes/{episode_id}/phase", post(pathway::set_phase)),
        ("GET", "/episodes/{episode_id}/discharge", get(pathway::discharge_page)),
        ("POST", "/episodes/{episode_id}/discharge", post(pathway::discharge)),
        ("GET", "/admin", get(admin::show)),
        ("POST", "/admin/users", post(admin::add_user)),
        ("POST", "/admin/schedule", post(admin::set_schedule)),
        ("GET", "/admin/users/{user_id}/deactivate", get(admin::deactivate_page)),
        ("POST", "/admin/users/{user_id}/active", post(admin::set_active)),
        ("POST", "/admin/users/{user_id}/invitation", post(admin::send_link)),
        ("POST", "/admin/time-zone", post(admin::set_time_zone)),
        ("POST", "/admin/contact", post(admin::set_contact)),
        ("POST", "/admin/sso", post(admin::set_sso)),
        ("POST", "/admin/sso/remove", post(admin::remove_sso)),
        ("GET", "/proposals", get(proposals::queue)),
        ("GET", "/progression/rules", get(proposals::rules)),
        ("GET", "/proposals/{proposal_id}/edit", get(proposals::edit_page)),
        ("POST", "/patients/{patient_id}/proposals", post(proposals::decide)),
        ("POST", "/patients/{patient_id}/proposals/{proposal_id}/edit", post(proposals::edit)),
        ("POST", "/patients/{patient_id}/progression-settings", post(proposals::settings)),
        ("GET", "/static/app.css", get(stylesheet)),
        ("GET", "/messages", get(messages::show)),
        ("POST", "/messages", post(messages::send)),
        ("POST", "/patients/{patient_id}/messages", post(messages::reply)),
        ("GET", "/inbox", get(inbox::show)),
        ("POST", "/patients/{patient_id}/contacts", post(contacts::log)),
        ("POST", "/patients/{patient_id}/phone", post(contacts::set_phone)),
        ("GET", "/my-record", get(rights::show)),
        ("GET", "/my-record/download", get(rights::download)),
        ("GET", "/patients/{patient_id}/erase", get(rights::erase_page)),
        ("POST", "/patients/{patient_id}/erase", post(rights::erase)),
        ("GET", "/account/tokens", get(tokens::show)),
        ("POST", "/account/tokens", post(tokens::create)),
        ("POST", "/account/tokens/{token_id}/revoke", post(tokens::revoke)),
    ]
}

/// (method, path) of every page route.
pub fn routes() -> Vec<(&'static str, &'static str)> {
    table().into_iter().map(|(m, p, _)| (m, p)).collect()
}

pub fn router() -> Router<AppState> {
    table().into_iter().fold(Router::new(), |r, (_, path, mr)| r.route(path, mr))
}

async fn stylesheet() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("../../assets/app.css"))
}

/// Where each role starts.
pub(crate) fn home_of(role: Role) -> &'static str {
    match role {
        Role::Patient => "/home",
        Role::Clinician => "/caseload",
        Role::Admin => "/admin",
    }
}

async fn root(MaybePrincipal(p): MaybePrincipal) -> Redirect {
    Redirect::to(p.map_or("/login", |p| home_of(p.role())))
}

/// An error shown as a page. "Not signed in" becomes a trip to the sign-in page.
#[derive(Debug)]
pub(crate) struct PageError(pub(crate) ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError(e)
    }
}

impl From<physio_store::StoreError> for PageError {
    fn from(e: physio_store::StoreError) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let e = self.0;
        if matches!(e, ApiError::Unauthorized) {
            return Redirect::to("/login").into_response();
        }
        // A staff member whose clinic now requires two-step sign-in: signing in again takes
        // them through setting it up.
        if matches!(&e, ApiError::Forbidden(m) if m == crate::auth::SET_UP_TWO_STEP) {
            return Redirect::to("/login").into_response();
        }
        if let ApiError::Internal(detail) = &e {
            tracing::error!(error = %detail, "internal error");
        }
        let status = e.status();
        let (title, text) = match status {
            StatusCode::FORBIDDEN if matches!(&e, ApiError::Forbidden(m) if m.contains("care team")) => {
                (
                    "You do not have access to this patient",
                    "Only the clinicians on a patient's care team can open their record. If you \
                 should be on it, ask your clinic admin to add you.",
                )
            }
            StatusCode::FORBIDDEN => {
                ("You cannot open this page", "Your account does not have access to this page.")
            }
            StatusCode::NOT_FOUND => {
                ("Page not found", "Check the address, or go back to your start page.")
            }
            StatusCode::INTERNAL_SERVER_ERROR => {
                ("Sorry, something went wrong", "Please try again in a few minutes.")
            }
            _ => ("This did not work", ""),
        };
        let detail = e.detail().message;
        let body = html! {
            h1 { (title) }
            @if !text.is_empty() { p { (text) } }
            @if status.is_client_error() && status != StatusCode::NOT_FOUND { p.hint { "Reason: " (detail) } }
            p { a href="/" { "Go to your start page" } }
        };
        let mut res = (status, layout::page(title, None, body.clone())).into_response();
        res.extensions_mut().insert(ErrorPage { title, body });
        res
    }
}

/// What an error page showed, so that `error_nav` can draw it again with the navigation of
/// whoever asked (the error itself does not know).
#[derive(Clone)]
struct ErrorPage {
    title: &'static str,
    body: maud::Markup,
}

/// Gives an error page the signed-in user's navigation and sign-out button, as every other page
/// has; anyone not signed in gets it as it was.
pub(crate) async fn error_nav(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = req.uri().path();
    if path.starts_with("/api/") || path.starts_with("/web/") || path.starts_with("/static/") {
        return next.run(req).await;
    }
    let headers = req.headers().clone();
    let res = next.run(req).await;
    let Some(page) = res.extensions().get::<ErrorPage>().cloned() else { return res };
    let Ok(mut p) = crate::auth::authenticate(&headers, &state).await else { return res };
    p.nav = nav_counts(&state, &p).await.unwrap_or_default();
    let (mut parts, _) = res.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let html = layout::page(page.title, Some(&p), page.body).into_string();
    Response::from_parts(parts, axum::body::Body::from(html))
}

/// A signed-in user for a page; anyone else is sent to sign in.
pub(crate) struct PageUser(pub(crate) Principal);

impl FromRequestParts<AppState> for PageUser {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let mut p = Principal::from_request_parts(parts, state).await?;
        p.nav = nav_counts(state, &p).await?;
        Ok(PageUser(p))
    }
}

/// The counts beside the navigation's links, for a page request (never an API request: they
/// cost a query or two). The one place to load another count.
async fn nav_counts(state: &AppState, p: &Principal) -> Result<NavCounts, ApiError> {
    Ok(NavCounts {
        messages: crate::care::messages::nav_count(state, p).await?,
        inbox: crate::care::alerts::nav_count(state, p).await?,
    })
}

impl PageUser {
    /// Refuses (and audits the refusal) unless the user has `role`.
    pub(crate) async fn require(
        &self,
        state: &AppState,
        role: Role,
        page: &str,
    ) -> Result<(), PageError> {
        if self.0.role() == role {
            return Ok(());
        }
        state.audit(self.0.actor(), "view", page, None, physio_store::AuditOutcome::Denied).await?;
        Err(PageError(ApiError::forbidden()))
    }
}

pub(crate) type PageResult = Result<Response, PageError>;

/// `axum::Form` whose rejections are error pages naming what was wrong with the form, in the
/// site's layout (axum's own are plain text).
pub(crate) struct Form<T>(pub(crate) T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S> for Form<T> {
    type Rejection = PageError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, PageError> {
        use axum::extract::rejection::FormRejection;
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Form(v)),
            Err(
                e @ (FormRejection::FailedToDeserializeForm(_)
                | FormRejection::FailedToDeserializeFormBody(_)),
            ) => Err(PageError(ApiError::BadRequest(format!(
                "the form was not filled in as expected: {}",
                e.body_text()
                    .trim_start_matches("Failed to deserialize form body: ")
                    .trim_start_matches("Failed to deserialize form: ")
            )))),
            Err(FormRejection::InvalidFormContentType(_)) => {
                Err(PageError(ApiError::UnsupportedMediaType("send the form as a web form".into())))
            }
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(PageError(ApiError::PayloadTooLarge))
            }
            Err(e) => Err(PageError(ApiError::BadRequest(e.body_text()))),
        }
    }
}
