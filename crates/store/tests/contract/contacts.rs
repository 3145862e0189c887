//! The contact log in the store: a patient's contacts read back typed, newest first, and stay
//! with their patient and clinic; the count per patient since a moment covers a whole clinic in
//! one read; the table refuses a message with a duration; the phone number is set and cleared.

use physio_clinic::contact::ContactKind;
use physio_store::{NewContact, Store, StoreError};
use time::{Duration, macros::datetime};

use super::{NOW, fixture, write};

contract!(
    contacts_read_back_newest_first_and_stay_with_their_patient,
    contact_counts_cover_every_patient_since_a_moment,
    a_patients_phone_is_set_and_cleared,
);

async fn contacts_read_back_newest_first_and_stay_with_their_patient(store: &Store) {
    let f = fixture(store).await;
    let (me, other) = (f.patients[0], f.patients[1]);
    assert!(store.contacts(f.clinic, me).await.unwrap().is_empty());
    let call = NewContact {
        clinic_id: f.clinic,
        patient_id: me,
        kind: ContactKind::PhoneCall,
        occurred_at: NOW - Duration::hours(2),
        duration_minutes: Some(15),
        note: Some("Talked through pacing; walks 10 minutes twice a day.".into()),
        logged_by: f.clinician,
    };
    let message = NewContact {
        kind: ContactKind::Message,
        occurred_at: NOW - Duration::minutes(5),
        duration_minutes: None,
        note: None,
        ..call.clone()
    };
    let added = write(store, async |tx| tx.add_contact(&call, NOW).await).await.unwrap();
    write(store, async |tx| tx.add_contact(&message, NOW).await).await.unwrap();
    let read = store.contacts(f.clinic, me).await.unwrap();
    assert_eq!(read.len(), 2);
    // Newest first; times come back as whole seconds, exactly as stored.
    assert_eq!(read[0].kind, ContactKind::Message);
    assert_eq!(read[0].duration_minutes, None);
    assert_eq!(read[1], added);
    assert_eq!(read[1].occurred_at, datetime!(2026-11-25 07:30:00 UTC));
    assert_eq!(read[1].logged_at, datetime!(2026-11-25 09:30:00 UTC));
    assert_eq!(read[1].logged_by_name, "Name of pt1@north.test");
    assert_eq!(read[1].duration_minutes, Some(15));
    // Another patient, and another clinic, see none of it.
    assert!(store.contacts(f.clinic, other).await.unwrap().is_empty());
    assert!(store.contacts(f.other_clinic, me).await.unwrap().is_empty());
    // A patient of another clinic cannot be written to through this clinic.
    let wrong = NewContact { clinic_id: f.other_clinic, ..call.clone() };
    let r = write(store, async |tx| tx.add_contact(&wrong, NOW).await).await;
    assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");
    // The table keeps a message without a duration and a call with one, whatever the caller.
    let bad = NewContact { duration_minutes: Some(3), ..message.clone() };
    let r = write(store, async |tx| tx.add_contact(&bad, NOW).await).await;
    assert!(matches!(r, Err(StoreError::Conflict(_))), "{r:?}");
    let bad = NewContact { duration_minutes: None, ..call.clone() };
    let r = write(store, async |tx| tx.add_contact(&bad, NOW).await).await;
    assert!(matches!(r, Err(StoreError::Conflict(_))), "{r:?}");
    // Nothing half-written: a contact rolled back is not stored.
    let mut tx = store.begin().await.unwrap();
    tx.add_contact(&NewContact { patient_id: other, ..call.clone() }, NOW).await.unwrap();
    tx.rollback().await.unwrap();
    assert!(store.contacts(f.clinic, other).await.unwrap().is_empty());
    assert_eq!(store.contacts(f.clinic, me).await.unwrap().len(), 2);
}

async fn contact_counts_cover_every_patient_since_a_moment(store: &Store) {
    let f = fixture(store).await;
    let monday = datetime!(2026-11-23 00:00 UTC);
    let at = |patient, occurred_at| NewContact {
        clinic_id: f.clinic,
        patient_id: patient,
        kind: ContactKind::VideoCall,
        occurred_at,
        duration_minutes: Some(20),
        note: Some("Reviewed the week.".into()),
        logged_by: f.clinician2,
    };
    let contacts = [
        at(f.patients[0], monday - Duration::seconds(1)), // the week before
        at(f.patients[0], monday),                        // the first second counts
        at(f.patients[0], NOW),
        at(f.patients[1], monday + Duration::days(1)),
    ];
    for c in &contacts {
        write(store, async |tx| tx.add_contact(c, NOW).await).await.unwrap();
    }
    let counts = store.contact_counts_since(f.clinic, monday).await.unwrap();
    assert_eq!(counts.len(), 2, "the patient with none is absent: {counts:?}");
    assert_eq!(counts[&f.patients[0]], 2);
    assert_eq!(counts[&f.patients[1]], 1);
    // A moment with a fraction of a second counts from its whole second.
    let counts = store.contact_counts_since(f.clinic, monday + Duration::milliseconds(5)).await;
    assert_eq!(counts.unwrap()[&f.patients[0]], 2);
    // From a week earlier, every contact; another clinic has none.
    let all = store.contact_counts_since(f.clinic, monday - Duration::days(7)).await.unwrap();
    assert_eq!(all[&f.patients[0]], 3);
    assert!(store.contact_counts_since(f.other_clinic, monday).await.unwrap().is_empty());
}

async fn a_patients_phone_is_set_and_cleared(store: &Store) {
    let f = fixture(store).await;
    let me = f.patients[2];
    assert_eq!(store.user(me).await.unwrap().phone, None);
    write(store, async |tx| tx.set_phone(f.clinic, me, Some("(416) 555-0142")).await)
        .await
        .unwrap();
    let u = store.user(me).await.unwrap();
    assert_eq!(u.phone.as_deref(), Some("(416) 555-0142"));
    // Every read of a user carries it: a clinic's patient list too.
    let listed = store.users(f.clinic, Some(physio_store::Role::Patient)).await.unwrap();
    assert_eq!(listed.iter().find(|p| p.id == me).unwrap().phone, u.phone);
    write(store, async |tx| tx.set_phone(f.clinic, me, None).await).await.unwrap();
    assert_eq!(store.user(me).await.unwrap().phone, None);
    // Not through another clinic, and not on a clinician.
    let r = write(store, async |tx| tx.set_phone(f.other_clinic, me, Some("123456")).await).await;
    assert!(matches!(r, Err(StoreError::NotFound(_))));
    let r = write(store, async |tx| tx.set_phone(f.clinic, f.clinician, Some("123456")).await);
    assert!(matches!(r.await, Err(StoreError::NotFound(_))));
}
