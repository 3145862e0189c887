//! A figure as 2-D strokes in metres, ready to draw: limbs as polylines, the head as a
//! circle with a short nose (so the way the face points reads in every view), the props, the
//! outlines of belly and ribs, and marks on working regions. Drawing style (stroke width,
//! colours) is the renderer's; which limb is on the far side is decided here, once per
//! figure, so it does not change while the figure moves.

use crate::figure::body::{Body, HEAD_R, TRUNK_R};
use crate::figure::{
    Base, Figure, FigureView, Pose, Prop, Region, depth, floor_is_a_line, to_screen, toward_viewer,
};
use crate::geom::V3;
use crate::skeleton::Joint;

/// A point in the picture: x to the right, y up, in metres.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct P2 {
    /// To the right.
    pub x: f32,
    /// Up.
    pub y: f32,
}

/// How a stroke is inked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ink {
    /// The body, and the limbs on the viewer's side.
    Body,
    /// A limb on the far side of the body: drawn lighter so left and right read apart.
    Far,
    /// An object (chair, wall, band).
    Prop,
}

/// What a stroke draws.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// An open line through the points.
    Line(Vec<P2>),
    /// A circle, filled with the background so what is behind it is hidden.
    Circle {
        /// Its centre.
        centre: P2,
        /// Its radius (m).
        r: f32,
    },
}

/// One stroke of the drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct Stroke {
    /// Its ink.
    pub ink: Ink,
    /// Its shape.
    pub shape: Shape,
    /// 1 drawn, 0 not (a mark shown in one position only fades between them).
    pub opacity: f32,
}

/// A figure at one moment of its movement.
#[derive(Clone, Debug, PartialEq)]
pub struct Sketch {
    /// Strokes in drawing order, back to front. The floor (y = 0; not seen from above) is
    /// not among them: it is as wide as the picture, which the renderer decides.
    pub strokes: Vec<Stroke>,
}

/// Objects that stand still while the body moves, in drawing order.
const STILL_PROPS: [Prop; 5] =
    [Prop::Wall, Prop::Chair, Prop::ChairToHold, Prop::Step, Prop::TowelRoll];
const REGIONS: [Region; 5] = [
    Region::Buttocks,
    Region::Belly,
    Region::LeftThigh,
    Region::RightThigh,
    Region::ShoulderBlades,
];

