//! Crash injection: patients write while the `physio serve` process is killed with SIGKILL at
//! random moments and restarted on the same database. Afterwards every write the server
//! acknowledged must be stored, and every stored patient write must have exactly one `success`
//! audit record: a crash may lose a write the client never heard back about, but it may never
//! leave data without its audit record, nor an audit record of a success that did not happen.
//!
//! How it works, and why:
//!
//! - The server is the real binary in its own process, so a kill is a real crash: no destructor
//!   or graceful shutdown runs, open transactions die with the process (SQLite rolls them back
//!   from the WAL on the next open; PostgreSQL aborts them when the connection drops).
//!   `Child::kill` sends SIGKILL on Unix. Each start binds port 0 and reads the address from
//!   the "Listening on" line, so no port is ever guessed or reused.
//! - The clinic is set up as an installation would be: `physio clinic add` and `physio user
//!   add` (CLI), then sign-in, care teams, API tokens and each patient's intake over the API.
//! - `PATIENTS` patient clients send questionnaire answers back to back: mostly NPRS, and now
//!   and then a PHQ-9 whose item 9 raises an alert (the response and its alert are one write).
//!   Each stored answer is its own row with its own `create questionnaire_response` audit
//!   record. One clinician client lists each patient's open alerts (an audited read, which also
//!   competes for the audit chain's head) and closes them with a note: a second kind of patient
//!   write, audited as `close alert`. A write counts as acknowledged only when its 2xx
//!   answer arrived complete (with the response's id); a connection that died is an unknown
//!   outcome and may or may not have been stored.
//! - The killer lets each new server acknowledge a first write (so it is past start-up and
//!   under load), waits a random time (seeded RNG; the seed is printed and can be replayed with
//!   `PHYSIO_CRASH_SEED`), waits until requests are in flight, then kills. `KILLS` kills, then a
//!   last start on which the clients carry on briefly, proving the database still serves.
//! - Verification, after the clients stop: each acknowledged answer is read back over the API
//!   and each acknowledged close is a closed alert in the store; per patient, stored answers equal
//!   `success` audit records of `create`/`questionnaire_response`, and acknowledged alerts equal
//!   `success` records of `close`/`alert`; and `physio audit verify` finds the chain
//!   intact. The counts are printed (`--nocapture` shows them).
//!
//! It relies on the audit vocabulary above (action, resource, outcome `success`, the patient's
//! id on the record) and on docs/examples/exercise-conservative-lumbar.json being an intake the
//! API accepts; a rename in either place must be made here too.
//!
//! A run takes 10 to 15 seconds per backend in a debug build on two cores.

