/*
 * ob_objects2: object.h/abstract.h functions no other area calls — the sequence and mapping
 * protocols (including the *_Length aliases and PySequence_In), PyIndex_Check, PyIter_Send,
 * generic attribute access, PyObject_GetAIter, SelfIter, HashNotImplemented, CheckBuffer,
 * PyBuffer_FillInfo, PySlice_GetIndices; allocating objects by hand (PyObject_Init(Var),
 * _PyObject_New(Var), _PyObject_GC_NewVar, _PyObject_GC_Resize, Py_SIZE/Py_SET_SIZE); the
 * reference helpers exported as functions (Py_NewRef, Py_XNewRef, Py_IncRef, Py_DecRef, Py_Is*,
 * Py_GetConstant); PyMem_* allocators; PyCFunction_*; PyVectorcall_*; _Py_SwappedOp and
 * PyStructSequence_UnnamedField.
 */
#include "ext_test.h"

#define API_AT_LEAST(v) (!defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= (v))

/* Exported functions that the headers turn into other names: call the functions. */
#undef PyObject_Length
#undef PySequence_Length
#undef PyMapping_Length
#undef PySequence_In
PyAPI_FUNC(Py_ssize_t) PyObject_Length(PyObject *o);
PyAPI_FUNC(Py_ssize_t) PySequence_Length(PyObject *o);
PyAPI_FUNC(Py_ssize_t) PyMapping_Length(PyObject *o);
PyAPI_FUNC(int) PySequence_In(PyObject *o, PyObject *value);
/* Data the Stable ABI exports outside the limited headers. */
PyAPI_DATA(int) _Py_SwappedOp[];
PyAPI_FUNC(void *) PyMem_RawMalloc(size_t);
PyAPI_FUNC(void *) PyMem_RawCalloc(size_t, size_t);
PyAPI_FUNC(void *) PyMem_RawRealloc(void *, size_t);
PyAPI_FUNC(void) PyMem_RawFree(void *);
PyAPI_FUNC(void) Py_IncRef(PyObject *);
PyAPI_FUNC(void) Py_DecRef(PyObject *);
/* Exported in the Stable ABI; the limited headers declare them from these versions on. */
#if !API_AT_LEAST(0x030A0000)
PyAPI_FUNC(PyObject *) Py_NewRef(PyObject *);
PyAPI_FUNC(PyObject *) Py_XNewRef(PyObject *);
PyAPI_FUNC(int) Py_Is(PyObject *, PyObject *);
PyAPI_FUNC(int) Py_IsNone(PyObject *);
PyAPI_FUNC(int) Py_IsTrue(PyObject *);
PyAPI_FUNC(int) Py_IsFalse(PyObject *);
#endif

static PyObject *test_sequence(PyObject *m, PyObject *unused) {
    PyObject *l = Py_BuildValue("[isi]", 1, "two", 3), *t, *x, *two = PyUnicode_FromString("two"), *d = PyDict_New();
    CHECK(l && two && d);
    CHECK(PySequence_Check(l) == 1 && PySequence_Check(d) == 0 && PySequence_Check(Py_None) == 0);
    CHECK(PySequence_Size(l) == 3 && PySequence_Length(l) == 3 && PyObject_Length(l) == 3);
    CHECK(PySequence_Length(d) == -1);
    CHECK_RAISED(PyExc_TypeError, "dict is not a sequence");
    CHECK(PyObject_Length(Py_None) == -1);
    CHECK_RAISED(PyExc_TypeError, "object of type 'NoneType' has no len()");
    /* New references; negative indices count from the end. */
    x = PySequence_GetItem(l, -2);
    CHECK(x && x == PyList_GetItem(l, 1));
    Py_DECREF(x);
    CHECK(PySequence_GetItem(l, 5) == NULL);
    CHECK_RAISED(PyExc_IndexError, "list index out of range");
    CHECK(PySequence_GetItem(d, 0) == NULL);
    CHECK_RAISED(PyExc_TypeError, "dict is not a sequence");
    CHECK(PySequence_In(l, two) == 1 && PySequence_In(l, Py_None) == 0);
    t = PySequence_Tuple(l);
    CHECK(t && PyTuple_Check(t) && PyTuple_Size(t) == 3 && PyTuple_GetItem(t, 1) == PyList_GetItem(l, 1));
    /* A tuple is returned as itself. */
    x = PySequence_Tuple(t);
    CHECK(x == t);
    Py_DECREF(x);
    x = PySequence_List(t);
    CHECK(x && PyList_Check(x) && x != l && PyObject_RichCompareBool(x, l, Py_EQ) == 1);
    Py_DECREF(x);
    /* A list is copied. */
    x = PySequence_List(l);
    CHECK(x && x != l && PyList_Size(x) == 3);
    Py_DECREF(x);
    CHECK(PySequence_List(Py_None) == NULL);
    CHECK_RAISED(PyExc_TypeError, "'NoneType' object is not iterable");
    CHECK(PySequence_Tuple(Py_None) == NULL);
    CHECK_RAISED(PyExc_TypeError, "'NoneType' object is not iterable");
    Py_DECREF(t);
    Py_DECREF(d);
    Py_DECREF(two);
    Py_DECREF(l);
    Py_RETURN_NONE;
}

