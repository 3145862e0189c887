//! The account pages: "Your account" (a hub every role reaches from the header, with a section
//! per topic that others can add to), changing the password, the sessions you are signed in
//! with, and, for someone not signed in, "Forgot your password?" and the page a reset or
//! invitation link opens.

use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect},
};
use maud::{Markup, html};
use serde::Deserialize;

use super::Form;
use crate::{
    auth::{self, MaybePrincipal, Principal, links},
    care,
    error::ApiError,
    http::ClientIp,
    pages::{
        PageResult, PageUser,
        layout::{FieldError, csrf_field, error_summary, field_error, page, sentence},
    },
    state::AppState,
};

/// A short hint under every new-password field.
const PASSWORD_HINT: &str = "At least 12 characters. Three or four unrelated words are easy to \
                             remember and hard to guess. Do not use your name or e-mail address.";

/// One section of the account page: a heading, a sentence, a link. Another topic (two-factor
/// sign-in, passkeys) is one more entry in [`sections`].
struct Section {
    title: &'static str,
    text: &'static str,
    href: &'static str,
    link: &'static str,
}

fn sections() -> Vec<Section> {
    vec![
        Section {
            title: "Password",
            text: "Change the password you sign in with.",
            href: "/account/password",
            link: "Change your password",
        },
        Section {
            title: "Where you are signed in",
            text: "See the devices and browsers you are signed in on, and sign out of the others.",
            href: "/account/sessions",
            link: "See where you are signed in",
        },
        Section {
            title: "Two-step sign-in",
            text: "Ask for a code from an app on your phone as well as your password.",
            href: "/account/two-step",
            link: "Set up two-step sign-in",
        },
        Section {
            title: "Passkeys",
            text: "Sign in with your fingerprint, face or phone PIN instead of a password.",
            href: "/account/passkeys",
            link: "Manage your passkeys",
        },
        Section {
            title: "API tokens",
            text: "Keys that let another program use your account, for clinics that connect their own software.",
            href: "/account/tokens",
            link: "Manage API tokens",
        },
    ]
}

pub(crate) async fn show(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    let a = care::account::get(&state, &p).await?;
    let body = html! {
        h1 { "Your account" }
        @if a.must_change_password {
            div.notice role="status" {
                "Your password was chosen for you. Please "
                a href="/account/password" { "choose your own password" } "."
            }
        }
        dl.summary-list {
            div { dt { "Name" } dd { (a.user.name) } }
            div { dt { "E-mail address" } dd { (a.user.email) } }
        }
        @for s in sections() {
            section aria-labelledby={ "account-" (s.href.trim_start_matches("/account/")) } {
                h2 id={ "account-" (s.href.trim_start_matches("/account/")) } { (s.title) }
                p { (s.text) }
                p { a href=(s.href) { (s.link) } }
            }
        }
    };
    Ok(page("Your account", Some(&p), body).into_response())
}

fn field_class(errors: &[FieldError], f: &str) -> &'static str {
    if errors.iter().any(|e| e.field == f) { "field field-invalid" } else { "field" }
}

fn password_form(p: &Principal, errors: &[FieldError], must_change: bool) -> Markup {
    let invalid = |f: &str| errors.iter().any(|e| e.field == f);
    html! {
        (error_summary(errors))
        p { a.back-link href="/account" { "Back to your account" } }
        h1 { "Change your password" }
        @if must_change {
            p { "Your password was chosen for you. Choose your own now, one that only you know." }
        }
        p { "When you change it, you stay signed in here and are signed out everywhere else." }
        form method="post" action="/account/password" novalidate {
            (csrf_field(p))
            input type="text" name="username" autocomplete="username" value=(p.user.email) hidden;
            div class=(field_class(errors, "current_password")) {
                label for="current_password" { "Current password" }
                (field_error(errors, "current_password"))
                input #current_password type="password" name="current_password"
                    autocomplete="current-password" aria-invalid=(invalid("current_password"));
            }
            div class=(field_class(errors, "new_password")) {
                label for="new_password" { "New password" }
                p.hint #new_password-hint { (PASSWORD_HINT) }
                (field_error(errors, "new_password"))
                input #new_password type="password" name="new_password" autocomplete="new-password"
                    aria-describedby="new_password-hint" aria-invalid=(invalid("new_password"));
            }
            button.button type="submit" { "Change password" }
        }
    }
}

