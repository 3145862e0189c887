//! Two-step sign-in: an authenticator app (codes computed here with totp-rs, as the user's
//! phone would), recovery codes, the pending sign-in's limits, and the clinic's rule that staff
//! must have a second step. Time moves through the injected clock; nothing sleeps.

use physio_server::Clock;
use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use totp_rs::{Builder, Secret};

use crate::{
    both_backends,
    helpers::{PASSWORD, TestApp, email_of},
};

both_backends!(
    an_enrolled_app_makes_sign_in_two_steps,
    a_code_works_once,
    a_recovery_code_works_once,
    five_wrong_codes_end_the_pending_sign_in,
    a_pending_sign_in_lasts_five_minutes,
    the_clinic_rule_makes_staff_enrol_but_not_patients,
    a_new_clinic_requires_two_step_of_staff,
    turning_the_app_off_needs_the_password,
    the_pages_ask_for_the_code_after_the_password,
);

/// The code the user's app shows for `secret` at `at`.
fn code_at(secret: &str, at: OffsetDateTime) -> String {
    let t = Builder::new().with_secret(Secret::try_from_base32(secret).unwrap()).build().unwrap();
    t.generate(u64::try_from(at.unix_timestamp()).unwrap()).to_string()
}

/// Six digits that are not the code of `at`, nor of the step before or after it.
fn wrong_code(secret: &str, at: OffsetDateTime) -> String {
    let near: Vec<String> =
        [-30, 0, 30].iter().map(|s| code_at(secret, at + Duration::seconds(*s))).collect();
    let mut n: u32 = code_at(secret, at).parse().unwrap();
    loop {
        n = (n + 500_001) % 1_000_000;
        let c = format!("{n:06}");
        if !near.contains(&c) {
            return c;
        }
    }
}

