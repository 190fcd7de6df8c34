/*
 * objmodel: proves that the runtime's own objects are CPython-layout objects that an
 * extension of any header vintage can hold, incref, decref and create.
 *
 * Built by ext-tests/harness.rs against several CPython header sets and Py_LIMITED_API
 * values (and Py_TARGET_ABI3T); every test_* function returns None or raises. The same
 * binaries run on CPython (the test is right) and on Pyrite (the runtime is right).
 * Only the limited API of the oldest target (3.2) is used unless guarded.
 */
#include <Python.h>
#include <string.h>

#define FAIL(...) do { PyErr_Format(PyExc_AssertionError, __VA_ARGS__); return NULL; } while (0)
#define CHECK(cond) do { if (!(cond)) FAIL("%s:%d: check failed: %s", __FILE__, __LINE__, #cond); } while (0)
#define N_CYCLES 10000
/* Counts at or above 2^30 are immortal (CPython >= 3.12 and Pyrite). */
#define IMMORTAL_THRESHOLD ((Py_ssize_t)1 << 30)

/* Objects the module keeps between calls, as extensions keep caches. */
static PyObject *stored = NULL;

static Py_ssize_t refcnt(PyObject *o) { return Py_REFCNT(o); }

/* A mortal object: thousands of increfs and decrefs leave its count exact. */
static PyObject *test_mortal_refcounts(PyObject *self, PyObject *unused) {
    PyObject *l = PyList_New(0);
    int i;
    if (!l) return NULL;
    CHECK(refcnt(l) == 1);
    for (i = 0; i < N_CYCLES; i++) Py_INCREF(l);
    CHECK(refcnt(l) == 1 + N_CYCLES);
    for (i = 0; i < N_CYCLES; i++) Py_DECREF(l);
    CHECK(refcnt(l) == 1);
    Py_XINCREF(l);
    Py_XDECREF(l);
    Py_DECREF(l); /* freed here */
    Py_RETURN_NONE;
}

/* Immortal singletons survive any number of increfs and decrefs. */
static PyObject *test_singletons(PyObject *self, PyObject *unused) {
    PyObject *singletons[5];
    int i, k;
    singletons[0] = Py_None; singletons[1] = Py_True; singletons[2] = Py_False;
    singletons[3] = Py_Ellipsis; singletons[4] = Py_NotImplemented;
    for (k = 0; k < 5; k++) {
        PyObject *o = singletons[k];
        Py_ssize_t before = refcnt(o);
        for (i = 0; i < N_CYCLES; i++) Py_INCREF(o);
        for (i = 0; i < N_CYCLES; i++) Py_DECREF(o);
        if (before < IMMORTAL_THRESHOLD) {
            CHECK(refcnt(o) == before);
        } else {
            /* 3.12/3.13 headers with Py_LIMITED_API < 3.12 increment the low 32 bits of an
             * immortal count (they only saturate at 0xFFFFFFFF) and never decrement it: on
             * CPython >= 3.14 and on Pyrite the count drifts up and stays immortal. */
            CHECK(refcnt(o) >= before && refcnt(o) >= IMMORTAL_THRESHOLD);
        }
    }
    CHECK(PyBool_FromLong(1) == Py_True);
    CHECK(PyBool_FromLong(0) == Py_False);
    /* Py_RETURN_NONE increfs None inline for L < 3.12 */
    Py_RETURN_NONE;
}

/* Old buggy extensions decref None more often than they incref it. Immortal objects must
 * shrug it off. Only done where the singletons are immortal (counts of 2^30 and more, as
 * CPython >= 3.12 and Pyrite have them): on CPython <= 3.11 the lost references would make
 * None's count reach 0 at interpreter shutdown. */
static PyObject *test_overdecref_immortal(PyObject *self, PyObject *unused) {
    int i;
    if (refcnt(Py_None) < IMMORTAL_THRESHOLD || refcnt(Py_False) < IMMORTAL_THRESHOLD) Py_RETURN_NONE;
    for (i = 0; i < 1000; i++) Py_DECREF(Py_None);
    for (i = 0; i < 1000; i++) Py_DECREF(Py_False);
    CHECK(Py_None != NULL && refcnt(Py_None) > 0);
    Py_RETURN_NONE;
}

