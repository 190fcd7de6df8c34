/*
 * rt_errors: pyerrors.h and the error-reporting corners of the runtime — every built-in
 * exception class as a PyExc_* data symbol, the PyErr_* raising helpers (errno, import
 * errors, formatting, bad arguments), the handled and raised exception accessors,
 * PyException_* attributes, syntax locations and program text, interrupts, printing and
 * displaying exceptions (PyErr_Print*, PyErr_Display*, PyTraceBack_Print), unraisable
 * exceptions, warnings, PySys_Write{Stdout,Stderr} and PySys_Format{Stdout,Stderr}, and audit events.
 */
#include "ext_test.h"
#include <errno.h>
#include <stdarg.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

/* Not declared by every header set used here, but in the Stable ABI. */
PyAPI_FUNC(void) _PyErr_BadInternalCall(const char *filename, int lineno);

struct exc_entry {
    const char *name, *base;
    PyObject *type;
};

#define E(name, base) {#name, #base, PyExc_##name}

/* Each PyExc_* is the builtins class of its name, a subclass of its documented base. */
static PyObject *test_exception_classes(PyObject *m, PyObject *unused) {
    struct exc_entry table[] = {
        E(BaseException, BaseException), E(Exception, BaseException),
        E(StopIteration, Exception), E(GeneratorExit, BaseException),
        E(ArithmeticError, Exception), E(LookupError, Exception), E(AssertionError, Exception),
        E(AttributeError, Exception), E(BufferError, Exception), E(EOFError, Exception),
        E(FloatingPointError, ArithmeticError), E(OSError, Exception), E(ImportError, Exception),
        E(IndexError, LookupError), E(KeyError, LookupError), E(KeyboardInterrupt, BaseException),
        E(MemoryError, Exception), E(NameError, Exception), E(OverflowError, ArithmeticError),
        E(RuntimeError, Exception), E(NotImplementedError, RuntimeError), E(SyntaxError, Exception),
        E(IndentationError, SyntaxError), E(TabError, IndentationError), E(ReferenceError, Exception),
        E(SystemError, Exception), E(SystemExit, BaseException), E(TypeError, Exception),
        E(UnboundLocalError, NameError), E(UnicodeError, ValueError),
        E(UnicodeEncodeError, UnicodeError), E(UnicodeDecodeError, UnicodeError),
        E(UnicodeTranslateError, UnicodeError), E(ValueError, Exception),
        E(ZeroDivisionError, ArithmeticError),
        E(Warning, Exception), E(UserWarning, Warning), E(DeprecationWarning, Warning),
        E(PendingDeprecationWarning, Warning), E(SyntaxWarning, Warning), E(RuntimeWarning, Warning),
        E(FutureWarning, Warning), E(ImportWarning, Warning), E(UnicodeWarning, Warning),
        E(BytesWarning, Warning), E(ResourceWarning, Warning),
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03030000
        E(BlockingIOError, OSError), E(BrokenPipeError, ConnectionError), E(ChildProcessError, OSError),
        E(ConnectionError, OSError), E(ConnectionAbortedError, ConnectionError),
        E(ConnectionRefusedError, ConnectionError), E(ConnectionResetError, ConnectionError),
        E(FileExistsError, OSError), E(FileNotFoundError, OSError), E(InterruptedError, OSError),
        E(IsADirectoryError, OSError), E(NotADirectoryError, OSError), E(PermissionError, OSError),
        E(ProcessLookupError, OSError), E(TimeoutError, OSError),
#endif
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03050000
        E(StopAsyncIteration, Exception), E(RecursionError, RuntimeError),
#endif
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03060000
        E(ModuleNotFoundError, ImportError),
#endif
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x030A0000
        E(EncodingWarning, Warning),
#endif
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x030B0000
        E(BaseExceptionGroup, BaseException),
#endif
    };
    PyObject *builtins = PyImport_ImportModule("builtins"), *d;
    size_t i;
    if (!builtins) return NULL;
    d = PyModule_GetDict(builtins);
    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        PyObject *cls = PyDict_GetItemString(d, table[i].name), *base = PyDict_GetItemString(d, table[i].base);
        if (cls != table[i].type || !base || !PyType_Check(cls) || PyObject_IsSubclass(cls, base) != 1) {
            Py_DECREF(builtins);
            return PyErr_Format(PyExc_AssertionError, "PyExc_%s is not builtins.%s (a subclass of %s)", table[i].name, table[i].name, table[i].base);
        }
    }
    /* The pre-3.3 names are aliases of OSError. */
    CHECK(PyExc_EnvironmentError == PyExc_OSError && PyExc_IOError == PyExc_OSError);
    CHECK(PyDict_GetItemString(d, "IOError") == PyExc_IOError && PyDict_GetItemString(d, "EnvironmentError") == PyExc_EnvironmentError);
    Py_DECREF(builtins);
    Py_RETURN_NONE;
}

