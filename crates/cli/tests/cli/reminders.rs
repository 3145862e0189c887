//! Reminder e-mail from two real `physio serve` processes on one PostgreSQL database: a patient
//! chooses today and a time a minute or two ahead, and a real SMTP server (Python's aiosmtpd)
//! receives the reminder once, not before its time, though both processes run their scheduler.
//! The in-process test (`crates/server/tests/api/reminders.rs`) drives the same rules with an
//! injected clock on both backends; this one uses the real clock and real processes, so it
//! waits for the chosen minute (about two minutes in all).

use std::{
    fs::File,
    io::{BufRead, BufReader},
    net::TcpStream,
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use physio_store::testing::TestDb;
use reqwest::{Client, StatusCode};
use serde_json::json;
use time::OffsetDateTime;

use crate::crash::{PASSWORD, token};

/// A child process killed when dropped, so none outlives the test.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts aiosmtpd on a free port writing to a maildir, or reports a skip.
fn smtp(dir: &Path) -> Option<(Proc, u16)> {
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
    let child = Command::new("python3")
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(dir.join("mail"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start aiosmtpd");
    let proc = Proc(child);
    for _ in 0..100 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some((proc, port));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("aiosmtpd did not start listening on port {port}");
}

/// One `physio serve` with reminders by e-mail; returns it and its address.
fn serve(url: &str, smtp_port: u16, log: &Path) -> (Proc, String) {
    let stderr = File::options().create(true).append(true).open(log).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_physio"))
        .args(["--database-url", url, "serve", "--bind", "127.0.0.1:0"])
        .env_remove("PHYSIO_CONFIG")
        .env("PHYSIO_LOG", "warn")
        .env("PHYSIO_PUBLIC_URL", "http://physio.clinic.test")
        .env("PHYSIO_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"))
        .env("PHYSIO_SMTP_FROM", "reminders@clinic.test")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(addr) = line.strip_prefix("Listening on ") {
                let _ = tx.send(addr.to_owned());
            }
        }
    });
    let proc = Proc(child);
    let base = rx.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| {
        panic!("physio serve did not start\n{}", std::fs::read_to_string(log).unwrap_or_default())
    });
    (proc, base)
}

/// The messages in the maildir, as text.
fn mails(dir: &Path) -> Vec<String> {
    ["new", "cur"]
        .iter()
        .flat_map(|sub| std::fs::read_dir(dir.join("mail").join(sub)).into_iter().flatten())
        .filter_map(|e| e.ok().and_then(|e| std::fs::read_to_string(e.path()).ok()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_processes_send_the_reminder_once_at_its_time() {
    let Some(db) = TestDb::postgres().await else { return };
    let dir = tempfile::tempdir().unwrap();
    let Some((_smtp, port)) = smtp(dir.path()) else { return };
    let cli = |args: &[&str]| {
        let mut all = vec!["--database-url", db.url.as_str()];
        all.extend_from_slice(args);
        let r = crate::physio(dir.path(), &all, Some(&format!("{PASSWORD}\n")));
        assert_eq!(r.code, 0, "physio {args:?}: {}", r.stderr);
        r.stdout.trim().rsplit(' ').next().unwrap_or_default().to_owned()
    };
    cli(&["clinic", "add", "Reminder Clinic"]);
    let patient = cli(&[
        "user",
        "add",
        "--clinic",
        "Reminder Clinic",
        "--role",
        "patient",
        "--email",
        "patient@reminder.test",
        "--name",
        "Rita Reminder",
        "--password-stdin",
        "--date-of-birth",
        "1958-02-11",
    ]);
    let log = dir.path().join("servers.log");
    let (_a, base) = serve(&db.url, port, &log);
    let (_b, _) = serve(&db.url, port, &log);

    // Today, at a whole minute at least 40 seconds ahead (the clinic's clock is UTC).
    let now = OffsetDateTime::now_utc();
    let mut due =
        now.replace_second(0).unwrap().replace_nanosecond(0).unwrap() + time::Duration::minutes(1);
    if due - now < time::Duration::seconds(40) {
        due += time::Duration::minutes(1);
    }
    let weekday = due.weekday().to_string().to_lowercase();
    let at = format!("{:02}:{:02}", due.hour(), due.minute());
    let me = token(&base, "patient@reminder.test").await;
    let res = Client::new()
        .put(format!("{base}/api/v1/patients/{patient}/reminders"))
        .bearer_auth(&me)
        .json(&json!({"days": [weekday], "time": at, "habit": "after lunch", "enabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());

    // Nothing before its time; then one message, sent once though two schedulers run.
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut arrived = None;
    while Instant::now() < deadline {
        let got = mails(dir.path());
        if !got.is_empty() {
            arrived = Some(OffsetDateTime::now_utc());
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let arrived = arrived.unwrap_or_else(|| {
        panic!("no reminder by {due}\n{}", std::fs::read_to_string(&log).unwrap_or_default())
    });
    assert!(arrived >= due, "arrived at {arrived}, before its time {due}");
    // Both schedulers tick every 30 seconds: give each at least one more tick.
    tokio::time::sleep(Duration::from_secs(40)).await;
    let got = mails(dir.path());
    assert_eq!(got.len(), 1, "sent once: {got:#?}");
    let mail = &got[0];
    assert!(mail.contains("Time for your exercises"), "{mail}");
    assert!(mail.contains("http://physio.clinic.test/home"), "the link: {mail}");
    for private in ["Rita", "after lunch", "pain"] {
        assert!(!mail.contains(private), "no {private:?} in the e-mail: {mail}");
    }
}
