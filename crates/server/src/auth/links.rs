//! Links that let someone set their own password: a reset asked for from "Forgot your
//! password?", and the invitation a new account gets. A link's secret is random (256 bits),
//! only its SHA-256 is stored, it works once and for a limited time, and using it ends every
//! session of the account.

use std::net::IpAddr;

use physio_store::{
    AccountToken, AccountTokenPurpose, AuditOutcome, NewAccountToken, StoreError, Tx, User,
};
use time::Duration;

use super::{
    new_secret,
    password::{check_new_password, hash_password},
    sha256_hex,
};
use crate::{
    error::ApiError,
    reminders::{Email, Mailer},
    state::{Actor, AppState},
};

/// What every reset request is told, whether or not an account has the address.
pub const RESET_ANSWER: &str = "If an account exists for this address, we have sent it a link \
    to choose a new password. The link works for 30 minutes.";

/// How long a reset link works.
pub const RESET_VALID: Duration = Duration::minutes(30);
/// How long an invitation works: long enough for someone who reads e-mail once a week.
pub const INVITATION_VALID: Duration = Duration::days(7);
/// At most this many reset e-mails go to one account per hour, so the form cannot be used to
/// flood someone's inbox. Further requests get the same answer and send nothing.
pub const RESETS_PER_HOUR: usize = 3;

/// Where a link's page is; the secret follows in the query.
pub const SET_PASSWORD_PATH: &str = "/set-password";

/// A link just made: its address (absolute when the server knows its public URL) and whether it
/// is on its way by e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedLink {
    pub url: String,
    pub emailed: bool,
}

/// Why a link cannot be used. All say the same to the user: ask for a new one.
const LINK_UNUSABLE: &str = "this link has already been used or has expired; ask for a new one from the sign-in page \
     or your clinic";

/// The address of a link with `secret`.
fn url_of(state: &AppState, secret: &str) -> String {
    let base = state.config().public_url.as_deref().unwrap_or("").trim_end_matches('/');
    format!("{base}{SET_PASSWORD_PATH}?token={secret}")
}

/// The configured mail sender, if the server can send e-mail with links in it.
fn mailer(state: &AppState) -> Option<Mailer> {
    let smtp = state.config().smtp.as_ref()?;
    let public_url = state.config().public_url.as_deref()?;
    Mailer::new(smtp, public_url).ok()
}

/// Whether "Forgot your password?" can work on this server (it needs to send e-mail).
pub fn can_email_links(state: &AppState) -> bool {
    mailer(state).is_some()
}

/// Makes a link for `user` inside the caller's transaction and returns its secret.
pub(crate) async fn issue(
    state: &AppState,
    tx: &mut Tx,
    user: &User,
    purpose: AccountTokenPurpose,
) -> Result<String, ApiError> {
    let now = state.now();
    let secret = new_secret();
    let valid = match purpose {
        AccountTokenPurpose::Reset => RESET_VALID,
        AccountTokenPurpose::Invitation => INVITATION_VALID,
    };
    tx.create_account_token(
        &NewAccountToken {
            token_hash: sha256_hex(&secret),
            user_id: user.id,
            clinic_id: user.clinic_id,
            purpose,
            expires_at: now + valid,
        },
        now,
    )
    .await?;
    Ok(secret)
}

/// Sends the e-mail with a link in the background, after the link is committed: the answer
/// does not wait for (or reveal anything through) the mail server. A failure is logged without
/// the address.
pub(crate) fn send_link(
    state: &AppState,
    user: &User,
    purpose: AccountTokenPurpose,
    secret: &str,
) -> bool {
    let Some(mailer) = mailer(state) else { return false };
    let state = state.clone();
    let (to, clinic_id) = (user.email.clone(), user.clinic_id);
    let url = url_of(&state, secret);
    tokio::spawn(async move {
        let clinic = match state.store().clinic(clinic_id).await {
            Ok(c) => c.name,
            Err(e) => {
                tracing::warn!(error = %e, "account link: clinic not read; e-mail not sent");
                return;
            }
        };
        let email = match purpose {
            AccountTokenPurpose::Reset => reset_email(&clinic, &url),
            AccountTokenPurpose::Invitation => invitation_email(&clinic, &url),
        };
        if let Err(e) = mailer.send(&to, &email, state.now()).await {
            tracing::warn!(error = %e, purpose = purpose.as_str(), "account link: e-mail not sent");
        }
    });
    true
}

/// Makes a link inside the caller's transaction; returns its secret (for [`send_link`] once
/// committed) and its address, for an admin to pass on when it cannot be e-mailed.
pub(crate) async fn issue_link(
    state: &AppState,
    tx: &mut Tx,
    user: &User,
    purpose: AccountTokenPurpose,
) -> Result<(String, IssuedLink), ApiError> {
    let secret = issue(state, tx, user, purpose).await?;
    let emailed = can_email_links(state);
    Ok((secret.clone(), IssuedLink { url: url_of(state, &secret), emailed }))
}

