//! Progression proposals on the staff pages: the clinician's queue (every patient on their
//! care teams), each patient's proposals with the rules' reasons and the decisions of the last
//! weeks on their record, accepting several at once, editing one, rejecting with a reason, the
//! patient's progression settings; and, for the patient, what changed on Today and why.

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use maud::{Markup, html};
use physio_clinic::exercise::Dose;
use physio_clinic::progression::{Cap, Status};
use physio_store::Role;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{
        self,
        progression::{
            Action, ChangeNote, DecideRequest, PatientProgression, ProposalView, SettingsRequest,
        },
    },
    error::{ApiError, ApiPath},
    pages::{
        PageError, PageResult, PageUser,
        layout::{FieldError, csrf_field, error_summary, field_error, long_date, page, sentence},
    },
    state::AppState,
    zone::Zone,
};

/// One patient's waiting proposals as one form: tick several and accept them (one new
/// programme version), or reject them with a reason; each has its own "Change the dose" link.
fn group_form(
    p: &Principal,
    patient_id: Uuid,
    waiting: &[ProposalView],
    back: &str,
    typed: Option<&Typed>,
    errors: &[FieldError],
) -> Markup {
    let ticked = |id: Uuid| typed.is_none_or(|t| t.proposals.contains(&id));
    let form_id = format!("proposals-{patient_id}");
    html! {
        form.proposals method="post" action={ "/patients/" (patient_id) "/proposals" } id=(form_id) novalidate {
            (csrf_field(p))
            input type="hidden" name="back" value=(back);
            fieldset #proposals {
                legend.visually-hidden { "Proposals to decide" }
                (field_error(errors, "proposals"))
                @for v in waiting {
                    @let d = &v.decision;
                    @let id = format!("proposal-{}", d.id);
                    div.proposal {
                        div.checkbox {
                            input type="checkbox" name="proposal" value=(d.id) id=(id) checked[ticked(d.id)];
                            label for=(id) {
                                strong { (v.exercise_name) } ": " (v.before) " \u{2192} " (v.after.as_deref().unwrap_or(""))
                                " " span.tag.(rule_class(d.proposal)) { (d.proposal.label()) }
                            }
                        }
                        p.reason { span.rule { (d.rule.label()) ". " } (d.because) }
                        p.hint { "Proposed " (long_date(d.created_at.date())) ". "
                            a href={ "/proposals/" (d.id) "/edit" } { "Change the dose" span.visually-hidden { " of " (v.exercise_name) } } }
                    }
                }
            }
            div.field {
                label for={ "reason-" (patient_id) } { "Reason (needed to reject)" }
                (field_error(errors, "reason"))
                textarea #{ "reason-" (patient_id) } name="reason" rows="2" { (typed.map_or("", |t| t.reason.as_str())) }
            }
            div.button-row {
                button.button type="submit" name="action" value="accept" { "Accept ticked" }
                button.button-secondary type="submit" name="action" value="reject" { "Reject ticked" }
            }
        }
    }
}

fn rule_class(p: physio_clinic::progression::Proposal) -> &'static str {
    match p {
        physio_clinic::progression::Proposal::Progress => "tag-exercise",
        physio_clinic::progression::Proposal::Regress => "tag-specialist",
        physio_clinic::progression::Proposal::Hold => "tag-grey",
    }
}

/// The queue's content: proposals grouped by patient, each group its own form. Used by the
/// proposals page and the inbox.
pub(crate) fn queue_section(p: &Principal, queue: &[ProposalView], back: &str) -> Markup {
    let mut patients: Vec<(Uuid, &str)> = Vec::new();
    for v in queue {
        if !patients.iter().any(|(id, _)| *id == v.decision.patient_id) {
            patients.push((v.decision.patient_id, &v.patient_name));
        }
    }
    html! {
        @if queue.is_empty() {
            p { "No proposals are waiting." }
        }
        @for (id, name) in &patients {
            @let theirs: Vec<ProposalView> = queue.iter().filter(|v| v.decision.patient_id == *id).cloned().collect();
            // One line per patient until opened: a caseload's proposals stay readable.
            details.proposal-group #{ "group-" (id) } {
                summary {
                    strong { (name) } ": " (theirs.len()) " proposal" @if theirs.len() != 1 { "s" }
                    @if let Some(first) = theirs.iter().map(|v| v.decision.created_at).min() {
                        span.hint-inline { " (since " (long_date(first.date())) ")" }
                    }
                }
                p { a href={ "/patients/" (id) "#progression-title" } { "Open the record of " (name) } }
                (group_form(p, *id, &theirs, back, None, &[]))
            }
        }
    }
}

