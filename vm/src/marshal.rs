//! `marshal` (CPython's `Python/marshal.c` format) for the values Pyrite can serialize:
//! None, bool, StopIteration, Ellipsis, int, float, complex, str, bytes (and other buffers,
//! written as bytes), tuple, list, dict, set, frozenset and slice (version 5 on). Code objects
//! are not supported: writing one is "unmarshallable object", reading one is an error.
//!
//! From version 3 on, objects whose reference count is above one (and interned strings) are
//! written with `FLAG_REF` and repeated occurrences as `TYPE_REF` back-references, exactly
//! as CPython decides, so the bytes are CPython's whenever the reference counts are.

use std::collections::HashMap;

use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef};
use crate::objects::{bool_, bytes, complex, dict, float, list, long, none, set, slice, tuple, unicode};

/// `Py_MARSHAL_VERSION` of CPython 3.15.
pub const VERSION: i32 = 6;

const FLAG_REF: u8 = 0x80;
const MAX_DEPTH: usize = 2000;

fn unmarshallable() -> PyErr {
    raise!(ValueError, "unmarshallable object")
}

struct Writer {
    out: Vec<u8>,
    version: i32,
    refs: HashMap<usize, u32>,
    /// Keeps the referenced objects alive (their addresses are the keys).
    held: Vec<PyRef>,
    depth: usize,
}

impl Writer {
    fn long(&mut self, v: i32) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    fn size(&mut self, n: usize) -> PyResult<()> {
        if n > i32::MAX as usize {
            return Err(unmarshallable());
        }
        self.long(n as i32);
        Ok(())
    }

    /// `w_ref`: Some(()) when a back-reference was written; otherwise the flag for the type.
    fn reference(&mut self, o: &Obj) -> Option<u8> {
        if self.version < 3 {
            return Some(0);
        }
        let interned = unicode::check_exact(o) && unicode::is_interned_immortal(o);
        if o.refcnt() == 1 && !interned {
            return Some(0);
        }
        let key = o.as_ptr() as usize;
        if let Some(&i) = self.refs.get(&key) {
            self.out.push(b'r');
            self.long(i as i32);
            return None;
        }
        self.refs.insert(key, self.refs.len() as u32);
        self.held.push(o.new_ref());
        Some(FLAG_REF)
    }

