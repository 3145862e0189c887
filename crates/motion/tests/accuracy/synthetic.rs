//! Counting checked on synthetic takes, for the exercises without a real recording of a
//! whole set: a documented movement (`synthetic::movements`) on a body of stated proportions,
//! walking in, settling, ten repetitions of varied range and pace, fidgeting and walking away
//! (`synthetic::take`), with a webcam's noise (`synthetic::noise`). Both the offline analysis
//! and the live tracker must count exactly the ten repetitions, none of the rest, and must not
//! call a repetition at this controlled pace too fast. Prints the table of
//! docs/motion-synthetic.md. Real takes that serve an exercise are in the table too
//! (`synthetic::real`).
//!
//! What this proves and what it does not is in docs/motion-synthetic.md: the engine against
//! the movement as the instructions describe it, not against how people really move.

mod blend;
mod movements;
mod noise;
mod real;
mod rng;
mod take;

use physio_motion::analysis::analyze;
use physio_motion::exercises::{FormError, find};
use physio_motion::skeleton::Frame;
use physio_motion::tracker::{Event, Tracker, TrackerConfig};

use movements::{MOVEMENTS, Movement};
use take::{REPS, Take, Window};

/// Seeds every exercise is checked with (each a different person and set).
const SEEDS: [u64; 3] = [1, 2, 3];

/// A repetition as either mode reports it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Counted {
    pub(crate) start: f64,
    pub(crate) end: f64,
    pub(crate) too_fast: bool,
    pub(crate) correct: bool,
}

/// The offline analysis's repetitions.
pub(crate) fn offline(id: &str, frames: &[Frame]) -> Vec<Counted> {
    let a = analyze(id, frames).expect("known exercise");
    a.reps
        .iter()
        .map(|r| Counted {
            start: r.motion_start_s,
            end: r.motion_end_s,
            too_fast: r.errors.contains(FormError::TooFast),
            correct: r.correct,
        })
        .collect()
}

/// The live tracker's repetitions: every frame pushed once, as a session does, then `end`.
pub(crate) fn live(id: &str, frames: &[Frame]) -> Vec<Counted> {
    let spec = find(id).expect("known exercise");
    let mut tracker = Tracker::new(spec, TrackerConfig::DEFAULT);
    let mut out = Vec::new();
    let mut keep = |events: &[Event]| {
        for e in events {
            if let Event::RepCompleted(m) = e {
                out.push(Counted {
                    start: m.start_s,
                    end: m.end_s,
                    too_fast: m.errors.contains(FormError::TooFast),
                    correct: m.correct,
                });
            }
        }
    };
    for f in frames {
        keep(tracker.push(f));
    }
    keep(tracker.end());
    out
}

/// What went wrong with one mode on one take (empty: nothing).
fn problems(mode: &str, take: &Take, counted: &[Counted]) -> Vec<String> {
    let mut out = Vec::new();
    if counted.len() != take.reps.len() {
        out.push(format!(
            "{mode}: {} repetitions counted, {} done",
            counted.len(),
            take.reps.len()
        ));
    }
    for c in counted {
        if take.reps.iter().any(|w| w.overlaps(c.start, c.end)) {
            if c.too_fast {
                out.push(format!(
                    "{mode}: repetition at {:.1}–{:.1} s called too fast",
                    c.start, c.end
                ));
            }
            continue;
        }
        let during: Vec<&str> = take
            .other
            .iter()
            .filter(|(_, w)| w.overlaps(c.start, c.end))
            .map(|(name, _)| *name)
            .collect();
        out.push(format!(
            "{mode}: counted a repetition at {:.1}–{:.1} s, during {}",
            c.start,
            c.end,
            if during.is_empty() { "a rest".to_owned() } else { during.join(" and ") }
        ));
    }
    for w in &take.reps {
        if !counted.iter().any(|c| w.overlaps(c.start, c.end)) {
            out.push(format!("{mode}: missed the repetition at {:.1}–{:.1} s", w.start, w.end));
        }
    }
    out
}

