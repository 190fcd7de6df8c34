/*
 * rt_life: pylifecycle.h and the embedding corners — initialization calls on a running
 * interpreter, the configuration setters and getters, the interpreter's data symbols
 * (Py_Version, the file system encoding, UTF-8 mode, PyOS_InputHook), the legacy
 * PyEval_Call* and PyEval_EvalCodeEx, PyOS_snprintf, _Py_CheckRecursiveCall, and the calls
 * that end or replace the interpreter — Py_Exit, Py_FatalError, Py_Finalize(Ex),
 * Py_BytesMain/Py_Main and the fork hooks PyOS_AfterFork(_Child) — each in a forked child
 * whose exit status and output are checked.
 */
#include "ext_test.h"
#include <signal.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

/* Stable ABI, not declared by every header set used here. */
PyAPI_FUNC(int) _Py_CheckRecursiveCall(PyThreadState *, const char *);
PyAPI_FUNC(PyObject *) PyEval_CallObjectWithKeywords(PyObject *, PyObject *, PyObject *);
PyAPI_FUNC(PyObject *) PyEval_CallFunction(PyObject *, const char *, ...);
PyAPI_FUNC(PyObject *) PyEval_CallMethod(PyObject *, const char *, const char *, ...);
PyAPI_FUNC(wchar_t *) Py_GetPythonHome(void);
PyAPI_FUNC(void) Py_SetPythonHome(const wchar_t *);
PyAPI_FUNC(void) Py_SetProgramName(const wchar_t *);
PyAPI_FUNC(void) Py_SetPath(const wchar_t *);
PyAPI_FUNC(wchar_t *) Py_GetProgramName(void);
PyAPI_FUNC(wchar_t *) Py_GetPath(void);
PyAPI_FUNC(void) PyOS_AfterFork(void);
PyAPI_FUNC(void) PySys_SetArgv(int, wchar_t **);
PyAPI_FUNC(int) Py_FinalizeEx(void);
PyAPI_FUNC(int) Py_BytesMain(int, char **);
PyAPI_DATA(const char *) Py_FileSystemDefaultEncoding;
PyAPI_DATA(const char *) Py_FileSystemDefaultEncodeErrors;
PyAPI_DATA(int) Py_HasFileSystemDefaultEncoding;
PyAPI_DATA(int) Py_UTF8Mode;
PyAPI_DATA(int) (*PyOS_InputHook)(void);
#if defined(Py_LIMITED_API) && Py_LIMITED_API+0 < 0x030B0000
PyAPI_DATA(const unsigned long) Py_Version;
#endif

static long sys_long(const char *name, const char *attr) {
    PyObject *o = PySys_GetObject(name), *a;
    long r;
    if (!o) return -1;
    if (!attr) return PyLong_AsLong(o);
    a = PyObject_GetAttrString(o, attr);
    if (!a) return -1;
    r = PyLong_AsLong(a);
    Py_DECREF(a);
    return r;
}

/* sys.<function>() is the str `expected`. */
static int sys_call_is(const char *function, const char *expected) {
    PyObject *sys = PyImport_ImportModule("sys"), *r;
    int ok;
    if (!sys) return 0;
    r = PyObject_CallMethod(sys, function, NULL);
    Py_DECREF(sys);
    ok = ext_test_str_eq(r, expected);
    Py_XDECREF(r);
    return ok;
}

static PyObject *test_running_interpreter(PyObject *m, PyObject *unused) {
    /* Initializing again does nothing. */
    Py_Initialize();
    Py_InitializeEx(0);
    CHECK(Py_IsInitialized() == 1);
#if !defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x030D0000
    CHECK(Py_IsFinalizing() == 0);
#endif
    CHECK(Py_Version == (unsigned long)sys_long("hexversion", NULL));
    CHECK(sys_call_is("getfilesystemencoding", Py_FileSystemDefaultEncoding));
    CHECK(sys_call_is("getfilesystemencodeerrors", Py_FileSystemDefaultEncodeErrors));
    CHECK(Py_HasFileSystemDefaultEncoding == 0);
    CHECK(Py_UTF8Mode == sys_long("flags", "utf8_mode"));
    /* No input hook unless readline or tkinter installs one. */
    CHECK(PyOS_InputHook == NULL);
    CHECK(!PyErr_Occurred());
    Py_RETURN_NONE;
}

