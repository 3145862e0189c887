//! A user's own second steps (authenticator app, recovery codes) and the clinic's rule that
//! staff must have one. Passkeys are `auth::passkey`.

use physio_store::Role;

use crate::{
    auth::{
        Principal, check_app_code, new_totp_secret, password::verify_password,
        renew_recovery_codes, required_of,
    },
    care::Act,
    error::ApiError,
    state::AppState,
};

/// Begins (or begins again) setting up an authenticator app; returns the new secret. Nothing
/// changes at sign-in until a first code confirms it.
pub async fn start_app(state: &AppState, p: &Principal) -> Result<String, ApiError> {
    let mut act = Act::new(state, p, "start", "totp");
    let r = async {
        if state.store().second_factors(p.user.id).await?.totp {
            return Err(ApiError::Conflict(
                "an authenticator app is set up already: turn it off first to set up another"
                    .into(),
            ));
        }
        let secret = new_totp_secret();
        let now = act.now();
        act.tx().await?.start_totp_enrolment(p.user.id, &secret, now).await?;
        Ok(secret)
    }
    .await;
    act.finish(r).await
}

/// Confirms the app with its first code; returns the new recovery codes, shown once.
pub async fn confirm_app(
    state: &AppState,
    p: &Principal,
    code: &str,
) -> Result<Vec<String>, ApiError> {
    let mut act = Act::new(state, p, "enrol", "totp");
    let r = async {
        let now = act.now();
        let f = state.store().totp_factor(p.user.id).await?;
        let Some(f) = f.filter(|f| f.confirmed_at.is_none()) else {
            return Err(ApiError::Conflict(
                "there is no authenticator app waiting to be confirmed: start setting one up"
                    .into(),
            ));
        };
        let Some(step) = check_app_code(&f.secret, code, now)? else {
            return Err(ApiError::invalid(
                "code",
                "that code is not right: type the 6 digits your authenticator app shows now",
            ));
        };
        let tx = act.tx().await?;
        if !tx.confirm_totp_factor(p.user.id, step, now).await? {
            return Err(ApiError::Conflict("the authenticator app was confirmed already".into()));
        }
        renew_recovery_codes(tx, p.user.id, now).await
    }
    .await;
    act.finish(r).await
}

/// Checks the caller's password again before a change to how they sign in.
pub(crate) async fn check_password(
    state: &AppState,
    p: &Principal,
    password: &str,
) -> Result<(), ApiError> {
    let creds = state.store().credentials(&p.user.email).await?;
    let hash = creds.map(|c| c.password_hash).unwrap_or_default();
    let pw = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
        .await
        .map_err(|e| ApiError::Internal(format!("password check: {e}")))?;
    if ok { Ok(()) } else { Err(ApiError::invalid("password", "your password is not right")) }
}

/// Turns the authenticator app off (and its recovery codes with it), given the password. A
/// staff member of a clinic that requires a second step keeps it unless they have a passkey.
pub async fn turn_off_app(state: &AppState, p: &Principal, password: &str) -> Result<(), ApiError> {
    let mut act = Act::new(state, p, "disable", "totp");
    let r = async {
        check_password(state, p, password).await?;
        let factors = state.store().second_factors(p.user.id).await?;
        if factors.totp && factors.passkeys == 0 && required_of(state, &p.user).await? {
            return Err(ApiError::Conflict(
                "your clinic requires two-step sign-in for staff: add a passkey before turning \
                 the authenticator app off"
                    .into(),
            ));
        }
        let tx = act.tx().await?;
        if !tx.delete_totp_factor(p.user.id).await? {
            return Err(ApiError::NotFound("authenticator app"));
        }
        tx.delete_recovery_codes(p.user.id).await?;
        Ok(())
    }
    .await;
    act.finish(r).await
}

/// New recovery codes in place of the old ones, given the password.
pub async fn renew_codes(
    state: &AppState,
    p: &Principal,
    password: &str,
) -> Result<Vec<String>, ApiError> {
    let mut act = Act::new(state, p, "renew", "recovery_code");
    let r = async {
        check_password(state, p, password).await?;
        if !state.store().second_factors(p.user.id).await?.totp {
            return Err(ApiError::Conflict(
                "recovery codes go with an authenticator app: set one up first".into(),
            ));
        }
        let now = act.now();
        renew_recovery_codes(act.tx().await?, p.user.id, now).await
    }
    .await;
    act.finish(r).await
}

/// Whether the clinic requires staff to use two-step sign-in (admins of the clinic only).
pub async fn staff_rule(state: &AppState, p: &Principal) -> Result<bool, ApiError> {
    p.require(&[Role::Admin])?;
    Ok(state.store().clinic_staff_two_step(p.user.clinic_id).await?)
}

/// Sets the clinic's rule. Turning it on asks the admin to have a second step themselves
/// first, so they do not lock themselves out of the page to turn it off.
pub async fn set_staff_rule(state: &AppState, p: &Principal, on: bool) -> Result<bool, ApiError> {
    let mut act = Act::new(state, p, "update", "clinic_two_step");
    let r = async {
        act.require_role(Role::Admin, "only the clinic's admins change its settings")?;
        if on && !state.store().second_factors(p.user.id).await?.any() {
            return Err(ApiError::Conflict(
                "set up your own two-step sign-in first (your account's Two-step sign-in page), \
                 so that you can still sign in once the clinic requires it"
                    .into(),
            ));
        }
        act.tx().await?.set_clinic_staff_two_step(p.user.clinic_id, on).await?;
        Ok(on)
    }
    .await;
    act.finish(r).await
}
