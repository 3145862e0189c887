//! The clinical flow over HTTP on both backends: a patient sends the intake page by page and is
//! triaged; a clinician reviews the decision; weekly check-ins re-run triage; questionnaires are
//! scored and an item-9 answer alerts the care team.

use reqwest::{Client, StatusCode};

use crate::{
    both_backends,
    helpers::{TestApp, email_of},
};

both_backends!(
    intake_triage_review_and_check_in,
    emergency_answer_stops_the_intake,
    questionnaires_are_scored_and_alert
);

async fn form(
    app: &TestApp,
    c: &Client,
    csrf: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> StatusCode {
    let mut body: Vec<(&str, &str)> = vec![("csrf_token", csrf)];
    body.extend_from_slice(fields);
    c.post(app.url(path)).form(&body).send().await.unwrap().status()
}

/// Posts a page; returns where it sends the browser next.
async fn post_to(
    app: &TestApp,
    c: &Client,
    csrf: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> String {
    let mut body: Vec<(&str, &str)> = vec![("csrf_token", csrf)];
    body.extend_from_slice(fields);
    let res = c.post(app.url(path)).form(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
    res.headers()["location"].to_str().unwrap().to_owned()
}

async fn text(app: &TestApp, c: &Client, path: &str) -> String {
    c.get(app.url(path)).send().await.unwrap().text().await.unwrap()
}

/// An answer that is an emergency stops the intake on the page that gave it: the interruption
/// page, one alert for the care team written with the save (not again on later pages), exercise
/// paused everywhere until a clinician closes it; the answers are kept.
async fn emergency_answer_stops_the_intake(app: &TestApp) {
    let p = &app.people;
    let (c, csrf) = app.login(&email_of("p2")).await;
    for (step, fields) in [
        ("region", vec![("regions", "lumbar")]),
        ("duration", vec![("duration_amount", "3"), ("duration_unit", "days")]),
        ("pain", vec![("pain_now", "7")]),
        ("history", vec![("history", "none")]),
        ("injury", vec![("trauma", "none")]),
    ] {
        let next = post_to(app, &c, &csrf, &format!("/intake/{step}"), &fields).await;
        assert_ne!(next, "/intake/emergency", "{step}");
    }
    assert!(app.store.alerts(p.clinic_a, Some(p.p2), true).await.unwrap().is_empty());
    let answers = symptom_answers(&["saddle_numbness"]);
    let next = post_to(app, &c, &csrf, "/intake/symptoms", &answers).await;
    assert_eq!(next, "/intake/emergency", "the intake stops at once");
    let stop = text(app, &c, &next).await;
    for words in [
        "Go to an emergency department now",
        "Do not drive yourself",
        "Show this page",
        "answers are saved",
    ] {
        assert!(stop.contains(words), "{words}: {stop}");
    }
    let alerts = app.store.alerts(p.clinic_a, Some(p.p2), false).await.unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0].kind.as_str(), "intake_emergency");
    assert!(alerts[0].message.contains("cauda_equina"), "{}", alerts[0].message);

    // Home leads with the emergency card; no exercise is offered and the camera page refuses.
    let home = text(app, &c, "/home").await;
    let card = home.find("care-emergency").expect("an emergency card");
    assert!(card < home.find("Your next step").unwrap(), "the card comes first");
    assert!(!home.contains("/exercise/deep-squat"), "exercise is paused");
    let camera = text(app, &c, "/exercise/deep-squat").await;
    assert!(
        camera.contains("Your exercises are paused") && camera.contains("emergency department")
    );
    assert!(!camera.contains("id=\"live\""), "no camera session");

    // The rest can be finished later; a later page raises nothing new.
    let next = post_to(app, &c, &csrf, "/intake/imaging", &[("had_scan", "no")]).await;
    assert_eq!(next, "/intake/treatment");
    let again = post_to(app, &c, &csrf, "/intake/symptoms", &answers).await;
    assert_eq!(again, "/intake/imaging", "the same answer again is not a new emergency");
    assert_eq!(app.store.alerts(p.clinic_a, Some(p.p2), true).await.unwrap().len(), 1);
    let ep = app.store.open_episode_of(p.clinic_a, p.p2).await.unwrap().unwrap();
    let draft = app.store.intake(p.clinic_a, ep.id).await.unwrap().unwrap().answers;
    assert_eq!(draft["symptoms"], serde_json::json!(["saddle_numbness"]));

    // Once a clinician on the care team closes it with a note, the pause lifts.
    let (clinician, ccsrf) = app.login(&email_of("c2")).await;
    let record = text(app, &clinician, &format!("/patients/{}", p.p2)).await;
    assert!(record.contains("Emergency answer during the intake"), "{record}");
    let close = format!("/alerts/{}/close", alerts[0].id);
    let note = [("note", "Phoned: the patient is at the emergency department")];
    assert_eq!(form(app, &clinician, &ccsrf, &close, &note).await, StatusCode::SEE_OTHER);
    let home = text(app, &c, "/home").await;
    assert!(!home.contains("care-emergency"), "{home}");
}

/// The warning-sign questions answered: `yes` to those listed, `no` to the rest.
fn symptom_answers(yes: &[&str]) -> Vec<(&'static str, &'static str)> {
    physio_clinic::intake::Symptom::ALL
        .iter()
        .map(|s| (s.as_str(), if yes.contains(&s.as_str()) { "yes" } else { "no" }))
        .collect()
}

/// Sends a whole intake for `p2` through the pages; returns the patient's client and token.
async fn send_intake(app: &TestApp, symptoms: &[&str]) -> (Client, String) {
    let (c, csrf) = app.login(&email_of("p2")).await;
    assert_eq!(c.get(app.url("/intake")).send().await.unwrap().status(), StatusCode::OK);
    let mut steps: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("region", vec![("regions", "thoracic")]),
        ("duration", vec![("duration_amount", "10"), ("duration_unit", "weeks")]),
        ("pain", vec![("pain_now", "5")]),
        ("history", vec![("history", "none")]),
        ("injury", vec![("trauma", "none")]),
        ("symptoms", symptom_answers(symptoms)),
        ("imaging", vec![("had_scan", "no")]),
        ("treatment", vec![("care_weeks", "3"), ("care_helped", "yes")]),
        ("surgery", vec![("surgery_status", "none")]),
        ("goals", vec![("goals", "Carry the shopping")]),
    ];
    // A page with a missing answer is refused with the reason, and nothing moves on.
    assert_eq!(form(app, &c, &csrf, "/intake/region", &[]).await, StatusCode::UNPROCESSABLE_ENTITY);
    for (step, fields) in steps.drain(..) {
        let status = form(app, &c, &csrf, &format!("/intake/{step}"), &fields).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "step {step}");
    }
    let check = c.get(app.url("/intake/check")).send().await.unwrap().text().await.unwrap();
    assert!(check.contains("Send my answers"), "every question answered");
    assert_eq!(form(app, &c, &csrf, "/intake/submit", &[]).await, StatusCode::SEE_OTHER);
    (c, csrf)
}

