//! The codec registry (CPython's `Python/codecs.c`) and the built-in `_codecs` module.
//!
//! Search functions registered with `codecs.register` map a normalized encoding name to a
//! `CodecInfo`; results are cached. The first lookup imports `encodings` (frozen into the
//! binary, `import/frozen/encodings/`), whose search function describes the codecs written in
//! Rust (`builtin.rs`). Error handlers live in a second registry, seeded with the standard
//! handlers (`errors.rs`). `str.encode`/`bytes.decode` use the Rust codecs directly when the
//! name is one of theirs, and the registry otherwise.

pub mod builtin;
pub mod encoding_map;
pub mod errors;

use std::sync::OnceLock;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef, SyncPtr};
use crate::objects::{bytes, dict, list, long, module, none, tuple, unicode};

use builtin::Codec;
use errors::Standard;

struct Registry {
    search: *mut PyObject,
    cache: *mut PyObject,
    errors: *mut PyObject,
}

fn registry() -> &'static Registry {
    static R: OnceLock<SyncPtr<Registry>> = OnceLock::new();
    let p = R.get_or_init(|| {
        let r = Registry {
            search: crate::object::make_immortal(list::new()),
            cache: crate::object::make_immortal(dict::new()),
            errors: crate::object::make_immortal(dict::new()),
        };
        SyncPtr(Box::into_raw(Box::new(r)))
    });
    // SAFETY: leaked on purpose: the registry lives as long as the process.
    unsafe { &*p.0 }
}

fn search_list() -> &'static Obj {
    // SAFETY: immortal list.
    unsafe { Obj::from_ptr(registry().search) }
}
fn cache() -> &'static Obj {
    // SAFETY: immortal dict.
    unsafe { Obj::from_ptr(registry().cache) }
}
fn error_registry() -> &'static Obj {
    // SAFETY: immortal dict.
    let d = unsafe { Obj::from_ptr(registry().errors) };
    if dict::len(d) == 0 {
        let m = module();
        for (name, f) in [
            ("strict", "strict_errors"),
            ("ignore", "ignore_errors"),
            ("replace", "replace_errors"),
            ("xmlcharrefreplace", "xmlcharrefreplace_errors"),
            ("backslashreplace", "backslashreplace_errors"),
            ("namereplace", "namereplace_errors"),
            ("surrogateescape", "surrogateescape"),
            ("surrogatepass", "surrogatepass"),
        ] {
            if let Ok(h) = crate::abstract_::getattr_str(&m, f) {
                let _ = dict::set_item_str(d, name, &h);
            }
        }
    }
    d
}

/// The name search functions see (CPython 3.15's `normalizestring`): ASCII letters in lower
/// case, spaces as hyphens, everything else as given.
fn registry_name(encoding: &str) -> String {
    encoding.chars().map(|c| if c == ' ' { '-' } else { c.to_ascii_lowercase() }).collect()
}

/// Imports `encodings` (which registers the built-in codecs' search function) once, before
/// the registry is first used, as CPython does at startup.
fn ensure_encodings() -> PyResult<()> {
    static STARTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if STARTED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        return Ok(());
    }
    let r = crate::import::import_module("encodings").map(|_| ());
    if r.is_err() {
        STARTED.store(false, std::sync::atomic::Ordering::Relaxed);
    }
    r
}

/// `codecs.register(search_function)`.
pub fn register(f: &Obj) -> PyResult<()> {
    ensure_encodings()?;
    if f.ob_type().slots().tp_call.is_none() {
        return Err(raise!(TypeError, "argument must be callable"));
    }
    list::append(search_list(), f);
    Ok(())
}

/// `codecs.unregister(search_function)`: removes it and clears the cache.
pub fn unregister(f: &Obj) -> PyResult<()> {
    let l = search_list();
    for i in 0..list::len(l) {
        if list::get(l, i).is_some_and(|x| x.is(f)) {
            list::remove_at(l, i);
            dict::clear(cache());
            break;
        }
    }
    Ok(())
}

