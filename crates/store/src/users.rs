//! Clinics, users and care teams: who works or is cared for where, and who looks after whom.

use sqlx::FromRow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{
    CareTeamMember, Clinic, Credentials, Db, Licence, NewUser, PatientFilter, Result, Role,
    StoreError, Tx, User, db_time,
};

impl Db {
    pub async fn clinic(&self, id: Uuid) -> Result<Clinic> {
        let row: Option<ClinicRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, name, created_at FROM clinics WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(p)
        .await?);
        row.map(Clinic::from).ok_or(StoreError::NotFound("clinic"))
    }

    /// The clinic's time zone as an IANA name (such as `Europe/London`); `None` when the clinic
    /// has not chosen one and the server's default applies.
    pub async fn clinic_time_zone(&self, clinic_id: Uuid) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> =
            with_pool!(self, |p| sqlx::query_as("SELECT time_zone FROM clinics WHERE id = $1")
                .bind(clinic_id)
                .fetch_optional(p)
                .await?);
        row.map(|(zone,)| zone).ok_or(StoreError::NotFound("clinic"))
    }

    /// How patients reach the clinic, as its admin wrote it; `None` until set.
    pub async fn clinic_contact(&self, clinic_id: Uuid) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> =
            with_pool!(self, |p| sqlx::query_as("SELECT contact FROM clinics WHERE id = $1")
                .bind(clinic_id)
                .fetch_optional(p)
                .await?);
        row.map(|(contact,)| contact).ok_or(StoreError::NotFound("clinic"))
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
            ", password_hash, failed_logins, locked_until, must_change_password
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
                must_change_password: r.must_change_password,
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

    /// Patients of a clinic matching `filter`, ordered by name.
    pub async fn patients(&self, clinic_id: Uuid, filter: &PatientFilter) -> Result<Vec<User>> {
        let search = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", s.to_lowercase().replace(['%', '_'], "")));
        // A caseload is found from the clinician's care-team rows (an index), not by testing
        // every patient of the clinic; the whole clinic is read only when it is asked for.
        let rows: Vec<UserRow> = match filter.clinician_id {
            Some(clinician) => with_pool!(self, |p| sqlx::query_as(concat!(
                "SELECT ",
                user_columns!(),
                " FROM users u
                 WHERE u.id IN (SELECT t.patient_id FROM care_team t WHERE t.clinician_id = $2)
                   AND u.clinic_id = $1 AND u.role = 'patient'
                   AND ($3 IS NULL OR lower(u.name) LIKE $3 OR lower(u.email) LIKE $3
                        OR lower(coalesce(u.summary, '')) LIKE $3)
                   AND ($4 OR u.active)
                 ORDER BY u.name, u.id"
            ))
            .bind(clinic_id)
            .bind(clinician)
            .bind(search)
            .bind(filter.include_inactive)
            .fetch_all(p)
            .await?),
            None => with_pool!(self, |p| sqlx::query_as(concat!(
                "SELECT ",
                user_columns!(),
                " FROM users u
                 WHERE u.clinic_id = $1 AND u.role = 'patient'
                   AND ($2 IS NULL OR lower(u.name) LIKE $2 OR lower(u.email) LIKE $2
                        OR lower(coalesce(u.summary, '')) LIKE $2)
                   AND ($3 OR u.active)
                 ORDER BY u.name, u.id"
            ))
            .bind(clinic_id)
            .bind(search)
            .bind(filter.include_inactive)
            .fetch_all(p)
            .await?),
        };
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
    /// The care teams of a clinician's caseload (every patient they are on the team of, with
    /// all of that patient's clinicians), or of the whole clinic with `None`.
    pub async fn caseload_care_teams(
        &self,
        clinic_id: Uuid,
        clinician_id: Option<Uuid>,
    ) -> Result<Vec<CareTeamMember>> {
        let rows: Vec<CareTeamRow> = match clinician_id {
            // From the clinician's own care-team rows (an index), as `patients` does.
            Some(clinician) => with_pool!(self, |p| sqlx::query_as(
                "SELECT t.patient_id, t.clinician_id, c.name AS clinician_name
                 FROM care_team t JOIN users c ON c.id = t.clinician_id
                 WHERE t.patient_id IN
                       (SELECT mine.patient_id FROM care_team mine WHERE mine.clinician_id = $2)
                   AND t.clinic_id = $1
                 ORDER BY c.name, c.id"
            )
            .bind(clinic_id)
            .bind(clinician)
            .fetch_all(p)
            .await?),
            None => return self.care_teams(clinic_id, None).await,
        };
        Ok(rows.into_iter().map(CareTeamMember::from).collect())
    }

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
        Ok(rows.into_iter().map(CareTeamMember::from).collect())
    }
}

