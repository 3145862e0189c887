//! The patient's rights, on both backends: the access log names the staff who opened the
//! record and nobody else, for 90 days; the download holds the whole record and no secrets;
//! erasure takes every row of the patient's data, keeps who erased whom, when and why, and
//! leaves the audit chain whole.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::Duration;

use crate::{both_backends, helpers::TestApp};

async fn get(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    let c = app.client();
    let res = app.req(&c, Method::GET, path).bearer_auth(token).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let c = app.client();
    let res = app.req(&c, Method::POST, path).bearer_auth(token).json(&body).send().await;
    let res = res.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn access_log_names_the_staff_who_opened_the_record(app: &TestApp) {
    let ppl = &app.people;
    let (patient, c1, c2, admin) = (
        app.token_for(ppl.p1).await,
        app.token_for(ppl.c1).await,
        app.token_for(ppl.c2).await,
        app.token_for(ppl.admin).await,
    );
    let log = format!("/api/v1/patients/{}/access-log", ppl.p1);
    // The patient's own reads and a refused read are not "who opened my record".
    assert_eq!(get(app, &patient, &format!("/api/v1/patients/{}", ppl.p1)).await.0, 200);
    assert_eq!(get(app, &c2, &format!("/api/v1/patients/{}", ppl.p1)).await.0, 403);
    let (s, body) = get(app, &patient, &log).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["entries"], json!([]), "{body}");

    app.clock.advance(Duration::minutes(5));
    assert_eq!(get(app, &c1, &format!("/api/v1/patients/{}", ppl.p1)).await.0, 200);
    let (s, _) = post(
        app,
        &c1,
        &format!("/api/v1/patients/{}/messages", ppl.p1),
        json!({"body": "How is the back today?"}),
    )
    .await;
    assert_eq!(s, 201);
    let (s, body) = get(app, &patient, &log).await;
    assert_eq!(s, 200);
    let entries = body["entries"].as_array().unwrap();
    assert!(!entries.is_empty(), "{body}");
    let c1_name = app.store.user(ppl.c1).await.unwrap().name;
    let c2_name = app.store.user(ppl.c2).await.unwrap().name;
    for e in entries {
        assert_eq!(e["who"], json!(c1_name), "{e}");
        assert_eq!(e["role"], "clinician");
        assert!(e["when"].as_str().unwrap().contains("November 2026"), "{e}");
    }
    assert!(entries.iter().any(|e| e["kind"] == "viewed" && e["what"] == "your record"));
    assert!(entries.iter().any(|e| e["kind"] == "changed"), "{body}");
    assert!(!body.to_string().contains(&c2_name), "a refused read is not listed");

    // The admin may read it (handling a request); clinicians, other patients may not.
    assert_eq!(get(app, &admin, &log).await.0, 200);
    assert_eq!(get(app, &c1, &log).await.0, 403);
    assert_eq!(get(app, &app.token_for(ppl.p2).await, &log).await.0, 403);
    // The admin's read of the log is itself listed for the patient.
    let (_, body) = get(app, &patient, &log).await;
    assert!(body["entries"][0]["role"] == "admin", "{body}");

    // 90 days on, those accesses have left the list.
    app.clock.advance(Duration::days(91));
    // A new token: the first has expired by now (90 days).
    let patient = app.token_for(ppl.p1).await;
    let (_, body) = get(app, &patient, &log).await;
    assert_eq!(body["entries"], json!([]), "{body}");
}

async fn the_download_holds_the_whole_record_and_no_secrets(app: &TestApp) {
    let ppl = &app.people;
    let (patient, c1) = (app.token_for(ppl.p1).await, app.token_for(ppl.c1).await);
    let msg = format!("/api/v1/patients/{}/messages", ppl.p1);
    assert_eq!(post(app, &patient, &msg, json!({"body": "My left hip aches"})).await.0, 201);
    let contact = format!("/api/v1/patients/{}/contacts", ppl.p1);
    let body = json!({"kind": "phone_call", "duration_minutes": 10, "note": "Called about hip"});
    assert_eq!(post(app, &c1, &contact, body).await.0, 201);
    app.prescribe(ppl.p1, ppl.c1, &["bridge"]).await;

    let c = app.client();
    let path = format!("/api/v1/patients/{}/record", ppl.p1);
    let res = app.req(&c, Method::GET, &path).bearer_auth(&patient).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let text = res.text().await.unwrap();
    let record: Value = serde_json::from_str(&text).unwrap();
    let me = app.store.user(ppl.p1).await.unwrap();
    assert_eq!(record["account"]["email"], json!(me.email));
    assert_eq!(record["account"]["name"], json!(me.name));
    assert_eq!(record["messages"][0]["body"], "My left hip aches", "{record}");
    assert_eq!(record["messages"][0]["patient_id"], json!(ppl.p1.to_string()));
    assert_eq!(record["contacts"][0]["note"], "Called about hip");
    assert_eq!(record["care_team"][0]["clinician_id"], json!(ppl.c1.to_string()));
    assert_eq!(record["programme_versions"].as_array().unwrap().len(), 1, "{record}");
    assert!(record["access_log"].as_array().unwrap().iter().any(|e| e["role"] == "clinician"));
    for secret in ["password", "argon2", "token_hash", "$argon2"] {
        assert!(!text.contains(secret), "the download holds {secret:?}");
    }
    // Nobody else's data: the other patient's download does not hold this one's message.
    let p2 = app.token_for(ppl.p2).await;
    let other = app.req(&c, Method::GET, &format!("/api/v1/patients/{}/record", ppl.p2));
    let other = other.bearer_auth(&p2).send().await.unwrap().text().await.unwrap();
    assert!(!other.contains("left hip"));
    assert_eq!(get(app, &p2, &path).await.0, 403);
    assert_eq!(get(app, &c1, &path).await.0, 403);
    // The download is audited as an export of the patient's record.
    let events = app.store.audit_events(ppl.clinic_a, Some(ppl.p1), 10).await.unwrap();
    assert!(events.iter().any(|e| e.action == "export" && e.outcome == "success"));
}

