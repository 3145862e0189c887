//! Progression through the API: two good sessions in a row propose a step up, which the
//! clinician accepts (a new programme version naming the rule) or edits; a rejection needs a
//! reason; the patient's Today says what changed and why. With automatic changes allowed, a
//! pain breach steps down at once and a second breach within 7 days alerts the care team; pain
//! that has not settled by the next morning steps down too. Only the care team sees or decides.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{both_backends, helpers::TestApp};

both_backends!(
    two_good_sessions_propose_a_step_that_the_clinician_decides,
    pain_breaches_step_down_and_a_second_one_alerts,
);

fn every_day() -> Value {
    json!(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
}

/// A bridge (2 sets of `reps`) and a 20-minute walk, once a day from the test's first day.
fn items(sets: u8, reps: u16) -> Value {
    json!([
        {"exercise": "bridge", "start": "2026-11-25",
         "dose": {"sets": sets, "reps": reps, "rest_s": 45, "side": "both",
                  "days": every_day(), "times_per_day": 1}},
        {"exercise": "walk", "start": "2026-11-25",
         "dose": {"sets": 1, "minutes": 20, "rest_s": 0, "side": "both",
                  "days": every_day(), "times_per_day": 1}},
    ])
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

async fn prescribe(app: &TestApp, clinician: &str, based_on: i64, items: Value) {
    let path = format!("/api/v1/patients/{}/programme", app.people.p1);
    let body = json!({"based_on": based_on, "items": items, "reason": "Programme"});
    let (status, body) = call(app, clinician, Method::PUT, &path, Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// One whole session: the pain check at 3, then the bridge with `bridge_pain` during it, the
/// walk done, the closing check.
async fn session(app: &TestApp, me: &str, sets: u8, reps: u16, bridge_pain: u8, walk: bool) {
    let (status, started) =
        call(app, me, Method::POST, "/api/v1/day-sessions", Some(json!({"pain_before": 3}))).await;
    assert_eq!(status, StatusCode::OK, "{started}");
    let id = started["session"]["id"].as_str().unwrap().to_owned();
    let record = format!("/api/v1/day-sessions/{id}/exercises");
    let bridge = json!({"exercise": "bridge", "log": {"sets_done": sets, "reps_done": reps,
        "pain_during": bridge_pain, "effort": 4}});
    let (status, body) = call(app, me, Method::POST, &record, Some(bridge)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let walk = if walk {
        json!({"exercise": "walk", "log": {"minutes_done": 20, "pain_during": 2, "effort": 3}})
    } else {
        json!({"exercise": "walk", "log": {"skipped": "time"}})
    };
    let (status, body) = call(app, me, Method::POST, &record, Some(walk)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let finish = format!("/api/v1/day-sessions/{id}/finish");
    let (status, body) =
        call(app, me, Method::POST, &finish, Some(json!({"pain_after": 3, "fatigue": 3}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// The next morning: the day moves on and the patient gives their pain.
async fn next_morning(app: &TestApp, me: &str, pain: u8) {
    app.clock.advance(time::Duration::days(1));
    let (_, day) =
        call(app, me, Method::GET, &format!("/api/v1/patients/{}/today", app.people.p1), None)
            .await;
    let id =
        day["next_morning"]["id"].as_str().unwrap_or_else(|| panic!("asked: {day}")).to_owned();
    let path = format!("/api/v1/day-sessions/{id}/next-morning");
    let (status, body) = call(app, me, Method::POST, &path, Some(json!({"pain": pain}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn progression(app: &TestApp, token: &str) -> Value {
    let path = format!("/api/v1/patients/{}/progression", app.people.p1);
    let (status, body) = call(app, token, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn by_exercise<'a>(list: &'a Value, exercise: &str) -> &'a Value {
    list.as_array()
        .and_then(|a| a.iter().find(|v| v["decision"]["exercise"] == exercise))
        .unwrap_or_else(|| panic!("no decision about {exercise}: {list}"))
}

async fn two_good_sessions_propose_a_step_that_the_clinician_decides(app: &TestApp) {
    let p = &app.people;
    let clinician = app.token_for(p.c1).await;
    let me = app.token_for(p.p1).await;
    prescribe(app, &clinician, 0, items(2, 10)).await;

    // One good session is not two: the rules hold, and say so.
    session(app, &me, 2, 10, 2, true).await;
    let first = progression(app, &clinician).await;
    assert_eq!(first["waiting"], json!([]), "{first}");
    let hold = by_exercise(&first["recent"], "bridge");
    assert_eq!(hold["decision"]["rule"], "otherwise");
    assert_eq!(hold["decision"]["status"], "noted");
    assert!(hold["decision"]["because"].as_str().unwrap().contains("two in a row"), "{hold}");

    // Settled by the next morning, then a second good session: a step up for each.
    next_morning(app, &me, 3).await;
    session(app, &me, 2, 10, 2, true).await;
    let (status, queue) = call(app, &clinician, Method::GET, "/api/v1/proposals", None).await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    assert_eq!(queue.as_array().unwrap().len(), 2, "{queue}");
    let bridge = by_exercise(&queue, "bridge");
    assert_eq!(bridge["decision"]["rule"], "ready");
    assert_eq!(bridge["decision"]["proposal"], "progress");
    assert_eq!(bridge["decision"]["step"], "reps");
    assert_eq!(
        (bridge["before"].as_str(), bridge["after"].as_str()),
        (Some("2 sets of 10"), Some("2 sets of 12"))
    );
    assert_eq!(
        bridge["decision"]["because"],
        "In the last two sessions pain during stayed at 2/10 or less and settled by the next \
         morning, effort was 4/10 or less, and all the prescribed work was done."
    );
    assert_eq!(bridge["decision"]["inputs"]["latest"]["pain_during"], 2);
    let walk = by_exercise(&queue, "walk");
    assert_eq!(walk["after"], "25 minutes");

    // Nobody outside the care team decides or reads; a patient never does.
    let decide = format!("/api/v1/patients/{}/proposals/decide", p.p1);
    let accept = |id: &Value| json!({"proposals": [id], "action": "accept"});
    let other = app.token_for(p.c2).await;
    let (status, _) =
        call(app, &other, Method::POST, &decide, Some(accept(&bridge["decision"]["id"]))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) =
        call(app, &me, Method::POST, &decide, Some(accept(&bridge["decision"]["id"]))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) =
        call(app, &me, Method::GET, &format!("/api/v1/patients/{}/progression", p.p1), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, others) = call(app, &other, Method::GET, "/api/v1/proposals", None).await;
    assert_eq!(others, json!([]), "another clinician's queue holds only their own patients");

    // A rejection needs a reason; an edit, a valid dose.
    let reject = json!({"proposals": [walk["decision"]["id"]], "action": "reject", "reason": "  "});
    let (status, body) = call(app, &clinician, Method::POST, &decide, Some(reject)).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reason")),
        "{body}"
    );
    let bad = json!({"proposals": [walk["decision"]["id"]], "action": "edit",
        "dose": {"sets": 1, "minutes": 90, "rest_s": 0, "side": "both", "days": every_day(), "times_per_day": 1}});
    let (status, body) = call(app, &clinician, Method::POST, &decide, Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("dose.minutes"), "{body}");

    // Accept one: a new version whose reason is the rule.
    let (status, body) =
        call(app, &clinician, Method::POST, &decide, Some(accept(&bridge["decision"]["id"]))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body[0]["decision"]["status"], "accepted");
    assert_eq!(body[0]["decision"]["version_made"], 2);
    let (_, programme) =
        call(app, &clinician, Method::GET, &format!("/api/v1/patients/{}/programme", p.p1), None)
            .await;
    let current = &programme["current"];
    assert_eq!(current["version"], 2, "{programme}");
    assert_eq!(current["items"][0]["dose"]["reps"], 12);
    assert_eq!(
        current["reason"],
        "Proposal accepted: Bridge: 2 sets of 10 \u{2192} 2 sets of 12 (ready to progress)"
    );
    let (status, _) =
        call(app, &clinician, Method::POST, &decide, Some(accept(&bridge["decision"]["id"]))).await;
    assert_eq!(status, StatusCode::CONFLICT, "decided once");

    // Edit the other: the clinician's dose, with their note.
    let edit = json!({"proposals": [walk["decision"]["id"]], "action": "edit", "reason": "A little less than proposed",
        "dose": {"sets": 1, "minutes": 22, "rest_s": 0, "side": "both", "days": every_day(), "times_per_day": 1}});
    let (status, body) = call(app, &clinician, Method::POST, &decide, Some(edit)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body[0]["decision"]["status"].as_str(), body[0]["after"].as_str()),
        (Some("edited"), Some("22 minutes"))
    );
    let after = progression(app, &clinician).await;
    assert_eq!(after["waiting"], json!([]));

    // The patient's Today says what changed and why, in plain words.
    let (_, day) =
        call(app, &me, Method::GET, &format!("/api/v1/patients/{}/today", p.p1), None).await;
    let changes = day["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{day}");
    let bridge = changes.iter().find(|c| c["exercise_name"] == "Bridge").unwrap();
    assert_eq!(
        (bridge["before"].as_str(), bridge["after"].as_str()),
        (Some("2 sets of 10"), Some("2 sets of 12"))
    );
    assert!(
        bridge["why"].as_str().unwrap().starts_with("You did all of it twice in a row"),
        "{bridge}"
    );
    assert_eq!(bridge["automatic"], false);
}

async fn pain_breaches_step_down_and_a_second_one_alerts(app: &TestApp) {
    let p = &app.people;
    let clinician = app.token_for(p.c1).await;
    let me = app.token_for(p.p1).await;
    prescribe(app, &clinician, 0, items(2, 10)).await;
    prescribe(app, &clinician, 1, items(3, 12)).await;
    let settings = format!("/api/v1/patients/{}/progression-settings", p.p1);
    let (status, body) = call(app, &clinician, Method::PUT, &settings,
        Some(json!({"auto_apply": true, "cap": {"reps": 60, "sets": 3, "hold_s": 30, "minutes": 30}}))).await;
    assert_eq!(
        (status, body["error"]["problems"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("cap.reps")),
        "{body}"
    );
    let (status, body) =
        call(app, &clinician, Method::PUT, &settings, Some(json!({"auto_apply": true}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Pain 6 during the bridge: a breach, stepped down at once (sets first, the last step up).
    session(app, &me, 3, 12, 6, true).await;
    let after = progression(app, &clinician).await;
    let bridge = by_exercise(&after["recent"], "bridge");
    assert_eq!(
        (bridge["decision"]["rule"].as_str(), bridge["decision"]["status"].as_str()),
        (Some("pain_breach"), Some("applied")),
        "{after}"
    );
    assert_eq!(bridge["after"], "2 sets of 12");
    let (_, programme) =
        call(app, &clinician, Method::GET, &format!("/api/v1/patients/{}/programme", p.p1), None)
            .await;
    assert_eq!(programme["current"]["items"][0]["dose"]["sets"], 2, "{programme}");
    assert!(
        programme["current"]["reason"].as_str().unwrap().starts_with("Applied automatically"),
        "{programme}"
    );
    assert_eq!(
        programme["current"]["created_by"],
        json!(p.c1),
        "made in the name of the clinician who allowed it"
    );
    let alerts = format!("/api/v1/patients/{}/alerts", p.p1);
    let (_, open) = call(app, &clinician, Method::GET, &alerts, None).await;
    assert!(!open.to_string().contains("pain_breach"), "one breach is not yet an alert: {open}");

    // The morning after, pain is not back to usual: the walk done that day steps down too.
    next_morning(app, &me, 6).await;
    let after = progression(app, &clinician).await;
    let walk = by_exercise(&after["recent"], "walk");
    assert_eq!(walk["decision"]["rule"], "pain_breach", "{after}");
    assert_eq!(walk["decision"]["inputs"]["latest"]["morning"], json!({"pain": 6, "usual": 3}));
    // The walk is at the dose it started at: nothing lower, so the clinician is told instead.
    assert_eq!(walk["decision"]["status"], "noted");
    assert!(
        walk["decision"]["because"].as_str().unwrap().contains("review it with the patient"),
        "{walk}"
    );

    // A second breach within 7 days: stepped down again, and the care team is alerted.
    session(app, &me, 2, 12, 7, false).await;
    let (_, open) = call(app, &clinician, Method::GET, &alerts, None).await;
    let breach = open["alerts"]
        .as_array()
        .unwrap_or_else(|| panic!("{open}"))
        .iter()
        .find(|a| a["kind"] == "pain_breach")
        .unwrap_or_else(|| panic!("{open}"));
    assert_eq!(
        breach["message"],
        "Second pain breach within 7 days. Bridge: pain during was 7/10 (the limit is 5/10). \
         Earlier, walk on 25 November 2026: pain the next morning was 6/10 against a usual 3/10 \
         (more than 1 above). Review the programme with the patient.",
    );
    let (_, programme) =
        call(app, &clinician, Method::GET, &format!("/api/v1/patients/{}/programme", p.p1), None)
            .await;
    assert_eq!(programme["current"]["items"][0]["dose"]["reps"], 10, "{programme}");
    // The patient is told, in plain words, that it was automatic.
    let (_, day) =
        call(app, &me, Method::GET, &format!("/api/v1/patients/{}/today", p.p1), None).await;
    // The latest change of each exercise: the bridge, stepped down twice, shows once, as now.
    let changes = day["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{day}");
    assert_eq!(
        (changes[0]["after"].as_str(), changes[0]["automatic"].as_bool()),
        (Some("2 sets of 10"), Some(true)),
        "{day}"
    );
    assert!(changes[0]["why"].as_str().unwrap().contains("steps down"), "{day}");
}
