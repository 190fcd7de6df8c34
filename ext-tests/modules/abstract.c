/*
 * abstract: the sequence and mapping protocols of abstract.h (PySequence_*, PyMapping_*),
 * PyObject_Format/Bytes/Dir/AsFileDescriptor, the legacy buffer functions, and the small
 * helpers of ceval.h/objimpl.h (recursion guards, Py_ReprEnter, PyEval_Get*, PyGC_*).
 */
#include "ext_test.h"

/* PyCFunction_Call and the legacy buffer functions are deprecated, and tested here. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#if defined(Py_LIMITED_API)
#define LIMITED_AT_LEAST(v) (Py_LIMITED_API+0 >= (v))
#else
#define LIMITED_AT_LEAST(v) 1
#endif

/* A str as UTF-8 bytes compared with `expect`. */
static int str_is(PyObject *s, const char *expect) {
    PyObject *b;
    int ok;
    if (!s || !PyUnicode_Check(s)) return 0;
    b = PyUnicode_AsUTF8String(s);
    if (!b) return 0;
    ok = strcmp(PyBytes_AsString(b), expect) == 0;
    Py_DECREF(b);
    return ok;
}

static PyObject *int_list(int n) {
    PyObject *l = PyList_New(n);
    int i;
    if (!l) return NULL;
    for (i = 0; i < n; i++) PyList_SetItem(l, i, PyLong_FromLong(i));
    return l;
}

static PyObject *test_concat_repeat(PyObject *m, PyObject *unused) {
    PyObject *a = int_list(2), *b = int_list(3), *t = PyTuple_New(0), *five = PyLong_FromLong(5), *r, *r2;
    if (!a || !b || !t || !five) return NULL;
    r = PySequence_Concat(a, b);
    CHECK(r && PyList_Check(r) && PyList_Size(r) == 5 && r != a);
    Py_DECREF(r);
    CHECK(PySequence_Concat(a, t) == NULL);
    CHECK_RAISED(PyExc_TypeError, "can only concatenate list (not \"tuple\") to list");
    CHECK(PySequence_Concat(five, five) == NULL);
    CHECK_RAISED(PyExc_TypeError, "'int' object can't be concatenated");
    r = PySequence_Repeat(b, 3);
    CHECK(r && PyList_Size(r) == 9);
    Py_DECREF(r);
    r = PySequence_Repeat(t, 4);
    CHECK(r && PyTuple_Check(r) && PyTuple_Size(r) == 0);
    Py_DECREF(r);
    CHECK(PySequence_Repeat(five, 2) == NULL);
    CHECK_RAISED(PyExc_TypeError, "'int' object can't be repeated");
    /* In place: a list grows itself and is returned. */
    r = PySequence_InPlaceConcat(a, b);
    CHECK(r == a && PyList_Size(a) == 5);
    Py_DECREF(r);
    r = PySequence_InPlaceRepeat(a, 2);
    CHECK(r == a && PyList_Size(a) == 10);
    Py_DECREF(r);
    /* A tuple has no in-place form: a new tuple. */
    r = PySequence_InPlaceRepeat(t, 2);
    CHECK(r && PyTuple_Check(r));
    r2 = PySequence_InPlaceConcat(r, t);
    CHECK(r2 && PyTuple_Check(r2));
    Py_DECREF(r);
    Py_DECREF(r2);
    CHECK(PySequence_InPlaceConcat(five, t) == NULL);
    CHECK_RAISED(PyExc_TypeError, "'int' object can't be concatenated");
    CHECK(PySequence_InPlaceRepeat(five, 2) == NULL);
    CHECK_RAISED(PyExc_TypeError, "'int' object can't be repeated");
    Py_DECREF(a); Py_DECREF(b); Py_DECREF(t); Py_DECREF(five);
    Py_RETURN_NONE;
}

