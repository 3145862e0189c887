//! The patient's home and a patient's record (the caseload is `pages::caseload`).

use axum::{extract::State, response::IntoResponse};
use maud::{Markup, html};
use physio_clinic::triage::Tier;
use physio_store::Role;
use uuid::Uuid;

use crate::{
    care,
    error::ApiPath,
    pages::{
        PageResult, PageUser,
        layout::{age, long_date, page},
    },
    state::AppState,
};

fn care_team_list(team: &[physio_store::CareTeamMember]) -> Markup {
    html! {
        @if team.is_empty() {
            p { "No clinician is assigned yet." }
        } @else {
            ul { @for m in team { li { (m.clinician_name) } } }
        }
    }
}

pub(crate) async fn home(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "patient_home").await?;
    let (view, care_team) = care::records::patient(&state, &p, p.user.id).await?;
    let store = state.store();
    let clinic = store.clinic(p.user.clinic_id).await?;
    let episode = store.episodes(p.user.clinic_id, view.id).await?.into_iter().next();
    let pause = care::safety::pause(store, &view).await?;
    // Told to get medical care now: nothing else on the page competes with that, and no
    // questionnaire is asked for.
    let medical = pause.as_ref().and_then(|p| p.tier()).is_some_and(|t| t >= Tier::Urgent);
    let due =
        if medical { vec![] } else { crate::pages::questionnaires::due_now(&state, &p).await? };
    let first = view.name.split_whitespace().next().unwrap_or(&view.name).to_owned();
    // The patient's own programme, never the whole library. What to do today leads the page
    // once there is something to do and nothing stops them.
    let day = care::day::today(&state, &p, p.user.id).await?;
    let programme = &day.programme;
    let reminder = care::reminders::summary(&state, &p.user).await?;
    let exercises = crate::pages::programme::home_section(&day, pause.is_some(), reminder.as_ref());
    // This week's lesson, unless the patient is told to get medical care first.
    let lesson = if medical { None } else { care::lessons::this_week(&state, &p.user).await? };
    let lead_with_exercises = pause.is_none()
        && programme.entries.iter().any(|e| !crate::pages::programme::finished(e, programme.today));
    let body = html! {
        h1 { "Hello, " (first) }
        p.lead { "This is your space at " (clinic.name) "." }
        @if let Some(pause) = &pause { (crate::pages::safety::care_card(pause)) }
        @if pause.is_none() { @if let Some(s) = &day.next_morning { (crate::pages::runner::next_morning_form(&p, s, None)) } }
        @if pause.is_none() { (crate::pages::proposals::changes_card(&day.changes)) }
        @if lead_with_exercises { (exercises) }
        @if !medical { (crate::pages::lessons::home_card(lesson.as_ref())) }
        section.next-step aria-labelledby="next-title" {
            h2 #next-title { "Your next step" }
            @match episode.as_ref().map(|e| e.status) {
                None => {
                    p { "Tell us about your back pain so your physical therapist can plan your care. About 5 minutes." }
                    a.button href="/intake" { "Tell us about your back pain" }
                },
                Some(physio_store::EpisodeStatus::Intake) if medical => {
                    p { "Your answers so far are saved. Get the care the box above describes first; you can finish them later." }
                    a.button-secondary href="/intake" { "Continue your answers later" }
                },
                Some(physio_store::EpisodeStatus::Intake) => {
                    p { "You started telling us about your back pain. Your answers are saved." }
                    a.button href="/intake" { "Continue your answers" }
                },
                Some(physio_store::EpisodeStatus::Discharged) => {
                    @if !due.is_empty() {
                        p { "Your course of care has finished. Please fill in your last questionnaires, so you and your physical therapist can see what changed." }
                        a.button href="/questionnaires" { "Fill in your last questionnaires" }
                    }
                    p { "Your last course of care has finished. If your pain comes back, tell us about it." }
                    a.button-secondary href="/intake" { "Tell us about new back pain" }
                },
                Some(_) => {
                    @if !due.is_empty() {
                        p { "You have " (due.len()) " short questionnaire" @if due.len() != 1 { "s" } " to fill in. They help your physical therapist see how you are doing." }
                        a.button href="/questionnaires" { "Fill in your questionnaires" }
                    }
                    p { a href="/check-in" { "Weekly check-in: tell us how you are this week" } }
                    p { a href="/intake/result" { "What your answers mean and what happens next" } }
                },
            }
            p { a href="/decision-aid" { "Is surgery right for me? A guide to help you decide" } }
        }
        @if let Some(ep) = &episode { (crate::pages::pathway::patient_section(ep, state.now().date())) }
        @if !lead_with_exercises { (exercises) }
        section aria-labelledby="team-title" {
            h2 #team-title { "Your care team" }
            p { "These physical therapists look after your care and see what you record here." }
            (care_team_list(&care_team))
        }
        section aria-labelledby="details-title" {
            h2 #details-title { "Your details" }
            dl.summary-list {
                div { dt { "Name" } dd { (view.name) } }
                div { dt { "E-mail" } dd { (view.email) } }
                @if let Some(dob) = view.date_of_birth {
                    div { dt { "Date of birth" } dd { (long_date(dob)) } }
                }
                @if let Some(s) = &view.summary {
                    div { dt { "Why you came to us" } dd { (s) } }
                }
                div { dt { "Phone number" } dd { (crate::pages::contacts::own_phone(&view)) } }
            }
            p.hint { "If something here is wrong, tell your physical therapist at your next contact." }
            p { a href="/my-record" { "See who has looked at your record, or download a copy" } }
        }
    };
    Ok(page(&format!("Hello, {first}"), Some(&p), body).into_response())
}

