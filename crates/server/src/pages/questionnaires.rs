//! Questionnaires for patients: what is asked today (the baseline spread over the first days,
//! then the clinic's follow-up weeks), each questionnaire under a title that says what it is
//! about, and the answers scored on sending, with alerts for the care team when an answer
//! needs one (PHQ-9 item 9).
//!
//! A long questionnaire (`Instrument::one_section_per_screen`) is asked one section per screen
//! with "3 of 10" and a back button. The answers so far travel with each screen as hidden
//! fields, so nothing is stored until the last screen sends them all (no half-written record,
//! and no JavaScript). The last screen sends directly: each screen already shows one question
//! and its answer, and going back shows them again, so a check-your-answers page would be an
//! eleventh screen for the same view. Problems come back in the patient's words
//! (`Instrument::problems`), each linking to its question; scoring rules never appear.

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response as HttpResponse},
};
use maud::{Markup, html};
use physio_clinic::questionnaire::{Instrument, InstrumentId, Problem, Response};
use physio_store::{AuditOutcome, Episode, Role};
use serde::Deserialize;

use super::Form;
use crate::{
    auth::Principal,
    care,
    error::{ApiError, ApiPath, ApiQuery},
    pages::{
        PageError, PageResult, PageUser,
        layout::{csrf_field, long_date, page},
        pain_scale::{Rating, rating},
    },
    state::AppState,
};

async fn current_episode(state: &AppState, p: &Principal) -> Result<Option<Episode>, PageError> {
    Ok(care::questionnaires::episode_of(state.store(), p.user.clinic_id, p.user.id, state.now())
        .await?)
}

/// Everything open for the patient now, including baseline questionnaires whose day has not
/// come yet (`Due::asked_on`).
async fn open_now(
    state: &AppState,
    p: &Principal,
) -> Result<Vec<physio_clinic::schedule::Due>, PageError> {
    match current_episode(state, p).await? {
        Some(ep) => Ok(care::questionnaires::due_in(state.store(), &ep, state.now()).await?),
        None => Ok(vec![]),
    }
}

/// What the patient is asked to fill in today.
pub(crate) async fn due_now(
    state: &AppState,
    p: &Principal,
) -> Result<Vec<physio_clinic::schedule::Due>, PageError> {
    let today = state.now().date();
    Ok(open_now(state, p).await?.into_iter().filter(|d| d.asked_on(today)).collect())
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
    let today = state.now().date();
    let open = open_now(&state, &p).await?;
    let (due, later): (Vec<_>, Vec<_>) = open.into_iter().partition(|d| d.asked_on(today));
    let answered = care::questionnaires::responses(&state, &p, p.user.id, None).await?;
    let contact = if q.alert == Some(true) {
        state.store().clinic_contact(p.user.clinic_id).await?
    } else {
        None
    };
    state
        .audit(p.actor(), "list", "questionnaire_response", Some(p.user.id), AuditOutcome::Success)
        .await?;
    let body = html! {
        @if q.alert == Some(true) { (crisis_card(contact.as_deref())) }
        @if let Some(d) = q.done.as_deref().and_then(|d| d.parse::<InstrumentId>().ok()) {
            div.notice role="status" { "Thank you. Your answers to \u{201c}" (instrument(&state, d).patient().title) "\u{201d} are saved." }
        }
        h1 { "Your questionnaires" }
        @if due.is_empty() {
            p { "Nothing to fill in today." }
            @if !later.is_empty() {
                p { "We will ask you " (count(later.len())) " more over the next few days, so that you do not have to do them all at once." }
            }
        } @else {
            p.lead { "Your answers help you and your physical therapist see how you are getting on." }
            ul.task-list.questionnaire-list {
                @for d in &due {
                    @let inst = instrument(&state, d.instrument);
                    li.task {
                        div.task-text {
                            a.task-name href={ "/questionnaires/" (d.instrument.as_str()) "?timepoint=" (d.timepoint) } { (inst.patient().title) }
                            p.task-dose { (inst.patient().about) }
                            p.task-when.hint { (sentence_case(&inst.size_in_words())) }
                        }
                    }
                }
            }
            @if !later.is_empty() {
                p { "We will ask you " (count(later.len())) " more over the next few days, so that you do not have to do them all at once." }
            }
        }
        @if !answered.is_empty() {
            h2 { "Already answered" }
            ul.answered-list { @for r in answered.iter().rev() {
                li {
                    @match r.instrument.parse::<InstrumentId>() {
                        Ok(id) => (instrument(&state, id).patient().title),
                        Err(_) => "A questionnaire",
                    }
                    ", " (long_date(r.submitted_at.date()))
                }
            } }
        }
    };
    Ok(page("Your questionnaires", Some(&p), body).into_response())
}

