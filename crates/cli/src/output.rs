//! What the command prints: JSON for scripts (`--json`: stdout carries only JSON), aligned
//! text for people. Warnings always go to stderr.
//!
//! Text printed from data (names, notes, messages naming them) could hold control characters
//! or bidirectional overrides that make the terminal show something other than what is stored
//! (an escape sequence that rewrites the line, a name written backwards): every text line goes
//! through [`visible`]. JSON escapes control characters itself and is for programs.

use std::borrow::Cow;
use std::path::Path;

use serde::Serialize;
use sportello_app::{
    Accepted, AppError, ApplicationDetail, ApplicationView, BackupChecked, BackupMade,
    BandoImported, CaseKinds, CaseKindsSaved, Corrected, DuplicateGroup, Filed, ImportReport,
    Inspection, InstallInfo, ObjectionView, Operator, OutcomeView, PublishChanges,
    PublishedRanking, RecoveryKey, Restored, WithdrawalChanged,
};
use sportello_app::{
    AttendanceImported, CallRecorded, CallView, ComuneCalls, Payment, PaymentsPrinted, ProjectSaved,
};
use sportello_app::{ServiceScope, ServicesImported, StaleService, StoredService};
use sportello_domain::intake::hidden_char;
use sportello_domain::{Bando, RankedApplication};

/// A line on stdout, hidden characters shown as escapes.
macro_rules! show {
    ($($arg:tt)*) => {
        say!("{}", visible(&format!($($arg)*)))
    };
}

/// A line on stderr, hidden characters shown as escapes.
macro_rules! tell {
    ($($arg:tt)*) => {
        eprintln!("{}", visible(&format!($($arg)*)))
    };
}

/// `text` with each control character and bidirectional control written as an escape
/// (`\n`, `\t`, `\r`, `\u{202e}`), so the terminal shows it and obeys none.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| hidden_char(c).is_some()) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match (c, hidden_char(c)) {
            (_, None) => shown.push(c),
            ('\n', _) => shown.push_str("\\n"),
            ('\r', _) => shown.push_str("\\r"),
            ('\t', _) => shown.push_str("\\t"),
            _ => shown.extend(c.escape_unicode()),
        }
    }
    Cow::Owned(shown)
}

/// A refusal on stderr: the message, then each problem on its own line.
pub fn error(e: &AppError) {
    tell!("errore: {}", e.message);
    for p in &e.problems {
        tell!("  - {p}");
    }
}

fn json(value: &impl Serialize) {
    say!(
        "{}",
        serde_json::to_string_pretty(value).expect("views always serialise")
    );
}

pub fn install(
    info: &InstallInfo,
    first: &Operator,
    fingerprint: &str,
    recovery: &RecoveryKey,
    sheet: Option<&Path>,
    as_json: bool,
) {
    let key = recovery.display();
    if as_json {
        let mut value = serde_json::to_value(info).expect("install info serialises");
        value["operator"] = first.username.clone().into();
        value["role"] = first.role.as_str().into();
        value["fingerprint"] = fingerprint.into();
        value["recovery_key"] = key.as_str().into();
        if let Some(sheet) = sheet {
            value["recovery_sheet"] = sheet.display().to_string().into();
        }
        return json(&value);
    }
    show!("Installazione creata: {}", where_is(info));
    show!("Database: {}", info.db_path);
    show!(
        "Primo operatore: {} ({}). Impronta della chiave: {fingerprint}",
        first.username,
        first.role.as_str()
    );
    show!("");
    show!("CHIAVE DI RECUPERO (mostrata solo ora):");
    show!("");
    show!("    {}", key.as_str());
    show!("");
    show!(
        "I dati sono cifrati: senza la password di un operatore e senza questa chiave nessuno \
         può leggerli, nemmeno l'assistenza. Scriverla o stamparla e conservarla in un luogo \
         chiuso, lontano dal computer e dai backup."
    );
    match sheet {
        Some(sheet) => show!(
            "Foglio di recupero da stampare: {} (cancellare il file dopo la stampa)",
            sheet.display()
        ),
        None => show!(
            "Per il foglio da stampare: sportello print recovery-sheet --out FILE.pdf (con la \
             chiave in SPORTELLO_RECOVERY_KEY)"
        ),
    }
}

pub fn backup_made(made: &BackupMade, as_json: bool) {
    if as_json {
        return json(made);
    }
    show!("{}", made.path);
}

pub fn backup_checked(checked: &BackupChecked, as_json: bool) {
    if as_json {
        return json(checked);
    }
    show!(
        "Backup integro: comune {} {}, fatto il {} da {}; {} domande, registro delle attività \
         di {} voci",
        checked.comune,
        checked.comune_name,
        checked.created_at,
        checked.created_by,
        checked.applications,
        checked.audit_entries
    );
}

pub fn restored(restored: &Restored, as_json: bool) {
    if as_json {
        return json(restored);
    }
    show!(
        "Installazione ripristinata in {}: comune {} {}, backup del {} ({} domande). Gli \
         operatori entrano con le loro password di allora; la prossima sincronizzazione con il \
         capofila recupera quanto fatto dopo il backup.",
        restored.db,
        restored.backup.comune,
        restored.backup.comune_name,
        restored.backup.created_at,
        restored.backup.applications
    );
}

