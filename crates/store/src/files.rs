//! Files and folders that hold patient data are private to the account that runs Physio: a
//! folder it creates is 0700 and a database file 0600 on Unix, whatever the umask. SQLite
//! creates a database's `-wal` and `-shm` files with the database file's own mode, so creating
//! that file first, privately, covers all three.

use std::{io, path::Path};

use crate::{Result, StoreError};

/// Creates `dir` and any missing parents, each new one private. An existing folder is left as
/// it is: the operator chose it (it may be the working directory).
pub(crate) fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| io_error("creating", dir, &e))
}

/// Creates an empty private file at `path` unless something is there already.
pub(crate) fn create_private_file(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io_error("creating", path, &e)),
    }
}

fn io_error(doing: &str, path: &Path, e: &io::Error) -> StoreError {
    StoreError::Database(format!("{doing} {}: {e}", path.display()))
}

/// Makes an existing file private (0600 on Unix): `std::fs::copy` gives a copy its source's
/// mode.
pub(crate) fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| io_error("protecting", path, &e))?;
    }
    let _ = path;
    Ok(())
}
