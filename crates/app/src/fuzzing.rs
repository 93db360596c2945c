//! Hostile input (issue 17): every reader of a file or text that comes from outside, as a
//! function of bytes. Each must return, whatever the bytes: a clear refusal is the expected
//! answer to garbage, a panic, a hang or an allocation without bound is a bug.
//!
//! AFL++ drives them one at a time (`fuzz/`, `scripts/fuzz.sh TARGET`), and `cargo test`
//! replays every committed corpus file through them (`tests/tests/fuzz_corpus.rs`); how and
//! what was found are in docs/fuzzing.md. Feature `fuzzing` only: no front end links this.

use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::Value;
use sportello_domain::front_office::{self, contact::ContactInput};
use sportello_domain::{Bando, District, accreditation, monitoring, services};
use sportello_sync::{
    Ack, BundleError, BundleKind, ChangeRange, HeaderFields, InstallKeys, Receiver, Role,
    TrustEntry, TrustList,
};

/// A fuzz target: bytes in, nothing out, never a panic.
pub type Target = fn(&[u8]);

/// Every target by name: the name is the corpus folder (`fuzz/corpus/<name>/`).
pub const TARGETS: &[(&str, Target)] = &[
    ("bundle", bundle),
    ("payload", payload),
    ("enrolment", enrolment),
    ("district_file", district_file),
    ("district_toml", district_toml),
    ("bando_toml", bando_toml),
    ("accreditation_toml", accreditation_toml),
    ("provider_application_json", provider_application_json),
    ("assessment_json", assessment_json),
    ("certificate", certificate),
    ("monitoring_form", monitoring_form),
    ("application_json", application_json),
    ("application_csv", application_csv),
    ("services_csv", services_csv),
    ("services_toml", services_toml),
    ("civico_project_json", civico_project_json),
    ("attendance_csv", attendance_csv),
    ("contacts_json", contacts_json),
];

pub fn target(name: &str) -> Option<Target> {
    TARGETS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The fictional district D99 and its TEST-ONLY keys (fixtures/keys), so that the golden
/// bundles of fixtures/bundles verify and open, and key ids in seeds stay the same.
struct D99 {
    capofila: InstallKeys,
    roccaverde: InstallKeys,
    trust: TrustList,
}

fn d99() -> &'static D99 {
    static D99: OnceLock<D99> = OnceLock::new();
    D99.get_or_init(|| {
        let keys = |text| InstallKeys::from_secret_text(text).expect("a TEST-ONLY key file");
        let capofila = keys(include_str!(
            "../../../fixtures/keys/TEST-ONLY-999001-fontebianca-capofila.key"
        ));
        let roccaverde = keys(include_str!(
            "../../../fixtures/keys/TEST-ONLY-999002-roccaverde.key"
        ));
        let mut trust = TrustList::new();
        for (comune, role, k) in [
            ("999001", Role::Capofila, &capofila),
            ("999002", Role::Comune, &roccaverde),
        ] {
            let entry = TrustEntry::new(comune, role, &k.public()).expect("a valid key");
            trust.add(entry).expect("a new key");
        }
        D99 {
            capofila,
            roccaverde,
            trust,
        }
    })
}

/// The district D48 and its bando (fixtures), for the readers that check against them.
struct D48 {
    district: District,
    bando: Bando,
}

fn d48() -> &'static D48 {
    static D48: OnceLock<D48> = OnceLock::new();
    D48.get_or_init(|| D48 {
        district: District::from_toml(include_str!("../../../fixtures/district-d48.toml"))
            .expect("the D48 fixture"),
        bando: Bando::from_toml(include_str!("../../../fixtures/bando-sc-2026-1.toml"))
            .expect("the bando fixture"),
    })
}

fn istat_codes(district: &District) -> Vec<&str> {
    district.comuni.iter().map(|c| c.istat.as_str()).collect()
}

/// A fixed moment inside the D48 bando's window, so that runs are repeatable.
fn fixed_now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-02-16T10:00:00+01:00").expect("a fixed time")
}

fn fixed_today() -> NaiveDate {
    fixed_now().date_naive()
}

