/*
 * ext_test.h: what every ext-test area module shares.
 *
 *   CHECK(cond)                 fail the current test_* function with AssertionError
 *   CHECK_RAISED(type, "msg")   the current exception is `type` with str() == msg; clears it
 *   ext_test_str_eq(o, "text")  `o` is a str equal to the UTF-8 text
 *   EXT_TEST_MODULE(name, methods, exec)
 *                               defines the module `name` with the PyMethodDef array `methods`
 *                               and `int exec(PyObject *m)` run at import: PyModExport_<name>
 *                               for 3.15 targets (abi3t builds cannot use PyModuleDef), else a
 *                               single-phase PyInit_<name>. The module gets LIMITED_API (the
 *                               Py_LIMITED_API value, 0 for abi3t/unlimited builds).
 *
 * Only C and the Stable ABI: these modules must build with every header set from 3.6 to 3.15
 * (so text comes out through PyUnicode_AsUTF8String, which every limited API version has).
 */
#ifndef EXT_TEST_H
#define EXT_TEST_H
#include <Python.h>
#include <stdio.h>
#include <string.h>

#define CHECK(cond) do { if (!(cond)) { \
    if (!PyErr_Occurred()) PyErr_Format(PyExc_AssertionError, "%s:%d: %s", __FILE__, __LINE__, #cond); \
    else ext_test_chain(__FILE__, __LINE__, #cond); \
    return NULL; } } while (0)

#define CHECK_RAISED(type, msg) CHECK(ext_test_raised((type), (msg)))

/* CHECK failed with an exception set: report it, with the failed condition, as AssertionError. */
#if defined(__GNUC__)
#define EXT_TEST_MAYBE_UNUSED __attribute__((unused))
#else
#define EXT_TEST_MAYBE_UNUSED
#endif

EXT_TEST_MAYBE_UNUSED static void ext_test_chain(const char *file, int line, const char *cond) {
    PyObject *t, *v, *tb, *s, *b = NULL;
    PyErr_Fetch(&t, &v, &tb);
    PyErr_NormalizeException(&t, &v, &tb);
    s = v ? PyObject_Repr(v) : NULL;
    if (s) b = PyUnicode_AsUTF8String(s);
    PyErr_Clear();
    PyErr_Format(PyExc_AssertionError, "%s:%d: %s (with %s set)", file, line, cond, b ? PyBytes_AsString(b) : "?");
    Py_XDECREF(b); Py_XDECREF(s); Py_XDECREF(t); Py_XDECREF(v); Py_XDECREF(tb);
}

/* The current exception is `type` with str() == msg (or msg is NULL); clears it either way.
 * A mismatch is printed to stderr. */
EXT_TEST_MAYBE_UNUSED static int ext_test_raised(PyObject *type, const char *msg) {
    PyObject *t, *v, *tb, *s = NULL, *b = NULL;
    const char *text = NULL;
    int ok;
    if (!PyErr_Occurred()) { fprintf(stderr, "no exception set\n"); return 0; }
    ok = PyErr_ExceptionMatches(type);
    PyErr_Fetch(&t, &v, &tb);
    PyErr_NormalizeException(&t, &v, &tb);
    if (v) s = PyObject_Str(v);
    if (s) b = PyUnicode_AsUTF8String(s);
    if (b) text = PyBytes_AsString(b);
    if (ok && msg) ok = text && strcmp(text, msg) == 0;
    if (!ok) fprintf(stderr, "ext_test_raised: a different exception was raised: %s\n", text ? text : "?");
    Py_XDECREF(b); Py_XDECREF(s); Py_XDECREF(t); Py_XDECREF(v); Py_XDECREF(tb);
    PyErr_Clear();
    return ok;
}

/* 1 if `o` is a str equal to the UTF-8 text `s` (`o` borrowed; NULL is not equal). */
EXT_TEST_MAYBE_UNUSED static int ext_test_str_eq(PyObject *o, const char *s) {
    PyObject *e;
    int r;
    if (!o || !PyUnicode_Check(o)) return 0;
    e = PyUnicode_FromString(s);
    if (!e) return 0;
    r = PyUnicode_Compare(o, e) == 0;
    Py_DECREF(e);
    return r;
}

/* sys.hexversion of the running interpreter (CPython's behaviour differs between versions;
 * Pyrite follows 3.15's). */
EXT_TEST_MAYBE_UNUSED static long ext_test_runtime_hexversion(void) {
    PyObject *sys = PyImport_ImportModule("sys"), *v;
    long r = -1;
    if (!sys) return -1;
    v = PyObject_GetAttrString(sys, "hexversion");
    if (v) r = PyLong_AsLong(v);
    Py_XDECREF(v);
    Py_DECREF(sys);
    return r;
}

static int ext_test_limited_api(void) {
#ifdef Py_LIMITED_API
    return Py_LIMITED_API;
#else
    return 0;
#endif
}

#if defined(Py_TARGET_ABI3T) || (defined(Py_LIMITED_API) && Py_LIMITED_API+0 >= 0x030F0000)
#define EXT_TEST_MODULE(name, methods, exec) \
    static int ext_test_exec(PyObject *m) { \
        if (PyModule_AddIntConstant(m, "LIMITED_API", ext_test_limited_api()) < 0) return -1; \
        return exec(m); \
    } \
    PyABIInfo_VAR(ext_test_abi_info); \
    static PySlot ext_test_slots[] = { \
        PySlot_STATIC_DATA(Py_mod_abi, &ext_test_abi_info), \
        PySlot_STATIC_DATA(Py_mod_name, #name), \
        PySlot_FUNC(Py_mod_exec, ext_test_exec), \
        PySlot_STATIC_DATA(Py_mod_methods, methods), \
        PySlot_END, \
    }; \
    PyMODEXPORT_FUNC PyModExport_##name(void) { return ext_test_slots; }
#else
#define EXT_TEST_MODULE(name, methods, exec) \
    static struct PyModuleDef ext_test_def = {PyModuleDef_HEAD_INIT, #name, NULL, -1, methods, NULL, NULL, NULL, NULL}; \
    PyMODINIT_FUNC PyInit_##name(void) { \
        PyObject *m = PyModule_Create(&ext_test_def); \
        if (!m) return NULL; \
        if (PyModule_AddIntConstant(m, "LIMITED_API", ext_test_limited_api()) < 0 || exec(m) < 0) { Py_DECREF(m); return NULL; } \
        return m; \
    }
#endif

#endif
