//! `/account/tokens`: the signed-in user's API tokens. They can list them, create one (the
//! secret is shown once, on the page that answers the form) and revoke one. The rules are in
//! `care::tokens`; a form with a problem comes back with what was typed, an error summary and
//! status 422.

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use maud::{Markup, html};
use physio_store::{ApiToken, TokenScope};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::tokens::{DEFAULT_DAYS, TokenRequest},
    error::{ApiError, ApiPath},
    pages::{
        Form, PageResult, PageUser,
        layout::{FieldError, csrf_field, error_summary, field_error, long_date, page, sentence},
    },
    state::AppState,
};

/// The lifetimes offered, in days; the API takes any from 1 to 365.
const LIFETIMES: [(i64, &str); 4] =
    [(30, "30 days"), (90, "90 days"), (180, "6 months"), (365, "1 year")];

#[derive(Debug, Default, Deserialize)]
pub(crate) struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    scope: String,
}

/// `GET /account/tokens`.
pub(crate) async fn show(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    let tokens = crate::care::tokens::list(&state, &p).await?;
    let typed =
        TokenForm { days: DEFAULT_DAYS.to_string(), scope: "read".into(), ..Default::default() };
    Ok(render(&state, &p, &tokens, &typed, &[], None).into_response())
}

/// `POST /account/tokens`: creates a token and shows its secret once; or the form again.
pub(crate) async fn create(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<TokenForm>,
) -> PageResult {
    let days = match f.days.trim().parse::<i64>() {
        Ok(d) => Some(d),
        Err(_) if f.days.trim().is_empty() => None,
        Err(_) => Some(0),
    };
    let req = TokenRequest {
        name: f.name.clone(),
        expires_in_days: days,
        scope: Some(if f.scope.is_empty() { "read".into() } else { f.scope.clone() }),
    };
    let result = crate::care::tokens::create(&state, &p, &req).await;
    let errors = match result {
        Ok((_, secret)) => {
            let tokens = crate::care::tokens::list(&state, &p).await?;
            let fresh = TokenForm {
                days: DEFAULT_DAYS.to_string(),
                scope: "read".into(),
                ..Default::default()
            };
            return Ok(render(&state, &p, &tokens, &fresh, &[], Some(&secret)).into_response());
        }
        Err(ApiError::Invalid { field, message }) => {
            let field = match field {
                "expires_in_days" => "days",
                "scope" => "scope",
                _ => "name",
            };
            vec![FieldError { field, message: sentence(&message) }]
        }
        Err(e) => return Err(e.into()),
    };
    let tokens = crate::care::tokens::list(&state, &p).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&state, &p, &tokens, &f, &errors, None))
        .into_response())
}

/// `POST /account/tokens/{token_id}/revoke`.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(token_id): ApiPath<Uuid>,
) -> PageResult {
    crate::care::tokens::revoke(&state, &p, token_id).await?;
    Ok(Redirect::to("/account/tokens").into_response())
}

fn scope_words(s: TokenScope) -> &'static str {
    match s {
        TokenScope::Read => "Read only",
        TokenScope::ReadWrite => "Read and change",
    }
}

fn render(
    state: &AppState,
    p: &Principal,
    tokens: &[ApiToken],
    typed: &TokenForm,
    errors: &[FieldError],
    secret: Option<&str>,
) -> Markup {
    let title = "API tokens";
    let title = if errors.is_empty() { title.to_owned() } else { format!("Error: {title}") };
    let now = state.now();
    let zone = &state.config().time_zone;
    let date = |t: time::OffsetDateTime| long_date(zone.local(t).date());
    let invalid = |id: &str| errors.iter().any(|e| e.field == id);
    let body = html! {
        (error_summary(errors))
        h1 { "API tokens" }
        p.lead { "A token lets a program (an export, a script) use Physio as you, without your password. Only you can see your tokens." }
        @if let Some(secret) = secret {
            div.notice role="status" {
                h2 { "Your new token" }
                p { "Copy it now: it will not be shown again. Keep it as safe as a password." }
                p { code.token-secret #new-token { (secret) } }
            }
        }
        h2 { "Your tokens" }
        @if tokens.is_empty() {
            p { "You have no tokens." }
        } @else {
            div.table-scroll {
                table #tokens {
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Can" } th scope="col" { "Made" } th scope="col" { "Ends" } th scope="col" { "Last used" } th scope="col" { span.visually-hidden { "Action" } } } }
                    tbody {
                        @for t in tokens {
                            @let ended = t.revoked_at.is_some() || now >= t.expires_at;
                            tr {
                                td { (t.name) }
                                td { (scope_words(t.scope)) }
                                td { (date(t.created_at)) }
                                td {
                                    @if let Some(r) = t.revoked_at { "Revoked " (date(r)) }
                                    @else if now >= t.expires_at { "Expired " (date(t.expires_at)) }
                                    @else { (date(t.expires_at)) }
                                }
                                td { @if let Some(u) = t.last_used_at { (date(u)) } @else { "Never" } }
                                td {
                                    @if !ended {
                                        form method="post" action={ "/account/tokens/" (t.id) "/revoke" } {
                                            (csrf_field(p))
                                            button.button-secondary.button-small type="submit" {
                                                "Revoke " span.visually-hidden { (t.name) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Make a token" }
        form method="post" action="/account/tokens" novalidate {
            (csrf_field(p))
            div.field {
                label for="name" { "What is it for?" }
                p.hint #name-hint { "A name you will recognise, for example: nightly export." }
                (field_error(errors, "name"))
                input #name type="text" name="name" value=(typed.name) maxlength="100"
                    aria-describedby="name-hint" aria-invalid=(invalid("name"));
            }
            div.field {
                label for="days" { "How long should it last?" }
                (field_error(errors, "days"))
                select #days name="days" aria-invalid=(invalid("days")) {
                    @for (d, label) in LIFETIMES {
                        option value=(d) selected[typed.days == d.to_string()] { (label) }
                    }
                }
            }
            fieldset {
                legend { "What may it do?" }
                (field_error(errors, "scope"))
                div.radio {
                    input type="radio" id="scope" name="scope" value="read" checked[typed.scope != "read_write"];
                    label for="scope" { "Read only" }
                }
                div.radio {
                    input type="radio" id="scope-write" name="scope" value="read_write" checked[typed.scope == "read_write"];
                    label for="scope-write" { "Read and change" }
                }
            }
            button.button type="submit" { "Make token" }
        }
    };
    page(&title, Some(p), body)
}
