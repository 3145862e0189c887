//! `physio-loadgen`: the load generator of Physio's benchmarks (docs/benchmarks.md).
//!
//! Three modes. Without a subcommand, the live-session benchmark (below). `physio-loadgen seed`
//! scales a demo clinic up to N patients through the HTTP API (`seed`), and `physio-loadgen api`
//! sends a clinic's day of API calls at a constant arrival rate and reports latency per kind of
//! call (`api`, `clinic`).
//!
//! The live-session mode:
//! It opens N WebSocket sessions to `/api/v1/live` as patients, streams a recorded take into
//! each in a loop at a fixed rate with real timestamps, sends a ping after every k-th frame and
//! times the pong (docs/live-sessions.md: the server answers a ping once it has processed every
//! frame sent before it, so ping→pong is the end-to-end latency of the live path). At the end it
//! prints sessions, frames sent, the sustained frame rate, errors and latency percentiles.
//!
//! Bounded by construction: loopback addresses only, at most 5,000 sessions and 600 s of
//! streaming, every network step under a timeout, and a watchdog that ends the process if a
//! run overstays its budget.
//!
//! Cheap per frame, because it shares the machine with the server it measures: a few threads
//! (one by default), each with a single-threaded runtime driving its share of the sessions from
//! one schedule, with pre-encoded frames written straight to the sockets (`drive`, `wire`).

mod api;
mod clinic;
mod drive;
mod prescribe;
mod seed;
mod wire;

use std::{
    net::IpAddr,
    path::{Path, PathBuf},
    process::ExitCode,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, ensure};
use clap::Parser;
use serde_json::{Value, json};

const MAX_SESSIONS: usize = 5_000;
const MAX_DURATION: Duration = Duration::from_secs(600);
/// After its last frame, how long a session waits for outstanding pongs and the summary.
pub(crate) const DRAIN: Duration = Duration::from_secs(10);
/// Landmarks per BlazePose frame.
const LANDMARKS: usize = 33;

