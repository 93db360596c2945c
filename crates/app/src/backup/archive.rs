//! The backup file: age over a tar of `manifest.json` and the install's files, streamed (a
//! backup never sits whole in memory) and written through a temporary file, fsync and rename.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read};
use std::path::Path;

use tempfile::TempDir;

use super::{FORMAT, Manifest, invalid, member_path};
use crate::files::{create_private_dir, write_error};
use crate::{AppError, Result};

/// The database's name inside a backup; the other members are named after it.
pub(super) const DB: &str = "sportello.db";
const MANIFEST: &str = "manifest.json";
/// The install's files besides the database, in the order they are put back (the database
/// last: an install exists once its database does).
const MEMBERS: [&str; 3] = [
    "sportello.db.keys.previous",
    "sportello.db.keys",
    "sportello.db.slots",
];
/// Members a backup must have.
const REQUIRED: [&str; 3] = [DB, "sportello.db.keys", "sportello.db.slots"];
const MANIFEST_MAX: u64 = 64 * 1024;

/// Names the work folders of backups and restores next to the database.
const WORK_PREFIX: &str = ".sportello-backup-";
/// In a work folder, the file its process holds locked while it works.
const WORK_LOCK: &str = "in-uso";

/// A private temporary folder next to the database (same file system: its files are renamed
/// into place), removed when dropped. Its process holds a file in it locked; the folders of
/// processes stopped half-way (killed, or the power cut) are removed first.
pub(super) struct WorkDir {
    // Closed before the folder is removed (fields drop in order), as Windows requires.
    _lock: std::fs::File,
    dir: TempDir,
}

impl WorkDir {
    pub(super) fn path(&self) -> &Path {
        self.dir.path()
    }
}

pub(super) fn work_dir(db: &Path) -> Result<WorkDir> {
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |e: std::io::Error| write_error(dir, &e);
    create_private_dir(dir).map_err(fail)?;
    crate::files::sweep(
        dir,
        WORK_PREFIX,
        // A folder without its lock file is one whose process stopped before making it.
        |work| {
            std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(work.join(WORK_LOCK))
                .ok()
        },
        |work| std::fs::remove_dir_all(work),
    );
    let work = tempfile::Builder::new()
        .prefix(WORK_PREFIX)
        .tempdir_in(dir)
        .map_err(fail)?;
    let lock = std::fs::File::create(work.path().join(WORK_LOCK)).map_err(fail)?;
    lock.lock().map_err(fail)?;
    Ok(WorkDir {
        _lock: lock,
        dir: work,
    })
}

/// Writes the backup at `out`: the manifest, the snapshot, the install's other files.
/// Returns its size in bytes.
pub(super) fn write(
    out: &Path,
    manifest: &Manifest,
    snapshot: &Path,
    db: &Path,
    recipients: &[&age::x25519::Recipient],
) -> Result<u64> {
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |e: std::io::Error| write_error(out, &e);
    create_private_dir(dir).map_err(fail)?;
    let tmp = crate::files::partial_file(dir).map_err(fail)?;
    crate::files::restrict(tmp.path(), 0o600).map_err(fail)?;
    let encryptor =
        age::Encryptor::with_recipients(recipients.iter().map(|r| *r as &dyn age::Recipient))
            .map_err(|e| invalid(format!("cifratura del backup non riuscita: {e}")))?;
    let encrypted = encryptor
        .wrap_output(BufWriter::with_capacity(1 << 16, tmp.as_file()))
        .map_err(fail)?;
    let mut tar = tar::Builder::new(encrypted);
    let json = serde_json::to_vec_pretty(manifest).expect("a manifest serialises");
    let mut header = tar::Header::new_gnu();
    header.set_size(json.len() as u64);
    header.set_mode(0o600);
    header.set_cksum();
    tar.append_data(&mut header, MANIFEST, json.as_slice())
        .map_err(fail)?;
    tar.append_path_with_name(snapshot, DB).map_err(fail)?;
    for name in MEMBERS {
        let path = member_path(db, name);
        if path.exists() {
            tar.append_path_with_name(&path, name).map_err(fail)?;
        }
    }
    let encrypted = tar.into_inner().map_err(fail)?;
    let buffered = encrypted.finish().map_err(fail)?;
    buffered
        .into_inner()
        .map_err(|e| fail(e.into_error()))?
        .sync_all()
        .map_err(fail)?;
    let bytes = tmp.as_file().metadata().map_err(fail)?.len();
    sportello_store::failpoint::hit("backup-before-rename");
    tmp.persist(out).map_err(|e| fail(e.error))?;
    Ok(bytes)
}