/* The current exception's value (normalized, new reference), the indicator cleared. */
static PyObject *take_exception(void) {
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    if (!t) return NULL;
    PyErr_NormalizeException(&t, &v, &tb);
    if (tb && v) PyException_SetTraceback(v, tb);
    Py_XDECREF(t);
    Py_XDECREF(tb);
    return v;
}

/* attribute `name` of `o` equals the int `expected`. */
static int attr_is_long(PyObject *o, const char *name, long expected) {
    PyObject *a = PyObject_GetAttrString(o, name);
    int ok = a && PyLong_Check(a) && PyLong_AsLong(a) == expected;
    Py_XDECREF(a);
    PyErr_Clear();
    return ok;
}

static int attr_is_str(PyObject *o, const char *name, const char *expected) {
    PyObject *a = PyObject_GetAttrString(o, name);
    int ok = ext_test_str_eq(a, expected);
    Py_XDECREF(a);
    PyErr_Clear();
    return ok;
}

static int attr_is(PyObject *o, const char *name, PyObject *expected) {
    PyObject *a = PyObject_GetAttrString(o, name);
    int ok = a == expected;
    Py_XDECREF(a);
    PyErr_Clear();
    return ok;
}

static int str_is(PyObject *o, const char *expected) {
    PyObject *s = PyObject_Str(o);
    int ok = ext_test_str_eq(s, expected);
    Py_XDECREF(s);
    return ok;
}

static PyObject *format_v(PyObject *type, const char *format, ...) {
    PyObject *r;
    va_list va;
    va_start(va, format);
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03050000
    r = PyErr_FormatV(type, format, va);
#else
    r = NULL;
    PyErr_SetString(type, format);
#endif
    va_end(va);
    return r;
}

static PyObject *test_raising_helpers(PyObject *m, PyObject *unused) {
    PyObject *e, *args;
    PyErr_SetNone(PyExc_KeyError);
    CHECK(PyErr_ExceptionMatches(PyExc_KeyError));
    e = take_exception();
    CHECK(e && Py_TYPE(e) == (PyTypeObject *)PyExc_KeyError && str_is(e, ""));
    args = PyObject_GetAttrString(e, "args");
    CHECK(args && PyTuple_Check(args) && PyTuple_Size(args) == 0);
    Py_DECREF(args);
    Py_DECREF(e);
    PyErr_SetNone(PyExc_StopIteration);
    e = take_exception();
    CHECK(e && Py_TYPE(e) == (PyTypeObject *)PyExc_StopIteration && attr_is(e, "value", Py_None));
    Py_DECREF(e);
    /* A new exception replaces the current one. */
    PyErr_SetString(PyExc_ValueError, "first");
    PyErr_SetNone(PyExc_GeneratorExit);
    CHECK_RAISED(PyExc_GeneratorExit, "");

    CHECK(PyErr_BadArgument() == 0);
    CHECK_RAISED(PyExc_TypeError, "bad argument type for built-in operation");
    CHECK(PyErr_NoMemory() == NULL);
    e = take_exception();
    CHECK(e && Py_TYPE(e) == (PyTypeObject *)PyExc_MemoryError && str_is(e, ""));
    Py_DECREF(e);
    (PyErr_BadInternalCall)();
    CHECK_RAISED(PyExc_SystemError, "bad argument to internal function");
    _PyErr_BadInternalCall("rt_errors.c", 42);
    CHECK_RAISED(PyExc_SystemError, "rt_errors.c:42: bad argument to internal function");
    CHECK(format_v(PyExc_ValueError, "%s=%d (%R)", "x", 5, Py_None) == NULL);
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03050000
    CHECK_RAISED(PyExc_ValueError, "x=5 (None)");
#else
    PyErr_Clear();
#endif
    Py_RETURN_NONE;
}