pub(crate) fn draw(fig: &Figure, t: f32) -> Sketch {
    let (a, b) = (&fig.start, &fig.end);
    let first = Body::blend(a, a, 0.0);
    let last = Body::blend(b, b, 0.0);
    let now = Body::blend(a, b, t);
    let view = fig.view;
    let mut out = Vec::new();
    let pt = |p: V3| to_screen(p, view);
    let line = |ink: Ink, ps: &[V3]| Stroke {
        ink,
        shape: Shape::Line(ps.iter().map(|&p| pt(p)).collect()),
        opacity: 1.0,
    };

    // Seen from above, the floor is a mat under the body in both positions.
    if !floor_is_a_line(view) {
        out.push(Stroke {
            ink: Ink::Prop,
            shape: seen(&mat(&[&first, &last]), view),
            opacity: 1.0,
        });
    }
    // Objects that stay put: placed by the start position (the end position's when only it
    // has them), so they do not move while the body does.
    for prop in STILL_PROPS {
        let (in_a, in_b) = (a.props.contains(&prop), b.props.contains(&prop));
        let shapes = match (in_a, in_b) {
            (false, false) => continue,
            (true, _) => still_prop(prop, &first, a, &[&first, &last]),
            (false, true) => still_prop(prop, &last, b, &[&first, &last]),
        };
        let shown = presence(in_a, in_b, t);
        out.extend(shapes.iter().map(|s| Stroke {
            ink: Ink::Prop,
            shape: seen(s, view),
            opacity: shown,
        }));
    }
    let (band_a, band_b) = (a.props.contains(&Prop::Band), b.props.contains(&Prop::Band));
    if band_a || band_b {
        let shown = presence(band_a, band_b, t);
        // Tied to a post ahead of the feet at chest height: it stays put while the hands pull.
        let h = heading(&first);
        let post = h.scale(1.25);
        let anchor = post.sub(h.scale(0.04)).add(V3::new(0.0, 1.25, 0.0));
        for s in [
            line(Ink::Prop, &[post, post.add(V3::new(0.0, 2.0, 0.0))]),
            line(Ink::Prop, &[now.hands[0], anchor]),
            line(Ink::Prop, &[now.hands[1], anchor]),
        ] {
            out.push(Stroke { opacity: shown, ..s });
        }
    }

    // Which limbs are on the far side: judged by where they join the trunk (shoulders, hips)
    // over both end poses, so a limb that swings toward the viewer or away keeps its ink.
    let d = |k: Joint| depth(first.at(k), view) + depth(last.at(k), view);
    let far = |l: Joint, r: Joint| {
        let diff = d(l) - d(r);
        if diff > 0.1 {
            (Ink::Body, Ink::Far)
        } else if diff < -0.1 {
            (Ink::Far, Ink::Body)
        } else {
            (Ink::Body, Ink::Body)
        }
    };
    use Joint as J;
    let (left_arm, right_arm) = far(J::LeftShoulder, J::RightShoulder);
    let (left_leg, right_leg) = far(J::LeftHip, J::RightHip);
    let arm = |ink: Ink, k: usize| {
        let [s, e, w] = if k == 0 {
            [J::LeftShoulder, J::LeftElbow, J::LeftWrist]
        } else {
            [J::RightShoulder, J::RightElbow, J::RightWrist]
        };
        line(ink, &[now.at(s), now.at(e), now.at(w), now.hands[k]])
    };
    let leg = |ink: Ink, k: usize| {
        let [h, kn, an, toe] = if k == 0 {
            [J::LeftHip, J::LeftKnee, J::LeftAnkle, J::LeftFoot]
        } else {
            [J::RightHip, J::RightKnee, J::RightAnkle, J::RightFoot]
        };
        line(ink, &[now.at(h), now.at(kn), now.at(an), now.heels[k], now.at(toe)])
    };
    let limbs = [
        (right_leg, leg(right_leg, 1)),
        (left_leg, leg(left_leg, 0)),
        (right_arm, arm(right_arm, 1)),
        (left_arm, arm(left_arm, 0)),
    ];
    out.extend(limbs.iter().filter(|(ink, _)| *ink == Ink::Far).map(|(_, s)| s.clone()));

    // The trunk: hip line, spine, shoulder line.
    out.push(line(Ink::Body, &[now.at(J::LeftHip), now.at(J::Pelvis), now.at(J::RightHip)]));
    out.push(line(Ink::Body, &[now.at(J::Pelvis), now.at(J::MidSpine), now.at(J::Neck)]));
    out.push(line(
        Ink::Body,
        &[now.at(J::LeftShoulder), now.at(J::Neck), now.at(J::RightShoulder)],
    ));
    out.extend(outlines(a, b, &now, t, view));

    // Neck to the edge of the head, the head, and the nose.
    let (neck, head) = (pt(now.at(J::Neck)), pt(now.head));
    let (dx, dy) = (head.x - neck.x, head.y - neck.y);
    let len = dx.hypot(dy);
    let edge = if len > HEAD_R {
        P2 { x: head.x - dx / len * HEAD_R, y: head.y - dy / len * HEAD_R }
    } else {
        neck
    };
    out.push(Stroke { ink: Ink::Body, shape: Shape::Line(vec![neck, edge]), opacity: 1.0 });
    out.push(Stroke {
        ink: Ink::Body,
        shape: Shape::Circle { centre: head, r: HEAD_R },
        opacity: 1.0,
    });
    out.push(line(
        Ink::Body,
        &[now.head.add(now.face.scale(0.75 * HEAD_R)), now.head.add(now.face.scale(1.3 * HEAD_R))],
    ));

    out.extend(limbs.iter().filter(|(ink, _)| *ink == Ink::Body).map(|(_, s)| s.clone()));
    out.extend(marks(a, b, &now, t, view));
    Sketch { strokes: out }
}

fn mix(a: f32, b: f32, t: f32) -> f32 {
    a + (b - a) * t
}

/// The opacity of something drawn in the start pose (`a`), the end pose (`b`) or both: what
/// only one pose has fades in or out over the movement.
fn presence(a: bool, b: bool, t: f32) -> f32 {
    mix(f32::from(u8::from(a)), f32::from(u8::from(b)), t)
}

