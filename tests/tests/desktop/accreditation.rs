//! Accreditation of providers in the real window of the demo district: an application filed
//! at the capofila is assessed in the window with the running total in view, confirmed by the
//! coordinatore, found in the register and its attestato printed; the register travels to a
//! comune, where the attestato verifies as valid, and after the capofila revokes the
//! provider and the comune receives the new register, as revoked.

use serde_json::Value;

use super::civico::{carry, cli};
use super::*;

const FLORIDIA: &str = "089009";

/// The points the commission gives, criterion by criterion (73 in all).
const POINTS: [(&str, &str); 7] = [
    ("esperienza", "15"),
    ("organizzazione", "12"),
    ("personale", "15"),
    ("formazione", "8"),
    ("qualita", "10"),
    ("rete", "8"),
    ("servizi_aggiuntivi", "5"),
];

const GATES: [&str; 7] = [
    "forma_giuridica",
    "iscrizione_cciaa",
    "albo_regionale",
    "assenza_esclusioni",
    "durc",
    "sede_distretto",
    "assicurazione",
];

/// Verifies the attestato at `pdf` in the window of `db` and waits for `expected` in the result.
fn verify_in_window(db: &Path, pdf: &Path, expected: &'static str, screenshot: bool) {
    let args = [OsString::from("--db"), db.as_os_str().to_owned()];
    let path = text(pdf);
    in_window(&args, move |w| async move {
        w.log_in_as(DEMO.0, DEMO.1).await?;
        w.go("enti-accreditati").await?;
        w.wait_text("[data-testid='registro']", "Aretusa").await?;
        w.click("[data-testid='scheda-verifica-attestato']").await?;
        w.type_into("[data-testid='verifica-file']", &path).await?;
        w.click("[data-testid='verifica']").await?;
        w.wait_text("[data-testid='esito-verifica']", expected)
            .await?;
        if screenshot {
            w.screenshot("verifica-attestato").await?;
            // The map's entry of a service of the notice shows who is accredited for it.
            w.go("sportello").await?;
            w.click("[data-testid='scheda-sportello-servizi']").await?;
            w.click("[data-testid='servizi'] button[data-codice='sad-anziani']")
                .await?;
            w.wait_text("[data-testid='enti-del-servizio']", "Aretusa")
                .await?;
        }
        Ok(())
    });
}

