//! The patient's home, the clinician's caseload and a patient's record.

use axum::{extract::State, response::IntoResponse};
use maud::{Markup, html};
use physio_clinic::triage::Tier;
use physio_store::Role;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    care,
    error::{ApiPath, ApiQuery},
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
        }
    };
    Ok(page(&format!("Hello, {first}"), Some(&p), body).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct CaseloadQuery {
    q: Option<String>,
}

pub(crate) async fn caseload(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiQuery(query): ApiQuery<CaseloadQuery>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Clinician, "caseload").await?;
    let q = query.q.unwrap_or_default();
    let filter = care::records::ListQuery { q: Some(q.clone()), ..Default::default() };
    let (mut patients, teams) = care::records::list(&state, &p, &filter).await?;
    let today = state.now().date();
    let store = state.store();
    // Decisions waiting for review on this caseload, with the tier the rules proposed (the
    // clinic's other patients are not looked at one by one).
    let mine: std::collections::HashSet<Uuid> = patients.iter().map(|pt| pt.id).collect();
    let mut review: std::collections::HashMap<Uuid, Tier> = std::collections::HashMap::new();
    for e in store.open_episodes(p.user.clinic_id).await?.iter().filter(|e| {
        e.status == physio_store::EpisodeStatus::AwaitingReview && mine.contains(&e.patient_id)
    }) {
        if let Some(t) = store.triage_history(p.user.clinic_id, e.id).await?.into_iter().next() {
            review.insert(e.patient_id, t.tier);
        }
    }
    let mut alerts: std::collections::HashMap<Uuid, usize> = std::collections::HashMap::new();
    for a in store.alerts(p.user.clinic_id, None, false).await? {
        if mine.contains(&a.patient_id) {
            *alerts.entry(a.patient_id).or_default() += 1;
        }
    }
    let urgency = |tier: Option<&Tier>| match tier {
        Some(Tier::Emergency) => 0,
        Some(Tier::Urgent) => 1,
        Some(Tier::Specialist) => 2,
        Some(Tier::Exercise) => 3,
        None => 4,
    };
    // Who needs the clinician now comes first: emergencies, alerts, then decisions to review
    // by urgency; the rest by name.
    patients.sort_by_key(|pt| {
        let tier = review.get(&pt.id);
        (urgency(tier).min(if alerts.contains_key(&pt.id) { 1 } else { 4 }), urgency(tier))
    });
    let attention = |id: &Uuid| {
        html! {
            @if let Some(n) = alerts.get(id) { span.tag.tag-urgent { (n) " alert" @if *n != 1 { "s" } } " " }
            @if let Some(tier) = review.get(id) {
                @let (label, class) = crate::pages::clinical::tier_label(*tier);
                span.tag.(class) { (label) ": review" }
            }
        }
    };
    let body = html! {
        h1 { "My patients" }
        form.search method="get" action="/caseload" role="search" {
            div.field {
                label for="q" { "Search your patients" }
                p.hint #q-hint { "By name, e-mail or what brought them in." }
                div.search-row {
                    input #q type="search" name="q" value=(q) aria-describedby="q-hint";
                    button.button type="submit" { "Search" }
                }
            }
        }
        p aria-live="polite" {
            @if q.trim().is_empty() {
                (patients.len()) " patient" @if patients.len() != 1 { "s" } " on your caseload."
            } @else {
                (patients.len()) " of your patients match “" (q.trim()) "”. "
                a href="/caseload" { "Show all" }
            }
        }
        @if !patients.is_empty() {
            div.table-scroll {
                table #caseload {
                    caption.visually-hidden { "Patients on your caseload" }
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Age" } th scope="col" { "Summary" } th scope="col" { "Care team" } th scope="col" { "Needs you" } } }
                    tbody {
                        @for pt in &patients {
                            tr data-patient-id=(pt.id) {
                                td { a href={ "/patients/" (pt.id) } { (pt.name) } }
                                td { @if let Some(d) = pt.date_of_birth { span.cell-label { "Age " } (age(d, today)) } }
                                td { (pt.summary.as_deref().unwrap_or("")) }
                                td { span.cell-label { "Care team: " } (teams.iter().filter(|m| m.patient_id == pt.id).map(|m| m.clinician_name.as_str()).collect::<Vec<_>>().join(", ")) }
                                td { (attention(&pt.id)) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(page("My patients", Some(&p), body).into_response())
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
        }
    };
    Ok(page(&view.name, Some(&p), body).into_response())
}
