//! The camera session page: the patient exercises in front of their webcam while the browser
//! estimates their pose and streams landmarks to the server (`live.rs`). The page itself is
//! server-rendered; `web/src/live.ts` brings it to life. Video never leaves the device.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use maud::html;
use physio_clinic::programme::{self, Camera};
use physio_motion::exercises::View;
use physio_store::{AuditOutcome, Role};

use crate::{
    care::programme::Prescribed,
    error::{ApiError, ApiPath},
    pages::{
        PageError, PageResult, PageUser,
        layout::{page, sentence},
    },
    state::AppState,
};

/// Where to stand, in plain words, for the camera to see what it must.
fn setup_text(view: View) -> &'static str {
    match view {
        View::Front => {
            "Stand facing the camera, about 2 metres away, with your whole body in view."
        }
        View::Side => {
            "Stand side-on to the camera, about 2 metres away, with your whole body in view."
        }
        View::Any => {
            "Stand about 2 metres from the camera, facing it or side-on, with your whole body in view."
        }
    }
}

/// `?session=` names the guided session this set is part of: the page then returns to it.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ExerciseQuery {
    #[serde(default)]
    session: Option<uuid::Uuid>,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(exercise_id): ApiPath<String>,
    crate::error::ApiQuery(q): crate::error::ApiQuery<ExerciseQuery>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "exercise").await?;
    let me = crate::care::records::open(&state, &p, p.user.id, "exercise_plan").await?;
    // Only an exercise of the patient's own programme, in force today; the live socket asks
    // the same question (`care::sessions::open`).
    let prescribed = crate::care::programme::prescribed(&state, &me, &exercise_id).await;
    if let Some(pause) = crate::care::safety::pause(state.store(), &me).await? {
        let title = prescribed.as_ref().map_or("Your exercises are paused", |r| &r.exercise.name);
        let body = html! {
            a.back-link href="/programme" { "Back to your programme" }
            h1 { (title) }
            (crate::pages::safety::care_card(&pause))
        };
        return Ok(page(title, Some(&p), body).into_response());
    }
    let Prescribed { item, exercise } = match prescribed {
        Ok(r) => r,
        Err(ApiError::Forbidden(why)) => {
            state.audit(p.actor(), "view", "exercise", Some(me.id), AuditOutcome::Denied).await?;
            let title = "You cannot start this exercise";
            let body = html! {
                a.back-link href="/programme" { "Back to your programme" }
                h1 { (title) }
                p { (sentence(&why)) @if !why.ends_with('.') { "." } }
                p { a href="/programme" { "See the exercises in your programme" } }
            };
            return Ok((StatusCode::FORBIDDEN, page(title, Some(&p), body)).into_response());
        }
        Err(e) => return Err(PageError(e)),
    };
    let card = format!("/programme#{}", crate::pages::programme::card_id(&exercise.id));
    // The live socket refuses what is not offered (`care::sessions::open`): say why here instead.
    let offer = programme::camera(&item, &exercise);
    if offer == Camera::NotValidated {
        state.audit(p.actor(), "view", "exercise", Some(me.id), AuditOutcome::Denied).await?;
        let body = html! {
            a.back-link href=(card) { "Back to your programme" }
            h1 { (exercise.name) }
            p { "Your physiotherapist has not offered camera counting for this exercise: its counting is not yet validated. Do it on your own, following the steps in your programme." }
            p { a.button href=(card) { "See how to do this exercise" } }
        };
        return Ok((StatusCode::FORBIDDEN, page(&exercise.name, Some(&p), body)).into_response());
    }
    let spec = exercise.tracking.as_ref().and_then(|t| physio_motion::exercises::find(&t.spec));
    let Some(spec) = spec.filter(|_| offer.offered()) else {
        let body = html! {
            a.back-link href=(card) { "Back to your programme" }
            h1 { (exercise.name) }
            p { "This exercise has no camera version. Do it on your own, following the steps in your programme." }
            p { a.button href=(card) { "See how to do this exercise" } }
        };
        return Ok(page(&exercise.name, Some(&p), body).into_response());
    };
    // The page needs the bundle and MediaPipe's files under their content-hashed names.
    let web_dir = &state.config().web_dir;
    let manifest = if web_dir.join("live.js").is_file() {
        crate::web_assets::MediapipeManifest::read(web_dir)
            .await
            .inspect_err(|e| tracing::warn!(error = %e, "camera page requested but web/dist is not fully built"))
            .ok()
    } else {
        tracing::warn!(web_dir = %web_dir.display(), "camera page requested but web/dist is not built");
        None
    };
    let view = match spec.view {
        View::Front => "front",
        View::Side => "side",
        View::Any => "any",
    };
    // What the live socket counts to: one set, as prescribed (`care::sessions::open`).
    let target = item.dose.reps.unwrap_or(1);
    let body = html! {
        a.back-link href=(card) { "Back to your programme" }
        h1 { (exercise.name) }
        p.lead { (item.dose.patient_text()) }
        @if item.dose.sets > 1 {
            p { "The camera counts one set of " (target) ". Rest, then press Start again for the next set." }
        }
        @if let Some(note) = item.note.as_deref().filter(|n| !n.trim().is_empty()) {
            div.therapist-note {
                h2 { "Note from your physiotherapist" }
                p { (note) }
            }
        }
        @if let Some(mediapipe) = &manifest {
            @if q.session.is_some() {
                p { a href="/today/session" { "Back to your session without the camera" } }
            }
            // While a set runs, `live.css` turns this block into a full-window view: the picture
            // beside (landscape) or under (portrait) a panel whose counter is readable from 2 m.
            div #live data-exercise=(exercise.id) data-exercise-name=(exercise.name) data-view=(view)
                data-target-reps=(target) data-ws-path="/api/v1/live"
                data-mediapipe-path=(crate::web_assets::MEDIAPIPE_URL)
                data-mediapipe-files=(mediapipe.to_json())
                data-programme-href=(card)
                data-return-to=[q.session.map(|_| "/today/session")] {
                p #setup .live-setup { (setup_text(spec.view)) " Then stand still for a moment in the starting position while we check the camera can see you." }
                p.hint.live-privacy-note { "Your video stays on this device. Only the positions of your joints are sent, to count your movements." }
                @if offer == Camera::ChosenByClinician {
                    p.hint { "Camera counting of this exercise is still being tested. If the count looks wrong, trust your own count." }
                }
                div.live-stage { video #camera playsinline muted {} canvas #overlay {} }
                div.live-panel {
                    div.live-counter { span #counter { "0" } " " span.live-of { "of " span #target { (target) } } }
                    p #status role="status" aria-live="polite" {}
                    p #feedback aria-live="assertive" {}
                    div.live-range { div #range-bar {} }
                    div #summary hidden {}
                    div.live-actions {
                        button #start .button type="button" { "Start" }
                        button #finish .button-secondary type="button" hidden { "Finish" }
                    }
                }
            }
            p.hint { (exercise.instructions.stop_if) " Stop too if you feel dizzy or unwell." }
            script src=(mediapipe.pose_js_url()) {}
            script type="module" src="/web/live.js" {}
        } @else {
            p.callout { "The camera session is not available on this server yet. Please tell your clinic." }
        }
    };
    Ok(page(&exercise.name, Some(&p), body).into_response())
}
