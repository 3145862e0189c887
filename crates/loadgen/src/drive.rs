//! The streaming phase: one thread with its own single-threaded runtime drives a share of the
//! sessions.
//!
//! Per frame the generator should cost little more than the `send` system call, so that it
//! does not take the CPU the server is being measured with. Hence: one task writes every due
//! frame of the thread's sessions from a shared schedule (one timer wake-up per millisecond or
//! so, not one per session and frame), frames are built into one reused buffer with the ping
//! that follows them, and each session's replies are read by a small task that sleeps until
//! the server says something (a pong per 30 frames, a few events per repetition). No task
//! ever wakes another thread.

use std::{
    cmp::Reverse,
    collections::{BinaryHeap, VecDeque},
    fmt::Write as _,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Result, bail};
use futures_util::StreamExt;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{
        TcpStream,
        tcp::{OwnedReadHalf, OwnedWriteHalf},
    },
    sync::Semaphore,
};
use tokio_tungstenite::{
    MaybeTlsStream,
    tungstenite::{Message, client::IntoClientRequest, http::HeaderValue},
};

use crate::{
    DRAIN, Outcome, Plan,
    wire::{self, Incoming},
};

/// Bytes a session may have waiting for the socket before its next frames are skipped.
const MAX_BACKLOG: usize = 64 * 1024;

/// Opens one session, waits for the server's `session` message and returns the bare socket.
pub(crate) async fn connect(url: &str, token: &str) -> Result<TcpStream> {
    let mut req = url.into_client_request()?;
    req.headers_mut().insert("authorization", HeaderValue::from_str(&format!("Bearer {token}"))?);
    // TCP_NODELAY on (the `true`): small messages must not wait for acknowledgements.
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(req, None, true).await?;
    match ws.next().await {
        Some(Ok(Message::Text(t))) if t.contains("\"type\":\"session\"") => {}
        Some(Ok(m)) => bail!("expected the session message, got {m:?}"),
        Some(Err(e)) => return Err(e.into()),
        None => bail!("closed before the session message"),
    }
    // Nothing is buffered beyond the session message: the server says nothing more until the
    // client sends.
    match ws.into_inner() {
        MaybeTlsStream::Plain(s) => Ok(s),
        _ => bail!("not a plain TCP connection"),
    }
}

/// Connects sessions `ids` (global indices), at most `parallel` at a time, until `deadline`.
pub(crate) async fn connect_all(
    ids: Vec<usize>,
    url: Arc<str>,
    tokens: Arc<[String]>,
    parallel: usize,
    deadline: Instant,
) -> (Vec<(usize, TcpStream)>, Vec<String>) {
    let gate = Arc::new(Semaphore::new(parallel));
    let deadline = tokio::time::Instant::from_std(deadline);
    let pending: Vec<_> = ids
        .into_iter()
        .map(|i| {
            let (gate, url, tokens) = (gate.clone(), url.clone(), tokens.clone());
            tokio::spawn(async move {
                let _permit = gate.acquire_owned().await?;
                let token = &tokens[i % tokens.len()];
                match tokio::time::timeout_at(deadline, connect(&url, token)).await {
                    Ok(r) => r.map(|s| (i, s)),
                    Err(_) => bail!("not connected within --connect-timeout"),
                }
            })
        })
        .collect();
    let (mut sockets, mut failures) = (vec![], vec![]);
    for p in pending {
        match p.await {
            Ok(Ok(s)) => sockets.push(s),
            Ok(Err(e)) => failures.push(format!("{e:#}")),
            Err(e) => failures.push(format!("connecting task: {e}")),
        }
    }
    (sockets, failures)
}

/// What the writer and the reader of one session share.
#[derive(Default)]
struct Shared {
    /// Pings sent and not yet answered: id and when it went out.
    pings: Mutex<VecDeque<(u64, Instant)>>,
    /// The client has sent `end` (a close after it is the server's normal goodbye).
    ended: AtomicBool,
}

/// The writing side of one session.
struct Writer {
    wr: OwnedWriteHalf,
    shared: Arc<Shared>,
    /// Where in the recording this session starts.
    offset: usize,
    /// When the session's first frame is due; frame timestamps count from here.
    first: Instant,
    next_frame: Instant,
    n: u64,
    last_t: f64,
    /// Bytes the socket did not take yet (sent before anything new).
    backlog: Vec<u8>,
    frames: u64,
    pings: u64,
    dropped: Option<String>,
}

