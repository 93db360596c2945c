//! A bundle's payload: JSON Lines (a manifest line, then one line per record), compressed with
//! zstd, encrypted with age to the recipients' X25519 keys. Written and read as streams so a
//! large bundle is never held twice in clear, and read within [`LIMITS`] so no file, however
//! made, takes more memory or time than the largest bundle a district could need.

use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::iter;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::bundle::{BundleKind, SealError};
use crate::error::Damage;
use crate::keys::KeyId;

/// zstd's default level: most of the gain on JSON for a fraction of the time of higher levels.
const ZSTD_LEVEL: i32 = 3;
/// The largest zstd window accepted (8 MiB): level 3 writes 2 MiB at most, and the window is
/// what the decoder allocates whatever the frame declares (up to 128 MiB by default).
const WINDOW_LOG_MAX: u32 = 23;

/// Room reserved per record for the payload being written: twice what a record takes on
/// average once compressed and encrypted, so the buffer rarely has to grow.
const PAYLOAD_BYTES_PER_RECORD: u64 = 160;
/// The most room reserved up front.
const MAX_PAYLOAD_ROOM: usize = 256 << 20;

/// How far a payload may expand when read (docs/bundle-format.md, "Limits"). Real bundles
/// decompress about 5 times and hold a few megabytes; each limit is far above that, and [`seal`]
/// refuses to write what [`open`] would refuse to read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Decompressed bytes per byte of (encrypted) payload in the file.
    pub ratio: u64,
    /// Decompressed bytes a payload may reach whatever its ratio, for the smallest payloads.
    pub floor: u64,
    /// Decompressed bytes, whatever the file.
    pub decompressed: u64,
    /// One line (manifest or record), without its newline.
    pub line: u64,
    /// One record once parsed, as counted by [`held_cost`]; this is what bounds memory, as a
    /// few bytes of JSON (`{"a":0}`) can take a hundred times their size as a `Value`. Records
    /// are read and applied one at a time, so this is the most a reader holds.
    pub held: u64,
}

pub(crate) const LIMITS: Limits = Limits {
    ratio: 64,
    floor: 1 << 20,
    decompressed: 1 << 30,
    line: 16 << 20,
    held: 64 << 20,
};

impl Limits {
    /// The decompressed bytes allowed for a payload of `payload_len` bytes in the file.
    pub(crate) fn decompressed_for(&self, payload_len: u64) -> u64 {
        payload_len
            .saturating_mul(self.ratio)
            .max(self.floor)
            .min(self.decompressed)
    }
}

// What parsing can allocate beyond a line's own bytes, per JSON token outside strings (serde_json
// 1 on 64-bit, glibc malloc; measured by `tests::held_cost_bounds_what_parsing_takes`): a `Value`
// is 32 bytes and a growing `Vec` keeps up to twice its length; a map's first entry allocates a
// whole B-tree node (11 slots, ~650 bytes), later ones a share of one; every allocation has a
// 16-byte header and a 32-byte minimum.
/// The line itself as an element of the records' `Vec`.
const VALUE_COST: u64 = 64;
/// `,`: one more element (an array's slot; a map's entry is counted at its `:`).
const ELEMENT_COST: u64 = 64;
/// `[`: an array's first allocation (4 slots).
const ARRAY_COST: u64 = 160;
/// `{`: a map's first node.
const MAP_COST: u64 = 704;
/// `:`: a map entry (key and value slots, node splits).
const ENTRY_COST: u64 = 192;
/// `"`: a string's allocation beyond its bytes.
const STRING_COST: u64 = 48;

/// An upper bound of the memory `line` takes once parsed into a `Value`, counted before
/// parsing: its bytes, plus what each token can allocate beyond them. Brackets and separators
/// inside strings cost nothing, so a ranking's rows carried as text cost their length.
pub(crate) fn held_cost(line: &[u8]) -> u64 {
    let mut cost = line.len() as u64 + VALUE_COST;
    let (mut in_string, mut escaped) = (false, false);
    for &b in line {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        cost += match b {
            b'"' => {
                in_string = true;
                STRING_COST
            }
            b',' => ELEMENT_COST,
            b'[' => ARRAY_COST,
            b'{' => MAP_COST,
            b':' => ENTRY_COST,
            _ => 0,
        };
    }
    cost
}

