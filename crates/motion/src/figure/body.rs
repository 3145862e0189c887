//! Forward kinematics of a figure: joint angles to joint positions, then the body laid on its
//! base (the lowest point on the floor) and centred over what supports it.
//!
//! Proportions are fixed, those of an adult 1.75 m tall, as fractions of height after Drillis
//! and Contini (the table in Winter, *Biomechanics and Motor Control of Human Movement*): every
//! figure has the same body, so figures side by side compare. Joints are chained from the
//! pelvis: the trunk (low back, upper back) to the neck, shoulders and head; the legs from the
//! hips. The body is built upright facing +z with the left toward +x, then turned by its base.

use crate::figure::rotation::Rot;
use crate::figure::{Arm, Base, Leg, Pose};
use crate::geom::V3;
use crate::skeleton::{Frame, JOINT_COUNT, Joint};

/// Body height (m); every length below is a fraction of it.
const H: f32 = 1.75;
/// Hip joint centres either side of the pelvis centre.
const HIP_HALF: f32 = 0.05 * H;
/// Hip to knee.
const THIGH: f32 = 0.245 * H;
/// Knee to ankle.
const SHANK: f32 = 0.246 * H;
/// Ankle above the sole.
const ANKLE_HEIGHT: f32 = 0.039 * H;
/// Ankle to the tip of the toes, along the sole.
const TOES: f32 = 0.11 * H;
/// Ankle to the back of the heel, along the sole: drawn nearly under the ankle, so a leg
/// reads as one line down to the floor and the foot as a stroke forward from it.
const HEEL: f32 = 0.01 * H;
/// Pelvis centre to mid-spine, and mid-spine to the base of the neck: hip (0.530 H) to neck
/// (0.830 H), halved.
const LUMBAR: f32 = 0.15 * H;
const THORACIC: f32 = 0.15 * H;
/// Shoulder joints below the base of the neck, and either side of it.
const SHOULDER_DROP: f32 = 0.02 * H;
const SHOULDER_HALF: f32 = 0.10 * H;
/// Shoulder to elbow, elbow to wrist, wrist to the middle of the hand.
const UPPER_ARM: f32 = 0.186 * H;
const FOREARM: f32 = 0.146 * H;
const HAND: f32 = 0.05 * H;
/// Base of the neck to the head's centre, the head's radius as drawn, and the ears and nose
/// from the centre (the top of the head comes to 0.995 H).
const NECK_TO_HEAD: f32 = 0.108 * H;
pub(crate) const HEAD_R: f32 = 0.057 * H;
const EAR: f32 = 0.043 * H;
const NOSE: f32 = 0.057 * H;
/// Half the thickness of the trunk and of the limbs at a joint: lying down, the spine and the
/// hips rest this far above the floor.
pub(crate) const TRUNK_R: f32 = 0.04 * H;
const LIMB_R: f32 = 0.017 * H;
const KNEE_R: f32 = 0.028 * H;

const DOWN: V3 = V3::new(0.0, -1.0, 0.0);
const FWD: V3 = V3::new(0.0, 0.0, 1.0);

/// A posed body in world coordinates (see `crate::figure::pose_frame`).
#[derive(Clone, Debug)]
pub(crate) struct Body {
    /// Joint positions by `Joint::index`.
    pub(crate) j: [V3; JOINT_COUNT],
    /// Centre of the head circle (radius `HEAD_R`).
    pub(crate) head: V3,
    /// Where the face points.
    pub(crate) face: V3,
    /// Middle of each hand, left then right.
    pub(crate) hands: [V3; 2],
    /// Back of each heel, left then right.
    pub(crate) heels: [V3; 2],
    /// Orientation of the pelvis (and the legs' parent) in the world.
    pub(crate) pelvis: Rot,
    /// Orientation of the upper trunk in the world.
    pub(crate) thorax: Rot,
    /// Orientation of each thigh (its front is the knee's front).
    pub(crate) thighs: [Rot; 2],
}

