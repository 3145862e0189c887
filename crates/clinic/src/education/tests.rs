//! The built-in lessons: enough of them, every required topic, each readable at grade 6 or
//! below, the assignment rule per pathway and phase, and the checks on a clinic's import.

use std::collections::BTreeSet;

use super::catalogue::{self, FORMAT, builtin, parse_import};
use super::reading::{self, count, syllables_of};
use super::{CareContext, Lesson, assigned, this_week};
use crate::pathway::{Pathway, Phase};

/// The hardest reading grade a built-in lesson may have (Flesch–Kincaid, see `reading`).
const MAX_GRADE: f64 = 6.0;

fn ctx(pathway: Option<Pathway>, phase: Option<Phase>, weeks: u16) -> CareContext {
    CareContext { pathway, phase, weeks_in_care: weeks }
}

fn ids(lessons: &[&Lesson]) -> Vec<String> {
    lessons.iter().map(|l| l.id.clone()).collect()
}

fn text_of(id: &str) -> String {
    let l = catalogue::find(id).unwrap_or_else(|| panic!("no lesson {id:?}"));
    l.texts().collect::<Vec<_>>().join(" ")
}

#[test]
fn builtin_lessons_are_valid() {
    let all = builtin();
    assert!(all.len() >= 20, "the issue asks for at least 20 lessons; there are {}", all.len());
    let mut seen = BTreeSet::new();
    for l in all {
        assert!(seen.insert(&l.id), "{} twice", l.id);
        assert_eq!(super::lesson::problems(l), vec![], "{}", l.id);
    }
}

/// Every topic the issue names is covered, by a lesson whose words say it.
#[test]
fn every_required_topic_has_a_lesson() {
    let topics: [(&str, &[&str]); 13] = [
        ("moving-helps", &["moving", "stronger"]),
        ("pain-is-not-damage", &["harm", "damage"]),
        ("pacing", &["boom and bust", "same amount each day"]),
        ("flare-ups", &["flare-up"]),
        ("sleep", &["sleep"]),
        ("sitting", &["sit"]),
        ("back-to-work", &["work"]),
        ("after-discectomy", &["discectomy", "nerve"]),
        ("after-fusion", &["fusion", "joins two or more bones"]),
        ("after-vertebral-augmentation", &["kyphoplasty", "vertebroplasty", "cement"]),
        ("getting-ready-for-surgery", &["before surgery"]),
        ("when-to-get-help", &["emergency department", "numbness", "both legs", "urine"]),
        ("signs-after-surgery", &["38 °C", "wound"]),
    ];
    for (id, words) in topics {
        let text = text_of(id).to_lowercase();
        for w in words {
            assert!(text.contains(&w.to_lowercase()), "{id} should say {w:?}");
        }
    }
    // The emergency signs come first on the screen, before any paragraph.
    assert!(catalogue::find("when-to-get-help").is_some_and(|l| l.urgent_points));
    // The seed article's three facts.
    assert!(
        text_of("most-people-get-better")
            .contains("upper or middle back get better without surgery")
    );
    assert!(
        text_of("discs-shrink").contains("About 2 in every 3 slipped discs shrink on their own")
    );
    assert!(
        text_of("surgery-is-rare")
            .contains("fewer than 1 in 100 operations are on the upper or middle back")
    );
}

/// Reading age 9 to 11: every lesson at Flesch–Kincaid grade 6 or below.
#[test]
fn every_lesson_reads_at_grade_six_or_below() {
    let mut report = Vec::new();
    for l in builtin() {
        let g = reading::grade(l);
        if g > MAX_GRADE {
            report.push(format!("{}: grade {g:.1}", l.id));
        }
    }
    assert!(report.is_empty(), "too hard to read:\n{}", report.join("\n"));
}

/// The measure itself: known words and sentences, and hard text scores higher than easy text.
#[test]
fn the_reading_measure_counts_as_expected() {
    for (word, n) in [
        ("back", 1),
        ("moving", 2),
        ("pain", 1),
        ("surgery", 3),
        ("physical", 3),
        ("make", 1),
        ("people", 2),
        ("walked", 1),
        ("started", 2),
        ("the", 1),
        ("38", 1),
        ("100", 2),
    ] {
        assert_eq!(syllables_of(word), n, "{word}");
    }
    let c = count("Walk every day. Rest a bit!");
    assert_eq!((c.sentences, c.words), (2, 6));
    let easy = count("Walk a bit each day. It helps your back.").grade();
    let hard = count(
        "Comprehensive multidisciplinary rehabilitation programmes demonstrate considerable \
         effectiveness regarding functional restoration.",
    )
    .grade();
    assert!(easy < 3.0 && hard > 15.0, "easy {easy:.1}, hard {hard:.1}");
}

