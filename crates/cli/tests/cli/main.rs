//! The `physio` binary, run as a user would: exit codes, messages, settings, audit verification,
//! the server surviving SIGKILL with its data and audit trail consistent (`crash`), the demo
//! clinic seeded through the care layer (`demo`), the exercise library's export, import and
//! schema (`exercises`); and `tidy`, rules about the source tree itself.

mod backup;
mod crash;
mod demo;
mod exercises;
mod fuzz;
mod reminders;
mod tidy;

use physio_store::testing::skip;
use std::{
    io::Write,
    path::Path,
    process::{Command, Output, Stdio},
};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn physio(data: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_physio"));
    cmd.args(args)
        .env("PHYSIO_DATA_DIR", data)
        .env_remove("PHYSIO_DATABASE_URL")
        .env_remove("PHYSIO_CONFIG")
        .env("PHYSIO_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    let Output { status, stdout, stderr } = child.wait_with_output().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

#[test]
fn help_is_available_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["demo", "--help"],
        vec!["migrate", "--help"],
        vec!["user", "add", "--help"],
        vec!["clinic", "add", "--help"],
        vec!["audit", "verify", "--help"],
        vec!["backup", "--help"],
        vec!["restore", "--help"],
        vec!["exercises", "export", "--help"],
        vec!["exercises", "import", "--help"],
        vec!["exercises", "schema", "--help"],
    ] {
        let r = physio(dir.path(), &args, None);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(r.stdout.contains("Usage:"), "{args:?}");
    }
}