static PyObject *test_items_and_slices(PyObject *m, PyObject *unused) {
    PyObject *l = int_list(5), *t = PyTuple_New(1), *d = PyDict_New(), *x = PyLong_FromLong(42), *s;
    if (!l || !t || !d || !x) return NULL;
    PyTuple_SetItem(t, 0, PyLong_FromLong(0));
    CHECK(PySequence_SetItem(l, -1, x) == 0);
    CHECK(PyList_GetItem(l, 4) == x);
    CHECK(PySequence_DelItem(l, 0) == 0);
    CHECK(PyList_Size(l) == 4);
    s = PySequence_GetSlice(l, 1, 3);
    CHECK(s && PyList_Check(s) && PyList_Size(s) == 2);
    CHECK(PySequence_SetSlice(l, 0, 2, s) == 0 && PyList_Size(l) == 4);
    Py_DECREF(s);
    CHECK(PySequence_DelSlice(l, 0, 100) == 0 && PyList_Size(l) == 0);
    s = PySequence_GetSlice(t, -100, 100);
    CHECK(s == t || (s && PyTuple_Size(s) == 1));
    Py_XDECREF(s);
    CHECK(PySequence_SetItem(t, 0, x) == -1);
    CHECK_RAISED(PyExc_TypeError, "'tuple' object does not support item assignment");
    CHECK(PySequence_SetItem(d, 0, x) == -1);
    CHECK_RAISED(PyExc_TypeError, "dict is not a sequence");
    CHECK(PySequence_DelItem(t, 0) == -1);
    CHECK_RAISED(PyExc_TypeError, "'tuple' object doesn't support item deletion");
    CHECK(PySequence_GetSlice(x, 0, 1) == NULL);
    CHECK_RAISED(PyExc_TypeError, "'int' object is unsliceable");
    CHECK(PySequence_SetSlice(t, 0, 1, l) == -1);
    CHECK_RAISED(PyExc_TypeError, "'tuple' object doesn't support slice assignment");
    CHECK(PySequence_DelSlice(t, 0, 1) == -1);
    CHECK_RAISED(PyExc_TypeError, "'tuple' object doesn't support slice deletion");
    CHECK(PySequence_SetItem(l, 7, x) == -1);
    CHECK_RAISED(PyExc_IndexError, "list assignment index out of range");
    Py_DECREF(l); Py_DECREF(t); Py_DECREF(d); Py_DECREF(x);
    Py_RETURN_NONE;
}

static PyObject *test_search(PyObject *m, PyObject *unused) {
    PyObject *l = PyList_New(0), *one = PyLong_FromLong(1), *two = PyLong_FromLong(2), *nine = PyLong_FromLong(9);
    if (!l || !one || !two || !nine) return NULL;
    PyList_Append(l, one); PyList_Append(l, two); PyList_Append(l, one);
    CHECK(PySequence_Count(l, one) == 2);
    CHECK(PySequence_Count(l, nine) == 0);
    CHECK(PySequence_Index(l, two) == 1);
    CHECK(PySequence_Index(l, nine) == -1);
    CHECK_RAISED(PyExc_ValueError, "sequence.index(x): x not in sequence");
    CHECK(PySequence_In(l, two) == 1);
    CHECK(PySequence_In(l, nine) == 0);
    CHECK(PySequence_Count(nine, one) == -1);
    CHECK_RAISED(PyExc_TypeError, "argument of type 'int' is not iterable");
    Py_DECREF(l); Py_DECREF(one); Py_DECREF(two); Py_DECREF(nine);
    Py_RETURN_NONE;
}

static PyObject *test_fast(PyObject *m, PyObject *unused) {
    PyObject *l = int_list(3), *t = PyTuple_New(0), *d = PyDict_New(), *five = PyLong_FromLong(5), *f;
    if (!l || !t || !d || !five) return NULL;
    f = PySequence_Fast(l, "x");
    CHECK(f == l);
    Py_DECREF(f);
    f = PySequence_Fast(t, "x");
    CHECK(f == t);
    Py_DECREF(f);
    PyDict_SetItemString(d, "k", five);
    f = PySequence_Fast(d, "x");
    CHECK(f && PyList_Check(f) && PyList_Size(f) == 1);
    Py_DECREF(f);
    CHECK(PySequence_Fast(five, "expected a sequence here") == NULL);
    CHECK_RAISED(PyExc_TypeError, "expected a sequence here");
    Py_DECREF(l); Py_DECREF(t); Py_DECREF(d); Py_DECREF(five);
    Py_RETURN_NONE;
}

