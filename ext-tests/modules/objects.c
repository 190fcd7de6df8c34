/*
 * objects: the object protocol of object.h/abstract.h on plain objects (attributes, items,
 * comparison, hashing, truth, calls and vectorcalls by name), the memory allocators, and the
 * bytes, bytearray, complex and bool functions.
 */
#include "ext_test.h"

#define API_AT_LEAST(v) (!defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= (v))

static PyObject *test_attributes_and_items(PyObject *m, PyObject *unused) {
    PyObject *ns = PyDict_New(), *name = PyUnicode_FromString("value"), *one = PyLong_FromLong(1), *mod, *v;
    mod = PyImport_ImportModule("sys");
    CHECK(mod != NULL);
    CHECK(PyObject_HasAttrString(mod, "path") == 1 && PyObject_HasAttr(mod, name) == 0);
    CHECK(PyObject_SetAttr(m, name, one) == 0 && PyObject_GetAttr(m, name) == one);
    Py_DECREF(one);  /* the reference GetAttr returned */
    CHECK(PyObject_DelAttr(m, name) == 0 && PyObject_HasAttr(m, name) == 0);
    CHECK(PyObject_DelAttrString(m, "value") == -1);
    CHECK_RAISED(PyExc_AttributeError, NULL);
    CHECK(PyObject_GetAttr(m, name) == NULL);
    CHECK_RAISED(PyExc_AttributeError, "module 'objects' has no attribute 'value'");
#if API_AT_LEAST(0x030D0000)
    CHECK(PyObject_GetOptionalAttr(m, name, &v) == 0 && v == NULL && !PyErr_Occurred());
    CHECK(PyObject_GetOptionalAttrString(mod, "path", &v) == 1 && v != NULL);
    Py_XDECREF(v);
    CHECK(PyObject_HasAttrWithError(m, name) == 0 && PyObject_HasAttrStringWithError(mod, "path") == 1);
#endif
    CHECK(PyObject_SetItem(ns, name, one) == 0 && PyObject_GetItem(ns, name) == one);
    Py_DECREF(one);
    CHECK(PyObject_Length(ns) == 1 && PyObject_Size(ns) == 1);
    CHECK(PyObject_DelItem(ns, name) == 0 && PyObject_Length(ns) == 0);
    CHECK(PyObject_DelItemString(ns, "value") == -1);
    CHECK_RAISED(PyExc_KeyError, "'value'");
    CHECK(PyObject_Length(one) == -1);
    CHECK_RAISED(PyExc_TypeError, "object of type 'int' has no len()");
    v = PyObject_Type(one);
    CHECK(v == (PyObject *)&PyLong_Type);
    Py_XDECREF(v);
    Py_DECREF(mod);
    Py_DECREF(ns);
    Py_DECREF(name);
    Py_DECREF(one);
    Py_RETURN_NONE;
}

static PyObject *test_compare_hash_truth(PyObject *m, PyObject *unused) {
    PyObject *a = PyLong_FromLong(2), *b = PyFloat_FromDouble(2.0), *l = PyList_New(0), *r, *s;
    CHECK(PyObject_RichCompareBool(a, b, Py_EQ) == 1 && PyObject_RichCompareBool(a, b, Py_LT) == 0);
    r = PyObject_RichCompare(a, b, Py_GE);
    CHECK(r == Py_True);
    Py_XDECREF(r);
    CHECK(PyObject_RichCompare(a, l, Py_LT) == NULL);
    CHECK_RAISED(PyExc_TypeError, "'<' not supported between instances of 'int' and 'list'");
    CHECK(PyObject_Hash(a) == 2 && PyObject_Hash(b) == 2);
    CHECK(PyObject_Hash(l) == -1);
    CHECK_RAISED(PyExc_TypeError, "unhashable type: 'list'");
    CHECK(PyObject_IsTrue(l) == 0 && PyObject_Not(l) == 1 && PyObject_IsTrue(a) == 1);
    s = PyUnicode_FromString("caf\xc3\xa9");
    r = PyObject_ASCII(s);
    CHECK(r && PyUnicode_CompareWithASCIIString(r, "'caf\\xe9'") == 0);
    Py_XDECREF(r);
    r = PyObject_Repr(l);
    CHECK(r && PyUnicode_CompareWithASCIIString(r, "[]") == 0);
    Py_XDECREF(r);
    CHECK(PyBool_FromLong(7) == Py_True);
    Py_DECREF(Py_True);
    Py_DECREF(s);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(l);
    Py_RETURN_NONE;
}

