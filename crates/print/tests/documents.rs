//! The printed documents, read back with poppler's `pdftotext` as a citizen's or an auditor's
//! PDF reader would.

mod common;

use common::*;
use sportello_print::{
    Letterhead, Outcome, PrintError, RankingDocument, Stage, internal_ranking, preavviso,
    public_ranking, receipt, recovery_sheet,
};

/// Text with every run of whitespace made one space, for phrases that may wrap.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn images(pdf: &[u8]) -> usize {
    // The alpha channel of a PNG travels as a separate "smask" entry.
    pdfimages_list(pdf)
        .lines()
        .skip(2)
        .filter(|l| l.split_whitespace().nth(2) == Some("image"))
        .count()
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

fn page_count(pdf: &[u8]) -> usize {
    pdfinfo(pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo reports the page count")
}

fn assert_page_numbers(pages: &[String]) {
    let total = pages.len();
    for (i, page) in pages.iter().enumerate() {
        let expected = format!("Pagina {} di {total}", i + 1);
        assert_eq!(count(page, &expected), 1, "page {}: {expected}", i + 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Receipt

#[test]
fn receipt_carries_case_code_applicant_and_declarations() {
    let pdf = receipt(&receipt_fixture()).unwrap();
    let text = text(&pdf);
    for expected in [
        "Comune di Floridia",
        "Ricevuta di presentazione",
        "2026/0000123",
        "0004567",
        "CODICE DOMANDA",
        "K7QM4-XRT9P",
        "12/03/2026 alle ore 10:42",
        "SC-2026-01",
        "Bianchi Giulia",
        "BNCGLI92M55D636B",
        "15/08/1992 – Floridia",
        "Via della Libertà 12, 96014 Floridia",
        "0931 000000",
        "giulia.bianchi@esempio.invalid",
        "Componenti dichiarati, richiedente compreso: 3.",
        "Bianchi Niccolò",
        "BNCNCL15P10D636P",
        "10/09/2015",
        "figlio",
        "Bianchi Sofia",
        "figlia",
        "€ 4.321,50 (ordinario)",
        "protocollo INPS-ISEE-2026-AB123C789-00 del 20/01/2026",
        "sì, dal 01/11/2024",
        "sfratto esecutivo in corso",
        "Genitore solo con figli minori a carico",
        "Disabilità certificata del richiedente",
        "Partecipazione al bando precedente",
        "art. 13 del Regolamento (UE) 2016/679",
        "soltanto il codice domanda",
        "L'operatore",
        "Il/La richiedente",
        "Teresa Operatrice di Prova",
        "Pagina 1 di 1",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(page_count(&pdf), 1);
}

#[test]
fn the_recovery_sheet_carries_the_whole_key_on_two_lines_and_what_it_is_for() {
    let sheet = recovery_sheet_fixture();
    let pdf = recovery_sheet(&sheet).unwrap();
    assert_eq!(page_count(&pdf), 1);
    let text = text(&pdf);
    let (first, second) = sheet.key.split_at(34);
    assert!(text.contains(first), "{text}");
    assert!(text.contains(&second[1..]), "{text}");
    for expected in [
        "Foglio di recupero dell'installazione",
        "Fontebianca (999001)",
        "9RAG-HYAU-JGAA-KHJ7-A463",
        "RISERVATO",
        "Password dimenticata?",
        "Dove conservarlo",
    ] {
        assert!(flat(&text).contains(expected), "{expected}: {text}");
    }
}

#[test]
fn receipt_prints_the_application_code_larger_than_anything_else() {
    let pdf = receipt(&receipt_fixture()).unwrap();
    let words = words(&pdf);
    let height_of = |word: &str| {
        words
            .iter()
            .find(|w| w.text == word)
            .map(|w| w.y_max - w.y_min)
            .unwrap_or_else(|| panic!("{word} not found"))
    };
    let code = height_of("K7QM4-XRT9P");
    let name = height_of("Giulia");
    assert!(code > 2.0 * name, "code {code} pt vs name {name} pt");
    let tallest_other = words
        .iter()
        .filter(|w| w.text != "K7QM4-XRT9P")
        .map(|w| w.y_max - w.y_min)
        .fold(0.0, f32::max);
    assert!(code > tallest_other, "code {code} vs {tallest_other}");
}

#[test]
fn receipt_leaves_out_contacts_not_given_and_says_when_there_is_no_isee() {
    let mut r = receipt_fixture();
    r.applicant.phone = None;
    r.applicant.email = Some("   ".into());
    r.household.clear();
    r.isee = None;
    r.protocol_number = None;
    let text = text(&receipt(&r).unwrap());
    assert!(!text.contains("Telefono"));
    assert!(!text.contains("Posta elettronica"));
    assert!(!text.contains("Protocollo del Comune"));
    assert!(text.contains("Indirizzo"));
    assert!(text.contains("Componenti dichiarati, richiedente compreso: 1."));
    assert!(!text.contains("Relazione"), "no empty household table");
    assert!(text.contains("non presentato"));
}

#[test]
fn receipt_with_a_large_household_continues_on_a_second_page_with_the_table_header() {
    let mut r = receipt_fixture();
    let child = r.household[0].clone();
    r.household = (0..30)
        .map(|i| sportello_print::ReceiptMember {
            name: format!("Figlio{i:02}"),
            ..child.clone()
        })
        .collect();
    let pdf = receipt(&r).unwrap();
    let pages = pages_text(&pdf);
    assert_eq!(pages.len(), 2);
    assert_page_numbers(&pages);
    let text = pages.join("\n");
    for i in 0..30 {
        assert_eq!(
            count(&text, &format!("Bianchi Figlio{i:02}")),
            1,
            "member {i}"
        );
    }
    let second = &pages[1];
    if second.contains("Bianchi Figlio") {
        assert!(second.contains("Relazione"), "household header repeated");
    }
    assert!(second.contains("Il/La richiedente"));
    assert!(second.contains("K7QM4-XRT9P") || pages[0].contains("K7QM4-XRT9P"));
}

#[test]
fn italian_accents_extract_as_written() {
    let mut r = receipt_fixture();
    r.bando_title = "Attività di pubblica utilità: perché è così – più città, età, Niccolò".into();
    let text = flat(&text(&receipt(&r).unwrap()));
    assert!(
        text.contains("Attività di pubblica utilità: perché è così – più città, età, Niccolò"),
        "{text}"
    );
    for word in ["Libertà", "Niccolò", "Disabilità", "sì", "€ 4.321,50"] {
        assert!(text.contains(word), "{word}");
    }
}

#[test]
fn fonts_are_embedded_as_subsets_so_files_stay_small() {
    let pdf = receipt(&receipt_fixture()).unwrap();
    let fonts = pdffonts(&pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for row in rows {
        assert!(row.contains("DejaVuSans"), "{row}");
        // "+" after a six-letter tag marks a subset; the emb/sub columns say yes/yes.
        assert!(row.contains('+'), "not a subset: {row}");
        assert!(row.contains("yes yes"), "not embedded subset: {row}");
    }
    assert!(pdf.len() < 80_000, "receipt is {} bytes", pdf.len());
}

#[test]
fn crest_is_drawn_when_given_and_refused_when_unreadable() {
    let with = receipt(&receipt_fixture()).unwrap();
    assert_eq!(images(&with), 1, "{}", pdfimages_list(&with));

    let mut r = receipt_fixture();
    r.letterhead.crest_png = None;
    let without = receipt(&r).unwrap();
    assert_eq!(images(&without), 0);
    assert!(text(&without).contains("Comune di Floridia"));

    r.letterhead.crest_png = Some(b"not a png".to_vec());
    assert!(matches!(receipt(&r), Err(PrintError::Crest(_))));
}

// ---------------------------------------------------------------------------------------------
// Public ranking

#[test]
fn public_ranking_has_every_code_and_no_personal_data() {
    let (doc, details, people) = ranking(500, provisional());
    let pdf = public_ranking(&doc).unwrap();
    let text = text(&pdf);
    for person in &people {
        assert_eq!(count(&text, &person.code), 1, "{}", person.code);
        assert!(
            !text.contains(&person.surname),
            "surname {}",
            person.surname
        );
        assert!(
            !text.contains(&person.codice_fiscale),
            "{}",
            person.codice_fiscale
        );
        let isee = sportello_print::format::euro(person.isee);
        let digits = isee.trim_start_matches("€ ");
        assert!(!text.contains(digits), "ISEE {isee}");
        assert!(
            !text.contains(&person.isee.to_string()),
            "ISEE {}",
            person.isee
        );
    }
    for name in ["Giulia", "Niccolò", "Salvatore"] {
        assert!(!text.contains(name), "{name}");
    }
    for reason in EXCLUSION_REASONS {
        assert!(!text.contains(reason), "reason {reason}");
    }
    // The same data does reach the reserved document: the checks above can fail.
    let reserved = text_of_internal(&doc, &details);
    assert!(reserved.contains(&people[0].codice_fiscale));
    assert!(reserved.contains(&people[0].surname));
}

fn text_of_internal(doc: &RankingDocument, details: &[sportello_print::ReservedDetails]) -> String {
    text(&internal_ranking(doc, details).unwrap())
}

#[test]
fn public_ranking_of_500_rows_breaks_pages_with_header_repeated_and_no_row_lost() {
    let (doc, _, _) = ranking(500, Stage::Definitive);
    let pdf = public_ranking(&doc).unwrap();
    let pages = pages_text(&pdf);
    assert_eq!(pages.len(), page_count(&pdf));
    assert!(pages.len() >= 10, "only {} pages", pages.len());
    assert_page_numbers(&pages);

    let ranked: Vec<_> = doc
        .rows
        .iter()
        .filter(|r| r.outcome != Outcome::Excluded)
        .collect();
    let mut next = 0;
    for (i, page) in pages.iter().enumerate() {
        // The frame on every page.
        assert!(
            page.contains("Distretto socio-sanitario D99 Valle dei Test"),
            "page {i}"
        );
        assert!(page.contains("Graduatoria pubblica definitiva"), "page {i}");
        assert!(page.contains("Versione 2 del 15/04/2026"), "page {i}");
        let rows_here = ranked[next..]
            .iter()
            .take_while(|r| page.contains(&r.application_code))
            .count();
        if rows_here > 0 {
            let header = page
                .lines()
                .find(|l| l.contains("Posizione"))
                .unwrap_or_else(|| panic!("page {} has rows but no header", i + 1));
            for title in ["Codice domanda", "Punteggio", "Esito"] {
                assert!(header.contains(title), "page {}: {header}", i + 1);
            }
            // Each row is whole on its page: position, code, score and outcome on one line.
            for row in &ranked[next..next + rows_here] {
                let line = page
                    .lines()
                    .find(|l| l.contains(&row.application_code))
                    .unwrap();
                let fields: Vec<&str> = line.split_whitespace().collect();
                assert_eq!(fields[0], row.position.unwrap().to_string(), "{line}");
                assert_eq!(fields[2], row.score.to_string(), "{line}");
                assert!(line.ends_with(row.outcome.label_it()), "{line}");
            }
        }
        next += rows_here;
    }
    assert_eq!(next, ranked.len(), "rows found in order across pages");

    // No row runs into the footer: every code sits above the footer rule (16 mm from the
    // bottom of an A4 page), the page numbers below it.
    let footer_top = 841.89 - 16.0 / 25.4 * 72.0;
    let words = words(&pdf);
    let codes: std::collections::HashSet<&str> = doc
        .rows
        .iter()
        .map(|r| r.application_code.as_str())
        .collect();
    let placed: Vec<_> = words
        .iter()
        .filter(|w| codes.contains(w.text.as_str()))
        .collect();
    assert_eq!(placed.len(), doc.rows.len());
    for w in placed {
        assert!(
            w.y_max < footer_top,
            "{} at {} on page {}",
            w.text,
            w.y_max,
            w.page
        );
    }
    for w in words.iter().filter(|w| w.text == "Pagina") {
        assert!(
            w.y_min > footer_top,
            "page number at {} on page {}",
            w.y_min,
            w.page
        );
    }
    // Page breaks did happen inside the table: 458 ranked rows at 54 to a page (fewer on the
    // first, below the summary and the objections' notice).
    let pages_with_header = pages.iter().filter(|p| p.contains("Posizione")).count();
    assert!(pages_with_header >= 8, "{pages_with_header}");
}

#[test]
fn public_ranking_lists_excluded_applications_by_code_only_in_their_own_section() {
    let (doc, _, _) = ranking(60, Stage::Definitive);
    let text = text(&public_ranking(&doc).unwrap());
    let section = text
        .find("Domande escluse")
        .expect("excluded section present");
    let excluded: Vec<_> = doc
        .rows
        .iter()
        .filter(|r| r.outcome == Outcome::Excluded)
        .collect();
    assert_eq!(excluded.len(), 5);
    for row in excluded {
        let at = text.find(&row.application_code).unwrap();
        assert!(
            at > section,
            "{} listed before the section",
            row.application_code
        );
        let line = text[at..].lines().next().unwrap();
        assert!(!line.contains("ESCLUSO"), "{line}");
    }
    assert!(text.contains("Escluse: 5."));
}

#[test]
fn provisional_ranking_states_the_objections_window() {
    let (doc, _, _) = ranking(20, provisional());
    let text = text(&public_ranking(&doc).unwrap());
    assert!(text.contains("Graduatoria pubblica provvisoria"));
    assert!(text.contains("Opposizioni"));
    let flat = flat(&text);
    assert!(
        flat.contains("Entro 10 giorni dalla pubblicazione, cioè entro il 25/04/2026"),
        "{flat}"
    );
    assert!(flat.contains("indicando il codice domanda"), "{flat}");

    let (definitive, _, _) = ranking(20, Stage::Definitive);
    let text = self::text(&public_ranking(&definitive).unwrap());
    assert!(text.contains("Graduatoria pubblica definitiva"));
    assert!(!text.contains("Opposizioni"));
}

#[test]
fn the_preavviso_states_the_reasons_and_the_days_to_reply_to_its_addressee() {
    let p = preavviso_fixture();
    let pdf = preavviso(&p).unwrap();
    let text = flat(&self::text(&pdf));
    assert!(
        text.contains("Preavviso di rigetto della domanda"),
        "{text}"
    );
    assert!(text.contains("Art. 10-bis L. 241/1990"), "{text}");
    assert!(
        text.contains("Al/Alla sig./sig.ra Bianchi Giulia"),
        "{text}"
    );
    assert!(text.contains("BNCGLI92M55D636B"), "{text}");
    assert!(text.contains("versione n. 1 del 15/04/2026"), "{text}");
    for reason in &p.reasons {
        assert!(text.contains(reason.as_str()), "{reason}: {text}");
    }
    assert!(
        text.contains("Entro 10 giorni dal ricevimento di questa comunicazione"),
        "{text}"
    );
    assert!(
        text.contains("presso l'ufficio del Comune di Floridia"),
        "{text}"
    );
    assert!(text.contains("RISERVATO"), "{text}");
    assert!(text.contains("Emesso il 20/04/2026"), "{text}");
    let shorter = preavviso(&sportello_print::Preavviso {
        reply_days: 15,
        ..p
    })
    .unwrap();
    assert!(flat(&self::text(&shorter)).contains("Entro 15 giorni dal ricevimento"));
}

#[test]
fn ranking_with_a_repeated_code_is_refused() {
    let (mut doc, _, _) = ranking(10, Stage::Definitive);
    doc.rows[3].application_code = doc.rows[7].application_code.clone();
    assert_eq!(
        public_ranking(&doc),
        Err(PrintError::DuplicateCode(
            doc.rows[7].application_code.clone()
        ))
    );
}

#[test]
fn empty_ranking_still_prints_a_page_that_says_so() {
    let (mut doc, _, _) = ranking(1, Stage::Definitive);
    doc.rows.clear();
    doc.letterhead = Letterhead {
        title_lines: vec!["Distretto socio-sanitario D99 Valle dei Test".into()],
        crest_png: None,
    };
    let pdf = public_ranking(&doc).unwrap();
    let text = text(&pdf);
    assert!(text.contains("Nessuna domanda idonea."));
    assert!(text.contains("Nessuna domanda esclusa."));
    assert!(text.contains("Pagina 1 di 1"));
}

// ---------------------------------------------------------------------------------------------
// Reserved ranking

#[test]
fn internal_ranking_is_reserved_on_every_page_and_carries_names_breakdown_and_reasons() {
    let (doc, details, people) = ranking(120, provisional());
    let pdf = internal_ranking(&doc, &details).unwrap();
    let pages = pages_text(&pdf);
    assert!(pages.len() >= 3, "{} pages", pages.len());
    assert_page_numbers(&pages);
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains("RISERVATO"), "page {}", i + 1);
        assert!(
            page.contains("Graduatoria riservata provvisoria"),
            "page {}",
            i + 1
        );
    }
    // Landscape A4.
    assert!(
        pdfinfo(&pdf).contains("841.89 x 595.276 pts"),
        "{}",
        pdfinfo(&pdf)
    );

    let text = pages.join("\n");
    for (person, d) in people.iter().zip(&details) {
        assert_eq!(count(&text, &person.code), 1, "{}", person.code);
        assert!(
            text.contains(&person.codice_fiscale),
            "{}",
            person.codice_fiscale
        );
        let line = text.lines().find(|l| l.contains(&person.code)).unwrap();
        assert!(line.contains(&person.surname), "{line}");
        assert!(line.contains(&person.comune), "{line}");
        if d.exclusion_reasons.is_empty() {
            let b = d.breakdown;
            let expected = [
                b.isee,
                b.household_size,
                b.dependent_minors,
                b.disability,
                b.single_parent,
                b.unemployment,
                b.housing,
                b.older_applicant,
                b.previous_participation,
                b.score(),
            ]
            .map(|p| p.to_string())
            .join(" ");
            assert!(flat(line).contains(&expected), "{expected} in {line}");
        } else {
            let reason = &d.exclusion_reasons[0];
            assert!(flat(&text).contains(reason.as_str()), "{reason}");
        }
    }
    for title in [
        "ISEE", "Nucl.", "Minori", "Disab.", "Genit.", "Disoc.", "Casa", "Età", "Prec.", "Tot.",
    ] {
        assert!(text.contains(title), "{title}");
    }
}

#[test]
fn a_row_taller_than_a_page_is_cut_with_an_ellipsis_instead_of_looping() {
    let (doc, mut details, _) = ranking(12, Stage::Definitive);
    let excluded = doc
        .rows
        .iter()
        .find(|r| r.outcome == Outcome::Excluded)
        .unwrap();
    let d = details
        .iter_mut()
        .find(|d| d.application_code == excluded.application_code)
        .unwrap();
    d.exclusion_reasons = (0..200).map(|i| format!("motivo numero {i}")).collect();
    let pdf = internal_ranking(&doc, &details).unwrap();
    let text = text(&pdf);
    assert!(text.contains("motivo numero 0"));
    assert!(!text.contains("motivo numero 199"));
    assert!(text.contains('…'));
    assert_page_numbers(&pages_text(&pdf));
}

#[test]
fn internal_ranking_refuses_details_that_do_not_match_the_rows() {
    let (doc, details, _) = ranking(30, Stage::Definitive);

    let mut missing = details.clone();
    let gone = missing.remove(4);
    assert_eq!(
        internal_ranking(&doc, &missing),
        Err(PrintError::MissingDetails(gone.application_code))
    );

    let mut extra = details.clone();
    let mut stranger = extra[0].clone();
    stranger.application_code = "ZZZZ-9999".into();
    extra.push(stranger);
    assert_eq!(
        internal_ranking(&doc, &extra),
        Err(PrintError::UnknownDetails("ZZZZ-9999".into()))
    );

    let mut wrong = details.clone();
    let eligible = doc
        .rows
        .iter()
        .position(|r| r.outcome != Outcome::Excluded)
        .unwrap();
    let code = doc.rows[eligible].application_code.clone();
    let d = wrong
        .iter_mut()
        .find(|d| d.application_code == code)
        .unwrap();
    d.breakdown.housing += 1;
    assert!(matches!(
        internal_ranking(&doc, &wrong),
        Err(PrintError::InconsistentScore { code: c, .. }) if c == code
    ));
}

#[test]
fn the_payment_list_names_each_participant_with_hours_pay_and_total() {
    let t = text(&sportello_print::payment_list(&payment_list_fixture(1)).unwrap());
    for needed in [
        "Elenco di liquidazione · giugno 2026",
        "Elenco n. 1 del 02/07/2026",
        "RSSMRA80A41D636X",
        // The widest code on one line.
        "WWMWW-WWMWW",
        "62,5",
        "€ 322,50",
        "Totale da liquidare: € 732,72",
        "RISERVATO",
    ] {
        assert!(t.contains(needed), "{needed:?} missing: {t}");
    }
    assert!(!t.contains("integrativo"));
    let t = text(&sportello_print::payment_list(&payment_list_fixture(2)).unwrap());
    assert!(t.contains("Elenco di liquidazione integrativo"), "{t}");
    assert!(t.contains("negativo è da recuperare"), "{t}");
}

#[test]
fn the_scheda_informativa_has_each_section_given_and_when_it_was_reviewed() {
    let t = text(&sportello_print::service_sheet(&service_sheet_fixture()).unwrap());
    for needed in [
        "Scheda informativa del servizio",
        "Assistenza domiciliare anziani (SAD)",
        "Distretto 48 – Ufficio di Piano",
        "2 – disabilità e non autosufficienza",
        "tutti i comuni del distretto",
        "A chi si rivolge",
        "Come si accede",
        "Domanda al comune di residenza.",
        "Valutazione del servizio sociale professionale.",
        "Documenti da portare",
        "certificato del medico curante",
        "Informazioni aggiornate al 10/03/2026",
        "Servizio sad-anziani",
    ] {
        assert!(t.contains(needed), "{needed:?} missing: {t}");
    }
    // A section not given is left out, not printed empty.
    assert!(!t.contains("Contatti"), "{t}");
    assert!(!t.contains("RISERVATO"));
}

#[test]
fn the_attestato_states_the_period_sector_site_and_hours() {
    let t = text(&sportello_print::attestato(&attestato_fixture()).unwrap());
    for needed in [
        "Attestato di partecipazione al servizio civico",
        "Maria Rossi",
        "RSSMRA80A41D636X",
        "dal 01/06/2026 al",
        "30/11/2026, portandolo a termine",
        "Ambiente e verde pubblico",
        "470,5",
        "Competenze acquisite",
        "cura del verde",
    ] {
        assert!(t.contains(needed), "{needed:?} missing: {t}");
    }
    assert!(!t.contains("RISERVATO"));
}

#[test]
fn the_project_has_every_fact_and_three_signatures_and_the_letter_says_when_to_start() {
    let t = text(&sportello_print::project_document(&project_fixture()).unwrap());
    for needed in [
        "Progetto individualizzato di servizio civico",
        "Maria Rossi (RSSMRA80A41D636X)",
        "dal 01/06/2026 al 30/11/2026",
        "20 (lun-ven 8-12)",
        "da indicare prima dell'avvio",
        "Il partecipante",
        "Il tutor",
        "Il responsabile del servizio",
    ] {
        assert!(t.contains(needed), "{needed:?} missing: {t}");
    }
    let t = text(&sportello_print::start_letter(&project_fixture()).unwrap());
    assert!(t.contains("Gentile Maria Rossi"), "{t}");
    assert!(t.contains("inizia il 01/06/2026"), "{t}");
}

#[test]
fn the_attestato_di_accreditamento_has_the_parts_of_a_pa_act() {
    let t = text(&sportello_print::accreditation_certificate(&accreditation_fixture()).unwrap());
    for needed in [
        "Attestato di accreditamento",
        "n. ACC-2026-001 · iscrizione del 01/12/2026 · rilasciato il 02/12/2026",
        "comune capofila",
        "Riferimenti normativi",
        "Legge 8 novembre 2000, n. 328",
        "72 punti su una soglia di 60",
        "SI ATTESTA",
        "Fonte Servizi Società Cooperativa Sociale",
        "12345678903",
        "Maria Rossi, legale rappresentante",
        "Assistenza domiciliare anziani; Centro diurno",
        "Fontebianca, Roccaverde",
        "dal 01/12/2026 al 30/11/2029",
        "Condizioni",
        "Verifica dell'attestato",
        "Il responsabile dell'Ufficio di piano",
    ] {
        assert!(t.contains(needed), "{needed:?} missing: {t}");
    }
}

#[test]
fn a_statement_too_long_for_a_qr_code_is_refused_by_name() {
    let mut c = accreditation_fixture();
    c.qr_text = "x".repeat(5000);
    let e = sportello_print::accreditation_certificate(&c).unwrap_err();
    assert_eq!(e.code(), "print.qr");
}

#[test]
fn the_public_register_lists_every_provider_across_pages() {
    let t = text(&sportello_print::public_register(&public_register_fixture(60)).unwrap());
    assert!(
        t.contains("Registro distrettuale degli enti accreditati"),
        "{t}"
    );
    assert!(t.contains("aggiornato al 02/12/2026"), "{t}");
    assert!(
        t.contains("ACC-2026-001") && t.contains("ACC-2026-060"),
        "{t}"
    );
    assert!(t.contains("Pagina 2 di"), "{t}");
    let empty = text(&sportello_print::public_register(&public_register_fixture(0)).unwrap());
    assert!(empty.contains("Nessun ente iscritto."), "{empty}");
}
