//! `physio-loadgen api`: the API load benchmark. It sends a clinic's day of JSON API calls
//! (clinicians reading caseloads and records, reviewing triage and acknowledging alerts;
//! patients reading their own record and answering questionnaires) at a constant arrival rate,
//! with bearer tokens from the clinic file `seed` wrote.
//!
//! Open model: request i is due at `start + i / rate` whatever happened to the ones before it,
//! and its latency runs from that due time to the last byte of the answer. A server that
//! stalls therefore shows the stall in every request that fell due during it (no coordinated
//! omission); a generator that falls behind shows up the same way, and its own lag is reported
//! apart. Non-2xx answers are errors, counted by status and kind.

use std::{
    collections::{BTreeMap, VecDeque},
    path::PathBuf,
    sync::Arc,
    time::Duration,
};

use anyhow::{Context, Result, ensure};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};
use reqwest::{Method, header::HeaderValue};
use serde_json::{Value, json};
use tokio::{sync::Semaphore, time::Instant};

use crate::{
    clinic::{Api, ClinicFile},
    round,
};

#[derive(Debug, clap::Parser)]
#[command(
    name = "physio-loadgen api",
    about = "Sends a clinic's day of API calls to a Physio server on this machine at a constant \
             arrival rate and reports latency per kind of call"
)]
pub(crate) struct ApiArgs {
    /// The server's address, e.g. http://127.0.0.1:8080 (loopback only).
    #[arg(long)]
    url: String,
    /// The clinic file written by `physio-loadgen seed` for this server's database.
    #[arg(long)]
    clinic: PathBuf,
    /// Requests per second, all kinds together.
    #[arg(long, default_value_t = 500.0)]
    rate: f64,
    /// How long to measure: 60s, 2m (at most 10m).
    #[arg(long, default_value = "60s", value_parser = crate::parse_duration)]
    duration: Duration,
    /// Sent at the same rate before measuring, not counted (connections, caches).
    #[arg(long, default_value = "10s", value_parser = crate::parse_duration)]
    warmup: Duration,
    /// Seed of the random choices (kinds, callers, answers): the same seed sends the same calls.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Send only this kind of call (e.g. `clinician.patient`), at the whole rate.
    #[arg(long)]
    only: Option<String>,
    /// Requests in flight at most; a request due while this many are waiting waits too, and
    /// the wait counts in its latency.
    #[arg(long, default_value_t = 2000)]
    max_in_flight: usize,
    /// A request without an answer after this long is an error (`timeout`).
    #[arg(long, default_value = "30s", value_parser = crate::parse_duration)]
    timeout: Duration,
    /// The server's process id, to report the CPU it used while measuring (Linux /proc).
    #[arg(long)]
    server_pid: Option<u32>,
    /// Print the result as one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// One kind of call in the mix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Caseload,
    Patient,
    Episodes,
    Triage,
    Responses,
    Alerts,
    Pathway,
    Sessions,
    CareTeam,
    AckAlert,
    ReviewTriage,
    Me,
    OwnRecord,
    OwnEpisodes,
    OwnPathway,
    OwnResponses,
    AnswerNprs,
    AnswerOdi,
    AnswerPhq9,
    AnswerPsfs,
}