static PyObject *test_mapping(PyObject *m, PyObject *unused) {
    PyObject *d = PyDict_New(), *k = PyUnicode_FromString("k"), *v = PyLong_FromLong(7), *r, *missing = PyUnicode_FromString("nope");
    if (!d || !k || !v || !missing) return NULL;
    PyDict_SetItem(d, k, v);
    r = PyMapping_Keys(d);
    CHECK(r && PyList_Check(r) && PyList_Size(r) == 1 && PyList_GetItem(r, 0) == k);
    Py_DECREF(r);
    r = PyMapping_Values(d);
    CHECK(r && PyList_Check(r) && PyList_GetItem(r, 0) == v);
    Py_DECREF(r);
    r = PyMapping_Items(d);
    CHECK(r && PyList_Check(r) && PyTuple_Check(PyList_GetItem(r, 0)));
    Py_DECREF(r);
    CHECK(PyMapping_HasKey(d, k) == 1);
    CHECK(PyMapping_HasKey(d, missing) == 0 && !PyErr_Occurred());
    CHECK(PyMapping_HasKeyString(d, "k") == 1);
    CHECK(PyMapping_HasKeyString(d, "x") == 0 && !PyErr_Occurred());
    CHECK(PyMapping_Keys(v) == NULL);
    CHECK_RAISED(PyExc_AttributeError, NULL);
#if LIMITED_AT_LEAST(0x030D0000)
    r = (PyObject *)1;
    CHECK(PyMapping_GetOptionalItem(d, k, &r) == 1 && r == v);
    Py_DECREF(r);
    CHECK(PyMapping_GetOptionalItem(d, missing, &r) == 0 && r == NULL && !PyErr_Occurred());
    CHECK(PyMapping_GetOptionalItemString(d, "k", &r) == 1 && r == v);
    Py_DECREF(r);
    CHECK(PyMapping_GetOptionalItemString(d, "x", &r) == 0 && r == NULL);
    CHECK(PyMapping_HasKeyWithError(d, k) == 1);
    CHECK(PyMapping_HasKeyWithError(d, missing) == 0 && !PyErr_Occurred());
    CHECK(PyMapping_HasKeyStringWithError(d, "k") == 1);
    CHECK(PyMapping_HasKeyStringWithError(d, "x") == 0);
    r = PyList_New(0);
    CHECK(PyMapping_HasKeyWithError(d, r) == -1);
    CHECK_RAISED(PyExc_TypeError, NULL);
    Py_DECREF(r);
    CHECK(PyMapping_GetOptionalItem(v, k, &r) == -1);
    CHECK_RAISED(PyExc_TypeError, "'int' object is not subscriptable");
#endif
    Py_DECREF(d); Py_DECREF(k); Py_DECREF(v); Py_DECREF(missing);
    Py_RETURN_NONE;
}

/* For check_abstract.py: PyMapping_Keys/Values/Items of a Python-level mapping. */
static PyObject *mapping_lists(PyObject *m, PyObject *o) {
    PyObject *k = PyMapping_Keys(o), *v, *i;
    if (!k) return NULL;
    v = PyMapping_Values(o);
    if (!v) { Py_DECREF(k); return NULL; }
    i = PyMapping_Items(o);
    if (!i) { Py_DECREF(k); Py_DECREF(v); return NULL; }
    return Py_BuildValue("(NNN)", k, v, i);
}

static PyObject *concat(PyObject *m, PyObject *args) {
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) return NULL;
    return PySequence_Concat(a, b);
}

static PyObject *repeat(PyObject *m, PyObject *args) {
    PyObject *a;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "On", &a, &n)) return NULL;
    return PySequence_Repeat(a, n);
}

static PyObject *format(PyObject *m, PyObject *args) {
    PyObject *a, *spec = NULL;
    if (!PyArg_ParseTuple(args, "O|O", &a, &spec)) return NULL;
    return PyObject_Format(a, spec);
}

static PyObject *to_bytes(PyObject *m, PyObject *o) { return PyObject_Bytes(o); }

