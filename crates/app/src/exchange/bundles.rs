//! Sync bundles between the comuni and the capofila (docs/bundle-format.md).
//!
//! Upload (comune → capofila): every own record changed since what the capofila acknowledged.
//! Publish (capofila → each comune): the acknowledgement, the bandi, and the latest published
//! ranking restricted to that comune's own applications. Import runs every check that can run
//! before writing, then applies the whole bundle in one transaction or nothing.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;
use sportello_store::{
    ApplyError, ApplySummary, BundleOut, Checked, CheckedRecords, Direction, Incoming,
    OLDEST_READABLE_SCHEMA, Record, RecordCheck, SCHEMA_VERSION, Snapshot,
};
use sportello_sync::{
    Ack, Addressee, BundleError, BundleKind, ChangeRange, HeaderFields, KEY_ROTATION_RECORD,
    KeyRotation, Receiver, Records, Role, Sealer, inspect, records, verify,
};

use super::Exchange;
use super::ahead::{Ahead, Chunk, apply_ahead};
use crate::files::{read_file, write_atomically};
use crate::trust::{refused, target};
use crate::{AppError, ErrorCode, Result, now};

/// Files imported per transaction: one commit for several bundles is much of the time of a
/// large import saved, while the database stays free for the window between them (50 files
/// of 2,000 records take under 2 s here; a writer waits up to 5 s before it is told).
const FILES_PER_COMMIT: usize = 50;

/// What the records read ahead of the writer take at most in one chunk (besides the record
/// that crosses it), as the reader's limits count memory: with the chunks waiting
/// (`exchange::ahead`), about 5 MiB at most.
const CHUNK_HELD: u64 = 1 << 19;

/// Bundle numbers and versions are stored as SQLite integers: a file claiming more is refused
/// (2^53, also exact in the window's JavaScript numbers).
const MAX_SEQ: u64 = 1 << 53;

/// What importing one file did (or would do, for a preview).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "bindings", derive(ts_rs::TS))]
pub struct ImportReport {
    pub file: String,
    /// `applied`, `already_imported` or `refused`.
    #[cfg_attr(
        feature = "bindings",
        ts(type = "\"applied\" | \"already_imported\" | \"refused\"")
    )]
    pub outcome: &'static str,
    pub sender: Option<String>,
    pub seq: Option<u64>,
    pub summary: Option<ApplySummary>,
    pub error: Option<AppError>,
}

/// What `bundle inspect` shows: the header as signed, and whether the signature holds.
#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    pub file: String,
    pub file_name: String,
    pub header: Value,
    pub header_sha256: String,
    /// `valid`, `invalid`, `unknown_key` or `revoked_key`.
    pub signature: &'static str,
    pub addressed_to_us: bool,
}

/// Where a bundle's records come from.
enum Source {
    /// This install's records above a version, streamed from the database.
    Since(i64),
    /// Records already chosen.
    Snapshot(Snapshot),
}

