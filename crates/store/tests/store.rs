//! The store on real SQLite files.

use chrono::{DateTime, FixedOffset, NaiveDate};
use sportello_domain::search::Query;
use sportello_domain::{
    Applicant, Bando, Declaration, District, HouseholdMember, Housing, Isee, IseeDeclaration,
    IseeKind, Person, Sex,
};
use sportello_store::{
    Actor, ApplicationFilter, AuditFilter, ChainCheck, Correction, GENESIS_HASH, Household,
    NewApplication, SCHEMA_VERSION, Store, StoreError,
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

/// The key every database of these tests is encrypted under.
fn key() -> sportello_store::DbKey {
    sportello_store::DbKey::from_bytes([42; 32])
}

/// An encrypted copy, at `to`, of a database in clear made by an earlier release.
fn encrypted_copy(fixture: &str, to: &std::path::Path) {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(fixture);
    let conn = rusqlite::Connection::open(from).unwrap();
    // sqlcipher_export copies the rows, not the schema version.
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    conn.execute_batch(&format!(
        "ATTACH DATABASE '{}' AS encrypted KEY \"x'{}'\"; \
         SELECT sqlcipher_export('encrypted'); PRAGMA encrypted.user_version = {version}; \
         DETACH DATABASE encrypted;",
        to.display(),
        "2a".repeat(32)
    ))
    .unwrap();
}

/// A raw connection to an encrypted test database.
fn keyed(path: &std::path::Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\"", "2a".repeat(32)))
        .unwrap();
    conn
}

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
    let mut store = Store::open(&path, &key()).unwrap();
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

    let store = Store::open(&path, &key()).unwrap();
    let list = store
        .applications(&ApplicationFilter::default())
        .unwrap()
        .applications;
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
        .prepare(
            "SELECT version FROM applications UNION ALL SELECT version FROM application_revisions
             UNION ALL SELECT version FROM bandi",
        )
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
            .applications
            .is_empty()
    );
    let revisions: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM application_revisions", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(revisions, 0);
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    drop(Store::open(&path, &key()).unwrap());
    let conn = keyed(&path);
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    match Store::open(&path, &key()) {
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
fn each_application_keeps_what_it_declared_and_the_registry_links_them() {
    let mut store = Store::open_in_memory().unwrap();
    ready(&mut store);
    let mut later = application("AAAAAA80A01Y001A", "2026-02-03T10:00:00+01:00");
    later.declaration.applicant.person.surname = "Provetta".into();
    later.declaration.applicant.person.birth_date = NaiveDate::from_ymd_opt(1981, 1, 1).unwrap();
    let filed = store
        .file_applications(
            &[
                application("AAAAAA80A01Y001A", "2026-02-01T10:00:00+01:00"),
                later,
                application("BBBBBB80A01Y001B", "2026-02-02T10:00:00+01:00"),
            ],
            at("2026-02-03T10:00:00+01:00"),
            &actor(),
        )
        .unwrap();
    let first = store
        .application_by_code(&filed[0].application_code)
        .unwrap()
        .unwrap();
    assert_eq!(
        first.application.declaration.applicant.person.surname,
        "Prova"
    );
    let his = store
        .applications(&ApplicationFilter {
            person: Some("aaaaaa80a01y001a".into()),
            ..ApplicationFilter::default()
        })
        .unwrap()
        .applications;
    let surnames: Vec<&str> = his
        .iter()
        .map(|a| a.application.declaration.applicant.person.surname.as_str())
        .collect();
    assert_eq!(surnames, ["Prova", "Provetta"]);
}

#[test]
fn a_correction_adds_a_revision_and_keeps_the_earlier_one() {
    let mut store = Store::open_in_memory().unwrap();
    ready(&mut store);
    let filed = store
        .file_applications(
            &[application("AAAAAA80A01Y001A", "2026-02-01T10:00:00+01:00")],
            at("2026-02-01T10:00:00+01:00"),
            &actor(),
        )
        .unwrap();
    let code = &filed[0].application_code;
    let mut declaration = application("AAAAAA80A01Y001A", "2026-02-01T10:00:00+01:00").declaration;
    declaration.housing = Housing::Eviction;
    let correction = Correction {
        filed_at: at("2026-02-01T10:00:00+01:00"),
        declaration: declaration.clone(),
        override_note: None,
        protocol_number: Some("0000042".into()),
        reason: "sfratto documentato".into(),
        objection: None,
    };
    let revision = store
        .correct_application(code, &correction, at("2026-02-05T11:00:00+01:00"), &actor())
        .unwrap();
    assert_eq!(revision, 2);
    let current = store.application_by_code(code).unwrap().unwrap();
    assert_eq!(
        (current.revision, current.application.declaration),
        (2, declaration)
    );
    let revisions = store.revisions(code).unwrap();
    assert_eq!(revisions.len(), 2);
    assert_eq!(revisions[0].declaration.housing, Housing::Rent);
    assert_eq!(revisions[1].reason.as_deref(), Some("sfratto documentato"));
    assert_eq!(revisions[1].operator, "test");
    assert!(matches!(
        store.correct_application(
            "NOPE",
            &correction,
            at("2026-02-05T11:00:00+01:00"),
            &actor()
        ),
        Err(StoreError::UnknownApplication(_))
    ));
    let actions: Vec<String> = store
        .audit_entries(1)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["application_correct"]);
}