use std::{
    collections::BTreeMap,
    fs::File,
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use physio_store::{Store, testing::TestDb};
use rand::{Rng, SeedableRng, rngs::StdRng};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio::sync::watch;
use uuid::Uuid;

/// Patient clients writing at once (the clinician is one more).
const PATIENTS: usize = 4;
/// Kills per run.
const KILLS: usize = 12;
/// After a server's first acknowledged write, it is killed within this many milliseconds.
const MAX_LIFE_MS: u64 = 800;
pub(crate) const PASSWORD: &str = "kettle orbit saffron ladder";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_under_load_loses_no_write_or_audit_record_sqlite() {
    run(TestDb::sqlite().await, "sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_under_load_loses_no_write_or_audit_record_postgres() {
    let Some(db) = TestDb::postgres().await else { return };
    run(db, "postgres").await;
}

async fn run(db: TestDb, backend: &str) {
    let started = Instant::now();
    let seed =
        std::env::var("PHYSIO_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::UNIX_EPOCH.elapsed().map_or(0, |d| d.as_nanos() as u64)
        });
    eprintln!(
        "crash test on {backend}: seed {seed} (PHYSIO_CRASH_SEED={seed} replays the schedule)"
    );
    let mut rng = StdRng::seed_from_u64(seed);
    let work = tempfile::tempdir().unwrap();
    let log = work.path().join("server.log");

    let people = setup_with_cli(work.path(), &db.url);
    // The test signs its staff in with passwords alone: it turns off the two-step sign-in that
    // an installation's new clinic requires of staff (docs/two-step.md).
    let mut tx = db.store.begin().await.unwrap();
    tx.set_clinic_staff_two_step(people.clinic, false).await.unwrap();
    tx.commit().await.unwrap();
    let mut server = Server::start(&db.url, &log).await;
    let tokens = setup_over_api(&server.base, &people).await;

    let (base_tx, base_rx) = watch::channel(Some(server.base.clone()));
    let shared = Arc::new(Shared::default());
    let mut patients = Vec::new();
    for (i, (&id, token)) in people.patients.iter().zip(&tokens.patients).enumerate() {
        let rng = StdRng::seed_from_u64(seed ^ (i as u64 + 1));
        let task = PatientClient { id, token: token.clone(), rng };
        patients.push(tokio::spawn(task.run(base_rx.clone(), shared.clone())));
    }
    let clinician = {
        let task =
            ClinicianClient { token: tokens.clinician.clone(), patients: people.patients.clone() };
        tokio::spawn(task.run(base_rx.clone(), shared.clone()))
    };

    for kill in 0..=KILLS {
        // Let this server acknowledge a write first: it is up, migrated and under load.
        let acked = shared.acknowledged.load(Ordering::SeqCst);
        let deadline = Instant::now() + Duration::from_secs(30);
        while shared.acknowledged.load(Ordering::SeqCst) == acked {
            assert!(Instant::now() < deadline, "no write acknowledged in 30 s\n{}", tail(&log));
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        if kill == KILLS {
            break;
        }
        tokio::time::sleep(Duration::from_millis(rng.random_range(0..MAX_LIFE_MS))).await;
        // Strike while requests are in flight, the moments a crash can split a write.
        let deadline = Instant::now() + Duration::from_millis(500);
        while shared.in_flight.load(Ordering::SeqCst) < 2 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        base_tx.send_replace(None);
        server.kill();
        server = Server::start(&db.url, &log).await;
        base_tx.send_replace(Some(server.base.clone()));
    }
    // The last server keeps going a little: the database serves after the last crash.
    tokio::time::sleep(Duration::from_millis(300)).await;
    shared.stop.store(true, Ordering::SeqCst);
    let mut writes = Tally::default();
    for p in patients {
        writes.add(p.await.unwrap());
    }
    writes.add(clinician.await.unwrap());
    let load_time = started.elapsed();

    let report = verify(&db.store, &server.base, &tokens.clinician, &people, &writes).await;
    drop(server);
    let r = crate::physio(work.path(), &["--database-url", &db.url, "audit", "verify"], None);
    eprintln!(
        "crash test on {backend}: seed {seed}, {KILLS} kills in {:.1} s; acknowledged {} answers \
         and {} alert acknowledgements, {} unknown outcomes, {} refused {:?}; stored {} answers \
         and {} acknowledged alerts; {} acknowledged writes missing, {} stored writes without \
         their audit record, {} success records without their write; {}",
        load_time.as_secs_f64(),
        writes.responses.len(),
        writes.acks.len(),
        writes.unknown,
        writes.refused.values().sum::<usize>(),
        writes.refused,
        report.stored_responses,
        report.stored_acks,
        report.lost.len(),
        report.unaudited,
        report.phantom,
        r.stdout.trim(),
    );
    assert!(
        report.lost.is_empty() && report.unaudited == 0 && report.phantom == 0,
        "crash test on {backend} (seed {seed}) failed:\n{}",
        report.problems.join("\n")
    );
    assert!(report.unexplained.is_empty(), "{}", report.unexplained.join("\n"));
    assert_eq!(r.code, 0, "audit verify: {}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("intact"), "{}", r.stdout);
    assert!(writes.refused.is_empty(), "refused writes: {:?}", writes.refused);
}

/// The accounts made by the CLI.
struct People {
    clinic: Uuid,
    admin_email: String,
    clinician: Uuid,
    clinician_email: String,
    patients: Vec<Uuid>,
    patient_emails: Vec<String>,
}

struct Tokens {
    clinician: String,
    patients: Vec<String>,
}

fn setup_with_cli(dir: &Path, url: &str) -> People {
    let cli = |args: &[&str]| {
        let mut all = vec!["--database-url", url];
        all.extend_from_slice(args);
        let r = crate::physio(dir, &all, Some(&format!("{PASSWORD}\n")));
        assert_eq!(r.code, 0, "physio {args:?}: {}", r.stderr);
        let id = r.stdout.trim().rsplit(' ').next().unwrap_or_default();
        id.parse::<Uuid>().unwrap_or_else(|_| panic!("no id in {:?}", r.stdout))
    };
    let clinic = cli(&["clinic", "add", "Crash Clinic"]);
    let user = |role: &str, email: &str, extra: &[&str]| {
        let mut args = vec!["user", "add", "--clinic", "Crash Clinic", "--role", role];
        args.extend(["--email", email, "--name", "Crash Person", "--password-stdin"]);
        args.extend_from_slice(extra);
        cli(&args)
    };
    let admin_email = "admin@crash.test".to_owned();
    user("admin", &admin_email, &[]);
    let clinician_email = "pt@crash.test".to_owned();
    let clinician = user(
        "clinician",
        &clinician_email,
        &["--licence-number", "PT-1", "--licence-jurisdiction", "Ontario"],
    );
    let patient_emails: Vec<String> = (0..PATIENTS).map(|i| format!("p{i}@crash.test")).collect();
    let patients = patient_emails
        .iter()
        .map(|email| user("patient", email, &["--date-of-birth", "1961-04-02"]))
        .collect();
    People { clinic, admin_email, clinician, clinician_email, patients, patient_emails }
}

/// Care teams (as the admin), API tokens (each user for themselves) and the patients' intakes.
async fn setup_over_api(base: &str, people: &People) -> Tokens {
    let (admin, csrf) = sign_in(base, &people.admin_email).await;
    for p in &people.patients {
        let res = admin
            .put(format!("{base}/api/v1/patients/{p}/care-team"))
            .header("x-csrf-token", &csrf)
            .json(&json!({"clinician_ids": [people.clinician]}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "care team: {}", res.text().await.unwrap());
    }
    let clinician = token(base, &people.clinician_email).await;
    // The documented exercise-care intake; the server knows each patient's date of birth.
    let mut intake: Value = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/examples/exercise-conservative-lumbar.json"
    )))
    .unwrap();
    intake.as_object_mut().unwrap().remove("age");
    let mut patients = Vec::new();
    for email in &people.patient_emails {
        let t = token(base, email).await;
        let res = Client::new()
            .post(format!("{base}/api/v1/intake"))
            .bearer_auth(&t)
            .json(&intake)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED, "intake: {}", res.text().await.unwrap());
        patients.push(t);
    }
    Tokens { clinician, patients }
}

