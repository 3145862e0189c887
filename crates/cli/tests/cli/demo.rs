//! `physio demo` on a fresh database: the demo clinic is seeded whole through the care layer, with
//! the mix of patients its data describes, an exercise programme with its version history for
//! every patient on exercise care, and an audit trail that is intact and has a `success` record
//! for every questionnaire answer and programme version stored; run again, it reuses the clinic.

use std::{
    collections::HashMap,
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    sync::mpsc,
    time::Duration,
};

use physio_clinic::{episode::EpisodeStatus, programme::Change, triage::Tier};
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

    // Every patient on exercise care (an active episode on a pathway, exercise not paused) has
    // a programme, started from the template of their pathway, with a version history: among
    // them progressions (a dose changed) and an override of a precaution with its reason.
    let today = time::OffsetDateTime::now_utc().date();
    let (mut with_programme, mut progressed, mut overridden) = (0, 0, 0);
    let (mut with_sessions, mut total_sessions, mut stopped) = (0, 0, 0);
    for p in &patients {
        let ep = store.open_episode_of(clinic.id, p.id).await.unwrap();
        let pathway = ep.as_ref().filter(|e| e.status == EpisodeStatus::Active);
        let pathway = pathway.and_then(|e| e.pathway.clone());
        // Paused before any programme; the demo's pain stop pauses a patient who has one.
        let stop = store.alerts(clinic.id, Some(p.id), false).await.unwrap();
        let stop = stop.iter().any(|a| a.kind == physio_clinic::alert::AlertKind::HighPain);
        let paused = physio_server::care::safety::pause(store, p).await.unwrap().is_some() && !stop;
        let versions = store.programme_versions(clinic.id, p.id).await.unwrap();
        assert_eq!(
            pathway.is_some() && !paused,
            !versions.is_empty(),
            "{}: on exercise care if and only if they have a programme ({pathway:?}, paused: \
             {paused})",
            p.email
        );
        let (Some(current), Some(first)) = (versions.first(), versions.last()) else { continue };
        with_programme += 1;
        let template = first.template.as_deref().expect("the first version is from a template");
        let template = physio_clinic::programme::template::builtin()
            .iter()
            .find(|t| t.id == template)
            .expect("a built-in template");
        assert_eq!(Some(template.pathway.as_str()), pathway.as_deref(), "{}", p.email);
        let team = store.care_teams(clinic.id, Some(p.id)).await.unwrap();
        for v in &versions {
            assert!(
                !v.reason.trim().is_empty(),
                "{}: version {} has no reason",
                p.email,
                v.version
            );
            assert!(
                team.iter().any(|t| t.clinician_id == v.created_by),
                "{}: version {} not by their care team",
                p.email,
                v.version
            );
        }
        let dose_changed =
            versions.iter().any(|v| v.changes.iter().any(|c| matches!(c, Change::Dose { .. })));
        progressed += usize::from(versions.len() >= 2 && dose_changed);
        overridden += current
            .items
            .iter()
            .filter_map(|i| i.override_.as_ref())
            .filter(|o| !o.reason.trim().is_empty() && !o.precautions.is_empty())
            .count();
        // Nothing in force today is held by a precaution its override does not cover.
        let phase = physio_server::care::pathway::phase_status(ep.as_ref().unwrap(), today)
            .expect("on a pathway")
            .expect("a phase that can be worked out");
        let flags = physio_clinic::programme::flags(
            &current.items,
            &physio_clinic::exercise::library::find,
            &phase.active_precautions,
        );
        assert!(flags.is_empty(), "{}: held by a precaution: {flags:?}", p.email);
        // Each version was audited as it was saved.
        let audited = audit
            .iter()
            .filter(|e| e.patient_id == Some(p.id) && e.resource == "programme")
            .filter(|e| e.outcome == "success" && e.action != "read")
            .count();
        // A change applied automatically is part of the patient's own action (the session or
        // the next-morning answer that caused it) and audited with it (docs/progression.md).
        let by_clinician =
            versions.iter().filter(|v| !v.reason.starts_with("Applied automatically")).count();
        assert_eq!(audited, by_clinician, "{}: versions without their audit record", p.email);
        // The last week of guided sessions: each exercise as prescribed or skipped, each with
        // its audit record; one session in the whole demo stopped by the pain check (for the
        // inbox's urgent alert).
        let sessions = store.day_sessions(clinic.id, p.id, None).await.unwrap();
        for s in &sessions {
            assert!(s.ended_at.is_some(), "{}: {s:?}", p.email);
            if s.stopped.is_some() {
                stopped += 1;
                assert!(s.exercises.is_empty(), "{}: {s:?}", p.email);
                continue;
            }
            assert_eq!(s.exercises.len(), s.due.len(), "{}: every exercise recorded", p.email);
        }
        with_sessions += usize::from(!sessions.is_empty());
        total_sessions += sessions.len();
    }
    let session_writes = audit
        .iter()
        .filter(|e| e.resource == "day_session" && e.outcome == "success" && e.action == "create")
        .count();
    assert_eq!(session_writes, total_sessions, "each session started with its audit record");
    assert!(with_sessions >= 20, "{with_sessions} patients with guided sessions in the last week");
    assert!(with_programme >= 25, "{with_programme} patients with a programme");
    assert!(progressed >= 5, "{progressed} programmes with a dose changed in a later version");
    assert!(overridden >= 1, "no exercise prescribed despite a precaution, with its reason");
    assert_eq!(stopped, 1, "one session stopped by the pain check");

    // The inbox: alerts of several kinds, each with its deadline, some overdue by now, the
    // condition ones raised by the sweep as the system.
    let alerts = store.alerts(clinic.id, None, false).await.unwrap();
    let kinds: std::collections::BTreeSet<_> = alerts.iter().map(|a| a.kind).collect();
    assert!(kinds.len() >= 2, "{kinds:?}");
    assert!(kinds.contains(&physio_clinic::alert::AlertKind::HighPain), "{kinds:?}");
    let now = time::OffsetDateTime::now_utc();
    assert!(alerts.iter().any(|a| a.due_at < now), "an overdue alert: {alerts:?}");
    assert!(alerts.iter().all(|a| a.due_at >= a.created_at), "{alerts:?}");

    // Progression (docs/progression.md): the week of sessions leaves proposals waiting (steps
    // up and steps down), changes applied automatically for the patients whose clinician
    // allowed it, and holds that say why nothing changed; each rule the demo's data can reach.
    use physio_clinic::progression::{Proposal, Rule, Status};
    let decisions = store.progression_decisions(clinic.id, None, &[], None).await.unwrap();
    let has =
        |rule: Rule, status: Status| decisions.iter().any(|d| d.rule == rule && d.status == status);
    assert!(has(Rule::Ready, Status::Waiting), "a step up waiting");
    assert!(has(Rule::NotEnoughData, Status::Noted) && has(Rule::Otherwise, Status::Noted));
    assert!(decisions.iter().any(|d| d.rule == Rule::PainBreach), "a pain breach");
    assert!(
        decisions.iter().any(|d| d.status == Status::Applied && d.proposal == Proposal::Progress),
        "a step up applied automatically"
    );
    assert!(decisions.iter().all(|d| !d.because.is_empty() && !d.patient_text.is_empty()));

    // Messages: an exchange read on both sides, a reply not opened yet, and a patient's message
    // nobody has read, each written with its audit record.
    let id_of = |email: &str| patients.iter().find(|p| p.email == email).unwrap().id;
    let maria = store.message_thread(clinic.id, id_of("maria.lopez@demo.physio.test")).await;
    let maria = maria.unwrap();
    assert_eq!(maria.len(), 3);
    assert!(maria.iter().all(|m| m.read_at.is_some()), "{maria:?}");
    let hiroshi = store.message_thread(clinic.id, id_of("hiroshi.tanaka@demo.physio.test")).await;
    let hiroshi = hiroshi.unwrap();
    assert_eq!(
        hiroshi.iter().map(|m| m.read_at.is_some()).collect::<Vec<_>>(),
        [true, true, false]
    );
    let waiting = store.unread_patient_messages(clinic.id).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].patient_id, id_of("tomasz.nowak@demo.physio.test"));
    let written = audit
        .iter()
        .filter(|e| e.resource == "message" && e.action == "write" && e.outcome == "success")
        .count();
    assert_eq!(written, 7, "each message with its audit record");

    // Phone numbers and the contact log: most patients have a valid number on record; this
    // week (from Monday 00:00 on the demo clinic's clock, UTC) some patients have had no
    // contact, some one, some two or more; every contact has its audit record.
    let phones: Vec<&str> = patients.iter().filter_map(|p| p.phone.as_deref()).collect();
    assert!(phones.len() >= 30 && phones.len() < patients.len(), "{} numbers", phones.len());
    for phone in &phones {
        let checked = physio_clinic::contact::check_phone(phone).unwrap();
        assert_eq!(checked.as_deref(), Some(*phone));
    }
    let today = time::OffsetDateTime::now_utc().date();
    let monday = (today
        - time::Duration::days(i64::from(today.weekday().number_days_from_monday())))
    .midnight()
    .assume_utc();
    let week = store.contact_counts_since(clinic.id, monday).await.unwrap();
    let with_episode: Vec<_> = {
        let mut v = vec![];
        for p in &patients {
            if store.open_episode_of(clinic.id, p.id).await.unwrap().is_some() {
                v.push(p.id);
            }
        }
        v
    };
    let none = with_episode.iter().filter(|id| !week.contains_key(id)).count();
    let met = week.values().filter(|n| **n >= physio_clinic::contact::TARGET_PER_WEEK).count();
    let below = week.values().filter(|n| **n == 1).count();
    assert!(none >= 5 && met >= 5 && below >= 5, "{none} none, {below} one, {met} at target");
    let (mut logged, mut by_message) = (0, 0);
    for p in &patients {
        let log = store.contacts(clinic.id, p.id).await.unwrap();
        assert!(log.iter().all(|c| c.occurred_at <= c.logged_at), "{}: {log:?}", p.email);
        // A clinician's message is logged as a contact by the message's own audited action.
        by_message += log
            .iter()
            .filter(|c| c.kind == physio_clinic::contact::ContactKind::Message && c.note.is_none())
            .count();
        logged += log.len();
    }
    assert!(logged > 100, "{logged} contacts logged");
    let audited = audit
        .iter()
        .filter(|e| e.resource == "contact" && e.action == "create" && e.outcome == "success")
        .count();
    assert!(by_message > 0, "a clinician's message counts as a contact");
    assert_eq!(audited + by_message, logged, "each contact logged with its audit record");

    // Run again: the clinic is reused, not seeded twice.
    let printed = run_demo(&db.url);
    assert!(!printed.contains("Created the demo clinic"), "{printed}");
    assert!(printed.contains("is ready"), "{printed}");
    assert_eq!(store.users(clinic.id, Some(Role::Patient)).await.unwrap().len(), 42);
}
