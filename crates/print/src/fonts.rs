//! The embedded typeface (DejaVu Sans, licence in `assets/fonts/LICENSE`) and text measurement.
//!
//! Every document embeds the same two faces; printpdf subsets them on save, so a file carries
//! only the glyphs it uses. Widths come from the font's own advances (printpdf writes plain
//! glyph runs without kerning), so what we measure is what the reader draws.

use std::sync::OnceLock;

use printpdf::ParsedFont;

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

/// A parsed face with a precomputed advance table for the characters documents use most.
pub(crate) struct Metrics {
    pub(crate) font: ParsedFont,
    units_per_em: f32,
    /// Advances of U+0000..U+0250 (Latin, accents, punctuation), in font units.
    common: Vec<u16>,
}

const COMMON_CHARS: u32 = 0x250;

impl Metrics {
    fn parse(bytes: &[u8]) -> Option<Self> {
        let font = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())?;
        let units_per_em = f32::from(font.font_metrics.units_per_em.max(1));
        let common = (0..COMMON_CHARS)
            .map(|c| advance_of(&font, c))
            .collect::<Vec<_>>();
        Some(Self {
            font,
            units_per_em,
            common,
        })
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