    fn object(&mut self, o: &Obj) -> PyResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(raise!(ValueError, "object too deeply nested to marshal"));
        }
        let r = self.object_inner(o);
        self.depth -= 1;
        r
    }

    fn object_inner(&mut self, o: &Obj) -> PyResult<()> {
        if o.is(none::none_obj()) {
            self.out.push(b'N');
            return Ok(());
        }
        if o.is(crate::objects::exceptions::StopIteration()) {
            self.out.push(b'S');
            return Ok(());
        }
        if o.is(&none::ellipsis()) {
            self.out.push(b'.');
            return Ok(());
        }
        if bool_::check(o) {
            self.out.push(if o.is(&bool_::new(true)) { b'T' } else { b'F' });
            return Ok(());
        }
        let Some(flag) = self.reference(o) else { return Ok(()) };
        let ty = |c: u8| c | flag;
        if long::check(o) && o.ob_type().is(long::types()[0]) {
            match long::to_i64(o).filter(|v| i32::try_from(*v).is_ok()) {
                Some(v) => {
                    self.out.push(ty(b'i'));
                    self.long(v as i32);
                }
                None => {
                    // 15-bit digits, least significant first (two per 30-bit digit); the
                    // count carries the sign.
                    let (sign, d30) = long::sign_and_digits(o);
                    let mut digits: Vec<u16> = d30.iter().flat_map(|&d| [(d & 0x7fff) as u16, ((d >> 15) & 0x7fff) as u16]).collect();
                    while digits.last() == Some(&0) {
                        digits.pop();
                    }
                    self.out.push(ty(b'l'));
                    let n = digits.len() as i32;
                    self.long(if sign < 0 { -n } else { n });
                    for d in digits {
                        self.out.extend_from_slice(&d.to_le_bytes());
                    }
                }
            }
            return Ok(());
        }
        if float::check(o) && o.ob_type().is(float::types()[0]) {
            let v = float::value(o);
            if self.version > 1 {
                self.out.push(ty(b'g'));
                self.out.extend_from_slice(&v.to_le_bytes());
            } else {
                self.out.push(ty(b'f'));
                self.short_float_text(v);
            }
            return Ok(());
        }
        if complex::check(o) && o.ob_type().is(complex::types()[0]) {
            let c = complex::value(o);
            if self.version > 1 {
                self.out.push(ty(b'y'));
                self.out.extend_from_slice(&c.real.to_le_bytes());
                self.out.extend_from_slice(&c.imag.to_le_bytes());
            } else {
                self.out.push(ty(b'x'));
                self.short_float_text(c.real);
                self.short_float_text(c.imag);
            }
            return Ok(());
        }
        if unicode::check_exact(o) {
            let interned = unicode::is_interned_immortal(o);
            if self.version >= 4 && unicode::is_ascii(o) {
                let data = unicode::data_bytes(o);
                if data.len() < 256 {
                    self.out.push(ty(if interned { b'Z' } else { b'z' }));
                    self.out.push(data.len() as u8);
                } else {
                    self.out.push(ty(if interned { b'A' } else { b'a' }));
                    self.size(data.len())?;
                }
                self.out.extend_from_slice(data);
            } else {
                let utf8 = crate::codecs::builtin::encode(o, crate::codecs::builtin::Codec::Utf8, "surrogatepass")?;
                let data = bytes::as_bytes(&utf8);
                self.out.push(ty(if self.version >= 3 && interned { b't' } else { b'u' }));
                self.size(data.len())?;
                self.out.extend_from_slice(data);
            }
            return Ok(());
        }
        if tuple::check_exact(o) {
            let items = tuple::items(o);
            if self.version >= 4 && items.len() < 256 {
                self.out.push(ty(b')'));
                self.out.push(items.len() as u8);
            } else {
                self.out.push(ty(b'('));
                self.size(items.len())?;
            }
            for item in items {
                self.object(item)?;
            }
            return Ok(());
        }
        if list::check_exact(o) {
            let items = list::to_vec(o);
            self.out.push(ty(b'['));
            self.size(items.len())?;
            for item in &items {
                self.object(item)?;
            }
            return Ok(());
        }
        if dict::check(o) && o.ob_type().is(dict::types()[0]) {
            self.out.push(ty(b'{'));
            for (k, v) in dict::items_vec(o) {
                self.object(&k)?;
                self.object(&v)?;
            }
            self.out.push(b'0');
            return Ok(());
        }
        if set::check_exact(o) || (set::check_frozen(o) && o.ob_type().is(set::types()[1])) {
            self.out.push(ty(if set::check_exact(o) { b'<' } else { b'>' }));
            let items = set::to_vec(o);
            self.size(items.len())?;
            // Sorted by their own serialization, for reproducible output (bpo-37596).
            let mut keyed = Vec::with_capacity(items.len());
            for item in items {
                keyed.push((dumps(&item, self.version)?, item));
            }
            keyed.sort_by(|a, b| a.0.cmp(&b.0));
            for (_, item) in &keyed {
                self.object(item)?;
            }
            return Ok(());
        }
        if self.version >= 5 && slice::check(o) {
            self.out.push(ty(b':'));
            self.object(slice::start(o))?;
            self.object(slice::stop(o))?;
            self.object(slice::step(o))?;
            return Ok(());
        }
        if let Some(data) = bytes::buffer_bytes(o)? {
            self.out.push(ty(b's'));
            self.size(data.len())?;
            self.out.extend_from_slice(&data);
            return Ok(());
        }
        Err(unmarshallable())
    }

    /// Versions 0 and 1: `%.17g` text with a one-byte length.
    fn short_float_text(&mut self, v: f64) {
        let s = crate::format::format_builtin(&float::new(v), ".17g")
            .ok()
            .and_then(|r| unicode::as_str(&r).ok().map(str::to_string))
            .unwrap_or_default();
        self.out.push(s.len() as u8);
        self.out.extend_from_slice(s.as_bytes());
    }
}

/// `marshal.dumps(value, version)` / `PyMarshal_WriteObjectToString`.
pub fn dumps(o: &Obj, version: i32) -> PyResult<Vec<u8>> {
    let mut w = Writer { out: Vec::new(), version, refs: HashMap::new(), held: Vec::new(), depth: 0 };
    w.object(o)?;
    Ok(w.out)
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    refs: Vec<Option<PyRef>>,
    depth: usize,
}

fn too_short() -> PyErr {
    raise!(EOFError, "marshal data too short")
}

fn bad(what: &str) -> PyErr {
    raise!(ValueError, "bad marshal data ({})", what)
}

