//! The care card a patient sees while their exercise is paused: why, and what to do instead.

use maud::{Markup, html};
use physio_clinic::{safety::Pause, triage::Tier};

/// The card that leads the patient's pages while care is paused.
pub(crate) fn care_card(pause: &Pause) -> Markup {
    let (class, title) = match pause {
        Pause::CheckIn(_) => ("care-urgent", "Do not exercise today"),
        _ => match pause.tier() {
            Some(Tier::Emergency) => ("care-emergency", "Go to an emergency department now"),
            Some(Tier::Urgent) => ("care-urgent", "See a doctor today"),
            Some(Tier::Specialist | Tier::Exercise) | None => {
                ("care-specialist", "Your answers are with your care team")
            }
        },
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