pub(crate) async fn sign_in(base: &str, email: &str) -> (Client, String) {
    let c = Client::builder().cookie_store(true).build().unwrap();
    let res = c
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "sign in {email}");
    let body: Value = res.json().await.unwrap();
    let csrf = body["csrf_token"].as_str().unwrap().to_owned();
    (c, csrf)
}

pub(crate) async fn token(base: &str, email: &str) -> String {
    let (c, csrf) = sign_in(base, email).await;
    let res = c
        .post(format!("{base}/api/v1/tokens"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"name": "crash test"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "token for {email}");
    let body: Value = res.json().await.unwrap();
    body["secret"].as_str().unwrap().to_owned()
}

/// One `physio serve` process, killed with SIGKILL when dropped so none outlives the test.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(url: &str, log: &Path) -> Server {
        tokio::task::block_in_place(|| Server::start_blocking(url, log))
    }

    fn start_blocking(url: &str, log: &Path) -> Server {
        let stderr = File::options().create(true).append(true).open(log).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_physio"))
            .args(["--database-url", url, "serve", "--bind", "127.0.0.1:0"])
            .env_remove("PHYSIO_CONFIG")
            .env("PHYSIO_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        // Read the address, then keep draining stdout until the process is gone.
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = line.strip_prefix("Listening on ") {
                    let _ = tx.send(addr.to_owned());
                }
            }
        });
        let mut server = Server { child, base: String::new() };
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(base) => server.base = base,
            Err(_) => panic!("physio serve did not start\n{}", tail(log)),
        }
        server
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The last lines of the servers' log, for failure messages.
fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

#[derive(Default)]
struct Shared {
    stop: AtomicBool,
    /// Requests sent and not yet answered.
    in_flight: AtomicUsize,
    /// Writes acknowledged so far, by every client.
    acknowledged: AtomicUsize,
}

