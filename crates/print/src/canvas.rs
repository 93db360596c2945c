//! One page being drawn, in millimetres from the top-left corner (how a page is designed),
//! written straight into the page's PDF content stream, in points from the bottom-left (how
//! PDF counts).
//!
//! The operators are written as bytes as they come, numbers to a hundredth of a point: a
//! 10,000-row ranking draws some 100,000 of them, and one allocated operation object each
//! (printpdf's `Op`, then lopdf's) cost more than the rest of the document. Only the glyph
//! codes of the text wait for the end of the document, when the font subsets' numbering is
//! known ([`Subset`]).

use std::ops::Range;

use printpdf::{FontId, XObjectId};

use crate::fonts::{Face, Faces, MM_PER_PT, Subset};

/// How a run of text is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    pub(crate) face: Face,
    pub(crate) size: f32,
    pub(crate) colour: Colour,
}

impl Style {
    pub(crate) const fn regular(size: f32) -> Self {
        Self {
            face: Face::Regular,
            size,
            colour: Colour::TEXT,
        }
    }

    pub(crate) const fn bold(size: f32) -> Self {
        Self {
            face: Face::Bold,
            size,
            colour: Colour::TEXT,
        }
    }

    pub(crate) const fn coloured(self, colour: Colour) -> Self {
        Self { colour, ..self }
    }

    /// Height of the font's em square, in millimetres.
    pub(crate) fn size_mm(self) -> f32 {
        self.size * MM_PER_PT
    }
}

/// Colours of the documents: black text, a sober blue for rules and headings, greys for fills.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Colour(pub f32, pub f32, pub f32);

impl Colour {
    pub(crate) const TEXT: Colour = Colour(0.0, 0.0, 0.0);
    pub(crate) const MUTED: Colour = Colour(0.35, 0.35, 0.35);
    pub(crate) const ACCENT: Colour = Colour(0.10, 0.22, 0.42);
    pub(crate) const RESERVED: Colour = Colour(0.70, 0.05, 0.05);
    pub(crate) const HEADER_FILL: Colour = Colour(0.86, 0.89, 0.93);
    pub(crate) const STRIPE_FILL: Colour = Colour(0.95, 0.96, 0.97);
    pub(crate) const BOX_FILL: Colour = Colour(0.93, 0.95, 0.98);
    pub(crate) const RULE: Colour = Colour(0.65, 0.68, 0.72);

    /// `r g b`, each to a hundredth (the documents' colours have two decimals at most).
    fn write(self, out: &mut Vec<u8>) {
        for c in [self.0, self.1, self.2] {
            number(out, (c * 100.0).round() as i32);
            out.push(b' ');
        }
    }
}

/// Font resources registered once per document.
#[derive(Debug, Clone)]
pub(crate) struct FontIds {
    pub(crate) regular: FontId,
    pub(crate) bold: FontId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
    Center,
}

/// A run of text shown by a `Tj` whose glyph codes are still to be written.
struct Run {
    /// Where the codes go in [`Canvas::text`].
    at: usize,
    face: Face,
    /// The characters, in [`Canvas::chars`].
    chars: Range<usize>,
}

pub(crate) struct Canvas {
    pub(crate) width: f32,
    pub(crate) height: f32,
    faces: &'static Faces,
    fonts: FontIds,
    /// Shapes are painted first, text on top: PDF forbids path operators inside a text object.
    shapes: Vec<u8>,
    /// The text object's operators, without the strings of its runs.
    text: Vec<u8>,
    runs: Vec<Run>,
    chars: String,
    text_font: Option<(Face, f32)>,
    text_colour: Option<Colour>,
    /// Where the current text line starts, in hundredths of a point from the bottom-left:
    /// each run of text is placed by a relative move (`Td`) from there, with no full text
    /// matrix per run; the origin at the start of the page's text object.
    line_start: (i32, i32),
    fill_colour: Option<Colour>,
    stroke: Option<(Colour, f32)>,
    /// The dash of strokes, in points; `None` is a solid line.
    dash: Option<[f32; 2]>,
}

/// Millimetres to hundredths of a point: finer than any printer or screen tells apart, and
/// two decimals at most in the file.
fn centipoints(mm: f32) -> i32 {
    (mm / MM_PER_PT * 100.0).round() as i32
}

/// Points (a size, a thickness) to hundredths.
fn hundredths(pt: f32) -> i32 {
    (pt * 100.0).round() as i32
}

