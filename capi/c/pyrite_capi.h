/*
 * pyrite_capi.h -- declarations shared by Pyrite's C-implemented C API
 * functions (the C-variadic ones, which stable Rust cannot define).
 *
 * Rule: the C files in this directory call ONLY public, Stable-ABI C API
 * functions (plus the exported data symbols PyExc_* / _Py_NoneStruct / a few
 * type objects), never object fields or CPython internals, because the runtime
 * underneath is Pyrite.  Reference counting goes through Py_IncRef/Py_DecRef.
 *
 * Two build modes:
 *   - production (default): this header declares everything itself, with
 *     CPython 3.15's prototypes; CPython's Python.h is NOT included.
 *   - PYRITE_CAPI_TEST: the differential test (capi/c-tests) compiles these
 *     files against a host CPython's Python.h, with every function that is
 *     implemented here renamed to pyrite_<name> (see
 *     capi/c-tests/pyrite_test_rename.h) so both implementations can be
 *     called side by side.
 */
#ifndef PYRITE_CAPI_H
#define PYRITE_CAPI_H

#ifdef PYRITE_CAPI_TEST
/* ------------------------------------------------------------------ */
/* Test mode: host CPython headers + rename to pyrite_*                  */
/* ------------------------------------------------------------------ */
#  ifndef PY_SSIZE_T_CLEAN
#    define PY_SSIZE_T_CLEAN
#  endif
#  include <Python.h>
#endif

#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <limits.h>
#include <wchar.h>

#ifdef PYRITE_CAPI_TEST
#  include "pyrite_test_rename.h"
#  include "pyrite_test_compat.h"
#  define PYR_HIDDEN
#else
/* ------------------------------------------------------------------ */
/* Production mode: our own declarations (CPython 3.15 Stable ABI)      */
/* ------------------------------------------------------------------ */
#include <sys/types.h>
#include <stdint.h>

#define PYR_HIDDEN __attribute__((visibility("hidden")))
#define PyAPI_FUNC(RTYPE) __attribute__((visibility("default"))) RTYPE

typedef ssize_t Py_ssize_t;
typedef Py_ssize_t Py_hash_t;
typedef struct _object PyObject;
typedef struct _typeobject PyTypeObject;

typedef struct {
    double real;
    double imag;
} Py_complex;

typedef struct {
    void *buf;
    PyObject *obj;
    Py_ssize_t len;
    Py_ssize_t itemsize;
    int readonly;
    int ndim;
    char *format;
    Py_ssize_t *shape;
    Py_ssize_t *strides;
    Py_ssize_t *suboffsets;
    void *internal;
} Py_buffer;

#define PY_SSIZE_T_MAX ((Py_ssize_t)(((size_t)-1)>>1))
#define PY_SSIZE_T_MIN (-PY_SSIZE_T_MAX-1)

#define Py_TPFLAGS_HEAPTYPE          (1UL << 9)
#define Py_TPFLAGS_HAVE_GC           (1UL << 14)
#define Py_TPFLAGS_LONG_SUBCLASS     (1UL << 24)
#define Py_TPFLAGS_LIST_SUBCLASS     (1UL << 25)
#define Py_TPFLAGS_TUPLE_SUBCLASS    (1UL << 26)
#define Py_TPFLAGS_BYTES_SUBCLASS    (1UL << 27)
#define Py_TPFLAGS_UNICODE_SUBCLASS  (1UL << 28)
#define Py_TPFLAGS_DICT_SUBCLASS     (1UL << 29)
#define Py_TPFLAGS_BASE_EXC_SUBCLASS (1UL << 30)
#define Py_TPFLAGS_TYPE_SUBCLASS     (1UL << 31)

#define PyBUF_SIMPLE 0
#define PyBUF_WRITABLE 0x0001
#define Py_CLEANUP_SUPPORTED 0x20000
#define Py_bf_getbuffer 1
#define Py_bf_releasebuffer 2

/* Exported data symbols (incomplete types: only their address is used). */
extern struct _object _Py_NoneStruct;
#define Py_None (&_Py_NoneStruct)
extern PyTypeObject PyByteArray_Type;
extern PyTypeObject PyComplex_Type;

