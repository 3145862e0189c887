//! Live exercise sessions over the real WebSocket: a recorded 10-repetition take streamed as
//! landmark frames is counted, stored, survives a dropped connection, and only its patient
//! may stream into it. The socket opens only exercises of the patient's programme, so each
//! test has the patient's clinician prescribe them first (`TestApp::prescribe`).

use physio_store::testing::skip;
use std::io::Read;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest, http::HeaderValue};

use crate::{both_backends, helpers::TestApp};

both_backends!(
    a_streamed_take_is_counted_and_stored,
    a_dropped_connection_resumes_the_count,
    only_the_patient_streams_into_their_session,
    a_reference_session_judges_the_next_ones,
    the_patient_hears_which_joints_the_camera_cannot_see
);

/// UI-PRMD m07 (shoulder abduction), subject 1, correct, e01–e10, in the live format; `None`
/// (skip) when the shared data is absent outside CI.
fn recording() -> Option<Vec<String>> {
    recording_of(true, 1)
}

/// Like `recording`, for a subject's correct or (deliberately) incorrect set.
pub(crate) fn recording_of(correct: bool, subject: u32) -> Option<Vec<String>> {
    let (label, suffix) = if correct { ("correct", "") } else { ("incorrect", "_inc") };
    let dir =
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/ui-prmd"))
            .join(label)
            .join("kinect");
    if !dir.is_dir() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but {} is missing",
            dir.display()
        );
        skip(&format!("{} not found", dir.display()));
        return None;
    }
    let gunzip = |p: std::path::PathBuf| {
        let mut s = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&p).unwrap())
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    let mut texts = vec![];
    for e in 1..=10 {
        let name = |kind: &str| format!("{kind}/m07_s{subject:02}_e{e:02}_{kind}{suffix}.txt.gz");
        texts.push(gunzip(dir.join(name("positions"))));
        texts.push(gunzip(dir.join(name("angles"))));
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let rec = physio_motion::parse(physio_motion::Format::UiprmdKinect, &refs).unwrap();
    Some(
        physio_motion::formats::blazepose::to_json_lines(&rec).lines().map(str::to_owned).collect(),
    )
}

pub(crate) type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens the live socket with a patient's bearer token.
pub(crate) async fn open(
    app: &TestApp,
    token: &str,
    query: &str,
    origin: Option<&str>,
) -> Result<Socket, u16> {
    let url = format!("{}/api/v1/live?{query}", app.base.replace("http://", "ws://"));
    let mut req = url.into_client_request().unwrap();
    req.headers_mut()
        .insert("authorization", HeaderValue::from_str(&format!("Bearer {token}")).unwrap());
    if let Some(o) = origin {
        req.headers_mut().insert("origin", HeaderValue::from_str(o).unwrap());
    }
    match tokio_tungstenite::connect_async(req).await {
        Ok((s, _)) => Ok(s),
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => Err(r.status().as_u16()),
        Err(e) => panic!("websocket: {e}"),
    }
}

pub(crate) async fn next_json(s: &mut Socket) -> Value {
    loop {
        match s.next().await.expect("socket open").expect("message") {
            Message::Text(t) => return serde_json::from_str(t.as_str()).unwrap(),
            Message::Close(_) => return Value::Null,
            _ => {}
        }
    }
}

pub(crate) async fn stream(s: &mut Socket, lines: &[String]) {
    for l in lines {
        s.send(Message::Text(l.clone().into())).await.unwrap();
    }
}

/// Reads events until `summary` (or the socket closes).
pub(crate) async fn drain(s: &mut Socket) -> Vec<Value> {
    let mut out = vec![];
    loop {
        let v = next_json(s).await;
        if v.is_null() {
            return out;
        }
        let done = v["type"] == "summary";
        out.push(v);
        if done {
            return out;
        }
    }
}

pub(crate) fn count(events: &[Value], kind: &str) -> usize {
    events.iter().filter(|e| e["type"] == kind).count()
}

