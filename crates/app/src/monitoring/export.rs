//! The monitoring tables as the offices take them: CSV, or XLSX with numbers as numbers.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};
use sportello_domain::Decimal;

use super::{IndicatorValue, Monitoring};
use crate::{AppError, ErrorCode, Result};

/// The columns of the table, Italian.
const HEADERS: [&str; 9] = [
    "Ambito",
    "Azione",
    "Indicatore",
    "Codice",
    "Valore",
    "Unità",
    "Obiettivo",
    "Semestre precedente",
    "Fuori obiettivo",
];

/// The columns holding numbers (the value and the previous half-year's).
const NUMBERS: [usize; 2] = [4, 7];

/// One row of the table: the scope's name, then the indicator.
struct Row {
    scope: String,
    value: IndicatorValue,
}

impl Monitoring<'_> {
    /// Writes the indicators of the half-year `period` (`AAAA-H1`, `AAAA-H2`) to `out`, as XLSX
    /// or CSV by its extension: at the capofila the district's and each comune's, at a comune
    /// its own. Returns the rows written.
    pub fn export(&mut self, period: &str, out: &Path) -> Result<usize> {
        self.require(crate::Action::ReadOutcomes)?;
        let half = super::half_year(period)?;
        let xlsx = match out.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("xlsx") => true,
            Some(e) if e.eq_ignore_ascii_case("csv") => false,
            _ => {
                return Err(AppError::new(
                    ErrorCode::InputRefused,
                    format!(
                        "«{}»: il file va chiamato .xlsx (foglio di calcolo) o .csv",
                        out.display()
                    ),
                ));
            }
        };
        let mut scopes: Vec<(String, Option<String>)> = Vec::new();
        if self.install.is_capofila() {
            scopes.push(("Distretto".into(), None));
            for c in &self.install.district.comuni {
                scopes.push((c.name.clone(), Some(c.istat.clone())));
            }
        } else {
            let own = self.install.comune.clone();
            scopes.push((self.comune_name(&own), Some(own)));
        }
        let today = sportello_domain::calendar::italian_day(crate::now());
        let mut rows = Vec::new();
        for (name, comune) in scopes {
            for value in self.values(half, comune.as_deref(), today)? {
                rows.push(Row {
                    scope: name.clone(),
                    value,
                });
            }
        }
        let name = half.half_year_name().expect("a half-year");
        let money = self.report_forms(std::slice::from_ref(&name))?;
        if xlsx {
            crate::files::write_atomically(out, &workbook(&name, &rows, &money)?, true)?;
        } else {
            // The financial table beside the indicators': `indicatori-quadro-finanziario.csv`.
            let stem = out
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("monitoraggio");
            let beside = out.with_file_name(format!("{stem}-quadro-finanziario.csv"));
            crate::files::write_atomically(out, csv_text(&rows).as_bytes(), true)?;
            crate::files::write_atomically(&beside, finance_csv(&money).as_bytes(), true)?;
        }
        Ok(rows.len())
    }
}

/// The columns of the financial table, from the forms (the latest revision of each).
const FINANCE_HEADERS: [&str; 8] = [
    "Azione",
    "Comune",
    "Semestre",
    "Revisione",
    "Stanziato",
    "Impegnato",
    "Liquidato",
    "Da liquidare",
];

fn finance_cells(f: &sportello_print::ReportForm) -> [String; 8] {
    [
        f.action.clone(),
        f.comune.clone(),
        f.period.clone(),
        f.revision.to_string(),
        f.allocated.to_string(),
        f.committed.to_string(),
        f.paid.to_string(),
        (f.committed - f.paid).to_string(),
    ]
}

/// The columns of [`FINANCE_HEADERS`] holding amounts.
const AMOUNTS: std::ops::Range<usize> = 4..8;

fn finance_csv(forms: &[sportello_print::ReportForm]) -> String {
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    out.write_record(FINANCE_HEADERS)
        .expect("writing to memory");
    for f in forms {
        let mut c = finance_cells(f);
        for i in AMOUNTS {
            c[i] = c[i].replace('.', ",");
        }
        out.write_record(&c).expect("writing to memory");
    }
    String::from_utf8(out.into_inner().expect("writing to memory")).expect("UTF-8 cells")
}

fn cells(row: &Row) -> [String; 9] {
    let v = &row.value;
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    [
        row.scope.clone(),
        v.action.clone(),
        v.name.clone(),
        v.id.clone(),
        text(&v.value),
        v.unit.clone(),
        text(&v.target),
        text(&v.previous),
        match v.misses_target {
            Some(true) => "sì".into(),
            Some(false) => "no".into(),
            None => String::new(),
        },
    ]
}

fn csv_text(rows: &[Row]) -> String {
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    out.write_record(HEADERS).expect("writing to memory");
    for row in rows {
        let mut c = cells(row);
        // Decimal commas, as the offices' spreadsheets read them.
        for i in NUMBERS {
            c[i] = c[i].replace('.', ",");
        }
        out.write_record(&c).expect("writing to memory");
    }
    String::from_utf8(out.into_inner().expect("writing to memory")).expect("UTF-8 cells")
}

fn workbook(period: &str, rows: &[Row], forms: &[sportello_print::ReportForm]) -> Result<Vec<u8>> {
    let failed = |e: rust_xlsxwriter::XlsxError| {
        AppError::new(
            ErrorCode::PrintFailed,
            format!("foglio di calcolo non scritto: {e}"),
        )
    };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .set_name(format!("Indicatori {period}"))
        .map_err(failed)?;
    let bold = Format::new().set_bold();
    for (col, header) in (0u16..).zip(HEADERS) {
        sheet
            .write_with_format(0, col, header, &bold)
            .map_err(failed)?;
    }
    for (r, row) in (1u32..).zip(rows) {
        for ((col, cell), i) in (0u16..).zip(cells(row)).zip(0usize..) {
            // Values as numbers, so the office can sum and chart them.
            let number = NUMBERS
                .contains(&i)
                .then(|| cell.parse::<Decimal>().ok())
                .flatten()
                .and_then(|d| d.to_string().parse::<f64>().ok());
            match number {
                Some(n) => sheet.write_number(r, col, n).map_err(failed)?,
                None => sheet.write_string(r, col, &cell).map_err(failed)?,
            };
        }
    }
    sheet.autofit();
    let finance = book.add_worksheet();
    finance.set_name("Quadro finanziario").map_err(failed)?;
    for (col, header) in (0u16..).zip(FINANCE_HEADERS) {
        finance
            .write_with_format(0, col, header, &bold)
            .map_err(failed)?;
    }
    for (r, form) in (1u32..).zip(forms) {
        for ((col, cell), i) in (0u16..).zip(finance_cells(form)).zip(0usize..) {
            match cell.parse::<f64>().ok().filter(|_| AMOUNTS.contains(&i)) {
                Some(n) => finance.write_number(r, col, n).map_err(failed)?,
                None => finance.write_string(r, col, &cell).map_err(failed)?,
            };
        }
    }
    finance.autofit();
    book.save_to_buffer().map_err(failed)
}
