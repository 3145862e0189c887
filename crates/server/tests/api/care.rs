//! The care layer seen from outside, on both backends: a refused action is recorded as what it
//! was (denied, not found, invalid), never as a success, and writes nothing; and a decision
//! that waits for a clinician pauses exercise everywhere, saying why, until one has reviewed it.

use physio_store::AuditEvent;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    both_backends,
    helpers::{TestApp, email_of},
};

both_backends!(
    refusals_are_recorded_as_what_they_were,
    a_decision_awaiting_review_pauses_exercise,
    a_pathway_starts_with_the_intakes_surgery_facts,
);

/// The intake of a patient with cord compression on imaging and surgery recommended but not done.
fn surgery_recommended() -> Value {
    let mut doc: Value = serde_json::from_str(include_str!(
        "../../../../docs/examples/specialist-surgery-recommended.json"
    ))
    .unwrap();
    doc.as_object_mut().unwrap().remove("age");
    doc
}

/// The patient's audit records, oldest first, as (action, resource, outcome).
async fn trail(app: &TestApp, patient: uuid::Uuid) -> Vec<(String, String, String)> {
    let mut events: Vec<AuditEvent> =
        app.store.audit_events(app.people.clinic_a, Some(patient), 500).await.unwrap();
    events.reverse();
    events.into_iter().map(|e| (e.action, e.resource, e.outcome)).collect()
}

fn count(trail: &[(String, String, String)], action: &str, resource: &str, outcome: &str) -> usize {
    trail.iter().filter(|(a, r, o)| a == action && r == resource && o == outcome).count()
}