extern PyObject *PyExc_TypeError;
extern PyObject *PyExc_ValueError;
extern PyObject *PyExc_OverflowError;
extern PyObject *PyExc_SystemError;
extern PyObject *PyExc_DeprecationWarning;
extern PyObject *PyExc_AttributeError;
extern PyObject *PyExc_UnicodeEncodeError;
extern PyObject *PyExc_RuntimeWarning;
extern PyObject *PyExc_ResourceWarning;

/* --- Stable ABI functions this code calls (implemented by the runtime) --- */
void Py_IncRef(PyObject *);
void Py_DecRef(PyObject *);
PyTypeObject *Py_TYPE(PyObject *);
unsigned long PyType_GetFlags(PyTypeObject *);
int PyType_IsSubtype(PyTypeObject *, PyTypeObject *);
int PyObject_GC_IsTracked(PyObject *);
void PyObject_GC_UnTrack(void *);
void *PyType_GetSlot(PyTypeObject *, int);
PyObject *PyType_GetName(PyTypeObject *);
PyObject *PyType_GetQualName(PyTypeObject *);
PyObject *PyType_GetModuleName(PyTypeObject *);
PyObject *PyType_GetFullyQualifiedName(PyTypeObject *);
PyObject *PyType_GetModule(PyTypeObject *);

void PyErr_SetString(PyObject *, const char *);
void PyErr_SetObject(PyObject *, PyObject *);
PyObject *PyErr_Occurred(void);
void PyErr_Clear(void);
PyObject *PyErr_NoMemory(void);
void PyErr_BadInternalCall(void);
int PyErr_ExceptionMatches(PyObject *);
PyObject *PyErr_GetRaisedException(void);
void PyErr_SetRaisedException(PyObject *);
int PyErr_WarnEx(PyObject *, const char *, Py_ssize_t);
PyObject *PySys_GetObject(const char *);
int PySys_AuditTuple(const char *, PyObject *);
int PyFile_WriteObject(PyObject *, PyObject *, int);
PyObject *PyImport_ImportModule(const char *);

void *PyMem_Malloc(size_t);
void *PyMem_Realloc(void *, size_t);
void PyMem_Free(void *);

PyObject *PyLong_FromLong(long);
PyObject *PyLong_FromUnsignedLong(unsigned long);
PyObject *PyLong_FromLongLong(long long);
PyObject *PyLong_FromUnsignedLongLong(unsigned long long);
PyObject *PyLong_FromSsize_t(Py_ssize_t);
long PyLong_AsLong(PyObject *);
long long PyLong_AsLongLong(PyObject *);
unsigned long PyLong_AsUnsignedLongMask(PyObject *);
unsigned long long PyLong_AsUnsignedLongLongMask(PyObject *);
unsigned long long PyLong_AsUnsignedLongLong(PyObject *);
int PyIndex_Check(PyObject *);
Py_ssize_t PyLong_AsSsize_t(PyObject *);
PyObject *PyNumber_Index(PyObject *);
PyObject *PyBool_FromLong(long);
PyObject *PyFloat_FromDouble(double);
double PyFloat_AsDouble(PyObject *);
PyObject *PyComplex_FromDoubles(double, double);
double PyComplex_RealAsDouble(PyObject *);
double PyComplex_ImagAsDouble(PyObject *);

PyObject *PyBytes_FromStringAndSize(const char *, Py_ssize_t);
char *PyBytes_AsString(PyObject *);
Py_ssize_t PyBytes_Size(PyObject *);
char *PyByteArray_AsString(PyObject *);
Py_ssize_t PyByteArray_Size(PyObject *);