static PyObject *test_mapping(PyObject *m, PyObject *unused) {
    PyObject *d = PyDict_New(), *v = PyLong_FromLong(5), *r, *one = PyLong_FromLong(1);
    CHECK(d && v && one);
    CHECK(PyMapping_Check(d) == 1 && PyMapping_Check(one) == 0);
    CHECK(PyMapping_SetItemString(d, "k", v) == 0);
    CHECK(PyMapping_Size(d) == 1 && PyMapping_Length(d) == 1);
    r = PyMapping_GetItemString(d, "k");
    CHECK(r == v);
    Py_DECREF(r);
    CHECK(PyMapping_GetItemString(d, "missing") == NULL);
    CHECK_RAISED(PyExc_KeyError, "'missing'");
    CHECK(PyMapping_SetItemString(one, "k", v) == -1);
    CHECK_RAISED(PyExc_TypeError, "'int' object does not support item assignment");
    CHECK(PyMapping_Size(one) == -1);
    CHECK_RAISED(PyExc_TypeError, "object of type 'int' has no len()");
    Py_DECREF(one);
    Py_DECREF(v);
    Py_DECREF(d);
    Py_RETURN_NONE;
}

static PyObject *test_refs(PyObject *m, PyObject *unused) {
    PyObject *o = PyList_New(0), *r;
    Py_ssize_t before;
    CHECK(o);
    before = Py_REFCNT(o);
    r = (Py_NewRef)(o);
    CHECK(r == o && Py_REFCNT(o) == before + 1);
    r = (Py_XNewRef)(o);
    CHECK(r == o && Py_REFCNT(o) == before + 2);
    CHECK((Py_XNewRef)(NULL) == NULL);
    Py_IncRef(o);
    CHECK(Py_REFCNT(o) == before + 3);
    Py_DecRef(o);
    Py_DecRef(o);
    Py_DecRef(o);
    CHECK(Py_REFCNT(o) == before);
    Py_IncRef(NULL);
    Py_DecRef(NULL);
    CHECK((Py_Is)(o, o) == 1 && (Py_Is)(o, Py_None) == 0);
    CHECK((Py_IsNone)(Py_None) == 1 && (Py_IsNone)(o) == 0);
    CHECK((Py_IsTrue)(Py_True) == 1 && (Py_IsTrue)(Py_False) == 0);
    {
        /* Not truthiness: identity with the singletons. */
        PyObject *one = PyLong_FromLong(1);
        CHECK((Py_IsTrue)(one) == 0);
        Py_DECREF(one);
    }
    CHECK((Py_IsFalse)(Py_False) == 1 && (Py_IsFalse)(Py_None) == 0);
    Py_DECREF(o);
    Py_RETURN_NONE;
}

