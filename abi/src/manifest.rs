//! The Stable ABI manifest as data.
//!
//! `data/stable_abi.tsv` is CPython's `Misc/stable_abi.toml` (via woodruffw/abi3info, MIT) in
//! tabular form; `data/abi3_symbols.txt` is the subset a runtime must export on Linux release
//! builds (952 names). The build turns these into the export list; tests check the exports.

/// One name per line: every function and data symbol a Linux runtime must export.
pub const ABI3_SYMBOLS: &str = include_str!("../data/abi3_symbols.txt");

/// The full manifest: `kind, name, added, abi_only, ifdef, in_abi3t, ...` (tab-separated,
/// with a header line).
pub const STABLE_ABI_TSV: &str = include_str!("../data/stable_abi.tsv");

/// Names exported beyond the manifest (`data/extra_exports.txt`: what CPython's own
/// limited-API test extensions import from outside it), `#` lines being comments.
pub const EXTRA_EXPORTS: &str = include_str!("../data/extra_exports.txt");

/// Iterates over the names in [`EXTRA_EXPORTS`].
pub fn extra_exports() -> impl Iterator<Item = &'static str> {
    EXTRA_EXPORTS.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Iterates over the names in [`ABI3_SYMBOLS`].
pub fn abi3_symbols() -> impl Iterator<Item = &'static str> {
    ABI3_SYMBOLS.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// What kind of entry the manifest says a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Function,
    Data,
    Other,
}

/// Looks a name up in the manifest: its kind and the version (`"3.2"` ...) that added it.
pub fn entry(name: &str) -> Option<(EntryKind, &'static str)> {
    STABLE_ABI_TSV.lines().skip(1).find_map(|line| {
        let mut cols = line.split('\t');
        let kind = cols.next()?;
        if cols.next()? != name {
            return None;
        }
        let added = cols.next().unwrap_or("");
        let kind = match kind {
            "function" => EntryKind::Function,
            "data" => EntryKind::Data,
            _ => EntryKind::Other,
        };
        Some((kind, added))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn manifest_has_952_linux_exports() {
        assert_eq!(super::abi3_symbols().count(), 952);
        assert_eq!(super::entry("PyLong_FromLong").map(|e| e.0), Some(super::EntryKind::Function));
        assert_eq!(super::entry("PyLong_Type").map(|e| e.0), Some(super::EntryKind::Data));
    }
}
