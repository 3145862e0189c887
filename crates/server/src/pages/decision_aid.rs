//! "Is surgery right for me?": a plain-language aid for a shared decision. It explains, from the
//! patient's own answers, why a surgical opinion is or is not being suggested, what the common
//! operations are for and how recovery goes, what exercise-based care offers, and what to ask.
//! It informs; it never tells the patient what to choose.

use axum::{extract::State, response::IntoResponse};
use maud::{Markup, html};
use physio_clinic::triage::Tier;
use physio_store::{Role, TriageRecord};
use serde_json::Value;

use crate::{
    pages::{PageResult, PageUser, layout::page},
    state::AppState,
};

pub(crate) async fn show(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "decision_aid").await?;
    crate::care::records::open(&state, &p, p.user.id, "decision_aid").await?;
    let store = state.store();
    let episode = store.episodes(p.user.clinic_id, p.user.id).await?.into_iter().next();
    let (triage, intake) = match &episode {
        Some(ep) => (
            store.triage_history(p.user.clinic_id, ep.id).await?.into_iter().next(),
            store.intake(p.user.clinic_id, ep.id).await?.map(|i| i.answers),
        ),
        None => (None, None),
    };
    let body = content(triage.as_ref(), intake.as_ref());
    Ok(page("Is surgery right for me?", Some(&p), body).into_response())
}

/// The tier a clinician settled on, or else the one the rules proposed.
fn tier(t: &TriageRecord) -> Tier {
    t.review.as_ref().map_or(t.tier, |r| r.final_tier)
}

fn your_answers(triage: Option<&TriageRecord>, intake: Option<&Value>) -> Markup {
    let reasons: Vec<(String, String)> = triage
        .map(|t| t.decision.reasons.iter().map(|r| (r.rule.clone(), r.reason.clone())).collect())
        .unwrap_or_default();
    let weeks_of_care =
        intake.and_then(|i| i.pointer("/conservative_care/weeks")).and_then(Value::as_f64);
    let care_helped =
        intake.and_then(|i| i.pointer("/conservative_care/helped")).and_then(Value::as_bool);
    html! {
        h2 { "What your answers tell us" }
        @match triage.map(tier) {
            None => p {
                "You have not finished your first questionnaire yet. When you have, this part of the "
                "page will explain what your answers mean for this choice."
            },
            Some(Tier::Specialist) => {
                p { "Your answers suggest it is worth asking a spine surgeon for an opinion. "
                    "That is a conversation, not a decision to operate. These are the reasons:" }
            },
            Some(Tier::Emergency | Tier::Urgent) => {
                p.callout { "Some of your answers need a doctor to see you quickly. Follow the "
                    "instructions your care team gave you first; this page can wait." }
            },
            Some(Tier::Exercise) => p {
                "Nothing in your answers points to a problem that needs surgery now. Exercise-based "
                "care is the usual first step, and your physical therapist will keep checking as "
                "you go."
            },
        }
        @if !reasons.is_empty() {
            ul { @for (_, reason) in &reasons { li { (reason) } } }
        }
        @if let Some(w) = weeks_of_care {
            p {
                "You told us you have had about " (w) " week" @if w != 1.0 { "s" }
                " of treatment without surgery"
                @match care_helped { Some(true) => ", and that it helped.", Some(false) => ", and that it has not helped enough.", None => "." }
            }
        }
    }
}