static PyObject *test_calls_by_name(PyObject *m, PyObject *unused) {
    PyObject *l = PyList_New(0), *x = PyLong_FromLong(4), *name = PyUnicode_FromString("append"), *r;
    r = PyObject_CallMethodObjArgs(l, name, x, NULL);
    CHECK(r == Py_None && PyList_Size(l) == 1);
    Py_XDECREF(r);
#if API_AT_LEAST(0x030C0000)
    {
        PyObject *args[2] = {l, x};
        r = PyObject_VectorcallMethod(name, args, 2 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
        CHECK(r == Py_None && PyList_Size(l) == 2);
        Py_XDECREF(r);
        r = PyObject_Vectorcall((PyObject *)&PyLong_Type, args + 1, 1, NULL);
        CHECK(r == x);
        Py_XDECREF(r);
    }
#endif
    Py_DECREF(l);
    Py_DECREF(x);
    Py_DECREF(name);
    Py_RETURN_NONE;
}

static PyObject *test_memory(PyObject *m, PyObject *unused) {
    char *p = PyMem_Malloc(16), *q;
#if API_AT_LEAST(0x03050000)
    int *z = PyObject_Calloc(4, sizeof(int));
#else
    int *z = PyObject_Malloc(4 * sizeof(int));
    memset(z, 0, 4 * sizeof(int));
#endif
    CHECK(p && z && z[3] == 0);
    memcpy(p, "0123456789abcdef", 16);
    q = PyMem_Realloc(p, 64);
    CHECK(q && q[15] == 'f');
    PyMem_Free(q);
    p = PyObject_Malloc(8);
    CHECK(p != NULL);
    p = PyObject_Realloc(p, 128);
    CHECK(p != NULL);
    PyObject_Free(p);
    PyObject_Free(z);
    Py_RETURN_NONE;
}

static PyObject *test_bytes_bytearray_complex(PyObject *m, PyObject *unused) {
    PyObject *b = PyBytes_FromStringAndSize("ab\0c", 4), *ba, *c, *r, *tail;
    char *buf;
    Py_ssize_t n;
    CHECK(PyBytes_AsStringAndSize(b, &buf, &n) == 0 && n == 4 && buf[3] == 'c');
    CHECK(PyBytes_AsStringAndSize(b, &buf, NULL) == -1);
    CHECK_RAISED(PyExc_ValueError, "embedded null byte");
    r = PyBytes_FromObject(b);
    CHECK(r == b);
    Py_XDECREF(r);
    tail = PyBytes_FromString("wxyz");
    PyBytes_Concat(&b, tail);
    Py_DECREF(tail);
    CHECK(b && PyBytes_Size(b) == 8 && PyBytes_AsString(b)[7] == 'z');
    ba = PyByteArray_FromObject(b);
    CHECK(ba && PyByteArray_Size(ba) == 8 && PyByteArray_AsString(ba)[1] == 'b');
    CHECK(PyByteArray_Resize(ba, 2) == 0 && PyByteArray_Size(ba) == 2);
    r = PyByteArray_Concat(ba, ba);
    CHECK(r && PyByteArray_Size(r) == 4);
    Py_XDECREF(r);
    c = PyComplex_FromDoubles(1.5, -2.0);
    CHECK(c && PyComplex_RealAsDouble(c) == 1.5 && PyComplex_ImagAsDouble(c) == -2.0);
    CHECK(PyComplex_RealAsDouble(Py_None) == -1.0);
    CHECK_RAISED(PyExc_TypeError, NULL);
    Py_XDECREF(c);
    Py_DECREF(ba);
    Py_DECREF(b);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"test_attributes_and_items", test_attributes_and_items, METH_NOARGS, NULL},
    {"test_compare_hash_truth", test_compare_hash_truth, METH_NOARGS, NULL},
    {"test_calls_by_name", test_calls_by_name, METH_NOARGS, NULL},
    {"test_memory", test_memory, METH_NOARGS, NULL},
    {"test_bytes_bytearray_complex", test_bytes_bytearray_complex, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static int objects_exec(PyObject *m) { return 0; }

EXT_TEST_MODULE(objects, methods, objects_exec)
