//! The patient's day through the API: today's sessions, a whole guided session (pain check,
//! each exercise recorded or skipped, the closing check), the next-morning answer, the log the
//! care team reads with weekly adherence; pain of 8 before a session stops it and tells the
//! care team; bad input names the field; nobody else records or reads it.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{both_backends, helpers::TestApp};

both_backends!(
    a_patient_does_a_session_and_the_care_team_reads_it,
    pain_of_8_stops_the_session_and_tells_the_care_team,
);

/// Chin tucks twice a day (so today has two sessions), a bridge held at the top and a walk;
/// the test clock starts on Wednesday 25 November 2026.
fn items() -> Value {
    let every_day =
        json!(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);
    json!([
        {"exercise": "chin-tuck", "start": "2026-11-25",
         "dose": {"sets": 1, "reps": 10, "hold_s": 5, "rest_s": 0, "side": "both",
                  "days": every_day, "times_per_day": 2}},
        {"exercise": "bridge", "start": "2026-11-25",
         "dose": {"sets": 2, "reps": 10, "rest_s": 45, "side": "both",
                  "days": every_day, "times_per_day": 1}},
        {"exercise": "walk", "start": "2026-11-25",
         "dose": {"sets": 1, "minutes": 20, "rest_s": 0, "side": "both",
                  "days": every_day, "times_per_day": 1}},
    ])
}

