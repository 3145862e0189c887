//! The caseload's bulk reads: each covers every patient on a clinician's care teams (or one
//! patient) and nobody else, reads back typed, and refuses a stored value it cannot read.

use physio_clinic::alert::NewAlert;
use physio_clinic::caseload::{AlertKind, PainSource};
use physio_clinic::day::{ExerciseLog, Outcome, SkipReason};
use physio_clinic::triage::Tier;
use physio_store::{CaseloadScope, NewDaySession, NewResponse, Store, StoreError};
use time::{Duration, macros::date};
use uuid::Uuid;

use super::{Fixture, NOW, fixture, programme_item, triage, write};

contract!(
    caseload_alerts_are_the_open_ones_in_scope,
    caseload_reviews_and_episodes_follow_the_episode,
    caseload_pain_reads_checks_and_nprs_scores,
    caseload_sessions_and_last_outcomes,
    caseload_programmes_list_every_version,
);

fn mine(f: &Fixture) -> CaseloadScope {
    CaseloadScope::CareTeam(f.clinician)
}

fn patients_of<T>(rows: &[T], id: impl Fn(&T) -> Uuid) -> Vec<Uuid> {
    let mut v: Vec<Uuid> = rows.iter().map(id).collect();
    v.sort();
    v.dedup();
    v
}

fn sorted(mut v: Vec<Uuid>) -> Vec<Uuid> {
    v.sort();
    v
}

async fn caseload_alerts_are_the_open_ones_in_scope(store: &Store) {
    let f = fixture(store).await;
    let (p0, p1, p2) = (f.patients[0], f.patients[1], f.patients[2]);
    let add = async |p, kinds: &[AlertKind], at| {
        let alerts: Vec<NewAlert> = kinds.iter().map(|k| NewAlert::new(*k, "message")).collect();
        let utc = jiff::tz::TimeZone::UTC;
        write(store, async |tx| tx.add_alerts(f.clinic, p, &alerts, &utc, at).await).await.unwrap();
    };
    add(p0, &[AlertKind::PainRise, AlertKind::Phq9Item9], NOW).await;
    add(p1, &[AlertKind::HighPain], NOW + Duration::minutes(1)).await;
    add(p2, &[AlertKind::IntakeEmergency], NOW).await;
    // A closed alert is not open.
    let acked = store.alerts(f.clinic, Some(p0), false).await.unwrap();
    let pain_rise = acked.iter().find(|a| a.kind == AlertKind::PainRise).unwrap().id;
    write(store, async |tx| {
        tx.close_alert(f.clinic, pain_rise, Some(f.clinician), "Phoned", NOW).await
    })
    .await
    .unwrap();

    let open = store.caseload_alerts(f.clinic, mine(&f)).await.unwrap();
    let seen: Vec<(Uuid, AlertKind)> = open.iter().map(|a| (a.patient_id, a.kind)).collect();
    assert_eq!(seen, [(p1, AlertKind::HighPain), (p0, AlertKind::Phq9Item9)], "newest first");
    let theirs = store.caseload_alerts(f.clinic, CaseloadScope::CareTeam(f.clinician2)).await;
    assert_eq!(patients_of(&theirs.unwrap(), |a| a.patient_id), sorted(vec![p1, p2]));
    let one = store.caseload_alerts(f.clinic, CaseloadScope::Patient(p2)).await.unwrap();
    assert_eq!(one.iter().map(|a| a.kind).collect::<Vec<_>>(), [AlertKind::IntakeEmergency]);
    // Another clinic sees none of them.
    assert!(store.caseload_alerts(f.other_clinic, mine(&f)).await.unwrap().is_empty());
}

async fn caseload_reviews_and_episodes_follow_the_episode(store: &Store) {
    let f = fixture(store).await;
    let (p0, p1, p2) = (f.patients[0], f.patients[1], f.patients[2]);
    let intake = serde_json::json!({"region": ["lumbar"], "pain_now": 6});
    let mut episodes = vec![];
    for (p, tier, review) in
        [(p0, Tier::Exercise, false), (p1, Tier::Urgent, true), (p2, Tier::Specialist, true)]
    {
        let ep = write(store, async |tx| tx.open_episode(f.clinic, p, NOW).await).await.unwrap();
        write(store, async |tx| {
            tx.submit_intake(&intake, &triage(&f, ep.id, tier, review), NOW).await
        })
        .await
        .unwrap();
        episodes.push(ep.id);
    }
    let waiting = store.caseload_reviews(f.clinic, mine(&f)).await.unwrap();
    let seen: Vec<(Uuid, Tier)> = waiting.iter().map(|r| (r.patient_id, r.tier)).collect();
    assert_eq!(seen, [(p1, Tier::Urgent)], "only the episode waiting for review");
    let one = store.caseload_reviews(f.clinic, CaseloadScope::Patient(p2)).await.unwrap();
    assert_eq!(one.iter().map(|r| r.tier).collect::<Vec<_>>(), [Tier::Specialist]);

    let open = store.caseload_episodes(f.clinic, mine(&f)).await.unwrap();
    assert_eq!(patients_of(&open, |e| e.patient_id), sorted(vec![p0, p1]));
    let p0_episode = open.iter().find(|e| e.patient_id == p0).unwrap();
    assert_eq!(p0_episode.pathway.as_deref(), Some("conservative_lumbar"), "read back whole");
    assert!(store.caseload_episodes(f.other_clinic, mine(&f)).await.unwrap().is_empty());
    // A discharged episode is not open.
    write(store, async |tx| tx.discharge(f.clinic, episodes[0], "goals met", NOW).await)
        .await
        .unwrap();
    let open = store.caseload_episodes(f.clinic, mine(&f)).await.unwrap();
    assert_eq!(patients_of(&open, |e| e.patient_id), vec![p1]);
}