#[test]
fn a_provider_is_assessed_registered_and_its_attestato_verified_at_a_comune() {
    let demo = demo_district();
    let capofila = demo.path().join("capofila.db");
    let floridia = demo.path().join("comuni").join(format!("{FLORIDIA}.db"));
    let post = demo.path().join("posta-accreditamento");
    std::fs::create_dir_all(&post).expect("post folder");
    let istanza = sportello_tests::fixture("accreditation/istanza-aretusa.json");
    cli(
        &capofila,
        0,
        &["provider", "apply", &text(&istanza), "--json"],
    );

    // The commission assesses it in the window, the coordinatore confirms, the attestato is
    // printed from the register.
    let attestato = demo.path().join("attestato-accreditamento.pdf");
    let out = text(&attestato);
    let capofila_args = [OsString::from("--db"), capofila.clone().into_os_string()];
    in_window(&capofila_args, move |w| async move {
        w.log_in_as(DEMO.0, DEMO.1).await?;
        w.go("accreditamento").await?;
        let row = "[data-testid='lista-istanze'] tr[data-codice='12345678903']";
        w.wait_text(row, "Da valutare").await?;

        // Another provider's application typed in the form: a partita IVA with a wrong
        // check digit is named as it is typed.
        w.click("[data-testid='nuova-istanza']").await?;
        w.type_into("[data-testid='i-nome']", "Ortigia Cooperativa Sociale")
            .await?;
        w.type_into("[data-testid='i-cf']", "02468135798").await?;
        w.wait_text("[data-testid='modulo-istanza']", "cifra di controllo")
            .await?;
        w.type_into("[data-testid='i-cf']", "02468135799").await?;
        w.type_into("[data-testid='i-rappresentante']", "Giuseppe Bianchi")
            .await?;
        w.choose("[data-testid='i-sede']", "089017").await?;
        w.click("[data-testid='i-servizio-sad_disabili']").await?;
        w.click(&format!("[data-testid='i-comune-{FLORIDIA}']"))
            .await?;
        w.type_into("[data-testid='doc-durc-numero']", "INPS_50123456")
            .await?;
        w.type_into("[data-testid='doc-durc-data']", "01/11/2026")
            .await?;
        w.type_into("[data-testid='doc-durc-scadenza']", "01/03/2027")
            .await?;
        w.click("[data-testid='registra-istanza']").await?;
        w.wait_text(
            "[data-testid='messaggio-accreditamento']",
            "Istanza di Ortigia Cooperativa Sociale registrata",
        )
        .await?;
        w.wait_text("[data-testid='lista-istanze']", "Ortigia")
            .await?;
        // Back to the top: the list's header stays in view over a row scrolled to the top.
        w.client().execute("window.scrollTo(0, 0);", vec![]).await?;

        w.click(&format!("{row} [data-testid='valuta']")).await?;
        for gate in GATES {
            w.click(&format!("[data-testid='requisito-{gate}-ok']"))
                .await?;
        }
        // Above a criterion's maximum the field says so and the total leaves it out.
        w.type_into("[data-testid='punti-esperienza']", "25")
            .await?;
        w.wait_text("[data-testid='valutazione']", "al massimo 20 punti")
            .await?;
        for (criterion, points) in POINTS {
            w.type_into(&format!("[data-testid='punti-{criterion}']"), points)
                .await?;
        }
        w.wait_text("[data-testid='totale-valutazione']", "Totale: 73 punti")
            .await?;
        w.wait_text(
            "[data-testid='totale-valutazione']",
            "Requisiti soddisfatti: 7 su 7",
        )
        .await?;
        w.wait_text("[data-testid='esito-previsto']", "accreditato")
            .await?;
        w.client()
            .execute(
                "document.querySelector(\"[data-testid='valutazione']\").scrollIntoView();",
                vec![],
            )
            .await?;
        w.screenshot("accreditamento-valutazione").await?;
        w.click("[data-testid='registra-valutazione']").await?;
        w.wait_text(
            "[data-testid='messaggio-accreditamento']",
            "accreditato con 73 punti",
        )
        .await?;
        // The assessment stays open under the list: the coordinatore confirms it there.
        w.click("[data-testid='conferma-valutazione']").await?;
        w.wait_text(
            "[data-testid='messaggio-accreditamento']",
            "iscritto nel registro",
        )
        .await?;

        w.go("enti-accreditati").await?;
        w.wait_text("[data-testid='registro']", "Aretusa").await?;
        w.wait_text("[data-testid='registro']", "Attivo").await?;
        w.click("[data-testid='registro'] [data-testid='gestisci']")
            .await?;
        w.type_into("[data-testid='attestato-accreditamento-path']", &out)
            .await?;
        w.click("[data-testid='attestato-accreditamento-open']")
            .await?;
        w.click("[data-testid='attestato-accreditamento-button']")
            .await?;
        w.wait_text(
            "[data-testid='attestato-accreditamento-saved']",
            "attestato-accreditamento.pdf",
        )
        .await?;
        w.client().execute("window.scrollTo(0, 0);", vec![]).await?;
        w.screenshot("accreditamento-registro").await?;
        Ok(())
    });
    assert!(attestato.exists(), "the attestato was written");

    // The register reaches Floridia with the publish bundle: the attestato verifies there.
    carry(&capofila, &floridia, Some(FLORIDIA), &post);
    verify_in_window(&floridia, &attestato, "Attestato valido", true);

    // The capofila revokes the provider; once Floridia receives the new register, the same
    // attestato shows the revocation.
    let register: Value = serde_json::from_str(&cli(&capofila, 0, &["provider", "list", "--json"]))
        .expect("register JSON");
    let number = register["providers"][0]["register_number"]
        .as_str()
        .expect("a register number")
        .to_string();
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    cli(
        &capofila,
        0,
        &[
            "provider",
            "status",
            &number,
            "--set",
            "revocato",
            "--reason",
            "DURC irregolare accertato nella verifica annuale",
            "--date",
            &today,
        ],
    );
    carry(&capofila, &floridia, Some(FLORIDIA), &post);
    verify_in_window(&floridia, &attestato, "revocato", false);
}
