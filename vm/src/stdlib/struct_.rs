//! `_struct` (CPython's `Modules/_struct.c`): converting between Python values and C structs
//! laid out as bytes. A format compiles once into a list of items with their offsets (native
//! `@` sizes and alignment, or the standard `=`/`<`/`>`/`!` sizes), which `pack`/`unpack`
//! then walk. `struct.error` and every message are CPython 3.15's.

use std::sync::OnceLock;

use pyrite_abi::*;

use super::native::{self, new_instance, with};
use crate::err::{PyErr, PyResult};
use crate::method_table;
use crate::object::{Obj, PyRef, SyncPtr};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::type_::TypeObj;
use crate::objects::{bool_, bytearray, bytes, complex, dict, float, long, none, tuple, unicode};
use crate::objects::complex::Py_complex;
use crate::{abstract_, getter_def};

pub fn create() -> PyResult<PyRef> {
    let m = native::new_module("_struct", STRUCT_FUNCTIONS.0.get() as *mut PyMethodDef)?;
    native::add_types(&m, &[&STRUCT])?;
    // The iterator type is not a module attribute.
    crate::objects::type_::ready(&UNPACK_ITER)?;
    crate::objects::slotdefs::add_wrappers(&UNPACK_ITER)?;
    let d = crate::objects::module::dict_of(&m);
    dict::set_item_str(d, "error", error_class())?;
    dict::set_item_str(d, "__doc__", &unicode::new(MODULE_DOC))?;
    Ok(m)
}

const MODULE_DOC: &str = "Functions to convert between Python values and C structs.\nPython bytes objects are used to hold the data representing the C struct\nand also as format strings (explained below) to describe the layout of data\nin the C struct.\n\nThe optional first format char indicates byte order, size and alignment:\n  @: native order, size & alignment (default)\n  =: native order, std. size & alignment\n  <: little-endian, std. size & alignment\n  >: big-endian, std. size & alignment\n  !: same as >\n\nThe remaining chars indicate types of args and must match exactly;\nthese can be preceded by a decimal repeat count:\n  x: pad byte (no data); c:char; b:signed byte; B:unsigned byte;\n  ?: _Bool (requires C99; if not available, char is used instead)\n  h:short; H:unsigned short; i:int; I:unsigned int;\n  l:long; L:unsigned long; f:float; d:double; e:half-float.\n  F:float complex; D:double complex.\nSpecial cases (preceding decimal count indicates length):\n  s:string (array of char); p: pascal string (with count byte).\nSpecial cases (only available in native format):\n  n:ssize_t; N:size_t;\n  P:an integer type that is wide enough to hold a pointer.\nSpecial case (not in native mode unless 'long long' in platform C):\n  q:long long; Q:unsigned long long\nWhitespace between formats is ignored.\n\nThe variable struct.error is an exception raised on errors.\n";

/// `struct.error`, made once (an `Exception` subclass whose module is `struct`).
fn error_class() -> &'static Obj {
    static ERROR: OnceLock<SyncPtr<PyObject>> = OnceLock::new();
    let p = ERROR
        .get_or_init(|| {
            let ns = dict::new();
            dict::set_item_str(&ns, "__module__", &unicode::new("struct")).expect("dict insert");
            let bases = tuple::new_from(&[crate::objects::exceptions::Exception()]);
            let cls = abstract_::call(
                &crate::objects::type_::PyType_Type,
                &tuple::new_from(&[&*unicode::new("error"), &*bases, &*ns]),
                None,
            )
            .expect("creating struct.error");
            SyncPtr(crate::object::make_immortal(cls))
        })
        .0;
    // SAFETY: the class is immortal.
    unsafe { Obj::from_ptr(p) }
}

fn error(msg: String) -> PyErr {
    let t = TypeObj::downcast(error_class()).expect("struct.error is a class");
    PyErr::from_type_and_arg(t, &unicode::new(&msg))
}

// ---- formats --------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Order {
    Native,
    Little,
    Big,
}

#[derive(Clone, Copy)]
struct Item {
    code: u8,
    offset: usize,
    /// The byte size of one value; for `s`/`p` the field's length.
    size: usize,
}

struct Layout {
    items: Vec<Item>,
    size: usize,
    order: Order,
}

