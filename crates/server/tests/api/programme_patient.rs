//! The patient's side of their exercise programme, on both backends: the home page's task list
//! and `/programme` show only their own exercises; the print copy has no navigation and every
//! dose; the camera page opens only an exercise prescribed for today, counting to the
//! prescription; a pause shows on each of them; and another patient cannot read the programme.

use physio_clinic::exercise::Dose;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::{
    both_backends,
    helpers::{TestApp, email_of},
};

both_backends!(
    a_patient_sees_only_their_own_programme,
    the_camera_page_follows_the_prescription,
    staff_and_other_patients_do_not_see_it,
    a_paused_programme_says_so_everywhere,
);

/// Deep squat (tracked by the camera, offered by the clinician's choice wherever its counting
/// is not yet validated; Monday, Wednesday and Friday, so today: the test clock starts on
/// Wednesday 25 November 2026), bridge (no camera, with a note) and a walk that starts next
/// week.
fn items() -> Value {
    json!([
        {
            "exercise": "deep-squat",
            "dose": {"sets": 2, "reps": 12, "rest_s": 60, "side": "both",
                     "days": ["monday", "wednesday", "friday"], "times_per_day": 1},
            "start": "2026-11-25",
            "camera": true
        },
        {
            "exercise": "bridge",
            "dose": {"sets": 2, "reps": 10, "hold_s": 3, "rest_s": 45, "side": "both",
                     "days": ["monday", "tuesday", "wednesday", "thursday", "friday",
                              "saturday", "sunday"], "times_per_day": 1},
            "start": "2026-11-25",
            "end": "2026-12-23",
            "note": "Keep your hips level & go only as high as is comfortable."
        },
        {
            "exercise": "walk",
            "dose": {"sets": 1, "minutes": 20, "rest_s": 0, "side": "both",
                     "days": ["monday", "tuesday", "wednesday", "thursday", "friday",
                              "saturday", "sunday"], "times_per_day": 1},
            "start": "2026-12-01"
        }
    ])
}

/// The care-team clinician prescribes `items()` for P1 through the API.
async fn prescribe(app: &TestApp) {
    let p = &app.people;
    let clinician = app.token_for(p.c1).await;
    let res = app
        .req(&app.client(), reqwest::Method::PUT, &format!("/api/v1/patients/{}/programme", p.p1))
        .bearer_auth(&clinician)
        .json(&json!({"based_on": 0, "items": items(), "reason": "First programme"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
}

async fn get(app: &TestApp, c: &Client, path: &str) -> (StatusCode, String) {
    let res = c.get(app.url(path)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

fn dose_text(i: usize) -> String {
    let dose: Dose = serde_json::from_value(items()[i]["dose"].clone()).unwrap();
    dose.patient_text()
}

async fn a_patient_sees_only_their_own_programme(app: &TestApp) {
    let (c, _) = app.login(&email_of("p1")).await;
    // Before anything is prescribed: no exercise, and no library either.
    let (status, home) = get(app, &c, "/home").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("Your physiotherapist has not set your exercises yet."), "{home}");
    assert!(!home.contains("/exercise/"), "no camera exercise without a programme: {home}");
    let (status, programme) = get(app, &c, "/programme").await;
    assert_eq!(status, StatusCode::OK);
    assert!(programme.contains("Your physiotherapist has not set your exercises yet."));

    prescribe(app).await;
    let (_, home) = get(app, &c, "/home").await;
    let today = home.find("To do today").expect("a task list for today");
    let later = home.find("Not today").expect("the exercises not for today");
    let squat = home.find("Deep squat").expect("deep squat is for today");
    assert!(today < squat && squat < later, "today's exercises come first");
    assert!(home.find("Bridge").is_some_and(|b| b < later), "bridge is every day");
    assert!(home.find(">Walk<").is_some_and(|w| w > later), "the walk starts next week");
    assert!(home.contains("Starts on 1 December 2026"), "{home}");
    assert!(home.contains(&dose_text(0)), "the dose in words");
    assert!(home.contains("href=\"/programme#exercise-deep-squat\""));
    assert!(home.contains("href=\"/exercise/deep-squat\""), "a camera link for a tracked exercise");
    assert!(home.contains("href=\"/programme\"") && home.contains("href=\"/programme/print\""));
    for other in ["Arm lift to the side", "Side lunge", "/exercise/shoulder-abduction"] {
        assert!(!home.contains(other), "{other} is not in the programme: {home}");
    }

    let (status, page) = get(app, &c, "/programme").await;
    assert_eq!(status, StatusCode::OK);
    for words in [
        "Deep squat",
        "Bridge",
        "Walk",
        "Note from your physiotherapist",
        "Keep your hips level &amp; go only as high as is comfortable.",
        "From 25 November 2026 to 23 December 2026",
        "How to start",
        "Remember",
        "What it should feel like",
        "When to stop",
        "Physio contributors, AGPL-3.0-or-later",
    ] {
        assert!(page.contains(words), "{words}: {page}");
    }
    for i in 0..3 {
        assert!(page.contains(&dose_text(i)), "{}", dose_text(i));
    }
    // The camera only for the tracked exercise that is for today.
    assert_eq!(page.matches("Do it with the camera").count(), 1);
    assert!(page.contains("href=\"/exercise/deep-squat\""));
    assert!(!page.contains("Arm lift to the side") && !page.contains("Side lunge"));

    // The clinic's admin says how patients reach the clinic; the print copy carries it.
    let (admin, csrf) = app.login(&email_of("admin")).await;
    let contact = [("csrf_token", csrf.as_str()), ("contact", "Call 0161 496 0000, 8am to 6pm")];
    let res = admin.post(app.url("/admin/contact")).form(&contact).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
    let (status, print) = get(app, &c, "/programme/print").await;
    assert_eq!(status, StatusCode::OK);
    assert!(print.contains("Call 0161 496 0000, 8am to 6pm"), "the clinic's contact: {print}");
    assert!(!print.contains("<nav") && !print.contains("site-header"), "no navigation: {print}");
    assert!(print.contains("Clinic A"), "the clinic's name");
    assert!(print.contains("c1 Person"), "the care team");
    assert!(print.contains("Exercise programme for p1 Person"));
    assert!(print.contains("Printed on") && print.contains("25 November 2026"));
    // The Print button's handler is a script file: the CSP runs no inline script.
    assert!(print.contains("data-print") && print.contains("/web/print.js"));
    assert!(!print.contains("onclick"));
    for i in 0..3 {
        assert!(print.contains(&dose_text(i)), "{}: {print}", dose_text(i));
    }
    assert!(print.contains("Keep your hips level &amp; go only"));
    assert!(!print.contains("Side lunge"));
}

async fn the_camera_page_follows_the_prescription(app: &TestApp) {
    let p = &app.people;
    prescribe(app).await;
    // The camera page needs the built client and MediaPipe's manifest of hashed names
    // (web/build.mjs); the test server has an empty web directory.
    app.write_built_client();
    let (c, _) = app.login(&email_of("p1")).await;

    let (status, page) = get(app, &c, "/exercise/shoulder-abduction").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("This exercise is not in your programme"), "{page}");
    assert!(page.contains("href=\"/programme\""));
    assert!(!page.contains("id=\"live\""));
    // The refusal is audited.
    let events = app.store.audit_events(p.clinic_a, Some(p.p1), 50).await.unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.action == "view" && e.resource == "exercise" && e.outcome == "denied"),
        "{events:?}"
    );

    let (status, page) = get(app, &c, "/exercise/walk").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("starts on 1 December 2026"), "{page}");

    let (status, page) = get(app, &c, "/exercise/bridge").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("no camera version"), "{page}");
    assert!(page.contains("href=\"/programme#exercise-bridge\""));

    let (status, page) = get(app, &c, "/exercise/deep-squat").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("data-target-reps=\"12\""), "the prescribed repetitions: {page}");
    assert!(page.contains("<span id=\"target\">12</span>"), "{page}");
    assert!(page.contains("data-exercise=\"deep-squat\""));
    // pose.js and MediaPipe's other files by their content-hashed names.
    assert!(page.contains("src=\"/web/mediapipe/pose.fcb703af.js\""), "{page}");
    assert!(page.contains("pose_web.dc8efd1c.binarypb"), "{page}");
    assert!(page.contains(&dose_text(0)), "the dose in words");
    assert!(
        page.contains("Stand side-on")
            || page.contains("Stand facing")
            || page.contains("Stand about")
    );
}