static PyObject *test_legacy_calls(PyObject *m, PyObject *unused) {
    PyObject *b = PyEval_GetBuiltins(), *sorted = PyDict_GetItemString(b, "sorted"), *max = PyDict_GetItemString(b, "max");
    PyObject *args, *kw, *r;
    CHECK(sorted && max);
    args = Py_BuildValue("([iii])", 3, 1, 2);
    kw = Py_BuildValue("{s:O}", "reverse", Py_True);
    if (!args || !kw) return NULL;
    r = PyEval_CallObjectWithKeywords(sorted, args, kw);
    CHECK(r && PyList_Check(r) && PyList_Size(r) == 3 && PyLong_AsLong(PyList_GetItem(r, 0)) == 3 && PyLong_AsLong(PyList_GetItem(r, 2)) == 1);
    Py_DECREF(r);
    r = PyEval_CallObjectWithKeywords(sorted, args, NULL);
    CHECK(r && PyLong_AsLong(PyList_GetItem(r, 0)) == 1);
    Py_DECREF(r);
    CHECK(PyEval_CallObjectWithKeywords(sorted, NULL, NULL) == NULL);
    CHECK_RAISED(PyExc_TypeError, "sorted expected 1 argument, got 0");
    CHECK(PyEval_CallObjectWithKeywords(sorted, kw, NULL) == NULL);
    CHECK_RAISED(PyExc_TypeError, "argument list must be a tuple");
    CHECK(PyEval_CallObjectWithKeywords(sorted, args, args) == NULL);
    CHECK_RAISED(PyExc_TypeError, "keyword list must be a dictionary");
    Py_DECREF(args);
    Py_DECREF(kw);

    r = PyEval_CallFunction(max, "ii", 3, 7);
    CHECK(r && PyLong_AsLong(r) == 7);
    Py_DECREF(r);
    r = PyEval_CallFunction(max, "([ii])", 4, 9);
    CHECK(r && PyLong_AsLong(r) == 9);
    Py_DECREF(r);
    /* A single non-tuple value is the only argument. */
    r = PyEval_CallFunction(PyDict_GetItemString(b, "len"), "s", "abcd");
    CHECK(r && PyLong_AsLong(r) == 4);
    Py_DECREF(r);
    {
        PyObject *sep = PyUnicode_FromString("-"), *l = Py_BuildValue("[ss]", "a", "b");
        if (!sep || !l) return NULL;
        r = PyEval_CallMethod(sep, "join", "(O)", l);
        CHECK(ext_test_str_eq(r, "a-b"));
        Py_DECREF(r);
        r = PyEval_CallMethod(sep, "upper", "()");
        CHECK(ext_test_str_eq(r, "-"));
        Py_DECREF(r);
        CHECK(PyEval_CallMethod(sep, "rt_life_no_such", "()") == NULL);
        CHECK_RAISED(PyExc_AttributeError, "'str' object has no attribute 'rt_life_no_such'");
        Py_DECREF(sep);
        Py_DECREF(l);
    }
    Py_RETURN_NONE;
}

