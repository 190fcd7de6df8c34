//! The bridge between type slots and `__dunder__` methods (CPython's `slotdefs`):
//! a class defined in Python gets generic slot functions that call its dunder methods, and
//! built-in types get `wrapper_descriptor` entries (`int.__add__`, `object.__init__`) that
//! call their slots. One table drives both directions.

use core::ffi::{c_int, c_void};
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::number::BinaryOp;
use crate::object::{Obj, PyRef};
use crate::objects::type_::{TypeObj, BUILTIN_FLAGS};
use crate::objects::{bool_, dict, exceptions as exc, long, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};
use crate::{abstract_, static_type};

/// Which slot a dunder maps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Init,
    Repr,
    Str,
    Hash,
    Call,
    Iter,
    Next,
    GetAttribute,
    GetAttr,
    SetAttr,
    DelAttr,
    Rich(c_int),
    Len,
    GetItem,
    SetItem,
    DelItem,
    Contains,
    Bool,
    Binary(BinaryOp, bool),
    Neg,
    Pos,
    Invert,
    Index,
    Int,
    Float,
    DescrGet,
    Await,
    AIter,
    ANext,
    Abs,
    /// `__pow__` / `__rpow__` (reflected): `nb_power`, ternary.
    Pow(bool),
    /// `__divmod__` / `__rdivmod__`: `nb_divmod`.
    Divmod(bool),
    /// `__iadd__`, ... (`Pow` is `__ipow__`): the `nb_inplace_*` slots.
    InPlace(BinaryOp),
    /// `__set__` and `__delete__` share `tp_descr_set`.
    DescrSet,
    DescrDelete,
    /// Sequence forms of `+`, `*`, `+=`, `*=` (`sq_concat`, ...): wrappers of built-in types
    /// only, for those that have no number slot (`list.__add__`); a class's `__add__` sets `nb_add`.
    SqConcat,
    SqRepeat(bool),
    SqInplaceConcat,
    SqInplaceRepeat,
}

pub const SLOTDEFS: &[(&str, Slot)] = &[
    ("__init__", Slot::Init),
    ("__repr__", Slot::Repr),
    ("__str__", Slot::Str),
    ("__hash__", Slot::Hash),
    ("__call__", Slot::Call),
    ("__iter__", Slot::Iter),
    ("__next__", Slot::Next),
    ("__getattribute__", Slot::GetAttribute),
    ("__getattr__", Slot::GetAttr),
    ("__setattr__", Slot::SetAttr),
    ("__delattr__", Slot::DelAttr),
    ("__lt__", Slot::Rich(Py_LT)),
    ("__le__", Slot::Rich(Py_LE)),
    ("__eq__", Slot::Rich(Py_EQ)),
    ("__ne__", Slot::Rich(Py_NE)),
    ("__gt__", Slot::Rich(Py_GT)),
    ("__ge__", Slot::Rich(Py_GE)),
    ("__len__", Slot::Len),
    ("__getitem__", Slot::GetItem),
    ("__setitem__", Slot::SetItem),
    ("__delitem__", Slot::DelItem),
    ("__contains__", Slot::Contains),
    ("__bool__", Slot::Bool),
    ("__add__", Slot::Binary(BinaryOp::Add, false)),
    ("__radd__", Slot::Binary(BinaryOp::Add, true)),
    ("__sub__", Slot::Binary(BinaryOp::Sub, false)),
    ("__rsub__", Slot::Binary(BinaryOp::Sub, true)),
    ("__mul__", Slot::Binary(BinaryOp::Mul, false)),
    ("__rmul__", Slot::Binary(BinaryOp::Mul, true)),
    ("__truediv__", Slot::Binary(BinaryOp::TrueDiv, false)),
    ("__rtruediv__", Slot::Binary(BinaryOp::TrueDiv, true)),
    ("__floordiv__", Slot::Binary(BinaryOp::FloorDiv, false)),
    ("__rfloordiv__", Slot::Binary(BinaryOp::FloorDiv, true)),
    ("__mod__", Slot::Binary(BinaryOp::Mod, false)),
    ("__rmod__", Slot::Binary(BinaryOp::Mod, true)),
    ("__matmul__", Slot::Binary(BinaryOp::MatMul, false)),
    ("__rmatmul__", Slot::Binary(BinaryOp::MatMul, true)),
    ("__lshift__", Slot::Binary(BinaryOp::LShift, false)),
    ("__rlshift__", Slot::Binary(BinaryOp::LShift, true)),
    ("__rshift__", Slot::Binary(BinaryOp::RShift, false)),
    ("__rrshift__", Slot::Binary(BinaryOp::RShift, true)),
    ("__and__", Slot::Binary(BinaryOp::And, false)),
    ("__rand__", Slot::Binary(BinaryOp::And, true)),
    ("__or__", Slot::Binary(BinaryOp::Or, false)),
    ("__ror__", Slot::Binary(BinaryOp::Or, true)),
    ("__xor__", Slot::Binary(BinaryOp::Xor, false)),
    ("__rxor__", Slot::Binary(BinaryOp::Xor, true)),
    ("__neg__", Slot::Neg),
    ("__pos__", Slot::Pos),
    ("__invert__", Slot::Invert),
    ("__index__", Slot::Index),
    ("__int__", Slot::Int),
    ("__float__", Slot::Float),
    ("__get__", Slot::DescrGet),
    ("__await__", Slot::Await),
    ("__aiter__", Slot::AIter),
    ("__anext__", Slot::ANext),
    ("__abs__", Slot::Abs),
    ("__pow__", Slot::Pow(false)),
    ("__rpow__", Slot::Pow(true)),
    ("__divmod__", Slot::Divmod(false)),
    ("__rdivmod__", Slot::Divmod(true)),
    ("__iadd__", Slot::InPlace(BinaryOp::Add)),
    ("__isub__", Slot::InPlace(BinaryOp::Sub)),
    ("__imul__", Slot::InPlace(BinaryOp::Mul)),
    ("__itruediv__", Slot::InPlace(BinaryOp::TrueDiv)),
    ("__ifloordiv__", Slot::InPlace(BinaryOp::FloorDiv)),
    ("__imod__", Slot::InPlace(BinaryOp::Mod)),
    ("__imatmul__", Slot::InPlace(BinaryOp::MatMul)),
    ("__ipow__", Slot::InPlace(BinaryOp::Pow)),
    ("__ilshift__", Slot::InPlace(BinaryOp::LShift)),
    ("__irshift__", Slot::InPlace(BinaryOp::RShift)),
    ("__iand__", Slot::InPlace(BinaryOp::And)),
    ("__ior__", Slot::InPlace(BinaryOp::Or)),
    ("__ixor__", Slot::InPlace(BinaryOp::Xor)),
    ("__set__", Slot::DescrSet),
    ("__delete__", Slot::DescrDelete),
    ("__add__", Slot::SqConcat),
    ("__mul__", Slot::SqRepeat(false)),
    ("__rmul__", Slot::SqRepeat(true)),
    ("__iadd__", Slot::SqInplaceConcat),
    ("__imul__", Slot::SqInplaceRepeat),
];

