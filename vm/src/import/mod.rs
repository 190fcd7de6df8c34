//! Import: for now, extension modules (`dlopen` + `PyInit_*`/`PyModExport_*`).

pub mod extension;
