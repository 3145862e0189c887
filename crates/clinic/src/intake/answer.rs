//! Answers a patient may not know: a number, or "not sure".
//!
//! On the wire such an answer is either the number or the string `"not_sure"`, so documents
//! written before "not sure" existed still read the same. The rules never guess a number for
//! "not sure"; each rule that reads the answer says how it treats it (docs/triage.md).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The wire word for "I don't know" / "not sure".
pub const NOT_SURE: &str = "not_sure";

/// What the patient can answer to a "not sure" option, as shown on the form.
pub const NOT_SURE_LABEL: &str = "I'm not sure";

/// A whole number the patient gave, or "not sure".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Answer<T> {
    /// The patient gave this number.
    Known(T),
    /// The patient said they do not know.
    NotSure,
}

impl<T: Copy> Answer<T> {
    /// The number, when the patient gave one.
    pub fn known(self) -> Option<T> {
        match self {
            Answer::Known(v) => Some(v),
            Answer::NotSure => None,
        }
    }

    /// Whether the patient said "not sure".
    pub fn is_not_sure(self) -> bool {
        matches!(self, Answer::NotSure)
    }
}

impl<T> From<T> for Answer<T> {
    fn from(value: T) -> Answer<T> {
        Answer::Known(value)
    }
}

impl<T: Serialize> Serialize for Answer<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Answer::Known(v) => v.serialize(s),
            Answer::NotSure => s.serialize_str(NOT_SURE),
        }
    }
}

struct AnswerVisitor<T>(PhantomData<T>);

impl<T: TryFrom<u64>> Visitor<'_> for AnswerVisitor<T> {
    type Value = Answer<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a whole number, or \"{NOT_SURE}\"")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Answer<T>, E> {
        T::try_from(v)
            .map(Answer::Known)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Answer<T>, E> {
        if v == NOT_SURE {
            Ok(Answer::NotSure)
        } else {
            Err(E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }
}

impl<'de, T: TryFrom<u64>> Deserialize<'de> for Answer<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Answer<T>, D::Error> {
        d.deserialize_any(AnswerVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_not_sure_round_trip() {
        let cases: &[(&str, Option<Answer<u8>>)] = &[
            ("4", Some(Answer::Known(4))),
            ("0", Some(Answer::Known(0))),
            ("\"not_sure\"", Some(Answer::NotSure)),
            ("300", None),
            ("-1", None),
            ("3.5", None),
            ("\"4\"", None),
            ("\"unknown\"", None),
            ("null", None),
        ];
        for (text, expected) in cases {
            let got = serde_json::from_str::<Answer<u8>>(text).ok();
            assert_eq!(got, *expected, "{text}");
            if let Some(answer) = got {
                assert_eq!(serde_json::to_string(&answer).ok().as_deref(), Some(*text));
            }
        }
        let err = serde_json::from_str::<Answer<u8>>("\"maybe\"").expect_err("refused");
        assert!(err.to_string().contains("not_sure"), "{err}");
    }
}