/// One exercise on one seed.
struct Outcome {
    seed: u64,
    offline: Vec<Counted>,
    live: Vec<Counted>,
    clean_offline: usize,
    clean_live: usize,
    problems: Vec<String>,
    /// The repetitions of the set.
    reps: Vec<Window>,
    seconds: f64,
}

fn run(m: &Movement, seed: u64) -> Outcome {
    let take = take::take(m, seed);
    let frames = noise::observe(&take.frames, m.source, seed);
    let (off, liv) = (offline(m.id, &frames), live(m.id, &frames));
    let mut problems = problems("offline", &take, &off);
    problems.extend(self::problems("live", &take, &liv));
    Outcome {
        seed,
        clean_offline: offline(m.id, &take.frames).len(),
        clean_live: live(m.id, &take.frames).len(),
        offline: off,
        live: liv,
        problems,
        reps: take.reps.clone(),
        seconds: frames.last().map_or(0.0, |f| f.t),
    }
}

fn movement(id: &str) -> &'static Movement {
    MOVEMENTS.iter().find(|m| m.id == id).expect("a synthetic movement")
}

/// Checks one exercise on every seed; panics listing what went wrong.
fn check(id: &str) {
    let m = movement(id);
    let mut all = Vec::new();
    for seed in SEEDS {
        let o = run(m, seed);
        all.extend(o.problems.iter().map(|p| format!("seed {seed}: {p}")));
    }
    assert!(all.is_empty(), "{id} (synthetic):\n{}", all.join("\n"));
}

macro_rules! synthetic_tests {
    ($($name:ident => $id:literal,)*) => {
        $(
            #[test]
            fn $name() {
                check($id);
            }
        )*
        /// Every movement has its test.
        const TESTED: &[&str] = &[$($id),*];
    };
}

synthetic_tests! {
    hurdle_step => "hurdle-step",
    inline_lunge => "inline-lunge",
    side_lunge => "side-lunge",
    straight_leg_raise => "straight-leg-raise",
    thoracic_rotation => "thoracic-rotation",
    wall_angel => "wall-angel",
    arm_raise => "arm-raise",
    chin_tuck => "chin-tuck",
    cat_camel => "cat-camel",
    trunk_side_bend => "trunk-side-bend",
    prone_y_raise => "prone-y-raise",
    prone_t_raise => "prone-t-raise",
    shoulder_flexion => "shoulder-flexion",
}

fn counts(o: &[Outcome], f: impl Fn(&Outcome) -> usize) -> String {
    o.iter().map(|o| f(o).to_string()).collect::<Vec<_>>().join(" / ")
}

