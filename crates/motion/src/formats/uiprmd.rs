//! UI-PRMD importers. Kinect: bone offsets in the parent's frame plus relative Euler angles,
//! turned into global joints by forward kinematics (`E = Rz(a)·Ry(b)·Rx(g)`, centimetres, y up).
//! Vicon: 39 Plug-in Gait markers in millimetres with z up, grouped into joints.

use crate::formats::{ParseError, Sep, numeric_rows};
use crate::geom::V3;
use crate::skeleton::{Frame, Joint};

/// Parent of each of the 22 Kinect joints (index 0 is the root).
const KINECT_PARENT: [usize; 22] =
    [0, 0, 1, 2, 3, 4, 2, 6, 7, 8, 2, 10, 11, 12, 0, 14, 15, 16, 0, 18, 19, 20];

/// Common joints taken from Kinect joint indices.
const KINECT_MAP: [(Joint, usize); 17] = [
    (Joint::Head, 4),
    (Joint::Neck, 3),
    (Joint::MidSpine, 1),
    (Joint::LeftShoulder, 7),
    (Joint::LeftElbow, 8),
    (Joint::LeftWrist, 9),
    (Joint::RightShoulder, 11),
    (Joint::RightElbow, 12),
    (Joint::RightWrist, 13),
    (Joint::LeftHip, 14),
    (Joint::LeftKnee, 15),
    (Joint::LeftAnkle, 16),
    (Joint::LeftFoot, 17),
    (Joint::RightHip, 18),
    (Joint::RightKnee, 19),
    (Joint::RightAnkle, 20),
    (Joint::RightFoot, 21),
];

type M3 = [[f64; 3]; 3];

fn mul(a: &M3, b: &M3) -> M3 {
    let mut r = [[0.0; 3]; 3];
    for (i, row) in r.iter_mut().enumerate() {
        for (j, cell) in row.iter_mut().enumerate() {
            *cell = (0..3).map(|k| a[i][k] * b[k][j]).sum();
        }
    }
    r
}

fn apply(a: &M3, v: [f64; 3]) -> [f64; 3] {
    [0, 1, 2].map(|i| a[i][0] * v[0] + a[i][1] * v[1] + a[i][2] * v[2])
}

/// `E = Rz(a)·Ry(b)·Rx(g)` for the triple `(g, b, a)` in degrees.
fn euler(g: f64, b: f64, a: f64) -> M3 {
    let (sg, cg) = g.to_radians().sin_cos();
    let (sb, cb) = b.to_radians().sin_cos();
    let (sa, ca) = a.to_radians().sin_cos();
    let rx = [[1.0, 0.0, 0.0], [0.0, cg, -sg], [0.0, sg, cg]];
    let ry = [[cb, 0.0, sb], [0.0, 1.0, 0.0], [-sb, 0.0, cb]];
    let rz = [[ca, -sa, 0.0], [sa, ca, 0.0], [0.0, 0.0, 1.0]];
    mul(&rz, &mul(&ry, &rx))
}

/// Global joint positions (centimetres) of one Kinect row by forward kinematics.
pub(crate) fn kinect_forward(pos: &[f32], ang: &[f32]) -> [[f64; 3]; 22] {
    let v = |s: &[f32], j: usize| [s[3 * j] as f64, s[3 * j + 1] as f64, s[3 * j + 2] as f64];
    let mut x = [[0.0; 3]; 22];
    let mut r = [[[0.0; 3]; 3]; 22];
    x[0] = v(pos, 0);
    let a0 = v(ang, 0);
    r[0] = euler(a0[0], a0[1], a0[2]);
    for j in 1..22 {
        let p = KINECT_PARENT[j];
        let off = apply(&r[p], v(pos, j));
        x[j] = [0, 1, 2].map(|i| off[i] + x[p][i]);
        let a = v(ang, j);
        r[j] = mul(&r[p], &euler(a[0], a[1], a[2]));
    }
    x
}

/// Parses one UI-PRMD Kinect file (positions text and angles text). On error, the first
/// element says which of the two texts (0 = positions, 1 = angles) is at fault.
pub(crate) fn parse_kinect(
    positions: &str,
    angles: &str,
    fps: f64,
) -> Result<Vec<Frame>, (usize, ParseError)> {
    const WHAT: &str = "22 joints × x, y, z";
    let mut pos_rows: Vec<[f32; 66]> = Vec::new();
    numeric_rows(positions, Sep::Comma, 66, WHAT, |_, v| {
        let mut row = [0.0; 66];
        row.copy_from_slice(v);
        pos_rows.push(row);
        Ok(())
    })
    .map_err(|e| (0, e))?;
    let mut frames = Vec::with_capacity(pos_rows.len());
    let mut n = 0usize;
    numeric_rows(angles, Sep::Comma, 66, WHAT, |line, a| {
        let Some(p) = pos_rows.get(n) else {
            return Err(ParseError::new(
                line,
                format!(
                    "the angles text has more rows than the positions text ({})",
                    pos_rows.len()
                ),
            ));
        };
        let x = kinect_forward(p, a);
        let mut f = Frame::empty(n as f64 / fps);
        for (joint, k) in KINECT_MAP {
            let q = x[k];
            let p = V3::new(q[0] as f32, q[1] as f32, q[2] as f32).scale(0.01);
            if p.is_finite() {
                f.set(joint, p, 1.0);
            }
        }
        f.derive_missing();
        frames.push(f);
        n += 1;
        Ok(())
    })
    .map_err(|e| (1, e))?;
    if n < pos_rows.len() {
        return Err((
            1,
            ParseError::new(
                n + 1,
                format!(
                    "truncated: expected {} rows of angles to match the positions",
                    pos_rows.len()
                ),
            ),
        ));
    }
    Ok(frames)
}

