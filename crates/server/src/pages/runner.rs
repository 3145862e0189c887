//! The guided session, one screen at a time: the pain check, then each exercise of the session
//! (figure, dose, steps, the physiotherapist's note; record it by hand, or skip it and say
//! why), then the closing check. Plain forms that work without JavaScript; an interrupted
//! session carries on where it stopped, because every step is stored as it is taken.

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use maud::{Markup, html};
use physio_clinic::day::{Closing, ExerciseLog, Gate, SkipReason, StopReason, log::effort_words};
use physio_clinic::exercise::{Dose, Problem};
use physio_clinic::programme::{Item, camera};
use physio_store::{DaySession, Role};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    care::{
        self,
        day::{DayView, RecordRequest, StartRequest},
    },
    error::{ApiError, ApiPath, ApiQuery},
    pages::{
        PageResult, PageUser,
        layout::{FieldError, csrf_field, error_summary, field_error, page, sentence},
        pain_scale::{Rating, rating},
        programme::{figure_of, note_of},
    },
    state::AppState,
};

/// A 0–10 question as the shared rating tiles, its ends named by `anchors` (0 and 10).
pub(crate) fn scale(
    name: &'static str,
    legend: &str,
    hint: &str,
    anchors: &[(u8, &str)],
    value: Option<&str>,
    errors: &[FieldError],
) -> Markup {
    let end = |n: u8| anchors.iter().find(|(k, _)| *k == n).map_or("", |(_, w)| *w);
    rating(&Rating {
        name,
        legend,
        heading: false,
        hint: Some(hint),
        min: 0,
        max: 10,
        min_label: end(0),
        max_label: end(10),
        value: value.and_then(|v| v.parse().ok()),
        error: errors.iter().find(|e| e.field == name).map(|e| e.message.as_str()),
        after: None,
    })
}

const PAIN_ANCHORS: &[(u8, &str)] = &[(0, "no pain"), (10, "worst pain you can imagine")];

