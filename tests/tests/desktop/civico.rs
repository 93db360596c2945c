//! Servizio civico after the ranking, in the real window of the demo district: an objection
//! recorded at a comune and decided at the capofila with the preavvisi printed; then, from the
//! definitive ranking, a call accepted, its project, a month of attendance typed in the grid,
//! the payment list checked to the cent, a rinuncia that calls the next idoneo of the same
//! comune, a complaint, the capofila's view of every comune, and on the smallest screen the
//! service completed and its attestato printed.

use chrono::{Datelike, Months, NaiveDate};
use serde_json::Value;

use super::*;

const BANDO: &str = "SC-2026-1";
const FLORIDIA: &str = "089009";

/// `sportello ARGS` on `db` as the demo's first operator, `days` ahead of the clock when not
/// zero (faketime: the definitive ranking comes after the objections window).
fn run(db: &Path, days: i64, args: &[&str]) -> std::process::Output {
    let when = (chrono::Utc::now() + chrono::Duration::days(days))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    let mut command = if days == 0 {
        Command::new(sportello_tests::binary("sportello"))
    } else {
        let mut c = Command::new("faketime");
        c.env("TZ", "UTC")
            .arg(&when)
            .arg(sportello_tests::binary("sportello"));
        c
    };
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env("SPORTELLO_OPERATOR", DEMO.0)
        .env("SPORTELLO_PASSWORD", DEMO.1)
        .env_remove("SPORTELLO_DB")
        .output()
        .expect("run sportello (faketime: apt-get install faketime)")
}

