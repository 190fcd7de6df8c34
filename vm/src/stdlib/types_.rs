//! `_types`: the built-in types that have no builtin name, for `Lib/types.py` (which does
//! `from _types import *`). Only types Pyrite really has are exported; `FrameType`,
//! `FrameLocalsProxyType` is missing until Pyrite has those objects, so it fails loudly
//! instead of lying. `LazyImportType` is PEP 810's lazy import object (`objects/lazy_import.rs`).

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::{capsule, code, descr, dict, function, genobject, mappingproxy, methodobject, module, namespace, none, unicode};
use crate::traceback;

pub fn create() -> PyResult<PyRef> {
    let m = module::new(&unicode::new("_types"))?;
    let d = module::dict_of(&m);
    let method_wrapper = method_wrapper_type()?;
    let entries: [(&str, &Obj); 28] = [
        ("AsyncGeneratorType", &genobject::PyAsyncGen_Type),
        ("BuiltinFunctionType", &methodobject::PyCFunction_Type),
        ("BuiltinMethodType", &methodobject::PyCFunction_Type),
        ("CapsuleType", &capsule::PyCapsule_Type),
        ("CellType", &function::PyCell_Type),
        ("ClassMethodDescriptorType", &descr::PyClassMethodDescr_Type),
        ("CodeType", &code::PyCode_Type),
        ("CoroutineType", &genobject::PyCoro_Type),
        ("EllipsisType", &none::PyEllipsis_Type),
        ("FrameType", &crate::objects::frameobject::PyFrame_Type),
        ("FunctionType", &function::PyFunction_Type),
        ("GeneratorType", &genobject::PyGen_Type),
        ("GenericAlias", &crate::objects::genericalias::Py_GenericAliasType),
        ("GetSetDescriptorType", &descr::PyGetSetDescr_Type),
        ("LambdaType", &function::PyFunction_Type),
        ("LazyImportType", &crate::objects::lazy_import::PyLazyImport_Type),
        ("MappingProxyType", &mappingproxy::PyDictProxy_Type),
        ("MemberDescriptorType", &descr::PyMemberDescr_Type),
        ("MethodDescriptorType", &descr::PyMethodDescr_Type),
        ("MethodType", &function::PyMethod_Type),
        ("MethodWrapperType", &method_wrapper),
        ("ModuleType", &module::PyModule_Type),
        ("NoneType", &none::_PyNone_Type),
        ("NotImplementedType", &none::_PyNotImplemented_Type),
        ("SimpleNamespace", &namespace::PyNamespace_Type),
        ("TracebackType", &traceback::PyTraceBack_Type),
        ("UnionType", &crate::objects::unionobject::PyUnion_Type),
        ("WrapperDescriptorType", &crate::objects::slotdefs::PyWrapperDescr_Type),
    ];
    for (name, t) in entries {
        dict::set_item_str(d, name, t)?;
    }
    Ok(m)
}

/// The type of a slot wrapper bound to an instance (`object().__str__`): CPython's
/// `method-wrapper`; whatever Pyrite makes for it.
fn method_wrapper_type() -> PyResult<PyRef> {
    let o = crate::abstract_::getattr_str(&crate::builtins::module(), "__str__")?;
    Ok(o.ob_type().new_ref())
}
