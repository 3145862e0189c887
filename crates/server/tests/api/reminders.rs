//! Exercise reminders: the patient's plan through the API and the page, and the e-mails
//! themselves, received by a real SMTP server (Python's aiosmtpd) from two server instances
//! over one database, each with its own scheduler, both on manual clocks.

use std::{
    net::TcpStream,
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::Duration as StdDuration,
};

use physio_server::{AppState, Clock, Config, ManualClock, reminders::SmtpSettings};
use physio_store::{JobStatus, ReminderJob, Store};
use reqwest::{Method, StatusCode};
use serde_json::json;
use time::{Duration, OffsetDateTime, macros::datetime};
use tokio::sync::oneshot;

use crate::{
    both_backends,
    helpers::{Backend, START, TestApp, email_of},
};

both_backends!(
    a_patient_sets_their_plan_and_staff_read_it,
    bad_input_is_refused_by_field,
    the_page_sets_reminders_and_shows_problems_at_their_fields,
);

async fn a_patient_sets_their_plan_and_staff_read_it(app: &TestApp) {
    let p1 = app.people.p1;
    let path = format!("/api/v1/patients/{p1}/reminders");
    let token = app.token_for(p1).await;
    let c = app.client();
    let res = app.req(&c, Method::GET, &path).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let view: serde_json::Value = res.json().await.unwrap();
    assert_eq!(view, json!({"plan": null, "next": null, "by_email": false}));

    // START is Wednesday 25 November 2026, 09:00 UTC; the clinic's zone is UTC.
    let plan = json!({"days": ["saturday", "thursday"], "time": "8:00", "habit": "after breakfast",
        "enabled": true});
    let res = app.req(&c, Method::PUT, &path).bearer_auth(&token).json(&plan).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let view: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        view["plan"],
        json!({"days": ["thursday", "saturday"], "time": "08:00",
        "habit": "after breakfast", "enabled": true})
    );
    assert_eq!(view["next"]["at"], "2026-11-26T08:00:00Z");
    assert_eq!(view["next"]["text"], "Tomorrow at 8:00, after breakfast");
    assert_eq!(view["next"]["days"], "Thursday and Saturday");

    // The care team's clinician reads it; the other patient and another clinic do not.
    for (who, status) in [
        (app.people.c1, StatusCode::OK),
        (app.people.admin, StatusCode::OK),
        (app.people.p2, StatusCode::FORBIDDEN),
        (app.people.c2, StatusCode::FORBIDDEN),
        (app.people.xc, StatusCode::NOT_FOUND),
    ] {
        let t = app.token_for(who).await;
        let res = app.req(&c, Method::GET, &path).bearer_auth(&t).send().await.unwrap();
        assert_eq!(res.status(), status, "{who}");
        if status == StatusCode::OK {
            let seen: serde_json::Value = res.json().await.unwrap();
            assert_eq!(seen["plan"], view["plan"]);
        }
    }
    // Only the patient sets it, not even their clinician.
    let t = app.token_for(app.people.c1).await;
    let res = app.req(&c, Method::PUT, &path).bearer_auth(&t).json(&plan).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Turned off: the choice is kept, nothing is next.
    let off = json!({"days": ["thursday"], "time": "18:30", "enabled": false});
    let res = app.req(&c, Method::PUT, &path).bearer_auth(&token).json(&off).send().await.unwrap();
    let view: serde_json::Value = res.json().await.unwrap();
    assert_eq!(view["plan"]["time"], "18:30");
    assert_eq!(view["next"], json!(null));
    // Every read and change is in the audit trail.
    let events = app.store.audit_events(app.people.clinic_a, Some(p1), 50).await.unwrap();
    let count = |action: &str| {
        events.iter().filter(|e| e.resource == "reminder_plan" && e.action == action).count()
    };
    assert_eq!(count("update"), 3, "two changes by the patient, one refused");
    assert!(count("read") >= 4);
}