static PyObject *test_eval_code_ex(PyObject *m, PyObject *unused) {
    PyObject *co = Py_CompileString("r = a + 1\n", "<rt_life>", Py_file_input), *g, *r;
    if (!co) return NULL;
    g = Py_BuildValue("{s:i}", "a", 41);
    if (!g || PyDict_SetItemString(g, "__builtins__", PyEval_GetBuiltins()) < 0) return NULL;
    r = PyEval_EvalCodeEx(co, g, NULL, NULL, 0, NULL, 0, NULL, 0, NULL, NULL);
    CHECK(r == Py_None);
    Py_DECREF(r);
    r = PyDict_GetItemString(g, "r");
    CHECK(r && PyLong_AsLong(r) == 42);
    Py_DECREF(co);
    /* A function's code, run with arguments, keyword arguments, defaults and a closure. */
    co = Py_CompileString("def f(a, b=2, *, c=3, d=4):\n    return (a, b, c, d)\n"
                          "def outer():\n    x = 5\n    def inner(y):\n        return x + y\n    return inner\n"
                          "inner = outer()\n", "<rt_life>", Py_file_input);
    if (!co) return NULL;
    r = PyEval_EvalCode(co, g, g);
    Py_DECREF(co);
    if (!r) return NULL;
    Py_DECREF(r);
    {
        PyObject *fcode = PyObject_GetAttrString(PyDict_GetItemString(g, "f"), "__code__");
        PyObject *icode = PyObject_GetAttrString(PyDict_GetItemString(g, "inner"), "__code__");
        PyObject *closure = PyObject_GetAttrString(PyDict_GetItemString(g, "inner"), "__closure__");
        PyObject *one = PyLong_FromLong(1), *twenty = PyLong_FromLong(20), *c = PyUnicode_FromString("c"), *thirty = PyLong_FromLong(30);
        PyObject *kwdefs = Py_BuildValue("{s:i,s:i}", "c", 3, "d", 40), *ten = PyLong_FromLong(10);
        PyObject *args[1], *kws[2], *defs[1];
        if (!fcode || !icode || !closure || !one || !twenty || !c || !thirty || !kwdefs || !ten) return NULL;
        args[0] = one; kws[0] = c; kws[1] = thirty; defs[0] = twenty;
        r = PyEval_EvalCodeEx(fcode, g, NULL, args, 1, kws, 1, defs, 1, kwdefs, NULL);
        CHECK(r && PyTuple_Check(r) && PyTuple_Size(r) == 4);
        CHECK(PyLong_AsLong(PyTuple_GetItem(r, 0)) == 1 && PyLong_AsLong(PyTuple_GetItem(r, 1)) == 20
              && PyLong_AsLong(PyTuple_GetItem(r, 2)) == 30 && PyLong_AsLong(PyTuple_GetItem(r, 3)) == 40);
        Py_DECREF(r);
        /* Missing a required argument: the function's own error. */
        CHECK(PyEval_EvalCodeEx(fcode, g, NULL, NULL, 0, NULL, 0, defs, 1, NULL, NULL) == NULL);
        CHECK_RAISED(PyExc_TypeError, "f() missing 1 required positional argument: 'a'");
        args[0] = ten;
        r = PyEval_EvalCodeEx(icode, g, NULL, args, 1, NULL, 0, NULL, 0, NULL, closure);
        CHECK(r && PyLong_AsLong(r) == 15);
        Py_DECREF(r);
        Py_DECREF(fcode); Py_DECREF(icode); Py_DECREF(closure); Py_DECREF(one); Py_DECREF(twenty);
        Py_DECREF(c); Py_DECREF(thirty); Py_DECREF(kwdefs); Py_DECREF(ten);
    }
    /* The globals' cycles (functions refer to them) are broken here. */
    PyDict_Clear(g);
    Py_DECREF(g);
    Py_RETURN_NONE;
}

static int vformat(char *buf, size_t size, const char *format, ...) {
    int r;
    va_list va;
    va_start(va, format);
    r = PyOS_vsnprintf(buf, size, format, va);
    va_end(va);
    return r;
}

static PyObject *test_snprintf(PyObject *m, PyObject *unused) {
    char buf[16];
    CHECK(PyOS_snprintf(buf, sizeof(buf), "%s-%d", "abc", 42) == 6 && strcmp(buf, "abc-42") == 0);
    /* Truncated, always terminated; the result is the length it needed. */
    CHECK(PyOS_snprintf(buf, 8, "%s-%d", "abc", 12345) == 9 && strcmp(buf, "abc-123") == 0);
    CHECK(vformat(buf, sizeof(buf), "%05.1f|%x", 3.14159, 255) == 8 && strcmp(buf, "003.1|ff") == 0);
    CHECK(vformat(buf, 4, "%s", "abcdef") == 6 && strcmp(buf, "abc") == 0);
    Py_RETURN_NONE;
}

static PyObject *test_check_recursive_call(PyObject *m, PyObject *unused) {
    long version = ext_test_runtime_hexversion();
    int r = _Py_CheckRecursiveCall(PyThreadState_Get(), " in rt_life");
    if (version < 0x030E0000) {
        /* Far from the limit: no error. */
        CHECK(r == 0 && !PyErr_Occurred());
    } else {
        /* 3.14+ checks the C stack before calling it: called, it reports the overflow. */
        PyObject *t, *e, *tb, *s, *prefix, *suffix;
        CHECK(r == -1 && PyErr_ExceptionMatches(PyExc_RecursionError));
        PyErr_Fetch(&t, &e, &tb);
        PyErr_NormalizeException(&t, &e, &tb);
        Py_XDECREF(t);
        Py_XDECREF(tb);
        s = PyObject_Str(e);
        prefix = PyUnicode_FromString("Stack overflow (used ");
        suffix = PyUnicode_FromString(" kB) in rt_life");
        CHECK(s && prefix && suffix && PyUnicode_Tailmatch(s, prefix, 0, PY_SSIZE_T_MAX, -1) == 1
              && PyUnicode_Tailmatch(s, suffix, 0, PY_SSIZE_T_MAX, 1) == 1);
        Py_DECREF(s);
        Py_DECREF(prefix);
        Py_DECREF(suffix);
        Py_DECREF(e);
    }
    Py_RETURN_NONE;
}

