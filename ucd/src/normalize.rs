//! Unicode normalization (UAX #15): NFD/NFKD decompose fully and reorder marks by combining
//! class; NFC/NFKC then recompose canonical pairs that are not blocked.
//!
//! Like CPython, the 3.2.0 view decomposes with 3.2.0's mappings (none for characters 3.2.0 did
//! not have, and the pre-corrigendum mappings of `norm32.txt`) but orders and composes with the
//! current combining classes and composition table.

use crate::{Version, record};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Form {
    Nfc,
    Nfkc,
    Nfd,
    Nfkd,
}

impl Form {
    /// `"NFC"`, `"NFKC"`, `"NFD"` or `"NFKD"` (exactly; CPython takes no other spelling).
    pub fn from_name(name: &str) -> Option<Form> {
        Some(match name {
            "NFC" => Form::Nfc,
            "NFKC" => Form::Nfkc,
            "NFD" => Form::Nfd,
            "NFKD" => Form::Nfkd,
            _ => return None,
        })
    }
}

fn combining(cp: u32) -> u8 {
    record(cp, Version::Current).combining()
}

fn push_decomposed(cp: u32, compat: bool, version: Version, out: &mut Vec<u32>) {
    if crate::is_hangul_syllable(cp) {
        out.extend(crate::hangul_decomposition(cp));
        return;
    }
    if version == Version::V3_2 {
        if let Some(replacement) = crate::normalization_correction3_2(cp) {
            push_decomposed(replacement, compat, version, out);
            return;
        }
        if !record(cp, version).is_assigned() {
            out.push(cp);
            return;
        }
    }
    let (tag, cps) = crate::decomposition_mapping(cp, version);
    if cps.is_empty() || (tag.is_some() && !compat) {
        out.push(cp);
        return;
    }
    for &c in cps {
        push_decomposed(c, compat, version, out);
    }
}

fn decompose(input: &[u32], compat: bool, version: Version) -> Vec<u32> {
    let mut out = Vec::with_capacity(input.len());
    for &cp in input {
        push_decomposed(cp, compat, version, &mut out);
    }
    // Canonical ordering: a stable sort of each run of non-starters by combining class.
    let mut i = 0;
    while i < out.len() {
        if combining(out[i]) == 0 {
            i += 1;
            continue;
        }
        let start = i;
        while i < out.len() && combining(out[i]) != 0 {
            i += 1;
        }
        out[start..i].sort_by_key(|&c| combining(c));
    }
    out
}

fn compose_pair(first: u32, second: u32) -> Option<u32> {
    use crate::{L_BASE, L_COUNT, S_BASE, T_BASE, T_COUNT, V_BASE, V_COUNT};
    if (L_BASE..L_BASE + L_COUNT).contains(&first) && (V_BASE..V_BASE + V_COUNT).contains(&second) {
        return Some(S_BASE + ((first - L_BASE) * V_COUNT + (second - V_BASE)) * T_COUNT);
    }
    if crate::is_hangul_syllable(first) && (first - S_BASE) % T_COUNT == 0 && (T_BASE + 1..T_BASE + T_COUNT).contains(&second) {
        return Some(first + (second - T_BASE));
    }
    crate::compose_pair(first, second)
}

fn compose(decomposed: Vec<u32>) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::with_capacity(decomposed.len());
    let mut starter: Option<usize> = None;
    let mut last_class = 0u8;
    for cp in decomposed {
        let class = combining(cp);
        if let Some(s) = starter {
            // Not blocked: right after the starter, or every mark between has a lower class.
            let adjacent = out.len() - 1 == s;
            if adjacent || (last_class != 0 && last_class < class) {
                if let Some(composite) = compose_pair(out[s], cp) {
                    out[s] = composite;
                    continue;
                }
            }
        }
        if class == 0 {
            starter = Some(out.len());
        }
        last_class = class;
        out.push(cp);
    }
    out
}

/// `unicodedata.normalize(form, ...)` of a string given as code points.
pub fn normalize(form: Form, input: &[u32], version: Version) -> Vec<u32> {
    // Quick answer: ASCII is in every normal form.
    if input.iter().all(|&c| c < 0x80) {
        return input.to_vec();
    }
    match form {
        Form::Nfd => decompose(input, false, version),
        Form::Nfkd => decompose(input, true, version),
        Form::Nfc => compose(decompose(input, false, version)),
        Form::Nfkc => compose(decompose(input, true, version)),
    }
}