async fn caseload_pain_reads_checks_and_nprs_scores(store: &Store) {
    let f = fixture(store).await;
    let (p0, p1, p2) = (f.patients[0], f.patients[1], f.patients[2]);
    let due = vec![programme_item("bridge", 10)];
    let check = async |p, days_ago: i64, pain: u8| {
        let at = NOW - Duration::days(days_ago);
        let s = NewDaySession {
            day: at.date(),
            number: 1,
            programme_version: 1,
            due: &due,
            pain_before: pain,
            usual_pain: None,
            stopped: None,
            now: at,
        };
        write(store, async |tx| tx.start_day_session(f.clinic, p, s).await).await.unwrap();
    };
    let nprs = async |p, days_ago: i64, score: f64| {
        let ep = match store.open_episode_of(f.clinic, p).await.unwrap() {
            Some(ep) => ep,
            None => write(store, async |tx| tx.open_episode(f.clinic, p, NOW).await).await.unwrap(),
        };
        let r = NewResponse {
            clinic_id: f.clinic,
            episode_id: ep.id,
            instrument: "nprs".into(),
            timepoint: "adhoc".into(),
            answers: serde_json::json!([score]),
            result: serde_json::json!({"score": score}),
            score,
        };
        let at = NOW - Duration::days(days_ago);
        write(store, async |tx| tx.add_response(&r, &[], &jiff::tz::TimeZone::UTC, at).await)
            .await
            .unwrap();
    };
    check(p0, 40, 2).await;
    check(p0, 10, 5).await;
    check(p0, 2, 6).await;
    nprs(p0, 30, 7.0).await;
    nprs(p0, 1, 4.0).await;
    nprs(p1, 50, 3.0).await;
    check(p2, 1, 9).await;

    // Readings since a moment: both kinds, in scope only.
    let since = NOW - Duration::days(12);
    let mut recent = store.caseload_pain(f.clinic, mine(&f), since).await.unwrap();
    recent.sort_by_key(|r| r.at);
    let seen: Vec<(Uuid, u8, PainSource)> =
        recent.iter().map(|r| (r.patient_id, r.pain, r.source)).collect();
    assert_eq!(
        seen,
        [
            (p0, 5, PainSource::SessionCheck),
            (p0, 6, PainSource::SessionCheck),
            (p0, 4, PainSource::Nprs)
        ]
    );
    assert_eq!(recent[0].at, physio_store::db_time(NOW - Duration::days(10)));

    // The latest of each kind per patient, however old.
    let mut last = store.caseload_last_pain(f.clinic, mine(&f)).await.unwrap();
    last.sort_by_key(|r| (r.patient_id, r.at));
    let seen: Vec<(Uuid, u8, PainSource)> =
        last.iter().map(|r| (r.patient_id, r.pain, r.source)).collect();
    let mut want = vec![
        (p0, 6, PainSource::SessionCheck),
        (p0, 4, PainSource::Nprs),
        (p1, 3, PainSource::Nprs),
    ];
    want.sort_by_key(|w| (w.0, w.2 == PainSource::Nprs));
    assert_eq!(seen, want);
    let one = store.caseload_last_pain(f.clinic, CaseloadScope::Patient(p2)).await.unwrap();
    assert_eq!(one.iter().map(|r| r.pain).collect::<Vec<_>>(), [9]);
    assert!(store.caseload_last_pain(f.other_clinic, mine(&f)).await.unwrap().is_empty());
    // A score outside 0–10 is not a pain reading.
    nprs(p1, 0, 11.0).await;
    let e = store.caseload_last_pain(f.clinic, mine(&f)).await.unwrap_err();
    assert!(matches!(&e, StoreError::Database(m) if m.contains("not 0 to 10")), "{e:?}");
}

