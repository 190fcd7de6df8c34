//! `sentinel` (new builtin in CPython 3.15, PEP 661): a unique named marker object, whose repr
//! is its name, that copies as itself, pickles by name, and can be a `typing.Union` member.

use core::mem::{offset_of, size_of};

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::type_::{StaticTable, TypeObj, BUILTIN_FLAGS};
use crate::objects::{none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_obj};
use crate::{method_table, static_type};

#[repr(C)]
pub struct SentinelObject {
    pub ob_base: PyObject,
    name: *mut PyObject,
    module: *mut PyObject,
    /// The `repr=` text (owned), or NULL: the repr is the name.
    repr: *mut PyObject,
}

static_type!(PySentinel_Type, c"sentinel", size_of::<SentinelObject>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(sentinel_dealloc),
    tp_repr: Some(sentinel_repr),
    tp_getattro: Some(crate::objects::type_::generic_getattr),
    tp_as_number: SENTINEL_AS_NUMBER.0.get(),
    tp_methods: SENTINEL_METHODS.0.get() as *mut PyMethodDef,
    tp_members: SENTINEL_MEMBERS.0.get() as *mut PyMemberDef,
    tp_new: Some(sentinel_new),
    tp_doc: c"Create a unique sentinel object with the given name.".as_ptr(),
});

static SENTINEL_AS_NUMBER: StaticObject<PyNumberMethods> =
    StaticObject::new(PyNumberMethods { nb_or: Some(crate::objects::unionobject::type_or), ..PyNumberMethods::EMPTY });

method_table!(static SENTINEL_METHODS = [
    noargs c"__copy__" => m_self,
    o c"__deepcopy__" => m_deepcopy,
    noargs c"__reduce__" => m_reduce,
]);

const fn member(name: &'static core::ffi::CStr, offset: usize) -> PyMemberDef {
    PyMemberDef { name: name.as_ptr(), type_code: _Py_T_OBJECT, offset: offset as isize, flags: Py_READONLY, doc: core::ptr::null() }
}

static SENTINEL_MEMBERS: StaticTable<PyMemberDef, 3> = StaticTable(core::cell::UnsafeCell::new([
    member(c"__name__", offset_of!(SentinelObject, name)),
    member(c"__module__", offset_of!(SentinelObject, module)),
    PyMemberDef { name: core::ptr::null(), type_code: 0, offset: 0, flags: 0, doc: core::ptr::null() },
]));

pub fn types() -> [&'static TypeObj; 1] {
    [&PySentinel_Type]
}

pub fn check(o: &Obj) -> bool {
    o.ob_type().is(&PySentinel_Type)
}

/// `sentinel(name, /, *, repr=None)`: the module is the caller's (its globals' `__name__`).
unsafe extern "C" fn sentinel_new(_t: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (args, kw) = unsafe { (tuple::items(arg(args)), opt_arg(kw)) };
    ret_obj((|| {
        let mut repr_text = None;
        for (k, v) in crate::objects::argparse::Kw::pairs_of_dict(kw) {
            if unicode::as_str_lossy(&k) != "repr" {
                return Err(raise!(TypeError, "sentinel() got an unexpected keyword argument '{}'", unicode::as_str_lossy(&k)));
            }
            if !v.is(none::none_obj()) {
                if !unicode::check(&v) {
                    return Err(raise!(TypeError, "sentinel() argument 'repr' must be str or None, not {}", v.ob_type().name()));
                }
                repr_text = Some(v);
            }
        }
        if args.len() != 1 {
            return Err(raise!(TypeError, "sentinel() takes exactly 1 positional argument ({} given)", args.len()));
        }
        let name = args[0];
        if !unicode::check(name) {
            return Err(raise!(TypeError, "sentinel() argument 1 must be str, not {}", name.ob_type().name()));
        }
        let module = crate::interp::with_frame_at(0, |f| crate::objects::dict::get_item_str(&f.globals, "__name__"))
            .flatten()
            .unwrap_or_else(none::none);
        // SAFETY: a fresh object of this static type, fields set before use.
        unsafe {
            let op = crate::alloc::alloc_object(PySentinel_Type.raw(), size_of::<SentinelObject>(), false);
            if op.is_null() {
                return Err(crate::err::PyErr::fetch());
            }
            let r = op as *mut SentinelObject;
            (*r).name = name.new_ref().into_raw();
            (*r).module = module.into_raw();
            (*r).repr = repr_text.map_or(core::ptr::null_mut(), PyRef::into_raw);
            Ok(PyRef::from_raw(op))
        }
    })())
}

fn name(o: &Obj) -> &Obj {
    // SAFETY: a live sentinel owns its name.
    unsafe { arg((*(o.as_ptr() as *mut SentinelObject)).name) }
}

unsafe extern "C" fn sentinel_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live sentinel; `repr` is NULL or owned.
    unsafe {
        let r = (*(o as *mut SentinelObject)).repr;
        if !r.is_null() {
            return arg(r).new_ref().into_raw();
        }
        name(arg(o)).new_ref().into_raw()
    }
}

fn m_self(o: &Obj) -> PyResult<PyRef> {
    Ok(o.new_ref())
}

fn m_deepcopy(o: &Obj, _memo: &Obj) -> PyResult<PyRef> {
    Ok(o.new_ref())
}

/// Pickled by name: the unpickler finds the sentinel as a global of its module.
fn m_reduce(o: &Obj) -> PyResult<PyRef> {
    Ok(name(o).new_ref())
}

unsafe extern "C" fn sentinel_dealloc(o: *mut PyObject) {
    // SAFETY: a dead sentinel releases its fields.
    unsafe {
        let r = o as *mut SentinelObject;
        crate::object::xdecref((*r).name);
        crate::object::xdecref((*r).module);
        crate::object::xdecref((*r).repr);
        crate::alloc::free_object(o);
    }
}
