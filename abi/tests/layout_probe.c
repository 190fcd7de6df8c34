/* Layout probe for pyrite-abi (compiled and run by abi/tests/layout.rs).
 *
 * Compiled once per CPython header set and Py_LIMITED_API / Py_TARGET_ABI3T variant. Prints one
 * `key value` line (decimal) for every size, alignment, field offset, field size and constant
 * that these headers define and pyrite-abi mirrors:
 *
 *   sizeof.T / alignof.T          sizeof(T), _Alignof(T)
 *   offsetof.T.f / fieldsize.T.f  offsetof(T, f), sizeof(((T *)0)->f)
 *   const.NAME                    the macro / enumerator value
 *   state.*                       PyASCIIObject.state bit positions (set a bit field, read the word)
 *   info.*                        printed for the test's own assertions, never compared one-to-one
 *
 * Keys are printed only where the headers define the thing, so the same file compiles against
 * 3.6 ... 3.15 in every variant. Object layouts that changed across versions (PyTypeObject, the
 * method suites, PyLongObject, ...) are printed only for >= 3.15 non-limited headers, because
 * pyrite-abi mirrors 3.15.
 */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define P(key, val) printf("%s %lld\n", (key), (long long)(val))
#define PU(key, val) printf("%s %llu\n", (key), (unsigned long long)(val))

