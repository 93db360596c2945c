//! Files the install writes and reads. Writes go through a temp file in the same folder, fsync,
//! rename, so a pulled USB stick or a crash never leaves half a file under the final name; what
//! is written is readable by the owner only (0600, folders 0700), as bundles, enrolment files,
//! keys and printed receipts name people or hold secrets. Reads are bounded: a file is sized
//! before a byte of it is read.

use std::io::{Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};
use sportello_sync::BundleError;
use sportello_sync::bundle::MAX_FILE_LEN;

use crate::{AppError, ErrorCode, Result};

/// Writes `bytes` at `path`, creating the missing folders (0700). Every file is written 0600,
/// so the last argument (once "private or not") no longer changes anything.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8], _private: bool) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |e: std::io::Error| write_error(path, &e);
    create_private_dir(dir).map_err(fail)?;
    let mut tmp = partial_file(dir).map_err(fail)?;
    restrict(tmp.path(), 0o600).map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    sportello_store::failpoint::hit("file-before-rename");
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// The name a file being written starts with (hidden): what a process stopped half-way left
/// is recognised by it.
const PARTIAL_PREFIX: &str = ".sportello-parziale-";

/// A hidden file in `dir` to write into and then rename into place, locked for as long as it
/// is held. What earlier processes left half-written in `dir` (killed, or the power cut) goes
/// first: files named so whose lock nobody holds.
pub(crate) fn partial_file(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    sweep(
        dir,
        PARTIAL_PREFIX,
        |path| std::fs::File::open(path).ok(),
        |path| std::fs::remove_file(path),
    );
    let tmp = tempfile::Builder::new()
        .prefix(PARTIAL_PREFIX)
        .tempfile_in(dir)?;
    tmp.as_file().lock()?;
    Ok(tmp)
}

/// Removes, best effort, the entries of `dir` named `prefix…` that a stopped process left:
/// those whose lock (the file `lock_of` opens) can be taken, since a live writer holds it.
pub(crate) fn sweep(
    dir: &Path,
    prefix: &str,
    lock_of: impl Fn(&Path) -> Option<std::fs::File>,
    remove: impl Fn(&Path) -> std::io::Result<()>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(prefix) {
            continue;
        }
        let path = entry.path();
        if lock_of(&path).is_some_and(|lock| lock.try_lock().is_ok()) {
            let _ = remove(&path);
        }
    }
}

/// Creates `dir` and its missing parents readable by the owner only; folders that already
/// exist keep their mode (a USB stick's, the user's documents).
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Sets `path`'s permission bits (Unix only; elsewhere the user's profile folder protects it).
#[cfg(unix)]
pub(crate) fn restrict(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
pub(crate) fn restrict(_: &Path, _: u32) -> std::io::Result<()> {
    Ok(())
}

pub(crate) fn write_error(path: &Path, e: &std::io::Error) -> AppError {
    if e.raw_os_error() == Some(28) || e.kind() == std::io::ErrorKind::StorageFull {
        return AppError::new(
            ErrorCode::DiskFull,
            format!(
                "spazio esaurito scrivendo {}: liberare spazio (o usare un'altra chiavetta) e riprovare",
                path.display()
            ),
        );
    }
    AppError::new(
        ErrorCode::FileWrite,
        format!(
            "impossibile scrivere {}: {}",
            path.display(),
            sportello_store::io_reason(e)
        ),
    )
}

/// Reads a Sportello file (bundle, enrolment or district file) whole, after checking that it
/// is a regular file no larger than any Sportello file can be: a wrong choice (a disk image, a
/// device, a pipe) is refused without reading it.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>> {
    read_bounded(path, MAX_FILE_LEN)
}

fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let unreadable = |e: std::io::Error| {
        AppError::new(
            ErrorCode::FileUnreadable,
            format!(
                "impossibile leggere il file {}: {}",
                path.display(),
                sportello_store::io_reason(&e)
            ),
        )
    };
    // Checked before opening: opening a pipe would wait for a writer.
    if !std::fs::metadata(path).map_err(unreadable)?.is_file() {
        return Err(refused(&BundleError::NotABundle));
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    // The size of what was opened, so a file swapped meanwhile is sized too.
    let size = file.metadata().map_err(unreadable)?.len();
    let too_large = |size| refused(&BundleError::FileTooLarge { size, limit });
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // A file still growing is read no further than one byte past the limit.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn refused(e: &BundleError) -> AppError {
    AppError::from(e)
}