// ---- generic slot functions (a Python class's slots call its dunders) -----------------------

/// `type(o).name` looked up on the type and bound to `o` (None if absent).
fn lookup_bound(o: &Obj, name: &str) -> PyResult<Option<PyRef>> {
    let Some(f) = o.ob_type().lookup_str(name).map(Obj::new_ref) else { return Ok(None) };
    if f.is(none::none_obj()) {
        return Ok(None);
    }
    match f.ob_type().slots().tp_descr_get {
        // SAFETY: descriptor slot call with live arguments.
        Some(get) => unsafe { crate::slot::from_new(get(f.as_ptr(), o.as_ptr(), o.ob_type().as_ptr())) }.map(Some),
        None => Ok(Some(f)),
    }
}

/// `type(o).name(o, *args)`, `None` when the type has no such attribute (or it is `None`).
/// A Python function or method descriptor found on the type is called with `o` as its first
/// argument, without making a bound method (as CPython's `vectorcall_method`); anything else
/// is bound through its `__get__` first.
fn call_special(o: &Obj, name: &str, args: &[&Obj]) -> PyResult<Option<PyRef>> {
    let ty = o.ob_type();
    let Some(f) = ty.lookup_str(name).map(Obj::new_ref) else { return Ok(None) };
    if f.is(none::none_obj()) {
        return Ok(None);
    }
    let mut argv = [null_mut(); 4];
    let ft = f.ob_type();
    let (callable, argv) = if ft.has_flag(Py_TPFLAGS_METHOD_DESCRIPTOR) && args.len() < argv.len() {
        argv[0] = o.as_ptr();
        for (slot, a) in argv[1..].iter_mut().zip(args) {
            *slot = a.as_ptr();
        }
        (f, &argv[..1 + args.len()])
    } else {
        let bound = match ft.slots().tp_descr_get {
            // SAFETY: descriptor slot call with live arguments.
            Some(get) => unsafe { crate::slot::from_new(get(f.as_ptr(), o.as_ptr(), ty.as_ptr()))? },
            None => f,
        };
        let argv: Vec<*mut PyObject> = args.iter().map(|a| a.as_ptr()).collect();
        // SAFETY: live arguments.
        return unsafe { abstract_::vectorcall(&bound, argv.as_ptr(), argv.len(), null_mut()) }.map(Some);
    };
    // SAFETY: live arguments (`o` and `args` outlive the call).
    unsafe { abstract_::vectorcall(&callable, argv.as_ptr(), argv.len(), null_mut()) }.map(Some)
}

fn call_dunder(o: &Obj, name: &str, args: &[&Obj]) -> PyResult<PyRef> {
    match call_special(o, name, args)? {
        Some(r) => Ok(r),
        None => Err(raise!(AttributeError, "'{}' object has no attribute '{}'", o.ob_type().full_name(), name)),
    }
}

macro_rules! unary_slot {
    ($fname:ident, $dunder:literal) => {
        unsafe extern "C" fn $fname(o: *mut PyObject) -> *mut PyObject {
            // SAFETY: live argument.
            ret_obj(call_dunder(unsafe { arg(o) }, $dunder, &[]))
        }
    };
}
unary_slot!(slot_repr, "__repr__");
unary_slot!(slot_str, "__str__");
unary_slot!(slot_iter, "__iter__");
unary_slot!(slot_neg, "__neg__");
unary_slot!(slot_pos, "__pos__");
unary_slot!(slot_invert, "__invert__");
unary_slot!(slot_index, "__index__");
unary_slot!(slot_int, "__int__");
unary_slot!(slot_float, "__float__");
unary_slot!(slot_await, "__await__");
unary_slot!(slot_aiter, "__aiter__");
unary_slot!(slot_anext, "__anext__");

unsafe extern "C" fn slot_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live argument. StopIteration ends iteration (NULL with it set is fine too).
    ret_obj(call_dunder(unsafe { arg(o) }, "__next__", &[]))
}

unsafe extern "C" fn slot_hash(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: live argument.
    let o = unsafe { arg(o) };
    let r = (|| {
        let v = call_dunder(o, "__hash__", &[])?;
        if !long::check(&v) {
            return Err(raise!(TypeError, "__hash__ method should return an integer"));
        }
        Ok(match long::to_i64(&v) {
            Some(h) => crate::hash::fix(h as Py_hash_t),
            None => long::hash_of(&v),
        })
    })();
    crate::slot::ret_ssize(r)
}

unsafe extern "C" fn slot_call(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_call contract.
    unsafe {
        let o = arg(o);
        ret_obj(lookup_bound(o, "__call__").and_then(|m| match m {
            Some(m) => abstract_::call(&m, arg(args), opt_arg(kw)),
            None => Err(raise!(TypeError, "'{}' object is not callable", o.ob_type().name())),
        }))
    }
}

/// Whether `f` is the `tp_init` of classes whose `__init__` is defined in Python.
pub fn is_slot_init(f: unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> c_int) -> bool {
    f as usize == slot_init as *const () as usize
}

unsafe extern "C" fn slot_init(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    unsafe {
        let o = arg(o);
        let r = lookup_bound(o, "__init__").and_then(|m| match m {
            Some(m) => {
                let r = abstract_::call(&m, arg(args), opt_arg(kw))?;
                if !r.is(none::none_obj()) {
                    return Err(raise!(TypeError, "__init__() should return None, not '{}'", r.ob_type().name()));
                }
                Ok(0)
            }
            None => Ok(0),
        });
        ret_int(r)
    }
}

/// `__getattribute__` overridden, or `__getattr__` defined: the generic lookup, then the hook.
unsafe extern "C" fn slot_getattro(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (o, name) = unsafe { (arg(o), arg(name)) };
    let ty = o.ob_type();
    let getattribute = ty.lookup_str("__getattribute__").map(Obj::new_ref);
    let overridden = getattribute.as_ref().is_some_and(|g| !g.ob_type().is(&PyWrapperDescr_Type));
    let first = if overridden { call_dunder(o, "__getattribute__", &[name]) } else { super::type_::generic_getattr_impl(o, name) };
    match first {
        Err(e) if e.is_instance(exc::AttributeError()) && ty.lookup_str("__getattr__").is_some() => {
            drop(e);
            ret_obj(call_dunder(o, "__getattr__", &[name]))
        }
        r => ret_obj(r),
    }
}

unsafe extern "C" fn slot_setattro(o: *mut PyObject, name: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let (o, name, v) = unsafe { (arg(o), arg(name), opt_arg(v)) };
    let r = match v {
        Some(v) => call_dunder(o, "__setattr__", &[name, v]),
        None => call_dunder(o, "__delattr__", &[name]),
    };
    ret_int(r.map(|_| 0))
}