async fn caseload_sessions_and_last_outcomes(store: &Store) {
    let f = fixture(store).await;
    let (p0, p1, p2) = (f.patients[0], f.patients[1], f.patients[2]);
    let due = vec![programme_item("bridge", 10), programme_item("bird-dog", 8)];
    let done = ExerciseLog { sets_done: Some(2), reps_done: Some(10), ..ExerciseLog::default() };
    let skip = ExerciseLog { skipped: Some(SkipReason::Time), ..ExerciseLog::default() };
    let session = async |p, day: time::Date, logs: &[(&str, &ExerciseLog)]| {
        let s = NewDaySession {
            day,
            number: 1,
            programme_version: 1,
            due: &due,
            pain_before: 3,
            usual_pain: None,
            stopped: None,
            now: NOW,
        };
        let s = write(store, async |tx| tx.start_day_session(f.clinic, p, s).await).await.unwrap();
        for (exercise, log) in logs {
            write(store, async |tx| {
                tx.log_day_exercise(f.clinic, s.id, exercise, log, None, NOW).await
            })
            .await
            .unwrap();
        }
    };
    session(p0, date!(2026 - 11 - 16), &[("bridge", &done)]).await;
    session(p0, date!(2026 - 11 - 23), &[("bridge", &done), ("bird-dog", &skip)]).await;
    session(p0, date!(2026 - 11 - 24), &[("bridge", &skip)]).await;
    session(p1, date!(2026 - 11 - 24), &[]).await;
    session(p2, date!(2026 - 11 - 24), &[("bridge", &done)]).await;

    let week = store.caseload_day_sessions(f.clinic, mine(&f), date!(2026 - 11 - 23)).await;
    let week = week.unwrap();
    let seen: Vec<(Uuid, time::Date, usize, bool)> =
        week.iter().map(|s| (s.patient_id, s.day, s.exercises.len(), s.counts())).collect();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(seen.contains(&(p0, date!(2026 - 11 - 23), 2, true)), "{seen:?}");
    assert!(seen.contains(&(p0, date!(2026 - 11 - 24), 1, false)), "{seen:?}");
    assert!(seen.contains(&(p1, date!(2026 - 11 - 24), 0, false)), "{seen:?}");
    let one =
        store.caseload_day_sessions(f.clinic, CaseloadScope::Patient(p2), date!(2026 - 11 - 01));
    assert_eq!(one.await.unwrap().len(), 1);

    let mut last = store.caseload_last_outcomes(f.clinic, mine(&f)).await.unwrap();
    last.sort_by_key(|o| (o.patient_id, o.outcome.as_str(), o.day));
    let seen: Vec<(Uuid, Outcome, time::Date)> =
        last.iter().map(|o| (o.patient_id, o.outcome, o.day)).collect();
    assert_eq!(
        seen,
        [
            (p0, Outcome::Done, date!(2026 - 11 - 23)),
            (p0, Outcome::Skipped(SkipReason::Time), date!(2026 - 11 - 24)),
        ],
        "the latest day of each outcome; p1 recorded nothing"
    );
    assert!(store.caseload_last_outcomes(f.other_clinic, mine(&f)).await.unwrap().is_empty());
}

async fn caseload_programmes_list_every_version(store: &Store) {
    use physio_store::NewProgrammeVersion;
    let f = fixture(store).await;
    let (p0, p1, p2) = (f.patients[0], f.patients[1], f.patients[2]);
    let add = async |p, version, items: Vec<physio_clinic::programme::Item>| {
        let changes = physio_clinic::programme::diff(&[], &items);
        write(store, async |tx| {
            let v = NewProgrammeVersion {
                version,
                items: &items,
                changes: &changes,
                reason: "Started",
                template: None,
                created_by: f.clinician,
                now: NOW + Duration::days(i64::from(version)),
            };
            tx.add_programme_version(f.clinic, p, v).await
        })
        .await
        .unwrap();
    };
    add(p0, 1, vec![programme_item("bridge", 10)]).await;
    add(p0, 2, vec![]).await;
    add(p1, 1, vec![programme_item("bird-dog", 8)]).await;
    add(p2, 1, vec![programme_item("bridge", 12)]).await;
    let all = store.caseload_programmes(f.clinic, mine(&f)).await.unwrap();
    let mut seen: Vec<(Uuid, i32, usize)> =
        all.iter().map(|v| (v.patient_id, v.version, v.items.len())).collect();
    seen.sort();
    let mut want = vec![(p0, 1, 1), (p0, 2, 0), (p1, 1, 1)];
    want.sort();
    assert_eq!(seen, want);
    assert_eq!(all.iter().find(|v| v.patient_id == p1).unwrap().items[0].exercise, "bird-dog");
    let one = store.caseload_programmes(f.clinic, CaseloadScope::Patient(p2)).await.unwrap();
    assert_eq!(one.len(), 1);
    assert!(store.caseload_programmes(f.other_clinic, mine(&f)).await.unwrap().is_empty());
}
