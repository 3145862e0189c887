//! The figures drawn with lessons, as SVG: two in three slipped discs shrinking, boom and bust
//! against steady pacing, the pain score while exercising, slumped and supported sitting (posed
//! with the exercise figures' skeleton), and how rare upper-back surgery is.
//!
//! Each says in words what it shows (its title, and labels on the drawing), never by colour
//! alone: the pain scale's bands carry their words, the pacing lines differ in dash as well as
//! colour. Black and greys on white, so they print.

use maud::{Markup, html};
use physio_clinic::education::LessonFigure;
use physio_motion::figure::Figure;

use crate::pages::figure::pair;

const INK: &str = "#111";
const GREY: &str = "#6b6b6b";
const LIGHT: &str = "#d9d9d9";
const FONT: &str = "system-ui, sans-serif";

/// The figure, with a caption a screen reader reads as its name.
pub(crate) fn figure(f: LessonFigure) -> Markup {
    let (svg, caption) = match f {
        LessonFigure::DiscsShrink => {
            (discs(), "Of every 3 slipped discs, about 2 shrink on their own.")
        }
        LessonFigure::Pacing => (
            pacing(),
            "Boom and bust goes up and down and gets nowhere. Steady pacing rises slowly, week by week.",
        ),
        LessonFigure::PainScale => (
            pain_scale(),
            "Pain while you exercise: 0 to 3 is fine, 4 to 5 is OK if it settles by the next morning, above 5 means stop.",
        ),
        LessonFigure::Sitting => (sitting(), "Slumped sitting, and sitting tall."),
        LessonFigure::SurgeryRare => (
            surgery_rare(),
            "Out of 100 spine operations, fewer than 1 is on the upper or middle back.",
        ),
    };
    html! {
        figure.lesson-figure {
            (svg)
            figcaption { (caption) }
        }
    }
}

fn text(x: f32, y: f32, size: u16, anchor: &str, body: &str) -> Markup {
    html! {
        text x=(x) y=(y) font-size=(size) font-family=(FONT) text-anchor=(anchor) fill=(INK) { (body) }
    }
}

/// Three segments of spine side by side: two whose disc has shrunk back, one still bulging.
fn discs() -> Markup {
    let segment = |x: f32, shrunk: bool| {
        html! {
            g transform=(format!("translate({x} 0)")) {
                rect x="10" y="20" width="120" height="50" rx="12" fill=(LIGHT) stroke=(INK) stroke-width="3" {}
                rect x="10" y="100" width="120" height="50" rx="12" fill=(LIGHT) stroke=(INK) stroke-width="3" {}
                rect x="18" y="74" width="104" height="22" rx="10" fill="#fff" stroke=(INK) stroke-width="3" {}
                @if shrunk {
                    path d="M 52 185 l 14 14 l 26 -30" fill="none" stroke=(INK) stroke-width="6" stroke-linecap="round" stroke-linejoin="round" {}
                    (text(70.0, 230.0, 18, "middle", "Shrank"))
                } @else {
                    // The bulge pressing out at the back of the disc.
                    path d="M 116 72 q 52 13 0 26" fill=(GREY) stroke=(INK) stroke-width="3" {}
                    (text(70.0, 230.0, 18, "middle", "Still bulging"))
                }
            }
        }
    };
    html! {
        svg.lesson-svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 245" role="img" aria-labelledby="fig-discs-title" {
            title #fig-discs-title { "About 2 in every 3 slipped discs shrink on their own" }
            (segment(0.0, true))
            (segment(160.0, true))
            (segment(320.0, false))
        }
    }
}

