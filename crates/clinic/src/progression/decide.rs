//! The table applied to one exercise after one session: the first rule that holds decides, and
//! the decision says why in a sentence for the clinician and one for the patient.

use serde::Serialize;

use super::observe::{Inputs, Observation};
use super::rule::{
    ADHERENCE_MIN, DONE_MIN, PAIN_DURING_MAX, Proposal, READY_CORRECT_MIN, READY_EFFORT_MAX,
    READY_RUN, Rule,
};

/// What the table decided, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The rule that matched first.
    pub rule: Rule,
    /// What it proposes.
    pub proposal: Proposal,
    /// Show the exercise's form cue at the next session.
    pub show_cue: bool,
    /// Why, for the clinician: the inputs that made the rule hold.
    pub because: String,
    /// Why, for the patient, in plain words.
    pub patient: String,
}

impl Decision {
    fn new(rule: Rule, proposal: Proposal, because: String, patient: &str) -> Decision {
        Decision { rule, proposal, show_cue: false, because, patient: patient.to_owned() }
    }
}

/// Applies the table to `inputs`; the first rule that holds wins.
pub fn decide(inputs: &Inputs) -> Decision {
    let latest = &inputs.latest;
    if inputs.safety {
        return Decision::new(
            Rule::Safety,
            Proposal::Hold,
            "The session was stopped by the pain check or exercise is paused for safety; the \
             care team has the alert, and nothing changes until a clinician has looked."
                .to_owned(),
            "Nothing changes until your care team has been in touch.",
        );
    }
    if latest.pain_breach() {
        return Decision::new(
            Rule::PainBreach,
            Proposal::Regress,
            breach_words(latest),
            "It hurt more than it should, so it steps down a little for now.",
        );
    }
    if latest.form_miss() {
        let again = inputs.previous.as_ref().is_some_and(Observation::form_miss);
        let mut words = form_words(latest);
        return if again {
            words.push_str(" The session before showed the same.");
            Decision::new(
                Rule::Form,
                Proposal::Regress,
                words,
                "The camera saw that it was hard to do well two sessions running, so it steps \
                 down a little.",
            )
        } else {
            words.push_str(" Keep the dose and show the form cue.");
            Decision {
                show_cue: true,
                ..Decision::new(
                    Rule::Form,
                    Proposal::Hold,
                    words,
                    "The camera saw that the movement was not quite right. Keep the same amount \
                     and try the tip shown with the exercise.",
                )
            }
        };
    }
    let adherence = inputs.adherence.share();
    if adherence < ADHERENCE_MIN || latest.done < DONE_MIN {
        let because = if adherence < ADHERENCE_MIN {
            format!(
                "{} of {} planned sessions done in the last 7 days (under half): too little to \
                 judge, so no change.",
                inputs.adherence.done, inputs.adherence.planned
            )
        } else {
            format!(
                "{} of the prescribed work done in this session (under {}): too little to judge, \
                 so no change.",
                percent(latest.done),
                percent(DONE_MIN)
            )
        };
        return Decision::new(
            Rule::NotEnoughData,
            Proposal::Hold,
            because,
            "Keep the same amount for now.",
        );
    }
    let run: Vec<&Observation> = std::iter::once(latest).chain(inputs.previous.as_ref()).collect();
    match unready(&run) {
        None => {
            let worst = run.iter().filter_map(|o| o.pain_during).max().unwrap_or(0);
            let effort = run.iter().filter_map(|o| o.effort).max().unwrap_or(0);
            Decision::new(
                Rule::Ready,
                Proposal::Progress,
                format!(
                    "In the last two sessions pain during stayed at {worst}/10 or less and \
                     settled by the next morning, effort was {effort}/10 or less, and all the \
                     prescribed work was done{}.",
                    if run.iter().any(|o| o.tracked.is_some()) {
                        ", with at least 80 % of repetitions correct"
                    } else {
                        ""
                    }
                ),
                "You did all of it twice in a row with little pain, and the pain settled by the \
                 next morning, so it steps up a little.",
            )
        }
        Some(why) => Decision::new(
            Rule::Otherwise,
            Proposal::Hold,
            format!("No change yet: {why}."),
            "Keep the same amount for now.",
        ),
    }
}

/// The first reason the run of sessions (newest first) is not ready to progress, if any.
fn unready(run: &[&Observation]) -> Option<String> {
    if run.len() < READY_RUN {
        return Some("only one session at this prescription so far; it takes two in a row".into());
    }
    for (k, o) in run.iter().enumerate() {
        let which = if k == 0 { "this session" } else { "the session before" };
        match o.pain_during {
            Some(p) if p <= PAIN_DURING_MAX => {}
            Some(p) => return Some(format!("pain during was {p}/10 in {which}")),
            None => return Some(format!("no pain score in {which}")),
        }
        match o.effort {
            Some(e) if e <= READY_EFFORT_MAX => {}
            Some(e) => {
                return Some(format!(
                    "effort was {e}/10 in {which} (progress at {READY_EFFORT_MAX}/10 or less)"
                ));
            }
            None => return Some(format!("no effort score in {which}")),
        }
        if o.done < 1.0 {
            return Some(format!("{} of the prescribed work done in {which}", percent(o.done)));
        }
        if let Some(t) = o.tracked
            && t.correct < READY_CORRECT_MIN
        {
            return Some(format!(
                "{} of repetitions correct in {which} (progress at {} or more)",
                percent(t.correct),
                percent(READY_CORRECT_MIN)
            ));
        }
    }
    // Settled by the next morning: the earlier sessions' mornings have come and must be known;
    // the newest one's morning is usually still ahead, and a breach then is a rule of its own.
    for o in &run[1..] {
        if o.morning.is_none() {
            return Some("no answer yet about the morning after the session before".into());
        }
    }
    None
}

fn breach_words(o: &Observation) -> String {
    format!("{}: regress one step.", capitalise(&o.breach_text()))
}

fn form_words(o: &Observation) -> String {
    let Some(t) = o.tracked else { return String::new() };
    let mut parts = vec![format!("{} of repetitions correct", percent(t.correct))];
    if let Some(r) = t.range {
        parts.push(format!("{} of the target range reached", percent(r)));
    }
    format!("Tracked with the camera: {}.", parts.join(", "))
}

/// "80 %", rounded down so that 79.9 % never reads as the 80 % it failed to reach.
fn percent(share: f32) -> String {
    format!("{} %", (share * 100.0 + 1e-3).floor() as i32)
}

fn capitalise(text: &str) -> String {
    let mut c = text.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}