async fn erasure_leaves_nothing_of_the_patient_but_the_record_of_it(app: &TestApp) {
    let ppl = &app.people;
    let (patient, c1, admin) =
        (app.token_for(ppl.p1).await, app.token_for(ppl.c1).await, app.token_for(ppl.admin).await);
    let msg = format!("/api/v1/patients/{}/messages", ppl.p1);
    assert_eq!(post(app, &patient, &msg, json!({"body": "Please delete me"})).await.0, 201);
    assert_eq!(post(app, &c1, &msg, json!({"body": "We will"})).await.0, 201);
    let contact = format!("/api/v1/patients/{}/contacts", ppl.p1);
    let body = json!({"kind": "phone_call", "duration_minutes": 5, "note": "Asked to erase"});
    assert_eq!(post(app, &c1, &contact, body).await.0, 201);
    app.prescribe(ppl.p1, ppl.c1, &["bridge"]).await;
    let before = app.store.rows_referring_to(ppl.p1).await.unwrap();
    let held: Vec<_> = before.iter().filter(|r| r.2 > 0).map(|r| r.0.as_str()).collect();
    for table in ["users", "care_team", "api_tokens", "messages", "contacts", "programme_versions"]
    {
        assert!(held.contains(&table), "seeded {table}: {held:?}");
    }

    let erase = format!("/api/v1/patients/{}/erasure", ppl.p1);
    let name = app.store.user(ppl.p1).await.unwrap().name;
    // Bad input names the field and changes nothing.
    let (s, e) = post(app, &admin, &erase, json!({"reason": "  ", "confirm_name": name})).await;
    assert_eq!((s.as_u16(), &e["error"]["field"]), (422, &json!("reason")), "{e}");
    let (s, e) =
        post(app, &admin, &erase, json!({"reason": "Asked", "confirm_name": "Nobody"})).await;
    assert_eq!((s.as_u16(), &e["error"]["field"]), (422, &json!("confirm_name")), "{e}");
    // Only an admin of the patient's clinic.
    let ok =
        json!({"reason": "Written request of 24 November", "confirm_name": name.to_uppercase()});
    assert_eq!(post(app, &c1, &erase, ok.clone()).await.0, 403);
    assert_eq!(post(app, &patient, &erase, ok.clone()).await.0, 403);
    let xa = app.token_for(ppl.xa).await;
    assert_eq!(post(app, &xa, &erase, ok.clone()).await.0, 404);
    assert_eq!(app.store.user(ppl.p1).await.unwrap().name, name, "nothing erased yet");

    let (s, done) = post(app, &admin, &erase, ok.clone()).await;
    assert_eq!(s, 200, "{done}");
    assert_eq!(done["patient_id"], json!(ppl.p1.to_string()));
    assert_eq!(done["erased_by"], json!(ppl.admin.to_string()));
    assert_eq!(done["reason"], "Written request of 24 November");

    // Every column of every table that refers to a user holds nothing of the patient.
    let after = app.store.rows_referring_to(ppl.p1).await.unwrap();
    let left: Vec<_> = after.iter().filter(|r| r.2 > 0).collect();
    assert!(left.is_empty(), "rows left: {left:?}");
    assert!(after.len() >= 20, "{after:?}");
    // The other patient and the clinicians are untouched.
    assert!(app.store.user(ppl.p2).await.is_ok());
    assert_eq!(get(app, &c1, &format!("/api/v1/patients/{}", ppl.p2)).await.0, 403);
    // The erasure is kept and listed; the audit chain verifies and names the erasure, with
    // the patient's id and no data.
    let (s, list) = get(app, &admin, "/api/v1/erasures").await;
    assert_eq!(s, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["reason"], "Written request of 24 November");
    let v = app.store.verify_audit().await.unwrap();
    assert_eq!(v.first_break, None);
    let events = app.store.audit_events(ppl.clinic_a, Some(ppl.p1), 1).await.unwrap();
    assert_eq!((events[0].action.as_str(), events[0].outcome.as_str()), ("erase", "success"));
    assert_eq!(events[0].actor_id, Some(ppl.admin));
    // The patient's sign-in token is gone with them; the record is not found any more.
    assert_eq!(get(app, &patient, "/api/v1/me").await.0, 401);
    assert_eq!(get(app, &admin, &format!("/api/v1/patients/{}", ppl.p1)).await.0, 404);
    assert_eq!(post(app, &admin, &erase, ok).await.0, 404);
}

both_backends!(
    access_log_names_the_staff_who_opened_the_record,
    the_download_holds_the_whole_record_and_no_secrets,
    erasure_leaves_nothing_of_the_patient_but_the_record_of_it,
);
