//! The tracker on synthetic poses: counting, sides, partial repetitions, calibration, odd frames.

use crate::exercises::{FormError, find};
use crate::geom::V3;
use crate::kinematics::{Channel, Side, angles_of};
use crate::skeleton::{Frame, Joint};
use crate::tracker::channels::channels_read;
use crate::tracker::{Calibration, Event, RepMetrics, Tracker, TrackerConfig};

/// A person facing +z whose right arm abducts to `deg` (y up, right = −x).
fn pose(t: f64, deg: f32) -> Frame {
    let mut f = Frame::empty(t);
    let put = |f: &mut Frame, j: Joint, x: f32, y: f32| f.set(j, V3::new(x, y, 0.0), 1.0);
    put(&mut f, Joint::LeftShoulder, 0.2, 1.4);
    put(&mut f, Joint::RightShoulder, -0.2, 1.4);
    put(&mut f, Joint::LeftElbow, 0.2, 1.1);
    put(&mut f, Joint::LeftWrist, 0.2, 0.85);
    put(&mut f, Joint::LeftHip, 0.1, 0.9);
    put(&mut f, Joint::RightHip, -0.1, 0.9);
    let (s, c) = deg.to_radians().sin_cos();
    put(&mut f, Joint::RightElbow, -0.2 - 0.3 * s, 1.4 - 0.3 * c);
    put(&mut f, Joint::RightWrist, -0.2 - 0.55 * s, 1.4 - 0.55 * c);
    f
}

#[test]
fn counts_synthetic_abductions() {
    let spec = find("shoulder-abduction").unwrap();
    let mut tr =
        Tracker::new(spec, TrackerConfig { target_reps: Some(5), ..TrackerConfig::DEFAULT });
    let mut done = Vec::new();
    let mut set_complete = false;
    for i in 0..(30 * 20) {
        let t = i as f64 / 30.0;
        // 4 s per repetition: 10° → 150° → 10°, after 1 s of rest.
        let phase = ((t - 1.0).max(0.0) % 4.0) / 4.0;
        let deg = 10.0 + 140.0 * (std::f64::consts::PI * phase).sin().powi(2) as f32;
        for e in tr.push(&pose(t, deg)) {
            match e {
                Event::RepCompleted(m) => done.push(*m),
                Event::SetComplete { .. } => set_complete = true,
                _ => {}
            }
        }
    }
    assert_eq!(done.len(), 4, "{done:?}");
    assert!(set_complete || done.len() < 5);
    for m in &done {
        assert!((m.peak_deg - 150.0).abs() < 5.0, "{m:?}");
        assert!(m.correct, "{m:?}");
        assert_eq!(m.side, Some(Side::Right));
    }
    let s = tr.finish();
    assert_eq!(s.reps, 4);
}

#[test]
fn resting_arm_glitch_between_repetitions_is_not_counted() {
    let spec = find("shoulder-abduction").unwrap();
    let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
    let mut reps = 0;
    for i in 0..(30 * 14) {
        let t = i as f64 / 30.0;
        // Right arm: 4 s repetitions (10° → 150° → 10°) with 1 s rest before each.
        let phase = (t % 5.0 - 1.0).max(0.0) / 4.0;
        let deg = 10.0 + 140.0 * (std::f64::consts::PI * phase).sin().powi(2) as f32;
        let mut f = pose(t, deg);
        // The resting left arm "jumps" to horizontal for 0.6 s during the second rest, as
        // a depth sensor's occluded arm does.
        if (5.2..5.8).contains(&t) {
            f.set(Joint::LeftElbow, V3::new(0.5, 1.4, 0.0), 1.0);
            f.set(Joint::LeftWrist, V3::new(0.75, 1.4, 0.0), 1.0);
        }
        reps += tr.push(&f).iter().filter(|e| matches!(e, Event::RepCompleted(_))).count();
    }
    assert_eq!(reps, 2);
}

