//! The storage contract: every test here runs against SQLite and against PostgreSQL.

use jiff::tz::TimeZone;
use physio_clinic::alert::{AlertKind, NewAlert};
use physio_clinic::triage::Tier;
use physio_store::{
    AuditOutcome, Backend, EpisodeStatus, Licence, NewAuditEvent, NewResponse, NewSession,
    NewTriage, NewUser, PatientFilter, Role, Store, StoreError, Tx,
};
use time::{Duration, OffsetDateTime, macros::datetime};
use uuid::Uuid;

/// Generates one SQLite and one PostgreSQL test per contract function. The runtime has several
/// worker threads, as the server's does, so concurrent tests really run in parallel.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                let db = physio_store::testing::TestDb::sqlite().await;
                super::$name(&db.store).await;
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                if let Some(db) = physio_store::testing::TestDb::postgres().await {
                    super::$name(&db.store).await;
                }
            })*
        }
    };
}

mod alerts;
mod caseload;
mod contacts;
mod lessons;
mod messages;
mod sso;

contract!(
    migrate_twice_is_harmless,
    users_round_trip_and_email_is_unique,
    clinician_needs_a_licence,
    patients_filter_by_care_team_and_search,
    care_team_changes_are_all_or_nothing,
    sessions_and_tokens,
    deactivation_ends_sessions_and_tokens,
    sign_in_failures_are_held_per_key_and_source,
    refusals_are_counted_per_kind_source_and_window,
    audit_chain_verifies,
    concurrent_audit_appends_keep_one_chain,
    audit_log_refuses_update_and_delete,
    audit_tamper_update_is_caught,
    audit_tamper_delete_is_caught,
    audit_tamper_reorder_is_caught,
    audit_tamper_insert_is_caught,
    audit_tamper_truncated_tail_is_caught,
    episode_lifecycle,
    responses_and_alerts,
    episodes_are_clinic_scoped,
    reassessment_schedule,
    clinic_time_zone_is_set_and_cleared,
    exercise_sessions_keep_every_repetition,
    exercise_references_are_set_replaced_and_cleared,
    programme_versions_append_in_order_and_read_back_typed,
    day_sessions_record_each_exercise_once_and_end_once,
    reminder_plans_round_trip_and_a_change_drops_pending_reminders,
    reminders_are_planned_once_and_claimed_when_due,
    concurrent_claimers_get_disjoint_reminders,
    a_lapsed_claim_is_taken_over_and_the_old_claimer_cannot_finish,
    clinic_exercises_and_templates_stay_in_their_clinic,
    tx_commits_a_write_with_its_audit_record_or_neither,
    tx_reads_its_own_writes_others_see_them_on_commit,
    concurrent_writers_all_commit_and_keep_one_chain,
);

/// Runs one write in a transaction of its own, as a request does: commits it when the write
/// succeeds, drops the `Tx` (rolling back) when it fails, and returns the write's result.
async fn write<T>(
    store: &Store,
    f: impl AsyncFnOnce(&mut Tx) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let mut tx = store.begin().await.unwrap();
    let r = f(&mut tx).await;
    if r.is_ok() {
        tx.commit().await.unwrap();
    }
    r
}

const NOW: OffsetDateTime = datetime!(2026-11-25 09:30:00.123456789 UTC);
const UTC: TimeZone = TimeZone::UTC;

fn new_user(clinic: Uuid, email: &str, role: Role) -> NewUser {
    NewUser {
        clinic_id: clinic,
        email: email.to_owned(),
        name: format!("Name of {email}"),
        role,
        password_hash: "not-a-real-hash".to_owned(),
        licence: (role == Role::Clinician)
            .then(|| Licence { number: "PT-1234".into(), jurisdiction: "Ontario".into() }),
        date_of_birth: None,
        summary: None,
    }
}

struct Fixture {
    clinic: Uuid,
    other_clinic: Uuid,
    clinician: Uuid,
    clinician2: Uuid,
    patients: Vec<Uuid>,
}

/// Two clinics, two clinicians and three patients with care teams, written in one transaction
/// (the care teams are checked against clinicians the transaction has just created).
async fn fixture(store: &Store) -> Fixture {
    let mut tx = store.begin().await.unwrap();
    let clinic = tx.create_clinic("North Clinic", NOW).await.unwrap().id;
    let other_clinic = tx.create_clinic("South Clinic", NOW).await.unwrap().id;
    let clinician =
        tx.create_user(&new_user(clinic, "pt1@north.test", Role::Clinician), NOW).await.unwrap().id;
    let clinician2 =
        tx.create_user(&new_user(clinic, "pt2@north.test", Role::Clinician), NOW).await.unwrap().id;
    let mut patients = vec![];
    for (i, summary) in
        ["Low back pain after lifting", "Thoracic stiffness at desk", "Sciatica, left leg"]
            .iter()
            .enumerate()
    {
        let mut u = new_user(clinic, &format!("patient{i}@north.test"), Role::Patient);
        u.summary = Some((*summary).to_owned());
        u.date_of_birth = Some(time::macros::date!(1960 - 03 - 14));
        patients.push(tx.create_user(&u, NOW).await.unwrap().id);
    }
    tx.set_care_team(clinic, patients[0], &[clinician], NOW).await.unwrap();
    tx.set_care_team(clinic, patients[1], &[clinician, clinician2], NOW).await.unwrap();
    tx.set_care_team(clinic, patients[2], &[clinician2], NOW).await.unwrap();
    tx.commit().await.unwrap();
    Fixture { clinic, other_clinic, clinician, clinician2, patients }
}

async fn migrate_twice_is_harmless(store: &Store) {
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    store.ping().await.unwrap();
}