#[derive(Debug, Parser)]
#[command(
    name = "physio-loadgen",
    about = "Streams recorded landmarks into many live exercise sessions of a Physio server on \
             this machine and measures the ping→pong latency",
    after_help = "The API benchmark has its own subcommands: `physio-loadgen seed --help` (scale a \
                  demo clinic up through the API) and `physio-loadgen api --help` (a clinic's day \
                  of API calls at a constant rate)."
)]
struct Args {
    /// The server's address, e.g. http://127.0.0.1:8080 (loopback only).
    #[arg(long)]
    url: String,
    /// Concurrent sessions (1 to 5000).
    #[arg(long, default_value_t = 100)]
    sessions: usize,
    /// Frames per second sent by each session.
    #[arg(long, default_value_t = 30.0)]
    rate: f64,
    /// How long to stream, after every session has connected: 30s, 2m, 500ms (at most 10m).
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    duration: Duration,
    /// A recording in the live format, JSON Lines (`physio convert` writes one).
    #[arg(long)]
    recording: PathBuf,
    /// Send the compact binary encoding instead of JSON text.
    #[arg(long)]
    binary: bool,
    /// The exercise of every session.
    #[arg(long, default_value = "shoulder-abduction")]
    exercise: String,
    /// Send a ping after every this many frames.
    #[arg(long, default_value_t = 30)]
    ping_every: u64,
    /// Patient bearer tokens, one a line; sessions take them in turn.
    #[arg(long, conflicts_with = "login", required_unless_present = "login")]
    token_file: Option<PathBuf>,
    /// A patient's e-mail to sign in as (repeat for several patients); a token is made for
    /// each and the sessions take them in turn.
    #[arg(long = "login", value_name = "EMAIL")]
    login: Vec<String>,
    /// The password of the --login accounts.
    #[arg(long, env = "PHYSIO_LOADGEN_PASSWORD", requires = "login")]
    password: Option<String>,
    /// A clinician (repeat for several) who prescribes --exercise to each --login patient on
    /// their care team who does not have it today, before streaming: the server opens the
    /// live socket only for an exercise of the patient's programme. Signs in with --password;
    /// the prescriptions stay, so later --token-file runs need none.
    #[arg(long = "prescribe-as", value_name = "EMAIL", requires = "login")]
    prescribe_as: Vec<String>,
    /// Write the tokens made by --login here, for later runs with --token-file (sign-in is
    /// rate limited).
    #[arg(long, requires = "login")]
    save_tokens: Option<PathBuf>,
    /// Connections opened at the same time while setting up.
    #[arg(long, default_value_t = 32)]
    connect_parallel: usize,
    /// Time allowed for every session to connect before streaming starts.
    #[arg(long, default_value = "120s", value_parser = parse_duration)]
    connect_timeout: Duration,
    /// Generator threads, each driving an equal share of the sessions on its own
    /// single-threaded runtime (default 1).
    #[arg(long)]
    threads: Option<usize>,
    /// The server's process id, to report the CPU it used while streaming (Linux /proc).
    #[arg(long)]
    server_pid: Option<u32>,
    /// Print the result as one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    // `api` and `seed` are subcommands; anything else is the live-session mode, whose flags
    // stay as they were.
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let sub = argv.get(1).and_then(|a| a.to_str()).unwrap_or("");
    if sub == "api" || sub == "seed" {
        let rest = argv[2..].iter().cloned();
        let name = std::ffi::OsString::from(format!("physio-loadgen {sub}"));
        let result = if sub == "api" {
            api::main(&api::ApiArgs::parse_from(std::iter::once(name).chain(rest)))
        } else {
            seed::main(&seed::SeedArgs::parse_from(std::iter::once(name).chain(rest)))
                .map(|()| true)
        };
        return match result {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::FAILURE,
            Err(e) => {
                eprintln!("physio-loadgen {sub}: {e:#}");
                ExitCode::from(2)
            }
        };
    }
    let args = Args::parse();
    if let Err(e) = check(&args) {
        eprintln!("physio-loadgen: {e:#}");
        return ExitCode::from(2);
    }
    // The watchdog: whatever happens on the network, the process ends.
    let budget = args.connect_timeout + args.duration + DRAIN + Duration::from_secs(60);
    std::thread::spawn(move || {
        std::thread::sleep(budget);
        eprintln!("physio-loadgen: still running after {budget:?}; stopping");
        std::process::exit(3);
    });
    match run(&args) {
        Ok(report) => {
            if args.json {
                println!("{}", report.to_json());
            } else {
                print!("{}", report.to_text());
            }
            if report.errors() == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Err(e) => {
            eprintln!("physio-loadgen: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn check(args: &Args) -> Result<()> {
    ensure!((1..=MAX_SESSIONS).contains(&args.sessions), "--sessions must be 1 to {MAX_SESSIONS}");
    ensure!(
        args.rate.is_finite() && (0.1..=240.0).contains(&args.rate),
        "--rate must be 0.1 to 240"
    );
    ensure!(
        args.duration <= MAX_DURATION && !args.duration.is_zero(),
        "--duration must be >0 and ≤ 10m"
    );
    ensure!(args.connect_timeout <= MAX_DURATION, "--connect-timeout must be ≤ 10m");
    ensure!(args.ping_every >= 1, "--ping-every must be at least 1");
    ensure!((1..=1024).contains(&args.connect_parallel), "--connect-parallel must be 1 to 1024");
    ensure!(args.threads.is_none_or(|n| (1..=64).contains(&n)), "--threads must be 1 to 64");
    loopback(&args.url)?;
    Ok(())
}

/// `30s`, `2m`, `500ms` or a bare number of seconds.
fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) =
        s.split_at(s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len()));
    let v: f64 = num.parse().map_err(|_| format!("{s:?} is not a duration like 30s"))?;
    let secs = match unit {
        "" | "s" => v,
        "ms" => v / 1000.0,
        "m" | "min" => v * 60.0,
        _ => return Err(format!("{s:?}: use ms, s or m")),
    };
    Duration::try_from_secs_f64(secs).map_err(|e| format!("{s:?}: {e}"))
}

/// The server's base address, refused unless it is this machine.
fn loopback(url: &str) -> Result<reqwest::Url> {
    let u = reqwest::Url::parse(url).with_context(|| format!("--url {url:?}"))?;
    ensure!(u.scheme() == "http", "--url must start with http:// (loopback only, no TLS)");
    let host = u.host_str().unwrap_or("").trim_start_matches('[').trim_end_matches(']');
    let local = host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    ensure!(
        local,
        "--url {url:?} is not this machine; physio-loadgen only loads loopback addresses"
    );
    Ok(u)
}

/// A single-threaded runtime: each generator thread has its own, so no task ever wakes
/// another thread.
fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().context("starting a runtime")
}

