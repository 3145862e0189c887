//! Conservative (non-surgical) care tried so far, and whether it helped.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::intake::answer::Answer;

/// Conservative (non-surgical) care so far: `{"weeks": 8, "helped": "partly"}`, `{"weeks": 0}`,
/// or `{"weeks": "not_sure", "helped": "not_sure"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConservativeCare {
    /// Weeks of care tried for this episode; 0 when none, "not sure" when the patient does not
    /// know how long.
    pub weeks: Answer<u16>,
    /// Whether it helped. Required unless `weeks` is 0, absent when it is 0: with no care there
    /// is nothing to judge, and with care a missing answer would read as "not helped".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helped: Option<CareHelped>,
}

impl ConservativeCare {
    /// Whether care has clearly helped: only a plain "yes". "Partly" and "not sure" are treated
    /// as not enough, so no rule relaxes on a hopeful guess.
    pub fn clearly_helped(&self) -> bool {
        self.helped == Some(CareHelped::Yes)
    }
}

/// The patient's answer to "did it help?".
///
/// On the wire: `"yes"`, `"partly"`, `"no"` or `"not_sure"`. The older `true` and `false` still
/// read as `yes` and `no`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CareHelped {
    /// It helped.
    Yes,
    /// It helped a little, or for a while.
    Partly,
    /// It did not help.
    No,
    /// The patient cannot say.
    NotSure,
}

impl CareHelped {
    /// Every answer, in the order the form offers them.
    pub const ALL: [CareHelped; 4] =
        [CareHelped::Yes, CareHelped::Partly, CareHelped::No, CareHelped::NotSure];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CareHelped::Yes => "yes",
            CareHelped::Partly => "partly",
            CareHelped::No => "no",
            CareHelped::NotSure => "not_sure",
        }
    }

    /// A short clinical label, used when rules explain themselves.
    pub fn label(self) -> &'static str {
        match self {
            CareHelped::Yes => "helped",
            CareHelped::Partly => "helped partly",
            CareHelped::No => "did not help",
            CareHelped::NotSure => "not sure whether it helped",
        }
    }

    /// The choice on the form.
    pub fn patient_label(self) -> &'static str {
        match self {
            CareHelped::Yes => "Yes",
            CareHelped::Partly => "Partly",
            CareHelped::No => "No",
            CareHelped::NotSure => "I'm not sure",
        }
    }

    /// A hint beside the choice, where one helps.
    pub fn help(self) -> Option<&'static str> {
        match self {
            CareHelped::Partly => Some("It helped a little, or only for a while."),
            _ => None,
        }
    }
}

impl Serialize for CareHelped {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

struct HelpedVisitor;

impl Visitor<'_> for HelpedVisitor {
    type Value = CareHelped;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("one of \"yes\", \"partly\", \"no\" or \"not_sure\"")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<CareHelped, E> {
        Ok(if v { CareHelped::Yes } else { CareHelped::No })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<CareHelped, E> {
        CareHelped::ALL
            .into_iter()
            .find(|h| h.as_str() == v)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

impl<'de> Deserialize<'de> for CareHelped {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<CareHelped, D::Error> {
        d.deserialize_any(HelpedVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helped_reads_old_booleans_and_new_words() {
        let cases: &[(&str, Option<CareHelped>)] = &[
            ("true", Some(CareHelped::Yes)),
            ("false", Some(CareHelped::No)),
            ("\"yes\"", Some(CareHelped::Yes)),
            ("\"partly\"", Some(CareHelped::Partly)),
            ("\"no\"", Some(CareHelped::No)),
            ("\"not_sure\"", Some(CareHelped::NotSure)),
            ("\"maybe\"", None),
            ("1", None),
        ];
        for (text, expected) in cases {
            assert_eq!(serde_json::from_str::<CareHelped>(text).ok(), *expected, "{text}");
        }
        for h in CareHelped::ALL {
            let text = serde_json::to_string(&h).expect("encodes");
            assert_eq!(serde_json::from_str::<CareHelped>(&text).ok(), Some(h));
        }
    }
}
