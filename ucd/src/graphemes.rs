//! Extended grapheme clusters (UAX #29, rules GB3-GB999 of Unicode 17), for
//! `unicodedata.iter_graphemes`.

use crate::{Version, record};

/// The end of the grapheme cluster that starts at `start` in `text[..end]`
/// (`start < end <= text.len()`).
pub fn next_boundary(text: &[u32], start: usize, end: usize) -> usize {
    let gcb = |cp: u32| record(cp, Version::Current).grapheme_cluster_break();
    let incb = |cp: u32| record(cp, Version::Current).indic_conjunct_break();
    let pict = |cp: u32| record(cp, Version::Current).extended_pictographic();
    // GB9c: 0 outside, 1 after Consonant [Extend Linker]* with no Linker, 2 with one.
    let mut conjunct = 0u8;
    // GB11: the text so far ends with ExtPict Extend*, and (before a ZWJ) did.
    let mut pictographic = false;
    let mut pictographic_zwj = false;
    let mut regional = 0usize;
    let update = |cp: u32, conjunct: &mut u8, pictographic: &mut bool, pictographic_zwj: &mut bool, regional: &mut usize| {
        *conjunct = match incb(cp) {
            "Consonant" => 1,
            "Linker" if *conjunct > 0 => 2,
            "Extend" if *conjunct > 0 => *conjunct,
            _ => 0,
        };
        let g = gcb(cp);
        *pictographic_zwj = g == "ZWJ" && *pictographic;
        *pictographic = pict(cp) || (g == "Extend" && *pictographic);
        *regional = if g == "Regional_Indicator" { *regional + 1 } else { 0 };
    };
    update(text[start], &mut conjunct, &mut pictographic, &mut pictographic_zwj, &mut regional);
    for i in start + 1..end {
        let (prev, cur) = (gcb(text[i - 1]), gcb(text[i]));
        let join = match (prev, cur) {
            ("CR", "LF") => true,
            ("Control" | "CR" | "LF", _) | (_, "Control" | "CR" | "LF") => false,
            ("L", "L" | "V" | "LV" | "LVT") => true,
            ("LV" | "V", "V" | "T") => true,
            ("LVT" | "T", "T") => true,
            (_, "Extend" | "ZWJ" | "SpacingMark") => true,
            ("Prepend", _) => true,
            _ if conjunct == 2 && incb(text[i]) == "Consonant" => true,
            ("ZWJ", _) if pictographic_zwj && pict(text[i]) => true,
            ("Regional_Indicator", "Regional_Indicator") => regional % 2 == 1,
            _ => false,
        };
        if !join {
            return i;
        }
        update(text[i], &mut conjunct, &mut pictographic, &mut pictographic_zwj, &mut regional);
    }
    end
}