/* PySys_SetArgv: sys.argv, and the script's folder first on sys.path (not isolated). */
static PyObject *test_set_argv(PyObject *m, PyObject *unused) {
    PyObject *argv = PySys_GetObject("argv"), *path = PySys_GetObject("path"), *a, *p, *copy;
    wchar_t *args[] = {L"/rt-life-no-such-dir/sub/script.py", L"--flag"};
    CHECK(argv && path);
    Py_INCREF(argv);
    copy = PyList_GetSlice(path, 0, PyList_Size(path));
    if (!copy) return NULL;
    PySys_SetArgv(2, args);
    a = PySys_GetObject("argv");
    CHECK(a && PyList_Size(a) == 2 && ext_test_str_eq(PyList_GetItem(a, 0), "/rt-life-no-such-dir/sub/script.py")
          && ext_test_str_eq(PyList_GetItem(a, 1), "--flag"));
    p = PySys_GetObject("path");
    CHECK(PyList_Size(p) == PyList_Size(copy) + 1 && ext_test_str_eq(PyList_GetItem(p, 0), "/rt-life-no-such-dir/sub"));
    CHECK(PySys_SetObject("path", copy) == 0 && PySys_SetObject("argv", argv) == 0);
    Py_DECREF(copy);
    Py_DECREF(argv);
    Py_RETURN_NONE;
}

/* ---- in a child process ---- */

static void flush_std_streams(void) {
    PyObject *f, *r;
    f = PySys_GetObject("stdout");
    r = f ? PyObject_CallMethod(f, "flush", NULL) : NULL;
    Py_XDECREF(r);
    f = PySys_GetObject("stderr");
    r = f ? PyObject_CallMethod(f, "flush", NULL) : NULL;
    Py_XDECREF(r);
    PyErr_Clear();
    fflush(stdout);
    fflush(stderr);
}

/* Runs `f` in a forked child (stdout and stderr into one pipe, with the fork hooks around
 * the fork when `hooks`): (terminating signal or 0, exit status or -1, output). */