fn run(args: &Args) -> Result<Report> {
    let base = loopback(&args.url)?;
    let recording = Recording::load(&args.recording)?;
    let tokens = match &args.token_file {
        Some(f) => {
            let text =
                std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
            let tokens: Vec<String> =
                text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
            ensure!(!tokens.is_empty(), "{}: no tokens", f.display());
            tokens
        }
        None => {
            let password = args.password.as_deref().context("give --password with --login")?;
            let tokens = runtime()?.block_on(sign_in(&base, args, password))?;
            if let Some(f) = &args.save_tokens {
                std::fs::write(f, tokens.join("\n") + "\n")
                    .with_context(|| format!("writing {}", f.display()))?;
            }
            tokens
        }
    };
    let mut live = base.join("/api/v1/live")?;
    live.set_scheme("ws").map_err(|()| anyhow::anyhow!("cannot make a ws:// address of {base}"))?;
    live.query_pairs_mut().append_pair("exercise", &args.exercise);
    let live: Arc<str> = live.to_string().into();
    let tokens: Arc<[String]> = tokens.into();
    let plan = Arc::new(Plan {
        recording,
        binary: args.binary,
        rate: args.rate,
        ping_every: args.ping_every,
        sessions: args.sessions,
    });

    // Every thread connects its share of the sessions first, so streaming starts from a steady
    // state; then all start together.
    let threads = args.threads.unwrap_or(1).min(args.sessions);
    let setup = Instant::now();
    let deadline = setup + args.connect_timeout;
    let parallel = args.connect_parallel.div_ceil(threads);
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<(usize, Vec<String>)>();
    let mut go = Vec::with_capacity(threads);
    let mut workers = Vec::with_capacity(threads);
    for t in 0..threads {
        let ids: Vec<usize> = (t..args.sessions).step_by(threads).collect();
        let (live, tokens, plan, ready_tx) =
            (live.clone(), tokens.clone(), plan.clone(), ready_tx.clone());
        let (go_tx, go_rx) = std::sync::mpsc::channel::<(Instant, Instant)>();
        go.push(go_tx);
        workers.push(std::thread::Builder::new().name(format!("loadgen-{t}")).spawn(
            move || -> Result<Vec<Outcome>> {
                let rt = runtime()?;
                let (sockets, failures) =
                    rt.block_on(drive::connect_all(ids, live, tokens, parallel, deadline));
                let _ = ready_tx.send((sockets.len(), failures));
                // Without a start (another thread failed), the sockets just close.
                let Ok((start, end)) = go_rx.recv() else { return Ok(vec![]) };
                Ok(rt.block_on(drive::stream(sockets, plan, start, end)))
            },
        )?);
    }
    drop(ready_tx);
    let mut failures = Failures::default();
    for (_, errors) in ready_rx.iter().take(threads) {
        for e in errors {
            failures.connect(e);
        }
    }
    let setup_s = setup.elapsed().as_secs_f64();
    let start = Instant::now() + Duration::from_millis(100);
    let end = start + args.duration;
    for g in &go {
        let _ = g.send((start, end));
    }

    // CPU time of the generator, the server and the machine over the streaming window.
    let sample = || {
        let server = args.server_pid.and_then(|p| cpu_seconds(&p.to_string()));
        [cpu_seconds("self"), server, machine_busy_seconds()]
    };
    std::thread::sleep(start.saturating_duration_since(Instant::now()));
    let before = sample();
    std::thread::sleep(end.saturating_duration_since(Instant::now()));
    let after = sample();
    let window = end.duration_since(start).as_secs_f64();
    let cores = |a: Option<f64>, b: Option<f64>| Some((b? - a?) / window);
    let [loadgen_cores, server_cores, machine_cores] =
        [0, 1, 2].map(|k| cores(before[k], after[k]));

    let mut outcomes = Vec::with_capacity(args.sessions);
    for w in workers {
        match w.join() {
            Ok(Ok(o)) => outcomes.extend(o),
            Ok(Err(e)) => failures.other(format!("{e:#}")),
            Err(_) => failures.other("a generator thread panicked".into()),
        }
    }
    Ok(Report {
        sessions: args.sessions,
        encoding: if args.binary { "binary" } else { "json" },
        rate: args.rate,
        threads,
        window_s: args.duration.as_secs_f64(),
        setup_s,
        outcomes,
        failures,
        loadgen_cores,
        server_cores,
        machine_cores,
    })
}

