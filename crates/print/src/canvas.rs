//! One page being drawn, in millimetres from the top-left corner (how a page is designed),
//! turned into printpdf operations measured in points from the bottom-left (how PDF counts).

use printpdf::{
    Color, FontId, Line, LineDashPattern, LinePoint, Op, PaintMode, PdfFontHandle, PdfPage, Point,
    Pt, Rect, Rgb, TextItem, XObjectId, XObjectTransform,
};

use crate::fonts::{Face, Faces, MM_PER_PT};

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

    fn pdf(self) -> Color {
        Color::Rgb(Rgb {
            r: self.0,
            g: self.1,
            b: self.2,
            icc_profile: None,
        })
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

pub(crate) struct Canvas {
    pub(crate) width: f32,
    pub(crate) height: f32,
    faces: &'static Faces,
    fonts: FontIds,
    /// Shapes are painted first, text on top: PDF forbids path operators inside a text object.
    shapes: Vec<Op>,
    text: Vec<Op>,
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

/// Millimetres to points, to a hundredth of a point: finer than any printer or screen tells
/// apart, and two decimals at most in the file.
fn pt(mm: f32) -> Pt {
    Pt(centipoints(mm) as f32 / 100.0)
}

fn centipoints(mm: f32) -> i32 {
    (mm / MM_PER_PT * 100.0).round() as i32
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
            text_font: None,
            text_colour: None,
            line_start: (0, 0),
            fill_colour: None,
            stroke: None,
            dash: None,
        }
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
        if self.text_font != Some((style.face, style.size)) {
            let id = match style.face {
                Face::Regular => self.fonts.regular.clone(),
                Face::Bold => self.fonts.bold.clone(),
            };
            self.text.push(Op::SetFont {
                font: PdfFontHandle::External(id),
                size: Pt(style.size),
            });
            self.text_font = Some((style.face, style.size));
        }
        if self.text_colour != Some(style.colour) {
            self.text.push(Op::SetFillColor {
                col: style.colour.pdf(),
            });
            self.text_colour = Some(style.colour);
        }
        let to = (centipoints(left), centipoints(self.height - baseline));
        let (dx, dy) = (to.0 - self.line_start.0, to.1 - self.line_start.1);
        self.text.push(Op::SetTextCursor {
            pos: Point {
                x: Pt(dx as f32 / 100.0),
                y: Pt(dy as f32 / 100.0),
            },
        });
        self.line_start = to;
        self.text.push(Op::ShowText {
            items: vec![TextItem::Text(content.to_string())],
        });
    }

    pub(crate) fn fill_rect(&mut self, x: f32, top: f32, width: f32, height: f32, colour: Colour) {
        if self.fill_colour != Some(colour) {
            self.shapes.push(Op::SetFillColor { col: colour.pdf() });
            self.fill_colour = Some(colour);
        }
        self.shapes.push(Op::DrawRectangle {
            rectangle: Rect {
                mode: Some(PaintMode::Fill),
                ..Rect::from_xywh(pt(x), pt(self.height - top - height), pt(width), pt(height))
            },
        });
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
        self.shapes.push(Op::DrawRectangle {
            rectangle: Rect {
                mode: Some(PaintMode::Stroke),
                ..Rect::from_xywh(pt(x), pt(self.height - top - height), pt(width), pt(height))
            },
        });
    }

    /// A horizontal rule from `x1` to `x2` at `y` mm from the top.
    pub(crate) fn rule(&mut self, x1: f32, x2: f32, y: f32, colour: Colour, thickness_pt: f32) {
        self.set_stroke(colour, thickness_pt);
        let at = |x: f32| LinePoint {
            p: Point {
                x: pt(x),
                y: pt(self.height - y),
            },
            bezier: false,
        };
        self.shapes.push(Op::DrawLine {
            line: Line {
                points: vec![at(x1), at(x2)],
                is_closed: false,
            },
        });
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
        let dpi = longest / (box_size / 25.4);
        let (w, h) = (
            px_width as f32 / longest * box_size,
            px_height as f32 / longest * box_size,
        );
        let left = x + (box_size - w) / 2.0;
        let bottom = top + (box_size + h) / 2.0;
        self.shapes.push(Op::UseXobject {
            id: id.clone(),
            transform: XObjectTransform {
                translate_x: Some(pt(left)),
                translate_y: Some(pt(self.height - bottom)),
                dpi: Some(dpi),
                ..Default::default()
            },
        });
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
            let pattern = match dash {
                Some(d) => LineDashPattern::new(0.0, &d),
                None => LineDashPattern::solid(),
            };
            self.shapes.push(Op::SetLineDashPattern { dash: pattern });
            self.dash = dash;
        }
        let height = self.height;
        self.shapes.push(Op::DrawLine {
            line: Line {
                points: points
                    .iter()
                    .map(|&(x, y)| LinePoint {
                        p: Point {
                            x: pt(x),
                            y: pt(height - y),
                        },
                        bezier: false,
                    })
                    .collect(),
                is_closed: false,
            },
        });
    }

    fn set_stroke(&mut self, colour: Colour, thickness_pt: f32) {
        if self.stroke != Some((colour, thickness_pt)) {
            self.shapes.push(Op::SetOutlineColor { col: colour.pdf() });
            self.shapes.push(Op::SetOutlineThickness {
                pt: Pt(thickness_pt),
            });
            self.stroke = Some((colour, thickness_pt));
        }
    }

    pub(crate) fn into_page(self) -> PdfPage {
        let mut ops = self.shapes;
        ops.reserve(self.text.len() + 2);
        if !self.text.is_empty() {
            ops.push(Op::StartTextSection);
            ops.extend(self.text);
            ops.push(Op::EndTextSection);
        }
        PdfPage::new(printpdf::Mm(self.width), printpdf::Mm(self.height), ops)
    }
}
