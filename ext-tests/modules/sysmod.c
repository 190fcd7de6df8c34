/*
 * sysmod: sysmodule.h (sys attributes, argv and path, -X and -W options), fileobject.h
 * (writing to and reading from file-like objects), the PyOS_* helpers (number parsing and
 * formatting, case-insensitive comparison, signal handlers, fork hooks, fspath), the
 * interpreter information strings and Py_DecodeLocale/Py_EncodeLocale.
 */
#include "ext_test.h"
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <wchar.h>

/* In the Stable ABI but not (or no longer) in the limited headers. */
PyAPI_FUNC(void) PySys_AddWarnOption(const wchar_t *);
PyAPI_FUNC(void) PySys_AddWarnOptionUnicode(PyObject *);
PyAPI_FUNC(void) PySys_ResetWarnOptions(void);
PyAPI_FUNC(int) PySys_HasWarnOptions(void);
PyAPI_FUNC(void) PySys_SetPath(const wchar_t *);
PyAPI_FUNC(void) PyMem_RawFree(void *);
#if PY_VERSION_HEX >= 0x03070000
PyAPI_FUNC(void) PySys_AddXOption(const wchar_t *);
#endif
PyAPI_FUNC(PyObject *) PyMarshal_WriteObjectToString(PyObject *, int);
PyAPI_FUNC(PyObject *) PyMarshal_ReadObjectFromString(const char *, Py_ssize_t);

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"


static PyObject *test_get_set_object(PyObject *m, PyObject *unused) {
    PyObject *v = PySys_GetObject("version"), *x;
    CHECK(v != NULL && PyUnicode_Check(v));  /* borrowed */
    CHECK(PySys_GetObject("ext_test_no_such_attribute") == NULL && !PyErr_Occurred());
    x = PyLong_FromLong(42);
    if (!x) return NULL;
    CHECK(PySys_SetObject("ext_test_attribute", x) == 0);
    CHECK(PySys_GetObject("ext_test_attribute") == x);
    Py_DECREF(x);
    CHECK(PySys_SetObject("ext_test_attribute", NULL) == 0);
    CHECK(PySys_GetObject("ext_test_attribute") == NULL && !PyErr_Occurred());
    /* Deleting what is not there is not an error. */
    CHECK(PySys_SetObject("ext_test_attribute", NULL) == 0);
    Py_RETURN_NONE;
}

#if PY_VERSION_HEX >= 0x030F0000
static PyObject *test_get_attr(PyObject *m, PyObject *unused) {
    PyObject *name = PyUnicode_FromString("version"), *v, *r = NULL;
    if (!name) return NULL;
    v = PySys_GetAttr(name);
    CHECK(v && v == PySys_GetObject("version"));
    Py_DECREF(v);
    CHECK(PySys_GetOptionalAttr(name, &r) == 1 && r == PySys_GetObject("version"));
    Py_DECREF(r);
    Py_DECREF(name);
    v = PySys_GetAttrString("path");
    CHECK(v && PyList_Check(v));
    Py_DECREF(v);
    CHECK(PySys_GetOptionalAttrString("ext_test_missing", &r) == 0 && r == NULL && !PyErr_Occurred());
    CHECK(PySys_GetAttrString("ext_test_missing") == NULL);
    CHECK_RAISED(PyExc_RuntimeError, "lost sys.ext_test_missing");
    name = PyUnicode_FromString("ext_test_missing");
    CHECK(PySys_GetAttr(name) == NULL);
    CHECK_RAISED(PyExc_RuntimeError, "lost sys.ext_test_missing");
    CHECK(PySys_GetOptionalAttr(name, &r) == 0 && r == NULL && !PyErr_Occurred());
    Py_DECREF(name);
    CHECK(PySys_GetAttr(Py_None) == NULL);
    CHECK_RAISED(PyExc_TypeError, "attribute name must be string, not 'NoneType'");
    CHECK(PySys_GetOptionalAttr(Py_None, &r) == -1 && r == NULL);
    CHECK_RAISED(PyExc_TypeError, "attribute name must be string, not 'NoneType'");
    Py_RETURN_NONE;
}
#endif

