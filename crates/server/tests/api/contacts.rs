//! The contact log and the phone number over HTTP, on both backends: a care-team clinician logs
//! contacts and the care team and admins read them with this week's count; bad contacts are
//! refused by field and write nothing; who may log, read and set the phone number; and the
//! patient's page, where a clinician logs a call, a failed form keeps what was typed, and the
//! phone number becomes a `tel:` link the patient also sees on their home page.

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use time::{Duration, format_description::well_known::Rfc3339};

use crate::{
    both_backends,
    helpers::{START, TestApp, email_of},
};

both_backends!(
    a_clinician_logs_contacts_and_the_care_team_reads_them,
    bad_contacts_are_refused_by_field_and_write_nothing,
    only_the_care_team_logs_and_staff_set_the_phone,
    the_patients_page_logs_a_call_and_keeps_a_failed_form,
    the_openapi_document_describes_the_contact_routes,
);

/// Sends `body` as `token`; returns the status and the JSON answer.
async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let c = app.client();
    let mut req = app.req(&c, method, path).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn at(t: time::OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap()
}

async fn a_clinician_logs_contacts_and_the_care_team_reads_them(app: &TestApp) {
    let p = &app.people;
    let path = format!("/api/v1/patients/{}/contacts", p.p1);
    let c1 = app.token_for(p.c1).await;
    // START is Wednesday 25 November 2026, 09:00 UTC; the clinic's zone is UTC, so the week
    // began on Monday the 23rd at midnight.
    let (status, list) = send(app, Method::GET, &path, &c1, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["contacts"], json!([]));
    assert_eq!(
        list["this_week"],
        json!({"count": 0, "target": 2, "met": false, "text": "0 of 2 this week",
            "since": "2026-11-23T00:00:00Z"})
    );

    // A message on Sunday (last week), a call now, a message on Monday.
    let sunday = json!({"kind": "message", "occurred_at": at(START - Duration::days(3))});
    let call = json!({"kind": "phone_call", "duration_minutes": 15,
        "note": "  Pain settling; walking 20 minutes a day.  "});
    let monday = json!({"kind": "message", "occurred_at": "2026-11-23T10:15:00.500Z",
        "note": "Sent the sleep lesson."});
    let mut ids = vec![];
    for body in [sunday, call, monday] {
        let (status, added) = send(app, Method::POST, &path, &c1, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{added}");
        ids.push(added["id"].as_str().unwrap().to_owned());
    }
    let (status, list) = send(app, Method::GET, &path, &c1, None).await;
    assert_eq!(status, StatusCode::OK);
    let contacts = list["contacts"].as_array().unwrap();
    let order: Vec<&str> = contacts.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(order, [ids[1].as_str(), &ids[2], &ids[0]], "newest first");
    let call = &contacts[0];
    assert_eq!(call["kind"], "phone_call");
    assert_eq!(call["kind_label"], "Phone call");
    assert_eq!(call["occurred_at"], "2026-11-25T09:00:00Z");
    assert_eq!(call["duration_minutes"], 15);
    assert_eq!(call["note"], "Pain settling; walking 20 minutes a day.");
    assert_eq!(call["logged_by"], p.c1.to_string());
    assert_eq!(call["logged_by_name"], "c1 Person");
    assert_eq!(contacts[1]["occurred_at"], "2026-11-23T10:15:00Z", "kept to the second");
    assert_eq!(contacts[1]["duration_minutes"], Value::Null);
    assert_eq!(list["this_week"]["count"], 2);
    assert_eq!(list["this_week"]["met"], true);
    assert_eq!(list["this_week"]["text"], "2 of 2 this week");

    // The clinic's admin reads it too; not the patient, not another clinician, not another
    // clinic.
    for (who, status) in [
        (p.admin, StatusCode::OK),
        (p.p1, StatusCode::FORBIDDEN),
        (p.p2, StatusCode::FORBIDDEN),
        (p.c2, StatusCode::FORBIDDEN),
        (p.xa, StatusCode::NOT_FOUND),
        (p.xc, StatusCode::NOT_FOUND),
    ] {
        let t = app.token_for(who).await;
        let (got, body) = send(app, Method::GET, &path, &t, None).await;
        assert_eq!(got, status, "{who}: {body}");
        if status == StatusCode::OK {
            assert_eq!(body["contacts"].as_array().unwrap().len(), 3);
        }
    }

    // The caseload's one read for the whole clinic agrees.
    let counts = app
        .store
        .contact_counts_since(p.clinic_a, time::macros::datetime!(2026-11-23 00:00 UTC))
        .await
        .unwrap();
    assert_eq!(counts.get(&p.p1), Some(&2));
    assert_eq!(counts.get(&p.p2), None);

    // Next Monday the week starts again.
    app.clock.advance(Duration::days(5));
    let (_, list) = send(app, Method::GET, &path, &c1, None).await;
    assert_eq!(list["this_week"]["count"], 0);
    assert_eq!(list["this_week"]["since"], "2026-11-30T00:00:00Z");

    // Each contact and each read is in the audit trail, with the refusals.
    let events = app.store.audit_events(p.clinic_a, Some(p.p1), 100).await.unwrap();
    let count = |action: &str, outcome: &str| {
        events
            .iter()
            .filter(|e| e.resource == "contact" && e.action == action && e.outcome == outcome)
            .count()
    };
    assert_eq!(count("create", "success"), 3);
    assert_eq!(count("read", "success"), 4, "three by c1, one by the admin");
    assert_eq!(count("read", "denied"), 3);
}

async fn bad_contacts_are_refused_by_field_and_write_nothing(app: &TestApp) {
    let p = &app.people;
    let path = format!("/api/v1/patients/{}/contacts", p.p1);
    let c1 = app.token_for(p.c1).await;
    let refused = async |body: Value| {
        let (status, answer) = send(app, Method::POST, &path, &c1, Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        answer["error"].clone()
    };
    let e = refused(json!({"kind": "message", "occurred_at": at(START + Duration::minutes(5))}));
    let e = e.await;
    assert_eq!(e["field"], "occurred_at");
    assert!(e["message"].as_str().unwrap().contains("future"), "{e}");
    let e = refused(json!({"kind": "message", "occurred_at": at(START - Duration::days(31))}));
    let e = e.await;
    assert_eq!(e["field"], "occurred_at");
    assert!(e["message"].as_str().unwrap().contains("26 October 2026"), "{e}");
    let e = refused(json!({"kind": "phone_call", "note": "Called about the flare-up"})).await;
    assert_eq!(e["field"], "duration_minutes");
    let e = refused(json!({"kind": "video_call", "duration_minutes": 241, "note": "x"})).await;
    assert_eq!(e["field"], "duration_minutes");
    assert!(e["message"].as_str().unwrap().contains("1 to 240"), "{e}");
    let e = refused(json!({"kind": "message", "duration_minutes": 5})).await;
    assert_eq!(e["field"], "duration_minutes");
    let e = refused(json!({"kind": "in_person", "duration_minutes": 45, "note": " "})).await;
    assert_eq!(e["field"], "note");
    let e = refused(json!({"kind": "message", "note": "x".repeat(501)})).await;
    assert_eq!(e["field"], "note");
    let e = refused(json!({"kind": "carrier_pigeon"})).await;
    assert_eq!(e["field"], "kind");
    // Several at once are listed, each with its field.
    let e = refused(json!({"kind": "", "duration_minutes": 0,
        "occurred_at": at(START + Duration::days(1))}))
    .await;
    let fields: Vec<&str> =
        e["problems"].as_array().unwrap().iter().map(|p| p["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["kind", "occurred_at", "duration_minutes"]);
    // A malformed body is a 400, not a 422.
    let (status, _) = send(app, Method::POST, &path, &c1, Some(json!({"note": "no kind"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = send(
        app,
        Method::POST,
        &path,
        &c1,
        Some(json!({"kind": "message", "occurred_at": "yesterday"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Nothing was written, and each refusal was recorded as invalid.
    assert!(app.store.contacts(p.clinic_a, p.p1).await.unwrap().is_empty());
    let events = app.store.audit_events(p.clinic_a, Some(p.p1), 100).await.unwrap();
    let invalid =
        events.iter().filter(|e| e.resource == "contact" && e.outcome == "invalid").count();
    assert_eq!(invalid, 9);
}

async fn only_the_care_team_logs_and_staff_set_the_phone(app: &TestApp) {
    let p = &app.people;
    let contacts = format!("/api/v1/patients/{}/contacts", p.p1);
    let call = json!({"kind": "phone_call", "duration_minutes": 10, "note": "Checked in."});
    // Only a clinician on the patient's care team logs a contact: not another clinician, not
    // the admin (accounts and access, not care), not the patient, not another clinic.
    for (who, status) in [
        (p.c2, StatusCode::FORBIDDEN),
        (p.admin, StatusCode::FORBIDDEN),
        (p.p1, StatusCode::FORBIDDEN),
        (p.xc, StatusCode::NOT_FOUND),
        (p.c1, StatusCode::CREATED),
    ] {
        let t = app.token_for(who).await;
        let (got, body) = send(app, Method::POST, &contacts, &t, Some(call.clone())).await;
        assert_eq!(got, status, "{who}: {body}");
    }
    assert_eq!(app.store.contacts(p.clinic_a, p.p1).await.unwrap().len(), 1);

    let phone = format!("/api/v1/patients/{}/phone", p.p1);
    let record = format!("/api/v1/patients/{}", p.p1);
    let admin = app.token_for(p.admin).await;
    let (status, body) =
        send(app, Method::PUT, &phone, &admin, Some(json!({"phone": " (416)  555-0142 "}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"phone": "(416) 555-0142"}));
    // The patient sees it on their own record.
    let me = app.token_for(p.p1).await;
    let (status, body) = send(app, Method::GET, &record, &me, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["phone"], "(416) 555-0142", "{body}");
    // The care team's clinician changes it; others may not, nor the patient themselves.
    let c1 = app.token_for(p.c1).await;
    let (status, _) =
        send(app, Method::PUT, &phone, &c1, Some(json!({"phone": "+1 416 555 0199"}))).await;
    assert_eq!(status, StatusCode::OK);
    for (who, status) in [
        (p.c2, StatusCode::FORBIDDEN),
        (p.p1, StatusCode::FORBIDDEN),
        (p.p2, StatusCode::FORBIDDEN),
        (p.xa, StatusCode::NOT_FOUND),
    ] {
        let t = app.token_for(who).await;
        let (got, _) = send(app, Method::PUT, &phone, &t, Some(json!({"phone": "123456"}))).await;
        assert_eq!(got, status, "{who}");
    }
    // A number that is not one is refused at `phone`, and the old one stays.
    let (status, body) =
        send(app, Method::PUT, &phone, &c1, Some(json!({"phone": "call my daughter"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["field"], "phone");
    assert!(body["error"]["message"].as_str().unwrap().contains("digits"), "{body}");
    let (status, body) = send(app, Method::PUT, &phone, &c1, Some(json!({"phone": "12 34"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["message"].as_str().unwrap().contains("6 to 20 digits"), "{body}");
    let u = app.store.user(p.p1).await.unwrap();
    assert_eq!(u.phone.as_deref(), Some("+1 416 555 0199"));
    // Empty, or null, clears it.
    let (status, body) = send(app, Method::PUT, &phone, &c1, Some(json!({"phone": ""}))).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"phone": null})));
    assert_eq!(app.store.user(p.p1).await.unwrap().phone, None);
    let (status, _) = send(app, Method::PUT, &phone, &c1, Some(json!({"phone": null}))).await;
    assert_eq!(status, StatusCode::OK);
    // Every change and refusal is audited.
    let events = app.store.audit_events(p.clinic_a, Some(p.p1), 100).await.unwrap();
    let count = |outcome: &str| {
        events.iter().filter(|e| e.resource == "patient_phone" && e.outcome == outcome).count()
    };
    assert_eq!(count("success"), 4);
    assert_eq!(count("denied"), 3);
    assert_eq!(count("invalid"), 2);
}

async fn post(
    app: &TestApp,
    c: &Client,
    csrf: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let mut body: Vec<(&str, &str)> = vec![("csrf_token", csrf)];
    body.extend_from_slice(fields);
    let res = c.post(app.url(path)).form(&body).send().await.unwrap();
    let location =
        res.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    (res.status(), location, res.text().await.unwrap())
}

async fn get(app: &TestApp, c: &Client, path: &str) -> String {
    let res = c.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.unwrap()
}

async fn the_patients_page_logs_a_call_and_keeps_a_failed_form(app: &TestApp) {
    let p = &app.people;
    let page = format!("/patients/{}", p.p1);
    let (c, csrf) = app.login(&email_of("c1")).await;
    let html = get(app, &c, &page).await;
    assert!(html.contains("Contacts this week: </strong>0 of 2"), "{html}");
    assert!(html.contains("Below target"));
    assert!(html.contains("No phone number on record"));
    // The form starts as a phone call, now on the clinic's clock.
    assert!(html.contains(r#"value="phone_call" checked"#), "{html}");
    assert!(html.contains(r#"name="date" value="2026-11-25""#), "{html}");
    assert!(html.contains(r#"name="time" value="09:00""#), "{html}");

    let log = format!("/patients/{}/contacts", p.p1);
    let call = [
        ("kind", "phone_call"),
        ("date", "2026-11-25"),
        ("time", "08:30"),
        ("duration_minutes", "12"),
        ("note", "Talked through the flare-up plan."),
    ];
    let (status, location, _) = post(app, &c, &csrf, &log, &call).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("/patients/{}#contacts", p.p1));
    let html = get(app, &c, &page).await;
    assert!(html.contains("Contacts this week: </strong>1 of 2"), "{html}");
    assert!(html.contains("25 November 2026 08:30 UTC"), "{html}");
    assert!(html.contains("Talked through the flare-up plan."));
    assert!(html.contains("12 min"));

    // A call typed for later today and with no note comes back with both problems, linked to
    // their fields, holding what was typed; nothing is written.
    let later = [
        ("kind", "video_call"),
        ("date", "2026-11-25"),
        ("time", "17:45"),
        ("duration_minutes", "20"),
        ("note", ""),
    ];
    let (status, _, html) = post(app, &c, &csrf, &log, &later).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("There is a problem"), "{html}");
    assert!(html.contains(r##"href="#contact-time""##), "{html}");
    assert!(html.contains(r##"href="#contact-note""##), "{html}");
    assert!(html.contains("The contact cannot be in the future"), "{html}");
    assert!(html.contains(r#"value="video_call" checked"#), "{html}");
    assert!(html.contains(r#"name="time" value="17:45""#), "{html}");
    assert!(html.contains(r#"value="20""#), "{html}");
    assert_eq!(app.store.contacts(p.clinic_a, p.p1).await.unwrap().len(), 1);

    // The phone number: a bad one comes back at its field, a good one becomes a link.
    let phone = format!("/patients/{}/phone", p.p1);
    let (status, _, html) = post(app, &c, &csrf, &phone, &[("phone", "416-555-O142")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r##"href="#phone""##), "{html}");
    assert!(html.contains(r#"value="416-555-O142""#), "{html}");
    let (status, location, _) = post(app, &c, &csrf, &phone, &[("phone", "(416) 555-0142")]).await;
    assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, &*format!("{page}#contacts")));
    let html = get(app, &c, &page).await;
    assert!(html.contains(r#"href="tel:4165550142""#), "{html}");

    // The admin sets the phone number and reads the log, but has no form to log a contact.
    let (admin, _) = app.login(&email_of("admin")).await;
    let html = get(app, &admin, &page).await;
    assert!(html.contains("Contact log") && html.contains("Save phone number"), "{html}");
    assert!(!html.contains("Log a call"), "{html}");
    // Another clinician cannot log a contact through the form either.
    let (c2, csrf2) = app.login(&email_of("c2")).await;
    let (status, _, _) = post(app, &c2, &csrf2, &log, &call).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The patient sees their number under "Your details", and no contact log.
    let (me, _) = app.login(&email_of("p1")).await;
    let html = get(app, &me, "/home").await;
    assert!(html.contains("(416) 555-0142"), "{html}");
    assert!(html.contains("Tell your care team if it changes."), "{html}");
    let html = get(app, &me, &page).await;
    assert!(!html.contains("Contact log") && !html.contains("flare-up"), "{html}");
}

async fn the_openapi_document_describes_the_contact_routes(app: &TestApp) {
    let res = app.client().get(app.url("/api/v1/openapi.json")).send().await.unwrap();
    let doc: Value = res.json().await.unwrap();
    for (path, method) in [
        ("/api/v1/patients/{patient_id}/contacts", "get"),
        ("/api/v1/patients/{patient_id}/contacts", "post"),
        ("/api/v1/patients/{patient_id}/phone", "put"),
    ] {
        let op = &doc["paths"][path][method];
        assert_eq!(op["tags"], json!(["contacts"]), "{method} {path}: {op}");
    }
    let post = &doc["paths"]["/api/v1/patients/{patient_id}/contacts"]["post"];
    assert!(post["responses"]["422"].is_object(), "{post}");
    let schemas = &doc["components"]["schemas"];
    for name in ["ContactRequest", "ContactEntry", "PatientContacts", "WeekView", "PhoneRequest"] {
        assert!(schemas[name].is_object(), "{name} missing from the OpenAPI document");
    }
    assert!(doc["tags"].as_array().unwrap().iter().any(|t| t["name"] == "contacts"));
}