/// Where the pelvis faces, level (standing), or toward the head (lying): the direction
/// objects around the body are set out along.
fn heading(body: &Body) -> V3 {
    let level = |v: V3| V3::new(v.x, 0.0, v.z);
    let f = level(body.pelvis.apply(V3::new(0.0, 0.0, 1.0)));
    if f.norm() > 0.5 {
        f.unit().unwrap_or(V3::new(0.0, 0.0, 1.0))
    } else {
        level(body.pelvis.apply(V3::UP)).unit().unwrap_or(V3::new(0.0, 0.0, 1.0))
    }
}

/// A shape in the world, before it is seen from a view.
#[derive(Clone, Debug)]
enum Shape3 {
    /// A line through the points.
    Line(Vec<V3>),
    /// A rolled towel: a cylinder of radius `r` along `axis`.
    Roll { centre: V3, axis: V3, r: f32 },
}

fn seen(s: &Shape3, view: FigureView) -> Shape {
    match s {
        Shape3::Line(ps) => Shape::Line(ps.iter().map(|&p| to_screen(p, view)).collect()),
        Shape3::Roll { centre, axis, r } => {
            let toward = toward_viewer(view);
            if axis.dot(toward).abs() > 0.7 {
                // Seen end-on, a roll is a circle.
                Shape::Circle { centre: to_screen(*centre, view), r: *r }
            } else {
                let across = axis.cross(toward).unit().unwrap_or(V3::UP).scale(*r);
                let along = axis.scale(0.3);
                let c = *centre;
                let corners = [
                    c.add(along).add(across),
                    c.sub(along).add(across),
                    c.sub(along).sub(across),
                    c.add(along).sub(across),
                    c.add(along).add(across),
                ];
                Shape::Line(corners.iter().map(|&p| to_screen(p, view)).collect())
            }
        }
    }
}

/// An object that stays put, as shapes, for the body `body` of pose `pose`; `all` are the
/// bodies of both end positions (a wall touches the back that reaches furthest back).
fn still_prop(prop: Prop, body: &Body, pose: &Pose, all: &[&Body]) -> Vec<Shape3> {
    let h = heading(body);
    // The body's left, level.
    let side = V3::UP.cross(h);
    let at = |p: V3, y: f32| V3::new(p.x, y, p.z);
    match prop {
        Prop::Chair if pose.base == Base::Sitting => {
            let hips = body.at(Joint::LeftHip).mid(body.at(Joint::RightHip));
            chair(at(hips, 0.0).add(h.scale(0.14)), h, side, hips.y - TRUNK_R, 0.42)
        }
        // Standing: where the seat would be with the knees at a right angle over the feet.
        Prop::Chair => chair(h.scale(-0.29), h, side, 0.43, 0.42),
        Prop::ChairToHold => {
            // Beside the right hand, facing the way the person does, its backrest up to it.
            let hand = body.hands[1];
            let rail = at(hand, 0.0).sub(h.scale(0.02));
            chair(rail.add(h.scale(0.42)), h, side, 0.45, (hand.y - 0.03 - 0.45).max(0.2))
        }
        Prop::Wall => {
            let back = |b: &Body| {
                [
                    Joint::Pelvis,
                    Joint::MidSpine,
                    Joint::Neck,
                    Joint::LeftShoulder,
                    Joint::RightShoulder,
                ]
                .iter()
                .map(|&k| b.at(k).dot(h) - TRUNK_R)
                .chain([b.head.dot(h) - HEAD_R])
                .fold(f32::INFINITY, f32::min)
            };
            let o = h.scale(all.iter().map(|b| back(b)).fold(f32::INFINITY, f32::min));
            let (l, r) = (o.add(side.scale(0.9)), o.sub(side.scale(0.9)));
            vec![Shape3::Line(vec![l, at(l, 2.1), at(r, 2.1), r])]
        }
        Prop::TowelRoll => {
            let mid = body.at(Joint::MidSpine);
            let r = ((mid.y - TRUNK_R) / 2.0).clamp(0.03, 0.08);
            let axis = body.pelvis.apply(V3::new(1.0, 0.0, 0.0));
            vec![Shape3::Roll { centre: at(mid, r), axis, r }]
        }
        Prop::Step => {
            let (heel, toe) = (body.heels[0], body.at(Joint::LeftFoot));
            let top = heel.y.min(toe.y).max(0.0);
            let (back, front) = (heel.sub(h.scale(0.06)), toe.add(h.scale(0.1)));
            let (outer_b, outer_f, inner_f) =
                (back.add(side.scale(0.2)), front.add(side.scale(0.2)), front.sub(side.scale(0.2)));
            vec![
                Shape3::Line(vec![
                    at(outer_b, 0.0),
                    at(outer_b, top),
                    at(outer_f, top),
                    at(outer_f, 0.0),
                ]),
                Shape3::Line(vec![
                    at(outer_f, 0.0),
                    at(outer_f, top),
                    at(inner_f, top),
                    at(inner_f, 0.0),
                ]),
            ]
        }
        Prop::Band => Vec::new(),
    }
}