pub(crate) async fn password_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
) -> PageResult {
    let must_change = state.store().must_change_password(p.user.id).await?;
    Ok(page("Change your password", Some(&p), password_form(&p, &[], must_change)).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

/// An API refusal as the form's error, when it names one of the form's fields.
fn as_field_error(e: ApiError, fields: &[&'static str]) -> Result<FieldError, ApiError> {
    match e {
        ApiError::Invalid { field, message } if fields.contains(&field) => {
            Ok(FieldError { field, message: sentence(&message) })
        }
        e => Err(e),
    }
}

pub(crate) async fn change_password(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    match care::account::change_password(&state, &p, &f.current_password, &f.new_password).await {
        Ok(_) => Ok(Redirect::to("/account/sessions?changed=1").into_response()),
        Err(e) => {
            let err = as_field_error(e, &["current_password", "new_password"])?;
            let must_change = state.store().must_change_password(p.user.id).await?;
            let body = password_form(&p, &[err], must_change);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page("Change your password", Some(&p), body))
                .into_response())
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct SessionsQuery {
    changed: Option<String>,
    ended: Option<u64>,
}

pub(crate) async fn sessions(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<SessionsQuery>,
) -> PageResult {
    let list = care::account::sessions(&state, &p).await?;
    let z = care::clinic::zone(&state, p.user.clinic_id).await?;
    let others = list.iter().filter(|s| !s.current).count();
    let body = html! {
        p { a.back-link href="/account" { "Back to your account" } }
        h1 { "Where you are signed in" }
        @if q.changed.is_some() {
            div.notice role="status" {
                "Your password is changed. You are still signed in here, and signed out everywhere else."
            }
        }
        @if let Some(n) = q.ended {
            div.notice role="status" {
                @if n == 1 { "Signed out of 1 other place." } @else { "Signed out of " (n) " other places." }
            }
        }
        p { "Each sign-in on a phone, tablet or computer is listed here. If you see one that is not yours, sign out everywhere else and change your password." }
        ul.signed-in-list {
            @for s in &list {
                li {
                    strong { @if s.current { "This device (where you are now)" } @else { "Another sign-in" } }
                    br;
                    "Signed in " (z.date_time(s.started_at)) ", last active " (z.date_time(s.last_active_at))
                }
            }
        }
        @if others > 0 {
            form method="post" action="/account/sessions/sign-out-others" {
                (csrf_field(&p))
                button.button type="submit" { "Sign out everywhere else" }
            }
        } @else {
            p { "You are not signed in anywhere else." }
        }
    };
    Ok(page("Where you are signed in", Some(&p), body).into_response())
}

pub(crate) async fn sign_out_others(
    State(state): State<AppState>,
    PageUser(p): PageUser,
) -> PageResult {
    let n = care::account::sign_out_others(&state, &p).await?;
    Ok(Redirect::to(&format!("/account/sessions?ended={n}")).into_response())
}

fn forgot_form(email: &str, errors: &[FieldError]) -> Markup {
    let invalid = |f: &str| errors.iter().any(|e| e.field == f);
    html! {
        (error_summary(errors))
        h1 { "Forgot your password?" }
        p { "Enter the e-mail address you sign in with. We will send you a link to choose a new password." }
        form method="post" action="/forgot-password" novalidate {
            div class=(field_class(errors, "email")) {
                label for="email" { "Email address" }
                (field_error(errors, "email"))
                input #email type="email" name="email" autocomplete="username" spellcheck="false"
                    value=(email) aria-invalid=(invalid("email"));
            }
            button.button type="submit" { "Send me a link" }
        }
        p { a href="/login" { "Back to sign in" } }
    }
}

/// What the page says when the server cannot send e-mail.
fn no_email() -> Markup {
    html! {
        h1 { "Forgot your password?" }
        p { "This clinic has not set up e-mail, so we cannot send you a link." }
        p { "Please contact your clinic. They can send you a new link to choose your password." }
        p { a href="/login" { "Back to sign in" } }
    }
}

pub(crate) async fn forgot(
    State(state): State<AppState>,
    MaybePrincipal(p): MaybePrincipal,
) -> PageResult {
    if p.is_some() {
        return Ok(Redirect::to("/account/password").into_response());
    }
    let body = if links::can_email_links(&state) { forgot_form("", &[]) } else { no_email() };
    Ok(page("Forgot your password?", None, body).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct ForgotForm {
    #[serde(default)]
    email: String,
}

pub(crate) async fn send_reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<ForgotForm>,
) -> PageResult {
    let rid = auth::request_id(&headers);
    let errors = match links::request_reset(&state, &f.email, ip, rid.as_deref()).await {
        Ok(()) => {
            let body = html! {
                h1 { "Check your e-mail" }
                div.notice role="status" { (links::RESET_ANSWER) }
                p { "If nothing arrives in a few minutes, check your spam folder, or contact your clinic." }
                p { a href="/login" { "Back to sign in" } }
            };
            return Ok(page("Check your e-mail", None, body).into_response());
        }
        Err(ApiError::Conflict(_)) => {
            return Ok((StatusCode::CONFLICT, page("Forgot your password?", None, no_email()))
                .into_response());
        }
        Err(ApiError::TooManyRequests { message, .. }) => {
            vec![FieldError { field: "email", message: sentence(&message) }]
        }
        Err(e) => vec![as_field_error(e, &["email"])?],
    };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        page("Forgot your password?", None, forgot_form(&f.email, &errors)),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct LinkQuery {
    #[serde(default)]
    token: String,
}

/// The page a used or expired link opens.
fn link_unusable() -> Markup {
    html! {
        h1 { "This link no longer works" }
        p { "The link has already been used, or it is too old. Links to choose a password work once, for a short time." }
        p { a href="/forgot-password" { "Ask for a new link" } }
        p { "If you were invited by your clinic, ask them to send you a new invitation." }
    }
}

fn set_form(
    who: Option<&Principal>,
    token: &str,
    email: &str,
    invitation: bool,
    errors: &[FieldError],
) -> Markup {
    let invalid = |f: &str| errors.iter().any(|e| e.field == f);
    html! {
        (error_summary(errors))
        h1 { @if invitation { "Choose your password" } @else { "Choose a new password" } }
        p { "For the account " strong { (email) } "." }
        form method="post" action="/set-password" novalidate {
            @if let Some(p) = who { (csrf_field(p)) }
            input type="hidden" name="token" value=(token);
            input type="text" name="username" autocomplete="username" value=(email) hidden;
            div class=(field_class(errors, "password")) {
                label for="password" { "New password" }
                p.hint #password-hint { (PASSWORD_HINT) }
                (field_error(errors, "password"))
                input #password type="password" name="password" autocomplete="new-password"
                    aria-describedby="password-hint" aria-invalid=(invalid("password"));
            }
            button.button type="submit" { "Save password" }
        }
    }
}

pub(crate) async fn set_page(
    State(state): State<AppState>,
    MaybePrincipal(who): MaybePrincipal,
    Query(q): Query<LinkQuery>,
) -> PageResult {
    match links::usable_link(&state, &q.token).await {
        Ok((t, u)) => {
            let invitation = t.purpose == physio_store::AccountTokenPurpose::Invitation;
            let body = set_form(who.as_ref(), &q.token, &u.email, invitation, &[]);
            Ok(page("Choose a password", who.as_ref(), body).into_response())
        }
        Err(ApiError::Invalid { field: "token", .. }) => {
            Ok((StatusCode::GONE, page("This link no longer works", who.as_ref(), link_unusable()))
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct SetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

pub(crate) async fn set_password(
    State(state): State<AppState>,
    MaybePrincipal(who): MaybePrincipal,
    headers: HeaderMap,
    Form(f): Form<SetForm>,
) -> PageResult {
    let rid = auth::request_id(&headers);
    match links::set_password_with_link(&state, &f.token, &f.password, rid.as_deref()).await {
        Ok(_) => {
            let body = html! {
                h1 { "Your password is saved" }
                div.notice role="status" { "You can now sign in with your e-mail address and your new password." }
                p { a.button href="/login" { "Sign in" } }
            };
            Ok(page("Your password is saved", None, body).into_response())
        }
        Err(ApiError::Invalid { field: "token", .. }) => {
            Ok((StatusCode::GONE, page("This link no longer works", who.as_ref(), link_unusable()))
                .into_response())
        }
        Err(e) => {
            let err = as_field_error(e, &["password"])?;
            let (t, u) = links::usable_link(&state, &f.token).await?;
            let invitation = t.purpose == physio_store::AccountTokenPurpose::Invitation;
            let body = set_form(who.as_ref(), &f.token, &u.email, invitation, &[err]);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page("Choose a password", who.as_ref(), body))
                .into_response())
        }
    }
}