static PyObject *test_type_identity(PyObject *self, PyObject *unused) {
    PyObject *objs[9];
    PyTypeObject *types[9];
    int i;
    objs[0] = PyLong_FromLong(123456789); types[0] = &PyLong_Type;
    objs[1] = PyFloat_FromDouble(1.5);    types[1] = &PyFloat_Type;
    objs[2] = PyUnicode_FromString("x");  types[2] = &PyUnicode_Type;
    objs[3] = PyBytes_FromString("x");    types[3] = &PyBytes_Type;
    objs[4] = PyTuple_New(2);             types[4] = &PyTuple_Type;
    objs[5] = PyList_New(0);              types[5] = &PyList_Type;
    objs[6] = PyDict_New();               types[6] = &PyDict_Type;
    objs[7] = PyBool_FromLong(1);         types[7] = &PyBool_Type;
    objs[8] = PyLong_FromLong(7);         types[8] = &PyLong_Type;
    for (i = 0; i < 9; i++) {
        if (!objs[i]) return NULL;
        CHECK(Py_TYPE(objs[i]) == types[i]);
    }
    /* the tuple's items are NULL until set */
    PyTuple_SetItem(objs[4], 0, PyLong_FromLong(1));
    PyTuple_SetItem(objs[4], 1, PyLong_FromLong(2));
    CHECK(PyLong_Check(objs[0]) && PyLong_CheckExact(objs[0]));
    CHECK(PyLong_Check(objs[7]) && !PyLong_CheckExact(objs[7]));
    CHECK(PyFloat_Check(objs[1]) && PyUnicode_Check(objs[2]) && PyBytes_Check(objs[3]));
    CHECK(PyTuple_Check(objs[4]) && PyList_Check(objs[5]) && PyDict_Check(objs[6]));
    CHECK(!PyList_Check(objs[4]) && !PyTuple_Check(objs[5]));
    CHECK(PyType_Check((PyObject *)&PyLong_Type));
    CHECK(PyObject_IsInstance(objs[7], (PyObject *)&PyLong_Type) == 1);
    CHECK(PyObject_IsInstance(objs[0], (PyObject *)&PyBool_Type) == 0);
    for (i = 0; i < 9; i++) Py_DECREF(objs[i]);
    Py_RETURN_NONE;
}

static PyObject *test_small_ints(PyObject *self, PyObject *unused) {
    PyObject *a = PyLong_FromLong(5), *b = PyLong_FromLong(5);
    int i;
    CHECK(a == b); /* the small-int cache is shared */
    for (i = 0; i < N_CYCLES; i++) { Py_INCREF(a); Py_DECREF(b); Py_INCREF(b); Py_DECREF(a); }
    CHECK(PyLong_AsLong(a) == 5);
    Py_DECREF(a); Py_DECREF(b);
    a = PyLong_FromLong(-5); CHECK(PyLong_AsLong(a) == -5); Py_DECREF(a);
    a = PyLong_FromLong(256); CHECK(PyLong_AsLong(a) == 256); Py_DECREF(a);
    Py_RETURN_NONE;
}

/* Containers built by the extension own their items exactly. */
static PyObject *test_containers(PyObject *self, PyObject *unused) {
    PyObject *item = PyUnicode_FromString("an item that is not interned, hopefully");
    PyObject *list, *tuple, *dict, *key, *got;
    Py_ssize_t base;
    int i;
    if (!item) return NULL;
    base = refcnt(item);
    list = PyList_New(0);
    for (i = 0; i < 1000; i++) CHECK(PyList_Append(list, item) == 0);
    CHECK(PyList_Size(list) == 1000);
    CHECK(refcnt(item) == base + 1000);
    CHECK(PyList_GetItem(list, 999) == item);
    tuple = PyList_AsTuple(list);
    CHECK(tuple && PyTuple_Size(tuple) == 1000 && refcnt(item) == base + 2000);
    Py_DECREF(list);
    CHECK(refcnt(item) == base + 1000);
    Py_DECREF(tuple);
    CHECK(refcnt(item) == base);

    dict = PyDict_New();
    for (i = 0; i < 500; i++) {
        key = PyLong_FromLong(i * 7919);
        CHECK(PyDict_SetItem(dict, key, item) == 0);
        Py_DECREF(key);
    }
    CHECK(PyDict_Size(dict) == 500 && refcnt(item) == base + 500);
    key = PyLong_FromLong(7919 * 3);
    got = PyDict_GetItem(dict, key); /* borrowed */
    CHECK(got == item);
    CHECK(PyDict_DelItem(dict, key) == 0);
    Py_DECREF(key);
    CHECK(PyDict_Size(dict) == 499 && refcnt(item) == base + 499);
    CHECK(PyDict_SetItemString(dict, "name", item) == 0);
    CHECK(PyDict_GetItemString(dict, "name") == item);
    Py_DECREF(dict);
    CHECK(refcnt(item) == base);
    Py_DECREF(item);
    Py_RETURN_NONE;
}

