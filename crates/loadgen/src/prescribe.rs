//! Before a live-session run: the server opens the live socket only for an exercise of the
//! patient's programme that is in force today, so `--prescribe-as` has a clinician on each
//! streaming patient's care team prescribe the benchmark's exercise first, through the API as
//! on the programme page (a new version of the programme, at the library's default dose, from
//! today, with a reason), unless the patient already has it. Nothing is overridden: an
//! exercise a precaution of the patient's phase rules out is refused, and the run stops there.

use anyhow::{Context, Result, bail};
use reqwest::Method;
use serde_json::{Value, json};

use crate::clinic::Api;

/// Why the programme changed, as the version history shows it.
pub(crate) const REASON: &str = "Prescribed by physio-loadgen for a live-session benchmark";

/// A clinician who may prescribe: their token and user id.
pub(crate) struct Prescriber {
    pub(crate) email: String,
    pub(crate) id: String,
    pub(crate) token: String,
}

/// A patient who will stream: their token, id and e-mail.
pub(crate) struct Streamer {
    pub(crate) email: String,
    pub(crate) id: String,
    pub(crate) token: String,
}

/// Makes sure every patient has `exercise` in their programme today; returns how many needed
/// a new version.
pub(crate) async fn ensure_all(
    api: &Api,
    prescribers: &[Prescriber],
    patients: &[Streamer],
    exercise: &str,
) -> Result<usize> {
    let mut added = 0;
    for patient in patients {
        let path = format!("/api/v1/patients/{}/care-team", patient.id);
        let team = api.call(Method::GET, &path, &patient.token, None).await?;
        let on_team = |p: &&Prescriber| {
            team["care_team"]
                .as_array()
                .is_some_and(|t| t.iter().any(|m| m["clinician_id"] == p.id.as_str()))
        };
        let Some(prescriber) = prescribers.iter().find(on_team) else {
            let emails: Vec<&str> = prescribers.iter().map(|p| p.email.as_str()).collect();
            bail!(
                "no --prescribe-as clinician ({}) is on {}'s care team, so none can prescribe \
                 {exercise}",
                emails.join(", "),
                patient.email
            );
        };
        let path = format!("/api/v1/patients/{}/programme", patient.id);
        let view = api.call(Method::GET, &path, &prescriber.token, None).await?;
        let library = format!("/api/v1/exercises/{exercise}");
        let dose = || async {
            let found = api.call(Method::GET, &library, &prescriber.token, None).await?;
            Ok::<_, anyhow::Error>(found["exercise"]["dose"].clone())
        };
        let Some(body) = change(&view, exercise, dose)
            .await
            .with_context(|| format!("prescribing {exercise} to {}", patient.email))?
        else {
            continue;
        };
        api.call(Method::PUT, &path, &prescriber.token, Some(&body)).await.with_context(|| {
            format!("{} prescribing {exercise} to {}", prescriber.email, patient.email)
        })?;
        added += 1;
    }
    Ok(added)
}

/// The new version that adds `exercise` to the programme `view` (as `GET …/programme` shows
/// it), or `None` when it is already there and may be done today. `dose` fetches the
/// library's default dose, only when it is needed.
async fn change<F, Fut>(view: &Value, exercise: &str, dose: F) -> Result<Option<Value>>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Value>>,
{
    let entries = view["entries"].as_array().map_or(&[][..], Vec::as_slice);
    if let Some(entry) = entries.iter().find(|e| e["item"]["exercise"] == exercise) {
        if entry["active_today"] != true {
            bail!(
                "it is in the programme, but not in force today; its clinician must change its dates"
            );
        }
        if entry["flags"].as_array().is_some_and(|f| !f.is_empty()) {
            bail!("it is in the programme, but a precaution now rules it out: {}", entry["flags"]);
        }
        return Ok(None);
    }
    let today = view["today"].as_str().context("the programme has no `today`")?;
    let dose = dose().await?;
    if !dose.is_object() {
        bail!("the library gives no dose for {exercise}");
    }
    let mut items: Vec<Value> = view["current"]["items"].as_array().cloned().unwrap_or_default();
    items.push(json!({"exercise": exercise, "dose": dose, "start": today}));
    Ok(Some(json!({
        "based_on": view["current"]["version"].as_i64().unwrap_or(0),
        "items": items,
        "reason": REASON,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dose() -> Value {
        json!({"sets": 2, "reps": 10, "rest_s": 30, "side": "alternating", "days": ["monday"], "times_per_day": 1})
    }

    fn run(view: Value) -> Result<Option<Value>> {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        rt.block_on(change(&view, "shoulder-abduction", || async { Ok(dose()) }))
    }

    #[test]
    fn a_first_programme_starts_today_at_the_default_dose() {
        let body = run(json!({"current": null, "entries": [], "today": "2026-12-07"})).unwrap();
        assert_eq!(
            body,
            Some(json!({
                "based_on": 0,
                "items": [{"exercise": "shoulder-abduction", "dose": dose(), "start": "2026-12-07"}],
                "reason": REASON,
            }))
        );
    }

    #[test]
    fn the_exercise_is_added_to_what_is_there() {
        let walk =
            json!({"exercise": "walk", "dose": {"sets": 1, "minutes": 20}, "start": "2026-11-01"});
        let view = json!({
            "current": {"version": 3, "items": [walk]},
            "entries": [{"item": walk, "active_today": true, "flags": []}],
            "today": "2026-12-07",
        });
        let body = run(view).unwrap().unwrap();
        assert_eq!(body["based_on"], 3);
        assert_eq!(body["items"][0], walk);
        assert_eq!(body["items"][1]["exercise"], "shoulder-abduction");
    }

    #[test]
    fn an_exercise_already_prescribed_is_left_alone() {
        let item = json!({"exercise": "shoulder-abduction"});
        let view = json!({
            "current": {"version": 1, "items": [item]},
            "entries": [{"item": item, "active_today": true, "flags": []}],
            "today": "2026-12-07",
        });
        assert_eq!(run(view).unwrap(), None);
    }

    #[test]
    fn a_flagged_or_ended_prescription_is_for_the_clinician() {
        let item = json!({"exercise": "shoulder-abduction"});
        let flagged = json!({
            "current": {"version": 1, "items": [item]},
            "entries": [{"item": item, "active_today": true, "flags": [{"precaution": "no_overhead_reaching"}]}],
            "today": "2026-12-07",
        });
        assert!(run(flagged).unwrap_err().to_string().contains("precaution"));
        let ended = json!({
            "current": {"version": 1, "items": [item]},
            "entries": [{"item": item, "active_today": false, "flags": []}],
            "today": "2026-12-07",
        });
        assert!(run(ended).unwrap_err().to_string().contains("not in force today"));
    }
}
