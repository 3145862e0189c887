//! The patient's own exercise programme: each exercise as a card (its figure, how much and how
//! often, from when to when, the physiotherapist's note, how to do it and when to stop), and a
//! copy to print on A4 or Letter in black and white. Thin over `care::programme::read`.

use axum::{extract::State, response::IntoResponse};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use physio_clinic::exercise::Weekday;
use physio_clinic::programme::{Item, camera};
use physio_store::Role;
use time::{Date, Duration};

use crate::{
    care::{self, day::DayView, programme::Entry},
    pages::{
        PageResult, PageUser,
        figure::{FIGURE_CSS, animated, still},
        layout::{long_date, page},
    },
    state::AppState,
};

/// What a patient is told about an exercise a precaution now holds.
pub(crate) const HELD: &str = "Leave this out for now: your physiotherapist is checking it";

/// What a patient is told before their physiotherapist has chosen any exercise.
pub(crate) const NOT_SET: &str = "Your physiotherapist has not set your exercises yet.";

/// The anchor of an exercise's card on `/programme`.
pub(crate) fn card_id(exercise: &str) -> String {
    format!("exercise-{exercise}")
}

/// Whether the item is to be done on `day`: in force, and one of its days of the week.
fn scheduled_on(item: &Item, day: Date) -> bool {
    item.active_on(day) && item.dose.days.contains(&Weekday::of(day))
}

/// Whether the patient does this exercise today: they may, and today is one of its days.
pub(crate) fn for_today(e: &Entry, today: Date) -> bool {
    e.doable_today() && e.item.dose.days.contains(&Weekday::of(today))
}

/// Whether the exercise's last day has passed: it is no longer part of what the patient does.
pub(crate) fn finished(e: &Entry, today: Date) -> bool {
    e.item.end.is_some_and(|end| end < today)
}

/// When an exercise that is not for today is done, in plain words ("Next: Friday").
pub(crate) fn when_text(item: &Item, today: Date) -> String {
    if item.start > today {
        return format!("Starts on {}", long_date(item.start));
    }
    if let Some(end) = item.end.filter(|end| *end < today) {
        return format!("Finished on {}", long_date(end));
    }
    let next = (1..=7)
        .filter_map(|k| today.checked_add(Duration::days(k)))
        .find(|d| scheduled_on(item, *d));
    match next {
        Some(d) if Some(d) == today.next_day() => "Next: tomorrow".to_owned(),
        Some(d) => format!("Next: {}", Weekday::of(d).label()),
        None => "Not in the coming week".to_owned(),
    }
}

/// From when to when, in words.
pub(crate) fn dates_text(item: &Item) -> String {
    match item.end {
        Some(end) => format!("From {} to {}", long_date(item.start), long_date(end)),
        None => format!("From {}, until your physiotherapist changes it", long_date(item.start)),
    }
}

/// The figure of an exercise: moving, or still (start and end side by side) for anyone who
/// asks for less motion, and on paper.
pub(crate) fn figure_of(e: &physio_clinic::exercise::Exercise) -> Markup {
    html! {
        div.card-figure {
            (animated(&e.figure, &e.name))
            (still(&e.figure, &e.name))
        }
    }
}

/// The therapist's note, clearly theirs.
pub(crate) fn note_of(item: &Item) -> Markup {
    html! {
        @if let Some(note) = item.note.as_deref().filter(|n| !n.trim().is_empty()) {
            div.therapist-note {
                h3 { "Note from your physiotherapist" }
                p { (note) }
            }
        }
    }
}