static PyObject *in_child(void (*f)(void), int hooks) {
    int fds[2], status;
    pid_t pid;
    char buf[8192];
    ssize_t n, total = 0;
    if (pipe(fds) < 0) return PyErr_SetFromErrno(PyExc_OSError);
    flush_std_streams();
    if (hooks) PyOS_BeforeFork();
    pid = fork();
    if (pid < 0) {
        if (hooks) PyOS_AfterFork_Parent();
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    if (pid == 0) {
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        f();
        _exit(99);
    }
    if (hooks) PyOS_AfterFork_Parent();
    close(fds[1]);
    Py_BEGIN_ALLOW_THREADS
    while (total < (ssize_t)sizeof(buf) - 1 && (n = read(fds[0], buf + total, sizeof(buf) - 1 - total)) > 0) total += n;
    close(fds[0]);
    waitpid(pid, &status, 0);
    Py_END_ALLOW_THREADS
    buf[total] = 0;
    return Py_BuildValue("(iis)", WIFSIGNALED(status) ? WTERMSIG(status) : 0, WIFEXITED(status) ? WEXITSTATUS(status) : -1, buf);
}

/* Python's print, to sys.stdout (buffered: the finalization must flush it). */
static void py_print(const char *text) {
    PyObject *print = PyDict_GetItemString(PyEval_GetBuiltins(), "print"), *r;
    r = print ? PyObject_CallFunction(print, "s", text) : NULL;
    Py_XDECREF(r);
    PyErr_Clear();
}

static void child_exit(void) {
    py_print("before Py_Exit");
    Py_Exit(3);
}

static void child_fatal(void) {
    Py_FatalError("rt_life fatal error");
}

static void child_finalize_ex(void) {
    int r;
    py_print("before Py_FinalizeEx");
    r = Py_FinalizeEx();
    _exit(r == 0 && !Py_IsInitialized() ? 7 : 8);
}

static void child_finalize(void) {
    py_print("before Py_Finalize");
    Py_Finalize();
    _exit(!Py_IsInitialized() ? 9 : 8);
}

static void child_bytes_main(void) {
    char *argv[] = {"rt-life", "-c", "import sys; print('bytes main', sys.argv); sys.exit(4)", NULL};
    int r = Py_BytesMain(3, argv);
    _exit(r);
}

static void child_main(void) {
    wchar_t *argv[] = {L"rt-life", L"-c", L"import sys; print('wide main', sys.argv[1:])", L"x\xe9", NULL};
    int r = Py_Main(4, argv);
    _exit(r + 20);
}

/* After a fork with the hooks: Python runs in the child, and os.register_at_fork's child hooks ran. */
static void after_fork_common(void) {
    PyObject *os = PyImport_ImportModule("os"), *pid;
    if (!os) _exit(50);
    pid = PyObject_CallMethod(os, "getpid", NULL);
    if (!pid || PyLong_AsLong(pid) != (long)getpid()) _exit(51);
    Py_DECREF(pid);
    Py_DECREF(os);
    py_print("child runs Python");
    flush_std_streams();
    _exit(0);
}

static void child_after_fork_child(void) {
    PyOS_AfterFork_Child();
    after_fork_common();
}

static void child_after_fork_legacy(void) {
    PyOS_AfterFork();
    after_fork_common();
}

static int wide_is(const wchar_t *w, const wchar_t *expected) {
    if (w == NULL || expected == NULL) return w == expected;
    return wcscmp(w, expected) == 0;
}

/* The configuration setters after initialization: what the getters then report. */
static void child_configuration(void) {
    int code = 0;
    if (Py_GetPythonHome() != NULL) code |= 1;
    Py_SetPythonHome(L"/rt-life/home");
    if (!wide_is(Py_GetPythonHome(), L"/rt-life/home")) code |= 2;
    Py_SetProgramName(L"rt-life-program");
    if (!wide_is(Py_GetProgramName(), L"rt-life-program")) code |= 4;
    Py_SetPath(L"/rt-life/a:/rt-life/b");
    if (!wide_is(Py_GetPath(), L"/rt-life/a:/rt-life/b")) code |= 8;
    printf("%d\n", code);
    fflush(stdout);
    _exit(0);
}

/* PyErr_Print of a SystemExit ends the process with its code. */
static void child_print_system_exit(void) {
    PyObject *code = PyLong_FromLong(5);
    py_print("before PyErr_Print");
    PyErr_SetObject(PyExc_SystemExit, code);
    Py_XDECREF(code);
    PyErr_Print();
    _exit(30);
}

static void child_print_system_exit_text(void) {
    PyErr_SetString(PyExc_SystemExit, "bye from rt_life");
    PyErr_PrintEx(0);
    _exit(30);
}

#define CHILD(name, f, hooks) static PyObject *name(PyObject *m, PyObject *unused) { return in_child(f, hooks); }
CHILD(run_exit, child_exit, 0)
CHILD(run_fatal, child_fatal, 0)
CHILD(run_finalize_ex, child_finalize_ex, 0)
CHILD(run_finalize, child_finalize, 0)
CHILD(run_bytes_main, child_bytes_main, 0)
CHILD(run_main, child_main, 0)
CHILD(run_after_fork_child, child_after_fork_child, 1)
CHILD(run_after_fork_legacy, child_after_fork_legacy, 1)
CHILD(run_configuration, child_configuration, 0)
CHILD(run_print_system_exit, child_print_system_exit, 0)
CHILD(run_print_system_exit_text, child_print_system_exit_text, 0)

static PyMethodDef methods[] = {
    {"test_running_interpreter", test_running_interpreter, METH_NOARGS, NULL},
    {"test_legacy_calls", test_legacy_calls, METH_NOARGS, NULL},
    {"test_eval_code_ex", test_eval_code_ex, METH_NOARGS, NULL},
    {"test_snprintf", test_snprintf, METH_NOARGS, NULL},
    {"test_set_argv", test_set_argv, METH_NOARGS, NULL},
    {"test_check_recursive_call", test_check_recursive_call, METH_NOARGS, NULL},
    {"run_exit", run_exit, METH_NOARGS, NULL},
    {"run_fatal", run_fatal, METH_NOARGS, NULL},
    {"run_finalize_ex", run_finalize_ex, METH_NOARGS, NULL},
    {"run_finalize", run_finalize, METH_NOARGS, NULL},
    {"run_bytes_main", run_bytes_main, METH_NOARGS, NULL},
    {"run_main", run_main, METH_NOARGS, NULL},
    {"run_after_fork_child", run_after_fork_child, METH_NOARGS, NULL},
    {"run_after_fork_legacy", run_after_fork_legacy, METH_NOARGS, NULL},
    {"run_configuration", run_configuration, METH_NOARGS, NULL},
    {"run_print_system_exit", run_print_system_exit, METH_NOARGS, NULL},
    {"run_print_system_exit_text", run_print_system_exit_text, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *m) { return 0; }

EXT_TEST_MODULE(rt_life, methods, exec_module)
