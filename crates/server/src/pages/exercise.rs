//! The camera session page: the patient exercises in front of their webcam while the browser
//! estimates their pose and streams landmarks to the server (`live.rs`). The page itself is
//! server-rendered; `web/src/live.ts` brings it to life. Video never leaves the device.

use axum::{extract::State, response::IntoResponse};
use maud::html;
use physio_motion::exercises::View;
use physio_store::Role;

use crate::{
    error::{ApiError, ApiPath},
    pages::{PageError, PageResult, PageUser, layout::page},
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

pub(crate) async fn show(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(exercise_id): ApiPath<String>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "exercise").await?;
    let spec = physio_motion::exercises::find(&exercise_id)
        .ok_or(PageError(ApiError::NotFound("exercise")))?;
    let me = crate::care::records::open(&state, &p, p.user.id, "exercise_plan").await?;
    if let Some(pause) = crate::care::safety::pause(state.store(), &me).await? {
        let body = html! {
            a.back-link href="/home" { "Back to your home page" }
            h1 { (spec.name) }
            (crate::pages::safety::care_card(&pause))
        };
        return Ok(page(spec.name, Some(&p), body).into_response());
    }
    let built = state.config().web_dir.join("live.js").is_file();
    if !built {
        tracing::warn!(web_dir = %state.config().web_dir.display(), "camera page requested but web/dist is not built");
    }
    let view = match spec.view {
        View::Front => "front",
        View::Side => "side",
        View::Any => "any",
    };
    let body = html! {
        a.back-link href="/home" { "Back to your home page" }
        h1 { (spec.name) }
        @if !built {
            p.callout { "The camera session is not available on this server yet. Please tell your clinic." }
        } @else {
            div #live data-exercise=(spec.id) data-exercise-name=(spec.name) data-view=(view)
                data-target-reps="10" data-ws-path="/api/v1/live" data-mediapipe-path="/web/mediapipe/" {
                p #setup .live-setup { (setup_text(spec.view)) " Then stand still for a moment in the starting position while we check the camera can see you." }
                p.hint { "Your video stays on this device. Only the positions of your joints are sent, to count your movements." }
                div.live-stage { video #camera playsinline muted {} canvas #overlay {} }
                p #status role="status" aria-live="polite" {}
                div.live-counter { span #counter { "0" } " of " span #target { "10" } }
                div.live-range { div #range-bar {} }
                p #feedback aria-live="assertive" {}
                button #start .button type="button" { "Start" }
                " "
                button #finish .button-secondary type="button" hidden { "Finish" }
                p #summary hidden {}
            }
            p.hint { "Stop if the pain gets worse than a 5 out of 10, or if you feel dizzy or unwell." }
            script src="/web/mediapipe/pose.js" {}
            script type="module" src="/web/live.js" {}
        }
    };
    Ok(page(spec.name, Some(&p), body).into_response())
}