async fn intake_triage_review_and_check_in(app: &TestApp) {
    let p = &app.people;
    let (patient, csrf) = send_intake(app, &[]).await;
    let ep = app.store.open_episode_of(p.clinic_a, p.p2).await.unwrap().unwrap();
    let history = app.store.triage_history(p.clinic_a, ep.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].tier, physio_clinic::triage::Tier::Exercise);
    // Thoracic pain always gets the cardiac and aortic screen, and says so.
    assert!(
        history[0].decision.screens.iter().any(|s| s.screen.contains("cardiac_aortic")),
        "{:?}",
        history[0].decision
    );
    assert_eq!(ep.pathway.as_deref(), Some("conservative_thoracic"));
    let result = patient.get(app.url("/intake/result")).send().await.unwrap().text().await.unwrap();
    assert!(result.contains("exercise-based care is the right place to start"));

    // A week later pain is up 4 points with chest pain: emergency, flagged for review, alerted.
    app.clock.advance(time::Duration::days(7));
    let (patient, csrf2) = app.login(&email_of("p2")).await;
    let _ = csrf;
    let status = form(
        app,
        &patient,
        &csrf2,
        "/check-in",
        &[&[("pain_now", "9")][..], &symptom_answers(&["chest_pain_or_breathlessness"])].concat(),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let history = app.store.triage_history(p.clinic_a, ep.id).await.unwrap();
    assert_eq!((history[0].trigger.as_str(), history[0].tier.as_str()), ("pain_rise", "emergency"));
    let result = patient.get(app.url("/intake/result")).send().await.unwrap().text().await.unwrap();
    assert!(result.contains("Go to an emergency department now"), "{result}");
    let alerts = app.store.alerts(p.clinic_a, Some(p.p2), false).await.unwrap();
    assert_eq!(alerts.len(), 1, "one alert per check-in: {alerts:?}");
    assert!(alerts[0].message.contains("pain rose from 5 to 9"), "{alerts:?}");
    assert!(alerts[0].message.contains("new warning signs: chest pain"), "{alerts:?}");

    // The clinician on the care team sees it first on the caseload and reviews it.
    let (clinician, ccsrf) = app.login(&email_of("c2")).await;
    let caseload = clinician.get(app.url("/caseload")).send().await.unwrap().text().await.unwrap();
    assert!(caseload.contains("Emergency: review") && caseload.contains("1 alert"), "{caseload}");
    let page = clinician
        .get(app.url(&format!("/patients/{}", p.p2)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Your review") && page.contains("Emergency"));
    let review = format!("/triage/{}/review", history[0].id);
    // Changing the tier needs a reason.
    let status = form(app, &clinician, &ccsrf, &review, &[("final_tier", "urgent")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let status = form(
        app,
        &clinician,
        &ccsrf,
        &review,
        &[
            ("final_tier", "urgent"),
            ("note", "Spoke by phone; chest pain is musculoskeletal, GP today"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let t = app.store.triage_record(p.clinic_a, history[0].id).await.unwrap();
    let r = t.review.unwrap();
    assert_eq!((r.final_tier.as_str(), r.by), ("urgent", p.c2));
    // A clinician not on the care team cannot review.
    let (other, ocsrf) = app.login(&email_of("c1")).await;
    let review2 = format!("/triage/{}/review", history[1].id);
    assert_eq!(
        form(app, &other, &ocsrf, &review2, &[("final_tier", "exercise")]).await,
        StatusCode::FORBIDDEN
    );
    // The phase can be overridden only with a reason, then discharge closes the episode.
    let phase = format!("/episodes/{}/phase", ep.id);
    assert_eq!(
        form(app, &clinician, &ccsrf, &phase, &[("phase", "active_care")]).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        form(app, &clinician, &ccsrf, &phase, &[("phase", "early")]).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        form(
            app,
            &clinician,
            &ccsrf,
            &phase,
            &[("phase", "active_care"), ("reason", "Holding load steady")]
        )
        .await,
        StatusCode::SEE_OTHER
    );
    let ep2 = app.store.episode(p.clinic_a, ep.id).await.unwrap();
    assert_eq!(ep2.phase_override.unwrap().reason, "Holding load steady");
    let discharge = format!("/episodes/{}/discharge", ep.id);
    // Discharge asks for a confirmation and a reason; without them nothing changes.
    assert_eq!(
        form(app, &clinician, &ccsrf, &discharge, &[("reason", "Goals met")]).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        form(app, &clinician, &ccsrf, &discharge, &[("confirm", "yes")]).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(app.store.open_episode_of(p.clinic_a, p.p2).await.unwrap().is_some());
    let done = [("confirm", "yes"), ("reason", "Goals met")];
    assert_eq!(form(app, &clinician, &ccsrf, &discharge, &done).await, StatusCode::SEE_OTHER);
    assert!(app.store.open_episode_of(p.clinic_a, p.p2).await.unwrap().is_none());
    let closed = app.store.episode(p.clinic_a, ep.id).await.unwrap();
    assert_eq!(closed.discharge_reason.as_deref(), Some("Goals met"));
    // The patient is then asked for the discharge questionnaires, satisfaction included.
    let list = patient.get(app.url("/questionnaires")).send().await.unwrap().text().await.unwrap();
    assert!(list.contains("/questionnaires/satisfaction?timepoint=discharge"), "{list}");
    let status = form(
        app,
        &patient,
        &csrf2,
        "/questionnaires/satisfaction",
        &[("timepoint", "discharge"), ("q0", "9")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let done = app.store.responses(p.clinic_a, p.p2, Some("satisfaction")).await.unwrap();
    assert_eq!(done[0].timepoint, "discharge");
}

async fn questionnaires_are_scored_and_alert(app: &TestApp) {
    let p = &app.people;
    let (patient, csrf) = send_intake(app, &[]).await;
    let list = patient.get(app.url("/questionnaires")).send().await.unwrap().text().await.unwrap();
    // The baseline is spread over the first days; the pain score came with the intake.
    assert!(list.contains("/questionnaires/odi?timepoint=baseline"), "disability asked on day one");
    for later in ["/questionnaires/phq9?", "/questionnaires/startback?", "/questionnaires/nprs?"] {
        assert!(!list.contains(later), "{later} not asked on day one");
    }
    let carried = app.store.responses(p.clinic_a, p.p2, None).await.unwrap();
    assert_eq!(carried.len(), 1, "the intake's pain score answers the baseline NPRS");
    // An out-of-range answer is refused, naming the problem; nothing is stored.
    let status = form(
        app,
        &patient,
        &csrf,
        "/questionnaires/nprs",
        &[("timepoint", "baseline"), ("q0", "12")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.store.responses(p.clinic_a, p.p2, None).await.unwrap().len(), 1);
    let status = form(
        app,
        &patient,
        &csrf,
        "/questionnaires/nprs",
        &[("timepoint", "baseline"), ("q0", "6")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let mut phq: Vec<(String, String)> =
        (0..8).map(|i| (format!("q{i}"), "1".to_owned())).collect();
    phq.push(("q8".into(), "2".into()));
    phq.push(("timepoint".into(), "baseline".into()));
    // The PHQ-9 is asked one question per screen; the last screen sends them all.
    phq.push(("section".into(), "8".into()));
    let fields: Vec<(&str, &str)> = phq.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        form(app, &patient, &csrf, "/questionnaires/phq9", &fields).await,
        StatusCode::SEE_OTHER
    );
    let stored = app.store.responses(p.clinic_a, p.p2, None).await.unwrap();
    let phq9 = stored.iter().find(|r| r.instrument == "phq9").unwrap();
    assert_eq!((phq9.score, phq9.timepoint.as_str()), (10.0, "baseline"));
    assert_eq!(phq9.result["band"], "moderate");
    let alerts = app.store.alerts(p.clinic_a, Some(p.p2), false).await.unwrap();
    assert_eq!(alerts.iter().filter(|a| a.kind.as_str() == "phq9_item9").count(), 1);
    let list = patient.get(app.url("/questionnaires")).send().await.unwrap().text().await.unwrap();
    assert!(!list.contains("/questionnaires/phq9?"), "answered questionnaires are no longer due");
}