impl Exchange<'_> {
    /// Writes the bundles this install owes: at a comune one upload for the capofila, at the
    /// capofila one publish bundle per enrolled comune. Returns the files written.
    pub fn export(&mut self, out_dir: &Path) -> Result<Vec<PathBuf>> {
        self.require(crate::Action::ExchangeBundles)?;
        crate::files::create_private_dir(out_dir)
            .map_err(|e| crate::files::write_error(out_dir, &e))?;
        let trust = self.trust_list()?;
        let mut written = Vec::new();
        if self.install.is_capofila() {
            let comuni: Vec<_> = trust
                .entries()
                .iter()
                .filter(|e| e.role == Role::Comune && e.is_current())
                .map(|e| e.addressee())
                .collect();
            if comuni.is_empty() {
                return Err(AppError::new(
                    ErrorCode::NoRecipients,
                    "nessun comune ha ancora aderito: accettare prima le adesioni dei comuni \
                     (Impostazioni, o `enrol accept` da riga di comando)",
                ));
            }
            // Who is named where, as each comune's desk will be told (digests only).
            let recipients: Vec<String> = comuni.iter().map(|a| a.comune.clone()).collect();
            self.0.store.refresh_named_elsewhere(&recipients, now())?;
            for addressee in comuni {
                let snapshot = self
                    .store
                    .publish_snapshot(&self.install.comune, &addressee.comune)?;
                written.push(self.write_bundle(
                    BundleKind::Publish,
                    addressee,
                    Source::Snapshot(snapshot),
                    out_dir,
                )?);
            }
        } else {
            let capofila = trust.capofila().map(|e| e.addressee()).ok_or_else(|| {
                AppError::new(
                    ErrorCode::NoCapofilaKey,
                    "la chiave del capofila non è ancora registrata: accettare prima il file del \
                     distretto (Impostazioni, o `district accept` da riga di comando)",
                )
            })?;
            // The comune's monitoring counts, recomputed, travel with its records.
            self.0.refresh_monitoring()?;
            let acked = self.store.peer(&capofila.comune)?.acked_version;
            written.push(self.write_bundle(
                BundleKind::Upload,
                capofila,
                Source::Since(acked),
                out_dir,
            )?);
        }
        Ok(written)
    }

    fn write_bundle(
        &mut self,
        kind: BundleKind,
        to: Addressee,
        source: Source,
        out_dir: &Path,
    ) -> Result<PathBuf> {
        let peer = self.store.peer(&to.comune)?;
        let last_in = self.store.last_bundle_in(&to.comune)?;
        let (last_out, prev) = match self.store.last_bundle_out(&to.comune)? {
            Some((seq, hash)) => (seq, parse_hash(&hash)),
            None => (0, None),
        };
        // A new or restored install has forgotten bundles the recipient already holds: its
        // numbers continue above the last one the recipient confirmed.
        let seq = last_out.max(peer.acked_seq) + 1;
        let prev = prev.filter(|_| last_out >= peer.acked_seq);
        let (keys, rotation) = self.signing_keys(seq)?;
        // New keys of ours the capofila has not confirmed travel with every upload until it does.
        let rotation =
            rotation.map(|r| serde_json::json!({ "table": KEY_ROTATION_RECORD, "rotation": r }));
        let fields = |from_version: i64, to_version: i64| HeaderFields {
            kind,
            district: self.install.district.id.clone(),
            sender: self.install.comune.clone(),
            seq,
            prev_header_hash: prev,
            changes: ChangeRange {
                from_version: from_version as u64,
                to_version: to_version as u64,
            },
            ack: Ack {
                seq: last_in,
                version: peer.applied_version as u64,
            },
            schema_version: SCHEMA_VERSION as u32,
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            created_at: now().to_rfc3339(),
        };
        let start = |fields: &HeaderFields, records: u64| {
            let extra = u64::from(rotation.is_some());
            Sealer::new(fields, &keys, std::slice::from_ref(&to), records + extra)
                .map_err(|e| AppError::from(&e))
        };
        let finish = |mut sealer: Sealer| {
            if let Some(r) = &rotation {
                sealer.push(r).map_err(|e| AppError::from(&e))?;
            }
            sealer.finish(&keys).map_err(|e| AppError::from(&e))
        };
        // An upload streams its records from the database; a publish bundle's are chosen per
        // recipient, so they come held.
        let (sealed, fields, records, changes_to) = match source {
            Source::Since(after) => {
                let ((sealer, fields, count), to_version) = self.store.stream_since(
                    Direction::Upload,
                    &self.install.comune,
                    after,
                    |count, to_version| {
                        let fields = fields(after, to_version);
                        Ok::<_, AppError>((start(&fields, count)?, fields, count))
                    },
                    |(sealer, _, _), record| sealer.push(&record).map_err(|e| AppError::from(&e)),
                )?;
                (finish(sealer)?, fields, count as usize, to_version)
            }
            Source::Snapshot(snapshot) => {
                let fields = fields(0, snapshot.to_version);
                let mut sealer = start(&fields, snapshot.records.len() as u64)?;
                for record in &snapshot.records {
                    sealer.push(record).map_err(|e| AppError::from(&e))?;
                }
                let count = snapshot.records.len();
                (finish(sealer)?, fields, count, snapshot.to_version)
            }
        };
        // The bytes are kept before the file is written: one number, one content.
        self.0.store.save_bundle_out(
            &BundleOut {
                recipient: to.comune,
                seq,
                kind: match kind {
                    BundleKind::Upload => "upload",
                    BundleKind::Publish => "publish",
                }
                .into(),
                file_name: sealed.file_name.clone(),
                header_hash: hex::encode(sealed.header_hash),
                records,
                created_at: fields.created_at.clone(),
                ack_version: peer.applied_version,
                changes_to,
            },
            &sealed.bytes,
            now(),
            &self.0.actor,
        )?;
        let path = target(out_dir, &sealed.file_name);
        sportello_store::failpoint::hit("export-before-file");
        write_atomically(&path, &sealed.bytes, false)?;
        Ok(path)
    }

    /// Imports each file on its own: a refused file does not stop the others.
    pub fn import(&mut self, files: &[PathBuf]) -> Result<Vec<ImportReport>> {
        self.require(crate::Action::ExchangeBundles)?;
        // One time for the whole batch: the log tells its files apart from the next batch's.
        let at = now();
        let cache = self.0.store.import_cache()?;
        let mut reports = Vec::with_capacity(files.len());
        for batch in files.chunks(FILES_PER_COMMIT) {
            reports.extend(self.import_batch(batch, at)?);
        }
        self.0.store.restore_cache(cache)?;
        Ok(reports)
    }

    /// A few files as one transaction (one commit, not one per file). Should any be refused,
    /// or the commit fail, nothing of them is kept and they are imported again one by one, so
    /// each file still applies whole or not at all and a refusal is the same.
    fn import_batch(
        &mut self,
        files: &[PathBuf],
        at: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<Vec<ImportReport>> {
        // Busy, the files are tried one by one, each saying so as before.
        if files.len() > 1 && self.0.store.begin_import().is_ok() {
            let mut reports = Vec::with_capacity(files.len());
            for file in files {
                let report = self.import_one(file, false, at);
                if report.error.is_some() {
                    break;
                }
                reports.push(report);
            }
            if reports.len() == files.len() && self.0.store.commit_import().is_ok() {
                return Ok(reports);
            }
            self.0.store.abandon_import();
        }
        Ok(files
            .iter()
            .map(|f| self.import_one(f, false, at))
            .collect())
    }

    /// What importing would do, without changing anything (the summary shown before applying).
    pub fn preview(&mut self, files: &[PathBuf]) -> Result<Vec<ImportReport>> {
        self.require(crate::Action::ExchangeBundles)?;
        let at = now();
        Ok(files.iter().map(|f| self.import_one(f, true, at)).collect())
    }

    fn import_one(
        &mut self,
        file: &Path,
        dry_run: bool,
        at: chrono::DateTime<chrono::FixedOffset>,
    ) -> ImportReport {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut report = ImportReport {
            file: file.display().to_string(),
            outcome: "refused",
            sender: None,
            seq: None,
            summary: None,
            error: None,
        };
        match self.check_and_apply(file, dry_run, at, &mut report) {
            Ok(summary) => {
                report.outcome = if summary.already_imported {
                    "already_imported"
                } else {
                    "applied"
                };
                report.summary = Some(summary);
            }
            Err(e) => {
                if !dry_run {
                    self.quarantine(file, &name, &e);
                }
                report.error = Some(e);
            }
        }
        if let (false, Some(e)) = (dry_run, &report.error) {
            let sender = report.sender.as_deref().zip(report.seq);
            // The log outlives the refusal: codes and tables only, never a record's values.
            let logged = BundleError::log_message_for(e.code.as_str(), &e.message);
            if let Err(log_error) = self.store.log_refused_import(
                at,
                &self.actor,
                &name,
                sender,
                (e.code.as_str(), &logged),
            ) {
                report.error = Some(log_error.into());
            }
        }
        report
    }

    fn check_and_apply(
        &mut self,
        file: &Path,
        dry_run: bool,
        at: chrono::DateTime<chrono::FixedOffset>,
        report: &mut ImportReport,
    ) -> Result<ApplySummary> {
        // Sized before it is read, and kept without a copy of its payload.
        let inspected =
            sportello_sync::bundle::inspect_owned(read_file(file)?).map_err(|e| refused(&e))?;
        let header = inspected.header();
        report.sender = Some(header.sender.clone());
        report.seq = Some(header.seq);
        let keys = self.receiving_keys(&header.recipients)?;
        let mut trust = self.trust_list()?;
        let receiver = Receiver::new(&self.install.district.id, &self.install.comune, &keys);
        let expected = if self.install.is_capofila() {
            BundleKind::Upload
        } else {
            BundleKind::Publish
        };
        let verified = verify(&inspected, &trust, &receiver).map_err(|e| match e {
            // At a comune, an unknown signer of a publish bundle is the capofila's new key.
            BundleError::UnknownKey { ref sender, .. }
                if expected == BundleKind::Publish
                    && *sender == self.install.district.capofila =>
            {
                AppError::new(
                    ErrorCode::from(&e),
                "Il pacchetto è firmato con una chiave del capofila che questa installazione non \
                 conosce ancora: accettare prima l'ultimo file del distretto ricevuto dal \
                 capofila, poi importare di nuovo il pacchetto.",
                )
            }
            e => refused(&e),
        })?;
        if header.kind != expected {
            return Err(refused(&BundleError::NotAddressedToUs {
                recipients: header.sender.clone(),
                us: self.install.comune.clone(),
            }));
        }
        // Numbers the database can hold exactly, and a range that runs forward.
        if header.seq == 0 || header.seq > MAX_SEQ || header.ack.seq > MAX_SEQ {
            return Err(refused(&BundleError::SeqOutOfRange { seq: header.seq }));
        }
        let range = &header.changes;
        if range.from_version > range.to_version
            || range.to_version > MAX_SEQ
            || header.ack.version > MAX_SEQ
        {
            return Err(refused(&BundleError::ChangeRangeInvalid {
                from: range.from_version,
                to: range.to_version,
            }));
        }
        // Records are read in the layout of the schema that wrote them: older layouts are no
        // longer read, newer ones not yet (docs/bundle-format.md, "Record layout").
        let schema = i64::from(header.schema_version);
        if schema < OLDEST_READABLE_SCHEMA {
            return Err(refused(&BundleError::SenderOutdated {
                sender: header.sender.clone(),
                found: header.schema_version,
                oldest: OLDEST_READABLE_SCHEMA as u32,
            }));
        }
        if schema > SCHEMA_VERSION {
            return Err(refused(&BundleError::ReceiverOutdated {
                found: header.schema_version,
                supported: SCHEMA_VERSION as u32,
            }));
        }
        let direction = if expected == BundleKind::Upload {
            Direction::Upload
        } else {
            Direction::Publish
        };
        // A publish bundle may return our own applications: their highest case numbers are
        // read in a first pass, so that a number given again here moves past all of them.
        let returned_case_numbers = match direction {
            Direction::Publish => {
                let own = &self.install.comune;
                let mut pass = Reading::new(records(&verified, &keys).map_err(|e| refused(&e))?);
                let highest = sportello_store::highest_case_numbers(
                    pass.by_ref()
                        .map_while(std::result::Result::ok)
                        .filter(|r| r.meta.owner == *own),
                );
                if let Some(failure) = pass.failure {
                    return Err(failure);
                }
                highest
            }
            Direction::Upload => Default::default(),
        };
        let incoming = Incoming {
            sender: header.sender.clone(),
            seq: header.seq,
            kind: format!("{:?}", header.kind).to_lowercase(),
            header_hash: hex::encode(verified.header_hash()),
            file_name: file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            from_version: header.changes.from_version as i64,
            to_version: header.changes.to_version as i64,
            ack: header.ack.version as i64,
            ack_seq: header.ack.seq,
            schema_version: schema,
            returned_case_numbers,
        };
        let mut reading = Reading::new(records(&verified, &keys).map_err(|e| refused(&e))?);
        if direction == Direction::Upload {
            reading.rotations = Some((&mut trust, &header.sender));
        }
        let check = self.0.store.record_check(&incoming, direction)?;
        let (store, actor) = (&mut self.0.store, &self.0.actor);
        let applied = apply_ahead(
            || reading.next_chunk(&check),
            |records| store.apply_bundle(&incoming, records, direction, dry_run, at, actor),
        );
        let (rotated, failure) = (reading.rotated, reading.failure);
        let summary = match applied {
            Err(ApplyError::Unread) => return Err(failure.expect("the reading kept why it ended")),
            applied => applied.map_err(apply_refusal)?,
        };
        if !dry_run && !summary.already_imported {
            if rotated > 0 {
                self.save_trust_list(&trust)?;
            }
            if direction == Direction::Publish {
                self.rotation_confirmed(header.ack.seq)?;
            }
        }
        Ok(summary)
    }

    /// A refused file is kept, with why, in the `quarantena` folder next to the database
    /// ([`crate::files::quarantine`] says what is kept); the reason names no record value.
    fn quarantine(&self, file: &Path, name: &str, e: &AppError) {
        let dir = self
            .db_path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join("quarantena");
        let stamp = now().format("%Y%m%d-%H%M%S-%9f").to_string();
        let logged = BundleError::log_message_for(e.code.as_str(), &e.message);
        let reason = format!("{}\n{logged}\n", e.code);
        crate::files::quarantine(&dir, file, name, &stamp, &reason);
    }

    /// Framing and signature, header shown, nothing decrypted.
    pub fn inspect(&self, file: &Path) -> Result<Inspection> {
        self.require(crate::Action::ExchangeBundles)?;
        let bytes = read_file(file)?;
        let inspected = inspect(&bytes).map_err(|e| refused(&e))?;
        let trust = self.trust_list()?;
        let keys = self.keys()?;
        let receiver = Receiver::new(&self.install.district.id, &self.install.comune, &keys);
        let (signature, addressed_to_us) = match verify(&inspected, &trust, &receiver) {
            Ok(_) => ("valid", true),
            Err(BundleError::NotAddressedToUs { .. }) => ("valid", false),
            Err(BundleError::UnknownKey { .. } | BundleError::WrongDistrict { .. }) => {
                ("unknown_key", false)
            }
            Err(BundleError::RevokedKey { .. }) => ("revoked_key", false),
            Err(_) => ("invalid", false),
        };
        Ok(Inspection {
            file: file.display().to_string(),
            file_name: inspected.header().file_name(),
            header: serde_json::from_str(inspected.header_json()).unwrap_or(Value::Null),
            header_sha256: hex::encode(inspected.header_hash()),
            signature,
            addressed_to_us,
        })
    }

    /// Capofila: sets aside a stored row that cannot be read (`table/id`, as listings name it)
    /// and the rows that refer to it, with the reason; returns how many rows.
    pub fn quarantine_record(&mut self, record: &str, reason: &str) -> Result<usize> {
        self.require(crate::Action::Quarantine)?;
        self.require_capofila("mettere in quarantena un dato")?;
        if reason.trim().is_empty() {
            return Err(AppError::new(
                ErrorCode::ReasonMissing,
                "manca il motivo della quarantena: è obbligatorio e resta nel registro",
            ));
        }
        Ok(self
            .0
            .store
            .quarantine_record(record, reason.trim(), now(), &self.0.actor)?)
    }

    /// Bundles written, newest first.
    pub fn exports(&self, limit: usize) -> Result<Vec<BundleOut>> {
        self.require(crate::Action::ExchangeBundles)?;
        Ok(self.store.bundles_out(limit)?)
    }

    /// Every import attempt, newest first.
    pub fn imports(&self, limit: usize) -> Result<Vec<sportello_store::ImportLogEntry>> {
        self.require(crate::Action::ExchangeBundles)?;
        Ok(self.store.import_log(limit)?)
    }
}

