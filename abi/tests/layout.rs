//! Layout tests: pyrite-abi against CPython's own headers.
//!
//! For every available CPython header set (pyenv 3.6 ... 3.13, and CPython 3.15 from
//! `tools/fetch-cpython315.sh`) and several `Py_LIMITED_API` / `Py_TARGET_ABI3T` variants,
//! `tests/layout_probe.c` is compiled with the C compiler `cc` discovers, run, and its
//! `key value` lines are compared with the same quantity computed from pyrite-abi
//! (`size_of`, `align_of`, `offset_of!`, field sizes, constants). Every probe key must have a
//! Rust counterpart, every Rust key must be compared by at least one header set, and all
//! mismatches are reported together.
//!
//! The 3.15 headers are mandatory (the test fails if the fetch script fails); a missing pyenv
//! version is skipped with a note.
//!
//! Run: `cargo test -p pyrite-abi --test layout -- --nocapture`

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::mem::{align_of, offset_of, size_of};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use pyrite_abi::refcount;
use pyrite_abi::*;

// ---------------------------------------------------------------------------------------------
// The Rust side: every key the probe can print, computed from pyrite-abi.

fn field_size<T, F>(_field: fn(*const T) -> *const F) -> usize {
    size_of::<F>()
}

fn rust_table() -> BTreeMap<String, i128> {
    let mut t: BTreeMap<String, i128> = BTreeMap::new();

    macro_rules! size {
        ($($ty:ident),+ $(,)?) => {$(
            t.insert(format!("sizeof.{}", stringify!($ty)), size_of::<$ty>() as i128);
            t.insert(format!("alignof.{}", stringify!($ty)), align_of::<$ty>() as i128);
        )+};
    }
    // `field!(Type, "c_name", rust.path)`: offsetof + fieldsize under the C name.
    macro_rules! field {
        ($ty:ident, $cname:expr, $($f:ident).+) => {{
            t.insert(
                format!("offsetof.{}.{}", stringify!($ty), $cname),
                offset_of!($ty, $($f).+) as i128,
            );
            t.insert(
                format!("fieldsize.{}.{}", stringify!($ty), $cname),
                field_size(|p: *const $ty| unsafe { &raw const (*p).$($f).+ }) as i128,
            );
        }};
    }
    // `fields!(Type: a, b, c)`: fields whose Rust name is the C name.
    macro_rules! fields {
        ($ty:ident: $($f:ident),+ $(,)?) => {$( field!($ty, stringify!($f), $f); )+};
    }
    // `konst!(NAME, NAME2 = expr, ...)`: `const.NAME` keys.
    macro_rules! konst {
        ($($name:ident $(= $val:expr)?),+ $(,)?) => {$(
            t.insert(format!("const.{}", stringify!($name)), konst!(@v $name $(= $val)?));
        )+};
        (@v $name:ident) => { $name as i128 };
        (@v $name:ident = $val:expr) => { ($val) as i128 };
    }

    // --- object header -------------------------------------------------------------------
    size!(PyObject, PyVarObject);
    // The C refcount word (Py_ssize_t <= 3.13, int64_t ob_refcnt_full 3.14+) is Rust's u64
    // `ob_refcnt`; the probe prints it as `ob_refcnt_word` (plus the offset of `ob_refcnt`).
    field!(PyObject, "ob_refcnt_word", ob_refcnt);
    t.insert(
        "offsetof.PyObject.ob_refcnt".into(),
        offset_of!(PyObject, ob_refcnt) as i128,
    );
    fields!(PyObject: ob_type);
    // 3.14+ split the word into u32 ob_refcnt, u16 ob_overflow, u16 ob_flags. pyrite-abi
    // encodes that with `refcount::low32` / `refcount::ob_flags`; derive the byte offsets from
    // those functions so the probe checks them.
    let count_bits = refcount::low32(u64::MAX).count_ones();
    let flags_shift = (0..64)
        .find(|&s| refcount::ob_flags(1u64 << s) == 1)
        .expect("ob_flags bit 0");
    t.insert("offsetof.PyObject.ob_overflow".into(), (count_bits / 8) as i128);
    t.insert("offsetof.PyObject.ob_flags".into(), (flags_shift / 8) as i128);
    fields!(PyVarObject: ob_base, ob_size);

    // --- limited-API structs -----------------------------------------------------------------
    size!(
        PyModuleDef_Base,
        PyModuleDef,
        PyModuleDef_Slot,
        PyMethodDef,
        PyMemberDef,
        PyGetSetDef
    );
    fields!(PyModuleDef_Base: ob_base, m_init, m_index, m_copy);
    fields!(PyModuleDef: m_base, m_name, m_doc, m_size, m_methods, m_slots, m_traverse, m_clear, m_free);
    fields!(PyModuleDef_Slot: slot, value);
    fields!(PyMethodDef: ml_name, ml_meth, ml_flags, ml_doc);
    fields!(PyMemberDef: name);
    field!(PyMemberDef, "type", type_code);
    fields!(PyMemberDef: offset, flags, doc);
    fields!(PyGetSetDef: name, get, set, doc, closure);
    size!(
        PyType_Slot,
        PyType_Spec,
        Py_buffer,
        PyStructSequence_Field,
        PyStructSequence_Desc
    );
    fields!(PyType_Slot: slot, pfunc);
    fields!(PyType_Spec: name, basicsize, itemsize, flags, slots);
    fields!(
        Py_buffer: buf, obj, len, itemsize, readonly, ndim, format, shape, strides, suboffsets, internal
    );
    fields!(PyStructSequence_Field: name, doc);
    fields!(PyStructSequence_Desc: name, doc, fields, n_in_sequence);
    size!(PySlot, PyABIInfo);
    fields!(PySlot: sl_id, sl_flags, sl_reserved);
    field!(PySlot, "sl_ptr", value.sl_ptr);
    field!(PySlot, "sl_func", value.sl_func);
    field!(PySlot, "sl_size", value.sl_size);
    field!(PySlot, "sl_int64", value.sl_int64);
    field!(PySlot, "sl_uint64", value.sl_uint64);
    fields!(PyABIInfo: abiinfo_major_version, abiinfo_minor_version, flags, build_version, abi_version);

    // --- 3.15 full-API object layouts --------------------------------------------------------
    size!(
        PyTypeObject,
        PyNumberMethods,
        PySequenceMethods,
        PyMappingMethods,
        PyAsyncMethods,
        PyBufferProcs
    );
    fields!(PyTypeObject:
        ob_base, tp_name, tp_basicsize, tp_itemsize, tp_dealloc, tp_vectorcall_offset, tp_getattr,
        tp_setattr, tp_as_async, tp_repr, tp_as_number, tp_as_sequence, tp_as_mapping, tp_hash,
        tp_call, tp_str, tp_getattro, tp_setattro, tp_as_buffer, tp_flags, tp_doc, tp_traverse,
        tp_clear, tp_richcompare, tp_weaklistoffset, tp_iter, tp_iternext, tp_methods, tp_members,
        tp_getset, tp_base, tp_dict, tp_descr_get, tp_descr_set, tp_dictoffset, tp_init, tp_alloc,
        tp_new, tp_free, tp_is_gc, tp_bases, tp_mro, tp_cache, tp_subclasses, tp_weaklist, tp_del,
        tp_version_tag, tp_finalize, tp_vectorcall, tp_watched, tp_versions_used, _tp_iteritem,
    );
    fields!(PyNumberMethods:
        nb_add, nb_subtract, nb_multiply, nb_remainder, nb_divmod, nb_power, nb_negative,
        nb_positive, nb_absolute, nb_bool, nb_invert, nb_lshift, nb_rshift, nb_and, nb_xor, nb_or,
        nb_int, nb_reserved, nb_float, nb_inplace_add, nb_inplace_subtract, nb_inplace_multiply,
        nb_inplace_remainder, nb_inplace_power, nb_inplace_lshift, nb_inplace_rshift,
        nb_inplace_and, nb_inplace_xor, nb_inplace_or, nb_floor_divide, nb_true_divide,
        nb_inplace_floor_divide, nb_inplace_true_divide, nb_index, nb_matrix_multiply,
        nb_inplace_matrix_multiply,
    );
    fields!(PySequenceMethods:
        sq_length, sq_concat, sq_repeat, sq_item, was_sq_slice, sq_ass_item, was_sq_ass_slice,
        sq_contains, sq_inplace_concat, sq_inplace_repeat,
    );
    fields!(PyMappingMethods: mp_length, mp_subscript, mp_ass_subscript);
    fields!(PyAsyncMethods: am_await, am_aiter, am_anext, am_send);
    fields!(PyBufferProcs: bf_getbuffer, bf_releasebuffer);

    size!(PyLongObject, PyFloatObject, PyTupleObject, PyListObject, PyBytesObject);
    size!(PyASCIIObject, PyCompactUnicodeObject);
    fields!(PyLongObject: ob_base, lv_tag, ob_digit);
    t.insert("sizeof.digit".into(), size_of::<digit>() as i128);
    fields!(PyFloatObject: ob_base, ob_fval);
    fields!(PyTupleObject: ob_base, ob_hash, ob_item);
    fields!(PyListObject: ob_base, ob_item, allocated);
    fields!(PyBytesObject: ob_base, ob_shash, ob_sval);
    fields!(PyASCIIObject: ob_base, length, hash, state);
    fields!(PyCompactUnicodeObject: _base, utf8_length, utf8);
    {
        use unicode_state::*;
        t.insert("state.interned_mask".into(), INTERNED_MASK as i128);
        t.insert("state.kind_mask".into(), KIND_MASK as i128);
        t.insert("state.kind_shift".into(), KIND_SHIFT as i128);
        t.insert("state.compact".into(), COMPACT as i128);
        t.insert("state.ascii".into(), ASCII as i128);
        t.insert("state.statically_allocated".into(), STATICALLY_ALLOCATED as i128);
        konst!(
            SSTATE_NOT_INTERNED,
            SSTATE_INTERNED_MORTAL,
            SSTATE_INTERNED_IMMORTAL,
            SSTATE_INTERNED_IMMORTAL_STATIC,
        );
    }
    konst!(PyUnicode_1BYTE_KIND, PyUnicode_2BYTE_KIND, PyUnicode_4BYTE_KIND);
    konst!(
        PyLong_SHIFT,
        PyLong_BASE,
        PyLong_MASK,
        _PyLong_SIGN_MASK,
        _PyLong_NON_SIZE_BITS
    );

    // --- constants ---------------------------------------------------------------------------
    konst!(
        METH_VARARGS,
        METH_KEYWORDS,
        METH_NOARGS,
        METH_O,
        METH_CLASS,
        METH_STATIC,
        METH_COEXIST,
        METH_FASTCALL,
        METH_STACKLESS,
        METH_METHOD,
    );
    konst!(Py_LT, Py_LE, Py_EQ, Py_NE, Py_GT, Py_GE);
    konst!(PYTHON_API_VERSION, PYTHON_ABI_VERSION);
    konst!(PY_VECTORCALL_ARGUMENTS_OFFSET);

    konst!(
        Py_T_SHORT,
        Py_T_INT,
        Py_T_LONG,
        Py_T_FLOAT,
        Py_T_DOUBLE,
        Py_T_STRING,
        _Py_T_OBJECT,
        Py_T_CHAR,
        Py_T_BYTE,
        Py_T_UBYTE,
        Py_T_USHORT,
        Py_T_UINT,
        Py_T_ULONG,
        Py_T_STRING_INPLACE,
        Py_T_BOOL,
        Py_T_OBJECT_EX,
        Py_T_LONGLONG,
        Py_T_ULONGLONG,
        Py_T_PYSSIZET,
        _Py_T_NONE,
        Py_READONLY,
        Py_AUDIT_READ,
        _Py_WRITE_RESTRICTED,
        Py_RELATIVE_OFFSET,
    );
    // structmember.h spellings (the only ones before 3.12).
    konst!(
        T_SHORT = Py_T_SHORT,
        T_INT = Py_T_INT,
        T_LONG = Py_T_LONG,
        T_FLOAT = Py_T_FLOAT,
        T_DOUBLE = Py_T_DOUBLE,
        T_STRING = Py_T_STRING,
        T_OBJECT = _Py_T_OBJECT,
        T_CHAR = Py_T_CHAR,
        T_BYTE = Py_T_BYTE,
        T_UBYTE = Py_T_UBYTE,
        T_USHORT = Py_T_USHORT,
        T_UINT = Py_T_UINT,
        T_ULONG = Py_T_ULONG,
        T_STRING_INPLACE = Py_T_STRING_INPLACE,
        T_BOOL = Py_T_BOOL,
        T_OBJECT_EX = Py_T_OBJECT_EX,
        T_LONGLONG = Py_T_LONGLONG,
        T_ULONGLONG = Py_T_ULONGLONG,
        T_PYSSIZET = Py_T_PYSSIZET,
        T_NONE = _Py_T_NONE,
        READONLY = Py_READONLY,
        READ_RESTRICTED = Py_AUDIT_READ,
        PY_AUDIT_READ = Py_AUDIT_READ,
        PY_WRITE_RESTRICTED = _Py_WRITE_RESTRICTED,
        RESTRICTED = Py_AUDIT_READ | _Py_WRITE_RESTRICTED,
    );

    konst!(
        Py_TPFLAGS_HAVE_FINALIZE,
        _Py_TPFLAGS_STATIC_BUILTIN = Py_TPFLAGS_STATIC_BUILTIN,
        Py_TPFLAGS_INLINE_VALUES,
        Py_TPFLAGS_MANAGED_WEAKREF,
        Py_TPFLAGS_MANAGED_DICT,
        Py_TPFLAGS_PREHEADER,
        Py_TPFLAGS_SEQUENCE,
        Py_TPFLAGS_MAPPING,
        Py_TPFLAGS_DISALLOW_INSTANTIATION,
        Py_TPFLAGS_IMMUTABLETYPE,
        Py_TPFLAGS_HEAPTYPE,
        Py_TPFLAGS_BASETYPE,
        Py_TPFLAGS_HAVE_VECTORCALL,
        _Py_TPFLAGS_HAVE_VECTORCALL = Py_TPFLAGS_HAVE_VECTORCALL,
        Py_TPFLAGS_READY,
        Py_TPFLAGS_READYING,
        Py_TPFLAGS_HAVE_GC,
        Py_TPFLAGS_HAVE_STACKLESS_EXTENSION,
        Py_TPFLAGS_METHOD_DESCRIPTOR,
        Py_TPFLAGS_HAVE_VERSION_TAG,
        Py_TPFLAGS_VALID_VERSION_TAG,
        Py_TPFLAGS_IS_ABSTRACT,
        _Py_TPFLAGS_MATCH_SELF,
        Py_TPFLAGS_ITEMS_AT_END,
        Py_TPFLAGS_LONG_SUBCLASS,
        Py_TPFLAGS_LIST_SUBCLASS,
        Py_TPFLAGS_TUPLE_SUBCLASS,
        Py_TPFLAGS_BYTES_SUBCLASS,
        Py_TPFLAGS_UNICODE_SUBCLASS,
        Py_TPFLAGS_DICT_SUBCLASS,
        Py_TPFLAGS_BASE_EXC_SUBCLASS,
        Py_TPFLAGS_TYPE_SUBCLASS,
        Py_TPFLAGS_DEFAULT,
        // What `Py_TPFLAGS_DEFAULT` compiled to in <= 3.9 headers (old binaries carry bit 18).
        Py_TPFLAGS_DEFAULT_3_9 = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VERSION_TAG,
    );

    {
        use type_slot::*;
        konst!(
            Py_bf_getbuffer_OLD,
            Py_bf_releasebuffer_OLD,
            Py_mp_ass_subscript_OLD,
            Py_mp_length_OLD,
            Py_mp_subscript,
            Py_nb_absolute,
            Py_nb_add,
            Py_nb_and,
            Py_nb_bool,
            Py_nb_divmod,
            Py_nb_float,
            Py_nb_floor_divide,
            Py_nb_index,
            Py_nb_inplace_add,
            Py_nb_inplace_and,
            Py_nb_inplace_floor_divide,
            Py_nb_inplace_lshift,
            Py_nb_inplace_multiply,
            Py_nb_inplace_or,
            Py_nb_inplace_power,
            Py_nb_inplace_remainder,
            Py_nb_inplace_rshift,
            Py_nb_inplace_subtract,
            Py_nb_inplace_true_divide,
            Py_nb_inplace_xor,
            Py_nb_int,
            Py_nb_invert,
            Py_nb_lshift,
            Py_nb_multiply,
            Py_nb_negative,
            Py_nb_or,
            Py_nb_positive,
            Py_nb_power,
            Py_nb_remainder,
            Py_nb_rshift,
            Py_nb_subtract,
            Py_nb_true_divide,
            Py_nb_xor,
            Py_sq_ass_item,
            Py_sq_concat,
            Py_sq_contains,
            Py_sq_inplace_concat,
            Py_sq_inplace_repeat,
            Py_sq_item,
            Py_sq_length,
            Py_sq_repeat,
            Py_tp_alloc,
            Py_tp_base,
            Py_tp_bases,
            Py_tp_call,
            Py_tp_clear,
            Py_tp_dealloc,
            Py_tp_del,
            Py_tp_descr_get,
            Py_tp_descr_set,
            Py_tp_doc,
            Py_tp_getattr,
            Py_tp_getattro,
            Py_tp_hash,
            Py_tp_init,
            Py_tp_is_gc,
            Py_tp_iter,
            Py_tp_iternext,
            Py_tp_methods,
            Py_tp_new,
            Py_tp_repr,
            Py_tp_richcompare,
            Py_tp_setattr,
            Py_tp_setattro,
            Py_tp_str,
            Py_tp_traverse,
            Py_tp_members,
            Py_tp_getset,
            Py_tp_free,
            Py_nb_matrix_multiply,
            Py_nb_inplace_matrix_multiply,
            Py_am_await,
            Py_am_aiter,
            Py_am_anext,
            Py_tp_finalize,
            Py_am_send,
            Py_tp_vectorcall,
            Py_tp_token,
            Py_bf_getbuffer,
            Py_bf_releasebuffer,
            Py_mp_ass_subscript,
            Py_mp_length,
            Py_slot_end,
            Py_slot_subslots,
            Py_tp_slots,
            Py_tp_name,
            Py_tp_basicsize,
            Py_tp_extra_basicsize,
            Py_tp_itemsize,
            Py_tp_flags,
            Py_tp_metaclass,
            Py_tp_module,
            Py_slot_invalid,
        );
    }
    {
        use mod_slot::*;
        konst!(
            Py_mod_create_OLD,
            Py_mod_exec_OLD,
            Py_mod_multiple_interpreters_OLD,
            Py_mod_gil_OLD,
            Py_mod_create,
            Py_mod_exec,
            Py_mod_multiple_interpreters,
            Py_mod_gil,
            Py_mod_slots,
            Py_mod_name,
            Py_mod_doc,
            Py_mod_state_size,
            Py_mod_methods,
            Py_mod_state_traverse,
            Py_mod_state_clear,
            Py_mod_state_free,
            Py_mod_abi,
            Py_mod_token,
        );
    }
    konst!(
        Py_MOD_GIL_USED = Py_MOD_GIL_USED as usize,
        Py_MOD_GIL_NOT_USED,
        Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED,
        Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED,
        Py_MOD_PER_INTERPRETER_GIL_SUPPORTED,
        Py_TP_USE_SPEC = Py_TP_USE_SPEC as usize,
    );
    konst!(PySlot_OPTIONAL, PySlot_STATIC, PySlot_INTPTR);
    konst!(
        PyABIInfo_STABLE,
        PyABIInfo_GIL,
        PyABIInfo_FREETHREADED,
        PyABIInfo_INTERNAL,
        PyABIInfo_FREETHREADING_AGNOSTIC,
    );
    konst!(
        Py_CONSTANT_NONE,
        Py_CONSTANT_FALSE,
        Py_CONSTANT_TRUE,
        Py_CONSTANT_ELLIPSIS,
        Py_CONSTANT_NOT_IMPLEMENTED,
        Py_CONSTANT_ZERO,
        Py_CONSTANT_ONE,
        Py_CONSTANT_EMPTY_STR,
        Py_CONSTANT_EMPTY_BYTES,
        Py_CONSTANT_EMPTY_TUPLE,
    );
    konst!(
        PyBUF_MAX_NDIM,
        PyBUF_SIMPLE,
        PyBUF_WRITABLE,
        PyBUF_FORMAT,
        PyBUF_ND,
        PyBUF_STRIDES,
        PyBUF_C_CONTIGUOUS,
        PyBUF_F_CONTIGUOUS,
        PyBUF_ANY_CONTIGUOUS,
        PyBUF_INDIRECT,
        PyBUF_CONTIG,
        PyBUF_CONTIG_RO,
        PyBUF_STRIDED,
        PyBUF_STRIDED_RO,
        PyBUF_RECORDS,
        PyBUF_RECORDS_RO,
        PyBUF_FULL,
        PyBUF_FULL_RO,
        PyBUF_READ,
        PyBUF_WRITE,
    );
    konst!(
        _Py_IMMORTAL_FLAGS,
        _Py_LEGACY_ABI_CHECK_FLAG,
        _Py_STATICALLY_ALLOCATED_FLAG
    );
    konst!(
        _Py_IMMORTAL_INITIAL_REFCNT = refcount::IMMORTAL_INITIAL_REFCNT,
        _Py_IMMORTAL_MINIMUM_REFCNT = refcount::IMMORTAL_MINIMUM_REFCNT,
        _Py_STATIC_IMMORTAL_INITIAL_REFCNT = refcount::STATIC_IMMORTAL_INITIAL_REFCNT,
        _Py_STATIC_FLAG_BITS = refcount::ob_flags(refcount::STATIC_IMMORTAL_INITIAL_REFCNT),
    );
    t
}

