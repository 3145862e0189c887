//! The clinic admin page: accounts, adding users, deactivating them, care teams.

use super::Form;
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use maud::{Markup, html};
use physio_store::Role;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    care::{self, users::NewAccount},
    error::{ApiError, ApiPath},
    pages::{
        PageResult, PageUser,
        layout::{FieldError, csrf_field, error_summary, field_error, page, sentence},
        staff_forms::{back_to_patient, failed, field_errors},
    },
    state::AppState,
};

#[derive(Debug, Default, Deserialize)]
pub(crate) struct AddUserForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    licence_number: String,
    #[serde(default)]
    licence_jurisdiction: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    summary: String,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    PageUser(p): PageUser,
) -> PageResult {
    let typed = Typed {
        base: Some(crate::auth::oidc::public_base(&state, &headers)),
        ..Default::default()
    };
    render(&state, PageUser(p), typed, vec![], None).await
}

/// What an admin typed into the page's forms, kept when one of them fails.
#[derive(Debug, Default)]
struct Typed {
    add: AddUserForm,
    weeks: Option<String>,
    time_zone: Option<String>,
    contact: Option<String>,
    /// The single sign-on form as typed (`pages::sso::admin_section`).
    sso: Option<super::sso::SsoForm>,
    /// The server's address as this request reached it, for the redirect URI shown.
    base: Option<String>,
}

/// Active patients nobody looks after: no care team, or only deactivated clinicians on it.
fn without_care_team<'a>(
    patients: &'a [physio_store::User],
    teams: &[physio_store::CareTeamMember],
    users: &[physio_store::User],
) -> Vec<(&'a physio_store::User, bool)> {
    let active = |id: Uuid| users.iter().any(|u| u.id == id && u.active);
    patients
        .iter()
        .filter(|pt| pt.active)
        .filter_map(|pt| {
            let team: Vec<_> = teams.iter().filter(|m| m.patient_id == pt.id).collect();
            let looked_after = team.iter().any(|m| active(m.clinician_id));
            (!looked_after).then_some((pt, !team.is_empty()))
        })
        .collect()
}

