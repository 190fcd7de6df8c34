//! Binding call arguments to a function's parameters (CPython's `initialize_locals`), with
//! CPython's error messages.

use pyrite_abi::PyObject;

use crate::err::PyResult;
use crate::interp::{Frame, FrameBox};
use crate::object::{Obj, PyRef};
use crate::objects::code::{self, CO_VARARGS, CO_VARKEYWORDS};
use crate::objects::{dict, function, tuple, unicode};
use crate::slot::arg;

/// A frame for calling `func` with `nargs` positional arguments at `args`, followed by one
/// value per name in `kwnames` (a tuple, or NULL).
///
/// # Safety
/// `args` points to `nargs + len(kwnames)` live objects.
pub unsafe fn frame_for_call(func: &Obj, args: *const *mut PyObject, nargs: usize, kwnames: *mut PyObject) -> PyResult<FrameBox> {
    let cd = code::data(function::code_of(func));
    // SAFETY: func is a function; no arguments are moved in yet.
    let mut frame = unsafe { Frame::for_function(func.new_ref(), &mut []) };
    // SAFETY: guaranteed by the caller.
    let positional: &[*mut PyObject] = if nargs == 0 { &[] } else { unsafe { core::slice::from_raw_parts(args, nargs) } };
    let kwnames_obj = unsafe { crate::slot::opt_arg(kwnames) }.filter(|k| tuple::len(k) != 0);
    if kwnames_obj.is_none() && bind_positional(func, cd, &mut frame.fast, positional) {
        return Ok(frame);
    }
    let kw_values: &[*mut PyObject] = match kwnames_obj {
        Some(k) => unsafe { core::slice::from_raw_parts(args.add(nargs), tuple::len(k)) },
        None => &[],
    };
    bind(func, cd, &mut frame.fast, positional, kwnames_obj, kw_values)?;
    Ok(frame)
}

/// A frame for calling `func` with exactly its positional parameters (the caller checked
/// `specialize::exact_args`): the frame takes the reference to `func`, and the arguments are
/// moved from `args`, which is left NULL.
///
/// # Safety
/// `args` holds owned references to live objects.
#[inline(always)]
pub unsafe fn frame_exact(func: PyRef, args: &mut [*mut PyObject]) -> FrameBox {
    // SAFETY: func is a function taking exactly these arguments; they are owned.
    unsafe { Frame::for_function(func, args) }
}

/// A frame for calling `func` with the positional arguments `args` when the common case of
/// binding applies (see [`bind_positional`]; the arguments are copied, new references);
/// None, having bound nothing, otherwise.
///
/// # Safety
/// `func` is a function; `args` holds live objects.
#[inline(always)]
pub unsafe fn frame_positional(func: &Obj, args: &[*mut PyObject]) -> Option<FrameBox> {
    let cd = code::data(function::code_of(func));
    if cd.kwonlyargcount != 0 || cd.flags & (CO_VARARGS | CO_VARKEYWORDS) != 0 || args.len() > cd.argcount as usize {
        return None;
    }
    // SAFETY: func is a function; no arguments are moved in.
    let mut frame = unsafe { Frame::for_function(func.new_ref(), &mut []) };
    bind_positional(func, cd, &mut frame.fast, args).then_some(frame)
}

/// The common case of binding: positional arguments only, to a function without `*args`,
/// `**kwargs` or keyword-only parameters, the missing trailing ones having defaults. Binds
/// them (new references) and returns true; false, binding nothing, otherwise (`bind` then
/// binds or raises).
#[inline]
fn bind_positional(func: &Obj, cd: &code::CodeData, fast: &mut [*mut PyObject], positional: &[*mut PyObject]) -> bool {
    let argcount = cd.argcount as usize;
    if cd.kwonlyargcount != 0 || cd.flags & (CO_VARARGS | CO_VARKEYWORDS) != 0 || positional.len() > argcount {
        return false;
    }
    let defaults: &[&Obj] = if positional.len() == argcount {
        &[]
    } else {
        // SAFETY: func is a function; its defaults are a tuple or NULL.
        match unsafe { crate::slot::opt_arg((*function::raw(func)).defaults) } {
            Some(d) if tuple::len(d) >= argcount - positional.len() => tuple::items(d),
            _ => return false,
        }
    };
    for (slot, &a) in fast.iter_mut().zip(positional) {
        // SAFETY: live arguments; the slots of a new frame are NULL.
        unsafe { crate::object::incref(a) };
        *slot = a;
    }
    // The last `argcount - len` parameters not given take the last defaults.
    let missing = argcount - positional.len();
    for (slot, d) in fast[positional.len()..argcount].iter_mut().zip(&defaults[defaults.len() - missing..]) {
        *slot = d.new_ref().into_raw();
    }
    true
}

fn qualname(func: &Obj) -> String {
    // SAFETY: func is a function.
    unicode::as_str_lossy(unsafe { arg((*function::raw(func)).qualname) }).into_owned()
}

fn set(fast: &mut [*mut PyObject], i: usize, v: &Obj) {
    let old = core::mem::replace(&mut fast[i], v.new_ref().into_raw());
    // SAFETY: owned or NULL.
    unsafe { crate::object::xdecref(old) };
}

/// "a", "a and b", "a, b, and c" — CPython's list of missing names.
fn name_list(names: &[String]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match q.len() {
        1 => q[0].clone(),
        2 => format!("{} and {}", q[0], q[1]),
        n => format!("{}, and {}", q[..n - 1].join(", "), q[n - 1]),
    }
}

