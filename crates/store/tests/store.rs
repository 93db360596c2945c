//! The store on real SQLite files.

use chrono::{DateTime, FixedOffset, NaiveDate};
use sportello_domain::{
    Applicant, Bando, Declaration, District, Housing, Isee, IseeDeclaration, IseeKind, Person, Sex,
};
use sportello_store::{
    Actor, ApplicationFilter, NewApplication, SCHEMA_VERSION, Store, StoreError,
};

const DISTRICT: &str = r#"
id = "D99"
name = "Valle dei Test"
capofila = "999001"
[[comuni]]
istat = "999001"
name = "Fontebianca"
belfiore = "Y001"
"#;

const BANDO: &str = r#"
id = "SC-1"
title = "Prova"
opens = 2026-01-10
closes = 2026-03-31
[places]
"999001" = 2
"#;

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn actor() -> Actor {
    Actor("test".into())
}

fn ready(store: &mut Store) {
    let d = District::from_toml(DISTRICT).unwrap();
    store
        .initialize(
            &d,
            DISTRICT,
            "999001",
            at("2026-01-01T09:00:00+01:00"),
            &actor(),
        )
        .unwrap();
    let b = Bando::from_toml(BANDO).unwrap();
    store
        .save_bando(&b, BANDO, at("2026-01-01T09:00:00+01:00"), &actor())
        .unwrap();
}

fn application(cf: &str, filed: &str) -> NewApplication {
    NewApplication {
        bando: "SC-1".into(),
        filed_at: at(filed),
        declaration: Declaration {
            applicant: Applicant {
                person: Person {
                    codice_fiscale: cf.into(),
                    surname: "Prova".into(),
                    name: "Persona".into(),
                    birth_date: NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(),
                    sex: Sex::M,
                    birth_place: "Y001".into(),
                },
                address: Some("Via Prova 1".into()),
                phone: None,
                email: None,
            },
            household: vec![],
            isee: Some(IseeDeclaration {
                value: "1234.50".parse::<Isee>().unwrap(),
                dsu_protocol: "INPS-ISEE-2026-AB123C789-00".into(),
                dsu_date: NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
                kind: IseeKind::Ordinario,
            }),
            resident: true,
            unemployed: true,
            unemployed_since: NaiveDate::from_ymd_opt(2024, 5, 1),
            other_income_support: false,
            single_parent: false,
            applicant_disabled: false,
            housing: Housing::Rent,
            previous_participation: false,
        },
        override_note: None,
        protocol_number: Some("0000042".into()),
    }
}

#[test]
fn applications_round_trip_with_case_numbers_per_year() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut store = Store::open(&path).unwrap();
    ready(&mut store);
    let filed = store
        .file_applications(
            &[
                application("AAAAAA80A01Y001A", "2026-02-01T10:00:00+01:00"),
                application("BBBBBB80A01Y001B", "2026-02-02T10:00:00+01:00"),
                application("CCCCCC80A01Y001C", "2027-01-02T10:00:00+01:00"),
            ],
            at("2026-02-02T10:00:00+01:00"),
            &actor(),
        )
        .unwrap();
    let numbers: Vec<_> = filed.iter().map(|f| f.case_number.as_str()).collect();
    assert_eq!(numbers, ["2026/0000001", "2026/0000002", "2027/0000001"]);
    assert_ne!(filed[0].application_code, filed[1].application_code);
    drop(store);

    let store = Store::open(&path).unwrap();
    let list = store.applications(&ApplicationFilter::default()).unwrap();
    assert_eq!(list.len(), 3);
    let first = &list[0];
    assert_eq!(first.case_number, "2026/0000001");
    assert_eq!(first.protocol_number.as_deref(), Some("0000042"));
    assert_eq!(first.application.comune, "999001");
    assert_eq!(first.owner, "999001");
    assert_eq!(
        first.application.declaration,
        application("AAAAAA80A01Y001A", "2026-02-01T10:00:00+01:00").declaration
    );
    let by_code = store
        .application_by_code(&filed[1].application_code)
        .unwrap()
        .unwrap();
    assert_eq!(
        by_code
            .application
            .declaration
            .applicant
            .person
            .codice_fiscale,
        "BBBBBB80A01Y001B"
    );
}

