//! The caseload benchmark (docs/benchmarks.md, section 4): one clinician with 150 patients,
//! each on a programme of two exercises every day for four weeks with about seven sessions in
//! ten done, a pain check before each and a weekly pain score, some open alerts and some
//! triage decisions waiting for review. It times `GET /api/v1/caseload` (default order, and
//! sorted and filtered) and the `/caseload` page against the real server on loopback, one
//! request at a time, and prints percentiles.
//!
//! `cargo bench -p physio-server --bench caseload` (SQLite in a temporary directory);
//! `PHYSIO_BENCH_POSTGRES_URL=postgres://… cargo bench …` measures PostgreSQL instead (the
//! database must be empty). `PHYSIO_BENCH_PATIENTS` and `PHYSIO_BENCH_REQUESTS` change the
//! sizes (150 and 200). The data is written straight through the store, each patient's
//! history in one transaction, so seeding takes seconds; the server then reads it as it would
//! any clinic's.

use std::{sync::Arc, time::Instant};

use physio_clinic::day::{Closing, ExerciseLog};
use physio_clinic::programme::Item;
use physio_clinic::triage::Tier;
use physio_server::{AppState, Config, ManualClock, auth};
use physio_store::{
    Licence, NewDaySession, NewProgrammeVersion, NewResponse, NewTriage, NewUser, Role, Store,
};
use time::{Duration, OffsetDateTime, macros::datetime};

/// "Now" in the benchmark: a Thursday, so this week already has sessions planned and done.
const NOW: OffsetDateTime = datetime!(2026-12-10 15:00 UTC);
const WEEKS: i64 = 4;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn items(start: time::Date) -> Vec<Item> {
    let every_day = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    ["bridge", "bird-dog"]
        .iter()
        .map(|exercise| {
            serde_json::from_value(serde_json::json!({
                "exercise": exercise,
                "dose": {"sets": 2, "reps": 10, "rest_s": 30, "side": "both",
                         "days": every_day, "times_per_day": 1},
                "start": start.to_string(),
            }))
            .expect("a programme item")
        })
        .collect()
}

fn triage(clinic: uuid::Uuid, episode: uuid::Uuid, tier: Tier, review: bool) -> NewTriage {
    NewTriage {
        clinic_id: clinic,
        episode_id: episode,
        trigger: "intake".into(),
        tier,
        decision: serde_json::from_value(serde_json::json!({
            "tier": tier.as_str(),
            "action": "What to do.",
            "clinician_action": "What the clinician does.",
            "reasons": [],
        }))
        .expect("a decision"),
        proposed_pathway: Some("conservative_lumbar".into()),
        needs_review: review,
    }
}

