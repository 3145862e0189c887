//! Two-step sign-in pages: the second step after the password (a code from the authenticator
//! app, a recovery code, or a passkey), setting up the app when the clinic requires it before
//! the first session, and the account's "Two-step sign-in" and "Passkeys" pages. Codes work
//! without JavaScript; passkeys need the browser's WebAuthn, driven by `/web/passkeys.js`.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect},
};
use axum_extra::extract::CookieJar;
use maud::{Markup, PreEscaped, html};
use physio_store::PendingPurpose;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    auth::{self, Code, PENDING_COOKIE, Principal, passkey},
    care,
    error::ApiError,
    pages::{
        Form, PageError, PageResult, PageUser, home_of,
        layout::{FieldError, csrf_field, error_summary, field_error, page, sentence},
    },
    state::AppState,
};

fn pending_secret(jar: &CookieJar) -> Option<String> {
    jar.get(PENDING_COOKIE).map(|c| c.value().to_owned())
}

/// Where a refusal of the pending sign-in goes: an ended sign-in back to the password, with
/// the reason; anything else is an error page.
fn ended(state: &AppState, jar: CookieJar, e: ApiError) -> PageResult {
    match e {
        ApiError::Forbidden(message) => {
            let body = html! {
                h1 { "Sign in again" }
                p { (sentence(&message)) "." }
                p { a.button href="/login" { "Sign in" } }
            };
            let jar = jar.add(auth::pending_removal_cookie(state));
            Ok((StatusCode::FORBIDDEN, jar, page("Sign in again", None, body)).into_response())
        }
        e => Err(PageError(e)),
    }
}

fn field_class(errors: &[FieldError], f: &str) -> &'static str {
    if errors.iter().any(|e| e.field == f) { "field field-invalid" } else { "field" }
}

fn code_input(errors: &[FieldError], id: &'static str, label: &str, hint: &str) -> Markup {
    let invalid = errors.iter().any(|e| e.field == id);
    html! {
        div class=(field_class(errors, id)) {
            label for=(id) { (label) }
            p.hint id={ (id) "-hint" } { (hint) }
            (field_error(errors, id))
            @if id == "code" {
                input #code .input-code type="text" name="code" inputmode="numeric"
                    autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="7" spellcheck="false"
                    aria-describedby="code-hint" aria-invalid=(invalid);
            } @else {
                input id=(id) type="text" name=(id) autocomplete="off" spellcheck="false"
                    autocapitalize="none" aria-describedby={ (id) "-hint" } aria-invalid=(invalid);
            }
        }
    }
}

/// The second-step page: the app code first, a recovery code, a passkey if the user has one.
fn verify_form(errors: &[FieldError], has_app: bool, has_passkey: bool) -> Markup {
    html! {
        (error_summary(errors))
        h1 { "Confirm it is you" }
        @if has_app {
            p { "Open the authenticator app on your phone and type the 6-digit code it shows for Physio." }
            form method="post" action="/login/two-step" novalidate {
                (code_input(errors, "code", "6-digit code", "The code changes every 30 seconds. Each code works once."))
                button.button type="submit" { "Continue" }
            }
        }
        @if has_passkey {
            section.passkey-step aria-labelledby="passkey-step-title" {
                h2 #passkey-step-title { "Use your passkey" }
                p { "Use the fingerprint, face or PIN you set up for this device or security key." }
                p #passkey-status .passkey-status role="status" aria-live="polite" {}
                button #passkey-second-step .button type="button" hidden { "Use my passkey" }
                noscript { p.hint { "Passkeys need JavaScript in your browser." } }
            }
        }
        @if has_app {
            details.recovery open[errors.iter().any(|e| e.field == "recovery_code")] {
                summary { "I cannot use my phone" }
                p { "Type one of the recovery codes you saved when you set up two-step sign-in. Each works once." }
                form method="post" action="/login/two-step/recovery" novalidate {
                    (code_input(errors, "recovery_code", "Recovery code", "For example k7m2p-9xqr4."))
                    button.button-secondary type="submit" { "Use recovery code" }
                }
            }
        }
        p { a href="/login" { "Start again with your password" } }
        @if has_passkey { script type="module" src="/web/passkeys.js" {} }
    }
}

