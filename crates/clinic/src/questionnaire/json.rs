//! The JSON edge for `physio score <instrument> [FILE|-]`: `{"answers": [...]}` in, the score
//! as a JSON object out.

use serde::Deserialize;

use super::{
    instrument::InstrumentId,
    scoring::{AnswerProblem, Form, ScoreError, score},
};

/// Scores `input`, a JSON object `{"answers": [...]}` holding one number or `null` per item
/// (PSFS: one number per activity), for the instrument named `instrument_id`.
///
/// The output has `instrument`, `score`, `band` (instruments with bands), `subscores`
/// (instruments with sub-scores) and `alerts` (always present, possibly empty). An unknown
/// instrument id is an error listing the valid ones.
pub fn score_json(instrument_id: &str, input: &str) -> Result<serde_json::Value, ScoreError> {
    let instrument: InstrumentId = instrument_id.parse()?;
    let answers = parse_answers(instrument, input)?;
    let result = score(instrument, &answers)?;
    serde_json::to_value(result).map_err(|e| ScoreError::Output { message: e.to_string() })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    answers: Vec<serde_json::Value>,
}

/// Turns the JSON answers into numbers, naming the item of any that is not a number or null.
fn parse_answers(instrument: InstrumentId, input: &str) -> Result<Vec<Option<f64>>, ScoreError> {
    let input: Input =
        serde_json::from_str(input).map_err(|e| ScoreError::Input { message: e.to_string() })?;
    let form = Form::new(instrument);
    // Count first, so a short list is reported as such rather than as a bad value.
    form.check_count(input.answers.len())?;
    input
        .answers
        .iter()
        .enumerate()
        .map(|(index, value)| {
            let found = match value {
                serde_json::Value::Null => return Ok(None),
                // Every JSON number has an f64 reading (large integers lose precision, and
                // are out of range for every item anyway).
                serde_json::Value::Number(n) => match n.as_f64() {
                    Some(v) => return Ok(Some(v)),
                    None => "a number that does not fit in 64 bits",
                },
                serde_json::Value::Bool(_) => "true or false",
                serde_json::Value::String(_) => "a string",
                serde_json::Value::Array(_) => "a list",
                serde_json::Value::Object(_) => "an object",
            };
            Err(form.invalid(index, AnswerProblem::NotANumber { found }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn run(instrument: &str, input: serde_json::Value) -> Result<serde_json::Value, String> {
        score_json(instrument, &input.to_string()).map_err(|e| e.to_string())
    }

    #[test]
    fn odi_output_shape() {
        let out = run("odi", json!({"answers": [2, 1, 2, 2, 1, 2, 2, null, 2, 2]})).unwrap();
        assert_eq!(
            out,
            json!({
                "instrument": "odi",
                "score": 1600.0 / 45.0,
                "band": "moderate",
                "subscores": {"answered_sections": 9, "points": 16, "possible_points": 45},
                "alerts": []
            })
        );
    }

    #[test]
    fn whole_scores_are_integers_and_instruments_without_bands_omit_band() {
        let out = run("satisfaction", json!({"answers": [8]})).unwrap();
        assert_eq!(out, json!({"instrument": "satisfaction", "score": 8, "alerts": []}));
    }

    #[test]
    fn phq9_alert_in_json() {
        let out = run("phq9", json!({"answers": [0, 0, 0, 0, 0, 0, 0, 0, 2]})).unwrap();
        assert_eq!(out["score"], json!(2));
        assert_eq!(out["band"], json!("minimal"));
        assert_eq!(out["alerts"][0]["code"], json!("phq9_item9"));
        assert!(out["alerts"][0]["message"].as_str().unwrap().contains("On more days than not"));
    }

    #[test]
    fn wpai_not_employed_has_null_work_scores() {
        let out = run("wpai", json!({"answers": [0, null, null, null, null, 4]})).unwrap();
        assert_eq!(
            out["subscores"],
            json!({
                "employed": false,
                "absenteeism": null,
                "presenteeism": null,
                "overall_work_impairment": null,
                "activity_impairment": 40
            })
        );
    }

    #[test]
    fn unknown_instrument_lists_valid_ids() {
        assert_eq!(
            run("sf36", json!({"answers": [1]})).unwrap_err(),
            "unknown instrument \"sf36\"; valid instruments are: nprs, odi, ndi, psfs, phq9, \
             gad7, wpai, pgic, startback, satisfaction"
        );
    }

    #[test]
    fn malformed_input_is_an_input_error() {
        let err = score_json("nprs", "[3]").unwrap_err();
        assert!(matches!(err, ScoreError::Input { .. }), "{err}");
        let err = score_json("nprs", "{\"answers\": [3], \"extra\": 1}").unwrap_err();
        assert!(err.to_string().contains("unknown field `extra`"), "{err}");
        let err = score_json("nprs", "").unwrap_err();
        assert!(matches!(err, ScoreError::Input { .. }), "{err}");
        let err = score_json("nprs", "{\"answers\": [1e999]}").unwrap_err();
        assert!(matches!(err, ScoreError::Input { .. }), "{err}");
    }

    #[test]
    fn non_numbers_are_named_by_item() {
        assert_eq!(
            run("gad7", json!({"answers": [0, 1, "2", 0, 0, 0, 0]})).unwrap_err(),
            "gad7 answer 3 (item `excessive_worry`): expected a number or null, found a string; \
             allowed: one of 0 (Never), 1 (On a few days), 2 (On more days than not), 3 (Almost \
             every day)"
        );
        assert_eq!(
            run("psfs", json!({"answers": [4, true, 6]})).unwrap_err(),
            "psfs answer 2 (item `activity_2`): expected a number or null, found true or false; \
             allowed: a whole number from 0 to 10"
        );
    }

    #[test]
    fn wrong_count_in_json() {
        assert_eq!(
            run("nprs", json!({"answers": []})).unwrap_err(),
            "nprs expects 1 answer, got 0: answer 1 (item `pain`) is missing; send null for an \
             unanswered item"
        );
    }

    /// JSON equality, except that numbers need only agree to 1e-9: serde_json's default float
    /// parser may read the last digit of a printed f64 differently.
    fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
        use serde_json::Value::{Array, Number, Object};
        match (a, b) {
            (Number(x), Number(y)) => match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) => (x - y).abs() < 1e-9,
                _ => false,
            },
            (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
            (Object(x), Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
            }
            _ => a == b,
        }
    }

    /// The examples in docs/questionnaires.md are run here, so the documentation cannot drift
    /// from the code. Each example is a `<!-- example: <id> -->` marker followed by an input
    /// and an output JSON block.
    #[test]
    fn documented_examples_hold() {
        let doc = include_str!("../../../../docs/questionnaires.md");
        let mut seen = Vec::new();
        for chunk in doc.split("<!-- example: ").skip(1) {
            let (id, rest) = chunk.split_once(" -->").unwrap();
            let blocks: Vec<&str> = rest
                .split("```json\n")
                .skip(1)
                .take(2)
                .map(|b| b.split_once("```").unwrap().0)
                .collect();
            let [input, output] = blocks[..] else { panic!("example {id}: need two json blocks") };
            let expected: serde_json::Value = serde_json::from_str(output).unwrap();
            let actual = score_json(id, input).unwrap_or_else(|e| panic!("example {id}: {e}"));
            assert!(same(&actual, &expected), "example {id}:\n{actual}\n!=\n{expected}");
            seen.push(id.to_owned());
        }
        for id in InstrumentId::ALL {
            assert!(seen.iter().any(|s| s == id.as_str()), "no documented example for {id}");
        }
    }
}