PyObject *PyUnicode_FromString(const char *);
PyObject *PyUnicode_FromStringAndSize(const char *, Py_ssize_t);
PyObject *PyUnicode_DecodeUTF8(const char *, Py_ssize_t, const char *);
PyObject *PyUnicode_DecodeUTF8Stateful(const char *, Py_ssize_t, const char *, Py_ssize_t *);
PyObject *PyUnicode_FromWideChar(const wchar_t *, Py_ssize_t);
PyObject *PyUnicode_FromOrdinal(int);
const char *PyUnicode_AsUTF8AndSize(PyObject *, Py_ssize_t *);
Py_ssize_t PyUnicode_GetLength(PyObject *);
unsigned int PyUnicode_ReadChar(PyObject *, Py_ssize_t); /* Py_UCS4 */
PyObject *PyUnicode_Substring(PyObject *, Py_ssize_t, Py_ssize_t);
PyObject *PyUnicode_AsEncodedString(PyObject *, const char *, const char *);
const char *PyUnicode_GetDefaultEncoding(void);
int PyUnicode_EqualToUTF8(PyObject *, const char *);
int PyUnicode_Compare(PyObject *, PyObject *);

PyObject *PyTuple_New(Py_ssize_t);
int PyTuple_SetItem(PyObject *, Py_ssize_t, PyObject *);
PyObject *PyTuple_GetItem(PyObject *, Py_ssize_t);
Py_ssize_t PyTuple_Size(PyObject *);
PyObject *PyList_New(Py_ssize_t);
int PyList_SetItem(PyObject *, Py_ssize_t, PyObject *);
int PyList_Append(PyObject *, PyObject *);
PyObject *PyDict_New(void);
int PyDict_SetItem(PyObject *, PyObject *, PyObject *);
PyObject *PyDict_GetItemWithError(PyObject *, PyObject *);
int PyDict_Next(PyObject *, Py_ssize_t *, PyObject **, PyObject **);
Py_ssize_t PyDict_Size(PyObject *);

int PySequence_Check(PyObject *);
Py_ssize_t PySequence_Size(PyObject *);
PyObject *PySequence_GetItem(PyObject *, Py_ssize_t);
PyObject *PySequence_Tuple(PyObject *);
PyObject *PyList_GetItem(PyObject *, Py_ssize_t);
Py_ssize_t PyList_Size(PyObject *);

int PyObject_IsTrue(PyObject *);
PyObject *PyObject_Str(PyObject *);
PyObject *PyObject_Repr(PyObject *);
PyObject *PyObject_ASCII(PyObject *);
PyObject *PyObject_GetAttrString(PyObject *, const char *);
PyObject *PyObject_GetAttr(PyObject *, PyObject *);
int PyCallable_Check(PyObject *);
PyObject *PyObject_Call(PyObject *, PyObject *, PyObject *);
PyObject *PyObject_CallObject(PyObject *, PyObject *);
PyObject *PyObject_CallNoArgs(PyObject *);
PyObject *PyObject_Vectorcall(PyObject *, PyObject *const *, size_t, PyObject *);
PyObject *PyObject_VectorcallMethod(PyObject *, PyObject *const *, size_t, PyObject *);
#define PY_VECTORCALL_ARGUMENTS_OFFSET ((size_t)1 << (8 * sizeof(size_t) - 1))

int PyObject_GetBuffer(PyObject *, Py_buffer *, int);
void PyBuffer_Release(Py_buffer *);
int PyBuffer_IsContiguous(const Py_buffer *, char);
int PyBuffer_FillInfo(Py_buffer *, PyObject *, void *, Py_ssize_t, int, int);

/* --- the functions implemented in capi/c (CPython 3.15 prototypes) --- */
#endif /* PYRITE_CAPI_TEST */

/* Declarations of what capi/c defines.  In test mode the names are macros
   expanding to pyrite_<name> (pyrite_test_rename.h). */
#ifndef PyAPI_FUNC
#  define PyAPI_FUNC(RTYPE) RTYPE
#endif
PyAPI_FUNC(PyObject *) Py_BuildValue(const char *, ...);
PyAPI_FUNC(PyObject *) Py_VaBuildValue(const char *, va_list);
PyAPI_FUNC(PyObject *) _Py_BuildValue_SizeT(const char *, ...);
PyAPI_FUNC(PyObject *) _Py_VaBuildValue_SizeT(const char *, va_list);

