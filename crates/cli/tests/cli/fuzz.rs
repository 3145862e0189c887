//! schemathesis against the OpenAPI document of a running demo clinic, as every kind of caller
//! (anonymous, patient, clinician, admin) on both backends: no answer may be a server error,
//! and every answer must match the status codes, content type and schema the document gives.
//!
//! Bounded (30 examples per operation, the examples and fuzzing phases) so that it fits in CI,
//! and seeded so that a run is repeatable: `PHYSIO_FUZZ_SEED` picks another seed,
//! `PHYSIO_FUZZ_EXAMPLES` another bound. schemathesis comes from PyPI (`scripts/test` installs
//! it); without it the test reports itself skipped, which CI refuses.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    time::Duration,
};

use physio_store::testing::{TestDb, skip};
use serde_json::{Value, json};

const PASSWORD: &str = "physio-demo";
/// A demo account of each role (`crates/cli/src/demo.rs` prints them).
const CALLERS: [(&str, Option<&str>); 4] = [
    ("anonymous", None),
    ("patient", Some("maria.lopez@demo.physio.test")),
    ("clinician", Some("amara.okafor@demo.physio.test")),
    ("admin", Some("admin@demo.physio.test")),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_answers_fuzzing_as_documented_sqlite() {
    fuzz(TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_answers_fuzzing_as_documented_postgres() {
    let Some(db) = TestDb::postgres().await else { return };
    fuzz(db).await;
}

fn schemathesis() -> Option<Command> {
    let ok = Command::new("schemathesis")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then(|| Command::new("schemathesis"))
}

async fn fuzz(db: TestDb) {
    let Some(_) = schemathesis() else {
        skip("API fuzzing: schemathesis is not installed (pip install schemathesis)");
        return;
    };
    let mut demo = Demo::start(&db.url);
    let base = demo.base.clone();
    let mut failures = vec![];
    for (who, email) in CALLERS {
        let token = match email {
            Some(email) => Some(token_for(&base, email).await),
            None => None,
        };
        let out = tokio::task::block_in_place(|| run(&base, token.as_deref()));
        if !out.0 {
            failures.push(format!("as {who}:\n{}", out.1));
        }
    }
    demo.stop();
    assert!(failures.is_empty(), "schemathesis found problems\n{}", failures.join("\n\n"));
}

/// Signs in and creates a read-write API token for `email`.
async fn token_for(base: &str, email: &str) -> String {
    let c = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let login = json!({"email": email, "password": PASSWORD});
    let res = c.post(format!("{base}/api/v1/auth/login")).json(&login).send().await.unwrap();
    assert!(res.status().is_success(), "signing in {email}: {}", res.status());
    let csrf = res.json::<Value>().await.unwrap()["csrf_token"].as_str().unwrap().to_owned();
    let res = c
        .post(format!("{base}/api/v1/tokens"))
        .header("x-csrf-token", csrf)
        .json(&json!({"name": "fuzzing"}))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert!(status.is_success(), "creating a token for {email}: {status} {body}");
    body["secret"].as_str().unwrap().to_owned()
}

/// One schemathesis run; (passed, what it printed).
fn run(base: &str, token: Option<&str>) -> (bool, String) {
    let seed = std::env::var("PHYSIO_FUZZ_SEED").unwrap_or_else(|_| "20261207".into());
    let examples = std::env::var("PHYSIO_FUZZ_EXAMPLES").unwrap_or_else(|_| "30".into());
    let mut cmd = schemathesis().unwrap();
    cmd.arg("run")
        .arg(format!("{base}/api/v1/openapi.json"))
        .args(["--max-examples", &examples, "--seed", &seed, "--workers", "1"])
        .args(["--phases", "examples,fuzzing"])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
        ])
        // Signing out with the token would revoke it half-way through the run.
        .args(["--exclude-path", "/api/v1/auth/logout"])
        .args(["--request-timeout", "30"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    if let Some(t) = token {
        cmd.args(["--header", &format!("Authorization: Bearer {t}")]);
    }
    let out = cmd.output().expect("running schemathesis");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

/// `physio demo` on the test's database, serving on a free port until stopped.
struct Demo {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Demo {
    fn start(url: &str) -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_physio"))
            .args(["--database-url", url, "demo", "--bind", "127.0.0.1:0"])
            .env("PHYSIO_DATA_DIR", dir.path())
            .env_remove("PHYSIO_CONFIG")
            .env("PHYSIO_LOG", "error")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = line.strip_prefix("Listening on ") {
                    let _ = tx.send(addr.to_owned());
                }
            }
        });
        let Ok(base) = rx.recv_timeout(Duration::from_secs(300)) else {
            let _ = child.kill();
            panic!("physio demo did not start serving within 5 minutes");
        };
        Demo { child, base, _dir: dir }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        self.stop();
    }
}
