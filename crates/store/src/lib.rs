//! Storage for Physio: one `Store` over two backends, SQLite (embedded, the default) and
//! PostgreSQL, chosen by the database URL.
//!
//! Every query is written once and compiled for both backends by the `with_pool!` macro; the
//! schemas differ only in column types and live in `migrations/{sqlite,postgres}`. No sqlx type
//! appears in the public interface. Timestamps are UTC and truncated to microseconds, which is
//! what PostgreSQL keeps, so a value reads back exactly as written on both backends.
//!
//! Reads run on a [`Db`]: the pool (`Store` derefs to one) or an open transaction (`Tx`
//! derefs to one, so a care action reads what it has written so far). Writes exist only on
//! [`Tx`], which the caller commits together with the audit record that describes them.

// Column lists as macros, so queries stay `&'static str` (sqlx only takes SQL it can trust).
macro_rules! user_columns {
    () => {
        "id, clinic_id, email, name, role, active, licence_number, licence_jurisdiction, \
         date_of_birth, summary, created_at, phone"
    };
}
macro_rules! audit_columns {
    () => {
        "seq, id, at, clinic_id, actor_id, actor_role, action, resource, patient_id, outcome, \
         request_id, prev_hash, hash"
    };
}

/// Runs the same code against wherever `db` (a [`Db`]) runs its queries: a pool, or the
/// connection of an open transaction. `$p` is an executor used once by the body.
macro_rules! with_pool {
    ($db:expr, |$p:ident| $body:expr) => {
        match &$db.conn {
            $crate::Conn::Sqlite($p) => $body,
            $crate::Conn::Postgres($p) => $body,
            $crate::Conn::SqliteTx(m) => {
                let mut g = m.lock().await;
                let $p = &mut **g;
                $body
            }
            $crate::Conn::PostgresTx(m) => {
                let mut g = m.lock().await;
                let $p = &mut **g;
                $body
            }
        }
    };
}

/// Runs a multi-statement body on a transaction's connection; `$c` is `&mut Connection`, so
/// the body reborrows it with `&mut *$c` for each statement.
macro_rules! with_tx {
    ($tx:expr, |$c:ident| $body:expr) => {
        match &mut $tx.db.conn {
            $crate::Conn::SqliteTx(m) => {
                let $c = &mut **m.get_mut();
                $body
            }
            $crate::Conn::PostgresTx(m) => {
                let $c = &mut **m.get_mut();
                $body
            }
            $crate::Conn::Sqlite(_) | $crate::Conn::Postgres(_) => {
                return Err($crate::StoreError::Database("a write outside a transaction".into()));
            }
        }
    };
}

mod account_tokens;
mod alerts;
pub mod audit;
pub mod backup;
mod caseload;
mod contacts;
mod day_sessions;
mod episodes;
mod erasure;
mod exercise;
mod export;
mod files;
mod lessons;
mod messages;
pub mod model;
mod programmes;
mod progression;
mod refusals;
mod reminders;
mod sessions;
mod sign_in_failures;
mod sso;
pub mod testing;
mod two_step;
mod tx;
mod users;

use std::{borrow::Cow, path::Path, str::FromStr, sync::Arc, time::Duration};