async fn render(
    state: &AppState,
    PageUser(p): PageUser,
    typed: Typed,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> PageResult {
    PageUser(p.clone()).require(state, Role::Admin, "admin").await?;
    let store = state.store();
    let clinic = store.clinic(p.user.clinic_id).await?;
    let users = care::users::list(state, &p, None).await?;
    let query = care::records::ListQuery { include_inactive: true, ..Default::default() };
    let (patients, teams) = care::records::list(state, &p, &query).await?;
    let weeks = match typed.weeks {
        Some(w) => w,
        None => {
            let stored = store.reassessment_weeks(p.user.clinic_id).await?;
            stored.iter().filter(|w| **w > 0).map(u32::to_string).collect::<Vec<_>>().join(", ")
        }
    };
    let own_zone = store.clinic_time_zone(p.user.clinic_id).await?;
    let contact = match typed.contact {
        Some(c) => c,
        None => store.clinic_contact(p.user.clinic_id).await?.unwrap_or_default(),
    };
    let zone = care::clinic::zone(state, p.user.clinic_id).await?;
    let staff_two_step = care::two_step::staff_rule(state, &p).await?;
    let chosen_zone = typed.time_zone.unwrap_or_else(|| own_zone.clone().unwrap_or_default());
    let default_zone = state.config().time_zone.name().to_owned();
    let staff: Vec<_> = users.iter().filter(|u| u.role != Role::Patient).collect();
    let orphans = without_care_team(&patients, &teams, &users);
    let sso_stored = store.sso_config(p.user.clinic_id).await?;
    let base = typed
        .base
        .unwrap_or_else(|| crate::auth::oidc::public_base(state, &axum::http::HeaderMap::new()));
    let sso = super::sso::admin_section(&p, &base, sso_stored.as_ref(), typed.sso, &errors);
    let form = typed.add;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let body = html! {
        (error_summary(&errors))
        h1 { "Clinic admin" }
        p.lead { (clinic.name) ": " (staff.len()) " staff, " (patients.len()) " patients." }
        @if let Some(n) = notice { div.notice role="status" { (n) } }
        @if !orphans.is_empty() {
            section.flag #no-care-team aria-labelledby="no-team-title" {
                h2 #no-team-title {
                    (orphans.len()) @if orphans.len() == 1 { " patient has" } @else { " patients have" }
                    " no care team"
                }
                p { "Nobody looks after them until you choose at least one clinician. Open each patient to set their care team." }
                ul {
                    @for (pt, has_inactive) in &orphans {
                        li {
                            a href={ "/patients/" (pt.id) } { (pt.name) }
                            @if *has_inactive { span.hint { ": only deactivated clinicians" } }
                        }
                    }
                }
            }
        }
        nav aria-label="On this page" {
            ul.inline-list {
                li { a href="#add-title" { "Add a user" } }
                li { a href="#staff-title" { "Staff" } }
                li { a href="#patients-title" { "Patients" } }
                li { a href="#schedule-title" { "Reassessment schedule" } }
                li { a href="#zone-title" { "Time zone" } }
                li { a href="#sso-title" { "Sign-in with your organisation" } }
            }
        }
        section aria-labelledby="staff-title" {
            h2 #staff-title { "Staff" }
            div.table-scroll {
                table #staff {
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Role" } th scope="col" { "E-mail" } th scope="col" { "Licence" } th scope="col" { "Status" } } }
                    tbody { @for u in &staff { tr { td { (u.name) } td { (u.role) } td { (u.email) }
                        td { @if let Some(l) = &u.licence { (l.number) " (" (l.jurisdiction) ")" } }
                        td { (active_toggle(&p, u, u.id == p.user.id)) } } } }
                }
            }
        }
        section aria-labelledby="patients-title" {
            h2 #patients-title { "Patients" }
            div.table-scroll {
                table #patients {
                    thead { tr { th scope="col" { "Name" } th scope="col" { "E-mail" } th scope="col" { "Care team" } th scope="col" { "Status" } } }
                    tbody { @for u in &patients { tr data-patient-id=(u.id) {
                        td { a href={ "/patients/" (u.id) } { (u.name) } }
                        td { (u.email) }
                        td {
                            @if orphans.iter().any(|(o, _)| o.id == u.id) { strong.tag.tag-urgent { "No care team" } " " }
                            (teams.iter().filter(|m| m.patient_id == u.id).map(|m| m.clinician_name.as_str()).collect::<Vec<_>>().join(", "))
                        }
                        td { (active_toggle(&p, u, false)) } } } }
                }
            }
        }
        section aria-labelledby="add-title" { (add_form(&p, &form, &errors)) }
        section aria-labelledby="schedule-title" {
            h2 #schedule-title { "Reassessment schedule" }
            p { "Patients fill in their outcome questionnaires at the start (week 0) and again at these weeks." }
            form method="post" action="/admin/schedule" novalidate {
                (csrf_field(&p))
                div.field {
                    label for="weeks" { "Follow-up weeks" }
                    p.hint { "Whole numbers separated by commas, for example 4, 8, 12." }
                    (field_error(&errors, "weeks"))
                    input #weeks name="weeks" type="text" style="max-width:16rem" value=(weeks)
                        aria-invalid=(errors.iter().any(|e| e.field == "weeks"));
                }
                button.button type="submit" { "Save schedule" }
            }
        }
        section aria-labelledby="two-step-title" {
            h2 #two-step-title { "Two-step sign-in for staff" }
            p { "When this is on, clinicians and admins confirm it is them with a code from an app on their phone or a passkey each time they sign in; anyone without one sets it up at their next sign-in. Patients choose for themselves." }
            form method="post" action="/admin/two-step" novalidate {
                (csrf_field(&p))
                fieldset #staff_two_step {
                    legend { "Staff must use two-step sign-in" }
                    (field_error(&errors, "staff_two_step"))
                    div.radio { input #two-step-on type="radio" name="required" value="on" checked[staff_two_step]; label for="two-step-on" { "On (recommended)" } }
                    div.radio { input #two-step-off type="radio" name="required" value="off" checked[!staff_two_step]; label for="two-step-off" { "Off" } }
                }
                button.button type="submit" { "Save two-step sign-in" }
            }
        }
        section aria-labelledby="zone-title" {
            h2 #zone-title { "Time zone" }
            p { "Every page shows times in " strong { (zone.name().replace('_', " ")) }
                @if own_zone.is_none() { " (the server's default)" }
                ". It is now " (zone.date_time(state.now())) " there." }
            form method="post" action="/admin/time-zone" novalidate {
                (csrf_field(&p))
                div.field {
                    label for="time_zone" { "Clinic time zone" }
                    p.hint { "The city whose clocks the clinic follows." }
                    (field_error(&errors, "time_zone"))
                    select #time_zone name="time_zone" aria-invalid=(errors.iter().any(|e| e.field == "time_zone")) {
                        option value="" selected[chosen_zone.is_empty()] { "The server's default (" (default_zone.replace('_', " ")) ")" }
                        @for name in crate::zone::choices() {
                            option value=(name) selected[name == chosen_zone] { (name.replace('_', " ")) }
                        }
                    }
                }
                button.button type="submit" { "Save time zone" }
            }
        }
        section aria-labelledby="contact-title" {
            h2 #contact-title { "How patients reach you" }
            form method="post" action="/admin/contact" novalidate {
                (csrf_field(&p))
                div.field {
                    label for="contact" { "Clinic contact details" }
                    p.hint #contact-hint { "A phone number, address or e-mail. It is printed on every patient's programme." }
                    (field_error(&errors, "contact"))
                    textarea #contact name="contact" rows="3" aria-describedby="contact-hint" aria-invalid=(errors.iter().any(|e| e.field == "contact")) { (contact) }
                }
                button.button type="submit" { "Save contact details" }
            }
        }
        (sso)
    };
    Ok((status, page("Clinic admin", Some(&p), body)).into_response())
}