/// (size, alignment) of a code with native sizes (x86-64 / LP64), or None if unknown.
fn native_size(c: u8) -> Option<(usize, usize)> {
    Some(match c {
        b'x' | b'c' | b'b' | b'B' | b'?' | b's' | b'p' => (1, 1),
        b'h' | b'H' | b'e' => (2, 2),
        b'i' | b'I' | b'f' => (4, 4),
        b'l' | b'L' | b'q' | b'Q' | b'n' | b'N' | b'P' | b'd' => (8, 8),
        b'F' => (8, 4),
        b'D' => (16, 8),
        _ => return None,
    })
}

fn standard_size(c: u8) -> Option<usize> {
    Some(match c {
        b'x' | b'c' | b'b' | b'B' | b'?' | b's' | b'p' => 1,
        b'h' | b'H' | b'e' => 2,
        b'i' | b'I' | b'l' | b'L' | b'f' => 4,
        b'q' | b'Q' | b'd' | b'F' => 8,
        b'D' => 16,
        _ => return None,
    })
}

fn too_long() -> PyErr {
    error("total struct size too long".into())
}

fn compile(fmt: &[u8]) -> PyResult<Layout> {
    let (order, native, rest) = match fmt.first() {
        Some(b'@') => (Order::Native, true, &fmt[1..]),
        Some(b'=') => (Order::Native, false, &fmt[1..]),
        Some(b'<') => (Order::Little, false, &fmt[1..]),
        Some(b'>') | Some(b'!') => (Order::Big, false, &fmt[1..]),
        _ => (Order::Native, true, fmt),
    };
    let mut items = Vec::new();
    // (code, count, item size, offset of the first)
    let mut runs: Vec<(u8, usize, usize, usize)> = Vec::new();
    let mut offset = 0usize;
    let mut i = 0;
    while i < rest.len() {
        let mut c = rest[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let mut num = 1usize;
        if c.is_ascii_digit() {
            num = 0;
            while i < rest.len() && rest[i].is_ascii_digit() {
                num = num.checked_mul(10).and_then(|n| n.checked_add((rest[i] - b'0') as usize)).ok_or_else(too_long)?;
                i += 1;
            }
            if i == rest.len() {
                return Err(error("repeat count given without format specifier".into()));
            }
            c = rest[i];
        }
        i += 1;
        let (size, align) = if native {
            native_size(c).ok_or_else(|| error("bad char in struct format".into()))?
        } else {
            let s = standard_size(c).ok_or_else(|| error("bad char in struct format".into()))?;
            (s, 1)
        };
        offset = offset.checked_next_multiple_of(align).ok_or_else(too_long)?;
        // Runs of items are expanded only once the whole size is known to fit, so that a
        // huge repeat count is an error rather than an endless allocation.
        match c {
            b'x' => offset = offset.checked_add(num).ok_or_else(too_long)?,
            b's' | b'p' => {
                runs.push((c, 1, num, offset));
                offset = offset.checked_add(num).ok_or_else(too_long)?;
            }
            _ => {
                runs.push((c, num, size, offset));
                offset = num.checked_mul(size).and_then(|n| offset.checked_add(n)).ok_or_else(too_long)?;
            }
        }
        if offset > isize::MAX as usize {
            return Err(too_long());
        }
    }
    for (code, count, size, start) in runs {
        items.extend((0..count).map(|k| Item { code, offset: start + k * size, size }));
    }
    Ok(Layout { items, size: offset, order })
}

// ---- packing --------------------------------------------------------------------------------

fn put_bytes(out: &mut [u8], order: Order, v: &[u8]) {
    // `v` is little-endian.
    if order == Order::Big {
        for (o, b) in out.iter_mut().zip(v.iter().rev()) {
            *o = *b;
        }
    } else {
        out.copy_from_slice(v);
    }
}

fn get_bytes(data: &[u8], order: Order) -> Vec<u8> {
    let mut v = data.to_vec();
    if order == Order::Big {
        v.reverse();
    }
    v
}

/// The integer to pack: an int, or an object with `__index__`.
fn get_int(v: &Obj) -> PyResult<PyRef> {
    if long::check(v) {
        return Ok(v.new_ref());
    }
    if argparse::index_check(v) {
        return abstract_::index(v);
    }
    Err(error("required argument is not an integer".into()))
}

fn get_f64(v: &Obj) -> PyResult<f64> {
    crate::number::as_f64(v).map_err(|e| {
        if e.is_instance(crate::objects::exceptions::TypeError()) {
            error("required argument is not a float".into())
        } else {
            e
        }
    })
}

fn int_range_error(code: u8, size: usize, signed: bool) -> PyErr {
    let bits = 8 * size as u32;
    if signed {
        let max = (1i128 << (bits - 1)) - 1;
        error(format!("'{}' format requires {} <= number <= {}", code as char, -max - 1, max))
    } else {
        let max = (1u128 << bits) - 1;
        error(format!("'{}' format requires 0 <= number <= {}", code as char, max))
    }
}

fn pack_int(out: &mut [u8], it: Item, order: Order, v: &Obj) -> PyResult<()> {
    let n = get_int(v)?;
    let signed = it.code.is_ascii_lowercase();
    let bits = 8 * it.size as u32;
    let value = long::to_i128(&n);
    let ok = match value {
        None => false,
        Some(x) if it.code == b'P' => x >= i64::MIN as i128 && x <= u64::MAX as i128,
        Some(x) if signed => x >= -(1i128 << (bits - 1)) && x < (1i128 << (bits - 1)),
        Some(x) => x >= 0 && x < (1i128 << bits),
    };
    if !ok {
        if it.code == b'P' {
            return Err(raise!(OverflowError, "int too large to convert to pointer"));
        }
        return Err(int_range_error(it.code, it.size, signed));
    }
    let x = value.unwrap();
    put_bytes(out, order, &x.to_le_bytes()[..it.size]);
    Ok(())
}

/// IEEE 754 binary16 of `x`, rounded half to even (`PyFloat_Pack2`).
pub(crate) fn to_half(x: f64) -> PyResult<u16> {
    let sign: u16 = if x.is_sign_negative() { 0x8000 } else { 0 };
    if x.is_nan() {
        return Ok(sign | 0x7e00);
    }
    if x.is_infinite() {
        return Ok(sign | 0x7c00);
    }
    let a = x.abs();
    if a == 0.0 {
        return Ok(sign);
    }
    let overflow = || raise!(OverflowError, "float too large to pack with e format");
    // Scale to an integer mantissa of 11 bits (or fewer for subnormals), round to even.
    let (m, e) = {
        let bits = a.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i32;
        if exp == 0 { (a, -1074) } else { (a, exp - 1023) }
    };
    let _ = m;
    if e < -14 {
        // Subnormal half: units of 2^-24.
        let q = a * 2f64.powi(24);
        let r = round_half_even(q);
        if r >= 1024.0 {
            return Ok(sign | 0x0400); // rounds up into the smallest normal
        }
        return Ok(sign | r as u16);
    }
    let scaled = a * 2f64.powi(10 - e);
    let mut mant = round_half_even(scaled) as u32;
    let mut e = e;
    if mant >= 2048 {
        mant >>= 1;
        e += 1;
    }
    if e > 15 {
        return Err(overflow());
    }
    Ok(sign | (((e + 15) as u16) << 10) | (mant as u16 & 0x3ff))
}

fn round_half_even(q: f64) -> f64 {
    let f = q.floor();
    let d = q - f;
    if d > 0.5 || (d == 0.5 && f % 2.0 != 0.0) { f + 1.0 } else { f }
}

pub(crate) fn from_half(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let e = ((h >> 10) & 0x1f) as i32;
    let m = (h & 0x3ff) as f64;
    sign * match e {
        0 => m * 2f64.powi(-24),
        31 => {
            if m == 0.0 {
                f64::INFINITY
            } else {
                f64::NAN
            }
        }
        _ => (1.0 + m / 1024.0) * 2f64.powi(e - 15),
    }
}

fn pack_f32(x: f64) -> PyResult<[u8; 4]> {
    let y = x as f32;
    if y.is_infinite() && !x.is_infinite() {
        return Err(raise!(OverflowError, "float too large to pack with f format"));
    }
    Ok(y.to_le_bytes())
}

fn pack_one(out: &mut [u8], it: Item, order: Order, v: &Obj) -> PyResult<()> {
    let field = &mut out[it.offset..it.offset + it.size];
    match it.code {
        b'c' => {
            let b = if bytes::check(v) || bytearray::check(v) { bytes::bytes_like(v)? } else { Vec::new() };
            if b.len() != 1 || !(bytes::check(v) || bytearray::check(v)) {
                return Err(error("char format requires a bytes object of length 1".into()));
            }
            field[0] = b[0];
        }
        b's' | b'p' => {
            if !(bytes::check(v) || bytearray::check(v)) {
                return Err(error(format!("argument for '{}' must be a bytes object", it.code as char)));
            }
            let b = bytes::bytes_like(v)?;
            if it.code == b's' {
                let n = b.len().min(it.size);
                field[..n].copy_from_slice(&b[..n]);
            } else if it.size > 0 {
                let n = b.len().min(it.size - 1);
                field[1..1 + n].copy_from_slice(&b[..n]);
                field[0] = n.min(255) as u8;
            }
        }
        b'?' => field[0] = abstract_::is_true(v)? as u8,
        b'e' => put_bytes(field, order, &to_half(get_f64(v)?)?.to_le_bytes()),
        b'f' => put_bytes(field, order, &pack_f32(get_f64(v)?)?),
        b'd' => put_bytes(field, order, &get_f64(v)?.to_le_bytes()),
        b'F' | b'D' => {
            let c = complex_value(v)?;
            let half = it.size / 2;
            let (re, im) = field.split_at_mut(half);
            if it.code == b'F' {
                // CPython narrows the parts without an overflow check.
                put_bytes(re, order, &(c.real as f32).to_le_bytes());
                put_bytes(im, order, &(c.imag as f32).to_le_bytes());
            } else {
                put_bytes(re, order, &c.real.to_le_bytes());
                put_bytes(im, order, &c.imag.to_le_bytes());
            }
        }
        _ => pack_int(field, Item { offset: 0, ..it }, order, v)?,
    }
    Ok(())
}

fn complex_value(v: &Obj) -> PyResult<Py_complex> {
    if complex::check(v) {
        return Ok(complex::value(v));
    }
    if let Some(m) = argparse::lookup_special(v, "__complex__")? {
        let r = abstract_::call_no_args(&m)?;
        if complex::check(&r) {
            return Ok(complex::value(&r));
        }
    }
    let real = crate::number::as_f64(v).map_err(|e| {
        if e.is_instance(crate::objects::exceptions::TypeError()) {
            error("required argument is not a complex".into())
        } else {
            e
        }
    })?;
    Ok(Py_complex { real, imag: 0.0 })
}

fn pack_values(l: &Layout, values: &[&Obj], out: &mut [u8]) -> PyResult<()> {
    for (it, v) in l.items.iter().zip(values) {
        pack_one(out, *it, l.order, v)?;
    }
    Ok(())
}

fn check_count(name: &str, l: &Layout, n: usize) -> PyResult<()> {
    if n != l.items.len() {
        return Err(error(format!("{} expected {} items for packing (got {})", name, l.items.len(), n)));
    }
    Ok(())
}

fn pack(l: &Layout, values: &[&Obj]) -> PyResult<PyRef> {
    check_count("pack", l, values.len())?;
    let mut out = vec![0u8; l.size];
    pack_values(l, values, &mut out)?;
    Ok(bytes::new(&out))
}

// ---- unpacking ------------------------------------------------------------------------------

fn unpack_one(data: &[u8], it: Item, order: Order) -> PyResult<PyRef> {
    let field = &data[it.offset..it.offset + it.size];
    Ok(match it.code {
        b'c' => bytes::new(field),
        b's' => bytes::new(field),
        b'p' => {
            if field.is_empty() {
                bytes::new(&[])
            } else {
                let n = (field[0] as usize).min(it.size - 1);
                bytes::new(&field[1..1 + n])
            }
        }
        b'?' => bool_::new(field[0] != 0),
        b'e' => {
            let b = get_bytes(field, order);
            float::new(from_half(u16::from_le_bytes([b[0], b[1]])))
        }
        b'f' => {
            let b = get_bytes(field, order);
            float::new(f32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f64)
        }
        b'd' => {
            let b = get_bytes(field, order);
            float::new(f64::from_le_bytes(b.try_into().expect("8 bytes")))
        }
        b'F' => {
            let re = get_bytes(&field[..4], order);
            let im = get_bytes(&field[4..], order);
            complex::from_doubles(
                f32::from_le_bytes(re.try_into().expect("4 bytes")) as f64,
                f32::from_le_bytes(im.try_into().expect("4 bytes")) as f64,
            )
        }
        b'D' => {
            let re = get_bytes(&field[..8], order);
            let im = get_bytes(&field[8..], order);
            complex::from_doubles(f64::from_le_bytes(re.try_into().expect("8 bytes")), f64::from_le_bytes(im.try_into().expect("8 bytes")))
        }
        c => {
            let b = get_bytes(field, order);
            long::from_byte_array(&b, true, c.is_ascii_lowercase() && c != b'p')
        }
    })
}

fn unpack_at(l: &Layout, data: &[u8]) -> PyResult<PyRef> {
    let items = l.items.iter().map(|it| unpack_one(data, *it, l.order)).collect::<PyResult<Vec<_>>>()?;
    Ok(tuple::new_from_owned(items))
}

fn unpack(l: &Layout, buffer: &Obj) -> PyResult<PyRef> {
    let data = bytes::bytes_like(buffer)?;
    if data.len() != l.size {
        return Err(error(format!("unpack requires a buffer of {} bytes", l.size)));
    }
    unpack_at(l, &data)
}

fn unpack_from(l: &Layout, buffer: &Obj, offset: isize) -> PyResult<PyRef> {
    let data = bytes::bytes_like(buffer)?;
    let len = data.len() as isize;
    let mut offset = offset;
    if offset < 0 {
        if offset + len < 0 {
            return Err(error(format!("offset {} out of range for {}-byte buffer", offset, len)));
        }
        offset += len;
    }
    if len - offset < l.size as isize {
        return Err(error(format!(
            "unpack_from requires a buffer of at least {} bytes for unpacking {} bytes at offset {} (actual buffer size is {})",
            l.size.wrapping_add(offset as usize),
            l.size,
            offset,
            len
        )));
    }
    unpack_at(l, &data[offset as usize..])
}

/// Packs into a writable buffer at `offset` (`pack_into`).
fn pack_into(l: &Layout, buffer: &Obj, offset: &Obj, values: &[&Obj], argno: usize) -> PyResult<PyRef> {
    check_count("pack_into", l, values.len())?;
    let mut out = vec![0u8; l.size];
    let mut offset = argparse::ssize(offset)?;
    // SAFETY: a writable buffer request on a live exporter, released before returning.
    unsafe {
        let get = buffer.ob_type().slots().tp_as_buffer.as_ref().and_then(|b| b.bf_getbuffer);
        let mut view: Py_buffer = core::mem::zeroed();
        let not_writable = || {
            raise!(TypeError, "pack_into() argument {} must be read-write bytes-like object, not {}", argno, buffer.ob_type().name())
        };
        let Some(get) = get else { return Err(not_writable()) };
        if get(buffer.as_ptr(), &mut view, PyBUF_WRITABLE) < 0 {
            let _ = PyErr::fetch();
            return Err(not_writable());
        }
        let release = |view: &mut Py_buffer| {
            if let Some(rel) = view.obj.as_ref().and_then(|ob| (*ob.ob_type).tp_as_buffer.as_ref()).and_then(|b| b.bf_releasebuffer) {
                rel(view.obj, view);
            }
            crate::object::xdecref(view.obj);
        };
        let len = view.len;
        let r = (|| {
            if offset < 0 {
                if offset + l.size as isize > 0 {
                    return Err(error(format!("no space to pack {} bytes at offset {}", l.size, offset)));
                }
                if offset + len < 0 {
                    return Err(error(format!("offset {} out of range for {}-byte buffer", offset, len)));
                }
                offset += len;
            }
            if len - offset < l.size as isize {
                return Err(error(format!(
                    "pack_into requires a buffer of at least {} bytes for packing {} bytes at offset {} (actual buffer size is {})",
                    // CPython adds these as size_t: a huge offset wraps instead of failing.
                    l.size.wrapping_add(offset as usize),
                    l.size,
                    offset,
                    len
                )));
            }
            pack_values(l, values, &mut out)?;
            let dst = core::slice::from_raw_parts_mut((view.buf as *mut u8).add(offset as usize), l.size);
            dst.copy_from_slice(&out);
            Ok(none::none())
        })();
        release(&mut view);
        r
    }
}

// ---- Struct ---------------------------------------------------------------------------------

struct StructState {
    layout: Layout,
    format: PyRef,
}

native_type!(STRUCT, c"_struct.Struct", StructState, {
    tp_new: slot_new!(struct_new),
    tp_repr: slot_unary!(struct_repr),
    tp_getattro: Some(crate::objects::type_::generic_getattr),
    tp_weaklistoffset: native::WEAKLIST_OFFSET,
    tp_methods: STRUCT_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: STRUCT_GETSET.0.get() as *mut PyGetSetDef,
    tp_doc: c"Struct(format)\n--\n\nCreate a compiled struct object.\n\nReturn a new Struct object which writes and reads binary data according to\nthe format string.\n\nSee help(struct) for more on format strings.".as_ptr(),
});

method_table!(static STRUCT_METHODS = [
    fast c"pack" => s_pack,
    fast c"pack_into" => s_pack_into,
    o c"unpack" => s_unpack,
    kw c"unpack_from" => s_unpack_from,
    o c"iter_unpack" => s_iter_unpack,
    noargs c"__sizeof__" => s_sizeof,
]);

static STRUCT_GETSET: crate::objects::type_::StaticTable<PyGetSetDef, 3> = crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([
    getter_def!(c"format", s_format),
    getter_def!(c"size", s_size),
    crate::objects::type_::GETSET_END,
]));

