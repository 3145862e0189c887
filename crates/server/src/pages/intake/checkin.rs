//! The weekly check-in: pain now and the warning signs, asked with the intake's own questions.
//! High pain, a rise in pain or a new warning sign gets an interruption page (what to do now,
//! who has been told) and goes to the care team.

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use maud::{Markup, html};
use physio_clinic::triage::Tier;
use physio_store::Role;
use serde_json::Map;

use crate::{
    auth::Principal,
    care,
    error::ApiError,
    pages::{
        Form, PageResult, PageUser,
        intake::{
            answers,
            fields::{self, Values},
            steps::Step,
        },
        layout::{FieldError, csrf_field, error_summary, page},
    },
    state::AppState,
};

fn check_in_page(p: &Principal, v: Values<'_>, errors: &[FieldError]) -> Markup {
    let body = html! {
        a.back-link href="/home" { "Back" }
        (error_summary(errors))
        form method="post" action="/check-in" novalidate {
            (csrf_field(p))
            h1 { "Weekly check-in" }
            p.lead { "Two quick questions so your physical therapist knows how you are and whether anything new needs a doctor." }
            h2 { (Step::Pain.title()) }
            (fields::pain(v, errors))
            h2 { (Step::Symptoms.title()) }
            (fields::symptoms(v, errors))
            button.button type="submit" { "Send" }
        }
    };
    page("Weekly check-in", Some(p), body)
}

pub(crate) async fn check_in(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "check_in").await?;
    let d = care::intake::draft(&state, &p).await?;
    if !d.sent() {
        return Ok(Redirect::to("/intake").into_response());
    }
    Ok(check_in_page(&p, Values(&[]), &[]).into_response())
}

/// A check-in re-runs triage on the intake with today's pain and symptoms.
pub(crate) async fn submit_check_in(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "check_in").await?;
    let mut update = Map::new();
    let mut errors = answers::read(Step::Pain, &form, &mut update).err().unwrap_or_default();
    errors.extend(answers::read(Step::Symptoms, &form, &mut update).err().unwrap_or_default());
    if !errors.is_empty() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, check_in_page(&p, Values(&form), &errors))
            .into_response());
    }
    let pain = update.get("pain_now").and_then(super::pain_score);
    match care::checkin::check_in(&state, &p, update).await {
        Ok(_) => {
            // The same-day rule, as after the intake.
            let _ = care::questionnaires::carry_pain_over(&state, &p, pain).await;
            Ok(Redirect::to("/check-in/result").into_response())
        }
        Err(ApiError::Conflict(_)) => Ok(Redirect::to("/intake").into_response()),
        Err(e) => Err(e.into()),
    }
}

/// After a check-in: an interruption page while exercise is paused (what to do now, who has
/// been told), otherwise thanks. It shows the record as it stands, so a reload is harmless.
pub(crate) async fn check_in_result(
    State(state): State<AppState>,
    PageUser(p): PageUser,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "check_in").await?;
    let Some(latest) = care::triage::history(&state, &p, p.user.id).await?.into_iter().next()
    else {
        return Ok(Redirect::to("/intake").into_response());
    };
    let pause = care::safety::pause(state.store(), &p.user).await?;
    let tier = latest.review.as_ref().map_or(latest.tier, |r| r.final_tier);
    let tier = pause.as_ref().and_then(|p| p.tier()).map_or(tier, |t| t.max(tier));
    let body = html! {
        @if let Some(pause) = &pause {
            div.care-card.interruption.(if tier == Tier::Emergency { "care-emergency" } else { "care-urgent" }) {
                h1 { @match tier {
                    Tier::Emergency => "Go to an emergency department now",
                    Tier::Urgent => "See a doctor today",
                    _ => "Do not exercise today",
                } }
                p { (pause.patient_message()) }
                @if tier < Tier::Urgent {
                    h2 { "What to do now" }
                    ul {
                        li { "Rest in a position that eases the pain, and keep gently moving around the house if you can." }
                        li { "Take the pain relief you normally use, as the label or your doctor says." }
                        li { "Your physical therapist has been told and will be in touch." }
                    }
                }
            }
        } @else {
            h1 { "Thank you for checking in" }
            p.lead { "Nothing in your answers needs a doctor. Carry on with your programme." }
            p { "If anything changes, such as new numbness between your legs, trouble with your bladder or bowels, or weakness in both legs, go to an emergency department straight away." }
        }
        @if pause.is_some() {
            p { a.button href="/home" { "Go to your home page" } }
        } @else {
            p { a href="/home" { "Go to your home page" } }
        }
    };
    Ok(page("Your check-in", Some(&p), body).into_response())
}
