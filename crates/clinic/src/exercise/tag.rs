//! The words an exercise is described with: movement tags that precautions act on, positions,
//! body regions, purposes, equipment and sides. Each is a closed list with a wire name (stored
//! and exported) and a label in plain words.

/// Declares a closed vocabulary: the enum, `ALL`, `as_str`, `label`, `Display` and `FromStr`.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $kind:literal, { $($(#[$vmeta:meta])* $variant:ident => $wire:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            /// The wire name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire,)+ }
            }
            /// In plain words.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::wire::UnknownName;
            fn from_str(text: &str) -> Result<$name, $crate::wire::UnknownName> {
                $crate::wire::parse_name($kind, $name::ALL, $name::as_str, text)
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary!(
    /// A kind of load or movement of the spine (or body) that a precaution can rule out.
    MovementTag, "movement tag", {
        /// Bending the spine forward.
        Flexion => "flexion", "bending forward";
        /// Arching the spine backward.
        Extension => "extension", "arching backward";
        /// Turning the trunk or neck.
        Rotation => "rotation", "twisting";
        /// Bending the trunk or neck to the side.
        SideBending => "side_bending", "bending to the side";
        /// Working against a weight, a band or the body's own weight through the spine.
        Loaded => "loaded", "working against a load";
        /// Reaching or lifting the arms above the head.
        Overhead => "overhead", "reaching overhead";
        /// Lying face down.
        Prone => "prone", "lying face down";
        /// Lifting something from low to high.
        Lifting => "lifting", "lifting";
        /// Pushing or pulling hard against resistance.
        Pushing => "pushing", "pushing or pulling";
        /// Jumping, running or landing.
        Impact => "impact", "jumping or landing";
        /// Moving to the very end of the range, into a full stretch.
        EndRange => "end_range", "moving to the end of the range";
    }
);

vocabulary!(
    /// The position an exercise is done in.
    Position, "position", {
        Standing => "standing", "standing";
        Sitting => "sitting", "sitting";
        /// Lying on the back.
        Supine => "supine", "lying on your back";
        /// Lying face down.
        Prone => "prone", "lying face down";
        /// Lying on one side.
        SideLying => "side_lying", "lying on your side";
        /// On hands and knees.
        FourPointKneeling => "four_point_kneeling", "on your hands and knees";
        /// Walking about.
        Walking => "walking", "walking";
    }
);

vocabulary!(
    /// The part of the body an exercise is mainly for.
    BodyRegion, "body region", {
        Neck => "neck", "neck";
        /// The middle back and shoulder blades.
        Thoracic => "thoracic", "middle back";
        /// The low back.
        Lumbar => "lumbar", "low back";
        /// The tummy and deep trunk muscles.
        Core => "core", "tummy and trunk";
        Shoulder => "shoulder", "shoulders";
        /// Hips and legs.
        Legs => "legs", "hips and legs";
        /// The whole body (walking, breathing).
        WholeBody => "whole_body", "whole body";
    }
);

vocabulary!(
    /// What an exercise is for.
    Purpose, "purpose", {
        /// Moving more freely.
        Mobility => "mobility", "moving more freely";
        /// Getting stronger.
        Strength => "strength", "getting stronger";
        /// Controlling the trunk.
        Stability => "stability", "steadying your trunk";
        /// Breathing and relaxing.
        Breathing => "breathing", "breathing and relaxing";
        /// Building stamina.
        Endurance => "endurance", "building stamina";
        /// Standing steady.
        Balance => "balance", "balance";
        /// Protecting healing tissue after an operation.
        Protection => "protection", "protecting your back while it heals";
    }
);

vocabulary!(
    /// Equipment an exercise needs.
    Equipment, "equipment", {
        Mat => "mat", "a mat or carpet";
        Chair => "chair", "a sturdy chair";
        Wall => "wall", "a wall";
        Towel => "towel", "a rolled towel";
        FoamRoller => "foam_roller", "a foam roller";
        Band => "band", "an exercise band";
        Weights => "weights", "light weights";
        Pillow => "pillow", "a pillow";
        Step => "step", "a low step";
    }
);

vocabulary!(
    /// Which side an exercise is done on.
    Side, "side", {
        /// Both sides together, or the exercise has no side.
        Both => "both", "both sides together";
        Left => "left", "left side";
        Right => "right", "right side";
        /// One side, then the other.
        Alternating => "alternating", "each side in turn";
    }
);

vocabulary!(
    /// A day of the week, Monday first.
    Weekday, "weekday", {
        Monday => "monday", "Monday";
        Tuesday => "tuesday", "Tuesday";
        Wednesday => "wednesday", "Wednesday";
        Thursday => "thursday", "Thursday";
        Friday => "friday", "Friday";
        Saturday => "saturday", "Saturday";
        Sunday => "sunday", "Sunday";
    }
);

impl Weekday {
    /// The weekday of a date.
    pub fn of(date: time::Date) -> Weekday {
        Weekday::ALL[usize::from(date.weekday().number_days_from_monday())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip() {
        for tag in MovementTag::ALL {
            assert_eq!(tag.as_str().parse::<MovementTag>(), Ok(*tag));
        }
        assert!("bending".parse::<MovementTag>().is_err());
        assert_eq!(Weekday::of(time::macros::date!(2026 - 12 - 07)), Weekday::Monday);
    }
}
