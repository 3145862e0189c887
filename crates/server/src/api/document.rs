//! The answers every operation can give besides its own, added to the OpenAPI document once so
//! that it describes every status the server really sends.

use utoipa::openapi::{
    ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder, path::Operation, response::Response,
};

/// Adds the common error answers to every operation that lacks them:
/// - 400: the request could not be read (malformed JSON, a path or query parameter of the
///   wrong form);
/// - 422: a value the server refuses (every text is checked for NUL before any handler runs);
/// - 413 and 415: a body too large, or not JSON (operations that take a body);
/// - 401: not signed in, or the token is not valid (operations that need a caller);
/// - 403: refused, including a state change without its CSRF token or from another site.
pub fn add_common_responses(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let changes_state = [&mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
        for op in changes_state.into_iter().flatten() {
            add(
                op,
                "403",
                "Refused: not allowed, or a state change without its CSRF token or from another site",
            );
        }
        let all = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
        for op in all.into_iter().flatten() {
            add(
                op,
                "400",
                "The request could not be read: a malformed body, or a path or query parameter of the wrong form",
            );
            add(
                op,
                "422",
                "A value is not valid, for example text holding a NUL character; the error names the field",
            );
            if op.request_body.is_some() {
                add(op, "413", "The body is larger than the server accepts");
                add(op, "415", "The body is not JSON (`Content-Type: application/json`)");
            }
            if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                add(op, "401", "Not signed in, or the session or token is no longer valid");
                add(op, "403", "Refused: this caller may not do this");
            }
        }
    }
}

fn add(op: &mut Operation, status: &str, description: &str) {
    op.responses.responses.entry(status.to_owned()).or_insert_with(|| error(description));
}

fn error(description: &str) -> RefOr<Response> {
    let body = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
    RefOr::T(
        ResponseBuilder::new().description(description).content("application/json", body).build(),
    )
}