/// One exercise of the programme as a card.
fn card(e: &Entry, today: Date, paused: bool) -> Markup {
    let Some(ex) = &e.exercise else {
        return html! {
            article.exercise-card id=(card_id(&e.item.exercise)) {
                h2 { "An exercise that is no longer available" }
                p { "This exercise has been taken out of your clinic's list. Leave it out, and ask your physiotherapist what to do instead." }
            }
        };
    };
    let (label, class) = if paused {
        ("Paused", "tag-grey")
    } else if !e.flags.is_empty() && e.item.active_on(today) {
        ("Leave out for now", "tag-held")
    } else if for_today(e, today) {
        ("Today", "tag-today")
    } else {
        ("Not today", "tag-grey")
    };
    let title_id = format!("{}-title", card_id(&ex.id));
    html! {
        article.exercise-card id=(card_id(&ex.id)) aria-labelledby=(title_id) {
            div.exercise-card-head {
                h2 id=(title_id) { (ex.name) }
                strong.tag.(class) { (label) }
            }
            p.exercise-summary { (ex.summary) }
            @if paused {
                p.exercise-when { "Paused: do not do this exercise for now." }
            } @else if !e.flags.is_empty() && e.item.active_on(today) {
                p.exercise-when.held { (HELD) "." }
            } @else if !for_today(e, today) {
                p.exercise-when { (when_text(&e.item, today)) "." }
            }
            div.exercise-card-top {
                (figure_of(ex))
                div.exercise-dose {
                    h3 { "How much and how often" }
                    p.dose { (e.item.dose.patient_text()) }
                    @for d in e.item.dose.details_text() { p.dose-detail { (d) } }
                    p.dates { (dates_text(&e.item)) "." }
                    (note_of(&e.item))
                    @if !paused && e.doable_today() && camera(&e.item, ex).offered() {
                        p { a.button href={ "/exercise/" (ex.id) } { "Do it with the camera" } }
                    }
                }
            }
            h3 { "How to start" }
            p { (ex.instructions.start) }
            h3 { "What to do" }
            ol.steps { @for s in &ex.instructions.steps { li { (s) } } }
            @if !ex.instructions.cues.is_empty() {
                h3 { "Remember" }
                ul { @for c in &ex.instructions.cues { li { (c) } } }
            }
            h3 { "What it should feel like" }
            p { (ex.instructions.feel) }
            div.when-to-stop {
                h3 { "When to stop" }
                p { (ex.instructions.stop_if) }
            }
            p.credit { "Drawing: " (ex.figure_credit.line()) }
        }
    }
}

/// `GET /programme`: the patient's whole programme.
pub(crate) async fn show(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "programme").await?;
    let view = care::programme::read(&state, &p, p.user.id).await?;
    let zone = care::clinic::zone(&state, p.user.clinic_id).await?;
    let today = view.today;
    let entries: Vec<&Entry> = view.entries.iter().filter(|e| !finished(e, today)).collect();
    let paused = view.pause.is_some();
    let body = html! {
        style { (PreEscaped(FIGURE_CSS)) }
        a.back-link href="/home" { "Back to your home page" }
        h1 { "Your exercise programme" }
        @if let Some(pause) = &view.pause {
            (crate::pages::safety::care_card(pause))
            p { strong { "Your programme is paused." } " Do not do these exercises until your physiotherapist says you can start again." }
        }
        @if entries.is_empty() {
            p { (NOT_SET) " They will add them here. Until then, keep moving in ways that feel comfortable." }
        } @else {
            @if let Some(v) = &view.current {
                p.lead { "Set by your physiotherapist. Last changed on " (long_date(zone.local(v.created_at).date())) "." }
            }
            p { a.button-secondary href="/programme/print" { "Print your programme" } }
            @if entries.len() > 1 {
                nav.programme-contents aria-label="Exercises in your programme" {
                    h2 { "Your exercises" }
                    ol {
                        @for e in &entries {
                            li { a href={ "#" (card_id(&e.item.exercise)) } {
                                (e.exercise.as_ref().map_or("An exercise that is no longer available", |x| x.name.as_str()))
                            } }
                        }
                    }
                }
            }
            @for e in &entries { (card(e, today, paused)) }
            p.hint { "Stop any exercise that makes your pain much worse, and tell your physiotherapist. If you feel dizzy, sick or unwell, stop and rest." }
        }
        p { a href="/lessons" { "Your lessons: short reads about your back and your care" } }
    };
    Ok(page("Your exercise programme", Some(&p), body).into_response())
}

/// The print page's own frame: no site header, navigation or footer; one `main`.
fn print_layout(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href="/static/app.css";
                // Only this page sets the paper's margins; the rest of its print rules are in
                // app.css ("Programme: patient pages").
                style { (PreEscaped("@page { size: auto; margin: 15mm; }\n")) (PreEscaped(FIGURE_CSS)) }
            }
            body.print-page {
                main #main .print-sheet { (body) }
                script type="module" src="/web/print.js" {}
            }
        }
    }
}

