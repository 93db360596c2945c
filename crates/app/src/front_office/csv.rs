//! The statistics as CSV, for the spreadsheets of the offices: one line per figure
//! (`sezione;voce;valore`), semicolons and decimal commas as Italian spreadsheets expect.

use sportello_domain::front_office::stats::FrontOfficeStats;

/// The statistics as CSV text.
pub fn stats_csv(s: &FrontOfficeStats) -> String {
    let mut out = String::from("sezione;voce;valore\r\n");
    let mut line = |section: &str, item: &str, value: String| {
        out.push_str(&format!("{section};{item};{value}\r\n"));
    };
    let number = |x: Option<f64>| {
        x.map(|x| x.to_string().replace('.', ","))
            .unwrap_or_default()
    };
    line("periodo", "dal", s.from.to_string());
    line("periodo", "al", s.to.to_string());
    line("periodo", "comune", s.comune.clone().unwrap_or_default());
    for (item, value) in [
        ("contatti", s.contacts),
        ("visite", s.visits),
        ("anonimi", s.anonymous_contacts),
        ("persone", s.persons),
        ("persone nuove", s.new_persons),
        ("persone già note", s.returning_persons),
        ("bisogni senza risposta", s.unmet_needs),
    ] {
        line("contatti", item, value.to_string());
    }
    line(
        "contatti",
        "ogni 1000 residenti",
        number(s.contacts_per_1000_residents),
    );
    for (section, map) in [
        ("canale", &s.by_channel),
        ("area", &s.by_area),
        ("risposta", &s.by_answer),
        ("inviato da", &s.by_sender),
        ("interlocutore", &s.by_interlocutor),
        ("comune", &s.by_comune),
        ("bisogni senza risposta per area", &s.unmet_needs_by_area),
        ("esito istruttorie", &s.by_outcome),
    ] {
        for (k, v) in map {
            line(section, k, v.to_string());
        }
    }
    for (item, value) in [
        ("aperte", s.cases_opened),
        ("chiuse", s.cases_closed),
        ("chiuse nei termini", s.closed_within_target),
        ("in corso", s.open),
        ("scadute", s.overdue),
    ] {
        line("istruttorie", item, value.to_string());
    }
    line(
        "istruttorie",
        "quota chiuse nei termini",
        number(s.closed_within_target_share),
    );
    line("istruttorie", "giorni medi", number(s.mean_days_to_close));
    line(
        "istruttorie",
        "giorni al 90° percentile",
        s.p90_days_to_close
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    for service in &s.top_services {
        line(
            "servizi più richiesti",
            &service.id,
            service.contacts.to_string(),
        );
    }
    let q = &s.satisfaction;
    line("soddisfazione", "questionari", q.responses.to_string());
    for (item, value) in [
        ("cortesia", q.courtesy),
        ("chiarezza", q.clarity),
        ("attesa", q.waiting),
        ("facilità di trovare l'ufficio", q.finding),
    ] {
        line("soddisfazione", item, number(value));
    }
    out
}
