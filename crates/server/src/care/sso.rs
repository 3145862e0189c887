//! A clinic's single sign-on settings, set by its admins: which OpenID Connect provider its
//! staff sign in with, and the e-mail domains it vouches for (docs/sso.md). The secret is kept
//! as given and never shown back, not even to an admin.

use physio_store::{Role, SsoConfig};
use url::{Host, Url};

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

const ADMINS_ONLY: &str = "only the clinic's admins change its single sign-on";
const MAX_ID_CHARS: usize = 255;
const MAX_SECRET_CHARS: usize = 1024;
const MAX_DOMAINS: usize = 20;

/// The settings as the clinic's admins see them: everything but the secret itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSettings {
    pub issuer: String,
    pub client_id: String,
    /// Always true once set; there for the API to say so without the secret.
    pub client_secret_set: bool,
    pub allowed_domains: Vec<String>,
}

impl From<&SsoConfig> for SsoSettings {
    fn from(c: &SsoConfig) -> Self {
        SsoSettings {
            issuer: c.issuer.clone(),
            client_id: c.client_id.clone(),
            client_secret_set: !c.client_secret.is_empty(),
            allowed_domains: c.domains().map(str::to_owned).collect(),
        }
    }
}

/// What an admin asks for. An empty or absent secret keeps the one already saved.
#[derive(Debug, Clone, Default)]
pub struct SsoChange {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub allowed_domains: Vec<String>,
}

/// The clinic's settings; `None` when it has not set up single sign-on.
pub async fn get(state: &AppState, p: &Principal) -> Result<Option<SsoSettings>, ApiError> {
    let act = Act::new(state, p, "view", "sso_settings");
    let r = async {
        act.require_role(Role::Admin, ADMINS_ONLY)?;
        Ok(act.store().sso_config(p.user.clinic_id).await?.as_ref().map(SsoSettings::from))
    }
    .await;
    act.finish(r).await
}

/// Sets the clinic's provider, checking every field first; nothing is saved unless all are
/// right.
pub async fn set(state: &AppState, p: &Principal, c: &SsoChange) -> Result<SsoSettings, ApiError> {
    let mut act = Act::new(state, p, "update", "sso_settings");
    let r = async {
        act.require_role(Role::Admin, ADMINS_ONLY)?;
        let issuer = check_issuer(&c.issuer)?;
        let client_id = c.client_id.trim();
        if client_id.is_empty() || client_id.chars().count() > MAX_ID_CHARS {
            return Err(ApiError::invalid(
                "client_id",
                format!(
                    "enter the client ID your organisation's sign-in service gave the clinic (up to {MAX_ID_CHARS} characters)"
                ),
            ));
        }
        let domains = check_domains(&c.allowed_domains)?;
        let clinic = p.user.clinic_id;
        let others = act.store().sso_configs().await?;
        if let Some(d) = domains.iter().find(|d| {
            others.iter().any(|o| o.clinic_id != clinic && o.domains().any(|od| od == d.as_str()))
        }) {
            return Err(ApiError::invalid(
                "allowed_domains",
                format!("{d} already signs in to another clinic on this server; each domain can serve one clinic"),
            ));
        }
        let current = act.store().sso_config(clinic).await?;
        let secret = match c.client_secret.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) if s.chars().count() > MAX_SECRET_CHARS || s.chars().any(char::is_control) => {
                return Err(ApiError::invalid(
                    "client_secret",
                    format!("the client secret is up to {MAX_SECRET_CHARS} characters on one line"),
                ));
            }
            Some(s) => s.to_owned(),
            None => match current {
                Some(cur) => cur.client_secret,
                None => {
                    return Err(ApiError::invalid(
                        "client_secret",
                        "enter the client secret your organisation's sign-in service gave the clinic",
                    ));
                }
            },
        };
        let config = SsoConfig {
            clinic_id: clinic,
            issuer,
            client_id: client_id.to_owned(),
            client_secret: secret,
            allowed_domains: domains.join(","),
            updated_at: act.now(),
        };
        act.tx().await?.set_sso_config(&config).await?;
        Ok(SsoSettings::from(&config))
    }
    .await;
    act.finish(r).await
}

/// Turns the clinic's single sign-on off. Staff sign in with their passwords again.
pub async fn remove(state: &AppState, p: &Principal) -> Result<(), ApiError> {
    let mut act = Act::new(state, p, "delete", "sso_settings");
    let r = async {
        act.require_role(Role::Admin, ADMINS_ONLY)?;
        if act.tx().await?.delete_sso_config(p.user.clinic_id).await? {
            Ok(())
        } else {
            Err(ApiError::NotFound("single sign-on settings"))
        }
    }
    .await;
    act.finish(r).await
}

/// The issuer as typed (trimmed): the provider's ID tokens must name exactly this. HTTPS,
/// except on this machine's own loopback address, where a test or a local provider may run.
fn check_issuer(typed: &str) -> Result<String, ApiError> {
    let bad = || {
        ApiError::invalid(
            "issuer",
            "enter the issuer URL of your organisation's sign-in service, starting with https://, like https://login.example.org/realms/clinic",
        )
    };
    let typed = typed.trim();
    let url = Url::parse(typed).map_err(|_| bad())?;
    let loopback = match url.host() {
        Some(Host::Domain(d)) => d == "localhost",
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err(bad()),
    };
    let scheme_ok = url.scheme() == "https" || (url.scheme() == "http" && loopback);
    if !scheme_ok
        || url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(bad());
    }
    Ok(typed.to_owned())
}

/// Lowercase domain names, each once: letters, digits and hyphens in dot-separated labels,
/// with at least one dot. A leading `@` is dropped, as people often type it.
fn check_domains(typed: &[String]) -> Result<Vec<String>, ApiError> {
    let mut out: Vec<String> = vec![];
    for d in typed {
        let d = d.trim().trim_start_matches('@').to_ascii_lowercase();
        if d.is_empty() {
            continue;
        }
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        if d.len() > 253 || !d.contains('.') || !d.split('.').all(label_ok) {
            return Err(ApiError::invalid(
                "allowed_domains",
                format!(
                    "{d} is not an e-mail domain: write the part after the @, like clinic.example.org"
                ),
            ));
        }
        if !out.contains(&d) {
            out.push(d);
        }
    }
    if out.is_empty() {
        return Err(ApiError::invalid(
            "allowed_domains",
            "enter at least one e-mail domain whose staff may sign in this way, like clinic.example.org",
        ));
    }
    if out.len() > MAX_DOMAINS {
        return Err(ApiError::invalid(
            "allowed_domains",
            format!("enter up to {MAX_DOMAINS} e-mail domains"),
        ));
    }
    Ok(out)
}
