//! Sign-in, idle and absolute expiry, logout, CSRF, API tokens, deactivation, audit.
//! Time moves through the injected clock; nothing sleeps.

use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use time::Duration;

use crate::{
    both_backends,
    helpers::{Backend, PASSWORD, TestApp, email_of},
};

both_backends!(
    session_cookie_is_httponly_and_lax,
    staff_sessions_end_after_30_idle_minutes,
    patient_sessions_end_at_the_absolute_limit,
    logout_revokes_the_session_server_side,
    cookie_state_changes_need_the_csrf_token,
    api_tokens_work_until_revoked,
    deactivated_users_are_signed_out_and_cannot_sign_in,
    patient_reads_and_refusals_are_audited,
);

async fn status_of(app: &TestApp, c: &reqwest::Client, path: &str) -> StatusCode {
    c.get(app.url(path)).send().await.unwrap().status()
}

async fn try_login(app: &TestApp, email: &str, password: &str) -> (StatusCode, Value) {
    let res = app
        .client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

async fn session_cookie_is_httponly_and_lax(app: &TestApp) {
    let res = app
        .client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email_of("c1"), "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().to_owned();
    assert!(cookie.starts_with("physio_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http must not set Secure: {cookie}");
    // The secret is stored only as a hash.
    let secret = cookie.split(';').next().unwrap().trim_start_matches("physio_session=");
    assert!(app.store.session_by_token_hash(secret).await.unwrap().is_none());

    let tls = TestApp::spawn_with(Backend::Sqlite, |c| c.secure_cookies = true).await.unwrap();
    let res = tls
        .client()
        .post(tls.url("/api/v1/auth/login"))
        .json(&json!({"email": email_of("c1"), "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(res.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("Secure"));
}

async fn staff_sessions_end_after_30_idle_minutes(app: &TestApp) {
    let (clinician, _) = app.login(&email_of("c1")).await;
    let (patient, _) = app.login(&email_of("p1")).await;
    app.clock.advance(Duration::minutes(29));
    assert_eq!(status_of(app, &clinician, "/api/v1/me").await, StatusCode::OK);
    // Activity keeps it alive.
    app.clock.advance(Duration::minutes(29));
    assert_eq!(status_of(app, &clinician, "/api/v1/me").await, StatusCode::OK);
    app.clock.advance(Duration::minutes(30));
    assert_eq!(status_of(app, &clinician, "/api/v1/me").await, StatusCode::UNAUTHORIZED);
    // It stays ended, and a page sends the clinician to sign in.
    let res = clinician.get(app.url("/caseload")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/login");
    // Patients get a longer idle allowance (2 hours): 88 minutes idle is fine.
    assert_eq!(status_of(app, &patient, "/api/v1/me").await, StatusCode::OK);
}

async fn patient_sessions_end_at_the_absolute_limit(app: &TestApp) {
    let (patient, _) = app.login(&email_of("p1")).await;
    for _ in 0..11 {
        app.clock.advance(Duration::hours(1));
        assert_eq!(status_of(app, &patient, "/api/v1/me").await, StatusCode::OK);
    }
    app.clock.advance(Duration::hours(1));
    assert_eq!(status_of(app, &patient, "/api/v1/me").await, StatusCode::UNAUTHORIZED);
}

async fn logout_revokes_the_session_server_side(app: &TestApp) {
    let res = app
        .client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email_of("c1"), "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie =
        res.headers()[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let csrf = res.json::<Value>().await.unwrap()["csrf_token"].as_str().unwrap().to_owned();
    let raw = reqwest::Client::new();
    let me = || raw.get(app.url("/api/v1/me")).header(header::COOKIE, &cookie).send();
    assert_eq!(me().await.unwrap().status(), StatusCode::OK);
    let out = raw
        .post(app.url("/api/v1/auth/logout"))
        .header(header::COOKIE, &cookie)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    // A copy of the cookie kept by an attacker is worthless now.
    assert_eq!(me().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

async fn cookie_state_changes_need_the_csrf_token(app: &TestApp) {
    let (c, csrf) = app.login(&email_of("c1")).await;
    let create = |token: Option<&str>| {
        let mut r = c.post(app.url("/api/v1/tokens")).json(&json!({"name": "t"}));
        if let Some(t) = token {
            r = r.header("x-csrf-token", t);
        }
        r.send()
    };
    assert_eq!(create(None).await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(create(Some("0000")).await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(create(Some(&csrf)).await.unwrap().status(), StatusCode::CREATED);
    // HTML forms carry it as a field.
    let form = |body: String| {
        c.post(app.url("/logout"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    assert_eq!(form(String::new()).await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(status_of(app, &c, "/api/v1/me").await, StatusCode::OK);
    // A request from another site is refused even with the token.
    let foreign = c
        .post(app.url("/api/v1/tokens"))
        .header("origin", "https://evil.example")
        .header("x-csrf-token", &csrf)
        .json(&json!({"name": "t"}))
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    let res = form(format!("csrf_token={csrf}")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(app, &c, "/api/v1/me").await, StatusCode::UNAUTHORIZED);
}

async fn api_tokens_work_until_revoked(app: &TestApp) {
    let (c, csrf) = app.login(&email_of("c1")).await;
    let created: Value = c
        .post(app.url("/api/v1/tokens"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"name": "nightly export"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = created["secret"].as_str().unwrap().to_owned();
    let id = created["id"].as_str().unwrap().to_owned();
    let bearer = reqwest::Client::new();
    let patients = || bearer.get(app.url("/api/v1/patients")).bearer_auth(&secret).send();
    let list: Value = patients().await.unwrap().json().await.unwrap();
    let ids: Vec<_> =
        list["patients"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![app.people.p1.to_string()]);
    // Listing shows no secret.
    let listed: Value =
        c.get(app.url("/api/v1/tokens")).send().await.unwrap().json().await.unwrap();
    assert!(listed.to_string().find(&secret).is_none());
    let del = c
        .delete(app.url(&format!("/api/v1/tokens/{id}")))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), StatusCode::NO_CONTENT);
    assert_eq!(patients().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let junk =
        bearer.get(app.url("/api/v1/me")).bearer_auth("phy_not_a_token").send().await.unwrap();
    assert_eq!(junk.status(), StatusCode::UNAUTHORIZED);
}

async fn deactivated_users_are_signed_out_and_cannot_sign_in(app: &TestApp) {
    let (clinician, _) = app.login(&email_of("c1")).await;
    let (admin, csrf) = app.login(&email_of("admin")).await;
    let res = admin
        .patch(app.url(&format!("/api/v1/users/{}", app.people.c1)))
        .header("x-csrf-token", &csrf)
        .json(&json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["active"], false);
    assert_eq!(status_of(app, &clinician, "/api/v1/me").await, StatusCode::UNAUTHORIZED);
    assert_eq!(try_login(app, &email_of("c1"), PASSWORD).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    // An admin cannot lock themselves out.
    let res = admin
        .patch(app.url(&format!("/api/v1/users/{}", app.people.admin)))
        .header("x-csrf-token", &csrf)
        .json(&json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
}

async fn patient_reads_and_refusals_are_audited(app: &TestApp) {
    let p = &app.people;
    let (c1, _) = app.login(&email_of("c1")).await;
    let (c2, _) = app.login(&email_of("c2")).await;
    let path = format!("/api/v1/patients/{}", p.p1);
    assert_eq!(status_of(app, &c1, &path).await, StatusCode::OK);
    assert_eq!(status_of(app, &c2, &path).await, StatusCode::FORBIDDEN);
    let events = app.store.audit_events(p.clinic_a, Some(p.p1), 10).await.unwrap();
    let summary: Vec<_> = events
        .iter()
        .map(|e| (e.actor_id.unwrap(), e.action.as_str(), e.outcome.as_str()))
        .collect();
    assert_eq!(summary, vec![(p.c2, "read", "denied"), (p.c1, "read", "success")]);
    assert!(events.iter().all(|e| e.request_id.as_deref().is_some_and(|r| !r.is_empty())));
    let v = app.store.verify_audit().await.unwrap();
    assert_eq!(v.first_break, None);
    assert!(v.records >= 4, "logins and reads are all recorded: {}", v.records);
}