/// Streams into `sockets` from `start` until `end`, then ends every session and collects
/// what each saw.
pub(crate) async fn stream(
    sockets: Vec<(usize, TcpStream)>,
    plan: Arc<Plan>,
    start: Instant,
    end: Instant,
) -> Vec<Outcome> {
    let period = Duration::from_secs_f64(1.0 / plan.rate);
    let mut writers = Vec::with_capacity(sockets.len());
    let mut readers = Vec::with_capacity(sockets.len());
    for (i, socket) in sockets {
        let (rd, wr) = socket.into_split();
        let shared = Arc::new(Shared::default());
        // Spread the sessions over one frame period, and start each at another point of the
        // recording, as independent patients would be.
        let first = start + period.mul_f64(i as f64 / plan.sessions as f64);
        readers.push(tokio::spawn(read(rd, shared.clone(), end + DRAIN)));
        writers.push(Writer {
            wr,
            shared,
            offset: i * 97,
            first,
            next_frame: first,
            n: 0,
            last_t: f64::NEG_INFINITY,
            backlog: vec![],
            frames: 0,
            pings: 0,
            dropped: None,
        });
    }
    write(&mut writers, &plan, period, end).await;
    finish(&mut writers, end + DRAIN).await;
    let mut outcomes = Vec::with_capacity(writers.len());
    for (w, r) in writers.into_iter().zip(readers) {
        let mut out = r.await.unwrap_or_else(|e| Outcome {
            dropped: Some(format!("reading task: {e}")),
            ..Outcome::default()
        });
        out.frames = w.frames;
        out.pings = w.pings;
        out.pongs_missing = w.shared.pings.lock().map_or(0, |p| p.len() as u64);
        if w.dropped.is_some() {
            out.dropped = w.dropped;
        }
        outcomes.push(out);
    }
    outcomes
}

/// A small PRNG for mask keys (xorshift64*: masking needs unpredictability against proxies,
/// not cryptographic strength, and there are none on loopback).
struct Keys(u64);

impl Keys {
    fn next(&mut self) -> [u8; 4] {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        [(x >> 32) as u8, (x >> 40) as u8, (x >> 48) as u8, (x >> 56) as u8]
    }
}

/// Writes every session's frames on schedule until `end`.
async fn write(writers: &mut [Writer], plan: &Plan, period: Duration, end: Instant) {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64);
    let mut keys = Keys(seed | 1);
    // Frames written since the task last let the runtime run: when the generator is behind,
    // the readers (and the socket readiness they and `try_write` rely on) still get their turn.
    let mut unyielded = 0u32;
    // The next time each session needs attention, earliest first.
    let mut due: BinaryHeap<Reverse<(Instant, usize)>> =
        writers.iter().enumerate().map(|(k, w)| Reverse((w.next_frame, k))).collect();
    let mut buf = Vec::with_capacity(4096);
    let mut text = String::with_capacity(64);
    let retry = Duration::from_millis(1);
    while let Some(Reverse((at, k))) = due.pop() {
        if at > Instant::now() {
            tokio::time::sleep_until(at.into()).await;
            unyielded = 0;
        } else if unyielded >= 64 {
            tokio::task::yield_now().await;
            unyielded = 0;
        }
        unyielded += 1;
        let now = Instant::now();
        let w = &mut writers[k];
        if !w.backlog.is_empty() {
            flush_backlog(w);
        }
        if w.dropped.is_some() {
            continue;
        }
        if w.next_frame <= now && w.next_frame < end {
            if w.backlog.len() < MAX_BACKLOG {
                send_frame(w, plan, now, &mut keys, &mut buf, &mut text);
            }
            // Missed frames are skipped, not sent in a burst (a late frame goes out once).
            w.next_frame += period;
            if w.next_frame <= now {
                let behind = now.duration_since(w.next_frame).as_nanos() / period.as_nanos();
                w.next_frame += period * (behind as u32 + 1);
            }
        }
        if w.dropped.is_some() {
            continue;
        }
        if w.next_frame < end {
            let next = if w.backlog.is_empty() { w.next_frame } else { now + retry };
            due.push(Reverse((next.min(w.next_frame), k)));
        } else if !w.backlog.is_empty() && now < end {
            due.push(Reverse((now + retry, k)));
        }
    }
}

