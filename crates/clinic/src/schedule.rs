//! Which questionnaires a patient should fill in now: a baseline when the episode opens, then
//! follow-ups at the clinic's reassessment weeks (by default 4 and 8). A missed follow-up is
//! replaced by the next one rather than piling up; a missing baseline stays due, because every
//! later change is measured against it. When care ends, the discharge set is due for the
//! discharge window ([`crate::episode::DISCHARGE_WINDOW_DAYS`]).
//!
//! Disability is measured with the NDI when the only pain is in the neck, and with the ODI
//! otherwise ([`disability_instrument`]).
//!
//! The baseline is spread over the first days ([`BASELINE_PER_DAY`]) so that the day a patient
//! sends their intake is not a wall of forms: pain and disability first, then the STarT Back
//! risk screen and the patient's own activities, then mood and anxiety. Every baseline
//! questionnaire is open from the first day (an answer given early is filed as the baseline);
//! [`Due::asked_on`] says which are put to the patient on a given day.

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

/// At most this many baseline questionnaires are put to a patient on one day; the rest follow
/// on the next days, in the order of [`instruments_for`]. Six on the first day, right after the
/// intake, is more than a patient in pain finishes well; two (the pain score, often carried
/// over from the intake, and the disability questionnaire) is a few minutes.
pub const BASELINE_PER_DAY: usize = 2;

/// The questionnaires asked at a time point for pain in `regions`, in the order they are asked:
/// the pain score, the disability questionnaire ([`disability_instrument`]) and the patient's
/// own activities; the baseline adds the STarT Back risk screen (before the activities: it
/// guides how much support care starts with), mood and anxiety, and follow-ups add the
/// patient's own rating of change (PGIC).
pub fn instruments_for(week: u32, regions: &[Region]) -> Vec<InstrumentId> {
    let disability = disability_instrument(regions);
    if week == 0 {
        vec![
            InstrumentId::Nprs,
            disability,
            InstrumentId::StartBack,
            InstrumentId::Psfs,
            InstrumentId::Phq9,
            InstrumentId::Gad7,
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
    /// The day it is first put to the patient: the time point's day, or for the baseline the
    /// day its turn comes ([`BASELINE_PER_DAY`]).
    pub since: Date,
}

impl Due {
    /// Whether it is put to the patient on `today`. One not yet asked is still open: an answer
    /// sent for it is filed under its time point.
    pub fn asked_on(&self, today: Date) -> bool {
        self.since <= today
    }
}

/// An episode as the schedule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpisodeDates<'a> {
    /// Where the episode stands.
    pub status: EpisodeStatus,
    /// The day it opened; follow-ups count their weeks from it.
    pub opened: Date,
    /// The day the intake was sent, from which the baseline is spread; `None` reads as
    /// `opened`.
    pub intake_sent: Option<Date>,
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
        _ => {
            let baseline_from = episode.intake_sent.unwrap_or(episode.opened).max(episode.opened);
            let mut due = reassessments(schedule, episode.opened, today, episode.regions, done);
            spread_baseline(&mut due, baseline_from, episode.regions);
            due
        }
    }
}

/// Sets each baseline questionnaire's first day: [`BASELINE_PER_DAY`] a day from `from`, by its
/// place in the baseline set (answered ones keep their place, so answering early does not pull
/// the next ones forward).
fn spread_baseline(due: &mut [Due], from: Date, regions: &[Region]) {
    let order = instruments_for(0, regions);
    for d in due.iter_mut().filter(|d| d.timepoint == timepoint(0)) {
        let place = order.iter().position(|i| *i == d.instrument).unwrap_or(0);
        let day = i64::try_from(place / BASELINE_PER_DAY).unwrap_or(0);
        d.since = from + Duration::days(day);
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
        assert_eq!(
            names(&d).into_iter().map(|(_, i)| i).collect::<Vec<_>>(),
            ["nprs", "odi", "startback", "psfs", "phq9", "gad7"],
            "the order the baseline is asked in"
        );
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
            intake_sent: None,
            discharged,
            regions: &regions,
        };
        let on = date!(2026 - 11 - 20);
        assert!(due_now(&[0, 4], &ep(EpisodeStatus::Intake, None), OPENED, &[]).is_empty());
        let active = due_now(&[0, 4], &ep(EpisodeStatus::AwaitingReview, None), OPENED, &[]);
        assert!(active.iter().all(|d| d.timepoint == "baseline"));
        assert!(active.iter().any(|d| d.instrument == InstrumentId::Ndi && d.asked_on(OPENED)));
        let discharged = ep(EpisodeStatus::Discharged, Some(on));
        let cases: &[(i64, usize)] = &[(0, 5), (29, 5), (30, 0)];
        for (after, count) in cases {
            let due = due_now(&[0, 4], &discharged, on + Duration::days(*after), &[]);
            assert_eq!(due.len(), *count, "{after} days after discharge");
            assert!(due.iter().all(|d| d.timepoint == "discharge"));
        }
    }

    fn asked(due: &[Due], day: Date) -> Vec<&'static str> {
        due.iter().filter(|d| d.asked_on(day)).map(|d| d.instrument.as_str()).collect()
    }

    #[test]
    fn the_baseline_is_spread_two_a_day_from_the_day_the_intake_is_sent() {
        let sent = OPENED + Duration::days(3);
        let episode = EpisodeDates {
            status: EpisodeStatus::AwaitingReview,
            opened: OPENED,
            intake_sent: Some(sent),
            discharged: None,
            regions: LUMBAR,
        };
        let due = due_now(&[0, 4, 8], &episode, sent, &[]);
        // All six are open (an answer to any is the baseline), but only two are asked today.
        assert_eq!(due.len(), 6);
        assert_eq!(asked(&due, sent), ["nprs", "odi"]);
        assert_eq!(asked(&due, sent + Duration::days(1)), ["nprs", "odi", "startback", "psfs"]);
        assert_eq!(asked(&due, sent + Duration::days(2)).len(), 6);
        // Answering the first day's pair does not bring the next ones forward.
        let done = [(InstrumentId::Nprs, timepoint(0)), (InstrumentId::Odi, timepoint(0))];
        assert!(asked(&due_now(&[0, 4, 8], &episode, sent, &done), sent).is_empty());
        // Never more than BASELINE_PER_DAY new ones on any day.
        for day in 0..5 {
            let on = sent + Duration::days(day);
            let new = due.iter().filter(|d| d.since == on).count();
            assert!(new <= BASELINE_PER_DAY, "{new} new on day {day}");
        }
        // Follow-ups are not spread: they are four short ones, asked together.
        let at4 = due_now(&[0, 4, 8], &episode, OPENED + Duration::weeks(4), &done);
        assert_eq!(
            at4.iter()
                .filter(|d| d.timepoint == "week_4" && d.asked_on(OPENED + Duration::weeks(4)))
                .count(),
            4
        );
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