/// What the admin is told about a link just made for someone to choose their password.
fn link_notice(link: Option<&crate::auth::links::IssuedLink>) -> String {
    match link {
        Some(l) if l.emailed => {
            "They will get an e-mail with a link to choose their password.".to_owned()
        }
        Some(l) => format!(
            "This server cannot send e-mail: give them this link to choose their password. It \
             works once, for 7 days: {}",
            l.url
        ),
        None => String::new(),
    }
}

/// Sends an account a new link to choose its password (a new invitation, or a reset for
/// someone who cannot use "Forgot your password?").
pub(crate) async fn send_link(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(user_id): ApiPath<Uuid>,
) -> PageResult {
    let link = care::users::send_link(&state, &p, user_id).await?;
    let u = care::users::get(&state, &p, user_id).await?;
    let notice = format!("New link for {}. {}", u.name, link_notice(Some(&link)));
    render(&state, PageUser(p), Typed::default(), vec![], Some(notice)).await
}

/// An account's status, with the way to change it: reactivating is one click; deactivating asks
/// first, on a page of its own.
fn active_toggle(p: &crate::auth::Principal, u: &physio_store::User, is_self: bool) -> Markup {
    html! {
        @if u.active { "Active" } @else { "Deactivated" }
        @if !is_self {
            @if u.active {
                " "
                form.inline method="post" action={ "/admin/users/" (u.id) "/invitation" } {
                    (csrf_field(p))
                    button.button-secondary.button-small type="submit" {
                        "Send a password link" span.visually-hidden { " to " (u.name) }
                    }
                }
                " "
                a.button-secondary.button-small href={ "/admin/users/" (u.id) "/deactivate" } {
                    "Deactivate" span.visually-hidden { " " (u.name) }
                }
            } @else {
                form.inline method="post" action={ "/admin/users/" (u.id) "/active" } {
                    (csrf_field(p))
                    input type="hidden" name="active" value="true";
                    button.button-secondary.button-small type="submit" {
                        "Reactivate" span.visually-hidden { " " (u.name) }
                    }
                }
            }
        }
    }
}