// ---------------------------------------------------------------------------------------------
// The C side: header sets, compiling and running the probe.

struct HeaderSet {
    /// e.g. "3.12.1 limited-3.2"
    label: String,
    /// `-I` directory (the python3.X[m] include dir).
    include: PathBuf,
    /// `-idirafter` directories (Debian's multiarch pyconfig.h for 3.15).
    idirafter: Vec<PathBuf>,
    defines: Vec<String>,
}

struct ProbeRun {
    label: String,
    values: BTreeMap<String, i128>,
}

impl ProbeRun {
    fn get(&self, key: &str) -> Option<i128> {
        self.values.get(key).copied()
    }
    fn version_hex(&self) -> u32 {
        self.get("info.PY_VERSION_HEX").expect("probe prints PY_VERSION_HEX") as u32
    }
    fn minor(&self) -> u32 {
        (self.version_hex() >> 16) & 0xFF
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn pyenv_root() -> Option<PathBuf> {
    if let Ok(out) = Command::new("pyenv").arg("root").output() {
        if out.status.success() {
            let s = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if !s.is_empty() {
                return Some(PathBuf::from(s));
            }
        }
    }
    if let Ok(r) = std::env::var("PYENV_ROOT") {
        return Some(PathBuf::from(r));
    }
    std::env::var("HOME")
        .ok()
        .map(|h| Path::new(&h).join(".pyenv"))
        .filter(|p| p.is_dir())
}

/// The pyenv versions the contract was verified with; another patch release of the same
/// minor version is used if the exact one is missing.
const PYENV_VERSIONS: &[&str] = &[
    "3.6.15", "3.7.16", "3.8.18", "3.9.18", "3.10.13", "3.11.7", "3.12.1", "3.13.0",
];

fn pyenv_header_sets(notes: &mut Vec<String>) -> Vec<HeaderSet> {
    let mut sets = Vec::new();
    let Some(root) = pyenv_root() else {
        notes.push("pyenv not found: skipping CPython 3.6 ... 3.13 headers".into());
        return sets;
    };
    let versions = root.join("versions");
    for wanted in PYENV_VERSIONS {
        let minor: u32 = wanted.split('.').nth(1).unwrap().parse().unwrap();
        let prefix = format!("3.{minor}.");
        let mut dir = versions.join(wanted);
        if !dir.is_dir() {
            // Any other installed patch release of 3.minor (not a free-threaded "t" build).
            let mut others: Vec<PathBuf> = std::fs::read_dir(&versions)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let n = p.file_name().unwrap().to_string_lossy().to_string();
                    n.starts_with(&prefix) && n[prefix.len()..].chars().all(|c| c.is_ascii_digit())
                })
                .collect();
            others.sort();
            match others.pop() {
                Some(d) => dir = d,
                None => {
                    notes.push(format!(
                        "pyenv CPython {wanted} not installed in {}: skipped",
                        versions.display()
                    ));
                    continue;
                }
            }
        }
        let version = dir.file_name().unwrap().to_string_lossy().to_string();
        let include = ["", "m"]
            .iter()
            .map(|abiflags| dir.join("include").join(format!("python3.{minor}{abiflags}")))
            .find(|p| p.join("Python.h").is_file());
        let Some(include) = include else {
            notes.push(format!(
                "pyenv CPython {version}: no include/python3.{minor}[m]/Python.h: skipped"
            ));
            continue;
        };
        let own = format!("-DPy_LIMITED_API=0x03{minor:02X}0000");
        for (variant, defines) in [
            (
                "limited-3.2".to_string(),
                vec!["-DPy_LIMITED_API=0x03020000".to_string()],
            ),
            (format!("limited-3.{minor}"), vec![own.clone()]),
            ("full".to_string(), vec![]),
        ] {
            sets.push(HeaderSet {
                label: format!("{version} {variant}"),
                include: include.clone(),
                idirafter: vec![],
                defines,
            });
        }
    }
    sets
}