/// `GET /proposals`: the clinician's queue.
pub(crate) async fn queue(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Clinician, "proposal").await?;
    let queue = care::progression::queue(&state, &p).await?;
    let body = html! {
        h1 { "Proposals" }
        p.lead { "Changes the progression rules propose after each session. Each says which rule and why; nothing changes until you accept it." }
        p { a href="/progression/rules" { "How the rules decide" } }
        (queue_section(&p, &queue, "/proposals"))
    };
    Ok(page("Proposals", Some(&p), body).into_response())
}

/// `GET /progression/rules`: the rule table, in the order it is read.
pub(crate) async fn rules(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Clinician, "progression_rules").await?;
    let body = html! {
        a.back-link href="/proposals" { "Back to proposals" }
        h1 { "How the progression rules decide" }
        p.lead { "After each session, for each exercise, the first rule that holds decides. Every proposal names its rule and the numbers behind it." }
        div.table-scroll {
            table {
                thead { tr { th scope="col" { "Rule" } th scope="col" { "When" } th scope="col" { "Proposes" } th scope="col" { "Source" } } }
                tbody {
                    @for r in physio_clinic::progression::TABLE {
                        tr { th scope="row" { (r.rule.label()) } td { (r.condition) } td { (r.proposal) } td { (r.source) } }
                    }
                }
            }
        }
        p { "A step up adds 2 repetitions (up to the patient's cap, 12 by default), then a set (up to 3), then 5 seconds of hold (up to 30) or 5 minutes of walking (up to 30), then moves to the harder variant; a step down undoes the last step, never below the dose the exercise started at. An exercise a precaution rules out is never proposed." }
    };
    Ok(page("How the progression rules decide", Some(&p), body).into_response())
}

/// The "Progression" section of a patient's record (their care team).
pub(crate) async fn patient_section(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    z: &Zone,
) -> Result<Markup, PageError> {
    if p.role() != Role::Clinician {
        return Ok(html! {});
    }
    let prog = care::progression::of_patient(state, p, patient_id).await?;
    Ok(render_section(p, patient_id, &prog, z, &[], None))
}

fn render_section(
    p: &Principal,
    patient_id: Uuid,
    prog: &PatientProgression,
    z: &Zone,
    errors: &[FieldError],
    typed_settings: Option<&SettingsForm>,
) -> Markup {
    let back = format!("/patients/{patient_id}");
    let changed: Vec<&ProposalView> =
        prog.recent.iter().filter(|v| v.decision.status != Status::Noted).collect();
    let holds: Vec<&ProposalView> =
        prog.recent.iter().filter(|v| v.decision.status == Status::Noted).collect();
    html! {
        section aria-labelledby="progression-title" {
            h2 #progression-title { "Progression" }
            @if prog.waiting.is_empty() {
                p { "No proposals are waiting." }
            } @else {
                h3 { "Waiting for you" }
                (group_form(p, patient_id, &prog.waiting, &back, None, &[]))
            }
            @if !changed.is_empty() {
                h3 { "Decided in the last 30 days" }
                ul.decisions {
                    @for v in &changed {
                        li {
                            strong { (v.exercise_name) } ": " (v.before) " \u{2192} " (v.after.as_deref().unwrap_or(""))
                            " " span.tag.tag-grey { (v.decision.status.label()) }
                            @if let Some(t) = v.decision.decided_at { " " (z.date_time(t)) }
                            br;
                            span.hint { (v.decision.rule.label()) ". " (v.decision.because)
                                @if let Some(n) = &v.decision.decision_note { " Note: " (n) } }
                        }
                    }
                }
            }
            @if !holds.is_empty() {
                details {
                    summary { "Why nothing changed (" (holds.len()) ")" }
                    ul.decisions {
                        @for v in &holds {
                            li { strong { (v.exercise_name) } " (" (long_date(v.decision.inputs.latest.day)) "): " (v.decision.because) }
                        }
                    }
                }
            }
            (settings_form(p, patient_id, prog.auto_apply, &prog.cap, errors, typed_settings))
        }
    }
}

