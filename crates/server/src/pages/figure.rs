//! Exercise figures as SVG, drawn from the motion crate's sketches: the start and end
//! positions side by side ([`still`]), and one figure moving between them ([`animated`]).
//!
//! Black line drawings on white, so they print in black and white: one stroke width with
//! round caps and joins, the head a circle, the far-side limbs grey so left and right read
//! apart, objects a darker grey. Every figure is drawn at the same scale (centimetres of the
//! body per SVG unit) in panels `PANEL` wide, so figures next to each other
//! show bodies of the same size.

use maud::{Markup, html};
use physio_motion::figure::{Figure, FigureView, Ink, P2, Shape, Sketch, floor_is_a_line, sketch};

/// The page rule: where motion is reduced, only the still figure is shown; when printing,
/// too, since a printed animation is a frozen moment.
pub const FIGURE_CSS: &str = "\
.figure-still, .figure-animated { display: block; max-width: 40rem; height: auto; }
@media (prefers-reduced-motion: reduce) { .figure-animated { display: none; } }
@media print { .figure-animated { display: none; } }";

/// SVG units per metre.
const SCALE: f32 = 100.0;
const STROKE: f32 = 4.5;
/// Space around the body in a panel.
const MARGIN: f32 = 12.0;
/// Width of a panel (SVG units): 2.4 m of floor, enough for every built-in figure (the widest,
/// the bird dog, reaches 2.2 m), so that all are drawn at one scale. A wider figure (a clinic's
/// own) gets a wider panel.
const PANEL: f32 = 264.0;
/// Space under a still panel for its label.
const LABEL: f32 = 30.0;
/// Between the two still panels.
const GAP: f32 = 20.0;
/// Seconds for one movement there and back.
const LOOP_S: f32 = 4.0;
/// Positions drawn on the way from start to end (the way back retraces them).
const KEYFRAMES: usize = 5;

const INK: &str = "#111";
/// Grey that still prints and keeps 3:1 contrast on white.
const FAR: &str = "#8a8a8a";
const PROP: &str = "#5c5c5c";

/// The start and end positions side by side, labelled "Start" and "End" underneath.
pub fn still(figure: &Figure, title: &str) -> Markup {
    pair(figure, &format!("{title}: start and end positions"), ["Start", "End"])
}

/// Two positions side by side, each labelled underneath (a lesson compares two postures this
/// way); `title` is the whole figure's accessible name.
pub fn pair(figure: &Figure, title: &str, labels: [&str; 2]) -> Markup {
    let frames = [sketch(figure, 0.0), sketch(figure, 1.0)];
    let win = Window::around(&frames, figure.view);
    let (w, h) = win.panel();
    let total = 2.0 * w + GAP;
    let label_y = h + LABEL * 0.7;
    html! {
        svg.figure-still xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {total:.0} {:.0}", h + LABEL)) width="100%" role="img" {
            title { (title) }
            @for (k, (s, label)) in frames.iter().zip(labels).enumerate() {
                @let left = k as f32 * (w + GAP);
                g transform=(format!("translate({left:.1} 0)")) {
                    (floor(w, &win))
                    @for stroke in s.strokes.iter().filter(|s| s.opacity > 0.5) {
                        (draw(&win, &stroke.shape, stroke.ink, None))
                    }
                    text x=(fmt(w / 2.0)) y=(fmt(label_y)) text-anchor="middle" font-size="16" font-family="system-ui, sans-serif" fill=(INK) { (label) }
                }
            }
        }
    }
}