async fn post(
    app: &TestApp,
    c: &Client,
    csrf: &str,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let res = c.post(app.url(path)).header("x-csrf-token", csrf).json(&body).send().await.unwrap();
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

/// Sets up an authenticator app for `who` through the API; returns its secret and the
/// recovery codes. The clock then moves on a step, so the confirming code is spent.
async fn enrol(app: &TestApp, who: &str) -> (String, Vec<String>) {
    let (c, csrf) = app.login(&email_of(who)).await;
    let (status, body) = post(app, &c, &csrf, "/api/v1/account/two-step/app", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let secret = body["secret"].as_str().unwrap().to_owned();
    assert!(body["otpauth_url"].as_str().unwrap().starts_with("otpauth://totp/"), "{body}");
    // Nothing changes at sign-in until a code confirms it.
    assert_eq!(login(app, who).await.0, StatusCode::OK);
    let code = code_at(&secret, app.clock.now());
    let (status, body) =
        post(app, &c, &csrf, "/api/v1/account/two-step/app/confirm", json!({"code": code})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let codes: Vec<String> = serde_json::from_value(body["recovery_codes"].clone()).unwrap();
    assert_eq!(codes.len(), 10);
    app.clock.advance(Duration::seconds(30));
    (secret, codes)
}

/// Signs in with the password; the client keeps whatever cookie came back.
async fn login(app: &TestApp, who: &str) -> (StatusCode, Value, Client) {
    let c = app.client();
    let res = c
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email_of(who), "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null), c)
}

async fn second_step(app: &TestApp, c: &Client, body: Value) -> (StatusCode, Value) {
    let res = c.post(app.url("/api/v1/auth/second-step")).json(&body).send().await.unwrap();
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

async fn me(app: &TestApp, c: &Client) -> StatusCode {
    c.get(app.url("/api/v1/me")).send().await.unwrap().status()
}

async fn an_enrolled_app_makes_sign_in_two_steps(app: &TestApp) {
    let (secret, _) = enrol(app, "p1").await;
    let (status, body, c) = login(app, "p1").await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["second_step_required"], true);
    assert_eq!(body["methods"], json!(["app", "recovery_code"]));
    // The password alone opens no session.
    assert_eq!(me(app, &c).await, StatusCode::UNAUTHORIZED);
    let now = app.clock.now();
    let (status, body) = second_step(app, &c, json!({"code": wrong_code(&secret, now)})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "code");
    assert_eq!(me(app, &c).await, StatusCode::UNAUTHORIZED);
    // A code typed with a space, as apps show it, is fine.
    let code = code_at(&secret, now);
    let spaced = format!("{} {}", &code[..3], &code[3..]);
    let (status, body) = second_step(app, &c, json!({"code": spaced})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["csrf_token"].is_string());
    assert_eq!(me(app, &c).await, StatusCode::OK);
    // The pending sign-in was used up: the same client cannot open a second session with it.
    let later = code_at(&secret, now + Duration::seconds(30));
    app.clock.advance(Duration::seconds(30));
    assert_eq!(second_step(app, &c, json!({"code": later})).await.0, StatusCode::FORBIDDEN);
    // The failure and the sign-in are audited, as this user.
    let events = app.store.audit_events(app.people.clinic_a, None, 50).await.unwrap();
    let has = |action: &str, resource: &str, outcome: &str| {
        events.iter().any(|e| {
            e.actor_id == Some(app.people.p1)
                && e.action == action
                && e.resource == resource
                && e.outcome == outcome
        })
    };
    assert!(has("enrol", "totp", "success"));
    assert!(has("second_step", "totp", "failed"));
    assert!(has("login", "pending_sign_in", "success"));
    assert!(has("login", "session", "success"));
}

async fn a_code_works_once(app: &TestApp) {
    let (secret, _) = enrol(app, "c1").await;
    let code = code_at(&secret, app.clock.now());
    let (_, _, c) = login(app, "c1").await;
    assert_eq!(second_step(app, &c, json!({"code": code})).await.0, StatusCode::OK);
    // Someone who saw the code cannot use it again, even within its 30 seconds.
    let (_, _, c) = login(app, "c1").await;
    let (status, body) = second_step(app, &c, json!({"code": code})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("works once"), "{body}");
    // Nor can the code of the step before, once a later one was used.
    app.clock.advance(Duration::seconds(30));
    let next = code_at(&secret, app.clock.now());
    assert_eq!(second_step(app, &c, json!({"code": next})).await.0, StatusCode::OK);
    let (_, _, c) = login(app, "c1").await;
    assert_eq!(
        second_step(app, &c, json!({"code": code})).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

async fn a_recovery_code_works_once(app: &TestApp) {
    let (_, codes) = enrol(app, "p1").await;
    let (_, _, c) = login(app, "p1").await;
    // Typed in capitals without its dash: still the code.
    let typed = codes[3].replace('-', "").to_uppercase();
    let (status, body) = second_step(app, &c, json!({"recovery_code": typed})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let csrf = body["csrf_token"].as_str().unwrap().to_owned();
    let res = c.get(app.url("/api/v1/account/two-step")).send().await.unwrap();
    let status: Value = res.json().await.unwrap();
    assert_eq!(status["recovery_codes_left"], 9, "{status}");
    let (_, _, c2) = login(app, "p1").await;
    let (status, body) = second_step(app, &c2, json!({"recovery_code": codes[3]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "recovery_code");
    // Its use is audited.
    let events = app.store.audit_events(app.people.clinic_a, None, 50).await.unwrap();
    assert!(events.iter().any(|e| e.action == "use"
        && e.resource == "recovery_code"
        && e.outcome == "success"
        && e.actor_id == Some(app.people.p1)));
    // New codes (with the password) replace the old ones.
    let (status, body) = post(
        app,
        &c,
        &csrf,
        "/api/v1/account/two-step/recovery-codes",
        json!({"password": PASSWORD}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, _, c3) = login(app, "p1").await;
    assert_eq!(
        second_step(app, &c3, json!({"recovery_code": codes[4]})).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let fresh = body["recovery_codes"][0].as_str().unwrap();
    assert_eq!(second_step(app, &c3, json!({"recovery_code": fresh})).await.0, StatusCode::OK);
}

async fn five_wrong_codes_end_the_pending_sign_in(app: &TestApp) {
    let (secret, _) = enrol(app, "p2").await;
    let (_, _, c) = login(app, "p2").await;
    let now = app.clock.now();
    for _ in 0..4 {
        let (status, _) = second_step(app, &c, json!({"code": wrong_code(&secret, now)})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, body) = second_step(app, &c, json!({"code": wrong_code(&secret, now)})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("sign in again"), "{body}");
    // Even the right code no longer helps: the password is needed again.
    let (status, _) = second_step(app, &c, json!({"code": code_at(&secret, now)})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(me(app, &c).await, StatusCode::UNAUTHORIZED);
    let (_, _, c) = login(app, "p2").await;
    assert_eq!(
        second_step(app, &c, json!({"code": code_at(&secret, now)})).await.0,
        StatusCode::OK
    );
}

async fn a_pending_sign_in_lasts_five_minutes(app: &TestApp) {
    let (secret, _) = enrol(app, "p1").await;
    let (status, _, c) = login(app, "p1").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    app.clock.advance(Duration::minutes(5));
    let code = code_at(&secret, app.clock.now());
    assert_eq!(second_step(app, &c, json!({"code": code})).await.0, StatusCode::FORBIDDEN);
    // Without the pending cookie there is nothing to finish.
    let (status, _) = second_step(app, &app.client(), json!({"code": code})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn the_clinic_rule_makes_staff_enrol_but_not_patients(app: &TestApp) {
    let p = &app.people;
    let c1_token = app.token_for(p.c1).await;
    // The admin turns the rule on; they must have a second step themselves first.
    let (admin, csrf) = app.login(&email_of("admin")).await;
    let put = |c: &Client, csrf: &str, on: bool| {
        c.put(app.url("/api/v1/clinic/two-step"))
            .header("x-csrf-token", csrf)
            .json(&json!({"staff_must_use_two_step": on}))
    };
    let res = put(&admin, &csrf, true).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(!app.store.clinic_staff_two_step(p.clinic_a).await.unwrap());
    let (admin_secret, _) = enrol(app, "admin").await;
    let (admin, csrf) = {
        let (_, _, c) = login(app, "admin").await;
        let (s, body) =
            second_step(app, &c, json!({"code": code_at(&admin_secret, app.clock.now())})).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        (c, body["csrf_token"].as_str().unwrap().to_owned())
    };
    let res = put(&admin, &csrf, true).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(app.store.clinic_staff_two_step(p.clinic_a).await.unwrap());
    let events = app.store.audit_events(p.clinic_a, None, 20).await.unwrap();
    assert!(events.iter().any(|e| e.action == "update"
        && e.resource == "clinic_two_step"
        && e.outcome == "success"));

    // A clinician without a second step: refused with what to do, by password and by token.
    let (status, body, _) = login(app, "c1").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("set it up"), "{body}");
    let res = app.client().get(app.url("/api/v1/me")).bearer_auth(&c1_token).send().await;
    assert_eq!(res.unwrap().status(), StatusCode::FORBIDDEN);
    // A clinician signed in before the rule was turned on is sent to sign in again, and the
    // sign-in page opens for them (it leads to the set-up).
    let res = app.client().get(app.url("/caseload")).bearer_auth(&c1_token).send().await;
    let res = res.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/login");
    let res = app.client().get(app.url("/login")).bearer_auth(&c1_token).send().await;
    assert_eq!(res.unwrap().status(), StatusCode::OK);
    // A patient of the same clinic is not asked.
    assert_eq!(login(app, "p1").await.0, StatusCode::OK);
    // Another clinic's clinician neither.
    assert_eq!(login(app, "xc").await.0, StatusCode::OK);

    // On the web page the password leads to setting up the app, and then to the session.
    let c = app.client();
    let res = c
        .post(app.url("/login"))
        .form(&[("email", email_of("c1")), ("password", PASSWORD.to_owned())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/login/two-step/setup");
    let cookie = res.headers()[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("physio_pending="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    // Pages other than the setup are closed until then.
    let res = c.get(app.url("/caseload")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = c.get(app.url("/login/two-step/setup")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<svg"), "the QR code is drawn on the page");
    let start = html.find("<code class=\"secret\">").unwrap() + "<code class=\"secret\">".len();
    let secret: String =
        html[start..].split('<').next().unwrap().chars().filter(|c| *c != ' ').collect();
    let now = app.clock.now();
    let res = c
        .post(app.url("/login/two-step/setup"))
        .form(&[("code", wrong_code(&secret, now))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = c
        .post(app.url("/login/two-step/setup"))
        .form(&[("code", code_at(&secret, now))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains("Save your recovery codes"), "{page}");
    assert_eq!(page.matches("<li><code>").count(), 10);
    assert_eq!(me(app, &c).await, StatusCode::OK);
    // Enrolled now, the clinician's token works again.
    let res = app.client().get(app.url("/api/v1/me")).bearer_auth(&c1_token).send().await;
    assert_eq!(res.unwrap().status(), StatusCode::OK);
    // And turning the only second step off is refused while the clinic requires one.
    let (_, _, c) = login(app, "c1").await;
    app.clock.advance(Duration::seconds(30));
    let (_, body) = second_step(app, &c, json!({"code": code_at(&secret, app.clock.now())})).await;
    let csrf = body["csrf_token"].as_str().unwrap();
    let (status, _) =
        post(app, &c, csrf, "/api/v1/account/two-step/app/off", json!({"password": PASSWORD}))
            .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

async fn a_new_clinic_requires_two_step_of_staff(app: &TestApp) {
    let now = app.clock.now();
    let clinic =
        physio_server::care::operator::add_clinic(&app.store, "Fresh Clinic", now).await.unwrap();
    assert!(app.store.clinic_staff_two_step(clinic.id).await.unwrap());
    // The seeded clinics predate the rule, like clinics of an installation being upgraded.
    assert!(!app.store.clinic_staff_two_step(app.people.clinic_a).await.unwrap());
}

async fn turning_the_app_off_needs_the_password(app: &TestApp) {
    let (secret, _) = enrol(app, "p1").await;
    let (_, _, c) = login(app, "p1").await;
    let (_, body) = second_step(app, &c, json!({"code": code_at(&secret, app.clock.now())})).await;
    let csrf = body["csrf_token"].as_str().unwrap();
    let path = "/api/v1/account/two-step/app/off";
    let (status, body) = post(app, &c, csrf, path, json!({"password": "not my password"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "password");
    let (status, _) = post(app, &c, csrf, path, json!({"password": PASSWORD})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(login(app, "p1").await.0, StatusCode::OK);
    let events = app.store.audit_events(app.people.clinic_a, None, 20).await.unwrap();
    assert!(events.iter().any(|e| e.action == "disable" && e.outcome == "success"));
    assert!(events.iter().any(|e| e.action == "disable" && e.outcome == "invalid"));
}

async fn the_pages_ask_for_the_code_after_the_password(app: &TestApp) {
    let (secret, _) = enrol(app, "p1").await;
    let c = app.client();
    let res = c
        .post(app.url("/login"))
        .form(&[("email", email_of("p1")), ("password", PASSWORD.to_owned())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/login/two-step");
    let html = c.get(app.url("/login/two-step")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("6-digit code") && html.contains("recovery code"), "{html}");
    let now = app.clock.now();
    let res = c
        .post(app.url("/login/two-step"))
        .form(&[("code", wrong_code(&secret, now))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("There is a problem") && html.contains("not right"), "{html}");
    let res = c
        .post(app.url("/login/two-step"))
        .form(&[("code", code_at(&secret, now))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/home");
    assert_eq!(c.get(app.url("/home")).send().await.unwrap().status(), StatusCode::OK);
    // The account page shows the app as on.
    let html = c.get(app.url("/account/two-step")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Authenticator app: on"), "{html}");
}