#if API_AT_LEAST(0x030D0000)
static PyObject *test_get_constant(PyObject *m, PyObject *unused) {
    PyObject *c;
    c = Py_GetConstant(Py_CONSTANT_NONE);
    CHECK(c == Py_None);
    Py_DECREF(c);
    c = Py_GetConstant(Py_CONSTANT_ELLIPSIS);
    CHECK(c == Py_Ellipsis);
    Py_DECREF(c);
    c = Py_GetConstant(Py_CONSTANT_ONE);
    CHECK(c && PyLong_AsLong(c) == 1);
    Py_DECREF(c);
    c = Py_GetConstant(Py_CONSTANT_EMPTY_STR);
    CHECK(ext_test_str_eq(c, ""));
    Py_DECREF(c);
    c = Py_GetConstant(Py_CONSTANT_EMPTY_TUPLE);
    CHECK(c && PyTuple_Check(c) && PyTuple_Size(c) == 0);
    Py_DECREF(c);
    Py_RETURN_NONE;
}
#endif

static PyObject *test_index_and_iter(PyObject *m, PyObject *unused) {
    PyObject *i = PyLong_FromLong(3), *f = PyFloat_FromDouble(1.0), *l = PyList_New(0), *it;
    CHECK(i && f && l);
#if API_AT_LEAST(0x03080000)
    CHECK(PyIndex_Check(i) == 1 && PyIndex_Check(Py_True) == 1 && PyIndex_Check(f) == 0 && PyIndex_Check(l) == 0);
#endif
    it = PyObject_GetIter(l);
    CHECK(PyObject_SelfIter(it) == it);
    Py_DECREF(it);
    /* SelfIter returns a new reference to anything. */
    CHECK(PyObject_SelfIter(f) == f);
    Py_DECREF(f);
    Py_DECREF(it);
    Py_DECREF(f);
    Py_DECREF(l);
    Py_DECREF(i);
    Py_RETURN_NONE;
}

static PyObject *test_hash_not_implemented(PyObject *m, PyObject *unused) {
    PyObject *l = PyList_New(0);
    CHECK(l);
    CHECK(PyObject_HashNotImplemented(l) == -1);
    CHECK_RAISED(PyExc_TypeError, "unhashable type: 'list'");
    Py_DECREF(l);
    Py_RETURN_NONE;
}

static PyObject *test_generic_attrs(PyObject *m, PyObject *unused) {
    PyObject *ns = PyDict_New(), *cls, *obj, *name = PyUnicode_FromString("attr"), *v = PyLong_FromLong(9), *r;
    PyObject *missing = PyUnicode_FromString("missing");
    CHECK(ns && name && v && missing);
    cls = PyObject_CallFunction((PyObject *)&PyType_Type, "s()O", "Plain", ns);
    CHECK(cls);
    obj = PyObject_CallObject(cls, NULL);
    CHECK(obj);
    CHECK(PyObject_GenericSetAttr(obj, name, v) == 0);
    r = PyObject_GenericGetAttr(obj, name);
    CHECK(r == v);
    Py_DECREF(r);
    CHECK(PyObject_HasAttrString(obj, "attr") == 1);
    CHECK(PyObject_GenericSetAttr(obj, name, NULL) == 0);
    CHECK(PyObject_GenericGetAttr(obj, name) == NULL);
    CHECK_RAISED(PyExc_AttributeError, "'Plain' object has no attribute 'attr'");
    CHECK(PyObject_GenericSetAttr(obj, missing, NULL) == -1);
    CHECK_RAISED(PyExc_AttributeError, NULL);
    /* Methods are found through the type. */
    r = PyObject_GenericGetAttr(obj, PyUnicode_InternFromString("__class__"));
    CHECK(r == cls);
    Py_DECREF(r);
    Py_DECREF(obj);
    Py_DECREF(cls);
    Py_DECREF(missing);
    Py_DECREF(v);
    Py_DECREF(name);
    Py_DECREF(ns);
    Py_RETURN_NONE;
}