/// The mix: (kind, name, route, share in per mille). Clinicians 60 %, patients 40 %; 13.6 % of
/// the calls change something (reviews, acknowledgements, answers), and on today's server every
/// call writes its audit record and the token's last use as well.
const MIX: [(Kind, &str, &str, u32); 20] = [
    (Kind::Caseload, "clinician.caseload", "GET /api/v1/patients", 40),
    (Kind::Patient, "clinician.patient", "GET /api/v1/patients/{id}", 120),
    (Kind::Episodes, "clinician.episodes", "GET /api/v1/patients/{id}/episodes", 60),
    (Kind::Triage, "clinician.triage", "GET /api/v1/patients/{id}/triage", 70),
    (Kind::Responses, "clinician.responses", "GET /api/v1/patients/{id}/responses", 100),
    (Kind::Alerts, "clinician.alerts", "GET /api/v1/patients/{id}/alerts", 80),
    (Kind::Pathway, "clinician.pathway", "GET /api/v1/patients/{id}/pathway", 60),
    (Kind::Sessions, "clinician.sessions", "GET /api/v1/patients/{id}/exercise-sessions", 30),
    (Kind::CareTeam, "clinician.care_team", "GET /api/v1/patients/{id}/care-team", 24),
    (Kind::AckAlert, "clinician.acknowledge", "POST /api/v1/alerts/{id}/close", 8),
    (Kind::ReviewTriage, "clinician.review", "POST /api/v1/triage/{id}/review", 8),
    (Kind::Me, "patient.me", "GET /api/v1/me", 60),
    (Kind::OwnRecord, "patient.record", "GET /api/v1/patients/{own id}", 60),
    (Kind::OwnEpisodes, "patient.episodes", "GET /api/v1/patients/{own id}/episodes", 40),
    (Kind::OwnPathway, "patient.pathway", "GET /api/v1/patients/{own id}/pathway", 60),
    (Kind::OwnResponses, "patient.responses", "GET /api/v1/patients/{own id}/responses", 60),
    (Kind::AnswerNprs, "patient.nprs", "POST /api/v1/questionnaires/nprs", 70),
    (Kind::AnswerOdi, "patient.odi_or_ndi", "POST /api/v1/questionnaires/odi (ndi: neck)", 30),
    (Kind::AnswerPhq9, "patient.phq9", "POST /api/v1/questionnaires/phq9", 10),
    (Kind::AnswerPsfs, "patient.psfs", "POST /api/v1/questionnaires/psfs", 10),
];

fn spec(k: Kind) -> (&'static str, &'static str, u32) {
    MIX.iter().find(|m| m.0 == k).map_or(("?", "?", 0), |m| (m.1, m.2, m.3))
}

/// Runs the benchmark and prints the report; `Ok(false)` when some calls failed.
pub(crate) fn main(args: &ApiArgs) -> Result<bool> {
    ensure!(
        args.rate.is_finite() && (1.0..=20_000.0).contains(&args.rate),
        "--rate must be 1 to 20000"
    );
    ensure!(
        !args.duration.is_zero() && args.duration <= crate::MAX_DURATION,
        "--duration must be >0 and ≤ 10m"
    );
    ensure!(args.warmup <= crate::MAX_DURATION, "--warmup must be ≤ 10m");
    ensure!((1..=20_000).contains(&args.max_in_flight), "--max-in-flight must be 1 to 20000");
    let base = crate::loopback(&args.url)?;
    let clinic = ClinicFile::load(&args.clinic)?;
    let only = match &args.only {
        Some(name) => Some(MIX.iter().find(|m| m.1 == name).map(|m| m.0).with_context(|| {
            let names: Vec<&str> = MIX.iter().map(|m| m.1).collect();
            format!("--only {name:?}: use one of {}", names.join(", "))
        })?),
        None => None,
    };
    let planner = Planner::new(&clinic, only, args.seed)?;
    // The watchdog: whatever happens on the network, the process ends.
    let budget = args.warmup + args.duration + args.timeout + Duration::from_secs(60);
    std::thread::spawn(move || {
        std::thread::sleep(budget);
        eprintln!("physio-loadgen api: still running after {budget:?}; stopping");
        std::process::exit(3);
    });
    let api = Api::new(base, args.timeout)?;
    let report = crate::runtime()?.block_on(drive(args, api, planner))?;
    if args.json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.to_text());
    }
    Ok(report.errors() == 0)
}

/// One call, ready to send.
struct Call {
    kind: Kind,
    method: Method,
    path: String,
    auth: HeaderValue,
    body: Option<Value>,
}