/// A mat on the floor under every point of the bodies, with a margin.
fn mat(bodies: &[&Body]) -> Shape3 {
    let (mut x0, mut x1, mut z0, mut z1) =
        (f32::INFINITY, f32::NEG_INFINITY, f32::INFINITY, f32::NEG_INFINITY);
    for b in bodies {
        for p in b.j.iter().chain(&b.hands).chain(&b.heels) {
            (x0, x1, z0, z1) = (x0.min(p.x), x1.max(p.x), z0.min(p.z), z1.max(p.z));
        }
        (x0, x1, z0, z1) = (
            x0.min(b.head.x - HEAD_R),
            x1.max(b.head.x + HEAD_R),
            z0.min(b.head.z - HEAD_R),
            z1.max(b.head.z + HEAD_R),
        );
    }
    let m = 0.12;
    let (x0, x1, z0, z1) = (x0 - m, x1 + m, z0 - m, z1 + m);
    Shape3::Line(vec![
        V3::new(x0, 0.0, z0),
        V3::new(x1, 0.0, z0),
        V3::new(x1, 0.0, z1),
        V3::new(x0, 0.0, z1),
        V3::new(x0, 0.0, z0),
    ])
}

/// A chair whose seat's front edge is at `front` (on the floor), facing `h`: seat at height
/// `seat`, backrest `back` above it; four legs, the seat, the backrest's posts and rail.
fn chair(front: V3, h: V3, side: V3, seat: f32, back: f32) -> Vec<Shape3> {
    let w = side.scale(0.22);
    let rear = front.sub(h.scale(0.42));
    let at = |p: V3, y: f32| V3::new(p.x, y, p.z);
    let top = seat + back;
    vec![
        Shape3::Line(vec![
            at(front.add(w), seat),
            at(front.sub(w), seat),
            at(rear.sub(w), seat),
            at(rear.add(w), seat),
            at(front.add(w), seat),
        ]),
        Shape3::Line(vec![at(front.add(w), 0.0), at(front.add(w), seat)]),
        Shape3::Line(vec![at(front.sub(w), 0.0), at(front.sub(w), seat)]),
        Shape3::Line(vec![at(rear.add(w), 0.0), at(rear.add(w), top)]),
        Shape3::Line(vec![at(rear.sub(w), 0.0), at(rear.sub(w), top)]),
        Shape3::Line(vec![at(rear.add(w), top), at(rear.sub(w), top)]),
    ]
}

/// A point `u` of the way up the spine (0 the pelvis, 0.5 mid-spine, 1 the neck), and the
/// trunk's front and left there.
fn along_spine(b: &Body, u: f32) -> (V3, V3, V3) {
    let (p, m, n) = (b.at(Joint::Pelvis), b.at(Joint::MidSpine), b.at(Joint::Neck));
    let at =
        if u < 0.5 { p.add(m.sub(p).scale(u * 2.0)) } else { m.add(n.sub(m).scale(u * 2.0 - 1.0)) };
    let k = u.clamp(0.0, 1.0);
    let axis = |v: V3| b.pelvis.apply(v).scale(1.0 - k).add(b.thorax.apply(v).scale(k));
    (at, axis(V3::new(0.0, 0.0, 1.0)), axis(V3::new(1.0, 0.0, 0.0)))
}