#if API_AT_LEAST(0x030A0000)
static PyObject *test_aiter_error(PyObject *m, PyObject *unused) {
    CHECK(PyObject_GetAIter(Py_None) == NULL);
    CHECK_RAISED(PyExc_TypeError, "'NoneType' object is not an async iterable");
    Py_RETURN_NONE;
}

/* get_aiter(o): PyObject_GetAIter (the driver checks the result). */
static PyObject *get_aiter(PyObject *m, PyObject *o) {
    return PyObject_GetAIter(o);
}

/* send(iter, value) -> (status, result): PyIter_Send. */
static PyObject *send(PyObject *m, PyObject *args) {
    PyObject *it, *value, *result = NULL;
    PySendResult r;
    if (!PyArg_ParseTuple(args, "OO", &it, &value)) return NULL;
    r = PyIter_Send(it, value, &result);
    if (r == PYGEN_ERROR) {
        if (result != NULL) return PyErr_Format(PyExc_AssertionError, "result set on error");
        return NULL;
    }
    return Py_BuildValue("(sN)", r == PYGEN_RETURN ? "return" : "next", result);
}

static PyObject *test_iter_send_iterator(PyObject *m, PyObject *unused) {
    PyObject *l = Py_BuildValue("[i]", 4), *it = PyObject_GetIter(l), *result = NULL, *one = PyLong_FromLong(1);
    CHECK(it && one);
    /* Sending None to a plain iterator is next(); the end is a return of None. */
    CHECK(PyIter_Send(it, Py_None, &result) == PYGEN_NEXT && result == PyList_GetItem(l, 0));
    Py_DECREF(result);
    CHECK(PyIter_Send(it, Py_None, &result) == PYGEN_RETURN && result == Py_None);
    Py_DECREF(result);
    result = NULL;
    /* Anything else goes to .send(), which a list iterator lacks. */
    CHECK(PyIter_Send(it, one, &result) == PYGEN_ERROR && result == NULL);
    CHECK_RAISED(PyExc_AttributeError, "'list_iterator' object has no attribute 'send'");
    Py_DECREF(one);
    Py_DECREF(it);
    Py_DECREF(l);
    Py_RETURN_NONE;
}
#endif

#if API_AT_LEAST(0x030B0000)
static PyObject *test_buffers(PyObject *m, PyObject *unused) {
    static char data[] = "abcdef";
    PyObject *b = PyBytes_FromString("xy"), *owner = PyList_New(0), *mv;
    Py_buffer view;
    Py_ssize_t before;
    CHECK(b && owner);
    CHECK(PyObject_CheckBuffer(b) == 1 && PyObject_CheckBuffer(owner) == 0 && PyObject_CheckBuffer(Py_None) == 0);
    before = Py_REFCNT(owner);
    CHECK(PyBuffer_FillInfo(&view, owner, data, 6, 1, PyBUF_FULL_RO) == 0);
    CHECK(view.buf == data && view.len == 6 && view.readonly == 1 && view.itemsize == 1 && view.ndim == 1);
    CHECK(view.format && strcmp(view.format, "B") == 0 && view.shape && view.shape[0] == 6 && view.strides && view.strides[0] == 1);
    CHECK(view.obj == owner && Py_REFCNT(owner) == before + 1);
    /* The memoryview sees the C buffer. */
    mv = PyMemoryView_FromBuffer(&view);
    CHECK(mv);
    {
        PyObject *bytes = PyObject_CallMethod(mv, "tobytes", NULL);
        CHECK(bytes && PyBytes_Size(bytes) == 6 && memcmp(PyBytes_AsString(bytes), "abcdef", 6) == 0);
        Py_DECREF(bytes);
    }
    Py_DECREF(mv);
    PyBuffer_Release(&view);
    CHECK(Py_REFCNT(owner) == before && view.obj == NULL);
    /* Without PyBUF_FORMAT the format is left NULL (meaning "B"). */
    CHECK(PyBuffer_FillInfo(&view, NULL, data, 3, 0, PyBUF_SIMPLE) == 0);
    CHECK(view.format == NULL && view.obj == NULL && view.len == 3 && view.readonly == 0 && view.shape == NULL);
    PyBuffer_Release(&view);
    CHECK(PyBuffer_FillInfo(&view, owner, data, 6, 1, PyBUF_WRITABLE) == -1);
    CHECK_RAISED(PyExc_BufferError, "Object is not writable.");
    CHECK(Py_REFCNT(owner) == before);
    Py_DECREF(owner);
    Py_DECREF(b);
    Py_RETURN_NONE;
}
#endif