#define SIZE(T)                                   \
    do {                                          \
        P("sizeof." #T, sizeof(T));               \
        P("alignof." #T, _Alignof(T));            \
    } while (0)
/* Field F of struct T, printed under the name NAME (the C field path may be nested). */
#define FIELD_AS(T, NAME, F)                                         \
    do {                                                             \
        P("offsetof." #T "." NAME, offsetof(T, F));                  \
        P("fieldsize." #T "." NAME, sizeof(((T *)0)->F));            \
    } while (0)
#define FIELD(T, F) FIELD_AS(T, #F, F)
#define C(NAME) P("const." #NAME, (NAME))
#define C_AS(KEY, VAL) P("const." KEY, (VAL))
#define C_PTR(NAME) P("const." #NAME, (intptr_t)(NAME))
#define C_U(NAME) PU("const." #NAME, (NAME))

/* Limited-API slot numbering in effect: PEP 820 (3.15) renumbered the type/module slot ids
 * 1-4; `_Py_SLOT_COMPAT_VALUE` picks the new ids for Py_LIMITED_API >= 3.15 or non-limited
 * 3.15 builds. Old-numbered values are printed as `const.<name>_OLD`. */
#if PY_VERSION_HEX >= 0x030F0000 && (!defined(Py_LIMITED_API) || Py_LIMITED_API + 0 >= 0x030F0000)
#define NEW_SLOT_NUMBERING 1
#define C_SLOT(NAME) P("const." #NAME, (NAME))
#else
#define NEW_SLOT_NUMBERING 0
#define C_SLOT(NAME) C_AS(#NAME "_OLD", NAME)
#endif

#if defined(Py_LIMITED_API)
#define LIMITED_AT_LEAST(hex) (Py_LIMITED_API + 0 >= (hex))
#else
#define LIMITED_AT_LEAST(hex) 1
#endif

static void structs(void) {
#ifndef _Py_OPAQUE_PYOBJECT
    SIZE(PyObject);
#if PY_VERSION_HEX >= 0x030E0000
    /* 3.14+: the refcount word is a union of int64_t ob_refcnt_full and
     * {uint32_t ob_refcnt; uint16_t ob_overflow; uint16_t ob_flags}; pyrite-abi keeps the
     * whole word as one u64 `ob_refcnt`. */
    P("offsetof.PyObject.ob_refcnt", offsetof(PyObject, ob_refcnt));
    FIELD_AS(PyObject, "ob_refcnt_word", ob_refcnt_full);
    P("offsetof.PyObject.ob_overflow", offsetof(PyObject, ob_overflow));
    P("offsetof.PyObject.ob_flags", offsetof(PyObject, ob_flags));
#else
    /* <= 3.13: a Py_ssize_t (3.12/3.13: in a union with uint32_t ob_refcnt_split[2]). */
    P("offsetof.PyObject.ob_refcnt", offsetof(PyObject, ob_refcnt));
    FIELD_AS(PyObject, "ob_refcnt_word", ob_refcnt);
#endif
    FIELD(PyObject, ob_type);
    SIZE(PyVarObject);
    FIELD(PyVarObject, ob_base);
    FIELD(PyVarObject, ob_size);

    SIZE(PyModuleDef_Base);
    FIELD(PyModuleDef_Base, ob_base);
    FIELD(PyModuleDef_Base, m_init);
    FIELD(PyModuleDef_Base, m_index);
    FIELD(PyModuleDef_Base, m_copy);
    SIZE(PyModuleDef);
    FIELD(PyModuleDef, m_base);
    FIELD(PyModuleDef, m_name);
    FIELD(PyModuleDef, m_doc);
    FIELD(PyModuleDef, m_size);
    FIELD(PyModuleDef, m_methods);
    FIELD(PyModuleDef, m_slots);
    FIELD(PyModuleDef, m_traverse);
    FIELD(PyModuleDef, m_clear);
    FIELD(PyModuleDef, m_free);
    {
        /* The refcount word PyModuleDef_HEAD_INIT compiles into every extension's def. */
        static PyModuleDef_Base head = PyModuleDef_HEAD_INIT;
        uint64_t word;
        memcpy(&word, &head, sizeof word);
        PU("headinit.ob_refcnt", word);
        P("headinit.ob_type_is_null", head.ob_base.ob_type == NULL);
    }
#endif /* !_Py_OPAQUE_PYOBJECT */

#if LIMITED_AT_LEAST(0x03050000)
    SIZE(PyModuleDef_Slot);
    FIELD(PyModuleDef_Slot, slot);
    FIELD(PyModuleDef_Slot, value);
#endif

    SIZE(PyMethodDef);
    FIELD(PyMethodDef, ml_name);
    FIELD(PyMethodDef, ml_meth);
    FIELD(PyMethodDef, ml_flags);
    FIELD(PyMethodDef, ml_doc);

    SIZE(PyMemberDef);
    FIELD(PyMemberDef, name);
    FIELD(PyMemberDef, type);
    FIELD(PyMemberDef, offset);
    FIELD(PyMemberDef, flags);
    FIELD(PyMemberDef, doc);

    SIZE(PyGetSetDef);
    FIELD(PyGetSetDef, name);
    FIELD(PyGetSetDef, get);
    FIELD(PyGetSetDef, set);
    FIELD(PyGetSetDef, doc);
    FIELD(PyGetSetDef, closure);

    SIZE(PyType_Slot);
    FIELD(PyType_Slot, slot);
    FIELD(PyType_Slot, pfunc);
    SIZE(PyType_Spec);
    FIELD(PyType_Spec, name);
    FIELD(PyType_Spec, basicsize);
    FIELD(PyType_Spec, itemsize);
    FIELD(PyType_Spec, flags);
    FIELD(PyType_Spec, slots);

#if LIMITED_AT_LEAST(0x030B0000)
    SIZE(Py_buffer);
    FIELD(Py_buffer, buf);
    FIELD(Py_buffer, obj);
    FIELD(Py_buffer, len);
    FIELD(Py_buffer, itemsize);
    FIELD(Py_buffer, readonly);
    FIELD(Py_buffer, ndim);
    FIELD(Py_buffer, format);
    FIELD(Py_buffer, shape);
    FIELD(Py_buffer, strides);
    FIELD(Py_buffer, suboffsets);
    FIELD(Py_buffer, internal);
#endif

    SIZE(PyStructSequence_Field);
    FIELD(PyStructSequence_Field, name);
    FIELD(PyStructSequence_Field, doc);
    SIZE(PyStructSequence_Desc);
    FIELD(PyStructSequence_Desc, name);
    FIELD(PyStructSequence_Desc, doc);
    FIELD(PyStructSequence_Desc, fields);
    FIELD(PyStructSequence_Desc, n_in_sequence);

#if PY_VERSION_HEX >= 0x030F0000
    /* PySlot is unconditional in 3.15's slots.h. */
    SIZE(PySlot);
    FIELD(PySlot, sl_id);
    FIELD(PySlot, sl_flags);
    FIELD(PySlot, sl_reserved);
    FIELD(PySlot, sl_ptr);
    FIELD(PySlot, sl_func);
    FIELD(PySlot, sl_size);
    FIELD(PySlot, sl_int64);
    FIELD(PySlot, sl_uint64);
#if LIMITED_AT_LEAST(0x030F0000)
    SIZE(PyABIInfo);
    FIELD(PyABIInfo, abiinfo_major_version);
    FIELD(PyABIInfo, abiinfo_minor_version);
    FIELD(PyABIInfo, flags);
    FIELD(PyABIInfo, build_version);
    FIELD(PyABIInfo, abi_version);
    {
        PyABIInfo_VAR(abi_info);
        P("info.abiinfo.major", abi_info.abiinfo_major_version);
        P("info.abiinfo.minor", abi_info.abiinfo_minor_version);
        P("info.abiinfo.flags", abi_info.flags);
        P("info.abiinfo.build_version", abi_info.build_version);
        P("info.abiinfo.abi_version", abi_info.abi_version);
    }
#endif
#endif
}

/* Version-specific object layouts: only for 3.15 full-API headers (what pyrite-abi mirrors). */
static void full_api_315(void) {
#if PY_VERSION_HEX >= 0x030F0000 && !defined(Py_LIMITED_API)
    SIZE(PyTypeObject);
    FIELD(PyTypeObject, ob_base);
    FIELD(PyTypeObject, tp_name);
    FIELD(PyTypeObject, tp_basicsize);
    FIELD(PyTypeObject, tp_itemsize);
    FIELD(PyTypeObject, tp_dealloc);
    FIELD(PyTypeObject, tp_vectorcall_offset);
    FIELD(PyTypeObject, tp_getattr);
    FIELD(PyTypeObject, tp_setattr);
    FIELD(PyTypeObject, tp_as_async);
    FIELD(PyTypeObject, tp_repr);
    FIELD(PyTypeObject, tp_as_number);
    FIELD(PyTypeObject, tp_as_sequence);
    FIELD(PyTypeObject, tp_as_mapping);
    FIELD(PyTypeObject, tp_hash);
    FIELD(PyTypeObject, tp_call);
    FIELD(PyTypeObject, tp_str);
    FIELD(PyTypeObject, tp_getattro);
    FIELD(PyTypeObject, tp_setattro);
    FIELD(PyTypeObject, tp_as_buffer);
    FIELD(PyTypeObject, tp_flags);
    FIELD(PyTypeObject, tp_doc);
    FIELD(PyTypeObject, tp_traverse);
    FIELD(PyTypeObject, tp_clear);
    FIELD(PyTypeObject, tp_richcompare);
    FIELD(PyTypeObject, tp_weaklistoffset);
    FIELD(PyTypeObject, tp_iter);
    FIELD(PyTypeObject, tp_iternext);
    FIELD(PyTypeObject, tp_methods);
    FIELD(PyTypeObject, tp_members);
    FIELD(PyTypeObject, tp_getset);
    FIELD(PyTypeObject, tp_base);
    FIELD(PyTypeObject, tp_dict);
    FIELD(PyTypeObject, tp_descr_get);
    FIELD(PyTypeObject, tp_descr_set);
    FIELD(PyTypeObject, tp_dictoffset);
    FIELD(PyTypeObject, tp_init);
    FIELD(PyTypeObject, tp_alloc);
    FIELD(PyTypeObject, tp_new);
    FIELD(PyTypeObject, tp_free);
    FIELD(PyTypeObject, tp_is_gc);
    FIELD(PyTypeObject, tp_bases);
    FIELD(PyTypeObject, tp_mro);
    FIELD(PyTypeObject, tp_cache);
    FIELD(PyTypeObject, tp_subclasses);
    FIELD(PyTypeObject, tp_weaklist);
    FIELD(PyTypeObject, tp_del);
    FIELD(PyTypeObject, tp_version_tag);
    FIELD(PyTypeObject, tp_finalize);
    FIELD(PyTypeObject, tp_vectorcall);
    FIELD(PyTypeObject, tp_watched);
    FIELD(PyTypeObject, tp_versions_used);
    FIELD(PyTypeObject, _tp_iteritem);

    SIZE(PyNumberMethods);
    FIELD(PyNumberMethods, nb_add);
    FIELD(PyNumberMethods, nb_subtract);
    FIELD(PyNumberMethods, nb_multiply);
    FIELD(PyNumberMethods, nb_remainder);
    FIELD(PyNumberMethods, nb_divmod);
    FIELD(PyNumberMethods, nb_power);
    FIELD(PyNumberMethods, nb_negative);
    FIELD(PyNumberMethods, nb_positive);
    FIELD(PyNumberMethods, nb_absolute);
    FIELD(PyNumberMethods, nb_bool);
    FIELD(PyNumberMethods, nb_invert);
    FIELD(PyNumberMethods, nb_lshift);
    FIELD(PyNumberMethods, nb_rshift);
    FIELD(PyNumberMethods, nb_and);
    FIELD(PyNumberMethods, nb_xor);
    FIELD(PyNumberMethods, nb_or);
    FIELD(PyNumberMethods, nb_int);
    FIELD(PyNumberMethods, nb_reserved);
    FIELD(PyNumberMethods, nb_float);
    FIELD(PyNumberMethods, nb_inplace_add);
    FIELD(PyNumberMethods, nb_inplace_subtract);
    FIELD(PyNumberMethods, nb_inplace_multiply);
    FIELD(PyNumberMethods, nb_inplace_remainder);
    FIELD(PyNumberMethods, nb_inplace_power);
    FIELD(PyNumberMethods, nb_inplace_lshift);
    FIELD(PyNumberMethods, nb_inplace_rshift);
    FIELD(PyNumberMethods, nb_inplace_and);
    FIELD(PyNumberMethods, nb_inplace_xor);
    FIELD(PyNumberMethods, nb_inplace_or);
    FIELD(PyNumberMethods, nb_floor_divide);
    FIELD(PyNumberMethods, nb_true_divide);
    FIELD(PyNumberMethods, nb_inplace_floor_divide);
    FIELD(PyNumberMethods, nb_inplace_true_divide);
    FIELD(PyNumberMethods, nb_index);
    FIELD(PyNumberMethods, nb_matrix_multiply);
    FIELD(PyNumberMethods, nb_inplace_matrix_multiply);

    SIZE(PySequenceMethods);
    FIELD(PySequenceMethods, sq_length);
    FIELD(PySequenceMethods, sq_concat);
    FIELD(PySequenceMethods, sq_repeat);
    FIELD(PySequenceMethods, sq_item);
    FIELD(PySequenceMethods, was_sq_slice);
    FIELD(PySequenceMethods, sq_ass_item);
    FIELD(PySequenceMethods, was_sq_ass_slice);
    FIELD(PySequenceMethods, sq_contains);
    FIELD(PySequenceMethods, sq_inplace_concat);
    FIELD(PySequenceMethods, sq_inplace_repeat);

    SIZE(PyMappingMethods);
    FIELD(PyMappingMethods, mp_length);
    FIELD(PyMappingMethods, mp_subscript);
    FIELD(PyMappingMethods, mp_ass_subscript);

    SIZE(PyAsyncMethods);
    FIELD(PyAsyncMethods, am_await);
    FIELD(PyAsyncMethods, am_aiter);
    FIELD(PyAsyncMethods, am_anext);
    FIELD(PyAsyncMethods, am_send);

    SIZE(PyBufferProcs);
    FIELD(PyBufferProcs, bf_getbuffer);
    FIELD(PyBufferProcs, bf_releasebuffer);

    SIZE(PyLongObject);
    FIELD(PyLongObject, ob_base);
    FIELD_AS(PyLongObject, "lv_tag", long_value.lv_tag);
    FIELD_AS(PyLongObject, "ob_digit", long_value.ob_digit);
    P("sizeof.digit", sizeof(digit));
    C(PyLong_SHIFT);
    C(PyLong_BASE);
    C(PyLong_MASK);
    C(_PyLong_SIGN_MASK);
    C(_PyLong_NON_SIZE_BITS);

    SIZE(PyFloatObject);
    FIELD(PyFloatObject, ob_base);
    FIELD(PyFloatObject, ob_fval);

    SIZE(PyTupleObject);
    FIELD(PyTupleObject, ob_base);
    FIELD(PyTupleObject, ob_hash);
    FIELD(PyTupleObject, ob_item);

    SIZE(PyListObject);
    FIELD(PyListObject, ob_base);
    FIELD(PyListObject, ob_item);
    FIELD(PyListObject, allocated);

    SIZE(PyBytesObject);
    FIELD(PyBytesObject, ob_base);
    FIELD(PyBytesObject, ob_shash);
    FIELD(PyBytesObject, ob_sval);

    SIZE(PyASCIIObject);
    FIELD(PyASCIIObject, ob_base);
    FIELD(PyASCIIObject, length);
    FIELD(PyASCIIObject, hash);
    FIELD(PyASCIIObject, state);
    SIZE(PyCompactUnicodeObject);
    FIELD(PyCompactUnicodeObject, _base);
    FIELD(PyCompactUnicodeObject, utf8_length);
    FIELD(PyCompactUnicodeObject, utf8);
    {
        /* Bit positions of the `state` bit field: set each field to all-ones and read the word. */
        union {
            __typeof__(((PyASCIIObject *)0)->state) s;
            unsigned int word;
        } u;
        _Static_assert(sizeof u.s == sizeof u.word, "state is one 32-bit word");
        memset(&u, 0, sizeof u); u.s.interned = 3;
        PU("state.interned_mask", u.word);
        memset(&u, 0, sizeof u); u.s.kind = 7;
        PU("state.kind_mask", u.word);
        P("state.kind_shift", __builtin_ctz(u.word));
        memset(&u, 0, sizeof u); u.s.compact = 1;
        PU("state.compact", u.word);
        memset(&u, 0, sizeof u); u.s.ascii = 1;
        PU("state.ascii", u.word);
        memset(&u, 0, sizeof u); u.s.statically_allocated = 1;
        PU("state.statically_allocated", u.word);
    }
    C(SSTATE_NOT_INTERNED);
    C(SSTATE_INTERNED_MORTAL);
    C(SSTATE_INTERNED_IMMORTAL);
    C(SSTATE_INTERNED_IMMORTAL_STATIC);
    C(PyUnicode_1BYTE_KIND);
    C(PyUnicode_2BYTE_KIND);
    C(PyUnicode_4BYTE_KIND);
#endif
}

static void constants(void) {
    /* Method flags (methodobject.h) */
#ifdef METH_VARARGS
    C(METH_VARARGS);
#endif
#ifdef METH_KEYWORDS
    C(METH_KEYWORDS);
#endif
#ifdef METH_NOARGS
    C(METH_NOARGS);
#endif
#ifdef METH_O
    C(METH_O);
#endif
#ifdef METH_CLASS
    C(METH_CLASS);
#endif
#ifdef METH_STATIC
    C(METH_STATIC);
#endif
#ifdef METH_COEXIST
    C(METH_COEXIST);
#endif
#ifdef METH_FASTCALL
    C(METH_FASTCALL);
#endif
#ifdef METH_STACKLESS
    C(METH_STACKLESS);
#endif
#ifdef METH_METHOD
    C(METH_METHOD);
#endif
    /* Rich comparison (object.h) */
#ifdef Py_LT
    C(Py_LT);
#endif
#ifdef Py_LE
    C(Py_LE);
#endif
#ifdef Py_EQ
    C(Py_EQ);
#endif
#ifdef Py_NE
    C(Py_NE);
#endif
#ifdef Py_GT
    C(Py_GT);
#endif
#ifdef Py_GE
    C(Py_GE);
#endif
    /* Module API versions (modsupport.h / patchlevel.h) */
#ifdef PYTHON_API_VERSION
    C(PYTHON_API_VERSION);
#endif
#ifdef PYTHON_ABI_VERSION
    C(PYTHON_ABI_VERSION);
#endif
    /* Member types and flags, 3.12+ spelling (descrobject.h) */
#ifdef Py_T_SHORT
    C(Py_T_SHORT);
#endif
#ifdef Py_T_INT
    C(Py_T_INT);
#endif
#ifdef Py_T_LONG
    C(Py_T_LONG);
#endif
#ifdef Py_T_FLOAT
    C(Py_T_FLOAT);
#endif
#ifdef Py_T_DOUBLE
    C(Py_T_DOUBLE);
#endif
#ifdef Py_T_STRING
    C(Py_T_STRING);
#endif
#ifdef _Py_T_OBJECT
    C(_Py_T_OBJECT);
#endif
#ifdef Py_T_CHAR
    C(Py_T_CHAR);
#endif
#ifdef Py_T_BYTE
    C(Py_T_BYTE);
#endif
#ifdef Py_T_UBYTE
    C(Py_T_UBYTE);
#endif
#ifdef Py_T_USHORT
    C(Py_T_USHORT);
#endif
#ifdef Py_T_UINT
    C(Py_T_UINT);
#endif
#ifdef Py_T_ULONG
    C(Py_T_ULONG);
#endif
#ifdef Py_T_STRING_INPLACE
    C(Py_T_STRING_INPLACE);
#endif
#ifdef Py_T_BOOL
    C(Py_T_BOOL);
#endif
#ifdef Py_T_OBJECT_EX
    C(Py_T_OBJECT_EX);
#endif
#ifdef Py_T_LONGLONG
    C(Py_T_LONGLONG);
#endif
#ifdef Py_T_ULONGLONG
    C(Py_T_ULONGLONG);
#endif
#ifdef Py_T_PYSSIZET
    C(Py_T_PYSSIZET);
#endif
#ifdef _Py_T_NONE
    C(_Py_T_NONE);
#endif
#ifdef Py_READONLY
    C(Py_READONLY);
#endif
#ifdef Py_AUDIT_READ
    C(Py_AUDIT_READ);
#endif
#ifdef _Py_WRITE_RESTRICTED
    C(_Py_WRITE_RESTRICTED);
#endif
#ifdef Py_RELATIVE_OFFSET
    C(Py_RELATIVE_OFFSET);
#endif
    /* Member types and flags, structmember.h spelling (all versions) */
#ifdef T_SHORT
    C(T_SHORT);
#endif
#ifdef T_INT
    C(T_INT);
#endif
#ifdef T_LONG
    C(T_LONG);
#endif
#ifdef T_FLOAT
    C(T_FLOAT);
#endif
#ifdef T_DOUBLE
    C(T_DOUBLE);
#endif
#ifdef T_STRING
    C(T_STRING);
#endif
#ifdef T_OBJECT
    C(T_OBJECT);
#endif
#ifdef T_CHAR
    C(T_CHAR);
#endif
#ifdef T_BYTE
    C(T_BYTE);
#endif
#ifdef T_UBYTE
    C(T_UBYTE);
#endif
#ifdef T_USHORT
    C(T_USHORT);
#endif
#ifdef T_UINT
    C(T_UINT);
#endif
#ifdef T_ULONG
    C(T_ULONG);
#endif
#ifdef T_STRING_INPLACE
    C(T_STRING_INPLACE);
#endif
#ifdef T_BOOL
    C(T_BOOL);
#endif
#ifdef T_OBJECT_EX
    C(T_OBJECT_EX);
#endif
#ifdef T_LONGLONG
    C(T_LONGLONG);
#endif
#ifdef T_ULONGLONG
    C(T_ULONGLONG);
#endif
#ifdef T_PYSSIZET
    C(T_PYSSIZET);
#endif
#ifdef T_NONE
    C(T_NONE);
#endif
#ifdef READONLY
    C(READONLY);
#endif
#ifdef READ_RESTRICTED
    C(READ_RESTRICTED);
#endif
#ifdef PY_WRITE_RESTRICTED
    C(PY_WRITE_RESTRICTED);
#endif
#ifdef PY_AUDIT_READ
    C(PY_AUDIT_READ);
#endif
#ifdef RESTRICTED
    C(RESTRICTED);
#endif
    /* Type flags (object.h) */
#ifdef Py_TPFLAGS_HAVE_FINALIZE
    C(Py_TPFLAGS_HAVE_FINALIZE);
#endif
#ifdef _Py_TPFLAGS_STATIC_BUILTIN
    C(_Py_TPFLAGS_STATIC_BUILTIN);
#endif
#ifdef Py_TPFLAGS_INLINE_VALUES
    C(Py_TPFLAGS_INLINE_VALUES);
#endif
#ifdef Py_TPFLAGS_MANAGED_WEAKREF
    C(Py_TPFLAGS_MANAGED_WEAKREF);
#endif
#ifdef Py_TPFLAGS_MANAGED_DICT
    C(Py_TPFLAGS_MANAGED_DICT);
#endif
#ifdef Py_TPFLAGS_PREHEADER
    C(Py_TPFLAGS_PREHEADER);
#endif
#ifdef Py_TPFLAGS_SEQUENCE
    C(Py_TPFLAGS_SEQUENCE);
#endif
#ifdef Py_TPFLAGS_MAPPING
    C(Py_TPFLAGS_MAPPING);
#endif
#ifdef Py_TPFLAGS_DISALLOW_INSTANTIATION
    C(Py_TPFLAGS_DISALLOW_INSTANTIATION);
#endif
#ifdef Py_TPFLAGS_IMMUTABLETYPE
    C(Py_TPFLAGS_IMMUTABLETYPE);
#endif
#ifdef Py_TPFLAGS_HEAPTYPE
    C(Py_TPFLAGS_HEAPTYPE);
#endif
#ifdef Py_TPFLAGS_BASETYPE
    C(Py_TPFLAGS_BASETYPE);
#endif
#ifdef Py_TPFLAGS_HAVE_VECTORCALL
    C(Py_TPFLAGS_HAVE_VECTORCALL);
#endif
#ifdef _Py_TPFLAGS_HAVE_VECTORCALL
    C(_Py_TPFLAGS_HAVE_VECTORCALL);
#endif
#ifdef Py_TPFLAGS_READY
    C(Py_TPFLAGS_READY);
#endif
#ifdef Py_TPFLAGS_READYING
    C(Py_TPFLAGS_READYING);
#endif
#ifdef Py_TPFLAGS_HAVE_GC
    C(Py_TPFLAGS_HAVE_GC);
#endif
#ifdef Py_TPFLAGS_HAVE_STACKLESS_EXTENSION
    C(Py_TPFLAGS_HAVE_STACKLESS_EXTENSION);
#endif
#ifdef Py_TPFLAGS_METHOD_DESCRIPTOR
    C(Py_TPFLAGS_METHOD_DESCRIPTOR);
#endif
#ifdef Py_TPFLAGS_HAVE_VERSION_TAG
    C(Py_TPFLAGS_HAVE_VERSION_TAG);
#endif
#ifdef Py_TPFLAGS_VALID_VERSION_TAG
    C(Py_TPFLAGS_VALID_VERSION_TAG);
#endif
#ifdef Py_TPFLAGS_IS_ABSTRACT
    C(Py_TPFLAGS_IS_ABSTRACT);
#endif
#ifdef _Py_TPFLAGS_MATCH_SELF
    C(_Py_TPFLAGS_MATCH_SELF);
#endif
#ifdef Py_TPFLAGS_ITEMS_AT_END
    C(Py_TPFLAGS_ITEMS_AT_END);
#endif
#ifdef Py_TPFLAGS_LONG_SUBCLASS
    C(Py_TPFLAGS_LONG_SUBCLASS);
#endif
#ifdef Py_TPFLAGS_LIST_SUBCLASS
    C(Py_TPFLAGS_LIST_SUBCLASS);
#endif
#ifdef Py_TPFLAGS_TUPLE_SUBCLASS
    C(Py_TPFLAGS_TUPLE_SUBCLASS);
#endif
#ifdef Py_TPFLAGS_BYTES_SUBCLASS
    C(Py_TPFLAGS_BYTES_SUBCLASS);
#endif
#ifdef Py_TPFLAGS_UNICODE_SUBCLASS
    C(Py_TPFLAGS_UNICODE_SUBCLASS);
#endif
#ifdef Py_TPFLAGS_DICT_SUBCLASS
    C(Py_TPFLAGS_DICT_SUBCLASS);
#endif
#ifdef Py_TPFLAGS_BASE_EXC_SUBCLASS
    C(Py_TPFLAGS_BASE_EXC_SUBCLASS);
#endif
#ifdef Py_TPFLAGS_TYPE_SUBCLASS
    C(Py_TPFLAGS_TYPE_SUBCLASS);
#endif
#if PY_VERSION_HEX >= 0x030A0000
    C(Py_TPFLAGS_DEFAULT);
#else
    /* <= 3.9: Py_TPFLAGS_DEFAULT also had Py_TPFLAGS_HAVE_VERSION_TAG (bpo-42747 dropped it). */
    C_AS("Py_TPFLAGS_DEFAULT_3_9", Py_TPFLAGS_DEFAULT);
#endif
    /* Type slot ids that never changed (typeslots.h / slots_generated.h) */
#ifdef Py_mp_subscript
    C(Py_mp_subscript);
#endif
#ifdef Py_nb_absolute
    C(Py_nb_absolute);
#endif
#ifdef Py_nb_add
    C(Py_nb_add);
#endif
#ifdef Py_nb_and
    C(Py_nb_and);
#endif
#ifdef Py_nb_bool
    C(Py_nb_bool);
#endif
#ifdef Py_nb_divmod
    C(Py_nb_divmod);
#endif
#ifdef Py_nb_float
    C(Py_nb_float);
#endif
#ifdef Py_nb_floor_divide
    C(Py_nb_floor_divide);
#endif
#ifdef Py_nb_index
    C(Py_nb_index);
#endif
#ifdef Py_nb_inplace_add
    C(Py_nb_inplace_add);
#endif
#ifdef Py_nb_inplace_and
    C(Py_nb_inplace_and);
#endif
#ifdef Py_nb_inplace_floor_divide
    C(Py_nb_inplace_floor_divide);
#endif
#ifdef Py_nb_inplace_lshift
    C(Py_nb_inplace_lshift);
#endif
#ifdef Py_nb_inplace_multiply
    C(Py_nb_inplace_multiply);
#endif
#ifdef Py_nb_inplace_or
    C(Py_nb_inplace_or);
#endif
#ifdef Py_nb_inplace_power
    C(Py_nb_inplace_power);
#endif
#ifdef Py_nb_inplace_remainder
    C(Py_nb_inplace_remainder);
#endif
#ifdef Py_nb_inplace_rshift
    C(Py_nb_inplace_rshift);
#endif
#ifdef Py_nb_inplace_subtract
    C(Py_nb_inplace_subtract);
#endif
#ifdef Py_nb_inplace_true_divide
    C(Py_nb_inplace_true_divide);
#endif
#ifdef Py_nb_inplace_xor
    C(Py_nb_inplace_xor);
#endif
#ifdef Py_nb_int
    C(Py_nb_int);
#endif
#ifdef Py_nb_invert
    C(Py_nb_invert);
#endif
#ifdef Py_nb_lshift
    C(Py_nb_lshift);
#endif
#ifdef Py_nb_multiply
    C(Py_nb_multiply);
#endif
#ifdef Py_nb_negative
    C(Py_nb_negative);
#endif
#ifdef Py_nb_or
    C(Py_nb_or);
#endif
#ifdef Py_nb_positive
    C(Py_nb_positive);
#endif
#ifdef Py_nb_power
    C(Py_nb_power);
#endif
#ifdef Py_nb_remainder
    C(Py_nb_remainder);
#endif
#ifdef Py_nb_rshift
    C(Py_nb_rshift);
#endif
#ifdef Py_nb_subtract
    C(Py_nb_subtract);
#endif
#ifdef Py_nb_true_divide
    C(Py_nb_true_divide);
#endif
#ifdef Py_nb_xor
    C(Py_nb_xor);
#endif
#ifdef Py_sq_ass_item
    C(Py_sq_ass_item);
#endif
#ifdef Py_sq_concat
    C(Py_sq_concat);
#endif
#ifdef Py_sq_contains
    C(Py_sq_contains);
#endif
#ifdef Py_sq_inplace_concat
    C(Py_sq_inplace_concat);
#endif
#ifdef Py_sq_inplace_repeat
    C(Py_sq_inplace_repeat);
#endif
#ifdef Py_sq_item
    C(Py_sq_item);
#endif
#ifdef Py_sq_length
    C(Py_sq_length);
#endif
#ifdef Py_sq_repeat
    C(Py_sq_repeat);
#endif
#ifdef Py_tp_alloc
    C(Py_tp_alloc);
#endif
#ifdef Py_tp_base
    C(Py_tp_base);
#endif
#ifdef Py_tp_bases
    C(Py_tp_bases);
#endif
#ifdef Py_tp_call
    C(Py_tp_call);
#endif
#ifdef Py_tp_clear
    C(Py_tp_clear);
#endif
#ifdef Py_tp_dealloc
    C(Py_tp_dealloc);
#endif
#ifdef Py_tp_del
    C(Py_tp_del);
#endif
#ifdef Py_tp_descr_get
    C(Py_tp_descr_get);
#endif
#ifdef Py_tp_descr_set
    C(Py_tp_descr_set);
#endif
#ifdef Py_tp_doc
    C(Py_tp_doc);
#endif
#ifdef Py_tp_getattr
    C(Py_tp_getattr);
#endif
#ifdef Py_tp_getattro
    C(Py_tp_getattro);
#endif
#ifdef Py_tp_hash
    C(Py_tp_hash);
#endif
#ifdef Py_tp_init
    C(Py_tp_init);
#endif
#ifdef Py_tp_is_gc
    C(Py_tp_is_gc);
#endif
#ifdef Py_tp_iter
    C(Py_tp_iter);
#endif
#ifdef Py_tp_iternext
    C(Py_tp_iternext);
#endif
#ifdef Py_tp_methods
    C(Py_tp_methods);
#endif
#ifdef Py_tp_new
    C(Py_tp_new);
#endif
#ifdef Py_tp_repr
    C(Py_tp_repr);
#endif
#ifdef Py_tp_richcompare
    C(Py_tp_richcompare);
#endif
#ifdef Py_tp_setattr
    C(Py_tp_setattr);
#endif
#ifdef Py_tp_setattro
    C(Py_tp_setattro);
#endif
#ifdef Py_tp_str
    C(Py_tp_str);
#endif
#ifdef Py_tp_traverse
    C(Py_tp_traverse);
#endif
#ifdef Py_tp_members
    C(Py_tp_members);
#endif
#ifdef Py_tp_getset
    C(Py_tp_getset);
#endif
#ifdef Py_tp_free
    C(Py_tp_free);
#endif
#ifdef Py_nb_matrix_multiply
    C(Py_nb_matrix_multiply);
#endif
#ifdef Py_nb_inplace_matrix_multiply
    C(Py_nb_inplace_matrix_multiply);
#endif
#ifdef Py_am_await
    C(Py_am_await);
#endif
#ifdef Py_am_aiter
    C(Py_am_aiter);
#endif
#ifdef Py_am_anext
    C(Py_am_anext);
#endif
#ifdef Py_tp_finalize
    C(Py_tp_finalize);
#endif
#ifdef Py_am_send
    C(Py_am_send);
#endif
#ifdef Py_tp_vectorcall
    C(Py_tp_vectorcall);
#endif
#ifdef Py_tp_token
    C(Py_tp_token);
#endif
    /* 3.15 slot ids (PEP 820, slots_generated.h) */
#ifdef Py_slot_end
    C(Py_slot_end);
#endif
#ifdef Py_slot_subslots
    C(Py_slot_subslots);
#endif
#ifdef Py_tp_slots
    C(Py_tp_slots);
#endif
#ifdef Py_mod_slots
    C(Py_mod_slots);
#endif
#ifdef Py_tp_name
    C(Py_tp_name);
#endif
#ifdef Py_tp_basicsize
    C(Py_tp_basicsize);
#endif
#ifdef Py_tp_extra_basicsize
    C(Py_tp_extra_basicsize);
#endif
#ifdef Py_tp_itemsize
    C(Py_tp_itemsize);
#endif
#ifdef Py_tp_flags
    C(Py_tp_flags);
#endif
#ifdef Py_mod_name
    C(Py_mod_name);
#endif
#ifdef Py_mod_doc
    C(Py_mod_doc);
#endif
#ifdef Py_mod_state_size
    C(Py_mod_state_size);
#endif
#ifdef Py_mod_methods
    C(Py_mod_methods);
#endif
#ifdef Py_mod_state_traverse
    C(Py_mod_state_traverse);
#endif
#ifdef Py_mod_state_clear
    C(Py_mod_state_clear);
#endif
#ifdef Py_mod_state_free
    C(Py_mod_state_free);
#endif
#ifdef Py_tp_metaclass
    C(Py_tp_metaclass);
#endif
#ifdef Py_tp_module
    C(Py_tp_module);
#endif
#ifdef Py_mod_abi
    C(Py_mod_abi);
#endif
#ifdef Py_mod_token
    C(Py_mod_token);
#endif
#ifdef Py_slot_invalid
    C(Py_slot_invalid);
#endif
    /* PySlot flags (slots.h) */
#ifdef PySlot_OPTIONAL
    C(PySlot_OPTIONAL);
#endif
#ifdef PySlot_STATIC
    C(PySlot_STATIC);
#endif
#ifdef PySlot_INTPTR
    C(PySlot_INTPTR);
#endif
    /* PyABIInfo flags (modsupport.h) */
#ifdef PyABIInfo_STABLE
    C(PyABIInfo_STABLE);
#endif
#ifdef PyABIInfo_GIL
    C(PyABIInfo_GIL);
#endif
#ifdef PyABIInfo_FREETHREADED
    C(PyABIInfo_FREETHREADED);
#endif
#ifdef PyABIInfo_INTERNAL
    C(PyABIInfo_INTERNAL);
#endif
#ifdef PyABIInfo_FREETHREADING_AGNOSTIC
    C(PyABIInfo_FREETHREADING_AGNOSTIC);
#endif
    /* Py_GetConstant ids (object.h) */
#ifdef Py_CONSTANT_NONE
    C(Py_CONSTANT_NONE);
#endif
#ifdef Py_CONSTANT_FALSE
    C(Py_CONSTANT_FALSE);
#endif
#ifdef Py_CONSTANT_TRUE
    C(Py_CONSTANT_TRUE);
#endif
#ifdef Py_CONSTANT_ELLIPSIS
    C(Py_CONSTANT_ELLIPSIS);
#endif
#ifdef Py_CONSTANT_NOT_IMPLEMENTED
    C(Py_CONSTANT_NOT_IMPLEMENTED);
#endif
#ifdef Py_CONSTANT_ZERO
    C(Py_CONSTANT_ZERO);
#endif
#ifdef Py_CONSTANT_ONE
    C(Py_CONSTANT_ONE);
#endif
#ifdef Py_CONSTANT_EMPTY_STR
    C(Py_CONSTANT_EMPTY_STR);
#endif
#ifdef Py_CONSTANT_EMPTY_BYTES
    C(Py_CONSTANT_EMPTY_BYTES);
#endif
#ifdef Py_CONSTANT_EMPTY_TUPLE
    C(Py_CONSTANT_EMPTY_TUPLE);
#endif
    /* Buffer flags (pybuffer.h) */
#ifdef PyBUF_MAX_NDIM
    C(PyBUF_MAX_NDIM);
#endif
#ifdef PyBUF_SIMPLE
    C(PyBUF_SIMPLE);
#endif
#ifdef PyBUF_WRITABLE
    C(PyBUF_WRITABLE);
#endif
#ifdef PyBUF_FORMAT
    C(PyBUF_FORMAT);
#endif
#ifdef PyBUF_ND
    C(PyBUF_ND);
#endif
#ifdef PyBUF_STRIDES
    C(PyBUF_STRIDES);
#endif
#ifdef PyBUF_C_CONTIGUOUS
    C(PyBUF_C_CONTIGUOUS);
#endif
#ifdef PyBUF_F_CONTIGUOUS
    C(PyBUF_F_CONTIGUOUS);
#endif
#ifdef PyBUF_ANY_CONTIGUOUS
    C(PyBUF_ANY_CONTIGUOUS);
#endif
#ifdef PyBUF_INDIRECT
    C(PyBUF_INDIRECT);
#endif
#ifdef PyBUF_CONTIG
    C(PyBUF_CONTIG);
#endif
#ifdef PyBUF_CONTIG_RO
    C(PyBUF_CONTIG_RO);
#endif
#ifdef PyBUF_STRIDED
    C(PyBUF_STRIDED);
#endif
#ifdef PyBUF_STRIDED_RO
    C(PyBUF_STRIDED_RO);
#endif
#ifdef PyBUF_RECORDS
    C(PyBUF_RECORDS);
#endif
#ifdef PyBUF_RECORDS_RO
    C(PyBUF_RECORDS_RO);
#endif
#ifdef PyBUF_FULL
    C(PyBUF_FULL);
#endif
#ifdef PyBUF_FULL_RO
    C(PyBUF_FULL_RO);
#endif
#ifdef PyBUF_READ
    C(PyBUF_READ);
#endif
#ifdef PyBUF_WRITE
    C(PyBUF_WRITE);
#endif
    /* ob_flags bits (object.h, 3.14+) */
#ifdef _Py_IMMORTAL_FLAGS
    C(_Py_IMMORTAL_FLAGS);
#endif
#ifdef _Py_LEGACY_ABI_CHECK_FLAG
    C(_Py_LEGACY_ABI_CHECK_FLAG);
#endif
#ifdef _Py_STATICALLY_ALLOCATED_FLAG
    C(_Py_STATICALLY_ALLOCATED_FLAG);
#endif

    /* Type/module slot ids renumbered by PEP 820 (old values printed as NAME_OLD). */
#ifdef Py_bf_getbuffer
    C_SLOT(Py_bf_getbuffer);
#endif
#ifdef Py_bf_releasebuffer
    C_SLOT(Py_bf_releasebuffer);
#endif
#ifdef Py_mp_ass_subscript
    C_SLOT(Py_mp_ass_subscript);
#endif
#ifdef Py_mp_length
    C_SLOT(Py_mp_length);
#endif
#ifdef Py_mod_create
    C_SLOT(Py_mod_create);
#endif
#ifdef Py_mod_exec
    C_SLOT(Py_mod_exec);
#endif
#ifdef Py_mod_multiple_interpreters
    C_SLOT(Py_mod_multiple_interpreters);
#endif
#ifdef Py_mod_gil
    C_SLOT(Py_mod_gil);
#endif

    /* Pointer-valued constants. */
#ifdef Py_MOD_GIL_USED
    C_PTR(Py_MOD_GIL_USED);
#endif
#ifdef Py_MOD_GIL_NOT_USED
    C_PTR(Py_MOD_GIL_NOT_USED);
#endif
#ifdef Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED
    C_PTR(Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED);
#endif
#ifdef Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED
    C_PTR(Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED);
#endif
#ifdef Py_MOD_PER_INTERPRETER_GIL_SUPPORTED
    C_PTR(Py_MOD_PER_INTERPRETER_GIL_SUPPORTED);
#endif
#ifdef Py_TP_USE_SPEC
    C_PTR(Py_TP_USE_SPEC);
#endif

    /* Unsigned 64-bit constants. */
#ifdef PY_VECTORCALL_ARGUMENTS_OFFSET
    C_U(PY_VECTORCALL_ARGUMENTS_OFFSET);
#endif

    /* Refcount encoding (refcount.h); 3.12/3.13 used different names and values. */
#if PY_VERSION_HEX >= 0x030E0000 && !defined(Py_GIL_DISABLED) && defined(_Py_IMMORTAL_INITIAL_REFCNT)
    C_U(_Py_IMMORTAL_INITIAL_REFCNT);
    C_U(_Py_IMMORTAL_MINIMUM_REFCNT);
    C_U(_Py_STATIC_IMMORTAL_INITIAL_REFCNT);
    C_U(_Py_STATIC_FLAG_BITS);
#endif

    PU("info.PY_VERSION_HEX", PY_VERSION_HEX);
#ifdef Py_LIMITED_API
    PU("info.Py_LIMITED_API", Py_LIMITED_API);
#endif
    P("info.new_slot_numbering", NEW_SLOT_NUMBERING);
}

int main(void) {
    structs();
    full_api_315();
    constants();
    return 0;
}
