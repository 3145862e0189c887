//! Accounts: changing a password, the sessions list with "sign out everywhere else", reset by
//! e-mail and invitations, with the e-mails received by a real SMTP server (aiosmtpd).

use std::time::Duration as StdDuration;

use physio_server::reminders::SmtpSettings;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::Duration;

use crate::{
    both_backends,
    helpers::{Backend, PASSWORD, TestApp, email_of},
    reminders::{Mail, SmtpServer},
};

const PUBLIC_URL: &str = "https://physio.example";
const NEW_PASSWORD: &str = "kettle orbit saffron ladder";

both_backends!(
    changing_a_password_needs_the_current_one_and_ends_other_sessions,
    the_sessions_list_marks_this_one_and_signs_out_the_others,
    without_email_the_admin_gets_the_link_and_admin_passwords_are_temporary,
);

/// Generates a SQLite and a PostgreSQL test of a function taking the app and its mail server.
macro_rules! with_mail {
    ($($name:ident),* $(,)?) => {
        mod mail {
            mod sqlite {
                $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::super::run_with_mail(super::super::Backend::Sqlite, super::super::$name).await;
                })*
            }
            mod postgres {
                $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::super::run_with_mail(super::super::Backend::Postgres, super::super::$name).await;
                })*
            }
        }
    };
}

with_mail!(
    a_forgotten_password_is_reset_by_email_once,
    a_reset_link_expires_after_30_minutes_and_requests_are_limited,
    an_invited_patient_chooses_a_password_and_signs_in,
);

async fn run_with_mail(backend: Backend, test: impl AsyncFnOnce(&TestApp, &SmtpServer)) {
    let Some(smtp) = SmtpServer::start() else { return };
    let url = smtp.url();
    let app = TestApp::spawn_with(backend, |c| {
        c.public_url = Some(PUBLIC_URL.into());
        c.smtp = Some(SmtpSettings::new(&url, "North Clinic <accounts@clinic.example>").unwrap());
    })
    .await;
    if let Some(app) = app {
        test(&app, &smtp).await;
    }
}

/// Waits (a few seconds at most) for `n` messages, then a little longer for any extra one.
async fn mails(smtp: &SmtpServer, n: usize) -> Vec<Mail> {
    for _ in 0..200 {
        if smtp.messages().len() >= n {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(25)).await;
    }
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    smtp.messages()
}

/// The secret of the link in a message (undoing quoted-printable line folding).
fn token_in(mail: &Mail) -> String {
    let body = mail.body.replace("=\n", "").replace("=3D", "=");
    let prefix = format!("{PUBLIC_URL}/set-password?token=");
    let line = body.lines().find(|l| l.starts_with(&prefix)).unwrap_or_else(|| panic!("{body}"));
    line[prefix.len()..].trim().to_owned()
}

async fn try_login(app: &TestApp, email: &str, password: &str) -> StatusCode {
    let res = app
        .client()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    res.status()
}

