//! Flowing content down the pages: headings, paragraphs, label/value fields and tables, each
//! moved whole to the next page when it does not fit, tables repeating their header row.

use std::borrow::Cow;

use crate::canvas::{Align, Canvas, Colour, Style};
use crate::fonts::Face;
use crate::frame::{Frame, descent, line_height};

const HEADING: Style = Style::bold(10.5).coloured(Colour::ACCENT);
const CELL_PAD_X: f32 = 1.2;
/// Room above and below a cell's text, in millimetres: the header row's, and most tables'.
pub(crate) const CELL_PAD_Y: f32 = 0.9;

pub(crate) struct Flow<'f> {
    frame: &'f Frame<'f>,
    pages: Vec<Canvas>,
    /// The cursor: where the next block starts, in mm from the top of the current page.
    y: f32,
}

/// A table column: its title, width in millimetres, alignment and face of its cells.
pub(crate) struct Column {
    pub(crate) title: &'static str,
    pub(crate) width: f32,
    pub(crate) align: Align,
    pub(crate) face: Face,
}

impl Column {
    pub(crate) fn new(title: &'static str, width: f32, align: Align) -> Self {
        Self {
            title,
            width,
            align,
            face: Face::Regular,
        }
    }

    pub(crate) fn bold(self) -> Self {
        Self {
            face: Face::Bold,
            ..self
        }
    }
}

pub(crate) struct Table {
    pub(crate) columns: Vec<Column>,
    /// Font size of the cells, in points.
    pub(crate) size: f32,
    /// Font size of the header row (set in bold), in points.
    pub(crate) header_size: f32,
    /// Room above and below the text of a body row, in millimetres ([`CELL_PAD_Y`] but for a
    /// long list that should take fewer pages).
    pub(crate) row_padding: f32,
}

impl Table {
    fn width(&self) -> f32 {
        self.columns.iter().map(|c| c.width).sum()
    }
}

impl<'f> Flow<'f> {
    pub(crate) fn new(frame: &'f Frame<'f>) -> Self {
        Self {
            frame,
            pages: vec![frame.new_page()],
            y: frame.body_top,
        }
    }

    pub(crate) fn into_pages(self) -> Vec<Canvas> {
        self.pages
    }

    pub(crate) fn left(&self) -> f32 {
        self.frame.margin
    }

    pub(crate) fn width(&self) -> f32 {
        self.frame.content_width()
    }

    fn page(&mut self) -> &mut Canvas {
        self.pages
            .last_mut()
            .expect("a flow always has its first page")
    }

    fn break_page(&mut self) {
        self.pages.push(self.frame.new_page());
        self.y = self.frame.body_top;
    }

    /// Moves to a new page unless `height` mm fit below the cursor (or the page is still empty,
    /// where moving on would not help).
    pub(crate) fn ensure(&mut self, height: f32) {
        if self.y + height > self.frame.body_bottom && self.y > self.frame.body_top + 0.01 {
            self.break_page();
        }
    }

    pub(crate) fn space(&mut self, mm: f32) {
        self.y += mm;
    }

    /// A section heading kept on the same page as the first `keep_with` mm that follow it.
    pub(crate) fn heading(&mut self, text: &str, keep_with: f32) {
        let height = line_height(HEADING) + 1.6;
        self.space(2.2);
        self.ensure(height + keep_with);
        let (left, right) = (self.left(), self.left() + self.width());
        let baseline = self.y + line_height(HEADING) - descent(HEADING);
        let page = self.page();
        page.text(left, baseline, Align::Left, HEADING, text);
        page.rule(left, right, baseline + 1.6, Colour::RULE, 0.5);
        self.y += height;
    }

