//! Server settings. The CLI fills these from flags, `PHYSIO_*` variables and a TOML file.

use std::net::SocketAddr;

use time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    /// `sqlite:PATH` or `postgres://…`.
    pub database_url: String,
    /// Mark cookies `Secure`: on when the public URL is `https://`.
    pub secure_cookies: bool,
    pub sessions: SessionPolicy,
    pub login: LoginPolicy,
    /// The reverse proxies whose word about the client's address is believed.
    pub proxies: crate::proxy::TrustedProxies,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// The built browser code (`web/dist`): the camera page's script and the pose model.
    pub web_dir: std::path::PathBuf,
    /// Questionnaire wording a licensed clinic loaded in place of Physio's own labels.
    pub wording: Vec<physio_clinic::questionnaire::Instrument>,
    /// The time zone pages show times in, for a clinic that has not chosen its own.
    pub time_zone: crate::zone::Zone,
    /// The address users reach the server at (`https://physio.example.org`), for the link in
    /// reminder e-mails.
    pub public_url: Option<String>,
    /// The mail server reminders go out through; `None`: reminders show on Today only.
    pub smtp: Option<crate::reminders::SmtpSettings>,
    /// How often the reminder scheduler looks for reminders to plan and send.
    pub reminder_interval: std::time::Duration,
    /// How often the oversight sweep checks the alert conditions (docs/alerts.md).
    pub oversight_interval: std::time::Duration,
    /// The secret a scraper sends (`Authorization: Bearer …`) to read `/metrics` on the main
    /// address. Without it (and without `metrics_bind`) `/metrics` is not served there.
    pub metrics_token: Option<String>,
    /// A second address serving only `/metrics`, without a token: one a firewall keeps
    /// private. `/metrics` on the main address then needs the token, if one is set.
    pub metrics_bind: Option<SocketAddr>,
    /// How long a request may take before it is answered 408 (WebSocket sessions, once
    /// upgraded, are not limited).
    pub request_timeout: std::time::Duration,
    /// Live exercise sessions one user may stream at once.
    pub live_sessions_per_user: usize,
}

/// Reads every `*.json` questionnaire definition in `dir` (a clinic's licensed wording). Each
/// must match the built-in instrument item for item; the error names the file and the problem.
pub fn load_wording(
    dir: &std::path::Path,
) -> Result<Vec<physio_clinic::questionnaire::Instrument>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut out: Vec<physio_clinic::questionnaire::Instrument> = vec![];
    for p in paths {
        let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        let inst = physio_clinic::questionnaire::Instrument::from_clinic_definition(&text)
            .map_err(|e| format!("{}: {e}", p.display()))?;
        if out.iter().any(|i| i.id() == inst.id()) {
            return Err(format!("{}: a second definition of {}", p.display(), inst.id()));
        }
        out.push(inst);
    }
    Ok(out)
}

/// How long a sign-in lasts.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// Clinicians and admins are signed out after this long without a request.
    pub staff_idle: Duration,
    /// Patients are signed out after this long without a request.
    pub patient_idle: Duration,
    /// No session lives longer than this, however active.
    pub absolute: Duration,
}

/// Protection against password guessing (docs/sign-in.md). No account is ever locked: failed
/// attempts slow down whoever makes them, counted per typed e-mail address and source.
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    /// Failed sign-ins for one e-mail address from one source before each further attempt
    /// has to wait.
    pub free_failures: i32,
    /// The longest wait: the wait doubles with each further failure (1 s, 2 s, 4 s, ...) up
    /// to this.
    pub max_delay: Duration,
    /// A count with no attempt for this long is forgotten.
    pub forget_after: Duration,
    /// Failed sign-ins allowed from one source (any e-mail addresses) per window.
    pub failures_per_window: usize,
    pub window: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            staff_idle: Duration::minutes(30),
            patient_idle: Duration::hours(2),
            absolute: Duration::hours(12),
        }
    }
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            free_failures: 5,
            max_delay: Duration::minutes(15),
            forget_after: Duration::hours(24),
            failures_per_window: 30,
            window: Duration::minutes(5),
        }
    }
}

impl Config {
    /// Whether users reach the server over TLS: cookies are `Secure` and HSTS is sent.
    pub fn https(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }

    /// Defaults for everything but where to listen and which database to use.
    pub fn new(bind: SocketAddr, database_url: impl Into<String>) -> Config {
        Config {
            bind,
            database_url: database_url.into(),
            secure_cookies: false,
            sessions: SessionPolicy::default(),
            login: LoginPolicy::default(),
            proxies: crate::proxy::TrustedProxies::default(),
            body_limit: 1024 * 1024,
            web_dir: "web/dist".into(),
            wording: vec![],
            time_zone: crate::zone::Zone::utc(),
            public_url: None,
            smtp: None,
            reminder_interval: std::time::Duration::from_secs(30),
            oversight_interval: std::time::Duration::from_secs(5 * 60),
            metrics_token: None,
            metrics_bind: None,
            request_timeout: std::time::Duration::from_secs(30),
            live_sessions_per_user: 2,
        }
    }
}
