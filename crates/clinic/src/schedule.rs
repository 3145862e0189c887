//! Which questionnaires a patient should fill in now: a baseline when the episode opens, then
//! follow-ups at the clinic's reassessment weeks (by default 4 and 8). A missed follow-up is
//! replaced by the next one rather than piling up; a missing baseline stays due, because every
//! later change is measured against it. When care ends, the discharge set is due for the
//! discharge window ([`crate::episode::DISCHARGE_WINDOW_DAYS`]).
//!
//! Disability is measured with the NDI when the only pain is in the neck, and with the ODI
//! otherwise ([`disability_instrument`]).

use time::{Date, Duration};

use crate::episode::EpisodeStatus;
use crate::intake::Region;
use crate::questionnaire::InstrumentId;

/// The disability questionnaire for these pain regions: the NDI (Neck Disability Index) when
/// every region is the neck, the ODI (Oswestry) otherwise. Pain in the neck and the back is
/// measured with the ODI, as the back usually limits daily life more; with no regions known, the
/// ODI too, the instrument for the commonest case.
pub fn disability_instrument(regions: &[Region]) -> InstrumentId {
    if !regions.is_empty() && regions.iter().all(|r| *r == Region::Cervical) {
        InstrumentId::Ndi
    } else {
        InstrumentId::Odi
    }
}

/// The name under which answers at `week` are stored: `baseline` or `week_4`, `week_8`, ...
pub fn timepoint(week: u32) -> String {
    if week == 0 { "baseline".to_owned() } else { format!("week_{week}") }
}