unsafe extern "C" fn slot_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    const NAMES: [&str; 6] = ["__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"];
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    ret_obj(match lookup_bound(a, NAMES[op as usize]) {
        Ok(Some(m)) => abstract_::call_one_arg(&m, b),
        Ok(None) => Ok(none::not_implemented()),
        Err(e) => Err(e),
    })
}

unsafe extern "C" fn slot_len(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live argument.
    let r = call_dunder(unsafe { arg(o) }, "__len__", &[]).and_then(|v| {
        let i = abstract_::index(&v)?;
        match long::to_i64(&i) {
            Some(n) if n >= 0 => Ok(n as Py_ssize_t),
            Some(_) => Err(raise!(ValueError, "__len__() should return >= 0")),
            None => Err(raise!(OverflowError, "cannot fit 'int' into an index-sized integer")),
        }
    });
    crate::slot::ret_ssize(r)
}

unsafe extern "C" fn slot_getitem(o: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    ret_obj(call_dunder(unsafe { arg(o) }, "__getitem__", &[unsafe { arg(k) }]))
}

unsafe extern "C" fn slot_sq_item(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live argument.
    ret_obj(call_dunder(unsafe { arg(o) }, "__getitem__", &[&long::from_i64(i as i64)]))
}

unsafe extern "C" fn slot_setitem(o: *mut PyObject, k: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let (o, k, v) = unsafe { (arg(o), arg(k), opt_arg(v)) };
    let r = match v {
        Some(v) => call_dunder(o, "__setitem__", &[k, v]),
        None => call_dunder(o, "__delitem__", &[k]),
    };
    ret_int(r.map(|_| 0))
}

unsafe extern "C" fn slot_contains(o: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let r = call_dunder(unsafe { arg(o) }, "__contains__", &[unsafe { arg(v) }]).and_then(|r| abstract_::is_true(&r));
    ret_int(r.map(c_int::from))
}

unsafe extern "C" fn slot_bool(o: *mut PyObject) -> c_int {
    // SAFETY: live argument.
    let o = unsafe { arg(o) };
    let r = (|| {
        if lookup_bound(o, "__bool__")?.is_some() {
            let v = call_dunder(o, "__bool__", &[])?;
            if !v.ob_type().is(&bool_::PyBool_Type) {
                return Err(raise!(TypeError, "__bool__ should return bool, returned {}", v.ob_type().name()));
            }
            return Ok(v.is(bool_::_Py_TrueStruct.obj()) as c_int);
        }
        // No __bool__: __len__ decides.
        let n = call_dunder(o, "__len__", &[])?;
        Ok(abstract_::is_true(&n)? as c_int)
    })();
    ret_int(r)
}

unsafe extern "C" fn slot_descr_get(d: *mut PyObject, o: *mut PyObject, t: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe {
        let d = arg(d);
        let none = none::none();
        let o = opt_arg(o).unwrap_or(&none);
        let t = opt_arg(t).unwrap_or(&none);
        ret_obj(call_dunder(d, "__get__", &[o, t]))
    }
}

/// A binary slot (CPython's `SLOT1BINFULL`): `a.__op__(b)` if `a`'s type has this slot, and
/// `b.__rop__(a)` if `b`'s type has it — first when `b`'s type is a subclass of `a`'s that
/// overrides `__rop__`, else after `a.__op__` answers NotImplemented. `this` is the slot
/// function, and `uses` says whether a type's number slot for the operator is it.
fn binary(a: &Obj, b: &Obj, op: BinaryOp, this: usize) -> PyResult<PyRef> {
    let (name, rname) = binary_names(op);
    binary_named(a, b, name, rname, &|t| number_slot_is(t, |nb| op.slot(nb).map(|f| f as usize), this))
}

/// Whether type `t`'s number slot (`get` reads it) is the slot function at address `this`.
fn number_slot_is(t: &TypeObj, get: impl Fn(&PyNumberMethods) -> Option<usize>, this: usize) -> bool {
    crate::number::number_methods(t).and_then(get) == Some(this)
}

fn binary_named(a: &Obj, b: &Obj, name: &str, rname: &str, uses: &dyn Fn(&TypeObj) -> bool) -> PyResult<PyRef> {
    let (ta, tb) = (a.ob_type(), b.ob_type());
    let mut do_other = !ta.is(tb) && uses(tb);
    if uses(ta) {
        if do_other && tb.is_subtype(ta) && overrides(tb, ta, rname) {
            let r = call_special(b, rname, &[a])?;
            if let Some(r) = r.filter(|r| !r.is(none::not_implemented_obj())) {
                return Ok(r);
            }
            do_other = false;
        }
        if let Some(r) = call_special(a, name, &[b])? {
            if !r.is(none::not_implemented_obj()) || ta.is(tb) {
                return Ok(r);
            }
        }
    }
    if do_other {
        if let Some(r) = call_special(b, rname, &[a])? {
            return Ok(r);
        }
    }
    Ok(none::not_implemented())
}

/// Whether class `sub` has its own `name`, not the one of `base` (CPython's
/// `method_is_overloaded`).
fn overrides(sub: &TypeObj, base: &TypeObj, name: &str) -> bool {
    match (sub.lookup_str(name), base.lookup_str(name)) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(s), Some(b)) => !s.is(b),
    }
}

fn binary_names(op: BinaryOp) -> (&'static str, &'static str) {
    // Read from SLOTDEFS once per operator (a slot wrapper asks on every call).
    static NAMES: std::sync::OnceLock<Vec<(&'static str, &'static str)>> = std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| {
        let mut names = vec![("", ""); BinaryOp::Xor as usize + 1];
        for (name, slot) in SLOTDEFS {
            match slot {
                Slot::Binary(o, false) => names[*o as usize].0 = name,
                Slot::Binary(o, true) => names[*o as usize].1 = name,
                _ => {}
            }
        }
        names
    });
    names[op as usize]
}

macro_rules! binary_slot {
    ($fname:ident, $op:expr) => {
        unsafe extern "C" fn $fname(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
            // SAFETY: live arguments.
            ret_obj(binary(unsafe { arg(a) }, unsafe { arg(b) }, $op, $fname as unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject as usize))
        }
    };
}
binary_slot!(slot_add, BinaryOp::Add);
binary_slot!(slot_sub, BinaryOp::Sub);
binary_slot!(slot_mul, BinaryOp::Mul);
binary_slot!(slot_truediv, BinaryOp::TrueDiv);
binary_slot!(slot_floordiv, BinaryOp::FloorDiv);
binary_slot!(slot_mod, BinaryOp::Mod);
binary_slot!(slot_matmul, BinaryOp::MatMul);
binary_slot!(slot_lshift, BinaryOp::LShift);
binary_slot!(slot_rshift, BinaryOp::RShift);
binary_slot!(slot_and, BinaryOp::And);
binary_slot!(slot_or, BinaryOp::Or);
binary_slot!(slot_xor, BinaryOp::Xor);

unary_slot!(slot_abs, "__abs__");