fn effort_anchors() -> [(u8, &'static str); 2] {
    [(0, effort_words(0)), (10, effort_words(10))]
}

/// The problems of the care layer as page errors: only fields this page has.
fn page_errors(problems: &[Problem], known: &[&'static str]) -> Vec<FieldError> {
    problems
        .iter()
        .map(|pr| {
            let field = known
                .iter()
                .copied()
                .find(|k| pr.field == *k || pr.field.ends_with(&format!(".{k}")))
                .unwrap_or("main");
            FieldError { field, message: sentence(&pr.message) }
        })
        .collect()
}

/// The pain check that opens a session.
fn pain_check(
    p: &crate::auth::Principal,
    number: u8,
    count: usize,
    errors: &[FieldError],
) -> Markup {
    html! {
        (error_summary(errors))
        span.caption { "Today's session" @if number > 1 { " " (number) } }
        h1 { "Before you start" }
        p.lead { "This session has " (count) " exercise" @if count != 1 { "s" } ". First, tell us how your back is right now." }
        form method="post" action="/today/session" novalidate {
            (csrf_field(p))
            (scale("pain_before", "How bad is your pain right now?", "Choose a number from 0 to 10.", PAIN_ANCHORS, None, errors))
            button.button type="submit" { "Start the session" }
        }
        p { a href="/home" { "Not now, back to today" } }
    }
}

/// The interruption page when the pain check stops the session.
fn stopped_page(reason: &str) -> Markup {
    html! {
        div.care-card.interruption.care-urgent {
            h1 { "Do not exercise today" }
            p { (reason) }
            h2 { "What to do now" }
            ul {
                li { "Rest in a position that eases the pain. Keep gently moving around the house if you can." }
                li { "Take the pain relief you normally use, as the label or your doctor says." }
                li { "Your physiotherapist has been told and will be in touch." }
                li { "If you have new numbness between your legs, trouble controlling your bladder or bowels, or weakness in both legs, go to an emergency department now." }
            }
        }
        p { a.button href="/home" { "Go to your home page" } }
    }
}

/// What the patient typed into the exercise form, kept when it comes back with errors.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ExerciseForm {
    #[serde(default)]
    exercise: String,
    #[serde(default)]
    sets_done: String,
    #[serde(default)]
    reps_done: String,
    #[serde(default)]
    hold_s_done: String,
    #[serde(default)]
    minutes_done: String,
    #[serde(default)]
    pain_during: Option<String>,
    #[serde(default)]
    effort: Option<String>,
    #[serde(default)]
    skip: Option<String>,
    /// `skip` from the skip form; the record form leaves it out.
    #[serde(default)]
    intent: String,
    #[serde(default)]
    camera_session: Option<String>,
}

fn prefilled(dose: &Dose) -> ExerciseForm {
    let text = |v: Option<u16>| v.map(|v| v.to_string()).unwrap_or_default();
    ExerciseForm {
        sets_done: dose.sets.to_string(),
        reps_done: text(dose.reps),
        hold_s_done: text(dose.hold_s),
        minutes_done: text(dose.minutes),
        ..ExerciseForm::default()
    }
}

fn number_field(
    name: &'static str,
    label: &str,
    hint: &str,
    value: &str,
    errors: &[FieldError],
) -> Markup {
    let invalid = errors.iter().any(|e| e.field == name);
    html! {
        div.field.(if invalid { "field-invalid" } else { "" }) {
            label for=(name) { (label) }
            p.hint id={ (name) "-hint" } { (hint) }
            (field_error(errors, name))
            input #(name) .input-number type="text" inputmode="numeric" pattern="[0-9]*" name=(name) value=(value)
                aria-describedby={ (name) "-hint" } aria-invalid=(invalid);
        }
    }
}

/// One exercise of the session.
fn exercise_page(
    p: &crate::auth::Principal,
    day: &DayView,
    session: &DaySession,
    item: &Item,
    typed: &ExerciseForm,
    errors: &[FieldError],
    camera_count: Option<i32>,
) -> Markup {
    let at = session.due.iter().position(|i| i.exercise == item.exercise).unwrap_or(0) + 1;
    let entry = day.programme.entries.iter().find(|e| e.item.exercise == item.exercise);
    let exercise = entry.and_then(|e| e.exercise.as_ref());
    let name = exercise.map_or(item.exercise.as_str(), |e| e.name.as_str());
    let dose = &item.dose;
    let action = format!("/today/session/{}/exercise", session.id);
    html! {
        (error_summary(errors))
        span.caption { "Exercise " (at) " of " (session.due.len()) }
        h1 { (name) }
        div.runner {
            @if let Some(ex) = exercise { (figure_of(ex)) }
            div.runner-dose {
                p.dose { (dose.patient_text()) }
                @for d in dose.details_text() { p.dose-detail { (d) } }
                (note_of(item))
                @if let Some(ex) = exercise.filter(|e| camera(item, e).offered()) {
                    p { a.button-secondary href={ "/exercise/" (ex.id) "?session=" (session.id) } { "Track with the camera" } }
                }
            }
        }
        section.runner-timers data-hold=[dose.hold_s] data-rest=(dose.rest_s) data-sets=(dose.sets) data-reps=[dose.reps] aria-label="Timers" {}
        // The hold and rest timers (web/src/runner.ts) fill this section, just under the dose.
        // Without the script (or before web/dist is built) the section stays empty and the form
        // below is the page.
        script type="module" src="/web/runner.js" {}
        @if let Some(ex) = exercise {
            details.runner-steps open {
                summary { "How to do it" }
                p { (ex.instructions.start) }
                ol.steps { @for s in &ex.instructions.steps { li { (s) } } }
                @if !ex.instructions.cues.is_empty() {
                    ul { @for c in &ex.instructions.cues { li { (c) } } }
                }
                div.when-to-stop { h3 { "When to stop" } p { (ex.instructions.stop_if) } }
            }
        }
        form.runner-log method="post" action=(action) novalidate {
            (csrf_field(p))
            input type="hidden" name="exercise" value=(item.exercise);
            @if let Some(c) = &typed.camera_session { input type="hidden" name="camera_session" value=(c); }
            h2 { "When you have finished, tell us how it went" }
            @if let Some(n) = camera_count {
                p.notice { "The camera counted " (n) " repetition" @if n != 1 { "s" } ". Check the numbers below, then save." }
            }
            @if dose.minutes.is_some() {
                (number_field("minutes_done", "Minutes", "How many minutes you did.", &typed.minutes_done, errors))
            } @else {
                (number_field("sets_done", "Sets", "How many sets you did.", &typed.sets_done, errors))
                @if dose.reps.is_some() || dose.hold_s.is_none() {
                    @let (label, hint) = if dose.hold_s.is_some() { ("Holds in each set", "How many times you held it in each set.") } else { ("Repetitions in each set", "How many you did in each set.") };
                    (number_field("reps_done", label, hint, &typed.reps_done, errors))
                }
                @if dose.hold_s.is_some() {
                    (number_field("hold_s_done", "Seconds you held it", "About how long each hold lasted.", &typed.hold_s_done, errors))
                }
            }
            (scale("pain_during", "Pain during the exercise", "Choose the most pain you felt, from 0 to 10.", PAIN_ANCHORS, typed.pain_during.as_deref(), errors))
            (scale("effort", "How hard did it feel?", "5 means hard.", &effort_anchors(), typed.effort.as_deref(), errors))
            button.button type="submit" { "Save and carry on" }
        }
        details.runner-skip {
            summary { "Skip this exercise" }
            form method="post" action=(action) novalidate {
                (csrf_field(p))
                input type="hidden" name="exercise" value=(item.exercise);
                input type="hidden" name="intent" value="skip";
                div.field {
                    fieldset #skip {
                        legend { "Why are you skipping it?" }
                        (field_error(errors, "skip"))
                        @for r in SkipReason::ALL {
                            @let id = format!("skip-{}", r.as_str());
                            div.radio {
                                input type="radio" name="skip" value=(r.as_str()) id=(id) checked[typed.skip.as_deref() == Some(r.as_str())];
                                div { label for=(id) { (r.label()) } }
                            }
                        }
                    }
                }
                button.button-secondary type="submit" { "Skip it" }
            }
        }
        p { a href="/today/session?stop=1" { "Stop the session here" } }
    }
}

