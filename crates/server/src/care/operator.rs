//! Actions of the operator at the server's command line (`physio clinic add`, `physio user
//! add`): trusted because they run on the server itself, and audited with no user as the
//! actor and `cli` as the request.

use physio_store::{AuditOutcome, Clinic, Role, Store, StoreError, User};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    care::users::{InitialPassword, NewAccount},
    error::ApiError,
    state::Actor,
};

fn operator(clinic_id: Uuid) -> Actor<'static> {
    Actor { clinic_id: Some(clinic_id), request_id: Some("cli"), ..Actor::default() }
}

/// Creates a clinic; its name must be new. A new installation's clinic starts with two-step
/// sign-in required of its staff (its admin can turn it off on the clinic admin page).
pub async fn add_clinic(
    store: &Store,
    name: &str,
    now: OffsetDateTime,
) -> Result<Clinic, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::invalid("name", "give the clinic a name of 1 to 200 characters"));
    }
    let mut tx = store.begin().await?;
    let clinic = match tx.create_clinic(name, now).await {
        Ok(c) => c,
        Err(StoreError::Conflict(_)) => {
            return Err(ApiError::Conflict(format!("a clinic named {name:?} already exists")));
        }
        Err(e) => return Err(e.into()),
    };
    tx.set_clinic_staff_two_step(clinic.id, true).await?;
    let event = operator(clinic.id).event(now, "create", "clinic", None, AuditOutcome::Success);
    tx.append_audit(&event).await?;
    tx.commit().await?;
    Ok(clinic)
}

/// Validates and creates an account in a clinic, with its audit record.
pub async fn add_user(
    store: &Store,
    clinic_id: Uuid,
    req: NewAccount,
    now: OffsetDateTime,
) -> Result<User, ApiError> {
    let temporary = match &req.password {
        InitialPassword::Temporary(_) => true,
        InitialPassword::Own(_) | InitialPassword::Demo(_) => false,
        // An invitation needs the running server's mail settings and public URL.
        InitialPassword::Invite => {
            return Err(ApiError::invalid(
                "password",
                "give the account a password here; invitations are sent from the admin page",
            ));
        }
    };
    let new = crate::care::users::validate(clinic_id, req, now.date())?;
    let mut tx = store.begin().await?;
    let user = match tx.create_user(&new, now).await {
        Ok(u) => u,
        Err(StoreError::Conflict(_)) => {
            return Err(ApiError::Conflict(format!(
                "an account with e-mail {} already exists",
                new.email
            )));
        }
        Err(e) => return Err(e.into()),
    };
    if temporary {
        tx.set_password(user.id, &new.password_hash, true).await?;
    }
    let (resource, patient) =
        if user.role == Role::Patient { ("patient", Some(user.id)) } else { ("user", None) };
    let event = operator(clinic_id).event(now, "create", resource, patient, AuditOutcome::Success);
    tx.append_audit(&event).await?;
    tx.commit().await?;
    Ok(user)
}
