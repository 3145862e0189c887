//! Lessons pages: the patient's list (this week's lesson first, what they have read said in
//! words), one lesson on one screen (its figure, paragraphs and key points; opening it marks it
//! read), the card the home page shows, and the "Lessons" section of a patient's record for
//! staff (what was read and when). Thin over `care::lessons`.

use axum::{extract::State, response::IntoResponse};
use maud::{Markup, html};
use physio_clinic::education::Lesson;
use physio_store::Role;
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{
        self,
        lessons::{LessonCard, LessonEntry, PatientLessons},
    },
    error::ApiPath,
    pages::{
        PageError, PageResult, PageUser,
        figure::FIGURE_CSS,
        layout::{long_date, page},
        lesson_figures,
    },
    state::AppState,
    zone::Zone,
};

/// The address of a lesson's page.
pub(crate) fn href(id: &str) -> String {
    format!("/lessons/{id}")
}

/// "Read on 3 March 2026", or "Not read yet": read state in words, never colour alone.
fn read_text(z: &Zone, e: &LessonEntry) -> String {
    match e.first_read_at {
        Some(at) => format!("Read on {}", long_date(z.local(at).date())),
        None => "Not read yet".to_owned(),
    }
}

/// This week's lesson as a card, for the patient's home page and the top of `/lessons`.
/// `None` (every lesson so far read) says so and points to the list.
pub(crate) fn home_card(card: Option<&LessonCard>) -> Markup {
    html! {
        section.lesson-card aria-labelledby="week-lesson-title" {
            h2 #week-lesson-title { "This week's lesson" }
            @match card {
                Some(c) => {
                    p.lesson-card-title { strong { (c.title) } }
                    p { (c.summary) }
                    p { a.button href=(href(&c.id)) { "Read this lesson" } }
                },
                None => {
                    p { "You have read all your lessons for now. New ones come as your care goes on." }
                    p { a href="/lessons" { "See your lessons" } }
                },
            }
        }
    }
}

fn list_item(z: &Zone, e: &LessonEntry, this_week: bool) -> Markup {
    let (label, class) =
        if e.is_read() { ("Read", "tag-read") } else { ("Not read yet", "tag-unread") };
    html! {
        li.lesson-item {
            a.lesson-link href=(href(&e.lesson.id)) { (e.lesson.title) }
            @if this_week { " " strong.tag.tag-today { "This week" } }
            p.lesson-summary { (e.lesson.summary) }
            p.lesson-state {
                strong.tag.(class) { (label) }
                @if e.is_read() { " " span.hint { (read_text(z, e)) } }
            }
        }
    }
}

/// `GET /lessons`: the patient's lessons.
pub(crate) async fn list(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "lessons").await?;
    let lessons = care::lessons::list(&state, &p, p.user.id).await?;
    let z = care::clinic::zone(&state, p.user.clinic_id).await?;
    let card = lessons.this_week_entry().map(|e| LessonCard {
        id: e.lesson.id.clone(),
        title: e.lesson.title.clone(),
        summary: e.lesson.summary.clone(),
        read: e.is_read(),
    });
    let read = lessons.lessons.iter().filter(|e| e.is_read()).count();
    let body = html! {
        a.back-link href="/home" { "Back to your home page" }
        h1 { "Your lessons" }
        p.lead { "Short lessons about your back and your care. Each one takes about 2 minutes to read." }
        (home_card(card.as_ref()))
        h2 { "All your lessons" }
        p { "You have read " (read) " of " (lessons.lessons.len()) " lessons so far. New lessons come as your care goes on." }
        ol.lesson-list {
            @for e in &lessons.lessons {
                (list_item(&z, e, lessons.this_week.as_deref() == Some(e.lesson.id.as_str())))
            }
        }
        @if !lessons.read_before.is_empty() {
            h2 { "Lessons you read before" }
            ul.lesson-list {
                @for e in &lessons.read_before { (list_item(&z, e, false)) }
            }
        }
    };
    Ok(page("Your lessons", Some(&p), body).into_response())
}

/// The key points in a box; urgent ones (signs that need action now) in the urgent colour.
fn points(l: &Lesson) -> Markup {
    html! {
        div.lesson-points.lesson-points-urgent[l.urgent_points] {
            h2 { (l.points_heading()) }
            ul { @for k in &l.key_points { li { (k) } } }
        }
    }
}

/// `GET /lessons/{lesson_id}`: one lesson on one screen. Opening it marks it read.
pub(crate) async fn show(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(lesson_id): ApiPath<String>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "lesson").await?;
    let opened = care::lessons::open(&state, &p, p.user.id, &lesson_id).await?;
    let l = &opened.lesson;
    let body = html! {
        style { (maud::PreEscaped(FIGURE_CSS)) }
        a.back-link href="/lessons" { "Back to your lessons" }
        article.lesson aria-labelledby="lesson-title" {
            h1 #lesson-title { (l.title) }
            p.lead { (l.summary) }
            @if l.urgent_points { (points(l)) }
            @if let Some(f) = l.figure { (lesson_figures::figure(f)) }
            @for para in &l.body { p { (para) } }
            @if !l.urgent_points && !l.key_points.is_empty() { (points(l)) }
        }
        p { a.button href="/lessons" { "Back to your lessons" } }
    };
    Ok(page(&l.title, Some(&p), body).into_response())
}

/// The "Lessons" section of a patient's record, for staff: what was given, what was read and
/// when, and this week's lesson.
pub(crate) async fn section(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<Markup, PageError> {
    let lessons: PatientLessons = care::lessons::list(state, p, patient_id).await?;
    let z = care::clinic::zone(state, p.user.clinic_id).await?;
    let read = lessons.lessons.iter().filter(|e| e.is_read()).count();
    let this_week = lessons.this_week_entry().map(|e| e.lesson.title.clone());
    Ok(html! {
        section.lessons-staff #lessons aria-labelledby="lessons-title" {
            h2 #lessons-title { "Lessons" }
            p {
                "Read " (read) " of the " (lessons.lessons.len()) " lessons given so far (week " (lessons.weeks_in_care + 1) " of care). "
                @match &this_week {
                    Some(t) => { "This week's lesson: " strong { (t) } "." },
                    None => "Every lesson given so far is read.",
                }
            }
            table.lesson-table {
                caption.visually-hidden { "Lessons given to the patient and when each was first read" }
                thead { tr { th scope="col" { "Lesson" } th scope="col" { "From week" } th scope="col" { "First read" } } }
                tbody {
                    @for (k, e) in lessons.lessons.iter().chain(&lessons.read_before).enumerate() {
                        tr {
                            td {
                                (e.lesson.title)
                                @if k >= lessons.lessons.len() { span.hint { " (opened, but not one of the lessons given now)" } }
                            }
                            td { (e.lesson.week + 1) }
                            td { (e.first_read_at.map_or_else(|| "Not read yet".to_owned(), |at| z.date_time(at))) }
                        }
                    }
                }
            }
        }
    })
}
