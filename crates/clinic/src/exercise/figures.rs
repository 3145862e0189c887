//! Tests of the built-in figures (`library/figures.json`): every exercise of the library has
//! exactly one; a figure that does not show its exercise is a bug, so where the motion crate
//! tracks the exercise, the figure's start and end are run through the same kinematics the
//! camera uses and must move as the exercise's specification asks; and every figure rests on
//! the floor the way its position says.

use std::collections::BTreeMap;

use physio_motion::exercises::{self, Direction, ExerciseSpec, Measure, SideRule, Which};
use physio_motion::figure::{Base, Figure, Pose, pose_frame};
use physio_motion::kinematics::{Angles, Channel, Side, angles};
use physio_motion::skeleton::{Frame, Joint};

/// The exercises of the built-in library (`exercises.json` is written separately; the ids
/// are agreed).
const IDS: [&str; 53] = [
    "open-book",
    "thread-the-needle",
    "cat-camel",
    "towel-roll-extension",
    "thoracic-rotation",
    "prone-y-raise",
    "prone-t-raise",
    "prone-w-raise",
    "band-row",
    "wall-angel",
    "scapular-squeeze",
    "chin-tuck",
    "chin-tuck-lying",
    "belly-breathing",
    "rib-breathing",
    "short-walk",
    "walk",
    "brisk-walk",
    "tummy-tightening",
    "dead-bug-arms",
    "dead-bug",
    "bird-dog-arms",
    "bird-dog",
    "bridge",
    "single-leg-bridge",
    "side-plank-knees",
    "side-plank",
    "heel-slide",
    "ankle-pumps",
    "buttock-squeeze",
    "thigh-tightening",
    "log-roll",
    "hip-hinge",
    "wall-squat",
    "single-leg-stance",
    "deep-squat",
    "hurdle-step",
    "inline-lunge",
    "side-lunge",
    "sit-to-stand",
    "straight-leg-raise",
    "shoulder-abduction",
    "shoulder-extension",
    "shoulder-rotation",
    "shoulder-scaption",
    "trunk-side-bend",
    "arm-raise",
    "shoulder-flexion",
    "pelvic-tilt",
    "knee-to-chest",
    "prone-press-up",
    "neck-turn",
    "neck-side-bend",
];

fn figures() -> BTreeMap<String, Figure> {
    serde_json::from_str(include_str!("../../library/figures.json"))
        .unwrap_or_else(|e| panic!("figures.json does not parse: {e}"))
}

#[test]
fn every_exercise_has_a_figure_and_there_are_no_others() {
    let figures = figures();
    let missing: Vec<_> = IDS.iter().filter(|id| !figures.contains_key(**id)).collect();
    assert!(missing.is_empty(), "exercises without a figure: {missing:?}");
    let extra: Vec<_> = figures.keys().filter(|k| !IDS.contains(&k.as_str())).collect();
    assert!(extra.is_empty(), "figures of no exercise: {extra:?}");
}

/// The channels of a pose, as the camera's kinematics computes them.
fn channels(pose: &Pose) -> Angles {
    angles(&pose_frame(pose))
}

fn get(a: &Angles, c: Channel, id: &str, what: &str) -> f32 {
    a.get(c).unwrap_or_else(|| panic!("{id}: {c:?} is unavailable in the {what} position"))
}

/// A channel as the movement signal the tracker follows (rising with the movement).
fn signal(direction: Direction, v: f32, rest: f32) -> f32 {
    match direction {
        Direction::Increase => v,
        Direction::Decrease => -v,
        Direction::Magnitude => v.abs(),
        Direction::AwayFromRest => (v - rest).abs(),
    }
}

/// The channel of a side: the left variant as given, or its mirror.
fn sided(c: Channel, side: Side) -> Channel {
    if side == Side::Left { c } else { c.mirror() }
}

/// Start and end values of the primary channel, by the spec's side rule, and the moving side.
fn primary(spec: &ExerciseSpec, a: &Angles, b: &Angles) -> (f32, f32, Side) {
    let id = spec.id;
    let pair = |side: Side| {
        let c = sided(spec.primary, side);
        (get(a, c, id, "start"), get(b, c, id, "end"))
    };
    match spec.side {
        SideRule::Midline => {
            (get(a, spec.primary, id, "start"), get(b, spec.primary, id, "end"), Side::Left)
        }
        SideRule::Both => {
            let ((l0, l1), (r0, r1)) = (pair(Side::Left), pair(Side::Right));
            ((l0 + r0) / 2.0, (l1 + r1) / 2.0, Side::Left)
        }
        SideRule::Either => {
            // The moving side is the one whose signal changes more.
            let moved = |(s, e): (f32, f32)| {
                (signal(spec.direction, e, s) - signal(spec.direction, s, s)).abs()
            };
            let (l, r) = (pair(Side::Left), pair(Side::Right));
            if moved(l) >= moved(r) { (l.0, l.1, Side::Left) } else { (r.0, r.1, Side::Right) }
        }
    }
}

