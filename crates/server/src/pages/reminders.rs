//! The patient's reminder page: which days, what time and, if they like, what it goes with
//! ("after breakfast"); on or off. Without a mail server the page says reminders show on the
//! home page only. A form with a problem comes back with what was typed, an error summary and
//! status 422.

use axum::{
    extract::{RawQuery, State},
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use maud::{Markup, html};
use physio_clinic::exercise::Weekday;
use physio_store::Role;

use crate::{
    auth::Principal,
    care::{
        self,
        reminders::{FIELDS, PlanRequest, ReminderView},
    },
    error::ApiError,
    pages::{
        Form, PageResult, PageUser,
        layout::{FieldError, csrf_field, error_summary, field_error, page, sentence},
    },
    state::AppState,
};

/// What the form holds: as stored, or as typed.
#[derive(Debug, Clone)]
struct Typed {
    days: Vec<String>,
    time: String,
    habit: String,
    enabled: bool,
}

impl Typed {
    fn of(view: &ReminderView) -> Typed {
        match &view.plan {
            Some(p) => Typed {
                days: p.days.iter().map(|d| d.as_str().to_owned()).collect(),
                time: p.time.to_string(),
                habit: p.habit.clone().unwrap_or_default(),
                enabled: p.enabled,
            },
            // A first plan starts on, with nothing chosen.
            None => {
                Typed { days: vec![], time: String::new(), habit: String::new(), enabled: true }
            }
        }
    }

    fn parse(pairs: Vec<(String, String)>) -> Typed {
        let mut t =
            Typed { days: vec![], time: String::new(), habit: String::new(), enabled: true };
        for (key, value) in pairs {
            match key.as_str() {
                "days" => t.days.push(value),
                "time" => t.time = value,
                "habit" => t.habit = value,
                "enabled" => t.enabled = value != "no",
                _ => {}
            }
        }
        t
    }
}

pub(crate) async fn show(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    RawQuery(query): RawQuery,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "reminders").await?;
    let view = care::reminders::read(&state, &p, p.user.id).await?;
    let saved = query.is_some_and(|q| q.split('&').any(|kv| kv == "saved=1"));
    let typed = Typed::of(&view);
    Ok(render(&p, &view, &typed, &[], saved).into_response())
}

pub(crate) async fn save(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "reminders").await?;
    let typed = Typed::parse(pairs);
    let req = PlanRequest {
        days: typed.days.clone(),
        time: typed.time.clone(),
        habit: Some(typed.habit.clone()),
        enabled: typed.enabled,
    };
    let errors = match care::reminders::set(&state, &p, p.user.id, &req).await {
        Ok(_) => return Ok(Redirect::to("/reminders?saved=1").into_response()),
        Err(ApiError::Invalid { field, message }) => {
            vec![FieldError { field, message: sentence(&message) }]
        }
        Err(ApiError::Problems(list)) => list
            .into_iter()
            .filter_map(|pr| {
                let field = FIELDS.into_iter().find(|f| *f == pr.field)?;
                Some(FieldError { field, message: sentence(&pr.message) })
            })
            .collect(),
        Err(e) => return Err(e.into()),
    };
    let view = care::reminders::read(&state, &p, p.user.id).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p, &view, &typed, &errors, false))
        .into_response())
}

fn render(
    p: &Principal,
    view: &ReminderView,
    typed: &Typed,
    errors: &[FieldError],
    saved: bool,
) -> Markup {
    let title = "Exercise reminders";
    let title = if errors.is_empty() { title.to_owned() } else { format!("Error: {title}") };
    let invalid = |id: &str| errors.iter().any(|e| e.field == id);
    let body = html! {
        a.back-link href="/home" { "Back to your home page" }
        (error_summary(errors))
        h1 { "Exercise reminders" }
        @if saved {
            div.notice role="status" {
                @match (&view.plan, &view.next) {
                    (Some(plan), Some(next)) if plan.enabled => {
                        p { "Your reminders are saved. The next one is " (lowercase_day(&next.text)) "." }
                    },
                    _ => p { "Your reminders are turned off." },
                }
            }
        } @else if let Some(next) = &view.next {
            p.lead { "Your next reminder: " (next.text) "." }
        }
        @if view.by_email {
            p { "We will send an e-mail to " strong { (p.user.email) } " at the time you choose. It only says that it is time for your exercises, with a link to sign in. Your next reminder also shows on your home page." }
        } @else {
            p { "Your clinic has not set up e-mail, so your reminders show on your home page only. You will not get an e-mail." }
        }
        form.reminder-form method="post" action="/reminders" novalidate {
            (csrf_field(p))
            fieldset {
                legend { "Do you want reminders?" }
                div.radio {
                    input type="radio" id="enabled" name="enabled" value="yes" checked[typed.enabled];
                    label for="enabled" { "Yes, remind me" }
                }
                div.radio {
                    input type="radio" id="enabled-no" name="enabled" value="no" checked[!typed.enabled];
                    label for="enabled-no" { "No, turn reminders off" }
                }
            }
            fieldset aria-describedby="days-hint" {
                legend { "Which days?" }
                p.hint #days-hint { "Choose the days you plan to do your exercises." }
                (field_error(errors, "days"))
                @for (n, d) in Weekday::ALL.iter().enumerate() {
                    @let id = if n == 0 { "days".to_owned() } else { format!("days-{}", d.as_str()) };
                    div.checkbox {
                        input type="checkbox" id=(id) name="days" value=(d.as_str())
                            checked[typed.days.iter().any(|x| x == d.as_str())];
                        label for=(id) { (d.label()) }
                    }
                }
            }
            div.field {
                label for="time" { "What time?" }
                p.hint #time-hint { "For example, 8:00 in the morning or 6:30 in the evening." }
                (field_error(errors, "time"))
                input #time type="time" name="time" value=(typed.time) aria-describedby="time-hint"
                    aria-invalid=(invalid("time"));
            }
            div.field {
                label for="habit" { "What will you do your exercises after? (optional)" }
                p.hint #habit-hint { "Tying exercise to something you already do each day makes it easier to remember. For example: after breakfast." }
                (field_error(errors, "habit"))
                input #habit type="text" name="habit" value=(typed.habit) maxlength="60"
                    aria-describedby="habit-hint" aria-invalid=(invalid("habit"));
            }
            button.button type="submit" { "Save reminders" }
        }
    };
    page(&title, Some(p), body)
}

/// "Thursday at 8:00" reads on inside a sentence as it is; "Today", "Tomorrow" and "Next" drop
/// their capital.
fn lowercase_day(text: &str) -> String {
    for word in ["Today", "Tomorrow", "Next"] {
        if let Some(rest) = text.strip_prefix(word) {
            return format!("{}{rest}", word.to_lowercase());
        }
    }
    text.to_owned()
}
