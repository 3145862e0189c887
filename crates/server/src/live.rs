//! Live exercise sessions: a patient's browser streams body landmarks over a WebSocket, the
//! motion engine turns each frame into events (repetitions, form warnings, holds), and every
//! completed repetition is stored for the clinician. Protocol: docs/live-sessions.md.
//!
//! A dropped connection parks the session's engine in memory for a while, so a reconnect with
//! `?session=<id>` carries on counting where it stopped.

use std::{collections::HashMap, sync::Mutex, time::Instant};

use axum::{
    extract::{
        State, WebSocketUpgrade,
        ws::{CloseFrame, Message, WebSocket},
    },
    http::HeaderMap,
    response::Response,
};
use physio_motion::{
    formats::blazepose::{binary_frame_has_world, decode_binary_frame, decode_frame},
    skeleton::Space,
    tracker::{Calibration, Event, Tracker, TrackerConfig},
};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{auth::Principal, error::ApiError, error::ApiQuery, state::AppState};

/// How long a disconnected session waits for its patient to come back.
const PARK_FOR: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// How long a reconnect waits for the session's previous connection to hand over its engine
/// (a phone often reconnects before the server has noticed the old connection drop).
const HANDOVER: std::time::Duration = std::time::Duration::from_secs(2);

/// The largest message a client may send. Frames are 0.5–2 KB; without a cap tungstenite
/// buffers messages of up to 64 MiB, and a handful of sockets took hundreds of megabytes.
pub const MAX_MESSAGE: usize = 64 * 1024;

/// How often an open socket checks that its patient's account is still active (deactivation
/// also closes it at once: `Parked::close_user`; this catches another server process doing it).
const RECHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// The close code for a socket the server will not keep: "policy violation" (RFC 6455 §7.4.1).
const CLOSE_POLICY: u16 = 1008;

/// Engines of sessions whose connection dropped, by session id; how many connections each
/// session has now (two overlap while one is torn down); and the open sockets by user, so a
/// user's number of sockets is capped and deactivating them closes every one.
#[derive(Default)]
pub struct Parked(Mutex<HashMap<Uuid, ParkedSession>>, Mutex<HashMap<Uuid, u32>>, Streams);

/// Open sockets by user: each holds a sender that, when set, tells its socket to close.
type ByUser = Mutex<HashMap<Uuid, Vec<(u64, tokio::sync::watch::Sender<bool>)>>>;

#[derive(Default)]
struct Streams {
    next: std::sync::atomic::AtomicU64,
    by_user: std::sync::Arc<ByUser>,
}

/// One admitted socket: frees its place when dropped; `closed` turns true to close it.
pub struct Slot {
    by_user: std::sync::Arc<ByUser>,
    user: Uuid,
    id: u64,
    closed: tokio::sync::watch::Receiver<bool>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut map = self.by_user.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(list) = map.get_mut(&self.user) {
            list.retain(|(id, _)| *id != self.id);
            if list.is_empty() {
                map.remove(&self.user);
            }
        }
    }
}

impl Parked {
    /// A place for one more of `user`'s sockets, or `None` when they have `max` open.
    fn admit(&self, user: Uuid, max: usize) -> Option<Slot> {
        let streams = &self.2;
        let mut map = streams.by_user.lock().unwrap_or_else(|e| e.into_inner());
        let list = map.entry(user).or_default();
        if list.len() >= max {
            return None;
        }
        let id = streams.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (tx, closed) = tokio::sync::watch::channel(false);
        list.push((id, tx));
        Some(Slot { by_user: streams.by_user.clone(), user, id, closed })
    }

    /// Closes every open socket of `user` at once (their account was deactivated).
    pub fn close_user(&self, user: Uuid) {
        let map = self.2.by_user.lock().unwrap_or_else(|e| e.into_inner());
        for (_, tx) in map.get(&user).into_iter().flatten() {
            tx.send_replace(true);
        }
    }
}

struct ParkedSession {
    patient_id: Uuid,
    live: Live,
    since: Instant,
}