#[test]
fn every_change_takes_a_new_version_and_is_audited() {
    let mut store = Store::open_in_memory().unwrap();
    ready(&mut store);
    store
        .file_applications(
            &[application("AAAAAA80A01Y001A", "2026-02-01T10:00:00+01:00")],
            at("2026-02-01T10:00:00+01:00"),
            &actor(),
        )
        .unwrap();
    let versions: Vec<i64> = store
        .connection()
        .prepare("SELECT version FROM applications UNION ALL SELECT version FROM persons UNION ALL SELECT version FROM bandi")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(versions.iter().all(|v| *v > 0));
    let audit = store.audit_entries(10).unwrap();
    let actions: Vec<_> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["application_create", "bando_create", "init"]);
    assert!(audit.iter().all(|e| e.actor == "test"));
}

#[test]
fn the_audit_trail_cannot_be_edited() {
    let mut store = Store::open_in_memory().unwrap();
    ready(&mut store);
    let conn = store.connection();
    assert!(
        conn.execute("UPDATE audit_log SET actor = 'x'", [])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM audit_log", []).is_err());
    assert_eq!(store.audit_entries(10).unwrap().len(), 2);
}

#[test]
fn filing_is_all_or_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    ready(&mut store);
    let mut unknown = application("BBBBBB80A01Y001B", "2026-02-01T10:00:00+01:00");
    unknown.bando = "NOPE".into();
    let r = store.file_applications(
        &[
            application("AAAAAA80A01Y001A", "2026-02-01T10:00:00+01:00"),
            unknown,
        ],
        at("2026-02-01T10:00:00+01:00"),
        &actor(),
    );
    assert!(matches!(r, Err(StoreError::UnknownBando(b)) if b == "NOPE"));
    assert!(
        store
            .applications(&ApplicationFilter::default())
            .unwrap()
            .is_empty()
    );
    let persons: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM persons", [], |r| r.get(0))
        .unwrap();
    assert_eq!(persons, 0);
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    match Store::open(&path) {
        Err(e @ StoreError::NewerSchema { .. }) => assert!(e.to_string().contains("aggiornare")),
        other => panic!("expected NewerSchema, got {:?}", other.err()),
    }
}

#[test]
fn initialising_twice_is_refused() {
    let mut store = Store::open_in_memory().unwrap();
    ready(&mut store);
    let d = District::from_toml(DISTRICT).unwrap();
    let again = store.initialize(
        &d,
        DISTRICT,
        "999001",
        at("2026-01-02T09:00:00+01:00"),
        &actor(),
    );
    assert!(matches!(again, Err(StoreError::AlreadyInitialized { .. })));
}

#[test]
fn the_same_person_keeps_one_row_per_comune() {
    let mut store = Store::open_in_memory().unwrap();
    ready(&mut store);
    for day in ["2026-02-01", "2026-02-03"] {
        store
            .file_applications(
                &[application(
                    "AAAAAA80A01Y001A",
                    &format!("{day}T10:00:00+01:00"),
                )],
                at("2026-02-03T10:00:00+01:00"),
                &actor(),
            )
            .unwrap();
    }
    let persons: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM persons", [], |r| r.get(0))
        .unwrap();
    assert_eq!(persons, 1);
    assert_eq!(
        store
            .applications(&ApplicationFilter::default())
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_full_disk_is_reported_and_loses_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    ready(&mut store);
    store
        .file_applications(
            &[application("AAAAAA80A01Y001A", "2026-02-01T10:00:00+01:00")],
            at("2026-02-01T10:00:00+01:00"),
            &actor(),
        )
        .unwrap();
    // SQLite answers SQLITE_FULL when the database may not grow: a full disk, as it sees it.
    let pages: i64 = store
        .connection()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    store
        .connection()
        .pragma_update(None, "max_page_count", pages)
        .unwrap();
    let many: Vec<_> = (0..200)
        .map(|i| application(&format!("B{i:05}A80A01Y001B"), "2026-02-02T10:00:00+01:00"))
        .collect();
    let r = store.file_applications(&many, at("2026-02-02T10:00:00+01:00"), &actor());
    match r {
        Err(e @ StoreError::DiskFull) => assert!(e.to_string().contains("disco pieno")),
        other => panic!("expected DiskFull, got {other:?}"),
    }
    assert_eq!(
        store
            .applications(&ApplicationFilter::default())
            .unwrap()
            .len(),
        1,
        "the one application filed before is still there, none of the refused ones"
    );
}