fn count(n: usize) -> String {
    match n {
        1 => "1".to_owned(),
        n => n.to_string(),
    }
}

fn sentence_case(s: &str) -> String {
    crate::pages::layout::sentence(s)
}

/// Shown at once after a PHQ-9 answer about thoughts of death or self-harm: what to do now if
/// they are in danger, that the care team knows and when they will phone, and the clinic's
/// own number (the admin's contact details) for sooner.
fn crisis_card(contact: Option<&str>) -> Markup {
    html! {
        div.care-card.care-urgent.crisis-card role="alert" {
            h2 { "Thank you for telling us" }
            p { "You said you have had thoughts of death or of harming yourself. If you feel you might act on these thoughts, call your emergency number now or go to an emergency department." }
            p { "Your care team has been told. " (care::questionnaires::CRISIS_CALL_BACK) }
            @if let Some(c) = contact.map(str::trim).filter(|c| !c.is_empty()) {
                p { "To talk to your clinic sooner: " strong { (c) } }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct FormQuery {
    timepoint: Option<String>,
}

/// A form's fields as sent, read the way the pages need them.
struct Values<'a>(&'a [(String, String)]);

impl Values<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }

    fn text(&self, name: &str) -> &str {
        self.0.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
    }
}

fn item_field(i: usize) -> String {
    format!("q{i}")
}

/// Every answer so far as hidden fields, except the question on screen (`except`).
fn hidden_answers(inst: &Instrument, v: &Values<'_>, except: Option<usize>) -> Markup {
    html! {
        @for i in (0..inst.items().len()).filter(|i| Some(*i) != except) {
            @if let Some(a) = v.get(&item_field(i)) {
                input type="hidden" name=(item_field(i)) value=(a);
            }
        }
    }
}

/// One question: radio buttons, rating tiles or a number of hours.
fn question(
    inst: &Instrument,
    i: usize,
    v: &Values<'_>,
    error: Option<&str>,
    as_heading: bool,
) -> Markup {
    let item = &inst.items()[i];
    let name = item_field(i);
    let hint = inst.patient().hint.as_deref();
    let chosen = v.get(&name);
    let legend = if as_heading || inst.items().len() == 1 {
        item.label.clone()
    } else {
        format!("{}. {}", i + 1, item.label)
    };
    let error_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    html! {
        @match &item.response {
            Response::Options(options) => {
                div.field.field-invalid[error.is_some()] {
                    fieldset id=(name) aria-describedby=[hint.map(|_| hint_id.as_str())] {
                        @if as_heading {
                            legend.legend-heading { h1 { (legend) } }
                        } @else {
                            legend { (legend) }
                        }
                        @if let Some(h) = hint { p.hint id=(hint_id) { (h) } }
                        @if let Some(e) = error {
                            p.field-error id=(error_id) { span.visually-hidden { "Error: " } (e) }
                        }
                        @for o in options {
                            @let id = format!("{name}-{}", o.value);
                            div.radio {
                                input type="radio" name=(name) value=(o.value) id=(id) checked[chosen == Some(o.value.to_string().as_str())];
                                label for=(id) { (o.label) }
                            }
                        }
                    }
                }
            },
            Response::Scale(s) => {
                (rating(&Rating {
                    name: &name,
                    legend: &legend,
                    heading: as_heading,
                    hint,
                    min: s.min,
                    max: s.max,
                    min_label: &s.min_label,
                    max_label: &s.max_label,
                    value: chosen.and_then(|c| c.parse().ok()),
                    error,
                    after: None,
                }))
            },
            Response::Hours(h) => {
                div.field.field-invalid[error.is_some()] {
                    label for=(name) { (legend) }
                    p.hint id=(hint_id) { "In hours, for example 7.5. Leave it empty if it does not apply to you (up to " (h.max) ")." }
                    @if let Some(e) = error {
                        p.field-error id=(error_id) { span.visually-hidden { "Error: " } (e) }
                    }
                    input.input-short id=(name) name=(name) type="text" inputmode="decimal"
                        aria-describedby=(if error.is_some() { format!("{hint_id} {error_id}") } else { hint_id.clone() })
                        aria-invalid=[error.map(|_| "true")] value=(v.text(&name));
                }
            },
        }
    }
}

/// Where an error summary's link for a problem goes: the question's field.
fn problem_target(inst: &Instrument, pr: &Problem, psfs_slots: &[usize]) -> String {
    if inst.repeat().is_some() {
        // A rating of a named activity, or the first activity not named yet.
        let slot = psfs_slots.get(pr.index).copied();
        return match slot {
            Some(k) => format!("act_{k}"),
            None => format!("act_name_{}", first_free_slot(psfs_slots)),
        };
    }
    item_field(pr.index)
}

fn first_free_slot(slots: &[usize]) -> usize {
    (0..).find(|k| !slots.contains(k)).unwrap_or(0)
}

/// The box at the top of a page with problems, each linking to its question.
fn summary(items: &[(String, String)]) -> Markup {
    html! {
        @if !items.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 #error-summary-title { "There is a problem" }
                ul { @for (target, message) in items { li { a href={ "#" (target) } { (message) } } } }
            }
        }
    }
}

