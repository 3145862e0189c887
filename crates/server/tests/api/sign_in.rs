//! Sign-in limits without lockout (docs/sign-in.md): only failures use up a source's allowance;
//! behind a trusted proxy each client is its own source; an unknown e-mail address is answered
//! exactly like a known one; an attacker elsewhere never keeps the owner out; refusals add a
//! bounded number of audit records; only a valid bearer token skips the CSRF check.
//! Time moves through the injected clock; nothing sleeps.

use std::net::IpAddr;

use physio_server::Config;
use reqwest::{Client, StatusCode, header, redirect::Policy};
use serde_json::{Value, json};
use time::Duration;

use crate::helpers::{Backend, PASSWORD, START, TestApp, email_of};

/// One SQLite and one PostgreSQL test per function taking the backend (for tests that need a
/// configuration of their own).
macro_rules! per_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name($crate::helpers::Backend::Sqlite).await;
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name($crate::helpers::Backend::Postgres).await;
            })*
        }
    };
}

per_backend!(
    successes_never_use_up_the_address_allowance,
    a_trusted_proxy_forwards_each_clients_address,
    unknown_and_known_addresses_are_answered_alike,
    an_attacker_elsewhere_never_keeps_the_owner_out,
    a_thousand_refusals_add_a_bounded_number_of_audit_records,
    requests_without_credentials_are_counted_not_recorded_one_by_one,
    only_a_valid_bearer_token_skips_the_csrf_check,
    the_sign_in_page_says_how_long_to_wait,
);

/// The proxy in front of the server, as the tests reach it.
const PROXY: &str = "127.0.0.1";

fn behind_proxy(c: &mut Config) {
    c.proxies.nets = physio_server::proxy::TrustedProxies::parse_list(PROXY).unwrap();
}

/// A client connecting from `local` (any 127.0.0.0/8 address reaches the server).
fn client_from(local: &str) -> Client {
    let ip: IpAddr = local.parse().unwrap();
    Client::builder().local_address(ip).redirect(Policy::none()).build().unwrap()
}

/// What one sign-in answered: status, body, `Retry-After`.
type Answer = (StatusCode, Value, Option<String>);

async fn sign_in(
    app: &TestApp,
    client: &Client,
    email: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> Answer {
    let mut req = client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}));
    if let Some(f) = forwarded_for {
        req = req.header("x-forwarded-for", f);
    }
    let res = req.send().await.unwrap();
    let retry = res.headers().get(header::RETRY_AFTER).map(|v| v.to_str().unwrap().to_owned());
    (res.status(), res.json().await.unwrap_or(Value::Null), retry)
}

fn message(a: &Answer) -> &str {
    a.1["error"]["message"].as_str().unwrap_or("")
}

async fn successes_never_use_up_the_address_allowance(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else { return };
    let c = client_from("127.0.0.1");
    // A busy morning at a clinic whose staff all reach the server from one address.
    for i in 0..35 {
        let a = sign_in(&app, &c, &email_of(["c1", "c2", "admin"][i % 3]), PASSWORD, None).await;
        assert_eq!(a.0, StatusCode::OK, "sign-in {i}: {:?}", a.1);
    }
    // Failures are what count: 30 of them (each with a different address) are answered...
    for i in 0..30 {
        let a = sign_in(&app, &c, &format!("typo{i}@test.physio"), "x", None).await;
        assert_eq!(a.0, StatusCode::UNPROCESSABLE_ENTITY, "failure {i}: {:?}", a.1);
    }
    // ...and then the address must wait, whoever tries.
    let a = sign_in(&app, &c, &email_of("c1"), PASSWORD, None).await;
    assert_eq!(a.0, StatusCode::TOO_MANY_REQUESTS, "{:?}", a.1);
    assert!(message(&a).contains("internet connection"), "{:?}", a.1);
    assert_eq!(a.2.as_deref(), Some("300"));
    // Another address is not affected.
    let a = sign_in(&app, &client_from("127.0.0.2"), &email_of("c1"), PASSWORD, None).await;
    assert_eq!(a.0, StatusCode::OK, "{:?}", a.1);
    app.clock.advance(Duration::minutes(5));
    assert_eq!(sign_in(&app, &c, &email_of("c1"), PASSWORD, None).await.0, StatusCode::OK);
}

