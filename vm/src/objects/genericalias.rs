//! `types.GenericAlias` (`Py_GenericAliasType`): what `list[int]` evaluates to, through the
//! `__class_getitem__` of the built-in generic classes (`Py_GenericAlias`).
//!
//! Behaviour follows CPython's `Objects/genericaliasobject.c`: attribute access falls through
//! to the origin (except the alias's own attributes), calling calls the origin and records
//! `__orig_class__`, `__parameters__` collects the type variables of the arguments, and
//! subscription substitutes them. `list[int] | None` is a
//! `typing.Union` (`unionobject`).

use core::ffi::c_int;
use core::mem::size_of;
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::abstract_;
use crate::err::PyResult;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::type_::{self, TypeObj, BUILTIN_BASETYPE_FLAGS};
use crate::objects::{bool_, exceptions as exc, list, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_obj};
use crate::{method_table, static_type};

#[repr(C)]
pub struct GenericAliasObject {
    pub ob_base: PyObject,
    pub origin: *mut PyObject,
    /// Always a tuple.
    pub args: *mut PyObject,
    /// Computed on first use, NULL before.
    pub parameters: *mut PyObject,
    pub weakreflist: *mut PyObject,
    /// `*tuple[int]`.
    pub starred: bool,
}

static_type!(Py_GenericAliasType, c"types.GenericAlias", size_of::<GenericAliasObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(ga_dealloc),
    tp_traverse: Some(ga_traverse),
    tp_repr: Some(ga_repr),
    tp_hash: Some(ga_hash),
    tp_call: Some(ga_call),
    tp_getattro: Some(ga_getattro),
    tp_richcompare: Some(ga_richcompare),
    tp_iter: Some(ga_iter),
    tp_weaklistoffset: core::mem::offset_of!(GenericAliasObject, weakreflist) as isize,
    tp_as_number: GA_AS_NUMBER.0.get(),
    tp_as_mapping: GA_AS_MAPPING.0.get(),
    tp_methods: GA_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: GA_GETSET.0.get() as *mut PyGetSetDef,
    tp_new: Some(ga_new),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_free: Some(crate::alloc::gc_del),
    tp_doc: c"GenericAlias(origin, args, /)\n--\n\nRepresent a PEP 585 generic type\n\nE.g. for t = list[int], t.__origin__ is list and t.__args__ is (int,).".as_ptr(),
});

static GA_AS_NUMBER: StaticObject<PyNumberMethods> =
    StaticObject::new(PyNumberMethods { nb_or: Some(crate::objects::unionobject::type_or), ..PyNumberMethods::EMPTY });

static GA_AS_MAPPING: StaticObject<PyMappingMethods> =
    StaticObject::new(PyMappingMethods { mp_length: None, mp_subscript: Some(ga_getitem), mp_ass_subscript: None });

method_table!(static GA_METHODS = [
    o c"__mro_entries__" => ga_mro_entries,
    o c"__instancecheck__" => ga_instancecheck,
    o c"__subclasscheck__" => ga_subclasscheck,
    noargs c"__reduce__" => ga_reduce,
    noargs c"__dir__" => ga_dir,
]);

static GA_GETSET: type_::StaticTable<PyGetSetDef, 6> = type_::StaticTable(core::cell::UnsafeCell::new([
    getset(c"__origin__", ga_get_origin),
    getset(c"__args__", ga_get_args),
    getset(c"__parameters__", ga_get_parameters),
    getset(c"__unpacked__", ga_get_unpacked),
    getset(c"__typing_unpacked_tuple_args__", ga_get_unpacked_tuple_args),
    PyGetSetDef { name: core::ptr::null(), get: None, set: None, doc: core::ptr::null(), closure: null_mut() },
]));

const fn getset(name: &'static core::ffi::CStr, get: unsafe extern "C" fn(*mut PyObject, *mut core::ffi::c_void) -> *mut PyObject) -> PyGetSetDef {
    PyGetSetDef { name: name.as_ptr(), get: Some(get), set: None, doc: core::ptr::null(), closure: null_mut() }
}

pub fn types() -> [&'static TypeObj; 1] {
    [&Py_GenericAliasType]
}

#[inline(always)]
fn raw(o: &Obj) -> *mut GenericAliasObject {
    o.as_ptr() as *mut GenericAliasObject
}

pub fn check(o: &Obj) -> bool {
    o.is_instance_of(&Py_GenericAliasType)
}

