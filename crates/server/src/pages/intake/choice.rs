//! The answer lists of the intake form, taken from `physio_clinic::intake`: each clinic enum
//! gives its choices (`ALL`, in the form's order), their wire names, the patient's words and
//! help. The pages declare no vocabulary of their own, and read every answer back through the
//! clinic's own parser (serde), so a choice the page offers is one the rules read.

use maud::{Markup, html};
use physio_clinic::intake::{
    CareHelped, DurationUnit, FindingKind, NOT_SURE, Procedure, Region, RiskFactor, SurgeryStatus,
    Symptom, Trauma, answer::NOT_SURE_LABEL,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// One of the clinic's answer lists.
pub(super) trait Choice: Copy + PartialEq + DeserializeOwned + 'static {
    /// Every choice, in the order the form offers them.
    fn all() -> &'static [Self];
    /// The wire name, which is also the form value.
    fn value(self) -> &'static str;
    /// The patient's words.
    fn words(self) -> &'static str;
    /// One line of help, where useful.
    fn help(self) -> Option<&'static str>;

    /// Reads a form value with the clinic's own parser; `None` for anything else.
    fn parse(value: &str) -> Option<Self> {
        serde_json::from_value(Value::from(value)).ok()
    }
}

macro_rules! choice {
    ($($t:ty),* $(,)?) => {$(
        impl Choice for $t {
            fn all() -> &'static [Self] {
                &<$t>::ALL
            }
            fn value(self) -> &'static str {
                self.as_str()
            }
            fn words(self) -> &'static str {
                self.patient_label()
            }
            fn help(self) -> Option<&'static str> {
                <$t>::help(self)
            }
        }
    )*};
}

choice!(
    Region,
    DurationUnit,
    RiskFactor,
    Trauma,
    Symptom,
    FindingKind,
    CareHelped,
    SurgeryStatus,
    Procedure
);

/// How a list of choices is offered.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Pick one.
    Radio,
    /// Tick all that apply.
    Checkbox,
}

impl Kind {
    fn input(self) -> &'static str {
        match self {
            Kind::Radio => "radio",
            Kind::Checkbox => "checkbox",
        }
    }
}

/// One input with its label and help, the whole label clickable.
pub(super) fn option(
    kind: Kind,
    name: &str,
    value: &str,
    label: &str,
    help: Option<&str>,
    checked: bool,
) -> Markup {
    let id = format!("{name}-{value}");
    let hint = format!("{id}-hint");
    html! {
        div.(kind.input()) {
            input type=(kind.input()) name=(name) value=(value) id=(id) checked[checked]
                aria-describedby=[help.map(|_| hint.as_str())];
            div {
                label for=(id) { (label) }
                @if let Some(h) = help { p.hint.option-hint id=(hint) { (h) } }
            }
        }
    }
}

/// Every choice of `T`, checked where `is_checked` says.
pub(super) fn options<T: Choice>(kind: Kind, name: &str, is_checked: impl Fn(T) -> bool) -> Markup {
    html! {
        @for c in T::all() {
            (option(kind, name, c.value(), c.words(), c.help(), is_checked(*c)))
        }
    }
}

/// The "I'm not sure" choice, set apart from the others.
pub(super) fn not_sure(kind: Kind, name: &str, checked: bool) -> Markup {
    html! {
        p.or { "or" }
        (option(kind, name, NOT_SURE, NOT_SURE_LABEL, None, checked))
    }
}