/// The window and the command line opening a database of an earlier release at the same moment
/// (the first start after an update): one converts it, the other finds it converted; neither
/// fails nor converts it twice.
#[test]
fn two_processes_opening_an_old_database_at_once_both_open_it() {
    for _ in 0..4 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        encrypted_copy("schema-2/089009.db", &path);
        let start = std::sync::Barrier::new(2);
        let opened: Vec<Result<usize, StoreError>> = std::thread::scope(|s| {
            let open = || {
                start.wait();
                Store::open(&path, &key()).and_then(|store| {
                    Ok(store
                        .applications(&ApplicationFilter::default())?
                        .applications
                        .len())
                })
            };
            let a = s.spawn(open);
            let b = s.spawn(open);
            vec![a.join().unwrap(), b.join().unwrap()]
        });
        for o in opened {
            assert_eq!(o.map_err(|e| e.to_string()).unwrap(), 16);
        }
        let version: i64 = keyed(&path)
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }
}

/// Databases of the layout before applications kept their declarations (made by the previous
/// release, `fixtures/schema-2/`) convert without loss.
#[test]
fn a_schema_2_database_converts_on_opening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    encrypted_copy("schema-2/089009.db", &path);
    let store = Store::open(&path, &key()).unwrap();
    let version: i64 = store
        .connection()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let list = store
        .applications(&ApplicationFilter::default())
        .unwrap()
        .applications;
    assert_eq!(list.len(), 16);
    assert!(list.iter().all(|a| a.revision == 1));
    // The registry holds every person each application names.
    let named: i64 = store
        .connection()
        .query_row("SELECT COUNT(*) FROM application_people", [], |r| r.get(0))
        .unwrap();
    let people: usize = list
        .iter()
        .map(|a| a.application.declaration.household_size())
        .sum();
    assert_eq!(named as usize, people);
    for old in [
        "persons",
        "households",
        "household_members",
        "applications_v2",
    ] {
        let exists: bool = store
            .connection()
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = ?1)",
                [old],
                |r| r.get(0),
            )
            .unwrap();
        assert!(!exists, "{old} should be gone");
    }
    // Every converted application's household, as the migration that made them wrote it.
    assert_eq!(store.households(None).unwrap().households, decoded(&store));
    // Every converted application is found by its applicant's name, through the search texts
    // the migration wrote.
    for a in &list {
        let person = &a.application.declaration.applicant.person;
        let typed = format!("{} {}", person.name, person.surname);
        let found = store
            .search_applications(&ApplicationFilter::default(), &Query::parse(&typed))
            .unwrap()
            .applications;
        assert!(
            found.iter().any(|f| f.id == a.id),
            "{typed} should find {}",
            a.case_number
        );
    }
}

