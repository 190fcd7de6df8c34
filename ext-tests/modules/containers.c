/*
 * containers: dict, list, set and frozenset, tuple, slice and iterator functions of the
 * Stable ABI — contents, ordering, reference ownership (borrowed vs new), and the errors
 * CPython raises for wrong types and out-of-range indices.
 */
#include "ext_test.h"

#define API_AT_LEAST(v) (!defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= (v))

static PyObject *s(const char *text) { return PyUnicode_FromString(text); }

static PyObject *test_dict(PyObject *m, PyObject *unused) {
    long version = ext_test_runtime_hexversion();
    PyObject *d = PyDict_New(), *k = s("a"), *v = PyLong_FromLong(1), *c, *keys, *values, *items, *other, *seq;
    PyObject *key, *value;
    Py_ssize_t pos = 0, n = 0;
    CHECK(PyDict_SetItem(d, k, v) == 0 && PyDict_SetItemString(d, "b", v) == 0);
    CHECK(PyDict_Size(d) == 2 && PyDict_Contains(d, k) == 1 && PyDict_GetItem(d, k) == v);
    CHECK(PyDict_GetItemWithError(d, Py_None) == NULL && !PyErr_Occurred());
    while (PyDict_Next(d, &pos, &key, &value)) n++;
    CHECK(n == 2);
    c = PyDict_Copy(d);
    CHECK(c && PyDict_Size(c) == 2);
    keys = PyDict_Keys(d);
    values = PyDict_Values(d);
    items = PyDict_Items(d);
    CHECK(keys && PyList_Check(keys) && PyList_Size(keys) == 2);
    CHECK(values && PyList_GetItem(values, 0) == v);
    CHECK(items && PyTuple_Check(PyList_GetItem(items, 1)));
    other = PyDict_New();
    PyDict_SetItemString(other, "z", k);
    CHECK(PyDict_Update(c, other) == 0 && PyDict_Size(c) == 3);
    CHECK(PyDict_Merge(c, other, 0) == 0 && PyDict_Size(c) == 3);
    seq = Py_BuildValue("[(si)]", "q", 5);
    CHECK(PyDict_MergeFromSeq2(c, seq, 1) == 0 && PyDict_Size(c) == 4);
    CHECK(PyDict_DelItemString(c, "q") == 0 && PyDict_DelItem(c, k) == 0 && PyDict_Size(c) == 2);
    CHECK(PyDict_DelItemString(c, "nope") == -1);
    CHECK_RAISED(PyExc_KeyError, "'nope'");
    PyDict_Clear(c);
    CHECK(PyDict_Size(c) == 0);
    CHECK(PyDict_SetItem(d, keys, v) == -1);
    /* 3.14 reworded unhashable-key errors; Pyrite follows 3.15. */
    CHECK_RAISED(PyExc_TypeError, version >= 0x030E0000 ? "cannot use 'list' as a dict key (unhashable type: 'list')" : "unhashable type: 'list'");
#if API_AT_LEAST(0x030D0000)
    {
        PyObject *r = NULL;
        CHECK(PyDict_GetItemRef(d, k, &r) == 1 && r == v);
        Py_XDECREF(r);
        CHECK(PyDict_GetItemStringRef(d, "missing", &r) == 0 && r == NULL);
    }
#endif
#if API_AT_LEAST(0x030F0000)
    {
        PyObject *r = NULL, *fresh = s("new");
        CHECK(PyDict_SetDefaultRef(d, fresh, v, &r) == 0 && r == v);
        Py_XDECREF(r);
        Py_DECREF(fresh);
        CHECK(PyDict_SetDefaultRef(d, k, Py_None, &r) == 1 && r == v);
        Py_XDECREF(r);
    }
#endif
    Py_DECREF(seq);
    Py_DECREF(other);
    Py_DECREF(items);
    Py_DECREF(values);
    Py_DECREF(keys);
    Py_DECREF(c);
    Py_DECREF(d);
    Py_DECREF(k);
    Py_DECREF(v);
    Py_RETURN_NONE;
}

static PyObject *test_list(PyObject *m, PyObject *unused) {
    PyObject *l = PyList_New(0), *t, *r;
    long i;
    for (i = 5; i > 0; i--) {
        PyObject *x = PyLong_FromLong(i);
        CHECK(PyList_Append(l, x) == 0);
        Py_DECREF(x);
    }
    CHECK(PyList_Insert(l, 0, Py_None) == 0 && PyList_GetItem(l, 0) == Py_None);
    CHECK(PyList_SetSlice(l, 0, 1, NULL) == 0 && PyList_Size(l) == 5);
    CHECK(PyList_Sort(l) == 0 && PyLong_AsLong(PyList_GetItem(l, 0)) == 1);
    CHECK(PyList_Reverse(l) == 0 && PyLong_AsLong(PyList_GetItem(l, 0)) == 5);
    r = PyList_GetSlice(l, 1, 3);
    CHECK(r && PyList_Size(r) == 2 && PyLong_AsLong(PyList_GetItem(r, 0)) == 4);
    Py_XDECREF(r);
    t = PyList_AsTuple(l);
    CHECK(t && PyTuple_Size(t) == 5);
    Py_XDECREF(t);
    CHECK(PyList_GetItem(l, 9) == NULL);
    CHECK_RAISED(PyExc_IndexError, "list index out of range");
    CHECK(PyList_SetItem(l, 9, PyLong_FromLong(1)) == -1);
    CHECK_RAISED(PyExc_IndexError, "list assignment index out of range");
    CHECK(PyList_Append(Py_None, l) == -1);
    CHECK_RAISED(PyExc_SystemError, NULL);
#if API_AT_LEAST(0x030D0000)
    r = PyList_GetItemRef(l, 0);
    CHECK(r && PyLong_AsLong(r) == 5);
    Py_XDECREF(r);
#endif
    Py_DECREF(l);
    Py_RETURN_NONE;
}