/* builtins.<name> (borrowed): the OSError subclasses have no PyExc_* before limited 3.3. */
static PyObject *builtin_exc(const char *name) {
    PyObject *b = PyEval_GetBuiltins();
    return b ? PyDict_GetItemString(b, name) : NULL;
}

static PyObject *test_from_errno(PyObject *m, PyObject *unused) {
    PyObject *e, *f;
    errno = ENOENT;
    CHECK(PyErr_SetFromErrno(PyExc_OSError) == NULL);
    e = take_exception();
    /* OSError picks the subclass of the errno. */
    CHECK(e && Py_TYPE(e) == (PyTypeObject *)builtin_exc("FileNotFoundError"));
    CHECK(attr_is_long(e, "errno", ENOENT) && attr_is_str(e, "strerror", "No such file or directory"));
    CHECK(attr_is(e, "filename", Py_None) && str_is(e, "[Errno 2] No such file or directory"));
    Py_DECREF(e);
    errno = EACCES;
    CHECK(PyErr_SetFromErrnoWithFilename(PyExc_OSError, "/rt-errors/x") == NULL);
    e = take_exception();
    CHECK(e && Py_TYPE(e) == (PyTypeObject *)builtin_exc("PermissionError") && attr_is_str(e, "filename", "/rt-errors/x"));
    CHECK(str_is(e, "[Errno 13] Permission denied: '/rt-errors/x'"));
    Py_DECREF(e);
    errno = ENOENT;
    CHECK(PyErr_SetFromErrnoWithFilename(PyExc_OSError, NULL) == NULL);
    e = take_exception();
    CHECK(e && attr_is(e, "filename", Py_None));
    Py_DECREF(e);
    /* Another class gets (errno, strerror) as its arguments. */
    errno = ENOENT;
    CHECK(PyErr_SetFromErrno(PyExc_RuntimeError) == NULL);
    CHECK_RAISED(PyExc_RuntimeError, "(2, 'No such file or directory')");
    f = PyBytes_FromString("/rt-errors/b");
    if (!f) return NULL;
    errno = ENOTDIR;
    CHECK(PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, f) == NULL);
    e = take_exception();
    CHECK(e && Py_TYPE(e) == (PyTypeObject *)builtin_exc("NotADirectoryError") && attr_is(e, "filename", f));
    CHECK(str_is(e, "[Errno 20] Not a directory: b'/rt-errors/b'"));
    Py_DECREF(e);
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03040000
    {
        PyObject *f2 = PyUnicode_FromString("dst");
        if (!f2) return NULL;
        errno = EEXIST;
        CHECK(PyErr_SetFromErrnoWithFilenameObjects(PyExc_OSError, f, f2) == NULL);
        e = take_exception();
        CHECK(e && Py_TYPE(e) == (PyTypeObject *)builtin_exc("FileExistsError") && attr_is(e, "filename", f) && attr_is(e, "filename2", f2));
        CHECK(str_is(e, "[Errno 17] File exists: b'/rt-errors/b' -> 'dst'"));
        Py_DECREF(e);
        Py_DECREF(f2);
    }
#endif
    Py_DECREF(f);
    Py_RETURN_NONE;
}

static PyObject *test_import_errors(PyObject *m, PyObject *unused) {
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03060000
    PyObject *msg = PyUnicode_FromString("no module named spam"), *name = PyUnicode_FromString("spam"),
             *path = PyUnicode_FromString("/rt-errors/spam.py"), *e;
    if (!msg || !name || !path) return NULL;
    CHECK(PyErr_SetImportError(msg, name, path) == NULL);
    e = take_exception();
    CHECK(e && Py_TYPE(e) == (PyTypeObject *)PyExc_ImportError && str_is(e, "no module named spam"));
    CHECK(attr_is(e, "msg", msg) && attr_is(e, "name", name) && attr_is(e, "path", path));
    Py_DECREF(e);
    CHECK(PyErr_SetImportError(msg, NULL, NULL) == NULL);
    e = take_exception();
    CHECK(e && attr_is(e, "name", Py_None) && attr_is(e, "path", Py_None));
    Py_DECREF(e);
    CHECK(PyErr_SetImportErrorSubclass(PyExc_ModuleNotFoundError, msg, name, NULL) == NULL);
    e = take_exception();
    CHECK(e && Py_TYPE(e) == (PyTypeObject *)PyExc_ModuleNotFoundError && attr_is(e, "name", name) && attr_is(e, "path", Py_None));
    Py_DECREF(e);
    CHECK(PyErr_SetImportErrorSubclass(PyExc_ValueError, msg, name, path) == NULL);
    CHECK_RAISED(PyExc_TypeError, "expected a subclass of ImportError");
    CHECK(PyErr_SetImportError(NULL, name, path) == NULL);
    CHECK_RAISED(PyExc_TypeError, "expected a message argument");
    Py_DECREF(msg);
    Py_DECREF(name);
    Py_DECREF(path);
#endif
    Py_RETURN_NONE;
}