/// The clinic: returns the store, the clinician's bearer token.
async fn seed(store: &Store, patients: usize) -> String {
    let start = NOW - Duration::weeks(WEEKS);
    let hash = auth::hash_password("benchmark password").expect("a hash");
    let mut tx = store.begin().await.expect("begin");
    let clinic = tx.create_clinic("Benchmark Clinic", start).await.expect("clinic").id;
    let clinician = tx
        .create_user(
            &NewUser {
                clinic_id: clinic,
                email: "pt@bench.physio.test".into(),
                name: "Pat Therapist".into(),
                role: Role::Clinician,
                password_hash: hash.clone(),
                licence: Some(Licence { number: "PT-1".into(), jurisdiction: "Ontario".into() }),
                date_of_birth: None,
                summary: None,
            },
            start,
        )
        .await
        .expect("clinician");
    let secret = format!("phy_{}", auth::new_secret());
    tx.create_api_token(&clinician, "bench", &auth::sha256_hex(&secret), start)
        .await
        .expect("token");
    tx.commit().await.expect("commit");

    let prescription = items(start.date());
    for i in 0..patients {
        let mut tx = store.begin().await.expect("begin");
        let p = tx
            .create_user(
                &NewUser {
                    clinic_id: clinic,
                    email: format!("patient{i}@bench.physio.test"),
                    name: format!("Patient {i:03}"),
                    role: Role::Patient,
                    password_hash: hash.clone(),
                    licence: None,
                    date_of_birth: Some(time::macros::date!(1960 - 01 - 01)),
                    summary: Some("Low back pain.".into()),
                },
                start,
            )
            .await
            .expect("patient")
            .id;
        tx.set_care_team(clinic, p, &[clinician.id], start).await.expect("team");
        let ep = tx.open_episode(clinic, p, start).await.expect("episode");
        // One in fifteen waits for a review of an urgent decision; the rest are on exercise care.
        let waiting = i % 15 == 7;
        let tier = if waiting { Tier::Urgent } else { Tier::Exercise };
        let intake = serde_json::json!({"regions": ["lumbar"], "pain_now": 5});
        tx.submit_intake(&intake, &triage(clinic, ep.id, tier, waiting), start)
            .await
            .expect("intake");
        if i % 10 == 3 {
            let alert = [physio_clinic::alert::NewAlert::new(
                physio_clinic::alert::AlertKind::PainRise,
                "Pain rose by 3 points.",
            )];
            let utc = jiff::tz::TimeZone::UTC;
            tx.add_alerts(clinic, p, &alert, &utc, NOW - Duration::days(1)).await.expect("alert");
        }
        if !waiting {
            let v = NewProgrammeVersion {
                version: 1,
                items: &prescription,
                changes: &[],
                reason: "Started",
                template: None,
                created_by: clinician.id,
                now: start,
            };
            tx.add_programme_version(clinic, p, v).await.expect("programme");
        }
        for d in (0..WEEKS * 7).rev() {
            let at = NOW - Duration::days(d) - Duration::hours(3);
            let pain = 3 + u8::try_from((i + usize::try_from(d).unwrap_or(0)) % 4).unwrap_or(0);
            if d % 7 == 0 {
                let r = NewResponse {
                    clinic_id: clinic,
                    episode_id: ep.id,
                    instrument: "nprs".into(),
                    timepoint: "adhoc".into(),
                    answers: serde_json::json!({"answers": [pain]}),
                    result: serde_json::json!({"score": pain}),
                    score: f64::from(pain),
                };
                tx.add_response(&r, &[], &jiff::tz::TimeZone::UTC, at).await.expect("nprs");
            }
            // About seven days in ten have a session, in a pattern that differs by patient.
            if waiting || (i * 7 + usize::try_from(d).unwrap_or(0) * 3) % 10 >= 7 {
                continue;
            }
            let s = NewDaySession {
                day: at.date(),
                number: 1,
                programme_version: 1,
                due: &prescription,
                pain_before: pain,
                usual_pain: Some(4),
                stopped: None,
                now: at,
            };
            let s = tx.start_day_session(clinic, p, s).await.expect("session");
            for item in &prescription {
                let log = ExerciseLog {
                    sets_done: Some(2),
                    reps_done: Some(10),
                    pain_during: Some(2),
                    effort: Some(4),
                    ..ExerciseLog::default()
                };
                tx.log_day_exercise(clinic, s.id, &item.exercise, &log, None, at)
                    .await
                    .expect("exercise");
            }
            let closing = Closing {
                pain_after: Some(pain),
                fatigue: Some(3),
                stopped_early: None,
                note: None,
            };
            tx.end_day_session(clinic, s.id, &closing, at).await.expect("end");
        }
        tx.commit().await.expect("commit");
    }
    secret
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

async fn time_requests(client: &reqwest::Client, url: &str, token: &str, n: usize) -> Vec<f64> {
    let mut ms = Vec::with_capacity(n);
    for k in 0..n + 10 {
        let t = Instant::now();
        let res = client.get(url).bearer_auth(token).send().await.expect("request");
        let status = res.status();
        let body = res.bytes().await.expect("body");
        assert!(status.is_success(), "{url}: {status}: {}", String::from_utf8_lossy(&body));
        // The first ten warm the connection and the caches.
        if k >= 10 {
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    ms.sort_by(f64::total_cmp);
    ms
}

fn main() {
    let patients = env_number("PHYSIO_BENCH_PATIENTS", 150);
    let requests = env_number("PHYSIO_BENCH_REQUESTS", 200);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = std::env::var("PHYSIO_BENCH_POSTGRES_URL")
            .unwrap_or_else(|_| format!("sqlite:{}", dir.path().join("bench.db").display()));
        let store = Store::connect(&url).await.expect("the database");
        store.migrate().await.expect("migrations");
        let t = Instant::now();
        let token = seed(&store, patients).await;
        eprintln!(
            "seeded {patients} patients with {WEEKS} weeks of sessions in {:.1} s",
            t.elapsed().as_secs_f64()
        );

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let addr = listener.local_addr().expect("an address");
        let config = Config::new(addr, url.clone());
        let state = AppState::new(store.clone(), Arc::new(ManualClock::new(NOW)), config);
        tokio::spawn(physio_server::serve(listener, state, std::future::pending()));
        let client = reqwest::Client::builder().no_proxy().build().expect("a client");
        let backend = if url.starts_with("sqlite") { "SQLite" } else { "PostgreSQL" };
        println!(
            "caseload of {patients} patients, {backend}, {requests} requests each, one at a time"
        );
        println!(
            "{:<70} {:>7} {:>7} {:>7} {:>7}",
            "request", "p50 ms", "p95 ms", "p99 ms", "max ms"
        );
        for path in [
            "/api/v1/caseload",
            "/api/v1/caseload?sort=adherence&dir=desc",
            "/api/v1/caseload?attention=true&pathway=conservative_lumbar&sort=pain",
            "/caseload",
            "/caseload?sort=trend&dir=desc&attention=true",
        ] {
            let ms =
                time_requests(&client, &format!("http://{addr}{path}"), &token, requests).await;
            println!(
                "{path:<70} {:>7.1} {:>7.1} {:>7.1} {:>7.1}",
                percentile(&ms, 50.0),
                percentile(&ms, 95.0),
                percentile(&ms, 99.0),
                ms[ms.len() - 1]
            );
        }
    });
}