/// `codecs.lookup(encoding)`: the cached or newly found `CodecInfo` (a 4-tuple at least).
pub fn lookup(encoding: &str) -> PyResult<PyRef> {
    let key = registry_name(encoding);
    if let Some(c) = dict::get_item_str(cache(), &key) {
        return Ok(c);
    }
    ensure_encodings()?;
    let name = unicode::new(&key);
    for f in list::to_vec(search_list()) {
        let r = crate::abstract_::call_one_arg(&f, &name)?;
        if r.is(none::none_obj()) {
            continue;
        }
        if !tuple::check(&r) || tuple::len(&r) != 4 {
            return Err(raise!(TypeError, "codec search functions must return 4-tuples"));
        }
        dict::set_item_str(cache(), &key, &r)?;
        return Ok(r);
    }
    Err(raise!(LookupError, "unknown encoding: {}", encoding))
}

/// Whether the registry knows the encoding (`PyCodec_KnownEncoding`).
pub fn known(encoding: &str) -> bool {
    lookup(encoding).is_ok()
}

/// `codecs.register_error(name, handler)`.
pub fn register_error(name: &str, handler: &Obj) -> PyResult<()> {
    if handler.ob_type().slots().tp_call.is_none() {
        return Err(raise!(TypeError, "handler must be callable"));
    }
    dict::set_item_str(error_registry(), name, handler)
}

/// `codecs.lookup_error(name)`.
pub fn lookup_error(name: &str) -> PyResult<PyRef> {
    dict::get_item_str(error_registry(), name).ok_or_else(|| raise!(LookupError, "unknown error handler name '{}'", name))
}

/// A codec's entry from its `CodecInfo`: 0 encoder, 1 decoder, 2 stream reader, 3 writer.
pub fn codec_item(encoding: &str, i: usize) -> PyResult<PyRef> {
    let info = lookup(encoding)?;
    Ok(tuple::get(&info, i).new_ref())
}

/// `CodecInfo.<attr>(errors)`: an incremental encoder or decoder.
pub fn incremental(encoding: &str, errors: Option<&str>, attr: &str) -> PyResult<PyRef> {
    let info = lookup(encoding)?;
    let factory = crate::abstract_::getattr_str(&info, attr)?;
    match errors {
        Some(e) => crate::abstract_::call_one_arg(&factory, &unicode::new(e)),
        None => crate::abstract_::call_no_args(&factory),
    }
}

/// `CodecInfo[2 or 3](stream, errors)`: a stream reader or writer.
pub fn stream_codec(encoding: &str, stream: &Obj, errors: Option<&str>, i: usize) -> PyResult<PyRef> {
    let f = codec_item(encoding, i)?;
    let args = match errors {
        Some(e) => tuple::new_from(&[stream, &unicode::new(e)]),
        None => tuple::new_from(&[stream]),
    };
    crate::abstract_::call(&f, &args, None)
}

/// Calls an encoder or decoder and takes the object out of its `(object, length)` result.
fn call_codec(f: &Obj, o: &Obj, errors: Option<&str>, encode: bool) -> PyResult<PyRef> {
    let args = match errors {
        Some(e) => tuple::new_from(&[o, &unicode::new(e)]),
        None => tuple::new_from(&[o]),
    };
    let r = crate::abstract_::call(f, &args, None)?;
    if !tuple::check(&r) || tuple::len(&r) != 2 {
        return Err(if encode {
            raise!(TypeError, "encoder must return a tuple (object, integer)")
        } else {
            raise!(TypeError, "decoder must return a tuple (object, integer)")
        });
    }
    Ok(tuple::get(&r, 0).new_ref())
}

/// `codecs.encode(obj, encoding, errors)` (`PyCodec_Encode`): any object, any codec.
pub fn encode(o: &Obj, encoding: &str, errors: Option<&str>) -> PyResult<PyRef> {
    let f = codec_item(encoding, 0)?;
    call_codec(&f, o, errors, true)
}

