//! Sign-in and sign-out pages.

use super::Form;
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect},
};
use axum_extra::extract::CookieJar;
use maud::{Markup, html};
use serde::Deserialize;

use crate::{
    auth::{self, MaybePrincipal},
    error::ApiError,
    http::ClientIp,
    pages::{
        PageResult, PageUser, home_of,
        layout::{FieldError, error_summary, field_error, page},
    },
    state::AppState,
};

#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

fn form(email: &str, errors: &[FieldError]) -> Markup {
    let invalid = |f: &str| errors.iter().any(|e| e.field == f);
    html! {
        (error_summary(errors))
        h1 { "Sign in" }
        p { "Sign in with the e-mail address and password your clinic gave you." }
        form method="post" action="/login" novalidate {
            div.field.(if invalid("email") { "field-invalid" } else { "" }) {
                label for="email" { "Email address" }
                (field_error(errors, "email"))
                input #email type="email" name="email" autocomplete="username" spellcheck="false"
                    value=(email) aria-invalid=(invalid("email"));
            }
            div.field.(if invalid("password") { "field-invalid" } else { "" }) {
                label for="password" { "Password" }
                (field_error(errors, "password"))
                input #password type="password" name="password" autocomplete="current-password"
                    aria-invalid=(invalid("password"));
            }
            button.button type="submit" { "Sign in" }
        }
        p { a href="/forgot-password" { "Forgot your password?" } }
        // Shown by /web/passkeys.js when the browser can use passkeys.
        section #passkey-sign-in-section .passkey-step hidden aria-labelledby="passkey-title" {
            h2 #passkey-title { "Or use a passkey" }
            p { "If you added a passkey to your account, sign in with your fingerprint, face or PIN instead of your password." }
            p #passkey-status .passkey-status role="status" aria-live="polite" {}
            button #passkey-sign-in .button-secondary type="button" { "Sign in with a passkey" }
        }
        script type="module" src="/web/passkeys.js" {}
        // Staff whose clinic set up single sign-on (pages::sso).
        p { a.button-secondary href="/sso" { "Sign in with your organisation" } }
    }
}

pub(crate) async fn show(MaybePrincipal(p): MaybePrincipal) -> PageResult {
    if let Some(p) = p {
        return Ok(Redirect::to(home_of(p.role())).into_response());
    }
    Ok(page("Sign in", None, form("", &[])).into_response())
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    jar: CookieJar,
    Form(f): Form<LoginForm>,
) -> PageResult {
    let mut errors = vec![];
    if f.email.trim().is_empty() {
        errors.push(FieldError { field: "email", message: "Enter your e-mail address".into() });
    }
    if f.password.is_empty() {
        errors.push(FieldError { field: "password", message: "Enter your password".into() });
    }
    if errors.is_empty() {
        let rid = auth::request_id(&headers);
        match auth::sign_in(&state, &f.email, &f.password, ip, rid.as_deref()).await {
            Ok(auth::SignInOutcome::SignedIn(s)) => {
                let jar = jar.add(auth::session_cookie(&state, s.secret));
                // A password an admin chose: the person chooses their own first.
                let to = if state.store().must_change_password(s.user.id).await? {
                    "/account/password"
                } else {
                    home_of(s.user.role)
                };
                return Ok((jar, Redirect::to(to)).into_response());
            }
            Ok(auth::SignInOutcome::SecondStep(step)) => {
                let next = match step.purpose {
                    physio_store::PendingPurpose::Verify => "/login/two-step",
                    physio_store::PendingPurpose::Enrol => "/login/two-step/setup",
                };
                let jar = jar.add(auth::pending_cookie(&state, step.secret));
                return Ok((jar, Redirect::to(next)).into_response());
            }
            Err(ApiError::Invalid { .. }) => errors.push(FieldError {
                field: "email",
                message: "The e-mail address or password is incorrect. Check them and try again."
                    .into(),
            }),
            Err(ApiError::TooManyRequests { message, .. }) => {
                let mut m = message;
                if let Some(c) = m.get_mut(0..1) {
                    c.make_ascii_uppercase();
                }
                errors.push(FieldError { field: "email", message: format!("{m}.") });
            }
            Err(e) => return Err(e.into()),
        }
    }
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    Ok((status, page("Sign in", None, form(&f.email, &errors))).into_response())
}

pub(crate) async fn logout(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    jar: CookieJar,
) -> PageResult {
    auth::sign_out(&state, &p).await?;
    Ok((jar.add(auth::removal_cookie(&state)), Redirect::to("/login")).into_response())
}
