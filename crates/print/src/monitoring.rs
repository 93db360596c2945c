//! The monitoring report of the plan (*relazione di monitoraggio*), at the capofila: the
//! automatic summary, the district's indicators against the half-year before, one chart per
//! indicator (each comune's bar, the trend over the half-years, the target as a dashed line),
//! the half-year forms of the actions and the financial table. The final report of the
//! three-year plan has the same shape over the plan's half-years.

use chrono::NaiveDate;
use sportello_domain::Decimal;
use sportello_domain::monitoring::{number, quantity};

use crate::PrintError;
use crate::canvas::{Align, Colour, Style};
use crate::chart::{Series, bars, bars_height, trend};
use crate::flow::{Column, Flow, Table};
use crate::format::{date, euro};
use crate::frame::{FrameSpec, Letterhead, Orientation, render};

/// One indicator with what the report says of it. Values are `None` when not computable.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportIndicator {
    pub action: String,
    pub name: String,
    pub unit: String,
    /// `≤ 60`, `≥ 100` and the number for the chart's line.
    pub target: Option<(String, Decimal)>,
    pub value: Option<Decimal>,
    pub previous: Option<Decimal>,
    pub misses_target: Option<bool>,
    /// Each comune's value over the period (empty for a comune's own report).
    pub by_comune: Vec<(String, Option<Decimal>)>,
    /// The value over each of the report's half-years.
    pub trend: Vec<Option<Decimal>>,
}

/// A half-year form as the report prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportForm {
    pub action: String,
    pub comune: String,
    pub period: String,
    pub revision: i64,
    /// `None` while the form is still open.
    pub closed_on: Option<NaiveDate>,
    pub manager: String,
    pub staff: String,
    pub objectives: Vec<(String, String)>,
    pub activities: String,
    pub problems: Option<String>,
    pub corrective_steps: Option<String>,
    pub allocated: Decimal,
    pub committed: Decimal,
    pub paid: Decimal,
}

/// The report of one half-year, or the final report of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct MonitoringReport {
    pub letterhead: Letterhead,
    /// `Relazione semestrale di monitoraggio · 1° semestre 2026`.
    pub title: String,
    /// `dal 01/01/2026 al 30/06/2026`.
    pub period: String,
    pub printed_on: NaiveDate,
    /// The comuni whose counts of the period had not reached the capofila.
    pub missing_comuni: Vec<String>,
    pub summary: Vec<String>,
    /// The half-years of the trends, oldest first (`2026-H1`).
    pub periods: Vec<String>,
    pub indicators: Vec<ReportIndicator>,
    pub forms: Vec<ReportForm>,
}

const BODY: Style = Style::regular(9.0);
const SMALL: Style = Style::regular(8.0);
const CHART_TITLE: Style = Style::bold(8.5);
const CHART_NOTE: Style = Style::regular(7.0).coloured(Colour::MUTED);

pub fn monitoring_report(report: &MonitoringReport) -> Result<Vec<u8>, PrintError> {
    let spec = FrameSpec {
        letterhead: &report.letterhead,
        orientation: Orientation::Portrait,
        title: report.title.clone(),
        reference: format!(
            "Periodo {} · stampata il {}",
            report.period,
            date(report.printed_on)
        ),
        footer: format!("{} · {}", report.title, report.period),
        reserved: false,
    };
    render(spec, |flow| {
        flow.paragraph(
            "Gli indicatori sono calcolati dai dati registrati dai comuni, mai digitati: ogni \
             comune invia al capofila i propri conteggi del semestre (cifre, non persone) e \
             quelli del distretto ne sono le somme. Le linee tratteggiate dei grafici sono gli \
             obiettivi del piano.",
            BODY,
        );
        if !report.missing_comuni.is_empty() {
            flow.space(1.0);
            flow.paragraph(
                &format!(
                    "Non hanno ancora inviato i conteggi del periodo: {}. I loro valori mancano \
                     dai totali del distretto.",
                    report.missing_comuni.join(", ")
                ),
                Style::bold(9.0),
            );
        }
        flow.heading("Sintesi", 10.0);
        for line in &report.summary {
            flow.paragraph(&format!("• {line}"), BODY);
        }
        district_table(flow, report);
        charts(flow, report);
        forms(flow, &report.forms);
        finances(flow, &report.forms);
        Ok(())
    })
}

