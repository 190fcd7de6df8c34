/*
 * ob_args: modsupport.h's argument parsing and value building — PyArg_Parse,
 * PyArg_ParseTupleAndKeywords, PyArg_UnpackTuple, PyArg_ValidateKeywordArguments, the va_list
 * forms (PyArg_VaParse, PyArg_VaParseTupleAndKeywords, Py_VaBuildValue) — and
 * PyObject_CallFunction/CallMethod. Built with PY_SSIZE_T_CLEAN and headers before 3.13, the
 * calls go to the `_SizeT` names (`_PyArg_ParseTuple_SizeT`, `_Py_BuildValue_SizeT`,
 * `_PyObject_CallFunction_SizeT`, ...), whose '#' lengths are Py_ssize_t; without it, to the
 * plain names, which CPython 3.10+ only accepts without '#' formats.
 */
#include "ext_test.h"
#include <stdarg.h>

/* '#' formats work: the _SizeT names, or 3.13+ headers where the plain names are Py_ssize_t. */
#if defined(PY_SSIZE_T_CLEAN) || PY_VERSION_HEX >= 0x030D0000
#define HASH_FORMATS 1
#else
#define HASH_FORMATS 0
#endif

static char *kwlist[] = {"a", "b", "c", NULL};

static int vparse(PyObject *args, const char *format, ...) {
    va_list va;
    int r;
    va_start(va, format);
    r = PyArg_VaParse(args, format, va);
    va_end(va);
    return r;
}

static int vparse_kw(PyObject *args, PyObject *kw, const char *format, ...) {
    va_list va;
    int r;
    va_start(va, format);
    r = PyArg_VaParseTupleAndKeywords(args, kw, format, kwlist, va);
    va_end(va);
    return r;
}

static PyObject *vbuild(const char *format, ...) {
    va_list va;
    PyObject *r;
    va_start(va, format);
    r = Py_VaBuildValue(format, va);
    va_end(va);
    return r;
}

static PyObject *test_parse_tuple(PyObject *m, PyObject *unused) {
    PyObject *args = Py_BuildValue("(isd)", 3, "txt", 1.5), *o = NULL;
    int i = 0;
    const char *text = NULL;
    double d = 0;
    CHECK(args && PyTuple_Size(args) == 3);
    CHECK(PyArg_ParseTuple(args, "isd", &i, &text, &d) == 1);
    CHECK(i == 3 && strcmp(text, "txt") == 0 && d == 1.5);
    CHECK(PyArg_ParseTuple(args, "O|OO", &o, &o, &o) == 1 && o == PyTuple_GetItem(args, 2));
    CHECK(PyArg_ParseTuple(args, "ii:f", &i, &i) == 0);
    CHECK_RAISED(PyExc_TypeError, "f() takes exactly 2 arguments (3 given)");
    CHECK(PyArg_ParseTuple(args, "iid", &i, &i, &d) == 0);
    CHECK_RAISED(PyExc_TypeError, "'str' object cannot be interpreted as an integer");
    CHECK(PyArg_ParseTuple(args, "is", &i, &text) == 0);
    CHECK_RAISED(PyExc_TypeError, "function takes exactly 2 arguments (3 given)");
    CHECK(PyArg_ParseTuple(args, "iss", &i, &text, &text) == 0);
    CHECK_RAISED(PyExc_TypeError, "argument 3 must be str, not float");
#if HASH_FORMATS
    {
        Py_ssize_t n = -1;
        PyObject *b = Py_BuildValue("(y#)", "a\0b", (Py_ssize_t)3);
        const char *p = NULL;
        CHECK(b && PyBytes_Size(PyTuple_GetItem(b, 0)) == 3);
        CHECK(PyArg_ParseTuple(b, "y#", &p, &n) == 1 && n == 3 && p[2] == 'b');
        Py_DECREF(b);
    }
#endif
    Py_DECREF(args);
    Py_RETURN_NONE;
}

static PyObject *test_parse(PyObject *m, PyObject *unused) {
    PyObject *n = PyLong_FromLong(42), *pair = Py_BuildValue("(ii)", 1, 2), *s = PyUnicode_FromString("x");
    int x = 0, a = 0, b = 0;
    CHECK(n && pair && s);
    /* PyArg_Parse takes one object, not an argument tuple. */
    CHECK(PyArg_Parse(n, "i", &x) == 1 && x == 42);
    CHECK(PyArg_Parse(pair, "(ii)", &a, &b) == 1 && a == 1 && b == 2);
    CHECK(PyArg_Parse(s, "i", &x) == 0);
    CHECK_RAISED(PyExc_TypeError, "'str' object cannot be interpreted as an integer");
    Py_DECREF(s);
    Py_DECREF(pair);
    Py_DECREF(n);
    Py_RETURN_NONE;
}

