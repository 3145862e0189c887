//! What the intake leads to: the interruption page when an answer part-way through is an
//! emergency, and the result page once the intake is sent.

use axum::{
    extract::State,
    response::{IntoResponse, Redirect},
};
use maud::html;
use physio_clinic::triage::Tier;
use physio_store::Role;

use crate::{
    care,
    pages::{PageResult, PageUser, clinical::tier_label, layout::page},
    state::AppState,
};

/// `/intake/emergency`: the interruption page shown as soon as a saved answer fires an
/// emergency rule. It stops the intake and says what to do now; the answers are kept and the
/// rest can be finished later. It shows the draft as it stands, so a reload is harmless, and
/// once no answer is an emergency any more it sends the patient on.
pub(crate) async fn emergency(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "intake").await?;
    let d = care::intake::draft(&state, &p).await?;
    if d.sent() {
        return Ok(Redirect::to("/intake/result").into_response());
    }
    let reasons = d.emergency();
    if reasons.is_empty() {
        return Ok(Redirect::to("/home").into_response());
    }
    let body = html! {
        div.care-card.care-emergency.interruption {
            h1 { "Go to an emergency department now" }
            p.lead-white { "One of your answers can be a sign of a serious problem that needs to be checked in hospital straight away." }
            h2 { "What to do now" }
            ul {
                li { "Go to your nearest emergency department now, or call an ambulance on your local emergency number." }
                li { strong { "Do not drive yourself." } " Ask someone to take you, or call an ambulance." }
                li { "Show this page to the staff when you get there." }
                li { "Do not do any exercises until a doctor has seen you." }
            }
            h2 { "Why" }
            ul { @for r in &reasons { li { (r.reason) } } }
            p { "Your care team has been told." }
        }
        h2 { "Your answers are saved" }
        p { "You do not need to answer the other questions now. You can finish them later from your home page." }
        p { a.button href="/home" { "Go to your home page" } }
        p.hint { "Chose an answer by mistake? " a href="/intake/check" { "Check and change your answers" } ". Your care team will still be in touch." }
    };
    Ok(page("Go to an emergency department now", Some(&p), body).into_response())
}

/// What the patient sees after sending the intake: what to do now, in the words of a care card.
pub(crate) async fn result(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "intake").await?;
    let Some(t) = care::triage::history(&state, &p, p.user.id).await?.into_iter().next() else {
        return Ok(Redirect::to("/intake").into_response());
    };
    let tier = t.tier_in_force();
    let reasons: Vec<&str> = t.decision.reasons.iter().map(|r| r.reason.as_str()).collect();
    let body = html! {
        @match tier {
            Tier::Emergency => div.care-card.care-emergency {
                h1 { "Go to an emergency department now" }
                p { "Some of your answers can be a sign of a problem that needs a doctor today, as an emergency. Call your local emergency number, or have someone take you to the nearest emergency department. Do not drive yourself." }
                p { "Do not start any exercises until a doctor has seen you. Your physical therapist has been told." }
            },
            Tier::Urgent => div.care-card.care-urgent {
                h1 { "See a doctor today" }
                p { "Some of your answers mean a doctor should check you today. Contact your doctor's surgery or an urgent care service now and tell them about your back pain and the answers below." }
                p { "If things get worse, such as new numbness between your legs or trouble with your bladder or bowels, go to an emergency department straight away." }
            },
            Tier::Specialist => div.care-card.care-specialist {
                h1 { "We suggest a spine specialist's opinion" }
                p { "Your answers suggest it is worth asking a spine specialist for their view. This is not urgent and it does not mean you need an operation. Your physical therapist will review your answers and talk it through with you." }
                p { a href="/decision-aid" { "Read: is surgery right for me?" } }
            },
            Tier::Exercise => div.care-card.care-exercise {
                h1 { "Thank you: exercise-based care is the right place to start" }
                p { "Nothing in your answers needs a doctor urgently. Your physical therapist will look at your answers and set up your programme." }
                p { "If anything changes, such as new numbness between your legs, trouble with your bladder or bowels, or weakness in both legs, go to an emergency department straight away." }
            },
        }
        @if !reasons.is_empty() {
            h2 { "Why" }
            ul { @for r in &reasons { li { (r) } } }
        }
        @if let Some(r) = &t.review {
            p.hint { "Reviewed by your care team: " (tier_label(r.final_tier).0) "." }
        }
        p { a href="/home" { "Go to your home page" } }
    };
    Ok(page("Your result", Some(&p), body).into_response())
}
