/*
 * capsule: PyCapsule_* (pycapsule.h) — create, read and change capsules, the errors CPython
 * raises for invalid ones, destructors, and PyCapsule_Import through the module's own
 * attribute (the way extensions export C APIs to each other).
 */
#include "ext_test.h"

static int payload = 42;
static int other = 7;
static int destructor_calls = 0;

static void count_destructor(PyObject *capsule) {
    if (PyCapsule_GetPointer(capsule, PyCapsule_GetName(capsule)) == &payload) destructor_calls++;
}

static PyObject *test_new_and_read(PyObject *m, PyObject *unused) {
    PyObject *c = PyCapsule_New(&payload, "capsule.payload", NULL);
    if (!c) return NULL;
    CHECK(PyCapsule_CheckExact(c));
    CHECK(PyCapsule_GetPointer(c, "capsule.payload") == &payload);
    CHECK(strcmp(PyCapsule_GetName(c), "capsule.payload") == 0);
    CHECK(PyCapsule_GetContext(c) == NULL && !PyErr_Occurred());
    CHECK(PyCapsule_GetDestructor(c) == NULL && !PyErr_Occurred());
    CHECK(PyCapsule_IsValid(c, "capsule.payload") == 1);
    CHECK(PyCapsule_IsValid(c, "capsule.other") == 0);
    CHECK(PyCapsule_IsValid(c, NULL) == 0);
    CHECK(PyCapsule_IsValid(Py_None, "capsule.payload") == 0 && !PyErr_Occurred());
    Py_DECREF(c);
    /* A capsule without a name matches only NULL. */
    c = PyCapsule_New(&payload, NULL, NULL);
    if (!c) return NULL;
    CHECK(PyCapsule_GetPointer(c, NULL) == &payload);
    CHECK(PyCapsule_GetName(c) == NULL && !PyErr_Occurred());
    CHECK(PyCapsule_IsValid(c, NULL) == 1);
    CHECK(PyCapsule_GetPointer(c, "x") == NULL);
    CHECK_RAISED(PyExc_ValueError, "PyCapsule_GetPointer called with incorrect name");
    Py_DECREF(c);
    Py_RETURN_NONE;
}

static PyObject *test_setters(PyObject *m, PyObject *unused) {
    PyObject *c = PyCapsule_New(&payload, "a", NULL);
    if (!c) return NULL;
    CHECK(PyCapsule_SetPointer(c, &other) == 0);
    CHECK(PyCapsule_GetPointer(c, "a") == &other);
    CHECK(PyCapsule_SetName(c, "b") == 0);
    CHECK(PyCapsule_GetPointer(c, "b") == &other);
    CHECK(PyCapsule_SetContext(c, &payload) == 0);
    CHECK(PyCapsule_GetContext(c) == &payload);
    CHECK(PyCapsule_SetDestructor(c, count_destructor) == 0);
    CHECK(PyCapsule_GetDestructor(c) == count_destructor);
    CHECK(PyCapsule_SetDestructor(c, NULL) == 0);
    CHECK(PyCapsule_SetPointer(c, NULL) == -1);
    CHECK_RAISED(PyExc_ValueError, "PyCapsule_SetPointer called with null pointer");
    Py_DECREF(c);
    Py_RETURN_NONE;
}