async fn users_round_trip_and_email_is_unique(store: &Store) {
    let clinic = write(store, async |tx| tx.create_clinic("Clinic", NOW).await).await.unwrap();
    assert_eq!(store.clinic(clinic.id).await.unwrap(), clinic);
    let mut nu = new_user(clinic.id, "  Ana@Example.TEST ", Role::Patient);
    nu.date_of_birth = Some(time::macros::date!(1958 - 07 - 01));
    let created = write(store, async |tx| tx.create_user(&nu, NOW).await).await.unwrap();
    assert_eq!(created.email, "ana@example.test");
    // Timestamps come back exactly as written, on both backends.
    assert_eq!(store.user(created.id).await.unwrap(), created);
    let creds = store.credentials("ANA@example.test").await.unwrap().unwrap();
    assert_eq!(creds.user, created);
    assert_eq!(creds.password_hash, "not-a-real-hash");

    let dup = write(store, async |tx| {
        tx.create_user(&new_user(clinic.id, "ana@example.test", Role::Admin), NOW).await
    })
    .await;
    match dup {
        Err(StoreError::Conflict(what)) => assert!(what.contains("email"), "{what}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(store.users(clinic.id, None).await.unwrap().len(), 1);
    assert!(matches!(store.user(Uuid::now_v7()).await, Err(StoreError::NotFound(_))));
    assert!(matches!(
        write(store, async |tx| tx.create_clinic("Clinic", NOW).await).await,
        Err(StoreError::Conflict(_))
    ));
}

async fn clinician_needs_a_licence(store: &Store) {
    let clinic = write(store, async |tx| tx.create_clinic("Clinic", NOW).await).await.unwrap().id;
    let mut nu = new_user(clinic, "pt@example.test", Role::Clinician);
    nu.licence = None;
    assert!(matches!(
        write(store, async |tx| tx.create_user(&nu, NOW).await).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(store.users(clinic, None).await.unwrap().is_empty());
}

async fn patients_filter_by_care_team_and_search(store: &Store) {
    let f = fixture(store).await;
    let ids = |v: Vec<physio_store::User>| v.into_iter().map(|u| u.id).collect::<Vec<_>>();
    let all = store.patients(f.clinic, &PatientFilter::default()).await.unwrap();
    assert_eq!(ids(all), f.patients);
    let mine = PatientFilter { clinician_id: Some(f.clinician), ..Default::default() };
    assert_eq!(
        ids(store.patients(f.clinic, &mine).await.unwrap()),
        vec![f.patients[0], f.patients[1]]
    );
    let search = PatientFilter {
        clinician_id: Some(f.clinician),
        search: Some("THORACIC".into()),
        ..Default::default()
    };
    assert_eq!(ids(store.patients(f.clinic, &search).await.unwrap()), vec![f.patients[1]]);
    assert!(store.patients(f.other_clinic, &PatientFilter::default()).await.unwrap().is_empty());
    assert!(store.on_care_team(f.clinician, f.patients[0]).await.unwrap());
    assert!(!store.on_care_team(f.clinician, f.patients[2]).await.unwrap());
    // Another clinic cannot see the patient even by id.
    assert!(matches!(
        store.patient(f.other_clinic, f.patients[0]).await,
        Err(StoreError::NotFound(_))
    ));
    // A clinician is not a patient.
    assert!(matches!(store.patient(f.clinic, f.clinician).await, Err(StoreError::NotFound(_))));
    // Inactive patients drop out of lists unless asked for.
    write(store, async |tx| tx.set_user_active(f.clinic, f.patients[0], false, NOW).await)
        .await
        .unwrap();
    assert_eq!(ids(store.patients(f.clinic, &mine).await.unwrap()), vec![f.patients[1]]);
    let with_inactive = PatientFilter { include_inactive: true, ..mine };
    assert_eq!(store.patients(f.clinic, &with_inactive).await.unwrap().len(), 2);
}

async fn care_team_changes_are_all_or_nothing(store: &Store) {
    let f = fixture(store).await;
    let foreign = write(store, async |tx| {
        tx.create_user(&new_user(f.other_clinic, "pt@south.test", Role::Clinician), NOW).await
    })
    .await
    .unwrap()
    .id;
    let before = store.care_teams(f.clinic, Some(f.patients[1])).await.unwrap();
    assert_eq!(before.len(), 2);
    for bad in [vec![], vec![f.clinician, foreign], vec![f.patients[0]], vec![Uuid::now_v7()]] {
        let r = write(store, async |tx| tx.set_care_team(f.clinic, f.patients[1], &bad, NOW).await)
            .await;
        assert!(matches!(r, Err(StoreError::Conflict(_))), "{bad:?}: {r:?}");
        assert_eq!(store.care_teams(f.clinic, Some(f.patients[1])).await.unwrap(), before);
    }
    let after = write(store, async |tx| {
        tx.set_care_team(f.clinic, f.patients[1], &[f.clinician2], NOW).await
    })
    .await
    .unwrap();
    assert_eq!(after.iter().map(|m| m.clinician_id).collect::<Vec<_>>(), vec![f.clinician2]);
    let r = write(store, async |tx| {
        tx.set_care_team(f.other_clinic, f.patients[1], &[foreign], NOW).await
    })
    .await;
    assert!(matches!(r, Err(StoreError::NotFound(_))));
}

async fn sessions_and_tokens(store: &Store) {
    let f = fixture(store).await;
    let new = NewSession {
        token_hash: "h1".into(),
        user_id: f.clinician,
        clinic_id: f.clinic,
        csrf_token: "csrf".into(),
        expires_at: NOW + Duration::hours(12),
    };
    let s = write(store, async |tx| tx.create_session(&new, NOW).await).await.unwrap();
    let got = store.session_by_token_hash("h1").await.unwrap().unwrap();
    assert_eq!((got.id, got.user_id, got.last_seen_at), (s.id, f.clinician, s.last_seen_at));
    write(store, async |tx| tx.touch_session(s.id, NOW + Duration::minutes(5)).await)
        .await
        .unwrap();
    let got = store.session_by_token_hash("h1").await.unwrap().unwrap();
    assert_eq!(got.last_seen_at, physio_store::db_time(NOW + Duration::minutes(5)));
    write(store, async |tx| tx.revoke_session(s.id, NOW).await).await.unwrap();
    assert!(store.session_by_token_hash("h1").await.unwrap().unwrap().revoked_at.is_some());
    assert!(store.session_by_token_hash("nope").await.unwrap().is_none());

    let user = store.user(f.clinician).await.unwrap();
    let t = write(store, async |tx| tx.create_api_token(&user, "export job", "th1", NOW).await)
        .await
        .unwrap();
    let found = store.api_token_by_hash("th1").await.unwrap().unwrap();
    assert_eq!((found.id, found.last_used_at), (t.id, None));
    assert!(store.api_token_by_hash("th2").await.unwrap().is_none());
    let used = NOW + Duration::minutes(1);
    write(store, async |tx| tx.mark_api_token_used(t.id, used).await).await.unwrap();
    assert_eq!(
        store.api_token_by_hash("th1").await.unwrap().unwrap().last_used_at,
        Some(physio_store::db_time(used))
    );
    // Someone else cannot revoke it.
    assert!(matches!(
        write(store, async |tx| tx.revoke_api_token(f.clinician2, t.id, NOW).await).await,
        Err(StoreError::NotFound(_))
    ));
    write(store, async |tx| tx.revoke_api_token(f.clinician, t.id, NOW).await).await.unwrap();
    assert!(store.api_token_by_hash("th1").await.unwrap().is_none());
    assert!(store.api_tokens(f.clinician).await.unwrap()[0].revoked_at.is_some());
}

async fn deactivation_ends_sessions_and_tokens(store: &Store) {
    let f = fixture(store).await;
    let user = store.user(f.clinician).await.unwrap();
    let new = NewSession {
        token_hash: "s".into(),
        user_id: user.id,
        clinic_id: f.clinic,
        csrf_token: "c".into(),
        expires_at: NOW + Duration::hours(1),
    };
    write(store, async |tx| tx.create_session(&new, NOW).await).await.unwrap();
    write(store, async |tx| tx.create_api_token(&user, "t", "t", NOW).await).await.unwrap();
    // Another clinic's admin cannot deactivate them, nor end their sessions and tokens: the
    // refusal leaves nothing in the transaction, even one the caller goes on to commit (with
    // the audit record of the refusal, say).
    let mut tx = store.begin().await.unwrap();
    let r = tx.set_user_active(f.other_clinic, user.id, false, NOW).await;
    assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");
    tx.commit().await.unwrap();
    assert!(store.user(user.id).await.unwrap().active);
    assert!(store.session_by_token_hash("s").await.unwrap().unwrap().revoked_at.is_none());
    assert!(store.api_token_by_hash("t").await.unwrap().is_some());
    let u = write(store, async |tx| tx.set_user_active(f.clinic, user.id, false, NOW).await)
        .await
        .unwrap();
    assert!(!u.active);
    assert!(store.session_by_token_hash("s").await.unwrap().unwrap().revoked_at.is_some());
    assert!(store.api_token_by_hash("t").await.unwrap().is_none());
    assert!(
        write(store, async |tx| tx.set_user_active(f.clinic, user.id, true, NOW).await)
            .await
            .unwrap()
            .active
    );
}

async fn sign_in_failures_are_held_per_key_and_source(store: &Store) {
    let whole = physio_store::whole_seconds(NOW);
    let new = write(store, async |tx| tx.lock_sign_in_failures("k", "192.0.2.1", NOW).await);
    let new = new.await.unwrap();
    assert_eq!((new.failures, new.last_attempt_at), (0, whole));
    let three = physio_store::SignInFailures { failures: 3, last_attempt_at: NOW };
    write(store, async |tx| tx.set_sign_in_failures("k", "192.0.2.1", three).await).await.unwrap();
    let later = NOW + Duration::minutes(1);
    let read = write(store, async |tx| tx.lock_sign_in_failures("k", "192.0.2.1", later).await);
    assert_eq!(
        read.await.unwrap(),
        physio_store::SignInFailures { failures: 3, last_attempt_at: whole }
    );
    // Another source, or another key, is counted apart.
    let other = write(store, async |tx| tx.lock_sign_in_failures("k", "192.0.2.2", later).await);
    assert_eq!(other.await.unwrap().failures, 0);
    write(store, async |tx| tx.clear_sign_in_failures("k", "192.0.2.2").await).await.unwrap();
    // Forgetting by age deletes only the older row.
    let gone =
        write(store, async |tx| tx.forget_sign_in_failures(NOW + Duration::seconds(30)).await);
    assert_eq!(gone.await.unwrap(), 1);
    let read = write(store, async |tx| tx.lock_sign_in_failures("k", "192.0.2.1", later).await);
    assert_eq!(read.await.unwrap().failures, 0);
}

async fn refusals_are_counted_per_kind_source_and_window(store: &Store) {
    let window = datetime!(2026-11-25 09:30 UTC);
    for expected in 1..=3 {
        let n = write(store, async |tx| tx.count_refusal("csrf", "192.0.2.1", window, NOW).await);
        assert_eq!(n.await.unwrap(), expected);
    }
    let n = write(store, async |tx| tx.count_refusal("csrf", "192.0.2.9", window, NOW).await);
    assert_eq!(n.await.unwrap(), 1);
    let next = window + Duration::minutes(5);
    let n = write(store, async |tx| tx.count_refusal("csrf", "192.0.2.1", next, next).await);
    assert_eq!(n.await.unwrap(), 1);
    let counts = store.refusal_counts(window).await.unwrap();
    let summary: Vec<_> =
        counts.iter().map(|r| (r.source.as_str(), r.window_start, r.refusals)).collect();
    assert_eq!(
        summary,
        [("192.0.2.1", window, 3), ("192.0.2.9", window, 1), ("192.0.2.1", next, 1)]
    );
    assert_eq!(counts[0].last_at, physio_store::whole_seconds(NOW));
    assert_eq!(store.refusal_counts(next).await.unwrap().len(), 1);
}

fn event(i: usize, clinic: Option<Uuid>) -> NewAuditEvent {
    NewAuditEvent {
        at: NOW + Duration::seconds(i as i64),
        clinic_id: clinic,
        actor_id: Some(Uuid::now_v7()),
        actor_role: Some(Role::Clinician),
        action: "read".into(),
        resource: "patient".into(),
        patient_id: Some(Uuid::now_v7()),
        outcome: if i.is_multiple_of(3) { AuditOutcome::Denied } else { AuditOutcome::Success },
        request_id: Some(format!("req-{i}")),
    }
}

/// Writes `n` audit records and returns their ids in order.
async fn audit_records(store: &Store, n: usize) -> Vec<Uuid> {
    let mut ids = vec![];
    for i in 0..n {
        ids.push(write(store, async |tx| tx.append_audit(&event(i, None)).await).await.unwrap().id);
    }
    ids
}

async fn audit_chain_verifies(store: &Store) {
    let empty = store.verify_audit().await.unwrap();
    assert_eq!((empty.records, empty.first_break), (0, None));
    let clinic = write(store, async |tx| tx.create_clinic("C", NOW).await).await.unwrap().id;
    for i in 0..7 {
        let e =
            write(store, async |tx| tx.append_audit(&event(i, Some(clinic))).await).await.unwrap();
        assert_eq!(e.seq, i as i64 + 1);
    }
    let v = store.verify_audit().await.unwrap();
    assert_eq!((v.records, v.first_break), (7, None));
    let listed = store.audit_events(clinic, None, 3).await.unwrap();
    assert_eq!(listed.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![7, 6, 5]);
    assert_eq!(listed[0].request_id.as_deref(), Some("req-6"));
}

async fn concurrent_audit_appends_keep_one_chain(store: &Store) {
    let mut tasks = vec![];
    for i in 0..40 {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            write(&s, async |tx| tx.append_audit(&event(i, None)).await).await.unwrap().seq
        }));
    }
    let mut seqs = vec![];
    for t in tasks {
        seqs.push(t.await.unwrap());
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=40).collect::<Vec<i64>>());
    assert_eq!(store.verify_audit().await.unwrap().first_break, None);
}