/// Vicon Plug-in Gait marker indices used below.
mod m {
    pub(super) const LFHD: usize = 0;
    pub(super) const RFHD: usize = 1;
    pub(super) const LBHD: usize = 2;
    pub(super) const RBHD: usize = 3;
    pub(super) const C7: usize = 4;
    pub(super) const T10: usize = 5;
    pub(super) const CLAV: usize = 6;
    pub(super) const STRN: usize = 7;
    pub(super) const LSHO: usize = 9;
    pub(super) const LELB: usize = 11;
    pub(super) const LWRA: usize = 13;
    pub(super) const LWRB: usize = 14;
    pub(super) const RSHO: usize = 16;
    pub(super) const RELB: usize = 18;
    pub(super) const RWRA: usize = 20;
    pub(super) const RWRB: usize = 21;
    pub(super) const LASI: usize = 23;
    pub(super) const RASI: usize = 24;
    pub(super) const LPSI: usize = 25;
    pub(super) const RPSI: usize = 26;
    pub(super) const LKNE: usize = 28;
    pub(super) const LANK: usize = 30;
    pub(super) const LTOE: usize = 32;
    pub(super) const RKNE: usize = 34;
    pub(super) const RANK: usize = 36;
    pub(super) const RTOE: usize = 38;
}

/// Joints as the mean of a group of markers.
const VICON_GROUPS: [(Joint, &[usize]); 19] = [
    (Joint::Head, &[m::LFHD, m::RFHD, m::LBHD, m::RBHD]),
    (Joint::LeftEar, &[m::LFHD, m::LBHD]),
    (Joint::RightEar, &[m::RFHD, m::RBHD]),
    (Joint::Neck, &[m::C7, m::CLAV]),
    (Joint::C7, &[m::C7]),
    (Joint::MidSpine, &[m::T10, m::STRN]),
    (Joint::LeftShoulder, &[m::LSHO]),
    (Joint::RightShoulder, &[m::RSHO]),
    (Joint::LeftElbow, &[m::LELB]),
    (Joint::RightElbow, &[m::RELB]),
    (Joint::LeftWrist, &[m::LWRA, m::LWRB]),
    (Joint::RightWrist, &[m::RWRA, m::RWRB]),
    (Joint::LeftHip, &[m::LASI, m::LPSI]),
    (Joint::RightHip, &[m::RASI, m::RPSI]),
    (Joint::LeftKnee, &[m::LKNE]),
    (Joint::RightKnee, &[m::RKNE]),
    (Joint::LeftAnkle, &[m::LANK]),
    (Joint::RightAnkle, &[m::RANK]),
    (Joint::LeftFoot, &[m::LTOE]),
];

/// A millimetre, z-up point to metres, y-up (a cyclic axis permutation keeps handedness).
pub(crate) fn z_up_mm(x: f32, y: f32, z: f32) -> V3 {
    V3::new(y, z, x).scale(0.001)
}

/// Mean of marker positions; absent (confidence 0) if any marker is exactly at the origin,
/// which is how gaps are written.
fn group(values: &[f32], idx: &[usize]) -> Option<V3> {
    let mut s = V3::default();
    for &i in idx {
        let (x, y, z) = (values[3 * i], values[3 * i + 1], values[3 * i + 2]);
        if x == 0.0 && y == 0.0 && z == 0.0 {
            return None;
        }
        s = s.add(z_up_mm(x, y, z));
    }
    Some(s.scale(1.0 / idx.len() as f32))
}

/// Parses one UI-PRMD Vicon positions text.
pub(crate) fn parse_vicon(text: &str, fps: f64) -> Result<Vec<Frame>, ParseError> {
    let mut frames = Vec::new();
    numeric_rows(text, Sep::Comma, 117, "39 markers × x, y, z", |_, v| {
        let mut f = Frame::empty(frames.len() as f64 / fps);
        let groups = VICON_GROUPS.iter().copied().chain([(Joint::RightFoot, &[m::RTOE][..])]);
        for (joint, idx) in groups {
            if let Some(p) = group(v, idx) {
                f.set(joint, p, 1.0);
            }
        }
        f.derive_missing();
        frames.push(f);
        Ok(())
    })?;
    Ok(frames)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euler_is_rz_ry_rx() {
        let r = euler(0.0, 0.0, 90.0);
        let v = apply(&r, [1.0, 0.0, 0.0]);
        assert!((v[1] - 1.0).abs() < 1e-12);
        let r = euler(90.0, 0.0, 0.0);
        let v = apply(&r, [0.0, 1.0, 0.0]);
        assert!((v[2] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn kinect_rows_must_pair() {
        let row = vec!["0"; 66].join(",");
        let two = format!("{row}\n{row}\n");
        assert_eq!(parse_kinect(&two, &two, 30.0).map(|f| f.len()), Ok(2));
        let (which, e) = parse_kinect(&two, &row, 30.0).unwrap_err();
        assert_eq!((which, e.line), (1, 2));
        let (which, e) = parse_kinect(&row, &two, 30.0).unwrap_err();
        assert_eq!((which, e.line), (1, 2));
        let (which, e) = parse_kinect("1,2\n", &row, 30.0).unwrap_err();
        assert_eq!((which, e.line), (0, 1));
    }
}