/// The patient's progression settings.
fn settings_form(
    p: &Principal,
    patient_id: Uuid,
    auto_apply: bool,
    cap: &Cap,
    errors: &[FieldError],
    typed: Option<&SettingsForm>,
) -> Markup {
    let value =
        |typed_v: Option<&String>, v: u16| typed_v.cloned().unwrap_or_else(|| v.to_string());
    let auto = typed.map_or(auto_apply, |t| t.auto_apply.is_some());
    let number = |id: &'static str, label: &str, v: String| {
        html! {
            div.field {
                label for=(id) { (label) }
                (field_error(errors, id))
                input.input-short #(id) type="number" inputmode="numeric" name=(id) value=(v) min="1";
            }
        }
    };
    html! {
        form method="post" action={ "/patients/" (patient_id) "/progression-settings" } novalidate {
            (csrf_field(p))
            h3 { "Settings" }
            div.checkbox {
                input type="checkbox" name="auto_apply" value="yes" id="auto_apply" checked[auto];
                label for="auto_apply" { "Apply proposals automatically within limits" }
            }
            p.hint { "Steps down are always applied; at most one step up per exercise a week; never past the cap below. You see each change here and the patient is told on Today." }
            fieldset {
                legend { "Most any exercise may be stepped up to" }
                (number("cap_reps", "Repetitions per set", value(typed.map(|t| &t.cap_reps), cap.reps)))
                (number("cap_sets", "Sets", value(typed.map(|t| &t.cap_sets), u16::from(cap.sets))))
                (number("cap_hold_s", "Hold, in seconds", value(typed.map(|t| &t.cap_hold_s), cap.hold_s)))
                (number("cap_minutes", "Minutes of a timed exercise", value(typed.map(|t| &t.cap_minutes), cap.minutes)))
            }
            button.button-secondary type="submit" { "Save settings" }
        }
    }
}

/// What the group form sends.
#[derive(Debug, Default)]
struct Typed {
    proposals: Vec<Uuid>,
    action: String,
    reason: String,
    back: String,
}

impl Typed {
    fn parse(pairs: Vec<(String, String)>) -> Typed {
        let mut t = Typed::default();
        for (k, v) in pairs {
            match k.as_str() {
                "proposal" => t.proposals.extend(v.parse::<Uuid>().ok()),
                "action" => t.action = v,
                "reason" => t.reason = v,
                "back" => t.back = v,
                _ => {}
            }
        }
        t
    }

    /// Only back to pages of our own: the queue or the patient's record.
    fn back(&self, patient_id: Uuid) -> String {
        let record = format!("/patients/{patient_id}");
        if self.back == "/proposals" || self.back == "/inbox" { self.back.clone() } else { record }
    }
}