/// The pose's numbers a fraction `t` of the way from `a` to `b`.
fn mix(a: f32, b: f32, t: f32) -> f32 {
    a + (b - a) * t
}

fn mix_arm(a: Arm, b: Arm, t: f32) -> Arm {
    Arm {
        elevation: mix(a.elevation, b.elevation, t),
        plane: mix(a.plane, b.plane, t),
        rotation: mix(a.rotation, b.rotation, t),
        elbow: mix(a.elbow, b.elbow, t),
    }
}

fn mix_leg(a: Leg, b: Leg, t: f32) -> Leg {
    Leg {
        flexion: mix(a.flexion, b.flexion, t),
        abduction: mix(a.abduction, b.abduction, t),
        knee: mix(a.knee, b.knee, t),
        // The foot is mixed as a direction (`foot`), since an absent angle is a rule.
        ankle: None,
    }
}

/// How the base turns the upright body into the world.
fn base_rotation(base: Base) -> Rot {
    match base {
        Base::Standing | Base::Sitting => Rot::ID,
        // Face up, the head toward −z (the right of the side view).
        Base::Supine => Rot::x(-90.0),
        // Face down, the head toward +z: the left side still faces the side view.
        Base::Prone | Base::FourPoint => Rot::x(90.0),
        // As on the back, then rolled onto the left side: facing +x, the side view's camera.
        Base::SideLying => Rot::z(-90.0).then(Rot::x(-90.0)),
    }
}

fn smoothstep(lo: f32, hi: f32, v: f32) -> f32 {
    let x = ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
    x * x * (3.0 - 2.0 * x)
}

/// The usual foot of a base: how much it lies flat on the floor, and otherwise its ankle angle.
fn usual_foot(base: Base, knee: f32) -> (f32, f32) {
    match base {
        Base::Standing | Base::Sitting => (1.0, 0.0),
        // Knees bent on the back, the feet are flat on the floor; legs straight, upright.
        Base::Supine => (smoothstep(20.0, 50.0, knee), 0.0),
        // The shin on the floor: the foot lies pointed behind it.
        Base::Prone | Base::FourPoint => (0.0, -70.0),
        Base::SideLying => (0.0, 0.0),
    }
}

/// How far the body extends below a joint: lying, the spine rests a trunk's half-thickness
/// above the floor; standing, the feet (soles) are on it.
fn contact_radius(j: Joint) -> f32 {
    use Joint as J;
    match j {
        J::Pelvis | J::MidSpine | J::Neck => TRUNK_R,
        // Already on the back of the neck.
        J::C7 => 0.0,
        J::LeftShoulder | J::RightShoulder | J::LeftHip | J::RightHip => TRUNK_R,
        J::LeftElbow | J::RightElbow => LIMB_R,
        // Kneeling, the weight is on the shin just below the knee.
        J::LeftKnee | J::RightKnee => KNEE_R,
        J::LeftWrist | J::RightWrist | J::LeftAnkle | J::RightAnkle => LIMB_R,
        J::Head | J::LeftEar | J::RightEar | J::LeftFoot | J::RightFoot => 0.0,
    }
}

