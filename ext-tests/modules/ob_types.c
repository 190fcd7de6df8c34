/*
 * ob_types: the type objects the Stable ABI exports as data (iterator types, dict views and
 * their iterators, descriptors, range/zip/map/filter/enumerate/reversed, super, property,
 * complex, set, Ellipsis, mappingproxy, generic aliases, PyModuleDef), each compared with the
 * type of an object Python makes; and the constructors PyCallIter_New, PySeqIter_New and
 * PyDictProxy_New, whose objects are used as Python uses them.
 */
#include "ext_test.h"

#define API_AT_LEAST(v) (!defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= (v))

/* A new reference to builtins.<name>. */
static PyObject *builtin(const char *name) {
    PyObject *b = PyImport_ImportModule("builtins"), *r;
    if (!b) return NULL;
    r = PyObject_GetAttrString(b, name);
    Py_DECREF(b);
    return r;
}

/* 1 if type(o) is `t`; consumes `o` (NULL is not). */
static int type_is(PyObject *o, PyTypeObject *t) {
    int r;
    if (!o) return 0;
    r = Py_TYPE(o) == t;
    if (!r) {
        PyObject *n = PyObject_Repr((PyObject *)Py_TYPE(o)), *b = n ? PyUnicode_AsUTF8String(n) : NULL;
        fprintf(stderr, "type_is: got %s\n", b ? PyBytes_AsString(b) : "?");
        Py_XDECREF(b);
        Py_XDECREF(n);
    }
    Py_DECREF(o);
    return r;
}

/* type(iter(o)) is `t`; consumes `o`. */
static int iter_type_is(PyObject *o, PyTypeObject *t) {
    PyObject *it;
    if (!o) return 0;
    it = PyObject_GetIter(o);
    Py_DECREF(o);
    return type_is(it, t);
}

/* type(reversed(o)) is `t`; consumes `o`. */
static int reversed_type_is(PyObject *o, PyTypeObject *t) {
    PyObject *it;
    if (!o) return 0;
    it = PyObject_CallFunctionObjArgs((PyObject *)&PyReversed_Type, o, NULL);
    Py_DECREF(o);
    return type_is(it, t);
}

/* type(vars(owner)[name]) is `t`. */
static int descr_type_is(PyTypeObject *owner, const char *name, PyTypeObject *t) {
    PyObject *d = PyObject_GetAttrString((PyObject *)owner, "__dict__"), *v;
    if (!d) return 0;
    v = PyMapping_GetItemString(d, name);
    Py_DECREF(d);
    return type_is(v, t);
}

static PyObject *test_sequence_iterators(PyObject *m, PyObject *unused) {
    CHECK(iter_type_is(PyList_New(0), &PyListIter_Type));
    CHECK(reversed_type_is(PyList_New(0), &PyListRevIter_Type));
    CHECK(iter_type_is(PyTuple_New(0), &PyTupleIter_Type));
    /* ASCII strings get a faster iterator type in CPython; a non-ASCII one gets str_iterator. */
    CHECK(iter_type_is(PyUnicode_FromString("h\xc3\xa9"), &PyUnicodeIter_Type));
    CHECK(iter_type_is(PyBytes_FromString("ab"), &PyBytesIter_Type));
    CHECK(iter_type_is(PyByteArray_FromStringAndSize("ab", 2), &PyByteArrayIter_Type));
    CHECK(type_is(PyByteArray_FromStringAndSize("ab", 2), &PyByteArray_Type));
    CHECK(iter_type_is(PySet_New(NULL), &PySetIter_Type));
    CHECK(type_is(PySet_New(NULL), &PySet_Type));
    CHECK(PyType_IsSubtype(&PySet_Type, &PyFrozenSet_Type) == 0);
    /* A tuple has no __reversed__: reversed() makes the generic reversed object. */
    CHECK(reversed_type_is(PyTuple_New(0), &PyReversed_Type));
    Py_RETURN_NONE;
}