static PyObject *test_slice_indices(PyObject *m, PyObject *unused) {
    PyObject *one = PyLong_FromLong(1), *two = PyLong_FromLong(2), *minus = PyLong_FromLong(-3), *sl;
    Py_ssize_t start = 0, stop = 0, step = 0;
    CHECK(one && two && minus);
    sl = PySlice_New(one, NULL, two);
    CHECK(PySlice_GetIndices(sl, 10, &start, &stop, &step) == 0 && start == 1 && stop == 10 && step == 2);
    Py_DECREF(sl);
    /* Negative bounds count from the end; no clipping to the length. */
    sl = PySlice_New(minus, NULL, NULL);
    CHECK(PySlice_GetIndices(sl, 10, &start, &stop, &step) == 0 && start == 7 && stop == 10 && step == 1);
    Py_DECREF(sl);
    Py_DECREF(minus);
    Py_DECREF(two);
    Py_DECREF(one);
    Py_RETURN_NONE;
}

static PyObject *test_mem(PyObject *m, PyObject *unused) {
    int i;
    unsigned char *p = PyMem_Calloc(4, 8), *q;
    CHECK(p);
    for (i = 0; i < 32; i++) CHECK(p[i] == 0);
    PyMem_Free(p);
    p = PyMem_RawMalloc(16);
    CHECK(p);
    memcpy(p, "0123456789abcdef", 16);
    q = PyMem_RawRealloc(p, 4096);
    CHECK(q && memcmp(q, "0123456789abcdef", 16) == 0);
    PyMem_RawFree(q);
    p = PyMem_RawCalloc(100, 3);
    CHECK(p);
    for (i = 0; i < 300; i++) CHECK(p[i] == 0);
    PyMem_RawFree(p);
    /* Zero sizes give a unique non-NULL pointer. */
    p = PyMem_RawMalloc(0);
    q = PyMem_RawCalloc(0, 0);
    CHECK(p && q && p != q);
    PyMem_RawFree(p);
    PyMem_RawFree(q);
    p = PyMem_Calloc(0, 5);
    CHECK(p);
    PyMem_Free(p);
    p = PyMem_RawRealloc(NULL, 8);
    CHECK(p);
    PyMem_RawFree(p);
    Py_RETURN_NONE;
}

/* ---- allocating objects of our own types ---- */

static PyTypeObject *Plain;
#if !defined(Py_TARGET_ABI3T)
static PyTypeObject *Var, *GCVar;

static int GCVar_traverse(PyObject *o, visitproc visit, void *arg) {
    Py_VISIT(Py_TYPE(o));
    return 0;
}
#endif

static PyObject *test_object_init(PyObject *m, PyObject *unused) {
    PyObject *o, *basicsize = PyObject_GetAttrString((PyObject *)Plain, "__basicsize__");
    Py_ssize_t type_refs = Py_REFCNT((PyObject *)Plain);
    size_t size;
    CHECK(basicsize);
    size = PyLong_AsSize_t(basicsize);
    Py_DECREF(basicsize);
    o = PyObject_Malloc(size);
    CHECK(o);
    CHECK(PyObject_Init(o, Plain) == o);
    /* A heap type's instances hold a reference to it. */
    CHECK(Py_TYPE(o) == Plain && Py_REFCNT(o) == 1 && Py_REFCNT((PyObject *)Plain) == type_refs + 1);
    Py_DECREF(o);
    CHECK(Py_REFCNT((PyObject *)Plain) == type_refs);
    o = _PyObject_New(Plain);
    CHECK(o && Py_TYPE(o) == Plain && Py_REFCNT(o) == 1);
    Py_DECREF(o);
    {
        PyObject *args = PyTuple_New(0);
        o = PyType_GenericNew(Plain, args, NULL);
        CHECK(o && Py_TYPE(o) == Plain);
        Py_DECREF(o);
        Py_DECREF(args);
    }
#if API_AT_LEAST(0x030F0000)
    o = _PyObject_New(Plain);
    CHECK(PyObject_GetTypeData_DuringGC(o, Plain) == PyObject_GetTypeData(o, Plain));
    Py_DECREF(o);
#endif
    Py_RETURN_NONE;
}