/// Signs in as each patient (cookie session) and makes an API token with the CSRF token from
/// the sign-in response; then, with --prescribe-as, makes sure each has the exercise in their
/// programme today.
async fn sign_in(base: &reqwest::Url, args: &Args, password: &str) -> Result<Vec<String>> {
    let mut patients = Vec::with_capacity(args.login.len());
    for email in &args.login {
        let (token, user) =
            clinic::make_token(base, email, password, None, "physio-loadgen").await?;
        let id = user["id"].as_str().context("no id in the sign-in response")?.to_owned();
        patients.push(prescribe::Streamer { email: email.clone(), id, token });
    }
    if !args.prescribe_as.is_empty() {
        let mut prescribers = Vec::with_capacity(args.prescribe_as.len());
        for email in &args.prescribe_as {
            let (token, user) =
                clinic::make_token(base, email, password, None, "physio-loadgen prescriber")
                    .await?;
            let id = user["id"].as_str().context("no id in the sign-in response")?.to_owned();
            prescribers.push(prescribe::Prescriber { email: email.clone(), id, token });
        }
        let api = clinic::Api::new(base.clone(), Duration::from_secs(60))?;
        let added = prescribe::ensure_all(&api, &prescribers, &patients, &args.exercise).await?;
        eprintln!(
            "physio-loadgen: {} prescribed to {added} of {} patients (the others had it)",
            args.exercise,
            patients.len()
        );
    }
    Ok(patients.into_iter().map(|p| p.token).collect())
}

/// A recording ready to send: each frame's JSON text without its time, and its binary
/// encoding (image landmarks, then world landmarks when the recording has them).
pub(crate) struct Recording {
    json_tails: Vec<String>,
    binary: Vec<Vec<u8>>,
}

impl Recording {
    fn load(path: &Path) -> Result<Recording> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let (mut json_tails, mut binary) = (vec![], vec![]);
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let at = || format!("{}:{}", path.display(), i + 1);
            let mut v: Value = serde_json::from_str(line).with_context(at)?;
            if v.get("t").is_none() {
                continue; // The header.
            }
            let with_world = v.get("world").is_some();
            let mut b = Vec::with_capacity(10 + LANDMARKS * 16 * 2);
            b.extend_from_slice(&0.0f64.to_le_bytes());
            b.push(u8::from(with_world));
            b.push(LANDMARKS as u8);
            for block in if with_world { &["landmarks", "world"][..] } else { &["landmarks"][..] } {
                let rows = v[block].as_array().with_context(|| format!("{}: no {block}", at()))?;
                ensure!(
                    rows.len() == LANDMARKS,
                    "{}: {block} holds {} landmarks",
                    at(),
                    rows.len()
                );
                for row in rows {
                    let r = row.as_array().with_context(at)?;
                    for k in 0..4 {
                        let x = r.get(k).and_then(Value::as_f64).unwrap_or(1.0);
                        b.extend_from_slice(&(x as f32).to_le_bytes());
                    }
                }
            }
            binary.push(b);
            // Keep the recorded text as it is (only the time changes when sending).
            let tail = match (line.strip_prefix("{\"t\":"), line.find(',')) {
                (Some(_), Some(comma)) => line[comma + 1..].to_owned(),
                _ => {
                    if let Some(o) = v.as_object_mut() {
                        o.remove("t");
                    }
                    v.to_string()[1..].to_owned()
                }
            };
            json_tails.push(tail);
        }
        ensure!(!binary.is_empty(), "{}: no frames", path.display());
        Ok(Recording { json_tails, binary })
    }

    fn len(&self) -> usize {
        self.binary.len()
    }
}