/// Why a backup could not be unpacked.
pub(super) enum Unpacked {
    /// Not encrypted to the identity tried.
    NotOurs,
    Refused(AppError),
}

impl Unpacked {
    /// The error, saying for "not ours" that the backup is not `whose`.
    pub(super) fn not_ours(self, whose: &str) -> AppError {
        match self {
            Self::NotOurs => invalid(format!(
                "questo file non è un backup {whose}: si legge solo con la chiave di recupero \
                 dell'installazione che lo ha fatto"
            )),
            Self::Refused(e) => e,
        }
    }
}

impl From<AppError> for Unpacked {
    fn from(e: AppError) -> Self {
        Self::Refused(e)
    }
}

fn damaged() -> Unpacked {
    Unpacked::Refused(invalid(
        "il backup è incompleto o danneggiato (copia interrotta, chiavetta difettosa?): usarne \
         un altro",
    ))
}

/// Decrypts and unpacks the backup at `file` into `dest`; its manifest.
pub(super) fn unpack(
    file: &Path,
    identity: &age::x25519::Identity,
    dest: &Path,
) -> std::result::Result<Manifest, Unpacked> {
    let opened = File::open(file).map_err(|e| {
        invalid(format!(
            "impossibile leggere il backup {}: {e}",
            file.display()
        ))
    })?;
    let decryptor = age::Decryptor::new_buffered(BufReader::new(opened)).map_err(|_| {
        invalid(format!(
            "{} non è un backup di Sportello (né un file cifrato con age)",
            file.display()
        ))
    })?;
    let reader = decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => Unpacked::NotOurs,
            _ => damaged(),
        })?;
    let mut archive = tar::Archive::new(reader);
    let mut manifest = None;
    let mut found = Vec::new();
    for entry in archive.entries().map_err(|_| damaged())? {
        let entry = entry.map_err(|_| damaged())?;
        let name = entry
            .path()
            .map_err(|_| damaged())?
            .to_string_lossy()
            .into_owned();
        if name == MANIFEST {
            let mut text = String::new();
            entry
                .take(MANIFEST_MAX)
                .read_to_string(&mut text)
                .map_err(|_| damaged())?;
            manifest = Some(serde_json::from_str::<Manifest>(&text).map_err(|_| damaged())?);
        } else if name == DB || MEMBERS.contains(&name.as_str()) {
            copy_out(entry, &dest.join(&name))?;
            found.push(name);
        } else {
            return Err(invalid(format!("il backup contiene un file inatteso: {name}")).into());
        }
    }
    let manifest = manifest.ok_or_else(damaged)?;
    if manifest.format != FORMAT {
        return Err(invalid(format!(
            "backup in un formato che questa versione non conosce ({})",
            manifest.format
        ))
        .into());
    }
    if manifest.schema_version > sportello_store::SCHEMA_VERSION {
        return Err(invalid(
            "backup fatto da una versione più recente di Sportello: aggiornare l'applicazione",
        )
        .into());
    }
    if REQUIRED.iter().any(|r| !found.iter().any(|f| f == r)) {
        return Err(damaged());
    }
    Ok(manifest)
}

fn copy_out(mut from: impl Read, to: &Path) -> std::result::Result<(), Unpacked> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(to).map_err(|e| write_error(to, &e))?;
    match std::io::copy(&mut from, &mut file) {
        Ok(_) => file.sync_all().map_err(|e| write_error(to, &e).into()),
        // A write that failed is the disk's; a read that failed is the backup's.
        Err(e) if e.raw_os_error() == Some(28) => Err(write_error(to, &e).into()),
        Err(_) => Err(damaged()),
    }
}

/// Moves the unpacked files from `work` to the install at `db`, the database last.
pub(super) fn put_in_place(work: &Path, db: &Path) -> Result<()> {
    for name in MEMBERS.iter().chain(std::iter::once(&DB)) {
        let from = work.join(name);
        if from.exists() {
            let to = member_path(db, name);
            std::fs::rename(&from, &to).map_err(|e| write_error(&to, &e))?;
        }
    }
    Ok(())
}
