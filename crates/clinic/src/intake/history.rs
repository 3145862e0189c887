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

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskFactor::Cancer => "cancer",
            RiskFactor::Osteoporosis => "osteoporosis",
            RiskFactor::LongTermSteroids => "long_term_steroids",
            RiskFactor::Immunosuppression => "immunosuppression",
            RiskFactor::IvDrugUse => "iv_drug_use",
            RiskFactor::RecentInfection => "recent_infection",
        }
    }

    /// The item as the patient reads it ("Have you ever had any of these?").
    pub fn patient_label(self) -> &'static str {
        match self {
            RiskFactor::Cancer => "Cancer, now or in the past",
            RiskFactor::Osteoporosis => "Osteoporosis (thin or weak bones)",
            RiskFactor::LongTermSteroids => {
                "Steroid tablets or injections for three months or more"
            }
            RiskFactor::Immunosuppression => "A weak immune system, or medicines that weaken it",
            RiskFactor::IvDrugUse => "Injecting drugs, now or in the past",
            RiskFactor::RecentInfection => "An infection in the last few weeks",
        }
    }

    /// One line of help, where an example makes the item clearer.
    pub fn help(self) -> Option<&'static str> {
        match self {
            RiskFactor::Cancer => Some("Any kind, even if it was treated many years ago."),
            RiskFactor::Osteoporosis => None,
            RiskFactor::LongTermSteroids => {
                Some("For example prednisolone. Steroid inhalers for asthma do not count.")
            }
            RiskFactor::Immunosuppression => Some(
                "For example after a transplant, during chemotherapy, or with medicines for \
                 arthritis that lower your defences.",
            ),
            RiskFactor::IvDrugUse => None,
            RiskFactor::RecentInfection => Some("For example a urine, skin or chest infection."),
        }
    }

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
