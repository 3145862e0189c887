//! Accounts and care teams, managed by a clinic's admins: adding a user, activating or
//! deactivating one, and choosing who looks after a patient.

use physio_store::{AccountTokenPurpose, CareTeamMember, Licence, NewUser, Role, StoreError, User};
use time::Date;
use uuid::Uuid;

use crate::{
    auth,
    auth::{Principal, links, links::IssuedLink},
    care::Act,
    error::ApiError,
    state::AppState,
};

/// How a new account gets its password.
#[derive(Debug, Clone)]
pub enum InitialPassword {
    /// An invitation link (e-mailed when the server can send e-mail): the person chooses their
    /// own password. What the pages do.
    Invite,
    /// A password someone else chose (an admin through the API, a generated one at the command
    /// line): it works, but the person is asked to choose their own at their first sign-in.
    Temporary(String),
    /// The person's own password: the operator making their own admin account.
    Own(String),
    /// The demo clinic's password, published in its instructions: not checked for strength,
    /// since everyone knows it anyway. Only `physio demo` uses it; no request can.
    Demo(String),
}

/// A new account as typed in. Clinicians need a licence number and jurisdiction.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password: InitialPassword,
    pub licence_number: Option<String>,
    pub licence_jurisdiction: Option<String>,
    pub date_of_birth: Option<Date>,
    pub summary: Option<String>,
}

const ADMINS_ONLY: &str = "only the clinic's admins manage accounts";

fn audit_subject(act: &mut Act<'_>, u: &User) {
    if u.role == Role::Patient {
        act.about(u.id);
    }
}

/// The clinic's accounts, optionally of one role.
pub async fn list(
    state: &AppState,
    p: &Principal,
    role: Option<Role>,
) -> Result<Vec<User>, ApiError> {
    let act = Act::new(state, p, "list", "user");
    let r = async {
        act.require_role(Role::Admin, ADMINS_ONLY)?;
        Ok(act.store().users(p.user.clinic_id, role).await?)
    }
    .await;
    act.finish(r).await
}

/// One account of the clinic.
pub async fn get(state: &AppState, p: &Principal, id: Uuid) -> Result<User, ApiError> {
    let mut act = Act::new(state, p, "read", "user");
    let r = async {
        act.require_role(Role::Admin, ADMINS_ONLY)?;
        let u = clinic_user(&act, id).await?;
        audit_subject(&mut act, &u);
        Ok(u)
    }
    .await;
    act.finish(r).await
}

/// An account just made, with its invitation link when it got one.
#[derive(Debug, Clone)]
pub struct Added {
    pub user: User,
    pub invitation: Option<IssuedLink>,
}

/// Validates and creates an account; without a password it gets an invitation link, e-mailed
/// once the account is committed when the server can send e-mail.
pub async fn add(state: &AppState, p: &Principal, req: NewAccount) -> Result<Added, ApiError> {
    let resource = if req.role == Role::Patient { "patient" } else { "user" };
    let mut act = Act::new(state, p, "create", resource);
    let initial = req.password.clone();
    let r = async {
        act.require_role(Role::Admin, ADMINS_ONLY)?;
        let new = validate(p.user.clinic_id, req, act.now().date())?;
        let now = act.now();
        let tx = act.tx().await?;
        let u = match tx.create_user(&new, now).await {
            Ok(u) => u,
            Err(StoreError::Conflict(what)) if what.contains("email") => {
                return Err(ApiError::Conflict(
                    "an account with this e-mail address already exists".into(),
                ));
            }
            Err(e) => return Err(e.into()),
        };
        let invitation = match initial {
            InitialPassword::Invite => {
                Some(links::issue_link(state, tx, &u, AccountTokenPurpose::Invitation).await?)
            }
            InitialPassword::Temporary(_) => {
                tx.set_password(u.id, &new.password_hash, true).await?;
                None
            }
            InitialPassword::Own(_) | InitialPassword::Demo(_) => None,
        };
        audit_subject(&mut act, &u);
        Ok((u, invitation))
    }
    .await;
    let (user, invitation) = act.finish(r).await?;
    let invitation = invitation.map(|(secret, link)| {
        links::send_link(state, &user, AccountTokenPurpose::Invitation, &secret);
        link
    });
    Ok(Added { user, invitation })
}

/// Sends an account a new link to set its password: an admin's answer to "I cannot sign in"
/// (and the only one when the server cannot send e-mail, since then the link is shown to the
/// admin to pass on). An invitation for an account that never set its password is the same
/// thing, so this is one action. Older links of the account stop working when one is used.
pub async fn send_link(
    state: &AppState,
    p: &Principal,
    user_id: Uuid,
) -> Result<IssuedLink, ApiError> {
    let mut act = Act::new(state, p, "create", "invitation");
    let r = async {
        act.require_role(Role::Admin, ADMINS_ONLY)?;
        let u = clinic_user(&act, user_id).await?;
        audit_subject(&mut act, &u);
        if !u.active {
            return Err(ApiError::Conflict(
                "this account is deactivated; activate it before sending a link".into(),
            ));
        }
        let tx = act.tx().await?;
        let issued = links::issue_link(state, tx, &u, AccountTokenPurpose::Invitation).await?;
        Ok((u, issued))
    }
    .await;
    let (user, (secret, link)) = act.finish(r).await?;
    links::send_link(state, &user, AccountTokenPurpose::Invitation, &secret);
    Ok(link)
}

