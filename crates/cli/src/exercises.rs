//! `physio exercises`: the exercise library at the command line. `export` prints a library in
//! the export format (the built-in one, or a clinic's), `import` adds a file's exercises to a
//! clinic through the care layer (all or nothing), `schema` prints the JSON Schema of the format.

use std::{io::Write, path::Path};

use anyhow::{Result, bail};
use clap::Subcommand;
use physio_clinic::exercise::library::{self, Library};
use physio_server::{care, error::ApiError};
use time::OffsetDateTime;

use crate::{BadInput, settings::Settings};

#[derive(Debug, Subcommand)]
pub(crate) enum ExercisesCommand {
    /// Print the exercise library as JSON in the export format (docs/programmes.md): the
    /// built-in library, or with --clinic the built-in one and that clinic's own exercises.
    Export {
        /// The clinic's name or id; without it, the built-in library (no database needed).
        #[arg(long)]
        clinic: Option<String>,
        /// Only the clinic's own exercises.
        #[arg(long, requires = "clinic")]
        own: bool,
    },
    /// Import exercises from a file in the export format into a clinic's own library. Every
    /// entry is checked first; if any is refused, nothing is imported and each problem is named.
    Import {
        /// The library file.
        file: std::path::PathBuf,
        /// The clinic's name or id.
        #[arg(long)]
        clinic: String,
    },
    /// Print the JSON Schema of the export format (docs/exercise-library.schema.json).
    Schema,
}

pub(crate) async fn run(command: ExercisesCommand, settings: &Settings) -> Result<()> {
    match command {
        ExercisesCommand::Export { clinic: None, .. } => {
            print_json(&Library::of(library::builtin().to_vec()))
        }
        ExercisesCommand::Export { clinic: Some(clinic), own } => {
            let store = crate::open(settings).await?;
            let clinic = crate::find_clinic(&store, &clinic).await?;
            let lib = care::library::load(&store, clinic.id).await.map_err(failed)?;
            let exercises = if own { lib.own } else { lib.all().cloned().collect() };
            print_json(&Library::of(exercises))
        }
        ExercisesCommand::Import { file, clinic } => import(settings, &file, &clinic).await,
        ExercisesCommand::Schema => print_json(&schema()),
    }
}

/// The JSON Schema of the export format.
pub(crate) fn schema() -> serde_json::Value {
    library::library_schema()
}

/// Prints `value` as pretty JSON. A reader that stops early (`| head`) is not an error.
fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(e).context("writing to standard output"))
        }
        _ => Ok(()),
    }
}

async fn import(settings: &Settings, file: &Path, clinic: &str) -> Result<()> {
    // Read the file before touching the database: a wrong path is the user's to fix.
    let text =
        std::fs::read_to_string(file).map_err(|e| BadInput(format!("{}: {e}", file.display())))?;
    let store = crate::open(settings).await?;
    let clinic = crate::find_clinic(&store, clinic).await?;
    let now = OffsetDateTime::now_utc();
    match care::library::import_as_operator(&store, clinic.id, &text, now).await {
        Ok(report) => {
            println!(
                "Added {}, updated {} exercises to {}",
                report.added.len(),
                report.updated.len(),
                clinic.name
            );
            Ok(())
        }
        Err(ApiError::Problems(problems)) => {
            let name = file.display();
            for p in &problems {
                if p.field == "file" {
                    eprintln!("{name}: {}", p.message);
                } else {
                    eprintln!("{name}: {}: {}", p.field, p.message);
                }
            }
            let n = problems.len();
            let (count, them) = if n == 1 {
                ("1 problem".to_owned(), "it")
            } else {
                (format!("{n} problems"), "them")
            };
            bail!(BadInput(format!(
                "{count} in {name}, so nothing was imported: fix {them} and import the whole \
                 file again"
            )))
        }
        Err(e) => Err(crate::bad_input(e)),
    }
}

/// A read that failed: the database's fault, not the user's.
fn failed(e: ApiError) -> anyhow::Error {
    anyhow::anyhow!("{e:?}").context("reading the clinic's exercises")
}
