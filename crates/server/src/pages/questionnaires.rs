//! Questionnaires for patients: what is due now (baseline and the clinic's follow-up weeks),
//! each questionnaire as a form, scoring on submit, and alerts for the care team when an
//! answer needs one (PHQ-9 item 9).

use super::Form;
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use maud::{Markup, html};
use physio_clinic::questionnaire::{Instrument, InstrumentId, Response};
use physio_store::{AuditOutcome, Episode, Role};
use serde::Deserialize;

use crate::{
    auth::Principal,
    care,
    error::{ApiError, ApiPath, ApiQuery},
    pages::{
        PageError, PageResult, PageUser,
        layout::{csrf_field, page},
    },
    state::AppState,
};

async fn current_episode(state: &AppState, p: &Principal) -> Result<Option<Episode>, PageError> {
    Ok(care::questionnaires::episode_of(state.store(), p.user.clinic_id, p.user.id, state.now())
        .await?)
}

/// What is due now for the patient.
pub(crate) async fn due_now(
    state: &AppState,
    p: &Principal,
) -> Result<Vec<physio_clinic::schedule::Due>, PageError> {
    match current_episode(state, p).await? {
        Some(ep) => Ok(care::questionnaires::due_in(state.store(), &ep, state.now()).await?),
        None => Ok(vec![]),
    }
}

fn instrument(state: &AppState, id: InstrumentId) -> Instrument {
    care::questionnaires::instrument(state, id)
}

