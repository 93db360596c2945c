//! Synthetic documents for the tests and the benchmark: fictional comuni (D99 Valle dei Test)
//! and people (the fictional test people of docs/glossary.md and generated ones). Never real data.

#![allow(dead_code)]

use std::collections::HashSet;
use std::process::Command;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use sportello_print::{
    Breakdown, Housing, IseeKind, Letterhead, ObjectionsWindow, Outcome, RankingDocument,
    RankingRow, Receipt, ReceiptApplicant, ReceiptIsee, ReceiptMember, ReservedDetails, Stage,
};

pub const CREST_PNG: &[u8] = include_bytes!("../fixtures/crest.png");

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn comune_letterhead() -> Letterhead {
    Letterhead {
        title_lines: vec![
            "Comune di Floridia".into(),
            "Distretto socio-sanitario 48 – Siracusa".into(),
            "Servizi sociali · Segretariato sociale".into(),
        ],
        crest_png: Some(CREST_PNG.to_vec()),
    }
}

pub fn district_letterhead() -> Letterhead {
    Letterhead {
        title_lines: vec![
            "Distretto socio-sanitario D99 Valle dei Test".into(),
            "Comune capofila: Fontebianca · Ufficio di Piano".into(),
        ],
        crest_png: Some(CREST_PNG.to_vec()),
    }
}

pub const BANDO_TITLE: &str = "Servizio civico distrettuale – annualità 2026";

/// Giulia Bianchi (a fictional test person) files at Floridia with two children.
/// A foglio di recupero with a made-up key (no install has it).
pub fn recovery_sheet_fixture() -> sportello_print::RecoverySheet {
    sportello_print::RecoverySheet {
        letterhead: comune_letterhead(),
        comune: "Fontebianca (999001)".into(),
        district: "Distretto di prova".into(),
        created_at: date(2026, 12, 1).and_hms_opt(9, 30, 0).unwrap(),
        fingerprint: "9RAG-HYAU-JGAA-KHJ7-A463".into(),
        key: "MMS2-ZP0V-YNRD-DDMR-8DJE-YQFQ-AJFN-TC87-H3QH-DR34-S8J1-8DXX-R89V-FYKX".into(),
    }
}

/// Three participants' pay for June 2026, one hour figure with a half.
pub fn payment_list_fixture(number: i64) -> sportello_print::PaymentList {
    let line = |code: &str, surname: &str, name: &str, cf: &str, hours: &str, amount: &str| {
        sportello_print::PaymentLine {
            application_code: code.into(),
            surname: surname.into(),
            name: name.into(),
            codice_fiscale: cf.into(),
            hours: hours.into(),
            amount: amount.parse().unwrap(),
        }
    };
    sportello_print::PaymentList {
        letterhead: comune_letterhead(),
        comune: "Floridia".into(),
        month: "giugno 2026".into(),
        number,
        listed_on: date(2026, 7, 2),
        hourly_pay: "5.16".parse().unwrap(),
        lines: vec![
            line(
                "2345A-BCDEF",
                "Rossi",
                "Maria",
                "RSSMRA80A41D636X",
                "80",
                "412.80",
            ),
            line(
                "WWMWW-WWMWW",
                "Bianchi",
                "Luca",
                "BNCLCU85B12D636Y",
                "62.5",
                "322.50",
            ),
            line(
                "4567C-DEFGH",
                "Verdi",
                "Anna",
                "VRDNNA90C53D636Z",
                "-0.5",
                "-2.58",
            ),
        ],
    }
}

pub fn project_fixture() -> sportello_print::ProjectDocument {
    sportello_print::ProjectDocument {
        letterhead: comune_letterhead(),
        comune: "Floridia".into(),
        bando_title: "Servizio civico distrettuale 2026".into(),
        application_code: "2345A-BCDEF".into(),
        surname: "Rossi".into(),
        name: "Maria".into(),
        codice_fiscale: "RSSMRA80A41D636X".into(),
        sector: "Ambiente e verde pubblico".into(),
        site: "Villa comunale".into(),
        office: Some("Ufficio tecnico".into()),
        tutor: "Geom. Verdi".into(),
        start: date(2026, 6, 1),
        end: date(2026, 11, 30),
        weekly_hours: "20".into(),
        schedule: Some("lun-ven 8-12".into()),
        inail_position: Some("INAIL-0001".into()),
        rc_policy: None,
        hourly_pay: "€ 5,16".into(),
        max_hours_day: "4".into(),
        max_hours_month: "80".into(),
        issued_on: date(2026, 5, 20),
    }
}

