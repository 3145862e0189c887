//! Which questionnaires a patient should fill in now: a baseline when the episode opens, then
//! follow-ups at the clinic's reassessment weeks (by default 4 and 8). A missed follow-up is
//! replaced by the next one rather than piling up; a missing baseline stays due, because every
//! later change is measured against it.

use time::{Date, Duration};

use crate::questionnaire::InstrumentId;

/// The name under which answers at `week` are stored: `baseline` or `week_4`, `week_8`, ...
pub fn timepoint(week: u32) -> String {
    if week == 0 { "baseline".to_owned() } else { format!("week_{week}") }
}

/// The questionnaires asked at a time point. Neck pain is measured with the NDI, other back
/// pain with the ODI; the baseline adds mood, anxiety and the STarT Back risk screen, and
/// follow-ups add the patient's own rating of change (PGIC).
pub fn instruments_at(week: u32, neck: bool) -> Vec<InstrumentId> {
    let disability = if neck { InstrumentId::Ndi } else { InstrumentId::Odi };
    if week == 0 {
        vec![
            InstrumentId::Nprs,
            disability,
            InstrumentId::Psfs,
            InstrumentId::Phq9,
            InstrumentId::Gad7,
            InstrumentId::StartBack,
        ]
    } else {
        vec![InstrumentId::Nprs, disability, InstrumentId::Psfs, InstrumentId::Pgic]
    }
}

/// The questionnaires asked when care ends: the follow-up set plus satisfaction with care.
pub fn instruments_at_discharge(neck: bool) -> Vec<InstrumentId> {
    let mut v = instruments_at(4, neck);
    v.push(InstrumentId::Satisfaction);
    v
}

/// The discharge questionnaires not yet answered, due from the day of discharge.
pub fn due_at_discharge(discharged: Date, neck: bool, done: &[(InstrumentId, String)]) -> Vec<Due> {
    instruments_at_discharge(neck)
        .into_iter()
        .filter(|i| !done.iter().any(|(d, t)| d == i && t == "discharge"))
        .map(|instrument| Due { instrument, timepoint: "discharge".to_owned(), since: discharged })
        .collect()
}

/// One questionnaire to fill in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub instrument: InstrumentId,
    /// `baseline`, `week_4`, ...
    pub timepoint: String,
    /// The day it became due.
    pub since: Date,
}

/// What is due on `today` for an episode opened on `opened`, given the clinic's reassessment
/// weeks (0 = baseline) and the (instrument, time point) pairs already answered.
pub fn due(
    schedule: &[u32],
    opened: Date,
    today: Date,
    neck: bool,
    done: &[(InstrumentId, String)],
) -> Vec<Due> {
    let mut weeks: Vec<u32> = schedule.to_vec();
    weeks.sort_unstable();
    weeks.dedup();
    let reached = |w: u32| opened + Duration::weeks(i64::from(w)) <= today;
    // The latest follow-up reached (not the baseline), plus the baseline itself.
    let mut points: Vec<u32> = vec![0];
    if let Some(&latest) = weeks.iter().rfind(|&&w| w > 0 && reached(w)) {
        points.push(latest);
    }
    let mut out = vec![];
    for w in points {
        let name = timepoint(w);
        for i in instruments_at(w, neck) {
            if !done.iter().any(|(d, t)| *d == i && *t == name) {
                out.push(Due {
                    instrument: i,
                    timepoint: name.clone(),
                    since: opened + Duration::weeks(i64::from(w)),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const OPENED: Date = date!(2026 - 09 - 01);

    fn names(d: &[Due]) -> Vec<(String, &'static str)> {
        d.iter().map(|d| (d.timepoint.clone(), d.instrument.as_str())).collect()
    }

    #[test]
    fn baseline_is_due_at_once_and_stays_due_until_answered() {
        let d = due(&[0, 4, 8], OPENED, OPENED, false, &[]);
        assert_eq!(d.len(), 6);
        assert!(d.iter().all(|x| x.timepoint == "baseline" && x.since == OPENED));
        assert!(d.iter().any(|x| x.instrument == InstrumentId::Odi));
        let neck = due(&[0, 4, 8], OPENED, OPENED, true, &[]);
        assert!(neck.iter().any(|x| x.instrument == InstrumentId::Ndi));
        assert!(!neck.iter().any(|x| x.instrument == InstrumentId::Odi));
        // Ten weeks on with nothing answered: the baseline and week 8, not week 4.
        let late = due(&[0, 4, 8], OPENED, OPENED + Duration::weeks(10), false, &[]);
        let points: std::collections::BTreeSet<String> =
            late.iter().map(|d| d.timepoint.clone()).collect();
        assert_eq!(points.into_iter().collect::<Vec<_>>(), vec!["baseline", "week_8"]);
    }

    #[test]
    fn discharge_asks_the_follow_up_set_and_satisfaction_once() {
        let on = date!(2026 - 11 - 20);
        let d = due_at_discharge(on, false, &[]);
        assert_eq!(d.len(), 5);
        assert!(d.iter().all(|x| x.timepoint == "discharge" && x.since == on));
        assert!(d.iter().any(|x| x.instrument == InstrumentId::Satisfaction));
        let done = vec![
            (InstrumentId::Satisfaction, "discharge".to_owned()),
            (InstrumentId::Nprs, "week_4".to_owned()),
        ];
        let d = due_at_discharge(on, false, &done);
        assert_eq!(d.len(), 4);
        assert!(d.iter().any(|x| x.instrument == InstrumentId::Nprs));
    }

    #[test]
    fn answered_questionnaires_are_not_due_again() {
        let done: Vec<(InstrumentId, String)> =
            instruments_at(0, false).into_iter().map(|i| (i, timepoint(0))).collect();
        assert!(due(&[0, 4, 8], OPENED, OPENED + Duration::days(27), false, &done).is_empty());
        let at4 = due(&[0, 4, 8], OPENED, OPENED + Duration::weeks(4), false, &done);
        assert_eq!(
            names(&at4),
            vec![
                ("week_4".to_owned(), "nprs"),
                ("week_4".to_owned(), "odi"),
                ("week_4".to_owned(), "psfs"),
                ("week_4".to_owned(), "pgic")
            ]
        );
        assert!(at4.iter().all(|d| d.since == OPENED + Duration::weeks(4)));
        // A clinic that reassesses at week 6 only.
        let six = due(&[6, 0], OPENED, OPENED + Duration::weeks(7), false, &done);
        assert!(six.iter().all(|d| d.timepoint == "week_6"));
    }
}