async fn staff_and_other_patients_do_not_see_it(app: &TestApp) {
    let p = &app.people;
    prescribe(app).await;
    let (other, _) = app.login(&email_of("p2")).await;
    let res =
        other.get(app.url(&format!("/api/v1/patients/{}/programme", p.p1))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "forbidden", "{body}");
    // Their own pages show nothing of it.
    for path in ["/home", "/programme", "/programme/print"] {
        let (status, page) = get(app, &other, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!page.contains("Deep squat"), "{path}: {page}");
    }
    let (status, _) = get(app, &other, "/exercise/deep-squat").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Staff have the staff view; the patient's pages are refused.
    let (clinician, _) = app.login(&email_of("c1")).await;
    for path in ["/programme", "/programme/print"] {
        let (status, _) = get(app, &clinician, path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
}

async fn a_paused_programme_says_so_everywhere(app: &TestApp) {
    let p = &app.people;
    prescribe(app).await;
    app.write_built_client();
    // An intake that waits for a clinician's review pauses exercise.
    let mut intake: Value = serde_json::from_str(include_str!(
        "../../../../docs/examples/specialist-surgery-recommended.json"
    ))
    .unwrap();
    intake.as_object_mut().unwrap().remove("age");
    let token = app.token_for(p.p1).await;
    let res = app
        .req(&app.client(), reqwest::Method::POST, "/api/v1/intake")
        .bearer_auth(&token)
        .json(&intake)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);

    let (c, _) = app.login(&email_of("p1")).await;
    let (_, home) = get(app, &c, "/home").await;
    assert!(home.contains("data-pause") && home.contains("Your programme is paused"), "{home}");
    assert!(!home.contains("/exercise/deep-squat"), "no camera while paused");
    let (status, page) = get(app, &c, "/programme").await;
    assert_eq!(status, StatusCode::OK);
    let card = page.find("data-pause").expect("the care card");
    assert!(card < page.find("Deep squat").unwrap(), "the care card comes first");
    assert!(page.contains("Your programme is paused."));
    assert!(!page.contains("Do it with the camera") && !page.contains("href=\"/exercise/"));
    let (_, print) = get(app, &c, "/programme/print").await;
    assert!(print.contains("Your exercises are paused"), "{print}");
    let (status, camera) = get(app, &c, "/exercise/deep-squat").await;
    assert_eq!(status, StatusCode::OK);
    assert!(camera.contains("data-pause") && !camera.contains("id=\"live\""), "{camera}");
    assert!(camera.contains("<h1>Deep squat</h1>"));
}
