//! Alerts in the store: kind, urgency and deadline round-trip typed; closing keeps who, when and
//! the note, once; the inbox lists a clinician's patients only, most urgent first; one open
//! condition alert of a kind per patient; and what the oversight sweep reads of a clinic.

use jiff::tz::TimeZone;
use physio_clinic::alert::{AlertKind, NewAlert, Urgency};
use physio_store::{AlertState, NewDaySession, NewProgrammeVersion, Store, StoreError, db_time};
use time::{Duration, macros::datetime};

use super::{NOW, fixture, programme_item, write};

contract!(
    alerts_round_trip_typed_and_close_once,
    inbox_is_the_clinicians_patients_most_urgent_first,
    one_open_condition_alert_of_a_kind_per_patient,
    oversight_facts_per_clinic,
);

fn london() -> TimeZone {
    jiff::tz::TimeZoneDatabase::bundled().get("Europe/London").unwrap()
}

async fn alerts_round_trip_typed_and_close_once(store: &Store) {
    let f = fixture(store).await;
    let p = f.patients[0];
    // Friday 4 December 2026, 18:30 in London.
    let friday = datetime!(2026-12-04 18:30:00.250 UTC);
    let alerts = [
        NewAlert::new(AlertKind::NoSession, "No session for 3 days."),
        NewAlert::new(AlertKind::HighPain, "Pain 9/10."),
        NewAlert::new(AlertKind::IntakeEmergency, "Emergency answer."),
    ];
    let ids = write(store, async |tx| tx.add_alerts(f.clinic, p, &alerts, &london(), friday).await)
        .await
        .unwrap();
    assert_eq!(ids.len(), 3);
    let a = store.alert(f.clinic, ids[0]).await.unwrap();
    assert_eq!((a.kind, a.urgency), (AlertKind::NoSession, Urgency::Routine));
    assert_eq!(a.due_at, datetime!(2026-12-08 00:00 UTC), "the end of Monday");
    assert_eq!(a.created_at, db_time(friday));
    let b = store.alert(f.clinic, ids[1]).await.unwrap();
    assert_eq!((b.urgency, b.due_at), (Urgency::Urgent, datetime!(2026-12-05 00:00 UTC)));
    let c = store.alert(f.clinic, ids[2]).await.unwrap();
    assert_eq!((c.urgency, c.due_at), (Urgency::Emergency, datetime!(2026-12-04 18:30 UTC)));
    assert!(a.is_open() && a.closed_by.is_none() && a.close_note.is_none());

    // Another clinic cannot read or close it.
    assert!(matches!(store.alert(f.other_clinic, a.id).await, Err(StoreError::NotFound(_))));
    let wrong = write(store, async |tx| {
        tx.close_alert(f.other_clinic, a.id, Some(f.clinician), "Phoned", NOW).await
    });
    assert!(matches!(wrong.await, Err(StoreError::NotFound(_))));

    let later = friday + Duration::hours(1);
    write(store, async |tx| {
        tx.close_alert(f.clinic, a.id, Some(f.clinician), "Phoned; back on track", later).await
    })
    .await
    .unwrap();
    let closed = store.alert(f.clinic, a.id).await.unwrap();
    assert_eq!(closed.closed_by, Some(f.clinician));
    assert_eq!(closed.closed_by_name.as_deref(), Some("Name of pt1@north.test"));
    assert_eq!(closed.closed_at, Some(db_time(later)));
    assert_eq!(closed.close_note.as_deref(), Some("Phoned; back on track"));
    // Closed once: a second close changes nothing.
    let twice = write(store, async |tx| {
        tx.close_alert(f.clinic, a.id, Some(f.clinician2), "Again", later).await
    });
    assert!(matches!(twice.await, Err(StoreError::NotFound(_))));
    assert_eq!(store.alert(f.clinic, a.id).await.unwrap().closed_by, Some(f.clinician));
    // Physio closes with no user.
    write(store, async |tx| tx.close_alert(f.clinic, b.id, None, "Closed by Physio", later).await)
        .await
        .unwrap();
    let b = store.alert(f.clinic, b.id).await.unwrap();
    assert_eq!((b.closed_by, b.closed_by_name), (None, None));
    assert_eq!(store.alerts(f.clinic, Some(p), false).await.unwrap().len(), 1);
    assert_eq!(store.alerts(f.clinic, Some(p), true).await.unwrap().len(), 3);
}