impl Body {
    /// The body a fraction `t` of the way from pose `a` to pose `b`: angles interpolated, the
    /// base's orientation turned along the shortest way, then laid on the floor.
    pub(crate) fn blend(a: &Pose, b: &Pose, t: f32) -> Body {
        let m = |f: fn(&Pose) -> f32| mix(f(a), f(b), t);
        let root = Rot::slerp(base_rotation(a.base), base_rotation(b.base), t)
            .then(Rot::x(m(|p| p.lean)))
            .then(Rot::z(m(|p| p.side_lean)));
        let mut j = [V3::default(); JOINT_COUNT];
        let set = |j: &mut [V3; JOINT_COUNT], k: Joint, p: V3| j[k.index()] = p;

        // Trunk: all of the bend at the low back, so that `trunk_flexion` and
        // `trunk_side_bend` are the directions of the pelvis → neck line the kinematics
        // measures; the curve bends the upper back against the lower by its full amount;
        // rotation is shared, mostly in the upper back as in the body.
        let (flex, curve, rot) =
            (m(|p| p.trunk_flexion), m(|p| p.spine_curve), m(|p| p.trunk_rotation));
        let pelvis = V3::default();
        let lumbar = root
            .then(Rot::x(flex - curve / 2.0))
            .then(Rot::z(m(|p| p.trunk_side_bend)))
            .then(Rot::y(0.3 * rot));
        let mid = pelvis.add(lumbar.apply(V3::UP).scale(LUMBAR));
        let thorax = lumbar.then(Rot::x(curve)).then(Rot::y(0.7 * rot));
        let neck = mid.add(thorax.apply(V3::UP).scale(THORACIC));
        set(&mut j, Joint::Pelvis, pelvis);
        set(&mut j, Joint::MidSpine, mid);
        set(&mut j, Joint::Neck, neck);
        set(&mut j, Joint::C7, neck.add(thorax.apply(V3::new(0.0, 0.0, -0.06))));

        // Head: the neck bends at its base; the glide moves the head along the upper trunk's
        // front without turning it; the nod turns the face about the ear line, so a nod does
        // not move the ears (the kinematics' head-forward channel) and a glide does not pitch
        // the face (its head-pitch channel).
        let neck_rot = thorax
            .then(Rot::x(m(|p| p.neck_flexion)))
            .then(Rot::z(m(|p| p.head_tilt)))
            .then(Rot::y(m(|p| p.head_turn)));
        let glide = thorax.apply(FWD).scale(m(|p| p.chin_glide) / 100.0);
        let head = neck.add(neck_rot.apply(V3::UP).scale(NECK_TO_HEAD)).add(glide);
        let face_rot = neck_rot.then(Rot::x(m(|p| p.head_nod)));
        set(&mut j, Joint::Head, head.add(face_rot.apply(V3::new(0.0, -0.03, NOSE))));
        set(&mut j, Joint::LeftEar, head.add(face_rot.apply(V3::new(EAR, 0.0, 0.0))));
        set(&mut j, Joint::RightEar, head.add(face_rot.apply(V3::new(-EAR, 0.0, 0.0))));

        // Arms hang from the shoulders in the upper trunk's frame.
        let back = m(|p| p.shoulders_back) / 100.0;
        let mut hands = [V3::default(); 2];
        let arms = [
            (
                1.0,
                mix_arm(a.left_arm, b.left_arm, t),
                [Joint::LeftShoulder, Joint::LeftElbow, Joint::LeftWrist],
            ),
            (
                -1.0,
                mix_arm(a.right_arm, b.right_arm, t),
                [Joint::RightShoulder, Joint::RightElbow, Joint::RightWrist],
            ),
        ];
        for (k, (side, arm, [sj, ej, wj])) in arms.into_iter().enumerate() {
            let shoulder =
                neck.add(thorax.apply(V3::new(side * SHOULDER_HALF, -SHOULDER_DROP, -back)));
            let (upper, fore) = arm_directions(arm, side);
            let elbow = shoulder.add(thorax.apply(upper).scale(UPPER_ARM));
            let wrist = elbow.add(thorax.apply(fore).scale(FOREARM));
            set(&mut j, sj, shoulder);
            set(&mut j, ej, elbow);
            set(&mut j, wj, wrist);
            hands[k] =
                wrist.add(hand_direction(thorax.apply(fore), root, a.base, b.base, t).scale(HAND));
        }

        // Legs hang from the hips in the pelvis's frame.
        let mut heels = [V3::default(); 2];
        let mut thighs = [Rot::ID; 2];
        let legs = [
            (
                1.0,
                a.left_leg,
                b.left_leg,
                [Joint::LeftHip, Joint::LeftKnee, Joint::LeftAnkle, Joint::LeftFoot],
            ),
            (
                -1.0,
                a.right_leg,
                b.right_leg,
                [Joint::RightHip, Joint::RightKnee, Joint::RightAnkle, Joint::RightFoot],
            ),
        ];
        for (k, (side, la, lb, [hj, kj, aj, fj])) in legs.into_iter().enumerate() {
            let leg = mix_leg(la, lb, t);
            let hip = pelvis.add(root.apply(V3::new(side * HIP_HALF, 0.0, 0.0)));
            let thigh = root.then(Rot::z(side * leg.abduction)).then(Rot::x(-leg.flexion));
            let knee = hip.add(thigh.apply(DOWN).scale(THIGH));
            let shank = thigh.then(Rot::x(leg.knee));
            let ankle = knee.add(shank.apply(DOWN).scale(SHANK));
            // The foot of each end pose, by its own rule, mixed as a direction.
            let pelvis_fwd = root.apply(FWD);
            let foot_a = foot(a.base, la.ankle, leg.knee, shank, pelvis_fwd, ankle.sub(hip));
            let foot_b = foot(b.base, lb.ankle, leg.knee, shank, pelvis_fwd, ankle.sub(hip));
            let toward = foot_a.0.scale(1.0 - t).add(foot_b.0.scale(t)).unit().unwrap_or(foot_a.0);
            let sole_up = foot_a.1.scale(1.0 - t).add(foot_b.1.scale(t));
            let up = sole_up.reject(toward).unit().unwrap_or(foot_a.1);
            let sole = ankle.sub(up.scale(ANKLE_HEIGHT));
            set(&mut j, hj, hip);
            set(&mut j, kj, knee);
            set(&mut j, aj, ankle);
            set(&mut j, fj, sole.add(toward.scale(TOES)));
            // A foot standing on its sole is drawn as an L (leg down to the heel, sole to the
            // toes); a foot pointing away from the floor as one stroke from the ankle, which
            // a heel below it would turn into a hook.
            let standing = smoothstep(0.85, 0.97, up.y);
            heels[k] = ankle.add(sole.sub(toward.scale(HEEL)).sub(ankle).scale(standing));
            thighs[k] = thigh;
        }

        let mut body =
            Body { j, head, face: face_rot.apply(FWD), hands, heels, pelvis: root, thorax, thighs };
        body.rest(a.base, b.base, t);
        body
    }