use sqlx::{
    PgPool, Postgres, Sqlite, SqlitePool, Transaction,
    migrate::{Migration, MigrationType, Migrator},
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use time::{OffsetDateTime, UtcOffset};

pub use account_tokens::*;
pub use alerts::*;
pub use audit::{
    AuditBreak, AuditEvent, AuditHead, AuditOutcome, AuditVerification, NewAuditEvent,
};
pub use caseload::*;
pub use contacts::*;
pub use day_sessions::*;
pub use episodes::*;
pub use erasure::Erasure;
pub use exercise::*;
pub use lessons::*;
pub use messages::*;
pub use model::*;
pub use programmes::*;
pub use progression::*;
pub use refusals::*;
pub use reminders::*;
pub use sessions::NewApiToken;
pub use sign_in_failures::*;
pub use sso::*;
pub use two_step::*;
pub use tx::Tx;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A uniqueness or reference rule was violated; the string names it.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("invalid database URL: {0}")]
    InvalidUrl(String),
    #[error("database error: {0}")]
    Database(String),
    #[error("migration failed: {0}")]
    Migration(String),
    /// Text the database cannot store (PostgreSQL refuses the NUL character).
    #[error("text the database cannot store: {0}")]
    InvalidText(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            use sqlx::error::ErrorKind;
            // PostgreSQL: 22021 "invalid byte sequence" (NUL in text), 22P05 "unsupported
            // Unicode escape sequence" (`\u0000` in JSON).
            if matches!(db.code().as_deref(), Some("22021" | "22P05")) {
                return StoreError::InvalidText(db.message().to_owned());
            }
            match db.kind() {
                ErrorKind::UniqueViolation => {
                    return StoreError::Conflict(constraint_name(db.as_ref(), "already exists"));
                }
                ErrorKind::ForeignKeyViolation => {
                    return StoreError::Conflict(constraint_name(db.as_ref(), "refers to nothing"));
                }
                ErrorKind::CheckViolation | ErrorKind::NotNullViolation => {
                    return StoreError::Conflict(constraint_name(db.as_ref(), "violates a rule"));
                }
                _ => {}
            }
        }
        if let sqlx::Error::RowNotFound = e {
            return StoreError::NotFound("row");
        }
        StoreError::Database(e.to_string())
    }
}

/// PostgreSQL names the constraint; SQLite puts the column in its message.
fn constraint_name(db: &dyn sqlx::error::DatabaseError, what: &str) -> String {
    if let Some(c) = db.constraint() {
        return format!("{c} {what}");
    }
    let msg = db.message();
    match msg.split_once(": ") {
        Some((_, cols)) => format!("{cols} {what}"),
        None => msg.to_owned(),
    }
}

