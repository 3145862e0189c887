//! Session settings: the conditioning filter, the calibration, the set target and how the
//! recording may begin.

use crate::filter::FilterConfig;
use crate::tracker::Calibration;

/// Session settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackerConfig {
    /// Conditioning filter.
    pub filter: FilterConfig,
    /// Calibrated range; `None` self-calibrates from the person's repetitions.
    pub calibration: Option<Calibration>,
    /// Repetitions in a set (emits `SetComplete`); `None` for no set target.
    pub target_reps: Option<u32>,
    /// Starting counting range (movement-signal units), instead of the calibration or the
    /// spec's nominal range; the offline analysis passes the range the person showed over the
    /// whole recording, so their first repetitions are counted on their own scale.
    pub initial_range: Option<f32>,
    /// The recording may begin part-way through a repetition (some motion-capture takes do):
    /// when it begins well above the rest it then comes down to, that descent is counted as a
    /// repetition (range judged; form, duration and hold are not, as their start was not
    /// seen). Off for live sessions, which begin at rest with the calibration step.
    pub may_start_mid_rep: bool,
}

impl TrackerConfig {
    /// Default filter, self-calibration, no set target.
    pub const DEFAULT: TrackerConfig = TrackerConfig {
        filter: FilterConfig::DEFAULT,
        calibration: None,
        target_reps: None,
        initial_range: None,
        may_start_mid_rep: false,
    };
}