/// `codecs.decode(obj, encoding, errors)` (`PyCodec_Decode`).
pub fn decode(o: &Obj, encoding: &str, errors: Option<&str>) -> PyResult<PyRef> {
    let f = codec_item(encoding, 1)?;
    call_codec(&f, o, errors, false)
}

/// `_PyCodec_LookupTextEncoding`: codecs marked `_is_text_encoding = False` are refused.
fn text_codec(encoding: &str, alternative: &str) -> PyResult<PyRef> {
    let info = lookup(encoding)?;
    if let Some(flag) = crate::abstract_::lookup_attr(&info, "_is_text_encoding")?
        && !crate::abstract_::is_true(&flag)?
    {
        return Err(raise!(LookupError, "'{}' is not a text encoding; use {} to handle arbitrary codecs", encoding, alternative));
    }
    Ok(info)
}

/// `str.encode`: the Rust codecs directly, else the registry (the result must be bytes).
pub fn encode_text(o: &Obj, encoding: &str, errors: &str) -> PyResult<PyRef> {
    if let Some(c) = builtin::lookup(&builtin::normalize(encoding)) {
        return builtin::encode(o, c, errors);
    }
    let info = text_codec(encoding, "codecs.encode()")?;
    let r = call_codec(tuple::get(&info, 0), o, Some(errors), true)?;
    if !bytes::check(&r) {
        return Err(raise!(
            TypeError,
            "'{}' encoder returned '{}' instead of 'bytes'; use codecs.encode() to encode to arbitrary types",
            encoding,
            r.ob_type().name()
        ));
    }
    Ok(r)
}

/// `bytes.decode`: the Rust codecs directly, else the registry (the result must be str).
pub fn decode_text(b: &[u8], encoding: &str, errors: &str) -> PyResult<PyRef> {
    if let Some(c) = builtin::lookup(&builtin::normalize(encoding)) {
        return builtin::decode(b, None, c, errors, true).map(|d| d.text);
    }
    let info = text_codec(encoding, "codecs.decode()")?;
    let r = call_codec(tuple::get(&info, 1), &bytes::new(b), Some(errors), false)?;
    if !unicode::check(&r) {
        return Err(raise!(
            TypeError,
            "'{}' decoder returned '{}' instead of 'str'; use codecs.decode() to decode to arbitrary types",
            encoding,
            r.ob_type().name()
        ));
    }
    Ok(r)
}

// ---- the `_codecs` module -------------------------------------------------------------------

/// The `_codecs` module (created on first use, lives forever).
pub fn module() -> PyRef {
    static MODULE: OnceLock<SyncPtr<PyObject>> = OnceLock::new();
    let p = MODULE.get_or_init(|| SyncPtr(crate::object::make_immortal(create().expect("creating _codecs")))).0;
    // SAFETY: the module is immortal.
    unsafe { Obj::from_ptr(p) }.new_ref()
}

fn create() -> PyResult<PyRef> {
    let m = module::new(&unicode::new("_codecs"))?;
    // SAFETY: the table is static.
    unsafe { module::add_functions(&m, CODECS_METHODS.0.get() as *mut PyMethodDef)? };
    Ok(m)
}

fn str_arg<'a>(f: &str, i: usize, o: &'a Obj) -> PyResult<&'a str> {
    if !unicode::check(o) {
        return Err(raise!(TypeError, "{}() argument {} must be str, not {}", f, i, o.ob_type().name()));
    }
    unicode::as_str(o)
}

/// An optional `errors` argument (None is strict).
fn errors_arg<'a>(f: &str, args: &[&'a Obj], i: usize) -> PyResult<&'a str> {
    match args.get(i) {
        None => Ok("strict"),
        Some(o) if o.is(none::none_obj()) => Ok("strict"),
        Some(o) => str_arg(f, i + 1, o),
    }
}

