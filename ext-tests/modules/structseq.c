/*
 * structseq: struct sequence types made with PyStructSequence_NewType (visible and hidden
 * fields), instances filled with PyStructSequence_New/SetItem/GetItem, and the two the runtime
 * defines (PyFloat_GetInfo, PyLong_GetInfo).
 */
#include "ext_test.h"
#include <float.h>

static PyStructSequence_Field point_fields[] = {
    {"x", "the first coordinate"},
    {"y", "the second coordinate"},
    {"z", "a hidden third one"},
    {NULL, NULL},
};

static PyStructSequence_Desc point_desc = {"structseq.Point", "A point.", point_fields, 2};

static PyObject *point_type;

static int str_is(PyObject *s, const char *expect) {
    PyObject *b = s ? PyUnicode_AsUTF8String(s) : NULL;
    int ok = b && strcmp(PyBytes_AsString(b), expect) == 0;
    if (!ok && b) fprintf(stderr, "got %s\n", PyBytes_AsString(b));
    Py_XDECREF(b);
    return ok;
}

static PyObject *test_new_and_items(PyObject *m, PyObject *unused) {
    PyObject *p = PyStructSequence_New((PyTypeObject *)point_type), *x = PyLong_FromLong(1), *z = PyLong_FromLong(3), *v;
    if (!p || !x || !z) return NULL;
    CHECK(PyTuple_Check(p) && PyTuple_Size(p) == 2);
    Py_INCREF(x);
    PyStructSequence_SetItem(p, 0, x);
    PyStructSequence_SetItem(p, 1, PyLong_FromLong(2));
    Py_INCREF(z);
    PyStructSequence_SetItem(p, 2, z);
    CHECK(PyStructSequence_GetItem(p, 0) == x && PyStructSequence_GetItem(p, 2) == z);
    CHECK(PyTuple_GetItem(p, 0) == x);
    v = PyObject_GetAttrString(p, "z");
    CHECK(v == z);
    Py_DECREF(v);
    v = PyObject_Repr(p);
    CHECK(str_is(v, "structseq.Point(x=1, y=2)"));
    Py_DECREF(v);
    /* Fields are read-only. */
    CHECK(PyObject_SetAttrString(p, "x", z) == -1);
    CHECK_RAISED(PyExc_AttributeError, NULL);
    Py_DECREF(p); Py_DECREF(x); Py_DECREF(z);
    Py_RETURN_NONE;
}

static PyObject *test_runtime_infos(PyObject *m, PyObject *unused) {
    PyObject *fi = PyFloat_GetInfo(), *li = PyLong_GetInfo(), *v;
    CHECK(fi && PyTuple_Check(fi) && PyTuple_Size(fi) == 11);
    v = PyObject_GetAttrString(fi, "mant_dig");
    CHECK(v && PyLong_AsLong(v) == DBL_MANT_DIG);
    Py_DECREF(v);
    v = PyObject_GetAttrString(fi, "epsilon");
    CHECK(v && PyFloat_AsDouble(v) == DBL_EPSILON);
    Py_DECREF(v);
    CHECK(PyFloat_AsDouble(PyTuple_GetItem(fi, 0)) == DBL_MAX);
    CHECK(li && PyTuple_Check(li) && PyTuple_Size(li) == 4);
    v = PyObject_GetAttrString(li, "bits_per_digit");
    CHECK(v && PyLong_AsLong(v) == 30);
    Py_DECREF(v);
    v = PyObject_GetAttrString(li, "sizeof_digit");
    CHECK(v && PyLong_AsLong(v) == 4);
    Py_DECREF(v);
    v = PyObject_Repr(li);
    CHECK(v && PyUnicode_Check(v));
    Py_DECREF(v);
    Py_DECREF(fi); Py_DECREF(li);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"test_new_and_items", test_new_and_items, METH_NOARGS, NULL},
    {"test_runtime_infos", test_runtime_infos, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_structseq(PyObject *m) {
    point_type = (PyObject *)PyStructSequence_NewType(&point_desc);
    if (!point_type) return -1;
    Py_INCREF(point_type);
    return PyModule_AddObject(m, "Point", point_type);
}

EXT_TEST_MODULE(structseq, methods, exec_structseq)