#[derive(Debug, Deserialize)]
pub(crate) struct ListQuery {
    done: Option<String>,
    alert: Option<bool>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "questionnaires").await?;
    let due = due_now(&state, &p).await?;
    let answered = care::questionnaires::responses(&state, &p, p.user.id, None).await?;
    state
        .audit(p.actor(), "list", "questionnaire_response", Some(p.user.id), AuditOutcome::Success)
        .await?;
    let body = html! {
        @if q.alert == Some(true) {
            div.care-card.care-urgent role="alert" {
                h2 { "Thank you for telling us" }
                p { "You said you have had thoughts of death or of hurting yourself. Your care team has been told and will contact you. If you feel you might act on these thoughts, call your emergency number now or go to an emergency department." }
            }
        }
        @if let Some(d) = q.done.as_deref().and_then(|d| d.parse::<InstrumentId>().ok()) {
            div.notice role="status" { "Saved: " (Instrument::builtin(d).title()) "." }
        }
        h1 { "Your questionnaires" }
        @if due.is_empty() {
            p { "Nothing to fill in right now. We will ask again at your next check-in." }
        } @else {
            p { "These help you and your physical therapist see how you are doing. Each takes 1 to 3 minutes." }
            ul.task-list {
                @for d in &due {
                    li { a href={ "/questionnaires/" (d.instrument.as_str()) "?timepoint=" (d.timepoint) } { (instrument(&state, d.instrument).title()) } }
                }
            }
        }
        @if !answered.is_empty() {
            h2 { "Already answered" }
            ul { @for r in answered.iter().rev() {
                li { (r.instrument.to_uppercase()) ", " (r.timepoint.replace('_', " ")) ": " (r.submitted_at.date()) }
            } }
        }
    };
    Ok(page("Your questionnaires", Some(&p), body).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct FormQuery {
    timepoint: Option<String>,
}

fn form_page(
    p: &Principal,
    inst: &Instrument,
    timepoint: &str,
    values: &[(String, String)],
    error: Option<&str>,
) -> Markup {
    let value =
        |k: &str| values.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or("");
    let body = html! {
        a.back-link href="/questionnaires" { "Back" }
        @if let Some(e) = error {
            div.error-summary role="alert" tabindex="-1" { h2 { "There is a problem" } p { (e) } }
        }
        h1 { (inst.title()) }
        p.lead { (inst.description()) }
        form method="post" action={ "/questionnaires/" (inst.id().as_str()) } novalidate {
            (csrf_field(p))
            input type="hidden" name="timepoint" value=(timepoint);
            @if let Some(rep) = inst.repeat() {
                p { "Name " (rep.min) " to " (rep.max) " activities that your back pain makes hard, and rate each." }
                @let scale = inst.items().first().map(|i| &i.response);
                @for k in 0..rep.max {
                    fieldset {
                        legend { "Activity " (k + 1) @if k >= rep.min { " (optional)" } }
                        div.field {
                            label for={ "act_name_" (k) } { "What activity?" }
                            input id={ "act_name_" (k) } name={ "act_name_" (k) } type="text" value=(value(&format!("act_name_{k}")));
                        }
                        @if let Some(Response::Scale(s)) = scale {
                            div.field {
                                label for={ "act_" (k) } { "How well can you do it now? " (s.min) " = " (s.min_label) ", " (s.max) " = " (s.max_label) }
                                select id={ "act_" (k) } name={ "act_" (k) } {
                                    option value="" { "Choose" }
                                    @for v in s.min..=s.max { option value=(v) selected[value(&format!("act_{k}")) == v.to_string()] { (v) } }
                                }
                            }
                        }
                    }
                }
            } @else {
                @for (i, item) in inst.items().iter().enumerate() {
                    @let name = format!("q{i}");
                    fieldset {
                        legend { (i + 1) ". " (item.label) }
                        @match &item.response {
                            Response::Options(opts) => {
                                @for o in opts {
                                    div.radio {
                                        input type="radio" name=(name) value=(o.value) id={ (name) "-" (o.value) } checked[value(&name) == o.value.to_string()];
                                        label for={ (name) "-" (o.value) } { (o.label) }
                                    }
                                }
                            },
                            Response::Scale(s) => {
                                p.hint { (s.min) " = " (s.min_label) ", " (s.max) " = " (s.max_label) }
                                div.scale {
                                    @for v in s.min..=s.max {
                                        div.radio {
                                            input type="radio" name=(name) value=(v) id={ (name) "-" (v) } checked[value(&name) == v.to_string()];
                                            label for={ (name) "-" (v) } { (v) }
                                        }
                                    }
                                }
                            },
                            Response::Hours(h) => {
                                label.visually-hidden for=(name) { "Hours" }
                                input id=(name) name=(name) type="text" inputmode="decimal" value=(value(&name)) style="max-width:8rem";
                                span.hint { " hours (0 to " (h.max) "); leave empty if it does not apply" }
                            },
                        }
                    }
                }
            }
            button.button type="submit" { "Save my answers" }
        }
    };
    page(inst.title(), Some(p), body)
}

pub(crate) async fn show(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<FormQuery>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "questionnaire").await?;
    let id: InstrumentId =
        id.parse().map_err(|_| PageError(ApiError::NotFound("questionnaire")))?;
    if current_episode(&state, &p).await?.is_none() {
        return Ok(Redirect::to("/home").into_response());
    }
    let timepoint = q.timepoint.unwrap_or_else(|| "adhoc".to_owned());
    Ok(form_page(&p, &instrument(&state, id), &timepoint, &[], None).into_response())
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "questionnaire").await?;
    let id: InstrumentId =
        id.parse().map_err(|_| PageError(ApiError::NotFound("questionnaire")))?;
    let Some(_) = current_episode(&state, &p).await? else {
        return Ok(Redirect::to("/home").into_response());
    };
    let inst = instrument(&state, id);
    let get = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let timepoint = get("timepoint").unwrap_or_default();
    let mut activities = None;
    let answers: Vec<Option<f64>> = if let Some(rep) = inst.repeat() {
        let mut names = vec![];
        let mut ratings = vec![];
        for k in 0..rep.max {
            if let Some(name) = get(&format!("act_name_{k}")) {
                ratings.push(get(&format!("act_{k}")).and_then(|v| v.parse().ok()));
                names.push(name.chars().take(100).collect::<String>());
            }
        }
        activities = Some(names);
        ratings
    } else {
        (0..inst.items().len())
            .map(|i| get(&format!("q{i}")).and_then(|v| v.parse().ok()))
            .collect()
    };
    let answer = care::questionnaires::Answer { answers, activities, timepoint: timepoint.clone() };
    let done = match care::questionnaires::answer(&state, &p, id, &answer).await {
        Ok(done) => done,
        Err(ApiError::Invalid { message, .. }) => {
            let msg = format!("Please check your answers: {message}");
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&p, &inst, &timepoint, &form, Some(&msg)),
            )
                .into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let to = format!(
        "/questionnaires?done={}{}",
        id.as_str(),
        if done.alerted { "&alert=true" } else { "" }
    );
    Ok(Redirect::to(&to).into_response())
}