fn add_form(p: &crate::auth::Principal, f: &AddUserForm, errors: &[FieldError]) -> Markup {
    let text = |id: &'static str, label: &str, kind: &str, value: &str, hint: Option<&str>| {
        html! {
            div.field {
                label for=(id) { (label) }
                @if let Some(h) = hint { p.hint { (h) } }
                (field_error(errors, id))
                input id=(id) name=(id) type=(kind) value=(value) aria-invalid=(errors.iter().any(|e| e.field == id));
            }
        }
    };
    html! {
        h2 #add-title { "Add a user" }
        form method="post" action="/admin/users" novalidate {
            (csrf_field(p))
            (text("name", "Full name", "text", &f.name, None))
            (text("email", "Email address", "email", &f.email, None))
            div.field {
                label for="role" { "Role" }
                (field_error(errors, "role"))
                select #role name="role" {
                    @for (v, l) in [("patient", "Patient"), ("clinician", "Clinician (physical therapist)"), ("admin", "Clinic admin")] {
                        option value=(v) selected[f.role == v] { (l) }
                    }
                }
            }
            p.hint { "They get a link to choose their own password. If this server cannot send e-mail, you will see the link here to give them." }
            fieldset {
                legend { "For clinicians" }
                (text("licence_number", "Licence number", "text", &f.licence_number, None))
                (text("licence_jurisdiction", "Licensed in", "text", &f.licence_jurisdiction, Some("The state, province or country.")))
            }
            fieldset {
                legend { "For patients" }
                (text("date_of_birth", "Date of birth", "date", &f.date_of_birth, Some("For example 1958-07-21.")))
                div.field {
                    label for="summary" { "Summary" }
                    p.hint { "A sentence or two on why they came." }
                    (field_error(errors, "summary"))
                    textarea #summary name="summary" rows="3" { (f.summary) }
                }
            }
            button.button type="submit" { "Add user" }
        }
    }
}

