//! A clinic's settings, changed by its admins: the reassessment schedule and the time zone
//! its pages show times in.

use physio_store::Role;

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

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
