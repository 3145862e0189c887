//! Questionnaire definitions as data: the built-in files, and a clinic's licensed wording laid
//! over them.
//!
//! A definition says what is asked and which answers exist; it never says how to score (that is
//! code, in `scoring`). The built-in files in `crates/clinic/questionnaires/` carry only our own
//! words. A clinic that holds a licence for an instrument can supply the validated wording as a
//! file of the same shape; [`Instrument::from_clinic_definition`] accepts it only if its scoring
//! shape is identical to the built-in one, so wording can change and scores cannot.

use std::{fmt, sync::LazyLock};

use serde::{Deserialize, Serialize};

use super::{instrument::InstrumentId, patient::PatientText};

/// A questionnaire: its wording, its licence status and the answers each item allows.
///
/// Built only by [`Instrument::builtin`] or [`Instrument::from_clinic_definition`], so every
/// value has the built-in scoring shape. It serialises to the definition file format.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Instrument {
    id: InstrumentId,
    title: String,
    description: String,
    patient: PatientText,
    licence: Licence,
    #[serde(skip_serializing_if = "Option::is_none")]
    repeat: Option<Repeat>,
    items: Vec<Item>,
    // Not part of the file format: it records where the text came from.
    #[serde(skip)]
    wording: Wording,
}

/// Who owns an instrument and on what terms it may be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    /// True when the wording is under copyright and needs a licence for some or all uses.
    pub licensed: bool,
    /// The copyright holder, where there is one.
    #[serde(default)]
    pub holder: Option<String>,
    /// The terms, in brief.
    pub note: String,
}

/// For an instrument whose single item is answered once per patient-named entry (PSFS): how
/// many entries are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repeat {
    /// Fewest entries.
    pub min: usize,
    /// Most entries.
    pub max: usize,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Stable identifier, used in errors and stored answers.
    pub id: String,
    /// The question as shown.
    pub label: String,
    /// The answers it allows.
    pub response: Response,
}

/// The answers an item allows. Every answer is a number; the scorer checks it against this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// Choose one of these; the answer is the option's value.
    Options(Vec<AnswerOption>),
    /// A whole number from `min` to `max`, with labelled ends.
    Scale(Scale),
    /// A number of hours, fractions allowed, from 0 to `max`.
    Hours(Hours),
}

/// One choice of an [`Response::Options`] item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    /// The number recorded and scored.
    pub value: i32,
    /// The text shown.
    pub label: String,
}

/// A 0–10 style rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// Lowest value.
    pub min: i32,
    /// Highest value.
    pub max: i32,
    /// What the lowest value means.
    pub min_label: String,
    /// What the highest value means.
    pub max_label: String,
}

/// A count of hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    /// Most hours accepted (168: the hours in a week).
    pub max: u32,
}

/// Where an instrument's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Wording {
    /// Physio's own short labels, shipped in the binary.
    #[default]
    Builtin,
    /// Wording the clinic supplied, typically the validated text it holds a licence for.
    Clinic,
}