PyAPI_FUNC(int) PyArg_Parse(PyObject *, const char *, ...);
PyAPI_FUNC(int) PyArg_ParseTuple(PyObject *, const char *, ...);
PyAPI_FUNC(int) PyArg_ParseTupleAndKeywords(PyObject *, PyObject *,
                                            const char *, char * const *, ...);
PyAPI_FUNC(int) PyArg_VaParse(PyObject *, const char *, va_list);
PyAPI_FUNC(int) PyArg_VaParseTupleAndKeywords(PyObject *, PyObject *,
                                              const char *, char * const *, va_list);
PyAPI_FUNC(int) _PyArg_Parse_SizeT(PyObject *, const char *, ...);
PyAPI_FUNC(int) _PyArg_ParseTuple_SizeT(PyObject *, const char *, ...);
PyAPI_FUNC(int) _PyArg_ParseTupleAndKeywords_SizeT(PyObject *, PyObject *,
                                                   const char *, char * const *, ...);
PyAPI_FUNC(int) _PyArg_VaParse_SizeT(PyObject *, const char *, va_list);
PyAPI_FUNC(int) _PyArg_VaParseTupleAndKeywords_SizeT(PyObject *, PyObject *,
                                                     const char *, char * const *, va_list);
PyAPI_FUNC(int) PyArg_UnpackTuple(PyObject *, const char *, Py_ssize_t, Py_ssize_t, ...);
PyAPI_FUNC(int) PyArg_ValidateKeywordArguments(PyObject *);

PyAPI_FUNC(PyObject *) PyErr_Format(PyObject *, const char *, ...);
PyAPI_FUNC(PyObject *) PyErr_FormatV(PyObject *, const char *, va_list);
PyAPI_FUNC(PyObject *) PyUnicode_FromFormat(const char *, ...);
PyAPI_FUNC(PyObject *) PyUnicode_FromFormatV(const char *, va_list);

PyAPI_FUNC(PyObject *) PyTuple_Pack(Py_ssize_t, ...);
PyAPI_FUNC(PyObject *) PyObject_CallFunction(PyObject *, const char *, ...);
PyAPI_FUNC(PyObject *) PyObject_CallMethod(PyObject *, const char *, const char *, ...);
PyAPI_FUNC(PyObject *) PyObject_CallFunctionObjArgs(PyObject *, ...);
PyAPI_FUNC(PyObject *) PyObject_CallMethodObjArgs(PyObject *, PyObject *, ...);
PyAPI_FUNC(PyObject *) _PyObject_CallFunction_SizeT(PyObject *, const char *, ...);
PyAPI_FUNC(PyObject *) _PyObject_CallMethod_SizeT(PyObject *, const char *, const char *, ...);
PyAPI_FUNC(PyObject *) PyEval_CallFunction(PyObject *, const char *, ...);
PyAPI_FUNC(PyObject *) PyEval_CallMethod(PyObject *, const char *, const char *, ...);

PyAPI_FUNC(PyObject *) PyBytes_FromFormat(const char *, ...);
PyAPI_FUNC(PyObject *) PyBytes_FromFormatV(const char *, va_list);
PyAPI_FUNC(int) PyOS_snprintf(char *, size_t, const char *, ...);
PyAPI_FUNC(int) PyOS_vsnprintf(char *, size_t, const char *, va_list);
PyAPI_FUNC(void) PySys_WriteStdout(const char *, ...);
PyAPI_FUNC(void) PySys_WriteStderr(const char *, ...);
PyAPI_FUNC(void) PySys_FormatStdout(const char *, ...);
PyAPI_FUNC(void) PySys_FormatStderr(const char *, ...);
PyAPI_FUNC(int) PySys_Audit(const char *, const char *, ...);
PyAPI_FUNC(int) PyErr_WarnFormat(PyObject *, Py_ssize_t, const char *, ...);
PyAPI_FUNC(int) PyErr_ResourceWarning(PyObject *, Py_ssize_t, const char *, ...);

