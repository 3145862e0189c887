//! `physio demo` on a fresh database: the demo clinic is seeded whole through the care layer, with
//! the mix of patients its data describes, and an audit trail that is intact and has a `success`
//! record for every questionnaire answer stored; run again, it reuses the clinic.

use std::{
    collections::HashMap,
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    sync::mpsc,
    time::Duration,
};

use physio_clinic::{episode::EpisodeStatus, triage::Tier};
use physio_store::{Role, testing::TestDb};

const CLINIC: &str = "Riverside Spine & Back Physiotherapy (Demo)";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_clinic_is_seeded_through_the_care_layer_sqlite() {
    check(TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_clinic_is_seeded_through_the_care_layer_postgres() {
    let Some(db) = TestDb::postgres().await else { return };
    check(db).await;
}

/// Runs `physio demo` until it serves, then stops it; returns what it printed.
fn run_demo(url: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_physio"))
        .args(["--database-url", url, "demo", "--bind", "127.0.0.1:0"])
        .env("PHYSIO_DATA_DIR", dir.path())
        .env_remove("PHYSIO_CONFIG")
        .env("PHYSIO_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut seen = String::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            seen.push_str(&line);
            seen.push('\n');
            if line.starts_with("Listening on") {
                break;
            }
        }
        let _ = tx.send(seen);
    });
    let printed = rx.recv_timeout(Duration::from_secs(300));
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let printed = printed.expect("physio demo did not start serving within 5 minutes");
    assert!(
        printed.contains("Listening on"),
        "physio demo stopped before serving:\n{printed}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    printed
}

async fn check(db: TestDb) {
    let printed = run_demo(&db.url);
    assert!(printed.contains("Created the demo clinic"), "{printed}");
    assert!(printed.contains("Password for every demo account: physio-demo"), "{printed}");

    let dir = tempfile::tempdir().unwrap();
    let r = crate::physio(dir.path(), &["--database-url", &db.url, "audit", "verify"], None);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("Audit trail intact"), "{}", r.stdout);

    let store = &db.store;
    let clinic = store.clinic_by_name(CLINIC).await.unwrap().expect("the demo clinic");
    let patients = store.users(clinic.id, Some(Role::Patient)).await.unwrap();
    assert_eq!(patients.len(), 42);
    assert_eq!(store.users(clinic.id, Some(Role::Clinician)).await.unwrap().len(), 3);

    let mut statuses: HashMap<EpisodeStatus, usize> = HashMap::new();
    let mut tiers: HashMap<Tier, usize> = HashMap::new();
    let (mut reviewed, mut on_pathway, mut follow_ups, mut responses) = (0, 0, 0, 0);
    let audit = store.audit_events(clinic.id, None, 100_000).await.unwrap();
    for p in &patients {
        assert!(!store.care_teams(clinic.id, Some(p.id)).await.unwrap().is_empty(), "{}", p.email);
        let Some(ep) = store.episodes(clinic.id, p.id).await.unwrap().into_iter().next() else {
            continue;
        };
        *statuses.entry(ep.status).or_default() += 1;
        on_pathway += usize::from(ep.status == EpisodeStatus::Active && ep.pathway.is_some());
        let triage = store.triage_history(clinic.id, ep.id).await.unwrap();
        let first = triage.last().expect("a triage decision for every intake sent");
        *tiers.entry(first.tier).or_default() += 1;
        reviewed += usize::from(first.review.is_some());

        let answered = store.responses(clinic.id, p.id, None).await.unwrap();
        assert!(answered.iter().any(|r| r.timepoint == "baseline"), "{}: no baseline", p.email);
        follow_ups += answered.iter().filter(|r| r.timepoint.starts_with("week_")).count();
        responses += answered.len();
        let audited = audit
            .iter()
            .filter(|e| e.patient_id == Some(p.id) && e.actor_id == Some(p.id))
            .filter(|e| {
                (e.action.as_str(), e.resource.as_str()) == ("create", "questionnaire_response")
            })
            .filter(|e| e.outcome == "success")
            .count();
        assert_eq!(audited, answered.len(), "{}: answers without their audit record", p.email);
    }
    // 37 patients have sent their intake; 5 are new.
    assert_eq!(statuses.values().sum::<usize>(), 37, "{statuses:?}");
    assert_eq!(statuses.get(&EpisodeStatus::AwaitingReview), Some(&5), "{statuses:?}");
    assert_eq!(statuses.get(&EpisodeStatus::Active), Some(&32), "{statuses:?}");
    assert!(on_pathway >= 25, "{on_pathway} active on a pathway");
    for tier in [Tier::Emergency, Tier::Urgent, Tier::Specialist, Tier::Exercise] {
        assert!(tiers.get(&tier).is_some_and(|&n| n > 0), "no {tier:?} patient: {tiers:?}");
    }
    assert_eq!(reviewed, 9, "triage decisions reviewed by a clinician");
    assert!(responses > 300 && follow_ups > 100, "{responses} answers, {follow_ups} follow-ups");

    // Run again: the clinic is reused, not seeded twice.
    let printed = run_demo(&db.url);
    assert!(!printed.contains("Created the demo clinic"), "{printed}");
    assert!(printed.contains("is ready"), "{printed}");
    assert_eq!(store.users(clinic.id, Some(Role::Patient)).await.unwrap().len(), 42);
}