struct Screen<'a> {
    p: &'a Principal,
    inst: &'a Instrument,
    timepoint: &'a str,
    values: &'a [(String, String)],
}

/// The whole questionnaire on one page (short ones, and the PSFS). `problems` are (field id,
/// message) pairs.
fn whole_page(s: &Screen<'_>, problems: &[(String, String)]) -> Markup {
    let (inst, v) = (s.inst, Values(s.values));
    let at = |target: &str| {
        problems.iter().find(|(t, _)| t == target).map(|(_, message)| message.as_str())
    };
    let listed = problems;
    let body = html! {
        a.back-link href="/questionnaires" { "Back" }
        (summary(listed))
        h1 { (inst.patient().title) }
        p.lead { (inst.patient().about) }
        p.hint { (sentence_case(&inst.size_in_words())) }
        form method="post" action={ "/questionnaires/" (inst.id().as_str()) } novalidate {
            (csrf_field(s.p))
            input type="hidden" name="timepoint" value=(s.timepoint);
            @if let Some(rep) = inst.repeat() {
                @let scale = inst.items().first().map(|i| &i.response);
                @for k in 0..rep.max {
                    @let name_field = format!("act_name_{k}");
                    @let rating_field = format!("act_{k}");
                    fieldset.activity {
                        legend { "Activity " (k + 1) @if k >= rep.min { " (if you want to add one)" } }
                        div.field.field-invalid[at(&name_field).is_some()] {
                            label for=(name_field) { "What is the activity?" }
                            p.hint id={ (name_field) "-hint" } { "For example: putting on socks, or walking to the shops." }
                            @if let Some(e) = at(&name_field) {
                                p.field-error id={ (name_field) "-error" } { span.visually-hidden { "Error: " } (e) }
                            }
                            input id=(name_field) name=(name_field) type="text" value=(v.text(&name_field))
                                aria-describedby={ (name_field) "-hint" };
                        }
                        @if let Some(Response::Scale(sc)) = scale {
                            (rating(&Rating {
                                name: &rating_field,
                                legend: "How well can you do it now?",
                                heading: false,
                                hint: None,
                                min: sc.min,
                                max: sc.max,
                                min_label: &sc.min_label,
                                max_label: &sc.max_label,
                                value: v.get(&rating_field).and_then(|c| c.parse().ok()),
                                error: at(&rating_field),
                                after: None,
                            }))
                        }
                    }
                }
            } @else {
                @for i in 0..inst.items().len() {
                    (question(inst, i, &v, at(&item_field(i)), false))
                }
            }
            button.button type="submit" name="go" value="send" { "Send my answers" }
        }
    };
    let title = inst.patient().title.clone();
    page(&if problems.is_empty() { title } else { format!("Error: {title}") }, Some(s.p), body)
}