#[test]
fn clinics_and_users_are_added_with_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(physio(d, &["migrate"], None).code, 0);
    assert!(d.join("physio.db").exists());
    let r = physio(d, &["clinic", "add", "Lakeside Physio"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = physio(d, &["clinic", "add", "Lakeside Physio"], None);
    assert_eq!((r.code, r.stderr.contains("already exists")), (2, true), "{}", r.stderr);

    let base = [
        "user",
        "add",
        "--clinic",
        "Lakeside Physio",
        "--name",
        "Dana Ng",
        "--email",
        "dana@lake.test",
    ];
    let with = |extra: &[&'static str]| {
        base.iter().copied().chain(extra.iter().copied()).collect::<Vec<_>>()
    };
    let r = physio(d, &with(&["--role", "clinician"]), None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("licence-number"), "{}", r.stderr);
    let r = physio(d, &with(&["--role", "surgeon"]), None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown role"), "{}", r.stderr);
    let r = physio(d, &with(&["--role", "patient", "--date-of-birth", "21/07/1958"]), None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--date-of-birth"), "{}", r.stderr);
    let r = physio(d, &with(&["--role", "patient", "--password-stdin"]), Some("short\n"));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("12 characters"), "{}", r.stderr);

    let r = physio(
        d,
        &with(&[
            "--role",
            "clinician",
            "--licence-number",
            "PT-9",
            "--licence-jurisdiction",
            "Oregon",
        ]),
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Temporary password: "), "{}", r.stdout);
    let r = physio(
        d,
        &with(&["--role", "admin", "--password-stdin"]),
        Some("kettle orbit saffron ladder\n"),
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    let r = physio(
        d,
        &[
            "user", "add", "--clinic", "Nowhere", "--role", "admin", "--name", "X", "--email",
            "x@y.test",
        ],
        None,
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no clinic named"), "{}", r.stderr);

    // Creating the clinic and the account are each audited, and the chain verifies.
    let r = physio(d, &["audit", "verify"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("intact: 2 records"), "{}", r.stdout);
}

#[tokio::test]
async fn audit_verify_names_the_first_tampered_record() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(physio(d, &["clinic", "add", "C"], None).code, 0);
    for i in 0..3 {
        let email = format!("p{i}@c.test");
        let r = physio(
            d,
            &[
                "user", "add", "--clinic", "C", "--role", "patient", "--name", "P", "--email",
                &email,
            ],
            None,
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let store = physio_store::Store::connect(&format!("sqlite:{}", d.join("physio.db").display()))
        .await
        .unwrap();
    store
        .execute_unchecked(
            "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET action = 'read' WHERE seq = 2;",
        )
        .await
        .unwrap();
    store.close().await;
    let r = physio(d, &["audit", "verify"], None);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("BROKEN at record 2"), "{}", r.stdout);
}

#[test]
fn settings_come_from_a_toml_file_and_bad_ones_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("elsewhere.db");
    let cfg = d.join("physio.toml");
    std::fs::write(&cfg, format!("database_url = \"sqlite:{}\"\n", db.display())).unwrap();
    let r = physio(d, &["--config", cfg.to_str().unwrap(), "migrate"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(db.exists());
    std::fs::write(&cfg, "databse_url = \"x\"\n").unwrap();
    let r = physio(d, &["--config", cfg.to_str().unwrap(), "migrate"], None);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("databse_url"), "{}", r.stderr);
    let r = physio(d, &["--database-url", "mysql://nope", "migrate"], None);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("expected sqlite:PATH or postgres://"), "{}", r.stderr);
    // A time zone the database does not know stops the start, naming it (before listening).
    let zone = ["serve", "--bind", "127.0.0.1:0", "--time-zone", "Mars/Olympus"];
    let r = physio(d, &zone, None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("Mars/Olympus") && r.stderr.contains("Europe/London"),
        "{}",
        r.stderr
    );
    // Reminder e-mail needs its From address and the public URL it links to; a bad SMTP URL is
    // named without repeating the password in it.
    let smtp = ["serve", "--bind", "127.0.0.1:0", "--smtp-url", "smtp://127.0.0.1:2525"];
    let r = physio(d, &smtp, None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("--smtp-from"), "{}", r.stderr);
    let from = [&smtp[..], &["--smtp-from", "reminders@clinic.example"]].concat();
    let r = physio(d, &from, None);
    assert!(r.code == 1 && r.stderr.contains("public URL"), "{}", r.stderr);
    let secret = ["serve", "--bind", "127.0.0.1:0", "--smtp-url", "ftp://u:s3cret@host"];
    let bad = [&secret[..], &["--smtp-from", "r@clinic.example", "--public-url", "https://x.test"]];
    let r = physio(d, &bad.concat(), None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("SMTP URL") && !r.stderr.contains("s3cret"), "{}", r.stderr);
}

#[test]
fn bad_trusted_proxies_and_proxy_headers_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let serve = ["serve", "--bind", "127.0.0.1:0"];
    let flag = [&serve[..], &["--trusted-proxies", "10.0.0.0/8,proxy.local"]].concat();
    let r = physio(d, &flag, None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("\"proxy.local\"") && r.stderr.contains("10.0.0.0/8"),
        "{}",
        r.stderr
    );
    let header = [&serve[..], &["--proxy-header", "x-real-ip"]].concat();
    let r = physio(d, &header, None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("x-real-ip") && r.stderr.contains("forwarded"), "{}", r.stderr);
    // In the TOML file, a list; the old name of the longest wait is still read.
    let cfg = d.join("physio.toml");
    let toml =
        "trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/33\"]\n[login]\nlockout_minutes = 20\n";
    std::fs::write(&cfg, toml).unwrap();
    let r = physio(d, &[&["--config", cfg.to_str().unwrap()][..], &serve[..]].concat(), None);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("10.0.0.0/33"), "{}", r.stderr);
}

/// The shared recordings, or `None` (skip) outside CI when they are absent.
fn shared_data() -> Option<std::path::PathBuf> {
    let dir = std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/ui-prmd"
    ));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").map_or(true, |v| v != "true"),
        "CI=true but {} is missing",
        dir.display()
    );
    skip(&format!("{} not found", dir.display()));
    None
}

