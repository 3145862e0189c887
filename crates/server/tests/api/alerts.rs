//! The alert inbox through the API and the pages: a clinician's inbox holds their care teams'
//! alerts only, most urgent first, with the overdue ones marked; closing needs a note (422
//! naming `note` without one), only by the care team, once; the patient's history keeps who
//! closed each, when and the note; closing a safety alert lifts the pause; and the oversight
//! sweep raises `no_session` after 3 days, `likely_dropout` after 14 and `reassessment_due` a
//! week after a follow-up falls due, on a `ManualClock`, never twice, and closes them itself
//! when the condition no longer holds.

use physio_clinic::alert::{AlertKind, NewAlert};
use physio_server::{AppState, Config, care::oversight};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::{
    both_backends,
    helpers::{START, TestApp, email_of},
};

both_backends!(
    the_inbox_is_the_care_teams_most_urgent_first_and_closing_needs_a_note,
    the_inbox_page_marks_overdue_and_a_failed_close_comes_back,
    closing_a_safety_alert_lifts_the_pause,
    the_sweep_raises_and_closes_condition_alerts,
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

/// Raises one alert straight in the store, at `at`, in the test server's zone (UTC).
async fn raise(app: &TestApp, patient: Uuid, kind: AlertKind, at: OffsetDateTime) -> Uuid {
    let clinic = app.people.clinic_a;
    let alert = NewAlert::new(kind, format!("Test: {}", kind.title()));
    let mut tx = app.store.begin().await.unwrap();
    let ids = tx.add_alerts(clinic, patient, &[alert], &jiff::tz::TimeZone::UTC, at).await.unwrap();
    tx.commit().await.unwrap();
    ids[0]
}

fn ids(list: &Value) -> Vec<String> {
    list["alerts"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().into()).collect()
}

async fn the_inbox_is_the_care_teams_most_urgent_first_and_closing_needs_a_note(app: &TestApp) {
    let p = &app.people;
    // Wednesday 25 November 2026, 09:00 UTC. A routine alert from Sunday is overdue (its
    // deadline was the end of Monday); an emergency an hour ago is overdue (at once); an
    // urgent one raised now is due by the end of today.
    let routine = raise(app, p.p1, AlertKind::ReassessmentDue, START - Duration::days(3)).await;
    let emergency = raise(app, p.p1, AlertKind::IntakeEmergency, START - Duration::hours(1)).await;
    let urgent = raise(app, p.p1, AlertKind::HighPain, START).await;
    let theirs = raise(app, p.p2, AlertKind::Phq9Item9, START).await;
    let c1 = app.token_for(p.c1).await;
    let (status, inbox) = call(app, &c1, Method::GET, "/api/v1/alerts", None).await;
    assert_eq!(status, StatusCode::OK, "{inbox}");
    let want: Vec<String> = [emergency, urgent, routine].iter().map(Uuid::to_string).collect();
    assert_eq!(ids(&inbox), want, "most urgent first: {inbox}");
    let a = &inbox["alerts"];
    assert_eq!(
        [&a[0]["overdue"], &a[1]["overdue"], &a[2]["overdue"]],
        [&json!(true), &json!(false), &json!(true)]
    );
    assert_eq!(a[0]["urgency"], "emergency");
    assert_eq!(a[1]["due_at"], "2026-11-26T00:00:00Z");
    assert_eq!(a[2]["due_at"], "2026-11-24T00:00:00Z");
    assert_eq!(a[0]["patient_name"], "p1 Person");
    assert_eq!(a[1]["title"], "Pain of 8 or more");
    assert_eq!(a[1]["contact_patient"], true);
    // The other clinician sees only their own patient's alert; patients and admins have none.
    let c2 = app.token_for(p.c2).await;
    let (_, other) = call(app, &c2, Method::GET, "/api/v1/alerts", None).await;
    assert_eq!(ids(&other), [theirs.to_string()]);
    for who in [p.p1, p.admin] {
        let t = app.token_for(who).await;
        let (status, _) = call(app, &t, Method::GET, "/api/v1/alerts", None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, body) = call(app, &c1, Method::GET, "/api/v1/alerts?state=later", None).await;
    assert!(status.is_client_error(), "{body}");

    // Closing: a note is required, and only a clinician on the care team may.
    let close = format!("/api/v1/alerts/{urgent}/close");
    for note in ["", "   ", &"x".repeat(501)] {
        let (status, body) =
            call(app, &c1, Method::POST, &close, Some(json!({ "note": note }))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["field"], "note", "{body}");
    }
    let (status, body) = call(app, &c1, Method::POST, &close, Some(json!({}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "note", "{body}");
    let (status, _) = call(app, &c2, Method::POST, &close, Some(json!({"note": "Not mine"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not on the care team");
    let xc = app.token_for(p.xc).await;
    let (status, _) = call(app, &xc, Method::POST, &close, Some(json!({"note": "x"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another clinic's alert does not exist for them");
    assert!(app.store.alert(p.clinic_a, urgent).await.unwrap().is_open(), "nothing written");
    let note = "Phoned: pain settling with rest; reviewed the programme";
    let (status, closed) =
        call(app, &c1, Method::POST, &close, Some(json!({ "note": note }))).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["close_note"], note);
    assert_eq!(closed["closed_by"], p.c1.to_string());
    assert_eq!(closed["overdue"], false);
    let (status, _) = call(app, &c1, Method::POST, &close, Some(json!({"note": "Again"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "closed once");

    let (_, open) = call(app, &c1, Method::GET, "/api/v1/alerts", None).await;
    assert!(!ids(&open).contains(&urgent.to_string()));
    let (_, done) = call(app, &c1, Method::GET, "/api/v1/alerts?state=closed", None).await;
    assert_eq!(ids(&done), [urgent.to_string()]);
    // The patient's history keeps it, with who closed it, when and the note.
    let history = format!("/api/v1/patients/{}/alerts", p.p1);
    let (status, h) = call(app, &c1, Method::GET, &history, None).await;
    assert_eq!(status, StatusCode::OK, "{h}");
    assert_eq!(h["alerts"].as_array().unwrap().len(), 3);
    let kept = h["alerts"].as_array().unwrap().iter().find(|a| a["id"] == urgent.to_string());
    let kept = kept.unwrap();
    assert_eq!((&kept["close_note"], &kept["closed_by_name"]), (&json!(note), &json!("c1 Person")));
    assert_eq!(kept["closed_at"], "2026-11-25T09:00:00Z");
    let (_, only_open) = call(app, &c1, Method::GET, &format!("{history}?state=open"), None).await;
    assert_eq!(only_open["alerts"].as_array().unwrap().len(), 2);
    let (status, _) = call(app, &c2, Method::GET, &history, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(app, &app.token_for(p.p1).await, Method::GET, &history, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "alerts are for the care team");
    // Each close and each refusal is in the audit chain.
    let events = app.store.audit_events(p.clinic_a, Some(p.p1), 200).await.unwrap();
    let closes = |outcome: &str| {
        events
            .iter()
            .filter(|e| e.action == "close" && e.resource == "alert")
            .filter(|e| e.outcome.as_str() == outcome)
            .count()
    };
    // Four refused notes, one clinician not on the care team.
    assert_eq!((closes("success"), closes("invalid"), closes("denied")), (1, 4, 1));
    assert_eq!(app.store.verify_audit().await.unwrap().first_break, None);
}

async fn the_inbox_page_marks_overdue_and_a_failed_close_comes_back(app: &TestApp) {
    let p = &app.people;
    let late = raise(app, p.p1, AlertKind::NoSession, START - Duration::days(3)).await;
    raise(app, p.p1, AlertKind::PainRise, START).await;
    let (c, csrf) = app.login(&email_of("c1")).await;
    let page = c.get(app.url("/inbox")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<h1>Inbox</h1>"), "{page}");
    assert!(page.contains("Overdue"), "{page}");
    assert!(page.contains("By the end of today"), "{page}");
    assert!(page.contains(&format!("href=\"/patients/{}\"", p.p1)), "{page}");
    assert!(page.contains("mailto:p1@test.physio"), "the contact slot: {page}");
    assert!(page.contains("href=\"/inbox\""), "in the navigation: {page}");
    let close = format!("/alerts/{late}/close");
    let send = async |note: &str| {
        c.post(app.url(&close))
            .form(&[("csrf_token", csrf.as_str()), ("from", "inbox"), ("note", note)])
            .send()
            .await
            .unwrap()
    };
    let res = send("  ").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("<title>Error: Inbox"), "{html}");
    assert!(html.contains("There is a problem") && html.contains("href=\"#note\""), "{html}");
    assert!(html.contains("id=\"note-error\""), "{html}");
    let long = "Phoned. ".repeat(70);
    let res = send(&long).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains(long.trim_end()), "what was typed comes back: {html}");
    assert!(html.contains("500 characters or fewer"), "{html}");
    let res = send("Left a voicemail; will try again tomorrow").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/inbox");
    // The patient's page keeps the history; its own close form goes back there.
    let record = c.get(app.url(&format!("/patients/{}", p.p1))).send().await.unwrap();
    let record = record.text().await.unwrap();
    assert!(record.contains("Closed alerts (1)"), "{record}");
    assert!(record.contains("Left a voicemail; will try again tomorrow"), "{record}");
    assert!(record.contains("Pain flare: 3 or more above usual"), "{record}");
    // The other clinician's inbox is empty; a patient has none.
    let (c2, _) = app.login(&email_of("c2")).await;
    let page = c2.get(app.url("/inbox")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("No open alerts"), "{page}");
    let (patient, _) = app.login(&email_of("p1")).await;
    let res = patient.get(app.url("/inbox")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

async fn closing_a_safety_alert_lifts_the_pause(app: &TestApp) {
    let p = &app.people;
    app.prescribe(p.p1, p.c1, &["bridge"]).await;
    let me = app.token_for(p.p1).await;
    let today = format!("/api/v1/patients/{}/today", p.p1);
    let (_, day) = call(app, &me, Method::GET, &today, None).await;
    assert!(day["programme"]["pause"].is_null(), "{day}");
    let id = raise(app, p.p1, AlertKind::PainRise, START).await;
    let (_, day) = call(app, &me, Method::GET, &today, None).await;
    assert!(day["programme"]["pause"].is_object(), "an open pain flare pauses: {day}");
    // A condition alert does not pause exercise.
    raise(app, p.p1, AlertKind::NoSession, START).await;
    let c1 = app.token_for(p.c1).await;
    let close = format!("/api/v1/alerts/{id}/close");
    let (status, body) =
        call(app, &c1, Method::POST, &close, Some(json!({"note": "Phoned; flare settled"}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, day) = call(app, &me, Method::GET, &today, None).await;
    assert!(day["programme"]["pause"].is_null(), "closing lifts the pause: {day}");
}

/// An episode of care in progress for `patient` (intake sent, exercise care, no review).
async fn active_episode(app: &TestApp, patient: Uuid) {
    let clinic = app.people.clinic_a;
    let mut tx = app.store.begin().await.unwrap();
    let ep = tx.open_episode(clinic, patient, START).await.unwrap();
    let intake: Value = serde_json::from_str(include_str!(
        "../../../../docs/examples/exercise-conservative-lumbar.json"
    ))
    .unwrap();
    let triage = physio_store::NewTriage {
        clinic_id: clinic,
        episode_id: ep.id,
        trigger: "intake".into(),
        tier: physio_clinic::triage::Tier::Exercise,
        decision: serde_json::from_value(json!({
            "tier": "exercise",
            "action": "Start exercise care.",
            "clinician_action": "Prescribe a programme.",
        }))
        .unwrap(),
        proposed_pathway: None,
        needs_review: false,
    };
    tx.submit_intake(&intake, &triage, START).await.unwrap();
    tx.commit().await.unwrap();
    let ep = app.store.open_episode_of(clinic, patient).await.unwrap().unwrap();
    assert_eq!(ep.status, physio_store::EpisodeStatus::Active);
}

/// A guided session on `day` in which the bridge was done.
async fn session_on(app: &TestApp, patient: Uuid, day: time::Date) {
    let clinic = app.people.clinic_a;
    let due: Vec<physio_clinic::programme::Item> =
        app.store.programme(clinic, patient).await.unwrap().unwrap().items;
    let now = app.clock_now();
    let mut tx = app.store.begin().await.unwrap();
    let s = tx
        .start_day_session(
            clinic,
            patient,
            physio_store::NewDaySession {
                day,
                number: 1,
                programme_version: 1,
                due: &due,
                pain_before: 2,
                usual_pain: None,
                stopped: None,
                now,
            },
        )
        .await
        .unwrap();
    let log = physio_clinic::day::ExerciseLog {
        sets_done: Some(2),
        reps_done: Some(10),
        pain_during: Some(1),
        effort: Some(4),
        ..Default::default()
    };
    tx.log_day_exercise(clinic, s.id, "bridge", &log, None, now).await.unwrap();
    tx.commit().await.unwrap();
}

impl TestApp {
    fn clock_now(&self) -> OffsetDateTime {
        use physio_server::Clock;
        self.clock.now()
    }
}

async fn the_sweep_raises_and_closes_condition_alerts(app: &TestApp) {
    let p = &app.people;
    active_episode(app, p.p1).await;
    app.prescribe(p.p1, p.c1, &["bridge"]).await;
    let config = Config::new("127.0.0.1:0".parse().unwrap(), app.database_url());
    let state = AppState::new(app.store.clone(), app.clock.clone(), config);
    let sweep = async || oversight::sweep(&state, app.clock_now()).await.unwrap();
    let open = async |kind: AlertKind| {
        let all = app.store.alerts(p.clinic_a, Some(p.p1), false).await.unwrap();
        all.into_iter().filter(|a| a.kind == kind).collect::<Vec<_>>()
    };
    let closed = async |kind: AlertKind| {
        let all = app.store.alerts(p.clinic_a, Some(p.p1), true).await.unwrap();
        all.into_iter().filter(|a| a.kind == kind && !a.is_open()).collect::<Vec<_>>()
    };
    let swept = sweep().await;
    assert_eq!((swept.raised, swept.closed), (0, 0), "nothing yet on the first day");

    // Two days on: not yet. Three (Saturday 28 November): no session since the programme began.
    app.clock.advance(Duration::days(2));
    assert_eq!(sweep().await.raised, 0);
    app.clock.advance(Duration::days(1));
    assert_eq!(sweep().await.raised, 1);
    let raised = open(AlertKind::NoSession).await;
    assert_eq!(raised.len(), 1);
    assert!(raised[0].message.contains("No guided exercise session for 3 days"), "{raised:?}");
    assert_eq!(raised[0].due_at.date(), time::macros::date!(2026 - 12 - 01), "end of Monday");
    // No duplicate however often it runs.
    assert_eq!(sweep().await, oversight::Swept::default());
    assert_eq!(open(AlertKind::NoSession).await.len(), 1);
    // Only the patient's own care team sees it; p2 has no episode, so nothing about them.
    assert!(app.store.alerts(p.clinic_a, Some(p.p2), true).await.unwrap().is_empty());

    // A session done that day closes it, with Physio's note.
    let saturday = app.clock_now().date();
    session_on(app, p.p1, saturday).await;
    assert_eq!(sweep().await.closed, 1);
    assert!(open(AlertKind::NoSession).await.is_empty());
    let note = closed(AlertKind::NoSession).await[0].close_note.clone().unwrap();
    assert_eq!(note, "Closed by Physio: a session was done on Saturday 28 November.");

    // Three days after it: again; fourteen: likely dropout, which takes over from no session.
    app.clock.advance(Duration::days(3));
    assert_eq!(sweep().await.raised, 1);
    app.clock.advance(Duration::days(11));
    let swept = sweep().await;
    assert_eq!((swept.raised, swept.closed), (1, 1), "{swept:?}");
    assert_eq!(open(AlertKind::LikelyDropout).await.len(), 1);
    assert!(open(AlertKind::NoSession).await.is_empty());
    let notes: Vec<String> =
        closed(AlertKind::NoSession).await.into_iter().filter_map(|a| a.close_note).collect();
    assert!(notes.iter().any(|n| n.contains("likely dropout alert takes over")), "{notes:?}");

    // Week 4's questionnaires (due 23 December) have waited a week on 30 December.
    app.clock.advance(Duration::days(17));
    assert_eq!(app.clock_now().date(), time::macros::date!(2026 - 12 - 29));
    sweep().await;
    assert!(open(AlertKind::ReassessmentDue).await.is_empty());
    app.clock.advance(Duration::days(1));
    sweep().await;
    let due = open(AlertKind::ReassessmentDue).await;
    assert_eq!(due.len(), 1);
    assert!(due[0].message.contains("week 4 follow-up"), "{}", due[0].message);

    // Each sweep action is audited as the system's, and the chain holds.
    let events = app.store.audit_events(p.clinic_a, Some(p.p1), 500).await.unwrap();
    let system: Vec<_> =
        events.iter().filter(|e| e.resource == "alert" && e.actor_id.is_none()).collect();
    let count = |action: &str| system.iter().filter(|e| e.action == action).count();
    assert_eq!((count("raise"), count("close")), (4, 2));
    assert_eq!(app.store.verify_audit().await.unwrap().first_break, None);

    // Discharged: Physio closes what it raised.
    let ep = app.store.open_episode_of(p.clinic_a, p.p1).await.unwrap().unwrap();
    let mut tx = app.store.begin().await.unwrap();
    tx.discharge(p.clinic_a, ep.id, "goals met", app.clock_now()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(sweep().await.closed, 2);
    assert!(app.store.alerts(p.clinic_a, Some(p.p1), false).await.unwrap().is_empty());
}