/// Chooses each call: its kind by the mix, its caller and patient at random, the alert or
/// triage decision it acts on from the open ones (each once).
struct Planner {
    rng: StdRng,
    /// (upper bound of the cumulative share, kind).
    table: Vec<(u32, Kind)>,
    clinicians: Vec<(HeaderValue, Vec<usize>)>,
    /// Patients with a token and an intake: (index, auth).
    patients: Vec<(usize, HeaderValue)>,
    patient_ids: Vec<String>,
    neck: Vec<bool>,
    primary: Vec<Option<usize>>,
    alerts: VecDeque<(String, usize)>,
    triage: VecDeque<(String, usize, String)>,
    /// Calls that found their pool empty and were sent as the matching read instead.
    fallbacks: BTreeMap<Kind, u64>,
}

impl Planner {
    fn new(c: &ClinicFile, only: Option<Kind>, seed: u64) -> Result<Planner> {
        let bearer = |t: &str| {
            HeaderValue::from_str(&format!("Bearer {t}")).context("a token is not a header value")
        };
        let mut clinicians = vec![];
        for x in c.clinicians.iter().filter(|x| !x.patients.is_empty()) {
            clinicians.push((bearer(&x.token)?, x.patients.clone()));
        }
        let mut patients = vec![];
        for (i, p) in c.patients.iter().enumerate() {
            if let (Some(t), true) = (&p.token, p.started) {
                patients.push((i, bearer(t)?));
            }
        }
        ensure!(!clinicians.is_empty(), "the clinic file has no clinician with patients");
        ensure!(!patients.is_empty(), "the clinic file has no patient with a token and an intake");
        let mut rng = StdRng::seed_from_u64(seed);
        let mut alerts: Vec<(String, usize)> =
            c.open_alerts.iter().map(|a| (a.id.clone(), a.patient)).collect();
        let mut triage: Vec<(String, usize, String)> =
            c.pending_triage.iter().map(|t| (t.id.clone(), t.patient, t.tier.clone())).collect();
        alerts.shuffle(&mut rng);
        triage.shuffle(&mut rng);
        let mut table = vec![];
        let mut acc = 0;
        for (k, _, _, permille) in MIX {
            if only.is_none_or(|o| o == k) {
                acc += permille;
                table.push((acc, k));
            }
        }
        Ok(Planner {
            rng,
            table,
            clinicians,
            patients,
            patient_ids: c.patients.iter().map(|p| p.id.clone()).collect(),
            neck: c.patients.iter().map(|p| p.neck).collect(),
            primary: c.patients.iter().map(|p| p.care_team.first().copied()).collect(),
            alerts: alerts.into(),
            triage: triage.into(),
            fallbacks: BTreeMap::new(),
        })
    }

    fn next(&mut self, c: &ClinicFile) -> Call {
        let total = self.table.last().map_or(1, |t| t.0);
        let r = self.rng.random_range(0..total);
        let kind = self.table.iter().find(|t| r < t.0).map_or(Kind::Patient, |t| t.1);
        if !matches!(
            kind,
            Kind::Caseload
                | Kind::Patient
                | Kind::Episodes
                | Kind::Triage
                | Kind::Responses
                | Kind::Alerts
                | Kind::Pathway
                | Kind::Sessions
                | Kind::CareTeam
                | Kind::AckAlert
                | Kind::ReviewTriage
        ) {
            return self.as_patient(kind);
        }
        // A clinician and one of their patients.
        let ci = self.rng.random_range(0..self.clinicians.len());
        let list = &self.clinicians[ci].1;
        let pi = list[self.rng.random_range(0..list.len())];
        let auth = self.clinicians[ci].0.clone();
        let pid = self.patient_ids[pi].clone();
        let read = |kind: Kind, tail: &str| Call {
            kind,
            method: Method::GET,
            path: format!("/api/v1/patients/{pid}{tail}"),
            auth: auth.clone(),
            body: None,
        };
        match kind {
            Kind::Caseload => Call {
                kind,
                method: Method::GET,
                path: "/api/v1/patients".into(),
                auth: auth.clone(),
                body: None,
            },
            Kind::Patient => read(kind, ""),
            Kind::Episodes => read(kind, "/episodes"),
            Kind::Triage => read(kind, "/triage"),
            Kind::Responses => read(kind, "/responses"),
            Kind::Alerts => read(kind, "/alerts"),
            Kind::Pathway => read(kind, "/pathway"),
            Kind::Sessions => read(kind, "/exercise-sessions"),
            Kind::CareTeam => read(kind, "/care-team"),
            Kind::AckAlert => {
                let call = self.alerts.pop_front().and_then(|(id, p)| {
                    let path = format!("/api/v1/alerts/{id}/close");
                    let body = json!({ "note": "Phoned the patient (load test)" });
                    self.as_primary(c, p, kind, Method::POST, path, Some(body))
                });
                call.unwrap_or_else(|| {
                    *self.fallbacks.entry(kind).or_default() += 1;
                    read(Kind::Alerts, "/alerts")
                })
            }
            _ => {
                let call = self.triage.pop_front().and_then(|(id, p, tier)| {
                    let path = format!("/api/v1/triage/{id}/review");
                    let body = json!({ "final_tier": tier });
                    self.as_primary(c, p, kind, Method::POST, path, Some(body))
                });
                call.unwrap_or_else(|| {
                    *self.fallbacks.entry(kind).or_default() += 1;
                    read(Kind::Triage, "/triage")
                })
            }
        }
    }

