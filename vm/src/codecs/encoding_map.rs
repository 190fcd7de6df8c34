//! `EncodingMap`: the compact inverse of a 256-character decoding table that
//! `codecs.charmap_build` (`PyUnicode_BuildEncodingMap`) returns and the charmap encoder reads.

use core::ffi::c_void;

use pyrite_abi::*;

use crate::object::{Obj, PyRef};
use crate::objects::long;
use crate::objects::type_::{TypeObj, BUILTIN_FLAGS};
use crate::private_static_type;

/// Code point to byte; 0xffff marks a code point the table does not contain.
type Table = [u16; 0x10000];

#[repr(C)]
pub struct EncodingMapObject {
    pub ob_base: PyObject,
    table: *mut Table,
    /// CPython's two-level trie sizes, kept for `size()`.
    count2: u32,
    count3: u32,
}

private_static_type!(EncodingMap_Type, c"EncodingMap", core::mem::size_of::<EncodingMapObject>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(map_dealloc),
    tp_free: Some(crate::alloc::object_free),
    tp_methods: MAP_METHODS.0.get() as *mut PyMethodDef,
});

pub fn types() -> [&'static TypeObj; 1] {
    [&EncodingMap_Type]
}

/// Builds the map from a decoding table (the caller checked it qualifies).
pub fn new(cps: &[u32]) -> PyRef {
    let mut table: Box<Table> = Box::new([0xffff; 0x10000]);
    let mut l2 = std::collections::BTreeSet::new();
    let mut l3 = std::collections::BTreeSet::new();
    for (i, &c) in cps.iter().enumerate() {
        if c == 0xfffe {
            continue;
        }
        table[c as usize] = i as u16;
        l2.insert(c >> 11);
        l3.insert(c >> 7);
    }
    // SAFETY: EncodingMap_Type is a live static type; the memory is ours to fill.
    unsafe {
        let op = crate::alloc::alloc_object(EncodingMap_Type.raw(), core::mem::size_of::<EncodingMapObject>(), false);
        assert!(!op.is_null(), "out of memory");
        let m = &mut *(op as *mut EncodingMapObject);
        m.table = Box::into_raw(table);
        m.count2 = l2.len() as u32;
        m.count3 = l3.len() as u32;
        PyRef::from_raw(op)
    }
}

/// The map of an `EncodingMap` object.
pub struct Map<'a>(&'a Table);

impl Map<'_> {
    pub fn get(&self, c: u32) -> Option<u8> {
        let v = *self.0.get(c as usize)?;
        if v == 0xffff { None } else { Some(v as u8) }
    }
}

pub fn as_map(o: &Obj) -> Option<Map<'_>> {
    if !o.is_exact(&EncodingMap_Type) {
        return None;
    }
    // SAFETY: the type is checked; the table lives as long as the object.
    unsafe { Some(Map(&*(*(o.as_ptr() as *mut EncodingMapObject)).table)) }
}

unsafe extern "C" fn map_dealloc(o: *mut PyObject) {
    // SAFETY: a dead EncodingMap: free its table, then itself.
    unsafe {
        let m = o as *mut EncodingMapObject;
        if !(*m).table.is_null() {
            drop(Box::from_raw((*m).table));
        }
        crate::alloc::object_free(o as *mut c_void);
    }
}

/// `EncodingMap.size()`: the bytes CPython's trie occupies (its 64-byte header less one, 16 bytes per
/// second-level block and 128 per third-level block).
fn m_size(o: &Obj) -> crate::err::PyResult<PyRef> {
    // SAFETY: the method is bound to EncodingMap objects.
    let m = unsafe { &*(o.as_ptr() as *mut EncodingMapObject) };
    Ok(long::from_i64(63 + 16 * m.count2 as i64 + 128 * m.count3 as i64))
}

crate::method_table!(static MAP_METHODS = [
    noargs c"size" => m_size,
]);
