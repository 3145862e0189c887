//! Reading an intake from JSON, naming the field at fault when its shape is wrong.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use time::Date;

use crate::intake::{
    Answer, ConservativeCare, Finding, Imaging, Intake, IntakeError, PainDuration, Region,
    RiskFactor, Surgery, Symptom, Trauma,
};

impl Intake {
    /// Parses intake JSON, naming the field at fault when the shape is wrong.
    pub fn from_json(input: &str) -> Result<Intake, IntakeError> {
        let err = match serde_json::from_str::<Intake>(input) {
            Ok(intake) => return Ok(intake),
            Err(err) => err,
        };
        let (line, column) = (err.line(), err.column());
        // Parse loosely to tell bad JSON from JSON of the wrong shape. The typed parser cannot:
        // it reports an enum object with two keys as a syntax error, for instance.
        let value = match serde_json::from_str::<Value>(input) {
            Ok(value) => value,
            Err(syntax) => {
                return Err(IntakeError::Syntax {
                    message: strip_position(&syntax),
                    line: syntax.line(),
                    column: syntax.column(),
                });
            }
        };
        // serde_json names a missing or unknown field, but not the one holding a wrong type, so
        // try each field on its own; fall back to the field the message names.
        let (field, message) = locate(&value).unwrap_or_else(|| {
            let message = strip_position(&err);
            (named_field(&message).unwrap_or("(root)").to_owned(), message)
        });
        Err(IntakeError::Shape { field, message, line, column })
    }
}

/// serde_json appends " at line L column C" to data errors; we report the position separately.
fn strip_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// Finds the first field of an intake-shaped value that fails to deserialize, and why.
///
/// Each known top-level field is tried on its own with its own type; lists are tried item by item
/// so the index can be named, and a missing or unknown field inside an object is appended to the
/// path. Returns `None` when every field passes on its own (then the document-level message,
/// such as "missing field `regions`", already names the field).
fn locate(value: &Value) -> Option<(String, String)> {
    let Value::Object(map) = value else {
        return Some(("(root)".to_owned(), "The intake must be a JSON object.".to_owned()));
    };
    for (key, v) in map {
        let found = match key.as_str() {
            "regions" => probe_list::<Region>(key, v),
            "duration" => probe::<PainDuration>(key, v),
            "pain_now" => probe::<Answer<u8>>(key, v),
            "age" => probe::<Option<u8>>(key, v),
            "date_of_birth" => probe::<Option<Date>>(key, v),
            "history" => probe_list::<RiskFactor>(key, v),
            "trauma" => probe::<Trauma>(key, v),
            "symptoms" | "symptoms_not_sure" => probe_list::<Symptom>(key, v),
            "imaging" => match v.get("findings") {
                Some(findings) if findings.is_array() => probe::<Option<Imaging>>(key, v)
                    .and_then(|_| probe_list::<Finding>("imaging.findings", findings)),
                _ => probe::<Option<Imaging>>(key, v),
            },
            "conservative_care" => probe::<ConservativeCare>(key, v),
            "surgery" => probe::<Surgery>(key, v),
            "lifting_limit_kg" => probe::<Option<f64>>(key, v),
            "goals" => probe_list::<String>(key, v),
            "baseline" => probe::<BTreeMap<String, Value>>(key, v),
            _ => Some((
                key.clone(),
                "This field is not part of the intake; see docs/intake.md.".to_owned(),
            )),
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The field serde names in a "missing field `x`" or "unknown field `x`" message.
fn named_field(message: &str) -> Option<&str> {
    ["missing field `", "unknown field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix))
        .and_then(|rest| rest.split('`').next())
}

fn probe<'de, T: Deserialize<'de>>(key: &str, value: &'de Value) -> Option<(String, String)> {
    let err = T::deserialize(value).err()?;
    let message = strip_position(&err);
    let field = match named_field(&message) {
        Some(name) => format!("{key}.{name}"),
        None => key.to_owned(),
    };
    Some((field, message))
}

fn probe_list<'de, T: Deserialize<'de>>(key: &str, value: &'de Value) -> Option<(String, String)> {
    match value {
        Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, item)| probe::<T>(&format!("{key}[{i}]"), item))
        }
        _ => probe::<Vec<T>>(key, value),
    }
}