/// Which backend a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where a [`Db`]'s queries run. A transaction sits behind an async mutex only so that reads
/// can take `&self`; one task uses it at a time, so the lock is never contended.
enum Conn {
    Sqlite(SqlitePool),
    Postgres(PgPool),
    SqliteTx(tokio::sync::Mutex<Transaction<'static, Sqlite>>),
    PostgresTx(tokio::sync::Mutex<Transaction<'static, Postgres>>),
}

/// The read side of the store: every query that reads, on the pool or inside a transaction.
pub struct Db {
    conn: Conn,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.conn {
            Conn::Sqlite(_) => "sqlite",
            Conn::Postgres(_) => "postgres",
            Conn::SqliteTx(_) => "sqlite transaction",
            Conn::PostgresTx(_) => "postgres transaction",
        };
        f.debug_struct("Db").field("conn", &kind).finish()
    }
}

impl Db {
    /// Which backend this runs on.
    pub fn backend(&self) -> Backend {
        match self.conn {
            Conn::Sqlite(_) | Conn::SqliteTx(_) => Backend::Sqlite,
            Conn::Postgres(_) | Conn::PostgresTx(_) => Backend::Postgres,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Store {
    db: Arc<Db>,
    /// SQLite allows one writer at a time. Writers queue here, in the application, and then
    /// take SQLite's write lock at once with `BEGIN IMMEDIATE`, so none of them ever sleeps in
    /// SQLite's busy handler. PostgreSQL has row locks and needs no such queue.
    writer: Arc<tokio::sync::Mutex<()>>,
}

impl std::ops::Deref for Store {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.db
    }
}

/// Current time as stored: UTC, microseconds.
pub fn db_time(t: OffsetDateTime) -> OffsetDateTime {
    let t = t.to_offset(UtcOffset::UTC);
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

impl Store {
    fn new(conn: Conn) -> Store {
        Store { db: Arc::new(Db { conn }), writer: Arc::new(tokio::sync::Mutex::new(())) }
    }

    /// Opens the database named by `url`: `sqlite:PATH` (created if missing) or `postgres://…`.
    /// Does not migrate; call [`Store::migrate`].
    pub async fn connect(url: &str) -> Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)
                .map_err(|e| StoreError::InvalidUrl(redact(url, &e.to_string())))?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Ok(Store::new(Conn::Postgres(pool)))
        } else if let Some(path) =
            url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))
        {
            Store::open_sqlite(Path::new(path)).await
        } else {
            Err(StoreError::InvalidUrl(format!(
                "{}: expected sqlite:PATH or postgres://…",
                redact(url, "")
            )))
        }
    }

    /// Opens (creating if needed) an SQLite database file with WAL, foreign keys and fully
    /// synchronous commits, so an acknowledged commit survives a power cut. A folder or file it
    /// creates is private to the account running Physio (0700 and 0600 on Unix); SQLite gives
    /// the `-wal` and `-shm` files the database file's mode.
    pub async fn open_sqlite(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            files::create_private_dir(dir)?;
        }
        files::create_private_file(path)?;
        // The busy timeout is a backstop only: writers in this process queue on `writer`;
        // it covers another process (a CLI command) writing to the same file.
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(opts).await?;
        Ok(Store::new(Conn::Sqlite(pool)))
    }

    /// Begins a transaction, the only way to write. Dropping the `Tx` without
    /// [`Tx::commit`] rolls everything back. On SQLite the caller first waits its turn behind
    /// the writers already queued.
    pub async fn begin(&self) -> Result<Tx> {
        match &self.db.conn {
            Conn::Sqlite(p) => {
                let turn = self.writer.clone().lock_owned().await;
                let t = p.begin_with("BEGIN IMMEDIATE").await?;
                Ok(Tx::new(Db { conn: Conn::SqliteTx(tokio::sync::Mutex::new(t)) }, Some(turn)))
            }
            Conn::Postgres(p) => {
                let t = p.begin().await?;
                Ok(Tx::new(Db { conn: Conn::PostgresTx(tokio::sync::Mutex::new(t)) }, None))
            }
            Conn::SqliteTx(_) | Conn::PostgresTx(_) => {
                Err(StoreError::Database("a store always holds a pool".into()))
            }
        }
    }

    /// Applies any migrations not yet applied. Safe to run at every start.
    pub async fn migrate(&self) -> Result<()> {
        let r = match &self.db.conn {
            Conn::Sqlite(p) => migrator(SQLITE_MIGRATIONS).run(p).await,
            Conn::Postgres(p) => migrator(POSTGRES_MIGRATIONS).run(p).await,
            Conn::SqliteTx(_) | Conn::PostgresTx(_) => return Ok(()),
        };
        r.map_err(|e| StoreError::Migration(e.to_string()))
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<()> {
        with_pool!(self.db, |p| sqlx::query("SELECT 1").execute(p).await.map(drop)?);
        Ok(())
    }

    pub async fn close(&self) {
        match &self.db.conn {
            Conn::Sqlite(p) => p.close().await,
            Conn::Postgres(p) => p.close().await,
            Conn::SqliteTx(_) | Conn::PostgresTx(_) => {}
        }
    }

    /// Runs raw SQL. For tests that simulate an attacker with direct database access.
    #[doc(hidden)]
    pub async fn execute_unchecked(&self, sql: &str) -> Result<u64> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        Ok(with_pool!(self.db, |p| sqlx::raw_sql(sql).execute(p).await?.rows_affected()))
    }
}

/// Removes a password from a URL before it goes into an error message.
fn redact(url: &str, msg: &str) -> String {
    let shown = match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***{}", &url[..s], &url[at..]),
        _ => url.to_owned(),
    };
    if msg.is_empty() { shown } else { format!("{shown}: {msg}") }
}

static SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../migrations/sqlite/0001_foundation.sql")),
    (2, "episodes", include_str!("../migrations/sqlite/0002_episodes.sql")),
    (3, "exercise_sessions", include_str!("../migrations/sqlite/0003_exercise_sessions.sql")),
    (4, "milestones", include_str!("../migrations/sqlite/0004_milestones.sql")),
    (5, "exercise_references", include_str!("../migrations/sqlite/0005_exercise_references.sql")),
    (6, "care_layer", include_str!("../migrations/sqlite/0006_care_layer.sql")),
    (7, "programmes", include_str!("../migrations/sqlite/0007_programmes.sql")),
    (8, "clinic_contact", include_str!("../migrations/sqlite/0008_clinic_contact.sql")),
    (9, "day_sessions", include_str!("../migrations/sqlite/0009_day_sessions.sql")),
    (10, "lessons", include_str!("../migrations/sqlite/0010_lessons.sql")),
    (11, "reminders", include_str!("../migrations/sqlite/0011_reminders.sql")),
    (12, "messages", include_str!("../migrations/sqlite/0012_messages.sql")),
    (13, "contacts", include_str!("../migrations/sqlite/0013_contacts.sql")),
    (14, "alert_inbox", include_str!("../migrations/sqlite/0014_alert_inbox.sql")),
    (15, "progression", include_str!("../migrations/sqlite/0015_progression.sql")),
    (16, "sign_in_throttle", include_str!("../migrations/sqlite/0016_sign_in_throttle.sql")),
    (17, "account_tokens", include_str!("../migrations/sqlite/0017_account_tokens.sql")),
    (18, "two_step", include_str!("../migrations/sqlite/0018_two_step.sql")),
    (19, "sso", include_str!("../migrations/sqlite/0019_sso.sql")),
    (20, "hardening", include_str!("../migrations/sqlite/0020_hardening.sql")),
    (21, "erasures", include_str!("../migrations/sqlite/0021_erasures.sql")),
];
static POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../migrations/postgres/0001_foundation.sql")),
    (2, "episodes", include_str!("../migrations/postgres/0002_episodes.sql")),
    (3, "exercise_sessions", include_str!("../migrations/postgres/0003_exercise_sessions.sql")),
    (4, "milestones", include_str!("../migrations/postgres/0004_milestones.sql")),
    (5, "exercise_references", include_str!("../migrations/postgres/0005_exercise_references.sql")),
    (6, "care_layer", include_str!("../migrations/postgres/0006_care_layer.sql")),
    (7, "programmes", include_str!("../migrations/postgres/0007_programmes.sql")),
    (8, "clinic_contact", include_str!("../migrations/postgres/0008_clinic_contact.sql")),
    (9, "day_sessions", include_str!("../migrations/postgres/0009_day_sessions.sql")),
    (10, "lessons", include_str!("../migrations/postgres/0010_lessons.sql")),
    (11, "reminders", include_str!("../migrations/postgres/0011_reminders.sql")),
    (12, "messages", include_str!("../migrations/postgres/0012_messages.sql")),
    (13, "contacts", include_str!("../migrations/postgres/0013_contacts.sql")),
    (14, "alert_inbox", include_str!("../migrations/postgres/0014_alert_inbox.sql")),
    (15, "progression", include_str!("../migrations/postgres/0015_progression.sql")),
    (16, "sign_in_throttle", include_str!("../migrations/postgres/0016_sign_in_throttle.sql")),
    (17, "account_tokens", include_str!("../migrations/postgres/0017_account_tokens.sql")),
    (18, "two_step", include_str!("../migrations/postgres/0018_two_step.sql")),
    (19, "sso", include_str!("../migrations/postgres/0019_sso.sql")),
    (20, "hardening", include_str!("../migrations/postgres/0020_hardening.sql")),
    (21, "erasures", include_str!("../migrations/postgres/0021_erasures.sql")),
];

fn migrator(list: &'static [(i64, &'static str, &'static str)]) -> Migrator {
    use sqlx::SqlSafeStr;
    Migrator::with_migrations(
        list.iter()
            .map(|&(v, d, sql)| {
                Migration::new(
                    v,
                    Cow::Borrowed(d),
                    MigrationType::Simple,
                    sql.into_sql_str(),
                    false,
                )
            })
            .collect(),
    )
}