/// A database before migration `0037_search_households.sql` keeps its search texts and
/// households in two tables: the migration puts them in one row per revision, copying those
/// held (not derived again) and deriving what either table missed.
#[test]
fn search_texts_and_households_held_apart_become_one_row_each() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut store = Store::open(&path, &key()).unwrap();
    ready(&mut store);
    let filed = store
        .file_applications(
            &[
                application("AAAAAA80A01Y001A", "2026-02-01T10:00:00+01:00"),
                application("BBBBBB80A01Y001B", "2026-02-01T11:00:00+01:00"),
            ],
            at("2026-02-01T11:00:00+01:00"),
            &actor(),
        )
        .unwrap();
    drop(store);
    // Back to before it: the first revision with both rows (marked, to tell a copy from a
    // derivation), the second with a search text and no household.
    let revision = |conn: &rusqlite::Connection, code: &str| -> String {
        conn.query_row(
            "SELECT r.id FROM application_revisions r JOIN applications a
             ON a.id = r.application_id WHERE a.application_code = ?1",
            [code],
            |r| r.get(0),
        )
        .unwrap()
    };
    let conn = keyed(&path);
    let (first, second) = (
        revision(&conn, &filed[0].application_code),
        revision(&conn, &filed[1].application_code),
    );
    conn.execute_batch(
        "DROP TABLE application_search;
         CREATE TABLE application_search (
             revision_id TEXT PRIMARY KEY REFERENCES application_revisions (id)
                 ON DELETE CASCADE,
             code TEXT NOT NULL, people TEXT NOT NULL) WITHOUT ROWID;
         CREATE TABLE application_households (
             revision_id TEXT PRIMARY KEY REFERENCES application_revisions (id)
                 ON DELETE CASCADE,
             applicant TEXT NOT NULL, codici_fiscali TEXT NOT NULL) WITHOUT ROWID;",
    )
    .unwrap();
    // The version before the last migration (versions count migrations, not file numbers).
    conn.pragma_update(None, "user_version", SCHEMA_VERSION - 1)
        .unwrap();
    conn.execute(
        "INSERT INTO application_search VALUES (?1, 'copiato', 'copiato'), (?2, 'b', 'b')",
        [&first, &second],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO application_households VALUES (?1, 'Copiato Qui', '[\"AAAAAA80A01Y001A\"]')",
        [&first],
    )
    .unwrap();
    drop(conn);

    let store = Store::open(&path, &key()).unwrap();
    let rows: Vec<(String, String, String, String)> = store
        .connection()
        .prepare(
            "SELECT revision_id, code, applicant, codici_fiscali FROM application_search
             ORDER BY revision_id = ?1 DESC",
        )
        .unwrap()
        .query_map([&first], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        rows,
        [
            (
                first,
                "copiato".to_string(),
                "Copiato Qui".to_string(),
                "[\"AAAAAA80A01Y001A\"]".to_string()
            ),
            (
                second,
                sportello_domain::search::fold(&filed[1].application_code),
                "Prova Persona".to_string(),
                "[\"BBBBBB80A01Y001B\"]".to_string()
            ),
        ]
    );
    let kept: bool = store
        .connection()
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'application_households')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!kept);
}

/// The search narrows on each current revision's folded text: a correction's new name is
/// found, the name it replaced no longer is; case numbers and codes as the domain reads them.
#[test]
fn the_search_follows_corrections_and_reads_only_what_it_finds() {
    let mut store = Store::open_in_memory().unwrap();
    ready(&mut store);
    let filed = store
        .file_applications(
            &[
                application("AAAAAA80A01Y001A", "2026-02-01T10:00:00+01:00"),
                application("BBBBBB80A01Y001B", "2026-02-01T11:00:00+01:00"),
            ],
            at("2026-02-01T11:00:00+01:00"),
            &actor(),
        )
        .unwrap();
    let code = &filed[0].application_code;
    let found = |store: &Store, typed: &str| -> Vec<String> {
        store
            .search_applications(&ApplicationFilter::default(), &Query::parse(typed))
            .unwrap()
            .applications
            .into_iter()
            .map(|a| a.application.code)
            .collect()
    };
    let both = vec![code.clone(), filed[1].application_code.clone()];
    assert_eq!(found(&store, "prova"), both);
    assert_eq!(found(&store, ""), both);
    assert_eq!(
        found(&store, "bbbbbb80"),
        [filed[1].application_code.as_str()]
    );
    assert_eq!(found(&store, &code.replace('-', " ")), [code.as_str()]);
    let (year, seq) = filed[0].case_number.split_once('/').unwrap();
    assert_eq!(
        found(&store, &format!("{}/{year}", seq.trim_start_matches('0'))),
        [code.as_str()]
    );
    assert!(found(&store, "99999999999999999999/2026").is_empty());

    let mut declaration = application("AAAAAA80A01Y001A", "2026-02-01T10:00:00+01:00").declaration;
    declaration.applicant.person.surname = "D'Àmico".into();
    let correction = Correction {
        filed_at: at("2026-02-01T10:00:00+01:00"),
        declaration,
        override_note: None,
        protocol_number: None,
        reason: "cognome ricopiato male".into(),
        objection: None,
    };
    store
        .correct_application(code, &correction, at("2026-02-05T11:00:00+01:00"), &actor())
        .unwrap();
    assert_eq!(found(&store, "damico persona"), [code.as_str()]);
    assert_eq!(found(&store, "prova"), [filed[1].application_code.as_str()]);
}