/// The format as text: a str, or bytes decoded as ASCII.
fn format_text(fmt: &Obj) -> PyResult<PyRef> {
    if unicode::check(fmt) {
        return Ok(fmt.new_ref());
    }
    if bytes::check(fmt) {
        return unicode::from_utf8(&bytes::bytes_like(fmt)?);
    }
    Err(raise!(TypeError, "Struct() argument 1 must be a str or bytes object, not {}", fmt.ob_type().name()))
}

fn make_struct(t: &TypeObj, fmt: &Obj) -> PyResult<PyRef> {
    let format = format_text(fmt)?;
    let text = unicode::as_str(&format)?.as_bytes().to_vec();
    let layout = compile(&text)?;
    new_instance(t, StructState { layout, format })
}

fn struct_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let sig = Sig { name: "Struct", params: &["format"], posonly: 0, maxpos: 1, required: 1 };
    let [fmt] = native::parse_new::<1>(&sig, a, kw)?;
    make_struct(t, &fmt.unwrap())
}

fn struct_repr(o: &Obj) -> PyResult<PyRef> {
    let f = with(o, |s: &mut StructState| s.format.clone())?;
    Ok(unicode::new(&format!("{}({})", native::type_name(o), native::repr_string(&f)?)))
}

fn layout_of<R>(o: &Obj, f: impl FnOnce(&Layout) -> R) -> PyResult<R> {
    let c = native::cell::<StructState>(o)?;
    let s = c.try_borrow().map_err(|_| raise!(RuntimeError, "struct in use"))?;
    Ok(f(&s.layout))
}