static PyObject *test_warn_options(PyObject *m, PyObject *unused) {
    PyObject *o;
    PySys_ResetWarnOptions();
    CHECK(PySys_HasWarnOptions() == 0);
    PySys_AddWarnOption(L"ignore::ResourceWarning");
    CHECK(PySys_HasWarnOptions() == 1);
    o = PySys_GetObject("warnoptions");
    CHECK(o && PyList_Check(o) && PyList_Size(o) == 1 && ext_test_str_eq(PyList_GetItem(o, 0), "ignore::ResourceWarning"));
    o = PyUnicode_FromString("ignore::ImportWarning");
    PySys_AddWarnOptionUnicode(o);
    Py_DECREF(o);
    o = PySys_GetObject("warnoptions");
    CHECK(PyList_Size(o) == 2 && ext_test_str_eq(PyList_GetItem(o, 1), "ignore::ImportWarning"));
    PySys_ResetWarnOptions();
    CHECK(PySys_HasWarnOptions() == 0);
    Py_RETURN_NONE;
}

#if PY_VERSION_HEX >= 0x03070000
static PyObject *test_xoptions(PyObject *m, PyObject *unused) {
    PyObject *d = PySys_GetXOptions(), *v;
    CHECK(d && PyDict_Check(d));  /* borrowed */
    CHECK(d == PySys_GetObject("_xoptions"));
    PySys_AddXOption(L"ext_test_x=on");
    PySys_AddXOption(L"ext_test_flag");
    v = PyDict_GetItemString(d, "ext_test_x");
    CHECK(ext_test_str_eq(v, "on"));
    CHECK(PyDict_GetItemString(d, "ext_test_flag") == Py_True);
    CHECK(PyDict_DelItemString(d, "ext_test_x") == 0 && PyDict_DelItemString(d, "ext_test_flag") == 0);
    Py_RETURN_NONE;
}
#endif

/* sys.path = a copy of `path` (SetArgvEx inserts into the list it finds). */
static int set_path_copy(PyObject *path) {
    PyObject *c = PyList_GetSlice(path, 0, PyList_Size(path));
    int r = c ? PySys_SetObject("path", c) : -1;
    Py_XDECREF(c);
    return r;
}

/* argv and path are put back as they were. */
static PyObject *test_argv_and_path(PyObject *m, PyObject *unused) {
    PyObject *argv = PySys_GetObject("argv"), *path = PySys_GetObject("path"), *a, *p;
    wchar_t *args[] = {L"/ext-test-no-such-dir/sub/script.py", L"-v"};
    wchar_t *dash_c[] = {L"-c"};
    CHECK(argv && path);
    Py_INCREF(argv);
    path = PyList_GetSlice(path, 0, PyList_Size(path));
    if (!path) return NULL;
    PySys_SetArgvEx(2, args, 0);
    a = PySys_GetObject("argv");
    CHECK(a && PyList_Size(a) == 2 && ext_test_str_eq(PyList_GetItem(a, 0), "/ext-test-no-such-dir/sub/script.py") && ext_test_str_eq(PyList_GetItem(a, 1), "-v"));
    CHECK(PyList_Size(PySys_GetObject("path")) == PyList_Size(path));
    PySys_SetArgvEx(2, args, 1);
    p = PySys_GetObject("path");
    CHECK(PyList_Size(p) == PyList_Size(path) + 1 && ext_test_str_eq(PyList_GetItem(p, 0), "/ext-test-no-such-dir/sub"));
    CHECK(set_path_copy(path) == 0);
    PySys_SetArgvEx(1, dash_c, 1);
    p = PySys_GetObject("path");
    CHECK(ext_test_str_eq(PyList_GetItem(p, 0), ""));
    CHECK(ext_test_str_eq(PyList_GetItem(PySys_GetObject("argv"), 0), "-c"));
    CHECK(set_path_copy(path) == 0);
    {
        /* An existing script: its real directory (the driver's folder). */
        PyObject *file = PyObject_GetAttrString(m, "__file__"), *dir;
        wchar_t wfile[4096];
        wchar_t *one[1];
        Py_ssize_t n;
        CHECK(file != NULL);
        n = PyUnicode_AsWideChar(file, wfile, 4095);
        CHECK(n > 0);
        wfile[n] = 0;
        one[0] = wfile;
        dir = PyObject_CallMethod(file, "rpartition", "s", "/");
        Py_DECREF(file);
        CHECK(dir != NULL);
        CHECK(set_path_copy(path) == 0);
        PySys_SetArgvEx(1, one, 1);
        p = PySys_GetObject("path");
        CHECK(PyUnicode_Compare(PyList_GetItem(p, 0), PyTuple_GetItem(dir, 0)) == 0);
        Py_DECREF(dir);
    }
    CHECK(set_path_copy(path) == 0);
    PySys_SetArgvEx(0, NULL, 0);
    a = PySys_GetObject("argv");
    CHECK(PyList_Size(a) == 1 && ext_test_str_eq(PyList_GetItem(a, 0), ""));
    PySys_SetPath(L"/ext-test-a:/ext-test-b");
    p = PySys_GetObject("path");
    CHECK(PyList_Size(p) == 2 && ext_test_str_eq(PyList_GetItem(p, 0), "/ext-test-a") && ext_test_str_eq(PyList_GetItem(p, 1), "/ext-test-b"));
    CHECK(PySys_SetObject("path", path) == 0 && PySys_SetObject("argv", argv) == 0);
    Py_DECREF(path);
    Py_DECREF(argv);
    Py_RETURN_NONE;
}