/// Feeds `deg(t)` for `secs` at 30 Hz; returns the completed repetitions.
fn run(tr: &mut Tracker, secs: f64, deg: impl Fn(f64) -> f32) -> Vec<RepMetrics> {
    let mut done = Vec::new();
    for i in 0..(30.0 * secs) as usize {
        let t = i as f64 / 30.0;
        for e in tr.push(&pose(t, deg(t))) {
            if let Event::RepCompleted(m) = e {
                done.push(*m);
            }
        }
    }
    done
}

/// 4-s repetitions from `low` to `high` and back, after 1 s of rest.
fn reps(t: f64, low: f32, high: f32) -> f32 {
    let phase = ((t - 1.0).max(0.0) % 4.0) / 4.0;
    low + (high - low) * (std::f64::consts::PI * phase).sin().powi(2) as f32
}

#[test]
fn repetitions_that_stop_short_of_rest_are_still_counted_apart() {
    let spec = find("shoulder-abduction").unwrap();
    let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
    // Three full repetitions, then the tired arm goes 60° → 150° → 60° without coming back
    // down: each of those is a repetition too, not one long one.
    let done =
        run(&mut tr, 25.0, |t| if t < 13.0 { reps(t, 10.0, 150.0) } else { reps(t, 60.0, 150.0) });
    assert_eq!(done.len(), 6, "{done:?}");
    for pair in done.windows(2) {
        assert!(pair[1].start_s >= pair[0].end_s - 1e-9, "{done:?}");
        assert!(pair[1].end_s - pair[1].start_s < 4.5, "{done:?}");
    }
}

#[test]
fn a_recording_that_ends_on_the_way_back_counts_its_last_repetition() {
    let spec = find("shoulder-abduction").unwrap();
    // Two repetitions, then the third is cut off at 150° → 50° (on its way back).
    let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
    assert_eq!(run(&mut tr, 12.3, |t| reps(t, 10.0, 150.0)).len(), 2);
    let last: Vec<Event> = tr.end().to_vec();
    assert!(matches!(last[..], [Event::RepCompleted(RepMetrics { index: 3, .. })]), "{last:?}");
    // Cut off at the peak, it is not a repetition yet.
    let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
    assert_eq!(run(&mut tr, 11.0, |t| reps(t, 10.0, 150.0)).len(), 2);
    assert!(tr.end().is_empty());
    assert_eq!(tr.finish().reps, 2);
}

#[test]
fn a_recording_that_begins_part_way_through_a_repetition_counts_it() {
    let spec = find("shoulder-abduction").unwrap();
    // The take begins with the arm at 100° on its way down (reaching rest in 0.7 s), then
    // two full repetitions.
    let deg = |t: f64| {
        if t < 0.7 {
            55.0 + 45.0 * (std::f64::consts::PI * t / 0.7).cos() as f32
        } else {
            reps(t - 0.7, 10.0, 150.0)
        }
    };
    let config = TrackerConfig { may_start_mid_rep: true, ..TrackerConfig::DEFAULT };
    let mut tr = Tracker::new(spec, config);
    let done = run(&mut tr, 10.0, deg);
    assert_eq!(done.len(), 3, "{done:?}");
    let first = done[0];
    assert_eq!((first.index, first.start_s), (1, 0.0), "{first:?}");
    assert!((first.end_s - 0.7).abs() < 0.2 && (first.peak_deg - 100.0).abs() < 5.0, "{first:?}");
    // Its start was not seen: it is not judged too fast.
    assert!(!first.errors.contains(FormError::TooFast), "{first:?}");
    // A live session begins at rest, after calibration: there the descent is not counted.
    let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
    assert_eq!(run(&mut tr, 10.0, deg).len(), 2);
    // Nor is anything counted when the take begins at rest.
    let mut tr = Tracker::new(spec, config);
    assert_eq!(run(&mut tr, 9.3, |t| reps(t, 10.0, 150.0)).len(), 2);
}