#if !defined(Py_TARGET_ABI3T)
/* Py_SIZE and Py_SET_SIZE are exported functions from the 3.14 limited API on. */
#if API_AT_LEAST(0x030E0000)
#define SIZE_FN(o) (Py_SIZE)(o)
#define SET_SIZE_FN(o, n) (Py_SET_SIZE)((o), (n))
#else
#define SIZE_FN(o) Py_SIZE(o)
#define SET_SIZE_FN(o, n) Py_SET_SIZE((o), (n))
#endif

static PyObject *test_var_objects(PyObject *m, PyObject *unused) {
    PyVarObject *v;
    PyObject *o;
    size_t size = sizeof(PyVarObject) + 5 * 8;
    v = PyObject_Malloc(size);
    CHECK(v);
    CHECK(PyObject_InitVar(v, Var, 5) == v);
    o = (PyObject *)v;
    CHECK(Py_TYPE(o) == Var && SIZE_FN(o) == 5);
    SET_SIZE_FN(v, 3);
    CHECK(SIZE_FN(o) == 3 && Py_SIZE(o) == 3);
    Py_DECREF(o);
    v = _PyObject_NewVar(Var, 7);
    CHECK(v && SIZE_FN((PyObject *)v) == 7 && Py_TYPE((PyObject *)v) == Var);
    Py_DECREF(v);
    v = _PyObject_GC_NewVar(GCVar, 2);
    CHECK(v && SIZE_FN((PyObject *)v) == 2 && PyObject_GC_IsTracked((PyObject *)v) == 0);
    memset((char *)v + sizeof(PyVarObject), 'x', 2 * 8);
    v = _PyObject_GC_Resize(v, 100);
    CHECK(v && SIZE_FN((PyObject *)v) == 100 && ((char *)v)[sizeof(PyVarObject) + 15] == 'x');
    PyObject_GC_Track(v);
    CHECK(PyObject_GC_IsTracked((PyObject *)v) == 1);
    Py_DECREF(v);
    Py_RETURN_NONE;
}
#endif

/* ---- functions ---- */

static PyObject *echo_self(PyObject *self, PyObject *arg) {
    return Py_BuildValue("(OO)", self ? self : Py_None, arg);
}

static PyMethodDef echo_def = {"echo", echo_self, METH_O, "echo(x)"};

static PyObject *test_cfunction(PyObject *m, PyObject *unused) {
    PyObject *self = PyUnicode_FromString("me"), *f, *r, *one = PyLong_FromLong(1);
    CHECK(self && one);
    /* The function (the headers make PyCFunction_New a macro for PyCFunction_NewEx). */
    f = (PyCFunction_New)(&echo_def, self);
    CHECK(f && PyCFunction_Check(f));
    CHECK(PyCFunction_GetFunction(f) == echo_self);
    CHECK(PyCFunction_GetSelf(f) == self);
    CHECK(PyCFunction_GetFlags(f) == METH_O);
    r = PyObject_CallFunctionObjArgs(f, one, NULL);
    CHECK(r && PyTuple_GetItem(r, 0) == self && PyTuple_GetItem(r, 1) == one);
    Py_DECREF(r);
    {
        PyObject *name = PyObject_GetAttrString(f, "__name__");
        CHECK(ext_test_str_eq(name, "echo"));
        Py_DECREF(name);
    }
    Py_DECREF(f);
    f = (PyCFunction_New)(&echo_def, NULL);
    CHECK(f && PyCFunction_GetSelf(f) == NULL && !PyErr_Occurred());
    Py_DECREF(f);
    CHECK(PyCFunction_GetFunction(one) == NULL);
    CHECK_RAISED(PyExc_SystemError, NULL);
    CHECK(PyCFunction_GetSelf(one) == NULL);
    CHECK_RAISED(PyExc_SystemError, NULL);
    CHECK(PyCFunction_GetFlags(one) == -1);
    CHECK_RAISED(PyExc_SystemError, NULL);
    Py_DECREF(one);
    Py_DECREF(self);
    Py_RETURN_NONE;
}

