//! Data at rest: a new database's folder and files are private; `physio backup` copies the
//! database while another process writes to it, `physio restore` brings the copy back into a
//! fresh data folder with every patient and an intact audit chain, and both refuse bad input
//! with exit code 2; `physio audit verify --head` prints the head to anchor elsewhere.

use std::{
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

use physio_store::{Role, Store};

use crate::physio;

const CLINIC: &str = "Harbour Physio";

fn add_patient(data: &Path, n: usize) -> crate::Run {
    let email = format!("patient{n}@harbour.test");
    let name = format!("Patient {n}");
    physio(
        data,
        &[
            "user",
            "add",
            "--clinic",
            CLINIC,
            "--role",
            "patient",
            "--name",
            &name,
            "--email",
            &email,
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    )
}

fn clinic(data: &Path) {
    assert_eq!(physio(data, &["migrate"], None).code, 0);
    let r = physio(data, &["clinic", "add", CLINIC], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn a_new_database_is_private_to_its_owner() {
    let dir = tempfile::tempdir().unwrap();
    // A folder that does not exist yet, two levels deep, as a first `physio demo` would make.
    let data = dir.path().join("srv").join("physio-data");
    clinic(&data);
    assert_eq!(mode(&data), 0o700, "the data folder");
    assert_eq!(mode(&dir.path().join("srv")), 0o700, "a parent folder Physio created");
    for name in ["physio.db", "physio.db-wal", "physio.db-shm"] {
        let file = data.join(name);
        if file.exists() {
            assert_eq!(mode(&file), 0o600, "{name}");
        }
    }
    assert!(data.join("physio.db").exists());

    let backup = dir.path().join("copies").join("physio-backup.db");
    let r = physio(&data, &["backup", backup.to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(mode(&backup), 0o600, "the backup");

    let fresh = dir.path().join("restored");
    let r = physio(&fresh, &["restore", backup.to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(mode(&fresh), 0o700, "the restored data folder");
    assert_eq!(mode(&fresh.join("physio.db")), 0o600, "the restored database");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_writes_restores_every_patient() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    clinic(&data);
    for n in 0..4 {
        let r = add_patient(&data, n);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    // Another process keeps adding patients (each a transaction with its audit record) while
    // the backup is taken.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (data, stop) = (data.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut n = 4;
            while !stop.load(Ordering::Relaxed) || n < 7 {
                let r = add_patient(&data, n);
                assert_eq!(r.code, 0, "{}", r.stderr);
                n += 1;
            }
            n
        })
    };
    while !data.join("physio.db-wal").exists() {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let backup = dir.path().join("backup.db");
    let r = physio(&data, &["backup", backup.to_str().unwrap()], None);
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Backed up to"), "{}", r.stdout);

    let fresh = dir.path().join("fresh");
    let r = physio(&fresh, &["restore", backup.to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("audit trail intact"), "{}", r.stdout);

    let url = format!("sqlite:{}", fresh.join("physio.db").display());
    let store = Store::connect(&url).await.unwrap();
    let c = store.clinic_by_name(CLINIC).await.unwrap().expect("the clinic is restored");
    let patients = store.users(c.id, Some(Role::Patient)).await.unwrap();
    let emails: Vec<_> = patients.iter().map(|p| p.email.clone()).collect();
    // Every patient added before the backup began is there, and the copy is one moment of the
    // database: patients 0..k for some k, no gaps (each add committed whole, or not at all).
    let k = patients.len();
    assert!((4..=written).contains(&k), "{k} of {written} patients");
    for n in 0..k {
        assert!(emails.contains(&format!("patient{n}@harbour.test")), "patient {n} in {emails:?}");
    }
    // One audit record for the clinic and one for each patient: the chain was copied as of the
    // same moment as the rows it describes.
    let v = store.verify_audit().await.unwrap();
    assert_eq!((v.records, v.first_break), (1 + k as u64, None));
    store.close().await;

    // The restored folder serves: `audit verify` on it runs the server's own migrations.
    let r = physio(&fresh, &["audit", "verify"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_and_restore_refuse_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let d = dir.path();

    // Nothing to back up yet.
    let r = physio(&data, &["backup", d.join("b.db").to_str().unwrap()], None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no database"), "{}", r.stderr);

    clinic(&data);
    let backup = d.join("b.db");
    let b = backup.to_str().unwrap();
    assert_eq!(physio(&data, &["backup", b], None).code, 0);
    // An existing file is kept unless --force.
    let r = physio(&data, &["backup", b], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("already exists") && r.stderr.contains("--force"), "{}", r.stderr);
    let r = physio(&data, &["backup", b, "--force"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);

    // Restore: a missing file, a file that is not a database, an SQLite file that is not
    // Physio's, a database already in place.
    let r = physio(&d.join("x"), &["restore", d.join("nope.db").to_str().unwrap()], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no such file"), "{}", r.stderr);
    std::fs::write(d.join("notes.txt"), "shopping list\n".repeat(200)).unwrap();
    let r = physio(&d.join("x"), &["restore", d.join("notes.txt").to_str().unwrap()], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a Physio database"), "{}", r.stderr);
    let other = Store::connect(&format!("sqlite:{}", d.join("other.db").display())).await.unwrap();
    other.execute_unchecked("CREATE TABLE t (x INTEGER)").await.unwrap();
    other.close().await;
    let r = physio(&d.join("x"), &["restore", d.join("other.db").to_str().unwrap()], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a Physio database"), "{}", r.stderr);
    assert!(!d.join("x").join("physio.db").exists(), "nothing is written on a refusal");

    let r = physio(&data, &["restore", b], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("already holds a database"), "{}", r.stderr);

    // A backup whose audit trail was changed after the fact is refused as damaged.
    let tampered = d.join("tampered.db");
    std::fs::copy(&backup, &tampered).unwrap();
    let t = Store::connect(&format!("sqlite:{}", tampered.display())).await.unwrap();
    t.execute_unchecked(
        "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET action = 'read' WHERE seq = 1",
    )
    .await
    .unwrap();
    t.close().await;
    let r = physio(&d.join("y"), &["restore", tampered.to_str().unwrap()], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("audit trail is broken at record 1"), "{}", r.stderr);

    // With --force the database in place is replaced by the backup.
    add_patient(&data, 1);
    let r = physio(&data, &["restore", b, "--force"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("0 patients"), "{}", r.stdout);
}

#[test]
fn verify_head_prints_the_newest_record_and_moves_on() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    clinic(&data);
    let head = |data: &Path| {
        let r = physio(data, &["audit", "verify", "--head"], None);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let line = r.stdout.lines().find(|l| l.starts_with("Head: ")).unwrap().to_owned();
        let parts: Vec<_> = line.split_whitespace().collect();
        assert_eq!((parts[1], parts[3]), ("record", "hash"), "{line}");
        (parts[2].parse::<i64>().unwrap(), parts[4].to_owned())
    };
    let (seq, hash) = head(&data);
    assert_eq!(seq, 1);
    assert_eq!(hash.len(), 64);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()), "{hash}");
    // Without --head, no head.
    assert!(!physio(&data, &["audit", "verify"], None).stdout.contains("Head:"));
    add_patient(&data, 1);
    let (seq2, hash2) = head(&data);
    assert_eq!(seq2, 2);
    assert_ne!(hash2, hash);
}