unsafe extern "C" fn slot_divmod(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let this = slot_divmod as unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject as usize;
    let uses = |t: &TypeObj| number_slot_is(t, |nb| nb.nb_divmod.map(|f| f as usize), this);
    ret_obj(binary_named(unsafe { arg(a) }, unsafe { arg(b) }, "__divmod__", "__rdivmod__", &uses))
}

/// `nb_power`: `a.__pow__(b)` / `b.__rpow__(a)`; with a modulus only `a.__pow__(b, m)` is tried
/// (CPython never calls a three-argument `__rpow__`).
unsafe extern "C" fn slot_pow(a: *mut PyObject, b: *mut PyObject, m: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b, m) = unsafe { (arg(a), arg(b), arg(m)) };
    if m.is(none::none_obj()) {
        let this = slot_pow as unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject as usize;
        let uses = |t: &TypeObj| number_slot_is(t, |nb| nb.nb_power.map(|f| f as usize), this);
        return ret_obj(binary_named(a, b, "__pow__", "__rpow__", &uses));
    }
    ret_obj((|| match lookup_bound(a, "__pow__")?.filter(|_| a.ob_type().lookup_str("__pow__").is_some()) {
        Some(f) => abstract_::call(&f, &tuple::new_from(&[b, m]), None),
        None => Ok(none::not_implemented()),
    })())
}

/// The in-place slots call `a.__iop__(b)`.
macro_rules! inplace_slot {
    ($fname:ident, $dunder:literal) => {
        unsafe extern "C" fn $fname(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
            // SAFETY: live arguments.
            ret_obj(call_dunder(unsafe { arg(a) }, $dunder, &[unsafe { arg(b) }]))
        }
    };
}
inplace_slot!(slot_iadd, "__iadd__");
inplace_slot!(slot_isub, "__isub__");
inplace_slot!(slot_imul, "__imul__");
inplace_slot!(slot_itruediv, "__itruediv__");
inplace_slot!(slot_ifloordiv, "__ifloordiv__");
inplace_slot!(slot_imod, "__imod__");
inplace_slot!(slot_imatmul, "__imatmul__");
inplace_slot!(slot_ilshift, "__ilshift__");
inplace_slot!(slot_irshift, "__irshift__");
inplace_slot!(slot_iand, "__iand__");
inplace_slot!(slot_ior, "__ior__");
inplace_slot!(slot_ixor, "__ixor__");

unsafe extern "C" fn slot_ipow(a: *mut PyObject, b: *mut PyObject, _m: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    ret_obj(call_dunder(unsafe { arg(a) }, "__ipow__", &[unsafe { arg(b) }]))
}

/// `tp_descr_set`: `__set__(obj, value)`, or `__delete__(obj)` when `value` is NULL.
unsafe extern "C" fn slot_descr_set(d: *mut PyObject, o: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments (v may be NULL).
    let (d, o, v) = unsafe { (arg(d), arg(o), opt_arg(v)) };
    ret_int(match v {
        Some(v) => call_dunder(d, "__set__", &[o, v]),
        None => call_dunder(d, "__delete__", &[o]),
    }
    .map(|_| 0))
}

/// Points the slots of a class defined in Python at the generic functions above, for every
/// dunder its MRO defines (CPython's `fixup_slot_dispatchers`).
///
/// # Safety
/// `t` is a heap type being created, with its own method suites.
pub unsafe fn update_slots(t: &TypeObj) {
    let defined = |name: &str| t.lookup_str(name).is_some_and(|d| !d.ob_type().is(&PyWrapperDescr_Type));
    let r = t.raw();
    // SAFETY: a heap type owns writable suites (set up by type_new).
    unsafe {
        let nb = &mut *(*r).tp_as_number;
        let sq = &mut *(*r).tp_as_sequence;
        let mp = &mut *(*r).tp_as_mapping;
        let am = &mut *(*r).tp_as_async;
        for &(name, slot) in SLOTDEFS {
            if !defined(name) {
                continue;
            }
            match slot {
                Slot::Init => (*r).tp_init = Some(slot_init),
                Slot::Repr => (*r).tp_repr = Some(slot_repr),
                Slot::Str => (*r).tp_str = Some(slot_str),
                Slot::Hash => (*r).tp_hash = Some(slot_hash),
                Slot::Call => (*r).tp_call = Some(slot_call),
                Slot::Iter => (*r).tp_iter = Some(slot_iter),
                Slot::Next => (*r).tp_iternext = Some(slot_next),
                Slot::GetAttribute | Slot::GetAttr => (*r).tp_getattro = Some(slot_getattro),
                Slot::SetAttr | Slot::DelAttr => (*r).tp_setattro = Some(slot_setattro),
                Slot::Rich(_) => (*r).tp_richcompare = Some(slot_richcompare),
                Slot::Len => {
                    sq.sq_length = Some(slot_len);
                    mp.mp_length = Some(slot_len);
                }
                Slot::GetItem => {
                    mp.mp_subscript = Some(slot_getitem);
                    sq.sq_item = Some(slot_sq_item);
                }
                Slot::SetItem | Slot::DelItem => mp.mp_ass_subscript = Some(slot_setitem),
                Slot::Contains => sq.sq_contains = Some(slot_contains),
                Slot::Bool => nb.nb_bool = Some(slot_bool),
                Slot::Binary(op, _) => {
                    let f: unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject = match op {
                        BinaryOp::Add => slot_add,
                        BinaryOp::Sub => slot_sub,
                        BinaryOp::Mul => slot_mul,
                        BinaryOp::TrueDiv => slot_truediv,
                        BinaryOp::FloorDiv => slot_floordiv,
                        BinaryOp::Mod => slot_mod,
                        BinaryOp::MatMul => slot_matmul,
                        BinaryOp::LShift => slot_lshift,
                        BinaryOp::RShift => slot_rshift,
                        BinaryOp::And => slot_and,
                        BinaryOp::Or => slot_or,
                        BinaryOp::Xor => slot_xor,
                        BinaryOp::Pow => continue,
                    };
                    match op {
                        BinaryOp::Add => nb.nb_add = Some(f),
                        BinaryOp::Sub => nb.nb_subtract = Some(f),
                        BinaryOp::Mul => nb.nb_multiply = Some(f),
                        BinaryOp::TrueDiv => nb.nb_true_divide = Some(f),
                        BinaryOp::FloorDiv => nb.nb_floor_divide = Some(f),
                        BinaryOp::Mod => nb.nb_remainder = Some(f),
                        BinaryOp::MatMul => nb.nb_matrix_multiply = Some(f),
                        BinaryOp::LShift => nb.nb_lshift = Some(f),
                        BinaryOp::RShift => nb.nb_rshift = Some(f),
                        BinaryOp::And => nb.nb_and = Some(f),
                        BinaryOp::Or => nb.nb_or = Some(f),
                        BinaryOp::Xor => nb.nb_xor = Some(f),
                        BinaryOp::Pow => {}
                    }
                }
                Slot::Neg => nb.nb_negative = Some(slot_neg),
                Slot::Pos => nb.nb_positive = Some(slot_pos),
                Slot::Invert => nb.nb_invert = Some(slot_invert),
                Slot::Index => nb.nb_index = Some(slot_index),
                Slot::Int => nb.nb_int = Some(slot_int),
                Slot::Float => nb.nb_float = Some(slot_float),
                Slot::DescrGet => (*r).tp_descr_get = Some(slot_descr_get),
                Slot::Await => am.am_await = Some(slot_await),
                Slot::AIter => am.am_aiter = Some(slot_aiter),
                Slot::ANext => am.am_anext = Some(slot_anext),
                Slot::Abs => nb.nb_absolute = Some(slot_abs),
                Slot::Pow(_) => nb.nb_power = Some(slot_pow),
                Slot::Divmod(_) => nb.nb_divmod = Some(slot_divmod),
                Slot::InPlace(op) => {
                    let f: unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject = match op {
                        BinaryOp::Add => slot_iadd,
                        BinaryOp::Sub => slot_isub,
                        BinaryOp::Mul => slot_imul,
                        BinaryOp::TrueDiv => slot_itruediv,
                        BinaryOp::FloorDiv => slot_ifloordiv,
                        BinaryOp::Mod => slot_imod,
                        BinaryOp::MatMul => slot_imatmul,
                        BinaryOp::LShift => slot_ilshift,
                        BinaryOp::RShift => slot_irshift,
                        BinaryOp::And => slot_iand,
                        BinaryOp::Or => slot_ior,
                        BinaryOp::Xor => slot_ixor,
                        BinaryOp::Pow => {
                            nb.nb_inplace_power = Some(slot_ipow);
                            continue;
                        }
                    };
                    *op.inplace_slot_mut(nb) = Some(f);
                }
                Slot::DescrSet | Slot::DescrDelete => (*r).tp_descr_set = Some(slot_descr_set),
                Slot::SqConcat | Slot::SqRepeat(_) | Slot::SqInplaceConcat | Slot::SqInplaceRepeat => {}
            }
        }
        // __eq__ without __hash__ makes instances unhashable (CPython sets __hash__ = None).
        if t.dict().is_some_and(|d| dict::get_item_str(d, "__eq__").is_some() && dict::get_item_str(d, "__hash__").is_none()) {
            let _ = dict::set_item_str(t.dict().unwrap(), "__hash__", &none::none());
            crate::objects::type_::retire_own_tag(t);
            (*r).tp_hash = Some(crate::objects::list::unhashable);
        }
        if t.dict().is_some_and(|d| dict::get_item_str(d, "__hash__").is_some_and(|h| h.is(none::none_obj()))) {
            (*r).tp_hash = Some(crate::objects::list::unhashable);
        }
    }
}