impl Parked {
    fn take(&self, session: Uuid, patient: Uuid) -> Option<Live> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, p| p.since.elapsed() < PARK_FOR);
        match map.get(&session) {
            Some(p) if p.patient_id == patient => map.remove(&session).map(|p| p.live),
            _ => None,
        }
    }

    /// Takes the parked engine, waiting up to `HANDOVER` while the session still has a
    /// connection that is being torn down.
    async fn take_when_handed_over(&self, session: Uuid, patient: Uuid) -> Option<Live> {
        let deadline = Instant::now() + HANDOVER;
        loop {
            let live = self.take(session, patient);
            if live.is_some() || !self.connected(session) || Instant::now() >= deadline {
                return live;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    fn connected(&self, session: Uuid) -> bool {
        self.1.lock().unwrap_or_else(|e| e.into_inner()).get(&session).is_some_and(|n| *n > 0)
    }

    fn set_connected(&self, session: Uuid, connected: bool) {
        let mut counts = self.1.lock().unwrap_or_else(|e| e.into_inner());
        let n = counts.entry(session).or_insert(0);
        if connected {
            *n += 1;
        } else {
            *n = n.saturating_sub(1);
            if *n == 0 {
                counts.remove(&session);
            }
        }
    }

    fn park(&self, session: Uuid, patient: Uuid, live: Live) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Two connections of one session can overlap while one is torn down; keep the engine
        // that has counted more.
        if map.get(&session).is_some_and(|p| p.live.reps.len() > live.reps.len()) {
            return;
        }
        map.insert(session, ParkedSession { patient_id: patient, live, since: Instant::now() });
    }
}

/// One session's engine and what it has counted.
struct Live {
    tracker: Tracker,
    reps: Vec<Value>,
    correct: i32,
    /// Image width over height, from the client's header.
    aspect: f64,
    /// Fixed by the first frame: world landmarks when it has them.
    space: Option<Space>,
    frames: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveQuery {
    exercise: String,
    session: Option<Uuid>,
    /// Ignored: the prescription sets the repetitions (kept so older pages still connect).
    #[allow(dead_code, reason = "accepted for compatibility; the prescription decides")]
    target: Option<u32>,
}

/// `GET /api/v1/live`: upgrade to the session's WebSocket (patients only, own sessions only).
pub async fn connect(
    State(state): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<LiveQuery>,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    // A WebSocket handshake is a GET, so the CSRF guard does not see it: check the origin here.
    if !crate::http::same_origin(&headers) {
        return Err(ApiError::Forbidden("cross-site requests are not accepted".into()));
    }
    // Streaming stores repetitions: a change, though the handshake is a GET.
    if let crate::auth::Via::Token { scope: physio_store::TokenScope::Read, .. } = p.via {
        return Err(crate::auth::read_only_token());
    }
    let ws = ws.max_message_size(MAX_MESSAGE).max_frame_size(MAX_MESSAGE);
    // Refused with a close reason the page can show (a browser cannot read an HTTP refusal of
    // a WebSocket handshake), before any session is opened.
    let max = state.config().live_sessions_per_user;
    let Some(slot) = state.live().admit(p.user.id, max) else {
        let reason = format!(
            "you already have {max} live sessions open; close one (another tab or device) first"
        );
        return Ok(ws.on_upgrade(move |mut socket| async move {
            let frame = CloseFrame { code: CLOSE_POLICY, reason: reason.into() };
            let _ = socket.send(Message::Close(Some(frame))).await;
        }));
    };
    let crate::care::sessions::Opened { session, resumed, calibration, spec, target_reps } =
        crate::care::sessions::open(&state, &p, &q.exercise, q.session).await?;
    let target = target_reps.clamp(1, 100);
    // A parked engine behind what was stored (an overlapping connection) is dropped.
    let live = if resumed {
        state
            .live()
            .take_when_handed_over(session.id, p.user.id)
            .await
            .filter(|l| l.reps.len() as i32 >= session.rep_count)
    } else {
        None
    };
    // Without a parked engine (a restart, or parked too long) counting restarts from what was
    // stored, so the numbers the patient saw carry on.
    let live = live.unwrap_or_else(|| {
        let reps = session.reps.as_array().cloned().unwrap_or_default();
        Live {
            tracker: Tracker::new(
                &spec,
                TrackerConfig { target_reps: Some(target), calibration, ..TrackerConfig::DEFAULT },
            ),
            correct: session.correct_count,
            reps,
            aspect: 4.0 / 3.0,
            space: None,
            frames: 0,
        }
    });
    let ctx = Ctx {
        state,
        patient: p.user.id,
        principal: p,
        session: session.id,
        exercise: q.exercise,
        reference: calibration,
    };
    // Frames are 0.5–2 KB: a small read buffer saves zero-filling the default 128 KiB one
    // before every socket read (7 % of the server's CPU in the profile, docs/benchmarks.md).
    Ok(ws
        .read_buffer_size(8 * 1024)
        .on_upgrade(move |socket| run(socket, ctx, live, resumed, slot)))
}

struct Ctx {
    state: AppState,
    patient: Uuid,
    /// Who streams: repetitions are stored and audited as their actions.
    principal: Principal,
    session: Uuid,
    exercise: String,
    reference: Option<Calibration>,
}

async fn send(socket: &mut WebSocket, v: &Value) -> bool {
    socket.send(Message::Text(v.to_string().into())).await.is_ok()
}

/// The repetitions so far, how many, how many correct.
type Progress = Option<(Value, i32, i32)>;

/// Writes a session's repetitions as they come, off the frame loop: a commit waits for the
/// disk, and frames must not wait for it. Only the newest list is written when several are
/// queued (each holds every repetition so far).
fn spawn_writer(ctx: &Ctx) -> (tokio::sync::watch::Sender<Progress>, tokio::task::JoinHandle<()>) {
    let (tx, mut rx) = tokio::sync::watch::channel::<Progress>(None);
    let (state, p, session) = (ctx.state.clone(), ctx.principal.clone(), ctx.session);
    let task = tokio::spawn(async move {
        let mut saved = -1;
        loop {
            let closed = rx.changed().await.is_err();
            let latest = rx.borrow_and_update().clone();
            if let Some((reps, n, c)) = latest
                && n != saved
            {
                if let Err(e) =
                    crate::care::sessions::save_progress(&state, &p, session, &reps, n, c).await
                {
                    tracing::error!(error = ?e, "saving exercise progress");
                }
                saved = n;
            }
            if closed {
                break;
            }
        }
    });
    (tx, task)
}

/// Whether the socket's user is still active; a failed read keeps the socket (the deactivation
/// itself closes it, `Parked::close_user`).
async fn still_active(ctx: &Ctx) -> bool {
    ctx.state.store().user(ctx.patient).await.map_or(true, |u| u.active)
}

/// Sends the engine's events to the page, keeping the repetitions (numbered on from any stored
/// before a restart) and handing the list to the writer. False when the socket is gone.
async fn forward(
    socket: &mut WebSocket,
    live: &mut Live,
    events: &[Event],
    progress: &tokio::sync::watch::Sender<Progress>,
) -> bool {
    let mut completed = false;
    let mut open = true;
    for &e in events {
        let mut v = serde_json::to_value(e).unwrap_or(Value::Null);
        if let Value::Object(o) = &mut v {
            if let Some(kind) = o.remove("event") {
                o.insert("type".into(), kind);
            }
            if let Event::RepCompleted(r) = e {
                // Count on from stored repetitions when the engine was restarted.
                o.insert("index".into(), json!(live.reps.len() + 1));
                live.correct += i32::from(r.correct);
                live.reps.push(v.clone());
                completed = true;
            }
        }
        if open && !send(socket, &v).await {
            open = false;
        }
    }
    if completed {
        progress.send_replace(Some((
            Value::Array(live.reps.clone()),
            live.reps.len() as i32,
            live.correct,
        )));
    }
    open
}

async fn run(mut socket: WebSocket, ctx: Ctx, mut live: Live, resumed: bool, mut slot: Slot) {
    let m = ctx.state.metrics();
    m.live_sessions.inc();
    ctx.state.live().set_connected(ctx.session, true);
    let (progress, writer) = spawn_writer(&ctx);
    let hello = json!({"type": "session", "session_id": ctx.session, "exercise": ctx.exercise,
        "resumed": resumed, "reps": live.reps.len(), "reference": ctx.reference.map(|c| json!({"rest": c.rest, "peak": c.peak}))});
    let mut ended = !send(&mut socket, &hello).await;
    let mut recheck = tokio::time::interval(RECHECK_EVERY);
    recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    recheck.tick().await;
    let mut deactivated = false;
    while !ended {
        let msg = tokio::select! {
            biased;
            _ = slot.closed.changed() => {
                deactivated = true;
                break;
            }
            _ = recheck.tick() => {
                if still_active(&ctx).await {
                    continue;
                }
                deactivated = true;
                break;
            }
            msg = socket.recv() => msg,
        };
        // A message over `MAX_MESSAGE` is an error here: the socket is dropped.
        let Some(Ok(msg)) = msg else { break };
        let frame = match msg {
            Message::Text(text) => {
                let text = text.as_str();
                // Only control messages and the header need a generic parse; frames (the bulk)
                // go straight to the frame decoder rather than being parsed twice.
                let control = text.contains("\"type\"") || text.contains("\"format\"");
                if control && let Ok(v) = serde_json::from_str::<Value>(text) {
                    match v.get("type").and_then(Value::as_str) {
                        Some("end") => {
                            ended = true;
                            break;
                        }
                        // Answered after every frame sent before it: clients measure latency.
                        Some("ping") => {
                            let pong = json!({"type": "pong", "id": v.get("id").cloned().unwrap_or(Value::Null)});
                            if !send(&mut socket, &pong).await {
                                break;
                            }
                            continue;
                        }
                        _ => {}
                    }
                    if v.get("format").is_some() {
                        let w = v.get("image_width").and_then(Value::as_f64).unwrap_or(0.0);
                        let h = v.get("image_height").and_then(Value::as_f64).unwrap_or(0.0);
                        if w > 0.0 && h > 0.0 && (w / h).is_finite() {
                            live.aspect = w / h;
                        }
                        continue;
                    }
                }
                live.frames += 1;
                // Decided once per session (scanning the message only for the first frame).
                let space = *live.space.get_or_insert_with(|| {
                    if text.contains("\"world\"") { Space::World } else { Space::Image }
                });
                decode_frame(text, live.aspect, space, live.frames)
            }
            Message::Binary(bytes) => {
                live.frames += 1;
                let space = *live.space.get_or_insert_with(|| {
                    if binary_frame_has_world(&bytes) { Space::World } else { Space::Image }
                });
                decode_binary_frame(&bytes, live.aspect, space, live.frames)
            }
            Message::Close(_) => break,
            _ => continue,
        };
        let frame = match frame {
            Ok(f) => f,
            Err(e) => {
                m.live_frame_errors.inc();
                let msg =
                    json!({"type": "error", "message": format!("frame {}: {}", e.line, e.message)});
                if !send(&mut socket, &msg).await {
                    break;
                }
                continue;
            }
        };
        m.live_frames.inc();
        let events: Vec<Event> = live.tracker.push(&frame).to_vec();
        if !forward(&mut socket, &mut live, &events, &progress).await {
            break;
        }
    }
    if ended {
        // The patient ended the set: a repetition on its way back is completed, as the
        // analysis of a recording does (`Tracker::end`).
        let events: Vec<Event> = live.tracker.end().to_vec();
        let _ = forward(&mut socket, &mut live, &events, &progress).await;
    }
    m.live_sessions.dec();
    // Every repetition is stored before the session is ended or parked.
    drop(progress);
    let _ = writer.await;
    if ended {
        let s = live.tracker.finish();
        let summary = json!({"type": "summary", "session_id": ctx.session, "rep_count": live.reps.len(),
            "correct_count": live.correct, "duration_s": s.duration_s, "frames": s.frames,
            "frames_without_signal": s.frames_without_signal, "ignored_frames": s.ignored_frames,
            "ignored_movements": s.ignored_movements, "mean_rom_deg": s.mean_rom_deg});
        if let Err(e) =
            crate::care::sessions::end(&ctx.state, &ctx.principal, ctx.session, &summary).await
        {
            tracing::error!(error = ?e, "ending exercise session");
        }
        let _ = send(&mut socket, &summary).await;
        let _ = socket.send(Message::Close(None)).await;
    } else {
        ctx.state.live().park(ctx.session, ctx.patient, live);
    }
    if deactivated {
        let reason = "your account has been deactivated; ask your clinic";
        let frame = CloseFrame { code: CLOSE_POLICY, reason: reason.into() };
        let _ = socket.send(Message::Close(Some(frame))).await;
    }
    ctx.state.live().set_connected(ctx.session, false);
    drop(slot);
}