/// `GET /programme/print`: the programme on paper: the clinic, the patient, the date, and each
/// exercise with its still figure, dose, steps and the note.
pub(crate) async fn print(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "programme_print").await?;
    let view = care::programme::read(&state, &p, p.user.id).await?;
    let (me, team) = care::records::patient(&state, &p, p.user.id).await?;
    let clinic = state.store().clinic(p.user.clinic_id).await?;
    let contact = state.store().clinic_contact(p.user.clinic_id).await?;
    let zone = care::clinic::zone(&state, p.user.clinic_id).await?;
    let today = view.today;
    let entries: Vec<&Entry> = view.entries.iter().filter(|e| !finished(e, today)).collect();
    let team: Vec<&str> = team.iter().map(|m| m.clinician_name.as_str()).collect();
    let title = format!("Exercise programme for {}", me.name);
    let credits: std::collections::BTreeSet<String> = entries
        .iter()
        .filter_map(|e| e.exercise.as_ref())
        .map(|x| x.figure_credit.line())
        .collect();
    let credits: Vec<String> = credits.into_iter().collect();
    let body = html! {
        header.print-head {
            p.print-clinic { (clinic.name) }
            @if let Some(contact) = &contact {
                p.print-contact { "Contact: " (contact) }
            }
            @if !team.is_empty() {
                p.print-contact { "Your physiotherapist" @if team.len() != 1 { "s" } ": " (team.join(", ")) }
            }
            h1 { (title) }
            dl.print-facts {
                div { dt { "Printed on" } dd { (long_date(today)) } }
                @if let Some(v) = &view.current {
                    div { dt { "Programme set on" } dd { (long_date(zone.local(v.created_at).date())) " (version " (v.version) ")" } }
                }
            }
        }
        div.no-print.print-actions {
            // The handler is in web/src/print.ts: the CSP runs no inline script.
            button.button type="button" data-print { "Print" }
            a href="/programme" { "Back to your programme" }
        }
        @if let Some(message) = &view.pause_message {
            div.print-paused {
                h2 { "Your exercises are paused" }
                p { (message) }
            }
        }
        @if entries.is_empty() {
            p { (NOT_SET) }
        }
        @for e in &entries {
            @if let Some(ex) = &e.exercise {
                section.print-exercise aria-labelledby=(format!("{}-title", card_id(&ex.id))) {
                    h2 id=(format!("{}-title", card_id(&ex.id))) { (ex.name) }
                    div.print-exercise-top {
                        div.print-figure { (still(&ex.figure, &ex.name)) }
                        div.print-dose {
                            p.dose { strong { (e.item.dose.patient_text()) } }
                            @for d in e.item.dose.details_text() { p { (d) } }
                            p { (dates_text(&e.item)) "." }
                            @if !e.flags.is_empty() && e.item.active_on(today) { p { strong { (HELD) "." } } }
                            @if let Some(note) = e.item.note.as_deref().filter(|n| !n.trim().is_empty()) {
                                div.therapist-note { h3 { "Note from your physiotherapist" } p { (note) } }
                            }
                        }
                    }
                    h3 { "How to start" }
                    p { (ex.instructions.start) }
                    h3 { "What to do" }
                    ol { @for s in &ex.instructions.steps { li { (s) } } }
                    h3 { "When to stop" }
                    p { (ex.instructions.stop_if) }
                }
            }
        }
        footer.print-foot {
            p { "Stop any exercise that makes your pain much worse, and tell your physiotherapist. If you get numbness between your legs, or new trouble with your bladder or bowels, go to an emergency department now." }
            p { "Printed from Physio for " (me.name) ". Drawings: " (credits.join("; ")) "." }
        }
    };
    Ok(print_layout(&format!("{title} – {}", clinic.name), body).into_response())
}

/// How far the patient got with an exercise today: recorded in today's sessions against its
/// times a day.
fn done_state(e: &Entry, day: &DayView) -> (&'static str, &'static str) {
    let recorded: Vec<_> = day
        .slots
        .iter()
        .filter_map(|s| s.session.as_ref())
        .filter_map(|s| s.exercises.iter().find(|x| x.exercise == e.item.exercise))
        .collect();
    let done = recorded.iter().filter(|x| x.outcome.counts_as_done()).count();
    match (done, recorded.len()) {
        (0, 0) => ("To do", "tag-todo"),
        (0, _) => ("Skipped", "tag-grey"),
        (n, _) if n >= usize::from(e.item.dose.times_per_day) => ("Done today", "tag-done"),
        _ => ("Started today", "tag-todo"),
    }
}