// ---- wrapper descriptors (a built-in type's slots as dunder methods) ------------------------

#[repr(C)]
pub struct WrapperDescrObject {
    pub ob_base: PyObject,
    pub d_type: *mut PyTypeObject,
    pub d_name: *mut PyObject,
    pub slot: usize,
}

static_type!(PyWrapperDescr_Type, c"wrapper_descriptor", core::mem::size_of::<WrapperDescrObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_METHOD_DESCRIPTOR,
    tp_dealloc: Some(wrapper_dealloc),
    tp_repr: Some(wrapper_repr),
    tp_call: Some(wrapper_call),
    tp_descr_get: Some(wrapper_descr_get),
    tp_getset: WRAPPER_GETSET.0.get() as *mut PyGetSetDef,
});

static WRAPPER_GETSET: crate::objects::type_::StaticTable<PyGetSetDef, 4> = crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([
    crate::objects::type_::getset(c"__name__", Some(wrapper_get_name), None),
    crate::objects::type_::getset(c"__qualname__", Some(wrapper_get_qualname), None),
    crate::objects::type_::getset(c"__objclass__", Some(wrapper_get_objclass), None),
    crate::objects::type_::GETSET_END,
]));

unsafe extern "C" fn wrapper_get_name(w: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live wrapper.
    wrapper_parts(unsafe { arg(w) }).1.new_ref().into_raw()
}

unsafe extern "C" fn wrapper_get_qualname(w: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live wrapper.
    let (t, name, _) = wrapper_parts(unsafe { arg(w) });
    unicode::new(&format!("{}.{}", t.name(), unicode::as_str_lossy(name))).into_raw()
}

unsafe extern "C" fn wrapper_get_objclass(w: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live wrapper.
    let (t, _, _) = wrapper_parts(unsafe { arg(w) });
    Obj::new_ref(t).into_raw()
}

pub fn types() -> [&'static TypeObj; 1] {
    [&PyWrapperDescr_Type]
}

fn wrapper_parts(w: &Obj) -> (&TypeObj, &Obj, Slot) {
    // SAFETY: w is a wrapper descriptor.
    unsafe {
        let r = w.as_ptr() as *mut WrapperDescrObject;
        (TypeObj::from_ptr((*r).d_type), arg((*r).d_name), SLOTDEFS[(*r).slot].1)
    }
}

/// Adds `wrapper_descriptor`s for the slots a static type defines itself (not inherited).
pub fn add_wrappers(t: &TypeObj) -> PyResult<()> {
    let Some(d) = t.dict() else { return Ok(()) };
    let s = t.slots();
    // SAFETY: base is NULL or a ready type.
    let base = unsafe { s.tp_base.as_ref() };
    for (i, &(name, slot)) in SLOTDEFS.iter().enumerate() {
        let mine = slot_fn(s, slot);
        let present = mine.is_some() && mine != base.and_then(|b| slot_fn(b, slot));
        if !present || dict::get_item_str(d, name).is_some() {
            continue;
        }
        // `PyObject_HashNotImplemented` shows as `__hash__ = None` (CPython's add_operators).
        if matches!(slot, Slot::Hash) && s.tp_hash.is_some_and(|h| crate::objects::type_::is_slot(h, crate::objects::list::unhashable as _)) {
            dict::set_item_str(d, name, none::none_obj())?;
            continue;
        }
        // SAFETY: the wrapper type is a live static type.
        let w = unsafe {
            let op = crate::alloc::alloc_object(PyWrapperDescr_Type.raw(), core::mem::size_of::<WrapperDescrObject>(), false);
            assert!(!op.is_null(), "out of memory allocating a wrapper");
            let r = op as *mut WrapperDescrObject;
            (*r).d_type = t.new_ref().into_raw() as *mut PyTypeObject;
            (*r).d_name = unicode::intern(name).into_raw();
            (*r).slot = i;
            PyRef::from_raw(op)
        };
        dict::set_item_str(d, name, &w)?;
    }
    let own_new = s.tp_new.is_some_and(|n| base.and_then(|b| b.tp_new).is_none_or(|b| b as usize != n as usize));
    if own_new && dict::get_item_str(d, "__new__").is_none() {
        // SAFETY: the definition is static; the function is bound to the type.
        let f = unsafe { crate::objects::methodobject::new(TP_NEW_DEF.0.get(), Some(t), None, None)? };
        dict::set_item_str(d, "__new__", &f)?;
    }
    crate::objects::type_::retire_own_tag(t);
    Ok(())
}

