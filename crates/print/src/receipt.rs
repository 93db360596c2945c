//! The receipt (*ricevuta di presentazione*) the front office hands over right after saving an
//! application: the case, the application code in evidence, what was declared, the privacy
//! notice and two signatures.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
pub use sportello_domain::{Housing, IseeKind};

use crate::PrintError;
use crate::canvas::{Align, Colour, Style};
use crate::flow::{Column, Flow, Table};
use crate::format;
use crate::frame::{FrameSpec, Letterhead, Orientation, render};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The comune where the application was filed.
    pub letterhead: Letterhead,
    /// Name of that comune ("Fontebianca").
    pub comune: String,
    pub bando_id: String,
    pub bando_title: String,
    /// The app's case number, `2026/0000123`.
    pub case_number: String,
    /// The comune's official protocol number, when the operator has entered it.
    pub protocol_number: Option<String>,
    /// The public pseudonym the applicant will look for in the published ranking.
    pub application_code: String,
    /// Date and time of filing, in local time (Europe/Rome).
    pub filed_at: NaiveDateTime,
    /// The operator who received the application, printed under their signature line.
    pub operator: Option<String>,
    pub applicant: ReceiptApplicant,
    /// The other members of the household (the applicant is not listed here).
    pub household: Vec<ReceiptMember>,
    pub isee: Option<ReceiptIsee>,
    pub resident: bool,
    pub unemployed: bool,
    pub unemployed_since: Option<NaiveDate>,
    pub other_income_support: bool,
    pub housing: Housing,
    pub single_parent: bool,
    pub applicant_disabled: bool,
    pub previous_participation: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptApplicant {
    pub surname: String,
    pub name: String,
    pub codice_fiscale: String,
    pub birth_date: NaiveDate,
    /// Place of birth by name ("Fontebianca", "Germania").
    pub birth_place: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptMember {
    pub surname: String,
    pub name: String,
    pub codice_fiscale: String,
    pub birth_date: NaiveDate,
    /// Relation to the applicant in the operator's words (figlio, coniuge ...).
    pub relation: String,
    pub dependent_minor: bool,
    /// Certified disability, yes or no: never a diagnosis.
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptIsee {
    pub value: Decimal,
    pub kind: IseeKind,
    pub dsu_protocol: String,
    pub dsu_date: NaiveDate,
}

/// How the receipt says a housing situation.
fn housing_label(housing: Housing) -> &'static str {
    match housing {
        Housing::None => "né locazione registrata né sfratto",
        Housing::Rent => "in locazione con contratto registrato",
        Housing::Eviction => "sfratto esecutivo in corso",
    }
}

const BODY: Style = Style::regular(9.0);
const FIELD_SIZE: f32 = 8.5;
const LABEL_WIDTH: f32 = 58.0;
const CODE: Style = Style::bold(24.0).coloured(Colour::ACCENT);

/// "Ricevuta di presentazione" of one application.
pub fn receipt(r: &Receipt) -> Result<Vec<u8>, PrintError> {
    let day = format::date(r.filed_at.date());
    let time = format::time(r.filed_at.time());
    let spec = FrameSpec {
        letterhead: &r.letterhead,
        orientation: Orientation::Portrait,
        title: "Ricevuta di presentazione della domanda".into(),
        reference: format!(
            "Pratica n. {} del {day} · Bando {} – {}",
            r.case_number, r.bando_id, r.bando_title
        ),
        footer: format!(
            "Ricevuta di presentazione · Comune di {} · pratica n. {}",
            r.comune, r.case_number
        ),
        reserved: false,
    };
    render(spec, |flow| {
        code_box(flow, &r.application_code);
        flow.heading("Domanda", 6.0);
        let mut case = vec![
            ("Comune", r.comune.clone()),
            ("Bando", format!("{} – {}", r.bando_id, r.bando_title)),
            ("Numero pratica", r.case_number.clone()),
        ];
        if let Some(protocol) = &r.protocol_number {
            case.push(("Protocollo del Comune", protocol.clone()));
        }
        case.push(("Presentata il", format!("{day} alle ore {time}")));
        flow.fields(&case, LABEL_WIDTH, FIELD_SIZE);

        applicant_section(flow, &r.applicant);
        household_section(flow, &r.household);
        declarations_section(flow, r);
        privacy_section(flow, r);
        signatures(flow, r.operator.as_deref());
        Ok(())
    })
}

fn code_box(flow: &mut Flow<'_>, code: &str) {
    flow.space(1.0);
    flow.keep_box(
        "CODICE DOMANDA",
        &[code.to_string()],
        CODE,
        "Conservi questo codice: è l'unico dato con cui la domanda compare nella graduatoria pubblica.",
    );
}

fn applicant_section(flow: &mut Flow<'_>, a: &ReceiptApplicant) {
    flow.heading("Richiedente", 6.0);
    let mut fields = vec![
        ("Cognome e nome", format!("{} {}", a.surname, a.name)),
        ("Codice fiscale", a.codice_fiscale.clone()),
        (
            "Data e luogo di nascita",
            format!("{} – {}", format::date(a.birth_date), a.birth_place),
        ),
    ];
    for (label, value) in [
        ("Indirizzo", &a.address),
        ("Telefono", &a.phone),
        ("Posta elettronica", &a.email),
    ] {
        if let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            fields.push((label, value.to_string()));
        }
    }
    flow.fields(&fields, LABEL_WIDTH, FIELD_SIZE);
}

