//! Backups of an SQLite database, taken while the server runs, and the checks a file must pass
//! before it is restored: it is a Physio database, every migration in it is one this build
//! knows, and its audit chain verifies. (PostgreSQL is backed up with its own tools,
//! `pg_dump` and `pg_restore`; docs/backup.md.)

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use sqlx::{
    ConnectOptions, Connection,
    sqlite::{SqliteConnectOptions, SqliteConnection},
};

use crate::{AuditVerification, Backend, Conn, Db, SQLITE_MIGRATIONS, Store, StoreError, files};

/// Why a backup could not be taken or a file cannot be restored.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The request itself cannot be carried out as asked (a file in the way, a file that is not
    /// a Physio backup); the message says what to do.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for BackupError {
    fn from(e: sqlx::Error) -> Self {
        BackupError::Store(e.into())
    }
}

/// What [`check_backup`] found in a backup file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupCheck {
    /// The newest migration applied to it.
    pub schema_version: i64,
    /// Accounts of each kind in it.
    pub patients: i64,
    pub staff: i64,
    /// Its audit chain, walked end to end.
    pub audit: AuditVerification,
}

impl Store {
    /// Writes a consistent copy of this SQLite database to `out` (`VACUUM INTO`: one read
    /// transaction, so writers carry on meanwhile and the copy is the database as of one
    /// moment). The copy is written next to `out` under a temporary name and renamed at the
    /// end, so a half-written backup never carries the name; it is private (0600 on Unix).
    /// An existing `out` is refused unless `overwrite`.
    pub async fn backup_to(&self, out: &Path, overwrite: bool) -> Result<(), BackupError> {
        if self.backend() != Backend::Sqlite {
            return Err(BackupError::Refused(
                "this database is PostgreSQL: back it up with pg_dump (docs/backup.md)".into(),
            ));
        }
        if out.exists() && !overwrite {
            return Err(BackupError::Refused(format!(
                "{} already exists; choose another name, or give --force to replace it",
                out.display()
            )));
        }
        let partial = partial_name(out);
        let _ = std::fs::remove_file(&partial);
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            files::create_private_dir(dir)?;
        }
        // VACUUM INTO accepts an empty file; creating it first makes it private.
        files::create_private_file(&partial)?;
        let target = partial.to_str().ok_or_else(|| {
            BackupError::Refused(format!("{} is not a UTF-8 path", partial.display()))
        })?;
        let result = with_pool!(self.db, |p| sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(p)
            .await
            .map(drop));
        if let Err(e) = result {
            let _ = std::fs::remove_file(&partial);
            return Err(e.into());
        }
        std::fs::rename(&partial, out).map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            StoreError::Database(format!("renaming the backup to {}: {e}", out.display()))
        })?;
        Ok(())
    }
}

/// Opens `path` read-only and checks it is a Physio database this build can restore: its
/// migrations are all ones this build knows (a newer Physio's backup is refused, not
/// half-understood), and its audit chain verifies from the first record to the head.
pub async fn check_backup(path: &Path) -> Result<BackupCheck, BackupError> {
    if !path.is_file() {
        return Err(BackupError::Refused(format!("{}: no such file", path.display())));
    }
    let not_physio = |why: &str| {
        BackupError::Refused(format!("{} is not a Physio database: {why}", path.display()))
    };
    let opts = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .busy_timeout(Duration::from_secs(10))
        .disable_statement_logging();
    let mut conn = SqliteConnection::connect_with(&opts)
        .await
        .map_err(|e| not_physio(&format!("SQLite cannot open it ({e})")))?;
    let versions: Vec<(i64, String, bool)> = sqlx::query_as(
        "SELECT version, description, success FROM _sqlx_migrations ORDER BY version",
    )
    .fetch_all(&mut conn)
    .await
    .map_err(|_| not_physio("it has no record of Physio's migrations"))?;
    if versions.first().map(|v| v.0) != Some(1) {
        return Err(not_physio("its first migration is missing"));
    }
    for (version, description, success) in &versions {
        let known = SQLITE_MIGRATIONS.iter().find(|m| m.0 == *version);
        match known {
            Some(m) if m.1 == description => {}
            Some(_) => return Err(not_physio(&format!("migration {version} is not Physio's"))),
            None => {
                return Err(BackupError::Refused(format!(
                    "{} was made by a newer Physio (migration {version}, {description:?}); \
                     restore it with that version or a later one",
                    path.display()
                )));
            }
        }
        if !success {
            return Err(not_physio(&format!("migration {version} did not complete")));
        }
    }
    let schema_version = versions.last().map_or(0, |v| v.0);
    let (patients, staff): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN role = 'patient' THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN role <> 'patient' THEN 1 ELSE 0 END), 0) FROM users",
    )
    .fetch_one(&mut conn)
    .await?;
    conn.close().await?;
    // The chain walk reuses the store's own reader, over a read-only pool.
    let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect_with(opts).await?;
    let db = Db { conn: Conn::Sqlite(pool.clone()) };
    let audit = db.verify_audit().await;
    pool.close().await;
    Ok(BackupCheck { schema_version, patients, staff, audit: audit? })
}

/// Copies a checked backup to `target`, the database file a server will open: under a
/// temporary name first, then renamed, private. An existing non-empty database is refused
/// unless `overwrite`; its `-wal` and `-shm` files go with it, or SQLite would replay the old
/// database's log over the restored one.
pub fn place_backup(backup: &Path, target: &Path, overwrite: bool) -> Result<(), BackupError> {
    let in_use = target.metadata().is_ok_and(|m| m.len() > 0);
    if in_use && !overwrite {
        return Err(BackupError::Refused(format!(
            "{} already holds a database; restore into a fresh data folder, or stop the \
             server and give --force to replace it",
            target.display()
        )));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        files::create_private_dir(dir)?;
    }
    let partial = partial_name(target);
    let _ = std::fs::remove_file(&partial);
    files::create_private_file(&partial)?;
    let copied = std::fs::copy(backup, &partial)
        .map_err(|e| StoreError::Database(format!("copying {}: {e}", backup.display())));
    if let Err(e) = copied.and_then(|_| files::make_private(&partial)) {
        let _ = std::fs::remove_file(&partial);
        return Err(e.into());
    }
    for suffix in ["-wal", "-shm"] {
        let mut side = target.as_os_str().to_owned();
        side.push(suffix);
        match std::fs::remove_file(PathBuf::from(side)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::Database(format!("removing {suffix}: {e}")).into()),
        }
    }
    std::fs::rename(&partial, target)
        .map_err(|e| StoreError::Database(format!("renaming to {}: {e}", target.display())))?;
    Ok(())
}

/// `out` with `.partial` appended, in the same folder so the final rename is atomic.
fn partial_name(out: &Path) -> PathBuf {
    let mut name = out.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

impl Db {
    /// How many patients the database holds, in every clinic: what a restore reports.
    pub async fn count_patients(&self) -> crate::Result<i64> {
        let (n,): (i64,) = with_pool!(self, |p| sqlx::query_as(
            "SELECT COUNT(*) FROM users WHERE role = 'patient'"
        )
        .fetch_one(p)
        .await?);
        Ok(n)
    }
}
