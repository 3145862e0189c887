//! Settings from flags, `PHYSIO_*` environment variables and an optional TOML file, in that
//! order of precedence, then defaults.

use std::{net::SocketAddr, path::PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use serde::Deserialize;

/// Options every command takes.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// A TOML settings file (keys as in docs/configuration.md).
    #[arg(long, env = "PHYSIO_CONFIG", global = true)]
    pub(crate) config: Option<PathBuf>,
    /// Folder for the embedded database [default: ./physio-data].
    #[arg(long, env = "PHYSIO_DATA_DIR", global = true)]
    pub(crate) data_dir: Option<PathBuf>,
    /// Database URL: sqlite:PATH or postgres://USER@HOST/DB [default: sqlite in the data dir].
    #[arg(long, env = "PHYSIO_DATABASE_URL", global = true, hide_env_values = true)]
    pub(crate) database_url: Option<String>,
    /// Log filter, e.g. info or physio_server=debug [default: info].
    #[arg(long, env = "PHYSIO_LOG", global = true)]
    pub(crate) log: Option<String>,
    /// Log format: text or json [default: text].
    #[arg(long, env = "PHYSIO_LOG_FORMAT", global = true)]
    pub(crate) log_format: Option<LogFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LogFormat {
    Text,
    Json,
}

/// Options of the commands that serve.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "PHYSIO_BIND")]
    pub(crate) bind: Option<SocketAddr>,
    /// The address users reach the server at; https:// marks cookies Secure.
    #[arg(long, env = "PHYSIO_PUBLIC_URL")]
    pub(crate) public_url: Option<String>,
    /// The built browser code for the camera page [default: web/dist].
    #[arg(long, env = "PHYSIO_WEB_DIR")]
    pub(crate) web_dir: Option<PathBuf>,
    /// A folder of questionnaire definitions with a licensed clinic's validated wording
    /// (docs/questionnaires.md); each replaces Physio's own labels for its instrument.
    #[arg(long, env = "PHYSIO_QUESTIONNAIRES_DIR")]
    pub(crate) questionnaires_dir: Option<PathBuf>,
    /// Time zone pages show times in, for clinics that have not chosen their own: an IANA name
    /// such as Europe/London [default: UTC].
    #[arg(long, env = "PHYSIO_TIME_ZONE")]
    pub(crate) time_zone: Option<String>,
    /// Mail server for exercise reminders (docs/reminders.md): smtps://USER:PASSWORD@HOST:465,
    /// smtp://USER:PASSWORD@HOST:587?tls=required, or smtp://HOST:25 (no TLS) [default: none;
    /// reminders then show on the patient's home page only].
    #[arg(long, env = "PHYSIO_SMTP_URL", hide_env_values = true)]
    pub(crate) smtp_url: Option<String>,
    /// The From address of reminder e-mails, e.g. "North Clinic <reminders@clinic.example>".
    #[arg(long, env = "PHYSIO_SMTP_FROM")]
    pub(crate) smtp_from: Option<String>,
    /// Reverse proxies in front of the server, whose client address header is believed:
    /// addresses or networks separated by commas, e.g. 127.0.0.1,10.0.0.0/8 [default: none].
    #[arg(long, env = "PHYSIO_TRUSTED_PROXIES")]
    pub(crate) trusted_proxies: Option<String>,
    /// The header the trusted proxies put the client's address in: x-forwarded-for or
    /// forwarded [default: x-forwarded-for].
    #[arg(long, env = "PHYSIO_PROXY_HEADER")]
    pub(crate) proxy_header: Option<String>,
    /// A secret a metrics scraper sends as `Authorization: Bearer …` to read /metrics
    /// [default: none; /metrics is then not served on the main address].
    #[arg(long, env = "PHYSIO_METRICS_TOKEN", hide_env_values = true)]
    pub(crate) metrics_token: Option<String>,
    /// A second, private address serving only /metrics, with no token [default: none].
    #[arg(long, env = "PHYSIO_METRICS_BIND")]
    pub(crate) metrics_bind: Option<SocketAddr>,
    /// Seconds a request may take before it is answered 408 [default: 30].
    #[arg(long, env = "PHYSIO_REQUEST_TIMEOUT_SECONDS")]
    pub(crate) request_timeout_seconds: Option<u64>,
    /// Live exercise sessions one user may stream at once [default: 2].
    #[arg(long, env = "PHYSIO_LIVE_SESSIONS_PER_USER")]
    pub(crate) live_sessions_per_user: Option<usize>,
}