#[test]
fn one_sided_exercises_follow_the_arm_that_moves_even_below_the_resting_one() {
    let spec = find("shoulder-abduction").unwrap();
    // The resting left arm hangs out at 60°, higher than the right arm ever goes (10° → 50°).
    let config = TrackerConfig {
        calibration: Some(Calibration::range_only(10.0, 50.0)),
        ..TrackerConfig::DEFAULT
    };
    let mut tr = Tracker::new(spec, config);
    let mut done = Vec::new();
    for i in 0..(30 * 14) {
        let t = i as f64 / 30.0;
        let mut f = pose(t, reps(t, 10.0, 50.0));
        let (s, c) = 60f32.to_radians().sin_cos();
        f.set(Joint::LeftElbow, V3::new(0.2 + 0.3 * s, 1.4 - 0.3 * c, 0.0), 1.0);
        f.set(Joint::LeftWrist, V3::new(0.2 + 0.55 * s, 1.4 - 0.55 * c, 0.0), 1.0);
        for e in tr.push(&f) {
            if let Event::RepCompleted(m) = e {
                done.push(*m);
            }
        }
    }
    assert_eq!(done.len(), 3, "{done:?}");
    assert!(done.iter().all(|m| m.side == Some(Side::Right)), "{done:?}");
}

#[test]
fn a_calibration_judges_range_but_counting_follows_the_person() {
    let spec = find("shoulder-abduction").unwrap();
    let calibration = Some(Calibration::range_only(10.0, 150.0));
    // Self-calibrated, a uniformly reduced set (to 130°, past the instruction's 120°) looks
    // consistent with itself...
    let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
    let done = run(&mut tr, 21.0, |t| reps(t, 10.0, 130.0));
    assert_eq!(done.len(), 5);
    assert!(done.iter().all(|m| m.correct), "{done:?}");
    // ...against the person's calibrated 10°–150°, every repetition is short, and still
    // counted.
    let mut tr = Tracker::new(spec, TrackerConfig { calibration, ..TrackerConfig::DEFAULT });
    let done = run(&mut tr, 21.0, |t| reps(t, 10.0, 130.0));
    assert_eq!(done.len(), 5);
    assert!(done.iter().all(|m| m.errors.contains(FormError::TooLittleRange)), "{done:?}");
    // A shortfall within measurement noise (145° of 150°) is not called short.
    let mut tr = Tracker::new(spec, TrackerConfig { calibration, ..TrackerConfig::DEFAULT });
    let done = run(&mut tr, 21.0, |t| reps(t, 10.0, 145.0));
    assert!(done.iter().all(|m| m.correct), "{done:?}");
    // The calibration a set gives is its median repetition.
    let c = Calibration::from_reps(
        spec.direction,
        done.iter().map(|m| (m.peak_deg, m.rom_deg, m.checks, m.bands)),
    );
    let c = c.unwrap();
    assert!((c.peak - 145.0).abs() < 3.0 && (c.rest - 10.0).abs() < 3.0, "{c:?}");
    assert_eq!(Calibration::from_reps(spec.direction, []), None);
}

#[test]
fn a_tracker_computes_the_channels_its_exercise_reads() {
    let spec = find("shoulder-abduction").unwrap();
    let want = channels_read(spec);
    for c in [
        Channel::ShoulderElevationRight,
        Channel::ShoulderPlaneLeft,
        Channel::TrunkSideLean,
        Channel::ShoulderHikeRight,
        Channel::ElbowFlexionLeft,
    ] {
        assert!(want.contains(c), "{c:?}");
    }
    assert!(!want.contains(Channel::KneeFlexionLeft) && !want.contains(Channel::ThoracicRotation));
    let f = pose(0.0, 70.0);
    let (all, some) = (crate::kinematics::angles(&f), angles_of(&f, want));
    for c in Channel::ALL.into_iter().filter(|&c| want.contains(c)) {
        assert_eq!(all.get(c), some.get(c), "{c:?}");
    }
    // What abduction does not read is not computed.
    for c in [Channel::ThoracicRotation, Channel::ArmLiftLeft] {
        assert!(all.get(c).is_some() && some.get(c).is_none(), "{c:?}");
    }
}