pub fn attestato_fixture() -> sportello_print::Attestato {
    sportello_print::Attestato {
        letterhead: comune_letterhead(),
        comune: "Floridia".into(),
        bando_title: "Servizio civico distrettuale 2026".into(),
        application_code: "2345A-BCDEF".into(),
        surname: "Rossi".into(),
        name: "Maria".into(),
        codice_fiscale: "RSSMRA80A41D636X".into(),
        birth_date: date(1980, 1, 1),
        sector: "Ambiente e verde pubblico".into(),
        site: "Villa comunale".into(),
        start: date(2026, 6, 1),
        end: date(2026, 11, 30),
        hours: "470.5".into(),
        completed: true,
        skills: Some("cura del verde, uso in sicurezza degli attrezzi".into()),
        issued_on: date(2026, 12, 1),
    }
}

/// The scheda informativa of a synthetic service of the map, with a description on two lines.
pub fn service_sheet_fixture() -> sportello_print::ServiceSheet {
    sportello_print::ServiceSheet {
        letterhead: comune_letterhead(),
        comune: "Floridia".into(),
        code: "sad-anziani".into(),
        name: "Assistenza domiciliare anziani (SAD)".into(),
        provider: Some("Distretto 48 – Ufficio di Piano".into()),
        area: "2 – disabilità e non autosufficienza".into(),
        comuni: "tutti i comuni del distretto".into(),
        recipients: Some("Persone anziane sole o parzialmente non autosufficienti".into()),
        access: Some(
            "Domanda al comune di residenza.\nValutazione del servizio sociale professionale."
                .into(),
        ),
        documents: Some("Domanda, ISEE, certificato del medico curante".into()),
        cost: Some("Compartecipazione secondo ISEE".into()),
        place: Some("A domicilio".into()),
        hours: Some("Dal lunedì al sabato, secondo il piano individuale".into()),
        contacts: None,
        reviewed_on: date(2026, 3, 10),
        issued_on: date(2026, 12, 1),
    }
}

/// A preavviso di rigetto to Giulia Bianchi (a fictional test person), excluded for two
/// reasons in the provisional ranking of 15 April 2026.
pub fn preavviso_fixture() -> sportello_print::Preavviso {
    sportello_print::Preavviso {
        letterhead: district_letterhead(),
        comune: "Floridia".into(),
        bando_id: "SC-2026-1".into(),
        bando_title: BANDO_TITLE.into(),
        application_code: "K7M2Q-X9P4T".into(),
        case_number: "2026/0000123".into(),
        addressee: sportello_print::Addressee {
            surname: "Bianchi".into(),
            name: "Giulia".into(),
            codice_fiscale: "BNCGLI92M55D636B".into(),
            address: Some("Via delle Prove 7, Floridia".into()),
        },
        ranking_version: 1,
        ranking_date: date(2026, 4, 15),
        reasons: vec![
            "ISEE superiore alla soglia del bando (€ 8.000,00)".into(),
            "altra domanda nel nucleo familiare".into(),
        ],
        reply_days: 10,
        issued_on: date(2026, 4, 20),
    }
}

pub fn receipt_fixture() -> Receipt {
    Receipt {
        letterhead: comune_letterhead(),
        comune: "Floridia".into(),
        bando_id: "SC-2026-01".into(),
        bando_title: BANDO_TITLE.into(),
        case_number: "2026/0000123".into(),
        protocol_number: Some("0004567".into()),
        application_code: "K7QM4-XRT9P".into(),
        filed_at: NaiveDateTime::new(
            date(2026, 3, 12),
            chrono::NaiveTime::from_hms_opt(10, 42, 0).unwrap(),
        ),
        operator: Some("Operatrice: Teresa Operatrice di Prova".into()),
        applicant: ReceiptApplicant {
            surname: "Bianchi".into(),
            name: "Giulia".into(),
            codice_fiscale: "BNCGLI92M55D636B".into(),
            birth_date: date(1992, 8, 15),
            birth_place: "Floridia".into(),
            address: Some("Via della Libertà 12, 96014 Floridia".into()),
            phone: Some("0931 000000".into()),
            email: Some("giulia.bianchi@esempio.invalid".into()),
        },
        household: vec![
            ReceiptMember {
                surname: "Bianchi".into(),
                name: "Niccolò".into(),
                codice_fiscale: "BNCNCL15P10D636P".into(),
                birth_date: date(2015, 9, 10),
                relation: "figlio".into(),
                dependent_minor: true,
                disabled: true,
            },
            ReceiptMember {
                surname: "Bianchi".into(),
                name: "Sofia".into(),
                codice_fiscale: "BNCSFO18C52D636S".into(),
                birth_date: date(2018, 3, 12),
                relation: "figlia".into(),
                dependent_minor: true,
                disabled: false,
            },
        ],
        isee: Some(ReceiptIsee {
            value: Decimal::from_str("4321.5").unwrap(),
            kind: IseeKind::Ordinario,
            dsu_protocol: "INPS-ISEE-2026-AB123C789-00".into(),
            dsu_date: date(2026, 1, 20),
        }),
        resident: true,
        unemployed: true,
        unemployed_since: Some(date(2024, 11, 1)),
        other_income_support: false,
        housing: Housing::Eviction,
        single_parent: true,
        applicant_disabled: false,
        previous_participation: false,
    }
}

