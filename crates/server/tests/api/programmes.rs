//! Exercise programmes over the API, on both backends: the precautions of the patient's phase
//! gate what a clinician prescribes (an override needs a reason, and names what it overrides);
//! every change is a version with who, when, why and what changed; a precaution that comes into
//! force later flags the exercise and the camera refuses it; bad input names every field and
//! writes nothing; a clinic's own exercises are imported all or nothing and stay in the clinic;
//! each person sees only the programmes theirs to see; and the camera opens only what is
//! prescribed today, counting to the prescription's repetitions and judging its range.

use futures_util::SinkExt;
use physio_store::AuditEvent;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::Duration;
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

use crate::{
    both_backends,
    helpers::{START, TestApp, email_of},
    live,
};

both_backends!(
    precautions_gate_what_is_prescribed,
    every_change_is_a_version_with_who_when_and_why,
    a_later_precaution_flags_the_exercise_and_the_camera_refuses_it,
    bad_input_names_every_field_and_writes_nothing,
    an_import_is_all_or_nothing_and_stays_in_its_clinic,
    each_person_sees_only_the_programmes_theirs_to_see,
    the_camera_opens_only_what_is_prescribed_and_as_prescribed,
    camera_counting_not_yet_validated_is_offered_only_when_the_clinician_chose_it,
);

/// `START`'s date, the clinic's today (UTC).
const TODAY: &str = "2026-11-25";

/// One call as `token`: the status and the JSON body (`Null` when there is none).
async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let c = app.client();
    let mut req = app.req(&c, method, path).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn programme_path(patient: Uuid) -> String {
    format!("/api/v1/patients/{patient}/programme")
}

/// A prescription of `exercise`: two sets of ten, every day, from today.
fn item(exercise: &str) -> Value {
    json!({
        "exercise": exercise,
        "dose": {
            "sets": 2, "reps": 10, "rest_s": 30, "side": "both", "times_per_day": 1,
            "days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
        },
        "start": TODAY,
    })
}

/// The field paths of a refusal's problems, sorted.
fn fields(body: &Value) -> Vec<String> {
    let mut out: Vec<String> = body["error"]["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems in {body}"))
        .iter()
        .map(|p| p["field"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

/// The message of the problem at `field`.
fn message<'a>(body: &'a Value, field: &str) -> &'a str {
    body["error"]["problems"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["field"] == field))
        .and_then(|p| p["message"].as_str())
        .unwrap_or_else(|| panic!("no problem at {field} in {body}"))
}

/// The patient's audit records, oldest first, as (action, resource, outcome).
async fn trail(app: &TestApp, patient: Option<Uuid>) -> Vec<(String, String, String)> {
    let mut events: Vec<AuditEvent> =
        app.store.audit_events(app.people.clinic_a, patient, 1000).await.unwrap();
    events.reverse();
    events.into_iter().map(|e| (e.action, e.resource, e.outcome)).collect()
}

fn count(trail: &[(String, String, String)], action: &str, resource: &str, outcome: &str) -> usize {
    trail.iter().filter(|(a, r, o)| a == action && r == resource && o == outcome).count()
}

/// An intake from docs/examples, as the patient sends it (the server knows their age).
fn intake(text: &str) -> Value {
    let mut doc: Value = serde_json::from_str(text).unwrap();
    doc.as_object_mut().unwrap().remove("age");
    doc
}

