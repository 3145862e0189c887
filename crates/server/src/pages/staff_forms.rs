//! A staff form that failed comes back on a page of its own, never as a dead end: the patient's
//! name, the form as it was filled in, an error summary at the top linking to each field and the
//! same message at the field, with status 422. The form posts to the same route again; success
//! goes back to the patient's page.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use maud::{Markup, html};
use uuid::Uuid;

use crate::{
    auth::Principal,
    care,
    error::ApiError,
    pages::{
        PageError, PageResult,
        layout::{FieldError, error_summary, page, sentence},
    },
    state::AppState,
};

/// The care layer's refusal of one field as the message at that field: `id_of` maps the field
/// the care layer names (as the API does) to the id of the form control. Anything else (not
/// allowed, not found, already done) stays an error page.
pub(crate) fn field_errors(
    e: ApiError,
    id_of: impl Fn(&'static str) -> &'static str,
) -> Result<Vec<FieldError>, PageError> {
    match e {
        ApiError::Invalid { field, message } => {
            Ok(vec![FieldError { field: id_of(field), message: sentence(&message) }])
        }
        e => Err(PageError(e)),
    }
}

/// Back to the patient's page after a form that worked.
pub(crate) fn back_to_patient(patient_id: Uuid) -> PageResult {
    Ok(Redirect::to(&format!("/patients/{patient_id}")).into_response())
}

/// One form on a page of its own, with what went wrong. `intro` says what the form is about
/// (for example the decision under review); `form` holds what was typed.
pub(crate) async fn failed(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    title: &str,
    errors: &[FieldError],
    intro: Markup,
    form: Markup,
) -> PageResult {
    let (patient, _) = care::records::patient(state, p, patient_id).await?;
    let body = html! {
        a.back-link href={ "/patients/" (patient.id) } { "Back to " (patient.name) }
        (error_summary(errors))
        p.caption { (patient.name) }
        h1 { (title) }
        (intro)
        (form)
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let title = if errors.is_empty() { title.to_owned() } else { format!("Error: {title}") };
    Ok((status, page(&title, Some(p), body)).into_response())
}
