//! Messages in the store: a thread reads back in order with its authors typed, the first
//! reading by the other side is kept with who read it, the counts a navigation shows follow
//! what is unread, and the alerts inbox's read finds each patient's oldest unread message.

use physio_clinic::message::{Author, MessageText};
use physio_store::{Store, StoreError, UnreadSince, message_time};
use time::Duration;

use super::{NOW, fixture, write};

contract!(
    a_thread_keeps_order_authors_and_first_readings,
    unread_counts_and_the_oldest_unread_follow_what_is_read,
);

fn text(s: &str) -> MessageText {
    MessageText::parse(s).unwrap()
}

async fn a_thread_keeps_order_authors_and_first_readings(store: &Store) {
    let f = fixture(store).await;
    let (me, other) = (f.patients[0], f.patients[1]);
    let (t0, t1, t2) = (NOW, NOW + Duration::minutes(5), NOW + Duration::hours(2));
    let asked = write(store, async |tx| {
        tx.add_message(f.clinic, me, me, Author::Patient, &text("Can I swim?"), t0).await
    })
    .await
    .unwrap();
    assert_eq!(asked.author, Author::Patient);
    assert_eq!(asked.created_at, message_time(NOW), "kept to the whole second");
    assert_eq!((asked.read_at, asked.read_by), (None, None));
    write(store, async |tx| {
        tx.add_message(f.clinic, me, me, Author::Patient, &text("Breaststroke, I mean."), t1).await
    })
    .await
    .unwrap();

    // The clinician opens the thread: both of the patient's messages are read, by them.
    let n = write(store, async |tx| {
        tx.mark_messages_read(f.clinic, me, Author::Patient, f.clinician, t2).await
    });
    assert_eq!(n.await.unwrap(), 2);
    let reply = write(store, async |tx| {
        let t = text("Yes, gently.\nStart with ten minutes.");
        tx.add_message(f.clinic, me, f.clinician, Author::Clinician, &t, t2).await
    })
    .await
    .unwrap();
    assert_eq!(reply.author_name, "Name of pt1@north.test");
    assert_eq!(reply.body, "Yes, gently.\nStart with ten minutes.");

    // A second clinician opening it later changes nothing: the first reading stays.
    let again = write(store, async |tx| {
        tx.mark_messages_read(f.clinic, me, Author::Patient, f.clinician2, t2 + Duration::days(1))
            .await
    });
    assert_eq!(again.await.unwrap(), 0);

    let thread = store.message_thread(f.clinic, me).await.unwrap();
    let seen: Vec<(Author, &str, Option<&str>)> =
        thread.iter().map(|m| (m.author, m.body.as_str(), m.read_by_name.as_deref())).collect();
    assert_eq!(
        seen,
        [
            (Author::Patient, "Can I swim?", Some("Name of pt1@north.test")),
            (Author::Patient, "Breaststroke, I mean.", Some("Name of pt1@north.test")),
            (Author::Clinician, "Yes, gently.\nStart with ten minutes.", None),
        ]
    );
    assert_eq!(thread[0].read_at, Some(message_time(t2)));
    assert_eq!(thread[0].read_by, Some(f.clinician));
    assert_eq!(thread[2], reply, "what was written reads back exactly");

    // The thread is the patient's and the clinic's only.
    assert!(store.message_thread(f.clinic, other).await.unwrap().is_empty());
    assert!(store.message_thread(f.other_clinic, me).await.unwrap().is_empty());
    let wrong = write(store, async |tx| {
        tx.add_message(f.other_clinic, me, me, Author::Patient, &text("Hello"), t0).await
    });
    assert!(matches!(wrong.await, Err(StoreError::NotFound(_))));
    // A message rolled back is not stored.
    let mut tx = store.begin().await.unwrap();
    tx.add_message(f.clinic, other, other, Author::Patient, &text("Draft"), t0).await.unwrap();
    tx.rollback().await.unwrap();
    assert!(store.message_thread(f.clinic, other).await.unwrap().is_empty());
    // The table itself refuses an author that is neither side.
    store
        .execute_unchecked(
            "UPDATE messages SET author_role = 'admin' WHERE author_role = 'clinician'",
        )
        .await
        .expect_err("an unknown author is refused");
}

async fn unread_counts_and_the_oldest_unread_follow_what_is_read(store: &Store) {
    let f = fixture(store).await;
    // Patients 0 and 1 are on the first clinician's caseload; 1 and 2 on the second's.
    let [p0, p1, p2] = [f.patients[0], f.patients[1], f.patients[2]];
    let say = async |patient, author_id, author, at| {
        write(store, async |tx| {
            tx.add_message(f.clinic, patient, author_id, author, &text("A message"), at).await
        })
        .await
        .unwrap()
    };
    say(p0, p0, Author::Patient, NOW + Duration::hours(3)).await;
    say(p1, p1, Author::Patient, NOW).await;
    say(p1, p1, Author::Patient, NOW + Duration::hours(1)).await;
    say(p2, f.clinician2, Author::Clinician, NOW).await;

    assert_eq!(store.unread_threads(f.clinic, f.clinician).await.unwrap(), 2);
    assert_eq!(store.unread_threads(f.clinic, f.clinician2).await.unwrap(), 1);
    assert_eq!(store.unread_threads(f.other_clinic, f.clinician).await.unwrap(), 0);
    assert_eq!(store.unread_messages(f.clinic, p1, Author::Patient).await.unwrap(), 2);
    assert_eq!(store.unread_messages(f.clinic, p2, Author::Clinician).await.unwrap(), 1);
    assert_eq!(store.unread_messages(f.clinic, p2, Author::Patient).await.unwrap(), 0);
    assert_eq!(
        store.unread_patient_messages(f.clinic).await.unwrap(),
        [
            UnreadSince { patient_id: p1, since: message_time(NOW) },
            UnreadSince { patient_id: p0, since: message_time(NOW + Duration::hours(3)) },
        ],
        "each patient once, from their oldest unread message, the longest waiting first"
    );

    // The longest waiting thread leads the caseload's list; read threads follow, latest first.
    let threads = store.caseload_threads(f.clinic, f.clinician2).await.unwrap();
    let order: Vec<_> = threads.iter().map(|t| (t.patient_id, t.messages, t.unread)).collect();
    assert_eq!(order, [(p1, 2, 2), (p2, 1, 0)]);
    assert_eq!(threads[0].last_at, message_time(NOW + Duration::hours(1)));

    write(store, async |tx| {
        tx.mark_messages_read(f.clinic, p1, Author::Patient, f.clinician2, NOW + Duration::hours(4))
            .await
    })
    .await
    .unwrap();
    assert_eq!(store.unread_threads(f.clinic, f.clinician).await.unwrap(), 1);
    assert_eq!(
        store.unread_patient_messages(f.clinic).await.unwrap(),
        [UnreadSince { patient_id: p0, since: message_time(NOW + Duration::hours(3)) }]
    );
    let threads = store.caseload_threads(f.clinic, f.clinician).await.unwrap();
    let order: Vec<_> = threads.iter().map(|t| (t.patient_id, t.unread)).collect();
    assert_eq!(order, [(p0, 1), (p1, 0)]);
    // The patient's own reading of a clinician's message is counted on their side only.
    write(store, async |tx| {
        tx.mark_messages_read(f.clinic, p2, Author::Clinician, p2, NOW + Duration::hours(5)).await
    })
    .await
    .unwrap();
    assert_eq!(store.unread_messages(f.clinic, p2, Author::Clinician).await.unwrap(), 0);
    assert!(store.caseload_threads(f.other_clinic, f.clinician).await.unwrap().is_empty());
}