/* Runs `code` (module level, filename "rt_errors_src") and returns the exception it raised. */
static PyObject *exception_from_code(const char *code) {
    PyObject *co = Py_CompileString(code, "rt_errors_src", Py_file_input), *g, *r;
    if (!co) return NULL;
    g = PyDict_New();
    if (!g || PyDict_SetItemString(g, "__builtins__", PyEval_GetBuiltins()) < 0) { Py_DECREF(co); Py_XDECREF(g); return NULL; }
    r = PyEval_EvalCode(co, g, g);
    Py_DECREF(co);
    Py_DECREF(g);
    if (r) {
        Py_DECREF(r);
        PyErr_SetString(PyExc_AssertionError, "the code did not raise");
        return NULL;
    }
    return take_exception();
}

static const char raising_code[] = "def f():\n    raise ValueError('boom')\nf()\n";

static PyObject *test_exception_attributes(PyObject *m, PyObject *unused) {
    PyObject *e = PyObject_CallFunction(PyExc_ValueError, "s", "x"), *c, *tb, *r, *raised;
    if (!e) return NULL;
    CHECK(PyException_GetTraceback(e) == NULL && !PyErr_Occurred());
    CHECK(PyException_GetCause(e) == NULL && PyException_GetContext(e) == NULL && !PyErr_Occurred());
    /* SetCause steals its argument and sets __suppress_context__. */
    c = PyObject_CallFunction(PyExc_KeyError, "s", "k");
    if (!c) return NULL;
    Py_INCREF(c);
    PyException_SetCause(e, c);
    r = PyException_GetCause(e);
    CHECK(r == c && attr_is(e, "__cause__", c) && attr_is(e, "__suppress_context__", Py_True));
    Py_DECREF(r);
    PyException_SetCause(e, NULL);
    CHECK(PyException_GetCause(e) == NULL && attr_is(e, "__cause__", Py_None));
    Py_INCREF(c);
    PyException_SetContext(e, c);
    r = PyException_GetContext(e);
    CHECK(r == c && attr_is(e, "__context__", c));
    Py_DECREF(r);
    PyException_SetContext(e, NULL);
    CHECK(PyException_GetContext(e) == NULL && attr_is(e, "__context__", Py_None));
    Py_DECREF(c);

    /* A traceback made by running code. */
    raised = exception_from_code(raising_code);
    CHECK(raised && Py_TYPE(raised) == (PyTypeObject *)PyExc_ValueError);
    tb = PyException_GetTraceback(raised);
    CHECK(tb && Py_TYPE(tb) == &PyTraceBack_Type && PyTraceBack_Check(tb));
    CHECK(attr_is(raised, "__traceback__", tb));
    CHECK(PyException_SetTraceback(e, tb) == 0);
    r = PyException_GetTraceback(e);
    CHECK(r == tb);
    Py_DECREF(r);
    CHECK(PyException_SetTraceback(e, Py_None) == 0);
    /* No traceback: NULL, or None in some versions. */
    r = PyException_GetTraceback(e);
    CHECK((r == NULL || r == Py_None) && attr_is(e, "__traceback__", Py_None) && !PyErr_Occurred());
    Py_XDECREF(r);
    CHECK(PyException_SetTraceback(e, Py_True) == -1);
    CHECK_RAISED(PyExc_TypeError, "__traceback__ must be a traceback or None");
    Py_DECREF(tb);
    Py_DECREF(raised);
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x030C0000
    {
        PyObject *args = PyException_GetArgs(e), *l;
        CHECK(args && PyTuple_Check(args) && PyTuple_Size(args) == 1 && ext_test_str_eq(PyTuple_GetItem(args, 0), "x"));
        Py_DECREF(args);
        l = Py_BuildValue("(si)", "y", 2);
        if (!l) return NULL;
        PyException_SetArgs(e, l);  /* not stolen */
        args = PyException_GetArgs(e);
        CHECK(args == l && str_is(e, "('y', 2)"));
        Py_DECREF(args);
        Py_DECREF(l);
    }
#endif
    Py_DECREF(e);
    Py_RETURN_NONE;
}