/* Keeps objects across calls, like an extension's cache; release_stored() frees them. */
static PyObject *store(PyObject *self, PyObject *arg) {
    if (!stored) { stored = PyList_New(0); if (!stored) return NULL; }
    if (PyList_Append(stored, arg) < 0) return NULL;
    return PyLong_FromSsize_t(PyList_Size(stored));
}

static PyObject *release_stored(PyObject *self, PyObject *unused) {
    Py_CLEAR(stored);
    Py_RETURN_NONE;
}

/* Returns a new container holding objects the runtime made (handed back to the caller). */
static PyObject *make_containers(PyObject *self, PyObject *unused) {
    return Py_BuildValue("([i,s,d],{s:i,s:(ii)},N)", 42, "text", 2.5, "a", 1, "b", 2, 3, PyBytes_FromString("raw"));
}

static PyObject *test_strings(PyObject *self, PyObject *unused) {
    const char *text = "h\xc3\xa9llo \xe2\x82\xac \xf0\x9d\x84\x9e"; /* héllo € 𝄞 */
    PyObject *s = PyUnicode_FromString(text), *b;
    if (!s) return NULL;
    CHECK(PyObject_Length(s) == 9);
    b = PyUnicode_AsUTF8String(s);
    if (!b) return NULL;
    CHECK(PyBytes_Size(b) == (Py_ssize_t)strlen(text));
    CHECK(strcmp(PyBytes_AsString(b), text) == 0);
    Py_DECREF(b);
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x030A0000
    {
        Py_ssize_t n;
        const char *u = PyUnicode_AsUTF8AndSize(s, &n);
        CHECK(u && n == (Py_ssize_t)strlen(text) && memcmp(u, text, n) == 0);
    }
#endif
    CHECK(PyUnicode_CompareWithASCIIString(s, "h") > 0);
    Py_DECREF(s);
    {   /* printf-style formatting through the C API: "%s=%03d" % ("k", 7) */
        PyObject *fmt = PyUnicode_FromString("%s=%03d"), *args = Py_BuildValue("(si)", "k", 7), *r;
        if (!fmt || !args) return NULL;
        r = PyUnicode_Format(fmt, args);
        Py_DECREF(args);
        if (!r) { Py_DECREF(fmt); return NULL; }
        CHECK(PyUnicode_CompareWithASCIIString(r, "k=007") == 0);
        Py_DECREF(r);
        r = PyUnicode_Format(fmt, fmt);  /* one str for two conversions */
        Py_DECREF(fmt);
        CHECK(r == NULL && PyErr_ExceptionMatches(PyExc_TypeError));
        PyErr_Clear();
    }
    Py_RETURN_NONE;
}

static PyObject *test_errors(PyObject *self, PyObject *unused) {
    PyObject *t, *v, *tb;
    CHECK(PyErr_Occurred() == NULL);
    PyErr_SetString(PyExc_KeyError, "missing");
    CHECK(PyErr_Occurred() == PyExc_KeyError);
    CHECK(PyErr_ExceptionMatches(PyExc_LookupError));
    CHECK(PyErr_ExceptionMatches(PyExc_Exception));
    CHECK(!PyErr_ExceptionMatches(PyExc_ValueError));
    PyErr_Fetch(&t, &v, &tb);
    CHECK(PyErr_Occurred() == NULL);
    CHECK(t == PyExc_KeyError);
    CHECK(PyErr_GivenExceptionMatches(t, PyExc_LookupError));
    PyErr_Restore(t, v, tb);
    CHECK(PyErr_Occurred() != NULL);
    PyErr_Clear();
    CHECK(PyLong_AsLong(Py_None) == -1 && PyErr_ExceptionMatches(PyExc_TypeError));
    PyErr_Clear();
    PyErr_SetObject(PyExc_ValueError, Py_None);
    PyErr_Clear();
    Py_RETURN_NONE;
}