/// The households as the declarations give them, decoded: what the store keeps beside each
/// current revision.
fn decoded(store: &Store) -> Vec<Household> {
    let listing = store.applications(&ApplicationFilter::default()).unwrap();
    assert!(listing.unreadable.is_empty());
    listing
        .applications
        .into_iter()
        .map(|s| {
            let d = &s.application.declaration;
            let p = &d.applicant.person;
            Household {
                applicant: format!("{} {}", p.surname, p.name),
                codici_fiscali: d.household_codici_fiscali().map(str::to_string).collect(),
                code: s.application.code,
                case_number: s.case_number,
                comune: s.application.comune,
                bando: s.application.bando,
                filed_at: s.application.filed_at,
            }
        })
        .collect()
}

/// Each revision's household is kept as it is written, filed or corrected: the current
/// revision's, in filing order, equal to what decoding every declaration gives.
#[test]
fn the_households_follow_filings_and_corrections() {
    let mut store = Store::open_in_memory().unwrap();
    ready(&mut store);
    let member = |cf: &str, name: &str| HouseholdMember {
        person: Person {
            codice_fiscale: cf.into(),
            surname: "Prova".into(),
            name: name.into(),
            birth_date: NaiveDate::from_ymd_opt(2015, 3, 1).unwrap(),
            sex: Sex::F,
            birth_place: "Y001".into(),
        },
        relation: "figlia".into(),
        dependent_minor: true,
        disabled: false,
    };
    let mut with_child = application("AAAAAA80A01Y001A", "2026-02-03T10:00:00+01:00");
    with_child
        .declaration
        .household
        .push(member("CCCCCC15C41Y001C", "Carla"));
    // Filed earlier, though its time as written reads later.
    let earlier = application("BBBBBB80A01Y001B", "2026-02-03T10:30:00+02:00");
    let filed = store
        .file_applications(
            &[with_child, earlier],
            at("2026-02-03T11:00:00+01:00"),
            &actor(),
        )
        .unwrap();
    let households = store.households(None).unwrap();
    assert!(households.unreadable.is_empty());
    assert_eq!(households.households, decoded(&store));
    assert_eq!(
        households.households[0].code, filed[1].application_code,
        "filing order"
    );
    assert_eq!(households.households[1].applicant, "Prova Persona");
    assert_eq!(
        households.households[1].codici_fiscali,
        ["AAAAAA80A01Y001A", "CCCCCC15C41Y001C"]
    );

    // A correction: the household is the new revision's.
    let mut declaration = application("AAAAAA80A01Y001A", "2026-02-03T10:00:00+01:00").declaration;
    declaration.applicant.person.surname = "Provetta".into();
    declaration.household = vec![member("DDDDDD16D41Y001D", "Dora")];
    let correction = Correction {
        filed_at: at("2026-02-03T10:00:00+01:00"),
        declaration,
        override_note: None,
        protocol_number: None,
        reason: "figlia indicata per errore".into(),
        objection: None,
    };
    store
        .correct_application(
            &filed[0].application_code,
            &correction,
            at("2026-02-05T11:00:00+01:00"),
            &actor(),
        )
        .unwrap();
    let households = store.households(Some("SC-1")).unwrap().households;
    assert_eq!(households, decoded(&store));
    assert_eq!(households[1].applicant, "Provetta Persona");
    assert_eq!(
        households[1].codici_fiscali,
        ["AAAAAA80A01Y001A", "DDDDDD16D41Y001D"]
    );
    assert!(
        store
            .households(Some("SC-2"))
            .unwrap()
            .households
            .is_empty()
    );

    // A current revision without its household (its declaration could not be read) is named.
    store
        .connection()
        .execute(
            "DELETE FROM application_search WHERE revision_id IN (SELECT r.id FROM
             application_revisions r JOIN applications a ON a.id = r.application_id
             WHERE a.application_code = ?1)",
            [&filed[1].application_code],
        )
        .unwrap();
    let households = store.households(None).unwrap();
    assert_eq!(households.unreadable, [filed[1].application_code.clone()]);
    assert_eq!(households.households.len(), 1);
}