#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03030000
/* No handled exception: NULLs (some versions give None for some); releases the references. */
static int no_exc_info(PyObject *t, PyObject *v, PyObject *tb) {
    int ok = (t == NULL || t == Py_None) && (v == NULL || v == Py_None) && (tb == NULL || tb == Py_None);
    Py_XDECREF(t);
    Py_XDECREF(v);
    Py_XDECREF(tb);
    return ok;
}
#endif

static PyObject *test_handled_exception(PyObject *m, PyObject *unused) {
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03030000
    PyObject *t = (PyObject *)1, *v = (PyObject *)1, *tb = (PyObject *)1, *e;
    /* Called outside any except block. */
    PyErr_GetExcInfo(&t, &v, &tb);
    CHECK(no_exc_info(t, v, tb));
    e = PyObject_CallFunction(PyExc_KeyError, "s", "handled");
    if (!e) return NULL;
    Py_INCREF(e);
    Py_INCREF(PyExc_KeyError);
    PyErr_SetExcInfo(PyExc_KeyError, e, NULL);  /* steals all three */
    PyErr_GetExcInfo(&t, &v, &tb);
    CHECK(t == PyExc_KeyError && v == e && (tb == NULL || tb == Py_None));
    Py_XDECREF(tb);
    Py_DECREF(t);
    Py_DECREF(v);
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x030B0000
    v = PyErr_GetHandledException();
    CHECK(v == e);
    Py_DECREF(v);
    PyErr_SetHandledException(NULL);
    CHECK(PyErr_GetHandledException() == NULL && !PyErr_Occurred());
    PyErr_SetHandledException(e);  /* not stolen */
    v = PyErr_GetHandledException();
    CHECK(v == e);
    Py_DECREF(v);
#endif
    PyErr_SetExcInfo(NULL, NULL, NULL);
    PyErr_GetExcInfo(&t, &v, &tb);
    CHECK(no_exc_info(t, v, tb) && !PyErr_Occurred());
    Py_DECREF(e);
#endif
    Py_RETURN_NONE;
}

/* exc_info(): PyErr_GetExcInfo as a tuple, for the driver's except blocks. */
static PyObject *exc_info(PyObject *m, PyObject *unused) {
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03030000
    PyObject *t, *v, *tb;
    PyErr_GetExcInfo(&t, &v, &tb);
    return Py_BuildValue("(NNN)", t ? t : (Py_INCREF(Py_None), Py_None), v ? v : (Py_INCREF(Py_None), Py_None),
                         tb ? tb : (Py_INCREF(Py_None), Py_None));
#else
    Py_RETURN_NONE;
#endif
}

static PyObject *test_raised_exception(PyObject *m, PyObject *unused) {
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x030C0000
    PyObject *e;
    CHECK(PyErr_GetRaisedException() == NULL);
    PyErr_SetString(PyExc_OSError, "raised");
    e = PyErr_GetRaisedException();
    CHECK(e && !PyErr_Occurred() && Py_TYPE(e) == (PyTypeObject *)PyExc_OSError && str_is(e, "raised"));
    Py_INCREF(e);
    PyErr_SetRaisedException(e);  /* steals */
    CHECK(PyErr_Occurred() == PyExc_OSError);
    CHECK_RAISED(PyExc_OSError, "raised");
    PyErr_SetString(PyExc_ValueError, "replaced");
    PyErr_SetRaisedException(NULL);
    CHECK(!PyErr_Occurred());
    Py_DECREF(e);
#endif
    Py_RETURN_NONE;
}

static PyObject *test_interrupt(PyObject *m, PyObject *unused) {
    PyErr_SetInterrupt();
    CHECK(PyErr_CheckSignals() == -1);
    CHECK_RAISED(PyExc_KeyboardInterrupt, "");
    CHECK(PyErr_CheckSignals() == 0);
    Py_RETURN_NONE;
}