static PyObject *test_range(PyObject *m, PyObject *unused) {
    PyObject *r = PyObject_CallFunction((PyObject *)&PyRange_Type, "iii", 1, 10, 3), *big, *l;
    CHECK(r && Py_TYPE(r) == &PyRange_Type && PyObject_Size(r) == 3);
    l = PySequence_List(r);
    CHECK(l && PyList_Size(l) == 3 && PyLong_AsLong(PyList_GetItem(l, 2)) == 7);
    Py_DECREF(l);
    CHECK(iter_type_is(r, &PyRangeIter_Type));
    /* Bounds beyond a C long make the long-range iterator. */
    big = PyLong_FromString("100000000000000000000", NULL, 10);
    CHECK(big);
    CHECK(iter_type_is(PyObject_CallFunctionObjArgs((PyObject *)&PyRange_Type, big, NULL), &PyLongRangeIter_Type));
    Py_DECREF(big);
    CHECK(PyObject_CallFunction((PyObject *)&PyRange_Type, "iii", 1, 2, 0) == NULL);
    CHECK_RAISED(PyExc_ValueError, "range() arg 3 must not be zero");
    Py_RETURN_NONE;
}

static PyObject *test_dict_views(PyObject *m, PyObject *unused) {
    PyObject *d = Py_BuildValue("{sisi}", "a", 1, "b", 2), *keys, *values, *items;
    CHECK(d);
    keys = PyObject_CallMethod(d, "keys", NULL);
    values = PyObject_CallMethod(d, "values", NULL);
    items = PyObject_CallMethod(d, "items", NULL);
    CHECK(keys && values && items);
    CHECK(Py_TYPE(keys) == &PyDictKeys_Type && Py_TYPE(values) == &PyDictValues_Type && Py_TYPE(items) == &PyDictItems_Type);
    {
        PyObject *a = PyUnicode_FromString("a");
        CHECK(PyObject_Size(keys) == 2 && PySequence_Contains(keys, a) == 1);
        Py_DECREF(a);
    }
    Py_INCREF(keys); Py_INCREF(values); Py_INCREF(items);
    CHECK(iter_type_is(keys, &PyDictIterKey_Type));
    CHECK(iter_type_is(values, &PyDictIterValue_Type));
    CHECK(iter_type_is(items, &PyDictIterItem_Type));
    CHECK(reversed_type_is(keys, &PyDictRevIterKey_Type));
    CHECK(reversed_type_is(values, &PyDictRevIterValue_Type));
    CHECK(reversed_type_is(items, &PyDictRevIterItem_Type));
    Py_INCREF(d);
    CHECK(iter_type_is(d, &PyDictIterKey_Type));
    CHECK(reversed_type_is(d, &PyDictRevIterKey_Type));
    Py_RETURN_NONE;
}

static PyObject *test_descriptors(PyObject *m, PyObject *unused) {
    CHECK(descr_type_is(&PyList_Type, "append", &PyMethodDescr_Type));
    CHECK(descr_type_is(&PyDict_Type, "fromkeys", &PyClassMethodDescr_Type));
    CHECK(descr_type_is(&PyBaseObject_Type, "__init__", &PyWrapperDescr_Type));
    CHECK(descr_type_is(&PyLong_Type, "real", &PyGetSetDescr_Type));
    CHECK(descr_type_is(&PySlice_Type, "start", &PyMemberDescr_Type));
    {
        PyObject *len = builtin("len");
        CHECK(len && Py_TYPE(len) == &PyCFunction_Type && PyCFunction_Check(len));
        Py_DECREF(len);
    }
    /* vars(T) is a mappingproxy. */
    {
        PyObject *d = PyObject_GetAttrString((PyObject *)&PyList_Type, "__dict__");
        CHECK(type_is(d, &PyDictProxy_Type));
    }
    Py_RETURN_NONE;
}