fn cpython315_header_sets() -> Vec<HeaderSet> {
    let script = workspace_root().join("tools/fetch-cpython315.sh");
    let out = Command::new("bash")
        .arg(&script)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    if !out.status.success() {
        panic!(
            "{} failed ({}); the CPython 3.15 headers are required for the layout tests.\nstderr:\n{}",
            script.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let root = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or("")
        .trim()
        .to_string();
    let root = PathBuf::from(root);
    let usr_include = root.join("usr/include");
    let include = usr_include.join("python3.15");
    assert!(
        include.join("Python.h").is_file(),
        "{} printed {} but {} has no Python.h",
        script.display(),
        root.display(),
        include.display()
    );
    let patchlevel = std::fs::read_to_string(include.join("patchlevel.h")).unwrap_or_default();
    let version = patchlevel
        .lines()
        .find_map(|l| {
            l.strip_prefix("#define PY_VERSION ")
                .map(|v| v.trim().trim_matches('"').to_string())
        })
        .unwrap_or_else(|| "3.15".into());
    [
        ("limited-3.15", vec!["-DPy_LIMITED_API=0x030F0000"]),
        ("abi3t-3.15", vec!["-DPy_TARGET_ABI3T=0x030F0000"]),
        // Old (pre-PEP 820) slot numbering as compiled by 3.15 headers for older targets.
        ("limited-3.2", vec!["-DPy_LIMITED_API=0x03020000"]),
        ("full", vec![]),
    ]
    .into_iter()
    .map(|(variant, defines)| HeaderSet {
        label: format!("{version} {variant}"),
        include: include.clone(),
        // Debian's pyconfig.h includes <x86_64-linux-gnu/python3.15/pyconfig.h>; -idirafter so
        // the extracted /usr/include cannot shadow the host's libc headers.
        idirafter: vec![usr_include.clone()],
        defines: defines.into_iter().map(String::from).collect(),
    })
    .collect()
}

fn compiler() -> cc::Tool {
    let target = format!("{}-unknown-{}-gnu", std::env::consts::ARCH, std::env::consts::OS);
    cc::Build::new()
        .cargo_metadata(false)
        .cargo_warnings(false)
        .emit_rerun_if_env_changed(false)
        .target(&target)
        .host(&target)
        .opt_level(0)
        .debug(false)
        .get_compiler()
}

fn run_probe(tool: &cc::Tool, set: &HeaderSet, dir: &Path, index: usize) -> ProbeRun {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/layout_probe.c");
    let exe = dir.join(format!("layout_probe_{index}"));
    let mut cmd = tool.to_command();
    cmd.arg("-o").arg(&exe).arg(&source).arg("-I").arg(&set.include);
    for d in &set.idirafter {
        cmd.arg("-idirafter").arg(d);
    }
    cmd.args(&set.defines);
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run the C compiler {:?}: {e}", tool.path()));
    if !out.status.success() {
        panic!(
            "[{}] compiling the probe failed: {:?}\n{}",
            set.label,
            cmd,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = Command::new(&exe)
        .output()
        .unwrap_or_else(|e| panic!("[{}] cannot run probe: {e}", set.label));
    assert!(out.status.success(), "[{}] probe exited with {}", set.label, out.status);
    let mut values = BTreeMap::new();
    for line in String::from_utf8(out.stdout).expect("probe output is UTF-8").lines() {
        let (key, value) = line
            .split_once(' ')
            .unwrap_or_else(|| panic!("[{}] malformed probe line {line:?}", set.label));
        let value: i128 = value
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("[{}] malformed probe value in {line:?}", set.label));
        if values.insert(key.to_string(), value).is_some() {
            panic!("[{}] probe printed {key} twice", set.label);
        }
    }
    ProbeRun {
        label: set.label.clone(),
        values,
    }
}

/// All probe runs, computed once and shared by the tests in this file.
fn probe_runs() -> &'static (Vec<ProbeRun>, Vec<String>) {
    static RUNS: OnceLock<(Vec<ProbeRun>, Vec<String>)> = OnceLock::new();
    RUNS.get_or_init(|| {
        let mut notes = Vec::new();
        let mut sets = pyenv_header_sets(&mut notes);
        sets.extend(cpython315_header_sets());
        // One folder per process: nextest runs the tests of this file in parallel processes.
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("layout-probe-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create probe dir");
        let tool = compiler();
        let runs = sets
            .iter()
            .enumerate()
            .map(|(i, s)| run_probe(&tool, s, &dir, i))
            .collect();
        (runs, notes)
    })
}

// ---------------------------------------------------------------------------------------------

#[test]
fn layouts_and_constants_match_cpython_headers() {
    let (runs, notes) = probe_runs();
    for n in notes {
        println!("note: {n}");
    }
    let table = rust_table();
    let mut mismatches = String::new();
    let mut compared_keys: BTreeSet<&str> = BTreeSet::new();
    let mut total = 0;
    for run in runs {
        let mut compared = 0;
        let mut bad = 0;
        for (key, &c_value) in &run.values {
            if key.starts_with("info.") || key.starts_with("headinit.") {
                continue;
            }
            match table.get(key) {
                None => {
                    bad += 1;
                    writeln!(
                        mismatches,
                        "[{}] {key}: C = {c_value}, no pyrite-abi counterpart in the test table",
                        run.label
                    )
                    .unwrap();
                }
                Some(&rust_value) => {
                    compared += 1;
                    compared_keys.insert(key.as_str());
                    if rust_value != c_value {
                        bad += 1;
                        writeln!(
                            mismatches,
                            "[{}] {key}: C = {c_value} ({c_value:#x}), pyrite-abi = {rust_value} ({rust_value:#x})",
                            run.label
                        )
                        .unwrap();
                    }
                }
            }
        }
        total += compared;
        println!("{:<28} compared {compared:>4} keys, {bad} mismatches", run.label);
    }
    let never: Vec<&String> = table.keys().filter(|k| !compared_keys.contains(k.as_str())).collect();
    for k in &never {
        writeln!(
            mismatches,
            "{k}: in the pyrite-abi table but printed by no header set (typo or missing probe line?)"
        )
        .unwrap();
    }
    println!(
        "total: {total} comparisons over {} header sets; {} of {} distinct keys covered",
        runs.len(),
        compared_keys.len(),
        table.len()
    );
    assert!(
        mismatches.is_empty(),
        "pyrite-abi disagrees with CPython's headers:\n{mismatches}"
    );
}

#[test]
fn module_def_head_init_refcount_per_version() {
    // contract §2.2: bytes of PyModuleDef_HEAD_INIT's refcount word, by header version.
    let (runs, _) = probe_runs();
    let mut seen = 0;
    for run in runs {
        let Some(word) = run.get("headinit.ob_refcnt") else {
            continue;
        };
        seen += 1;
        let word = word as u64;
        let expected: u64 = match run.minor() {
            ..=12 => 1,
            13 => 0x0000_0000_FFFF_FFFF,
            // 3.14+: _Py_STATIC_IMMORTAL_INITIAL_REFCNT = 3<<30 | (IMMORTAL|STATIC flags) << 48.
            _ => 0x0005_0000_C000_0000,
        };
        println!("{:<28} PyModuleDef_HEAD_INIT ob_refcnt word = {word:#018x}", run.label);
        assert_eq!(word, expected, "[{}] PyModuleDef_HEAD_INIT refcount word", run.label);
        assert_eq!(run.get("headinit.ob_type_is_null"), Some(1), "[{}] ob_type", run.label);
        if run.minor() >= 14 {
            assert_eq!(word, refcount::STATIC_IMMORTAL_INITIAL_REFCNT);
        }
        // Whatever the vintage, pyrite's encoding must treat a def's head sensibly: the
        // 3.13/3.15 heads are immortal, the <= 3.12 ones are a mortal count of 1.
        assert_eq!(refcount::is_immortal(word), run.minor() >= 13, "[{}]", run.label);
    }
    assert!(seen > 0, "no header set printed PyModuleDef_HEAD_INIT");
}

#[test]
fn abi_info_defaults_3_15() {
    // contract §3: PyABIInfo_VAR defaults, measured abi3 -> flags 3, abi3t -> 7.
    let (runs, _) = probe_runs();
    let mut seen = 0;
    for run in runs {
        let Some(flags) = run.get("info.abiinfo.flags") else {
            continue;
        };
        seen += 1;
        assert_eq!(run.get("info.abiinfo.major"), Some(1), "[{}]", run.label);
        assert_eq!(run.get("info.abiinfo.minor"), Some(0), "[{}]", run.label);
        assert_eq!(
            run.get("info.abiinfo.build_version"),
            Some(run.version_hex() as i128),
            "[{}]",
            run.label
        );
        let flags = flags as u16;
        let abi_version = run.get("info.abiinfo.abi_version").unwrap();
        let (expected_flags, expected_abi) = if run.label.contains("abi3t") {
            (PyABIInfo_STABLE | PyABIInfo_FREETHREADING_AGNOSTIC, 0x030F_0000)
        } else if let Some(limited) = run.get("info.Py_LIMITED_API") {
            (PyABIInfo_STABLE | PyABIInfo_GIL, limited)
        } else {
            (PyABIInfo_GIL, run.version_hex() as i128)
        };
        println!(
            "{:<28} PyABIInfo_VAR: flags {flags}, abi_version {abi_version:#x}",
            run.label
        );
        assert_eq!(flags, expected_flags, "[{}] PyABIInfo default flags", run.label);
        assert_eq!(
            abi_version, expected_abi,
            "[{}] PyABIInfo default abi_version",
            run.label
        );
    }
    assert!(
        seen >= 3,
        "the 3.15 limited, abi3t and full probes all define PyABIInfo"
    );
}
