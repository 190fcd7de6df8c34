/*
 * weakrefs: weak references and proxies (weakrefobject.h) to instances of a class made at
 * import, their callbacks when the referent dies, PyObject_ClearWeakRefs' checks, and
 * Py_GenericAlias (genericaliasobject.h).
 */
#include "ext_test.h"

/* PyWeakref_GetObject is deprecated since 3.13, and tested here. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#if defined(Py_LIMITED_API)
#define LIMITED_AT_LEAST(v) (Py_LIMITED_API+0 >= (v))
#else
#define LIMITED_AT_LEAST(v) 1
#endif

/* The referent through the API the build has: GetObject before 3.13, GetRef after. */
static PyObject *referent(PyObject *r) {
#if LIMITED_AT_LEAST(0x030D0000)
    PyObject *o = NULL;
    if (PyWeakref_GetRef(r, &o) < 0) return NULL;
    if (!o) return Py_None;
    Py_DECREF(o);       /* the test holds the referent alive */
    return o;
#else
    return PyWeakref_GetObject(r);
#endif
}

static PyObject *cls;           /* class Obj: a plain Python-level class */
static int callback_calls;
static int callback_saw_dead;

static PyObject *on_dead(PyObject *m, PyObject *ref) {
    callback_calls++;
#if LIMITED_AT_LEAST(0x030D0000)
    {
        PyObject *o = (PyObject *)1;
        if (PyWeakref_GetRef(ref, &o) == 0 && o == NULL) callback_saw_dead++;
    }
#else
    if (PyWeakref_GetObject(ref) == Py_None) callback_saw_dead++;
#endif
    Py_RETURN_NONE;
}

static PyMethodDef on_dead_def = {"on_dead", on_dead, METH_O, NULL};

static PyObject *test_ref_lifecycle(PyObject *m, PyObject *unused) {
    PyObject *inst = PyObject_CallObject(cls, NULL), *r, *r2, *r3, *cb, *five;
    if (!inst) return NULL;
    cb = PyCFunction_New(&on_dead_def, NULL);
    if (!cb) return NULL;
    callback_calls = callback_saw_dead = 0;
    r = PyWeakref_NewRef(inst, NULL);
    CHECK(r && PyWeakref_Check(r) && PyWeakref_CheckRef(r) && !PyWeakref_CheckProxy(r));
    r2 = PyWeakref_NewRef(inst, Py_None);
    CHECK(r2 == r);             /* the basic reference is shared */
    Py_DECREF(r2);
    r3 = PyWeakref_NewRef(inst, cb);
    CHECK(r3 && r3 != r);
    CHECK(referent(r) == inst && referent(r3) == inst);
#if LIMITED_AT_LEAST(0x030D0000)
    {
        PyObject *o = NULL;
        CHECK(PyWeakref_GetRef(r, &o) == 1 && o == inst);
        Py_DECREF(o);
    }
#endif
    /* Calling the reference gives the referent. */
    five = PyObject_CallObject(r, NULL);
    CHECK(five == inst);
    Py_DECREF(five);
    Py_DECREF(inst);            /* the referent dies: references clear, the callback runs */
    CHECK(callback_calls == 1 && callback_saw_dead == 1);
    CHECK(referent(r) == Py_None);
    five = PyObject_CallObject(r, NULL);
    CHECK(five == Py_None);
    Py_DECREF(five);
#if LIMITED_AT_LEAST(0x030D0000)
    {
        PyObject *o = (PyObject *)1;
        CHECK(PyWeakref_GetRef(r3, &o) == 0 && o == NULL && !PyErr_Occurred());
    }
#endif
    Py_DECREF(r); Py_DECREF(r3); Py_DECREF(cb);
    Py_RETURN_NONE;
}

static PyObject *test_proxy(PyObject *m, PyObject *unused) {
    PyObject *inst = PyObject_CallObject(cls, NULL), *p, *p2, *v, *five = PyLong_FromLong(5);
    if (!inst || !five) return NULL;
    p = PyWeakref_NewProxy(inst, NULL);
    CHECK(p && PyWeakref_CheckProxy(p) && !PyWeakref_CheckRef(p));
    p2 = PyWeakref_NewProxy(inst, NULL);
    CHECK(p2 == p);
    Py_DECREF(p2);
    CHECK(PyObject_SetAttrString(p, "x", five) == 0);
    v = PyObject_GetAttrString(inst, "x");
    CHECK(v == five);
    Py_DECREF(v);
    Py_DECREF(inst);
    CHECK(PyObject_GetAttrString(p, "x") == NULL);
    CHECK_RAISED(PyExc_ReferenceError, "weakly-referenced object no longer exists");
    Py_DECREF(p); Py_DECREF(five);
    Py_RETURN_NONE;
}