impl Instrument {
    /// The built-in definition, with Physio's own labels.
    pub fn builtin(id: InstrumentId) -> &'static Instrument {
        &BUILTINS[id.index()]
    }

    /// Parses a clinic's definition file and checks it against the built-in scoring shape.
    ///
    /// The file has the same shape as the built-in files. It must name a known instrument and
    /// match the built-in one item for item: the same item ids in the same order, the same
    /// kind of answer, the same option values in the same order, the same scale ends and hour
    /// limits, and the same number of repeats. Only the text may differ: title, description,
    /// item labels, option labels, scale end labels, and the licence holder and note (the
    /// `licensed` flag is a fact about the instrument and must match). The result scores
    /// exactly like the built-in one. The `patient` block (what patients are told the
    /// questionnaire is about) may be left out, which keeps Physio's own.
    pub fn from_clinic_definition(json: &str) -> Result<Instrument, DefinitionError> {
        let raw: RawDefinition = serde_json::from_str(json)
            .map_err(|e| DefinitionError::Parse { message: e.to_string() })?;
        let id: InstrumentId = raw.id.parse()?;
        let builtin = Instrument::builtin(id);
        let licence = match raw.licence {
            Some(licence) if licence.licensed != builtin.licence.licensed => {
                return Err(DefinitionError::LicenceFlag {
                    instrument: id,
                    expected: builtin.licence.licensed,
                });
            }
            Some(licence) => licence,
            None => builtin.licence.clone(),
        };
        let instrument = Instrument {
            id,
            title: raw.title,
            description: raw.description,
            patient: raw.patient.unwrap_or_else(|| builtin.patient.clone()),
            licence,
            repeat: raw.repeat,
            items: raw.items,
            wording: Wording::Clinic,
        };
        instrument.check_text()?;
        instrument.check_same_shape(builtin)?;
        Ok(instrument)
    }

    /// Which instrument this is.
    pub fn id(&self) -> InstrumentId {
        self.id
    }

    /// Display name.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// What it measures and how it is scored, in brief.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// What patients are told: a title in plain words, what it is about, how long it takes,
    /// and what to say when a question is left unanswered. [`Instrument::title`] is the
    /// instrument's own name, for staff.
    pub fn patient(&self) -> &PatientText {
        &self.patient
    }

    /// Copyright and terms of use.
    pub fn licence(&self) -> &Licence {
        &self.licence
    }

    /// The questions, in order. For a repeated instrument (PSFS), the one question asked per
    /// entry.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// How many entries a repeated instrument takes; `None` for a fixed list of items.
    pub fn repeat(&self) -> Option<Repeat> {
        self.repeat
    }

    /// Whether the text is Physio's or the clinic's.
    pub fn wording(&self) -> Wording {
        self.wording
    }

    /// Every label must say something: an empty label would show the patient a blank question.
    fn check_text(&self) -> Result<(), DefinitionError> {
        let blank = |what: String| DefinitionError::EmptyText { instrument: self.id, what };
        let texts = [
            ("title", &self.title),
            ("description", &self.description),
            ("patient title", &self.patient.title),
            ("patient about", &self.patient.about),
        ];
        for (what, text) in texts {
            if text.trim().is_empty() {
                return Err(blank(what.to_owned()));
            }
        }
        if self.licence.note.trim().is_empty() {
            return Err(blank("licence note".to_owned()));
        }
        for (i, item) in self.items.iter().enumerate() {
            let at = |what: &str| format!("{what} of item {} (`{}`)", i + 1, item.id);
            if item.label.trim().is_empty() {
                return Err(blank(at("label")));
            }
            match &item.response {
                Response::Options(options) => {
                    if let Some(o) = options.iter().find(|o| o.label.trim().is_empty()) {
                        return Err(blank(at(&format!("label of option {}", o.value))));
                    }
                }
                Response::Scale(scale) => {
                    if scale.min_label.trim().is_empty() || scale.max_label.trim().is_empty() {
                        return Err(blank(at("scale end label")));
                    }
                }
                Response::Hours(_) => {}
            }
        }
        Ok(())
    }

    /// Compares everything that affects scoring, and names the first difference.
    fn check_same_shape(&self, builtin: &Instrument) -> Result<(), DefinitionError> {
        let id = self.id;
        if self.repeat != builtin.repeat {
            return Err(DefinitionError::Shape {
                instrument: id,
                detail: format!(
                    "`repeat` must be {}, found {}",
                    describe_repeat(builtin.repeat),
                    describe_repeat(self.repeat)
                ),
            });
        }
        if self.items.len() != builtin.items.len() {
            return Err(DefinitionError::Shape {
                instrument: id,
                detail: format!(
                    "{id} has {} items, found {}",
                    builtin.items.len(),
                    self.items.len()
                ),
            });
        }
        for (i, (ours, theirs)) in builtin.items.iter().zip(&self.items).enumerate() {
            let position = i + 1;
            if ours.id != theirs.id {
                return Err(DefinitionError::Shape {
                    instrument: id,
                    detail: format!(
                        "item {position} must have id `{}`, found `{}`",
                        ours.id, theirs.id
                    ),
                });
            }
            let expected = ResponseShape::of(&ours.response);
            let found = ResponseShape::of(&theirs.response);
            if expected != found {
                return Err(DefinitionError::Shape {
                    instrument: id,
                    detail: format!(
                        "item {position} (`{}`) must allow {expected}, found {found}",
                        ours.id
                    ),
                });
            }
        }
        Ok(())
    }
}

