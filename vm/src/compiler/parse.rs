//! The parser facade (to be written).
