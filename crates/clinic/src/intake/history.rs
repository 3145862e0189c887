//! Past or present conditions that change what back pain may mean.

use serde::{Deserialize, Serialize};

/// History items that raise the chance of a serious cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskFactor {
    /// Cancer now or in the past.
    Cancer,
    /// Known osteoporosis (thin bones).
    Osteoporosis,
    /// Steroid tablets or injections taken for months.
    LongTermSteroids,
    /// A weakened immune system, from illness or medicine.
    Immunosuppression,
    /// Injecting drugs, now or in the past.
    IvDrugUse,
    /// An infection in the last few weeks (for example urinary, skin or chest).
    RecentInfection,
}

impl RiskFactor {
    /// Every risk factor, in the order the intake form asks about them.
    pub const ALL: [RiskFactor; 6] = [
        RiskFactor::Cancer,
        RiskFactor::Osteoporosis,
        RiskFactor::LongTermSteroids,
        RiskFactor::Immunosuppression,
        RiskFactor::IvDrugUse,
        RiskFactor::RecentInfection,
    ];

    /// A short clinical label, used when rules explain themselves.
    pub fn label(self) -> &'static str {
        match self {
            RiskFactor::Cancer => "cancer",
            RiskFactor::Osteoporosis => "osteoporosis",
            RiskFactor::LongTermSteroids => "long-term steroids",
            RiskFactor::Immunosuppression => "immunosuppression",
            RiskFactor::IvDrugUse => "intravenous drug use",
            RiskFactor::RecentInfection => "recent infection",
        }
    }
}
