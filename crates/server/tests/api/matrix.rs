//! Every route × every kind of caller, with the status each must get. Adding a route without a
//! row here fails `every_route_has_a_row`.

use std::collections::BTreeSet;

use reqwest::Method;

use crate::{both_backends, helpers::TestApp};

/// Callers, in column order.
const ACTORS: [&str; 8] = [
    "anonymous",
    "patient",
    "other patient",
    "care-team clinician",
    "other clinician",
    "admin",
    "other clinic's admin",
    "other clinic's clinician",
];

enum Body {
    None,
    /// A WebSocket handshake.
    Upgrade,
    Json(&'static str),
    Form(&'static str),
}

struct Row {
    method: &'static str,
    path: &'static str,
    body: Body,
    /// Expected status per caller, in `ACTORS` order.
    expect: [u16; 8],
}

const fn row(method: &'static str, path: &'static str, body: Body, expect: [u16; 8]) -> Row {
    Row { method, path, body, expect }
}

use Body::{Form, Json, None as NoBody};

/// `{patient}` is the patient (on the care-team clinician's team), `{user}` the other clinician
/// of the same clinic, `{token}` a token of the patient, `{n}` a fresh number per request.
/// `{triage}`, `{triage2}`, `{alert}` and `{alert2}` are the patient's triage decisions and
/// alerts, a fresh one for each caller so that one caller's success cannot change the next
/// caller's answer.
const MATRIX: &[Row] = &[
    //                                                                    anon  pat  oPat  care  oCli  adm  xAdm  xCli
    row(
        "POST",
        "/api/v1/auth/login",
        Json(r#"{"email":"nobody{n}@x.test","password":"wrong password"}"#),
        [422, 422, 422, 422, 422, 422, 422, 422],
    ),
    row("POST", "/api/v1/auth/logout", NoBody, [401, 204, 204, 204, 204, 204, 204, 204]),
    row("GET", "/api/v1/me", NoBody, [401, 200, 200, 200, 200, 200, 200, 200]),
    row("GET", "/api/v1/account", NoBody, [401, 200, 200, 200, 200, 200, 200, 200]),
    row(
        "POST",
        "/api/v1/account/password",
        Json(r#"{"current_password":"wrong","new_password":"kettle orbit saffron ladder"}"#),
        [401, 422, 422, 422, 422, 422, 422, 422],
    ),
    row("GET", "/api/v1/account/sessions", NoBody, [401, 200, 200, 200, 200, 200, 200, 200]),
    row(
        "POST",
        "/api/v1/account/sessions/sign-out-others",
        NoBody,
        [401, 200, 200, 200, 200, 200, 200, 200],
    ),
    // No mail server in this test: a reset cannot be sent, whoever asks.
    row(
        "POST",
        "/api/v1/auth/password-reset",
        Json(r#"{"email":"nobody{n}@x.test"}"#),
        [409, 409, 409, 409, 409, 409, 409, 409],
    ),
    row(
        "POST",
        "/api/v1/auth/set-password",
        Json(r#"{"token":"no-such-link","password":"kettle orbit saffron ladder"}"#),
        [422, 422, 422, 422, 422, 422, 422, 422],
    ),
    row(
        "POST",
        "/api/v1/users/{user}/invitation",
        NoBody,
        [401, 403, 403, 403, 403, 201, 404, 403],
    ),
    row("GET", "/api/v1/tokens", NoBody, [401, 200, 200, 200, 200, 200, 200, 200]),
    row(
        "POST",
        "/api/v1/tokens",
        Json(r#"{"name":"matrix {n}"}"#),
        // Callers here use API tokens, and no token may create tokens (a session may).
        [401, 403, 403, 403, 403, 403, 403, 403],
    ),
    // Two-step sign-in. No caller here has a pending sign-in, so its steps end at once (403).
    // The codes and passwords sent are wrong (422). Passkeys need a relying party: the tests'
    // server has no public URL and is reached at 127.0.0.1, so every passkey route says so
    // (409), after authentication where it needs one.
    row(
        "POST",
        "/api/v1/auth/second-step",
        Json(r#"{"code":"123456"}"#),
        [403, 403, 403, 403, 403, 403, 403, 403],
    ),
    row("GET", "/api/v1/account/two-step", NoBody, [401, 200, 200, 200, 200, 200, 200, 200]),
    row("POST", "/api/v1/account/two-step/app", NoBody, [401, 200, 200, 200, 200, 200, 200, 200]),
    row(
        "POST",
        "/api/v1/account/two-step/app/confirm",
        Json(r#"{"code":"abcdef"}"#),
        [401, 422, 422, 422, 422, 422, 422, 422],
    ),
    row(
        "POST",
        "/api/v1/account/two-step/app/off",
        Json(r#"{"password":"wrong password"}"#),
        [401, 422, 422, 422, 422, 422, 422, 422],
    ),
    row(
        "POST",
        "/api/v1/account/two-step/recovery-codes",
        Json(r#"{"password":"wrong password"}"#),
        [401, 422, 422, 422, 422, 422, 422, 422],
    ),
    row("GET", "/api/v1/clinic/two-step", NoBody, [401, 403, 403, 403, 403, 200, 200, 403]),
    row(
        "PUT",
        "/api/v1/clinic/two-step",
        Json(r#"{"staff_must_use_two_step":false}"#),
        [401, 403, 403, 403, 403, 200, 200, 403],
    ),
    row(
        "POST",
        "/api/v1/account/passkeys/options",
        NoBody,
        [401, 409, 409, 409, 409, 409, 409, 409],
    ),
    row(
        "POST",
        "/api/v1/account/passkeys",
        Json(r#"{"ceremony":"00000000-0000-0000-0000-000000000000","credential":{}}"#),
        [401, 409, 409, 409, 409, 409, 409, 409],
    ),
    row(
        "POST",
        "/api/v1/account/passkeys/{passkey}/remove",
        Json(r#"{"password":"wrong password"}"#),
        [401, 422, 422, 422, 422, 422, 422, 422],
    ),
    row("POST", "/api/v1/auth/passkey/options", NoBody, [409; 8]),
    row(
        "POST",
        "/api/v1/auth/passkey",
        Json(r#"{"ceremony":"00000000-0000-0000-0000-000000000000","credential":{}}"#),
        [409; 8],
    ),
    row("POST", "/api/v1/auth/second-step/passkey/options", NoBody, [409; 8]),
    row(
        "POST",
        "/api/v1/auth/second-step/passkey",
        Json(r#"{"ceremony":"00000000-0000-0000-0000-000000000000","credential":{}}"#),
        [409; 8],
    ),
    row("DELETE", "/api/v1/tokens/{token}", NoBody, [401, 403, 403, 403, 403, 403, 403, 403]),
    row("GET", "/api/v1/patients", NoBody, [401, 403, 403, 200, 200, 200, 200, 200]),
    row("GET", "/api/v1/patients/{patient}", NoBody, [401, 200, 403, 200, 403, 200, 404, 404]),
    row(
        "GET",
        "/api/v1/patients/{patient}/care-team",
        NoBody,
        [401, 200, 403, 200, 403, 200, 404, 404],
    ),
    // The patient's day: read by the patient and their care team; only the patient records
    // (an empty pain check is refused before anything is written; no session has the nil id).
    row(
        "GET",
        "/api/v1/patients/{patient}/today",
        NoBody,
        [401, 200, 403, 200, 403, 200, 404, 404],
    ),
    row(
        "GET",
        "/api/v1/patients/{patient}/day-sessions",
        NoBody,
        [401, 200, 403, 200, 403, 200, 404, 404],
    ),
    row("POST", "/api/v1/day-sessions", Json("{}"), [401, 422, 422, 403, 403, 403, 403, 403]),
    // The patient's progress: the patient and whoever may read their record.
    row(
        "GET",
        "/api/v1/patients/{patient}/progress",
        NoBody,
        [401, 200, 403, 200, 403, 200, 404, 404],
    ),
    row(
        "POST",
        "/api/v1/day-sessions/00000000-0000-0000-0000-000000000000/exercises",
        Json(r#"{"exercise":"bridge","log":{"skipped":"time"}}"#),
        [401, 404, 404, 403, 403, 403, 403, 403],
    ),
    row(
        "POST",
        "/api/v1/day-sessions/00000000-0000-0000-0000-000000000000/finish",
        Json(r#"{"pain_after":2,"fatigue":2}"#),
        [401, 404, 404, 403, 403, 403, 403, 403],
    ),
    row(
        "POST",
        "/api/v1/day-sessions/00000000-0000-0000-0000-000000000000/next-morning",
        Json(r#"{"pain":3}"#),
        [401, 404, 404, 403, 403, 403, 403, 403],
    ),
    row(
        "GET",
        "/api/v1/patients/{patient}/references",
        NoBody,
        [401, 200, 403, 200, 403, 200, 404, 404],
    ),
    row(
        "GET",
        "/api/v1/patients/{patient}/exercise-sessions",
        NoBody,
        [401, 200, 403, 200, 403, 200, 404, 404],
    ),
    row(
        "PUT",
        "/api/v1/patients/{patient}/references/{exercise}",
        Json(r#"{"rest":10,"peak":150}"#),
        [401, 403, 403, 200, 403, 403, 403, 404],
    ),
    row(
        "DELETE",
        "/api/v1/patients/{patient}/references/{exercise}",
        NoBody,
        [401, 403, 403, 204, 403, 403, 403, 404],
    ),
    row(
        "POST",
        "/patients/{patient}/references",
        Form("exercise={exercise}&clear=1"),
        [303, 403, 403, 303, 403, 403, 403, 404],
    ),
    row(
        "PUT",
        "/api/v1/patients/{patient}/care-team",
        Json(r#"{"clinician_ids":["{c1}"]}"#),
        [401, 403, 403, 403, 403, 200, 404, 403],
    ),
    row("GET", "/api/v1/users", NoBody, [401, 403, 403, 403, 403, 200, 200, 403]),
    row(
        "POST",
        "/api/v1/users",
        Json(
            r#"{"email":"new{n}@x.test","name":"New","role":"patient","password":"kettle orbit saffron ladder"}"#,
        ),
        [401, 403, 403, 403, 403, 201, 201, 403],
    ),
    row("GET", "/api/v1/users/{user}", NoBody, [401, 403, 403, 403, 403, 200, 404, 403]),
    row(
        "PATCH",
        "/api/v1/users/{user}",
        Json(r#"{"active":true}"#),
        [401, 403, 403, 403, 403, 200, 404, 403],
    ),
    row(
        "GET",
        "/api/v1/patients/{patient}/episodes",
        NoBody,
        [401, 200, 403, 200, 403, 200, 404, 404],
    ),
    row(
        "GET",
        "/api/v1/patients/{patient}/triage",
        NoBody,
        [401, 200, 403, 200, 403, 200, 404, 404],
    ),
    row(
        "POST",
        "/api/v1/triage/{triage}/review",
        Json(r#"{"final_tier":"specialist"}"#),
        [401, 403, 403, 200, 403, 403, 403, 404],
    ),
    row(
        "GET",
        "/api/v1/patients/{patient}/responses",
        NoBody,
        [401, 200, 403, 200, 403, 200, 404, 404],
    ),
    row(
        "GET",
        "/api/v1/patients/{patient}/alerts",
        NoBody,
        [401, 403, 403, 200, 403, 200, 404, 404],
    ),
    row(
        "POST",
        "/api/v1/alerts/{alert}/close",
        Json(r#"{"note":"Phoned the patient"}"#),
        [401, 403, 403, 200, 403, 403, 403, 404],
    ),
    row(
        "POST",
        "/triage/{triage2}/review",
        Form("final_tier=specialist"),
        [303, 403, 403, 303, 403, 403, 403, 404],
    ),
    row(
        "POST",
        "/alerts/{alert2}/close",
        Form("note=Phoned+the+patient"),
        [303, 403, 403, 303, 403, 403, 403, 404],
    ),
    row("POST", "/api/v1/intake", Json("{}"), [401, 422, 422, 403, 403, 403, 403, 403]),
    row(
        "POST",
        "/api/v1/questionnaires/{instrument}",
        Json(r#"{"answers":[3]}"#),
        [401, 201, 409, 403, 403, 403, 403, 403],
    ),
    // The seeded patient has no pathway yet: those allowed to look are told so (404); the
    // others are refused before the lookup.
    row(
        "GET",
        "/api/v1/patients/{patient}/pathway",
        NoBody,
        [401, 404, 403, 404, 403, 404, 404, 404],
    ),
    // Programmes: the patient and their care team read them, only the care team's clinicians
    // prescribe (the admin manages accounts, not care), and other clinics do not see the
    // patient. The PUT starts version 1; the template then makes version 2.
    row(
        "GET",
        "/api/v1/patients/{patient}/programme",
        NoBody,
        [401, 200, 403, 200, 403, 200, 404, 404],
    ),
    row(
        "PUT",
        "/api/v1/patients/{patient}/programme",
        Json(
            r#"{"based_on":0,"reason":"matrix","items":[{"exercise":"chin-tuck","start":"2026-11-25",
            "dose":{"sets":1,"reps":10,"rest_s":0,"side":"both","days":["monday"],"times_per_day":1}}]}"#,
        ),
        [401, 403, 403, 200, 403, 403, 403, 404],
    ),
    row(
        "POST",
        "/api/v1/patients/{patient}/programme/from-template",
        Json(r#"{"based_on":1,"template":"conservative-lumbar-active-care"}"#),
        [401, 403, 403, 200, 403, 403, 403, 404],
    ),
    row(
        "GET",
        "/api/v1/patients/{patient}/programme/versions",
        NoBody,
        [401, 200, 403, 200, 403, 200, 404, 404],
    ),
    // Reminders: the patient sets their own; their care team and the admin read them.
    row(
        "GET",
        "/api/v1/patients/{patient}/reminders",
        NoBody,
        [401, 200, 403, 200, 403, 200, 404, 404],
    ),
    row(
        "PUT",
        "/api/v1/patients/{patient}/reminders",
        Json(r#"{"days":["monday"],"time":"08:00","enabled":true}"#),
        [401, 200, 403, 403, 403, 403, 404, 404],
    ),
    // The library and templates are for staff, each clinic its own.
    row("GET", "/api/v1/exercises", NoBody, [401, 403, 403, 200, 200, 200, 200, 200]),
    row("GET", "/api/v1/exercises/{exercise}", NoBody, [401, 403, 403, 200, 200, 200, 200, 200]),
    // Only admins import; an empty file is refused after the role is checked.
    row(
        "POST",
        "/api/v1/exercises/import",
        Json(r#"{"format":"physio-exercise-library","version":1,"exercises":[]}"#),
        [401, 403, 403, 403, 403, 422, 422, 403],
    ),
    // Lessons: the patient and their care team see what was read; only the patient marks a
    // lesson read; staff see the catalogue; only admins add lessons, each clinic its own.
    row(
        "GET",
        "/api/v1/patients/{patient}/lessons",
        NoBody,
        [401, 200, 403, 200, 403, 200, 404, 404],
    ),
    row(
        "POST",
        "/api/v1/patients/{patient}/lessons/{lesson}/read",
        NoBody,
        [401, 200, 403, 403, 403, 403, 404, 404],
    ),
    row("GET", "/api/v1/lessons", NoBody, [401, 403, 403, 200, 200, 200, 200, 200]),
    row(
        "POST",
        "/api/v1/lessons/import",
        Json(
            r#"{"format":"physio-lessons","version":1,"lessons":[{"id":"matrix-{n}",
            "title":"Matrix","summary":"A test lesson.","body":["Read me."],"week":0}]}"#,
        ),
        [401, 403, 403, 403, 403, 200, 200, 403],
    ),
    row("GET", "/api/v1/templates", NoBody, [401, 403, 403, 200, 200, 200, 200, 200]),
    row(
        "POST",
        "/api/v1/templates",
        Json(
            r#"{"name":"Matrix {n}","pathway":"conservative_lumbar","phase":"active_care",
            "items":[{"exercise":"walk"}]}"#,
        ),
        [401, 403, 403, 200, 200, 403, 403, 200],
    ),
    // Progression: the rule table is public to anyone signed in; proposals are the care team's.
    row("GET", "/api/v1/progression/rules", NoBody, [401, 200, 200, 200, 200, 200, 200, 200]),
    row("GET", "/api/v1/proposals", NoBody, [401, 403, 403, 200, 200, 403, 403, 200]),
    row(
        "GET",
        "/api/v1/patients/{patient}/progression",
        NoBody,
        [401, 403, 403, 200, 403, 200, 404, 404],
    ),
    row(
        "POST",
        "/api/v1/patients/{patient}/proposals/decide",
        Json(r#"{"proposals":[],"action":"accept"}"#),
        [401, 403, 403, 422, 403, 403, 403, 404],
    ),
    row(
        "PUT",
        "/api/v1/patients/{patient}/progression-settings",
        Json(r#"{"auto_apply":false}"#),
        [401, 403, 403, 200, 403, 403, 403, 404],
    ),
    row("GET", "/proposals", NoBody, [303, 403, 403, 200, 200, 403, 403, 200]),
    row("GET", "/progression/rules", NoBody, [303, 403, 403, 200, 200, 403, 403, 200]),
    row(
        "GET",
        "/proposals/00000000-0000-0000-0000-000000000000/edit",
        NoBody,
        [303, 403, 403, 404, 404, 403, 403, 404],
    ),
    row(
        "POST",
        "/patients/{patient}/proposals",
        Form("action=accept"),
        [303, 403, 403, 422, 403, 403, 403, 404],
    ),
    row(
        "POST",
        "/patients/{patient}/proposals/00000000-0000-0000-0000-000000000000/edit",
        Form("sets=1&reps=10"),
        [303, 403, 403, 404, 404, 403, 403, 404],
    ),
    row(
        "POST",
        "/patients/{patient}/progression-settings",
        Form("cap_reps=12&cap_sets=3&cap_hold_s=30&cap_minutes=30"),
        [303, 403, 403, 303, 403, 403, 403, 404],
    ),
    row("GET", "/", NoBody, [303, 303, 303, 303, 303, 303, 303, 303]),
    row("GET", "/login", NoBody, [200, 303, 303, 303, 303, 303, 303, 303]),
    row(
        "POST",
        "/login",
        Form("email=nobody{n}%40x.test&password=wrong"),
        [422, 422, 422, 422, 422, 422, 422, 422],
    ),
    row("POST", "/logout", NoBody, [303, 303, 303, 303, 303, 303, 303, 303]),
    row("GET", "/forgot-password", NoBody, [200, 303, 303, 303, 303, 303, 303, 303]),
    row(
        "POST",
        "/forgot-password",
        Form("email=nobody{n}%40x.test"),
        [409, 409, 409, 409, 409, 409, 409, 409],
    ),
    row(
        "GET",
        "/set-password?token=no-such-link",
        NoBody,
        [410, 410, 410, 410, 410, 410, 410, 410],
    ),
    row(
        "POST",
        "/set-password",
        Form("token=no-such-link&password=kettle+orbit+saffron+ladder"),
        [410, 410, 410, 410, 410, 410, 410, 410],
    ),
    row("GET", "/account", NoBody, [303, 200, 200, 200, 200, 200, 200, 200]),
    row("GET", "/account/password", NoBody, [303, 200, 200, 200, 200, 200, 200, 200]),
    row(
        "POST",
        "/account/password",
        Form("current_password=wrong&new_password=kettle+orbit+saffron+ladder"),
        [303, 422, 422, 422, 422, 422, 422, 422],
    ),
    row("GET", "/account/sessions", NoBody, [303, 200, 200, 200, 200, 200, 200, 200]),
    row(
        "POST",
        "/account/sessions/sign-out-others",
        NoBody,
        [303, 303, 303, 303, 303, 303, 303, 303],
    ),
    row("POST", "/admin/users/{user}/invitation", NoBody, [303, 403, 403, 403, 403, 200, 404, 403]),
    row("GET", "/login/two-step", NoBody, [403; 8]),
    row("POST", "/login/two-step", Form("code=123456"), [403; 8]),
    row("POST", "/login/two-step/recovery", Form("recovery_code=abcde-fghij"), [403; 8]),
    row("GET", "/login/two-step/setup", NoBody, [403; 8]),
    row("POST", "/login/two-step/setup", Form("code=123456"), [403; 8]),
    row("GET", "/account/two-step", NoBody, [303, 200, 200, 200, 200, 200, 200, 200]),
    row("POST", "/account/two-step/app", NoBody, [303; 8]),
    row(
        "POST",
        "/account/two-step/app/confirm",
        Form("code=abcdef"),
        [303, 422, 422, 422, 422, 422, 422, 422],
    ),
    row(
        "POST",
        "/account/two-step/app/off",
        Form("password=wrong"),
        [303, 422, 422, 422, 422, 422, 422, 422],
    ),
    row(
        "POST",
        "/account/two-step/recovery-codes",
        Form("password=wrong"),
        [303, 422, 422, 422, 422, 422, 422, 422],
    ),
    row("GET", "/account/passkeys", NoBody, [303, 200, 200, 200, 200, 200, 200, 200]),
    row(
        "POST",
        "/account/passkeys/remove",
        Form("passkey_id={passkey}&password=wrong"),
        [303, 422, 422, 422, 422, 422, 422, 422],
    ),
    // Single sign-on: the pages anyone may open (signed-in people are sent home), a clinic with
    // none set up, a callback with no state; then the settings, which only admins see or change
    // (set, turned off, set on the page, turned off on the page: each in that order).
    row("GET", "/sso", NoBody, [200, 303, 303, 303, 303, 303, 303, 303]),
    row("GET", "/sso/start", NoBody, [422; 8]),
    row("GET", "/sso/{clinic}/start", NoBody, [404; 8]),
    row("GET", "/sso/callback", NoBody, [403; 8]),
    row("GET", "/api/v1/clinic/sso", NoBody, [401, 403, 403, 403, 403, 200, 200, 403]),
    row(
        "PUT",
        "/api/v1/clinic/sso",
        Json(
            r#"{"issuer":"https://login.example.org","client_id":"m","client_secret":"s","allowed_domains":["m{n}.example"]}"#,
        ),
        [401, 403, 403, 403, 403, 200, 200, 403],
    ),
    row("DELETE", "/api/v1/clinic/sso", NoBody, [401, 403, 403, 403, 403, 204, 204, 403]),
    row(
        "POST",
        "/admin/sso",
        Form(
            "issuer=https%3A%2F%2Flogin.example.org&client_id=m&client_secret=s&allowed_domains=f{n}.example",
        ),
        [303, 403, 403, 403, 403, 200, 200, 403],
    ),
    row("POST", "/admin/sso/remove", NoBody, [303, 403, 403, 403, 403, 200, 200, 403]),
    row("GET", "/home", NoBody, [303, 200, 200, 403, 403, 403, 403, 403]),
    row("GET", "/decision-aid", NoBody, [303, 200, 200, 403, 403, 403, 403, 403]),
    row("GET", "/intake", NoBody, [303, 303, 200, 403, 403, 403, 403, 403]),
    row("GET", "/intake/{step}", NoBody, [303, 303, 200, 403, 403, 403, 403, 403]),
    row("POST", "/intake/{step}", Form("regions=lumbar"), [303, 303, 303, 403, 403, 403, 403, 403]),
    row("POST", "/intake/submit", NoBody, [303, 303, 422, 403, 403, 403, 403, 403]),
    row("GET", "/intake/result", NoBody, [303, 200, 303, 403, 403, 403, 403, 403]),
    // No answer so far is an emergency: the patient is sent on.
    row("GET", "/intake/emergency", NoBody, [303, 303, 303, 403, 403, 403, 403, 403]),
    row("GET", "/exercise/{exercise}", NoBody, [303, 200, 200, 403, 403, 403, 403, 403]),
    // The patient's exercise is paused: the fixture's specialist decisions await review. The
    // other patient's clinician has prescribed the squat (and the abduction of the camera page
    // row above), so only the other patient opens it.
    row(
        "GET",
        "/api/v1/live?exercise=deep-squat",
        Body::Upgrade,
        [401, 403, 101, 403, 403, 403, 403, 403],
    ),
    row("GET", "/web/hello.txt", NoBody, [200; 8]),
    row("GET", "/questionnaires", NoBody, [303, 200, 200, 403, 403, 403, 403, 403]),
    row("GET", "/questionnaires/{instrument}", NoBody, [303, 200, 303, 403, 403, 403, 403, 403]),
    row(
        "POST",
        "/questionnaires/{instrument}",
        Form("timepoint=baseline&q0=3"),
        [303, 303, 303, 403, 403, 403, 403, 403],
    ),
    // The guided session: the patient's own, one step at a time. An empty pain check comes
    // back with its error where there is a session to start (the other patient); where there
    // is none (the patient, here), the page says so instead. No session has the nil id.
    row("GET", "/today/session", NoBody, [303, 200, 200, 403, 403, 403, 403, 403]),
    row("POST", "/today/session", Form("pain_before="), [303, 200, 422, 403, 403, 403, 403, 403]),
    row(
        "POST",
        "/today/session/00000000-0000-0000-0000-000000000000/exercise",
        Form("exercise=bridge&intent=skip&skip=time"),
        [303, 404, 404, 403, 403, 403, 403, 403],
    ),
    row(
        "POST",
        "/today/session/00000000-0000-0000-0000-000000000000/finish",
        Form("pain_after=2&fatigue=2"),
        [303, 404, 404, 403, 403, 403, 403, 403],
    ),
    row(
        "POST",
        "/today/next-morning/00000000-0000-0000-0000-000000000000",
        Form("pain=3"),
        [303, 404, 404, 403, 403, 403, 403, 403],
    ),
    row("GET", "/check-in", NoBody, [303, 200, 303, 403, 403, 403, 403, 403]),
    row(
        "POST",
        "/check-in",
        // Pain now, and no to each warning sign.
        Form(
            "pain_now=4&saddle_numbness=no&bladder_or_bowel_change=no&both_legs_weak_or_numb=no&\
             progressive_weakness=no&unsteady_walking_or_clumsy_hands=no&band_like_chest_pain=no&\
             numbness_below_a_level=no&fever_or_chills=no&unexplained_weight_loss=no&\
             night_pain_not_eased_by_position=no&chest_pain_or_breathlessness=no&\
             pain_not_affected_by_movement=no&marked_morning_stiffness=no&weakness_in_one_limb=no",
        ),
        [303, 303, 303, 403, 403, 403, 403, 403],
    ),
    row("GET", "/check-in/result", NoBody, [303, 200, 303, 403, 403, 403, 403, 403]),
    // The patient's own programme and its print copy (staff see it on the patient's page).
    row("GET", "/programme", NoBody, [303, 200, 200, 403, 403, 403, 403, 403]),
    row("GET", "/programme/print", NoBody, [303, 200, 200, 403, 403, 403, 403, 403]),
    row("GET", "/progress", NoBody, [303, 200, 200, 403, 403, 403, 403, 403]),
    row("GET", "/lessons", NoBody, [303, 200, 200, 403, 403, 403, 403, 403]),
    row("GET", "/lessons/{lesson}", NoBody, [303, 200, 200, 403, 403, 403, 403, 403]),
    row("GET", "/reminders", NoBody, [303, 200, 200, 403, 403, 403, 403, 403]),
    row(
        "POST",
        "/reminders",
        Form("enabled=yes&days=monday&time=08%3A00"),
        [303, 303, 303, 403, 403, 403, 403, 403],
    ),
    row("GET", "/caseload", NoBody, [303, 403, 403, 200, 200, 403, 403, 200]),
    row("GET", "/patients/{patient}", NoBody, [303, 200, 403, 200, 403, 200, 404, 404]),
    row(
        "POST",
        "/patients/{patient}/care-team",
        Form("clinician_id={c1}"),
        [303, 403, 403, 403, 403, 303, 404, 403],
    ),
    row("GET", "/admin", NoBody, [303, 403, 403, 403, 403, 200, 200, 403]),
    row(
        "POST",
        "/admin/users",
        Form("name=New&email=form{n}%40x.test&role=patient"),
        [303, 403, 403, 403, 403, 200, 200, 403],
    ),
    row("GET", "/admin/users/{user}/deactivate", NoBody, [303, 403, 403, 403, 403, 200, 404, 403]),
    row(
        "POST",
        "/admin/users/{user}/active",
        Form("active=true"),
        [303, 403, 403, 403, 403, 303, 404, 403],
    ),
    row("POST", "/admin/schedule", Form("weeks=4%2C+8"), [303, 403, 403, 403, 403, 200, 200, 403]),
    row(
        "POST",
        "/admin/time-zone",
        Form("time_zone=Europe%2FLondon"),
        [303, 403, 403, 403, 403, 200, 200, 403],
    ),
    row(
        "POST",
        "/admin/contact",
        Form("contact=0161+496+0000"),
        [303, 403, 403, 403, 403, 200, 200, 403],
    ),
    row("POST", "/admin/two-step", Form("required=off"), [303, 403, 403, 403, 403, 200, 200, 403]),
    row("GET", "/static/app.css", NoBody, [200; 8]),
    row("GET", "/healthz", NoBody, [200; 8]),
    row("GET", "/readyz", NoBody, [200; 8]),
    row("GET", "/metrics", NoBody, [404; 8]),
    row("GET", "/api/v1/openapi.json", NoBody, [200; 8]),
    row("GET", "/api/docs", NoBody, [303; 8]),
    // Last: discharging ends the episode the rows above use.
    row(
        "POST",
        "/episodes/{episode}/pathway",
        Form("pathway=conservative_lumbar"),
        [303, 403, 403, 303, 403, 403, 403, 404],
    ),
    row(
        "POST",
        "/episodes/{episode}/milestones",
        Form("milestone=wound_healed"),
        [303, 403, 403, 303, 403, 403, 403, 404],
    ),
    row(
        "POST",
        "/episodes/{episode}/phase",
        Form("phase="),
        [303, 403, 403, 303, 403, 403, 403, 404],
    ),
    // The staff's programme pages, on the pathway just set. Only the care team's clinician
    // prescribes (the admin reads but does not prescribe); `{version}` is the programme's
    // version as it stands, so each save is made on the latest.
    row("GET", "/library", NoBody, [303, 403, 403, 200, 200, 200, 200, 200]),
    row("GET", "/library/{exercise}", NoBody, [303, 403, 403, 200, 200, 200, 200, 200]),
    row(
        "GET",
        "/patients/{patient}/programme/edit",
        NoBody,
        [303, 403, 403, 200, 403, 403, 403, 404],
    ),
    row(
        "POST",
        "/patients/{patient}/programme/edit",
        Form("based_on={version}&reason=matrix+{n}&add.exercise=pelvic-tilt"),
        [303, 403, 403, 303, 403, 403, 403, 404],
    ),
    row(
        "POST",
        "/patients/{patient}/programme/from-template",
        Form("based_on={version}&template=conservative-lumbar-active-care"),
        [303, 403, 403, 303, 403, 403, 403, 404],
    ),
    row(
        "POST",
        "/patients/{patient}/programme/template",
        Form("name=Matrix+{n}&description="),
        [303, 403, 403, 303, 403, 403, 403, 404],
    ),
    row(
        "GET",
        "/patients/{patient}/programme/history",
        NoBody,
        [303, 403, 403, 200, 403, 200, 404, 404],
    ),
    row("GET", "/episodes/{episode}/discharge", NoBody, [303, 403, 403, 200, 403, 403, 403, 404]),
    row(
        "POST",
        "/episodes/{episode}/discharge",
        Form("confirm=yes&reason=goals+met"),
        [303, 403, 403, 303, 403, 403, 403, 404],
    ),
    // Messages: the patient and their care team read and write the thread; an admin never does
    // (refused before the patient is looked up, so the same in every clinic). The patient
    // writes from their page, clinicians from the patient's record.
    row(
        "GET",
        "/api/v1/patients/{patient}/messages",
        NoBody,
        [401, 200, 403, 200, 403, 403, 403, 404],
    ),
    row(
        "POST",
        "/api/v1/patients/{patient}/messages",
        Json(r#"{"body":"Matrix {n}"}"#),
        [401, 201, 403, 201, 403, 403, 403, 404],
    ),
    row("GET", "/api/v1/messages/unread", NoBody, [401, 200, 200, 200, 200, 403, 403, 200]),
    row("GET", "/account/tokens", NoBody, [303, 200, 200, 200, 200, 200, 200, 200]),
    // The callers here use API tokens, and only a signed-in session manages tokens.
    row(
        "POST",
        "/account/tokens",
        Form("name=matrix+{n}&days=90&scope=read"),
        [303, 403, 403, 403, 403, 403, 403, 403],
    ),
    row("POST", "/account/tokens/{token}/revoke", NoBody, [303, 403, 403, 403, 403, 403, 403, 403]),
    row("GET", "/messages", NoBody, [303, 200, 200, 200, 200, 403, 403, 200]),
    row("POST", "/messages", Form("body=Matrix+{n}"), [303, 303, 303, 403, 403, 403, 403, 403]),
    row(
        "POST",
        "/patients/{patient}/messages",
        Form("body=Matrix+{n}"),
        [303, 403, 403, 303, 403, 403, 403, 404],
    ),
    // The alert inbox: clinicians only (each sees their own care teams' alerts).
    row("GET", "/api/v1/alerts", NoBody, [401, 403, 403, 200, 200, 403, 403, 200]),
    row("GET", "/inbox", NoBody, [303, 403, 403, 200, 200, 403, 403, 200]),
    // The contact log: the care team and the admin read it (not the patient); only the care
    // team's clinician logs a contact; the admin or the care team's clinician sets the phone.
    row(
        "GET",
        "/api/v1/patients/{patient}/contacts",
        NoBody,
        [401, 403, 403, 200, 403, 200, 404, 404],
    ),
    row(
        "POST",
        "/api/v1/patients/{patient}/contacts",
        Json(r#"{"kind":"phone_call","duration_minutes":10,"note":"matrix {n}"}"#),
        [401, 403, 403, 201, 403, 403, 403, 404],
    ),
    row(
        "PUT",
        "/api/v1/patients/{patient}/phone",
        Json(r#"{"phone":"(416) 555-0142"}"#),
        [401, 403, 403, 200, 403, 200, 404, 404],
    ),
    row(
        "POST",
        "/patients/{patient}/contacts",
        Form("kind=message&date=2026-11-25&time=08%3A00"),
        [303, 403, 403, 303, 403, 403, 403, 404],
    ),
    row(
        "POST",
        "/patients/{patient}/phone",
        Form("phone=416+555+0142"),
        [303, 403, 403, 303, 403, 303, 404, 404],
    ),
    // The caseload: clinicians only (each sees their own care teams' patients).
    row("GET", "/api/v1/caseload", NoBody, [401, 403, 403, 200, 200, 403, 403, 200]),
    // The patient's rights: the patient and an admin see the access log and download the
    // record; only an admin erases (here with no reason, so nothing is erased: 422).
    row(
        "GET",
        "/api/v1/patients/{patient}/access-log",
        NoBody,
        [401, 200, 403, 403, 403, 200, 404, 403],
    ),
    row(
        "GET",
        "/api/v1/patients/{patient}/record",
        NoBody,
        [401, 200, 403, 403, 403, 200, 404, 403],
    ),
    row(
        "POST",
        "/api/v1/patients/{patient}/erasure",
        Json(r#"{"reason":"","confirm_name":"x"}"#),
        [401, 403, 403, 403, 403, 422, 404, 403],
    ),
    row("GET", "/api/v1/erasures", NoBody, [401, 403, 403, 403, 403, 200, 200, 403]),
    row("GET", "/my-record", NoBody, [303, 200, 200, 403, 403, 403, 403, 403]),
    row("GET", "/my-record/download", NoBody, [303, 200, 200, 403, 403, 403, 403, 403]),
    row("GET", "/patients/{patient}/erase", NoBody, [303, 403, 403, 403, 403, 200, 404, 403]),
    row(
        "POST",
        "/patients/{patient}/erase",
        Form("reason=&confirm_name=x"),
        [303, 403, 403, 403, 403, 422, 404, 403],
    ),
];

both_backends!(role_route_matrix);

#[test]
fn every_route_has_a_row() {
    let served: BTreeSet<(String, String)> = physio_server::routes().into_iter().collect();
    let normalise = |p: &str| {
        p.replace("{patient}", "{patient_id}")
            .replace("{user}", "{user_id}")
            .replace("{token}", "{token_id}")
            .replace("{triage2}", "{triage_id}")
            .replace("{triage}", "{triage_id}")
            .replace("{alert2}", "{alert_id}")
            .replace("{alert}", "{alert_id}")
            .replace("{exercise}", "{exercise_id}")
            .replace("{lesson}", "{lesson_id}")
            .replace("{passkey}", "{passkey_id}")
            .replace("{episode}", "{episode_id}")
            .replace("{clinic}", "{clinic_id}")
            .replace("/proposals/00000000-0000-0000-0000-000000000000", "/proposals/{proposal_id}")
            .replace("00000000-0000-0000-0000-000000000000", "{session_id}")
            .replace("/web/hello.txt", "/web/{*file}")
            .split('?')
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    let listed: BTreeSet<(String, String)> =
        MATRIX.iter().map(|r| (r.method.to_owned(), normalise(r.path))).collect();
    let missing: Vec<_> = served.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&served).collect();
    assert!(missing.is_empty(), "routes with no row in the authorization matrix: {missing:?}");
    assert!(stale.is_empty(), "matrix rows for routes that do not exist: {stale:?}");
}

async fn role_route_matrix(app: &TestApp) {
    let p = &app.people;
    let mut tokens = vec![None];
    let users = [p.p1, p.p2, p.c1, p.c2, p.admin, p.xa, p.xc];
    for user in users {
        tokens.push(Some(app.token_for(user).await));
    }
    let target_token = {
        let u = app.store.user(p.p1).await.unwrap();
        let secret = physio_server::auth::new_secret();
        let hash = physio_server::auth::sha256_hex(&secret);
        let mut tx = app.store.begin().await.unwrap();
        let id = tx.create_api_token(&u, "target", &hash, crate::helpers::START).await.unwrap().id;
        tx.commit().await.unwrap();
        id
    };
    let (triage, alerts, episode) = clinical_targets(app).await;
    // The camera opens only prescribed exercises.
    app.prescribe(p.p2, p.c2, &["deep-squat", "shoulder-abduction"]).await;
    let client = app.client();
    let mut n = 0;
    let mut failures = vec![];
    for r in MATRIX {
        for (i, token) in tokens.iter().enumerate() {
            n += 1;
            let version =
                app.store.programme(p.clinic_a, p.p1).await.unwrap().map_or(0, |v| v.version);
            let fill = |s: &str| {
                s.replace("{patient}", &p.p1.to_string())
                    .replace("{user}", &p.c2.to_string())
                    .replace("{token}", &target_token.to_string())
                    .replace("{triage2}", &triage[8 + i].to_string())
                    .replace("{triage}", &triage[i].to_string())
                    .replace("{alert2}", &alerts[8 + i].to_string())
                    .replace("{alert}", &alerts[i].to_string())
                    .replace("{c1}", &p.c1.to_string())
                    .replace("{step}", "region")
                    .replace("{episode}", &episode.to_string())
                    .replace("{clinic}", &p.clinic_a.to_string())
                    .replace("{instrument}", "nprs")
                    .replace("{exercise}", "shoulder-abduction")
                    .replace("{lesson}", "sleep")
                    .replace("{passkey}", "00000000-0000-0000-0000-000000000000")
                    .replace("{n}", &n.to_string())
                    .replace("{version}", &version.to_string())
            };
            let method = Method::from_bytes(r.method.as_bytes()).unwrap();
            let mut req = app.req(&client, method, &fill(r.path));
            // Signing out with a token revokes it: that row gets a token of its own.
            let token = match token {
                Some(_) if r.path.ends_with("/logout") => Some(app.token_for(users[i - 1]).await),
                other => other.clone(),
            };
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            req = match &r.body {
                NoBody => req,
                Body::Upgrade => req
                    .header("connection", "Upgrade")
                    .header("upgrade", "websocket")
                    .header("sec-websocket-version", "13")
                    .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="),
                Json(b) => req.header("content-type", "application/json").body(fill(b)),
                Form(b) => {
                    req.header("content-type", "application/x-www-form-urlencoded").body(fill(b))
                }
            };
            let status = req.send().await.unwrap().status().as_u16();
            if status != r.expect[i] {
                failures.push(format!(
                    "{} {} as {}: expected {}, got {status}",
                    r.method, r.path, ACTORS[i], r.expect[i]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "authorization matrix mismatches:\n{}", failures.join("\n"));
    // Every refusal was audited too, and the chain still holds.
    assert_eq!(app.store.verify_audit().await.unwrap().first_break, None);
}

/// 16 triage decisions awaiting review and 16 open alerts, all about the patient.
async fn clinical_targets(app: &TestApp) -> (Vec<uuid::Uuid>, Vec<uuid::Uuid>, uuid::Uuid) {
    use physio_clinic::alert::AlertKind;
    use physio_store::{NewResponse, NewTriage};
    let p = &app.people;
    let store = &app.store;
    let at = crate::helpers::START;
    let mut tx = store.begin().await.unwrap();
    let ep = tx.open_episode(p.clinic_a, p.p1, at).await.unwrap();
    let intake: serde_json::Value = serde_json::from_str(include_str!(
        "../../../../docs/examples/exercise-conservative-lumbar.json"
    ))
    .unwrap();
    let triage = |trigger: &str| NewTriage {
        clinic_id: p.clinic_a,
        episode_id: ep.id,
        trigger: trigger.into(),
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
    let mut ids = vec![tx.submit_intake(&intake, &triage("intake"), at).await.unwrap().id];
    for _ in 1..16 {
        ids.push(tx.record_triage(&triage("weekly_checkin"), at).await.unwrap().id);
    }
    let alerts: Vec<physio_clinic::alert::NewAlert> = (0..16)
        .map(|i| physio_clinic::alert::NewAlert::new(AlertKind::PainBreach, format!("alert {i}")))
        .collect();
    let response = NewResponse {
        clinic_id: p.clinic_a,
        episode_id: ep.id,
        instrument: "phq9".into(),
        timepoint: "baseline".into(),
        answers: serde_json::json!({"answers": []}),
        result: serde_json::json!({}),
        score: 3.0,
    };
    tx.add_response(&response, &alerts, &jiff::tz::TimeZone::UTC, at).await.unwrap();
    tx.commit().await.unwrap();
    let alert_ids = store
        .alerts(p.clinic_a, Some(p.p1), false)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    (ids, alert_ids, ep.id)
}
