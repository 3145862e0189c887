//! The KERAAL sample: each file is one correct repetition of an exercise, recorded at once by
//! BlazePose (image landmarks), a Kinect and a Vicon system. Every file parses with the frame
//! count its README gives, and the torso rotation reads the same on the two 3-D sensors: one
//! turn to each side.

use physio_motion::{Format, analyze, parse};

use crate::data::root;

#[test]
fn keraal_files_parse_and_the_torso_rotation_agrees_across_3d_sensors() {
    let Some(root) = root() else { return };
    let dir = root.join("keraal-sample");
    // (exercise code, BlazePose frames, Kinect frames, Vicon rows), from the README.
    for (code, bp, kinect, vicon) in
        [("CTK", 196, 197, 390), ("ELK", 193, 193, 385), ("RTK", 194, 193, 389)]
    {
        for (format, modality, ext, frames) in [
            (Format::KeraalBlazePose, "BP", "json", bp),
            (Format::KeraalKinect, "Kinect", "txt", kinect),
            (Format::KeraalVicon, "Vicon", "txt", vicon),
        ] {
            let path = dir.join(format!("G3-{modality}-{code}-P1T1-Unknown-C-0.{ext}"));
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let rec = parse(format, &[text.as_str()])
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            // Header lines or a trailing partial row may differ by one.
            assert!(
                rec.frames.len().abs_diff(frames) <= 1,
                "{}: {} frames",
                path.display(),
                rec.frames.len()
            );
            if code != "RTK" || format == Format::KeraalBlazePose {
                continue;
            }
            let a = analyze("thoracic-rotation", &rec.frames).unwrap();
            let peaks: Vec<f32> = a.reps.iter().map(|r| r.peak_deg).collect();
            assert_eq!(a.rep_count, 2, "{modality}: one turn to each side, got {peaks:?}");
            assert!(peaks[0].signum() != peaks[1].signum(), "{modality}: {peaks:?}");
            assert!(
                peaks.iter().all(|p| (15.0..=70.0).contains(&p.abs())),
                "{modality}: {peaks:?}"
            );
        }
    }
}