/// The part of a [`Response`] that scoring depends on: everything but the labels.
#[derive(PartialEq)]
enum ResponseShape {
    Options(Vec<i32>),
    Scale { min: i32, max: i32 },
    Hours { max: u32 },
}

impl ResponseShape {
    fn of(response: &Response) -> ResponseShape {
        match response {
            Response::Options(options) => {
                ResponseShape::Options(options.iter().map(|o| o.value).collect())
            }
            Response::Scale(s) => ResponseShape::Scale { min: s.min, max: s.max },
            Response::Hours(h) => ResponseShape::Hours { max: h.max },
        }
    }
}

impl fmt::Display for ResponseShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseShape::Options(values) => {
                let values: Vec<String> = values.iter().map(i32::to_string).collect();
                write!(f, "options with values [{}]", values.join(", "))
            }
            ResponseShape::Scale { min, max } => write!(f, "a scale from {min} to {max}"),
            ResponseShape::Hours { max } => write!(f, "hours up to {max}"),
        }
    }
}

fn describe_repeat(repeat: Option<Repeat>) -> String {
    match repeat {
        Some(r) => format!("{{\"min\": {}, \"max\": {}}}", r.min, r.max),
        None => "absent".to_owned(),
    }
}

/// A definition file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DefinitionError {
    /// Not valid JSON, or not the definition shape (a missing field, a misspelt one, a wrong
    /// type). The message comes from the JSON parser and gives the line and column.
    #[error("definition is not valid: {message}")]
    Parse {
        /// The parser's message.
        message: String,
    },
    /// The `id` is not one Physio scores.
    #[error(transparent)]
    UnknownInstrument(#[from] super::instrument::UnknownInstrument),
    /// The file's items or answers differ from the built-in scoring shape.
    #[error("{instrument} definition does not match the built-in scoring shape: {detail}")]
    Shape {
        /// Which instrument.
        instrument: InstrumentId,
        /// The first difference found.
        detail: String,
    },
    /// The file changes whether the instrument is licensed.
    #[error(
        "{instrument} definition must keep `licence.licensed` = {expected}: the wording may \
         change, the instrument's licence status may not"
    )]
    LicenceFlag {
        /// Which instrument.
        instrument: InstrumentId,
        /// The built-in value.
        expected: bool,
    },
    /// A label or title is empty.
    #[error("{instrument} definition has an empty {what}")]
    EmptyText {
        /// Which instrument.
        instrument: InstrumentId,
        /// Which text.
        what: String,
    },
}

/// The file format, before it is checked. `licence` may be left out of a clinic file, which
/// then keeps the built-in terms.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefinition {
    id: String,
    title: String,
    description: String,
    #[serde(default)]
    patient: Option<PatientText>,
    #[serde(default)]
    licence: Option<Licence>,
    #[serde(default)]
    repeat: Option<Repeat>,
    items: Vec<Item>,
}

fn builtin_json(id: InstrumentId) -> &'static str {
    match id {
        InstrumentId::Nprs => include_str!("../../questionnaires/nprs.json"),
        InstrumentId::Odi => include_str!("../../questionnaires/odi.json"),
        InstrumentId::Ndi => include_str!("../../questionnaires/ndi.json"),
        InstrumentId::Psfs => include_str!("../../questionnaires/psfs.json"),
        InstrumentId::Phq9 => include_str!("../../questionnaires/phq9.json"),
        InstrumentId::Gad7 => include_str!("../../questionnaires/gad7.json"),
        InstrumentId::Wpai => include_str!("../../questionnaires/wpai.json"),
        InstrumentId::Pgic => include_str!("../../questionnaires/pgic.json"),
        InstrumentId::StartBack => include_str!("../../questionnaires/startback.json"),
        InstrumentId::Satisfaction => include_str!("../../questionnaires/satisfaction.json"),
    }
}