#if API_AT_LEAST(0x030C0000)
static PyObject *test_vectorcall(PyObject *m, PyObject *unused) {
    PyObject *b = PyImport_ImportModule("builtins"), *len, *sorted, *args, *kw, *r;
    CHECK(b);
    len = PyObject_GetAttrString(b, "len");
    sorted = PyObject_GetAttrString(b, "sorted");
    CHECK(len && sorted);
    CHECK(PyVectorcall_NARGS(3) == 3);
    CHECK(PyVectorcall_NARGS(2 | PY_VECTORCALL_ARGUMENTS_OFFSET) == 2);
    args = Py_BuildValue("((iii))", 3, 1, 2);
    r = PyVectorcall_Call(len, args, NULL);
    CHECK(r && PyLong_AsLong(r) == 3);
    Py_DECREF(r);
    kw = Py_BuildValue("{sO}", "reverse", Py_True);
    r = PyVectorcall_Call(sorted, args, kw);
    CHECK(r && PyList_Check(r) && PyLong_AsLong(PyList_GetItem(r, 0)) == 3);
    Py_DECREF(r);
    Py_DECREF(kw);
    /* A list does not support vectorcall. */
    {
        PyObject *l = PyList_New(0);
        CHECK(PyVectorcall_Call(l, args, NULL) == NULL);
        CHECK_RAISED(PyExc_TypeError, "'list' object does not support vectorcall");
        Py_DECREF(l);
    }
    Py_DECREF(args);
    Py_DECREF(sorted);
    Py_DECREF(len);
    Py_DECREF(b);
    Py_RETURN_NONE;
}
#endif

static PyObject *test_swapped_op(PyObject *m, PyObject *unused) {
    /* The comparison to try on the right operand: a < b  <=>  b > a. */
    CHECK(_Py_SwappedOp[Py_LT] == Py_GT && _Py_SwappedOp[Py_GT] == Py_LT);
    CHECK(_Py_SwappedOp[Py_LE] == Py_GE && _Py_SwappedOp[Py_GE] == Py_LE);
    CHECK(_Py_SwappedOp[Py_EQ] == Py_EQ && _Py_SwappedOp[Py_NE] == Py_NE);
    Py_RETURN_NONE;
}

static PyStructSequence_Field pair_fields[] = {
    {"first", "the named one"},
    {NULL, "the hidden one"},  /* set to PyStructSequence_UnnamedField at import */
    {NULL, NULL},
};
static PyStructSequence_Desc pair_desc = {"ob_objects2.pair", NULL, pair_fields, 2};
static PyObject *PairType;

static PyObject *test_unnamed_field(PyObject *m, PyObject *unused) {
    PyObject *p = PyStructSequence_New((PyTypeObject *)PairType), *a = PyLong_FromLong(1), *b = PyLong_FromLong(2), *r, *n;
    CHECK(p && a && b);
    PyStructSequence_SetItem(p, 0, a);
    PyStructSequence_SetItem(p, 1, b);
    CHECK(PyObject_Size(p) == 2);
    r = PyObject_GetAttrString(p, "first");
    CHECK(r == a);
    Py_DECREF(r);
    n = PyObject_GetAttrString(PairType, "n_unnamed_fields");
    CHECK(n && PyLong_AsLong(n) == 1);
    Py_DECREF(n);
    n = PyObject_GetAttrString(PairType, "n_sequence_fields");
    CHECK(n && PyLong_AsLong(n) == 2);
    Py_DECREF(n);
    r = PySequence_GetItem(p, 1);
    CHECK(r == b);
    Py_DECREF(r);
    Py_DECREF(p);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"test_sequence", test_sequence, METH_NOARGS, NULL},
    {"test_mapping", test_mapping, METH_NOARGS, NULL},
    {"test_refs", test_refs, METH_NOARGS, NULL},