#[test]
fn analyze_counts_a_real_ten_repetition_recording() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<String> = (1..=10)
        .map(|e| {
            data.join(format!("correct/kinect/positions/m07_s01_e{e:02}_positions.txt.gz"))
                .display()
                .to_string()
        })
        .collect();
    let mut args = vec!["analyze", "--exercise", "shoulder-abduction", "--format", "uiprmd-kinect"];
    args.extend(files.iter().map(String::as_str));
    let r = physio(dir.path(), &args, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["exercise"], "shoulder-abduction");
    assert_eq!(v["rep_count"], 10, "{}", r.stdout);
    let reps = v["reps"].as_array().unwrap();
    assert_eq!(reps.len(), 10);
    for rep in reps {
        assert!(rep["end_s"].as_f64().unwrap() > rep["start_s"].as_f64().unwrap());
        // The right arm rises well above shoulder height in a correct abduction.
        assert!(rep["peak_deg"].as_f64().unwrap() > 90.0, "{rep}");
    }
}

#[test]
fn analyze_warns_when_an_exercise_needs_depth_the_recording_lacks() {
    let Some(data) = shared_data() else { return };
    let keraal = data.join("../keraal-sample");
    let dir = tempfile::tempdir().unwrap();
    let run = |format: &str, file: &str| {
        let file = keraal.join(file).display().to_string();
        let args = ["analyze", "--exercise", "thoracic-rotation", "--format", format, &file];
        let r = physio(dir.path(), &args, None);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        (v, r.stderr)
    };
    // KERAAL's BlazePose file holds image landmarks only: the torso rotation is flagged.
    let (v, stderr) = run("keraal-blazepose", "G3-BP-RTK-P1T1-Unknown-C-0.json");
    assert_eq!(v["warnings"][0]["code"], "needs_depth", "{v}");
    assert!(v["warnings"][0]["message"].as_str().unwrap().contains("needs depth"), "{v}");
    assert!(stderr.contains("warning: thoracic-rotation needs depth"), "{stderr}");
    // The Kinect recording of the same repetition is 3-D: no warning.
    let (v, stderr) = run("keraal-kinect", "G3-Kinect-RTK-P1T1-Unknown-C-0.txt");
    assert!(v["warnings"].as_array().unwrap().is_empty() && stderr.is_empty(), "{v} {stderr}");
}

/// Writes the ten Vicon files of a deep-squat set into `dir`, with the left front pelvis marker
/// (LASI, marker 23) written as a gap (all zeros, as Vicon writes gaps) in the repetitions
/// `gap` names; returns the paths in order.
fn vicon_squat_without_lasi(
    data: &std::path::Path,
    dir: &std::path::Path,
    gap: impl Fn(u32) -> bool,
) -> Vec<String> {
    use std::io::Read;
    (1..=10)
        .map(|e| {
            let from =
                data.join(format!("correct/vicon/positions/m01_s01_e{e:02}_positions.txt.gz"));
            let mut text = String::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&from).unwrap())
                .read_to_string(&mut text)
                .unwrap();
            let text: String = text
                .lines()
                .map(|line| {
                    let mut v: Vec<&str> = line.split(',').collect();
                    if gap(e) && v.len() == 117 {
                        v[69..72].fill("0");
                    }
                    v.join(",") + "\n"
                })
                .collect();
            let to = dir.join(format!("m01_s01_e{e:02}_positions.txt"));
            std::fs::write(&to, text).unwrap();
            to.display().to_string()
        })
        .collect()
}