/// The TOML file. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileSettings {
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    log: Option<String>,
    log_format: Option<LogFormat>,
    bind: Option<SocketAddr>,
    public_url: Option<String>,
    web_dir: Option<PathBuf>,
    questionnaires_dir: Option<PathBuf>,
    time_zone: Option<String>,
    smtp_url: Option<String>,
    smtp_from: Option<String>,
    metrics_token: Option<String>,
    metrics_bind: Option<SocketAddr>,
    request_timeout_seconds: Option<u64>,
    live_sessions_per_user: Option<usize>,
    #[serde(default)]
    sessions: FileSessions,
    #[serde(default)]
    login: FileLogin,
    trusted_proxies: Option<Vec<String>>,
    proxy_header: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSessions {
    staff_idle_minutes: Option<i64>,
    patient_idle_minutes: Option<i64>,
    absolute_hours: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLogin {
    max_failures: Option<i32>,
    /// The longest wait between attempts; `lockout_minutes` is its name from before there
    /// were waits instead of locks.
    #[serde(alias = "lockout_minutes")]
    max_delay_minutes: Option<i64>,
    failures_per_window: Option<i64>,
}

/// Everything resolved.
#[derive(Debug)]
pub(crate) struct Settings {
    pub(crate) database_url: String,
    pub(crate) log: String,
    pub(crate) log_format: LogFormat,
    file: FileSettings,
}

impl Settings {
    pub(crate) fn resolve(g: &GlobalArgs) -> Result<Settings> {
        let file = match &g.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading settings file {}", path.display()))?;
                toml::from_str(&text)
                    .with_context(|| format!("in settings file {}", path.display()))?
            }
            None => FileSettings::default(),
        };
        let data_dir = g
            .data_dir
            .clone()
            .or_else(|| file.data_dir.clone())
            .unwrap_or_else(|| "physio-data".into());
        let database_url = g
            .database_url
            .clone()
            .or_else(|| file.database_url.clone())
            .unwrap_or_else(|| format!("sqlite:{}", data_dir.join("physio.db").display()));
        Ok(Settings {
            database_url,
            log: g.log.clone().or_else(|| file.log.clone()).unwrap_or_else(|| "info".into()),
            log_format: g.log_format.or(file.log_format).unwrap_or(LogFormat::Text),
            file,
        })
    }

    /// The server's configuration for `serve` and `demo`.
    pub(crate) fn server_config(&self, a: &ServeArgs) -> Result<physio_server::Config> {
        let bind =
            a.bind.or(self.file.bind).unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
        let public_url = a.public_url.clone().or_else(|| self.file.public_url.clone());
        let mut c = physio_server::Config::new(bind, self.database_url.clone());
        c.secure_cookies = public_url.as_deref().is_some_and(|u| u.starts_with("https://"));
        if let Some(dir) = a.web_dir.clone().or_else(|| self.file.web_dir.clone()) {
            c.web_dir = dir;
        }
        if let Some(dir) =
            a.questionnaires_dir.clone().or_else(|| self.file.questionnaires_dir.clone())
        {
            c.wording = physio_server::config::load_wording(&dir)
                .map_err(|e| anyhow::anyhow!("questionnaire wording: {e}"))?;
        }
        if let Some(name) = a.time_zone.clone().or_else(|| self.file.time_zone.clone()) {
            c.time_zone = physio_server::zone::Zone::by_name(&name)
                .map_err(|e| anyhow::anyhow!("time zone: {e}"))?;
        }
        c.public_url = public_url.clone();
        c.metrics_token = a.metrics_token.clone().or_else(|| self.file.metrics_token.clone());
        if c.metrics_token.as_deref().is_some_and(|t| t.trim().len() < 16) {
            anyhow::bail!("the metrics token must be at least 16 characters");
        }
        c.metrics_bind = a.metrics_bind.or(self.file.metrics_bind);
        match a.request_timeout_seconds.or(self.file.request_timeout_seconds) {
            Some(0) => anyhow::bail!("request_timeout_seconds must be a positive number, not 0"),
            Some(n) => c.request_timeout = std::time::Duration::from_secs(n),
            None => {}
        }
        match a.live_sessions_per_user.or(self.file.live_sessions_per_user) {
            Some(0) => anyhow::bail!("live_sessions_per_user must be a positive number, not 0"),
            Some(n) => c.live_sessions_per_user = n,
            None => {}
        }
        let smtp_url = a.smtp_url.clone().or_else(|| self.file.smtp_url.clone());
        let smtp_from = a.smtp_from.clone().or_else(|| self.file.smtp_from.clone());
        match (smtp_url, smtp_from) {
            (None, None) => {}
            (Some(url), Some(from)) => {
                if public_url.is_none() {
                    anyhow::bail!(
                        "reminder e-mails link to the server: set the public URL (--public-url, \
                         PHYSIO_PUBLIC_URL or public_url) along with the SMTP settings"
                    );
                }
                c.smtp = Some(
                    physio_server::reminders::SmtpSettings::new(&url, &from)
                        .map_err(|e| anyhow::anyhow!("reminder e-mail: {e}"))?,
                );
            }
            (Some(_), None) => anyhow::bail!(
                "reminder e-mail: set the From address (--smtp-from, PHYSIO_SMTP_FROM or smtp_from) \
                 along with the SMTP URL"
            ),
            (None, Some(_)) => anyhow::bail!(
                "reminder e-mail: set the SMTP URL (--smtp-url, PHYSIO_SMTP_URL or smtp_url) along \
                 with the From address"
            ),
        }
        let positive = |v: Option<i64>, what: &str| -> Result<Option<i64>> {
            match v {
                Some(n) if n <= 0 => anyhow::bail!("{what} must be a positive number, not {n}"),
                other => Ok(other),
            }
        };
        let s = &self.file.sessions;
        if let Some(m) = positive(s.staff_idle_minutes, "sessions.staff_idle_minutes")? {
            c.sessions.staff_idle = time::Duration::minutes(m);
        }
        if let Some(m) = positive(s.patient_idle_minutes, "sessions.patient_idle_minutes")? {
            c.sessions.patient_idle = time::Duration::minutes(m);
        }
        if let Some(h) = positive(s.absolute_hours, "sessions.absolute_hours")? {
            c.sessions.absolute = time::Duration::hours(h);
        }
        let l = &self.file.login;
        if let Some(n) = positive(l.max_failures.map(i64::from), "login.max_failures")? {
            c.login.free_failures = n as i32;
        }
        if let Some(m) = positive(l.max_delay_minutes, "login.max_delay_minutes")? {
            c.login.max_delay = time::Duration::minutes(m);
        }
        if let Some(n) = positive(l.failures_per_window, "login.failures_per_window")? {
            c.login.failures_per_window = n as usize;
        }
        let proxies = match (&a.trusted_proxies, &self.file.trusted_proxies) {
            (Some(list), _) => Some(list.clone()),
            (None, Some(list)) => Some(list.join(",")),
            (None, None) => None,
        };
        if let Some(list) = proxies {
            c.proxies.nets = physio_server::proxy::TrustedProxies::parse_list(&list)
                .map_err(|e| crate::BadInput(format!("trusted proxies: {e}")))?;
        }
        if let Some(h) = a.proxy_header.clone().or_else(|| self.file.proxy_header.clone()) {
            c.proxies.header =
                h.parse().map_err(|e| crate::BadInput(format!("proxy header: {e}")))?;
        }
        Ok(c)
    }
}
