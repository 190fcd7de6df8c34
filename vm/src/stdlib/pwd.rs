//! `pwd`: the password database (`getpwuid`, `getpwnam`, `getpwall`) as
//! `pwd.struct_passwd` struct sequences.

use core::ffi::CStr;
use std::sync::OnceLock;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef, SyncPtr};
use crate::objects::{list, long, module, unicode};
use crate::method_table;

static STRUCT_PASSWD: OnceLock<SyncPtr<PyObject>> = OnceLock::new();

fn passwd_type() -> PyResult<&'static crate::objects::type_::TypeObj> {
    super::struct_seq_type(
        &STRUCT_PASSWD,
        c"pwd.struct_passwd",
        c"pwd.struct_passwd: Results from getpw*() routines.\n\nThis object may be accessed either as a tuple of\n  (pw_name,pw_passwd,pw_uid,pw_gid,pw_gecos,pw_dir,pw_shell)\nor via the object attributes as named in the above tuple.",
        &[Some(c"pw_name"), Some(c"pw_passwd"), Some(c"pw_uid"), Some(c"pw_gid"), Some(c"pw_gecos"), Some(c"pw_dir"), Some(c"pw_shell")],
        7,
    )
}

/// A `struct_passwd` from a C entry.
///
/// # Safety
/// `p` points to a valid `passwd` whose strings are NUL-terminated or NULL.
unsafe fn passwd_object(p: &libc::passwd) -> PyResult<PyRef> {
    let text = |s: *const libc::c_char| -> PyResult<PyRef> {
        if s.is_null() {
            return Ok(crate::objects::none::none());
        }
        // SAFETY: guaranteed by the caller.
        super::posix::fs_decode(unsafe { CStr::from_ptr(s) }.to_bytes(), false)
    };
    super::struct_seq_new(
        passwd_type()?,
        vec![
            text(p.pw_name)?,
            text(p.pw_passwd)?,
            long::from_i64(p.pw_uid as i64),
            long::from_i64(p.pw_gid as i64),
            text(p.pw_gecos)?,
            text(p.pw_dir)?,
            text(p.pw_shell)?,
        ],
    )
}

/// Runs a `getpw*_r` lookup with a growing buffer; `None` when there is no such entry.
fn lookup(mut f: impl FnMut(&mut libc::passwd, &mut [u8], &mut *mut libc::passwd) -> libc::c_int) -> PyResult<Option<PyRef>> {
    let mut size = 1024;
    loop {
        let mut buf = vec![0u8; size];
        // SAFETY: an all-zero passwd is valid to be overwritten.
        let mut pw: libc::passwd = unsafe { core::mem::zeroed() };
        let mut result: *mut libc::passwd = core::ptr::null_mut();
        let r = f(&mut pw, &mut buf, &mut result);
        if r == libc::ERANGE {
            size *= 2;
            continue;
        }
        if result.is_null() {
            return Ok(None);
        }
        // SAFETY: the lookup filled `pw`, whose strings point into `buf`.
        return unsafe { passwd_object(&pw) }.map(Some);
    }
}

fn m_getpwuid(_m: &Obj, uid: &Obj) -> PyResult<PyRef> {
    let v = crate::abstract_::index(uid)?;
    let id = long::to_i64(&v).and_then(|u| libc::uid_t::try_from(u).ok());
    let found = match id {
        // SAFETY: buffers of the given sizes.
        Some(id) => lookup(|pw, buf, res| unsafe { libc::getpwuid_r(id, pw, buf.as_mut_ptr() as *mut libc::c_char, buf.len(), res) })?,
        None => None,
    };
    found.ok_or_else(|| raise!(KeyError, "getpwuid(): uid not found: {}", long::to_decimal_string_unlimited(&v)))
}

fn m_getpwnam(_m: &Obj, name: &Obj) -> PyResult<PyRef> {
    if !unicode::check(name) {
        return Err(raise!(TypeError, "getpwnam() argument must be str, not {}", name.ob_type().name()));
    }
    let raw = super::posix::fs_encode(name)?;
    let c = std::ffi::CString::new(raw).map_err(|_| raise!(ValueError, "embedded null character"))?;
    // SAFETY: a NUL-terminated name and buffers of the given sizes.
    let found = lookup(|pw, buf, res| unsafe { libc::getpwnam_r(c.as_ptr(), pw, buf.as_mut_ptr() as *mut libc::c_char, buf.len(), res) })?;
    found.ok_or_else(|| raise!(KeyError, "getpwnam(): name not found: {}", unicode::repr_of(name)))
}

fn m_getpwall(_m: &Obj) -> PyResult<PyRef> {
    let out = list::new();
    // SAFETY: the non-reentrant enumeration runs start to end under the GIL.
    unsafe {
        libc::setpwent();
        loop {
            let p = libc::getpwent();
            if p.is_null() {
                break;
            }
            match passwd_object(&*p) {
                Ok(o) => list::append(&out, &o),
                Err(e) => {
                    libc::endpwent();
                    return Err(e);
                }
            }
        }
        libc::endpwent();
    }
    Ok(out)
}

method_table!(static PWD_METHODS = [
    o c"getpwuid" => m_getpwuid,
    o c"getpwnam" => m_getpwnam,
    noargs c"getpwall" => m_getpwall,
]);

pub fn create() -> PyResult<PyRef> {
    // SAFETY: the table is static.
    let m = unsafe { super::new_module("pwd", PWD_METHODS.0.get() as *mut PyMethodDef)? };
    crate::objects::dict::set_item_str(module::dict_of(&m), "struct_passwd", passwd_type()?)?;
    Ok(m)
}