/// `POST /patients/{patient_id}/proposals`: accept or reject the ticked proposals.
pub(crate) async fn decide(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(patient_id): ApiPath<Uuid>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> PageResult {
    let t = Typed::parse(pairs);
    let action = if t.action == "reject" { Action::Reject } else { Action::Accept };
    let req = DecideRequest {
        proposals: t.proposals.clone(),
        action,
        reason: Some(t.reason.clone()),
        dose: None,
    };
    match care::progression::decide(&state, &p, patient_id, req).await {
        Ok(_) => Ok(Redirect::to(&t.back(patient_id)).into_response()),
        Err(ApiError::Invalid { field, message }) => {
            let field = if field == "reason" { "reason" } else { "proposals" };
            let errors = vec![FieldError { field, message: sentence(&message) }];
            let prog = care::progression::of_patient(&state, &p, patient_id).await?;
            let (patient, _) = care::records::patient(&state, &p, patient_id).await?;
            let body = html! {
                a.back-link href=(t.back(patient_id)) { "Back" }
                (summary_for(&errors, patient_id))
                p.caption { (patient.name) }
                h1 { "Proposals" }
                (group_form(&p, patient_id, &prog.waiting, &t.back, Some(&t), &errors))
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page("Error: Proposals", Some(&p), body))
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The error summary of the group form, whose reason box carries the patient's id.
fn summary_for(errors: &[FieldError], patient_id: Uuid) -> Markup {
    html! {
        div.error-summary role="alert" tabindex="-1" aria-labelledby="error-summary-title" {
            h2 #error-summary-title { "There is a problem" }
            ul {
                @for e in errors {
                    @let target = if e.field == "reason" { format!("#reason-{patient_id}") } else { "#proposals".to_owned() };
                    li { a href=(target) { (e.message) } }
                }
            }
        }
    }
}

/// `GET /proposals/{proposal_id}/edit`: change the proposed dose before accepting it.
pub(crate) async fn edit_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(proposal_id): ApiPath<Uuid>,
) -> PageResult {
    let v = care::progression::one(&state, &p, proposal_id).await?;
    let dose = v.decision.item_after.as_ref().unwrap_or(&v.decision.item_before).dose.clone();
    let form = EditForm::of(&dose);
    edit_render(&p, &v, &form, &[], StatusCode::OK)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct EditForm {
    #[serde(default)]
    sets: String,
    #[serde(default)]
    reps: String,
    #[serde(default)]
    hold_s: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    reason: String,
}

impl EditForm {
    fn of(d: &Dose) -> EditForm {
        let s = |v: Option<u16>| v.map(|v| v.to_string()).unwrap_or_default();
        EditForm {
            sets: d.sets.to_string(),
            reps: s(d.reps),
            hold_s: s(d.hold_s),
            minutes: s(d.minutes),
            reason: String::new(),
        }
    }
}

fn edit_render(
    p: &Principal,
    v: &ProposalView,
    f: &EditForm,
    errors: &[FieldError],
    status: StatusCode,
) -> PageResult {
    let d = &v.decision;
    let dose = &d.item_after.as_ref().unwrap_or(&d.item_before).dose;
    let number = |id: &'static str, label: &str, value: &str| {
        html! {
            div.field {
                label for=(id) { (label) }
                (field_error(errors, id))
                input.input-short #(id) type="number" inputmode="numeric" name=(id) value=(value) min="1";
            }
        }
    };
    let body = html! {
        a.back-link href={ "/patients/" (d.patient_id) "#progression-title" } { "Back to " (v.patient_name) }
        (error_summary(errors))
        p.caption { (v.patient_name) }
        h1 { "Change the proposed dose: " (v.exercise_name) }
        dl.summary-list {
            div { dt { "Now" } dd { (v.before) } }
            div { dt { "Proposed" } dd { (v.after.as_deref().unwrap_or("")) } }
            div { dt { "Why" } dd { (d.rule.label()) ". " (d.because) } }
        }
        form method="post" action={ "/patients/" (d.patient_id) "/proposals/" (d.id) "/edit" } novalidate {
            (csrf_field(p))
            (number("sets", "Sets", &f.sets))
            @if dose.minutes.is_some() {
                (number("minutes", "Minutes", &f.minutes))
            } @else {
                (number("reps", if dose.hold_s.is_some() { "Holds per set" } else { "Repetitions per set" }, &f.reps))
                @if dose.hold_s.is_some() { (number("hold_s", "Hold, in seconds", &f.hold_s)) }
            }
            div.field {
                label for="reason" { "Note (optional)" }
                p.hint #reason-hint { "Shown in the programme's history with the rule." }
                textarea #reason name="reason" rows="2" aria-describedby="reason-hint" { (f.reason) }
            }
            button.button type="submit" { "Accept with this dose" }
        }
    };
    let title = format!("Change the proposed dose: {}", v.exercise_name);
    let title = if errors.is_empty() { title } else { format!("Error: {title}") };
    Ok((status, page(&title, Some(p), body)).into_response())
}

/// `POST /patients/{patient_id}/proposals/{proposal_id}/edit`.
pub(crate) async fn edit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath((patient_id, proposal_id)): ApiPath<(Uuid, Uuid)>,
    axum::Form(f): axum::Form<EditForm>,
) -> PageResult {
    let v = care::progression::one(&state, &p, proposal_id).await?;
    let mut dose = v.decision.item_after.as_ref().unwrap_or(&v.decision.item_before).dose.clone();
    let mut errors = Vec::new();
    let mut number = |field: &'static str, text: &str| -> Option<u16> {
        match text.trim().parse::<u16>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(FieldError { field, message: "Enter a whole number.".to_owned() });
                None
            }
        }
    };
    if let Some(n) = number("sets", &f.sets) {
        dose.sets = u8::try_from(n).unwrap_or(u8::MAX);
    }
    if dose.minutes.is_some() {
        dose.minutes = number("minutes", &f.minutes).or(dose.minutes);
    } else {
        dose.reps = number("reps", &f.reps).or(dose.reps);
        if dose.hold_s.is_some() {
            dose.hold_s = number("hold_s", &f.hold_s).or(dose.hold_s);
        }
    }
    if errors.is_empty() {
        let req = DecideRequest {
            proposals: vec![proposal_id],
            action: Action::Edit,
            reason: Some(f.reason.clone()),
            dose: Some(dose),
        };
        match care::progression::decide(&state, &p, patient_id, req).await {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/patients/{patient_id}#progression-title"))
                    .into_response());
            }
            Err(ApiError::Problems(list)) => {
                for pr in list {
                    let field = match pr.field.as_str() {
                        "dose.sets" => "sets",
                        "dose.minutes" => "minutes",
                        "dose.hold_s" => "hold_s",
                        _ => "reps",
                    };
                    errors.push(FieldError { field, message: sentence(&pr.message) });
                }
            }
            Err(ApiError::Invalid { field, message }) => {
                let field = if field == "reason" { "reason" } else { "sets" };
                errors.push(FieldError { field, message: sentence(&message) });
            }
            Err(e) => return Err(e.into()),
        }
    }
    edit_render(&p, &v, &f, &errors, StatusCode::UNPROCESSABLE_ENTITY)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SettingsForm {
    #[serde(default)]
    auto_apply: Option<String>,
    #[serde(default)]
    cap_reps: String,
    #[serde(default)]
    cap_sets: String,
    #[serde(default)]
    cap_hold_s: String,
    #[serde(default)]
    cap_minutes: String,
}