#if API_AT_LEAST(0x030D0000)
    {"test_get_constant", test_get_constant, METH_NOARGS, NULL},
#endif
    {"test_index_and_iter", test_index_and_iter, METH_NOARGS, NULL},
    {"test_hash_not_implemented", test_hash_not_implemented, METH_NOARGS, NULL},
    {"test_generic_attrs", test_generic_attrs, METH_NOARGS, NULL},
#if API_AT_LEAST(0x030A0000)
    {"test_aiter_error", test_aiter_error, METH_NOARGS, NULL},
    {"test_iter_send_iterator", test_iter_send_iterator, METH_NOARGS, NULL},
    {"get_aiter", get_aiter, METH_O, NULL},
    {"send", send, METH_VARARGS, NULL},
#endif
#if API_AT_LEAST(0x030B0000)
    {"test_buffers", test_buffers, METH_NOARGS, NULL},
#endif
    {"test_slice_indices", test_slice_indices, METH_NOARGS, NULL},
    {"test_mem", test_mem, METH_NOARGS, NULL},
    {"test_object_init", test_object_init, METH_NOARGS, NULL},
#if !defined(Py_TARGET_ABI3T)
    {"test_var_objects", test_var_objects, METH_NOARGS, NULL},
#endif
    {"test_cfunction", test_cfunction, METH_NOARGS, NULL},
#if API_AT_LEAST(0x030C0000)
    {"test_vectorcall", test_vectorcall, METH_NOARGS, NULL},
#endif
    {"test_swapped_op", test_swapped_op, METH_NOARGS, NULL},
    {"test_unnamed_field", test_unnamed_field, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot Plain_slots[] = {{0, NULL}};
static PyType_Spec Plain_spec = {"ob_objects2.Plain", 0, 0, Py_TPFLAGS_DEFAULT, Plain_slots};
#if !defined(Py_TARGET_ABI3T)
static PyType_Slot Var_slots[] = {{0, NULL}};
static PyType_Spec Var_spec = {"ob_objects2.Var", sizeof(PyVarObject), 8, Py_TPFLAGS_DEFAULT, Var_slots};
static PyType_Slot GCVar_slots[] = {{Py_tp_traverse, GCVar_traverse}, {0, NULL}};
static PyType_Spec GCVar_spec = {"ob_objects2.GCVar", sizeof(PyVarObject), 8, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, GCVar_slots};
#endif

/* The types live as long as the module (an attribute each). */
static int add_type(PyObject *m, const char *name, PyType_Spec *spec, PyTypeObject **out) {
    PyObject *t = PyType_FromSpec(spec);
    if (!t) return -1;
    *out = (PyTypeObject *)t;
    if (PyModule_AddObject(m, name, t) < 0) {
        Py_DECREF(t);
        return -1;
    }
    return 0;
}

static int exec_module(PyObject *m) {
    if (add_type(m, "Plain", &Plain_spec, &Plain) < 0) return -1;
#if !defined(Py_TARGET_ABI3T)
    if (add_type(m, "Var", &Var_spec, &Var) < 0 || add_type(m, "GCVar", &GCVar_spec, &GCVar) < 0) return -1;
#endif
    pair_fields[1].name = PyStructSequence_UnnamedField;
    PairType = (PyObject *)PyStructSequence_NewType(&pair_desc);
    if (!PairType) return -1;
    Py_INCREF(PairType);
    return PyModule_AddObject(m, "pair", PairType);
}

EXT_TEST_MODULE(ob_objects2, methods, exec_module)