/// The values a check reads at the start and end: one pair, or one per side.
fn check_values(which: Which, moving: Side, a: &Angles, b: &Angles, id: &str) -> Vec<(f32, f32)> {
    let pair = |c: Channel| (get(a, c, id, "start"), get(b, c, id, "end"));
    match which {
        Which::Midline(c) => vec![pair(c)],
        Which::Moving(c) => vec![pair(sided(c, moving))],
        Which::EitherSide(c) => vec![pair(c), pair(c.mirror())],
    }
}

/// Runs one figure through its exercise's specification; returns what is wrong.
fn judge(spec: &ExerciseSpec, figure: &Figure) -> Vec<String> {
    let id = spec.id;
    let (a, b) = (channels(&figure.start), channels(&figure.end));
    let mut wrong = Vec::new();
    let (v0, v1, moving) = primary(spec, &a, &b);
    let (s0, s1) = (signal(spec.direction, v0, v0), signal(spec.direction, v1, v0));
    let moved = s1 - s0;
    // How far the movement must go. For a rotation either way (or away from rest) the reach
    // is the excursion itself. For a rise or a fall the reach is a value to get to, judged
    // below as the tracker does (a wall angel starts with the arms already at 90°), and the
    // excursion must be at least half the nominal range, where the tracker's calibration
    // starts.
    let needed = match (spec.direction, spec.reach) {
        (Direction::Magnitude | Direction::AwayFromRest, Some(r)) => r,
        _ => 0.5 * spec.nominal_rom,
    };
    if moved < needed {
        wrong.push(format!(
            "{:?} moves {moved:.1} from start ({v0:.1}) to end ({v1:.1}); the exercise needs {needed:.1} ({:?})",
            spec.primary, spec.direction
        ));
    }
    // As the tracker judges the end position: at least the reach, at most the limit.
    if let Some(reach) = spec.reach
        && s1 < signal(spec.direction, reach, v0)
    {
        wrong.push(format!("the end ({v1:.1}) falls short of the reach {reach}"));
    }
    if let Some(limit) = spec.limit
        && s1 > signal(spec.direction, limit, v0)
    {
        wrong.push(format!("the end ({v1:.1}) goes beyond the limit {limit}"));
    }
    for band in spec.bands {
        // A band is judged at the peak only (some channels, such as the plane of a raised
        // arm, do not exist at rest).
        let ends = match band.which {
            Which::Midline(c) => vec![c],
            Which::Moving(c) => vec![sided(c, moving)],
            Which::EitherSide(c) => vec![c, c.mirror()],
        };
        for end in ends.into_iter().map(|c| b.get(c).unwrap_or(f32::NAN)) {
            if !(band.min..=band.max).contains(&end) {
                wrong.push(format!(
                    "{:?} at the end is {end:.1}, outside {}..{} ({:?})",
                    band.which, band.min, band.max, band.error
                ));
            }
        }
    }
    for check in spec.checks {
        let (what, value) = match check.measure {
            Measure::Deviation(w) => (
                w,
                check_values(w, moving, &a, &b, id)
                    .iter()
                    .map(|(s, e)| (e - s).abs())
                    .fold(f32::MIN, f32::max),
            ),
            Measure::Rise(w) => (
                w,
                check_values(w, moving, &a, &b, id)
                    .iter()
                    .map(|(s, e)| e - s)
                    .fold(f32::MIN, f32::max),
            ),
            Measure::Fall(w) => (
                w,
                check_values(w, moving, &a, &b, id)
                    .iter()
                    .map(|(s, e)| s - e)
                    .fold(f32::MIN, f32::max),
            ),
            Measure::Asymmetry(c) => {
                let high = |c: Channel| get(&a, c, id, "start").max(get(&b, c, id, "end"));
                let gap = (high(c) - high(c.mirror())).abs();
                (Which::Midline(c), 100.0 * gap / moved.abs().max(1e-3))
            }
        };
        if value > check.limit {
            wrong.push(format!(
                "{:?} on {what:?} is {value:.1}, over its limit {}",
                check.error, check.limit
            ));
        }
    }
    wrong
}

/// The key test: for every exercise the camera can track, the figure's end position moves the
/// tracked channel the way the exercise asks, as far as it asks, and without the
/// compensations its checks look for.
#[test]
fn a_figure_shows_its_exercise_as_the_tracker_measures_it() {
    let figures = figures();
    let mut judged = 0;
    let mut wrong = Vec::new();
    for (id, figure) in &figures {
        let Some(spec) = exercises::find(id) else { continue };
        // The cat–camel's spine-curve channel is checked by shape in `cat_camel_rounds_then_arches`.
        if spec.primary == Channel::SpineFlexion {
            continue;
        }
        judged += 1;
        wrong.extend(judge(spec, figure).into_iter().map(|w| format!("{id}: {w}")));
    }
    assert!(wrong.is_empty(), "figures that do not show their exercise:\n{}", wrong.join("\n"));
    assert!(judged >= 18, "only {judged} figures have a motion specification");
}