/// The first line of the payload: the header's identity and the number of records that follow,
/// so a payload cannot be moved under another header by someone who can read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Manifest {
    pub district: String,
    pub kind: BundleKind,
    pub sender: String,
    pub key_id: KeyId,
    pub seq: u64,
    pub records: u64,
}

impl Manifest {
    /// Everything but the record count, which only the manifest knows.
    fn same_identity(&self, other: &Manifest) -> bool {
        Manifest {
            records: other.records,
            ..self.clone()
        } == *other
    }
}

pub(crate) enum PayloadError {
    /// None of our keys opens it.
    NotForUs,
    Damaged(Damage),
}

/// Compresses and encrypts the manifest and `records`, refusing what [`open`] would refuse.
#[cfg(test)]
pub(crate) fn seal(
    manifest: &Manifest,
    records: &[Value],
    recipients: &[age::x25519::Recipient],
) -> Result<Vec<u8>, SealError> {
    let mut payload = PayloadWriter::new(manifest, recipients)?;
    for record in records {
        payload.push(record)?;
    }
    payload.finish()
}

type Lines = BufWriter<zstd::stream::write::Encoder<'static, age::stream::StreamWriter<Vec<u8>>>>;

/// A payload being written: the manifest, then each record pushed, serialised, compressed and
/// encrypted as it comes, so a bundle's records are never all held at once — only the
/// encrypted bytes grow, a fraction of the records' size.
pub(crate) struct PayloadWriter {
    lines: Lines,
    /// The line being written, reused.
    line: Vec<u8>,
    written: u64,
}

fn encryption(e: io::Error) -> SealError {
    SealError::Encryption(e.to_string())
}

impl PayloadWriter {
    pub(crate) fn new(
        manifest: &Manifest,
        recipients: &[age::x25519::Recipient],
    ) -> Result<Self, SealError> {
        let encryptor =
            age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
                .map_err(|e| SealError::Encryption(e.to_string()))?;
        // Room for what the records usually take once compressed and encrypted (about 80
        // bytes each), reserved up front: growing by doubling would hold the old and the new
        // buffer at once, and memory reserved but never written takes no room.
        let room = usize::try_from(manifest.records.saturating_mul(PAYLOAD_BYTES_PER_RECORD))
            .unwrap_or(usize::MAX)
            .min(MAX_PAYLOAD_ROOM);
        let encrypted = encryptor
            .wrap_output(Vec::with_capacity(room))
            .map_err(encryption)?;
        let compressed =
            zstd::stream::write::Encoder::new(encrypted, ZSTD_LEVEL).map_err(encryption)?;
        let mut writer = Self {
            lines: BufWriter::with_capacity(1 << 16, compressed),
            line: serde_json::to_vec(manifest).expect("a manifest serialises"),
            written: 0,
        };
        writer.write_line()?;
        Ok(writer)
    }

    /// Appends one record.
    pub(crate) fn push(&mut self, record: &impl Serialize) -> Result<(), SealError> {
        // JSON escapes control characters inside strings, so a value never spans two lines.
        serde_json::to_writer(&mut self.line, record)
            .map_err(|e| SealError::Encryption(e.to_string()))?;
        self.write_line()
    }

    /// Lines are serialised one at a time so their size is known before they are written.
    fn write_line(&mut self) -> Result<(), SealError> {
        let too_large = |what: String| SealError::TooLarge { what };
        let line = &mut self.line;
        if line.len() as u64 > LIMITS.line {
            return Err(too_large(format!(
                "un dato di {} MB; massimo {} MB",
                megabytes(line.len() as u64),
                megabytes(LIMITS.line)
            )));
        }
        if held_cost(line) > LIMITS.held {
            return Err(too_large(format!(
                "un dato che occuperebbe oltre {} MB di memoria",
                megabytes(LIMITS.held)
            )));
        }
        self.written += line.len() as u64 + 1;
        if self.written > LIMITS.decompressed {
            return Err(too_large(format!(
                "dati per oltre {} MB",
                megabytes(LIMITS.decompressed)
            )));
        }
        line.push(b'\n');
        self.lines.write_all(line).map_err(encryption)?;
        line.clear();
        Ok(())
    }