/// Activity over two weeks: boom and bust (dashed, grey) against steady pacing (solid, black),
/// with a key under the chart so no label sits on a line.
fn pacing() -> Markup {
    let (left, top, w, h) = (50.0_f32, 10.0_f32, 410.0_f32, 170.0_f32);
    let x = |day: f32| left + day / 14.0 * w;
    let y = |amount: f32| top + h - amount / 10.0 * h;
    let boom = [9.0, 1.0, 1.0, 8.5, 1.5, 0.5, 9.0, 2.0, 1.0, 8.0, 1.0, 1.0, 9.0, 1.5, 1.0];
    let steady: Vec<f32> = (0..15).map(|d| 3.0 + d as f32 * 0.25).collect();
    let points = |v: &[f32]| {
        v.iter()
            .enumerate()
            .map(|(d, a)| format!("{:.1},{:.1}", x(d as f32), y(*a)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    html! {
        svg.lesson-svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 310" role="img" aria-labelledby="fig-pacing-title" {
            title #fig-pacing-title { "Boom and bust compared with steady pacing over two weeks" }
            line x1=(left) y1=(top + h) x2=(left + w) y2=(top + h) stroke=(INK) stroke-width="2" {}
            line x1=(left) y1=(top) x2=(left) y2=(top + h) stroke=(INK) stroke-width="2" {}
            polyline points=(points(&boom)) fill="none" stroke=(GREY) stroke-width="3" stroke-dasharray="8 6" {}
            polyline points=(points(&steady)) fill="none" stroke=(INK) stroke-width="5" stroke-linecap="round" {}
            (text(left + w / 2.0, 210.0, 20, "middle", "Two weeks, day by day"))
            text x="22" y=(top + h / 2.0) font-size="20" font-family=(FONT) text-anchor="middle" fill=(INK) transform=(format!("rotate(-90 22 {})", top + h / 2.0)) { "How much you do" }
            line x1="60" y1="250" x2="120" y2="250" stroke=(GREY) stroke-width="3" stroke-dasharray="8 6" {}
            (text(132.0, 257.0, 20, "start", "Boom and bust"))
            line x1="60" y1="290" x2="120" y2="290" stroke=(INK) stroke-width="5" stroke-linecap="round" {}
            (text(132.0, 297.0, 20, "start", "Steady pacing"))
        }
    }
}

/// The 0 to 10 pain score as eleven boxes in three labelled bands.
fn pain_scale() -> Markup {
    let (left, cell) = (20.0_f32, 40.0_f32);
    let band = |n: u8| match n {
        0..=3 => "#cfe8d5",
        4 | 5 => "#fde7b0",
        _ => "#f6c9c9",
    };
    let mid = |from: u8, to: u8| left + (f32::from(from) + f32::from(to) + 1.0) / 2.0 * cell;
    html! {
        svg.lesson-svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 170" role="img" aria-labelledby="fig-pain-title" {
            title #fig-pain-title { "Pain score while you exercise, from 0 to 10" }
            @for n in 0..=10u8 {
                rect x=(left + f32::from(n) * cell) y="20" width=(cell) height="50" fill=(band(n)) stroke=(INK) stroke-width="2" {}
                (text(left + (f32::from(n) + 0.5) * cell, 53.0, 20, "middle", &n.to_string()))
            }
            // Brackets under each band, with its word.
            @for (from, to, word, more) in [(0u8, 3u8, "Fine", ""), (4, 5, "OK if it", "settles"), (6, 10, "Stop", "")] {
                path d=(format!("M {:.1} 82 v 10 H {:.1} v -10", left + f32::from(from) * cell + 4.0, left + f32::from(to + 1) * cell - 4.0)) fill="none" stroke=(INK) stroke-width="2" {}
                (text(mid(from, to), 118.0, 19, "middle", word))
                @if !more.is_empty() { (text(mid(from, to), 142.0, 19, "middle", more)) }
            }
        }
    }
}

/// Slumped, then sitting tall, drawn with the exercise figures' skeleton so the body matches
/// the exercise pictures.
fn sitting() -> Markup {
    let legs = serde_json::json!({"flexion": 90, "knee": 90});
    let arms = serde_json::json!({"elevation": 40, "plane": 130, "rotation": -80, "elbow": 100});
    let figure: Result<Figure, _> = serde_json::from_value(serde_json::json!({
        "view": "side",
        "start": {
            "base": "sitting", "lean": 8, "trunk_flexion": 10, "spine_curve": 35,
            "neck_flexion": 20, "chin_glide": 5,
            "left_leg": legs, "right_leg": legs, "left_arm": arms, "right_arm": arms,
            "props": ["chair"]
        },
        "end": {
            "base": "sitting", "lean": -4,
            "left_leg": legs, "right_leg": legs, "left_arm": arms, "right_arm": arms,
            "props": ["chair"]
        }
    }));
    match figure {
        Ok(f) => pair(&f, "Slumped sitting, and sitting tall", ["Slumped", "Sitting tall"]),
        // The poses are fixed above; `tests::every_figure_draws` keeps them valid.
        Err(_) => html! {},
    }
}

/// A grid of 100 squares, one of them only partly filled: fewer than 1 in 100.
fn surgery_rare() -> Markup {
    let size = 22.0_f32;
    let gap = 4.0_f32;
    let at =
        |k: usize| (20.0 + (k % 10) as f32 * (size + gap), 20.0 + (k / 10) as f32 * (size + gap));
    html! {
        svg.lesson-svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 290" role="img" aria-labelledby="fig-rare-title" {
            title #fig-rare-title { "Fewer than 1 in every 100 spine operations is on the upper or mid back" }
            @for k in 0..99usize {
                @let (x, y) = at(k);
                rect x=(x) y=(y) width=(size) height=(size) fill=(LIGHT) stroke=(GREY) stroke-width="1" {}
            }
            @let (x, y) = at(99);
            rect x=(x) y=(y) width=(size) height=(size) fill="#fff" stroke=(INK) stroke-width="3" {}
            rect x=(x) y=(y + size * 0.4) width=(size) height=(size * 0.6) fill=(INK) {}
            (text(290.0, 60.0, 18, "start", "100 spine"))
            (text(290.0, 84.0, 18, "start", "operations"))
            path d=(format!("M {:.1} {:.1} L 300 236", x + size + 4.0, y + size / 2.0)) stroke=(INK) stroke-width="2" fill="none" {}
            (text(305.0, 232.0, 18, "start", "Fewer than 1"))
            (text(305.0, 256.0, 18, "start", "is on the upper"))
            (text(305.0, 280.0, 18, "start", "or mid back"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every figure draws an SVG with a name for screen readers and words on the drawing.
    #[test]
    fn every_figure_draws() {
        for f in LessonFigure::ALL {
            let html = figure(f).into_string();
            assert!(html.contains("<svg") && html.contains("<title"), "{f:?}");
            assert!(html.contains("<figcaption>"), "{f:?}");
            assert!(html.contains("<text"), "{f:?} has no words on it");
        }
        assert!(figure(LessonFigure::Sitting).into_string().contains("Sitting tall"));
    }
}