async fn bad_input_is_refused_by_field(app: &TestApp) {
    let p1 = app.people.p1;
    let path = format!("/api/v1/patients/{p1}/reminders");
    let token = app.token_for(p1).await;
    let c = app.client();
    let put = async |body: serde_json::Value| {
        let res = app.req(&c, Method::PUT, &path).bearer_auth(&token).json(&body).send().await;
        let res = res.unwrap();
        (res.status(), res.json::<serde_json::Value>().await.unwrap())
    };
    let (status, body) = put(json!({"days": [], "time": "08:00", "enabled": true})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["field"], "days");
    let (status, body) = put(json!({"days": ["monday"], "time": "25:00", "enabled": true})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["field"], "time");
    assert!(body["error"]["message"].as_str().unwrap().contains("08:00"), "{body}");
    let long = "after ".repeat(20);
    let (status, body) =
        put(json!({"days": ["funday"], "time": "", "habit": long, "enabled": true})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = body["error"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["days", "time", "habit"]);
    // Nothing was written.
    assert_eq!(app.store.reminder_plan(app.people.clinic_a, p1).await.unwrap(), None);
    let (status, _) = put(json!({"days": ["monday"], "enabled": true})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a missing field is a malformed request");
}

async fn the_page_sets_reminders_and_shows_problems_at_their_fields(app: &TestApp) {
    let (c, csrf) = app.login(&email_of("p1")).await;
    let page = c.get(app.url("/reminders")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Exercise reminders"));
    assert!(page.contains("Your clinic has not set up e-mail"), "no SMTP here: {page}");
    let post = async |fields: &[(&str, &str)]| {
        let mut body: Vec<(&str, &str)> = vec![("csrf_token", &csrf)];
        body.extend_from_slice(fields);
        c.post(app.url("/reminders")).form(&body).send().await.unwrap()
    };
    let res = post(&[("enabled", "yes"), ("time", "7.5"), ("habit", "after my tea")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("There is a problem"));
    assert!(page.contains("href=\"#days\"") && page.contains("href=\"#time\""), "{page}");
    assert!(page.contains("value=\"after my tea\""), "what was typed stays");
    let res = post(&[
        ("enabled", "yes"),
        ("days", "monday"),
        ("days", "friday"),
        ("time", "18:30"),
        ("habit", "after my tea"),
    ])
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/reminders?saved=1");
    let page = c.get(app.url("/reminders?saved=1")).send().await.unwrap().text().await.unwrap();
    // Wednesday 09:00: the next is Friday evening.
    assert!(page.contains("The next one is Friday at 18:30, after my tea."), "{page}");
    assert!(page.contains("value=\"monday\" checked"), "{page}");
    let res = post(&[("enabled", "no"), ("time", "18:30")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = c.get(app.url("/reminders?saved=1")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Your reminders are turned off."));
    assert!(page.contains("value=\"no\" checked"));
}

/// A real SMTP server: `python3 -m aiosmtpd` writing each message it receives to a maildir.
pub(crate) struct SmtpServer {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A received message: its headers as text, and its body.
#[derive(Debug)]
pub(crate) struct Mail {
    pub(crate) headers: String,
    pub(crate) body: String,
}

impl Mail {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.headers
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
            .map(|l| l[prefix.len()..].trim())
    }
}

impl SmtpServer {
    /// Starts aiosmtpd on a free port, or reports a skip (and returns `None`) when Python or
    /// aiosmtpd is missing (`scripts/test` installs it; under CI a skip fails the run).
    pub(crate) fn start() -> Option<SmtpServer> {
        let have = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !have {
            physio_store::testing::skip(
                "reminder e-mail test: needs python3 with aiosmtpd (pip install aiosmtpd)",
            );
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        let server = SmtpServer { child, port, dir };
        for _ in 0..100 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(server);
            }
            std::thread::sleep(StdDuration::from_millis(100));
        }
        panic!("aiosmtpd did not start listening on port {port}");
    }

    pub(crate) fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, oldest first.
    pub(crate) fn messages(&self) -> Vec<Mail> {
        let mut files: Vec<PathBuf> = vec![];
        for sub in ["new", "cur"] {
            let dir = self.dir.path().join("mail").join(sub);
            if let Ok(entries) = std::fs::read_dir(&dir) {
                files.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
            }
        }
        let mut mails: Vec<(std::time::SystemTime, Mail)> = files
            .iter()
            .map(|f| {
                let text = std::fs::read_to_string(f).unwrap().replace("\r\n", "\n");
                let (headers, body) = text.split_once("\n\n").unwrap_or((&text, ""));
                let modified = std::fs::metadata(f).and_then(|m| m.modified()).unwrap();
                (modified, Mail { headers: headers.to_owned(), body: body.to_owned() })
            })
            .collect();
        mails.sort_by_key(|(t, _)| *t);
        mails.into_iter().map(|(_, m)| m).collect()
    }
}

const PUBLIC_URL: &str = "https://physio.example";

/// One server instance: its own store pool, clock, scheduler and port, over the shared database.
struct Instance {
    state: AppState,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Instance {
    async fn start(url: &str, clock: Arc<ManualClock>, smtp: &SmtpServer) -> Instance {
        let store = Store::connect(url).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut config = Config::new(listener.local_addr().unwrap(), url);
        config.public_url = Some(PUBLIC_URL.into());
        config.smtp = Some(
            SmtpSettings::new(&smtp.url(), "North Clinic <reminders@clinic.example>").unwrap(),
        );
        config.reminder_interval = StdDuration::from_millis(25);
        let state = AppState::new(store, clock, config);
        let (stop, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(physio_server::serve(listener, state.clone(), async {
            let _ = rx.await;
        }));
        Instance { state, stop, task }
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.unwrap().unwrap();
        self.state.store().close().await;
    }
}

/// Waits until every instance has run `rounds` more complete scheduler rounds: then anything
/// due at the clocks' time has been dealt with.
async fn settle(instances: &[&Instance], rounds: u64) {
    let start: Vec<u64> =
        instances.iter().map(|i| i.state.metrics().reminder_ticks.get()).collect();
    for _ in 0..400 {
        if instances
            .iter()
            .zip(&start)
            .all(|(i, s)| i.state.metrics().reminder_ticks.get() >= s + rounds)
        {
            return;
        }
        tokio::time::sleep(StdDuration::from_millis(25)).await;
    }
    panic!("the schedulers stopped running");
}

/// Waits (a few seconds at most) until `n` messages have arrived, then a while longer for any
/// extra one.
async fn mails(smtp: &SmtpServer, instances: &[&Instance], n: usize) -> Vec<Mail> {
    for _ in 0..200 {
        if smtp.messages().len() >= n {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(25)).await;
    }
    settle(instances, 3).await;
    smtp.messages()
}

fn set_clocks(clocks: &[&Arc<ManualClock>], to: OffsetDateTime) {
    for c in clocks {
        c.advance(to - c.now());
    }
}

fn jobs_of(jobs: &[ReminderJob]) -> Vec<(OffsetDateTime, JobStatus)> {
    let mut v: Vec<_> = jobs.iter().map(|j| (j.due_at, j.status)).collect();
    v.sort_by_key(|(at, _)| *at);
    v
}

mod email {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        super::two_servers_send_each_reminder_once_at_its_time(super::Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres() {
        super::two_servers_send_each_reminder_once_at_its_time(super::Backend::Postgres).await;
    }
}

async fn two_servers_send_each_reminder_once_at_its_time(backend: Backend) {
    let Some(smtp) = SmtpServer::start() else { return };
    let Some(app) = TestApp::spawn(backend).await else { return };
    let (clinic, p1) = (app.people.clinic_a, app.people.p1);
    // The clinic is in Paris: 08:00 there is 07:00 UTC in winter.
    let mut tx = app.store.begin().await.unwrap();
    tx.set_clinic_time_zone(clinic, Some("Europe/Paris")).await.unwrap();
    tx.commit().await.unwrap();

    // Wednesday 25 November, 09:00 UTC: the patient asks for Thursdays and Saturdays at 08:00.
    let token = app.token_for(p1).await;
    let plan = json!({"days": ["thursday", "saturday"], "time": "08:00",
        "habit": "after breakfast", "enabled": true});
    let res = app
        .req(&app.client(), Method::PUT, &format!("/api/v1/patients/{p1}/reminders"))
        .bearer_auth(&token)
        .json(&plan)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    let (clock_a, clock_b) = (Arc::new(ManualClock::new(START)), Arc::new(ManualClock::new(START)));
    let clocks = [&clock_a, &clock_b];
    let url = app.database_url().to_owned();
    let mut a = Instance::start(&url, clock_a.clone(), &smtp).await;
    let mut b = Instance::start(&url, clock_b.clone(), &smtp).await;
    settle(&[&a, &b], 3).await;
    let thursday = datetime!(2026-11-26 07:00 UTC);
    let jobs = app.store.reminder_jobs(clinic, p1).await.unwrap();
    assert_eq!(jobs_of(&jobs), [(thursday, JobStatus::Pending)], "planned once by two servers");

    // A minute before: nothing.
    set_clocks(&clocks, thursday - Duration::minutes(1));
    assert!(mails(&smtp, &[&a, &b], 1).await.is_empty(), "not before its time");

    // At the time: exactly one e-mail, from one of the two servers.
    set_clocks(&clocks, thursday + Duration::seconds(20));
    let got = mails(&smtp, &[&a, &b], 1).await;
    assert_eq!(got.len(), 1, "{got:?}");
    let m = &got[0];
    assert_eq!(m.header("Subject"), Some("Time for your exercises"));
    assert!(m.header("To").unwrap().contains(&email_of("p1")), "{m:?}");
    assert!(m.header("From").unwrap().contains("reminders@clinic.example"));
    assert_eq!(m.header("Date"), Some("Thu, 26 Nov 2026 07:00:20 +0000"), "sent at its time");
    assert!(m.body.contains(&format!("\n{PUBLIC_URL}/home\n")), "{}", m.body);
    assert!(m.body.contains("It is time for your exercises.") && m.body.contains("Clinic A"));
    // Nothing about the patient or their health: no name, no habit, no pain, no programme.
    let text = format!("{}\n{}", m.headers, m.body).to_lowercase();
    for word in ["pain", "programme", "breakfast", "back", "patient", "name of", "p1 "] {
        assert!(!text.contains(word), "{word:?} in {text}");
    }
    let jobs = app.store.reminder_jobs(clinic, p1).await.unwrap();
    let sent = jobs.iter().find(|j| j.due_at == thursday).unwrap();
    assert_eq!((sent.status, sent.attempts), (JobStatus::Sent, 1));
    // The next one is planned already: Saturday.
    let saturday = datetime!(2026-11-28 07:00 UTC);
    assert_eq!(jobs_of(&jobs), [(thursday, JobStatus::Sent), (saturday, JobStatus::Pending)]);

    set_clocks(&clocks, saturday + Duration::minutes(3));
    let got = mails(&smtp, &[&a, &b], 2).await;
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].header("Date"), Some("Sat, 28 Nov 2026 07:03:00 +0000"));

    // Both servers down over Thursday's reminder, back 90 minutes late: sent once, late.
    let thursday2 = datetime!(2026-12-03 07:00 UTC);
    a.stop().await;
    b.stop().await;
    set_clocks(&clocks, thursday2 + Duration::minutes(90));
    a = Instance::start(&url, clock_a.clone(), &smtp).await;
    b = Instance::start(&url, clock_b.clone(), &smtp).await;
    let got = mails(&smtp, &[&a, &b], 3).await;
    assert_eq!(got.len(), 3);
    assert_eq!(got[2].header("Date"), Some("Thu, 03 Dec 2026 08:30:00 +0000"));

    // Down over Saturday's, back three hours late: past the two-hour limit, it is skipped,
    // and the next is planned for the following Thursday.
    let saturday2 = datetime!(2026-12-05 07:00 UTC);
    a.stop().await;
    b.stop().await;
    set_clocks(&clocks, saturday2 + Duration::hours(3));
    a = Instance::start(&url, clock_a.clone(), &smtp).await;
    b = Instance::start(&url, clock_b.clone(), &smtp).await;
    settle(&[&a, &b], 4).await;
    assert_eq!(smtp.messages().len(), 3, "a reminder more than two hours late is not sent");
    let jobs = app.store.reminder_jobs(clinic, p1).await.unwrap();
    assert_eq!(
        jobs_of(&jobs),
        [
            (thursday, JobStatus::Sent),
            (saturday, JobStatus::Sent),
            (thursday2, JobStatus::Sent),
            (saturday2, JobStatus::Skipped),
            (datetime!(2026-12-10 07:00 UTC), JobStatus::Pending),
        ]
    );

    // Each outcome is in the audit trail as the system's action, once.
    let events = app.store.audit_events(clinic, Some(p1), 100).await.unwrap();
    let system: Vec<(&str, &str)> = events
        .iter()
        .filter(|e| e.resource == "reminder")
        .map(|e| (e.action.as_str(), e.outcome.as_str()))
        .collect();
    assert_eq!(system.iter().filter(|(a, _)| *a == "send").count(), 3, "{system:?}");
    assert_eq!(system.iter().filter(|(a, _)| *a == "skip").count(), 1, "{system:?}");
    assert!(events.iter().filter(|e| e.resource == "reminder").all(|e| e.actor_id.is_none()));
    assert_eq!(app.store.verify_audit().await.unwrap().first_break, None);
    a.stop().await;
    b.stop().await;
}