/// Writes hundredths as a PDF number: `-12.5`, `0.07`, `3`.
fn number(out: &mut Vec<u8>, hundredths: i32) {
    if hundredths < 0 {
        out.push(b'-');
    }
    let n = hundredths.unsigned_abs();
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    let mut whole = n / 100;
    loop {
        start -= 1;
        digits[start] = b'0' + (whole % 10) as u8;
        whole /= 10;
        if whole == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[start..]);
    let fraction = n % 100;
    if fraction != 0 {
        out.push(b'.');
        out.push(b'0' + (fraction / 10) as u8);
        if !fraction.is_multiple_of(10) {
            out.push(b'0' + (fraction % 10) as u8);
        }
    }
}

/// Writes `x y` (hundredths of a point) followed by a space.
fn point(out: &mut Vec<u8>, (x, y): (i32, i32)) {
    number(out, x);
    out.push(b' ');
    number(out, y);
    out.push(b' ');
}

impl Canvas {
    pub(crate) fn new(width: f32, height: f32, faces: &'static Faces, fonts: FontIds) -> Self {
        Self {
            width,
            height,
            faces,
            fonts,
            shapes: Vec::new(),
            text: Vec::new(),
            runs: Vec::new(),
            chars: String::new(),
            text_font: None,
            text_colour: None,
            line_start: (0, 0),
            fill_colour: None,
            stroke: None,
            dash: None,
        }
    }

    /// A point `x`, `y` mm from the top-left, in hundredths of a point from the bottom-left.
    fn at(&self, x: f32, y: f32) -> (i32, i32) {
        (centipoints(x), centipoints(self.height - y))
    }

    /// Text whose baseline is `baseline` mm from the top; `x` is its left, right or centre edge.
    pub(crate) fn text(
        &mut self,
        x: f32,
        baseline: f32,
        align: Align,
        style: Style,
        content: &str,
    ) {
        if content.is_empty() {
            return;
        }
        let left = match align {
            Align::Left => x,
            Align::Right => x - self.faces.width_mm(style.face, content, style.size),
            Align::Center => x - self.faces.width_mm(style.face, content, style.size) / 2.0,
        };
        let out = &mut self.text;
        if self.text_font != Some((style.face, style.size)) {
            let id = match style.face {
                Face::Regular => &self.fonts.regular,
                Face::Bold => &self.fonts.bold,
            };
            out.push(b'/');
            out.extend_from_slice(id.0.as_bytes());
            out.push(b' ');
            number(out, hundredths(style.size));
            out.extend_from_slice(b" Tf\n");
            self.text_font = Some((style.face, style.size));
        }
        if self.text_colour != Some(style.colour) {
            style.colour.write(out);
            out.extend_from_slice(b"rg\n");
            self.text_colour = Some(style.colour);
        }
        let to = (centipoints(left), centipoints(self.height - baseline));
        point(out, (to.0 - self.line_start.0, to.1 - self.line_start.1));
        out.extend_from_slice(b"Td\n");
        self.line_start = to;
        let start = self.chars.len();
        self.chars.push_str(content);
        self.runs.push(Run {
            at: out.len(),
            face: style.face,
            chars: start..self.chars.len(),
        });
        out.extend_from_slice(b" Tj\n");
    }

    pub(crate) fn fill_rect(&mut self, x: f32, top: f32, width: f32, height: f32, colour: Colour) {
        if self.fill_colour != Some(colour) {
            colour.write(&mut self.shapes);
            self.shapes.extend_from_slice(b"rg\n");
            self.fill_colour = Some(colour);
        }
        self.rect(x, top, width, height, b"f\n");
    }

    pub(crate) fn stroke_rect(
        &mut self,
        x: f32,
        top: f32,
        width: f32,
        height: f32,
        colour: Colour,
        thickness_pt: f32,
    ) {
        self.set_stroke(colour, thickness_pt);
        self.rect(x, top, width, height, b"S\n");
    }

    /// `x y w h re` and how it is painted.
    fn rect(&mut self, x: f32, top: f32, width: f32, height: f32, paint: &[u8]) {
        let corner = (centipoints(x), centipoints(self.height - top - height));
        let out = &mut self.shapes;
        point(out, corner);
        point(out, (centipoints(width), centipoints(height)));
        out.extend_from_slice(b"re\n");
        out.extend_from_slice(paint);
    }

    /// A horizontal rule from `x1` to `x2` at `y` mm from the top.
    pub(crate) fn rule(&mut self, x1: f32, x2: f32, y: f32, colour: Colour, thickness_pt: f32) {
        self.set_stroke(colour, thickness_pt);
        self.path(&[(x1, y), (x2, y)]);
    }