/// What the clients saw.
#[derive(Default)]
struct Tally {
    /// Acknowledged answers: (patient, response id).
    responses: Vec<(Uuid, Uuid)>,
    /// Acknowledged alert acknowledgements: (patient, alert id).
    acks: Vec<(Uuid, Uuid)>,
    /// Answers sent, acknowledged or not, per patient.
    sent: BTreeMap<Uuid, usize>,
    /// Writes whose answer never arrived (the connection died): stored or not.
    unknown: usize,
    /// Writes the server answered with an error, by status.
    refused: BTreeMap<u16, usize>,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.responses.extend(other.responses);
        self.acks.extend(other.acks);
        self.unknown += other.unknown;
        for (patient, n) in other.sent {
            *self.sent.entry(patient).or_default() += n;
        }
        for (status, n) in other.refused {
            *self.refused.entry(status).or_default() += n;
        }
    }
}

/// Waits for a live server; `None` once the run is over.
async fn next_base(base: &mut watch::Receiver<Option<String>>, shared: &Shared) -> Option<String> {
    if shared.stop.load(Ordering::SeqCst) {
        return None;
    }
    let b = base.wait_for(Option::is_some).await.ok()?;
    b.clone()
}

fn client() -> Client {
    Client::builder().timeout(Duration::from_secs(20)).build().unwrap()
}

struct PatientClient {
    id: Uuid,
    token: String,
    rng: StdRng,
}

impl PatientClient {
    async fn run(
        mut self,
        mut base: watch::Receiver<Option<String>>,
        shared: Arc<Shared>,
    ) -> Tally {
        let http = client();
        let mut tally = Tally::default();
        while let Some(b) = next_base(&mut base, &shared).await {
            // One answer in six is a PHQ-9 with item 9 above zero, which raises an alert.
            let (instrument, answers) = if self.rng.random_ratio(1, 6) {
                ("phq9", json!([1, 0, 2, 1, 0, 1, 0, 1, self.rng.random_range(1..=3)]))
            } else {
                ("nprs", json!([self.rng.random_range(0..=10)]))
            };
            *tally.sent.entry(self.id).or_default() += 1;
            shared.in_flight.fetch_add(1, Ordering::SeqCst);
            let sent = http
                .post(format!("{b}/api/v1/questionnaires/{instrument}"))
                .bearer_auth(&self.token)
                .json(&json!({ "answers": answers }))
                .send()
                .await;
            let outcome = match sent {
                Ok(res) if res.status() == StatusCode::CREATED => {
                    match res.json::<Value>().await.ok().and_then(|v| id_of(&v)) {
                        Some(id) => Outcome::Acknowledged(id),
                        None => Outcome::Unknown,
                    }
                }
                Ok(res) => Outcome::Refused(res.status()),
                Err(_) => Outcome::Unknown,
            };
            shared.in_flight.fetch_sub(1, Ordering::SeqCst);
            match outcome {
                Outcome::Acknowledged(id) => {
                    tally.responses.push((self.id, id));
                    shared.acknowledged.fetch_add(1, Ordering::SeqCst);
                }
                Outcome::Unknown => tally.unknown += 1,
                Outcome::Refused(s) => *tally.refused.entry(s.as_u16()).or_default() += 1,
            }
        }
        tally
    }
}

struct ClinicianClient {
    token: String,
    patients: Vec<Uuid>,
}

impl ClinicianClient {
    async fn run(self, mut base: watch::Receiver<Option<String>>, shared: Arc<Shared>) -> Tally {
        let http = client();
        let mut tally = Tally::default();
        for &patient in self.patients.iter().cycle() {
            let Some(b) = next_base(&mut base, &shared).await else { break };
            shared.in_flight.fetch_add(1, Ordering::SeqCst);
            let listed = http
                .get(format!("{b}/api/v1/patients/{patient}/alerts?state=open"))
                .bearer_auth(&self.token)
                .send()
                .await;
            let alerts = match listed {
                Ok(res) if res.status() == StatusCode::OK => res.json::<Value>().await.ok(),
                _ => None,
            };
            shared.in_flight.fetch_sub(1, Ordering::SeqCst);
            let ids: Vec<Uuid> = alerts
                .as_ref()
                .and_then(|v| v["alerts"].as_array())
                .map(|a| a.iter().filter_map(id_of).collect())
                .unwrap_or_default();
            for alert in ids {
                shared.in_flight.fetch_add(1, Ordering::SeqCst);
                let sent = http
                    .post(format!("{b}/api/v1/alerts/{alert}/close"))
                    .bearer_auth(&self.token)
                    .json(&serde_json::json!({"note": "Phoned the patient"}))
                    .send()
                    .await;
                shared.in_flight.fetch_sub(1, Ordering::SeqCst);
                match sent {
                    Ok(res) if res.status() == StatusCode::OK => {
                        tally.acks.push((patient, alert));
                        shared.acknowledged.fetch_add(1, Ordering::SeqCst);
                    }
                    Ok(res) => *tally.refused.entry(res.status().as_u16()).or_default() += 1,
                    Err(_) => tally.unknown += 1,
                }
            }
        }
        tally
    }
}

