//! The staff's programme pages over HTTP on both backends, as a signed-in clinician's browser
//! uses them: the library, starting a programme from a template, the editor (a refusal under a
//! precaution comes back with the precaution named at the override field and everything as
//! typed; a reason overrides it), the version history, saving the programme as a clinic
//! template, and a clinic template the patient's precautions refuse.

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    both_backends,
    helpers::{TestApp, email_of},
};

both_backends!(the_library_shows_every_exercise, a_clinician_prescribes_through_the_pages);

async fn get(app: &TestApp, c: &Client, path: &str) -> (StatusCode, String) {
    let res = c.get(app.url(path)).send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

/// Posts a form; returns the status, where it redirects to, and the page.
async fn post(
    app: &TestApp,
    c: &Client,
    csrf: &str,
    path: &str,
    fields: &[(String, String)],
) -> (StatusCode, String, String) {
    let mut body: Vec<(String, String)> = vec![("csrf_token".into(), csrf.into())];
    body.extend(fields.iter().filter(|(k, _)| k != "csrf_token").cloned());
    let res = c.post(app.url(path)).form(&body).send().await.unwrap();
    let location =
        res.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    (res.status(), location, res.text().await.unwrap())
}

fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// A tag's attributes: `name="value"` pairs, and bare names with an empty value.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = tag.trim_start_matches('<');
    rest = rest.split_once(char::is_whitespace).map_or("", |(_, r)| r);
    loop {
        rest = rest.trim_start();
        if rest.is_empty() || rest.starts_with('>') || rest.starts_with("/>") {
            return out;
        }
        let end = rest.find(|ch: char| ch == '=' || ch.is_whitespace() || ch == '>').unwrap();
        let name = rest[..end].to_owned();
        rest = &rest[end..];
        if let Some(after) = rest.strip_prefix("=\"") {
            let close = after.find('"').unwrap();
            out.push((name, unescape(&after[..close])));
            rest = &after[close + 1..];
        } else {
            out.push((name, String::new()));
        }
    }
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// What a browser sends for the form whose opening tag contains `marker`: each named input
/// (a checkbox only when ticked), each select's chosen option, each textarea's text.
fn form_fields(html: &str, marker: &str) -> Vec<(String, String)> {
    let start = html.find(marker).unwrap_or_else(|| panic!("no form {marker}: {html}"));
    let form = &html[start..start + html[start..].find("</form>").unwrap()];
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = form[at..].find('<') {
        let from = at + open;
        let close = from + form[from..].find('>').unwrap();
        let tag = &form[from..=close];
        at = close + 1;
        let attrs = attributes(tag);
        let Some(name) = attr(&attrs, "name") else { continue };
        if tag.starts_with("<input") {
            let kind = attr(&attrs, "type").unwrap_or("text");
            if kind == "checkbox" && attr(&attrs, "checked").is_none() {
                continue;
            }
            out.push((name.to_owned(), attr(&attrs, "value").unwrap_or("").to_owned()));
        } else if tag.starts_with("<textarea") {
            let end = at + form[at..].find("</textarea>").unwrap();
            out.push((name.to_owned(), unescape(&form[at..end])));
        } else if tag.starts_with("<select") {
            let end = at + form[at..].find("</select>").unwrap();
            let options: Vec<Vec<(String, String)>> = form[at..end]
                .split("<option")
                .skip(1)
                .map(|o| attributes(&format!("<option{}", &o[..=o.find('>').unwrap()])))
                .collect();
            let chosen = options
                .iter()
                .find(|o| attr(o, "selected").is_some())
                .or(options.first())
                .and_then(|o| attr(o, "value"))
                .unwrap_or("");
            out.push((name.to_owned(), chosen.to_owned()));
        }
    }
    out
}

/// Sets (or adds) one field.
fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    match fields.iter_mut().find(|(k, _)| k == name) {
        Some(f) => f.1 = value.to_owned(),
        None => fields.push((name.to_owned(), value.to_owned())),
    }
}

fn value_of<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

async fn version(app: &TestApp) -> i32 {
    let p = &app.people;
    app.store.programme(p.clinic_a, p.p1).await.unwrap().map_or(0, |v| v.version)
}