async fn a_trusted_proxy_forwards_each_clients_address(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, behind_proxy).await else { return };
    let proxy = client_from(PROXY);
    // 31 and more sign-ins through the proxy, each from its own client: all succeed.
    for i in 1..=40 {
        let a =
            sign_in(&app, &proxy, &email_of("c1"), PASSWORD, Some(&format!("203.0.113.{i}"))).await;
        assert_eq!(a.0, StatusCode::OK, "sign-in {i}: {:?}", a.1);
    }
    // One client's failures make that client wait, not the others behind the same proxy.
    let guesser = Some("198.51.100.7, 127.0.0.1");
    for i in 0..30 {
        let a = sign_in(&app, &proxy, &format!("typo{i}@test.physio"), "x", guesser).await;
        assert_eq!(a.0, StatusCode::UNPROCESSABLE_ENTITY, "failure {i}: {:?}", a.1);
    }
    assert_eq!(
        sign_in(&app, &proxy, &email_of("c2"), PASSWORD, guesser).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    let a = sign_in(&app, &proxy, &email_of("c2"), PASSWORD, Some("198.51.100.8")).await;
    assert_eq!(a.0, StatusCode::OK, "{:?}", a.1);
    // A client that forges the header in front of the proxy gains nothing: the proxy appends
    // the address it saw, and that is the one believed.
    let forged = Some("203.0.113.99, 198.51.100.7");
    assert_eq!(
        sign_in(&app, &proxy, &email_of("c2"), PASSWORD, forged).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    // A peer that is not a trusted proxy is not believed either: its own address counts.
    let stranger = client_from("127.0.0.3");
    for i in 0..30 {
        let xff = format!("192.0.2.{i}");
        let a = sign_in(&app, &stranger, &format!("guess{i}@test.physio"), "x", Some(&xff)).await;
        assert_eq!(a.0, StatusCode::UNPROCESSABLE_ENTITY, "failure {i}: {:?}", a.1);
    }
    let a = sign_in(&app, &stranger, &email_of("c1"), PASSWORD, Some("192.0.2.200")).await;
    assert_eq!(a.0, StatusCode::TOO_MANY_REQUESTS, "{:?}", a.1);
}

async fn unknown_and_known_addresses_are_answered_alike(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else { return };
    let c = client_from("127.0.0.1");
    // The same attempts, at the same moments, for an account that exists and one that does not.
    let mut answers: Vec<Vec<Answer>> = vec![];
    for email in [email_of("c1"), "nobody@test.physio".to_owned()] {
        let mut seen = vec![];
        for _ in 0..6 {
            seen.push(sign_in(&app, &c, &email, "wrong password", None).await);
        }
        // Waiting out the wait allows one more try; then the wait doubles.
        app.clock.advance(Duration::seconds(1));
        seen.push(sign_in(&app, &c, &email, "wrong password", None).await);
        seen.push(sign_in(&app, &c, &email, "wrong password", None).await);
        // Even the right password waits its turn (for the unknown address, any password).
        seen.push(sign_in(&app, &c, &email, PASSWORD, None).await);
        app.clock.advance(Duration::seconds(2));
        seen.push(sign_in(&app, &c, &email, "wrong password", None).await);
        seen.push(sign_in(&app, &c, &email, "wrong password", None).await);
        answers.push(seen);
    }
    let statuses: Vec<u16> = answers[0].iter().map(|a| a.0.as_u16()).collect();
    assert_eq!(statuses, [422, 422, 422, 422, 422, 429, 422, 429, 429, 422, 429]);
    assert_eq!(answers[0], answers[1], "a known and an unknown address must be answered alike");
    assert_eq!(answers[0][5].2.as_deref(), Some("1"));
    assert_eq!(answers[0][7].2.as_deref(), Some("2"));
    assert_eq!(answers[0][10].2.as_deref(), Some("4"));
    assert_eq!(
        message(&answers[0][10]),
        "too many tries with this e-mail address; please wait 4 seconds, then try again"
    );
    assert!(answers[0].iter().all(|a| !message(a).contains("lock")));
    // The owner, once the wait is over, signs in; and that forgets the count.
    app.clock.advance(Duration::seconds(4));
    assert_eq!(sign_in(&app, &c, &email_of("c1"), PASSWORD, None).await.0, StatusCode::OK);
    for i in 0..5 {
        let a = sign_in(&app, &c, &email_of("c1"), "wrong password", None).await;
        assert_eq!(a.0, StatusCode::UNPROCESSABLE_ENTITY, "after the success, failure {i}");
    }
    // A count left alone for a day is forgotten.
    app.clock.advance(Duration::hours(24));
    for i in 0..5 {
        let a = sign_in(&app, &c, "nobody@test.physio", "wrong password", None).await;
        assert_eq!(a.0, StatusCode::UNPROCESSABLE_ENTITY, "a day later, failure {i}");
    }
}

async fn an_attacker_elsewhere_never_keeps_the_owner_out(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, behind_proxy).await else { return };
    let proxy = client_from(PROXY);
    let attacker = Some("203.0.113.66");
    let owner = Some("198.51.100.7");
    let mut statuses = vec![];
    for _ in 0..25 {
        app.clock.advance(Duration::seconds(3));
        statuses.push(sign_in(&app, &proxy, &email_of("c1"), "guess", attacker).await.0.as_u16());
    }
    // 5 free guesses, then only as the doubling waits (1, 2, 4, 8, 16 s) allow: 10 in 75 s.
    assert_eq!(statuses.iter().filter(|s| **s == 422).count(), 10, "{statuses:?}");
    assert_eq!(statuses.last(), Some(&429));
    // The owner, from their own address, signs in at once, while the attacker must still wait.
    let a = sign_in(&app, &proxy, &email_of("c1"), PASSWORD, owner).await;
    assert_eq!(a.0, StatusCode::OK, "{:?}", a.1);
    assert_eq!(
        sign_in(&app, &proxy, &email_of("c1"), PASSWORD, attacker).await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The same without a proxy: the attacker at one address, the owner at another.
    let Some(app) = TestApp::spawn(backend).await else { return };
    let attacker = client_from("127.0.0.5");
    for _ in 0..10 {
        sign_in(&app, &attacker, &email_of("p1"), "guess", None).await;
    }
    let a = sign_in(&app, &attacker, &email_of("p1"), "guess", None).await;
    assert_eq!(a.0, StatusCode::TOO_MANY_REQUESTS, "{:?}", a.1);
    let a = sign_in(&app, &client_from("127.0.0.1"), &email_of("p1"), PASSWORD, None).await;
    assert_eq!(a.0, StatusCode::OK, "{:?}", a.1);
}

/// Audit records from `from` on (sequence numbers start at 1).
async fn audit_since(app: &TestApp, from: i64) -> Vec<physio_store::AuditEvent> {
    app.store.audit_range(from, 100_000).await.unwrap()
}

async fn next_seq(app: &TestApp) -> i64 {
    audit_since(app, 1).await.last().map_or(1, |e| e.seq + 1)
}

async fn a_thousand_refusals_add_a_bounded_number_of_audit_records(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else { return };
    let c = client_from("127.0.0.1");
    // Each success is still one record of its own.
    let first = next_seq(&app).await;
    for _ in 0..3 {
        assert_eq!(sign_in(&app, &c, &email_of("c2"), PASSWORD, None).await.0, StatusCode::OK);
    }
    let successes = audit_since(&app, first).await;
    assert_eq!(successes.len(), 3);
    assert!(successes.iter().all(|e| e.action == "login" && e.outcome == "success"));
    assert!(successes.iter().all(|e| e.actor_id == Some(app.people.c2)));

    let first = next_seq(&app).await;
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for round in 0..100 {
        let attempts = (0..10).map(|i| {
            let email =
                if i % 2 == 0 { email_of("c1") } else { format!("x{round}-{i}@test.physio") };
            let c = c.clone();
            let app = &app;
            async move { sign_in(app, &c, &email, "wrong", None).await.0.as_u16() }
        });
        for s in futures_util::future::join_all(attempts).await {
            *statuses.entry(s).or_default() += 1;
        }
    }
    assert_eq!(statuses.values().sum::<usize>(), 1000);
    assert_eq!(statuses.keys().copied().collect::<Vec<_>>(), [422, 429], "{statuses:?}");
    let added = audit_since(&app, first).await;
    // One record per kind (wrong password, unknown address, throttled) for this source and
    // window; the numbers are in the counts.
    assert!(added.len() <= 3, "{} audit records for 1,000 refusals: {added:?}", added.len());
    let mut kinds: Vec<_> = added.iter().map(|e| (e.action.as_str(), e.outcome.as_str())).collect();
    kinds.sort_unstable();
    assert_eq!(kinds, [("login", "denied"), ("login", "failed"), ("login", "not_found")]);
    let counts = app.store.refusal_counts(START).await.unwrap();
    assert!(counts.iter().all(|r| r.source == "127.0.0.1"), "{counts:?}");
    assert_eq!(counts.iter().map(|r| r.refusals).sum::<i64>(), 1000, "{counts:?}");
    assert_eq!(app.store.verify_audit().await.unwrap().first_break, None);

    // The next window starts new counts, with one new record each.
    app.clock.advance(Duration::minutes(5));
    let first = next_seq(&app).await;
    for _ in 0..3 {
        sign_in(&app, &c, "again@test.physio", "wrong", None).await;
    }
    assert_eq!(audit_since(&app, first).await.len(), 1);
}

async fn requests_without_credentials_are_counted_not_recorded_one_by_one(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else { return };
    let first = next_seq(&app).await;
    let c = client_from("127.0.0.1");
    for i in 0..300 {
        let req = match i % 3 {
            0 => c.get(app.url("/api/v1/me")),
            1 => c.get(app.url("/api/v1/me")).bearer_auth("phy_not-a-token"),
            _ => c.get(app.url("/api/v1/me")).header(header::COOKIE, "physio_session=stale"),
        };
        assert_eq!(req.send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
    let added = audit_since(&app, first).await;
    assert_eq!(added.len(), 1, "{added:?}");
    assert_eq!((added[0].action.as_str(), added[0].outcome.as_str()), ("authenticate", "denied"));
    assert_eq!(added[0].actor_id, None);
    let counts = app.store.refusal_counts(START).await.unwrap();
    let unauthenticated: Vec<_> = counts.iter().filter(|r| r.kind == "unauthenticated").collect();
    assert_eq!(unauthenticated.len(), 1);
    assert_eq!(unauthenticated[0].refusals, 300);
    assert_eq!(app.store.verify_audit().await.unwrap().first_break, None);
}

async fn only_a_valid_bearer_token_skips_the_csrf_check(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else { return };
    let (c, csrf) = app.login(&email_of("c1")).await;
    let create = |auth: Option<String>, csrf: Option<&str>| {
        let mut r = c.post(app.url("/api/v1/tokens")).json(&json!({"name": "t"}));
        if let Some(a) = auth {
            r = r.header(header::AUTHORIZATION, a);
        }
        if let Some(t) = csrf {
            r = r.header("x-csrf-token", t);
        }
        r.send()
    };
    let first = next_seq(&app).await;
    // The cookie rides along; an Authorization header that proves nothing changes nothing.
    for auth in ["Basic eDp4", "Bearer phy_not-a-token", "Bearer", "Digest x"] {
        let res = create(Some(auth.to_owned()), None).await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{auth}");
        let body: Value = res.json().await.unwrap();
        assert!(body["error"]["message"].as_str().unwrap().contains("CSRF"), "{auth}: {body}");
    }
    let token = app.token_for(app.people.c1).await;
    // A valid API token is the caller's credential, cookie or not: the CSRF check lets it
    // through, and the token rule then answers (no token may create tokens).
    let res = create(Some(format!("Bearer {token}")), None).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body: Value = res.json().await.unwrap();
    let message = body["error"]["message"].as_str().unwrap();
    assert!(!message.contains("CSRF") && message.contains("sign in to manage"), "{body}");
    assert_eq!(create(None, Some(&csrf)).await.unwrap().status(), StatusCode::CREATED);
    // Without a cookie, a token that is not valid is simply not signed in.
    let res = client_from("127.0.0.1")
        .post(app.url("/api/v1/tokens"))
        .bearer_auth("phy_not-a-token")
        .json(&json!({"name": "t"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // A foreign origin is refused, and counted, too.
    let res = c
        .post(app.url("/api/v1/tokens"))
        .header("origin", "https://evil.example")
        .header("x-csrf-token", &csrf)
        .json(&json!({"name": "t"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let added = audit_since(&app, first).await;
    let refusals: Vec<_> =
        added.iter().filter(|e| e.outcome == "denied").map(|e| e.action.as_str()).collect();
    assert_eq!(refusals, ["csrf_check", "create", "authenticate", "origin_check"], "{added:?}");
    let counts = app.store.refusal_counts(START).await.unwrap();
    let count = |kind: &str| counts.iter().find(|r| r.kind == kind).map_or(0, |r| r.refusals);
    assert_eq!((count("csrf"), count("unauthenticated"), count("foreign_origin")), (4, 1, 1));
}

async fn the_sign_in_page_says_how_long_to_wait(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else { return };
    let c = client_from("127.0.0.1");
    let post = |password: &'static str| {
        c.post(app.url("/login"))
            .form(&[("email", "nobody@test.physio"), ("password", password)])
            .send()
    };
    for _ in 0..5 {
        let page = post("wrong").await.unwrap().text().await.unwrap();
        assert!(page.contains("The e-mail address or password is incorrect"), "{page}");
    }
    let res = post("wrong").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains(
            "Too many tries with this e-mail address; please wait 1 second, then try again."
        ),
        "{page}"
    );
    // What was typed is kept, and nothing says the account is locked.
    assert!(page.contains("value=\"nobody@test.physio\""), "{page}");
    assert!(!page.to_lowercase().contains("lock"), "{page}");
}