/// One figure moving from the start to the end position and back, holding each a moment.
/// Every stroke's points are animated (SMIL) through positions computed from interpolated
/// joint angles, so limbs swing about their joints rather than slide.
pub fn animated(figure: &Figure, title: &str) -> Markup {
    // Eased, so the movement starts and stops gently.
    let ts: Vec<f32> = (0..KEYFRAMES)
        .map(|k| {
            let s = k as f32 / (KEYFRAMES - 1) as f32;
            s * s * (3.0 - 2.0 * s)
        })
        .collect();
    let frames: Vec<Sketch> = ts.iter().map(|&t| sketch(figure, t)).collect();
    let win = Window::around(&frames, figure.view);
    let (w, h) = win.panel();
    // There, hold, back, hold: indices into `frames` at equally spaced key times.
    let order: Vec<usize> =
        (0..KEYFRAMES).chain((0..KEYFRAMES).rev()).chain(std::iter::once(0)).collect();
    let key_times = (0..order.len())
        .map(|i| fmt3(i as f32 / (order.len() - 1) as f32))
        .collect::<Vec<_>>()
        .join(";");
    let first = &frames[0];
    html! {
        svg.figure-animated xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {w:.0} {h:.0}")) width="100%" role="img" {
            title { (title) ": the movement, repeating" }
            (floor(w, &win))
            @for (i, stroke) in first.strokes.iter().enumerate() {
                @let shapes: Vec<&Shape> = order.iter().map(|&k| frames[k].strokes.get(i).map_or(&stroke.shape, |s| &s.shape)).collect();
                @let opacities: Vec<f32> = order.iter().map(|&k| frames[k].strokes.get(i).map_or(stroke.opacity, |s| s.opacity)).collect();
                (draw(&win, &stroke.shape, stroke.ink, Some(Motion { shapes: &shapes, opacities: &opacities, key_times: &key_times })))
            }
        }
    }
}

/// The positions a stroke takes over the loop.
struct Motion<'a> {
    shapes: &'a [&'a Shape],
    opacities: &'a [f32],
    key_times: &'a str,
}

/// The part of the world a panel shows (metres): every position of the figure, and the
/// floor.
struct Window {
    x0: f32,
    x1: f32,
    y0: f32,
    y1: f32,
    floor: bool,
}

impl Window {
    fn around(sketches: &[Sketch], view: FigureView) -> Window {
        let floor = floor_is_a_line(view);
        let mut w = Window {
            x0: f32::INFINITY,
            x1: f32::NEG_INFINITY,
            y0: f32::INFINITY,
            y1: f32::NEG_INFINITY,
            floor,
        };
        let mut take = |p: P2, r: f32| {
            w.x0 = w.x0.min(p.x - r);
            w.x1 = w.x1.max(p.x + r);
            w.y0 = w.y0.min(p.y - r);
            w.y1 = w.y1.max(p.y + r);
        };
        for s in sketches {
            for stroke in s.strokes.iter().filter(|s| s.opacity > 0.0) {
                match &stroke.shape {
                    Shape::Line(ps) => ps.iter().for_each(|&p| take(p, 0.0)),
                    Shape::Circle { centre, r } => take(*centre, *r),
                }
            }
        }
        if floor {
            w.y0 = w.y0.min(0.0);
        }
        if !w.x0.is_finite() {
            w = Window { x0: -1.0, x1: 1.0, y0: 0.0, y1: 1.0, floor };
        }
        w
    }

    /// Panel width and height (SVG units).
    fn panel(&self) -> (f32, f32) {
        (
            ((self.x1 - self.x0) * SCALE + 2.0 * MARGIN).max(PANEL),
            (self.y1 - self.y0) * SCALE + 2.0 * MARGIN,
        )
    }

    /// A point in SVG units: centred across the panel, the window's top at the margin.
    fn at(&self, p: P2) -> (f32, f32) {
        let (w, _) = self.panel();
        let left = (w - (self.x1 - self.x0) * SCALE) / 2.0;
        (left + (p.x - self.x0) * SCALE, MARGIN + (self.y1 - p.y) * SCALE)
    }
}

fn fmt(v: f32) -> String {
    format!("{v:.1}")
}

fn fmt3(v: f32) -> String {
    format!("{v:.3}")
}

fn colour(ink: Ink) -> &'static str {
    match ink {
        Ink::Body => INK,
        Ink::Far => FAR,
        Ink::Prop => PROP,
    }
}