/// What is written beside a quarantined copy: `<copy>.motivo.txt`.
pub(crate) const REASON_SUFFIX: &str = ".motivo.txt";

/// Keeps a refused `file` in the quarantine folder `dir` (0700; copies and reasons 0600), with
/// `reason` beside it. One copy per content: the copy is named `<when>-<SHA-256>-<name>` (so
/// the folder lists in the order files were refused), and a content already held gets only its
/// reason updated, so retrying a file never piles up copies. Nothing is copied that should not
/// be duplicated (see [`keepable`]). Best effort: a quarantine that fails never hides the
/// refusal itself.
pub(crate) fn quarantine(dir: &Path, file: &Path, name: &str, stamp: &str, reason: &str) {
    if create_private_dir(dir).is_err() {
        return;
    }
    // A folder an older version made with the default mode.
    let _ = restrict(dir, 0o700);
    let Some(bytes) = keepable(file) else {
        return;
    };
    let hash = format!("-{}-", hex::encode(Sha256::digest(&bytes)));
    let held = std::fs::read_dir(dir).ok().and_then(|entries| {
        entries.filter_map(|entry| entry.ok()).find_map(|entry| {
            let held_name = entry.file_name().to_string_lossy().into_owned();
            (held_name.contains(&hash) && !held_name.ends_with(REASON_SUFFIX)).then(|| entry.path())
        })
    });
    let copy = match held {
        Some(copy) => copy,
        None => {
            let copy = dir.join(format!("{stamp}{hash}{}", short_name(name)));
            if write_atomically(&copy, &bytes, true).is_err() {
                return;
            }
            copy
        }
    };
    let mut reason_path = copy.into_os_string();
    reason_path.push(REASON_SUFFIX);
    let _ = write_atomically(Path::new(&reason_path), reason.as_bytes(), true);
}

/// The bytes of `file` if a copy of it may be kept: a regular file (a symbolic link is not
/// followed: it could point at anything), within the size limit, and not a database, its
/// journal or a keys file, whose copies would spread personal data or secrets.
fn keepable(file: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::symlink_metadata(file).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_LEN {
        return None;
    }
    let name = file.file_name()?.to_string_lossy();
    if [".keys", "-wal", "-shm", "-journal"]
        .iter()
        .any(|suffix| name.ends_with(suffix))
    {
        return None;
    }
    let bytes = read_file(file).ok()?;
    let sqlite = bytes.starts_with(b"SQLite format 3\0");
    let wal = matches!(bytes.get(..4), Some([0x37, 0x7f, 0x06, 0x82 | 0x83]));
    let secret = [b"sportello-install-keys".as_slice(), b"AGE-SECRET-KEY-"]
        .iter()
        .any(|marker| bytes.windows(marker.len()).any(|w| w == *marker));
    (!sqlite && !wal && !secret).then_some(bytes)
}

