//! The patient's progress through the API: two ODI answers four weeks apart make a series with
//! its baseline band and a plain-words summary; a harder variant replacing an easier exercise
//! is a move up the ladder; the sessions are counted by week; the patient and their care team
//! read it, nobody else, and each read is audited.

use physio_store::AuditEvent;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::Duration;

use crate::{both_backends, helpers::TestApp};

both_backends!(
    two_odi_answers_make_a_series_with_a_summary,
    only_the_patient_and_care_team_read_it
);

async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = app.req(&app.client(), method, path).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn intake() -> Value {
    let mut doc: Value = serde_json::from_str(include_str!(
        "../../../../docs/examples/exercise-conservative-lumbar.json"
    ))
    .unwrap();
    doc.as_object_mut().unwrap().remove("age");
    doc
}

/// A programme of one exercise every day from the test clock's first day.
fn programme(exercise: &str) -> Value {
    let every_day =
        json!(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);
    json!([{"exercise": exercise, "start": "2026-11-25",
            "dose": {"sets": 2, "reps": 10, "rest_s": 45, "side": "both",
                     "days": every_day, "times_per_day": 1}}])
}

async fn two_odi_answers_make_a_series_with_a_summary(app: &TestApp) {
    let p = &app.people;
    let me = app.token_for(p.p1).await;
    let clinician = app.token_for(p.c1).await;
    let path = format!("/api/v1/patients/{}/progress", p.p1);

    // Before anything: nothing to show, and no error.
    let (status, body) = call(app, &me, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["measures"], json!([]));
    assert_eq!(body["weeks"], json!([]));
    assert_eq!(body["moves"], json!([]));

    let (status, body) = call(app, &me, Method::POST, "/api/v1/intake", Some(intake())).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // ODI 21 of 50 = 42%.
    let odi = |answers: [u8; 10]| json!({"answers": answers});
    let (status, body) = call(
        app,
        &me,
        Method::POST,
        "/api/v1/questionnaires/odi",
        Some(odi([3, 3, 3, 2, 2, 2, 2, 2, 1, 1])),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["score"], 42.0, "{body}");
    // Pain answered after the back questionnaire is still shown first.
    let (status, body) =
        call(app, &me, Method::POST, "/api/v1/questionnaires/nprs", Some(json!({"answers": [6]})))
            .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let put = format!("/api/v1/patients/{}/programme", p.p1);
    let first = json!({"based_on": 0, "items": programme("bridge"), "reason": "First programme"});
    let (status, body) = call(app, &clinician, Method::PUT, &put, Some(first)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // One score: a series of one, a sentence that says what comes next.
    let (_, body) = call(app, &me, Method::GET, &path, None).await;
    let m =
        &body["measures"].as_array().unwrap().iter().find(|m| m["instrument"] == "odi").unwrap();
    assert_eq!(m["scores"].as_array().unwrap().len(), 1);
    assert_eq!(m["summary"]["change"], Value::Null);

    // Four weeks later: 12 of 50 = 24%, and a harder bridge.
    app.clock.advance(Duration::weeks(4));
    let (status, body) = call(
        app,
        &me,
        Method::POST,
        "/api/v1/questionnaires/odi",
        Some(odi([2, 1, 1, 1, 1, 1, 1, 2, 1, 1])),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["score"], 24.0, "{body}");
    let mut harder = programme("single-leg-bridge");
    harder[0]["start"] = json!("2026-12-23");
    let second = json!({"based_on": 1, "items": harder, "reason": "Bridge is easy now"});
    let (status, body) = call(app, &clinician, Method::PUT, &put, Some(second)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    for token in [&me, &clinician] {
        let (status, body) = call(app, token, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let measures = body["measures"].as_array().unwrap();
        let order: Vec<&str> = measures.iter().map(|m| m["instrument"].as_str().unwrap()).collect();
        assert_eq!(order, ["nprs", "odi"], "{body}");
        let odi = &measures[1];
        assert_eq!(odi["title"], "How your back affects daily life");
        let values: Vec<f64> = odi["scores"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["value"].as_f64().unwrap())
            .collect();
        assert_eq!(values, [42.0, 24.0]);
        assert_eq!(odi["scores"][0]["day"], "2026-11-25");
        assert_eq!(odi["scores"][1]["day"], "2026-12-23");
        assert_eq!((odi["min"].as_f64(), odi["max"].as_f64()), (Some(0.0), Some(100.0)));
        assert_eq!(odi["threshold"], 10.0, "10 points is less than 30% of 42");
        assert_eq!(odi["band"], json!({"low": 32.0, "high": 52.0}));
        assert_eq!(odi["summary"]["change"], "improved");
        assert_eq!(
            odi["summary"]["text"],
            "Your score for how your back affects daily life went down from 42 to 24 — that is a \
             real improvement."
        );
        assert_eq!(odi["summary"]["reading"], "Lower scores are better.");

        let moves = body["moves"].as_array().unwrap();
        assert_eq!(moves.len(), 1, "{body}");
        assert_eq!(moves[0]["from"], "bridge");
        assert_eq!(moves[0]["to"], "single-leg-bridge");
        assert_eq!(moves[0]["to_name"], "Single-leg bridge");
        assert_eq!(moves[0]["since"], "2026-12-23");

        // Five weeks from the programme's first day (a Wednesday) to today, oldest first, each
        // against its plan; no session was done.
        let weeks = body["weeks"].as_array().unwrap();
        assert_eq!(weeks.len(), 5, "{body}");
        assert_eq!(weeks[0]["monday"], "2026-11-23");
        assert_eq!(weeks[0]["planned"], 5, "Wednesday to Sunday of the first week");
        assert_eq!(weeks[1]["planned"], 7);
        assert!(weeks.iter().all(|w| w["done"] == 0));
    }
}

async fn only_the_patient_and_care_team_read_it(app: &TestApp) {
    let p = &app.people;
    let path = format!("/api/v1/patients/{}/progress", p.p1);
    let other_patient = app.token_for(p.p2).await;
    let other_clinician = app.token_for(p.c2).await;
    let other_clinic = app.token_for(p.xc).await;
    let own = app.token_for(p.c1).await;
    assert_eq!(call(app, &other_patient, Method::GET, &path, None).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        call(app, &other_clinician, Method::GET, &path, None).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(call(app, &other_clinic, Method::GET, &path, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(call(app, &own, Method::GET, &path, None).await.0, StatusCode::OK);
    let res = app.client().get(app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    let events: Vec<AuditEvent> =
        app.store.audit_events(p.clinic_a, Some(p.p1), 100).await.unwrap();
    let of = |outcome: &str| {
        events.iter().filter(|e| e.resource == "progress" && e.outcome == outcome).count()
    };
    assert_eq!(of("denied"), 2, "{events:?}");
    assert_eq!(of("success"), 1, "{events:?}");
}