/// The audit trail written before it was chained is chained in order, unchanged, and the
/// next entry follows it.
#[test]
fn an_older_audit_trail_is_chained_on_opening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    encrypted_copy("schema-2/089009.db", &path);
    let rows = |conn: &rusqlite::Connection| -> Vec<(i64, String, String, String)> {
        conn.prepare("SELECT seq, at, action, detail FROM audit_log ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let before = rows(&keyed(&path));
    assert_eq!(before.len(), 22);
    let store = Store::open(&path, &key()).unwrap();
    assert_eq!(rows(store.connection()), before);
    assert_eq!(
        store.audit_verify().unwrap(),
        ChainCheck::Intact { entries: 22 }
    );
    let oldest = store.audit_list(&AuditFilter::default()).unwrap();
    assert_eq!(oldest[0].prev_hash, GENESIS_HASH);
    store
        .audit(
            at("2026-04-01T09:00:00+02:00"),
            &actor(),
            "application_show",
            "application",
            None,
            serde_json::json!({}),
        )
        .unwrap();
    let newest = &store.audit_entries(1).unwrap()[0];
    assert_eq!(
        (newest.seq, newest.prev_hash.as_str()),
        (23, oldest[21].hash.as_str())
    );
    assert_eq!(
        store.audit_verify().unwrap(),
        ChainCheck::Intact { entries: 23 }
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
            .applications
            .len(),
        1,
        "the one application filed before is still there, none of the refused ones"
    );
}

/// An application filed while an export reads the tables (another process, committing between
/// two tables) is either wholly in the export or wholly above its range: the next export
/// carries it. Before, its revision travelled without its application and the range covered
/// the application, which the capofila then acknowledged without ever receiving it.
#[test]
fn an_export_is_one_snapshot_whatever_commits_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut store = Store::open(&path, &key()).unwrap();
    ready(&mut store);
    store
        .file_applications(
            &[application("AAAAAA80A01Y001A", "2026-02-01T10:00:00+01:00")],
            at("2026-02-01T10:00:00+01:00"),
            &actor(),
        )
        .unwrap();
    let writer = path.clone();
    let filed = std::sync::Arc::new(std::sync::Mutex::new(None));
    let seen = filed.clone();
    sportello_store::failpoint::set(move |point| {
        if point == "export-between-tables" && seen.lock().unwrap().is_none() {
            let mut other = Store::open(&writer, &key()).unwrap();
            let mut f = other
                .file_applications(
                    &[application("BBBBBB80A01Y001B", "2026-02-02T10:00:00+01:00")],
                    at("2026-02-02T10:00:00+01:00"),
                    &actor(),
                )
                .unwrap();
            *seen.lock().unwrap() = Some(f.remove(0).id.to_string());
        }
    });
    let first = store
        .records_since(sportello_store::Direction::Upload, "999001", 0)
        .unwrap();
    sportello_store::failpoint::clear();
    let late = filed.lock().unwrap().clone().expect("the writer ran");
    let belongs = |r: &sportello_store::Record| {
        r.meta.id.to_string() == late || r.body["application_id"] == late.as_str()
    };
    assert!(
        !first.records.iter().any(belongs),
        "the snapshot holds part of the late application"
    );
    let next = store
        .records_since(
            sportello_store::Direction::Upload,
            "999001",
            first.to_version,
        )
        .unwrap();
    let carried: Vec<&str> = next
        .records
        .iter()
        .filter(|r| belongs(r))
        .map(|r| r.table.as_str())
        .collect();
    assert_eq!(carried, ["applications", "application_revisions"]);
}

#[test]
fn a_stored_value_that_cannot_be_read_is_named_never_defaulted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("capofila.db");
    let mut store = Store::open(&path, &key()).unwrap();
    ready(&mut store);
    let rows = serde_json::json!([]);
    store
        .publish_ranking(
            &sportello_store::NewRanking {
                bando: "SC-1",
                stage: "provisional",
                bando_toml: BANDO,
                inputs: &rows,
                rows: &rows,
                confirmed_exclusions: &[],
            },
            at("2026-04-01T09:00:00+02:00"),
            &actor(),
        )
        .unwrap();
    assert_eq!(store.rankings(None).unwrap().len(), 1);
    // A damaged file or a faulty writer: the JSON of one column no longer reads.
    store
        .connection()
        .execute("UPDATE rankings SET inputs = '[{' WHERE bando = 'SC-1'", [])
        .unwrap();
    let err = store.rankings(None).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt(_)), "{err:?}");
    assert!(
        err.to_string().contains("rankings/SC-1#1, colonna inputs"),
        "{err}"
    );
}

