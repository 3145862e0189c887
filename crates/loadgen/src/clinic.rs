//! The benchmark clinic as the API load benchmark sees it (`clinic.json`: who can sign in with
//! which bearer token, whose care team they are on, which alerts and triage decisions are still
//! open), and the HTTP helpers that `seed` and `api` share.
//!
//! `seed` writes the file once, next to the database snapshot it belongs to; `api` reads it
//! before every run, after the snapshot has been restored, so every id and token in it is valid.

use std::{net::IpAddr, path::Path, time::Duration};

use anyhow::{Context, Result, bail, ensure};
use reqwest::{Method, Url};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The whole file.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct ClinicFile {
    /// What `seed` did, for the record (counts, timings, the seed).
    pub(crate) about: Value,
    pub(crate) clinicians: Vec<Clinician>,
    pub(crate) patients: Vec<Patient>,
    /// Triage decisions awaiting a clinician's review, in the order a run reviews them.
    pub(crate) pending_triage: Vec<PendingTriage>,
    /// Open (unacknowledged) alerts, in the order a run acknowledges them.
    pub(crate) open_alerts: Vec<OpenAlert>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Clinician {
    pub(crate) id: String,
    pub(crate) email: String,
    pub(crate) token: String,
    /// Indexes into `ClinicFile::patients`: every patient whose care team they are on.
    pub(crate) patients: Vec<usize>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Patient {
    pub(crate) id: String,
    pub(crate) email: String,
    /// A bearer token, for patients who have signed in.
    pub(crate) token: Option<String>,
    /// Has sent the intake (so has an episode to answer questionnaires in).
    pub(crate) started: bool,
    /// Neck pain only: measured with the NDI instead of the ODI.
    pub(crate) neck: bool,
    /// Indexes into `ClinicFile::clinicians`; the first is the primary clinician.
    pub(crate) care_team: Vec<usize>,
    /// The tier triage proposed at intake, when known.
    pub(crate) tier: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct PendingTriage {
    pub(crate) id: String,
    /// Index into `ClinicFile::patients`.
    pub(crate) patient: usize,
    pub(crate) tier: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct OpenAlert {
    pub(crate) id: String,
    /// Index into `ClinicFile::patients`.
    pub(crate) patient: usize,
}

impl ClinicFile {
    pub(crate) fn load(path: &Path) -> Result<ClinicFile> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!("reading {} (make it with `physio-loadgen seed`)", path.display())
        })?;
        let c: ClinicFile =
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        let np = c.patients.len();
        let nc = c.clinicians.len();
        ensure!(
            c.clinicians.iter().all(|x| x.patients.iter().all(|&p| p < np))
                && c.patients.iter().all(|p| p.care_team.iter().all(|&x| x < nc))
                && c.pending_triage.iter().all(|t| t.patient < np)
                && c.open_alerts.iter().all(|a| a.patient < np),
            "{}: an index points outside the lists",
            path.display()
        );
        Ok(c)
    }

    pub(crate) fn save(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string(self)?;
        std::fs::write(path, text + "\n").with_context(|| format!("writing {}", path.display()))
    }
}

/// An HTTP client for one server with bearer tokens; every call gives the status and the JSON
/// body (or `null`).
#[derive(Clone)]
pub(crate) struct Api {
    pub(crate) base: Url,
    pub(crate) client: reqwest::Client,
}

impl Api {
    pub(crate) fn new(base: Url, timeout: Duration) -> Result<Api> {
        let client = reqwest::Client::builder()
            .no_proxy()
            .tcp_nodelay(true)
            .timeout(timeout)
            .pool_max_idle_per_host(usize::MAX)
            .build()?;
        Ok(Api { base, client })
    }

    pub(crate) fn url(&self, path: &str) -> Result<Url> {
        self.base.join(path).with_context(|| format!("joining {path}"))
    }

    /// Sends one call and insists on a 2xx answer; the error names the call, the status and the
    /// start of the body.
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> Result<Value> {
        let mut req = self.client.request(method.clone(), self.url(path)?).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await.with_context(|| format!("{method} {path}"))?;
        let status = res.status();
        let text =
            res.text().await.with_context(|| format!("{method} {path}: reading the body"))?;
        if !status.is_success() {
            bail!("{method} {path}: {status}: {}", text.chars().take(300).collect::<String>());
        }
        if text.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&text).with_context(|| format!("{method} {path}: not JSON"))
    }
}

/// Signs in as `email` (a cookie session, from `source` when given: sign-in is rate limited per
/// client address) and makes an API token named `name` with the session's CSRF token. Returns
/// the token's secret and the signed-in user.
pub(crate) async fn make_token(
    base: &Url,
    email: &str,
    password: &str,
    source: Option<IpAddr>,
    name: &str,
) -> Result<(String, Value)> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .no_proxy()
        .local_address(source)
        .timeout(Duration::from_secs(60))
        .build()?;
    let res = client
        .post(base.join("/api/v1/auth/login")?)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .with_context(|| format!("signing in as {email}"))?;
    let status = res.status();
    if !status.is_success() {
        let text = res.text().await.unwrap_or_default();
        bail!("signing in as {email}: {status}: {}", text.chars().take(300).collect::<String>());
    }
    let body: Value = res.json().await?;
    let csrf = body["csrf_token"].as_str().context("no csrf_token in the sign-in response")?;
    let res = client
        .post(base.join("/api/v1/tokens")?)
        .header("x-csrf-token", csrf)
        .json(&json!({ "name": name }))
        .send()
        .await
        .with_context(|| format!("making a token for {email}"))?;
    ensure!(res.status().is_success(), "making a token for {email}: {}", res.status());
    let token: Value = res.json().await?;
    let secret = token["secret"].as_str().context("no secret in the token response")?.to_owned();
    Ok((secret, body["user"].clone()))
}
