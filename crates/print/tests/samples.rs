//! Writes the sample documents and the pictures in `docs/documents/` (synthetic data only).
//!
//! `cargo test -p sportello-print --test samples -- --ignored` refreshes the pictures; set
//! `SPORTELLO_PRINT_SAMPLES=/some/dir` to keep the PDFs and every page as PNG there too.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use sportello_print::{
    accreditation_certificate, attestato, internal_ranking, payment_list, preavviso,
    project_document, public_ranking, public_register, receipt, recovery_sheet, service_sheet,
    start_letter,
};

fn render_page(pdf: &Path, page: usize, dpi: u32, out_prefix: &Path) {
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", &dpi.to_string(), "-singlefile"])
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg(out_prefix)
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(status.success());
}

#[test]
#[ignore = "writes docs/documents/*.png"]
fn write_documentation_pages() {
    let docs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/documents");
    std::fs::create_dir_all(&docs).unwrap();
    let keep = std::env::var_os("SPORTELLO_PRINT_SAMPLES").map(PathBuf::from);
    let scratch = tempfile::tempdir().unwrap();
    let dir = keep.clone().unwrap_or_else(|| scratch.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();

    let (doc, details, _) = ranking(500, provisional());
    let documents = [
        ("ricevuta", receipt(&receipt_fixture()).unwrap()),
        ("graduatoria-pubblica", public_ranking(&doc).unwrap()),
        (
            "graduatoria-riservata",
            internal_ranking(&doc, &details).unwrap(),
        ),
        (
            "preavviso-di-rigetto",
            preavviso(&preavviso_fixture()).unwrap(),
        ),
        (
            "foglio-di-recupero",
            recovery_sheet(&recovery_sheet_fixture()).unwrap(),
        ),
        (
            "progetto-individualizzato",
            project_document(&project_fixture()).unwrap(),
        ),
        (
            "lettera-di-avvio",
            start_letter(&project_fixture()).unwrap(),
        ),
        ("attestato", attestato(&attestato_fixture()).unwrap()),
        (
            "scheda-informativa",
            service_sheet(&service_sheet_fixture()).unwrap(),
        ),
        (
            "elenco-di-liquidazione",
            payment_list(&payment_list_fixture(1)).unwrap(),
        ),
        (
            "attestato-di-accreditamento",
            accreditation_certificate(&accreditation_fixture()).unwrap(),
        ),
        (
            "registro-enti-accreditati",
            public_register(&public_register_fixture(8)).unwrap(),
        ),
    ];
    for (name, pdf) in documents {
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, &pdf).unwrap();
        render_page(&path, 1, 80, &docs.join(name));
        if keep.is_some() {
            let status = Command::new("pdftoppm")
                .args(["-png", "-r", "60"])
                .arg(&path)
                .arg(dir.join(name))
                .status()
                .unwrap();
            assert!(status.success());
        }
    }
}
