//! The embedded typeface (DejaVu Sans, licence in `assets/fonts/LICENSE`) and text measurement.
//!
//! Every document embeds the same two faces; printpdf subsets them on save, so a file carries
//! only the glyphs it uses ([`Subset`]). Widths come from the font's own advances (the pages
//! show plain glyph runs without kerning), so what we measure is what the reader draws.

use std::sync::OnceLock;

use printpdf::{Codepoint, ParsedFont};

use crate::PrintError;

const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Millimetres per typographic point.
pub(crate) const MM_PER_PT: f32 = 25.4 / 72.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
}

/// A parsed face with precomputed glyph and advance tables for the characters documents use
/// most.
pub(crate) struct Metrics {
    pub(crate) font: ParsedFont,
    units_per_em: f32,
    /// Advances of U+0000..U+0250 (Latin, accents, punctuation), in font units.
    common: Vec<u16>,
    /// Glyph ids of the same characters.
    common_glyphs: Vec<u16>,
}

const COMMON_CHARS: u32 = 0x250;

impl Metrics {
    fn parse(bytes: &[u8]) -> Option<Self> {
        let font = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())?;
        let units_per_em = f32::from(font.font_metrics.units_per_em.max(1));
        let common = (0..COMMON_CHARS)
            .map(|c| advance_of(&font, c))
            .collect::<Vec<_>>();
        let common_glyphs = (0..COMMON_CHARS)
            .map(|c| font.lookup_glyph_index(c).unwrap_or(0))
            .collect::<Vec<_>>();
        Some(Self {
            font,
            units_per_em,
            common,
            common_glyphs,
        })
    }

    /// The glyph that shows `c`; 0 (.notdef, an empty box) when the face has none.
    pub(crate) fn glyph(&self, c: char) -> u16 {
        let cp = c as u32;
        if cp < COMMON_CHARS {
            self.common_glyphs[cp as usize]
        } else {
            self.font.lookup_glyph_index(cp).unwrap_or(0)
        }
    }

    /// Width of `text` set at `size_pt`, in millimetres.
    pub(crate) fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| {
                let cp = c as u32;
                u32::from(if cp < COMMON_CHARS {
                    self.common[cp as usize]
                } else {
                    advance_of(&self.font, cp)
                })
            })
            .sum();
        units as f32 / self.units_per_em * size_pt * MM_PER_PT
    }
}

fn advance_of(font: &ParsedFont, codepoint: u32) -> u16 {
    font.lookup_glyph_index(codepoint)
        .map(|gid| font.get_horizontal_advance(gid))
        .unwrap_or(0)
}

/// The glyphs a document shows in each face, and the codes its pages show them by.
///
/// printpdf embeds each face subset to the glyphs it is told are used, renumbered: .notdef
/// first, then the used glyphs in the order of their original ids (`printpdf::subset_font`
/// documents that order as authoritative, and a test below holds it). The content streams
/// are written with those codes, once every page has added its glyphs.
#[derive(Default)]
pub(crate) struct Subset {
    /// By face, then by original glyph id: the character last shown with that glyph (what
    /// the file's ToUnicode map gives back when text is copied).
    chars: [Vec<Option<char>>; 2],
    /// By face, then by original glyph id: the code in the subset (0 for glyphs not used).
    codes: [Vec<u16>; 2],
}

impl Subset {
    fn index(face: Face) -> usize {
        match face {
            Face::Regular => 0,
            Face::Bold => 1,
        }
    }

    /// Records that `glyph` shows `c` in `face` (glyph 0, nothing to show, is not recorded).
    pub(crate) fn add(&mut self, face: Face, glyph: u16, c: char) {
        if glyph == 0 {
            return;
        }
        let chars = &mut self.chars[Self::index(face)];
        let at = usize::from(glyph);
        if chars.len() <= at {
            chars.resize(at + 1, None);
        }
        chars[at] = Some(c);
    }

    /// Numbers the glyphs added as the subsets will: call once all pages have added theirs.
    pub(crate) fn number(&mut self) {
        for (chars, codes) in self.chars.iter().zip(&mut self.codes) {
            codes.clear();
            codes.resize(chars.len(), 0);
            let mut next = 1;
            for (code, char) in codes.iter_mut().zip(chars) {
                if char.is_some() {
                    *code = next;
                    next += 1;
                }
            }
        }
    }

    /// The code that shows `glyph` of `face` (0, .notdef, for a glyph never added).
    pub(crate) fn code(&self, face: Face, glyph: u16) -> u16 {
        self.codes[Self::index(face)]
            .get(usize::from(glyph))
            .copied()
            .unwrap_or(0)
    }

    /// The glyphs used in `face`, as printpdf takes them to subset the face: shown once, on
    /// a page whose content is then replaced.
    pub(crate) fn used(&self, face: Face) -> Vec<Codepoint> {
        self.chars[Self::index(face)]
            .iter()
            .enumerate()
            .filter_map(|(glyph, c)| {
                c.map(|c| Codepoint {
                    gid: glyph as u16,
                    offset: 0.0,
                    cid: Some(c.to_string()),
                })
            })
            .collect()
    }
}