/// The red flags lesson is everyone's, from the first week, whatever the pathway (or none).
#[test]
fn everyone_gets_the_red_flags_first() {
    let mut contexts = vec![ctx(None, None, 0)];
    for pathway in Pathway::ALL {
        for phase in pathway.phases() {
            contexts.push(ctx(Some(pathway), Some(*phase), 0));
        }
    }
    for c in contexts {
        let mine = assigned(builtin(), &c);
        assert_eq!(mine.first().map(|l| l.id.as_str()), Some("when-to-get-help"), "{c:?}");
    }
    // Not yet on a pathway: only the lessons for everyone.
    assert_eq!(
        ids(&assigned(builtin(), &ctx(None, None, 10))),
        ["when-to-get-help", "sleep", "sitting"]
    );
}

#[test]
fn conservative_care_gets_its_lessons_week_by_week() {
    let thoracic = |w| {
        ids(&assigned(
            builtin(),
            &ctx(Some(Pathway::ConservativeThoracic), Some(Phase::ActiveCare), w),
        ))
    };
    assert_eq!(
        thoracic(0),
        ["when-to-get-help", "moving-helps", "pain-is-not-damage", "how-much-pain-is-ok"]
    );
    let week3 = thoracic(3);
    for id in [
        "most-people-get-better",
        "discs-shrink",
        "pacing",
        "flare-ups",
        "sleep",
        "sitting",
        "surgery-is-rare",
    ] {
        assert!(week3.contains(&id.to_owned()), "{id} by week 3: {week3:?}");
    }
    assert!(!week3.contains(&"back-to-work".to_owned()), "work waits for week 4");
    assert!(thoracic(4).contains(&"back-to-work".to_owned()));
    // The upper-back surgery fact is for upper-back patients only.
    let lumbar = ids(&assigned(
        builtin(),
        &ctx(Some(Pathway::ConservativeLumbar), Some(Phase::ActiveCare), 20),
    ));
    assert!(!lumbar.contains(&"surgery-is-rare".to_owned()));
    assert!(lumbar.contains(&"discs-shrink".to_owned()));
    // No surgical lessons in conservative care.
    for id in ["after-fusion", "getting-ready-for-surgery", "bend-lift-twist"] {
        assert!(!lumbar.contains(&id.to_owned()), "{id}");
    }
}

#[test]
fn prehab_gets_ready_for_surgery() {
    let mine = ids(&assigned(builtin(), &ctx(Some(Pathway::Prehab), Some(Phase::Prehab), 2)));
    for id in
        ["getting-ready-for-surgery", "stronger-before-surgery", "home-ready-for-after", "pacing"]
    {
        assert!(mine.contains(&id.to_owned()), "{id}: {mine:?}");
    }
    for id in ["discs-shrink", "after-fusion", "surgery-is-rare", "back-to-work"] {
        assert!(!mine.contains(&id.to_owned()), "{id}: {mine:?}");
    }
}

/// After surgery each procedure gets its own "what to expect"; early lessons stay once the
/// patient moves on, and later phases bring their own.
#[test]
fn after_surgery_each_procedure_and_phase_gets_its_own() {
    let cases = [
        (Pathway::PostOpDiscectomyOrDecompression, "after-discectomy"),
        (Pathway::PostOpFusion, "after-fusion"),
        (Pathway::PostOpVertebralAugmentation, "after-vertebral-augmentation"),
    ];
    for (pathway, own) in cases {
        let early = ids(&assigned(builtin(), &ctx(Some(pathway), Some(Phase::Early), 0)));
        assert_eq!(early[..2], ["when-to-get-help".to_owned(), own.to_owned()], "{pathway}");
        assert!(early.contains(&"signs-after-surgery".to_owned()));
        assert!(early.contains(&"walking-after-surgery".to_owned()));
        // Not yet: pain-score pacing and rebuilding belong to later phases.
        for id in ["how-much-pain-is-ok", "pacing", "rebuilding", "the-long-run"] {
            assert!(!early.contains(&id.to_owned()), "{pathway} early: {id}");
        }
        for (other, other_own) in cases {
            if other != pathway {
                assert!(!early.contains(&other_own.to_owned()), "{pathway} gets {other_own}");
            }
        }
        let rehab = ids(&assigned(builtin(), &ctx(Some(pathway), Some(Phase::Rehabilitation), 6)));
        for id in [own, "rebuilding", "how-much-pain-is-ok", "pacing", "bend-lift-twist"] {
            assert!(rehab.contains(&id.to_owned()), "{pathway} rehabilitation: {id}");
        }
        assert!(!rehab.contains(&"the-long-run".to_owned()));
        let long = ids(&assigned(builtin(), &ctx(Some(pathway), Some(Phase::LongTerm), 14)));
        for id in [own, "rebuilding", "the-long-run", "back-to-work", "staying-well"] {
            assert!(long.contains(&id.to_owned()), "{pathway} long-term: {id}");
        }
    }
    let bones = |p| ids(&assigned(builtin(), &ctx(Some(p), Some(Phase::Rehabilitation), 6)));
    assert!(bones(Pathway::PostOpVertebralAugmentation).contains(&"strong-bones".to_owned()));
    assert!(!bones(Pathway::PostOpFusion).contains(&"strong-bones".to_owned()));
}

