//! `object`'s side of pickling and copying (CPython's `reduce_newobj`, `object_getstate` and
//! friends in `Objects/typeobject.c`): `__reduce_ex__`, `__reduce__`, `__getstate__`, with
//! `copyreg` doing the rest, as in CPython. Also `object.__sizeof__` and
//! `object.__subclasshook__`.

use pyrite_abi::*;

use crate::abstract_;
use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::{dict, list, long, none, tuple};

/// `object.__reduce_ex__(protocol)`: a class's own `__reduce__` wins; otherwise protocol 2+
/// reduces through `copyreg.__newobj__` and older protocols through `copyreg._reduce_ex`.
pub fn m_reduce_ex(o: &Obj, protocol: &Obj) -> PyResult<PyRef> {
    let protocol = long::to_i64(&*abstract_::index(protocol)?).unwrap_or(i64::MAX);
    if let Some(r) = o.ob_type().lookup_str("__reduce__") {
        let object_reduce = crate::objects::type_::PyBaseObject_Type.lookup_str("__reduce__");
        if !object_reduce.is_some_and(|f| f.is(r)) {
            return abstract_::call_method(o, "__reduce__", &[]);
        }
    }
    common_reduce(o, protocol)
}

pub fn m_reduce(o: &Obj) -> PyResult<PyRef> {
    common_reduce(o, 0)
}

fn common_reduce(o: &Obj, protocol: i64) -> PyResult<PyRef> {
    if protocol >= 2 {
        return reduce_newobj(o);
    }
    let copyreg = crate::import::import_module("copyreg")?;
    let f = abstract_::getattr_str(&copyreg, "_reduce_ex")?;
    abstract_::call(&f, &tuple::new_from(&[o, &long::from_i64(protocol)]), None)
}

/// `(copyreg.__newobj__, (cls, *args), state, listitems, dictitems)`, or `__newobj_ex__` when
/// `__getnewargs_ex__` gives keyword arguments.
fn reduce_newobj(o: &Obj) -> PyResult<PyRef> {
    let ty = o.ob_type();
    if ty.slots().tp_new.is_none() {
        return Err(raise!(TypeError, "cannot pickle '{}' object", ty.name()));
    }
    let (args, kwargs) = new_arguments(o)?;
    let copyreg = crate::import::import_module("copyreg")?;
    let has_args = args.is_some();
    let args = args.unwrap_or_else(tuple::empty);
    let (newobj, newargs) = match kwargs.filter(|k| dict::len(k) > 0) {
        None => {
            let mut items: Vec<&Obj> = vec![ty];
            items.extend(tuple::items(&args));
            (abstract_::getattr_str(&copyreg, "__newobj__")?, tuple::new_from(&items))
        }
        Some(kw) => (abstract_::getattr_str(&copyreg, "__newobj_ex__")?, tuple::new_from(&[ty, &args, &kw])),
    };
    let is_list = o.is_instance_of(&list::PyList_Type);
    let is_dict = o.is_instance_of(&dict::PyDict_Type);
    let state = getstate(o, !has_args && !is_list && !is_dict)?;
    let listitems = if is_list { crate::objects::iterobject::get_iter(o)? } else { none::none() };
    let dictitems = if is_dict { crate::objects::iterobject::get_iter(&*abstract_::call_method(o, "items", &[])?)? } else { none::none() };
    Ok(tuple::new_from(&[&newobj, &newargs, &state, &listitems, &dictitems]))
}

/// `__getnewargs_ex__()` or `__getnewargs__()`, checked as CPython checks them.
fn new_arguments(o: &Obj) -> PyResult<(Option<PyRef>, Option<PyRef>)> {
    if let Some(f) = crate::objects::argparse::lookup_special(o, "__getnewargs_ex__")? {
        let r = abstract_::call_no_args(&f)?;
        if !tuple::check(&r) {
            return Err(raise!(TypeError, "__getnewargs_ex__ should return a tuple, not '{}'", r.ob_type().name()));
        }
        if tuple::len(&r) != 2 {
            return Err(raise!(ValueError, "__getnewargs_ex__ should return a tuple of length 2, not {}", tuple::len(&r)));
        }
        let (a, k) = (tuple::get(&r, 0), tuple::get(&r, 1));
        if !tuple::check(a) {
            return Err(raise!(TypeError, "first item of the tuple returned by __getnewargs_ex__ must be a tuple, not '{}'", a.ob_type().name()));
        }
        if !dict::check(k) {
            return Err(raise!(TypeError, "second item of the tuple returned by __getnewargs_ex__ must be a dict, not '{}'", k.ob_type().name()));
        }
        return Ok((Some(a.new_ref()), Some(k.new_ref())));
    }
    if let Some(f) = crate::objects::argparse::lookup_special(o, "__getnewargs__")? {
        let r = abstract_::call_no_args(&f)?;
        if !tuple::check(&r) {
            return Err(raise!(TypeError, "__getnewargs__ should return a tuple, not '{}'", r.ob_type().name()));
        }
        return Ok((Some(r), None));
    }
    Ok((None, None))
}