static PyObject *test_builtin_iterators(PyObject *m, PyObject *unused) {
    PyObject *l = Py_BuildValue("[iii]", 0, 1, 2), *t = Py_BuildValue("(ss)", "a", "b"), *abs_ = builtin("abs"), *o, *r;
    CHECK(l && t && abs_);
    o = PyObject_CallFunctionObjArgs((PyObject *)&PyEnum_Type, t, NULL);
    CHECK(o && Py_TYPE(o) == &PyEnum_Type);
    r = PySequence_List(o);
    CHECK(r && PyList_Size(r) == 2 && PyLong_AsLong(PyTuple_GetItem(PyList_GetItem(r, 1), 0)) == 1);
    Py_DECREF(r); Py_DECREF(o);
    o = PyObject_CallFunctionObjArgs((PyObject *)&PyZip_Type, l, t, NULL);
    CHECK(o && Py_TYPE(o) == &PyZip_Type);
    r = PySequence_List(o);
    CHECK(r && PyList_Size(r) == 2);
    Py_DECREF(r); Py_DECREF(o);
    o = PyObject_CallFunctionObjArgs((PyObject *)&PyMap_Type, abs_, l, NULL);
    CHECK(o && Py_TYPE(o) == &PyMap_Type);
    r = PySequence_Tuple(o);
    CHECK(r && PyTuple_Size(r) == 3);
    Py_DECREF(r); Py_DECREF(o);
    o = PyObject_CallFunctionObjArgs((PyObject *)&PyFilter_Type, Py_None, l, NULL);
    CHECK(o && Py_TYPE(o) == &PyFilter_Type);
    r = PySequence_List(o);
    /* filter(None, [0, 1, 2]) keeps the true ones. */
    CHECK(r && PyList_Size(r) == 2 && PyLong_AsLong(PyList_GetItem(r, 0)) == 1);
    Py_DECREF(r); Py_DECREF(o);
    Py_DECREF(abs_); Py_DECREF(t); Py_DECREF(l);
    Py_RETURN_NONE;
}

static PyObject *test_other_types(PyObject *m, PyObject *unused) {
    PyObject *c = PyComplex_FromDoubles(1.0, 2.0), *p, *getter, *s, *ga, *args;
    CHECK(c && Py_TYPE(c) == &PyComplex_Type && PyComplex_ImagAsDouble(c) == 2.0);
    Py_DECREF(c);
    CHECK(Py_TYPE(Py_Ellipsis) == &PyEllipsis_Type);
    getter = builtin("len");
    p = PyObject_CallFunctionObjArgs((PyObject *)&PyProperty_Type, getter, NULL);
    CHECK(p && Py_TYPE(p) == &PyProperty_Type);
    {
        PyObject *fget = PyObject_GetAttrString(p, "fget");
        CHECK(fget == getter);
        Py_DECREF(fget);
    }
    Py_DECREF(p);
    Py_DECREF(getter);
    /* super(bool, True).__int__ ... just that super objects are of PySuper_Type. */
    s = PyObject_CallFunctionObjArgs((PyObject *)&PySuper_Type, (PyObject *)&PyBool_Type, Py_True, NULL);
    CHECK(s && Py_TYPE(s) == &PySuper_Type);
    {
        PyObject *r = PyObject_CallMethod(s, "__repr__", NULL);
        /* int.__repr__(True) */
        CHECK(ext_test_str_eq(r, "1"));
        Py_DECREF(r);
    }
    Py_DECREF(s);
    ga = Py_GenericAlias((PyObject *)&PyList_Type, (PyObject *)&PyLong_Type);
    CHECK(ga && Py_TYPE(ga) == &Py_GenericAliasType);
    args = PyObject_GetAttrString(ga, "__args__");
    CHECK(args && PyTuple_Check(args) && PyTuple_GetItem(args, 0) == (PyObject *)&PyLong_Type);
    Py_DECREF(args);
    {
        PyObject *r = PyObject_Repr(ga);
        CHECK(ext_test_str_eq(r, "list[int]"));
        Py_DECREF(r);
    }
    Py_DECREF(ga);
    Py_RETURN_NONE;
}

#if !defined(Py_TARGET_ABI3T)
static PyModuleDef plain_def = {PyModuleDef_HEAD_INIT, "ob_types_plain", NULL, 0, NULL, NULL, NULL, NULL, NULL};

static PyObject *test_moduledef_type(PyObject *m, PyObject *unused) {
    /* PyModuleDef_Init makes the definition an object of PyModuleDef_Type (and returns it). */
    PyObject *o = PyModuleDef_Init(&plain_def);
    CHECK(o == (PyObject *)&plain_def);
    CHECK(Py_TYPE(o) == &PyModuleDef_Type);
    Py_RETURN_NONE;
}
#endif

/* A callable counting 1, 2, 3, ... (its state in a one-item list). */
static PyObject *count_up(PyObject *self, PyObject *unused) {
    PyObject *v = PyList_GetItem(self, 0), *one = PyLong_FromLong(1), *n;
    if (!v || !one) return NULL;
    n = PyNumber_Add(v, one);
    Py_DECREF(one);
    if (!n) return NULL;
    if (PyList_SetItem(self, 0, n) < 0) return NULL;
    return Py_BuildValue("O", n);
}

