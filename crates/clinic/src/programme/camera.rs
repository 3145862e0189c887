//! Whether a patient is offered camera counting for one prescribed exercise. Counting that is
//! validated on real recordings is offered wherever the camera can follow the exercise; counting
//! that is not yet validated is offered only when the clinician chose it for this prescription,
//! because a wrong count shown to a patient as fact does more harm than no count. Every page
//! that offers the camera and the live socket that opens a session ask [`camera`], so they
//! cannot disagree.

use serde::Serialize;

use crate::exercise::Exercise;
use crate::programme::Item;

/// Whether camera counting is offered for a prescription, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Camera {
    /// Offered: its counting is validated on real recordings.
    Validated,
    /// Offered: its counting is not yet validated and the clinician chose to offer it.
    ChosenByClinician,
    /// Not offered: a browser camera cannot follow the exercise.
    NotTracked,
    /// Not offered: its counting is not yet validated and the clinician has not chosen it.
    NotValidated,
}

impl Camera {
    /// Whether the patient is offered the camera.
    pub fn offered(self) -> bool {
        matches!(self, Camera::Validated | Camera::ChosenByClinician)
    }

    /// Why the camera is not offered for the exercise named `name`, in words for the patient
    /// (`None` when it is offered).
    pub fn refusal(self, name: &str) -> Option<String> {
        match self {
            Camera::Validated | Camera::ChosenByClinician => None,
            Camera::NotTracked => Some(format!("{name} is not tracked by the camera")),
            Camera::NotValidated => Some(format!(
                "camera counting of {name} is not yet validated, and your physiotherapist has \
                 not offered it to you; do this exercise on your own"
            )),
        }
    }
}

/// Whether camera counting of `exercise`, prescribed as `item`, is offered to the patient.
pub fn camera(item: &Item, exercise: &Exercise) -> Camera {
    match &exercise.tracking {
        None => Camera::NotTracked,
        Some(t) if physio_motion::exercises::find(&t.spec).is_none() => Camera::NotTracked,
        Some(t) if t.validated() => Camera::Validated,
        Some(_) if item.camera => Camera::ChosenByClinician,
        Some(_) => Camera::NotValidated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercise::library;

    fn prescribed(id: &str, camera: bool) -> (Item, &'static Exercise) {
        let exercise = library::find(id).expect("built-in exercise");
        let item = Item {
            exercise: id.to_owned(),
            dose: exercise.dose.clone(),
            start: time::macros::date!(2026 - 12 - 7),
            end: None,
            note: None,
            range: None,
            override_: None,
            camera,
        };
        (item, exercise)
    }

    #[test]
    fn validated_counting_is_offered_whatever_the_clinician_chose() {
        for chosen in [false, true] {
            let (item, exercise) = prescribed("shoulder-abduction", chosen);
            assert_eq!(camera(&item, exercise), Camera::Validated);
            assert!(camera(&item, exercise).offered());
        }
    }

    #[test]
    fn unvalidated_counting_is_offered_only_when_the_clinician_chose_it() {
        let (item, exercise) = prescribed("wall-angel", false);
        let answer = camera(&item, exercise);
        assert_eq!(answer, Camera::NotValidated);
        assert!(!answer.offered());
        let why = answer.refusal(&exercise.name).expect("a reason");
        assert!(why.contains("not yet validated") && why.contains("Wall angel"), "{why}");
        let (item, exercise) = prescribed("wall-angel", true);
        assert_eq!(camera(&item, exercise), Camera::ChosenByClinician);
        assert!(camera(&item, exercise).offered());
        assert_eq!(camera(&item, exercise).refusal(&exercise.name), None);
    }

    #[test]
    fn the_figures_decide_not_the_flag_a_stored_library_carries() {
        // A clinic library stored when thoracic rotation was thought validated.
        let (item, exercise) = prescribed("thoracic-rotation", false);
        let mut stale = exercise.clone();
        if let Some(t) = stale.tracking.as_mut() {
            t.counting_validated = true;
        }
        assert_eq!(camera(&item, &stale), Camera::NotValidated);
    }

    #[test]
    fn an_exercise_the_camera_cannot_follow_is_never_offered() {
        let (item, exercise) = prescribed("cat-camel", true);
        assert_eq!(camera(&item, exercise), Camera::NotTracked);
        assert!(!camera(&item, exercise).offered());
    }
}
