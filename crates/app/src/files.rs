//! Writing files so that a pulled USB stick or a crash never leaves half a file under the
//! final name: temp file in the same folder, fsync, rename.

use std::io::Write;
use std::path::Path;

use crate::{AppError, Result};

pub(crate) fn write_atomically(path: &Path, bytes: &[u8], private: bool) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |e: std::io::Error| write_error(path, &e);
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    if private {
        restrict(tmp.path()).map_err(fail)?;
    }
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

#[cfg(unix)]
fn restrict(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn restrict(_: &Path) -> std::io::Result<()> {
    Ok(())
}

pub(crate) fn write_error(path: &Path, e: &std::io::Error) -> AppError {
    if e.raw_os_error() == Some(28) || e.kind() == std::io::ErrorKind::StorageFull {
        return AppError::new(
            "disk_full",
            format!(
                "spazio esaurito scrivendo {}: liberare spazio (o usare un'altra chiavetta) e riprovare",
                path.display()
            ),
        );
    }
    AppError::new(
        "file_write",
        format!("impossibile scrivere {}: {e}", path.display()),
    )
}

pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        AppError::new(
            "file_unreadable",
            format!("impossibile leggere il file {}: {e}", path.display()),
        )
    })
}