/// Parses a built-in file. Failure means the file shipped in the binary is broken, which the
/// test `builtin_definitions_parse_and_have_the_scoring_shape` rules out before release.
fn parse_builtin(id: InstrumentId) -> Result<Instrument, String> {
    let raw: RawDefinition =
        serde_json::from_str(builtin_json(id)).map_err(|e| format!("{id}.json: {e}"))?;
    if raw.id != id.as_str() {
        return Err(format!("{id}.json has id {:?}", raw.id));
    }
    let licence = raw.licence.ok_or_else(|| format!("{id}.json has no licence"))?;
    let patient = raw.patient.ok_or_else(|| format!("{id}.json has no patient block"))?;
    let instrument = Instrument {
        id,
        title: raw.title,
        description: raw.description,
        patient,
        licence,
        repeat: raw.repeat,
        items: raw.items,
        wording: Wording::Builtin,
    };
    instrument.check_text().map_err(|e| e.to_string())?;
    Ok(instrument)
}

// Parsed once, on first use. The files are compiled in, so a parse failure is a build defect,
// not bad input; the panic names the file and the tests exercise every one of them.
static BUILTINS: LazyLock<[Instrument; 10]> = LazyLock::new(|| {
    InstrumentId::ALL.map(|id| match parse_builtin(id) {
        Ok(instrument) => instrument,
        Err(message) => panic!("built-in questionnaire definition is broken: {message}"),
    })
});