enum Outcome {
    Acknowledged(Uuid),
    Unknown,
    Refused(StatusCode),
}

fn id_of(v: &Value) -> Option<Uuid> {
    v["id"].as_str()?.parse().ok()
}

#[derive(Default)]
struct Report {
    stored_responses: usize,
    stored_acks: usize,
    /// Acknowledged writes not found after the crashes.
    lost: Vec<String>,
    /// Stored writes with no `success` audit record.
    unaudited: usize,
    /// `success` audit records with no stored write.
    phantom: usize,
    /// Stored writes that no client sent.
    unexplained: Vec<String>,
    problems: Vec<String>,
}

async fn verify(store: &Store, base: &str, clinician: &str, people: &People, w: &Tally) -> Report {
    let mut report = Report::default();
    // Every audit record, counted per (patient, action, resource) among successes.
    let mut audited: BTreeMap<(Uuid, String, String), usize> = BTreeMap::new();
    let mut from = i64::MIN;
    loop {
        let page = store.audit_range(from, 1000).await.unwrap();
        for e in &page {
            if let (Some(p), "success") = (e.patient_id, e.outcome.as_str()) {
                *audited.entry((p, e.action.clone(), e.resource.clone())).or_default() += 1;
            }
        }
        match page.last() {
            Some(last) if page.len() == 1000 => from = last.seq + 1,
            _ => break,
        }
    }
    let count = |p: Uuid, action: &str, resource: &str| {
        audited.get(&(p, action.to_owned(), resource.to_owned())).copied().unwrap_or(0)
    };
    let http = client();
    for &p in &people.patients {
        // Answers, read back over the API as the patient's clinician.
        let res = http
            .get(format!("{base}/api/v1/patients/{p}/responses"))
            .bearer_auth(clinician)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let body: Value = res.json().await.unwrap();
        let stored: Vec<Uuid> =
            body["responses"].as_array().unwrap().iter().filter_map(id_of).collect();
        let acked: Vec<Uuid> =
            w.responses.iter().filter(|(q, _)| *q == p).map(|(_, id)| *id).collect();
        for id in &acked {
            if !stored.contains(id) {
                report.lost.push(format!("acknowledged answer {id} of patient {p}"));
            }
        }
        let audits = count(p, "create", "questionnaire_response");
        report.note(p, "answers", stored.len(), audits);
        report.stored_responses += stored.len();
        let sent = w.sent.get(&p).copied().unwrap_or(0);
        if stored.len() > sent {
            report
                .unexplained
                .push(format!("patient {p}: {} answers stored, {sent} sent", stored.len()));
        }

        // Alerts closed, read from the store.
        let alerts = store.alerts(people.clinic, Some(p), true).await.unwrap();
        let acknowledged: Vec<Uuid> =
            alerts.iter().filter(|a| a.closed_at.is_some()).map(|a| a.id).collect();
        for (_, id) in w.acks.iter().filter(|(q, _)| *q == p) {
            if !acknowledged.contains(id) {
                report.lost.push(format!("acknowledgement of alert {id} of patient {p}"));
            }
        }
        report.note(p, "alert acknowledgements", acknowledged.len(), count(p, "close", "alert"));
        report.stored_acks += acknowledged.len();
    }
    report.problems.extend(report.lost.iter().map(|l| format!("lost: {l}")));
    report
}

impl Report {
    /// Compares stored writes of one kind with their `success` audit records.
    fn note(&mut self, patient: Uuid, what: &str, stored: usize, audited: usize) {
        if stored > audited {
            self.unaudited += stored - audited;
        }
        if audited > stored {
            self.phantom += audited - stored;
        }
        if stored != audited {
            self.problems.push(format!(
                "patient {patient}: {stored} {what} stored, {audited} success audit records"
            ));
        }
    }
}