    /// Moves the body onto the floor, then over its support.
    fn rest(&mut self, a: Base, b: Base, t: f32) {
        let low = Joint::ALL
            .iter()
            .map(|&k| self.j[k.index()].y - contact_radius(k))
            .chain([self.head.y - HEAD_R])
            .chain(self.hands.iter().chain(&self.heels).map(|p| p.y))
            .fold(f32::INFINITY, f32::min);
        let (pa, pb) = (self.support(a), self.support(b));
        let over = pa.scale(1.0 - t).add(pb.scale(t));
        self.shift(V3::new(-over.x, -low, -over.z));
    }

    /// The point over which the body is centred: on the feet, those on the floor (weighted
    /// by how near the floor they are, so the centre does not jump as a foot lifts); lying
    /// and kneeling, the pelvis.
    fn support(&self, base: Base) -> V3 {
        match base {
            Base::Standing | Base::Sitting => {
                let sole = |k: usize, toe: Joint| self.heels[k].y.min(self.j[toe.index()].y);
                let soles = [sole(0, Joint::LeftFoot), sole(1, Joint::RightFoot)];
                let lowest = soles[0].min(soles[1]);
                let (mut sum, mut w) = (V3::default(), 0.0);
                for (s, ankle) in soles.into_iter().zip([Joint::LeftAnkle, Joint::RightAnkle]) {
                    let k = (1.0 - (s - lowest) / 0.05).clamp(0.0, 1.0);
                    sum = sum.add(self.j[ankle.index()].scale(k));
                    w += k;
                }
                sum.scale(1.0 / w)
            }
            _ => self.j[Joint::Pelvis.index()],
        }
    }