/// The state to pickle: `__getstate__()`, whose default is [`default_state`].
fn getstate(o: &Obj, required: bool) -> PyResult<PyRef> {
    let own = o.ob_type().lookup_str("__getstate__");
    let default = crate::objects::type_::PyBaseObject_Type.lookup_str("__getstate__");
    let instance_override = abstract_::lookup_attr(o, "__dict__")?.is_some_and(|d| dict::check(&d) && dict::get_item_str(&d, "__getstate__").is_some());
    if !instance_override && own.is_some() && own.map(|f| f.as_ptr()) == default.map(|f| f.as_ptr()) {
        default_state(o, required)
    } else {
        abstract_::call_method(o, "__getstate__", &[])
    }
}

pub fn m_getstate(o: &Obj) -> PyResult<PyRef> {
    default_state(o, false)
}

/// `object.__getstate__()`: the instance `__dict__` (None when empty) and, for `__slots__`,
/// `(dict_state, {slot: value})`. With `required`, an object whose C layout holds more than
/// its dict, weak-reference list and slots cannot be pickled this way.
fn default_state(o: &Obj, required: bool) -> PyResult<PyRef> {
    let ty = o.ob_type();
    if required && ty.slots().tp_itemsize != 0 {
        return Err(raise!(TypeError, "cannot pickle '{}' object", ty.name()));
    }
    let mut state = match abstract_::lookup_attr(o, "__dict__")?.filter(|d| dict::check(d) && dict::len(d) > 0) {
        Some(d) => dict::copy(&d)?,
        None => none::none(),
    };
    let copyreg = crate::import::import_module("copyreg")?;
    let names = abstract_::call(&*abstract_::getattr_str(&copyreg, "_slotnames")?, &tuple::new_from(&[ty]), None)?;
    let names = crate::objects::iterobject::collect(&names)?;
    if required {
        let ptr = core::mem::size_of::<*mut PyObject>() as isize;
        let mut basic = crate::objects::type_::PyBaseObject_Type.slots().tp_basicsize;
        if ty.slots().tp_dictoffset != 0 {
            basic += ptr;
        }
        if ty.slots().tp_weaklistoffset != 0 {
            basic += ptr;
        }
        basic += ptr * names.len() as isize;
        if ty.slots().tp_basicsize > basic {
            return Err(raise!(TypeError, "cannot pickle '{}' object", ty.name()));
        }
    }
    if !names.is_empty() {
        let slots = dict::new();
        for n in &names {
            if let Some(v) = abstract_::getattr_opt(o, n)? {
                dict::set_item(&slots, n, &v)?;
            }
        }
        if dict::len(&slots) > 0 {
            state = tuple::new_from(&[&state, &slots]);
        }
    }
    Ok(state)
}

/// `object.__sizeof__()`: the instance's C size.
pub fn m_sizeof(o: &Obj) -> PyResult<PyRef> {
    let s = o.ob_type().slots();
    let mut size = s.tp_basicsize;
    if s.tp_itemsize != 0 {
        // SAFETY: a type with items lays out a PyVarObject.
        let n = unsafe { (*(o.as_ptr() as *mut PyVarObject)).ob_size };
        size += s.tp_itemsize.abs() * n.abs();
    }
    Ok(long::from_i64(size as i64))
}

/// `object.__subclasshook__()`: `NotImplemented` (ABCs override it).
pub fn m_subclasshook(_cls: &Obj, _args: &[&Obj]) -> PyResult<PyRef> {
    Ok(none::not_implemented())
}