    /// A call made by the primary clinician of patient `p`.
    fn as_primary(
        &self,
        c: &ClinicFile,
        p: usize,
        kind: Kind,
        method: Method,
        path: String,
        body: Option<Value>,
    ) -> Option<Call> {
        let who = self.primary[p]?;
        let auth = HeaderValue::from_str(&format!("Bearer {}", c.clinicians[who].token)).ok()?;
        Some(Call { kind, method, path, auth, body })
    }

    fn as_patient(&mut self, kind: Kind) -> Call {
        let (p, auth) = self.patients[self.rng.random_range(0..self.patients.len())].clone();
        let id = &self.patient_ids[p];
        let rng = &mut self.rng;
        let (method, path, body) = match kind {
            Kind::Me => (Method::GET, "/api/v1/me".to_owned(), None),
            Kind::OwnRecord => (Method::GET, format!("/api/v1/patients/{id}"), None),
            Kind::OwnEpisodes => (Method::GET, format!("/api/v1/patients/{id}/episodes"), None),
            Kind::OwnPathway => (Method::GET, format!("/api/v1/patients/{id}/pathway"), None),
            Kind::OwnResponses => (Method::GET, format!("/api/v1/patients/{id}/responses"), None),
            Kind::AnswerNprs => {
                let pain: u32 = rng.random_range(1..=8);
                (
                    Method::POST,
                    "/api/v1/questionnaires/nprs".into(),
                    Some(json!({ "answers": [pain] })),
                )
            }
            Kind::AnswerOdi => {
                let which = if self.neck[p] { "ndi" } else { "odi" };
                let a: Vec<u32> = (0..10).map(|_| rng.random_range(0..=3)).collect();
                (
                    Method::POST,
                    format!("/api/v1/questionnaires/{which}"),
                    Some(json!({ "answers": a })),
                )
            }
            Kind::AnswerPhq9 => {
                let mut a: Vec<u32> = (0..9)
                    .map(|_| if rng.random_bool(0.3) { rng.random_range(1..=2) } else { 0 })
                    .collect();
                a[8] = u32::from(rng.random_bool(0.03));
                (Method::POST, "/api/v1/questionnaires/phq9".into(), Some(json!({ "answers": a })))
            }
            _ => {
                let a: Vec<u32> = (0..3).map(|_| rng.random_range(2..=9)).collect();
                (Method::POST, "/api/v1/questionnaires/psfs".into(), Some(json!({ "answers": a })))
            }
        };
        Call { kind, method, path, auth, body }
    }
}

/// How one call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Status(u16),
    Timeout,
    Connect,
    Other,
}

impl Outcome {
    fn ok(self) -> bool {
        matches!(self, Outcome::Status(s) if (200..300).contains(&s))
    }

    fn label(self) -> String {
        match self {
            Outcome::Status(s) => s.to_string(),
            Outcome::Timeout => "timeout".into(),
            Outcome::Connect => "connect".into(),
            Outcome::Other => "other".into(),
        }
    }
}