    /// Places an image of `px_width` × `px_height` pixels into a box, keeping its proportions.
    pub(crate) fn image(
        &mut self,
        id: &XObjectId,
        (px_width, px_height): (usize, usize),
        x: f32,
        top: f32,
        box_size: f32,
    ) {
        if px_width == 0 || px_height == 0 {
            return;
        }
        let longest = px_width.max(px_height) as f32;
        let (w, h) = (
            px_width as f32 / longest * box_size,
            px_height as f32 / longest * box_size,
        );
        let corner = self.at(x + (box_size - w) / 2.0, top + (box_size + h) / 2.0);
        // The image is a unit square: the matrix scales it to its size and moves it in place.
        let out = &mut self.shapes;
        out.extend_from_slice(b"q\n");
        number(out, centipoints(w));
        out.extend_from_slice(b" 0 0 ");
        number(out, centipoints(h));
        out.push(b' ');
        point(out, corner);
        out.extend_from_slice(b"cm\n/");
        out.extend_from_slice(id.0.as_bytes());
        out.extend_from_slice(b" Do\nQ\n");
    }

    /// A line through `points` (x, y in mm from the top-left), dashed when `dash` gives the
    /// dash and gap lengths in points: how a chart draws a trend or a target.
    pub(crate) fn polyline(
        &mut self,
        points: &[(f32, f32)],
        colour: Colour,
        thickness_pt: f32,
        dash: Option<[f32; 2]>,
    ) {
        if points.len() < 2 {
            return;
        }
        self.set_stroke(colour, thickness_pt);
        if self.dash != dash {
            let out = &mut self.shapes;
            out.push(b'[');
            for (i, length) in dash.iter().flatten().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                number(out, hundredths(*length));
            }
            out.extend_from_slice(b"] 0 d\n");
            self.dash = dash;
        }
        self.path(points);
    }

    /// `m`, `l` … `S`: an open stroked path.
    fn path(&mut self, points: &[(f32, f32)]) {
        for (i, &(x, y)) in points.iter().enumerate() {
            let p = self.at(x, y);
            point(&mut self.shapes, p);
            self.shapes
                .extend_from_slice(if i == 0 { b"m\n" } else { b"l\n" });
        }
        self.shapes.extend_from_slice(b"S\n");
    }

    fn set_stroke(&mut self, colour: Colour, thickness_pt: f32) {
        if self.stroke != Some((colour, thickness_pt)) {
            let out = &mut self.shapes;
            colour.write(out);
            out.extend_from_slice(b"RG\n");
            number(out, hundredths(thickness_pt));
            out.extend_from_slice(b" w\n");
            self.stroke = Some((colour, thickness_pt));
        }
    }

    /// Records the glyphs this page shows, for the document's font subsets.
    pub(crate) fn add_glyphs(&self, subset: &mut Subset) {
        for run in &self.runs {
            let metrics = self.faces.metrics(run.face);
            for c in self.chars[run.chars.clone()].chars() {
                subset.add(run.face, metrics.glyph(c), c);
            }
        }
    }

    /// The page's content stream: the shapes, then one text object whose runs show the glyph
    /// codes of the document's `subset` (every glyph of this page added to it).
    pub(crate) fn into_content(self, subset: &Subset) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            self.shapes.len() + self.text.len() + 4 * self.chars.len() + 2 * self.runs.len() + 8,
        );
        out.extend_from_slice(&self.shapes);
        if self.runs.is_empty() {
            return out;
        }
        out.extend_from_slice(b"BT\n");
        let mut copied = 0;
        for run in &self.runs {
            out.extend_from_slice(&self.text[copied..run.at]);
            copied = run.at;
            let metrics = self.faces.metrics(run.face);
            out.push(b'<');
            for c in self.chars[run.chars.clone()].chars() {
                let code = subset.code(run.face, metrics.glyph(c));
                out.extend_from_slice(&hex(code));
            }
            out.push(b'>');
        }
        out.extend_from_slice(&self.text[copied..]);
        out.extend_from_slice(b"ET");
        out
    }
}

/// A glyph code as the four hex digits of a CID string (Identity-H: two bytes a glyph).
fn hex(code: u16) -> [u8; 4] {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    [12, 8, 4, 0].map(|shift| DIGITS[usize::from((code >> shift) & 0xF)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(hundredths: i32) -> String {
        let mut out = Vec::new();
        number(&mut out, hundredths);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_are_written_with_two_decimals_at_most() {
        assert_eq!(written(0), "0");
        assert_eq!(written(300), "3");
        assert_eq!(written(1250), "12.5");
        assert_eq!(written(7), "0.07");
        assert_eq!(written(-1230), "-12.3");
        assert_eq!(written(-5), "-0.05");
        assert_eq!(written(84189), "841.89");
    }

    #[test]
    fn glyph_codes_are_four_hex_digits() {
        assert_eq!(&hex(0x002C), b"002C");
        assert_eq!(&hex(0xBEEF), b"BEEF");
    }
}