async fn audit_log_refuses_update_and_delete(store: &Store) {
    audit_records(store, 2).await;
    assert!(store.execute_unchecked("UPDATE audit_log SET outcome = 'success'").await.is_err());
    assert!(store.execute_unchecked("DELETE FROM audit_log").await.is_err());
    assert_eq!(
        store.verify_audit().await.unwrap(),
        physio_store::AuditVerification { records: 2, first_break: None }
    );
}

/// Simulates an attacker with direct database access: remove the append-only guard.
async fn drop_guards(store: &Store) {
    let sql = match store.backend() {
        Backend::Sqlite => "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;",
        Backend::Postgres => "DROP TRIGGER audit_log_no_update ON audit_log;",
    };
    store.execute_unchecked(sql).await.unwrap();
}

async fn first_break(store: &Store) -> (i64, String) {
    let b = store.verify_audit().await.unwrap().first_break.expect("tampering must be detected");
    (b.seq, b.problem)
}

async fn audit_tamper_update_is_caught(store: &Store) {
    audit_records(store, 5).await;
    drop_guards(store).await;
    store.execute_unchecked("UPDATE audit_log SET action = 'export' WHERE seq = 3").await.unwrap();
    let (seq, problem) = first_break(store).await;
    assert_eq!(seq, 3);
    assert!(problem.contains("contents"), "{problem}");
}

async fn audit_tamper_delete_is_caught(store: &Store) {
    audit_records(store, 5).await;
    drop_guards(store).await;
    store.execute_unchecked("DELETE FROM audit_log WHERE seq = 3").await.unwrap();
    let (seq, problem) = first_break(store).await;
    assert_eq!(seq, 4);
    assert!(problem.contains("expected record 3"), "{problem}");
}

async fn audit_tamper_reorder_is_caught(store: &Store) {
    audit_records(store, 5).await;
    drop_guards(store).await;
    store
        .execute_unchecked(
            "UPDATE audit_log SET seq = -2 WHERE seq = 2;
             UPDATE audit_log SET seq = 2 WHERE seq = 3;
             UPDATE audit_log SET seq = 3 WHERE seq = -2;",
        )
        .await
        .unwrap();
    let (seq, problem) = first_break(store).await;
    assert_eq!(seq, 2);
    assert!(problem.contains("previous-hash"), "{problem}");
}

async fn audit_tamper_insert_is_caught(store: &Store) {
    let ids = audit_records(store, 5).await;
    drop_guards(store).await;
    // Make room after record 3 and forge a record that links correctly to it.
    store
        .execute_unchecked(
            "UPDATE audit_log SET seq = seq + 100 WHERE seq > 3;
             UPDATE audit_log SET seq = seq - 99 WHERE seq > 100;",
        )
        .await
        .unwrap();
    let third = store.audit_events_all_for_test().await.into_iter().find(|e| e.seq == 3).unwrap();
    let mut forged = third.clone();
    forged.seq = 4;
    forged.id = Uuid::now_v7();
    forged.action = "export".into();
    forged.prev_hash = third.hash.clone();
    forged.hash = forged.expected_hash(&forged.prev_hash);
    store.insert_audit_row_for_test(&forged).await;
    let (seq, problem) = first_break(store).await;
    // The forged record chains; the genuine record after it no longer does.
    assert_eq!(seq, 5);
    assert!(problem.contains("previous-hash") || problem.contains("contents"), "{problem}");
    assert_ne!(ids[3], forged.id);
}

async fn audit_tamper_truncated_tail_is_caught(store: &Store) {
    audit_records(store, 5).await;
    drop_guards(store).await;
    store.execute_unchecked("DELETE FROM audit_log WHERE seq >= 4").await.unwrap();
    let (seq, problem) = first_break(store).await;
    assert_eq!(seq, 4);
    assert!(problem.contains("head says 5"), "{problem}");
}

/// Test-only access to raw audit rows, kept here rather than in the public API.
trait AuditTestExt {
    async fn audit_events_all_for_test(&self) -> Vec<physio_store::AuditEvent>;
    async fn insert_audit_row_for_test(&self, e: &physio_store::AuditEvent);
}

impl AuditTestExt for Store {
    async fn audit_events_all_for_test(&self) -> Vec<physio_store::AuditEvent> {
        self.audit_range(1, 1000).await.unwrap()
    }
    async fn insert_audit_row_for_test(&self, e: &physio_store::AuditEvent) {
        let uuid = |u: Uuid| match self.backend() {
            Backend::Sqlite => format!("X'{}'", u.simple()),
            Backend::Postgres => format!("'{u}'"),
        };
        let at = match self.backend() {
            Backend::Sqlite => {
                let f = time::macros::format_description!(
                    "[year]-[month]-[day] [hour]:[minute]:[second].[subsecond digits:6]+00:00"
                );
                format!("'{}'", e.at.format(&f).unwrap())
            }
            Backend::Postgres => {
                format!(
                    "'{}'",
                    e.at.format(&time::format_description::well_known::Rfc3339).unwrap()
                )
            }
        };
        let opt = |u: Option<Uuid>| u.map(uuid).unwrap_or_else(|| "NULL".into());
        let sql = format!(
            "INSERT INTO audit_log (seq, id, at, clinic_id, actor_id, actor_role, action, resource,
                patient_id, outcome, request_id, prev_hash, hash)
             VALUES ({}, {}, {}, {}, {}, '{}', '{}', '{}', {}, '{}', '{}', '{}', '{}')",
            e.seq,
            uuid(e.id),
            at,
            opt(e.clinic_id),
            opt(e.actor_id),
            e.actor_role.as_deref().unwrap_or(""),
            e.action,
            e.resource,
            opt(e.patient_id),
            e.outcome,
            e.request_id.as_deref().unwrap_or(""),
            e.prev_hash,
            e.hash
        );
        self.execute_unchecked(&sql).await.unwrap();
    }
}

fn triage(f: &Fixture, episode: Uuid, tier: Tier, needs_review: bool) -> NewTriage {
    NewTriage {
        clinic_id: f.clinic,
        episode_id: episode,
        trigger: "intake".into(),
        tier,
        decision: serde_json::from_value(serde_json::json!({
            "tier": tier.as_str(),
            "action": "what to do",
            "clinician_action": "what the clinician does",
            "reasons": [{"rule": "r1", "tier": tier.as_str(), "reason": "because",
                "clinician_note": "note", "because": []}],
        }))
        .unwrap(),
        proposed_pathway: Some("conservative_lumbar".into()),
        needs_review,
    }
}