fn household_section(flow: &mut Flow<'_>, members: &[ReceiptMember]) {
    flow.heading("Nucleo familiare", 12.0);
    flow.paragraph(
        &format!(
            "Componenti dichiarati, richiedente compreso: {}.",
            members.len() + 1
        ),
        BODY,
    );
    if members.is_empty() {
        return;
    }
    flow.space(1.0);
    let width = flow.width();
    let table = Table {
        columns: vec![
            Column::new(
                "Cognome e nome",
                width - 35.0 - 21.0 - 24.0 - 18.0 - 18.0,
                Align::Left,
            ),
            Column::new("Codice fiscale", 35.0, Align::Left),
            Column::new("Nato/a il", 21.0, Align::Left),
            Column::new("Relazione", 24.0, Align::Left),
            Column::new("Minore a carico", 18.0, Align::Center),
            Column::new("Disabilità", 18.0, Align::Center),
        ],
        size: 8.5,
        header_size: 8.0,
        row_padding: crate::flow::CELL_PAD_Y,
    };
    flow.table(
        &table,
        members.iter().map(|m| {
            [
                format!("{} {}", m.surname, m.name),
                m.codice_fiscale.clone(),
                format::date(m.birth_date),
                m.relation.clone(),
                format::yes_no(m.dependent_minor).to_string(),
                format::yes_no(m.disabled).to_string(),
            ]
        }),
    );
}

fn declarations_section(flow: &mut Flow<'_>, r: &Receipt) {
    flow.heading("Dichiarazioni", 6.0);
    let mut fields = match &r.isee {
        Some(isee) => vec![
            (
                "ISEE",
                format!(
                    "{} ({})",
                    format::euro(isee.value),
                    match isee.kind {
                        IseeKind::Ordinario => "ordinario",
                        IseeKind::Corrente => "corrente",
                    }
                ),
            ),
            (
                "DSU",
                format!(
                    "protocollo {} del {}",
                    isee.dsu_protocol,
                    format::date(isee.dsu_date)
                ),
            ),
        ],
        None => vec![("ISEE", "non presentato".to_string())],
    };
    let unemployed = match (r.unemployed, r.unemployed_since) {
        (true, Some(since)) => format!("sì, dal {}", format::date(since)),
        (flag, _) => format::yes_no(flag).to_string(),
    };
    fields.extend([
        (
            "Residente in un comune del distretto",
            format::yes_no(r.resident).into(),
        ),
        ("Disoccupato/a", unemployed),
        (
            "Altre misure di sostegno al reddito",
            format::yes_no(r.other_income_support).into(),
        ),
        ("Situazione abitativa", housing_label(r.housing).into()),
        (
            "Genitore solo con figli minori a carico",
            format::yes_no(r.single_parent).into(),
        ),
        (
            "Disabilità certificata del richiedente",
            format::yes_no(r.applicant_disabled).into(),
        ),
        (
            "Partecipazione al bando precedente",
            format::yes_no(r.previous_participation).into(),
        ),
    ]);
    flow.fields(&fields, LABEL_WIDTH + 14.0, FIELD_SIZE);
}

fn privacy_section(flow: &mut Flow<'_>, r: &Receipt) {
    flow.heading("Informativa sul trattamento dei dati personali", 10.0);
    flow.paragraph(
        &format!(
            "Ai sensi dell'art. 13 del Regolamento (UE) 2016/679, il Comune di {comune}, titolare \
             del trattamento, tratta i dati di questa domanda, anche con strumenti informatici e \
             solo tramite personale autorizzato, esclusivamente per la gestione del bando {bando} \
             e per gli adempimenti che ne derivano; li comunica al comune capofila del distretto \
             per la formazione della graduatoria unica. Il conferimento è necessario per \
             partecipare. La graduatoria è pubblicata riportando soltanto il codice domanda, senza \
             nome né altri dati personali; i motivi di un'eventuale esclusione sono comunicati \
             solo al richiedente. I dati sono conservati per il tempo previsto dalla normativa \
             sugli archivi pubblici. Il richiedente può esercitare i diritti degli artt. 15-22 del \
             Regolamento (accesso, rettifica, limitazione, opposizione) rivolgendosi al Comune e \
             può proporre reclamo al Garante per la protezione dei dati personali.",
            comune = r.comune,
            bando = r.bando_id,
        ),
        Style::regular(7.5),
    );
}

fn signatures(flow: &mut Flow<'_>, operator: Option<&str>) {
    flow.space(5.0);
    flow.block(19.0, |page, left, top, width| {
        let column = (width - 20.0) / 2.0;
        let label = Style::regular(9.0);
        let note = Style::regular(8.0).coloured(Colour::MUTED);
        for (x, title, under) in [
            (left, "L'operatore", operator),
            (left + column + 20.0, "Il/La richiedente", None),
        ] {
            page.text(x, top + 4.0, Align::Left, label, title);
            page.rule(x, x + column, top + 14.0, Colour::TEXT, 0.6);
            if let Some(under) = under {
                page.text(x, top + 18.0, Align::Left, note, under);
            }
        }
    });
}