/// An applicant behind a ranking row: what the public must never see.
#[derive(Debug, Clone)]
pub struct Person {
    pub code: String,
    pub surname: String,
    pub name: String,
    pub codice_fiscale: String,
    pub comune: String,
    pub isee: Decimal,
}

const SURNAMES: &[&str] = &[
    "Rossi",
    "Bianchi",
    "Verdi",
    "Esposito",
    "Russo",
    "Ferrara",
    "Galli",
    "Lombardo",
    "Marino",
    "Greco",
    "Bruno",
    "Gallo",
    "Conti",
    "De Luca",
    "Mancini",
    "Costa",
    "Giordano",
    "Rizzo",
    "Moretti",
    "Barbieri",
    "Santoro",
    "Mariani",
    "Caruso",
    "Ferri",
    "Fabbri",
    "Messina",
    "D'Amico",
    "Sanfilippo",
    "Spanò",
    "Calì",
];
const NAMES: &[&str] = &[
    "Mario",
    "Giulia",
    "Salvatore",
    "Anna",
    "Giuseppe",
    "Niccolò",
    "Lucia",
    "Carmela",
    "Corrado",
    "Concetta",
    "Sebastiano",
    "Agata",
    "Gaetano",
    "Rosalia",
    "Nicolò",
    "Ilaria",
    "Emanuele",
    "Santina",
    "Corradina",
    "Vincenzo",
];
const COMUNI: &[&str] = &["Fontebianca", "Roccaverde", "Marina Serena", "Colle Alto"];
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A small deterministic generator, so every run prints the same documents.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn check_character(first15: &str) -> char {
    const ODD: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    let sum: u32 = first15
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let v = c.to_digit(10).unwrap_or_else(|| c as u32 - 'A' as u32);
            if i % 2 == 0 { ODD[v as usize] } else { v }
        })
        .sum();
    char::from(b'A' + (sum % 26) as u8)
}

fn letters(word: &str) -> String {
    let upper: String = word
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let consonants: String = upper.chars().filter(|c| !"AEIOU".contains(*c)).collect();
    let vowels: String = upper.chars().filter(|c| "AEIOU".contains(*c)).collect();
    format!("{consonants}{vowels}XXX").chars().take(3).collect()
}

fn synthetic_codice_fiscale(rng: &mut Lcg, surname: &str, name: &str) -> String {
    let year = 60 + rng.below(45);
    let month = b"ABCDEHLMPRST"[rng.below(12) as usize] as char;
    let day = 1 + rng.below(28) + if rng.below(2) == 0 { 0 } else { 40 };
    let place = format!("Y00{}", 1 + rng.below(4));
    let first15 = format!(
        "{}{}{:02}{month}{day:02}{place}",
        letters(surname),
        letters(name),
        year % 100
    );
    let check = check_character(&first15);
    format!("{first15}{check}")
}

fn isee_points(isee: Decimal) -> i32 {
    let bands = [
        (0, 50),
        (1000, 45),
        (2000, 40),
        (3000, 34),
        (4000, 28),
        (5000, 22),
        (6000, 16),
    ];
    if isee.is_zero() {
        return 50;
    }
    bands
        .iter()
        .skip(1)
        .find(|(ceiling, _)| isee <= Decimal::from(*ceiling))
        .map(|(_, points)| *points)
        .unwrap_or(10)
}

pub const EXCLUSION_REASONS: &[&str] = &[
    "ISEE superiore alla soglia di € 8.000,00",
    "altra domanda nel nucleo familiare",
    "età oltre i 65 anni alla data di chiusura del bando",
    "DSU non valida alla data di chiusura del bando",
];