/// A file name cut to 100 bytes (on a character boundary), so that with the time, the hash and
/// the reason's suffix it stays within the 255 bytes most file systems allow.
fn short_name(name: &str) -> &str {
    let mut end = name.len().min(100);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a stopped process left half-written goes at the next write in the folder; what a
    /// live writer holds, and every other file, stays.
    #[test]
    fn a_file_left_half_written_is_removed_at_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let left = dir.path().join(format!("{PARTIAL_PREFIX}lasciato"));
        std::fs::write(&left, b"met").unwrap();
        let held = dir.path().join(format!("{PARTIAL_PREFIX}in-scrittura"));
        std::fs::write(&held, b"met").unwrap();
        let writer = std::fs::File::open(&held).unwrap();
        writer.lock().unwrap();
        let other = dir.path().join(".altro");
        std::fs::write(&other, b"x").unwrap();

        write_atomically(&dir.path().join("nuovo.pdf"), b"%PDF", false).unwrap();

        assert!(!left.exists(), "the file left half-written is still there");
        assert!(held.exists(), "a file being written was removed");
        assert!(other.exists(), "another hidden file was removed");
        assert_eq!(
            std::fs::read(dir.path().join("nuovo.pdf")).unwrap(),
            b"%PDF"
        );
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("grande.sportello");
        std::fs::write(&path, [7u8; 100]).unwrap();
        assert_eq!(read_bounded(&path, 100).unwrap(), [7u8; 100]);
        let e = read_bounded(&path, 99).unwrap_err();
        assert_eq!(e.code, "file_too_large");
        assert_eq!(read_file(dir.path()).unwrap_err().code, "not_a_bundle");
    }

    fn held(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn one_copy_per_content_with_the_latest_reason() {
        let dir = tempfile::tempdir().unwrap();
        let q = dir.path().join("quarantena");
        let a = dir.path().join("a.sportello");
        let b = dir.path().join("b.sportello");
        std::fs::write(&a, b"uno").unwrap();
        std::fs::write(&b, b"uno").unwrap();
        quarantine(&q, &a, "a.sportello", "1", "truncated\nprimo\n");
        quarantine(&q, &a, "a.sportello", "2", "truncated\nsecondo\n");
        quarantine(&q, &b, "b.sportello", "3", "corrupted\nterzo\n");
        let names = held(&q);
        assert_eq!(names.len(), 2, "{names:?}");
        let hash = hex::encode(Sha256::digest(b"uno"));
        assert_eq!(names[0], format!("1-{hash}-a.sportello"));
        let reason = std::fs::read_to_string(q.join(&names[1])).unwrap();
        assert_eq!(reason, "corrupted\nterzo\n");
        std::fs::write(&b, b"due").unwrap();
        quarantine(&q, &b, "b.sportello", "4", "corrupted\n");
        assert_eq!(held(&q).len(), 4);
    }

    #[test]
    fn databases_keys_links_and_huge_files_are_never_copied() {
        let dir = tempfile::tempdir().unwrap();
        let q = dir.path().join("quarantena");
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        let refused = [
            write("copia.sportello", b"SQLite format 3\0 and pages"),
            write("wal.sportello", &[0x37, 0x7f, 0x06, 0x82, 0, 0]),
            write("sportello.db-shm", b"index"),
            write("sportello.db.keys", b"anything"),
            write("chiavi.txt", b"sportello-install-keys-v1\ned25519 00\n"),
            write("age.txt", b"# created\nAGE-SECRET-KEY-1QQQ\n"),
        ];
        let huge = dir.path().join("enorme.sportello");
        std::fs::File::create(&huge)
            .unwrap()
            .set_len(MAX_FILE_LEN + 1)
            .unwrap();
        for file in refused.iter().chain([&huge]) {
            quarantine(&q, file, "x", "1", "code\n");
        }
        #[cfg(unix)]
        {
            let secret = write("segreto.txt", b"non una chiave, ma privato");
            let link = dir.path().join("collegamento.sportello");
            std::os::unix::fs::symlink(&secret, &link).unwrap();
            quarantine(&q, &link, "collegamento.sportello", "1", "code\n");
        }
        assert_eq!(held(&q), Vec::<String>::new());
        quarantine(
            &q,
            &write("ok.sportello", b"bytes"),
            "ok.sportello",
            "1",
            "code\n",
        );
        assert_eq!(held(&q).len(), 2);
    }

    #[cfg(unix)]
    #[test]
    fn written_files_and_new_folders_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nuova/cartella/file.sportello");
        write_atomically(&path, b"x", false).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir.path().join("nuova")), 0o700);
        assert_eq!(mode(&dir.path().join("nuova/cartella")), 0o700);

        let q = dir.path().join("quarantena");
        std::fs::create_dir(&q).unwrap();
        restrict(&q, 0o755).unwrap();
        quarantine(&q, &path, "file.sportello", "1", "code\n");
        assert_eq!(mode(&q), 0o700);
        for name in held(&q) {
            assert_eq!(mode(&q.join(name)), 0o600);
        }
    }
}