/// Belly and rib outlines, when either end pose draws them: a bulge in front of the low
/// trunk, and brackets either side of the lower ribs.
fn outlines(a: &Pose, b: &Pose, now: &Body, t: f32, view: FigureView) -> Vec<Stroke> {
    let mut out = Vec::new();
    let shown = |x: Option<f32>, y: Option<f32>| {
        (x.is_some() || y.is_some()).then(|| {
            (
                mix(x.unwrap_or(0.0), y.unwrap_or(0.0), t) / 100.0,
                presence(x.is_some(), y.is_some(), t),
            )
        })
    };
    const N: usize = 8;
    if let Some((rise, opacity)) = shown(a.belly, b.belly) {
        let ps = (0..=N)
            .map(|i| {
                let s = i as f32 / N as f32;
                let (at, front, _) = along_spine(now, 0.05 + 0.6 * s);
                let bulge = (std::f32::consts::PI * s).sin();
                to_screen(at.add(front.scale(0.07 + (0.04 + rise) * bulge)), view)
            })
            .collect();
        out.push(Stroke { ink: Ink::Body, shape: Shape::Line(ps), opacity });
    }
    if let Some((wide, opacity)) = shown(a.ribs, b.ribs) {
        for side in [1.0, -1.0] {
            let ps = (0..=N)
                .map(|i| {
                    let s = i as f32 / N as f32;
                    let (at, _, left) = along_spine(now, 0.45 + 0.4 * s);
                    let bulge = (std::f32::consts::PI * s).sin();
                    to_screen(at.add(left.scale(side * (0.09 + (0.05 + wide) * bulge))), view)
                })
                .collect();
            out.push(Stroke { ink: Ink::Body, shape: Shape::Line(ps), opacity });
        }
    }
    out
}

/// Marks on the regions either end pose marks as working: three short strokes fanning out
/// from the region, faded in where only one pose marks it.
fn marks(a: &Pose, b: &Pose, now: &Body, t: f32, view: FigureView) -> Vec<Stroke> {
    let mut out = Vec::new();
    for region in REGIONS {
        let (in_a, in_b) = (a.tense.contains(&region), b.tense.contains(&region));
        if !in_a && !in_b {
            continue;
        }
        let opacity = presence(in_a, in_b, t);
        let thigh = |k: usize, hip: Joint, knee: Joint| {
            (now.at(hip).mid(now.at(knee)), now.thighs[k].apply(V3::new(0.0, 0.0, 1.0)), 0.05)
        };
        // Where the region is inside the body, which way its surface faces, and how deep.
        let (inside, out_dir, deep) = match region {
            Region::Buttocks => {
                let (at, front, _) = along_spine(now, 0.0);
                (at, front.scale(-1.0), 0.1)
            }
            Region::Belly => {
                let (at, front, _) = along_spine(now, 0.3);
                (at, front, 0.12)
            }
            Region::LeftThigh => thigh(0, Joint::LeftHip, Joint::LeftKnee),
            Region::RightThigh => thigh(1, Joint::RightHip, Joint::RightKnee),
            Region::ShoulderBlades => {
                let (at, front, _) = along_spine(now, 0.8);
                (at, front.scale(-1.0), 0.1)
            }
        };
        let c = to_screen(inside, view);
        let o = to_screen(inside.add(out_dir), view);
        let (mut dx, mut dy) = (o.x - c.x, o.y - c.y);
        let n = dx.hypot(dy);
        if n < 0.3 {
            // Facing the viewer: fan out upward instead.
            (dx, dy) = (0.0, 1.0);
        } else {
            (dx, dy) = (dx / n, dy / n);
        }
        if view != FigureView::Above && c.y + dy * (deep + 0.08) < 0.0 {
            // Into the floor (the buttocks lying down): fan out on the other side instead.
            dy = -dy;
        }
        let c = P2 { x: c.x + dx * deep, y: c.y + dy * deep };
        for deg in [-35.0f32, 0.0, 35.0] {
            let (s, k) = deg.to_radians().sin_cos();
            let (ux, uy) = (dx * k - dy * s, dx * s + dy * k);
            let p = |r: f32| P2 { x: c.x + ux * r, y: c.y + uy * r };
            out.push(Stroke { ink: Ink::Body, shape: Shape::Line(vec![p(0.0), p(0.09)]), opacity });
        }
    }
    out
}