/// Every exercise spec has its counting checked by a real recording or a synthetic take, and
/// the table of docs/motion-synthetic.md is printed, with every synthetic problem listed (the
/// per-exercise tests fail on them).
#[test]
fn synthetic_table() {
    for spec in physio_motion::exercises::EXERCISES.iter() {
        let synthetic = MOVEMENTS.iter().any(|m| m.id == spec.id);
        assert!(
            synthetic || real::covers(spec.id),
            "{}: neither a real recording nor a synthetic take checks its counting",
            spec.id
        );
        assert!(
            !synthetic || TESTED.contains(&spec.id),
            "{}: a synthetic movement without its test",
            spec.id
        );
    }
    let seeds = SEEDS.map(|s| s.to_string()).join(", ");
    println!("\nSynthetic takes ({REPS} repetitions each; counts for seeds {seeds}):\n");
    println!(
        "| exercise | source | repetitions done | offline count | live count | noise-free offline / live | correct (offline) | duration, live: median (shortest) (s) | min_rep_s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut failures = Vec::new();
    for m in &MOVEMENTS {
        let outcomes: Vec<Outcome> = SEEDS.iter().map(|&s| run(m, s)).collect();
        let sensor = match m.source {
            movements::Source::Webcam => "webcam",
            movements::Source::DepthCamera => "depth camera",
        };
        let lengths = outcomes.iter().map(|o| format!("{:.0}", o.seconds)).collect::<Vec<_>>();
        let source = format!(
            "synthetic, seeds {seeds}, {REPS} repetitions, {sensor} noise (σ {:.0} cm, a dropout every {:.0} s), takes of {} s",
            noise::JITTER_M * 100.0,
            1.0 / noise::DROPOUTS_PER_S,
            lengths.join(", "),
        );
        let clean = outcomes
            .iter()
            .map(|o| format!("{}/{}", o.clean_offline, o.clean_live))
            .collect::<Vec<_>>()
            .join(", ");
        // The durations the live tracker measured for the repetitions of the set it counted
        // once (fragments and merges are listed as problems): their median and shortest,
        // against the spec's shortest acceptable.
        let mut durations: Vec<f64> = outcomes
            .iter()
            .flat_map(|o| {
                o.reps.iter().filter_map(|w| {
                        match o
                            .live
                            .iter()
                            .filter(|c| w.overlaps(c.start, c.end))
                            .collect::<Vec<_>>()[..]
                        {
                            [c] if o.reps.iter().filter(|v| v.overlaps(c.start, c.end)).count()
                                == 1 =>
                            {
                                Some(c.end - c.start)
                            }
                            _ => None,
                        }
                    })
            })
            .collect();
        durations.sort_by(f64::total_cmp);
        let durations = match (durations.first(), durations.get(durations.len() / 2)) {
            (Some(lo), Some(mid)) => format!("{mid:.1} ({lo:.1})"),
            _ => "–".to_owned(),
        };
        println!(
            "| {} | {source} | {REPS} | {} | {} | {clean} | {} | {durations} | {:.1} |",
            m.id,
            counts(&outcomes, |o| o.offline.len()),
            counts(&outcomes, |o| o.live.len()),
            counts(&outcomes, |o| o.offline.iter().filter(|c| c.correct).count()),
            find(m.id).expect("known exercise").min_rep_s,
        );
        for o in &outcomes {
            failures.extend(o.problems.iter().map(|p| format!("{} seed {}: {p}", m.id, o.seed)));
        }
    }
    real::print_rows();
    if !failures.is_empty() {
        println!("\nProblems ({}):\n{}", failures.len(), failures.join("\n"));
    }
}

/// Developer aid: `SYNTHETIC_TRACE=<exercise id>` prints the primary channel over the take of
/// seed `SYNTHETIC_SEED` (default 1), noise-free and as the tracker's filter sees the noisy take.
#[test]
fn synthetic_trace() {
    let Ok(id) = std::env::var("SYNTHETIC_TRACE") else { return };
    let seed = std::env::var("SYNTHETIC_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let m = movement(&id);
    let spec = find(&id).expect("known exercise");
    let take = take::take(m, seed);
    let frames = noise::observe(&take.frames, m.source, seed);
    let mut cond =
        physio_motion::filter::Conditioner::new(physio_motion::filter::FilterConfig::DEFAULT);
    for (clean, noisy) in take.frames.iter().zip(&frames) {
        let a = physio_motion::kinematics::angles(clean);
        let Some((f, _)) = cond.push(noisy) else { continue };
        let b = physio_motion::kinematics::angles(f);
        let ch = [spec.primary, spec.primary.mirror()];
        let v = |a: &physio_motion::kinematics::Angles| {
            ch.iter()
                .map(|c| a.get(*c).map_or("  -  ".to_owned(), |v| format!("{v:7.1}")))
                .collect::<Vec<_>>()
                .join(" ")
        };
        println!("{:6.2} clean {} filtered {}", clean.t, v(&a), v(&b));
    }
}
