//! The Home's to-do from the install's overview: applications not sent told apart from those
//! sent and waiting for the capofila's acknowledgement; the files of the last import, a
//! refused one named among the others.

use sportello_app::Sportello;
use sportello_tests::{Install, arg, distribute, enrol, fixture_applications};

fn overview(i: &Install) -> sportello_app::Overview {
    Sportello::open(&i.db, &sportello_tests::credentials())
        .unwrap()
        .overview()
        .unwrap()
}

#[test]
fn applications_not_sent_are_told_from_those_sent_and_waiting() {
    let capofila = Install::of("district-d48.toml", "089017", &["bando-sc-2026-1.toml"]);
    let floridia = Install::init("district-d48.toml", "089009");
    enrol(&capofila, &floridia);
    distribute(&capofila, &[&floridia]);
    let items = fixture_applications();
    floridia.add(&items[0..2]);
    let o = overview(&floridia);
    assert_eq!((o.unsent_applications, o.awaiting_applications), (2, 0));

    let upload = floridia.export().remove(0);
    let o = overview(&floridia);
    assert_eq!((o.unsent_applications, o.awaiting_applications), (0, 2));
    floridia.add(&items[2..3]);
    let o = overview(&floridia);
    assert_eq!((o.unsent_applications, o.awaiting_applications), (1, 2));

    // The capofila imports the upload with a damaged copy of it: the batch names the refusal.
    let damaged = capofila.write("danneggiato.sportello", "non un pacchetto");
    let (run, _) = capofila.import(&[upload.as_path(), damaged.as_path()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let batch = overview(&capofila).last_import_batch;
    let outcomes: Vec<(&str, &str)> = batch
        .iter()
        .map(|e| (e.file_name.as_str(), e.outcome.as_str()))
        .collect();
    let upload_name = upload.file_name().unwrap().to_str().unwrap();
    assert_eq!(
        outcomes,
        [
            (upload_name, "applied"),
            ("danneggiato.sportello", "refused")
        ]
    );

    // Its acknowledgement comes back: only the application filed since waits to be sent.
    for file in capofila.export() {
        if file.to_string_lossy().contains("-pub-089009-") {
            floridia.ok(&["bundle", "import", arg(&file)]);
        }
    }
    let o = overview(&floridia);
    assert_eq!((o.unsent_applications, o.awaiting_applications), (1, 0));
}