async fn inbox_is_the_clinicians_patients_most_urgent_first(store: &Store) {
    let f = fixture(store).await;
    let utc = TimeZone::UTC;
    let add = async |patient, kind, at| {
        let alerts = [NewAlert::new(kind, format!("{kind}"))];
        write(store, async |tx| tx.add_alerts(f.clinic, patient, &alerts, &utc, at).await)
            .await
            .unwrap()[0]
    };
    // Patient 0: clinician's; patient 1: both clinicians'; patient 2: clinician2's.
    let routine = add(f.patients[0], AlertKind::ReassessmentDue, NOW).await;
    let urgent_late = add(f.patients[1], AlertKind::PainRise, NOW + Duration::days(1)).await;
    let urgent_early = add(f.patients[0], AlertKind::HighPain, NOW).await;
    let emergency = add(f.patients[1], AlertKind::IntakeEmergency, NOW + Duration::days(2)).await;
    let others = add(f.patients[2], AlertKind::Phq9Item9, NOW).await;
    let ids = |list: Vec<physio_store::InboxAlert>| {
        list.into_iter().map(|i| i.alert.id).collect::<Vec<_>>()
    };
    let mine = store.inbox(f.clinic, f.clinician, AlertState::Open).await.unwrap();
    assert_eq!(mine[0].patient_name, "Name of patient1@north.test");
    assert_eq!(ids(mine), [emergency, urgent_early, urgent_late, routine]);
    let theirs = store.inbox(f.clinic, f.clinician2, AlertState::Open).await.unwrap();
    assert_eq!(ids(theirs), [emergency, others, urgent_late]);
    // Closed ones: only with `closed` or `all`, after the open ones.
    write(store, async |tx| {
        tx.close_alert(f.clinic, routine, Some(f.clinician), "Reminded", NOW).await
    })
    .await
    .unwrap();
    let closed = store.inbox(f.clinic, f.clinician, AlertState::Closed).await.unwrap();
    assert_eq!(ids(closed), [routine]);
    let all = store.inbox(f.clinic, f.clinician, AlertState::All).await.unwrap();
    assert_eq!(ids(all), [emergency, urgent_early, urgent_late, routine]);
    assert!(store.inbox(f.other_clinic, f.clinician, AlertState::All).await.unwrap().is_empty());
}

async fn one_open_condition_alert_of_a_kind_per_patient(store: &Store) {
    let f = fixture(store).await;
    let p = f.patients[0];
    let utc = TimeZone::UTC;
    let raise = async |kind| {
        let alerts = [NewAlert::new(kind, "again")];
        write(store, async |tx| tx.add_alerts(f.clinic, p, &alerts, &utc, NOW).await).await
    };
    let first = raise(AlertKind::NoSession).await.unwrap()[0];
    assert!(matches!(raise(AlertKind::NoSession).await, Err(StoreError::Conflict(_))));
    // Another kind, and alerts raised by events, are not limited.
    raise(AlertKind::LikelyDropout).await.unwrap();
    raise(AlertKind::HighPain).await.unwrap();
    raise(AlertKind::HighPain).await.unwrap();
    write(store, async |tx| tx.close_alert(f.clinic, first, None, "Closed by Physio", NOW).await)
        .await
        .unwrap();
    raise(AlertKind::NoSession).await.unwrap();
    assert_eq!(store.alerts(f.clinic, Some(p), true).await.unwrap().len(), 5);
}

async fn oversight_facts_per_clinic(store: &Store) {
    let f = fixture(store).await;
    let (p0, p1) = (f.patients[0], f.patients[1]);
    let version = async |patient, version: i32, items: Vec<physio_clinic::programme::Item>, at| {
        write(store, async |tx| {
            tx.add_programme_version(
                f.clinic,
                patient,
                NewProgrammeVersion {
                    version,
                    items: &items,
                    changes: &[],
                    reason: "Test",
                    template: None,
                    created_by: f.clinician,
                    now: at,
                },
            )
            .await
        })
        .await
        .unwrap();
    };
    let day = |n| NOW + Duration::days(n);
    // p0: started, changed, stopped, started again: in force since the restart.
    version(p0, 1, vec![programme_item("bridge", 10)], day(0)).await;
    version(p0, 2, vec![programme_item("bridge", 12)], day(1)).await;
    version(p0, 3, vec![], day(2)).await;
    version(p0, 4, vec![programme_item("bridge", 8)], day(5)).await;
    // p1: started, then stopped: none in force.
    version(p1, 1, vec![programme_item("bridge", 10)], day(0)).await;
    version(p1, 2, vec![], day(3)).await;
    // p0 did an exercise on 26 November; a session with everything skipped does not count.
    let due = vec![programme_item("bridge", 8)];
    for (number, date, log) in [
        (1, time::macros::date!(2026 - 11 - 26), physio_clinic::day::ExerciseLog::default()),
        (
            1,
            time::macros::date!(2026 - 11 - 28),
            physio_clinic::day::ExerciseLog {
                skipped: Some(physio_clinic::day::SkipReason::Time),
                ..Default::default()
            },
        ),
    ] {
        let s = write(store, async |tx| {
            tx.start_day_session(
                f.clinic,
                p0,
                NewDaySession {
                    day: date,
                    number,
                    programme_version: 4,
                    due: &due,
                    pain_before: 2,
                    usual_pain: None,
                    stopped: None,
                    now: NOW,
                },
            )
            .await
        })
        .await
        .unwrap();
        write(store, async |tx| {
            tx.log_day_exercise(f.clinic, s.id, "bridge", &log, None, NOW).await
        })
        .await
        .unwrap();
    }
    let facts = store.oversight_facts(f.clinic).await.unwrap();
    assert_eq!(facts.in_force, vec![(p0, db_time(day(5)))]);
    assert_eq!(facts.last_active, vec![(p0, time::macros::date!(2026 - 11 - 26))]);
    assert!(facts.answered.is_empty());
    // Another clinic sees none of it.
    let other = store.oversight_facts(f.other_clinic).await.unwrap();
    assert!(other.in_force.is_empty() && other.last_active.is_empty());
}