fn s_format(o: &Obj) -> PyResult<PyRef> {
    with(o, |s: &mut StructState| s.format.clone())
}

fn s_size(o: &Obj) -> PyResult<PyRef> {
    layout_of(o, |l| long::from_usize(l.size))
}

fn s_sizeof(o: &Obj) -> PyResult<PyRef> {
    layout_of(o, |l| long::from_usize(native::NATIVE_SIZE + l.items.len() * core::mem::size_of::<Item>()))
}

fn s_pack(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    layout_of(o, |l| pack(l, a))?
}

fn s_pack_into(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    match a.len() {
        0 => return Err(error("pack_into expected buffer argument".into())),
        1 => return Err(error("pack_into expected offset argument".into())),
        _ => {}
    }
    layout_of(o, |l| pack_into(l, a[0], a[1], &a[2..], 1))?
}

fn s_unpack(o: &Obj, buffer: &Obj) -> PyResult<PyRef> {
    layout_of(o, |l| unpack(l, buffer))?
}

fn s_unpack_from(o: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "unpack_from", params: &["buffer", "offset"], posonly: 0, maxpos: 2, required: 1 };
    let [buffer, offset] = argparse::parse::<2>(&sig, a, kw)?;
    let offset = offset.map_or(Ok(0), argparse::ssize)?;
    layout_of(o, |l| unpack_from(l, buffer.unwrap(), offset))?
}

