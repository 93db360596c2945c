//! The page frame every document shares: letterhead with crest, document title, number and
//! date at the top; "Pagina X di Y" at the bottom; RISERVATO on reserved documents.
//!
//! The frame repeats in full on every page, so a page pinned alone on a notice board still says
//! which office issued it and which document it belongs to.

use printpdf::{
    FontId, Mm, Op, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, RawImage,
    TextItem, XObjectId,
};

use crate::PrintError;
use crate::canvas::{Align, Canvas, Colour, FontIds, Style};
use crate::flow::Flow;
use crate::fonts::{Face, Faces, Subset};

/// Who issues the document: the comune for a receipt, the district (through its capofila) for
/// a ranking.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Letterhead {
    /// First line in evidence ("Comune di Fontebianca"), then smaller lines
    /// ("Distretto socio-sanitario D99 Valle dei Test", the office ...).
    pub title_lines: Vec<String>,
    /// The crest as PNG bytes, when the office has one (e.g. `assets/crest.png`).
    pub crest_png: Option<Vec<u8>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Orientation {
    Portrait,
    Landscape,
}

/// What the frame of one document says.
pub(crate) struct FrameSpec<'a> {
    pub(crate) letterhead: &'a Letterhead,
    pub(crate) orientation: Orientation,
    /// "Ricevuta di presentazione", "Graduatoria pubblica provvisoria" ...
    pub(crate) title: String,
    /// Number and date: "Pratica n. 2026/0000123 del 12/03/2026".
    pub(crate) reference: String,
    /// Left of the page number in the footer.
    pub(crate) footer: String,
    /// Reserved documents carry RISERVATO on every page.
    pub(crate) reserved: bool,
}

const HEADER_TOP: f32 = 10.0;
const CREST_SIZE: f32 = 20.0;
const FOOTER_HEIGHT: f32 = 16.0;

const LETTERHEAD_FIRST: Style = Style::bold(12.5).coloured(Colour::ACCENT);
const LETTERHEAD_OTHER: Style = Style::regular(9.0).coloured(Colour::MUTED);
const TITLE: Style = Style::bold(14.0);
const REFERENCE: Style = Style::regular(9.0).coloured(Colour::MUTED);
const FOOTER: Style = Style::regular(7.5).coloured(Colour::MUTED);
const PAGE_NUMBER: Style = Style::regular(8.0);
const RESERVED_MARK: Style = Style::bold(12.0).coloured(Colour::RESERVED);

pub(crate) struct Frame<'a> {
    spec: FrameSpec<'a>,
    pub(crate) faces: &'static Faces,
    pub(crate) fonts: FontIds,
    crest: Option<(XObjectId, (usize, usize))>,
    pub(crate) width: f32,
    pub(crate) height: f32,
    pub(crate) margin: f32,
    /// Letterhead lines after wrapping, with their styles.
    letterhead_lines: Vec<(String, Style)>,
    title_lines: Vec<String>,
    reference_lines: Vec<String>,
    /// Where the body starts and must end on every page (mm from the top).
    pub(crate) body_top: f32,
    pub(crate) body_bottom: f32,
}

impl<'a> Frame<'a> {
    fn new(
        spec: FrameSpec<'a>,
        faces: &'static Faces,
        fonts: FontIds,
        crest: Option<(XObjectId, (usize, usize))>,
    ) -> Self {
        let (width, height, margin) = match spec.orientation {
            Orientation::Portrait => (210.0, 297.0, 16.0),
            Orientation::Landscape => (297.0, 210.0, 12.0),
        };
        let text_left = margin
            + if crest.is_some() {
                CREST_SIZE + 4.0
            } else {
                0.0
            };
        let reserved_width = if spec.reserved { 34.0 } else { 0.0 };
        let letterhead_width = width - margin - text_left - reserved_width;
        let mut letterhead_lines = Vec::new();
        for (i, line) in spec.letterhead.title_lines.iter().enumerate() {
            let style = if i == 0 {
                LETTERHEAD_FIRST
            } else {
                LETTERHEAD_OTHER
            };
            for wrapped in faces.wrap(style.face, line, style.size, letterhead_width) {
                letterhead_lines.push((wrapped, style));
            }
        }
        let content_width = width - 2.0 * margin;
        let title_lines = faces.wrap(TITLE.face, &spec.title, TITLE.size, content_width);
        let reference_lines = faces.wrap(
            REFERENCE.face,
            &spec.reference,
            REFERENCE.size,
            content_width,
        );

        let letterhead_bottom = HEADER_TOP + letterhead_height(&letterhead_lines);
        let crest_bottom = if crest.is_some() {
            HEADER_TOP + CREST_SIZE
        } else {
            HEADER_TOP
        };
        let rule = letterhead_bottom.max(crest_bottom) + 2.5;
        let body_top = rule
            + 3.0
            + title_lines.len() as f32 * line_height(TITLE)
            + reference_lines.len() as f32 * line_height(REFERENCE)
            + 4.0;
        Self {
            spec,
            faces,
            fonts,
            crest,
            width,
            height,
            margin,
            letterhead_lines,
            title_lines,
            reference_lines,
            body_top,
            body_bottom: height - FOOTER_HEIGHT,
        }
    }

