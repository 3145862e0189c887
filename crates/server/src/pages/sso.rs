//! "Sign in with your organisation": staff who sign in at their organisation's OpenID Connect
//! provider instead of with a password here (docs/sso.md). The flow is `auth::oidc`; these
//! pages ask for the work e-mail address, send the browser on, and show why a sign-in was
//! refused.

use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect},
};
use axum_extra::extract::CookieJar;
use maud::{Markup, html};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    auth::{
        self, MaybePrincipal,
        oidc::{self, SsoError, SsoRefusal},
    },
    error::ApiPath,
    pages::{
        PageResult, home_of,
        layout::{FieldError, error_summary, field_error, page},
    },
    state::AppState,
};

const TITLE: &str = "Sign in with your organisation";

fn form(email: &str, errors: &[FieldError]) -> Markup {
    let invalid = !errors.is_empty();
    html! {
        (error_summary(errors))
        h1 { (TITLE) }
        p { "If your clinic has set this up, you can sign in with the account you use at work. We will send you to your organisation's sign-in page and bring you back here." }
        form method="get" action="/sso/start" novalidate {
            div.field.(if invalid { "field-invalid" } else { "" }) {
                label for="email" { "Work e-mail address" }
                p.hint #email-hint { "We use it to find your clinic." }
                (field_error(errors, "email"))
                input #email type="email" name="email" autocomplete="username" spellcheck="false"
                    value=(email) aria-describedby="email-hint" aria-invalid=(invalid);
            }
            button.button type="submit" { "Continue" }
        }
        p { "No account at work, or it does not let you in? " a href="/login" { "Sign in with your password" } " instead." }
    }
}

/// The policy of the page with the work-address form. Its answer redirects the browser to the
/// clinic's provider, and browsers hold a form's redirects to `form-action` too, so here it
/// also allows any `https:` site and plain HTTP on this machine (the only issuers the settings
/// accept). Everything else is the site-wide policy (`app::CSP`).
const FORM_CSP: (axum::http::HeaderName, &str) = (
    axum::http::header::CONTENT_SECURITY_POLICY,
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     object-src 'none'; base-uri 'none'; \
     form-action 'self' https: http://localhost:* http://127.0.0.1:* http://[::1]:*; \
     frame-ancestors 'none'",
);

