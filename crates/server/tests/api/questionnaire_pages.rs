//! Questionnaires as a patient meets them, over HTTP on both backends: titles that say what
//! they are about, the baseline spread over the first days, the intake's pain score not asked
//! again the same day, a long questionnaire one section per screen with its answers kept and
//! nothing stored until it is sent, problems in plain words linking to their questions, and the
//! PHQ-9 self-harm message with the clinic's contact details.

use reqwest::{Client, StatusCode};
use time::Duration;

use crate::{
    both_backends,
    helpers::{TestApp, email_of},
};

both_backends!(
    the_baseline_is_spread_and_the_intake_pain_is_not_asked_again,
    a_long_questionnaire_is_asked_one_section_per_screen,
    problems_are_plain_words_linking_to_their_questions,
    the_self_harm_answer_gives_the_clinic_contact_and_when_the_team_will_call
);

async fn post(
    app: &TestApp,
    c: &Client,
    csrf: &str,
    path: &str,
    fields: &[(&str, String)],
) -> (StatusCode, String, Option<String>) {
    let mut body: Vec<(&str, String)> = vec![("csrf_token", csrf.to_owned())];
    body.extend_from_slice(fields);
    let res = c.post(app.url(path)).form(&body).send().await.unwrap();
    let status = res.status();
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
    (status, res.text().await.unwrap(), location)
}

async fn text(app: &TestApp, c: &Client, path: &str) -> String {
    c.get(app.url(path)).send().await.unwrap().text().await.unwrap()
}

fn symptoms_no() -> Vec<(&'static str, String)> {
    physio_clinic::intake::Symptom::ALL.iter().map(|s| (s.as_str(), "no".to_owned())).collect()
}

/// Patient p2 sends an intake for low back pain with pain 6 out of 10 today.
async fn send_intake(app: &TestApp) -> (Client, String) {
    let (c, csrf) = app.login(&email_of("p2")).await;
    let steps: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("region", vec![("regions", "lumbar".into())]),
        ("duration", vec![("duration_amount", "10".into()), ("duration_unit", "weeks".into())]),
        ("pain", vec![("pain_now", "6".into())]),
        ("history", vec![("history", "none".into())]),
        ("injury", vec![("trauma", "none".into())]),
        ("symptoms", symptoms_no()),
        ("imaging", vec![("had_scan", "no".into())]),
        ("treatment", vec![("care_weeks", "3".into()), ("care_helped", "yes".into())]),
        ("surgery", vec![("surgery_status", "none".into())]),
        ("goals", vec![("goals", "Carry the shopping".into())]),
    ];
    for (step, fields) in steps {
        let (status, body, _) = post(app, &c, &csrf, &format!("/intake/{step}"), &fields).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "step {step}: {body}");
    }
    let (status, _, _) = post(app, &c, &csrf, "/intake/submit", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    (c, csrf)
}

fn links(list: &str) -> Vec<&str> {
    ["nprs", "odi", "startback", "psfs", "phq9", "gad7"]
        .into_iter()
        .filter(|id| list.contains(&format!("href=\"/questionnaires/{id}?timepoint=baseline\"")))
        .collect()
}

async fn the_baseline_is_spread_and_the_intake_pain_is_not_asked_again(app: &TestApp) {
    let p = &app.people;
    let (c, _) = send_intake(app).await;
    // The pain score given on the intake today is the baseline pain questionnaire.
    let stored = app.store.responses(p.clinic_a, p.p2, None).await.unwrap();
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!((stored[0].instrument.as_str(), stored[0].timepoint.as_str()), ("nprs", "baseline"));
    assert_eq!(stored[0].score, 6.0);
    // Day one: the disability questionnaire only (two a day, and the pain one is done), under
    // a title that says what it is about, with its size; the rest are announced, not asked.
    let list = text(app, &c, "/questionnaires").await;
    assert_eq!(links(&list), ["odi"], "{list}");
    assert!(list.contains("How your back affects daily life"), "{list}");
    assert!(list.contains("10 questions, about 4 minutes"), "{list}");
    assert!(!list.contains("Oswestry") && !list.contains("ODI"), "no instrument names: {list}");
    assert!(list.contains("We will ask you 4 more over the next few days"), "{list}");
    assert!(
        list.contains("How strong your pain is, 25 November 2026"),
        "answered, with the date in words: {list}"
    );
    assert!(text(app, &c, "/home").await.contains("You have 1 short questionnaire to fill in"));
    // The next days bring two more each (signing in again: a day is past the idle timeout).
    app.clock.advance(Duration::days(1));
    let (c, _) = app.login(&email_of("p2")).await;
    assert_eq!(links(&text(app, &c, "/questionnaires").await), ["odi", "startback", "psfs"]);
    app.clock.advance(Duration::days(1));
    let (c, _) = app.login(&email_of("p2")).await;
    assert_eq!(
        links(&text(app, &c, "/questionnaires").await),
        ["odi", "startback", "psfs", "phq9", "gad7"]
    );
}