/// `POST /patients/{patient_id}/progression-settings`.
pub(crate) async fn settings(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(patient_id): ApiPath<Uuid>,
    axum::Form(f): axum::Form<SettingsForm>,
) -> PageResult {
    let mut errors = Vec::new();
    let mut number = |field: &'static str, text: &str| -> u16 {
        text.trim().parse::<u16>().unwrap_or_else(|_| {
            errors.push(FieldError { field, message: "Enter a whole number.".to_owned() });
            0
        })
    };
    let cap = Cap {
        reps: number("cap_reps", &f.cap_reps),
        sets: u8::try_from(number("cap_sets", &f.cap_sets)).unwrap_or(u8::MAX),
        hold_s: number("cap_hold_s", &f.cap_hold_s),
        minutes: number("cap_minutes", &f.cap_minutes),
    };
    if errors.is_empty() {
        let req = SettingsRequest { auto_apply: f.auto_apply.is_some(), cap: Some(cap) };
        match care::progression::set_settings(&state, &p, patient_id, req).await {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/patients/{patient_id}#progression-title"))
                    .into_response());
            }
            Err(ApiError::Problems(list)) => {
                for pr in list {
                    let field = match pr.field.as_str() {
                        "cap.reps" => "cap_reps",
                        "cap.sets" => "cap_sets",
                        "cap.hold_s" => "cap_hold_s",
                        _ => "cap_minutes",
                    };
                    errors.push(FieldError { field, message: sentence(&pr.message) });
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    let prog = care::progression::of_patient(&state, &p, patient_id).await?;
    let (patient, _) = care::records::patient(&state, &p, patient_id).await?;
    let body = html! {
        a.back-link href={ "/patients/" (patient_id) } { "Back to " (patient.name) }
        (error_summary(&errors))
        p.caption { (patient.name) }
        h1 { "Progression settings" }
        (settings_form(&p, patient_id, prog.auto_apply, &prog.cap, &errors, Some(&f)))
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page("Error: Progression settings", Some(&p), body))
        .into_response())
}

/// Today's card for the patient: what changed in their exercises lately, and why.
pub(crate) fn changes_card(changes: &[ChangeNote]) -> Markup {
    html! {
        @if !changes.is_empty() {
            section.changes aria-labelledby="changes-title" {
                h2 #changes-title { "Changes to your exercises" }
                ul {
                    @for c in changes {
                        li {
                            strong { (c.exercise_name) } ": now " (c.after) " (was " (c.before) ")."
                            br;
                            (c.why) " "
                            @if c.automatic { "Your physical therapist set this to change by itself and will see it." }
                            @else { "Your physical therapist made this change." }
                        }
                    }
                }
            }
        }
    }
}
