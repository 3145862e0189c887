//! `physio backup` and `physio restore`: an online copy of the database and its return into a
//! fresh one. SQLite is copied by the store (`VACUUM INTO`, safe while the server writes);
//! PostgreSQL by its own tools, `pg_dump` and `pg_restore`, which this runs when they are
//! installed. Either way the restored database is migrated and its audit chain verified before
//! the command says it worked (docs/backup.md).

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, Result, bail};
use physio_store::{
    Store,
    backup::{self, BackupError},
};

use crate::{BadInput, settings::Settings};

/// The database the settings name.
enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

fn target(settings: &Settings) -> Result<Target> {
    let url = &settings.database_url;
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Target::Postgres(url.clone()));
    }
    match url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
        Some(path) => Ok(Target::Sqlite(PathBuf::from(path))),
        None => bail!(BadInput("the database URL must be sqlite:PATH or postgres://…".into())),
    }
}

fn refused(e: BackupError) -> anyhow::Error {
    match e {
        BackupError::Refused(why) => BadInput(why).into(),
        BackupError::Store(e) => anyhow::Error::new(e),
    }
}

/// `physio backup OUT`.
pub(crate) async fn backup(settings: &Settings, out: &Path, force: bool) -> Result<()> {
    match target(settings)? {
        Target::Sqlite(path) => {
            if !path.is_file() {
                bail!(BadInput(format!(
                    "there is no database at {} to back up; check --data-dir or \
                     --database-url",
                    path.display()
                )));
            }
            let store = Store::connect(&settings.database_url).await.context("opening")?;
            store.backup_to(out, force).await.map_err(refused)?;
            store.close().await;
        }
        Target::Postgres(url) => {
            refuse_existing(out, force)?;
            let partial = with_suffix(out, ".partial");
            private_empty_file(&partial)?;
            let mut cmd = Command::new("pg_dump");
            cmd.args(["--format=custom", "--no-owner", "--file"]).arg(&partial);
            let run = pg_tool(cmd, &url, "pg_dump");
            if let Err(e) = run {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
            std::fs::rename(&partial, out).context("renaming the backup")?;
        }
    }
    let check = backup::check_backup(out).await;
    let summary = match check {
        Ok(c) => {
            format!("{} patients, {} staff, {} audit records", c.patients, c.staff, c.audit.records)
        }
        // A pg_dump archive is not an SQLite file; pg_restore reads it.
        Err(_) => "a pg_dump archive; restore it with `physio restore`".to_owned(),
    };
    println!("Backed up to {}: {summary}.", out.display());
    Ok(())
}

/// `physio restore FILE`.
pub(crate) async fn restore(settings: &Settings, file: &Path, force: bool) -> Result<()> {
    if !file.is_file() {
        bail!(BadInput(format!("{}: no such file", file.display())));
    }
    match target(settings)? {
        Target::Sqlite(path) => {
            let check = backup::check_backup(file).await.map_err(refused)?;
            if let Some(b) = check.audit.first_break {
                bail!(BadInput(format!(
                    "{} is damaged: its audit trail is broken at record {}: {}",
                    file.display(),
                    b.seq,
                    b.problem
                )));
            }
            backup::place_backup(file, &path, force).map_err(refused)?;
        }
        Target::Postgres(url) => {
            let listing = Command::new("pg_restore").arg("--list").arg(file).output();
            let listing = match listing {
                Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
                Ok(_) => bail!(BadInput(format!(
                    "{} is not a pg_dump archive (made by `physio backup` on PostgreSQL)",
                    file.display()
                ))),
                Err(e) => bail!(missing_tool("pg_restore", &e)),
            };
            if !(listing.contains("TABLE public audit_log ")
                && listing.contains("TABLE public _sqlx_migrations "))
            {
                bail!(BadInput(format!("{} is not a Physio database", file.display())));
            }
            let store = Store::connect(&url).await.context("opening the database")?;
            let holds_data = store.audit_head().await.is_ok();
            store.close().await;
            if holds_data && !force {
                bail!(BadInput(
                    "the database already holds Physio's tables; restore into a new, empty \
                     database, or stop the server and give --force to replace them"
                        .into()
                ));
            }
            let mut cmd = Command::new("pg_restore");
            cmd.args(["--no-owner", "--exit-on-error", "--single-transaction"]);
            if holds_data {
                cmd.args(["--clean", "--if-exists"]);
            }
            cmd.arg(file);
            pg_tool(cmd, &url, "pg_restore")?;
        }
    }
    let store = Store::connect(&settings.database_url).await.context("opening the database")?;
    store.migrate().await.context("migrating the restored database")?;
    let v = store.verify_audit().await?;
    let head = store.audit_head().await?;
    let patients = store.count_patients().await?;
    store.close().await;
    if let Some(b) = v.first_break {
        bail!("the restored audit trail is broken at record {}: {}", b.seq, b.problem);
    }
    println!(
        "Restored {}: {patients} patients; audit trail intact: {} records, head {}.",
        file.display(),
        v.records,
        head.hash
    );
    Ok(())
}

fn refuse_existing(out: &Path, force: bool) -> Result<()> {
    if out.exists() && !force {
        bail!(BadInput(format!(
            "{} already exists; choose another name, or give --force to replace it",
            out.display()
        )));
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn private_empty_file(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(())
}

/// Runs a PostgreSQL tool against `url`. The password, if the URL has one, goes in
/// `PGPASSWORD` rather than on the command line, where any user could read it in `ps`.
fn pg_tool(mut cmd: Command, url: &str, name: &str) -> Result<()> {
    let (url, password) = split_password(url);
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    cmd.arg("--dbname").arg(&url);
    let out = cmd.output().map_err(|e| missing_tool(name, &e))?;
    if !out.status.success() {
        bail!("{name} failed: {}", String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(())
}

fn missing_tool(name: &str, e: &std::io::Error) -> anyhow::Error {
    BadInput(format!(
        "cannot run {name} ({e}); install PostgreSQL's client tools, the same major version as \
         the server, or run it yourself as docs/backup.md shows"
    ))
    .into()
}

/// `postgres://user:secret@host/db` → (`postgres://user@host/db`, `secret`), percent-decoded.
fn split_password(url: &str) -> (String, Option<String>) {
    let Some(start) = url.find("://").map(|i| i + 3) else { return (url.to_owned(), None) };
    let authority_end = url[start..].find('/').map_or(url.len(), |i| start + i);
    let Some(at) = url[start..authority_end].rfind('@').map(|i| start + i) else {
        return (url.to_owned(), None);
    };
    let Some(colon) = url[start..at].find(':').map(|i| start + i) else {
        return (url.to_owned(), None);
    };
    let password = percent_decode(&url[colon + 1..at]);
    (format!("{}{}", &url[..colon], &url[at..]), Some(password))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::split_password;

    #[test]
    fn the_password_leaves_the_url() {
        assert_eq!(
            split_password("postgres://physio:s%40cret@db:5432/physio"),
            ("postgres://physio@db:5432/physio".to_owned(), Some("s@cret".to_owned()))
        );
        assert_eq!(split_password("postgres://db/physio"), ("postgres://db/physio".into(), None));
        assert_eq!(
            split_password("postgres://physio@db/physio?sslmode=require"),
            ("postgres://physio@db/physio?sslmode=require".into(), None)
        );
    }
}