/// `comune 089009 Floridia del distretto D48 (…)`.
fn where_is(info: &InstallInfo) -> String {
    format!(
        "comune {} {}{} del distretto {} ({})",
        info.comune,
        info.comune_name,
        if info.is_capofila { " (capofila)" } else { "" },
        info.district_id,
        info.district_name
    )
}

pub fn outcomes(list: &[OutcomeView], as_json: bool) {
    if as_json {
        return json(&list);
    }
    for a in list {
        show!(
            "{}  {}  {}  {}  {}",
            a.case_number,
            a.application_code,
            a.comune_name,
            a.bando,
            match (a.position, a.outcome) {
                (Some(p), Some(o)) => format!("{p}. {}", o.label_it()),
                (None, Some(o)) => o.label_it().to_string(),
                _ => "esito non ancora pubblicato".into(),
            }
        );
    }
}

pub fn operator_added(operator: &Operator, as_json: bool) {
    if as_json {
        return json(operator);
    }
    show!(
        "Operatore {} aggiunto con il ruolo {}.",
        operator.username,
        operator.role.as_str()
    );
}

pub fn operators(list: &[Operator], as_json: bool) {
    if as_json {
        return json(&list);
    }
    for o in list {
        show!(
            "{}  {}  {}{}",
            o.username,
            o.role.as_str(),
            o.name.as_deref().unwrap_or("-"),
            if o.disabled { "  (disattivato)" } else { "" }
        );
    }
}

pub fn settings(info: &InstallInfo, case_kinds: &CaseKinds, as_json: bool) {
    if as_json {
        return json(&serde_json::json!({ "install": info, "case_kinds": case_kinds }));
    }
    show!("Installazione del {}", where_is(info));
    show!("Database: {}", info.db_path);
    show!(
        "Tipi di istruttoria{}:",
        if case_kinds.default {
            " (nessuno stabilito dal distretto: vale quello generico)"
        } else {
            ""
        }
    );
    for k in &case_kinds.kinds {
        show!(
            "  {}  {}  {} giorni {}{}",
            k.kind.id,
            k.kind.name,
            k.kind.target_days,
            if k.kind.working_days {
                "lavorativi"
            } else {
                "di calendario"
            },
            if k.active { "" } else { "  (non più in uso)" }
        );
    }
}

pub fn case_kinds_saved(saved: &CaseKindsSaved, as_json: bool) {
    if as_json {
        return json(saved);
    }
    entries_saved("Tipi di istruttoria", saved);
    if saved.changed() {
        show!("I comuni li ricevono con i prossimi pacchetti (`sportello bundle export`).");
    }
}

/// The codes of district data set from a file, by what happened to them.
fn entries_saved(entries: &str, saved: &CaseKindsSaved) {
    for (what, codes) in [
        ("nuovi", &saved.created),
        ("modificati", &saved.updated),
        ("non più in uso", &saved.retired),
        ("invariati", &saved.unchanged),
    ] {
        if !codes.is_empty() {
            show!("{entries} {what}: {}", codes.join(", "));
        }
    }
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
    show!("Bando {} {what}: {}", b.id, b.title);
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
        show!(
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
            tell!("avviso: {w}");
        }
    }
    if as_json {
        return match (as_array, filed) {
            (false, [one]) => json(one),
            _ => json(&filed),
        };
    }
    for f in filed {
        show!(
            "{}  {}  {} {}",
            f.case_number,
            f.application_code,
            f.surname,
            f.name
        );
    }
    show!("Domande registrate: {}", filed.len());
}

