//! `_typing` (CPython's `Modules/_typingmodule.c`): the objects `Lib/typing.py` imports from C.
//! They live in `objects/typevar.rs` (and `typing.Union` in `objects/unionobject.rs`), since
//! the compiler's PEP 695 intrinsics make them without importing anything; this module only
//! names them, plus `_idfunc`, the identity function `typing.NewType` instances call.

use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::{dict, module, typevar, unionobject};

method_table!(static TYPING_METHODS = [
    o c"_idfunc" => idfunc,
]);

/// `_idfunc(_, x)` bound to a NewType: returns `x` itself.
fn idfunc(_module: &Obj, x: &Obj) -> PyResult<PyRef> {
    Ok(x.new_ref())
}

pub fn create() -> PyResult<PyRef> {
    // SAFETY: a NULL-terminated static method table.
    let m = unsafe { super::new_module("_typing", TYPING_METHODS.0.get() as *mut pyrite_abi::PyMethodDef)? };
    let d = module::dict_of(&m);
    let entries: [(&str, &Obj); 9] = [
        ("TypeVar", &typevar::TypeVar_Type),
        ("ParamSpec", &typevar::ParamSpec_Type),
        ("TypeVarTuple", &typevar::TypeVarTuple_Type),
        ("ParamSpecArgs", &typevar::ParamSpecArgs_Type),
        ("ParamSpecKwargs", &typevar::ParamSpecKwargs_Type),
        ("TypeAliasType", &typevar::TypeAliasType_Type),
        ("Generic", &typevar::Generic_Type),
        ("Union", &unionobject::PyUnion_Type),
        ("NoDefault", typevar::NO_DEFAULT.obj()),
    ];
    for (name, o) in entries {
        dict::set_item_str(d, name, o)?;
    }
    Ok(m)
}