    fn shift(&mut self, d: V3) {
        for p in
            self.j.iter_mut().chain([&mut self.head]).chain(&mut self.hands).chain(&mut self.heels)
        {
            *p = p.add(d);
        }
    }

    /// The joints as a skeleton frame, every joint observed.
    pub(crate) fn frame(&self) -> Frame {
        let mut f = Frame::empty(0.0);
        for k in Joint::ALL {
            f.set(k, self.j[k.index()], 1.0);
        }
        f
    }

    /// A joint's position.
    pub(crate) fn at(&self, k: Joint) -> V3 {
        self.j[k.index()]
    }
}

/// Upper arm and forearm directions in the upper trunk's frame (`side` +1 left, −1 right).
/// The upper arm is turned from hanging toward its plane by its elevation; the same turn
/// carries the trunk's front along, and that is where a bent elbow points the forearm before
/// the arm's own rotation (external turns the forearm outward, as the kinematics measures).
fn arm_directions(arm: Arm, side: f32) -> (V3, V3) {
    let (s, c) = arm.plane.to_radians().sin_cos();
    let toward = V3::new(side * c, 0.0, s);
    let raise = Rot::about(DOWN.cross(toward), arm.elevation);
    let upper = raise.apply(DOWN);
    let front = raise.apply(FWD);
    let (rs, rc) = arm.rotation.to_radians().sin_cos();
    // External rotation of the right arm turns the front toward upper × front; the left
    // arm's is the mirror image.
    let turned = front.scale(rc).add(upper.cross(front).scale(-side * rs));
    let (es, ec) = arm.elbow.to_radians().sin_cos();
    (upper, upper.scale(ec).add(turned.scale(es)))
}

/// Where the hand points: on along the forearm, except that a hand leaning on the floor
/// (lying or kneeling, the forearm steeply down) lies flat, pointing toward the head; the
/// change is gradual so that a moving arm does not snap its hand.
fn hand_direction(fore: V3, root: Rot, a: Base, b: Base, t: f32) -> V3 {
    let lying = |base: Base| f32::from(u8::from(!matches!(base, Base::Standing | Base::Sitting)));
    let weight = mix(lying(a), lying(b), t) * smoothstep(0.6, 0.85, -fore.y);
    let toward_head = root.apply(V3::UP);
    let flat = V3::new(toward_head.x, 0.0, toward_head.z).unit().unwrap_or(fore);
    fore.scale(1.0 - weight).add(flat.scale(weight)).unit().unwrap_or(fore)
}

/// The foot's direction (heel to toes) and the sole's up, in the world: a given ankle angle
/// turns it against the shin; the base's usual foot may lie flat instead, pointing where the
/// pelvis faces (or, lying on the back, away from the hip).
fn foot(
    base: Base,
    ankle: Option<f32>,
    knee: f32,
    shank: Rot,
    pelvis_fwd: V3,
    reach: V3,
) -> (V3, V3) {
    let (flat, angle) = match ankle {
        Some(a) => (0.0, a),
        None => usual_foot(base, knee),
    };
    let relative = shank.then(Rot::x(-angle));
    let (toward, up) = (relative.apply(FWD), relative.apply(V3::UP));
    let level = |v: V3| V3::new(v.x, 0.0, v.z);
    let heading = if level(pelvis_fwd).norm() > 0.5 { level(pelvis_fwd) } else { level(reach) };
    match heading.unit() {
        Some(h) if flat > 0.0 => {
            let t = toward.scale(1.0 - flat).add(h.scale(flat)).unit().unwrap_or(h);
            (t, up.scale(1.0 - flat).add(V3::UP.scale(flat)))
        }
        _ => (toward, up),
    }
}
