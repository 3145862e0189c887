//! Storage for Physio: one `Store` over two backends, SQLite (embedded, the default) and
//! PostgreSQL, chosen by the database URL.
//!
//! Every query is written once and compiled for both backends by the `with_pool!` macro; the
//! schemas differ only in column types and live in `migrations/{sqlite,postgres}`. No sqlx type
//! appears in the public interface. Timestamps are UTC and truncated to microseconds, which is
//! what PostgreSQL keeps, so a value reads back exactly as written on both backends.

// Column lists as macros, so queries stay `&'static str` (sqlx only takes SQL it can trust).
macro_rules! user_columns {
    () => {
        "id, clinic_id, email, name, role, active, licence_number, licence_jurisdiction, \
         date_of_birth, summary, created_at"
    };
}
macro_rules! audit_columns {
    () => {
        "seq, id, at, clinic_id, actor_id, actor_role, action, resource, patient_id, outcome, \
         request_id, prev_hash, hash"
    };
}

/// Runs the same code against whichever pool the store holds.
macro_rules! with_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.pool {
            Pool::Sqlite($pool) => $body,
            Pool::Postgres($pool) => $body,
        }
    };
}

pub mod audit;
mod episodes;
mod exercise;
pub mod model;
pub mod testing;

use std::{borrow::Cow, path::Path, str::FromStr, time::Duration};

use sqlx::{
    FromRow, PgPool, SqlitePool,
    migrate::{Migration, MigrationType, Migrator},
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use time::{Date, OffsetDateTime, UtcOffset};
use uuid::Uuid;

pub use audit::{AuditBreak, AuditEvent, AuditOutcome, AuditVerification, NewAuditEvent};
pub use episodes::*;
pub use exercise::*;
pub use model::*;

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
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            use sqlx::error::ErrorKind;
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

#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
}