static PyObject *test_set(PyObject *m, PyObject *unused) {
    long version = ext_test_runtime_hexversion();
    PyObject *st = PySet_New(NULL), *a = s("a"), *fs, *p;
    CHECK(st && PySet_Add(st, a) == 0 && PySet_Add(st, a) == 0 && PySet_Size(st) == 1);
    CHECK(PySet_Contains(st, a) == 1 && PySet_Contains(st, Py_None) == 0);
    CHECK(PySet_Discard(st, Py_None) == 0 && PySet_Discard(st, a) == 1 && PySet_Size(st) == 0);
    CHECK(PySet_Add(st, a) == 0);
    p = PySet_Pop(st);
    CHECK(p == a && PySet_Size(st) == 0);
    Py_XDECREF(p);
    CHECK(PySet_Pop(st) == NULL);
    CHECK_RAISED(PyExc_KeyError, "'pop from an empty set'");
    fs = PyFrozenSet_New(NULL);
    CHECK(fs && PyFrozenSet_Check(fs) && PySet_Size(fs) == 0);
    CHECK(PySet_Add(st, a) == 0 && PySet_Clear(st) == 0 && PySet_Size(st) == 0);
    CHECK(PySet_Add(st, st) == -1);
    CHECK_RAISED(PyExc_TypeError, version >= 0x030E0000 ? "cannot use 'set' as a set element (unhashable type: 'set')" : "unhashable type: 'set'");
    Py_DECREF(fs);
    Py_DECREF(st);
    Py_DECREF(a);
    Py_RETURN_NONE;
}

static PyObject *test_tuple_slice_iter(PyObject *m, PyObject *unused) {
    PyObject *t = Py_BuildValue("(iiiii)", 0, 1, 2, 3, 4), *sl, *it, *x, *start, *stop;
    Py_ssize_t b, e, st, len;
    long sum = 0;
    sl = PyTuple_GetSlice(t, 1, 3);
    CHECK(sl && PyTuple_Size(sl) == 2 && PyLong_AsLong(PyTuple_GetItem(sl, 1)) == 2);
    Py_XDECREF(sl);
    CHECK(PyTuple_GetItem(t, 7) == NULL);
    CHECK_RAISED(PyExc_IndexError, "tuple index out of range");
    start = PyLong_FromLong(-2);
    stop = PyLong_FromLong(100);
    sl = PySlice_New(start, stop, NULL);
    CHECK(sl && PySlice_Check(sl));
    CHECK(PySlice_GetIndicesEx(sl, 5, &b, &e, &st, &len) == 0 && b == 3 && e == 5 && st == 1 && len == 2);
#if API_AT_LEAST(0x03070000)
    CHECK(PySlice_Unpack(sl, &b, &e, &st) == 0 && b == -2 && st == 1);
    CHECK(PySlice_AdjustIndices(5, &b, &e, st) == 2 && b == 3 && e == 5);
#endif
    Py_DECREF(sl);
    Py_DECREF(start);
    Py_DECREF(stop);
    it = PyObject_GetIter(t);
    CHECK(it != NULL);
#if API_AT_LEAST(0x03080000)
    CHECK(PyIter_Check(it));
#endif
    while ((x = PyIter_Next(it)) != NULL) {
        sum += PyLong_AsLong(x);
        Py_DECREF(x);
    }
    CHECK(!PyErr_Occurred() && sum == 10);
    Py_DECREF(it);
    CHECK(PyObject_GetIter(Py_None) == NULL);
    CHECK_RAISED(PyExc_TypeError, "'NoneType' object is not iterable");
#if API_AT_LEAST(0x030E0000)
    {
        PyObject *item = NULL;
        it = PyObject_GetIter(t);
        CHECK(PyIter_NextItem(it, &item) == 1 && item && PyLong_AsLong(item) == 0);
        Py_XDECREF(item);
        Py_DECREF(it);
    }
#endif
    Py_DECREF(t);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"test_dict", test_dict, METH_NOARGS, NULL},
    {"test_list", test_list, METH_NOARGS, NULL},
    {"test_set", test_set, METH_NOARGS, NULL},
    {"test_tuple_slice_iter", test_tuple_slice_iter, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static int containers_exec(PyObject *m) { return 0; }

EXT_TEST_MODULE(containers, methods, containers_exec)