static PyObject *test_invalid_capsules(PyObject *m, PyObject *unused) {
    CHECK(PyCapsule_New(NULL, "x", NULL) == NULL);
    CHECK_RAISED(PyExc_ValueError, "PyCapsule_New called with null pointer");
    CHECK(PyCapsule_GetPointer(Py_None, "x") == NULL);
    CHECK_RAISED(PyExc_ValueError, "PyCapsule_GetPointer called with invalid PyCapsule object");
    CHECK(PyCapsule_GetName(Py_None) == NULL);
    CHECK_RAISED(PyExc_ValueError, "PyCapsule_GetName called with invalid PyCapsule object");
    CHECK(PyCapsule_GetContext(Py_None) == NULL);
    CHECK_RAISED(PyExc_ValueError, "PyCapsule_GetContext called with invalid PyCapsule object");
    CHECK(PyCapsule_GetDestructor(Py_None) == NULL);
    CHECK_RAISED(PyExc_ValueError, "PyCapsule_GetDestructor called with invalid PyCapsule object");
    CHECK(PyCapsule_SetName(Py_None, "x") == -1);
    CHECK_RAISED(PyExc_ValueError, "PyCapsule_SetName called with invalid PyCapsule object");
    CHECK(PyCapsule_SetContext(Py_None, NULL) == -1);
    CHECK_RAISED(PyExc_ValueError, "PyCapsule_SetContext called with invalid PyCapsule object");
    CHECK(PyCapsule_SetDestructor(Py_None, NULL) == -1);
    CHECK_RAISED(PyExc_ValueError, "PyCapsule_SetDestructor called with invalid PyCapsule object");
    CHECK(PyCapsule_SetPointer(Py_None, &payload) == -1);
    CHECK_RAISED(PyExc_ValueError, "PyCapsule_SetPointer called with invalid PyCapsule object");
    Py_RETURN_NONE;
}

static PyObject *test_destructor_runs_once(PyObject *m, PyObject *unused) {
    int before = destructor_calls;
    PyObject *c = PyCapsule_New(&payload, "capsule.d", count_destructor);
    if (!c) return NULL;
    Py_INCREF(c);
    Py_DECREF(c);
    CHECK(destructor_calls == before);
    Py_DECREF(c);
    CHECK(destructor_calls == before + 1);
    Py_RETURN_NONE;
}

static PyObject *test_import(PyObject *m, PyObject *unused) {
    void *p = PyCapsule_Import("capsule.api", 0);
    CHECK(p == &payload);
    CHECK(PyCapsule_Import("capsule.not_there", 0) == NULL);
    CHECK(PyErr_ExceptionMatches(PyExc_AttributeError));
    PyErr_Clear();
    /* The attribute exists but is not a capsule of that name. */
    CHECK(PyCapsule_Import("capsule.LIMITED_API", 0) == NULL);
    CHECK_RAISED(PyExc_AttributeError, "PyCapsule_Import \"capsule.LIMITED_API\" is not valid");
    CHECK(PyCapsule_Import("capsule_no_such_module.api", 0) == NULL);
    CHECK(PyErr_ExceptionMatches(PyExc_ImportError));
    PyErr_Clear();
    Py_RETURN_NONE;
}

/* For the Python-level checks: a capsule with the given name (None: no name). */
static PyObject *make(PyObject *m, PyObject *arg) {
    /* The name must outlive the capsule: one static buffer, so one named capsule at a time. */
    static char name[64];
    PyObject *b;
    if (arg == Py_None) return PyCapsule_New(&payload, NULL, NULL);
    if (!PyUnicode_Check(arg)) { PyErr_SetString(PyExc_TypeError, "name must be str or None"); return NULL; }
    b = PyUnicode_AsUTF8String(arg);
    if (!b) return NULL;
    snprintf(name, sizeof name, "%s", PyBytes_AsString(b));
    Py_DECREF(b);
    return PyCapsule_New(&payload, name, NULL);
}

static PyMethodDef methods[] = {
    {"test_new_and_read", test_new_and_read, METH_NOARGS, NULL},
    {"test_setters", test_setters, METH_NOARGS, NULL},
    {"test_invalid_capsules", test_invalid_capsules, METH_NOARGS, NULL},
    {"test_destructor_runs_once", test_destructor_runs_once, METH_NOARGS, NULL},
    {"test_import", test_import, METH_NOARGS, NULL},
    {"make", make, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static int capsule_exec(PyObject *m) {
    PyObject *api = PyCapsule_New(&payload, "capsule.api", NULL);
    if (!api) return -1;
    if (PyModule_AddObject(m, "api", api) < 0) { Py_DECREF(api); return -1; }
    return 0;
}

EXT_TEST_MODULE(capsule, methods, capsule_exec)