/// Builds one frame (and the ping after every `ping_every`-th) and hands it to the socket.
fn send_frame(
    w: &mut Writer,
    plan: &Plan,
    now: Instant,
    keys: &mut Keys,
    buf: &mut Vec<u8>,
    text: &mut String,
) {
    // Real timestamps: seconds since this session's first frame, increasing.
    let t = now.saturating_duration_since(w.first).as_secs_f64().max(w.last_t + 1e-3);
    w.last_t = t;
    let k = (w.offset + w.n as usize) % plan.recording.len();
    buf.clear();
    if plan.binary {
        let b = &plan.recording.binary[k];
        wire::push_frame(buf, wire::BINARY, keys.next(), &[&t.to_le_bytes(), &b[8..]]);
    } else {
        text.clear();
        let _ = write!(text, "{{\"t\":{t:.4},");
        let tail = plan.recording.json_tails[k].as_bytes();
        wire::push_frame(buf, wire::TEXT, keys.next(), &[text.as_bytes(), tail]);
    }
    w.n += 1;
    w.frames += 1;
    let ping = w.n.is_multiple_of(plan.ping_every);
    if ping {
        text.clear();
        let _ = write!(text, "{{\"type\":\"ping\",\"id\":{}}}", w.n);
        wire::push_frame(buf, wire::TEXT, keys.next(), &[text.as_bytes()]);
        // Timed from before the write: the latency includes the generator's own send.
        if let Ok(mut p) = w.shared.pings.lock() {
            p.push_back((w.n, Instant::now()));
        }
        w.pings += 1;
    }
    if w.backlog.is_empty() {
        match w.wr.try_write(buf) {
            Ok(m) => w.backlog.extend_from_slice(&buf[m..]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                w.backlog.extend_from_slice(buf)
            }
            Err(e) => w.dropped = Some(format!("sending a frame: {e}")),
        }
    } else {
        w.backlog.extend_from_slice(buf);
    }
}

/// Writes as much of the session's backlog as the socket takes now.
fn flush_backlog(w: &mut Writer) {
    match w.wr.try_write(&w.backlog) {
        Ok(m) => {
            w.backlog.drain(..m);
        }
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        Err(e) => w.dropped = Some(format!("sending a frame: {e}")),
    }
}

/// Ends every session still open: the rest of its backlog, then `{"type":"end"}`.
async fn finish(writers: &mut [Writer], until: Instant) {
    let until = tokio::time::Instant::from_std(until);
    let mut keys = Keys(0x9E37_79B9_7F4A_7C15);
    for w in writers.iter_mut().filter(|w| w.dropped.is_none()) {
        wire::push_frame(&mut w.backlog, wire::TEXT, keys.next(), &[b"{\"type\":\"end\"}"]);
        w.shared.ended.store(true, Ordering::Relaxed);
        // A server that stopped reading is reported through the missing pongs and summary.
        let _ = tokio::time::timeout_at(until, w.wr.write_all(&w.backlog)).await;
        w.backlog.clear();
    }
}

/// Reads one session's replies until its summary, a close, an error or `until`.
async fn read(mut rd: OwnedReadHalf, shared: Arc<Shared>, until: Instant) -> Outcome {
    let until = tokio::time::Instant::from_std(until);
    let mut out = Outcome::default();
    let mut r = wire::Reader::new();
    loop {
        loop {
            match r.next() {
                Ok(Some(Incoming::Text(text))) => on_text(text, &shared, &mut out),
                Ok(Some(Incoming::Close)) => {
                    if !shared.ended.load(Ordering::Relaxed) {
                        out.dropped = Some("closed by the server".into());
                    }
                    return out;
                }
                Ok(Some(Incoming::Other)) => {}
                Ok(None) => break,
                Err(e) => {
                    out.dropped = Some(format!("receiving: {e}"));
                    return out;
                }
            }
        }
        if out.summary {
            return out;
        }
        r.prepare();
        match tokio::time::timeout_at(until, rd.read_buf(&mut r.buf)).await {
            Err(_) => return out,
            Ok(Ok(0)) => {
                if !shared.ended.load(Ordering::Relaxed) {
                    out.dropped = Some("closed by the server".into());
                }
                return out;
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                out.dropped = Some(format!("receiving: {e}"));
                return out;
            }
        }
    }
}

/// Handles one text message from the server.
fn on_text(text: &str, shared: &Shared, out: &mut Outcome) {
    if text.contains("\"type\":\"pong\"") {
        let now = Instant::now();
        let id =
            serde_json::from_str::<serde_json::Value>(text).ok().and_then(|v| v["id"].as_u64());
        let (Some(id), Ok(mut pings)) = (id, shared.pings.lock()) else { return };
        while let Some(&(sent_id, sent)) = pings.front() {
            if sent_id > id {
                break;
            }
            pings.pop_front();
            if sent_id == id {
                let us = now.duration_since(sent).as_micros();
                out.latencies_us.push(u32::try_from(us).unwrap_or(u32::MAX));
                out.confirmed = id;
            }
        }
    } else if text.contains("\"type\":\"rep_completed\"") {
        out.reps += 1;
    } else if text.contains("\"type\":\"error\"") {
        out.error_events += 1;
    } else if text.contains("\"type\":\"summary\"") {
        out.summary = true;
    }
}