fn origin(o: &Obj) -> &Obj {
    // SAFETY: a generic alias always has an origin.
    unsafe { Obj::from_ptr((*raw(o)).origin) }
}

fn args(o: &Obj) -> &Obj {
    // SAFETY: a generic alias always has an args tuple.
    unsafe { Obj::from_ptr((*raw(o)).args) }
}

fn starred(o: &Obj) -> bool {
    // SAFETY: a generic alias.
    unsafe { (*raw(o)).starred }
}

fn alloc(ty: &TypeObj, origin: &Obj, args: &Obj, starred: bool) -> PyResult<PyRef> {
    let args = if tuple::check(args) { args.new_ref() } else { tuple::new_from(&[args]) };
    // SAFETY: tp_alloc of the alias type (or a subclass).
    let o = unsafe {
        let alloc = ty.slots().tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        crate::slot::from_new(alloc(ty.raw(), 0))?
    };
    // SAFETY: a fresh zeroed alias.
    unsafe {
        let g = raw(&o);
        (*g).origin = origin.new_ref().into_raw();
        (*g).args = args.into_raw();
        (*g).starred = starred;
    }
    Ok(o)
}

/// `Py_GenericAlias(origin, args)`: `args` not a tuple is the single argument.
pub fn new(origin: &Obj, args: &Obj) -> PyResult<PyRef> {
    alloc(&Py_GenericAliasType, origin, args, false)
}

/// `__class_getitem__` of the built-in generic classes (a `METH_O | METH_CLASS` method).
pub fn class_getitem(cls: &Obj, item: &Obj) -> PyResult<PyRef> {
    new(cls, item)
}

unsafe extern "C" fn ga_new(t: *mut PyTypeObject, a: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (ty, a, kw) = unsafe { (TypeObj::from_ptr(t), arg(a), opt_arg(kw)) };
    ret_obj((|| {
        if ty.is(&Py_GenericAliasType) {
            crate::objects::argparse::no_kw_dict("GenericAlias", kw)?;
        }
        let items = tuple::items(a);
        crate::objects::argparse::check_positional("GenericAlias", items.len(), 2, 2)?;
        alloc(ty, items[0], items[1], false)
    })())
}

unsafe extern "C" fn ga_dealloc(o: *mut PyObject) {
    // SAFETY: a dead alias.
    unsafe {
        crate::objects::weakref::clear_weakrefs(o);
        let g = o as *mut GenericAliasObject;
        for p in [(*g).origin, (*g).args, (*g).parameters] {
            crate::object::xdecref(p);
        }
        let free = (*(*o).ob_type).tp_free.unwrap_or(crate::alloc::gc_del);
        free(o as *mut core::ffi::c_void);
    }
}

/// `ga_repr_item`: `...`, aliases and typing forms by repr, classes as `module.qualname`
/// (`qualname` alone for builtins).
pub fn repr_item(p: &Obj, out: &mut String) -> PyResult<()> {
    if p.is(&none::ellipsis()) {
        out.push_str("...");
        return Ok(());
    }
    if check(p) {
        out.push_str(&unicode::as_str_lossy(&*abstract_::repr(p)?));
        return Ok(());
    }
    if abstract_::lookup_attr(p, "__origin__")?.is_some() && abstract_::lookup_attr(p, "__args__")?.is_some() {
        out.push_str(&unicode::as_str_lossy(&*abstract_::repr(p)?));
        return Ok(());
    }
    let Some(qualname) = abstract_::lookup_attr(p, "__qualname__")? else {
        out.push_str(&unicode::as_str_lossy(&*abstract_::repr(p)?));
        return Ok(());
    };
    match abstract_::lookup_attr(p, "__module__")? {
        Some(m) if !m.is(none::none_obj()) => {
            if unicode::check(&m) && unicode::as_str_lossy(&m) == "builtins" {
                out.push_str(&unicode::as_str_lossy(&*abstract_::str(&qualname)?));
            } else {
                out.push_str(&unicode::as_str_lossy(&*abstract_::str(&m)?));
                out.push('.');
                out.push_str(&unicode::as_str_lossy(&*abstract_::str(&qualname)?));
            }
        }
        _ => out.push_str(&unicode::as_str_lossy(&*abstract_::repr(p)?)),
    }
    Ok(())
}

fn repr_items(items: &[&Obj], out: &mut String) -> PyResult<()> {
    for (i, a) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if list::check(a) {
            out.push('[');
            let v = list::to_vec(a);
            let refs: Vec<&Obj> = v.iter().map(|r| &**r).collect();
            repr_items(&refs, out)?;
            out.push(']');
        } else {
            repr_item(a, out)?;
        }
    }
    Ok(())
}

