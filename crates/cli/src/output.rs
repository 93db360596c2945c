//! What the command prints: JSON for scripts (`--json`: stdout carries only JSON), aligned
//! text for people. Warnings always go to stderr.

use serde::Serialize;
use sportello_app::{
    Accepted, ApplicationView, BandoImported, DuplicateGroup, Filed, ImportReport, Inspection,
    InstallInfo, PublishedRanking,
};
use sportello_domain::{Bando, RankedApplication};

fn json(value: &impl Serialize) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("views always serialise")
    );
}

pub fn install(info: &InstallInfo, as_json: bool) {
    if as_json {
        return json(info);
    }
    println!(
        "Installazione creata: comune {} {}{} del distretto {} ({})",
        info.comune,
        info.comune_name,
        if info.is_capofila { " (capofila)" } else { "" },
        info.district_id,
        info.district_name
    );
    println!("Database: {}", info.db_path);
}

pub fn bando_imported(b: &BandoImported, as_json: bool) {
    if as_json {
        return json(b);
    }
    let what = match b.outcome {
        "created" => "importato",
        "updated" => "aggiornato",
        _ => "già presente, invariato",
    };
    println!("Bando {} {what}: {}", b.id, b.title);
}

pub fn bandi(bandi: &[Bando], as_json: bool) {
    if as_json {
        let items: Vec<_> = bandi
            .iter()
            .map(|b| {
                serde_json::json!({
                    "id": b.id, "title": b.title, "opens": b.opens, "closes": b.closes,
                    "places": b.places,
                })
            })
            .collect();
        return json(&items);
    }
    for b in bandi {
        println!(
            "{}  {}  dal {} al {}",
            b.id,
            b.title,
            b.opens.format("%d/%m/%Y"),
            b.closes.format("%d/%m/%Y")
        );
    }
}

pub fn filed(filed: &[Filed], as_array: bool, as_json: bool) {
    for f in filed {
        for w in &f.warnings {
            eprintln!("avviso: {w}");
        }
    }
    if as_json {
        return match (as_array, filed) {
            (false, [one]) => json(one),
            _ => json(&filed),
        };
    }
    for f in filed {
        println!(
            "{}  {}  {} {}",
            f.case_number, f.application_code, f.surname, f.name
        );
    }
    println!("Domande registrate: {}", filed.len());
}

pub fn applications(list: &[ApplicationView], as_json: bool) {
    if as_json {
        return json(&list);
    }
    for a in list {
        let p = &a.declaration.applicant.person;
        println!(
            "{}  {}  {}  {}  {} {}  {}{}",
            a.case_number,
            a.application_code,
            a.comune_name,
            a.bando,
            p.surname,
            p.name,
            p.codice_fiscale,
            a.outcome
                .map(|o| format!("  {}", o.label_it()))
                .unwrap_or_default()
        );
    }
    println!("Domande: {}", list.len());
}

pub fn ranking(rows: &[RankedApplication], as_json: bool) {
    if as_json {
        return json(&rows);
    }
    println!(
        "{:>5}  {:<10} {:<7} {:>9}  Esito",
        "Pos.", "Codice", "Comune", "Punteggio"
    );
    for r in rows {
        let position = r
            .position
            .map(|p| p.to_string())
            .unwrap_or_else(|| "-".into());
        println!(
            "{:>5}  {:<10} {:<7} {:>9}  {}",
            position,
            r.application_code,
            r.comune,
            r.score,
            r.outcome.label_it()
        );
        for reason in &r.reasons {
            println!("{:>7}- {}", "", reason.message_it());
        }
    }
}

pub fn published(r: &PublishedRanking, as_json: bool) {
    if as_json {
        return json(&serde_json::json!({
            "bando": r.bando, "number": r.number, "stage": r.stage,
            "published_at": r.published_at, "rows": r.rows.len(),
        }));
    }
    println!(
        "Graduatoria {} del bando {} pubblicata: versione {}, {} domande",
        r.stage.label_it(),
        r.bando,
        r.number,
        r.rows.len()
    );
}

pub fn fingerprint(fp: &str, as_json: bool) {
    if as_json {
        return json(&serde_json::json!({ "fingerprint": fp }));
    }
    println!("{fp}");
}

pub fn accepted(a: &Accepted, as_json: bool) {
    if as_json {
        return json(a);
    }
    println!(
        "Chiavi del comune {} {} {} (impronta {})",
        a.comune,
        a.comune_name,
        if a.added {
            "registrate"
        } else {
            "già registrate"
        },
        a.fingerprint
    );
    for b in &a.bandi {
        println!("Bando ricevuto: {b}");
    }
}

pub fn imports(reports: &[ImportReport], as_json: bool) {
    if as_json {
        return json(&reports);
    }
    for r in reports {
        match (&r.error, &r.summary) {
            (Some(e), _) => eprintln!("{}: RIFIUTATO ({}): {}", r.file, e.code, e.message),
            (None, Some(s)) if s.already_imported => {
                println!("{}: già importato, nessuna modifica", r.file)
            }
            (None, Some(s)) => {
                let t = s.total();
                println!(
                    "{}: importato: {} nuovi, {} aggiornati, {} già presenti",
                    r.file, t.new, t.updated, t.unchanged
                )
            }
            (None, None) => println!("{}: {}", r.file, r.outcome),
        }
    }
}

pub fn inspection(i: &Inspection, as_json: bool) {
    if as_json {
        return json(i);
    }
    let h = &i.header;
    println!("File: {}", i.file);
    println!(
        "Tipo: {}  Distretto: {}  Mittente: {}  Numero: {}",
        h["kind"].as_str().unwrap_or("?"),
        h["district"].as_str().unwrap_or("?"),
        h["sender"].as_str().unwrap_or("?"),
        h["seq"]
    );
    println!("Creato: {}", h["created_at"].as_str().unwrap_or("?"));
    println!(
        "Firma: {}{}",
        match i.signature {
            "valid" => "valida",
            "unknown_key" => "chiave sconosciuta",
            "revoked_key" => "chiave revocata",
            _ => "NON VALIDA",
        },
        if i.addressed_to_us {
            ""
        } else {
            " (non destinato a questa installazione)"
        }
    );
}

pub fn duplicates(groups: &[DuplicateGroup], as_json: bool) {
    if as_json {
        return json(&groups);
    }
    for g in groups {
        println!(
            "Codici fiscali in comune: {}{}",
            g.shared_codici_fiscali.join(", "),
            if g.across_comuni {
                " (comuni diversi)"
            } else {
                ""
            }
        );
        for a in &g.applications {
            println!(
                "  {}  {}  {}  {}  {}",
                a.application_code, a.case_number, a.comune_name, a.applicant, a.filed_at
            );
        }
    }
    println!("Gruppi: {}", groups.len());
}