fn parse_hash(text: &str) -> Option<[u8; 32]> {
    hex::decode(text).ok()?.try_into().ok()
}

/// A bundle's records read for the store, one at a time or checked in chunks on the thread
/// that reads ahead ([`apply_ahead`]). Key rotations (uploads only) are
/// checked against the trust list as they come, before the records after them are applied;
/// the first refusal is kept here, and the store told only that reading ended short
/// ([`ApplyError::Unread`]), so it writes nothing.
struct Reading<'v, 't> {
    lines: Records<'v>,
    /// The trust list and the sender, when the records may rotate the sender's keys.
    rotations: Option<(&'t mut sportello_sync::TrustList, &'t str)>,
    rotated: usize,
    failure: Option<AppError>,
    /// A record was refused: nothing after it is read.
    ended: bool,
    /// What the next chunk may hold: small at first, so that the writer starts soon.
    chunk_held: u64,
}

impl<'v> Reading<'v, '_> {
    fn new(lines: Records<'v>) -> Self {
        Self {
            lines,
            rotations: None,
            rotated: 0,
            failure: None,
            ended: false,
            chunk_held: CHUNK_HELD / 64,
        }
    }

    /// The next records, read and checked, until they take about [`CHUNK_HELD`] in memory;
    /// empty once the records end or one is refused (the refusal is the chunk's last item).
    fn next_chunk(
        &mut self,
        check: &RecordCheck,
    ) -> Chunk<std::result::Result<Checked, ApplyError>> {
        let mut chunk = Vec::new();
        let start = self.lines.held();
        while !self.ended && self.lines.held() - start < self.chunk_held {
            let Some(record) = self.next() else {
                break;
            };
            let checked = record.and_then(|r| check.check(r));
            self.ended = checked.is_err();
            chunk.push(checked);
        }
        self.chunk_held = (self.chunk_held * 2).min(CHUNK_HELD);
        chunk
    }

    fn rotate(&mut self, line: &Value) -> std::result::Result<(), BundleError> {
        let Some((trust, sender)) = self.rotations.as_mut() else {
            return Ok(());
        };
        let invalid = |reason: String| BundleError::InvalidRecord {
            record: "?".into(),
            reason,
        };
        let rotation: KeyRotation =
            serde_json::from_value(line["rotation"].clone()).map_err(|e| invalid(e.to_string()))?;
        if rotation.comune != *sender {
            return Err(invalid("chiavi nuove di un altro comune".into()));
        }
        trust
            .apply_rotation(&rotation)
            .map_err(|e| invalid(format!("chiavi nuove non valide: {e}")))?;
        self.rotated += 1;
        Ok(())
    }

    fn fail(&mut self, e: &BundleError) -> std::result::Result<Record, ApplyError> {
        self.failure = Some(refused(e));
        Err(ApplyError::Unread)
    }
}