    /// The encrypted payload.
    pub(crate) fn finish(self) -> Result<Vec<u8>, SealError> {
        let compressed = self
            .lines
            .into_inner()
            .map_err(|e| encryption(e.into_error()))?;
        let out = compressed
            .finish()
            .map_err(encryption)?
            .finish()
            .map_err(encryption)?;
        if self.written > LIMITS.decompressed_for(out.len() as u64) {
            return Err(SealError::TooLarge {
                what: format!("dati che si comprimono più di {} volte", LIMITS.ratio),
            });
        }
        Ok(out)
    }
}

/// Encrypts `compressed` as it is: for tests that need payloads [`seal`] never writes.
pub(crate) fn encrypt_raw(
    compressed: &[u8],
    recipients: &[age::x25519::Recipient],
) -> Result<Vec<u8>, SealError> {
    let encryption = |e: io::Error| SealError::Encryption(e.to_string());
    let encryptor =
        age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|e| SealError::Encryption(e.to_string()))?;
    let mut out = Vec::new();
    let mut encrypted = encryptor.wrap_output(&mut out).map_err(encryption)?;
    encrypted.write_all(compressed).map_err(encryption)?;
    encrypted.finish().map_err(encryption)?;
    Ok(out)
}

/// Every record of the payload, held at once.
#[cfg(test)]
pub(crate) fn open(
    ciphertext: &[u8],
    identity: &age::x25519::Identity,
    expected_identity: &Manifest,
) -> Result<Vec<Value>, PayloadError> {
    PayloadReader::new(ciphertext, identity, expected_identity, LIMITS)?.collect()
}

type Decompressed<'a> =
    zstd::stream::read::Decoder<'static, BufReader<age::stream::StreamReader<&'a [u8]>>>;

/// A payload being read: decrypted, decompressed and parsed one record at a time, so a
/// bundle's records are never all held at once, and each is refused before it is parsed if
/// it would take more memory than [`Limits::held`]. The manifest is read and checked first;
/// the count it announces is checked as lines come and at the end.
pub(crate) struct PayloadReader<'a> {
    lines: BufReader<Ceiling<Decompressed<'a>>>,
    /// The line being read, reused.
    line: Vec<u8>,
    limits: Limits,
    announced: u64,
    read: u64,
    /// What the records read so far take once parsed, as [`held_cost`] counts it.
    pub(crate) held: u64,
    /// A refusal ends the reading: nothing after it is read.
    failed: bool,
}

impl<'a> PayloadReader<'a> {
    pub(crate) fn new(
        ciphertext: &'a [u8],
        identity: &age::x25519::Identity,
        expected_identity: &Manifest,
        limits: Limits,
    ) -> Result<Self, PayloadError> {
        let damaged = |d| PayloadError::Damaged(d);
        let decryptor =
            age::Decryptor::new_buffered(ciphertext).map_err(|_| damaged(Damage::Payload))?;
        let decrypted = decryptor
            .decrypt(iter::once(identity as &dyn age::Identity))
            .map_err(|e| match e {
                age::DecryptError::NoMatchingKeys => PayloadError::NotForUs,
                _ => damaged(Damage::Payload),
            })?;
        let mut decompressed =
            zstd::stream::read::Decoder::new(decrypted).map_err(|_| damaged(Damage::Payload))?;
        decompressed
            .window_log_max(WINDOW_LOG_MAX)
            .map_err(|_| damaged(Damage::Payload))?;
        let ceiling = Ceiling {
            inner: decompressed,
            left: limits.decompressed_for(ciphertext.len() as u64),
            exceeded: false,
        };
        let mut reader = Self {
            lines: BufReader::with_capacity(1 << 16, ceiling),
            line: Vec::new(),
            limits,
            announced: 0,
            read: 0,
            held: 0,
            failed: false,
        };
        let manifest: Manifest = match next_line(&mut reader.lines, &mut reader.line, limits.line)?
        {
            Some(bytes) => serde_json::from_slice(bytes).map_err(|_| damaged(Damage::Manifest))?,
            None => return Err(damaged(Damage::Manifest)),
        };
        if !manifest.same_identity(expected_identity) {
            return Err(damaged(Damage::Manifest));
        }
        reader.announced = manifest.records;
        Ok(reader)
    }