struct Sample {
    kind: Kind,
    latency_us: u64,
    /// Issued this long after it was due (the generator's own lag, in microseconds).
    lag_us: u64,
    outcome: Outcome,
    /// The start of the body of an error answer.
    detail: Option<String>,
}

async fn drive(args: &ApiArgs, api: Api, mut planner: Planner) -> Result<Report> {
    let clinic = ClinicFile::load(&args.clinic)?;
    let period = Duration::from_secs_f64(1.0 / args.rate);
    let warm = (args.warmup.as_secs_f64() * args.rate).round() as u64;
    let measured = (args.duration.as_secs_f64() * args.rate).round() as u64;
    let start = Instant::now() + Duration::from_millis(200);
    let window = (start + args.warmup, start + args.warmup + args.duration);
    let server_pid = args.server_pid;
    let cpu = tokio::spawn(async move {
        let sample = || {
            let server = server_pid.and_then(|p| crate::cpu_seconds(&p.to_string()));
            [crate::cpu_seconds("self"), server, crate::machine_busy_seconds()]
        };
        tokio::time::sleep_until(window.0).await;
        let before = sample();
        tokio::time::sleep_until(window.1).await;
        let after = sample();
        let secs = (window.1 - window.0).as_secs_f64();
        [0, 1, 2].map(|k| Some((after[k]? - before[k]?) / secs))
    });
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Sample>();
    let slots = Arc::new(Semaphore::new(args.max_in_flight));
    let mut max_in_flight = 0usize;
    let timeout = args.timeout;
    for i in 0..warm + measured {
        let due = start + period.mul_f64(i as f64);
        tokio::time::sleep_until(due).await;
        let call = planner.next(&clinic);
        max_in_flight = max_in_flight.max(args.max_in_flight - slots.available_permits());
        let (api, tx, slots) = (api.clone(), tx.clone(), slots.clone());
        let record = i >= warm;
        tokio::spawn(async move {
            // The timeout runs from the due time, so a request that waited for a slot too long
            // ends as a timeout like one the server did not answer.
            let mut lag_us = None;
            let answered = tokio::time::timeout_at(due + timeout, async {
                let _slot = slots.acquire_owned().await;
                lag_us = Some(due.elapsed().as_micros() as u64);
                send(&api, call.method, &call.path, call.auth, call.body).await
            })
            .await;
            let (outcome, detail) = answered.unwrap_or_else(|_| {
                (Outcome::Timeout, Some(format!("no answer within {timeout:?} of its due time")))
            });
            let latency_us = due.elapsed().as_micros() as u64;
            let lag_us = lag_us.unwrap_or(latency_us);
            if record {
                let _ = tx.send(Sample { kind: call.kind, latency_us, lag_us, outcome, detail });
            }
        });
    }
    drop(tx);
    let mut samples = Vec::with_capacity(measured as usize);
    while let Some(s) = rx.recv().await {
        samples.push(s);
    }
    let [loadgen_cores, server_cores, machine_cores] = cpu.await.unwrap_or([None; 3]);
    Ok(Report {
        rate: args.rate,
        duration_s: args.duration.as_secs_f64(),
        warmup_s: args.warmup.as_secs_f64(),
        scheduled: measured,
        samples,
        max_in_flight,
        fallbacks: planner.fallbacks,
        only: args.only.clone(),
        loadgen_cores,
        server_cores,
        machine_cores,
    })
}

