//! `_functools.partial` with 3.14's `Placeholder`: a callable that remembers leading
//! positional arguments (some of them holes that the call fills in order) and keywords.
//! Partials of partials flatten; a partial is a method descriptor (binds like a function).

use pyrite_abi::*;

use super::native::{self, new_instance, with};
use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::list::ReprGuard;
use crate::objects::type_::{self, TypeObj};
use crate::objects::{dict, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_obj};
use crate::{abstract_, getter_def};

pub struct Partial {
    func: PyRef,
    /// The stored positional arguments, `Placeholder`s included.
    args: PyRef,
    /// A dict (possibly empty).
    keywords: PyRef,
    placeholders: usize,
}

native_type!(PARTIAL, c"functools.partial", Partial, {
    tp_call: slot_call!(partial_call),
    tp_descr_get: Some(partial_descr_get),
    tp_repr: slot_unary!(partial_repr),
    tp_new: slot_new!(partial_new),
    tp_dictoffset: native::DICT_OFFSET,
    tp_weaklistoffset: native::WEAKLIST_OFFSET,
    tp_getattro: Some(type_::generic_getattr),
    tp_setattro: Some(type_::generic_setattr),
    tp_methods: PARTIAL_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: PARTIAL_GETSET.0.get() as *mut PyGetSetDef,
    tp_doc: c"partial(func, /, *args, **keywords)\n--\n\nCreate a new function with partial application of the given arguments\nand keywords.".as_ptr(),
});

method_table!(static PARTIAL_METHODS = [
    noargs c"__reduce__" => partial_reduce,
    o c"__setstate__" => partial_setstate,
    class_o c"__class_getitem__" => crate::objects::genericalias::class_getitem,
]);

static PARTIAL_GETSET: type_::StaticTable<PyGetSetDef, 5> = type_::StaticTable(core::cell::UnsafeCell::new([
    getter_def!(c"func", partial_func),
    getter_def!(c"args", partial_args),
    getter_def!(c"keywords", partial_keywords),
    native::DICT_GETSET,
    type_::GETSET_END,
]));

native_type!(final PLACEHOLDER_TYPE, c"functools._PlaceholderType", (), {
    tp_new: slot_new!(placeholder_new),
    tp_repr: slot_unary!(placeholder_repr),
    tp_methods: PLACEHOLDER_METHODS.0.get() as *mut PyMethodDef,
    tp_doc: c"The type of the Placeholder singleton.\n\nUsed as a placeholder for partial arguments.".as_ptr(),
});

method_table!(static PLACEHOLDER_METHODS = [
    noargs c"__reduce__" => placeholder_repr,
]);

/// The `Placeholder` singleton.
pub fn placeholder() -> PyResult<PyRef> {
    use std::sync::OnceLock;
    static P: OnceLock<crate::object::SyncPtr<PyObject>> = OnceLock::new();
    if let Some(p) = P.get() {
        // SAFETY: the singleton is immortal.
        return Ok(unsafe { Obj::from_ptr(p.0) }.new_ref());
    }
    type_::ready(&PLACEHOLDER_TYPE)?;
    crate::objects::slotdefs::add_wrappers(&PLACEHOLDER_TYPE)?;
    let o = new_instance(&PLACEHOLDER_TYPE, ())?;
    let p = P.get_or_init(|| crate::object::SyncPtr(crate::object::make_immortal(o)));
    // SAFETY: as above.
    Ok(unsafe { Obj::from_ptr(p.0) }.new_ref())
}

fn placeholder_new(_t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    if !a.is_empty() || kw.is_some_and(|k| dict::len(k) > 0) {
        return Err(raise!(TypeError, "PlaceholderType takes no arguments"));
    }
    placeholder()
}

fn placeholder_repr(_o: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new("Placeholder"))
}

fn is_placeholder(o: &Obj) -> bool {
    o.ob_type().is(&PLACEHOLDER_TYPE)
}

/// Fills the placeholders of `stored` with the first of `given`, then appends the rest.
fn merge_args(stored: &[&Obj], given: &[&Obj]) -> Vec<PyRef> {
    let mut rest = given.iter();
    let mut out: Vec<PyRef> = stored
        .iter()
        .map(|s| if is_placeholder(s) { rest.next().map_or_else(|| s.new_ref(), |g| g.new_ref()) } else { s.new_ref() })
        .collect();
    out.extend(rest.map(|g| g.new_ref()));
    out
}

fn partial_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let Some((func, args)) = a.split_first() else {
        return Err(raise!(TypeError, "type 'partial' takes at least one argument"));
    };
    if func.ob_type().slots().tp_call.is_none() {
        return Err(raise!(TypeError, "the first argument must be callable"));
    }
    if args.last().is_some_and(|x| is_placeholder(x)) {
        return Err(raise!(TypeError, "trailing Placeholders are not allowed"));
    }
    let keywords = dict::new();
    for (_, v) in crate::objects::argparse::Kw::pairs_of_dict(kw) {
        if is_placeholder(&v) {
            return Err(raise!(TypeError, "Placeholder cannot be passed as a keyword argument"));
        }
    }
    // A partial without instance attributes is unwrapped: its function, arguments and
    // keywords come first.
    let mut func = func.new_ref();
    let mut all_args: Vec<PyRef> = args.iter().map(|x| x.new_ref()).collect();
    if func.ob_type().is_subtype(&PARTIAL) && !has_instance_dict(&func) {
        let (inner_func, inner_args, inner_kw) = with(&func, |p: &mut Partial| (p.func.clone(), p.args.clone(), p.keywords.clone()))?;
        all_args = merge_args(tuple::items(&inner_args), args);
        dict::update(&keywords, &inner_kw)?;
        func = inner_func;
    }
    if let Some(k) = kw {
        dict::update(&keywords, k)?;
    }
    let placeholders = all_args.iter().filter(|x| is_placeholder(x)).count();
    new_instance(t, Partial { func, args: tuple::new_from_owned(all_args), keywords, placeholders })
}