/// This week's lesson is the first unread one, in order; none when all are read.
#[test]
fn this_weeks_lesson_is_the_first_unread() {
    let mine =
        assigned(builtin(), &ctx(Some(Pathway::ConservativeLumbar), Some(Phase::ActiveCare), 1));
    assert_eq!(this_week(&mine, |_| false).map(|l| l.id.as_str()), Some("when-to-get-help"));
    let read = ["when-to-get-help", "pain-is-not-damage"];
    assert_eq!(
        this_week(&mine, |id| read.contains(&id)).map(|l| l.id.as_str()),
        Some("moving-helps")
    );
    assert_eq!(this_week(&mine, |_| true), None);
    // Lessons come in order of week.
    assert!(mine.windows(2).all(|w| w[0].week <= w[1].week));
}

/// A clinic's own lesson joins in its week, after the built-in lessons of that week.
#[test]
fn a_clinic_lesson_joins_the_order() {
    let own: Lesson = serde_json::from_value(serde_json::json!({
        "id": "our-gym", "title": "Our gym class", "summary": "Join our class on Tuesdays.",
        "body": ["Come along on a Tuesday."], "pathways": ["conservative_lumbar"], "week": 0
    }))
    .unwrap();
    let all: Vec<&Lesson> = builtin().iter().chain(std::iter::once(&own)).collect();
    let mine =
        ids(&assigned(all, &ctx(Some(Pathway::ConservativeLumbar), Some(Phase::ActiveCare), 0)));
    assert_eq!(mine.last().map(String::as_str), Some("our-gym"));
    let other = ids(&assigned(
        builtin().iter().chain(std::iter::once(&own)),
        &ctx(Some(Pathway::ConservativeThoracic), Some(Phase::ActiveCare), 0),
    ));
    assert!(!other.contains(&"our-gym".to_owned()));
}

fn file(lessons: serde_json::Value) -> String {
    serde_json::json!({"format": FORMAT, "version": 1, "lessons": lessons}).to_string()
}

#[test]
fn an_import_is_checked_whole_and_names_entry_and_field() {
    let good = serde_json::json!({
        "id": "our-gym", "title": "Our gym class", "summary": "Join our class on Tuesdays.",
        "body": ["Come along on a Tuesday."], "figure": "pacing", "week": 2
    });
    let lessons = parse_import(&file(serde_json::json!([good]))).unwrap();
    assert_eq!(lessons[0].id, "our-gym");

    let bad = serde_json::json!([
        good,
        {"id": "Bad Id", "title": "", "summary": "Fine.", "body": [], "week": 200,
         "pathways": ["prehab", "prehab"], "phases": ["early"]},
        {"id": "pacing", "title": "Mine", "summary": "Mine.", "body": ["Mine."], "week": 0},
        {"id": "our-gym", "title": "Again", "summary": "Again.", "body": ["Again."], "week": 0},
        {"id": "odd", "title": "Odd", "summary": "Odd.", "body": ["Odd."], "week": 0, "figure": "rainbow"},
    ]);
    let problems = parse_import(&file(bad)).unwrap_err();
    let found: Vec<(usize, String)> =
        problems.iter().map(|p| (p.index, p.problem.field.clone())).collect();
    for want in [
        (1, "id"),
        (1, "title"),
        (1, "body"),
        (1, "week"),
        (1, "pathways"),
        (1, "phases[0]"),
        (2, "id"),
        (3, "id"),
        (4, "entry"),
    ] {
        assert!(found.contains(&(want.0, want.1.to_owned())), "{want:?} in {found:?}");
    }
    assert!(problems.iter().find(|p| p.index == 4).unwrap().problem.message.contains("rainbow"));
    assert_eq!(problems.iter().find(|p| p.index == 2).unwrap().id.as_deref(), Some("pacing"));

    for text in
        ["not json", r#"{"format": "physio-exercise-library", "version": 1, "lessons": []}"#]
    {
        let p = parse_import(text).unwrap_err();
        assert_eq!(p[0].problem.field, "file", "{text}");
    }
    assert_eq!(parse_import(&file(serde_json::json!([]))).unwrap_err()[0].problem.field, "file");
}
