//! Symbol tables (to be written).