/// P1 had a lumbar fusion `weeks` ago: their intake says so, and C1 reviews it onto the
/// post-fusion pathway, which takes the operation's date from the intake.
async fn fusion_patient(app: &TestApp, weeks: i64) {
    let p = &app.people;
    let mut doc = intake(include_str!("../../../../docs/examples/exercise-post-op-fusion.json"));
    doc["surgery"]["date"] = json!((START.date() - Duration::weeks(weeks)).to_string());
    let patient = app.token_for(p.p1).await;
    let (s, decision) = call(app, &patient, Method::POST, "/api/v1/intake", Some(doc)).await;
    assert_eq!(s, StatusCode::CREATED, "{decision}");
    let clinician = app.token_for(p.c1).await;
    let review = format!("/api/v1/triage/{}/review", decision["id"].as_str().unwrap());
    let body = json!({"final_tier": "exercise", "pathway": "post_op_fusion"});
    let (s, res) = call(app, &clinician, Method::POST, &review, Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{res}");
}

/// P1's intake puts them straight on the conservative low back pathway.
async fn conservative_patient(app: &TestApp) {
    let p = &app.people;
    let doc = intake(include_str!("../../../../docs/examples/exercise-conservative-lumbar.json"));
    let patient = app.token_for(p.p1).await;
    let (s, decision) = call(app, &patient, Method::POST, "/api/v1/intake", Some(doc)).await;
    assert_eq!(s, StatusCode::CREATED, "{decision}");
    let path = format!("/api/v1/patients/{}/pathway", p.p1);
    let (s, status) = call(app, &patient, Method::GET, &path, None).await;
    assert_eq!((s, status["pathway"].as_str()), (StatusCode::OK, Some("conservative_lumbar")));
}

/// The live socket's refusal of `exercise` for the patient with `token`: status and message.
async fn refusal(app: &TestApp, token: &str, exercise: &str) -> (StatusCode, String) {
    let c = app.client();
    let res = app
        .req(&c, Method::GET, &format!("/api/v1/live?exercise={exercise}"))
        .bearer_auth(token)
        .header("origin", app.base.clone())
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    (status, body["error"]["message"].as_str().unwrap_or_default().to_owned())
}

/// Opens the live socket for `exercise` and returns its first message (the session).
async fn opens(app: &TestApp, token: &str, exercise: &str) -> Value {
    let mut s = live::open(app, token, &format!("exercise={exercise}"), None)
        .await
        .unwrap_or_else(|status| panic!("the socket for {exercise} was refused with {status}"));
    let hello = live::next_json(&mut s).await;
    assert_eq!(
        (hello["type"].as_str(), hello["exercise"].as_str()),
        (Some("session"), Some(exercise))
    );
    hello
}

async fn precautions_gate_what_is_prescribed(app: &TestApp) {
    let p = &app.people;
    // Three weeks after a lumbar fusion: the early phase, when the spine is kept neutral and
    // bending, lifting and twisting are out.
    fusion_patient(app, 3).await;
    let clinician = app.token_for(p.c1).await;
    let (s, status) =
        call(app, &clinician, Method::GET, &format!("/api/v1/patients/{}/pathway", p.p1), None)
            .await;
    assert_eq!(s, StatusCode::OK, "{status}");
    assert_eq!((status["phase"].as_str(), status["week"].as_u64()), (Some("early"), Some(3)));

    // The open book twists the spine: refused, naming each precaution it breaks and why.
    let path = programme_path(p.p1);
    let mut items = vec![item("open-book")];
    let body = json!({"based_on": 0, "items": items, "reason": "Thoracic mobility"});
    let (s, refused) = call(app, &clinician, Method::PUT, &path, Some(body)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["error"]["code"], "invalid", "{refused}");
    assert_eq!(fields(&refused), ["items[0].exercise"]);
    let why = message(&refused, "items[0].exercise");
    for words in [
        // neutral_spine: its instruction and its reason.
        "Keep your back in its natural, straight position",
        "the bones have only started to join",
        // no_bending_lifting_twisting: its instruction and its reason.
        "Do not bend forward, twist, or lift with your back",
        "Bending, twisting and lifting strain the fused levels",
    ] {
        assert!(why.contains(words), "{words:?} is not in {why:?}");
    }
    // Nothing was written.
    let (s, view) = call(app, &clinician, Method::GET, &path, None).await;
    assert_eq!(s, StatusCode::OK, "{view}");
    assert!(view["current"].is_null(), "{view}");
    assert_eq!(view["entries"], json!([]), "{view}");
    let (_, versions) = call(app, &clinician, Method::GET, &format!("{path}/versions"), None).await;
    assert_eq!(versions["versions"], json!([]), "{versions}");

    // With the clinician's reason it is saved, and the override names what it overrides.
    items[0]["override"] =
        json!({"reason": "Supervised in clinic; the surgeon agreed to gentle rotation"});
    let body = json!({"based_on": 0, "items": items, "reason": "Thoracic mobility"});
    let (s, saved) = call(app, &clinician, Method::PUT, &path, Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"]["version"], 1, "{saved}");
    let overridden = |item: &Value| {
        let mut ids: Vec<String> = item["override"]["precautions"]
            .as_array()
            .unwrap_or_else(|| panic!("no precautions in the override of {item}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    let expected = ["neutral_spine", "no_bending_lifting_twisting"];
    assert_eq!(overridden(&saved["version"]["items"][0]), expected, "{saved}");
    let (_, view) = call(app, &clinician, Method::GET, &path, None).await;
    assert_eq!(view["current"]["version"], 1, "{view}");
    assert_eq!(view["phase"]["phase"], "early", "{view}");
    let entry = &view["entries"][0];
    assert_eq!(entry["item"]["exercise"], "open-book", "{view}");
    assert_eq!(overridden(&entry["item"]), expected, "{view}");
    assert_eq!(
        entry["item"]["override"]["reason"],
        "Supervised in clinic; the surgeon agreed to gentle rotation"
    );
    assert_eq!(entry["flags"], json!([]), "the override covers them: {view}");

    // The audit trail has the refusal as invalid and the save as a success.
    let t = trail(app, Some(p.p1)).await;
    assert_eq!(count(&t, "update", "programme", "invalid"), 1, "{t:?}");
    assert_eq!(count(&t, "update", "programme", "success"), 1, "{t:?}");
    assert_eq!(app.store.verify_audit().await.unwrap().first_break, None);
}

async fn every_change_is_a_version_with_who_when_and_why(app: &TestApp) {
    let p = &app.people;
    conservative_patient(app).await;
    let clinician = app.token_for(p.c1).await;
    let path = programme_path(p.p1);

    // Started from the template for the patient's pathway: version 1, naming the template.
    let body = json!({"based_on": 0, "template": "conservative-lumbar-active-care"});
    let (s, first) =
        call(app, &clinician, Method::POST, &format!("{path}/from-template"), Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{first}");
    let v1 = &first["version"];
    assert_eq!(v1["version"], 1, "{first}");
    assert_eq!(v1["template"], "conservative-lumbar-active-care", "{first}");
    assert!(v1["reason"].as_str().unwrap().starts_with("Started from the template"), "{first}");
    let items = v1["items"].as_array().unwrap();
    assert_eq!(items.len(), 6, "{first}");
    assert!(items.iter().all(|i| i["start"] == TODAY), "{first}");

    // Two hours later, a third set of bridges: version 2, one change, of the dose.
    app.clock.advance(Duration::hours(2));
    let mut items = items.clone();
    let bridge = items.iter().position(|i| i["exercise"] == "bridge").unwrap();
    assert_eq!(items[bridge]["dose"]["sets"], 2, "{first}");
    items[bridge]["dose"]["sets"] = json!(3);
    let why = "Bridges are easy now: a third set";
    let body = json!({"based_on": 1, "items": items, "reason": why});
    let (s, second) = call(app, &clinician, Method::PUT, &path, Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{second}");
    let v2 = &second["version"];
    assert_eq!(v2["version"], 2, "{second}");
    let changes = v2["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{second}");
    assert_eq!(
        (changes[0]["kind"].as_str(), changes[0]["exercise"].as_str()),
        (Some("dose"), Some("bridge"))
    );
    assert!(changes[0]["from"].as_str().unwrap().starts_with("2 sets"), "{second}");
    assert!(changes[0]["to"].as_str().unwrap().starts_with("3 sets"), "{second}");

    // The history, newest first: who, when and why.
    let (s, list) = call(app, &clinician, Method::GET, &format!("{path}/versions"), None).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let versions = list["versions"].as_array().unwrap();
    let numbers: Vec<_> = versions.iter().map(|v| v["version"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [2, 1], "{list}");
    let c1 = p.c1.to_string();
    assert!(versions.iter().all(|v| v["created_by"] == c1.as_str()), "{list}");
    assert_eq!(versions[0]["reason"], why, "{list}");
    assert_eq!(versions[0]["template"], Value::Null, "{list}");
    assert_eq!(versions[1]["template"], "conservative-lumbar-active-care", "{list}");
    let when = |v: &Value| v["created_at"].as_str().unwrap().to_owned();
    assert!(when(&versions[1]).starts_with("2026-11-25 09:00"), "{list}");
    assert!(when(&versions[0]).starts_with("2026-11-25 11:00"), "{list}");
    // The patient reads the same history.
    let patient = app.token_for(p.p1).await;
    let (s, mine) = call(app, &patient, Method::GET, &format!("{path}/versions"), None).await;
    assert_eq!((s, &mine), (StatusCode::OK, &list));

    // A change made on version 1 after version 2 was saved is refused, not merged.
    let mut stale = items.clone();
    stale[bridge]["dose"]["reps"] = json!(12);
    let body = json!({"based_on": 1, "items": stale, "reason": "More bridges"});
    let (s, conflict) = call(app, &clinician, Method::PUT, &path, Some(body)).await;
    assert_eq!(s, StatusCode::CONFLICT, "{conflict}");
    assert!(conflict["error"]["message"].as_str().unwrap().contains("version 2"), "{conflict}");
    // Saving what is already there changes nothing, and is refused.
    let body = json!({"based_on": 2, "items": items, "reason": "No change"});
    let (s, same) = call(app, &clinician, Method::PUT, &path, Some(body)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{same}");
    assert_eq!(same["error"]["field"], "items", "{same}");
    let (_, after) = call(app, &clinician, Method::GET, &format!("{path}/versions"), None).await;
    assert_eq!(after, list, "neither refusal wrote a version");
    let (_, view) = call(app, &clinician, Method::GET, &path, None).await;
    assert_eq!(view["current"]["version"], 2, "{view}");
    assert_eq!(view["entries"][bridge]["item"]["dose"]["sets"], 3, "{view}");

    let t = trail(app, Some(p.p1)).await;
    assert_eq!(count(&t, "create", "programme", "success"), 1, "{t:?}");
    assert_eq!(count(&t, "update", "programme", "success"), 1, "{t:?}");
    assert_eq!(count(&t, "update", "programme", "failed"), 1, "{t:?}");
    assert_eq!(count(&t, "update", "programme", "invalid"), 1, "{t:?}");
}

async fn a_later_precaution_flags_the_exercise_and_the_camera_refuses_it(app: &TestApp) {
    let p = &app.people;
    // A conservative patient is given side bends, which no precaution stops.
    conservative_patient(app).await;
    let clinician = app.token_for(p.c1).await;
    let patient = app.token_for(p.p1).await;
    let path = programme_path(p.p1);
    // Counting of both is not yet validated: the clinician offers the camera for them.
    let (mut bend, mut raise) = (item("trunk-side-bend"), item("straight-leg-raise"));
    (bend["camera"], raise["camera"]) = (json!(true), json!(true));
    let body =
        json!({"based_on": 0, "items": [bend, raise], "reason": "Trunk mobility and hip strength"});
    let (s, saved) = call(app, &clinician, Method::PUT, &path, Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{saved}");
    let (_, view) = call(app, &patient, Method::GET, &path, None).await;
    assert!(view["entries"].as_array().unwrap().iter().all(|e| e["flags"] == json!([])), "{view}");
    opens(app, &patient, "trunk-side-bend").await;

    // Then they have a lumbar fusion, and their clinician records it: the early phase keeps the
    // spine neutral, so side bending is out until the clinician has looked again.
    let ep = app.store.open_episode_of(p.clinic_a, p.p1).await.unwrap().unwrap();
    let c = app.client();
    let res = app
        .req(&c, Method::POST, &format!("/episodes/{}/pathway", ep.id))
        .bearer_auth(&clinician)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("pathway=post_op_fusion&surgery_date=2026-11-18&lifting_limit_kg=4")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());

    for token in [&clinician, &patient] {
        let (s, view) = call(app, token, Method::GET, &path, None).await;
        assert_eq!(s, StatusCode::OK, "{view}");
        assert_eq!(view["phase"]["phase"], "early", "{view}");
        let (bend, raise) = (&view["entries"][0], &view["entries"][1]);
        assert_eq!(bend["item"]["exercise"], "trunk-side-bend", "{view}");
        let flags = bend["flags"].as_array().unwrap();
        assert!(!flags.is_empty(), "side bending is flagged: {view}");
        assert!(flags.iter().any(|f| f["precaution"] == "neutral_spine"), "{view}");
        assert!(flags.iter().all(|f| f["tags"] == json!(["side_bending"])), "{view}");
        assert_eq!(raise["flags"], json!([]), "the leg raise is still fine: {view}");
        // The programme itself is as the clinician left it: one version.
        assert_eq!(view["current"]["version"], 1, "{view}");
    }

    // The camera refuses the flagged exercise and says why; the other still opens.
    let (s, why) = refusal(app, &patient, "trunk-side-bend").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{why}");
    assert!(why.contains("precaution"), "{why}");
    opens(app, &patient, "straight-leg-raise").await;
    let t = trail(app, Some(p.p1)).await;
    assert_eq!(count(&t, "create", "exercise_session", "denied"), 1, "{t:?}");
}

async fn bad_input_names_every_field_and_writes_nothing(app: &TestApp) {
    let p = &app.people;
    let clinician = app.token_for(p.c1).await;
    let path = programme_path(p.p1);
    let mut items = vec![
        item("moonwalk"),
        item("shoulder-abduction"),
        item("deep-squat"),
        item("chin-tuck"),
        item("shoulder-flexion"),
        item("walk"),
        item("ankle-pumps"),
    ];
    items[1]["dose"]["sets"] = json!(0);
    items[2]["dose"]["reps"] = json!(500);
    items[3]["dose"]["hold_s"] = json!(10_800);
    // The most allowed below the range to reach, on an exercise the camera tracks.
    items[4]["range"] = json!({"target_deg": 120, "max_deg": 90});
    items[5]["end"] = json!("2026-11-20");
    // A range on an exercise the camera cannot see.
    items[6]["range"] = json!({"target_deg": 30, "max_deg": 40});
    let body = json!({"based_on": 0, "items": items, "reason": "  "});
    let (s, refused) = call(app, &clinician, Method::PUT, &path, Some(body)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(
        fields(&refused),
        [
            "items[0].exercise",
            "items[1].dose.sets",
            "items[2].dose.reps",
            "items[3].dose.hold_s",
            "items[4].range.max_deg",
            "items[5].end",
            "items[6].range",
            "reason",
        ],
        "{refused}"
    );
    assert!(message(&refused, "items[0].exercise").contains("moonwalk"), "{refused}");
    assert!(message(&refused, "items[5].end").contains("before the start"), "{refused}");
    assert_eq!(refused["error"]["message"], "8 problems; see `problems`", "{refused}");

    // A request of the wrong shape (an item without its dose) is refused before anything is
    // checked, saying what is missing.
    let body = json!({"based_on": 0, "items": [{"exercise": "walk"}], "reason": "Walking"});
    let (s, refused) = call(app, &clinician, Method::PUT, &path, Some(body)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{refused}");
    assert!(refused["error"]["message"].as_str().unwrap().contains("dose"), "{refused}");

    // Nothing was written; each refusal is on the record as invalid.
    let (_, view) = call(app, &clinician, Method::GET, &path, None).await;
    assert!(view["current"].is_null(), "{view}");
    let t = trail(app, Some(p.p1)).await;
    assert_eq!(count(&t, "update", "programme", "success"), 0, "{t:?}");
    assert!(count(&t, "update", "programme", "invalid") >= 1, "{t:?}");
}

/// A library file in the export format.
fn library(exercises: &[&Value]) -> Value {
    json!({"format": "physio-exercise-library", "version": 1, "exercises": exercises})
}

fn ids(lib: &Value) -> Vec<String> {
    lib["exercises"]
        .as_array()
        .unwrap_or_else(|| panic!("not a library: {lib}"))
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn an_import_is_all_or_nothing_and_stays_in_its_clinic(app: &TestApp) {
    let p = &app.people;
    let admin = app.token_for(p.admin).await;
    let clinician = app.token_for(p.c1).await;
    let own = "/api/v1/exercises?own=true";

    // Two new exercises made from a built-in one, as a clinic would, and one with no sets.
    let (s, base) =
        call(app, &admin, Method::GET, "/api/v1/exercises/shoulder-abduction", None).await;
    assert_eq!(s, StatusCode::OK, "{base}");
    assert_eq!(base["own"], false, "{base}");
    let derive = |id: &str, name: &str| {
        let mut e = base["exercise"].clone();
        e["id"] = json!(id);
        e["name"] = json!(name);
        e
    };
    let band = derive("clinic-band-abduction", "Side arm raise with a band");
    let slide = derive("clinic-wall-slide", "Wall slide to the side");
    let mut broken = derive("clinic-broken", "Side arm raise, no sets");
    broken["dose"]["sets"] = json!(0);

    let import = "/api/v1/exercises/import";
    let file = library(&[&band, &broken, &slide]);
    let (s, refused) = call(app, &admin, Method::POST, import, Some(file)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(fields(&refused), ["exercises[1] (clinic-broken).dose.sets"], "{refused}");
    let (s, mine) = call(app, &admin, Method::GET, own, None).await;
    assert_eq!(s, StatusCode::OK, "{mine}");
    assert_eq!(ids(&mine), Vec::<String>::new(), "nothing was imported: {mine}");

    // Without it, both are added; a second import updates them.
    let file = library(&[&band, &slide]);
    let (s, report) = call(app, &admin, Method::POST, import, Some(file.clone())).await;
    assert_eq!(s, StatusCode::OK, "{report}");
    assert_eq!(
        report,
        json!({"added": ["clinic-band-abduction", "clinic-wall-slide"], "updated": []})
    );
    let (_, mine) = call(app, &admin, Method::GET, own, None).await;
    assert_eq!(ids(&mine), ["clinic-band-abduction", "clinic-wall-slide"], "{mine}");
    let (s, again) = call(app, &admin, Method::POST, import, Some(file.clone())).await;
    assert_eq!(s, StatusCode::OK, "{again}");
    assert_eq!(
        again,
        json!({"added": [], "updated": ["clinic-band-abduction", "clinic-wall-slide"]})
    );

    // The clinic's clinicians see them with the built-in ones, and prescribe them.
    let (s, all) = call(app, &clinician, Method::GET, "/api/v1/exercises", None).await;
    assert_eq!(s, StatusCode::OK, "{all}");
    let all = ids(&all);
    assert!(all.contains(&"shoulder-abduction".to_owned()), "{all:?}");
    assert!(all.contains(&"clinic-wall-slide".to_owned()), "{all:?}");
    let (s, one) =
        call(app, &clinician, Method::GET, "/api/v1/exercises/clinic-wall-slide", None).await;
    assert_eq!((s, &one["own"]), (StatusCode::OK, &json!(true)), "{one}");
    let body =
        json!({"based_on": 0, "items": [item("clinic-wall-slide")], "reason": "Shoulder range"});
    let (s, saved) = call(app, &clinician, Method::PUT, &programme_path(p.p1), Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{saved}");

    // Only admins import.
    let (s, _) = call(app, &clinician, Method::POST, import, Some(file.clone())).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Another clinic sees none of them, and cannot prescribe them.
    let foreign = app.token_for(p.xa).await;
    let (s, theirs) = call(app, &foreign, Method::GET, own, None).await;
    assert_eq!((s, ids(&theirs)), (StatusCode::OK, vec![]), "{theirs}");
    let (_, theirs) = call(app, &foreign, Method::GET, "/api/v1/exercises", None).await;
    assert!(!ids(&theirs).iter().any(|id| id.starts_with("clinic-")), "{theirs}");
    let (s, _) =
        call(app, &foreign, Method::GET, "/api/v1/exercises/clinic-wall-slide", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let xc = app.token_for(p.xc).await;
    let body =
        json!({"based_on": 0, "items": [item("clinic-wall-slide")], "reason": "Shoulder range"});
    let (s, refused) = call(app, &xc, Method::PUT, &programme_path(p.xp), Some(body)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(fields(&refused), ["items[0].exercise"], "{refused}");

    // Patients see only their own programme, never the library.
    let patient = app.token_for(p.p1).await;
    for path in ["/api/v1/exercises", "/api/v1/exercises/shoulder-abduction", "/api/v1/templates"] {
        let (s, body) = call(app, &patient, Method::GET, path, None).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{path}: {body}");
    }

    let t = trail(app, None).await;
    assert_eq!(count(&t, "import", "exercise_library", "invalid"), 1, "{t:?}");
    assert_eq!(count(&t, "import", "exercise_library", "success"), 2, "{t:?}");
    assert_eq!(count(&t, "import", "exercise_library", "denied"), 1, "{t:?}");
}

async fn each_person_sees_only_the_programmes_theirs_to_see(app: &TestApp) {
    let p = &app.people;
    app.prescribe(p.p1, p.c1, &["chin-tuck"]).await;
    let [patient, other, stranger, admin, foreign] = [p.p1, p.p2, p.c2, p.admin, p.xc];
    let mut tokens = vec![];
    for user in [patient, other, stranger, admin, foreign] {
        tokens.push(app.token_for(user).await);
    }
    let [patient, other, stranger, admin, foreign] = &tokens[..] else { unreachable!() };
    let mine = programme_path(p.p1);
    let theirs = programme_path(p.p2);

    // The patient reads their own programme and its history.
    let (s, view) = call(app, patient, Method::GET, &mine, None).await;
    assert_eq!(s, StatusCode::OK, "{view}");
    assert_eq!(view["entries"][0]["item"]["exercise"], "chin-tuck", "{view}");
    assert_eq!(view["entries"][0]["active_today"], true, "{view}");
    let (s, _) = call(app, patient, Method::GET, &format!("{mine}/versions"), None).await;
    assert_eq!(s, StatusCode::OK);
    // Not another patient's; and they do not prescribe, not even to themselves.
    for path in [theirs.clone(), format!("{theirs}/versions")] {
        assert_eq!(call(app, patient, Method::GET, &path, None).await.0, StatusCode::FORBIDDEN);
    }
    assert_eq!(call(app, other, Method::GET, &mine, None).await.0, StatusCode::FORBIDDEN);
    let change =
        json!({"based_on": 1, "items": [item("chin-tuck"), item("walk")], "reason": "More"});
    assert_eq!(
        call(app, patient, Method::PUT, &mine, Some(change.clone())).await.0,
        StatusCode::FORBIDDEN
    );
    // A clinician off the care team neither reads nor changes it; the admin reads it (accounts
    // and access) but does not prescribe; another clinic does not know the patient.
    for method in [Method::GET, Method::PUT] {
        let (s, _) = call(app, stranger, method.clone(), &mine, Some(change.clone())).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{method} by a clinician off the care team");
    }
    assert_eq!(call(app, admin, Method::GET, &mine, None).await.0, StatusCode::OK);
    let (s, _) = call(app, admin, Method::PUT, &mine, Some(change.clone())).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let from_template = format!("{mine}/from-template");
    let body = json!({"based_on": 1, "template": "conservative-lumbar-active-care"});
    assert_eq!(
        call(app, admin, Method::POST, &from_template, Some(body)).await.0,
        StatusCode::FORBIDDEN
    );
    for path in [mine.clone(), format!("{mine}/versions")] {
        assert_eq!(call(app, foreign, Method::GET, &path, None).await.0, StatusCode::NOT_FOUND);
    }
    // None of the refusals wrote anything.
    let (_, list) = call(app, patient, Method::GET, &format!("{mine}/versions"), None).await;
    assert_eq!(list["versions"].as_array().map(Vec::len), Some(1), "{list}");
    let t = trail(app, Some(p.p1)).await;
    assert!(count(&t, "update", "programme", "denied") >= 3, "{t:?}");
    assert!(count(&t, "read", "programme", "denied") >= 1, "{t:?}");
}

async fn the_camera_opens_only_what_is_prescribed_and_as_prescribed(app: &TestApp) {
    let p = &app.people;
    let patient = app.token_for(p.p1).await;
    let clinician = app.token_for(p.c1).await;

    // Nothing prescribed: nothing opens, and the patient is told who chooses.
    let (s, why) = refusal(app, &patient, "deep-squat").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{why}");
    assert!(why.contains("not in your programme"), "{why}");

    // Four abductions a set, reaching 60° and no further than 100°; sit-to-stand from
    // tomorrow; ankle pumps, which the camera cannot follow.
    let mut abduction = item("shoulder-abduction");
    abduction["dose"]["reps"] = json!(4);
    abduction["range"] = json!({"target_deg": 60, "max_deg": 100});
    let mut later = item("sit-to-stand");
    later["start"] = json!("2026-11-26");
    let items = [abduction, later, item("ankle-pumps")];
    let body = json!({"based_on": 0, "items": items, "reason": "Shoulder range, within limits"});
    let (s, saved) = call(app, &clinician, Method::PUT, &programme_path(p.p1), Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{saved}");

    let (s, why) = refusal(app, &patient, "deep-squat").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{why}");
    let (s, why) = refusal(app, &patient, "sit-to-stand").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{why}");
    assert!(why.contains("not today"), "{why}");
    let (s, why) = refusal(app, &patient, "ankle-pumps").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{why}");
    assert!(why.contains("not tracked by the camera"), "{why}");
    // Tomorrow it opens.
    app.clock.advance(Duration::days(1));
    opens(app, &patient, "sit-to-stand").await;

    // The abduction opens; with a recorded take of ten, the set is complete at the fourth, and
    // every repetition goes past the prescribed maximum.
    opens(app, &patient, "shoulder-abduction").await;
    let Some(lines) = live::recording_of(true, 1) else { return };
    let mut s = live::open(app, &patient, "exercise=shoulder-abduction", None).await.unwrap();
    let hello = live::next_json(&mut s).await;
    assert_eq!(hello["type"], "session", "{hello}");
    live::stream(&mut s, &lines).await;
    s.send(Message::Text(r#"{"type": "end"}"#.into())).await.unwrap();
    let events = live::drain(&mut s).await;
    assert_eq!(live::count(&events, "rep_completed"), 10, "{events:?}");
    let complete: Vec<&Value> = events.iter().filter(|e| e["type"] == "set_complete").collect();
    assert_eq!(complete.len(), 1, "{events:?}");
    assert_eq!(complete[0]["reps"], 4, "{events:?}");
    let beyond = events
        .iter()
        .filter(|e| e["type"] == "rep_completed")
        .filter(|e| e["errors"].as_array().is_some_and(|a| a.contains(&json!("beyond_max_range"))))
        .count();
    assert_eq!(beyond, 10, "{events:?}");
}

async fn camera_counting_not_yet_validated_is_offered_only_when_the_clinician_chose_it(
    app: &TestApp,
) {
    let p = &app.people;
    let patient = app.token_for(p.p1).await;
    let clinician = app.token_for(p.c1).await;
    let path = programme_path(p.p1);
    let validated = |id: &str| physio_motion::exercises::find(id).unwrap().counting_validated();
    // The wall angel's counting is not yet validated; the abduction's is.
    assert!(!validated("wall-angel") && validated("shoulder-abduction"));
    let items = [item("wall-angel"), item("shoulder-abduction")];
    let body = json!({"based_on": 0, "items": items, "reason": "Shoulder mobility"});
    let (s, saved) = call(app, &clinician, Method::PUT, &path, Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{saved}");

    // Not chosen: the socket refuses it and says why; no page offers it. Validated counting
    // needs no choice.
    let (s, why) = refusal(app, &patient, "wall-angel").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{why}");
    assert!(why.contains("not yet validated"), "{why}");
    opens(app, &patient, "shoulder-abduction").await;
    // The camera page as when web/dist is built.
    std::fs::write(app.web_dir().join("live.js"), "").unwrap();
    let (browser, _) = app.login(&email_of("p1")).await;
    let page = |path: &'static str| {
        let browser = browser.clone();
        async move {
            let res = browser.get(app.url(path)).send().await.unwrap();
            (res.status(), res.text().await.unwrap())
        }
    };
    app.write_built_client();
    let (_, programme) = page("/programme").await;
    assert!(programme.contains(r#"href="/exercise/shoulder-abduction""#), "{programme}");
    assert!(!programme.contains(r#"href="/exercise/wall-angel""#), "{programme}");
    let (s, camera) = page("/exercise/wall-angel").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{camera}");
    assert!(camera.contains("not yet validated") && !camera.contains(r#"id="live""#), "{camera}");

    // On an exercise the camera cannot follow, the choice is refused, naming the field.
    let mut untracked = item("ankle-pumps");
    untracked["camera"] = json!(true);
    let items = [item("wall-angel"), item("shoulder-abduction"), untracked];
    let body = json!({"based_on": 1, "items": items, "reason": "Ankle pumps with the camera"});
    let (s, refused) = call(app, &clinician, Method::PUT, &path, Some(body)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(fields(&refused), ["items[2].camera"]);
    assert!(message(&refused, "items[2].camera").contains("not tracked by the camera"));

    // The clinician chooses it: the item keeps the choice, the history says so, and the
    // socket and the pages offer it. On the validated abduction the choice decides nothing
    // and is not kept.
    let (mut wall_angel, mut abduction) = (item("wall-angel"), item("shoulder-abduction"));
    wall_angel["camera"] = json!(true);
    abduction["camera"] = json!(true);
    let body =
        json!({"based_on": 1, "items": [wall_angel, abduction], "reason": "Camera for the angel"});
    let (s, saved) = call(app, &clinician, Method::PUT, &path, Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{saved}");
    assert_eq!(
        saved["version"]["changes"],
        json!([{"kind": "camera", "exercise": "wall-angel", "offered": true}]),
        "{saved}"
    );
    let (s, view) = call(app, &clinician, Method::GET, &path, None).await;
    assert_eq!(s, StatusCode::OK, "{view}");
    let entries = view["entries"].as_array().unwrap();
    assert_eq!(entries[0]["item"]["exercise"], "wall-angel", "{view}");
    assert_eq!(entries[0]["item"]["camera"], true, "{view}");
    assert_eq!(entries[1]["item"].get("camera"), None, "{view}");
    opens(app, &patient, "wall-angel").await;
    let (_, programme) = page("/programme").await;
    assert!(programme.contains(r#"href="/exercise/wall-angel""#), "{programme}");
    let (s, camera) = page("/exercise/wall-angel").await;
    assert_eq!(s, StatusCode::OK, "{camera}");
    assert!(camera.contains(r#"id="live""#) && camera.contains("still being tested"), "{camera}");

    // Withdrawn again: refused again.
    let body = json!({"based_on": 2, "items": [item("wall-angel"), item("shoulder-abduction")], "reason": "No camera"});
    let (s, saved) = call(app, &clinician, Method::PUT, &path, Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"]["changes"][0]["offered"], false, "{saved}");
    assert_eq!(refusal(app, &patient, "wall-angel").await.0, StatusCode::FORBIDDEN);
}