async fn post_json(app: &TestApp, path: &str, body: Value) -> (StatusCode, Value) {
    let res = app.client().post(app.url(path)).json(&body).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn me(app: &TestApp, c: &reqwest::Client) -> StatusCode {
    c.get(app.url("/api/v1/me")).send().await.unwrap().status()
}

async fn a_forgotten_password_is_reset_by_email_once(app: &TestApp, smtp: &SmtpServer) {
    let email = email_of("p1");
    let (elsewhere, _) = app.login(&email).await;
    let asked = post_json(app, "/api/v1/auth/password-reset", json!({"email": email})).await;
    assert_eq!(asked.0, StatusCode::ACCEPTED);
    // An address with no account gets the very same answer, and no e-mail.
    let unknown =
        post_json(app, "/api/v1/auth/password-reset", json!({"email": "nobody@test.physio"})).await;
    assert_eq!(unknown, asked);
    let got = mails(smtp, 1).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].header("To").unwrap().contains(&email));
    assert_eq!(got[0].header("Subject"), Some("Choose a new password for Physio"));
    assert!(got[0].body.contains("30 minutes"));
    let token = token_in(&got[0]);

    // The link opens the page; a weak password is refused by field, and the link still works.
    let page = app.client().get(app.url(&format!("/set-password?token={token}"))).send().await;
    let page = page.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Choose a new password"));
    for weak in ["password12", "aaaaaaaaaa", email.as_str()] {
        let (s, body) =
            post_json(app, "/api/v1/auth/set-password", json!({"token": token, "password": weak}))
                .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{weak}");
        assert_eq!(body["error"]["field"], "password", "{weak}: {body}");
    }
    let (s, _) = post_json(
        app,
        "/api/v1/auth/set-password",
        json!({"token": token, "password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    // Every session of the account ended; the new password works, the old one not.
    assert_eq!(me(app, &elsewhere).await, StatusCode::UNAUTHORIZED);
    assert_eq!(try_login(app, &email, PASSWORD).await, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(try_login(app, &email, NEW_PASSWORD).await, StatusCode::OK);

    // The link works once.
    let (s, body) = post_json(
        app,
        "/api/v1/auth/set-password",
        json!({"token": token, "password": "another fine long phrase"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["field"], "token");
    let page = app.client().get(app.url(&format!("/set-password?token={token}"))).send().await;
    let page = page.unwrap();
    assert_eq!(page.status(), StatusCode::GONE);
    assert!(page.text().await.unwrap().contains("Ask for a new link"));

    let events = app.store.audit_events(app.people.clinic_a, Some(app.people.p1), 50).await;
    let events = events.unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.resource == "password_reset" && e.action == "use" && e.outcome == "success"),
        "{events:?}"
    );
}

async fn a_reset_link_expires_after_30_minutes_and_requests_are_limited(
    app: &TestApp,
    smtp: &SmtpServer,
) {
    let email = email_of("c1");
    let (s, _) = post_json(app, "/api/v1/auth/password-reset", json!({"email": email})).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let token = token_in(&mails(smtp, 1).await[0]);
    app.clock.advance(Duration::minutes(31));
    let (s, body) = post_json(
        app,
        "/api/v1/auth/set-password",
        json!({"token": token, "password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["field"], "token");
    assert_eq!(try_login(app, &email, PASSWORD).await, StatusCode::OK, "the password stays");

    // Within an hour an account gets at most three e-mails, however often the form is sent;
    // every request gets the same answer.
    for _ in 0..5 {
        let (s, _) = post_json(app, "/api/v1/auth/password-reset", json!({"email": email})).await;
        assert_eq!(s, StatusCode::ACCEPTED);
    }
    assert_eq!(mails(smtp, 4).await.len(), 3, "one before, two more within the hour");
    app.clock.advance(Duration::minutes(61));
    let (s, _) = post_json(app, "/api/v1/auth/password-reset", json!({"email": email})).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    assert_eq!(mails(smtp, 4).await.len(), 4, "an hour later it works again");
}

async fn an_invited_patient_chooses_a_password_and_signs_in(app: &TestApp, smtp: &SmtpServer) {
    let admin = app.token_for(app.people.admin).await;
    let c = app.client();
    let new = json!({"email": "nina.new@test.physio", "name": "Nina New", "role": "patient"});
    let res = app.req(&c, Method::POST, "/api/v1/users").bearer_auth(&admin).json(&new).send();
    let res = res.await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["email"], "nina.new@test.physio");
    assert_eq!(created["invitation"]["emailed"], true);
    let got = mails(smtp, 1).await;
    assert_eq!(got.len(), 1);
    assert!(got[0].header("To").unwrap().contains("nina.new@test.physio"));
    assert!(got[0].body.contains("7 days"));
    let token = token_in(&got[0]);
    assert!(created["invitation"]["url"].as_str().unwrap().ends_with(&token));
    // Nobody can sign in to the account before the link is used.
    assert_eq!(
        try_login(app, "nina.new@test.physio", NEW_PASSWORD).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // The page: a weak password comes back with the error at the field, then a good one.
    let page = c.get(app.url(&format!("/set-password?token={token}"))).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("Choose your password"));
    let form = [("token", token.as_str()), ("password", "nina new 2026")];
    let res = c.post(app.url("/set-password")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("There is a problem") && html.contains("href=\"#password\""), "{html}");
    let form = [("token", token.as_str()), ("password", NEW_PASSWORD)];
    let res = c.post(app.url("/set-password")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("Your password is saved"));
    assert_eq!(try_login(app, "nina.new@test.physio", NEW_PASSWORD).await, StatusCode::OK);

    // Adding the same address again is still a conflict, but the patient can now reset.
    let res = app.req(&c, Method::POST, "/api/v1/users").bearer_auth(&admin).json(&new).send();
    assert_eq!(res.await.unwrap().status(), StatusCode::CONFLICT);
    let form = [("email", "nina.new@test.physio")];
    let res = c.post(app.url("/forgot-password")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("If an account exists for this address"));
    let got = mails(smtp, 2).await;
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].header("Subject"), Some("Choose a new password for Physio"));
}

async fn changing_a_password_needs_the_current_one_and_ends_other_sessions(app: &TestApp) {
    let email = email_of("c1");
    let (other, _) = app.login(&email).await;
    let (c, csrf) = app.login(&email).await;
    let change = async |current: &str, new: &str| {
        let body = json!({"current_password": current, "new_password": new});
        let res = c.post(app.url("/api/v1/account/password")).header("x-csrf-token", &csrf);
        let res = res.json(&body).send().await.unwrap();
        let status = res.status();
        (status, res.json::<Value>().await.unwrap())
    };
    let (s, body) = change("not my password", NEW_PASSWORD).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["field"], "current_password");
    for weak in ["password12", "aaaaaaaaaa", email.as_str(), "short"] {
        let (s, body) = change(PASSWORD, weak).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{weak}");
        assert_eq!(body["error"]["field"], "new_password", "{weak}");
        let m = body["error"]["message"].as_str().unwrap();
        assert!(m.contains("three or four unrelated words"), "{weak}: {m}");
    }
    assert_eq!(me(app, &other).await, StatusCode::OK, "refusals change nothing");
    let (s, body) = change(PASSWORD, NEW_PASSWORD).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["sessions_ended"], 1);
    assert_eq!(me(app, &other).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(app, &c).await, StatusCode::OK, "this session stays");
    assert_eq!(try_login(app, &email, NEW_PASSWORD).await, StatusCode::OK);
    assert_eq!(try_login(app, &email, PASSWORD).await, StatusCode::UNPROCESSABLE_ENTITY);

    // The page: a wrong current password comes back at its field.
    let form = [("csrf_token", csrf.as_str()), ("current_password", "nope"), ("new_password", "x")];
    let res = c.post(app.url("/account/password")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("href=\"#current_password\""));
    let events = app.store.audit_events(app.people.clinic_a, None, 100).await.unwrap();
    let changes: Vec<_> = events.iter().filter(|e| e.resource == "password").collect();
    assert_eq!(changes.len(), 7, "six refusals and the change, each recorded");
}

async fn the_sessions_list_marks_this_one_and_signs_out_the_others(app: &TestApp) {
    let email = email_of("p1");
    let (first, _) = app.login(&email).await;
    app.clock.advance(Duration::minutes(5));
    let (c, csrf) = app.login(&email).await;
    let res = c.get(app.url("/api/v1/account/sessions")).send().await.unwrap();
    let list: Value = res.json().await.unwrap();
    let sessions = list["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{list}");
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    assert_eq!(sessions[0]["current"], true, "most recently active first");
    let page = c.get(app.url("/account/sessions")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("This device (where you are now)"), "{page}");
    assert!(page.contains("Sign out everywhere else"));
    let form = [("csrf_token", csrf.as_str())];
    let res = c.post(app.url("/account/sessions/sign-out-others")).form(&form).send().await;
    let res = res.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/account/sessions?ended=1");
    assert_eq!(me(app, &first).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(app, &c).await, StatusCode::OK);
    let page = c.get(app.url("/account/sessions?ended=1")).send().await.unwrap().text().await;
    let page = page.unwrap();
    assert!(page.contains("Signed out of 1 other place."));
    assert!(page.contains("You are not signed in anywhere else."));
    // The account page is a hub every role reaches from the header.
    let page = c.get(app.url("/account")).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("href=\"/account/password\"") && page.contains("href=\"/account/sessions\"")
    );
    assert!(page.contains("class=\"account-link\" href=\"/account\""), "{page}");
}