static PyObject *test_strtol(PyObject *m, PyObject *unused) {
    char *end;
    const char *s;
    CHECK(PyOS_strtol("  -123xyz", &end, 10) == -123 && strcmp(end, "xyz") == 0);
    CHECK(PyOS_strtol("0x1F", &end, 0) == 31 && *end == 0);
    CHECK(PyOS_strtol("0o17", &end, 0) == 15 && *end == 0);
    CHECK(PyOS_strtol("0b101", &end, 0) == 5 && *end == 0);
    CHECK(PyOS_strtol("ff", &end, 16) == 255 && *end == 0);
    CHECK(PyOS_strtol("0xff", &end, 16) == 255 && *end == 0);
    CHECK(PyOS_strtol("zz", &end, 36) == 1295 && *end == 0);
    s = "0x";
    CHECK(PyOS_strtol(s, &end, 0) == 0 && end == s + 1);
    CHECK(PyOS_strtoul("4294967296", &end, 10) == 4294967296UL && *end == 0);
    errno = 0;
    CHECK(PyOS_strtoul("999999999999999999999999", &end, 10) == ULONG_MAX && errno == ERANGE && *end == 0);
    errno = 0;
    CHECK(PyOS_strtol("99999999999999999999", &end, 10) == LONG_MAX && errno == ERANGE);
    errno = 0;
    CHECK(PyOS_strtol("-9223372036854775808", &end, 10) == LONG_MIN && errno == 0);
    CHECK(PyOS_mystricmp("Hello", "hELLO") == 0);
    CHECK(PyOS_mystricmp("abc", "abd") < 0 && PyOS_mystricmp("b", "A") > 0);
    CHECK(PyOS_mystrnicmp("HELLOworld", "helloWORM", 8) == 0);
    CHECK(PyOS_mystrnicmp("HELLOworld", "helloWORM", 9) != 0);
    CHECK(PyOS_mystrnicmp("x", "y", 0) == 0);
    Py_RETURN_NONE;
}

static int double_is(double v, char code, int precision, int flags, const char *expected, int type) {
    int t = -1;
    char *s = PyOS_double_to_string(v, code, precision, flags, &t);
    int ok = s && strcmp(s, expected) == 0 && t == type;
    if (!ok) fprintf(stderr, "double_to_string(%g, %c, %d, %d) = %s (type %d)\n", v, code, precision, flags, s ? s : "NULL", t);
    PyMem_Free(s);
    return ok;
}