#[test]
fn never_panics_on_odd_frames() {
    for spec in crate::exercises::EXERCISES.iter() {
        let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
        let mut f = pose(0.0, 90.0);
        tr.push(&f);
        f.t = f64::NAN;
        tr.push(&f);
        f.t = -1.0;
        tr.push(&f);
        let mut g = Frame::empty(1.0);
        g.joints[0].p = V3::new(f32::NAN, f32::INFINITY, 0.0);
        g.joints[0].conf = 1.0;
        tr.push(&g);
        tr.push(&Frame::empty(1e300));
        let _ = tr.finish();
    }
}

#[test]
fn a_flick_too_quick_to_be_a_repetition_is_not_counted() {
    let spec = find("shoulder-abduction").unwrap();
    let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
    let mut ignored = 0;
    let mut counted = 0;
    for i in 0..(30 * 6) {
        let t = i as f64 / 30.0;
        // At 2 s, the arm flicks up to 120° and back in 0.4 s.
        let x = ((t - 2.0) / 0.4).clamp(0.0, 1.0);
        let deg = 10.0 + 110.0 * (std::f64::consts::PI * x).sin().powi(2) as f32;
        for e in tr.push(&pose(t, deg)) {
            match e {
                Event::MovementIgnored { reason: crate::tracker::Ignored::TooShort, .. } => {
                    ignored += 1;
                }
                Event::RepCompleted(_) => counted += 1,
                _ => {}
            }
        }
    }
    assert_eq!((counted, ignored), (0, 1));
    assert_eq!(tr.finish().ignored_movements, 1);
}

#[test]
fn a_set_smaller_than_expected_counts_from_its_first_repetition() {
    let spec = find("shoulder-abduction").unwrap();
    // The nominal range is 100°; these repetitions rise 30° (under 40 % of it), four of them.
    let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
    let done = run(&mut tr, 18.0, |t| if t < 17.0 { reps(t, 10.0, 40.0) } else { 10.0 });
    assert_eq!(done.len(), 4, "{done:?}");
    assert!(done[0].start_s < 2.0, "the first one counts: {done:?}");
    // One such movement alone is not a set.
    let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
    assert!(run(&mut tr, 8.0, |t| if t < 5.0 { reps(t, 10.0, 40.0) } else { 10.0 }).is_empty());
}

#[test]
fn losing_the_moving_arm_is_told_with_its_joints_and_its_return_too() {
    let spec = find("shoulder-abduction").unwrap();
    let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
    let mut told = Vec::new();
    for i in 0..(30 * 6) {
        let t = i as f64 / 30.0;
        let mut f = pose(t, 10.0);
        if (1.0..3.5).contains(&t) {
            // Both arms out of view.
            for j in [Joint::LeftElbow, Joint::LeftWrist, Joint::RightElbow, Joint::RightWrist] {
                f.joints[j.index()].conf = 0.0;
            }
        }
        told.extend(tr.push(&f).iter().copied());
    }
    let lost: Vec<_> = told.iter().filter(|e| matches!(e, Event::SignalLost { .. })).collect();
    let Some(Event::SignalLost { t, joints }) = lost.first().copied() else {
        panic!("never told: {told:?}")
    };
    assert_eq!(lost.len(), 1);
    assert!(*t >= 2.0 && *t < 2.8, "{t}");
    for j in [Joint::RightElbow, Joint::RightWrist, Joint::LeftElbow, Joint::LeftWrist] {
        assert!(joints.contains(j), "{j:?} not in {joints:?}");
    }
    assert!(!joints.contains(Joint::RightShoulder));
    assert!(told.iter().any(|e| matches!(e, Event::SignalFound { t } if *t >= 3.5)));
    assert!(tr.missing_frames().iter().any(|&(j, n)| j == Joint::RightWrist && n > 0));
}
