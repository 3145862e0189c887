//! What a patient reads about one measure: the scores that count as "about the same" as their
//! first one (the band on the chart), and one sentence saying which way the score has gone
//! and whether the change is big enough to be real.
//!
//! The verdict is [`classify_change`]'s between the first score and the latest, so the sentence
//! never disagrees with what the clinician sees. The words say "went down" or "went up" with
//! the numbers, and a second line says which way is better, because a patient cannot be
//! expected to know that a lower disability score and a higher activity score are both good.

use serde::Serialize;

use crate::questionnaire::{
    Change, ChangeError, Direction, InstrumentId, Mcid, classify_change, direction, mcid,
};

/// The smallest change from `baseline` that counts as real, in score units; `None` for an
/// instrument without one.
///
/// Where either of a points or a percentage threshold is enough, the smaller is the threshold;
/// a percentage of a zero baseline is nothing, so from 0 only points count (and a
/// percentage-only rule has no band: any rise from 0 counts).
pub fn threshold(instrument: InstrumentId, baseline: f64) -> Option<f64> {
    match mcid(instrument) {
        Mcid::PointsOrPercent { points, percent } if baseline > 0.0 => {
            Some(points.min(percent * baseline / 100.0))
        }
        Mcid::PointsOrPercent { points, .. } | Mcid::Points { points } => Some(points),
        Mcid::Percent { percent } => (baseline > 0.0).then(|| percent * baseline / 100.0),
        Mcid::Graded { small, .. } => Some(small),
        Mcid::SelfRated | Mcid::NotEstablished => None,
    }
}

/// The scores too close to `baseline` to count as a change, within the instrument's range:
/// what the chart shades.
pub fn band(instrument: InstrumentId, baseline: f64) -> Option<(f64, f64)> {
    let t = threshold(instrument, baseline)?;
    let scale = instrument.scale();
    Some(((baseline - t).max(scale.min), (baseline + t).min(scale.max)))
}

/// One measure, told to the patient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// First score against the latest; `None` while there is only one score.
    pub change: Option<Change>,
    /// The sentence: "Your score for how your back affects daily life went down from 42 to
    /// 24 — that is a real improvement."
    pub text: String,
    /// Which way is better: "Lower scores are better."
    pub reading: &'static str,
}

/// Tells the patient how `scores` (oldest first, at least one) of `instrument` have gone. `title`
/// is the instrument's plain title for patients ("How your back affects daily life").
///
/// # Errors
///
/// As [`classify_change`]: a score outside the instrument's range, or an instrument without a
/// meaningful change to judge against.
pub fn summarise(
    instrument: InstrumentId,
    title: &str,
    scores: &[f64],
) -> Result<Option<Summary>, ChangeError> {
    let (Some(&first), Some(&latest)) = (scores.first(), scores.last()) else {
        return Ok(None);
    };
    let what = subject(instrument, title);
    let lower_better = direction(instrument) == Direction::LowerIsBetter;
    let reading =
        if lower_better { "Lower scores are better." } else { "Higher scores are better." };
    if scores.len() == 1 {
        // Checked even alone, so a bad score is never shown as if it were fine.
        classify_change(instrument, first, first)?;
        let text = format!(
            "{what} is {} so far. Your next questionnaire will show how it has changed.",
            num(first)
        );
        return Ok(Some(Summary { change: None, text, reading }));
    }
    let change = classify_change(instrument, first, latest)?.change;
    let (a, b) = (num(first), num(latest));
    let moved = if latest < first { "went down" } else { "went up" };
    let text = match change {
        Change::Improved => format!("{what} {moved} from {a} to {b} — that is a real improvement."),
        Change::Unchanged if a == b => format!("{what} is {b}, the same as at the start."),
        Change::Unchanged => {
            format!("{what} {moved} from {a} to {b} — about the same as at the start.")
        }
        Change::Worse => format!(
            "{what} {moved} from {a} to {b} — that is worse than at the start. Your \
             physiotherapist sees this too: tell them how you are getting on."
        ),
    };
    Ok(Some(Summary { change: Some(change), text, reading }))
}

/// A score for a sentence: whole numbers as they are, others to one decimal place.
pub fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded:.1}") }
}

/// What the sentence is about. Most titles read well after "Your score for" ("how your back
/// affects daily life"); pain and the activities do not ("for how strong your pain is went
/// down", "for things you find hard to do went up"), so they have their own words.
fn subject(instrument: InstrumentId, title: &str) -> String {
    match instrument {
        InstrumentId::Nprs => "Your pain score".to_owned(),
        InstrumentId::Psfs => {
            "Your score for how well you can do the things you find hard".to_owned()
        }
        _ => format!("Your score for {}", lower_first(title)),
    }
}

