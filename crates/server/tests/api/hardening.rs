//! Hardening (docs/hardening.md): API tokens expire, have a scope, cannot mint tokens and are
//! revoked by signing out; NUL characters are refused on both backends; security headers;
//! `/metrics` behind a token or a private address; live-socket limits and deactivation.

use std::time::Duration as StdDuration;

use futures_util::{SinkExt, StreamExt};
use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use time::Duration;
use tokio_tungstenite::tungstenite::Message;

use crate::{
    both_backends,
    helpers::{Backend, TestApp, email_of},
    live::{Socket, next_json, open},
};

both_backends!(
    tokens_expire_and_read_tokens_only_read,
    token_requests_are_validated,
    no_token_creates_or_revokes_tokens,
    token_creation_and_revocation_are_audited,
    signing_out_with_a_token_revokes_it,
    nul_characters_are_refused_with_the_field_named,
    a_message_over_64_kib_closes_the_socket,
    a_third_live_socket_is_refused_with_a_reason,
    deactivating_a_patient_closes_their_live_socket,
    the_tokens_page_lists_creates_and_revokes,
);

/// Creates a token through the API with a signed-in session; returns the response body.
async fn create_token(app: &TestApp, who: &str, body: Value) -> (StatusCode, Value) {
    let (c, csrf) = app.login(&email_of(who)).await;
    let res = c
        .post(app.url("/api/v1/tokens"))
        .header("x-csrf-token", &csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap())
}