unsafe extern "C" fn ga_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live alias.
    let g = unsafe { arg(o) };
    ret_obj((|| {
        let mut s = String::new();
        if starred(g) {
            s.push('*');
        }
        repr_item(origin(g), &mut s)?;
        s.push('[');
        let a = tuple::items(args(g));
        if a.is_empty() {
            s.push_str("()");
        }
        repr_items(a, &mut s)?;
        s.push(']');
        Ok(unicode::new(&s))
    })())
}

unsafe extern "C" fn ga_hash(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: a live alias.
    let g = unsafe { arg(o) };
    match abstract_::hash(origin(g)).and_then(|h0| Ok(h0 ^ abstract_::hash(args(g))?)) {
        Ok(h) => if h == -1 { -2 } else { h },
        Err(e) => {
            e.restore();
            -1
        }
    }
}

unsafe extern "C" fn ga_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: tp_richcompare contract.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check(b) || (op != Py_EQ && op != Py_NE) {
        return none::not_implemented().into_raw();
    }
    ret_obj((|| {
        let eq = starred(a) == starred(b)
            && abstract_::rich_compare_bool(origin(a), origin(b), Py_EQ)?
            && abstract_::rich_compare_bool(args(a), args(b), Py_EQ)?;
        Ok(bool_::new(eq == (op == Py_EQ)))
    })())
}

/// `list[int](...)`: the origin's instance, with `__orig_class__` set where it can be.
unsafe extern "C" fn ga_call(o: *mut PyObject, a: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_call contract.
    let (g, a, kw) = unsafe { (arg(o), arg(a), opt_arg(kw)) };
    ret_obj((|| {
        let r = abstract_::call(origin(g), a, kw)?;
        if let Err(e) = abstract_::setattr(&r, &unicode::new("__orig_class__"), Some(g)) {
            if !e.is_instance(exc::AttributeError()) && !e.is_instance(exc::TypeError()) {
                return Err(e);
            }
        }
        Ok(r)
    })())
}

/// The alias's own attributes; everything else is the origin's.
const OWN_ATTRIBUTES: [&str; 12] = [
    "__class__",
    "__bases__",
    "__origin__",
    "__args__",
    "__unpacked__",
    "__parameters__",
    "__typing_unpacked_tuple_args__",
    "__mro_entries__",
    "__reduce_ex__",
    "__reduce__",
    "__copy__",
    "__deepcopy__",
];

unsafe extern "C" fn ga_getattro(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_getattro contract.
    let (g, n) = unsafe { (arg(o), arg(name)) };
    let own = unicode::as_str(n).is_ok_and(|s| OWN_ATTRIBUTES.contains(&s));
    if own {
        // SAFETY: generic attribute lookup on a live object.
        return unsafe { type_::generic_getattr(o, name) };
    }
    ret_obj(abstract_::getattr(origin(g), n))
}

unsafe extern "C" fn ga_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live alias.
    let g = unsafe { arg(o) };
    ret_obj((|| {
        let s = alloc(g.ob_type(), origin(g), args(g), true)?;
        crate::objects::iterobject::get_iter(&list::new_from(&[&s]))
    })())
}

fn is_typevar_like(a: &Obj) -> PyResult<bool> {
    if TypeObj::downcast(a).is_some() {
        return Ok(false);
    }
    Ok(abstract_::lookup_attr(a, "__typing_subst__")?.is_some())
}

/// `_Py_make_parameters`: the type variables of `args`, in order, without repeats.
pub fn make_parameters(a: &[&Obj], out: &mut Vec<PyRef>) -> PyResult<()> {
    for x in a {
        if TypeObj::downcast(x).is_some() {
            continue;
        }
        if is_typevar_like(x)? {
            if !out.iter().any(|p| p.is(x)) {
                out.push(x.new_ref());
            }
            continue;
        }
        if tuple::check(x) {
            make_parameters(tuple::items(x), out)?;
            continue;
        }
        if list::check(x) {
            let v = list::to_vec(x);
            let refs: Vec<&Obj> = v.iter().map(|r| &**r).collect();
            make_parameters(&refs, out)?;
            continue;
        }
        if let Some(ps) = abstract_::lookup_attr(x, "__parameters__")? {
            if tuple::check(&ps) {
                for p in tuple::items(&ps) {
                    if !out.iter().any(|q| q.is(p)) {
                        out.push(p.new_ref());
                    }
                }
            }
        }
    }
    Ok(())
}

