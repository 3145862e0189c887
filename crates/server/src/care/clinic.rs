//! A clinic's settings, changed by its admins: the reassessment schedule and the time zone
//! its pages show times in.

use physio_store::Role;

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState, zone::Zone};

const ADMINS_ONLY: &str = "only the clinic's admins change its settings";

/// Sets the follow-up weeks at which questionnaires fall due, as typed ("4, 8, 12"); the
/// baseline (week 0) is always kept.
pub async fn set_schedule(
    state: &AppState,
    p: &Principal,
    weeks: &str,
) -> Result<Vec<u32>, ApiError> {
    let mut act = Act::new(state, p, "update", "clinic_settings");
    let r = async {
        act.require_role(Role::Admin, ADMINS_ONLY)?;
        let parsed: Result<Vec<u32>, _> = weeks
            .split(',')
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::parse::<u32>)
            .collect();
        let mut weeks = match parsed {
            Ok(w) if w.iter().all(|w| (1..=104).contains(w)) => w,
            _ => {
                return Err(ApiError::invalid(
                    "weeks",
                    "enter whole weeks from 1 to 104, separated by commas, like 4, 8, 12",
                ));
            }
        };
        weeks.push(0);
        weeks.sort_unstable();
        weeks.dedup();
        act.tx().await?.set_reassessment_weeks(p.user.clinic_id, &weeks).await?;
        Ok(weeks)
    }
    .await;
    act.finish(r).await
}

/// The time zone the clinic's pages show times in: its own choice, or the server's default.
/// A stored name the database no longer knows falls back to the default, and is logged.
pub async fn zone(state: &AppState, clinic_id: uuid::Uuid) -> Result<Zone, ApiError> {
    match state.store().clinic_time_zone(clinic_id).await? {
        None => Ok(state.config().time_zone.clone()),
        Some(name) => Ok(Zone::by_name(&name).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the clinic's stored time zone is unknown; using the default");
            state.config().time_zone.clone()
        })),
    }
}

/// Sets the clinic's time zone by its IANA name, or goes back to the server's default when the
/// name is empty. Returns the zone now in force.
pub async fn set_time_zone(state: &AppState, p: &Principal, name: &str) -> Result<Zone, ApiError> {
    let mut act = Act::new(state, p, "update", "clinic_settings");
    let r = async {
        act.require_role(Role::Admin, ADMINS_ONLY)?;
        let name = name.trim();
        let zone = if name.is_empty() {
            None
        } else {
            Some(Zone::by_name(name).map_err(|_| {
                ApiError::invalid("time_zone", "choose the clinic's time zone from the list")
            })?)
        };
        let clinic = p.user.clinic_id;
        act.tx().await?.set_clinic_time_zone(clinic, zone.as_ref().map(Zone::name)).await?;
        Ok(zone.unwrap_or_else(|| state.config().time_zone.clone()))
    }
    .await;
    act.finish(r).await
}

/// The longest contact text.
pub const MAX_CONTACT_CHARS: usize = 300;

/// Sets how patients reach the clinic (printed on their programme), or clears it when empty.
pub async fn set_contact(
    state: &AppState,
    p: &Principal,
    contact: &str,
) -> Result<Option<String>, ApiError> {
    let mut act = Act::new(state, p, "update", "clinic_settings");
    let r = async {
        act.require_role(Role::Admin, ADMINS_ONLY)?;
        let contact = contact.trim();
        if contact.chars().count() > MAX_CONTACT_CHARS {
            return Err(ApiError::invalid(
                "contact",
                format!("keep the contact details to {MAX_CONTACT_CHARS} characters or fewer"),
            ));
        }
        let contact = (!contact.is_empty()).then(|| contact.to_owned());
        let clinic = p.user.clinic_id;
        act.tx().await?.set_clinic_contact(clinic, contact.as_deref()).await?;
        Ok(contact)
    }
    .await;
    act.finish(r).await
}