impl Reader<'_> {
    fn bytes(&mut self, n: usize) -> PyResult<&[u8]> {
        if self.data.len() - self.pos < n {
            return Err(too_short());
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn byte(&mut self) -> PyResult<u8> {
        Ok(self.bytes(1)?[0])
    }
    fn long(&mut self) -> PyResult<i32> {
        let b = self.bytes(4)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn size(&mut self, what: &str) -> PyResult<usize> {
        let n = self.long()?;
        if n < 0 {
            return Err(bad(&format!("{what} size out of range")));
        }
        Ok(n as usize)
    }

    /// Reserves a reference slot for a flagged object (filled by `set_ref`).
    fn reserve(&mut self, flag: bool) -> Option<usize> {
        if !flag {
            return None;
        }
        self.refs.push(None);
        Some(self.refs.len() - 1)
    }
    fn set_ref(&mut self, slot: Option<usize>, o: &PyRef) {
        if let Some(i) = slot {
            self.refs[i] = Some(o.clone());
        }
    }

    fn object(&mut self) -> PyResult<Option<PyRef>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(raise!(ValueError, "recursion limit exceeded"));
        }
        let r = self.object_inner();
        self.depth -= 1;
        r
    }

    /// An object where NULL is not allowed.
    fn required(&mut self) -> PyResult<PyRef> {
        self.object()?.ok_or_else(|| raise!(TypeError, "NULL object in marshal data for object"))
    }

    fn object_inner(&mut self) -> PyResult<Option<PyRef>> {
        if self.pos >= self.data.len() {
            return Err(raise!(EOFError, "EOF read where object expected"));
        }
        let code = self.byte()?;
        let flag = code & FLAG_REF != 0;
        let t = code & !FLAG_REF;
        let simple = |o: PyRef, r: &mut Self| {
            let slot = r.reserve(flag);
            r.set_ref(slot, &o);
            Ok(Some(o))
        };
        match t {
            b'0' => Ok(None),
            b'N' => Ok(Some(none::none())),
            b'S' => Ok(Some(crate::objects::exceptions::StopIteration().new_ref())),
            b'.' => Ok(Some(none::ellipsis())),
            b'F' => Ok(Some(bool_::new(false))),
            b'T' => Ok(Some(bool_::new(true))),
            b'i' => {
                let v = self.long()?;
                simple(long::from_i64(v as i64), self)
            }
            b'l' => {
                let n = self.long()?;
                let count = n.unsigned_abs() as usize;
                if count > self.data.len() {
                    return Err(bad("long size out of range"));
                }
                let mut digits = Vec::with_capacity(count);
                for _ in 0..count {
                    let b = self.bytes(2)?;
                    let d = u16::from_le_bytes([b[0], b[1]]);
                    if d >= 0x8000 {
                        return Err(bad("digit out of range in long"));
                    }
                    digits.push(d as u32);
                }
                if digits.last() == Some(&0) {
                    return Err(bad("unnormalized long data"));
                }
                let d30: Vec<u32> = digits.chunks(2).map(|p| p[0] | (p.get(1).copied().unwrap_or(0) << 15)).collect();
                let v = long::from_digits(n < 0, &d30);
                simple(v, self)
            }
            b'g' => {
                let b = self.bytes(8)?;
                let v = f64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
                simple(float::new(v), self)
            }
            b'f' => {
                let v = self.short_float_text()?;
                simple(float::new(v), self)
            }
            b'y' => {
                let re = f64::from_le_bytes(self.bytes(8)?.try_into().unwrap_or([0; 8]));
                let im = f64::from_le_bytes(self.bytes(8)?.try_into().unwrap_or([0; 8]));
                simple(complex::from_doubles(re, im), self)
            }
            b'x' => {
                let re = self.short_float_text()?;
                let im = self.short_float_text()?;
                simple(complex::from_doubles(re, im), self)
            }
            b's' => {
                let n = self.size("bytes object")?;
                let b = bytes::new(self.bytes(n)?);
                simple(b, self)
            }
            b'u' | b't' => {
                let n = self.size("string")?;
                let raw = self.bytes(n)?.to_vec();
                let s = crate::codecs::builtin::decode(&raw, None, crate::codecs::builtin::Codec::Utf8, "surrogatepass", true)?.text;
                let s = if t == b't' { unicode::intern_obj(&s)? } else { s };
                simple(s, self)
            }
            b'a' | b'A' | b'z' | b'Z' => {
                let n = if t == b'z' || t == b'Z' { self.byte()? as usize } else { self.size("string")? };
                let raw = self.bytes(n)?;
                if !raw.is_ascii() {
                    return Err(raise!(ValueError, "bad marshal data (not ascii)"));
                }
                // SAFETY: checked ASCII above.
                let s = unicode::new(unsafe { core::str::from_utf8_unchecked(raw) });
                let s = if t == b'A' || t == b'Z' { unicode::intern_obj(&s)? } else { s };
                simple(s, self)
            }
            b'(' | b')' => {
                let n = if t == b')' { self.byte()? as usize } else { self.size("tuple")? };
                if n > self.data.len() {
                    return Err(bad("tuple size out of range"));
                }
                let slot = self.reserve(flag);
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.required()?);
                }
                let o = tuple::new_from_owned(items);
                self.set_ref(slot, &o);
                Ok(Some(o))
            }
            b'[' => {
                let n = self.size("list")?;
                if n > self.data.len() {
                    return Err(bad("list size out of range"));
                }
                let o = list::new();
                let slot = self.reserve(flag);
                self.set_ref(slot, &o);
                for _ in 0..n {
                    let item = self.required()?;
                    list::push(&o, item);
                }
                Ok(Some(o))
            }
            b'{' => {
                let o = dict::new();
                let slot = self.reserve(flag);
                self.set_ref(slot, &o);
                loop {
                    let Some(k) = self.object()? else { break };
                    let Some(v) = self.object()? else { break };
                    dict::set_item(&o, &k, &v)?;
                }
                Ok(Some(o))
            }
            b'<' | b'>' => {
                let n = self.size("set")?;
                if n > self.data.len() {
                    return Err(bad("set size out of range"));
                }
                if t == b'>' && n == 0 {
                    return simple(set::frozenset_from_iterable(None)?, self);
                }
                let slot = self.reserve(flag);
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.required()?);
                }
                let l = list::new_from_owned(items);
                let o = if t == b'<' { set::new_from_iterable(&l)? } else { set::frozenset_from_iterable(Some(&l))? };
                self.set_ref(slot, &o);
                Ok(Some(o))
            }
            b':' => {
                let slot = self.reserve(flag);
                let start = self.required()?;
                let stop = self.required()?;
                let step = self.required()?;
                let o = slice::new(Some(&start), Some(&stop), Some(&step));
                self.set_ref(slot, &o);
                Ok(Some(o))
            }
            b'r' => {
                let i = self.long()?;
                match usize::try_from(i).ok().and_then(|i| self.refs.get(i)) {
                    Some(Some(o)) => Ok(Some(o.clone())),
                    _ => Err(bad("invalid reference")),
                }
            }
            b'c' => Err(raise!(ValueError, "bad marshal data (code objects are not supported by Pyrite)")),
            _ => Err(bad("unknown type code")),
        }
    }

    fn short_float_text(&mut self) -> PyResult<f64> {
        let n = self.byte()? as usize;
        let text = self.bytes(n)?;
        float::parse_ascii(text).ok_or_else(|| raise!(ValueError, "could not convert string to float: {:?}", String::from_utf8_lossy(text)))
    }
}