/// The page that asks for the work e-mail address.
pub(crate) async fn show(MaybePrincipal(p): MaybePrincipal) -> PageResult {
    if let Some(p) = p {
        return Ok(Redirect::to(home_of(p.role())).into_response());
    }
    Ok(([FORM_CSP], page(TITLE, None, form("", &[]))).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct StartQuery {
    #[serde(default)]
    email: String,
}

/// Finds the clinic by the address's domain and sends the browser to its provider.
pub(crate) async fn start_by_email(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Query(q): Query<StartQuery>,
) -> PageResult {
    let email = q.email.trim();
    let again = |message: String| {
        let e = vec![FieldError { field: "email", message }];
        let page = page(TITLE, None, form(email, &e));
        Ok((StatusCode::UNPROCESSABLE_ENTITY, [FORM_CSP], page).into_response())
    };
    if !email.contains('@') {
        return again("Enter your work e-mail address, like name@clinic.example.org".into());
    }
    match oidc::clinic_for_email(&state, email).await {
        Ok(clinic) => go(&state, &headers, jar, clinic, Some(email)).await,
        Err(SsoError::Refused(SsoRefusal::UnknownDomain(d))) => again(format!(
            "No clinic here signs in with addresses at {d}. Check the address, or sign in with your password."
        )),
        Err(e) => refused(jar, e),
    }
}

/// A clinic's own link, for staff to bookmark: `/sso/{clinic_id}/start`.
pub(crate) async fn start_for_clinic(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    ApiPath(clinic_id): ApiPath<Uuid>,
) -> PageResult {
    go(&state, &headers, jar, clinic_id, None).await
}

async fn go(
    state: &AppState,
    headers: &HeaderMap,
    jar: CookieJar,
    clinic: Uuid,
    hint: Option<&str>,
) -> PageResult {
    let base = oidc::public_base(state, headers);
    let rid = auth::request_id(headers);
    match oidc::start(state, clinic, &base, hint, rid.as_deref()).await {
        Ok(s) => {
            let jar = jar.add(oidc::state_cookie(state, s.state));
            Ok((jar, Redirect::to(&s.provider_url)).into_response())
        }
        Err(e) => refused(jar, e),
    }
}

/// Where the provider sends the browser back.
pub(crate) async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Query(cb): Query<oidc::Callback>,
) -> PageResult {
    let base = oidc::public_base(&state, &headers);
    let rid = auth::request_id(&headers);
    let kept = jar.get(oidc::STATE_COOKIE).map(|c| c.value().to_owned());
    let jar = jar.add(oidc::state_removal_cookie(&state));
    match oidc::finish(&state, &cb, kept.as_deref(), &base, rid.as_deref()).await {
        Ok(s) => {
            let jar = jar.add(auth::session_cookie(&state, s.secret));
            Ok((jar, Redirect::to(home_of(s.user.role))).into_response())
        }
        Err(e) => refused(jar, e),
    }
}

/// The page for a refused sign-in: what happened, in plain words, and what to do next.
fn refused(jar: CookieJar, e: SsoError) -> PageResult {
    let r = match e {
        SsoError::Refused(r) => r,
        SsoError::Internal(e) => return Err(e.into()),
    };
    let (what, next): (String, &str) = match &r {
        SsoRefusal::NotConfigured => (
            "Your clinic has not set up sign-in with your organisation.".into(),
            "Sign in with your e-mail address and password, or ask your clinic admin.",
        ),
        SsoRefusal::StateMismatch | SsoRefusal::Expired => (
            "This sign-in link has run out or was already used.".into(),
            "Start again from the sign-in page. If it keeps happening, check that your browser accepts cookies from this site.",
        ),
        SsoRefusal::ProviderError(code) => (
            format!("Your organisation's sign-in page did not let you in (it said: {code})."),
            "Try again. If it keeps happening, ask your organisation's IT support.",
        ),
        SsoRefusal::ProviderUnreachable | SsoRefusal::TokenInvalid => (
            "We could not check your sign-in with your organisation.".into(),
            "Try again in a few minutes. If it keeps happening, tell your clinic admin.",
        ),
        SsoRefusal::EmailUnverified => (
            "Your organisation did not confirm your e-mail address.".into(),
            "Ask your organisation's IT support to confirm it, or sign in with your password.",
        ),
        SsoRefusal::DomainNotAllowed(d) => (
            format!("This clinic does not accept sign-ins from e-mail addresses at {d}."),
            "Sign in with your e-mail address and password, or ask your clinic admin.",
        ),
        SsoRefusal::NoAccount(email) => (
            format!("There is no staff account for {email} at this clinic."),
            "Sign-in with your organisation is for clinic staff who already have an account. Ask your clinic admin to add you, or sign in with your password.",
        ),
        SsoRefusal::UnknownDomain(d) => (
            format!("No clinic here signs in with addresses at {d}."),
            "Sign in with your e-mail address and password.",
        ),
    };
    let status = match r {
        SsoRefusal::ProviderUnreachable | SsoRefusal::TokenInvalid => StatusCode::BAD_GATEWAY,
        SsoRefusal::NotConfigured => StatusCode::NOT_FOUND,
        _ => StatusCode::FORBIDDEN,
    };
    let title = "We could not sign you in";
    let body = html! {
        h1 { (title) }
        p #sso-reason { (what) }
        p { (next) }
        p { a.button href="/login" { "Back to sign in" } }
    };
    Ok((status, jar, page(title, None, body)).into_response())
}

/// The admin page's single sign-on form, as typed.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct SsoForm {
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    allowed_domains: String,
}

impl SsoForm {
    /// Domains may be separated by commas, spaces or new lines.
    pub(crate) fn change(&self) -> crate::care::sso::SsoChange {
        crate::care::sso::SsoChange {
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            client_secret: Some(self.client_secret.clone()),
            allowed_domains: self
                .allowed_domains
                .split(|c: char| c == ',' || c.is_whitespace())
                .map(str::to_owned)
                .collect(),
        }
    }
}

