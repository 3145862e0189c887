//! `physio`: serve the platform, set up a demo clinic, migrate, manage users, verify the audit
//! trail, export and import the exercise library.

mod analyze;
mod backup;
mod demo;
mod exercises;
mod settings;

use std::{io::BufRead, process::ExitCode, sync::Arc};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use physio_server::{
    AppState, SystemClock,
    care::users::{InitialPassword, NewAccount},
    error::ApiError,
};
use physio_store::{Role, Store};
use settings::{GlobalArgs, LogFormat, ServeArgs, Settings};
use time::OffsetDateTime;

#[derive(Debug, Parser)]
#[command(name = "physio", version, about = "Self-hosted digital physical therapy for back pain")]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Apply database migrations, then serve the web app and API.
    Serve(ServeArgs),
    /// Create a demo clinic (if absent) with sample staff and patients, print the logins, serve.
    Demo(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Manage clinics.
    #[command(subcommand)]
    Clinic(ClinicCommand),
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Copy the database to FILE while the server runs (SQLite; PostgreSQL through pg_dump).
    Backup {
        /// Where to write the copy; an existing file is kept unless --force.
        file: std::path::PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Restore a backup made by `physio backup` into the database the settings name, then
    /// migrate it and verify its audit trail.
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
        /// Replace a database that already holds data (stop the server first).
        #[arg(long)]
        force: bool,
    },
    /// Work with the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Export, import and describe the exercise library.
    #[command(subcommand)]
    Exercises(exercises::ExercisesCommand),
    /// Triage an intake: reads the intake JSON (docs/intake.md) from FILE or standard input and
    /// prints the decision: tier, every rule that fired with its reason, pathway and phase.
    Triage {
        /// The intake file; `-` or nothing reads standard input.
        file: Option<std::path::PathBuf>,
        /// The date to triage as of, YYYY-MM-DD [default: today, UTC].
        #[arg(long)]
        today: Option<String>,
    },
    /// Score a questionnaire: reads {"answers": [...]} from FILE or standard input, prints JSON.
    Score {
        /// nprs, odi, ndi, psfs, phq9, gad7, wpai, pgic, startback or satisfaction.
        instrument: String,
        /// The answers file; `-` or nothing reads standard input.
        file: Option<std::path::PathBuf>,
    },
    /// Rewrite a 3-D recording in the live format (blazepose-json) on standard output, to replay
    /// it through the camera page.
    Convert {
        /// The input format, as for `analyze`.
        #[arg(long)]
        format: String,
        /// The output format: blazepose-json.
        #[arg(long, default_value = "blazepose-json")]
        to: String,
        /// Recording files, read in order as one continuous recording.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
    },
    /// Count repetitions, measure range and check form in recorded movement files.
    Analyze {
        /// Exercise id (see --list).
        #[arg(long, required_unless_present = "list")]
        exercise: Option<String>,
        /// blazepose-json, uiprmd-kinect, uiprmd-vicon, keraal-blazepose, keraal-kinect or
        /// keraal-vicon. For uiprmd-kinect give the positions files; the matching angles files
        /// are found by name. Gzip is detected.
        #[arg(long, required_unless_present = "list")]
        format: Option<String>,
        /// List every exercise id with its camera view, primary signal and how its counting has
        /// been checked (the figures; whether it is validated), then exit.
        #[arg(long)]
        list: bool,
        /// A reference recording of the same person doing the exercise well (for example a
        /// set supervised by the clinician), same format; repeat for several files. Its median
        /// repetition becomes the calibration the recording's repetitions are judged against.
        #[arg(long = "reference", value_name = "FILE")]
        reference: Vec<std::path::PathBuf>,
        /// `live` counts frame by frame exactly as a live camera session does (no second pass,
        /// no look-ahead; the recording is taken to begin at rest); `offline` uses the whole
        /// recording (the person's range from a first pass, a repetition already under way at
        /// the start).
        #[arg(long, value_enum, default_value = "offline")]
        mode: analyze::ModeArg,
        /// Recording files, read in order as one continuous recording.
        files: Vec<std::path::PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum ClinicCommand {
    /// Create a clinic.
    Add {
        /// The clinic's name, unique in this installation.
        name: String,
    },
    /// List clinics.
    List,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a user to a clinic. Prints a temporary password unless --password-stdin is given.
    Add {
        /// The clinic's name or id.
        #[arg(long)]
        clinic: String,
        /// patient, clinician or admin.
        #[arg(long)]
        role: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Clinicians: licence number.
        #[arg(long)]
        licence_number: Option<String>,
        /// Clinicians: where they are licensed.
        #[arg(long)]
        licence_jurisdiction: Option<String>,
        /// Patients: date of birth, YYYY-MM-DD.
        #[arg(long)]
        date_of_birth: Option<String>,
        /// Patients: why they came, in a sentence or two.
        #[arg(long)]
        summary: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check the hash chain of the whole audit trail; name the first broken record.
    Verify {
        /// Also print the chain's head (record count and newest hash), to keep outside the
        /// database: a later head that does not extend it shows records were rewritten.
        #[arg(long)]
        head: bool,
    },
}

/// A problem with what the user asked for (exit code 2), as opposed to a failure (exit code 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct BadInput(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let run = || -> Result<ExitCode> {
        let settings = Settings::resolve(&cli.global)?;
        init_logging(&settings)?;
        let rt = tokio::runtime::Runtime::new().context("starting the async runtime")?;
        rt.block_on(run(cli.command, settings))
    };
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            if e.downcast_ref::<BadInput>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn init_logging(s: &Settings) -> Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_new(&s.log)
        .map_err(|e| BadInput(format!("bad log filter {:?}: {e}", s.log)))?;
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match s.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.compact().init(),
    }
    Ok(())
}