async fn without_email_the_admin_gets_the_link_and_admin_passwords_are_temporary(app: &TestApp) {
    // No mail server: the forgotten-password page sends people to their clinic.
    let page = app.client().get(app.url("/forgot-password")).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("This clinic has not set up e-mail"));
    let login = app.client().get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(login.contains("href=\"/forgot-password\""));

    let admin = app.token_for(app.people.admin).await;
    let c = app.client();
    let new = json!({"email": "olga.old@test.physio", "name": "Olga Old", "role": "patient"});
    let res = app.req(&c, Method::POST, "/api/v1/users").bearer_auth(&admin).json(&new).send();
    let created: Value = res.await.unwrap().json().await.unwrap();
    assert_eq!(created["invitation"]["emailed"], false);
    let url = created["invitation"]["url"].as_str().unwrap();
    let token = url.split("token=").nth(1).unwrap();
    let (s, _) = post_json(
        app,
        "/api/v1/auth/set-password",
        json!({"token": token, "password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(try_login(app, "olga.old@test.physio", NEW_PASSWORD).await, StatusCode::OK);

    // A password an admin chose works once, and then the person is asked to choose their own.
    let new = json!({"email": "tim.temp@test.physio", "name": "Tim Temp", "role": "clinician",
        "licence_number": "PT-1", "licence_jurisdiction": "Ontario", "password": "chosen by the admin"});
    let res = app.req(&c, Method::POST, "/api/v1/users").bearer_auth(&admin).json(&new).send();
    let created: Value = res.await.unwrap().json().await.unwrap();
    assert_eq!(created["invitation"], Value::Null, "{created}");
    let form = [("email", "tim.temp@test.physio"), ("password", "chosen by the admin")];
    let res = c.post(app.url("/login")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/account/password");
    let account: Value =
        c.get(app.url("/api/v1/account")).send().await.unwrap().json().await.unwrap();
    assert_eq!(account["must_change_password"], true);

    // An admin sends an existing account a new link (here shown, not e-mailed).
    let path = format!("/api/v1/users/{}/invitation", app.people.p2);
    let res = app.req(&c, Method::POST, &path).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let link: Value = res.json().await.unwrap();
    assert_eq!(link["emailed"], false);
    let other_admin = app.token_for(app.people.xa).await;
    let res = app.req(&c, Method::POST, &path).bearer_auth(&other_admin).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "another clinic's account");
}