/// Every built-in instrument, in [`InstrumentId::ALL`] order: ids, titles, licence status and
/// items, with Physio's own wording.
pub fn instruments() -> &'static [Instrument] {
    BUILTINS.as_slice()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(item: &Item) -> Vec<i32> {
        match &item.response {
            Response::Options(o) => o.iter().map(|o| o.value).collect(),
            other => panic!("{} is not an options item: {other:?}", item.id),
        }
    }

    fn assert_scale(item: &Item, min: i32, max: i32) {
        match &item.response {
            Response::Scale(s) => assert_eq!((s.min, s.max), (min, max), "{}", item.id),
            other => panic!("{} is not a scale item: {other:?}", item.id),
        }
    }

    /// The scorers assume these shapes; this pins the data files to them.
    #[test]
    fn builtin_definitions_parse_and_have_the_scoring_shape() {
        for id in InstrumentId::ALL {
            let instrument = parse_builtin(id).unwrap();
            assert_eq!(instrument.id(), id);
            assert_eq!(instrument.wording(), Wording::Builtin);
            let items = instrument.items();
            let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
            let mut unique = ids.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), ids.len(), "{id}: item ids must be unique");
            match id {
                InstrumentId::Nprs | InstrumentId::Satisfaction => {
                    assert_eq!(items.len(), 1);
                    assert_scale(&items[0], 0, 10);
                }
                InstrumentId::Odi | InstrumentId::Ndi => {
                    assert_eq!(items.len(), 10);
                    items.iter().for_each(|i| assert_eq!(values(i), [0, 1, 2, 3, 4, 5]));
                }
                InstrumentId::Psfs => {
                    assert_eq!(instrument.repeat(), Some(Repeat { min: 3, max: 5 }));
                    assert_eq!(items.len(), 1);
                    assert_scale(&items[0], 0, 10);
                }
                InstrumentId::Phq9 | InstrumentId::Gad7 => {
                    assert_eq!(items.len(), if id == InstrumentId::Phq9 { 9 } else { 7 });
                    items.iter().for_each(|i| assert_eq!(values(i), [0, 1, 2, 3]));
                }
                InstrumentId::Wpai => {
                    assert_eq!(
                        ids,
                        [
                            "employed",
                            "hours_missed_problem",
                            "hours_missed_other",
                            "hours_worked",
                            "work_impact",
                            "activity_impact"
                        ]
                    );
                    assert_eq!(values(&items[0]), [0, 1]);
                    for item in &items[1..4] {
                        assert_eq!(item.response, Response::Hours(Hours { max: 168 }));
                    }
                    assert_scale(&items[4], 0, 10);
                    assert_scale(&items[5], 0, 10);
                }
                InstrumentId::Pgic => {
                    assert_eq!(items.len(), 1);
                    assert_eq!(values(&items[0]), [1, 2, 3, 4, 5, 6, 7]);
                }
                InstrumentId::StartBack => {
                    assert_eq!(items.len(), 9);
                    items[..8].iter().for_each(|i| assert_eq!(values(i), [0, 1]));
                    assert_eq!(values(&items[8]), [0, 1, 2, 3, 4]);
                }
            }
            if id != InstrumentId::Psfs {
                assert_eq!(instrument.repeat(), None, "{id}");
            }
        }
    }

    #[test]
    fn licensed_instruments_are_flagged() {
        for id in InstrumentId::ALL {
            let licensed =
                matches!(id, InstrumentId::Odi | InstrumentId::Ndi | InstrumentId::StartBack);
            assert_eq!(Instrument::builtin(id).licence().licensed, licensed, "{id}");
        }
    }

    #[test]
    fn instruments_lists_all_in_order() {
        let ids: Vec<InstrumentId> = instruments().iter().map(Instrument::id).collect();
        assert_eq!(ids, InstrumentId::ALL);
        assert_eq!(instruments()[1].title(), "Oswestry Disability Index (ODI 2.1a)");
    }

    /// A clinic file with the validated wording: here, ours with every text changed.
    fn clinic_odi() -> serde_json::Value {
        let mut file = serde_json::to_value(Instrument::builtin(InstrumentId::Odi)).unwrap();
        file["title"] = "ODI (licensed wording)".into();
        for (i, item) in file["items"].as_array_mut().unwrap().iter_mut().enumerate() {
            item["label"] = format!("Section {} validated text", i + 1).into();
            for option in item["response"]["options"].as_array_mut().unwrap() {
                option["label"] = format!("Statement {}", option["value"]).into();
            }
        }
        file
    }

    fn load(file: &serde_json::Value) -> Result<Instrument, DefinitionError> {
        Instrument::from_clinic_definition(&file.to_string())
    }

    #[test]
    fn serialised_builtins_load_back_as_clinic_definitions() {
        for instrument in instruments() {
            let json = serde_json::to_string(instrument).unwrap();
            let loaded = Instrument::from_clinic_definition(&json).unwrap();
            assert_eq!(loaded.wording(), Wording::Clinic);
            assert_eq!(loaded.items(), instrument.items());
            assert_eq!(loaded.licence(), instrument.licence());
        }
    }

    #[test]
    fn clinic_wording_replaces_labels_only() {
        let loaded = load(&clinic_odi()).unwrap();
        assert_eq!(loaded.id(), InstrumentId::Odi);
        assert_eq!(loaded.title(), "ODI (licensed wording)");
        assert_eq!(loaded.items()[2].label, "Section 3 validated text");
        assert_eq!(loaded.items()[2].id, "lifting");
        match &loaded.items()[2].response {
            Response::Options(o) => assert_eq!(o[5].label, "Statement 5"),
            other => panic!("{other:?}"),
        }
        assert_eq!(loaded.licence(), Instrument::builtin(InstrumentId::Odi).licence());
    }

    #[test]
    fn clinic_file_may_restate_licence_terms_but_not_the_flag() {
        let mut file = clinic_odi();
        file["licence"] = serde_json::json!({
            "licensed": true, "holder": "Mapi", "note": "Clinic licence no. 123"
        });
        assert_eq!(load(&file).unwrap().licence().note, "Clinic licence no. 123");
        file["licence"]["licensed"] = false.into();
        assert_eq!(
            load(&file).unwrap_err().to_string(),
            "odi definition must keep `licence.licensed` = true: the wording may change, the \
             instrument's licence status may not"
        );
        file.as_object_mut().unwrap().remove("licence");
        assert!(load(&file).is_ok(), "licence may be left out");
    }

    #[test]
    fn clinic_file_with_a_different_shape_is_refused_naming_the_difference() {
        let mut file = clinic_odi();
        file["items"].as_array_mut().unwrap().pop();
        assert_eq!(
            load(&file).unwrap_err().to_string(),
            "odi definition does not match the built-in scoring shape: odi has 10 items, found 9"
        );

        let mut file = clinic_odi();
        file["items"][3]["response"]["options"].as_array_mut().unwrap().pop();
        assert_eq!(
            load(&file).unwrap_err().to_string(),
            "odi definition does not match the built-in scoring shape: item 4 (`walking`) must \
             allow options with values [0, 1, 2, 3, 4, 5], found options with values \
             [0, 1, 2, 3, 4]"
        );

        let mut file = clinic_odi();
        file["items"][0]["response"]["options"][0]["value"] = 1.into();
        file["items"][0]["response"]["options"][1]["value"] = 0.into();
        assert!(matches!(load(&file), Err(DefinitionError::Shape { .. })), "reordered values");

        let mut file = clinic_odi();
        file["items"].as_array_mut().unwrap().swap(0, 1);
        assert_eq!(
            load(&file).unwrap_err().to_string(),
            "odi definition does not match the built-in scoring shape: item 1 must have id \
             `pain_intensity`, found `personal_care`"
        );

        let mut file = clinic_odi();
        file["items"][0]["response"] =
            serde_json::json!({"scale": {"min": 0, "max": 5, "min_label": "a", "max_label": "b"}});
        assert!(matches!(load(&file), Err(DefinitionError::Shape { .. })), "kind of answer");

        let mut file = clinic_odi();
        file["id"] = "ndi".into();
        assert!(matches!(load(&file), Err(DefinitionError::Shape { .. })), "ODI items as NDI");
    }

    #[test]
    fn clinic_file_for_psfs_must_keep_the_repeat_range() {
        let mut file = serde_json::to_value(Instrument::builtin(InstrumentId::Psfs)).unwrap();
        file["repeat"]["max"] = 6.into();
        assert_eq!(
            load(&file).unwrap_err().to_string(),
            "psfs definition does not match the built-in scoring shape: `repeat` must be \
             {\"min\": 3, \"max\": 5}, found {\"min\": 3, \"max\": 6}"
        );
    }

    #[test]
    fn clinic_file_errors_for_bad_json_unknown_ids_unknown_fields_and_blank_labels() {
        assert!(matches!(
            Instrument::from_clinic_definition("{"),
            Err(DefinitionError::Parse { .. })
        ));
        let mut file = clinic_odi();
        file["id"] = "sf36".into();
        assert!(load(&file).unwrap_err().to_string().starts_with("unknown instrument \"sf36\""));

        let mut file = clinic_odi();
        file["items"][0]["lable"] = "typo".into();
        let err = load(&file).unwrap_err().to_string();
        assert!(err.contains("unknown field `lable`"), "{err}");

        let mut file = clinic_odi();
        file["items"][4]["response"]["options"][2]["label"] = "  ".into();
        assert_eq!(
            load(&file).unwrap_err().to_string(),
            "odi definition has an empty label of option 2 of item 5 (`sitting`)"
        );
    }

    proptest::proptest! {
        /// No file content panics: arbitrary text, and valid files with one label replaced.
        #[test]
        fn arbitrary_definition_text_never_panics(text in ".{0,200}", label in ".{0,20}") {
            let _ = Instrument::from_clinic_definition(&text);
            let mut file = clinic_odi();
            file["items"][0]["label"] = label.clone().into();
            let loaded = load(&file);
            proptest::prop_assert_eq!(loaded.is_ok(), !label.trim().is_empty());
        }
    }
}