/// `marshal.loads(data)` / `PyMarshal_ReadObjectFromString`: the first object of `data`.
pub fn loads(data: &[u8]) -> PyResult<PyRef> {
    let mut r = Reader { data, pos: 0, refs: Vec::new(), depth: 0 };
    r.required()
}

// ---- the `marshal` module -------------------------------------------------------------------

/// The `marshal` module (created on first use, lives forever).
pub fn module() -> PyRef {
    use std::sync::OnceLock;
    static MODULE: OnceLock<crate::object::SyncPtr<pyrite_abi::PyObject>> = OnceLock::new();
    let p = MODULE
        .get_or_init(|| crate::object::SyncPtr(crate::object::make_immortal(create().expect("creating marshal"))))
        .0;
    // SAFETY: the module is immortal.
    unsafe { Obj::from_ptr(p) }.new_ref()
}

fn create() -> PyResult<PyRef> {
    use crate::objects::module;
    let m = module::new(&unicode::new("marshal"))?;
    // SAFETY: the table is static.
    unsafe { module::add_functions(&m, MARSHAL_METHODS.0.get() as *mut pyrite_abi::PyMethodDef)? };
    dict::set_item_str(module::dict_of(&m), "version", &long::from_i64(VERSION as i64))?;
    Ok(m)
}

fn m_dumps(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    crate::objects::argparse::check_positional("dumps", a.len(), 1, 2)?;
    let version = match a.get(1) {
        Some(v) => long::to_i64(&*crate::abstract_::index(v)?).unwrap_or(VERSION as i64) as i32,
        None => VERSION,
    };
    Ok(bytes::new(&dumps(a[0], version)?))
}

fn m_loads(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    crate::objects::argparse::check_positional("loads", a.len(), 1, 1)?;
    loads(&bytes::bytes_like(a[0])?)
}

crate::method_table!(static MARSHAL_METHODS = [
    fast c"dumps" => m_dumps,
    fast c"loads" => m_loads,
]);