fn points(win: &Window, ps: &[P2]) -> String {
    ps.iter()
        .map(|&p| {
            let (x, y) = win.at(p);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The floor under a panel, across its width, where it is seen edge-on (otherwise the
/// figure's sketch has a mat).
fn floor(panel_w: f32, win: &Window) -> Markup {
    let (_, y) = win.at(P2 { x: 0.0, y: 0.0 });
    html! {
        @if win.floor {
            line x1="2" x2=(fmt(panel_w - 2.0)) y1=(fmt(y)) y2=(fmt(y)) stroke=(PROP) stroke-width=(STROKE) stroke-linecap="round" {}
        }
    }
}

fn draw(win: &Window, shape: &Shape, ink: Ink, motion: Option<Motion<'_>>) -> Markup {
    let stroke = colour(ink);
    let anim = |attr: &str, values: Vec<String>, key_times: &str| -> Markup {
        html! {
            @if values.iter().any(|v| *v != values[0]) {
                animate attributeName=(attr) values=(values.join(";")) keyTimes=(key_times) dur=(format!("{LOOP_S}s")) repeatCount="indefinite" {}
            }
        }
    };
    let fade = |m: &Motion<'_>| {
        anim("opacity", m.opacities.iter().map(|&o| fmt3(o)).collect(), m.key_times)
    };
    let first_opacity = motion.as_ref().map_or(1.0, |m| m.opacities[0]);
    match shape {
        Shape::Line(ps) => html! {
            polyline points=(points(win, ps)) fill="none" stroke=(stroke) stroke-width=(STROKE) stroke-linecap="round" stroke-linejoin="round" opacity=(fmt3(first_opacity)) {
                @if let Some(m) = &motion {
                    // Every position of one stroke is a line of as many points.
                    (anim("points", m.shapes.iter().map(|s| match s { Shape::Line(qs) => points(win, qs), Shape::Circle { .. } => points(win, ps) }).collect(), m.key_times))
                    (fade(m))
                }
            }
        },
        Shape::Circle { centre, r } => {
            let (cx, cy) = win.at(*centre);
            let coord = |m: &Motion<'_>, k: usize| -> Vec<String> {
                m.shapes
                    .iter()
                    .map(|s| match s {
                        Shape::Circle { centre, .. } => {
                            let p = win.at(*centre);
                            fmt(if k == 0 { p.0 } else { p.1 })
                        }
                        Shape::Line(_) => fmt(if k == 0 { cx } else { cy }),
                    })
                    .collect()
            };
            html! {
                circle cx=(fmt(cx)) cy=(fmt(cy)) r=(fmt(r * SCALE)) fill="#fff" stroke=(stroke) stroke-width=(STROKE) opacity=(fmt3(first_opacity)) {
                    @if let Some(m) = &motion {
                        (anim("cx", coord(m, 0), m.key_times))
                        (anim("cy", coord(m, 1), m.key_times))
                        (fade(m))
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use physio_motion::figure::{Base, FigureView, Pose};

    fn raise() -> Figure {
        let mut end = Pose::new(Base::Standing);
        end.left_arm.elevation = 150.0;
        end.left_arm.plane = 90.0;
        Figure { view: FigureView::Side, start: Pose::new(Base::Standing), end }
    }

    #[test]
    fn still_shows_both_positions_labelled() {
        let svg = still(&raise(), "Arm <raise>").into_string();
        assert!(svg.starts_with("<svg class=\"figure-still\""));
        assert!(svg.contains("role=\"img\"") && svg.contains("<title>Arm &lt;raise&gt;"));
        assert!(svg.contains(">Start</text>") && svg.contains(">End</text>"));
        assert_eq!(svg.matches("<circle").count(), 2, "one head per position");
        assert!(!svg.contains("<animate"));
    }

    #[test]
    fn animated_moves_the_arm_and_nothing_else_jumps() {
        let svg = animated(&raise(), "Arm raise").into_string();
        assert!(svg.starts_with("<svg class=\"figure-animated\""));
        assert_eq!(svg.matches("<circle").count(), 1);
        // The raised arm moves; the legs and head stay where they are.
        assert_eq!(svg.matches("attributeName=\"points\"").count(), 1, "{svg}");
        assert!(FIGURE_CSS.contains("prefers-reduced-motion: reduce"));
    }

    #[test]
    fn every_built_in_figure_is_drawn_at_the_same_scale() {
        let figures: std::collections::BTreeMap<String, Figure> =
            serde_json::from_str(include_str!("../../../clinic/library/figures.json"))
                .expect("figures.json parses");
        for (id, figure) in &figures {
            let frames: Vec<Sketch> = (0..=8).map(|k| sketch(figure, k as f32 / 8.0)).collect();
            let (w, _) = Window::around(&frames, figure.view).panel();
            assert_eq!(w, PANEL, "{id} is too wide for the standard panel");
        }
    }

    /// Writes every built-in figure to `$FIGURE_GALLERY/gallery.html` when that variable names
    /// a directory (for looking at them in a browser); does nothing otherwise.
    #[test]
    fn gallery() {
        let Some(dir) = std::env::var_os("FIGURE_GALLERY") else { return };
        let figures: std::collections::BTreeMap<String, Figure> =
            serde_json::from_str(include_str!("../../../clinic/library/figures.json"))
                .expect("figures.json parses");
        let page = html! {
            (maud::DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    title { "Exercise figures" }
                    style { (maud::PreEscaped(FIGURE_CSS)) "body{font-family:system-ui;margin:1rem} section{border-top:1px solid #ccc;padding:.5rem 0} .pair{display:grid;grid-template-columns:2fr 1fr;gap:1rem;align-items:end}" }
                }
                body {
                    @for (id, figure) in &figures {
                        section id=(id) {
                            h2 { (id) }
                            div.pair { (still(figure, id)) (animated(figure, id)) }
                        }
                    }
                }
            }
        };
        let path = std::path::Path::new(&dir).join("gallery.html");
        std::fs::write(&path, page.into_string()).expect("gallery written");
        // The numbers behind each position, for tuning a pose: heights of the points that
        // should touch the floor, and the channels the tracker reads.
        use physio_motion::kinematics::{Channel as C, angles};
        use physio_motion::skeleton::Joint as J;
        let mut text = String::new();
        for (id, figure) in &figures {
            for (name, pose) in [("start", &figure.start), ("end", &figure.end)] {
                let f = physio_motion::figure::pose_frame(pose);
                let y = |j: J| f.get(j).p.y;
                let a = angles(&f);
                let c = |c: C| a.get(c).map_or("-".to_owned(), |v| format!("{v:.0}"));
                text.push_str(&format!(
                    "{id:22} {name:5} toe {:.2}/{:.2} ankle {:.2}/{:.2} wrist {:.2}/{:.2} elbow {:.2}/{:.2} knee {:.2}/{:.2} pelvis {:.2} neck {:.2} nose {:.2} | trunk {} side {} rot {} hip {}/{} knee {}/{} sh-elev {}/{} sh-flex {}/{} spine {} head-fwd {}\n",
                    y(J::LeftFoot), y(J::RightFoot), y(J::LeftAnkle), y(J::RightAnkle), y(J::LeftWrist), y(J::RightWrist), y(J::LeftElbow), y(J::RightElbow), y(J::LeftKnee), y(J::RightKnee), y(J::Pelvis), y(J::Neck), y(J::Head),
                    c(C::TrunkFlexion), c(C::TrunkSideLean), c(C::ThoracicRotation), c(C::HipFlexionLeft), c(C::HipFlexionRight), c(C::KneeFlexionLeft), c(C::KneeFlexionRight), c(C::ShoulderElevationLeft), c(C::ShoulderElevationRight), c(C::ShoulderFlexionLeft), c(C::ShoulderFlexionRight), c(C::SpineFlexion), c(C::HeadForward),
                ));
            }
        }
        for (id, figure) in &figures {
            let win = Window::around(&[sketch(figure, 0.0), sketch(figure, 1.0)], figure.view);
            text.push_str(&format!(
                "{id:22} width {:.2} m height {:.2} m\n",
                win.x1 - win.x0,
                win.y1 - win.y0
            ));
        }
        std::fs::write(std::path::Path::new(&dir).join("gallery.txt"), text)
            .expect("numbers written");
    }
}