    pub(crate) fn content_width(&self) -> f32 {
        self.width - 2.0 * self.margin
    }

    /// A blank page with the header drawn; the footer waits for the page count.
    pub(crate) fn new_page(&self) -> Canvas {
        let mut page = Canvas::new(self.width, self.height, self.faces, self.fonts.clone());
        let left = self.margin;
        let right = self.width - self.margin;
        let mut text_left = left;
        if let Some((id, size)) = &self.crest {
            page.image(id, *size, left, HEADER_TOP, CREST_SIZE);
            text_left += CREST_SIZE + 4.0;
        }
        let mut y = HEADER_TOP;
        for (line, style) in &self.letterhead_lines {
            y += line_height(*style);
            page.text(text_left, y - descent(*style), Align::Left, *style, line);
        }
        if self.spec.reserved {
            let (w, h) = (32.0, 9.0);
            page.stroke_rect(right - w, HEADER_TOP, w, h, Colour::RESERVED, 1.2);
            page.text(
                right - w / 2.0,
                HEADER_TOP + h / 2.0 + RESERVED_MARK.size_mm() * 0.36,
                Align::Center,
                RESERVED_MARK,
                "RISERVATO",
            );
        }
        let crest_bottom = if self.crest.is_some() {
            HEADER_TOP + CREST_SIZE
        } else {
            HEADER_TOP
        };
        let mut y = y.max(crest_bottom) + 2.5;
        page.rule(left, right, y, Colour::ACCENT, 1.0);
        y += 3.0;
        for line in &self.title_lines {
            y += line_height(TITLE);
            page.text(left, y - descent(TITLE), Align::Left, TITLE, line);
        }
        for line in &self.reference_lines {
            y += line_height(REFERENCE);
            page.text(left, y - descent(REFERENCE), Align::Left, REFERENCE, line);
        }
        page
    }

    fn draw_footer(&self, page: &mut Canvas, number: usize, total: usize) {
        let left = self.margin;
        let right = self.width - self.margin;
        let rule = self.height - FOOTER_HEIGHT + 4.0;
        page.rule(left, right, rule, Colour::RULE, 0.5);
        let baseline = rule + 5.0;
        let mut note = self.spec.footer.clone();
        if self.spec.reserved {
            note = format!("RISERVATO · {note}");
        }
        let number_text = format!("Pagina {number} di {total}");
        let room = right
            - left
            - self
                .faces
                .width_mm(PAGE_NUMBER.face, &number_text, PAGE_NUMBER.size)
            - 6.0;
        let note = self
            .faces
            .wrap(FOOTER.face, &note, FOOTER.size, room)
            .into_iter()
            .next()
            .unwrap_or_default();
        page.text(left, baseline, Align::Left, FOOTER, &note);
        page.text(right, baseline, Align::Right, PAGE_NUMBER, &number_text);
    }
}

/// Line height for a style: 1.25 em, in millimetres.
pub(crate) fn line_height(style: Style) -> f32 {
    style.size_mm() * 1.25
}

/// From a line box's bottom up to the baseline: the descenders' room.
pub(crate) fn descent(style: Style) -> f32 {
    style.size_mm() * 0.3
}

fn letterhead_height(lines: &[(String, Style)]) -> f32 {
    lines.iter().map(|(_, style)| line_height(*style)).sum()
}