/// One section of a long questionnaire, with "3 of 10", a back button that keeps the answers,
/// and the answers so far carried as hidden fields.
fn section_page(s: &Screen<'_>, section: usize, problems: &[Problem]) -> Markup {
    let (inst, v) = (s.inst, Values(s.values));
    let total = inst.items().len();
    let action = format!("/questionnaires/{}", inst.id().as_str());
    let here = problems.iter().find(|pr| pr.index == section).map(|pr| pr.message.as_str());
    let last = section + 1 == total;
    let body = html! {
        @if section == 0 {
            a.back-link href="/questionnaires" { "Back" }
        } @else {
            form.back-form method="post" action=(action) {
                (csrf_field(s.p))
                input type="hidden" name="timepoint" value=(s.timepoint);
                input type="hidden" name="section" value=(section);
                (hidden_answers(inst, &v, None))
                button.back-link.link-button type="submit" name="go" value="back" { "Back" }
            }
        }
        @if !problems.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 #error-summary-title { "There is a problem" }
                ul { @for pr in problems {
                    li {
                        @if pr.index == section {
                            a href={ "#" (item_field(pr.index)) } { (pr.message) }
                        } @else {
                            // Another screen: a button that goes there with every answer kept.
                            form.inline-form method="post" action=(action) {
                                (csrf_field(s.p))
                                input type="hidden" name="timepoint" value=(s.timepoint);
                                input type="hidden" name="section" value=(section);
                                (hidden_answers(inst, &v, None))
                                button.link-button type="submit" name="go" value={ "to-" (pr.index) } { (pr.message) }
                            }
                        }
                    }
                } }
            }
        }
        form #questionnaire method="post" action=(action) novalidate {
            (csrf_field(s.p))
            input type="hidden" name="timepoint" value=(s.timepoint);
            input type="hidden" name="section" value=(section);
            (hidden_answers(inst, &v, Some(section)))
            p.caption { (inst.patient().title) }
            p.hint.section-count { "Question " (section + 1) " of " (total) }
            (question(inst, section, &v, here, true))
            div.button-row {
                button.button type="submit" name="go" value="next" {
                    @if last { "Send my answers" } @else { "Continue" }
                }
                @if inst.may_skip() > 0 {
                    button.button-secondary type="submit" name="go" value="skip" { "Skip this question" }
                }
            }
        }
    };
    let title = format!("{} – question {} of {}", inst.patient().title, section + 1, total);
    page(&if problems.is_empty() { title } else { format!("Error: {title}") }, Some(s.p), body)
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
    let inst = instrument(&state, id);
    let screen = Screen { p: &p, inst: &inst, timepoint: &timepoint, values: &[] };
    let page = if inst.one_section_per_screen() {
        section_page(&screen, 0, &[])
    } else {
        whole_page(&screen, &[])
    };
    Ok(page.into_response())
}

/// Reads the answers in the instrument's order (PSFS: one rating per named activity, and the
/// slots they came from).
struct Read {
    answers: Vec<Option<f64>>,
    activities: Option<Vec<String>>,
    psfs_slots: Vec<usize>,
    /// Problems the form itself finds: hours that are not a number.
    problems: Vec<Problem>,
    /// PSFS slots rated with no activity named.
    unnamed: Vec<usize>,
}