pub(crate) async fn show_verify(State(state): State<AppState>, jar: CookieJar) -> PageResult {
    let secret = pending_secret(&jar);
    let (p, user) = match auth::pending(&state, secret.as_deref()).await {
        Ok(x) => x,
        Err(e) => return ended(&state, jar, e),
    };
    if p.purpose == PendingPurpose::Enrol {
        return Ok(Redirect::to("/login/two-step/setup").into_response());
    }
    let f = state.store().second_factors(user.id).await?;
    Ok(page("Confirm it is you", None, verify_form(&[], f.totp, f.passkeys > 0)).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct CodeForm {
    #[serde(default)]
    code: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RecoveryForm {
    #[serde(default)]
    recovery_code: String,
}

async fn verify(state: AppState, headers: HeaderMap, jar: CookieJar, code: Code<'_>) -> PageResult {
    let secret = pending_secret(&jar);
    let rid = auth::request_id(&headers);
    match auth::verify_code(&state, secret.as_deref(), code, rid.as_deref()).await {
        Ok(s) => {
            let home = home_of(s.user.role);
            let jar = jar
                .add(auth::session_cookie(&state, s.secret))
                .add(auth::pending_removal_cookie(&state));
            Ok((jar, Redirect::to(home)).into_response())
        }
        Err(ApiError::Invalid { field, message }) => {
            let errors = [FieldError { field, message: format!("{}.", sentence(&message)) }];
            let (_, user) = match auth::pending(&state, secret.as_deref()).await {
                Ok(x) => x,
                Err(e) => return ended(&state, jar, e),
            };
            let f = state.store().second_factors(user.id).await?;
            let body = verify_form(&errors, f.totp, f.passkeys > 0);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page("Confirm it is you", None, body))
                .into_response())
        }
        Err(e) => ended(&state, jar, e),
    }
}

pub(crate) async fn submit_code(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Form(f): Form<CodeForm>,
) -> PageResult {
    verify(state, headers, jar, Code::App(&f.code)).await
}

pub(crate) async fn submit_recovery(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Form(f): Form<RecoveryForm>,
) -> PageResult {
    verify(state, headers, jar, Code::Recovery(&f.recovery_code)).await
}

/// The QR code, the secret as text, and what to do with them.
fn app_setup(secret: &str, email: &str) -> Result<Markup, ApiError> {
    let url = auth::otpauth_url(secret, email)?;
    let svg = auth::qr_svg(&url)?;
    let grouped: Vec<String> =
        secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    Ok(html! {
        ol.steps {
            li { "Install an authenticator app on your phone if you do not have one (for example Google Authenticator, Microsoft Authenticator or FreeOTP)." }
            li { "In the app, choose to add an account and scan this code with your phone's camera." }
        }
        figure.qr {
            // The SVG is drawn here from the secret; nothing outside the server sees it.
            div.qr-code role="img" aria-label="QR code for your authenticator app" { (PreEscaped(svg)) }
            figcaption {
                "Cannot scan it? Type this key into the app instead:"
                br;
                code.secret { (grouped.join(" ")) }
            }
        }
    })
}

fn setup_page(
    errors: &[FieldError],
    secret: &str,
    email: &str,
    action: &str,
    csrf: Option<&Principal>,
) -> Result<Markup, ApiError> {
    Ok(html! {
        (error_summary(errors))
        h1 { "Set up two-step sign-in" }
        @if csrf.is_none() {
            p { "Your clinic asks staff to confirm it is them with a second step each time they sign in. It takes two minutes, once." }
        }
        (app_setup(secret, email)?)
        form method="post" action=(action) novalidate {
            @if let Some(p) = csrf { (csrf_field(p)) }
            (code_input(errors, "code", "Type the 6-digit code the app shows", "This confirms the app is set up."))
            button.button type="submit" { "Confirm" }
        }
    })
}

pub(crate) async fn show_setup(State(state): State<AppState>, jar: CookieJar) -> PageResult {
    let secret = pending_secret(&jar);
    let (user, totp) = match auth::pending_enrolment(&state, secret.as_deref()).await {
        Ok(x) => x,
        Err(e) => return ended(&state, jar, e),
    };
    let body = setup_page(&[], &totp, &user.email, "/login/two-step/setup", None)?;
    Ok(page("Set up two-step sign-in", None, body).into_response())
}

/// The recovery codes, shown once, with where to go next.
fn codes_page(codes: &[String], next: &str) -> Markup {
    html! {
        h1 { "Save your recovery codes" }
        p { "If you lose your phone, each of these codes lets you sign in once instead of a code from the app. This is the only time they are shown." }
        p { strong { "Print them or write them down, and keep them somewhere safe." } }
        ul.recovery-codes {
            @for c in codes { li { code { (c) } } }
        }
        p { a.button href=(next) { "I have saved them – continue" } }
    }
}

pub(crate) async fn submit_setup(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Form(f): Form<CodeForm>,
) -> PageResult {
    let secret = pending_secret(&jar);
    let rid = auth::request_id(&headers);
    match auth::enrol_and_sign_in(&state, secret.as_deref(), &f.code, rid.as_deref()).await {
        Ok((s, codes)) => {
            let home = home_of(s.user.role);
            let jar = jar
                .add(auth::session_cookie(&state, s.secret))
                .add(auth::pending_removal_cookie(&state));
            Ok((jar, page("Save your recovery codes", None, codes_page(&codes, home)))
                .into_response())
        }
        Err(ApiError::Invalid { field, message }) => {
            let errors = [FieldError { field, message: format!("{}.", sentence(&message)) }];
            let (user, totp) = match auth::pending_enrolment(&state, secret.as_deref()).await {
                Ok(x) => x,
                Err(e) => return ended(&state, jar, e),
            };
            let body = setup_page(&errors, &totp, &user.email, "/login/two-step/setup", None)?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page("Set up two-step sign-in", None, body))
                .into_response())
        }
        Err(e) => ended(&state, jar, e),
    }
}