async fn episode_lifecycle(store: &Store) {
    let f = fixture(store).await;
    let p = f.patients[0];
    let ep = write(store, async |tx| tx.open_episode(f.clinic, p, NOW).await).await.unwrap();
    assert_eq!(ep.status, EpisodeStatus::Intake);
    assert!(matches!(
        write(store, async |tx| tx.open_episode(f.clinic, p, NOW).await).await,
        Err(StoreError::Conflict(_))
    ));
    // Save and resume.
    let draft = serde_json::json!({"region": ["thoracic"]});
    write(store, async |tx| tx.save_intake(f.clinic, ep.id, &draft, "history", NOW).await)
        .await
        .unwrap();
    let more = serde_json::json!({"region": ["thoracic"], "pain_now": 6});
    let saved = write(store, async |tx| {
        tx.save_intake(f.clinic, ep.id, &more, "red_flags", NOW + Duration::minutes(3)).await
    })
    .await
    .unwrap();
    assert_eq!(
        (saved.answers.clone(), saved.step.as_str(), saved.submitted_at),
        (more.clone(), "red_flags", None)
    );
    // Submitting a non-exercise decision sends the episode to review.
    let t = write(store, async |tx| {
        tx.submit_intake(&more, &triage(&f, ep.id, Tier::Specialist, true), NOW).await
    })
    .await
    .unwrap();
    assert_eq!((t.tier, t.review.is_none()), (Tier::Specialist, true));
    let ep2 = store.episode(f.clinic, ep.id).await.unwrap();
    assert_eq!((ep2.status, ep2.pathway), (EpisodeStatus::AwaitingReview, None));
    assert!(store.intake(f.clinic, ep.id).await.unwrap().unwrap().submitted_at.is_some());
    assert!(matches!(
        write(store, async |tx| tx.save_intake(f.clinic, ep.id, &draft, "x", NOW).await).await,
        Err(StoreError::Conflict(_))
    ));
    let again = write(store, async |tx| {
        tx.submit_intake(&more, &triage(&f, ep.id, Tier::Exercise, false), NOW).await
    })
    .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))));
    assert_eq!(store.triage_history(f.clinic, ep.id).await.unwrap().len(), 1);
    // The clinician overrides to exercise care on a pathway.
    let reviewed = write(store, async |tx| {
        tx.review_triage(
            f.clinic,
            t.id,
            f.clinician,
            Tier::Exercise,
            Some("imaging reviewed"),
            Some("conservative_thoracic"),
            NOW,
        )
        .await
    })
    .await
    .unwrap();
    let review = reviewed.review.unwrap();
    assert_eq!((review.by, review.final_tier), (f.clinician, Tier::Exercise));
    let again = write(store, async |tx| {
        tx.review_triage(f.clinic, t.id, f.clinician, Tier::Urgent, None, None, NOW).await
    })
    .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))));
    let ep3 = store.episode(f.clinic, ep.id).await.unwrap();
    assert_eq!(
        (ep3.status, ep3.pathway.as_deref()),
        (EpisodeStatus::Active, Some("conservative_thoracic"))
    );
    // Surgery facts and a phase override.
    let surgery = time::macros::date!(2026 - 10 - 01);
    let ep4 = write(store, async |tx| {
        tx.set_pathway(f.clinic, ep.id, "post_op_fusion", Some(surgery), Some(4.5)).await
    })
    .await
    .unwrap();
    assert_eq!((ep4.surgery_date, ep4.lifting_limit_kg), (Some(surgery), Some(4.5)));
    let ep5 = write(store, async |tx| {
        tx.override_phase(f.clinic, ep.id, Some(("early", "wound not healed")), f.clinician, NOW)
            .await
    })
    .await
    .unwrap();
    assert_eq!(ep5.phase_override.unwrap().reason, "wound not healed");
    assert!(
        write(store, async |tx| tx.override_phase(f.clinic, ep.id, None, f.clinician, NOW).await)
            .await
            .unwrap()
            .phase_override
            .is_none()
    );
    let ms = vec!["wound_healed".to_owned(), "walks_30_minutes".to_owned()];
    assert_eq!(
        write(store, async |tx| tx.set_milestones(f.clinic, ep.id, &ms).await)
            .await
            .unwrap()
            .milestones,
        ms
    );
    let foreign =
        write(store, async |tx| tx.set_milestones(f.other_clinic, ep.id, &ms).await).await;
    assert!(matches!(foreign, Err(StoreError::NotFound(_))));
    // A weekly re-triage that needs review puts the episode back in review.
    let mut weekly = triage(&f, ep.id, Tier::Urgent, true);
    weekly.trigger = "pain_rise".into();
    write(store, async |tx| tx.record_triage(&weekly, NOW + Duration::days(7)).await)
        .await
        .unwrap();
    assert_eq!(store.episode(f.clinic, ep.id).await.unwrap().status, EpisodeStatus::AwaitingReview);
    let history = store.triage_history(f.clinic, ep.id).await.unwrap();
    assert_eq!(
        history.iter().map(|t| t.trigger.as_str()).collect::<Vec<_>>(),
        vec!["pain_rise", "intake"]
    );
    // Discharge closes it; a new episode may then open.
    let done = write(store, async |tx| {
        tx.discharge(f.clinic, ep.id, "goals met", NOW + Duration::days(60)).await
    })
    .await
    .unwrap();
    assert_eq!(
        (done.status, done.discharge_reason.as_deref()),
        (EpisodeStatus::Discharged, Some("goals met"))
    );
    assert!(store.open_episode_of(f.clinic, p).await.unwrap().is_none());
    write(store, async |tx| tx.open_episode(f.clinic, p, NOW + Duration::days(90)).await)
        .await
        .unwrap();
    assert_eq!(store.episodes(f.clinic, p).await.unwrap().len(), 2);
    assert_eq!(store.open_episodes(f.clinic).await.unwrap().len(), 1);
}

async fn responses_and_alerts(store: &Store) {
    let f = fixture(store).await;
    let p = f.patients[1];
    let ep = write(store, async |tx| tx.open_episode(f.clinic, p, NOW).await).await.unwrap();
    let resp = |instrument: &str, timepoint: &str, score: f64| NewResponse {
        clinic_id: f.clinic,
        episode_id: ep.id,
        instrument: instrument.into(),
        timepoint: timepoint.into(),
        answers: serde_json::json!({"answers": [1, 2, 3]}),
        result: serde_json::json!({"score": score}),
        score,
    };
    write(store, async |tx| tx.add_response(&resp("odi", "baseline", 42.0), &[], &UTC, NOW).await)
        .await
        .unwrap();
    let alert = vec![NewAlert::new(AlertKind::Phq9Item9, "Answered item 9 above zero")];
    write(store, async |tx| {
        tx.add_response(&resp("phq9", "baseline", 14.0), &alert, &UTC, NOW).await
    })
    .await
    .unwrap();
    write(store, async |tx| {
        tx.add_response(&resp("odi", "week_4", 30.0), &[], &UTC, NOW + Duration::weeks(4)).await
    })
    .await
    .unwrap();
    let odi = store.responses(f.clinic, p, Some("odi")).await.unwrap();
    assert_eq!(
        odi.iter().map(|r| (r.timepoint.as_str(), r.score)).collect::<Vec<_>>(),
        vec![("baseline", 42.0), ("week_4", 30.0)]
    );
    assert_eq!(odi[0].answers, serde_json::json!({"answers": [1, 2, 3]}));
    assert_eq!(store.responses(f.clinic, p, None).await.unwrap().len(), 3);
    // A non-finite score is refused and writes nothing, alerts included.
    let bad = write(store, async |tx| {
        tx.add_response(&resp("phq9", "week_4", f64::NAN), &alert, &UTC, NOW).await
    })
    .await;
    assert!(matches!(bad, Err(StoreError::Conflict(_))));
    let open = store.alerts(f.clinic, Some(p), false).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].kind, AlertKind::Phq9Item9);
    let (id, clinic, by) = (open[0].id, f.clinic, f.clinician);
    let close = |note: &'static str| {
        write(store, async move |tx| tx.close_alert(clinic, id, Some(by), note, NOW).await)
    };
    close("Phoned the patient").await.unwrap();
    assert!(store.alerts(f.clinic, Some(p), false).await.unwrap().is_empty());
    assert_eq!(store.alerts(f.clinic, None, true).await.unwrap()[0].closed_by, Some(f.clinician));
    let twice = close("Again").await;
    assert!(matches!(twice, Err(StoreError::NotFound(_))));
}

