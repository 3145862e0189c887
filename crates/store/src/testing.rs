//! Throwaway databases for tests, on either backend. Not for production use.
//!
//! PostgreSQL tests connect to `PHYSIO_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), create a database with a random name and drop
//! it when the handle is dropped. If the server cannot be reached the test is skipped with a
//! message, except under CI (`CI=true`), where that is a failure.

use std::path::PathBuf;

use sqlx::{Connection, PgConnection};
use uuid::Uuid;

use crate::Store;

pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A migrated store on a database that is removed when this is dropped.
#[derive(Debug)]
pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Dir(PathBuf),
    Database { admin_url: String, name: String },
}

pub fn postgres_admin_url() -> String {
    std::env::var("PHYSIO_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

impl TestDb {
    /// A fresh SQLite database in its own temporary folder.
    pub async fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(format!("physio-test-{}", Uuid::now_v7()));
        let path = dir.join("physio.db");
        let url = format!("sqlite:{}", path.display());
        let store = Store::connect(&url).await.expect("open test sqlite");
        store.migrate().await.expect("migrate test sqlite");
        TestDb { store, url, cleanup: Cleanup::Dir(dir) }
    }

    /// A fresh PostgreSQL database, or `None` (with a note on stderr) when no server answers
    /// outside CI.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = postgres_admin_url();
        let mut admin = match PgConnection::connect(&admin_url).await {
            Ok(c) => c,
            Err(e) if !in_ci() => {
                let reason = format!("PostgreSQL test: cannot connect to {admin_url}: {e}");
                skip(&reason);
                return None;
            }
            Err(e) => panic!("CI=true but PostgreSQL at {admin_url} is unreachable: {e}"),
        };
        let name = format!("physio_test_{}", Uuid::now_v7().simple());
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("create test database");
        let _ = admin.close().await;
        let url = match admin_url.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => panic!("PostgreSQL URL has no database part: {admin_url}"),
        };
        let store = Store::connect(&url).await.expect("connect test database");
        store.migrate().await.expect("migrate test database");
        Some(TestDb { store, url, cleanup: Cleanup::Database { admin_url, name } })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Database { admin_url, name } => {
                // Drop runs inside the test's runtime, which cannot be blocked on; use a thread.
                let (admin_url, name) = (admin_url.clone(), name.clone());
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build();
                    if let Ok(rt) = rt {
                        rt.block_on(async {
                            if let Ok(mut c) = PgConnection::connect(&admin_url).await {
                                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                                let _ =
                                    sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut c).await;
                            }
                        });
                    }
                })
                .join();
            }
        }
    }
}

/// Reports that the calling test skips, and why: on stderr, and as a `reason<TAB>test` line in
/// the file `scripts/test` names in `PHYSIO_SKIP_LOG`, so its summary lists every skip.
pub fn skip(reason: &str) {
    eprintln!("SKIPPED {reason}");
    let Some(log) = std::env::var_os("PHYSIO_SKIP_LOG") else { return };
    let test = std::thread::current().name().unwrap_or("?").to_owned();
    let line = format!("{reason}\t{test}\n");
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .and_then(|mut f| std::io::Write::write_all(&mut f, line.as_bytes()));
    if let Err(e) = written {
        panic!("PHYSIO_SKIP_LOG={}: {e}", log.display());
    }
}