/// Builds one document: registers fonts and crest, lets `body` flow its content through the
/// pages, then numbers the pages and serialises the PDF.
pub(crate) fn render(
    spec: FrameSpec<'_>,
    body: impl FnOnce(&mut Flow<'_>) -> Result<(), PrintError>,
) -> Result<Vec<u8>, PrintError> {
    let faces = Faces::get()?;
    let mut doc = PdfDocument::new(&spec.title);
    doc.metadata.info.creator = "Sportello".into();
    doc.metadata.info.producer = "Sportello (printpdf)".into();
    // Short resource names, not printpdf's 32 random letters: a long list selects a face by
    // name twice a row. Six capitals, as they also tag the subset (`DJVREG+DejaVuSans`).
    let fonts = FontIds {
        regular: FontId("DJVREG".into()),
        bold: FontId("DJVBLD".into()),
    };
    for (id, metrics) in [(&fonts.regular, &faces.regular), (&fonts.bold, &faces.bold)] {
        let font = PdfFont::new(metrics.font.clone());
        doc.resources.fonts.map.insert(id.clone(), font);
    }
    let crest = match &spec.letterhead.crest_png {
        Some(bytes) => {
            let image =
                RawImage::decode_from_bytes(bytes, &mut Vec::new()).map_err(PrintError::Crest)?;
            let size = (image.width, image.height);
            Some((doc.add_image(&image), size))
        }
        None => None,
    };
    let frame = Frame::new(spec, faces, fonts.clone(), crest);
    let mut flow = Flow::new(&frame);
    body(&mut flow)?;
    let mut pages = flow.into_pages();
    let total = pages.len();
    let mut subset = Subset::default();
    for (i, page) in pages.iter_mut().enumerate() {
        frame.draw_footer(page, i + 1, total);
        page.add_glyphs(&mut subset);
    }
    subset.number();
    let pages = pages
        .into_iter()
        .map(|p| (Mm(p.width), Mm(p.height), p.into_content(&subset)))
        .collect();
    Ok(save(&mut doc, &fonts, &subset, pages))
}

/// The PDF's bytes. printpdf builds the objects: fonts subset to the glyphs used (told them by
/// showing every glyph once on the first page), the crest, the pages; then each page gets its
/// own content stream, every stream is deflated, and the small objects (pages, resources,
/// font dictionaries) travel deflated too, in object streams with a cross-reference stream
/// (PDF 1.5) instead of one uncompressed dictionary and xref line each.
fn save(
    doc: &mut PdfDocument,
    fonts: &FontIds,
    subset: &Subset,
    pages: Vec<(Mm, Mm, Vec<u8>)>,
) -> Vec<u8> {
    let mut glyphs = vec![Op::StartTextSection];
    for (face, id) in [(Face::Regular, &fonts.regular), (Face::Bold, &fonts.bold)] {
        let used = subset.used(face);
        if !used.is_empty() {
            glyphs.push(Op::SetFont {
                font: PdfFontHandle::External(id.clone()),
                size: Pt(1.0),
            });
            glyphs.push(Op::ShowText {
                items: vec![TextItem::GlyphIds(used)],
            });
        }
    }
    glyphs.push(Op::EndTextSection);
    let mut ops = Some(glyphs);
    let (blank, contents): (Vec<_>, Vec<_>) = pages
        .into_iter()
        .map(|(w, h, content)| (PdfPage::new(w, h, ops.take().unwrap_or_default()), content))
        .unzip();
    let mut pdf = doc
        .with_pages(blank)
        .to_lopdf_document(&PdfSaveOptions::default(), &mut Vec::new());
    for (page, content) in pdf
        .page_iter()
        .collect::<Vec<_>>()
        .into_iter()
        .zip(contents)
    {
        let stream = pdf
            .get_dictionary(page)
            .and_then(|d| d.get(b"Contents"))
            .and_then(lopdf::Object::as_reference)
            .and_then(|id| pdf.get_object_mut(id))
            .and_then(lopdf::Object::as_stream_mut)
            .expect("printpdf gives every page a content stream");
        stream.set_content(content);
    }
    for object in pdf.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object {
            deflate(stream);
        }
    }
    let mut bytes = Vec::new();
    let options = lopdf::SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        .build();
    pdf.save_with_options(&mut bytes, options)
        .expect("writing a PDF into memory does not fail");
    bytes
}

/// Deflates a stream not compressed yet, at zlib's default level: level 9 (what printpdf
/// asks for) took about a sixth of a whole 10,000-row ranking process (48 ms of 274) for a
/// file 2.5 % smaller (docs/benchmarks.md).
fn deflate(stream: &mut lopdf::Stream) {
    use std::io::Write;
    if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
        return;
    }
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    if encoder.write_all(&stream.content).is_err() {
        return;
    }
    if let Ok(compressed) = encoder.finish()
        && compressed.len() + 19 < stream.content.len()
    {
        stream.dict.set("Filter", "FlateDecode");
        stream.set_content(compressed);
    }
}