async fn episodes_are_clinic_scoped(store: &Store) {
    let f = fixture(store).await;
    let ep =
        write(store, async |tx| tx.open_episode(f.clinic, f.patients[0], NOW).await).await.unwrap();
    assert!(matches!(store.episode(f.other_clinic, ep.id).await, Err(StoreError::NotFound(_))));
    assert!(matches!(
        write(store, async |tx| tx.open_episode(f.other_clinic, f.patients[0], NOW).await).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(store.episodes(f.other_clinic, f.patients[0]).await.unwrap().is_empty());
    let r = write(store, async |tx| {
        tx.save_intake(f.other_clinic, ep.id, &serde_json::json!({}), "x", NOW).await
    })
    .await;
    assert!(matches!(r, Err(StoreError::NotFound(_))));
    assert!(matches!(
        write(store, async |tx| tx.discharge(f.other_clinic, ep.id, "goals met", NOW).await).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn reassessment_schedule(store: &Store) {
    let f = fixture(store).await;
    assert_eq!(store.reassessment_weeks(f.clinic).await.unwrap(), vec![0, 4, 8]);
    write(store, async |tx| tx.set_reassessment_weeks(f.clinic, &[12, 0, 6, 6]).await)
        .await
        .unwrap();
    assert_eq!(store.reassessment_weeks(f.clinic).await.unwrap(), vec![0, 6, 12]);
    assert!(matches!(
        write(store, async |tx| tx.set_reassessment_weeks(f.clinic, &[4, 8]).await).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.reassessment_weeks(f.other_clinic).await.unwrap(), vec![0, 4, 8]);
}

async fn clinic_time_zone_is_set_and_cleared(store: &Store) {
    let f = fixture(store).await;
    // A new clinic has none: the server's default applies.
    assert_eq!(store.clinic_time_zone(f.clinic).await.unwrap(), None);
    write(store, async |tx| tx.set_clinic_time_zone(f.clinic, Some("Europe/London")).await)
        .await
        .unwrap();
    assert_eq!(store.clinic_time_zone(f.clinic).await.unwrap().as_deref(), Some("Europe/London"));
    // Only that clinic's.
    assert_eq!(store.clinic_time_zone(f.other_clinic).await.unwrap(), None);
    // A transaction reads its own change; a rolled-back one leaves the stored zone alone.
    let mut tx = store.begin().await.unwrap();
    tx.set_clinic_time_zone(f.clinic, Some("America/Chicago")).await.unwrap();
    assert_eq!(tx.clinic_time_zone(f.clinic).await.unwrap().as_deref(), Some("America/Chicago"));
    tx.rollback().await.unwrap();
    assert_eq!(store.clinic_time_zone(f.clinic).await.unwrap().as_deref(), Some("Europe/London"));
    write(store, async |tx| tx.set_clinic_time_zone(f.clinic, None).await).await.unwrap();
    assert_eq!(store.clinic_time_zone(f.clinic).await.unwrap(), None);
    let nowhere = Uuid::now_v7();
    assert!(matches!(store.clinic_time_zone(nowhere).await, Err(StoreError::NotFound(_))));
    assert!(matches!(
        write(store, async |tx| tx.set_clinic_time_zone(nowhere, Some("UTC")).await).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn exercise_sessions_keep_every_repetition(store: &Store) {
    let f = fixture(store).await;
    let p = f.patients[0];
    let s = write(store, async |tx| {
        tx.create_exercise_session(f.clinic, p, "shoulder-abduction", NOW).await
    })
    .await
    .unwrap();
    assert_eq!((s.rep_count, s.reps.clone(), s.ended_at), (0, serde_json::json!([]), None));
    let reps = serde_json::json!([{"index": 1, "rom_deg": 120.5, "correct": true, "errors": []}]);
    write(store, async |tx| {
        tx.save_exercise_progress(f.clinic, s.id, &reps, 1, 1, NOW + Duration::seconds(3)).await
    })
    .await
    .unwrap();
    let got = store.exercise_session(f.clinic, s.id).await.unwrap();
    assert_eq!((got.rep_count, got.correct_count, got.reps), (1, 1, reps));
    write(store, async |tx| {
        tx.end_exercise_session(
            f.clinic,
            s.id,
            &serde_json::json!({"rep_count": 1}),
            NOW + Duration::seconds(9),
        )
        .await
    })
    .await
    .unwrap();
    // Ended sessions are frozen.
    let again = write(store, async |tx| {
        tx.save_exercise_progress(f.clinic, s.id, &serde_json::json!([]), 0, 0, NOW).await
    })
    .await;
    assert!(matches!(again, Err(StoreError::NotFound(_))));
    assert!(matches!(
        store.exercise_session(f.other_clinic, s.id).await,
        Err(StoreError::NotFound(_))
    ));
    let later = write(store, async |tx| {
        tx.create_exercise_session(f.clinic, p, "deep-squat", NOW + Duration::hours(1)).await
    })
    .await
    .unwrap();
    let list = store.exercise_sessions(f.clinic, p, 10).await.unwrap();
    assert_eq!(list.iter().map(|s| s.id).collect::<Vec<_>>(), vec![later.id, s.id]);
    assert!(list[1].ended_at.is_some());
    let foreign = write(store, async |tx| {
        tx.create_exercise_session(f.other_clinic, p, "deep-squat", NOW).await
    })
    .await;
    assert!(matches!(foreign, Err(StoreError::NotFound(_))));
}

async fn exercise_references_are_set_replaced_and_cleared(store: &Store) {
    let f = fixture(store).await;
    let p = f.patients[0];
    let s = write(store, async |tx| {
        tx.create_exercise_session(f.clinic, p, "shoulder-abduction", NOW).await
    })
    .await
    .unwrap();
    let baselines = serde_json::json!({"checks": [1.5, null, 12.0], "bands": [[30.0, 4.5]]});
    let set = async |range, baselines: Option<&serde_json::Value>, session, at| {
        write(store, async |tx| {
            tx.set_exercise_reference(
                f.clinic,
                p,
                "shoulder-abduction",
                range,
                baselines,
                session,
                f.clinician,
                at,
            )
            .await
        })
        .await
    };
    let r = set((10.5, 148.25), Some(&baselines), Some(s.id), NOW).await.unwrap();
    assert_eq!((r.rest, r.peak, r.session_id, r.set_by), (10.5, 148.25, Some(s.id), f.clinician));
    assert_eq!(r.baselines.as_ref(), Some(&baselines));
    // Setting again replaces: one reference per patient and exercise.
    let later = NOW + Duration::days(7);
    let r = set((12.0, 120.0), None, None, later).await.unwrap();
    assert_eq!(
        (r.rest, r.peak, r.baselines, r.session_id, r.set_at),
        (12.0, 120.0, None, None, physio_store::db_time(later))
    );
    write(store, async |tx| {
        tx.set_exercise_reference(
            f.clinic,
            p,
            "deep-squat",
            (0.0, 95.0),
            None,
            None,
            f.clinician,
            NOW,
        )
        .await
    })
    .await
    .unwrap();
    let list = store.exercise_references(f.clinic, p).await.unwrap();
    let ids: Vec<&str> = list.iter().map(|r| r.exercise.as_str()).collect();
    assert_eq!(ids, ["deep-squat", "shoulder-abduction"]);
    // Other clinics see nothing and cannot write.
    assert!(store.exercise_references(f.other_clinic, p).await.unwrap().is_empty());
    let foreign = write(store, async |tx| {
        tx.set_exercise_reference(
            f.other_clinic,
            p,
            "deep-squat",
            (0.0, 1.0),
            None,
            None,
            f.clinician,
            NOW,
        )
        .await
    })
    .await;
    assert!(matches!(foreign, Err(StoreError::NotFound(_))));
    assert!(
        !write(store, async |tx| tx
            .clear_exercise_reference(f.other_clinic, p, "deep-squat")
            .await)
        .await
        .unwrap()
    );
    assert!(
        write(store, async |tx| tx.clear_exercise_reference(f.clinic, p, "deep-squat").await)
            .await
            .unwrap()
    );
    assert!(
        !write(store, async |tx| tx.clear_exercise_reference(f.clinic, p, "deep-squat").await)
            .await
            .unwrap()
    );
    assert_eq!(store.exercise_references(f.clinic, p).await.unwrap().len(), 1);
}

/// The audit record that describes a change is appended on the change's own transaction: both
/// are kept on commit, and neither when the `Tx` is dropped, whether deliberately or because a
/// later write failed. The chain stays whole either way.
async fn tx_commits_a_write_with_its_audit_record_or_neither(store: &Store) {
    let clinic = write(store, async |tx| tx.create_clinic("Clinic", NOW).await).await.unwrap().id;
    audit_records(store, 2).await;
    let nu = new_user(clinic, "ana@example.test", Role::Patient);
    let created = |u: &physio_store::User| NewAuditEvent {
        clinic_id: Some(clinic),
        action: "create".into(),
        resource: "user".into(),
        patient_id: Some(u.id),
        outcome: AuditOutcome::Success,
        ..event(0, Some(clinic))
    };

    // Dropped without commit: neither the user nor the record exists.
    let mut tx = store.begin().await.unwrap();
    let u = tx.create_user(&nu, NOW).await.unwrap();
    let e = tx.append_audit(&created(&u)).await.unwrap();
    assert_eq!(e.seq, 3);
    drop(tx);
    assert!(matches!(store.user(u.id).await, Err(StoreError::NotFound(_))));
    assert!(store.credentials("ana@example.test").await.unwrap().is_none());
    assert!(store.audit_events(clinic, Some(u.id), 10).await.unwrap().is_empty());
    assert_eq!(
        store.verify_audit().await.unwrap(),
        physio_store::AuditVerification { records: 2, first_break: None }
    );

    // A write that fails after the record was appended: dropping the Tx discards the record too.
    write(store, async |tx| {
        tx.create_user(&new_user(clinic, "ben@example.test", Role::Admin), NOW).await
    })
    .await
    .unwrap();
    let mut tx = store.begin().await.unwrap();
    let e = tx.append_audit(&created(&u)).await.unwrap();
    assert_eq!(e.seq, 3);
    let dup = tx.create_user(&new_user(clinic, "ben@example.test", Role::Admin), NOW).await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
    drop(tx);
    assert_eq!(
        store.verify_audit().await.unwrap(),
        physio_store::AuditVerification { records: 2, first_break: None }
    );

    // Committed: both, and the record takes the sequence number the dropped ones had used.
    let mut tx = store.begin().await.unwrap();
    let u = tx.create_user(&nu, NOW).await.unwrap();
    let e = tx.append_audit(&created(&u)).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(store.user(u.id).await.unwrap(), u);
    assert_eq!(store.audit_events(clinic, Some(u.id), 10).await.unwrap(), vec![e.clone()]);
    assert_eq!(e.seq, 3);
    assert_eq!(
        store.verify_audit().await.unwrap(),
        physio_store::AuditVerification { records: 3, first_break: None }
    );
}

/// A transaction reads what it has written so far; nobody else does until it commits.
async fn tx_reads_its_own_writes_others_see_them_on_commit(store: &Store) {
    let f = fixture(store).await;
    let p = f.patients[0];
    audit_records(store, 1).await;
    let mut tx = store.begin().await.unwrap();
    let ep = tx.open_episode(f.clinic, p, NOW).await.unwrap();
    let draft = serde_json::json!({"region": ["lumbar"]});
    tx.save_intake(f.clinic, ep.id, &draft, "history", NOW).await.unwrap();
    let e = tx.append_audit(&event(1, Some(f.clinic))).await.unwrap();

    // Inside: every write is there.
    assert_eq!(tx.episode(f.clinic, ep.id).await.unwrap(), ep);
    assert_eq!(tx.open_episode_of(f.clinic, p).await.unwrap(), Some(ep.clone()));
    assert_eq!(tx.intake(f.clinic, ep.id).await.unwrap().unwrap().answers, draft);
    assert_eq!(
        tx.verify_audit().await.unwrap(),
        physio_store::AuditVerification { records: 2, first_break: None }
    );

    // Outside: nothing yet, and reading does not wait for the writer.
    assert!(matches!(store.episode(f.clinic, ep.id).await, Err(StoreError::NotFound(_))));
    assert!(store.open_episode_of(f.clinic, p).await.unwrap().is_none());
    assert!(store.intake(f.clinic, ep.id).await.unwrap().is_none());
    assert!(store.audit_events(f.clinic, None, 10).await.unwrap().is_empty());
    assert_eq!(
        store.verify_audit().await.unwrap(),
        physio_store::AuditVerification { records: 1, first_break: None }
    );

    tx.commit().await.unwrap();
    assert_eq!(store.episode(f.clinic, ep.id).await.unwrap(), ep);
    assert_eq!(store.intake(f.clinic, ep.id).await.unwrap().unwrap().answers, draft);
    assert_eq!(store.audit_events(f.clinic, None, 10).await.unwrap(), vec![e]);
    assert_eq!(
        store.verify_audit().await.unwrap(),
        physio_store::AuditVerification { records: 2, first_break: None }
    );
}

/// Many writers at once, each writing a change and its audit record in one transaction: every
/// one commits (on SQLite none fails with "database is locked"), and the chain holds exactly
/// their records, each next to the change it describes. Some writers give up (drop their `Tx`)
/// along the way; that leaves no trace and does not hold up the others.
async fn concurrent_writers_all_commit_and_keep_one_chain(store: &Store) {
    const TASKS: usize = 8;
    const ROUNDS: usize = 20;
    let clinic =
        write(store, async |tx| tx.create_clinic("Busy Clinic", NOW).await).await.unwrap().id;
    let mut tasks = vec![];
    for t in 0..TASKS {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut done = vec![];
            let mut errors = vec![];
            for r in 0..ROUNDS {
                if r % 4 == 1 {
                    let abandoned = async {
                        let mut tx = s.begin().await?;
                        let nu = new_user(clinic, &format!("gone{t}-{r}@busy.test"), Role::Patient);
                        let u = tx.create_user(&nu, NOW).await?;
                        let e = NewAuditEvent { patient_id: Some(u.id), ..event(r, Some(clinic)) };
                        tx.append_audit(&e).await?;
                        drop(tx);
                        Ok::<_, StoreError>(())
                    };
                    if let Err(e) = abandoned.await {
                        errors.push(format!("task {t} round {r} (abandoned): {e}"));
                    }
                }
                let attempt = async {
                    let mut tx = s.begin().await?;
                    let nu = new_user(clinic, &format!("p{t}-{r}@busy.test"), Role::Patient);
                    let u = tx.create_user(&nu, NOW).await?;
                    let e = NewAuditEvent {
                        action: "create".into(),
                        resource: "user".into(),
                        patient_id: Some(u.id),
                        ..event(t * ROUNDS + r, Some(clinic))
                    };
                    let e = tx.append_audit(&e).await?;
                    tx.commit().await?;
                    // Readers run alongside the writers and see each commit at once.
                    assert_eq!(s.user(u.id).await?, u);
                    Ok::<_, StoreError>((u.id, e))
                };
                match attempt.await {
                    Ok(x) => done.push(x),
                    Err(e) => errors.push(format!("task {t} round {r}: {e}")),
                }
            }
            (done, errors)
        }));
    }
    let (mut done, mut errors) = (vec![], vec![]);
    for t in tasks {
        let (d, e) = t.await.unwrap();
        done.extend(d);
        errors.extend(e);
    }
    assert!(errors.is_empty(), "{} of {} writes failed: {errors:#?}", errors.len(), TASKS * ROUNDS);
    let n = TASKS * ROUNDS;
    let mut seqs: Vec<i64> = done.iter().map(|(_, e)| e.seq).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=n as i64).collect::<Vec<_>>());
    assert_eq!(
        store.verify_audit().await.unwrap(),
        physio_store::AuditVerification { records: n as u64, first_break: None }
    );
    // Only the committed users exist; the abandoned ones left nothing.
    let users = store.users(clinic, Some(Role::Patient)).await.unwrap();
    assert_eq!(users.len(), n);
    assert!(users.iter().all(|u| u.email.starts_with('p')));
    // Each stored record is the one its writer got back, about the user it created.
    let stored = store.audit_range(1, n as i64 + 1).await.unwrap();
    for (user, e) in &done {
        let s = &stored[e.seq as usize - 1];
        assert_eq!((s, s.patient_id), (e, Some(*user)));
    }
}

fn programme_item(exercise: &str, reps: u16) -> physio_clinic::programme::Item {
    serde_json::from_value(serde_json::json!({
        "exercise": exercise,
        "dose": {"sets": 2, "reps": reps, "rest_s": 30, "side": "both",
                 "days": ["monday", "thursday"], "times_per_day": 1},
        "start": "2026-11-25",
        "override": {"reason": "Surgeon agreed", "precautions": ["no_flexion"]}
    }))
    .unwrap()
}

async fn programme_versions_append_in_order_and_read_back_typed(store: &Store) {
    use physio_store::NewProgrammeVersion;
    let f = fixture(store).await;
    let p = f.patients[0];
    assert_eq!(store.programme(f.clinic, p).await.unwrap(), None);
    let add = async |version, items: Vec<physio_clinic::programme::Item>, at| {
        let changes = physio_clinic::programme::diff(&[], &items);
        write(store, async |tx| {
            tx.add_programme_version(
                f.clinic,
                p,
                NewProgrammeVersion {
                    version,
                    items: &items,
                    changes: &changes,
                    reason: "Started",
                    template: Some("post-op-fusion-early"),
                    created_by: f.clinician,
                    now: at,
                },
            )
            .await
        })
        .await
    };
    let v1 = add(1, vec![programme_item("ankle-pumps", 10)], NOW).await.unwrap();
    assert_eq!(v1.version, 1);
    assert_eq!(v1.items, vec![programme_item("ankle-pumps", 10)]);
    assert_eq!(v1.template.as_deref(), Some("post-op-fusion-early"));
    assert_eq!(v1.created_at, physio_store::db_time(NOW));
    // A version that skips or repeats a number is refused and writes nothing: two clinicians
    // saving at once cannot both become version 2.
    assert!(matches!(add(1, vec![], NOW).await, Err(StoreError::Conflict(_))));
    assert!(matches!(add(3, vec![], NOW).await, Err(StoreError::Conflict(_))));
    let later = NOW + Duration::days(7);
    let v2 = add(2, vec![programme_item("ankle-pumps", 12), programme_item("bridge", 8)], later)
        .await
        .unwrap();
    assert_eq!(store.programme(f.clinic, p).await.unwrap(), Some(v2.clone()));
    let all = store.programme_versions(f.clinic, p).await.unwrap();
    assert_eq!(all.iter().map(|v| v.version).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(all[1], v1);
    // Another clinic reads nothing, and cannot write to this patient.
    assert_eq!(store.programme(f.other_clinic, p).await.unwrap(), None);
    let foreign = write(store, async |tx| {
        tx.add_programme_version(
            f.other_clinic,
            p,
            NewProgrammeVersion {
                version: 1,
                items: &[],
                changes: &[],
                reason: "x",
                template: None,
                created_by: f.clinician,
                now: NOW,
            },
        )
        .await
    })
    .await;
    assert!(matches!(foreign, Err(StoreError::NotFound(_))));
}

async fn clinic_exercises_and_templates_stay_in_their_clinic(store: &Store) {
    let f = fixture(store).await;
    let mut exercise: physio_clinic::exercise::Exercise = serde_json::from_value(serde_json::json!({
        "id": "clinic-stretch",
        "name": "Clinic stretch",
        "summary": "Loosens the hips.",
        "purpose": "mobility",
        "region": "legs",
        "position": "standing",
        "instructions": {"start": "Stand tall.", "steps": ["Step forward."], "cues": ["Breathe."],
                          "mistakes": ["Rushing."], "feel": "A gentle stretch.",
                          "stop_if": "It hurts."},
        "dose": {"sets": 1, "hold_s": 30, "rest_s": 0, "side": "alternating",
                 "days": ["monday"], "times_per_day": 1},
        "figure": {"view": "side", "start": {"base": "standing"}, "end": {"base": "standing"}}
    }))
    .unwrap();
    write(store, async |tx| {
        tx.put_clinic_exercises(f.clinic, std::slice::from_ref(&exercise), Some(f.clinician), NOW)
            .await
    })
    .await
    .unwrap();
    assert_eq!(store.clinic_exercises(f.clinic).await.unwrap(), vec![exercise.clone()]);
    assert!(store.clinic_exercises(f.other_clinic).await.unwrap().is_empty());
    // Importing again updates in place.
    exercise.name = "Clinic hip stretch".to_owned();
    write(store, async |tx| {
        tx.put_clinic_exercises(f.clinic, std::slice::from_ref(&exercise), Some(f.clinician), NOW)
            .await
    })
    .await
    .unwrap();
    assert_eq!(store.clinic_exercises(f.clinic).await.unwrap(), vec![exercise]);

    let template: physio_clinic::programme::Template = serde_json::from_value(serde_json::json!({
        "id": "0190d1a4-0000-7000-8000-000000000001",
        "name": "Our lumbar start",
        "description": "",
        "pathway": "conservative_lumbar",
        "phase": "active_care",
        "items": [{"exercise": "clinic-stretch"}]
    }))
    .unwrap();
    let id = Uuid::now_v7();
    let saved = write(store, async |tx| {
        tx.add_clinic_template(f.clinic, id, &template, f.clinician, NOW).await
    })
    .await
    .unwrap();
    assert_eq!(store.clinic_templates(f.clinic).await.unwrap(), vec![saved]);
    assert!(store.clinic_templates(f.other_clinic).await.unwrap().is_empty());
}

async fn day_sessions_record_each_exercise_once_and_end_once(store: &Store) {
    use physio_clinic::day::{Closing, ExerciseLog, Outcome, SessionStop, SkipReason, StopReason};
    use physio_store::NewDaySession;
    let f = fixture(store).await;
    let p = f.patients[0];
    let due = vec![programme_item("bridge", 10), programme_item("bird-dog", 8)];
    let day = time::macros::date!(2026 - 11 - 26);
    let new = |number, stopped| NewDaySession {
        day,
        number,
        programme_version: 3,
        due: &due,
        pain_before: 4,
        usual_pain: Some(3),
        stopped,
        now: NOW,
    };
    let s = write(store, async |tx| tx.start_day_session(f.clinic, p, new(1, None)).await)
        .await
        .unwrap();
    assert_eq!((s.day, s.number, s.programme_version, s.pain_before), (day, 1, 3, 4));
    assert_eq!(s.due, due, "the prescription it followed, typed");
    assert_eq!((s.ended_at, s.stopped, s.closing.clone()), (None, None, None));
    // The same session of the same day twice is a conflict.
    let again = write(store, async |tx| tx.start_day_session(f.clinic, p, new(1, None)).await);
    assert!(matches!(again.await, Err(StoreError::Conflict(_))));

    let done = ExerciseLog {
        sets_done: Some(2),
        reps_done: Some(9),
        pain_during: Some(6),
        effort: Some(5),
        ..ExerciseLog::default()
    };
    let s2 = write(store, async |tx| {
        tx.log_day_exercise(f.clinic, s.id, "bird-dog", &done, None, NOW).await
    })
    .await
    .unwrap();
    assert_eq!(s2.exercises.len(), 1);
    assert_eq!(s2.exercises[0].outcome, Outcome::StoppedForPain, "pain 6 ended it");
    assert_eq!(s2.exercises[0].log, done);
    assert!(s2.counts());
    assert_eq!(s2.remaining().map(|i| i.exercise.as_str()).collect::<Vec<_>>(), ["bridge"]);
    // Once per exercise; and only an exercise due in the session.
    let twice = write(store, async |tx| {
        tx.log_day_exercise(f.clinic, s.id, "bird-dog", &done, None, NOW).await
    });
    assert!(matches!(twice.await, Err(StoreError::Conflict(_))));
    let stranger = write(store, async |tx| {
        tx.log_day_exercise(f.clinic, s.id, "plank", &done, None, NOW).await
    });
    assert!(matches!(stranger.await, Err(StoreError::NotFound(_))));
    let skip = ExerciseLog { skipped: Some(SkipReason::Time), ..ExerciseLog::default() };
    write(store, async |tx| tx.log_day_exercise(f.clinic, s.id, "bridge", &skip, None, NOW).await)
        .await
        .unwrap();

    let closing = Closing {
        pain_after: Some(3),
        fatigue: Some(6),
        stopped_early: Some(StopReason::Time),
        note: Some("Bus to catch".to_owned()),
    };
    let ended = write(store, async |tx| tx.end_day_session(f.clinic, s.id, &closing, NOW).await)
        .await
        .unwrap();
    assert_eq!(ended.closing, Some(closing.clone()));
    assert!(ended.ended_at.is_some());
    // In the order they were due, whatever the order they were recorded in.
    let order: Vec<_> = ended.exercises.iter().map(|e| e.exercise.as_str()).collect();
    assert_eq!(order, ["bridge", "bird-dog"]);
    assert_eq!(ended.exercises[0].outcome, Outcome::Skipped(SkipReason::Time));
    let late = write(store, async |tx| tx.end_day_session(f.clinic, s.id, &closing, NOW).await);
    assert!(matches!(late.await, Err(StoreError::Conflict(_))), "ends once");
    let after_end = write(store, async |tx| {
        tx.log_day_exercise(f.clinic, s.id, "bridge", &skip, None, NOW).await
    });
    assert!(matches!(after_end.await, Err(StoreError::Conflict(_))));

    let answered = write(store, async |tx| {
        tx.set_next_morning(f.clinic, s.id, 6, NOW + Duration::hours(20)).await
    })
    .await
    .unwrap();
    assert_eq!(answered.next_morning_pain, Some(6));
    let twice = write(store, async |tx| tx.set_next_morning(f.clinic, s.id, 2, NOW).await);
    assert!(matches!(twice.await, Err(StoreError::Conflict(_))));

    // A session the pain check stopped is recorded ended, with why.
    let stop = SessionStop::Flare { pain: 7, usual: 3 };
    let stopped =
        write(store, async |tx| tx.start_day_session(f.clinic, p, new(2, Some(stop))).await)
            .await
            .unwrap();
    assert_eq!(stopped.stopped, Some(stop));
    assert!(stopped.ended_at.is_some());

    let all = store.day_sessions(f.clinic, p, None).await.unwrap();
    assert_eq!(all.iter().map(|s| s.number).collect::<Vec<_>>(), [2, 1], "newest first");
    assert_eq!(all[1], answered);
    let later = store.day_sessions(f.clinic, p, Some(day.next_day().unwrap())).await.unwrap();
    assert!(later.is_empty());
    // Another clinic sees nothing.
    assert!(store.day_sessions(f.other_clinic, p, None).await.unwrap().is_empty());
    assert!(matches!(store.day_session(f.other_clinic, s.id).await, Err(StoreError::NotFound(_))));
}

fn reminder_plan(
    days: &[physio_clinic::exercise::Weekday],
    enabled: bool,
) -> physio_clinic::reminder::Plan {
    physio_clinic::reminder::Plan {
        days: days.to_vec(),
        time: physio_clinic::reminder::TimeOfDay::new(8, 0).unwrap(),
        habit: Some("after breakfast".into()),
        enabled,
    }
}

async fn reminder_plans_round_trip_and_a_change_drops_pending_reminders(store: &Store) {
    use physio_clinic::exercise::Weekday;
    use physio_store::JobStatus;
    let f = fixture(store).await;
    let (p, other) = (f.patients[0], f.patients[1]);
    assert_eq!(store.reminder_plan(f.clinic, p).await.unwrap(), None);
    let plan = reminder_plan(&[Weekday::Monday, Weekday::Thursday], true);
    let stored =
        write(store, async |tx| tx.put_reminder_plan(f.clinic, p, &plan, NOW).await).await.unwrap();
    // Whole seconds, so that SQLite's text compares in time order.
    assert_eq!(stored.updated_at, datetime!(2026-11-25 09:30:00 UTC));
    assert_eq!(store.reminder_plan(f.clinic, p).await.unwrap(), Some(stored.clone()));
    // Another clinic's id finds nothing, and cannot write one.
    assert_eq!(store.reminder_plan(f.other_clinic, p).await.unwrap(), None);
    let refused =
        write(store, async |tx| tx.put_reminder_plan(f.other_clinic, p, &plan, NOW).await);
    assert!(matches!(refused.await, Err(StoreError::NotFound(_))));

    let to_plan = store.reminder_plans_to_schedule().await.unwrap();
    assert_eq!(to_plan.len(), 1);
    assert_eq!((to_plan[0].plan.patient_id, to_plan[0].last_due), (p, None));
    let due = datetime!(2026-11-26 08:00 UTC);
    write(store, async |tx| tx.plan_reminder(f.clinic, p, due).await).await.unwrap();
    write(store, async |tx| tx.plan_reminder(f.clinic, other, due).await).await.unwrap();
    // One is waiting now: nothing more to plan for this patient.
    assert!(store.reminder_plans_to_schedule().await.unwrap().is_empty());

    // Turning it off keeps the choice and drops the pending reminder, not the other patient's.
    let off = reminder_plan(&[Weekday::Friday], false);
    let later = NOW + Duration::hours(1);
    write(store, async |tx| tx.put_reminder_plan(f.clinic, p, &off, later).await).await.unwrap();
    assert_eq!(store.reminder_plan(f.clinic, p).await.unwrap().unwrap().plan, off);
    assert!(store.reminder_jobs(f.clinic, p).await.unwrap().is_empty());
    let others = store.reminder_jobs(f.clinic, other).await.unwrap();
    assert_eq!(others.len(), 1);
    assert_eq!(others[0].status, JobStatus::Pending);
    assert!(store.reminder_plans_to_schedule().await.unwrap().is_empty());
}

async fn reminders_are_planned_once_and_claimed_when_due(store: &Store) {
    use physio_clinic::exercise::Weekday;
    use physio_store::{Finish, JobStatus};
    let f = fixture(store).await;
    let p = f.patients[0];
    let plan = reminder_plan(&[Weekday::Thursday], true);
    write(store, async |tx| tx.put_reminder_plan(f.clinic, p, &plan, NOW).await).await.unwrap();
    let due = datetime!(2026-11-26 08:00 UTC);
    assert!(write(store, async |tx| tx.plan_reminder(f.clinic, p, due).await).await.unwrap());
    // Two servers planning the same reminder: the second changes nothing. Nor does planning
    // another while one is waiting (a server that read the plans before this one was planned).
    assert!(!write(store, async |tx| tx.plan_reminder(f.clinic, p, due).await).await.unwrap());
    let later = due + Duration::days(2);
    assert!(!write(store, async |tx| tx.plan_reminder(f.clinic, p, later).await).await.unwrap());
    assert_eq!(store.reminder_jobs(f.clinic, p).await.unwrap().len(), 1);

    let lease = Duration::minutes(5);
    let claim = async |at: OffsetDateTime| {
        write(store, async |tx| tx.claim_reminders("a", at, lease, 10).await).await.unwrap()
    };
    // Not before its time, even by a fraction of a second (SQLite compares text).
    assert!(claim(due - Duration::milliseconds(500)).await.is_empty());
    let got = claim(due + Duration::milliseconds(250)).await;
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].patient_id, got[0].due_at, got[0].attempts), (p, due, 1));
    // Held: nobody else gets it while the lease runs.
    assert!(claim(due + Duration::minutes(1)).await.is_empty());

    // A failed attempt goes back to wait for its retry.
    let retry_at = due + Duration::minutes(2);
    let how = Finish::Retry { error: "421 try later", at: retry_at };
    let now = due + Duration::seconds(1);
    assert!(
        write(store, async |tx| tx.finish_reminder(&got[0], "a", how, now).await).await.unwrap()
    );
    let job = &store.reminder_jobs(f.clinic, p).await.unwrap()[0];
    assert_eq!(
        (job.status, job.last_error.as_deref()),
        (JobStatus::Pending, Some("421 try later"))
    );
    assert!(claim(retry_at - Duration::seconds(1)).await.is_empty());
    let again = claim(retry_at).await;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 2);
    assert!(
        write(store, async |tx| tx.finish_reminder(&again[0], "a", Finish::Sent, retry_at).await)
            .await
            .unwrap()
    );
    let job = &store.reminder_jobs(f.clinic, p).await.unwrap()[0];
    assert_eq!((job.status, job.finished_at), (JobStatus::Sent, Some(retry_at)));
    assert!(claim(retry_at + Duration::hours(1)).await.is_empty());
    // Sent: the plan is ready for its next one, counted from this one.
    let to_plan = store.reminder_plans_to_schedule().await.unwrap();
    assert_eq!(to_plan.len(), 1);
    assert_eq!(to_plan[0].last_due, Some(due));
}

async fn concurrent_claimers_get_disjoint_reminders(store: &Store) {
    use std::collections::BTreeSet;
    const JOBS: usize = 30;
    const CLAIMERS: usize = 6;
    let f = fixture(store).await;
    let due = datetime!(2026-11-26 08:00 UTC);
    // One reminder waits per patient: thirty patients.
    write(store, async |tx| {
        for k in 0..JOBS {
            let nu = new_user(f.clinic, &format!("reminded{k}@north.test"), Role::Patient);
            let p = tx.create_user(&nu, NOW).await?.id;
            assert!(tx.plan_reminder(f.clinic, p, due + Duration::minutes(k as i64)).await?);
        }
        Ok(())
    })
    .await
    .unwrap();
    let now = due + Duration::hours(1);
    let mut tasks = vec![];
    for c in 0..CLAIMERS {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            let worker = format!("server-{c}");
            let mut mine = vec![];
            loop {
                let mut tx = s.begin().await.unwrap();
                let got = tx.claim_reminders(&worker, now, Duration::minutes(5), 2).await.unwrap();
                tx.commit().await.unwrap();
                if got.is_empty() {
                    break;
                }
                mine.extend(got.into_iter().map(|j| j.id));
                tokio::task::yield_now().await;
            }
            mine
        }));
    }
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let distinct: BTreeSet<Uuid> = all.iter().copied().collect();
    assert_eq!(all.len(), JOBS, "every job claimed exactly once");
    assert_eq!(distinct.len(), JOBS);
}

