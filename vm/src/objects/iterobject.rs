//! Iterators (to be written).