/// Checks every field of a new account and hashes its password (an invited account gets the
/// hash of a random secret nobody knows, so it cannot be signed in to until the link is used).
pub fn validate(clinic_id: Uuid, req: NewAccount, today: Date) -> Result<NewUser, ApiError> {
    let email = req.email.trim().to_lowercase();
    let valid_email = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.contains(char::is_whitespace);
    if !valid_email {
        return Err(ApiError::invalid("email", "enter an e-mail address like name@example.com"));
    }
    let name = req.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::invalid("name", "enter a name of 1 to 200 characters"));
    }
    let password = match &req.password {
        InitialPassword::Invite => auth::new_secret(),
        InitialPassword::Temporary(pw) | InitialPassword::Own(pw) => {
            auth::check_new_password("password", pw, name, &email)?;
            pw.clone()
        }
        InitialPassword::Demo(pw) => pw.clone(),
    };
    let role = req.role;
    let text = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let licence = match (text(req.licence_number), text(req.licence_jurisdiction)) {
        (Some(number), Some(jurisdiction)) if role == Role::Clinician => {
            Some(Licence { number, jurisdiction })
        }
        (None, _) if role == Role::Clinician => {
            return Err(ApiError::invalid(
                "licence_number",
                "enter the clinician's licence number",
            ));
        }
        (_, None) if role == Role::Clinician => {
            return Err(ApiError::invalid(
                "licence_jurisdiction",
                "enter where the clinician is licensed, such as a state or province",
            ));
        }
        (None, None) => None,
        _ => return Err(ApiError::invalid("licence_number", "only clinicians have a licence")),
    };
    if let Some(dob) = req.date_of_birth {
        if role != Role::Patient {
            return Err(ApiError::invalid(
                "date_of_birth",
                "only patients have a date of birth here",
            ));
        }
        if dob > today || dob.year() < 1900 {
            return Err(ApiError::invalid(
                "date_of_birth",
                "enter a date of birth in the past, after 1900",
            ));
        }
    }
    let summary = text(req.summary);
    if summary.is_some() && role != Role::Patient {
        return Err(ApiError::invalid("summary", "only patients have a summary"));
    }
    if summary.as_ref().is_some_and(|s| s.chars().count() > 1000) {
        return Err(ApiError::invalid("summary", "keep the summary under 1000 characters"));
    }
    Ok(NewUser {
        clinic_id,
        email,
        name: name.to_owned(),
        role,
        password_hash: auth::hash_password(&password)?,
        licence,
        date_of_birth: req.date_of_birth,
        summary,
    })
}

/// Activates or deactivates an account; deactivating ends its sessions and tokens. The caller
/// must confirm a deactivation.
pub async fn set_active(
    state: &AppState,
    p: &Principal,
    user_id: Uuid,
    active: bool,
) -> Result<User, ApiError> {
    let mut act = Act::new(state, p, if active { "activate" } else { "deactivate" }, "user");
    let r = async {
        act.require_role(Role::Admin, ADMINS_ONLY)?;
        let u = clinic_user(&act, user_id).await?;
        audit_subject(&mut act, &u);
        if u.id == p.user.id && !active {
            return Err(ApiError::Conflict("you cannot deactivate your own account".into()));
        }
        let now = act.now();
        Ok(act.tx().await?.set_user_active(p.user.clinic_id, user_id, active, now).await?)
    }
    .await;
    let u = act.finish(r).await?;
    if !u.active {
        // Sessions and tokens stopped working with the commit; open live sockets close now.
        state.live().close_user(u.id);
    }
    Ok(u)
}

/// A user of the caller's clinic; anyone else is not found.
async fn clinic_user(act: &Act<'_>, id: Uuid) -> Result<User, ApiError> {
    match act.store().user(id).await {
        Ok(u) if u.clinic_id == act.p.user.clinic_id => Ok(u),
        Ok(_) | Err(StoreError::NotFound(_)) => Err(ApiError::NotFound("user")),
        Err(e) => Err(e.into()),
    }
}

/// A patient's care team, read on their behalf.
pub async fn care_team(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<Vec<CareTeamMember>, ApiError> {
    let mut act = Act::new(state, p, "read", "care_team");
    let r = async {
        act.patient(patient_id).await?;
        Ok(act.store().care_teams(p.user.clinic_id, Some(patient_id)).await?)
    }
    .await;
    act.finish(r).await
}

/// Replaces a patient's care team (admins only). Every id must be an active clinician of the
/// clinic, and there must be at least one.
pub async fn set_care_team(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    clinician_ids: &[Uuid],
) -> Result<Vec<CareTeamMember>, ApiError> {
    let mut act = Act::new(state, p, "update", "care_team");
    let r = async {
        act.about(patient_id);
        act.require_role(Role::Admin, "only the clinic's admins change care teams")?;
        act.patient(patient_id).await?;
        if clinician_ids.is_empty() {
            return Err(ApiError::invalid("clinician_ids", "choose at least one clinician"));
        }
        let now = act.now();
        match act.tx().await?.set_care_team(p.user.clinic_id, patient_id, clinician_ids, now).await
        {
            Ok(team) => Ok(team),
            Err(StoreError::Conflict(_)) => Err(ApiError::invalid(
                "clinician_ids",
                "choose only active clinicians of this clinic",
            )),
            Err(e) => Err(e.into()),
        }
    }
    .await;
    act.finish(r).await
}
