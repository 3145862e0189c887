//! Staff forms over HTTP on both backends: a form that fails comes back holding what was typed,
//! with an error summary linking to the field and a plain message at it, and writes nothing;
//! discharge and deactivation ask first; a patient nobody looks after is flagged to the admin;
//! times show in the clinic's time zone.

use reqwest::{Client, StatusCode};
use uuid::Uuid;

use crate::{
    both_backends,
    helpers::{START, TestApp, email_of},
};

both_backends!(
    failed_staff_forms_keep_what_was_typed,
    deactivation_asks_first_and_patients_without_a_team_are_flagged,
    times_show_in_the_clinics_time_zone,
);

async fn post(
    app: &TestApp,
    c: &Client,
    csrf: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let mut body: Vec<(&str, &str)> = vec![("csrf_token", csrf)];
    body.extend_from_slice(fields);
    let res = c.post(app.url(path)).form(&body).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn get(app: &TestApp, c: &Client, path: &str) -> (StatusCode, String) {
    let res = c.get(app.url(path)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

/// An episode for `p1` whose intake the rules sent to a spine specialist, awaiting review;
/// returns the episode and the triage decision.
async fn episode_awaiting_review(app: &TestApp) -> (Uuid, Uuid) {
    let p = &app.people;
    let mut tx = app.store.begin().await.unwrap();
    let ep = tx.open_episode(p.clinic_a, p.p1, START).await.unwrap();
    let intake: serde_json::Value = serde_json::from_str(include_str!(
        "../../../../docs/examples/exercise-conservative-lumbar.json"
    ))
    .unwrap();
    let triage = physio_store::NewTriage {
        clinic_id: p.clinic_a,
        episode_id: ep.id,
        trigger: "intake".into(),
        tier: physio_clinic::triage::Tier::Specialist,
        decision: serde_json::from_value(serde_json::json!({
            "tier": "specialist",
            "action": "See a spine specialist.",
            "clinician_action": "Review the referral.",
        }))
        .unwrap(),
        proposed_pathway: None,
        needs_review: true,
    };
    let t = tx.submit_intake(&intake, &triage, START).await.unwrap();
    tx.commit().await.unwrap();
    (ep.id, t.id)
}

/// The page is the form again for one patient, with an error summary linking to `field`.
#[track_caller]
fn assert_came_back(html: &str, field: &str, message: &str) {
    assert!(html.contains("<title>Error: "), "the title says there is an error: {html}");
    assert!(html.contains("There is a problem"), "an error summary: {html}");
    assert!(html.contains(&format!("href=\"#{field}\"")), "the summary links to #{field}: {html}");
    assert!(html.contains(&format!("id=\"{field}-error\"")), "a message at #{field}: {html}");
    assert!(html.contains(message), "{message:?} in {html}");
    assert!(html.contains("p1 Person"), "the patient is named: {html}");
    // No developer words: no wire names with underscores, no field names, no codes.
    for dev in ["surgery_date:", "session_id", "override.", "This did not work", "Reason:"] {
        assert!(!html.contains(dev), "{dev:?} shown to a clinician: {html}");
    }
}

async fn failed_staff_forms_keep_what_was_typed(app: &TestApp) {
    let p = &app.people;
    let (episode, triage) = episode_awaiting_review(app).await;
    let (c, csrf) = app.login(&email_of("c1")).await;

    // Triage review: a changed tier without a note comes back with the tier still chosen.
    let review = format!("/triage/{triage}/review");
    let (status, html) = post(app, &c, &csrf, &review, &[("final_tier", "urgent")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_came_back(&html, "note", "Say why you are changing the tier");
    assert!(html.contains(r#"value="urgent" id="tier-urgent" checked"#), "{html}");
    assert!(!html.contains(r#"id="tier-specialist" checked"#), "{html}");
    assert!(html.contains(&format!(r#"action="/triage/{triage}/review""#)), "posts again: {html}");
    assert!(app.store.triage_record(p.clinic_a, triage).await.unwrap().review.is_none());
    let note = [
        ("final_tier", "exercise"),
        ("note", "Seen today; the specialist is not needed"),
        ("pathway", "conservative_lumbar"),
    ];
    let (status, _) = post(app, &c, &csrf, &review, &note).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // A target range with an angle that is not a number keeps both angles as typed.
    let refs = format!("/patients/{}/references", p.p1);
    let typed = [("exercise", "shoulder-abduction"), ("rest", "ten"), ("peak", "95")];
    let (status, html) = post(app, &c, &csrf, &refs, &typed).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_came_back(&html, "target-rest", "Enter the angle as a number of degrees");
    assert!(html.contains(r#"value="ten""#) && html.contains(r#"value="95""#), "{html}");
    assert!(html.contains(r#"value="shoulder-abduction" selected"#), "{html}");
    let typed = [("exercise", "shoulder-abduction"), ("rest", "10"), ("peak", "")];
    let (status, html) = post(app, &c, &csrf, &refs, &typed).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_came_back(&html, "target-peak", "Enter the target angle");
    assert!(app.store.exercise_references(p.clinic_a, p.p1).await.unwrap().is_empty());

    // A pathway after an operation needs its date: said in words, at the date field.
    let pathway = format!("/episodes/{episode}/pathway");
    let typed = [("pathway", "post_op_fusion"), ("surgery_date", ""), ("lifting_limit_kg", "4")];
    let (status, html) = post(app, &c, &csrf, &pathway, &typed).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_came_back(&html, "surgery_date", "Enter the date of the operation");
    assert!(html.contains(r#"value="post_op_fusion" selected"#) && html.contains(r#"value="4""#));
    let typed = [("pathway", "conservative_lumbar"), ("lifting_limit_kg", "lots")];
    let (status, html) = post(app, &c, &csrf, &pathway, &typed).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_came_back(&html, "lifting", "Enter the limit in kilograms");
    assert!(html.contains(r#"value="lots""#), "{html}");
    let (status, _) = post(app, &c, &csrf, &pathway, &[("pathway", "conservative_lumbar")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // The phase list offers only the pathway's phases; an override needs its reason.
    let (_, record) = get(app, &c, &format!("/patients/{}", p.p1)).await;
    let phases = record.split(r#"name="phase""#).nth(1).and_then(|s| s.split("</select>").next());
    let phases = phases.unwrap_or_else(|| panic!("a phase list: {record}"));
    assert!(phases.contains(r#"<option value="active_care""#), "{phases}");
    for other in ["early", "prehab", "rehabilitation", "long_term"] {
        assert!(!phases.contains(&format!(r#"<option value="{other}""#)), "{other}: {phases}");
    }
    let phase = format!("/episodes/{episode}/phase");
    let (status, html) = post(app, &c, &csrf, &phase, &[("phase", "active_care")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_came_back(&html, "reason", "Say why you are overriding the phase");
    assert!(html.contains(r#"value="active_care" selected"#), "{html}");
    let (status, html) = post(app, &c, &csrf, &phase, &[("phase", "early"), ("reason", "x")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_came_back(&html, "phase", "Choose one of this pathway's phases");

    // Discharge is a page of its own that asks for a reason and a confirmation; without the
    // confirmation it comes back with the reason as typed, and the episode stays open.
    let discharge = format!("/episodes/{episode}/discharge");
    assert!(record.contains(&format!(r#"href="{discharge}""#)), "{record}");
    let (status, html) = get(app, &c, &discharge).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Discharge the patient") && !html.contains("There is a problem"));
    let (status, html) =
        post(app, &c, &csrf, &discharge, &[("reason", "Goals met, walking 5 km")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_came_back(&html, "discharge-confirm", "Tick the box to confirm the discharge");
    assert!(html.contains(">Goals met, walking 5 km</textarea>"), "{html}");
    assert!(app.store.open_episode_of(p.clinic_a, p.p1).await.unwrap().is_some());

    // Care team (admin): ticking nobody comes back with the message at the checkboxes.
    let (admin, acsrf) = app.login(&email_of("admin")).await;
    let team = format!("/patients/{}/care-team", p.p1);
    let (status, html) = post(app, &admin, &acsrf, &team, &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_came_back(&html, "clinician_ids", "Choose at least one clinician");
    let (status, html) = post(app, &admin, &acsrf, &team, &[("clinician_id", "nope")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_came_back(&html, "clinician_ids", "Choose clinicians from the list");
    // The schedule keeps what was typed too.
    let (status, html) =
        post(app, &admin, &acsrf, "/admin/schedule", &[("weeks", "4, eight")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r#"value="4, eight""#) && html.contains(r##"href="#weeks""##), "{html}");
}

async fn deactivation_asks_first_and_patients_without_a_team_are_flagged(app: &TestApp) {
    let p = &app.people;
    let (admin, csrf) = app.login(&email_of("admin")).await;
    let (_, page) = get(app, &admin, "/admin").await;
    assert!(!page.contains("no care team"), "everyone is looked after: {page}");
    // The admin page links to a confirmation; it does not deactivate in one click.
    let confirm = format!("/admin/users/{}/deactivate", p.c1);
    assert!(page.contains(&format!(r#"href="{confirm}""#)), "{page}");
    let (status, html) = get(app, &admin, &confirm).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Deactivate") && html.contains("signed out at once"), "{html}");
    // c1 is p1's only clinician: the admin is told before confirming.
    assert!(html.contains(&format!("/patients/{}", p.p1)), "{html}");
    // A request without the confirmation shows the question again and changes nothing.
    let active = format!("/admin/users/{}/active", p.c1);
    let (status, html) = post(app, &admin, &csrf, &active, &[("active", "false")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"name="confirm" value="yes""#), "{html}");
    assert!(app.store.user(p.c1).await.unwrap().active);
    let yes = [("active", "false"), ("confirm", "yes")];
    assert_eq!(post(app, &admin, &csrf, &active, &yes).await.0, StatusCode::SEE_OTHER);
    assert!(!app.store.user(p.c1).await.unwrap().active);

    // p1's team now has only a deactivated clinician, and a new patient has no team at all:
    // both are flagged on the admin page, each linking to the patient, until a team is set.
    let new = [("name", "Nora New"), ("email", "nora.new@x.test"), ("role", "patient")];
    assert_eq!(post(app, &admin, &csrf, "/admin/users", &new).await.0, StatusCode::OK);
    let (_, page) = get(app, &admin, "/admin").await;
    assert!(page.contains("2 patients have no care team"), "{page}");
    assert!(page.contains(&format!(r#"href="/patients/{}""#, p.p1)), "{page}");
    assert!(page.contains("only deactivated clinicians"), "{page}");
    let nora = app.store.credentials("nora.new@x.test").await.unwrap().unwrap().user.id;
    let (_, record) = get(app, &admin, &format!("/patients/{nora}")).await;
    assert!(record.contains("No care team yet"), "{record}");
    let team = format!("/patients/{nora}/care-team");
    let c2 = p.c2.to_string();
    assert_eq!(
        post(app, &admin, &csrf, &team, &[("clinician_id", &c2)]).await.0,
        StatusCode::SEE_OTHER
    );
    let (_, page) = get(app, &admin, "/admin").await;
    assert!(page.contains("1 patient has no care team"), "{page}");
    let (_, record) = get(app, &admin, &format!("/patients/{nora}")).await;
    assert!(!record.contains("No care team yet"), "{record}");
}

async fn times_show_in_the_clinics_time_zone(app: &TestApp) {
    let p = &app.people;
    episode_awaiting_review(app).await;
    let (c, _) = app.login(&email_of("c1")).await;
    let record = format!("/patients/{}", p.p1);
    // The server's default here is UTC.
    let (_, html) = get(app, &c, &record).await;
    assert!(html.contains("25 November 2026 09:00 UTC"), "{html}");
    // The admin chooses Chicago: the same moment is 03:00 CST there.
    let (admin, csrf) = app.login(&email_of("admin")).await;
    let (status, html) =
        post(app, &admin, &csrf, "/admin/time-zone", &[("time_zone", "America/Chicago")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"value="America/Chicago" selected"#), "{html}");
    assert_eq!(
        app.store.clinic_time_zone(p.clinic_a).await.unwrap().as_deref(),
        Some("America/Chicago")
    );
    let (_, html) = get(app, &c, &record).await;
    assert!(html.contains("25 November 2026 03:00 CST"), "{html}");
    // Another clinic keeps the default.
    let other_clinic = app.store.user(p.xa).await.unwrap().clinic_id;
    assert_eq!(app.store.clinic_time_zone(other_clinic).await.unwrap(), None);
    // A name that is not a time zone comes back with the message; nothing changes.
    let (status, html) =
        post(app, &admin, &csrf, "/admin/time-zone", &[("time_zone", "Mars/Olympus")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r##"href="#time_zone""##) && html.contains("from the list"), "{html}");
    assert_eq!(
        app.store.clinic_time_zone(p.clinic_a).await.unwrap().as_deref(),
        Some("America/Chicago")
    );
    // Back to the server's default.
    let (status, _) = post(app, &admin, &csrf, "/admin/time-zone", &[("time_zone", "")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.store.clinic_time_zone(p.clinic_a).await.unwrap(), None);
}
