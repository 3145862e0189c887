//! Pure motion signal processing: landmarks to joint angles, repetitions and form checks.
//! No IO, no clock (time comes from frame timestamps or a declared frame rate), and no
//! allocation per frame once a `tracker::Tracker` is set up.
//!
//! Flow: `formats` (text → `skeleton::Recording`) → `filter` (gating, outliers, One-Euro) →
//! `kinematics` (body-frame angles) → `tracker` (repetitions and form events, per the data in
//! `exercises`) → `analysis` (offline whole-recording result).

pub mod analysis;
pub mod exercises;
pub mod figure;
pub mod filter;
pub mod formats;
pub mod geom;
pub mod kinematics;
pub mod skeleton;
pub mod tracker;

pub use analysis::{Analysis, AnalysisError, Mode, analyze, exercises};
pub use formats::{Format, ParseError, parse};
pub use skeleton::Recording;