static TP_NEW_DEF: crate::object::StaticObject<PyMethodDef> = crate::object::StaticObject::new(PyMethodDef {
    ml_name: c"__new__".as_ptr(),
    ml_meth: tp_new_wrapper as *mut c_void,
    ml_flags: METH_VARARGS | METH_KEYWORDS,
    ml_doc: c"Create and return a new object.  See help(type) for accurate signature.".as_ptr(),
});

/// `T.__new__(S, *args, **kwargs)` for a static type T: `T.tp_new(S, args, kwargs)` after
/// CPython's checks that S is a subtype of T and that T's `tp_new` is the right one for S.
unsafe extern "C" fn tp_new_wrapper(t: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_VARARGS|METH_KEYWORDS contract; self is the type the function is bound to.
    unsafe {
        let t = TypeObj::from_ptr(t as *mut PyTypeObject);
        let items = tuple::items(arg(args));
        ret_obj((|| {
            let Some(first) = items.first() else {
                return Err(raise!(TypeError, "{}.__new__(): not enough arguments", t.name()));
            };
            let Some(sub) = TypeObj::downcast(first) else {
                return Err(raise!(TypeError, "{}.__new__(X): X is not a type object ({})", t.name(), first.ob_type().name()));
            };
            if !sub.is_subtype(t) {
                return Err(raise!(TypeError, "{}.__new__({}): {} is not a subtype of {}", t.name(), sub.name(), sub.name(), t.name()));
            }
            // The nearest base of S not defined by a Python __new__ must share T's tp_new.
            let mut staticbase = sub.raw();
            while !staticbase.is_null()
                && (*staticbase).tp_new.is_some_and(|n| n as usize == crate::objects::heaptype::slot_tp_new as *const () as usize)
            {
                staticbase = (*staticbase).tp_base;
            }
            if !staticbase.is_null() && (*staticbase).tp_new.map(|n| n as usize) != t.slots().tp_new.map(|n| n as usize) {
                let sb = TypeObj::from_ptr(staticbase);
                return Err(raise!(TypeError, "{}.__new__({}) is not safe, use {}.__new__()", t.name(), sub.name(), sb.name()));
            }
            let rest = tuple::new_from(&items[1..]);
            let new = t.slots().tp_new.expect("a type with __new__ has tp_new");
            crate::slot::from_new(new(sub.raw(), rest.as_ptr(), kw))
        })())
    }
}

/// The function behind `slot` in a type, as an address (None if the type has none).
fn slot_fn(s: &PyTypeObject, slot: Slot) -> Option<usize> {
    // SAFETY: the method suites are NULL or live tables of the type.
    let (nb, sq, mp) = unsafe { (s.tp_as_number.as_ref(), s.tp_as_sequence.as_ref(), s.tp_as_mapping.as_ref()) };
    let a = |f: Option<usize>| f;
    match slot {
        Slot::Init => a(s.tp_init.map(|f| f as usize)),
        Slot::Repr => a(s.tp_repr.map(|f| f as usize)),
        Slot::Str => a(s.tp_str.map(|f| f as usize)),
        Slot::Hash => a(s.tp_hash.map(|f| f as usize)),
        Slot::Call => a(s.tp_call.map(|f| f as usize)),
        Slot::Iter => a(s.tp_iter.map(|f| f as usize)),
        Slot::Next => a(s.tp_iternext.map(|f| f as usize)),
        Slot::GetAttribute => a(s.tp_getattro.map(|f| f as usize)),
        Slot::GetAttr => None,
        Slot::SetAttr | Slot::DelAttr => a(s.tp_setattro.map(|f| f as usize)),
        Slot::Rich(_) => a(s.tp_richcompare.map(|f| f as usize)),
        Slot::Len => sq.and_then(|q| q.sq_length).or(mp.and_then(|m| m.mp_length)).map(|f| f as usize),
        Slot::GetItem => mp.and_then(|m| m.mp_subscript).map(|f| f as usize).or(sq.and_then(|q| q.sq_item).map(|f| f as usize)),
        Slot::SetItem | Slot::DelItem => {
            mp.and_then(|m| m.mp_ass_subscript).map(|f| f as usize).or(sq.and_then(|q| q.sq_ass_item).map(|f| f as usize))
        }
        Slot::Contains => sq.and_then(|q| q.sq_contains).map(|f| f as usize),
        Slot::Bool => nb.and_then(|n| n.nb_bool).map(|f| f as usize),
        Slot::Binary(op, _) => nb.and_then(|n| op.slot(n)).map(|f| f as usize),
        Slot::Neg => nb.and_then(|n| n.nb_negative).map(|f| f as usize),
        Slot::Pos => nb.and_then(|n| n.nb_positive).map(|f| f as usize),
        Slot::Invert => nb.and_then(|n| n.nb_invert).map(|f| f as usize),
        Slot::Index => nb.and_then(|n| n.nb_index).map(|f| f as usize),
        Slot::Int => nb.and_then(|n| n.nb_int).map(|f| f as usize),
        Slot::Float => nb.and_then(|n| n.nb_float).map(|f| f as usize),
        Slot::DescrGet => a(s.tp_descr_get.map(|f| f as usize)),
        // SAFETY: as above.
        Slot::Await | Slot::AIter | Slot::ANext => unsafe { s.tp_as_async.as_ref() }
            .and_then(|am| match slot {
                Slot::Await => am.am_await,
                Slot::AIter => am.am_aiter,
                _ => am.am_anext,
            })
            .map(|f| f as usize),
        Slot::Abs => nb.and_then(|n| n.nb_absolute).map(|f| f as usize),
        Slot::Pow(_) => nb.and_then(|n| n.nb_power).map(|f| f as usize),
        Slot::Divmod(_) => nb.and_then(|n| n.nb_divmod).map(|f| f as usize),
        Slot::InPlace(BinaryOp::Pow) => nb.and_then(|n| n.nb_inplace_power).map(|f| f as usize),
        Slot::InPlace(op) => nb.and_then(|n| op.inplace_slot(n)).map(|f| f as usize),
        Slot::DescrSet | Slot::DescrDelete => a(s.tp_descr_set.map(|f| f as usize)),
        Slot::SqConcat => sq.and_then(|q| q.sq_concat).map(|f| f as usize),
        Slot::SqRepeat(_) => sq.and_then(|q| q.sq_repeat).map(|f| f as usize),
        Slot::SqInplaceConcat => sq.and_then(|q| q.sq_inplace_concat).map(|f| f as usize),
        Slot::SqInplaceRepeat => sq.and_then(|q| q.sq_inplace_repeat).map(|f| f as usize),
    }
}

