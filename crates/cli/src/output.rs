//! What the command prints: JSON for scripts (`--json`: stdout carries only JSON), aligned
//! text for people. Warnings always go to stderr.

use serde::Serialize;
use sportello_app::{ApplicationView, BandoImported, Filed, InstallInfo};
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