static PyObject *test_parse_keywords(PyObject *m, PyObject *unused) {
    PyObject *args = Py_BuildValue("(i)", 1), *kw = Py_BuildValue("{ss}", "c", "x"), *empty = PyTuple_New(0), *bad;
    int a = 0;
    long b = 5;
    const char *c = NULL;
    long version = ext_test_runtime_hexversion();
    CHECK(args && kw && empty);
    CHECK(PyArg_ParseTupleAndKeywords(args, kw, "i|l$s:f", kwlist, &a, &b, &c) == 1);
    CHECK(a == 1 && b == 5 && c && strcmp(c, "x") == 0);
    CHECK(PyArg_ParseTupleAndKeywords(empty, kw, "i|l$s:f", kwlist, &a, &b, &c) == 0);
    CHECK_RAISED(PyExc_TypeError, "f() missing required argument 'a' (pos 1)");
    bad = Py_BuildValue("{si}", "nonexistent_option", 1);
    CHECK(PyArg_ParseTupleAndKeywords(args, bad, "i|l$s:f", kwlist, &a, &b, &c) == 0);
    CHECK_RAISED(PyExc_TypeError, version >= 0x030D0000
        ? "f() got an unexpected keyword argument 'nonexistent_option'"
        : "'nonexistent_option' is an invalid keyword argument for f()");
    Py_DECREF(bad);
    /* Keyword-only (after $) cannot be passed by position. */
    bad = Py_BuildValue("(iis)", 1, 2, "z");
    CHECK(PyArg_ParseTupleAndKeywords(bad, NULL, "i|l$s:f", kwlist, &a, &b, &c) == 0);
    CHECK_RAISED(PyExc_TypeError, "f() takes at most 2 positional arguments (3 given)");
    Py_DECREF(bad);
    /* The va_list form, with the same kwlist. */
    b = 0;
    CHECK(vparse_kw(empty, kw, "|il$s", &a, &b, &c) == 1 && strcmp(c, "x") == 0 && b == 0);
    Py_DECREF(kw);
    kw = Py_BuildValue("{si}", "b", 9);
    CHECK(vparse_kw(args, kw, "i|l$s", &a, &b, &c) == 1 && a == 1 && b == 9);
    Py_DECREF(empty);
    Py_DECREF(kw);
    Py_DECREF(args);
    Py_RETURN_NONE;
}

static PyObject *test_vaparse(PyObject *m, PyObject *unused) {
    PyObject *args = Py_BuildValue("(si)", "v", 7), *o = NULL;
    const char *s = NULL;
    int i = 0;
    CHECK(args);
    CHECK(vparse(args, "si", &s, &i) == 1 && strcmp(s, "v") == 0 && i == 7);
    CHECK(vparse(args, "O|i", &o, &i) == 1 && o == PyTuple_GetItem(args, 0));
    CHECK(vparse(args, "ss:g", &s, &s) == 0);
    CHECK_RAISED(PyExc_TypeError, "g() argument 2 must be str, not int");
    Py_DECREF(args);
    Py_RETURN_NONE;
}

static PyObject *test_unpack_tuple(PyObject *m, PyObject *unused) {
    PyObject *args = Py_BuildValue("(is)", 1, "x"), *a = NULL, *b = NULL, *c = NULL, *big, *empty = PyTuple_New(0);
    CHECK(args && empty);
    CHECK(PyArg_UnpackTuple(args, "g", 1, 3, &a, &b, &c) == 1);
    /* Borrowed references to the items; the unfilled optional stays as it was. */
    CHECK(a == PyTuple_GetItem(args, 0) && b == PyTuple_GetItem(args, 1) && c == NULL);
    CHECK(PyArg_UnpackTuple(empty, "g", 1, 3, &a, &b, &c) == 0);
    CHECK_RAISED(PyExc_TypeError, "g expected at least 1 argument, got 0");
    big = Py_BuildValue("(iiii)", 1, 2, 3, 4);
    CHECK(PyArg_UnpackTuple(big, "g", 1, 3, &a, &b, &c) == 0);
    CHECK_RAISED(PyExc_TypeError, "g expected at most 3 arguments, got 4");
    CHECK(PyArg_UnpackTuple(empty, "g", 0, 0) == 1);
    Py_DECREF(big);
    Py_DECREF(empty);
    Py_DECREF(args);
    Py_RETURN_NONE;
}