/// What every session does.
pub(crate) struct Plan {
    recording: Recording,
    binary: bool,
    rate: f64,
    ping_every: u64,
    sessions: usize,
}

/// What one session saw.
#[derive(Default)]
pub(crate) struct Outcome {
    frames: u64,
    /// Frames the server has confirmed processing (the id of the last pong).
    confirmed: u64,
    pings: u64,
    pongs_missing: u64,
    latencies_us: Vec<u32>,
    error_events: u64,
    /// Repetitions the server counted (`rep_completed` events).
    reps: u64,
    /// Closed or failed before the client ended it.
    dropped: Option<String>,
    summary: bool,
}

/// Failures outside the sessions' streams, with the first message of each kind.
#[derive(Default)]
struct Failures {
    connect: u64,
    first_connect: Option<String>,
    other: u64,
    first_other: Option<String>,
}

impl Failures {
    fn connect(&mut self, e: String) {
        self.connect += 1;
        self.first_connect.get_or_insert(e);
    }

    fn other(&mut self, e: String) {
        self.other += 1;
        self.first_other.get_or_insert(e);
    }
}

/// CPU seconds the whole machine has been busy (all but idle and I/O wait), from /proc/stat.
fn machine_busy_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let cpu = stat.lines().next()?.strip_prefix("cpu ")?;
    let ticks: Vec<f64> = cpu.split_whitespace().filter_map(|v| v.parse().ok()).collect();
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let busy: f64 =
        ticks.iter().take(8).enumerate().filter(|(k, _)| *k != 3 && *k != 4).map(|(_, v)| v).sum();
    Some(busy / 100.0)
}

/// CPU seconds (user + system) used so far by a process, from /proc (`self` or a pid).
fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    // USER_HZ is 100 on every Linux this runs on.
    Some(ticks / 100.0)
}

struct Report {
    sessions: usize,
    encoding: &'static str,
    rate: f64,
    threads: usize,
    window_s: f64,
    setup_s: f64,
    outcomes: Vec<Outcome>,
    failures: Failures,
    loadgen_cores: Option<f64>,
    server_cores: Option<f64>,
    /// Every process on the machine, from /proc/stat.
    machine_cores: Option<f64>,
}

impl Report {
    fn sum(&self, f: impl Fn(&Outcome) -> u64) -> u64 {
        self.outcomes.iter().map(f).sum()
    }

    fn dropped(&self) -> (u64, Option<&str>) {
        let mut d = self.outcomes.iter().filter_map(|o| o.dropped.as_deref());
        let first = d.next();
        (u64::from(first.is_some()) + d.count() as u64, first)
    }

    fn errors(&self) -> u64 {
        self.failures.connect
            + self.failures.other
            + self.dropped().0
            + self.sum(|o| o.error_events)
            + self.sum(|o| o.pongs_missing)
    }

    /// Latency percentiles in milliseconds (nearest rank): p50, p90, p99, max.
    fn latency_ms(&self) -> Option<[f64; 4]> {
        let mut all: Vec<u32> =
            self.outcomes.iter().flat_map(|o| o.latencies_us.iter().copied()).collect();
        if all.is_empty() {
            return None;
        }
        all.sort_unstable();
        let rank = |p: f64| all[((p * all.len() as f64).ceil() as usize).clamp(1, all.len()) - 1];
        let ms = |us: u32| f64::from(us) / 1000.0;
        Some([ms(rank(0.50)), ms(rank(0.90)), ms(rank(0.99)), ms(all[all.len() - 1])])
    }