/// Calls the slot behind a wrapper with `self_` and `args`.
fn call_wrapped(t: &TypeObj, slot: Slot, self_: &Obj, args: &Obj, kw: Option<&Obj>) -> PyResult<PyRef> {
    let s = t.slots();
    let items = tuple::items(args);
    let nargs = |n: usize, name: &str| -> PyResult<()> {
        if items.len() != n {
            return Err(raise!(TypeError, "expected {} argument{}, got {} ({})", n, if n == 1 { "" } else { "s" }, items.len(), name));
        }
        Ok(())
    };
    // SAFETY: calling the type's own slot functions with live arguments.
    unsafe {
        match slot {
            Slot::Init => {
                let f = s.tp_init.unwrap();
                crate::slot::from_status(f(self_.as_ptr(), args.as_ptr(), kw.map_or(null_mut(), |k| k.as_ptr())))?;
                Ok(none::none())
            }
            Slot::Repr => {
                nargs(0, "__repr__")?;
                crate::slot::from_new(s.tp_repr.unwrap()(self_.as_ptr()))
            }
            Slot::Str => {
                nargs(0, "__str__")?;
                crate::slot::from_new(s.tp_str.unwrap()(self_.as_ptr()))
            }
            Slot::Hash => {
                nargs(0, "__hash__")?;
                let h = s.tp_hash.unwrap()(self_.as_ptr());
                if h == -1 { Err(PyErr::fetch()) } else { Ok(long::from_i64(h as i64)) }
            }
            Slot::Call => crate::slot::from_new(s.tp_call.unwrap()(self_.as_ptr(), args.as_ptr(), kw.map_or(null_mut(), |k| k.as_ptr()))),
            Slot::Rich(op) => {
                nargs(1, "comparison")?;
                crate::slot::from_new(s.tp_richcompare.unwrap()(self_.as_ptr(), items[0].as_ptr(), op))
            }
            Slot::GetAttribute => {
                nargs(1, "__getattribute__")?;
                crate::slot::from_new(s.tp_getattro.unwrap()(self_.as_ptr(), items[0].as_ptr()))
            }
            Slot::SetAttr => {
                nargs(2, "__setattr__")?;
                crate::slot::from_status(s.tp_setattro.unwrap()(self_.as_ptr(), items[0].as_ptr(), items[1].as_ptr()))?;
                Ok(none::none())
            }
            Slot::DelAttr => {
                nargs(1, "__delattr__")?;
                crate::slot::from_status(s.tp_setattro.unwrap()(self_.as_ptr(), items[0].as_ptr(), null_mut()))?;
                Ok(none::none())
            }
            Slot::Iter => {
                nargs(0, "__iter__")?;
                crate::slot::from_new(s.tp_iter.unwrap()(self_.as_ptr()))
            }
            Slot::Next => {
                nargs(0, "__next__")?;
                let r = s.tp_iternext.unwrap()(self_.as_ptr());
                if r.is_null() && crate::err::occurred().is_null() {
                    return Err(PyErr::from_type_no_args(exc::StopIteration()));
                }
                crate::slot::from_new(r)
            }
            Slot::Len => {
                nargs(0, "__len__")?;
                let f = s.tp_as_sequence.as_ref().and_then(|q| q.sq_length).or(s.tp_as_mapping.as_ref().and_then(|m| m.mp_length)).unwrap();
                let n = f(self_.as_ptr());
                if n < 0 { Err(PyErr::fetch()) } else { Ok(long::from_i64(n as i64)) }
            }
            Slot::GetItem => {
                nargs(1, "__getitem__")?;
                match s.tp_as_mapping.as_ref().and_then(|m| m.mp_subscript) {
                    Some(f) => crate::slot::from_new(f(self_.as_ptr(), items[0].as_ptr())),
                    None => {
                        let i = abstract_::index(items[0]).and_then(|i| long::to_i64(&i).ok_or_else(|| raise!(IndexError, "cannot fit 'int' into an index-sized integer")))?;
                        crate::slot::from_new(s.tp_as_sequence.as_ref().and_then(|q| q.sq_item).unwrap()(self_.as_ptr(), i as Py_ssize_t))
                    }
                }
            }
            Slot::SetItem | Slot::DelItem => {
                let set = matches!(slot, Slot::SetItem);
                nargs(if set { 2 } else { 1 }, if set { "__setitem__" } else { "__delitem__" })?;
                let v = if set { items[1].as_ptr() } else { null_mut() };
                match s.tp_as_mapping.as_ref().and_then(|m| m.mp_ass_subscript) {
                    Some(f) => crate::slot::from_status(f(self_.as_ptr(), items[0].as_ptr(), v))?,
                    None => {
                        let i = abstract_::index(items[0]).and_then(|i| long::to_i64(&i).ok_or_else(|| raise!(IndexError, "cannot fit 'int' into an index-sized integer")))?;
                        crate::slot::from_status(s.tp_as_sequence.as_ref().and_then(|q| q.sq_ass_item).unwrap()(self_.as_ptr(), i as Py_ssize_t, v))?
                    }
                };
                Ok(none::none())
            }
            Slot::Contains => {
                nargs(1, "__contains__")?;
                let r = s.tp_as_sequence.as_ref().and_then(|q| q.sq_contains).unwrap()(self_.as_ptr(), items[0].as_ptr());
                if r < 0 { Err(PyErr::fetch()) } else { Ok(bool_::new(r != 0)) }
            }
            Slot::Bool => {
                nargs(0, "__bool__")?;
                let r = s.tp_as_number.as_ref().and_then(|n| n.nb_bool).unwrap()(self_.as_ptr());
                if r < 0 { Err(PyErr::fetch()) } else { Ok(bool_::new(r != 0)) }
            }
            Slot::Binary(op, reflected) => {
                nargs(1, "binary operator")?;
                let f = s.tp_as_number.as_ref().and_then(|n| op.slot(n)).unwrap();
                let (a, b) = if reflected { (items[0], self_) } else { (self_, items[0]) };
                crate::slot::from_new(f(a.as_ptr(), b.as_ptr()))
            }
            Slot::Neg | Slot::Pos | Slot::Invert | Slot::Index | Slot::Int | Slot::Float => {
                nargs(0, "unary operator")?;
                let nb = s.tp_as_number.as_ref().unwrap();
                let f = match slot {
                    Slot::Neg => nb.nb_negative,
                    Slot::Pos => nb.nb_positive,
                    Slot::Invert => nb.nb_invert,
                    Slot::Index => nb.nb_index,
                    Slot::Int => nb.nb_int,
                    _ => nb.nb_float,
                };
                crate::slot::from_new(f.unwrap()(self_.as_ptr()))
            }
            Slot::DescrGet => {
                if items.is_empty() || items.len() > 2 {
                    return Err(raise!(TypeError, "expected 1 or 2 arguments, got {}", items.len()));
                }
                let obj = items[0];
                let ty = items.get(1).copied().filter(|t| !t.is(none::none_obj()));
                if obj.is(none::none_obj()) && ty.is_none() {
                    return Err(raise!(TypeError, "__get__(None, None) is invalid"));
                }
                let o = if obj.is(none::none_obj()) { null_mut() } else { obj.as_ptr() };
                crate::slot::from_new(s.tp_descr_get.unwrap()(self_.as_ptr(), o, ty.map_or(null_mut(), |t| t.as_ptr())))
            }
            Slot::GetAttr => Err(raise!(SystemError, "no wrapper for __getattr__")),
            Slot::Abs => {
                nargs(0, "unary operator")?;
                crate::slot::from_new(s.tp_as_number.as_ref().and_then(|n| n.nb_absolute).unwrap()(self_.as_ptr()))
            }
            Slot::Pow(reflected) => {
                if items.is_empty() || items.len() > 2 {
                    return Err(raise!(TypeError, "expected 1 or 2 arguments, got {}", items.len()));
                }
                let f = s.tp_as_number.as_ref().and_then(|n| n.nb_power).unwrap();
                let m = items.get(1).copied().unwrap_or(none::none_obj());
                // CPython's wrapper refuses a three-argument reflected power.
                if reflected && !m.is(none::none_obj()) {
                    return Ok(none::not_implemented());
                }
                let (a, b) = if reflected { (items[0], self_) } else { (self_, items[0]) };
                crate::slot::from_new(f(a.as_ptr(), b.as_ptr(), m.as_ptr()))
            }
            Slot::Divmod(reflected) => {
                nargs(1, "binary operator")?;
                let f = s.tp_as_number.as_ref().and_then(|n| n.nb_divmod).unwrap();
                let (a, b) = if reflected { (items[0], self_) } else { (self_, items[0]) };
                crate::slot::from_new(f(a.as_ptr(), b.as_ptr()))
            }
            Slot::InPlace(BinaryOp::Pow) => {
                if items.is_empty() || items.len() > 2 {
                    return Err(raise!(TypeError, "expected 1 or 2 arguments, got {}", items.len()));
                }
                let f = s.tp_as_number.as_ref().and_then(|n| n.nb_inplace_power).unwrap();
                let m = items.get(1).copied().unwrap_or(none::none_obj());
                crate::slot::from_new(f(self_.as_ptr(), items[0].as_ptr(), m.as_ptr()))
            }
            Slot::InPlace(op) => {
                nargs(1, "binary operator")?;
                let f = s.tp_as_number.as_ref().and_then(|n| op.inplace_slot(n)).unwrap();
                crate::slot::from_new(f(self_.as_ptr(), items[0].as_ptr()))
            }
            Slot::DescrSet => {
                nargs(2, "__set__")?;
                crate::slot::from_status(s.tp_descr_set.unwrap()(self_.as_ptr(), items[0].as_ptr(), items[1].as_ptr()))?;
                Ok(none::none())
            }
            Slot::DescrDelete => {
                nargs(1, "__delete__")?;
                crate::slot::from_status(s.tp_descr_set.unwrap()(self_.as_ptr(), items[0].as_ptr(), null_mut()))?;
                Ok(none::none())
            }
            Slot::SqConcat | Slot::SqInplaceConcat => {
                nargs(1, "binary operator")?;
                let sq = s.tp_as_sequence.as_ref().unwrap();
                let f = if matches!(slot, Slot::SqConcat) { sq.sq_concat } else { sq.sq_inplace_concat };
                crate::slot::from_new(f.unwrap()(self_.as_ptr(), items[0].as_ptr()))
            }
            Slot::SqRepeat(_) | Slot::SqInplaceRepeat => {
                nargs(1, "binary operator")?;
                let sq = s.tp_as_sequence.as_ref().unwrap();
                let f = if matches!(slot, Slot::SqInplaceRepeat) { sq.sq_inplace_repeat } else { sq.sq_repeat };
                let n = abstract_::index(items[0])?;
                let n = long::to_i64(&n).map(|n| n.clamp(isize::MIN as i64, isize::MAX as i64)).ok_or_else(|| {
                    raise!(OverflowError, "cannot fit 'int' into an index-sized integer")
                })?;
                crate::slot::from_new(f.unwrap()(self_.as_ptr(), n as Py_ssize_t))
            }
            Slot::Await | Slot::AIter | Slot::ANext => {
                nargs(0, "async slot")?;
                let am = s.tp_as_async.as_ref().unwrap();
                let f = match slot {
                    Slot::Await => am.am_await,
                    Slot::AIter => am.am_aiter,
                    _ => am.am_anext,
                };
                crate::slot::from_new(f.unwrap()(self_.as_ptr()))
            }
        }
    }
}