/// Text inputs are read from files as UTF-8; other bytes are refused before any parser.
fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// A file given to `bundle import` / `bundle inspect`: framing and header, then, at the
/// capofila of D99, signature, addressee and payload.
fn bundle(data: &[u8]) {
    let _ = sportello_sync::is_sportello_file(data);
    let Ok(inspected) = sportello_sync::inspect(data) else {
        return;
    };
    let d = d99();
    for (comune, keys) in [("999001", &d.capofila), ("999002", &d.roccaverde)] {
        let receiver = Receiver::new("D99", comune, keys);
        if let Ok(verified) = sportello_sync::verify(&inspected, &d.trust, &receiver) {
            let _ = sportello_sync::open(&verified, keys);
        }
    }
}

/// A decrypted payload, as only an enrolled comune could write it (see [`open_payload`]).
fn payload(data: &[u8]) {
    let _ = open_payload(data);
}

/// `data` sealed by Roccaverde for the capofila of D99, then read back there: first byte even,
/// the rest is the clear JSON Lines (manifest, records), compressed here; odd, the rest is the
/// zstd stream itself (bombs, damaged frames). `None` when there is nothing to seal.
pub fn open_payload(data: &[u8]) -> Option<Result<Vec<Value>, BundleError>> {
    let (&mode, rest) = data.split_first()?;
    let compressed = if mode % 2 == 0 {
        zstd::bulk::compress(rest, 1).ok()?
    } else {
        rest.to_vec()
    };
    let d = d99();
    let fields = HeaderFields {
        kind: BundleKind::Upload,
        district: "D99".into(),
        sender: "999002".into(),
        seq: 1,
        prev_header_hash: None,
        changes: ChangeRange::default(),
        ack: Ack::default(),
        schema_version: 5,
        app_version: "fuzz".into(),
        created_at: "2026-02-16T10:00:00+01:00".into(),
    };
    let to = d.trust.capofila().expect("a capofila").addressee();
    let sealed = sportello_sync::bundle::seal_compressed_for_tests(
        &fields,
        0,
        &compressed,
        &d.roccaverde,
        &[to],
    )
    .ok()?;
    let inspected = sportello_sync::bundle::inspect_owned(sealed.bytes).expect("a sealed bundle");
    let receiver = Receiver::new("D99", "999001", &d.capofila);
    let verified =
        sportello_sync::verify(&inspected, &d.trust, &receiver).expect("a bundle we sealed");
    Some(sportello_sync::open(&verified, &d.capofila))
}

/// A comune's enrolment file, read at the capofila with Roccaverde's fingerprint typed.
fn enrolment(data: &[u8]) {
    let fingerprint = d99().roccaverde.fingerprint().to_string();
    let _ = sportello_sync::enrolment::verify(data, &fingerprint, "D99");
}

/// The capofila's district file: first contact (fingerprint typed) and update (trusted key).
fn district_file(data: &[u8]) {
    let d = d99();
    let fingerprint = d.capofila.fingerprint().to_string();
    if let Ok(file) = sportello_sync::district::verify(data, &fingerprint, Some("D99")) {
        let _ = District::from_toml(&file.contents.district_toml);
    }
    let _ = sportello_sync::district::verify_trusted(data, &d.trust, "D99");
}

/// The district configuration (`district.toml`, also carried in the district file).
fn district_toml(data: &[u8]) {
    if let Some(text) = text(data) {
        let _ = District::from_toml(text);
    }
}

/// A bando, read then checked against the district.
fn bando_toml(data: &[u8]) {
    if let Some(bando) = text(data).and_then(|t| Bando::from_toml(t).ok()) {
        let _ = bando.validate(&d48().district);
        let _ = bando.accepts_filing_at(fixed_now());
        let _ = bando.places_for("089017");
    }
}

/// An accreditation notice (avviso), read then checked.
fn accreditation_toml(data: &[u8]) {
    if let Some(notice) = text(data).and_then(|t| accreditation::Notice::from_toml(t).ok()) {
        let _ = notice.check();
        let _ = notice.accepts_on(fixed_today());
    }
}

/// The avviso of the fixtures, for the readers of the accreditation area.
fn notice() -> &'static accreditation::Notice {
    static NOTICE: OnceLock<accreditation::Notice> = OnceLock::new();
    NOTICE.get_or_init(|| {
        accreditation::Notice::from_toml(include_str!(
            "../../../fixtures/accreditation/avviso-2026.toml"
        ))
        .expect("the avviso fixture")
    })
}

/// A provider's application for accreditation (`accreditation apply`), read then checked
/// against the avviso and the district's comuni.
fn provider_application_json(data: &[u8]) {
    let Some(text) = text(data) else {
        return;
    };
    if let Ok(mut application) =
        crate::accreditation::parse_json::<accreditation::ProviderApplication>(text, "istanza")
    {
        let _ = application.check(notice(), &istat_codes(&d48().district));
    }
}

