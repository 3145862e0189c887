//! Clinical vignettes: whole intakes with the triage result a clinician expects.
//!
//! Each `*.json` file next to this one holds a list of vignettes: a `name`, a `note` on why the
//! case matters, the `today` it is judged on, the `intake` exactly as `physio triage` would read
//! it, and what to `expect` (tier and the rules that fire, in output order; optionally pathway,
//! phase, precaution ids, screen results, whether a clinician must review, and the intake fields
//! the patient was not sure of, where `null` means "must be null" and a missing key means "not
//! checked"). When a rule change moved an expectation, the vignette's `note` says why, clinically. Every mismatch is reported with its file and vignette name, so one run
//! shows all of them. A second test checks the set covers every rule, tier, region and pathway,
//! and a third runs every intake in docs/examples.

#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::disallowed_macros,
    reason = "the harness reads the vignette files and reports; the crate itself does no IO (clippy.toml)"
)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use physio_clinic::intake::Region;
use physio_clinic::pathway::Pathway;
use physio_clinic::triage::{Tier, rules, triage_json};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use time::Date;
use time::macros::date;

/// The day the docs/examples intakes are written for.
const EXAMPLES_TODAY: Date = date!(2026 - 11 - 25);
/// The brief asks for at least this many vignettes.
const MIN_VIGNETTES: usize = 45;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vignette {
    name: String,
    // Read so that every vignette must say why it exists; not otherwise used.
    #[allow(dead_code, reason = "documentation for the reader of the data file")]
    note: String,
    today: Date,
    intake: Value,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    tier: String,
    rules: Vec<String>,
    #[serde(default, deserialize_with = "present")]
    pathway: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    phase: Option<Value>,
    #[serde(default)]
    precautions: Option<Vec<String>>,
    #[serde(default)]
    screens: Option<Map<String, Value>>,
    #[serde(default)]
    needs_clinician_review: Option<bool>,
    #[serde(default)]
    unknowns: Option<Vec<String>>,
}

/// Keeps an explicit `null` as `Some(Null)`, so "must be null" differs from "not checked".
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

fn here() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vignettes")
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// Every vignette with the name of the file it came from.
fn load() -> Vec<(String, Vignette)> {
    let mut all = Vec::new();
    for path in json_files(&here()) {
        let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {file}: {e}"));
        let list: Vec<Vignette> = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{file} is not a vignette list: {e}"));
        all.extend(list.into_iter().map(|v| (file.clone(), v)));
    }
    all
}

fn strings(value: &Value, list: &str, field: &str) -> Vec<String> {
    value[list]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i[field].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// Every way the output differs from the expectation, empty when it matches.
fn mismatches(v: &Vignette) -> Vec<String> {
    let out = match triage_json(&v.intake.to_string(), v.today) {
        Ok(out) => out,
        Err(err) => return vec![format!("intake rejected: {err}")],
    };
    let mut problems = Vec::new();
    let e = &v.expect;
    if out["tier"] != e.tier.as_str() {
        problems.push(format!("tier: expected {}, got {}", e.tier, out["tier"]));
    }
    let fired = strings(&out, "reasons", "rule");
    if fired != e.rules {
        problems.push(format!("rules (in output order): expected {:?}, got {fired:?}", e.rules));
    }
    for (key, expected) in [("pathway", &e.pathway), ("phase", &e.phase)] {
        if let Some(expected) = expected
            && out[key] != *expected
        {
            problems.push(format!("{key}: expected {expected}, got {}", out[key]));
        }
    }
    if let Some(expected) = &e.precautions {
        let got = strings(&out["phase_status"], "active_precautions", "id");
        if got != *expected {
            problems.push(format!("precautions: expected {expected:?}, got {got:?}"));
        }
    }
    if let Some(expected) = e.needs_clinician_review
        && out["needs_clinician_review"] != expected
    {
        problems.push(format!(
            "needs_clinician_review: expected {expected}, got {}",
            out["needs_clinician_review"]
        ));
    }
    if let Some(expected) = &e.unknowns {
        let got = strings(&out, "unknowns", "field");
        if got != *expected {
            problems.push(format!("unknowns: expected {expected:?}, got {got:?}"));
        }
    }
    for (screen, expected) in e.screens.iter().flatten() {
        let got = out["screens"]
            .as_array()
            .and_then(|list| list.iter().find(|s| s["screen"] == screen.as_str()))
            .map(|s| s["result"].clone());
        if got.as_ref() != Some(expected) {
            problems.push(format!("screen {screen}: expected {expected}, got {got:?}"));
        }
    }
    problems
}

#[test]
fn vignettes_match_expectations() {
    let vignettes = load();
    let mut report = Vec::new();
    for (file, v) in &vignettes {
        for problem in mismatches(v) {
            report.push(format!("{file} › {}: {problem}", v.name));
        }
    }
    assert!(report.is_empty(), "{} mismatch(es):\n{}", report.len(), report.join("\n"));
}

#[test]
fn vignettes_cover_every_rule_tier_region_and_pathway() {
    let vignettes = load();
    assert!(vignettes.len() >= MIN_VIGNETTES, "only {} vignettes", vignettes.len());

    let mut names = BTreeSet::new();
    for (file, v) in &vignettes {
        assert!(names.insert(v.name.as_str()), "{file}: duplicate vignette name {:?}", v.name);
    }

    let expected_rules: BTreeSet<&str> =
        vignettes.iter().flat_map(|(_, v)| v.expect.rules.iter().map(String::as_str)).collect();
    for rule in rules::rules() {
        assert!(expected_rules.contains(rule.id), "no vignette expects rule {}", rule.id);
    }
    let tiers: BTreeSet<&str> = vignettes.iter().map(|(_, v)| v.expect.tier.as_str()).collect();
    for tier in Tier::ALL {
        assert!(tiers.contains(tier.as_str()), "no vignette expects tier {}", tier.as_str());
    }
    let regions: BTreeSet<String> =
        vignettes.iter().flat_map(|(_, v)| strings_of(&v.intake["regions"])).collect();
    for region in Region::ALL {
        assert!(regions.contains(region.as_str()), "no vignette has {region} pain");
    }
    let pathways: BTreeSet<String> = vignettes
        .iter()
        .filter_map(|(_, v)| v.expect.pathway.as_ref().and_then(Value::as_str).map(str::to_owned))
        .collect();
    for pathway in Pathway::ALL {
        assert!(pathways.contains(pathway.as_str()), "no vignette expects pathway {pathway}");
    }
    let statuses: BTreeSet<&str> =
        vignettes.iter().filter_map(|(_, v)| v.intake["surgery"]["status"].as_str()).collect();
    for status in ["none", "recommended", "scheduled", "done"] {
        assert!(statuses.contains(status), "no vignette has surgery status {status}");
    }
}

fn strings_of(value: &Value) -> Vec<String> {
    value.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect()
}

/// Every file in docs/examples is accepted and gets the tier its name starts with.
#[test]
fn docs_examples_triage_to_the_tier_in_their_name() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples");
    let files = json_files(&dir);
    assert!(files.len() >= 6, "docs/examples has {} intakes", files.len());
    let mut tiers = BTreeSet::new();
    for path in files {
        let name = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {name}: {e}"));
        let out = triage_json(&text, EXAMPLES_TODAY).unwrap_or_else(|e| panic!("{name}: {e}"));
        let tier = name.split('-').next().unwrap_or_default().to_owned();
        assert_eq!(out["tier"], tier.as_str(), "{name}");
        tiers.insert(tier);
    }
    assert_eq!(tiers.len(), Tier::ALL.len(), "docs/examples should show every tier");
}