fn bool_arg(args: &[&Obj], i: usize, default: bool) -> PyResult<bool> {
    match args.get(i) {
        None => Ok(default),
        Some(o) => crate::abstract_::is_true(o),
    }
}

fn int_arg(args: &[&Obj], i: usize) -> PyResult<i64> {
    match args.get(i) {
        None => Ok(0),
        Some(o) => Ok(long::to_i64(&*crate::abstract_::index(o)?).unwrap_or(0)),
    }
}

fn check_n(f: &str, args: &[&Obj], min: usize, max: usize) -> PyResult<()> {
    crate::objects::argparse::check_positional(f, args.len(), min, max)
}

fn m_register(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_n("register", a, 1, 1)?;
    register(a[0]).map(|_| none::none())
}
fn m_unregister(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_n("unregister", a, 1, 1)?;
    unregister(a[0]).map(|_| none::none())
}
fn m_lookup(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_n("lookup", a, 1, 1)?;
    lookup(str_arg("lookup", 1, a[0])?)
}
fn m_encode(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_n("encode", a, 1, 3)?;
    let enc = match a.get(1) {
        Some(e) => str_arg("encode", 2, e)?,
        None => "utf-8",
    };
    encode(a[0], enc, Some(errors_arg("encode", a, 2)?))
}
fn m_decode(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_n("decode", a, 1, 3)?;
    let enc = match a.get(1) {
        Some(e) => str_arg("decode", 2, e)?,
        None => "utf-8",
    };
    decode(a[0], enc, Some(errors_arg("decode", a, 2)?))
}
fn m_lookup_error(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_n("lookup_error", a, 1, 1)?;
    lookup_error(str_arg("lookup_error", 1, a[0])?)
}
fn m_register_error(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_n("register_error", a, 2, 2)?;
    register_error(str_arg("register_error", 1, a[0])?, a[1]).map(|_| none::none())
}

/// `_codecs._unregister_error(name)`: forgets a handler registered by name; True when there
/// was one. The built-in handlers stay.
fn m_unregister_error(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_n("_unregister_error", a, 1, 1)?;
    let name = str_arg("_unregister_error", 1, a[0])?;
    const BUILT_IN: [&str; 8] =
        ["strict", "ignore", "replace", "xmlcharrefreplace", "backslashreplace", "namereplace", "surrogateescape", "surrogatepass"];
    if BUILT_IN.contains(&name) {
        return Err(raise!(ValueError, "cannot un-register built-in error handler '{}'", name));
    }
    let removed = dict::pop(error_registry(), &unicode::new(name))?.is_some();
    Ok(crate::objects::bool_::new(removed))
}

fn encode_fn(f: &str, a: &[&Obj], codec: Codec) -> PyResult<PyRef> {
    check_n(f, a, 1, 2)?;
    let s = str_arg(f, 1, a[0]).map(|_| a[0])?;
    let r = builtin::encode(s, codec, errors_arg(f, a, 1)?)?;
    Ok(builtin::pair(r, unicode::len(s)))
}

fn decode_fn(f: &str, a: &[&Obj], codec: Codec, final_default: bool) -> PyResult<PyRef> {
    check_n(f, a, 1, 3)?;
    let data = bytes::bytes_like(a[0])?;
    let input = if bytes::check(a[0]) { Some(a[0]) } else { None };
    let d = builtin::decode(&data, input, codec, errors_arg(f, a, 1)?, bool_arg(a, 2, final_default)?)?;
    Ok(builtin::pair(d.text, d.consumed))
}

macro_rules! codec_fns {
    ($($enc:ident $dec:ident $codec:expr, $final_default:expr;)*) => {$(
        fn $enc(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
            encode_fn(stringify!($enc), a, $codec)
        }
        fn $dec(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
            decode_fn(stringify!($dec), a, $codec, $final_default)
        }
    )*};
}

