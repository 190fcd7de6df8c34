//! `pyrite-capi`