    /// Running text across the full width; it may continue on the next page between lines.
    pub(crate) fn paragraph(&mut self, text: &str, style: Style) {
        let lines = self
            .frame
            .faces
            .wrap(style.face, text, style.size, self.width());
        let height = line_height(style);
        for line in lines {
            self.ensure(height);
            let (left, baseline) = (self.left(), self.y + height - descent(style));
            self.page().text(left, baseline, Align::Left, style, &line);
            self.y += height;
        }
    }

    /// Label/value pairs in two columns; a pair never splits across pages.
    pub(crate) fn fields(&mut self, pairs: &[(&str, String)], label_width: f32, size: f32) {
        let label_style = Style::regular(size).coloured(Colour::MUTED);
        let value_style = Style::bold(size);
        let value_width = self.width() - label_width;
        let line = line_height(value_style);
        for (label, value) in pairs {
            let faces = self.frame.faces;
            let labels = faces.wrap(label_style.face, label, size, label_width - 2.0);
            let values = faces.wrap(value_style.face, value, size, value_width);
            let height = labels.len().max(values.len()) as f32 * line;
            self.ensure(height);
            let (left, top) = (self.left(), self.y);
            let page = self.page();
            for (i, text) in labels.iter().enumerate() {
                let baseline = top + (i + 1) as f32 * line - descent(label_style);
                page.text(left, baseline, Align::Left, label_style, text);
            }
            for (i, text) in values.iter().enumerate() {
                let baseline = top + (i + 1) as f32 * line - descent(value_style);
                page.text(left + label_width, baseline, Align::Left, value_style, text);
            }
            self.y += height + 0.4;
        }
    }

    /// A block of fixed height drawn by `draw(page, left, top, width)`, never split.
    pub(crate) fn block(&mut self, height: f32, draw: impl FnOnce(&mut Canvas, f32, f32, f32)) {
        self.ensure(height);
        let (left, top, width) = (self.left(), self.y, self.width());
        draw(self.page(), left, top, width);
        self.y += height;
    }

    /// A framed, tinted box of what the reader must keep (an application code, a recovery
    /// key): a small title, the `lines` in `style`, a note; centred, never split.
    pub(crate) fn keep_box(&mut self, title: &str, lines: &[String], style: Style, note: &str) {
        let line = style.size_mm() * 1.45;
        let height = 13.5 + line * lines.len() as f32;
        self.block(height, |page, left, top, width| {
            page.fill_rect(left, top, width, height, Colour::BOX_FILL);
            page.stroke_rect(left, top, width, height, Colour::ACCENT, 1.0);
            let centre = left + width / 2.0;
            let muted = Style::bold(8.0).coloured(Colour::MUTED);
            page.text(centre, top + 5.5, Align::Center, muted, title);
            for (i, text) in lines.iter().enumerate() {
                let baseline = top + 7.0 + line * (i as f32 + 0.8);
                page.text(centre, baseline, Align::Center, style, text);
            }
            page.text(
                centre,
                top + height - 3.0,
                Align::Center,
                Style::regular(8.0),
                note,
            );
        });
    }

