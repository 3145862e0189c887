//! Lessons in the store: a patient's reads keep the first time only and stay with the patient
//! and clinic; a clinic's own lessons read back typed, update in place, and stay in their clinic.

use physio_clinic::education::Lesson;
use physio_store::{Store, StoreError};
use time::Duration;

use super::{NOW, fixture, write};

contract!(lesson_reads_keep_the_first_time, clinic_lessons_stay_in_their_clinic);

async fn lesson_reads_keep_the_first_time(store: &Store) {
    let f = fixture(store).await;
    let (me, other) = (f.patients[0], f.patients[1]);
    assert!(store.lesson_reads(f.clinic, me).await.unwrap().is_empty());
    let first = write(store, async |tx| tx.mark_lesson_read(f.clinic, me, "pacing", NOW).await);
    assert!(first.await.unwrap(), "the first read is new");
    let later = NOW + Duration::days(3);
    let again = write(store, async |tx| tx.mark_lesson_read(f.clinic, me, "pacing", later).await);
    assert!(!again.await.unwrap(), "a second read changes nothing");
    write(store, async |tx| tx.mark_lesson_read(f.clinic, me, "sleep", later).await).await.unwrap();
    let reads = store.lesson_reads(f.clinic, me).await.unwrap();
    let seen: Vec<(&str, time::OffsetDateTime)> =
        reads.iter().map(|r| (r.lesson_id.as_str(), r.first_read_at)).collect();
    assert_eq!(
        seen,
        [("pacing", physio_store::db_time(NOW)), ("sleep", physio_store::db_time(later))]
    );
    // Another patient, and another clinic, see none of it.
    assert!(store.lesson_reads(f.clinic, other).await.unwrap().is_empty());
    assert!(store.lesson_reads(f.other_clinic, me).await.unwrap().is_empty());
    // A patient of another clinic cannot be written to through this clinic.
    let wrong =
        write(store, async |tx| tx.mark_lesson_read(f.other_clinic, me, "sleep", NOW).await);
    assert!(matches!(wrong.await, Err(StoreError::NotFound(_))));
    // Nothing half-written: a read rolled back is not stored.
    let mut tx = store.begin().await.unwrap();
    assert!(tx.mark_lesson_read(f.clinic, other, "sleep", NOW).await.unwrap());
    tx.rollback().await.unwrap();
    assert!(store.lesson_reads(f.clinic, other).await.unwrap().is_empty());
}

async fn clinic_lessons_stay_in_their_clinic(store: &Store) {
    let f = fixture(store).await;
    let mut lesson: Lesson = serde_json::from_value(serde_json::json!({
        "id": "our-gym",
        "title": "Our gym class",
        "summary": "Join our class on Tuesdays.",
        "body": ["Come along on a Tuesday at ten."],
        "key_points": ["Bring water."],
        "figure": "pacing",
        "pathways": ["conservative_lumbar"],
        "phases": ["active_care"],
        "week": 2
    }))
    .unwrap();
    write(store, async |tx| {
        tx.put_clinic_lessons(f.clinic, std::slice::from_ref(&lesson), Some(f.clinician), NOW).await
    })
    .await
    .unwrap();
    assert_eq!(store.clinic_lessons(f.clinic).await.unwrap(), vec![lesson.clone()]);
    assert!(store.clinic_lessons(f.other_clinic).await.unwrap().is_empty());
    lesson.title = "Our Tuesday gym class".to_owned();
    write(store, async |tx| {
        tx.put_clinic_lessons(f.clinic, std::slice::from_ref(&lesson), None, NOW).await
    })
    .await
    .unwrap();
    assert_eq!(store.clinic_lessons(f.clinic).await.unwrap(), vec![lesson]);
}