fn service(id: &str, name: &str, area: &str, comuni: &str) -> sportello_domain::services::Service {
    sportello_domain::services::ServiceInput {
        id: id.into(),
        nome: name.into(),
        ente: "ASP Siracusa".into(),
        area: area.into(),
        comuni: comuni.into(),
        destinatari: "Persone anziane non autosufficienti".into(),
        ..Default::default()
    }
    .check(&["999001", "999002"])
    .unwrap()
}

fn found(store: &Store, text: &str, area: Option<u8>, comune: Option<&str>) -> Vec<String> {
    store
        .search_services(&sportello_store::ServiceQuery {
            text: text.into(),
            area,
            comune: comune.map(str::to_string),
            limit: 50,
        })
        .unwrap()
        .into_iter()
        .map(|s| s.service.id)
        .collect()
}

/// The map of services: searched by folded words, the last one a prefix, ranked with the
/// name first, filtered by area and comune; an import again updates, retires and keeps the
/// index in step, also after VACUUM renumbers what it may.
#[test]
fn the_map_of_services_is_searched_by_folded_words_and_kept_in_step() {
    use sportello_store::ServiceScope::District as D;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.db"), &key()).unwrap();
    ready(&mut store);
    let first = [
        service("sad", "Assistenza domiciliare Anziàni", "2", ""),
        service("nido", "Asilo nido comunale", "1", "999002"),
        service("mensa", "Mensa sociale", "3", "999001"),
    ];
    let saved = store
        .save_services(D, &first, at("2026-02-01T09:00:00+01:00"), &actor())
        .unwrap();
    assert_eq!(saved.created, ["sad", "nido", "mensa"]);
    assert_eq!(found(&store, "anziani", None, None), ["sad"]);
    assert_eq!(found(&store, "ASSIST", None, None), ["sad"]);
    assert_eq!(found(&store, "assist ", None, None), Vec::<String>::new());
    // Every entry's description mentions anziane: the name's word ranks first.
    assert_eq!(found(&store, "anzian", None, None)[0], "sad");
    assert_eq!(found(&store, "as", Some(1), None), ["nido"]);
    assert_eq!(found(&store, "", None, Some("999001")), ["sad", "mensa"]);
    assert_eq!(found(&store, "", None, Some("999002")), ["nido", "sad"]);

    let second = [
        service("sad", "Assistenza domiciliare", "2", ""),
        service("nido", "Asilo nido comunale", "1", "999002"),
    ];
    let saved = store
        .save_services(D, &second, at("2027-03-01T09:00:00+01:00"), &actor())
        .unwrap();
    assert_eq!(
        (saved.updated, saved.retired, saved.unchanged),
        (
            vec!["sad".into()],
            vec!["mensa".into()],
            vec!["nido".into()]
        )
    );
    assert_eq!(found(&store, "anziani", None, None), Vec::<String>::new());
    assert_eq!(found(&store, "mensa", None, None), Vec::<String>::new());
    let all = store.services().unwrap();
    let mensa = all.iter().find(|s| s.service.id == "mensa").unwrap();
    assert!(!mensa.active);
    assert_eq!(mensa.reviewed_on.to_string(), "2026-02-01");
    assert!(!store.service_active("mensa", "999001").unwrap());
    assert!(store.service_active("sad", "999001").unwrap());

    assert!(
        store
            .review_service(D, "nido", at("2027-04-02T09:00:00+02:00"), &actor())
            .unwrap()
    );
    let nido = store.service("nido", "999001").unwrap().unwrap();
    assert_eq!(nido.reviewed_on.to_string(), "2027-04-02");
    assert!(
        !store
            .review_service(D, "none", at("2027-04-02T09:00:00+02:00"), &actor())
            .unwrap()
    );

    store.connection().execute_batch("VACUUM").unwrap();
    assert_eq!(found(&store, "domicil", None, None), ["sad"]);
    assert_eq!(found(&store, "asilo nido", None, None), ["nido"]);

    // A row tombstoned or removed (set aside) leaves the index with it.
    let conn = store.connection();
    conn.execute("UPDATE services SET deleted = 1 WHERE code = 'nido'", [])
        .unwrap();
    assert_eq!(found(&store, "asilo", None, None), Vec::<String>::new());
    conn.execute("DELETE FROM services WHERE code = 'sad'", [])
        .unwrap();
    assert_eq!(found(&store, "domicil", None, None), Vec::<String>::new());
    let counts: (i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM service_search_keys),
                    (SELECT count(*) FROM service_search)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(counts, (1, 1), "only mensa, retired, is still indexed");
}