pub(crate) async fn show(
    State(state): State<AppState>,
    PageUser(mut p): PageUser,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> PageResult {
    let (view, care_team) = care::records::patient(&state, &p, patient_id).await?;
    let clinicians = if p.role() == Role::Admin {
        state.store().users(p.user.clinic_id, Some(Role::Clinician)).await?
    } else {
        vec![]
    };
    // Flagged to the admin until someone looks after the patient.
    let no_team = p.role() == Role::Admin
        && view.active
        && !care_team.iter().any(|m| clinicians.iter().any(|c| c.id == m.clinician_id && c.active));
    let today = state.now().date();
    let glance = crate::pages::caseload::summary(&state, &p, patient_id).await?;
    let clinical = if p.role() == Role::Patient {
        html! {}
    } else {
        crate::pages::clinical::sections(&state, &p, patient_id).await?
    };
    let messages = crate::pages::messages::staff_section(&state, &mut p, patient_id).await?;
    let back = if p.role() == Role::Admin {
        ("/admin", "Back to clinic admin")
    } else {
        ("/caseload", "Back to my patients")
    };
    let body = html! {
        a.back-link href=(back.0) { (back.1) }
        h1 { (view.name) }
        @if !view.active { p.tag.tag-grey { "Deactivated" } }
        @if no_team {
            div.callout #no-care-team {
                p { @if care_team.is_empty() { "No care team yet. " } @else { "Only deactivated clinicians on the care team. " }
                    "Nobody looks after this patient until you choose at least one clinician." }
                p { a href="#care-team-title" { "Choose the care team" } }
            }
        }
        (glance)
        dl.summary-list {
            @if let Some(dob) = view.date_of_birth {
                div { dt { "Age" } dd { (age(dob, today)) " (born " (long_date(dob)) ")" } }
            }
            div { dt { "E-mail" } dd { (view.email) } }
            @if let Some(s) = &view.summary {
                div { dt { "Summary" } dd { (s) } }
            }
        }
        (crate::pages::contacts::section(&state, &p, &view).await?)
        (clinical)
        (messages)
        h2 #care-team-title { "Care team" }
        (care_team_list(&care_team))
        @if p.role() == Role::Admin {
            @let chosen: Vec<Uuid> = care_team.iter().map(|m| m.clinician_id).collect();
            (crate::pages::admin::care_team_form(&p, view.id, &clinicians, &chosen, &[]))
            h2 { "The patient's rights" }
            p { a href={ "/api/v1/patients/" (view.id) "/access-log" } { "Who has opened this record (90 days)" } }
            p { a href={ "/api/v1/patients/" (view.id) "/record" } { "Download the whole record for the patient" } }
            p { a href={ "/patients/" (view.id) "/erase" } { "Erase this patient at their request" } }
        }
    };
    Ok(page(&view.name, Some(&p), body).into_response())
}