fn parameters(g: &Obj) -> PyResult<PyRef> {
    // SAFETY: a live alias; the cache is owned.
    unsafe {
        let r = raw(g);
        if (*r).parameters.is_null() {
            let mut v = Vec::new();
            make_parameters(tuple::items(args(g)), &mut v)?;
            (*r).parameters = tuple::new_from_owned(v).into_raw();
        }
        Ok(Obj::from_ptr((*r).parameters).new_ref())
    }
}

/// `alias[...]`: substitutes the alias's type variables, in order.
unsafe extern "C" fn ga_getitem(o: *mut PyObject, item: *mut PyObject) -> *mut PyObject {
    // SAFETY: mp_subscript contract.
    let (g, item) = unsafe { (arg(o), arg(item)) };
    ret_obj((|| {
        let params = parameters(g)?;
        let out = substitute(g, tuple::items(&params), tuple::items(args(g)), item)?;
        alloc(g.ob_type(), origin(g), &tuple::new_from_owned(out), starred(g))
    })())
}

/// `x`'s `__typing_unpacked_tuple_args__` (`*tuple[int, str]` gives `(int, str)`), if any.
fn unpacked_tuple_args(x: &Obj) -> PyResult<Option<PyRef>> {
    if check(x) && starred(x) && origin(x).is(&tuple::PyTuple_Type) {
        return Ok(Some(args(x).new_ref()));
    }
    Ok(abstract_::lookup_attr(x, "__typing_unpacked_tuple_args__")?.filter(|a| !a.is(none::none_obj())))
}

/// The substitution's arguments with unpacked fixed-length tuples spliced in
/// (`[int, *tuple[str, bytes]]` is `(int, str, bytes)`).
fn unpack_args(item: &Obj) -> PyResult<PyRef> {
    let items: Vec<&Obj> = if tuple::check(item) { tuple::items(item).to_vec() } else { vec![item] };
    let mut out = Vec::with_capacity(items.len());
    for x in items {
        if TypeObj::downcast(x).is_none()
            && let Some(sub) = unpacked_tuple_args(x)?
            && tuple::check(&sub)
            && !tuple::items(&sub).last().is_some_and(|l| l.is(&none::ellipsis()))
        {
            out.extend(tuple::items(&sub).iter().map(|o| o.new_ref()));
            continue;
        }
        out.push(x.new_ref());
    }
    Ok(tuple::new_from_owned(out))
}

/// Whether `x` is `*Ts` (`Unpack[Ts]`): its substitution is spliced into the arguments.
fn is_unpacked_typevartuple(x: &Obj) -> PyResult<bool> {
    if TypeObj::downcast(x).is_some() {
        return Ok(false);
    }
    match abstract_::lookup_attr(x, "__typing_is_unpacked_typevartuple__")? {
        Some(v) => abstract_::is_true(&v),
        None => Ok(false),
    }
}

/// `x[...]` with the parameters of `x` replaced by their arguments (a TypeVarTuple's
/// argument tuple spliced in), or `x` itself when it has no parameters.
fn subs_tvars(x: &Obj, params: &[&Obj], argitems: &[&Obj]) -> PyResult<PyRef> {
    let Some(sub) = abstract_::lookup_attr(x, "__parameters__")?.filter(|p| tuple::check(p) && tuple::len(p) > 0) else {
        return Ok(x.new_ref());
    };
    let mut subargs = Vec::new();
    for p in tuple::items(&sub) {
        if let Some(i) = params.iter().position(|q| q.is(p)) {
            let a = argitems[i];
            if params[i].ob_type().slots().tp_iter.is_some() && tuple::check(a) {
                subargs.extend(tuple::items(a).iter().map(|o| o.new_ref()));
                continue;
            }
            subargs.push(a.new_ref());
        } else {
            subargs.push(p.new_ref());
        }
    }
    abstract_::getitem(x, &tuple::new_from_owned(subargs))
}