/// The questionnaires asked at a time point for pain in `regions`: the pain score, the
/// disability questionnaire ([`disability_instrument`]) and the patient's own activities; the
/// baseline adds mood, anxiety and the STarT Back risk screen, and follow-ups add the patient's
/// own rating of change (PGIC).
pub fn instruments_for(week: u32, regions: &[Region]) -> Vec<InstrumentId> {
    let disability = disability_instrument(regions);
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

/// The questionnaires asked when care ends, for pain in `regions`: the follow-up set plus
/// satisfaction with care.
pub fn instruments_at_discharge_for(regions: &[Region]) -> Vec<InstrumentId> {
    let mut v = instruments_for(4, regions);
    v.push(InstrumentId::Satisfaction);
    v
}

/// The discharge questionnaires not yet answered, due from the day of discharge.
fn discharge_set(
    discharged: Date,
    regions: &[Region],
    done: &[(InstrumentId, String)],
) -> Vec<Due> {
    instruments_at_discharge_for(regions)
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

/// An episode as the schedule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpisodeDates<'a> {
    /// Where the episode stands.
    pub status: EpisodeStatus,
    /// The day it opened (the baseline is due from then).
    pub opened: Date,
    /// The day care ended, once discharged.
    pub discharged: Option<Date>,
    /// Where the pain is, from the intake; decides NDI or ODI.
    pub regions: &'a [Region],
}

/// Everything due on `today` in an episode: nothing before the intake is sent; the baseline and
/// the latest follow-up reached while care goes on (the clinic's reassessment weeks, 0 =
/// baseline); after discharge, the discharge set while the discharge window is open, then
/// nothing. `done` lists the (instrument, time point) pairs already answered in the episode.
pub fn due_now(
    schedule: &[u32],
    episode: &EpisodeDates<'_>,
    today: Date,
    done: &[(InstrumentId, String)],
) -> Vec<Due> {
    if !episode.status.questionnaires_open(episode.discharged, today) {
        return Vec::new();
    }
    match (episode.status, episode.discharged) {
        (EpisodeStatus::Discharged, Some(day)) => discharge_set(day, episode.regions, done),
        _ => reassessments(schedule, episode.opened, today, episode.regions, done),
    }
}

/// What is due on `today` for an episode opened on `opened`, given the clinic's reassessment
/// weeks (0 = baseline) and the (instrument, time point) pairs already answered.
fn reassessments(
    schedule: &[u32],
    opened: Date,
    today: Date,
    regions: &[Region],
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
        for i in instruments_for(w, regions) {
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
    const LUMBAR: &[Region] = &[Region::Lumbar];
    const NECK: &[Region] = &[Region::Cervical];

    fn names(d: &[Due]) -> Vec<(String, &'static str)> {
        d.iter().map(|d| (d.timepoint.clone(), d.instrument.as_str())).collect()
    }

    #[test]
    fn baseline_is_due_at_once_and_stays_due_until_answered() {
        let d = reassessments(&[0, 4, 8], OPENED, OPENED, LUMBAR, &[]);
        assert_eq!(d.len(), 6);
        assert!(d.iter().all(|x| x.timepoint == "baseline" && x.since == OPENED));
        assert!(d.iter().any(|x| x.instrument == InstrumentId::Odi));
        let neck = reassessments(&[0, 4, 8], OPENED, OPENED, NECK, &[]);
        assert!(neck.iter().any(|x| x.instrument == InstrumentId::Ndi));
        assert!(!neck.iter().any(|x| x.instrument == InstrumentId::Odi));
        // Ten weeks on with nothing answered: the baseline and week 8, not week 4.
        let late = reassessments(&[0, 4, 8], OPENED, OPENED + Duration::weeks(10), LUMBAR, &[]);
        let points: std::collections::BTreeSet<String> =
            late.iter().map(|d| d.timepoint.clone()).collect();
        assert_eq!(points.into_iter().collect::<Vec<_>>(), vec!["baseline", "week_8"]);
    }

    #[test]
    fn discharge_asks_the_follow_up_set_and_satisfaction_once() {
        let on = date!(2026 - 11 - 20);
        let d = discharge_set(on, LUMBAR, &[]);
        assert_eq!(d.len(), 5);
        assert!(d.iter().all(|x| x.timepoint == "discharge" && x.since == on));
        assert!(d.iter().any(|x| x.instrument == InstrumentId::Satisfaction));
        let done = vec![
            (InstrumentId::Satisfaction, "discharge".to_owned()),
            (InstrumentId::Nprs, "week_4".to_owned()),
        ];
        let d = discharge_set(on, LUMBAR, &done);
        assert_eq!(d.len(), 4);
        assert!(d.iter().any(|x| x.instrument == InstrumentId::Nprs));
    }

    #[test]
    fn neck_only_pain_is_measured_with_the_ndi() {
        use Region::{Cervical, Lumbar, Thoracic};
        let cases: &[(&[Region], InstrumentId)] = &[
            (&[Cervical], InstrumentId::Ndi),
            (&[Lumbar], InstrumentId::Odi),
            (&[Thoracic], InstrumentId::Odi),
            (&[Cervical, Lumbar], InstrumentId::Odi),
            (&[Thoracic, Cervical], InstrumentId::Odi),
            (&[], InstrumentId::Odi),
        ];
        for (regions, expected) in cases {
            assert_eq!(disability_instrument(regions), *expected, "{regions:?}");
            assert!(instruments_for(0, regions).contains(expected));
            assert!(instruments_at_discharge_for(regions).contains(expected));
        }
    }

    #[test]
    fn due_now_follows_the_episode() {
        let regions = [Region::Cervical];
        let ep = |status, discharged| EpisodeDates {
            status,
            opened: OPENED,
            discharged,
            regions: &regions,
        };
        let on = date!(2026 - 11 - 20);
        assert!(due_now(&[0, 4], &ep(EpisodeStatus::Intake, None), OPENED, &[]).is_empty());
        let active = due_now(&[0, 4], &ep(EpisodeStatus::AwaitingReview, None), OPENED, &[]);
        assert!(active.iter().all(|d| d.timepoint == "baseline"));
        assert!(active.iter().any(|d| d.instrument == InstrumentId::Ndi));
        let discharged = ep(EpisodeStatus::Discharged, Some(on));
        let cases: &[(i64, usize)] = &[(0, 5), (29, 5), (30, 0)];
        for (after, count) in cases {
            let due = due_now(&[0, 4], &discharged, on + Duration::days(*after), &[]);
            assert_eq!(due.len(), *count, "{after} days after discharge");
            assert!(due.iter().all(|d| d.timepoint == "discharge"));
        }
    }

    #[test]
    fn answered_questionnaires_are_not_due_again() {
        let done: Vec<(InstrumentId, String)> =
            instruments_for(0, LUMBAR).into_iter().map(|i| (i, timepoint(0))).collect();
        assert!(
            reassessments(&[0, 4, 8], OPENED, OPENED + Duration::days(27), LUMBAR, &done)
                .is_empty()
        );
        let at4 = reassessments(&[0, 4, 8], OPENED, OPENED + Duration::weeks(4), LUMBAR, &done);
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
        let six = reassessments(&[6, 0], OPENED, OPENED + Duration::weeks(7), LUMBAR, &done);
        assert!(six.iter().all(|d| d.timepoint == "week_6"));
    }
}