async fn open(settings: &Settings) -> Result<Store> {
    let store = Store::connect(&settings.database_url).await.context("opening the database")?;
    store.migrate().await.context("migrating the database")?;
    Ok(store)
}

async fn run(command: Command, settings: Settings) -> Result<ExitCode> {
    match command {
        Command::Serve(args) => {
            let store = open(&settings).await?;
            serve(store, settings.server_config(&args)?).await?;
        }
        Command::Demo(args) => {
            let store = open(&settings).await?;
            let config = settings.server_config(&args)?;
            demo_clinic(&store, &config).await?;
            serve(store, config).await?;
        }
        Command::Migrate => {
            open(&settings).await?;
            println!("Database is up to date.");
        }
        Command::Clinic(ClinicCommand::Add { name }) => {
            let store = open(&settings).await?;
            let c =
                physio_server::care::operator::add_clinic(&store, &name, OffsetDateTime::now_utc())
                    .await
                    .map_err(bad_input)?;
            println!("Created clinic {:?} with id {}", c.name, c.id);
        }
        Command::Clinic(ClinicCommand::List) => {
            for c in open(&settings).await?.clinics().await? {
                println!("{}\t{}", c.id, c.name);
            }
        }
        Command::User(UserCommand::Add {
            clinic,
            role,
            email,
            name,
            password_stdin,
            licence_number,
            licence_jurisdiction,
            date_of_birth,
            summary,
        }) => {
            let store = open(&settings).await?;
            let clinic = find_clinic(&store, &clinic).await?;
            let Some(role) = Role::parse(&role) else {
                bail!(BadInput(format!("unknown role {role:?}: use patient, clinician or admin")))
            };
            let date_of_birth = match date_of_birth {
                Some(d) => Some(
                    time::Date::parse(
                        &d,
                        time::macros::format_description!("[year]-[month]-[day]"),
                    )
                    .map_err(|_| {
                        BadInput(format!("--date-of-birth {d:?} is not a date like 1958-07-21"))
                    })?,
                ),
                None => None,
            };
            let (password, generated) = if password_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line).context("reading the password")?;
                (line.trim_end_matches(['\r', '\n']).to_owned(), false)
            } else {
                (physio_server::auth::new_secret()[..20].to_owned(), true)
            };
            let req = NewAccount {
                email,
                name,
                role,
                // A generated password was chosen for the person, so it is only temporary.
                password: if generated {
                    InitialPassword::Temporary(password.clone())
                } else {
                    InitialPassword::Own(password.clone())
                },
                licence_number,
                licence_jurisdiction,
                date_of_birth,
                summary,
            };
            let now = OffsetDateTime::now_utc();
            let user = physio_server::care::operator::add_user(&store, clinic.id, req, now)
                .await
                .map_err(bad_input)?;
            println!("Added {} {} <{}> with id {}", user.role, user.name, user.email, user.id);
            if generated {
                println!("Temporary password: {password}");
            }
        }
        Command::Exercises(command) => exercises::run(command, &settings).await?,
        Command::Triage { file, today } => {
            let today = match today {
                Some(d) => parse_date(&d, "--today")?,
                None => OffsetDateTime::now_utc().date(),
            };
            let input = read_input(file.as_deref())?;
            let decision = physio_clinic::triage::triage_json(&input, today)
                .map_err(|e| BadInput(e.to_string()))?;
            println!("{}", serde_json::to_string_pretty(&decision)?);
        }
        Command::Score { instrument, file } => {
            let input = read_input(file.as_deref())?;
            let result = physio_clinic::questionnaire::score_json(&instrument, &input)
                .map_err(|e| BadInput(e.to_string()))?;
            println!("{}", serde_json::to_string_pretty(&result)?);
        }
        Command::Convert { format, to, files } => {
            print!("{}", analyze::convert(&format, &to, &files)?);
        }
        Command::Analyze { exercise, format, list, reference, mode, files } => {
            if list {
                print!("{}", analyze::list()?);
            } else {
                let (Some(exercise), Some(format)) = (exercise, format) else {
                    bail!(BadInput("give --exercise and --format, or --list".into()));
                };
                println!("{}", analyze::run(&exercise, &format, &files, &reference, mode)?);
            }
        }
        Command::Backup { file, force } => backup::backup(&settings, &file, force).await?,
        Command::Restore { file, force } => backup::restore(&settings, &file, force).await?,
        Command::Audit(AuditCommand::Verify { head }) => {
            let store = open(&settings).await?;
            let v = store.verify_audit().await?;
            match v.first_break {
                None => {
                    println!("Audit trail intact: {} records, hash chain verified.", v.records);
                    if head {
                        let h = store.audit_head().await?;
                        println!("Head: record {} hash {}", h.seq, h.hash);
                    }
                }
                Some(b) => {
                    let id = b.id.map(|i| format!(" (id {i})")).unwrap_or_default();
                    println!("Audit trail BROKEN at record {}{id}: {}", b.seq, b.problem);
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_date(s: &str, what: &str) -> Result<time::Date> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| BadInput(format!("{what} {s:?} is not a date like 2026-11-25")).into())
}

/// The contents of FILE, or of standard input for `-` or no file.
fn read_input(file: Option<&std::path::Path>) -> Result<String> {
    match file {
        Some(p) if p != std::path::Path::new("-") => {
            std::fs::read_to_string(p).map_err(|e| BadInput(format!("{}: {e}", p.display())).into())
        }
        _ => {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
                .context("reading standard input")?;
            Ok(s)
        }
    }
}

fn bad_input(e: ApiError) -> anyhow::Error {
    if e.status().is_server_error() {
        return anyhow::anyhow!("{e:?}");
    }
    let d = e.detail();
    match d.field {
        Some(f) => BadInput(format!("{}: {}", f.replace('_', "-"), d.message)).into(),
        None => BadInput(d.message).into(),
    }
}

async fn find_clinic(store: &Store, key: &str) -> Result<physio_store::Clinic> {
    if let Ok(id) = key.parse::<uuid::Uuid>()
        && let Ok(c) = store.clinic(id).await
    {
        return Ok(c);
    }
    match store.clinic_by_name(key).await? {
        Some(c) => Ok(c),
        None => {
            bail!(BadInput(format!("no clinic named {key:?}; create it with `physio clinic add`")))
        }
    }
}

async fn serve(store: Store, config: physio_server::Config) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("listening on {}", config.bind))?;
    let addr = listener.local_addr()?;
    let backend = format!("{:?}", store.backend()).to_lowercase();
    let state = AppState::new(store, Arc::new(SystemClock), config);
    println!("Listening on http://{addr}");
    tracing::info!(%addr, backend, "serving");
    physio_server::serve(listener, state, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}

/// Creates the demo clinic unless it exists, then prints the logins.
async fn demo_clinic(store: &Store, config: &physio_server::Config) -> Result<()> {
    let demo = demo::Demo::load()?;
    let started = std::time::Instant::now();
    let (clinic, created) = demo::ensure(store, config, &demo).await?;
    if created {
        println!("Created the demo clinic in {:.1} s.", started.elapsed().as_secs_f64());
    }
    println!(
        "Demo clinic \"{}\" is ready. Password for every demo account: {}",
        clinic.name,
        demo::PASSWORD
    );
    println!(
        "Two-step sign-in for staff is off in the demo so these passwords work on their own \
         (a new clinic has it on; the clinic admin page turns it on)."
    );
    println!("  admin      {}", demo.clinic.admin.email);
    for c in &demo.clinic.clinicians {
        println!("  clinician  {}", c.email);
    }
    for p in demo.patients.iter().take(3) {
        println!("  patient    {}", p.email);
    }
    println!("  ... and {} more patients (see the admin page).", demo.patients.len() - 3);
    Ok(())
}
