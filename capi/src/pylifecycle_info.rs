//! `pylifecycle.h`'s information strings (`Py_GetPlatform`, `Py_GetCompiler`, ...) and the
//! locale conversions `Py_DecodeLocale`/`Py_EncodeLocale` (Pyrite runs in UTF-8 mode: the
//! locale encoding is UTF-8 with `surrogateescape`).

use core::ffi::c_char;
use core::ptr::null_mut;

use pyrite_vm::alloc;

use crate::capi;
use crate::sysmodule::WChar;

/// The build description `sys.version` shows between parentheses.
static BUILD_INFO: &core::ffi::CStr = match core::ffi::CStr::from_bytes_with_nul(concat!("pyrite ", env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
    Ok(s) => s,
    Err(_) => panic!("build info"),
};

capi! {
    /// `sys.platform`.
    fn Py_GetPlatform() -> *const c_char [core::ptr::null()] { Ok(c"linux".as_ptr()) }
    /// The compiler part of `sys.version`.
    fn Py_GetCompiler() -> *const c_char [core::ptr::null()] { Ok(c"[rustc]".as_ptr()) }
    /// The build part of `sys.version`.
    fn Py_GetBuildInfo() -> *const c_char [core::ptr::null()] { Ok(BUILD_INFO.as_ptr()) }
    /// Whether the runtime was built with C assertions on (CPython's `--with-assertions`);
    /// CPython's test extensions ask. Pyrite's own checks are not C assertions: 0.
    fn _Py_GetBuiltWithAssert() -> core::ffi::c_int [-1] { Ok(0) }
    fn Py_GetCopyright() -> *const c_char [core::ptr::null()] { Ok(pyrite_vm::sys::COPYRIGHT.as_ptr()) }

    /// UTF-8 with `surrogateescape` into a `PyMem_RawMalloc`ed wide string; `*size` gets its
    /// length. Never fails to decode (undecodable bytes become U+DC80..U+DCFF).
    fn Py_DecodeLocale(arg: *const c_char, size: *mut usize) -> *mut WChar [null_mut()] {
        if arg.is_null() {
            if !size.is_null() { *size = usize::MAX - 1; }
            return Ok(null_mut());
        }
        let b = core::ffi::CStr::from_ptr(arg).to_bytes();
        let mut out: Vec<WChar> = Vec::with_capacity(b.len() + 1);
        let mut i = 0;
        while i < b.len() {
            match core::str::from_utf8(&b[i..]) {
                Ok(s) => { out.extend(s.chars().map(|c| c as WChar)); break; }
                Err(e) => {
                    let good = i + e.valid_up_to();
                    out.extend(core::str::from_utf8_unchecked(&b[i..good]).chars().map(|c| c as WChar));
                    let bad = e.error_len().unwrap_or(b.len() - good);
                    out.extend(b[good..good + bad].iter().map(|&x| 0xdc00 + x as WChar));
                    i = good + bad;
                }
            }
        }
        let n = out.len();
        out.push(0);
        let p = alloc::raw_malloc(out.len() * size_of::<WChar>()) as *mut WChar;
        if p.is_null() {
            if !size.is_null() { *size = usize::MAX; }
            return Ok(null_mut());
        }
        core::ptr::copy_nonoverlapping(out.as_ptr(), p, out.len());
        if !size.is_null() { *size = n; }
        Ok(p)
    }
    /// The inverse: a `PyMem_Malloc`ed UTF-8 string; U+DC80..U+DCFF become their bytes. A
    /// character that cannot be encoded (another surrogate) gives NULL with `*error_pos` set
    /// to its index.
    fn Py_EncodeLocale(text: *const WChar, error_pos: *mut usize) -> *mut c_char [null_mut()] {
        if !error_pos.is_null() { *error_pos = usize::MAX; }
        if text.is_null() { return Ok(null_mut()); }
        let mut out = Vec::new();
        let mut i = 0;
        while *text.add(i) != 0 {
            let c = *text.add(i) as u32;
            if (0xdc80..=0xdcff).contains(&c) {
                out.push((c - 0xdc00) as u8);
            } else if let Some(ch) = char::from_u32(c) {
                let mut buf = [0u8; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            } else {
                if !error_pos.is_null() { *error_pos = i; }
                return Ok(null_mut());
            }
            i += 1;
        }
        out.push(0);
        let p = alloc::raw_malloc(out.len()) as *mut u8;
        if p.is_null() { return Ok(null_mut()); }
        core::ptr::copy_nonoverlapping(out.as_ptr(), p, out.len());
        Ok(p as *mut c_char)
    }
}