/// "How your back…" → "how your back…", to sit inside a sentence.
fn lower_first(title: &str) -> String {
    let mut chars = title.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use InstrumentId::*;

    const BACK: &str = "How your back affects daily life";

    fn say(instrument: InstrumentId, scores: &[f64]) -> Summary {
        summarise(instrument, BACK, scores).unwrap().unwrap()
    }

    #[test]
    fn odi_falling_past_the_threshold_is_a_real_improvement() {
        let s = say(Odi, &[42.0, 30.0, 24.0]);
        assert_eq!(s.change, Some(Change::Improved));
        assert_eq!(
            s.text,
            "Your score for how your back affects daily life went down from 42 to 24 — that is \
             a real improvement."
        );
        assert_eq!(s.reading, "Lower scores are better.");
    }

    #[test]
    fn lower_is_better_for_odi_ndi_and_pain_higher_for_psfs() {
        for id in [Odi, Ndi, Nprs] {
            assert_eq!(say(id, &[9.0, 1.0]).change, Some(Change::Improved), "{id} down");
            assert_eq!(say(id, &[1.0, 9.0]).change, Some(Change::Worse), "{id} up");
        }
        assert_eq!(say(Psfs, &[3.0, 7.0]).change, Some(Change::Improved));
        assert_eq!(say(Psfs, &[7.0, 3.0]).change, Some(Change::Worse));
        assert_eq!(say(Psfs, &[3.0, 7.0]).reading, "Higher scores are better.");
        assert!(say(Psfs, &[3.0, 7.0]).text.contains("went up from 3 to 7 — that is a real"));
    }

    #[test]
    fn a_small_change_is_about_the_same_and_a_rise_is_worse_with_what_to_do() {
        let s = say(Odi, &[42.0, 36.0]);
        assert_eq!(s.change, Some(Change::Unchanged));
        assert!(s.text.ends_with("went down from 42 to 36 — about the same as at the start."));
        let s = say(Odi, &[24.0, 40.0]);
        assert_eq!(s.change, Some(Change::Worse));
        assert!(s.text.contains("went up from 24 to 40 — that is worse"), "{}", s.text);
        assert!(s.text.contains("tell them"), "a worse score comes with something to do");
        assert!(say(Nprs, &[5.0, 5.0]).text.ends_with("is 5, the same as at the start."));
    }

    #[test]
    fn the_first_score_alone_says_what_comes_next() {
        let s = say(Odi, &[6.0]);
        assert_eq!(s.change, None);
        assert!(s.text.starts_with("Your score for how your back affects daily life is 6 so far."));
        assert_eq!(summarise(Nprs, BACK, &[]).unwrap(), None);
    }

    #[test]
    fn bad_scores_and_measures_without_a_threshold_are_errors() {
        assert!(summarise(Nprs, BACK, &[11.0]).is_err());
        assert!(summarise(Odi, BACK, &[40.0, f64::NAN]).is_err());
        assert!(summarise(Wpai, BACK, &[40.0, 20.0]).is_err());
    }

    #[test]
    fn threshold_takes_the_smaller_of_points_or_percent() {
        assert_eq!(threshold(Odi, 42.0), Some(10.0));
        assert_eq!(threshold(Odi, 20.0), Some(6.0), "30% of 20");
        assert_eq!(threshold(Odi, 0.0), Some(10.0), "from 0 only points");
        assert_eq!(threshold(Nprs, 6.0), Some(1.8));
        assert_eq!(threshold(Ndi, 30.0), Some(5.0));
        assert_eq!(threshold(Psfs, 3.0), Some(1.3));
        assert_eq!(threshold(Phq9, 0.0), None);
        assert_eq!(threshold(Pgic, 3.0), None);
    }

    #[test]
    fn the_band_agrees_with_the_verdict_and_stays_in_range() {
        // Just inside the band is "about the same"; just outside is a change.
        for (id, base) in [(Odi, 42.0), (Odi, 20.0), (Nprs, 6.0), (Ndi, 30.0), (Psfs, 3.0)] {
            let (lo, hi) = band(id, base).unwrap();
            let inside = |v: f64| say(id, &[base, v]).change == Some(Change::Unchanged);
            assert!(inside(lo + 0.01) && inside(hi - 0.01), "{id} from {base}");
            assert!(!inside(lo - 0.01) && !inside(hi + 0.01), "{id} from {base}");
        }
        assert_eq!(band(Nprs, 1.0), Some((0.7, 1.3)));
        assert_eq!(band(Odi, 95.0), Some((85.0, 100.0)), "clamped to the scale");
    }

    #[test]
    fn pain_and_activities_have_their_own_words() {
        let pain = summarise(Nprs, "How strong your pain is", &[6.0, 2.0]).unwrap().unwrap();
        assert_eq!(
            pain.text,
            "Your pain score went down from 6 to 2 — that is a real improvement."
        );
        let psfs = summarise(Psfs, "Things you find hard to do", &[3.0, 7.7]).unwrap().unwrap();
        assert_eq!(
            psfs.text,
            "Your score for how well you can do the things you find hard went up from 3 to 7.7 — \
             that is a real improvement."
        );
    }

    #[test]
    fn numbers_read_plainly() {
        assert_eq!(num(24.0), "24");
        assert_eq!(num(35.555), "35.6");
        assert_eq!(num(6.96), "7");
    }
}
