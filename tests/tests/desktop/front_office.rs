//! The front office in the real window of the demo district, at Floridia: an anonymous
//! information recorded with the keyboard alone (its keystrokes counted), an identified person
//! with an istruttoria (a wrong codice fiscale refused next to its field first), an invio and
//! its scheda di invio printed; the istruttoria seen in the back office, noted and closed; the
//! map of services searched; the statistics counting the contacts.

use super::*;

const FLORIDIA: &str = "089009";

/// The keys an operator presses, counted: each character is one key (Tab and Enter too).
struct Keyboard {
    keys: usize,
    fields: usize,
}

impl Keyboard {
    /// Presses `keys` where the focus is; `field` when they fill a new field.
    async fn press(&mut self, w: &Window, keys: &str, field: bool) -> Outcome {
        self.keys += keys.chars().count();
        if field {
            self.fields += 1;
        }
        w.keys(keys).await
    }
}

#[test]
fn the_front_office_records_contacts_and_follows_its_cases_in_the_window() {
    let demo = demo_district();
    let floridia = demo.path().join("comuni").join(format!("{FLORIDIA}.db"));
    let scheda = demo.path().join("stampe").join("scheda-invio.pdf");
    let csv = demo.path().join("stampe").join("statistiche.csv");
    std::fs::create_dir_all(demo.path().join("stampe")).expect("a folder for the prints");
    let (scheda_text, csv_text) = (text(&scheda), text(&csv));
    let scheda_for_steps = scheda.clone();
    let args = [OsString::from("--db"), floridia.into_os_string()];
    in_window(&args, move |w| async move {
        w.log_in_as(DEMO.0, DEMO.1).await?;
        w.go("sportello").await?;
        w.wait_focus("#f-area").await?;

        // An anonymous information, with the keyboard alone: the area, the request, Enter.
        let mut keyboard = Keyboard { keys: 0, fields: 0 };
        keyboard.press(&w, "3", true).await?;
        keyboard.press(&w, "\u{e004}", false).await?;
        w.wait_focus("#f-richiesta").await?;
        keyboard.press(&w, "Orari ISEE", true).await?;
        keyboard.press(&w, "\u{e007}", false).await?;
        w.wait_text("[data-testid='messaggio-contatto']", "registrato")
            .await?;
        println!(
            "anonymous information contact: {} keys, {} fields",
            keyboard.keys, keyboard.fields
        );
        if keyboard.keys > 25 || keyboard.fields > 2 {
            return Err(format!(
                "an anonymous information took {} keys in {} fields",
                keyboard.keys, keyboard.fields
            )
            .into());
        }
        w.wait_text("[data-testid='contatti-oggi']", "Orari ISEE")
            .await?;
        // The form is ready for the next person, the focus on its first field.
        w.wait_focus("#f-area").await?;
        check_eq(
            &w.value_of("#f-richiesta").await?,
            "",
            "the form is emptied",
        )?;

        // An identified person with an istruttoria: a wrong codice fiscale first.
        w.click("[data-testid='persona-identificata']").await?;
        w.type_into("[data-testid='f-cf']", "BNCGLI92M55D636X")
            .await?;
        w.type_into("[data-testid='f-cognome']", "Bianchi").await?;
        w.type_into("[data-testid='f-nome']", "Giulia").await?;
        w.type_into("[data-testid='f-area']", "3").await?;
        w.type_into(
            "[data-testid='f-richiesta']",
            "Chiede un aiuto per l'affitto arretrato",
        )
        .await?;
        w.click("[data-testid='risposta-istruttoria']").await?;
        w.choose("[data-testid='f-tipo']", "contributo").await?;
        w.type_into("[data-testid='cerca-servizi']", "sociale professionale")
            .await?;
        w.wait_text(
            "[data-testid='servizi-trovati']",
            "Servizio sociale professionale",
        )
        .await?;
        w.click("[data-testid='servizi-trovati'] [data-codice='servizio-sociale-professionale']")
            .await?;
        w.wait_text(
            "[data-testid='servizi-scelti']",
            "Servizio sociale professionale",
        )
        .await?;
        w.click("[data-testid='registra-contatto']").await?;
        w.find("[data-testid='f-cf-error']").await?;
        w.type_into("[data-testid='f-cf']", "BNCGLI92M55D636B")
            .await?;
        w.client().execute("window.scrollTo(0, 0);", vec![]).await?;
        w.screenshot("sportello").await?;
        w.click("[data-testid='registra-contatto']").await?;
        w.wait_text("[data-testid='messaggio-contatto']", "istruttoria n.")
            .await?;

        // An invio, and its scheda di invio.
        w.type_into("[data-testid='f-area']", "2").await?;
        w.click("[data-testid='risposta-invio']").await?;
        w.type_into("[data-testid='f-invio-a']", "Ufficio di Piano")
            .await?;
        w.type_into("[data-testid='f-portare']", "ISEE in corso di validità")
            .await?;
        w.type_into("[data-testid='cerca-servizi']", "domiciliare anziani")
            .await?;
        w.click("[data-testid='servizi-trovati'] [data-codice='sad-anziani']")
            .await?;
        w.wait_text(
            "[data-testid='servizi-scelti']",
            "Assistenza domiciliare anziani",
        )
        .await?;
        w.click("[data-testid='registra-contatto']").await?;
        w.wait_text("[data-testid='messaggio-contatto']", "registrato")
            .await?;
        w.type_into("[data-testid='scheda-invio-path']", &scheda_text)
            .await?;
        w.click("[data-testid='scheda-invio-open']").await?;
        w.click("[data-testid='scheda-invio-button']").await?;
        w.wait_text("[data-testid='scheda-invio-saved']", "PDF salvato")
            .await?;
        let printed = pdf_text(&scheda_for_steps);
        if !printed.contains("Ufficio di Piano") {
            return Err(format!("the scheda di invio does not say where: {printed}").into());
        }

        // The back office: the istruttoria, a note, closed.
        w.click("[data-testid='scheda-sportello-istruttorie']")
            .await?;
        w.wait_text("[data-testid='istruttorie']", "Contributo economico")
            .await?;
        w.click("[data-testid='istruttorie'] [data-testid='apri-istruttoria']")
            .await?;
        w.type_into("[data-testid='i-nota']", "Chiesti gli estratti conto")
            .await?;
        w.click("[data-testid='aggiungi-nota']").await?;
        w.wait_text("[data-testid='messaggio-istruttorie']", "Nota aggiunta")
            .await?;
        w.wait_text("[data-testid='istruttorie']", "Chiesti gli estratti conto")
            .await?;
        w.click("[data-testid='esito-accolta']").await?;
        w.screenshot("sportello-istruttorie").await?;
        w.click("[data-testid='chiudi-istruttoria']").await?;
        w.wait_text("[data-testid='messaggio-istruttorie']", "chiusa")
            .await?;
        w.find("[data-testid='nessuna-istruttoria']").await?;

        // The map of services.
        w.click("[data-testid='scheda-sportello-servizi']").await?;
        w.type_into("[data-testid='s-cerca']", "domiciliare")
            .await?;
        w.wait_text("[data-testid='servizi']", "Assistenza domiciliare anziani")
            .await?;
        w.click("[data-testid='servizi'] [data-codice='sad-anziani']")
            .await?;
        w.wait_text("[data-testid='scheda-servizio']", "Ufficio di Piano")
            .await?;
        w.screenshot("sportello-servizi").await?;

        // The statistics count the three contacts of today.
        w.click("[data-testid='scheda-sportello-statistiche']")
            .await?;
        w.wait_text("[data-testid='st-contatti']", "3").await?;
        w.wait_text("[data-testid='grafico-risposta']", "Per risposta")
            .await?;
        w.type_into("[data-testid='st-csv']", &csv_text).await?;
        w.click("[data-testid='st-csv-salva']").await?;
        let said = w
            .wait_text("[data-testid='st-csv-salvato'], #st-csv-error", "")
            .await?;
        if !said.contains("CSV salvato") {
            return Err(format!("the CSV was not saved: {said}").into());
        }
        w.screenshot("sportello-statistiche").await?;
        Ok(())
    });
    let figures = std::fs::read_to_string(&csv).expect("the CSV of the statistics");
    assert!(figures.contains("contatti;contatti;3"), "{figures}");

    // The capofila imports the district catalogue again (nothing changed) and reads the
    // district's statistics, every comune or one.
    let catalogue = text(&sportello_tests::fixture("services-d48.csv"));
    let capofila = [
        OsString::from("--db"),
        demo.path().join("capofila.db").into_os_string(),
    ];
    in_window(&capofila, move |w| async move {
        w.log_in_as(DEMO.0, DEMO.1).await?;
        w.go("sportello").await?;
        w.click("[data-testid='scheda-sportello-servizi']").await?;
        w.wait_text("[data-testid='servizi']", "Assistenza domiciliare anziani")
            .await?;
        w.type_into("[data-testid='s-file']", &catalogue).await?;
        w.click("[data-testid='importa-servizi']").await?;
        w.wait_text(
            "[data-testid='messaggio-servizi']",
            "Catalogo del distretto importato: 0 nuovi",
        )
        .await?;
        w.click("[data-testid='scheda-sportello-statistiche']")
            .await?;
        w.choose("#st-comune", FLORIDIA).await?;
        w.find("[data-testid='st-contatti']").await?;
        Ok(())
    });
}
