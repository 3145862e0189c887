//! The caseload through the API and its page: a clinician sees their care teams' patients and
//! nobody else's, each with their facts; who needs help comes first; every column sorts both
//! ways; the filters combine; a value that means nothing is a 422 naming its field; the
//! patient's page opens with the same facts.

use physio_store::{NewUser, Role};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::Duration;
use uuid::Uuid;

use crate::{
    both_backends,
    helpers::{START, TestApp, email_of},
};

both_backends!(caseload_facts_order_and_filters, caseload_refuses_what_means_nothing);

async fn call(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    let res = app.req(&app.client(), Method::GET, path).bearer_auth(token).send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn send(app: &TestApp, token: &str, method: Method, path: &str, body: Value) -> Value {
    let res = app.req(&app.client(), method.clone(), path).bearer_auth(token).json(&body);
    let res = res.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(status.is_success(), "{method} {path}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// A patient made in the store, on `team`; they never sign in.
async fn patient(app: &TestApp, name: &str, team: &[Uuid]) -> Uuid {
    let p = &app.people;
    let mut tx = app.store.begin().await.unwrap();
    let u = NewUser {
        clinic_id: p.clinic_a,
        email: email_of(&name.to_lowercase().replace(' ', ".")),
        name: name.to_owned(),
        role: Role::Patient,
        password_hash: "never used".into(),
        licence: None,
        date_of_birth: Some(time::macros::date!(1958 - 06 - 01)),
        summary: None,
    };
    let id = tx.create_user(&u, START).await.unwrap().id;
    tx.set_care_team(p.clinic_a, id, team, START).await.unwrap();
    tx.commit().await.unwrap();
    id
}

fn ids(body: &Value) -> Vec<String> {
    body["patients"]
        .as_array()
        .unwrap_or_else(|| panic!("no patients: {body}"))
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

fn row(body: &Value, id: Uuid) -> &Value {
    body["patients"].as_array().unwrap().iter().find(|r| r["id"] == id.to_string()).unwrap()
}

fn intake() -> Value {
    let mut doc: Value = serde_json::from_str(include_str!(
        "../../../../docs/examples/exercise-conservative-lumbar.json"
    ))
    .unwrap();
    doc.as_object_mut().unwrap().remove("age");
    doc
}

async fn caseload_facts_order_and_filters(app: &TestApp) {
    let p = &app.people;
    let c1 = app.token_for(p.c1).await;
    let me = app.token_for(p.p1).await;
    // Alice has an alert open; Bob shares his care team with C2; P2 is C2's alone.
    let alice = patient(app, "Alice Able", &[p.c1]).await;
    let bob = patient(app, "Bob Baker", &[p.c1, p.c2]).await;
    let mut tx = app.store.begin().await.unwrap();
    let alert = [physio_clinic::alert::NewAlert::new(
        physio_clinic::alert::AlertKind::Phq9Item9,
        "Answered item 9 above zero",
    )];
    tx.add_alerts(p.clinic_a, alice, &alert, &jiff::tz::TimeZone::UTC, START).await.unwrap();
    tx.commit().await.unwrap();

    // P1 sends the intake (exercise care, conservative lumbar), a pain score of 6, gets a
    // programme of one exercise every day, and does today's session after a pain check of 3.
    send(app, &me, Method::POST, "/api/v1/intake", intake()).await;
    send(app, &me, Method::POST, "/api/v1/questionnaires/nprs", json!({"answers": [6]})).await;
    let every_day =
        json!(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);
    let items = json!([{"exercise": "bridge", "start": "2026-11-25",
        "dose": {"sets": 2, "reps": 10, "rest_s": 45, "side": "both", "days": every_day, "times_per_day": 1}}]);
    let put = format!("/api/v1/patients/{}/programme", p.p1);
    let body = json!({"based_on": 0, "items": items, "reason": "First programme"});
    send(app, &c1, Method::PUT, &put, body).await;
    app.clock.advance(Duration::hours(1));
    let s = send(app, &me, Method::POST, "/api/v1/day-sessions", json!({"pain_before": 3})).await;
    let id = s["session"]["id"].as_str().unwrap().to_owned();
    let log = json!({"exercise": "bridge", "log": {"sets_done": 2, "reps_done": 10, "pain_during": 2, "effort": 4}});
    send(app, &me, Method::POST, &format!("/api/v1/day-sessions/{id}/exercises"), log).await;
    let closing = json!({"pain_after": 2, "fatigue": 3});
    send(app, &me, Method::POST, &format!("/api/v1/day-sessions/{id}/finish"), closing).await;

    // C1's caseload: their three patients, not P2; Alice's alert first, then by name.
    let (status, body) = call(app, &c1, "/api/v1/caseload").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let order = [alice, bob, p.p1].map(|u| u.to_string());
    assert_eq!(ids(&body), order, "{body}");
    assert_eq!(
        (body["total"].as_u64(), &body["sort"], &body["dir"]),
        (Some(3), &json!("attention"), &json!("asc"))
    );
    assert_eq!(body["today"], "2026-11-25");
    let a = &row(&body, alice)["facts"];
    assert_eq!(
        (a["open_alerts"].as_u64(), &a["worst_alert"], &a["urgency"]),
        (Some(1), &json!("phq9_item9"), &json!("urgent"))
    );
    assert_eq!(a["attention"], json!([{"reason": "alert", "count": 1, "kind": "phq9_item9"}]));
    let f = &row(&body, p.p1)["facts"];
    assert_eq!(f["week"], json!({"monday": "2026-11-23", "done": 1, "planned": 1}), "{f}");
    assert_eq!(f["last_pain"], json!({"day": "2026-11-25", "pain": 3, "source": "session_check"}));
    assert_eq!(f["trend"], Value::Null, "nothing the week before");
    assert_eq!(
        (f["last_session"].as_str(), f["days_since_session"].as_u64()),
        (Some("2026-11-25"), Some(0))
    );
    assert_eq!(
        (&f["pathway"], &f["phase"]),
        (&json!("conservative_lumbar"), &json!("active_care"))
    );
    assert_eq!((&f["attention"], &f["urgency"]), (&json!([]), &json!("none")));
    let team: Vec<&str> = row(&body, bob)["care_team"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(team, ["c1 Person", "c2 Person"]);
    assert_eq!(body["clinicians"].as_array().unwrap().len(), 2, "both clinicians, for the filter");
    // C2 sees Bob and P2; another clinic's clinician sees nobody of clinic A.
    let (_, theirs) = call(app, &app.token_for(p.c2).await, "/api/v1/caseload").await;
    let mut want = vec![bob.to_string(), p.p2.to_string()];
    want.sort();
    let mut got = ids(&theirs);
    got.sort();
    assert_eq!(got, want);
    let (status, other) = call(app, &app.token_for(p.xc).await, "/api/v1/caseload").await;
    assert_eq!((status, ids(&other).contains(&p.p1.to_string())), (StatusCode::OK, false));

    // Four days on, no session since and pain 9: P1 needs attention twice over.
    app.clock.advance(Duration::days(4));
    send(app, &me, Method::POST, "/api/v1/questionnaires/nprs", json!({"answers": [9]})).await;
    let (_, body) = call(app, &c1, "/api/v1/caseload").await;
    let f = &row(&body, p.p1)["facts"];
    assert_eq!(f["week"], json!({"monday": "2026-11-23", "done": 1, "planned": 5}), "{f}");
    // The week before the 29th: 6 and 3, median 4.5; 9 is up 4.5.
    assert_eq!(f["trend"], json!({"change": 4.5, "direction": "up"}));
    assert_eq!(
        f["attention"],
        json!([{"reason": "pain_up"}, {"reason": "no_sessions", "days": 4}]),
        "{f}"
    );
    assert_eq!(ids(&body), [alice, p.p1, bob].map(|u| u.to_string()));

    // Every column sorts both ways and keeps everyone.
    for key in [
        "attention",
        "name",
        "alerts",
        "adherence",
        "pain",
        "trend",
        "last_session",
        "pathway",
        "phase",
        "care_team",
    ] {
        for dir in ["asc", "desc"] {
            let (status, body) =
                call(app, &c1, &format!("/api/v1/caseload?sort={key}&dir={dir}")).await;
            assert_eq!(status, StatusCode::OK, "{key} {dir}: {body}");
            assert_eq!((&body["sort"], &body["dir"]), (&json!(key), &json!(dir)));
            assert_eq!(ids(&body).len(), 3, "{key} {dir}");
        }
    }
    let sorted = async |q: &str| ids(&call(app, &c1, &format!("/api/v1/caseload?{q}")).await.1);
    let s = |v: [Uuid; 3]| v.map(|u| u.to_string()).to_vec();
    assert_eq!(sorted("sort=name").await, s([alice, bob, p.p1]));
    assert_eq!(sorted("sort=name&dir=desc").await, s([p.p1, bob, alice]));
    // Missing values last either way; ties by who needs help first.
    assert_eq!(sorted("sort=pain&dir=desc").await, s([p.p1, alice, bob]));
    assert_eq!(sorted("sort=pain&dir=asc").await, s([p.p1, alice, bob]));
    assert_eq!(sorted("sort=alerts&dir=desc").await, s([alice, p.p1, bob]));
    assert_eq!(sorted("sort=adherence").await, s([p.p1, alice, bob]));
    assert_eq!(sorted("sort=care_team&dir=desc").await, s([alice, p.p1, bob]));

    // Filters, alone and together.
    assert_eq!(sorted("attention=true").await, s([alice, p.p1, bob])[..2].to_vec());
    assert_eq!(sorted("pathway=conservative_lumbar").await, vec![p.p1.to_string()]);
    assert_eq!(sorted("phase=active_care&attention=true").await, vec![p.p1.to_string()]);
    assert_eq!(sorted(&format!("clinician={}", p.c2)).await, vec![bob.to_string()]);
    assert_eq!(sorted(&format!("clinician={}&attention=true", p.c2)).await, Vec::<String>::new());
    assert_eq!(sorted("q=alice").await, vec![alice.to_string()]);
    let (_, body) = call(app, &c1, "/api/v1/caseload?attention=true").await;
    assert_eq!(body["total"], 3, "the count before the filters");

    // The page: the same order, the sorted column marked, the filters kept in the links.
    let (page, _) = app.login(&email_of("c1")).await;
    let html = page
        .get(app.url("/caseload?sort=pain&dir=desc&attention=true"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = |id: Uuid| html.find(&format!("data-patient-id=\"{id}\"")).unwrap_or(usize::MAX);
    assert!(at(p.p1) < at(alice) && at(bob) == usize::MAX, "{html}");
    assert!(html.contains(r#"th scope="col" aria-sort="descending""#), "{html}");
    assert!(html.contains("/caseload?attention=true&amp;sort=pain&amp;dir=asc"), "{html}");
    assert!(html.contains("<strong>2</strong> of 3 patients shown"), "{html}");
    assert!(html.contains("No session for 4 days") && html.contains("up 4.5"), "{html}");
    // The patient's page opens with the same facts, for the care team's clinician only.
    let html = page
        .get(app.url(&format!("/patients/{}", p.p1)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("At a glance") && html.contains("1 of 5 done"), "{html}");
    assert!(html.contains("Conservative lumbar, active care phase"), "{html}");
    let (admin, _) = app.login(&email_of("admin")).await;
    let html = admin
        .get(app.url(&format!("/patients/{}", p.p1)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&p.p1.to_string()) && !html.contains("At a glance"), "{html}");

    // Each read is audited: one record per list, one per summary.
    let events = app.store.audit_events(p.clinic_a, None, 500).await.unwrap();
    let n = |resource: &str| {
        events.iter().filter(|e| e.resource == resource && e.outcome == "success").count()
    };
    assert!(n("caseload") >= 20, "{}", n("caseload"));
    assert_eq!(n("caseload_summary"), 1);
}

async fn caseload_refuses_what_means_nothing(app: &TestApp) {
    let p = &app.people;
    let c1 = app.token_for(p.c1).await;
    for (query, field, hint) in [
        (
            "sort=age",
            "sort",
            "attention, name, alerts, adherence, pain, trend, last_session, proposals, contacts, pathway, phase, care_team",
        ),
        ("dir=up", "dir", "asc or desc"),
        ("pathway=lumbar", "pathway", "conservative_lumbar"),
        ("phase=late", "phase", "active_care"),
        ("clinician=someone", "clinician", "clinician"),
    ] {
        let (status, body) = call(app, &c1, &format!("/api/v1/caseload?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(body["error"]["field"], field, "{body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(hint), "{query}: {message}");
    }
    // The page says the same on an error page.
    let (page, _) = app.login(&email_of("c1")).await;
    let res = page.get(app.url("/caseload?sort=age")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("sort by one of"));
    // Patients and admins are refused; a refusal is audited.
    for who in [p.p1, p.admin] {
        let (status, _) = call(app, &app.token_for(who).await, "/api/v1/caseload").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let events = app.store.audit_events(p.clinic_a, None, 100).await.unwrap();
    assert_eq!(
        events.iter().filter(|e| e.resource == "caseload" && e.outcome == "denied").count(),
        2
    );
    assert_eq!(
        events.iter().filter(|e| e.resource == "caseload" && e.outcome == "invalid").count(),
        6
    );
}
