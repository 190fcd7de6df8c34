//! The part of `unicode_names2`'s API that `ruff_python_parser` calls, answered from
//! Pyrite's Unicode database with CPython's rules for `\N{...}`: character names and their
//! aliases, in any case, but not named sequences.

/// The character called `name`.
pub fn character(name: &str) -> Option<char> {
    pyrite_ucd::character_by_name(name)
}