pub(crate) async fn add_user(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<AddUserForm>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Admin, "admin").await?;
    let field = |field: &'static str, message: &str| {
        vec![FieldError { field, message: message.to_owned() }]
    };
    let Some(role) = Role::parse(&f.role) else {
        let typed = Typed { add: f, ..Default::default() };
        return render(&state, PageUser(p), typed, field("role", "Choose a role"), None).await;
    };
    let dob = if f.date_of_birth.trim().is_empty() {
        None
    } else {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        match time::Date::parse(f.date_of_birth.trim(), &fmt) {
            Ok(d) => Some(d),
            Err(_) => {
                let e = field(
                    "date_of_birth",
                    "Enter the date of birth as year-month-day, like 1958-07-21",
                );
                return render(
                    &state,
                    PageUser(p),
                    Typed { add: f, ..Default::default() },
                    e,
                    None,
                )
                .await;
            }
        }
    };
    let opt = |s: &str| Some(s.to_owned()).filter(|s| !s.trim().is_empty());
    let req = NewAccount {
        email: f.email.clone(),
        name: f.name.clone(),
        role,
        password: care::users::InitialPassword::Invite,
        licence_number: opt(&f.licence_number),
        licence_jurisdiction: opt(&f.licence_jurisdiction),
        date_of_birth: dob,
        summary: opt(&f.summary),
    };
    match care::users::add(&state, &p, req).await {
        Ok(care::users::Added { user: u, invitation }) => {
            let notice =
                format!("Added {} ({}). {}", u.name, u.role, link_notice(invitation.as_ref()));
            render(&state, PageUser(p), Typed::default(), vec![], Some(notice)).await
        }
        Err(ApiError::Invalid { field: f_name, message }) => {
            let e = field(f_name, &sentence(&message));
            render(&state, PageUser(p), Typed { add: f, ..Default::default() }, e, None).await
        }
        Err(ApiError::Conflict(_)) => {
            let e = field("email", "An account with this e-mail address already exists");
            render(&state, PageUser(p), Typed { add: f, ..Default::default() }, e, None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ActiveForm {
    active: bool,
    /// `yes` once the admin has confirmed a deactivation.
    #[serde(default)]
    confirm: String,
}

pub(crate) async fn set_active(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(user_id): ApiPath<Uuid>,
    Form(f): Form<ActiveForm>,
) -> PageResult {
    if !f.active && f.confirm != "yes" {
        return confirm_deactivation(&state, &p, user_id).await;
    }
    care::users::set_active(&state, &p, user_id, f.active).await?;
    Ok(Redirect::to("/admin").into_response())
}

/// "Are you sure?" before an account is deactivated.
pub(crate) async fn deactivate_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(user_id): ApiPath<Uuid>,
) -> PageResult {
    confirm_deactivation(&state, &p, user_id).await
}

async fn confirm_deactivation(
    state: &AppState,
    p: &crate::auth::Principal,
    user_id: Uuid,
) -> PageResult {
    let u = care::users::get(state, p, user_id).await?;
    if u.id == p.user.id {
        return Err(ApiError::Conflict("you cannot deactivate your own account".into()).into());
    }
    if !u.active {
        return Ok(Redirect::to("/admin").into_response());
    }
    // Patients this clinician is the last active one for.
    let mut left_alone = vec![];
    if u.role == Role::Clinician {
        let users = care::users::list(state, p, None).await?;
        let teams = state.store().care_teams(p.user.clinic_id, None).await?;
        let active = |id: Uuid| id != u.id && users.iter().any(|x| x.id == id && x.active);
        for pt in users.iter().filter(|x| x.role == Role::Patient && x.active) {
            let team: Vec<_> = teams.iter().filter(|m| m.patient_id == pt.id).collect();
            if team.iter().any(|m| m.clinician_id == u.id)
                && !team.iter().any(|m| active(m.clinician_id))
            {
                left_alone.push(pt.clone());
            }
        }
    }
    let title = format!("Deactivate {}?", u.name);
    let body = html! {
        a.back-link href="/admin" { "Back to clinic admin" }
        h1 { (title) }
        dl.summary-list {
            div { dt { "Role" } dd { (u.role) } }
            div { dt { "E-mail" } dd { (u.email) } }
        }
        p { (u.name) " is signed out at once and cannot sign in again. Their API tokens stop working." }
        p { "Nothing is deleted: their records and everything they wrote are kept, and you can reactivate the account later." }
        @if !left_alone.is_empty() {
            div.callout {
                p { (left_alone.len()) @if left_alone.len() == 1 { " patient has" } @else { " patients have" }
                    " no other active clinician on their care team. Nobody looks after them until you choose another:" }
                ul { @for pt in &left_alone { li { a href={ "/patients/" (pt.id) } { (pt.name) } } } }
            }
        }
        form method="post" action={ "/admin/users/" (u.id) "/active" } {
            (csrf_field(p))
            input type="hidden" name="active" value="false";
            input type="hidden" name="confirm" value="yes";
            div.button-row {
                button.button-warning type="submit" { "Yes, deactivate " (u.name) }
                a href="/admin" { "No, go back" }
            }
        }
    };
    Ok(page(&title, Some(p), body).into_response())
}

/// The care-team form of a patient's page: `chosen` are the ticked clinicians.
pub(crate) fn care_team_form(
    p: &crate::auth::Principal,
    patient_id: Uuid,
    clinicians: &[physio_store::User],
    chosen: &[Uuid],
    errors: &[FieldError],
) -> Markup {
    html! {
        form method="post" action={ "/patients/" (patient_id) "/care-team" } novalidate {
            (csrf_field(p))
            fieldset #clinician_ids {
                legend { "Who looks after this patient" }
                p.hint { "Choose one or more clinicians." }
                (field_error(errors, "clinician_ids"))
                @for c in clinicians.iter().filter(|c| c.active) {
                    div.checkbox {
                        input type="checkbox" name="clinician_id" value=(c.id) id={ "c-" (c.id) }
                            checked[chosen.contains(&c.id)];
                        label for={ "c-" (c.id) } { (c.name) }
                    }
                }
            }
            button.button type="submit" { "Save care team" }
        }
    }
}

pub(crate) async fn set_care_team(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(patient_id): ApiPath<Uuid>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let chosen: Vec<&str> =
        fields.iter().filter(|(k, _)| k == "clinician_id").map(|(_, v)| v.as_str()).collect();
    let ids: Vec<Uuid> = chosen.iter().filter_map(|v| v.parse().ok()).collect();
    let r = if ids.len() == chosen.len() {
        care::users::set_care_team(&state, &p, patient_id, &ids).await.map(drop)
    } else {
        Err(ApiError::invalid("clinician_ids", "choose clinicians from the list"))
    };
    let Err(e) = r else { return back_to_patient(patient_id) };
    let errors = field_errors(e, |_| "clinician_ids")?;
    let clinicians = care::users::list(&state, &p, Some(Role::Clinician)).await?;
    let form = care_team_form(&p, patient_id, &clinicians, &ids, &errors);
    failed(&state, &p, patient_id, "Change the care team", &errors, html! {}, form).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct ScheduleForm {
    #[serde(default)]
    weeks: String,
}

pub(crate) async fn set_schedule(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<ScheduleForm>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Admin, "admin").await?;
    match care::clinic::set_schedule(&state, &p, &f.weeks).await {
        Ok(_) => {
            let notice = "Saved the reassessment schedule.".to_owned();
            render(&state, PageUser(p), Typed::default(), vec![], Some(notice)).await
        }
        Err(ApiError::Invalid { field, message }) => {
            let e = vec![FieldError { field, message: sentence(&message) }];
            let typed = Typed { weeks: Some(f.weeks), ..Default::default() };
            render(&state, PageUser(p), typed, e, None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ContactForm {
    #[serde(default)]
    contact: String,
}

pub(crate) async fn set_contact(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<ContactForm>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Admin, "admin").await?;
    match care::clinic::set_contact(&state, &p, &f.contact).await {
        Ok(_) => {
            let notice = "Saved the contact details: they are printed on patients' programmes.";
            render(&state, PageUser(p), Typed::default(), vec![], Some(notice.to_owned())).await
        }
        Err(ApiError::Invalid { field, message }) => {
            let e = vec![FieldError { field, message: sentence(&message) }];
            let typed = Typed { contact: Some(f.contact), ..Default::default() };
            render(&state, PageUser(p), typed, e, None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct TimeZoneForm {
    #[serde(default)]
    time_zone: String,
}

pub(crate) async fn set_time_zone(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<TimeZoneForm>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Admin, "admin").await?;
    match care::clinic::set_time_zone(&state, &p, &f.time_zone).await {
        Ok(zone) => {
            let notice = format!(
                "Saved the time zone: pages now show times in {}.",
                zone.name().replace('_', " ")
            );
            render(&state, PageUser(p), Typed::default(), vec![], Some(notice)).await
        }
        Err(ApiError::Invalid { field, message }) => {
            let e = vec![FieldError { field, message: sentence(&message) }];
            let typed = Typed { time_zone: Some(f.time_zone), ..Default::default() };
            render(&state, PageUser(p), typed, e, None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct TwoStepForm {
    #[serde(default)]
    required: String,
}

/// The clinic's rule that staff use two-step sign-in, on or off.
pub(crate) async fn set_two_step(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<TwoStepForm>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Admin, "admin").await?;
    let on = match f.required.as_str() {
        "on" => true,
        "off" => false,
        _ => {
            let e =
                vec![FieldError { field: "staff_two_step", message: "Choose on or off".into() }];
            return render(&state, PageUser(p), Typed::default(), e, None).await;
        }
    };
    match care::two_step::set_staff_rule(&state, &p, on).await {
        Ok(on) => {
            let notice = if on {
                "Saved: staff now need two-step sign-in."
            } else {
                "Saved: staff no longer need two-step sign-in."
            };
            render(&state, PageUser(p), Typed::default(), vec![], Some(notice.into())).await
        }
        Err(ApiError::Conflict(message)) => {
            let e = vec![FieldError { field: "staff_two_step", message: sentence(&message) }];
            render(&state, PageUser(p), Typed::default(), e, None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn set_sso(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    PageUser(p): PageUser,
    Form(f): Form<super::sso::SsoForm>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Admin, "admin").await?;
    let base = Some(crate::auth::oidc::public_base(&state, &headers));
    match care::sso::set(&state, &p, &f.change()).await {
        Ok(_) => {
            let notice = "Saved sign-in with your organisation: staff can now use it.".to_owned();
            render(&state, PageUser(p), Typed { base, ..Default::default() }, vec![], Some(notice))
                .await
        }
        Err(ApiError::Invalid { field, message }) => {
            let e = vec![FieldError { field, message: sentence(&message) }];
            let typed = Typed { sso: Some(f), base, ..Default::default() };
            render(&state, PageUser(p), typed, e, None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn remove_sso(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    PageUser(p): PageUser,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Admin, "admin").await?;
    care::sso::remove(&state, &p).await?;
    let base = Some(crate::auth::oidc::public_base(&state, &headers));
    let notice = "Turned off sign-in with your organisation: staff sign in with their passwords.";
    render(&state, PageUser(p), Typed { base, ..Default::default() }, vec![], Some(notice.into()))
        .await
}