async fn refusals_are_recorded_as_what_they_were(app: &TestApp) {
    let p = &app.people;
    let c = app.client();
    let patient = app.token_for(p.p1).await;
    let own = app.token_for(p.c1).await;
    let other = app.token_for(p.c2).await;
    let send = |token: &str, method: Method, path: String, body: Value| {
        app.req(&c, method, &path).bearer_auth(token).json(&body).send()
    };

    // The patient sends an intake that waits for a clinician.
    let res =
        send(&patient, Method::POST, "/api/v1/intake".into(), surgery_recommended()).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let decision: Value = res.json().await.unwrap();
    let review = format!("/api/v1/triage/{}/review", decision["id"].as_str().unwrap());

    // The patient cannot review it; a clinician off the care team cannot either; a changed tier
    // without a note is invalid. None of them writes anything.
    let denied = send(&patient, Method::POST, review.clone(), json!({"final_tier": "exercise"}));
    assert_eq!(denied.await.unwrap().status(), StatusCode::FORBIDDEN);
    let off_team = send(&other, Method::POST, review.clone(), json!({"final_tier": "exercise"}));
    assert_eq!(off_team.await.unwrap().status(), StatusCode::FORBIDDEN);
    let res =
        send(&own, Method::POST, review.clone(), json!({"final_tier": "exercise"})).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["field"], "note", "{body}");
    let unknown = format!("/api/v1/triage/{}/review", uuid::Uuid::now_v7());
    let res = send(&own, Method::POST, unknown, json!({"final_tier": "exercise"})).await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let ep = app.store.open_episode_of(p.clinic_a, p.p1).await.unwrap().unwrap();
    let history = app.store.triage_history(p.clinic_a, ep.id).await.unwrap();
    assert!(history[0].review.is_none(), "a refused review wrote nothing");

    // A questionnaire with an answer out of range is invalid and stores nothing.
    let res = send(
        &patient,
        Method::POST,
        "/api/v1/questionnaires/nprs".into(),
        json!({"answers": [11]}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.store.responses(p.clinic_a, p.p1, None).await.unwrap().is_empty());

    let t = trail(app, p.p1).await;
    assert_eq!(count(&t, "submit", "intake", "success"), 1, "{t:?}");
    // The clinician off the care team is refused on this patient's record; the patient was
    // refused on role alone, before any record was looked up, so that one names no patient.
    assert_eq!(count(&t, "review", "triage", "denied"), 1, "{t:?}");
    assert_eq!(count(&t, "review", "triage", "invalid"), 1, "{t:?}");
    assert_eq!(count(&t, "review", "triage", "success"), 0, "{t:?}");
    assert_eq!(count(&t, "create", "questionnaire_response", "invalid"), 1, "{t:?}");
    assert_eq!(count(&t, "create", "questionnaire_response", "success"), 0, "{t:?}");
    // The review of an unknown decision names no patient; it is recorded as not found.
    let all = app.store.audit_events(p.clinic_a, None, 500).await.unwrap();
    assert!(
        all.iter()
            .any(|e| e.action == "review" && e.outcome == "not_found" && e.patient_id.is_none()),
        "{all:?}"
    );

    // Confirmed with a note, it is one success, and the chain still verifies.
    let res = send(
        &own,
        Method::POST,
        review,
        json!({"final_tier": "specialist", "note": "Surgeon's opinion stands; discussed today"}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let t = trail(app, p.p1).await;
    assert_eq!(count(&t, "review", "triage", "success"), 1, "{t:?}");
    assert_eq!(app.store.verify_audit().await.unwrap().first_break, None);
}

async fn a_decision_awaiting_review_pauses_exercise(app: &TestApp) {
    let p = &app.people;
    let c = app.client();
    let patient = app.token_for(p.p1).await;
    let res = app
        .req(&c, Method::POST, "/api/v1/intake")
        .bearer_auth(&patient)
        .json(&surgery_recommended())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let decision: Value = res.json().await.unwrap();
    // Surgery recommended but not done keeps the patient in the surgical decision, and a cord
    // compression on imaging never lands on exercise care without a clinician.
    assert_eq!(decision["tier"], "specialist", "{decision}");
    assert_eq!(decision["decision"]["needs_clinician_review"], true, "{decision}");

    // The home page leads with the care card; the camera page and the live socket refuse, with
    // the reason.
    let (browser, _) = app.login(&email_of("p1")).await;
    let home = browser.get(app.url("/home")).send().await.unwrap().text().await.unwrap();
    let card = home.find("data-pause").expect("a care card on the home page");
    let exercises = home.find("Today&#39;s exercises").or_else(|| home.find("Today's exercises"));
    let exercises = exercises.expect("the exercises section");
    assert!(card < exercises, "the care card comes first");
    assert!(!home.contains("/exercise/deep-squat"), "no camera exercise is offered while paused");
    let camera = browser.get(app.url("/exercise/deep-squat")).send().await.unwrap().text().await;
    assert!(camera.unwrap().contains("Your answers are with your care team"));
    let live = app
        .req(&c, Method::GET, "/api/v1/live?exercise=deep-squat")
        .bearer_auth(&patient)
        .header("origin", app.base.clone())
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), StatusCode::FORBIDDEN);
    let body: Value = live.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("paused"), "{body}");

    // Once the clinician has reviewed it and chosen exercise care, exercise is open again.
    let clinician = app.token_for(p.c1).await;
    let review = format!("/api/v1/triage/{}/review", decision["id"].as_str().unwrap());
    let res = app
        .req(&c, Method::POST, &review)
        .bearer_auth(&clinician)
        .json(&json!({
            "final_tier": "exercise",
            "note": "Seen the imaging with the surgeon; prehab first",
            "pathway": "prehab"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
    let home = browser.get(app.url("/home")).send().await.unwrap().text().await.unwrap();
    assert!(!home.contains("data-pause"), "{home}");
    // The clinician starts the pathway's programme: its camera exercise for today is offered.
    let res = app
        .req(&c, Method::POST, &format!("/api/v1/patients/{}/programme/from-template", p.p1))
        .bearer_auth(&clinician)
        .json(&json!({"based_on": 0, "template": "prehab"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
    let home = browser.get(app.url("/home")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("/exercise/sit-to-stand"), "{home}");
}

async fn a_pathway_starts_with_the_intakes_surgery_facts(app: &TestApp) {
    // After a fusion with instability on imaging: exercise care, but a clinician reviews it
    // first; the pathway they start knows the operation's date and the lifting limit.
    let p = &app.people;
    let c = app.client();
    let mut doc: Value = serde_json::from_str(include_str!(
        "../../../../docs/examples/exercise-post-op-fusion.json"
    ))
    .unwrap();
    doc.as_object_mut().unwrap().remove("age");
    let patient = app.token_for(p.p1).await;
    let res =
        app.req(&c, Method::POST, "/api/v1/intake").bearer_auth(&patient).json(&doc).send().await;
    let decision: Value = res.unwrap().json().await.unwrap();
    assert_eq!(decision["tier"], "exercise", "{decision}");
    let clinician = app.token_for(p.c1).await;
    let review = format!("/api/v1/triage/{}/review", decision["id"].as_str().unwrap());
    let res = app
        .req(&c, Method::POST, &review)
        .bearer_auth(&clinician)
        .json(&json!({"final_tier": "exercise", "pathway": "post_op_fusion"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
    let res = app
        .req(&c, Method::GET, &format!("/api/v1/patients/{}/pathway", p.p1))
        .bearer_auth(&clinician)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
    let status: Value = res.json().await.unwrap();
    assert_eq!(status["pathway"], "post_op_fusion", "{status}");
    // 2026-10-12 to 2026-11-25 is 44 days: six whole weeks since the operation.
    assert_eq!(status["week"], 6, "{status}");
    let ep = app.store.open_episode_of(p.clinic_a, p.p1).await.unwrap().unwrap();
    assert_eq!(ep.lifting_limit_kg, Some(4.0));
}