/// `_Py_subs_parameters`: `args` with the type variables `params` of `g` (an alias or a
/// union) replaced by the items of `item`, after each parameter's
/// `__typing_prepare_subst__` had its say (defaults, TypeVarTuple and ParamSpec grouping).
pub fn substitute(g: &Obj, params: &[&Obj], args: &[&Obj], item: &Obj) -> PyResult<Vec<PyRef>> {
    if params.is_empty() {
        let r = abstract_::repr(g)?;
        return Err(raise!(TypeError, "{} is not a generic class", unicode::as_str_lossy(&r)));
    }
    let mut item = unpack_args(item)?;
    for p in params {
        if let Some(prepare) = abstract_::lookup_attr(p, "__typing_prepare_subst__")?.filter(|f| !f.is(none::none_obj())) {
            item = abstract_::call(&prepare, &tuple::new_from(&[g, &item]), None)?;
        }
    }
    let items: Vec<&Obj> = if tuple::check(&item) { tuple::items(&item).to_vec() } else { vec![&*item] };
    if items.len() != params.len() {
        let r = abstract_::repr(g)?;
        let which = if items.len() > params.len() { "many" } else { "few" };
        return Err(raise!(
            TypeError,
            "Too {} arguments for {}; actual {}, expected {}",
            which,
            unicode::as_str_lossy(&r),
            items.len(),
            params.len()
        ));
    }
    let mut out = Vec::with_capacity(args.len());
    for a in args {
        if TypeObj::downcast(a).is_some() {
            out.push(a.new_ref());
            continue;
        }
        if tuple::check(a) || list::check(a) {
            let inner = if tuple::check(a) { a.new_ref() } else { abstract_::sequence_tuple(a)? };
            let sub = tuple::new_from_owned(substitute(g, params, tuple::items(&inner), &item)?);
            out.push(if tuple::check(a) { sub } else { list::new_from(tuple::items(&sub)) });
            continue;
        }
        let unpack = is_unpacked_typevartuple(a)?;
        let r = match abstract_::lookup_attr(a, "__typing_subst__")? {
            Some(subst) => {
                let i = params.iter().position(|p| p.is(a)).ok_or_else(|| raise!(SystemError, "type parameter not in __parameters__"))?;
                abstract_::call_one_arg(&subst, items[i])?
            }
            None => subs_tvars(a, params, &items)?,
        };
        if unpack && tuple::check(&r) {
            out.extend(tuple::items(&r).iter().map(|o| o.new_ref()));
        } else {
            out.push(r);
        }
    }
    Ok(out)
}

unsafe extern "C" fn ga_get_origin(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    origin(unsafe { arg(o) }).new_ref().into_raw()
}

unsafe extern "C" fn ga_get_args(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    args(unsafe { arg(o) }).new_ref().into_raw()
}

unsafe extern "C" fn ga_get_parameters(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    ret_obj(parameters(unsafe { arg(o) }))
}

unsafe extern "C" fn ga_get_unpacked(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    bool_::new(starred(unsafe { arg(o) })).into_raw()
}

unsafe extern "C" fn ga_get_unpacked_tuple_args(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: getter contract.
    let g = unsafe { arg(o) };
    if starred(g) && origin(g).is(&tuple::PyTuple_Type) {
        return args(g).new_ref().into_raw();
    }
    none::none().into_raw()
}

fn ga_mro_entries(g: &Obj, _bases: &Obj) -> PyResult<PyRef> {
    Ok(tuple::new_from(&[origin(g)]))
}

fn ga_instancecheck(_g: &Obj, _o: &Obj) -> PyResult<PyRef> {
    Err(raise!(TypeError, "isinstance() argument 2 cannot be a parameterized generic"))
}

fn ga_subclasscheck(_g: &Obj, _o: &Obj) -> PyResult<PyRef> {
    Err(raise!(TypeError, "issubclass() argument 2 cannot be a parameterized generic"))
}

fn ga_reduce(g: &Obj) -> PyResult<PyRef> {
    Ok(tuple::new_from(&[g.ob_type(), &tuple::new_from(&[origin(g), args(g)])]))
}

/// `dir(alias)`: the origin's names plus the alias's own.
fn ga_dir(g: &Obj) -> PyResult<PyRef> {
    let names = crate::builtins::dir(&[origin(g)])?;
    for n in OWN_ATTRIBUTES {
        let s = unicode::new(n);
        if !abstract_::contains(&names, &s)? {
            list::append(&names, &s);
        }
    }
    Ok(names)
}

unsafe extern "C" fn ga_traverse(o: *mut PyObject, visit: pyrite_abi::visitproc, a: *mut core::ffi::c_void) -> core::ffi::c_int {
    // SAFETY: a live alias owning these references.
    unsafe {
        let g = o as *mut GenericAliasObject;
        crate::gc::visit_each(&[(*g).origin, (*g).args, (*g).parameters], visit, a)
    }
}