fn bind(
    func: &Obj,
    cd: &code::CodeData,
    fast: &mut [*mut PyObject],
    positional: &[*mut PyObject],
    kwnames: Option<&Obj>,
    kw_values: &[*mut PyObject],
) -> PyResult<()> {
    let argcount = cd.argcount as usize;
    let kwonly = cd.kwonlyargcount as usize;
    let total = argcount + kwonly;
    let has_varargs = cd.flags & CO_VARARGS != 0;
    let has_varkw = cd.flags & CO_VARKEYWORDS != 0;
    let name = || qualname(func);

    // **kwargs dict, if any, lives after *args.
    let kwdict = if has_varkw {
        let d = dict::new();
        let idx = total + has_varargs as usize;
        set(fast, idx, &d);
        Some(d)
    } else {
        None
    };

    // Positional parameters.
    let n = positional.len().min(argcount);
    for i in 0..n {
        // SAFETY: live arguments.
        set(fast, i, unsafe { arg(positional[i]) });
    }
    if has_varargs {
        // SAFETY: live arguments.
        let extra: Vec<&Obj> = positional[n..].iter().map(|&p| unsafe { arg(p) }).collect();
        set(fast, total, &tuple::new_from(&extra));
    } else if positional.len() > argcount {
        let given = positional.len();
        let kw_given = kwnames.map_or(0, |k| {
            tuple::items(k).iter().filter(|k| param_index(cd, k).is_some_and(|i| i >= argcount && i < total)).count()
        });
        let defaults = defaults_count(func);
        let takes = if defaults > 0 {
            format!("from {} to {} positional argument{}", argcount - defaults, argcount, if argcount == 1 { "" } else { "s" })
        } else {
            format!("{} positional argument{}", argcount, if argcount == 1 { "" } else { "s" })
        };
        let kw_part = if kw_given > 0 {
            format!(" positional argument{} (and {} keyword-only argument{})", if given == 1 { "" } else { "s" }, kw_given, if kw_given == 1 { "" } else { "s" })
        } else {
            String::new()
        };
        return Err(raise!(
            TypeError,
            "{}() takes {} but {}{} {} given",
            name(),
            takes,
            given,
            kw_part,
            if given == 1 && kw_given == 0 { "was" } else { "were" }
        ));
    }

    // Keyword arguments.
    if let Some(k) = kwnames {
        let mut posonly_as_kw: Vec<String> = Vec::new();
        for (j, key) in tuple::items(k).iter().enumerate() {
            // SAFETY: live argument.
            let value = unsafe { arg(kw_values[j]) };
            match param_index(cd, key) {
                Some(i) if i >= cd.posonlyargcount as usize && i < total => {
                    if !fast[i].is_null() {
                        return Err(raise!(TypeError, "{}() got multiple values for argument '{}'", name(), unicode::as_str_lossy(key)));
                    }
                    set(fast, i, value);
                }
                found => {
                    match &kwdict {
                        Some(d) => dict::set_item(d, key, value)?,
                        None => {
                            if found.is_some() {
                                posonly_as_kw.push(unicode::as_str_lossy(key).into_owned());
                                continue;
                            }
                            return Err(raise!(TypeError, "{}() got an unexpected keyword argument '{}'", name(), unicode::as_str_lossy(key)));
                        }
                    }
                }
            }
        }
        if !posonly_as_kw.is_empty() {
            return Err(raise!(
                TypeError,
                "{}() got some positional-only arguments passed as keyword arguments: '{}'",
                name(),
                posonly_as_kw.join(", ")
            ));
        }
    }

    // Defaults for missing positional parameters.
    // SAFETY: func is a function.
    let defaults = unsafe { crate::slot::opt_arg((*function::raw(func)).defaults) };
    let ndefaults = defaults.map_or(0, |d| tuple::len(d));
    let first_default = argcount - ndefaults.min(argcount);
    let mut missing = Vec::new();
    for i in positional.len().min(argcount)..argcount {
        if fast[i].is_null() {
            if i >= first_default {
                set(fast, i, tuple::get(defaults.unwrap(), i - first_default));
            } else {
                missing.push(unicode::as_str_lossy(cd.localplus_name(i)).into_owned());
            }
        }
    }
    if !missing.is_empty() {
        return Err(raise!(
            TypeError,
            "{}() missing {} required positional argument{}: {}",
            name(),
            missing.len(),
            if missing.len() == 1 { "" } else { "s" },
            name_list(&missing)
        ));
    }

    // Keyword-only defaults.
    // SAFETY: func is a function.
    let kwdefaults = unsafe { crate::slot::opt_arg((*function::raw(func)).kwdefaults) };
    let mut missing = Vec::new();
    for i in argcount..total {
        if fast[i].is_null() {
            let pname = cd.localplus_name(i);
            match kwdefaults.and_then(|d| dict::get_item_borrowed(d, pname)) {
                Some(v) => set(fast, i, v),
                None => missing.push(unicode::as_str_lossy(pname).into_owned()),
            }
        }
    }
    if !missing.is_empty() {
        return Err(raise!(
            TypeError,
            "{}() missing {} required keyword-only argument{}: {}",
            name(),
            missing.len(),
            if missing.len() == 1 { "" } else { "s" },
            name_list(&missing)
        ));
    }
    Ok(())
}

fn defaults_count(func: &Obj) -> usize {
    // SAFETY: func is a function.
    unsafe { crate::slot::opt_arg((*function::raw(func)).defaults) }.map_or(0, |d| tuple::len(d))
}

/// Index of the parameter named `key` among the first `total_args` locals.
fn param_index(cd: &code::CodeData, key: &Obj) -> Option<usize> {
    (0..cd.total_args()).find(|&i| {
        let n = cd.localplus_name(i);
        n.is(key) || (unicode::check(key) && unicode::eq(n, key))
    })
}

