//! The care card a patient sees while their exercise is paused: why, and what to do instead.

use maud::{Markup, html};
use physio_clinic::{safety::Pause, triage::Tier};

/// The card that leads the patient's pages while care is paused.
pub(crate) fn care_card(pause: &Pause) -> Markup {
    let (class, title) = match (pause, pause.tier()) {
        (_, Some(Tier::Emergency)) => ("care-emergency", "Go to an emergency department now"),
        (_, Some(Tier::Urgent)) => ("care-urgent", "See a doctor today"),
        (Pause::Alerts(_), _) => ("care-urgent", "Do not exercise today"),
        _ => ("care-specialist", "Your answers are with your care team"),
    };
    html! {
        div.care-card.(class) role="alert" data-pause="true" {
            h2 { (title) }
            p { (pause.patient_message()) }
            @if pause.tier() == Some(Tier::Specialist) {
                p { a href="/decision-aid" { "Read: is surgery right for me?" } }
            }
        }
    }
}