/// A figure that moved the wrong way would be caught: the check is not vacuous.
#[test]
fn the_check_catches_a_figure_that_does_not_move() {
    let figures = figures();
    for id in ["deep-squat", "shoulder-abduction", "chin-tuck", "thoracic-rotation"] {
        let spec = exercises::find(id).expect("a tracked exercise");
        let mut still = figures[id].clone();
        still.end = still.start.clone();
        assert!(!judge(spec, &still).is_empty(), "{id}: a figure that stays still passes");
        let mut reversed = figures[id].clone();
        std::mem::swap(&mut reversed.start, &mut reversed.end);
        if spec.direction != Direction::Magnitude {
            assert!(!judge(spec, &reversed).is_empty(), "{id}: a reversed figure passes");
        }
    }
}

/// How far the mid-spine sits above the straight line from the pelvis to the neck, toward the
/// ceiling (positive: the back rounds up).
fn spine_hump(f: &Frame) -> f32 {
    let (p, m, n) = (f.get(Joint::Pelvis).p, f.get(Joint::MidSpine).p, f.get(Joint::Neck).p);
    let chord = n.sub(p);
    let along = m.sub(p).dot(chord) / chord.dot(chord);
    m.y - (p.y + chord.y * along)
}

#[test]
fn cat_camel_rounds_then_arches() {
    let figure = &figures()["cat-camel"];
    let (a, b) = (pose_frame(&figure.start), pose_frame(&figure.end));
    assert!(spine_hump(&a) > 0.03, "the back rounds up at the start: {}", spine_hump(&a));
    assert!(spine_hump(&b) < -0.03, "the back arches down at the end: {}", spine_hump(&b));
    // The tracked channel sees the same change, by at least half the nominal range.
    let spec = exercises::find("cat-camel").expect("cat-camel is tracked");
    let curve = |f: &Frame| angles(f).get(spec.primary).expect("mid-spine is drawn");
    let change = (curve(&b) - curve(&a)).abs();
    assert!(change >= 0.5 * spec.nominal_rom, "spine curve changes by {change}");
}

fn trunk(f: &Frame) -> physio_motion::geom::V3 {
    let mid = |a: Joint, b: Joint| f.get(a).p.mid(f.get(b).p);
    mid(Joint::LeftShoulder, Joint::RightShoulder).sub(mid(Joint::LeftHip, Joint::RightHip))
}

/// Angle of the trunk (hips to shoulders) above the horizontal, in degrees.
fn trunk_elevation(f: &Frame) -> f32 {
    let t = trunk(f);
    t.y.atan2(t.x.hypot(t.z)).to_degrees()
}

#[test]
fn every_figure_rests_on_the_floor_as_its_position_says() {
    let mut wrong = Vec::new();
    for (id, figure) in &figures() {
        for (what, pose) in [("start", &figure.start), ("end", &figure.end)] {
            let f = pose_frame(pose);
            let mut fail = |m: String| wrong.push(format!("{id} {what}: {m}"));
            let lowest = f.joints.iter().map(|p| p.p.y).fold(f32::INFINITY, f32::min);
            if lowest < -0.01 {
                fail(format!("a joint is {:.0} cm below the floor", -100.0 * lowest));
            }
            // Something touches the floor: a joint within the trunk's half-thickness of it.
            if lowest > 0.08 {
                fail(format!("nothing touches the floor (lowest joint {lowest:.2} m)"));
            }
            let rise = trunk_elevation(&f);
            let feet = [Joint::LeftFoot, Joint::RightFoot, Joint::LeftAnkle, Joint::RightAnkle]
                .map(|j| f.get(j).p.y);
            let on_feet = feet[0].min(feet[1]) < 0.02 || feet[2].min(feet[3]) < 0.09;
            match pose.base {
                Base::Standing => {
                    if rise < 40.0 {
                        fail(format!("standing, the trunk is {rise:.0}° from horizontal"));
                    }
                    if !on_feet {
                        fail("standing, no foot is on the floor".to_owned());
                    }
                }
                Base::Sitting => {
                    if rise < 70.0 {
                        fail(format!("sitting, the trunk is {rise:.0}° from horizontal"));
                    }
                    let seat = f.get(Joint::Pelvis).p.y;
                    if !(0.4..0.6).contains(&seat) {
                        fail(format!("sitting, the hips are {seat:.2} m high, not on a chair"));
                    }
                    if !on_feet {
                        fail("sitting, the feet are not on the floor".to_owned());
                    }
                }
                Base::Supine | Base::Prone | Base::SideLying | Base::FourPoint => {
                    // Lying, the trunk is near level; it may rise in the movement (a bridge,
                    // a press-up), not at the start.
                    let most = if what == "start" { 35.0 } else { 60.0 };
                    if rise.abs() > most {
                        fail(format!("lying or kneeling, the trunk is {rise:.0}° from level"));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "figures off their base:\n{}", wrong.join("\n"));
}
