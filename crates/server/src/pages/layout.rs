//! The page frame: skip link, header with navigation and sign-out, main landmark; and small
//! shared pieces (error summary, form fields).

use maud::{DOCTYPE, Markup, html};
use physio_store::Role;

use crate::auth::Principal;

pub(crate) fn page(title: &str, who: Option<&Principal>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – Physio" }
                link rel="stylesheet" href="/static/app.css";
            }
            body {
                a.skip-link href="#main" { "Skip to main content" }
                header.site-header {
                    div.wrap.header-row {
                        a.brand href="/" { "Physio" }
                        @if let Some(p) = who {
                            nav aria-label="Main" {
                                ul {
                                    @match p.role() {
                                        Role::Patient => {
                                            li { a href="/home" { "Home" } }
                                            li { a href="/programme" { "My exercises" } }
                                            li { a href="/progress" { "My progress" } }
                                            li { a href="/questionnaires" { "Questionnaires" } }
                                            li { a href="/decision-aid" { "Is surgery right for me?" } }
                                            li { (counted_link("/messages", "Messages", p.nav.messages, "unread")) }
                                        },
                                        Role::Clinician => {
                                            li { a href="/caseload" { "My patients" } }
                                            li { (counted_link("/inbox", "Inbox", p.nav.inbox, "open")) }
                                            li { (counted_link("/messages", "Messages", p.nav.messages, "waiting")) }
                                            li { a href="/library" { "Exercise library" } }
                                        },
                                        Role::Admin => {
                                            li { a href="/admin" { "Clinic admin" } }
                                            li { a href="/library" { "Exercise library" } }
                                        },
                                    }
                                }
                            }
                            div.account {
                                span.who { (p.user.name) }
                                a.account-link href="/account/two-step" { "Sign-in security" }
                                form method="post" action="/logout" {
                                    input type="hidden" name="csrf_token" value=(p.csrf_token());
                                    button.button-secondary type="submit" { "Sign out" }
                                }
                            }
                        }
                    }
                }
                main #main .wrap tabindex="-1" { (body) }
                footer.site-footer {
                    div.wrap { p { "Physio – open-source physical therapy for back pain." } }
                }
            }
        }
    }
}

/// A navigation link with how many wait for the reader as a badge when any do ("Messages": a
/// patient's unread messages, a clinician's patients' threads waiting; "Inbox": a clinician's
/// open alerts and proposals waiting). The badge is a number for the eye; screen readers hear
/// it in words ("Messages, 2 unread").
fn counted_link(href: &str, label: &str, count: Option<i64>, what: &str) -> Markup {
    html! {
        a.nav-counted href=(href) {
            (label)
            @if let Some(n) = count.filter(|n| *n > 0) {
                // No space before the badge (its margin spaces it), so the link's accessible
                // name reads "Messages, 2 unread".
                span.nav-count aria-hidden="true" { (n) }
                span.visually-hidden { ", " (n) " " (what) }
            }
        }
    }
}

/// One problem with a form: the field's id and how to fix it.
#[derive(Debug)]
pub(crate) struct FieldError {
    pub(crate) field: &'static str,
    pub(crate) message: String,
}

/// The box at the top of a form that failed: each problem links to its field.
pub(crate) fn error_summary(errors: &[FieldError]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 #error-summary-title { "There is a problem" }
                ul {
                    @for e in errors {
                        li { a href={ "#" (e.field) } { (e.message) } }
                    }
                }
            }
        }
    }
}

/// The inline message next to a field, if it has one.
pub(crate) fn field_error(errors: &[FieldError], field: &str) -> Markup {
    html! {
        @for e in errors.iter().filter(|e| e.field == field) {
            p.field-error id={ (field) "-error" } { span.visually-hidden { "Error: " } (e.message) }
        }
    }
}

pub(crate) fn csrf_field(p: &Principal) -> Markup {
    html! { input type="hidden" name="csrf_token" value=(p.csrf_token()); }
}

/// A date as people read it: "14 March 1968".
pub(crate) fn long_date(d: time::Date) -> String {
    format!("{} {} {}", d.day(), d.month(), d.year())
}

/// Whole years between a date of birth and today.
pub(crate) fn age(dob: time::Date, today: time::Date) -> i32 {
    let mut years = today.year() - dob.year();
    if (today.month() as u8, today.day()) < (dob.month() as u8, dob.day()) {
        years -= 1;
    }
    years
}

/// A message as a sentence on a page: its first letter capitalised.
pub(crate) fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
