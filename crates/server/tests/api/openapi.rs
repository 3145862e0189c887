//! The API document tells the truth: parameters sit where the server reads them, and answers
//! match the schemas it promises (schemathesis checks the rest, in `crates/cli/tests/cli/fuzz.rs`).

use reqwest::{Method, StatusCode};
use utoipa::openapi::{RefOr, path::ParameterIn};

use crate::{both_backends, helpers::TestApp};

/// A parameter declared `in: path` must be a `{name}` of its path, and every `{name}` must be
/// declared: generated clients and fuzzers send a path parameter only by substituting it.
#[test]
fn parameters_are_declared_where_they_are_read() {
    let doc = physio_server::openapi();
    let mut wrong = vec![];
    for (path, item) in &doc.paths.paths {
        let ops = [&item.get, &item.post, &item.put, &item.patch, &item.delete];
        for op in ops.into_iter().flatten() {
            let params = op.parameters.iter().flatten();
            let mut in_path = vec![];
            for p in params {
                let RefOr::T(p) = p else { continue };
                let templated = path.contains(&format!("{{{}}}", p.name));
                match p.parameter_in {
                    ParameterIn::Path if !templated => {
                        wrong.push(format!("{path}: `{}` is declared in path", p.name));
                    }
                    ParameterIn::Query if templated => {
                        wrong.push(format!("{path}: `{}` is declared in query", p.name));
                    }
                    ParameterIn::Path => in_path.push(p.name.clone()),
                    _ => {}
                }
            }
            for seg in path.split('/').filter(|s| s.starts_with('{')) {
                let name = seg.trim_matches(['{', '}']);
                if !in_path.iter().any(|n| n == name) {
                    wrong.push(format!("{path}: `{name}` is not declared"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// Every 200 answer the document describes has a schema a client can rely on: never `null`
/// where an object is promised.
#[test]
fn successful_answers_have_a_body_schema_or_none() {
    let doc = physio_server::openapi();
    for (path, item) in &doc.paths.paths {
        if let Some(op) = &item.get {
            let ok = op.responses.responses.get("200");
            let Some(RefOr::T(ok)) = ok else { continue };
            assert!(!ok.content.is_empty(), "GET {path}: a 200 without a body schema");
        }
    }
}

/// A patient without a pathway: 404 with an error body, not `null` where an object is promised.
async fn pathway_without_one_is_not_found(app: &TestApp) {
    let token = app.token_for(app.people.p1).await;
    let c = app.client();
    let path = format!("/api/v1/patients/{}/pathway", app.people.p1);
    let res = app.req(&c, Method::GET, &path).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found", "{body}");
}

both_backends!(pathway_without_one_is_not_found);