/// The commission's assessment (`accreditation assess`), read then judged by the avviso.
fn assessment_json(data: &[u8]) {
    let Some(text) = text(data) else {
        return;
    };
    if let Ok(input) =
        crate::accreditation::parse_json::<accreditation::AssessmentInput>(text, "valutazione")
    {
        let _ = accreditation::assess(notice(), &input);
    }
}

/// A certificate to verify (`certificate verify`): the statement line looked for in a PDF,
/// and the statement's text (the QR code's) decoded, then its dates checked.
fn certificate(data: &[u8]) {
    use crate::accreditation::certificate::{decode, statement_in_pdf};
    let from_pdf = statement_in_pdf(data);
    for text in from_pdf.as_deref().into_iter().chain(text(data)) {
        if let Some((_, statement, _)) = decode(text) {
            let _ = statement.date_problems(fixed_today());
        }
    }
}

/// A monitoring form (`monitor form add`), read then checked.
fn monitoring_form(data: &[u8]) {
    if let Some(form) = text(data).and_then(|t| serde_json::from_str::<monitoring::Form>(t).ok()) {
        let _ = form.check();
    }
}

/// Applications as JSON (`application add`, the window's form), read then checked as at
/// filing.
fn application_json(data: &[u8]) {
    if let Some(batch) = text(data).and_then(|t| crate::parse_json_forms(t).ok()) {
        check_applications(&batch);
    }
}

/// Applications as a spreadsheet (`application import`), read then checked as at filing.
fn application_csv(data: &[u8]) {
    if let Some(batch) = text(data).and_then(|t| crate::parse_csv(t).ok()) {
        check_applications(&batch);
    }
}

fn check_applications(batch: &crate::Batch) {
    let d = d48();
    for parsed in batch.entries.iter().flatten() {
        let _ = sportello_domain::intake::check(
            &parsed.form,
            &d.district,
            fixed_now(),
            Some(&d.bando),
            fixed_today(),
        );
    }
}

/// The map of services as a spreadsheet (`services import`), each entry checked.
fn services_csv(data: &[u8]) {
    if let Some(entries) = text(data).and_then(|t| crate::services::csv_entries(t).ok()) {
        let district = istat_codes(&d48().district);
        for (_, input) in entries {
            let _ = input.check(&district);
        }
    }
}

/// The map of services as TOML (`services import`), each entry checked.
fn services_toml(data: &[u8]) {
    if let Some(entries) = text(data).and_then(|t| services::services_from_toml(t).ok()) {
        let district = istat_codes(&d48().district);
        for input in entries {
            let _ = input.check(&district);
        }
    }
}

/// A participant's servizio civico project (`civico project`), read as `Civico::set_project`
/// reads it, then checked against the bando's rules.
fn civico_project_json(data: &[u8]) {
    use sportello_domain::civico::project::{self, Project};
    if let Some(p) = text(data).and_then(|t| serde_json::from_str::<Project>(t).ok()) {
        let _ = project::check(&p, &d48().bando.rules, fixed_today());
    }
}

/// Servizio civico attendance (`civico attendance import`): what is read before participants
/// are looked up in the database (columns, rows, days, hours).
fn attendance_csv(data: &[u8]) {
    let Some(mut reader) = text(data).map(crate::intake::spreadsheet) else {
        return;
    };
    if crate::intake::header_names(&mut reader).is_err() {
        return;
    }
    for record in reader.records().flatten() {
        for cell in &record {
            let _ = crate::parse_date(cell);
            let _ = crate::civico::pay::parse_hours(cell);
        }
    }
}

/// Front office contacts (`contact add`), read then checked as at recording.
fn contacts_json(data: &[u8]) {
    let Some(items) =
        text(data).and_then(|t| crate::front_office::input::parse_items(t, "contatto").ok())
    else {
        return;
    };
    let kinds = front_office::effective_case_kinds(&[]);
    for (i, item) in items.into_iter().enumerate() {
        let record = format!("contatto {}", i + 1);
        if let Ok(input) = crate::front_office::input::deserialize::<ContactInput>(item, &record) {
            let _ =
                front_office::contact::check_contact(&input, fixed_now(), &d48().district, &kinds);
        }
    }
}