fn has_instance_dict(o: &Obj) -> bool {
    // SAFETY: a partial (or subclass) instance; the dict slot is NULL or a dict.
    let d = unsafe { (*(o.as_ptr() as *mut native::NativeObject)).dict };
    !d.is_null()
}

fn partial_call(o: &Obj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let (func, args, keywords, placeholders) =
        with(o, |p: &mut Partial| (p.func.clone(), p.args.clone(), p.keywords.clone(), p.placeholders))?;
    if a.len() < placeholders {
        return Err(raise!(
            TypeError,
            "missing positional arguments in 'partial' call; expected at least {}, got {}",
            placeholders,
            a.len()
        ));
    }
    let call_args = tuple::new_from_owned(merge_args(tuple::items(&args), a));
    let call_kw = match kw {
        Some(k) if dict::len(k) > 0 => {
            let d = dict::copy(&keywords)?;
            dict::update(&d, k)?;
            Some(d)
        }
        _ => (dict::len(&keywords) > 0).then(|| keywords.clone()),
    };
    abstract_::call(&func, &call_args, call_kw.as_deref())
}

unsafe extern "C" fn partial_descr_get(o: *mut PyObject, obj: *mut PyObject, _t: *mut PyObject) -> *mut PyObject {
    // SAFETY: descriptor contract.
    let (o, obj) = unsafe { (arg(o), opt_arg(obj)) };
    ret_obj(Ok(match obj {
        Some(obj) if !obj.is(none::none_obj()) => crate::objects::function::new_method(o, obj),
        _ => o.new_ref(),
    }))
}

fn partial_func(o: &Obj) -> PyResult<PyRef> {
    with(o, |p: &mut Partial| p.func.clone())
}

fn partial_args(o: &Obj) -> PyResult<PyRef> {
    with(o, |p: &mut Partial| p.args.clone())
}

fn partial_keywords(o: &Obj) -> PyResult<PyRef> {
    with(o, |p: &mut Partial| p.keywords.clone())
}

fn partial_repr(o: &Obj) -> PyResult<PyRef> {
    let t = o.ob_type();
    let module = abstract_::getattr_str(t, "__module__")?;
    let qualname = abstract_::getattr_str(t, "__qualname__")?;
    let name = format!("{}.{}", unicode::as_str_lossy(&module), unicode::as_str_lossy(&qualname));
    let Some(_guard) = ReprGuard::enter(o) else { return Ok(unicode::new("...")) };
    let (func, args, keywords) = with(o, |p: &mut Partial| (p.func.clone(), p.args.clone(), p.keywords.clone()))?;
    let mut parts = vec![native::repr_string(&func)?];
    for a in tuple::items(&args) {
        parts.push(native::repr_string(a)?);
    }
    for (k, v) in dict::items_vec(&keywords) {
        parts.push(format!("{}={}", unicode::as_str_lossy(&*abstract_::str(&k)?), native::repr_string(&v)?));
    }
    Ok(unicode::new(&format!("{}({})", name, parts.join(", "))))
}

fn partial_reduce(o: &Obj) -> PyResult<PyRef> {
    let (func, args, keywords) = with(o, |p: &mut Partial| (p.func.clone(), p.args.clone(), p.keywords.clone()))?;
    let kw = if dict::len(&keywords) > 0 { keywords } else { none::none() };
    // SAFETY: the dict slot of a partial instance: NULL or a dict.
    let d = unsafe { opt_arg((*(o.as_ptr() as *mut native::NativeObject)).dict) }
        .filter(|d| dict::len(d) > 0)
        .map_or_else(none::none, Obj::new_ref);
    let state = tuple::new_from(&[&func, &args, &kw, &d]);
    Ok(tuple::new_from(&[o.ob_type(), &*tuple::new_from(&[&func]), &state]))
}

fn partial_setstate(o: &Obj, state: &Obj) -> PyResult<PyRef> {
    if !tuple::check(state) {
        return Err(raise!(TypeError, "argument to __setstate__ must be a tuple"));
    }
    let items = tuple::items(state);
    if items.len() != 4 {
        return Err(raise!(TypeError, "expected 4 items in state, got {}", items.len()));
    }
    let (func, args, kw, d) = (items[0], items[1], items[2], items[3]);
    if func.ob_type().slots().tp_call.is_none()
        || !tuple::check(args)
        || (!kw.is(none::none_obj()) && !dict::check(kw))
    {
        return Err(raise!(TypeError, "invalid partial state"));
    }
    if tuple::items(args).last().is_some_and(|x| is_placeholder(x)) {
        return Err(raise!(TypeError, "trailing Placeholders are not allowed"));
    }
    let args = if tuple::check_exact(args) { args.new_ref() } else { tuple::new_from(tuple::items(args)) };
    let keywords = if kw.is(none::none_obj()) { dict::new() } else { dict::copy(kw)? };
    let placeholders = tuple::items(&args).iter().filter(|x| is_placeholder(x)).count();
    with(o, |p: &mut Partial| {
        p.func = func.new_ref();
        p.args = args;
        p.keywords = keywords;
        p.placeholders = placeholders;
    })?;
    if !d.is(none::none_obj()) {
        abstract_::setattr(o, &unicode::new("__dict__"), Some(d))?;
    }
    Ok(none::none())
}