/* ------------------------------------------------------------------ */
/* Internal helpers shared by the files here (pyrite_util.c).          */
/* Not exported.                                                       */
/* ------------------------------------------------------------------ */
#define PYR_INCREF(o) Py_IncRef((PyObject *)(o))
#define PYR_DECREF(o) Py_DecRef((PyObject *)(o))
#define PYR_XDECREF(o) do { if ((o) != NULL) Py_DecRef((PyObject *)(o)); } while (0)

#define PYR_TYPE_FLAGS(o) PyType_GetFlags(Py_TYPE((PyObject *)(o)))
#define PYR_LONG_CHECK(o)    ((PYR_TYPE_FLAGS(o) & Py_TPFLAGS_LONG_SUBCLASS) != 0)
#define PYR_TUPLE_CHECK(o)   ((PYR_TYPE_FLAGS(o) & Py_TPFLAGS_TUPLE_SUBCLASS) != 0)
#define PYR_LIST_CHECK(o)    ((PYR_TYPE_FLAGS(o) & Py_TPFLAGS_LIST_SUBCLASS) != 0)
#define PYR_BYTES_CHECK(o)   ((PYR_TYPE_FLAGS(o) & Py_TPFLAGS_BYTES_SUBCLASS) != 0)
#define PYR_UNICODE_CHECK(o) ((PYR_TYPE_FLAGS(o) & Py_TPFLAGS_UNICODE_SUBCLASS) != 0)
#define PYR_DICT_CHECK(o)    ((PYR_TYPE_FLAGS(o) & Py_TPFLAGS_DICT_SUBCLASS) != 0)
#define PYR_TYPE_CHECK(o)    ((PYR_TYPE_FLAGS(o) & Py_TPFLAGS_TYPE_SUBCLASS) != 0)
#define PYR_BYTEARRAY_CHECK(o) \
    (PyType_IsSubtype(Py_TYPE((PyObject *)(o)), &PyByteArray_Type))
#define PYR_COMPLEX_CHECK(o) \
    (PyType_IsSubtype(Py_TYPE((PyObject *)(o)), &PyComplex_Type))

/* Growable byte buffer (UTF-8 text accumulation). */
typedef struct {
    char *buf;
    size_t len;
    size_t cap;
    char small[256];
} pyr_sbuf;

PYR_HIDDEN void pyr_sbuf_init(pyr_sbuf *b);
PYR_HIDDEN void pyr_sbuf_free(pyr_sbuf *b);
/* return 0 on success, -1 with MemoryError set */
PYR_HIDDEN int pyr_sbuf_put(pyr_sbuf *b, const char *s, size_t n);
PYR_HIDDEN int pyr_sbuf_putc(pyr_sbuf *b, char c);
PYR_HIDDEN int pyr_sbuf_fill(pyr_sbuf *b, char c, size_t n);
/* C-string of the buffer (always NUL terminated after a successful put) */
PYR_HIDDEN const char *pyr_sbuf_cstr(pyr_sbuf *b);

/* The name CPython prints with "%.50s", Py_TYPE(o)->tp_name, rebuilt from
   public API (see pyrite_util.c).  Writes a NUL-terminated string into buf
   (never fails: falls back to "?"); returns buf. */
PYR_HIDDEN const char *pyr_tp_name(PyTypeObject *type, char *buf, size_t size);
PYR_HIDDEN const char *pyr_obj_tp_name(PyObject *obj, char *buf, size_t size);
#define PYR_TPNAME_BUFSIZE 256

/* Tiny snprintf-style formatter (plain C semantics, via vsnprintf). */
PYR_HIDDEN void pyr_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Internal entry points shared between files. */
PYR_HIDDEN PyObject *pyr_va_build_value(const char *format, va_list *p_va);
PYR_HIDDEN PyObject *pyr_va_build_stack_tuple(const char *format, va_list *p_va);
PYR_HIDDEN PyObject *pyr_unicode_fromformat_v(const char *format, va_list *p_va);
PYR_HIDDEN PyObject *pyr_calculate_suggestion(PyObject *candidates, PyObject *name);

#endif /* PYRITE_CAPI_H */
