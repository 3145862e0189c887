//! Tidy: rules about the source tree itself, checked by reading it (rust-analyzer's `tidy.rs`),
//! so that `cargo test` alone enforces them. `physio-clinic` and `physio-motion` stay pure (no
//! clock, files, environment, processes, network, printing or async; no IO or async crate);
//! every source file opens with a `//!` line saying what it is; the server's `api` and `pages`
//! never import each other; the CLI, like them, writes only through the care layer.
//!
//! The crates' `clippy.toml` files ban the same calls by resolved path; this reads the text, so
//! it also runs where clippy does not. Comments and string literals are blanked before
//! searching, so documentation may name what the code must not do.

use std::path::{Path, PathBuf};

/// The crates that do no IO and read no clock (ARCHITECTURE.md).
const PURE_CRATES: [&str; 2] = ["clinic", "motion"];

/// What a pure crate's code must not contain: (needle, what it would do). A needle that begins
/// with an identifier character only matches at the start of a word.
const IMPURE: &[(&str, &str)] = &[
    ("SystemTime", "reads the clock"),
    ("Instant::now", "reads the clock"),
    ("Instant::elapsed", "reads the clock"),
    ("std::time::Instant", "reads the clock"),
    ("now_utc", "reads the clock"),
    ("now_local", "reads the clock"),
    ("UtcDateTime::now", "reads the clock"),
    ("OffsetDateTime::now", "reads the clock"),
    ("PrimitiveDateTime::now", "reads the clock"),
    ("Date::today", "reads the clock"),
    ("Utc::now", "reads the clock"),
    ("Local::now", "reads the clock"),
    ("std::fs", "touches files"),
    ("fs::", "touches files"),
    ("File::open", "touches files"),
    ("File::create", "touches files"),
    ("OpenOptions", "touches files"),
    ("std::path", "touches files"),
    ("PathBuf", "touches files"),
    ("std::env", "reads the environment"),
    ("env::var", "reads the environment"),
    ("env::args", "reads the environment"),
    ("std::process", "runs or ends processes"),
    ("Command::new", "runs processes"),
    ("std::net", "uses the network"),
    ("std::io::stdin", "reads the terminal"),
    ("stdin()", "reads the terminal"),
    ("stdout()", "prints"),
    ("stderr()", "prints"),
    ("println!", "prints"),
    ("print!", "prints"),
    ("eprintln!", "prints"),
    ("eprint!", "prints"),
    ("dbg!", "prints"),
    ("tokio", "is async IO"),
    ("async_std", "is async IO"),
    ("async fn", "is async"),
    (".await", "is async"),
];

/// Crates a pure crate must not depend on: IO, async, databases, HTTP, logging output, clocks
/// and randomness behind the caller's back, and the workspace's IO crates.
const IMPURE_DEPENDENCIES: &[&str] = &[
    "tokio",
    "async-std",
    "smol",
    "futures",
    "futures-util",
    "mio",
    "sqlx",
    "rusqlite",
    "postgres",
    "tokio-postgres",
    "reqwest",
    "hyper",
    "ureq",
    "axum",
    "tower",
    "tower-http",
    "tracing-subscriber",
    "env_logger",
    "tempfile",
    "walkdir",
    "glob",
    "dirs",
    "notify",
    "flate2",
    "rand",
    "getrandom",
    "uuid",
    "chrono",
    "physio",
    "physio-store",
    "physio-server",
];