    /// A table whose rows never split: a row that does not fit goes to the next page, where the
    /// header row is drawn again.
    pub(crate) fn table<R>(&mut self, table: &Table, rows: R)
    where
        R: IntoIterator,
        R::Item: AsRef<[String]>,
    {
        let line = line_height(Style::regular(table.size));
        let titles: Vec<String> = table.columns.iter().map(|c| c.title.to_string()).collect();
        let header_lines: Vec<Cow<'_, [String]>> = table
            .columns
            .iter()
            .zip(&titles)
            .map(|(c, title)| self.wrap_cell(Face::Bold, title, table.header_size, c.width))
            .collect();
        let header_height = row_height(
            &header_lines,
            line_height(Style::regular(table.header_size)),
            CELL_PAD_Y,
        );
        let pad = table.row_padding;
        // A row taller than an empty page is cut (with an ellipsis) instead of looping forever.
        let room = self.frame.body_bottom - self.frame.body_top - header_height - 2.0 * pad;
        let max_lines = ((room / line).floor() as usize).max(1);

        let width = table.width();
        self.ensure(header_height + line + 2.0 * pad);
        self.draw_header(table, &header_lines, header_height);
        for (index, row) in rows.into_iter().enumerate() {
            let cells: Vec<Cow<'_, [String]>> = table
                .columns
                .iter()
                .zip(row.as_ref())
                .map(|(c, text)| {
                    let mut lines = self.wrap_cell(c.face, text, table.size, c.width);
                    if lines.len() > max_lines {
                        let lines = lines.to_mut();
                        lines.truncate(max_lines);
                        if let Some(last) = lines.last_mut() {
                            last.push('…');
                        }
                    }
                    lines
                })
                .collect();
            let height = row_height(&cells, line, pad);
            if self.y + height > self.frame.body_bottom {
                self.break_page();
                self.draw_header(table, &header_lines, header_height);
            }
            let (top, left) = (self.y, self.left());
            let page = self.page();
            if index % 2 == 1 {
                page.fill_rect(left, top, width, height, Colour::STRIPE_FILL);
            }
            draw_cells(page, table, &cells, left, top, pad);
            self.y += height;
        }
        let (left, y) = (self.left(), self.y);
        self.page().rule(left, left + width, y, Colour::RULE, 0.5);
    }

    fn draw_header(&mut self, table: &Table, lines: &[Cow<'_, [String]>], height: f32) {
        let (top, left, width) = (self.y, self.left(), table.width());
        let page = self.page();
        page.fill_rect(left, top, width, height, Colour::HEADER_FILL);
        let mut x = left;
        for (column, cell) in table.columns.iter().zip(lines) {
            let style = Style::bold(table.header_size).coloured(Colour::ACCENT);
            draw_cell(page, column, x, top + CELL_PAD_Y, cell, style);
            x += column.width;
        }
        page.rule(left, left + width, top + height, Colour::ACCENT, 0.6);
        self.y += height;
    }

    /// The lines of a cell: the text itself, borrowed, when it fits on one (a long list's
    /// rows then cost no allocation per cell).
    fn wrap_cell<'t>(
        &self,
        face: Face,
        text: &'t String,
        size: f32,
        width: f32,
    ) -> Cow<'t, [String]> {
        let room = width - 2.0 * CELL_PAD_X;
        let faces = self.frame.faces;
        if !text.contains('\n') && faces.width_mm(face, text, size) <= room {
            return Cow::Borrowed(std::slice::from_ref(text));
        }
        Cow::Owned(faces.wrap(face, text, size, room))
    }
}

fn row_height(cells: &[Cow<'_, [String]>], line: f32, pad: f32) -> f32 {
    let lines = cells.iter().map(|c| c.len()).max().unwrap_or(1).max(1);
    lines as f32 * line + 2.0 * pad
}

fn draw_cells(
    page: &mut Canvas,
    table: &Table,
    cells: &[Cow<'_, [String]>],
    left: f32,
    top: f32,
    pad: f32,
) {
    let mut x = left;
    for (column, cell) in table.columns.iter().zip(cells) {
        let style = Style {
            face: column.face,
            size: table.size,
            colour: Colour::TEXT,
        };
        draw_cell(page, column, x, top + pad, cell, style);
        x += column.width;
    }
}

/// The lines of one cell, the first line box starting at `top` (below the cell's padding).
fn draw_cell(page: &mut Canvas, column: &Column, x: f32, top: f32, lines: &[String], style: Style) {
    let line = line_height(style);
    let anchor = match column.align {
        Align::Left => x + CELL_PAD_X,
        Align::Right => x + column.width - CELL_PAD_X,
        Align::Center => x + column.width / 2.0,
    };
    for (i, text) in lines.iter().enumerate() {
        let baseline = top + (i + 1) as f32 * line - descent(style);
        page.text(anchor, baseline, column.align, style, text);
    }
}
