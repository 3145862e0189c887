//! Small 3-D vector arithmetic on `f32` triples, enough for joint angles and body frames.

/// A 3-D vector or point.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct V3 {
    /// First coordinate.
    pub x: f32,
    /// Second coordinate (up, after import).
    pub y: f32,
    /// Third coordinate.
    pub z: f32,
}

#[allow(
    clippy::should_implement_trait,
    reason = "plain methods keep the arithmetic explicit and const-friendly"
)]
impl V3 {
    /// Builds a vector.
    pub const fn new(x: f32, y: f32, z: f32) -> V3 {
        V3 { x, y, z }
    }
    /// The world "up" direction after import (y up).
    pub const UP: V3 = V3::new(0.0, 1.0, 0.0);

    /// Sum.
    pub fn add(self, o: V3) -> V3 {
        V3::new(self.x + o.x, self.y + o.y, self.z + o.z)
    }
    /// Difference `self - o`.
    pub fn sub(self, o: V3) -> V3 {
        V3::new(self.x - o.x, self.y - o.y, self.z - o.z)
    }
    /// Scaled by `k`.
    pub fn scale(self, k: f32) -> V3 {
        V3::new(self.x * k, self.y * k, self.z * k)
    }
    /// Midpoint of two points.
    pub fn mid(self, o: V3) -> V3 {
        self.add(o).scale(0.5)
    }
    /// Dot product.
    pub fn dot(self, o: V3) -> f32 {
        self.x * o.x + self.y * o.y + self.z * o.z
    }
    /// Cross product.
    pub fn cross(self, o: V3) -> V3 {
        V3::new(
            self.y * o.z - self.z * o.y,
            self.z * o.x - self.x * o.z,
            self.x * o.y - self.y * o.x,
        )
    }
    /// Euclidean length.
    pub fn norm(self) -> f32 {
        self.dot(self).sqrt()
    }
    /// Unit vector, or `None` when the length is (near) zero or not finite.
    pub fn unit(self) -> Option<V3> {
        let n = self.norm();
        if n.is_finite() && n > 1e-9 { Some(self.scale(1.0 / n)) } else { None }
    }
    /// The component of `self` orthogonal to the unit vector `axis`.
    pub fn reject(self, axis: V3) -> V3 {
        self.sub(axis.scale(self.dot(axis)))
    }
    /// True when every coordinate is finite.
    pub fn is_finite(self) -> bool {
        self.x.is_finite() && self.y.is_finite() && self.z.is_finite()
    }
}

/// Unsigned angle between two vectors, in degrees (`NaN` when either is zero).
pub fn angle_deg(a: V3, b: V3) -> f32 {
    match (a.unit(), b.unit()) {
        (Some(a), Some(b)) => a.dot(b).clamp(-1.0, 1.0).acos().to_degrees(),
        _ => f32::NAN,
    }
}

/// Signed angle from `a` to `b` about the unit `axis`, in degrees, measured in the plane
/// orthogonal to `axis` (right-hand rule; `NaN` when a projection vanishes).
pub fn signed_angle_deg(a: V3, b: V3, axis: V3) -> f32 {
    let (pa, pb) = (a.reject(axis), b.reject(axis));
    if pa.unit().is_none() || pb.unit().is_none() {
        return f32::NAN;
    }
    axis.dot(pa.cross(pb)).atan2(pa.dot(pb)).to_degrees()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn angles() {
        let x = V3::new(1.0, 0.0, 0.0);
        let z = V3::new(0.0, 0.0, 1.0);
        assert!((angle_deg(x, z) - 90.0).abs() < 1e-4);
        // Rotating x about y by +90 degrees gives -z.
        assert!((signed_angle_deg(x, z.scale(-1.0), V3::UP) - 90.0).abs() < 1e-4);
        assert!(angle_deg(x, V3::default()).is_nan());
    }
}