#[test]
fn pure_crates_read_no_clock_files_or_environment() {
    let mut found = Vec::new();
    for krate in PURE_CRATES {
        for path in rust_files(&root().join("crates").join(krate).join("src")) {
            let text = read(&path);
            let code = blank_comments_and_strings(&text);
            for (n, (line, original)) in code.lines().zip(text.lines()).enumerate() {
                let hits: Vec<String> = IMPURE
                    .iter()
                    .filter(|(needle, _)| contains_word(line, needle))
                    .map(|(needle, why)| format!("`{needle}` {why}"))
                    .collect();
                if !hits.is_empty() {
                    let (file, hits) = (relative(&path), hits.join(", "));
                    found.push(format!("{file}:{}: {hits}: {}", n + 1, original.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "clinic and motion are pure (no IO, no clock; ARCHITECTURE.md): take the time, the \
         settings and the data as arguments instead.\n{}",
        found.join("\n")
    );
}

#[test]
fn pure_crates_depend_on_no_io_or_async_crate() {
    let mut found = Vec::new();
    for krate in PURE_CRATES {
        let path = root().join("crates").join(krate).join("Cargo.toml");
        let manifest: toml::Table =
            read(&path).parse().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // Normal dependencies, also per target; dev-dependencies (test harnesses) may do IO.
        let mut tables = vec![manifest.get("dependencies")];
        if let Some(targets) = manifest.get("target").and_then(toml::Value::as_table) {
            tables.extend(targets.values().map(|t| t.get("dependencies")));
        }
        for table in tables.into_iter().flatten().filter_map(toml::Value::as_table) {
            for (name, spec) in table {
                // `name = { package = "…" }` renames a dependency.
                let package = spec.get("package").and_then(toml::Value::as_str).unwrap_or(name);
                let workspace = package.starts_with("physio") && krate == "motion";
                if IMPURE_DEPENDENCIES.contains(&package) || workspace {
                    found.push(format!("{}: depends on `{package}`", relative(&path)));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "clinic and motion depend on no IO or async crate (and motion on no workspace crate; \
         ARCHITECTURE.md).\n{}",
        found.join("\n")
    );
}

#[test]
fn every_source_file_opens_with_a_doc_comment() {
    let mut found = Vec::new();
    for krate in std::fs::read_dir(root().join("crates")).unwrap() {
        for path in rust_files(&krate.unwrap().path().join("src")) {
            if !read(&path).starts_with("//!") {
                found.push(relative(&path));
            }
        }
    }
    assert!(
        found.is_empty(),
        "every file under crates/*/src opens with a `//!` line saying what it is; these do \
         not:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scanner_reads_code_not_comments_or_strings() {
    let text = "/// Calls std::fs::read.\nlet s = \"std::env::var\"; /* Instant::now() */\n\
                let r = r#\"now_utc \"quoted\"\"#; let c = '\"';\nlet t = SystemTime::now();\n";
    let code = blank_comments_and_strings(text);
    assert_eq!(code.lines().count(), text.lines().count());
    let hits: Vec<usize> = code
        .lines()
        .enumerate()
        .filter(|(_, l)| IMPURE.iter().any(|(needle, _)| contains_word(l, needle)))
        .map(|(n, _)| n + 1)
        .collect();
    assert_eq!(hits, [4], "{code}");
    assert!(contains_word("use std::{fs::File};", "fs::"));
    assert!(!contains_word("let refs::x = 1;", "fs::"));
    assert!(!contains_word("eprintln!(\"\")", "print!"));
}

#[test]
fn api_and_pages_never_import_each_other() {
    let found = api_and_pages_are_independent();
    assert!(
        found.is_empty(),
        "crates/server/src/api and crates/server/src/pages are adapters over the same care steps \
         and never import each other (issue #10): move what they share below both.\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_care_layer_writes() {
    // A write needs a transaction: `begin()` on the store. Outside `care/`, only the sign-in
    // bookkeeping in `auth.rs` and the audit of refusals in `state.rs` may open one.
    let server = root().join("crates/server/src");
    let mut found = Vec::new();
    for dir in ["api", "pages"] {
        for path in rust_files(&server.join(dir)) {
            let text = read(&path);
            let code = blank_comments_and_strings(&text);
            for (n, line) in code.lines().enumerate() {
                if line.contains(".begin()") || contains_word(line, "Tx") {
                    found.push(format!("{}:{}: {}", relative(&path), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the API and the pages write only through crates/server/src/care (issue #10):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_cli_writes_only_through_the_care_layer() {
    // `physio clinic add`, `user add` and `demo` call the care layer's actions, which audit
    // each change in its own transaction; the binary never opens one itself.
    let mut found = Vec::new();
    for path in rust_files(&root().join("crates/cli/src")) {
        let code = blank_comments_and_strings(&read(&path));
        for (n, line) in code.lines().enumerate() {
            if line.contains(".begin()") || contains_word(line, "Tx") {
                found.push(format!("{}:{}: {}", relative(&path), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the CLI writes only through crates/server/src/care (issue #10):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_server_uses_typed_triage() {
    // Triage is typed from clinic to screen: no JSON entry point, no tier spelled as a string.
    let server = root().join("crates/server/src");
    let mut found = Vec::new();
    for path in rust_files(&server) {
        let text = read(&path);
        let code = blank_comments_and_strings(&text);
        for (n, (line, raw)) in code.lines().zip(text.lines()).enumerate() {
            let tier_literal =
                ["\"emergency\"", "\"urgent\"", "\"specialist\""].iter().any(|t| raw.contains(t));
            if line.contains("triage_json") || tier_literal {
                found.push(format!("{}:{}: {}", relative(&path), n + 1, raw.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "use physio_clinic::triage::Tier and the typed triage, not names (issue #10):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scanner_finds_every_way_of_naming_a_module() {
    let code = "use crate::{\n    access,\n    pages::{self, Form},\n};\n\
                let x = crate::pages::f();\nuse super::super::pages;\n\
                use super::{pages as p};\nlet s = crate :: pages :: g;\n\
                use crate::care::pages;\nlet y = my_pages::f(); // crate::pages\n";
    let code = blank_comments_and_strings(code);
    assert_eq!(references_to(&code, "pages"), [3, 5, 6, 7, 8]);
    assert_eq!(references_to(&code, "care"), [9]);
}

/// The lines under `crates/server/src/api` that name the `pages` module, and under
/// `crates/server/src/pages` that name `api`, as `file:line: text` (empty when the two are
/// independent).
fn api_and_pages_are_independent() -> Vec<String> {
    let server = root().join("crates/server/src");
    let mut found = Vec::new();
    for (dir, other) in [("api", "pages"), ("pages", "api")] {
        for path in rust_files(&server.join(dir)) {
            let text = read(&path);
            let lines: Vec<&str> = text.lines().collect();
            for n in references_to(&blank_comments_and_strings(&text), other) {
                found.push(format!("{}:{n}: {}", relative(&path), lines[n - 1].trim()));
            }
        }
    }
    found
}

/// The lines (1-based, each once) where `code` names the crate's top-level module `module`:
/// a path `crate::module…` or `super::…::module…` (whitespace allowed around `::`), or an item
/// `module…` directly inside a `crate::{…}` or `super::{…}` group.
fn references_to(code: &str, module: &str) -> Vec<usize> {
    // Tokens: identifiers, `::` and single punctuation, with the line each is on.
    let mut tokens: Vec<(&str, usize)> = Vec::new();
    let (mut line, mut i) = (1, 0);
    let b = code.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    while i < b.len() {
        let len = if ident(b[i]) {
            b[i..].iter().take_while(|&&c| ident(c)).count()
        } else if code[i..].starts_with("::") {
            2
        } else {
            code[i..].chars().next().map_or(1, char::len_utf8)
        };
        let token = &code[i..i + len];
        if b[i] == b'\n' {
            line += 1;
        } else if !token.trim().is_empty() {
            tokens.push((token, line));
        }
        i += len;
    }
    let mut found = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        let starts_path = k == 0 || tokens[k - 1].0 != "::";
        if !(starts_path && matches!(tokens[k].0, "crate" | "super")) {
            k += 1;
            continue;
        }
        // The root: `crate` or `super` (`:: super`)*, then `::`.
        let mut j = k + 1;
        while tokens.get(j).is_some_and(|t| t.0 == "::")
            && tokens.get(j + 1).is_some_and(|t| t.0 == "super")
        {
            j += 2;
        }
        if tokens.get(j).is_some_and(|t| t.0 == "::") {
            match tokens.get(j + 1) {
                Some(&(name, line)) if name == module => found.push(line),
                Some(&("{", _)) => {
                    // Items directly inside the group: the first token after `{` or a `,`.
                    let (mut depth, mut m, mut item_start) = (1, j + 2, true);
                    while depth > 0 && m < tokens.len() {
                        let (t, line) = tokens[m];
                        if depth == 1 && item_start && t == module {
                            found.push(line);
                        }
                        item_start = depth == 1 && t == ",";
                        match t {
                            "{" => depth += 1,
                            "}" => depth -= 1,
                            _ => {}
                        }
                        m += 1;
                    }
                }
                _ => {}
            }
        }
        k = j + 1;
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `.rs` file under `dir`, sorted (none when `dir` does not exist).
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Whether `line` contains `needle`, at the start of a word when the needle begins with an
/// identifier character (`fs::` is not found in `refs::`).
fn contains_word(line: &str, needle: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let starts_word = needle.starts_with(ident);
    line.match_indices(needle).any(|(i, _)| !starts_word || !line[..i].ends_with(ident))
}

/// The text with comments and the contents of string and character literals replaced by
/// spaces (line breaks kept, so line numbers stay).
fn blank_comments_and_strings(text: &str) -> String {
    let s: Vec<char> = text.chars().collect();
    let mut out = s.clone();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let blank = |from: usize, to: usize, out: &mut Vec<char>| {
        for c in &mut out[from..to.min(s.len())] {
            if *c != '\n' {
                *c = ' ';
            }
        }
    };
    let at = |i: usize, p: &str| s[i..].iter().take(p.len()).copied().eq(p.chars());
    let mut i = 0;
    while i < s.len() {
        let word_start = i == 0 || !ident(s[i - 1]);
        if at(i, "//") {
            let end = s[i..].iter().position(|&c| c == '\n').map_or(s.len(), |n| i + n);
            blank(i, end, &mut out);
            i = end;
        } else if at(i, "/*") {
            let (mut depth, mut j) = (1, i + 2);
            while j < s.len() && depth > 0 {
                if at(j, "/*") {
                    (depth, j) = (depth + 1, j + 2);
                } else if at(j, "*/") {
                    (depth, j) = (depth - 1, j + 2);
                } else {
                    j += 1;
                }
            }
            blank(i, j, &mut out);
            i = j;
        } else if word_start && (at(i, "r#") || at(i, "r\"") || at(i, "br#") || at(i, "br\"")) {
            let mut j = i + if s[i] == 'b' { 2 } else { 1 };
            let hashes = s[j..].iter().take_while(|&&c| c == '#').count();
            j += hashes;
            if s.get(j) != Some(&'"') {
                i += 1;
                continue;
            }
            let close: String =
                std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            let mut k = j + 1;
            while k < s.len() && !at(k, &close) {
                k += 1;
            }
            blank(j + 1, k, &mut out);
            i = k + close.len();
        } else if s[i] == '"' {
            let mut k = i + 1;
            while k < s.len() && s[k] != '"' {
                k += if s[k] == '\\' { 2 } else { 1 };
            }
            blank(i + 1, k, &mut out);
            i = k + 1;
        } else if s[i] == '\'' {
            // A character literal ('x', '\n', '\u{..}'), or else a lifetime or label.
            let len = if s.get(i + 1) == Some(&'\\') {
                s[i + 2..].iter().position(|&c| c == '\'').map(|n| n + 3)
            } else {
                (s.get(i + 2) == Some(&'\'')).then_some(2)
            };
            match len {
                Some(len) => {
                    blank(i + 1, i + len, &mut out);
                    i += len + 1;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    out.into_iter().collect()
}