static PyObject *test_numbers(PyObject *self, PyObject *unused) {
    PyObject *o = PyLong_FromLongLong(-9000000000000000000LL);
    CHECK(PyLong_AsLongLong(o) == -9000000000000000000LL);
    Py_DECREF(o);
    o = PyLong_FromUnsignedLongLong(18000000000000000000ULL);
    CHECK(PyLong_AsUnsignedLongLong(o) == 18000000000000000000ULL);
    CHECK(PyLong_AsLong(o) == -1 && PyErr_ExceptionMatches(PyExc_OverflowError));
    PyErr_Clear();
    Py_DECREF(o);
    o = PyFloat_FromDouble(-0.25);
    CHECK(PyFloat_AsDouble(o) == -0.25);
    Py_DECREF(o);
    Py_RETURN_NONE;
}

/* Calls a callable with the arguments given, the way extensions call back into Python. */
static PyObject *call_with(PyObject *self, PyObject *args) {
    PyObject *f, *rest;
    if (PyTuple_Size(args) < 1) { PyErr_SetString(PyExc_TypeError, "need a callable"); return NULL; }
    f = PyTuple_GetItem(args, 0);
    rest = PyTuple_GetSlice(args, 1, PyTuple_Size(args));
    if (!rest) return NULL;
    {
        PyObject *r = PyObject_Call(f, rest, NULL);
        Py_DECREF(rest);
        return r;
    }
}

static PyObject *return_null_without_error(PyObject *self, PyObject *unused) {
    return NULL;
}

static PyObject *add_ints(PyObject *self, PyObject *args) {
    long a, b;
    if (!PyArg_ParseTuple(args, "ll:add_ints", &a, &b)) return NULL;
    return PyLong_FromLong(a + b);
}

static PyMethodDef methods[] = {
    {"test_mortal_refcounts", test_mortal_refcounts, METH_NOARGS, NULL},
    {"test_singletons", test_singletons, METH_NOARGS, NULL},
    {"test_overdecref_immortal", test_overdecref_immortal, METH_NOARGS, NULL},
    {"test_type_identity", test_type_identity, METH_NOARGS, NULL},
    {"test_small_ints", test_small_ints, METH_NOARGS, NULL},
    {"test_containers", test_containers, METH_NOARGS, NULL},
    {"test_strings", test_strings, METH_NOARGS, NULL},
    {"test_errors", test_errors, METH_NOARGS, NULL},
    {"test_numbers", test_numbers, METH_NOARGS, NULL},
    {"store", store, METH_O, NULL},
    {"release_stored", release_stored, METH_NOARGS, NULL},
    {"make_containers", make_containers, METH_NOARGS, NULL},
    {"call_with", call_with, METH_VARARGS, NULL},
    {"return_null_without_error", return_null_without_error, METH_NOARGS, NULL},
    {"add_ints", add_ints, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static int limited_api_value(void) {
#ifdef Py_LIMITED_API
    return Py_LIMITED_API;
#else
    return 0;
#endif
}

#if defined(Py_TARGET_ABI3T) || (defined(Py_LIMITED_API) && Py_LIMITED_API+0 >= 0x030F0000)
/* 3.15 (PEP 793): the module is described by a PySlot array returned by PyModExport_*.
 * abi3t builds cannot use PyModuleDef at all. */
static int module_exec(PyObject *m) {
    return PyModule_AddIntConstant(m, "LIMITED_API", limited_api_value());
}

PyABIInfo_VAR(abi_info);

static PySlot module_slots[] = {
    PySlot_STATIC_DATA(Py_mod_abi, &abi_info),
    PySlot_STATIC_DATA(Py_mod_name, "objmodel"),
    PySlot_STATIC_DATA(Py_mod_doc, "Object-model conformance tests."),
    PySlot_FUNC(Py_mod_exec, module_exec),
    PySlot_STATIC_DATA(Py_mod_methods, methods),
    PySlot_END,
};

PyMODEXPORT_FUNC PyModExport_objmodel(void) { return module_slots; }
#else
static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "objmodel", "Object-model conformance tests.", -1, methods,
    NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC PyInit_objmodel(void) {
    PyObject *m = PyModule_Create(&moduledef);
    if (!m) return NULL;
    if (PyModule_AddIntConstant(m, "LIMITED_API", limited_api_value()) < 0) { Py_DECREF(m); return NULL; }
    return m;
}
#endif