#[test]
fn analyze_names_the_joint_it_cannot_see_instead_of_counting_nothing() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let run = |files: &[String], mode: &str| {
        let mut args = vec!["analyze", "--exercise", "deep-squat", "--format", "uiprmd-vicon"];
        args.extend(["--mode", mode]);
        args.extend(files.iter().map(String::as_str));
        physio(dir.path(), &args, None)
    };
    // The marker missing throughout: nothing can be measured, and the answer says why.
    let all = tempfile::tempdir().unwrap();
    let files = vicon_squat_without_lasi(&data, all.path(), |_| true);
    for mode in ["offline", "live"] {
        let r = run(&files, mode);
        assert_eq!(r.code, 2, "{mode}: {}", r.stdout);
        assert!(r.stdout.is_empty(), "{mode}: {}", r.stdout);
        assert!(
            r.stderr.contains("nothing could be measured") && r.stderr.contains("left hip"),
            "{mode}: {}",
            r.stderr
        );
    }
    // Missing during three of the ten repetitions: the other seven are counted, and the JSON
    // and stderr both name the joint.
    let some = tempfile::tempdir().unwrap();
    let files = vicon_squat_without_lasi(&data, some.path(), |e| (4..=6).contains(&e));
    for mode in ["offline", "live"] {
        let r = run(&files, mode);
        assert_eq!(r.code, 0, "{mode}: {}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let w = &v["warnings"][0];
        assert_eq!(w["code"], "joints_missing", "{mode}: {v}");
        assert_eq!(w["joints"], serde_json::json!(["left_hip"]), "{mode}: {v}");
        assert!(w["message"].as_str().unwrap().contains("left hip"), "{mode}: {w}");
        assert!(
            r.stderr.contains("warning:") && r.stderr.contains("left hip"),
            "{mode}: {}",
            r.stderr
        );
        let n = v["rep_count"].as_u64().unwrap();
        assert!((6..=8).contains(&n), "{mode}: {n} repetitions counted around the gap");
    }
    // The untouched recording: no warning.
    let clean = tempfile::tempdir().unwrap();
    let files = vicon_squat_without_lasi(&data, clean.path(), |_| false);
    let r = run(&files, "live");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["mode"], "live");
    assert!(v["warnings"].as_array().unwrap().is_empty(), "{v}");
}

