//! Secure messages: the patient and their care team write and read one thread through the API
//! and the pages, with read receipts and unread counts; everyone else is refused and the
//! refusal audited; bad text is refused naming `body`; and the other side's e-mail, received by
//! a real SMTP server (aiosmtpd), says there is a message without saying what it is.

use std::time::Duration as StdDuration;

use physio_server::reminders::SmtpSettings;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::Duration;
use uuid::Uuid;

use crate::{
    both_backends,
    helpers::{Backend, TestApp, email_of},
    reminders::SmtpServer,
};

both_backends!(
    both_sides_write_and_read_with_receipts_and_counts,
    outside_the_care_team_and_admins_are_refused_and_audited,
    blank_and_too_long_are_refused_naming_body,
    the_pages_show_the_thread_counts_and_receipts,
);

/// A request with a bearer token, answered as JSON.
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
    (status, res.json().await.unwrap_or(Value::Null))
}

fn thread_path(patient: Uuid) -> String {
    format!("/api/v1/patients/{patient}/messages")
}

async fn both_sides_write_and_read_with_receipts_and_counts(app: &TestApp) {
    let p1 = app.people.p1;
    let (patient, c1, c2) = (
        app.token_for(p1).await,
        app.token_for(app.people.c1).await,
        app.token_for(app.people.c2).await,
    );
    let unread =
        async |token: &str| call(app, token, Method::GET, "/api/v1/messages/unread", None).await.1;
    assert_eq!(unread(&patient).await, json!({"messages": 0, "threads": 0}));
    assert_eq!(unread(&c1).await, json!({"messages": 0, "threads": 0}));

    // The patient writes twice.
    let path = thread_path(p1);
    let (status, sent) = call(
        app,
        &patient,
        Method::POST,
        &path,
        Some(json!({"body": "  Can I swim this week?\r\nJust asking. "})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["author"], "patient");
    assert_eq!(sent["mine"], true);
    assert_eq!(sent["body"], "Can I swim this week?\nJust asking.");
    assert_eq!(sent["created_at"], "2026-11-25T09:00:00Z");
    assert_eq!(sent["read_at"], Value::Null);
    app.clock.advance(Duration::minutes(1));
    call(app, &patient, Method::POST, &path, Some(json!({"body": "Breaststroke, I mean."}))).await;

    // Waiting for the care team: one thread, two messages; not for a clinician off the team.
    assert_eq!(unread(&c1).await, json!({"messages": 2, "threads": 1}));
    assert_eq!(unread(&c2).await, json!({"messages": 0, "threads": 0}));
    // The patient's own count is of the care team's messages only.
    assert_eq!(unread(&patient).await, json!({"messages": 0, "threads": 0}));

    // The clinician opens the thread: both are now read, by them.
    app.clock.advance(Duration::minutes(30));
    let (status, thread) = call(app, &c1, Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(thread["marked_read"], 2);
    assert_eq!(thread["patient_name"], "p1 Person");
    let messages = thread["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["read_at"], "2026-11-25T09:31:00Z");
    assert_eq!(messages[0]["read_by_name"], "c1 Person");
    assert_eq!(messages[0]["mine"], false);
    assert_eq!(unread(&c1).await, json!({"messages": 0, "threads": 0}));
    // Opening it again marks nothing more.
    assert_eq!(call(app, &c1, Method::GET, &path, None).await.1["marked_read"], 0);

    // The reply waits for the patient, unread: no receipt yet.
    let (status, reply) = call(
        app,
        &c1,
        Method::POST,
        &path,
        Some(json!({"body": "Yes, gently. Ten minutes to start."})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        (&reply["author"], &reply["author_name"]),
        (&json!("clinician"), &json!("c1 Person"))
    );
    assert_eq!(unread(&patient).await, json!({"messages": 1, "threads": 1}));
    let seen = call(app, &c1, Method::GET, &path, None).await.1;
    assert_eq!(seen["messages"][2]["read_at"], Value::Null);

    // The patient opens it: their count goes to nothing, and the clinician sees when it was read.
    app.clock.advance(Duration::hours(2));
    let (_, mine) = call(app, &patient, Method::GET, &path, None).await;
    assert_eq!(mine["marked_read"], 1);
    let bodies: Vec<&str> =
        mine["messages"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap()).collect();
    assert_eq!(
        bodies,
        [
            "Can I swim this week?\nJust asking.",
            "Breaststroke, I mean.",
            "Yes, gently. Ten minutes to start."
        ]
    );
    assert_eq!(mine["messages"][2]["mine"], false);
    assert_eq!(unread(&patient).await, json!({"messages": 0, "threads": 0}));
    let seen = call(app, &c1, Method::GET, &path, None).await.1;
    assert_eq!(seen["messages"][2]["read_at"], "2026-11-25T11:31:00Z");
    assert_eq!(seen["messages"][2]["read_by_name"], "p1 Person");

    // Every write and every read is in the audit trail, about the patient.
    let events = app.store.audit_events(app.people.clinic_a, Some(p1), 100).await.unwrap();
    let count = |action: &str, resource: &str| {
        events
            .iter()
            .filter(|e| {
                e.action == action && e.resource == resource && e.outcome.as_str() == "success"
            })
            .count()
    };
    assert_eq!(count("write", "message"), 3);
    assert_eq!(count("read", "message_thread"), 5);
    assert_eq!(app.store.verify_audit().await.unwrap().first_break, None);
}

async fn outside_the_care_team_and_admins_are_refused_and_audited(app: &TestApp) {
    let p1 = app.people.p1;
    let path = thread_path(p1);
    let patient = app.token_for(p1).await;
    call(app, &patient, Method::POST, &path, Some(json!({"body": "Is it normal to ache after?"})))
        .await;
    let body = Some(json!({"body": "Hello"}));
    for (who, status) in [
        (app.people.c2, StatusCode::FORBIDDEN),
        (app.people.admin, StatusCode::FORBIDDEN),
        (app.people.p2, StatusCode::FORBIDDEN),
        (app.people.xc, StatusCode::NOT_FOUND),
        (app.people.xa, StatusCode::FORBIDDEN),
    ] {
        let token = app.token_for(who).await;
        let (got, err) = call(app, &token, Method::GET, &path, None).await;
        assert_eq!(got, status, "read by {who}: {err}");
        let (got, _) = call(app, &token, Method::POST, &path, body.clone()).await;
        assert_eq!(got, status, "write by {who}");
    }
    let admin = app.token_for(app.people.admin).await;
    let (_, err) = call(app, &admin, Method::GET, &path, None).await;
    assert!(err["error"]["message"].as_str().unwrap().contains("care team"), "{err}");
    assert_eq!(
        call(app, &admin, Method::GET, "/api/v1/messages/unread", None).await.0,
        StatusCode::FORBIDDEN
    );

    // Nothing was written or marked read by any of them.
    let thread = app.store.message_thread(app.people.clinic_a, p1).await.unwrap();
    assert_eq!(thread.len(), 1);
    assert_eq!(thread[0].read_at, None);
    // Each refusal is recorded, with who asked and about which patient.
    let events = app.store.audit_events(app.people.clinic_a, Some(p1), 100).await.unwrap();
    let denied = |actor: Uuid, action: &str| {
        events.iter().any(|e| {
            e.actor_id == Some(actor)
                && e.action == action
                && e.outcome.as_str() == "denied"
                && matches!(e.resource.as_str(), "message_thread" | "message")
        })
    };
    for who in [app.people.c2, app.people.admin, app.people.p2] {
        assert!(denied(who, "read") && denied(who, "write"), "{who}: {events:#?}");
    }
}

async fn blank_and_too_long_are_refused_naming_body(app: &TestApp) {
    let p1 = app.people.p1;
    let path = thread_path(p1);
    for token in [app.token_for(p1).await, app.token_for(app.people.c1).await] {
        for body in [" \n\t ".to_owned(), "a".repeat(2001)] {
            let (status, err) =
                call(app, &token, Method::POST, &path, Some(json!({"body": body}))).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
            assert_eq!(err["error"]["field"], "body");
        }
        let (_, err) =
            call(app, &token, Method::POST, &path, Some(json!({"body": "b".repeat(2345)}))).await;
        let message = err["error"]["message"].as_str().unwrap();
        assert!(message.contains("2345") && message.contains("2000"), "{message}");
        // Exactly at the limit is fine.
        let (status, _) =
            call(app, &token, Method::POST, &path, Some(json!({"body": "c".repeat(2000)}))).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let thread = app.store.message_thread(app.people.clinic_a, p1).await.unwrap();
    assert_eq!(thread.len(), 2, "only the two at the limit were stored");
}

/// The text of a page, fetched with a signed-in client.
async fn page(app: &TestApp, c: &reqwest::Client, path: &str) -> String {
    let res = c.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.text().await.unwrap()
}

async fn the_pages_show_the_thread_counts_and_receipts(app: &TestApp) {
    let p1 = app.people.p1;
    let mut tx = app.store.begin().await.unwrap();
    tx.set_clinic_contact(app.people.clinic_a, Some("0161 496 0000")).await.unwrap();
    tx.commit().await.unwrap();

    let (pc, pcsrf) = app.login(&email_of("p1")).await;
    let home = page(app, &pc, "/messages").await;
    assert!(home.contains("Messages with your care team"));
    assert!(home.contains("usually reads messages within one working day"), "{home}");
    assert!(home.contains("How to reach the clinic: <strong>0161 496 0000</strong>"), "{home}");
    assert!(home.contains("call your local emergency number"));
    assert!(home.contains("No messages yet."));

    // A blank message comes back with the problem at the field; too long keeps what was typed.
    let post = async |fields: &[(&str, &str)]| {
        let mut body: Vec<(&str, &str)> = vec![("csrf_token", &pcsrf)];
        body.extend_from_slice(fields);
        pc.post(app.url("/messages")).form(&body).send().await.unwrap()
    };
    let res = post(&[("body", "   ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text().await.unwrap();
    assert!(text.contains("There is a problem") && text.contains("href=\"#body\""), "{text}");
    assert!(text.contains("Write your message before you send it"));
    let long = format!("My back {}", "x".repeat(2000));
    let text = post(&[("body", &long)]).await.text().await.unwrap();
    assert!(text.contains(&long), "what was typed stays");
    let res = post(&[("body", "The stretch <b>hurts</b> my hip.")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/messages?sent=1#latest");
    let sent = page(app, &pc, "/messages?sent=1").await;
    assert!(sent.contains("Your message is sent."));
    assert!(sent.contains("The stretch &lt;b&gt;hurts&lt;/b&gt; my hip."), "escaped: {sent}");

    // The clinician sees one waiting thread in the navigation and on their list.
    let (cc, ccsrf) = app.login(&email_of("c1")).await;
    let caseload = page(app, &cc, "/caseload").await;
    assert!(caseload.contains("<span class=\"visually-hidden\">, 1 waiting</span>"), "{caseload}");
    let list = page(app, &cc, "/messages").await;
    assert!(list.contains("p1 Person") && list.contains("1 unread"), "{list}");
    assert!(list.contains(&format!("/patients/{p1}#messages")));
    // Another clinician has nothing waiting.
    let (oc, _) = app.login(&email_of("c2")).await;
    assert!(
        page(app, &oc, "/messages").await.contains("No patient on your caseload has messages yet.")
    );

    // Opening the record reads the thread; the count is gone.
    let record = page(app, &cc, &format!("/patients/{p1}")).await;
    assert!(record.contains("id=\"messages\"") && record.contains("my hip."), "{record}");
    assert!(record.contains("Now marked as read: 1 new message"));
    assert!(!page(app, &cc, "/caseload").await.contains(r#"href="/messages">Messages<span"#));

    // The reply: a blank one is refused on a page of its own; a good one goes back to the record.
    let reply = async |text: &str| {
        cc.post(app.url(&format!("/patients/{p1}/messages")))
            .form(&[("csrf_token", ccsrf.as_str()), ("body", text)])
            .send()
            .await
            .unwrap()
    };
    let res = reply("").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text().await.unwrap();
    assert!(
        text.contains("href=\"#body\"") && text.contains("my hip."),
        "the thread stays in view"
    );
    let res = reply("Try the smaller range for now.").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], format!("/patients/{p1}#messages").as_str());
    assert!(page(app, &cc, &format!("/patients/{p1}")).await.contains("Not read yet"));

    // The patient sees the count, then the reply; then the clinician sees when it was read.
    // (Less than the staff's 30 idle minutes, so the clinician stays signed in.)
    app.clock.advance(Duration::minutes(25));
    let home = page(app, &pc, "/home").await;
    assert!(home.contains("<span class=\"visually-hidden\">, 1 unread</span>"), "{home}");
    let thread = page(app, &pc, "/messages").await;
    assert!(
        thread.contains("c1 Person, your care team") && thread.contains("Try the smaller range")
    );
    assert!(!thread.contains("Not read yet"), "receipts are for the care team");
    assert!(!page(app, &pc, "/home").await.contains("unread</span>"));
    let record = page(app, &cc, &format!("/patients/{p1}")).await;
    assert!(record.contains("Read Today 09:25"), "{record}");
    assert!(record.contains("Read by c1 Person, Today 09:00"), "{record}");

    // The admin opens the record but not its messages.
    let (ac, _) = app.login(&email_of("admin")).await;
    let record = page(app, &ac, &format!("/patients/{p1}")).await;
    assert!(!record.contains("my hip.") && !record.contains("id=\"messages\""));
    let res = ac.get(app.url("/messages")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

mod email {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::the_other_side_is_emailed_without_the_text(super::Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::the_other_side_is_emailed_without_the_text(super::Backend::Postgres).await;
    }
}

/// Waits (a few seconds at most) until `n` e-mails have arrived, then a little longer for any
/// extra one.
async fn mails(smtp: &SmtpServer, n: usize) -> Vec<crate::reminders::Mail> {
    for _ in 0..200 {
        if smtp.messages().len() >= n {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(25)).await;
    }
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    smtp.messages()
}

async fn the_other_side_is_emailed_without_the_text(backend: Backend) {
    let Some(smtp) = SmtpServer::start() else { return };
    let url = smtp.url();
    let Some(app) = TestApp::spawn_with(backend, |c| {
        c.public_url = Some("https://physio.example".into());
        c.smtp = Some(SmtpSettings::new(&url, "North Clinic <care@clinic.example>").unwrap());
    })
    .await
    else {
        return;
    };
    let p1 = app.people.p1;
    let path = thread_path(p1);
    let (patient, c1) = (app.token_for(p1).await, app.token_for(app.people.c1).await);
    let secret = "My left knee gave way on the stairs";
    let (status, _) =
        call(&app, &patient, Method::POST, &path, Some(json!({"body": secret}))).await;
    assert_eq!(status, StatusCode::CREATED);
    let got = mails(&smtp, 1).await;
    assert_eq!(got.len(), 1, "{got:?}");
    let m = &got[0];
    assert!(m.header("To").unwrap().contains(&email_of("c1")), "to the care team: {m:?}");
    assert_eq!(m.header("Subject"), Some("You have a new message from a patient at Clinic A"));
    assert!(m.body.contains("\nhttps://physio.example/messages\n"), "{}", m.body);
    // A second message while the first waits unread: they have been told already.
    call(&app, &patient, Method::POST, &path, Some(json!({"body": "And my hip."}))).await;

    // The clinician reads and replies: the patient is told, without the reply.
    call(&app, &c1, Method::GET, &path, None).await;
    let reply = "Rest it today and ring us if it swells";
    call(&app, &c1, Method::POST, &path, Some(json!({"body": reply}))).await;
    let got = mails(&smtp, 2).await;
    assert_eq!(got.len(), 2, "one e-mail each way: {got:?}");
    let m = &got[1];
    assert!(m.header("To").unwrap().contains(&email_of("p1")), "{m:?}");
    assert_eq!(m.header("Subject"), Some("You have a new message from Clinic A"));
    assert!(m.body.contains("You have a new message from your care team at Clinic A."));
    for mail in &got {
        let all = format!("{}\n{}", mail.headers, mail.body).to_lowercase();
        for word in ["knee", "stairs", "hip", "swells", "p1 person", "c1 person"] {
            assert!(!all.contains(word), "{word:?} in {all}");
        }
    }
    // Both messages are stored however the e-mail went.
    assert_eq!(app.store.message_thread(app.people.clinic_a, p1).await.unwrap().len(), 3);
}