/* syntax_location(path): the file holds "first\n  second line\n". */
static PyObject *syntax_location(PyObject *m, PyObject *arg) {
    PyObject *b = PyUnicode_AsUTF8String(arg), *e, *t;
    const char *path;
    if (!b) return NULL;
    path = PyBytes_AsString(b);
    t = PyErr_ProgramText(path, 2);
    CHECK(ext_test_str_eq(t, "  second line\n"));
    Py_DECREF(t);
    CHECK(PyErr_ProgramText(path, 3) == NULL && !PyErr_Occurred());
    CHECK(PyErr_ProgramText(path, 0) == NULL && !PyErr_Occurred());
    CHECK(PyErr_ProgramText("/rt-errors/no-such-file", 1) == NULL && !PyErr_Occurred());
    CHECK(PyErr_ProgramText(NULL, 1) == NULL && !PyErr_Occurred());

    PyErr_SetString(PyExc_SyntaxError, "bad");
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03070000
    PyErr_SyntaxLocationEx(path, 2, 4);
    e = take_exception();
    CHECK(e && Py_TYPE(e) == (PyTypeObject *)PyExc_SyntaxError && attr_is_long(e, "lineno", 2) && attr_is_long(e, "offset", 4));
    CHECK(attr_is_long(e, "end_lineno", 2) && attr_is(e, "end_offset", Py_None));
    CHECK(attr_is(e, "filename", arg) == 0 && attr_is_str(e, "text", "  second line\n") && attr_is_str(e, "msg", "bad"));
    Py_DECREF(e);
    PyErr_SetString(PyExc_SyntaxError, "bad");
#endif
    PyErr_SyntaxLocation(path, 1);
    e = take_exception();
    CHECK(e && attr_is_long(e, "lineno", 1) && attr_is(e, "offset", Py_None) && attr_is_str(e, "text", "first\n"));
    {
        PyObject *f = PyObject_GetAttrString(e, "filename");
        CHECK(f && PyUnicode_Compare(f, arg) == 0);
        Py_DECREF(f);
    }
    Py_DECREF(e);
    /* Another exception also gets msg (its str) and print_file_and_line. */
    PyErr_SetString(PyExc_ValueError, "not syntax");
    PyErr_SyntaxLocation(path, 2);
    e = take_exception();
    CHECK(e && Py_TYPE(e) == (PyTypeObject *)PyExc_ValueError && attr_is_long(e, "lineno", 2));
    CHECK(attr_is_str(e, "msg", "not syntax") && attr_is(e, "print_file_and_line", Py_None) && attr_is_str(e, "text", "  second line\n"));
    Py_DECREF(e);
    Py_DECREF(b);
    Py_RETURN_NONE;
}

/* Runs `f` with sys.<stream> replaced by an io.StringIO; returns what was written. */
static PyObject *capture(const char *stream, int (*f)(void *), void *arg) {
    PyObject *io = PyImport_ImportModule("io"), *buf, *old, *r;
    int rc;
    if (!io) return NULL;
    buf = PyObject_CallMethod(io, "StringIO", NULL);
    Py_DECREF(io);
    if (!buf) return NULL;
    old = PySys_GetObject(stream);
    Py_XINCREF(old);
    if (PySys_SetObject(stream, buf) < 0) { Py_DECREF(buf); Py_XDECREF(old); return NULL; }
    rc = f(arg);
    PySys_SetObject(stream, old);
    Py_XDECREF(old);
    if (rc < 0) { Py_DECREF(buf); return NULL; }
    r = PyObject_CallMethod(buf, "getvalue", NULL);
    Py_DECREF(buf);
    return r;
}

static int print_ex_0(void *arg) {
    PyErr_SetString(PyExc_ValueError, "boom");
    PyErr_PrintEx(0);
    return PyErr_Occurred() ? -1 : 0;
}

static int print_set_last(void *arg) {
    PyErr_SetString(PyExc_KeyError, "key");
    PyErr_Print();
    return PyErr_Occurred() ? -1 : 0;
}

static int display(void *arg) {
    PyObject *e = arg, *tb = PyException_GetTraceback(e);
    PyErr_Display((PyObject *)Py_TYPE(e), e, tb);
    Py_XDECREF(tb);
    return PyErr_Occurred() ? -1 : 0;
}

#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x030C0000
static int display_exception(void *arg) {
    PyErr_DisplayException(arg);
    return PyErr_Occurred() ? -1 : 0;
}
#endif

static int traceback_print(void *arg) {
    PyObject *tb = PyException_GetTraceback(arg), *err;
    int r;
    if (!tb) return -1;
    err = PySys_GetObject("stderr");
    r = PyTraceBack_Print(tb, err);
    Py_DECREF(tb);
    return r;
}

