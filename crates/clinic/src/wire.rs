//! Wire names: reading the crate's enums back from the strings they are stored and sent as.
//!
//! Every enum a caller stores as text (tier, pathway, phase, milestone, episode status, …) has
//! `as_str` and `FromStr`. Parsing never falls back to a default: an unknown name is an
//! [`UnknownName`] error, so a stored value that no longer means anything is noticed instead of
//! quietly turning into, say, exercise care.

/// A name that is not one of the allowed wire names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}; expected one of: {}", expected.join(", "))]
pub struct UnknownName {
    /// What was being read, e.g. `tier`.
    pub kind: &'static str,
    /// The text that was given.
    pub value: String,
    /// Every allowed name, in the enum's order.
    pub expected: Vec<&'static str>,
}

/// Finds the item of `all` whose wire name is exactly `text`.
pub(crate) fn parse_name<T: Copy>(
    kind: &'static str,
    all: &[T],
    name: fn(T) -> &'static str,
    text: &str,
) -> Result<T, UnknownName> {
    all.iter().copied().find(|item| name(*item) == text).ok_or_else(|| UnknownName {
        kind,
        value: text.to_owned(),
        expected: all.iter().map(|item| name(*item)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use std::fmt;

    use super::*;
    use crate::episode::EpisodeStatus;
    use crate::pathway::{Milestone, Pathway, Phase};
    use crate::triage::Tier;

    /// Every enum read back from text round-trips through its wire name, and an unknown name
    /// is an error that lists the allowed ones (never a default).
    #[test]
    fn wire_names_round_trip_and_unknown_names_fail() {
        fn check<T>(all: &[T])
        where
            T: Copy + PartialEq + fmt::Debug + fmt::Display + std::str::FromStr<Err = UnknownName>,
        {
            for item in all {
                assert_eq!(item.to_string().parse::<T>().ok(), Some(*item));
            }
            let err = "".parse::<T>().expect_err("empty is refused");
            assert_eq!(err.expected.len(), all.len());
            let err = "Exercise ".parse::<T>().expect_err("case and spaces matter");
            assert!(err.to_string().contains("expected one of"), "{err}");
        }
        check(&Tier::ALL);
        check(&Pathway::ALL);
        check(&Phase::ALL);
        check(&Milestone::ALL);
        check(&EpisodeStatus::ALL);
    }
}
