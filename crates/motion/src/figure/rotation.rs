//! Rotations as unit quaternions: composing joint rotations down a limb, and interpolating
//! the body's orientation between two bases (lying on the back, rolling onto the side) along
//! the shortest turn.

use crate::geom::V3;

/// A rotation (unit quaternion `w + xi + yj + zk`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rot {
    w: f32,
    x: f32,
    y: f32,
    z: f32,
}

impl Rot {
    /// No rotation.
    pub(crate) const ID: Rot = Rot { w: 1.0, x: 0.0, y: 0.0, z: 0.0 };

    /// A turn of `deg` degrees about `axis` (right-hand rule); no turn when the axis vanishes.
    pub(crate) fn about(axis: V3, deg: f32) -> Rot {
        let Some(a) = axis.unit() else { return Rot::ID };
        let (s, c) = (deg.to_radians() * 0.5).sin_cos();
        Rot { w: c, x: a.x * s, y: a.y * s, z: a.z * s }
    }
    /// About +x (the body's left).
    pub(crate) fn x(deg: f32) -> Rot {
        Rot::about(V3::new(1.0, 0.0, 0.0), deg)
    }
    /// About +y (up).
    pub(crate) fn y(deg: f32) -> Rot {
        Rot::about(V3::UP, deg)
    }
    /// About +z (the body's front).
    pub(crate) fn z(deg: f32) -> Rot {
        Rot::about(V3::new(0.0, 0.0, 1.0), deg)
    }

    /// `self` after `o`: applying the result turns by `o` first, then by `self`. Chaining
    /// parent then child (`parent.then(child)`) reads down a limb.
    pub(crate) fn then(self, o: Rot) -> Rot {
        Rot {
            w: self.w * o.w - self.x * o.x - self.y * o.y - self.z * o.z,
            x: self.w * o.x + self.x * o.w + self.y * o.z - self.z * o.y,
            y: self.w * o.y - self.x * o.z + self.y * o.w + self.z * o.x,
            z: self.w * o.z + self.x * o.y - self.y * o.x + self.z * o.w,
        }
    }

    /// Turns a vector.
    pub(crate) fn apply(self, v: V3) -> V3 {
        let u = V3::new(self.x, self.y, self.z);
        let t = u.cross(v).scale(2.0);
        v.add(t.scale(self.w)).add(u.cross(t))
    }

    /// The rotation a fraction `t` of the way from `a` to `b`, along the shorter turn.
    pub(crate) fn slerp(a: Rot, b: Rot, t: f32) -> Rot {
        let mut dot = a.w * b.w + a.x * b.x + a.y * b.y + a.z * b.z;
        // q and −q are the same rotation; take the one on a's side for the short way round.
        let b = if dot < 0.0 {
            dot = -dot;
            Rot { w: -b.w, x: -b.x, y: -b.y, z: -b.z }
        } else {
            b
        };
        let (ka, kb) = if dot > 0.9995 {
            (1.0 - t, t)
        } else {
            let th = dot.clamp(-1.0, 1.0).acos();
            let s = th.sin();
            (((1.0 - t) * th).sin() / s, (t * th).sin() / s)
        };
        let r = Rot {
            w: ka * a.w + kb * b.w,
            x: ka * a.x + kb * b.x,
            y: ka * a.y + kb * b.y,
            z: ka * a.z + kb * b.z,
        };
        let n = (r.w * r.w + r.x * r.x + r.y * r.y + r.z * r.z).sqrt();
        Rot { w: r.w / n, x: r.x / n, y: r.y / n, z: r.z / n }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: V3, b: V3) -> bool {
        a.sub(b).norm() < 1e-5
    }

    #[test]
    fn right_hand_rule_and_order() {
        let (x, y, z) = (V3::new(1.0, 0.0, 0.0), V3::UP, V3::new(0.0, 0.0, 1.0));
        assert!(close(Rot::x(90.0).apply(y), z));
        assert!(close(Rot::y(90.0).apply(z), x));
        assert!(close(Rot::z(90.0).apply(x), y));
        // First about x (y → z), then about y (z → x).
        assert!(close(Rot::y(90.0).then(Rot::x(90.0)).apply(y), x));
        let half = Rot::slerp(Rot::ID, Rot::z(90.0), 0.5);
        assert!(close(half.apply(x), V3::new(0.5f32.sqrt(), 0.5f32.sqrt(), 0.0)));
    }
}
