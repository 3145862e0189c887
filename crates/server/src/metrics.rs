//! Prometheus metrics. Labels are route templates, never concrete paths, so no id leaks here.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
};

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    pub requests: IntCounterVec,
    pub latency: HistogramVec,
    pub audit_records: IntCounter,
    pub logins: IntCounterVec,
    pub live_sessions: IntGauge,
    pub live_frames: IntCounter,
    pub live_frame_errors: IntCounter,
    /// Rounds of the reminder scheduler (plan, claim, send).
    pub reminder_ticks: IntCounter,
    /// Reminders finished, by outcome (sent, skipped, retry, failed).
    pub reminders: IntCounterVec,
}

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new_custom(Some("physio".into()), None).expect("valid prefix");
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests by route template and status"),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "Time to answer an HTTP request"),
            &["method", "route"],
        )
        .expect("valid metric");
        let audit_records =
            IntCounter::new("audit_records_total", "Audit records appended").expect("valid metric");
        let logins = IntCounterVec::new(
            Opts::new("logins_total", "Sign-in attempts by outcome"),
            &["outcome"],
        )
        .expect("valid metric");
        let live_sessions = IntGauge::new("live_sessions", "Exercise sessions streaming now")
            .expect("valid metric");
        let live_frames =
            IntCounter::new("live_frames_total", "Landmark frames analysed").expect("valid metric");
        let live_frame_errors =
            IntCounter::new("live_frame_errors_total", "Malformed landmark frames")
                .expect("valid metric");
        let reminder_ticks =
            IntCounter::new("reminder_ticks_total", "Rounds of the reminder scheduler")
                .expect("valid metric");
        let reminders = IntCounterVec::new(
            Opts::new("reminders_total", "Reminder e-mails by outcome"),
            &["outcome"],
        )
        .expect("valid metric");
        for m in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(audit_records.clone()),
            Box::new(logins.clone()),
            Box::new(live_sessions.clone()),
            Box::new(live_frames.clone()),
            Box::new(live_frame_errors.clone()),
            Box::new(reminder_ticks.clone()),
            Box::new(reminders.clone()),
        ] {
            registry.register(m).expect("metric registered once");
        }
        Metrics {
            registry,
            requests,
            latency,
            audit_records,
            logins,
            live_sessions,
            live_frames,
            live_frame_errors,
            reminder_ticks,
            reminders,
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut buf = vec![];
        let _ = prometheus::TextEncoder::new().encode(&self.registry.gather(), &mut buf);
        String::from_utf8(buf).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

/// Compares the scraper's token with the configured one in time independent of where they
/// differ (both are hashed first, so lengths leak nothing either).
pub fn token_matches(want: &str, got: &str) -> bool {
    use sha2::{Digest, Sha256};
    use subtle::ConstantTimeEq;
    let (a, b) = (Sha256::digest(want.as_bytes()), Sha256::digest(got.as_bytes()));
    bool::from(a[..].ct_eq(&b[..]))
}