static PyMethodDef count_def = {"count_up", count_up, METH_NOARGS, NULL};

static PyObject *test_call_iter(PyObject *m, PyObject *unused) {
    PyObject *state = Py_BuildValue("[i]", 0), *f, *three = PyLong_FromLong(3), *it, *l;
    CHECK(state && three);
    f = PyCFunction_NewEx(&count_def, state, NULL);
    CHECK(f);
    it = PyCallIter_New(f, three);
    CHECK(it && Py_TYPE(it) == &PyCallIter_Type && PyIter_Check(it));
    CHECK(PyObject_GetIter(it) == it);
    Py_DECREF(it);
    l = PySequence_List(it);
    /* Called until it returns the sentinel (==, not is). */
    CHECK(l && PyList_Size(l) == 2 && PyLong_AsLong(PyList_GetItem(l, 1)) == 2);
    Py_DECREF(l);
    /* Exhausted: the callable is not called again. */
    CHECK(PyIter_Next(it) == NULL && !PyErr_Occurred());
    CHECK(PyLong_AsLong(PyList_GetItem(state, 0)) == 3);
    Py_DECREF(it);
    Py_DECREF(f);
    Py_DECREF(three);
    Py_DECREF(state);
    Py_RETURN_NONE;
}

static PyObject *test_seq_iter(PyObject *m, PyObject *unused) {
    PyObject *t = Py_BuildValue("(is)", 1, "x"), *it, *a, *b;
    CHECK(t);
    it = PySeqIter_New(t);
    CHECK(it && Py_TYPE(it) == &PySeqIter_Type && PyIter_Check(it));
    a = PyIter_Next(it);
    b = PyIter_Next(it);
    CHECK(a == PyTuple_GetItem(t, 0) && b == PyTuple_GetItem(t, 1));
    CHECK(PyIter_Next(it) == NULL && !PyErr_Occurred());
    Py_DECREF(a); Py_DECREF(b);
    Py_DECREF(it);
    Py_DECREF(t);
    Py_RETURN_NONE;
}

static PyObject *test_dict_proxy(PyObject *m, PyObject *unused) {
    PyObject *d = Py_BuildValue("{si}", "k", 7), *p, *v, *one = PyLong_FromLong(1);
    CHECK(d);
    p = PyDictProxy_New(d);
    CHECK(p && Py_TYPE(p) == &PyDictProxy_Type);
    v = PyMapping_GetItemString(p, "k");
    CHECK(v && PyLong_AsLong(v) == 7);
    Py_DECREF(v);
    /* Read-only view of a live dict. */
    CHECK(PyObject_SetItem(p, one, one) == -1);
    CHECK_RAISED(PyExc_TypeError, "'mappingproxy' object does not support item assignment");
    CHECK(PyDict_SetItemString(d, "new", one) == 0);
    CHECK(PyObject_Size(p) == 2);
    Py_DECREF(p);
    /* Only mappings: a list is refused. */
    CHECK(PyDictProxy_New(one) == NULL);
    CHECK_RAISED(PyExc_TypeError, "mappingproxy() argument must be a mapping, not int");
    Py_DECREF(one);
    Py_DECREF(d);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"test_sequence_iterators", test_sequence_iterators, METH_NOARGS, NULL},
    {"test_range", test_range, METH_NOARGS, NULL},
    {"test_dict_views", test_dict_views, METH_NOARGS, NULL},
    {"test_descriptors", test_descriptors, METH_NOARGS, NULL},
    {"test_builtin_iterators", test_builtin_iterators, METH_NOARGS, NULL},
    {"test_other_types", test_other_types, METH_NOARGS, NULL},
#if !defined(Py_TARGET_ABI3T)
    {"test_moduledef_type", test_moduledef_type, METH_NOARGS, NULL},
#endif
    {"test_call_iter", test_call_iter, METH_NOARGS, NULL},
    {"test_seq_iter", test_seq_iter, METH_NOARGS, NULL},
    {"test_dict_proxy", test_dict_proxy, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *m) { return 0; }

EXT_TEST_MODULE(ob_types, methods, exec_module)