pub(crate) struct Faces {
    pub(crate) regular: Metrics,
    pub(crate) bold: Metrics,
}

impl Faces {
    /// The embedded faces, parsed once per process (parsing costs more than a receipt).
    pub(crate) fn get() -> Result<&'static Faces, PrintError> {
        static FACES: OnceLock<Option<Faces>> = OnceLock::new();
        FACES
            .get_or_init(|| {
                Some(Faces {
                    regular: Metrics::parse(REGULAR_TTF)?,
                    bold: Metrics::parse(BOLD_TTF)?,
                })
            })
            .as_ref()
            .ok_or(PrintError::Font)
    }

    pub(crate) fn metrics(&self, face: Face) -> &Metrics {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    pub(crate) fn width_mm(&self, face: Face, text: &str, size_pt: f32) -> f32 {
        self.metrics(face).width_mm(text, size_pt)
    }

    /// Breaks `text` into lines no wider than `width_mm`, at spaces where possible and inside
    /// a word only when the word alone is too wide. Explicit newlines are kept.
    pub(crate) fn wrap(&self, face: Face, text: &str, size_pt: f32, width_mm: f32) -> Vec<String> {
        let metrics = self.metrics(face);
        let space = metrics.width_mm(" ", size_pt);
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_width = 0.0;
            for word in paragraph.split_whitespace() {
                let word_width = metrics.width_mm(word, size_pt);
                if !line.is_empty() && line_width + space + word_width <= width_mm {
                    line.push(' ');
                    line.push_str(word);
                    line_width += space + word_width;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if word_width <= width_mm {
                    line.push_str(word);
                    line_width = word_width;
                } else {
                    // A word wider than the column (a long e-mail address): cut it by characters.
                    line_width = 0.0;
                    for c in word.chars() {
                        let w = metrics.width_mm(c.encode_utf8(&mut [0; 4]), size_pt);
                        if !line.is_empty() && line_width + w > width_mm {
                            lines.push(std::mem::take(&mut line));
                            line_width = 0.0;
                        }
                        line.push(c);
                        line_width += w;
                    }
                }
            }
            lines.push(line);
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_codes_are_the_numbering_printpdf_gives_the_subset() {
        let faces = Faces::get().unwrap();
        let mut subset = Subset::default();
        let text = "Graduatoria pubblica – 2ABZ à è € ·";
        for c in text.chars() {
            subset.add(Face::Bold, faces.bold.glyph(c), c);
        }
        subset.number();
        let used: std::collections::BTreeMap<u16, String> = subset
            .used(Face::Bold)
            .into_iter()
            .map(|g| (g.gid, g.cid.unwrap()))
            .collect();
        let printpdf = printpdf::subset_font(&faces.bold.font, &used).unwrap();
        assert_eq!(printpdf.glyph_mapping.len(), used.len());
        for (glyph, (code, _)) in &printpdf.glyph_mapping {
            assert_eq!(subset.code(Face::Bold, *glyph), *code, "glyph {glyph}");
        }
        assert_eq!(subset.code(Face::Regular, faces.regular.glyph('G')), 0);
    }

    #[test]
    fn bold_is_wider_than_regular_and_width_scales_with_size() {
        let faces = Faces::get().unwrap();
        let regular = faces.width_mm(Face::Regular, "Graduatoria", 10.0);
        assert!(regular > 15.0 && regular < 30.0, "{regular}");
        assert!(faces.width_mm(Face::Bold, "Graduatoria", 10.0) > regular);
        let double = faces.width_mm(Face::Regular, "Graduatoria", 20.0);
        assert!((double - 2.0 * regular).abs() < 0.01);
    }

    #[test]
    fn accented_letters_have_a_width() {
        let faces = Faces::get().unwrap();
        for c in ["à", "è", "é", "ì", "ò", "ù", "€"] {
            assert!(faces.width_mm(Face::Regular, c, 10.0) > 0.5, "{c}");
        }
    }

    #[test]
    fn wrap_keeps_every_word_and_respects_the_width() {
        let faces = Faces::get().unwrap();
        let text =
            "Il trattamento dei dati personali avviene esclusivamente per la gestione del bando";
        let lines = faces.wrap(Face::Regular, text, 9.0, 40.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(faces.width_mm(Face::Regular, line, 9.0) <= 40.0, "{line}");
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn wrap_cuts_a_word_longer_than_the_column() {
        let faces = Faces::get().unwrap();
        let lines = faces.wrap(
            Face::Regular,
            "mario.rossi.esempio@posta.example",
            9.0,
            15.0,
        );
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), "mario.rossi.esempio@posta.example");
    }

    #[test]
    fn wrap_keeps_explicit_line_breaks() {
        let faces = Faces::get().unwrap();
        let lines = faces.wrap(Face::Regular, "uno\ndue", 9.0, 100.0);
        assert_eq!(lines, vec!["uno", "due"]);
    }
}