    fn next_record(&mut self) -> Result<Option<Value>, PayloadError> {
        let damaged = |d| PayloadError::Damaged(d);
        let Some(bytes) = next_line(&mut self.lines, &mut self.line, self.limits.line)? else {
            return match self.read == self.announced {
                true => Ok(None),
                false => Err(damaged(Damage::Manifest)),
            };
        };
        if self.read == self.announced {
            return Err(damaged(Damage::Manifest));
        }
        self.read += 1;
        // Counted before parsing: what is refused is never built.
        let held = held_cost(bytes);
        if held > self.limits.held {
            return Err(damaged(Damage::RecordsTooLarge));
        }
        self.held += held;
        serde_json::from_slice(bytes)
            .map(Some)
            .map_err(|_| damaged(Damage::RecordLine))
    }
}

impl Iterator for PayloadReader<'_> {
    type Item = Result<Value, PayloadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let next = self.next_record();
        self.failed = next.is_err();
        next.transpose()
    }
}

/// A reader that fails, rather than ending, once more than `left` bytes came through: a payload
/// cut short by a limit must be refused, never read as complete.
struct Ceiling<R> {
    inner: R,
    left: u64,
    exceeded: bool,
}

impl<R: Read> Read for Ceiling<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // One byte beyond the allowance is enough to know it is exceeded.
        let want = buf
            .len()
            .min(usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.left {
            self.exceeded = true;
            return Err(io::Error::other("decompressed payload beyond its ceiling"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// The next newline-terminated line without its newline, at most `max` bytes; a last line
/// without one is damage.
fn next_line<'a, R: Read>(
    input: &mut BufReader<Ceiling<R>>,
    line: &'a mut Vec<u8>,
    max: u64,
) -> Result<Option<&'a [u8]>, PayloadError> {
    line.clear();
    let read = input
        .by_ref()
        .take(max.saturating_add(1))
        .read_until(b'\n', line)
        .map_err(|_| {
            PayloadError::Damaged(if input.get_ref().exceeded {
                Damage::DecompressedTooLarge
            } else {
                Damage::Payload
            })
        })?;
    match read {
        0 => Ok(None),
        _ if line.last() == Some(&b'\n') => Ok(Some(&line[..line.len() - 1])),
        _ if read as u64 > max => Err(PayloadError::Damaged(Damage::LineTooLong)),
        _ => Err(PayloadError::Damaged(Damage::RecordLine)),
    }
}

fn megabytes(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 20)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::InstallKeys;
    use serde_json::json;

    /// A zstd frame made by hand: `raw` stored as it is, then `repeat` copies of `byte` in
    /// run-length blocks of 128 KiB (4 bytes each: a 2 GiB run takes 64 KiB), then `tail`.
    pub(crate) fn zstd_frame(raw: &[u8], byte: u8, repeat: u64, tail: &[u8]) -> Vec<u8> {
        const BLOCK: u64 = 128 << 10;
        // Magic, then a descriptor with no content size and a 128 KiB window (2^(10+7)).
        let mut out = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3];
        let block = |out: &mut Vec<u8>, kind: u32, size: u64, last: bool| {
            let header = (size as u32) << 3 | kind << 1 | u32::from(last);
            out.extend_from_slice(&header.to_le_bytes()[..3]);
        };
        let raw_block = |out: &mut Vec<u8>, bytes: &[u8], last: bool| {
            let chunks: Vec<_> = bytes.chunks(BLOCK as usize).collect();
            for (i, chunk) in chunks.iter().enumerate() {
                block(out, 0, chunk.len() as u64, last && i + 1 == chunks.len());
                out.extend_from_slice(chunk);
            }
        };
        raw_block(&mut out, raw, false);
        let mut left = repeat;
        while left > 0 {
            let n = left.min(BLOCK);
            left -= n;
            block(&mut out, 1, n, left == 0 && tail.is_empty());
            out.push(byte);
        }
        raw_block(&mut out, tail, true);
        if tail.is_empty() && repeat == 0 {
            block(&mut out, 0, 0, true);
        }
        out
    }

    fn manifest_line(m: &Manifest) -> Vec<u8> {
        let mut line = serde_json::to_vec(m).unwrap();
        line.push(b'\n');
        line
    }

    fn open_raw(
        compressed: &[u8],
        keys: &InstallKeys,
        m: &Manifest,
        limits: &Limits,
    ) -> Result<Vec<Value>, PayloadError> {
        let sealed = encrypt_raw(compressed, &[recipient(keys)]).ok().unwrap();
        PayloadReader::new(&sealed, keys.age_identity(), m, *limits)?.collect()
    }

    fn damage(result: Result<Vec<Value>, PayloadError>) -> Option<Damage> {
        match result {
            Err(PayloadError::Damaged(d)) => Some(d),
            _ => None,
        }
    }

    #[test]
    fn a_hand_made_frame_reads_back() {
        let keys = InstallKeys::generate();
        let m = manifest(&keys, 2);
        let mut raw = manifest_line(&m);
        raw.extend_from_slice(b"[1,");
        let frame = zstd_frame(&raw, b' ', 300_000, b"2]\n{}\n");
        let opened = open_raw(&frame, &keys, &m, &LIMITS).ok().unwrap();
        assert_eq!(opened, vec![json!([1, 2]), json!({})]);
    }

    #[test]
    fn a_decompression_bomb_is_refused_at_its_ceiling() {
        let keys = InstallKeys::generate();
        let m = manifest(&keys, 1);
        // 2 GiB of spaces in 64 KiB: far past 64 times its size.
        let frame = zstd_frame(&manifest_line(&m), b' ', 2 << 30, b"1\n");
        assert!(frame.len() < 70_000);
        let start = std::time::Instant::now();
        assert_eq!(
            damage(open_raw(&frame, &keys, &m, &LIMITS)),
            Some(Damage::DecompressedTooLarge)
        );
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
        // Newlines instead: a flood of empty lines stops at the first.
        let frame = zstd_frame(&manifest_line(&m), b'\n', 2 << 30, b"");
        assert_eq!(
            damage(open_raw(&frame, &keys, &m, &LIMITS)),
            Some(Damage::RecordLine)
        );
    }

    #[test]
    fn a_line_longer_than_the_limit_is_refused() {
        let keys = InstallKeys::generate();
        let m = manifest(&keys, 1);
        let limits = Limits {
            line: 1000,
            ..LIMITS
        };
        let mut raw = manifest_line(&m);
        raw.push(b'"');
        let ok = zstd_frame(&raw, b'a', 998, b"\"\n");
        assert_eq!(open_raw(&ok, &keys, &m, &limits).ok().unwrap().len(), 1);
        let long = zstd_frame(&raw, b'a', 999, b"\"\n");
        assert_eq!(
            damage(open_raw(&long, &keys, &m, &limits)),
            Some(Damage::LineTooLong)
        );
        // At the real limit, without holding the line: 17 MiB of one run.
        let frame = zstd_frame(&raw, b'a', 17 << 20, &[b'x'; 300_000]);
        assert_eq!(
            damage(open_raw(&frame, &keys, &m, &LIMITS)),
            Some(Damage::LineTooLong)
        );
    }

    #[test]
    fn records_are_refused_before_they_take_more_memory_than_the_limit() {
        let keys = InstallKeys::generate();
        let line = b"[{\"a\":0},{\"a\":0},{\"a\":0}]";
        let limits = Limits {
            held: held_cost(line),
            ..LIMITS
        };
        // Records are held one at a time: many within the limit, however many, are read.
        let m = manifest(&keys, 1_000);
        let mut raw = manifest_line(&m);
        for _ in 0..1_000 {
            raw.extend_from_slice(line);
            raw.push(b'\n');
        }
        let frame = zstd_frame(&raw, 0, 0, b"");
        assert_eq!(
            open_raw(&frame, &keys, &m, &limits).ok().unwrap().len(),
            1_000
        );
        // One token more than the limit, and the record is refused unparsed.
        let m = manifest(&keys, 2);
        let mut raw = manifest_line(&m);
        raw.extend_from_slice(line);
        raw.extend_from_slice(b"\n[{\"a\":0},{\"a\":0},{\"a\":0},{\"a\":0}]\n");
        let frame = zstd_frame(&raw, 0, 0, b"");
        assert_eq!(
            damage(open_raw(&frame, &keys, &m, &limits)),
            Some(Damage::RecordsTooLarge)
        );
    }

    #[test]
    fn lines_beyond_the_announced_count_are_refused_at_once() {
        let keys = InstallKeys::generate();
        let m = manifest(&keys, 1);
        // The extra lines would be a gigabyte of records: the second one already stops it.
        let frame = zstd_frame(&manifest_line(&m), b'\n', 1 << 30, b"");
        let mut raw = manifest_line(&m);
        raw.extend_from_slice(b"1\n2\n");
        let extra = zstd_frame(&raw, 0, 0, b"");
        assert_eq!(
            damage(open_raw(&extra, &keys, &m, &LIMITS)),
            Some(Damage::Manifest)
        );
        assert!(damage(open_raw(&frame, &keys, &m, &LIMITS)).is_some());
    }

    #[test]
    fn a_frame_asking_for_a_huge_window_is_refused() {
        let keys = InstallKeys::generate();
        let m = manifest(&keys, 0);
        let mut frame = zstd_frame(&manifest_line(&m), 0, 0, b"");
        frame[5] = (27 - 10) << 3; // a 128 MiB window
        assert_eq!(
            damage(open_raw(&frame, &keys, &m, &LIMITS)),
            Some(Damage::Payload)
        );
    }

    #[test]
    fn seal_refuses_what_open_would_refuse() {
        let keys = InstallKeys::generate();
        let m = manifest(&keys, 1);
        let long = json!("a".repeat(LIMITS.line as usize));
        assert!(matches!(
            seal(&m, &[long], &[recipient(&keys)]),
            Err(SealError::TooLarge { .. })
        ));
        // A line that compresses beyond the ratio (a run of one letter).
        let dense = json!("a".repeat(8 << 20));
        assert!(matches!(
            seal(&m, &[dense], &[recipient(&keys)]),
            Err(SealError::TooLarge { .. })
        ));
        let fine = json!("a".repeat(100_000));
        let sealed = seal(&m, std::slice::from_ref(&fine), &[recipient(&keys)])
            .ok()
            .unwrap();
        assert_eq!(open(&sealed, keys.age_identity(), &m).ok().unwrap(), [fine]);
    }

    /// Lines of about 1 MiB of one JSON shape each, from the cheapest to the costliest per byte.
    fn shape(name: &str) -> Vec<u8> {
        let repeat = |item: &str| -> Vec<u8> {
            let n = (1 << 20) / (item.len() + 1);
            format!("[{}]", vec![item; n].join(",")).into_bytes()
        };
        match name {
            "numbers" => repeat("0"),
            "short_strings" => repeat("\"a\""),
            "long_strings" => repeat(&format!("\"{}\"", "x".repeat(200))),
            "empty_arrays" => repeat("[]"),
            "one_element_arrays" => repeat("[0]"),
            "empty_maps" => repeat("{}"),
            "one_entry_maps" => repeat("{\"a\":0}"),
            "twelve_entry_maps" => repeat(
                "{\"a\":0,\"b\":0,\"c\":0,\"d\":0,\"e\":0,\"f\":0,\"g\":0,\"h\":0,\"i\":0,\
                 \"j\":0,\"k\":0,\"l\":0}",
            ),
            "nested" => repeat("{\"a\":[{\"b\":[0]}]}"),
            // Shaped like an application's revision as the store sends it.
            "records" => repeat(
                &json!({
                    "table": "application_revisions",
                    "id": "01960000-0000-7000-8000-000000000002", "owner": "089009",
                    "version": 12, "deleted": false, "content_hash": "ab".repeat(32),
                    "body": {
                        "application_id": "01960000-0000-7000-8000-000000000001",
                        "revision": 1, "filed_at": "2026-02-10T10:00:00+01:00",
                        "protocol_number": null, "override_note": null, "reason": null,
                        "operator": "Maria Bianchi", "recorded_at": "2026-02-10T10:00:00+01:00",
                        "declaration": json!({
                            "applicant": {"codice_fiscale": "RSSMRA80A01H501U",
                                "surname": "Rossi", "name": "Mario", "sex": "M",
                                "birth_date": "1980-01-01", "address": "Via dei Test 1"},
                            "household": [{"codice_fiscale": "BNCGLI92M55D636B",
                                "relation": "coniuge", "birth_date": "1992-08-15"}],
                            "isee": {"value": "7500.00", "dsu": "INPS-ISEE-2026-AB123C789-00"},
                            "unemployed": true, "income_support": false
                        }).to_string()
                    }
                })
                .to_string(),
            ),
            "one_big_map" => {
                let entries: Vec<String> = (0..(1 << 20) / 12)
                    .map(|i| format!("\"{i:07}\":0"))
                    .collect();
                format!("{{{}}}", entries.join(",")).into_bytes()
            }
            _ => panic!("unknown shape {name}"),
        }
    }

    const SHAPES: [&str; 11] = [
        "numbers",
        "short_strings",
        "long_strings",
        "empty_arrays",
        "one_element_arrays",
        "empty_maps",
        "one_entry_maps",
        "twelve_entry_maps",
        "nested",
        "records",
        "one_big_map",
    ];

    /// Resident memory of this process, from /proc, in bytes.
    #[cfg(target_os = "linux")]
    fn resident() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap();
        kb << 10
    }

    /// Run by `held_cost_bounds_what_parsing_takes` in a process of its own, so that memory
    /// freed by other tests cannot hide what parsing takes.
    #[cfg(target_os = "linux")]
    #[test]
    #[ignore = "a probe run in a child process"]
    fn memory_probe() {
        let Ok(name) = std::env::var("SPORTELLO_MEMORY_PROBE") else {
            return;
        };
        let line = shape(&name);
        let before = resident();
        let value: Value = serde_json::from_slice(&line).unwrap();
        let took = resident().saturating_sub(before);
        let cost = held_cost(&line);
        println!("PROBE {name} {} {took} {cost}", line.len());
        assert!(
            took <= cost,
            "{name}: parsing took {took} bytes, counted {cost}"
        );
        drop(value);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn held_cost_bounds_what_parsing_takes() {
        for name in SHAPES {
            let out = std::process::Command::new(std::env::current_exe().unwrap())
                .args([
                    "payload::tests::memory_probe",
                    "--exact",
                    "--ignored",
                    "--nocapture",
                ])
                .env("SPORTELLO_MEMORY_PROBE", name)
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "{name}: {stdout}");
            let probe = stdout
                .lines()
                .find(|l| l.starts_with("PROBE"))
                .expect("probe ran");
            println!("{probe}");
        }
    }

    #[test]
    fn brackets_inside_strings_cost_only_their_bytes() {
        let text = br#"{"rows":"[{\"a\":1},{\"b\":\"x\\\"]\"}]"}"#;
        assert_eq!(
            held_cost(text),
            text.len() as u64 + VALUE_COST + MAP_COST + ENTRY_COST + 2 * STRING_COST
        );
    }

    fn manifest(keys: &InstallKeys, records: u64) -> Manifest {
        Manifest {
            district: "D99".into(),
            kind: BundleKind::Upload,
            sender: "999002".into(),
            key_id: keys.key_id(),
            seq: 1,
            records,
        }
    }

    fn recipient(keys: &InstallKeys) -> age::x25519::Recipient {
        keys.public().recipient().unwrap()
    }

    #[test]
    fn round_trips_records_with_newlines_inside_strings() {
        let keys = InstallKeys::generate();
        let records = vec![
            json!({"note": "riga uno\nriga due"}),
            json!([1, 2, 3]),
            json!(null),
        ];
        let m = manifest(&keys, 3);
        let sealed = seal(&m, &records, &[recipient(&keys)]).unwrap();
        let opened = open(&sealed, keys.age_identity(), &m).ok().unwrap();
        assert_eq!(opened, records);
    }

    #[test]
    fn another_identity_cannot_open_it() {
        let keys = InstallKeys::generate();
        let m = manifest(&keys, 0);
        let sealed = seal(&m, &[], &[recipient(&keys)]).unwrap();
        let other = InstallKeys::generate();
        assert!(matches!(
            open(&sealed, other.age_identity(), &m),
            Err(PayloadError::NotForUs)
        ));
    }

    #[test]
    fn a_manifest_that_differs_from_the_header_is_damage() {
        let keys = InstallKeys::generate();
        let m = manifest(&keys, 1);
        let sealed = seal(&m, &[json!(1)], &[recipient(&keys)]).unwrap();
        let other_seq = Manifest {
            seq: 2,
            ..m.clone()
        };
        assert!(matches!(
            open(&sealed, keys.age_identity(), &other_seq),
            Err(PayloadError::Damaged(Damage::Manifest))
        ));
        // A manifest announcing more records than the payload carries.
        let short = seal(&manifest(&keys, 2), &[json!(1)], &[recipient(&keys)]).unwrap();
        assert!(matches!(
            open(&short, keys.age_identity(), &manifest(&keys, 2)),
            Err(PayloadError::Damaged(Damage::Manifest))
        ));
    }
}