static int write_streams(void *arg) {
    int i;
    char big[1200];
    /* The current exception is kept. */
    PyErr_SetString(PyExc_KeyError, "kept");
    PySys_WriteStdout("%s-%d|", "out", 5);
    PySys_FormatStdout("%R-%S|", Py_None, Py_True);
    if (!PyErr_ExceptionMatches(PyExc_KeyError)) return -1;
    PyErr_Clear();
    for (i = 0; i < 1100; i++) big[i] = 'a' + i % 26;
    big[1100] = 0;
    PySys_WriteStdout("%s", big);
    return 0;
}

static PyObject *test_printing(PyObject *m, PyObject *unused) {
    PyObject *s, *e, *last, *chained;
    /* PyErr_PrintEx(0) prints and clears, and sets no sys.last_* variables. */
    PySys_SetObject("last_value", NULL);
    PySys_SetObject("last_type", NULL);
    PySys_SetObject("last_traceback", NULL);
    PySys_SetObject("last_exc", NULL);
    s = capture("stderr", print_ex_0, NULL);
    CHECK(ext_test_str_eq(s, "ValueError: boom\n"));
    Py_DECREF(s);
    CHECK(PySys_GetObject("last_value") == NULL && !PyErr_Occurred());
    /* PyErr_Print sets them. */
    s = capture("stderr", print_set_last, NULL);
    CHECK(ext_test_str_eq(s, "KeyError: 'key'\n"));
    Py_DECREF(s);
    last = PySys_GetObject("last_value");
    CHECK(last && Py_TYPE(last) == (PyTypeObject *)PyExc_KeyError && PySys_GetObject("last_type") == PyExc_KeyError);
    CHECK(PySys_GetObject("last_traceback") == Py_None);
    if (ext_test_runtime_hexversion() >= 0x030C0000) CHECK(PySys_GetObject("last_exc") == last);
    PySys_SetObject("last_value", NULL);
    PySys_SetObject("last_type", NULL);
    PySys_SetObject("last_traceback", NULL);
    PySys_SetObject("last_exc", NULL);
    PyErr_Clear();

    e = exception_from_code(raising_code);
    if (!e) return NULL;
    s = capture("stderr", display, e);
    CHECK(ext_test_str_eq(s, "Traceback (most recent call last):\n  File \"rt_errors_src\", line 3, in <module>\n"
                             "  File \"rt_errors_src\", line 2, in f\nValueError: boom\n"));
    Py_DECREF(s);
    s = capture("stderr", traceback_print, e);
    CHECK(ext_test_str_eq(s, "Traceback (most recent call last):\n  File \"rt_errors_src\", line 3, in <module>\n"
                             "  File \"rt_errors_src\", line 2, in f\n"));
    Py_DECREF(s);
    CHECK(PyTraceBack_Print(e, PySys_GetObject("stderr")) == -1);
    CHECK_RAISED(PyExc_SystemError, NULL);
    chained = PyObject_CallFunction(PyExc_TypeError, "s", "two");
    if (!chained) return NULL;
    PyException_SetCause(chained, PyObject_CallFunction(PyExc_ValueError, "s", "one"));
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x030C0000
    s = capture("stderr", display_exception, chained);
#else
    s = capture("stderr", display, chained);
#endif
    CHECK(ext_test_str_eq(s, "ValueError: one\n\nThe above exception was the direct cause of the following exception:\n\nTypeError: two\n"));
    Py_DECREF(s);
    Py_DECREF(chained);
    Py_DECREF(e);

    s = capture("stdout", write_streams, NULL);
    CHECK(s && PySequence_Size(s) == 6 + 10 + 1000 + 13);
    {
        PyObject *head = PySequence_GetSlice(s, 0, 20), *tail = PySequence_GetSlice(s, 1016, 1029);
        CHECK(ext_test_str_eq(head, "out-5|None-True|abcd") && ext_test_str_eq(tail, "... truncated"));
        Py_DECREF(head);
        Py_DECREF(tail);
    }
    Py_DECREF(s);
    Py_RETURN_NONE;
}

static int write_stderr_only(void *arg) {
    PySys_WriteStderr("%s-%d|", "err", 6);
    PySys_FormatStderr("%d-%s|", 7, "\xc3\xa9");
    return 0;
}

static PyObject *test_write_stderr(PyObject *m, PyObject *unused) {
    PyObject *s = capture("stderr", write_stderr_only, NULL);
    CHECK(ext_test_str_eq(s, "err-6|7-\xc3\xa9|"));
    Py_DECREF(s);
    Py_RETURN_NONE;
}