/// What the patient typed into the closing check.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ClosingForm {
    #[serde(default)]
    pain_after: Option<String>,
    #[serde(default)]
    fatigue: Option<String>,
    #[serde(default)]
    stopped_early: Option<String>,
    #[serde(default)]
    note: String,
}

fn closing_page(
    p: &crate::auth::Principal,
    session: &DaySession,
    typed: &ClosingForm,
    errors: &[FieldError],
) -> Markup {
    let unfinished = session.remaining().count();
    html! {
        (error_summary(errors))
        span.caption { "Today's session" }
        h1 { @if unfinished > 0 { "Stopping early" } @else { "Well done: that is the session" } }
        @if unfinished > 0 {
            p.lead { (unfinished) " exercise" @if unfinished != 1 { "s are" } @else { " is" } " not done. That is fine; tell us why, so your physiotherapist can help." }
        } @else {
            p.lead { "Two quick questions and you are finished." }
        }
        form method="post" action={ "/today/session/" (session.id) "/finish" } novalidate {
            (csrf_field(p))
            (scale("pain_after", "How bad is your pain now?", "Choose a number from 0 to 10.", PAIN_ANCHORS, typed.pain_after.as_deref(), errors))
            (scale("fatigue", "How tired do you feel?", "0 means not tired at all and 10 exhausted.", &[(0, "not tired at all"), (10, "exhausted")], typed.fatigue.as_deref(), errors))
            @if unfinished > 0 {
                div.field {
                    fieldset #stopped_early {
                        legend { "Why are you stopping?" }
                        (field_error(errors, "stopped_early"))
                        @for r in StopReason::ALL {
                            @let id = format!("stopped_early-{}", r.as_str());
                            div.radio {
                                input type="radio" name="stopped_early" value=(r.as_str()) id=(id) checked[typed.stopped_early.as_deref() == Some(r.as_str())];
                                div { label for=(id) { (r.label()) } }
                            }
                        }
                    }
                }
                div.field {
                    label for="note" { "Anything else your physiotherapist should know? (optional)" }
                    (field_error(errors, "note"))
                    textarea #note name="note" rows="3" { (typed.note) }
                }
            }
            button.button type="submit" { "Finish the session" }
        }
        @if unfinished > 0 { p { a href="/today/session" { "Go back to the exercises" } } }
    }
}