fn s_iter_unpack(o: &Obj, buffer: &Obj) -> PyResult<PyRef> {
    let size = layout_of(o, |l| l.size)?;
    if size == 0 {
        return Err(error("cannot iteratively unpack with a struct of length 0".into()));
    }
    let data = bytes::bytes_like(buffer)?;
    if data.len() % size != 0 {
        return Err(error(format!("iterative unpacking requires a buffer of a multiple of {} bytes", size)));
    }
    new_instance(&UNPACK_ITER, UnpackIter { st: o.new_ref(), data, index: 0 })
}

// ---- unpack_iterator ------------------------------------------------------------------------

struct UnpackIter {
    st: PyRef,
    data: Vec<u8>,
    index: usize,
}

native_type!(final UNPACK_ITER, c"_struct.unpack_iterator", UnpackIter, {
    tp_iter: Some(crate::objects::iterobject::self_iter),
    tp_iternext: slot_next!(unpack_iter_next),
    tp_methods: UNPACK_ITER_METHODS.0.get() as *mut PyMethodDef,
});

method_table!(static UNPACK_ITER_METHODS = [
    noargs c"__length_hint__" => unpack_iter_length_hint,
]);

fn unpack_iter_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let (st, index, len) = with(o, |s: &mut UnpackIter| (s.st.clone(), s.index, s.data.len()))?;
    if index >= len {
        return Ok(None);
    }
    let size = layout_of(&st, |l| l.size)?;
    let chunk = with(o, |s: &mut UnpackIter| {
        s.index += size;
        s.data[index..index + size].to_vec()
    })?;
    layout_of(&st, |l| unpack_at(l, &chunk))?.map(Some)
}