async fn tokens_expire_and_read_tokens_only_read(app: &TestApp) {
    let c2 = app.people.c2;
    let (status, read) = create_token(
        app,
        "admin",
        json!({"name": "audit export", "scope": "read", "expires_in_days": 2}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{read}");
    assert_eq!(read["scope"], "read");
    let expires: time::OffsetDateTime = time::OffsetDateTime::parse(
        read["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!(expires, crate::helpers::START + Duration::days(2));
    let (_, write) = create_token(app, "admin", json!({"name": "sync"})).await;
    assert_eq!(write["scope"], "read_write");
    let default_expiry = crate::helpers::START + Duration::days(90);
    assert_eq!(
        write["expires_at"],
        default_expiry.format(&time::format_description::well_known::Rfc3339).unwrap()
    );
    let (read, write) = (read["secret"].as_str().unwrap(), write["secret"].as_str().unwrap());
    let bearer = reqwest::Client::new();
    let get = |t: &str| bearer.get(app.url("/api/v1/users")).bearer_auth(t.to_owned()).send();
    let patch = |t: &str| {
        bearer
            .patch(app.url(&format!("/api/v1/users/{c2}")))
            .bearer_auth(t.to_owned())
            .json(&json!({"active": true}))
            .send()
    };
    assert_eq!(get(read).await.unwrap().status(), StatusCode::OK);
    let refused = patch(read).await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let body: Value = refused.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("\"read\""), "{body}");
    assert_eq!(patch(write).await.unwrap().status(), StatusCode::OK);
    // Two days on, the read token has expired; the other lasts its 90 days.
    app.clock.advance(Duration::days(2));
    assert_eq!(get(read).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(get(write).await.unwrap().status(), StatusCode::OK);
    app.clock.advance(Duration::days(88));
    assert_eq!(get(write).await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

async fn token_requests_are_validated(app: &TestApp) {
    for (body, field) in [
        (json!({"name": "t", "expires_in_days": 0}), "expires_in_days"),
        (json!({"name": "t", "expires_in_days": 366}), "expires_in_days"),
        (json!({"name": "t", "scope": "admin"}), "scope"),
        (json!({"name": "  "}), "name"),
    ] {
        let (status, res) = create_token(app, "c1", body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {res}");
        assert_eq!(res["error"]["field"], field, "{body}: {res}");
    }
    let (status, _) = create_token(app, "c1", json!({"name": "t", "expires_in_days": 365})).await;
    assert_eq!(status, StatusCode::CREATED);
}

async fn no_token_creates_or_revokes_tokens(app: &TestApp) {
    let (_, created) = create_token(app, "c1", json!({"name": "leaky"})).await;
    let secret = created["secret"].as_str().unwrap();
    let id = created["id"].as_str().unwrap();
    let bearer = reqwest::Client::new();
    let res = bearer
        .post(app.url("/api/v1/tokens"))
        .bearer_auth(secret)
        .json(&json!({"name": "successor"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = bearer
        .delete(app.url(&format!("/api/v1/tokens/{id}")))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Only the one token exists, and it still works.
    let tokens = app.store.api_tokens(app.people.c1).await.unwrap();
    assert_eq!(tokens.len(), 1);
    let me = bearer.get(app.url("/api/v1/me")).bearer_auth(secret).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
}

async fn token_creation_and_revocation_are_audited(app: &TestApp) {
    let (c, csrf) = app.login(&email_of("c1")).await;
    let created: Value = c
        .post(app.url("/api/v1/tokens"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"name": "audited"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    let res = c
        .delete(app.url(&format!("/api/v1/tokens/{id}")))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let trail = app.store.audit_events(app.people.clinic_a, None, 20).await.unwrap();
    let of = |action: &str| {
        trail.iter().any(|e| {
            e.action == action
                && e.resource == "api_token"
                && e.outcome == "success"
                && e.actor_id == Some(app.people.c1)
        })
    };
    assert!(of("create"), "{trail:#?}");
    assert!(of("revoke"), "{trail:#?}");
}

async fn signing_out_with_a_token_revokes_it(app: &TestApp) {
    let secret = app.token_for(app.people.p1).await;
    let bearer = reqwest::Client::new();
    let me = || bearer.get(app.url("/api/v1/me")).bearer_auth(&secret).send();
    assert_eq!(me().await.unwrap().status(), StatusCode::OK);
    let out =
        bearer.post(app.url("/api/v1/auth/logout")).bearer_auth(&secret).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(me().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let trail = app.store.audit_events(app.people.clinic_a, None, 5).await.unwrap();
    assert!(trail.iter().any(|e| e.action == "logout" && e.resource == "api_token"), "{trail:#?}");
}

async fn nul_characters_are_refused_with_the_field_named(app: &TestApp) {
    let field_of = |v: &Value| v["error"]["problems"][0]["field"].as_str().unwrap_or("").to_owned();
    let c = app.client();
    // Signing in, with no session.
    let res = c
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "a\u{0}@x.test", "password": "whatever it is"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_of(&res.json().await.unwrap()), "email");
    let res = c
        .post(app.url("/login"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("email=a%00b&password=x")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("email"));
    // A token's name.
    let (status, res) = create_token(app, "c1", json!({"name": "night\u{0}ly"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{res}");
    assert_eq!(field_of(&res), "name");
    // A user's name.
    let (admin, csrf) = app.login(&email_of("admin")).await;
    let res = admin
        .post(app.url("/api/v1/users"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"email": "new@test.physio", "name": "Ann\u{0}", "role": "clinician",
            "password": "a long enough password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_of(&res.json().await.unwrap()), "name");
    // A search, on the API and on the caseload page.
    let (clin, _) = app.login(&email_of("c1")).await;
    let res = clin.get(app.url("/api/v1/patients?q=a%00")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_of(&res.json().await.unwrap()), "q");
    let res = clin.get(app.url("/caseload?q=%00")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing was half-written, and ordinary text still passes.
    assert!(app.store.api_tokens(app.people.c1).await.unwrap().is_empty());
    let res = clin.get(app.url("/api/v1/patients?q=a")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

/// The next thing the socket yields: `None` when it closed (with or without a close frame).
async fn next_or_closed(s: &mut Socket) -> Option<Message> {
    match tokio::time::timeout(StdDuration::from_secs(10), s.next()).await {
        Ok(Some(Ok(Message::Close(_))) | Some(Err(_)) | None) => None,
        Ok(Some(Ok(m))) => Some(m),
        Err(_) => panic!("the socket neither answered nor closed in 10 s"),
    }
}

async fn patient_socket(app: &TestApp) -> (String, Socket) {
    app.prescribe(app.people.p1, app.people.c1, &["deep-squat"]).await;
    let token = app.token_for(app.people.p1).await;
    let mut s = open(app, &token, "exercise=deep-squat", None).await.unwrap();
    assert_eq!(next_json(&mut s).await["type"], "session");
    (token, s)
}

async fn a_message_over_64_kib_closes_the_socket(app: &TestApp) {
    let (token, mut s) = patient_socket(app).await;
    // Within the cap, a malformed frame is answered with an error and the socket stays.
    s.send(Message::Text("x".repeat(60 * 1024).into())).await.unwrap();
    let answer = next_or_closed(&mut s).await.expect("answered, not closed");
    assert!(answer.to_text().unwrap().contains("\"error\""), "{answer:?}");
    let _ = s.send(Message::Text("x".repeat(1024 * 1024).into())).await;
    assert_eq!(next_or_closed(&mut s).await, None);
    // The patient can connect again.
    let mut again = open(app, &token, "exercise=deep-squat", None).await.unwrap();
    assert_eq!(next_json(&mut again).await["type"], "session");
}

async fn a_third_live_socket_is_refused_with_a_reason(app: &TestApp) {
    let (token, _first) = patient_socket(app).await;
    let mut second = open(app, &token, "exercise=deep-squat", None).await.unwrap();
    assert_eq!(next_json(&mut second).await["type"], "session");
    let mut third = open(app, &token, "exercise=deep-squat", None).await.unwrap();
    match third.next().await {
        Some(Ok(Message::Close(Some(f)))) => {
            assert_eq!(u16::from(f.code), 1008);
            assert!(f.reason.contains("2 live sessions"), "{}", f.reason);
        }
        other => panic!("expected a close frame with a reason, got {other:?}"),
    }
    // Closing one frees its place.
    drop(second);
    let mut opened = None;
    for _ in 0..50 {
        let mut s = open(app, &token, "exercise=deep-squat", None).await.unwrap();
        if next_json(&mut s).await["type"] == "session" {
            opened = Some(s);
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    assert!(opened.is_some(), "a place was freed when the second socket closed");
}

async fn deactivating_a_patient_closes_their_live_socket(app: &TestApp) {
    let (_, mut s) = patient_socket(app).await;
    let (admin, csrf) = app.login(&email_of("admin")).await;
    let res = admin
        .patch(app.url(&format!("/api/v1/users/{}", app.people.p1)))
        .header("x-csrf-token", &csrf)
        .json(&json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    match tokio::time::timeout(StdDuration::from_secs(5), s.next()).await {
        Ok(Some(Ok(Message::Close(Some(f))))) => {
            assert!(f.reason.contains("deactivated"), "{}", f.reason)
        }
        other => panic!("expected the socket closed with a reason at once, got {other:?}"),
    }
}

/// Security headers: a strict CSP everywhere but the API explorer; HSTS only over https.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_strict_csp_and_hsts_only_over_https() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let c = app.client();
    for path in ["/login", "/api/v1/me", "/healthz"] {
        let res = c.get(app.url(path)).send().await.unwrap();
        let csp = res.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
        for part in [
            "script-src 'self' 'wasm-unsafe-eval';",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(part), "{path}: {csp}");
        }
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{path}: {csp}");
        assert!(res.headers().get(header::STRICT_TRANSPORT_SECURITY).is_none(), "{path}");
    }
    let docs = c.get(app.url("/api/docs/")).send().await.unwrap();
    let csp = docs.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
    let tls = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.public_url = Some("https://physio.example.org".into());
    })
    .await
    .unwrap();
    let res = c.get(tls.url("/login")).send().await.unwrap();
    assert_eq!(
        res.headers()[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000; includeSubDomains"
    );
}

/// `/metrics` is not public: only with the token, or on the private metrics address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_the_token_or_the_private_address() {
    let plain = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let c = plain.client();
    let res = c.get(plain.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let private = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let app = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.metrics_token = Some("a-scraper-secret-of-some-length".into());
        c.metrics_bind = Some(private);
    })
    .await
    .unwrap();
    let get = |t: Option<&str>| {
        let mut r = c.get(app.url("/metrics"));
        if let Some(t) = t {
            r = r.bearer_auth(t);
        }
        r.send()
    };
    assert_eq!(get(None).await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(get(Some("wrong")).await.unwrap().status(), StatusCode::NOT_FOUND);
    // A user's API token is not the metrics token.
    let user = app.token_for(app.people.admin).await;
    assert_eq!(get(Some(&user)).await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(c.get(app.url("/readyz")).send().await.unwrap().status(), StatusCode::OK);
    let ok = get(Some("a-scraper-secret-of-some-length")).await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let text = ok.text().await.unwrap();
    // Labelled by route template, never by a concrete path.
    let readyz = "physio_http_requests_total{method=\"GET\",route=\"/readyz\",status=\"200\"} 1";
    assert!(text.contains(readyz), "{text}");
    assert!(!text.contains(&app.people.p1.to_string()));
    let mut scraped = None;
    for _ in 0..50 {
        if let Ok(r) = c.get(format!("http://{private}/metrics")).send().await {
            scraped = Some(r);
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    let scraped = scraped.expect("the private metrics address answers");
    assert_eq!(scraped.status(), StatusCode::OK);
    assert!(scraped.text().await.unwrap().contains("physio_live_sessions"));
}

async fn the_tokens_page_lists_creates_and_revokes(app: &TestApp) {
    let (c, csrf) = app.login(&email_of("p1")).await;
    let form = |path: &str, body: String| {
        c.post(app.url(path))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    // A form with a problem comes back with what was typed.
    let res = form("/account/tokens", format!("csrf_token={csrf}&name=&days=180&scope=read_write"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("There is a problem"), "{html}");
    assert!(html.contains(r#"value="180" selected"#), "{html}");
    assert!(app.store.api_tokens(app.people.p1).await.unwrap().is_empty());
    let res =
        form("/account/tokens", format!("csrf_token={csrf}&name=my+export&days=30&scope=read"))
            .await
            .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    let start = html.find("phy_").expect("the new secret is shown once");
    let hex: String = html[start + 4..].chars().take_while(char::is_ascii_hexdigit).collect();
    assert_eq!(hex.len(), 64);
    let secret = format!("phy_{hex}");
    let bearer = reqwest::Client::new();
    let me = || bearer.get(app.url("/api/v1/me")).bearer_auth(&secret).send();
    assert_eq!(me().await.unwrap().status(), StatusCode::OK);
    let listed = c.get(app.url("/account/tokens")).send().await.unwrap().text().await.unwrap();
    assert!(listed.contains("my export") && listed.contains("Read only"), "{listed}");
    assert!(!listed.contains(&secret), "the secret is shown only once");
    let t = &app.store.api_tokens(app.people.p1).await.unwrap()[0];
    assert_eq!(t.expires_at, crate::helpers::START + Duration::days(30));
    let res = form(&format!("/account/tokens/{}/revoke", t.id), format!("csrf_token={csrf}"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(me().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}