/// The admin page's section: what to register with the provider, the clinic's own link, and
/// the form. The secret is never put back into the page.
pub(crate) fn admin_section(
    p: &crate::auth::Principal,
    base: &str,
    stored: Option<&physio_store::SsoConfig>,
    typed: Option<SsoForm>,
    errors: &[FieldError],
) -> Markup {
    let typed = typed.unwrap_or_else(|| match stored {
        Some(c) => SsoForm {
            issuer: c.issuer.clone(),
            client_id: c.client_id.clone(),
            client_secret: String::new(),
            allowed_domains: c.domains().collect::<Vec<_>>().join(", "),
        },
        None => SsoForm::default(),
    });
    let invalid = |f: &str| errors.iter().any(|e| e.field == f);
    let class = |f: &str| if invalid(f) { "field field-invalid" } else { "field" };
    let callback = format!("{base}{}", oidc::CALLBACK_PATH);
    let link = format!("{base}/sso/{}/start", p.user.clinic_id);
    html! {
        section aria-labelledby="sso-title" {
            h2 #sso-title { "Sign-in with your organisation" }
            p { "Staff can sign in with the account they use at work (OpenID Connect single sign-on). Their work e-mail address must match the e-mail of their account here, and their organisation must have confirmed it. No account is ever created this way, and patients always sign in with their password." }
            p { "Your organisation's sign-in service is responsible for its own second step (such as a code or a security key)." }
            @if stored.is_some() {
                p #sso-status { strong { "On." } " Staff can sign in from the sign-in page, or bookmark the clinic's own link: " a href=(link) style="overflow-wrap:anywhere" { (link) } }
            } @else {
                p #sso-status { strong { "Off." } " Staff sign in with their passwords." }
            }
            p { "Register this redirect address with your organisation's sign-in service:" }
            // A long address wraps anywhere rather than widening a phone's page.
            p { code #sso-redirect style="overflow-wrap:anywhere" { (callback) } }
            form method="post" action="/admin/sso" novalidate {
                (crate::pages::layout::csrf_field(p))
                div class=(class("issuer")) {
                    label for="issuer" { "Issuer URL" }
                    p.hint #issuer-hint { "From your sign-in service, like https://login.example.org/realms/clinic." }
                    (field_error(errors, "issuer"))
                    input #issuer name="issuer" type="url" spellcheck="false" value=(typed.issuer)
                        aria-describedby="issuer-hint" aria-invalid=(invalid("issuer"));
                }
                div class=(class("client_id")) {
                    label for="client_id" { "Client ID" }
                    (field_error(errors, "client_id"))
                    input #client_id name="client_id" type="text" spellcheck="false" value=(typed.client_id)
                        aria-invalid=(invalid("client_id"));
                }
                div class=(class("client_secret")) {
                    label for="client_secret" { "Client secret" }
                    p.hint #secret-hint {
                        @if stored.is_some() { "A secret is saved. Leave this empty to keep it." }
                        @else { "Kept on this server as given, and never shown again." }
                    }
                    (field_error(errors, "client_secret"))
                    input #client_secret name="client_secret" type="password" autocomplete="off"
                        aria-describedby="secret-hint" aria-invalid=(invalid("client_secret"));
                }
                div class=(class("allowed_domains")) {
                    label for="allowed_domains" { "Allowed e-mail domains" }
                    p.hint #domains-hint { "The part after the @, separated by commas, like clinic.example.org." }
                    (field_error(errors, "allowed_domains"))
                    input #allowed_domains name="allowed_domains" type="text" spellcheck="false"
                        value=(typed.allowed_domains) aria-describedby="domains-hint"
                        aria-invalid=(invalid("allowed_domains"));
                }
                button.button type="submit" { "Save sign-in settings" }
            }
            @if stored.is_some() {
                form method="post" action="/admin/sso/remove" style="margin-top:1.5rem" {
                    (crate::pages::layout::csrf_field(p))
                    button.button-secondary type="submit" { "Turn off sign-in with your organisation" }
                }
            }
        }
    }
}