pub fn applications(list: &[ApplicationView], as_json: bool) {
    if as_json {
        return json(&list);
    }
    for a in list {
        let p = &a.declaration.applicant.person;
        show!(
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
    show!("Domande: {}", list.len());
}

pub fn application_detail(d: &ApplicationDetail, as_json: bool) {
    if as_json {
        return json(d);
    }
    let a = &d.application;
    let p = &a.declaration.applicant.person;
    show!(
        "Domanda {}  pratica {}  {}  bando {}",
        a.application_code,
        a.case_number,
        a.comune_name,
        a.bando
    );
    show!(
        "Richiedente: {} {}  {}",
        p.surname,
        p.name,
        p.codice_fiscale
    );
    if let Some(line) = &d.published {
        let row = &line.row;
        let position = row
            .position
            .map_or_else(String::new, |p| format!(", posizione {p}"));
        show!(
            "Esito nella graduatoria {} n. {}: {}{position}, punteggio {}",
            line.stage.label_it(),
            line.number,
            row.outcome.label_it(),
            row.score
        );
        for reason in &row.reasons {
            show!("  motivo: {reason}");
        }
    }
    if let Some(w) = &d.withdrawal {
        show!(
            "Rinuncia del {} registrata da {}{}",
            w.withdrawn_on.format("%d/%m/%Y"),
            w.operator,
            w.note
                .as_deref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default()
        );
        if let Some(reason) = &w.annulled_reason {
            show!("  annullata: {reason}");
        }
    }
    for r in &d.revisions {
        let what = r.reason.as_deref().map_or_else(
            || "presentata".to_string(),
            |why| format!("corretta: {why}"),
        );
        show!(
            "Revisione {}  {}  {}  {what}",
            r.revision,
            r.recorded_at,
            r.operator
        );
        for c in &r.changes {
            show!("  {}: {} → {}", c.field, shown(&c.before), shown(&c.after));
        }
    }
}

/// A changed value as text: strings without quotes, an absent value as a dash.
fn shown(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn corrected(c: &Corrected, as_json: bool) {
    for w in &c.warnings {
        tell!("avviso: {w}");
    }
    if as_json {
        return json(c);
    }
    show!(
        "Domanda {} (pratica {}) corretta: revisione {}",
        c.application_code,
        c.case_number,
        c.revision
    );
}

pub fn calls(list: &[CallView], as_json: bool) {
    if as_json {
        return json(&list);
    }
    if list.is_empty() {
        show!("Nessuna domanda da chiamare: il comune non ha ammessi in graduatoria");
    }
    for c in list {
        show!(
            "{:>5}  {}  {:<14} {:<11} {} giorni dalla domanda{}",
            c.position
                .map_or_else(|| "—".to_string(), |p| p.to_string()),
            c.application_code,
            c.state.label_it(),
            match c.called_by {
                sportello_domain::civico::CalledBy::Graduatoria => "graduatoria",
                sportello_domain::civico::CalledBy::Scorrimento => "scorrimento",
            },
            c.days_since_filing,
            if c.answer_overdue {
                " · termine per rispondere scaduto"
            } else {
                ""
            }
        );
    }
}

pub fn calls_overview(list: &[ComuneCalls], as_json: bool) {
    if as_json {
        return json(&list);
    }
    show!(
        "{:<20} {:>5} {:>9} {:>11} {:>9} {:>8}",
        "Comune",
        "Posti",
        "Chiamati",
        "In servizio",
        "In attesa",
        "Liberati"
    );
    for c in list {
        show!(
            "{:<20} {:>5} {:>9} {:>11} {:>9} {:>8}",
            c.comune_name,
            c.places,
            c.called,
            c.started,
            c.waiting,
            c.freed
        );
    }
}

pub fn project_saved(p: &ProjectSaved, as_json: bool) {
    for w in &p.warnings {
        tell!("avviso: {w}");
    }
    if as_json {
        return json(p);
    }
    show!(
        "Progetto della domanda {} registrato: {}",
        p.application_code,
        p.state.label_it()
    );
}

pub fn attendance_imported(a: &AttendanceImported, as_json: bool) {
    if as_json {
        return json(a);
    }
    show!(
        "Presenze importate: {} giorni di {} partecipanti",
        a.rows,
        a.participants
    );
}

pub fn complaints(list: &[sportello_app::Complaint], as_json: bool) {
    if as_json {
        return json(&list);
    }
    if list.is_empty() {
        show!("Nessun reclamo");
    }
    for c in list {
        let from = if c.source == "host" {
            "sede ospitante"
        } else {
            "partecipante"
        };
        let state = c
            .outcome
            .as_deref()
            .map_or_else(|| "aperto".to_string(), |o| format!("chiuso: {o}"));
        show!(
            "{}  {}  {}  da {from}: {}  [{state}]",
            c.id,
            c.received_on,
            c.application_code,
            c.text
        );
    }
}

pub fn payments(list: &[Payment], as_json: bool) {
    if as_json {
        return json(&list);
    }
    if list.is_empty() {
        show!("Nessuna presenza registrata nel mese");
    }
    for p in list {
        show!(
            "{}  {:>6} ore  € {:>9}",
            p.application_code,
            p.hours,
            p.amount
        );
    }
}

pub fn form_saved(f: &sportello_app::FormSaved, as_json: bool) {
    if as_json {
        return json(f);
    }
    say!("{}", f.id);
    show!("Scheda registrata (revisione {})", f.revision);
}

pub fn forms(list: &[sportello_app::StoredForm], as_json: bool) {
    if as_json {
        return json(&list);
    }
    if list.is_empty() {
        show!("Nessuna scheda di monitoraggio");
    }
    for f in list {
        let state = f
            .closed_at
            .as_deref()
            .map_or_else(|| "aperta".to_string(), |at| format!("chiusa il {at}"));
        show!(
            "{}  {}  azione {}  comune {}  revisione {}  [{state}]",
            f.id,
            f.period,
            f.action,
            f.comune,
            f.revision
        );
    }
}

pub fn monitoring_exported(out: &std::path::Path, rows: usize) {
    say!("{}", out.display());
    tell!("Indicatori esportati: {rows} righe");
}

pub fn indicators(list: &[sportello_app::IndicatorValue], as_json: bool) {
    if as_json {
        return json(&list);
    }
    let dash = || "—".to_string();
    for i in list {
        let flag = if i.misses_target == Some(true) {
            "  (fuori obiettivo)"
        } else {
            ""
        };
        show!(
            "{:<48} {:>10} {:<8} prima: {:>10}{flag}",
            i.name,
            i.value.clone().unwrap_or_else(dash),
            i.unit,
            i.previous.clone().unwrap_or_else(dash)
        );
    }
}

pub fn siuss_exported(e: &sportello_app::SiussExported, as_json: bool) {
    if as_json {
        return json(e);
    }
    say!("{}", e.path);
    show!(
        "Flusso {}: {} prestazioni inserite, {} annullate",
        e.flow,
        e.inserted,
        e.cancelled
    );
}

pub fn payments_printed(p: &PaymentsPrinted, as_json: bool) {
    if as_json {
        return json(p);
    }
    say!("{}", p.pdf);
    say!("{}", p.csv);
}

pub fn call_recorded(c: &CallRecorded, as_json: bool) {
    if as_json {
        return json(c);
    }
    show!("Domanda {}: {}", c.application_code, c.state.label_it());
    for code in &c.now_to_call {
        show!("Posto liberato: ora si chiama la domanda {code} (scorrimento)");
    }
}

pub fn withdrawal(c: &WithdrawalChanged, as_json: bool) {
    if as_json {
        return json(c);
    }
    let w = &c.withdrawal;
    match &w.annulled_reason {
        None => show!(
            "Rinuncia alla domanda {} (pratica {}) registrata, con data {}: la domanda esce \
             dalla prossima graduatoria",
            c.application_code,
            c.case_number,
            w.withdrawn_on.format("%d/%m/%Y")
        ),
        Some(_) => show!(
            "Rinuncia alla domanda {} (pratica {}) annullata: la domanda torna nella prossima \
             graduatoria",
            c.application_code,
            c.case_number
        ),
    }
}

/// An objection just recorded or decided: its id first, for the next command.
pub fn objection(o: &ObjectionView, as_json: bool) {
    if as_json {
        return json(o);
    }
    show!("{}", o.objection.id);
    tell!("{}", objection_line(o));
}

pub fn objections(list: &[ObjectionView], as_json: bool) {
    if as_json {
        return json(&list);
    }
    if list.is_empty() {
        show!("Nessuna opposizione");
    }
    for o in list {
        show!("{}  {}", o.objection.id, objection_line(o));
    }
}

fn objection_line(view: &ObjectionView) -> String {
    let o = &view.objection;
    let state = match (&o.decision, view.state) {
        (None, _) => "da decidere".to_string(),
        (Some(d), "applied") => format!(
            "{} ({}), applicata con la revisione {}",
            d.outcome,
            d.reason,
            o.applied_revision.unwrap_or_default()
        ),
        (Some(d), "accepted") => format!("{} ({}), da applicare dal comune", d.outcome, d.reason),
        (Some(d), _) => format!("{} ({})", d.outcome, d.reason),
    };
    format!(
        "domanda {} · {} · ricevuta il {}{} · {state}",
        o.application_code,
        o.about,
        o.received_on.format("%d/%m/%Y"),
        if o.late_reason.is_some() {
            " (fuori termine, ammessa)"
        } else {
            ""
        }
    )
}

pub fn ranking(rows: &[RankedApplication], as_json: bool) {
    if as_json {
        return json(&rows);
    }
    show!(
        "{:>5}  {:<10} {:<7} {:>9}  Esito",
        "Pos.",
        "Codice",
        "Comune",
        "Punteggio"
    );
    for r in rows {
        let position = r
            .position
            .map(|p| p.to_string())
            .unwrap_or_else(|| "-".into());
        show!(
            "{:>5}  {:<10} {:<7} {:>9}  {}",
            position,
            r.application_code,
            r.comune,
            r.score,
            r.outcome.label_it()
        );
        for reason in &r.reasons {
            show!("{:>7}- {}", "", reason.message_it());
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
    show!(
        "Graduatoria {} del bando {} pubblicata: versione {}, {} domande",
        r.stage.label_it(),
        r.bando,
        r.number,
        r.rows.len()
    );
}

/// A published version with its rows, as frozen.
pub fn published_version(r: &PublishedRanking, as_json: bool) {
    if as_json {
        return json(r);
    }
    show!(
        "Graduatoria {} del bando {}, versione {} pubblicata il {}",
        r.stage.label_it(),
        r.bando,
        r.number,
        r.published_at
    );
    show!(
        "{:>5}  {:<12} {:<7} {:>9}  Esito",
        "Pos.",
        "Codice",
        "Comune",
        "Punteggio"
    );
    for row in &r.rows {
        show!(
            "{:>5}  {:<12} {:<7} {:>9}  {}",
            row.position.map_or_else(|| "-".into(), |p| p.to_string()),
            row.application_code,
            row.comune,
            row.score,
            row.outcome.label_it()
        );
        for reason in &row.reasons {
            show!("{:>7}- {reason}", "");
        }
    }
}

pub fn fingerprint(fp: &str, as_json: bool) {
    if as_json {
        return json(&serde_json::json!({ "fingerprint": fp }));
    }
    show!("{fp}");
}

pub fn accepted(a: &Accepted, as_json: bool) {
    if let Some(old) = &a.replaced {
        tell!(
            "attenzione: la nuova chiave sostituisce quella precedente del comune {} (impronta \
             {}), revocata dal pacchetto n. {}: i pacchetti firmati con essa da quel numero in \
             poi saranno rifiutati. Il prossimo pacchetto per il comune gli restituisce le sue \
             domande.",
            a.comune,
            old.fingerprint,
            old.revoked_from_seq
        );
    }
    if as_json {
        return json(a);
    }
    show!(
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
        show!("Bando ricevuto: {b}");
    }
}

pub fn imports(reports: &[ImportReport], as_json: bool) {
    if as_json {
        return json(&reports);
    }
    for r in reports {
        match (&r.error, &r.summary) {
            (Some(e), _) => tell!("{}: RIFIUTATO ({}): {}", r.file, e.code, e.message),
            (None, Some(s)) if s.already_imported => {
                show!("{}: già importato, nessuna modifica", r.file)
            }
            (None, Some(s)) => {
                let t = s.total();
                show!(
                    "{}: importato: {} nuovi, {} aggiornati, {} già presenti",
                    r.file,
                    t.new,
                    t.updated,
                    t.unchanged
                )
            }
            (None, None) => show!("{}: {}", r.file, r.outcome),
        }
    }
}

pub fn inspection(i: &Inspection, as_json: bool) {
    if as_json {
        return json(i);
    }
    let h = &i.header;
    show!("File: {}", i.file);
    show!(
        "Tipo: {}  Distretto: {}  Mittente: {}  Numero: {}",
        h["kind"].as_str().unwrap_or("?"),
        h["district"].as_str().unwrap_or("?"),
        h["sender"].as_str().unwrap_or("?"),
        h["seq"]
    );
    show!("Creato: {}", h["created_at"].as_str().unwrap_or("?"));
    show!(
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
        show!(
            "Codici fiscali in comune: {}{}",
            g.shared_codici_fiscali.join(", "),
            if g.across_comuni {
                " (comuni diversi)"
            } else {
                ""
            }
        );
        for a in &g.applications {
            show!(
                "  {}  {}  {}  {}  {}",
                a.application_code,
                a.case_number,
                a.comune_name,
                a.applicant,
                a.filed_at
            );
        }
    }
    show!("Gruppi: {}", groups.len());
}

/// `audit list`: one line per entry, its number, Italian time, operator, action and record.
pub fn audit_entries(entries: &[sportello_app::AuditEntryView], as_json: bool) {
    if as_json {
        return json(&entries);
    }
    for e in entries {
        show!(
            "{:>6}  {}  {}  {}  {}{}",
            e.seq,
            e.italian_time,
            e.operator,
            e.action,
            e.entity,
            e.entity_id
                .as_deref()
                .map(|id| format!("/{id}"))
                .unwrap_or_default()
        );
    }
    show!("Voci: {}", entries.len());
}

/// `audit verify`, when the chain is intact.
pub fn chain_intact(c: &sportello_app::ChainIntact, as_json: bool) {
    if as_json {
        return json(c);
    }
    let noun = if c.entries == 1 { "voce" } else { "voci" };
    show!("catena integra: {} {noun}", c.entries);
}

pub fn publish_changes(c: &PublishChanges, as_json: bool) {
    if as_json {
        return json(c);
    }
    match (c.against_number, c.against_stage) {
        (Some(n), Some(stage)) => show!(
            "Bando {}: rispetto alla graduatoria {} n. {n}, la nuova avrebbe {} righe.",
            c.bando,
            stage.label_it(),
            c.rows
        ),
        _ => show!("Bando {}: prima pubblicazione, {} righe.", c.bando, c.rows),
    }
    let list = |label: &str, codes: &[String]| {
        if !codes.is_empty() {
            show!("{label} ({}): {}", codes.len(), codes.join(", "));
        }
    };
    list("Domande nuove", &c.added);
    list("Domande non più in graduatoria", &c.removed);
    for (label, rows) in [
        ("Esito cambiato", &c.outcome_changed),
        ("Posizione cambiata", &c.moved),
    ] {
        if !rows.is_empty() {
            show!("{label} ({}):", rows.len());
        }
        for r in rows {
            let place = |p: Option<u32>| p.map_or("—".to_string(), |p| p.to_string());
            show!(
                "  {}  {} → {}  {} → {}",
                r.application_code,
                place(r.from_position),
                place(r.to_position),
                r.from_outcome.label_it(),
                r.to_outcome.label_it()
            );
        }
    }
    list("Corrette dopo l'ultima pubblicazione", &c.corrected);
    list("Presentate dopo la chiusura del bando", &c.late);
}

pub fn services_imported(saved: &ServicesImported, as_json: bool) {
    if as_json {
        return json(saved);
    }
    let whose = match saved.scope {
        ServiceScope::District => "Servizi del distretto",
        ServiceScope::Local => "Servizi del comune",
    };
    entries_saved(whose, &saved.saved);
    if saved.saved.changed() {
        show!("Viaggiano con i prossimi pacchetti (`sportello bundle export`).");
    }
}

fn service_line(s: &StoredService) -> String {
    let whose = match s.scope {
        ServiceScope::District => "distretto".to_string(),
        ServiceScope::Local => format!("comune {}", s.owner),
    };
    format!(
        "{:<24} {} · area {} · {}{}{}",
        s.service.id,
        s.service.name,
        s.service.area,
        whose,
        s.service
            .provider
            .as_deref()
            .map(|p| format!(" · {p}"))
            .unwrap_or_default(),
        if s.active { "" } else { " · non più in uso" }
    )
}

pub fn services(list: &[StoredService], as_json: bool) {
    if as_json {
        return json(&list);
    }
    for s in list {
        show!("{}", service_line(s));
    }
    show!("Servizi: {}", list.len());
}

pub fn service(s: &StoredService, as_json: bool) {
    if as_json {
        return json(s);
    }
    show!("{}", service_line(s));
    let comuni = if s.service.comuni.is_empty() {
        "tutti".to_string()
    } else {
        s.service.comuni.join(" ")
    };
    show!("  comuni: {comuni}");
    for (label, value) in [
        ("destinatari", &s.service.recipients),
        ("accesso", &s.service.access),
        ("documenti", &s.service.documents),
        ("costo", &s.service.cost),
        ("dove", &s.service.place),
        ("orari", &s.service.hours),
        ("contatti", &s.service.contacts),
    ] {
        if let Some(v) = value {
            show!("  {label}: {v}");
        }
    }
    show!("  rivisto il {}", s.reviewed_on.format("%d/%m/%Y"));
}

pub fn stale_services(list: &[StaleService], as_json: bool) {
    if as_json {
        return json(&list);
    }
    for s in list {
        let reasons: Vec<&str> = s.reasons.iter().map(|r| r.label_it()).collect();
        show!(
            "{} ({}; rivisto il {})",
            service_line(&s.entry),
            reasons.join(", "),
            s.entry.reviewed_on.format("%d/%m/%Y")
        );
    }
    show!("Servizi da rivedere: {}", list.len());
}

// ---- Segretariato sociale ----

fn day(d: impl std::fmt::Display) -> String {
    // `aaaa-mm-gg` as the operator reads it: `gg/mm/aaaa`.
    let iso = d.to_string();
    match iso.split('-').collect::<Vec<_>>()[..] {
        [y, m, dd] => format!("{dd}/{m}/{y}"),
        _ => iso,
    }
}

pub fn contacts_added(added: &[sportello_app::ContactAdded], as_array: bool, as_json: bool) {
    if as_json {
        return match (as_array, added) {
            (false, [one]) => json(one),
            _ => json(&added),
        };
    }
    for a in added {
        match (&a.kind, a.due_on) {
            (Some(kind), Some(due)) => show!(
                "Contatto n. {} registrato: istruttoria {kind} n. {}, scadenza {}.",
                a.id,
                a.id,
                day(due)
            ),
            _ => show!("Contatto n. {} registrato.", a.id),
        }
    }
}

fn who(c: &sportello_app::StoredContact) -> String {
    match (&c.surname, &c.name) {
        (Some(s), Some(n)) => format!("{s} {n}"),
        _ => format!(
            "anonimo {} {}",
            c.sex.map(|s| format!("{s:?}")).unwrap_or_default(),
            c.age_band.clone().unwrap_or_default()
        )
        .trim_end()
        .to_string(),
    }
}

pub fn contacts(list: &[sportello_app::ContactView], as_json: bool) {
    if as_json {
        return json(&list);
    }
    if list.is_empty() {
        return say!("Nessun contatto.");
    }
    for v in list {
        let c = &v.contact;
        let case = match &c.case {
            Some(k) if k.closed_on.is_some() => {
                format!(
                    " · istruttoria chiusa ({})",
                    k.outcome.clone().unwrap_or_default()
                )
            }
            Some(k) => format!(
                " · istruttoria {} scade il {}{}",
                k.kind,
                day(k.due_on),
                if v.overdue { " SCADUTA" } else { "" }
            ),
            None => String::new(),
        };
        show!(
            "{:>5}  {}  {:<9}  {:<30}  {}{case}",
            c.id,
            day(c.day),
            c.channel.as_str(),
            who(c),
            c.answer.as_str()
        );
    }
}

pub fn history(h: &sportello_app::PersonHistory, as_json: bool) {
    if as_json {
        return json(&h);
    }
    show!("Codice fiscale {}", h.codice_fiscale);
    show!("Contatti: {}", h.contacts.len());
    contacts(&h.contacts, false);
    show!("Istruttorie in corso: {}", h.open_cases.len());
    show!("Domande ai bandi: {}", h.applications.len());
    for a in &h.applications {
        show!(
            "  {} {} (bando {}, comune {})",
            a.case_number,
            a.application_code,
            a.bando,
            a.comune
        );
    }
}

pub fn cases(list: &[sportello_app::CaseView], as_json: bool) {
    if as_json {
        return json(&list);
    }
    if list.is_empty() {
        return say!("Nessuna istruttoria in corso.");
    }
    for c in list {
        case_line(c);
    }
}

fn case_line(c: &sportello_app::CaseView) {
    let k = &c.case;
    let state = match (k.closed_on, &k.outcome) {
        (Some(on), outcome) => format!(
            "chiusa il {} ({}){}",
            day(on),
            outcome.clone().unwrap_or_default(),
            if c.within_target == Some(true) {
                ", nei termini"
            } else {
                ", fuori termine"
            }
        ),
        (None, _) if c.overdue => format!("SCADUTA il {}", day(k.due_on)),
        (None, _) => format!("scade il {}", day(k.due_on)),
    };
    show!(
        "{:>5}  {:<16}  aperta il {}  {state}  {}",
        k.id,
        k.kind,
        day(k.opened_on),
        k.assigned_to.clone().unwrap_or_default()
    );
}

pub fn case(c: &sportello_app::CaseView, as_json: bool) {
    if as_json {
        return json(&c);
    }
    case_line(c);
    for d in &c.case.diary {
        show!("       {}  {}  {}: {}", d.at, d.operator, d.kind, d.text);
    }
}

pub fn satisfaction_added(n: usize, as_json: bool) {
    if as_json {
        return json(&serde_json::json!({ "recorded": n }));
    }
    say!("Questionari registrati: {n}.");
}

pub fn front_office_stats(s: &sportello_domain::front_office::FrontOfficeStats, as_json: bool) {
    if as_json {
        return json(&s);
    }
    let opt = |x: Option<f64>| x.map_or_else(|| "-".into(), |x| x.to_string().replace('.', ","));
    show!(
        "Segretariato sociale dal {} al {}{}",
        day(s.from),
        day(s.to),
        s.comune
            .as_ref()
            .map(|c| format!(", comune {c}"))
            .unwrap_or_default()
    );
    show!(
        "Contatti: {} (visite {}, anonimi {}; ogni 1000 residenti: {})",
        s.contacts,
        s.visits,
        s.anonymous_contacts,
        opt(s.contacts_per_1000_residents)
    );
    show!(
        "Persone: {} (nuove {}, già note {})",
        s.persons,
        s.new_persons,
        s.returning_persons
    );
    let list = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    show!("Per canale: {}", list(&s.by_channel));
    let areas = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter()
            .map(|(k, v)| {
                let label = k
                    .parse()
                    .map_or("", sportello_domain::front_office::contact::area_label);
                format!("{k} {label} {v}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    show!("Per area: {}", areas(&s.by_area));
    show!("Per risposta: {}", list(&s.by_answer));
    show!("Inviati da: {}", list(&s.by_sender));
    if s.by_comune.len() > 1 {
        show!("Per comune: {}", list(&s.by_comune));
    }
    show!(
        "Istruttorie: aperte {}, chiuse {} (nei termini {}, quota {}), giorni medi {}, 90° \
         percentile {}, in corso {}, scadute {}",
        s.cases_opened,
        s.cases_closed,
        s.closed_within_target,
        opt(s.closed_within_target_share),
        opt(s.mean_days_to_close),
        s.p90_days_to_close
            .map_or_else(|| "-".into(), |d| d.to_string()),
        s.open,
        s.overdue
    );
    show!(
        "Bisogni senza risposta: {} ({})",
        s.unmet_needs,
        areas(&s.unmet_needs_by_area)
    );
    if !s.top_services.is_empty() {
        let top: Vec<String> = s
            .top_services
            .iter()
            .map(|t| format!("{} {}", t.id, t.contacts))
            .collect();
        show!("Servizi più richiesti: {}", top.join(", "));
    }
    let q = &s.satisfaction;
    show!(
        "Soddisfazione ({} questionari): cortesia {}, chiarezza {}, attesa {}, facilità {}",
        q.responses,
        opt(q.courtesy),
        opt(q.clarity),
        opt(q.waiting),
        opt(q.finding)
    );
}

// ---- Accreditation of providers. ----

pub fn notice(n: &sportello_app::NoticeView, as_json: bool) {
    if as_json {
        return json(n);
    }
    let notice = &n.notice;
    show!(
        "Avviso {} «{}»{}",
        notice.id,
        notice.title,
        if n.imported {
            ""
        } else {
            " (regole predefinite del distretto)"
        }
    );
    show!(
        "Soglia {} punti; durata {} anni",
        notice.pass_mark,
        notice.validity_years
    );
    for s in &notice.services {
        show!("  servizio   {:<22} {}", s.id, s.name);
    }
    for g in &notice.gates {
        show!("  requisito  {:<22} {}", g.id, g.name);
    }
    for c in &notice.criteria {
        show!("  criterio   {:<22} max {:>3}  {}", c.id, c.max, c.name);
    }
}

pub fn provider_applied(a: &sportello_app::ProviderApplied, as_json: bool) {
    if as_json {
        return json(a);
    }
    say!("{}", a.application_id);
    if !a.new_provider {
        show!(
            "(ente già noto con codice fiscale {}: stessa identità)",
            a.tax_code
        );
    }
}

pub fn provider_applications(list: &[sportello_app::ProviderApplicationView], as_json: bool) {
    if as_json {
        return json(&list);
    }
    if list.is_empty() {
        show!("Nessuna istanza registrata.");
    }
    for a in list {
        let last = a.assessments.last();
        show!(
            "{} {} ({}) — {}",
            a.application_id,
            a.application.legal_name,
            a.application.tax_code,
            match last {
                None => "da valutare".to_string(),
                Some(x) => format!(
                    "{} punti, {}{}",
                    x.total,
                    x.outcome.as_str().replace('_', " "),
                    if x.confirmed { "" } else { " (da confermare)" }
                ),
            }
        );
    }
}

pub fn provider_application(a: &sportello_app::ProviderApplicationView, as_json: bool) {
    if as_json {
        return json(a);
    }
    provider_applications(std::slice::from_ref(a), false);
    for x in &a.assessments {
        show!(
            "  valutazione {}: {} punti, {}{}{}",
            x.assessment_id,
            x.total,
            x.outcome.as_str().replace('_', " "),
            if x.confirmed { ", confermata" } else { "" },
            x.corrects
                .as_deref()
                .map(|c| format!(", corregge {c}"))
                .unwrap_or_default()
        );
    }
}

pub fn assessment(a: &sportello_app::AssessmentView, as_json: bool) {
    if as_json {
        return json(a);
    }
    show!("Valutazione {}", a.assessment_id);
    show!(
        "Totale {} punti (soglia {}): {}",
        a.total,
        a.pass_mark,
        match a.outcome {
            sportello_domain::accreditation::Outcome::Accreditato => "accreditato",
            sportello_domain::accreditation::Outcome::NonAccreditato => "non accreditato",
        }
    );
    for r in &a.reasons {
        show!("  - {r}");
    }
    if let (Some(n), Some(until)) = (&a.register_number, a.valid_until) {
        show!(
            "Numero di registro {n}, valido fino al {}",
            until.format("%d/%m/%Y")
        );
    }
    if a.confirmed {
        show!("Confermata: definitiva");
    } else {
        show!("Da confermare da parte di un coordinatore");
    }
}

pub fn register(r: &sportello_app::RegisterView, as_json: bool) {
    if as_json {
        return json(r);
    }
    match &r.as_of {
        Some(at) => show!(
            "Registro degli enti accreditati (copia del {})",
            &at[..10.min(at.len())]
        ),
        None => show!("Registro degli enti accreditati (non ancora ricevuto dal capofila)"),
    }
    if r.providers.is_empty() {
        show!("Nessun ente iscritto.");
    }
    for line in &r.providers {
        let p = &line.entry;
        show!(
            "{:<14} {:<9} {} ({}) fino al {} — {}",
            p.register_number,
            p.status.as_str(),
            p.legal_name,
            p.tax_code,
            p.valid_until.format("%d/%m/%Y"),
            line.service_names.join(", ")
        );
    }
}

pub fn register_line(line: &sportello_app::RegisterLineView, as_json: bool) {
    if as_json {
        return json(line);
    }
    let p = &line.entry;
    show!(
        "{}: {} — stato {}",
        p.register_number,
        p.legal_name,
        p.status.as_str()
    );
}

pub fn register_printed(r: &sportello_app::RegisterPrinted, as_json: bool) {
    if as_json {
        return json(r);
    }
    show!("{}", r.pdf);
    show!("{}", r.csv);
}

pub fn verification(v: &sportello_app::Verification, as_json: bool) {
    if as_json {
        return json(v);
    }
    show!(
        "{}",
        if v.valid_and_active() {
            "Attestato valido: ente accreditato"
        } else if v.valid {
            "Attestato autentico, ma l'ente non risulta accreditato oggi"
        } else {
            "Attestato NON valido"
        }
    );
    if let (Some(n), Some(p)) = (&v.register_number, &v.provider) {
        show!("Registro n. {n}: {p}");
    }
    if let Some(s) = v.status {
        show!("Stato: {}", s.as_str());
    }
    if let Some(until) = v.valid_until {
        show!("Valido fino al {}", until.format("%d/%m/%Y"));
    }
    if let Some(at) = v.register_as_of {
        show!(
            "Registro di questa installazione aggiornato al {}",
            at.format("%d/%m/%Y")
        );
    }
    for p in &v.problems {
        show!("  - {p}");
    }
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn hidden_characters_print_as_escapes_the_rest_as_it_is() {
        assert_eq!(visible("Città d'Àrgento – 東京"), "Città d'Àrgento – 東京");
        assert_eq!(
            visible("Scro\u{202e}inaf\u{1b}[2J\u{7}\t\r\n\u{85}\u{2066}"),
            r"Scro\u{202e}inaf\u{1b}[2J\u{7}\t\r\n\u{85}\u{2066}"
        );
    }
}