async fn a_streamed_take_is_counted_and_stored(app: &TestApp) {
    let Some(lines) = recording() else { return };
    app.prescribe(app.people.p1, app.people.c1, &["shoulder-abduction"]).await;
    let token = app.token_for(app.people.p1).await;
    let mut s = open(app, &token, "exercise=shoulder-abduction", None).await.unwrap();
    let hello = next_json(&mut s).await;
    assert_eq!(
        (hello["type"].as_str(), hello["resumed"].as_bool()),
        (Some("session"), Some(false)),
        "{hello}"
    );
    let session: uuid::Uuid = hello["session_id"].as_str().unwrap().parse().unwrap();
    let (head, tail) = lines.split_at(300);
    stream(&mut s, head).await;
    // A malformed frame is answered with an error and the session carries on.
    s.send(Message::Text(r#"{"t": 10.0, "landmarks": [[0.5, 0.5]]}"#.into())).await.unwrap();
    stream(&mut s, tail).await;
    s.send(Message::Text(r#"{"type": "end"}"#.into())).await.unwrap();
    let events = drain(&mut s).await;
    assert_eq!(count(&events, "error"), 1, "{events:?}");
    assert_eq!(count(&events, "rep_completed"), 10);
    let summary = events.last().unwrap();
    assert_eq!(
        (summary["type"].as_str(), summary["rep_count"].as_u64()),
        (Some("summary"), Some(10))
    );
    let stored = app.store.exercise_session(app.people.clinic_a, session).await.unwrap();
    assert_eq!((stored.rep_count, stored.exercise.as_str()), (10, "shoulder-abduction"));
    assert!(stored.ended_at.is_some());
    assert_eq!(stored.reps.as_array().unwrap().len(), 10);
    assert!(stored.reps[0]["rom_deg"].as_f64().unwrap() > 60.0, "{}", stored.reps[0]);
}

async fn a_dropped_connection_resumes_the_count(app: &TestApp) {
    let Some(lines) = recording() else { return };
    app.prescribe(app.people.p1, app.people.c1, &["shoulder-abduction"]).await;
    let token = app.token_for(app.people.p1).await;
    let mut s = open(app, &token, "exercise=shoulder-abduction", None).await.unwrap();
    let hello = next_json(&mut s).await;
    let session = hello["session_id"].as_str().unwrap().to_owned();
    let half = lines.len() / 2;
    stream(&mut s, &lines[..half]).await;
    // Let the server take in what was sent before the line drops.
    s.send(Message::Text(r#"{"t": 0.0}"#.into())).await.unwrap();
    let mut seen = 0;
    while seen < 1 {
        let v = next_json(&mut s).await;
        if v["type"] == "error" {
            seen += 1;
        }
    }
    drop(s);
    let mut tries = 0;
    let mut s = loop {
        // The server parks the engine when it notices the close; retry until it has.
        tries += 1;
        assert!(tries < 200, "the session never resumed with its repetitions");
        let mut s =
            open(app, &token, &format!("exercise=shoulder-abduction&session={session}"), None)
                .await
                .unwrap();
        let hello = next_json(&mut s).await;
        assert_eq!(hello["resumed"], true);
        if hello["reps"].as_u64().unwrap_or(0) > 0 {
            break s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    stream(&mut s, &lines[half..]).await;
    s.send(Message::Text(r#"{"type": "end"}"#.into())).await.unwrap();
    let events = drain(&mut s).await;
    assert_eq!(events.last().unwrap()["rep_count"], 10, "{events:?}");
}

async fn only_the_patient_streams_into_their_session(app: &TestApp) {
    let p = &app.people;
    // Each patient's clinician has prescribed the squat, so only the session decides.
    app.prescribe(p.p1, p.c1, &["deep-squat"]).await;
    app.prescribe(p.p2, p.c2, &["deep-squat"]).await;
    app.prescribe(p.xp, p.xc, &["deep-squat"]).await;
    let patient = app.token_for(p.p1).await;
    let mut s = open(app, &patient, "exercise=deep-squat", None).await.unwrap();
    let session = next_json(&mut s).await["session_id"].as_str().unwrap().to_owned();
    drop(s);
    let clinician = app.token_for(p.c1).await;
    assert_eq!(open(app, &clinician, "exercise=deep-squat", None).await.err(), Some(403));
    let other = app.token_for(p.p2).await;
    let q = format!("exercise=deep-squat&session={session}");
    assert_eq!(open(app, &other, &q, None).await.err(), Some(404));
    let foreign = app.token_for(p.xp).await;
    assert_eq!(open(app, &foreign, &q, None).await.err(), Some(404));
    // An exercise that does not exist is in no programme: refused like any other outside it.
    assert_eq!(open(app, &patient, "exercise=moonwalk", None).await.err(), Some(403));
    assert_eq!(open(app, &patient, "exercise=shoulder-abduction", None).await.err(), Some(403));
    assert_eq!(
        open(app, &patient, "exercise=deep-squat", Some("https://evil.example")).await.err(),
        Some(403)
    );
}

/// Streams a whole take as a new session; returns the session's first message and its events.
async fn take(app: &TestApp, token: &str, lines: &[String]) -> (Value, Vec<Value>) {
    let mut s = open(app, token, "exercise=shoulder-abduction", None).await.unwrap();
    let hello = next_json(&mut s).await;
    stream(&mut s, lines).await;
    s.send(Message::Text(r#"{"type": "end"}"#.into())).await.unwrap();
    (hello, drain(&mut s).await)
}

/// Repetitions of a take that were called short of range.
fn short(events: &[Value]) -> usize {
    events
        .iter()
        .filter(|e| e["type"] == "rep_completed")
        .filter(|e| e["errors"].as_array().is_some_and(|a| a.contains(&"too_little_range".into())))
        .count()
}

async fn a_reference_session_judges_the_next_ones(app: &TestApp) {
    let (Some(good), Some(reduced)) = (recording_of(true, 3), recording_of(false, 3)) else {
        return;
    };
    let p = &app.people;
    app.prescribe(p.p1, p.c1, &["shoulder-abduction"]).await;
    let patient = app.token_for(p.p1).await;
    let clinician = app.token_for(p.c1).await;
    let client = app.client();
    let path = format!("/api/v1/patients/{}/references", p.p1);
    let put = |exercise: &str, body: Value, token: &str| {
        app.req(&client, reqwest::Method::PUT, &format!("{path}/{exercise}"))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    // A supervised good set, then the same person's reduced set judged against itself.
    let (hello, events) = take(app, &patient, &good).await;
    assert_eq!(count(&events, "rep_completed"), 10);
    assert!(hello["reference"].is_null(), "{hello}");
    let good_session = hello["session_id"].as_str().unwrap().to_owned();
    let (_, events) = take(app, &patient, &reduced).await;
    assert_eq!(count(&events, "rep_completed"), 10);
    let short_without = short(&events);

    // The clinician makes the good set the reference.
    let res =
        put("shoulder-abduction", serde_json::json!({"session_id": good_session}), &clinician)
            .await
            .unwrap();
    assert_eq!(res.status(), 200);
    let r: Value = res.json().await.unwrap();
    assert_eq!(r["session_id"].as_str(), Some(good_session.as_str()));
    let (rest, peak) = (r["rest"].as_f64().unwrap(), r["peak"].as_f64().unwrap());
    assert!(rest < 25.0 && (140.0..=160.0).contains(&peak), "{r}");
    // The person's usual readings of abduction's three form checks (side lean, shrug, elbow)
    // come with it, and replace the generic limits.
    let checks = r["baselines"]["checks"].as_array().unwrap();
    assert!(
        checks[..3].iter().all(Value::is_number) && checks[3..].iter().all(Value::is_null),
        "{r}"
    );
    // Bad requests name what is wrong; only the care team's clinician may set it.
    for (exercise, body, token, status) in [
        ("deep-squat", serde_json::json!({"session_id": good_session}), &clinician, 422),
        ("shoulder-abduction", serde_json::json!({}), &clinician, 422),
        ("shoulder-abduction", serde_json::json!({"rest": 10, "peak": 12}), &clinician, 422),
        ("moonwalk", serde_json::json!({"rest": 10, "peak": 90}), &clinician, 404),
        ("shoulder-abduction", serde_json::json!({"rest": 10, "peak": 90}), &patient, 403),
    ] {
        let res = put(exercise, body.clone(), token).await.unwrap();
        assert_eq!(res.status().as_u16(), status, "{exercise} {body}");
    }
    let res = app.req(&client, reqwest::Method::GET, &path).bearer_auth(&patient).send().await;
    let list: Value = res.unwrap().json().await.unwrap();
    assert_eq!(list["references"].as_array().unwrap().len(), 1, "{list}");

    // The stored sessions, newest first, with every repetition and the summary.
    let sessions = format!("/api/v1/patients/{}/exercise-sessions", p.p1);
    let res = app.req(&client, reqwest::Method::GET, &sessions).bearer_auth(&clinician).send();
    let list: Value = res.await.unwrap().json().await.unwrap();
    let latest = &list["sessions"][0];
    assert_eq!(list["sessions"].as_array().map(Vec::len), Some(2), "{list}");
    assert_eq!(latest["rep_count"], 10, "{latest}");
    assert_eq!(latest["reps"].as_array().map(Vec::len), Some(10), "{latest}");
    // Every line but the header is a frame.
    assert_eq!(latest["summary"]["frames"].as_u64(), Some(reduced.len() as u64 - 1), "{latest}");
    assert_eq!(list["sessions"][1]["id"].as_str(), Some(good_session.as_str()), "{list}");
    let res = app.req(&client, reqwest::Method::GET, &format!("{sessions}?limit=0"));
    assert_eq!(res.bearer_auth(&clinician).send().await.unwrap().status(), 422);

    // Now the reduced set is counted as before, and every repetition is short of the person's
    // own reference.
    let (hello, events) = take(app, &patient, &reduced).await;
    assert_eq!(hello["reference"]["peak"].as_f64().map(|v| v.round()), Some(peak.round()));
    assert_eq!(count(&events, "rep_completed"), 10);
    assert_eq!(short(&events), 10, "{events:?}");
    assert!(short_without < 10, "without a reference {short_without} were short");

    // Cleared, the engine judges against the person's recent repetitions again.
    let res = app
        .req(&client, reqwest::Method::DELETE, &format!("{path}/shoulder-abduction"))
        .bearer_auth(&clinician)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let (hello, _) = take(app, &patient, &reduced[..30]).await;
    assert!(hello["reference"].is_null(), "{hello}");
}

/// Frames of the take with the landmarks of the left hip, knee and ankle (BlazePose 23, 25,
/// 27) marked not visible between `from` and `to` seconds.
fn without_left_leg(lines: &[String], from: f64, to: f64) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            let t = v["t"].as_f64().unwrap_or(-1.0);
            if (from..to).contains(&t) {
                for key in ["landmarks", "world"] {
                    if let Some(points) = v.get_mut(key).and_then(Value::as_array_mut) {
                        for i in [23, 25, 27] {
                            points[i][3] = 0.0.into();
                        }
                    }
                }
            }
            v.to_string()
        })
        .collect()
}

async fn the_patient_hears_which_joints_the_camera_cannot_see(app: &TestApp) {
    let Some(lines) = recording() else { return };
    app.prescribe(app.people.p1, app.people.c1, &["deep-squat"]).await;
    let token = app.token_for(app.people.p1).await;
    let mut s = open(app, &token, "exercise=deep-squat", None).await.unwrap();
    assert_eq!(next_json(&mut s).await["type"], "session");
    // Two seconds without the left leg, then it is back.
    stream(&mut s, &without_left_leg(&lines, 3.0, 5.0)).await;
    s.send(Message::Text(r#"{"type": "end"}"#.into())).await.unwrap();
    let events = drain(&mut s).await;
    let lost: Vec<&Value> = events.iter().filter(|e| e["type"] == "signal_lost").collect();
    assert_eq!(lost.len(), 1, "{events:?}");
    let joints = lost[0]["joints"].as_array().unwrap();
    for j in ["left_hip", "left_knee", "left_ankle"] {
        assert!(joints.iter().any(|x| x == j), "{j} missing from {joints:?}");
    }
    let t = lost[0]["t"].as_f64().unwrap();
    // The filter and the glitch guard each hold a lost value up to 0.3 s; a second later the
    // patient is told.
    assert!((4.0..=4.7).contains(&t), "told after about a second, at {t}");
    let found: Vec<&Value> = events.iter().filter(|e| e["type"] == "signal_found").collect();
    assert_eq!(found.len(), 1, "{events:?}");
    assert!(found[0]["t"].as_f64().unwrap() >= 5.0);
}
