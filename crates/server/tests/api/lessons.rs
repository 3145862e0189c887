//! Lessons over HTTP, on both backends: a patient's lessons come in order with this week's
//! first, opening one records the first read only, the care team sees what was read (API and
//! record page), nobody else does, and a clinic's own lessons are imported all or nothing and
//! stay in that clinic.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::Duration;
use uuid::Uuid;

use crate::{
    both_backends,
    helpers::{START, TestApp, email_of},
};

both_backends!(
    a_patient_reads_lessons_and_the_care_team_sees_it,
    nobody_else_sees_or_marks_them,
    a_clinic_adds_its_own_lessons_all_or_nothing,
);

/// P1's open episode on the conservative lumbar pathway, opened at the test's start.
async fn on_pathway(app: &TestApp, patient: Uuid, pathway: &str) {
    let clinic = app.store.user(patient).await.unwrap().clinic_id;
    let mut tx = app.store.begin().await.unwrap();
    let ep = tx.open_episode(clinic, patient, START).await.unwrap();
    tx.set_pathway(clinic, ep.id, pathway, None, None).await.unwrap();
    tx.commit().await.unwrap();
}

async fn call(app: &TestApp, token: &str, method: Method, path: &str) -> (StatusCode, Value) {
    let res = app.req(&app.client(), method, path).bearer_auth(token).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e["lesson"]["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_patient_reads_lessons_and_the_care_team_sees_it(app: &TestApp) {
    let p = &app.people;
    on_pathway(app, p.p1, "conservative_lumbar").await;
    let me = app.token_for(p.p1).await;
    let path = format!("/api/v1/patients/{}/lessons", p.p1);
    let (status, body) = call(app, &me, Method::GET, &path).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        ids(&body["lessons"]),
        ["when-to-get-help", "moving-helps", "pain-is-not-damage", "how-much-pain-is-ok"]
    );
    assert_eq!(body["this_week"], "when-to-get-help");
    assert!(body["lessons"].as_array().unwrap().iter().all(|e| e["first_read_at"].is_null()));

    // The first opening is recorded; a second keeps the first time.
    let read = format!("{path}/when-to-get-help/read");
    let (status, first) = call(app, &me, Method::POST, &read).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["first_time"], true);
    assert_eq!(first["lesson"]["title"], "When to get help fast");
    app.clock.advance(Duration::hours(2));
    let (_, again) = call(app, &me, Method::POST, &read).await;
    assert_eq!(again["first_time"], false);
    assert_eq!(again["first_read_at"], first["first_read_at"]);
    let (_, body) = call(app, &me, Method::GET, &path).await;
    assert_eq!(body["this_week"], "moving-helps", "the next unread lesson is this week's");

    // On the page: the list says what is read in words; opening a lesson marks it read.
    let (c, _) = app.login(&email_of("p1")).await;
    let page = c.get(app.url("/lessons")).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("This week&#39;s lesson") || page.contains("This week's lesson"),
        "{page}"
    );
    assert!(page.contains("Read on 25 November 2026"), "{page}");
    assert!(page.contains("Not read yet"));
    let res = c.get(app.url("/lessons/moving-helps")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let lesson = res.text().await.unwrap();
    assert!(
        lesson.contains("Why moving helps your back") && lesson.contains("Back to your lessons")
    );
    let res = c.get(app.url("/lessons/no-such-lesson")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // A lesson with a figure draws it.
    let res = c.get(app.url("/lessons/how-much-pain-is-ok")).send().await.unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("<svg") && html.contains("Pain score while you exercise"), "{html}");

    // Weeks later, more lessons are given, in order of week.
    app.clock.advance(Duration::weeks(4));
    let (_, body) = call(app, &me, Method::GET, &path).await;
    let given = ids(&body["lessons"]);
    assert!(given.contains(&"back-to-work".to_owned()) && given.contains(&"pacing".to_owned()));
    assert_eq!(body["weeks_in_care"], 4);
    assert_eq!(body["this_week"], "pain-is-not-damage");

    // The care team sees what was read, through the API and on the record page.
    let c1 = app.token_for(p.c1).await;
    let (status, seen) = call(app, &c1, Method::GET, &path).await;
    assert_eq!(status, StatusCode::OK);
    let read_ids: Vec<&str> = seen["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["first_read_at"].is_null())
        .map(|e| e["lesson"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(read_ids, ["when-to-get-help", "moving-helps", "how-much-pain-is-ok"]);
    let (staff, _) = app.login(&email_of("c1")).await;
    let record = staff
        .get(app.url(&format!("/patients/{}", p.p1)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(record.contains("id=\"lessons-title\""), "the record has a Lessons section");
    assert!(record.contains("Read 3 of the"), "{record}");
    assert!(record.contains("25 November 2026 09:00"), "when it was first read");

    // Every opening was audited as the patient's, and the chain holds.
    let events = app.store.audit_range(1, 10_000).await.unwrap();
    let opened = events
        .iter()
        .filter(|e| e.action == "open" && e.resource == "lesson" && e.outcome == "success")
        .filter(|e| e.patient_id == Some(p.p1) && e.actor_id == Some(p.p1))
        .count();
    assert_eq!(opened, 4, "two API openings and two pages");
    assert_eq!(app.store.verify_audit().await.unwrap().first_break, None);
}

async fn nobody_else_sees_or_marks_them(app: &TestApp) {
    let p = &app.people;
    on_pathway(app, p.p1, "conservative_thoracic").await;
    let path = format!("/api/v1/patients/{}/lessons", p.p1);
    let read = format!("{path}/sleep/read");
    for (who, status) in [(p.p2, 403), (p.c2, 403), (p.xc, 404), (p.xa, 404)] {
        let t = app.token_for(who).await;
        assert_eq!(call(app, &t, Method::GET, &path).await.0.as_u16(), status, "read as {who}");
    }
    // The care team and the admin see the lessons but do not mark them read.
    for who in [p.c1, p.admin, p.p2, p.xc] {
        let t = app.token_for(who).await;
        let (status, body) = call(app, &t, Method::POST, &read).await;
        assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "{body}");
    }
    assert!(app.store.lesson_reads(p.clinic_a, p.p1).await.unwrap().is_empty());
    // An unknown lesson is "not found", and nothing is stored.
    let me = app.token_for(p.p1).await;
    let (status, body) = call(app, &me, Method::POST, &format!("{path}/no-such-lesson/read")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["message"], "lesson not found");
    assert!(app.store.lesson_reads(p.clinic_a, p.p1).await.unwrap().is_empty());
    // A malformed patient id names the problem.
    let (status, _) = call(app, &me, Method::GET, "/api/v1/patients/not-a-uuid/lessons").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // The catalogue is for staff.
    assert_eq!(call(app, &me, Method::GET, "/api/v1/lessons").await.0, StatusCode::FORBIDDEN);
    // Staff never open the patient's lesson pages.
    let (c1, _) = app.login(&email_of("c1")).await;
    let res = c1.get(app.url("/lessons/sleep")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

fn lesson_file(lessons: Value) -> Value {
    json!({"format": "physio-lessons", "version": 1, "lessons": lessons})
}

async fn import(app: &TestApp, token: &str, file: &Value) -> (StatusCode, Value) {
    let res = app
        .req(&app.client(), Method::POST, "/api/v1/lessons/import")
        .bearer_auth(token)
        .json(file)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap())
}

async fn a_clinic_adds_its_own_lessons_all_or_nothing(app: &TestApp) {
    let p = &app.people;
    on_pathway(app, p.p1, "conservative_lumbar").await;
    let admin = app.token_for(p.admin).await;
    let gym = json!({
        "id": "our-gym", "title": "Our gym class", "summary": "Join our class on Tuesdays.",
        "body": ["Come to the gym on a Tuesday at ten. Bring water."],
        "key_points": ["Tuesday at ten."], "pathways": ["conservative_lumbar"], "week": 0
    });
    // One bad entry: nothing is stored, and each problem names the entry and the field.
    let bad = lesson_file(json!([
        gym.clone(),
        {"id": "pacing", "title": "", "summary": "Ours.", "body": ["Ours."], "week": 0}
    ]));
    let (status, body) = import(app, &admin, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["error"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["lessons[1] (pacing).title", "lessons[1] (pacing).id"]);
    assert!(app.store.clinic_lessons(p.clinic_a).await.unwrap().is_empty(), "all or nothing");
    let (status, body) = import(app, &admin, &json!({"lessons": []})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["problems"][0]["field"], "file");

    // A good file: added, then updated in place; hard reading is reported, not refused.
    let hard = json!({
        "id": "our-policy", "title": "Administrative considerations",
        "summary": "Organisational responsibilities regarding appointment cancellation.",
        "body": ["Cancellation notifications necessitate communication forty-eight hours beforehand, \
                  facilitating reallocation of physiotherapeutic appointments."],
        "week": 0
    });
    let (status, report) = import(app, &admin, &lesson_file(json!([gym.clone(), hard]))).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["added"], json!(["our-gym", "our-policy"]));
    assert_eq!(report["hard_to_read"][0]["id"], "our-policy");
    assert_eq!(report["hard_to_read"].as_array().unwrap().len(), 1);
    let mut renamed = gym.clone();
    renamed["title"] = json!("Our Tuesday gym class");
    let (_, report) = import(app, &admin, &lesson_file(json!([renamed]))).await;
    assert_eq!(report["updated"], json!(["our-gym"]));

    // Clinic A's staff see it in the catalogue; clinic B's do not.
    let c1 = app.token_for(p.c1).await;
    let (_, cat) = call(app, &c1, Method::GET, "/api/v1/lessons").await;
    let own: Vec<&str> = cat["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["own"] == true)
        .map(|e| e["lesson"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(own, ["our-gym", "our-policy"]);
    assert!(cat["lessons"].as_array().unwrap().len() >= 22);
    let xc = app.token_for(p.xc).await;
    let (_, other) = call(app, &xc, Method::GET, "/api/v1/lessons").await;
    assert!(other["lessons"].as_array().unwrap().iter().all(|e| e["own"] == false));

    // The clinic's lessons are given to its patients (the gym class to those on its pathway,
    // the policy to everyone), after the built-in ones of their week; clinic B's patients get
    // neither, and cannot open them.
    let me = app.token_for(p.p1).await;
    let (_, mine) =
        call(app, &me, Method::GET, &format!("/api/v1/patients/{}/lessons", p.p1)).await;
    let given = ids(&mine["lessons"]);
    assert_eq!(given[given.len() - 2..], ["our-gym".to_owned(), "our-policy".to_owned()]);
    assert_eq!(mine["lessons"][given.len() - 2]["lesson"]["title"], "Our Tuesday gym class");
    let p2 = app.token_for(p.p2).await;
    let (_, theirs) =
        call(app, &p2, Method::GET, &format!("/api/v1/patients/{}/lessons", p.p2)).await;
    assert_eq!(ids(&theirs["lessons"]), ["when-to-get-help", "our-policy"], "no pathway yet");
    let xp_list = format!("/api/v1/patients/{}/lessons", p.xp);
    let xp = app.token_for(p.xp).await;
    assert_eq!(
        ids(&call(app, &xp, Method::GET, &xp_list).await.1["lessons"]),
        ["when-to-get-help"]
    );
    let path = format!("/api/v1/patients/{}/lessons/our-gym/read", p.xp);
    assert_eq!(call(app, &xp, Method::POST, &path).await.0, StatusCode::NOT_FOUND);
    // A clinician cannot import.
    assert_eq!(import(app, &c1, &lesson_file(json!([gym]))).await.0, StatusCode::FORBIDDEN);
}