/// `p1` after a spinal fusion, on the post-operative fusion pathway in its early phase (the
/// intake's operation was six weeks ago, and no milestone is met yet).
async fn fusion_patient(app: &TestApp) {
    let p = &app.people;
    let c = app.client();
    let mut doc: Value = serde_json::from_str(include_str!(
        "../../../../docs/examples/exercise-post-op-fusion.json"
    ))
    .unwrap();
    doc.as_object_mut().unwrap().remove("age");
    let patient = app.token_for(p.p1).await;
    let res = app.req(&c, Method::POST, "/api/v1/intake").bearer_auth(&patient).json(&doc);
    let decision: Value = res.send().await.unwrap().json().await.unwrap();
    let clinician = app.token_for(p.c1).await;
    let review = format!("/api/v1/triage/{}/review", decision["id"].as_str().unwrap());
    let res = app
        .req(&c, Method::POST, &review)
        .bearer_auth(&clinician)
        .json(&json!({"final_tier": "exercise", "pathway": "post_op_fusion"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
}

async fn the_library_shows_every_exercise(app: &TestApp) {
    let (c, _) = app.login(&email_of("c1")).await;
    let (status, html) = get(app, &c, "/library").await;
    assert_eq!(status, StatusCode::OK);
    let all = physio_clinic::exercise::library::builtin();
    assert_eq!(html.matches(r#"class="library-item""#).count(), all.len(), "{html}");
    assert!(html.contains(r#"href="/library">Exercise library</a>"#), "in the navigation: {html}");
    for e in all {
        assert!(html.contains(&format!(r#"href="/library/{}""#, e.id)), "{}", e.id);
    }
    assert!(html.contains("Camera: counting validated"), "{html}");
    // The filter narrows the list, and says so.
    let (_, html) = get(app, &c, "/library?region=thoracic&position=&purpose=").await;
    let thoracic = all.iter().filter(|e| e.region.as_str() == "thoracic").count();
    assert_eq!(html.matches(r#"class="library-item""#).count(), thoracic, "{html}");
    assert!(html.contains(&format!("{thoracic} of {} exercises match", all.len())), "{html}");
    assert!(html.contains(r#"value="thoracic" selected"#), "{html}");

    let (status, html) = get(app, &c, "/library/open-book").await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "<h1>Open book</h1>",
        "Starting position",
        "Common mistakes",
        "When to stop",
        "twisting",
        r#"href="/library/thoracic-rotation""#,
        "Physio contributors, AGPL-3.0-or-later",
        "The camera does not follow this exercise.",
        "5 times on each side, once a day, every day",
    ] {
        assert!(html.contains(text), "{text:?} in {html}");
    }
    let (_, html) = get(app, &c, "/library/shoulder-abduction").await;
    assert!(html.contains("Camera view") && html.contains("Range asked for"), "{html}");
    assert!(html.contains("Counting validated on real recordings: "), "{html}");
    // One person's take of thoracic rotation is real but not enough, and the page says why.
    let (_, html) = get(app, &c, "/library/thoracic-rotation").await;
    for text in ["Counting not yet validated.", "KERAAL", "recordings of at least 3 people"] {
        assert!(html.contains(text), "{text:?} in {html}");
    }
    let (status, _) = get(app, &c, "/library/no-such-exercise").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The admin reads it too; a patient does not.
    let (admin, _) = app.login(&email_of("admin")).await;
    assert_eq!(get(app, &admin, "/library").await.0, StatusCode::OK);
    let (patient, _) = app.login(&email_of("p1")).await;
    assert_eq!(get(app, &patient, "/library").await.0, StatusCode::FORBIDDEN);
}

async fn a_clinician_prescribes_through_the_pages(app: &TestApp) {
    let p = &app.people;
    fusion_patient(app).await;
    let (c, csrf) = app.login(&email_of("c1")).await;
    let record = format!("/patients/{}", p.p1);
    let editor = format!("/patients/{}/programme/edit", p.p1);

    // No programme yet: the template for the patient's pathway and phase comes first.
    let (status, html) = get(app, &c, &record).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("No programme yet."), "{html}");
    let fields = form_fields(&html, r#"class="template-form""#);
    assert_eq!(value_of(&fields, "template"), "post-op-fusion-early", "{fields:?}");
    assert_eq!(value_of(&fields, "based_on"), "0");
    assert_eq!(value_of(&fields, "start"), "2026-11-25");
    let from_template = format!("/patients/{}/programme/from-template", p.p1);
    let (status, location, _) = post(app, &c, &csrf, &from_template, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("/patients/{}#programme", p.p1));
    assert_eq!(version(app).await, 1);
    let (_, html) = get(app, &c, &record).await;
    for text in ["Started from the template", "Edit programme", "Version history"] {
        assert!(html.contains(text), "{text:?} in {html}");
    }

    // Adding the open book (twisting) in the early phase after a fusion is refused: the
    // precaution is named at the added row's override field, and what was typed stays.
    let (status, html) = get(app, &c, &editor).await;
    assert_eq!(status, StatusCode::OK);
    let mut fields = form_fields(&html, r#"class="rx-editor""#);
    set(&mut fields, "add.exercise", "open-book");
    set(&mut fields, "add.reps", "4");
    set(&mut fields, "reason", "More rotation for the middle back");
    let (status, _, html) = post(app, &c, &csrf, &editor, &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("There is a problem"), "{html}");
    assert!(html.contains(r##"href="#add-override""##), "{html}");
    assert!(html.contains(r#"id="add-override-error""#), "{html}");
    assert!(html.contains("Open book cannot be prescribed now"), "{html}");
    assert!(html.contains("twisting"), "the precaution says what it rules out: {html}");
    assert!(html.contains(r#"value="open-book" selected"#), "{html}");
    assert!(
        html.contains(r#"name="add.reps" type="text" inputmode="numeric" value="4""#),
        "{html}"
    );
    assert!(html.contains("More rotation for the middle back"), "{html}");
    assert_eq!(version(app).await, 1, "nothing saved");

    // With a reason it is prescribed, and the patient's page shows the override.
    let mut fields = form_fields(&html, r#"class="rx-editor""#);
    set(&mut fields, "add.override", "Surgeon agreed gentle rotation; supervised first");
    let (status, location, html) = post(app, &c, &csrf, &editor, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    assert_eq!(location, format!("/patients/{}#programme", p.p1));
    assert_eq!(version(app).await, 2);
    let (_, html) = get(app, &c, &record).await;
    assert!(
        html.contains("Precaution overridden: </strong>Surgeon agreed gentle rotation"),
        "{html}"
    );
    assert!(html.contains("This programme has 7 exercises"), "the warning: {html}");

    // A dose change is listed in the history with the exercise's name.
    let (_, html) = get(app, &c, &editor).await;
    let mut fields = form_fields(&html, r#"class="rx-editor""#);
    let (row, reps) = (0..20)
        .find_map(|k| {
            let reps = value_of(&fields, &format!("items[{k}].reps"));
            (!reps.is_empty()).then(|| (k, reps.parse::<u16>().unwrap()))
        })
        .unwrap();
    let exercise = value_of(&fields, &format!("items[{row}].exercise")).to_owned();
    set(&mut fields, &format!("items[{row}].reps"), &(reps + 1).to_string());
    set(&mut fields, "reason", "Ready for one more");
    let (status, _, html) = post(app, &c, &csrf, &editor, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let (status, html) = get(app, &c, &format!("/patients/{}/programme/history", p.p1)).await;
    assert_eq!(status, StatusCode::OK);
    let name = &physio_clinic::exercise::library::find(&exercise).unwrap().name;
    assert!(html.contains("Version 3") && html.contains("Ready for one more"), "{html}");
    assert!(html.contains(&format!("{name}: ")) && html.contains(" → "), "{html}");
    assert!(html.contains("Added Open book"), "{html}");
    assert!(html.contains("Precaution overridden: Surgeon agreed gentle rotation"), "{html}");

    // Sets that are not a number: caught at the field, nothing saved.
    let (_, html) = get(app, &c, &editor).await;
    let mut fields = form_fields(&html, r#"class="rx-editor""#);
    set(&mut fields, "items[0].sets", "three");
    set(&mut fields, "reason", "Typo");
    let (status, _, html) = post(app, &c, &csrf, &editor, &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(
        html.contains(r##"href="#item-0-sets""##) && html.contains(r#"id="item-0-sets-error""#)
    );
    assert!(html.contains("Enter the number of sets as a whole number"), "{html}");
    assert!(html.contains(r#"value="three""#), "{html}");
    assert_eq!(version(app).await, 3, "nothing saved");

    // Saved as a template for the clinic (a name is needed)...
    let save_template = format!("/patients/{}/programme/template", p.p1);
    let (status, _, html) =
        post(app, &c, &csrf, &save_template, &pairs(&[("name", " "), ("description", "")])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains(r##"href="#template-name""##), "{html}");
    let typed = [("name", "Fusion early with the open book"), ("description", "Supervised")];
    let (status, location, _) = post(app, &c, &csrf, &save_template, &pairs(&typed)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("/patients/{}#programme", p.p1));
    let (_, html) = get(app, &c, &record).await;
    assert!(html.contains(
        "Fusion early with the open book – post op fusion pathway, early phase (your clinic"
    ));

    // ...which the patient's precautions then refuse to start as it is (no override travels
    // with a template): a page naming why, with the way to the editor.
    let option = html.find(">Fusion early with the open book – ").unwrap();
    let id = html[..option].rsplit("value=\"").next().unwrap().split('"').next().unwrap();
    let typed = [("template", id), ("start", ""), ("based_on", "3")];
    let (status, _, html) = post(app, &c, &csrf, &from_template, &pairs(&typed)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("Open book cannot be prescribed now"), "{html}");
    assert!(html.contains(&format!(r#"href="{editor}""#)), "{html}");
    assert!(html.contains(&format!(r#"value="{id}" selected"#)), "{html}");
    assert_eq!(version(app).await, 3, "nothing saved");

    // Someone else's change in between: the editor says so instead of overwriting it.
    let mut fields = form_fields(&get(app, &c, &editor).await.1, r#"class="rx-editor""#);
    set(&mut fields, "based_on", "2");
    set(&mut fields, "items[0].sets", "2");
    set(&mut fields, "reason", "Stale");
    let (status, _, html) = post(app, &c, &csrf, &editor, &fields).await;
    assert_eq!(status, StatusCode::CONFLICT, "{html}");
    assert!(html.contains("Someone else changed the programme"), "{html}");
    assert_eq!(version(app).await, 3, "nothing saved");
}