/// The ODI's ten sections one screen at a time: "Question 3 of 10", a back button that keeps
/// the answers, at most two sections skipped, and nothing stored until the last screen.
async fn a_long_questionnaire_is_asked_one_section_per_screen(app: &TestApp) {
    let p = &app.people;
    let (c, csrf) = send_intake(app).await;
    let first = text(app, &c, "/questionnaires/odi?timepoint=baseline").await;
    assert!(first.contains("Question 1 of 10"), "{first}");
    assert_eq!(first.matches("type=\"radio\"").count(), 6, "one section on the screen");
    assert!(!first.to_lowercase().contains("score"), "{first}");
    let path = "/questionnaires/odi";
    let base = |section: usize, go: &str| {
        vec![
            ("timepoint", "baseline".to_owned()),
            ("section", section.to_string()),
            ("go", go.to_owned()),
        ]
    };
    // Section 1 answered: on to section 2, the answer carried as a hidden field.
    let mut fields = base(0, "next");
    fields.push(("q0", "2".into()));
    let (status, second, _) = post(app, &c, &csrf, path, &fields).await;
    assert_eq!(status, StatusCode::OK);
    assert!(second.contains("Question 2 of 10"), "{second}");
    assert!(second.contains("type=\"hidden\" name=\"q0\" value=\"2\""), "{second}");
    // Continue with no answer: the same screen, in plain words, linking to the question.
    let mut fields = base(1, "next");
    fields.push(("q0", "2".into()));
    let (status, refused, _) = post(app, &c, &csrf, path, &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.contains("Question 2 of 10"));
    assert!(
        refused
            .contains("<a href=\"#q1\">Choose how much your back affects washing and dressing</a>"),
        "{refused}"
    );
    // Back keeps the first answer, checked.
    let mut fields = base(1, "back");
    fields.push(("q0", "2".into()));
    let (status, back, _) = post(app, &c, &csrf, path, &fields).await;
    assert_eq!(status, StatusCode::OK);
    assert!(back.contains("Question 1 of 10"));
    assert!(back.contains("id=\"q0-2\" checked"), "{back}");
    // Two sections skipped are allowed; a third is refused, saying what to do.
    let mut answers: Vec<(&str, String)> = vec![];
    let names = ["q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9"];
    for (i, name) in names.iter().enumerate().take(3) {
        answers.push((name, (i % 6).to_string()));
    }
    for skip in [3, 4] {
        let mut fields = base(skip, "skip");
        fields.extend(answers.iter().cloned());
        let (status, _, _) = post(app, &c, &csrf, path, &fields).await;
        assert_eq!(status, StatusCode::OK, "skip {skip}");
    }
    let mut fields = base(5, "skip");
    fields.extend(answers.iter().cloned());
    let (status, third, _) = post(app, &c, &csrf, path, &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        third.contains(
            "You have already left out 2 questions. Choose how much your back affects standing"
        ),
        "{third}"
    );
    // Nothing is in the record until the last screen sends everything.
    let odi = || async { app.store.responses(p.clinic_a, p.p2, Some("odi")).await.unwrap() };
    assert!(odi().await.is_empty());
    for (i, name) in names.iter().enumerate().skip(5) {
        answers.push((name, "1".to_owned()));
        let _ = i;
    }
    let mut fields = base(9, "next");
    fields.extend(answers.iter().cloned());
    let (status, _, location) = post(app, &c, &csrf, path, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/questionnaires?done=odi"));
    let stored = odi().await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].timepoint, "baseline");
    assert_eq!(
        stored[0].answers["answers"],
        serde_json::json!([0.0, 1.0, 2.0, null, null, 1.0, 1.0, 1.0, 1.0, 1.0])
    );
    let list = text(app, &c, "/questionnaires?done=odi").await;
    assert!(
        list.contains("Your answers to \u{201c}How your back affects daily life\u{201d} are saved"),
        "{list}"
    );
}

