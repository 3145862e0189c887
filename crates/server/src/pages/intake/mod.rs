//! The patient's intake: one topic per page, saved on the server after every page so it can be
//! left and resumed, a "check your answers" page with change links, then triage and a result
//! page that says what to do next. An answer that is already an emergency stops the intake at
//! once with an interruption page (`result::emergency`).
//!
//! The draft is the intake JSON document (`physio_clinic::intake::Intake`) filled in page by
//! page. Every question is built from the clinic's own answer lists and words (`choice`), and
//! every answer is read back with the clinic's own parser, so the form cannot ask something the
//! rules do not read, or leave out something they do (`tests`).
//!
//! - `steps`: the pages, in order; `fields`: their questions; `answers`: a page's form into the
//!   draft and back;
//! - `check`: check your answers; `result`: the emergency interruption and the result page;
//! - `checkin`: the weekly check-in, which asks the intake's pain and warning-sign questions.

mod answers;
pub(super) mod check;
pub(super) mod checkin;
mod choice;
mod fields;
pub(super) mod result;
mod steps;
#[cfg(test)]
mod tests;

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use maud::{Markup, html};
use physio_store::Role;
use serde_json::{Map, Value};

use crate::{
    auth::Principal,
    care::{self, intake::Draft},
    error::{ApiError, ApiPath},
    pages::{
        Form, PageError, PageResult, PageUser,
        intake::{fields::Values, steps::Step},
        layout::{FieldError, csrf_field, error_summary, page},
    },
    state::AppState,
};

/// The patient's intake draft (audited), or a redirect when it has been sent already.
async fn open_draft(state: &AppState, p: &Principal) -> Result<Result<Draft, Redirect>, PageError> {
    let d = care::intake::draft(state, p).await?;
    if d.sent() { Ok(Err(Redirect::to("/intake/result"))) } else { Ok(Ok(d)) }
}

/// `/intake`: start, resume where the patient stopped, or show the result.
pub(super) async fn start(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "intake").await?;
    let d = match open_draft(&state, &p).await? {
        Ok(d) => d,
        Err(to) => return Ok(to.into_response()),
    };
    let resume_at = d.step.as_deref().and_then(|s| {
        if s == "check" { Some("check") } else { Step::from_slug(s).map(Step::slug) }
    });
    let body = html! {
        h1 { "Tell us about your back pain" }
        p.lead { "Your answers help your physical therapist plan your care and make sure you get the right help quickly if you need it." }
        p { "There are " (Step::ALL.len()) " short pages of questions. It takes about 5 minutes. Your answers are saved as you go, so you can stop and come back." }
        p { "If you have sudden numbness between your legs, new trouble with your bladder or bowels, or chest pain, do not wait: call your emergency number or go to an emergency department now." }
        @match resume_at {
            Some(slug) if !d.answers.is_empty() => a.button href={ "/intake/" (slug) } { "Continue where you left off" },
            _ => a.button href={ "/intake/" (Step::ALL[0].slug()) } { "Start now" },
        }
    };
    Ok(page("Tell us about your back pain", Some(&p), body).into_response())
}

fn step_page(p: &Principal, step: Step, v: Values<'_>, errors: &[FieldError]) -> Markup {
    let back = step.previous().map_or("/intake".to_owned(), |s| format!("/intake/{}", s.slug()));
    let body = html! {
        a.back-link href=(back) { "Back" }
        (error_summary(errors))
        form method="post" action={ "/intake/" (step.slug()) } novalidate {
            (csrf_field(p))
            p.hint.step-count { "Question " (step.number()) " of " (Step::ALL.len()) }
            h1 { (step.title()) }
            (fields::fields(step, v, errors))
            button.button type="submit" { "Save and continue" }
        }
    };
    let title = if errors.is_empty() {
        step.title().to_owned()
    } else {
        format!("Error: {}", step.title())
    };
    page(&title, Some(p), body)
}

/// `/intake/{step}`: one page of questions, filled in from the draft; `/intake/check`: check
/// your answers.
pub(super) async fn show_step(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(slug): ApiPath<String>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "intake").await?;
    let answers = match open_draft(&state, &p).await? {
        Ok(d) => d.answers,
        Err(to) => return Ok(to.into_response()),
    };
    if slug == "check" {
        return Ok(check::check_page(&p, &answers).into_response());
    }
    let step = Step::from_slug(&slug).ok_or(PageError(ApiError::NotFound("page")))?;
    let form = answers::to_form(step, &answers);
    Ok(step_page(&p, step, Values(&form), &[]).into_response())
}

/// Saves one page. A page with problems comes back with what was sent and a message at each
/// field; an answer that is an emergency goes straight to the interruption page.
pub(super) async fn save_step(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(slug): ApiPath<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "intake").await?;
    let step = Step::from_slug(&slug).ok_or(PageError(ApiError::NotFound("page")))?;
    let mut answers: Map<String, Value> = match open_draft(&state, &p).await? {
        Ok(d) => d.answers,
        Err(to) => return Ok(to.into_response()),
    };
    if let Err(errors) = answers::read(step, &form, &mut answers) {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, step_page(&p, step, Values(&form), &errors))
            .into_response());
    }
    let next = step.next().map_or("check", Step::slug);
    let saved = care::intake::save(&state, &p, answers, next).await?;
    if !saved.emergency_raised.is_empty() {
        return Ok(Redirect::to("/intake/emergency").into_response());
    }
    Ok(Redirect::to(&format!("/intake/{next}")).into_response())
}

/// Sends the draft: triage runs at once and the result page says what to do.
pub(super) async fn submit(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "intake").await?;
    let pain = care::intake::draft(&state, &p).await?.answers.get("pain_now").and_then(pain_score);
    match care::intake::submit_draft(&state, &p).await {
        Ok(_) => {
            // The same-day rule: the pain just given answers today's pain questionnaire. If
            // filing it fails, the questionnaire simply stays on the list.
            let _ = care::questionnaires::carry_pain_over(&state, &p, pain).await;
            Ok(Redirect::to("/intake/result").into_response())
        }
        Err(ApiError::Conflict(_)) => Ok(Redirect::to("/intake/result").into_response()),
        Err(ApiError::Invalid { message, .. }) => {
            // The pages check each answer, so this means a gap: send the patient back to it.
            let body = html! {
                h1 { "Some answers need another look" }
                p { (message) }
                p { a href="/intake/check" { "Check your answers" } }
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page("Check your answers", Some(&p), body))
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// A pain answer from 0 to 10 as stored in the intake (not "not sure").
pub(super) fn pain_score(v: &Value) -> Option<u8> {
    v.as_u64().and_then(|n| u8::try_from(n).ok()).filter(|n| *n <= 10)
}