#[test]
fn analyze_judges_a_set_against_a_reference_set_of_the_same_person() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let set = |label: &str, suffix: &str| -> Vec<String> {
        (1..=10)
            .map(|e| {
                data.join(format!(
                    "{label}/kinect/positions/m07_s03_e{e:02}_positions{suffix}.txt.gz"
                ))
                .display()
                .to_string()
            })
            .collect()
    };
    let (good, reduced) = (set("correct", ""), set("incorrect", "_inc"));
    let mut args = vec!["analyze", "--exercise", "shoulder-abduction", "--format", "uiprmd-kinect"];
    for f in &good {
        args.extend(["--reference", f.as_str()]);
    }
    args.extend(reduced.iter().map(String::as_str));
    let r = physio(dir.path(), &args, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    // The reference set's median repetition goes from about 10° to about 150°.
    let peak = v["calibration"]["peak"].as_f64().unwrap();
    assert!((140.0..=160.0).contains(&peak), "{}", v["calibration"]);
    // This person's deliberately reduced set (peaks 107–129°) is counted, and every repetition
    // is called short of their own range.
    assert_eq!(v["rep_count"], 10, "{}", r.stdout);
    for rep in v["reps"].as_array().unwrap() {
        assert_eq!(rep["correct"], false, "{rep}");
        assert!(rep["errors"].as_array().unwrap().contains(&"too_little_range".into()), "{rep}");
    }
    // A reference with no repetition in it is refused with a message, exit code 2.
    let still = dir.path().join("still.json");
    std::fs::write(&still, "").unwrap();
    let r = physio(
        dir.path(),
        &[
            "analyze",
            "--exercise",
            "shoulder-abduction",
            "--format",
            "blazepose-json",
            "--reference",
            still.to_str().unwrap(),
            still.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn analyze_names_the_file_and_line_of_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let good = (0..3).map(|_| vec!["1.0"; 117].join(",")).collect::<Vec<_>>().join("\n");
    let file = dir.path().join("take.csv");
    std::fs::write(&file, format!("{good}\n1.0,2.0,NaN\n")).unwrap();
    let f = file.to_str().unwrap();
    let r = physio(
        dir.path(),
        &["analyze", "--exercise", "deep-squat", "--format", "uiprmd-vicon", f],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("take.csv: line 4"), "{}", r.stderr);
    let r =
        physio(dir.path(), &["analyze", "--exercise", "deep-squat", "--format", "mp4", f], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown format"), "{}", r.stderr);
    let r = physio(
        dir.path(),
        &["analyze", "--exercise", "moonwalk", "--format", "uiprmd-vicon", f],
        None,
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown exercise"), "{}", r.stderr);
    std::fs::write(&file, "").unwrap();
    let r = physio(
        dir.path(),
        &["analyze", "--exercise", "deep-squat", "--format", "uiprmd-vicon", f],
        None,
    );
    assert_eq!(r.code, 2, "empty file: {}", r.stderr);
    let r = physio(dir.path(), &["analyze", "--list"], None);
    assert_eq!(r.code, 0);
    for id in [
        "deep-squat",
        "hurdle-step",
        "inline-lunge",
        "side-lunge",
        "sit-to-stand",
        "straight-leg-raise",
        "shoulder-abduction",
        "shoulder-extension",
        "shoulder-rotation",
        "shoulder-scaption",
    ] {
        assert!(r.stdout.contains(&format!("\"id\":\"{id}\"")), "{id} missing from --list");
    }
}

#[test]
fn score_prints_the_result_and_refuses_bad_answers() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // ODI with one skipped section: 16 points over 9 answered sections = 16/45 = 35.6 %.
    let r = physio(d, &["score", "odi"], Some(r#"{"answers": [2, 2, 2, 2, 2, 2, 1, 1, 2, null]}"#));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["instrument"], "odi");
    assert!((v["score"].as_f64().unwrap() - 35.555).abs() < 0.01, "{v}");
    assert_eq!(v["band"], "moderate");
    assert_eq!(v["alerts"], serde_json::json!([]));
    // PHQ-9 item 9 raises an alert.
    let file = d.join("phq9.json");
    std::fs::write(&file, r#"{"answers": [0, 0, 0, 0, 0, 0, 0, 0, 1]}"#).unwrap();
    let r = physio(d, &["score", "phq9", file.to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["alerts"][0]["code"], "phq9_item9");
    for (instrument, input, words) in [
        ("gad7", r#"{"answers": [0, 1, 2, 3, 0, 1, 4]}"#, "answer 7"),
        ("nprs", r#"{"answers": [11]}"#, "11"),
        ("nprs", r#"{"answers": [3, 4]}"#, "1 answer"),
        ("nprs", r#"{"answer": [3]}"#, "answers"),
        ("nprs", "not json", "not valid"),
        ("bogus", r#"{"answers": []}"#, "valid instruments"),
    ] {
        let r = physio(d, &["score", instrument, "-"], Some(input));
        assert_eq!(r.code, 2, "{instrument} {input}: {}", r.stdout);
        assert!(r.stderr.contains(words), "{instrument} {input}: {}", r.stderr);
    }
}

#[test]
fn triage_decides_each_documented_example_and_names_bad_fields() {
    let dir = tempfile::tempdir().unwrap();
    let examples =
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/examples"));
    let mut seen = 0;
    for entry in std::fs::read_dir(examples).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let expected = name.split('-').next().unwrap();
        let r =
            physio(dir.path(), &["triage", "--today", "2026-11-25", path.to_str().unwrap()], None);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(v["tier"], expected, "{name}");
        assert!(
            !v["reasons"].as_array().unwrap().is_empty() || expected == "exercise",
            "{name} explains itself"
        );
        for reason in v["reasons"].as_array().unwrap() {
            assert!(
                reason["rule"].is_string()
                    && reason["reason"].as_str().is_some_and(|s| s.len() > 20),
                "{name}"
            );
        }
        seen += 1;
    }
    assert!(seen >= 6, "documented examples found: {seen}");
    let r =
        physio(dir.path(), &["triage", "-"], Some(r#"{"regions": ["lumbar"], "pain_now": 14}"#));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("duration") || r.stderr.contains("pain_now"), "{}", r.stderr);
    let r = physio(dir.path(), &["triage", "--today", "25/11/2026", "-"], Some("{}"));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--today"), "{}", r.stderr);
}