/// The links between the account's sign-in pages.
fn account_links(current: &str) -> Markup {
    html! {
        nav.sub-nav aria-label="Sign-in security" {
            ul {
                @for (href, label) in [("/account/two-step", "Two-step sign-in"), ("/account/passkeys", "Passkeys")] {
                    li {
                        @if href == current { a href=(href) aria-current="page" { (label) } }
                        @else { a href=(href) { (label) } }
                    }
                }
            }
        }
    }
}

fn password_input(errors: &[FieldError], id: &'static str) -> Markup {
    let invalid = errors.iter().any(|e| e.field == id);
    html! {
        div class=(field_class(errors, id)) {
            label for=(id) { "Your password" }
            (field_error(errors, id))
            input id=(id) type="password" name="password" autocomplete="current-password"
                aria-invalid=(invalid);
        }
    }
}

async fn two_step_page(
    state: &AppState,
    p: &Principal,
    errors: &[FieldError],
) -> Result<Markup, ApiError> {
    let f = state.store().second_factors(p.user.id).await?;
    let waiting = state.store().totp_factor(p.user.id).await?.filter(|t| t.confirmed_at.is_none());
    let required = auth::required_of(state, &p.user).await?;
    let body = html! {
        (error_summary(errors))
        h1 { "Two-step sign-in" }
        (account_links("/account/two-step"))
        p { "With two-step sign-in, signing in needs your password and a second step: a code from an app on your phone, or a passkey. Someone who learns your password still cannot get in." }
        @if required { p.notice { "Your clinic requires two-step sign-in for staff." } }
        @if f.totp {
            h2 { "Authenticator app: on" }
            p { "You have " (f.recovery_codes_left) " unused recovery code" @if f.recovery_codes_left != 1 { "s" } "." }
            form method="post" action="/account/two-step/recovery-codes" novalidate {
                (csrf_field(p))
                h3 { "Get new recovery codes" }
                p.hint { "Your old codes stop working." }
                (password_input(errors, "renew_password"))
                button.button-secondary type="submit" { "Get new recovery codes" }
            }
            form method="post" action="/account/two-step/app/off" novalidate {
                (csrf_field(p))
                h3 { "Turn off the authenticator app" }
                (password_input(errors, "off_password"))
                button.button-secondary type="submit" { "Turn off" }
            }
        } @else if let Some(t) = waiting {
            h2 { "Set up the authenticator app" }
            (app_setup(&t.secret, &p.user.email)?)
            form method="post" action="/account/two-step/app/confirm" novalidate {
                (csrf_field(p))
                (code_input(errors, "code", "Type the 6-digit code the app shows", "This confirms the app is set up."))
                button.button type="submit" { "Confirm" }
            }
        } @else {
            h2 { "Authenticator app: off" }
            form method="post" action="/account/two-step/app" {
                (csrf_field(p))
                button.button type="submit" { "Set up an authenticator app" }
            }
        }
        p { "Passkeys: " (f.passkeys) ". " a href="/account/passkeys" { "Manage passkeys" } }
    };
    Ok(body)
}

pub(crate) async fn show_account(
    State(state): State<AppState>,
    PageUser(p): PageUser,
) -> PageResult {
    let body = two_step_page(&state, &p, &[]).await?;
    Ok(page("Two-step sign-in", Some(&p), body).into_response())
}

/// The account page again with what went wrong on `field`.
async fn account_failed(
    state: &AppState,
    p: &Principal,
    field: &'static str,
    e: ApiError,
) -> PageResult {
    let message = match e {
        ApiError::Invalid { message, .. } | ApiError::Conflict(message) => message,
        e => return Err(PageError(e)),
    };
    let errors = [FieldError { field, message: format!("{}.", sentence(&message)) }];
    let body = two_step_page(state, p, &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page("Two-step sign-in", Some(p), body)).into_response())
}