    fn to_json(&self) -> Value {
        let frames = self.sum(|o| o.frames);
        let (dropped, first_drop) = self.dropped();
        let lat = self.latency_ms();
        json!({
            "sessions": self.sessions,
            "connected": self.outcomes.len(),
            "encoding": self.encoding,
            "rate_per_session": self.rate,
            "generator_threads": self.threads,
            "seconds": self.window_s,
            "setup_seconds": round(self.setup_s, 1),
            "frames_sent": frames,
            "frames_per_second": round(frames as f64 / self.window_s, 0),
            "target_frames_per_second": self.sessions as f64 * self.rate,
            "frames_confirmed": self.sum(|o| o.confirmed),
            "pings": self.sum(|o| o.pings),
            "reps_counted": self.sum(|o| o.reps),
            "pongs": self.outcomes.iter().map(|o| o.latencies_us.len()).sum::<usize>(),
            "errors": self.errors(),
            "error_detail": {
                "connect": self.failures.connect,
                "first_connect_error": self.failures.first_connect,
                "dropped": dropped,
                "first_drop": first_drop,
                "error_events": self.sum(|o| o.error_events),
                "pongs_missing": self.sum(|o| o.pongs_missing),
                "other": self.failures.other,
                "first_other": self.failures.first_other,
            },
            "latency_ms": lat.map(|l| json!({"p50": l[0], "p90": l[1], "p99": l[2], "max": l[3]})),
            "cpu_cores_used": {"loadgen": self.loadgen_cores.map(|c| round(c, 2)),
                               "server": self.server_cores.map(|c| round(c, 2)),
                               "machine": self.machine_cores.map(|c| round(c, 2))},
        })
    }

    fn to_text(&self) -> String {
        let frames = self.sum(|o| o.frames);
        let (dropped, first_drop) = self.dropped();
        let mut s = String::new();
        let mut line = |l: String| {
            s.push_str(&l);
            s.push('\n');
        };
        line(format!(
            "sessions        {} ({} connected in {:.1} s), {}, {} frames/s each, {:.0} s",
            self.sessions,
            self.outcomes.len(),
            self.setup_s,
            self.encoding,
            self.rate,
            self.window_s
        ));
        line(format!(
            "frames sent     {frames} = {:.0} frames/s sustained (target {:.0}); {} confirmed by pongs, {} repetitions counted",
            frames as f64 / self.window_s,
            self.sessions as f64 * self.rate,
            self.sum(|o| o.confirmed),
            self.sum(|o| o.reps)
        ));
        line(format!(
            "errors          {} (connect {}, dropped {dropped}, error events {}, pongs missing {}, other {})",
            self.errors(),
            self.failures.connect,
            self.sum(|o| o.error_events),
            self.sum(|o| o.pongs_missing),
            self.failures.other
        ));
        for (what, first) in [
            ("first connect error", self.failures.first_connect.as_deref()),
            ("first drop", first_drop),
            ("first other error", self.failures.first_other.as_deref()),
        ] {
            if let Some(e) = first {
                line(format!("  {what}: {e}"));
            }
        }
        let pongs: usize = self.outcomes.iter().map(|o| o.latencies_us.len()).sum();
        match self.latency_ms() {
            Some([p50, p90, p99, max]) => line(format!(
                "latency ms      p50 {p50:.2}  p90 {p90:.2}  p99 {p99:.2}  max {max:.2}  ({pongs} pongs)"
            )),
            None => line("latency ms      no pongs".into()),
        }
        let cores = |c: Option<f64>| c.map_or("?".to_owned(), |c| format!("{c:.2}"));
        line(format!(
            "cpu (cores)     loadgen {}  server {}  whole machine {}",
            cores(self.loadgen_cores),
            cores(self.server_cores),
            cores(self.machine_cores)
        ));
        s
    }
}

/// `x` rounded to `digits` decimals, for reports.
fn round(x: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (x * k).round() / k
}