/// One exercise in the home page's task list.
fn task(e: &Entry, today: Date, day: &DayView) -> Markup {
    let name = e.exercise.as_ref().map_or("An exercise that is no longer available", |x| &x.name);
    let href = format!("/programme#{}", card_id(&e.item.exercise));
    let now = for_today(e, today);
    // Under "Not today" only a held exercise needs a tag: the heading says the rest.
    let status = if now {
        Some(done_state(e, day))
    } else if e.exercise.is_none() || (!e.flags.is_empty() && e.item.active_on(today)) {
        Some(("Leave out for now", "tag-held"))
    } else {
        None
    };
    let tracked = e.exercise.as_ref().is_some_and(|x| camera(&e.item, x).offered());
    html! {
        li.task {
            div.task-text {
                a.task-name href=(href) { (name) }
                @if now {
                    p.task-dose { (e.item.dose.patient_text()) }
                } @else if e.exercise.is_none() {
                    p.task-when { "Ask your physiotherapist what to do instead." }
                } @else if !e.flags.is_empty() && e.item.active_on(today) {
                    p.task-when { (HELD) "." }
                } @else {
                    p.task-when { (when_text(&e.item, today)) "." }
                }
                @if now && tracked {
                    p.task-camera { a href={ "/exercise/" (e.item.exercise) } { "Do it with the camera" } }
                }
            }
            @if let Some((label, class)) = status { strong.tag.task-status.(class) { (label) } }
        }
    }
}

/// The home page's "Today": the day's sessions with a button to start or carry on, how the
/// week is going, the exercises due today as a task list with their done state, then the rest
/// with when they are done.
pub(crate) fn home_section(
    day: &DayView,
    paused: bool,
    reminder: Option<&crate::care::reminders::ReminderSummary>,
) -> Markup {
    let view = &day.programme;
    let today = view.today;
    let current: Vec<&Entry> = view.entries.iter().filter(|e| !finished(e, today)).collect();
    let (now, later): (Vec<&Entry>, Vec<&Entry>) =
        current.iter().partition(|e| for_today(e, today));
    let finished_all = !day.slots.is_empty() && day.slots.iter().all(|s| s.finished());
    html! {
        section.todays-exercises aria-labelledby="exercises-title" {
            h2 #exercises-title { "Today's exercises" }
            @if paused {
                p { "Your programme is paused. Do not do your exercises for now. The box at the top of this page says why and what to do." }
                @if !current.is_empty() { p { a href="/programme" { "See your whole programme" } } }
            } @else if current.is_empty() {
                p { (NOT_SET) " They look at your answers first, then add your exercises here. You do not need to do anything until then." }
            } @else {
                @if now.is_empty() {
                    p { "There are no exercises for today. Rest, and keep moving in ways that feel comfortable." }
                } @else {
                    (session_status(day, finished_all))
                    ul.task-list aria-label="To do today" { @for e in &now { (task(e, today, day)) } }
                }
                p.week-count { (day.week.patient_text()) }
                @if let Some(r) = reminder {
                    p.reminder-next { "Next reminder: " (r.text) "." }
                }
                @if !later.is_empty() {
                    h3 { "Not today" }
                    ul.task-list aria-label="Not today" { @for e in &later { (task(e, today, day)) } }
                }
                ul.inline-list.programme-links {
                    li { a href="/programme" { "See your whole programme" } }
                    li { a href="/programme/print" { "Print your programme" } }
                    li { a href="/progress" { "See your progress" } }
                    li { a href="/reminders" { @if reminder.is_some() { "Change your reminders" } @else { "Set exercise reminders" } } }
                }
            }
        }
    }
}

/// Where the patient is with today's sessions, and the button that takes them on.
fn session_status(day: &DayView, finished_all: bool) -> Markup {
    let count = day.slots.len();
    let done = day.slots.iter().filter(|s| s.finished()).count();
    html! {
        @if finished_all {
            p.notice { strong { "Today's exercises are done." } " Well done. Rest, and keep moving in ways that feel comfortable." }
        } @else if day.open().is_some() {
            p { "You have started today's session. Carry on where you stopped." }
            p { a.button.button-start href="/today/session" { "Carry on with your session" } }
        } @else {
            @if count > 1 {
                p { "Today has " (count) " short sessions. " @if done > 0 { "You have done " (done) "." } }
            }
            p { a.button.button-start href="/today/session" { @if done > 0 { "Start the next session" } @else { "Start today's session" } } }
        }
    }
}
