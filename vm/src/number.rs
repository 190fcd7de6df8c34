//! The number protocol (to be written): binary and unary operators dispatched on `nb_*`
//! slots with CPython's reflected-operand rules.