/// A ranking of `n` synthetic applications: about one in twelve excluded, the first 60% of the
/// eligible ones admitted.
pub fn ranking(n: usize, stage: Stage) -> (RankingDocument, Vec<ReservedDetails>, Vec<Person>) {
    let mut rng = Lcg::new(20260312);
    let mut codes = HashSet::new();
    let mut entries = Vec::with_capacity(n);
    for i in 0..n {
        let code = loop {
            let raw: String = (0..10)
                .map(|_| CODE_ALPHABET[rng.below(CODE_ALPHABET.len() as u64) as usize] as char)
                .collect();
            let code = format!("{}-{}", &raw[..5], &raw[5..]);
            if codes.insert(code.clone()) {
                break code;
            }
        };
        let surname = SURNAMES[rng.below(SURNAMES.len() as u64) as usize];
        let name = NAMES[rng.below(NAMES.len() as u64) as usize];
        let isee = Decimal::new(rng.below(800_000) as i64 + 1, 2);
        let breakdown = Breakdown {
            isee: isee_points(isee),
            household_size: 2 * (1 + rng.below(5) as i32),
            dependent_minors: 2 * rng.below(5) as i32,
            disability: 5 * rng.below(3) as i32,
            single_parent: 6 * (rng.below(4) == 0) as i32,
            unemployment: 2 * rng.below(4) as i32,
            housing: [0, 4, 6][rng.below(3) as usize],
            older_applicant: 2 * (rng.below(3) == 0) as i32,
            previous_participation: -5 * (rng.below(5) == 0) as i32,
        };
        let excluded = i % 12 == 5;
        let person = Person {
            code: code.clone(),
            surname: surname.into(),
            name: name.into(),
            codice_fiscale: synthetic_codice_fiscale(&mut rng, surname, name),
            comune: COMUNI[rng.below(COMUNI.len() as u64) as usize].into(),
            isee,
        };
        let reasons = if excluded {
            vec![EXCLUSION_REASONS[rng.below(EXCLUSION_REASONS.len() as u64) as usize].into()]
        } else {
            Vec::new()
        };
        entries.push((person, breakdown, excluded, reasons));
    }
    entries.sort_by(|a, b| {
        b.1.score()
            .cmp(&a.1.score())
            .then(a.0.isee.cmp(&b.0.isee))
            .then(a.0.code.cmp(&b.0.code))
    });
    let eligible = entries.iter().filter(|e| !e.2).count();
    let admitted = eligible * 6 / 10;
    let mut position = 0;
    let mut rows = Vec::with_capacity(n);
    let mut details = Vec::with_capacity(n);
    let mut people = Vec::with_capacity(n);
    for (person, breakdown, excluded, reasons) in entries {
        let (position, outcome) = if excluded {
            (None, Outcome::Excluded)
        } else {
            position += 1;
            let outcome = if position as usize <= admitted {
                Outcome::Admitted
            } else {
                Outcome::EligibleNotAdmitted
            };
            (Some(position), outcome)
        };
        rows.push(RankingRow {
            position,
            application_code: person.code.clone(),
            score: breakdown.score(),
            outcome,
        });
        details.push(ReservedDetails {
            application_code: person.code.clone(),
            surname: person.surname.clone(),
            name: person.name.clone(),
            codice_fiscale: person.codice_fiscale.clone(),
            comune: person.comune.clone(),
            breakdown,
            exclusion_reasons: reasons,
        });
        people.push(person);
    }
    let doc = RankingDocument {
        letterhead: district_letterhead(),
        bando_id: "SC-2026-01".into(),
        bando_title: BANDO_TITLE.into(),
        stage,
        version: 2,
        date: date(2026, 4, 15),
        rows,
        factor_legend: FACTOR_LEGEND.iter().map(|l| l.to_string()).collect(),
    };
    (doc, details, people)
}

/// The legend as the app words it for the default regulation.
pub const FACTOR_LEGEND: [&str; 9] = [
    "ISEE: fascia di valore ISEE",
    "Nucl.: componenti del nucleo familiare",
    "Minori: figli minori a carico",
    "Disab.: disabilità certificate nel nucleo",
    "Genit.: genitore solo con minori a carico",
    "Disoc.: mesi di disoccupazione",
    "Casa: situazione abitativa",
    "Età: richiedente con almeno 50 anni",
    "Prec.: partecipazione al bando precedente",
];

pub fn provisional() -> Stage {
    Stage::Provisional {
        objections: ObjectionsWindow {
            days: 10,
            ends_on: date(2026, 4, 25),
        },
    }
}

fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new(tool)
        .args(args)
        .arg(&path)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} not runnable ({e}): apt-get install -y poppler-utils"));
    assert!(
        output.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The text of each page, as `pdftotext -layout` extracts it.
pub fn pages_text(pdf: &[u8]) -> Vec<String> {
    let text = poppler("pdftotext", &["-layout", "-enc", "UTF-8"], pdf);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    // pdftotext ends the last page with a form feed too.
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

pub fn text(pdf: &[u8]) -> String {
    pages_text(pdf).join("\n")
}

pub fn pdfinfo(pdf: &[u8]) -> String {
    poppler("pdfinfo", &[], pdf)
}

pub fn pdffonts(pdf: &[u8]) -> String {
    poppler("pdffonts", &[], pdf)
}

pub fn pdfimages_list(pdf: &[u8]) -> String {
    poppler("pdfimages", &["-list"], pdf)
}

/// One word as `pdftotext -bbox` places it: page number from 1, box in points from the top left.
#[derive(Debug, Clone)]
pub struct Word {
    pub page: usize,
    pub text: String,
    pub y_min: f32,
    pub y_max: f32,
}

pub fn words(pdf: &[u8]) -> Vec<Word> {
    let html = poppler("pdftotext", &["-bbox"], pdf);
    let mut page = 0;
    let mut words = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
            continue;
        }
        let Some(rest) = line.strip_prefix("<word ") else {
            continue;
        };
        let attr = |name: &str| -> f32 {
            let start = rest.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            let end = rest[start..].find('"').unwrap() + start;
            rest[start..end].parse().unwrap()
        };
        let start = rest.find('>').unwrap() + 1;
        let end = rest.find("</word>").unwrap();
        words.push(Word {
            page,
            text: rest[start..end].to_string(),
            y_min: attr("yMin"),
            y_max: attr("yMax"),
        });
    }
    words
}

/// An attestato di accreditamento of a fictional cooperative.
pub fn accreditation_fixture() -> sportello_print::AccreditationCertificate {
    sportello_print::AccreditationCertificate {
        letterhead: district_letterhead(),
        district: "Distretto socio-sanitario D99 Valle dei Test".into(),
        capofila: "Comune di Fontebianca".into(),
        register_number: "ACC-2026-001".into(),
        entered_on: date(2026, 12, 1),
        issued_on: date(2026, 12, 2),
        legal_basis: "Legge 8 novembre 2000, n. 328, art. 11".into(),
        notice_title: "Avviso di accreditamento 2026".into(),
        legal_name: "Fonte Servizi Società Cooperativa Sociale".into(),
        tax_code: "12345678903".into(),
        legal_form: "Cooperativa sociale di tipo A".into(),
        seat: "Fontebianca (999001)".into(),
        representative: "Maria Rossi, legale rappresentante".into(),
        services: vec![
            "Assistenza domiciliare anziani".into(),
            "Centro diurno".into(),
        ],
        comuni: vec!["Fontebianca".into(), "Roccaverde".into()],
        score: 72,
        pass_mark: 60,
        valid_from: date(2026, 12, 1),
        valid_until: date(2029, 11, 30),
        conditions: vec!["l'ente mantiene i requisiti di accesso".into()],
        qr_text: format!("SPORTELLO-ACC1.{}.{}", "e".repeat(400), "s".repeat(86)),
    }
}

/// The public register with `n` fictional providers.
pub fn public_register_fixture(n: usize) -> sportello_print::PublicRegister {
    sportello_print::PublicRegister {
        letterhead: district_letterhead(),
        district: "Distretto socio-sanitario D99 Valle dei Test".into(),
        as_of: date(2026, 12, 2),
        lines: (1..=n)
            .map(|i| sportello_print::RegisterLine {
                register_number: format!("ACC-2026-{i:03}"),
                legal_name: format!("Cooperativa Sociale Numero {i}"),
                tax_code: "12345678903".into(),
                legal_form: "Cooperativa sociale di tipo A".into(),
                seat: "Fontebianca".into(),
                representative: "Maria Rossi (legale rappresentante)".into(),
                services: "Assistenza domiciliare anziani".into(),
                comuni: "Fontebianca, Roccaverde".into(),
                valid_from: date(2026, 12, 1),
                valid_until: date(2029, 11, 30),
                status: if i % 5 == 0 { "sospeso" } else { "attivo" }.into(),
            })
            .collect(),
    }
}