async fn send(
    api: &Api,
    method: Method,
    path: &str,
    auth: HeaderValue,
    body: Option<Value>,
) -> (Outcome, Option<String>) {
    let Ok(url) = api.url(path) else { return (Outcome::Other, Some(format!("bad path {path}"))) };
    let mut req = api.client.request(method, url).header(reqwest::header::AUTHORIZATION, auth);
    if let Some(b) = &body {
        req = req.json(b);
    }
    let classify = |e: &reqwest::Error| {
        if e.is_timeout() {
            Outcome::Timeout
        } else if e.is_connect() {
            Outcome::Connect
        } else {
            Outcome::Other
        }
    };
    match req.send().await {
        Ok(res) => {
            let status = res.status().as_u16();
            match res.bytes().await {
                Ok(_) if (200..300).contains(&status) => (Outcome::Status(status), None),
                Ok(b) => {
                    let text = String::from_utf8_lossy(&b[..b.len().min(200)]).into_owned();
                    (Outcome::Status(status), Some(text))
                }
                Err(e) => (classify(&e), Some(e.to_string())),
            }
        }
        Err(e) => (classify(&e), Some(format!("{e:#}"))),
    }
}

struct Report {
    rate: f64,
    duration_s: f64,
    warmup_s: f64,
    scheduled: u64,
    samples: Vec<Sample>,
    max_in_flight: usize,
    fallbacks: BTreeMap<Kind, u64>,
    only: Option<String>,
    loadgen_cores: Option<f64>,
    server_cores: Option<f64>,
    machine_cores: Option<f64>,
}

/// Latency percentiles of some samples, in milliseconds (nearest rank): p50, p90, p99, max.
fn percentiles(mut us: Vec<u64>) -> Option<[f64; 4]> {
    if us.is_empty() {
        return None;
    }
    us.sort_unstable();
    let rank = |p: f64| us[((p * us.len() as f64).ceil() as usize).clamp(1, us.len()) - 1];
    let ms = |v: u64| v as f64 / 1000.0;
    Some([ms(rank(0.50)), ms(rank(0.90)), ms(rank(0.99)), ms(us[us.len() - 1])])
}

/// One row of the report: a kind, or all of them.
struct Row {
    name: String,
    route: String,
    share: f64,
    count: usize,
    errors: usize,
    statuses: BTreeMap<String, usize>,
    first_error: Option<String>,
    lat: Option<[f64; 4]>,
}

impl Report {
    fn errors(&self) -> usize {
        self.samples.iter().filter(|s| !s.outcome.ok()).count()
    }

    /// Calls that got an answer (any status), and those whose answer was 2xx.
    fn answered(&self) -> (usize, usize) {
        let any = self.samples.iter().filter(|s| matches!(s.outcome, Outcome::Status(_))).count();
        (any, self.samples.len() - self.errors())
    }

    fn row(&self, name: &str, route: &str, share: f64, f: impl Fn(&Sample) -> bool) -> Row {
        let mine: Vec<&Sample> = self.samples.iter().filter(|s| f(s)).collect();
        let mut statuses = BTreeMap::new();
        let mut first_error = None;
        for s in &mine {
            *statuses.entry(s.outcome.label()).or_default() += 1;
            if !s.outcome.ok() && first_error.is_none() {
                first_error = Some(format!(
                    "{}: {}",
                    s.outcome.label(),
                    s.detail.clone().unwrap_or_default()
                ));
            }
        }
        Row {
            name: name.into(),
            route: route.into(),
            share,
            count: mine.len(),
            errors: mine.iter().filter(|s| !s.outcome.ok()).count(),
            statuses,
            first_error,
            lat: percentiles(mine.iter().map(|s| s.latency_us).collect()),
        }
    }

    fn rows(&self) -> Vec<Row> {
        let n = self.samples.len().max(1) as f64;
        let mut kinds: Vec<Kind> = self.samples.iter().map(|s| s.kind).collect();
        kinds.sort();
        kinds.dedup();
        let mut rows: Vec<Row> = kinds
            .into_iter()
            .map(|k| {
                let (name, route, _) = spec(k);
                let count = self.samples.iter().filter(|s| s.kind == k).count();
                self.row(name, route, count as f64 / n * 100.0, |s| s.kind == k)
            })
            .collect();
        rows.push(self.row("all", "", 100.0, |_| true));
        rows
    }

    fn lag_ms(&self) -> Option<[f64; 4]> {
        percentiles(self.samples.iter().map(|s| s.lag_us).collect())
    }