static PyObject *test_doubles(PyObject *m, PyObject *unused) {
    char *end;
    const char *s;
    CHECK(double_is(1.5, 'r', 0, 0, "1.5", 0));
    CHECK(double_is(1.0, 'r', 0, 0, "1", 0));
    CHECK(double_is(1.0, 'r', 0, Py_DTSF_ADD_DOT_0, "1.0", 0));
    CHECK(double_is(0.1, 'r', 0, Py_DTSF_SIGN, "+0.1", 0));
    CHECK(double_is(1e22, 'r', 0, 0, "1e+22", 0));
    CHECK(double_is(3.14159, 'f', 2, 0, "3.14", 0));
    CHECK(double_is(1234.5, 'e', 3, 0, "1.234e+03", 0));
    CHECK(double_is(1234.5, 'E', 1, 0, "1.2E+03", 0));
    CHECK(double_is(0.00001234, 'g', 3, 0, "1.23e-05", 0));
    CHECK(double_is(2.0, 'g', 3, Py_DTSF_ALT, "2.00", 0));
    CHECK(double_is(2.0, 'g', 3, Py_DTSF_ADD_DOT_0, "2.0", 0));
    CHECK(double_is(Py_HUGE_VAL, 'r', 0, 0, "inf", 1));
    CHECK(double_is(-Py_HUGE_VAL, 'f', 2, 0, "-inf", 1));
    CHECK(double_is(Py_HUGE_VAL, 'F', 2, 0, "INF", 1));
    CHECK(PyOS_double_to_string(1.0, 'r', 3, 0, NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError, NULL);
    CHECK(PyOS_double_to_string(1.0, 'x', 3, 0, NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError, NULL);

    CHECK(PyOS_string_to_double("1.5", NULL, NULL) == 1.5);
    CHECK(PyOS_string_to_double("-1e3", NULL, NULL) == -1000.0);
    CHECK(PyOS_string_to_double("inf", NULL, NULL) == Py_HUGE_VAL);
    CHECK(PyOS_string_to_double("-Infinity", NULL, NULL) == -Py_HUGE_VAL);
    CHECK(PyOS_string_to_double("2.5abc", &end, NULL) == 2.5 && strcmp(end, "abc") == 0);
    CHECK(PyOS_string_to_double("2.5abc", NULL, NULL) == -1.0);
    CHECK_RAISED(PyExc_ValueError, "could not convert string to float: '2.5abc'");
    s = "abc";
    CHECK(PyOS_string_to_double(s, &end, NULL) == -1.0 && end == s);
    CHECK_RAISED(PyExc_ValueError, "could not convert string to float: 'abc'");
    CHECK(PyOS_string_to_double(" 1", NULL, NULL) == -1.0);
    CHECK_RAISED(PyExc_ValueError, "could not convert string to float: ' 1'");
    CHECK(PyOS_string_to_double("1e999", NULL, NULL) == Py_HUGE_VAL && !PyErr_Occurred());
    CHECK(PyOS_string_to_double("-1e999", NULL, PyExc_OverflowError) == -1.0);
    CHECK_RAISED(PyExc_OverflowError, "value too large to convert to float: '-1e999'");
    Py_RETURN_NONE;
}

static void ext_test_handler(int sig) { (void)sig; }

static PyObject *test_signals_and_fork_hooks(PyObject *m, PyObject *unused) {
    PyOS_sighandler_t old = PyOS_getsig(SIGUSR2), prev;
    prev = PyOS_setsig(SIGUSR2, ext_test_handler);
    CHECK(prev == old);
    CHECK(PyOS_getsig(SIGUSR2) == ext_test_handler);
    prev = PyOS_setsig(SIGUSR2, SIG_IGN);
    CHECK(prev == ext_test_handler && PyOS_getsig(SIGUSR2) == SIG_IGN);
    PyOS_setsig(SIGUSR2, old);
    CHECK(PyOS_getsig(SIGUSR2) == old);
    CHECK(PyOS_InterruptOccurred() == 0);
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03070000
    /* Around a fork that did not happen: a balanced pair. */
    PyOS_BeforeFork();
    PyOS_AfterFork_Parent();
#endif
    CHECK(!PyErr_Occurred());
    Py_RETURN_NONE;
}

static PyObject *test_fspath(PyObject *m, PyObject *unused) {
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03060000
    PyObject *s = PyUnicode_FromString("/x"), *r;
    if (!s) return NULL;
    r = PyOS_FSPath(s);
    CHECK(r == s);
    Py_DECREF(r);
    Py_DECREF(s);
    CHECK(PyOS_FSPath(Py_None) == NULL);
    CHECK_RAISED(PyExc_TypeError, "expected str, bytes or os.PathLike object, not NoneType");
#endif
    Py_RETURN_NONE;
}

static PyObject *test_info_strings(PyObject *m, PyObject *unused) {
    PyObject *v = PySys_GetObject("version"), *b;
    const char *version;
    CHECK(strcmp(Py_GetPlatform(), "linux") == 0);
    CHECK(strncmp(Py_GetCopyright(), "Copyright", 9) == 0);
    b = PyUnicode_AsUTF8String(v);
    if (!b) return NULL;
    version = PyBytes_AsString(b);
    /* sys.version is "<version> (<build info>) <compiler>". */
    CHECK(strstr(version, Py_GetBuildInfo()) != NULL && strlen(Py_GetBuildInfo()) > 0);
    CHECK(strstr(version, Py_GetCompiler()) != NULL && Py_GetCompiler()[0] == '[');
    Py_DECREF(b);
    Py_RETURN_NONE;
}

static PyObject *test_locale(PyObject *m, PyObject *unused) {
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03070000
    size_t n = 0, pos = 0;
    wchar_t *w = Py_DecodeLocale("a\xc3\xa9\xff", &n);
    char *s;
    const wchar_t bad[] = {L'a', 0xd800, 0};
    CHECK(w != NULL && n == 3 && w[0] == L'a' && w[1] == 0xe9 && w[2] == 0xdcff && w[3] == 0);
    s = Py_EncodeLocale(w, &pos);
    CHECK(s != NULL && strcmp(s, "a\xc3\xa9\xff") == 0);
    PyMem_Free(s);
    PyMem_RawFree(w);
    CHECK(Py_EncodeLocale(bad, &pos) == NULL && pos == 1);
#endif
    Py_RETURN_NONE;
}

/* write_to(file, obj): PyFile_WriteString, PyFile_WriteObject raw and repr. */
static PyObject *write_to(PyObject *m, PyObject *args) {
    PyObject *f, *o;
    if (!PyArg_ParseTuple(args, "OO", &f, &o)) return NULL;
    if (PyFile_WriteString("s:", f) < 0) return NULL;
    if (PyFile_WriteObject(o, f, Py_PRINT_RAW) < 0) return NULL;
    if (PyFile_WriteString("|", f) < 0) return NULL;
    if (PyFile_WriteObject(o, f, 0) < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *get_line(PyObject *m, PyObject *args) {
    PyObject *f;
    int n;
    if (!PyArg_ParseTuple(args, "Oi", &f, &n)) return NULL;
    return PyFile_GetLine(f, n);
}

static PyObject *test_file_errors(PyObject *m, PyObject *unused) {
    CHECK(PyFile_WriteObject(Py_None, NULL, 0) == -1);
    CHECK_RAISED(PyExc_TypeError, "writeobject with NULL file");
    CHECK(PyFile_WriteString("x", NULL) == -1);
    CHECK_RAISED(PyExc_SystemError, "null file for PyFile_WriteString");
    CHECK(PyFile_WriteString("x", Py_None) == -1);
    CHECK_RAISED(PyExc_AttributeError, NULL);
    Py_RETURN_NONE;
}

/* CPython's bytes for (None, True, 1000000, -2**31-1, 1.5, "ab\u20ac", b"xy", [1], {"k": 2},
 * frozenset({3, 4}), 2**100) with version 2 (no references). */
static const char marshal_v2[] =
    "\x28\x0b\x00\x00\x00\x4e\x54\x69\x40\x42\x0f\x00\x6c\xfd\xff\xff\xff\x01\x00\x00\x00\x02\x00\x67\x00"
    "\x00\x00\x00\x00\x00\xf8\x3f\x75\x05\x00\x00\x00\x61\x62\xe2\x82\xac\x73\x02\x00\x00\x00\x78\x79\x5b"
    "\x01\x00\x00\x00\x69\x01\x00\x00\x00\x7b\x75\x01\x00\x00\x00\x6b\x69\x02\x00\x00\x00\x30\x3e\x02"
    "\x00\x00\x00\x69\x03\x00\x00\x00\x69\x04\x00\x00\x00\x6c\x07\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x04";

static PyObject *test_marshal(PyObject *m, PyObject *unused) {
    PyObject *big = PyLong_FromString("1267650600228229401496703205376", NULL, 10), *v, *b, *r, *s, *l;
    if (!big) return NULL;
    v = Py_BuildValue("(OOlLdNN[i]{s:i}NO)", Py_None, Py_True, 1000000L, -2147483649LL, 1.5, PyUnicode_FromString("ab\xe2\x82\xac"),
                      PyBytes_FromStringAndSize("xy", 2), 1, "k", 2, PyFrozenSet_New(NULL), big);
    Py_DECREF(big);
    if (!v) return NULL;
    /* Fill the frozenset (empty ones are shared singletons in some versions: build it here). */
    {
        PyObject *items = Py_BuildValue("[ii]", 4, 3), *fs;
        if (!items) return NULL;
        fs = PyFrozenSet_New(items);
        Py_DECREF(items);
        if (!fs) return NULL;
        r = PyTuple_New(11);
        if (!r) return NULL;
        {
            Py_ssize_t i;
            for (i = 0; i < 11; i++) {
                PyObject *item = i == 9 ? fs : PyTuple_GetItem(v, i);
                Py_INCREF(item);
                PyTuple_SetItem(r, i, item);
            }
        }
        Py_DECREF(fs);
        Py_DECREF(v);
        v = r;
    }
    b = PyMarshal_WriteObjectToString(v, 2);
    CHECK(b && PyBytes_Check(b) && PyBytes_Size(b) == (Py_ssize_t)sizeof(marshal_v2) - 1);
    CHECK(memcmp(PyBytes_AsString(b), marshal_v2, sizeof(marshal_v2) - 1) == 0);
    r = PyMarshal_ReadObjectFromString(PyBytes_AsString(b), PyBytes_Size(b));
    CHECK(r && PyObject_RichCompareBool(r, v, Py_EQ) == 1);
    Py_DECREF(r);
    Py_DECREF(b);
    /* Version 4: compact forms, and references for objects held more than once. */
    b = PyMarshal_WriteObjectToString(v, 4);
    r = b ? PyMarshal_ReadObjectFromString(PyBytes_AsString(b), PyBytes_Size(b)) : NULL;
    CHECK(r && PyObject_RichCompareBool(r, v, Py_EQ) == 1);
    Py_XDECREF(r);
    Py_XDECREF(b);
    Py_DECREF(v);
    s = PyUnicode_FromString("hello world");
    l = PyList_New(0);
    if (!s || !l || PyList_Append(l, s) < 0 || PyList_Append(l, s) < 0) return NULL;
    b = PyMarshal_WriteObjectToString(l, 4);
    CHECK(b && PyBytes_Size(b) == 23 && memcmp(PyBytes_AsString(b), "[\x02\0\0\0\xfa\x0bhello worldr\0\0\0\0", 23) == 0);
    r = PyMarshal_ReadObjectFromString(PyBytes_AsString(b), PyBytes_Size(b));
    CHECK(r && PyList_Check(r) && PyList_GetItem(r, 0) == PyList_GetItem(r, 1));
    Py_XDECREF(r);
    Py_XDECREF(b);
    Py_DECREF(l);
    Py_DECREF(s);
    /* Errors. */
    CHECK(PyMarshal_WriteObjectToString(PyExc_TypeError, 4) == NULL);
    CHECK_RAISED(PyExc_ValueError, "unmarshallable object");
    CHECK(PyMarshal_ReadObjectFromString("", 0) == NULL);
    CHECK_RAISED(PyExc_EOFError, "EOF read where object expected");
    CHECK(PyMarshal_ReadObjectFromString("i\x01", 2) == NULL);
    CHECK_RAISED(PyExc_EOFError, "marshal data too short");
    CHECK(PyMarshal_ReadObjectFromString("?", 1) == NULL);
    CHECK_RAISED(PyExc_ValueError, "bad marshal data (unknown type code)");
    CHECK(PyMarshal_ReadObjectFromString("r\x05\0\0\0", 5) == NULL);
    CHECK_RAISED(PyExc_ValueError, "bad marshal data (invalid reference)");
    CHECK(PyMarshal_ReadObjectFromString("0", 1) == NULL);
    CHECK_RAISED(PyExc_TypeError, "NULL object in marshal data for object");
    /* Trailing data is ignored. */
    r = PyMarshal_ReadObjectFromString("NN", 2);
    CHECK(r == Py_None);
    Py_DECREF(r);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"test_marshal", test_marshal, METH_NOARGS, NULL},
    {"test_get_set_object", test_get_set_object, METH_NOARGS, NULL},
#if PY_VERSION_HEX >= 0x030F0000
    {"test_get_attr", test_get_attr, METH_NOARGS, NULL},
#endif
    {"test_warn_options", test_warn_options, METH_NOARGS, NULL},
#if PY_VERSION_HEX >= 0x03070000
    {"test_xoptions", test_xoptions, METH_NOARGS, NULL},
#endif
    {"test_argv_and_path", test_argv_and_path, METH_NOARGS, NULL},
    {"test_strtol", test_strtol, METH_NOARGS, NULL},
    {"test_doubles", test_doubles, METH_NOARGS, NULL},
    {"test_signals_and_fork_hooks", test_signals_and_fork_hooks, METH_NOARGS, NULL},
    {"test_fspath", test_fspath, METH_NOARGS, NULL},
    {"test_info_strings", test_info_strings, METH_NOARGS, NULL},
    {"test_locale", test_locale, METH_NOARGS, NULL},
    {"test_file_errors", test_file_errors, METH_NOARGS, NULL},
    {"write_to", write_to, METH_VARARGS, NULL},
    {"getline", get_line, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *m) { return 0; }

EXT_TEST_MODULE(sysmod, methods, exec_module)