async fn a_lapsed_claim_is_taken_over_and_the_old_claimer_cannot_finish(store: &Store) {
    use physio_store::{Finish, JobStatus};
    let f = fixture(store).await;
    let p = f.patients[0];
    let due = datetime!(2026-11-26 08:00 UTC);
    write(store, async |tx| tx.plan_reminder(f.clinic, p, due).await).await.unwrap();
    let lease = Duration::minutes(5);
    let first =
        write(store, async |tx| tx.claim_reminders("crashed", due, lease, 10).await).await.unwrap();
    assert_eq!(first.len(), 1);
    // Within the lease the job stays with its claimer.
    let early = due + lease - Duration::seconds(1);
    let none = write(store, async |tx| tx.claim_reminders("b", early, lease, 10).await);
    assert!(none.await.unwrap().is_empty());
    let late = due + lease;
    let taken =
        write(store, async |tx| tx.claim_reminders("b", late, lease, 10).await).await.unwrap();
    assert_eq!(taken.len(), 1);
    assert_eq!((taken[0].id, taken[0].attempts), (first[0].id, 2));
    // The first claimer wakes up: its claim is void and changes nothing.
    let stale =
        write(store, async |tx| tx.finish_reminder(&first[0], "crashed", Finish::Sent, late).await);
    assert!(!stale.await.unwrap());
    let job = &store.reminder_jobs(f.clinic, p).await.unwrap()[0];
    assert_eq!((job.status, job.claimed_by.as_deref()), (JobStatus::Sending, Some("b")));
    let done =
        write(store, async |tx| tx.finish_reminder(&taken[0], "b", Finish::Skipped, late).await);
    assert!(done.await.unwrap());
    let job = &store.reminder_jobs(f.clinic, p).await.unwrap()[0];
    assert_eq!(job.status, JobStatus::Skipped);
}