static PyObject *test_errors(PyObject *m, PyObject *unused) {
    PyObject *five = PyLong_FromLong(5);
    if (!five) return NULL;
    CHECK(PyWeakref_NewRef(five, NULL) == NULL);
    CHECK_RAISED(PyExc_TypeError, "cannot create weak reference to 'int' object");
    CHECK(PyWeakref_NewProxy(five, NULL) == NULL);
    CHECK_RAISED(PyExc_TypeError, "cannot create weak reference to 'int' object");
#if !LIMITED_AT_LEAST(0x030D0000)
    CHECK(PyWeakref_GetObject(five) == NULL);
    CHECK_RAISED(PyExc_SystemError, NULL);
#endif
    /* Only for dying objects whose type supports weak references. */
    PyObject_ClearWeakRefs(five);
    CHECK_RAISED(PyExc_SystemError, NULL);
#if LIMITED_AT_LEAST(0x030D0000)
    {
        PyObject *o = (PyObject *)1;
        CHECK(PyWeakref_GetRef(five, &o) == -1 && o == NULL);
        CHECK_RAISED(PyExc_TypeError, "expected a weakref");
    }
#endif
    Py_DECREF(five);
    Py_RETURN_NONE;
}

#if LIMITED_AT_LEAST(0x03090000)
static PyObject *test_generic_alias(PyObject *m, PyObject *unused) {
    PyObject *a = Py_GenericAlias((PyObject *)&PyList_Type, (PyObject *)&PyLong_Type), *r, *b, *origin;
    if (!a) return NULL;
    r = PyObject_Repr(a);
    b = r ? PyUnicode_AsUTF8String(r) : NULL;
    CHECK(b && strcmp(PyBytes_AsString(b), "list[int]") == 0);
    Py_DECREF(b); Py_DECREF(r);
    origin = PyObject_GetAttrString(a, "__origin__");
    CHECK(origin == (PyObject *)&PyList_Type);
    Py_DECREF(origin);
    r = PyObject_GetAttrString(a, "__args__");
    CHECK(r && PyTuple_Check(r) && PyTuple_Size(r) == 1 && PyTuple_GetItem(r, 0) == (PyObject *)&PyLong_Type);
    Py_DECREF(r);
    /* The same as subscripting the class. */
    b = PyObject_GetItem((PyObject *)&PyList_Type, (PyObject *)&PyLong_Type);
    CHECK(b && PyObject_RichCompareBool(a, b, Py_EQ) == 1);
    Py_DECREF(b);
    Py_DECREF(a);
    Py_RETURN_NONE;
}
#endif

/* For check_weakref.py. */
static PyObject *new_ref(PyObject *m, PyObject *args) {
    PyObject *o, *cb = NULL;
    if (!PyArg_ParseTuple(args, "O|O", &o, &cb)) return NULL;
    return PyWeakref_NewRef(o, cb);
}

static PyObject *new_proxy(PyObject *m, PyObject *args) {
    PyObject *o, *cb = NULL;
    if (!PyArg_ParseTuple(args, "O|O", &o, &cb)) return NULL;
    return PyWeakref_NewProxy(o, cb);
}

static PyMethodDef methods[] = {
    {"test_ref_lifecycle", test_ref_lifecycle, METH_NOARGS, NULL},
    {"test_proxy", test_proxy, METH_NOARGS, NULL},
    {"test_errors", test_errors, METH_NOARGS, NULL},
#if LIMITED_AT_LEAST(0x03090000)
    {"test_generic_alias", test_generic_alias, METH_NOARGS, NULL},
#endif
    {"new_ref", new_ref, METH_VARARGS, NULL},
    {"new_proxy", new_proxy, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_weakref(PyObject *m) {
    cls = PyObject_CallFunction((PyObject *)&PyType_Type, "s(O){}", "Obj", (PyObject *)&PyBaseObject_Type);
    if (!cls) return -1;
    Py_INCREF(cls);
    return PyModule_AddObject(m, "Obj", cls);
}

EXT_TEST_MODULE(weakrefs, methods, exec_weakref)
