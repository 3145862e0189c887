//! Domain records the store reads and writes. No sqlx types appear here.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// What a user may do is decided by their role and, for clinicians, their care teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Patient,
    Clinician,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Patient, Role::Clinician, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Patient => "patient",
            Role::Clinician => "clinician",
            Role::Admin => "admin",
        }
    }

    /// Parses the stored or user-supplied name of a role.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clinic {
    pub id: Uuid,
    pub name: String,
    pub created_at: OffsetDateTime,
}

/// A clinician's professional licence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licence {
    pub number: String,
    pub jurisdiction: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: Uuid,
    pub clinic_id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    /// Set for clinicians only.
    pub licence: Option<Licence>,
    /// Set for patients only.
    pub date_of_birth: Option<Date>,
    /// A patient's presenting story in a sentence or two, for the caseload.
    pub summary: Option<String>,
    pub created_at: OffsetDateTime,
    /// A patient's phone number as staff entered it (`physio_clinic::contact::check_phone`);
    /// `None` when none is on record.
    pub phone: Option<String>,
}

/// A user together with what login needs; never leaves the server.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    pub failed_logins: i32,
    pub locked_until: Option<OffsetDateTime>,
    /// The password was chosen by an admin: the user must choose their own.
    pub must_change_password: bool,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub clinic_id: Uuid,
    /// Stored lower-cased; unique across the installation.
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
    pub licence: Option<Licence>,
    pub date_of_birth: Option<Date>,
    pub summary: Option<String>,
}

/// Which patients to list.
#[derive(Debug, Clone, Default)]
pub struct PatientFilter {
    /// Only patients on this clinician's care team.
    pub clinician_id: Option<Uuid>,
    /// Case-insensitive match on name, e-mail or summary.
    pub search: Option<String>,
    pub include_inactive: bool,
}

/// One clinician on one patient's care team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CareTeamMember {
    pub patient_id: Uuid,
    pub clinician_id: Uuid,
    pub clinician_name: String,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub id: Uuid,
    pub user_id: Uuid,
    pub clinic_id: Uuid,
    pub csrf_token: String,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub user_id: Uuid,
    pub clinic_id: Uuid,
    pub csrf_token: String,
    pub expires_at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: Uuid,
    pub user_id: Uuid,
    pub clinic_id: Uuid,
    pub name: String,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
    /// After this the token no longer works.
    pub expires_at: OffsetDateTime,
    pub scope: TokenScope,
}

/// What an API token may do: read only, or also change things (never create tokens: that
/// takes a signed-in session).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    Read,
    ReadWrite,
}

impl TokenScope {
    pub const ALL: [TokenScope; 2] = [TokenScope::Read, TokenScope::ReadWrite];

    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::ReadWrite => "read_write",
        }
    }

    /// Parses the stored or user-supplied name of a scope.
    pub fn parse(s: &str) -> Option<TokenScope> {
        TokenScope::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// How long a token lasts when nobody chose: the default for new tokens, and for a token made
/// before tokens had an expiry, counted from its creation.
pub const LEGACY_TOKEN_LIFETIME: time::Duration = time::Duration::days(90);