static PyObject *test_validate_keywords(PyObject *m, PyObject *unused) {
    PyObject *good = Py_BuildValue("{si}", "a", 1), *bad = Py_BuildValue("{ii}", 1, 1);
    CHECK(good && bad);
    CHECK(PyArg_ValidateKeywordArguments(good) == 1);
    CHECK(PyArg_ValidateKeywordArguments(bad) == 0);
    CHECK_RAISED(PyExc_TypeError, "keywords must be strings");
    /* Not a dict: a bad internal call. */
    CHECK(PyArg_ValidateKeywordArguments(Py_None) == 0);
    CHECK_RAISED(PyExc_SystemError, NULL);
    Py_DECREF(bad);
    Py_DECREF(good);
    Py_RETURN_NONE;
}

static PyObject *test_build_value(PyObject *m, PyObject *unused) {
    PyObject *o = Py_BuildValue("(is)", 4, "four"), *r, *x = PyLong_FromLong(123456);
    CHECK(o && PyTuple_Size(o) == 2 && ext_test_str_eq(PyTuple_GetItem(o, 1), "four"));
    Py_DECREF(o);
    r = vbuild("[iO]", 1, x);
    CHECK(r && PyList_Check(r) && PyList_GetItem(r, 1) == x);
    Py_DECREF(r);
    /* N steals: x keeps one reference fewer (the list holds the one we give up). */
    Py_INCREF(x);
    r = vbuild("(N)", x);
    CHECK(r && PyTuple_GetItem(r, 0) == x);
    Py_DECREF(r);
    r = vbuild("s", NULL);
    CHECK(r == Py_None);
    Py_DECREF(r);
    r = vbuild("{s:i}", "k", 2);
    CHECK(r && PyDict_Check(r) && PyDict_Size(r) == 1);
    Py_DECREF(r);
    CHECK(vbuild("(iO)", 1, NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError, "NULL object passed to Py_BuildValue");
#if HASH_FORMATS
    r = vbuild("s#", "abcdef", (Py_ssize_t)3);
    CHECK(ext_test_str_eq(r, "abc"));
    Py_DECREF(r);
    r = Py_BuildValue("(y#i)", "xyz", (Py_ssize_t)2, 5);
    CHECK(r && PyBytes_Size(PyTuple_GetItem(r, 0)) == 2 && PyLong_AsLong(PyTuple_GetItem(r, 1)) == 5);
    Py_DECREF(r);
#endif
    Py_DECREF(x);
    Py_RETURN_NONE;
}

static PyObject *test_call_function(PyObject *m, PyObject *unused) {
    PyObject *str_type = (PyObject *)&PyUnicode_Type, *r, *s;
    r = PyObject_CallFunction(str_type, "i", 12);
    CHECK(ext_test_str_eq(r, "12"));
    Py_DECREF(r);
    r = PyObject_CallFunction(str_type, NULL);
    CHECK(ext_test_str_eq(r, ""));
    Py_DECREF(r);
    s = PyUnicode_FromString("a-b-c");
    r = PyObject_CallMethod(s, "split", "s", "-");
    CHECK(r && PyList_Check(r) && PyList_Size(r) == 3);
    Py_DECREF(r);
    r = PyObject_CallMethod(s, "count", "(s)", "-");
    CHECK(r && PyLong_AsLong(r) == 2);
    Py_DECREF(r);
    CHECK(PyObject_CallMethod(s, "no_such_method", NULL) == NULL);
    CHECK_RAISED(PyExc_AttributeError, "'str' object has no attribute 'no_such_method'");
#if HASH_FORMATS
    r = PyObject_CallMethod(s, "replace", "s#s", "-b-", (Py_ssize_t)1, "+");
    CHECK(ext_test_str_eq(r, "a+b+c"));
    Py_DECREF(r);
    r = PyObject_CallFunction(str_type, "y#s", "h\xc3\xa9!", (Py_ssize_t)3, "utf-8");
    CHECK(ext_test_str_eq(r, "h\xc3\xa9"));
    Py_DECREF(r);
#endif
    Py_DECREF(s);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"test_parse_tuple", test_parse_tuple, METH_NOARGS, NULL},
    {"test_parse", test_parse, METH_NOARGS, NULL},
    {"test_parse_keywords", test_parse_keywords, METH_NOARGS, NULL},
    {"test_vaparse", test_vaparse, METH_NOARGS, NULL},
    {"test_unpack_tuple", test_unpack_tuple, METH_NOARGS, NULL},
    {"test_validate_keywords", test_validate_keywords, METH_NOARGS, NULL},
    {"test_build_value", test_build_value, METH_NOARGS, NULL},
    {"test_call_function", test_call_function, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *m) {
    return PyModule_AddIntConstant(m, "HASH_FORMATS", HASH_FORMATS);
}

EXT_TEST_MODULE(ob_args, methods, exec_module)