/* unraisable(obj, message): raise RuntimeError(message), then PyErr_WriteUnraisable(obj). */
static PyObject *unraisable(PyObject *m, PyObject *args) {
    PyObject *o, *msg;
    if (!PyArg_ParseTuple(args, "OU", &o, &msg)) return NULL;
    PyErr_SetObject(PyExc_RuntimeError, msg);
    PyErr_WriteUnraisable(o == Py_None ? NULL : o);
    if (PyErr_Occurred()) return NULL;
    Py_RETURN_NONE;
}

/* warn(category, message, stacklevel) -> PyErr_WarnEx's result. */
static PyObject *warn(PyObject *m, PyObject *args) {
    PyObject *cat;
    const char *msg;
    int level;
    if (!PyArg_ParseTuple(args, "Osi", &cat, &msg, &level)) return NULL;
    if (PyErr_WarnEx(cat == Py_None ? NULL : cat, msg, level) < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *warn_format(PyObject *m, PyObject *args) {
    PyObject *cat;
    int n;
    if (!PyArg_ParseTuple(args, "Oi", &cat, &n)) return NULL;
    if (PyErr_WarnFormat(cat, 1, "formatted %d %s", n, "warning") < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *warn_explicit(PyObject *m, PyObject *args) {
    PyObject *cat, *registry;
    const char *msg, *filename, *module;
    int lineno;
    if (!PyArg_ParseTuple(args, "OsszO", &cat, &msg, &filename, &module, &registry)) return NULL;
    lineno = 7;
    if (PyErr_WarnExplicit(cat, msg, filename, lineno, module, registry == Py_None ? NULL : registry) < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *resource_warning(PyObject *m, PyObject *source) {
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x03060000
    if (PyErr_ResourceWarning(source, 1, "unclosed %s", "thing") < 0) return NULL;
#endif
    Py_RETURN_NONE;
}

/* audit(event, n): PySys_Audit(event, "(is)", n, "x") and PySys_AuditTuple(event, (n,)). */
static PyObject *audit(PyObject *m, PyObject *args) {
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x030D0000
    const char *event;
    int n, r;
    PyObject *t;
    if (!PyArg_ParseTuple(args, "si", &event, &n)) return NULL;
    if (PySys_Audit(event, "is", n, "x") < 0) return NULL;
    t = Py_BuildValue("(i)", n);
    if (!t) return NULL;
    r = PySys_AuditTuple(event, t);
    Py_DECREF(t);
    if (r < 0) return NULL;
    if (PySys_AuditTuple(event, NULL) < 0) return NULL;
    if (PySys_Audit(event, NULL) < 0) return NULL;
    if (PySys_AuditTuple(event, Py_None) != -1) return PyErr_Format(PyExc_AssertionError, "AuditTuple accepted None");
    return NULL;
#else
    Py_RETURN_NONE;
#endif
}

static PyMethodDef methods[] = {
    {"test_exception_classes", test_exception_classes, METH_NOARGS, NULL},
    {"test_raising_helpers", test_raising_helpers, METH_NOARGS, NULL},
    {"test_from_errno", test_from_errno, METH_NOARGS, NULL},
    {"test_import_errors", test_import_errors, METH_NOARGS, NULL},
    {"test_exception_attributes", test_exception_attributes, METH_NOARGS, NULL},
    {"test_handled_exception", test_handled_exception, METH_NOARGS, NULL},
    {"test_raised_exception", test_raised_exception, METH_NOARGS, NULL},
    {"test_interrupt", test_interrupt, METH_NOARGS, NULL},
    {"test_printing", test_printing, METH_NOARGS, NULL},
    {"test_write_stderr", test_write_stderr, METH_NOARGS, NULL},
    {"exc_info", exc_info, METH_NOARGS, NULL},
    {"syntax_location", syntax_location, METH_O, NULL},
    {"unraisable", unraisable, METH_VARARGS, NULL},
    {"warn", warn, METH_VARARGS, NULL},
    {"warn_format", warn_format, METH_VARARGS, NULL},
    {"warn_explicit", warn_explicit, METH_VARARGS, NULL},
    {"resource_warning", resource_warning, METH_O, NULL},
    {"audit", audit, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *m) { return 0; }

EXT_TEST_MODULE(rt_errors, methods, exec_module)