async fn prescribe(app: &TestApp) {
    let p = &app.people;
    let clinician = app.token_for(p.c1).await;
    let res = app
        .req(&app.client(), Method::PUT, &format!("/api/v1/patients/{}/programme", p.p1))
        .bearer_auth(&clinician)
        .json(&json!({"based_on": 0, "items": items(), "reason": "First programme"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
}

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

fn fields(body: &Value) -> Vec<String> {
    body["error"]["problems"]
        .as_array()
        .map(|a| a.iter().map(|p| p["field"].as_str().unwrap_or_default().to_owned()).collect())
        .or_else(|| body["error"]["field"].as_str().map(|f| vec![f.to_owned()]))
        .unwrap_or_default()
}

async fn a_patient_does_a_session_and_the_care_team_reads_it(app: &TestApp) {
    let p = &app.people;
    prescribe(app).await;
    let me = app.token_for(p.p1).await;
    let today_path = format!("/api/v1/patients/{}/today", p.p1);
    let (status, day) = call(app, &me, Method::GET, &today_path, None).await;
    assert_eq!(status, StatusCode::OK, "{day}");
    let slots = day["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 2, "chin tucks twice a day make two sessions: {day}");
    assert_eq!(slots[0]["exercises"], json!(["chin-tuck", "bridge", "walk"]));
    assert_eq!(slots[1]["exercises"], json!(["chin-tuck"]));
    assert_eq!(day["week"]["done"], 0);
    // Wednesday to Sunday, two sessions a day.
    assert_eq!(day["week"]["planned"], 10, "{day}");

    // The pain check first; without it nothing starts.
    let (status, body) =
        call(app, &me, Method::POST, "/api/v1/day-sessions", Some(json!({}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["pain_before"]);
    let (status, started) =
        call(app, &me, Method::POST, "/api/v1/day-sessions", Some(json!({"pain_before": 3}))).await;
    assert_eq!(status, StatusCode::OK, "{started}");
    assert_eq!(started["gate"], json!({"gate": "go"}));
    let id = started["session"]["id"].as_str().unwrap().to_owned();
    assert_eq!(started["session"]["programme_version"], 1);
    let (status, _) =
        call(app, &me, Method::POST, "/api/v1/day-sessions", Some(json!({"pain_before": 3}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "one session at a time");

    let record = format!("/api/v1/day-sessions/{id}/exercises");
    // What the dose counts, named field by field.
    let (status, body) =
        call(app, &me, Method::POST, &record, Some(json!({"exercise": "chin-tuck", "log": {}})))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["sets_done", "reps_done", "hold_s_done", "pain_during", "effort"]);
    let wild = json!({"exercise": "bridge", "log": {"sets_done": 2, "reps_done": 500, "pain_during": 11, "effort": 3}});
    let (status, body) = call(app, &me, Method::POST, &record, Some(wild)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["reps_done", "pain_during"]);
    let (status, body) = call(
        app,
        &me,
        Method::POST,
        &record,
        Some(json!({"exercise": "open-book", "log": {"skipped": "time"}})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["exercise"]);

    let held = json!({"exercise": "chin-tuck", "log": {"sets_done": 1, "reps_done": 10, "hold_s_done": 5, "pain_during": 2, "effort": 3}});
    let (status, s) = call(app, &me, Method::POST, &record, Some(held.clone())).await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["exercises"][0]["outcome"], json!({"outcome": "done"}));
    let (status, _) = call(app, &me, Method::POST, &record, Some(held)).await;
    assert_eq!(status, StatusCode::CONFLICT, "recorded once");
    // Pain above 5 ends the exercise: recorded as stopped for pain.
    let sore = json!({"exercise": "bridge", "log": {"sets_done": 1, "reps_done": 6, "pain_during": 6, "effort": 6}});
    let (status, s) = call(app, &me, Method::POST, &record, Some(sore)).await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["exercises"][1]["outcome"], json!({"outcome": "stopped_for_pain"}));

    // Ending with the walk not done needs a reason.
    let finish = format!("/api/v1/day-sessions/{id}/finish");
    let (status, body) =
        call(app, &me, Method::POST, &finish, Some(json!({"pain_after": 3, "fatigue": 4}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["stopped_early"]);
    let (status, s) = call(
        app,
        &me,
        Method::POST,
        &finish,
        Some(json!({"pain_after": 3, "fatigue": 4, "stopped_early": "time", "note": "School run"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert!(s["ended_at"].is_string());
    let (status, _) = call(
        app,
        &me,
        Method::POST,
        &finish,
        Some(json!({"pain_after": 3, "fatigue": 4, "stopped_early": "time"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "ends once");
    let (status, _) = call(
        app,
        &me,
        Method::POST,
        &record,
        Some(json!({"exercise": "walk", "log": {"skipped": "time"}})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "nothing more once it has ended");

    let (_, day) = call(app, &me, Method::GET, &today_path, None).await;
    assert!(day["slots"][0]["session"]["ended_at"].is_string(), "{day}");
    assert!(day["slots"][1]["session"].is_null());
    assert_eq!(day["week"]["done"], 1);

    // The care team reads the log; a clinician of another care team and another clinic do not.
    let log_path = format!("/api/v1/patients/{}/day-sessions?weeks=2", p.p1);
    let c1 = app.token_for(p.c1).await;
    let (status, log) = call(app, &c1, Method::GET, &log_path, None).await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let session = &log["sessions"][0];
    assert_eq!(session["pain_before"], 3);
    assert_eq!(session["closing"]["stopped_early"], "time");
    assert_eq!(session["due"][1]["dose"]["reps"], 10, "what was prescribed");
    assert_eq!(session["exercises"][1]["log"]["reps_done"], 6, "what was done");
    assert_eq!(log["weeks"][0]["done"], 1);
    assert_eq!(log["weeks"].as_array().unwrap().len(), 2);
    let (status, _) = call(app, &app.token_for(p.c2).await, Method::GET, &log_path, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(app, &app.token_for(p.xc).await, Method::GET, &log_path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = call(
        app,
        &c1,
        Method::GET,
        &format!("/api/v1/patients/{}/day-sessions?weeks=0", p.p1),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // Only the patient records: not their clinician, not another patient.
    let (status, _) =
        call(app, &c1, Method::POST, "/api/v1/day-sessions", Some(json!({"pain_before": 2}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let other = app.token_for(p.p2).await;
    let (status, _) =
        call(app, &other, Method::POST, &finish, Some(json!({"pain_after": 1, "fatigue": 1})))
            .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The next morning: one question about yesterday's session, answered once.
    app.clock.advance(time::Duration::days(1));
    let (_, day) = call(app, &me, Method::GET, &today_path, None).await;
    assert_eq!(day["next_morning"]["id"], json!(id), "{day}");
    let morning = format!("/api/v1/day-sessions/{id}/next-morning");
    let (status, body) = call(app, &me, Method::POST, &morning, Some(json!({}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["pain"]);
    let (status, s) = call(app, &me, Method::POST, &morning, Some(json!({"pain": 4}))).await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["next_morning_pain"], 4);
    let (status, _) = call(app, &me, Method::POST, &morning, Some(json!({"pain": 2}))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, day) = call(app, &me, Method::GET, &today_path, None).await;
    assert!(day["next_morning"].is_null(), "asked once: {day}");
}

async fn pain_of_8_stops_the_session_and_tells_the_care_team(app: &TestApp) {
    let p = &app.people;
    prescribe(app).await;
    let me = app.token_for(p.p1).await;
    let (status, started) =
        call(app, &me, Method::POST, "/api/v1/day-sessions", Some(json!({"pain_before": 8}))).await;
    assert_eq!(status, StatusCode::OK, "{started}");
    assert_eq!(started["gate"], json!({"gate": "stop", "kind": "high_pain", "pain": 8}));
    assert_eq!(started["session"]["stopped"]["kind"], "high_pain");
    assert!(started["session"]["ended_at"].is_string());
    // The care team is told, and exercise pauses everywhere until a clinician has looked.
    let c1 = app.token_for(p.c1).await;
    let (_, alerts) =
        call(app, &c1, Method::GET, &format!("/api/v1/patients/{}/alerts", p.p1), None).await;
    let alert = alerts["alerts"]
        .as_array()
        .and_then(|a| a.iter().find(|a| a["kind"] == "high_pain"))
        .cloned();
    let alert = alert.unwrap_or_else(|| panic!("a high-pain alert: {alerts}"));
    assert!(alert["message"].as_str().unwrap().contains("Pain 8/10 before an exercise session"));
    let (_, day) =
        call(app, &me, Method::GET, &format!("/api/v1/patients/{}/today", p.p1), None).await;
    assert!(day["programme"]["pause"].is_object(), "{day}");
    assert_eq!(day["stopped"].as_array().unwrap().len(), 1);
    assert!(day["slots"][0]["session"].is_null(), "the stopped session does not use up a slot");
    let (status, body) =
        call(app, &me, Method::POST, "/api/v1/day-sessions", Some(json!({"pain_before": 2}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // Once a clinician has closed it with a note, the day's first session can start.
    let close = format!("/api/v1/alerts/{}/close", alert["id"].as_str().unwrap());
    let note = json!({"note": "Phoned; the pain settled with rest"});
    let (status, body) = call(app, &c1, Method::POST, &close, Some(note)).await;
    assert!(status.is_success(), "{body}");
    let (status, started) =
        call(app, &me, Method::POST, "/api/v1/day-sessions", Some(json!({"pain_before": 2}))).await;
    assert_eq!(status, StatusCode::OK, "{started}");
    assert_eq!(
        started["session"]["due"].as_array().unwrap().len(),
        3,
        "the first session's exercises"
    );
}