fn read(inst: &Instrument, v: &Values<'_>) -> Read {
    let mut problems = vec![];
    if let Some(rep) = inst.repeat() {
        let (mut names, mut ratings, mut slots, mut unnamed) = (vec![], vec![], vec![], vec![]);
        for k in 0..rep.max {
            let rating = v.get(&format!("act_{k}")).and_then(|r| r.parse().ok());
            match v.get(&format!("act_name_{k}")) {
                Some(name) => {
                    names.push(name.chars().take(100).collect::<String>());
                    ratings.push(rating);
                    slots.push(k);
                }
                None if rating.is_some() => unnamed.push(k),
                None => {}
            }
        }
        return Read {
            answers: ratings,
            activities: Some(names),
            psfs_slots: slots,
            problems,
            unnamed,
        };
    }
    let answers = (0..inst.items().len())
        .map(|i| {
            let raw = v.get(&item_field(i))?;
            match raw.replace(',', ".").parse::<f64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    problems.push(Problem {
                        index: i,
                        message: match &inst.items()[i].response {
                            Response::Hours(h) => {
                                format!("Enter a number of hours from 0 to {}, like 7.5", h.max)
                            }
                            _ => inst.missing_message(i),
                        },
                    });
                    None
                }
            }
        })
        .collect();
    Read { answers, activities: None, psfs_slots: vec![], problems, unnamed: vec![] }
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
    let v = Values(&form);
    let timepoint = v.get("timepoint").unwrap_or("adhoc").to_owned();
    let go = v.get("go").unwrap_or("send").to_owned();
    if inst.one_section_per_screen() {
        let last = inst.items().len() - 1;
        let section = v.get("section").and_then(|s| s.parse::<usize>().ok()).unwrap_or(0).min(last);
        let mut values: Vec<(String, String)> =
            form.iter().filter(|(n, _)| n != "go" && n != "section").cloned().collect();
        let screen = |values: &[(String, String)], at: usize, problems: &[Problem], status| {
            let s = Screen { p: &p, inst: &inst, timepoint: &timepoint, values };
            (status, section_page(&s, at, problems)).into_response()
        };
        if go == "back" {
            return Ok(if section == 0 {
                Redirect::to("/questionnaires").into_response()
            } else {
                screen(&values, section - 1, &[], StatusCode::OK)
            });
        }
        if let Some(to) = go.strip_prefix("to-").and_then(|t| t.parse::<usize>().ok()) {
            return Ok(screen(&values, to.min(last), &[], StatusCode::OK));
        }
        let field = item_field(section);
        let answered = Values(&values).get(&field).is_some();
        if go == "skip" {
            values.retain(|(n, _)| *n != field);
            let skipped =
                (0..=section).filter(|i| Values(&values).get(&item_field(*i)).is_none()).count();
            if skipped > inst.may_skip() {
                let message = format!(
                    "You have already left out {} questions. {}",
                    inst.may_skip(),
                    inst.missing_message(section)
                );
                let problems = [Problem { index: section, message }];
                return Ok(screen(&values, section, &problems, StatusCode::UNPROCESSABLE_ENTITY));
            }
        } else if !answered {
            let problems = [Problem { index: section, message: inst.missing_message(section) }];
            return Ok(screen(&values, section, &problems, StatusCode::UNPROCESSABLE_ENTITY));
        }
        if section < last {
            return Ok(screen(&values, section + 1, &[], StatusCode::OK));
        }
        return send(&state, &p, &inst, &timepoint, &values).await;
    }
    send(&state, &p, &inst, &timepoint, &form).await
}

/// Checks the answers in the patient's words and sends them; problems bring the form back
/// (the section of the first problem, for a long questionnaire) with status 422.
async fn send(
    state: &AppState,
    p: &Principal,
    inst: &Instrument,
    timepoint: &str,
    values: &[(String, String)],
) -> Result<HttpResponse, PageError> {
    let v = Values(values);
    let read = read(inst, &v);
    let mut listed: Vec<(String, String)> = read
        .unnamed
        .iter()
        .map(|k| (format!("act_name_{k}"), "Say what the activity is".to_owned()))
        .collect();
    let problems = if read.problems.is_empty() && listed.is_empty() {
        inst.problems(&read.answers)
    } else {
        read.problems.clone()
    };
    listed.extend(
        problems.iter().map(|pr| (problem_target(inst, pr, &read.psfs_slots), pr.message.clone())),
    );
    let back = |problems: &[Problem], listed: &[(String, String)]| {
        let s = Screen { p, inst, timepoint, values };
        let markup = if inst.one_section_per_screen() {
            let first = problems.iter().map(|pr| pr.index).min().unwrap_or(0);
            section_page(&s, first.min(inst.items().len() - 1), problems)
        } else {
            whole_page(&s, listed)
        };
        (StatusCode::UNPROCESSABLE_ENTITY, markup).into_response()
    };
    if !listed.is_empty() {
        return Ok(back(&problems, &listed));
    }
    let answer = care::questionnaires::Answer {
        answers: read.answers.clone(),
        activities: read.activities.clone(),
        timepoint: timepoint.to_owned(),
    };
    let done = match care::questionnaires::answer(state, p, inst.id(), &answer).await {
        Ok(done) => done,
        // The checks above mirror scoring's, so this is a gap between the two: say so plainly
        // at the first question rather than show the scorer's words.
        Err(ApiError::Invalid { .. }) => {
            let problem =
                Problem { index: 0, message: "Check your answers and send them again".into() };
            let listed =
                [(problem_target(inst, &problem, &read.psfs_slots), problem.message.clone())];
            return Ok(back(&[problem], &listed));
        }
        Err(e) => return Err(e.into()),
    };
    let to = format!(
        "/questionnaires?done={}{}",
        inst.id().as_str(),
        if done.alerted { "&alert=true" } else { "" }
    );
    Ok(Redirect::to(&to).into_response())
}