/// How a value reads in a table: `€ 1.234,00`, `72,5%`, `312`, or a dash.
fn cell(value: Option<Decimal>, unit: &str) -> String {
    match value {
        Some(v) if unit == "euro" || unit == "%" => quantity(v, unit),
        Some(v) => number(v),
        None => "—".into(),
    }
}

fn district_table(flow: &mut Flow, report: &MonitoringReport) {
    flow.heading("Indicatori del distretto", 20.0);
    let fixed = 22.0 + 22.0 + 18.0 + 22.0;
    let table = Table {
        columns: vec![
            Column::new("Indicatore", flow.width() - fixed, Align::Left),
            Column::new("Valore", 22.0, Align::Right).bold(),
            Column::new("Periodo precedente", 22.0, Align::Right),
            Column::new("Obiettivo", 18.0, Align::Right),
            Column::new("Esito", 22.0, Align::Left),
        ],
        size: 8.0,
        header_size: 7.0,
        row_padding: crate::flow::CELL_PAD_Y,
    };
    let mut action = "";
    let mut rows: Vec<[String; 5]> = Vec::new();
    for i in &report.indicators {
        if i.action != action {
            action = &i.action;
            rows.push([
                i.action.to_uppercase(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        rows.push([
            format!("{} ({})", i.name, i.unit),
            cell(i.value, &i.unit),
            cell(i.previous, &i.unit),
            i.target
                .as_ref()
                .map(|(t, _)| t.clone())
                .unwrap_or_default(),
            match i.misses_target {
                Some(true) => "fuori obiettivo".into(),
                Some(false) => "nell'obiettivo".into(),
                None => String::new(),
            },
        ]);
    }
    flow.table(&table, rows);
}

fn charts(flow: &mut Flow, report: &MonitoringReport) {
    let (drawn, empty): (Vec<&ReportIndicator>, Vec<&ReportIndicator>) =
        report.indicators.iter().partition(|i| {
            let some = |v: &Option<Decimal>| v.is_some_and(|v| !v.is_zero());
            i.trend.iter().any(some) || i.by_comune.iter().any(|(_, v)| some(v))
        });
    let mut action = "";
    for i in drawn {
        let height = chart_height(i);
        if i.action != action {
            action = &i.action;
            flow.heading(&format!("Grafici · {action}"), height);
        }
        let unit = i.unit.clone();
        let label = move |v: f64| {
            let d = Decimal::from_f64_retain(v)
                .unwrap_or_default()
                .round_dp(1)
                .normalize();
            match unit.as_str() {
                "euro" => format!("€ {}", number(d.round())),
                "%" => format!("{}%", number(d)),
                _ => number(d),
            }
        };
        let target = i.target.as_ref().and_then(|(_, t)| f(*t));
        let comuni: Vec<(String, Option<f64>)> = i
            .by_comune
            .iter()
            .map(|(name, v)| (name.clone(), v.and_then(f)))
            .collect();
        let points: Vec<(String, Option<f64>)> = report
            .periods
            .iter()
            .zip(&i.trend)
            .map(|(p, v)| (p.clone(), v.and_then(f)))
            .collect();
        let title = match &i.target {
            Some((t, _)) => format!("{} · {} · obiettivo {t}", i.name, i.unit),
            None => format!("{} · {}", i.name, i.unit),
        };
        flow.block(height, |page, left, top, width| {
            page.text(left, top + 3.5, Align::Left, CHART_TITLE, &title);
            let body = top + 8.0;
            if comuni.is_empty() {
                trend(
                    page,
                    left,
                    body,
                    width,
                    height - 10.0,
                    &Series {
                        points: &points,
                        label: &label,
                        target,
                    },
                );
                return;
            }
            let split = width * 0.58;
            page.text(
                left,
                body,
                Align::Left,
                CHART_NOTE,
                "Per comune, nel periodo",
            );
            bars(
                page,
                left,
                body + 4.0,
                split - 4.0,
                &Series {
                    points: &comuni,
                    label: &label,
                    target,
                },
            );
            page.text(
                left + split,
                body,
                Align::Left,
                CHART_NOTE,
                "Distretto, per semestre",
            );
            trend(
                page,
                left + split,
                body + 1.0,
                width - split,
                height - 12.0,
                &Series {
                    points: &points,
                    label: &label,
                    target,
                },
            );
        });
    }
    if !empty.is_empty() {
        flow.space(2.0);
        let names: Vec<&str> = empty.iter().map(|i| i.name.as_str()).collect();
        flow.paragraph(
            &format!(
                "Senza grafico, perché a zero o non calcolabili in ogni comune e semestre: {}.",
                names.join("; ")
            ),
            SMALL,
        );
    }
}

fn chart_height(i: &ReportIndicator) -> f32 {
    if i.by_comune.is_empty() {
        48.0
    } else {
        (bars_height(i.by_comune.len()) + 14.0).max(48.0)
    }
}

fn f(d: Decimal) -> Option<f64> {
    d.to_string().parse().ok()
}

fn forms(flow: &mut Flow, forms: &[ReportForm]) {
    flow.heading("Schede di monitoraggio", 20.0);
    if forms.is_empty() {
        flow.paragraph(
            "Nessuna scheda di monitoraggio registrata per il periodo.",
            BODY,
        );
        return;
    }
    for form in forms {
        flow.space(2.0);
        let state = match form.closed_on {
            Some(day) => format!("chiusa il {}", date(day)),
            None => "ancora aperta".into(),
        };
        flow.paragraph(
            &format!(
                "{} · {} · {} (revisione {}, {state})",
                form.action, form.comune, form.period, form.revision
            ),
            Style::bold(9.5),
        );
        let mut pairs = vec![
            ("Responsabile", form.manager.clone()),
            ("Personale impiegato", form.staff.clone()),
            ("Attività svolte", form.activities.clone()),
        ];
        for (objective, progress) in &form.objectives {
            pairs.push(("Obiettivo", format!("{objective}: {progress}")));
        }
        if let Some(p) = &form.problems {
            pairs.push(("Criticità", p.clone()));
        }
        if let Some(c) = &form.corrective_steps {
            pairs.push(("Azioni correttive", c.clone()));
        }
        pairs.push((
            "Risorse",
            format!(
                "stanziate {}, impegnate {}, liquidate {}",
                euro(form.allocated),
                euro(form.committed),
                euro(form.paid)
            ),
        ));
        flow.fields(&pairs, 38.0, 8.5);
    }
}

fn finances(flow: &mut Flow, forms: &[ReportForm]) {
    flow.heading("Quadro finanziario", 20.0);
    if forms.is_empty() {
        flow.paragraph(
            "Senza schede di monitoraggio non ci sono dati finanziari del periodo.",
            BODY,
        );
        return;
    }
    let money = 23.0;
    let fixed = 4.0 * money + 18.0;
    let table = Table {
        columns: vec![
            Column::new("Azione", flow.width() - fixed - 28.0, Align::Left),
            Column::new("Comune", 28.0, Align::Left),
            Column::new("Stanziato", money, Align::Right),
            Column::new("Impegnato", money, Align::Right),
            Column::new("Liquidato", money, Align::Right),
            Column::new("Da liquidare", money, Align::Right),
            Column::new("Liquidato sullo stanziato", 18.0, Align::Right),
        ],
        size: 8.0,
        header_size: 6.5,
        row_padding: crate::flow::CELL_PAD_Y,
    };
    let share = |paid: Decimal, allocated: Decimal| {
        if allocated.is_zero() {
            "—".to_string()
        } else {
            format!(
                "{}%",
                number((paid * Decimal::from(100) / allocated).round_dp(1))
            )
        }
    };
    let mut rows: Vec<[String; 7]> = forms
        .iter()
        .map(|f| {
            [
                format!("{} ({})", f.action, f.period),
                f.comune.clone(),
                euro(f.allocated),
                euro(f.committed),
                euro(f.paid),
                euro(f.committed - f.paid),
                share(f.paid, f.allocated),
            ]
        })
        .collect();
    let (a, c, p) = forms.iter().fold(
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO),
        |(a, c, p), f| (a + f.allocated, c + f.committed, p + f.paid),
    );
    rows.push([
        "Totale".into(),
        String::new(),
        euro(a),
        euro(c),
        euro(p),
        euro(c - p),
        share(p, a),
    ]);
    flow.table(&table, rows);
    flow.space(1.5);
    flow.paragraph(
        "Dalle schede di monitoraggio compilate dai responsabili delle azioni (per ogni azione \
         e comune l'ultima revisione).",
        SMALL,
    );
}