codec_fns! {
    utf_8_encode utf_8_decode Codec::Utf8, false;
    ascii_encode ascii_decode Codec::Ascii, true;
    latin_1_encode latin_1_decode Codec::Latin1, true;
    utf_16_le_encode utf_16_le_decode Codec::Utf16(-1), false;
    utf_16_be_encode utf_16_be_decode Codec::Utf16(1), false;
    utf_32_le_encode utf_32_le_decode Codec::Utf32(-1), false;
    utf_32_be_encode utf_32_be_decode Codec::Utf32(1), false;
    utf_7_encode utf_7_decode Codec::Utf7, false;
    unicode_escape_encode unicode_escape_decode Codec::UnicodeEscape, true;
    raw_unicode_escape_encode raw_unicode_escape_decode Codec::RawUnicodeEscape, true;
}

fn utf_16_encode(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_n("utf_16_encode", a, 1, 3)?;
    let bo = int_arg(a, 2)?.signum() as i32;
    encode_fn("utf_16_encode", &a[..a.len().min(2)], Codec::Utf16(bo))
}
fn utf_32_encode(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_n("utf_32_encode", a, 1, 3)?;
    let bo = int_arg(a, 2)?.signum() as i32;
    encode_fn("utf_32_encode", &a[..a.len().min(2)], Codec::Utf32(bo))
}
fn utf_16_decode(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    decode_fn("utf_16_decode", a, Codec::Utf16(0), false)
}
fn utf_32_decode(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    decode_fn("utf_32_decode", a, Codec::Utf32(0), false)
}

/// `utf_16_ex_decode(data, errors=None, byteorder=0, final=False)` → `(str, consumed, byteorder)`.
fn ex_decode(f: &str, a: &[&Obj], utf32: bool) -> PyResult<PyRef> {
    check_n(f, a, 1, 4)?;
    let data = bytes::bytes_like(a[0])?;
    let bo = int_arg(a, 2)?.signum() as i32;
    let codec = if utf32 { Codec::Utf32(bo) } else { Codec::Utf16(bo) };
    let input = if bytes::check(a[0]) { Some(a[0]) } else { None };
    let d = builtin::decode(&data, input, codec, errors_arg(f, a, 1)?, bool_arg(a, 3, false)?)?;
    // Before a BOM has been seen, the order stays 0.
    let order = if bo == 0 && d.consumed < 2 { 0 } else { d.byteorder };
    Ok(tuple::new_from_owned(vec![d.text, long::from_usize(d.consumed), long::from_i64(order as i64)]))
}
fn utf_16_ex_decode(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    ex_decode("utf_16_ex_decode", a, false)
}
fn utf_32_ex_decode(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    ex_decode("utf_32_ex_decode", a, true)
}

fn charmap_encode(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_n("charmap_encode", a, 1, 3)?;
    let s = str_arg("charmap_encode", 1, a[0]).map(|_| a[0])?;
    let r = builtin::encode_charmap(s, errors_arg("charmap_encode", a, 1)?, a.get(2).copied().filter(|m| !m.is(none::none_obj())))?;
    Ok(builtin::pair(r, unicode::len(s)))
}
fn charmap_decode(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_n("charmap_decode", a, 1, 3)?;
    let data = bytes::bytes_like(a[0])?;
    let input = if bytes::check(a[0]) { Some(a[0]) } else { None };
    let r = builtin::decode_charmap(&data, input, errors_arg("charmap_decode", a, 1)?, a.get(2).copied().filter(|m| !m.is(none::none_obj())))?;
    Ok(builtin::pair(r, data.len()))
}
fn charmap_build(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_n("charmap_build", a, 1, 1)?;
    str_arg("charmap_build", 1, a[0])?;
    builtin::build_encoding_map(a[0])
}

macro_rules! handler_fns {
    ($($f:ident $h:expr;)*) => {$(
        fn $f(_m: &Obj, exc: &Obj) -> PyResult<PyRef> {
            errors::run_standard($h, exc)
        }
    )*};
}