/// Current time as stored: UTC, microseconds.
pub fn db_time(t: OffsetDateTime) -> OffsetDateTime {
    let t = t.to_offset(UtcOffset::UTC);
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

impl Store {
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
            Ok(Store { pool: Pool::Postgres(pool) })
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
    /// synchronous commits, so an acknowledged commit survives a power cut.
    pub async fn open_sqlite(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Database(format!("creating {}: {e}", dir.display())))?;
        }
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(opts).await?;
        Ok(Store { pool: Pool::Sqlite(pool) })
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies any migrations not yet applied. Safe to run at every start.
    pub async fn migrate(&self) -> Result<()> {
        let r = match &self.pool {
            Pool::Sqlite(p) => migrator(SQLITE_MIGRATIONS).run(p).await,
            Pool::Postgres(p) => migrator(POSTGRES_MIGRATIONS).run(p).await,
        };
        r.map_err(|e| StoreError::Migration(e.to_string()))
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<()> {
        with_pool!(self, |p| sqlx::query("SELECT 1").execute(p).await.map(drop)?);
        Ok(())
    }

    pub async fn close(&self) {
        with_pool!(self, |p| p.close().await)
    }

    // ----- clinics -----

    pub async fn create_clinic(&self, name: &str, now: OffsetDateTime) -> Result<Clinic> {
        let c =
            Clinic { id: Uuid::now_v7(), name: name.trim().to_owned(), created_at: db_time(now) };
        with_pool!(self, |p| sqlx::query(
            "INSERT INTO clinics (id, name, created_at) VALUES ($1, $2, $3)"
        )
        .bind(c.id)
        .bind(&c.name)
        .bind(c.created_at)
        .execute(p)
        .await?
        .rows_affected());
        Ok(c)
    }

    pub async fn clinic(&self, id: Uuid) -> Result<Clinic> {
        let row: Option<ClinicRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, name, created_at FROM clinics WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.map(Clinic::from).ok_or(StoreError::NotFound("clinic"))
    }

    pub async fn clinic_by_name(&self, name: &str) -> Result<Option<Clinic>> {
        let row: Option<ClinicRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, name, created_at FROM clinics WHERE name = $1"
        )
        .bind(name.trim())
        .fetch_optional(p)
        .await?);
        Ok(row.map(Clinic::from))
    }

    pub async fn clinics(&self) -> Result<Vec<Clinic>> {
        let rows: Vec<ClinicRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, name, created_at FROM clinics ORDER BY name"
        )
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(Clinic::from).collect())
    }

    // ----- users -----

    /// Creates a user. A clinician must have a licence; e-mails are unique (case-insensitive).
    pub async fn create_user(&self, new: &NewUser, now: OffsetDateTime) -> Result<User> {
        let user = User {
            id: Uuid::now_v7(),
            clinic_id: new.clinic_id,
            email: new.email.trim().to_lowercase(),
            name: new.name.trim().to_owned(),
            role: new.role,
            active: true,
            licence: new.licence.clone(),
            date_of_birth: new.date_of_birth,
            summary: new.summary.clone(),
            created_at: db_time(now),
        };
        let (num, jur) = match &user.licence {
            Some(l) => (Some(l.number.as_str()), Some(l.jurisdiction.as_str())),
            None => (None, None),
        };
        with_pool!(self, |p| sqlx::query(
            "INSERT INTO users (id, clinic_id, email, name, role, active, password_hash,
                licence_number, licence_jurisdiction, date_of_birth, summary, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        )
        .bind(user.id)
        .bind(user.clinic_id)
        .bind(&user.email)
        .bind(&user.name)
        .bind(user.role.as_str())
        .bind(user.active)
        .bind(&new.password_hash)
        .bind(num)
        .bind(jur)
        .bind(user.date_of_birth)
        .bind(&user.summary)
        .bind(user.created_at)
        .execute(p)
        .await?
        .rows_affected());
        Ok(user)
    }

    pub async fn user(&self, id: Uuid) -> Result<User> {
        let row: Option<UserRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.map(User::try_from).transpose()?.ok_or(StoreError::NotFound("user"))
    }

    /// The user and what login needs, looked up by e-mail (case-insensitive).
    pub async fn credentials(&self, email: &str) -> Result<Option<Credentials>> {
        let row: Option<CredentialsRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            user_columns!(),
            ", password_hash, failed_logins, locked_until
             FROM users WHERE email = $1"
        ))
        .bind(email.trim().to_lowercase())
        .fetch_optional(p)
        .await?);
        row.map(|r| {
            Ok(Credentials {
                user: User::try_from(r.user)?,
                password_hash: r.password_hash,
                failed_logins: r.failed_logins,
                locked_until: r.locked_until,
            })
        })
        .transpose()
    }

    /// Users of a clinic, optionally of one role, ordered by name.
    pub async fn users(&self, clinic_id: Uuid, role: Option<Role>) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users
             WHERE clinic_id = $1 AND ($2 IS NULL OR role = $2)
             ORDER BY name, id"
        ))
        .bind(clinic_id)
        .bind(role.map(Role::as_str))
        .fetch_all(p)
        .await?);
        rows.into_iter().map(User::try_from).collect()
    }

    /// Activates or deactivates a user of `clinic_id`. Deactivating also ends their sessions
    /// and revokes their API tokens, in the same transaction.
    pub async fn set_user_active(
        &self,
        clinic_id: Uuid,
        id: Uuid,
        active: bool,
        now: OffsetDateTime,
    ) -> Result<User> {
        let now = db_time(now);
        let changed = with_pool!(self, |p| {
            let mut tx = p.begin().await?;
            let n = sqlx::query("UPDATE users SET active = $1 WHERE id = $2 AND clinic_id = $3")
                .bind(active)
                .bind(id)
                .bind(clinic_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if !active {
                sqlx::query(
                    "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
                )
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            n
        });
        if changed == 0 {
            return Err(StoreError::NotFound("user"));
        }
        self.user(id).await
    }

    pub async fn set_password_hash(&self, id: Uuid, hash: &str) -> Result<()> {
        let n =
            with_pool!(self, |p| sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(hash)
                .bind(id)
                .execute(p)
                .await?
                .rows_affected());
        if n == 0 { Err(StoreError::NotFound("user")) } else { Ok(()) }
    }

    /// Counts a failed login; from `lock_after` consecutive failures on, the account is
    /// locked until `now + lock_for`. Returns the lock time if the account is now locked.
    pub async fn record_login_failure(
        &self,
        id: Uuid,
        now: OffsetDateTime,
        lock_after: i32,
        lock_for: time::Duration,
    ) -> Result<Option<OffsetDateTime>> {
        let until = db_time(now + lock_for);
        let locked: Option<OffsetDateTime> = with_pool!(self, |p| sqlx::query_scalar(
            "UPDATE users SET failed_logins = failed_logins + 1,
                locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END
             WHERE id = $1 RETURNING locked_until"
        )
        .bind(id)
        .bind(lock_after)
        .bind(until)
        .fetch_one(p)
        .await?);
        Ok(locked.filter(|t| *t > now))
    }

    pub async fn record_login_success(&self, id: Uuid) -> Result<()> {
        with_pool!(self, |p| sqlx::query(
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1"
        )
        .bind(id)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    // ----- patients and care teams -----

    /// Patients of a clinic matching `filter`, ordered by name.
    pub async fn patients(&self, clinic_id: Uuid, filter: &PatientFilter) -> Result<Vec<User>> {
        let search = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", s.to_lowercase().replace(['%', '_'], "")));
        let rows: Vec<UserRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users u
             WHERE u.clinic_id = $1 AND u.role = 'patient'
               AND ($2 IS NULL OR EXISTS (
                   SELECT 1 FROM care_team t WHERE t.patient_id = u.id AND t.clinician_id = $2))
               AND ($3 IS NULL OR lower(u.name) LIKE $3 OR lower(u.email) LIKE $3
                    OR lower(coalesce(u.summary, '')) LIKE $3)
               AND ($4 OR u.active)
             ORDER BY u.name, u.id"
        ))
        .bind(clinic_id)
        .bind(filter.clinician_id)
        .bind(search)
        .bind(filter.include_inactive)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(User::try_from).collect()
    }

    /// A patient of `clinic_id`; another clinic's patient is not found.
    pub async fn patient(&self, clinic_id: Uuid, id: Uuid) -> Result<User> {
        match self.user(id).await {
            Ok(u) if u.clinic_id == clinic_id && u.role == Role::Patient => Ok(u),
            Ok(_) | Err(StoreError::NotFound(_)) => Err(StoreError::NotFound("patient")),
            Err(e) => Err(e),
        }
    }

    /// Whether `clinician_id` is on `patient_id`'s care team.
    pub async fn on_care_team(&self, clinician_id: Uuid, patient_id: Uuid) -> Result<bool> {
        let n: i64 = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT count(*) FROM care_team WHERE clinician_id = $1 AND patient_id = $2"
        )
        .bind(clinician_id)
        .bind(patient_id)
        .fetch_one(p)
        .await?);
        Ok(n > 0)
    }

    /// Care-team links of a clinic, or of one patient.
    pub async fn care_teams(
        &self,
        clinic_id: Uuid,
        patient_id: Option<Uuid>,
    ) -> Result<Vec<CareTeamMember>> {
        let rows: Vec<CareTeamRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT t.patient_id, t.clinician_id, c.name AS clinician_name
             FROM care_team t JOIN users c ON c.id = t.clinician_id
             WHERE t.clinic_id = $1 AND ($2 IS NULL OR t.patient_id = $2)
             ORDER BY c.name, c.id"
        )
        .bind(clinic_id)
        .bind(patient_id)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(|r| CareTeamMember {
                patient_id: r.patient_id,
                clinician_id: r.clinician_id,
                clinician_name: r.clinician_name,
            })
            .collect())
    }

    /// Replaces a patient's care team. Every id must be an active clinician of the patient's
    /// clinic, and there must be at least one; otherwise nothing changes.
    pub async fn set_care_team(
        &self,
        clinic_id: Uuid,
        patient_id: Uuid,
        clinician_ids: &[Uuid],
        now: OffsetDateTime,
    ) -> Result<Vec<CareTeamMember>> {
        self.patient(clinic_id, patient_id).await?;
        if clinician_ids.is_empty() {
            return Err(StoreError::Conflict("a care team needs at least one clinician".into()));
        }
        for &c in clinician_ids {
            match self.user(c).await {
                Ok(u) if u.clinic_id == clinic_id && u.role == Role::Clinician && u.active => {}
                Ok(_) | Err(StoreError::NotFound(_)) => {
                    return Err(StoreError::Conflict(format!(
                        "{c} is not an active clinician of this clinic"
                    )));
                }
                Err(e) => return Err(e),
            }
        }
        let now = db_time(now);
        with_pool!(self, |p| {
            let mut tx = p.begin().await?;
            sqlx::query("DELETE FROM care_team WHERE patient_id = $1")
                .bind(patient_id)
                .execute(&mut *tx)
                .await?;
            for &c in clinician_ids {
                sqlx::query(
                    "INSERT INTO care_team (clinic_id, patient_id, clinician_id, created_at)
                     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                )
                .bind(clinic_id)
                .bind(patient_id)
                .bind(c)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        self.care_teams(clinic_id, Some(patient_id)).await
    }

    // ----- sessions -----

    pub async fn create_session(&self, new: &NewSession, now: OffsetDateTime) -> Result<Session> {
        let now = db_time(now);
        let s = Session {
            id: Uuid::now_v7(),
            user_id: new.user_id,
            clinic_id: new.clinic_id,
            csrf_token: new.csrf_token.clone(),
            created_at: now,
            last_seen_at: now,
            expires_at: db_time(new.expires_at),
            revoked_at: None,
        };
        with_pool!(self, |p| sqlx::query(
            "INSERT INTO sessions (id, token_hash, user_id, clinic_id, csrf_token, created_at,
                last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )
        .bind(s.id)
        .bind(&new.token_hash)
        .bind(s.user_id)
        .bind(s.clinic_id)
        .bind(&s.csrf_token)
        .bind(s.created_at)
        .bind(s.last_seen_at)
        .bind(s.expires_at)
        .execute(p)
        .await?
        .rows_affected());
        Ok(s)
    }

    pub async fn session_by_token_hash(&self, token_hash: &str) -> Result<Option<Session>> {
        let row: Option<SessionRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, user_id, clinic_id, csrf_token, created_at, last_seen_at, expires_at, revoked_at
             FROM sessions WHERE token_hash = $1"
        )
        .bind(token_hash)
        .fetch_optional(p)
        .await?
        });
        Ok(row.map(Session::from))
    }

    pub async fn touch_session(&self, id: Uuid, now: OffsetDateTime) -> Result<()> {
        with_pool!(self, |p| sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(db_time(now))
            .bind(id)
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }

    pub async fn revoke_session(&self, id: Uuid, now: OffsetDateTime) -> Result<()> {
        with_pool!(self, |p| sqlx::query(
            "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL"
        )
        .bind(db_time(now))
        .bind(id)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    // ----- API tokens -----

    pub async fn create_api_token(
        &self,
        user: &User,
        name: &str,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<ApiToken> {
        let t = ApiToken {
            id: Uuid::now_v7(),
            user_id: user.id,
            clinic_id: user.clinic_id,
            name: name.trim().to_owned(),
            created_at: db_time(now),
            last_used_at: None,
            revoked_at: None,
        };
        with_pool!(self, |p| sqlx::query(
            "INSERT INTO api_tokens (id, token_hash, user_id, clinic_id, name, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(t.id)
        .bind(token_hash)
        .bind(t.user_id)
        .bind(t.clinic_id)
        .bind(&t.name)
        .bind(t.created_at)
        .execute(p)
        .await?
        .rows_affected());
        Ok(t)
    }

    /// A token that is not revoked, by the hash of its secret; marks it used.
    pub async fn use_api_token(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<ApiToken>> {
        let row: Option<ApiTokenRow> = with_pool!(self, |p| sqlx::query_as(
            "UPDATE api_tokens SET last_used_at = $2
             WHERE token_hash = $1 AND revoked_at IS NULL
             RETURNING id, user_id, clinic_id, name, created_at, last_used_at, revoked_at"
        )
        .bind(token_hash)
        .bind(db_time(now))
        .fetch_optional(p)
        .await?);
        Ok(row.map(ApiToken::from))
    }

    pub async fn api_tokens(&self, user_id: Uuid) -> Result<Vec<ApiToken>> {
        let rows: Vec<ApiTokenRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, user_id, clinic_id, name, created_at, last_used_at, revoked_at
             FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id"
        )
        .bind(user_id)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(ApiToken::from).collect())
    }

    /// Revokes one of `user_id`'s tokens; someone else's token is not found.
    pub async fn revoke_api_token(
        &self,
        user_id: Uuid,
        id: Uuid,
        now: OffsetDateTime,
    ) -> Result<()> {
        let n = with_pool!(self, |p| {
            sqlx::query(
            "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $3) WHERE id = $1 AND user_id = $2"
        )
        .bind(id)
        .bind(user_id)
        .bind(db_time(now))
        .execute(p)
        .await?
        .rows_affected()
        });
        if n == 0 { Err(StoreError::NotFound("token")) } else { Ok(()) }
    }

    // ----- audit -----

    /// Appends a record to the audit chain. The head row is locked for the transaction, so
    /// concurrent appends (several server processes on PostgreSQL) queue instead of forking.
    pub async fn append_audit(&self, e: &NewAuditEvent) -> Result<AuditEvent> {
        let mut event = AuditEvent {
            seq: 0,
            id: Uuid::now_v7(),
            at: db_time(e.at),
            clinic_id: e.clinic_id,
            actor_id: e.actor_id,
            actor_role: e.actor_role.map(|r| r.as_str().to_owned()),
            action: e.action.clone(),
            resource: e.resource.clone(),
            patient_id: e.patient_id,
            outcome: e.outcome.as_str().to_owned(),
            request_id: e.request_id.clone(),
            prev_hash: String::new(),
            hash: String::new(),
        };
        with_pool!(self, |p| {
            let mut tx = p.begin().await?;
            let (seq, prev): (i64, String) = sqlx::query_as(
                "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
            )
            .fetch_one(&mut *tx)
            .await?;
            event.seq = seq;
            event.hash = event.expected_hash(&prev);
            event.prev_hash = prev;
            sqlx::query(
                "INSERT INTO audit_log (seq, id, at, clinic_id, actor_id, actor_role, action,
                    resource, patient_id, outcome, request_id, prev_hash, hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(event.seq)
            .bind(event.id)
            .bind(event.at)
            .bind(event.clinic_id)
            .bind(event.actor_id)
            .bind(&event.actor_role)
            .bind(&event.action)
            .bind(&event.resource)
            .bind(event.patient_id)
            .bind(&event.outcome)
            .bind(&event.request_id)
            .bind(&event.prev_hash)
            .bind(&event.hash)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
                .bind(&event.hash)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(event)
    }

    /// The newest audit records of a clinic (or of one of its patients), newest first.
    pub async fn audit_events(
        &self,
        clinic_id: Uuid,
        patient_id: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<AuditEvent>> {
        let rows: Vec<AuditRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            audit_columns!(),
            " FROM audit_log
             WHERE clinic_id = $1 AND ($2 IS NULL OR patient_id = $2)
             ORDER BY seq DESC LIMIT $3"
        ))
        .bind(clinic_id)
        .bind(patient_id)
        .bind(limit)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(AuditEvent::from).collect())
    }

    /// Up to `limit` audit records from sequence number `from_seq` on, in chain order.
    pub async fn audit_range(&self, from_seq: i64, limit: i64) -> Result<Vec<AuditEvent>> {
        let rows: Vec<AuditRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            audit_columns!(),
            " FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2"
        ))
        .bind(from_seq)
        .bind(limit)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(AuditEvent::from).collect())
    }

    /// Walks the whole audit chain in order, a page at a time, and reports the first break.
    pub async fn verify_audit(&self) -> Result<AuditVerification> {
        const PAGE: i64 = 1000;
        let mut walker = audit::ChainWalker::new();
        let mut from = i64::MIN;
        loop {
            let page = self.audit_range(from, PAGE).await?;
            for e in &page {
                if let Some(b) = walker.check(e) {
                    return Ok(AuditVerification { records: walker.records, first_break: Some(b) });
                }
            }
            match page.last() {
                Some(last) if page.len() as i64 == PAGE => from = last.seq + 1,
                _ => break,
            }
        }
        let (head_seq, head_hash): (i64, String) =
            with_pool!(self, |p| sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
                .fetch_one(p)
                .await?);
        Ok(AuditVerification {
            records: walker.records,
            first_break: walker.finish(head_seq, &head_hash),
        })
    }

    /// Runs raw SQL. For tests that simulate an attacker with direct database access.
    #[doc(hidden)]
    pub async fn execute_unchecked(&self, sql: &str) -> Result<u64> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        Ok(with_pool!(self, |p| sqlx::raw_sql(sql).execute(p).await?.rows_affected()))
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
];
static POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../migrations/postgres/0001_foundation.sql")),
    (2, "episodes", include_str!("../migrations/postgres/0002_episodes.sql")),
    (3, "exercise_sessions", include_str!("../migrations/postgres/0003_exercise_sessions.sql")),
    (4, "milestones", include_str!("../migrations/postgres/0004_milestones.sql")),
    (5, "exercise_references", include_str!("../migrations/postgres/0005_exercise_references.sql")),
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

// ----- row mapping -----

#[derive(FromRow)]
struct ClinicRow {
    id: Uuid,
    name: String,
    created_at: OffsetDateTime,
}

impl From<ClinicRow> for Clinic {
    fn from(r: ClinicRow) -> Self {
        Clinic { id: r.id, name: r.name, created_at: r.created_at }
    }
}

#[derive(FromRow)]
struct UserRow {
    id: Uuid,
    clinic_id: Uuid,
    email: String,
    name: String,
    role: String,
    active: bool,
    licence_number: Option<String>,
    licence_jurisdiction: Option<String>,
    date_of_birth: Option<Date>,
    summary: Option<String>,
    created_at: OffsetDateTime,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<Self> {
        let role = Role::parse(&r.role)
            .ok_or_else(|| StoreError::Database(format!("unknown role {:?} in users", r.role)))?;
        let licence = match (r.licence_number, r.licence_jurisdiction) {
            (Some(number), Some(jurisdiction)) => Some(Licence { number, jurisdiction }),
            _ => None,
        };
        Ok(User {
            id: r.id,
            clinic_id: r.clinic_id,
            email: r.email,
            name: r.name,
            role,
            active: r.active,
            licence,
            date_of_birth: r.date_of_birth,
            summary: r.summary,
            created_at: r.created_at,
        })
    }
}

#[derive(FromRow)]
struct CredentialsRow {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: String,
    failed_logins: i32,
    locked_until: Option<OffsetDateTime>,
}

#[derive(FromRow)]
struct CareTeamRow {
    patient_id: Uuid,
    clinician_id: Uuid,
    clinician_name: String,
}

#[derive(FromRow)]
struct SessionRow {
    id: Uuid,
    user_id: Uuid,
    clinic_id: Uuid,
    csrf_token: String,
    created_at: OffsetDateTime,
    last_seen_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    revoked_at: Option<OffsetDateTime>,
}

impl From<SessionRow> for Session {
    fn from(r: SessionRow) -> Self {
        Session {
            id: r.id,
            user_id: r.user_id,
            clinic_id: r.clinic_id,
            csrf_token: r.csrf_token,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
        }
    }
}

#[derive(FromRow)]
struct ApiTokenRow {
    id: Uuid,
    user_id: Uuid,
    clinic_id: Uuid,
    name: String,
    created_at: OffsetDateTime,
    last_used_at: Option<OffsetDateTime>,
    revoked_at: Option<OffsetDateTime>,
}

impl From<ApiTokenRow> for ApiToken {
    fn from(r: ApiTokenRow) -> Self {
        ApiToken {
            id: r.id,
            user_id: r.user_id,
            clinic_id: r.clinic_id,
            name: r.name,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        }
    }
}

#[derive(FromRow)]
struct AuditRow {
    seq: i64,
    id: Uuid,
    at: OffsetDateTime,
    clinic_id: Option<Uuid>,
    actor_id: Option<Uuid>,
    actor_role: Option<String>,
    action: String,
    resource: String,
    patient_id: Option<Uuid>,
    outcome: String,
    request_id: Option<String>,
    prev_hash: String,
    hash: String,
}

impl From<AuditRow> for AuditEvent {
    fn from(r: AuditRow) -> Self {
        AuditEvent {
            seq: r.seq,
            id: r.id,
            at: r.at,
            clinic_id: r.clinic_id,
            actor_id: r.actor_id,
            actor_role: r.actor_role,
            action: r.action,
            resource: r.resource,
            patient_id: r.patient_id,
            outcome: r.outcome,
            request_id: r.request_id,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}