static PyObject *fd_of(PyObject *m, PyObject *o) {
    int fd = PyObject_AsFileDescriptor(o);
    if (fd == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromLong(fd);
}

static PyObject *dir_of_caller(PyObject *m, PyObject *unused) { return PyObject_Dir(NULL); }

static PyObject *test_object_protocol(PyObject *m, PyObject *unused) {
    PyObject *f = PyFloat_FromDouble(2.25), *spec = PyUnicode_FromString(".1f"), *r, *l = int_list(3), *five = PyLong_FromLong(5);
    if (!f || !spec || !l || !five) return NULL;
    r = PyObject_Format(f, spec);
    CHECK(str_is(r, "2.2"));
    Py_DECREF(r);
    r = PyObject_Format(f, NULL);
    CHECK(str_is(r, "2.25"));
    Py_DECREF(r);
    CHECK(PyObject_Format(f, five) == NULL);
    CHECK_RAISED(PyExc_SystemError, "Format specifier must be a string, not int");
    r = PyObject_Bytes(l);
    CHECK(r && PyBytes_Check(r) && PyBytes_Size(r) == 3 && PyBytes_AsString(r)[2] == 2);
    Py_DECREF(r);
    r = PyObject_Bytes(NULL);
    CHECK(r && strcmp(PyBytes_AsString(r), "<NULL>") == 0);
    Py_DECREF(r);
    CHECK(PyObject_Bytes(five) == NULL);
    CHECK_RAISED(PyExc_TypeError, "cannot convert 'int' object to bytes");
    r = PyObject_Dir(l);
    {
        PyObject *name = PyUnicode_FromString("append");
        CHECK(r && PyList_Check(r) && PySequence_Contains(r, name) == 1);
        Py_DECREF(name);
    }
    Py_DECREF(r);
    CHECK(PyObject_AsFileDescriptor(five) == 5);
    Py_DECREF(five);
    five = PyLong_FromLong(-3);
    CHECK(PyObject_AsFileDescriptor(five) == -1);
    CHECK_RAISED(PyExc_ValueError, "file descriptor cannot be a negative integer (-3)");
    CHECK(PyObject_AsFileDescriptor(spec) == -1);
    CHECK_RAISED(PyExc_TypeError, "argument must be an int, or have a fileno() method.");
#if LIMITED_AT_LEAST(0x030A0000)
    r = Py_NewRef(l);
    CHECK(r == l);
    Py_DECREF(r);
    CHECK(Py_XNewRef(NULL) == NULL);
    CHECK(PyAIter_Check(l) == 0);
#endif
    Py_DECREF(f); Py_DECREF(spec); Py_DECREF(l); Py_DECREF(five);
    Py_RETURN_NONE;
}

#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 < 0x030A0000
static PyObject *test_legacy_buffers(PyObject *m, PyObject *unused) {
    PyObject *b = PyBytes_FromStringAndSize("abc", 3), *five = PyLong_FromLong(5);
    const void *p;
    const char *c;
    void *w;
    Py_ssize_t n = 0;
    if (!b || !five) return NULL;
    CHECK(PyObject_CheckReadBuffer(b) == 1);
    CHECK(PyObject_CheckReadBuffer(five) == 0 && !PyErr_Occurred());
    CHECK(PyObject_AsReadBuffer(b, &p, &n) == 0 && n == 3 && memcmp(p, "abc", 3) == 0);
    CHECK(PyObject_AsCharBuffer(b, &c, &n) == 0 && n == 3 && c[1] == 'b');
    CHECK(PyObject_AsCharBuffer(five, &c, &n) == -1);
    CHECK_RAISED(PyExc_TypeError, "a bytes-like object is required, not 'int'");
    CHECK(PyObject_AsWriteBuffer(b, &w, &n) == -1);
    CHECK_RAISED(PyExc_TypeError, "expected a writable bytes-like object");
    Py_DECREF(b); Py_DECREF(five);
    Py_RETURN_NONE;
}
#endif

static PyObject *test_recursion_and_repr_guards(PyObject *m, PyObject *unused) {
    PyObject *l = PyList_New(0);
    int limit = Py_GetRecursionLimit();
    if (!l) return NULL;
    CHECK(limit > 10);
#if LIMITED_AT_LEAST(0x03090000)
    CHECK(Py_EnterRecursiveCall(" in test") == 0);
    CHECK(Py_EnterRecursiveCall(" in test") == 0);
    Py_LeaveRecursiveCall();
    Py_LeaveRecursiveCall();
#endif
    CHECK(Py_ReprEnter(l) == 0);
    CHECK(Py_ReprEnter(l) == 1);
    Py_ReprLeave(l);
    CHECK(Py_ReprEnter(l) == 0);
    Py_ReprLeave(l);
    Py_SetRecursionLimit(limit + 5);
    CHECK(Py_GetRecursionLimit() == limit + 5);
    Py_SetRecursionLimit(limit);
    Py_DECREF(l);
    Py_RETURN_NONE;
}

static PyObject *test_eval_getters(PyObject *m, PyObject *unused) {
    PyObject *b = PyEval_GetBuiltins(), *g = PyEval_GetGlobals(), *len, *args, *r;
    (void)args;
    CHECK(b && PyDict_Check(b) && PyDict_GetItemString(b, "len") != NULL);
    /* Called from run_area.py's run_round: its module globals. */
    CHECK(g && PyDict_Check(g) && PyDict_GetItemString(g, "ROUNDS") != NULL);
    len = PyDict_GetItemString(b, "len");
    CHECK(strcmp(PyEval_GetFuncName(len), "len") == 0);
    CHECK(strcmp(PyEval_GetFuncDesc(len), "()") == 0);
    CHECK(strcmp(PyEval_GetFuncName(b), "dict") == 0);
    CHECK(strcmp(PyEval_GetFuncDesc(b), " object") == 0);
    CHECK(strcmp(PyEval_GetFuncName(PyDict_GetItemString(g, "run_round")), "run_round") == 0);
#if LIMITED_AT_LEAST(0x03080000)
    CHECK(strcmp(PyExceptionClass_Name(PyExc_ValueError), "ValueError") == 0);
#endif
#if !LIMITED_AT_LEAST(0x030D0000)
    args = Py_BuildValue("(O)", b);
    r = PyCFunction_Call(len, args, NULL);
    CHECK(r && PyLong_Check(r) && PyLong_AsLong(r) == PyDict_Size(b));
    Py_DECREF(r);
    Py_DECREF(args);
#endif
    {
        PyObject *l = PyEval_GetLocals();
        CHECK(l && PyDict_Check(l) && PyDict_GetItemString(l, "tests") != NULL);
        CHECK(PyEval_GetFrame() != NULL);
    }
#if LIMITED_AT_LEAST(0x030A0000)
    {
        /* The caller's frame: run_area.py's run_round. */
        PyFrameObject *f = PyEval_GetFrame();
        PyCodeObject *code = f ? PyFrame_GetCode(f) : NULL;
        PyObject *name = code ? PyObject_GetAttrString((PyObject *)code, "co_name") : NULL;
        CHECK(str_is(name, "run_round"));
        CHECK(PyFrame_GetLineNumber(f) > 1);
        Py_XDECREF(name);
        Py_XDECREF((PyObject *)code);
    }
#endif
#if LIMITED_AT_LEAST(0x030D0000)
    r = PyEval_GetFrameBuiltins();
    CHECK(r == b);
    Py_DECREF(r);
    r = PyEval_GetFrameGlobals();
    CHECK(r == g);
    Py_DECREF(r);
    r = PyEval_GetFrameLocals();
    CHECK(r && PyDict_Check(r) && PyDict_GetItemString(r, "tests") != NULL);
    Py_DECREF(r);
#endif
    Py_RETURN_NONE;
}

#if LIMITED_AT_LEAST(0x030A0000)
static PyObject *test_gc_flag(PyObject *m, PyObject *unused) {
    int was = PyGC_Disable();
    CHECK(was == 1);
    CHECK(PyGC_IsEnabled() == 0);
    CHECK(PyGC_Disable() == 0);
    CHECK(PyGC_Enable() == 0);
    CHECK(PyGC_IsEnabled() == 1);
    CHECK(PyGC_Collect() >= 0);
    {
        PyObject *l = PyList_New(0);
        CHECK(l && PyObject_GC_IsFinalized(l) == 0);
        Py_DECREF(l);
    }
    Py_RETURN_NONE;
}
#endif

#if LIMITED_AT_LEAST(0x030E0000)
/* The exported functions, not the header's macros of the same names. */
#undef Py_PACK_VERSION
#undef Py_PACK_FULL_VERSION
static PyObject *test_pack_version(PyObject *m, PyObject *unused) {
    CHECK(Py_PACK_VERSION(3, 15) == 0x030F0000);
    CHECK(Py_PACK_FULL_VERSION(3, 15, 2, 0xA, 1) == 0x030F02A1);
    Py_RETURN_NONE;
}
#endif

static PyMethodDef methods[] = {
    {"test_concat_repeat", test_concat_repeat, METH_NOARGS, NULL},
    {"test_items_and_slices", test_items_and_slices, METH_NOARGS, NULL},
    {"test_search", test_search, METH_NOARGS, NULL},
    {"test_fast", test_fast, METH_NOARGS, NULL},
    {"test_mapping", test_mapping, METH_NOARGS, NULL},
    {"test_object_protocol", test_object_protocol, METH_NOARGS, NULL},
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 < 0x030A0000
    {"test_legacy_buffers", test_legacy_buffers, METH_NOARGS, NULL},
#endif
    {"test_recursion_and_repr_guards", test_recursion_and_repr_guards, METH_NOARGS, NULL},
    {"test_eval_getters", test_eval_getters, METH_NOARGS, NULL},
#if LIMITED_AT_LEAST(0x030A0000)
    {"test_gc_flag", test_gc_flag, METH_NOARGS, NULL},
#endif
#if LIMITED_AT_LEAST(0x030E0000)
    {"test_pack_version", test_pack_version, METH_NOARGS, NULL},
#endif
    {"mapping_lists", mapping_lists, METH_O, NULL},
    {"concat", concat, METH_VARARGS, NULL},
    {"repeat", repeat, METH_VARARGS, NULL},
    {"format", format, METH_VARARGS, NULL},
    {"to_bytes", to_bytes, METH_O, NULL},
    {"fd_of", fd_of, METH_O, NULL},
    {"dir_of_caller", dir_of_caller, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_abstract(PyObject *m) { return 0; }

EXT_TEST_MODULE(abstract, methods, exec_abstract)
