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
        PageError, PageResult, PageUser,
        layout::{FieldError, csrf_field, error_summary, field_error, page, sentence},
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
    password: String,
    #[serde(default)]
    licence_number: String,
    #[serde(default)]
    licence_jurisdiction: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    summary: String,
}

pub(crate) async fn show(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    render(&state, PageUser(p), AddUserForm::default(), vec![], None).await
}

async fn render(
    state: &AppState,
    PageUser(p): PageUser,
    form: AddUserForm,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> PageResult {
    PageUser(p.clone()).require(state, Role::Admin, "admin").await?;
    let store = state.store();
    let clinic = store.clinic(p.user.clinic_id).await?;
    let users = care::users::list(state, &p, None).await?;
    let query = care::records::ListQuery { include_inactive: true, ..Default::default() };
    let (patients, teams) = care::records::list(state, &p, &query).await?;
    let weeks = store.reassessment_weeks(p.user.clinic_id).await?;
    let staff: Vec<_> = users.iter().filter(|u| u.role != Role::Patient).collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let body = html! {
        (error_summary(&errors))
        h1 { "Clinic admin" }
        p.lead { (clinic.name) ": " (staff.len()) " staff, " (patients.len()) " patients." }
        @if let Some(n) = notice { div.notice role="status" { (n) } }
        nav aria-label="On this page" {
            ul.inline-list {
                li { a href="#add-title" { "Add a user" } }
                li { a href="#staff-title" { "Staff" } }
                li { a href="#patients-title" { "Patients" } }
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
                        td { (teams.iter().filter(|m| m.patient_id == u.id).map(|m| m.clinician_name.as_str()).collect::<Vec<_>>().join(", ")) }
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
                    input #weeks name="weeks" type="text" style="max-width:16rem"
                        value=(weeks.iter().filter(|w| **w > 0).map(u32::to_string).collect::<Vec<_>>().join(", "));
                }
                button.button type="submit" { "Save schedule" }
            }
        }
    };
    Ok((status, page("Clinic admin", Some(&p), body)).into_response())
}

fn active_toggle(p: &crate::auth::Principal, u: &physio_store::User, is_self: bool) -> Markup {
    let (id, active) = (u.id, u.active);
    html! {
        @if active { "Active" } @else { "Deactivated" }
        @if !is_self {
            form.inline method="post" action={ "/admin/users/" (id) "/active" } {
                (csrf_field(p))
                input type="hidden" name="active" value=(!active);
                button.button-secondary.button-small type="submit" {
                    @if active { "Deactivate" } @else { "Reactivate" }
                    span.visually-hidden { " " (u.name) }
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
            (text("password", "Temporary password", "password", "", Some("At least 10 characters. Give it to the person in a safe way.")))
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
        return render(&state, PageUser(p), f, field("role", "Choose a role"), None).await;
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
                return render(&state, PageUser(p), f, e, None).await;
            }
        }
    };
    let opt = |s: &str| Some(s.to_owned()).filter(|s| !s.trim().is_empty());
    let req = NewAccount {
        email: f.email.clone(),
        name: f.name.clone(),
        role,
        password: f.password.clone(),
        licence_number: opt(&f.licence_number),
        licence_jurisdiction: opt(&f.licence_jurisdiction),
        date_of_birth: dob,
        summary: opt(&f.summary),
    };
    match care::users::add(&state, &p, req).await {
        Ok(u) => {
            let notice = format!("Added {} ({}).", u.name, u.role);
            render(&state, PageUser(p), AddUserForm::default(), vec![], Some(notice)).await
        }
        Err(ApiError::Invalid { field: f_name, message }) => {
            render(&state, PageUser(p), f, field(f_name, &sentence(&message)), None).await
        }
        Err(ApiError::Conflict(_)) => {
            let e = field("email", "An account with this e-mail address already exists");
            render(&state, PageUser(p), f, e, None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ActiveForm {
    active: bool,
}

pub(crate) async fn set_active(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(user_id): ApiPath<Uuid>,
    Form(f): Form<ActiveForm>,
) -> PageResult {
    care::users::set_active(&state, &p, user_id, f.active).await?;
    Ok(Redirect::to("/admin").into_response())
}

pub(crate) async fn set_care_team(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(patient_id): ApiPath<Uuid>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let mut ids = vec![];
    for (k, v) in fields {
        if k == "clinician_id" {
            ids.push(
                v.parse::<Uuid>()
                    .map_err(|_| PageError(ApiError::BadRequest("bad clinician id".into())))?,
            );
        }
    }
    care::users::set_care_team(&state, &p, patient_id, &ids).await?;
    Ok(Redirect::to(&format!("/patients/{patient_id}")).into_response())
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
            render(&state, PageUser(p), AddUserForm::default(), vec![], Some(notice)).await
        }
        Err(ApiError::Invalid { field, message }) => {
            let e = vec![FieldError { field, message: sentence(&message) }];
            render(&state, PageUser(p), AddUserForm::default(), e, None).await
        }
        Err(e) => Err(e.into()),
    }
}