impl Tx {
    /// Creates a clinic with two-step sign-in for staff off; the installation path
    /// (`care::operator::add_clinic`) turns it on.
    pub async fn create_clinic(&mut self, name: &str, now: OffsetDateTime) -> Result<Clinic> {
        let c =
            Clinic { id: Uuid::now_v7(), name: name.trim().to_owned(), created_at: db_time(now) };
        with_pool!(self.db, |p| sqlx::query(
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

    /// Creates a user. A clinician must have a licence; e-mails are unique (case-insensitive).
    pub async fn create_user(&mut self, new: &NewUser, now: OffsetDateTime) -> Result<User> {
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
            phone: None,
        };
        let (num, jur) = match &user.licence {
            Some(l) => (Some(l.number.as_str()), Some(l.jurisdiction.as_str())),
            None => (None, None),
        };
        with_pool!(self.db, |p| sqlx::query(
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

    /// Activates or deactivates a user of `clinic_id`. Deactivating also ends their sessions
    /// and revokes their API tokens, in the same transaction.
    /// Sets the clinic's time zone (an IANA name, checked by the caller), or clears it back to
    /// the server's default with `None`.
    pub async fn set_clinic_time_zone(
        &mut self,
        clinic_id: Uuid,
        zone: Option<&str>,
    ) -> Result<()> {
        let n =
            with_pool!(self.db, |p| sqlx::query("UPDATE clinics SET time_zone = $1 WHERE id = $2")
                .bind(zone)
                .bind(clinic_id)
                .execute(p)
                .await?
                .rows_affected());
        if n == 0 { Err(StoreError::NotFound("clinic")) } else { Ok(()) }
    }

    /// Sets how patients reach the clinic (checked by the caller), or clears it with `None`.
    pub async fn set_clinic_contact(
        &mut self,
        clinic_id: Uuid,
        contact: Option<&str>,
    ) -> Result<()> {
        let n =
            with_pool!(self.db, |p| sqlx::query("UPDATE clinics SET contact = $1 WHERE id = $2")
                .bind(contact)
                .bind(clinic_id)
                .execute(p)
                .await?
                .rows_affected());
        if n == 0 { Err(StoreError::NotFound("clinic")) } else { Ok(()) }
    }

    pub async fn set_user_active(
        &mut self,
        clinic_id: Uuid,
        id: Uuid,
        active: bool,
        now: OffsetDateTime,
    ) -> Result<User> {
        let now = db_time(now);
        let changed = with_tx!(self, |tx| {
            let n = sqlx::query("UPDATE users SET active = $1 WHERE id = $2 AND clinic_id = $3")
                .bind(active)
                .bind(id)
                .bind(clinic_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            // Not this clinic's user (n == 0): touch nothing of theirs.
            if !active && n > 0 {
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
            n
        });
        if changed == 0 {
            return Err(StoreError::NotFound("user"));
        }
        self.user(id).await
    }

    pub async fn set_password_hash(&mut self, id: Uuid, hash: &str) -> Result<()> {
        let n = with_pool!(self.db, |p| sqlx::query(
            "UPDATE users SET password_hash = $1 WHERE id = $2"
        )
        .bind(hash)
        .bind(id)
        .execute(p)
        .await?
        .rows_affected());
        if n == 0 { Err(StoreError::NotFound("user")) } else { Ok(()) }
    }

    /// Replaces a patient's care team. Every id must be an active clinician of the patient's
    /// clinic, and there must be at least one; otherwise nothing changes.
    pub async fn set_care_team(
        &mut self,
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
        with_tx!(self, |tx| {
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
        });
        self.care_teams(clinic_id, Some(patient_id)).await
    }
}

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
    phone: Option<String>,
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
            phone: r.phone,
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
    must_change_password: bool,
}

#[derive(FromRow)]
struct CareTeamRow {
    patient_id: Uuid,
    clinician_id: Uuid,
    clinician_name: String,
}

impl From<CareTeamRow> for CareTeamMember {
    fn from(r: CareTeamRow) -> Self {
        CareTeamMember {
            patient_id: r.patient_id,
            clinician_id: r.clinician_id,
            clinician_name: r.clinician_name,
        }
    }
}