fn unpack_iter_length_hint(o: &Obj) -> PyResult<PyRef> {
    let (st, index, len) = with(o, |s: &mut UnpackIter| (s.st.clone(), s.index, s.data.len()))?;
    let size = layout_of(&st, |l| l.size)?;
    Ok(long::from_usize((len - index) / size))
}

// ---- module functions -----------------------------------------------------------------------

method_table!(static STRUCT_FUNCTIONS = [
    fast c"pack" => m_pack,
    fast c"pack_into" => m_pack_into,
    fast c"unpack" => m_unpack,
    kw c"unpack_from" => m_unpack_from,
    fast c"iter_unpack" => m_iter_unpack,
    o c"calcsize" => m_calcsize,
    noargs c"_clearcache" => m_clearcache,
]);

fn get_struct(fmt: &Obj) -> PyResult<PyRef> {
    if fmt.ob_type().is(&STRUCT) {
        return Ok(fmt.new_ref());
    }
    make_struct(&STRUCT, fmt)
}

fn m_pack(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    if a.is_empty() {
        return Err(raise!(TypeError, "pack expected at least 1 argument, got 0"));
    }
    s_pack(&*get_struct(a[0])?, &a[1..])
}

fn m_pack_into(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    if a.is_empty() {
        return Err(raise!(TypeError, "pack_into expected at least 1 argument, got 0"));
    }
    let s = get_struct(a[0])?;
    match a.len() {
        1 => return Err(error("pack_into expected buffer argument".into())),
        2 => return Err(error("pack_into expected offset argument".into())),
        _ => {}
    }
    layout_of(&s, |l| pack_into(l, a[1], a[2], &a[3..], 2))?
}

fn m_unpack(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("unpack", a.len(), 2, 2)?;
    s_unpack(&*get_struct(a[0])?, a[1])
}

fn m_unpack_from(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "unpack_from", params: &["format", "buffer", "offset"], posonly: 1, maxpos: 3, required: 2 };
    let [fmt, buffer, offset] = argparse::parse::<3>(&sig, a, kw)?;
    let s = get_struct(fmt.unwrap())?;
    let offset = offset.map_or(Ok(0), argparse::ssize)?;
    layout_of(&s, |l| unpack_from(l, buffer.unwrap(), offset))?
}

fn m_iter_unpack(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("iter_unpack", a.len(), 2, 2)?;
    s_iter_unpack(&*get_struct(a[0])?, a[1])
}

fn m_calcsize(_m: &Obj, fmt: &Obj) -> PyResult<PyRef> {
    s_size(&*get_struct(fmt)?)
}

/// CPython caches compiled formats; Pyrite compiles each time, so there is nothing to clear.
fn m_clearcache(_m: &Obj) -> PyResult<PyRef> {
    Ok(none::none())
}