/// A period's hours are read from the index alone, as a range of days, counted by day and
/// hours in its order (no sorting): monitoring over ten years of attendance never scans the
/// table, nor hands every participant's day to Rust.
#[test]
fn hours_of_a_period_are_a_range_of_the_attendance_index() {
    let mut store = Store::open_in_memory().unwrap();
    let plan: Vec<String> = store
        .connection()
        .prepare(&format!("EXPLAIN QUERY PLAN {}", Store::HOURS_BETWEEN))
        .unwrap()
        .query_map(["089009", "2026-01-01", "2026-06-30"], |r| r.get(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        plan,
        [
            "SEARCH civico_attendance USING COVERING INDEX civico_attendance_by_day \
          (owner=? AND day>? AND day<?)"
        ],
    );
    let none = store
        .hours_between(
            "089009",
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        )
        .unwrap();
    assert!(none.is_empty());

    // Three participants over three days: each day's hours, with how many served them.
    ready(&mut store);
    let filed = store
        .file_applications(
            &[
                application("AAAAAA80A01Y001A", "2026-02-01T10:00:00+01:00"),
                application("BBBBBB80A01Y001B", "2026-02-01T11:00:00+01:00"),
                application("CCCCCC80A01Y001C", "2026-02-01T12:00:00+01:00"),
            ],
            at("2026-02-01T12:00:00+01:00"),
            &actor(),
        )
        .unwrap();
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 5, d).unwrap();
    let mut rows = Vec::new();
    for (i, f) in filed.iter().enumerate() {
        for d in 4..=6 {
            let hours = if i == 2 && d == 5 { "3.5" } else { "4" };
            rows.push(sportello_store::AttendanceRow {
                application_code: &f.application_code,
                day: day(d),
                hours: hours.into(),
            });
        }
    }
    store
        .save_attendance(&rows, at("2026-05-07T09:00:00+02:00"), &actor())
        .unwrap();
    let counted = store.hours_between("999001", day(5), day(30)).unwrap();
    assert_eq!(
        counted,
        [
            (day(5), "3.5".to_string(), 1),
            (day(5), "4".to_string(), 2),
            (day(6), "4".to_string(), 3),
        ]
    );
}

/// A bundle's bytes are kept exactly, written into their row piece by piece, and the page
/// cache is given back as it was.
#[test]
fn a_bundle_sent_is_kept_byte_for_byte() {
    let mut store = Store::open_in_memory().unwrap();
    ready(&mut store);
    let cache = |s: &Store| -> i64 {
        s.connection()
            .query_row("PRAGMA cache_size", [], |r| r.get(0))
            .unwrap()
    };
    let before = cache(&store);
    // Three pieces and a bit, none of them alike.
    let bytes: Vec<u8> = (0..(3 << 20) + 12_345u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let out = sportello_store::BundleOut {
        recipient: "999000".into(),
        seq: 1,
        kind: "upload".into(),
        file_name: "D99-999001-up-000001.sportello".into(),
        header_hash: "ab".into(),
        records: 3,
        created_at: "2026-02-01T09:00:00+01:00".into(),
        ack_version: 0,
        changes_to: 7,
    };
    store
        .save_bundle_out(&out, &bytes, at("2026-02-01T09:00:00+01:00"), &actor())
        .unwrap();
    let kept: Vec<u8> = store
        .connection()
        .query_row(
            "SELECT bytes FROM bundles_out WHERE recipient = '999000' AND seq = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(kept == bytes, "the bytes kept differ from those sent");
    assert_eq!(store.last_bundle_out("999000").unwrap().unwrap().0, 1);
    assert_eq!(cache(&store), before);
}