/// "Forgot your password?": e-mails a reset link when `email` belongs to an active account.
/// The answer is the same whether or not it does (and the same work is done up to the point
/// of writing the link), so the form does not tell anyone which addresses have accounts.
/// Requests from one network address count against the sign-in allowance; an account gets at
/// most [`RESETS_PER_HOUR`] e-mails an hour.
pub async fn request_reset(
    state: &AppState,
    email: &str,
    ip: IpAddr,
    request_id: Option<&str>,
) -> Result<(), ApiError> {
    let anonymous = Actor { request_id, ..Actor::default() };
    if !can_email_links(state) {
        return Err(ApiError::Conflict(
            "this clinic's server cannot send e-mail, so it cannot send you a link; ask your \
             clinic to reset your password"
                .into(),
        ));
    }
    let email = email.trim();
    if email.is_empty() || !email.contains('@') {
        return Err(ApiError::invalid("email", "enter your e-mail address, like name@example.com"));
    }
    // Each request takes a place in the source's sign-in allowance and keeps it, so the form
    // cannot be used to flood inboxes; refusals are counted, not recorded one by one.
    if let Err(e) = state.reserve_sign_in(&crate::proxy::source_key(ip)) {
        crate::refusals::record(state, crate::refusals::Refusal::SignInThrottled, ip, request_id)
            .await?;
        return Err(e);
    }
    let store = state.store();
    let now = state.now();
    let user = store.credentials(email).await?.map(|c| c.user).filter(|u| u.active);
    let Some(user) = user else {
        state.audit(anonymous, "request", "password_reset", None, AuditOutcome::NotFound).await?;
        return Ok(());
    };
    let actor = Actor {
        clinic_id: Some(user.clinic_id),
        user_id: Some(user.id),
        role: Some(user.role),
        request_id,
    };
    let recent =
        store.account_tokens_since(user.id, AccountTokenPurpose::Reset, now - Duration::hours(1));
    if recent.await?.len() >= RESETS_PER_HOUR {
        state.audit(actor, "request", "password_reset", None, AuditOutcome::Denied).await?;
        return Ok(());
    }
    let mut tx = store.begin().await?;
    let secret = issue(state, &mut tx, &user, AccountTokenPurpose::Reset).await?;
    tx.append_audit(&actor.event(now, "request", "password_reset", None, AuditOutcome::Success))
        .await?;
    tx.commit().await?;
    send_link(state, &user, AccountTokenPurpose::Reset, &secret);
    Ok(())
}

/// A link that can still be used, with its account; anything else is the same refusal.
pub async fn usable_link(state: &AppState, secret: &str) -> Result<(AccountToken, User), ApiError> {
    let unusable = || ApiError::invalid("token", LINK_UNUSABLE);
    if secret.is_empty() || secret.len() > 128 {
        return Err(unusable());
    }
    let store = state.store();
    let token = store.account_token(&sha256_hex(secret)).await?.ok_or_else(unusable)?;
    if token.used_at.is_some() || state.now() >= token.expires_at {
        return Err(unusable());
    }
    let user = match store.user(token.user_id).await {
        Ok(u) if u.active => u,
        Ok(_) | Err(StoreError::NotFound(_)) => return Err(unusable()),
        Err(e) => return Err(e.into()),
    };
    Ok((token, user))
}

/// Sets the account's password through a link: the link must be unused and in time, the
/// password strong enough. The link is used up (with every other open link of the account),
/// every session of the account ends, and after a reset its API tokens are revoked too (whoever
/// had the old password may have made one). Audited either way.
pub async fn set_password_with_link(
    state: &AppState,
    secret: &str,
    password: &str,
    request_id: Option<&str>,
) -> Result<User, ApiError> {
    let anonymous = Actor { request_id, ..Actor::default() };
    let (token, user) = match usable_link(state, secret).await {
        Ok(v) => v,
        Err(e) => {
            state.audit(anonymous, "use", "account_link", None, AuditOutcome::Invalid).await?;
            return Err(e);
        }
    };
    let actor = Actor {
        clinic_id: Some(user.clinic_id),
        user_id: Some(user.id),
        role: Some(user.role),
        request_id,
    };
    let now = state.now();
    let resource = match token.purpose {
        AccountTokenPurpose::Reset => "password_reset",
        AccountTokenPurpose::Invitation => "invitation",
    };
    let patient = (user.role == physio_store::Role::Patient).then_some(user.id);
    if let Err(e) = check_new_password("password", password, &user.name, &user.email) {
        state.audit(actor, "use", resource, patient, AuditOutcome::Invalid).await?;
        return Err(e);
    }
    let pw = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&pw))
        .await
        .map_err(|e| ApiError::Internal(format!("hashing password: {e}")))??;
    let mut tx = state.store().begin().await?;
    if !tx.use_account_token(&token, now).await? {
        let _ = tx.rollback().await;
        state.audit(actor, "use", resource, patient, AuditOutcome::Invalid).await?;
        return Err(ApiError::invalid("token", LINK_UNUSABLE));
    }
    tx.set_password(user.id, &hash, false).await?;
    tx.revoke_user_sessions(user.id, None, now).await?;
    if token.purpose == AccountTokenPurpose::Reset {
        tx.revoke_user_api_tokens(user.id, now).await?;
    }
    tx.append_audit(&actor.event(now, "use", resource, patient, AuditOutcome::Success)).await?;
    tx.commit().await?;
    Ok(user)
}

/// The reset e-mail: what the link is for, how long it works, what to do if it was not you.
/// Nothing about the person's care.
pub fn reset_email(clinic: &str, link: &str) -> Email {
    Email {
        subject: "Choose a new password for Physio".to_owned(),
        body: format!(
            "Hello,\n\
             \n\
             Someone asked to reset the password of your Physio account\n\
             at {clinic}. If it was you, open this link within 30 minutes\n\
             to choose a new password:\n\
             {link}\n\
             \n\
             The link works once. If you did not ask for it, you can ignore\n\
             this e-mail: your password stays as it is.\n"
        ),
    }
}

/// The invitation e-mail to a new account.
pub fn invitation_email(clinic: &str, link: &str) -> Email {
    Email {
        subject: format!("Your Physio account at {clinic}"),
        body: format!(
            "Hello,\n\
             \n\
             {clinic} has made you an account on Physio. Open this link\n\
             within 7 days to choose your password:\n\
             {link}\n\
             \n\
             The link works once. If it has expired, ask the clinic to send\n\
             you a new one.\n"
        ),
    }
}
