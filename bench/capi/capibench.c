/*
 * capibench: C API workloads for bench/programs/capi_*.py, built by bench/run.py for the
 * Stable ABI (3.11 headers, Py_LIMITED_API=3.11) so the same binary runs on CPython 3.11,
 * CPython 3.15 and Pyrite. Each function either is the callee of a Python loop (the calling
 * conventions) or runs its own loop of one API call and returns a checksum.
 */
#define Py_LIMITED_API 0x030B0000
#include <Python.h>

static PyObject *noargs(PyObject *m, PyObject *unused) { Py_RETURN_NONE; }
static PyObject *one(PyObject *m, PyObject *o) { return Py_NewRef(o); }
static PyObject *fast(PyObject *m, PyObject *const *args, Py_ssize_t n) {
    return n ? Py_NewRef(args[0]) : Py_NewRef(Py_None);
}
static PyObject *varkw(PyObject *m, PyObject *args, PyObject *kw) {
    Py_ssize_t n = PyTuple_Size(args) + (kw ? PyDict_Size(kw) : 0);
    return PyLong_FromSsize_t(n);
}

static long arg_n(PyObject *args, PyObject **first) {
    long n;
    if (!PyArg_ParseTuple(args, "Ol", first, &n)) return -1;
    return n;
}

/* call_python(f, n): calls f() n times. */
static PyObject *call_python(PyObject *m, PyObject *args) {
    PyObject *f;
    long n = arg_n(args, &f), i;
    if (n < 0) return NULL;
    for (i = 0; i < n; i++) {
        PyObject *r = PyObject_CallNoArgs(f);
        if (!r) return NULL;
        Py_DECREF(r);
    }
    Py_RETURN_NONE;
}

/* long_roundtrip(start, n): sum of PyLong_AsLong(PyLong_FromLong(start + i)). */
static PyObject *long_roundtrip(PyObject *m, PyObject *args) {
    long start, n, i, sum = 0;
    if (!PyArg_ParseTuple(args, "ll", &start, &n)) return NULL;
    for (i = 0; i < n; i++) {
        PyObject *v = PyLong_FromLong(start + i);
        if (!v) return NULL;
        sum += PyLong_AsLong(v) & 0xff;
        Py_DECREF(v);
    }
    return PyLong_FromLong(sum);
}

/* getattr_loop(obj, n): PyObject_GetAttr(obj, "value") n times. */
static PyObject *getattr_loop(PyObject *m, PyObject *args) {
    PyObject *o, *name = PyUnicode_InternFromString("value");
    long n = arg_n(args, &o), i, hits = 0;
    if (n < 0 || !name) return NULL;
    for (i = 0; i < n; i++) {
        PyObject *v = PyObject_GetAttr(o, name);
        if (!v) { Py_DECREF(name); return NULL; }
        hits += v != Py_None;
        Py_DECREF(v);
    }
    Py_DECREF(name);
    return PyLong_FromLong(hits);
}

/* tuple_build(n): n tuples of three small ints made with PyTuple_New + PyTuple_SetItem. */
static PyObject *tuple_build(PyObject *m, PyObject *args) {
    long n, i, total = 0;
    if (!PyArg_ParseTuple(args, "l", &n)) return NULL;
    for (i = 0; i < n; i++) {
        PyObject *t = PyTuple_New(3);
        if (!t) return NULL;
        PyTuple_SetItem(t, 0, PyLong_FromLong(1));
        PyTuple_SetItem(t, 1, PyLong_FromLong(2));
        PyTuple_SetItem(t, 2, PyLong_FromLong(3));
        total += PyTuple_Size(t);
        Py_DECREF(t);
    }
    return PyLong_FromLong(total);
}

/* dict_loop(keys, n): for n rounds, PyDict_SetItem then PyDict_GetItem each key. */
static PyObject *dict_loop(PyObject *m, PyObject *args) {
    PyObject *keys, *d = PyDict_New();
    long n = arg_n(args, &keys), i, found = 0;
    Py_ssize_t k, nk;
    if (n < 0 || !d) return NULL;
    nk = PyList_Size(keys);
    for (i = 0; i < n; i++) {
        for (k = 0; k < nk; k++) {
            PyObject *key = PyList_GetItem(keys, k);
            if (PyDict_SetItem(d, key, key) < 0) { Py_DECREF(d); return NULL; }
            found += PyDict_GetItem(d, key) != NULL;
        }
    }
    Py_DECREF(d);
    return PyLong_FromLong(found);
}

static PyMethodDef methods[] = {
    {"noargs", noargs, METH_NOARGS, NULL},
    {"one", one, METH_O, NULL},
    {"fast", (PyCFunction)(void (*)(void))fast, METH_FASTCALL, NULL},
    {"varkw", (PyCFunction)(void (*)(void))varkw, METH_VARARGS | METH_KEYWORDS, NULL},
    {"call_python", call_python, METH_VARARGS, NULL},
    {"long_roundtrip", long_roundtrip, METH_VARARGS, NULL},
    {"getattr_loop", getattr_loop, METH_VARARGS, NULL},
    {"tuple_build", tuple_build, METH_VARARGS, NULL},
    {"dict_loop", dict_loop, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "capibench", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit_capibench(void) { return PyModule_Create(&def); }
