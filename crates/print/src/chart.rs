//! Charts drawn as vector graphics, legible in grey: horizontal bars (one per comune) and a
//! trend line over half-years, each with its target as a dashed line. Values are labelled on
//! the chart, so a reader never needs colour or a ruler to read a figure.

use crate::canvas::{Align, Canvas, Colour, Style};

const LABEL: Style = Style::regular(6.5);
const VALUE: Style = Style::regular(6.0);
const AXIS: Style = Style::regular(5.5).coloured(Colour::MUTED);
const BAR: Colour = Colour(0.62, 0.62, 0.62);
const LINE: Colour = Colour(0.15, 0.15, 0.15);
const GRID: Colour = Colour(0.85, 0.85, 0.85);
/// Dash and gap of a target line, in points.
const TARGET_DASH: [f32; 2] = [3.0, 2.0];

/// One chart's data: labels with their values (none: not computable), and the target.
pub(crate) struct Series<'a> {
    pub(crate) points: &'a [(String, Option<f64>)],
    /// How a value is written on the chart.
    pub(crate) label: &'a dyn Fn(f64) -> String,
    pub(crate) target: Option<f64>,
}

impl Series<'_> {
    /// The axis' top: a round number above every value and the target; at least 5 when the
    /// values are whole numbers, so that counts get whole ticks.
    fn scale(&self) -> f64 {
        let values = || {
            self.points
                .iter()
                .filter_map(|(_, v)| *v)
                .chain(self.target)
        };
        let top = nice_ceiling(values().fold(0.0_f64, f64::max));
        if values().all(|v| v.fract() == 0.0) {
            top.max(f64::from(STEPS))
        } else {
            top
        }
    }
}

/// 1, 2, 2.5 or 5 times a power of ten, at least `value` (5 for nothing to show).
pub(crate) fn nice_ceiling(value: f64) -> f64 {
    if value <= 0.0 || !value.is_finite() {
        return 5.0;
    }
    let power = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|step| step * power)
        .find(|top| *top >= value * 0.999_999)
        .unwrap_or(10.0 * power)
}

/// The axis is divided in five: 0, 1, 2 … 5 or 0, 20, 40 … 100.
const STEPS: u32 = 5;

/// The height of a bar chart of `rows` bars.
pub(crate) fn bars_height(rows: usize) -> f32 {
    rows as f32 * ROW + 7.0
}

const ROW: f32 = 3.6;

/// Horizontal bars in the box at (`left`, `top`), `width` wide: a label column, the bars, the
/// value after each bar, the target as a dashed vertical line.
pub(crate) fn bars(page: &mut Canvas, left: f32, top: f32, width: f32, series: &Series) {
    let label_width = 27.0;
    let value_room = 14.0;
    let x0 = left + label_width;
    let plot = width - label_width - value_room;
    let top_value = series.scale();
    let x_of = |v: f64| x0 + (v / top_value) as f32 * plot;
    let bottom = top + series.points.len() as f32 * ROW;
    for step in 0..=STEPS {
        let v = top_value * f64::from(step) / f64::from(STEPS);
        let x = x_of(v);
        page.polyline(&[(x, top), (x, bottom)], GRID, 0.4, None);
        page.text(x, bottom + 3.0, Align::Center, AXIS, &(series.label)(v));
    }
    for (i, (name, value)) in series.points.iter().enumerate() {
        let row_top = top + i as f32 * ROW;
        let baseline = row_top + ROW * 0.72;
        page.text(x0 - 1.5, baseline, Align::Right, LABEL, name);
        match value {
            Some(v) => {
                let w = (x_of(*v) - x0).max(0.0);
                if w > 0.0 {
                    page.fill_rect(x0, row_top + 0.5, w, ROW - 1.0, BAR);
                    page.stroke_rect(x0, row_top + 0.5, w, ROW - 1.0, LINE, 0.3);
                }
                page.text(
                    x0 + w + 1.0,
                    baseline,
                    Align::Left,
                    VALUE,
                    &(series.label)(*v),
                );
            }
            None => page.text(x0 + 1.0, baseline, Align::Left, AXIS, "non calcolabile"),
        }
    }
    page.polyline(&[(x0, top), (x0, bottom)], LINE, 0.5, None);
    if let Some(t) = series.target {
        let x = x_of(t);
        page.polyline(&[(x, top - 1.0), (x, bottom)], LINE, 0.9, Some(TARGET_DASH));
        page.text(x, top - 1.6, Align::Center, AXIS, "obiettivo");
    }
}

/// A trend line over the labels (half-years) in the box at (`left`, `top`), `width` × `height`:
/// a marked point per value with its figure, the target as a dashed horizontal line.
pub(crate) fn trend(
    page: &mut Canvas,
    left: f32,
    top: f32,
    width: f32,
    height: f32,
    series: &Series,
) {
    let axis_width = 10.0;
    let x0 = left + axis_width;
    let plot_w = width - axis_width - 4.0;
    let plot_top = top + 4.0;
    let plot_bottom = top + height - 5.0;
    let plot_h = plot_bottom - plot_top;
    let top_value = series.scale();
    let y_of = |v: f64| plot_bottom - (v / top_value) as f32 * plot_h;
    let n = series.points.len().max(1);
    let x_of = |i: usize| x0 + plot_w * (i as f32 + 0.5) / n as f32;
    for step in 0..=STEPS {
        let v = top_value * f64::from(step) / f64::from(STEPS);
        let y = y_of(v);
        page.polyline(&[(x0, y), (x0 + plot_w, y)], GRID, 0.4, None);
        page.text(x0 - 1.0, y + 0.8, Align::Right, AXIS, &(series.label)(v));
    }
    page.polyline(
        &[
            (x0, plot_top),
            (x0, plot_bottom),
            (x0 + plot_w, plot_bottom),
        ],
        LINE,
        0.5,
        None,
    );
    if let Some(t) = series.target {
        let y = y_of(t);
        page.polyline(&[(x0, y), (x0 + plot_w, y)], LINE, 0.9, Some(TARGET_DASH));
        page.text(x0 + plot_w, y - 0.8, Align::Right, AXIS, "obiettivo");
    }
    // The line joins the half-years that have a value; a gap stays a gap.
    let mut run: Vec<(f32, f32)> = Vec::new();
    for (i, (label, value)) in series.points.iter().enumerate() {
        page.text(x_of(i), plot_bottom + 3.2, Align::Center, AXIS, label);
        match value {
            Some(v) => run.push((x_of(i), y_of(*v))),
            None => {
                page.polyline(&run, LINE, 1.1, None);
                run.clear();
            }
        }
    }
    page.polyline(&run, LINE, 1.1, None);
    for (i, (_, value)) in series.points.iter().enumerate() {
        if let Some(v) = value {
            let (x, y) = (x_of(i), y_of(*v));
            page.fill_rect(x - 0.8, y - 0.8, 1.6, 1.6, LINE);
            page.text(x, y - 1.6, Align::Center, VALUE, &(series.label)(*v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::nice_ceiling;

    #[test]
    fn the_axis_ends_on_a_round_number_above_the_values() {
        assert_eq!(nice_ceiling(0.0), 5.0);
        assert_eq!(nice_ceiling(7.0), 10.0);
        assert_eq!(nice_ceiling(60.0), 100.0);
        assert_eq!(nice_ceiling(100.0), 100.0);
        assert_eq!(nice_ceiling(130.0), 200.0);
        assert_eq!(nice_ceiling(2_100.0), 2_500.0);
        assert_eq!(nice_ceiling(0.37), 0.5);
    }
}