fn respond(
    status: StatusCode,
    title: &str,
    p: &crate::auth::Principal,
    body: Markup,
) -> PageResult {
    let title = if status == StatusCode::UNPROCESSABLE_ENTITY {
        format!("Error: {title}")
    } else {
        title.to_owned()
    };
    Ok((status, page(&title, Some(p), body)).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ShowQuery {
    #[serde(default)]
    stop: Option<String>,
    /// A camera session that just ended: its count fills in the form.
    #[serde(default)]
    camera: Option<Uuid>,
}

/// `GET /today/session`: the step the patient is at.
pub(crate) async fn show(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiQuery(q): ApiQuery<ShowQuery>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "day_session").await?;
    let day = care::day::today(&state, &p, p.user.id).await?;
    render(&state, &p, &day, q, None, None).await
}

async fn render(
    state: &AppState,
    p: &crate::auth::Principal,
    day: &DayView,
    q: ShowQuery,
    typed: Option<ExerciseForm>,
    errors: Option<Vec<FieldError>>,
) -> PageResult {
    let status = if errors.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let errors = errors.unwrap_or_default();
    if let Some(pause) = &day.programme.pause {
        let body = html! {
            (crate::pages::safety::care_card(pause))
            p { a.button href="/home" { "Go to your home page" } }
        };
        return respond(StatusCode::OK, "Exercise is paused", p, body);
    }
    if let Some(open) = day.open() {
        let next = open.remaining().next().cloned();
        return match next {
            Some(item) if q.stop.is_none() => {
                let mut typed = typed.unwrap_or_else(|| prefilled(&item.dose));
                let mut count = None;
                if let Some(c) = q.camera {
                    let sessions = care::sessions::list(state, p, p.user.id, 20).await?;
                    if let Some(s) =
                        sessions.into_iter().find(|s| s.id == c && s.exercise == item.exercise)
                    {
                        count = Some(s.rep_count);
                        typed.reps_done = s.rep_count.to_string();
                        typed.camera_session = Some(c.to_string());
                    }
                }
                let name = day
                    .programme
                    .entries
                    .iter()
                    .find(|e| e.item.exercise == item.exercise)
                    .and_then(|e| e.exercise.as_ref())
                    .map_or_else(|| item.exercise.clone(), |e| e.name.clone());
                let body = exercise_page(p, day, open, &item, &typed, &errors, count);
                respond(status, &name, p, body)
            }
            _ => respond(
                status,
                "Finish the session",
                p,
                closing_page(p, open, &ClosingForm::default(), &errors),
            ),
        };
    }
    match day.next_slot() {
        Some(slot) => respond(
            status,
            "Before you start",
            p,
            pain_check(p, slot.number, slot.exercises.len(), &errors),
        ),
        None => {
            let body = html! {
                h1 { @if day.slots.is_empty() { "No exercises today" } @else { "Today's sessions are done" } }
                p.lead { @if day.slots.is_empty() { "There is nothing planned for today. Rest, and keep moving in ways that feel comfortable." } @else { "Well done. Rest, and keep moving in ways that feel comfortable." } }
                p { a.button href="/home" { "Go to your home page" } }
            };
            respond(StatusCode::OK, "Today's session", p, body)
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct StartForm {
    #[serde(default)]
    pain_before: Option<String>,
}

/// `POST /today/session`: the pain check.
pub(crate) async fn start(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    axum::Form(f): axum::Form<StartForm>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "day_session").await?;
    let pain_before = f.pain_before.and_then(|v| v.trim().parse::<u8>().ok());
    match care::day::start(&state, &p, StartRequest { pain_before }).await {
        Ok(started) => match started.gate {
            Gate::Go => Ok(Redirect::to("/today/session").into_response()),
            Gate::Stop(stop) => respond(
                StatusCode::OK,
                "Do not exercise today",
                &p,
                stopped_page(&stop.patient_reason()),
            ),
        },
        Err(ApiError::Invalid { message, .. }) => {
            let day = care::day::today(&state, &p, p.user.id).await?;
            let errors = vec![FieldError { field: "pain_before", message: sentence(&message) }];
            render(&state, &p, &day, ShowQuery::default(), None, Some(errors)).await
        }
        Err(ApiError::Conflict(_)) => Ok(Redirect::to("/today/session").into_response()),
        Err(e) => Err(e.into()),
    }
}

/// A number typed in a form: blank is "not given", anything else must be a whole number.
fn parse_number<T: std::str::FromStr>(
    field: &'static str,
    text: &str,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse() {
        Ok(v) => Some(v),
        Err(_) => {
            errors.push(FieldError { field, message: "Enter a whole number, like 10".to_owned() });
            None
        }
    }
}

/// `POST /today/session/{session_id}/exercise`: record or skip one exercise.
pub(crate) async fn record(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(session_id): ApiPath<Uuid>,
    axum::Form(f): axum::Form<ExerciseForm>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "day_session").await?;
    let mut errors = Vec::new();
    let log = if f.intent == "skip" {
        let skipped = f.skip.as_deref().and_then(|s| s.parse::<SkipReason>().ok());
        if skipped.is_none() {
            errors.push(FieldError {
                field: "skip",
                message: "Choose why you are skipping it".to_owned(),
            });
        }
        ExerciseLog { skipped, ..ExerciseLog::default() }
    } else {
        ExerciseLog {
            sets_done: parse_number("sets_done", &f.sets_done, &mut errors),
            reps_done: parse_number("reps_done", &f.reps_done, &mut errors),
            hold_s_done: parse_number("hold_s_done", &f.hold_s_done, &mut errors),
            minutes_done: parse_number("minutes_done", &f.minutes_done, &mut errors),
            pain_during: f.pain_during.as_deref().and_then(|v| v.parse().ok()),
            effort: f.effort.as_deref().and_then(|v| v.parse().ok()),
            skipped: None,
        }
    };
    let camera_session = f.camera_session.as_deref().and_then(|c| c.parse().ok());
    if errors.is_empty() {
        let req = RecordRequest { exercise: f.exercise.clone(), log, camera_session };
        match care::day::record(&state, &p, session_id, req).await {
            Ok(_) => return Ok(Redirect::to("/today/session").into_response()),
            Err(ApiError::Problems(problems)) => {
                errors = page_errors(
                    &problems,
                    &[
                        "sets_done",
                        "reps_done",
                        "hold_s_done",
                        "minutes_done",
                        "pain_during",
                        "effort",
                    ],
                );
            }
            Err(ApiError::Invalid { field, message }) => {
                let field = if field == "camera_session" { "main" } else { "skip" };
                errors.push(FieldError { field, message: sentence(&message) });
            }
            // Recorded already (a second tap, or another tab): carry on from where it is.
            Err(ApiError::Conflict(_)) => return Ok(Redirect::to("/today/session").into_response()),
            Err(e) => return Err(e.into()),
        }
    }
    let day = care::day::today(&state, &p, p.user.id).await?;
    render(&state, &p, &day, ShowQuery::default(), Some(f), Some(errors)).await
}

/// `POST /today/session/{session_id}/finish`: the closing check.
pub(crate) async fn finish(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(session_id): ApiPath<Uuid>,
    axum::Form(f): axum::Form<ClosingForm>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "day_session").await?;
    let closing = Closing {
        pain_after: f.pain_after.as_deref().and_then(|v| v.parse().ok()),
        fatigue: f.fatigue.as_deref().and_then(|v| v.parse().ok()),
        stopped_early: f.stopped_early.as_deref().and_then(|v| v.parse().ok()),
        note: Some(f.note.clone()),
    };
    let errors = match care::day::finish(&state, &p, session_id, closing).await {
        Ok(_) => return Ok(Redirect::to("/home?done=1").into_response()),
        Err(ApiError::Problems(problems)) => {
            page_errors(&problems, &["pain_after", "fatigue", "stopped_early", "note"])
        }
        Err(ApiError::Conflict(_)) => return Ok(Redirect::to("/home").into_response()),
        Err(e) => return Err(e.into()),
    };
    let day = care::day::today(&state, &p, p.user.id).await?;
    let Some(open) = day.open() else { return Ok(Redirect::to("/home").into_response()) };
    respond(
        StatusCode::UNPROCESSABLE_ENTITY,
        "Finish the session",
        &p,
        closing_page(&p, open, &f, &errors),
    )
}

/// The one question the morning after a session: pain now, which the progression rules
/// compare with the usual level (pain that has not settled means doing a little less).
pub(crate) fn next_morning_form(
    p: &crate::auth::Principal,
    session: &DaySession,
    error: Option<&str>,
) -> Markup {
    let hint = format!(
        "After your exercises on {}. Choose a number from 0 to 10.",
        crate::pages::layout::long_date(session.day)
    );
    html! {
        section.next-morning aria-labelledby="next-morning-title" {
            h2 #next-morning-title { "How is your back this morning?" }
            form method="post" action={ "/today/next-morning/" (session.id) } novalidate {
                (csrf_field(p))
                (crate::pages::pain_scale::pain_scale("pain", "How bad is your back pain this morning?", Some(&hint), None, error))
                button.button type="submit" { "Save my answer" }
            }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct MorningForm {
    #[serde(default)]
    pain: Option<String>,
}

/// `POST /today/next-morning/{session_id}`.
pub(crate) async fn next_morning(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(session_id): ApiPath<Uuid>,
    axum::Form(f): axum::Form<MorningForm>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "day_session").await?;
    let pain = f.pain.as_deref().and_then(|a| a.trim().parse().ok());
    let req = care::day::NextMorningRequest { pain };
    match care::day::next_morning(&state, &p, session_id, req).await {
        Ok(_) | Err(ApiError::Conflict(_)) => Ok(Redirect::to("/home").into_response()),
        Err(ApiError::Invalid { message, .. }) => {
            let message = sentence(&message);
            let errors = vec![FieldError { field: "pain", message: message.clone() }];
            let day = care::day::today(&state, &p, p.user.id).await?;
            let body = html! {
                (error_summary(&errors))
                h1 { "One question" }
                @if let Some(s) = &day.next_morning { (next_morning_form(&p, s, Some(&message))) }
                p { a href="/home" { "Back to today" } }
            };
            respond(StatusCode::UNPROCESSABLE_ENTITY, "One question", &p, body)
        }
        Err(e) => Err(e.into()),
    }
}