unsafe extern "C" fn wrapper_call(w: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_call contract; the first argument is self.
    unsafe {
        let w = arg(w);
        let (t, name, slot) = wrapper_parts(w);
        let items = tuple::items(arg(args));
        let Some(self_) = items.first() else {
            return ret_obj(Err(raise!(TypeError, "descriptor '{}' of '{}' object needs an argument", unicode::as_str_lossy(name), t.name())));
        };
        if !self_.is_instance_of(t) {
            return ret_obj(Err(raise!(
                TypeError,
                "descriptor '{}' requires a '{}' object but received a '{}'",
                unicode::as_str_lossy(name),
                t.name(),
                self_.ob_type().name()
            )));
        }
        let rest = tuple::new_from(&items[1..]);
        ret_obj(call_wrapped(t, slot, self_, &rest, opt_arg(kw)))
    }
}

/// `PyWrapper_New(descr, self)`: a slot wrapper bound to `self` (Pyrite binds slot wrappers
/// as methods; CPython's `method-wrapper` type is not separate here).
pub fn bind_wrapper(w: &Obj, self_: &Obj) -> PyResult<PyRef> {
    if !w.is_instance_of(&PyWrapperDescr_Type) {
        return Err(raise!(SystemError, "bad argument to internal function"));
    }
    let (t, name, _) = wrapper_parts(w);
    if !self_.ob_type().is_subtype(t) {
        return Err(raise!(
            TypeError,
            "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
            unicode::as_str_lossy(name),
            t.name(),
            self_.ob_type().name()
        ));
    }
    Ok(crate::objects::function::new_method(w, self_))
}

unsafe extern "C" fn wrapper_descr_get(w: *mut PyObject, o: *mut PyObject, _t: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments; binding makes a method-wrapper (a bound method here).
    unsafe {
        match opt_arg(o) {
            None => arg(w).new_ref().into_raw(),
            Some(o) => crate::objects::function::new_method(arg(w), o).into_raw(),
        }
    }
}

unsafe extern "C" fn wrapper_repr(w: *mut PyObject) -> *mut PyObject {
    // SAFETY: live wrapper.
    let (t, name, _) = wrapper_parts(unsafe { arg(w) });
    unicode::new(&format!("<slot wrapper '{}' of '{}' objects>", unicode::as_str_lossy(name), t.name())).into_raw()
}

unsafe extern "C" fn wrapper_dealloc(w: *mut PyObject) {
    // SAFETY: a dead wrapper.
    unsafe {
        let r = w as *mut WrapperDescrObject;
        crate::object::xdecref((*r).d_type as *mut PyObject);
        crate::object::xdecref((*r).d_name);
        crate::alloc::object_free(w as *mut c_void);
    }
}