fn content(triage: Option<&TriageRecord>, intake: Option<&Value>) -> Markup {
    html! {
        h1 { "Is surgery right for me?" }
        p.lead {
            "This page helps you think through the choice with your physical therapist and, if you "
            "see one, a spine surgeon. It does not make the choice for you. About 10 minutes to read."
        }
        (your_answers(triage, intake))

        h2 { "Most back pain gets better without an operation" }
        p { "Most people with neck, mid-back or low-back pain improve over weeks to months with "
            "exercise, staying active and understanding what is going on. Pain that spreads down a "
            "leg often settles too, even when a scan shows a bulging disc." }
        p { "Scans often show changes that are a normal part of getting older and do not explain "
            "pain. What matters is whether a finding on a scan matches your symptoms." }

        h2 { "When surgery is worth discussing" }
        ul {
            li { "A clear problem on a scan, such as a disc pressing on a nerve or on the spinal cord, "
                 "that matches your symptoms, when several weeks to months of good non-surgical care "
                 "have not helped enough." }
            li { "Nerve damage that is weakening a leg or arm, or making walking unsteady." }
            li { "A spine that is unstable, or a broken vertebra that is not healing or keeps hurting." }
            li { "Rarely, an infection or a growth in or near the spine." }
        }
        p { "Some problems cannot wait: numbness between the legs, new trouble passing or holding "
            "urine or stool, or weakness in both legs need an emergency department straight away." }

        h2 { "The common operations" }
        (procedure(
            "Discectomy or decompression",
            "Removes the part of a disc, bone or ligament that is pressing on a nerve or on the \
             spinal cord. It is mainly for leg or arm pain, numbness or weakness caused by that \
             pressure, more than for back pain itself.",
            &[
                ("First 6 weeks", "Short walks several times a day, building up every few days. No bending, lifting or twisting. Sitting in short spells."),
                ("6 to 12 weeks", "Physical therapy to rebuild movement, strength and fitness."),
                ("After 3 months", "Most people are back to their usual routine; keep the exercises going."),
            ],
            "infection, bleeding, a tear in the lining around the nerves, nerve injury, the disc \
             slipping out again, and pain that does not go away.",
        ))
        (procedure(
            "Spinal fusion",
            "Joins two or more vertebrae so they no longer move against each other, usually with \
             screws, rods and bone graft. It is for instability, some deformities and some \
             fractures.",
            &[
                ("First 6 weeks", "Protect the spine: keep it in a neutral position, roll to get out of bed, walk every day up to about 30 minutes. Gentle tightening exercises. A brace if your surgeon prescribes one."),
                ("6 to 12 weeks", "Physical therapy twice a week: trunk control, balance, safe bending at the hips. No reaching overhead before about week 12."),
                ("After 3 months", "Strength and everyday activities; twisting and side-bending come back once control is good. Full activity usually takes about 6 months."),
            ],
            "infection, bleeding, nerve injury, blood clots, the bones not joining, extra wear at \
             the levels next to the fusion, and pain that does not go away.",
        ))
        (procedure(
            "Vertebral augmentation (vertebroplasty or kyphoplasty)",
            "Injects bone cement into a broken vertebra, most often one weakened by osteoporosis, \
             to steady it and ease pain. The cement sets within about 15 minutes.",
            &[
                ("First days to 6 weeks", "Walking is encouraged and daily tasks usually get easier within a week. Avoid bending forward, lifting and twisting for about 4 to 6 weeks."),
                ("6 to 12 weeks", "Physical therapy for posture, gentle strength and fitness; bone heals over about 3 months."),
                ("Long term", "Keep up back-strengthening exercise and bone-health treatment: in one study, people who exercised after the procedure went much longer before another fracture."),
            ],
            "cement leaking out of the bone, new fractures in nearby vertebrae, infection and \
             bleeding.",
        ))

        h2 { "What exercise-based care offers" }
        ul {
            li { "Exercises chosen for you and adjusted as you improve, with feedback on each session." }
            li { "Understanding your pain, so that moving feels safer." }
            li { "A physical therapist who checks how you are doing and watches for signs that "
                 "something else is needed." }
            li { "If you do have surgery, being stronger and fitter beforehand can make recovery easier." }
        }
        p { "Choosing exercise now does not rule out surgery later, and choosing surgery does not "
            "replace exercise: after an operation, rehabilitation is a large part of recovery." }

        h2 { "Questions to ask your surgeon" }
        ol {
            li { "What exactly would the operation fix, and how sure are you that it explains my symptoms?" }
            li { "What is likely to happen if I wait, or keep going with exercise-based care?" }
            li { "How often does this operation help people like me, and by how much?" }
            li { "What are the risks for me in particular?" }
            li { "How long will I be in hospital, off work and unable to drive or lift?" }
            li { "What will recovery involve, and what limits will I have, and for how long?" }
            li { "How many of these operations do you do each year?" }
            li { "Could I need another operation later?" }
        }
        h2 { "Making the choice" }
        p { "There is often no single right answer. Think about what matters most to you: how much "
            "the pain limits you, how you feel about the risks, and what you want to be able to do "
            "again. Talk it through with your physical therapist, your surgeon and the people close "
            "to you. You can take time unless a doctor tells you it is urgent." }
        p.hint.no-print { "To keep a copy, use your browser's Print command (Ctrl+P, or Share then "
            "Print on a phone). The printed page leaves out the menus." }
    }
}

fn procedure(name: &str, what: &str, phases: &[(&str, &str)], risks: &str) -> Markup {
    html! {
        section.procedure {
            h3 { (name) }
            p { (what) }
            h4 { "How recovery usually goes" }
            dl.summary-list {
                @for (when, what) in phases { div { dt { (when) } dd { (what) } } }
            }
            p { strong { "Main risks: " } (risks) }
        }
    }
}
