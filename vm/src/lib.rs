//! `pyrite-vm`