async fn problems_are_plain_words_linking_to_their_questions(app: &TestApp) {
    let p = &app.people;
    let (c, csrf) = send_intake(app).await;
    // The GAD-7 is short enough for one page; two questions left out are both listed.
    let page = text(app, &c, "/questionnaires/gad7?timepoint=baseline").await;
    assert!(page.contains("Worry and feeling on edge") && !page.contains("GAD-7"), "{page}");
    let mut fields = vec![("timepoint", "baseline".to_owned())];
    for i in [0, 2, 3, 4, 6] {
        fields.push((["q0", "q1", "q2", "q3", "q4", "q5", "q6"][i], "1".to_owned()));
    }
    let (status, body, _) = post(app, &c, &csrf, "/questionnaires/gad7", &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains(
            "<a href=\"#q1\">Choose how often you have had worry you cannot switch off</a>"
        ),
        "{body}"
    );
    assert!(
        body.contains("<a href=\"#q5\">Choose how often you have been easily annoyed</a>"),
        "{body}"
    );
    assert!(body.contains("id=\"q0-1\" checked"), "what was chosen is kept: {body}");
    for code in ["gad7", "`", "answer 2", "allowed:", "null"] {
        assert!(
            !body.contains(&format!(">{code}")) && !body.contains(&format!("{code}<")),
            "{code} shown: {body}"
        );
    }
    assert!(!body.contains("uncontrolled_worry"), "no item codes");
    assert!(app.store.responses(p.clinic_a, p.p2, Some("gad7")).await.unwrap().is_empty());
    // Hours that are not a number are put in words too (the WPAI).
    let fields = vec![
        ("timepoint", "adhoc".to_owned()),
        ("q0", "1".into()),
        ("q1", "lots".into()),
        ("q2", "0".into()),
        ("q3", "30".into()),
        ("q4", "3".into()),
        ("q5", "4".into()),
    ];
    let (status, body, _) = post(app, &c, &csrf, "/questionnaires/wpai", &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("<a href=\"#q1\">Enter a number of hours from 0 to 168, like 7.5</a>"),
        "{body}"
    );
    assert!(body.contains("value=\"lots\""), "what was typed is kept");
}

async fn the_self_harm_answer_gives_the_clinic_contact_and_when_the_team_will_call(app: &TestApp) {
    let p = &app.people;
    let mut tx = app.store.begin().await.unwrap();
    tx.set_clinic_contact(p.clinic_a, Some("Phone 01632 960 111, weekdays 8am to 6pm"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (c, csrf) = send_intake(app).await;
    // Neither the introduction nor a question speaks of scoring or of what an answer leads to.
    let first = text(app, &c, "/questionnaires/phq9?timepoint=baseline").await;
    assert!(
        first.contains("How you have been feeling") && first.contains("Question 1 of 9"),
        "{first}"
    );
    let lower = first.to_lowercase();
    // ("of 27", the top score: a bare "27" could be part of a random token in the page.)
    for word in ["score", "follow-up", "follow up", "clinician", "alert", "of 27"] {
        assert!(!lower.contains(word), "the PHQ-9 page mentions {word:?}");
    }
    let mut fields =
        vec![("timepoint", "baseline".to_owned()), ("section", "8".into()), ("go", "next".into())];
    let names = ["q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"];
    for name in &names[..8] {
        fields.push((name, "0".into()));
    }
    fields.push(("q8", "1".into()));
    let (status, _, location) = post(app, &c, &csrf, "/questionnaires/phq9", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.unwrap();
    assert_eq!(location, "/questionnaires?done=phq9&alert=true");
    let page = text(app, &c, &location).await;
    assert!(page.contains("call your emergency number now"), "the immediate message stays: {page}");
    assert!(page.contains(physio_server::care::questionnaires::CRISIS_CALL_BACK), "{page}");
    assert!(page.contains("Phone 01632 960 111, weekdays 8am to 6pm"), "{page}");
    let alerts = app.store.alerts(p.clinic_a, Some(p.p2), false).await.unwrap();
    let item9 = physio_clinic::alert::AlertKind::Phq9Item9;
    assert_eq!(alerts.iter().filter(|a| a.kind == item9).count(), 1);
}