impl Iterator for Reading<'_, '_> {
    type Item = std::result::Result<Record, ApplyError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let line = match self.lines.next()? {
                Ok(line) => line,
                Err(e) => return Some(self.fail(&e)),
            };
            if self.rotations.is_some() && line["table"] == KEY_ROTATION_RECORD {
                match self.rotate(&line) {
                    Ok(()) => continue,
                    Err(e) => return Some(self.fail(&e)),
                }
            }
            return Some(Record::from_line(line).or_else(|reason| {
                self.fail(&BundleError::InvalidRecord {
                    record: "?".into(),
                    reason,
                })
            }));
        }
    }
}

impl CheckedRecords for Ahead<std::result::Result<Checked, ApplyError>> {
    fn applied(&mut self, checked: Checked) {
        self.give_back(Ok(checked));
    }
}

fn apply_refusal(e: ApplyError) -> AppError {
    let refusal = match e {
        ApplyError::NotOwned {
            table,
            id,
            owner,
            sender,
        } => BundleError::RecordNotOwned {
            sender,
            owner,
            record: format!("{table}/{id}"),
        },
        ApplyError::Invalid { table, id, reason } => BundleError::InvalidRecord {
            record: format!("{table}/{id}"),
            reason,
        },
        ApplyError::Fork { sender, seq } => BundleError::Fork { sender, seq },
        ApplyError::Restored { sender, .. } => BundleError::SenderRestored { sender },
        ApplyError::Rollback { held, received, .. } => BundleError::Rollback {
            held: held as u64,
            received: received as u64,
        },
        // The reading keeps why it ended; this is only its fallback.
        ApplyError::Unread => BundleError::Corrupted(sportello_sync::Damage::Payload),
        ApplyError::Store(e) => return e.into(),
    };
    refused(&refusal)
}
