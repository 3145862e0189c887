//! Bad input gets a clear 4xx in one JSON shape and changes nothing; docs and probes answer.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    both_backends,
    helpers::{TestApp, email_of},
};

both_backends!(bad_input_is_a_clear_4xx_and_writes_nothing, docs_health_and_metrics_answer);

/// Sends `body` as the admin and returns status and parsed error.
async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Option<(&str, String)>,
) -> (StatusCode, Value) {
    let token = app.token_for(app.people.admin).await;
    let mut r = reqwest::Client::new().request(method, app.url(path)).bearer_auth(token);
    if let Some((ct, b)) = body {
        r = r.header("content-type", ct).body(b);
    }
    let res = r.send().await.unwrap();
    let status = res.status();
    let v: Value = res.json().await.unwrap_or(Value::Null);
    (status, v)
}

fn user(extra: Value) -> String {
    let mut base = json!({"email": "new@x.test", "name": "New Person", "role": "patient", "password": "kettle orbit saffron ladder"});
    for (k, v) in extra.as_object().unwrap() {
        base[k] = v.clone();
    }
    base.to_string()
}

async fn bad_input_is_a_clear_4xx_and_writes_nothing(app: &TestApp) {
    use reqwest::Method as M;
    let j = "application/json";
    let users_before = app.store.users(app.people.clinic_a, None).await.unwrap().len();
    type Case<'a> = (M, String, Option<(&'a str, String)>, u16, &'a str);
    let cases: Vec<Case> = vec![
        (M::POST, "/api/v1/users".into(), Some((j, "{\"email\": ".into())), 400, "not valid JSON"),
        (M::POST, "/api/v1/users".into(), Some((j, user(json!({"name": 42})))), 400, "name"),
        (
            M::POST,
            "/api/v1/users".into(),
            Some((j, user(json!({"role": "surgeon"})))),
            400,
            "unknown variant",
        ),
        (
            M::POST,
            "/api/v1/users".into(),
            Some((j, user(json!({"shoe_size": 9})))),
            400,
            "unknown field",
        ),
        (
            M::POST,
            "/api/v1/users".into(),
            Some(("text/plain", user(json!({})))),
            415,
            "application/json",
        ),
        (
            M::POST,
            "/api/v1/users".into(),
            Some((j, user(json!({"email": "not-an-email"})))),
            422,
            "e-mail",
        ),
        (
            M::POST,
            "/api/v1/users".into(),
            Some((j, user(json!({"password": "short"})))),
            422,
            "12 characters",
        ),
        (
            M::POST,
            "/api/v1/users".into(),
            Some((j, user(json!({"role": "clinician"})))),
            422,
            "licence",
        ),
        (
            M::POST,
            "/api/v1/users".into(),
            Some((j, user(json!({"date_of_birth": "2099-01-01"})))),
            422,
            "past",
        ),
        (
            M::POST,
            "/api/v1/users".into(),
            Some((j, user(json!({"date_of_birth": "12/03/1960"})))),
            400,
            "date",
        ),
        (
            M::POST,
            "/api/v1/users".into(),
            Some((j, user(json!({"email": email_of("c1").to_uppercase()})))),
            409,
            "already exists",
        ),
        (
            M::POST,
            "/api/v1/users".into(),
            Some((j, format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024)))),
            413,
            "too large",
        ),
        (M::GET, "/api/v1/patients/not-a-uuid".into(), None, 400, "patient_id"),
        (M::GET, "/api/v1/patients?clinician_id=nope".into(), None, 400, "clinician_id"),
        (M::GET, "/api/v1/users?role=surgeon".into(), None, 400, "role"),
        (M::GET, "/api/v1/no-such-thing".into(), None, 404, "not found"),
        (
            M::PUT,
            format!("/api/v1/patients/{}/care-team", app.people.p1),
            Some((j, json!({"clinician_ids": [app.people.xc]}).to_string())),
            422,
            "only active clinicians of this clinic",
        ),
        (
            M::PUT,
            format!("/api/v1/patients/{}/care-team", app.people.p1),
            Some((j, json!({"clinician_ids": []}).to_string())),
            422,
            "at least one",
        ),
        (
            M::PATCH,
            format!("/api/v1/users/{}", app.people.c1),
            Some((j, json!({"active": "no"}).to_string())),
            400,
            "active",
        ),
    ];
    let mut failures = vec![];
    for (method, path, body, want, words) in cases {
        let label = format!(
            "{method} {path} {:?}",
            body.as_ref().map(|b| b.1.chars().take(60).collect::<String>())
        );
        let (status, v) = send(app, method, &path, body).await;
        let message = v["error"]["message"].as_str().unwrap_or("").to_owned();
        if status.as_u16() != want || v["error"]["status"] != want || !message.contains(words) {
            failures.push(format!("{label}: got {status} {v}, wanted {want} mentioning {words:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(app.store.users(app.people.clinic_a, None).await.unwrap().len(), users_before);
    let team = app.store.care_teams(app.people.clinic_a, Some(app.people.p1)).await.unwrap();
    assert_eq!(team.iter().map(|m| m.clinician_id).collect::<Vec<_>>(), vec![app.people.c1]);
    assert!(app.store.user(app.people.c1).await.unwrap().active);

    // A page form filled in wrongly gets an error page in the site's layout naming the field
    // (not axum's plain text), and writes nothing.
    let (c, csrf) = app.login(&email_of("c1")).await;
    let path = format!("/patients/{}/references", app.people.p1);
    let body = [("csrf_token", csrf.as_str()), ("exercise", "deep-squat"), ("session_id", "nope")];
    let res = c.post(app.url(&path)).form(&body).send().await.unwrap();
    assert_eq!(res.status(), 400);
    let html = res.text().await.unwrap();
    assert!(html.contains("This did not work") && html.contains("session_id"), "{html}");
    // With the signed-in clinician's navigation, as on every other page.
    assert!(html.contains("My patients") && html.contains("Sign out"), "{html}");
    let references = app.store.exercise_references(app.people.clinic_a, app.people.p1).await;
    assert!(references.unwrap().is_empty());
}

async fn docs_health_and_metrics_answer(app: &TestApp) {
    let c = reqwest::Client::new();
    let doc: Value =
        c.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    for path in
        ["/api/v1/patients", "/api/v1/patients/{patient_id}", "/api/v1/users", "/api/v1/auth/login"]
    {
        assert!(doc["paths"].get(path).is_some(), "{path} missing from the OpenAPI document");
    }
    let docs = c.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(docs.text().await.unwrap().contains("swagger"), "docs page served locally");
    assert_eq!(c.get(app.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(c.get(app.url("/readyz")).send().await.unwrap().status(), StatusCode::OK);
    // Metrics need the metrics token or the private address: hardening.rs.
    let metrics = c.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(metrics.status(), StatusCode::NOT_FOUND);
}