/// [`run`], which must succeed: its stdout.
pub(super) fn cli(db: &Path, days: i64, args: &[&str]) -> String {
    let out = run(db, days, args);
    assert!(
        out.status.success(),
        "sportello {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// [`run`], which must be refused (exit 1): its message.
fn refused_cli(db: &Path, days: i64, args: &[&str]) -> String {
    let out = run(db, days, args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "sportello {args:?} should be refused"
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exports `from`'s bundles into `post` and imports into `to` those addressed to it
/// (`-pub-<comune>-` from the capofila; every upload of a comune).
pub(super) fn carry(from: &Path, to: &Path, to_comune: Option<&str>, post: &Path) {
    let files = cli(from, 0, &["bundle", "export", "--out", &text(post)]);
    for file in files.lines().filter(|f| !f.trim().is_empty()) {
        if to_comune.is_none_or(|c| file.contains(&format!("-pub-{c}-"))) {
            cli(to, 0, &["bundle", "import", file.trim()]);
        }
    }
}

/// The codes of `comune`'s rows with `outcome`, in ranking order.
fn codes(rows: &Value, comune: &str, outcome: &str) -> Vec<String> {
    rows.as_array()
        .expect("ranking rows")
        .iter()
        .filter(|r| r["comune"] == comune && r["outcome"] == outcome)
        .filter_map(|r| r["application_code"].as_str().map(str::to_string))
        .collect()
}

/// Goes to `#/hash` directly, as a link elsewhere in the window would.
async fn open_hash(w: &Window, hash: &str) -> Outcome {
    w.client()
        .execute("window.location.hash = arguments[0];", vec![json!(hash)])
        .await?;
    Ok(())
}

#[test]
fn servizio_civico_from_the_objections_to_the_payment_list_in_the_window() {
    let demo = demo_district();
    let capofila = demo.path().join("capofila.db");
    let floridia = demo.path().join("comuni").join(format!("{FLORIDIA}.db"));
    let post = demo.path().join("posta-civico");
    std::fs::create_dir_all(&post).expect("post folder");
    let rows: Value = serde_json::from_str(&cli(
        &capofila,
        0,
        &["ranking", "compute", "--bando", BANDO, "--json"],
    ))
    .expect("ranking JSON");
    let esclusi = codes(&rows, FLORIDIA, "ESCLUSO");
    let ammessi = codes(&rows, FLORIDIA, "AMMESSO");
    let idonei = codes(&rows, FLORIDIA, "IDONEO_NON_AMMESSO");
    assert!(
        !esclusi.is_empty() && ammessi.len() >= 2 && !idonei.is_empty(),
        "{rows}"
    );
    let floridia_args = [OsString::from("--db"), floridia.clone().into_os_string()];
    let capofila_args = [OsString::from("--db"), capofila.clone().into_os_string()];

    // The comune records an objection against an exclusion, from the application's screen.
    let contested = esclusi[0].clone();
    let recorded = contested.clone();
    in_window(&floridia_args, move |w| async move {
        w.log_in_as(DEMO.0, DEMO.1).await?;
        open_hash(&w, &format!("#/domande/{recorded}")).await?;
        w.click("[data-testid='registra-opposizione']").await?;
        check_eq(
            &w.value_of("[data-testid='opposizione-oggetto']").await?,
            "exclusion",
            "an excluded application contests its exclusion",
        )?;
        w.type_into(
            "[data-testid='opposizione-testo']",
            "La DSU era stata presentata prima della scadenza: si allega la ricevuta INPS.",
        )
        .await?;
        w.screenshot("opposizione-domanda").await?;
        w.click("[data-testid='conferma-opposizione']").await?;
        w.wait_text(
            "[data-testid='messaggio-domanda']",
            "Opposizione registrata",
        )
        .await?;
        w.go("opposizioni").await?;
        w.wait_text("[data-testid='opposizioni']", "Da decidere")
            .await?;
        w.wait_text("[data-testid='opposizioni']", &recorded)
            .await?;
        Ok(())
    });
    // A second one, brought on paper the same day, recorded with the command line.
    let accepted = esclusi[1].clone();
    cli(
        &floridia,
        0,
        &[
            "objection",
            "add",
            "--application",
            &accepted,
            "--about",
            "exclusion",
            "--text",
            "Il nucleo familiare indicato nell'altra domanda non è più lo stesso.",
        ],
    );
    carry(&floridia, &capofila, None, &post);

    // The capofila decides them (one rejected, one accepted) and prints the preavvisi.
    let preavvisi = demo.path().join("preavvisi");
    let folder = text(&preavvisi);
    let (to_accept, to_reject) = (accepted.clone(), contested.clone());
    in_window(&capofila_args, move |w| async move {
        w.log_in_as(DEMO.0, DEMO.1).await?;
        w.go("opposizioni").await?;
        w.wait_text("[data-testid='opposizioni']", "Da decidere")
            .await?;
        let row = |code: &str| format!("[data-testid='opposizioni'] tr[data-codice='{code}']");
        w.click(&format!("{} [data-testid='decidi']", row(&to_accept)))
            .await?;
        w.click("[data-testid='esito-accolta']").await?;
        w.type_into(
            "[data-testid='motivazione']",
            "Lo stato di famiglia aggiornato è agli atti del comune.",
        )
        .await?;
        w.click("[data-testid='conferma-decisione']").await?;
        w.wait_text(&row(&to_accept), "Accolta, da applicare")
            .await?;
        w.click(&format!("{} [data-testid='decidi']", row(&to_reject)))
            .await?;
        w.click("[data-testid='esito-respinta']").await?;
        w.type_into(
            "[data-testid='motivazione']",
            "La ricevuta INPS porta una data successiva alla chiusura del bando.",
        )
        .await?;
        w.click("[data-testid='conferma-decisione']").await?;
        w.wait_text("[data-testid='opposizioni']", "Respinta")
            .await?;
        w.type_into("[data-testid='cartella-preavvisi']", &folder)
            .await?;
        w.click("[data-testid='stampa-preavvisi']").await?;
        w.wait_text(
            "[data-testid='preavvisi-stampati']",
            "preavvisi di rigetto salvati",
        )
        .await?;
        w.screenshot("opposizioni").await?;
        Ok(())
    });
    let printed: Vec<_> = std::fs::read_dir(&preavvisi)
        .expect("the preavvisi folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    let excluded = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == "ESCLUSO")
        .count();
    assert_eq!(
        printed.len(),
        excluded,
        "one preavviso per ESCLUSO: {printed:?}"
    );
    let one = pdf_text(&preavvisi.join(format!("preavviso-{}.pdf", esclusi[0])));
    assert!(
        one.contains("10 giorni") || one.contains("dieci giorni"),
        "{one}"
    );

    // The definitive ranking waits for the accepted objection to be carried out, naming it.
    let definitive = [
        "ranking",
        "publish",
        "--bando",
        BANDO,
        "--stage",
        "definitive",
        "--confirm-cross-comune",
    ];
    let waiting = refused_cli(&capofila, 15, &definitive);
    assert!(
        waiting.contains("non ancora applicate") && waiting.contains(&accepted),
        "{waiting}"
    );
    carry(&capofila, &floridia, Some(FLORIDIA), &post);

    // The comune carries it out: the correction form names the objection it applies.
    let applied = accepted.clone();
    in_window(&floridia_args, move |w| async move {
        w.log_in_as(DEMO.0, DEMO.1).await?;
        w.go("opposizioni").await?;
        let row = format!("[data-testid='opposizioni'] tr[data-codice='{applied}']");
        w.wait_text(&row, "Accolta, da applicare").await?;
        w.click(&format!("{row} [data-testid='applica']")).await?;
        w.wait_text("main h1", "Correzione della domanda").await?;
        // The accepted objection is chosen already.
        if w.value_of("[data-testid='opposizione-applicata']")
            .await?
            .is_empty()
        {
            return Err("the correction should carry out the accepted objection".into());
        }
        w.type_into("#f-applicant-phone", "0931 555124").await?;
        w.type_into(
            "[data-testid='motivo-correzione']",
            "opposizione accolta: stato di famiglia aggiornato",
        )
        .await?;
        w.screenshot("correzione-opposizione").await?;
        w.click("[data-testid='salva-correzione']").await?;
        w.wait_text("[data-testid='titolo-domanda']", &applied)
            .await?;
        w.go("opposizioni").await?;
        w.wait_text(&row, "Accolta e applicata").await?;
        Ok(())
    });

    // After the objections window, the definitive ranking reaches the comune.
    carry(&floridia, &capofila, None, &post);
    cli(&capofila, 15, &definitive);
    carry(&capofila, &floridia, Some(FLORIDIA), &post);
    let rows: Value = serde_json::from_str(&cli(
        &capofila,
        0,
        &["ranking", "compute", "--bando", BANDO, "--json"],
    ))
    .expect("ranking JSON");
    let ammessi = codes(&rows, FLORIDIA, "AMMESSO");
    let idonei = codes(&rows, FLORIDIA, "IDONEO_NON_AMMESSO");

    // The project starts on the first day of last month and lasts three months.
    let today = chrono::Local::now().date_naive();
    let start = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap() - Months::new(1);
    let end = start + Months::new(3);
    let month = start.format("%Y-%m").to_string();
    let day = move |d: u32| start.with_day(d).unwrap().format("%Y-%m-%d").to_string();
    let project_pdf = demo.path().join("progetto.pdf");
    let payments_pdf = demo.path().join("liquidazione.pdf");
    let (first, second, next) = (ammessi[0].clone(), ammessi[1].clone(), idonei[0].clone());
    let (project_out, payments_out) = (text(&project_pdf), text(&payments_pdf));
    in_window(&floridia_args, move |w| async move {
        w.log_in_as(DEMO.0, DEMO.1).await?;
        w.go("civico").await?;
        let list = "[data-testid='lista-chiamate']";
        w.wait_text(list, "Da chiamare").await?;
        let row = |code: &str| format!("{list} tr[data-codice='{code}']");

        // Called by phone, then accepted.
        w.click(&format!("{} [data-testid='passo-called']", row(&first)))
            .await?;
        w.type_into("[data-testid='passo-nota']", "telefono")
            .await?;
        w.click("[data-testid='passo-conferma']").await?;
        w.wait_text(&row(&first), "Chiamato").await?;
        w.click(&format!("{} [data-testid='passo-accepted']", row(&first)))
            .await?;
        w.click("[data-testid='passo-conferma']").await?;
        w.wait_text(&row(&first), "Ha accettato").await?;

        // The project, then its paper.
        w.click(&format!("{} [data-testid='progetto']", row(&first)))
            .await?;
        w.type_into("[data-testid='p-site']", "Villa comunale")
            .await?;
        w.type_into("[data-testid='p-tutor']", "Geom. Carmelo Tutor")
            .await?;
        w.type_into(
            "[data-testid='p-start']",
            &start.format("%d/%m/%Y").to_string(),
        )
        .await?;
        w.type_into("[data-testid='p-end']", &end.format("%d/%m/%Y").to_string())
            .await?;
        w.type_into("[data-testid='p-weekly_hours']", "12").await?;
        w.type_into("[data-testid='p-schedule']", "lun-mer-ven 8-12")
            .await?;
        w.type_into("[data-testid='p-inail_position']", "INAIL 1234567")
            .await?;
        w.type_into("[data-testid='p-rc_policy']", "RC 98/2026")
            .await?;
        w.click("[data-testid='salva-progetto']").await?;
        w.wait_text("[data-testid='messaggio-progetto']", "In servizio")
            .await?;
        w.type_into("[data-testid='stampa-progetto-path']", &project_out)
            .await?;
        w.click("[data-testid='stampa-progetto-open']").await?;
        w.click("[data-testid='stampa-progetto-button']").await?;
        w.wait_text("[data-testid='stampa-progetto-saved']", "progetto.pdf")
            .await?;
        w.screenshot("civico-progetto").await?;

        // A month of attendance typed in the grid, from the keyboard: a day over the daily
        // limit is refused by the app and nothing is recorded; corrected, the month saves.
        w.go("civico").await?;
        w.click(&format!("{} [data-testid='presenze']", row(&first)))
            .await?;
        w.choose("[data-testid='mese']", &month).await?;
        w.click(&format!("[data-testid='ore-{}']", day(2))).await?;
        w.keys("4\u{e014}").await?; // ArrowRight
        w.wait_focus(&format!("[data-testid='ore-{}']", day(3)))
            .await?;
        w.keys("3,5\u{e014}").await?;
        w.keys("4,5").await?;
        w.click("[data-testid='salva-presenze']").await?;
        w.wait_text(
            "[data-testid='problemi-presenze']",
            "al massimo 4 ore al giorno",
        )
        .await?;
        w.type_into(&format!("[data-testid='ore-{}']", day(4)), "4")
            .await?;
        w.wait_text("[data-testid='totale-ore']", "11,5 ore")
            .await?;
        w.click("[data-testid='salva-presenze']").await?;
        w.wait_text("[data-testid='messaggio-presenze']", "3 giorni")
            .await?;
        w.screenshot("civico-presenze").await?;

        // The month's pay: 11.5 hours at 5.16 euros, to the cent; printed and frozen.
        w.click("[data-testid='scheda-civico-pagamenti']").await?;
        w.type_into("[data-testid='mese']", &month).await?;
        w.wait_text("[data-testid='elenco-pagamenti']", "59,34")
            .await?;
        w.type_into("[data-testid='stampa-pagamenti-path']", &payments_out)
            .await?;
        w.click("[data-testid='stampa-pagamenti-open']").await?;
        w.click("[data-testid='stampa-pagamenti-button']").await?;
        w.wait_text("[data-testid='elenco-stampato']", "Elenco n. 1")
            .await?;
        w.screenshot("civico-pagamenti").await?;

        // A rinuncia frees the place: the next idoneo of Floridia comes into the list.
        w.click("[data-testid='scheda-civico']").await?;
        w.wait_text(&row(&first), "In servizio").await?;
        w.click(&format!("{} [data-testid='passo-renounced']", row(&second)))
            .await?;
        w.click("[data-testid='passo-conferma']").await?;
        w.wait_text("[data-testid='messaggio-chiamate']", "Posto liberato")
            .await?;
        w.wait_text("[data-testid='messaggio-chiamate']", &next)
            .await?;
        w.wait_text(&row(&next), "Scorrimento").await?;
        w.wait_text(&row(&second), "Ha rinunciato").await?;
        w.screenshot("civico-chiamate").await?;

        // A complaint from the host office, handled and closed.
        w.click("[data-testid='scheda-civico-reclami']").await?;
        w.type_into("[data-testid='r-codice']", &first).await?;
        w.type_into(
            "[data-testid='r-testo']",
            "Due ritardi nella stessa settimana.",
        )
        .await?;
        w.click("[data-testid='registra-reclamo']").await?;
        w.wait_text("[data-testid='reclami']", "Due ritardi")
            .await?;
        w.click("[data-testid='chiudi-reclamo']").await?;
        w.type_into(
            "[data-testid='r-esito']",
            "Colloquio con il partecipante e il tutor",
        )
        .await?;
        w.click("[data-testid='conferma-chiusura']").await?;
        w.wait_text("[data-testid='reclami']", "Colloquio con il partecipante")
            .await?;
        w.screenshot("civico-reclami").await?;
        Ok(())
    });
    let project = pdf_text(&project_pdf);
    assert!(project.contains("Villa comunale"), "{project}");
    let payments = pdf_text(&payments_pdf);
    assert!(payments.contains("59,34"), "{payments}");
    let csv = text_of_file(&payments_pdf.with_extension("csv"));
    assert!(
        csv.contains(&format!("{};", ammessi[0])) && csv.contains(";11,5;59,34"),
        "{csv}"
    );

    // The capofila follows Floridia's calls from its upload.
    carry(&floridia, &capofila, None, &post);
    let second = ammessi[1].clone();
    in_window(&capofila_args, move |w| async move {
        w.log_in_as(DEMO.0, DEMO.1).await?;
        w.go("civico").await?;
        w.click("[data-testid='scheda-civico-comuni']").await?;
        let floridia_row = w
            .wait_text("[data-testid='chiamate-comuni']", "Floridia")
            .await?;
        let line = floridia_row
            .lines()
            .find(|l| l.contains("Floridia"))
            .unwrap_or_default()
            .to_string();
        // Places 6, called 0, started 1, to call 5 (four ammessi, one idoneo), freed 1.
        let figures: Vec<&str> = line.split_whitespace().skip(1).collect();
        check_eq(&figures.join(" "), "6 0 1 5 1", "Floridia's figures")?;
        w.click("[data-testid='dettaglio-089009'] summary").await?;
        w.wait_text("[data-testid='dettaglio-089009']", &second)
            .await?;
        w.screenshot("civico-comuni").await?;
        Ok(())
    });
    // On the smallest screen the call list and the grid fit, with their actions in view; the
    // service completes and the attestato is printed.
    let on = SCREENS[0];
    let screen = format!("{}x{}x24", on.size.0, on.size.1);
    let participant = ammessi[0].clone();
    let attestato = demo.path().join("attestato.pdf");
    let attestato_out = text(&attestato);
    in_window_on(&screen, &floridia_args, move |w| async move {
        w.log_in_as(DEMO.0, DEMO.1).await?;
        w.go("civico").await?;
        w.wait_text("[data-testid='lista-chiamate']", "Scorrimento")
            .await?;
        w.on_screen(
            on,
            "chiamate",
            "[data-testid='lista-chiamate'] td.actions > *",
            Some("civico-chiamate"),
        )
        .await?;
        open_hash(&w, &format!("#/civico/{participant}/presenze")).await?;
        w.wait_text("[data-testid='totale-ore']", "Totale").await?;
        w.on_screen(
            on,
            "presenze",
            "[data-testid='griglia-presenze'] input",
            None,
        )
        .await?;
        w.go("civico").await?;
        let row = format!("[data-testid='lista-chiamate'] tr[data-codice='{participant}']");
        w.click(&format!("{row} [data-testid='passo-completed']"))
            .await?;
        w.click("[data-testid='passo-conferma']").await?;
        w.wait_text(&row, "Concluso").await?;
        w.click(&format!("{row} [data-testid='attestato']")).await?;
        w.type_into("[data-testid='attestato-path']", &attestato_out)
            .await?;
        w.click("[data-testid='attestato-open']").await?;
        w.click("[data-testid='attestato-button']").await?;
        w.wait_text("[data-testid='attestato-saved']", "attestato.pdf")
            .await?;
        Ok(())
    });
    let paper = pdf_text(&attestato);
    assert!(
        paper.contains("Attestato di partecipazione") && paper.contains("11,5"),
        "{paper}"
    );
}