pub(crate) async fn start_app(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    match care::two_step::start_app(&state, &p).await {
        Ok(_) => Ok(Redirect::to("/account/two-step").into_response()),
        Err(e) => account_failed(&state, &p, "code", e).await,
    }
}

pub(crate) async fn confirm_app(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<CodeForm>,
) -> PageResult {
    match care::two_step::confirm_app(&state, &p, &f.code).await {
        Ok(codes) => {
            let body = codes_page(&codes, "/account/two-step");
            Ok(page("Save your recovery codes", Some(&p), body).into_response())
        }
        Err(e) => account_failed(&state, &p, "code", e).await,
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    password: String,
}

pub(crate) async fn turn_off_app(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    match care::two_step::turn_off_app(&state, &p, &f.password).await {
        Ok(()) => Ok(Redirect::to("/account/two-step").into_response()),
        Err(e) => account_failed(&state, &p, "off_password", e).await,
    }
}

pub(crate) async fn renew_codes(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    match care::two_step::renew_codes(&state, &p, &f.password).await {
        Ok(codes) => {
            let body = codes_page(&codes, "/account/two-step");
            Ok(page("Save your recovery codes", Some(&p), body).into_response())
        }
        Err(e) => account_failed(&state, &p, "renew_password", e).await,
    }
}

async fn passkeys_page(
    state: &AppState,
    p: &Principal,
    errors: &[FieldError],
) -> Result<Markup, ApiError> {
    let keys = state.store().passkeys(p.user.id).await?;
    let zone = care::clinic::zone(state, p.user.clinic_id).await?;
    let when = |t: time::OffsetDateTime| {
        let local = zone.local(t);
        format!("{} {} {}", local.day(), local.month(), local.year())
    };
    Ok(html! {
        (error_summary(errors))
        h1 { "Passkeys" }
        (account_links("/account/passkeys"))
        p { "A passkey lets you sign in with your fingerprint, face or phone PIN instead of typing your password. It stays on your device; Physio only keeps a key that cannot be used to sign in by itself." }
        @if keys.is_empty() {
            p { "You have no passkeys yet." }
        } @else {
            ul.passkey-list {
                @for k in &keys {
                    li {
                        strong { (k.name) }
                        span.hint-inline { " – added " (when(k.created_at))
                            @if let Some(u) = k.last_used_at { ", last used " (when(u)) } }
                    }
                }
            }
            form.passkey-remove method="post" action="/account/passkeys/remove" novalidate {
                (csrf_field(p))
                h2 { "Remove a passkey" }
                div.field {
                    label for="passkey_id" { "Which passkey" }
                    select #passkey_id name="passkey_id" {
                        @for k in &keys { option value=(k.id) { (k.name) } }
                    }
                }
                (password_input(errors, "password"))
                button.button-secondary type="submit" { "Remove passkey" }
            }
        }
        section.passkey-add aria-labelledby="add-title" {
            h2 #add-title { "Add a passkey" }
            form #passkey-add-form novalidate {
                (csrf_field(p))
                div.field {
                    label for="passkey-name" { "Name it so you can tell it apart" }
                    p.hint #passkey-name-hint { "For example: My phone." }
                    input #passkey-name type="text" name="name" maxlength="60" aria-describedby="passkey-name-hint";
                }
                p #passkey-status .passkey-status role="status" aria-live="polite" {}
                button #passkey-add .button type="submit" hidden { "Add a passkey" }
                noscript { p.hint { "Adding a passkey needs JavaScript in your browser." } }
            }
        }
        script type="module" src="/web/passkeys.js" {}
    })
}

pub(crate) async fn show_passkeys(
    State(state): State<AppState>,
    PageUser(p): PageUser,
) -> PageResult {
    let body = passkeys_page(&state, &p, &[]).await?;
    Ok(page("Passkeys", Some(&p), body).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct RemoveForm {
    passkey_id: Uuid,
    #[serde(default)]
    password: String,
}

pub(crate) async fn remove_passkey(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<RemoveForm>,
) -> PageResult {
    match passkey::remove(&state, &p, f.passkey_id, &f.password).await {
        Ok(()) => Ok(Redirect::to("/account/passkeys").into_response()),
        Err(e) => {
            let message = match e {
                ApiError::Invalid { message, .. } | ApiError::Conflict(message) => message,
                e => return Err(PageError(e)),
            };
            let errors =
                [FieldError { field: "password", message: format!("{}.", sentence(&message)) }];
            let body = passkeys_page(&state, &p, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page("Passkeys", Some(&p), body)).into_response())
        }
    }
}