handler_fns! {
    strict_errors Standard::Strict;
    ignore_errors Standard::Ignore;
    replace_errors Standard::Replace;
    xmlcharrefreplace_errors Standard::XmlCharRefReplace;
    backslashreplace_errors Standard::BackslashReplace;
    namereplace_errors Standard::NameReplace;
    surrogateescape Standard::SurrogateEscape;
    surrogatepass Standard::SurrogatePass;
}

/// `_codecs._normalize_encoding(name)` (for `encodings.normalize_encoding`): runs of
/// characters other than letters, digits and `.` become one `_`, dropped at both ends.
fn m_normalize_encoding(_m: &Obj, name: &Obj) -> PyResult<PyRef> {
    let name = str_arg("_normalize_encoding", 1, name)?;
    let mut out = String::with_capacity(name.len());
    let mut punct = false;
    for c in name.chars() {
        if c.is_alphanumeric() || c == '.' {
            if punct && !out.is_empty() {
                out.push('_');
            }
            out.push(c);
            punct = false;
        } else {
            punct = true;
        }
    }
    Ok(unicode::new(&out))
}

crate::method_table!(static CODECS_METHODS = [
    o c"_normalize_encoding" => m_normalize_encoding,
    fast c"register" => m_register,
    fast c"unregister" => m_unregister,
    fast c"lookup" => m_lookup,
    fast c"encode" => m_encode,
    fast c"decode" => m_decode,
    fast c"lookup_error" => m_lookup_error,
    fast c"register_error" => m_register_error,
    fast c"_unregister_error" => m_unregister_error,
    fast c"utf_8_encode" => utf_8_encode,
    fast c"utf_8_decode" => utf_8_decode,
    fast c"ascii_encode" => ascii_encode,
    fast c"ascii_decode" => ascii_decode,
    fast c"latin_1_encode" => latin_1_encode,
    fast c"latin_1_decode" => latin_1_decode,
    fast c"utf_16_encode" => utf_16_encode,
    fast c"utf_16_decode" => utf_16_decode,
    fast c"utf_16_le_encode" => utf_16_le_encode,
    fast c"utf_16_le_decode" => utf_16_le_decode,
    fast c"utf_16_be_encode" => utf_16_be_encode,
    fast c"utf_16_be_decode" => utf_16_be_decode,
    fast c"utf_16_ex_decode" => utf_16_ex_decode,
    fast c"utf_32_encode" => utf_32_encode,
    fast c"utf_32_decode" => utf_32_decode,
    fast c"utf_32_le_encode" => utf_32_le_encode,
    fast c"utf_32_le_decode" => utf_32_le_decode,
    fast c"utf_32_be_encode" => utf_32_be_encode,
    fast c"utf_32_be_decode" => utf_32_be_decode,
    fast c"utf_32_ex_decode" => utf_32_ex_decode,
    fast c"utf_7_encode" => utf_7_encode,
    fast c"utf_7_decode" => utf_7_decode,
    fast c"unicode_escape_encode" => unicode_escape_encode,
    fast c"unicode_escape_decode" => unicode_escape_decode,
    fast c"raw_unicode_escape_encode" => raw_unicode_escape_encode,
    fast c"raw_unicode_escape_decode" => raw_unicode_escape_decode,
    fast c"charmap_encode" => charmap_encode,
    fast c"charmap_decode" => charmap_decode,
    fast c"charmap_build" => charmap_build,
    o c"strict_errors" => strict_errors,
    o c"ignore_errors" => ignore_errors,
    o c"replace_errors" => replace_errors,
    o c"xmlcharrefreplace_errors" => xmlcharrefreplace_errors,
    o c"backslashreplace_errors" => backslashreplace_errors,
    o c"namereplace_errors" => namereplace_errors,
    o c"surrogateescape" => surrogateescape,
    o c"surrogatepass" => surrogatepass,
]);

