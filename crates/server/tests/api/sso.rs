//! Single sign-on (docs/sso.md), the parts that need no provider: the clinic's settings through
//! the API (checked field by field, the secret never shown back, one clinic per domain) and the
//! callback's refusals (no state, a state from another browser, a state used twice, the
//! provider's own error, a provider that cannot be reached), each a clear page and an audit
//! record. The whole flow against a real provider is the browser test `web/tests/sso.test.mjs`.

use physio_server::Clock;
use physio_store::{AuditEvent, SsoLogin};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{both_backends, helpers::TestApp};

both_backends!(
    settings_are_checked_field_by_field,
    the_secret_is_never_shown_back,
    a_domain_serves_one_clinic,
    callback_without_the_browsers_state_is_refused,
    a_provider_error_is_refused_and_the_state_works_once,
    an_unreachable_provider_and_an_unknown_domain_are_clear,
);

const SECRET: &str = "s3cret-the-provider-gave-us";

fn good() -> Value {
    json!({
        "issuer": "https://login.clinic-a.example/realms/staff",
        "client_id": "physio",
        "client_secret": SECRET,
        "allowed_domains": ["Clinic-A.example", "@staff.clinic-a.example"],
    })
}

async fn put(app: &TestApp, c: &reqwest::Client, csrf: &str, body: &Value) -> (StatusCode, Value) {
    let res = app
        .req(c, Method::PUT, "/api/v1/clinic/sso")
        .header("x-csrf-token", csrf)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn get(app: &TestApp, c: &reqwest::Client) -> Value {
    let res = app.req(c, Method::GET, "/api/v1/clinic/sso").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// Audit records from `seq` on with this action.
async fn sso_audits(app: &TestApp, after: i64) -> Vec<AuditEvent> {
    let all = app.store.audit_range(after + 1, 1000).await.unwrap();
    all.into_iter().filter(|e| e.action == "login_sso").collect()
}

async fn last_seq(app: &TestApp) -> i64 {
    app.store.audit_range(i64::MIN, 100_000).await.unwrap().last().map_or(0, |e| e.seq)
}

async fn settings_are_checked_field_by_field(app: &TestApp) {
    let (c, csrf) = app.login(&crate::helpers::email_of("admin")).await;
    let with = |field: &str, value: Value| {
        let mut b = good();
        b[field] = value;
        b
    };
    for (body, field) in [
        (with("issuer", json!("not a url")), "issuer"),
        (with("issuer", json!("ftp://login.clinic-a.example")), "issuer"),
        // Plain HTTP only on this machine's loopback address.
        (with("issuer", json!("http://login.clinic-a.example")), "issuer"),
        (with("issuer", json!("https://login.clinic-a.example/?tenant=1")), "issuer"),
        (with("client_id", json!("  ")), "client_id"),
        (with("client_secret", json!("")), "client_secret"),
        (with("allowed_domains", json!([])), "allowed_domains"),
        (with("allowed_domains", json!(["clinic a.example"])), "allowed_domains"),
        (with("allowed_domains", json!(["localhost"])), "allowed_domains"),
    ] {
        let (status, err) = put(app, &c, &csrf, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(err["error"]["field"], field, "{body}: {err}");
        assert!(err["error"]["message"].as_str().is_some_and(|m| m.len() > 20), "{err}");
    }
    // Nothing was saved by any of them.
    assert_eq!(get(app, &c).await["configured"], false);
    assert_eq!(app.store.sso_config(app.people.clinic_a).await.unwrap(), None);

    let (status, view) = put(app, &c, &csrf, &good()).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["configured"], true);
    assert_eq!(view["allowed_domains"], json!(["clinic-a.example", "staff.clinic-a.example"]));
    assert!(view["redirect_uri"].as_str().unwrap().ends_with("/sso/callback"));
    let link = format!("/sso/{}/start", app.people.clinic_a);
    assert!(view["sign_in_url"].as_str().unwrap().ends_with(&link));
    // A loopback provider over plain HTTP is accepted (a provider on this machine).
    let (status, _) = put(app, &c, &csrf, &with("issuer", json!("http://127.0.0.1:8080"))).await;
    assert_eq!(status, StatusCode::OK);

    // Only the clinic's admins see or change it; the refusal is audited.
    let (cc, ccsrf) = app.login(&crate::helpers::email_of("c1")).await;
    let (status, _) = put(app, &cc, &ccsrf, &good()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let res = app.req(&cc, Method::GET, "/api/v1/clinic/sso").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let events = app.store.audit_events(app.people.clinic_a, None, 500).await.unwrap();
    let of = |action: &str, outcome| {
        events
            .iter()
            .filter(|e| e.resource == "sso_settings" && e.action == action && e.outcome == outcome)
            .count()
    };
    assert_eq!(of("update", "invalid"), 9);
    assert_eq!(of("update", "success"), 2);
    assert_eq!(of("update", "denied"), 1);

    // Turning it off: gone, and a second time there is nothing to turn off.
    let del = |c: &reqwest::Client, csrf: &str| {
        app.req(c, Method::DELETE, "/api/v1/clinic/sso").header("x-csrf-token", csrf).send()
    };
    assert_eq!(del(&cc, &ccsrf).await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(del(&c, &csrf).await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(del(&c, &csrf).await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(get(app, &c).await["configured"], false);
}

async fn the_secret_is_never_shown_back(app: &TestApp) {
    let (c, csrf) = app.login(&crate::helpers::email_of("admin")).await;
    let res = app
        .req(&c, Method::PUT, "/api/v1/clinic/sso")
        .header("x-csrf-token", &csrf)
        .json(&good())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(!res.text().await.unwrap().contains(SECRET));
    let view = get(app, &c).await;
    assert_eq!(view["client_secret_set"], true);
    assert!(!view.to_string().contains(SECRET));
    // Nor on the admin page, whose secret field is always empty.
    let page = app.req(&c, Method::GET, "/admin").send().await.unwrap().text().await.unwrap();
    assert!(page.contains("A secret is saved"));
    assert!(!page.contains(SECRET));
    // A change without a secret keeps the one saved; with one, replaces it.
    let mut body = good();
    body.as_object_mut().unwrap().remove("client_secret");
    body["client_id"] = json!("physio-2");
    let (status, _) = put(app, &c, &csrf, &body).await;
    assert_eq!(status, StatusCode::OK);
    let stored = app.store.sso_config(app.people.clinic_a).await.unwrap().unwrap();
    assert_eq!((stored.client_id.as_str(), stored.client_secret.as_str()), ("physio-2", SECRET));
    // The stored configuration's debug form, which could reach a log, hides it too.
    assert!(!format!("{stored:?}").contains(SECRET));
    body["client_secret"] = json!("a-new-secret");
    put(app, &c, &csrf, &body).await;
    let stored = app.store.sso_config(app.people.clinic_a).await.unwrap().unwrap();
    assert_eq!(stored.client_secret, "a-new-secret");
}

async fn a_domain_serves_one_clinic(app: &TestApp) {
    let (a, acsrf) = app.login(&crate::helpers::email_of("admin")).await;
    assert_eq!(put(app, &a, &acsrf, &good()).await.0, StatusCode::OK);
    let (b, bcsrf) = app.login(&crate::helpers::email_of("xa")).await;
    let mut body = good();
    body["allowed_domains"] = json!(["clinic-b.example", "clinic-a.example"]);
    let (status, err) = put(app, &b, &bcsrf, &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["field"], "allowed_domains");
    assert!(err["error"]["message"].as_str().unwrap().contains("clinic-a.example"), "{err}");
    // Clinic B's own settings are its own: clinic A's admin still sees A's.
    body["allowed_domains"] = json!(["clinic-b.example"]);
    assert_eq!(put(app, &b, &bcsrf, &body).await.0, StatusCode::OK);
    assert_eq!(get(app, &a).await["allowed_domains"][0], "clinic-a.example");
    assert_eq!(get(app, &b).await["allowed_domains"], json!(["clinic-b.example"]));
}

/// Puts a sign-in on its way for clinic A, as `/sso/{clinic}/start` would after discovery.
async fn pending(app: &TestApp, state: &str) {
    let mut tx = app.store.begin().await.unwrap();
    let login = SsoLogin {
        state_hash: physio_server::auth::sha256_hex(state),
        clinic_id: app.people.clinic_a,
        nonce: "n".into(),
        pkce_verifier: "v".repeat(43),
        expires_at: app.clock.now() + time::Duration::minutes(10),
    };
    tx.begin_sso_login(&login, app.clock.now()).await.unwrap();
    tx.commit().await.unwrap();
}

async fn callback_without_the_browsers_state_is_refused(app: &TestApp) {
    let (c, csrf) = app.login(&crate::helpers::email_of("admin")).await;
    put(app, &c, &csrf, &good()).await;
    let before = last_seq(app).await;
    pending(app, "the-real-state").await;
    let anon = app.client();
    // No state at all; the right state but no cookie (another browser); a cookie that differs.
    for (query, cookie) in [
        ("/sso/callback?code=abc", None),
        ("/sso/callback?code=abc&state=the-real-state", None),
        ("/sso/callback?code=abc&state=the-real-state", Some("physio_sso_state=forged")),
    ] {
        let mut req = app.req(&anon, Method::GET, query);
        if let Some(cookie) = cookie {
            req = req.header("cookie", cookie);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{query}");
        assert!(
            res.headers()
                .get("set-cookie")
                .is_none_or(|c| { !c.to_str().unwrap().starts_with("physio_session=") })
        );
        let page = res.text().await.unwrap();
        assert!(page.contains("We could not sign you in"), "{page}");
        assert!(page.contains("run out or was already used"), "{page}");
    }
    let events = sso_audits(app, before).await;
    assert_eq!(events.len(), 3);
    assert!(events.iter().all(|e| e.outcome == "denied" && e.actor_id.is_none()));
    // None of them used up the real sign-in: the browser that began it still can.
    let mut tx = app.store.begin().await.unwrap();
    let hash = physio_server::auth::sha256_hex("the-real-state");
    assert!(tx.take_sso_login(&hash, app.clock.now()).await.unwrap().is_some());
    tx.commit().await.unwrap();
}

async fn a_provider_error_is_refused_and_the_state_works_once(app: &TestApp) {
    let (c, csrf) = app.login(&crate::helpers::email_of("admin")).await;
    put(app, &c, &csrf, &good()).await;
    let before = last_seq(app).await;
    pending(app, "state-2").await;
    let anon = app.client();
    let go = || {
        app.req(&anon, Method::GET, "/sso/callback?error=access_denied&state=state-2")
            .header("cookie", "physio_sso_state=state-2")
            .send()
    };
    let res = go().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let page = res.text().await.unwrap();
    assert!(page.contains("did not let you in (it said: access_denied)"), "{page}");
    // The same state again: already used.
    let res = go().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("run out or was already used"));
    let events = sso_audits(app, before).await;
    assert_eq!(events.len(), 2);
    // The first is known to concern clinic A; the replay is not.
    assert_eq!(events[0].clinic_id, Some(app.people.clinic_a));
    assert_eq!(events[1].clinic_id, None);

    // A sign-in that waited too long at the provider is refused the same way.
    pending(app, "state-3").await;
    app.clock.advance(time::Duration::minutes(11));
    let res = app
        .req(&anon, Method::GET, "/sso/callback?code=abc&state=state-3")
        .header("cookie", "physio_sso_state=state-3")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("run out or was already used"));
}

async fn an_unreachable_provider_and_an_unknown_domain_are_clear(app: &TestApp) {
    let anon = app.client();
    // A clinic without single sign-on.
    let res = app
        .req(&anon, Method::GET, &format!("/sso/{}/start", app.people.clinic_a))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("has not set up sign-in with your organisation"));

    // A provider that is not there (a closed port on this machine).
    let (c, csrf) = app.login(&crate::helpers::email_of("admin")).await;
    let mut body = good();
    body["issuer"] = json!("http://127.0.0.1:9");
    assert_eq!(put(app, &c, &csrf, &body).await.0, StatusCode::OK);
    let before = last_seq(app).await;
    let res =
        app.req(&anon, Method::GET, "/sso/start?email=c1%40clinic-a.example").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_GATEWAY);
    assert!(res.headers().get("location").is_none());
    assert!(res.text().await.unwrap().contains("could not check your sign-in"));
    let events = sso_audits(app, before).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].outcome, "failed");
    assert_eq!(events[0].clinic_id, Some(app.people.clinic_a));

    // An address no clinic signs in with: the form again, saying so; an empty one likewise.
    for (query, words) in [
        (
            "/sso/start?email=someone%40elsewhere.example",
            "No clinic here signs in with addresses at elsewhere.example",
        ),
        ("/sso/start?email=", "Enter your work e-mail address"),
    ] {
        let res = app.req(&anon, Method::GET, query).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = res.text().await.unwrap();
        assert!(page.contains(words), "{page}");
        assert!(page.contains("Work e-mail address"));
    }
    // The sign-in page offers the way in.
    let page = app.req(&anon, Method::GET, "/login").send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"href="/sso""#) && page.contains("Sign in with your organisation"));
}