    fn to_json(&self) -> Value {
        let rows: Vec<Value> = self
            .rows()
            .into_iter()
            .map(|r| {
                json!({
                    "kind": r.name, "route": r.route, "share_percent": round(r.share, 2),
                    "count": r.count, "errors": r.errors, "statuses": r.statuses,
                    "first_error": r.first_error,
                    "latency_ms": r.lat.map(|l| json!({"p50": l[0], "p90": l[1], "p99": l[2], "max": l[3]})),
                })
            })
            .collect();
        let fallbacks: BTreeMap<&str, u64> =
            self.fallbacks.iter().map(|(k, v)| (spec(*k).0, *v)).collect();
        json!({
            "target_rate": self.rate,
            "seconds": self.duration_s,
            "warmup_seconds": self.warmup_s,
            "only": self.only,
            "scheduled": self.scheduled,
            "finished": self.samples.len(),
            "answered": self.answered().0,
            "answered_ok": self.answered().1,
            "answered_rate": round(self.answered().0 as f64 / self.duration_s, 1),
            "ok_rate": round(self.answered().1 as f64 / self.duration_s, 1),
            "errors": self.errors(),
            "max_in_flight": self.max_in_flight,
            "generator_lag_ms": self.lag_ms().map(|l| json!({"p50": l[0], "p90": l[1], "p99": l[2], "max": l[3]})),
            "fallbacks": fallbacks,
            "kinds": rows,
            "cpu_cores_used": {"loadgen": self.loadgen_cores.map(|c| round(c, 2)),
                               "server": self.server_cores.map(|c| round(c, 2)),
                               "machine": self.machine_cores.map(|c| round(c, 2))},
        })
    }

    fn to_text(&self) -> String {
        let mut s = String::new();
        let mut line = |l: String| {
            s.push_str(&l);
            s.push('\n');
        };
        line(format!(
            "target {:.0} requests/s for {:.0} s (after {:.0} s of warm-up){}: {} scheduled, {} answered = {:.1}/s ({:.1}/s with 2xx), {} errors",
            self.rate,
            self.duration_s,
            self.warmup_s,
            self.only.as_deref().map(|o| format!(", only {o}")).unwrap_or_default(),
            self.scheduled,
            self.answered().0,
            self.answered().0 as f64 / self.duration_s,
            self.answered().1 as f64 / self.duration_s,
            self.errors()
        ));
        line(format!(
            "{:<22} {:>6} {:>7} {:>6} {:>8} {:>8} {:>8} {:>9}  statuses",
            "kind", "share%", "count", "errors", "p50 ms", "p90 ms", "p99 ms", "max ms"
        ));
        let rows = self.rows();
        for r in &rows {
            let [p50, p90, p99, max] = r.lat.unwrap_or([f64::NAN; 4]);
            let statuses: Vec<String> =
                r.statuses.iter().map(|(k, v)| format!("{k}:{v}")).collect();
            line(format!(
                "{:<22} {:>6.1} {:>7} {:>6} {:>8.2} {:>8.2} {:>8.2} {:>9.2}  {}",
                r.name,
                r.share,
                r.count,
                r.errors,
                p50,
                p90,
                p99,
                max,
                statuses.join(" ")
            ));
        }
        for r in rows.iter().filter(|r| r.name != "all") {
            if let Some(e) = &r.first_error {
                line(format!("  first error of {}: {e}", r.name));
            }
        }
        if let Some([p50, _, p99, max]) = self.lag_ms() {
            line(format!(
                "generator lag ms  p50 {p50:.2}  p99 {p99:.2}  max {max:.2}; at most {} requests in flight",
                self.max_in_flight
            ));
        }
        for (k, v) in &self.fallbacks {
            line(format!(
                "{}: {v} calls found nothing left to act on and read instead",
                spec(*k).0
            ));
        }
        let cores = |c: Option<f64>| c.map_or("?".to_owned(), |c| format!("{c:.2}"));
        line(format!(
            "cpu (cores)       loadgen {}  server {}  whole machine {}",
            cores(self.loadgen_cores),
            cores(self.server_cores),
            cores(self.machine_cores)
        ));
        s
    }
}
