//! How long the pain has lasted, in the patient's own unit, or "not sure".

use serde::{Deserialize, Serialize};

/// How long the pain has lasted, in the unit the patient chose: `{"days": 10}`, `{"weeks": 6}`,
/// `{"months": 3}`, `{"years": 2}`, or `"not_sure"`.
///
/// Patients think in days for a new pain and in months or years for an old one; keeping their
/// unit avoids rounding their answer, and [`PainDuration::days`] gives one scale for rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PainDuration {
    /// A number of days.
    Days(u32),
    /// A number of weeks.
    Weeks(u32),
    /// A number of months, counted as 30 days each.
    Months(u32),
    /// A number of years, counted as 365 days each.
    Years(u32),
    /// The patient does not know how long.
    NotSure,
}

impl PainDuration {
    /// A duration of `amount` in `unit`.
    pub fn new(unit: DurationUnit, amount: u32) -> PainDuration {
        match unit {
            DurationUnit::Days => PainDuration::Days(amount),
            DurationUnit::Weeks => PainDuration::Weeks(amount),
            DurationUnit::Months => PainDuration::Months(amount),
            DurationUnit::Years => PainDuration::Years(amount),
        }
    }

    /// The unit and amount the patient gave; `None` for "not sure".
    pub fn parts(self) -> Option<(DurationUnit, u32)> {
        match self {
            PainDuration::Days(n) => Some((DurationUnit::Days, n)),
            PainDuration::Weeks(n) => Some((DurationUnit::Weeks, n)),
            PainDuration::Months(n) => Some((DurationUnit::Months, n)),
            PainDuration::Years(n) => Some((DurationUnit::Years, n)),
            PainDuration::NotSure => None,
        }
    }

    /// The duration in days, saturating rather than overflowing on absurd input; `None` when
    /// the patient is not sure. A month counts as 30 days and a year as 365.
    pub fn days(self) -> Option<u32> {
        self.parts().map(|(unit, n)| n.saturating_mul(unit.days()))
    }

    /// The duration in whole weeks, rounded down; `None` when the patient is not sure.
    pub fn whole_weeks(self) -> Option<u32> {
        self.days().map(|d| d / 7)
    }
}

/// The units a patient may give a duration in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationUnit {
    /// Days.
    Days,
    /// Weeks.
    Weeks,
    /// Months.
    Months,
    /// Years.
    Years,
}

impl DurationUnit {
    /// Every unit, shortest first, as the form offers them.
    pub const ALL: [DurationUnit; 4] =
        [DurationUnit::Days, DurationUnit::Weeks, DurationUnit::Months, DurationUnit::Years];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            DurationUnit::Days => "days",
            DurationUnit::Weeks => "weeks",
            DurationUnit::Months => "months",
            DurationUnit::Years => "years",
        }
    }

    /// Days in one of this unit, as the rules count them.
    pub fn days(self) -> u32 {
        match self {
            DurationUnit::Days => 1,
            DurationUnit::Weeks => 7,
            DurationUnit::Months => 30,
            DurationUnit::Years => 365,
        }
    }

    /// The word on the form.
    pub fn patient_label(self) -> &'static str {
        match self {
            DurationUnit::Days => "Days",
            DurationUnit::Weeks => "Weeks",
            DurationUnit::Months => "Months",
            DurationUnit::Years => "Years",
        }
    }

    /// A hint beside the choice, where one helps.
    pub fn help(self) -> Option<&'static str> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_every_unit() {
        let cases: &[(&str, Option<u32>, Option<u32>)] = &[
            (r#"{"days": 10}"#, Some(10), Some(1)),
            (r#"{"weeks": 6}"#, Some(42), Some(6)),
            (r#"{"months": 1}"#, Some(30), Some(4)),
            (r#"{"years": 2}"#, Some(730), Some(104)),
            (r#""not_sure""#, None, None),
        ];
        for (text, days, weeks) in cases {
            let d: PainDuration = serde_json::from_str(text).expect("parses");
            assert_eq!((d.days(), d.whole_weeks()), (*days, *weeks), "{text}");
            let again = serde_json::to_string(&d).expect("encodes");
            assert_eq!(serde_json::from_str::<PainDuration>(&again).ok(), Some(d));
            if let Some((unit, n)) = d.parts() {
                assert_eq!(PainDuration::new(unit, n), d);
            }
        }
        assert_eq!(PainDuration::Years(u32::MAX).days(), Some(u32::MAX));
    }
}
