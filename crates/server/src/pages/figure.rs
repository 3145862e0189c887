//! Exercise figures as SVG (interim: the figure helper's branch replaces this file with the
//! drawing from the motion crate's skeleton).

#![allow(dead_code, reason = "interim: used by the programme pages being built in parallel")]
use maud::{Markup, html};
use physio_motion::figure::Figure;

/// Shows the still figure and hides the animated one when the reader asks for less motion.
pub(crate) const FIGURE_CSS: &str =
    "@media (prefers-reduced-motion: reduce) { .figure-animated { display: none; } }";

/// Start and end positions side by side.
pub(crate) fn still(_figure: &Figure, title: &str) -> Markup {
    html! { svg.figure-still role="img" viewBox="0 0 200 100" width="100%" { title { (title) } } }
}

/// One figure moving from start to end and back.
pub(crate) fn animated(_figure: &Figure, title: &str) -> Markup {
    html! { svg.figure-animated role="img" viewBox="0 0 100 100" width="100%" { title { (title) } } }
}
